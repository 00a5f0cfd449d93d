#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerates drivers/common/syscalls_x86_64.def from the installed <asm/unistd_64.h>.
# Rows for syscalls newer than the installed headers are kept by appending them by hand.
set -eu
hdr=${1:-/usr/include/x86_64-linux-gnu/asm/unistd_64.h}
grep '#define __NR_' "$hdr" | awk '{sub("__NR_","",$2); printf "SCAP_SYSCALL(%d, %s)\n", $3, $2}'
