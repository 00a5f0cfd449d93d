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

# vm_fail_detail LOG: for each check the guest's log marks "--- FAIL name",
# that check's last output lines (between its "=== name:" and its verdict),
# one per line as "name: line", at most 12 lines of each of the first 4
# failed checks. run.sh prints them after a failed boot's verdict, so that
# a summary that keeps only the end of a long CI log still says why.
vm_fail_detail() {
	tr -d '\r' <"$1" | grep -a -v '^\[ *[0-9.]*\] ' | awk '
		/^=== [^ ]+: / { n = 0; next }
		/^--- FAIL / {
			if (++failed > 4) next
			first = n > 12 ? n - 12 : 0
			for (i = first; i < n; i++) print $3 ": " buf[i % 12]
			n = 0
			next
		}
		/^--- / { n = 0; next }
		{ buf[n % 12] = $0; n++ }
	'
}
