// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The modern_bpf driver: CO-RE programs on tp_btf/sys_exit (one dispatcher
 * tail-calling one program per event code), per-syscall exit tracepoints for
 * small selections, per-syscall enter tracepoints for the TOCTOU rows, and
 * one BPF ring buffer per CPU group. Every event is built by the shared fill
 * of drivers/common/bpf/.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define SCAP_FILL_CORE 1
#define SCAP_FILL_WALK_SUBPROG 1 /* global functions: 5.6+ */
#include "../common/bpf/fill.h"
#include "scap_modern.h"
#include "scap_modern_arch.h"
#include "../common/fixed_len.h"
#include "../common/socketcall.h"
#include "../common/exec_abi.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

SCAP_STATIC_ASSERT(SCAP_MBPF_MAX_EVENT == SCAP_FILL_MAX_EVENT, "loader and fill agree on the largest event");
SCAP_STATIC_ASSERT(SCAP_FIXED_LEN_GENERIC_X == SCAP_EVT_HDR_LEN + 3 * SCAP_PARAM_LEN_SIZE + 8 + 4 + 8 * SCAP_GENERIC_NARGS,
		   "generic event: res, syscall number, six arguments");
SCAP_STATIC_ASSERT(SCAP_FIXED_LEN_CLOSE_X == SCAP_EVT_HDR_LEN + 2 * SCAP_PARAM_LEN_SIZE + 8 + 8, "close: res, fd");
SCAP_STATIC_ASSERT(SCAP_FIXED_LEN_OPENAT_X == 0, "a path makes a row variable");

/* Set by the loader before load. */
const volatile scap_u32 scap_snaplen = SCAP_DEFAULT_SNAPLEN;
const volatile scap_s32 scap_pid_filter;    /* tgid, 0 = every process */
const volatile bool scap_have_task_btf; /* bpf_get_current_task_btf exists (5.11+) */
const volatile scap_u64 scap_wakeup_bytes = 1; /* wake the reader after this CPU wrote this much */
const volatile scap_u32 scap_instance = 1; /* which load of the handle this is (scap_active) */
/* The kernel runs these programs in its eBPF interpreter (no JIT enabled): see scap_sys_exit. */
const volatile bool scap_interpreted;

/* Written by the loader at run time through the mmapped .bss. */
scap_u32 scap_started;  /* scap_start/scap_stop; with scap_mbpf_in_force() */
scap_u32 scap_self_tid; /* the consumer thread, whose events are dropped; 0 = none */

/*
 * scap_active[0]: the load of the handle in force. A settings change
 * (scap_set_*) loads the programs anew with the new constants and tables,
 * sharing every map but scap_syscalls and scap_progs, and makes them the
 * ones in force with one store here: every program of every CPU switches at
 * once, so no event is captured by both loads or by neither.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, scap_u32);
	__type(value, scap_u32);
} scap_active SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* set to the number of possible CPUs */
	__type(key, scap_u32);
	__type(value, struct scap_fill_scratch);
} scap_scratch SEC(".maps");

static __always_inline struct scap_fill_scratch *scap_fill_walk_scratch(void)
{
	scap_u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&scap_scratch, &cpu);
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, scap_u32);
	__type(value, struct scap_mbpf_counters);
} scap_counters SEC(".maps");

/* 1 while a program of this CPU fills its scratch (see scap_mbpf_scratch). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, scap_u32);
	__type(value, scap_u32);
} scap_busy SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCAP_NR_SYSCALLS);
	__type(key, scap_u32);
	__type(value, struct scap_mbpf_syscall);
} scap_syscalls SEC(".maps");

/* By event code; where socketcall exists, one more: SCAP_MBPF_SOCKETCALL_PROG. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_EV_MAX + SCAP_HAVE_SOCKETCALL);
	__uint(key_size, sizeof(scap_u32));
	__uint(value_size, sizeof(scap_u32));
} scap_progs SEC(".maps");

#if SCAP_HAVE_SOCKETCALL
/* socketcall's typed exit programs (scap_s_<CODE>), by event code, for scap_sc_exit. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_EV_MAX);
	__uint(key_size, sizeof(scap_u32));
	__uint(value_size, sizeof(scap_u32));
} scap_sc_progs SEC(".maps");
#endif

/*
 * Per thread that just exec'd: the tid that called execve, from
 * sched_process_exec (scap_exec), for the exit's old_tid; taken by that exit.
 * A non-leader thread's exec returns with the leader's tid, and nothing in the
 * task remembers the old one. LRU: an exit that is never seen leaves nothing
 * behind for long.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, scap_u32);
	__type(value, scap_u32);
} scap_exec_tids SEC(".maps");

/* Shared by the loads of a handle: struct scap_mbpf_claim, one per kind of hit. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SCAP_MBPF_HIT_KINDS);
	__type(key, scap_u32);
	__type(value, struct scap_mbpf_claim);
} scap_claims SEC(".maps");

/* CPU -> its group's ring buffer; the inner map is given by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1); /* set to the number of possible CPUs */
	__uint(key_size, sizeof(scap_u32));
	__uint(value_size, sizeof(scap_u32));
} scap_rings SEC(".maps");

/* This CPU's counters (the lookup of a one-entry per-CPU array never fails in practice). */
static __always_inline struct scap_mbpf_counters *scap_mbpf_counters(void)
{
	scap_u32 zero = 0;

	return bpf_map_lookup_elem(&scap_counters, &zero);
}

/* A drop: SCAP_FILL_DROP_BUFFER_FULL or another reason. */
static __always_inline void scap_mbpf_count(scap_u32 why)
{
	struct scap_mbpf_counters *c = scap_mbpf_counters();

	if (!c)
		return;
	if (why == SCAP_FILL_DROP_BUFFER_FULL)
		c->drops_full++;
	else
		c->drops_other++;
}

/*
 * Counts a committed event of len bytes and returns the flags of its commit.
 * Batched wake-ups: a commit wakes the reader each time this CPU has written
 * scap_wakeup_bytes since its last wake-up, no other commit does (a wake-up
 * costs the traced task several microseconds). Counting per CPU, rather than
 * asking the ring how much is pending (bpf_ringbuf_query, a helper call),
 * costs one add to a value the event count needs anyway. A trickle below the
 * threshold is picked up by the reader's periodic look (engines/modern_bpf).
 */
static __always_inline scap_u64 scap_mbpf_committed(scap_u32 len)
{
	struct scap_mbpf_counters *c = scap_mbpf_counters();

	if (!c)
		return BPF_RB_FORCE_WAKEUP;
	c->events++;
	c->unwoken += len;
	if (c->unwoken < scap_wakeup_bytes)
		return BPF_RB_NO_WAKEUP;
	c->unwoken = 0;
	return BPF_RB_FORCE_WAKEUP;
}

/* An event that could not be written after all: scap_mbpf_committed counted it. */
static __always_inline void scap_mbpf_uncommitted(scap_u32 len, scap_u32 why)
{
	struct scap_mbpf_counters *c = scap_mbpf_counters();

	if (c) {
		c->events--;
		c->unwoken -= c->unwoken >= len ? len : c->unwoken;
	}
	scap_mbpf_count(why);
}

/*
 * Events of other processes (pid filter) and of the consumer thread are not
 * wanted: the consumer's own writes would otherwise feed back without end.
 */
static __always_inline bool scap_mbpf_filtered(scap_u64 pid_tgid)
{
	if (scap_pid_filter && (scap_u32)(pid_tgid >> 32) != (scap_u32)scap_pid_filter)
		return true;
	return scap_self_tid && (scap_u32)pid_tgid == scap_self_tid;
}

/*
 * The current thread, read once per event at sys_exit: its pid_tgid (for the
 * filter and the event header) and whether it runs a compat (32-bit)
 * syscall. Helper calls are the dearest part of a small event (every return
 * goes through the kernel's return thunk), so with a BTF task pointer
 * (5.11+) all three values come from one call and three loads.
 *
 * x86_64's mark is TS_COMPAT, set for every ia32 syscall, including
 * `int $0x80` from 64-bit code, which keeps the 64-bit code segment: a check
 * of the segment alone let such a call be decoded by its x86_64 number (an
 * ia32 open taken for an fstat). arm64's is TIF_32BIT (scap_modern_arch.h).
 */
static __always_inline bool scap_mbpf_current(scap_u64 *pid_tgid)
{
	struct task_struct *t;

	if (scap_have_task_btf) {
		t = bpf_get_current_task_btf();
		*pid_tgid = (scap_u64)(scap_u32)t->tgid << 32 | (scap_u32)t->pid;
		return t->SCAP_MBPF_COMPAT_FIELD & SCAP_MBPF_COMPAT_MASK;
	}
	*pid_tgid = bpf_get_current_pid_tgid();
	return BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), SCAP_MBPF_COMPAT_FIELD) &
	       SCAP_MBPF_COMPAT_MASK;
}

/*
 * This load is the one in force (scap_active): every program checks it, with
 * scap_started, before it captures anything.
 */
static __always_inline bool scap_mbpf_in_force(void)
{
	scap_u32 zero = 0, *active = bpf_map_lookup_elem(&scap_active, &zero);

	return active && *active == scap_instance;
}

/*
 * scap_mbpf_in_force() for a hit that makes an event, decided once per hit.
 * During a settings change both loads' programs run on each hit, one after
 * the other, and each would read scap_active on its own: a store landing
 * between the two reads would let both take the hit (an event twice) or
 * neither (an event lost). So the first program of the hit, always the
 * older load's (attached first, it runs first), notes in this CPU's claim
 * what it read, and the next load's program of the same hit (same thread,
 * same syscall) follows that and clears the claim. Only the next load
 * follows: were the older one to follow a claim the newer one wrote at the
 * thread's previous hit, that hit's decision would decide this one too, and
 * a switch between the two would make both loads take it. A claim left from
 * before the new load was attached could be taken for this hit's: the loader
 * clears them after the attach and a grace period, before the switch. Costs
 * one per-CPU lookup and four stores per captured hit.
 */
static __always_inline bool scap_mbpf_take(scap_u32 kind, scap_u32 nr)
{
	struct scap_mbpf_claim *c = bpf_map_lookup_elem(&scap_claims, &kind);
	scap_u64 id = bpf_get_current_pid_tgid();
	scap_u32 zero = 0, seen, *active;

	if (c && c->pid_tgid == id && c->nr == nr && c->instance + 1 == scap_instance) {
		seen = c->seen;
		c->pid_tgid = 0;
		return seen == scap_instance;
	}
	active = bpf_map_lookup_elem(&scap_active, &zero);
	seen = active ? *active : 0;
	if (c) {
		c->pid_tgid = id;
		c->nr = nr;
		c->instance = scap_instance;
		c->seen = seen;
	}
	return seen == scap_instance;
}

static __always_inline struct scap_mbpf_syscall *scap_mbpf_selected(scap_u32 nr, scap_u32 kind)
{
	struct scap_mbpf_syscall *sc;

	if (!scap_started || nr >= SCAP_NR_SYSCALLS)
		return NULL;
	sc = bpf_map_lookup_elem(&scap_syscalls, &nr);
	if (!sc || !sc->selected)
		return NULL;
	/* Last: a syscall that is not selected costs what it cost before live settings. */
	return scap_mbpf_take(kind, nr) ? sc : NULL;
}

static __always_inline void scap_mbpf_output(struct scap_fill_ctx *fc, scap_u32 len, scap_u32 cpu)
{
	void *rb = bpf_map_lookup_elem(&scap_rings, &cpu);

	if (!rb) {
		scap_mbpf_count(SCAP_FILL_DROP_OTHER);
		return;
	}
	/* The flags are due before the outcome is known: a failed output is taken back. */
	if (bpf_ringbuf_output(rb, fc->buf, SCAP_FILL_OUT_LEN(len), scap_mbpf_committed(len)) != 0)
		scap_mbpf_uncommitted(len, SCAP_FILL_DROP_BUFFER_FULL); /* -EAGAIN: no room */
}

/*
 * The CPU's scratch, taken for one event. Tracing programs run with migration
 * disabled but may be preempted: a program that preempts another one mid-fill
 * on the same CPU finds the scratch taken and counts a drop rather than
 * overwrite the other's event. Give it back with scap_mbpf_scratch_put().
 */
static __always_inline struct scap_fill_scratch *scap_mbpf_scratch(scap_u32 *cpu, scap_u32 **busy)
{
	struct scap_fill_scratch *s;
	scap_u32 zero = 0;

	*cpu = bpf_get_smp_processor_id();
	s = bpf_map_lookup_elem(&scap_scratch, cpu);
	*busy = bpf_map_lookup_elem(&scap_busy, &zero);
	if (!s || !*busy || **busy) {
		scap_mbpf_count(SCAP_FILL_DROP_OTHER);
		return NULL;
	}
	**busy = 1;
	return s;
}

static __always_inline void scap_mbpf_scratch_put(scap_u32 *busy)
{
	*busy = 0;
}

/* SCAP_FIXED_LEN_<CODE> of a constant code (folds to a constant). */
static __always_inline scap_u32 scap_mbpf_fixed_len(const scap_u16 code)
{
	switch (code) {
#define SCAP_EVENT(c, sc, dir, cat, flags, ...)                                                \
	case SCAP_EV_##c:                                                                       \
		return SCAP_FIXED_LEN_##c;
#include "../common/events.def"
#undef SCAP_EVENT
	default:
		return 0;
	}
}

/* A record of len bytes in this CPU's ring, or NULL (counted as a drop). */
static __always_inline void *scap_mbpf_reserve(const scap_u32 len)
{
	scap_u32 cpu = bpf_get_smp_processor_id();
	void *rb = bpf_map_lookup_elem(&scap_rings, &cpu), *rec;

	if (!rb) {
		scap_mbpf_count(SCAP_FILL_DROP_OTHER);
		return NULL;
	}
	rec = bpf_ringbuf_reserve(rb, len, 0);
	if (!rec)
		scap_mbpf_count(SCAP_FILL_DROP_BUFFER_FULL);
	return rec;
}

/*
 * The syscall's number and arguments: from its registers, or with args (a
 * constant NULL everywhere but socketcall, so the test folds away) the
 * demultiplexed arguments of a socketcall.
 */
static __always_inline void scap_mbpf_args(struct scap_fill_ctx *fc, struct pt_regs *regs, const scap_u64 *args)
{
	if (!args) {
		scap_mbpf_regs_args(fc, regs);
		return;
	}
	for (int i = 0; i < SCAP_GENERIC_NARGS; i++)
		fc->args[i] = args[i];
	fc->nr = SCAP_MBPF_REGS_NR(regs);
}

/*
 * An event whose parameters all have a fixed size (the generic event, close,
 * dup, kill, setuid, ...: the most frequent ones) is built in place in its
 * ring record: no scratch, no busy flag, no copy. Every offset is a constant
 * the verifier checks against the record's length.
 */
static __always_inline int scap_mbpf_exit_inplace_task(struct pt_regs *regs, const scap_u64 *args, long ret,
						       scap_u64 pid_tgid, scap_u64 task, const scap_u16 code)
{
	const scap_u32 len = scap_mbpf_fixed_len(code);
	struct scap_fill_ctx fc = {};

	fc.buf = scap_mbpf_reserve(len);
	if (!fc.buf)
		return 0;
	fc.ret = ret;
	fc.snaplen = scap_snaplen;
	fc.pid_tgid = pid_tgid;
	fc.task = task;
	scap_mbpf_args(&fc, regs, args);
	/* An unreadable value leaves the event shorter than its record: the header says how long. */
	scap_fill_event(&fc, code);
	bpf_ringbuf_submit(fc.buf, scap_mbpf_committed(len));
	return 0;
}

static __always_inline int scap_mbpf_exit_inplace(struct pt_regs *regs, long ret, scap_u64 pid_tgid,
						  const scap_u16 code)
{
	return scap_mbpf_exit_inplace_task(regs, NULL, ret, pid_tgid, 0, code);
}

/* A successful execve's old tid, kept by scap_exec; 0 when it was not kept (the event's own tid). */
static __always_inline scap_u32 scap_mbpf_exec_old_tid(void)
{
	scap_u32 tid = (scap_u32)bpf_get_current_pid_tgid(), *v, old;

	v = bpf_map_lookup_elem(&scap_exec_tids, &tid);
	if (!v)
		return 0;
	old = *v;
	bpf_map_delete_elem(&scap_exec_tids, &tid);
	return old;
}

/*
 * The exit event of code from the syscall's registers. task: the task the
 * context parameters are of, as a scalar (scap_fill_ctx.task), 0 = current.
 */
static __always_inline int scap_mbpf_exit_args(struct pt_regs *regs, const scap_u64 *args, long ret,
					       scap_u64 pid_tgid, scap_u64 task, const scap_u16 code)
{
	struct scap_fill_scratch *s;
	struct scap_fill_ctx fc = {};
	scap_u32 cpu, len, *busy;

	if (scap_mbpf_fixed_len(code))
		return scap_mbpf_exit_inplace_task(regs, args, ret, pid_tgid, task, code);
	s = scap_mbpf_scratch(&cpu, &busy);
	if (!s)
		return 0;
	fc.buf = s->buf;
	fc.tmp = s->tmp;
	fc.ret = ret;
	fc.snaplen = scap_snaplen;
	fc.pid_tgid = pid_tgid;
	fc.task = task;
	scap_mbpf_args(&fc, regs, args);
	if ((code == SCAP_EV_EXECVE_X || code == SCAP_EV_EXECVEAT_X) && ret == 0)
		fc.old_tid = scap_mbpf_exec_old_tid();
	len = scap_fill_event(&fc, code);
	scap_mbpf_output(&fc, len, cpu);
	scap_mbpf_scratch_put(busy);
	return 0;
}

static __always_inline int scap_mbpf_exit_task(struct pt_regs *regs, long ret, scap_u64 pid_tgid,
					       scap_u64 task, const scap_u16 code)
{
	return scap_mbpf_exit_args(regs, NULL, ret, pid_tgid, task, code);
}

static __always_inline int scap_mbpf_exit(struct pt_regs *regs, long ret, scap_u64 pid_tgid,
					  const scap_u16 code)
{
	return scap_mbpf_exit_task(regs, ret, pid_tgid, 0, code);
}

/*
 * The number of a per-syscall event (syscalls/sys_enter_<name>,
 * sys_exit_<name>: the kernel's struct syscall_trace_enter/exit), an int at
 * offset 8 where trace_event_raw_sys_enter/exit (raw_syscalls) have a long
 * id. Reading that long gives the number only on a little-endian machine: on
 * s390x the int is the long's high half and the low half is padding.
 */
static __always_inline scap_u32 scap_mbpf_tp_nr(const void *ctx)
{
	return (scap_u32) * (const int *)((const char *)ctx + 8);
}

#if SCAP_HAVE_SOCKETCALL
/*
 * The demultiplexed arguments of a socketcall (call, uargs): the nargs words
 * the kernel copies, the others 0 (send/recv: sendto/recvfrom with a NULL
 * address). 0, or -1 for a call that stays generic or an unreadable array.
 * A constant size per read: the verifier sees each bound.
 */
static __always_inline int scap_mbpf_sc_read(scap_u64 call, scap_u64 uargs, scap_u64 args[SCAP_GENERIC_NARGS])
{
	unsigned int nargs;
	long err;

	if (scap_socketcall_nr(call, &nargs) < 0)
		return -1;
	for (int i = 0; i < SCAP_GENERIC_NARGS; i++)
		args[i] = 0;
	switch (nargs) {
	case 2: err = bpf_probe_read_user(args, 2 * sizeof(scap_u64), (const void *)uargs); break;
	case 3: err = bpf_probe_read_user(args, 3 * sizeof(scap_u64), (const void *)uargs); break;
	case 4: err = bpf_probe_read_user(args, 4 * sizeof(scap_u64), (const void *)uargs); break;
	case 5: err = bpf_probe_read_user(args, 5 * sizeof(scap_u64), (const void *)uargs); break;
	case 6: err = bpf_probe_read_user(args, 6 * sizeof(scap_u64), (const void *)uargs); break;
	default: return -1;
	}
	return err ? -1 : 0;
}
#endif

/*
 * An enter event. socketcall (a constant): ctx is sys_enter_socketcall's,
 * the event that of the direct syscall nr (connect: the one with an enter row).
 */
static __always_inline int scap_mbpf_enter_sc(struct trace_event_raw_sys_enter *ctx, const scap_u16 code,
					      const bool socketcall, const scap_u32 sc_nr)
{
	struct scap_fill_scratch *s;
	struct scap_fill_ctx fc = {};
	scap_u32 cpu, len, *busy;

	if (!scap_mbpf_selected(socketcall ? sc_nr : scap_mbpf_tp_nr(ctx), SCAP_MBPF_HIT_ENTER))
		return 0;
	fc.pid_tgid = bpf_get_current_pid_tgid();
	if (scap_mbpf_filtered(fc.pid_tgid))
		return 0;
	s = scap_mbpf_scratch(&cpu, &busy);
	if (!s)
		return 0;
	fc.buf = s->buf;
	fc.tmp = s->tmp;
	fc.snaplen = scap_snaplen;
	fc.nr = scap_mbpf_tp_nr(ctx);
	/* One copy: clang would turn field reads into ctx arithmetic the verifier refuses. */
	if (bpf_probe_read_kernel(fc.args, sizeof(fc.args), ctx->args) != 0) {
		scap_mbpf_count(SCAP_FILL_DROP_OTHER);
#if SCAP_HAVE_SOCKETCALL
	} else if (socketcall && scap_mbpf_sc_read(fc.args[0], fc.args[1], fc.args) != 0) {
		/* No enter event: the exit, with the same array, is the generic one. */
#endif
	} else {
		len = scap_fill_event(&fc, code);
		scap_mbpf_output(&fc, len, cpu);
	}
	scap_mbpf_scratch_put(busy);
	return 0;
}

static __always_inline int scap_mbpf_enter(struct trace_event_raw_sys_enter *ctx, const scap_u16 code)
{
	return scap_mbpf_enter_sc(ctx, code, false, 0);
}

/*
 * Per-syscall exit tracepoints carry no arguments: take them from the task's
 * user registers (bpf_task_pt_regs: 5.15+, the loader uses these programs
 * only where the helper exists).
 */
static __always_inline int scap_mbpf_exit_tp(struct trace_event_raw_sys_exit *ctx, const scap_u16 code)
{
	struct task_struct *t;
	scap_u64 pid_tgid;

	if (!scap_mbpf_selected(scap_mbpf_tp_nr(ctx), SCAP_MBPF_HIT_EXIT))
		return 0;
	t = bpf_get_current_task_btf();
	pid_tgid = (scap_u64)(scap_u32)t->tgid << 32 | (scap_u32)t->pid;
	if (scap_mbpf_filtered(pid_tgid))
		return 0;
	/*
	 * No compat check: the syscall trace events never fire for compat
	 * syscalls on x86_64 and arm64 (ARCH_TRACE_IGNORE_COMPAT_SYSCALLS); live test ia32_int80
	 * covers this mode with its small selection.
	 */
	return scap_mbpf_exit((struct pt_regs *)bpf_task_pt_regs(t), ctx->ret, pid_tgid, code);
}

#if SCAP_MBPF_FORK_CHILD
/*
 * The child's side of clone/clone3 on arm64 (scap_modern_arch.h): the
 * child's registers are the parent's copy with x0 = 0, so its event is the
 * one sys_exit would have given it, under the child's ids and with the
 * child's context (ppid, vtid, vpid, cgroup, ... read from child, which is
 * complete but has not run), emitted while the parent is still in the
 * syscall. Kernel and io_uring threads start on kernel registers, not a
 * syscall's: skipped. bpf_task_pt_regs is 5.15+: the loader uses this
 * program only where the helper exists. scap_mbpf_selected checks
 * scap_started and whether its load takes the hit, as every program does.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(scap_sched_fork, struct task_struct *parent, struct task_struct *child)
{
	struct pt_regs *regs;
	struct scap_mbpf_syscall *sc;
	scap_u64 pid_tgid, task = 0;

	if (child->flags & (SCAP_MBPF_PF_KTHREAD | SCAP_MBPF_PF_IO_WORKER))
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(child);
	sc = scap_mbpf_selected(SCAP_MBPF_REGS_NR(regs), SCAP_MBPF_HIT_FORK);
	if (!sc || (child->SCAP_MBPF_COMPAT_FIELD & SCAP_MBPF_COMPAT_MASK))
		return 0;
	pid_tgid = (scap_u64)(scap_u32)child->tgid << 32 | (scap_u32)child->pid;
	if (scap_mbpf_filtered(pid_tgid))
		return 0;
	/*
	 * The fill reads the child through probe reads, and passes it to the
	 * path walk subprogram, which takes scalars only: a copy of the
	 * tracepoint's argument read as memory is a scalar, child is a BTF
	 * pointer to the verifier.
	 */
	if (bpf_probe_read_kernel(&task, sizeof(task), &ctx[1]) != 0 || !task)
		return 0;
	/* The event code must be a constant here: the rows a new task can come from. */
	if (sc->exit_code == SCAP_EV_CLONE_X)
		return scap_mbpf_exit_task(regs, 0, pid_tgid, task, SCAP_EV_CLONE_X);
	if (sc->exit_code == SCAP_EV_CLONE3_X)
		return scap_mbpf_exit_task(regs, 0, pid_tgid, task, SCAP_EV_CLONE3_X);
	/* s390x also has fork and vfork (arm64 has neither: never selected there). */
	if (sc->exit_code == SCAP_EV_FORK_X)
		return scap_mbpf_exit_task(regs, 0, pid_tgid, task, SCAP_EV_FORK_X);
	if (sc->exit_code == SCAP_EV_VFORK_X)
		return scap_mbpf_exit_task(regs, 0, pid_tgid, task, SCAP_EV_VFORK_X);
	return 0;
}
#endif

/*
 * In the kernel's eBPF interpreter a tail call gets no frame of its own: the
 * target runs on the stack the interpreter gave this entry program, which is
 * this program's own stack depth rounded to 32 bytes (__bpf_prog_run128 for
 * its 112 bytes). Debian's s390x 6.12 (no JIT) did not raise it to the
 * 512 bytes a tail-calling program needs there, and scap_x_CONNECT_X's 144
 * bytes overwrote the interpreter's saved frame pointer (R10 became 0x40,
 * the next store to r10 - 104 oopsed: docs/engines.md, "s390x: results").
 * Interpreted, this program therefore claims the whole 512 bytes with one
 * store at the bottom of its stack, so that every tail-call target fits.
 * JIT-compiled, each target has its own frame and the branch is dead code.
 */
static __always_inline void scap_mbpf_claim_full_stack(void)
{
	scap_u64 zero = 0;

	if (scap_interpreted)
		asm volatile("*(u64 *)(r10 - 512) = %[z]" : : [z] "r"(zero) : "memory");
}

SEC("tp_btf/sys_exit")
int BPF_PROG(scap_sys_exit, struct pt_regs *regs, long ret)
{
	struct scap_mbpf_syscall *sc;
	scap_u64 pid_tgid;

	scap_mbpf_claim_full_stack();
#ifdef SCAP_EXEC_SWITCHES_ABI
	/* The exit of an exec that switched ABI: the compat mark is already the new program's. */
	if (__builtin_expect(SCAP_MBPF_EXEC_EXIT(regs), 0)) {
		long nr = scap_exec_abi_nr(SCAP_MBPF_REGS_NR(regs), scap_mbpf_current(&pid_tgid));

		sc = nr >= 0 ? scap_mbpf_selected((scap_u32)nr, SCAP_MBPF_HIT_EXIT) : NULL;
		if (!sc || scap_mbpf_filtered(pid_tgid))
			return 0;
	} else
#endif
	{
		sc = SCAP_MBPF_EXIT_IS_SYSCALL(regs) ?
			scap_mbpf_selected(SCAP_MBPF_REGS_NR(regs), SCAP_MBPF_HIT_EXIT) : NULL;
		if (!sc || scap_mbpf_current(&pid_tgid) || scap_mbpf_filtered(pid_tgid))
			return 0;
	}
	/* The most frequent event first; then the other fixed-size rows: none needs a tail call. */
	if (sc->exit_code == SCAP_EV_GENERIC_X)
		return scap_mbpf_exit_inplace(regs, ret, pid_tgid, SCAP_EV_GENERIC_X);
	switch (sc->exit_code) {
#define SCAP_MBPF_INPLACE_EXIT(code)                                                            \
	case SCAP_EV_##code:                                                                    \
		if (SCAP_FIXED_LEN_##code)                                                      \
			return scap_mbpf_exit_inplace(regs, ret, pid_tgid, SCAP_EV_##code);     \
		break;
#define SCAP_MBPF_INPLACE_ENTER(code)
#define SCAP_EVENT(code, sc, dir, cat, flags, ...) SCAP_MBPF_INPLACE_##dir(code)
#include "../common/events.def"
#undef SCAP_EVENT
#undef SCAP_MBPF_INPLACE_ENTER
#undef SCAP_MBPF_INPLACE_EXIT
	default:
		break;
	}
	bpf_tail_call(ctx, &scap_progs, sc->exit_code);
	scap_mbpf_count(SCAP_FILL_DROP_OTHER); /* no program for that code */
	return 0;
}

#if SCAP_HAVE_SOCKETCALL
/*
 * socketcall (socketcall.h). The dispatcher tail-calls scap_sc_exit through
 * socketcall's entry in scap_syscalls (exit_code SCAP_MBPF_SOCKETCALL_PROG,
 * selected when socketcall or a syscall it can become is): that maps the
 * call to its direct syscall from the registers alone and, if that is
 * selected, tail-calls its typed program scap_s_<CODE>, which copies the
 * argument array and writes the typed event. Everything else is the generic
 * event, when socketcall itself is selected.
 */
static __always_inline int scap_mbpf_sc_generic(struct pt_regs *regs, long ret)
{
	scap_u32 nr = SCAP_NR_socketcall;
	struct scap_mbpf_syscall *sc = bpf_map_lookup_elem(&scap_syscalls, &nr);

	if (!sc || !sc->generic)
		return 0;
	return scap_mbpf_exit_inplace_task(regs, NULL, ret, 0, 0, SCAP_EV_GENERIC_X);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(scap_sc_exit, struct pt_regs *regs, long ret)
{
	struct scap_mbpf_syscall *sc;
	unsigned int nargs;
	int direct = scap_socketcall_nr(SCAP_MBPF_REGS_ARG1(regs), &nargs);
	scap_u32 nr;

	if (direct >= 0 && direct < (int)SCAP_NR_SYSCALLS) {
		nr = (scap_u32)direct;
		sc = bpf_map_lookup_elem(&scap_syscalls, &nr);
		if (sc && sc->selected && sc->exit_code != SCAP_EV_GENERIC_X)
			bpf_tail_call(ctx, &scap_sc_progs, sc->exit_code);
	}
	return scap_mbpf_sc_generic(regs, ret);
}

static __always_inline int scap_mbpf_sc_exit(struct pt_regs *regs, long ret, const scap_u16 code)
{
	scap_u64 args[SCAP_GENERIC_NARGS];

	if (scap_mbpf_sc_read(SCAP_MBPF_REGS_ARG1(regs), PT_REGS_PARM2_SYSCALL(regs), args) != 0)
		return scap_mbpf_sc_generic(regs, ret);
	return scap_mbpf_exit_args(regs, args, ret, 0, 0, code);
}

#define SCAP_MBPF_PROG_SC(code)                                                                \
	SEC("tp_btf/sys_exit")                                                                  \
	int BPF_PROG(scap_s_##code, struct pt_regs *regs, long ret)                             \
	{                                                                                       \
		return scap_mbpf_sc_exit(regs, ret, SCAP_EV_##code);                            \
	}
SCAP_SOCKETCALL_EXIT_ROWS(SCAP_MBPF_PROG_SC)
#undef SCAP_MBPF_PROG_SC

/* connect's enter event from a socketcall: the only call of the family with one. */
SEC("tracepoint/syscalls/sys_enter_socketcall")
int scap_e_socketcall(struct trace_event_raw_sys_enter *ctx)
{
	scap_u64 call;

	if (bpf_probe_read_kernel(&call, sizeof(call), &ctx->args[0]) != 0 || call != SCAP_SYS_CONNECT)
		return 0;
	return scap_mbpf_enter_sc(ctx, SCAP_EV_CONNECT_E, true, SCAP_NR_connect);
}
#endif

/* sched_process_exit's record has group_dead since 6.16, when its arguments became (p, group_dead). */
struct trace_event_raw_sched_process_exit___gd {
	bool group_dead;
} __attribute__((preserve_access_index));

/*
 * procexit: a thread ends (do_exit, in that thread: current is the task, its
 * exit_code already the wait status). Loaded and attached only when procexit
 * is selected. The event has a fixed size: built in place.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(scap_procexit, struct task_struct *p)
{
	struct scap_fill_ctx fc = {};

	if (!scap_started || !scap_mbpf_take(SCAP_MBPF_HIT_PROCEXIT, 0))
		return 0;
	fc.pid_tgid = bpf_get_current_pid_tgid();
	if (scap_mbpf_filtered(fc.pid_tgid))
		return 0;
	/* A load-time constant: the verifier never sees the second argument where it is missing. */
	if (bpf_core_field_exists(((struct trace_event_raw_sched_process_exit___gd *)0)->group_dead))
		fc.exit_last = (bool)ctx[1] ? SCAP_FILL_LAST_YES : SCAP_FILL_LAST_NO;
	fc.buf = scap_mbpf_reserve(SCAP_FIXED_LEN_PROCEXIT_E);
	if (!fc.buf)
		return 0;
	fc.snaplen = scap_snaplen;
	scap_fill_event(&fc, SCAP_EV_PROCEXIT_E);
	bpf_ringbuf_submit(fc.buf, scap_mbpf_committed(SCAP_FIXED_LEN_PROCEXIT_E));
	return 0;
}

/*
 * A successful execve: sched_process_exec(p, old_pid, bprm), in the task,
 * which already has the leader's tid when a non-leader thread exec'd. Keeps
 * the calling tid for the exit's old_tid. Loaded and attached only when
 * execve or execveat is selected.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(scap_exec, struct task_struct *p, pid_t old_pid)
{
	scap_u64 pid_tgid = bpf_get_current_pid_tgid();
	scap_u32 tid = (scap_u32)pid_tgid, old = (scap_u32)old_pid;

	if (!scap_started || !scap_mbpf_in_force() || scap_mbpf_filtered(pid_tgid))
		return 0;
	bpf_map_update_elem(&scap_exec_tids, &tid, &old, BPF_ANY);
	return 0;
}

/*
 * One program per row of events.def:
 *   EXIT rows: scap_x_<CODE> (tail-call target of scap_sys_exit) and
 *              scap_t_<CODE> (on syscalls/sys_exit_<name>, used instead of
 *              the dispatcher when few syscalls are selected);
 *   ENTER rows: scap_e_<CODE> on syscalls/sys_enter_<name>;
 *   kernel events (SCAP_EF_NOT_SYSCALL): none here, written by hand above.
 * The generic row's per-syscall program is attached once per syscall.
 */
#define SCAP_MBPF_PROG_EXIT(code, sc)                                                          \
	SEC("tp_btf/sys_exit")                                                                  \
	int BPF_PROG(scap_x_##code, struct pt_regs *regs, long ret)                             \
	{                                                                                       \
		return scap_mbpf_exit(regs, ret, 0, SCAP_EV_##code);                            \
	}                                                                                       \
	SEC("tracepoint/syscalls/sys_exit_" #sc)                                                \
	int scap_t_##code(struct trace_event_raw_sys_exit *ctx)                                 \
	{                                                                                       \
		return scap_mbpf_exit_tp(ctx, SCAP_EV_##code);                                  \
	}
#define SCAP_MBPF_PROG_ENTER_0(code, sc)                                                       \
	SEC("tracepoint/syscalls/sys_enter_" #sc)                                               \
	int scap_e_##code(struct trace_event_raw_sys_enter *ctx)                                \
	{                                                                                       \
		return scap_mbpf_enter(ctx, SCAP_EV_##code);                                    \
	}
#define SCAP_MBPF_PROG_ENTER_1(code, sc)
#define SCAP_MBPF_PROG_ENTER(code, sc) SCAP_CAT(SCAP_MBPF_PROG_ENTER_, SCAP_KERNEL_EVENT(sc))(code, sc)
#define SCAP_EVENT(code, sc, dir, cat, flags, ...) SCAP_MBPF_PROG_##dir(code, sc)
#include "../common/events.def"
#undef SCAP_EVENT
