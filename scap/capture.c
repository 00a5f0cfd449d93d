// SPDX-License-Identifier: Apache-2.0
/*
 * The life of an open handle: start/stop, the next-event loop (engine or
 * merge -> optional stage -> caller), statistics and close.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handle.h"

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int scap_start(struct scap *h)
{
	int r;

	if (!h)
		return -EINVAL;
	if (h->started)
		return 0;
	if (h->ops->start) {
		h->err[0] = '\0';
		r = h->ops->start(h->state);
		if (r < 0) {
			if (!h->err[0])
				scap__seterr(h, r, "engine %s could not start capture (%s)", h->ops->name,
					     scap_errno_name(r) ? scap_errno_name(r) : "?");
			return r;
		}
	}
	h->started = true;
	h->ever_started = true;
	h->draining = false;
	h->bufs.live_clock = (h->ops->flags & SCAP_ENGINE_F_BOOTTIME) != 0;
	return 0;
}

int scap_stop(struct scap *h)
{
	int r;

	if (!h)
		return -EINVAL;
	if (!h->started)
		return 0;
	if (h->ops->stop) {
		r = h->ops->stop(h->state);
		if (r < 0) {
			if (!h->err[0])
				scap__seterr(h, r, "engine %s could not stop capture (%s)", h->ops->name,
					     scap_errno_name(r) ? scap_errno_name(r) : "?");
			return r;
		}
	}
	h->started = false;
	/* What is in the buffers stays readable: scap_next drains it (drain_next). */
	h->stopped_ns = boottime_ns();
	h->draining = false;
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Milliseconds left before the deadline: -1 forever, 0 none left. */
static int time_left(int timeout_ms, uint64_t deadline)
{
	uint64_t now;

	if (timeout_ms < 0)
		return -1;
	if (timeout_ms == 0)
		return 0;
	now = now_ms();
	return now >= deadline ? 0 : (int)(deadline - now);
}

/*
 * How long past a held event's settle time the consumer sleeps: the events
 * that arrive meanwhile are then read in one batch, with fewer wake-ups and
 * the producer's cache lines left alone for longer.
 */
#define SCAP_HOLD_BATCH_NS 4000000ull

/*
 * Sleeps until CLOCK_BOOTTIME reaches until_ns, or for at most max_ms
 * (-1: no limit). 0, or -EINTR when a signal came (the caller's handler runs).
 */
static int sleep_until_boottime(uint64_t until_ns, int max_ms)
{
	struct timespec ts;
	int r;

	if (max_ms >= 0) {
		struct timespec now;
		uint64_t cap;

		clock_gettime(CLOCK_BOOTTIME, &now);
		cap = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec +
		      (uint64_t)max_ms * 1000000ull;
		if (cap < until_ns)
			until_ns = cap;
	}
	ts.tv_sec = (time_t)(until_ns / 1000000000ull);
	ts.tv_nsec = (long)(until_ns % 1000000000ull);
	r = clock_nanosleep(CLOCK_BOOTTIME, TIMER_ABSTIME, &ts, NULL);
	return r == EINTR ? -EINTR : 0;
}

/*
 * A stopped handle: the producers are off, so what the buffers hold is all
 * there will be. Once the events stamped before the stop have had the settle
 * window to land, every buffer is read to its end in timestamp order, with no
 * holding back and no waiting; then -ENODATA.
 */
static int drain_next(struct scap *h, const struct scap_evt_hdr **raw, unsigned *cpu)
{
	const struct scap_evt_hdr *e;

	if (!h->draining) {
		int r = h->bufs.live_clock ? sleep_until_boottime(h->stopped_ns + scap_bufset_window_ns(h->stopped_ns), -1) : 0;

		if (r < 0)
			return r;
		h->bufs.live_clock = false;
		/* Forget the heads seen empty: look at every buffer again. */
		scap_bufset_release(&h->bufs);
		h->draining = true;
	}
	e = scap_bufset_next(&h->bufs, cpu);
	if (!e)
		return -ENODATA;
	*raw = e;
	return 0;
}

/* The next raw event, from the engine itself or from the merge of its buffers. */
static int raw_next(struct scap *h, const struct scap_evt_hdr **raw, unsigned *cpu,
		    int timeout_ms, uint64_t deadline)
{
	bool waited = false;
	uint64_t until;
	int r;

	if (h->ops->next)
		return h->ops->next(h->state, raw, cpu, time_left(timeout_ms, deadline));
	if (!h->started)
		return drain_next(h, raw, cpu);
	for (;;) {
		const struct scap_evt_hdr *e = scap_bufset_next(&h->bufs, cpu);
		int left;

		if (e) {
			*raw = e;
			return 0;
		}
		if (h->ended)
			return -ENODATA;
		scap_bufset_release(&h->bufs);
		left = time_left(timeout_ms, deadline);
		until = scap_bufset_held_until(&h->bufs);
		if (until) {
			/*
			 * An event is held back until it settles (bufset.c). Sleep, not
			 * wait: the engine's buffers are readable (they hold that very
			 * event), so its wait would return at once and spin.
			 */
			if (left == 0)
				return -EAGAIN;
			r = sleep_until_boottime(until + SCAP_HOLD_BATCH_NS, left);
			if (r < 0)
				return r;
			waited = true;
			continue;
		}
		if ((waited && left == 0) || !h->ops->wait)
			return -EAGAIN;
		r = h->ops->wait(h->state, left);
		if (r == -ENODATA) {
			/* Drain what the engine wrote before it ended. */
			h->ended = true;
			continue;
		}
		if (r < 0)
			return r;
		waited = true;
	}
}

/*
 * Events the core's filter may leave out in a row before scap_next gives the
 * caller back control: with timeout 0 it then returns -EAGAIN (an engine
 * that never waits, synthetic or a file, could otherwise keep it forever when
 * nothing passes); with a timeout, the clock is read once per this many.
 */
#define SCAP_FILTER_RUN 1024u

int scap_next(struct scap *h, const struct scap_event **ev, unsigned *cpu, int timeout_ms)
{
	uint64_t deadline = timeout_ms > 0 ? now_ms() + (uint64_t)timeout_ms : 0;
	unsigned filtered = 0;

	if (!h || !ev)
		return -EINVAL;
	if (!h->ever_started)
		return scap__seterr(h, -EINVAL, "scap_next called before scap_start: start capture first");
	for (;;) {
		const struct scap_evt_hdr *raw, *out;
		unsigned c = 0;
		int r = raw_next(h, &raw, &c, timeout_ms, deadline);

		if (r < 0)
			return r;
		/* What a live engine leaves out in the kernel (scap/filter/). */
		if (h->core_filter && !scap_filter_pass(&h->filter, raw)) {
			if (++filtered % SCAP_FILTER_RUN == 0 && timeout_ms >= 0 &&
			    time_left(timeout_ms, deadline) == 0)
				return -EAGAIN;
			continue;
		}
		/*
		 * The merge hands events out in order unless one was committed
		 * later than the settle window after its timestamp (a stalled CPU):
		 * say so rather than let the order be trusted silently.
		 */
		if (raw->ts < h->newest_ts)
			h->out_of_order++;
		else
			h->newest_ts = raw->ts;
		out = raw;
		/* ---- optional stage (enter/exit pairing, issue 7) ---- */
		if (h->stage.feed) {
			int k = h->stage.feed(h->stage.st, raw, &out);

			if (k == 0) {
				if (timeout_ms > 0 && time_left(timeout_ms, deadline) == 0)
					return -EAGAIN;
				continue;
			}
			if (k < 0)
				out = raw;
		}
		/* ---- deliver ---- */
		h->events++;
		if (out->flags & SCAP_EVF_TOCTOU)
			h->toctou++;
		*ev = (const struct scap_event *)out;
		if (cpu)
			*cpu = c;
		return 0;
	}
}

int scap_get_stats(struct scap *h, struct scap_stats *st)
{
	struct scap_stats s;
	unsigned i;
	size_t sz;

	if (!h || !st)
		return -EINVAL;
	sz = st->sz;
	if (sz < sizeof(st->sz))
		return scap__seterr(h, -EINVAL, "scap_get_stats: set st->sz = sizeof(struct scap_stats)");
	if (h->ops->stats)
		h->ops->stats(h->state);
	memset(&s, 0, sizeof(s));
	s.events = h->events;
	s.toctou = h->toctou;
	for (i = 0; i < h->bufs.n; i++) {
		const struct scap_buf *b = h->bufs.bufs[i];

		s.drops_buffer_full += b->drops_buffer_full;
		s.drops_other += b->drops_other;
		s.kernel_events += b->kernel_events;
	}
	s.drops = s.drops_buffer_full + s.drops_other;
	s.nbuffers = h->bufs.n;
	s.attach_failures = h->ctx.attach_failures;
	s.exits_without_enter = h->ctx.exits_without_enter;
	s.out_of_order = h->out_of_order;
	for (i = 0; i < h->bufs.n; i++)
		s.unread += scap_bufset_unread(&h->bufs, i);
	if (h->stage.stats)
		h->stage.stats(h->stage.st, &s);
	s.sz = sz < sizeof(s) ? sz : sizeof(s);
	memcpy(st, &s, s.sz);
	return 0;
}

int scap_get_buffer_stats(struct scap *h, unsigned idx, struct scap_buffer_stats *st)
{
	struct scap_buffer_stats s;
	const struct scap_buf *b;
	size_t sz;

	if (!h || !st)
		return -EINVAL;
	sz = st->sz;
	if (sz < sizeof(st->sz))
		return scap__seterr(h, -EINVAL,
				    "scap_get_buffer_stats: set st->sz = sizeof(struct scap_buffer_stats)");
	if (idx >= h->bufs.n)
		return scap__seterr(h, -ERANGE, "scap_get_buffer_stats: buffer %u does not exist (there are %u)",
				    idx, h->bufs.n);
	b = h->bufs.bufs[idx];
	memset(&s, 0, sizeof(s));
	s.cpu = b->cpu;
	s.events = b->delivered;
	s.drops_buffer_full = b->drops_buffer_full;
	s.drops_other = b->drops_other;
	s.drops = b->drops_buffer_full + b->drops_other;
	s.kernel_events = b->kernel_events;
	s.unread = scap_bufset_unread(&h->bufs, idx);
	s.bytes = b->bytes;
	s.sz = sz < sizeof(s) ? sz : sizeof(s);
	memcpy(st, &s, s.sz);
	return 0;
}

void scap_close(struct scap *h)
{
	if (!h)
		return;
	if (h->started && h->ops->stop)
		h->ops->stop(h->state);
	h->ops->close(h->state);
	if (h->stage.free)
		h->stage.free(h->stage.st);
	scap_bufset_free(&h->bufs);
	scap_text_free(&h->report);
	scap_text_free(&h->warnings);
	free(h);
}

const char *scap_last_error(const struct scap *h)
{
	return h ? h->err : "no handle";
}

const char *scap_engine_name(const struct scap *h)
{
	return h && h->ops ? h->ops->name : "";
}

const char *scap_engine_report(const struct scap *h)
{
	return h && h->report.s ? h->report.s : "";
}

const char *scap_warnings(const struct scap *h)
{
	return h && h->warnings.s ? h->warnings.s : "";
}
