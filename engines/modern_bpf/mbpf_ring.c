// SPDX-License-Identifier: Apache-2.0
/* BPF ring buffer reader over the kernel's mmap layout; see mbpf_ring.h. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mbpf_ring.h"

/* Give space back to the producer after this much was read, not only before waits. */
#define MBPF_RELEASE_FRACTION 4

/* The payload of the record at r->cons, in place unless it wraps around the end. */
static const struct scap_evt_hdr *ring_payload(struct mbpf_ring *r, uint32_t dlen)
{
	size_t start = (r->cons + BPF_RINGBUF_HDR_SZ) & (r->size - 1), first;

	if (start + dlen <= r->size)
		return (const void *)(r->data + start);
	first = r->size - start;
	memcpy(r->bounce, r->data + start, first);
	memcpy(r->bounce + first, r->data, dlen - first);
	return (const void *)r->bounce;
}

static const struct scap_evt_hdr *ring_peek(struct scap_buf *b)
{
	struct mbpf_ring *r = b->priv;

	for (;;) {
		const uint32_t *rec;
		uint32_t len, dlen;

		/*
		 * producer_pos is read again only once what it announced is used up:
		 * the kernel writes it on every event, and reading it on every event
		 * would pull its cache line to this CPU each time, a miss for the
		 * traced task's next write. Acquire pairs with the kernel's release of
		 * producer_pos and of the length word.
		 */
		if (r->cons >= r->prod) {
			r->prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
			if (r->cons >= r->prod)
				return NULL;
		}
		rec = (const uint32_t *)(r->data + (r->cons & (r->size - 1)));
		len = __atomic_load_n(rec, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			return NULL; /* reserved, not committed yet: records commit in order */
		dlen = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		r->step = (dlen + BPF_RINGBUF_HDR_SZ + 7u) & ~7u;
		if (!(len & BPF_RINGBUF_DISCARD_BIT) && dlen >= sizeof(struct scap_evt_hdr) &&
		    dlen <= SCAP_MAX_EVENT_LEN) {
			const struct scap_evt_hdr *ev = ring_payload(r, dlen);

			if (ev->len <= dlen)
				return ev;
		}
		if (!(len & BPF_RINGBUF_DISCARD_BIT))
			SCAP_COUNT_ADD(r->malformed, 1);
		r->cons += r->step;
		r->step = 0;
	}
}

static void ring_release(struct scap_buf *b)
{
	struct mbpf_ring *r = b->priv;

	if (r->released == r->cons)
		return;
	__atomic_store_n(r->consumer_pos, r->cons, __ATOMIC_RELEASE);
	r->released = r->cons;
}

static void ring_consume(struct scap_buf *b)
{
	struct mbpf_ring *r = b->priv;

	if (!r->step)
		return;
	r->cons += r->step;
	r->step = 0;
	if (r->cons - r->released >= r->size / MBPF_RELEASE_FRACTION)
		ring_release(b);
}

/*
 * Committed records from the local consumer position on, the one peek()
 * returned included: for scap_stats.unread. Stops at the first record still
 * being written (records commit in order), as peek() does.
 */
static uint64_t ring_pending(struct scap_buf *b)
{
	struct mbpf_ring *r = b->priv;
	uint64_t prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE), pos = r->cons, n = 0;

	while (pos < prod && prod - pos <= r->size) {
		const uint32_t *rec = (const uint32_t *)(r->data + (pos & (r->size - 1)));
		uint32_t len = __atomic_load_n(rec, __ATOMIC_ACQUIRE), dlen;

		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		dlen = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		n += !(len & BPF_RINGBUF_DISCARD_BIT) && dlen >= sizeof(struct scap_evt_hdr) &&
		     dlen <= SCAP_MAX_EVENT_LEN;
		pos += (dlen + BPF_RINGBUF_HDR_SZ + 7u) & ~7u;
	}
	return n;
}

static const struct scap_buf_ops ring_ops = {
	.peek = ring_peek,
	.consume = ring_consume,
	.release = ring_release,
	.pending = ring_pending,
};

int mbpf_ring_attach(struct mbpf_ring *r, volatile uint64_t *consumer_pos,
		     const volatile uint64_t *producer_pos, const uint8_t *data, size_t size, int cpu)
{
	if (!r->bounce)
		r->bounce = malloc(SCAP_MAX_EVENT_LEN);
	if (!r->bounce)
		return -ENOMEM;
	r->size = size;
	r->consumer_pos = consumer_pos;
	r->producer_pos = producer_pos;
	r->data = data;
	r->cons = r->released = r->prod = __atomic_load_n(consumer_pos, __ATOMIC_ACQUIRE);
	r->step = 0;
	r->buf.ops = &ring_ops;
	r->buf.priv = r;
	r->buf.cpu = cpu;
	r->buf.bytes = size;
	return 0;
}

int mbpf_ring_map(struct mbpf_ring *r, int fd, size_t size, int cpu)
{
	long page = sysconf(_SC_PAGESIZE);

	r->fd = fd;
	r->size = size;
	r->page = (size_t)page;
	r->cons_map = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->cons_map == MAP_FAILED) {
		r->cons_map = NULL;
		return -errno;
	}
	r->prod_map = mmap(NULL, r->page + size, PROT_READ, MAP_SHARED, fd, (off_t)r->page);
	if (r->prod_map == MAP_FAILED) {
		r->prod_map = NULL;
		return -errno;
	}
	return mbpf_ring_attach(r, r->cons_map, r->prod_map, (const uint8_t *)r->prod_map + r->page, size, cpu);
}

void mbpf_ring_unmap(struct mbpf_ring *r)
{
	if (r->prod_map)
		munmap(r->prod_map, r->page + r->size);
	if (r->cons_map)
		munmap(r->cons_map, r->page);
	free(r->bounce);
	r->prod_map = r->cons_map = NULL;
	r->producer_pos = NULL;
	r->bounce = NULL;
}

int mbpf_ring_ready(const struct mbpf_ring *r)
{
	return r->producer_pos && r->cons < __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
}
