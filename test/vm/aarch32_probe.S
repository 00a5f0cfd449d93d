/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An AArch32 (compat) program for the arm64 guests' live test aarch32_exec
 * (test/live/t_ia32.c): no libc, compat syscalls by the 32-bit ARM table's
 * numbers (arch/arm/tools/syscall.tbl): openat of a marker path, getppid,
 * then, without arguments, exit_group(7); with arguments, execve(argv[1],
 * &argv[1], envp) (exit_group(9) if that fails). Assembled by
 * test/vm/run.sh with Debian's binutils-arm-linux-gnueabihf.
 */
	.syntax unified
	.arm
	.global _start
	.text
_start:
	mvn	r0, #99		/* AT_FDCWD (-100) */
	ldr	r1, =marker
	mov	r2, #0		/* O_RDONLY */
	ldr	r7, =322	/* openat */
	svc	#0
	mov	r7, #64		/* getppid */
	svc	#0
	ldr	r4, [sp]	/* argc; argv[0] at sp + 4 */
	cmp	r4, #2
	blt	1f
	ldr	r0, [sp, #8]	/* argv[1] */
	add	r1, sp, #8	/* &argv[1] */
	add	r2, sp, r4, lsl #2
	add	r2, r2, #8	/* envp: after argv's NULL */
	mov	r7, #11		/* execve */
	svc	#0
	mov	r0, #9
	b	2f
1:
	mov	r0, #7
2:
	ldr	r7, =248	/* exit_group */
	svc	#0
	b	.
	.ltorg

	.section .rodata
marker:
	.asciz	"/nonexistent-scap-aarch32/marker"
