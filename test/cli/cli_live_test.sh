#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The CLI contract with a live engine ("auto"): needs root, else exits 77 (skip).
# usage: cli_live_test.sh <scap binary> <json_check binary>
set -u
SCAP=$1
CHECK=$2
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: live capture needs root"
	exit 77
fi
if ! "$SCAP" engines --json | grep -Eq '"name":"(modern_bpf|bpf|kmod)","usable":true'; then
	echo "SKIP: no live engine is usable here:"
	"$SCAP" engines
	exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/scap-cli-live.XXXXXX") || exit 1
trap 'kill $busy 2>/dev/null; rm -rf "$T"' EXIT INT TERM
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

# Something to capture, whatever else the machine does.
( while :; do cat /etc/hostname >/dev/null; done ) &
busy=$!

"$SCAP" capture --json --count 500 >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && ok "auto capture --json --count 500 exits 0" || { fail "exit $rc"; cat "$T/err"; }
"$CHECK" lines 500 <"$T/out" && ok "500 JSON lines, required keys, ts non-decreasing" || fail "JSON lines"
"$CHECK" stats 500 <"$T/err" && ok "stats: JSON with events=500" || { fail "stats line"; cat "$T/err"; }
engine=$(sed -n 's/^capturing: engine=\([a-z_]*\).*/\1/p' "$T/err")
case "$engine" in
modern_bpf | bpf | kmod) ok "capturing: names the live engine ($engine)" ;;
*) fail "capturing: line does not name a live engine"; cat "$T/err" ;;
esac
grep -q "^auto: $engine: chosen" "$T/err" && ok "auto's report is printed before capturing:" ||
	{ fail "no 'auto: $engine: chosen' line"; cat "$T/err"; }

# --syscalls: only the selected syscall comes out.
"$SCAP" capture --json --syscalls openat --count 20 >"$T/sel" 2>"$T/sel.err"
rc=$?
if [ $rc -eq 0 ] && "$CHECK" lines 20 <"$T/sel" && ! grep -v '"event":"openat"' "$T/sel" | grep -q .; then
	ok "--syscalls openat: 20 openat events and nothing else"
else
	fail "--syscalls openat (rc=$rc)"; head -3 "$T/sel"; cat "$T/sel.err"
fi

# The process table: each cat of the loop, started during the capture (its fork
# and exec captured for the table, not printed), resolves to its process.
cat_exe=$(readlink -f "$(command -v cat)")
"$SCAP" capture --json --syscalls openat --duration 2 >"$T/pt" 2>"$T/pt.err"
want="\"comm\":\"cat\",\"event\":\"openat\",\"dir\":\"exit\",\"params\":{\"res\":[0-9]*,\"dirfd\":-100,\"pathname\":\"/etc/hostname\",[^}]*},\"proc\":{\"exe\":\"$cat_exe\",\"ppid\":$busy,\"uid\":0,\"gid\":0,\"cwd\":\"$(pwd -P)\",\"container_id\":\"[0-9a-fhost]*\"}"
if grep -q "$want" "$T/pt" && ! grep -v '"event":"openat"' "$T/pt" | grep -q .; then
	ok "process table: cat's openat of /etc/hostname carries comm cat and its process (exe, ppid $busy, ids, cwd)"
else
	fail "process table: no line matching $want"; grep '/etc/hostname' "$T/pt" | head -2; tail -2 "$T/pt.err"
fi
"$SCAP" capture --json --syscalls openat --duration 1 --no-proc >"$T/np" 2>"$T/np.err"
if grep -q '"pathname":"/etc/hostname"' "$T/np" && ! grep -q '"proc":\|"pid":[0-9]*,"comm"' "$T/np" &&
	grep -q '"proc_entries":0,"proc_scans":0' "$T/np.err"; then
	ok "--no-proc: no comm, no proc, no table"
else
	fail "--no-proc"; head -2 "$T/np"; tail -1 "$T/np.err"
fi

# --syscalls procexit: the end of a process of ours, with its exit code.
"$SCAP" capture --json --syscalls procexit --duration 4 >"$T/px" 2>"$T/px.err" &
cap=$!
n=0
while ! grep -q '^capturing:' "$T/px.err" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
sh -c 'exit 3' &
child=$!
wait $child
wait $cap
if grep "\"tid\":$child," "$T/px" | grep '"event":"procexit"' | grep -q '"code":3,'; then
	ok "--syscalls procexit: the child's end with code 3"
else
	fail "--syscalls procexit: no procexit of tid $child with code 3"; grep "\"tid\":$child," "$T/px" | head -3; tail -2 "$T/px.err"
fi

# Not root: one line that says so (run as nobody when the binary is reachable).
if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups "$SCAP" --version >/dev/null 2>&1; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SCAP" capture --count 1 >"$T/o" 2>"$T/e"
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$T/e")" -eq 1 ] && grep -q "root" "$T/e"; then
		ok "as nobody: exit 1, one line mentioning root"
	else
		fail "as nobody (rc=$rc)"; cat "$T/e"
	fi
else
	echo "note: cannot run $SCAP as nobody here (setpriv or path permissions): not-root check left out"
fi

if [ $failures -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all live CLI checks passed"
