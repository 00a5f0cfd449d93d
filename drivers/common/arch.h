/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only OR MIT */
/*
 * The architecture being compiled for, for the schema's per-architecture
 * parts (syscalls.def, clone's argument order). The eBPF programs are
 * compiled with -target bpf and say it with libbpf's __TARGET_ARCH_<arch>;
 * user space and the kernel module get it from the compiler.
 */
#ifndef SCAP_DRIVERS_COMMON_ARCH_H
#define SCAP_DRIVERS_COMMON_ARCH_H

#if defined(__TARGET_ARCH_arm64) || (!defined(__bpf__) && defined(__aarch64__))
#define SCAP_ARCH_AARCH64 1
#define SCAP_ARCH_NAME "aarch64"
#elif defined(__TARGET_ARCH_x86) || (!defined(__bpf__) && defined(__x86_64__))
#define SCAP_ARCH_X86_64 1
#define SCAP_ARCH_NAME "x86_64"
#elif defined(__TARGET_ARCH_powerpc) ||                                                           \
	(!defined(__bpf__) && defined(__powerpc64__) && defined(__LITTLE_ENDIAN__))
/* ppc64le only: big-endian ppc64 would need the byte-order review s390x needs. */
#define SCAP_ARCH_PPC64LE 1
#define SCAP_ARCH_NAME "ppc64le"
#elif defined(__TARGET_ARCH_riscv) ||                                                             \
	(!defined(__bpf__) && defined(__riscv) && __riscv_xlen == 64)
#define SCAP_ARCH_RISCV64 1
#define SCAP_ARCH_NAME "riscv64"
#elif defined(__TARGET_ARCH_s390) || (!defined(__bpf__) && defined(__s390x__))
/* The first big-endian target: docs/event-format.md, "Byte order". */
#define SCAP_ARCH_S390X 1
#define SCAP_ARCH_NAME "s390x"
#else
#error "scap's schema knows x86_64, aarch64, ppc64le, riscv64 and s390x only (scripts/gen-syscalls.sh, docs/engines.md)"
#endif

/*
 * clone's raw argument order: x86_64 has flags, stack, parent_tid,
 * child_tid, tls; arm64 and powerpc (both select CONFIG_CLONE_BACKWARDS:
 * Debian's arm64 and powerpc64le kernel configs have it) flags, stack,
 * parent_tid, tls, child_tid (riscv selects it too: Debian 13's riscv64
 * 6.12 config has CONFIG_CLONE_BACKWARDS=y); s390 (arch/s390/Kconfig
 * selects CONFIG_CLONE_BACKWARDS2; Debian's s390x config has it) stack,
 * flags, parent_tid, child_tid, tls.
 */
#if defined(SCAP_ARCH_AARCH64) || defined(SCAP_ARCH_PPC64LE) || defined(SCAP_ARCH_RISCV64)
#define SCAP_CLONE_ARG_FLAGS 0
#define SCAP_CLONE_ARG_STACK 1
#define SCAP_CLONE_ARG_CHILD_TID 4
#define SCAP_CLONE_ARG_TLS 3
#elif defined(SCAP_ARCH_S390X)
#define SCAP_CLONE_ARG_FLAGS 1
#define SCAP_CLONE_ARG_STACK 0
#define SCAP_CLONE_ARG_CHILD_TID 3
#define SCAP_CLONE_ARG_TLS 4
#else
#define SCAP_CLONE_ARG_FLAGS 0
#define SCAP_CLONE_ARG_STACK 1
#define SCAP_CLONE_ARG_CHILD_TID 3
#define SCAP_CLONE_ARG_TLS 4
#endif

/*
 * s390x's mmap (sys_old_mmap) takes one argument, a pointer to six unsigned
 * longs (struct s390_mmap_arg_struct: addr, len, prot, flags, fd, offset).
 * The engines replace the raw arguments of mmap by those six, read from the
 * caller's memory, so that MMAP_X's ARG(0..5) are the same values as on
 * every other architecture (a failed read leaves them zero).
 */
#ifdef SCAP_ARCH_S390X
#define SCAP_MMAP_ARGS_IN_MEMORY 1
#endif

#endif
