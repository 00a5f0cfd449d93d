// SPDX-License-Identifier: Apache-2.0
/*
 * scap_event_format: the JSON object and the text line of every parameter
 * type, the text line's quoting, escapes, malformed and flagged events, and
 * snprintf semantics at every length around a line's end (the formatter
 * writes straight into the caller's buffer only when the room covers the
 * event's worst case, through scratch memory otherwise: both must agree).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "scap/event_builder.h"
#include "scap/flagsets.h"
#include "scap/fmt_write.h"

static uint8_t ev[80000];
static char line[1 << 20];

/* Builds event code with vals into ev (header h, or zeros). */
static const struct scap_event *build(uint16_t code, const struct scap_bhdr *h, const struct scap_bval *v, unsigned n)
{
	static const struct scap_bhdr zero;
	int len = scap_event_build(ev, sizeof(ev), code, h ? h : &zero, v, n);

	assert_true(len > 0);
	return (const struct scap_event *)ev;
}

static const char *fmt(const struct scap_event *e, enum scap_format f, unsigned cpu)
{
	int n = scap_event_format(e, cpu, f, line, sizeof(line), NULL);

	assert_int_equal(n, (int)strlen(line));
	return line;
}

#define JSON_HEAD(ev, dir) "{\"ts\":0,\"cpu\":0,\"tid\":0,\"pid\":0,\"event\":\"" ev "\",\"dir\":\"" dir "\",\"params\":{"

static void integers(void **state)
{
	struct scap_bval v[7] = {
		{ .u = 0x7f0000001000 }, { .u = 0x7f0000001000 }, { .u = 4096 },
		{ .u = PROT_READ | PROT_WRITE }, { .u = MAP_PRIVATE | MAP_ANONYMOUS }, { .u = (uint64_t)-1 },
		{ .u = (uint64_t)INT64_MIN },
	};
	const struct scap_bhdr h = { .ts = 18446744073709551615ull, .tid = 4294967295u, .pid = 1 };
	const struct scap_event *e = build(SCAP_EV_MMAP_X, &h, v, 7);

	(void)state;
	assert_string_equal(fmt(e, SCAP_FORMAT_JSON, 4294967295u),
			    "{\"ts\":18446744073709551615,\"cpu\":4294967295,\"tid\":4294967295,\"pid\":1,"
			    "\"event\":\"mmap\",\"dir\":\"exit\",\"params\":{\"res\":139637976731648,"
			    "\"addr\":\"0x7f0000001000\",\"length\":4096,\"prot\":\"PROT_READ|PROT_WRITE\","
			    "\"flags\":\"MAP_PRIVATE|MAP_ANONYMOUS\",\"fd\":-1,\"offset\":-9223372036854775808}}");
	assert_string_equal(fmt(e, SCAP_FORMAT_TEXT, 3),
			    "18446744073.709551615 3 4294967295 mmap exit res=139637976731648 addr=0x7f0000001000 "
			    "length=4096 prot=PROT_READ|PROT_WRITE flags=MAP_PRIVATE|MAP_ANONYMOUS fd=-1 "
			    "offset=-9223372036854775808");
}

static void ids_modes_and_errors(void **state)
{
	struct scap_bval open[8] = { { .u = (uint64_t)-2 }, { .u = (uint64_t)-100 }, { .p = "/etc/passwd" },
				     { .u = O_RDONLY | O_CLOEXEC }, { .u = 0 }, { .empty = true }, { .empty = true }, { .empty = true } };
	struct scap_bval uid[6] = { { .u = 0 }, { .u = 4294967295u }, { .u = 0 }, { .u = 0 }, { .u = 1000 }, { .u = 1000 } };
	/* clone3 in the parent: flags past bit 31 (FLAGS64), the child's context empty. */
	struct scap_bval clone3[14] = { { .u = 4242 }, { .u = 0x7ffd0000 }, { .u = 88 },
					{ .u = 0x200000000ull | 0x100 | 17 } };
	struct scap_bval gen[3] = { { .u = (uint64_t)-4095 }, { .u = 110 }, { .p = (uint64_t[6]){ 0, 1, 0xffffffffffffffffull, 0x10, 0x7f, 0x100000000ull }, .len = 48 } };
	const struct scap_bhdr h = { .ts = 1000000000ull * 5242 + 7, .tid = 48211, .pid = 48210 };
	const struct scap_event *e = build(SCAP_EV_OPENAT_X, &h, open, 8);

	(void)state;
	assert_string_equal(fmt(e, SCAP_FORMAT_JSON, 1),
			    "{\"ts\":5242000000007,\"cpu\":1,\"tid\":48211,\"pid\":48210,\"event\":\"openat\",\"dir\":\"exit\","
			    "\"params\":{\"res\":-2,\"dirfd\":-100,\"pathname\":\"/etc/passwd\",\"flags\":\"O_RDONLY|O_CLOEXEC\","
			    "\"mode\":\"0\",\"opened\":null,\"opened_dev\":null,\"opened_ino\":null}}");
	/* A result with an errno name holds a space: quoted. */
	assert_string_equal(fmt(e, SCAP_FORMAT_TEXT, 1),
			    "5242.000000007 1 48211 openat exit res=\"-2 ENOENT\" dirfd=AT_FDCWD pathname=/etc/passwd "
			    "flags=O_RDONLY|O_CLOEXEC mode=0 opened=NULL opened_dev=NULL opened_ino=NULL");
	e = build(SCAP_EV_SETUID_X, NULL, uid, 6);
	assert_string_equal(fmt(e, SCAP_FORMAT_TEXT, 0), "0.000000000 0 0 setuid exit res=0 uid=4294967295 cred_uid=0 "
			    "cred_euid=0 cred_gid=1000 cred_egid=1000");
	assert_string_equal(fmt(e, SCAP_FORMAT_JSON, 0), JSON_HEAD("setuid", "exit") "\"res\":0,\"uid\":4294967295,"
			    "\"cred_uid\":0,\"cred_euid\":0,\"cred_gid\":1000,\"cred_egid\":1000}}");
	for (unsigned i = 4; i < 14; i++)
		clone3[i].empty = true;
	e = build(SCAP_EV_CLONE3_X, NULL, clone3, 14);
	assert_string_equal(fmt(e, SCAP_FORMAT_JSON, 0), JSON_HEAD("clone3", "exit") "\"res\":4242,\"cl_args\":\"0x7ffd0000\","
			    "\"size\":88,\"flags\":\"SIGCHLD|CLONE_VM|CLONE_INTO_CGROUP\",\"ppid\":null,\"comm\":null,"
			    "\"exe\":null,\"uid\":null,\"gid\":null,\"euid\":null,\"cwd\":null,\"cgroup\":null,"
			    "\"vtid\":null,\"vpid\":null}}");
	/* The generic event: the syscall's name, -4095 has no name, args as a list. */
	e = build(SCAP_EV_GENERIC_X, NULL, gen, 3);
	assert_string_equal(fmt(e, SCAP_FORMAT_TEXT, 0),
			    "0.000000000 0 0 getppid exit res=-4095 syscall=110 "
			    "args=[0x0 0x1 0xffffffffffffffff 0x10 0x7f 0x100000000]");
	assert_string_equal(fmt(e, SCAP_FORMAT_JSON, 0),
			    JSON_HEAD("getppid", "exit") "\"res\":-4095,\"syscall\":110,"
			    "\"args\":[0,1,18446744073709551615,16,127,4294967296]}}");
}

#define P10 "/123456789"
#define P108 P10 P10 P10 P10 P10 P10 P10 P10 P10 P10 "/1234567"

static void sockets(void **state)
{
	uint8_t sa[128];
	const uint8_t lo[4] = { 127, 0, 0, 1 }, v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff, 10, 0, 0, 1 };
	struct scap_bval v[3] = { { .u = 0 }, { .u = 3 } };
	static const struct { const char *json, *text; } c[] = {
		{ "\"127.0.0.1:65535\"", "127.0.0.1:65535" },
		{ "\"[2001:db8::1]:0\"", "[2001:db8::1]:0" },
		{ "\"[::ffff:10.0.0.1]:443\"", "[::ffff:10.0.0.1]:443" },
		{ "\"/run/a b.sock\"", "\"/run/a b.sock\"" },
		{ "\"\\u0000abs ns\"", "\"\\x00abs ns\"" },
		{ "\"\\u0000NULL\"", "\"\\x00NULL\"" },
		{ "\"\"", "\"\"" },
		{ "\"/r\\\"\\n\"", "\"/r\\\"\\n\"" },
		/* an abstract name holding a NUL, whole; a path starting with '@' */
		{ "\"\\u0000name\\u0000rest\"", "\"\\x00name\\x00rest\"" },
		{ "\"@name\"", "@name" },
		/* 108 bytes without a NUL: every one */
		{ "\"" P108 "\"", P108 },
	};
	char want[512];
	uint32_t len = 0;
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		switch (i) {
		case 0: len = scap_sa_inet(sa, lo, 65535); break;
		case 1: len = scap_sa_inet6(sa, v6, 0); break;
		case 2: len = scap_sa_inet6(sa, mapped, 443); break;
		case 3: len = scap_sa_unix(sa, "/run/a b.sock", 13); break;
		case 4: len = scap_sa_unix(sa, "\0abs ns", 7); break;
		case 5: len = scap_sa_unix(sa, "\0NULL", 5); break;
		case 6: len = scap_sa_unix(sa, "", 0); break;
		case 7: len = scap_sa_unix(sa, "/r\"\n", 4); break;
		case 8: len = scap_sa_unix(sa, "\0name\0rest", 10); break;
		case 9: len = scap_sa_unix(sa, "@name", 5); break;
		case 10: len = scap_sa_unix(sa, P108, 108); break;
		}
		v[2] = (struct scap_bval){ .p = sa, .len = len };
		build(SCAP_EV_BIND_X, NULL, v, 3);
		snprintf(want, sizeof(want), JSON_HEAD("bind", "exit") "\"res\":0,\"sockfd\":3,\"addr\":%s}}", c[i].json);
		assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0), want);
		snprintf(want, sizeof(want), "0.000000000 0 0 bind exit res=0 sockfd=3 addr=%s", c[i].text);
		assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0), want);
	}
	sa[0] = SCAP_SA_UNSPEC;
	v[2] = (struct scap_bval){ .p = sa, .len = 1 };
	build(SCAP_EV_BIND_X, NULL, v, 3);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0), "0.000000000 0 0 bind exit res=0 sockfd=3 addr=AF_UNSPEC");
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0),
			    JSON_HEAD("bind", "exit") "\"res\":0,\"sockfd\":3,\"addr\":\"AF_UNSPEC\"}}");
}

/* One string parameter (unlink's pathname) in both formats. */
static void check_path(const char *path, size_t len, const char *json, const char *text)
{
	struct scap_bval v[2] = { { .u = 0 }, { .p = path, .len = (uint32_t)len } };
	char want[4096];

	build(SCAP_EV_UNLINK_X, NULL, v, 2);
	snprintf(want, sizeof(want), JSON_HEAD("unlink", "exit") "\"res\":0,\"pathname\":%s}}", json);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0), want);
	snprintf(want, sizeof(want), "0.000000000 0 0 unlink exit res=0 pathname=%s", text);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0), want);
}

static void strings_and_quoting(void **state)
{
	(void)state;
	check_path("/tmp/plain", 11, "\"/tmp/plain\"", "/tmp/plain");
	check_path("", 1, "\"\"", "\"\"");
	check_path("NULL", 5, "\"NULL\"", "\"NULL\"");
	check_path("NULLx", 6, "\"NULLx\"", "NULLx");
	check_path("a b", 4, "\"a b\"", "\"a b\"");
	check_path("say \"hi\"", 9, "\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\"");
	check_path("back\\slash", 11, "\"back\\\\slash\"", "\"back\\\\slash\"");
	check_path("tab\there\r\n", 11, "\"tab\\there\\r\\n\"", "\"tab\\there\\r\\n\"");
	check_path("\x01\x1f\x7f", 4, "\"\\u0001\\u001f\\u007f\"", "\"\\x01\\x1f\\x7f\"");
	check_path("[x]", 4, "\"[x]\"", "[x]");
	/* UTF-8 passes; invalid bytes are \u00XX in JSON, as they are in text. */
	check_path("caf\xc3\xa9 \xf0\x9f\x98\x80", 11, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	check_path("\xff\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82", 13,
		   "\"\\u00ff\\u00c0\\u00af\\u00ed\\u00a0\\u0080\\u00f4\\u0090\\u0080\\u0080\\u00e2\\u0082\"",
		   "\xff\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82");
	/* JSON stops at an embedded NUL; text shows it. */
	check_path("a\0b", 4, "\"a\"", "\"a\\x00b\"");
}

/* Every position of a special byte in and around an 8-byte word. */
static void escapes_at_every_offset(void **state)
{
	char path[40], json[200], text[200];
	unsigned pos, len;

	(void)state;
	for (len = 1; len < 40; len++) {
		for (pos = 0; pos < len; pos++) {
			memset(path, 'a', len);
			path[len] = '\0';
			path[pos] = '"';
			snprintf(json, sizeof(json), "\"%.*s\\\"%s\"", pos, path, path + pos + 1);
			snprintf(text, sizeof(text), "\"%.*s\\\"%s\"", pos, path, path + pos + 1);
			check_path(path, len + 1, json, text);
			path[pos] = (char)0xe9; /* a lone continuation-less lead byte */
			snprintf(json, sizeof(json), "\"%.*s\\u00e9%s\"", pos, path, path + pos + 1);
			check_path(path, len + 1, json, path);
		}
	}
}

static void byte_buffers(void **state)
{
	struct scap_bval v[4] = { { .u = 6 }, { .u = 1 }, { .p = "a b\xff\0\\", .len = 6 }, { .u = 6 } };

	(void)state;
	build(SCAP_EV_WRITE_X, NULL, v, 4);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0),
			    "0.000000000 0 0 write exit res=6 fd=1 buf=\"a b\\xff\\x00\\\\\" count=6");
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0),
			    JSON_HEAD("write", "exit") "\"res\":6,\"fd\":1,\"buf\":\"a b\\u00ff\\u0000\\\\\",\"count\":6}}");
	/* Bytes >= 0x80 alone make a buffer quoted; a string keeps them. */
	v[2] = (struct scap_bval){ .p = "\xc3\xa9", .len = 2 };
	build(SCAP_EV_WRITE_X, NULL, v, 4);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0),
			    "0.000000000 0 0 write exit res=6 fd=1 buf=\"\\xc3\\xa9\" count=6");
	v[2] = (struct scap_bval){ .empty = true };
	build(SCAP_EV_WRITE_X, NULL, v, 4);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0), "0.000000000 0 0 write exit res=6 fd=1 buf=NULL count=6");
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0),
			    JSON_HEAD("write", "exit") "\"res\":6,\"fd\":1,\"buf\":null,\"count\":6}}");
}

static void string_arrays(void **state)
{
	struct scap_bval v[2] = { { .p = "/bin/sh" }, { .p = "sh\0-c\0echo a]\0\0NULL\0x]y\0", .len = 25 } };

	(void)state;
	build(SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0),
			    "0.000000000 0 0 execve enter pathname=/bin/sh argv=[sh -c \"echo a]\" \"\" \"NULL\" \"x]y\"]");
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0),
			    JSON_HEAD("execve", "enter") "\"pathname\":\"/bin/sh\",\"argv\":[\"sh\",\"-c\",\"echo a]\",\"\",\"NULL\",\"x]y\"]}}");
	/* [""], [], NULL and unreadable: four different outputs */
	v[1] = (struct scap_bval){ .p = "\0", .len = 2 };
	build(SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0), "0.000000000 0 0 execve enter pathname=/bin/sh argv=[\"\"]");
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0), JSON_HEAD("execve", "enter") "\"pathname\":\"/bin/sh\",\"argv\":[\"\"]}}");
	v[1] = (struct scap_bval){ .p = "", .len = 1 };
	build(SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0), "0.000000000 0 0 execve enter pathname=/bin/sh argv=[]");
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0), JSON_HEAD("execve", "enter") "\"pathname\":\"/bin/sh\",\"argv\":[]}}");
	v[1] = (struct scap_bval){ .empty = true };
	build(SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0), "0.000000000 0 0 execve enter pathname=/bin/sh argv=NULL");
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0), JSON_HEAD("execve", "enter") "\"pathname\":\"/bin/sh\",\"argv\":null}}");
	v[1] = (struct scap_bval){ .empty = true, .partial = true };
	build(SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0), "0.000000000 0 0 execve enter pathname=/bin/sh argv=<unreadable>");
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0),
			    JSON_HEAD("execve", "enter") "\"pathname\":\"/bin/sh\",\"argv\":null},\"unreadable\":[\"argv\"]}");
	/* A string that reads like those marks is quoted. */
	v[0] = (struct scap_bval){ .p = "<unreadable>" };
	v[1] = (struct scap_bval){ .p = "NULL\0<unreadable>\0", .len = 19 };
	build(SCAP_EV_EXECVE_E, NULL, v, 2);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0),
			    "0.000000000 0 0 execve enter pathname=\"<unreadable>\" argv=[\"NULL\" \"<unreadable>\"]");
}

static void flags_marks(void **state)
{
	struct scap_bval v[2] = { { .u = 0 }, { .p = "/x", .partial = true } };
	struct scap_bval x[14] = { { .u = 0 }, { .empty = true, .partial = true }, { .p = "a\0b\0", .len = 5, .partial = true },
				   { .p = "d/e", .partial = true }, { .p = "e" }, { .u = 1 }, { .u = 0 }, { .u = 0 },
				   { .p = "/" }, { .p = "/" }, { .u = 0 }, { .u = 0 }, { .u = 4294967295u }, { .u = 9 } };
	const struct scap_bhdr h = { .flags = SCAP_EVF_TOCTOU | SCAP_EVF_ENTER_UNREAD };

	(void)state;
	build(SCAP_EV_UNLINK_X, &h, v, 2);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0),
			    "0.000000000 0 0 unlink exit res=0 pathname=/x [toctou] [truncated] [enter_unreadable]");
	/* JSON names the cut values, for a program to read. */
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0),
			    JSON_HEAD("unlink", "exit") "\"res\":0,\"pathname\":\"/x\"},\"truncated\":[\"pathname\"],"
			    "\"toctou\":true,\"enter_unreadable\":true}");
	/* Several: cut argv and exe, unreadable pathname. */
	build(SCAP_EV_EXECVE_X, NULL, x, 14);
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_TEXT, 0),
			    "0.000000000 0 0 execve exit res=0 pathname=<unreadable> argv=[a b] exe=d/e comm=e ppid=1 "
			    "uid=0 gid=0 cwd=/ cgroup=/ euid=0 egid=0 loginuid=4294967295 old_tid=9 [truncated]");
	assert_string_equal(fmt((const void *)ev, SCAP_FORMAT_JSON, 0),
			    JSON_HEAD("execve", "exit") "\"res\":0,\"pathname\":null,\"argv\":[\"a\",\"b\"],\"exe\":\"d/e\","
			    "\"comm\":\"e\",\"ppid\":1,\"uid\":0,\"gid\":0,\"cwd\":\"/\",\"cgroup\":\"/\",\"euid\":0,"
			    "\"egid\":0,\"loginuid\":4294967295,\"old_tid\":9},"
			    "\"truncated\":[\"argv\",\"exe\"],\"unreadable\":[\"pathname\"]}");
}

static void malformed(void **state)
{
	struct scap_bval v[4] = { { .u = 1 }, { .u = 2 }, { .p = "ab", .len = 2 }, { .u = 3 } };
	struct scap_bval u[2] = { { .u = 0 }, { .p = "abc", .len = 3 } }; /* a path without its NUL */
	unsigned bad = 99;
	uint16_t type = 60000;

	(void)state;
	build(SCAP_EV_UNLINK_X, NULL, u, 2);
	assert_int_equal(scap_event_format((const void *)ev, 0, SCAP_FORMAT_TEXT, line, sizeof(line), &bad),
			 (int)strlen("0.000000000 0 0 unlink exit res=0 param1=<malformed>"));
	assert_string_equal(line, "0.000000000 0 0 unlink exit res=0 param1=<malformed>");
	assert_int_equal(bad, 1);
	scap_event_format((const void *)ev, 0, SCAP_FORMAT_JSON, line, sizeof(line), &bad);
	assert_string_equal(line, JSON_HEAD("unlink", "exit") "\"res\":0,\"_malformed\":true}}");
	assert_int_equal(bad, 1);
	/* An unknown type: every parameter the header announces is malformed. */
	build(SCAP_EV_WRITE_X, NULL, v, 4);
	memcpy(ev + offsetof(struct scap_evt_hdr, type), &type, 2);
	scap_event_format((const void *)ev, 0, SCAP_FORMAT_TEXT, line, sizeof(line), &bad);
	assert_string_equal(line, "0.000000000 0 0 unknown exit param0=<malformed> param1=<malformed> "
				  "param2=<malformed> param3=<malformed>");
	assert_int_equal(bad, 4);
	scap_event_format((const void *)ev, 0, SCAP_FORMAT_JSON, line, sizeof(line), &bad);
	assert_string_equal(line, JSON_HEAD("unknown", "exit") "\"_malformed\":true}}");
	assert_int_equal(scap_event_format(NULL, 0, SCAP_FORMAT_JSON, line, sizeof(line), &bad), -EINVAL);
	assert_int_equal(scap_event_format((const void *)ev, 0, (enum scap_format)7, line, sizeof(line), &bad), -EINVAL);
}

/* Every length around the end of a line gives its prefix and the same return. */
static void check_all_lengths(const struct scap_event *e, enum scap_format f)
{
	static char full[1 << 19], cut[1 << 19];
	int n = scap_event_format(e, 0, f, full, sizeof(full), NULL);
	size_t len;

	assert_true(n > 0 && (size_t)n < sizeof(full));
	assert_int_equal(scap_event_format(e, 0, f, NULL, 0, NULL), n);
	for (len = 0; len <= (size_t)n + 2; len += (len < 64 || len + 80 > (size_t)n) ? 1 : 997) {
		memset(cut, 'Z', sizeof(cut));
		assert_int_equal(scap_event_format(e, 0, f, cut, len, NULL), n);
		if (len) {
			size_t k = len - 1 < (size_t)n ? len - 1 : (size_t)n;

			assert_memory_equal(cut, full, k);
			assert_int_equal(cut[k], '\0');
		}
		assert_int_equal(cut[len], 'Z');
	}
}

static void buffer_limits(void **state)
{
	static uint8_t big[SCAP_MAX_PARAM_LEN];
	struct scap_bval v[4] = { { .u = 6 }, { .u = 1 }, { .p = big, .len = sizeof(big) }, { .u = 6 } };
	struct scap_bval m[7] = { { .u = 1 }, { .u = 2 }, { .u = 3 }, { .u = 0xffffffff }, { .u = 0xffffffff },
				  { .u = 5 }, { .u = 6 } };
	unsigned i;

	(void)state;
	/* The worst case: every byte escaped (\u00XX in JSON, \xNN in text). */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(0x80 + i % 64);
	build(SCAP_EV_WRITE_X, NULL, v, 4);
	check_all_lengths((const void *)ev, SCAP_FORMAT_JSON);
	check_all_lengths((const void *)ev, SCAP_FORMAT_TEXT);
	assert_int_equal(scap_event_format((const void *)ev, 0, SCAP_FORMAT_JSON, NULL, 0, NULL),
			 (int)strlen(JSON_HEAD("write", "exit") "\"res\":6,\"fd\":1,\"buf\":\"\",\"count\":6}}") + 6 * SCAP_MAX_PARAM_LEN);
	/* Long flag texts (every bit set) go through the checked writer. */
	build(SCAP_EV_MMAP_X, NULL, m, 7);
	check_all_lengths((const void *)ev, SCAP_FORMAT_JSON);
	check_all_lengths((const void *)ev, SCAP_FORMAT_TEXT);
	assert_int_equal(scap_event_format_json((const void *)ev, 0, line, sizeof(line)),
			 scap_event_format((const void *)ev, 0, SCAP_FORMAT_JSON, NULL, 0, NULL));
}

/* The writers against printf, on edges and pseudo-random values. */
static void integer_writers(void **state)
{
	uint64_t x = 88172645463325252ull, v;
	char a[64], b[64];
	unsigned i, k;

	(void)state;
	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = x >> (x % 64);
		if (i < 100)
			v = i;
		else if (i < 140)
			for (v = 1, k = 0; k < (i - 100) / 2; k++)
				v *= 10;
		if (i >= 100 && i < 140 && (i & 1))
			v--;
		*fw_u64(a, v) = '\0';
		snprintf(b, sizeof(b), "%" PRIu64, v);
		assert_string_equal(a, b);
		*fw_i64(a, (int64_t)v) = '\0';
		snprintf(b, sizeof(b), "%" PRId64, (int64_t)v);
		assert_string_equal(a, b);
		*fw_hex(a, v) = '\0';
		snprintf(b, sizeof(b), "0x%" PRIx64, v);
		assert_string_equal(a, b);
		*fw_oct(a, (uint32_t)v) = '\0';
		snprintf(b, sizeof(b), "%#" PRIo32, (uint32_t)v);
		assert_string_equal(a, b);
		*fw_dec9(a, (uint32_t)(v % 1000000000u)) = '\0';
		snprintf(b, sizeof(b), "%09" PRIu64, v % 1000000000u);
		assert_string_equal(a, b);
	}
	*fw_u64(a, UINT64_MAX) = '\0';
	assert_string_equal(a, "18446744073709551615");
	*fw_i64(a, INT64_MIN) = '\0';
	assert_string_equal(a, "-9223372036854775808");
}

/* The formatter writes names, keys and flag symbols without escaping them. */
#define SYM_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
static void names_need_no_escaping(void **state)
{
	unsigned c, i, fs;
	int nr;

	(void)state;
	for (c = 0; c < SCAP_EV_MAX; c++) {
		const struct scap_event_info *info = scap_event_info(c);

		if (!info->name)
			continue;
		assert_int_equal(strspn(info->name, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(info->name));
		for (i = 0; i < info->nparams; i++)
			assert_int_equal(strspn(info->params[i].name, "abcdefghijklmnopqrstuvwxyz0123456789_"),
					 strlen(info->params[i].name));
	}
	for (fs = 0; fs < SCAP_FS_MAX; fs++) {
		const struct scap_flagset_desc *d = scap__flagset(fs);

		for (i = 0; d && i < d->nflags; i++)
			assert_int_equal(strspn(d->flags[i].name, SYM_CHARS), strlen(d->flags[i].name));
		for (i = 0; d && i < d->nenums; i++)
			assert_int_equal(strspn(d->enums[i].name, SYM_CHARS), strlen(d->enums[i].name));
		if (d && d->zero)
			assert_int_equal(strspn(d->zero, SYM_CHARS), strlen(d->zero));
	}
	for (nr = 0; nr < 1024; nr++) {
		const char *n = scap_syscall_name(nr);

		if (n)
			assert_int_equal(strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(n));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers),
		cmocka_unit_test(ids_modes_and_errors),
		cmocka_unit_test(sockets),
		cmocka_unit_test(strings_and_quoting),
		cmocka_unit_test(escapes_at_every_offset),
		cmocka_unit_test(byte_buffers),
		cmocka_unit_test(string_arrays),
		cmocka_unit_test(flags_marks),
		cmocka_unit_test(malformed),
		cmocka_unit_test(buffer_limits),
		cmocka_unit_test(integer_writers),
		cmocka_unit_test(names_need_no_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
