#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The ABI of libscap.so against the committed baseline abi/libscap.abi
# (docs/embedding.md, "ABI"), with libabigail (Debian: abigail-tools):
#   check_abi.sh check    SO SRC_DIR GEN_INCLUDE_DIR   fails on any change but an
#                         added function or what abi/libscap.suppr allows
#   check_abi.sh baseline SO SRC_DIR GEN_INCLUDE_DIR   rewrites abi/libscap.abi
#                         (cmake --build build --target abi_baseline)
set -u
mode=$1 so=$2 src=$3 gen=$4
baseline=$src/abi/libscap.abi
if ! command -v abidw >/dev/null || ! command -v abidiff >/dev/null; then
	echo "SKIP: abidw/abidiff not found: apt-get install abigail-tools (scripts/setup.sh installs it)"
	exit 77
fi
# Only what the public headers reach; no paths, so that any checkout compares
# equal (the translation units' paths are made relative to the source tree).
dump() {
	abidw --hd "$src/include" --hd "$gen" --drop-private-types --exported-interfaces-only \
		--drop-undefined-syms --no-corpus-path --no-comp-dir-path --no-show-locs \
		--type-id-style hash "$so" | sed "s|path='$src/|path='|"
}
case $mode in
baseline)
	# libabigail reads no comment before the root element: the license is
	# in abi/libscap.abi.license (the REUSE convention for such files).
	dump >"$baseline.tmp" && mv "$baseline.tmp" "$baseline" || exit 1
	echo "wrote $baseline from $so ($(grep -c '<elf-symbol ' "$baseline") functions): commit it with the change"
	;;
check)
	cur=$(mktemp "${TMPDIR:-/tmp}/scap-abi.XXXXXX") || exit 1
	trap 'rm -f "$cur"' EXIT
	dump >"$cur" || exit 1
	abidiff --no-added-syms --suppressions "$src/abi/libscap.suppr" "$baseline" "$cur"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: libscap.so's ABI differs from abi/libscap.abi (abidiff status $rc) in a way that breaks"
		echo "programs built against the baseline (above). If the change is intended, it needs a new major"
		echo "version (docs/embedding.md); a compatible addition (a function, a member at the end of a"
		echo "sized struct listed in abi/libscap.suppr) passes. Regenerate the baseline with:"
		echo "  cmake --build build --target abi_baseline"
		exit 1
	fi
	echo "libscap.so's ABI: no change against abi/libscap.abi but additions"
	;;
*)
	echo "usage: $0 check|baseline SO SRC_DIR GEN_INCLUDE_DIR" >&2
	exit 2
	;;
esac
