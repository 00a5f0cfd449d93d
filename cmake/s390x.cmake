# SPDX-License-Identifier: Apache-2.0
# Cross-compiling scap for s390x (Debian's s390x, big-endian) on a Debian
# x86_64 host with Debian's cross compiler (gcc-s390x-linux-gnu, whose
# libc6-dev-s390x-cross brings glibc) and Debian 12's s390x libraries
# unpacked into a sysroot by scripts/s390x-sysroot.sh (the other cross
# builds use multiarch packages; s390x cannot be installed that way beside a
# bookworm-security zlib1g, see that script). scripts/setup.sh does both:
#
#   cmake -S . -B build-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/s390x.cmake \
#         -DSCAP_MODERN_BPF_BTF=<s390x kernel BTF> -DSCAP_STATIC=ON
#
# SCAP_S390X_SYSROOT (environment or cache) names another sysroot. The eBPF
# programs are compiled for the target's registers and against the target
# kernel's BTF; test/vm/run.sh does all of this for the s390x VM kernels. The
# bpf engine is built too (big-endian objects; its CO-RE object from
# SCAP_BPF_VMLINUX_H, a vmlinux.h of the target kernel, when given).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE s390x-linux-gnu)
if(NOT SCAP_S390X_SYSROOT)
  if(DEFINED ENV{SCAP_S390X_SYSROOT})
    set(SCAP_S390X_SYSROOT $ENV{SCAP_S390X_SYSROOT})
  else()
    set(SCAP_S390X_SYSROOT /opt/scap/sysroot-s390x)
  endif()
endif()
if(NOT EXISTS ${SCAP_S390X_SYSROOT}/usr/lib/s390x-linux-gnu/pkgconfig/libbpf.pc)
  message(FATAL_ERROR "cmake/s390x.cmake: no s390x libraries in ${SCAP_S390X_SYSROOT}: "
    "run scripts/s390x-sysroot.sh (as root, after dpkg --add-architecture s390x; "
    "scripts/setup.sh does it) or set SCAP_S390X_SYSROOT")
endif()
# try_compile projects re-read this file: hand them the sysroot too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SCAP_S390X_SYSROOT)
set(CMAKE_C_FLAGS_INIT "-isystem ${SCAP_S390X_SYSROOT}/usr/include")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-L${SCAP_S390X_SYSROOT}/usr/lib/s390x-linux-gnu")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-L${SCAP_S390X_SYSROOT}/usr/lib/s390x-linux-gnu")
set(CMAKE_FIND_ROOT_PATH ${SCAP_S390X_SYSROOT}/usr/lib/s390x-linux-gnu ${SCAP_S390X_SYSROOT}/usr/include
  /usr/s390x-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} ${SCAP_S390X_SYSROOT}/usr/lib/s390x-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_SYSROOT_DIR} ${SCAP_S390X_SYSROOT})
set(ENV{PKG_CONFIG_PATH} "")
# Tests cannot run on the build host: they run in the s390x VM.
set(CMAKE_CROSSCOMPILING_EMULATOR "")
