// SPDX-License-Identifier: Apache-2.0
/*
 * Version 1 of the capture-file format (written by libscap before version
 * 2; read only): a 216-byte header and the buffers' cpus, a stream of
 * records, a trailer record. It has no checksums, so only the rules of
 * sf_event.c and the trailer's sums guard it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf.h"

/* Reads exactly n bytes of the record at rec, or fails with what was cut. */
static int need(struct sf_state *s, void *buf, size_t n, uint64_t rec, const char *what)
{
	char why[SCAP_ERRBUF_SIZE] = "";
	long got = sf_in_read(&s->in, buf, n, why, sizeof(why));

	if (got < 0)
		return sf_failf(s, (int)got, "capture file: %s", why);
	if ((size_t)got < n)
		return sf_failf(s, -EBADMSG,
				"capture file truncated: it ends at offset %" PRIu64 ", inside the %s of the record at offset %" PRIu64,
				s->in.off, what, rec);
	return 0;
}

int sf_v1_open(struct sf_state *s, const uint8_t *first16)
{
	uint8_t fixed[SCAP_CAPFILE_V1_HDR_FIXED];
	char why[SCAP_ERRBUF_SIZE] = "";
	struct scap_capfile_hdr hdr;
	uint8_t *cpus;
	long got;
	uint32_t i;
	int r;

	memcpy(fixed, first16, 16);
	got = sf_in_read(&s->in, fixed + 16, sizeof(fixed) - 16, why, sizeof(why));
	if (got < 0) {
		scap_engine_errf(s->ctx, "capture file %s: %s", s->path, why);
		return (int)got;
	}
	if ((size_t)got < sizeof(fixed) - 16) {
		scap_engine_errf(s->ctx, "capture file %s is truncated: it ends at offset %" PRIu64 ", inside the %u-byte header",
				 s->path, s->in.off, SCAP_CAPFILE_V1_HDR_FIXED);
		return -EBADMSG;
	}
	r = scap_capfile_v1_hdr_decode(fixed, &hdr, why, sizeof(why));
	if (r < 0) {
		scap_engine_errf(s->ctx, "capture file %s: %s", s->path, why);
		return r;
	}
	cpus = malloc(hdr.nbuffers ? 4u * hdr.nbuffers : 1);
	hdr.cpus = malloc(hdr.nbuffers ? sizeof(*hdr.cpus) * hdr.nbuffers : 1);
	if (!cpus || !hdr.cpus) {
		free(cpus);
		free(hdr.cpus);
		scap_engine_errf(s->ctx, "capture file %s: out of memory for %u buffers", s->path, hdr.nbuffers);
		return -ENOMEM;
	}
	got = sf_in_read(&s->in, cpus, 4u * hdr.nbuffers, why, sizeof(why));
	if (got >= 0 && (size_t)got < 4u * hdr.nbuffers) {
		snprintf(why, sizeof(why), "truncated: it ends at offset %" PRIu64 ", inside the %u-byte header",
			 s->in.off, hdr.hdr_len);
		got = -EBADMSG;
	}
	for (i = 0; got >= 0 && i < hdr.nbuffers; i++)
		hdr.cpus[i] = (int32_t)scap_capfile_get32(cpus + 4u * i);
	free(cpus);
	if (got < 0) {
		free(hdr.cpus);
		scap_engine_errf(s->ctx, "capture file %s: %s", s->path, why);
		return (int)got;
	}
	return sf_take_header(s, &hdr);
}

static int read_trailer(struct sf_state *s, uint32_t len, uint64_t rec)
{
	uint32_t bufs = s->nbuffers * SCAP_CAPFILE_V1_TRAILER_BUF;
	uint32_t want = SCAP_CAPFILE_V1_TRAILER_FIXED + bufs, fixed = len - bufs;
	struct scap_capfile_trailer t;
	char why[SCAP_ERRBUF_SIZE] = "";
	uint8_t *body, extra;
	uint32_t i;
	long got;
	int r;

	if (len != want && len != SCAP_CAPFILE_V1_TRAILER_FIXED_OLD + bufs)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the trailer at offset %" PRIu64 " has length %u, expected %u for %u buffers",
				rec, len, want, s->nbuffers);
	body = malloc(len);
	if (!body)
		return sf_failf(s, -ENOMEM, "out of memory reading the capture file's trailer");
	r = need(s, body, len, rec, "trailer");
	if (r < 0) {
		free(body);
		return r;
	}
	scap_capfile_v1_trailer_decode(body, fixed, &t);
	t.bufs = calloc(s->nbuffers ? s->nbuffers : 1, sizeof(*t.bufs));
	if (!t.bufs) {
		free(body);
		return sf_failf(s, -ENOMEM, "out of memory reading the capture file's trailer");
	}
	for (i = 0; i < s->nbuffers; i++) {
		const uint8_t *b = body + fixed + (size_t)i * SCAP_CAPFILE_V1_TRAILER_BUF;

		if (scap_capfile_get32(b + 4)) {
			free(t.bufs);
			free(body);
			return sf_failf(s, -EBADMSG,
					"corrupt capture file: the trailer at offset %" PRIu64 ": buffer %u's reserved field is not 0",
					rec, i);
		}
		scap_capfile_v1_trailer_buf_decode(b, &t.bufs[i]);
	}
	free(body);
	got = sf_in_read(&s->in, &extra, 1, why, sizeof(why));
	if (got < 0) {
		free(t.bufs);
		return sf_failf(s, (int)got, "capture file: %s", why);
	}
	if (got > 0) {
		free(t.bufs);
		return sf_failf(s, -EBADMSG, "corrupt capture file: data after the trailer, at offset %" PRIu64,
				s->in.off - 1);
	}
	if (fixed < SCAP_CAPFILE_V1_TRAILER_FIXED)
		scap_engine_logf(s->ctx, SCAP_LOG_INFO,
				 "the capture file's writer did not record exits without enter: that count is 0");
	r = sf_apply_trailer(s, &t, rec, "trailer");
	free(t.bufs);
	return r;
}

/* Reads and checks the event of the record at rec into *bufp (grown to fit). */
static int read_event(struct sf_state *s, uint8_t **bufp, uint32_t *cap, uint64_t rec, bool exit_copy)
{
	const char *what = exit_copy ? "exit copy" : "event";
	uint8_t hdr[SCAP_EVT_HDR_LEN], *buf;
	uint32_t len;
	int r;

	r = need(s, hdr, SCAP_EVT_HDR_LEN, rec, what);
	if (r < 0)
		return r;
	len = sf_event_len(s, hdr);
	if (len < SCAP_EVT_HDR_LEN || len > SCAP_MAX_EVENT_LEN)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the %s at offset %" PRIu64 " has length %u (must be %u..%u)",
				what, rec + SCAP_CAPFILE_REC_HEAD, len, SCAP_EVT_HDR_LEN, SCAP_MAX_EVENT_LEN);
	if (len > *cap) {
		uint32_t want = len < 4096 ? 4096 : SCAP_MAX_EVENT_LEN;

		buf = realloc(*bufp, want);
		if (!buf)
			return sf_failf(s, -ENOMEM, "out of memory reading the capture file");
		*bufp = buf;
		*cap = want;
	}
	buf = *bufp;
	memcpy(buf, hdr, sizeof(hdr));
	r = need(s, buf + SCAP_EVT_HDR_LEN, len - SCAP_EVT_HDR_LEN, rec, what);
	if (r < 0)
		return r;
	if (s->swap)
		sf_event_swap(buf, len);
	r = sf_check_event(s, buf, len, exit_copy, rec + SCAP_CAPFILE_REC_HEAD, 0);
	if (r == 0 && s->nr_map)
		sf_event_renumber(s, buf);
	return r;
}

int sf_v1_next(struct sf_state *s)
{
	char why[SCAP_ERRBUF_SIZE] = "";
	uint8_t head[SCAP_CAPFILE_REC_HEAD];
	uint64_t rec, x_rec = 0;
	uint32_t kind, arg;
	bool x_pending = false;
	long got;
	int r;

	for (;;) {
		rec = s->in.off;
		got = sf_in_read(&s->in, head, sizeof(head), why, sizeof(why));
		if (got < 0)
			return sf_failf(s, (int)got, "capture file: %s", why);
		if (got == 0)
			return sf_failf(s, -EBADMSG,
					"capture file truncated: it ends at offset %" PRIu64 " without its trailer (the writer did "
					"not finish); the %" PRIu64 " events before were delivered", rec, s->records);
		if ((size_t)got < sizeof(head))
			return sf_failf(s, -EBADMSG,
					"capture file truncated: it ends at offset %" PRIu64 ", inside the head of the record at offset %" PRIu64,
					s->in.off, rec);
		kind = scap_capfile_get32(head);
		arg = scap_capfile_get32(head + 4);
		if (kind != SCAP_CAPFILE_REC_EXIT_COPY)
			break;
		if (x_pending || arg != 0)
			return sf_failf(s, -EBADMSG, "corrupt capture file: the exit copy at offset %" PRIu64 " %s", rec,
					x_pending ? "follows another exit copy" : "has a non-zero argument");
		r = read_event(s, &s->v1_xev, &s->v1_xev_cap, rec, true);
		if (r < 0)
			return r;
		x_pending = true;
		x_rec = rec;
	}
	if (x_pending && kind != SCAP_CAPFILE_REC_EVENT)
		return sf_failf(s, -EBADMSG, "corrupt capture file: the exit copy at offset %" PRIu64 " is not followed by its event",
				x_rec);
	if (kind == SCAP_CAPFILE_REC_TRAILER)
		return read_trailer(s, arg, rec);
	if (kind != SCAP_CAPFILE_REC_EVENT)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: unknown record kind %u at offset %" PRIu64 " (1 = event, 2 = trailer, 3 = exit copy)",
				kind, rec);
	r = sf_check_cpu(s, arg, rec);
	if (r == 0)
		r = read_event(s, &s->v1_ev, &s->v1_ev_cap, rec, false);
	if (r == 0 && x_pending)
		r = sf_check_pair(s, s->v1_xev, s->v1_ev, x_rec);
	if (r < 0)
		return r;
	s->ev = s->v1_ev;
	s->xev = x_pending ? s->v1_xev : NULL;
	s->records++;
	SCAP_COUNT_ADD(s->bufs[arg].buf.delivered, 1);
	return (int)arg;
}
