// SPDX-License-Identifier: Apache-2.0
/*
 * Reading a module ring (layout in drivers/kmod/scap_kmod_api.h): head is
 * loaded with acquire (the event bytes before it are complete), tail is
 * stored with release once the events before it are no longer used. The
 * data is mapped twice back to back, so every event is read in place, even
 * one that wraps.
 */
#include "kmod_ring.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

static const struct scap_evt_hdr *ring_peek(struct scap_buf *b)
{
	struct scap_kmod_ring *r = b->priv;
	const struct scap_evt_hdr *ev;
	uint64_t head, avail;

	if (r->cur)
		return r->cur;
	head = __atomic_load_n(&r->ctrl->head, __ATOMIC_ACQUIRE);
	if (r->tail == head)
		return NULL;
	avail = head - r->tail;
	ev = (const struct scap_evt_hdr *)(r->data + (r->tail & (r->size - 1)));
	if (avail > r->size || ev->len < SCAP_EVT_HDR_LEN || ev->len > SCAP_MAX_EVENT_LEN ||
	    SCAP_KMOD_ALIGN(ev->len) > avail) {
		/* Nothing past a broken length can be trusted: skip what is there. */
		SCAP_COUNT_ADD(r->malformed, 1);
		r->tail = head;
		return NULL;
	}
	r->cur = ev;
	return ev;
}

static void ring_release(struct scap_buf *b)
{
	struct scap_kmod_ring *r = b->priv;

	if (r->tail != r->released) {
		__atomic_store_n(&r->ctrl->tail, r->tail, __ATOMIC_RELEASE);
		r->released = r->tail;
	}
}

static void ring_consume(struct scap_buf *b)
{
	struct scap_kmod_ring *r = b->priv;

	if (!r->cur)
		return;
	r->tail += SCAP_KMOD_ALIGN(r->cur->len);
	r->cur = NULL;
	/* Hand space back during long bursts without a store per event. */
	if (r->tail - r->released >= r->size / 4)
		ring_release(b);
}

/* Events from the local tail to the head, for scap_stats.unread; stops where peek() would. */
static uint64_t ring_pending(struct scap_buf *b)
{
	struct scap_kmod_ring *r = b->priv;
	uint64_t head = __atomic_load_n(&r->ctrl->head, __ATOMIC_ACQUIRE), pos = r->tail, n = 0;

	if (head - pos > r->size)
		return 0;
	while (pos != head) {
		const struct scap_evt_hdr *ev = (const struct scap_evt_hdr *)(r->data + (pos & (r->size - 1)));

		if (ev->len < SCAP_EVT_HDR_LEN || ev->len > SCAP_MAX_EVENT_LEN || SCAP_KMOD_ALIGN(ev->len) > head - pos)
			break;
		n++;
		pos += SCAP_KMOD_ALIGN(ev->len);
	}
	return n;
}

const struct scap_buf_ops scap_kmod_ring_ops = {
	.peek = ring_peek,
	.consume = ring_consume,
	.release = ring_release,
	.pending = ring_pending,
};

int scap_kmod_ring_map(struct scap_kmod_ring *r, int fd, int cpu, uint32_t page_size,
		       uint32_t buffer_bytes)
{
	size_t len = (size_t)SCAP_KMOD_MAP_LEN(page_size, buffer_bytes);
	void *p;

	memset(r, 0, sizeof(*r));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)SCAP_KMOD_MAP_OFFSET(cpu));
	if (p == MAP_FAILED)
		return -errno;
	r->map = p;
	r->map_len = len;
	r->ctrl = p;
	r->data = (const uint8_t *)p + page_size;
	r->size = buffer_bytes;
	/* Start where the kernel is: a fresh session starts at 0 anyway. */
	r->tail = __atomic_load_n(&r->ctrl->tail, __ATOMIC_ACQUIRE);
	r->released = r->tail;
	r->buf.ops = &scap_kmod_ring_ops;
	r->buf.priv = r;
	r->buf.cpu = cpu;
	r->buf.bytes = buffer_bytes;
	return 0;
}

void scap_kmod_ring_unmap(struct scap_kmod_ring *r)
{
	if (r->map)
		munmap(r->map, r->map_len);
	r->map = NULL;
}

void scap_kmod_ring_stats(struct scap_kmod_ring *r)
{
	r->buf.kernel_events = __atomic_load_n(&r->ctrl->events, __ATOMIC_RELAXED);
	r->buf.drops_buffer_full = __atomic_load_n(&r->ctrl->drops_buffer_full, __ATOMIC_RELAXED);
	r->buf.drops_other = __atomic_load_n(&r->ctrl->drops_other, __ATOMIC_RELAXED) + SCAP_COUNT_GET(r->malformed);
}
