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
 * arm64 is a BPF_CORE_READ of orig_x0 and on powerpc the return value, so
 * those and the number are read here by name.
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

#else
#error "modern_bpf: no register layout for this architecture (-D__TARGET_ARCH_x86, _arm64 or _powerpc)"
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
}

#endif
