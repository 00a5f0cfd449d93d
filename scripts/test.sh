#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs every test scap has, and exits non-zero when any of them failed:
#   1. build/ (Release): ctest — unit tests, the CLI test, and the live tests
#      (which capture from this kernel as root, and skip themselves otherwise);
#   2. test/embed/run.sh on build/: cmake --install into a fresh prefix, the
#      examples built out of tree with pkg-config, find_package and
#      add_subdirectory, and run;
#   3. build-asan/ (AddressSanitizer + UndefinedBehaviorSanitizer): ctest
#      without the tests labelled "live", then (a step of its own) the "live"
#      tests: the engines' user-space paths (buffers, reconfiguration, the
#      capture file) under the sanitizers with real events;
#   4. scripts/fuzz.sh: every libFuzzer target for SCAP_FUZZ_SECONDS (30 s)
#      from its committed corpus (clang build in build-fuzz/; about 2.5 minutes
#      in all on CI's 2 cores, the build included);
#   5. build-tsan/ (ThreadSanitizer): the thread-safety tests (test_threads,
#      and as root scap_threads_live and scap_reconfig_live with modern_bpf and
#      bpf); a data race fails;
#   6. test/vm/run.sh, when it exists: the kernel module and the engines on
#      Debian 12's 6.1 and 6.12, Debian 11's 5.10 and Ubuntu's 5.4, 4.15
#      and 4.4 kernels under qemu, Debian 12's and 11's arm64 kernels
#      (6.1, 5.10) under qemu-system-aarch64, Debian 12's ppc64el kernels
#      (6.1, 6.12) under qemu-system-ppc64, Debian 13's riscv64 6.12 (the
#      module's own checks) and Debian 12's s390x 6.1 under qemu-system-riscv64
#      and qemu-system-s390x (about 29 minutes of the whole run's 41).
# Run scripts/setup.sh first on a fresh machine (it installs the packages).
# SCAP_BUILD_DIR, SCAP_ASAN_BUILD_DIR and SCAP_TSAN_BUILD_DIR move the build
# trees elsewhere.
set -uo pipefail
cd "$(dirname "$0")/.."

rel_dir=${SCAP_BUILD_DIR:-build}
asan_dir=${SCAP_ASAN_BUILD_DIR:-build-asan}
tsan_dir=${SCAP_TSAN_BUILD_DIR:-build-tsan}

jobs=$(nproc 2>/dev/null || echo 2)
log=$(mktemp "${TMPDIR:-/tmp}/scap-test.XXXXXX")
trap 'rm -f "$log"' EXIT
failed=()
summary=()

# step NAME CMD...: runs CMD, records its result, keeps going.
step() {
	local name=$1 t0=$SECONDS ok=1
	shift
	echo "=== $name"
	if "$@" 2>&1 | tee "$log"; then
		echo "=== $name: passed ($((SECONDS - t0)) s)"
	else
		echo "=== $name: FAILED ($((SECONDS - t0)) s)"
		failed+=("$name")
		ok=0
	fi
	summary+=("$name: $((SECONDS - t0)) s")
	# ctest's own summary lines ("100% tests passed, ...", "The following tests
	# FAILED:" and the tests it lists).
	while IFS= read -r line; do
		summary+=("$name: $line")
	done < <(grep -E '^[0-9]+% tests passed|^The following tests|^[[:space:]]+[0-9]+ - .*\(|^Total Test time' "$log" || true)
	# A failed step's reasons, repeated here because a long log is often read
	# only from its end: the live tests' "FAIL name: reason" lines, and the VM
	# runner's verdicts and "FAIL detail:" lines (which name each failed check
	# of a guest and its output). Bounded, so that a step failing everywhere
	# cannot bury the summary.
	[ "$ok" = 1 ] && return 0
	while IFS= read -r line; do
		summary+=("$name: $line")
	done < <(tr -d '\r' <"$log" | grep -a -E '^FAIL |^\[vm\] .*: (FAIL|CRASH|TIMEOUT)' | head -n 40 || true)
}

build_release() {
	cmake -S . -B "$rel_dir" -DCMAKE_BUILD_TYPE=Release && cmake --build "$rel_dir" -j "$jobs"
}
build_asan() {
	cmake -S . -B "$asan_dir" -DCMAKE_BUILD_TYPE=Debug -DSCAP_SANITIZE=ON &&
		cmake --build "$asan_dir" -j "$jobs"
}
ctest_release() {
	ctest --test-dir "$rel_dir" --output-on-failure
}
ctest_asan() {
	# A leak or undefined behaviour fails the test, not just a line in its log.
	ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		ctest --test-dir "$asan_dir" --output-on-failure -LE live
}
ctest_asan_live() {
	ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		ctest --test-dir "$asan_dir" --output-on-failure -L live
}

# Only the thread tests and what they link: the whole tree is not needed here.
build_tsan() {
	cmake -S . -B "$tsan_dir" -DCMAKE_BUILD_TYPE=Debug -DSCAP_TSAN=ON &&
		cmake --build "$tsan_dir" -j "$jobs" --target test_threads scap_threads_live scap_reconfig_live
}
run_tsan() {
	local rc=0 e
	export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
	"$tsan_dir/test/unit/test_threads" || rc=1
	for e in modern_bpf bpf; do
		"$tsan_dir/test/live/scap_threads_live" "$e"
		case $? in 0 | 77) ;; *) rc=1 ;; esac
		# Settings changed on one thread while another reads.
		SCAP_RECONFIG_PHASES=3 "$tsan_dir/test/live/scap_reconfig_live" "$e"
		case $? in 0 | 77) ;; *) rc=1 ;; esac
	done
	return $rc
}

step "build (Release)" build_release
if [[ ! " ${failed[*]-} " =~ "build (Release)" ]]; then
	step "tests (Release)" ctest_release
	step "embedding (test/embed/run.sh)" bash test/embed/run.sh "$rel_dir"
fi
step "build (ASan+UBSan)" build_asan
if [[ ! " ${failed[*]-} " =~ "build (ASan+UBSan)" ]]; then
	step "unit tests (ASan+UBSan)" ctest_asan
	step "live tests (ASan+UBSan)" ctest_asan_live
fi
step "fuzz (scripts/fuzz.sh, ${SCAP_FUZZ_SECONDS:-30} s per target)" scripts/fuzz.sh
step "build (ThreadSanitizer)" build_tsan
if [[ ! " ${failed[*]-} " =~ "build (ThreadSanitizer)" ]]; then
	step "thread tests (ThreadSanitizer)" run_tsan
fi
if [ -x test/vm/run.sh ] || [ -f test/vm/run.sh ]; then
	step "VM tests (test/vm/run.sh)" bash test/vm/run.sh
else
	echo "=== VM tests: test/vm/run.sh does not exist, nothing to run"
	summary+=("VM tests: not present")
fi

echo
echo "=== summary"
for line in "${summary[@]}"; do
	echo "$line"
done
if [ ${#failed[@]} -ne 0 ]; then
	for f in "${failed[@]}"; do
		echo "FAILED: $f"
	done
	exit 1
fi
echo "all test steps passed"
