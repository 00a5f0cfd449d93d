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
#include "proc/track.h"

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
		scap__clrerr(h);
		/* Apart from a settings change on another thread. */
		pthread_mutex_lock(&h->lock);
		r = h->ops->start(h->state);
		pthread_mutex_unlock(&h->lock);
		if (r < 0) {
			if (!scap__haserr(h))
				scap__seterr(h, r, "engine %s could not start capture (%s)", h->ops->name,
					     scap_errno_name(r) ? scap_errno_name(r) : "?");
			return r;
		}
	}
	h->started = true;
	h->ever_started = true;
	h->draining = false;
	h->bufs.live_clock = (h->ops->flags & SCAP_ENGINE_F_BOOTTIME) != 0;
	/* After the engine: what changes during the scan is in the stream too. */
	scap__proc_start(h);
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
		scap__clrerr(h);
		pthread_mutex_lock(&h->lock);
		r = h->ops->stop(h->state);
		pthread_mutex_unlock(&h->lock);
		if (r < 0) {
			if (!scap__haserr(h))
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

	if (h->ops->next) {
		r = h->ops->next(h->state, raw, cpu, time_left(timeout_ms, deadline));
		/* A wait (a FIFO's) woken by scap_close on another thread. */
		if (r < 0 && scap__closing(h))
			return -ECANCELED;
		return r;
	}
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
			if (scap__closing(h))
				return -ECANCELED;
			waited = true;
			continue;
		}
		if ((waited && left == 0) || !h->ops->wait)
			return -EAGAIN;
		r = h->ops->wait(h->state, left);
		if (scap__closing(h))
			return -ECANCELED;
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

/* The message of each status scap_next returns without an event. */
static int next_status(struct scap *h, int r, int timeout_ms)
{
	switch (r) {
	case -EAGAIN:
		return scap__seterr(h, r, "scap_next: no event within %d ms", timeout_ms);
	case -EINTR:
		return scap__seterr(h, r, "scap_next: a signal interrupted the wait");
	case -ENODATA:
		return scap__seterr(h, r, "scap_next: engine %s has no more events", h->ops->name);
	case -ECANCELED:
		return scap__seterr(h, r, "scap_next: another thread closed the handle");
	default:
		if (!scap__haserr(h))
			scap__seterr(h, r, "scap_next: engine %s failed (%s)", h->ops->name,
				     scap_errno_name(r) ? scap_errno_name(r) : "?");
		return r;
	}
}

static int next_locked(struct scap *h, const struct scap_event **ev, unsigned *cpu, int timeout_ms);
static void proc_stats_publish(struct scap *h);

int scap_next(struct scap *h, const struct scap_event **ev, unsigned *cpu, int timeout_ms)
{
	int r;

	if (!h)
		return -EINVAL;
	if (!ev)
		return scap__seterr(h, -EINVAL, "scap_next: ev is NULL");
	r = scap__reader_enter(h);
	if (r == 0)
		r = next_locked(h, ev, cpu, timeout_ms);
	/* Idle or at the end: count what is left for stats calls on other threads. */
	if (r == -EAGAIN || r == -ENODATA) {
		scap_bufset_unread_refresh(&h->bufs);
		proc_stats_publish(h);
	}
	if (r < 0) {
		/* After -ECANCELED, h may be freed: the message is this thread's, not h's. */
		r = next_status(h, r, timeout_ms);
		return scap__reader_leave(h, r);
	}
	return 0;
}

/* scap_next once this thread is the reader ("locked": no other thread reads h). */
static int next_locked(struct scap *h, const struct scap_event **ev, unsigned *cpu, int timeout_ms)
{
	uint64_t deadline = timeout_ms > 0 ? now_ms() + (uint64_t)timeout_ms : 0;
	unsigned filtered = 0;

	if (!h->ever_started)
		return scap__seterr(h, -EINVAL, "scap_next called before scap_start: start capture first");
	for (;;) {
		const struct scap_evt_hdr *raw, *out;
		unsigned c = 0;
		int r = raw_next(h, &raw, &c, timeout_ms, deadline);

		if (r < 0)
			return r;
		/* A capture file's row that only the recording handle's table took: the same here. */
		if (__builtin_expect(h->ctx.table_only, 0)) {
			if (h->proc) {
				scap__proc_next(h, h->proc, raw);
				if (h->dumper)
					scap__dump_table_only(h->dumper, raw, c);
			}
			if (timeout_ms > 0 && time_left(timeout_ms, deadline) == 0)
				return -EAGAIN;
			continue;
		}
		/*
		 * What a live engine leaves out in the kernel (scap/filter/); with a
		 * process table, after it (below): the table takes every event of a
		 * file, whatever the caller replays of it.
		 */
		if (h->core_filter && !h->proc && !scap_filter_pass(&h->filter, raw)) {
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
			SCAP_COUNT_ADD(h->out_of_order, 1);
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
		/* ---- the process table (scap/proc/), and the rows only it wanted ---- */
		if (h->proc && scap__proc_next(h, h->proc, out)) {
			/* A capture file gets them too, for its replay's table. */
			if (h->dumper)
				scap__dump_table_only(h->dumper, out, c);
			if (timeout_ms > 0 && time_left(timeout_ms, deadline) == 0)
				return -EAGAIN;
			continue;
		}
		if (h->core_filter && h->proc && !scap_filter_pass(&h->filter, out)) {
			if (++filtered % SCAP_FILTER_RUN == 0 && timeout_ms >= 0 &&
			    time_left(timeout_ms, deadline) == 0)
				return -EAGAIN;
			continue;
		}
		/* ---- deliver ---- */
		SCAP_COUNT_ADD(h->events, 1);
		if (out->flags & SCAP_EVF_TOCTOU)
			SCAP_COUNT_ADD(h->toctou, 1);
		*ev = (const struct scap_event *)out;
		h->last_ev = out;
		if (cpu)
			*cpu = c;
		return 0;
	}
}

/*
 * The stats calls may run on any thread, also while another one is in
 * scap_next: they read the reader's counters atomically (counter.h), and
 * h->lock keeps them, settings changes and close apart.
 */
/* The process table's counts as the reader last published them (scap_next idle). */
static void proc_stats_seen(const struct scap *h, struct scap_stats *s)
{
	s->proc_entries = SCAP_COUNT_GET(h->proc_seen.proc_entries);
	s->proc_scans = SCAP_COUNT_GET(h->proc_seen.proc_scans);
	s->proc_evictions = SCAP_COUNT_GET(h->proc_seen.proc_evictions);
	s->proc_lookups = SCAP_COUNT_GET(h->proc_seen.proc_lookups);
	s->proc_lookup_misses = SCAP_COUNT_GET(h->proc_seen.proc_lookup_misses);
	s->proc_bytes = SCAP_COUNT_GET(h->proc_seen.proc_bytes);
}

static void proc_stats_publish(struct scap *h)
{
	struct scap_stats s;

	memset(&s, 0, sizeof(s));
	scap__proc_stats(h, &s);
	SCAP_COUNT_SET(h->proc_seen.proc_entries, s.proc_entries);
	SCAP_COUNT_SET(h->proc_seen.proc_scans, s.proc_scans);
	SCAP_COUNT_SET(h->proc_seen.proc_evictions, s.proc_evictions);
	SCAP_COUNT_SET(h->proc_seen.proc_lookups, s.proc_lookups);
	SCAP_COUNT_SET(h->proc_seen.proc_lookup_misses, s.proc_lookup_misses);
	SCAP_COUNT_SET(h->proc_seen.proc_bytes, s.proc_bytes);
}

/*
 * Under h->lock: whether this thread may count the unread events itself (it
 * is the reader, or nobody reads); otherwise the reader's last count.
 */
static bool stats_may_walk(const struct scap *h)
{
	return !h->reader_tid || pthread_equal(h->reader, pthread_self());
}

int scap_get_stats(struct scap *h, struct scap_stats *st)
{
	struct scap_stats s;
	unsigned i;
	bool walk;
	size_t sz;

	if (!h)
		return -EINVAL;
	if (!st)
		return scap__seterr(h, -EINVAL, "scap_get_stats: st is NULL");
	sz = st->sz;
	if (sz < sizeof(st->sz))
		return scap__seterr(h, -EINVAL, "scap_get_stats: set st->sz = sizeof(struct scap_stats)");
	memset(&s, 0, sizeof(s));
	pthread_mutex_lock(&h->lock);
	if (h->ops->stats)
		h->ops->stats(h->state);
	s.events = SCAP_COUNT_GET(h->events);
	s.toctou = SCAP_COUNT_GET(h->toctou);
	for (i = 0; i < h->bufs.n; i++) {
		const struct scap_buf *b = h->bufs.bufs[i];

		s.drops_buffer_full += SCAP_COUNT_GET(b->drops_buffer_full);
		s.drops_other += SCAP_COUNT_GET(b->drops_other);
		s.kernel_events += SCAP_COUNT_GET(b->kernel_events);
	}
	s.drops = s.drops_buffer_full + s.drops_other;
	s.nbuffers = h->bufs.n;
	s.attach_failures = SCAP_COUNT_GET(h->ctx.attach_failures);
	s.exits_without_enter = SCAP_COUNT_GET(h->ctx.exits_without_enter);
	s.out_of_order = SCAP_COUNT_GET(h->out_of_order);
	walk = stats_may_walk(h);
	for (i = 0; i < h->bufs.n; i++)
		s.unread += walk ? scap_bufset_unread(&h->bufs, i) : scap_bufset_unread_seen(&h->bufs, i);
	if (h->stage.stats)
		h->stage.stats(h->stage.st, &s);
	/* The table changes inside scap_next: another thread gets the reader's last count. */
	if (walk)
		scap__proc_stats(h, &s);
	else
		proc_stats_seen(h, &s);
	pthread_mutex_unlock(&h->lock);
	s.sz = sz < sizeof(s) ? sz : sizeof(s);
	memcpy(st, &s, s.sz);
	return 0;
}

int scap_get_buffer_stats(struct scap *h, unsigned idx, struct scap_buffer_stats *st)
{
	struct scap_buffer_stats s;
	const struct scap_buf *b;
	size_t sz;

	if (!h)
		return -EINVAL;
	if (!st)
		return scap__seterr(h, -EINVAL, "scap_get_buffer_stats: st is NULL");
	sz = st->sz;
	if (sz < sizeof(st->sz))
		return scap__seterr(h, -EINVAL,
				    "scap_get_buffer_stats: set st->sz = sizeof(struct scap_buffer_stats)");
	if (idx >= h->bufs.n)
		return scap__seterr(h, -ERANGE, "scap_get_buffer_stats: buffer %u does not exist (there are %u)",
				    idx, h->bufs.n);
	b = h->bufs.bufs[idx];
	memset(&s, 0, sizeof(s));
	pthread_mutex_lock(&h->lock);
	s.cpu = b->cpu;
	s.events = SCAP_COUNT_GET(b->delivered);
	s.drops_buffer_full = SCAP_COUNT_GET(b->drops_buffer_full);
	s.drops_other = SCAP_COUNT_GET(b->drops_other);
	s.drops = s.drops_buffer_full + s.drops_other;
	s.kernel_events = SCAP_COUNT_GET(b->kernel_events);
	s.unread = stats_may_walk(h) ? scap_bufset_unread(&h->bufs, idx) : scap_bufset_unread_seen(&h->bufs, idx);
	s.bytes = b->bytes;
	pthread_mutex_unlock(&h->lock);
	s.sz = sz < sizeof(s) ? sz : sizeof(s);
	memcpy(st, &s, s.sz);
	return 0;
}

void scap_close(struct scap *h)
{
	if (!h)
		return;
	/* Closing from another thread: the reader first takes -ECANCELED. */
	scap__reader_stop(h);
	/* Stats calls under way on other threads finish first. */
	pthread_mutex_lock(&h->lock);
	pthread_mutex_unlock(&h->lock);
	if (h->started && h->ops->stop)
		h->ops->stop(h->state);
	h->ops->close(h->state);
	if (h->stage.free)
		h->stage.free(h->stage.st);
	scap__proc_close(h);
	scap_bufset_free(&h->bufs);
	scap_text_free(&h->report);
	scap_text_free(&h->warnings);
	scap__threads_fini(h);
	scap__clrerr(h);
	free(h);
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
