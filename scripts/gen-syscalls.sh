#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Generates drivers/common/syscalls_<arch>.def, the syscall table of one
# architecture, from the kernel's uapi headers as Debian packages them
# (linux-libc-dev for x86_64, the cross compilers' linux-libc-dev-<arch>-cross
# for the others): every
# __NR_<name> that <asm/unistd.h>
# defines for a 64-bit process of that architecture, through that
# architecture's compiler (the preprocessor resolves asm-generic's
# __NR3264_* indirections). Rows for syscalls newer than the headers come
# from scripts/syscalls-unified.list (numbers are the same on every
# architecture from 424 on).
#
# Every syscall events.def names but the architecture does not have (aarch64
# has no open, creat, fork, ...: only the *at and clone forms; riscv64, on
# the same asm-generic table, not even renameat: only renameat2) gets a
# SCAP_SYSCALL_ABSENT(name) row: its SCAP_NR_<name> is SCAP_NR_ABSENT and no
# engine attaches anything for it there.
#
# ppc64le has its own numbers (arch/powerpc's syscall.tbl, not asm-generic):
# the legacy calls (open, fork, ...) and, besides the direct socket calls,
# the multiplexers socketcall and ipc. Those two are ordinary rows: the
# schema has no row for them, so they arrive as the generic event named
# "socketcall"/"ipc" with their raw arguments, never decoded into the
# socket/semaphore events (docs/engines.md, "ppc64le").
#
#   scripts/gen-syscalls.sh aarch64          rewrite drivers/common/syscalls_aarch64.def
#   scripts/gen-syscalls.sh ppc64le          rewrite drivers/common/syscalls_ppc64le.def
#   scripts/gen-syscalls.sh riscv64          rewrite drivers/common/syscalls_riscv64.def
#   scripts/gen-syscalls.sh s390x            rewrite drivers/common/syscalls_s390x.def
#                                            (uapi headers of linux-libc-dev-s390x-cross)
#   scripts/gen-syscalls.sh x86_64 -         print x86_64's table instead
#   scripts/gen-syscalls.sh --check          exit 1 when a checked-in table differs from
#                                            what the generator gives now (ctest
#                                            syscall_tables); 77 when no compiler for it
#   SCAP_GEN_CC=clang\ --target=... scripts/gen-syscalls.sh ...   another compiler
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
ARCHES="x86_64 aarch64 ppc64le riscv64 s390x"
# The GNU triplet of Debian's compiler for an architecture (uname -m name).
triplet() { case $1 in ppc64le) echo powerpc64le-linux-gnu ;; *) echo "$1-linux-gnu" ;; esac; }
if [ "${1:-}" = --check ]; then
	rc=0 checked=0
	for a in $ARCHES; do
		if ! command -v "$(triplet "$a")-gcc" >/dev/null; then
			echo "SKIP $a: $(triplet "$a")-gcc is not installed (scripts/setup.sh)"
			continue
		fi
		checked=$((checked + 1))
		if "$0" "$a" - | diff -u "$root/drivers/common/syscalls_$a.def" -; then
			echo "ok $a: drivers/common/syscalls_$a.def is what scripts/gen-syscalls.sh gives"
		else
			echo "FAIL $a: drivers/common/syscalls_$a.def differs from the generator's output (above): run scripts/gen-syscalls.sh $a"
			rc=1
		fi
	done
	[ "$checked" -gt 0 ] || exit 77
	exit $rc
fi
arch=${1:?usage: gen-syscalls.sh x86_64|aarch64|ppc64le|riscv64 [output|-] | --check}
out=${2:-$root/drivers/common/syscalls_$arch.def}
case " $ARCHES " in
*" $arch "*) ;;
*) echo "gen-syscalls.sh: unknown architecture '$arch' ($ARCHES)" >&2; exit 2 ;;
esac
cc=${SCAP_GEN_CC:-$(triplet "$arch")-gcc}
command -v "${cc%% *}" >/dev/null || {
	echo "gen-syscalls.sh: $cc is missing (scripts/setup.sh installs gcc-$(triplet "$arch") or build-essential)" >&2
	exit 2
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The names, then their numbers as the preprocessor resolves them.
echo '#include <asm/unistd.h>' | $cc -dM -E - >"$tmp/macros" || {
	echo "gen-syscalls.sh: $cc cannot read <asm/unistd.h> (install linux-libc-dev for $arch)" >&2
	exit 2
}
sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' "$tmp/macros" |
	grep -v -x -e syscalls -e arch_specific_syscall | sort -u >"$tmp/names"
{
	echo '#include <asm/unistd.h>'
	sed 's/.*/SCAP_ROW __NR_& &/' "$tmp/names"
} | $cc -E -P - | sed -n 's/^SCAP_ROW //p' >"$tmp/rows.raw"
# An architecture's own calls may be sums the preprocessor leaves as written
# (riscv64: __NR_riscv_flush_icache is (__NR_arch_specific_syscall + 15),
# "(244 + 15)"): the shell adds them up; anything else is left for the check below.
while read -r line; do
	nr=${line% *} name=${line##* }
	# shellcheck disable=SC2004 # $nr is expanded as text: dash's $((nr)) rejects "(244 + 15)"
	case $nr in *[!0-9\ +\(\)]* | "") ;; *[!0-9]*) nr=$(($nr)) ;; esac
	echo "$nr $name"
done <"$tmp/rows.raw" >"$tmp/rows"
if grep -v -E '^[0-9]+ [a-z0-9_]+$' "$tmp/rows"; then
	echo "gen-syscalls.sh: the rows above did not resolve to a plain number" >&2
	exit 1
fi
# Newer than the headers: the unified list, for numbers and names not there yet.
grep -E '^[0-9]+ [a-z0-9_]+$' "$root/scripts/syscalls-unified.list" | while read -r nr name; do
	grep -q -E "^$nr |^[0-9]+ $name\$" "$tmp/rows" || echo "$nr $name"
done >"$tmp/newer"
sort -n "$tmp/rows" "$tmp/newer" >"$tmp/all"
if [ -n "$(cut -d' ' -f1 "$tmp/all" | uniq -d)" ]; then
	echo "gen-syscalls.sh: two syscalls share a number: $(cut -d' ' -f1 "$tmp/all" | uniq -d | tr '\n' ' ')" >&2
	exit 1
fi
# The headers' version (major.minor only: a point release adds no syscall).
hver=$(echo '#include <linux/version.h>' | $cc -dM -E - |
	sed -n 's/^#define LINUX_VERSION_MAJOR \([0-9]*\)$/\1/p; s/^#define LINUX_VERSION_PATCHLEVEL \([0-9]*\)$/\1/p' | paste -sd.)
# The syscalls events.def gives its rows ("none": the generic event; a row
# flagged SCAP_EF_NOT_SYSCALL, procexit, names a kernel event).
grep -v SCAP_EF_NOT_SYSCALL "$root/drivers/common/events.def" |
	sed -n 's/^SCAP_EVENT([A-Z0-9_]*, *\([a-z0-9_]*\),.*/\1/p' |
	grep -v -x none | sort -u >"$tmp/schema"
cut -d' ' -f2 "$tmp/all" | sort -u | comm -23 "$tmp/schema" - >"$tmp/absent"

{
	cat <<HDR
/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only OR MIT */
/*
 * $arch system-call numbers and names, generated by scripts/gen-syscalls.sh
 * from the uapi <asm/unistd.h> of Linux $hver (linux-libc-dev)
 * and scripts/syscalls-unified.list (newer syscalls): do not edit, rerun it.
 *
 * SCAP_SYSCALL(nr, name): one row per syscall, in number order.
 * SCAP_SYSCALL_ABSENT(name): a syscall events.def names that $arch does not
 * have; listed first so that the last row is the highest number.
 */
HDR
	sed 's/.*/SCAP_SYSCALL_ABSENT(&)/' "$tmp/absent"
	awk '{ printf "SCAP_SYSCALL(%d, %s)\n", $1, $2 }' "$tmp/all"
} >"$tmp/out"
if [ "$out" = - ]; then
	cat "$tmp/out"
else
	cp "$tmp/out" "$out"
	echo "gen-syscalls.sh: wrote $out ($(wc -l <"$tmp/all") syscalls, $(wc -l <"$tmp/absent") absent)" >&2
fi
