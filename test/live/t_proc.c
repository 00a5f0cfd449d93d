// SPDX-License-Identifier: Apache-2.0
/*
 * Process syscalls: clone (both sides), execve in a child, and getppid as the
 * generic event of a syscall without a typed row.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"

struct proc_job {
	long child;
	int status;
	long res;
	int err;
};

static void *do_clone(void *p)
{
	struct proc_job *j = p;

	/* The raw syscall: libc's fork() would choose the flags itself. */
#ifdef __s390x__
	/* s390's clone takes the stack first (CLONE_BACKWARDS2). */
	j->child = syscall(SYS_clone, 0, SIGCHLD, NULL, NULL, 0);
#else
	j->child = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
#endif
	if (j->child == 0)
		syscall(SYS_exit_group, 0);
	j->err = errno;
	if (j->child > 0)
		waitpid((pid_t)j->child, &j->status, 0);
	return NULL;
}

int test_clone(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct proc_job j = { 0 };
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	live_drain(h);
	live_run_thread(do_clone, &j, &tid);
	if (j.child <= 0)
		return live_fail(t, "clone failed here: %s", strerror(j.err));

	struct want_event w[] = {
		/* Keyed by its flags: where glibc cannot use clone3 (before Linux
		 * 5.3), the thread's own start is a clone exit of this tid too. */
		{ .what = "clone exit in the parent", .tid = (uint32_t)tid,
		  .pid = (uint32_t)getpid(), .type = SCAP_EV_CLONE_X, .event_name = "clone",
		  .key = WU("flags", SIGCHLD),
		  .params = { WS("res", j.child), WU("flags", SIGCHLD) } },
		{ .what = "clone exit in the child", .tid = (uint32_t)j.child,
		  .pid = (uint32_t)j.child, .type = SCAP_EV_CLONE_X,
		  .params = { WS("res", 0), WU("flags", SIGCHLD) } },
	};
	return live_expect(t, h, w, 2);
}

static char *const exec_argv[] = { "/bin/true", "a1", "a2", NULL };
static char *const exec_envp[] = { "SCAP_LIVE=1", NULL };

static void *do_execve(void *p)
{
	struct proc_job *j = p;

	j->child = fork();
	if (j->child == 0) {
		syscall(SYS_execve, exec_argv[0], exec_argv, exec_envp);
		_exit(127);
	}
	j->err = errno;
	if (j->child > 0)
		waitpid((pid_t)j->child, &j->status, 0);
	return NULL;
}

int test_execve(struct live_test *t)
{
	static const char argv_bytes[] = "/bin/true\0a1\0a2\0"; /* + the array's final NUL */
	struct scap *h = live_shared_handle(t);
	struct proc_job j = { 0 };
	char exe[PATH_MAX];
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	if (access(exec_argv[0], X_OK) < 0 || !realpath(exec_argv[0], exe))
		return live_skip(t, "%s is not here: %s", exec_argv[0], strerror(errno));
	live_drain(h);
	live_run_thread(do_execve, &j, &tid);
	if (j.child <= 0 || !WIFEXITED(j.status) || WEXITSTATUS(j.status) != 0)
		return live_fail(t, "fork+execve of %s failed here (status %#x)", exec_argv[0],
				 j.status);

	/* pathname comes from the enter (the exit cannot read it: the old image
	 * is gone), so it is checked when the core paired the event; the rest is
	 * read at exit from the new image and the task. The bpf engine reads exe
	 * and ppid through task_struct offsets from the kernel's BTF: on a kernel
	 * without it (Ubuntu 18.04's 4.15, say) they must be empty, as
	 * docs/engines.md says, rather than anything else. */
	bool no_btf = live_no_task_btf();
	struct want_event w = {
		.what = "execve exit in the child", .tid = (uint32_t)j.child,
		.pid = (uint32_t)j.child, .type = SCAP_EV_EXECVE_X, .event_name = "execve",
		.flags_clear = SCAP_EVF_TOCTOU,
		.params = {
			WS("res", 0), WSTR_OR_EMPTY("pathname", exec_argv[0]),
			/* No source of the new image's argv in that mode: unreadable, never wrong. */
			live_bpf_no_exec_argv() ? (struct want_param)WUNREAD("argv")
						: (struct want_param)WBYTES("argv", argv_bytes, sizeof(argv_bytes)),
			no_btf ? (struct want_param)WEMPTY("exe") : (struct want_param)WSTR("exe", exe),
			WSTR("comm", "true"),
			no_btf ? (struct want_param)WEMPTY("ppid") : (struct want_param)WS("ppid", getpid()),
			WU("uid", getuid()), WU("gid", getgid()),
		},
	};
	return live_expect(t, h, &w, 1);
}

/* The syscall tables' own numbers, independent of libc's SYS_getppid. */
#if defined(__aarch64__)
#define GETPPID_NR 173 /* include/uapi/asm-generic/unistd.h */
#elif defined(__powerpc64__)
#define GETPPID_NR 64 /* arch/powerpc/kernel/syscalls/syscall.tbl */
#elif defined(__s390x__)
#define GETPPID_NR 64 /* arch/s390/kernel/syscalls/syscall.tbl */
#else
#define GETPPID_NR 110 /* arch/x86/entry/syscalls/syscall_64.tbl */
#endif

static void *do_getppid(void *p)
{
	struct proc_job *j = p;

	j->res = syscall(SYS_getppid);
	return NULL;
}

int test_getppid_generic(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct proc_job j = { 0 };
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	live_drain(h);
	live_run_thread(do_getppid, &j, &tid);

	struct want_event w = {
		.what = "getppid (generic event)", .tid = (uint32_t)tid,
		.pid = (uint32_t)getpid(), .type = SCAP_EV_GENERIC_X, .event_name = "getppid",
		.params = { WS("res", j.res), WU("syscall", SYS_getppid), WU("syscall", GETPPID_NR) },
	};
	return live_expect(t, h, &w, 1);
}
