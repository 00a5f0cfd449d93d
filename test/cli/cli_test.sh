#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The CLI contract of issue 2, checked with the synthetic engine (no root).
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
"$CHECK" stats 1000 <"$T/err" && ok "stats: JSON with events=1000 and drops" || { fail "stats line"; cat "$T/err"; }
# capturing: comes before stats:
[ "$(grep -n '^capturing:' "$T/err" | cut -d: -f1)" -lt "$(grep -n '^stats:' "$T/err" | cut -d: -f1)" ] ||
	fail "capturing: must come before stats:"

# --- human output -------------------------------------------------------------------
"$SCAP" capture --engine synthetic --count 50 >"$T/hum" 2>"$T/hum.err"
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <"$T/hum")" -eq 50 ] && grep -q '^stats: events=50 drops=' "$T/hum.err"; then
	ok "human output: 50 lines, 'stats: events=50 drops=...'"
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
# procexit is not a syscall but is selected by its name; the error for an unknown name says so.
"$SCAP" capture --engine synthetic --syscalls exit,procexit --count 1 >"$T/o" 2>"$T/e" &&
	ok "--syscalls exit,procexit accepted" || { fail "--syscalls exit,procexit"; cat "$T/e"; }
"$SCAP" capture --engine synthetic --syscalls nosuchcall >"$T/o" 2>"$T/e"
one_line_with "$T/e" "nosuchcall" "procexit" && ok "--syscalls nosuchcall: the message names procexit" ||
	{ fail "--syscalls nosuchcall message"; cat "$T/e"; }
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
[ $rc -eq 0 ] && grep -q '^stats: events=[0-9]* drops=.*stopped=signal' "$T/e" &&
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

# --- help and version -----------------------------------------------------------------
"$SCAP" --help >"$T/o" 2>&1 && grep -q 'capture' "$T/o" && ok "--help" || fail "--help"
"$SCAP" capture --help >"$T/o" 2>&1 && grep -q -- '--syscalls' "$T/o" && ok "capture --help" || fail "capture --help"
"$SCAP" --version >"$T/o" 2>&1 && grep -q '^scap [0-9]' "$T/o" && ok "--version" || fail "--version"

if [ $failures -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all CLI checks passed"
