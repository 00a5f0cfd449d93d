// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sys_enter and sys_exit tracepoints (and sched_process_fork on arm64).
 * They are not exported by name, so they are found by walking the kernel's
 * tracepoints once at load.
 */
#include <linux/tracepoint.h>
#include <linux/sched.h>
#include <linux/compat.h>
#include <linux/string.h>
#include <asm/syscall.h>

#include "scap_kmod.h"

static struct tracepoint *tp_sys_enter;
static struct tracepoint *tp_sys_exit;
static struct tracepoint *tp_sched_fork;

static void find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		tp_sys_enter = tp;
	else if (!strcmp(tp->name, "sys_exit"))
		tp_sys_exit = tp;
	else if (!strcmp(tp->name, "sched_process_fork"))
		tp_sched_fork = tp;
}

/*
 * arm64 returns a new task to user space through ret_from_fork straight to
 * ret_to_user, never through sys_exit: the child's side of clone/clone3 is
 * taken at sched_process_fork, from the child's registers (the parent's
 * copy with x0 = 0), while the parent is still in the syscall.
 */
#ifdef CONFIG_ARM64
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
	return 0;
}

/*
 * Syscalls of 32-bit tasks use another numbering: they are not captured
 * (documented in docs/engines.md).
 */
static bool wanted_task(struct scap_session *s, struct task_struct *task, long nr)
{
	if (!READ_ONCE(s->capturing))
		return false;
	if (nr < 0 || nr >= SCAP_NR_SYSCALLS)
		return false;
	if (READ_ONCE(s->tgid) && task->tgid != READ_ONCE(s->tgid))
		return false;
	if (task->pid == READ_ONCE(s->self_tid))
		return false;
	return test_bit(nr, s->selected);
}

static bool wanted(struct scap_session *s, long nr)
{
	return !in_compat_syscall() && wanted_task(s, current, nr);
}

static void probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	struct scap_session *s = data;

	if (wanted(s, id))
		scap_fill_event(s, current, regs, id, 0, true);
}

static void probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	struct scap_session *s = data;
	long nr = syscall_get_nr(current, regs);

	if (wanted(s, nr))
		scap_fill_event(s, current, regs, nr, ret, false);
}

#if SCAP_FORK_CHILD
/* Kernel and io_uring threads start on kernel registers, not a syscall's. */
#ifdef PF_IO_WORKER
#define SCAP_NO_SYSCALL_TASK (PF_KTHREAD | PF_IO_WORKER)
#else
#define SCAP_NO_SYSCALL_TASK PF_KTHREAD
#endif
static void probe_sched_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	struct scap_session *s = data;
	struct pt_regs *regs;
	long nr;

	if (child->flags & SCAP_NO_SYSCALL_TASK || in_compat_syscall())
		return;
	regs = task_pt_regs(child);
	nr = syscall_get_nr(child, regs);
	if ((nr == SCAP_NR_clone || nr == SCAP_NR_clone3) && wanted_task(s, child, nr))
		scap_fill_event(s, child, regs, nr, 0, false);
}
#endif

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

/* After this returns no probe runs or will run with s: its rings may go. */
void scap_probe_detach(struct scap_session *s)
{
#if SCAP_FORK_CHILD
	tracepoint_probe_unregister(tp_sched_fork, probe_sched_fork, s);
#endif
	tracepoint_probe_unregister(tp_sys_enter, probe_sys_enter, s);
	tracepoint_probe_unregister(tp_sys_exit, probe_sys_exit, s);
	tracepoint_synchronize_unregister();
}
