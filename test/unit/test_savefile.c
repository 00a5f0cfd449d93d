// SPDX-License-Identifier: Apache-2.0
/*
 * Capture files, format version 2: synthetic -> scap_dump_* -> the savefile
 * engine gives back the same bytes, cpus and order, and the original
 * statistics; every kind of bad file (wrong magic, newer version, other
 * schema, truncation at every offset, a checksum that fails, a field out of
 * its range, stray or unknown blocks) stops with the documented error and
 * its offset, after delivering exactly the events of the whole blocks
 * before it. Version-1 files (test_savefile_v1.c) and crashes
 * (test_savefile_crash.c) have their own files.
 */
#include <zlib.h>

#include "savefile_util.h"

#define PRE SCAP_CAPFILE_PREAMBLE
#define HEAD SCAP_CAPFILE_BLOCK_HEAD

static void test_round_trip_paired(void **unused)
{
	struct recs live = { 0 }, back = { 0 }, xlive = { 0 }, xback = { 0 };
	struct scap_stats st;
	struct scap_buffer_stats bs = { .sz = sizeof(bs) };
	char path[128], msg[SCAP_ERRBUF_SIZE];
	struct blk b[64];
	struct scap *h;
	size_t len, i, paired = 0, nb;
	uint8_t *file;

	path_of(path, sizeof(path), "paired.scap");
	g_xs = &xlive;
	record(path, 3000, false, false, &live);
	g_xs = NULL;
	assert_true(live.n > 1000);
	for (i = 0; i < live.n; i++)
		paired += (scap_event_flags((const struct scap_event *)live.v[i].bytes) & SCAP_EVF_PAIRED) != 0;
	assert_true(paired > 0);
	/* Preamble, HEADER first, END last, EVENTS between, numbered from 0. */
	file = slurp(path, &len);
	assert_memory_equal(file, "SCAPCAP\0", 8);
	assert_int_equal(scap_capfile_get16(file + 8), 2);
	nb = blocks_of(file, len, b, 64);
	assert_true(nb >= 3);
	assert_int_equal(b[0].kind, SCAP_CAPFILE_BLK_HEADER);
	assert_int_equal(b[nb - 1].kind, SCAP_CAPFILE_BLK_END);
	assert_int_equal(b[nb - 1].off + HEAD + b[nb - 1].len, len);
	for (i = 0; i < nb; i++) {
		assert_int_equal(b[i].seq, i);
		assert_int_equal(b[i].flags, SCAP_CAPFILE_BF_MUST_UNDERSTAND);
		if (i && i + 1 < nb)
			assert_int_equal(b[i].kind, SCAP_CAPFILE_BLK_EVENTS);
	}
	/* The header says paired (flags at payload offset 12), and not boottime (synthetic). */
	assert_int_equal(scap_capfile_get32(file + b[0].off + HEAD + 12), SCAP_CAPFILE_F_PAIRED | SCAP_CAPFILE_F_HOST_ORDER);
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
	assert_int_equal(st.unread, 0);
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
	struct blk b[64];
	uint8_t *file;
	size_t len;

	path_of(path, sizeof(path), "raw.scap");
	path_of(path2, sizeof(path2), "paired2.scap");
	record(path, 2000, true, false, &raw);
	file = slurp(path, &len);
	assert_true(blocks_of(file, len, b, 64) >= 3);
	assert_int_equal(scap_capfile_get32(file + b[0].off + HEAD + 12), SCAP_CAPFILE_F_HOST_ORDER);
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

/* Small blocks: many of them, each a self-contained unit. */
static void test_many_blocks(void **unused)
{
	struct scap_dump_opts d_o = { .sz = sizeof(d_o), .buffer_bytes = 4096 };
	struct recs live = { 0 }, back = { 0 };
	char path[128], msg[SCAP_ERRBUF_SIZE];
	struct blk b[4096];
	size_t len, nb, i, events = 0;
	uint8_t *file;

	path_of(path, sizeof(path), "small_blocks.scap");
	record_opts(path, 5000, true, &d_o, &live);
	file = slurp(path, &len);
	nb = blocks_of(file, len, b, 4096);
	assert_true(nb > 20);
	for (i = 1; i + 1 < nb; i++) {
		/* A block holds at most buffer_bytes of records plus the one that did not fit. */
		assert_true(b[i].len <= SCAP_CAPFILE_EVENTS_PREFIX + 4096 + 2 * (8 + SCAP_MAX_EVENT_LEN + 8));
		events += scap_capfile_get32(file + b[i].off + HEAD + 8);
	}
	assert_int_equal(events, live.n);
	free(file);
	assert_int_equal(replay(path, true, &back, NULL, msg, sizeof(msg), NULL), -ENODATA);
	assert_int_equal(back.n, live.n);
	assert_same(&live, &back, live.n);
	recs_free(&live);
	recs_free(&back);
}

/* A small raw file written once, patched by the tests below (one EVENTS block). */
static uint8_t *small_file(size_t *len, struct recs *live)
{
	char path[128];

	path_of(path, sizeof(path), "small.scap");
	record(path, 6, true, false, live);
	assert_int_equal(live->n, 6);
	return slurp(path, len);
}

static int open_patched(const uint8_t *f, size_t len, struct recs *back, char *msg, size_t msglen)
{
	char path[128];

	path_of(path, sizeof(path), "patched.scap");
	spit(path, f, len);
	return replay(path, true, back, NULL, msg, msglen, NULL);
}

#define assert_msg(msg, want)                                                                      \
	do {                                                                                       \
		if (!strstr((msg), (want)))                                                        \
			fail_msg("message \"%s\" lacks \"%s\"", (msg), (want));                    \
	} while (0)

/*
 * The END block's counts come back (offsets as documented): drops and
 * unread per buffer, exits without enter, attach failures.
 */
static void test_end_counts(void **unused)
{
	struct recs live = { 0 };
	struct scap_buffer_stats bs = { .sz = sizeof(bs) };
	char path[128], msg[SCAP_ERRBUF_SIZE];
	struct scap_stats st;
	struct blk b[8];
	struct scap *h = NULL;
	size_t len, nb;
	uint8_t *f = small_file(&len, &live), *e;

	nb = blocks_of(f, len, b, 8);
	assert_int_equal(nb, 3);
	assert_int_equal(b[2].kind, SCAP_CAPFILE_BLK_END);
	assert_int_equal(b[2].len, SCAP_CAPFILE_END_FIXED + SCAP_CAPFILE_END_ENTRY * NBUF);
	e = f + b[2].off + HEAD;
	scap_capfile_put64(e + 32, 3);                               /* drops_other */
	scap_capfile_put64(e + SCAP_CAPFILE_END_FIXED + 0 * 48 + 24, 3); /* buffer 0: drops_other */
	scap_capfile_put64(e + 24, 7);                               /* drops_buffer_full */
	scap_capfile_put64(e + SCAP_CAPFILE_END_FIXED + 1 * 48 + 16, 7); /* buffer 1 */
	scap_capfile_put64(e + 88, 5);                               /* unread */
	scap_capfile_put64(e + SCAP_CAPFILE_END_FIXED + 2 * 48 + 40, 5); /* buffer 2 */
	scap_capfile_put32(e + 96, 2);                               /* attach_failures */
	scap_capfile_put64(e + 80, 11);                              /* exits_without_enter */
	refix(f, b[2].off);
	path_of(path, sizeof(path), "drops.scap");
	spit(path, f, len);
	assert_int_equal(replay(path, true, NULL, &st, msg, sizeof(msg), &h), -ENODATA);
	assert_int_equal(st.drops, 10);
	assert_int_equal(st.drops_buffer_full, 7);
	assert_int_equal(st.drops_other, 3);
	assert_int_equal(st.unread, 5);
	assert_int_equal(st.events, 6);
	assert_int_equal(st.exits_without_enter, 11);
	assert_int_equal(st.attach_failures, 2);
	assert_int_equal(scap_get_buffer_stats(h, 1, &bs), 0);
	assert_int_equal(bs.drops_buffer_full, 7);
	assert_int_equal(bs.drops, 7);
	assert_int_equal(scap_get_buffer_stats(h, 2, &bs), 0);
	assert_int_equal(bs.unread, 5);
	scap_close(h);

	/* A total that is not the sum of its buffers: the one-bit flip of issue 17. */
	scap_capfile_put64(e + 24, 7 | (1ull << 47));
	refix(f, b[2].off);
	assert_int_equal(open_patched(f, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "are not the sums of its buffers'");
	scap_capfile_put64(e + 24, 7);
	/* More event records counted than the file holds. */
	scap_capfile_put64(e + 8, 5);
	refix(f, b[2].off);
	assert_int_equal(open_patched(f, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "counts 5 events");
	scap_capfile_put64(e + 8, 6);
	/* A buffer's cpu that is not the header's. */
	scap_capfile_put32(e + SCAP_CAPFILE_END_FIXED + 48, 9);
	refix(f, b[2].off);
	assert_int_equal(open_patched(f, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "buffer 1 has cpu 9");
	scap_capfile_put32(e + SCAP_CAPFILE_END_FIXED + 48, 1);
	/* More toctou events than events. */
	scap_capfile_put64(e + 64, 99);
	refix(f, b[2].off);
	assert_int_equal(open_patched(f, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "toctou events (99)");
	free(f);
	recs_free(&live);
}

/* A file whose second event is older than its first: replayed as is, and counted. */
static void test_out_of_order_counted(void **unused)
{
	struct recs live = { 0 };
	char msg[SCAP_ERRBUF_SIZE], path[128];
	struct scap_stats st;
	size_t len, blk, second;
	uint8_t *f = small_file(&len, &live);
	const struct scap_evt_hdr *first = (const struct scap_evt_hdr *)live.v[0].bytes;

	second = event_record(f, len, 1, &blk);
	assert_true(second > 0);
	assert_true(first->ts > 0);
	scap_capfile_put64(f + second + 8, first->ts - 1); /* the event header starts with ts */
	refix(f, blk);
	path_of(path, sizeof(path), "disorder.scap");
	spit(path, f, len);
	assert_int_equal(replay(path, true, NULL, &st, msg, sizeof(msg), NULL), -ENODATA);
	assert_int_equal(st.events, 6);
	assert_int_equal(st.out_of_order, 1);
	free(f);
	recs_free(&live);
}

static void test_bad_header(void **unused)
{
	struct recs live = { 0 };
	char msg[SCAP_ERRBUF_SIZE];
	struct blk b[8];
	size_t len;
	uint8_t *f = small_file(&len, &live);
	uint8_t *g = malloc(len), *hp;

	assert_non_null(g);
	assert_int_equal(blocks_of(f, len, b, 8), 3);
	memcpy(g, "this is not a capture file, just text\n", 38);
	assert_int_equal(open_patched(g, 38, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "is not a scap capture file");

	assert_int_equal(open_patched(g, 0, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "is empty");

	/* A newer version, its preamble's checksum intact: a newer library is needed. */
	memcpy(g, f, len);
	g[8] = 3;
	scap_capfile_put32(g + 12, (uint32_t)crc32(0L, g, 12));
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -ENOTSUP);
	assert_msg(msg, "format version 3, newer than the version 2");
	/* The same byte flipped by damage: the checksum says so. */
	memcpy(g, f, len);
	g[8] = 3;
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "corrupt preamble: its checksum");

	/* The version flipped to 0. */
	memcpy(g, f, len);
	g[8] = 0;
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "format version 0");

	hp = g + b[0].off + HEAD;
	memcpy(g, f, len);
	hp[32] ^= 0x5a; /* schema hash */
	refix(g, b[0].off);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -ENOTSUP);
	assert_msg(msg, "another event schema");

	memcpy(g, f, len);
	hp[20] += 1; /* schema event count */
	refix(g, b[0].off);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -ENOTSUP);
	assert_msg(msg, "another event schema");

	memcpy(g, f, len);
	hp[8] = 9; /* event layout version */
	refix(g, b[0].off);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -ENOTSUP);
	assert_msg(msg, "event layout version 9");

	memcpy(g, f, len);
	hp[12] |= 0x80; /* an unknown header flag */
	refix(g, b[0].off);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -ENOTSUP);
	assert_msg(msg, "flags 0x80");

	memcpy(g, f, len);
	scap_capfile_put32(hp + 16, SCAP_MAX_SNAPLEN + 1); /* snaplen */
	refix(g, b[0].off);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "snaplen 16385");

	memcpy(g, f, len);
	scap_capfile_put32(hp + SCAP_CAPFILE_HDR_FIXED + 4, (uint32_t)-2); /* buffer 1's cpu */
	refix(g, b[0].off);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "buffer 1 has cpu -2");

	memcpy(g, f, len);
	hp[72 + 31] = 'x'; /* the engine name loses its NUL */
	memset(hp + 72, 'x', 32);
	refix(g, b[0].off);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "has no NUL");

	memcpy(g, f, len);
	scap_capfile_put64(hp + 48, 0); /* created_ns */
	refix(g, b[0].off);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "not a time this writer could have read");

	/* One flipped bit anywhere in the header block: its checksum says so. */
	memcpy(g, f, len);
	hp[130] ^= 0x10;
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "fails its checksum");
	free(g);
	free(f);
	recs_free(&live);
}

/*
 * Cut at every offset: exactly the events of the whole blocks before the
 * cut, then -EBADMSG saying "incomplete" and the offset; never -ENODATA.
 */
static void test_truncated_everywhere(void **unused)
{
	struct scap_dump_opts d_o = { .sz = sizeof(d_o), .buffer_bytes = 4096 };
	struct recs live = { 0 };
	char msg[SCAP_ERRBUF_SIZE], path[128], where[64];
	struct blk b[256];
	size_t len, nb, cut, *whole_at;
	uint8_t *f;

	path_of(path, sizeof(path), "cut_src.scap");
	record_opts(path, 300, true, &d_o, &live);
	f = slurp(path, &len);
	nb = blocks_of(f, len, b, 256);
	assert_true(nb > 4);
	/* whole_at[i]: events in the blocks that end at or before offset i. */
	whole_at = calloc(len + 1, sizeof(*whole_at));
	assert_non_null(whole_at);
	{
		size_t k = 0, events = 0;

		for (cut = 0; cut <= len; cut++) {
			while (k < nb && b[k].off + HEAD + b[k].len <= cut) {
				if (b[k].kind == SCAP_CAPFILE_BLK_EVENTS)
					events += scap_capfile_get32(f + b[k].off + HEAD + 8);
				k++;
			}
			whole_at[cut] = events;
		}
	}
	for (cut = 0; cut < len; cut++) {
		struct recs back = { 0 };
		int r;

		r = open_patched(f, cut, &back, msg, sizeof(msg));
		if (r != -EBADMSG)
			fail_msg("cut at %zu: %d (%s)", cut, r, msg);
		if (cut == 0) {
			assert_msg(msg, "is empty");
			continue;
		}
		if (cut < b[1].off) {
			/* Inside the preamble or the HEADER block: the open fails. */
			assert_int_equal(back.n, 0);
			continue;
		}
		assert_msg(msg, "incomplete");
		snprintf(where, sizeof(where), "offset %zu", cut);
		assert_msg(msg, where);
		if (back.n != whole_at[cut])
			fail_msg("cut at %zu: %zu events delivered, the whole blocks hold %zu", cut, back.n, whole_at[cut]);
		assert_same(&live, &back, back.n);
		recs_free(&back);
	}
	free(whole_at);
	free(f);
	recs_free(&live);
}

/* One flipped bit in each block in turn: the events before it, then its offset. */
static void test_bit_flips(void **unused)
{
	struct scap_dump_opts d_o = { .sz = sizeof(d_o), .buffer_bytes = 4096 };
	struct recs live = { 0 };
	char msg[SCAP_ERRBUF_SIZE], path[128], want[96];
	struct blk b[256];
	size_t len, nb, events = 0;
	uint8_t *f, *g;

	path_of(path, sizeof(path), "flip_src.scap");
	record_opts(path, 300, true, &d_o, &live);
	f = slurp(path, &len);
	g = malloc(len);
	assert_non_null(g);
	nb = blocks_of(f, len, b, 256);
	for (size_t k = 1; k < nb; k++) {
		/* In the payload (its middle) and in the head (the length field). */
		for (int where_in = 0; where_in < 2; where_in++) {
			struct recs back = { 0 };
			size_t at = where_in ? b[k].off + 9 : b[k].off + HEAD + b[k].len / 2;

			memcpy(g, f, len);
			g[at] ^= 0x04;
			assert_int_equal(open_patched(g, len, &back, msg, sizeof(msg)), -EBADMSG);
			snprintf(want, sizeof(want), "the block at offset %zu", b[k].off);
			assert_msg(msg, want);
			assert_msg(msg, where_in ? "head's checksum" : "fails its checksum");
			assert_int_equal(back.n, events);
			assert_same(&live, &back, back.n);
			recs_free(&back);
		}
		if (b[k].kind == SCAP_CAPFILE_BLK_EVENTS)
			events += scap_capfile_get32(f + b[k].off + HEAD + 8);
	}
	/* A block dropped from the middle: the sequence numbers tell. */
	memcpy(g, f, b[2].off);
	memcpy(g + b[2].off, f + b[3].off, len - b[3].off);
	assert_int_equal(open_patched(g, len - (b[3].off - b[2].off), NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "sequence number 3, expected 2");
	free(g);
	free(f);
	recs_free(&live);
}

/*
 * Fields with a valid range, each patched with its CRC recomputed: the rule
 * names the field and the offset; the events before are delivered.
 */
static void test_field_rules(void **unused)
{
	struct recs live = { 0 }, back = { 0 };
	char msg[SCAP_ERRBUF_SIZE], want[128];
	size_t len, blk, second;
	uint8_t *f = small_file(&len, &live);
	uint8_t *g = malloc(len + 4096);
	const struct scap_event *e1 = (const struct scap_event *)live.v[1].bytes;

	assert_non_null(g);
	second = event_record(f, len, 1, &blk);
	assert_true(second > 0);
	assert_true(scap_event_nparams(e1) > 0);

	/* The record's cpu beyond the file's buffers. */
	memcpy(g, f, len);
	scap_capfile_put32(g + second + 4, NBUF);
	refix(g, blk);
	assert_int_equal(open_patched(g, len, &back, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "the record at offset %zu names buffer 3, the file has 3", second);
	assert_msg(msg, want);
	assert_int_equal(back.n, 1);
	recs_free(&back);

	/* Thread id 0 and one beyond PID_MAX_LIMIT. */
	memcpy(g, f, len);
	scap_capfile_put32(g + second + 8 + 8, 0);
	refix(g, blk);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "the event at offset %zu has thread id 0", second + 8);
	assert_msg(msg, want);
	memcpy(g, f, len);
	scap_capfile_put32(g + second + 8 + 12, SCAP_CAPFILE_MAX_TID + 1);
	refix(g, blk);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "process id 4194305");

	/* Flags: an unknown bit; pairing flags in a raw file. */
	memcpy(g, f, len);
	g[second + 8 + 23] |= 0x80;
	refix(g, blk);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "has flag bits this library does not know");
	memcpy(g, f, len);
	g[second + 8 + 23] |= SCAP_EVF_PAIRED;
	refix(g, blk);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "pairing flags in a file of raw (unpaired) events");

	/* The type one past the schema. */
	memcpy(g, f, len);
	scap_capfile_put16(g + second + 8 + 20, SCAP_EV_MAX);
	refix(g, blk);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "malformed event at offset %zu", second + 8);
	assert_msg(msg, want);

	/* An event length past its block. */
	memcpy(g, f, len);
	ev_len_put(g + second + 8, SCAP_MAX_EVENT_LEN + 1);
	refix(g, blk);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "has length 65537");

	/* An unknown record kind. */
	memcpy(g, f, len);
	scap_capfile_put32(g + second, 9);
	refix(g, blk);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "unknown record kind 9 at offset %zu", second);
	assert_msg(msg, want);

	/* A padding byte that is not 0 (the first event is 8-aligned only if its length is). */
	{
		size_t first = event_record(f, len, 0, NULL);
		uint32_t l0 = ev_len_at(f + first + 8);

		if ((8 + l0) % 8) {
			memcpy(g, f, len);
			g[first + 8 + l0] = 1;
			refix(g, blk);
			assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
			assert_msg(msg, "padding byte");
		}
	}

	/* The block's count of events says one more than it holds. */
	memcpy(g, f, len);
	scap_capfile_put32(g + blk + HEAD + 8, 7);
	refix(g, blk);
	assert_int_equal(open_patched(g, len, &back, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "holds 6 events, it says 7");
	recs_free(&back);
	free(g);
	free(f);
	recs_free(&live);
}

/* A paired file's TOCTOU event with its exit copy: the rules that bind the two. */
static void test_exit_copy_rules(void **unused)
{
	struct recs live = { 0 }, xs = { 0 };
	char path[128], msg[SCAP_ERRBUF_SIZE];
	size_t len, p, end, blk = 0, x_at = 0;
	struct blk b[64];
	size_t nb;
	uint8_t *f;

	path_of(path, sizeof(path), "toctou.scap");
	g_xs = &xs;
	record(path, 3000, false, false, &live);
	g_xs = NULL;
	assert_true(xs.n > 0);
	f = slurp(path, &len);
	nb = blocks_of(f, len, b, 64);
	for (size_t i = 1; i < nb && !x_at; i++) {
		if (b[i].kind != SCAP_CAPFILE_BLK_EVENTS)
			continue;
		p = b[i].off + HEAD + SCAP_CAPFILE_EVENTS_PREFIX;
		end = b[i].off + HEAD + b[i].len;
		while (p < end && !x_at) {
			if (scap_capfile_get32(f + p) == SCAP_CAPFILE_REC_EXIT_COPY) {
				x_at = p;
				blk = b[i].off;
			}
			p += SCAP_CAPFILE_REC_PAD(8 + ev_len_at(f + p + 8));
		}
	}
	assert_true(x_at > 0);
	/* The exit copy carries a pairing flag: drivers never set those. */
	f[x_at + 8 + 23] |= SCAP_EVF_PAIRED;
	refix(f, blk);
	spit(path, f, len);
	assert_int_equal(replay(path, false, NULL, NULL, msg, sizeof(msg), NULL), -EBADMSG);
	assert_msg(msg, "is an exit copy (as the driver wrote it) with flags only the pairing stage sets");
	f[x_at + 8 + 23] &= (uint8_t)~SCAP_EVF_PAIRED;
	/* Its event loses the TOCTOU flag. */
	{
		size_t ev = x_at + SCAP_CAPFILE_REC_PAD(8 + ev_len_at(f + x_at + 8));

		f[ev + 8 + 23] &= (uint8_t)~SCAP_EVF_TOCTOU;
		refix(f, blk);
		spit(path, f, len);
		assert_int_equal(replay(path, false, NULL, NULL, msg, sizeof(msg), NULL), -EBADMSG);
		assert_msg(msg, "belongs to an event without the TOCTOU flag");
		f[ev + 8 + 23] |= SCAP_EVF_TOCTOU;
		/* A TOCTOU flag without PAIRED. */
		f[ev + 8 + 23] &= (uint8_t)~SCAP_EVF_PAIRED;
		refix(f, blk);
		spit(path, f, len);
		assert_int_equal(replay(path, false, NULL, NULL, msg, sizeof(msg), NULL), -EBADMSG);
		assert_msg(msg, "flagged toctou or enter_unreadable without being paired");
	}
	free(f);
	recs_free(&live);
	recs_free(&xs);
}

/* Blocks of other kinds: skipped unless they must be understood; END is the end. */
static void test_unknown_blocks(void **unused)
{
	struct recs live = { 0 }, back = { 0 };
	char msg[SCAP_ERRBUF_SIZE], want[160];
	struct blk b[8];
	size_t len, ins, glen;
	uint8_t *f = small_file(&len, &live), *g;
	static const uint8_t payload[40] = "a process table a future writer adds";

	assert_int_equal(blocks_of(f, len, b, 8), 3);
	g = malloc(len + 256);
	assert_non_null(g);
	/* A kind-99 block after the EVENTS block; END renumbered. */
	ins = b[2].off;
	memcpy(g, f, ins);
	scap_capfile_block_encode(g + ins, 99, 0, 2, payload, sizeof(payload));
	memcpy(g + ins + HEAD, payload, sizeof(payload));
	memcpy(g + ins + HEAD + sizeof(payload), f + ins, len - ins);
	glen = len + HEAD + sizeof(payload);
	scap_capfile_put32(g + ins + HEAD + sizeof(payload) + 12, 3);
	refix(g, ins + HEAD + sizeof(payload));
	assert_int_equal(open_patched(g, glen, &back, msg, sizeof(msg)), -ENODATA);
	assert_int_equal(back.n, 6);
	assert_same(&live, &back, 6);
	recs_free(&back);

	/* The same block, flagged must-understand. */
	scap_capfile_block_encode(g + ins, 99, SCAP_CAPFILE_BF_MUST_UNDERSTAND, 2, payload, sizeof(payload));
	assert_int_equal(open_patched(g, glen, &back, msg, sizeof(msg)), -ENOTSUP);
	snprintf(want, sizeof(want), "the block at offset %zu is of kind 99", ins);
	assert_msg(msg, want);
	assert_msg(msg, "newer libscap");
	assert_int_equal(back.n, 6);
	recs_free(&back);

	/* A block flag this library does not know. */
	scap_capfile_block_encode(g + ins, 99, 0x8, 2, payload, sizeof(payload));
	assert_int_equal(open_patched(g, glen, NULL, msg, sizeof(msg)), -ENOTSUP);
	assert_msg(msg, "flags 0x8");

	/* Bytes after the END block. */
	memcpy(g, f, len);
	g[len] = 0;
	assert_int_equal(open_patched(g, len + 1, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "data after the END block");

	/* A second HEADER where an EVENTS block was. */
	memcpy(g, f, len);
	scap_capfile_put16(g + b[1].off + 4, SCAP_CAPFILE_BLK_HEADER);
	refix(g, b[1].off);
	assert_int_equal(open_patched(g, len, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "a second HEADER block");
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

/* A gzip file cut short (a killed writer): the whole blocks, then "incomplete". */
static void test_gzip_cut(void **unused)
{
	struct scap_dump_opts d_o = { .sz = sizeof(d_o), .compress = true, .buffer_bytes = 4096 };
	struct recs live = { 0 }, back = { 0 };
	char path[128], msg[SCAP_ERRBUF_SIZE];
	size_t len;
	uint8_t *f;

	path_of(path, sizeof(path), "cut.scap.gz");
	record_opts(path, 3000, true, &d_o, &live);
	f = slurp(path, &len);
	assert_int_equal(open_patched(f, len * 2 / 3, &back, msg, sizeof(msg)), -EBADMSG);
	assert_msg(msg, "incomplete");
	assert_msg(msg, "the gzip stream is cut there");
	assert_true(back.n > 100 && back.n < live.n);
	assert_same(&live, &back, back.n);
	recs_free(&back);
	free(f);
	recs_free(&live);
}

static void test_errors(void **unused)
{
	struct scap_open_opts o = { .sz = sizeof(o), .synthetic_events = 10 };
	char err[SCAP_ERRBUF_SIZE];
	struct scap_dumper *d = NULL;
	struct scap *h;
	const struct scap_event *ev;
	unsigned cpu;

	/* No path. */
	assert_int_equal(scap_open(&h, "savefile", NULL, err, sizeof(err)), -EINVAL);
	assert_msg(err, "savefile_path");
	/* A missing file. */
	o.savefile_path = "/nonexistent/x.scap";
	assert_int_equal(scap_open(&h, "savefile", &o, err, sizeof(err)), -ENOENT);
	assert_msg(err, "cannot open capture file /nonexistent/x.scap");
	/* A directory. */
	o.savefile_path = "/tmp";
	assert_int_equal(scap_open(&h, "savefile", &o, err, sizeof(err)), -EISDIR);
	assert_msg(err, "it is a directory");
	/* A device. */
	o.savefile_path = "/dev/null";
	assert_int_equal(scap_open(&h, "savefile", &o, err, sizeof(err)), -EINVAL);
	assert_msg(err, "it is a character device");

	o.savefile_path = NULL;
	assert_int_equal(scap_open(&h, "synthetic", &o, err, sizeof(err)), 0);
	assert_int_equal(scap_dump_open(&d, h, "/nonexistent/dir/x.scap", NULL), -ENOENT);
	assert_null(d);
	assert_msg(scap_last_error(h), "cannot create capture file /nonexistent/dir/x.scap");
	struct scap_dump_opts bad = { .sz = sizeof(bad), .level = 12 };
	assert_int_equal(scap_dump_open(&d, h, "/tmp/never", &bad), -EINVAL);
	assert_msg(scap_last_error(h), "level=12");
	assert_int_equal(scap_dump_close(NULL), 0);
	assert_int_equal(scap_dump_tick(NULL), -EINVAL);
	assert_int_equal(scap_dump_flush(NULL), -EINVAL);
	/* An event with a cpu that is not one of the handle's buffers. */
	{
		char path[128];

		path_of(path, sizeof(path), "cpu.scap");
		assert_int_equal(scap_start(h), 0);
		assert_int_equal(scap_dump_open(&d, h, path, NULL), 0);
		while (scap_next(h, &ev, &cpu, 0) == -EAGAIN)
			;
		assert_int_equal(scap_dump_event(d, ev, 4), -EINVAL);
		assert_msg(scap_last_error(h), "cpu 4 is not a buffer of this handle");
		assert_int_equal(scap_dump_event(d, ev, cpu), 0);
		assert_int_equal(scap_dump_close(d), 0);
	}
	scap_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_paired),
		cmocka_unit_test(test_round_trip_raw),
		cmocka_unit_test(test_round_trip_gzip),
		cmocka_unit_test(test_many_blocks),
		cmocka_unit_test(test_end_counts),
		cmocka_unit_test(test_out_of_order_counted),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_field_rules),
		cmocka_unit_test(test_exit_copy_rules),
		cmocka_unit_test(test_unknown_blocks),
		cmocka_unit_test(test_gzip_corrupt),
		cmocka_unit_test(test_gzip_cut),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
