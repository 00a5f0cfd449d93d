// SPDX-License-Identifier: Apache-2.0
/*
 * The timestamp merge over an engine's buffers. This is the hot path of every
 * live capture: no allocation, one peek per delivered event (only the buffer
 * that was read from is peeked again), and the candidates' timestamps kept in
 * one small array so that choosing the next event is a scan of a few cache
 * lines.
 *
 * With more than SCAP_BUFSET_HEAP_MIN buffers, the candidates live in a
 * binary min-heap keyed by (timestamp, index) instead: log(n) per event
 * rather than n.
 *
 * With up to SCAP_BUFSET_HEAP_MIN buffers, the empty ones are peeked again on
 * every call, so that what one thread does is delivered in its order even
 * across CPUs. With more, that would cost one indirect call per empty buffer
 * per event: an empty buffer is peeked again when every cached head is empty,
 * and every SCAP_BUFSET_REPEEK events so that a quiet buffer is not starved
 * behind a busy one that never drains (docs/architecture.md says what that
 * allows).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bufset.h"

#define SCAP_BUFSET_REPEEK 64u
#define SCAP_BUFSET_HEAP_MIN 8u

void scap_bufset_init(struct scap_bufset *s)
{
	memset(s, 0, sizeof(*s));
	s->last = -1;
}

void scap_bufset_free(struct scap_bufset *s)
{
	free(s->bufs);
	free(s->heads);
	free(s->ts);
	free(s->heap);
	free(s->empty_at);
	scap_bufset_init(s);
}

/* The longest commit delay seen lately and when; relaxed atomics: a hint shared by handles. */
static uint64_t g_delay_ns, g_delay_at_ns;

/* What was learned, halved for each decay period since without a delay as long. */
static uint64_t decayed(uint64_t now_ns, uint64_t *at_out)
{
	uint64_t cur = __atomic_load_n(&g_delay_ns, __ATOMIC_RELAXED);
	uint64_t at = __atomic_load_n(&g_delay_at_ns, __ATOMIC_RELAXED);

	while (cur && now_ns > at + SCAP_BUFSET_DECAY_NS) {
		cur /= 2;
		at += SCAP_BUFSET_DECAY_NS;
	}
	if (at_out)
		*at_out = at;
	return cur;
}

void scap_bufset_note_delay(uint64_t late_ns, uint64_t now_ns)
{
	uint64_t at, cur = decayed(now_ns, &at);

	if (late_ns >= cur) {
		cur = late_ns;
		at = now_ns;
	}
	__atomic_store_n(&g_delay_ns, cur, __ATOMIC_RELAXED);
	__atomic_store_n(&g_delay_at_ns, at, __ATOMIC_RELAXED);
}

uint64_t scap_bufset_window_ns(uint64_t now_ns)
{
	uint64_t w = 2 * decayed(now_ns, NULL);

	if (w < SCAP_BUFSET_SETTLE_NS)
		return SCAP_BUFSET_SETTLE_NS;
	return w > SCAP_BUFSET_SETTLE_MAX_NS ? SCAP_BUFSET_SETTLE_MAX_NS : w;
}

int scap_bufset_add(struct scap_bufset *s, struct scap_buf *b)
{
	unsigned i;

	if (!b || !b->ops || !b->ops->peek || !b->ops->consume)
		return -EINVAL;
	if (s->n == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 8;
		struct scap_buf **bufs = realloc(s->bufs, cap * sizeof(*bufs));
		const struct scap_evt_hdr **heads;
		uint64_t *ts;
		unsigned *heap;

		if (!bufs)
			return -ENOMEM;
		s->bufs = bufs;
		heads = realloc(s->heads, cap * sizeof(*heads));
		if (!heads)
			return -ENOMEM;
		s->heads = heads;
		ts = realloc(s->ts, cap * sizeof(*ts));
		if (!ts)
			return -ENOMEM;
		s->ts = ts;
		heap = realloc(s->heap, cap * sizeof(*heap));
		if (!heap)
			return -ENOMEM;
		s->heap = heap;
		ts = realloc(s->empty_at, cap * sizeof(*ts));
		if (!ts)
			return -ENOMEM;
		s->empty_at = ts;
		s->cap = cap;
	}
	s->bufs[s->n] = b;
	s->ts[s->n] = 0;
	s->empty_at[s->n] = 0;
	s->n++;
	/* The merge may switch to its heap: forget the cached heads, peek again. */
	for (i = 0; i < s->n; i++)
		s->heads[i] = NULL;
	s->hn = 0;
	return 0;
}

static inline uint64_t hdr_ts(const struct scap_evt_hdr *h)
{
	uint64_t ts;

	/* Records are 8-aligned in every engine today; memcpy keeps it legal if not. */
	memcpy(&ts, &h->ts, sizeof(ts));
	return ts;
}

static inline bool heap_mode(const struct scap_bufset *s)
{
	return s->n > SCAP_BUFSET_HEAP_MIN;
}

/* Heap order: earlier timestamp first, then lower buffer index. */
static inline bool before(const struct scap_bufset *s, unsigned a, unsigned b)
{
	return s->ts[a] < s->ts[b] || (s->ts[a] == s->ts[b] && a < b);
}

static void sift_down(struct scap_bufset *s, unsigned pos)
{
	unsigned *h = s->heap, x = h[pos];

	for (;;) {
		unsigned c = 2 * pos + 1;

		if (c >= s->hn)
			break;
		if (c + 1 < s->hn && before(s, h[c + 1], h[c]))
			c++;
		if (!before(s, h[c], x))
			break;
		h[pos] = h[c];
		pos = c;
	}
	h[pos] = x;
}

static void heap_push(struct scap_bufset *s, unsigned i)
{
	unsigned *h = s->heap, pos = s->hn++;

	while (pos > 0) {
		unsigned parent = (pos - 1) / 2;

		if (!before(s, i, h[parent]))
			break;
		h[pos] = h[parent];
		pos = parent;
	}
	h[pos] = i;
}

static uint64_t boottime_ns(void);

/*
 * An event stamped before its buffer was last seen empty was still being
 * written then: how much earlier is a commit delay the window must cover.
 * Cost per event: one load and one compare (empty_at is 0 unless the buffer
 * was seen empty while an event was held back).
 */
static void note_late(struct scap_bufset *s, unsigned i)
{
	if (s->ts[i] < s->empty_at[i])
		scap_bufset_note_delay(s->empty_at[i] - s->ts[i], s->empty_at[i]);
	s->empty_at[i] = 0;
}

static inline void peek_into(struct scap_bufset *s, unsigned i)
{
	struct scap_buf *b = s->bufs[i];
	const struct scap_evt_hdr *h = b->ops->peek(b);

	s->heads[i] = h;
	if (h) {
		s->ts[i] = hdr_ts(h);
		if (s->empty_at[i])
			note_late(s, i);
	}
}

static void repeek_empty(struct scap_bufset *s)
{
	bool heap = heap_mode(s);
	unsigned i;

	for (i = 0; i < s->n; i++) {
		if (!s->heads[i]) {
			peek_into(s, i);
			if (heap && s->heads[i])
				heap_push(s, i);
		}
	}
	s->since_repeek = 0;
}

static inline int find_min(const struct scap_bufset *s)
{
	int best = -1;
	uint64_t bts = 0;
	unsigned i;

	if (heap_mode(s))
		return s->hn ? (int)s->heap[0] : -1;
	/* Strict < keeps the lowest index on equal timestamps. */
	for (i = 0; i < s->n; i++) {
		if (s->heads[i] && (best < 0 || s->ts[i] < bts)) {
			best = (int)i;
			bts = s->ts[i];
		}
	}
	return best;
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool any_empty(const struct scap_bufset *s)
{
	unsigned i;

	if (heap_mode(s))
		return s->hn < s->n;
	for (i = 0; i < s->n; i++)
		if (!s->heads[i])
			return true;
	return false;
}

/*
 * Whether the candidate must wait: it is younger than the settle window and
 * a buffer is empty, so an older event may still be on its way there. The
 * clock is read BEFORE the empty buffers are looked at again: whatever they
 * receive later was stamped after now - window, unless its CPU stalled
 * between stamp and commit for longer than the window; each buffer still
 * empty is noted with that time, so that such a delay is measured when its
 * event shows up (note_late) and widens the window.
 */
static bool must_hold(struct scap_bufset *s, int *best)
{
	uint64_t now, window;
	unsigned i;

	if (s->ts[*best] < s->settled_before || !any_empty(s))
		return false;
	now = boottime_ns();
	repeek_empty(s);
	for (i = 0; i < s->n; i++)
		if (!s->heads[i])
			s->empty_at[i] = now;
	window = scap_bufset_window_ns(now);
	s->settled_before = now > window ? now - window : 0;
	*best = find_min(s);
	return s->ts[*best] >= s->settled_before && any_empty(s);
}

uint64_t scap_bufset_held_until(const struct scap_bufset *s)
{
	return s->held_ts ? s->held_ts + scap_bufset_window_ns(s->held_ts) : 0;
}

const struct scap_evt_hdr *scap_bufset_next(struct scap_bufset *s, unsigned *idx)
{
	int best;

	if (s->last >= 0) {
		unsigned li = (unsigned)s->last;
		struct scap_buf *b = s->bufs[li];

		b->ops->consume(b);
		peek_into(s, li);
		if (heap_mode(s)) {
			/* The buffer handed out last is the heap's root (unless a buffer was added since). */
			if (s->hn && s->heap[0] == li) {
				if (!s->heads[li])
					s->heap[0] = s->heap[--s->hn];
				if (s->hn)
					sift_down(s, 0);
			} else if (s->heads[li]) {
				heap_push(s, li);
			}
		}
		s->last = -1;
	}
	/*
	 * Few buffers: look at the empty ones on every call. A thread's events
	 * are committed in order, so this keeps one thread's enter before its
	 * exit even when it migrated between CPUs (pairing depends on it), for
	 * the price of one peek per empty buffer.
	 */
	if (!heap_mode(s) || ++s->since_repeek >= SCAP_BUFSET_REPEEK)
		repeek_empty(s);
	best = find_min(s);
	if (best < 0) {
		repeek_empty(s);
		best = find_min(s);
		if (best < 0)
			return NULL;
	}
	if (s->live_clock && must_hold(s, &best)) {
		s->held_ts = s->ts[best];
		return NULL;
	}
	s->held_ts = 0;
	s->last = best;
	SCAP_COUNT_ADD(s->bufs[best]->delivered, 1);
	if (idx)
		*idx = (unsigned)best;
	return s->heads[best];
}

uint64_t scap_bufset_unread(struct scap_bufset *s, unsigned i)
{
	struct scap_buf *b = s->bufs[i];
	uint64_t n;

	if (!b->ops->pending)
		return b->unread;
	n = b->ops->pending(b);
	if (s->last == (int)i && n)
		n--;
	SCAP_COUNT_SET(b->unread_seen, n);
	return n;
}

uint64_t scap_bufset_unread_seen(const struct scap_bufset *s, unsigned i)
{
	const struct scap_buf *b = s->bufs[i];

	return b->ops->pending ? SCAP_COUNT_GET(b->unread_seen) : b->unread;
}

void scap_bufset_unread_refresh(struct scap_bufset *s)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		scap_bufset_unread(s, i);
}

void scap_bufset_release(struct scap_bufset *s)
{
	unsigned i;

	/*
	 * The event handed out last stays valid until the next call (zero copy):
	 * consume it now only if the caller asks to release, which the core does
	 * before waiting, when that event has been passed on already.
	 */
	if (s->last >= 0) {
		struct scap_buf *b = s->bufs[s->last];

		b->ops->consume(b);
		s->heads[s->last] = NULL;
		s->last = -1;
	}
	for (i = 0; i < s->n; i++) {
		struct scap_buf *b = s->bufs[i];

		if (b->ops->release)
			b->ops->release(b);
	}
	/* Released space may have been refilled: look again at the next call. */
	for (i = 0; i < s->n; i++)
		s->heads[i] = NULL;
	s->hn = 0;
}
