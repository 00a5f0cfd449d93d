// SPDX-License-Identifier: Apache-2.0
/*
 * The process table in capture files (docs/capture-file-format.md: the
 * PROCTABLE block, EVENTS_PROC blocks and their table-only records): a
 * recording made with a table, opened after the table has entries and with
 * a syscall selection (so that the table's own rows are hidden), replays
 * with every event's process and JSON line exactly as delivered live; files
 * without the block replay; a replay with proc_off skips it; every damage to
 * the new parts is reported with its offset, as the format's other blocks.
 */
#include "savefile_util.h"

#define NEVENTS 60000u
#define SKIP 300u /* events read before the writer opens: the table then has entries */

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_add(struct lines *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		assert_non_null(l->v);
	}
	l->v[l->n] = strdup(s);
	assert_non_null(l->v[l->n]);
	l->n++;
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* What a user sees of one event: its JSON line with the process, and every field of scap_event_proc. */
static void seen(struct scap *h, const struct scap_event *ev, unsigned cpu, struct lines *out, uint64_t *with_proc)
{
	static char line[256 * 1024];
	const struct scap_proc *p = scap_event_proc(h, ev);
	int n;

	assert_true(scap_event_format_proc(h, ev, cpu, SCAP_FORMAT_JSON, line, sizeof(line), NULL) >= 0);
	n = (int)strlen(line);
	if (p) {
		(*with_proc)++;
		n += snprintf(line + n, sizeof(line) - (size_t)n,
			      " | known %#x flags %#x tid %u pid %u ppid %u vtid %u vpid %u ids %u %u %u %u %u exit %d "
			      "start %llu end %llu updated %llu comm %s exe %s cwd %s cgroup %s cid %s args %u:",
			      p->known, p->flags, p->tid, p->pid, p->ppid, p->vtid, p->vpid, p->uid, p->gid, p->euid,
			      p->egid, p->loginuid, p->exit_status, (unsigned long long)p->start_ns,
			      (unsigned long long)p->exit_ns, (unsigned long long)p->updated_ns, p->comm,
			      p->exe ? p->exe : "-", p->cwd ? p->cwd : "-", p->cgroup ? p->cgroup : "-",
			      p->container_id ? p->container_id : "-", p->args_len);
		for (uint32_t i = 0; p->args && i < p->args_len && n < (int)sizeof(line) - 4; i++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%02x", (uint8_t)p->args[i]);
	}
	lines_add(out, line);
}

static const char *const sel[] = { "openat", "read", "write", NULL };

/* Records the synthetic stream (openat/read/write selected) into path after SKIP events. */
static void record_table(const char *path, struct lines *out, uint64_t *with_proc, uint64_t *entries_at_open)
{
	struct scap_open_opts o = {
		.sz = sizeof(o), .synthetic_seed = 11, .synthetic_events = NEVENTS, .synthetic_cpus = NBUF,
		.syscalls = sel, .proc_max_entries = 4096, .proc_grace_ms = 50,
	};
	struct scap_stats st = { .sz = sizeof(st) };
	char err[SCAP_ERRBUF_SIZE];
	struct scap_dumper *d = NULL;
	const struct scap_event *ev;
	struct scap *h = NULL;
	uint64_t n = 0;
	unsigned cpu;
	int r;

	if (scap_open(&h, "synthetic", &o, err, sizeof(err)) != 0)
		fail_msg("open: %s", err);
	assert_int_equal(scap_start(h), 0);
	while (n < SKIP && (r = scap_next(h, &ev, &cpu, 0)) == 0)
		n++;
	assert_int_equal(n, SKIP);
	assert_int_equal(scap_get_stats(h, &st), 0);
	*entries_at_open = st.proc_entries;
	if (scap_dump_open(&d, h, path, NULL) != 0)
		fail_msg("dump_open: %s", scap_last_error(h));
	while ((r = scap_next(h, &ev, &cpu, 0)) == 0) {
		assert_int_equal(scap_dump_event(d, ev, cpu), 0);
		seen(h, ev, cpu, out, with_proc);
	}
	assert_int_equal(r, -ENODATA);
	assert_int_equal(scap_stop(h), 0);
	if (scap_dump_close(d) != 0)
		fail_msg("dump_close: %s", scap_last_error(h));
	scap_close(h);
}

/* Replays path; returns the code that ended it, the message in msg. */
static int replay_lines(const char *path, bool proc_off, struct lines *out, uint64_t *with_proc, char *msg,
			size_t msglen)
{
	struct scap_open_opts o = { .sz = sizeof(o), .savefile_path = path, .proc_off = proc_off };
	const struct scap_event *ev;
	struct scap *h = NULL;
	unsigned cpu;
	int r;

	msg[0] = '\0';
	r = scap_open(&h, "savefile", &o, msg, msglen);
	if (r)
		return r;
	assert_int_equal(scap_start(h), 0);
	while ((r = scap_next(h, &ev, &cpu, 0)) == 0)
		seen(h, ev, cpu, out, with_proc);
	snprintf(msg, msglen, "%s", scap_last_error(h));
	scap_close(h);
	return r;
}

static void assert_msg(const char *msg, const char *want)
{
	if (!strstr(msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", msg, want);
}

static struct lines g_live;
static uint64_t g_live_proc, g_entries;
static char g_path[128];

static int record_once(void **unused)
{
	if (setup_dir(unused) < 0)
		return -1;
	path_of(g_path, sizeof(g_path), "table.scap");
	return 0;
}

static void round_trip(void **unused)
{
	struct lines back = { 0 };
	char msg[SCAP_ERRBUF_SIZE];
	uint64_t back_proc = 0;
	struct blk b[256];
	size_t len, nb, proc_blocks = 0;
	uint8_t *f;

	record_table(g_path, &g_live, &g_live_proc, &g_entries);
	assert_true(g_entries > 20);            /* the snapshot is not empty */
	assert_true(g_live.n > 500);
	assert_true(g_live_proc > g_live.n / 2); /* most events resolved */
	/* Replayed: every line and every process field as live, in order. */
	assert_int_equal(replay_lines(g_path, false, &back, &back_proc, msg, sizeof(msg)), -ENODATA);
	assert_int_equal(back.n, g_live.n);
	for (size_t i = 0; i < back.n; i++)
		if (strcmp(back.v[i], g_live.v[i]) != 0)
			fail_msg("event %zu differs:\n live:   %.400s\n replay: %.400s", i, g_live.v[i], back.v[i]);
	assert_int_equal(back_proc, g_live_proc);
	/* HEADER, PROCTABLE (optional, right after it), events blocks with table-only records, END. */
	f = slurp(g_path, &len);
	nb = blocks_of(f, len, b, 256);
	assert_true(nb >= 4);
	assert_int_equal(b[1].kind, SCAP_CAPFILE_BLK_PROCTABLE);
	assert_int_equal(b[1].flags, 0);
	assert_int_equal(b[1].seq, 1);
	assert_int_equal(scap_capfile_get32(f + b[1].off + SCAP_CAPFILE_BLOCK_HEAD), SCAP_CAPFILE_PROCTABLE_FIXED);
	for (size_t i = 2; i + 1 < nb; i++)
		proc_blocks += b[i].kind == SCAP_CAPFILE_BLK_EVENTS_PROC;
	assert_true(proc_blocks > 0);
	assert_int_equal(b[nb - 1].kind, SCAP_CAPFILE_BLK_END);
	free(f);

	lines_free(&back);
}

/* The same file with proc_off: the block skipped, the events themselves identical, no process. */
static void replay_without_table(void **unused)
{
	struct lines back = { 0 };
	char msg[SCAP_ERRBUF_SIZE];
	uint64_t back_proc = 0;

	assert_int_equal(replay_lines(g_path, true, &back, &back_proc, msg, sizeof(msg)), -ENODATA);
	assert_int_equal(back.n, g_live.n);
	assert_int_equal(back_proc, 0);
	for (size_t i = 0; i < back.n; i++) {
		/* The line without the table: the live one up to ,"comm" / ,"proc", without them. */
		assert_null(strstr(back.v[i], "\"comm\":"));
		assert_null(strstr(back.v[i], "\"proc\":"));
	}
	lines_free(&back);
}

/* A file without the block (recorded with proc_off) replays, with the table on, event for event. */
static void file_without_block(void **unused)
{
	struct recs live = { 0 }, back = { 0 };
	struct scap_stats st;
	char path[128], msg[SCAP_ERRBUF_SIZE];
	struct blk b[64];
	size_t len, nb;
	uint8_t *f;

	path_of(path, sizeof(path), "plain.scap");
	record(path, 3000, false, false, &live);
	f = slurp(path, &len);
	nb = blocks_of(f, len, b, 64);
	for (size_t i = 0; i < nb; i++)
		assert_true(b[i].kind != SCAP_CAPFILE_BLK_PROCTABLE && b[i].kind != SCAP_CAPFILE_BLK_EVENTS_PROC);
	free(f);
	assert_int_equal(replay(path, false, &back, &st, msg, sizeof(msg), NULL), -ENODATA);
	assert_int_equal(back.n, live.n);
	assert_same(&live, &back, live.n);
	assert_true(st.proc_entries > 0); /* the replay's table took the file's lifecycle events */
	recs_free(&live);
	recs_free(&back);
}

/* Writes f with block i's payload byte at off (from the payload's start) set to v, CRCs fixed or not. */
static void patch(const char *path, const uint8_t *f, size_t len, const struct blk *bk, size_t at, uint8_t v,
		  bool fix)
{
	uint8_t *g = malloc(len);

	assert_non_null(g);
	memcpy(g, f, len);
	g[bk->off + SCAP_CAPFILE_BLOCK_HEAD + at] = v;
	if (fix)
		refix(g, bk->off);
	spit(path, g, len);
	free(g);
}

static void damage(void **unused)
{
	struct lines back = { 0 };
	char path[128], msg[SCAP_ERRBUF_SIZE], want[256];
	uint64_t back_proc = 0;
	struct blk b[256];
	size_t len, nb, first_records;
	uint8_t *f, *g;

	f = slurp(g_path, &len);
	nb = blocks_of(f, len, b, 256);
	assert_true(nb >= 4 && b[1].kind == SCAP_CAPFILE_BLK_PROCTABLE);
	path_of(path, sizeof(path), "bad.scap");

	/* A flipped byte of the table: its block's checksum, before any event. */
	patch(path, f, len, &b[1], 40, f[b[1].off + SCAP_CAPFILE_BLOCK_HEAD + 40] ^ 0x10, false);
	assert_int_equal(replay_lines(path, false, &back, &back_proc, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "the block at offset %zu (%u bytes) fails its checksum", b[1].off, b[1].len);
	assert_msg(msg, want);
	assert_int_equal(back.n, 0);

	/* The checksum made to fit a bad table: the table's own check names the field. */
	patch(path, f, len, &b[1], SCAP_CAPFILE_PROCTABLE_FIXED, 9, true); /* the snapshot's version */
	assert_int_equal(replay_lines(path, false, &back, &back_proc, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "corrupt capture file: the PROCTABLE block at offset %zu: its table (from offset %zu): "
		 "version 9, not 1", b[1].off, b[1].off + SCAP_CAPFILE_BLOCK_HEAD + SCAP_CAPFILE_PROCTABLE_FIXED);
	assert_msg(msg, want);
	assert_int_equal(back.n, 0);
	/* ... and with proc_off the table is not read: the events replay. */
	assert_int_equal(replay_lines(path, true, &back, &back_proc, msg, sizeof(msg)), -ENODATA);
	assert_int_equal(back.n, g_live.n);
	lines_free(&back);

	/* A prefix that does not fit its payload. */
	patch(path, f, len, &b[1], 0, 4, true);
	assert_int_equal(replay_lines(path, false, &back, &back_proc, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "the PROCTABLE block at offset %zu (%u bytes) has a bad prefix", b[1].off, b[1].len);
	assert_msg(msg, want);

	/* Cut inside the table: the file is incomplete there. */
	spit(path, f, b[1].off + SCAP_CAPFILE_BLOCK_HEAD + 100);
	assert_int_equal(replay_lines(path, false, &back, &back_proc, msg, sizeof(msg)), -EBADMSG);
	snprintf(want, sizeof(want), "inside the %u-byte payload of the block at offset %zu", b[1].len, b[1].off);
	assert_msg(msg, want);

	/* The table after the first events block (blocks swapped, renumbered): out of its place. */
	g = malloc(len);
	assert_non_null(g);
	{
		size_t l1 = SCAP_CAPFILE_BLOCK_HEAD + b[1].len, l2 = SCAP_CAPFILE_BLOCK_HEAD + b[2].len;

		memcpy(g, f, len);
		memcpy(g + b[1].off, f + b[2].off, l2);
		memcpy(g + b[1].off + l2, f + b[1].off, l1);
		scap_capfile_put32(g + b[1].off + 12, 1);
		refix(g, b[1].off);
		scap_capfile_put32(g + b[1].off + l2 + 12, 2);
		refix(g, b[1].off + l2);
		spit(path, g, len);
		first_records = scap_capfile_get32(f + b[2].off + SCAP_CAPFILE_BLOCK_HEAD + 8);
		assert_int_equal(replay_lines(path, false, &back, &back_proc, msg, sizeof(msg)), -EBADMSG);
		snprintf(want, sizeof(want), "a PROCTABLE block at offset %zu (block 2): it belongs right after the "
			 "HEADER block", b[1].off + l2);
		assert_msg(msg, want);
		assert_int_equal(back.n, first_records); /* the events before it were delivered */
		lines_free(&back);
	}

	/* A table-only record in a plain EVENTS block: an unknown record there. */
	for (size_t i = 2; i + 1 < nb; i++) {
		if (b[i].kind != SCAP_CAPFILE_BLK_EVENTS_PROC)
			continue;
		memcpy(g, f, len);
		scap_capfile_put16(g + b[i].off + 4, SCAP_CAPFILE_BLK_EVENTS);
		refix(g, b[i].off);
		spit(path, g, len);
		assert_int_equal(replay_lines(path, false, &back, &back_proc, msg, sizeof(msg)), -EBADMSG);
		assert_msg(msg, "unknown record kind 4 at offset");
		lines_free(&back);
		break;
	}
	free(g);
	free(f);
}

static int done(void **unused)
{
	lines_free(&g_live);
	return teardown_dir(unused);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(replay_without_table),
		cmocka_unit_test(file_without_block),
		cmocka_unit_test(damage),
	};

	return cmocka_run_group_tests(tests, record_once, done);
}
