// SPDX-License-Identifier: Apache-2.0
/* scap_open: engine names, options and their messages, "auto" and its report. */
#define _GNU_SOURCE /* gettid */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scap/scap.h"

static char err[SCAP_ERRBUF_SIZE];

static int try_open(const char *engine, const struct scap_open_opts *o)
{
	struct scap *h = (void *)1;
	int r;

	err[0] = '\0';
	r = scap_open(&h, engine, o, err, sizeof(err));
	if (r == 0)
		scap_close(h);
	else
		assert_null(h);
	return r;
}

static void contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" does not contain \"%s\"", text, part);
}

static void unknown_engine_lists_names(void **state)
{
	(void)state;
	assert_int_equal(try_open("nope", NULL), -ENOENT);
	contains(err, "unknown engine \"nope\"");
	contains(err, "auto");
	contains(err, "synthetic");
	assert_int_equal(scap_open(NULL, "synthetic", NULL, err, sizeof(err)), -EINVAL);
}

/* Compiled in? (A probe's -ENOENT may also mean "device missing".) */
static bool built_in(const char *name)
{
	unsigned i;

	for (i = 0; i < scap_engine_count(); i++)
		if (strcmp(scap_engine_name_at(i), name) == 0)
			return true;
	return false;
}

static void engine_not_built(void **state)
{
	(void)state;
	if (built_in("kmod")) {
		print_message("kmod is built in: nothing to check here\n");
		return;
	}
	assert_int_equal(try_open("kmod", NULL), -ENOENT);
	contains(err, "not built into this library");
	contains(err, "SCAP_WITH_KMOD");
}

static void engine_table(void **state)
{
	unsigned n = scap_engine_count(), i;
	char why[256];
	bool synth = false;

	(void)state;
	assert_true(n >= 1);
	for (i = 0; i < n; i++)
		synth |= strcmp(scap_engine_name_at(i), "synthetic") == 0;
	assert_true(synth);
	assert_null(scap_engine_name_at(n));
	assert_int_equal(scap_engine_probe("synthetic", why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(scap_engine_probe("nope", why, sizeof(why)), -ENOENT);
	contains(why, "unknown engine");
}

static void options_size(void **state)
{
	struct {
		struct scap_open_opts o;
		uint64_t future;
	} big;
	struct scap_open_opts o;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(try_open("synthetic", &o), -EINVAL);
	contains(err, "set .sz = sizeof(struct scap_open_opts)");
	/* a caller built against an older, shorter header: defaults for the rest */
	o.sz = offsetof(struct scap_open_opts, pid);
	o.synthetic_cpus = 999999; /* past sz: must be ignored */
	assert_int_equal(try_open("synthetic", &o), 0);
	/* a newer caller: fine while the fields we do not know are zero */
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	assert_int_equal(try_open("synthetic", &big.o), 0);
	big.future = 1;
	assert_int_equal(try_open("synthetic", &big.o), -EINVAL);
	contains(err, "fields this library does not know");
}

static void bad_options_are_named(void **state)
{
	struct scap_open_opts o = { .sz = sizeof(o) };
	const char *bad_syscalls[] = { "openat", "bogus_call", NULL };
	const char *no_syscalls[] = { NULL };

	(void)state;
	o.buffer_bytes = 100;
	assert_int_equal(try_open("synthetic", &o), -EINVAL);
	contains(err, "buffer_bytes=100");
	o.buffer_bytes = (size_t)2 << 30;
	assert_int_equal(try_open("synthetic", &o), -EINVAL);
	contains(err, "1 GiB");
	o.buffer_bytes = 4096;
	o.snaplen = SCAP_MAX_SNAPLEN + 1;
	assert_int_equal(try_open("synthetic", &o), -EINVAL);
	contains(err, "snaplen=16385");
	o.snaplen = 0;
	o.syscalls = bad_syscalls;
	assert_int_equal(try_open("synthetic", &o), -EINVAL);
	contains(err, "unknown syscall \"bogus_call\"");
	o.syscalls = no_syscalls;
	assert_int_equal(try_open("synthetic", &o), -EINVAL);
	contains(err, "syscalls");
	o.syscalls = NULL;
	o.pid = -3;
	assert_int_equal(try_open("synthetic", &o), -EINVAL);
	contains(err, "pid=-3");
	o.pid = 0;
	o.synthetic_cpus = 5000;
	assert_int_equal(try_open("synthetic", &o), -EINVAL);
	contains(err, "synthetic_cpus=5000");
}

static void auto_with_order_and_report(void **state)
{
	const char *order[] = { "kmod", "synthetic", "bpf", NULL };
	const char *bad_order[] = { "synthetic", "floppy", NULL };
	struct scap_open_opts o = { .sz = sizeof(o), .engine_order = order, .buffer_bytes = 4096 };
	struct scap *h;
	const char *rep;

	(void)state;
	if (scap_open(&h, "auto", &o, err, sizeof(err)) != 0)
		fail_msg("auto: %s", err);
	assert_string_equal(scap_engine_name(h), "synthetic");
	rep = scap_engine_report(h);
	/* kmod cannot be chosen in a unit test: not built, no module, or not root */
	assert_true(strstr(rep, "kmod: skipped because ") == rep || strstr(rep, "kmod: failed because ") == rep);
	contains(rep, "\nsynthetic: chosen\n");
	contains(rep, "bpf: not tried");
	scap_close(h);
	o.engine_order = bad_order;
	assert_int_equal(try_open("auto", &o), -EINVAL);
	contains(err, "unknown engine \"floppy\" at position 1");
}

static void auto_default_order_without_live_engines(void **state)
{
	(void)state;
	if (built_in("modern_bpf") || built_in("bpf") || built_in("kmod")) {
		print_message("live engines are built in: the host decides, nothing to check\n");
		return;
	}
	assert_int_equal(try_open("auto", NULL), -ENOTSUP);
	contains(err, "modern_bpf: skipped because it is not built into this library");
	contains(err, "bpf: skipped because");
	contains(err, "kmod: skipped because");
	contains(err, "what to do:");
}

/* A thread that waits until the test closes its pipe; tells its tid first. */
struct parked {
	int fd[2];
	volatile pid_t tid;
};

static void *park(void *arg)
{
	struct parked *p = arg;
	char c;

	p->tid = gettid();
	if (read(p->fd[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

/*
 * A live engine's pid must name a running process: no such process is
 * -ESRCH, a thread is -EINVAL naming its process; both before any engine is
 * probed, so the answer is the same as root or not. Engines whose pids are
 * not this host's (synthetic, savefile) take any pid.
 */
static void pid_of_live_engines(void **state)
{
	struct scap_open_opts o = { .sz = sizeof(o), .buffer_bytes = 4096 };
	char want[SCAP_ERRBUF_SIZE];
	struct parked pk = { .tid = 0 };
	pthread_t t;
	int32_t nopid = 999999;
	char path[64];

	(void)state;
	for (;; nopid++) {
		snprintf(path, sizeof(path), "/proc/%d", (int)nopid);
		if (access(path, F_OK) != 0)
			break;
	}
	o.pid = nopid;
	assert_int_equal(try_open("auto", &o), -ESRCH);
	snprintf(want, sizeof(want), "invalid option pid=%d: no process has this id (it may have exited), "
		 "so the pid filter would match nothing: give the id of a running process", (int)nopid);
	assert_string_equal(err, want);
	if (built_in("modern_bpf")) {
		assert_int_equal(try_open("modern_bpf", &o), -ESRCH);
		assert_string_equal(err, want);
	}
	assert_int_equal(try_open("synthetic", &o), 0);

	assert_int_equal(pipe(pk.fd), 0);
	assert_int_equal(pthread_create(&t, NULL, park, &pk), 0);
	while (!pk.tid)
		usleep(1000);
	o.pid = pk.tid;
	assert_int_equal(try_open("auto", &o), -EINVAL);
	snprintf(want, sizeof(want), "invalid option pid=%d: %d is a thread of process %d, and the pid "
		 "filter keeps whole processes: use %d", (int)pk.tid, (int)pk.tid, (int)getpid(), (int)getpid());
	assert_string_equal(err, want);
	close(pk.fd[1]);
	pthread_join(t, NULL);
	close(pk.fd[0]);
}

static void handle_basics(void **state)
{
	struct scap_open_opts o = { .sz = sizeof(o), .synthetic_events = 10, .buffer_bytes = 4096 };
	struct scap_stats st;
	struct scap_buffer_stats bs = { .sz = sizeof(bs) };
	const struct scap_event *ev;
	struct scap *h;
	unsigned cpu;

	(void)state;
	assert_int_equal(scap_open(&h, "synthetic", &o, err, sizeof(err)), 0);
	assert_string_equal(scap_engine_name(h), "synthetic");
	assert_string_equal(scap_engine_report(h), "");
	assert_string_equal(scap_warnings(h), "");
	assert_int_equal(scap_next(h, &ev, &cpu, 0), -EINVAL);
	contains(scap_last_error(h), "scap_start");
	memset(&st, 0, sizeof(st));
	assert_int_equal(scap_get_stats(h, &st), -EINVAL);
	/* an older, shorter stats struct gets only its fields */
	memset(&st, 0xff, sizeof(st));
	st.sz = offsetof(struct scap_stats, drops);
	assert_int_equal(scap_get_stats(h, &st), 0);
	assert_int_equal(st.events, 0);
	assert_int_equal(st.drops, UINT64_MAX);
	assert_int_equal(scap_get_buffer_stats(h, 4, &bs), -ERANGE);
	contains(scap_last_error(h), "buffer 4 does not exist");
	assert_int_equal(scap_start(h), 0);
	assert_int_equal(scap_start(h), 0);
	assert_int_equal(scap_next(h, &ev, &cpu, 0), 0);
	scap_close(h);
	scap_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_engine_lists_names),
		cmocka_unit_test(engine_not_built),
		cmocka_unit_test(engine_table),
		cmocka_unit_test(options_size),
		cmocka_unit_test(bad_options_are_named),
		cmocka_unit_test(auto_with_order_and_report),
		cmocka_unit_test(auto_default_order_without_live_engines),
		cmocka_unit_test(handle_basics),
		cmocka_unit_test(pid_of_live_engines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
