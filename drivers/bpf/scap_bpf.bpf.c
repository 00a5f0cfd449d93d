// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The bpf driver: raw tracepoints on sys_enter/sys_exit writing events into
 * a perf event array (one perf buffer per CPU), or, on kernels without raw
 * tracepoints (before 4.17), tracepoints on raw_syscalls/sys_enter and
 * sys_exit (scap_bpf_tp.h).
 *
 * Built to load on old kernels and without BTF:
 *   - only uapi headers (<linux/bpf.h>, the target's pt_regs from
 *     <asm/ptrace.h>: scap_bpf_arch.h), no vmlinux.h, no CO-RE relocation:
 *     libbpf never needs the kernel's BTF;
 *   - no global variables (no .data/.bss/.rodata before 5.2): settings live
 *     in array maps filled by user space;
 *   - helpers that exist since 4.x only: bpf_probe_read/_str, bpf_ktime_get_ns,
 *     bpf_perf_event_output, bpf_tail_call, bpf_get_current_*;
 *   - every function inlined (no BPF-to-BPF calls before 4.16), every loop
 *     unrolled with a constant bound (no loops before 5.3);
 *   - one program per event code, reached by a tail call from the
 *     dispatchers, so that each stays under the 4096-instruction limit of
 *     verifiers before 5.2 (docs/engines.md lists the counts).
 * Task values that need structure offsets (ppid, exe, cwd, cgroup, argv of
 * the new image, uid/gid) are left empty here; with BTF the loader swaps in
 * the CO-RE programs of scap_bpf_core.bpf.c for the events that carry them.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <asm/ptrace.h>
#include <bpf/bpf_helpers.h>

#include "scap_bpf_read.h"
/* The event is stamped right before its output (scap_bpf_emit), not here. */
#define SCAP_FILL_NOW() 0
#define SCAP_FILL_CORE 0
#if defined(__TARGET_ARCH_x86)
#define SCAP_REGS_OFF_R10 __builtin_offsetof(struct pt_regs, r10)
#define SCAP_REGS_OFF_ORIG_AX __builtin_offsetof(struct pt_regs, orig_rax)
#define SCAP_REGS_OFF_CS __builtin_offsetof(struct pt_regs, cs)
#define SCAP_REGS_OFF_SP __builtin_offsetof(struct pt_regs, rsp)
#elif defined(__TARGET_ARCH_arm64)
/* The kernel's pt_regs continues the uapi user_pt_regs with orig_x0, then syscallno. */
#define SCAP_REGS_OFF_ORIG_X0 sizeof(struct user_pt_regs)
#define SCAP_REGS_OFF_SYSCALLNO (sizeof(struct user_pt_regs) + 8)
#elif defined(__TARGET_ARCH_powerpc)
#define SCAP_REGS_OFF_MSR __builtin_offsetof(struct pt_regs, msr)
#define SCAP_REGS_OFF_ORIG_GPR3 __builtin_offsetof(struct pt_regs, orig_gpr3)
#elif defined(__TARGET_ARCH_s390)
/*
 * The uapi has user_pt_regs only; the kernel's pt_regs continues it with
 * orig_gpr2, int_code/int_parm (u32 each), int_parm_long, flags.
 */
#define SCAP_REGS_OFF_ORIG_GPR2 sizeof(user_pt_regs)
#define SCAP_REGS_OFF_INT_CODE (sizeof(user_pt_regs) + 8)
#define SCAP_REGS_OFF_FLAGS (sizeof(user_pt_regs) + 24)
#endif

#include "scap_bpf_common.h"
#include "scap_bpf_tp.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";
