// SPDX-License-Identifier: Apache-2.0
/*
 * Capture files: synthetic -> scap_dump_* -> the savefile engine gives back
 * the same bytes, cpus and order, and the original statistics; every kind of
 * bad file (wrong magic, newer version, other schema, truncation at every
 * offset, a malformed event, stray records) stops with the documented error
 * and its offset.
 */
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

#define NBUF 3u
#define HDR_LEN (216u + 4u * NBUF)
#define TRAILER_FIXED 88u
#define TRAILER_LEN (8u + TRAILER_FIXED + 40u * NBUF)

static char g_dir[64];

struct rec {
	unsigned cpu;
	uint32_t len;
	uint8_t *bytes;
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

static void recs_add(struct recs *r, const struct scap_event *ev, unsigned cpu)
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

static void recs_free(struct recs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].bytes);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", g_dir, name);
}

/* Exit-time copies of the TOCTOU events seen by record() and replay(). */
static struct recs *g_xs;

static void keep_exit_copy(struct scap *h, const struct scap_event *ev, unsigned cpu)
{
	const struct scap_event *x;

	if (!g_xs)
		return;
	if (scap_event_flags(ev) & SCAP_EVF_TOCTOU) {
		assert_int_equal(scap_event_exit_copy(h, ev, &x), 0);
		recs_add(g_xs, x, cpu);
	}
}

/* Records a synthetic stream of n events into path; keeps what was delivered. */
static void record(const char *path, uint64_t n, bool unpaired, bool compress, struct recs *out)
{
	struct scap_open_opts o = {
		.sz = sizeof(o), .synthetic_seed = 7, .synthetic_events = n,
		.synthetic_cpus = NBUF, .unpaired = unpaired,
	};
	struct scap_dump_opts d_o = { .sz = sizeof(d_o), .compress = compress, .fsync = true };
	char err[SCAP_ERRBUF_SIZE];
	struct scap_dumper *d = NULL;
	const struct scap_event *ev;
	struct scap *h = NULL;
	unsigned cpu;
	int r;

	if (scap_open(&h, "synthetic", &o, err, sizeof(err)) != 0)
		fail_msg("open: %s", err);
	assert_int_equal(scap_start(h), 0);
	if (scap_dump_open(&d, h, path, &d_o) != 0)
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

/*
 * Replays path into out; returns the code that ended the replay (-ENODATA
 * for a good file) with the message in msg. A failed open returns its code.
 */
static int replay(const char *path, bool unpaired, struct recs *out, struct scap_stats *st, char *msg,
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

static void assert_same(const struct recs *a, const struct recs *b, size_t n)
{
	assert_true(a->n >= n && b->n >= n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a->v[i].cpu, b->v[i].cpu);
		assert_int_equal(a->v[i].len, b->v[i].len);
		assert_memory_equal(a->v[i].bytes, b->v[i].bytes, a->v[i].len);
	}
}

static uint8_t *slurp(const char *path, size_t *len)
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

static void spit(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void test_round_trip_paired(void **unused)
{
	struct recs live = { 0 }, back = { 0 };
	struct scap_stats st;
	struct scap_buffer_stats bs = { .sz = sizeof(bs) };
	char path[128], msg[SCAP_ERRBUF_SIZE];
	struct scap *h;
	size_t len, i, paired = 0;
	uint8_t *file;

	struct recs xlive = { 0 }, xback = { 0 };

	path_of(path, sizeof(path), "paired.scap");
	g_xs = &xlive;
	record(path, 3000, false, false, &live);
	g_xs = NULL;
	assert_true(live.n > 1000);
	for (i = 0; i < live.n; i++)
		paired += (scap_event_flags((const struct scap_event *)live.v[i].bytes) & SCAP_EVF_PAIRED) != 0;
	assert_true(paired > 0);
	/* The header says paired (flags at offset 16), and replay does not pair again. */
	file = slurp(path, &len);
	assert_int_equal(file[16], 1);
	assert_memory_equal(file, "SCAPCAP\0", 8);
	free(file);

	g_xs = &xback;
	assert_int_equal(replay(path, false, &back, &st, msg, sizeof(msg), &h), -ENODATA);
	g_xs = NULL;
	assert_int_equal(back.n, live.n);
	assert_same(&live, &back, live.n);
	/* The TOCTOU events' exit-time copies come back too. */
	assert_true(xlive.n > 0);
	assert_int_equal(xback.n, xlive.n);
	assert_same(&xlive, &xback, xlive.n);
	assert_int_equal(st.toctou, xlive.n);
	assert_int_equal(st.events, live.n);
	assert_int_equal(st.pairing_orphan_exits, 0);
	assert_int_equal(st.kernel_events, 3000);
	assert_int_equal(st.drops, 0);
	assert_int_equal(st.nbuffers, NBUF);
	for (i = 0; i < NBUF; i++) {
		assert_int_equal(scap_get_buffer_stats(h, (unsigned)i, &bs), 0);
		assert_int_equal(bs.cpu, (int)i);
	}
	scap_close(h);
	recs_free(&live);
	recs_free(&back);
	recs_free(&xlive);
	recs_free(&xback);
}

/* A raw file replays raw, or paired by the replay into the live paired stream. */
static void test_round_trip_raw(void **unused)
{
	struct recs raw = { 0 }, raw_back = { 0 }, paired_live = { 0 }, paired_back = { 0 };
	char path[128], path2[128], msg[SCAP_ERRBUF_SIZE];
	uint8_t *file;
	size_t len;

	path_of(path, sizeof(path), "raw.scap");
	path_of(path2, sizeof(path2), "paired2.scap");
	record(path, 2000, true, false, &raw);
	file = slurp(path, &len);
	assert_int_equal(file[16], 0);
	free(file);
	assert_int_equal(replay(path, true, &raw_back, NULL, msg, sizeof(msg), NULL), -ENODATA);
	assert_int_equal(raw_back.n, raw.n);
	assert_same(&raw, &raw_back, raw.n);

	record(path2, 2000, false, false, &paired_live);
	assert_int_equal(replay(path, false, &paired_back, NULL, msg, sizeof(msg), NULL), -ENODATA);
	assert_true(paired_live.n < raw.n);
	assert_int_equal(paired_back.n, paired_live.n);
	assert_same(&paired_live, &paired_back, paired_live.n);
	recs_free(&raw);
	recs_free(&raw_back);
	recs_free(&paired_live);
	recs_free(&paired_back);
}

static void test_round_trip_gzip(void **unused)
{
	struct recs live = { 0 }, back = { 0 };
	char path[128], msg[SCAP_ERRBUF_SIZE];
	struct scap_stats st;
	uint8_t *file;
	size_t len;

	path_of(path, sizeof(path), "gz.scap.gz");
	record(path, 3000, false, true, &live);
	file = slurp(path, &len);
	assert_int_equal(file[0], 0x1f);
	assert_int_equal(file[1], 0x8b);
	free(file);
	assert_int_equal(replay(path, false, &back, &st, msg, sizeof(msg), NULL), -ENODATA);
	assert_int_equal(back.n, live.n);
	assert_same(&live, &back, live.n);
	assert_int_equal(st.kernel_events, 3000);
	recs_free(&live);
	recs_free(&back);
}

/* A small file written once, patched by the tests below. */
static uint8_t *small_file(size_t *len, struct recs *live)
{
	char path[128];

	path_of(path, sizeof(path), "small.scap");
	record(path, 6, true, false, live);
	assert_int_equal(live->n, 6);
	return slurp(path, len);
}

static int open_patched(const uint8_t *f, size_t len, char *msg, size_t msglen)
{
	char path[128];

	path_of(path, sizeof(path), "patched.scap");
	spit(path, f, len);
	return replay(path, true, NULL, NULL, msg, msglen, NULL);
}

/*
 * The trailer's counts come back (offsets as documented): drops per buffer,
 * exits without enter and attach failures; a file from before exits without
 * enter were recorded (80-byte fixed part) still replays, with that count 0.
 */
static void test_trailer_drops(void **unused)
{
	struct recs live = { 0 };
	struct scap_buffer_stats bs = { .sz = sizeof(bs) };
	char path[128], msg[SCAP_ERRBUF_SIZE];
	struct scap_stats st;
	struct scap *h;
	size_t len;
	uint8_t *f = small_file(&len, &live), *t = f + len - TRAILER_LEN, *old;

	assert_int_equal(t[0], 2);           /* record kind: trailer */
	assert_int_equal(t[4], TRAILER_FIXED + 40 * NBUF);
	put64(t + 8 + TRAILER_FIXED + 0 * 40 + 24, 3);  /* buffer 0: drops_other */
	put64(t + 8 + TRAILER_FIXED + 1 * 40 + 16, 7);  /* buffer 1: drops_buffer_full */
	put32(t + 8 + 72, 2);                /* attach_failures */
	put64(t + 8 + 80, 11);               /* exits_without_enter */
	path_of(path, sizeof(path), "drops.scap");
	spit(path, f, len);
	assert_int_equal(replay(path, true, NULL, &st, msg, sizeof(msg), &h), -ENODATA);
	assert_int_equal(st.drops, 10);
	assert_int_equal(st.drops_buffer_full, 7);
	assert_int_equal(st.drops_other, 3);
	assert_int_equal(st.events, 6);
	assert_int_equal(st.exits_without_enter, 11);
	assert_int_equal(st.attach_failures, 2);
	assert_int_equal(scap_get_buffer_stats(h, 1, &bs), 0);
	assert_int_equal(bs.drops_buffer_full, 7);
	assert_int_equal(bs.drops, 7);
	scap_close(h);

	/* The same trailer as an older writer wrote it: no exits_without_enter. */
	old = malloc(len - 8);
	assert_non_null(old);
	memcpy(old, f, len - TRAILER_LEN + 8 + 80);
	memcpy(old + len - TRAILER_LEN + 8 + 80, t + 8 + 88, 40 * NBUF);
	put32(old + len - TRAILER_LEN + 4, 80 + 40 * NBUF);
	spit(path, old, len - 8);
	assert_int_equal(replay(path, true, NULL, &st, msg, sizeof(msg), &h), -ENODATA);
	assert_int_equal(st.drops_buffer_full, 7);
	assert_int_equal(st.drops_other, 3);
	assert_int_equal(st.exits_without_enter, 0);
	assert_int_equal(st.attach_failures, 2);
	scap_close(h);

	/* Any other length is corrupt, and says what it expected. */
	put32(old + len - TRAILER_LEN + 4, 84 + 40 * NBUF);
	assert_int_equal(open_patched(old, len - 8, msg, sizeof(msg)), -EBADMSG);
	if (!strstr(msg, "has length 204, expected 208 for 3 buffers"))
		fail_msg("%s", msg);
	free(old);
	free(f);
	recs_free(&live);
}

/* A file whose second event is older than its first: replayed as is, and counted. */
static void test_out_of_order_counted(void **unused)
{
	struct recs live = { 0 };
	char path[128], msg[SCAP_ERRBUF_SIZE];
	struct scap_stats st;
	size_t len, second = HDR_LEN;
	uint8_t *f = small_file(&len, &live);
	const struct scap_evt_hdr *first = (const struct scap_evt_hdr *)live.v[0].bytes;

	second += 8 + live.v[0].len;
	assert_true(first->ts > 0);
	put64(f + second + 8, first->ts - 1); /* the event header starts with ts */
	path_of(path, sizeof(path), "disorder.scap");
	spit(path, f, len);
	assert_int_equal(replay(path, true, NULL, &st, msg, sizeof(msg), NULL), -ENODATA);
	assert_int_equal(st.events, 6);
	assert_int_equal(st.out_of_order, 1);

	/* The file as recorded: in order. */
	free(f);
	recs_free(&live);
	memset(&live, 0, sizeof(live));
	f = small_file(&len, &live);
	spit(path, f, len);
	assert_int_equal(replay(path, true, NULL, &st, msg, sizeof(msg), NULL), -ENODATA);
	assert_int_equal(st.out_of_order, 0);
	free(f);
	recs_free(&live);
}

static void test_bad_header(void **unused)
{
	struct recs live = { 0 };
	char msg[SCAP_ERRBUF_SIZE];
	size_t len;
	uint8_t *f = small_file(&len, &live);
	uint8_t *g = malloc(len);

	assert_non_null(g);
	memcpy(g, "this is not a capture file, just text\n", 38);
	assert_int_equal(open_patched(g, 38, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, "is not a scap capture file"));

	assert_int_equal(open_patched(g, 0, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, "is empty"));

	memcpy(g, f, len);
	g[8] = 2; /* format version 2 */
	assert_int_equal(open_patched(g, len, msg, sizeof(msg)), -ENOTSUP);
	assert_non_null(strstr(msg, "format version 2, newer than the version 1"));

	memcpy(g, f, len);
	g[32] ^= 0x5a; /* schema hash */
	assert_int_equal(open_patched(g, len, msg, sizeof(msg)), -ENOTSUP);
	assert_non_null(strstr(msg, "another event schema"));

	memcpy(g, f, len);
	g[24] += 1; /* schema event count */
	assert_int_equal(open_patched(g, len, msg, sizeof(msg)), -ENOTSUP);
	assert_non_null(strstr(msg, "another event schema"));

	memcpy(g, f, len);
	g[10] = 9; /* event layout version */
	assert_int_equal(open_patched(g, len, msg, sizeof(msg)), -ENOTSUP);
	assert_non_null(strstr(msg, "event layout version 9"));

	memcpy(g, f, len);
	g[12] += 4; /* header length */
	assert_int_equal(open_patched(g, len, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, "corrupt header: header length"));
	free(g);
	free(f);
	recs_free(&live);
}

/* Cut at every offset: the whole events before the cut, then -EBADMSG. */
static void test_truncated_everywhere(void **unused)
{
	struct recs live = { 0 };
	char msg[SCAP_ERRBUF_SIZE];
	size_t len, cut;
	uint8_t *f = small_file(&len, &live);
	size_t *ends = calloc(live.n, sizeof(size_t));
	size_t off = HDR_LEN;

	assert_non_null(ends);
	for (size_t i = 0; i < live.n; i++) {
		off += 8 + live.v[i].len;
		ends[i] = off;
	}
	assert_int_equal(off + TRAILER_LEN, len);
	for (cut = 0; cut < len; cut++) {
		struct recs back = { 0 };
		char path[128];
		size_t whole = 0;
		int r;

		path_of(path, sizeof(path), "cut.scap");
		spit(path, f, cut);
		r = replay(path, true, &back, NULL, msg, sizeof(msg), NULL);
		if (r != -EBADMSG)
			fail_msg("cut at %zu: %d (%s)", cut, r, msg);
		if (cut == 0) {
			assert_non_null(strstr(msg, "is empty"));
			continue;
		}
		assert_non_null(strstr(msg, "truncated"));
		while (whole < live.n && ends[whole] <= cut)
			whole++;
		assert_int_equal(back.n, cut < HDR_LEN ? 0 : whole);
		assert_same(&live, &back, back.n);
		if (cut >= HDR_LEN) {
			char where[64];

			snprintf(where, sizeof(where), "offset %zu", cut);
			if (!strstr(msg, where))
				fail_msg("cut at %zu: the message does not say where: %s", cut, msg);
		}
		recs_free(&back);
	}
	free(ends);
	free(f);
	recs_free(&live);
}

static void test_malformed_records(void **unused)
{
	struct recs live = { 0 }, back = { 0 };
	char msg[SCAP_ERRBUF_SIZE], path[128], want[96];
	size_t len, second = HDR_LEN;
	uint8_t *f = small_file(&len, &live);
	uint8_t *g = malloc(len + 16);
	const struct scap_event *e1 = (const struct scap_event *)live.v[1].bytes;

	assert_non_null(g);
	second += 8 + live.v[0].len;
	/* The second event's type becomes one past the schema. */
	assert_true(scap_event_nparams(e1) > 0);
	memcpy(g, f, len);
	g[second + 8 + 20] = (uint8_t)SCAP_EV_MAX;
	g[second + 8 + 21] = (uint8_t)(SCAP_EV_MAX >> 8);
	path_of(path, sizeof(path), "bad_event.scap");
	spit(path, g, len);
	assert_int_equal(replay(path, true, &back, NULL, msg, sizeof(msg), NULL), -EBADMSG);
	assert_int_equal(back.n, 1);
	snprintf(want, sizeof(want), "malformed event at offset %zu", second + 8);
	if (!strstr(msg, want))
		fail_msg("%s", msg);
	recs_free(&back);

	/* Its first parameter length grows by one: the lengths no longer add up. */
	memcpy(g, f, len);
	g[second + 8 + 24] += 1;
	assert_int_equal(open_patched(g, len, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, want));

	/* An event length beyond the limit. */
	memcpy(g, f, len);
	put32(g + second + 8 + 16, SCAP_MAX_EVENT_LEN + 1);
	assert_int_equal(open_patched(g, len, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, "has length 65537"));

	/* An unknown record kind. */
	memcpy(g, f, len);
	g[second] = 9;
	assert_int_equal(open_patched(g, len, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "unknown record kind 9 at offset %zu", second);
	assert_non_null(strstr(msg, want));

	/* An exit copy before an event without the TOCTOU flag (raw events have none). */
	{
		size_t ex = 0, at = len - TRAILER_LEN;
		uint8_t *h3;

		while (ex < live.n && scap_event_dir((const struct scap_event *)live.v[ex].bytes) != SCAP_DIR_EXIT)
			ex++;
		assert_true(ex < live.n);
		h3 = malloc(len + 8 + live.v[ex].len);
		assert_non_null(h3);
		memcpy(h3, f, second);
		put32(h3 + second, 3);
		put32(h3 + second + 4, 0);
		memcpy(h3 + second + 8, live.v[ex].bytes, live.v[ex].len);
		memcpy(h3 + second + 8 + live.v[ex].len, f + second, len - second);
		assert_int_equal(open_patched(h3, len + 8 + live.v[ex].len, msg, sizeof(msg)), -EBADMSG);
		snprintf(want, sizeof(want), "the exit copy at offset %zu belongs to an event without the TOCTOU flag",
			 second);
		if (!strstr(msg, want))
			fail_msg("%s", msg);
		/* ... and one right before the trailer. */
		memcpy(h3, f, at);
		put32(h3 + at, 3);
		put32(h3 + at + 4, 0);
		memcpy(h3 + at + 8, live.v[ex].bytes, live.v[ex].len);
		memcpy(h3 + at + 8 + live.v[ex].len, f + at, len - at);
		assert_int_equal(open_patched(h3, len + 8 + live.v[ex].len, msg, sizeof(msg)), -EBADMSG);
		snprintf(want, sizeof(want), "the exit copy at offset %zu is not followed by its event", at);
		if (!strstr(msg, want))
			fail_msg("%s", msg);
		free(h3);
	}

	/* Bytes after the trailer. */
	memcpy(g, f, len);
	g[len] = 0;
	assert_int_equal(open_patched(g, len + 1, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, "data after the trailer"));

	/* A trailer that counts another number of events. */
	memcpy(g, f, len);
	put64(g + len - TRAILER_LEN + 8, 5);
	assert_int_equal(open_patched(g, len, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, "counts 5 events"));
	free(g);
	free(f);
	recs_free(&live);
}

static void test_gzip_corrupt(void **unused)
{
	char path[128], msg[SCAP_ERRBUF_SIZE];
	struct recs back = { 0 };
	size_t len;
	uint8_t *f;
	int r;

	path_of(path, sizeof(path), "corrupt.scap.gz");
	record(path, 3000, false, true, NULL);
	f = slurp(path, &len);
	f[len / 2] ^= 0xff;
	spit(path, f, len);
	r = replay(path, false, &back, NULL, msg, sizeof(msg), NULL);
	if (r != -EBADMSG)
		fail_msg("%d: %s", r, msg);
	free(f);
	recs_free(&back);
}

static void test_errors(void **unused)
{
	struct scap_open_opts o = { .sz = sizeof(o), .synthetic_events = 10 };
	char err[SCAP_ERRBUF_SIZE];
	struct scap_dumper *d = NULL;
	struct scap *h;

	/* No path. */
	assert_int_equal(scap_open(&h, "savefile", NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "savefile_path"));
	/* A missing file. */
	o.savefile_path = "/nonexistent/x.scap";
	assert_int_equal(scap_open(&h, "savefile", &o, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "cannot open capture file /nonexistent/x.scap"));

	o.savefile_path = NULL;
	assert_int_equal(scap_open(&h, "synthetic", &o, err, sizeof(err)), 0);
	assert_int_equal(scap_dump_open(&d, h, "/nonexistent/dir/x.scap", NULL), -ENOENT);
	assert_null(d);
	assert_non_null(strstr(scap_last_error(h), "cannot create capture file /nonexistent/dir/x.scap"));
	struct scap_dump_opts bad = { .sz = sizeof(bad), .level = 12 };
	assert_int_equal(scap_dump_open(&d, h, "/tmp/never", &bad), -EINVAL);
	assert_non_null(strstr(scap_last_error(h), "level=12"));
	assert_int_equal(scap_dump_close(NULL), 0);
	scap_close(h);
}

static int setup(void **unused)
{
	snprintf(g_dir, sizeof(g_dir), "/tmp/scap_savefile_XXXXXX");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **unused)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_paired),
		cmocka_unit_test(test_round_trip_raw),
		cmocka_unit_test(test_round_trip_gzip),
		cmocka_unit_test(test_trailer_drops),
		cmocka_unit_test(test_out_of_order_counted),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_malformed_records),
		cmocka_unit_test(test_gzip_corrupt),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
