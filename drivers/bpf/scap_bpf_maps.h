/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Map value layouts shared by the bpf driver and its loader
 * (engines/bpf/). Old kernels (< 5.2) have no global data sections, so
 * everything user space configures lives in small array maps.
 */
#ifndef SCAP_DRIVERS_BPF_MAPS_H
#define SCAP_DRIVERS_BPF_MAPS_H

#if defined(__bpf__) || defined(__BPF__)
#include "../common/scap_types.h"
#else
#include "scap/common/scap_types.h"
#endif

/* One entry per x86_64 syscall number (SCAP_NR_SYSCALLS entries). */
struct scap_bpf_syscall {
	scap_u16 exit_code;   /* enum scap_event_code of the exit event */
	scap_u16 enter_code;  /* enter event code, valid when has_enter */
	scap_u8 selected;     /* 1: capture this syscall */
	scap_u8 has_enter;    /* 1: also capture at enter (SCAP_EF_TOCTOU rows) */
	scap_u8 stash;        /* tracepoint mode: keep the arguments at enter for the exit */
	/*
	 * socketcall's entry (ppc64le): 1 when socketcall itself is selected
	 * (the generic event for what is not demultiplexed); selected is also
	 * 1 when only a syscall it can become is (scap_bpf_socketcall.h).
	 */
	scap_u8 generic;
};
SCAP_STATIC_ASSERT(sizeof(struct scap_bpf_syscall) == 8, "syscall entry is 8 bytes");

/* The one entry of the settings map. */
struct scap_bpf_settings {
	scap_u64 boot_offset_ns; /* CLOCK_BOOTTIME - CLOCK_MONOTONIC at start */
	scap_u32 capturing;      /* 0: programs return at once */
	scap_u32 snaplen;        /* bytes kept of I/O buffers */
	scap_u32 pid_filter;     /* tgid to capture, 0 = all */
	scap_u32 self_tgid;      /* a process never captured, 0 = none */
	scap_u32 self_tid;       /* the thread reading events: never captured, 0 = none */
	/*
	 * Offset of thread_info.status (or thread.status) in task_struct,
	 * whose TS_COMPAT bit marks an ia32 syscall; 0 = unknown (not checked).
	 */
	scap_u32 compat_off;
	/*
	 * Which load of the handle these programs are: they capture only while
	 * the shared map `active` holds this number (a settings change loads
	 * the programs anew and switches to them with one store there).
	 */
	scap_u32 instance;
	scap_u32 pad;
};
SCAP_STATIC_ASSERT(sizeof(struct scap_bpf_settings) == 40, "settings are 40 bytes");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_bpf_settings, instance) == 32, "instance at 32");

/* Per-CPU counters (one entry of a per-CPU array). */
struct scap_bpf_counters {
	scap_u64 sent;        /* events written to the perf buffer */
	scap_u64 full;        /* outputs refused because the perf buffer was full */
	scap_u64 other;       /* outputs refused for another reason, or events not built */
	scap_u64 no_args;     /* tracepoint mode: exits not sent, their enter was not seen */
};
SCAP_STATIC_ASSERT(sizeof(struct scap_bpf_counters) == 32, "counters are 32 bytes");

/*
 * Per CPU and per kind of tracepoint hit (SCAP_BPF_HIT_*): which load saw
 * the last hit, for which thread, and whether it was in force for it. While
 * a settings change has two loads attached, every hit runs the old load's
 * program, then the new one's: the store to `active` can land between their
 * two reads, and both would capture the same syscall enter or exit. The new
 * load's program yields the hit when the load before it claimed it.
 */
struct scap_bpf_claim {
	scap_u64 pid_tgid;   /* the thread of the hit */
	scap_u32 instance;   /* the load whose program saw it last */
	scap_u32 in_force;   /* 1: that load took the hit */
};
SCAP_STATIC_ASSERT(sizeof(struct scap_bpf_claim) == 16, "claims are 16 bytes");
#define SCAP_BPF_HIT_SYS_ENTER 0u
#define SCAP_BPF_HIT_SYS_EXIT 1u
#define SCAP_BPF_HIT_PROCEXIT 2u
#define SCAP_BPF_HIT_FORK 3u /* arm64: a new child's return, built at sched_process_fork */
#define SCAP_BPF_HIT_KINDS 4u

/*
 * Tracepoint mode (kernels without raw tracepoints): the raw_syscalls/sys_exit
 * record has no arguments, so sys_enter keeps them per thread until the exit.
 * On arm64 also raw tracepoint mode, for clone and clone3 only: their child's
 * event is built at sched_process_fork from its parent's arguments.
 */
struct scap_bpf_stash {
	scap_u64 args[6];
	scap_u32 nr;  /* the syscall entered; SCAP_BPF_STASH_IA32 for an ia32 syscall */
	scap_u32 pad;
};
SCAP_STATIC_ASSERT(sizeof(struct scap_bpf_stash) == 56, "stash entries are 56 bytes");
#define SCAP_BPF_STASH_IA32 0xffffffffu
/* Threads at once inside a selected syscall; beyond, enters are counted as drops. */
#define SCAP_BPF_STASH_ENTRIES 32768u

/*
 * Bytes in front of each event in the perf record: the record header (8) and
 * the raw size (4) leave the event 4-byte aligned; 4 more bytes make it 8.
 */
#define SCAP_BPF_OUT_PAD 4u

#endif
