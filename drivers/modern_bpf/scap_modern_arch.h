/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What the modern_bpf driver reads from the architecture: a syscall's
 * number and arguments from the task's user registers (struct pt_regs of
 * the vmlinux.h it was compiled with, -D__TARGET_ARCH_<arch>) and whether
 * the task runs a 32-bit (compat) syscall. regs is a BTF pointer
 * (tp_btf/sys_exit, bpf_task_pt_regs): direct loads are inline, where
 * BPF_CORE_READ would be one helper call each, most of the cost of a small
 * event. Arguments 2-5 go through libbpf's PT_REGS_PARMn_SYSCALL (direct
 * loads on every architecture); libbpf 1.1 has no sixth, and its first on
 * arm64 and s390 is a BPF_CORE_READ of orig_x0/orig_gpr2 and on powerpc the
 * return value, so those and the number are read here by name.
 *
 * Compat syscalls have their own numbers and argument registers: the
 * schema describes the 64-bit table only, so they are not captured
 * (docs/engines.md).
 */
#ifndef SCAP_MODERN_ARCH_H
#define SCAP_MODERN_ARCH_H

#if defined(__TARGET_ARCH_x86)

/* x86 thread_info.status: an ia32 syscall is running (TS_COMPAT). */
#define SCAP_MBPF_COMPAT_FIELD thread_info.status
#define SCAP_MBPF_COMPAT_MASK 0x0002u

/* x86_64 syscall convention: rdi rsi rdx r10 r8 r9, number in orig_ax. */
#define SCAP_MBPF_REGS_ARG1(regs) PT_REGS_PARM1_SYSCALL(regs)
#define SCAP_MBPF_REGS_ARG6(regs) ((regs)->r9)
#define SCAP_MBPF_REGS_NR(regs) ((scap_u32)(regs)->orig_ax)
/* A new task leaves clone through sys_exit like its parent. */
#define SCAP_MBPF_FORK_CHILD 0

#elif defined(__TARGET_ARCH_arm64)

/*
 * arm64 thread_info.flags: TIF_32BIT (bit 22, the same from 4.x to 6.x),
 * an AArch32 task. Unlike x86's int $0x80, an AArch64 task cannot make a
 * 32-bit syscall: the mark is per task.
 */
#define SCAP_MBPF_COMPAT_FIELD thread_info.flags
#define SCAP_MBPF_COMPAT_MASK (1ul << 22)

/*
 * AAPCS64 syscall convention: x0-x5, number in x8 (kept as syscallno).
 * At sys_exit x0 already holds the return value: the first argument is
 * orig_x0.
 */
#define SCAP_MBPF_REGS_ARG1(regs) ((regs)->orig_x0)
#define SCAP_MBPF_REGS_ARG6(regs) ((regs)->regs[5])
#define SCAP_MBPF_REGS_NR(regs) ((scap_u32)(regs)->syscallno)
/* An exec that switched ABI (../common/exec_abi.h): its number registers. */
#define SCAP_MBPF_EXEC_EXIT(regs) SCAP_EXEC_EXIT((regs)->syscallno, (regs)->regs[8], (regs)->regs[7])
/*
 * A new task returns to user space through ret_from_fork straight to
 * ret_to_user, never through the sys_exit tracepoint: the child's side of
 * clone/clone3 is taken from sched_process_fork instead (scap_sched_fork).
 */
#define SCAP_MBPF_FORK_CHILD 1
#define SCAP_MBPF_PF_KTHREAD 0x00200000u   /* include/linux/sched.h, unchanged since 2.6 */
#define SCAP_MBPF_PF_IO_WORKER 0x00000010u /* an io_uring worker thread */

#elif defined(__TARGET_ARCH_powerpc)

/*
 * powerpc thread_info.flags (thread_info in task_struct on ppc64):
 * TIF_32BIT (bit 20 in arch/powerpc/include/asm/thread_info.h, 5.x and 6.x),
 * a 32-bit task. Per task, as on arm64; Debian's ppc64el kernels are built
 * without CONFIG_COMPAT, so no task has it there.
 */
#define SCAP_MBPF_COMPAT_FIELD thread_info.flags
#define SCAP_MBPF_COMPAT_MASK (1ul << 20)

/*
 * ELFv2 syscall convention: r3-r8, number in r0. At sys_exit r3 already
 * holds the return value: the first argument is orig_gpr3 (the kernel's
 * syscall_get_arguments). libbpf 1.1's PT_REGS_PARM1_SYSCALL is gpr[3] on
 * powerpc, the return value there (fixed in libbpf 1.2): it is not used.
 */
#define SCAP_MBPF_REGS_ARG1(regs) ((regs)->orig_gpr3)
#define SCAP_MBPF_REGS_ARG6(regs) ((regs)->gpr[8])
#define SCAP_MBPF_REGS_NR(regs) ((scap_u32)(regs)->gpr[0])
/*
 * A new task returns through ret_from_fork to the syscall exit path
 * (syscall_exit_prepare), which fires sys_exit: as on x86_64.
 */
#define SCAP_MBPF_FORK_CHILD 0

#elif defined(__TARGET_ARCH_s390)

/*
 * s390 thread_info.flags (thread_info in task_struct): TIF_31BIT, a 31-bit
 * task (bit 16 in arch/s390/include/asm/thread_info.h of 6.1 and 6.12).
 * Per task, as on arm64 (Debian's s390x kernels have CONFIG_COMPAT: a 31-bit
 * program's syscalls are not captured, as the kmod's in_compat_syscall()
 * check skips them).
 */
#define SCAP_MBPF_COMPAT_FIELD thread_info.flags
#define SCAP_MBPF_COMPAT_MASK (1ul << 16)

/*
 * s390x syscall convention: r2-r7, number in the SVC's interruption code
 * (or r1 for numbers above 255, which the entry code copies into int_code's
 * low half: the kernel's syscall_get_nr reads int_code & 0xffff). At
 * sys_exit r2 already holds the return value: the first argument is
 * orig_gpr2 (syscall_get_arguments), as libbpf 1.1's PT_REGS_PARM1_SYSCALL
 * says too, but through a BPF_CORE_READ; the sixth is r7, which libbpf 1.1
 * does not name.
 */
#define SCAP_MBPF_REGS_ARG1(regs) ((regs)->orig_gpr2)
#define SCAP_MBPF_REGS_ARG6(regs) ((regs)->gprs[7])
#define SCAP_MBPF_REGS_NR(regs) ((scap_u32)((regs)->int_code & 0xffffu))
/*
 * sys_exit of a syscall: PIF_SYSCALL (bit 0 of pt_regs.flags, 6.1 and
 * 6.12) set, as the kernel's syscall_get_nr() requires. A new task passes
 * sys_exit too (__ret_from_fork ends in syscall_exit_to_user_mode) but with
 * PIF_SYSCALL cleared by copy_thread: it is taken at sched_process_fork, as
 * on arm64, where int_code still holds the parent's number; the kmod does
 * the same.
 */
#define SCAP_MBPF_EXIT_IS_SYSCALL(regs) ((regs)->flags & 1ul)
#define SCAP_MBPF_FORK_CHILD 1
#define SCAP_MBPF_PF_KTHREAD 0x00200000u   /* include/linux/sched.h, unchanged since 2.6 */
#define SCAP_MBPF_PF_IO_WORKER 0x00000010u /* an io_uring worker thread */

#else
#error "modern_bpf: no register layout for this architecture (-D__TARGET_ARCH_x86, _arm64, _powerpc or _s390)"
#endif

/* Every sys_exit is a syscall's, except where the architecture says otherwise (s390). */
#ifndef SCAP_MBPF_EXIT_IS_SYSCALL
#define SCAP_MBPF_EXIT_IS_SYSCALL(regs) 1
#endif

/* The syscall's number and six arguments: what differs per architecture is named above. */
static __always_inline void scap_mbpf_regs_args(struct scap_fill_ctx *fc, struct pt_regs *regs)
{
	fc->args[0] = SCAP_MBPF_REGS_ARG1(regs);
	fc->args[1] = PT_REGS_PARM2_SYSCALL(regs);
	fc->args[2] = PT_REGS_PARM3_SYSCALL(regs);
	fc->args[3] = PT_REGS_PARM4_SYSCALL(regs);
	fc->args[4] = PT_REGS_PARM5_SYSCALL(regs);
	fc->args[5] = SCAP_MBPF_REGS_ARG6(regs);
	fc->nr = SCAP_MBPF_REGS_NR(regs);
#ifdef SCAP_MMAP_ARGS_IN_MEMORY
	/* s390x's mmap: the six arguments are in the caller's memory (arch.h). */
	if (fc->nr == (scap_u32)SCAP_NR_mmap) {
		scap_u64 a[6];

		if (bpf_probe_read_user(a, sizeof(a), (const void *)fc->args[0]) != 0)
			__builtin_memset(a, 0, sizeof(a));
		fc->args[0] = a[0];
		fc->args[1] = a[1];
		fc->args[2] = a[2];
		fc->args[3] = a[3];
		fc->args[4] = a[4];
		fc->args[5] = a[5];
	}
#endif
}

#endif
