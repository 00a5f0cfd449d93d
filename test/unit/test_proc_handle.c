// SPDX-License-Identifier: Apache-2.0
/*
 * The process table through the public API, on the synthetic engine (which
 * delivers every row whatever the selection, like a replay): the rows the
 * table needs are hidden when the caller did not select them, and exactly
 * those; scap_event_proc agrees with scap_proc_lookup; iteration; proc_off;
 * the sized struct; the formatted lines; bad options.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scap/scap.h"

#define NEVENTS 30000u

static bool lifecycle(uint16_t code)
{
	static const uint16_t codes[] = {
		SCAP_EV_CLONE_X, SCAP_EV_FORK_X, SCAP_EV_VFORK_X, SCAP_EV_CLONE3_X, SCAP_EV_EXECVE_E,
		SCAP_EV_EXECVE_X, SCAP_EV_EXECVEAT_E, SCAP_EV_EXECVEAT_X, SCAP_EV_SETUID_X, SCAP_EV_SETGID_X,
		SCAP_EV_SETREUID_X, SCAP_EV_SETREGID_X, SCAP_EV_SETRESUID_X, SCAP_EV_SETRESGID_X, SCAP_EV_CHDIR_X,
		SCAP_EV_FCHDIR_X, SCAP_EV_PROCEXIT_E,
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i] == code)
			return true;
	return false;
}

static struct scap *open_syn(const char *const *syscalls, bool off, unsigned max)
{
	struct scap_open_opts o = {
		.sz = sizeof(o), .syscalls = syscalls, .synthetic_events = NEVENTS, .synthetic_seed = 7,
		.proc_off = off, .proc_max_entries = max,
	};
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	if (scap_open(&h, "synthetic", &o, err, sizeof(err)) < 0)
		fail_msg("scap_open: %s", err);
	assert_int_equal(scap_start(h), 0);
	return h;
}

struct counts {
	uint64_t delivered, lifecycle, execve, openat, with_proc;
};

static struct counts drain(struct scap *h)
{
	struct counts c = { 0 };
	const struct scap_event *ev;

	while (scap_next(h, &ev, NULL, 0) == 0) {
		c.delivered++;
		c.lifecycle += lifecycle(scap_event_type(ev));
		c.execve += scap_event_type(ev) == SCAP_EV_EXECVE_X;
		c.openat += scap_event_type(ev) == SCAP_EV_OPENAT_X || scap_event_type(ev) == SCAP_EV_OPENAT_E;
		c.with_proc += scap_event_proc(h, ev) != NULL;
	}
	return c;
}

static void hidden_rows(void **state)
{
	static const char *const openat[] = { "openat", NULL };
	static const char *const openat_execve[] = { "openat", "execve", NULL };
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap *h;
	struct counts all, off, sel, sel2;

	(void)state;
	h = open_syn(NULL, false, 0);
	all = drain(h);
	scap_close(h);
	assert_true(all.lifecycle > 100);
	assert_true(all.openat > 100);

	/*
	 * openat only: the core's filter leaves the synthetic stream's other rows
	 * out (a replay's --syscalls), the table's rows reach the table and are
	 * hidden: the caller gets exactly the openat events, the table grows.
	 */
	h = open_syn(openat, false, 0);
	sel = drain(h);
	assert_int_equal(sel.lifecycle, 0);
	assert_int_equal(sel.delivered, all.openat);
	assert_int_equal(scap_get_stats(h, &st), 0);
	assert_int_equal(st.events, sel.delivered);
	assert_true(st.proc_entries > 0); /* the hidden rows made them */
	assert_int_equal(st.proc_scans, 0); /* not this host's processes: no scan */
	scap_close(h);
	/* proc_off: the same lines, and no table. */
	h = open_syn(openat, true, 0);
	off = drain(h);
	assert_int_equal(off.delivered, all.openat);
	assert_int_equal(off.with_proc, 0);
	assert_int_equal(scap_get_stats(h, &st), 0);
	assert_int_equal(st.proc_entries, 0);
	scap_close(h);

	/* execve selected: delivered, the rest of the lifecycle still hidden. */
	h = open_syn(openat_execve, false, 0);
	sel2 = drain(h);
	assert_int_equal(sel2.execve, all.execve);
	assert_int_equal(sel2.lifecycle, sel2.execve);
	assert_int_equal(sel2.delivered, all.openat + all.execve);
	scap_close(h);
}

static void accessor_and_lookup(void **state)
{
	struct scap *h = open_syn(NULL, false, 0);
	const struct scap_event *ev, *prev = NULL;
	uint64_t found = 0, misses = 0, calls = 0;

	(void)state;
	while (scap_next(h, &ev, NULL, 0) == 0) {
		const struct scap_proc *p = scap_event_proc(h, ev);
		struct scap_proc q = { .sz = sizeof(q) };

		calls++;
		/* Memoized: the same answer, no second lookup counted. */
		assert_ptr_equal(scap_event_proc(h, ev), p);
		if (prev && prev != ev)
			assert_null(scap_event_proc(h, prev)); /* not the event delivered last */
		prev = ev;
		if (!p) {
			misses++;
			continue;
		}
		found++;
		assert_int_equal(p->sz, sizeof(*p));
		assert_int_equal(p->tid, scap_event_tid(ev));
		assert_true(p->start_ns <= scap_event_ts(ev) || !(p->known & SCAP_PROC_HAS_START));
		assert_int_equal(scap_proc_lookup(h, p->tid, &q), 0);
		assert_int_equal(q.tid, p->tid);
		assert_int_equal(q.pid, p->pid);
		assert_int_equal(q.uid, p->uid);
		assert_string_equal(q.comm, p->comm);
		assert_ptr_equal(q.exe, p->exe);
		assert_ptr_equal(q.container_id, p->container_id);
		if (p->known & SCAP_PROC_HAS_CGROUP)
			assert_non_null(p->container_id);
	}
	assert_true(found > 1000);
	{
		struct scap_stats st = { .sz = sizeof(st) };

		assert_int_equal(scap_get_stats(h, &st), 0);
		/* one per event, plus one per scap_proc_lookup (all found) */
		assert_int_equal(st.proc_lookups, calls + found);
		assert_int_equal(st.proc_lookup_misses, misses);
	}
	scap_close(h);
}

static void iteration_and_sizes(void **state)
{
	struct scap *h = open_syn(NULL, false, 0);
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap_proc p = { .sz = sizeof(p) };
	uint64_t cursor = 0, n = 0;
	int r;

	(void)state;
	drain(h);
	assert_int_equal(scap_get_stats(h, &st), 0);
	while ((r = scap_proc_iter(h, &cursor, &p)) == 0) {
		struct scap_proc q = { .sz = sizeof(q) };

		n++;
		assert_int_equal(scap_proc_lookup(h, p.tid, &q), 0);
		assert_int_equal(q.pid, p.pid);
	}
	assert_int_equal(r, -ENOENT);
	assert_int_equal(n, st.proc_entries);
	assert_true(st.proc_bytes > n * 64);
	/* A caller built against an older, smaller struct gets its fields only. */
	{
		struct {
			struct scap_proc p;
			char guard[16];
		} old;
		size_t sz = offsetof(struct scap_proc, start_ns);

		memset(&old, 0x5a, sizeof(old));
		old.p.sz = sz;
		cursor = 0;
		assert_int_equal(scap_proc_iter(h, &cursor, &old.p), 0);
		assert_int_equal(old.p.sz, sz);
		for (size_t i = sz; i < sizeof(old.p); i++)
			assert_int_equal(((unsigned char *)&old.p)[i], 0x5a);
	}
	p.sz = 0;
	cursor = 0;
	assert_int_equal(scap_proc_iter(h, &cursor, &p), -EINVAL);
	assert_int_equal(scap_proc_lookup(h, 1, &p), -EINVAL);
	p.sz = sizeof(p);
	assert_int_equal(scap_proc_lookup(h, 99999999, &p), -ENOENT);
	assert_int_equal(scap_proc_lookup(NULL, 1, &p), -EINVAL);
	scap_close(h);
}

static void proc_off(void **state)
{
	struct scap *h = open_syn(NULL, true, 0);
	struct scap_proc p = { .sz = sizeof(p) };
	struct scap_stats st = { .sz = sizeof(st) };
	const struct scap_event *ev;
	uint64_t cursor = 0;
	char a[8192], b[8192];

	(void)state;
	assert_int_equal(scap_next(h, &ev, NULL, 0), 0);
	assert_null(scap_event_proc(h, ev));
	assert_int_equal(scap_proc_lookup(h, scap_event_tid(ev), &p), -EOPNOTSUPP);
	assert_int_equal(scap_proc_iter(h, &cursor, &p), -EOPNOTSUPP);
	/* The bare lines. */
	assert_int_equal(scap_event_format_proc(h, ev, 0, SCAP_FORMAT_TEXT, a, sizeof(a), NULL),
			 scap_event_format(ev, 0, SCAP_FORMAT_TEXT, b, sizeof(b), NULL));
	assert_string_equal(a, b);
	drain(h);
	assert_int_equal(scap_get_stats(h, &st), 0);
	assert_int_equal(st.proc_entries + st.proc_lookups + st.proc_scans + st.proc_bytes, 0);
	scap_close(h);
}

static void lines(void **state)
{
	struct scap *h = open_syn(NULL, false, 0);
	const struct scap_event *ev;
	unsigned with = 0, without = 0;
	char line[65536], tiny[16];

	(void)state;
	while (scap_next(h, &ev, NULL, 0) == 0 && (with < 50 || without < 50)) {
		const struct scap_proc *p = scap_event_proc(h, ev);
		char want[64];
		int n;

		/* Text: "<ts> <cpu> <tid> <pid> <comm> <event> ...". */
		n = scap_event_format_proc(h, ev, 3, SCAP_FORMAT_TEXT, line, sizeof(line), NULL);
		assert_int_equal(n, (int)strlen(line));
		if (p && (p->known & SCAP_PROC_HAS_COMM) && p->comm[0] && !strpbrk(p->comm, " \"\\"))
			snprintf(want, sizeof(want), " 3 %u %u %s %s ", scap_event_tid(ev), scap_event_pid(ev), p->comm,
				 scap_event_name(ev));
		else if (!p)
			snprintf(want, sizeof(want), " 3 %u %u NULL %s ", scap_event_tid(ev), scap_event_pid(ev),
				 scap_event_name(ev));
		else
			want[0] = '\0';
		if (want[0] && !strstr(line, want))
			fail_msg("text line \"%.200s\" lacks \"%s\"", line, want);
		/* The same length when cut: like snprintf. */
		assert_int_equal(scap_event_format_proc(h, ev, 3, SCAP_FORMAT_TEXT, tiny, sizeof(tiny), NULL), n);
		n = scap_event_format_proc(h, ev, 3, SCAP_FORMAT_JSON, line, sizeof(line), NULL);
		assert_int_equal(n, (int)strlen(line));
		if (p) {
			with++;
			/* After the params, or after "truncated":[...] when a value was cut. */
			if (!strstr(line, ",\"proc\":{"))
				fail_msg("JSON line \"%.400s\" lacks the proc object", line);
			snprintf(want, sizeof(want), "\"pid\":%u,\"comm\":\"", scap_event_pid(ev));
			if (p->known & SCAP_PROC_HAS_COMM)
				assert_non_null(strstr(line, want));
			if ((p->known & SCAP_PROC_HAS_CGROUP) && p->container_id) {
				snprintf(want, sizeof(want), "\"container_id\":\"%s\"", p->container_id);
				assert_non_null(strstr(line, want));
			}
		} else {
			without++;
			assert_null(strstr(line, "},\"proc\":"));
			snprintf(want, sizeof(want), "\"pid\":%u,\"event\":\"", scap_event_pid(ev));
			assert_non_null(strstr(line, want));
		}
	}
	assert_true(with >= 50);
	assert_true(without >= 50);
	scap_close(h);
}

static void bad_options(void **state)
{
	struct scap_open_opts o = { .sz = sizeof(o), .proc_max_entries = 10 };
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	(void)state;
	assert_int_equal(scap_open(&h, "synthetic", &o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "proc_max_entries=10"));
	assert_null(h);
	o.proc_max_entries = 64;
	assert_int_equal(scap_open(&h, "synthetic", &o, err, sizeof(err)), 0);
	scap_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hidden_rows), cmocka_unit_test(accessor_and_lookup),
		cmocka_unit_test(iteration_and_sizes), cmocka_unit_test(proc_off),
		cmocka_unit_test(lines), cmocka_unit_test(bad_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
