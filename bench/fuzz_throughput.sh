#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Inputs per CPU-second of a libFuzzer target, against a baseline build of the
# same target, in one run: both binaries replay the same inputs (-runs=0)
# alternately, ROUNDS times; the CPU time (user + system, which a shared,
# loaded host distorts far less than wall time) of a run over one input is
# taken off as start-up, and the medians are compared.
#
#   bench/fuzz_throughput.sh BASELINE_BINARY NEW_BINARY INPUT_DIR [ROUNDS]
#
# For issue 17: BASELINE_BINARY is fuzz_savefile built from the commit before
# (git archive ... | tar -x; CC=clang CFLAGS=-fsanitize=fuzzer-no-link cmake
# -DSCAP_SANITIZE=ON ...), NEW_BINARY the current one (scripts/fuzz.sh builds
# it into build-fuzz/), INPUT_DIR inputs both can read.
set -euo pipefail
base=$1
new=$2
inputs=$3
rounds=${4:-5}
n=$(find "$inputs" -maxdepth 1 -type f | wc -l)
one=$(mktemp -d "${TMPDIR:-/tmp}/scap-fuzzbench.XXXXXX")
trap 'rm -rf "$one"' EXIT
cp "$(find "$inputs" -maxdepth 1 -type f | head -n 1)" "$one/"

cpu() { # binary dir -> seconds of CPU
	/usr/bin/time -f '%U %S' "$1" -runs=0 -max_len=1048576 "$2" 2>&1 >/dev/null | tail -n 1 |
		awk '{ printf "%.3f\n", $1 + $2 }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

declare -a b_all n_all b_one n_one
for ((r = 0; r < rounds; r++)); do
	b_all+=("$(cpu "$base" "$inputs")")
	n_all+=("$(cpu "$new" "$inputs")")
	b_one+=("$(cpu "$base" "$one")")
	n_one+=("$(cpu "$new" "$one")")
done
mb=$(printf '%s\n' "${b_all[@]}" | median)
mn=$(printf '%s\n' "${n_all[@]}" | median)
sb=$(printf '%s\n' "${b_one[@]}" | median)
sn=$(printf '%s\n' "${n_one[@]}" | median)
awk -v n="$n" -v mb="$mb" -v mn="$mn" -v sb="$sb" -v sn="$sn" -v r="$rounds" 'BEGIN {
	pb = (mb - sb) / n; pn = (mn - sn) / n
	printf "%d inputs, medians of %d rounds (CPU seconds, user + system)\n", n, r
	printf "baseline: %.3f s in all, %.3f s start-up: %.3f ms per input, %.0f inputs per CPU-second\n", mb, sb, pb * 1000, 1 / pb
	printf "new:      %.3f s in all, %.3f s start-up: %.3f ms per input, %.0f inputs per CPU-second\n", mn, sn, pn * 1000, 1 / pn
	printf "ratio new/baseline inputs per CPU-second: %.1fx\n", pb / pn
}'
