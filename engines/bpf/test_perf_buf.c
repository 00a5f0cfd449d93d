// SPDX-License-Identifier: Apache-2.0
/*
 * The perf buffer reader against a ring written by hand the way the kernel
 * writes it (perf_event_open(2), "MMAP layout"): events in place, a record
 * wrapping around the end copied whole, a wrapping header field, lost
 * records, malformed records, and data_tail handed back. No privilege needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/perf_event.h>

#include "perf_buf.h"

#define RING 4096u

struct ring {
	struct perf_event_mmap_page meta;
	uint8_t data[RING] __attribute__((aligned(8)));
	uint64_t head; /* the producer's position */
	struct scap_perf_buf pb;
};

static void ring_init(struct ring *r, uint64_t start)
{
	memset(r, 0, sizeof(*r));
	r->head = start;
	r->meta.data_head = r->meta.data_tail = start;
	r->pb.buf.ops = &scap_perf_buf_ops;
	r->pb.buf.priv = &r->pb;
	r->pb.fd = -1;
	r->pb.meta = &r->meta;
	r->pb.data = r->data;
	r->pb.data_size = RING;
	r->pb.tail = r->pb.released = start;
	r->pb.bounce = malloc(65536);
	r->pb.bounce_len = 65536;
}

static void ring_put(struct ring *r, const void *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		r->data[(r->head + i) & (RING - 1)] = ((const uint8_t *)src)[i];
	r->head += len;
}

/* A PERF_RECORD_SAMPLE carrying one scap event of `plen` payload bytes filled with `fill`. */
static void put_sample(struct ring *r, uint16_t type, uint32_t plen, uint8_t fill)
{
	uint32_t evlen = SCAP_EVT_HDR_LEN + plen;
	uint32_t raw = (4 + 4 + evlen + 7) / 8 * 8 - 4; /* the kernel pads size + data to 8 */
	struct perf_event_header h = { PERF_RECORD_SAMPLE, 0, (uint16_t)(sizeof(h) + 4 + raw) };
	struct scap_evt_hdr ev = { .ts = 1000 + fill, .tid = 7, .pid = 7, .len = evlen, .type = type };
	uint8_t pad[8] = { 0 };
	uint8_t payload[512];

	memset(payload, fill, plen);
	ring_put(r, &h, sizeof(h));
	ring_put(r, &raw, 4);
	ring_put(r, pad, 4);
	ring_put(r, &ev, sizeof(ev));
	ring_put(r, payload, plen);
	ring_put(r, pad, raw - 4 - evlen);
}

/* Not scap_perf_buf_close: nothing here was mmapped. */
static void ring_fini(struct ring *r)
{
	free(r->pb.bounce);
	r->pb.bounce = NULL;
}

static void put_lost(struct ring *r, uint64_t lost)
{
	struct perf_event_header h = { PERF_RECORD_LOST, 0, sizeof(h) + 16 };
	uint64_t id = 0;

	ring_put(r, &h, sizeof(h));
	ring_put(r, &id, 8);
	ring_put(r, &lost, 8);
}

static void publish(struct ring *r)
{
	__atomic_store_n(&r->meta.data_head, r->head, __ATOMIC_RELEASE);
}

static void check_event(const struct scap_evt_hdr *ev, uint16_t type, uint32_t plen, uint8_t fill)
{
	const uint8_t *p = (const uint8_t *)ev + SCAP_EVT_HDR_LEN;

	assert_non_null(ev);
	assert_int_equal((uintptr_t)ev % 8, 0);
	assert_int_equal(ev->type, type);
	assert_int_equal(ev->len, SCAP_EVT_HDR_LEN + plen);
	assert_int_equal(ev->ts, 1000 + fill);
	for (uint32_t i = 0; i < plen; i++)
		assert_int_equal(p[i], fill);
}

static bool in_ring(const struct ring *r, const void *p)
{
	return (const uint8_t *)p >= r->data && (const uint8_t *)p < r->data + RING;
}

static void test_in_place_and_release(void **state)
{
	static struct ring r;
	struct scap_buf *b = &r.pb.buf;
	const struct scap_evt_hdr *ev;

	ring_init(&r, 0);
	assert_null(b->ops->peek(b));
	put_sample(&r, 3, 10, 0x11);
	put_sample(&r, 4, 100, 0x22);
	publish(&r);

	ev = b->ops->peek(b);
	check_event(ev, 3, 10, 0x11);
	assert_true(in_ring(&r, ev));
	assert_ptr_equal(b->ops->peek(b), ev); /* peek does not consume */
	b->ops->consume(b);
	ev = b->ops->peek(b);
	check_event(ev, 4, 100, 0x22);
	b->ops->consume(b);
	assert_null(b->ops->peek(b));
	assert_int_equal(r.meta.data_tail, 0); /* not handed back before release */
	b->ops->release(b);
	assert_int_equal(r.meta.data_tail, r.head);
	ring_fini(&r);
}

static void test_wrapping_record_is_copied(void **state)
{
	static struct ring r;
	struct scap_buf *b = &r.pb.buf;
	const struct scap_evt_hdr *ev;

	/* The second record starts 48 bytes before the end and wraps. */
	ring_init(&r, 10 * RING - 48 - 72);
	put_sample(&r, 3, 25, 0x33); /* 8 header + 4 size + 60 raw = 72 bytes */
	publish(&r);
	ev = b->ops->peek(b);
	check_event(ev, 3, 25, 0x33);
	b->ops->consume(b);
	put_sample(&r, 5, 200, 0x44);
	publish(&r);
	ev = b->ops->peek(b);
	check_event(ev, 5, 200, 0x44);
	assert_false(in_ring(&r, ev)); /* in the bounce area */
	b->ops->consume(b);
	put_sample(&r, 6, 8, 0x55);
	publish(&r);
	ev = b->ops->peek(b);
	check_event(ev, 6, 8, 0x55);
	assert_true(in_ring(&r, ev)); /* back in place after the wrap */
	b->ops->consume(b);
	b->ops->release(b);
	assert_int_equal(r.meta.data_tail, r.head);
	ring_fini(&r);
}

static void test_every_wrap_position(void **state)
{
	static struct ring r;
	struct scap_buf *b = &r.pb.buf;

	/* A record starting at each 8-byte position of the ring's last 300 bytes. */
	for (uint64_t back = 8; back <= 300; back += 8) {
		ring_init(&r, 3 * RING - back);
		put_sample(&r, 9, 150, (uint8_t)back);
		put_sample(&r, 10, 3, 0x66);
		publish(&r);
		check_event(b->ops->peek(b), 9, 150, (uint8_t)back);
		b->ops->consume(b);
		check_event(b->ops->peek(b), 10, 3, 0x66);
		b->ops->consume(b);
		assert_null(b->ops->peek(b));
		ring_fini(&r);
	}
}

static void test_lost_records_counted(void **state)
{
	static struct ring r;
	struct scap_buf *b = &r.pb.buf;

	ring_init(&r, RING - 8); /* the lost record's count wraps around the end */
	put_lost(&r, 5);
	put_sample(&r, 3, 1, 0x77);
	put_lost(&r, 2);
	publish(&r);
	check_event(b->ops->peek(b), 3, 1, 0x77);
	assert_int_equal(r.pb.lost, 5);
	b->ops->consume(b);
	assert_null(b->ops->peek(b));
	assert_int_equal(r.pb.lost, 7);
	b->ops->release(b);
	assert_int_equal(r.meta.data_tail, r.head); /* lost records handed back too */
	ring_fini(&r);
}

static void test_malformed_records_skipped(void **state)
{
	static struct ring r;
	struct scap_buf *b = &r.pb.buf;
	struct perf_event_header other = { PERF_RECORD_COMM, 0, 16 };
	uint8_t zeros[8] = { 0 };

	ring_init(&r, 0);
	ring_put(&r, &other, sizeof(other)); /* another record type: skipped silently */
	ring_put(&r, zeros, 8);
	put_sample(&r, 3, 4, 0x12);
	publish(&r);
	check_event(b->ops->peek(b), 3, 4, 0x12);
	b->ops->consume(b);
	assert_int_equal(r.pb.malformed, 0);

	/* A sample whose event claims more bytes than the record holds. */
	uint64_t at = r.head;
	put_sample(&r, 3, 4, 0x13);
	uint32_t bad_len = 4000;
	memcpy(&r.data[(at + 16 + 16) & (RING - 1)], &bad_len, 4);
	put_sample(&r, 4, 4, 0x14);
	publish(&r);
	check_event(b->ops->peek(b), 4, 4, 0x14);
	assert_int_equal(r.pb.malformed, 1);
	b->ops->consume(b);

	/* A header of size 0 cannot be walked past: everything readable is dropped. */
	struct perf_event_header broken = { PERF_RECORD_SAMPLE, 0, 0 };
	ring_put(&r, &broken, sizeof(broken));
	put_sample(&r, 5, 4, 0x15);
	publish(&r);
	assert_null(b->ops->peek(b));
	assert_int_equal(r.pb.malformed, 2);
	b->ops->release(b);
	assert_int_equal(r.meta.data_tail, r.head);
	ring_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_place_and_release),
		cmocka_unit_test(test_wrapping_record_is_copied),
		cmocka_unit_test(test_every_wrap_position),
		cmocka_unit_test(test_lost_records_counted),
		cmocka_unit_test(test_malformed_records_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
