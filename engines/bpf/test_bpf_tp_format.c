// SPDX-License-Identifier: Apache-2.0
/*
 * Which sched_process_fork program the tracepoint mode attaches: child_pid's
 * offset read from the format file, as 4.14 (comms as char[16]) and 6.18
 * (comms as dynamic strings) print it; and whether sched_process_exit has
 * group_dead (6.16+), which picks the procexit programs. No privilege needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "bpf_tp.h"

static const char fmt_4_14[] =
	"name: sched_process_fork\nID: 300\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:char parent_comm[16];\toffset:8;\tsize:16;\tsigned:1;\n"
	"\tfield:pid_t parent_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:char child_comm[16];\toffset:28;\tsize:16;\tsigned:1;\n"
	"\tfield:pid_t child_pid;\toffset:44;\tsize:4;\tsigned:1;\n";

static const char fmt_6_18[] =
	"name: sched_process_fork\nID: 366\nformat:\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:__data_loc char[] parent_comm;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:pid_t parent_pid;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:__data_loc char[] child_comm;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:pid_t child_pid;\toffset:20;\tsize:4;\tsigned:1;\n";

/* sched_process_exit before 6.16 (the sched_process_template record) and on 6.18. */
static const char exit_4_14[] =
	"name: sched_process_exit\nID: 302\nformat:\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:1;\n"
	"\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n";

static const char exit_6_18[] =
	"name: sched_process_exit\nID: 369\nformat:\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
	"\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\tfield:bool group_dead;\toffset:32;\tsize:1;\tsigned:0;\n";

static void test_exit_formats(void **state)
{
	(void)state;
	assert_int_equal(scap_bpf_tp_exit_group_dead_off(exit_6_18), 32);
	assert_int_equal(scap_bpf_tp_exit_group_dead_off(exit_4_14), -1);
	assert_int_equal(scap_bpf_tp_exit_group_dead_off(""), -1);
	assert_int_equal(scap_bpf_tp_exit_group_dead_off(NULL), -1);
}

static void test_formats(void **state)
{
	assert_int_equal(scap_bpf_tp_fork_child_off(fmt_4_14), 44);
	assert_int_equal(scap_bpf_tp_fork_child_off(fmt_6_18), 20);
	assert_int_equal(scap_bpf_tp_fork_child_off("\tfield:pid_t parent_pid;\toffset:24;\n"), -1);
	assert_int_equal(scap_bpf_tp_fork_child_off(""), -1);
	assert_int_equal(scap_bpf_tp_fork_child_off(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_formats), cmocka_unit_test(test_exit_formats) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
