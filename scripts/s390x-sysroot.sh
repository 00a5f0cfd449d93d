#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Unpacks Debian 12's s390x libraries that scap's static s390x build links
# (libbpf, libelf, zlib, zstd, cJSON, cmocka) into a sysroot directory, where
# the other cross builds install them as multiarch packages (libbpf-dev:arm64,
# ...). s390x cannot be installed that way on a Debian 12 host that takes
# bookworm-security: that suite no longer carries s390x (its Release file's
# Architectures line lists amd64 arm64 armhf i386 ppc64el), so the host's
# zlib1g is at a security version (1:1.2.13.dfsg-1+deb12u1) that has no
# s390x build, and Multi-Arch: same refuses zlib1g:s390x at any other
# version. The packages come from the same Debian 12 archive through apt
# (apt-get download); nothing is installed into the host's dpkg database.
#
#   scripts/s390x-sysroot.sh [dir]   default /opt/scap/sysroot-s390x
#                                    (cmake/s390x.cmake reads SCAP_S390X_SYSROOT)
# Needs the s390x architecture in dpkg (dpkg --add-architecture s390x;
# apt-get update), which scripts/setup.sh does.
set -euo pipefail
dir=${1:-${SCAP_S390X_SYSROOT:-/opt/scap/sysroot-s390x}}
PKGS="libbpf-dev libbpf1 libelf-dev libelf1 zlib1g-dev zlib1g libzstd-dev libzstd1
	libcjson-dev libcjson1 libcmocka-dev libcmocka0"
dpkg --print-foreign-architectures | grep -qx s390x || {
	echo "s390x-sysroot.sh: dpkg has no s390x architecture: run 'dpkg --add-architecture s390x && apt-get update' as root (scripts/setup.sh does)" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
list=""
for p in $PKGS; do list="$list $p:s390x"; done
# shellcheck disable=SC2086
(cd "$tmp" && apt-get download $list) >"$tmp/download.log" 2>&1 || {
	cat "$tmp/download.log" >&2
	echo "s390x-sysroot.sh: apt-get download of the s390x packages failed (is 'apt-get update' done with s390x added?)" >&2
	exit 1
}
rm -rf "$dir.new" && mkdir -p "$dir.new"
for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$dir.new"; done
# The -dev packages' .so links are absolute (/lib/...) or relative; the
# static build uses the .a archives, which are all there.
for a in libbpf.a libelf.a libz.a libzstd.a; do
	[ -f "$dir.new/usr/lib/s390x-linux-gnu/$a" ] || { echo "s390x-sysroot.sh: $a is missing from the unpacked packages" >&2; exit 1; }
done
(cd "$tmp" && ls *.deb) >"$dir.new/PACKAGES"
rm -rf "$dir" && mv "$dir.new" "$dir"
echo "s390x-sysroot.sh: $(wc -l <"$dir/PACKAGES") packages unpacked into $dir"
