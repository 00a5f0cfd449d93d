// SPDX-License-Identifier: Apache-2.0
/*
 * The decoder against malformed events: every error is -EBADMSG with a clear
 * reason, and nothing reads outside the event (run under ASan: every
 * malformed copy lives in an allocation of its exact size).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "scap/event_builder.h"

static uint8_t good[4096];
static int good_len;

/* openat exit: res=3, dirfd=AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC, 0 */
static int build_openat(uint8_t *b, size_t cap)
{
	struct scap_bval v[8] = {
		{ .u = 3 }, { .u = (uint64_t)-100 }, { .p = "/etc/passwd" }, { .u = 02000000 }, { .u = 0 },
		{ .p = "/etc/passwd" }, { .u = 2049 }, { .u = 1234 },
	};
	struct scap_bhdr h = { .ts = 1000, .tid = 7, .pid = 7 };

	return scap_event_build(b, cap, SCAP_EV_OPENAT_X, &h, v, 8);
}

static int setup(void **state)
{
	(void)state;
	good_len = build_openat(good, sizeof(good));
	return good_len > 0 ? 0 : -1;
}

/* An exact-size heap copy so that ASan catches any overread. */
static uint8_t *dup_event(const void *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	memcpy(p, src, len);
	return p;
}

static void set_len(uint8_t *b, uint32_t len)
{
	memcpy(b + offsetof(struct scap_evt_hdr, len), &len, 4);
}

static void set_plen(uint8_t *b, unsigned idx, uint16_t l)
{
	memcpy(b + SCAP_EVT_HDR_LEN + 2 * idx, &l, 2);
}

static void expect_bad(const void *b, size_t len, const char *reason_part)
{
	char why[256] = "";

	assert_int_equal(scap_event_validate(b, len, why, sizeof(why)), -EBADMSG);
	if (!strstr(why, reason_part))
		fail_msg("reason \"%s\" does not contain \"%s\"", why, reason_part);
}

static void valid_event_decodes(void **state)
{
	struct scap_param p;
	const struct scap_event *ev = (const void *)good;
	char why[128];

	(void)state;
	assert_int_equal(scap_event_validate(good, (size_t)good_len, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(scap_event_nparams(ev), 8);
	assert_int_equal(scap_event_param(ev, 0, &p), 0);
	assert_string_equal(p.name, "res");
	assert_int_equal(p.type, SCAP_PT_RES);
	assert_int_equal(p.v.i, 3);
	assert_int_equal(scap_event_param_by_name(ev, "pathname", &p), 0);
	assert_int_equal(p.type, SCAP_PT_PATH);
	assert_string_equal(p.str, "/etc/passwd");
	assert_int_equal(p.len, 12);
	assert_int_equal(scap_event_param_by_name(ev, "dirfd", &p), 0);
	assert_int_equal(p.v.i, -100);
	assert_int_equal(scap_event_param_by_name(ev, "flags", &p), 0);
	assert_int_equal(p.v.u, 02000000);
	assert_int_equal(p.aux, SCAP_FS_OPEN);
	assert_int_equal(scap_event_param_by_name(ev, "opened", &p), 0);
	assert_int_equal(p.type, SCAP_PT_PATH);
	assert_string_equal(p.str, "/etc/passwd");
	assert_int_equal(scap_event_param_by_name(ev, "opened_dev", &p), 0);
	assert_int_equal(p.v.u, 2049);
	assert_int_equal(scap_event_param_by_name(ev, "opened_ino", &p), 0);
	assert_int_equal(p.v.u, 1234);
	assert_int_equal(scap_event_param_by_name(ev, "nope", &p), -ENOENT);
	assert_int_equal(scap_event_param(ev, 8, &p), -ERANGE);
	assert_string_equal(scap_event_name(ev), "openat");
	assert_int_equal(scap_event_dir(ev), SCAP_DIR_EXIT);
	assert_int_equal(scap_event_ts(ev), 1000);
	assert_int_equal(scap_event_tid(ev), 7);
	assert_int_equal(scap_event_len(ev), (uint32_t)good_len);
}

static void truncation_at_every_offset(void **state)
{
	size_t cut;

	(void)state;
	for (cut = 0; cut < (size_t)good_len; cut++) {
		uint8_t *b = dup_event(good, cut);
		char why[256] = "";

		assert_int_equal(scap_event_validate(b, cut, why, sizeof(why)), -EBADMSG);
		assert_true(why[0] != '\0');
		free(b);
		/* The same bytes with the header claiming the truncated size. */
		if (cut >= SCAP_EVT_HDR_LEN) {
			unsigned i;

			b = dup_event(good, cut);
			set_len(b, (uint32_t)cut);
			assert_int_equal(scap_event_validate(b, cut, NULL, 0), -EBADMSG);
			for (i = 0; i < 8; i++) {
				struct scap_param p;
				int r = scap_event_param((const void *)b, i, &p);

				assert_true(r == 0 || r == -EBADMSG);
			}
			free(b);
		}
	}
}

static void header_errors(void **state)
{
	uint8_t *b = dup_event(good, (size_t)good_len);
	struct scap_param p;
	uint16_t t;

	(void)state;
	expect_bad(b, 10, "shorter than its 24-byte header");
	/* header length disagrees with the bytes given */
	expect_bad(b, (size_t)good_len - 1, "overruns");
	set_len(b, (uint32_t)good_len - 1);
	expect_bad(b, (size_t)good_len, "differs from the");
	set_len(b, 8);
	expect_bad(b, (size_t)good_len, "shorter than the header");
	set_len(b, (uint32_t)good_len);
	/* unknown event type */
	t = SCAP_EV_MAX;
	memcpy(b + offsetof(struct scap_evt_hdr, type), &t, 2);
	expect_bad(b, (size_t)good_len, "unknown event type");
	assert_int_equal(scap_event_param((const void *)b, 0, &p), -EBADMSG);
	assert_string_equal(scap_event_name((const void *)b), "unknown");
	t = SCAP_EV_OPENAT_X;
	memcpy(b + offsetof(struct scap_evt_hdr, type), &t, 2);
	/* nparams mismatch */
	b[offsetof(struct scap_evt_hdr, nparams)] = 4;
	expect_bad(b, (size_t)good_len, "has 8 parameters, not 4");
	assert_int_equal(scap_event_param((const void *)b, 0, &p), -EBADMSG);
	b[offsetof(struct scap_evt_hdr, nparams)] = 8;
	assert_int_equal(scap_event_validate(b, (size_t)good_len, NULL, 0), 0);
	free(b);
}

static void length_errors(void **state)
{
	uint8_t *b = dup_event(good, (size_t)good_len);
	struct scap_param p;

	(void)state;
	/* lengths that add up to more than the event */
	set_plen(b, 2, 4000);
	expect_bad(b, (size_t)good_len, "parameter lengths add up to 4092 bytes, header says 104");
	assert_int_equal(scap_event_param((const void *)b, 2, &p), -EBADMSG);
	assert_int_equal(scap_event_param((const void *)b, 1, &p), 0); /* before it: fine */
	set_plen(b, 2, 12);
	/* lengths that add up to less than the event */
	set_plen(b, 2, 11);
	expect_bad(b, (size_t)good_len, "add up to");
	set_plen(b, 2, 12);
	/* a wrong integer width: dirfd of 4 bytes, path moved up by 4 */
	set_plen(b, 1, 4);
	set_plen(b, 2, 16);
	expect_bad(b, (size_t)good_len, "dirfd: FD of 4 bytes, expected 8");
	assert_int_equal(scap_event_param((const void *)b, 1, &p), -EBADMSG);
	free(b);
}

static void missing_nul(void **state)
{
	uint8_t *b = dup_event(good, (size_t)good_len);
	struct scap_param p;
	/* the path's NUL is the last byte of param 2: hdr + lens + 8 + 8 + 12 - 1 */
	size_t nul = SCAP_EVT_HDR_LEN + 16 + 8 + 8 + 11;

	(void)state;
	assert_int_equal(b[nul], 0);
	b[nul] = 'x';
	expect_bad(b, (size_t)good_len, "pathname: string of 12 bytes without its final NUL");
	assert_int_equal(scap_event_param_by_name((const void *)b, "pathname", &p), -EBADMSG);
	free(b);
}

static int build_connect(uint8_t *b, size_t cap, const uint8_t *sa, uint32_t salen)
{
	struct scap_bval v[4] = { { .u = 0 }, { .u = 5 }, { .p = sa, .len = salen }, { .empty = true } };

	return scap_event_build(b, cap, SCAP_EV_CONNECT_X, NULL, v, 4);
}

static void sockaddr_sizes(void **state)
{
	uint8_t sa[32], b[128];
	const uint8_t lo[4] = { 127, 0, 0, 1 };
	int n;

	(void)state;
	scap_sa_inet(sa, lo, 80);
	n = build_connect(b, sizeof(b), sa, 7);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	n = build_connect(b, sizeof(b), sa, 6);
	expect_bad(b, (size_t)n, "IPv4 address of 6 bytes, expected 7");
	sa[0] = SCAP_SA_INET6;
	n = build_connect(b, sizeof(b), sa, 7);
	expect_bad(b, (size_t)n, "IPv6 address of 7 bytes, expected 19");
	sa[0] = 9;
	n = build_connect(b, sizeof(b), sa, 7);
	expect_bad(b, (size_t)n, "unknown address family code 9");
	sa[0] = SCAP_SA_UNIX;
	memcpy(sa + 1, "/x", 2);
	n = build_connect(b, sizeof(b), sa, 3);
	expect_bad(b, (size_t)n, "unix address of 3 bytes without its final NUL");
	sa[3] = 0;
	n = build_connect(b, sizeof(b), sa, 4);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	sa[0] = SCAP_SA_UNSPEC;
	n = build_connect(b, sizeof(b), sa, 2);
	expect_bad(b, (size_t)n, "AF_UNSPEC address of 2 bytes");
	sa[0] = SCAP_SA_OTHER;
	n = build_connect(b, sizeof(b), sa, 3);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	/* Only a family without its address (SCAP_SA_OTHER) can be cut. */
	{
		struct scap_bval v[4] = { { .u = 0 }, { .u = 5 }, { .p = sa, .len = 3, .partial = true },
					  { .empty = true } };

		n = scap_event_build(b, sizeof(b), SCAP_EV_CONNECT_X, NULL, v, 4);
		assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
		v[2].len = scap_sa_inet(sa, lo, 80);
		n = scap_event_build(b, sizeof(b), SCAP_EV_CONNECT_X, NULL, v, 4);
		expect_bad(b, (size_t)n, "addr: SOCKADDR of 7 bytes marked cut");
	}
}

static void strarray_and_args(void **state)
{
	uint8_t b[512];
	struct scap_bval v[10];
	uint64_t args[6] = { 1, 2, 3, 4, 5, 6 };
	struct scap_param p;
	int n;

	(void)state;
	memset(v, 0, sizeof(v));
	v[0].p = "/bin/ls";
	v[1].p = "ls\0-l";
	v[1].len = 5; /* no final NUL */
	n = scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, NULL, v, 2);
	expect_bad(b, (size_t)n, "argv: string array of 5 bytes without its final NUL");
	v[1].len = 6; /* the last string's NUL, but not the array's */
	n = scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, NULL, v, 2);
	expect_bad(b, (size_t)n, "argv: string array of 6 bytes whose last string has no NUL before the "
		   "array's final NUL");
	v[1].p = "ls\0-l\0";
	v[1].len = 7;
	n = scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	/* The three argv that execve tells apart: [] (the final NUL alone), [""], NULL. */
	v[1].p = "";
	v[1].len = 1;
	n = scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	assert_int_equal(scap_event_param_by_name((const void *)b, "argv", &p), 0);
	assert_int_equal(p.len, 1);
	assert_int_equal(p.state, SCAP_PARAM_WHOLE);
	v[1].p = "\0";
	v[1].len = 2;
	n = scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	v[1].empty = true;
	n = scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	assert_int_equal(scap_event_param_by_name((const void *)b, "argv", &p), 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(p.state, SCAP_PARAM_WHOLE);
	/* ... and unreadable: no data, marked partial */
	v[1].partial = true;
	n = scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	assert_int_equal(scap_event_param_by_name((const void *)b, "argv", &p), 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(p.state, SCAP_PARAM_UNREADABLE);
	assert_int_equal(scap_event_flags((const void *)b) & SCAP_EVF_TRUNCATED, 0);
	/* cut: data and the mark; the builder sets the header's TRUNCATED */
	v[1].empty = false;
	v[1].p = "ls\0-l\0";
	v[1].len = 7;
	n = scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	assert_int_equal(scap_event_param_by_name((const void *)b, "argv", &p), 0);
	assert_int_equal(p.len, 7);
	assert_int_equal(p.state, SCAP_PARAM_CUT);
	assert_int_equal(scap_event_flags((const void *)b) & SCAP_EVF_TRUNCATED, SCAP_EVF_TRUNCATED);
	/* the header's mark and the parameters' must agree, both ways */
	b[offsetof(struct scap_evt_hdr, flags)] &= (uint8_t)~SCAP_EVF_TRUNCATED;
	expect_bad(b, (size_t)n, "argv is marked cut but the header lacks SCAP_EVF_TRUNCATED");
	v[1].partial = false;
	n = scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, &(struct scap_bhdr){ .flags = SCAP_EVF_TRUNCATED },
			     v, 2);
	expect_bad(b, (size_t)n, "the header has SCAP_EVF_TRUNCATED but no parameter is marked cut");
	/* a number is whole or absent, never cut */
	memset(v, 0, sizeof(v));
	v[0].u = 3;
	v[0].partial = true;
	v[1].u = 3;
	n = scap_event_build(b, sizeof(b), SCAP_EV_CLOSE_X, NULL, v, 2);
	expect_bad(b, (size_t)n, "res: RES of 8 bytes marked cut");
	v[0].empty = true; /* unreadable is fine */
	n = scap_event_build(b, sizeof(b), SCAP_EV_CLOSE_X, NULL, v, 2);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	/* generic: ARGS must be exactly 6 x 8 bytes */
	memset(v, 0, sizeof(v));
	v[1].u = 39;
	v[2].p = args;
	v[2].len = 40;
	n = scap_event_build(b, sizeof(b), SCAP_EV_GENERIC_X, NULL, v, 3);
	expect_bad(b, (size_t)n, "args: ARGS of 40 bytes, expected 48");
	v[2].len = 48;
	n = scap_event_build(b, sizeof(b), SCAP_EV_GENERIC_X, NULL, v, 3);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	assert_string_equal(scap_event_name((const void *)b), "getpid");
	/* an empty parameter is valid and has no data */
	v[2].empty = true;
	n = scap_event_build(b, sizeof(b), SCAP_EV_GENERIC_X, NULL, v, 3);
	assert_int_equal(scap_event_validate(b, (size_t)n, NULL, 0), 0);
	assert_int_equal(scap_event_param((const void *)b, 2, &p), 0);
	assert_int_equal(p.len, 0);
	assert_null(p.data);
	/* an unnamed syscall number */
	v[1].u = 400;
	n = scap_event_build(b, sizeof(b), SCAP_EV_GENERIC_X, NULL, v, 3);
	assert_string_equal(scap_event_name((const void *)b), "syscall_400");
}

/* Random corruption: validate decides, and what it accepts decodes and formats. */
static void random_corruption_never_crashes(void **state)
{
	uint64_t x = 12345;
	unsigned iter;
	char out[8192];

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		uint8_t *b = dup_event(good, (size_t)good_len);
		unsigned flips = 1 + iter % 4, k;

		for (k = 0; k < flips; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[x % (uint64_t)good_len] ^= (uint8_t)(x >> 32) | 1;
		}
		if (scap_event_validate(b, (size_t)good_len, NULL, 0) == 0) {
			unsigned i;

			for (i = 0; i < scap_event_nparams((const void *)b); i++) {
				struct scap_param p;

				assert_int_equal(scap_event_param((const void *)b, i, &p), 0);
				scap_param_format(&p, out, sizeof(out));
			}
			assert_true(scap_event_format_json((const void *)b, 0, out, sizeof(out)) > 0);
		}
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_event_decodes),
		cmocka_unit_test(truncation_at_every_offset),
		cmocka_unit_test(header_errors),
		cmocka_unit_test(length_errors),
		cmocka_unit_test(missing_nul),
		cmocka_unit_test(sockaddr_sizes),
		cmocka_unit_test(strarray_and_args),
		cmocka_unit_test(random_corruption_never_crashes),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
