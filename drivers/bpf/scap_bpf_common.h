/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Maps, dispatchers and per-event programs of the bpf driver. Included by
 * scap_bpf.bpf.c (no BTF needed) and by scap_bpf_core.bpf.c (the CO-RE
 * variants of the events that carry task values), after each has chosen its
 * SCAP_FILL_* macros. SCAP_BPF_CORE_OBJECT selects the second role: only the
 * per-event programs, sharing the first object's maps.
 */
#ifndef SCAP_DRIVERS_BPF_COMMON_H
#define SCAP_DRIVERS_BPF_COMMON_H

#include "../common/bpf/fill.h"
#include "scap_bpf_maps.h"

#ifndef ENOSPC
#define ENOSPC 28 /* vmlinux.h has no errno macros */
#endif

/* The registers read from pt_regs (the includer defines SCAP_REGS_OFF_* from its headers). */
#include "scap_bpf_arch.h"
#include "../common/exec_abi.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	/* max_entries: the possible CPUs, set by the loader */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, SCAP_EV_MAX);
} progs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct scap_bpf_syscall);
	__uint(max_entries, SCAP_NR_SYSCALLS);
} syscalls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct scap_bpf_settings);
	__uint(max_entries, 1);
} settings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct scap_bpf_counters);
	__uint(max_entries, 1);
} counters SEC(".maps");

/* active[0]: the load of the handle in force (scap_bpf_settings.instance). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} active SEC(".maps");

/* Shared by the loads of a handle: struct scap_bpf_claim. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct scap_bpf_claim);
	__uint(max_entries, SCAP_BPF_HIT_KINDS);
} claims SEC(".maps");

/*
 * Per-CPU scratch: an array indexed by CPU, because per-CPU array values are
 * limited to 32 KiB. SCAP_BPF_OUT_PAD bytes before the event keep it 8-byte
 * aligned inside the perf record.
 */
struct scap_bpf_scratch {
	/*
	 * The dispatcher reads the registers once (raw tracepoints) or writes
	 * the arguments kept at enter into them (tracepoints), and the return
	 * value: the event programs read no context, so one build of them runs
	 * under either program type.
	 */
	struct scap_bpf_regs regs;
	__s64 ret;
	/* A successful execve: the new image's file name (kernel memory), 0 = unknown. */
	__u64 execfn;
	__u32 old_tid;   /* a successful execve: the tid that called it, 0 = the event's own */
	__u8 exit_last;  /* procexit: SCAP_FILL_LAST_* from the tracepoint */
	__u8 pad0[3];
	__u8 pad[8];
	struct scap_fill_scratch s;
};
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct scap_bpf_scratch);
	/* max_entries: the possible CPUs, set by the loader */
} scratch SEC(".maps");

/*
 * Per thread, the arguments of the syscall it is in: every selected one in
 * tracepoint mode (scap_bpf_tp.h), clone and clone3 (s390x: fork, vfork)
 * on arm64 and s390x in raw tracepoint mode (scap_bpf_fork_keep). The CO-RE
 * object shares it there (its sched_process_fork program reads it).
 */
#if !defined(SCAP_BPF_CORE_OBJECT) || SCAP_BPF_FORK_CHILD
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct scap_bpf_stash);
	__uint(max_entries, SCAP_BPF_STASH_ENTRIES);
} stash SEC(".maps");
#endif

#define SCAP_CLONE_THREAD 0x00010000ull

#if SCAP_FILL_WALK_SUBPROG
/* For the global walk function of the fill (fill_derived.h). */
static __always_inline struct scap_fill_scratch *scap_fill_walk_scratch(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct scap_bpf_scratch *sc = bpf_map_lookup_elem(&scratch, &cpu);

	return sc ? &sc->s : NULL;
}
#endif

static __always_inline void scap_bpf_count_other(void)
{
	__u32 zero = 0;
	struct scap_bpf_counters *c = bpf_map_lookup_elem(&counters, &zero);

	if (c)
		c->other++;
}

/*
 * This CPU's scratch with the syscall registers read into it, or NULL
 * (counted). The tail-called program runs on the same CPU right after.
 */
static __always_inline struct scap_bpf_scratch *scap_bpf_load_regs(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct scap_bpf_scratch *sc = bpf_map_lookup_elem(&scratch, &cpu);
	const void *regs = (const void *)ctx->args[0];

	if (!sc || SCAP_FILL_READ_KERNEL(&sc->regs, sizeof(sc->regs), regs + SCAP_BPF_REGS_OFF) != 0) {
		scap_bpf_count_other();
		return NULL;
	}
	return sc;
}

/*
 * The settings while capture runs and this load is the one in force, NULL
 * otherwise: every program checks it first.
 */
static __always_inline struct scap_bpf_settings *scap_bpf_capturing(void)
{
	__u32 zero = 0, *in_force;
	struct scap_bpf_settings *st = bpf_map_lookup_elem(&settings, &zero);

	if (!st || !st->capturing)
		return NULL;
	in_force = bpf_map_lookup_elem(&active, &zero);
	return in_force && *in_force == st->instance ? st : NULL;
}

#if defined(SCAP_BPF_CLAIM_STACK) && !defined(SCAP_BPF_CORE_OBJECT)
/*
 * One store at the bottom of the 512-byte stack: the verified depth of the
 * dispatcher, and so the interpreter frame its tail calls' targets run in,
 * is then the whole stack whatever the kernel's verifier does with it
 * (scap_bpf_arch.h; modern_bpf's scap_mbpf_claim_full_stack does the same
 * where the loader finds no JIT). Called by every dispatcher, through
 * scap_bpf_in_force. Not in the CO-RE object: it has no dispatcher, and its
 * sched_process_fork program calls the walk subprogram, whose stack the
 * verifier adds to the caller's (512 + the walk's is refused).
 */
static __always_inline void scap_bpf_claim_stack(void)
{
	__u64 zero = 0;

	asm volatile("*(u64 *)(r10 - 512) = %[z]" : : [z] "r"(zero) : "memory");
}
#else
#define scap_bpf_claim_stack() do { } while (0)
#endif

/*
 * scap_bpf_capturing() for a hit that makes an event, taken by exactly one
 * load: the programs of a hit run one after the other, the old load's first,
 * and each reads `active` on its own, so across a settings change both
 * could find themselves in force (a second exit without its enter). Each
 * program notes in this CPU's claim whether its load took the hit; the next
 * load's program, when the claim is its predecessor's for the same thread,
 * does not take the hit again. Every program writes the claim, in force or
 * not, so that the claim read is the one of this hit (user space clears
 * them before it switches). Costs one per-CPU lookup and three stores.
 */
static __always_inline struct scap_bpf_settings *scap_bpf_in_force(__u32 kind)
{
	__u32 zero = 0, *in_force;
	struct scap_bpf_settings *st = bpf_map_lookup_elem(&settings, &zero);
	struct scap_bpf_claim *c = bpf_map_lookup_elem(&claims, &kind);
	__u64 id = bpf_get_current_pid_tgid();
	int mine;

	scap_bpf_claim_stack();
	if (!st)
		return NULL;
	in_force = bpf_map_lookup_elem(&active, &zero);
	mine = st->capturing && in_force && *in_force == st->instance;
	if (c) {
		if (mine && c->in_force && c->pid_tgid == id && c->instance + 1 == st->instance)
			mine = 0;
		c->pid_tgid = id;
		c->instance = st->instance;
		c->in_force = mine;
	}
	return mine ? st : NULL;
}

/*
 * Whether this thread's event is wanted: not the reading thread, the pid
 * filter. Checked after the syscall table, so that a syscall that is not
 * selected costs one helper call less.
 */
static __always_inline int scap_bpf_thread_wanted(const struct scap_bpf_settings *st)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = (__u32)(id >> 32);

	/* The reader's own syscalls (waits, writing out events) would feed back. */
	if ((__u32)id == st->self_tid || tgid == st->self_tgid)
		return 0;
	return !st->pid_filter || tgid == st->pid_filter;
}

#define SCAP_TS_COMPAT 0x0002u /* thread_info.status: an ia32 syscall is running */

/*
 * Whether an ia32 syscall is running, by TS_COMPAT, at the offset user space
 * found in the kernel's BTF (0: unknown, not checked). It also catches
 * `int $0x80` from 64-bit code, which keeps the 64-bit code segment.
 */
static __always_inline int scap_bpf_ia32(const struct scap_bpf_settings *st)
{
	__u32 status = 0;

	if (!st->compat_off)
		return 0;
	SCAP_FILL_READ_KERNEL(&status, sizeof(status), (const void *)(bpf_get_current_task() + st->compat_off));
	return (status & SCAP_TS_COMPAT) != 0;
}

/*
 * Builds event `code` and writes it to this CPU's perf buffer. pid_tgid and
 * task: the thread the event is of, when not current (arm64's new child at
 * sched_process_fork; task only in the CO-RE object), else 0.
 */
static __always_inline int scap_bpf_emit(void *ctx, const __u16 code, int at_exit, __u64 pid_tgid, __u64 task)
{
	__u32 zero = 0, cpu = bpf_get_smp_processor_id();
	struct scap_bpf_settings *st = bpf_map_lookup_elem(&settings, &zero);
	struct scap_bpf_counters *c = bpf_map_lookup_elem(&counters, &zero);
	struct scap_bpf_scratch *sc = bpf_map_lookup_elem(&scratch, &cpu);
	struct scap_fill_ctx fc = {};
	struct scap_bpf_regs *r;
	struct scap_evt_hdr *h;
	__u32 len;
	long err;

	if (!st || !c)
		return 0;
	if (!sc) {
		c->other++;
		return 0;
	}
	r = &sc->regs;
	fc.buf = sc->s.buf;
	fc.tmp = sc->s.tmp;
	SCAP_BPF_REGS_ARGS(fc.args, r);
#ifdef SCAP_MMAP_ARGS_IN_MEMORY
	/*
	 * s390x's mmap: its one argument points at the six (arch.h), read
	 * here for the mmap program only (code is a constant in each).
	 */
	if (code == SCAP_EV_MMAP_X) {
		__u64 a[6];

		if (SCAP_FILL_READ_USER(a, sizeof(a), (const void *)fc.args[0]) != 0)
			__builtin_memset(a, 0, sizeof(a));
		fc.args[0] = a[0];
		fc.args[1] = a[1];
		fc.args[2] = a[2];
		fc.args[3] = a[3];
		fc.args[4] = a[4];
		fc.args[5] = a[5];
	}
#endif
	fc.ret = at_exit ? sc->ret : 0;
	fc.user_sp = at_exit ? r->sp : 0;
	fc.execfn = at_exit ? sc->execfn : 0;
	fc.old_tid = at_exit ? sc->old_tid : 0;
	fc.exit_last = sc->exit_last;
	fc.nr = SCAP_BPF_REGS_NR(r);
	fc.pid_tgid = pid_tgid;
	fc.task = task;
	fc.snaplen = st->snaplen;
	if (fc.snaplen == 0 || fc.snaplen > SCAP_MAX_SNAPLEN)
		fc.snaplen = SCAP_DEFAULT_SNAPLEN;

	len = scap_fill_event(&fc, code);
	/*
	 * Stamp the event as late as possible: the core merges CPUs by
	 * timestamp, and an event stamped long before it becomes visible can
	 * arrive after a later one from another CPU was handed out.
	 */
	h = (struct scap_evt_hdr *)sc->s.buf;
	h->ts = bpf_ktime_get_ns() + st->boot_offset_ns;

	len = SCAP_FILL_OUT_LEN(len);
	err = bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &sc->pad[8 - SCAP_BPF_OUT_PAD],
				    len + SCAP_BPF_OUT_PAD);
	if (err == 0)
		c->sent++;
	else if (err == -ENOSPC)
		c->full++;
	else
		c->other++;
	return 0;
}

/*
 * This CPU's scratch with the arguments of `v` where the event programs read
 * them, or NULL (counted): the tracepoint mode's exits and the clone child of
 * fork (arm64), which have no registers of their own.
 */
static __always_inline struct scap_bpf_scratch *scap_bpf_stash_scratch(const struct scap_bpf_stash *v, __u32 nr,
									 __s64 ret)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct scap_bpf_scratch *sc = bpf_map_lookup_elem(&scratch, &cpu);

	if (!sc) {
		scap_bpf_count_other();
		return NULL;
	}
	SCAP_BPF_REGS_SET(&sc->regs, v->args, nr);
	/* Unknown: execve's new argv then comes only from the CO-RE programs. */
	sc->regs.sp = 0;
	sc->ret = ret;
	sc->execfn = 0;
	sc->old_tid = 0;
	return sc;
}

#if SCAP_BPF_FORK_CHILD
/*
 * sys_enter of a selected clone or clone3 (s390x: fork, vfork too) in raw
 * tracepoint mode (arm64, s390x):
 * its arguments, for the child's event at sched_process_fork. Kept for every
 * thread but those a pid filter rules out: whether the child is wanted
 * depends on its flags (a thread of the reader's process is not, a process
 * it forks is). The parent's exit deletes the entry (scap_bpf_fork_done).
 */
static __always_inline int scap_bpf_fork_keep(struct bpf_raw_tracepoint_args *ctx,
					      const struct scap_bpf_settings *st, __u32 nr)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct scap_bpf_scratch *sc;
	struct scap_bpf_stash v;

	if (st->pid_filter && (__u32)(id >> 32) != st->pid_filter)
		return 0;
	sc = scap_bpf_load_regs(ctx);
	if (!sc || SCAP_BPF_REGS_COMPAT(&sc->regs))
		return 0;
	SCAP_BPF_REGS_ARGS(v.args, &sc->regs);
	v.nr = nr;
	v.pad = 0;
	/* A full table loses this child's event: count it here. */
	if (bpf_map_update_elem(&stash, &tid, &v, BPF_ANY) != 0)
		scap_bpf_count_other();
	return 0;
}

/* The parent's clone returned: its child's event, if any, was built. */
static __always_inline void scap_bpf_fork_done(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&stash, &tid);
}

/*
 * sched_process_fork, current being the parent inside clone/clone3 (arm64;
 * s390x: fork and vfork too):
 * the child's return from it, which never passes sys_exit there. Its
 * registers are the parent's with x0 = 0, so its event is the parent's
 * arguments kept at sys_enter (`stash`), res 0, under the child's ids, and
 * with the child's task values when `task` is the child (CO-RE object; 0 in
 * the BTF-free one, which leaves them empty as for every event). Emitted
 * before the child can run. Kernel threads and io_uring workers are forked
 * outside clone: their creator has no clone entry.
 */
static __always_inline int scap_bpf_fork_emit(void *ctx, __u32 child_tid, __u64 task)
{
	struct scap_bpf_settings *st = scap_bpf_in_force(SCAP_BPF_HIT_FORK);
	__u64 id = bpf_get_current_pid_tgid(), flags = 0, child;
	__u32 parent = (__u32)id, tgid, nr;
	struct scap_bpf_scratch *sc;
	struct scap_bpf_stash *v;

	if (!st)
		return 0;
	v = bpf_map_lookup_elem(&stash, &parent);
	if (!v)
		return 0;
	nr = v->nr;
	if (nr == SCAP_NR_clone) {
		flags = v->args[SCAP_CLONE_ARG_FLAGS];
	} else if (nr == SCAP_NR_clone3) {
		if (SCAP_FILL_READ_USER(&flags, sizeof(flags), (const void *)v->args[0]) != 0) /* clone_args.flags */
			return 0;
#ifdef SCAP_ARCH_S390X
	/* s390x also has fork and vfork (arm64 has neither): never CLONE_THREAD. */
	} else if (nr != SCAP_NR_fork && nr != SCAP_NR_vfork) {
#else
	} else {
#endif
		return 0;
	}
	tgid = (flags & SCAP_CLONE_THREAD) ? (__u32)(id >> 32) : child_tid;
	if (tgid == st->self_tgid || (st->pid_filter && tgid != st->pid_filter))
		return 0;
	sc = scap_bpf_stash_scratch(v, nr, 0);
	if (!sc)
		return 0;
	child = (__u64)tgid << 32 | child_tid;
	/* One emit per code, each a constant: scap_fill_event inlines only its own fill. */
	if (nr == SCAP_NR_clone)
		return scap_bpf_emit(ctx, SCAP_EV_CLONE_X, 1, child, task);
#ifdef SCAP_ARCH_S390X
	if (nr == SCAP_NR_fork)
		return scap_bpf_emit(ctx, SCAP_EV_FORK_X, 1, child, task);
	if (nr == SCAP_NR_vfork)
		return scap_bpf_emit(ctx, SCAP_EV_VFORK_X, 1, child, task);
#endif
	return scap_bpf_emit(ctx, SCAP_EV_CLONE3_X, 1, child, task);
}
#endif

/* The exit event of `sys`, the scratch filled: tail-calls its program. */
static __always_inline int scap_bpf_exit_event(void *ctx, const struct scap_bpf_syscall *sys)
{
	/* The most frequent event is built here: no tail call for it. */
	if (sys->exit_code == SCAP_EV_GENERIC_X)
		return scap_bpf_emit(ctx, SCAP_EV_GENERIC_X, 1, 0, 0);
	bpf_tail_call(ctx, &progs, sys->exit_code);
	/* Only reached when the event's program is missing. */
	scap_bpf_count_other();
	return 0;
}

/*
 * One program per row of events.def, named ev_<CODE>. The CO-RE object only
 * needs the rows carrying process context (exits, and kernel events such as
 * procexit) or what the call opened (SCAP_EF_FD_OBJ exits): the others compile to nothing there and are never loaded from
 * it (engines/bpf/bpf_loader.c).
 */
#ifdef SCAP_BPF_CORE_OBJECT
#define SCAP_BPF_ROW_BUILT(flags, dir)                                                         \
	(((flags) & (SCAP_EF_PROC_CTX | SCAP_EF_FD_OBJ)) &&                                   \
	 ((dir) == SCAP_DIR_EXIT || ((flags) & SCAP_EF_NOT_SYSCALL)))
#else
#define SCAP_BPF_ROW_BUILT(flags, dir) 1
#endif
#define SCAP_EVENT(code, sc, dir, cat, flags, ...)                                   \
	SEC("raw_tp")                                                                \
	int ev_##code(struct bpf_raw_tracepoint_args *ctx)                           \
	{                                                                            \
		if (!SCAP_BPF_ROW_BUILT(flags, SCAP_DIR_##dir))                                    \
			return 0;                                                    \
		return scap_bpf_emit(ctx, SCAP_EV_##code, SCAP_DIR_##dir == SCAP_DIR_EXIT, 0, 0); \
	}
#include "../common/events.def"
#undef SCAP_EVENT

#if defined(SCAP_BPF_CORE_OBJECT) && SCAP_BPF_FORK_CHILD
/*
 * arm64's child of clone/clone3 with its task values (ppid, exe, cwd,
 * cgroup, vtid, vpid, ... of the child, which is complete but has not run):
 * raw tracepoint sched_process_fork(parent, child). The loader attaches it
 * in raw tracepoint mode when this object loaded, else the BTF-free
 * tracepoint program (scap_tp_fork_*).
 */
SEC("raw_tracepoint/sched_process_fork")
int scap_core_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];

	if (BPF_CORE_READ(child, flags) & (SCAP_BPF_PF_KTHREAD | SCAP_BPF_PF_IO_WORKER))
		return 0;
	return scap_bpf_fork_emit(ctx, (__u32)BPF_CORE_READ(child, pid), (__u64)(unsigned long)child);
}
#endif

#ifndef SCAP_BPF_CORE_OBJECT

#include "scap_bpf_socketcall.h"

/*
 * Per thread, its last successful execve, from sched_process_exec
 * (scap_bpf_tp.h): the tid that called it (old_tid: a non-leader thread's
 * exec returns with the leader's tid, and nothing in the task remembers the
 * old one) and the file name. Without the CO-RE programs the name is the only
 * sure source of the exit's `pathname` (tracepoint mode has no registers at
 * exit, and an enter-time read can fault); it is the string the kernel put on
 * the new stack as AT_EXECFN, empty ("") when too long to keep. Read by the
 * exit of that execve, which comes right after on the same thread; LRU, so
 * threads that never return leave.
 */
struct scap_bpf_execfn {
	__u32 old_tid;
	__u32 pad;
	char s[SCAP_FILL_EXECFN_MAX];
};
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, struct scap_bpf_execfn);
	__uint(max_entries, 1024);
} execfn SEC(".maps");

/* A successful execve's exit: what sched_process_exec kept for it (scap_bpf_keep_execfn). */
static __always_inline void scap_bpf_exec_kept(struct scap_bpf_scratch *sc)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct scap_bpf_execfn *v = bpf_map_lookup_elem(&execfn, &tid);

	if (!v)
		return;
	sc->old_tid = v->old_tid;
	/* The CO-RE programs read the name from the new image; the others from here. */
	if (v->s[0])
		sc->execfn = (__u64)(unsigned long)v->s;
}

SEC("raw_tracepoint/sys_exit")
int scap_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct scap_bpf_settings *st = scap_bpf_in_force(SCAP_BPF_HIT_SYS_EXIT);
	struct scap_bpf_scratch *sc;
	struct scap_bpf_syscall *sys;
	__u32 nr;

	if (!st)
		return 0;
	sc = scap_bpf_load_regs(ctx);
#ifdef SCAP_EXEC_SWITCHES_ABI
	if (!sc)
		return 0;
	nr = SCAP_BPF_REGS_NR(&sc->regs);
	if (__builtin_expect(SCAP_BPF_EXEC_EXIT(&sc->regs), 0)) {
		long n = scap_exec_abi_nr(nr, SCAP_BPF_REGS_COMPAT(&sc->regs));

		if (n < 0)
			return 0;
		/* The fill and the exit programs read the number from here. */
		nr = (__u32)n;
		sc->regs.syscallno = (__s32)n;
	} else if (SCAP_BPF_REGS_COMPAT(&sc->regs)) {
		return 0;
	}
	sc->ret = (__s64)ctx->args[1];
#else
	/* s390: a new task's return from clone is not a syscall's exit (scap_bpf_arch.h). */
	if (!sc || !SCAP_BPF_EXIT_IS_SYSCALL(&sc->regs))
		return 0;
	sc->ret = (__s64)ctx->args[1];
	nr = SCAP_BPF_REGS_NR(&sc->regs);
#endif
	sys = bpf_map_lookup_elem(&syscalls, &nr);
	if (!sys || !sys->selected)
		return 0;
#ifndef SCAP_EXEC_SWITCHES_ABI
	/*
	 * After the selection: on s390x the compat test is a task read (a helper
	 * call), which the exits of unselected syscalls need not pay.
	 */
	if (SCAP_BPF_REGS_COMPAT(&sc->regs))
		return 0;
#endif
#if SCAP_BPF_FORK_CHILD
	/* The parent's clone returns: its child's event was built from this entry (scap_bpf_fork_emit). */
	if (sys->stash)
		scap_bpf_fork_done();
#endif
	if (!scap_bpf_thread_wanted(st) || scap_bpf_ia32(st))
		return 0;
	sc->execfn = 0;
	sc->old_tid = 0;
	if (sc->ret == 0 && (nr == SCAP_NR_execve || nr == SCAP_NR_execveat))
		scap_bpf_exec_kept(sc);
#if SCAP_HAVE_SOCKETCALL
	if (nr == SCAP_NR_socketcall)
		return scap_bpf_sc_exit(ctx, sc, sys);
#endif
	return scap_bpf_exit_event(ctx, sys);
}

/*
 * procexit: a thread ends (do_exit, in that thread: its exit_code is already
 * the wait status). Hands the event to progs[SCAP_EV_PROCEXIT_E] (the CO-RE
 * program where it loaded: the BTF-free one has no task_struct offsets) with
 * `last` from the tracepoint where it has group_dead (6.16+), else unknown.
 */
static __always_inline int scap_bpf_procexit(void *ctx, __u8 last)
{
	struct scap_bpf_settings *st = scap_bpf_in_force(SCAP_BPF_HIT_PROCEXIT);
	struct scap_bpf_scratch *sc;
	__u32 cpu;

	if (!st || !scap_bpf_thread_wanted(st))
		return 0;
	cpu = bpf_get_smp_processor_id();
	sc = bpf_map_lookup_elem(&scratch, &cpu);
	if (!sc) {
		scap_bpf_count_other();
		return 0;
	}
	sc->ret = 0;
	sc->execfn = 0;
	sc->old_tid = 0;
	sc->exit_last = last;
	bpf_tail_call(ctx, &progs, SCAP_EV_PROCEXIT_E);
	scap_bpf_count_other();
	return 0;
}

/*
 * raw tracepoint mode: sched_process_exit(p) before 6.16, (p, group_dead)
 * since. A raw tracepoint program that reads an argument the tracepoint
 * lacks does not attach, so the loader picks one of the two.
 */
SEC("raw_tracepoint/sched_process_exit")
int scap_procexit(struct bpf_raw_tracepoint_args *ctx)
{
	return scap_bpf_procexit(ctx, SCAP_FILL_LAST_UNKNOWN);
}

SEC("raw_tracepoint/sched_process_exit")
int scap_procexit_gd(struct bpf_raw_tracepoint_args *ctx)
{
	return scap_bpf_procexit(ctx, ctx->args[1] & 0xff ? SCAP_FILL_LAST_YES : SCAP_FILL_LAST_NO);
}

SEC("raw_tracepoint/sys_enter")
int scap_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct scap_bpf_settings *st = scap_bpf_in_force(SCAP_BPF_HIT_SYS_ENTER);
	struct scap_bpf_scratch *sc;
	struct scap_bpf_syscall *sys;
	__u32 nr = (__u32)ctx->args[1];

	if (!st)
		return 0;
	sys = bpf_map_lookup_elem(&syscalls, &nr);
#if SCAP_BPF_FORK_CHILD
	/* clone/clone3 (sys->stash in raw tracepoint mode): keep the arguments for the child. */
	if (sys && sys->selected && sys->stash)
		return scap_bpf_fork_keep(ctx, st, nr);
#endif
#if SCAP_HAVE_SOCKETCALL
	/* socketcall has no enter row: only a connect through it has an enter event. */
	if (nr == SCAP_NR_socketcall) {
		if (!sys || !sys->selected || !scap_bpf_thread_wanted(st))
			return 0;
		sc = scap_bpf_load_regs(ctx);
		if (!sc || SCAP_BPF_REGS_COMPAT(&sc->regs))
			return 0;
		return scap_bpf_sc_enter(ctx, sc);
	}
#endif
	if (!sys || !sys->selected || !sys->has_enter || !scap_bpf_thread_wanted(st) || scap_bpf_ia32(st))
		return 0;
	sc = scap_bpf_load_regs(ctx);
	if (!sc || SCAP_BPF_REGS_COMPAT(&sc->regs))
		return 0;
	bpf_tail_call(ctx, &progs, sys->enter_code);
	scap_bpf_count_other();
	return 0;
}

#endif

#endif
