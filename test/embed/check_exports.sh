#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The libraries export exactly the documented API: the functions declared in
# include/scap/scap.h, the names in scap/libscap.map, the dynamic symbols
# libscap.so defines (nm -D) and the global symbols libscap.a defines must be
# the same set. Prints each difference and fails.
#   check_exports.sh HEADER MAP LIBSCAP_SO|- LIBSCAP_A
set -u
header=$1 map=$2 so=$3 ar=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scap-exports.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Declarations: comments stripped (the header's examples call functions),
# preprocessor lines and function pointer types ((*scap_log_fn)) dropped,
# then every scap_name( left.
gcc -fpreprocessed -dD -E -P "$header" | grep -v '^[[:space:]]*#' |
	sed -E 's/\([[:space:]]*\*[[:space:]]*scap_[a-z0-9_]+[[:space:]]*\)//g' |
	grep -oE '(^|[^_a-z0-9])scap_[a-z0-9_]+[[:space:]]*\(' |
	grep -oE 'scap_[a-z0-9_]+' | sort -u >"$tmp/header"
grep -E '^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*;' "$map" | tr -d ' \t;' | sort -u >"$tmp/map"
nm -g --defined-only "$ar" | awk 'NF == 3 && $2 ~ /[A-TV-Z]/ { print $3 }' | sort -u >"$tmp/static"

fail=0
compare() { # NAME_A FILE_A NAME_B FILE_B
	if ! cmp -s "$2" "$4"; then
		fail=1
		comm -23 "$2" "$4" | sed "s#^#$1 has, $3 has not: #"
		comm -13 "$2" "$4" | sed "s#^#$3 has, $1 has not: #"
	fi
}
compare "include/scap/scap.h" "$tmp/header" "scap/libscap.map" "$tmp/map"
compare "scap/libscap.map" "$tmp/map" "libscap.a (global symbols)" "$tmp/static"
if [ "$so" != - ]; then
	nm -D --defined-only "$so" | awk 'NF == 3 && $2 ~ /[A-TV-Z]/ { print $3 }' | sed 's/@.*//' | sort -u >"$tmp/shared"
	compare "scap/libscap.map" "$tmp/map" "libscap.so (nm -D)" "$tmp/shared"
	soname=$(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')
	case $soname in
	libscap.so.[0-9]*) ;;
	*) echo "libscap.so has SONAME '$soname', expected libscap.so.<major>"; fail=1 ;;
	esac
fi
n=$(wc -l <"$tmp/map")
if [ "$n" -lt 30 ]; then
	echo "only $n functions found in scap/libscap.map: the list was not read"
	fail=1
fi
[ $fail = 0 ] && echo "libscap.so and libscap.a export the $n functions of include/scap/scap.h, nothing else"
exit $fail
