#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The CLI contract (issues 2 and 19), checked with the synthetic and savefile
# engines and forced probes (no root).
# usage: cli_test.sh <scap binary> <json_check binary>
set -u
SCAP=$1
CHECK=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/scap-cli-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}
# The first line of the file must be exactly the second argument.
first_line_is() {
	got=$(head -n 1 "$1")
	[ "$got" = "$2" ] && return 0
	echo "  first line:    $got"
	echo "  expected:      $2"
	return 1
}
# Runs the rest as a command; passes when it exits with $1 and the first
# line of its stderr is exactly $2. Leaves stdout in $T/o, stderr in $T/e.
exits_saying() {
	want_rc=$1
	want=$2
	shift 2
	"$@" >"$T/o" 2>"$T/e"
	rc=$?
	[ $rc -eq "$want_rc" ] || { echo "  exit $rc, expected $want_rc; stderr:"; cat "$T/e"; return 1; }
	first_line_is "$T/e" "$want"
}
# The file must have exactly one line, and it must contain every other argument.
one_line_with() {
	file=$1
	shift
	lines=$(wc -l <"$file")
	[ "$lines" -eq 1 ] || { echo "  expected one line, got $lines:"; cat "$file"; return 1; }
	for word in "$@"; do
		grep -q -e "$word" "$file" || { echo "  missing '$word' in: $(cat "$file")"; return 1; }
	done
}

# --- scap engines ---------------------------------------------------------------
if "$SCAP" engines >"$T/eng" 2>"$T/eng.err" && grep -Eq '^synthetic +yes' "$T/eng"; then
	ok "scap engines lists synthetic as usable"
else
	fail "scap engines does not list synthetic as usable"; cat "$T/eng" "$T/eng.err"
fi
if "$SCAP" engines --json >"$T/engj" 2>"$T/engj.err" && "$CHECK" engines <"$T/engj"; then
	ok "scap engines --json: one valid object per engine, synthetic usable"
else
	fail "scap engines --json"; cat "$T/engj" "$T/engj.err"
fi

# --- capture --json --count 1000 -----------------------------------------------------
"$SCAP" capture --engine synthetic --json --count 1000 >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "capture --count 1000 exits 0" || { fail "capture exited $rc"; cat "$T/err"; }
"$CHECK" lines 1000 <"$T/out" && ok "1000 JSON lines with the required keys, ts non-decreasing" ||
	fail "JSON lines"
grep -q '^capturing:.*synthetic' "$T/err" && ok "capturing: line names the engine" ||
	{ fail "no 'capturing:' line naming synthetic"; cat "$T/err"; }
[ "$(grep -c '^capturing:' "$T/err")" -eq 1 ] || fail "expected exactly one capturing: line"
"$CHECK" stats 1000 <"$T/err" && ok "stats: JSON with delivered=1000, records_read per buffer, no key 'events'" ||
	{ fail "stats line"; cat "$T/err"; }
# capturing: comes before stats:
[ "$(grep -n '^capturing:' "$T/err" | cut -d: -f1)" -lt "$(grep -n '^stats:' "$T/err" | cut -d: -f1)" ] ||
	fail "capturing: must come before stats:"

# --- human output -------------------------------------------------------------------
"$SCAP" capture --engine synthetic --count 50 >"$T/hum" 2>"$T/hum.err"
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <"$T/hum")" -eq 50 ] && grep -q '^stats: delivered=50 drops=' "$T/hum.err" &&
	! grep -Eq '^stats:.* events=' "$T/hum.err"; then
	ok "human output: 50 lines, 'stats: delivered=50 drops=...', no field called events"
else
	fail "human output (rc=$rc, $(wc -l <"$T/hum") lines)"; cat "$T/hum.err"
fi
# Every value is bare, "quoted" with escapes, or a [list]: a line splits
# unambiguously (docs/cli.md). LC_ALL=C: values may hold bytes >= 0x80.
Q='"([^"\\]|\\.)*"'
E="([^] \"\\\\]+|$Q)"
V="($Q|\\[($E( $E)*)?\\]|[^ \"\\\\]+)"
# ts cpu tid pid comm event dir: a number with 9 decimals, three integers, the
# thread's name as a value (NULL when the process table does not know it), a name, enter|exit
HEAD="^[0-9]+\\.[0-9]{9} [0-9]+ [0-9]+ [0-9]+ $V [^ ]+ (enter|exit)( |\$)"
if ! LC_ALL=C grep -Evq "$HEAD" "$T/hum"; then
	ok "human lines start with ts cpu tid pid comm event dir"
else
	fail "human line format:"; LC_ALL=C grep -Ev "$HEAD" "$T/hum" | head -3
fi

"$SCAP" capture --engine synthetic --count 5000 --synthetic-seed 3 >"$T/hq" 2>/dev/null
LINE="^[0-9]+\\.[0-9]{9} [0-9]+ [0-9]+ [0-9]+ $V [a-z0-9_]+ (enter|exit)( [a-z0-9_]+=$V)*( \\[(toctou|truncated|enter_unreadable)\\])*\$"
bad=$(LC_ALL=C grep -Evc "$LINE" "$T/hq")
quoted=$(LC_ALL=C grep -Ec '="[^"]* ' "$T/hq")
named=$(LC_ALL=C grep -Evc '^[^ ]+ [^ ]+ [^ ]+ [^ ]+ NULL ' "$T/hq")
if [ "$(wc -l <"$T/hq")" -eq 5000 ] && [ "$bad" -eq 0 ] && [ "$quoted" -gt 0 ] && [ "$named" -gt 0 ]; then
	ok "text values: 5000 lines split by the documented grammar ($quoted with a quoted value holding a space, $named with a comm)"
else
	fail "text value grammar: $bad lines do not parse, $quoted with quoted spaces, $named with a comm"
	LC_ALL=C grep -Ev "$LINE" "$T/hq" | head -3
fi

# --no-proc: the bare lines, ts cpu tid event dir, and no process in JSON.
"$SCAP" capture --engine synthetic --count 2000 --synthetic-seed 3 --no-proc >"$T/np" 2>"$T/np.err"
BARE="^[0-9]+\\.[0-9]{9} [0-9]+ [0-9]+ [a-z0-9_]+ (enter|exit)( [a-z0-9_]+=$V)*( \\[(toctou|truncated|enter_unreadable)\\])*\$"
"$SCAP" capture --engine synthetic --json --count 2000 --synthetic-seed 3 --no-proc >"$T/npj" 2>/dev/null
if [ "$(wc -l <"$T/np")" -eq 2000 ] && [ "$(LC_ALL=C grep -Evc "$BARE" "$T/np")" -eq 0 ] &&
	! grep -q '"proc":' "$T/npj" && ! grep -q '"pid":[0-9]*,"comm"' "$T/npj" &&
	grep -q 'proc_entries=0 proc_scans=0' "$T/np.err"; then
	ok "--no-proc: lines without pid, comm and proc; the table empty"
else
	fail "--no-proc"; LC_ALL=C grep -Ev "$BARE" "$T/np" | head -3; grep proc "$T/npj" | head -2
fi
# With the table: JSON has comm after pid and a proc object where the process is known.
"$SCAP" capture --engine synthetic --json --count 2000 --synthetic-seed 3 >"$T/pj" 2>/dev/null
if "$CHECK" lines 2000 <"$T/pj" && grep -q '"pid":[0-9]*,"comm":"' "$T/pj" && grep -q '},"proc":{' "$T/pj"; then
	ok "JSON: comm and proc where the process is known"
else
	fail "JSON comm/proc"; head -3 "$T/pj"
fi

# --- same seed, same stream --------------------------------------------------------
"$SCAP" capture --engine synthetic --json --count 200 --synthetic-seed 7 >"$T/s1" 2>/dev/null
"$SCAP" capture --engine synthetic --json --count 200 --synthetic-seed 7 >"$T/s2" 2>/dev/null
cmp -s "$T/s1" "$T/s2" && [ -s "$T/s1" ] && ok "same seed, same 200 events" || fail "synthetic stream not deterministic"

# --- end of a finite stream -----------------------------------------------------------
"$SCAP" capture --engine synthetic --json --unpaired --synthetic-events 123 >"$T/fin" 2>"$T/fin.err"
rc=$?
if [ $rc -eq 0 ] && "$CHECK" lines 123 <"$T/fin" && "$CHECK" stats 123 <"$T/fin.err"; then
	ok "a finite stream of 123 events ends with exit 0"
else
	fail "finite stream (rc=$rc)"; cat "$T/fin.err"
fi

# --- errors: non-zero exit and one line that says what and what to do -------------------
"$SCAP" capture --engine nope --count 1 >"$T/o" 2>"$T/e"
rc=$?
[ $rc -ne 0 ] && one_line_with "$T/e" "nope" "synthetic" "auto" && [ ! -s "$T/o" ] &&
	ok "unknown engine: exit $rc, one line listing the valid names" || { fail "unknown engine (rc=$rc)"; cat "$T/e"; }

"$SCAP" capture --engine synthetic --count abc >"$T/o" 2>"$T/e"
rc=$?
[ $rc -ne 0 ] && one_line_with "$T/e" "--count" "abc" &&
	ok "--count abc: exit $rc, one line naming the option and the value" || { fail "--count abc (rc=$rc)"; cat "$T/e"; }

for bad in "--count -5" "--count 12x" "--count 0" "--count 99999999999999999999" "--pid 0" \
	"--buffer-size 8X" "--buffer-size ''" "--snaplen 20000" "--duration abc" "--duration 0" \
	"--syscalls openat,,read" "--syscalls nosuchcall" "--engine-order modern_bpf,nope"; do
	eval "set -- $bad"
	"$SCAP" capture --engine synthetic "$@" >"$T/o" 2>"$T/e"
	rc=$?
	if [ $rc -eq 2 ] && one_line_with "$T/e" "$1"; then
		ok "$bad: exit 2, one line naming $1"
	else
		fail "$bad (rc=$rc)"; cat "$T/e"
	fi
done
# procexit is not a syscall but is selected by its name (the error for an unknown name says so, below).
"$SCAP" capture --engine synthetic --syscalls exit,procexit --count 1 >"$T/o" 2>"$T/e" &&
	ok "--syscalls exit,procexit accepted" || { fail "--syscalls exit,procexit"; cat "$T/e"; }
"$SCAP" capture --engine synthetic --count >"$T/o" 2>"$T/e"
rc=$?
[ $rc -eq 2 ] && one_line_with "$T/e" "--count" "needs a value" && ok "--count without a value" ||
	{ fail "--count without value (rc=$rc)"; cat "$T/e"; }
"$SCAP" capture --bogus >"$T/o" 2>"$T/e"
rc=$?
[ $rc -eq 2 ] && one_line_with "$T/e" "--bogus" && ok "unknown option" || { fail "unknown option (rc=$rc)"; cat "$T/e"; }
"$SCAP" frobnicate >"$T/o" 2>"$T/e"
rc=$?
[ $rc -eq 2 ] && one_line_with "$T/e" "frobnicate" && ok "unknown command" || fail "unknown command (rc=$rc)"

# --- sizes and numbers that are valid -----------------------------------------------
"$SCAP" capture --engine synthetic --count 10 --buffer-size 8M --snaplen 1K --cpus-per-buffer 2 \
	>"$T/o" 2>"$T/e" && [ "$(wc -l <"$T/o")" -eq 10 ] && ok "--buffer-size 8M --snaplen 1K accepted" ||
	{ fail "valid sizes rejected"; cat "$T/e"; }

# --- stops on --duration and on SIGTERM, with stats ------------------------------------
"$SCAP" capture --engine synthetic --json --duration 0.3 >/dev/null 2>"$T/e"
rc=$?
[ $rc -eq 0 ] && grep -q '^stats: {.*"stopped":"duration"' "$T/e" && ok "--duration 0.3 stops with exit 0" ||
	{ fail "--duration (rc=$rc)"; cat "$T/e"; }

# Empty first: the child truncates it only once it runs, and the loop below must not
# take the previous check's 'capturing:' line for this one's (SIGTERM before the handler).
: >"$T/e"
"$SCAP" capture --engine synthetic >/dev/null 2>"$T/e" &
pid=$!
i=0
while ! grep -q '^capturing:' "$T/e" 2>/dev/null && [ $i -lt 500 ]; do
	sleep 0.02
	i=$((i + 1))
done
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 0 ] && grep -q '^stats: delivered=[0-9]* drops=.*stopped=signal' "$T/e" &&
	ok "SIGTERM stops the capture with exit 0 and a stats line" || { fail "SIGTERM (rc=$rc)"; cat "$T/e"; }

# --- a reader that goes away ends the capture cleanly ------------------------------------
("$SCAP" capture --engine synthetic --json 2>"$T/e"; echo $? >"$T/rc") | head -n 5 >"$T/o"
rc=$(cat "$T/rc")
[ "$rc" -eq 0 ] && [ "$(wc -l <"$T/o")" -eq 5 ] && grep -q '"stopped":"output_closed"' "$T/e" &&
	ok "closed pipe: exit 0, stopped=output_closed" || { fail "closed pipe (rc=$rc)"; cat "$T/e"; }

# --- a write error stops the capture and says so, nothing is lost silently ---------------
if [ -w /dev/full ]; then
	"$SCAP" capture --engine synthetic --json --count 100000 >/dev/full 2>"$T/e"
	rc=$?
	if [ $rc -eq 1 ] && grep -q '"stopped":"error"' "$T/e" &&
		tail -n 1 "$T/e" | grep -Eq '^scap: cannot write events: No space left on device \([1-9][0-9]* events formatted but not written\)'; then
		ok "ENOSPC: exit 1, stopped=error, last line names the error and the events not written"
	else
		fail "write error (rc=$rc)"; cat "$T/e"
	fi
else
	echo "skip: no writable /dev/full, the write-error check did not run"
fi

# --- --buffer-size: one rule in the flag's terms, a note when an engine rounds ----------
for v in 0 1K 4095 2G 1025M; do
	exits_saying 2 "scap: value '$v' for --buffer-size is out of range: use 4K to 1G" \
		"$SCAP" capture --engine synthetic --count 1 --buffer-size "$v" &&
		ok "--buffer-size $v: exit 2, 'use 4K to 1G'" || fail "--buffer-size $v"
done
exits_saying 2 "scap: invalid size '8X' for --buffer-size: expected bytes, optionally with a K, M or G suffix (e.g. 8M)" \
	"$SCAP" capture --engine synthetic --count 1 --buffer-size 8X && ok "--buffer-size 8X: exit 2, what a size is" ||
	fail "--buffer-size 8X"
# The synthetic engine's rings are powers of two from 4K.
exits_saying 0 "note: --buffer-size 5000 is not a size engine synthetic supports: its buffers are 8K (8192 bytes) each" \
	"$SCAP" capture --engine synthetic --count 1 --buffer-size 5000 && ok "--buffer-size 5000: a note names the 8K it became" ||
	fail "--buffer-size 5000 rounding note"
exits_saying 0 "capturing: engine=synthetic" "$SCAP" capture --engine synthetic --count 1 --buffer-size 8K &&
	ok "--buffer-size 8K: taken as is, no note" || fail "--buffer-size 8K"

# --- replay: --syscalls and --pid apply, the kernel-buffer flags do not -----------------
"$SCAP" capture --engine synthetic --synthetic-events 4000 --synthetic-seed 5 --quiet --write "$T/rec.cap" \
	>/dev/null 2>"$T/e" || { fail "writing a capture file"; cat "$T/e"; }
"$SCAP" capture --read "$T/rec.cap" --json >"$T/all" 2>/dev/null
exits_saying 0 "note: --buffer-size does not apply to a replay (--read): ignored" \
	"$SCAP" capture --read "$T/rec.cap" --buffer-size 1K --count 1 && ok "--read with --buffer-size 1K: a note, not a refusal" ||
	fail "--read --buffer-size 1K"
exits_saying 0 "note: --snaplen does not apply to a replay (--read): ignored" \
	"$SCAP" capture --read "$T/rec.cap" --snaplen 99999 --count 1 && ok "--read with --snaplen 99999: a note" ||
	fail "--read --snaplen 99999"
exits_saying 2 "scap: invalid size '1X' for --buffer-size: expected bytes, optionally with a K, M or G suffix (e.g. 8M)" \
	"$SCAP" capture --read "$T/rec.cap" --buffer-size 1X && ok "--read with --buffer-size 1X: still a bad size" ||
	fail "--read --buffer-size 1X"
# Ground truth: the unfiltered replay; a filtered replay is exactly its matching lines, in order.
replay_filtered() { # what expected-lines-file args...
	what=$1
	want=$2
	shift 2
	"$SCAP" capture --read "$T/rec.cap" --json "$@" >"$T/got" 2>"$T/got.err"
	rc=$?
	n=$(wc -l <"$want")
	if [ $rc -eq 0 ] && [ "$n" -gt 0 ] && cmp -s "$want" "$T/got" && "$CHECK" stats "$n" <"$T/got.err"; then
		ok "replay $what: the $n matching lines of the file, in order, delivered=$n"
	else
		fail "replay $what (rc=$rc, $(wc -l <"$T/got") lines, want $n)"; head -n 3 "$T/got"; cat "$T/got.err"
	fi
}
grep -E '"event":"(openat|close|getpid)",' "$T/all" >"$T/want"
replay_filtered "--syscalls openat,close,getpid" "$T/want" --syscalls openat,close,getpid
rpid=$(head -n 1 "$T/all" | sed -n 's/.*"pid":\([0-9]*\),.*/\1/p')
grep "\"pid\":$rpid," "$T/all" >"$T/want"
replay_filtered "--pid $rpid (a recorded pid, not a running one)" "$T/want" --pid "$rpid"
grep "\"pid\":$rpid," "$T/all" | grep -E '"event":"(openat|close|getpid)",' >"$T/want"
if [ -s "$T/want" ]; then
	replay_filtered "--pid $rpid --syscalls openat,close,getpid" "$T/want" --pid "$rpid" --syscalls openat,close,getpid
else
	echo "skip: pid $rpid made none of openat, close, getpid in this file: the combined filter is not checked"
fi
# A raw (unpaired) recording: enter and exit events are filtered alike.
"$SCAP" capture --engine synthetic --synthetic-events 2000 --unpaired --quiet --write "$T/raw.cap" >/dev/null 2>&1
"$SCAP" capture --read "$T/raw.cap" --unpaired --json >"$T/rawall" 2>/dev/null
grep '"event":"openat",' "$T/rawall" >"$T/want"
if grep -q '"dir":"enter"' "$T/want" && "$SCAP" capture --read "$T/raw.cap" --unpaired --json --syscalls openat >"$T/got" 2>/dev/null &&
	cmp -s "$T/want" "$T/got"; then
	ok "replay --unpaired --syscalls openat: the $(wc -l <"$T/want") openat enters and exits of the file"
else
	fail "replay of a raw recording with --syscalls openat"
fi

# --- the synthetic engine filters in the core too ----------------------------------------
"$SCAP" capture --engine synthetic --syscalls openat --count 50 --json >"$T/o" 2>/dev/null
[ "$(wc -l <"$T/o")" -eq 50 ] && [ "$(grep -c '"event":"openat",' "$T/o")" -eq 50 ] &&
	ok "synthetic --syscalls openat --count 50: 50 openat events" || fail "synthetic --syscalls openat"
# A filter nothing passes must not hold the capture: --duration still ends it.
"$SCAP" capture --engine synthetic --pid 1 --duration 0.5 >"$T/o" 2>"$T/e"
rc=$?
[ $rc -eq 0 ] && [ ! -s "$T/o" ] && grep -q '^stats: delivered=0 .*stopped=duration' "$T/e" &&
	ok "synthetic --pid 1 (no such synthetic process): stops on --duration, delivered=0" ||
	{ fail "synthetic --pid 1 --duration 0.5 (rc=$rc)"; cat "$T/e"; }

# --- --pid and --syscalls: the library's answer, in the flags' terms ---------------------
nopid=999999
while [ -e "/proc/$nopid" ]; do nopid=$((nopid + 1)); done
exits_saying 2 "scap: invalid --pid $nopid: no process has this id (it may have exited), so the pid filter would match nothing: give the id of a running process" \
	"$SCAP" capture --pid "$nopid" --count 1 && ok "--pid $nopid (no such process): exit 2, says so" || fail "--pid $nopid"
# A thread of another process: it may end while we look, so a thread that
# is gone by the time of the check is no verdict, the next one is tried.
thread_checked=""
for t in /proc/[0-9]*/task/[0-9]*; do
	tp=${t#/proc/}
	tp=${tp%%/*}
	tid=${t##*/}
	[ "$tp" != "$tid" ] || continue
	if exits_saying 2 "scap: invalid --pid $tid: $tid is a thread of process $tp, and the pid filter keeps whole processes: use $tp" \
		"$SCAP" capture --pid "$tid" --count 1 >"$T/thr" 2>&1; then
		thread_checked=ok
		break
	fi
	[ -e "$t" ] || continue
	thread_checked=failed
	cat "$T/thr"
	break
done 2>/dev/null
case $thread_checked in
ok) ok "--pid of a thread: exit 2, names its process" ;;
failed) fail "--pid of a thread" ;;
*) echo "skip: no multi-threaded process here: the --pid thread check did not run" ;;
esac
exits_saying 2 'scap: invalid --syscalls: unknown syscall "nosuchcall" (use x86_64 syscall names such as openat, or procexit for the end of every thread)' \
	"$SCAP" capture --engine synthetic --syscalls openat,nosuchcall --count 1 &&
	ok "--syscalls nosuchcall: exit 2, the library's resolution in the flag's terms" || fail "--syscalls nosuchcall"

# --- -v: what a user can act on ----------------------------------------------------------
exits_saying 0 "scap: info: engine synthetic opened" "$SCAP" capture --engine synthetic --count 1 -v &&
	! grep -q '^scap: debug:' "$T/e" && ok "-v: the library's info lines, no debug lines" || fail "-v"

# --- kmod advice that fits the cause (probes forced: the same on every host) -------------
if "$SCAP" engines | grep -Eq '^kmod ' && "$SCAP" engines | grep -Eq '^modern_bpf ' && "$SCAP" engines | grep -Eq '^bpf '; then
	OV=kernel=6.1.0,arch=x86_64,btf=1,ringbuf=1,tp_btf=1,raw_tracepoint=1,perf_event_array=1,bpf_priv=1,kmod=0,modules=0
	NOMOD="kmod needs the scap kernel module, and this kernel cannot load modules: SCAP_PROBE_OVERRIDE says so (modules=0). Use the modern_bpf or bpf engine, or boot a kernel that loads modules."
	exits_saying 1 "scap: cannot open engine 'kmod': engine kmod cannot work on this host: $NOMOD" \
		env SCAP_PROBE_OVERRIDE=$OV "$SCAP" capture --engine kmod --count 1 &&
		ok "kmod without module support: says why, no 'build and insmod', no 'not root'" || fail "kmod without module support"
	exits_saying 1 "scap: cannot open engine 'auto': no capture engine works on this host: kmod: skipped because $NOMOD; what to do: modern_bpf and bpf are usable here but not in the engine order: add one of them, or leave the order unset for the default (modern_bpf, bpf, kmod)" \
		env SCAP_PROBE_OVERRIDE=$OV "$SCAP" capture --engine-order kmod --count 1 &&
		ok "--engine-order kmod: the advice names the usable engines left out, not root" || fail "--engine-order kmod advice"
else
	echo "skip: this build lacks kmod, modern_bpf or bpf: the kmod advice checks did not run"
fi

# --- --line-buffered: one write(2) per line; by default one per MiB or idle stream -------
if command -v strace >/dev/null 2>&1 && strace -qq -e trace=write -o "$T/st" true 2>/dev/null; then
	strace -qq -e trace=write -o "$T/st" "$SCAP" capture --engine synthetic --unpaired --synthetic-events 40 \
		--line-buffered >"$T/o" 2>/dev/null
	lb=$(grep -c '^write(1,' "$T/st")
	strace -qq -e trace=write -o "$T/st" "$SCAP" capture --engine synthetic --unpaired --synthetic-events 40 \
		>"$T/o2" 2>/dev/null
	bl=$(grep -c '^write(1,' "$T/st")
	[ "$lb" -eq 40 ] && [ "$bl" -eq 1 ] && cmp -s "$T/o" "$T/o2" && [ "$(wc -l <"$T/o")" -eq 40 ] &&
		ok "--line-buffered: 40 lines in 40 writes (1 write without it), the same bytes" ||
		fail "--line-buffered: $lb writes with it, $bl without (want 40 and 1)"
else
	echo "skip: strace is missing (scripts/setup.sh installs it): the --line-buffered write count did not run"
fi

# --- help and version -----------------------------------------------------------------
"$SCAP" --help >"$T/o" 2>&1 && grep -q 'capture' "$T/o" && ok "--help" || fail "--help"
"$SCAP" capture --help >"$T/o" 2>&1 && grep -q -- '--syscalls' "$T/o" && ok "capture --help" || fail "capture --help"
"$SCAP" --version >"$T/o" 2>&1 && grep -q '^scap [0-9]' "$T/o" && ok "--version" || fail "--version"

if [ $failures -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all CLI checks passed"
