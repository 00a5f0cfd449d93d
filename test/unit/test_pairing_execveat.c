// SPDX-License-Identifier: Apache-2.0
/*
 * execveat through the pairing stage. On x86_64 (seen on 6.18) the exit of a
 * successful execveat comes with execve's syscall number, so the drivers
 * emit it as an execve exit; the core must complete the pending execveat
 * with it (one execveat event, the enter's dirfd/pathname/flags/argv, the
 * exit's process context), and leave a plain execve alone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "scap/pairing.h"

struct ev {
	uint8_t b[4096];
};

struct pv {
	const void *data;
	uint16_t len;
};

static const struct scap_evt_hdr *mk(struct ev *e, uint16_t code, uint32_t tid, unsigned n, const struct pv *pv)
{
	struct scap_evt_hdr h = { .ts = 1, .tid = tid, .pid = tid, .type = code, .nparams = (uint8_t)n };
	uint32_t pos = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * n;

	assert_int_equal(n, scap_event_info(code)->nparams);
	for (unsigned i = 0; i < n; i++) {
		memcpy(e->b + SCAP_EVT_HDR_LEN + 2 * i, &pv[i].len, 2);
		if (pv[i].len)
			memcpy(e->b + pos, pv[i].data, pv[i].len);
		pos += pv[i].len;
	}
	h.len = pos;
	memcpy(e->b, &h, sizeof(h));
	return (const struct scap_evt_hdr *)e->b;
}

static const int64_t dirfd = 5, zero = 0;
static const uint32_t at_flags = 0x1000, uid = 1000, gid = 1000, loginuid = 4294967295u;
static const int64_t ppid = 42;

/* execveat(5, "prog", ["prog", "-v"], envp, AT_EMPTY_PATH) at enter. */
static const struct scap_evt_hdr *execveat_e(struct ev *e, uint32_t tid)
{
	struct pv pv[] = { { &dirfd, 8 }, { "prog", 5 }, { "prog\0-v\0", 9 }, { &at_flags, 4 } };
	return mk(e, SCAP_EV_EXECVEAT_E, tid, 4, pv);
}

/*
 * The exit as the drivers emit it: an execve exit (res, pathname, argv, exe,
 * comm, ppid, uid, gid, cwd, cgroup, euid, egid, loginuid, old_tid).
 */
static const struct scap_evt_hdr *execve_x(struct ev *e, uint32_t tid)
{
	static int64_t old_tid;
	struct pv pv[] = { { &zero, 8 }, { "/dev/fd/5/prog", 15 }, { "prog\0-v\0", 9 }, { "/usr/bin/prog", 14 },
			   { "prog", 5 }, { &ppid, 8 }, { &uid, 4 }, { &gid, 4 }, { "/home", 6 }, { "/", 2 },
			   { &uid, 4 }, { &gid, 4 }, { &loginuid, 4 }, { &old_tid, 8 } };

	old_tid = tid;
	return mk(e, SCAP_EV_EXECVE_X, tid, 14, pv);
}

static struct scap_param param(const struct scap_evt_hdr *h, const char *name)
{
	struct scap_param p;

	assert_int_equal(scap_event_param_by_name((const struct scap_event *)h, name, &p), 0);
	return p;
}

static void execve_exit_completes_pending_execveat(void **state)
{
	struct scap_pairing *p;
	const struct scap_evt_hdr *out;
	struct ev e, x;

	(void)state;
	assert_int_equal(scap_pairing_new(&p, 0), 0);
	assert_int_equal(scap_pairing_feed(p, execveat_e(&e, 7), &out), 0);
	assert_int_equal(scap_pairing_feed(p, execve_x(&x, 7), &out), 1);
	assert_int_equal(out->type, SCAP_EV_EXECVEAT_X);
	assert_int_equal(out->nparams, scap_event_info(SCAP_EV_EXECVEAT_X)->nparams);
	assert_int_equal(out->flags & (SCAP_EVF_PAIRED | SCAP_EVF_NO_ENTER), SCAP_EVF_PAIRED);
	assert_int_equal(scap_event_validate(out, out->len, NULL, 0), 0);
	assert_int_equal(param(out, "res").v.i, 0);
	assert_int_equal(param(out, "dirfd").v.i, 5);
	assert_string_equal(param(out, "pathname").str, "prog"); /* the enter's copy wins */
	assert_int_equal(param(out, "flags").v.u, 0x1000);
	assert_int_equal(param(out, "argv").len, 9);
	assert_string_equal(param(out, "exe").str, "/usr/bin/prog");
	assert_int_equal(param(out, "ppid").v.i, 42);
	assert_string_equal(param(out, "cwd").str, "/home");
	assert_int_equal(param(out, "euid").v.u, 1000);
	assert_int_equal(param(out, "loginuid").v.u, 4294967295u);
	assert_int_equal(param(out, "old_tid").v.i, 7);
	assert_int_equal(scap_pairing_pending(p), 0);
	scap_pairing_free(p);
}

static void execve_exit_without_execveat_stays_execve(void **state)
{
	struct scap_pairing *p;
	const struct scap_evt_hdr *out;
	struct ev x;

	(void)state;
	assert_int_equal(scap_pairing_new(&p, 0), 0);
	assert_int_equal(scap_pairing_feed(p, execve_x(&x, 8), &out), 1);
	assert_int_equal(out->type, SCAP_EV_EXECVE_X);
	assert_true(out->flags & SCAP_EVF_NO_ENTER);
	scap_pairing_free(p);
}

/* exit_group never returns: its enter row is delivered at once, nothing is held. */
static void exit_group_enter_is_delivered_alone(void **state)
{
	struct scap_pairing *p;
	const struct scap_evt_hdr *out;
	const int32_t status = 3;
	struct pv pv[] = { { &status, 4 } };
	struct ev e;

	(void)state;
	assert_true(scap_event_info(SCAP_EV_EXIT_GROUP_E)->flags & SCAP_EF_NO_EXIT);
	assert_int_equal(scap_pairing_new(&p, 0), 0);
	assert_int_equal(scap_pairing_feed(p, mk(&e, SCAP_EV_EXIT_GROUP_E, 9, 1, pv), &out), 1);
	assert_int_equal(out->type, SCAP_EV_EXIT_GROUP_E);
	assert_int_equal(scap_pairing_pending(p), 0);
	scap_pairing_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(execve_exit_completes_pending_execveat),
		cmocka_unit_test(execve_exit_without_execveat_stays_execve),
		cmocka_unit_test(exit_group_enter_is_delivered_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
