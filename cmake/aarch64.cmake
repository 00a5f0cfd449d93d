# SPDX-License-Identifier: Apache-2.0
# Cross-compiling scap for aarch64 (arm64) on a Debian x86_64 host with
# Debian's cross compiler (gcc-aarch64-linux-gnu, with libc6-dev-arm64-cross)
# and Debian 12's arm64 libraries unpacked by scripts/cross-sysroot.sh into
# /opt/scap/sysroot-arm64 (cmake/cross-sysroot.cmake; scripts/setup.sh does
# both):
#
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64.cmake \
#         -DSCAP_MODERN_BPF_BTF=<arm64 kernel BTF> -DSCAP_STATIC=ON
#
# The eBPF programs are compiled for the target's registers and against the
# target kernel's BTF (scripts/btf-from-image.py cuts it out of Debian's arm64
# kernel Image); test/vm/run.sh does all of this for the arm64 VM kernels. The
# bpf engine's BTF-free object needs only linux-libc-dev-arm64-cross's uapi headers;
# its CO-RE object is built when -DSCAP_BPF_VMLINUX_H names an arm64 vmlinux.h
# (the build host's BTF is never used when cross-compiling).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(SCAP_CROSS_DEB_ARCH arm64)
include(${CMAKE_CURRENT_LIST_DIR}/cross-sysroot.cmake)
