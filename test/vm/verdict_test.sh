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

# vm_fail_detail: the failed checks' own last lines, nothing of the passed ones
# nor of the kernel's log.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
{
	printf 'guest: 6.12, 2 CPUs, phase main\r\n'
	printf '=== insmod: insmod /scap.ko\n--- PASS insmod\n'
	printf '=== live_kmod: /bin/scap_live kmod\n'
	for i in $(seq 1 14); do printf 'PASS t%d\n' "$i"; done
	printf '[   12.345678] a kernel line\n'
	printf 'FAIL toctou_flip: 3 openat calls, 2 events (drops 0)\n'
	printf -- '--- FAIL live_kmod (exit 1)\n'
	printf '=== kernel_log_clean: dmesg_clean\nWARNING: CPU: 1 PID: 9 at x\nthe kernel log shows the problems above\n'
	printf -- '--- FAIL kernel_log_clean (exit 1)\n'
	printf '=== rmmod: rmmod scap\n--- PASS rmmod\n'
} >"$log"
want="live_kmod: PASS t4
live_kmod: PASS t5
live_kmod: PASS t6
live_kmod: PASS t7
live_kmod: PASS t8
live_kmod: PASS t9
live_kmod: PASS t10
live_kmod: PASS t11
live_kmod: PASS t12
live_kmod: PASS t13
live_kmod: PASS t14
live_kmod: FAIL toctou_flip: 3 openat calls, 2 events (drops 0)
kernel_log_clean: WARNING: CPU: 1 PID: 9 at x
kernel_log_clean: the kernel log shows the problems above"
got=$(vm_fail_detail "$log")
if [ "$got" = "$want" ]; then
	echo "ok: vm_fail_detail keeps the failed checks' last lines"
else
	printf 'FAIL: vm_fail_detail gave:\n%s\nwant:\n%s\n' "$got" "$want"
	failures=$((failures + 1))
fi
printf '=== a: x\n--- PASS a\n' >"$log"
got=$(vm_fail_detail "$log")
if [ -z "$got" ]; then
	echo "ok: vm_fail_detail says nothing of a passing log"
else
	echo "FAIL: vm_fail_detail of a passing log gave '$got'"
	failures=$((failures + 1))
fi

[ $failures -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all verdict checks passed"
