// SPDX-License-Identifier: Apache-2.0
/*
 * An ia32 syscall made with `int $0x80` from 64-bit code: its number belongs
 * to the ia32 table, and the code segment stays the 64-bit one, so a driver
 * that looks only at the segment decodes it by the x86_64 table. ia32 20 is
 * getpid; x86_64 20 is writev: such a driver reports a writev that never
 * happened (and a process can hide an ia32 open behind an x86_64 fstat).
 * ia32 syscalls are not captured (docs/engines.md): the test asserts the real
 * writev that follows arrives, and that no writev is invented.
 *
 * aarch32_exec (arm64): a 64-bit process execs an AArch32 program
 * (test/vm/aarch32_probe.S), which makes compat syscalls by the 32-bit ARM
 * table and exits with 7. arm64 marks compat per task (TIF_32BIT), not per
 * call: the execve exit runs with the mark already set. The 64-bit execve
 * must arrive all the same (a security product must see a 32-bit program
 * start), its compat syscalls must not (nor be decoded by the 64-bit table:
 * compat getppid is 64, arm64's write), and its procexit must.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"
#include "../common/host_probe.h"

#if defined(__x86_64__)

#define IA32_NR_GETPID 20L /* arch/x86/entry/syscalls/syscall_32.tbl */

struct ia32_job {
	long int80_res; /* what int $0x80 returned: getpid() when ia32 emulation works */
	int fd;
	ssize_t writev_res;
};

static void *do_int80_then_writev(void *p)
{
	struct ia32_job *j = p;
	char c = 'z';
	struct iovec iov = { &c, 1 };
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(IA32_NR_GETPID) : "memory");
	j->int80_res = r;
	j->writev_res = writev(j->fd, &iov, 1);
	return NULL;
}

static int run(struct live_test *t, const char *const *syscalls, const char *label)
{
	struct scap_open_opts o = { .syscalls = syscalls };
	struct ia32_job j = { .fd = open("/dev/null", O_WRONLY | O_CLOEXEC) };
	struct scap *h;
	pid_t tid;
	int r;

	if (j.fd < 0)
		return live_fail(t, "cannot open /dev/null");
	/* kmod serves one capture at a time. */
	live_shared_close();
	h = live_open(t, &o);
	if (!h) {
		close(j.fd);
		return LIVE_FAIL;
	}
	live_run_thread(do_int80_then_writev, &j, &tid);
	if (j.int80_res != getpid()) {
		scap_close(h);
		close(j.fd);
		return live_skip(t, "int $0x80 getpid returned %ld here: no ia32 emulation", j.int80_res);
	}

	struct want_event w[] = {
		{ .what = "the real writev", .tid = (uint32_t)tid, .type = SCAP_EV_WRITEV_X,
		  .key = WS("res", 1), .params = { WS("res", 1), WS("fd", j.fd) } },
		{ .what = "a writev made up from int $0x80 getpid", .tid = (uint32_t)tid,
		  .type = SCAP_EV_WRITEV_X, .key = WS("res", getpid()), .forbidden = true },
	};
	r = live_expect(t, h, w, 2);
	scap_close(h);
	close(j.fd);
	if (r == LIVE_FAIL) {
		char why[sizeof(t->msg)];

		memcpy(why, t->msg, sizeof(why));
		return live_fail(t, "%s: %s", label, why);
	}
	return r;
}

int test_ia32_int80(struct live_test *t)
{
	char why[256];
	int r;

	/* Some hosts kill a process that makes an ia32 syscall: ask a child first. */
	if (!host_ia32_int80_works(why, sizeof(why)))
		return live_skip(t, "%s", why);
	/* Every syscall: the global exit hook. */
	r = run(t, NULL, "all syscalls");
	/* A small selection: modern_bpf's per-syscall tracepoints where it has them. */
	static const char *const writev_only[] = { "writev", "getpid", NULL };

	if (r != LIVE_PASS)
		return r;
	return run(t, writev_only, "writev and getpid selected");
}
#else
int test_ia32_int80(struct live_test *t)
{
	/*
	 * The AArch32 (compat) syscalls of arm64, and powerpc's 32-bit tasks,
	 * are per task, not per call: testing them needs a 32-bit binary
	 * (docs/engines.md); Debian's ppc64el kernels have no CONFIG_COMPAT.
	 */
	return live_skip(t, "int $0x80 is x86 only; 32-bit compat syscalls (AArch32, ppc32) are not tested here");
}
#endif

#if defined(__aarch64__)
#define AARCH32_MARKER "/nonexistent-scap-aarch32/marker"
#define AARCH32_64BIT_PROG "/bin/busybox" /* the guest's; run as `busybox true` */

struct a32_job {
	char *const *argv;
	pid_t child;
	int status;
};

static void *do_exec_aarch32(void *p)
{
	struct a32_job *j = p;
	char *const envp[] = { NULL };

	j->child = fork();
	if (j->child == 0) {
		syscall(SYS_execve, j->argv[0], j->argv, envp);
		_exit(errno == ENOEXEC ? 126 : 127);
	}
	if (j->child > 0)
		waitpid(j->child, &j->status, 0);
	return NULL;
}

/* Runs argv (argv[0] the AArch32 program) in a child; the events of the child's exec(s). */
static int a32_run(struct live_test *t, struct scap *h, char *const *argv, int want_code, const char *exec2_comm,
		   bool procexit)
{
	struct a32_job j = { .argv = argv };
	bool no_btf = live_no_task_btf();
	pid_t tid;

	live_drain(h);
	live_run_thread(do_exec_aarch32, &j, &tid);
	if (j.child <= 0)
		return live_fail(t, "fork failed");
	if (WIFEXITED(j.status) && WEXITSTATUS(j.status) == 126)
		return live_skip(t, "this kernel or CPU does not run AArch32 programs (execve: ENOEXEC)");
	if (!WIFEXITED(j.status) || WEXITSTATUS(j.status) != want_code)
		return live_fail(t, "%s%s%s did not exit with %d (wait status %#x)", argv[0], argv[1] ? " " : "",
				 argv[1] ? argv[1] : "", want_code, j.status);

	/*
	 * What the AArch32 program does must not come out as 64-bit syscalls:
	 * its openat (322), nor its getppid (64, arm64's write) nor its execve
	 * (11, arm64's listxattr, a generic event). Once it has exec'd a 64-bit
	 * program, that program's own syscalls are captured: then only the keyed
	 * forms can be forbidden.
	 */
	struct want_event w[] = {
		{ .what = "the 64-bit execve of the AArch32 program", .tid = (uint32_t)j.child,
		  .pid = (uint32_t)j.child, .type = SCAP_EV_EXECVE_X, .event_name = "execve",
		  .key = WSTR("comm", "aarch32_probe"),
		  .params = { WS("res", 0), WSTR_OR_EMPTY("pathname", argv[0]) } },
		{ .what = "its procexit", .tid = (uint32_t)j.child, .pid = (uint32_t)j.child,
		  .type = SCAP_EV_PROCEXIT_E, .event_name = "procexit",
		  .params = { no_btf ? (struct want_param)WEMPTY("code") : (struct want_param)WS("code", want_code) } },
		{ .what = "its compat openat (322)", .tid = (uint32_t)j.child, .type = SCAP_EV_OPENAT_X,
		  .key = WSTR("pathname", AARCH32_MARKER), .forbidden = true },
		{ .what = "its compat execve (11) taken for arm64's listxattr", .tid = (uint32_t)j.child,
		  .type = SCAP_EV_GENERIC_X, .key = WU("syscall", 11), .forbidden = true },
		{ .what = exec2_comm ? "the AArch32 program's execve of a 64-bit program (execve's exit, "
				       "without its enter)" : "any write (its compat getppid, 64, is arm64's write)",
		  .tid = (uint32_t)j.child, .type = exec2_comm ? SCAP_EV_EXECVE_X : SCAP_EV_WRITE_X,
		  .key = exec2_comm ? (struct want_param)WSTR("comm", exec2_comm) : (struct want_param){ 0 },
		  .params = { WS("res", 0) }, .forbidden = !exec2_comm },
		{ .what = "any generic event (its compat syscalls)", .tid = (uint32_t)j.child,
		  .type = SCAP_EV_GENERIC_X, .forbidden = true },
	};
	unsigned n = exec2_comm ? 5 : 6;

	/* A syscall selection has no procexit: the last entry takes its place. */
	if (!procexit)
		w[1] = w[--n];
	return live_expect(t, h, w, n);
}

int test_aarch32_exec(struct live_test *t)
{
	const char *env = getenv("SCAP_TEST_AARCH32");
	char *prog = (char *)(env && env[0] ? env : "/bin/aarch32_probe");
	char *const alone[] = { prog, NULL }, *const then64[] = { prog, AARCH32_64BIT_PROG, "true", NULL };
	struct scap *h = live_shared_handle(t);
	int r;

	if (!h)
		return LIVE_FAIL;
	if (live_bpf_tracepoint_mode())
		return live_skip(t, "bpf's tracepoint mode has no registers: AArch32 syscalls are not told apart "
				 "there (docs/engines.md; on arm64 the mode is only used when forced)");
	if (access(prog, X_OK) < 0)
		return live_skip(t, "no AArch32 program at %s (test/vm builds test/vm/aarch32_probe.S; "
				 "SCAP_TEST_AARCH32 names another): %s", prog, strerror(errno));
	/* A 64-bit process starts an AArch32 program, which exits with 7. */
	r = a32_run(t, h, alone, 7, NULL, true);
	if (r != LIVE_PASS)
		return r;
	/* ... which execs a 64-bit program (busybox true: exit 0). */
	if (access(AARCH32_64BIT_PROG, X_OK) < 0)
		return live_skip(t, "the first half passed; no %s for the AArch32 program to exec", AARCH32_64BIT_PROG);
	r = a32_run(t, h, then64, 0, "busybox", true);
	if (r != LIVE_PASS)
		return r;
	/*
	 * A small selection: modern_bpf would use per-syscall tracepoints,
	 * which arm64 does not fire for compat tasks, the 64-bit execve's exit
	 * included: with execve selected it keeps the dispatcher.
	 */
	static const char *const few[] = { "execve", "openat", "write", NULL };
	struct scap_open_opts o = { .syscalls = few };

	live_shared_close();
	h = live_open(t, &o);
	if (!h)
		return LIVE_FAIL;
	r = a32_run(t, h, then64, 0, "busybox", false);
	scap_close(h);
	return r;
}
#else
int test_aarch32_exec(struct live_test *t)
{
	return live_skip(t, "AArch32 programs run on arm64 only");
}
#endif
