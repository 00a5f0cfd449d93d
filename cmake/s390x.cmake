# SPDX-License-Identifier: Apache-2.0
# Cross-compiling scap for s390x (Debian's s390x, big-endian) on a Debian
# x86_64 host with Debian's cross compiler (gcc-s390x-linux-gnu, whose
# libc6-dev-s390x-cross brings glibc) and Debian 12's s390x libraries
# unpacked into /opt/scap/sysroot-s390x by scripts/cross-sysroot.sh
# (cmake/cross-sysroot.cmake). scripts/setup.sh does both:
#
#   cmake -S . -B build-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/s390x.cmake \
#         -DSCAP_MODERN_BPF_BTF=<s390x kernel BTF> -DSCAP_STATIC=ON
#
# The eBPF
# programs are compiled for the target's registers and against the target
# kernel's BTF; test/vm/run.sh does all of this for the s390x VM kernels. The
# bpf engine is built too (big-endian objects; its CO-RE object from
# SCAP_BPF_VMLINUX_H, a vmlinux.h of the target kernel, when given).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE s390x-linux-gnu)
set(SCAP_CROSS_DEB_ARCH s390x)
include(${CMAKE_CURRENT_LIST_DIR}/cross-sysroot.cmake)
