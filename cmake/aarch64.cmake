# SPDX-License-Identifier: Apache-2.0
# Cross-compiling scap for aarch64 (arm64) on a Debian x86_64 host with
# Debian's cross compiler (gcc-aarch64-linux-gnu) and the arm64 multiarch
# libraries (libbpf-dev:arm64, libelf-dev:arm64, zlib1g-dev:arm64,
# libzstd-dev:arm64; scripts/setup.sh installs them):
#
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64.cmake \
#         -DSCAP_MODERN_BPF_BTF=<arm64 kernel BTF> -DSCAP_STATIC=ON
#
# The eBPF programs are compiled for the target's registers and against the
# target kernel's BTF (scripts/btf-from-image.py cuts it out of Debian's arm64
# kernel Image); test/vm/run.sh does all of this for the arm64 VM kernels. The
# bpf engine's BTF-free object needs only linux-libc-dev:arm64's uapi headers;
# its CO-RE object is built when -DSCAP_BPF_VMLINUX_H names an arm64 vmlinux.h
# (the build host's BTF is never used when cross-compiling).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Multiarch: the target's libraries and headers live beside the host's.
set(CMAKE_FIND_ROOT_PATH /usr/lib/aarch64-linux-gnu /usr/include/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
# Tests cannot run on the build host: they run in the arm64 VM.
set(CMAKE_CROSSCOMPILING_EMULATOR "")
