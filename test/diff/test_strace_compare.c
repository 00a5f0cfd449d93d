// SPDX-License-Identifier: Apache-2.0
/*
 * The differential test's own parts, without a kernel: strace's lines read
 * back exactly, the comparison's verdict on built events (equal, mismatch,
 * cut at a limit), and every self-check mutation noticed. Lines are strace
 * 6.1's, as scap_strace_diff asks for them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scap/event_builder.h"
#include "compare.h"
#include "mutate.h"
#include "strace_out.h"

static uint8_t ev[70000];

static const struct scap_event *build(uint16_t code, const struct scap_bval *v, unsigned n)
{
	assert_true(scap_event_build(ev, sizeof(ev), code, &(struct scap_bhdr){ .tid = 1, .pid = 1 }, v, n) > 0);
	assert_int_equal(scap_event_validate(ev, scap_event_len((const void *)ev), NULL, 0), 0);
	return (const struct scap_event *)ev;
}

/* The verdict on field `name` of line against the event, and every mutation of it noticed. */
static enum fld_result verdict(const char *line, const struct scap_event *e, const char *name)
{
	struct st_call c;
	struct fld f[CMP_MAX_FIELDS];
	unsigned n;
	enum fld_result r = FLD_NRESULTS;

	assert_int_equal(st_parse_line(line, &c), 0);
	n = cmp_call(&c, e, f);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *m[MUT_MAX];
		const char *what[MUT_MAX];
		unsigned k;

		if (strcmp(f[i].name, name))
			continue;
		r = f[i].r;
		if (r != FLD_EQUAL && r != FLD_CUT)
			break;
		k = mut_field(scap_event_bytes(e), &f[i], m, what);
		assert_true(k >= 1);
		for (unsigned j = 0; j < k; j++) {
			struct fld g[CMP_MAX_FIELDS];
			unsigned gn;
			bool noticed = false;

			assert_int_equal(scap_event_validate(m[j], scap_event_len((const void *)m[j]), NULL, 0), 0);
			gn = cmp_call(&c, (const struct scap_event *)m[j], g);
			for (unsigned x = 0; x < gn; x++)
				noticed |= g[x].param == f[i].param && g[x].sub == f[i].sub && g[x].r == FLD_MISMATCH;
			if (!noticed)
				fail_msg("%s: mutation \"%s\" not noticed", name, what[j]);
			free(m[j]);
		}
		break;
	}
	st_call_free(&c);
	return r;
}

static void lines(void **state)
{
	struct st_call c;
	uint8_t b[64];
	size_t n;
	bool more;
	uint64_t v;

	(void)state;
	assert_int_equal(st_parse_line("[ 257] openat(-100, \"\\x2f\\x65\\x74\\x63\", 0x80000) = 3", &c), 0);
	assert_int_equal(c.nr, 257);
	assert_string_equal(c.name, "openat");
	assert_int_equal(c.nargs, 3);
	assert_true(st_num(c.args[0], &v) && (int64_t)v == -100);
	assert_true(st_str(c.args[1], b, &n, &more) && n == 4 && !memcmp(b, "/etc", 4) && !more);
	assert_true(st_num(c.args[2], &v) && v == 0x80000);
	assert_true(c.ret_known && c.ret == 3);
	st_call_free(&c);
	assert_int_equal(st_parse_line("[   0] read(9, 0x7ffd1234, 16) = -1 EBADF (Bad file descriptor)", &c), 0);
	assert_true(c.ret_known && c.ret == -9 && st_is_addr(c.args[1]));
	st_call_free(&c);
	assert_int_equal(st_parse_line("[ 231] exit_group(0)                    = ?", &c), 0);
	assert_false(c.ret_known);
	st_call_free(&c);
	assert_int_equal(st_parse_line("[   7] poll([{fd=3, events=0x1}], 1, -1) = ? ERESTARTSYS (To be restarted if "
				       "SA_RESTART is set)", &c), 0);
	assert_true(c.ret_known && c.ret == -512 && c.nargs == 3);
	st_call_free(&c);
	/* comments go, nested structures stay one argument, flags OR */
	assert_int_equal(st_parse_line("[  41] socket(0x1, 0x2|0x80000, 0) = 3", &c), 0);
	assert_true(st_num(c.args[1], &v) && v == 0x80002);
	st_call_free(&c);
	assert_int_equal(st_parse_line("[ 217] getdents64(3, 0x55 /* 4 entries */, 32768) = 112", &c), 0);
	assert_string_equal(c.args[1], "0x55");
	st_call_free(&c);
	assert_int_equal(st_parse_line("[  61] wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 11936", &c), 0);
	assert_int_equal(c.nargs, 4);
	assert_false(st_num(c.args[1], &v));
	assert_true(st_num(c.args[3], &v) && v == 0);
	st_call_free(&c);
	assert_int_equal(st_parse_line("--- SIGCHLD {si_signo=SIGCHLD} ---", &c), -1);
	assert_int_equal(st_parse_line("+++ exited with 0 +++", &c), -1);
}

static void paths_and_numbers(void **state)
{
	struct scap_bval v[8] = { { .u = 3 }, { .u = (uint64_t)-100 }, { .p = "/etc" }, { .u = 0x80000 }, { .u = 0 },
				  { .empty = true }, { .empty = true }, { .empty = true } };
	const char *line = "[ 257] openat(-100, \"\\x2f\\x65\\x74\\x63\", 0x80000) = 3";

	(void)state;
	build(SCAP_EV_OPENAT_X, v, 8);
	assert_int_equal(verdict(line, (const void *)ev, "res"), FLD_EQUAL);
	assert_int_equal(verdict(line, (const void *)ev, "dirfd"), FLD_EQUAL);
	assert_int_equal(verdict(line, (const void *)ev, "pathname"), FLD_EQUAL);
	assert_int_equal(verdict(line, (const void *)ev, "flags"), FLD_EQUAL);
	v[2].p = "/etd";
	build(SCAP_EV_OPENAT_X, v, 8);
	assert_int_equal(verdict(line, (const void *)ev, "pathname"), FLD_MISMATCH);
	/* cut and marked: the beginning of strace's, which is longer */
	v[2] = (struct scap_bval){ .p = "/et", .partial = true };
	build(SCAP_EV_OPENAT_X, v, 8);
	assert_int_equal(verdict(line, (const void *)ev, "pathname"), FLD_CUT);
	/* the same bytes unmarked: a value that lost its end silently */
	v[2] = (struct scap_bval){ .p = "/et" };
	build(SCAP_EV_OPENAT_X, v, 8);
	assert_int_equal(verdict(line, (const void *)ev, "pathname"), FLD_MISMATCH);
	/* unreadable to the engine (a page not resident at enter): a limit, not a match */
	v[2] = (struct scap_bval){ .empty = true, .partial = true };
	build(SCAP_EV_OPENAT_X, v, 8);
	assert_int_equal(verdict(line, (const void *)ev, "pathname"), FLD_UNREADABLE);
}

static void argv(void **state)
{
	struct scap_bval v[2] = { { .p = "/bin/ls" }, { .p = "ls\0-l\0", .len = 7 } };
	const char *two = "[  59] execve(\"\\x2f\", [\"\\x6c\\x73\", \"\\x2d\\x6c\"], []) = 0";
	const char *three = "[  59] execve(\"\\x2f\", [\"\\x6c\\x73\", \"\\x2d\\x6c\", \"\\x78\"], []) = 0";

	(void)state;
	build(SCAP_EV_EXECVE_E, v, 2);
	assert_int_equal(verdict(two, (const void *)ev, "argv"), FLD_EQUAL);
	/* strace has a third string: scap lost it without saying so */
	assert_int_equal(verdict(three, (const void *)ev, "argv"), FLD_MISMATCH);
	/* the count limit: the last kept string whole, the array marked */
	v[1].partial = true;
	build(SCAP_EV_EXECVE_E, v, 2);
	assert_int_equal(verdict(three, (const void *)ev, "argv"), FLD_CUT);
	assert_int_equal(verdict(two, (const void *)ev, "argv"), FLD_MISMATCH);
	/* the size limit: the last string cut */
	v[1] = (struct scap_bval){ .p = "ls\0-\0", .len = 6, .partial = true };
	build(SCAP_EV_EXECVE_E, v, 2);
	assert_int_equal(verdict(two, (const void *)ev, "argv"), FLD_CUT);
	/* NULL, [] and unreadable */
	v[1] = (struct scap_bval){ .empty = true };
	build(SCAP_EV_EXECVE_E, v, 2);
	assert_int_equal(verdict("[  59] execve(\"\\x2f\", NULL, NULL) = 0", (const void *)ev, "argv"), FLD_EQUAL);
	assert_int_equal(verdict("[  59] execve(\"\\x2f\", [], NULL) = 0", (const void *)ev, "argv"), FLD_MISMATCH);
	v[1] = (struct scap_bval){ .p = "", .len = 1 };
	build(SCAP_EV_EXECVE_E, v, 2);
	assert_int_equal(verdict("[  59] execve(\"\\x2f\", [], NULL) = 0", (const void *)ev, "argv"), FLD_EQUAL);
	assert_int_equal(verdict("[  59] execve(\"\\x2f\", NULL, NULL) = 0", (const void *)ev, "argv"), FLD_MISMATCH);
	v[1] = (struct scap_bval){ .empty = true, .partial = true };
	build(SCAP_EV_EXECVE_E, v, 2);
	assert_int_equal(verdict("[  59] execve(\"\\x2f\", 0x10, NULL) = -1 EFAULT (Bad address)", (const void *)ev,
				 "argv"), FLD_EQUAL);
}

static void sockaddrs(void **state)
{
	uint8_t sa[128];
	struct scap_bval v[3] = { { .u = 0 }, { .u = 3 } };
	char p108[109];

	(void)state;
	/* an abstract name holding a NUL, whole */
	v[2] = (struct scap_bval){ .p = sa, .len = scap_sa_unix(sa, "\0abs\0x", 6) };
	build(SCAP_EV_BIND_X, v, 3);
	assert_int_equal(verdict("[  49] bind(3, {sa_family=0x1, sun_path=@\"\\x61\\x62\\x73\\x00\\x78\"}, 8) = 0",
				 (const void *)ev, "addr"), FLD_EQUAL);
	/* the path "@abs": not the abstract name "abs" */
	assert_int_equal(verdict("[  49] bind(3, {sa_family=0x1, sun_path=\"\\x40\\x61\\x62\\x73\"}, 7) = 0",
				 (const void *)ev, "addr"), FLD_MISMATCH);
	v[2] = (struct scap_bval){ .p = sa, .len = scap_sa_unix(sa, "@abs", 4) };
	build(SCAP_EV_BIND_X, v, 3);
	assert_int_equal(verdict("[  49] bind(3, {sa_family=0x1, sun_path=\"\\x40\\x61\\x62\\x73\"}, 7) = 0",
				 (const void *)ev, "addr"), FLD_EQUAL);
	assert_int_equal(verdict("[  49] bind(3, {sa_family=0x1, sun_path=@\"\\x61\\x62\\x73\"}, 5) = 0",
				 (const void *)ev, "addr"), FLD_MISMATCH);
	/* 108 bytes without a NUL, and the same less its last byte */
	memset(p108, 'p', 108);
	p108[108] = 0;
	{
		char line[2048];
		int o = snprintf(line, sizeof(line), "[  49] bind(3, {sa_family=0x1, sun_path=\"");

		for (int i = 0; i < 108; i++)
			o += snprintf(line + o, sizeof(line) - (size_t)o, "\\x70");
		snprintf(line + o, sizeof(line) - (size_t)o, "\"}, 110) = 0");
		v[2] = (struct scap_bval){ .p = sa, .len = scap_sa_unix(sa, p108, 108) };
		build(SCAP_EV_BIND_X, v, 3);
		assert_int_equal(verdict(line, (const void *)ev, "addr"), FLD_EQUAL);
		v[2] = (struct scap_bval){ .p = sa, .len = scap_sa_unix(sa, p108, 107) };
		build(SCAP_EV_BIND_X, v, 3);
		assert_int_equal(verdict(line, (const void *)ev, "addr"), FLD_MISMATCH);
	}
	/* IPv4: address and port */
	v[2] = (struct scap_bval){ .p = sa, .len = scap_sa_inet(sa, (const uint8_t[]){ 127, 0, 0, 1 }, 0xdee5) };
	build(SCAP_EV_BIND_X, v, 3);
	assert_int_equal(verdict("[  49] bind(3, {sa_family=0x2, sin_port=\"\\xde\\xe5\", sin_addr=\"\\x7f\\x00\\x00\\x01\"}, "
				 "16) = 0", (const void *)ev, "addr"), FLD_EQUAL);
	assert_int_equal(verdict("[  49] bind(3, {sa_family=0x2, sin_port=\"\\xde\\xe6\", sin_addr=\"\\x7f\\x00\\x00\\x01\"}, "
				 "16) = 0", (const void *)ev, "addr"), FLD_MISMATCH);
}

static void buffers(void **state)
{
	static uint8_t big[100];
	struct scap_bval v[4] = { { .u = 100 }, { .u = 1 }, { .p = big, .len = 80, .partial = true }, { .u = 100 } };
	char line[1024];
	int o;

	(void)state;
	memset(big, 'a', sizeof(big));
	o = snprintf(line, sizeof(line), "[   1] write(1, \"");
	for (int i = 0; i < 100; i++)
		o += snprintf(line + o, sizeof(line) - (size_t)o, "\\x61");
	snprintf(line + o, sizeof(line) - (size_t)o, "\", 100) = 100");
	/* 80 of 100 bytes kept (the snaplen), marked */
	build(SCAP_EV_WRITE_X, v, 4);
	assert_int_equal(verdict(line, (const void *)ev, "buf"), FLD_CUT);
	v[2].partial = false;
	build(SCAP_EV_WRITE_X, v, 4);
	assert_int_equal(verdict(line, (const void *)ev, "buf"), FLD_MISMATCH);
	/* strace cut it too (its -s): the count says whether scap's is whole */
	v[2] = (struct scap_bval){ .p = big, .len = 100 };
	build(SCAP_EV_WRITE_X, v, 4);
	assert_int_equal(verdict(line, (const void *)ev, "buf"), FLD_EQUAL);
	assert_int_equal(verdict("[   1] write(1, \"\\x61\\x61\"..., 100) = 100", (const void *)ev, "buf"), FLD_EQUAL);
	v[2] = (struct scap_bval){ .p = big, .len = 2 };
	build(SCAP_EV_WRITE_X, v, 4);
	assert_int_equal(verdict("[   1] write(1, \"\\x61\\x61\"..., 100) = 100", (const void *)ev, "buf"), FLD_MISMATCH);
}

static void generic(void **state)
{
	uint64_t args[6] = { 0x7f0000001000, 0x89, 0, 0, 0, 0xffffffff };
	struct scap_bval v[3] = { { .u = 0 }, { .u = 202 }, { .p = args, .len = 48 } };

	(void)state;
	build(SCAP_EV_GENERIC_X, v, 3);
	/* futex prints val3 fifth: the arguments past its fourth are not compared */
	assert_int_equal(verdict("[ 202] futex(0x7f0000001000, 0x89, 0, NULL, 0xffffffff) = 0", (const void *)ev,
				 "args[1]"), FLD_EQUAL);
	assert_int_equal(verdict("[ 202] futex(0x7f0000001000, 0x89, 0, NULL, 0xffffffff) = 0", (const void *)ev,
				 "args[4]"), FLD_NRESULTS);
	assert_int_equal(verdict("[ 202] futex(0x7f0000001000, 0x89, 0, NULL, 0xffffffff) = 0", (const void *)ev,
				 "syscall"), FLD_EQUAL);
	/* an int argument is its 32 bits */
	args[0] = 0xffffffff;
	build(SCAP_EV_GENERIC_X, v, 3);
	assert_int_equal(verdict("[ 202] futex(-1, 0x89, 0, NULL, 0xffffffff) = 0", (const void *)ev, "args[0]"),
			 FLD_EQUAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines),
		cmocka_unit_test(paths_and_numbers),
		cmocka_unit_test(argv),
		cmocka_unit_test(sockaddrs),
		cmocka_unit_test(buffers),
		cmocka_unit_test(generic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
