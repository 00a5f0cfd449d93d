#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# scripts/setup.sh's apt_update (scripts/apt-update.sh) against the output
# apt-get update gave on this machine type's mirror: how many times it runs
# apt-get, and whether set-up goes on. apt-get is a stand-in on PATH that
# prints the canned answer of each call in turn.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/apt-update.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
cat >"$tmp/bin/apt-get" <<'STUB'
#!/bin/bash
n=$(($(cat "$STUB_DIR/calls" 2>/dev/null || echo 0) + 1))
echo "$n" >"$STUB_DIR/calls"
echo "$*" >"$STUB_DIR/args"
cat "$STUB_DIR/answer.$n" 2>/dev/null || cat "$STUB_DIR/answer.last"
[ "$(tail -n1 "$STUB_DIR/answer.$n" 2>/dev/null || tail -n1 "$STUB_DIR/answer.last")" != "rc=100" ] || exit 100
STUB
chmod +x "$tmp/bin/apt-get"
export PATH=$tmp/bin:$PATH STUB_DIR=$tmp SCAP_APT_RETRY_SLEEP=0
OK="Hit:1 http://deb.debian.org/debian bookworm InRelease
Reading package lists..."
PPC="E: Failed to fetch http://deb.debian.org/debian-security/dists/bookworm-security/main/binary-ppc64el/Packages.xz  File has unexpected size (367892 != 368280). Mirror sync in progress? [IP: 203.0.113.80 80]
E: Some index files failed to download. They have been ignored, or old ones used instead.
rc=100"
AMD="E: Failed to fetch http://deb.debian.org/debian-security/dists/bookworm-security/main/binary-amd64/Packages.xz  File has unexpected size (1 != 2). Mirror sync in progress? [IP: 203.0.113.80 80]
E: Some index files failed to download. They have been ignored, or old ones used instead.
rc=100"
failures=0
check() { # name want-calls want-message-regex answers...
	local name=$1 want=$2 re=$3 i=1 msg calls
	shift 3
	rm -f "$tmp"/answer.* "$tmp/calls"
	for a in "$@"; do printf '%s\n' "$a" >"$tmp/answer.$i"; i=$((i + 1)); done
	cp "$tmp/answer.$((i - 1))" "$tmp/answer.last"
	msg=$( (set -euo pipefail; apt_update -o DPkg::Lock::Timeout=600) 2>&1 >/dev/null)
	local rc=$?
	calls=$(cat "$tmp/calls")
	if [ "$rc" = 0 ] && [ "$calls" = "$want" ] && grep -q -E "$re" <<<"${msg:-none}" &&
		[ "$(cat "$tmp/args")" = "-o DPkg::Lock::Timeout=600 update" ]; then
		echo "ok $name: $calls apt-get update run(s): ${msg:-nothing said}"
	else
		echo "FAIL $name: rc $rc, $calls run(s) (want 0, $want), args '$(cat "$tmp/args")', said: ${msg:-nothing} (want /$re/)"
		failures=$((failures + 1))
	fi
}
check clean 1 '^none$' "$OK"
check foreign-index-only 1 "only foreign architectures' package lists failed" "$PPC"
check host-index-recovers 2 'retrying in 0 s' "$AMD" "$OK"
check host-index-stays-broken 3 'WARNING: apt-get update still fails after 3 tries' "$AMD"
check error-without-url 3 'still fails after 3 tries' "E: The repository 'x' is no longer signed.
rc=100"
[ "$failures" = 0 ] && echo "apt_update_test: all passed" || echo "apt_update_test: $failures failed"
[ "$failures" = 0 ]
