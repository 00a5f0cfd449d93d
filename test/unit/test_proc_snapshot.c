// SPDX-License-Identifier: Apache-2.0
/*
 * The process table's snapshot (what a capture file stores): a table made
 * by events comes back equal — entries, shared strings and directories, the
 * orders eviction and expiry follow, the stream time, the bound, the grace
 * period — and then behaves the same under the same events; every cut and
 * every byte flipped is either refused with a reason or a valid table,
 * never a crash.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "scap/proc/proctable.h"
#include "scap/proc/snapshot.h"
#include "scap/proc/update.h"
#include "proc_events.h"

#define MS 1000000ull

static uint8_t buf[65536];
static const struct scap_proc_rows *rows;

static void fork_ev(struct scap_proctable *t, uint32_t tid, uint32_t pid, uint64_t flags, uint64_t ts, const char *cwd,
		    const char *cgroup)
{
	const struct kv kv[] = {
		KU("res", 0), KU("flags", flags), KU("ppid", 1), KS("comm", "w"), KS("exe", "/usr/bin/w"), KU("uid", 7),
		KU("gid", 8), KU("euid", 7), KS("cwd", cwd), KS("cgroup", cgroup), KU("vtid", tid), KU("vpid", pid),
	};

	scap_proc_apply(t, rows, mkev(buf, tid == pid ? SCAP_EV_FORK_X : SCAP_EV_CLONE_X, tid, pid, ts, 0, kv, NKV(kv)),
			NULL);
}

static void exec_ev(struct scap_proctable *t, uint32_t tid, uint64_t ts, const char *argv, uint32_t alen)
{
	const struct kv kv[] = {
		KU("res", 0), KBC("argv", argv, alen), KS("exe", "/bin/x"), KS("comm", "x"), KU("ppid", 1), KU("uid", 0),
		KU("gid", 0), KS("cwd", "/x"), KS("cgroup", "/docker/3f0b4c1ee9e95df1c1a5fbcd0c6fb4a0f5c0b77b29f5e4e3ab44e4fa3a5b6c7d"),
		KU("euid", 0), KU("egid", 0), KU("loginuid", 4294967295u), KU("old_tid", tid),
	};

	scap_proc_apply(t, rows, mkev(buf, SCAP_EV_EXECVE_X, tid, tid, ts, 0, kv, NKV(kv)), NULL);
}

static void exit_ev(struct scap_proctable *t, uint32_t tid, uint32_t pid, uint64_t ts, bool last)
{
	const struct kv kv[] = { KU("status", 256), KU("code", 1), KU("sig", 0), KU("core", 0), KU("last", last) };

	scap_proc_apply(t, rows, mkev(buf, SCAP_EV_PROCEXIT_E, tid, pid, ts, 0, kv, NKV(kv)), NULL);
}

/* A table with a bit of everything. */
static void populate(struct scap_proctable *t)
{
	char big[4096];
	size_t n = 0;

	for (int i = 0; i < 33; i++)
		n += (size_t)sprintf(big + n, "arg%d", i) + 1;
	big[n++] = '\0'; /* the array's own NUL; cut (exec_ev marks it) */
	for (uint32_t p = 0; p < 20; p++) {
		uint32_t pid = 1000 + 10 * p;

		fork_ev(t, pid, pid, 17, (1 + p) * MS, p % 2 ? "/a" : "/b", "/user.slice");
		if (p % 3 == 0)
			exec_ev(t, pid, (30 + p) * MS, big, (uint32_t)n);
		for (uint32_t k = 1; k <= p % 4; k++)
			fork_ev(t, pid + k, pid, 0x200 | 0x100 | 0x800 | 0x10000, (60 + p) * MS, "/a", "/user.slice");
	}
	exit_ev(t, 1011, 1010, 100 * MS, false);
	exit_ev(t, 1030, 1030, 101 * MS, true);
	exit_ev(t, 1050, 1050, 102 * MS, false); /* a leader whose threads live on */
}

/* Everything fill shows, plus the times and list positions fill does not. */
static void assert_same(struct scap_proctable *a, struct scap_proctable *b)
{
	const struct scap_proc_list *la[2] = { &a->live, &a->ended }, *lb[2] = { &b->live, &b->ended };

	assert_int_equal(a->count, b->count);
	assert_int_equal(a->max, b->max);
	assert_int_equal(a->grace_ns, b->grace_ns);
	assert_int_equal(a->now_ns, b->now_ns);
	assert_int_equal(a->strs.count, b->strs.count);
	assert_int_equal(a->fs_count, b->fs_count);
	for (unsigned k = 0; k < 2; k++) {
		struct scap_proc_entry *x = la[k]->head, *y = lb[k]->head;

		for (; x && y; x = x->next, y = y->next) {
			struct scap_proc px, py;

			assert_int_equal(x->tid, y->tid);
			assert_int_equal(x->gone_ns, y->gone_ns);
			assert_int_equal(x->src_ns, y->src_ns);
			scap_proctable_fill(a, x, 0, &px);
			scap_proctable_fill(b, y, 0, &py);
			assert_int_equal(px.known, py.known);
			assert_int_equal(px.flags, py.flags);
			{
				const uint32_t ux[] = { px.pid, px.ppid, px.vtid, px.vpid, px.uid, px.gid, px.euid, px.egid,
							px.loginuid, (uint32_t)px.exit_status };
				const uint32_t uy[] = { py.pid, py.ppid, py.vtid, py.vpid, py.uid, py.gid, py.euid, py.egid,
							py.loginuid, (uint32_t)py.exit_status };

				assert_memory_equal(ux, uy, sizeof(ux));
				assert_int_equal(px.start_ns, py.start_ns);
				assert_int_equal(px.exit_ns, py.exit_ns);
				assert_int_equal(px.updated_ns, py.updated_ns);
			}
			assert_string_equal(px.comm, py.comm);
#define SAME_STR(f) do { if (px.f || py.f) { assert_non_null(px.f); assert_non_null(py.f); assert_string_equal(px.f, py.f); } } while (0)
			SAME_STR(exe);
			SAME_STR(cwd);
			SAME_STR(cgroup);
			SAME_STR(container_id);
			assert_int_equal(px.args_len, py.args_len);
			if (px.args_len)
				assert_memory_equal(px.args, py.args, px.args_len);
			/* Sharing: the same directory object exactly where a has one. */
			if (x->fs && x->fs->refs > 1)
				assert_int_equal(x->fs->refs, y->fs->refs);
		}
		assert_null(x);
		assert_null(y);
	}
}

static void round_trip(void **state)
{
	struct scap_proctable a, b;
	uint8_t *snap;
	size_t len;
	char why[256] = "";

	(void)state;
	rows = scap_proc_rows_get();
	assert_int_equal(scap_proctable_init(&a, 200, 300), 0);
	assert_int_equal(scap_proctable_init(&b, 0, 0), 0);
	populate(&a);
	assert_int_equal(scap_proc_snapshot_encode(&a, &snap, &len), 0);
	assert_int_equal(scap_proc_snapshot_decode(&b, snap, len, why, sizeof(why)), 0);
	assert_same(&a, &b);
	assert_true(scap_proctable_find(&b, 1030)->on_ended);
	assert_true(scap_proctable_find(&b, 1000)->flags & SCAP_PROC_F_ARGS_TRUNCATED);
	/* The same events from here: the same tables (eviction at 200, expiry at 300 ms). */
	for (uint32_t i = 0; i < 300; i++) {
		fork_ev(&a, 5000 + i, 5000 + i, 17, (200 + i) * MS, "/c", "/");
		fork_ev(&b, 5000 + i, 5000 + i, 17, (200 + i) * MS, "/c", "/");
		if (i % 2) {
			exit_ev(&a, 5000 + i, 5000 + i, (200 + i) * MS + 1, true);
			exit_ev(&b, 5000 + i, 5000 + i, (200 + i) * MS + 1, true);
		}
	}
	assert_true(a.st.evictions > 0);
	assert_int_equal(a.st.evictions, b.st.evictions);
	assert_same(&a, &b);
	free(snap);
	scap_proctable_free(&a);
	scap_proctable_free(&b);
}

static void corrupt(void **state)
{
	struct scap_proctable a, b;
	uint8_t *snap, *copy;
	size_t len;
	char why[256];
	unsigned refused = 0, taken = 0;

	(void)state;
	rows = scap_proc_rows_get();
	assert_int_equal(scap_proctable_init(&a, 0, 0), 0);
	assert_int_equal(scap_proctable_init(&b, 0, 0), 0);
	populate(&a);
	assert_int_equal(scap_proc_snapshot_encode(&a, &snap, &len), 0);
	copy = malloc(len);
	/* Every cut: refused, and the table left empty. */
	for (size_t cut = 0; cut < len; cut++) {
		memcpy(copy, snap, cut);
		why[0] = '\0';
		assert_int_equal(scap_proc_snapshot_decode(&b, copy, cut, why, sizeof(why)), -EBADMSG);
		assert_true(why[0] != '\0');
		assert_int_equal(b.count, 0);
		assert_int_equal(b.strs.count, 0);
		assert_int_equal(b.fs_count, 0);
	}
	/* Every byte changed: a reason, or a table (an id is just another id). */
	for (size_t i = 0; i < len; i++) {
		int r;

		memcpy(copy, snap, len);
		copy[i] ^= 0x41;
		r = scap_proc_snapshot_decode(&b, copy, len, why, sizeof(why));
		assert_true(r == 0 || r == -EBADMSG);
		r == 0 ? taken++ : refused++;
		if (r < 0)
			assert_int_equal(b.count, 0);
	}
	assert_true(refused > 0 && taken > 0);
	/* The exact reasons of a few. */
	memcpy(copy, snap, len);
	copy[0] = 2;
	assert_int_equal(scap_proc_snapshot_decode(&b, copy, len, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "version 2"));
	free(copy);
	free(snap);
	scap_proctable_free(&a);
	scap_proctable_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(corrupt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
