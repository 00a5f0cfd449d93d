# SPDX-License-Identifier: Apache-2.0
# Cross-compiling scap for ppc64le (Debian's ppc64el) on a Debian x86_64 host
# with Debian's cross compiler (gcc-powerpc64le-linux-gnu) and the ppc64el
# multiarch libraries (libbpf-dev:ppc64el, libelf-dev:ppc64el,
# zlib1g-dev:ppc64el, libzstd-dev:ppc64el; scripts/setup.sh installs them):
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
# Multiarch: the target's libraries and headers live beside the host's.
set(CMAKE_FIND_ROOT_PATH /usr/lib/powerpc64le-linux-gnu /usr/include/powerpc64le-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/powerpc64le-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
# Tests cannot run on the build host: they run in the ppc64el VM.
set(CMAKE_CROSSCOMPILING_EMULATOR "")
