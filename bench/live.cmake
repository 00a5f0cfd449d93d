# SPDX-License-Identifier: Apache-2.0
# bench_live: the cost of live capture (bench/bench_live.c). Included from
# bench/CMakeLists.txt. Run as root, e.g.:
#   sudo build/bench/bench_live --cli build/tools/scap modern_bpf bpf
find_package(Threads REQUIRED)
add_executable(bench_live
  ${CMAKE_CURRENT_LIST_DIR}/bench_live.c
  ${CMAKE_CURRENT_LIST_DIR}/bench_live_workload.c
  ${CMAKE_CURRENT_LIST_DIR}/bench_live_inproc.c
  ${CMAKE_CURRENT_LIST_DIR}/bench_live_cli.c
  ${CMAKE_CURRENT_LIST_DIR}/bench_live_tracers.c)
target_link_libraries(bench_live PRIVATE scap Threads::Threads)
