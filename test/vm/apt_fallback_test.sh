#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# apt_private_update (scripts/debian-apt.sh) against what apt-get update
# printed on real mirrors: a security index that cannot be fetched is the one
# failure it goes on after (without the security suite, with backports, and
# saying so); anything else stops it. apt-get itself is replaced by canned
# output, so this needs no network.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/debian-apt.sh"
SCAP_VM_ARCHIVE=http://mirror.test/debian/ SCAP_VM_SECURITY=http://mirror.test/debian-security/
DEBIAN_KEYRING=/dev/null # readable; apt is never run
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
SEC_FAIL="E: Failed to fetch http://mirror.test/debian-security/dists/bookworm-security/main/binary-ppc64el/Packages.xz  File has unexpected size (367892 != 368280). Mirror sync in progress? [IP: 203.0.113.80 80]
E: Some index files failed to download. They have been ignored, or old ones used instead."
MAIN_FAIL="E: Failed to fetch http://mirror.test/debian/dists/bookworm/main/binary-ppc64el/Packages.xz  404  Not Found [IP: 203.0.113.80 80]
E: Some index files failed to download. They have been ignored, or old ones used instead."
UNSIGNED="W: GPG error: http://mirror.test/debian bookworm InRelease: The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 0E98404D386FA1D9"
# apt_private replaced: prints the next canned answer when the sources.list
# has a security line, CLEAN_ANSWER when it has none (the retry).
apt_private() {
	if grep -q -- '-security' "$1/sources.list"; then printf '%s\n' "$WITH_SEC"; else printf '%s\n' "$WITHOUT_SEC"; fi
	[ "$2" = ppc64el ] || return 1
}
check() { # name want-rc want-marker(0/1) want-sources-regex message-regex
	local dir=$tmp/$1 rc msg
	mkdir -p "$dir"
	msg=$(apt_private_update "$dir" ppc64el bookworm 0 2>&1)
	rc=$?
	local ok=1
	[ "$rc" = "$2" ] || { echo "FAIL $1: returned $rc, want $2 ($msg)"; ok=0; }
	if [ "$3" = 1 ] && [ ! -e "$dir/without-security" ]; then echo "FAIL $1: no without-security marker"; ok=0; fi
	if [ "$3" = 0 ] && [ -e "$dir/without-security" ]; then echo "FAIL $1: a without-security marker"; ok=0; fi
	[ -z "$4" ] || grep -q -E "$4" "$dir/sources.list" || { echo "FAIL $1: sources.list has no /$4/:"; cat "$dir/sources.list"; ok=0; }
	grep -q -E "$5" <<<"$msg" || { echo "FAIL $1: said '$msg', want /$5/"; ok=0; }
	if [ "$ok" = 1 ]; then echo "ok $1: rc $rc: ${msg:-(nothing said)}"; else failures=$((failures + 1)); fi
}
WITH_SEC="Hit:1 http://mirror.test/debian bookworm InRelease" WITHOUT_SEC=""
check clean 0 0 'bookworm-security main' '^$'
WITH_SEC=$SEC_FAIL WITHOUT_SEC="Hit:1 http://mirror.test/debian bookworm InRelease"
check security-index-broken 0 1 'bookworm-backports main' "bookworm-security index for ppc64el cannot be fetched .*unexpected size.*without it"
grep -q security "$tmp/security-index-broken/sources.list" && { echo "FAIL security-index-broken: the retry's sources.list still names the security suite"; failures=$((failures + 1)); }
WITH_SEC=$SEC_FAIL WITHOUT_SEC=$MAIN_FAIL
check both-broken 1 0 '' 'without bookworm-security failed too'
WITH_SEC=$MAIN_FAIL WITHOUT_SEC=""
check release-index-broken 1 0 '' "update for Debian 'bookworm' \(ppc64el\) failed.*404"
WITH_SEC=$UNSIGNED WITHOUT_SEC=""
check unsigned 1 0 '' 'not signed by'
# A clean run after a broken one forgets the marker.
mkdir -p "$tmp/again" && touch "$tmp/again/without-security"
WITH_SEC="Hit:1 http://mirror.test/debian bookworm InRelease" WITHOUT_SEC=""
check again 0 0 'bookworm-security main' '^$'
[ "$failures" = 0 ] && echo "apt_fallback_test: all passed" || echo "apt_fallback_test: $failures failed"
[ "$failures" = 0 ]
