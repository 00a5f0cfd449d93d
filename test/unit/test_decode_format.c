// SPDX-License-Identifier: Apache-2.0
/* Parameters as text and events as JSON: exact strings a user would see. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "scap/event_builder.h"
#include "scap/flagsets.h"

static char out[4096];

/* Formats a fake parameter of type t (aux) holding an integer. */
static const char *fmt_int(enum scap_param_type t, unsigned aux, uint64_t v)
{
	uint8_t raw[8];
	struct scap_param p = { .name = "x", .type = t, .aux = aux, .data = raw, .len = 8 };

	memcpy(raw, &v, 8);
	p.v.u = v;
	if (t == SCAP_PT_ENUM32)
		p.v.i = (int32_t)v;
	scap_param_format(&p, out, sizeof(out));
	return out;
}

static const char *fmt_bytes(enum scap_param_type t, const void *d, uint32_t len)
{
	struct scap_param p = { .name = "x", .type = t, .data = d, .len = len, .str = d };

	scap_param_format(&p, out, sizeof(out));
	return out;
}

static void flags_text(void **state)
{
	(void)state;
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_OPEN, O_WRONLY | O_CREAT | O_CLOEXEC),
			    "O_WRONLY|O_CREAT|O_CLOEXEC");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_OPEN, 0), "O_RDONLY");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_OPEN, O_RDWR | O_EXCL | O_TRUNC | O_APPEND),
			    "O_RDWR|O_EXCL|O_TRUNC|O_APPEND");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_OPEN, O_RDONLY | O_SYNC), "O_RDONLY|O_SYNC");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_OPEN, O_DSYNC), "O_RDONLY|O_DSYNC");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_OPEN, O_TMPFILE | O_RDWR), "O_RDWR|O_TMPFILE");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_OPEN, O_DIRECTORY | O_NOFOLLOW | O_PATH),
			    "O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_PATH");
	/* leftover bits in hex, an impossible access mode in hex */
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_OPEN, O_RDWR | 0x80000000u), "O_RDWR|0x80000000");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_OPEN, 3), "0x3");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_AT, AT_REMOVEDIR), "AT_REMOVEDIR");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_AT, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH),
			    "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_AT, 0), "0");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_SOCK_TYPE, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC),
			    "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_SOCK_TYPE, SOCK_DGRAM), "SOCK_DGRAM");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_CLONE,
				    CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD),
			    "SIGCHLD|CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_CLONE,
				    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
				    CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID),
			    "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
			    "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_PROT, 0), "PROT_NONE");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_PROT, PROT_READ | PROT_EXEC), "PROT_READ|PROT_EXEC");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_MAP, MAP_PRIVATE | MAP_ANONYMOUS),
			    "MAP_PRIVATE|MAP_ANONYMOUS");
	assert_string_equal(fmt_int(SCAP_PT_FLAGS32, SCAP_FS_MOUNT, MS_BIND | MS_REC), "MS_BIND|MS_REC");
}

static void enums_text(void **state)
{
	(void)state;
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SOCK_DOMAIN, AF_INET6), "AF_INET6");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SOCK_DOMAIN, AF_UNIX), "AF_UNIX");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SOCK_DOMAIN, 99), "99");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SIGNAL, SIGKILL), "SIGKILL");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_FCNTL_CMD, F_DUPFD_CLOEXEC), "F_DUPFD_CLOEXEC");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SHUTDOWN_HOW, SHUT_RDWR), "SHUT_RDWR");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SOCKOPT_LEVEL, SOL_SOCKET), "SOL_SOCKET");
}

/* The tables are numbers; they must equal this (x86_64 Linux) host's headers. */
static void tables_match_host_headers(void **state)
{
	static const struct { unsigned fs; uint32_t v; const char *name; } c[] = {
		{ SCAP_FS_OPEN, O_CREAT, "O_RDONLY|O_CREAT" }, { SCAP_FS_OPEN, O_EXCL, "O_RDONLY|O_EXCL" },
		{ SCAP_FS_OPEN, O_NOCTTY, "O_RDONLY|O_NOCTTY" }, { SCAP_FS_OPEN, O_NONBLOCK, "O_RDONLY|O_NONBLOCK" },
		{ SCAP_FS_OPEN, O_ASYNC, "O_RDONLY|O_ASYNC" }, { SCAP_FS_OPEN, O_DIRECT, "O_RDONLY|O_DIRECT" },
		{ SCAP_FS_OPEN, O_NOATIME, "O_RDONLY|O_NOATIME" }, { SCAP_FS_OPEN, O_CLOEXEC, "O_RDONLY|O_CLOEXEC" },
		{ SCAP_FS_AT, AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW" }, { SCAP_FS_AT, AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT" },
		{ SCAP_FS_SOCK_TYPE, SOCK_RAW, "SOCK_RAW" }, { SCAP_FS_SOCK_TYPE, SOCK_SEQPACKET, "SOCK_SEQPACKET" },
		{ SCAP_FS_CLONE, CLONE_NEWUSER, "CLONE_NEWUSER" }, { SCAP_FS_CLONE, CLONE_NEWPID, "CLONE_NEWPID" },
		{ SCAP_FS_CLONE, CLONE_NEWNET, "CLONE_NEWNET" }, { SCAP_FS_CLONE, CLONE_VFORK, "CLONE_VFORK" },
		{ SCAP_FS_CLONE, CLONE_PIDFD, "CLONE_PIDFD" }, { SCAP_FS_CLONE, CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
		{ SCAP_FS_CLONE, CLONE_IO, "CLONE_IO" }, { SCAP_FS_CLONE, CLONE_NEWNS, "CLONE_NEWNS" },
		{ SCAP_FS_MAP, MAP_SHARED | MAP_FIXED, "MAP_SHARED|MAP_FIXED" },
		{ SCAP_FS_MAP, MAP_PRIVATE | MAP_STACK | MAP_HUGETLB, "MAP_PRIVATE|MAP_STACK|MAP_HUGETLB" },
		{ SCAP_FS_MOUNT, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC" },
		{ SCAP_FS_MOUNT, MS_PRIVATE | MS_SLAVE | MS_SHARED, "MS_PRIVATE|MS_SLAVE|MS_SHARED" },
		{ SCAP_FS_MSG, MSG_NOSIGNAL | MSG_DONTWAIT, "MSG_DONTWAIT|MSG_NOSIGNAL" },
		{ SCAP_FS_NS, CLONE_NEWUTS | CLONE_NEWIPC, "CLONE_NEWUTS|CLONE_NEWIPC" },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		assert_string_equal(fmt_int(SCAP_PT_FLAGS32, c[i].fs, c[i].v), c[i].name);
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SOCK_DOMAIN, AF_NETLINK), "AF_NETLINK");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SOCK_DOMAIN, AF_PACKET), "AF_PACKET");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SOCK_DOMAIN, AF_VSOCK), "AF_VSOCK");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SIGNAL, SIGCHLD), "SIGCHLD");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_SIGNAL, SIGSYS), "SIGSYS");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_FCNTL_CMD, F_SETPIPE_SZ), "F_SETPIPE_SZ");
	assert_string_equal(fmt_int(SCAP_PT_ENUM32, SCAP_FS_FCNTL_CMD, F_OFD_SETLKW), "F_OFD_SETLKW");
}

static void integers_text(void **state)
{
	(void)state;
	assert_string_equal(fmt_int(SCAP_PT_MODE, 0, 0640), "0640");
	assert_string_equal(fmt_int(SCAP_PT_MODE, 0, 04755), "04755");
	assert_string_equal(fmt_int(SCAP_PT_MODE, 0, 0), "0");
	assert_string_equal(fmt_int(SCAP_PT_FD, 0, (uint64_t)-100), "AT_FDCWD");
	assert_string_equal(fmt_int(SCAP_PT_FD, 0, 5), "5");
	assert_string_equal(fmt_int(SCAP_PT_FD, 0, (uint64_t)-1), "-1");
	assert_string_equal(fmt_int(SCAP_PT_RES, 0, (uint64_t)-2), "-2 ENOENT");
	assert_string_equal(fmt_int(SCAP_PT_RES, 0, (uint64_t)-13), "-13 EACCES");
	assert_string_equal(fmt_int(SCAP_PT_RES, 0, (uint64_t)-512), "-512 ERESTARTSYS");
	assert_string_equal(fmt_int(SCAP_PT_RES, 0, (uint64_t)-4095), "-4095");
	assert_string_equal(fmt_int(SCAP_PT_RES, 0, (uint64_t)-5000), "-5000");
	assert_string_equal(fmt_int(SCAP_PT_RES, 0, 3), "3");
	assert_string_equal(fmt_int(SCAP_PT_ADDR, 0, 0x7ffd1234), "0x7ffd1234");
	assert_string_equal(fmt_int(SCAP_PT_UID, 0, 1000), "1000");
	assert_string_equal(fmt_int(SCAP_PT_INT64, 0, (uint64_t)-7), "-7");
	assert_string_equal(fmt_int(SCAP_PT_UINT64, 0, UINT64_MAX), "18446744073709551615");
}

static void strings_text(void **state)
{
	uint8_t sa[64];
	const uint8_t lo[4] = { 127, 0, 0, 1 }, lo6[16] = { [15] = 1 };
	uint64_t args[6] = { 1, 2, 0x7fff0000, 0, 0, 255 };
	struct scap_param empty = { .name = "x", .type = SCAP_PT_PATH };

	(void)state;
	assert_string_equal(fmt_bytes(SCAP_PT_SOCKADDR, sa, scap_sa_inet(sa, lo, 8080)), "127.0.0.1:8080");
	assert_string_equal(fmt_bytes(SCAP_PT_SOCKADDR, sa, scap_sa_inet6(sa, lo6, 8080)), "[::1]:8080");
	assert_string_equal(fmt_bytes(SCAP_PT_SOCKADDR, sa, scap_sa_unix(sa, "/run/x.sock", 11)), "/run/x.sock");
	/* sun_path's bytes whole: an abstract name's NULs, a path's leading '@' */
	assert_string_equal(fmt_bytes(SCAP_PT_SOCKADDR, sa, scap_sa_unix(sa, "\0abs", 4)), "\\x00abs");
	assert_string_equal(fmt_bytes(SCAP_PT_SOCKADDR, sa, scap_sa_unix(sa, "\0ab\0cd", 6)), "\\x00ab\\x00cd");
	assert_string_equal(fmt_bytes(SCAP_PT_SOCKADDR, sa, scap_sa_unix(sa, "@abs", 4)), "@abs");
	assert_string_equal(fmt_bytes(SCAP_PT_BYTEBUF, "a\n\0\xff\\z", 6), "a\\n\\x00\\xff\\\\z");
	assert_string_equal(fmt_bytes(SCAP_PT_PATH, "/tmp/new\nline", 14), "/tmp/new\\nline");
	assert_string_equal(fmt_bytes(SCAP_PT_PATH, "/tmp/café", 11), "/tmp/café");
	assert_string_equal(fmt_bytes(SCAP_PT_STRARRAY, "ls\0-l\0/tmp\0", 12), "ls -l /tmp");
	assert_string_equal(fmt_bytes(SCAP_PT_ARGS, args, 48), "0x1 0x2 0x7fff0000 0x0 0x0 0xff");
	scap_param_format(&empty, out, sizeof(out));
	assert_string_equal(out, "NULL");
	empty.state = SCAP_PARAM_UNREADABLE;
	scap_param_format(&empty, out, sizeof(out));
	assert_string_equal(out, "<unreadable>");
}

static void snprintf_semantics(void **state)
{
	char small[8];
	uint8_t raw[4];
	uint32_t v = O_WRONLY | O_CREAT | O_CLOEXEC;
	struct scap_param p = { .name = "flags", .type = SCAP_PT_FLAGS32, .aux = SCAP_FS_OPEN, .data = raw, .len = 4 };

	(void)state;
	memcpy(raw, &v, 4);
	p.v.u = v;
	assert_int_equal(scap_param_format(&p, small, sizeof(small)), 26);
	assert_string_equal(small, "O_WRONL");
	assert_int_equal(scap_param_format(&p, NULL, 0), 26);
}

static void json_openat(void **state)
{
	struct scap_bval v[8] = {
		{ .u = 3 }, { .u = (uint64_t)-100 }, { .p = "/tmp/a \"b\"\\c" },
		{ .u = O_WRONLY | O_CREAT | O_CLOEXEC }, { .u = 0640 },
		{ .p = "/var/tmp/a \"b\"\\c" }, { .u = 2049 }, { .u = 131074 },
	};
	struct scap_bhdr h = { .ts = 123456789, .tid = 42, .pid = 41, .flags = SCAP_EVF_TOCTOU };
	uint8_t b[256];
	char j[1024];
	int n;

	(void)state;
	assert_true(scap_event_build(b, sizeof(b), SCAP_EV_OPENAT_X, &h, v, 8) > 0);
	n = scap_event_format_json((const void *)b, 1, j, sizeof(j));
	assert_string_equal(j, "{\"ts\":123456789,\"cpu\":1,\"tid\":42,\"pid\":41,\"event\":\"openat\",\"dir\":\"exit\","
			       "\"params\":{\"res\":3,\"dirfd\":-100,\"pathname\":\"/tmp/a \\\"b\\\"\\\\c\","
			       "\"flags\":\"O_WRONLY|O_CREAT|O_CLOEXEC\",\"mode\":\"0640\","
			       "\"opened\":\"/var/tmp/a \\\"b\\\"\\\\c\",\"opened_dev\":2049,\"opened_ino\":131074},"
			       "\"toctou\":true}");
	assert_int_equal(n, (int)strlen(j));
	/* cut short: still NUL-terminated, same needed length */
	assert_int_equal(scap_event_format_json((const void *)b, 1, j, 10), n);
	assert_int_equal(strlen(j), 9);
}

static void json_types(void **state)
{
	uint8_t b[512], sa[32];
	const uint8_t lo[4] = { 10, 0, 0, 1 };
	uint64_t args[6] = { 1, 2, 3, 4, 5, 6 };
	char j[2048];

	(void)state;
	{ /* connect enter: sockaddr; empty sockfd -> null */
		struct scap_bval v[2] = { { .empty = true }, { .p = sa, .len = scap_sa_inet(sa, lo, 443) } };

		scap_event_build(b, sizeof(b), SCAP_EV_CONNECT_E, &(struct scap_bhdr){ .ts = 5 }, v, 2);
		scap_event_format_json((const void *)b, 0, j, sizeof(j));
		assert_string_equal(j, "{\"ts\":5,\"cpu\":0,\"tid\":0,\"pid\":0,\"event\":\"connect\",\"dir\":\"enter\","
				       "\"params\":{\"sockfd\":null,\"addr\":\"10.0.0.1:443\"}}");
	}
	{ /* write: bytes with control, NUL, invalid and valid UTF-8 */
		struct scap_bval v[4] = { { .u = 6 }, { .u = 1 }, { .p = "a\n\0\xff\xc3\xa9", .len = 6 }, { .u = 6 } };

		scap_event_build(b, sizeof(b), SCAP_EV_WRITE_X, NULL, v, 4);
		scap_event_format_json((const void *)b, 0, j, sizeof(j));
		assert_string_equal(j, "{\"ts\":0,\"cpu\":0,\"tid\":0,\"pid\":0,\"event\":\"write\",\"dir\":\"exit\","
				       "\"params\":{\"res\":6,\"fd\":1,\"buf\":\"a\\n\\u0000\\u00ff\xc3\xa9\",\"count\":6}}");
	}
	{ /* execve enter: strarray */
		struct scap_bval v[2] = { { .p = "/bin/ls" }, { .p = "ls\0-l\0\x01\0", .len = 9 } };

		scap_event_build(b, sizeof(b), SCAP_EV_EXECVE_E, NULL, v, 2);
		scap_event_format_json((const void *)b, 0, j, sizeof(j));
		assert_string_equal(j, "{\"ts\":0,\"cpu\":0,\"tid\":0,\"pid\":0,\"event\":\"execve\",\"dir\":\"enter\","
				       "\"params\":{\"pathname\":\"/bin/ls\",\"argv\":[\"ls\",\"-l\",\"\\u0001\"]}}");
	}
	{ /* generic: the carried syscall's name, args as numbers */
		struct scap_bval v[3] = { { .u = (uint64_t)-38 }, { .u = 39 }, { .p = args, .len = 48 } };

		scap_event_build(b, sizeof(b), SCAP_EV_GENERIC_X, NULL, v, 3);
		scap_event_format_json((const void *)b, 2, j, sizeof(j));
		assert_string_equal(j, "{\"ts\":0,\"cpu\":2,\"tid\":0,\"pid\":0,\"event\":\"getpid\",\"dir\":\"exit\","
				       "\"params\":{\"res\":-38,\"syscall\":39,\"args\":[1,2,3,4,5,6]}}");
	}
	{ /* socket: enum and flags as strings, protocol as a number */
		struct scap_bval v[4] = { { .u = 4 }, { .u = AF_INET }, { .u = SOCK_STREAM | SOCK_CLOEXEC }, { .u = 6 } };

		scap_event_build(b, sizeof(b), SCAP_EV_SOCKET_X, NULL, v, 4);
		scap_event_format_json((const void *)b, 0, j, sizeof(j));
		assert_string_equal(j, "{\"ts\":0,\"cpu\":0,\"tid\":0,\"pid\":0,\"event\":\"socket\",\"dir\":\"exit\","
				       "\"params\":{\"res\":4,\"domain\":\"AF_INET\",\"type\":\"SOCK_STREAM|SOCK_CLOEXEC\","
				       "\"protocol\":6}}");
	}
	{ /* bind: a unix path is JSON-escaped */
		struct scap_bval v[3] = { { .u = 0 }, { .u = 3 }, { .p = sa, .len = scap_sa_unix(sa, "/r\"\n", 4) } };

		scap_event_build(b, sizeof(b), SCAP_EV_BIND_X, NULL, v, 3);
		scap_event_format_json((const void *)b, 0, j, sizeof(j));
		assert_string_equal(j, "{\"ts\":0,\"cpu\":0,\"tid\":0,\"pid\":0,\"event\":\"bind\",\"dir\":\"exit\","
				       "\"params\":{\"res\":0,\"sockfd\":3,\"addr\":\"/r\\\"\\n\"}}");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flags_text),
		cmocka_unit_test(enums_text),
		cmocka_unit_test(tables_match_host_headers),
		cmocka_unit_test(integers_text),
		cmocka_unit_test(strings_text),
		cmocka_unit_test(snprintf_semantics),
		cmocka_unit_test(json_openat),
		cmocka_unit_test(json_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
