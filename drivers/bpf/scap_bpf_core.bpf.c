// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The CO-RE half of the bpf driver: the same per-event programs as
 * scap_bpf.bpf.c, built with the task values filled through CO-RE (ppid,
 * uid, gid, exe, cwd, cgroup, the new image's argv). The loader opens this
 * object only when the kernel has BTF, shares the first object's maps with
 * it, and installs its programs in the tail-call table in place of the
 * empty-valued ones, for the events that carry task values.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "scap_bpf_read.h"
#define SCAP_FILL_NOW() 0 /* stamped right before output */
#define SCAP_FILL_CORE 1
/*
 * The exe/cwd/cgroup walks in a global function, verified once: inline, each
 * execve exit program took ~99 k processed instructions and most of the
 * engine's start-up. Global functions need 5.6: on older kernels with BTF
 * (Ubuntu's 5.4) libbpf marks it static in the BTF it loads, and the
 * verifier checks it as an ordinary subprogram at each call, which 5.4
 * accepts too (the object loads there since the walk's masks stay in place:
 * scap_fill_prepend in fill_derived.h).
 */
#define SCAP_FILL_WALK_SUBPROG 1
#define SCAP_BPF_CORE_OBJECT 1
#if defined(__TARGET_ARCH_x86)
#define SCAP_REGS_OFF_R10 __builtin_offsetof(struct pt_regs, r10)
#define SCAP_REGS_OFF_ORIG_AX __builtin_offsetof(struct pt_regs, orig_ax)
#define SCAP_REGS_OFF_CS __builtin_offsetof(struct pt_regs, cs)
#define SCAP_REGS_OFF_SP __builtin_offsetof(struct pt_regs, sp)
#elif defined(__TARGET_ARCH_arm64)
#define SCAP_REGS_OFF_ORIG_X0 __builtin_offsetof(struct pt_regs, orig_x0)
#define SCAP_REGS_OFF_SYSCALLNO __builtin_offsetof(struct pt_regs, syscallno)
#elif defined(__TARGET_ARCH_powerpc)
#define SCAP_REGS_OFF_MSR __builtin_offsetof(struct pt_regs, msr)
#define SCAP_REGS_OFF_ORIG_GPR3 __builtin_offsetof(struct pt_regs, orig_gpr3)
#elif defined(__TARGET_ARCH_s390)
#define SCAP_REGS_OFF_ORIG_GPR2 __builtin_offsetof(struct pt_regs, orig_gpr2)
#define SCAP_REGS_OFF_INT_CODE __builtin_offsetof(struct pt_regs, int_code)
#define SCAP_REGS_OFF_FLAGS __builtin_offsetof(struct pt_regs, flags)
#endif

#include "scap_bpf_common.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";
