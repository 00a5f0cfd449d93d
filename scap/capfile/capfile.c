// SPDX-License-Identifier: Apache-2.0
/*
 * What both capture-file versions share: the schema identity a file carries
 * so that a reader never decodes events with the wrong table, the checks of a
 * decoded header and of the end-of-file statistics, and the version-1
 * decoders (version 1 is read, never written).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scap/scap.h"
#include "scap/common/event_layout.h"
#include "capfile.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--) {
		h ^= *b++;
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t fnv_u32(uint64_t h, uint32_t v)
{
	uint8_t b[4];

	scap_capfile_put32(b, v);
	return fnv_bytes(h, b, sizeof(b));
}

/* Names are hashed with their NUL so that "ab"+"c" differs from "a"+"bc". */
static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv_bytes(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

uint64_t scap_capfile_schema_hash(void)
{
	static uint64_t cached;
	uint64_t h = FNV_OFFSET;
	unsigned code, i;

	if (cached)
		return cached;
	h = fnv_u32(h, SCAP_EV_MAX);
	for (code = 0; code < SCAP_EV_MAX; code++) {
		const struct scap_event_info *e = scap_event_info(code);

		h = fnv_u32(h, code);
		h = fnv_str(h, e->name);
		h = fnv_u32(h, e->dir);
		h = fnv_u32(h, e->nparams);
		for (i = 0; i < e->nparams && i < SCAP_MAX_PARAMS; i++) {
			h = fnv_str(h, e->params[i].name);
			h = fnv_u32(h, e->params[i].type);
			h = fnv_u32(h, e->params[i].aux);
		}
	}
	cached = h;
	return h;
}

int scap_capfile_why(char *why, size_t len, int ret, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return ret;
}

int scap_capfile_hdr_check(const struct scap_capfile_hdr *h, char *why, size_t whylen)
{
	uint64_t want_hash = scap_capfile_schema_hash();
	uint32_t known = h->version == SCAP_CAPFILE_VERSION_V1 ? SCAP_CAPFILE_F_V1_KNOWN : SCAP_CAPFILE_F_KNOWN;

	if (h->layout_version != SCAP_EVENT_LAYOUT_VERSION)
		return scap_capfile_why(why, whylen, -ENOTSUP,
			   "the file's events use event layout version %u, this library reads version %u: "
			   "replay it with the libscap that recorded it", h->layout_version,
			   SCAP_EVENT_LAYOUT_VERSION);
	if (h->schema_ev_max != SCAP_EV_MAX || h->schema_hash != want_hash)
		return scap_capfile_why(why, whylen, -ENOTSUP,
			   "the file was recorded with another event schema (%u event types, schema hash "
			   "%016llx; this library has %u, hash %016llx): replay it with the libscap that "
			   "recorded it", h->schema_ev_max, (unsigned long long)h->schema_hash,
			   (unsigned)SCAP_EV_MAX, (unsigned long long)want_hash);
	if (h->flags & ~known)
		return scap_capfile_why(why, whylen, -ENOTSUP,
			   "the header sets flags 0x%x this library does not know: replay it with a newer libscap",
			   h->flags);
	if (h->nbuffers > SCAP_CAPFILE_MAX_BUFFERS)
		return scap_capfile_why(why, whylen, -EBADMSG, "corrupt header: %u buffers (at most %u)", h->nbuffers,
			   SCAP_CAPFILE_MAX_BUFFERS);
	if (h->snaplen > SCAP_MAX_SNAPLEN)
		return scap_capfile_why(why, whylen, -EBADMSG, "corrupt header: snaplen %u (at most %u)", h->snaplen,
			   SCAP_MAX_SNAPLEN);
	return 0;
}

/* Copies a NUL-padded field; -1 when it has no NUL. */
static int get_str(char *dst, const uint8_t *src, size_t len)
{
	if (!memchr(src, '\0', len))
		return -1;
	memcpy(dst, src, len);
	return 0;
}

int scap_capfile_v1_hdr_decode(const uint8_t *in, struct scap_capfile_hdr *h, char *why, size_t whylen)
{
	int r;

	memset(h, 0, sizeof(*h));
	if (memcmp(in, SCAP_CAPFILE_MAGIC, SCAP_CAPFILE_MAGIC_LEN) != 0)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "not a scap capture file (it does not start with the bytes \"SCAPCAP\\0\")");
	h->version = scap_capfile_get16(in + 8);
	h->layout_version = scap_capfile_get16(in + 10);
	h->hdr_len = scap_capfile_get32(in + 12);
	h->flags = scap_capfile_get32(in + 16);
	h->snaplen = scap_capfile_get32(in + 20);
	h->schema_ev_max = scap_capfile_get32(in + 24);
	h->nbuffers = scap_capfile_get32(in + 28);
	h->schema_hash = scap_capfile_get64(in + 32);
	h->boot_time_ns = (int64_t)scap_capfile_get64(in + 40);
	h->created_ns = (int64_t)scap_capfile_get64(in + 48);
	if (h->version != SCAP_CAPFILE_VERSION_V1)
		return scap_capfile_why(why, whylen, -EBADMSG, "corrupt header: format version %u at offset 8 in a version-1 header",
			   h->version);
	r = scap_capfile_hdr_check(h, why, whylen);
	if (r < 0)
		return r;
	if (h->hdr_len != SCAP_CAPFILE_V1_HDR_FIXED + 4u * h->nbuffers)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "corrupt header: header length %u at offset 12, expected %u for %u buffers",
			   h->hdr_len, SCAP_CAPFILE_V1_HDR_FIXED + 4u * h->nbuffers, h->nbuffers);
	if (get_str(h->engine, in + 56, SCAP_CAPFILE_ENGINE_LEN) < 0 ||
	    get_str(h->arch, in + 88, SCAP_CAPFILE_ARCH_LEN) < 0 ||
	    get_str(h->release, in + 120, SCAP_CAPFILE_RELEASE_LEN) < 0)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "corrupt header: the engine, arch or kernel release field (offsets 56-215) has no NUL");
	return 0;
}

void scap_capfile_v1_trailer_decode(const uint8_t *in, uint32_t fixed, struct scap_capfile_trailer *t)
{
	memset(t, 0, sizeof(*t));
	t->records = scap_capfile_get64(in + 0);
	t->events = scap_capfile_get64(in + 8);
	t->drops_buffer_full = scap_capfile_get64(in + 16);
	t->drops_other = scap_capfile_get64(in + 24);
	t->kernel_events = scap_capfile_get64(in + 32);
	t->pairing_evicted = scap_capfile_get64(in + 40);
	t->pairing_orphan_exits = scap_capfile_get64(in + 48);
	t->toctou = scap_capfile_get64(in + 56);
	t->pairing_stale = scap_capfile_get64(in + 64);
	t->attach_failures = scap_capfile_get32(in + 72);
	t->nbuffers = scap_capfile_get32(in + 76);
	if (fixed >= SCAP_CAPFILE_V1_TRAILER_FIXED)
		t->exits_without_enter = scap_capfile_get64(in + 80);
}

void scap_capfile_v1_trailer_buf_decode(const uint8_t *in, struct scap_capfile_trailer_buf *b)
{
	b->cpu = (int32_t)scap_capfile_get32(in + 0);
	b->events = scap_capfile_get64(in + 8);
	b->drops_buffer_full = scap_capfile_get64(in + 16);
	b->drops_other = scap_capfile_get64(in + 24);
	b->kernel_events = scap_capfile_get64(in + 32);
	b->unread = 0;
}

/* a + b, or false when it does not fit in 64 bits. */
static bool add64(uint64_t *sum, uint64_t v)
{
	if (*sum + v < *sum)
		return false;
	*sum += v;
	return true;
}

int scap_capfile_trailer_check(const struct scap_capfile_trailer *t, const struct scap_capfile_hdr *h,
			       uint64_t records, char *why, size_t whylen)
{
	uint64_t full = 0, other = 0, kernel = 0, unread = 0, events = 0;
	uint32_t i;

	if (t->nbuffers != h->nbuffers || t->records != records)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "it counts %" PRIu64 " events in %u buffers, the file holds %" PRIu64 " in %u",
			   t->records, t->nbuffers, records, h->nbuffers);
	for (i = 0; i < t->nbuffers; i++) {
		const struct scap_capfile_trailer_buf *b = &t->bufs[i];

		if (b->cpu != h->cpus[i])
			return scap_capfile_why(why, whylen, -EBADMSG, "buffer %u has cpu %d, the header says %d", i, b->cpu,
				   h->cpus[i]);
		if (!add64(&full, b->drops_buffer_full) || !add64(&other, b->drops_other) ||
		    !add64(&kernel, b->kernel_events) || !add64(&unread, b->unread) || !add64(&events, b->events))
			return scap_capfile_why(why, whylen, -EBADMSG, "the counts of the buffers up to buffer %u overflow 64 bits", i);
	}
	if (full != t->drops_buffer_full || other != t->drops_other || kernel != t->kernel_events ||
	    unread != t->unread)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "its totals (drops_buffer_full %" PRIu64 ", drops_other %" PRIu64 ", kernel_events %" PRIu64
			   ", unread %" PRIu64 ") are not the sums of its buffers' (%" PRIu64 ", %" PRIu64 ", %" PRIu64
			   ", %" PRIu64 ")",
			   t->drops_buffer_full, t->drops_other, t->kernel_events, t->unread, full, other, kernel, unread);
	/* Pairing turns raw events into at most as many delivered ones. */
	if (t->events > events)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "it counts %" PRIu64 " delivered events, more than the %" PRIu64 " its buffers gave",
			   t->events, events);
	if (records > t->events || t->toctou > t->events || t->pairing_orphan_exits > t->events)
		return scap_capfile_why(why, whylen, -EBADMSG,
			   "its counts of event records (%" PRIu64 "), toctou events (%" PRIu64 ") or orphan exits (%" PRIu64
			   ") exceed the %" PRIu64 " events delivered",
			   records, t->toctou, t->pairing_orphan_exits, t->events);
	return 0;
}
