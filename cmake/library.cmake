# SPDX-License-Identifier: Apache-2.0
# The libraries an embedder links (docs/embedding.md), built from the objects
# of the internal archive `scap`, so that a source any folder adds to `scap`
# is in them too:
#   scap_shared  lib/libscap.so.<version>, SONAME libscap.so.<major>, exporting
#                only the functions listed in scap/libscap.map   (scap::scap)
#   scap_static  lib/libscap.a: one relocatable object of every object, in
#                which every global symbol but those functions is made local,
#                so that no internal name can clash with the program's own
#                                                                 (scap::scap_static)
find_package(Threads REQUIRED)
# What both need at link time; scap.pc says the same (Requires.private).
pkg_check_modules(SCAP_DEPS REQUIRED IMPORTED_TARGET libbpf libelf zlib)

set(SCAP_EXPORTS_MAP ${PROJECT_SOURCE_DIR}/scap/libscap.map)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${SCAP_EXPORTS_MAP})
file(STRINGS ${SCAP_EXPORTS_MAP} _scap_export_lines REGEX "^[ \t]*[A-Za-z_][A-Za-z0-9_]*;")
set(SCAP_EXPORTS "")
foreach(_l ${_scap_export_lines})
  string(REGEX MATCH "[A-Za-z_][A-Za-z0-9_]*" _name "${_l}")
  string(APPEND SCAP_EXPORTS "${_name}\n")
endforeach()
set(SCAP_EXPORTS_TXT ${PROJECT_BINARY_DIR}/scap_exports.txt)
file(WRITE ${SCAP_EXPORTS_TXT} "${SCAP_EXPORTS}")

set(_scap_public_includes
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${SCAP_GEN_INCLUDE}>
  $<INSTALL_INTERFACE:include>)

if(NOT SCAP_STATIC)
  add_library(scap_shared SHARED $<TARGET_OBJECTS:scap>)
  add_dependencies(scap_shared scap)
  set_target_properties(scap_shared PROPERTIES
    OUTPUT_NAME scap
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib
    LINK_DEPENDS ${SCAP_EXPORTS_MAP}
    EXPORT_NAME scap)
  target_link_options(scap_shared PRIVATE
    -Wl,--version-script=${SCAP_EXPORTS_MAP} -Wl,--no-undefined)
  target_link_libraries(scap_shared PRIVATE PkgConfig::SCAP_DEPS Threads::Threads)
  target_include_directories(scap_shared INTERFACE ${_scap_public_includes})
  add_library(scap::scap ALIAS scap_shared)
endif()

set(_scap_relobj ${PROJECT_BINARY_DIR}/scap_public.o)
add_custom_command(OUTPUT ${_scap_relobj}
  COMMAND ${CMAKE_LINKER} -r -o ${_scap_relobj}.all "$<TARGET_OBJECTS:scap>"
  COMMAND ${CMAKE_OBJCOPY} --keep-global-symbols=${SCAP_EXPORTS_TXT} ${_scap_relobj}.all ${_scap_relobj}
  COMMAND ${CMAKE_COMMAND} -E rm -f ${_scap_relobj}.all
  DEPENDS scap ${SCAP_EXPORTS_TXT}
  COMMENT "libscap.a: one object, only the API global"
  COMMAND_EXPAND_LISTS VERBATIM)
add_library(scap_static STATIC ${_scap_relobj})
set_source_files_properties(${_scap_relobj} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
set_target_properties(scap_static PROPERTIES
  OUTPUT_NAME scap
  LINKER_LANGUAGE C
  ARCHIVE_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib
  EXPORT_NAME scap_static)
target_link_libraries(scap_static INTERFACE PkgConfig::SCAP_DEPS Threads::Threads)
target_include_directories(scap_static INTERFACE ${_scap_public_includes})
add_library(scap::scap_static ALIAS scap_static)
