// SPDX-License-Identifier: Apache-2.0
/*
 * scap_next's loop against a scripted fake engine (through the core's private
 * handle): release before wait, the caller's timeout handed to wait, -EINTR
 * passed through, -ENODATA only after the buffers drained, and a stage that
 * swallows events.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scap/handle.h"
#include "scap/event_builder.h"

struct fake {
	struct scap_buf buf;
	uint8_t evs[8][64];
	unsigned n, pos;
	unsigned releases, waits, released_before_wait;
	int wait_timeouts[16];
	int script[16];   /* what each wait returns; > 0: make that many events readable, return 0 */
};

static const struct scap_evt_hdr *f_peek(struct scap_buf *b)
{
	struct fake *f = b->priv;

	return f->pos < f->n ? (const void *)f->evs[f->pos] : NULL;
}

static void f_consume(struct scap_buf *b)
{
	((struct fake *)b->priv)->pos++;
}

static void f_release(struct scap_buf *b)
{
	((struct fake *)b->priv)->releases++;
}

static const struct scap_buf_ops f_ops = { f_peek, f_consume, f_release };

static int f_wait(void *state, int timeout_ms)
{
	struct fake *f = state;
	int r = f->script[f->waits < 16 ? f->waits : 15];

	f->released_before_wait += f->releases > f->waits;
	if (f->waits < 16)
		f->wait_timeouts[f->waits] = timeout_ms;
	f->waits++;
	if (r > 0) {
		f->n += (unsigned)r;
		return 0;
	}
	return r;
}

static void f_close(void *state)
{
	(void)state;
}

static const struct scap_engine_ops fake_engine = { .name = "fake", .wait = f_wait, .close = f_close };

static void setup_handle(struct scap *h, struct fake *f)
{
	unsigned i;

	memset(h, 0, sizeof(*h));
	memset(f, 0, sizeof(*f));
	for (i = 0; i < 8; i++) {
		struct scap_bval v[2] = { { .u = 0 }, { .u = i } };
		struct scap_bhdr hd = { .ts = 100 + i, .tid = i };

		assert_true(scap_event_build(f->evs[i], 64, SCAP_EV_CLOSE_X, &hd, v, 2) > 0);
	}
	f->buf.ops = &f_ops;
	f->buf.priv = f;
	h->ops = &fake_engine;
	h->state = f;
	scap_bufset_init(&h->bufs);
	assert_int_equal(scap_bufset_add(&h->bufs, &f->buf), 0);
	h->started = h->ever_started = true;
}

static void no_wait_timeout(void **state)
{
	struct scap h;
	struct fake f;
	const struct scap_event *ev;

	(void)state;
	setup_handle(&h, &f);
	assert_int_equal(scap_next(&h, &ev, NULL, 0), -EAGAIN);
	assert_int_equal(f.waits, 1);
	assert_int_equal(f.wait_timeouts[0], 0);
	assert_int_equal(f.released_before_wait, 1);
	scap_bufset_free(&h.bufs);
}

static void data_after_wait(void **state)
{
	struct scap h;
	struct fake f;
	const struct scap_event *ev;
	unsigned cpu = 99;

	(void)state;
	setup_handle(&h, &f);
	f.script[0] = 0;
	f.script[1] = 2;
	assert_int_equal(scap_next(&h, &ev, &cpu, -1), 0);
	assert_int_equal(f.waits, 2);
	assert_int_equal(f.wait_timeouts[0], -1);
	assert_int_equal(scap_event_tid(ev), 0);
	assert_int_equal(cpu, 0);
	assert_int_equal(scap_next(&h, &ev, &cpu, -1), 0);
	assert_int_equal(scap_event_tid(ev), 1);
	assert_int_equal(h.events, 2);
	scap_bufset_free(&h.bufs);
}

static void bounded_timeout_is_passed_down(void **state)
{
	struct scap h;
	struct fake f;
	const struct scap_event *ev;
	unsigned i;

	(void)state;
	setup_handle(&h, &f);
	/* wait returns at once with nothing: the loop retries until the deadline */
	assert_int_equal(scap_next(&h, &ev, NULL, 20), -EAGAIN);
	assert_true(f.waits >= 1);
	for (i = 0; i < f.waits && i < 16; i++)
		assert_true(f.wait_timeouts[i] >= 0 && f.wait_timeouts[i] <= 20);
	scap_bufset_free(&h.bufs);
}

static void eintr_passes_through(void **state)
{
	struct scap h;
	struct fake f;
	const struct scap_event *ev;

	(void)state;
	setup_handle(&h, &f);
	f.script[0] = -EINTR;
	assert_int_equal(scap_next(&h, &ev, NULL, -1), -EINTR);
	scap_bufset_free(&h.bufs);
}

static void enodata_after_drain(void **state)
{
	struct scap h;
	struct fake f;
	const struct scap_event *ev;

	(void)state;
	setup_handle(&h, &f);
	f.n = 3; /* written before the engine said it is done */
	f.script[0] = -ENODATA;
	assert_int_equal(scap_next(&h, &ev, NULL, -1), 0);
	assert_int_equal(scap_next(&h, &ev, NULL, -1), 0);
	assert_int_equal(scap_next(&h, &ev, NULL, -1), 0);
	assert_int_equal(f.waits, 0);
	assert_int_equal(scap_next(&h, &ev, NULL, -1), -ENODATA);
	assert_int_equal(f.waits, 1);
	assert_int_equal(scap_next(&h, &ev, NULL, -1), -ENODATA);
	assert_int_equal(f.waits, 1); /* never asked again */
	scap_bufset_free(&h.bufs);
}

/* A stage that swallows events with an even tid and passes the others. */
static int odd_only(void *st, const struct scap_evt_hdr *ev, const struct scap_evt_hdr **out)
{
	(*(unsigned *)st)++;
	if (ev->tid % 2 == 0)
		return 0;
	*out = ev;
	return 1;
}

static void stage_swallows(void **state)
{
	struct scap h;
	struct fake f;
	const struct scap_event *ev;
	unsigned fed = 0;

	(void)state;
	setup_handle(&h, &f);
	h.stage.feed = odd_only;
	h.stage.st = &fed;
	f.n = 6;
	f.script[0] = -ENODATA;
	assert_int_equal(scap_next(&h, &ev, NULL, 0), 0);
	assert_int_equal(scap_event_tid(ev), 1);
	assert_int_equal(scap_next(&h, &ev, NULL, 0), 0);
	assert_int_equal(scap_event_tid(ev), 3);
	assert_int_equal(scap_next(&h, &ev, NULL, 0), 0);
	assert_int_equal(scap_event_tid(ev), 5);
	assert_int_equal(scap_next(&h, &ev, NULL, 0), -ENODATA);
	assert_int_equal(fed, 6);
	assert_int_equal(h.events, 3);
	scap_bufset_free(&h.bufs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_wait_timeout),
		cmocka_unit_test(data_after_wait),
		cmocka_unit_test(bounded_timeout_is_passed_down),
		cmocka_unit_test(eintr_passes_through),
		cmocka_unit_test(enodata_after_drain),
		cmocka_unit_test(stage_swallows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
