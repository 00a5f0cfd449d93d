# SPDX-License-Identifier: Apache-2.0
# Cross-compiling scap for ppc64le (Debian's ppc64el) on a Debian x86_64 host
# with Debian's cross compiler (gcc-powerpc64le-linux-gnu, with
# libc6-dev-ppc64el-cross) and Debian 12's ppc64el libraries unpacked by
# scripts/cross-sysroot.sh into /opt/scap/sysroot-ppc64el
# (cmake/cross-sysroot.cmake; scripts/setup.sh does both):
#
#   cmake -S . -B build-ppc64le -DCMAKE_TOOLCHAIN_FILE=cmake/ppc64le.cmake \
#         -DSCAP_MODERN_BPF_BTF=<ppc64el kernel BTF> -DSCAP_STATIC=ON
#
# The eBPF programs are compiled for the target's registers and against the
# target kernel's BTF (scripts/btf-from-image.py cuts it out of Debian's
# ppc64el ELF vmlinux; Debian 12's 6.1 has none, its 6.12 backport has);
# test/vm/run.sh does all of this for the ppc64el VM kernels. The bpf engine
# is built too (its CO-RE object from SCAP_BPF_VMLINUX_H, a vmlinux.h of the
# target kernel, when given).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ppc64le)
set(CMAKE_C_COMPILER powerpc64le-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE powerpc64le-linux-gnu)
set(SCAP_CROSS_DEB_ARCH ppc64el)
include(${CMAKE_CURRENT_LIST_DIR}/cross-sysroot.cmake)
