// SPDX-License-Identifier: Apache-2.0
/*
 * The process table driven by crafted lifecycle events: what each event
 * does to an entry, threads sharing a working directory, exec from a
 * non-leader thread, the end of threads and processes with the grace
 * period, reused tids, the race with the /proc scan (the newer source
 * wins), eviction at the bound, and memory coming back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "scap/proc/proctable.h"
#include "scap/proc/update.h"
#include "proc_events.h"

#define SIGCHLD_ 17
#define CLONE_VM_ 0x100u
#define CLONE_FS_ 0x200u
#define CLONE_FILES_ 0x400u
#define CLONE_SIGHAND_ 0x800u
#define CLONE_THREAD_ 0x10000u
#define PTHREAD_FLAGS (CLONE_VM_ | CLONE_FS_ | CLONE_FILES_ | CLONE_SIGHAND_ | CLONE_THREAD_)
#define MS 1000000ull

static uint8_t buf[65536];
static const struct scap_proc_rows *rows;

static void feed(struct scap_proctable *t, const struct scap_evt_hdr *ev)
{
	scap_proc_apply(t, rows, ev, NULL);
}

/* The child's side of fork(): what the drivers fill. */
static void child_fork(struct scap_proctable *t, uint32_t tid, uint64_t ts, uint32_t ppid, const char *comm,
		       const char *exe, uint32_t uid, const char *cwd, const char *cgroup)
{
	const struct kv kv[] = {
		KU("res", 0), KU("flags", SIGCHLD_), KU("ppid", ppid), KS("comm", comm), KS("exe", exe),
		KU("uid", uid), KU("gid", uid + 1), KU("euid", uid), KS("cwd", cwd), KS("cgroup", cgroup),
		KU("vtid", tid), KU("vpid", tid),
	};
	feed(t, mkev(buf, SCAP_EV_FORK_X, tid, tid, ts, 0, kv, NKV(kv)));
}

/* As events carry argv (layout 2): each string's NUL, then the array's. */
static const char argv_sh[] = "/bin/sh\0-c\0echo hi\0";
#define ARGS_SH_LEN (sizeof(argv_sh) - 1) /* the table's args: without the array's NUL */

static void exec_ok(struct scap_proctable *t, uint32_t tid, uint32_t old_tid, uint64_t ts, const char *exe,
		    const void *argv, uint32_t argv_len, uint32_t uid, uint32_t euid)
{
	const struct kv kv[] = {
		KU("res", 0), KS("pathname", exe), KB("argv", argv, argv_len), KS("exe", exe), KS("comm", "sh"),
		KU("ppid", 1), KU("uid", uid), KU("gid", 50), KS("cwd", "/home/u"), KS("cgroup", "/user.slice"),
		KU("euid", euid), KU("egid", 51), KU("loginuid", 1000), KU("old_tid", old_tid),
	};
	feed(t, mkev(buf, SCAP_EV_EXECVE_X, tid, tid, ts, 0, kv, NKV(kv)));
}

static void procexit(struct scap_proctable *t, uint32_t tid, uint32_t pid, uint64_t ts, int32_t status, bool last)
{
	const struct kv kv[] = {
		KU("status", (uint32_t)status), KU("code", (status >> 8) & 0xff), KU("sig", status & 0x7f),
		KU("core", 0), KU("last", last),
	};
	feed(t, mkev(buf, SCAP_EV_PROCEXIT_E, tid, pid, ts, 0, kv, NKV(kv)));
}

static void chdir_ev(struct scap_proctable *t, uint32_t tid, uint32_t pid, uint64_t ts, const char *cwd)
{
	const struct kv kv[] = { KU("res", 0), KS("path", cwd), KS("cwd", cwd) };

	feed(t, mkev(buf, SCAP_EV_CHDIR_X, tid, pid, ts, 0, kv, NKV(kv)));
}

static struct scap_proc get(struct scap_proctable *t, uint32_t tid, uint64_t ts)
{
	struct scap_proc p;
	struct scap_proc_entry *e = scap_proctable_find(t, tid);

	memset(&p, 0, sizeof(p));
	if (!e)
		fail_msg("no entry for tid %u", tid);
	scap_proctable_fill(t, e, ts, &p);
	return p;
}

static int setup(void **state)
{
	static struct scap_proctable t;

	rows = scap_proc_rows_get();
	assert_int_equal(scap_proctable_init(&t, 0, 0), 0);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct scap_proctable *t = *state;

	scap_proctable_free(t);
	return 0;
}

static void clone_child_creates_entry(void **state)
{
	struct scap_proctable *t = *state;
	const struct kv parent_side[] = { KU("res", 501), KU("flags", SIGCHLD_) };
	struct scap_proc p;

	/* The parent's return says nothing of the child: no entry from it. */
	feed(t, mkev(buf, SCAP_EV_FORK_X, 400, 400, 10 * MS, 0, parent_side, NKV(parent_side)));
	assert_null(scap_proctable_find(t, 400));
	assert_null(scap_proctable_find(t, 501));
	child_fork(t, 501, 11 * MS, 400, "bash", "/usr/bin/bash", 1000, "/tmp", "/system.slice/docker-"
		   "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d.scope");
	p = get(t, 501, 12 * MS);
	assert_int_equal(p.tid, 501);
	assert_int_equal(p.pid, 501);
	assert_int_equal(p.uid, 1000);
	assert_int_equal(p.gid, 1001);
	assert_int_equal(p.euid, 1000);
	assert_string_equal(p.comm, "bash");
	assert_string_equal(p.exe, "/usr/bin/bash");
	assert_string_equal(p.cwd, "/tmp");
	assert_string_equal(p.container_id, "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d");
	assert_int_equal(p.start_ns, 11 * MS);
	assert_int_equal(p.vtid, 501);
	/* No parent in the table: ppid is not known to be this process's parent now. */
	assert_false(p.known & SCAP_PROC_HAS_PPID);
	/* Not in the event and no parent to take them from. */
	assert_false(p.known & (SCAP_PROC_HAS_ARGS | SCAP_PROC_HAS_EGID | SCAP_PROC_HAS_LOGINUID | SCAP_PROC_HAS_EXIT));
	assert_int_equal(p.known & (SCAP_PROC_HAS_COMM | SCAP_PROC_HAS_EXE | SCAP_PROC_HAS_CWD | SCAP_PROC_HAS_UID |
				    SCAP_PROC_HAS_GID | SCAP_PROC_HAS_EUID | SCAP_PROC_HAS_CGROUP |
				    SCAP_PROC_HAS_START | SCAP_PROC_HAS_VPID),
			 SCAP_PROC_HAS_COMM | SCAP_PROC_HAS_EXE | SCAP_PROC_HAS_CWD | SCAP_PROC_HAS_UID |
				 SCAP_PROC_HAS_GID | SCAP_PROC_HAS_EUID | SCAP_PROC_HAS_CGROUP |
				 SCAP_PROC_HAS_START | SCAP_PROC_HAS_VPID);
	/* An event before the thread started is not its. */
	assert_false(scap_proc_entry_covers(scap_proctable_find(t, 501), 10 * MS));
	assert_true(scap_proc_entry_covers(scap_proctable_find(t, 501), 11 * MS));
}

static void exec_then_fork_inherits(void **state)
{
	struct scap_proctable *t = *state;
	struct scap_proc p, c;

	child_fork(t, 600, 1 * MS, 1, "bash", "/usr/bin/bash", 0, "/", "/");
	exec_ok(t, 600, 600, 2 * MS, "/usr/bin/dash", argv_sh, sizeof(argv_sh), 1000, 0);
	p = get(t, 600, 3 * MS);
	assert_string_equal(p.exe, "/usr/bin/dash");
	assert_string_equal(p.comm, "sh");
	assert_int_equal(p.args_len, ARGS_SH_LEN);
	assert_memory_equal(p.args, argv_sh, ARGS_SH_LEN);
	assert_int_equal(p.uid, 1000);
	assert_int_equal(p.euid, 0);
	assert_int_equal(p.egid, 51);
	assert_int_equal(p.loginuid, 1000);
	assert_string_equal(p.cwd, "/home/u");
	assert_string_equal(p.container_id, "host");
	assert_int_equal(p.start_ns, 1 * MS); /* exec keeps the start */
	/* fork: what the child event does not carry comes from the parent process. */
	child_fork(t, 601, 4 * MS, 600, "sh", "/usr/bin/dash", 1000, "/home/u", "/user.slice");
	c = get(t, 601, 5 * MS);
	assert_true(c.known & SCAP_PROC_HAS_PPID);
	assert_int_equal(c.ppid, 600);
	assert_true(c.known & SCAP_PROC_HAS_ARGS);
	assert_int_equal(c.args_len, ARGS_SH_LEN);
	assert_memory_equal(c.args, argv_sh, ARGS_SH_LEN);
	assert_ptr_equal(c.args, p.args); /* one copy, shared */
	assert_int_equal(c.egid, 51);
	assert_int_equal(c.loginuid, 1000);
	/* fork without CLONE_FS: a chdir of the child does not move the parent. */
	chdir_ev(t, 601, 601, 6 * MS, "/var");
	assert_string_equal(get(t, 601, 7 * MS).cwd, "/var");
	assert_string_equal(get(t, 600, 7 * MS).cwd, "/home/u");
	/* A failed exec changes nothing. */
	{
		const struct kv kv[] = { KU("res", (uint64_t)-2), KS("exe", "/nope"), KS("comm", "nope") };

		feed(t, mkev(buf, SCAP_EV_EXECVE_X, 601, 601, 8 * MS, 0, kv, NKV(kv)));
	}
	assert_string_equal(get(t, 601, 9 * MS).exe, "/usr/bin/dash");
	assert_string_equal(get(t, 601, 9 * MS).comm, "sh");
}

/* An engine that cannot read the task's context (the bpf engine without BTF)
 * sends events with those values empty: the table keeps what the kernel
 * keeps across the call, and says unknown for what it replaced. */
static void empty_values(void **state)
{
	struct scap_proctable *t = *state;
	const struct kv fork_bare[] = { KU("res", 0), KU("flags", SIGCHLD_), KU("ppid", 1200), KS("comm", "parent") };
	const struct kv exec_bare[] = { KU("res", 0), KS("comm", "newimg") };
	struct scap_proc p;

	child_fork(t, 1200, 1 * MS, 1, "parent", "/usr/bin/parent", 1000, "/home/p", "/docker/"
		   "3f0b4c1ee9e95df1c1a5fbcd0c6fb4a0f5c0b77b29f5e4e3ab44e4fa3a5b6c7d");
	exec_ok(t, 1200, 1200, 2 * MS, "/usr/bin/parent", argv_sh, sizeof(argv_sh), 1000, 1000);
	/* fork: the child has its parent's image, ids, directory and cgroup. */
	feed(t, mkev(buf, SCAP_EV_FORK_X, 1201, 1201, 3 * MS, 0, fork_bare, NKV(fork_bare)));
	p = get(t, 1201, 4 * MS);
	assert_string_equal(p.exe, "/usr/bin/parent");
	assert_memory_equal(p.args, argv_sh, ARGS_SH_LEN);
	assert_int_equal(p.uid, 1000);
	assert_string_equal(p.cwd, "/home/u");
	assert_string_equal(p.cgroup, "/user.slice"); /* the parent's since its exec */
	assert_string_equal(p.container_id, "host");
	/* exec with nothing but comm: exe, args and credentials unknown, not the old ones. */
	feed(t, mkev(buf, SCAP_EV_EXECVE_X, 1201, 1201, 5 * MS, 0, exec_bare, NKV(exec_bare)));
	p = get(t, 1201, 6 * MS);
	assert_string_equal(p.comm, "newimg");
	assert_null(p.exe);
	assert_null(p.args);
	assert_int_equal(p.known & (SCAP_PROC_HAS_EXE | SCAP_PROC_HAS_ARGS | SCAP_PROC_HAS_UID | SCAP_PROC_HAS_EUID |
				    SCAP_PROC_HAS_GID | SCAP_PROC_HAS_EGID),
			 0);
	/* What an exec does not change stays. */
	assert_string_equal(p.cwd, "/home/u");
	assert_true(p.known & SCAP_PROC_HAS_CGROUP);
	assert_int_equal(p.ppid, 1200);
	assert_int_equal(p.loginuid, 1000);
	/* A procexit that cannot say whether it was the last thread: a leader's
	 * end is its process's (the table must not keep it forever). */
	feed(t, mkev(buf, SCAP_EV_PROCEXIT_E, 1201, 1201, 7 * MS, 0, NULL, 0));
	p = get(t, 1201, 7 * MS);
	assert_int_equal(p.flags & (SCAP_PROC_F_ENDED | SCAP_PROC_F_PROC_ENDED), SCAP_PROC_F_ENDED | SCAP_PROC_F_PROC_ENDED);
	assert_false(p.known & SCAP_PROC_HAS_EXIT);
	scap_proctable_tick(t, 7 * MS + t->grace_ns);
	assert_null(scap_proctable_find(t, 1201));
}

static void threads_share_cwd(void **state)
{
	struct scap_proctable *t = *state;
	const struct kv th[] = {
		KU("res", 0), KU("flags", PTHREAD_FLAGS), KU("ppid", 1), KS("comm", "worker"), KU("uid", 0),
		KU("gid", 0), KU("euid", 0), KS("cwd", "/srv"), KS("cgroup", "/"),
	};

	child_fork(t, 700, 1 * MS, 1, "srv", "/usr/sbin/srv", 0, "/srv", "/");
	exec_ok(t, 700, 700, 2 * MS, "/usr/sbin/srv", argv_sh, sizeof(argv_sh), 0, 0);
	chdir_ev(t, 700, 700, 3 * MS, "/srv");
	/* A pthread: tid 701 in process 700, no exe in its event (an engine that could not read it). */
	feed(t, mkev(buf, SCAP_EV_CLONE_X, 701, 700, 4 * MS, 0, th, NKV(th)));
	{
		struct scap_proc p = get(t, 701, 5 * MS);

		assert_int_equal(p.pid, 700);
		assert_string_equal(p.comm, "worker");
		assert_string_equal(p.exe, "/usr/sbin/srv"); /* its process's */
		assert_memory_equal(p.args, argv_sh, ARGS_SH_LEN);
	}
	/* The thread's chdir moves the whole process (CLONE_FS)... */
	chdir_ev(t, 701, 700, 6 * MS, "/srv/data");
	assert_string_equal(get(t, 700, 7 * MS).cwd, "/srv/data");
	assert_string_equal(get(t, 701, 7 * MS).cwd, "/srv/data");
	/* ...and a thread made without CLONE_FS has its own. */
	{
		const struct kv own[] = { KU("res", 0), KU("flags", PTHREAD_FLAGS & ~CLONE_FS_), KS("cwd", "/srv/data") };

		feed(t, mkev(buf, SCAP_EV_CLONE_X, 702, 700, 8 * MS, 0, own, NKV(own)));
	}
	chdir_ev(t, 702, 700, 9 * MS, "/tmp");
	assert_string_equal(get(t, 702, 10 * MS).cwd, "/tmp");
	assert_string_equal(get(t, 700, 10 * MS).cwd, "/srv/data");
}

static void exec_from_thread_moves(void **state)
{
	struct scap_proctable *t = *state;
	const struct kv th[] = { KU("res", 0), KU("flags", PTHREAD_FLAGS), KS("comm", "t2"), KS("cwd", "/") };
	static const char argv2[] = "/bin/true\0";
	struct scap_proc p;

	child_fork(t, 800, 1 * MS, 1, "app", "/app", 0, "/", "/");
	feed(t, mkev(buf, SCAP_EV_CLONE_X, 805, 800, 2 * MS, 0, th, NKV(th)));
	/* Thread 805 execs: the kernel ends the leader 800 (procexit, not the last
	 * thread), then 805 returns from execve as 800, saying old_tid 805. */
	procexit(t, 800, 800, 3 * MS, 0, false);
	assert_true(get(t, 800, 3 * MS).flags & SCAP_PROC_F_ENDED);
	exec_ok(t, 800, 805, 4 * MS, "/bin/true", argv2, sizeof(argv2), 0, 0);
	assert_null(scap_proctable_find(t, 805));
	p = get(t, 800, 5 * MS);
	assert_int_equal(p.tid, 800);
	assert_int_equal(p.pid, 800);
	assert_string_equal(p.exe, "/bin/true");
	assert_int_equal(p.flags & (SCAP_PROC_F_ENDED | SCAP_PROC_F_PROC_ENDED), 0);
	assert_int_equal(p.start_ns, 1 * MS); /* the leader's start, as the kernel gives it */
	assert_true(scap_proc_entry_covers(scap_proctable_find(t, 800), 5 * MS));
}

static void creds_and_cwd(void **state)
{
	struct scap_proctable *t = *state;
	const struct kv su[] = {
		KU("res", 0), KU("uid", 65534), KU("cred_uid", 65534), KU("cred_euid", 65534), KU("cred_gid", 0),
		KU("cred_egid", 0),
	};
	const struct kv sg[] = {
		KU("res", (uint64_t)-1), KU("gid", 0), KU("cred_uid", 65534), KU("cred_euid", 65534),
		KU("cred_gid", 65534), KU("cred_egid", 65534),
	};

	child_fork(t, 900, 1 * MS, 1, "d", "/d", 0, "/", "/");
	feed(t, mkev(buf, SCAP_EV_SETUID_X, 900, 900, 2 * MS, 0, su, NKV(su)));
	assert_int_equal(get(t, 900, 3 * MS).uid, 65534);
	assert_int_equal(get(t, 900, 3 * MS).euid, 65534);
	assert_int_equal(get(t, 900, 3 * MS).gid, 0);
	/* The credentials after the call are the kernel's word, even for a failed call. */
	feed(t, mkev(buf, SCAP_EV_SETGID_X, 900, 900, 4 * MS, 0, sg, NKV(sg)));
	assert_int_equal(get(t, 900, 5 * MS).gid, 65534);
	assert_int_equal(get(t, 900, 5 * MS).egid, 65534);
	/* fchdir too */
	{
		const struct kv kv[] = { KU("res", 0), KU("fd", 3), KS("cwd", "/opt") };

		feed(t, mkev(buf, SCAP_EV_FCHDIR_X, 900, 900, 6 * MS, 0, kv, NKV(kv)));
	}
	assert_string_equal(get(t, 900, 7 * MS).cwd, "/opt");
	/* An update of a tid the table never saw makes an entry of what it says. */
	feed(t, mkev(buf, SCAP_EV_SETUID_X, 950, 949, 8 * MS, 0, su, NKV(su)));
	{
		struct scap_proc p = get(t, 950, 9 * MS);

		assert_int_equal(p.pid, 949);
		assert_int_equal(p.uid, 65534);
		assert_int_equal(p.known & ~(SCAP_PROC_HAS_UID | SCAP_PROC_HAS_EUID | SCAP_PROC_HAS_GID | SCAP_PROC_HAS_EGID),
				 0);
	}
}

static void thread_and_process_end(void **state)
{
	struct scap_proctable *t = *state;
	const struct kv th[] = { KU("res", 0), KU("flags", PTHREAD_FLAGS), KS("cwd", "/") };
	uint64_t grace = t->grace_ns;

	child_fork(t, 1000, 1 * MS, 1, "p", "/p", 0, "/", "/");
	feed(t, mkev(buf, SCAP_EV_CLONE_X, 1001, 1000, 2 * MS, 0, th, NKV(th)));
	feed(t, mkev(buf, SCAP_EV_CLONE_X, 1002, 1000, 3 * MS, 0, th, NKV(th)));
	/* A thread ends: readable in its grace period, then gone. */
	procexit(t, 1001, 1000, 10 * MS, 0, false);
	{
		struct scap_proc p = get(t, 1001, 10 * MS);

		assert_true(p.flags & SCAP_PROC_F_ENDED);
		assert_false(p.flags & SCAP_PROC_F_PROC_ENDED);
		assert_true(p.known & SCAP_PROC_HAS_EXIT);
		assert_int_equal(p.exit_ns, 10 * MS);
	}
	assert_true(scap_proc_entry_covers(scap_proctable_find(t, 1001), 10 * MS));
	assert_false(scap_proc_entry_covers(scap_proctable_find(t, 1001), 10 * MS + 1));
	scap_proctable_tick(t, 10 * MS + grace - 1);
	assert_non_null(scap_proctable_find(t, 1001));
	scap_proctable_tick(t, 10 * MS + grace);
	assert_null(scap_proctable_find(t, 1001));
	/* The leader ends first (pthread_exit in main): it stays while the process lives. */
	procexit(t, 1000, 1000, 20 * MS, 0, false);
	scap_proctable_tick(t, 20 * MS + 2 * grace);
	assert_non_null(scap_proctable_find(t, 1000));
	/* Its process is still alive: a child of it keeps its ppid. */
	child_fork(t, 1010, 20 * MS + 2 * grace + 1, 1000, "c", "/c", 0, "/", "/");
	assert_true(get(t, 1010, 20 * MS + 2 * grace + 2).known & SCAP_PROC_HAS_PPID);
	/* The last thread ends with exit status 3 << 8: the process ends, leader included. */
	procexit(t, 1002, 1000, 30 * MS + 2 * grace, 3 << 8, true);
	{
		struct scap_proc p = get(t, 1000, 30 * MS + 2 * grace);

		assert_true(p.flags & SCAP_PROC_F_PROC_ENDED);
		assert_int_equal(get(t, 1002, 30 * MS + 2 * grace).exit_status, 3 << 8);
	}
	/* The child's parent is gone: reparented, to whom no event says. */
	assert_false(get(t, 1010, 30 * MS + 2 * grace + 1).known & SCAP_PROC_HAS_PPID);
	assert_true(get(t, 1010, 30 * MS + 2 * grace - 1).known & SCAP_PROC_HAS_PPID);
	scap_proctable_tick(t, 30 * MS + 3 * grace);
	assert_null(scap_proctable_find(t, 1000));
	assert_null(scap_proctable_find(t, 1002));
	assert_non_null(scap_proctable_find(t, 1010));
}

static void reused_tid(void **state)
{
	struct scap_proctable *t = *state;

	child_fork(t, 1100, 1 * MS, 1, "old", "/old", 0, "/", "/");
	procexit(t, 1100, 1100, 2 * MS, 9, true);
	/* Within the old owner's grace period, the tid comes back for a new process. */
	child_fork(t, 1100, 3 * MS, 1, "new", "/new", 0, "/", "/");
	{
		struct scap_proc p = get(t, 1100, 4 * MS);

		assert_string_equal(p.comm, "new");
		assert_int_equal(p.start_ns, 3 * MS);
		assert_int_equal(p.flags & SCAP_PROC_F_ENDED, 0);
	}
	/* The old owner's events (before 2 ms) are not the new one's... */
	assert_false(scap_proc_entry_covers(scap_proctable_find(t, 1100), 2 * MS));
	/* ...and an event after an owner ended, with no clone seen (dropped), is nobody's. */
	procexit(t, 1100, 1100, 5 * MS, 0, true);
	assert_false(scap_proc_entry_covers(scap_proctable_find(t, 1100), 6 * MS));
	/* An update at 6 ms for that tid starts a fresh entry instead of editing the dead one. */
	chdir_ev(t, 1100, 1100, 6 * MS, "/fresh");
	{
		struct scap_proc p = get(t, 1100, 7 * MS);

		assert_string_equal(p.cwd, "/fresh");
		assert_false(p.known & SCAP_PROC_HAS_COMM);
		assert_int_equal(p.flags & SCAP_PROC_F_ENDED, 0);
	}
}

/* A parent's pid given to a later process: that one is not the parent. */
static void parent_pid_reused(void **state)
{
	struct scap_proctable *t = *state;

	child_fork(t, 1400, 1 * MS, 1, "p", "/p", 0, "/", "/");
	child_fork(t, 1401, 10 * MS, 1400, "c", "/c", 0, "/", "/");
	assert_true(get(t, 1401, 11 * MS).known & SCAP_PROC_HAS_PPID);
	procexit(t, 1400, 1400, 20 * MS, 0, true);
	scap_proctable_tick(t, 20 * MS + 2 * t->grace_ns);
	assert_null(scap_proctable_find(t, 1400));
	child_fork(t, 1400, 30 * MS + 2 * t->grace_ns, 1, "p2", "/p2", 0, "/", "/");
	assert_false(get(t, 1401, 31 * MS + 2 * t->grace_ns).known & SCAP_PROC_HAS_PPID);
	/* A child of the new owner has it as its parent. */
	child_fork(t, 1402, 32 * MS + 2 * t->grace_ns, 1400, "c2", "/c2", 0, "/", "/");
	assert_true(get(t, 1402, 33 * MS + 2 * t->grace_ns).known & SCAP_PROC_HAS_PPID);
}

static void scan_race_newer_wins(void **state)
{
	struct scap_proctable *t = *state;
	struct scap_proc_entry *e = scap_proctable_insert(t, 1200);
	const struct kv su[] = { KU("res", 0), KU("uid", 5), KU("cred_uid", 5), KU("cred_euid", 5), KU("cred_gid", 5),
				 KU("cred_egid", 5) };

	/* As the scan leaves it: read at 100 ms. */
	e->pid = 1200;
	e->uid = 7;
	e->known = SCAP_PROC_HAS_UID;
	e->src_ns = 100 * MS;
	e->flags = SCAP_PROC_F_FROM_SCAN;
	/* Events that happened before the scan read the thread change nothing. */
	feed(t, mkev(buf, SCAP_EV_SETUID_X, 1200, 1200, 90 * MS, 0, su, NKV(su)));
	procexit(t, 1200, 1200, 95 * MS, 0, true);
	child_fork(t, 1200, 99 * MS, 1, "older", "/older", 0, "/", "/");
	e = scap_proctable_find(t, 1200);
	assert_int_equal(e->uid, 7);
	assert_int_equal(e->flags, SCAP_PROC_F_FROM_SCAN);
	assert_false(e->known & SCAP_PROC_HAS_COMM);
	/* A newer event wins over the scan. */
	feed(t, mkev(buf, SCAP_EV_SETUID_X, 1200, 1200, 101 * MS, 0, su, NKV(su)));
	e = scap_proctable_find(t, 1200);
	assert_int_equal(e->uid, 5);
	assert_int_equal(e->src_ns, 101 * MS);
	assert_false(e->flags & SCAP_PROC_F_FROM_SCAN);
}

static void bounded_with_eviction(void **state)
{
	struct scap_proctable t;

	(void)state;
	assert_int_equal(scap_proctable_init(&t, 64, 0), 0);
	for (uint32_t i = 0; i < 64; i++)
		child_fork(&t, 5000 + i, (1 + i) * MS, 1, "x", "/x", 0, "/", "/");
	/* Ten end: they go first when room is needed, oldest first. */
	for (uint32_t i = 0; i < 10; i++)
		procexit(&t, 5000 + i, 5000 + i, (100 + i) * MS, 0, true);
	for (uint32_t i = 0; i < 12; i++)
		child_fork(&t, 6000 + i, (200 + i) * MS, 1, "y", "/y", 0, "/", "/");
	assert_int_equal(t.count, 64);
	assert_int_equal(t.st.evictions, 12);
	for (uint32_t i = 0; i < 10; i++)
		assert_null(scap_proctable_find(&t, 5000 + i));
	/* Then the live entry updated least recently (5010, 5011), not the rest. */
	assert_null(scap_proctable_find(&t, 5010));
	assert_null(scap_proctable_find(&t, 5011));
	assert_non_null(scap_proctable_find(&t, 5012));
	assert_non_null(scap_proctable_find(&t, 6011));
	scap_proctable_free(&t);
}

static void memory_returns(void **state)
{
	struct scap_proctable t;
	uint64_t base, peak = 0;
	const uint64_t grace = 1000 * MS;

	(void)state;
	assert_int_equal(scap_proctable_init(&t, 0, 1000), 0);
	child_fork(&t, 1, 1, 0, "init", "/sbin/init", 0, "/", "/");
	base = scap_proctable_bytes(&t);
	/* 200,000 short-lived processes, 20,000 per second of stream time. */
	for (uint32_t i = 0; i < 200000; i++) {
		uint64_t ts = 2 + (uint64_t)i * 50000;
		uint32_t tid = 100 + i % 60000;

		child_fork(&t, tid, ts, 1, "job", "/usr/bin/job", 1000, "/work", "/user.slice");
		procexit(&t, tid, tid, ts + 20000, 0, true);
		if (scap_proctable_bytes(&t) > peak)
			peak = scap_proctable_bytes(&t);
	}
	/* Bounded by the grace period: about 20,000 ended entries at a time. */
	assert_true(t.count < 21000);
	scap_proctable_tick(&t, 2 + 200000ull * 50000 + grace + 1);
	assert_int_equal(t.count, 1);
	assert_int_equal(t.fs_count, 1);
	assert_int_equal(t.strs.count, 3); /* init's exe, cwd "/", cgroup "/" */
	/* The index and the string set shrink back: within a few KiB of the start. */
	assert_true(scap_proctable_bytes(&t) <= base + 4096);
	assert_true(peak > base + 20000 * sizeof(struct scap_proc_entry));
	scap_proctable_free(&t);
}

static void args_truncated_and_exit_copy(void **state)
{
	struct scap_proctable *t = *state;
	char big[SCAP_MAX_ARGV_LEN];
	static const char image_argv[] = "/bin/sh\0./script.sh\0arg\0";
	static const char caller_argv[] = "./script.sh\0arg\0";
	uint8_t xbuf[65536];
	struct scap_proc p;
	size_t n = 0;

	child_fork(t, 1300, 1 * MS, 1, "x", "/x", 0, "/", "/");
	/* 32 strings marked cut (layout 2's mark): the driver cut the rest. */
	for (int i = 0; i < 32; i++)
		n += (size_t)sprintf(big + n, "a%02d", i) + 1;
	big[n++] = '\0';
	{
		const struct kv kv[] = { KU("res", 0), KBC("argv", big, (uint32_t)n) };

		feed(t, mkev(buf, SCAP_EV_EXECVE_X, 1300, 1300, 2 * MS, 0, kv, NKV(kv)));
	}
	p = get(t, 1300, 3 * MS);
	assert_true(p.flags & SCAP_PROC_F_ARGS_TRUNCATED);
	assert_int_equal(p.args_len, n - 1);
	assert_memory_equal(p.args, big, n - 1);
	/* Another value cut (exe, cwd: their last components, relative): argv is
	 * whole, and each cut path says so. */
	{
		const struct kv kv[] = { KU("res", 0), KB("argv", caller_argv, sizeof(caller_argv)),
					 KSC("exe", "c/d/script"), KSC("cwd", "w/x") };

		feed(t, mkev(buf, SCAP_EV_EXECVE_X, 1300, 1300, 4 * MS, 0, kv, NKV(kv)));
	}
	p = get(t, 1300, 5 * MS);
	assert_false(p.flags & SCAP_PROC_F_ARGS_TRUNCATED);
	assert_int_equal(p.flags & (SCAP_PROC_F_EXE_CUT | SCAP_PROC_F_CWD_CUT | SCAP_PROC_F_CGROUP_CUT),
			 SCAP_PROC_F_EXE_CUT | SCAP_PROC_F_CWD_CUT);
	assert_string_equal(p.exe, "c/d/script");
	assert_string_equal(p.cwd, "w/x");
	assert_string_equal(p.cgroup, "/"); /* not in the event: the fork's, whole */
	/* A whole exe after a cut one: the mark goes (the same bytes, unmarked, are
	 * another string). */
	{
		const struct kv kv[] = { KU("res", 0), KS("exe", "c/d/script"), KS("cwd", "/w/x") };

		feed(t, mkev(buf, SCAP_EV_EXECVE_X, 1300, 1300, 4 * MS + 1, 0, kv, NKV(kv)));
	}
	p = get(t, 1300, 5 * MS);
	assert_false(p.flags & (SCAP_PROC_F_EXE_CUT | SCAP_PROC_F_CWD_CUT));
	/* argv=[] (one NUL): known and empty; an unreadable argv: unknown. */
	{
		const struct kv kv[] = { KU("res", 0), KB("argv", "", 1) };

		feed(t, mkev(buf, SCAP_EV_EXECVE_X, 1300, 1300, 4 * MS + 2, 0, kv, NKV(kv)));
	}
	p = get(t, 1300, 5 * MS);
	assert_true(p.known & SCAP_PROC_HAS_ARGS);
	assert_non_null(p.args);
	assert_int_equal(p.args_len, 0);
	{
		const struct kv kv[] = { KU("res", 0), KUNREAD("argv") };

		feed(t, mkev(buf, SCAP_EV_EXECVE_X, 1300, 1300, 4 * MS + 3, 0, kv, NKV(kv)));
	}
	p = get(t, 1300, 5 * MS);
	assert_false(p.known & SCAP_PROC_HAS_ARGS);
	assert_null(p.args);
	/* Paired: argv comes from the exit as the driver wrote it (the new image's:
	 * a script's interpreter first), not from the caller's array at enter. */
	{
		const struct kv xkv[] = { KU("res", 0), KB("argv", image_argv, sizeof(image_argv)) };
		const struct kv pkv[] = { KU("res", 0), KB("argv", caller_argv, sizeof(caller_argv)) };
		const struct scap_evt_hdr *x = mkev(xbuf, SCAP_EV_EXECVE_X, 1300, 1300, 6 * MS, 0, xkv, NKV(xkv));

		scap_proc_apply(t, rows, mkev(buf, SCAP_EV_EXECVE_X, 1300, 1300, 6 * MS, SCAP_EVF_PAIRED, pkv, NKV(pkv)),
				x);
	}
	assert_int_equal(get(t, 1300, 7 * MS).args_len, sizeof(image_argv) - 1);
	assert_memory_equal(get(t, 1300, 7 * MS).args, image_argv, sizeof(image_argv) - 1);
}

static void selection(void **state)
{
	uint8_t sel[SCAP_NR_SYSCALLS] = { 0 };
	bool procexit = false;
	const char *const names[] = { "clone", "fork", "vfork", "clone3", "execve", "execveat", "setuid", "setgid",
				      "setreuid", "setregid", "setresuid", "setresgid", "chdir", "fchdir" };

	(void)state;
	sel[scap_syscall_nr("execve")] = 1;
	assert_int_equal(scap_proc_select(rows, sel, &procexit), 13);
	assert_true(procexit);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(sel[scap_syscall_nr(names[i])], 1);
	assert_int_equal(sel[scap_syscall_nr("openat")], 0);
	assert_int_equal(scap_proc_role(rows, SCAP_EV_OPENAT_X), SCAP_PROC_ROLE_NONE);
	assert_int_equal(scap_proc_role(rows, SCAP_EV_PROCEXIT_E), SCAP_PROC_ROLE_PROCEXIT);
	assert_int_equal(scap_proc_role(rows, 65535), SCAP_PROC_ROLE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(clone_child_creates_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(exec_then_fork_inherits, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_values, setup, teardown),
		cmocka_unit_test_setup_teardown(threads_share_cwd, setup, teardown),
		cmocka_unit_test_setup_teardown(exec_from_thread_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(creds_and_cwd, setup, teardown),
		cmocka_unit_test_setup_teardown(thread_and_process_end, setup, teardown),
		cmocka_unit_test_setup_teardown(reused_tid, setup, teardown),
		cmocka_unit_test_setup_teardown(parent_pid_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(scan_race_newer_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(args_truncated_and_exit_copy, setup, teardown),
		cmocka_unit_test(bounded_with_eviction),
		cmocka_unit_test(memory_returns),
		cmocka_unit_test_setup_teardown(selection, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
