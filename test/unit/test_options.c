// SPDX-License-Identifier: Apache-2.0
/*
 * Every numeric option of the library, table-driven (issue 17, item 5): at
 * 0, 1, its maximum, its maximum + 1 and the limits of its type, scap_open
 * (or scap_dump_open) either accepts the value or refuses it with -EINVAL
 * and a message naming the option and its range: never a hang (each call
 * runs under an alarm), never another error code, never a silent
 * acceptance of a value that cannot work. Accepted values that have an
 * observable effect are checked for it (snaplen; pairing_max_pending in
 * test_pairing.c).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scap/scap.h"

/* Seconds a call may take before the test calls it a hang. */
#define HANG_S 20

enum field {
	F_BUFFER_BYTES, F_CPUS_PER_BUFFER, F_SNAPLEN, F_PID, F_PAIRING_MAX_PENDING, F_SYNTHETIC_SEED,
	F_SYNTHETIC_EVENTS, F_SYNTHETIC_CPUS,
};

struct open_row {
	enum field field;
	const char *name;
	uint64_t value;            /* for pid: the int32 bits */
	int want;                  /* 0 or -EINVAL */
};

#define OK 0
#define BAD (-EINVAL)

static const struct open_row open_rows[] = {
	/* size_t buffer_bytes: 4 KiB .. 1 GiB, 0 = 8 MiB */
	{ F_BUFFER_BYTES, "buffer_bytes", 0, OK },
	{ F_BUFFER_BYTES, "buffer_bytes", 1, BAD },
	{ F_BUFFER_BYTES, "buffer_bytes", 4096, OK },
	{ F_BUFFER_BYTES, "buffer_bytes", 1u << 30, OK },
	{ F_BUFFER_BYTES, "buffer_bytes", (1u << 30) + 1, BAD },
	{ F_BUFFER_BYTES, "buffer_bytes", SIZE_MAX, BAD },
	/* unsigned cpus_per_buffer: 1 .. 4096, 0 = 1 */
	{ F_CPUS_PER_BUFFER, "cpus_per_buffer", 0, OK },
	{ F_CPUS_PER_BUFFER, "cpus_per_buffer", 1, OK },
	{ F_CPUS_PER_BUFFER, "cpus_per_buffer", 4096, OK },
	{ F_CPUS_PER_BUFFER, "cpus_per_buffer", 4097, BAD },
	{ F_CPUS_PER_BUFFER, "cpus_per_buffer", UINT_MAX, BAD },
	/* unsigned snaplen: 1 .. 16384, 0 = 80 */
	{ F_SNAPLEN, "snaplen", 0, OK },
	{ F_SNAPLEN, "snaplen", 1, OK },
	{ F_SNAPLEN, "snaplen", 16384, OK },
	{ F_SNAPLEN, "snaplen", 16385, BAD },
	{ F_SNAPLEN, "snaplen", UINT_MAX, BAD },
	/* int32 pid: 1 .. 4194304 (PID_MAX_LIMIT), 0 = all */
	{ F_PID, "pid", 0, OK },
	{ F_PID, "pid", 1, OK },
	{ F_PID, "pid", 4194304, OK },
	{ F_PID, "pid", 4194305, BAD },
	{ F_PID, "pid", (uint32_t)INT32_MAX, BAD },
	{ F_PID, "pid", (uint32_t)-1, BAD },
	{ F_PID, "pid", (uint32_t)INT32_MIN, BAD },
	/* unsigned pairing_max_pending: 1 .. 4194304, 0 = 65536; 2^30 returned -ENOMEM and
	 * 3221225473 never returned before */
	{ F_PAIRING_MAX_PENDING, "pairing_max_pending", 0, OK },
	{ F_PAIRING_MAX_PENDING, "pairing_max_pending", 1, OK },
	{ F_PAIRING_MAX_PENDING, "pairing_max_pending", 4194304, OK },
	{ F_PAIRING_MAX_PENDING, "pairing_max_pending", 4194305, BAD },
	{ F_PAIRING_MAX_PENDING, "pairing_max_pending", 1u << 30, BAD },
	{ F_PAIRING_MAX_PENDING, "pairing_max_pending", 3221225473u, BAD },
	{ F_PAIRING_MAX_PENDING, "pairing_max_pending", UINT_MAX, BAD },
	/* uint64 synthetic_seed: every value, 0 = 1 */
	{ F_SYNTHETIC_SEED, "synthetic_seed", 0, OK },
	{ F_SYNTHETIC_SEED, "synthetic_seed", 1, OK },
	{ F_SYNTHETIC_SEED, "synthetic_seed", UINT64_MAX, OK },
	/* uint64 synthetic_events: every value, 0 = endless */
	{ F_SYNTHETIC_EVENTS, "synthetic_events", 0, OK },
	{ F_SYNTHETIC_EVENTS, "synthetic_events", 1, OK },
	{ F_SYNTHETIC_EVENTS, "synthetic_events", UINT64_MAX, OK },
	/* unsigned synthetic_cpus: 1 .. 1024, 0 = 4 */
	{ F_SYNTHETIC_CPUS, "synthetic_cpus", 0, OK },
	{ F_SYNTHETIC_CPUS, "synthetic_cpus", 1, OK },
	{ F_SYNTHETIC_CPUS, "synthetic_cpus", 1024, OK },
	{ F_SYNTHETIC_CPUS, "synthetic_cpus", 1025, BAD },
	{ F_SYNTHETIC_CPUS, "synthetic_cpus", UINT_MAX, BAD },
};

static void set_field(struct scap_open_opts *o, const struct open_row *r)
{
	switch (r->field) {
	case F_BUFFER_BYTES: o->buffer_bytes = (size_t)r->value; break;
	case F_CPUS_PER_BUFFER: o->cpus_per_buffer = (unsigned)r->value; break;
	case F_SNAPLEN: o->snaplen = (unsigned)r->value; break;
	case F_PID: o->pid = (int32_t)(uint32_t)r->value; break;
	case F_PAIRING_MAX_PENDING: o->pairing_max_pending = (unsigned)r->value; break;
	case F_SYNTHETIC_SEED: o->synthetic_seed = r->value; break;
	case F_SYNTHETIC_EVENTS: o->synthetic_events = r->value; break;
	case F_SYNTHETIC_CPUS: o->synthetic_cpus = (unsigned)r->value; break;
	}
}

static void on_alarm(int sig)
{
	static const char msg[] = "test_options: a call did not return within the alarm: a hang\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(2);
}

static void test_open_options(void **unused)
{
	signal(SIGALRM, on_alarm);
	for (size_t i = 0; i < sizeof(open_rows) / sizeof(open_rows[0]); i++) {
		const struct open_row *r = &open_rows[i];
		/* One virtual CPU: a 1 GiB ring for each of four would be 4 GiB of address space. */
		struct scap_open_opts o = { .sz = sizeof(o), .synthetic_cpus = 1, .synthetic_events = 1000 };
		char err[SCAP_ERRBUF_SIZE] = "";
		struct scap *h = NULL;
		int got;

		set_field(&o, r);
		alarm(HANG_S);
		got = scap_open(&h, "synthetic", &o, err, sizeof(err));
		alarm(0);
		if (got != r->want)
			fail_msg("%s=%llu: scap_open returned %d (%s), expected %d", r->name, (unsigned long long)r->value,
				 got, err, r->want);
		if (got == 0) {
			const struct scap_event *ev;
			unsigned cpu;

			assert_int_equal(scap_start(h), 0);
			alarm(HANG_S);
			/* It delivers events: an accepted value works. A pid selects no
			 * synthetic process (those are 100..), so the stream ends empty. */
			do
				got = scap_next(h, &ev, &cpu, 100);
			while (got == -EAGAIN);
			alarm(0);
			assert_int_equal(got, r->field == F_PID && r->value ? -ENODATA : 0);
			scap_close(h);
			continue;
		}
		/* The message names the option and gives its valid range. */
		if (!strstr(err, r->name) || !strstr(err, "must be"))
			fail_msg("%s=%llu: the message does not name the option and its range: %s", r->name,
				 (unsigned long long)r->value, err);
	}
}

/* The accepted extremes do what they say. */
static void test_open_option_effects(void **unused)
{
	struct scap_open_opts o = { .sz = sizeof(o), .synthetic_events = 20000, .snaplen = 1 };
	char err[SCAP_ERRBUF_SIZE];
	const struct scap_event *ev;
	struct scap *h = NULL;
	unsigned cpu, big = 0, one = 0;
	int r;

	/* snaplen 1: no I/O buffer keeps more than one byte. */
	assert_int_equal(scap_open(&h, "synthetic", &o, err, sizeof(err)), 0);
	assert_int_equal(scap_start(h), 0);
	while ((r = scap_next(h, &ev, &cpu, 0)) == 0 || r == -EAGAIN) {
		struct scap_param p;

		if (r)
			continue;
		for (unsigned i = 0; i < scap_event_nparams(ev); i++)
			if (scap_event_param(ev, i, &p) == 0 && p.type == SCAP_PT_BYTEBUF) {
				big += p.len > 1;
				one += p.len == 1;
			}
	}
	assert_int_equal(r, -ENODATA);
	assert_int_equal(big, 0);
	assert_true(one > 100);
	scap_close(h);

	/* (pairing_max_pending's bound and growth: test_pairing.c.) */
}

/* A file to replay with another engine: refused, never a live capture that ignores it. */
static void test_savefile_path_needs_savefile(void **unused)
{
	static const char *const engines[] = { "synthetic", "auto", "modern_bpf", "bpf", "kmod" };
	struct scap_open_opts o = { .sz = sizeof(o), .savefile_path = "/tmp/x.scap" };
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++) {
		assert_int_equal(scap_open(&h, engines[i], &o, err, sizeof(err)), -EINVAL);
		assert_null(h);
		if (!strstr(err, "only the savefile engine replays a file"))
			fail_msg("%s: %s", engines[i], err);
	}
}

struct dump_row {
	const char *name;
	int kind;                  /* 0 level, 1 buffer_bytes, 2 flush_ms, 3 sync_ms */
	int64_t value;
	int want;
};

static const struct dump_row dump_rows[] = {
	/* int level: 1..9, 0 = 6 */
	{ "level", 0, 0, OK }, { "level", 0, 1, OK }, { "level", 0, 9, OK }, { "level", 0, 10, BAD },
	{ "level", 0, INT_MAX, BAD }, { "level", 0, -1, BAD }, { "level", 0, INT_MIN, BAD },
	/* size_t buffer_bytes: 4 KiB .. 64 MiB, 0 = 256 KiB */
	{ "buffer_bytes", 1, 0, OK }, { "buffer_bytes", 1, 1, BAD }, { "buffer_bytes", 1, 4096, OK },
	{ "buffer_bytes", 1, 64 << 20, OK }, { "buffer_bytes", 1, (64 << 20) + 1, BAD },
	{ "buffer_bytes", 1, -1 /* SIZE_MAX */, BAD },
	/* unsigned flush_ms: 1 .. 3600000, 0 = 1000 */
	{ "flush_ms", 2, 0, OK }, { "flush_ms", 2, 1, OK }, { "flush_ms", 2, 3600000, OK },
	{ "flush_ms", 2, 3600001, BAD }, { "flush_ms", 2, UINT_MAX, BAD },
	/* int sync_ms: 1 .. 3600000, 0 = 1000, -1 never */
	{ "sync_ms", 3, 0, OK }, { "sync_ms", 3, 1, OK }, { "sync_ms", 3, 3600000, OK },
	{ "sync_ms", 3, 3600001, BAD }, { "sync_ms", 3, INT_MAX, BAD }, { "sync_ms", 3, -1, OK },
	{ "sync_ms", 3, -2, BAD }, { "sync_ms", 3, INT_MIN, BAD },
};

static void test_dump_options(void **unused)
{
	struct scap_open_opts o = { .sz = sizeof(o), .synthetic_events = 100 };
	char err[SCAP_ERRBUF_SIZE], path[64];
	struct scap *h = NULL;

	snprintf(path, sizeof(path), "/dev/shm/scap_options_%d.scap", (int)getpid());
	assert_int_equal(scap_open(&h, "synthetic", &o, err, sizeof(err)), 0);
	assert_int_equal(scap_start(h), 0);
	for (size_t i = 0; i < sizeof(dump_rows) / sizeof(dump_rows[0]); i++) {
		const struct dump_row *r = &dump_rows[i];
		struct scap_dump_opts d_o = { .sz = sizeof(d_o) };
		struct scap_dumper *d = NULL;
		int got;

		switch (r->kind) {
		case 0: d_o.level = (int)r->value; d_o.compress = true; break;
		case 1: d_o.buffer_bytes = r->value < 0 ? SIZE_MAX : (size_t)r->value; break;
		case 2: d_o.flush_ms = (unsigned)r->value; break;
		default: d_o.sync_ms = (int)r->value; break;
		}
		got = scap_dump_open(&d, h, path, &d_o);
		if (got != r->want)
			fail_msg("%s=%lld: scap_dump_open returned %d (%s), expected %d", r->name, (long long)r->value,
				 got, scap_last_error(h), r->want);
		if (got == 0) {
			assert_int_equal(scap_dump_close(d), 0);
			continue;
		}
		assert_null(d);
		if (!strstr(scap_last_error(h), r->name) || !strstr(scap_last_error(h), "must be"))
			fail_msg("%s=%lld: %s", r->name, (long long)r->value, scap_last_error(h));
	}
	scap_close(h);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_options),
		cmocka_unit_test(test_open_option_effects),
		cmocka_unit_test(test_savefile_path_needs_savefile),
		cmocka_unit_test(test_dump_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
