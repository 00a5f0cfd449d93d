#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Unpacks Debian 12's libraries that scap's static cross builds link (libbpf,
# libelf, zlib, zstd, cJSON, cmocka) for one foreign architecture into a
# sysroot directory, which cmake/<arch>.cmake and test/vm/run.sh read. The C
# library and the uapi headers come from the cross compiler's own packages
# (libc6-dev-<arch>-cross, linux-libc-dev-<arch>-cross; scripts/setup.sh).
#
# Why not multiarch packages (libbpf-dev:arm64, ...): those must be at exactly
# the version of the host's package of the same name (Multi-Arch: same), and
# that breaks on what a Debian 12 host cannot control:
#  - bookworm-security no longer carries s390x (its Release file's
#    Architectures line lists amd64 arm64 armhf i386 ppc64el), so the host's
#    security-updated zlib1g (1:1.2.13.dfsg-1+deb12u1) has no s390x build;
#  - a mirror caught mid-sync serves a security index that does not match its
#    Release file ("File has unexpected size ... Mirror sync in progress?": on
#    2026-12-05, ppc64el's, for over a day), and then neither apt-get update
#    nor any :ppc64el package the host's version needs can be had.
# Here the packages come from the same Debian 12 archive through a private apt
# state (scripts/debian-apt.sh: nothing is added to dpkg, nothing installed),
# which goes on without the security suite when its index is broken: a
# sysroot needs matching libraries, not the newest ones.
#
#   scripts/cross-sysroot.sh arm64|ppc64el|s390x [dir]
#        default dir /opt/scap/sysroot-<arch>, or $SCAP_<ARCH>_SYSROOT
#        (SCAP_ARM64_SYSROOT, SCAP_PPC64EL_SYSROOT, SCAP_S390X_SYSROOT), which
#        cmake/<arch>.cmake and test/vm/run.sh read too
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/debian-apt.sh"
arch=${1:-}
case $arch in
arm64) triplet=aarch64-linux-gnu ;;
ppc64el) triplet=powerpc64le-linux-gnu ;;
s390x) triplet=s390x-linux-gnu ;;
*)
	echo "usage: scripts/cross-sysroot.sh arm64|ppc64el|s390x [dir] (got '$arch')" >&2
	exit 2
	;;
esac
var=SCAP_${arch^^}_SYSROOT
dir=${2:-${!var:-/opt/scap/sysroot-$arch}}
PKGS="libbpf-dev libbpf1 libelf-dev libelf1 zlib1g-dev zlib1g libzstd-dev libzstd1
	libcjson-dev libcjson1 libcmocka-dev libcmocka0"
rel=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
[ "$rel" = bookworm ] || echo "cross-sysroot.sh: this host is Debian '$rel', not 12 (bookworm): taking '$rel''s $arch packages" >&2
state=$dir.apt
mkdir -p "$state"
apt_private_update "$state" "$arch" "$rel" || {
	echo "cross-sysroot.sh: cannot read Debian '$rel''s $arch package lists (above)" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
(cd "$tmp" && apt_private "$state" "$arch" apt-get download $PKGS) >"$tmp/download.log" 2>&1 || {
	cat "$tmp/download.log" >&2
	echo "cross-sysroot.sh: apt-get download of the $arch packages failed (above)" >&2
	exit 1
}
rm -rf "$dir.new" && mkdir -p "$dir.new"
for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$dir.new"; done
# The -dev packages' .so links are absolute (/lib/...) or relative; the
# static build uses the .a archives, which are all there.
for a in libbpf.a libelf.a libz.a libzstd.a pkgconfig/libbpf.pc; do
	[ -e "$dir.new/usr/lib/$triplet/$a" ] || {
		echo "cross-sysroot.sh: usr/lib/$triplet/$a is missing from the unpacked $arch packages" >&2
		exit 1
	}
done
(cd "$tmp" && ls *.deb) >"$dir.new/PACKAGES"
rm -rf "$dir" && mv "$dir.new" "$dir"
echo "cross-sysroot.sh: $(wc -l <"$dir/PACKAGES") $arch packages unpacked into $dir$([ ! -e "$state/without-security" ] || echo " (without $rel-security, said above)")"
