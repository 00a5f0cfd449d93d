/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What the bpf driver reads from the architecture's struct pt_regs, without
 * BTF: the dispatchers copy one block of the task's user registers into the
 * per-CPU scratch with one bpf_probe_read (struct scap_bpf_regs mirrors that
 * block), and the event programs take the syscall's number, its six
 * arguments, the user stack pointer and the compat mark from the copy.
 * Tracepoint mode writes the arguments it kept at enter into the same copy.
 *
 * The includer defines, from its own pt_regs (uapi headers for the BTF-free
 * object, vmlinux.h for the CO-RE one, which spell the fields differently):
 *   x86_64:  SCAP_REGS_OFF_R10, _ORIG_AX, _CS, _SP
 *   aarch64: SCAP_REGS_OFF_ORIG_X0, _SYSCALLNO
 *   ppc64le: SCAP_REGS_OFF_MSR, _ORIG_GPR3
 *   s390x:   SCAP_REGS_OFF_ORIG_GPR2, _INT_CODE, _FLAGS
 * The driver's syscall table and schema come from the same architecture
 * (drivers/common/arch.h, -D__TARGET_ARCH_<arch>).
 */
#ifndef SCAP_DRIVERS_BPF_ARCH_H
#define SCAP_DRIVERS_BPF_ARCH_H

#include "../common/arch.h"

#if defined(SCAP_ARCH_X86_64)

/* x86_64 struct pt_regs: r10 .. sp are contiguous and read in one go. */
struct scap_bpf_regs {
	__u64 r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp;
};
_Static_assert(SCAP_REGS_OFF_CS - SCAP_REGS_OFF_R10 == __builtin_offsetof(struct scap_bpf_regs, cs),
	       "pt_regs registers r10..cs are contiguous");
_Static_assert(SCAP_REGS_OFF_SP - SCAP_REGS_OFF_R10 == __builtin_offsetof(struct scap_bpf_regs, sp),
	       "sp follows cs and flags");
_Static_assert(SCAP_REGS_OFF_ORIG_AX - SCAP_REGS_OFF_R10 == __builtin_offsetof(struct scap_bpf_regs, orig_ax),
	       "orig_ax follows di");
#define SCAP_BPF_REGS_OFF SCAP_REGS_OFF_R10

/* User code segment of 32-bit (ia32) processes: their syscall numbers are another table. */
#define SCAP_USER32_CS 0x23
#define SCAP_BPF_REGS_COMPAT(r) ((r)->cs == SCAP_USER32_CS)
#define SCAP_BPF_REGS_NR(r) ((__u32)(r)->orig_ax)

/* x86_64 syscall convention: rdi rsi rdx r10 r8 r9, number in orig_ax. */
#define SCAP_BPF_REGS_ARGS(a, r)                                                                 \
	do {                                                                                     \
		(a)[0] = (r)->di;                                                                \
		(a)[1] = (r)->si;                                                                \
		(a)[2] = (r)->dx;                                                                \
		(a)[3] = (r)->r10;                                                               \
		(a)[4] = (r)->r8;                                                                \
		(a)[5] = (r)->r9;                                                                \
	} while (0)
/* Tracepoint mode: the arguments kept at enter where the event programs read them. */
#define SCAP_BPF_REGS_SET(r, a, nr)                                                              \
	do {                                                                                     \
		(r)->di = (a)[0];                                                                \
		(r)->si = (a)[1];                                                                \
		(r)->dx = (a)[2];                                                                \
		(r)->r10 = (a)[3];                                                               \
		(r)->r8 = (a)[4];                                                                \
		(r)->r9 = (a)[5];                                                                \
		(r)->orig_ax = (nr);                                                             \
	} while (0)
/* start_thread(regs, new_ip, new_sp): the third argument (kprobe context, uapi pt_regs). */
#define SCAP_BPF_KPROBE_ARG3(ctx) ((ctx)->rdx)
typedef struct pt_regs scap_bpf_kprobe_regs;
/* A new task leaves clone through sys_exit like its parent. */
#define SCAP_BPF_FORK_CHILD 0

#elif defined(SCAP_ARCH_AARCH64)

/*
 * arm64's kernel struct pt_regs starts with the uapi user_pt_regs (x0..x30,
 * sp, pc, pstate), then orig_x0 and the s32 syscallno: the same from 4.15
 * (before, a u64 syscallno whose low half is at the same place on
 * little-endian) to 6.18. These are kernel-internal offsets, not uapi: the
 * includer says where its headers put them and the asserts check that the
 * copy below matches. One read of 288 bytes from the start takes the
 * arguments (x0..x5; x0 holds the return value at exit, so the first
 * argument is orig_x0, which el0_svc sets before sys_enter), sp, pstate,
 * orig_x0 and syscallno.
 */
struct scap_bpf_regs {
	__u64 x[31];
	__u64 sp, pc, pstate;
	__u64 orig_x0;
	__s32 syscallno;
	__u32 unused2;
};
_Static_assert(SCAP_REGS_OFF_ORIG_X0 == __builtin_offsetof(struct scap_bpf_regs, orig_x0),
	       "orig_x0 follows user_pt_regs");
_Static_assert(SCAP_REGS_OFF_SYSCALLNO == __builtin_offsetof(struct scap_bpf_regs, syscallno),
	       "syscallno follows orig_x0");
#define SCAP_BPF_REGS_OFF 0

/*
 * An AArch32 (compat) task: PSR_MODE32_BIT in the user pstate. Its syscalls
 * have their own numbers and registers (not captured, as on the other
 * engines); an AArch64 task cannot make one, so this is exact.
 */
#define SCAP_PSR_MODE32_BIT 0x10u
#define SCAP_BPF_REGS_COMPAT(r) (((r)->pstate & SCAP_PSR_MODE32_BIT) != 0)
#define SCAP_BPF_REGS_NR(r) ((__u32)(r)->syscallno)
/* An exec that switched ABI (../common/exec_abi.h): its number registers. */
#define SCAP_BPF_EXEC_EXIT(r) SCAP_EXEC_EXIT((r)->syscallno, (r)->x[8], (r)->x[7])

/* AAPCS64 syscall convention: x0-x5, number in x8 (kept as syscallno). */
#define SCAP_BPF_REGS_ARGS(a, r)                                                                 \
	do {                                                                                     \
		(a)[0] = (r)->orig_x0;                                                           \
		(a)[1] = (r)->x[1];                                                              \
		(a)[2] = (r)->x[2];                                                              \
		(a)[3] = (r)->x[3];                                                              \
		(a)[4] = (r)->x[4];                                                              \
		(a)[5] = (r)->x[5];                                                              \
	} while (0)
#define SCAP_BPF_REGS_SET(r, a, nr)                                                              \
	do {                                                                                     \
		(r)->orig_x0 = (a)[0];                                                           \
		(r)->x[1] = (a)[1];                                                              \
		(r)->x[2] = (a)[2];                                                              \
		(r)->x[3] = (a)[3];                                                              \
		(r)->x[4] = (a)[4];                                                              \
		(r)->x[5] = (a)[5];                                                              \
		(r)->syscallno = (__s32)(nr);                                                    \
		(r)->pstate = 0;                                                                 \
	} while (0)
/*
 * arm64's start_thread is inline (no kprobe attaches there): the program
 * is built for the layout, and its failed attach is a warning (tracepoint
 * mode without BTF only).
 */
#define SCAP_BPF_KPROBE_ARG3(ctx) ((ctx)->regs[2])
typedef struct user_pt_regs scap_bpf_kprobe_regs;
/*
 * A new task returns to user space through ret_from_fork straight to
 * ret_to_user, never through sys_exit: the child's side of clone/clone3 is
 * built at sched_process_fork (scap_bpf_fork_emit), from the parent's
 * arguments kept at sys_enter in `stash`.
 */
#define SCAP_BPF_FORK_CHILD 1
#define SCAP_BPF_PF_KTHREAD 0x00200000u   /* include/linux/sched.h, unchanged since 2.6 */
#define SCAP_BPF_PF_IO_WORKER 0x00000010u /* an io_uring worker thread */

#elif defined(SCAP_ARCH_PPC64LE)

/*
 * powerpc's kernel struct pt_regs starts with the uapi layout (a union with
 * struct user_pt_regs in arch/powerpc/include/asm/ptrace.h of 6.1 and
 * 6.12): gpr[32], nip, msr, orig_gpr3, ... One read of 280 bytes from the
 * start takes the number (gpr[0], which the kernel's syscall_get_nr reads),
 * the arguments (gpr[3..8]; gpr[3] holds the return value at exit, so the
 * first argument is orig_gpr3, as in the kernel's syscall_get_arguments),
 * the stack pointer (gpr[1]) and the user msr.
 */
struct scap_bpf_regs {
	union {
		__u64 gpr[32];
		struct {
			__u64 r0, sp;
		};
	};
	__u64 nip, msr, orig_gpr3;
};
_Static_assert(SCAP_REGS_OFF_MSR == __builtin_offsetof(struct scap_bpf_regs, msr), "msr follows gpr[32] and nip");
_Static_assert(SCAP_REGS_OFF_ORIG_GPR3 == __builtin_offsetof(struct scap_bpf_regs, orig_gpr3),
	       "orig_gpr3 follows msr");
#define SCAP_BPF_REGS_OFF 0

/*
 * A 32-bit task: MSR_SF (bit 63, "64-bit mode", arch/powerpc/include/asm/
 * reg.h) clear in its user msr. start_thread gives a 64-bit task MSR_USER64
 * (= MSR_USER32 | MSR_SF) and a 32-bit one MSR_USER32, and user code cannot
 * change the bit (mtmsr is privileged): per task and exact, as arm64's
 * pstate, and readable without BTF (modern_bpf tests TIF_32BIT, the same
 * tasks). Debian's ppc64el kernels have no CONFIG_COMPAT: no task is.
 */
#define SCAP_MSR_SF (1ull << 63)
#define SCAP_BPF_REGS_COMPAT(r) (((r)->msr & SCAP_MSR_SF) == 0)
#define SCAP_BPF_REGS_NR(r) ((__u32)(r)->r0)

/* ELFv2 syscall convention: r3-r8, number in r0. */
#define SCAP_BPF_REGS_ARGS(a, r)                                                                 \
	do {                                                                                     \
		(a)[0] = (r)->orig_gpr3;                                                         \
		(a)[1] = (r)->gpr[4];                                                            \
		(a)[2] = (r)->gpr[5];                                                            \
		(a)[3] = (r)->gpr[6];                                                            \
		(a)[4] = (r)->gpr[7];                                                            \
		(a)[5] = (r)->gpr[8];                                                            \
	} while (0)
#define SCAP_BPF_REGS_SET(r, a, nr)                                                              \
	do {                                                                                     \
		(r)->orig_gpr3 = (a)[0];                                                         \
		(r)->gpr[4] = (a)[1];                                                            \
		(r)->gpr[5] = (a)[2];                                                            \
		(r)->gpr[6] = (a)[3];                                                            \
		(r)->gpr[7] = (a)[4];                                                            \
		(r)->gpr[8] = (a)[5];                                                            \
		(r)->r0 = (nr);                                                                  \
		(r)->msr = SCAP_MSR_SF;                                                          \
	} while (0)
/* start_thread(regs, start, sp) is a function on powerpc (arch/powerpc/kernel/process.c): r5. */
#define SCAP_BPF_KPROBE_ARG3(ctx) ((ctx)->gpr[5])
typedef struct pt_regs scap_bpf_kprobe_regs;
/*
 * A new task returns through ret_from_fork to the syscall exit path
 * (syscall_exit_prepare), which fires sys_exit: as on x86_64 (modern_bpf's
 * scap_modern_arch.h says the same, verified there).
 */
#define SCAP_BPF_FORK_CHILD 0

#elif defined(SCAP_ARCH_S390X)

/*
 * s390's kernel struct pt_regs (arch/s390/include/asm/ptrace.h, the same in
 * 6.1 and 6.12): the uapi user_pt_regs (args[1], psw, gprs[16]), then
 * orig_gpr2, int_code and int_parm (u32 each), int_parm_long, flags. One
 * read of 184 bytes from the start takes the arguments (gprs[2..7]; gprs[2]
 * holds the return value at exit, so the first argument is orig_gpr2, as
 * in the kernel's syscall_get_arguments), the number (int_code & 0xffff,
 * the kernel's syscall_get_nr: the entry code copies a number passed in r1
 * there), the stack pointer (gprs[15]) and flags (PIF_SYSCALL).
 */
struct scap_bpf_regs {
	__u64 args0;
	__u64 psw_mask, psw_addr;
	union {
		__u64 gprs[16];
		struct {
			__u64 gpr0_14[15];
			__u64 sp;
		};
	};
	__u64 orig_gpr2;
	__u32 int_code, int_parm;
	__u64 int_parm_long;
	__u64 flags;
};
_Static_assert(SCAP_REGS_OFF_ORIG_GPR2 == __builtin_offsetof(struct scap_bpf_regs, orig_gpr2),
	       "orig_gpr2 follows user_pt_regs");
_Static_assert(SCAP_REGS_OFF_INT_CODE == __builtin_offsetof(struct scap_bpf_regs, int_code),
	       "int_code follows orig_gpr2");
_Static_assert(SCAP_REGS_OFF_FLAGS == __builtin_offsetof(struct scap_bpf_regs, flags),
	       "flags follows int_parm_long");
#define SCAP_BPF_REGS_OFF 0

/*
 * A 31-bit (compat) task: TIF_31BIT (bit 16 of thread_info.flags,
 * arch/s390/include/asm/thread_info.h of 6.1 and 6.12), set at exec for
 * the task, which selects the compat syscall table. The registers cannot
 * tell it (sam64/sam31 change the addressing mode from user space), so it
 * is read from the task: thread_info is the first member of task_struct
 * (THREAD_INFO_IN_TASK, which s390 selects: Debian's 6.1 and 6.12 configs)
 * and flags its first word, an unsigned long whose low half is at offset 4
 * on this big-endian machine. No BTF needed; modern_bpf tests the same bit.
 */
#define SCAP_S390_TIF_31BIT_LOW (1u << 16)
static __always_inline int scap_bpf_task_31bit(void)
{
	__u32 low = 0;

	bpf_probe_read_kernel(&low, sizeof(low), (const void *)(bpf_get_current_task() + 4));
	return (low & SCAP_S390_TIF_31BIT_LOW) != 0;
}
#define SCAP_BPF_REGS_COMPAT(r) scap_bpf_task_31bit()
/* Tracepoint mode has no registers: the same per-task mark (scap_tp_sys_enter). */
#define SCAP_BPF_TP_COMPAT() scap_bpf_task_31bit()
#define SCAP_BPF_REGS_NR(r) ((r)->int_code & 0xffffu)
/*
 * A syscall's exit: PIF_SYSCALL (bit 0 of flags, 6.1 and 6.12), as the
 * kernel's syscall_get_nr() requires. A new task passes sys_exit too
 * (__ret_from_fork ends in syscall_exit_to_user_mode) with PIF_SYSCALL
 * cleared by copy_thread: its event is built at sched_process_fork, as on
 * arm64 (kmod and modern_bpf do the same).
 */
#define SCAP_BPF_EXIT_IS_SYSCALL(r) ((r)->flags & 1u)

/* s390x syscall convention: r2-r7, number in the SVC code (or r1). */
#define SCAP_BPF_REGS_ARGS(a, r)                                                                 \
	do {                                                                                     \
		(a)[0] = (r)->orig_gpr2;                                                         \
		(a)[1] = (r)->gprs[3];                                                           \
		(a)[2] = (r)->gprs[4];                                                           \
		(a)[3] = (r)->gprs[5];                                                           \
		(a)[4] = (r)->gprs[6];                                                           \
		(a)[5] = (r)->gprs[7];                                                           \
	} while (0)
#define SCAP_BPF_REGS_SET(r, a, nr)                                                              \
	do {                                                                                     \
		(r)->orig_gpr2 = (a)[0];                                                         \
		(r)->gprs[3] = (a)[1];                                                           \
		(r)->gprs[4] = (a)[2];                                                           \
		(r)->gprs[5] = (a)[3];                                                           \
		(r)->gprs[6] = (a)[4];                                                           \
		(r)->gprs[7] = (a)[5];                                                           \
		(r)->int_code = (__u32)(nr);                                                     \
		(r)->flags = 1u;                                                                 \
	} while (0)
/*
 * s390's start_thread is a macro (arch/s390/include/asm/processor.h): no
 * kprobe attaches there, as on arm64 (the failed attach is a warning,
 * tracepoint mode without BTF only). The kprobe context is user_pt_regs,
 * arguments from gprs[2].
 */
#define SCAP_BPF_KPROBE_ARG3(ctx) ((ctx)->gprs[4])
typedef user_pt_regs scap_bpf_kprobe_regs;
#define SCAP_BPF_FORK_CHILD 1
#define SCAP_BPF_PF_KTHREAD 0x00200000u   /* include/linux/sched.h, unchanged since 2.6 */
#define SCAP_BPF_PF_IO_WORKER 0x00000010u /* an io_uring worker thread */
/*
 * Debian's s390x kernels have no eBPF JIT (built for z10): every program
 * runs in the interpreter, where a tail call's target runs in the entry
 * program's stack frame. From 6.9 the verifier sizes that frame by the
 * entry program's own depth (docs/engines.md, "s390x: results"), so the
 * dispatchers claim the whole 512 bytes (scap_bpf_claim_stack).
 */
#define SCAP_BPF_CLAIM_STACK 1

#else
#error "bpf driver: no register layout for this architecture (x86_64, aarch64, ppc64le and s390x only; -DSCAP_WITH_BPF=OFF)"
#endif

/* Every sys_exit is a syscall's, except where the architecture says otherwise (s390). */
#ifndef SCAP_BPF_EXIT_IS_SYSCALL
#define SCAP_BPF_EXIT_IS_SYSCALL(r) 1
#endif
/* Tracepoint mode tells compat tasks by TS_COMPAT (x86_64) or not at all, except on s390. */
#ifndef SCAP_BPF_TP_COMPAT
#define SCAP_BPF_TP_COMPAT() 0
#endif

#endif
