# SPDX-License-Identifier: Apache-2.0
# Sourced by run.sh (and verdict_test.sh): what one boot of the guest came to.
#
# qemu's exit status is the guest's verdict, not an error: init.sh writes a
# byte to isa-debug-exit and qemu exits with (byte << 1) | 1, so 1 is the
# guest's PASS and 3 its FAIL; 0 means qemu ended without a verdict (the
# guest rebooted or panicked: -no-reboot), 124 is timeout(1)'s. The serial
# log's last "SCAP-VM-RESULT: ..." line must agree.

# vm_verdict QRC RESULT TIMEOUT: prints "VERDICT sentence", VERDICT being
# PASS, FAIL, TIMEOUT or CRASH.
vm_verdict() {
	local qrc=$1 result=$2 timeout=$3
	case "$qrc:$result" in
	"1:SCAP-VM-RESULT: PASS")
		echo "PASS the guest passed every check" ;;
	"3:SCAP-VM-RESULT: FAIL"*)
		echo "FAIL the guest failed:${result#SCAP-VM-RESULT: FAIL:}" ;;
	124:*)
		echo "TIMEOUT qemu timed out after ${timeout}s" ;;
	0:)
		echo "CRASH qemu ended without the guest's verdict and the log has no result line (the guest crashed, hung or rebooted)" ;;
	0:*)
		echo "CRASH qemu ended without the guest's verdict (the guest rebooted or panicked after '$result')" ;;
	1:* | 3:*)
		echo "FAIL the guest's verdict (qemu exit status $qrc: $([ "$qrc" = 1 ] && echo pass || echo fail)) and its log ('${result:-no result line}') disagree" ;;
	*)
		echo "FAIL qemu itself failed (exit status $qrc; the guest's verdict is 1 or 3)" ;;
	esac
}
