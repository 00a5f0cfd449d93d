// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoints: sys_enter and sys_exit for every session (and
 * sched_process_fork on arm64), and sched_process_exit (procexit) and
 * sched_process_exec (execve's old tid) only when the selection needs them. They are not exported by name, so
 * they are found by walking the kernel's tracepoints once at load.
 */
#include <linux/tracepoint.h>
#include <linux/compat.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/binfmts.h>
#include <linux/version.h>
#include <asm/syscall.h>

#include "scap_kmod.h"

static struct tracepoint *tp_sys_enter;
static struct tracepoint *tp_sys_exit;
static struct tracepoint *tp_process_exit;
static struct tracepoint *tp_process_exec;
static struct tracepoint *tp_sched_fork;

static void find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		tp_sys_enter = tp;
	else if (!strcmp(tp->name, "sys_exit"))
		tp_sys_exit = tp;
	else if (!strcmp(tp->name, "sched_process_exit"))
		tp_process_exit = tp;
	else if (!strcmp(tp->name, "sched_process_exec"))
		tp_process_exec = tp;
	else if (!strcmp(tp->name, "sched_process_fork"))
		tp_sched_fork = tp;
}

/*
 * arm64 returns a new task to user space through ret_from_fork straight to
 * ret_to_user, never through sys_exit: the child's side of clone/clone3 is
 * taken at sched_process_fork, from the child's registers (the parent's
 * copy with x0 = 0), while the parent is still in the syscall.
 */
/*
 * s390 does pass sys_exit in the new task (__ret_from_fork ends in
 * syscall_exit_to_user_mode), but clears PIF_SYSCALL in its registers first
 * (copy_thread already did): syscall_get_nr() says -1 there, so it is taken
 * at sched_process_fork as on arm64, its number from int_code (below).
 */
#if defined(CONFIG_ARM64) || defined(CONFIG_S390)
#define SCAP_FORK_CHILD 1
#else
#define SCAP_FORK_CHILD 0
#endif

int scap_probe_lookup(void)
{
	for_each_kernel_tracepoint(find_tp, NULL);
	if (!tp_sys_enter || !tp_sys_exit) {
		pr_err("scap: the sys_enter/sys_exit tracepoints were not found (CONFIG_HAVE_SYSCALL_TRACEPOINTS)\n");
		return -ENOENT;
	}
	if (SCAP_FORK_CHILD && !tp_sched_fork) {
		pr_err("scap: the sched_process_fork tracepoint was not found\n");
		return -ENOENT;
	}
	/* Without these, a selection that needs them fails with ENOENT (scap_probe_update). */
	if (!tp_process_exit || !tp_process_exec)
		pr_warn("scap: the sched_process_exit/sched_process_exec tracepoints were not found: no procexit, and execve's old_tid is the leader's\n");
	return 0;
}

/* The pid filter and the consumer thread, which is never captured. */
static bool task_wanted(struct scap_session *s, struct task_struct *task)
{
	if (READ_ONCE(s->tgid) && task->tgid != READ_ONCE(s->tgid))
		return false;
	return task->pid != READ_ONCE(s->self_tid);
}

static bool thread_wanted(struct scap_session *s)
{
	return task_wanted(s, current);
}

/* Syscall nr of task, a live session, the selection in force. */
static bool nr_wanted(struct scap_session *s, struct task_struct *task, long nr)
{
	if (!READ_ONCE(s->capturing))
		return false;
	if (nr < 0 || nr >= SCAP_NR_SYSCALLS)
		return false;
	if (!task_wanted(s, task))
		return false;
	return test_bit(nr, s->selected[smp_load_acquire(&s->sel_gen)]);
}

/*
 * Syscalls of 32-bit tasks use another numbering: they are not captured
 * (documented in docs/engines.md).
 */
static bool wanted(struct scap_session *s, long nr)
{
	return !in_compat_syscall() && nr_wanted(s, current, nr);
}

#if SCAP_HAVE_SOCKETCALL
/*
 * socketcall (socketcall.h): the typed event of the direct syscall when that
 * is selected and the array is readable, else the generic socketcall event
 * when socketcall is selected (exit only: it has no enter event).
 */
static void probe_socketcall(struct scap_session *s, struct pt_regs *regs, long ret, bool enter)
{
	unsigned long raw[SCAP_GENERIC_NARGS];
	unsigned int nargs;
	int nr;

	if (in_compat_syscall())
		return;
	scap_syscall_get_arguments(current, regs, raw);
	nr = scap_socketcall_nr(raw[0], &nargs);
	if (nr >= 0 && nr_wanted(s, current, nr) && scap_fill_socketcall(s, raw[1], nargs, nr, ret, enter))
		return;
	if (!enter && nr_wanted(s, current, SCAP_NR_socketcall))
		scap_fill_event(s, current, regs, SCAP_NR_socketcall, ret, false);
}
/* The one compare every other syscall pays where socketcall exists; nothing elsewhere. */
#define SCAP_IS_SOCKETCALL(nr) unlikely((nr) == SCAP_NR_socketcall)
#else
#define SCAP_IS_SOCKETCALL(nr) false
#define probe_socketcall(s, regs, ret, enter) do { } while (0)
#endif

static void probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	struct scap_session *s = data;

	if (SCAP_IS_SOCKETCALL(id))
		probe_socketcall(s, regs, 0, true);
	else if (wanted(s, id))
		scap_fill_event(s, current, regs, id, 0, true);
}

static void probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	struct scap_session *s = data;
	long nr = syscall_get_nr(current, regs);

#ifdef SCAP_EXEC_SWITCHES_ABI
	/* The exit of an exec that switched ABI: in_compat_syscall() is already the new program's. */
	if (unlikely(SCAP_EXEC_EXIT(nr, regs->regs[8], regs->regs[7]))) {
		nr = scap_exec_abi_nr(nr, in_compat_syscall());
		if (nr >= 0 && nr_wanted(s, current, nr))
			scap_fill_event(s, current, regs, nr, ret, false);
		return;
	}
#endif
	if (SCAP_IS_SOCKETCALL(nr))
		probe_socketcall(s, regs, ret, false);
	else if (wanted(s, nr))
		scap_fill_event(s, current, regs, nr, ret, false);
}

#if SCAP_FORK_CHILD
/* Kernel and io_uring threads start on kernel registers, not a syscall's. */
#ifdef PF_IO_WORKER
#define SCAP_NO_SYSCALL_TASK (PF_KTHREAD | PF_IO_WORKER)
#else
#define SCAP_NO_SYSCALL_TASK PF_KTHREAD
#endif
/*
 * In the parent (current), after copy_process: the child is complete (ids,
 * parent, creds, fs, mm, cgroup) but has not run. Its event is the one
 * sys_exit would have given it, with its own context (scap_fill.c reads it
 * from the task it is given).
 */
static void probe_sched_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	struct scap_session *s = data;
	struct pt_regs *regs;
	long nr;

	if (child->flags & SCAP_NO_SYSCALL_TASK || in_compat_syscall())
		return;
	regs = task_pt_regs(child);
#ifdef CONFIG_S390
	/* The child's PIF_SYSCALL is cleared; int_code still holds the parent's number. */
	nr = regs->int_code & 0xffff;
#else
	nr = syscall_get_nr(child, regs);
#endif
	/* fork and vfork: s390x has them (arm64 does not: SCAP_NR_ABSENT never matches). */
	if ((nr == SCAP_NR_clone || nr == SCAP_NR_clone3 || nr == SCAP_NR_fork || nr == SCAP_NR_vfork) &&
	    nr_wanted(s, child, nr))
		scap_fill_event(s, child, regs, nr, 0, false);
}
#endif

/*
 * do_exit, in the ending thread (current is p), its exit_code already the
 * wait status. 6.16 added group_dead: whether this thread was its process's
 * last; before, the fill reads signal->live.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
static void probe_process_exit(void *data, struct task_struct *p, bool group_dead)
#else
static void probe_process_exit(void *data, struct task_struct *p)
#endif
{
	struct scap_session *s = data;

	if (!READ_ONCE(s->capturing) || !(READ_ONCE(s->kevents) & SCAP_KMOD_KEV_PROCEXIT) ||
	    !thread_wanted(s))
		return;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
	scap_fill_procexit(s, group_dead);
#else
	scap_fill_procexit(s, -1);
#endif
}

/*
 * A successful exec, in the task (current is p), which already has the
 * leader's tid when a non-leader thread exec'd: keeps old_pid for that
 * execve's exit (scap_fill.c takes it).
 */
static void probe_process_exec(void *data, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct scap_session *s = data;
	u32 tid = (u32)current->pid;

	if (!READ_ONCE(s->capturing) || !thread_wanted(s))
		return;
	atomic64_set(&s->exec_tids[tid & (SCAP_EXEC_TIDS - 1)], (s64)((u64)tid << 32 | (u32)old_pid));
}

int scap_probe_attach(struct scap_session *s)
{
	int err;

	err = tracepoint_probe_register(tp_sys_exit, probe_sys_exit, s);
	if (err)
		return err;
	err = tracepoint_probe_register(tp_sys_enter, probe_sys_enter, s);
	if (err) {
		tracepoint_probe_unregister(tp_sys_exit, probe_sys_exit, s);
		tracepoint_synchronize_unregister();
		return err;
	}
#if SCAP_FORK_CHILD
	err = tracepoint_probe_register(tp_sched_fork, probe_sched_fork, s);
	if (err) {
		tracepoint_probe_unregister(tp_sys_enter, probe_sys_enter, s);
		tracepoint_probe_unregister(tp_sys_exit, probe_sys_exit, s);
		tracepoint_synchronize_unregister();
		return err;
	}
#endif
	return 0;
}

void scap_probe_sync(void)
{
	tracepoint_synchronize_unregister();
}

int scap_probe_update(struct scap_session *s)
{
	const unsigned long *sel = s->selected[s->sel_gen]; /* under scap_ctl_lock: the half in force */
	bool exec = test_bit(SCAP_NR_execve, sel) || test_bit(SCAP_NR_execveat, sel);
	int err = 0;

	if ((s->kevents & SCAP_KMOD_KEV_PROCEXIT) && !s->exit_probe) {
		err = tp_process_exit ? tracepoint_probe_register(tp_process_exit, probe_process_exit, s) : -ENOENT;
		s->exit_probe = !err;
	}
	if (exec && !s->exec_probe) {
		int e = tp_process_exec ? tracepoint_probe_register(tp_process_exec, probe_process_exec, s) : -ENOENT;

		s->exec_probe = !e;
		err = err ?: e;
	}
	return err;
}

/* After this returns no probe runs or will run with s: its rings may go. */
void scap_probe_detach(struct scap_session *s)
{
#if SCAP_FORK_CHILD
	tracepoint_probe_unregister(tp_sched_fork, probe_sched_fork, s);
#endif
	if (s->exec_probe)
		tracepoint_probe_unregister(tp_process_exec, probe_process_exec, s);
	if (s->exit_probe)
		tracepoint_probe_unregister(tp_process_exit, probe_process_exit, s);
	tracepoint_probe_unregister(tp_sys_enter, probe_sys_enter, s);
	tracepoint_probe_unregister(tp_sys_exit, probe_sys_exit, s);
	tracepoint_synchronize_unregister();
	s->exec_probe = s->exit_probe = false;
}
