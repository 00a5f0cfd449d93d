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
# boot_time_ns: offset 40 of the HEADER block's payload, 8 bytes little-endian,
# after a 16-byte preamble and a 24-byte block head whose last 4 bytes are the
# payload's CRC-32, written again to match (docs/capture-file-format.md).
python3 - "$T/f.scap" "$BOOT" <<'PY' || { fail "patching the header's boot time"; exit 1; }
import struct, sys, zlib
path, boot = sys.argv[1], int(sys.argv[2])
b = bytearray(open(path, "rb").read())
n = struct.unpack_from("<I", b, 16 + 8)[0]
struct.pack_into("<q", b, 40 + 40, boot)
struct.pack_into("<I", b, 16 + 20, zlib.crc32(bytes(b[40:40 + n])))
open(path, "wb").write(b)
PY

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
