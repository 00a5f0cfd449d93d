#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# cli_json_throughput.sh CLI BASELINE_CLI [EVENTS] [RUNS]
#
# The CLI's JSON throughput when the CLI is the bottleneck, against another
# build of it (the behaviour before a change) in the same run. A replay never
# goes idle, so this is the path a capture under load takes: every event
# decoded, formatted and written in 1 MiB blocks. Both CLIs replay the same
# capture file (EVENTS synthetic events, default 400000) as JSON, RUNS times
# each (default 7), alternating which goes first, pinned on CPU 0:
#   null   stdout is /dev/null
#   pipe   stdout is a pipe read by cat (on CPU 1)
# and the table gives the medians of events/s and of the CLI's CPU seconds
# (user + system) per million events, and the median of the per-run ratios
# CLI / baseline. Not a test: it asserts nothing but that both CLIs print
# the same bytes. Live capture (an idle stream's flushes) is measured by
# bench_live --cli-baseline.
set -euo pipefail
NEW=${1:?usage: cli_json_throughput.sh CLI BASELINE_CLI [EVENTS] [RUNS]}
BASE=${2:?usage: cli_json_throughput.sh CLI BASELINE_CLI [EVENTS] [RUNS]}
EVENTS=${3:-400000}
RUNS=${4:-7}
T=$(mktemp -d "${TMPDIR:-/tmp}/scap-cli-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

"$NEW" capture --engine synthetic --synthetic-events "$EVENTS" --synthetic-seed 11 --quiet \
	--write "$T/f.cap" 2>/dev/null
"$NEW" capture --read "$T/f.cap" --json >"$T/a" 2>/dev/null
"$BASE" capture --read "$T/f.cap" --json >"$T/b" 2>/dev/null
cmp -s "$T/a" "$T/b" || { echo "the two CLIs print different JSON for the same file" >&2; exit 1; }
LINES=$(wc -l <"$T/a")
rm -f "$T/a" "$T/b"

# Children's user + system seconds so far, from a file `times` wrote (in
# this shell: a subshell would start its count at 0).
child_cpu() {
	awk 'NR == 2 {
		split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%.4f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$1"
}

# one CLI MODE -> "events/s cpu_s_per_million"
one() {
	local cli=$1 mode=$2 t0 t1 c0 c1
	times >"$T/times0"
	t0=$(date +%s.%N)
	if [ "$mode" = null ]; then
		taskset -c 0 "$cli" capture --read "$T/f.cap" --json >/dev/null 2>"$T/err"
	else
		taskset -c 0 "$cli" capture --read "$T/f.cap" --json 2>"$T/err" | taskset -c 1 cat >/dev/null
	fi
	t1=$(date +%s.%N)
	times >"$T/times1"
	c0=$(child_cpu "$T/times0")
	c1=$(child_cpu "$T/times1")
	# In pipe mode cat's CPU is in the children's total too: subtract nothing,
	# both CLIs pay the same reader.
	awk -v n="$LINES" -v t="$(echo "$t1 - $t0" | bc -l)" -v c="$(echo "$c1 - $c0" | bc -l)" \
		'BEGIN { printf "%.0f %.4f\n", n / t, c / n * 1e6 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf 'cli_json_throughput, %s UTC, %s online CPUs, load %s; %s JSON lines per replay, %s runs each (medians)\n\n' \
	"$(date -u '+%Y-%m-%d %H:%M')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$LINES" "$RUNS"
printf 'CLI: %s\nbaseline: %s\n\n' "$NEW" "$BASE"
printf '| output | CLI events/s | baseline events/s | events/s CLI / baseline (min..max) | CPU s per M events, CLI | baseline | CPU CLI / baseline |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for mode in null pipe; do
	: >"$T/new"
	: >"$T/base"
	: >"$T/r"
	: >"$T/rc"
	for ((i = 0; i < RUNS; i++)); do
		if ((i % 2 == 0)); then
			b=$(one "$BASE" $mode)
			n=$(one "$NEW" $mode)
		else
			n=$(one "$NEW" $mode)
			b=$(one "$BASE" $mode)
		fi
		echo "$n" >>"$T/new"
		echo "$b" >>"$T/base"
		awk -v a="${n% *}" -v b="${b% *}" 'BEGIN { printf "%.4f\n", a / b }' >>"$T/r"
		awk -v a="${n#* }" -v b="${b#* }" 'BEGIN { printf "%.4f\n", a / b }' >>"$T/rc"
	done
	printf '| %s | %.0f | %.0f | %.3fx (%.3f..%.3f) | %.3f | %.3f | %.3fx |\n' "$mode" \
		"$(cut -d' ' -f1 "$T/new" | median)" "$(cut -d' ' -f1 "$T/base" | median)" \
		"$(median <"$T/r")" "$(sort -g "$T/r" | head -n1)" "$(sort -g "$T/r" | tail -n1)" \
		"$(cut -d' ' -f2 "$T/new" | median)" "$(cut -d' ' -f2 "$T/base" | median)" "$(median <"$T/rc")"
done
