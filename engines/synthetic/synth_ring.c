// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "synth_ring.h"

#define REC_HDR 8u
#define REC_EVENT 1u
#define REC_PAD 2u

struct rec_hdr {
	uint32_t len;  /* whole record, header included, multiple of 8 */
	uint32_t kind; /* REC_EVENT or REC_PAD */
};

static inline uint32_t rec_len(uint32_t evlen)
{
	return REC_HDR + ((evlen + 7u) & ~7u);
}

static const struct scap_evt_hdr *ring_peek(struct scap_buf *b)
{
	struct synth_ring *r = b->priv;

	while (r->rd != r->head) {
		const struct rec_hdr *h = (const void *)(r->data + (r->rd & r->mask));

		if (h->kind == REC_PAD) {
			r->rd += h->len;
			continue;
		}
		r->cur = h->len;
		return (const void *)((const uint8_t *)h + REC_HDR);
	}
	return NULL;
}

static void ring_consume(struct scap_buf *b)
{
	struct synth_ring *r = b->priv;

	r->rd += r->cur;
	r->cur = 0;
}

static void ring_release(struct scap_buf *b)
{
	struct synth_ring *r = b->priv;

	r->tail = r->rd;
}

/* Events from the read position to the head: for scap_stats.unread. */
static uint64_t ring_pending(struct scap_buf *b)
{
	struct synth_ring *r = b->priv;
	uint64_t pos = r->rd, n = 0;

	while (pos != r->head) {
		const struct rec_hdr *h = (const void *)(r->data + (pos & r->mask));

		n += h->kind == REC_EVENT;
		pos += h->len;
	}
	return n;
}

static const struct scap_buf_ops synth_ring_ops = {
	.peek = ring_peek,
	.consume = ring_consume,
	.release = ring_release,
	.pending = ring_pending,
};

int synth_ring_init(struct synth_ring *r, size_t size, int cpu)
{
	size_t s = 4096;

	memset(r, 0, sizeof(*r));
	while (s < size)
		s <<= 1;
	r->data = aligned_alloc(64, s);
	if (!r->data)
		return -ENOMEM;
	r->size = s;
	r->mask = s - 1;
	r->buf.ops = &synth_ring_ops;
	r->buf.priv = r;
	r->buf.cpu = cpu;
	r->buf.bytes = s;
	return 0;
}

void synth_ring_free(struct synth_ring *r)
{
	free(r->data);
	r->data = NULL;
}

uint32_t synth_ring_max_event(const struct synth_ring *r)
{
	/* Half the ring, so that an event always fits after a padding record. */
	uint64_t m = r->size / 2 - REC_HDR;

	return m > SCAP_MAX_EVENT_LEN ? SCAP_MAX_EVENT_LEN : (uint32_t)m;
}

int synth_ring_write(struct synth_ring *r, const void *ev, uint32_t len)
{
	uint32_t need = rec_len(len);
	uint64_t off = r->head & r->mask;
	uint64_t to_end = r->size - off;
	uint64_t used = r->head - r->tail;
	struct rec_hdr h;

	if (need > to_end) {
		/* Wrap: pad to the end, then write at the start. */
		if (used + to_end + need > r->size)
			return -ENOSPC;
		h.len = (uint32_t)to_end;
		h.kind = REC_PAD;
		memcpy(r->data + off, &h, sizeof(h));
		r->head += to_end;
		r->wraps++;
		off = 0;
	} else if (used + need > r->size) {
		return -ENOSPC;
	}
	h.len = need;
	h.kind = REC_EVENT;
	memcpy(r->data + off, &h, sizeof(h));
	memcpy(r->data + off + REC_HDR, ev, len);
	r->head += need;
	r->written++;
	return 0;
}
