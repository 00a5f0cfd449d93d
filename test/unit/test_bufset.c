// SPDX-License-Identifier: Apache-2.0
/*
 * The timestamp merge: ordering across buffers, ties, empty and late buffers,
 * one buffer far busier than the rest, and a real byte ring (the synthetic
 * engine's) wrapping around with events of many sizes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "scap/bufset.h"
#include "scap/event_builder.h"
#include "engines/synthetic/synth_ring.h"

/* A fake buffer: a list of prebuilt events, of which `visible` are readable. */
struct fake_buf {
	struct scap_buf buf;
	uint8_t (*evs)[64];
	unsigned n, visible, pos;
	unsigned peeks, releases;
};

static const struct scap_evt_hdr *fake_peek(struct scap_buf *b)
{
	struct fake_buf *f = b->priv;

	f->peeks++;
	return f->pos < f->visible ? (const void *)f->evs[f->pos] : NULL;
}

static void fake_consume(struct scap_buf *b)
{
	((struct fake_buf *)b->priv)->pos++;
}

static void fake_release(struct scap_buf *b)
{
	((struct fake_buf *)b->priv)->releases++;
}

static const struct scap_buf_ops fake_ops = { fake_peek, fake_consume, fake_release };

static void fake_init(struct fake_buf *f, const uint64_t *ts, unsigned n, uint32_t tag)
{
	unsigned i;

	memset(f, 0, sizeof(*f));
	f->buf.ops = &fake_ops;
	f->buf.priv = f;
	f->evs = calloc(n ? n : 1, sizeof(*f->evs));
	f->n = f->visible = n;
	for (i = 0; i < n; i++) {
		struct scap_bval v[2] = { { .u = 0 }, { .u = i } };
		struct scap_bhdr h = { .ts = ts[i], .tid = tag, .pid = tag };

		assert_true(scap_event_build(f->evs[i], sizeof(f->evs[i]), SCAP_EV_CLOSE_X, &h, v, 2) > 0);
	}
}

static void fake_free(struct fake_buf *f)
{
	free(f->evs);
}

/* Drains the set, checking (ts, buffer) order; returns the count. */
static unsigned drain(struct scap_bufset *s, uint64_t *last_ts, unsigned *last_idx)
{
	const struct scap_evt_hdr *e;
	unsigned idx, n = 0;

	while ((e = scap_bufset_next(s, &idx))) {
		if (*last_ts != UINT64_MAX) {
			assert_true(e->ts >= *last_ts);
			if (e->ts == *last_ts)
				assert_true(idx >= *last_idx);
		}
		*last_ts = e->ts;
		*last_idx = idx;
		n++;
	}
	return n;
}

static void merges_in_order_with_ties(void **state)
{
	const uint64_t a[] = { 1, 4, 4, 9 }, b[] = { 2, 4, 8 }, c[] = { 4, 5 };
	struct fake_buf fa, fb, fc;
	struct scap_bufset s;
	const struct scap_evt_hdr *e;
	unsigned idx, i;
	/* Expected (ts, buffer): ties go to the lowest buffer index. */
	const uint64_t ets[] = { 1, 2, 4, 4, 4, 4, 5, 8, 9 };
	const unsigned eidx[] = { 0, 1, 0, 0, 1, 2, 2, 1, 0 };

	(void)state;
	fake_init(&fa, a, 4, 0);
	fake_init(&fb, b, 3, 1);
	fake_init(&fc, c, 2, 2);
	scap_bufset_init(&s);
	assert_int_equal(scap_bufset_add(&s, &fa.buf), 0);
	assert_int_equal(scap_bufset_add(&s, &fb.buf), 0);
	assert_int_equal(scap_bufset_add(&s, &fc.buf), 0);
	for (i = 0; i < 9; i++) {
		e = scap_bufset_next(&s, &idx);
		assert_non_null(e);
		assert_int_equal(e->ts, ets[i]);
		assert_int_equal(idx, eidx[i]);
		assert_int_equal(e->tid, eidx[i]);
	}
	assert_null(scap_bufset_next(&s, &idx));
	assert_int_equal(fa.buf.delivered, 4);
	assert_int_equal(fb.buf.delivered, 3);
	assert_int_equal(fc.buf.delivered, 2);
	scap_bufset_release(&s);
	assert_int_equal(fa.releases, 1);
	assert_int_equal(fc.releases, 1);
	scap_bufset_free(&s);
	fake_free(&fa);
	fake_free(&fb);
	fake_free(&fc);
}

static void empty_buffers(void **state)
{
	const uint64_t b[] = { 10, 20 };
	struct fake_buf f[5];
	struct scap_bufset s;
	uint64_t last = UINT64_MAX;
	unsigned li = 0, i;

	(void)state;
	scap_bufset_init(&s);
	assert_null(scap_bufset_next(&s, &li)); /* no buffers at all */
	for (i = 0; i < 5; i++) {
		fake_init(&f[i], b, i == 3 ? 2 : 0, i);
		assert_int_equal(scap_bufset_add(&s, &f[i].buf), 0);
	}
	assert_int_equal(drain(&s, &last, &li), 2);
	assert_int_equal(li, 3);
	assert_null(scap_bufset_next(&s, &li));
	scap_bufset_free(&s);
	for (i = 0; i < 5; i++)
		fake_free(&f[i]);
}

/* A buffer seen empty gets data later: it is found, at the latest, when the others drain. */
static void late_data_and_busy_buffer(void **state)
{
	uint64_t *busy = malloc(1000 * sizeof(uint64_t)), quiet[] = { 5, 600 };
	struct fake_buf fb, fq;
	struct scap_bufset s;
	const struct scap_evt_hdr *e;
	unsigned idx, i, n = 0, quiet_seen = 0;

	(void)state;
	for (i = 0; i < 1000; i++)
		busy[i] = 10 + i;
	fake_init(&fb, busy, 1000, 0);
	fake_init(&fq, quiet, 2, 1);
	fq.visible = 0; /* nothing readable yet */
	scap_bufset_init(&s);
	scap_bufset_add(&s, &fb.buf);
	scap_bufset_add(&s, &fq.buf);
	for (i = 0; i < 10; i++)
		assert_non_null(scap_bufset_next(&s, &idx));
	fq.visible = 2;
	/* Not starved: the quiet buffer is looked at again within 64 events. */
	while ((e = scap_bufset_next(&s, &idx))) {
		n++;
		if (idx == 1) {
			quiet_seen++;
			if (quiet_seen == 1)
				assert_true(n <= 64);
		}
	}
	assert_int_equal(n + 10, 1002);
	assert_int_equal(quiet_seen, 2);
	assert_int_equal(fb.buf.delivered, 1000);
	scap_bufset_free(&s);
	fake_free(&fb);
	fake_free(&fq);
	free(busy);
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * A commit later than the settle window (a vCPU stalled between stamp and
 * commit): the event shows up in a buffer seen empty after its stamp; the
 * window widens to twice that delay, so the next young event is held that
 * long, and it narrows again, halving per decay period without such delays.
 */
static void window_learns_commit_delays(void **state)
{
	uint64_t now = boot_ns(), young[1], late[1];
	struct fake_buf fa, fb;
	struct scap_bufset s;
	const struct scap_evt_hdr *e;
	unsigned idx;

	(void)state;
	assert_int_equal(scap_bufset_window_ns(boot_ns()), SCAP_BUFSET_SETTLE_NS);
	young[0] = now - 200000;      /* 0.2 ms old: inside the window */
	late[0] = now - 6000000;      /* stamped 6 ms ago, committed only now */
	fake_init(&fa, young, 1, 0);
	fake_init(&fb, late, 1, 1);
	fb.visible = 0;
	scap_bufset_init(&s);
	s.live_clock = true;
	scap_bufset_add(&s, &fa.buf);
	scap_bufset_add(&s, &fb.buf);
	/* Held: young, and buffer 1 is empty. */
	assert_null(scap_bufset_next(&s, &idx));
	assert_true(scap_bufset_held_until(&s) == young[0] + SCAP_BUFSET_SETTLE_NS);
	/* The late event lands: it goes out first (older), and the window learns ~6 ms. */
	fb.visible = 1;
	e = scap_bufset_next(&s, &idx);
	assert_non_null(e);
	assert_int_equal(idx, 1);
	assert_int_equal(e->ts, late[0]);
	assert_true(scap_bufset_window_ns(boot_ns()) >= 12000000ull);
	assert_true(scap_bufset_window_ns(boot_ns()) <= 2 * (boot_ns() - late[0]));
	/* The young one now waits for the wider window (buffer 1 is empty again). */
	assert_null(scap_bufset_next(&s, &idx));
	assert_true(scap_bufset_held_until(&s) >= young[0] + 12000000ull);
	/* Three decay periods without delays: an eighth of it, never below the floor. */
	now = boot_ns() + 3 * SCAP_BUFSET_DECAY_NS + 1;
	assert_true(scap_bufset_window_ns(now) >= SCAP_BUFSET_SETTLE_NS);
	assert_true(scap_bufset_window_ns(now) < 4000000ull);
	assert_int_equal(scap_bufset_window_ns(boot_ns() + 30 * SCAP_BUFSET_DECAY_NS), SCAP_BUFSET_SETTLE_NS);
	scap_bufset_free(&s);
	fake_free(&fa);
	fake_free(&fb);
}

/* Ties across many buffers (the heap): lowest index first, every time. */
static void ties_in_heap_mode(void **state)
{
	enum { NB = 12 };
	const uint64_t ts[] = { 5, 5, 7, 9 };
	struct fake_buf f[NB];
	struct scap_bufset s;
	const struct scap_evt_hdr *e;
	unsigned i, k, idx;

	(void)state;
	scap_bufset_init(&s);
	for (i = 0; i < NB; i++) {
		fake_init(&f[i], ts, i % 3 == 2 ? 0 : 4, i); /* every third buffer empty */
		assert_int_equal(scap_bufset_add(&s, &f[i].buf), 0);
	}
	for (k = 0; k < 4; k++) {
		/* each timestamp once per non-empty buffer, in index order */
		uint64_t want = ts[k];

		for (i = 0; i < NB; i++) {
			if (i % 3 == 2)
				continue;
			e = scap_bufset_next(&s, &idx);
			assert_non_null(e);
			assert_int_equal(e->ts, want);
			assert_int_equal(idx, i);
			if (k == 0 && i == 0)
				break; /* 5 appears twice per buffer: buffer 0 first gives both */
		}
		if (k == 0) {
			/* second 5 of buffer 0, then both 5s of buffer 1, ... */
			e = scap_bufset_next(&s, &idx);
			assert_int_equal(e->ts, 5);
			assert_int_equal(idx, 0);
			for (i = 1; i < NB; i++) {
				if (i % 3 == 2)
					continue;
				e = scap_bufset_next(&s, &idx);
				assert_int_equal(idx, i);
				e = scap_bufset_next(&s, &idx);
				assert_int_equal(idx, i);
				assert_int_equal(e->ts, 5);
			}
			k++; /* ts[1] is the second 5: done */
		}
	}
	assert_null(scap_bufset_next(&s, &idx));
	scap_bufset_free(&s);
	for (i = 0; i < NB; i++)
		fake_free(&f[i]);
}

/* Late data in heap mode: a buffer that was empty joins the heap. */
static void late_data_in_heap_mode(void **state)
{
	enum { NB = 10 };
	uint64_t ts[100], last = UINT64_MAX;
	struct fake_buf f[NB];
	struct scap_bufset s;
	unsigned i, k, idx, li = 0, n = 0;

	(void)state;
	for (k = 0; k < 100; k++)
		ts[k] = 100 + k * 10;
	scap_bufset_init(&s);
	for (i = 0; i < NB; i++) {
		if (i == 9)
			for (k = 0; k < 100; k++)
				ts[k] += 3000; /* what arrives late was stamped later */
		fake_init(&f[i], ts, 100, i);
		assert_int_equal(scap_bufset_add(&s, &f[i].buf), 0);
	}
	f[9].visible = 0;
	for (k = 0; k < 200; k++) {
		assert_non_null(scap_bufset_next(&s, &idx));
		assert_true(idx != 9);
		n++;
	}
	f[9].visible = 100;
	n += drain(&s, &last, &li);
	assert_int_equal(n, NB * 100);
	assert_int_equal(f[9].buf.delivered, 100);
	scap_bufset_free(&s);
	for (i = 0; i < NB; i++)
		fake_free(&f[i]);
}

/* Many buffers (heap-sized sets): still exact order. */
static void many_buffers(void **state)
{
	enum { NB = 40, PER = 50 };
	struct fake_buf f[NB];
	struct scap_bufset s;
	uint64_t ts[PER], last = UINT64_MAX;
	unsigned i, k, li = 0;

	(void)state;
	scap_bufset_init(&s);
	for (i = 0; i < NB; i++) {
		for (k = 0; k < PER; k++)
			ts[k] = (uint64_t)k * 7 + (i * 13) % 11;
		fake_init(&f[i], ts, PER, i);
		assert_int_equal(scap_bufset_add(&s, &f[i].buf), 0);
	}
	assert_int_equal(drain(&s, &last, &li), NB * PER);
	scap_bufset_free(&s);
	for (i = 0; i < NB; i++)
		fake_free(&f[i]);
}

/*
 * A real ring: events of sizes 24..3000 through a 8 KiB ring, refilled each
 * time it drains, so that records wrap around the end many times.
 */
static void ring_wraps_with_many_sizes(void **state)
{
	struct synth_ring r;
	struct scap_bufset s;
	static uint8_t ev[4096];
	uint64_t written = 0, read = 0, ts = 1;
	unsigned idx, round;

	(void)state;
	assert_int_equal(synth_ring_init(&r, 8192, 0), 0);
	assert_int_equal(r.size, 8192);
	assert_true(synth_ring_max_event(&r) >= 3000);
	scap_bufset_init(&s);
	scap_bufset_add(&s, &r.buf);
	for (round = 0; round < 500; round++) {
		const struct scap_evt_hdr *e;

		for (;;) {
			/* Bytebuf sizes cycle through 0..2970: records of every alignment. */
			uint32_t blen = (uint32_t)((written * 37) % 2971);
			static uint8_t payload[3000];
			struct scap_bval v[4] = { { .u = blen }, { .u = 1 }, { .p = payload, .len = blen }, { .u = blen } };
			struct scap_bhdr h = { .ts = ts, .tid = (uint32_t)written };
			int n;

			memset(payload, (int)(written & 0xff), blen);
			n = scap_event_build(ev, sizeof(ev), SCAP_EV_WRITE_X, &h, v, 4);
			assert_true(n > 0);
			if (synth_ring_write(&r, ev, (uint32_t)n) < 0)
				break;
			written++;
			ts++;
		}
		while ((e = scap_bufset_next(&s, &idx))) {
			struct scap_param p;
			const uint8_t *d;
			uint32_t i;

			assert_int_equal(e->tid, (uint32_t)read);
			assert_int_equal(scap_event_validate(e, e->len, NULL, 0), 0);
			assert_int_equal(scap_event_param((const void *)e, 2, &p), 0);
			assert_int_equal(p.len, (uint32_t)((read * 37) % 2971));
			for (i = 0, d = p.data; i < p.len; i++)
				assert_int_equal(d[i], read & 0xff);
			read++;
		}
		scap_bufset_release(&s);
	}
	assert_int_equal(read, written);
	assert_true(r.wraps > 100);
	assert_true(written > 1500);
	scap_bufset_free(&s);
	synth_ring_free(&r);
}

static void rejects_bad_buffers(void **state)
{
	struct scap_bufset s;
	struct scap_buf b = { 0 };

	(void)state;
	scap_bufset_init(&s);
	assert_int_equal(scap_bufset_add(&s, NULL), -EINVAL);
	assert_int_equal(scap_bufset_add(&s, &b), -EINVAL);
	scap_bufset_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merges_in_order_with_ties),
		cmocka_unit_test(empty_buffers),
		cmocka_unit_test(late_data_and_busy_buffer),
		cmocka_unit_test(many_buffers),
		cmocka_unit_test(ties_in_heap_mode),
		cmocka_unit_test(late_data_in_heap_mode),
		cmocka_unit_test(ring_wraps_with_many_sizes),
		cmocka_unit_test(rejects_bad_buffers),
		cmocka_unit_test(window_learns_commit_delays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
