/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal state of the scap module: one capture session per open of
 * /dev/scap, its per-CPU rings, and the fill entry points.
 */
#ifndef SCAP_KMOD_H
#define SCAP_KMOD_H

#include <linux/types.h>
#include <linux/wait.h>
#include <linux/timer.h>
#include <linux/mm_types.h>
#include <linux/atomic.h>

#include "scap_compat.h"
#include "scap_kmod_api.h"
#include "../common/schema.h"
#include "../common/socketcall.h"
#include "../common/exec_abi.h"

struct scap_ring {
	struct scap_kmod_ctrl *ctrl; /* page_address(ctrl_page), shared with user space */
	struct page *ctrl_page;
	struct page **pages;         /* the data pages, npages of them */
	unsigned int npages;
	u8 *data;                    /* vmap of pages twice back to back */
	u32 size;                    /* bytes; a power of two */
	u64 head;                    /* kernel's own copy: user space can scribble on ctrl */
	u64 events, drops_full, drops_other;
	u64 wake_head;               /* head at the last wakeup */
	int cpu;
};

/* Slots of the table of exec'd threads' old tids (a power of two). */
#define SCAP_EXEC_TIDS 256u

struct scap_session {
	struct scap_ring **rings;    /* [nr_cpu_ids], NULL for impossible CPUs */
	u32 buffer_bytes;
	u32 snaplen;
	bool capturing;
	pid_t tgid;                  /* capture only this process, 0 = all */
	pid_t self_tid;              /* never capture this thread (the consumer), 0 = none */
	/*
	 * The selection, twice: probes test selected[sel_gen], SET_SYSCALLS
	 * fills the other one and flips sel_gen, so that a change takes effect
	 * at one instant for every syscall (scap_main.c).
	 */
	unsigned long selected[2][BITS_TO_LONGS(SCAP_NR_SYSCALLS)];
	unsigned int sel_gen;
	u32 kevents;                 /* SCAP_KMOD_KEV_* */
	bool exit_probe, exec_probe; /* sched_process_exit/exec probes registered */
	/*
	 * A successful execve's calling tid until its exit takes it: slot
	 * tid % SCAP_EXEC_TIDS holds (new tid << 32 | old tid), 0 = empty.
	 * Written by sched_process_exec, taken by the exit (cmpxchg); a
	 * colliding exec in flight at the same time overwrites it, and that
	 * exit then says its own tid.
	 */
	atomic64_t exec_tids[SCAP_EXEC_TIDS];
	wait_queue_head_t wq;
	struct timer_list timer;     /* wakes readers of slow trickles */
};

/* scap_ring.c */
struct scap_ring *scap_ring_alloc(int cpu, u32 size);
void scap_ring_free(struct scap_ring *r);
bool scap_ring_readable(const struct scap_ring *r);
int scap_ring_mmap(struct scap_ring *r, struct vm_area_struct *vma);

/* scap_fill.c */
int scap_fill_init(void);
/*
 * One syscall event of task (current, or on arm64 a new child: scap_probe.c)
 * from its syscall registers; its context parameters are task's.
 */
void scap_fill_event(struct scap_session *s, struct task_struct *task, struct pt_regs *regs, long nr,
		     long ret, bool enter);
#if SCAP_HAVE_SOCKETCALL
/*
 * The typed event of direct syscall nr from a socketcall of current whose
 * argument array is at uargs (nargs words, socketcall.h). false: not written
 * because nr has no typed row or the array cannot be read, so the caller
 * writes the generic socketcall event if that is selected; true at enter
 * also when nr has no enter event (nothing to write).
 */
bool scap_fill_socketcall(struct scap_session *s, unsigned long uargs, unsigned int nargs, int nr, long ret,
			  bool enter);
#endif
/* procexit of current, which is ending; last: 1/0, or -1 when the tracepoint does not say. */
void scap_fill_procexit(struct scap_session *s, int last);

/* scap_probe.c */
int scap_probe_lookup(void);
int scap_probe_attach(struct scap_session *s);
/* Registers the sched probes the session's selection needs (ioctl, under its lock). 0 or -errno. */
int scap_probe_update(struct scap_session *s);
void scap_probe_detach(struct scap_session *s);
/* Returns once every probe running when it was called has returned. */
void scap_probe_sync(void);

#endif
