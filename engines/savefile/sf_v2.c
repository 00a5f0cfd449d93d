// SPDX-License-Identifier: Apache-2.0
/*
 * Version 2 of the capture-file format: blocks, each checked whole (the
 * head's CRC before its length is used, then the payload's) before any of
 * its events is handed out, so that what comes out of a damaged file is
 * exactly the events of the whole blocks before the damage. A block of a
 * kind this library does not know is skipped, unless it says it must be
 * understood.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf.h"

/*
 * Payloads are read into a buffer that doubles as they come, so that a
 * length that lies costs no more memory than twice what the file has.
 */
#define FIRST_CAP (16u << 10)

void sf_v2_free(struct sf_state *s)
{
	free(s->blk);
	s->blk = NULL;
	s->blk_cap = 0;
}

static int incomplete(struct sf_state *s, const char *where)
{
	return sf_failf(s, -EBADMSG,
			"capture file incomplete: it ends at offset %" PRIu64 "%s%s, without its END block (the writer "
			"did not finish: killed, out of disk space, or still writing); the %" PRIu64
			" events of its %" PRIu64 " whole blocks were delivered", s->in.off, where,
			s->in.cut ? " (the gzip stream is cut there)" : "", s->records, s->blocks);
}

/*
 * Reads the block at the current offset: head checked, payload read and
 * checked, into s->blk. 1 when there was one, 0 at a clean end of the
 * stream (no byte of a further block), or the sticky error.
 */
static int read_block(struct sf_state *s, struct scap_capfile_block *b)
{
	uint8_t head[SCAP_CAPFILE_BLOCK_HEAD];
	char why[SCAP_ERRBUF_SIZE] = "", where[96];
	uint64_t off = s->in.off;
	uint32_t have = 0;
	long got;
	int r;

	got = sf_in_read(&s->in, head, sizeof(head), why, sizeof(why));
	if (got < 0)
		return sf_failf(s, (int)got, "capture file: %s", why);
	if (got == 0)
		return 0;
	if ((size_t)got < sizeof(head)) {
		snprintf(where, sizeof(where), ", inside the head of the block at offset %" PRIu64, off);
		return incomplete(s, where);
	}
	r = scap_capfile_block_decode(head, b, why, sizeof(why));
	if (r < 0)
		return sf_failf(s, r, "%s capture file: the block at offset %" PRIu64 ": %s; the %" PRIu64
				" events before it were delivered", r == -ENOTSUP ? "unsupported" : "corrupt", off, why,
				s->records);
	if (b->seq != s->next_seq)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the block at offset %" PRIu64 " has sequence number %u, expected %u "
				"(a block is missing or repeated); the %" PRIu64 " events before it were delivered",
				off, b->seq, s->next_seq, s->records);
	while (have < b->len) {
		uint32_t step;

		if (have == s->blk_cap) {
			size_t cap = s->blk_cap ? 2 * s->blk_cap : FIRST_CAP;
			uint8_t *p = realloc(s->blk, cap);

			if (!p)
				return sf_failf(s, -ENOMEM, "out of memory for a %u-byte block of the capture file", b->len);
			s->blk = p;
			s->blk_cap = cap;
		}
		step = b->len - have < s->blk_cap - have ? b->len - have : (uint32_t)(s->blk_cap - have);
		got = sf_in_read(&s->in, s->blk + have, step, why, sizeof(why));
		if (got < 0)
			return sf_failf(s, (int)got, "capture file: %s", why);
		have += (uint32_t)got;
		if ((uint32_t)got < step) {
			snprintf(where, sizeof(where), ", inside the %u-byte payload of the block at offset %" PRIu64,
				 b->len, off);
			return incomplete(s, where);
		}
	}
	if (!scap_capfile_block_payload_ok(b, s->blk))
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the block at offset %" PRIu64 " (%u bytes) fails its checksum: the "
				"file is damaged from there on; the %" PRIu64 " events before it were delivered",
				off, b->len, s->records);
	s->blk_off = off;
	s->blk_len = b->len;
	s->next_seq++;
	s->blocks++;
	return 1;
}

int sf_v2_open(struct sf_state *s)
{
	struct scap_capfile_block b;
	struct scap_capfile_hdr hdr;
	char why[SCAP_ERRBUF_SIZE] = "";
	int r;

	r = read_block(s, &b);
	if (r == 0)
		r = incomplete(s, ", after its preamble");
	if (r < 0)
		return r;
	if (b.kind != SCAP_CAPFILE_BLK_HEADER) {
		scap_engine_errf(s->ctx, "corrupt capture file %s: its first block (offset %" PRIu64 ") is of kind %u, "
				 "not a HEADER (1)", s->path, s->blk_off, b.kind);
		return -EBADMSG;
	}
	r = scap_capfile_hdr_decode(s->blk, b.len, &hdr, why, sizeof(why));
	if (r < 0) {
		scap_engine_errf(s->ctx, "capture file %s: the HEADER block at offset %" PRIu64 ": %s", s->path,
				 s->blk_off, why);
		return r;
	}
	return sf_take_header(s, &hdr);
}

/* The END block: the statistics, then nothing. */
static int read_end(struct sf_state *s, const struct scap_capfile_block *b)
{
	struct scap_capfile_trailer t;
	char why[SCAP_ERRBUF_SIZE] = "";
	uint8_t extra;
	long got;
	int r;

	r = scap_capfile_end_decode(s->blk, b->len, s->nbuffers, &t, why, sizeof(why));
	if (r < 0)
		return sf_failf(s, r, "corrupt capture file: the END block at offset %" PRIu64 ": %s", s->blk_off, why);
	got = sf_in_read(&s->in, &extra, 1, why, sizeof(why));
	if (got != 0) {
		free(t.bufs);
		if (got < 0)
			return sf_failf(s, (int)got, "capture file: %s", why);
		return sf_failf(s, -EBADMSG, "corrupt capture file: data after the END block, at offset %" PRIu64,
				s->in.off - 1);
	}
	r = sf_apply_trailer(s, &t, s->blk_off, "END block");
	free(t.bufs);
	if (s->skipped)
		scap_engine_logf(s->ctx, SCAP_LOG_INFO,
				 "the capture file had %" PRIu64 " blocks of kinds this library does not know: skipped",
				 s->skipped);
	return r;
}

/*
 * The PROCTABLE block: the process table when the capture started, which the
 * handle's table takes before the first event (its place is its meaning:
 * right after the HEADER block, once).
 */
static int read_proctable(struct sf_state *s, const struct scap_capfile_block *b)
{
	char why[SCAP_ERRBUF_SIZE] = "";
	uint32_t fixed;
	int r;

	if (b->seq != 1)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: a PROCTABLE block at offset %" PRIu64 " (block %u): it belongs right "
				"after the HEADER block, before any event; the %" PRIu64 " events before it were delivered",
				s->blk_off, b->seq, s->records);
	fixed = b->len >= SCAP_CAPFILE_PROCTABLE_FIXED ? scap_capfile_get32(s->blk) : 0;
	if (fixed < SCAP_CAPFILE_PROCTABLE_FIXED || fixed > b->len || scap_capfile_get32(s->blk + 4))
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the PROCTABLE block at offset %" PRIu64 " (%u bytes) has a bad prefix "
				"(fixed_len %u, at least %u)", s->blk_off, b->len, fixed, SCAP_CAPFILE_PROCTABLE_FIXED);
	r = scap_engine_proc_snapshot(s->ctx, s->blk + fixed, b->len - fixed, why, sizeof(why));
	if (r == -ENOMEM)
		return sf_failf(s, r, "out of memory for the process table of the capture file (set proc_off to go "
				"without it)");
	if (r < 0)
		return sf_failf(s, r,
				"corrupt capture file: the PROCTABLE block at offset %" PRIu64 ": its table (from offset %" PRIu64
				"): %s", s->blk_off,
				s->blk_off + SCAP_CAPFILE_BLOCK_HEAD + fixed, why);
	return 0;
}

/* The next record of the current EVENTS block: 1 an event (s->ev), 0 the block is done. */
static int next_record(struct sf_state *s, unsigned *cpu)
{
	uint64_t base = s->blk_off + SCAP_CAPFILE_BLOCK_HEAD, x_off = 0;
	const uint8_t *x = NULL;
	int r;

	while (s->blk_pos < s->blk_len) {
		uint32_t pos = s->blk_pos, left = s->blk_len - pos, kind, arg, len, whole;
		const uint8_t *p = s->blk + pos;
		uint64_t off = base + pos;

		if (left < SCAP_CAPFILE_REC_HEAD + SCAP_EVT_HDR_LEN)
			return sf_failf(s, -EBADMSG, "corrupt capture file: the record at offset %" PRIu64
					" is cut by the end of its block", off);
		kind = scap_capfile_get32(p);
		arg = scap_capfile_get32(p + 4);
		len = sf_event_len(s, p + SCAP_CAPFILE_REC_HEAD);
		if (kind != SCAP_CAPFILE_REC_EVENT && kind != SCAP_CAPFILE_REC_EXIT_COPY &&
		    (kind != SCAP_CAPFILE_REC_TABLE_ONLY || s->blk_kind != SCAP_CAPFILE_BLK_EVENTS_PROC))
			return sf_failf(s, -EBADMSG,
					"corrupt capture file: unknown record kind %u at offset %" PRIu64 " (1 = event, 3 = exit "
					"copy, 4 = table-only event in an EVENTS_PROC block)", kind, off);
		if (len < SCAP_EVT_HDR_LEN || len > SCAP_MAX_EVENT_LEN || len > left - SCAP_CAPFILE_REC_HEAD)
			return sf_failf(s, -EBADMSG,
					"corrupt capture file: the event at offset %" PRIu64 " has length %u (%u..%u, and at "
					"most the %u bytes left in its block)", off + SCAP_CAPFILE_REC_HEAD, len,
					SCAP_EVT_HDR_LEN, SCAP_MAX_EVENT_LEN, left - SCAP_CAPFILE_REC_HEAD);
		whole = SCAP_CAPFILE_REC_PAD(SCAP_CAPFILE_REC_HEAD + len);
		if (whole > left)
			return sf_failf(s, -EBADMSG, "corrupt capture file: the record at offset %" PRIu64
					" is cut by the end of its block", off);
		for (uint32_t i = SCAP_CAPFILE_REC_HEAD + len; i < whole; i++)
			if (p[i])
				return sf_failf(s, -EBADMSG, "corrupt capture file: padding byte at offset %" PRIu64
						" is not 0", off + i);
		/* Bounded by len, checked above; then checked like any event. */
		if (s->swap)
			sf_event_swap(s->blk + pos + SCAP_CAPFILE_REC_HEAD, len);
		if (kind == SCAP_CAPFILE_REC_EXIT_COPY) {
			if (x || arg)
				return sf_failf(s, -EBADMSG, "corrupt capture file: the exit copy at offset %" PRIu64 " %s",
						off, x ? "follows another exit copy" : "has a non-zero argument");
			r = sf_check_event(s, p + SCAP_CAPFILE_REC_HEAD, len, true, off + SCAP_CAPFILE_REC_HEAD,
					   (s->hdr.flags & SCAP_CAPFILE_F_BOOTTIME) ? s->blk_written_ns : 0);
			if (r < 0)
				return r;
			x = p + SCAP_CAPFILE_REC_HEAD;
			x_off = off;
			s->blk_pos += whole;
			continue;
		}
		r = sf_check_cpu(s, arg, off);
		if (r == 0)
			r = sf_check_event(s, p + SCAP_CAPFILE_REC_HEAD, len, false, off + SCAP_CAPFILE_REC_HEAD,
					   (s->hdr.flags & SCAP_CAPFILE_F_BOOTTIME) ? s->blk_written_ns : 0);
		if (r == 0 && x)
			r = sf_check_pair(s, x, p + SCAP_CAPFILE_REC_HEAD, x_off);
		if (r < 0)
			return r;
		s->table_only = kind == SCAP_CAPFILE_REC_TABLE_ONLY;
		/* The counts are of the delivered events (kind 1), as the END block's. */
		if (!s->table_only && s->blk_seen == s->blk_records)
			return sf_failf(s, -EBADMSG, "corrupt capture file: the block at offset %" PRIu64
					" holds more than the %u events it says", s->blk_off, s->blk_records);
		if (s->nr_map)
			sf_event_renumber(s, s->blk + pos + SCAP_CAPFILE_REC_HEAD);
		s->blk_pos += whole;
		s->blk_seen += !s->table_only;
		s->ev = p + SCAP_CAPFILE_REC_HEAD;
		s->xev = x;
		*cpu = arg;
		return 1;
	}
	if (x)
		return sf_failf(s, -EBADMSG, "corrupt capture file: the exit copy at offset %" PRIu64
				" is not followed by its event in its block", x_off);
	if (s->blk_seen != s->blk_records)
		return sf_failf(s, -EBADMSG, "corrupt capture file: the block at offset %" PRIu64
				" holds %u events, it says %u", s->blk_off, s->blk_seen, s->blk_records);
	return 0;
}

int sf_v2_next(struct sf_state *s)
{
	struct scap_capfile_block b;
	unsigned cpu = 0;
	int r;

	for (;;) {
		if (s->in_block) {
			r = next_record(s, &cpu);
			if (r < 0)
				return r;
			if (r == 1) {
				if (!s->table_only) {
					s->records++;
					SCAP_COUNT_ADD(s->bufs[cpu].buf.delivered, 1);
				}
				return (int)cpu;
			}
			s->in_block = false;
			/* A FIFO with nothing more yet: the caller waits (sf_next), not read(). */
			if (sf_in_wait(&s->in, -1, 0) == -EAGAIN)
				return -EAGAIN;
		}
		r = read_block(s, &b);
		if (r < 0)
			return r;
		if (r == 0)
			return incomplete(s, "");
		switch (b.kind) {
		case SCAP_CAPFILE_BLK_EVENTS:
		case SCAP_CAPFILE_BLK_EVENTS_PROC:
			s->blk_kind = b.kind;
			if (b.len < SCAP_CAPFILE_EVENTS_PREFIX || scap_capfile_get32(s->blk + 12))
				return sf_failf(s, -EBADMSG, "corrupt capture file: the EVENTS block at offset %" PRIu64
						" has a bad prefix", s->blk_off);
			s->blk_written_ns = scap_capfile_get64(s->blk);
			s->blk_records = scap_capfile_get32(s->blk + 8);
			s->blk_seen = 0;
			s->blk_pos = SCAP_CAPFILE_EVENTS_PREFIX;
			s->in_block = true;
			break;
		case SCAP_CAPFILE_BLK_END:
			return read_end(s, &b);
		case SCAP_CAPFILE_BLK_PROCTABLE:
			r = read_proctable(s, &b);
			if (r < 0)
				return r;
			break;
		case SCAP_CAPFILE_BLK_HEADER:
			return sf_failf(s, -EBADMSG, "corrupt capture file: a second HEADER block at offset %" PRIu64,
					s->blk_off);
		default:
			if (b.flags & SCAP_CAPFILE_BF_MUST_UNDERSTAND)
				return sf_failf(s, -ENOTSUP,
						"unsupported capture file: the block at offset %" PRIu64 " is of kind %u, which "
						"this library does not know and the file says must be understood: replay it "
						"with a newer libscap; the %" PRIu64 " events before it were delivered",
						s->blk_off, b.kind, s->records);
			s->skipped++;
			scap_engine_logf(s->ctx, SCAP_LOG_DEBUG, "capture file: skipped a block of kind %u at offset %" PRIu64,
					 b.kind, s->blk_off);
			break;
		}
	}
}
