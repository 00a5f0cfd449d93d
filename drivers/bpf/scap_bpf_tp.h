/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Tracepoint mode of the bpf driver, for kernels without raw tracepoints
 * (before 4.17): BPF_PROG_TYPE_TRACEPOINT dispatchers on raw_syscalls/sys_enter
 * and raw_syscalls/sys_exit. Their records (the tracepoint format) carry the
 * syscall number and the six arguments at enter, the number and the return
 * value at exit, and no registers. So sys_enter keeps the arguments of a
 * selected syscall per thread (`stash`) and sys_exit takes them back; an exit
 * whose enter was not seen (the syscall began before capture started) is not
 * sent and is counted (counters.no_args), because its arguments are unknown.
 *
 * Two returns happen on another thread than their enter: a new thread's
 * first return from clone/fork/vfork/clone3 (sched_process_fork copies the
 * parent's entry to the child before the child can run) and a successful
 * execve of a non-leader thread, which returns with the leader's id
 * (sched_process_exec moves the entry).
 *
 * The event programs are the same as in raw tracepoint mode (the loader sets
 * their type): they read the arguments from the per-CPU scratch, which the
 * dispatcher fills. Included by scap_bpf.bpf.c after scap_bpf_common.h.
 */
#ifndef SCAP_DRIVERS_BPF_TP_H
#define SCAP_DRIVERS_BPF_TP_H

/* The records after their 8 bytes of common fields (events/raw_syscalls/sys_*\/format). */
struct scap_tp_sys_enter {
	__u64 common;
	long id;
	unsigned long args[6];
};
struct scap_tp_sys_exit {
	__u64 common;
	long id;
	long ret;
};
/* events/sched/sched_process_exec/format, the same from 3.4 to 6.18 */
struct scap_tp_exec {
	__u64 common;
	__u32 filename_loc;
	__s32 pid;
	__s32 old_pid;
};


/*
 * Per thread, the user stack pointer its last execve gave the new image
 * (start_thread's third argument, from a kprobe), for the exit's argv: the
 * tracepoint records carry no registers, and without BTF there is no other
 * way to the new stack. Taken (and deleted) by the exit of that execve.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1024);
} exec_sp SEC(".maps");

static __always_inline void scap_tp_count_no_args(void)
{
	__u32 zero = 0;
	struct scap_bpf_counters *c = bpf_map_lookup_elem(&counters, &zero);

	if (c)
		c->no_args++;
}

static __always_inline int scap_tp_is_clone(__u32 nr)
{
	return nr == SCAP_NR_clone || nr == SCAP_NR_clone3 || nr == SCAP_NR_fork || nr == SCAP_NR_vfork;
}

/*
 * The reader thread is not captured, but the threads it creates are: their
 * first return from clone needs its arguments (scap_tp_fork). Its entry is
 * never taken by its own exit; the next one replaces it.
 */
static __always_inline int scap_tp_reader_clone(const struct scap_bpf_settings *st, __u32 nr)
{
	__u64 id = bpf_get_current_pid_tgid();

	return scap_tp_is_clone(nr) && (__u32)id == st->self_tid && (__u32)(id >> 32) != st->self_tgid &&
	       (!st->pid_filter || (__u32)(id >> 32) == st->pid_filter);
}

SEC("tracepoint/raw_syscalls/sys_enter")
int scap_tp_sys_enter(struct scap_tp_sys_enter *ctx)
{
	struct scap_bpf_settings *st = scap_bpf_in_force(SCAP_BPF_HIT_SYS_ENTER);
	struct scap_bpf_scratch *sc;
	struct scap_bpf_syscall *sys;
	struct scap_bpf_stash v;
	__u32 nr = (__u32)ctx->id, tid;
	int wanted;

	if (!st)
		return 0;
	sys = bpf_map_lookup_elem(&syscalls, &nr);
	if (!sys || !sys->selected)
		return 0;
	wanted = scap_bpf_thread_wanted(st);
	if (!wanted && !scap_tp_reader_clone(st, nr))
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	v.args[0] = ctx->args[0];
	v.args[1] = ctx->args[1];
	v.args[2] = ctx->args[2];
	v.args[3] = ctx->args[3];
	v.args[4] = ctx->args[4];
	v.args[5] = ctx->args[5];
	v.nr = nr;
	v.pad = 0;
	if (scap_bpf_ia32(st) || SCAP_BPF_TP_COMPAT()) {
		/* Its exit must not be taken for the 64-bit syscall of that number. */
		v.nr = SCAP_BPF_STASH_IA32;
		if (sys->stash)
			bpf_map_update_elem(&stash, &tid, &v, BPF_ANY);
		return 0;
	}
	/* A full table loses this syscall's exit event: count it here. */
	if (sys->stash && bpf_map_update_elem(&stash, &tid, &v, BPF_ANY) != 0)
		scap_bpf_count_other();
#if SCAP_HAVE_SOCKETCALL
	/* socketcall has no enter row: only a connect through it has an enter event. */
	if (nr == SCAP_NR_socketcall) {
		if (!wanted)
			return 0;
		sc = scap_bpf_stash_scratch(&v, nr, 0);
		return sc ? scap_bpf_sc_enter(ctx, sc) : 0;
	}
#endif
	if (!wanted || !sys->has_enter)
		return 0;
	sc = scap_bpf_stash_scratch(&v, nr, 0);
	if (!sc)
		return 0;
	bpf_tail_call(ctx, &progs, sys->enter_code);
	scap_bpf_count_other();
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_exit")
int scap_tp_sys_exit(struct scap_tp_sys_exit *ctx)
{
	struct scap_bpf_settings *st = scap_bpf_in_force(SCAP_BPF_HIT_SYS_EXIT);
	struct scap_bpf_scratch *sc;
	struct scap_bpf_syscall *sys;
	struct scap_bpf_stash *v;
	__u32 nr = (__u32)ctx->id, tid;

	if (!st)
		return 0;
	sys = bpf_map_lookup_elem(&syscalls, &nr);
	if (!sys || !sys->selected || !scap_bpf_thread_wanted(st))
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	v = bpf_map_lookup_elem(&stash, &tid);
	if (!v) {
		scap_tp_count_no_args();
		return 0;
	}
	/* A successful execveat returns with execve's number (x86_64). */
	if (v->nr != nr && !(v->nr == SCAP_NR_execveat && nr == SCAP_NR_execve)) {
		if (v->nr != SCAP_BPF_STASH_IA32)
			scap_tp_count_no_args();
		bpf_map_delete_elem(&stash, &tid);
		return 0;
	}
	/* Copied before the delete: a preallocated entry is reused at once. */
	sc = scap_bpf_stash_scratch(v, nr, ctx->ret);
	bpf_map_delete_elem(&stash, &tid);
	if (!sc)
		return 0;
	/* A successful execve passed sched_process_exec just before (scap_tp_exec). */
	if (ctx->ret == 0 && (nr == SCAP_NR_execve || nr == SCAP_NR_execveat)) {
		__u64 *sp = bpf_map_lookup_elem(&exec_sp, &tid);

		scap_bpf_exec_kept(sc);
		if (sp) {
			sc->regs.sp = *sp;
			bpf_map_delete_elem(&exec_sp, &tid);
		}
	}
#if SCAP_HAVE_SOCKETCALL
	if (nr == SCAP_NR_socketcall)
		return scap_bpf_sc_exit(ctx, sc, sys);
#endif
	return scap_bpf_exit_event(ctx, sys);
}

/*
 * Whether the child of the clone-family syscall `v` is a thread of the
 * parent's process. A new process is left without an entry under a pid
 * filter: its exit is not captured and would never take it.
 */
static __always_inline int scap_tp_child_wanted(const struct scap_bpf_settings *st,
						const struct scap_bpf_stash *v)
{
	__u64 flags = 0;

	if (!st->pid_filter)
		return 1;
	if (v->nr == SCAP_NR_clone)
		flags = v->args[0];
	else if (v->nr == SCAP_NR_clone3)
		SCAP_FILL_READ_USER(&flags, sizeof(flags), (const void *)v->args[0]); /* clone_args.flags */
	return (flags & SCAP_CLONE_THREAD) != 0;
}

/*
 * The parent (current) is inside clone/fork/vfork/clone3: its child returns
 * from it too. On arm64 the child's return never passes sys_exit: its event
 * is built here (scap_bpf_fork_emit), in both modes.
 */
static __always_inline int scap_tp_fork(void *ctx, __s32 child_pid)
{
#if SCAP_BPF_FORK_CHILD
	return scap_bpf_fork_emit(ctx, (__u32)child_pid, 0);
#else
	struct scap_bpf_settings *st = scap_bpf_capturing();
	__u32 parent = (__u32)bpf_get_current_pid_tgid(), child = (__u32)child_pid;
	struct scap_bpf_stash *v, copy;

	if (!st)
		return 0;
	v = bpf_map_lookup_elem(&stash, &parent);
	/* Kernel threads and io_uring workers are forked from elsewhere and never return to user space. */
	if (!v || !scap_tp_is_clone(v->nr))
		return 0;
	__builtin_memcpy(&copy, v, sizeof(copy));
	if (!scap_tp_child_wanted(st, &copy))
		return 0;
	if (bpf_map_update_elem(&stash, &child, &copy, BPF_ANY) != 0)
		scap_bpf_count_other();
	return 0;
#endif
}

/*
 * sched_process_fork's child_pid moved when the comms became dynamic
 * strings: the loader attaches the program matching the format file.
 */
SEC("tracepoint/sched/sched_process_fork")
int scap_tp_fork_comm16(void *ctx)
{
	/* char parent_comm[16]; pid_t parent_pid; char child_comm[16]; pid_t child_pid; */
	return scap_tp_fork(ctx, *(__s32 *)((char *)ctx + 44));
}

SEC("tracepoint/sched/sched_process_fork")
int scap_tp_fork_dynstr(void *ctx)
{
	/* __data_loc parent_comm; pid_t parent_pid; __data_loc child_comm; pid_t child_pid; */
	return scap_tp_fork(ctx, *(__s32 *)((char *)ctx + 20));
}

/*
 * start_thread(regs, new_ip, new_sp): an ELF image (a script's interpreter
 * too) is about to start with new_sp. x86_64 passes the third argument in
 * rdx (arm64's start_thread is inline: scap_bpf_arch.h). Loaded only in
 * tracepoint mode without BTF, where it attaches.
 */
SEC("kprobe/start_thread")
int scap_kp_start_thread(scap_bpf_kprobe_regs *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 sp = SCAP_BPF_KPROBE_ARG3(ctx);

	if (!scap_bpf_capturing())
		return 0;
	bpf_map_update_elem(&exec_sp, &tid, &sp, BPF_ANY);
	return 0;
}

/* Keeps the calling tid and the file name of the execve that sched_process_exec reports, for its exit. */
static __always_inline void scap_bpf_keep_execfn(struct scap_tp_exec *ctx)
{
	__u32 now = (__u32)ctx->pid, loc = ctx->filename_loc;
	struct scap_bpf_execfn name;

	/* Zeroed: old verifiers do not count the helper's write as initialising. */
	__builtin_memset(&name, 0, sizeof(name));
	name.old_tid = (__u32)ctx->old_pid;
	/*
	 * __data_loc: offset in the record (low 16 bits), length with the NUL
	 * (high 16). Too long to keep, or unreadable: the name stays "" and the
	 * exit's pathname empty, never stale.
	 */
	if ((loc >> 16) > 0 && (loc >> 16) <= SCAP_FILL_EXECFN_MAX &&
	    SCAP_FILL_READ_KERNEL_STR(name.s, sizeof(name.s), (const char *)ctx + (loc & 0xffff)) <= 0)
		name.s[0] = 0;
	bpf_map_update_elem(&execfn, &now, &name, BPF_ANY);
}

/*
 * The same without the tracepoint mode's stash, for the raw tracepoint mode:
 * the exit's old_tid, and without the CO-RE programs (no BTF, or they did not
 * load) its pathname, which has no other source when the enter could not read
 * it (a page of a just-forked child not mapped yet).
 */
SEC("tracepoint/sched/sched_process_exec")
int scap_exec_name(struct scap_tp_exec *ctx)
{
	if (scap_bpf_capturing())
		scap_bpf_keep_execfn(ctx);
	return 0;
}

/*
 * Keeps the file name for the exit (the execfn map), and a non-leader
 * thread's execve took the leader's id: its entry follows.
 */
SEC("tracepoint/sched/sched_process_exec")
int scap_tp_exec(struct scap_tp_exec *ctx)
{
	struct scap_bpf_settings *st = scap_bpf_capturing();
	__u32 old = (__u32)ctx->old_pid, now = (__u32)ctx->pid;
	struct scap_bpf_stash *v, copy;

	if (!st)
		return 0;
	scap_bpf_keep_execfn(ctx);
	if (old == now)
		return 0;
	v = bpf_map_lookup_elem(&stash, &old);
	if (!v)
		return 0;
	__builtin_memcpy(&copy, v, sizeof(copy));
	bpf_map_delete_elem(&stash, &old);
	if (bpf_map_update_elem(&stash, &now, &copy, BPF_ANY) != 0)
		scap_bpf_count_other();
	return 0;
}

/*
 * procexit in tracepoint mode (scap_bpf_procexit): the record has group_dead
 * at offset 32 since 6.16 (after char comm[16], pid_t pid, int prio); a
 * tracepoint program that reads past its record does not attach, so the
 * loader picks one of the two. The thread's stash entry goes with it: a
 * thread killed inside a syscall never takes it back.
 */
static __always_inline int scap_tp_procexit_common(void *ctx, __u8 last)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (scap_bpf_capturing())
		bpf_map_delete_elem(&stash, &tid);
	return scap_bpf_procexit(ctx, last);
}

SEC("tracepoint/sched/sched_process_exit")
int scap_tp_procexit(void *ctx)
{
	return scap_tp_procexit_common(ctx, SCAP_FILL_LAST_UNKNOWN);
}

SEC("tracepoint/sched/sched_process_exit")
int scap_tp_procexit_gd(void *ctx)
{
	return scap_tp_procexit_common(ctx, *(__u8 *)((char *)ctx + 32) ? SCAP_FILL_LAST_YES : SCAP_FILL_LAST_NO);
}

#endif
