// SPDX-License-Identifier: Apache-2.0
/*
 * The values of issue 16, byte for byte, on the engine under test: what a
 * security product must see exactly where an attacker would hide.
 *
 *   argv past SCAP_MAX_ARGV_ITEMS, and past SCAP_MAX_ARGV_LEN (the right value
 *   and the right mark, paired and unpaired); argv NULL, [] and unreadable
 *   (the CVE-2021-4034 pattern) told apart; unix addresses as the kernel bound
 *   them (an abstract name holding a NUL, a path starting with '@', 108 bytes
 *   without a NUL, a length shorter than the bytes); IPv4/IPv6 addresses cut
 *   by their length; exe and cwd of deep paths, cut and marked, never another
 *   absolute path.
 *
 * The ground truth is the kernel's: getsockname() of what it bound, stat() of
 * the socket files it created, the result of each call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"

#define BAD_PTR 0x10ul /* never mapped: the first page is reserved */
#define MANY_ARGS 46   /* what gcc's collect2 and ld get */

/* What a forked child reports back (shared memory). */
struct child_out {
	long res[16];
	int err[16];
	char why[256]; /* non-empty: the child's own set-up failed */
};

/* ---- helpers ----------------------------------------------------------------- */

static int self_exe(struct live_test *t, char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0 || (size_t)n >= len - 1)
		return live_fail(t, "readlink(/proc/self/exe): %s", n < 0 ? strerror(errno) : "too long");
	buf[n] = '\0';
	return LIVE_PASS;
}

/* Runs fn(out, arg) in a forked child; returns its pid (reaped) or -1. */
static pid_t run_child(void (*fn)(struct child_out *, void *), struct child_out *out, void *arg, int *status)
{
	pid_t c;

	memset(out, 0, sizeof(*out));
	fflush(NULL);
	c = fork();
	if (c == 0) {
		fn(out, arg);
		_exit(0);
	}
	if (c > 0)
		while (waitpid(c, status, 0) < 0 && errno == EINTR)
			;
	return c;
}

static struct child_out *shared_out(void)
{
	void *p = mmap(NULL, sizeof(struct child_out), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Whether this engine's execve exit carries the new image's argv as one
 * block (modern_bpf, kmod, bpf with BTF) rather than read string by string
 * from the new stack (bpf without BTF: SCAP_MAX_ARGV_ITEMS applies there too). */
static bool exit_argv_is_block(void)
{
	return !live_no_task_btf();
}

/* Strings back to back with their NULs, then the array's NUL; returns the length. */
static size_t strarray_bytes(char *out, size_t cap, char *const *v, unsigned n)
{
	size_t o = 0;

	for (unsigned i = 0; i < n; i++) {
		size_t l = strlen(v[i]) + 1;

		if (o + l + 1 > cap)
			return 0;
		memcpy(out + o, v[i], l);
		o += l;
	}
	out[o++] = '\0';
	return o;
}

/* ---- execve -------------------------------------------------------------------- */

enum argv_kind { ARGV_MANY, ARGV_NULL, ARGV_EMPTY, ARGV_BAD, ARGV_HALF_BAD, ARGV_HUGE };

struct exec_job {
	const char *exe;
	enum argv_kind kind;
};

#define HUGE_ARG 5000

/*
 * The child builds every string and array in memory it has just written
 * (resident: an enter-time read that faults would only show the pairing's
 * fall-back), then execs this program, which exits at once.
 */
static void child_exec(struct child_out *out, void *arg)
{
	const struct exec_job *j = arg;
	static char strings[MANY_ARGS][8], huge[HUGE_ARG + 1], path[PATH_MAX], env0[64];
	char *argv[MANY_ARGS + 1], *env[2];
	char **a = argv;
	long r;

	snprintf(path, sizeof(path), "%s", j->exe);
	snprintf(env0, sizeof(env0), "%s=1", LIVE_EXIT_AT_ONCE);
	env[0] = env0;
	env[1] = NULL;
	switch (j->kind) {
	case ARGV_MANY:
		for (unsigned i = 0; i < MANY_ARGS; i++) {
			snprintf(strings[i], sizeof(strings[i]), "arg%02u", i);
			argv[i] = strings[i];
		}
		argv[MANY_ARGS] = NULL;
		break;
	case ARGV_NULL:
		a = NULL;
		break;
	case ARGV_EMPTY:
		argv[0] = NULL;
		break;
	case ARGV_BAD:
		a = (char **)BAD_PTR;
		break;
	case ARGV_HALF_BAD:
		snprintf(strings[0], sizeof(strings[0]), "first");
		argv[0] = strings[0];
		argv[1] = (char *)BAD_PTR;
		argv[2] = NULL;
		break;
	case ARGV_HUGE:
		snprintf(strings[0], sizeof(strings[0]), "big");
		memset(huge, 'A', HUGE_ARG);
		huge[HUGE_ARG] = '\0';
		argv[0] = strings[0];
		argv[1] = huge;
		argv[2] = NULL;
		break;
	}
	r = syscall(SYS_execve, path, a, env);
	out->res[0] = r;
	out->err[0] = errno;
	_exit(100);
}

/* Runs one execve child: 0 when it behaved as expected (exit 0, or EFAULT for the bad ones). */
static int exec_case(struct live_test *t, const char *exe, enum argv_kind kind, pid_t *pid)
{
	struct child_out *o = shared_out();
	struct exec_job j = { .exe = exe, .kind = kind };
	bool want_fault = kind == ARGV_BAD || kind == ARGV_HALF_BAD;
	int st = 0;

	if (!o)
		return live_fail(t, "mmap: %s", strerror(errno));
	*pid = run_child(child_exec, o, &j, &st);
	if (*pid < 0) {
		munmap(o, sizeof(*o));
		return live_fail(t, "fork: %s", strerror(errno));
	}
	if (want_fault ? !(WIFEXITED(st) && WEXITSTATUS(st) == 100 && o->err[0] == EFAULT)
		       : !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		int e = o->err[0];

		munmap(o, sizeof(*o));
		return live_fail(t, "execve case %d behaved unexpectedly here: status %#x, errno %s", (int)kind, st,
				 strerror(e));
	}
	munmap(o, sizeof(*o));
	return LIVE_PASS;
}

static char many_bytes[MANY_ARGS * 8 + 1];
static size_t many_len, many32_len;

static void many_args_bytes(void)
{
	char strings[MANY_ARGS][8], *v[MANY_ARGS];

	for (unsigned i = 0; i < MANY_ARGS; i++) {
		snprintf(strings[i], sizeof(strings[i]), "arg%02u", i);
		v[i] = strings[i];
	}
	/* 32 strings of 6 bytes, then the array's NUL: the cut copy. */
	many32_len = SCAP_MAX_ARGV_ITEMS * 6 + 1;
	many_len = strarray_bytes(many_bytes, sizeof(many_bytes), v, MANY_ARGS);
}

int test_exact_argv_over_32(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	char exe[PATH_MAX], cut[MANY_ARGS * 8 + 1];
	pid_t pid;

	if (!h || self_exe(t, exe, sizeof(exe)) != LIVE_PASS)
		return LIVE_FAIL;
	many_args_bytes();
	memcpy(cut, many_bytes, many32_len - 1);
	cut[many32_len - 1] = '\0';
	live_drain(h);
	if (exec_case(t, exe, ARGV_MANY, &pid) != LIVE_PASS)
		return LIVE_FAIL;

	/*
	 * The enter copy holds SCAP_MAX_ARGV_ITEMS strings, marked cut; the new
	 * image's argv (exit) all 46, and it begins with the enter's: the paired
	 * event carries all 46, whole. Where the exit copy is cut as well (bpf
	 * without BTF), the cut enter copy goes out, and the event says so.
	 */
	bool whole = exit_argv_is_block();
	struct want_event w = {
		.what = "execve exit with 46 arguments", .tid = (uint32_t)pid, .pid = (uint32_t)pid,
		.type = SCAP_EV_EXECVE_X,
		.flags_set = SCAP_EVF_PAIRED | (whole ? 0 : SCAP_EVF_TRUNCATED),
		.flags_clear = SCAP_EVF_TOCTOU | (whole ? SCAP_EVF_TRUNCATED : 0),
		.json_has = whole ? "\"argv\":[\"arg00\"" : "\"truncated\":[\"argv\"]",
		.text_has = whole ? " argv=[arg00 arg01 " : " [truncated]",
		.params = {
			WS("res", 0), WSTR("pathname", exe),
			whole ? (struct want_param)WBYTES("argv", many_bytes, many_len)
			      : (struct want_param)WBYTES_CUT("argv", cut, many32_len),
		},
	};
	return live_expect(t, h, &w, 1);
}

int test_exact_argv_null_empty_unreadable(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	char exe[PATH_MAX];
	pid_t p_null, p_empty, p_bad, p_half;

	if (!h || self_exe(t, exe, sizeof(exe)) != LIVE_PASS)
		return LIVE_FAIL;
	live_drain(h);
	if (exec_case(t, exe, ARGV_NULL, &p_null) != LIVE_PASS || exec_case(t, exe, ARGV_EMPTY, &p_empty) != LIVE_PASS ||
	    exec_case(t, exe, ARGV_BAD, &p_bad) != LIVE_PASS || exec_case(t, exe, ARGV_HALF_BAD, &p_half) != LIVE_PASS)
		return LIVE_FAIL;

	/*
	 * What the caller passed, not the [""] the kernel gives the new image
	 * (since 5.18) for the first two; nothing but the mark for the array
	 * that faults; the strings read before the one that faults, marked cut.
	 */
	struct want_event w[] = {
		{ .what = "execve(path, NULL, env)", .tid = (uint32_t)p_null, .type = SCAP_EV_EXECVE_X,
		  .flags_set = SCAP_EVF_PAIRED, .flags_clear = SCAP_EVF_TRUNCATED | SCAP_EVF_ENTER_UNREAD,
		  .text_has = " argv=NULL ", .json_has = "\"argv\":null,",
		  .params = { WS("res", 0), WSTR("pathname", exe), WEMPTY("argv") } },
		{ .what = "execve(path, [], env)", .tid = (uint32_t)p_empty, .type = SCAP_EV_EXECVE_X,
		  .flags_set = SCAP_EVF_PAIRED, .flags_clear = SCAP_EVF_TRUNCATED | SCAP_EVF_ENTER_UNREAD,
		  .text_has = " argv=[] ", .json_has = "\"argv\":[],",
		  .params = { WS("res", 0), WSTR("pathname", exe), WBYTES("argv", "", 1) } },
		{ .what = "execve(path, <unreadable>, env)", .tid = (uint32_t)p_bad, .type = SCAP_EV_EXECVE_X,
		  .flags_set = SCAP_EVF_PAIRED, .flags_clear = SCAP_EVF_TRUNCATED | SCAP_EVF_ENTER_UNREAD,
		  .text_has = " argv=<unreadable> ", .json_has = "\"unreadable\":[\"argv\"]",
		  .params = { WS("res", -EFAULT), WSTR("pathname", exe), WUNREAD("argv") } },
		{ .what = "execve(path, [\"first\", <unreadable>], env)", .tid = (uint32_t)p_half,
		  .type = SCAP_EV_EXECVE_X, .flags_set = SCAP_EVF_PAIRED | SCAP_EVF_TRUNCATED,
		  .flags_clear = SCAP_EVF_ENTER_UNREAD,
		  .text_has = " argv=[first] ", .json_has = "\"truncated\":[\"argv\"]",
		  .params = { WS("res", -EFAULT), WSTR("pathname", exe), WBYTES_CUT("argv", "first\0", 7) } },
	};
	return live_expect(t, h, w, 4);
}

/* ---- unix and inet addresses ----------------------------------------------------------- */

struct sock_job {
	char dir[PATH_MAX];  /* the child's working directory */
	char abs_name[32];   /* an abstract name: NUL first, one NUL inside */
	size_t abs_len;
	char p108[109];
};

/* The fds the children give their sockets, so that events can be told apart. */
enum { FD_A = 150, FD_B, FD_C, FD_D, FD_E, FD_F, FD_G, FD_H };

static int sock_at(int domain, int type, int fd)
{
	int s = socket(domain, type, 0);

	if (s < 0)
		return -1;
	if (dup2(s, fd) < 0)
		return -1;
	close(s);
	return fd;
}

static long raw_bind(int fd, const void *a, long alen)
{
	return syscall(SYS_bind, fd, a, alen);
}

static long raw_connect(int fd, const void *a, long alen)
{
	return syscall(SYS_connect, fd, a, alen);
}

/* An abstract name holding a NUL: bound whole, then connected to. */
static void child_abstract(struct child_out *out, void *arg)
{
	const struct sock_job *j = arg;
	struct sockaddr_un a = { .sun_family = AF_UNIX }, got;
	socklen_t glen = sizeof(got);
	long alen = (long)(offsetof(struct sockaddr_un, sun_path) + j->abs_len);

	memcpy(a.sun_path, j->abs_name, j->abs_len);
	if (sock_at(AF_UNIX, SOCK_DGRAM, FD_A) < 0 || sock_at(AF_UNIX, SOCK_DGRAM, FD_B) < 0) {
		snprintf(out->why, sizeof(out->why), "socket(AF_UNIX): %s", strerror(errno));
		return;
	}
	out->res[0] = raw_bind(FD_A, &a, alen);
	out->err[0] = errno;
	/* The kernel's own answer: the name it bound, every byte. */
	if (getsockname(FD_A, (struct sockaddr *)&got, &glen) < 0 || (long)glen != alen ||
	    memcmp(got.sun_path, j->abs_name, j->abs_len) != 0)
		snprintf(out->why, sizeof(out->why), "the kernel bound another name (%u bytes)", (unsigned)glen);
	out->res[1] = raw_connect(FD_B, &a, alen);
	out->err[1] = errno;
}

static void escaped(char *out, size_t len, const char *s, size_t n, bool json)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 8 < len; i++)
		o += (size_t)(s[i] ? snprintf(out + o, len - o, "%c", s[i])
				   : snprintf(out + o, len - o, json ? "\\u0000" : "\\x00"));
	out[o] = '\0';
}

int test_exact_unix_abstract_nul(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct child_out *o = shared_out();
	struct sock_job j = { 0 };
	uint8_t want[40];
	char fmt[96], text[128], json[128];
	int st = 0, n;
	pid_t pid;

	if (!h || !o) {
		if (o)
			munmap(o, sizeof(*o));
		return h ? live_fail(t, "mmap: %s", strerror(errno)) : LIVE_FAIL;
	}
	n = snprintf(j.abs_name + 1, sizeof(j.abs_name) - 1, "scap-live-%d", (int)getpid());
	j.abs_len = 1 + (size_t)n + 1 + 4;
	memcpy(j.abs_name + 1 + n + 1, "rest", 4);
	live_drain(h);
	pid = run_child(child_abstract, o, &j, &st);
	if (pid < 0 || o->why[0] || o->res[0] != 0 || o->res[1] != 0) {
		int r = live_fail(t, "bind/connect of an abstract name failed here: %s (bind %ld %s, connect %ld %s)",
				  o->why, o->res[0], strerror(o->err[0]), o->res[1], strerror(o->err[1]));
		munmap(o, sizeof(*o));
		return r;
	}
	munmap(o, sizeof(*o));
	want[0] = SCAP_SA_UNIX;
	memcpy(want + 1, j.abs_name, j.abs_len);
	want[1 + j.abs_len] = '\0';
	escaped(fmt, sizeof(fmt), j.abs_name, j.abs_len, false);
	snprintf(text, sizeof(text), " addr=\"%s\"", fmt);
	escaped(json, sizeof(json), j.abs_name, j.abs_len, true);
	char json_has[160];

	snprintf(json_has, sizeof(json_has), "\"addr\":\"%s\"", json);
	struct want_event w[] = {
		{ .what = "bind of the abstract name", .tid = (uint32_t)pid, .type = SCAP_EV_BIND_X,
		  .text_has = text, .json_has = json_has,
		  .params = { WS("res", 0), WS("sockfd", FD_A), WBYTES("addr", want, j.abs_len + 2), WFMT("addr", fmt) } },
		{ .what = "connect to it", .tid = (uint32_t)pid, .type = SCAP_EV_CONNECT_X,
		  .flags_set = SCAP_EVF_PAIRED, .flags_clear = SCAP_EVF_TOCTOU | SCAP_EVF_TRUNCATED,
		  .text_has = text, .json_has = json_has,
		  .params = { WS("res", 0), WS("sockfd", FD_B), WBYTES("addr", want, j.abs_len + 2) } },
	};
	return live_expect(t, h, w, 2);
}

/* A path starting with '@' and a 108-byte path without a NUL, in the child's own directory. */
static void child_paths(struct child_out *out, void *arg)
{
	const struct sock_job *j = arg;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat sb;

	if (chdir(j->dir) < 0 || sock_at(AF_UNIX, SOCK_DGRAM, FD_A) < 0 || sock_at(AF_UNIX, SOCK_DGRAM, FD_B) < 0 ||
	    sock_at(AF_UNIX, SOCK_DGRAM, FD_C) < 0) {
		snprintf(out->why, sizeof(out->why), "chdir/socket: %s", strerror(errno));
		return;
	}
	memcpy(a.sun_path, "@scap", 6);
	out->res[0] = raw_bind(FD_A, &a, (long)(offsetof(struct sockaddr_un, sun_path) + 6));
	out->err[0] = errno;
	/* Its abstract look-alike, for the outputs to tell apart. */
	memcpy(a.sun_path, j->abs_name, j->abs_len);
	out->res[1] = raw_bind(FD_B, &a, (long)(offsetof(struct sockaddr_un, sun_path) + j->abs_len));
	out->err[1] = errno;
	memcpy(a.sun_path, j->p108, 108);
	out->res[2] = raw_bind(FD_C, &a, (long)sizeof(a));
	out->err[2] = errno;
	/* The kernel made the files: "@scap" and the whole 108-byte name. */
	if (stat("@scap", &sb) < 0 || !S_ISSOCK(sb.st_mode))
		snprintf(out->why, sizeof(out->why), "no socket file @scap: %s", strerror(errno));
	else if (stat(j->p108, &sb) < 0 || !S_ISSOCK(sb.st_mode))
		snprintf(out->why, sizeof(out->why), "no socket file of 108 bytes: %s", strerror(errno));
	unlink("@scap");
	unlink(j->p108);
}

int test_exact_unix_at_path_108(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct child_out *o = shared_out();
	struct sock_job j = { 0 };
	uint8_t at_bytes[] = { SCAP_SA_UNIX, '@', 's', 'c', 'a', 'p', 0 }, abs_bytes[7], p108_bytes[110];
	int st = 0;
	pid_t pid;

	if (!h || !o) {
		if (o)
			munmap(o, sizeof(*o));
		return h ? live_fail(t, "mmap: %s", strerror(errno)) : LIVE_FAIL;
	}
	live_tmp_path(j.dir, sizeof(j.dir), "exact-unix");
	if (mkdir(j.dir, 0700) < 0)
		return live_fail(t, "mkdir %s: %s", j.dir, strerror(errno));
	/* "\0scap" would clash between runs: the pid makes it this run's, same length. */
	j.abs_len = 5;
	snprintf(j.abs_name + 1, sizeof(j.abs_name) - 1, "%04x", (unsigned)getpid() & 0xffff);
	memset(j.p108, 'p', 108);
	live_drain(h);
	pid = run_child(child_paths, o, &j, &st);
	rmdir(j.dir);
	if (pid < 0 || o->why[0] || o->res[0] || o->res[1] || o->res[2]) {
		int r = live_fail(t, "binding the unix addresses failed here: %s (%ld %s, %ld %s, %ld %s)", o->why,
				  o->res[0], strerror(o->err[0]), o->res[1], strerror(o->err[1]), o->res[2],
				  strerror(o->err[2]));
		munmap(o, sizeof(*o));
		return r;
	}
	munmap(o, sizeof(*o));
	abs_bytes[0] = SCAP_SA_UNIX;
	memcpy(abs_bytes + 1, j.abs_name, 5);
	abs_bytes[6] = '\0';
	p108_bytes[0] = SCAP_SA_UNIX;
	memcpy(p108_bytes + 1, j.p108, 108);
	p108_bytes[109] = '\0';
	char abs_text[32], abs_json[40], p108_text[128];

	snprintf(abs_text, sizeof(abs_text), " addr=\"\\x00%.4s\"", j.abs_name + 1);
	snprintf(abs_json, sizeof(abs_json), "\"addr\":\"\\u0000%.4s\"", j.abs_name + 1);
	snprintf(p108_text, sizeof(p108_text), " addr=%.108s", j.p108);
	struct want_event w[] = {
		{ .what = "bind of the path \"@scap\"", .tid = (uint32_t)pid, .type = SCAP_EV_BIND_X,
		  .key = WS("sockfd", FD_A), .text_has = " addr=@scap", .json_has = "\"addr\":\"@scap\"",
		  .params = { WS("res", 0), WBYTES("addr", at_bytes, sizeof(at_bytes)), WFMT("addr", "@scap") } },
		{ .what = "bind of an abstract name of the same length", .tid = (uint32_t)pid,
		  .type = SCAP_EV_BIND_X, .key = WS("sockfd", FD_B), .text_has = abs_text, .json_has = abs_json,
		  .params = { WS("res", 0), WBYTES("addr", abs_bytes, sizeof(abs_bytes)) } },
		{ .what = "bind of 108 bytes without a NUL", .tid = (uint32_t)pid, .type = SCAP_EV_BIND_X,
		  .key = WS("sockfd", FD_C), .text_has = p108_text, .flags_clear = SCAP_EVF_TRUNCATED,
		  .params = { WS("res", 0), WBYTES("addr", p108_bytes, sizeof(p108_bytes)) } },
	};
	return live_expect(t, h, w, 3);
}

/* Addresses whose bytes go on past the length the caller passed. */
static void child_lengths(struct child_out *out, void *arg)
{
	const struct sock_job *j = arg;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(0x7f000001) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct stat sb;

	if (chdir(j->dir) < 0 || sock_at(AF_UNIX, SOCK_DGRAM, FD_A) < 0 || sock_at(AF_UNIX, SOCK_DGRAM, FD_B) < 0 ||
	    sock_at(AF_UNIX, SOCK_DGRAM, FD_C) < 0 || sock_at(AF_INET, SOCK_DGRAM, FD_D) < 0 ||
	    sock_at(AF_INET, SOCK_DGRAM, FD_E) < 0 || sock_at(AF_UNIX, SOCK_DGRAM, FD_G) < 0) {
		snprintf(out->why, sizeof(out->why), "chdir/socket: %s", strerror(errno));
		return;
	}
	/* The kernel binds "short": the length ends the path. */
	memcpy(a.sun_path, "short-decoy", 12);
	out->res[0] = raw_bind(FD_A, &a, (long)offsetof(struct sockaddr_un, sun_path) + 5);
	out->err[0] = errno;
	if (stat("short", &sb) < 0 || !S_ISSOCK(sb.st_mode) || stat("short-decoy", &sb) == 0)
		snprintf(out->why, sizeof(out->why), "the kernel did not bind \"short\" alone");
	out->res[1] = raw_connect(FD_C, &a, (long)offsetof(struct sockaddr_un, sun_path) + 5);
	out->err[1] = errno;
	/* The same for an abstract name. */
	memcpy(a.sun_path, j->abs_name, j->abs_len);
	memcpy(a.sun_path + j->abs_len, "-decoy", 6);
	out->res[2] = raw_bind(FD_B, &a, (long)(offsetof(struct sockaddr_un, sun_path) + j->abs_len));
	out->err[2] = errno;
	/* IPv4 with 4 bytes (no address), IPv4 with 8 (the address, too short for the kernel), IPv6 with 20. */
	out->res[3] = raw_bind(FD_D, &in, 4);
	out->err[3] = errno;
	out->res[4] = raw_bind(FD_E, &in, 8);
	out->err[4] = errno;
	if (sock_at(AF_INET6, SOCK_DGRAM, FD_F) == FD_F) {
		out->res[5] = raw_bind(FD_F, &in6, 20);
		out->err[5] = errno;
	} else {
		out->res[5] = 1; /* no IPv6 here */
	}
	/* One byte: not even the family. */
	out->res[6] = raw_bind(FD_G, &a, 1);
	out->err[6] = errno;
	unlink("short");
}

int test_exact_sockaddr_len(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct child_out *o = shared_out();
	struct sock_job j = { 0 };
	static const uint8_t short_bytes[] = { SCAP_SA_UNIX, 's', 'h', 'o', 'r', 't', 0 };
	/* The family of SCAP_SA_OTHER and the port are host-order u16s (docs/event-format.md). */
	uint8_t in_cut[3] = { SCAP_SA_OTHER }, in6_cut[3] = { SCAP_SA_OTHER };
	uint8_t in8[7] = { SCAP_SA_INET, 127, 0, 0, 1 };
	const uint16_t fam4 = AF_INET, fam6 = AF_INET6, port9 = 9;
	uint8_t abs_bytes[7];
	int st = 0;
	pid_t pid;

	memcpy(in_cut + 1, &fam4, 2);
	memcpy(in6_cut + 1, &fam6, 2);
	memcpy(in8 + 5, &port9, 2);

	if (!h || !o) {
		if (o)
			munmap(o, sizeof(*o));
		return h ? live_fail(t, "mmap: %s", strerror(errno)) : LIVE_FAIL;
	}
	live_tmp_path(j.dir, sizeof(j.dir), "exact-len");
	if (mkdir(j.dir, 0700) < 0)
		return live_fail(t, "mkdir %s: %s", j.dir, strerror(errno));
	j.abs_len = 5;
	snprintf(j.abs_name + 1, sizeof(j.abs_name) - 1, "%04x", ((unsigned)getpid() + 1) & 0xffff);
	live_drain(h);
	pid = run_child(child_lengths, o, &j, &st);
	rmdir(j.dir);
	if (pid < 0 || o->why[0] || o->res[0] || o->res[1] || o->res[2] || o->res[3] != -1 || o->err[3] != EINVAL ||
	    o->res[4] != -1 || o->err[4] != EINVAL || (o->res[5] != 1 && (o->res[5] != -1 || o->err[5] != EINVAL)) ||
	    o->res[6] != -1 || o->err[6] != EINVAL) {
		int r = live_fail(t, "the calls did not behave as scripted here: %s (results %ld %ld %ld %ld/%s %ld/%s "
				  "%ld/%s %ld/%s)", o->why, o->res[0], o->res[1], o->res[2], o->res[3],
				  strerror(o->err[3]), o->res[4], strerror(o->err[4]), o->res[5], strerror(o->err[5]),
				  o->res[6], strerror(o->err[6]));
		munmap(o, sizeof(*o));
		return r;
	}
	bool have6 = o->res[5] != 1;

	munmap(o, sizeof(*o));
	abs_bytes[0] = SCAP_SA_UNIX;
	memcpy(abs_bytes + 1, j.abs_name, 5);
	abs_bytes[6] = '\0';
	struct want_event w[] = {
		{ .what = "bind of \"short-decoy\" with the length of \"short\"", .tid = (uint32_t)pid,
		  .type = SCAP_EV_BIND_X, .key = WS("sockfd", FD_A), .flags_clear = SCAP_EVF_TRUNCATED,
		  .text_has = " addr=short", .params = { WS("res", 0), WBYTES("addr", short_bytes, sizeof(short_bytes)) } },
		{ .what = "connect to \"short-decoy\" with the length of \"short\"", .tid = (uint32_t)pid,
		  .type = SCAP_EV_CONNECT_X, .key = WS("sockfd", FD_C), .flags_set = SCAP_EVF_PAIRED,
		  .flags_clear = SCAP_EVF_TRUNCATED | SCAP_EVF_TOCTOU,
		  .params = { WS("res", 0), WBYTES("addr", short_bytes, sizeof(short_bytes)) } },
		{ .what = "bind of an abstract name with more bytes past its length", .tid = (uint32_t)pid,
		  .type = SCAP_EV_BIND_X, .key = WS("sockfd", FD_B),
		  .params = { WS("res", 0), WBYTES("addr", abs_bytes, sizeof(abs_bytes)) } },
		{ .what = "bind of AF_INET with 4 bytes", .tid = (uint32_t)pid, .type = SCAP_EV_BIND_X,
		  .key = WS("sockfd", FD_D), .flags_set = SCAP_EVF_TRUNCATED,
		  .text_has = " addr=AF_INET [truncated]", .json_has = "\"truncated\":[\"addr\"]",
		  .params = { WS("res", -EINVAL), WBYTES_CUT("addr", in_cut, 3) } },
		{ .what = "bind of AF_INET with 8 bytes", .tid = (uint32_t)pid, .type = SCAP_EV_BIND_X,
		  .key = WS("sockfd", FD_E), .flags_clear = SCAP_EVF_TRUNCATED,
		  .params = { WS("res", -EINVAL), WBYTES("addr", in8, sizeof(in8)), WFMT("addr", "127.0.0.1:9") } },
		{ .what = "bind with 1 byte", .tid = (uint32_t)pid, .type = SCAP_EV_BIND_X,
		  .key = WS("sockfd", FD_G), .flags_clear = SCAP_EVF_TRUNCATED,
		  .params = { WS("res", -EINVAL), WEMPTY("addr") } },
		{ .what = "bind of AF_INET6 with 20 bytes", .tid = (uint32_t)pid, .type = SCAP_EV_BIND_X,
		  .key = WS("sockfd", FD_F), .flags_set = SCAP_EVF_TRUNCATED,
		  .params = { WS("res", -EINVAL), WBYTES_CUT("addr", in6_cut, 3), WFMT("addr", "AF_INET6") } },
	};
	int r = live_expect(t, h, w, have6 ? 7 : 6);

	if (r == LIVE_PASS && !have6)
		snprintf(t->msg, sizeof(t->msg), "no IPv6 here: its case was not run");
	return r;
}

/* ---- exe and cwd of deep paths ------------------------------------------------------------- */

#define DEEP_SHORT 30   /* directories past the eBPF walk's SCAP_FILL_PATH_DEPTH (24) */
#define DEEP_LONG 18    /* of LONG_NAME bytes: past SCAP_MAX_PATH_LEN */
#define LONG_NAME 250

struct deep_job {
	char base[PATH_MAX];
	bool long_names;
	unsigned depth;
};

static void deep_name(char *out, size_t len, unsigned i, bool long_names)
{
	if (long_names) {
		int n = snprintf(out, len, "%03u", i);

		memset(out + n, 'L', LONG_NAME - (size_t)n);
		out[LONG_NAME] = '\0';
	} else {
		snprintf(out, len, "d%02u", i);
	}
}

/* Makes the tree (step by step: its path is longer than PATH_MAX), copies this program to its bottom and runs it from there. */
static void child_deep(struct child_out *out, void *arg)
{
	const struct deep_job *j = arg;
	char name[LONG_NAME + 1], env0[64], *argv[] = { "x", NULL }, *env[] = { env0, NULL };
	static char buf[1 << 16];
	int in, fd;
	ssize_t n;

	snprintf(env0, sizeof(env0), "%s=1", LIVE_EXIT_AT_ONCE);
	if (chdir(j->base) < 0) {
		snprintf(out->why, sizeof(out->why), "chdir %.180s: %s", j->base, strerror(errno));
		return;
	}
	for (unsigned i = 0; i < j->depth; i++) {
		deep_name(name, sizeof(name), i, j->long_names);
		if (mkdir(name, 0700) < 0 || chdir(name) < 0) {
			snprintf(out->why, sizeof(out->why), "mkdir/chdir at depth %u: %s", i, strerror(errno));
			return;
		}
	}
	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	fd = open("x", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (in < 0 || fd < 0) {
		snprintf(out->why, sizeof(out->why), "copying this program: %s", strerror(errno));
		return;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	close(in);
	close(fd);
	out->res[0] = syscall(SYS_execve, "./x", argv, env);
	out->err[0] = errno;
	snprintf(out->why, sizeof(out->why), "execve ./x: %s", strerror(errno));
}

/* Removes the tree from the bottom up. */
static void child_undeep(struct child_out *out, void *arg)
{
	const struct deep_job *j = arg;
	char name[LONG_NAME + 1];

	(void)out;
	if (chdir(j->base) < 0)
		return;
	for (unsigned i = 0; i < j->depth; i++) {
		deep_name(name, sizeof(name), i, j->long_names);
		if (chdir(name) < 0)
			break;
	}
	unlink("x");
	for (unsigned i = j->depth; i-- > 0;) {
		if (chdir("..") < 0)
			return;
		deep_name(name, sizeof(name), i, j->long_names);
		rmdir(name);
	}
}

/*
 * What the engine reports for a path of `depth` directories under base (then
 * "x" for the exe): whole when it fits, else its last components, relative
 * and marked cut. The eBPF walk stops after SCAP_FILL_PATH_DEPTH (24)
 * components and when the next one would not fit in SCAP_MAX_PATH_LEN with
 * its '/' (fill_derived.h); the kmod renders with d_path, whole up to
 * SCAP_MAX_PATH_LEN, else keeps the components that fit in it (scap_fill.c).
 */
static bool deep_expected(char *out, size_t len, const struct deep_job *j, bool exe)
{
	unsigned n = j->depth + (exe ? 1 : 0), kept = 0, room = SCAP_MAX_PATH_LEN - 1;
	bool kmod = strcmp(live_engine, "kmod") == 0;
	char names[DEEP_SHORT + 1][LONG_NAME + 1];
	size_t used = 0, o = 0, full;

	for (unsigned i = 0; i < j->depth; i++)
		deep_name(names[i], sizeof(names[i]), i, j->long_names);
	if (exe)
		snprintf(names[j->depth], sizeof(names[j->depth]), "x");
	full = strlen(j->base);
	for (unsigned i = 0; i < n; i++)
		full += 1 + strlen(names[i]);
	if (kmod ? full <= room : false) {
		o = (size_t)snprintf(out, len, "%s", j->base);
		for (unsigned i = 0; i < n; i++)
			o += (size_t)snprintf(out + o, len - o, "/%s", names[i]);
		return false;
	}
	/* From the leaf up, as many as the rule keeps. */
	while (kept < n) {
		size_t l = strlen(names[n - 1 - kept]);

		if (kmod ? used + l + (kept ? 1 : 0) > room : (kept >= 24 || used + l + 1 >= room))
			break;
		used += l + (kmod ? (kept ? 1 : 0) : 1);
		kept++;
	}
	for (unsigned i = n - kept; i < n; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s", i > n - kept ? "/" : "", names[i]);
	return true;
}

static int deep_case(struct live_test *t, struct scap *h, bool long_names)
{
	struct child_out *o = shared_out();
	struct deep_job j = { .long_names = long_names, .depth = long_names ? DEEP_LONG : DEEP_SHORT };
	static char want_exe[SCAP_MAX_PATH_LEN * 2], want_cwd[SCAP_MAX_PATH_LEN * 2];
	char dir[PATH_MAX];
	bool exe_cut, cwd_cut, no_btf;
	int st = 0, r;
	pid_t pid;

	if (!o)
		return live_fail(t, "mmap: %s", strerror(errno));
	live_tmp_path(dir, sizeof(dir), long_names ? "exact-long" : "exact-deep");
	if (mkdir(dir, 0700) < 0 || !realpath(dir, j.base)) {
		munmap(o, sizeof(*o));
		return live_fail(t, "mkdir %s: %s", dir, strerror(errno));
	}
	exe_cut = deep_expected(want_exe, sizeof(want_exe), &j, true);
	cwd_cut = deep_expected(want_cwd, sizeof(want_cwd), &j, false);
	live_drain(h);
	pid = run_child(child_deep, o, &j, &st);
	if (pid < 0 || o->why[0] || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		r = live_fail(t, "the deep tree's program did not run here: %s (status %#x)", o->why, st);
		goto out;
	}
	/* The bpf engine without BTF reads no task paths at all (docs/engines.md). */
	no_btf = live_no_task_btf();
	struct want_event w = {
		.what = long_names ? "execve from a path past 4096 bytes" : "execve from a path 30 deep",
		.tid = (uint32_t)pid, .type = SCAP_EV_EXECVE_X,
		.flags_set = no_btf || !(exe_cut || cwd_cut) ? 0 : SCAP_EVF_TRUNCATED,
		.flags_clear = no_btf || exe_cut || cwd_cut ? 0 : SCAP_EVF_TRUNCATED,
		.json_has = no_btf || !(exe_cut || cwd_cut) ? NULL : "\"truncated\":[\"exe\",\"cwd\"]",
		.params = {
			WS("res", 0), WSTR("pathname", "./x"),
			no_btf ? (struct want_param)WEMPTY("exe")
			       : exe_cut ? (struct want_param)WSTR_CUT("exe", want_exe) : (struct want_param)WSTR("exe", want_exe),
			no_btf ? (struct want_param)WEMPTY("cwd")
			       : cwd_cut ? (struct want_param)WSTR_CUT("cwd", want_cwd) : (struct want_param)WSTR("cwd", want_cwd),
		},
	};
	r = live_expect(t, h, &w, 1);
out:
	run_child(child_undeep, o, &j, &st);
	rmdir(j.base);
	munmap(o, sizeof(*o));
	return r;
}

int test_exact_deep_paths(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);

	if (!h)
		return LIVE_FAIL;
	if (deep_case(t, h, false) != LIVE_PASS)
		return LIVE_FAIL;
	return deep_case(t, h, true);
}

/* ---- the raw stream ------------------------------------------------------------------------ */

int test_exact_unpaired_argv(struct live_test *t)
{
	static const char *const sel[] = { "execve", NULL };
	struct scap_open_opts opts = { .syscalls = sel, .unpaired = true };
	static char huge_cut[SCAP_MAX_ARGV_LEN];
	char exe[PATH_MAX], cut32[MANY_ARGS * 8 + 1];
	pid_t p_many, p_huge, p_null, p_empty, p_bad;
	struct scap *h;
	int r;

	if (live_bpf_no_exec_argv())
		return live_skip(t, "bpf's tracepoint mode without BTF has no new image's argv at execve's exit "
				 "on this architecture (no start_thread function to probe; docs/engines.md)");
	if (self_exe(t, exe, sizeof(exe)) != LIVE_PASS)
		return LIVE_FAIL;
	many_args_bytes();
	memcpy(cut32, many_bytes, many32_len - 1);
	cut32[many32_len - 1] = '\0';
	/* "big", then as many 'A' as fit: SCAP_MAX_ARGV_LEN bytes with both final NULs. */
	memcpy(huge_cut, "big", 4);
	memset(huge_cut + 4, 'A', SCAP_MAX_ARGV_LEN - 6);
	huge_cut[SCAP_MAX_ARGV_LEN - 2] = '\0';
	huge_cut[SCAP_MAX_ARGV_LEN - 1] = '\0';

	live_shared_close();
	h = live_open(t, &opts);
	if (!h)
		return LIVE_FAIL;
	if (exec_case(t, exe, ARGV_MANY, &p_many) != LIVE_PASS || exec_case(t, exe, ARGV_HUGE, &p_huge) != LIVE_PASS ||
	    exec_case(t, exe, ARGV_NULL, &p_null) != LIVE_PASS || exec_case(t, exe, ARGV_EMPTY, &p_empty) != LIVE_PASS ||
	    exec_case(t, exe, ARGV_BAD, &p_bad) != LIVE_PASS) {
		scap_close(h);
		return LIVE_FAIL;
	}
	bool block = exit_argv_is_block();
	struct want_event w[] = {
		{ .what = "execve enter with 46 arguments", .tid = (uint32_t)p_many, .type = SCAP_EV_EXECVE_E,
		  .flags_set = SCAP_EVF_TRUNCATED, .flags_clear = SCAP_EVF_PAIRED,
		  .text_has = " [truncated]", .json_has = "\"truncated\":[\"argv\"]",
		  .params = { WSTR("pathname", exe), WBYTES_CUT("argv", cut32, many32_len) } },
		{ .what = "its exit: the new image's argv", .tid = (uint32_t)p_many, .type = SCAP_EV_EXECVE_X,
		  .flags_clear = SCAP_EVF_PAIRED | (block ? SCAP_EVF_TRUNCATED : 0),
		  .params = { WS("res", 0),
			      block ? (struct want_param)WBYTES("argv", many_bytes, many_len)
				    : (struct want_param)WBYTES_CUT("argv", cut32, many32_len) } },
		{ .what = "execve enter with a 5000-byte argument", .tid = (uint32_t)p_huge, .type = SCAP_EV_EXECVE_E,
		  .flags_set = SCAP_EVF_TRUNCATED, .text_has = " [truncated]", .json_has = "\"truncated\":[\"argv\"]",
		  .params = { WBYTES_CUT("argv", huge_cut, SCAP_MAX_ARGV_LEN) } },
		{ .what = "its exit", .tid = (uint32_t)p_huge, .type = SCAP_EV_EXECVE_X,
		  .flags_set = SCAP_EVF_TRUNCATED,
		  .params = { WS("res", 0), WBYTES_CUT("argv", huge_cut, SCAP_MAX_ARGV_LEN) } },
		{ .what = "execve enter with argv NULL", .tid = (uint32_t)p_null, .type = SCAP_EV_EXECVE_E,
		  .flags_clear = SCAP_EVF_TRUNCATED, .text_has = " argv=NULL",
		  .params = { WSTR("pathname", exe), WEMPTY("argv") } },
		{ .what = "execve enter with argv []", .tid = (uint32_t)p_empty, .type = SCAP_EV_EXECVE_E,
		  .flags_clear = SCAP_EVF_TRUNCATED, .text_has = " argv=[]",
		  .params = { WSTR("pathname", exe), WBYTES("argv", "", 1) } },
		{ .what = "execve enter with an unreadable argv", .tid = (uint32_t)p_bad, .type = SCAP_EV_EXECVE_E,
		  .flags_clear = SCAP_EVF_TRUNCATED, .text_has = " argv=<unreadable>",
		  .json_has = "\"unreadable\":[\"argv\"]",
		  .params = { WSTR("pathname", exe), WUNREAD("argv") } },
		{ .what = "its exit: no new image, no argv", .tid = (uint32_t)p_bad, .type = SCAP_EV_EXECVE_X,
		  .params = { WS("res", -EFAULT), WEMPTY("argv") } },
	};
	r = live_expect(t, h, w, sizeof(w) / sizeof(w[0]));
	scap_close(h);
	return r;
}
