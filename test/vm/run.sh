#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The VM test: for each kernel in the list, builds the scap kernel
# module against that kernel's packaged headers, boots the kernel under qemu
# (TCG) with a busybox initramfs and runs test/vm/guest.sh inside: the
# module's own checks, the live and conformance suites for every engine in the
# build, the "auto" choice, and load/unload cycles with capture active.
#
# Exits 0 only when every check passed on every kernel; 1 when one failed; 2
# on a set-up problem (missing tool, download failure). Nothing is installed:
# each kernel's packages are fetched through a private apt state and unpacked
# under the work directory, test/vm/work/ (or $SCAP_VM_WORK), never committed.
#
#   test/vm/run.sh              Debian 12's kernels (6.1, and 6.12 from bookworm-security),
#                                    Debian 11's (5.10), and Ubuntu 20.04's (5.4),
#                                    18.04's (4.15), 16.04's (4.4); Debian 12's
#                                    and 11's arm64 kernels (6.1, 5.10); Debian
#                                    12's ppc64el kernels (6.1, 6.12); Debian 13's
#                                    riscv64 (6.12); and Debian 12's s390x 6.1
#   SCAP_VM_KERNELS="bullseye" test/vm/run.sh   only Debian 11's newest kernel
#   SCAP_VM_KERNELS="bookworm:6.1.0-56-amd64" test/vm/run.sh   a given ABI
#   SCAP_VM_KERNELS="arm64-bookworm" test/vm/run.sh   Debian 12's arm64 kernel under
#                                    qemu-system-aarch64: the module cross-built
#                                    against its headers, the library, CLI and
#                                    tests cross-compiled (cmake/aarch64.cmake)
#                                    with the eBPF programs compiled against
#                                    that kernel's BTF (also arm64-bullseye)
#   SCAP_VM_KERNELS="ppc64el-bookworm ppc64el-bookworm:6.12" test/vm/run.sh   Debian 12's
#                                    ppc64el kernels (6.1, and the 6.12 backport: the
#                                    only one with BTF, so modern_bpf is compiled
#                                    against it and checked there) under
#                                    qemu-system-ppc64 -M pseries (cmake/ppc64le.cmake)
#   SCAP_VM_KERNELS="riscv64-trixie" test/vm/run.sh   Debian 13's riscv64 kernel (6.12; Debian
#                                    12 has no riscv64 port) under qemu-system-riscv64 -M virt
#                                    with Debian 12's OpenSBI: the module cross-built against its
#                                    headers and checked by kmod_check; the library cannot be
#                                    built for riscv64 (Debian 12 has no riscv64 libbpf, libelf,
#                                    zlib), so its checks are skipped with that reason; in the
#                                    default list after three runs in a row passed
#   SCAP_VM_KERNELS="s390x-bookworm s390x-bookworm:6.12" test/vm/run.sh   Debian 12's
#                                    s390x kernels (6.1 and the 6.12 backport), big-endian,
#                                    under qemu-system-s390x -M s390-ccw-virtio
#                                    (cmake/s390x.cmake; scripts/cross-sysroot.sh); 6.1
#                                    is in the default list after three runs in a row
#                                    passed; 6.12's teardown outlasts the timeout there
#   SCAP_VM_KERNELS="ubuntu-bionic" test/vm/run.sh   Ubuntu 18.04's newest 4.15
#                                    (or ubuntu-bionic:4.15.0-213-generic); below
#                                    kmod's minimum kernel only the eBPF checks run
#   SCAP_VM_GUEST=my-guest.sh test/vm/run.sh   run another guest script
#   SCAP_VM_ACCEL=tcg test/vm/run.sh   multi-threaded TCG (see ACCEL below)
#   SCAP_VM_BENCH=1 test/vm/run.sh   also run bench_live in the guest after the
#                                    checks (figures only: TCG distorts them);
#                                    SCAP_VM_BENCH_ARGS="--only fork" narrows it
#   SCAP_VM_APPEND="clocksource=hpet" test/vm/run.sh   more kernel parameters
#   SCAP_VM_ARCHIVE=URL SCAP_VM_SECURITY=URL   Debian mirrors (default: the
#                                    ones this host's apt uses)
set -u
set -o pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${SCAP_VM_WORK:-$ROOT/test/vm/work}
QEMU_TIMEOUT=${SCAP_VM_TIMEOUT:-480}
JOBS=${SCAP_VM_JOBS:-2}
# arm64-bullseye is pinned to the ABI of bullseye's main archive: the security
# archive's arm64 packages were missing on the mirror (404, docs/engines.md).
KERNELS=${SCAP_VM_KERNELS:-bookworm bookworm:6.12 bullseye ubuntu-focal ubuntu-bionic ubuntu-xenial arm64-bookworm arm64-bullseye:5.10.0-32-arm64 ppc64el-bookworm ppc64el-bookworm:6.12 riscv64-trixie s390x-bookworm}

. "$ROOT/test/vm/kernels.sh"
. "$ROOT/test/vm/verdict.sh"
[ -z "${SCAP_VM_KVER:-}" ] ||
	die "SCAP_VM_KVER is gone: name the kernel as SCAP_VM_KERNELS=<release>:$SCAP_VM_KVER"

# The architectures in the list: arm64-<release> kernels are arm64's,
# ppc64el-<release> ppc64el's, s390x-<release> s390x's, riscv64-<release> riscv64's.
spec_arch() { case $1 in arm64-*) echo arm64 ;; ppc64el-*) echo ppc64el ;; s390x-*) echo s390x ;; riscv64-*) echo riscv64 ;; *) echo amd64 ;; esac; }
HAVE_ARCH=" "
for spec in $KERNELS; do
	a=$(spec_arch "$spec")
	case $HAVE_ARCH in *" $a "*) ;; *) HAVE_ARCH="$HAVE_ARCH$a " ;; esac
done
tools="cpio gzip cc cmake make pkg-config apt-get apt-cache dpkg-deb timeout file"
case $HAVE_ARCH in *" amd64 "*) tools="$tools qemu-system-x86_64" ;; esac
case $HAVE_ARCH in *" arm64 "*) tools="$tools qemu-system-aarch64 aarch64-linux-gnu-gcc python3 bpftool" ;; esac
case $HAVE_ARCH in *" ppc64el "*) tools="$tools qemu-system-ppc64 powerpc64le-linux-gnu-gcc python3 bpftool" ;; esac
case $HAVE_ARCH in *" riscv64 "*) tools="$tools qemu-system-riscv64 riscv64-linux-gnu-gcc" ;; esac
case $HAVE_ARCH in *" s390x "*) tools="$tools qemu-system-s390x s390x-linux-gnu-gcc python3 bpftool" ;; esac
for tool in $tools; do
	command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh installs everything this needs)"
done
# riscv64's machine-mode firmware, from Debian 12's opensbi package.
OPENSBI=${SCAP_VM_OPENSBI:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin}
case $HAVE_ARCH in *" riscv64 "*)
	[ -r "$OPENSBI" ] || die "$OPENSBI is missing (apt-get install opensbi)" ;;
esac
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] && file -L "$BUSYBOX" 2>/dev/null | grep -q "statically linked" ||
	BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || die "busybox is missing (apt-get install busybox-static)"

mkdir -p "$WORK"
RUN_START=$(date +%s)

# ---- the kernels: every download first, so a network problem shows at once ------
KDIRS=()
declare -A ARCH_OF=()  # kernel -> amd64, arm64, ppc64el or s390x
for spec in $KERNELS; do
	a=$(spec_arch "$spec")
	case $spec in
	arm64-ubuntu-* | ppc64el-ubuntu-* | s390x-ubuntu-* | riscv64-ubuntu-*) die "'$spec': only Debian's $a kernels are set up ($a-bookworm, ...)" ;;
	arm64-* | ppc64el-* | s390x-* | riscv64-*) KARCH=$a fetch_kernel "${spec#"$a"-}" ;; # sets KVER, KDIR, KCC; dies on failure
	*) KARCH=amd64 fetch_kernel "$spec" ;;
	esac
	KDIRS+=("$KVER|$KDIR|$KCC")
	ARCH_OF[$KVER]=$a
	touch "$WORK/$KVER/.fetched"
done
# Security updates move the ABIs: a kernel unused for two weeks goes (126 MB each).
for stamp in $(find "$WORK" -mindepth 2 -maxdepth 2 -name .fetched -mtime +14); do
	say "removing $(dirname "$stamp"), unused for two weeks"
	rm -rf "$(dirname "$stamp")"
done

# ---- the modules, built out of the source tree against each kernel's headers ------
FAILED=""     # "kernel:what" for every failed step, in order
pahole_version() { pahole --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\.\([0-9]*\).*/\1\2/p' | grep . || echo 0; }
build_modules() { # kver kdir cc
	local kver=$1 kdir=$2 kcc=$3 out=$WORK/$1 variant name cross=()
	[ "${ARCH_OF[$kver]}" = arm64 ] && cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	[ "${ARCH_OF[$kver]}" = ppc64el ] && cross=(ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-)
	[ "${ARCH_OF[$kver]}" = s390x ] && cross=(ARCH=s390 CROSS_COMPILE=s390x-linux-gnu-)
	[ "${ARCH_OF[$kver]}" = riscv64 ] && cross=(ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-)
	# A kernel whose BTF came from a newer pahole than Debian 12's 1.24
	# (Debian 13's riscv64 6.12: CONFIG_PAHOLE_VERSION=130) has Kbuild pass
	# it options 1.24 does not know ("unrecognized option --btf_features"):
	# the module is built without BTF of its own, which only BPF programs
	# attaching to the module's functions would read.
	[ "$(sed -n 's/^CONFIG_PAHOLE_VERSION=//p' "$kdir/.config")" -gt "$(pahole_version)" ] 2>/dev/null &&
		cross+=(CONFIG_DEBUG_INFO_BTF_MODULES=)
	say "$kver: building scap.ko against $kdir (CC=$kcc${cross:+ ${cross[*]}})"
	rm -rf "$out/mod" && mkdir -p "$out/mod"
	cp -r "$ROOT/drivers/kmod" "$ROOT/drivers/common" "$out/mod/"
	if ! make -C "$kdir" M="$out/mod/kmod" "${cross[@]}" CC="$kcc" -j"$JOBS" modules >"$out/kmod-build.log" 2>&1; then
		tail -n 30 "$out/kmod-build.log"
		say "$kver: FAIL: the module does not build (see $out/kmod-build.log)"
		return 1
	fi
	if grep -E "warning:" "$out/kmod-build.log"; then
		say "$kver: FAIL: the module builds with warnings (see above)"
		return 1
	fi
	# The same module claiming another API version (refused by the probe, from
	# sysfs) or another schema (refused by the engine, from the INFO ioctl).
	for variant in badver:-DSCAP_KMOD_TEST_API_VERSION=999 badschema:-DSCAP_KMOD_TEST_EV_MAX=999; do
		name=${variant%%:*}
		rm -rf "$out/mod-$name" && mkdir -p "$out/mod-$name"
		cp -r "$ROOT/drivers/kmod" "$ROOT/drivers/common" "$out/mod-$name/"
		if ! make -C "$kdir" M="$out/mod-$name/kmod" "${cross[@]}" CC="$kcc" -j"$JOBS" KCFLAGS="${variant#*:}" \
			modules >"$out/kmod-$name-build.log" 2>&1; then
			say "$kver: FAIL: the $name test module does not build (see $out/kmod-$name-build.log)"
			return 1
		fi
	done
}
# The minimum kernel of each engine on each architecture, from the table the
# library itself decides with (platform/engine_check.c): a kernel below kmod's
# gets no module and only the eBPF checks; one below modern_bpf's expects it
# refused.
min_kernel() { # column (1 modern_bpf, 2 bpf, 3 kmod) [uname -m, default x86_64]
	sed -n 's/^[[:space:]]*{ "'"${2:-x86_64}"'",[[:space:]]*{ *\(.*\) } },$/\1/p' "$ROOT/platform/engine_check.c" |
		tr -d '{} ' | sed 's/,[A-Z_][A-Z0-9_]*//g' | cut -d, -f$((2 * $1 - 1)),$((2 * $1)) | tr , .
}
uname_m() { case $1 in arm64) echo aarch64 ;; ppc64el) echo ppc64le ;; s390x) echo s390x ;; riscv64) echo riscv64 ;; *) echo x86_64 ;; esac; } # Debian arch -> uname -m
below() { # kver min: is the kernel's major.minor below min?
	local v
	v=$(echo "$1" | grep -o '^[0-9]*\.[0-9]*')
	[ "$v" != "$2" ] && [ "$(printf '%s\n%s\n' "$v" "$2" | sort -V | head -n1)" = "$v" ]
}
declare -A MIN_MODERN=() MIN_BPF=() MIN_KMOD=()
for a in $HAVE_ARCH; do
	MIN_MODERN[$a]=$(min_kernel 1 "$(uname_m $a)") MIN_BPF[$a]=$(min_kernel 2 "$(uname_m $a)")
	MIN_KMOD[$a]=$(min_kernel 3 "$(uname_m $a)")
	case "${MIN_MODERN[$a]} ${MIN_BPF[$a]} ${MIN_KMOD[$a]}" in
	[0-9]*.[0-9]*" "[0-9]*.[0-9]*" "[0-9]*.[0-9]*) ;;
	*) die "cannot read the $(uname_m $a) row of the minimum-kernel table in platform/engine_check.c" ;;
	esac
done

BUILT=()      # kernels to boot
declare -A NO_KMOD=()  # kernel -> why the kmod checks are skipped there
for k in "${KDIRS[@]}"; do
	IFS='|' read -r kver kdir kcc <<<"$k"
	a=${ARCH_OF[$kver]}
	if below "$kver" "${MIN_KMOD[$a]}"; then
		NO_KMOD[$kver]="the kmod engine needs Linux ${MIN_KMOD[$a]} or newer on $(uname_m $a) (platform/engine_check.c) and this kernel is $kver"
		say "$kver: no module: ${NO_KMOD[$kver]}; only the eBPF engines are tested there"
		BUILT+=("$kver")
	elif build_modules "$kver" "$kdir" "$kcc"; then
		BUILT+=("$kver")
	else
		FAILED="$FAILED $kver:module-build"
	fi
done

# ---- static test binaries (the same for every kernel of an architecture) ------------
PROBLEMS=""   # build problems: the guest checks still run, the result is FAIL
declare -A BIN_OF=() HAVE_MODERN=() HAVE_BPF=() BUSYBOX_OF=()
declare -A NO_LIBSCAP=() # architecture -> why the library and its tests are not built for it
# build_static ARCH: the library, the live and conformance suites and the
# helpers, statically linked for that architecture into $WORK/bin[-<arch>].
build_static() { # amd64|arm64|ppc64el|s390x|riscv64
	local a=$1 bin sb cc=cc ccx=() cmake_cross=() pc=() libs log btf= k triplet sysroot sysroot_var
	if [ "$a" = riscv64 ]; then
		build_kmod_check_only "$a"
		return
	fi
	if [ "$a" = amd64 ]; then
		bin=$WORK/bin sb=$WORK/build-static log=$WORK/cmake.log
	else
		triplet=$(KARCH=$a kcross) triplet=${triplet%-}
		bin=$WORK/bin-$a sb=$WORK/build-static-$a log=$WORK/cmake-$a.log cc=$triplet-gcc
		# Debian 12's libraries of that architecture are a sysroot, not
		# multiarch packages (scripts/cross-sysroot.sh says why).
		sysroot_var=SCAP_${a^^}_SYSROOT
		sysroot=${!sysroot_var:-/opt/scap/sysroot-$a}
		[ -s "$sysroot/usr/lib/$triplet/libbpf.a" ] ||
			die "no $a libraries in $sysroot: run scripts/cross-sysroot.sh $a as root (scripts/setup.sh does)"
		pc=(env PKG_CONFIG_LIBDIR=$sysroot/usr/lib/$triplet/pkgconfig:/usr/share/pkgconfig PKG_CONFIG_PATH=
			PKG_CONFIG_SYSROOT_DIR=$sysroot)
		ccx=(-isystem "$sysroot/usr/include" -L"$sysroot/usr/lib/$triplet")
		# A build directory configured before the sysroot (multiarch
		# packages then) keeps its cached link flags: start it again.
		[ ! -f "$sb/CMakeCache.txt" ] || grep -q -F -x -- "CMAKE_EXE_LINKER_FLAGS:STRING=-L$sysroot/usr/lib/$triplet" "$sb/CMakeCache.txt" || rm -rf "$sb"
		# The eBPF programs are compiled against this architecture's
		# kernel BTF, cut out of the first of its kernels in the list
		# built with BTF (CO-RE relocates them on the others; Debian
		# 12's ppc64el 6.1 has none). None: no modern_bpf in the build.
		# No port in the minimum-kernel table (s390x: docs/engines.md):
		# nothing to build it for.
		[ "${MIN_MODERN[$a]}" = 0.0 ] && say "modern_bpf has no port to $(uname_m "$a") (platform/engine_check.c): the $a build has none"
		for k in "${KDIRS[@]}"; do
			k=${k%%|*}
			[ "${MIN_MODERN[$a]}" != 0.0 ] || break
			[ "${ARCH_OF[$k]}" = "$a" ] && [ -z "${NO_BTF[$k]:-}" ] || continue
			btf=$WORK/$k/vmlinux.btf
			[ -s "$btf" ] || python3 "$ROOT/scripts/btf-from-image.py" "$WORK/$k/vmlinuz" "$btf" ||
				die "cannot cut the BTF out of $WORK/$k/vmlinuz"
			break
		done
		cmake_cross=(-DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/$(uname_m "$a").cmake")
		# The bpf engine where the table has a port for it (ON explicitly: an
		# older cache may hold the OFF of before the port).
		if [ "${MIN_BPF[$a]}" != 0.0 ]; then cmake_cross+=(-DSCAP_WITH_BPF=ON); else cmake_cross+=(-DSCAP_WITH_BPF=OFF); fi
		if [ -n "$btf" ]; then
			# ON explicitly: a previous list without BTF left OFF in the cache.
			cmake_cross+=(-DSCAP_WITH_MODERN_BPF=ON -DSCAP_MODERN_BPF_BTF="$btf"
				-DSCAP_BPF_VMLINUX_H="$sb/vmlinux-$a/vmlinux.h")
			mkdir -p "$sb/vmlinux-$a"
			bpftool btf dump file "$btf" format c >"$sb/vmlinux-$a/vmlinux.h" ||
				die "bpftool cannot read $btf"
		else
			say "no $a kernel of the list has BTF: the $a build has no modern_bpf"
			cmake_cross+=(-DSCAP_WITH_MODERN_BPF=OFF)
		fi
	fi
	say "building static test binaries for $a ($cc)"
	BIN_OF[$a]=$bin HAVE_MODERN[$a]=0 HAVE_BPF[$a]=0
	rm -rf "$bin" && mkdir -p "$bin"
	"$cc" "${ccx[@]}" -static -fno-pie -no-pie -O2 -Wall -Wextra -Werror -I"$ROOT" -o "$bin/kmod_check" "$ROOT/test/vm/kmod_check.c" -lpthread ||
		fail "kmod_check does not build for $a"
	# The live test aarch32_exec runs this AArch32 (compat) program on arm64.
	if [ "$a" = arm64 ]; then
		arm-linux-gnueabihf-as -o "$WORK/aarch32_probe.o" "$ROOT/test/vm/aarch32_probe.S" &&
			arm-linux-gnueabihf-ld -static -o "$bin/aarch32_probe" "$WORK/aarch32_probe.o" ||
			fail "test/vm/aarch32_probe.S does not assemble (binutils-arm-linux-gnueabihf: scripts/setup.sh installs it)"
	fi
	if cmake -S "$ROOT" -B "$sb" -DSCAP_STATIC=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cmake_cross[@]}" >"$log" 2>&1 &&
		cmake --build "$sb" -j"$JOBS" --target scap >>"$log" 2>&1; then
		libs=$("${pc[@]}" pkg-config --static --libs libbpf 2>/dev/null || echo "-lbpf -lelf -lz")
		"$cc" "${ccx[@]}" -static -O2 -I"$ROOT/include" -I"$sb/include" -o "$bin/auto_check" "$ROOT/test/vm/auto_check.c" \
			"$sb/libscap.a" $libs -lzstd -lpthread >>"$log" 2>&1 ||
		"$cc" "${ccx[@]}" -static -O2 -I"$ROOT/include" -I"$sb/include" -o "$bin/auto_check" "$ROOT/test/vm/auto_check.c" \
			"$sb/libscap.a" $libs -lpthread >>"$log" 2>&1 ||
			PROBLEMS="$PROBLEMS $a:auto_check-does-not-link"
		if [ -f "$ROOT/test/live/CMakeLists.txt" ] &&
			cmake --build "$sb" -j"$JOBS" --target scap_live >>"$log" 2>&1; then
			cp "$sb/test/live/scap_live" "$bin/"
			cmake --build "$sb" -j"$JOBS" --target scap_conformance >>"$log" 2>&1 &&
				cp "$sb/test/live/scap_conformance" "$bin/" ||
				PROBLEMS="$PROBLEMS $a:conformance-does-not-build"
			# Live settings and the thread-safety contract with the module (test/live/).
			for t in scap_reconfig_live scap_threads_live; do
				cmake --build "$sb" -j"$JOBS" --target "$t" >>"$log" 2>&1 &&
					cp "$sb/test/live/$t" "$bin/" || PROBLEMS="$PROBLEMS $a:$t-does-not-build"
			done
			# The bpf driver's verifier limits, in the guests of a port other than amd64's
			# (the amd64 host runs them as ctest bpf_driver_limits).
			if [ "$a" != amd64 ] && grep -q "SCAP_HAVE_BPF=1" "$sb/CMakeFiles/scap.dir/flags.make"; then
				cmake --build "$sb" -j"$JOBS" --target scap_bpf_limits >>"$log" 2>&1 &&
					cp "$sb/engines/bpf/scap_bpf_limits" "$bin/" || PROBLEMS="$PROBLEMS $a:scap_bpf_limits-does-not-build"
			fi
			# The differential test needs the guest's strace: amd64 only.
			if [ -f "$ROOT/test/diff/CMakeLists.txt" ] && [ "$a" = amd64 ]; then
				cmake --build "$sb" -j"$JOBS" --target scap_strace_diff >>"$log" 2>&1 &&
					cp "$sb/test/diff/scap_strace_diff" "$bin/" ||
					PROBLEMS="$PROBLEMS strace-diff-does-not-build"
			fi
		else
			PROBLEMS="$PROBLEMS $a:live-suite-does-not-build"
		fi
		grep -q "SCAP_HAVE_MODERN_BPF=1" "$sb/CMakeFiles/scap.dir/flags.make" && HAVE_MODERN[$a]=1
		# A BTF to build it against but no modern_bpf: its checks would all be skipped.
		[ -n "$btf" ] && [ "${HAVE_MODERN[$a]}" = 0 ] && PROBLEMS="$PROBLEMS $a:modern_bpf-not-built"
		grep -q "SCAP_HAVE_BPF=1" "$sb/CMakeFiles/scap.dir/flags.make" && HAVE_BPF[$a]=1
		[ "$a" != amd64 ] && [ "${MIN_BPF[$a]}" != 0.0 ] && [ "${HAVE_BPF[$a]}" = 0 ] && PROBLEMS="$PROBLEMS $a:bpf-not-built"
		if [ "${SCAP_VM_BENCH:-0}" = 1 ]; then
			if cmake --build "$sb" -j"$JOBS" --target bench_live >>"$log" 2>&1; then
				cp "$sb/bench/bench_live" "$bin/"
			else
				say "bench_live does not build for $a: no figures this time"
			fi
		fi
		say "engines in the static $a build: $(grep -o 'SCAP_HAVE_[A-Z_]*' "$sb/CMakeFiles/scap.dir/flags.make" | sort -u | tr '\n' ' ')"
	else
		PROBLEMS="$PROBLEMS $a:library-does-not-build-statically"
	fi
	[ -z "$PROBLEMS" ] || { grep -E "error|undefined" "$log" | head -n 20; say "build problems:$PROBLEMS (see $log); the guest runs what was built"; }
	for b in "$bin"/*; do
		file "$b" | grep -q "statically linked" || fail "$b is not statically linked"
	done
}
# riscv64: Debian 12 has no riscv64 port, so no riscv64 libbpf, libelf or zlib
# to link the library against (its cross toolchain, gcc-riscv64-linux-gnu
# with libc6-dev-riscv64-cross, has libc only), and no library may come from
# elsewhere. Only kmod_check is built (libc and pthread); the guest skips the
# library's checks with this reason.
build_kmod_check_only() { # arch
	local a=$1 bin=$WORK/bin-$1 cc
	cc=$(KARCH=$a kcross)gcc
	BIN_OF[$a]=$bin HAVE_MODERN[$a]=0 HAVE_BPF[$a]=0
	NO_LIBSCAP[$a]="the library is not built for $a: it links libbpf, libelf and zlib, and Debian 12 has no $a port to take them from (only the cross compiler and libc: gcc-$($cc -dumpmachine), libc6-dev-$a-cross)"
	say "building kmod_check for $a ($cc); ${NO_LIBSCAP[$a]}"
	rm -rf "$bin" && mkdir -p "$bin"
	"$cc" -static -fno-pie -no-pie -O2 -Wall -Wextra -Werror -I"$ROOT" -o "$bin/kmod_check" "$ROOT/test/vm/kmod_check.c" -lpthread ||
		fail "kmod_check does not build for $a"
	file "$bin/kmod_check" | grep -q "statically linked" || fail "$bin/kmod_check is not statically linked"
}
# busybox_for ARCH: a static busybox of that architecture (the host's, or
# Debian 12's arm64/ppc64el busybox-static unpacked from its package).
busybox_for() { # amd64|arm64|ppc64el|s390x|riscv64
	local a=$1 dir=$WORK/busybox-$1 deb rel
	if [ "$a" = amd64 ]; then
		BUSYBOX_OF[$a]=$BUSYBOX
		return
	fi
	if [ ! -x "$dir/bin/busybox" ]; then
		rm -rf "$dir" && mkdir -p "$dir/deb"
		# Its own apt state: the list may hold no Debian 12 kernel of that architecture.
		# riscv64: Debian 13's, as its kernel (Debian 12 has no riscv64 port).
		rel=bookworm
		[ "$a" = riscv64 ] && rel=trixie
		(cd "$dir/deb" && KARCH=$a && apt_setup $rel && apt_rel $rel apt-get download busybox-static) \
			>"$dir.log" 2>&1 ||
			die "cannot download Debian $rel's $a busybox-static (see $dir.log)"
		for deb in "$dir"/deb/busybox-static_*.deb; do
			dpkg-deb -x "$deb" "$dir" || die "cannot unpack $deb"
		done
		# Debian 13 installs it as /usr/bin/busybox (merged /usr).
		[ -e "$dir/bin/busybox" ] || [ ! -x "$dir/usr/bin/busybox" ] ||
			{ mkdir -p "$dir/bin" && ln -s ../usr/bin/busybox "$dir/bin/busybox"; }
	fi
	file -L "$dir/bin/busybox" | grep -q "statically linked" || die "$dir/bin/busybox is not a static busybox"
	BUSYBOX_OF[$a]=$dir/bin/busybox
}
# Kernels built without BTF (CONFIG_DEBUG_INFO_BTF, their headers' .config:
# Debian 12's ppc64el 6.1): modern_bpf must be refused there with its reason.
declare -A NO_BTF=()
for k in "${KDIRS[@]}"; do
	IFS='|' read -r kver kdir kcc <<<"$k"
	grep -q '^CONFIG_DEBUG_INFO_BTF=y' "$kdir/.config" || NO_BTF[$kver]=1
done
for a in $HAVE_ARCH; do
	build_static "$a"
	busybox_for "$a"
done

# ---- initramfs, one per kernel (its modules differ) ------------------------------------
copy_with_libs() { # binary root: the binary and every library ldd names, at the same paths
	local bin=$1 root=$2 lib
	mkdir -p "$root$(dirname "$bin")" && cp -L "$bin" "$root$bin" || return 1
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib" || return 1
	done
}
pack_initramfs() { # kver
	local out=$WORK/$1 ir=$WORK/$1/initramfs modern a=${ARCH_OF[$1]}
	rm -rf "$ir" && mkdir -p "$ir"/{bin,dev,proc,sys,tmp,run}
	cp "${BUSYBOX_OF[$a]}" "$ir/bin/busybox"
	ln -s busybox "$ir/bin/sh"
	cp "${BIN_OF[$a]}"/* "$ir/bin/"
	if [ -z "${NO_KMOD[$1]:-}" ]; then
		cp "$out/mod/kmod/scap.ko" "$ir/scap.ko"
		cp "$out/mod-badver/kmod/scap.ko" "$ir/scap-badver.ko"
		cp "$out/mod-badschema/kmod/scap.ko" "$ir/scap-badschema.ko"
	fi
	modern=${HAVE_MODERN[$a]}
	[ "$modern" = 1 ] && below "$1" "${MIN_MODERN[$a]}" && modern=too-old
	[ "$modern" = 1 ] && [ -n "${NO_BTF[$1]:-}" ] && modern=no-btf
	# What "auto" must pick with the module loaded: the first engine of its
	# order (modern_bpf, bpf, kmod) built and whose minimum this kernel meets.
	auto=modern_bpf
	[ "$modern" = 1 ] || auto=bpf
	[ "$auto" = bpf ] && { [ "${HAVE_BPF[$a]}" = 0 ] || below "$1" "${MIN_BPF[$a]}"; } && auto=kmod
	# The differential test (test/diff): Debian's strace with the libraries it
	# loads, and the workload, which runs busybox's applets there.
	if [ -f "$ir/bin/scap_strace_diff" ] && [ "$a" = amd64 ] && command -v strace >/dev/null; then
		copy_with_libs "$(command -v strace)" "$ir" || die "cannot copy strace into the initramfs"
		mkdir -p "$ir/diff"
		cp "$ROOT/test/diff/workload.sh" "$ir/diff/"
	fi
	cp "$ROOT/test/vm/init.sh" "$ir/init"
	cp "${SCAP_VM_GUEST:-$ROOT/test/vm/guest.sh}" "$ir/guest.sh"
	chmod +x "$ir/init"
	# SCAP_VM_NO_KMOD: why the kmod checks are skipped (empty: they run).
	# SCAP_VM_HAVE_MODERN_BPF: 1 built, 0 not built, too-old: built but
	# this kernel is below its minimum, no-btf: built but this kernel has
	# no BTF; so it must be refused.
	# SCAP_VM_AUTO_WANT: the engine "auto" must pick when the module is loaded.
	# SCAP_VM_HAVE_BPF: 1 when the bpf engine is in the static build.
	printf 'SCAP_VM_HAVE_MODERN_BPF=%s\nSCAP_VM_HAVE_BPF=%s\nSCAP_VM_BENCH=%s\nSCAP_VM_BENCH_ARGS="%s"\nSCAP_VM_NO_KMOD="%s"\nSCAP_VM_AUTO_WANT=%s\nexport SCAP_VM_HAVE_MODERN_BPF SCAP_VM_HAVE_BPF SCAP_VM_BENCH SCAP_VM_BENCH_ARGS SCAP_VM_NO_KMOD SCAP_VM_AUTO_WANT\n' \
		"$modern" "${HAVE_BPF[$a]}" "${SCAP_VM_BENCH:-0}" "${SCAP_VM_BENCH_ARGS:-}" "${NO_KMOD[$1]:-}" "$auto" >"$ir/vm.env"
	# SCAP_VM_NO_LIBSCAP: why the library's checks are skipped (empty: they run).
	printf 'SCAP_VM_NO_LIBSCAP="%s"\nexport SCAP_VM_NO_LIBSCAP\n' "${NO_LIBSCAP[$a]:-}" >>"$ir/vm.env"
	(cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz" ||
		die "cpio failed"
}

# ---- boot ---------------------------------------------------------------------------------
# Two boots of each kernel with the same initramfs, told their phase on the
# kernel command line (init gets unknown key=value parameters as environment
# variables):
#   main      multi-threaded TCG: the vCPUs really run in parallel, which the
#             live suite's TOCTOU test needs (a thread flipping a path between
#             another thread's syscall enter and exit);
#   teardown  single-threaded TCG: open/close and load/unload cycles under
#             load. With multi-threaded TCG the guest livelocked there in the
#             kernel's own jump-label patching of the sys_enter tracepoint
#             (text_poke_bp, at every register/unregister of a probe) while the
#             other vCPU ran syscalls through the patched site: stuck at the
#             patched jmp in syscall_trace_enter for 20+ s, in 2 of 3 runs of 45
#             cycles, never with thread=single. The NMI backtrace shows why: the
#             vCPU keeps taking the int3 that the patching already replaced
#             (memory holds the jmp again), the kernel backs up over the vanished
#             int3 as it should and re-executes, and the stale translation traps
#             again: a QEMU cross-modifying-code problem, not the module's.
# SCAP_VM_ACCEL forces one accelerator for both.
# no_timer_check: the kernel's early check that the 8254 timer reaches the
# IO-APIC counts on the emulated CPU keeping pace with real time; on a loaded
# host a TCG guest missed it once and panicked 0.04 s into boot ("IO-APIC +
# timer doesn't work", Debian's 6.12, 2026-12-04), before any test ran. The
# option skips that check, as virtualised guests commonly do.
TIMES=""      # one "kernel phase result seconds" line per boot

boot() { # kver phase accel
	local kver=$1 phase=$2 accel=$3 out=$WORK/$1 log=$WORK/$1/serial-$2.log qrc result start secs verdict sentence
	rm -f "$log"
	say "$kver: booting under qemu ($accel, 2 CPUs, timeout ${QEMU_TIMEOUT}s), phase $phase; serial log: $log"
	start=$(date +%s)
	if [ "${ARCH_OF[$kver]}" = arm64 ]; then
		# -M virt: the console is the PL011 (ttyAMA0). -cpu max with
		# the cheap pointer-authentication algorithm (QARMA is slow
		# under TCG). arm has no isa-debug-exit: the guest powers off
		# and its serial log's result line is the verdict (below).
		timeout "$QEMU_TIMEOUT" qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on -accel "$accel" \
			-m 1024 -smp 2 -kernel "$out/vmlinuz" -initrd "$out/initramfs.cpio.gz" \
			-append "console=ttyAMA0 panic=-1 oops=panic softlockup_panic=1 loglevel=4 scapvm_phase=$phase ${SCAP_VM_APPEND:-}" \
			-display none -serial "file:$log" -no-reboot </dev/null
		qrc=$?
	elif [ "${ARCH_OF[$kver]}" = riscv64 ]; then
		# -M virt with Debian 12's OpenSBI (the opensbi package) as the
		# machine-mode firmware; the console is the virt board's 16550
		# (ttyS0). No isa-debug-exit: the guest powers off through SBI and
		# the serial log's result line is the verdict, as on arm64.
		timeout "$QEMU_TIMEOUT" qemu-system-riscv64 -M virt -accel "$accel" -m 1024 -smp 2 \
			-bios "$OPENSBI" -kernel "$out/vmlinuz" -initrd "$out/initramfs.cpio.gz" \
			-append "console=ttyS0 panic=-1 oops=panic softlockup_panic=1 loglevel=4 scapvm_phase=$phase ${SCAP_VM_APPEND:-}" \
			-display none -serial "file:$log" -no-reboot </dev/null
		qrc=$?
	elif [ "${ARCH_OF[$kver]}" = ppc64el ]; then
		# -M pseries: the console is the hypervisor's virtual terminal
		# (hvc0), which -serial backs. The spectre capabilities' host
		# workarounds do not exist under TCG: off, not warned about.
		# No isa-debug-exit either: the guest powers off (RTAS) and the
		# serial log's result line is the verdict, as on arm64.
		timeout "$QEMU_TIMEOUT" qemu-system-ppc64 \
			-M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off -cpu power9 \
			-accel "$accel" -m 1024 -smp 2 -kernel "$out/vmlinuz" -initrd "$out/initramfs.cpio.gz" \
			-append "console=hvc0 panic=-1 oops=panic softlockup_panic=1 loglevel=4 scapvm_phase=$phase ${SCAP_VM_APPEND:-}" \
			-display none -serial "file:$log" -no-reboot </dev/null
		qrc=$?
	elif [ "${ARCH_OF[$kver]}" = s390x ]; then
		# -M s390-ccw-virtio: the console is the SCLP line console
		# (ttysclp0), which -serial backs. -cpu max: the z/Architecture
		# features TCG emulates. No isa-debug-exit: the guest powers off
		# and the serial log's result line is the verdict, as on arm64.
		timeout "$QEMU_TIMEOUT" qemu-system-s390x -M s390-ccw-virtio -cpu max \
			-accel "$accel" -m 1024 -smp 2 -kernel "$out/vmlinuz" -initrd "$out/initramfs.cpio.gz" \
			-append "console=ttysclp0 panic=-1 oops=panic softlockup_panic=1 loglevel=4 scapvm_phase=$phase ${SCAP_VM_APPEND:-}" \
			-display none -serial "file:$log" -no-reboot </dev/null
		qrc=$?
	else
		timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -accel "$accel" -m 1024 -smp 2 \
			-kernel "$out/vmlinuz" -initrd "$out/initramfs.cpio.gz" \
			-append "console=ttyS0 panic=-1 oops=panic softlockup_panic=1 loglevel=4 mitigations=off no_timer_check scapvm_phase=$phase ${SCAP_VM_APPEND:-}" \
			-display none -serial "file:$log" -no-reboot \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null
		qrc=$?
	fi
	secs=$(($(date +%s) - start))
	tr -d '\r' <"$log" | sed -n '/^guest:/,$p' | grep -a -v '^\[ *[0-9.]*\] ' || true
	if [ "${SCAP_VM_BENCH:-0}" = 1 ] && [ "$phase" = main ]; then
		tr -d '\r' <"$log" | sed -n '/^BENCH-BEGIN/,/^BENCH-END/p' >"$out/bench.md"
		say "bench_live figures: $out/bench.md"
	fi
	result=$(tr -d '\r' <"$log" | grep -a -o 'SCAP-VM-RESULT: .*' | tail -n1)
	# arm64, ppc64el, s390x: qemu exits 0 on the guest's poweroff; a result line in
	# the log is then the guest's verdict, as isa-debug-exit's 1 or 3 would be.
	if [ "${ARCH_OF[$kver]}" != amd64 ] && [ "$qrc" = 0 ]; then
		case $result in
		"SCAP-VM-RESULT: PASS") qrc=1 ;;
		"SCAP-VM-RESULT: FAIL"*) qrc=3 ;;
		esac
	fi
	# qemu's exit status carries the guest's verdict (verdict.sh): say what it means.
	read -r verdict sentence <<<"$(vm_verdict "$qrc" "$result" "$QEMU_TIMEOUT")"
	say "$kver: phase $phase: $verdict after $secs s: $sentence"
	if [ "$verdict" != PASS ]; then
		say "$kver: phase $phase: serial log: $log"
		[ "$verdict" = CRASH ] && { tr -d '\r' <"$log" | grep -a -E "BUG|lockup|panic|RIP" | head -n 5; }
		# The failed checks' own last lines, again: CI's summary keeps these.
		vm_fail_detail "$log" | while IFS= read -r line; do say "$kver: $phase: FAIL detail: $line"; done
	fi
	TIMES="$TIMES$kver $phase $verdict ${secs}s
"
	[ "$verdict" = PASS ] && return 0
	FAILED="$FAILED $kver:$phase"
	return 1
}

for kver in "${BUILT[@]}"; do
	pack_initramfs "$kver"
	boot "$kver" main "${SCAP_VM_ACCEL:-tcg}"
	# The teardown phase is the module's load/unload cycles only.
	if [ -n "${NO_KMOD[$kver]:-}" ]; then
		say "$kver: phase teardown skipped: ${NO_KMOD[$kver]}"
		TIMES="$TIMES$kver teardown SKIP 0s
"
		continue
	fi
	boot "$kver" teardown "${SCAP_VM_ACCEL:-tcg,thread=single}"
done

say "summary (kernel, phase, result, wall time); whole run $(($(date +%s) - RUN_START)) s:"
printf '%s' "$TIMES" | sed 's/^/[vm]   /'
[ -z "$FAILED" ] || fail "failed on:$FAILED"
[ -z "$PROBLEMS" ] || fail "every guest check passed, but the build had problems:$PROBLEMS"
say "PASS on: ${BUILT[*]}"
exit 0
