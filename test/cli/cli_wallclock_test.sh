#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# scap capture --wall-clock: a capture file recorded on "another host" (its
# header's boot time set to a value this host cannot have) replays with that
# host's clock: every line's ts is the boot time + the ts printed without the
# option, to the nanosecond, in text and in JSON. Synthetic events have no
# clock: the option is refused with a reason. No root needed.
# usage: cli_wallclock_test.sh <scap binary>
set -u
SCAP=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/scap-wallclock.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

BOOT=1296604800123456789 # 2011-02-02T00:00:00.123456789Z
"$SCAP" capture --engine synthetic --synthetic-events 300 --quiet --write "$T/f.scap" 2>"$T/rec.err" ||
	{ fail "recording a synthetic capture"; cat "$T/rec.err"; exit 1; }
# boot_time_ns: offset 40 of the header, 8 bytes little-endian (docs/capture-file-format.md).
le=""
for i in 0 1 2 3 4 5 6 7; do le="$le\\x$(printf %02x $(((BOOT >> (8 * i)) & 255)))"; done
printf "$le" | dd of="$T/f.scap" bs=1 seek=40 conv=notrunc status=none

"$SCAP" capture --read "$T/f.scap" >"$T/plain" 2>/dev/null
"$SCAP" capture --read "$T/f.scap" --wall-clock >"$T/wall" 2>"$T/wall.err"
n=$(wc -l <"$T/plain")
bad=0
exec 3<"$T/wall"
while read -r ts rest; do
	read -r wts wrest <&3 || { bad=$((bad + 1)); break; }
	ns=$((10#${ts%.*} * 1000000000 + 10#${ts#*.} + BOOT))
	want=$(printf '%d.%09d' $((ns / 1000000000)) $((ns % 1000000000)))
	[ "$wts" = "$want" ] && [ "$wrest" = "$rest" ] || { bad=$((bad + 1)); [ $bad -le 3 ] && echo "  $ts -> $wts, expected $want"; }
done <"$T/plain"
exec 3<&-
if [ "$n" -ge 100 ] && [ $bad -eq 0 ] && [ "$(wc -l <"$T/wall")" -eq "$n" ]; then
	ok "--wall-clock text: $n lines, each ts = the file's boot time + the ts since boot"
else
	fail "--wall-clock text ($n lines, $bad wrong)"; head -3 "$T/wall.err"
fi

"$SCAP" capture --read "$T/f.scap" --json >"$T/pj" 2>/dev/null
"$SCAP" capture --read "$T/f.scap" --json --wall-clock >"$T/wj" 2>/dev/null
bad=0
exec 3<"$T/wj"
while IFS= read -r line; do
	IFS= read -r wline <&3
	ts=${line#\{\"ts\":}; ts=${ts%%,*}
	want="{\"ts\":$((ts + BOOT)),${line#*,}"
	[ "$wline" = "$want" ] || bad=$((bad + 1))
done <"$T/pj"
exec 3<&-
if [ $bad -eq 0 ] && [ -s "$T/wj" ]; then
	ok "--wall-clock JSON: ts in ns since the epoch, the rest of each object unchanged"
else
	fail "--wall-clock JSON: $bad objects wrong"; head -2 "$T/wj"
fi

"$SCAP" capture --engine synthetic --synthetic-events 1 --wall-clock >"$T/s" 2>"$T/s.err"
rc=$?
if [ $rc -eq 2 ] && grep -q "wall-clock.*synthetic.*no clock time" "$T/s.err" && [ ! -s "$T/s" ]; then
	ok "--wall-clock with synthetic events: exit 2, $(cat "$T/s.err")"
else
	fail "--wall-clock with synthetic: exit $rc, $(cat "$T/s.err")"
fi

[ $failures -eq 0 ] && echo "all --wall-clock checks passed"
exit $((failures != 0))
