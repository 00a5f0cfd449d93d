# SPDX-License-Identifier: Apache-2.0
# cmake --install: the headers (with the generated <scap/common/...> ones, so
# that the install prefix's include/ is all a program needs), libscap.so and
# libscap.a, the scap command, scap.pc and the CMake package `scap`
# (targets scap::scap and scap::scap_static). Every file that names a path
# names it relative to itself, so a prefix given at install time
# (cmake --install build --prefix P) works.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(FILES ${PROJECT_SOURCE_DIR}/include/scap/scap.h ${PROJECT_SOURCE_DIR}/include/scap/scap_schema.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/scap)
# What <scap/scap_schema.h> includes (the rest of drivers/common/ is the drivers').
install(FILES
  ${SCAP_GEN_INCLUDE}/scap/common/schema.h
  ${SCAP_GEN_INCLUDE}/scap/common/scap_types.h
  ${SCAP_GEN_INCLUDE}/scap/common/event_layout.h
  ${SCAP_GEN_INCLUDE}/scap/common/events.def
  ${SCAP_GEN_INCLUDE}/scap/common/arch.h
  ${SCAP_GEN_INCLUDE}/scap/common/syscalls.def
  ${SCAP_GEN_INCLUDE}/scap/common/syscalls_x86_64.def
  ${SCAP_GEN_INCLUDE}/scap/common/syscalls_aarch64.def
  ${SCAP_GEN_INCLUDE}/scap/common/syscalls_ppc64le.def
  ${SCAP_GEN_INCLUDE}/scap/common/syscalls_riscv64.def
  ${SCAP_GEN_INCLUDE}/scap/common/syscalls_s390x.def
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/scap/common)

set(_scap_install_targets scap_static)
if(TARGET scap_shared)
  list(APPEND _scap_install_targets scap_shared)
endif()
install(TARGETS ${_scap_install_targets} EXPORT scapTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(TARGET scap_cli)
  install(TARGETS scap_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# pkg-config: prefix found from the .pc file's own place.
file(RELATIVE_PATH SCAP_PC_PREFIX_FROM_PCDIR /_p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /_p)
string(REGEX REPLACE "/$" "" SCAP_PC_PREFIX_FROM_PCDIR "${SCAP_PC_PREFIX_FROM_PCDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/scap.pc.in ${PROJECT_BINARY_DIR}/scap.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/scap.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

set(_scap_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/scap)
install(EXPORT scapTargets NAMESPACE scap:: DESTINATION ${_scap_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/scapConfig.cmake.in
  ${PROJECT_BINARY_DIR}/scapConfig.cmake INSTALL_DESTINATION ${_scap_cmake_dir})
# A program built against MAJOR.MINOR works with any later MINOR (docs/embedding.md).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/scapConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/scapConfig.cmake ${PROJECT_BINARY_DIR}/scapConfigVersion.cmake
  DESTINATION ${_scap_cmake_dir})
