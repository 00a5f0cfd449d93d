// SPDX-License-Identifier: Apache-2.0
/*
 * The process lifecycle: procexit (exit code, fatal signal, core dump, the
 * last of four threads), the clone family's child-side context against what
 * the child read from /proc while alive (fork, vfork, clone of a thread,
 * clone3, a fork in a new pid namespace), execve from a non-leader thread,
 * and exit(2) selected by its name.
 *
 * Ground truth is the kernel's own answer: the wait status the parent gets
 * from waitpid, and the child's /proc/thread-self files. The bpf engine on a
 * kernel without BTF leaves the task_struct values empty (docs/engines.md):
 * there the tests expect exactly that.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"

/* ---- the images this program runs as a child -------------------------------------- */

void live_lifecycle_image(int argc, char **argv)
{
	if (argc < 2)
		return;
	if (strcmp(argv[1], LIVE_SEGV_ARG) == 0) {
		/* Default action, whatever a sanitizer runtime installed: terminate and dump core. */
		signal(SIGSEGV, SIG_DFL);
		syscall(SYS_kill, getpid(), SIGSEGV);
		_exit(99);
	}
	if (strcmp(argv[1], LIVE_EXEC_THREAD_ARG) == 0) {
		/* The first call of the new image: its event must carry the leader's tid. */
		syscall(SYS_getppid);
		syscall(SYS_exit_group, 0);
	}
}

/* ---- procexit ---------------------------------------------------------------------- */

/* The procexit event of thread tid of process pid that ended with wait status st. */
static struct want_event want_procexit(const char *what, pid_t tid, pid_t pid, int st, bool last)
{
	struct want_event w = {
		.what = what, .tid = (uint32_t)tid, .pid = (uint32_t)pid, .type = SCAP_EV_PROCEXIT_E,
		.event_name = "procexit", .flags_clear = SCAP_EVF_PAIRED | SCAP_EVF_TRUNCATED,
	};

	if (live_no_task_btf()) {
		/* No exit_code without task_struct offsets (last only from 6.16's group_dead: not checked). */
		w.params[0] = (struct want_param)WEMPTY("status");
		w.params[1] = (struct want_param)WEMPTY("code");
		w.params[2] = (struct want_param)WEMPTY("sig");
		w.params[3] = (struct want_param)WEMPTY("core");
		return w;
	}
	w.params[0] = (struct want_param)WS("status", st);
	w.params[1] = (struct want_param)WS("code", WIFEXITED(st) ? WEXITSTATUS(st) : 0);
	w.params[2] = (struct want_param)WS("sig", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	w.params[3] = (struct want_param)WU("core", WIFSIGNALED(st) && WCOREDUMP(st) ? 1 : 0);
	w.params[4] = (struct want_param)WU("last", last);
	return w;
}

/* A forked child that runs fn(arg), which never returns, reaped by the thread that forked it. */
struct fork_job {
	void (*fn)(void *);
	void *arg;
	pid_t child;
	int status;
};

static void *run_fork(void *p)
{
	struct fork_job *j = p;

	j->child = fork();
	if (j->child == 0) {
		j->fn(j->arg);
		_exit(127);
	}
	if (j->child > 0)
		waitpid(j->child, &j->status, 0);
	return NULL;
}

/*
 * The shared handle, drained, then j's child forked and reaped while it
 * captures; j->arg is the child's shared page (NULL: it could not be mapped).
 */
static int fork_under_capture(struct live_test *t, struct scap **h, struct fork_job *j)
{
	pid_t tid;

	*h = live_shared_handle(t);
	if (!*h)
		return LIVE_FAIL;
	if (!j->arg)
		return live_fail(t, "mmap: %s", strerror(errno));
	live_drain(*h);
	live_run_thread(run_fork, j, &tid);
	return LIVE_PASS;
}

/* A page shared with children, zeroed; NULL when it cannot be mapped. */
static void *shared_page(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, len);
	return p;
}

enum child_how { CHILD_EXIT3, CHILD_SIGKILL, CHILD_SEGV };

struct child_job {
	enum child_how how;
	pid_t child;
	int status;     /* from waitpid: the ground truth */
	char dir[300];  /* CHILD_SEGV: where the core goes */
};

static void *run_child(void *p)
{
	struct child_job *j = p;
	char self[] = "/proc/self/exe", a0[] = "scap_live", a1[] = LIVE_SEGV_ARG;
	char *av[] = { a0, a1, NULL }, *env[] = { NULL };
	struct rlimit rl;

	j->child = fork();
	if (j->child == 0) {
		if (j->how == CHILD_EXIT3)
			syscall(SYS_exit_group, 3);
		if (j->how == CHILD_SIGKILL)
			for (;;)
				pause();
		/* The core goes to a directory of its own; exec'd, the image is small. */
		if (chdir(j->dir) != 0)
			_exit(98);
		if (getrlimit(RLIMIT_CORE, &rl) == 0) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_CORE, &rl);
		}
		execve(self, av, env);
		_exit(97);
	}
	if (j->child > 0 && j->how == CHILD_SIGKILL)
		kill(j->child, SIGKILL);
	if (j->child > 0)
		waitpid(j->child, &j->status, 0);
	return NULL;
}

static int procexit_of(struct live_test *t, struct child_job *j, const char *what)
{
	struct scap *h = live_shared_handle(t);
	struct want_event w;
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	live_drain(h);
	live_run_thread(run_child, j, &tid);
	if (j->child <= 0)
		return live_fail(t, "fork failed here: %s", strerror(errno));
	w = want_procexit(what, j->child, j->child, j->status, true);
	return live_expect(t, h, &w, 1);
}

int test_procexit_code(struct live_test *t)
{
	struct child_job j = { .how = CHILD_EXIT3 };
	int r = procexit_of(t, &j, "procexit of a child that called exit_group(3)");

	if (r == LIVE_PASS && (!WIFEXITED(j.status) || WEXITSTATUS(j.status) != 3))
		return live_fail(t, "the child's wait status is %#x, not an exit with code 3", j.status);
	return r;
}

int test_procexit_sigkill(struct live_test *t)
{
	struct child_job j = { .how = CHILD_SIGKILL };
	int r = procexit_of(t, &j, "procexit of a child killed with SIGKILL");

	if (r == LIVE_PASS && (!WIFSIGNALED(j.status) || WTERMSIG(j.status) != SIGKILL))
		return live_fail(t, "the child's wait status is %#x, not a death by SIGKILL", j.status);
	return r;
}

/* Removes dir and what a dump left in it (core, core.<pid>, whatever core_pattern names). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[600];

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

int test_procexit_core(struct live_test *t)
{
	struct child_job j = { .how = CHILD_SEGV };
	char pattern[256] = "?";
	int r;

	live_tmp_path(j.dir, sizeof(j.dir), "core");
	if (mkdir(j.dir, 0700) != 0)
		return live_fail(t, "mkdir %s: %s", j.dir, strerror(errno));
	r = procexit_of(t, &j, "procexit of a child that died of SIGSEGV");
	remove_dir(j.dir);
	if (r != LIVE_PASS)
		return r;
	if (!WIFSIGNALED(j.status) || WTERMSIG(j.status) != SIGSEGV)
		return live_fail(t, "the child's wait status is %#x, not a death by SIGSEGV", j.status);
	/* What the kernel told waitpid is what procexit must say; note which case this host gave. */
	if (live_read_raw("/proc/sys/kernel/core_pattern", pattern, sizeof(pattern)) > 0)
		pattern[strcspn(pattern, "\n")] = '\0';
	snprintf(t->msg, sizeof(t->msg), "wait status %#x: %s (core_pattern \"%s\")", j.status,
		 WCOREDUMP(j.status) ? "core dumped" : "no core dumped", pattern);
	return LIVE_PASS;
}

/* Four threads: three end one by one with exit(10 + i), then the leader with exit_group(7). */
#define THREADS_N 3

struct threads_shared {
	int go[THREADS_N];       /* the leader lets thread i end */
	pid_t tids[THREADS_N];
	int ready;
};

struct threads_arg {
	struct threads_shared *sh;
	int i;
};

static void *threads_one(void *p)
{
	struct threads_arg *a = p;

	__atomic_store_n(&a->sh->tids[a->i], (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	while (!__atomic_load_n(&a->sh->go[a->i], __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &a->sh->go[a->i], FUTEX_WAIT, 0, NULL, NULL, 0);
	syscall(SYS_exit, 10 + a->i);
	return NULL;
}

/* In the forked child: the threads, then their ends in order. */
static void threads_child(void *arg)
{
	struct threads_shared *sh = arg;
	struct threads_arg args[THREADS_N];
	pthread_t th[THREADS_N];

	for (int i = 0; i < THREADS_N; i++) {
		args[i] = (struct threads_arg){ sh, i };
		if (pthread_create(&th[i], NULL, threads_one, &args[i]) != 0)
			syscall(SYS_exit_group, 90);
	}
	for (int i = 0; i < THREADS_N; i++)
		while (!__atomic_load_n(&sh->tids[i], __ATOMIC_ACQUIRE))
			sched_yield();
	__atomic_store_n(&sh->ready, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < THREADS_N; i++) {
		char task[64];

		__atomic_store_n(&sh->go[i], 1, __ATOMIC_RELEASE);
		syscall(SYS_futex, &sh->go[i], FUTEX_WAKE, 1, NULL, NULL, 0);
		pthread_join(th[i], NULL);
		/*
		 * join returns when the kernel cleared the thread's tid (exit_mm),
		 * which before 6.16 is before sched_process_exit: a thread slow
		 * to get there would see the whole process gone, rightly "last".
		 * Its task leaves /proc after the tracepoint: wait for that.
		 */
		snprintf(task, sizeof(task), "/proc/self/task/%d", (int)sh->tids[i]);
		for (int n = 0; access(task, F_OK) == 0; n++) {
			if (n == 10000)
				syscall(SYS_exit_group, 91);
			usleep(1000);
		}
	}
	syscall(SYS_exit_group, 7);
}

int test_procexit_threads(struct live_test *t)
{
	struct threads_shared *sh = shared_page(sizeof(*sh));
	struct fork_job j = { threads_child, sh };
	struct want_event w[THREADS_N + 1];
	struct scap *h;
	int r = fork_under_capture(t, &h, &j);

	if (r != LIVE_PASS) {
		if (sh)
			munmap(sh, sizeof(*sh));
		return r;
	}
	if (j.child <= 0 || !sh->ready || !WIFEXITED(j.status) || WEXITSTATUS(j.status) != 7) {
		r = live_fail(t, "the four-thread child did not run its script (wait status %#x)", j.status);
		munmap(sh, sizeof(*sh));
		return r;
	}
	for (int i = 0; i < THREADS_N; i++)
		w[i] = want_procexit("procexit of a thread that called exit(10 + i)", sh->tids[i], j.child,
				     (10 + i) << 8, false);
	w[THREADS_N] = want_procexit("procexit of the leader, the last thread", j.child, j.child, 7 << 8, true);
	munmap(sh, sizeof(*sh));
	r = live_expect(t, h, w, THREADS_N + 1);
	if (r != LIVE_PASS)
		return r;
	/* Delivered in the order they ended. */
	for (int i = 0; i < THREADS_N + 1; i++)
		if (w[i].seq != (unsigned)i)
			return live_fail(t, "%s (tid %u) was delivered as procexit #%u of 4, want #%d", w[i].what,
					 w[i].tid, w[i].seq + 1, i + 1);
	return LIVE_PASS;
}

/* ---- the clone family's child-side context ------------------------------------------- */

/* What a new task read about itself from /proc while alive. */
struct self_info {
	char status[4096], comm[64], cgroup[4096];
	char exe[PATH_MAX], cwd[PATH_MAX];
	int ok;
};

/*
 * Reads it with raw syscalls only: a vfork child or a thread without its own
 * TLS must not touch libc state.
 */
static void read_self(struct self_info *s)
{
	long n;

	s->ok = 0;
	if (live_read_raw("/proc/thread-self/status", s->status, sizeof(s->status)) <= 0 ||
	    live_read_raw("/proc/thread-self/comm", s->comm, sizeof(s->comm)) <= 0 ||
	    live_read_raw("/proc/thread-self/cgroup", s->cgroup, sizeof(s->cgroup)) < 0)
		return;
	n = syscall(SYS_readlinkat, AT_FDCWD, "/proc/thread-self/exe", s->exe, sizeof(s->exe) - 1);
	if (n <= 0)
		return;
	s->exe[n] = '\0';
	if (syscall(SYS_getcwd, s->cwd, sizeof(s->cwd)) <= 0)
		return;
	s->ok = 1;
}

/* Field `name` of a status text, its k-th number (k < 0: the last one, as NSpid's own level). */
static long status_num(const char *status, const char *name, int k)
{
	char key[32];
	const char *p;
	long v = -1;

	snprintf(key, sizeof(key), "\n%s:", name);
	p = strstr(status, key);
	if (!p)
		return -1;
	p += strlen(key);
	for (int i = 0;; i++) {
		char *end;
		long x = strtol(p, &end, 10);

		if (end == p)
			return k < 0 ? v : -1;
		v = x;
		if (i == k)
			return v;
		p = end;
		if (*p == '\n')
			return k < 0 ? v : -1;
	}
}

/*
 * The events of one clone-family call: the parent's return (the new task's
 * context empty) and the new task's own (its context = what it read).
 */
static int check_clone(struct live_test *t, struct scap *h, uint16_t type, const char *name, pid_t parent_tid,
		       pid_t parent_pid, uint64_t flags, const struct self_info *s)
{
	static char comm[64], cgroup[4096];
	long tid = status_num(s->status, "Pid", 0), tgid = status_num(s->status, "Tgid", 0);
	bool nobtf = live_no_task_btf();

	if (!s->ok || tid <= 0 || tgid <= 0)
		return live_fail(t, "the new task could not read its /proc files");
	snprintf(comm, sizeof(comm), "%.*s", (int)strcspn(s->comm, "\n"), s->comm);
	live_cgroup_path(s->cgroup, cgroup, sizeof(cgroup));

	struct want_event w[2] = {
		{ .what = "the parent's return", .tid = (uint32_t)parent_tid, .pid = (uint32_t)parent_pid,
		  .type = type, .event_name = name, .key = WS("res", tid),
		  .params = { WS("res", tid), WU("flags", flags), WEMPTY("ppid"), WEMPTY("comm"), WEMPTY("exe"),
			      WEMPTY("uid"), WEMPTY("gid"), WEMPTY("euid"), WEMPTY("cwd"), WEMPTY("cgroup"),
			      WEMPTY("vtid"), WEMPTY("vpid") } },
		{ .what = "the new task's return", .tid = (uint32_t)tid, .pid = (uint32_t)tgid, .type = type,
		  .event_name = name,
		  .params = {
			  WS("res", 0), WU("flags", flags), WSTR("comm", comm),
			  WU("uid", (uint64_t)status_num(s->status, "Uid", 0)),
			  WU("gid", (uint64_t)status_num(s->status, "Gid", 0)),
			  nobtf ? (struct want_param)WEMPTY("ppid") : (struct want_param)WS("ppid", status_num(s->status, "PPid", 0)),
			  nobtf ? (struct want_param)WEMPTY("exe") : (struct want_param)WSTR("exe", s->exe),
			  nobtf ? (struct want_param)WEMPTY("euid")
				: (struct want_param)WU("euid", (uint64_t)status_num(s->status, "Uid", 1)),
			  nobtf ? (struct want_param)WEMPTY("cwd") : (struct want_param)WSTR("cwd", s->cwd),
			  nobtf ? (struct want_param)WEMPTY("cgroup") : (struct want_param)WSTR("cgroup", cgroup),
			  nobtf ? (struct want_param)WEMPTY("vtid") : (struct want_param)WS("vtid", status_num(s->status, "NSpid", -1)),
			  nobtf ? (struct want_param)WEMPTY("vpid") : (struct want_param)WS("vpid", status_num(s->status, "NStgid", -1)),
		  } },
	};

	/* fork/vfork/clone3 rows have no stack etc.; clone's raw arguments are checked by test_clone. */
	return live_expect(t, h, w, 2);
}

/* Memory shared with children, for what they read about themselves. */
static struct self_info *shared_info(void)
{
	return shared_page(sizeof(struct self_info));
}

enum clone_how { VIA_FORK, VIA_VFORK, VIA_CLONE3, VIA_PIDNS };

/*
 * fork, or where the architecture has none (aarch64) what libc's fork is:
 * clone(SIGCHLD), whose events are clone's. vfork there is libc's
 * clone(CLONE_VM | CLONE_VFORK | SIGCHLD): clone's events too.
 */
#ifdef SYS_fork
#define LIVE_FORK() syscall(SYS_fork)
#define FORK_EV SCAP_EV_FORK_X, "fork"
#define VFORK_EV SCAP_EV_VFORK_X, "vfork"
#else
#ifdef __s390x__
/* s390's clone takes the stack first (CLONE_BACKWARDS2). */
#define LIVE_FORK() syscall(SYS_clone, 0, SIGCHLD, 0, 0, 0)
#else
#define LIVE_FORK() syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0)
#endif
#define FORK_EV SCAP_EV_CLONE_X, "clone"
#define VFORK_EV SCAP_EV_CLONE_X, "clone"
#endif

struct clone_job {
	enum clone_how how;
	struct self_info *s;
	struct clone_args ca;
	long child;      /* the task whose return is checked */
	int status, err;
	pid_t tid;       /* the thread that called */
};

/* unshare(CLONE_NEWPID) then fork: the grandchild is pid 1 of the new namespace. */
static void __attribute__((noreturn)) pidns_child(struct clone_job *j)
{
	long c;
	int st = 0;

	if (syscall(SYS_unshare, CLONE_NEWPID) != 0)
		_exit(80);
	c = LIVE_FORK();
	if (c == 0) {
		read_self(j->s);
		_exit(0);
	}
	if (c < 0 || waitpid((pid_t)c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		_exit(81);
	/* The grandchild's global tid for the parent: its own files say it. */
	_exit(0);
}

static void *run_clone(void *p)
{
	struct clone_job *j = p;

	j->tid = live_gettid();
	switch (j->how) {
	case VIA_FORK:
		j->child = LIVE_FORK();
		break;
	case VIA_VFORK:
		/* libc's vfork: the raw syscall cannot return into a C caller twice. */
		j->child = vfork();
		break;
	case VIA_CLONE3:
		j->child = syscall(SYS_clone3, &j->ca, sizeof(j->ca));
		break;
	case VIA_PIDNS:
		j->child = LIVE_FORK();
		if (j->child == 0)
			pidns_child(j);
		break;
	}
	if (j->child == 0) {
		read_self(j->s);
		_exit(0);
	}
	j->err = errno;
	if (j->child > 0)
		waitpid((pid_t)j->child, &j->status, 0);
	return NULL;
}

static int clone_ctx(struct live_test *t, struct clone_job *j, uint16_t type, const char *name, uint64_t flags)
{
	struct scap *h = live_shared_handle(t);
	pid_t tid;
	int r;

	if (!h)
		return LIVE_FAIL;
	j->s = shared_info();
	if (!j->s)
		return live_fail(t, "mmap: %s", strerror(errno));
	live_drain(h);
	live_run_thread(run_clone, j, &tid);
	if (j->child <= 0)
		r = live_fail(t, "%s failed here: %s", name, strerror(j->err));
	else if (!WIFEXITED(j->status) || WEXITSTATUS(j->status) != 0)
		r = live_fail(t, "the %s child's wait status is %#x", name, j->status);
	else
		r = check_clone(t, h, type, name, j->tid, getpid(), flags, j->s);
	munmap(j->s, sizeof(*j->s));
	return r;
}

int test_fork_child_ctx(struct live_test *t)
{
	struct clone_job j = { .how = VIA_FORK };

	return clone_ctx(t, &j, FORK_EV, SIGCHLD);
}

int test_vfork_child_ctx(struct live_test *t)
{
	struct clone_job j = { .how = VIA_VFORK };

	return clone_ctx(t, &j, VFORK_EV, CLONE_VM | CLONE_VFORK | SIGCHLD);
}

#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif

int test_clone3_child_ctx(struct live_test *t)
{
	/* A flag past bit 31 where the kernel knows one (5.5+): clone3's flags are 64 bits. */
	struct clone_job j = { .how = VIA_CLONE3, .ca = { .flags = CLONE_CLEAR_SIGHAND, .exit_signal = SIGCHLD } };
	int r;

	if (syscall(SYS_clone3, NULL, 0) == -1 && errno == ENOSYS)
		return live_skip(t, "clone3 is Linux 5.3+, this kernel does not have it");
	r = clone_ctx(t, &j, SCAP_EV_CLONE3_X, "clone3", CLONE_CLEAR_SIGHAND);
	if (j.child < 0 && j.err == EINVAL) {
		/* 5.3 and 5.4: no CLONE_CLEAR_SIGHAND. */
		struct clone_job k = { .how = VIA_CLONE3, .ca = { .exit_signal = SIGCHLD } };

		r = clone_ctx(t, &k, SCAP_EV_CLONE3_X, "clone3", 0);
		if (r == LIVE_PASS)
			snprintf(t->msg, sizeof(t->msg), "flags 0: no CLONE_CLEAR_SIGHAND before Linux 5.5");
	}
	return r;
}

/* The flags of pthread_create, but the TLS: the thread runs raw syscalls only. */
#define THREAD_FLAGS                                                                            \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |     \
	 CLONE_CHILD_CLEARTID)
#define THREAD_STACK (64u * 1024u)

/*
 * A thread made by libc's clone(), not pthread_create: one that ends with a
 * raw exit(2) leaves no pthread (or sanitizer) state behind for the next
 * pthread to trip over.
 */
struct thread_job {
	int (*fn)(void *); /* runs on the new thread, raw syscalls only */
	void *arg;
	char *stack;
	int ctid;   /* cleared (and futex-woken) by the kernel when the thread is gone */
	long child;
	int err;
	pid_t tid;  /* the thread that called clone */
};

static int thread_read_self(void *arg)
{
	read_self(arg);
	return 0; /* libc's clone ends the thread with exit(0) */
}

static void *run_thread_clone(void *p)
{
	struct thread_job *j = p;
	int v;

	j->tid = live_gettid();
	j->ctid = -1;
	j->child = clone(j->fn, j->stack + THREAD_STACK, THREAD_FLAGS, j->arg, NULL, NULL, &j->ctid);
	j->err = errno;
	while (j->child > 0 && (v = __atomic_load_n(&j->ctid, __ATOMIC_ACQUIRE)) != 0)
		syscall(SYS_futex, &j->ctid, FUTEX_WAIT, v, NULL, NULL, 0);
	return NULL;
}

int test_thread_child_ctx(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct self_info *s = shared_info();
	struct thread_job j = { thread_read_self, s, malloc(THREAD_STACK) };
	pid_t tid;
	int r;

	if (!h || !s || !j.stack) {
		free(j.stack);
		if (s)
			munmap(s, sizeof(*s));
		return h ? live_fail(t, "out of memory") : LIVE_FAIL;
	}
	live_drain(h);
	live_run_thread(run_thread_clone, &j, &tid);
	if (j.child <= 0)
		r = live_fail(t, "clone(CLONE_THREAD) failed here: %s", strerror(j.err));
	else
		r = check_clone(t, h, SCAP_EV_CLONE_X, "clone", j.tid, getpid(), THREAD_FLAGS, s);
	munmap(s, sizeof(*s));
	free(j.stack);
	return r;
}

int test_pidns_child_ctx(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct clone_job j = { .how = VIA_PIDNS };
	long child;
	pid_t tid;
	int r;

	if (!h)
		return LIVE_FAIL;
	j.s = shared_info();
	if (!j.s)
		return live_fail(t, "mmap: %s", strerror(errno));
	live_drain(h);
	live_run_thread(run_clone, &j, &tid);
	if (j.child <= 0) {
		munmap(j.s, sizeof(*j.s));
		return live_fail(t, "fork failed here: %s", strerror(j.err));
	}
	if (WIFEXITED(j.status) && WEXITSTATUS(j.status) == 80) {
		munmap(j.s, sizeof(*j.s));
		return live_skip(t, "unshare(CLONE_NEWPID) is refused here (no pid namespaces, or no CAP_SYS_ADMIN)");
	}
	if (!WIFEXITED(j.status) || WEXITSTATUS(j.status) != 0) {
		munmap(j.s, sizeof(*j.s));
		return live_fail(t, "the namespace child's wait status is %#x", j.status);
	}
	/* The grandchild is the new namespace's pid 1; its parent is the child that unshared. */
	child = status_num(j.s->status, "Pid", 0);
	if (status_num(j.s->status, "NSpid", -1) != 1) {
		munmap(j.s, sizeof(*j.s));
		return live_fail(t, "the grandchild's NSpid line does not end in 1: it is not in a new pid namespace");
	}
	r = check_clone(t, h, FORK_EV, (pid_t)j.child, (pid_t)j.child, SIGCHLD, j.s);
	if (r == LIVE_PASS)
		snprintf(t->msg, sizeof(t->msg), "tid %ld is 1 in its namespace", child);
	munmap(j.s, sizeof(*j.s));
	return r;
}

/* ---- execve from a non-leader thread ------------------------------------------------ */

struct exec_shared {
	pid_t thread_tid;
};

static void *exec_thread(void *p)
{
	struct exec_shared *sh = p;
	char self[] = "/proc/self/exe", a0[] = "scap_live", a1[] = LIVE_EXEC_THREAD_ARG;
	char *av[] = { a0, a1, NULL }, *env[] = { NULL };

	__atomic_store_n(&sh->thread_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	syscall(SYS_execve, self, av, env);
	syscall(SYS_exit_group, 96);
	return NULL;
}

/* In the forked child: the leader waits; the thread's execve ends it and takes its tid. */
static void exec_from_thread_child(void *sh)
{
	pthread_t th;

	if (pthread_create(&th, NULL, exec_thread, sh) != 0)
		syscall(SYS_exit_group, 95);
	for (;;)
		pause();
}

int test_exec_from_thread(struct live_test *t)
{
	struct exec_shared *sh = shared_page(sizeof(*sh));
	struct fork_job j = { exec_from_thread_child, sh };
	bool nobtf = live_no_task_btf();
	struct scap *h;
	int r = fork_under_capture(t, &h, &j);
	pid_t c, th;

	if (r != LIVE_PASS) {
		if (sh)
			munmap(sh, sizeof(*sh));
		return r;
	}
	c = j.child;
	th = sh->thread_tid;
	munmap(sh, sizeof(*sh));
	if (c <= 0 || th <= 0 || !WIFEXITED(j.status) || WEXITSTATUS(j.status) != 0)
		return live_fail(t, "the exec-from-a-thread child did not run its script (wait status %#x)",
				 j.status);

	struct want_event w[] = {
		/* de_thread ends the old leader first: not the last thread, the exec'ing one lives on. */
		want_procexit("procexit of the old leader", c, c, 0, false),
		{ .what = "execve exit, as the leader", .tid = (uint32_t)c, .pid = (uint32_t)c,
		  .type = SCAP_EV_EXECVE_X, .event_name = "execve", .flags_clear = SCAP_EVF_TOCTOU,
		  .params = { WS("res", 0), WS("old_tid", th) } },
		{ .what = "the new image's getppid, as the leader", .tid = (uint32_t)c, .pid = (uint32_t)c,
		  .type = SCAP_EV_GENERIC_X, .event_name = "getppid",
		  .params = { WS("res", getpid()), WU("syscall", SYS_getppid) } },
		want_procexit("procexit of the new image", c, c, 0, true),
		{ .what = "a procexit of the thread that exec'd", .tid = (uint32_t)th, .type = SCAP_EV_PROCEXIT_E,
		  .forbidden = true },
	};

	/* Both procexits are the leader tid's: told apart by last where the engine fills it. */
	if (!nobtf) {
		w[0].key = (struct want_param)WU("last", 0);
		w[3].key = (struct want_param)WU("last", 1);
	}
	r = live_expect(t, h, w, sizeof(w) / sizeof(w[0]));
	if (r == LIVE_PASS && !(w[0].seq < w[1].seq && w[1].seq < w[2].seq && w[2].seq < w[3].seq))
		return live_fail(t, "delivered out of order: old leader's procexit #%u, execve #%u, getppid #%u, "
				 "last procexit #%u", w[0].seq, w[1].seq, w[2].seq, w[3].seq);
	if (r == LIVE_PASS)
		snprintf(t->msg, sizeof(t->msg), "thread %d exec'd as leader %d", th, c);
	return r;
}

/* ---- exit(2) selected by its name, under a pid filter ---------------------------------- */

static int exit_5(void *p)
{
	*(pid_t *)p = (pid_t)syscall(SYS_gettid);
	syscall(SYS_exit, 5);
	return 0;
}

static void exit_0(void *arg)
{
	(void)arg;
	syscall(SYS_exit_group, 0);
}

int test_exit_thread(struct live_test *t)
{
	static const char *const names[] = { "exit", "procexit", NULL };
	struct scap_open_opts o = { .syscalls = names, .pid = getpid() };
	struct fork_job other = { exit_0, NULL };
	pid_t child, tid = 0, runner;
	struct thread_job j = { exit_5, &tid, malloc(THREAD_STACK) };
	struct scap *h;
	int r;

	if (!j.stack)
		return live_fail(t, "out of memory");
	h = live_open(t, &o);
	if (!h) {
		free(j.stack);
		return LIVE_FAIL;
	}
	/* Another process first: the pid filter keeps its end out. */
	live_run_thread(run_fork, &other, &runner);
	child = other.child;
	live_run_thread(run_thread_clone, &j, &runner);
	free(j.stack);
	if (child <= 0 || j.child <= 0 || tid != j.child) {
		scap_close(h);
		return live_fail(t, "fork or clone of the thread failed here: %s", strerror(j.err));
	}
	struct want_event w[] = {
		{ .what = "exit(5) at enter", .tid = (uint32_t)tid, .pid = (uint32_t)getpid(), .type = SCAP_EV_EXIT_E,
		  .event_name = "exit", .params = { WS("status", 5) } },
		want_procexit("procexit of the thread", tid, getpid(), 5 << 8, false),
		{ .what = "procexit of another process (pid filter)", .tid = (uint32_t)child,
		  .type = SCAP_EV_PROCEXIT_E, .forbidden = true },
	};
	r = live_expect(t, h, w, sizeof(w) / sizeof(w[0]));
	scap_close(h);
	return r;
}
