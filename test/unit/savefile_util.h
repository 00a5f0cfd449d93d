/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the capture-file tests (test_savefile*.c): record a synthetic
 * stream into a file, replay a file, compare, read and patch files block by
 * block (re-encoding the CRCs with the library's own encoder, so that a test
 * can change one field and see that field's rule, not the checksum, fire),
 * and write a version-1 file the way the version-1 writer did.
 */
#ifndef SCAP_TEST_SAVEFILE_UTIL_H
#define SCAP_TEST_SAVEFILE_UTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "scap/common/event_layout.h"
#include "scap/capfile/capfile.h"

struct rec {
	unsigned cpu;
	uint32_t len;
	uint8_t *bytes;
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

static char g_dir[64];

static inline void recs_add(struct recs *r, const struct scap_event *ev, unsigned cpu)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		assert_non_null(r->v);
	}
	r->v[r->n].cpu = cpu;
	r->v[r->n].len = scap_event_len(ev);
	r->v[r->n].bytes = malloc(r->v[r->n].len);
	assert_non_null(r->v[r->n].bytes);
	memcpy(r->v[r->n].bytes, scap_event_bytes(ev), r->v[r->n].len);
	r->n++;
}

static inline void recs_free(struct recs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].bytes);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static inline void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", g_dir, name);
}

static inline void assert_same(const struct recs *a, const struct recs *b, size_t n)
{
	assert_true(a->n >= n && b->n >= n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a->v[i].cpu, b->v[i].cpu);
		assert_int_equal(a->v[i].len, b->v[i].len);
		assert_memory_equal(a->v[i].bytes, b->v[i].bytes, a->v[i].len);
	}
}

static inline uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static inline void spit(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Exit-time copies of the TOCTOU events seen by record() and replay(). */
static struct recs *g_xs;

static inline void keep_exit_copy(struct scap *h, const struct scap_event *ev, unsigned cpu)
{
	const struct scap_event *x;

	if (!g_xs)
		return;
	if (scap_event_flags(ev) & SCAP_EVF_TOCTOU) {
		assert_int_equal(scap_event_exit_copy(h, ev, &x), 0);
		recs_add(g_xs, x, cpu);
	}
}

#define NBUF 3u

/* Records a synthetic stream of n events into path; keeps what was delivered. */
static inline void record_opts(const char *path, uint64_t n, bool unpaired, const struct scap_dump_opts *d_o,
			       struct recs *out)
{
	/* The format's own tests: no process table, so no PROCTABLE block and no
	 * exec exit copies (test_savefile_proc.c has them). */
	struct scap_open_opts o = {
		.sz = sizeof(o), .synthetic_seed = 7, .synthetic_events = n,
		.synthetic_cpus = NBUF, .unpaired = unpaired, .proc_off = true,
	};
	char err[SCAP_ERRBUF_SIZE];
	struct scap_dumper *d = NULL;
	const struct scap_event *ev;
	struct scap *h = NULL;
	unsigned cpu;
	int r;

	if (scap_open(&h, "synthetic", &o, err, sizeof(err)) != 0)
		fail_msg("open: %s", err);
	assert_int_equal(scap_start(h), 0);
	if (scap_dump_open(&d, h, path, d_o) != 0)
		fail_msg("dump_open: %s", scap_last_error(h));
	while ((r = scap_next(h, &ev, &cpu, 0)) == 0 || r == -EAGAIN) {
		if (r)
			continue;
		assert_int_equal(scap_dump_event(d, ev, cpu), 0);
		if (out)
			recs_add(out, ev, cpu);
		keep_exit_copy(h, ev, cpu);
	}
	assert_int_equal(r, -ENODATA);
	assert_int_equal(scap_stop(h), 0);
	if (scap_dump_close(d) != 0)
		fail_msg("dump_close: %s", scap_last_error(h));
	scap_close(h);
}

static inline void record(const char *path, uint64_t n, bool unpaired, bool compress, struct recs *out)
{
	struct scap_dump_opts d_o = { .sz = sizeof(d_o), .compress = compress, .fsync = true };

	record_opts(path, n, unpaired, &d_o, out);
}

/*
 * Replays path into out; returns the code that ended the replay (-ENODATA
 * for a good file) with the message in msg. A failed open returns its code.
 */
static inline int replay(const char *path, bool unpaired, struct recs *out, struct scap_stats *st, char *msg,
			 size_t msglen, struct scap **keep)
{
	struct scap_open_opts o = { .sz = sizeof(o), .savefile_path = path, .unpaired = unpaired };
	const struct scap_event *ev;
	struct scap *h = NULL;
	unsigned cpu;
	int r;

	msg[0] = '\0';
	r = scap_open(&h, "savefile", &o, msg, msglen);
	if (r)
		return r;
	assert_int_equal(scap_start(h), 0);
	while ((r = scap_next(h, &ev, &cpu, 0)) == 0) {
		const struct scap_event *x;

		if (out)
			recs_add(out, ev, cpu);
		keep_exit_copy(h, ev, cpu);
		/* A paired file keeps only the TOCTOU events' copies. */
		if (g_xs && !(scap_event_flags(ev) & SCAP_EVF_TOCTOU))
			assert_int_equal(scap_event_exit_copy(h, ev, &x), -ENOENT);
	}
	snprintf(msg, msglen, "%s", scap_last_error(h));
	/* The error is sticky: asking again gives the same answer, never an event. */
	assert_int_equal(scap_next(h, &ev, &cpu, 0), r);
	if (st) {
		st->sz = sizeof(*st);
		assert_int_equal(scap_get_stats(h, st), 0);
	}
	if (keep)
		*keep = h;
	else
		scap_close(h);
	return r;
}

/* ---- version-2 files, block by block ---------------------------------------- */

/*
 * An event's length field as this host's writer stored it: events are in the
 * writer's byte order (the container, read with scap_capfile_get*, is not).
 */
static inline uint32_t ev_len_at(const uint8_t *ev)
{
	uint32_t v;

	memcpy(&v, ev + 16, sizeof(v));
	return v;
}

static inline void ev_len_put(uint8_t *ev, uint32_t v)
{
	memcpy(ev + 16, &v, sizeof(v));
}

struct blk {
	size_t off;        /* of the head */
	uint16_t kind, flags;
	uint32_t len, seq;
};

/* The blocks of a v2 file (up to max); returns how many. Stops at the first bad head. */
static inline size_t blocks_of(const uint8_t *f, size_t len, struct blk *out, size_t max)
{
	size_t off = SCAP_CAPFILE_PREAMBLE, n = 0;

	while (n < max && off + SCAP_CAPFILE_BLOCK_HEAD <= len) {
		struct scap_capfile_block b;

		if (scap_capfile_block_decode(f + off, &b, NULL, 0) < 0 || off + SCAP_CAPFILE_BLOCK_HEAD + b.len > len)
			break;
		out[n].off = off;
		out[n].kind = b.kind;
		out[n].flags = b.flags;
		out[n].len = b.len;
		out[n].seq = b.seq;
		n++;
		off += SCAP_CAPFILE_BLOCK_HEAD + b.len;
	}
	return n;
}

/* Re-encodes the CRCs of the block whose head is at off (after its payload was patched). */
static inline void refix(uint8_t *f, size_t off)
{
	struct scap_capfile_block b;

	b.kind = scap_capfile_get16(f + off + 4);
	b.flags = scap_capfile_get16(f + off + 6);
	b.len = scap_capfile_get32(f + off + 8);
	b.seq = scap_capfile_get32(f + off + 12);
	scap_capfile_block_encode(f + off, b.kind, b.flags, b.seq, f + off + SCAP_CAPFILE_BLOCK_HEAD, b.len);
}

/* The offset of the i-th event record (kind 1) of the file, or 0. */
static inline size_t event_record(const uint8_t *f, size_t len, size_t want, size_t *blk_off)
{
	struct blk b[4096];
	size_t nb = blocks_of(f, len, b, 4096), seen = 0;

	for (size_t i = 0; i < nb; i++) {
		size_t p, end;

		if (b[i].kind != SCAP_CAPFILE_BLK_EVENTS)
			continue;
		p = b[i].off + SCAP_CAPFILE_BLOCK_HEAD + SCAP_CAPFILE_EVENTS_PREFIX;
		end = b[i].off + SCAP_CAPFILE_BLOCK_HEAD + b[i].len;
		while (p < end) {
			uint32_t kind = scap_capfile_get32(f + p), elen = ev_len_at(f + p + 8);

			if (kind == SCAP_CAPFILE_REC_EVENT && seen++ == want) {
				if (blk_off)
					*blk_off = b[i].off;
				return p;
			}
			p += SCAP_CAPFILE_REC_PAD(SCAP_CAPFILE_REC_HEAD + elen);
		}
	}
	return 0;
}

/* ---- version 1, as its writer wrote it (docs/capture-file-format.md) ------------ */

/*
 * Writes recs as a version-1 file: 216-byte header, records, trailer with
 * the given counters (fixed part of 88 bytes, or 80 with old_trailer). The
 * trailer's per-buffer events are the records per cpu, its totals their sums.
 */
static inline size_t v1_encode(uint8_t **out, const struct recs *r, const struct recs *xs, bool paired,
			       bool old_trailer)
{
	uint32_t fixed = old_trailer ? 80u : 88u;
	size_t cap = 216 + 4 * NBUF + 16 + fixed + 40 * NBUF, len = 0, xi = 0;
	uint64_t per[NBUF] = { 0 };
	uint8_t *f;

	for (size_t i = 0; i < r->n; i++)
		cap += 16 + 2 * r->v[i].len;
	f = calloc(1, cap);
	assert_non_null(f);
	memcpy(f, SCAP_CAPFILE_MAGIC, 8);
	scap_capfile_put16(f + 8, 1);
	scap_capfile_put16(f + 10, SCAP_EVENT_LAYOUT_VERSION);
	scap_capfile_put32(f + 12, 216 + 4 * NBUF);
	scap_capfile_put32(f + 16, paired ? 1 : 0);
	scap_capfile_put32(f + 20, 80);
	scap_capfile_put32(f + 24, SCAP_EV_MAX);
	scap_capfile_put32(f + 28, NBUF);
	scap_capfile_put64(f + 32, scap_capfile_schema_hash());
	scap_capfile_put64(f + 40, 1000);
	scap_capfile_put64(f + 48, 2000);
	memcpy(f + 56, "synthetic", 9);
	memcpy(f + 88, "x86_64", 6);
	memcpy(f + 120, "6.1.0", 5);
	for (uint32_t i = 0; i < NBUF; i++)
		scap_capfile_put32(f + 216 + 4 * i, i);
	len = 216 + 4 * NBUF;
	for (size_t i = 0; i < r->n; i++) {
		const struct rec *e = &r->v[i];

		if (xs && (scap_event_flags((const struct scap_event *)e->bytes) & SCAP_EVF_TOCTOU) && xi < xs->n) {
			scap_capfile_put32(f + len, 3);
			scap_capfile_put32(f + len + 4, 0);
			memcpy(f + len + 8, xs->v[xi].bytes, xs->v[xi].len);
			len += 8 + xs->v[xi].len;
			xi++;
		}
		scap_capfile_put32(f + len, 1);
		scap_capfile_put32(f + len + 4, e->cpu);
		memcpy(f + len + 8, e->bytes, e->len);
		len += 8 + e->len;
		per[e->cpu]++;
	}
	scap_capfile_put32(f + len, 2);
	scap_capfile_put32(f + len + 4, fixed + 40 * NBUF);
	len += 8;
	scap_capfile_put64(f + len, r->n);        /* records */
	scap_capfile_put64(f + len + 8, r->n);    /* events */
	scap_capfile_put64(f + len + 32, r->n);   /* kernel_events */
	scap_capfile_put32(f + len + 76, NBUF);
	for (uint32_t i = 0; i < NBUF; i++) {
		uint8_t *b = f + len + fixed + 40 * i;

		scap_capfile_put32(b, i);
		scap_capfile_put64(b + 8, per[i]);
		scap_capfile_put64(b + 32, per[i]);
	}
	len += fixed + 40 * NBUF;
	*out = f;
	return len;
}

/*
 * In memory when possible: the tests rewrite small files thousands of times,
 * and a disk that discards on truncation made that take minutes.
 */
static inline int setup_dir(void **unused)
{
	snprintf(g_dir, sizeof(g_dir), "/dev/shm/scap_savefile_XXXXXX");
	if (mkdtemp(g_dir))
		return 0;
	snprintf(g_dir, sizeof(g_dir), "/tmp/scap_savefile_XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static inline int teardown_dir(void **unused)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
