#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Stops that drain (issue 17, item 3), with each live engine usable here: a
# --duration stop, and one that comes while the reader was stopped (SIGSTOP)
# with the kernel buffers full, deliver everything the kernel side stored:
# delivered = kernel_events, unread=0 (drops are counted apart).
# Needs root, else exits 77 (skip).
# usage: cli_drain_live_test.sh <scap binary>
set -u
SCAP=$1
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: live capture needs root"
	exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/scap-cli-drain.XXXXXX") || exit 1
load=
watchdog=
trap '[ -n "$load" ] && kill $load 2>/dev/null; [ -n "$watchdog" ] && kill $watchdog 2>/dev/null; rm -rf "$T"' EXIT INT TERM
failures=0
ran=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
field() { # name file: the value of name= in the stats line
	sed -n "s/^stats: .* $1=\([0-9]*\) .*/\1/p; s/^stats: $1=\([0-9]*\) .*/\1/p" "$2" | tail -n 1
}

# A process making read(2) calls as fast as it can, captured by its pid alone.
# Under timeout(1), so that it ends even if this script is killed (ctest's
# timeout, SIGKILL) before its trap runs; the pid captured is dd's own.
timeout 300 dd if=/dev/zero of=/dev/null bs=1 count=2000000000 2>/dev/null &
watchdog=$!
for _ in $(seq 50); do
	load=$(pgrep -P "$watchdog" -x dd) && break
	sleep 0.1
done
[ -n "$load" ] || { echo "FAIL: the dd load did not start"; exit 1; }

for engine in modern_bpf bpf kmod; do
	if ! "$SCAP" engines | grep -Eq "^$engine +yes"; then
		echo "skip: engine $engine is not usable here"
		continue
	fi
	ran=$((ran + 1))
	# 1. --duration: the stop drains the buffers.
	"$SCAP" capture --engine "$engine" --pid "$load" --syscalls read --duration 1 --quiet 2>"$T/e"
	rc=$?
	ev=$(field delivered "$T/e"); ke=$(field kernel_events "$T/e"); ur=$(field unread "$T/e")
	if [ $rc -eq 0 ] && [ -n "$ev" ] && [ "$ev" -gt 0 ] && [ "$ev" = "$ke" ] && [ "$ur" = 0 ]; then
		ok "$engine --duration 1: $ev delivered = kernel_events $ke, unread 0"
	else
		fail "$engine --duration 1 (rc=$rc): events=$ev kernel_events=$ke unread=$ur"; cat "$T/e"
	fi
	# 2. The duration expires while the reader is stopped: the buffers are full, then drained.
	: >"$T/e"
	"$SCAP" capture --engine "$engine" --pid "$load" --syscalls read --duration 1 --quiet \
		--buffer-size 1M 2>"$T/e" &
	cap=$!
	# Stopped once capture runs (loading the programs takes a while).
	i=0
	while ! grep -q '^capturing:' "$T/e" && [ $i -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
	done
	sleep 0.2
	kill -STOP $cap
	sleep 2
	kill -CONT $cap
	wait $cap
	rc=$?
	ev=$(field delivered "$T/e"); ke=$(field kernel_events "$T/e"); ur=$(field unread "$T/e")
	dr=$(field drops "$T/e")
	if [ $rc -eq 0 ] && [ -n "$ev" ] && [ "$ev" = "$ke" ] && [ "$ur" = 0 ] && [ "${dr:-0}" -gt 0 ]; then
		ok "$engine, expired while stopped: $ev delivered = kernel_events, unread 0, $dr drops counted"
	else
		fail "$engine, expired while stopped (rc=$rc): events=$ev kernel_events=$ke unread=$ur drops=$dr"
		cat "$T/e"
	fi
done
if [ $ran -eq 0 ]; then
	echo "SKIP: no live engine is usable here"
	exit 77
fi
if [ $failures -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all drain checks passed"
