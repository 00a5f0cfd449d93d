// SPDX-License-Identifier: Apache-2.0
/*
 * Version-1 capture files (written by libscap before version 2) still
 * replay: paired with their exit copies, raw, gzip, with the older 80-byte
 * trailer; and the rules that need no checksum hold for them too (a record's
 * cpu, the trailer's sums, a file without its trailer is incomplete).
 */
#include <zlib.h>

#include "savefile_util.h"

/* Records n synthetic events (v2), keeping what was delivered and the exit copies. */
static void live_stream(uint64_t n, bool unpaired, struct recs *out, struct recs *xs)
{
	char path[128];

	path_of(path, sizeof(path), "v2_src.scap");
	g_xs = xs;
	record(path, n, unpaired, false, out);
	g_xs = NULL;
}

static int replay_bytes(const uint8_t *f, size_t len, bool unpaired, struct recs *back, struct scap_stats *st,
			char *msg, size_t msglen)
{
	char path[128];

	path_of(path, sizeof(path), "v1.scap");
	spit(path, f, len);
	return replay(path, unpaired, back, st, msg, msglen, NULL);
}

static void test_v1_paired(void **unused)
{
	struct recs live = { 0 }, xs = { 0 }, back = { 0 }, xback = { 0 };
	char msg[SCAP_ERRBUF_SIZE];
	struct scap_stats st;
	uint8_t *f;
	size_t len;

	live_stream(3000, false, &live, &xs);
	assert_true(xs.n > 0);
	len = v1_encode(&f, &live, &xs, true, false);
	g_xs = &xback;
	assert_int_equal(replay_bytes(f, len, false, &back, &st, msg, sizeof(msg)), -ENODATA);
	g_xs = NULL;
	assert_int_equal(back.n, live.n);
	assert_same(&live, &back, live.n);
	assert_int_equal(xback.n, xs.n);
	assert_same(&xs, &xback, xs.n);
	assert_int_equal(st.kernel_events, live.n);
	free(f);
	recs_free(&live);
	recs_free(&xs);
	recs_free(&back);
	recs_free(&xback);
}

/* Raw, gzip (the whole file, as the version-1 writer did) and the 80-byte trailer. */
static void test_v1_raw_gzip_old_trailer(void **unused)
{
	struct recs live = { 0 }, back = { 0 };
	char msg[SCAP_ERRBUF_SIZE], path[128];
	uint8_t *f;
	size_t len;
	gzFile gz;

	live_stream(2000, true, &live, NULL);
	len = v1_encode(&f, &live, NULL, false, true);
	assert_int_equal(replay_bytes(f, len, true, &back, NULL, msg, sizeof(msg)), -ENODATA);
	assert_int_equal(back.n, live.n);
	assert_same(&live, &back, live.n);
	recs_free(&back);

	path_of(path, sizeof(path), "v1.scap.gz");
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, f, (unsigned)len), (int)len);
	assert_int_equal(gzclose(gz), Z_OK);
	assert_int_equal(replay(path, true, &back, NULL, msg, sizeof(msg), NULL), -ENODATA);
	assert_int_equal(back.n, live.n);
	assert_same(&live, &back, live.n);
	recs_free(&back);
	free(f);
	recs_free(&live);
}

static void test_v1_rules(void **unused)
{
	struct recs live = { 0 }, back = { 0 };
	char msg[SCAP_ERRBUF_SIZE], want[128];
	uint8_t *f;
	size_t len, second, trailer;

	live_stream(6, true, &live, NULL);
	assert_int_equal(live.n, 6);
	len = v1_encode(&f, &live, NULL, false, false);
	second = 216 + 4 * NBUF + 8 + live.v[0].len;
	trailer = len - (8 + 88 + 40 * NBUF);

	/* A record's cpu beyond the buffers (not checked by the version-1 reader before). */
	scap_capfile_put32(f + second + 4, 7);
	assert_int_equal(replay_bytes(f, len, true, &back, NULL, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "the record at offset %zu names buffer 7, the file has 3", second);
	if (!strstr(msg, want))
		fail_msg("%s", msg);
	assert_int_equal(back.n, 1);
	recs_free(&back);
	scap_capfile_put32(f + second + 4, live.v[1].cpu);

	/* One bit of the trailer's drops flipped: its totals no longer add up. */
	f[trailer + 8 + 16 + 5] ^= 0x80;
	assert_int_equal(replay_bytes(f, len, true, &back, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, "are not the sums of its buffers'"));
	assert_int_equal(back.n, 6);
	recs_free(&back);
	f[trailer + 8 + 16 + 5] ^= 0x80;

	/* A thread id of 0. */
	scap_capfile_put32(f + second + 8 + 8, 0);
	assert_int_equal(replay_bytes(f, len, true, NULL, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, "has thread id 0"));
	scap_capfile_put32(f + second + 8 + 8, scap_event_tid((const struct scap_event *)live.v[1].bytes));

	/* Without its trailer: every event, then "without its trailer". */
	assert_int_equal(replay_bytes(f, trailer, true, &back, NULL, msg, sizeof(msg)), -EBADMSG);
	assert_non_null(strstr(msg, "without its trailer"));
	assert_int_equal(back.n, 6);
	recs_free(&back);

	/* The file as written replays whole. */
	assert_int_equal(replay_bytes(f, len, true, &back, NULL, msg, sizeof(msg)), -ENODATA);
	assert_int_equal(back.n, 6);
	assert_same(&live, &back, 6);
	recs_free(&back);
	free(f);
	recs_free(&live);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_paired),
		cmocka_unit_test(test_v1_raw_gzip_old_trailer),
		cmocka_unit_test(test_v1_rules),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
