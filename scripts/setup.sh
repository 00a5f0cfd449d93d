#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs everything scap needs to build and test on Debian 12 (as root), then
# builds it into build/ (Release). Safe to run again: apt-get skips what is
# installed and cmake rebuilds only what changed.
#
#   scripts/setup.sh                  install packages (root) + build
#   SCAP_SKIP_APT=1 scripts/setup.sh  build only (packages already there)
#   SCAP_BUILD_DIR=dir                build somewhere else than build/
set -euo pipefail
cd "$(dirname "$0")/.."

# One package per line, with why it is needed.
PACKAGES=(
	build-essential    # gcc, make, libc headers
	cmake
	pkg-config
	clang              # compiles the eBPF programs (-target bpf), and the fuzz targets
	libclang-rt-14-dev # libFuzzer and the sanitizer runtimes for clang (scripts/fuzz.sh)
	llvm               # llvm-strip for the BPF objects
	libbpf-dev         # loader of the eBPF engines (1.1.2 on Debian 12)
	bpftool            # generates the BPF skeletons at build time
	libelf-dev
	zlib1g-dev
	libcjson-dev       # JSON checks in the tests
	libcmocka-dev      # unit tests
	linux-headers-amd64 # builds the kernel module (test/vm)
	dwarves            # pahole: Kbuild runs it on modules built against Debian 12's 6.12 headers (test/vm, SCAP_VM_KERNELS=bookworm:6.12)
	qemu-system-x86    # boots Debian's kernel for the kmod and VM tests
	busybox-static     # the VM test's initramfs
	cpio
	kmod               # insmod/modprobe/modinfo
	# aarch64 (cmake/aarch64.cmake, SCAP_VM_KERNELS=arm64-bookworm test/vm/run.sh): the cross
	# compiler with its glibc and uapi headers (libc6-dev-arm64-cross brings
	# linux-libc-dev-arm64-cross, which scripts/gen-syscalls.sh aarch64 and the bpf
	# driver read) and qemu-system-aarch64; the arm64 libraries the static guest
	# binaries link are unpacked by scripts/cross-sysroot.sh (below), not installed
	gcc-aarch64-linux-gnu
	libc6-dev-arm64-cross
	qemu-system-arm
	binutils-arm-linux-gnueabihf # assembles test/vm/aarch32_probe.S, the arm64 guests' AArch32 (compat) program
	# ppc64le (cmake/ppc64le.cmake, SCAP_VM_KERNELS=ppc64el-bookworm test/vm/run.sh): the same
	# for Debian's ppc64el; qemu-system-ppc64 boots the kernels
	gcc-powerpc64le-linux-gnu
	libc6-dev-ppc64el-cross
	qemu-system-ppc
	# riscv64 (SCAP_VM_KERNELS=riscv64-trixie test/vm/run.sh): Debian 12 has no riscv64 port,
	# so only the cross compiler with its libc (no libbpf/libelf/zlib: the library is not
	# built for riscv64, only the module and test/vm/kmod_check.c); scripts/gen-syscalls.sh
	# riscv64 reads linux-libc-dev-riscv64-cross's headers; qemu-system-misc has
	# qemu-system-riscv64, opensbi its firmware for -M virt
	gcc-riscv64-linux-gnu
	libc6-dev-riscv64-cross
	linux-libc-dev-riscv64-cross
	qemu-system-misc   # qemu-system-riscv64 and qemu-system-s390x
	opensbi
	# s390x (cmake/s390x.cmake, SCAP_VM_KERNELS=s390x-bookworm test/vm/run.sh), the first
	# big-endian target: the same (its libraries are scripts/cross-sysroot.sh's too);
	# qemu-system-s390x is in qemu-system-misc
	gcc-s390x-linux-gnu
	libc6-dev-s390x-cross  # only a Recommends of each cross gcc: glibc and linux-libc-dev-<arch>-cross
	zstd               # scripts/btf-from-image.py: s390x's vmlinuz holds the kernel zstd-compressed
	file               # test/vm checks that its guest binaries are static
	strace             # test/cli counts the write(2) calls of `scap capture --line-buffered`;
	                   # the differential test (test/diff): the independent decoder scap is compared with
	abigail-tools      # abidw/abidiff: libscap.so's ABI against abi/libscap.abi (test abi_check)
	ca-certificates    # apt over https (kernel image download for test/vm)
	debian-archive-keyring # verifies the Release files of the private apt states (scripts/debian-apt.sh: test/vm, scripts/cross-sysroot.sh)
	python3            # test/diff's workload: a scripting language, unix sockets, an HTTP server
	curl               # test/diff's workload: an HTTP client
	wget               # test/diff's workload: another HTTP client
	git                # test/diff's workload: version control (many processes, odd files)
	xz-utils           # test/diff's workload: an archiver
	# (no ubuntu-keyring: Debian 12 does not package it; for Ubuntu kernels,
	# test/vm/kernels.sh unpacks Debian 13's without installing it)
)

missing_packages() {
	local p
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
	done
}

# apt_update: apt-get update that survives a mirror caught mid-sync.
. scripts/apt-update.sh

if [ "${SCAP_SKIP_APT:-0}" != 1 ]; then
	if [ "$(id -u)" -eq 0 ]; then
		export DEBIAN_FRONTEND=noninteractive
		# A fresh machine may come up with dpkg interrupted (an image built
		# while a package was being configured: apt-get then refuses every
		# install with "dpkg was interrupted") or with an unattended upgrade
		# holding the lock. Finish what dpkg left, and wait for the lock
		# rather than fail. Both are no-ops on a healthy machine.
		apt_lock_wait=(-o DPkg::Lock::Timeout=600)
		# dpkg itself does not wait for the lock: retry while another
		# package manager holds it (up to 10 min); any other failure is
		# left to apt-get -f install below, which names what is broken.
		tries=0
		until dpkg --configure -a; do
			tries=$((tries + 1))
			if ! dpkg --configure -a 2>&1 | grep -q 'lock'; then
				echo "setup.sh: 'dpkg --configure -a' failed; trying apt-get -f install" >&2
				break
			fi
			if [ "$tries" -ge 120 ]; then
				echo "setup.sh: the dpkg lock was held for 10 min by another package manager; let it finish and run setup.sh again" >&2
				exit 1
			fi
			echo "setup.sh: dpkg is locked by another package manager, retrying in 5 s" >&2
			sleep 5
		done
		apt-get "${apt_lock_wait[@]}" -f install -y
		apt_update "${apt_lock_wait[@]}"
		apt-get "${apt_lock_wait[@]}" install -y --no-install-recommends "${PACKAGES[@]}"
		# The cross builds' libraries (arm64, ppc64el, s390x: in test/vm's
		# default list). Only the VM tests need them: a failure is said and
		# the rest of the set-up goes on; test/vm/run.sh then stops with
		# exit 2 saying the same.
		for arch in arm64 ppc64el s390x; do
			sysroot_var=SCAP_${arch^^}_SYSROOT
			sysroot=${!sysroot_var:-/opt/scap/sysroot-$arch}
			[ -s "$sysroot/PACKAGES" ] || scripts/cross-sysroot.sh "$arch" ||
				echo "setup.sh: WARNING: the $arch sysroot could not be made (above); test/vm/run.sh (its default list has $arch kernels) will not build until scripts/cross-sysroot.sh $arch succeeds" >&2
		done
	else
		missing=$(missing_packages | tr '\n' ' ')
		if [ -n "$missing" ]; then
			echo "setup.sh: missing packages: $missing" >&2
			echo "setup.sh: run this script as root to install them (or: sudo apt-get install $missing)" >&2
			exit 1
		fi
		echo "setup.sh: not root, every package is already installed: skipping apt-get"
	fi
fi

build=${SCAP_BUILD_DIR:-build}
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j "$jobs"
echo "setup.sh: built into $build/ (the CLI is $build/tools/scap)"
