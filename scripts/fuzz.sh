#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs every libFuzzer target for a fixed time from its committed corpus, as
# CI does (scripts/test.sh), and exits non-zero when one finds a crash, a
# sanitizer report or a broken invariant; the input that did it is kept in
# $SCAP_FUZZ_DIR/artifacts/ and named in the output.
#
#   scripts/fuzz.sh                    30 s per target (SCAP_FUZZ_SECONDS)
#   SCAP_FUZZ_SECONDS=600 scripts/fuzz.sh
#
# Builds the targets with clang and libFuzzer (Debian: clang, libclang-rt-14-dev)
# into $SCAP_FUZZ_DIR (default build-fuzz/), with ASan+UBSan and the whole
# library instrumented for coverage; the eBPF engines and the module's user
# half are left out (no parser of untrusted bytes there). The committed corpus
# is only read: new inputs go to a scratch directory.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${SCAP_FUZZ_DIR:-build-fuzz}
seconds=${SCAP_FUZZ_SECONDS:-30}
jobs=$(nproc 2>/dev/null || echo 2)

# target:corpus:max_len
targets=(
	"fuzz_event:test/fuzz/corpus:4096"
	"fuzz_savefile:test/fuzz/corpus_savefile:16384"
	"fuzz_proc_snapshot:test/fuzz/corpus_proc:65536" # the process table's snapshot (a capture file's PROCTABLE)
)

CC=clang CFLAGS=-fsanitize=fuzzer-no-link cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DSCAP_SANITIZE=ON \
	-DSCAP_WITH_MODERN_BPF=OFF -DSCAP_WITH_BPF=OFF -DSCAP_WITH_KMOD=OFF >/dev/null
names=()
for t in "${targets[@]}"; do
	names+=("${t%%:*}")
done
cmake --build "$dir" -j "$jobs" --target "${names[@]}"

mkdir -p "$dir/artifacts"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/scap-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
failed=0
for t in "${targets[@]}"; do
	IFS=: read -r name corpus max_len <<<"$t"
	mkdir -p "$scratch/$name"
	echo "=== $name: $seconds s from $corpus ($(ls "$corpus" | wc -l) seeds)"
	# Leaks and undefined behaviour are failures, as in the ASan unit tests.
	if ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$dir/test/fuzz/$name" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/$name-" "$scratch/$name" "$corpus" >"$scratch/$name.log" 2>&1; then
		grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$scratch/$name.log" |
			sed "s/^/$name: /" || true
		grep -E '^#[0-9]+ *DONE' "$scratch/$name.log" | sed "s/^/$name: /" || true
	else
		failed=1
		tail -n 60 "$scratch/$name.log"
		echo "=== $name: FAILED; the input is in $dir/artifacts/ (replay: $dir/test/fuzz/$name FILE)"
	fi
done
exit $failed
