# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/setup.sh (and test/setup/apt_update_test.sh, which runs
# it against canned apt-get output).
#
# apt-get update, retried while a mirror is caught mid-sync ("File has
# unexpected size ... Mirror sync in progress?"). Index files of a foreign
# architecture (an earlier setup.sh added arm64, ppc64el and s390x to dpkg;
# nothing here installs from them now) are no reason to stop, and neither is
# a failure that outlasts the retries: apt then keeps the lists it had, and
# apt-get install says what it cannot find.
apt_update() { # apt-get options...
	local try log
	log=$(mktemp)
	for try in 1 2 3; do
		apt-get "$@" update 2>&1 | tee "$log" || true
		if ! grep -q '^E:' "$log"; then
			rm -f "$log"
			return 0
		fi
		if grep -q '^E: Failed to fetch' "$log" &&
			! grep '^E: Failed to fetch' "$log" | grep -v -q -E '/binary-(arm64|ppc64el|s390x)/'; then
			echo "setup.sh: only foreign architectures' package lists failed (above): nothing here installs from them; going on" >&2
			rm -f "$log"
			return 0
		fi
		[ "$try" = 3 ] || {
			echo "setup.sh: apt-get update failed (above); retrying in ${SCAP_APT_RETRY_SLEEP:-30} s" >&2
			sleep "${SCAP_APT_RETRY_SLEEP:-30}"
		}
	done
	rm -f "$log"
	echo "setup.sh: WARNING: apt-get update still fails after 3 tries (above); going on with the lists apt has" >&2
}
