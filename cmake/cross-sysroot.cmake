# SPDX-License-Identifier: Apache-2.0
# Included by the cross toolchain files (aarch64.cmake, ppc64le.cmake,
# s390x.cmake) after they set SCAP_CROSS_DEB_ARCH (Debian's name: arm64,
# ppc64el, s390x) and CMAKE_LIBRARY_ARCHITECTURE (the GNU triplet).
#
# The target's libraries (libbpf, libelf, zlib, zstd, cJSON, cmocka) are
# Debian 12's packages unpacked into a sysroot by scripts/cross-sysroot.sh
# (scripts/setup.sh runs it; that script says why not multiarch packages);
# glibc and the uapi headers are the cross compiler's own
# (libc6-dev-<arch>-cross under /usr/<triplet>). SCAP_<ARCH>_SYSROOT
# (environment or cache: SCAP_ARM64_SYSROOT, SCAP_PPC64EL_SYSROOT,
# SCAP_S390X_SYSROOT) names another sysroot.
string(TOUPPER "SCAP_${SCAP_CROSS_DEB_ARCH}_SYSROOT" _scap_sysroot_var)
if(NOT ${_scap_sysroot_var})
  if(DEFINED ENV{${_scap_sysroot_var}})
    set(${_scap_sysroot_var} $ENV{${_scap_sysroot_var}})
  else()
    set(${_scap_sysroot_var} /opt/scap/sysroot-${SCAP_CROSS_DEB_ARCH})
  endif()
endif()
set(_scap_sysroot ${${_scap_sysroot_var}})
set(_scap_triplet ${CMAKE_LIBRARY_ARCHITECTURE})
if(NOT EXISTS ${_scap_sysroot}/usr/lib/${_scap_triplet}/pkgconfig/libbpf.pc)
  message(FATAL_ERROR "cmake/${CMAKE_SYSTEM_PROCESSOR}.cmake: no ${SCAP_CROSS_DEB_ARCH} libraries in ${_scap_sysroot}: "
    "run scripts/cross-sysroot.sh ${SCAP_CROSS_DEB_ARCH} (scripts/setup.sh does) or set ${_scap_sysroot_var}")
endif()
# try_compile projects re-read the toolchain file: hand them the sysroot too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ${_scap_sysroot_var})
set(CMAKE_C_FLAGS_INIT "-isystem ${_scap_sysroot}/usr/include")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-L${_scap_sysroot}/usr/lib/${_scap_triplet}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-L${_scap_sysroot}/usr/lib/${_scap_triplet}")
set(CMAKE_FIND_ROOT_PATH ${_scap_sysroot}/usr/lib/${_scap_triplet} ${_scap_sysroot}/usr/include /usr/${_scap_triplet})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} ${_scap_sysroot}/usr/lib/${_scap_triplet}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_SYSROOT_DIR} ${_scap_sysroot})
set(ENV{PKG_CONFIG_PATH} "")
# Tests cannot run on the build host: they run in the target's VM (test/vm).
set(CMAKE_CROSSCOMPILING_EMULATOR "")
