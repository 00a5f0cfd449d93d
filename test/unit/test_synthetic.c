// SPDX-License-Identifier: Apache-2.0
/*
 * The synthetic engine through the public API: 100k events in exact merge
 * order, deterministic for a seed whatever the buffer size, covering every
 * row of the schema, and ending with -ENODATA.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "scap/scap.h"

static struct scap *open_synth(uint64_t seed, uint64_t n, size_t bufsz, unsigned snaplen, unsigned cpus)
{
	struct scap_open_opts o = {
		.sz = sizeof(o), .synthetic_seed = seed, .synthetic_events = n,
		.buffer_bytes = bufsz, .snaplen = snaplen, .synthetic_cpus = cpus,
		.unpaired = true, /* these tests check the raw stream the engine writes */
	};
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	if (scap_open(&h, "synthetic", &o, err, sizeof(err)) != 0)
		fail_msg("open: %s", err);
	assert_int_equal(scap_start(h), 0);
	return h;
}

/* FNV-1a over the events' bytes and CPUs: a stream fingerprint. */
static uint64_t fnv(uint64_t hsh, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		hsh = (hsh ^ *b++) * 0x100000001b3ull;
	return hsh;
}

struct summary {
	uint64_t n, hash, equal_ts, truncated, max_bytebuf, generic_unknown;
	unsigned seen[SCAP_EV_MAX];
	unsigned families[5];
};

static void read_all(struct scap *h, struct summary *s)
{
	const struct scap_event *ev;
	uint64_t pts = 0;
	unsigned cpu, pcpu = 0;
	int r;

	memset(s, 0, sizeof(*s));
	s->hash = 0xcbf29ce484222325ull;
	while ((r = scap_next(h, &ev, &cpu, 0)) == 0) {
		uint64_t ts = scap_event_ts(ev);
		unsigned i;

		if (s->n) {
			/* exact merge order: (ts, cpu) strictly increasing */
			if (!(ts > pts || (ts == pts && cpu > pcpu)))
				fail_msg("event %llu out of order: ts %llu cpu %u after ts %llu cpu %u",
					 (unsigned long long)s->n, (unsigned long long)ts, cpu,
					 (unsigned long long)pts, pcpu);
			s->equal_ts += ts == pts;
		}
		pts = ts;
		pcpu = cpu;
		assert_int_equal(scap_event_validate(ev, scap_event_len(ev), NULL, 0), 0);
		s->seen[scap_event_type(ev)]++;
		s->truncated += !!(scap_event_flags(ev) & SCAP_EVF_TRUNCATED);
		if (strncmp(scap_event_name(ev), "syscall_", 8) == 0)
			s->generic_unknown++;
		for (i = 0; i < scap_event_nparams(ev); i++) {
			struct scap_param p;

			assert_int_equal(scap_event_param(ev, i, &p), 0);
			if (p.type == SCAP_PT_BYTEBUF && p.len > s->max_bytebuf)
				s->max_bytebuf = p.len;
			if (p.type == SCAP_PT_SOCKADDR && p.len)
				s->families[((const uint8_t *)p.data)[0]]++;
		}
		s->hash = fnv(s->hash, scap_event_bytes(ev), scap_event_len(ev));
		s->hash = fnv(s->hash, &cpu, sizeof(cpu));
		s->n++;
	}
	assert_int_equal(r, -ENODATA);
	assert_int_equal(scap_next(h, &ev, &cpu, 0), -ENODATA);
}

static void hundred_thousand_in_order(void **state)
{
	struct scap *h = open_synth(42, 100000, 1 << 20, 0, 4);
	struct scap_stats st = { .sz = sizeof(st) };
	struct summary s;
	uint64_t per[4], sum = 0;
	unsigned i;

	(void)state;
	read_all(h, &s);
	assert_int_equal(s.n, 100000);
	assert_true(s.equal_ts > 100); /* ties across CPUs happen */
	for (i = 0; i < SCAP_EV_MAX; i++)
		if (s.seen[i] == 0)
			fail_msg("event code %u (%s) never generated", i, scap_event_info(i)->name);
	assert_true(s.generic_unknown > 0);
	assert_true(s.truncated > 0);
	assert_int_equal(s.max_bytebuf, SCAP_DEFAULT_SNAPLEN);
	for (i = 0; i < 5; i++)
		assert_true(s.families[i] > 0);
	assert_int_equal(scap_get_stats(h, &st), 0);
	assert_int_equal(st.events, 100000);
	assert_int_equal(st.kernel_events, 100000);
	assert_int_equal(st.drops, 0);
	assert_int_equal(st.nbuffers, 4);
	for (i = 0; i < 4; i++) {
		struct scap_buffer_stats b = { .sz = sizeof(b) };

		assert_int_equal(scap_get_buffer_stats(h, i, &b), 0);
		assert_int_equal(b.cpu, (int)i);
		assert_int_equal(b.events, b.kernel_events);
		per[i] = b.events;
		sum += b.events;
	}
	assert_int_equal(sum, 100000);
	/* CPU 0 is far busier than the others. */
	for (i = 1; i < 4; i++)
		assert_true(per[0] > 3 * per[i]);
	scap_close(h);
}

/* Same seed, same stream, for any ring of 64 KiB or more (which wraps constantly). */
static void deterministic_across_buffer_sizes(void **state)
{
	struct scap *a = open_synth(7, 20000, 64 << 10, 0, 3);
	struct scap *b = open_synth(7, 20000, 8 << 20, 0, 3);
	struct scap *c = open_synth(8, 20000, 8 << 20, 0, 3);
	struct summary sa, sb, sc;

	(void)state;
	read_all(a, &sa);
	read_all(b, &sb);
	read_all(c, &sc);
	assert_int_equal(sa.n, 20000);
	assert_int_equal(sa.hash, sb.hash);
	assert_true(sa.hash != sc.hash);
	scap_close(a);
	scap_close(b);
	scap_close(c);
}

/* The smallest ring: events capped to fit, still exact order and count. */
static void tiny_ring(void **state)
{
	struct scap *h = open_synth(9, 20000, 4096, 0, 3);
	struct summary s;

	(void)state;
	read_all(h, &s);
	assert_int_equal(s.n, 20000);
	scap_close(h);
}

static void snaplen_and_big_events(void **state)
{
	struct scap *h = open_synth(3, 20000, 1 << 20, SCAP_MAX_SNAPLEN, 2);
	struct scap *s = open_synth(3, 5000, 1 << 20, 16, 2);
	struct summary a, b;

	(void)state;
	read_all(h, &a);
	read_all(s, &b);
	assert_int_equal(a.max_bytebuf, SCAP_MAX_SNAPLEN);
	assert_int_equal(b.max_bytebuf, 16);
	scap_close(h);
	scap_close(s);
}

/* Enter rows are followed by their exit on the same thread and CPU. */
static void enters_are_followed_by_exits(void **state)
{
	struct scap *h = open_synth(11, 20000, 1 << 20, 0, 4);
	const struct scap_event *ev;
	unsigned cpu, enters = 0;
	int pending[4] = { -1, -1, -1, -1 };
	uint32_t ptid[4] = { 0 };

	(void)state;
	while (scap_next(h, &ev, &cpu, 0) == 0) {
		unsigned code = scap_event_type(ev);

		if (pending[cpu] >= 0) {
			assert_int_equal(code, (unsigned)pending[cpu] + 1);
			assert_int_equal(scap_event_tid(ev), ptid[cpu]);
			pending[cpu] = -1;
		}
		if (scap_event_dir(ev) == SCAP_DIR_ENTER &&
		    !(scap_event_info(code)->flags & SCAP_EF_NO_EXIT)) {
			pending[cpu] = (int)code;
			ptid[cpu] = scap_event_tid(ev);
			enters++;
		}
	}
	assert_true(enters > 100);
	scap_close(h);
}

/*
 * With the pairing stage (the default), every enter is folded into its exit:
 * the same seed delivers the raw count minus the enters, and the exits whose
 * arguments the generator changed after the enter come out flagged TOCTOU.
 */
static void paired_stream(void **state)
{
	struct scap_open_opts o = { .sz = sizeof(o), .synthetic_seed = 11, .synthetic_events = 20000 };
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap *raw = open_synth(11, 20000, 0, 0, 0), *h;
	const struct scap_event *ev;
	char err[SCAP_ERRBUF_SIZE];
	unsigned cpu, enters = 0, n = 0, flagged = 0;

	(void)state;
	/* Enters of calls that never return (exit_group) are delivered as they are. */
	while (scap_next(raw, &ev, &cpu, 0) == 0)
		enters += scap_event_dir(ev) == SCAP_DIR_ENTER &&
			  !(scap_event_info(scap_event_type(ev))->flags & SCAP_EF_NO_EXIT);
	scap_close(raw);
	if (scap_open(&h, "synthetic", &o, err, sizeof(err)) != 0)
		fail_msg("open: %s", err);
	assert_int_equal(scap_start(h), 0);
	while (scap_next(h, &ev, &cpu, 0) == 0) {
		if (!(scap_event_info(scap_event_type(ev))->flags & SCAP_EF_NO_EXIT))
			assert_int_equal(scap_event_dir(ev), SCAP_DIR_EXIT);
		assert_int_equal(scap_event_validate(ev, scap_event_len(ev), NULL, 0), 0);
		flagged += !!(scap_event_flags(ev) & SCAP_EVF_TOCTOU);
		n++;
	}
	assert_true(enters > 100);
	assert_int_equal(n, 20000 - enters);
	assert_int_equal(scap_get_stats(h, &st), 0);
	assert_int_equal(st.events, n);
	assert_int_equal(st.toctou, flagged);
	assert_true(flagged > 0);
	assert_int_equal(st.pairing_orphan_exits, 0);
	assert_int_equal(st.pairing_evicted, 0);
	scap_close(h);
}

/*
 * Stopping keeps what the rings hold: scap_stats.unread counts it, scap_next
 * hands it out in order without waiting, then says -ENODATA (at once, even
 * with a timeout) until scap_start; nothing generated is lost.
 */
static void stop_and_restart(void **state)
{
	struct scap *h = open_synth(5, 0, 1 << 16, 0, 2); /* endless */
	struct scap_stats st = { .sz = sizeof(st) };
	const struct scap_event *ev;
	unsigned cpu, n = 0, drained = 0;
	uint64_t prev = 0, unread, t0;
	struct timespec a, b;

	(void)state;
	while (n < 1000 && scap_next(h, &ev, &cpu, 0) == 0)
		n++;
	assert_int_equal(n, 1000);
	assert_int_equal(scap_stop(h), 0);
	assert_int_equal(scap_get_stats(h, &st), 0);
	unread = st.unread;
	/* The rings were filled in one go: a stop leaves most of a batch behind. */
	assert_true(unread > 0);
	assert_int_equal(st.kernel_events, st.events + st.unread);
	while (scap_next(h, &ev, &cpu, 0) == 0) {
		assert_true(scap_event_ts(ev) >= prev);
		prev = scap_event_ts(ev);
		drained++;
	}
	assert_int_equal(drained, unread);
	assert_int_equal(scap_get_stats(h, &st), 0);
	assert_int_equal(st.unread, 0);
	assert_int_equal(st.events, 1000 + drained);
	assert_int_equal(st.kernel_events, st.events);
	assert_int_equal(scap_next(h, &ev, &cpu, 0), -ENODATA);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(scap_next(h, &ev, &cpu, 200), -ENODATA);
	clock_gettime(CLOCK_MONOTONIC, &b);
	t0 = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000ull + (uint64_t)b.tv_nsec - (uint64_t)a.tv_nsec;
	/* A stopped handle does not wait for events that cannot come. */
	assert_true(t0 < 150000000ull);
	assert_int_equal(scap_start(h), 0);
	assert_int_equal(scap_next(h, &ev, &cpu, 0), 0);
	assert_true(scap_event_ts(ev) > prev);
	scap_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hundred_thousand_in_order),
		cmocka_unit_test(deterministic_across_buffer_sizes),
		cmocka_unit_test(tiny_ring),
		cmocka_unit_test(snaplen_and_big_events),
		cmocka_unit_test(enters_are_followed_by_exits),
		cmocka_unit_test(paired_stream),
		cmocka_unit_test(stop_and_restart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
