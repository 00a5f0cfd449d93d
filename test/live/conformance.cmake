# SPDX-License-Identifier: Apache-2.0
# The conformance suite (issue 8): one scripted workload of every typed
# syscall, checked parameter by parameter per engine, and the same run
# captured by bpf and modern_bpf at once, compared event by event.
# Included by test/live/CMakeLists.txt (it uses that file's _scap_defs).
add_executable(scap_conformance conformance.c conformance_cross.c conf_workload.c harness.c)
target_link_libraries(scap_conformance PRIVATE scap Threads::Threads)

foreach(_engine modern_bpf bpf kmod)
  string(TOUPPER ${_engine} _ENGINE)
  if("SCAP_HAVE_${_ENGINE}=1" IN_LIST _scap_defs)
    add_test(NAME conformance_${_engine} COMMAND scap_conformance ${_engine})
    set_tests_properties(conformance_${_engine} PROPERTIES
      SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE LABELS live)
  endif()
endforeach()
if("SCAP_HAVE_BPF=1" IN_LIST _scap_defs AND "SCAP_HAVE_MODERN_BPF=1" IN_LIST _scap_defs)
  add_test(NAME conformance_cross_bpf_modern_bpf COMMAND scap_conformance --cross bpf modern_bpf)
  set_tests_properties(conformance_cross_bpf_modern_bpf PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE LABELS live)
endif()
