// SPDX-License-Identifier: Apache-2.0
/*
 * Live settings without a kernel (the live engines' own test is
 * test/live/test_reconfig_live.c): the refusals, each with its reason, and
 * the order of the checks: a bad value is named before the engine's
 * inability, and an engine that replays events (synthetic, savefile) says it
 * cannot change them, so that the caller knows to reopen.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scap/scap.h"

static struct scap *open_synth(void)
{
	struct scap_open_opts o = { .sz = sizeof(o), .synthetic_events = 10 };
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	if (scap_open(&h, "synthetic", &o, err, sizeof(err)) != 0)
		fail_msg("open: %s", err);
	return h;
}

static void test_bad_values_named(void **state)
{
	static const char *const unknown[] = { "openat", "opnat", NULL };
	static const char *const empty[] = { NULL };
	struct scap *h = open_synth();

	assert_int_equal(scap_set_syscalls(h, unknown), -EINVAL);
	assert_string_equal(scap_last_error(h), "scap_set_syscalls: invalid option syscalls: unknown syscall \"opnat\" "
						"(use x86_64 syscall names such as openat, or procexit for the end of every thread)");
	assert_int_equal(scap_set_syscalls(h, empty), -EINVAL);
	assert_string_equal(scap_last_error(h), "scap_set_syscalls: invalid option syscalls: the list is empty; "
						"pass NULL to capture every syscall");
	assert_int_equal(scap_set_snaplen(h, SCAP_MAX_SNAPLEN + 1), -EINVAL);
	assert_string_equal(scap_last_error(h), "scap_set_snaplen: 16385 is too large: the snaplen is 1..16384 (0: 80)");
	assert_int_equal(scap_set_pid_filter(h, -1), -EINVAL);
	assert_string_equal(scap_last_error(h), "scap_set_pid_filter: -1 is not a process id (0: every process)");
	/* Beyond any pid_max: as at open, a filter matching nothing is refused. */
	assert_int_equal(scap_set_pid_filter(h, 0x3fffffff), -ESRCH);
	assert_string_equal(scap_last_error(h), "scap_set_pid_filter: invalid option pid=1073741823: no process has "
						"this id (it may have exited), so the pid filter would match "
						"nothing: give the id of a running process");
	assert_int_equal(scap_set_syscalls(NULL, NULL), -EINVAL);
	scap_close(h);
}

static void test_replaying_engines_refuse(void **state)
{
	static const char *const ok[] = { "openat", NULL };
	struct scap *h = open_synth();
	const struct scap_event *ev;
	int n = 0;

	assert_int_equal(scap_set_syscalls(h, ok), -ENOTSUP);
	assert_string_equal(scap_last_error(h),
			    "scap_set_syscalls: engine synthetic cannot change its settings while it runs (it replays "
			    "recorded or generated events): open it again with the new options");
	assert_int_equal(scap_set_snaplen(h, 100), -ENOTSUP);
	assert_int_equal(scap_set_pid_filter(h, 1), -ENOTSUP);
	/* Nothing changed: the handle still gives its events. */
	assert_int_equal(scap_start(h), 0);
	while (scap_next(h, &ev, NULL, 0) == 0)
		n++;
	assert_true(n > 0);
	scap_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_values_named),
		cmocka_unit_test(test_replaying_engines_refuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
