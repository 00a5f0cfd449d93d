// SPDX-License-Identifier: Apache-2.0
/*
 * Reading a perf buffer through its mmap layout (see perf_event_open(2),
 * "MMAP layout"): page 0 holds data_head (written by the kernel, read with
 * acquire) and data_tail (written by us, with release); the data pages that
 * follow form a ring of records. The bpf driver emits every event as the raw
 * data of a PERF_RECORD_SAMPLE, preceded by 4 zero bytes so that the event
 * header lands 8-byte aligned:
 *
 *   perf_event_header (8) | u32 raw size | u32 pad | scap event ... | kernel padding
 *
 * Events are handed out in place; a record that wraps around the end of the
 * ring is the only thing ever copied (into the buffer's bounce area).
 */
#include "perf_buf.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scap/common/event_layout.h"

/* Bytes between a record's start and the scap event inside it. */
#define PB_EVENT_OFF 16u
/* perf_event_header.size is a u16: no record is longer. */
#define PB_MAX_RECORD 65536u

static inline uint64_t pb_load_head(const struct scap_perf_buf *pb)
{
	return __atomic_load_n(&pb->meta->data_head, __ATOMIC_ACQUIRE);
}

static inline void pb_store_tail(struct scap_perf_buf *pb, uint64_t tail)
{
	__atomic_store_n(&pb->meta->data_tail, tail, __ATOMIC_RELEASE);
}

static void pb_copy_out(const struct scap_perf_buf *pb, uint64_t pos, void *dst, size_t len)
{
	uint64_t off = pos & (pb->data_size - 1);
	size_t first = len;

	if (off + len > pb->data_size)
		first = (size_t)(pb->data_size - off);
	memcpy(dst, pb->data + off, first);
	if (first < len)
		memcpy((uint8_t *)dst + first, pb->data, len - first);
}

/* The record at pb->tail, contiguous: in place, or copied when it wraps. */
static const uint8_t *pb_record(struct scap_perf_buf *pb, size_t size)
{
	uint64_t off = pb->tail & (pb->data_size - 1);

	if (off + size <= pb->data_size)
		return pb->data + off;
	pb_copy_out(pb, pb->tail, pb->bounce, size);
	return pb->bounce;
}

static const struct scap_evt_hdr *pb_peek(struct scap_buf *b)
{
	struct scap_perf_buf *pb = b->priv;
	uint64_t head;

	if (pb->cur)
		return pb->cur;
	head = pb_load_head(pb);
	while (pb->tail < head) {
		struct perf_event_header h;
		uint64_t avail = head - pb->tail;

		/* Records are 8-byte aligned, so a header never wraps. */
		memcpy(&h, pb->data + (pb->tail & (pb->data_size - 1)), sizeof(h));
		if (h.size < sizeof(h) || h.size > avail || (h.size & 7u)) {
			/* The ring cannot be walked past a broken header. */
			SCAP_COUNT_ADD(pb->malformed, 1);
			SCAP_COUNT_SET(pb->tail, head);
			break;
		}
		if (h.type == PERF_RECORD_SAMPLE) {
			const uint8_t *rec;
			const struct scap_evt_hdr *ev;
			uint32_t raw;

			if (h.size < PB_EVENT_OFF + SCAP_EVT_HDR_LEN) {
				SCAP_COUNT_ADD(pb->malformed, 1);
				SCAP_COUNT_ADD(pb->tail, h.size);
				continue;
			}
			rec = pb_record(pb, h.size);
			memcpy(&raw, rec + sizeof(h), sizeof(raw));
			ev = (const struct scap_evt_hdr *)(rec + PB_EVENT_OFF);
			if (ev->len < SCAP_EVT_HDR_LEN || (uint64_t)ev->len + 4 > raw ||
			    (uint64_t)raw + 12 > h.size) {
				SCAP_COUNT_ADD(pb->malformed, 1);
				SCAP_COUNT_ADD(pb->tail, h.size);
				continue;
			}
			pb->cur = ev;
			pb->cur_rec_len = h.size;
			return ev;
		}
		if (h.type == PERF_RECORD_LOST && h.size >= sizeof(h) + 16) {
			uint64_t lost;

			pb_copy_out(pb, pb->tail + sizeof(h) + 8, &lost, sizeof(lost));
			SCAP_COUNT_ADD(pb->lost, lost);
		}
		SCAP_COUNT_ADD(pb->tail, h.size);
	}
	return NULL;
}

static void pb_release(struct scap_buf *b)
{
	struct scap_perf_buf *pb = b->priv;

	/* Lost records and malformed ones are skipped in peek: hand them back too. */
	if (pb->tail != pb->released) {
		pb_store_tail(pb, pb->tail);
		pb->released = pb->tail;
	}
}

static void pb_consume(struct scap_buf *b)
{
	struct scap_perf_buf *pb = b->priv;

	if (!pb->cur)
		return;
	SCAP_COUNT_ADD(pb->tail, pb->cur_rec_len);
	pb->cur = NULL;
	SCAP_COUNT_ADD(pb->consumed, 1);
	/* Keep the kernel fed during long bursts without a store per event. */
	if (pb->tail - pb->released >= pb->data_size / 4)
		pb_release(b);
}

/*
 * The stats calls may run while the reader consumes (scap.h, "threads"):
 * the walk starts at the reader's tail, and if the reader handed space back
 * past that point meanwhile, the kernel may have written over what was
 * walked. Then walk again; after a few tries, give up (UINT64_MAX).
 */
uint64_t scap_perf_buf_pending(const struct scap_perf_buf *pb)
{
	for (int tries = 0; tries < 4; tries++) {
		uint64_t start = SCAP_COUNT_GET(pb->tail), head = pb_load_head(pb), pos = start, n = 0;

		while (pos < head) {
			struct perf_event_header h;

			memcpy(&h, pb->data + (pos & (pb->data_size - 1)), sizeof(h));
			if (h.size < sizeof(h) || h.size > head - pos || (h.size & 7u))
				break;
			n += h.type == PERF_RECORD_SAMPLE;
			pos += h.size;
		}
		if (__atomic_load_n(&pb->meta->data_tail, __ATOMIC_ACQUIRE) <= start)
			return n;
	}
	return UINT64_MAX;
}

static uint64_t pb_pending(struct scap_buf *b)
{
	return scap_perf_buf_pending(b->priv);
}

const struct scap_buf_ops scap_perf_buf_ops = {
	.peek = pb_peek,
	.consume = pb_consume,
	.release = pb_release,
	.pending = pb_pending,
};

int scap_perf_buf_open(struct scap_perf_buf *pb, int cpu, size_t data_pages,
		       size_t wakeup_bytes, const char **what)
{
	struct perf_event_attr attr;
	long page = sysconf(_SC_PAGESIZE);
	void *base;

	memset(pb, 0, sizeof(*pb));
	pb->fd = -1;
	pb->buf.ops = &scap_perf_buf_ops;
	pb->buf.priv = pb;
	pb->buf.cpu = cpu;
	pb->buf.bytes = data_pages * (size_t)page;

	pb->bounce = malloc(PB_MAX_RECORD);
	if (!pb->bounce) {
		*what = "malloc";
		return -ENOMEM;
	}
	pb->bounce_len = PB_MAX_RECORD;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	/* Wake the reader per batch of bytes, not per event. */
	attr.watermark = 1;
	attr.wakeup_watermark = (uint32_t)wakeup_bytes;
	pb->fd = (int)syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (pb->fd < 0) {
		int err = -errno;

		*what = "perf_event_open";
		scap_perf_buf_close(pb);
		return err;
	}
	pb->map_len = (1 + data_pages) * (size_t)page;
	base = mmap(NULL, pb->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, pb->fd, 0);
	if (base == MAP_FAILED) {
		int err = -errno;

		*what = "mmap";
		pb->map_len = 0;
		scap_perf_buf_close(pb);
		return err;
	}
	pb->meta = base;
	/* data_offset/data_size exist since 4.1; before that the data starts at page 1. */
	pb->data = (uint8_t *)base + (pb->meta->data_offset ? pb->meta->data_offset : (uint64_t)page);
	pb->data_size = pb->meta->data_size ? pb->meta->data_size : data_pages * (uint64_t)page;
	pb->tail = pb->released = __atomic_load_n(&pb->meta->data_tail, __ATOMIC_ACQUIRE);
	return 0;
}

void scap_perf_buf_close(struct scap_perf_buf *pb)
{
	if (pb->meta)
		munmap(pb->meta, pb->map_len);
	pb->meta = NULL;
	pb->data = NULL;
	if (pb->fd >= 0)
		close(pb->fd);
	pb->fd = -1;
	free(pb->bounce);
	pb->bounce = NULL;
	pb->cur = NULL;
}
