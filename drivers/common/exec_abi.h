/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only OR MIT */
/*
 * The exit of an exec that switched ABI on arm64: a 64-bit process starting
 * an AArch32 program, or the reverse. arm64 marks compat per task
 * (TIF_32BIT, PSR_MODE32_BIT in the user pstate), so at that sys_exit the
 * mark already describes the new program, not the call. exec keeps
 * syscallno and zeroes every other register (start_thread_common, 4.19 to
 * 6.x), so at that exit neither number register (x8, r7 for AArch32) holds
 * the number, while at every other exit the caller's does: the drivers test
 * that (SCAP_EXEC_EXIT, with their own register access) and then take the
 * syscall as scap_exec_abi_nr says. Included by the kernel module and both
 * eBPF drivers, after schema.h.
 */
#ifndef SCAP_DRIVERS_COMMON_EXEC_ABI_H
#define SCAP_DRIVERS_COMMON_EXEC_ABI_H

#include "schema.h"

#ifdef SCAP_ARCH_AARCH64
#define SCAP_EXEC_SWITCHES_ABI 1
/* AArch32's execve and execveat (arch/arm/tools/syscall.tbl). */
#define SCAP_COMPAT_NR_EXECVE 11
#define SCAP_COMPAT_NR_EXECVEAT 387
/*
 * True when an exit whose syscallno is nr has neither number register
 * holding it: the registers were replaced by an exec.
 */
#define SCAP_EXEC_EXIT(nr, x8, r7) ((unsigned int)(nr) != (unsigned int)(x8) && (unsigned int)(nr) != (unsigned int)(r7))

/*
 * The 64-bit table's number of the syscall an exec exit (SCAP_EXEC_EXIT)
 * ends, compat being the task's mark now, or -1 for one not captured:
 * the calling ABI's execve or execveat. A 64-bit process starting an
 * AArch32 program is captured (a 32-bit program's start must not go
 * unseen); an AArch32 program's execve of a 64-bit one is execve's exit
 * (its enter, a compat syscall, was not captured), never the 64-bit syscall
 * 11; an AArch32 exec of another AArch32 program stays a compat syscall.
 */
static inline __attribute__((always_inline)) long scap_exec_abi_nr(long nr, int compat)
{
	if (nr == SCAP_NR_execve || nr == SCAP_NR_execveat)
		return nr;
	if (compat)
		return -1;
	if (nr == SCAP_COMPAT_NR_EXECVE)
		return SCAP_NR_execve;
	if (nr == SCAP_COMPAT_NR_EXECVEAT)
		return SCAP_NR_execveat;
	return nr;
}
#endif

#endif
