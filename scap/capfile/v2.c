// SPDX-License-Identifier: Apache-2.0
/*
 * Version 2 of the capture-file format: the preamble, the block framing
 * (a head with its own CRC-32, so that a bad length is caught before it is
 * used, and a CRC-32 of the payload), and the HEADER and END payloads.
 * zlib's crc32 is the checksum (the library links zlib already).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "scap/scap.h"
#include "scap/common/event_layout.h"
#include "capfile.h"

static uint32_t crc(const void *p, size_t n)
{
	uLong c = crc32(0L, Z_NULL, 0);

	/* zlib takes uInt lengths: a block payload is at most SCAP_CAPFILE_BLOCK_MAX. */
	return (uint32_t)crc32(c, (const Bytef *)p, (uInt)n);
}

void scap_capfile_preamble_encode(uint8_t *out)
{
	memcpy(out, SCAP_CAPFILE_MAGIC, SCAP_CAPFILE_MAGIC_LEN);
	scap_capfile_put16(out + 8, SCAP_CAPFILE_VERSION);
	scap_capfile_put16(out + 10, 0);
	scap_capfile_put32(out + 12, crc(out, 12));
}

int scap_capfile_preamble_check(const uint8_t *in, char *why, size_t whylen)
{
	uint32_t want = crc(in, 12), got = scap_capfile_get32(in + 12);

	if (got != want)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "corrupt preamble: its checksum at offset 12 is %08x, its bytes give %08x", got, want);
	if (scap_capfile_get16(in + 10) != 0)
		return scap_capfile_why(why, whylen, -EBADMSG, "corrupt preamble: the reserved field at offset 10 is not 0");
	return 0;
}

void scap_capfile_block_encode(uint8_t *head, uint16_t kind, uint16_t flags, uint32_t seq,
			       const void *payload, uint32_t len)
{
	memcpy(head, SCAP_CAPFILE_BLOCK_SYNC, 4);
	scap_capfile_put16(head + 4, kind);
	scap_capfile_put16(head + 6, flags);
	scap_capfile_put32(head + 8, len);
	scap_capfile_put32(head + 12, seq);
	scap_capfile_put32(head + 16, crc(head, 16));
	scap_capfile_put32(head + 20, crc(payload, len));
}

int scap_capfile_block_decode(const uint8_t *head, struct scap_capfile_block *b, char *why, size_t whylen)
{
	uint32_t want = crc(head, 16);

	memset(b, 0, sizeof(*b));
	if (memcmp(head, SCAP_CAPFILE_BLOCK_SYNC, 4) != 0)
		return scap_capfile_why(why, whylen, -EBADMSG, "no block starts there (it does not begin with \"SBLK\")");
	b->kind = scap_capfile_get16(head + 4);
	b->flags = scap_capfile_get16(head + 6);
	b->len = scap_capfile_get32(head + 8);
	b->seq = scap_capfile_get32(head + 12);
	b->head_crc = scap_capfile_get32(head + 16);
	b->payload_crc = scap_capfile_get32(head + 20);
	if (b->head_crc != want)
		return scap_capfile_why(why, whylen, -EBADMSG, "the block head's checksum is %08x, its bytes give %08x",
			   b->head_crc, want);
	if (b->flags & ~SCAP_CAPFILE_BF_KNOWN)
		return scap_capfile_why(why, whylen, -ENOTSUP,
			   "the block sets flags 0x%x this library does not know: replay it with a newer libscap",
			   b->flags);
	if (b->len > SCAP_CAPFILE_BLOCK_MAX)
		return scap_capfile_why(why, whylen, -EBADMSG, "the block's payload length %u exceeds the limit %u", b->len,
			   SCAP_CAPFILE_BLOCK_MAX);
	return 0;
}

bool scap_capfile_block_payload_ok(const struct scap_capfile_block *b, const void *payload)
{
	return crc(payload, b->len) == b->payload_crc;
}

/* ---- HEADER ------------------------------------------------------------------ */

size_t scap_capfile_hdr_payload_len(uint32_t nbuffers)
{
	return SCAP_CAPFILE_HDR_FIXED + (size_t)SCAP_CAPFILE_HDR_ENTRY * nbuffers;
}

void scap_capfile_hdr_encode(const struct scap_capfile_hdr *h, uint8_t *out)
{
	uint32_t i;

	memset(out, 0, SCAP_CAPFILE_HDR_FIXED);
	scap_capfile_put32(out + 0, SCAP_CAPFILE_HDR_FIXED);
	scap_capfile_put32(out + 4, SCAP_CAPFILE_HDR_ENTRY);
	scap_capfile_put16(out + 8, h->layout_version);
	scap_capfile_put32(out + 12, h->flags);
	scap_capfile_put32(out + 16, h->snaplen);
	scap_capfile_put32(out + 20, h->schema_ev_max);
	scap_capfile_put32(out + 24, h->nbuffers);
	scap_capfile_put32(out + 28, h->flush_ms);
	scap_capfile_put64(out + 32, h->schema_hash);
	scap_capfile_put64(out + 40, (uint64_t)h->boot_time_ns);
	scap_capfile_put64(out + 48, (uint64_t)h->created_ns);
	scap_capfile_put64(out + 56, h->created_boot_ns);
	scap_capfile_put32(out + 64, (uint32_t)h->sync_ms);
	/* The in-memory strings are NUL-terminated within their size. */
	memcpy(out + 72, h->engine, SCAP_CAPFILE_ENGINE_LEN - 1);
	memcpy(out + 104, h->arch, SCAP_CAPFILE_ARCH_LEN - 1);
	memcpy(out + 136, h->release, SCAP_CAPFILE_RELEASE_LEN - 1);
	for (i = 0; i < h->nbuffers; i++)
		scap_capfile_put32(out + SCAP_CAPFILE_HDR_FIXED + SCAP_CAPFILE_HDR_ENTRY * i, (uint32_t)h->cpus[i]);
}

static bool str_ok(char *dst, const uint8_t *src, size_t len)
{
	if (!memchr(src, '\0', len))
		return false;
	memcpy(dst, src, len);
	return true;
}

int scap_capfile_hdr_decode(const uint8_t *in, size_t len, struct scap_capfile_hdr *h, char *why,
			    size_t whylen)
{
	uint32_t fixed, entry, i;
	int r;

	memset(h, 0, sizeof(*h));
	if (len < 8)
		return scap_capfile_why(why, whylen, -EBADMSG, "the HEADER payload has %zu bytes", len);
	fixed = scap_capfile_get32(in + 0);
	entry = scap_capfile_get32(in + 4);
	/* A newer writer may append fields to both parts: their sizes are in the payload. */
	if (fixed < SCAP_CAPFILE_HDR_FIXED || entry < SCAP_CAPFILE_HDR_ENTRY || fixed > len || entry > 64)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "the HEADER payload's part sizes (%u, %u) are out of range (at least %u and %u; %zu bytes in all)",
			   fixed, entry, SCAP_CAPFILE_HDR_FIXED, SCAP_CAPFILE_HDR_ENTRY, len);
	h->version = SCAP_CAPFILE_VERSION;
	h->layout_version = scap_capfile_get16(in + 8);
	h->flags = scap_capfile_get32(in + 12);
	h->snaplen = scap_capfile_get32(in + 16);
	h->schema_ev_max = scap_capfile_get32(in + 20);
	h->nbuffers = scap_capfile_get32(in + 24);
	h->flush_ms = scap_capfile_get32(in + 28);
	h->schema_hash = scap_capfile_get64(in + 32);
	h->boot_time_ns = (int64_t)scap_capfile_get64(in + 40);
	h->created_ns = (int64_t)scap_capfile_get64(in + 48);
	h->created_boot_ns = scap_capfile_get64(in + 56);
	h->sync_ms = (int32_t)scap_capfile_get32(in + 64);
	r = scap_capfile_hdr_check(h, why, whylen);
	if (r < 0)
		return r;
	if (scap_capfile_get16(in + 10) || scap_capfile_get32(in + 68))
		return scap_capfile_why(why, whylen, -EBADMSG, "corrupt header: a reserved field (payload offset 10 or 68) is not 0");
	if (len != fixed + (size_t)entry * h->nbuffers)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "corrupt header: %zu payload bytes for %u buffers of %u bytes after %u", len, h->nbuffers,
			   entry, fixed);
	if (!str_ok(h->engine, in + 72, SCAP_CAPFILE_ENGINE_LEN) || !str_ok(h->arch, in + 104, SCAP_CAPFILE_ARCH_LEN) ||
	    !str_ok(h->release, in + 136, SCAP_CAPFILE_RELEASE_LEN))
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "corrupt header: the engine, arch or kernel release field (payload offsets 72-231) has no NUL");
	if (h->created_ns <= 0 || h->boot_time_ns > h->created_ns)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "corrupt header: created at %lld ns after the epoch with the boot at %lld: not a time this "
			   "writer could have read", (long long)h->created_ns, (long long)h->boot_time_ns);
	if (h->sync_ms < -1)
		return scap_capfile_why(why, whylen, -EBADMSG, "corrupt header: sync interval %d ms", (int)h->sync_ms);
	h->cpus = malloc(h->nbuffers ? sizeof(*h->cpus) * h->nbuffers : 1);
	if (!h->cpus)
		return scap_capfile_why(why, whylen, -ENOMEM, "out of memory for %u buffers", h->nbuffers);
	for (i = 0; i < h->nbuffers; i++) {
		int32_t c = (int32_t)scap_capfile_get32(in + fixed + (size_t)entry * i);

		if (c < -1 || c >= SCAP_CAPFILE_MAX_CPU) {
			free(h->cpus);
			h->cpus = NULL;
			return scap_capfile_why(why, whylen, -EBADMSG, "corrupt header: buffer %u has cpu %d (-1 or 0..%d)", i, c,
				   SCAP_CAPFILE_MAX_CPU - 1);
		}
		h->cpus[i] = c;
	}
	return 0;
}

/* ---- END ----------------------------------------------------------------------- */

size_t scap_capfile_end_payload_len(uint32_t nbuffers)
{
	return SCAP_CAPFILE_END_FIXED + (size_t)SCAP_CAPFILE_END_ENTRY * nbuffers;
}

void scap_capfile_end_encode(const struct scap_capfile_trailer *t, uint8_t *out)
{
	uint32_t i;

	scap_capfile_put32(out + 0, SCAP_CAPFILE_END_FIXED);
	scap_capfile_put32(out + 4, SCAP_CAPFILE_END_ENTRY);
	scap_capfile_put64(out + 8, t->records);
	scap_capfile_put64(out + 16, t->events);
	scap_capfile_put64(out + 24, t->drops_buffer_full);
	scap_capfile_put64(out + 32, t->drops_other);
	scap_capfile_put64(out + 40, t->kernel_events);
	scap_capfile_put64(out + 48, t->pairing_evicted);
	scap_capfile_put64(out + 56, t->pairing_orphan_exits);
	scap_capfile_put64(out + 64, t->toctou);
	scap_capfile_put64(out + 72, t->pairing_stale);
	scap_capfile_put64(out + 80, t->exits_without_enter);
	scap_capfile_put64(out + 88, t->unread);
	scap_capfile_put32(out + 96, t->attach_failures);
	scap_capfile_put32(out + 100, t->nbuffers);
	for (i = 0; i < t->nbuffers; i++) {
		uint8_t *b = out + SCAP_CAPFILE_END_FIXED + (size_t)i * SCAP_CAPFILE_END_ENTRY;
		const struct scap_capfile_trailer_buf *tb = &t->bufs[i];

		scap_capfile_put32(b + 0, (uint32_t)tb->cpu);
		scap_capfile_put32(b + 4, 0);
		scap_capfile_put64(b + 8, tb->events);
		scap_capfile_put64(b + 16, tb->drops_buffer_full);
		scap_capfile_put64(b + 24, tb->drops_other);
		scap_capfile_put64(b + 32, tb->kernel_events);
		scap_capfile_put64(b + 40, tb->unread);
	}
}

int scap_capfile_end_decode(const uint8_t *in, size_t len, uint32_t nbuffers,
			    struct scap_capfile_trailer *t, char *why, size_t whylen)
{
	uint32_t fixed, entry, i;

	memset(t, 0, sizeof(*t));
	if (len < 8)
		return scap_capfile_why(why, whylen, -EBADMSG, "the END payload has %zu bytes", len);
	fixed = scap_capfile_get32(in + 0);
	entry = scap_capfile_get32(in + 4);
	if (fixed < SCAP_CAPFILE_END_FIXED || entry < SCAP_CAPFILE_END_ENTRY || fixed > len || entry > 1024 ||
	    len != fixed + (size_t)entry * nbuffers)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "the END payload has %zu bytes with parts of %u and %u bytes for %u buffers (at least %u and %u)",
			   len, fixed, entry, nbuffers, SCAP_CAPFILE_END_FIXED, SCAP_CAPFILE_END_ENTRY);
	t->records = scap_capfile_get64(in + 8);
	t->events = scap_capfile_get64(in + 16);
	t->drops_buffer_full = scap_capfile_get64(in + 24);
	t->drops_other = scap_capfile_get64(in + 32);
	t->kernel_events = scap_capfile_get64(in + 40);
	t->pairing_evicted = scap_capfile_get64(in + 48);
	t->pairing_orphan_exits = scap_capfile_get64(in + 56);
	t->toctou = scap_capfile_get64(in + 64);
	t->pairing_stale = scap_capfile_get64(in + 72);
	t->exits_without_enter = scap_capfile_get64(in + 80);
	t->unread = scap_capfile_get64(in + 88);
	t->attach_failures = scap_capfile_get32(in + 96);
	t->nbuffers = scap_capfile_get32(in + 100);
	if (t->nbuffers != nbuffers)
		return scap_capfile_why(why, whylen, -EBADMSG, "the END block counts %u buffers, the header %u", t->nbuffers,
			   nbuffers);
	t->bufs = calloc(nbuffers ? nbuffers : 1, sizeof(*t->bufs));
	if (!t->bufs)
		return scap_capfile_why(why, whylen, -ENOMEM, "out of memory for %u buffers", nbuffers);
	for (i = 0; i < nbuffers; i++) {
		const uint8_t *b = in + fixed + (size_t)i * entry;
		struct scap_capfile_trailer_buf *tb = &t->bufs[i];

		if (scap_capfile_get32(b + 4)) {
			free(t->bufs);
			t->bufs = NULL;
			return scap_capfile_why(why, whylen, -EBADMSG, "buffer %u's reserved field is not 0", i);
		}
		tb->cpu = (int32_t)scap_capfile_get32(b + 0);
		tb->events = scap_capfile_get64(b + 8);
		tb->drops_buffer_full = scap_capfile_get64(b + 16);
		tb->drops_other = scap_capfile_get64(b + 24);
		tb->kernel_events = scap_capfile_get64(b + 32);
		tb->unread = scap_capfile_get64(b + 40);
	}
	return 0;
}
