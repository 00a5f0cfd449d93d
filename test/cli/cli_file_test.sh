#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `scap capture --write/--read` with the synthetic engine (no root), issue 17:
# a capture killed with SIGKILL leaves a file that replays up to its last
# whole block and then says it is incomplete (exit 1); --read X --write X,
# --read FILE --engine LIVE and a FIFO nobody writes to are refused at once;
# a signal stop delivers what the buffers still hold.
# usage: cli_file_test.sh <scap binary>
set -u
SCAP=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/scap-cli-file.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}
# delivered=N of a stats: line
events_of() {
	sed -n 's/^stats: delivered=\([0-9]*\) .*/\1/p' "$1" | tail -n 1
}

# --- a complete file replays to the end, exit 0 --------------------------------------
"$SCAP" capture --engine synthetic --count 5000 --quiet --write "$T/c.scap" 2>"$T/w.err"
"$SCAP" capture --read "$T/c.scap" >"$T/r.out" 2>"$T/r.err"
rc=$?
if [ $rc -eq 0 ] && [ "$(events_of "$T/r.err")" = 5000 ] && grep -q 'stopped=end' "$T/r.err" &&
	[ "$(wc -l <"$T/r.out")" -eq 5000 ]; then
	ok "a complete file replays its 5000 events, exit 0"
else
	fail "complete file (rc=$rc)"; cat "$T/w.err" "$T/r.err"
fi

# --- SIGKILL at random moments: the whole blocks, then "incomplete", exit 1 ---------------
# (the moments count from the file's creation: a loaded host can take a while to get there)
for ms in 150 400 900 1300; do
	rm -f "$T/k.scap"
	"$SCAP" capture --engine synthetic --quiet --write "$T/k.scap" 2>/dev/null &
	pid=$!
	i=0
	while [ ! -s "$T/k.scap" ] && [ $i -lt 400 ]; do
		sleep 0.025; i=$((i + 1))
	done
	sleep "$(awk "BEGIN { print $ms / 1000 }")"
	kill -KILL $pid
	wait $pid 2>/dev/null
	"$SCAP" capture --read "$T/k.scap" --quiet 2>"$T/k.err"
	rc=$?
	n=$(events_of "$T/k.err")
	if [ $rc -eq 1 ] && grep -q 'capture file incomplete: it ends at offset' "$T/k.err" &&
		grep -q 'stopped=error' "$T/k.err" && [ -n "$n" ]; then
		ok "killed after $ms ms: $n events replayed, then 'incomplete', exit 1"
	else
		fail "killed after $ms ms (rc=$rc)"; cat "$T/k.err"
	fi
	# After a second of capture, at least the first second is in the file.
	if [ "$ms" -ge 1300 ] && [ "${n:-0}" -eq 0 ]; then
		fail "killed after $ms ms: no event in the file (the periodic flush did not happen)"
	fi
done

# --- --read X --write X: refused, and X is untouched --------------------------------------
sum=$(cksum <"$T/c.scap")
"$SCAP" capture --read "$T/c.scap" --write "$T/c.scap" 2>"$T/e"
rc=$?
if [ $rc -eq 2 ] && grep -q 'is the file --read replays' "$T/e" && [ "$(cksum <"$T/c.scap")" = "$sum" ]; then
	ok "--read X --write X: exit 2, X unchanged"
else
	fail "--read X --write X (rc=$rc)"; cat "$T/e"
fi
ln "$T/c.scap" "$T/hard.scap"
"$SCAP" capture --read "$T/c.scap" --write "$T/hard.scap" 2>"$T/e"
rc=$?
[ $rc -eq 2 ] && [ "$(cksum <"$T/c.scap")" = "$sum" ] && ok "--write onto a hard link of the input: exit 2" ||
	{ fail "hard link (rc=$rc)"; cat "$T/e"; }

# --- --read FILE --engine LIVE: refused, not a live capture --------------------------------
"$SCAP" capture --read "$T/c.scap" --engine modern_bpf --count 1 >"$T/o" 2>"$T/e"
rc=$?
if [ $rc -eq 2 ] && grep -q "engine 'modern_bpf' cannot do" "$T/e" && ! grep -q '^capturing:' "$T/e"; then
	ok "--read FILE --engine modern_bpf: exit 2, nothing captured"
else
	fail "--read with --engine modern_bpf (rc=$rc)"; cat "$T/e"
fi

# --- a FIFO without a writer: an error at once, not a silent wait -------------------------
mkfifo "$T/fifo"
timeout 10 "$SCAP" capture --read "$T/fifo" 2>"$T/e"
rc=$?
if [ $rc -eq 1 ] && grep -q 'no process has open for writing' "$T/e"; then
	ok "--read of a FIFO without a writer: exit 1 at once, with the reason"
else
	fail "FIFO without writer (rc=$rc; 124 = it hung)"; cat "$T/e"
fi
# ... and one with a writer replays.
("$SCAP" capture --engine synthetic --count 3000 --quiet --write "$T/fifo" 2>/dev/null &)
sleep 0.3
timeout 20 "$SCAP" capture --read "$T/fifo" --quiet 2>"$T/e"
rc=$?
[ $rc -eq 0 ] && [ "$(events_of "$T/e")" = 3000 ] && ok "--read of a FIFO with a writer: 3000 events, exit 0" ||
	{ fail "FIFO with writer (rc=$rc)"; cat "$T/e"; }

# --- SIGTERM: what the buffers hold is delivered (drained), unread=0 -----------------------
"$SCAP" capture --engine synthetic --quiet >/dev/null 2>"$T/e" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
rc=$?
if [ $rc -eq 0 ] && grep -q 'stopped=signal' "$T/e" && grep -q ' unread=0 ' "$T/e"; then
	ok "SIGTERM: the buffers are drained (unread=0), exit 0"
else
	fail "SIGTERM drain (rc=$rc)"; cat "$T/e"
fi
# --count leaves the rest in the buffers, and says how much.
"$SCAP" capture --engine synthetic --count 10 --quiet 2>"$T/e"
n=$(sed -n 's/.* unread=\([0-9]*\) .*/\1/p' "$T/e")
[ "${n:-0}" -gt 0 ] && ok "--count 10: the $n events left in the buffers are counted as unread" ||
	{ fail "--count: unread not reported"; cat "$T/e"; }

if [ $failures -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all capture-file CLI checks passed"
