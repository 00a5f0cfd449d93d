# SPDX-License-Identifier: Apache-2.0
# ctest docs_events_md: docs/events.md must be what gen_events_md prints now.
execute_process(COMMAND ${GEN} OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gen_events_md failed (${rc})")
endif()
file(READ ${DOC} committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "docs/events.md differs from the schema (drivers/common/events.def): "
    "regenerate it with `cmake --build <build dir> --target events_md` and commit it")
endif()
