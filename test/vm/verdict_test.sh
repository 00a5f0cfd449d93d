#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What run.sh says of one boot (test/vm/verdict.sh), for every way a boot ends:
# a passing run must read as one, never as "qemu exited with 1".
set -u
. "$(dirname "$0")/verdict.sh"
failures=0
check() { # qrc result want
	local got
	got=$(vm_verdict "$1" "$2" 480)
	if [ "$got" = "$3" ]; then
		echo "ok: qemu $1, '$2': $got"
	else
		echo "FAIL: qemu $1, '$2': got '$got', want '$3'"
		failures=$((failures + 1))
	fi
}
check 1 "SCAP-VM-RESULT: PASS" "PASS the guest passed every check"
check 3 "SCAP-VM-RESULT: FAIL: live_kmod churn" "FAIL the guest failed: live_kmod churn"
check 124 "" "TIMEOUT qemu timed out after 480s"
check 124 "SCAP-VM-RESULT: PASS" "TIMEOUT qemu timed out after 480s"
check 0 "" "CRASH qemu ended without the guest's verdict and the log has no result line (the guest crashed, hung or rebooted)"
check 0 "SCAP-VM-RESULT: PASS" "CRASH qemu ended without the guest's verdict (the guest rebooted or panicked after 'SCAP-VM-RESULT: PASS')"
check 1 "" "FAIL the guest's verdict (qemu exit status 1: pass) and its log ('no result line') disagree"
check 3 "SCAP-VM-RESULT: PASS" "FAIL the guest's verdict (qemu exit status 3: fail) and its log ('SCAP-VM-RESULT: PASS') disagree"
check 1 "SCAP-VM-RESULT: FAIL: x" "FAIL the guest's verdict (qemu exit status 1: pass) and its log ('SCAP-VM-RESULT: FAIL: x') disagree"
check 2 "" "FAIL qemu itself failed (exit status 2; the guest's verdict is 1 or 3)"
[ $failures -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all verdict checks passed"
