// SPDX-License-Identifier: Apache-2.0
/*
 * The modern_bpf ring reader (engines/modern_bpf/mbpf_ring.c) over a ring laid
 * out in plain memory the way the kernel lays out a BPF ring buffer: 8-byte
 * record headers (length with BUSY/DISCARD bits, page offset), 8-aligned
 * records, positions that only grow.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/bpf.h>

/* Compiled in rather than linked: the test holds when the engine is not built. */
#include "engines/modern_bpf/mbpf_ring.c"

#define RING 4096u

struct fake {
	uint64_t consumer_pos, producer_pos;
	uint8_t data[RING];
	struct mbpf_ring r;
};

/* Writes a record of an event of `len` bytes (type = tag) at the producer position. */
static uint64_t put(struct fake *f, uint32_t len, uint16_t tag, uint32_t bits)
{
	uint64_t at = f->producer_pos;
	uint8_t ev[256] = { 0 };
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)ev;
	uint32_t word = len | bits;

	assert_true(len <= sizeof(ev));
	h->len = len;
	h->type = tag;
	h->ts = 1000 + tag;
	for (uint32_t i = sizeof(*h); i < len; i++)
		ev[i] = (uint8_t)(tag + i);
	memcpy(&f->data[at & (RING - 1)], &word, 4);
	memset(&f->data[(at + 4) & (RING - 1)], 0, 4);
	for (uint32_t i = 0; i < len; i++)
		f->data[(at + BPF_RINGBUF_HDR_SZ + i) & (RING - 1)] = ev[i];
	f->producer_pos = at + ((len + BPF_RINGBUF_HDR_SZ + 7) & ~7u);
	return at;
}

static void check_event(const struct scap_evt_hdr *h, uint32_t len, uint16_t tag)
{
	const uint8_t *b = (const uint8_t *)h;

	assert_non_null(h);
	assert_int_equal(h->len, len);
	assert_int_equal(h->type, tag);
	assert_int_equal(h->ts, 1000 + tag);
	for (uint32_t i = sizeof(*h); i < len; i++)
		assert_int_equal(b[i], (uint8_t)(tag + i));
}

static struct fake *fake_new(uint64_t start)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->consumer_pos = f->producer_pos = start;
	assert_int_equal(mbpf_ring_attach(&f->r, &f->consumer_pos, &f->producer_pos, f->data, RING, 3), 0);
	assert_int_equal(f->r.buf.cpu, 3);
	return f;
}

static void fake_free(struct fake *f)
{
	mbpf_ring_unmap(&f->r);
	free(f);
}

static void test_empty_then_one(void **state)
{
	struct fake *f = fake_new(0);
	struct scap_buf *b = &f->r.buf;

	assert_null(b->ops->peek(b));
	assert_false(mbpf_ring_ready(&f->r));
	put(f, 30, 7, 0);
	assert_true(mbpf_ring_ready(&f->r));
	const struct scap_evt_hdr *h = b->ops->peek(b);
	check_event(h, 30, 7);
	/* in place, right after the 8-byte record header */
	assert_ptr_equal(h, f->data + BPF_RINGBUF_HDR_SZ);
	assert_ptr_equal(b->ops->peek(b), h);
	b->ops->consume(b);
	assert_null(b->ops->peek(b));
	assert_int_equal(f->consumer_pos, 0); /* not released yet */
	b->ops->release(b);
	assert_int_equal(f->consumer_pos, 40); /* 30 + 8 rounded up to 8 */
	fake_free(f);
}

static void test_busy_and_discard(void **state)
{
	struct fake *f = fake_new(0);
	struct scap_buf *b = &f->r.buf;

	uint64_t busy = put(f, 24, 1, BPF_RINGBUF_BUSY_BIT);
	put(f, 24, 2, 0);
	assert_null(b->ops->peek(b)); /* records commit in order: wait for the busy one */
	f->data[busy + 3] &= (uint8_t)~(BPF_RINGBUF_BUSY_BIT >> 24);
	f->data[busy + 3] |= (uint8_t)(BPF_RINGBUF_DISCARD_BIT >> 24);
	check_event(b->ops->peek(b), 24, 2); /* the discarded one is skipped */
	b->ops->consume(b);
	b->ops->release(b);
	assert_int_equal(f->consumer_pos, 64);
	assert_int_equal(f->r.malformed, 0);
	fake_free(f);
}

static void test_wrap_uses_bounce(void **state)
{
	/* Start 48 bytes before the end: a 100-byte event wraps around. */
	struct fake *f = fake_new(10 * RING - 48);
	struct scap_buf *b = &f->r.buf;

	put(f, 100, 9, 0);
	put(f, 50, 10, 0);
	const struct scap_evt_hdr *h = b->ops->peek(b);
	check_event(h, 100, 9);
	assert_ptr_equal(h, f->r.bounce);
	b->ops->consume(b);
	h = b->ops->peek(b);
	check_event(h, 50, 10);
	assert_true((const uint8_t *)h >= f->data && (const uint8_t *)h < f->data + RING);
	b->ops->consume(b);
	b->ops->release(b);
	assert_int_equal(f->consumer_pos, 10 * RING - 48 + 112 + 64);
	fake_free(f);
}

static void test_malformed_skipped(void **state)
{
	struct fake *f = fake_new(0);
	struct scap_buf *b = &f->r.buf;

	put(f, 16, 1, 0); /* shorter than an event header */
	put(f, 40, 2, 0);
	check_event(b->ops->peek(b), 40, 2);
	assert_int_equal(f->r.malformed, 1);
	fake_free(f);
}

static void test_release_every_quarter(void **state)
{
	struct fake *f = fake_new(0);
	struct scap_buf *b = &f->r.buf;
	unsigned n = 0;

	/* 128-byte records: the 8th consumed crosses a quarter (1024 bytes). */
	for (int i = 0; i < 8; i++)
		put(f, 120, (uint16_t)i, 0);
	while (b->ops->peek(b)) {
		b->ops->consume(b);
		n++;
		assert_int_equal(f->consumer_pos, n < 8 ? 0 : 1024);
	}
	assert_int_equal(n, 8);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_then_one),
		cmocka_unit_test(test_busy_and_discard),
		cmocka_unit_test(test_wrap_uses_bounce),
		cmocka_unit_test(test_malformed_skipped),
		cmocka_unit_test(test_release_every_quarter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
