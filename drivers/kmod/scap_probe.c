// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sys_enter and sys_exit tracepoints. They are not exported by name, so
 * they are found by walking the kernel's tracepoints once at load.
 */
#include <linux/tracepoint.h>
#include <linux/compat.h>
#include <linux/string.h>
#include <asm/syscall.h>

#include "scap_kmod.h"

static struct tracepoint *tp_sys_enter;
static struct tracepoint *tp_sys_exit;

static void find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		tp_sys_enter = tp;
	else if (!strcmp(tp->name, "sys_exit"))
		tp_sys_exit = tp;
}

int scap_probe_lookup(void)
{
	for_each_kernel_tracepoint(find_tp, NULL);
	if (!tp_sys_enter || !tp_sys_exit) {
		pr_err("scap: the sys_enter/sys_exit tracepoints were not found (CONFIG_HAVE_SYSCALL_TRACEPOINTS)\n");
		return -ENOENT;
	}
	return 0;
}

/*
 * Syscalls of 32-bit tasks use another numbering: they are not captured
 * (documented in docs/engines.md).
 */
static bool wanted(struct scap_session *s, long nr)
{
	if (!READ_ONCE(s->capturing))
		return false;
	if (nr < 0 || nr >= SCAP_NR_SYSCALLS)
		return false;
	if (in_compat_syscall())
		return false;
	if (READ_ONCE(s->tgid) && current->tgid != READ_ONCE(s->tgid))
		return false;
	if (current->pid == READ_ONCE(s->self_tid))
		return false;
	return test_bit(nr, s->selected[smp_load_acquire(&s->sel_gen)]);
}

static void probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	struct scap_session *s = data;

	if (wanted(s, id))
		scap_fill_event(s, regs, id, 0, true);
}

static void probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	struct scap_session *s = data;
	long nr = syscall_get_nr(current, regs);

	if (wanted(s, nr))
		scap_fill_event(s, regs, nr, ret, false);
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
	return 0;
}

void scap_probe_sync(void)
{
	tracepoint_synchronize_unregister();
}

/* After this returns no probe runs or will run with s: its rings may go. */
void scap_probe_detach(struct scap_session *s)
{
	tracepoint_probe_unregister(tp_sys_enter, probe_sys_enter, s);
	tracepoint_probe_unregister(tp_sys_exit, probe_sys_exit, s);
	tracepoint_synchronize_unregister();
}
