// SPDX-License-Identifier: Apache-2.0
/*
 * The pairing stage: enter + exit -> one event, TOCTOU marks, and what
 * happens when life is messy (missing enters/exits, reused tids, execve
 * changing tid, thousands of threads, a bounded pool).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "scap/pairing.h"

/* A tiny event writer: enough to speak the layout, independent of the core's builder. */
struct ev {
	uint8_t b[8192];
};

struct pv {
	const void *data;
	uint16_t len; /* the length word: data bytes, | SCAP_PARAM_PARTIAL for a partial value */
};

static const struct scap_evt_hdr *mk(struct ev *e, uint16_t code, uint32_t tid, uint32_t pid,
				     uint64_t ts, unsigned n, const struct pv *pv)
{
	struct scap_evt_hdr h = { .ts = ts, .tid = tid, .pid = pid, .type = code, .nparams = (uint8_t)n };
	uint32_t pos = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * n;

	for (unsigned i = 0; i < n; i++) {
		uint16_t dlen = pv[i].len & SCAP_PARAM_LEN_MASK;

		memcpy(e->b + SCAP_EVT_HDR_LEN + 2 * i, &pv[i].len, 2);
		if (dlen)
			memcpy(e->b + pos, pv[i].data, dlen);
		pos += dlen;
		if (dlen && (pv[i].len & SCAP_PARAM_PARTIAL))
			h.flags |= SCAP_EVF_TRUNCATED;
	}
	h.len = pos;
	memcpy(e->b, &h, sizeof(h));
	return (const struct scap_evt_hdr *)e->b;
}

static const int64_t fd_cwd = -100, res_fd = 3;
static const uint32_t flags_v = 01 | 0100 | 02000000, mode_v = 0640;

static const struct scap_evt_hdr *openat_e(struct ev *e, uint32_t tid, const char *path)
{
	struct pv pv[] = { { &fd_cwd, 8 }, { path, (uint16_t)(strlen(path) + 1) }, { &flags_v, 4 }, { &mode_v, 4 } };
	return mk(e, SCAP_EV_OPENAT_E, tid, tid, 10, 4, pv);
}

static const struct scap_evt_hdr *openat_x(struct ev *e, uint32_t tid, const char *path)
{
	struct pv pv[] = { { &res_fd, 8 }, { &fd_cwd, 8 }, { path, path ? (uint16_t)(strlen(path) + 1) : 0 },
			   { &flags_v, 4 }, { &mode_v, 4 }, { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	return mk(e, SCAP_EV_OPENAT_X, tid, tid, 20, 8, pv);
}

static const char *param_str(const struct scap_evt_hdr *h, const char *name)
{
	struct scap_param p;
	assert_int_equal(scap_event_param_by_name((const struct scap_event *)h, name, &p), 0);
	return p.str;
}

static int64_t param_int(const struct scap_evt_hdr *h, const char *name)
{
	struct scap_param p;
	assert_int_equal(scap_event_param_by_name((const struct scap_event *)h, name, &p), 0);
	return p.v.i;
}

static void test_enter_exit_become_one_event(void **state)
{
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	assert_int_equal(scap_pairing_feed(p, openat_e(&a, 42, "/tmp/x"), &out), 0);
	assert_int_equal(scap_pairing_pending(p), 1);
	assert_int_equal(scap_pairing_feed(p, openat_x(&b, 42, "/tmp/x"), &out), 1);
	assert_int_equal(out->type, SCAP_EV_OPENAT_X);
	assert_int_equal(out->tid, 42);
	assert_int_equal(out->ts, 20);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	assert_string_equal(param_str(out, "pathname"), "/tmp/x");
	assert_int_equal(param_int(out, "res"), 3);
	assert_int_equal(param_int(out, "dirfd"), -100);
	assert_int_equal(scap_event_validate(out, out->len, NULL, 0), 0);
	assert_int_equal(scap_pairing_pending(p), 0);

	struct scap_pairing_stats st;
	scap_pairing_get_stats(p, &st);
	assert_int_equal(st.paired, 1);
	assert_int_equal(st.toctou, 0);
	scap_pairing_free(p);
}

static void test_changed_argument_is_flagged_and_enter_wins(void **state)
{
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	scap_pairing_feed(p, openat_e(&a, 7, "/etc/hosts"), &out);
	assert_int_equal(scap_pairing_feed(p, openat_x(&b, 7, "/etc/shadow"), &out), 1);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED | SCAP_EVF_TOCTOU);
	assert_string_equal(param_str(out, "pathname"), "/etc/hosts");

	char json[1024];
	assert_true(scap_event_format_json((const struct scap_event *)out, 0, json, sizeof(json)) > 0);
	assert_non_null(strstr(json, "\"toctou\":true"));
	scap_pairing_free(p);
}

static void test_unreadable_exit_copy_is_not_a_race(void **state)
{
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	scap_pairing_feed(p, openat_e(&a, 7, "/etc/hosts"), &out);
	assert_int_equal(scap_pairing_feed(p, openat_x(&b, 7, NULL), &out), 1);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	assert_string_equal(param_str(out, "pathname"), "/etc/hosts");
	scap_pairing_free(p);
}

static void test_unreadable_enter_copy_falls_back_to_exit(void **state)
{
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;
	struct pv pv[] = { { &fd_cwd, 8 }, { NULL, SCAP_PARAM_PARTIAL }, { &flags_v, 4 }, { &mode_v, 4 } };

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	scap_pairing_feed(p, mk(&a, SCAP_EV_OPENAT_E, 8, 8, 10, 4, pv), &out);
	assert_int_equal(scap_pairing_feed(p, openat_x(&b, 8, "/late"), &out), 1);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED | SCAP_EVF_ENTER_UNREAD);
	assert_string_equal(param_str(out, "pathname"), "/late");
	scap_pairing_free(p);
}


/*
 * The execve exit as the drivers emit it (euid, egid, loginuid 0, old_tid its
 * own), with argv xa (length word xl) and result res.
 */
static const struct scap_evt_hdr *execve_x(struct ev *e, uint32_t tid, const int64_t *res, const void *xa, uint16_t xl,
					   const char *exe, uint16_t exel)
{
	static const int64_t ppid = 1;
	static const uint32_t id = 0;
	static int64_t old_tid;
	struct pv xin[] = { { res, 8 }, { *res ? NULL : "/bin/true", *res ? 0 : 10 }, { xa, xl }, { exe, exel },
			    { "true", 5 }, { &ppid, 8 }, { &id, 4 }, { &id, 4 }, { "/", 2 }, { "/", 2 },
			    { &id, 4 }, { &id, 4 }, { &id, 4 }, { &old_tid, 8 } };

	old_tid = tid;
	return mk(e, SCAP_EV_EXECVE_X, tid, tid, 20, 14, xin);
}

static struct scap_param param(const struct scap_evt_hdr *h, const char *name)
{
	struct scap_param p;

	assert_int_equal(scap_event_param_by_name((const struct scap_event *)h, name, &p), 0);
	return p;
}

/*
 * execve(path, NULL, ...), execve(path, [], ...) and an argv that faults: the
 * new image's argv is [""] for the first two (the kernel adds it), and there
 * is none for the third (EFAULT). The paired event keeps what the caller
 * passed, each distinct.
 */
static void test_execve_argv_null_empty_unreadable_stay_apart(void **state)
{
	static const int64_t ok = 0, efault = -14;
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;
	struct scap_param v;
	struct pv ein[] = { { "/bin/true", 10 }, { NULL, 0 } };

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	/* NULL */
	scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 7, 7, 10, 2, ein), &out);
	assert_int_equal(scap_pairing_feed(p, execve_x(&b, 7, &ok, "\0", 2, "/usr/bin/true", 14), &out), 1);
	v = param(out, "argv");
	assert_int_equal(v.len, 0);
	assert_int_equal(v.state, SCAP_PARAM_WHOLE);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	assert_int_equal(scap_event_validate(out, out->len, NULL, 0), 0);
	/* [] */
	ein[1] = (struct pv){ "", 1 };
	scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 7, 7, 10, 2, ein), &out);
	assert_int_equal(scap_pairing_feed(p, execve_x(&b, 7, &ok, "\0", 2, "/usr/bin/true", 14), &out), 1);
	v = param(out, "argv");
	assert_int_equal(v.len, 1);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	/* unreadable, the call failed: no image, the enter's mark stays */
	ein[1] = (struct pv){ NULL, SCAP_PARAM_PARTIAL };
	scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 7, 7, 10, 2, ein), &out);
	assert_int_equal(scap_pairing_feed(p, execve_x(&b, 7, &efault, NULL, 0, "/bin/sh", 8), &out), 1);
	v = param(out, "argv");
	assert_int_equal(v.len, 0);
	assert_int_equal(v.state, SCAP_PARAM_UNREADABLE);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	assert_int_equal(scap_event_validate(out, out->len, NULL, 0), 0);
	/* unreadable at enter only (a page not resident yet): the image's argv, so marked */
	scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 7, 7, 10, 2, ein), &out);
	assert_int_equal(scap_pairing_feed(p, execve_x(&b, 7, &ok, "true\0\0", 6, "/usr/bin/true", 14), &out), 1);
	v = param(out, "argv");
	assert_int_equal(v.len, 6);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED | SCAP_EVF_ENTER_UNREAD);
	scap_pairing_free(p);
}

/*
 * argv past SCAP_MAX_ARGV_ITEMS: the enter copy is cut; the new image's argv
 * (exit) is whole. The paired event carries the whole one when it extends
 * the enter's, else the cut enter copy, and its mark either way.
 */
static void test_cut_argv_pairs_with_the_right_mark(void **state)
{
	static const int64_t ok = 0;
	static const char cut[] = "ld\0a\0b\0"; /* "ld", "a", "b", cut after them */
	static const char whole[] = "ld\0a\0b\0c\0d\0";
	static const char other[] = "ld\0x\0b\0c\0d\0";
	struct scap_pairing *p;
	struct ev a, b, c;
	const struct scap_evt_hdr *out;
	struct scap_param v;
	struct pv ein[] = { { "/usr/bin/ld", 12 }, { cut, sizeof(cut) | SCAP_PARAM_PARTIAL } };

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	/* the whole exit copy extends the cut enter copy: it goes out, not cut */
	scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 7, 7, 10, 2, ein), &out);
	assert_int_equal(scap_pairing_feed(p, execve_x(&b, 7, &ok, whole, sizeof(whole), "/usr/bin/ld", 12), &out),
			 1);
	v = param(out, "argv");
	assert_int_equal(v.len, sizeof(whole));
	assert_memory_equal(v.data, whole, sizeof(whole));
	assert_int_equal(v.state, SCAP_PARAM_WHOLE);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	assert_int_equal(scap_event_validate(out, out->len, NULL, 0), 0);
	/* another argv at exit: the enter copy, cut, and the event says so */
	scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 7, 7, 10, 2, ein), &out);
	assert_int_equal(scap_pairing_feed(p, execve_x(&b, 7, &ok, other, sizeof(other), "/usr/bin/ld", 12), &out),
			 1);
	v = param(out, "argv");
	assert_int_equal(v.len, sizeof(cut));
	assert_int_equal(v.state, SCAP_PARAM_CUT);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED | SCAP_EVF_TRUNCATED);
	assert_int_equal(scap_event_validate(out, out->len, NULL, 0), 0);
	/* the exit cut too (past SCAP_MAX_ARGV_LEN): the enter copy, marked */
	scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 7, 7, 10, 2, ein), &out);
	assert_int_equal(scap_pairing_feed(p, execve_x(&b, 7, &ok, whole, sizeof(whole) | SCAP_PARAM_PARTIAL,
						       "/usr/bin/ld", 12), &out), 1);
	assert_int_equal(param(out, "argv").state, SCAP_PARAM_CUT);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED | SCAP_EVF_TRUNCATED);
	/* a whole enter copy and a cut exe (exit only): the exe's mark reaches the event */
	ein[1] = (struct pv){ whole, sizeof(whole) };
	scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 7, 7, 10, 2, ein), &out);
	assert_int_equal(scap_pairing_feed(p, execve_x(&c, 7, &ok, whole, sizeof(whole), "c/d", 4 | SCAP_PARAM_PARTIAL),
					   &out), 1);
	assert_int_equal(param(out, "argv").state, SCAP_PARAM_WHOLE);
	assert_int_equal(param(out, "exe").state, SCAP_PARAM_CUT);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED | SCAP_EVF_TRUNCATED);
	assert_int_equal(scap_event_validate(out, out->len, NULL, 0), 0);
	/* a cut enter copy and a whole exit: no mark left from the enter's header */
	ein[1] = (struct pv){ cut, sizeof(cut) | SCAP_PARAM_PARTIAL };
	scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 7, 7, 10, 2, ein), &out);
	assert_int_equal(((const struct scap_evt_hdr *)a.b)->flags, SCAP_EVF_TRUNCATED);
	assert_int_equal(scap_pairing_feed(p, execve_x(&b, 7, &ok, whole, sizeof(whole), "/usr/bin/ld", 12), &out),
			 1);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	scap_pairing_free(p);
}

static void test_exit_without_enter_is_delivered_and_counted(void **state)
{
	struct scap_pairing *p;
	struct ev b;
	const struct scap_evt_hdr *out;
	struct scap_pairing_stats st;

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	assert_int_equal(scap_pairing_feed(p, openat_x(&b, 9, "/a"), &out), 1);
	assert_int_equal(out->type, SCAP_EV_OPENAT_X);
	assert_int_equal(out->flags, SCAP_EVF_NO_ENTER);
	assert_string_equal(param_str(out, "pathname"), "/a");
	scap_pairing_get_stats(p, &st);
	assert_int_equal(st.orphan_exits, 1);
	scap_pairing_free(p);
}

static void test_plain_events_pass_through_untouched(void **state)
{
	struct scap_pairing *p;
	struct ev a;
	const struct scap_evt_hdr *out;
	int64_t res = 0, fd = 5;
	struct pv pv[] = { { &res, 8 }, { &fd, 8 } };
	const struct scap_evt_hdr *in = mk(&a, SCAP_EV_CLOSE_X, 3, 3, 1, 2, pv);

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	assert_int_equal(scap_pairing_feed(p, in, &out), 1);
	assert_ptr_equal(out, in);
	scap_pairing_free(p);
}

static void test_enter_without_exit_is_replaced_by_the_next_one(void **state)
{
	struct scap_pairing *p;
	struct ev a, b, c;
	const struct scap_evt_hdr *out;
	struct scap_pairing_stats st;

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	scap_pairing_feed(p, openat_e(&a, 5, "/first"), &out);
	scap_pairing_feed(p, openat_e(&b, 5, "/second"), &out);
	assert_int_equal(scap_pairing_pending(p), 1);
	scap_pairing_feed(p, openat_x(&c, 5, "/second"), &out);
	assert_string_equal(param_str(out, "pathname"), "/second");
	assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	scap_pairing_get_stats(p, &st);
	assert_int_equal(st.stale, 1);
	scap_pairing_free(p);
}

static void test_reused_tid_with_another_syscall_is_not_paired(void **state)
{
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;
	struct scap_pairing_stats st;
	int64_t res = 0, fd = 4;
	uint8_t sa[7] = { SCAP_SA_INET, 127, 0, 0, 1, 0x90, 0x1f };
	struct pv pv[] = { { &res, 8 }, { &fd, 8 }, { sa, 7 }, { NULL, 0 } };

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	scap_pairing_feed(p, openat_e(&a, 77, "/gone"), &out);
	/* Thread 77 died inside openat; a new thread 77 finishes a connect. */
	assert_int_equal(scap_pairing_feed(p, mk(&b, SCAP_EV_CONNECT_X, 77, 77, 30, 4, pv), &out), 1);
	assert_int_equal(out->type, SCAP_EV_CONNECT_X);
	assert_int_equal(out->flags, SCAP_EVF_NO_ENTER);
	assert_int_equal(scap_pairing_pending(p), 0);
	scap_pairing_get_stats(p, &st);
	assert_int_equal(st.stale, 1);
	assert_int_equal(st.orphan_exits, 1);
	scap_pairing_free(p);
}

static void test_execve_from_a_thread_exits_as_the_leader(void **state)
{
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;
	const char argv[] = "/bin/true\0a1\0a2\0";
	struct pv ein[] = { { "/bin/true", 10 }, { argv, sizeof(argv) } };
	int64_t res = 0, old_tid = 101;
	uint32_t unset = 4294967295u;
	struct pv xin[] = { { &res, 8 }, { NULL, 0 }, { argv, sizeof(argv) }, { "/usr/bin/true", 14 },
			    { "true", 5 }, { &res, 8 }, { &res, 4 }, { &res, 4 }, { "/", 2 }, { "/", 2 },
			    { &res, 4 }, { &res, 4 }, { &unset, 4 }, { &old_tid, 8 } };

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	/* tid 101 of process 100 calls execve; it returns as tid 100. */
	assert_int_equal(scap_pairing_feed(p, mk(&a, SCAP_EV_EXECVE_E, 101, 100, 1, 2, ein), &out), 0);
	assert_int_equal(scap_pairing_feed(p, mk(&b, SCAP_EV_EXECVE_X, 100, 100, 2, 14, xin), &out), 1);
	assert_int_equal(out->type, SCAP_EV_EXECVE_X);
	assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	assert_string_equal(param_str(out, "pathname"), "/bin/true");
	assert_string_equal(param_str(out, "exe"), "/usr/bin/true");
	assert_int_equal(param_int(out, "old_tid"), 101);
	assert_int_equal(scap_pairing_pending(p), 0);
	scap_pairing_free(p);
}

static void test_pool_is_bounded_and_evictions_counted(void **state)
{
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;
	struct scap_pairing_stats st;

	assert_int_equal(scap_pairing_new(&p, 4), 0);
	for (uint32_t tid = 1; tid <= 6; tid++)
		scap_pairing_feed(p, openat_e(&a, tid, "/p"), &out);
	assert_int_equal(scap_pairing_pending(p), 4);
	scap_pairing_get_stats(p, &st);
	assert_int_equal(st.evicted, 2);
	/* The two oldest (tids 1, 2) went; 3..6 still pair. */
	scap_pairing_feed(p, openat_x(&b, 1, "/p"), &out);
	assert_int_equal(out->flags, SCAP_EVF_NO_ENTER);
	for (uint32_t tid = 3; tid <= 6; tid++) {
		scap_pairing_feed(p, openat_x(&b, tid, "/p"), &out);
		assert_int_equal(out->flags, SCAP_EVF_PAIRED);
	}
	assert_int_equal(scap_pairing_pending(p), 0);
	scap_pairing_free(p);
}

/*
 * The pool grows on demand (it starts with 64 entries): across many
 * doublings, with exits removing entries between them, up to a bound that is
 * not a power of two; past it the oldest are evicted, exactly.
 */
static void test_pool_grows_to_its_bound(void **state)
{
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;
	struct scap_pairing_stats st;
	char path[32];
	const uint32_t max = 1000, n = 1500;

	assert_int_equal(scap_pairing_new(&p, max), 0);
	for (uint32_t t = 0; t < n; t++) {
		snprintf(path, sizeof(path), "/g%u", t);
		assert_int_equal(scap_pairing_feed(p, openat_e(&a, 50 + t, path), &out), 0);
		/* Every fifth of the first 1000 is answered at once: rehashes with holes in the chain. */
		if (t < max && t % 5 == 4) {
			assert_int_equal(scap_pairing_feed(p, openat_x(&b, 50 + t, path), &out), 1);
			assert_int_equal(out->flags, SCAP_EVF_PAIRED);
		}
	}
	/* 800 + 500 left pending, 1000 kept: the 300 oldest were evicted. */
	assert_int_equal(scap_pairing_pending(p), max);
	scap_pairing_get_stats(p, &st);
	assert_int_equal(st.evicted, 300);
	for (uint32_t t = 0, kept = 0, gone = 0; t < n; t++) {
		if (t < max && t % 5 == 4)
			continue;
		snprintf(path, sizeof(path), "/g%u", t);
		assert_int_equal(scap_pairing_feed(p, openat_x(&b, 50 + t, path), &out), 1);
		if (gone < 300) {
			assert_int_equal(out->flags, SCAP_EVF_NO_ENTER);
			gone++;
		} else {
			assert_int_equal(out->flags, SCAP_EVF_PAIRED);
			assert_string_equal(param_str(out, "pathname"), path);
			kept++;
		}
	}
	assert_int_equal(scap_pairing_pending(p), 0);
	scap_pairing_get_stats(p, &st);
	assert_int_equal(st.paired, 200 + 1000);
	scap_pairing_free(p);
}

static void test_many_thousands_of_threads(void **state)
{
	struct scap_pairing *p;
	struct ev a, b;
	const struct scap_evt_hdr *out;
	struct scap_pairing_stats st;
	char path[32];
	const uint32_t n = 50000;

	assert_int_equal(scap_pairing_new(&p, 0), 0);
	for (uint32_t t = 0; t < n; t++) {
		snprintf(path, sizeof(path), "/f%u", t);
		assert_int_equal(scap_pairing_feed(p, openat_e(&a, 1000 + t * 7, path), &out), 0);
	}
	/* Exits in another order than the enters, to exercise deletion in the hash. */
	for (uint32_t k = 0; k < n; k++) {
		uint32_t t = (k * 7919u) % n;
		snprintf(path, sizeof(path), "/f%u", t);
		assert_int_equal(scap_pairing_feed(p, openat_x(&b, 1000 + t * 7, path), &out), 1);
		assert_int_equal(out->flags, SCAP_EVF_PAIRED);
		assert_string_equal(param_str(out, "pathname"), path);
	}
	assert_int_equal(scap_pairing_pending(p), 0);
	scap_pairing_get_stats(p, &st);
	assert_int_equal(st.paired, n);
	assert_int_equal(st.evicted + st.stale + st.orphan_exits, 0);
	scap_pairing_free(p);
}

static struct scap *open_synthetic(bool unpaired)
{
	struct scap_open_opts o = { .sz = sizeof(o), .synthetic_seed = 7, .synthetic_events = 20000,
				    .unpaired = unpaired };
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	if (scap_open(&h, "synthetic", &o, err, sizeof(err)) != 0)
		fail_msg("open: %s", err);
	assert_int_equal(scap_start(h), 0);
	return h;
}

/* Through scap_next: every enter is held (paired or discarded), never delivered. */
static void test_core_delivers_paired_events(void **state)
{
	const struct scap_event *ev;
	unsigned enters = 0, delivered = 0, paired = 0, delivered_enters = 0;
	struct scap *h = open_synthetic(true);

	/* Enters of calls that never return (exit_group) have no exit to pair with. */
	while (scap_next(h, &ev, NULL, 0) == 0)
		enters += scap_event_dir(ev) == SCAP_DIR_ENTER &&
			  !(scap_event_info(scap_event_type(ev))->flags & SCAP_EF_NO_EXIT);
	scap_close(h);
	assert_true(enters > 100);

	h = open_synthetic(false);
	while (scap_next(h, &ev, NULL, 0) == 0) {
		delivered++;
		delivered_enters += scap_event_dir(ev) == SCAP_DIR_ENTER &&
				    !(scap_event_info(scap_event_type(ev))->flags & SCAP_EF_NO_EXIT);
		if (scap_event_flags(ev) & SCAP_EVF_PAIRED) {
			const struct scap_event *x;
			struct scap_param a, b;

			paired++;
			assert_int_equal(scap_event_exit_copy(h, ev, &x), 0);
			assert_int_equal(scap_event_type(x), scap_event_type(ev));
			assert_int_equal(scap_event_ts(x), scap_event_ts(ev));
			assert_int_equal(scap_event_flags(x) & SCAP_EVF_PAIRED, 0);
			assert_int_equal(scap_event_param_by_name(ev, "res", &a), 0);
			assert_int_equal(scap_event_param_by_name(x, "res", &b), 0);
			assert_int_equal(a.v.i, b.v.i);
		} else {
			const struct scap_event *x;
			assert_int_equal(scap_event_exit_copy(h, ev, &x), -ENOENT);
		}
		assert_int_equal(scap_event_validate(scap_event_bytes(ev), scap_event_len(ev), NULL, 0), 0);
	}
	struct scap_stats st = { .sz = sizeof(st) };
	assert_int_equal(scap_get_stats(h, &st), 0);
	scap_close(h);
	assert_int_equal(delivered_enters, 0);
	assert_int_equal(delivered, 20000 - enters);
	assert_true(paired > 0);
	assert_int_equal(paired + st.pairing_stale + st.pairing_evicted, enters);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enter_exit_become_one_event),
		cmocka_unit_test(test_changed_argument_is_flagged_and_enter_wins),
		cmocka_unit_test(test_unreadable_exit_copy_is_not_a_race),
		cmocka_unit_test(test_unreadable_enter_copy_falls_back_to_exit),
		cmocka_unit_test(test_execve_argv_null_empty_unreadable_stay_apart),
		cmocka_unit_test(test_cut_argv_pairs_with_the_right_mark),
		cmocka_unit_test(test_exit_without_enter_is_delivered_and_counted),
		cmocka_unit_test(test_plain_events_pass_through_untouched),
		cmocka_unit_test(test_enter_without_exit_is_replaced_by_the_next_one),
		cmocka_unit_test(test_reused_tid_with_another_syscall_is_not_paired),
		cmocka_unit_test(test_execve_from_a_thread_exits_as_the_leader),
		cmocka_unit_test(test_pool_is_bounded_and_evictions_counted),
		cmocka_unit_test(test_pool_grows_to_its_bound),
		cmocka_unit_test(test_many_thousands_of_threads),
		cmocka_unit_test(test_core_delivers_paired_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
