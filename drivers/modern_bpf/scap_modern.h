/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What the modern_bpf programs and their loader (engines/modern_bpf/) share:
 * the values of the kernel-side maps. Included by the BPF object (after
 * vmlinux.h) and by user space.
 */
#ifndef SCAP_DRIVERS_MODERN_BPF_H
#define SCAP_DRIVERS_MODERN_BPF_H

#include "../common/scap_types.h"

/* scap_syscalls[nr]: how the syscall of number nr is captured. */
struct scap_mbpf_syscall {
	scap_u16 exit_code;  /* enum scap_event_code of its exit program */
	scap_u16 enter_code; /* SCAP_MBPF_NO_EVENT, or its TOCTOU enter event */
	scap_u8 selected;    /* 0: not captured */
	scap_u8 generic;     /* socketcall's entry: the generic event for what is not demultiplexed */
	scap_u8 pad[2];
};
#define SCAP_MBPF_NO_EVENT 0xffffu

/*
 * socketcall's exit_code where it exists (socketcall.h): the index in
 * scap_progs, past every event code, of the program that demultiplexes it
 * (scap_sc_exit), so that the dispatcher tail-calls it without a compare of
 * its own.
 */
#define SCAP_MBPF_SOCKETCALL_PROG SCAP_EV_MAX

/* The largest event the driver writes (SCAP_FILL_MAX_EVENT, checked in the BPF object). */
#define SCAP_MBPF_MAX_EVENT 32768u

/* scap_counters (per CPU): what the kernel side stored and lost. */
struct scap_mbpf_counters {
	scap_u64 events;       /* events written to a ring buffer */
	scap_u64 drops_full;   /* ring buffer full */
	scap_u64 drops_other;  /* no scratch or ring for the CPU, scratch taken by a preempted
	                          fill, failed tail call, unreadable enter arguments */
	scap_u64 unwoken;      /* bytes this CPU wrote since it last woke the reader */
};

/*
 * scap_claims (per CPU, one entry per kind of hit): which load's program of a
 * tracepoint hit ran first and what it read in scap_active, so that the other
 * load's program of the same hit (the next load's: scap_mbpf_take()) decides the same way.
 */
struct scap_mbpf_claim {
	scap_u64 pid_tgid; /* the thread of the hit; 0: none */
	scap_u32 nr;       /* its syscall (0 for procexit) */
	scap_u32 instance; /* the load whose program wrote it */
	scap_u32 seen;     /* scap_active as that program read it */
	scap_u32 pad;
};
/* FORK: the child's side of clone from sched_process_fork (arm64, scap_modern_arch.h). */
enum scap_mbpf_hit {
	SCAP_MBPF_HIT_EXIT,
	SCAP_MBPF_HIT_ENTER,
	SCAP_MBPF_HIT_PROCEXIT,
	SCAP_MBPF_HIT_FORK,
	SCAP_MBPF_HIT_KINDS
};

SCAP_STATIC_ASSERT(sizeof(struct scap_mbpf_claim) == 24, "claim layout");
SCAP_STATIC_ASSERT(sizeof(struct scap_mbpf_syscall) == 8, "syscall table entry layout");
SCAP_STATIC_ASSERT(sizeof(struct scap_mbpf_counters) == 32, "counters layout");

#endif
