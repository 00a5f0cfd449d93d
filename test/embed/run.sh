#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# scap as a downstream project sees it (docs/embedding.md), out of tree:
#   1. cmake --install of the build tree into a fresh prefix: the files are
#      there, <scap/scap.h> compiles with only -I<prefix>/include, libscap.so
#      has its SONAME and exports only the API (lib_exports' check again, on
#      the installed files);
#   2. examples/ built three ways: pkg-config against the prefix (shared, and
#      static with --static), find_package(scap) (libscap.so), and a project
#      that add_subdirectory()s the source tree (libscap.a);
#   3. a program defining names scap uses internally links with libscap.a;
#   4. the examples run, each build: capfile_reader prints a capture file
#      exactly as `scap capture --read F --wall-clock --no-proc` does (the example prints no process context); as root with a
#      live engine, exec_logger logs a known exec with its exact pid, ppid,
#      uid, exe, cwd and argv, and file_monitor logs a known open and stops
#      when its timer thread closes the handle from another thread;
#   5. no CMake file uses CMAKE_SOURCE_DIR / CMAKE_BINARY_DIR (they break
#      add_subdirectory).
# usage: test/embed/run.sh [BUILD_DIR]   (default build/, already built)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
JOBS=$(nproc 2>/dev/null || echo 2)
T=$(mktemp -d "${TMPDIR:-/tmp}/scap-embed.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
P=$T/prefix
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
step() { echo "--- $* (at ${SECONDS}s)"; }

step "install"
if ! cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1; then
	fail "cmake --install"; tail -20 "$T/install.log"; exit 1
fi
libdir=$P/lib
[ -d "$libdir" ] || libdir=$(dirname "$(find "$P" -name libscap.a | head -1)")
missing=""
for f in include/scap/scap.h include/scap/scap_schema.h include/scap/common/schema.h \
	include/scap/common/events.def bin/scap; do
	[ -e "$P/$f" ] || missing="$missing $f"
done
for f in libscap.a libscap.so pkgconfig/scap.pc cmake/scap/scapConfig.cmake cmake/scap/scapConfigVersion.cmake; do
	[ -e "$libdir/$f" ] || missing="$missing lib/$f"
done
[ -z "$missing" ] && ok "installed: headers (generated ones included), libscap.a, libscap.so, scap, scap.pc, CMake package" ||
	fail "not installed:$missing"
printf '#include <scap/scap.h>\nint main(void) { return scap_version(0, 0, 0)[0] == 0; }\n' >"$T/inc.c"
if cc -c -Wall -Werror -I"$P/include" -o "$T/inc.o" "$T/inc.c" 2>"$T/inc.err"; then
	ok "#include <scap/scap.h> with only -I<prefix>/include"
else
	fail "<scap/scap.h> does not compile with -I<prefix>/include"; cat "$T/inc.err"
fi
so=$(readlink -f "$libdir/libscap.so")
if sh "$ROOT/test/embed/check_exports.sh" "$P/include/scap/scap.h" "$ROOT/scap/libscap.map" "$so" \
	"$libdir/libscap.a" >"$T/exports.log"; then
	ok "installed libraries: $(cat "$T/exports.log"), SONAME $(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')"
else
	fail "installed libraries export more or less than the API"; cat "$T/exports.log"
fi

step "build the examples: pkg-config, find_package, add_subdirectory"
export PKG_CONFIG_PATH=$libdir/pkgconfig
declare -A BIN # way -> directory of its binaries
build_way() { # name log command...
	local name=$1 log=$T/$2.log
	shift 2
	if "$@" >"$log" 2>&1; then
		ok "examples built ($name)"
		return 0
	fi
	fail "examples do not build ($name)"; tail -25 "$log"
	return 1
}
mkdir -p "$T/pc" "$T/pcs"
build_way "pkg-config, libscap.so" pc make -C "$T/pc" -f "$ROOT/examples/Makefile" && BIN[pkg-config]=$T/pc
build_way "pkg-config --static, libscap.a" pcs make -C "$T/pcs" -f "$ROOT/examples/Makefile" STATIC=1 &&
	BIN[pkg-config-static]=$T/pcs
build_way "find_package(scap), scap::scap" fp sh -c "cmake -S '$ROOT/examples' -B '$T/fp' -DCMAKE_PREFIX_PATH='$P' &&
	cmake --build '$T/fp' -j $JOBS" && BIN[find_package]=$T/fp
build_way "add_subdirectory(scap), scap::scap_static" sub sh -c "cmake -S '$ROOT/test/embed/subproject' -B '$T/sub' \
	-DSCAP_SOURCE_DIR='$ROOT' -DCMAKE_BUILD_TYPE=Release && cmake --build '$T/sub' -j $JOBS" &&
	BIN[add_subdirectory]=$T/sub/examples
for way in pkg-config find_package; do
	[ -n "${BIN[$way]:-}" ] || continue
	# ldd's whole output first: grep -q stops reading at its match, and under pipefail the
	# loader's next line then dies of SIGPIPE and fails the pipe (CI: both ways, once).
	deps=$(LD_LIBRARY_PATH=$libdir ldd "${BIN[$way]}/exec_logger" 2>&1)
	if grep -q "libscap.so.0 => $libdir" <<<"$deps"; then
		ok "$way: the examples load libscap.so.0 from the prefix"
	else
		fail "$way: the examples do not use the installed libscap.so.0"; printf '%s\n' "$deps"
	fi
done
for way in pkg-config-static add_subdirectory; do
	[ -n "${BIN[$way]:-}" ] || continue
	deps=$(ldd "${BIN[$way]}/exec_logger" 2>&1)
	if grep -q libscap <<<"$deps"; then
		fail "$way: linked with libscap.so, not libscap.a"
	else
		ok "$way: libscap.a linked in"
	fi
done
if [ -f "$T/sub/CMakeCache.txt" ] && grep -q "^SCAP_BUILD_TESTS:BOOL=OFF" "$T/sub/CMakeCache.txt" &&
	[ ! -e "$T/sub/scap/tools/scap" ]; then
	ok "add_subdirectory: only the libraries are built (no tests, no CLI)"
elif [ -n "${BIN[add_subdirectory]:-}" ]; then
	fail "add_subdirectory builds more than the libraries"
fi

step "internal names do not clash"
cat >"$T/clash.c" <<'EOF'
/* Names libscap uses inside; a program may have its own. */
#include <stdio.h>
#include <string.h>
#include <scap/scap.h>
int mbpf_attach(void) { return 1; }
int synth_gen_new(void) { return 2; }
int scap_bufset_init(void) { return 3; }
int main(void)
{
	return !(mbpf_attach() + synth_gen_new() + scap_bufset_init() == 6 && !strcmp(scap_version(0, 0, 0), "@V@"));
}
EOF
ver=$(awk '/^#define SCAP_VERSION_(MAJOR|MINOR|PATCH) / { v = v (v == "" ? "" : ".") $3 } END { print v }' "$ROOT/include/scap/scap.h")
sed -i "s/@V@/$ver/" "$T/clash.c"
if cc -I"$P/include" -o "$T/clash" "$T/clash.c" "$libdir/libscap.a" $(pkg-config --static --libs-only-l scap | sed 's/-lscap//') \
	-lpthread 2>"$T/clash.err" && "$T/clash"; then
	ok "a program defining mbpf_attach, synth_gen_new and scap_bufset_init links with libscap.a (scap_version $ver)"
else
	fail "libscap.a clashes with a program's own names"; cat "$T/clash.err"
fi

step "run the examples"
"$BUILD/tools/scap" capture --engine synthetic --synthetic-events 2000 --quiet --write "$T/f.scap" 2>/dev/null
"$BUILD/tools/scap" capture --read "$T/f.scap" --wall-clock --no-proc >"$T/f.cli" 2>/dev/null
live=""
if [ "$(id -u)" -ne 0 ]; then
	live="not root"
elif ! "$BUILD/tools/scap" engines 2>/dev/null | grep -Eq '^(modern_bpf|bpf) +yes'; then
	live="no eBPF engine usable here"
fi
[ -n "$live" ] && echo "live examples skipped: $live (they need root and an eBPF engine)"

# Waits until FILE has a line matching RE, at most 30 s (for a start-up, not a speed requirement).
wait_for() {
	for _ in $(seq 300); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

for way in "${!BIN[@]}"; do
	d=${BIN[$way]}
	if LD_LIBRARY_PATH=$libdir "$d/capfile_reader" "$T/f.scap" >"$T/$way.read" 2>"$T/$way.read.err" &&
		cmp -s "$T/$way.read" "$T/f.cli" && [ -s "$T/f.cli" ]; then
		ok "$way: capfile_reader prints the file as scap capture --read --wall-clock --no-proc ($(wc -l <"$T/f.cli") lines; $(cat "$T/$way.read.err"))"
	else
		fail "$way: capfile_reader's output differs from the CLI's"; head -3 "$T/$way.read.err"
		diff "$T/$way.read" "$T/f.cli" | head -5
	fi
	[ -n "$live" ] && continue

	# exec_logger: one known exec, matched by its pid.
	LD_LIBRARY_PATH=$libdir timeout 60 "$d/exec_logger" >"$T/$way.exec" 2>"$T/$way.exec.err" &
	lpid=$!
	if ! wait_for "$T/$way.exec.err" "capturing with"; then
		fail "$way: exec_logger did not start: $(cat "$T/$way.exec.err")"
		kill $lpid 2>/dev/null
		wait $lpid 2>/dev/null
		continue
	fi
	marker="scap-embed-$way-$$"
	sh -c 'cd "$1" && echo $$ >"$2" && exec /bin/echo "$3" second-arg' sh "$T" "$T/$way.pid" "$marker" >/dev/null
	cpid=$(cat "$T/$way.pid")
	want="pid=$cpid ppid=$$ uid=0 gid=0 comm=echo exe=/usr/bin/echo cwd=$T cgroup=[^ ]* argv=\[/bin/echo $marker second-arg\] res=0\$"
	if wait_for "$T/$way.exec" "^[0-9T:.-]*Z $want"; then
		ok "$way: exec_logger: $(grep "pid=$cpid " "$T/$way.exec" | head -1)"
	else
		fail "$way: exec_logger did not log the exec of pid $cpid as expected ($want)"
		grep -e "$marker" -e "pid=$cpid " "$T/$way.exec" | head -3
	fi
	kill $lpid 2>/dev/null
	wait $lpid 2>/dev/null

	# file_monitor: a known open by a known pid; its timer thread closes the handle.
	LD_LIBRARY_PATH=$libdir timeout 60 "$d/file_monitor" --seconds 3 >"$T/$way.files" 2>"$T/$way.files.err" &
	lpid=$!
	if ! wait_for "$T/$way.files.err" "capturing with"; then
		fail "$way: file_monitor did not start: $(cat "$T/$way.files.err")"
		kill $lpid 2>/dev/null
		wait $lpid 2>/dev/null
		continue
	fi
	touch "$T/$way.opened"
	sh -c 'echo $$ >"$1"; exec cat "$2"' sh "$T/$way.pid2" "$T/$way.opened" >/dev/null
	cpid=$(cat "$T/$way.pid2")
	wait $lpid
	rc=$?
	want="pid=$cpid tid=$cpid openat $T/$way.opened flags=O_RDONLY res=[0-9]*\$"
	if [ $rc -eq 0 ] && grep -q "^[0-9T:.-]*Z $want" "$T/$way.files"; then
		ok "$way: file_monitor: $(grep "pid=$cpid .*$way.opened" "$T/$way.files" | head -1); stopped by scap_close from its timer thread (exit 0)"
	else
		fail "$way: file_monitor (exit $rc) did not log the open of $T/$way.opened by pid $cpid ($want)"
		grep "pid=$cpid " "$T/$way.files" | head -3
		cat "$T/$way.files.err"
	fi
done

step "CMake files"
bad=$(cd "$ROOT" && git ls-files '*CMakeLists.txt' '*.cmake' 2>/dev/null | xargs grep -ln 'CMAKE_SOURCE_DIR\|CMAKE_BINARY_DIR' 2>/dev/null |
	grep -v '^CMakeLists.txt$')
top=$(grep -n 'CMAKE_SOURCE_DIR\|CMAKE_BINARY_DIR' "$ROOT/CMakeLists.txt" | grep -v 'CMAKE_CURRENT_SOURCE_DIR STREQUAL CMAKE_SOURCE_DIR')
if [ -z "$bad" ] && [ -z "$top" ]; then
	ok "no CMake file uses CMAKE_SOURCE_DIR or CMAKE_BINARY_DIR (PROJECT_/CMAKE_CURRENT_ ones work under add_subdirectory)"
else
	fail "CMAKE_SOURCE_DIR/CMAKE_BINARY_DIR in: $bad $top (use PROJECT_SOURCE_DIR/PROJECT_BINARY_DIR)"
fi

echo
[ $failures -eq 0 ] && echo "embedding: all checks passed" || echo "embedding: $failures check(s) failed"
exit $((failures != 0))
