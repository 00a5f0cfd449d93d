#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# prog_cost.sh: what each BPF program of a capture costs per run, from the
# kernel's own accounting (kernel.bpf_stats_enabled: run_cnt, run_time_ns of
# every program), while a workload runs on another CPU. A per-event cost this
# way does not depend on the host's load the way a syscall rate does: it is
# the time spent inside the programs, not the time the workload got.
#
#   bench/prog_cost.sh [-w openat|getppid] [-s SECONDS] [-r RUNS] -- CONSUMER...
#
# CONSUMER is any command that captures until SIGTERM, started on CPU 0, e.g.
#   bench/prog_cost.sh -- build/tools/scap capture --engine modern_bpf
# (its output goes to /dev/null). The workload (openat+close of a file on
# /dev/shm, or getppid) runs pinned on CPU 1 for SECONDS once the consumer's
# programs are loaded. Prints, per run, each program that ran over 1000 times:
# its runs and mean ns per run (stats on add a clock read to every run: compare
# figures taken this way with each other, not with bench_live's).
# Needs root, bpftool, taskset, python3. Leaves kernel.bpf_stats_enabled as it found it.
set -u
W=openat S=2 R=3
while getopts "w:s:r:" o; do
	case $o in w) W=$OPTARG ;; s) S=$OPTARG ;; r) R=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "prog_cost: give the consumer command after --" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "prog_cost: run as root (bpf stats, bpftool)" >&2; exit 2; }
case $W in openat|getppid) ;; *) echo "prog_cost: unknown workload '$W' (openat, getppid)" >&2; exit 2 ;; esac
for t in bpftool taskset python3; do command -v $t >/dev/null || { echo "prog_cost: missing $t" >&2; exit 2; }; done

old=$(cat /proc/sys/kernel/bpf_stats_enabled)
trap 'sysctl -qw kernel.bpf_stats_enabled=$old' EXIT
sysctl -qw kernel.bpf_stats_enabled=1
T=$(mktemp -d)
progs() { bpftool prog show -j 2>/dev/null || echo '[]'; }

for run in $(seq 1 "$R"); do
	n0=$(progs | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	taskset -c 0 "$@" >/dev/null 2>"$T/err" &
	pid=$!
	# Loaded: the number of programs grew and stayed put for half a second.
	prev=-1
	for i in $(seq 1 200); do
		kill -0 $pid 2>/dev/null || { echo "prog_cost: the consumer exited:" >&2; cat "$T/err" >&2; exit 1; }
		n=$(progs | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
		[ "$n" -gt "$n0" ] && [ "$n" = "$prev" ] && break
		prev=$n
		sleep 0.5
	done
	progs >"$T/before"
	taskset -c 1 python3 - "$W" "$S" <<'EOF'
import os, sys, time
w, secs = sys.argv[1], float(sys.argv[2])
path = '/dev/shm/prog_cost.%d' % os.getpid()
open(path, 'w').close()
end = time.monotonic() + secs
n = 0
while time.monotonic() < end:
    for _ in range(1000):
        if w == 'openat':
            os.close(os.open(path, os.O_RDONLY))
        else:
            os.getppid()
    n += 1000
os.unlink(path)
print('workload %s: %d loops in %.1f s' % (w, n, secs))
EOF
	progs >"$T/after"
	kill -TERM $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo "run $run/$R; the consumer's last words: $(tail -n 1 "$T/err")"
	python3 - "$T/before" "$T/after" <<'EOF'
import json, sys
b = {p['id']: p for p in json.load(open(sys.argv[1]))}
for p in json.load(open(sys.argv[2])):
    q = b.get(p['id'])
    if not q or 'run_cnt' not in p:
        continue
    n = p['run_cnt'] - q.get('run_cnt', 0)
    t = p['run_time_ns'] - q.get('run_time_ns', 0)
    if n > 1000:
        print('  %-28s runs=%9d  ns/run=%7.1f' % (p.get('name', '?'), n, t / n))
EOF
done
rm -rf "$T"
