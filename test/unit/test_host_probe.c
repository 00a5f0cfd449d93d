// SPDX-License-Identifier: Apache-2.0
/*
 * test/common/host_probe: a crash in a test program's part is named on
 * stdout (with what was printed before it) and the program still dies by
 * its signal; a probe child that the host kills is an answer, not a crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "test/common/host_probe.h"

/* Runs a program part in a child whose stdout is a pipe; returns its status and output. */
static int run_child(void (*body)(int), int arg, char *out, size_t len)
{
	int p[2], st = 0;
	size_t used = 0;
	ssize_t n;
	pid_t c;

	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		body(arg);
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], out + used, len - 1 - used)) > 0)
		used += (size_t)n;
	out[used] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(c, &st, 0), c);
	return st;
}

static void crashing_program(int sig)
{
	host_name_crashes();
	host_crash_part("first");
	printf("PASS first\n"); /* line-buffered now: must survive the crash */
	host_crash_part("second part");
	raise(sig);
}

static void test_crash_is_named(void **state)
{
	static const int sigs[] = { SIGSEGV, SIGABRT, SIGBUS };
	char out[1024], want[256];

	(void)state;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		int st = run_child(crashing_program, sigs[i], out, sizeof(out));

		assert_true(WIFSIGNALED(st));
		assert_int_equal(WTERMSIG(st), sigs[i]);
		snprintf(want, sizeof(want),
			 "PASS first\nFAIL second part: the program crashed with signal %d (SIG%s); the parts "
			 "after it did not run\n", sigs[i], sigabbrev_np(sigs[i]));
		assert_string_equal(out, want);
	}
}

static int killed(void *arg)
{
	(void)arg;
	raise(SIGSEGV);
	return 0;
}

static int returns(void *arg)
{
	return *(int *)arg;
}

static void test_run_in_child(void **state)
{
	int seven = 7, st;

	(void)state;
	st = host_run_in_child(killed, NULL);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSEGV);
	st = host_run_in_child(returns, &seven);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 7);
}

/* The int $0x80 probe answers either way without taking this process down. */
static void test_int80_probe_answers(void **state)
{
	char why[256] = "x";
	bool works = host_ia32_int80_works(why, sizeof(why));

	(void)state;
	print_message("int $0x80 here: %s%s\n", works ? "works" : "does not work: ", why);
	if (works)
		assert_string_equal(why, "");
	else
		assert_true(why[0] != '\0');
	assert_int_equal(host_ia32_int80_works(NULL, 0), works);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crash_is_named),
		cmocka_unit_test(test_run_in_child),
		cmocka_unit_test(test_int80_probe_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
