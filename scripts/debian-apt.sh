# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/cross-sysroot.sh and test/vm/kernels.sh: a private apt
# state for one Debian release and one architecture, kept in a directory of
# its own, so that packages of any architecture can be downloaded (and then
# unpacked with dpkg-deb -x) without touching the host's apt lists or dpkg
# database, and without adding a foreign architecture to dpkg.
#
# Defines:
#   debian_mirrors               sets SCAP_VM_ARCHIVE and SCAP_VM_SECURITY
#   apt_private DIR ARCH TOOL .. runs apt-get/apt-cache on that state
#   apt_private_update DIR ARCH RELEASE [BACKPORTS]
#                                writes DIR/sources.list and updates the lists
# Each returns non-zero after a message on stderr; the caller decides whether
# that ends it.

DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# The Debian mirrors this host's apt already uses (an old release is served
# from the same place as the current one), unless the caller names others.
debian_mirrors() {
	local codename targets
	[ -n "${SCAP_VM_ARCHIVE:-}" ] && [ -n "${SCAP_VM_SECURITY:-}" ] && return 0
	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	targets=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 2>/dev/null | sort -u)
	: "${SCAP_VM_ARCHIVE:=$(awk -v r="$codename" '$1 == r { print $2; exit }' <<<"$targets")}"
	: "${SCAP_VM_SECURITY:=$(awk -v r="$codename-security" '$1 == r { print $2; exit }' <<<"$targets")}"
	[ -n "$SCAP_VM_ARCHIVE" ] && [ -n "$SCAP_VM_SECURITY" ] && return 0
	echo "cannot tell the Debian mirrors from this host's apt sources (release '$codename'; run apt-get update, or set SCAP_VM_ARCHIVE and SCAP_VM_SECURITY to the URLs of a debian/ and a debian-security/ mirror)" >&2
	return 1
}

apt_private() { # dir arch tool args...
	local dir=$1 arch=$2 tool=$3
	shift 3
	# A stalled mirror must not hang CI: apt retries, then gives up. Only
	# ARCH is asked for: a host with a foreign architecture enabled would
	# otherwise fetch lists a mirror may not carry (archive.ubuntu.com has
	# no arm64).
	timeout "${SCAP_VM_APT_TIMEOUT:-900}" "$tool" -q -o Acquire::Retries=3 \
		-o Acquire::http::Timeout=60 -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::Etc::preferencesparts=- -o Dir::State::Lists="$dir/lists" \
		-o Dir::Cache="$dir/cache" -o Dir::State::status=/dev/null \
		-o APT::Architecture="$arch" -o APT::Architectures="$arch" -o APT::Sandbox::User=root "$@"
}

# The index files an update could not fetch: apt says "E: Failed to fetch
# <url> <reason>" and goes on without them.
apt_failed_urls() { sed -n 's/^E: Failed to fetch \([^ ]*\).*/\1/p' "$1"; }

# Updates DIR's lists of RELEASE (and RELEASE-security; RELEASE-backports too
# when BACKPORTS is 1) for ARCH. A security suite whose index cannot be
# fetched while the release's own can (a mirror caught mid-sync serves an
# index that does not match its Release file: "File has unexpected size ...
# Mirror sync in progress?", which outlasted a day on this machine type's
# mirror) does not stop it: the release's point-release packages and its
# backports are used instead, which is said on stderr, and DIR/without-security
# is left for the caller (the newest kernel of a series then comes from
# backports). Any other failure, or a signature problem, returns 1
# (DIR/update.log has apt's output).
apt_private_update() { # dir arch release [backports]
	local dir=$1 arch=$2 rel=$3 bpo=${4:-0} failed
	[ -r "$DEBIAN_KEYRING" ] || {
		echo "$DEBIAN_KEYRING is missing (apt-get install debian-archive-keyring)" >&2
		return 1
	}
	debian_mirrors || return 1
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	rm -f "$dir/without-security"
	{
		printf 'deb [arch=%s signed-by=%s] %s %s main\n' "$arch" "$DEBIAN_KEYRING" "$SCAP_VM_ARCHIVE" "$rel"
		printf 'deb [arch=%s signed-by=%s] %s %s-security main\n' "$arch" "$DEBIAN_KEYRING" "$SCAP_VM_SECURITY" "$rel"
		[ "$bpo" != 1 ] || printf 'deb [arch=%s signed-by=%s] %s %s-backports main\n' \
			"$arch" "$DEBIAN_KEYRING" "$SCAP_VM_ARCHIVE" "$rel"
	} >"$dir/sources.list"
	apt_private "$dir" "$arch" apt-get update >"$dir/update.log" 2>&1 || true
	grep -q -E "^W:.*(NO_PUBKEY|not signed)" "$dir/update.log" && {
		echo "apt-get update for Debian '$rel' ($arch): a Release file is not signed by $DEBIAN_KEYRING (see $dir/update.log)" >&2
		return 1
	}
	failed=$(apt_failed_urls "$dir/update.log")
	[ -z "$failed" ] && ! grep -q '^E:' "$dir/update.log" && return 0
	if [ -z "$failed" ] || grep -v -q -- "/dists/$rel-security/" <<<"$failed"; then
		echo "apt-get update for Debian '$rel' ($arch) failed (network? see $dir/update.log): $(grep -m1 '^E:' "$dir/update.log")" >&2
		return 1
	fi
	echo "Debian's $rel-security index for $arch cannot be fetched from $SCAP_VM_SECURITY ($(grep -m1 '^E: Failed to fetch' "$dir/update.log" | sed 's/^E: Failed to fetch [^ ]* *//')): using $rel's point release and $rel-backports without it" >&2
	cp "$dir/update.log" "$dir/update-with-security.log"
	{
		printf 'deb [arch=%s signed-by=%s] %s %s main\n' "$arch" "$DEBIAN_KEYRING" "$SCAP_VM_ARCHIVE" "$rel"
		printf 'deb [arch=%s signed-by=%s] %s %s-backports main\n' "$arch" "$DEBIAN_KEYRING" "$SCAP_VM_ARCHIVE" "$rel"
	} >"$dir/sources.list"
	rm -f "$dir"/lists/*security*
	apt_private "$dir" "$arch" apt-get update >"$dir/update.log" 2>&1 &&
		! grep -q -E "^E:|^W:.*(NO_PUBKEY|not signed)|Failed to fetch" "$dir/update.log" || {
		echo "apt-get update for Debian '$rel' ($arch) without $rel-security failed too (see $dir/update.log)" >&2
		return 1
	}
	touch "$dir/without-security"
}
