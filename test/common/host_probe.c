// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_probe.h"

int host_run_in_child(int (*fn)(void *), void *arg)
{
	int st = 0;
	pid_t c;

	fflush(NULL); /* the child must not print the parent's buffered output again */
	c = fork();
	if (c < 0)
		return -1;
	if (c == 0)
		_exit(fn(arg));
	while (waitpid(c, &st, 0) < 0)
		;
	return st;
}

#if defined(__x86_64__)
static int int80_getpid(void *arg)
{
	long r;

	(void)arg;
	/* ia32 syscall 20 is getpid (arch/x86/entry/syscalls/syscall_32.tbl). */
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	return r == (long)getpid() ? 0 : 1;
}
#endif

bool host_ia32_int80_works(char *why, size_t len)
{
	static int cached = -1; /* -1 unknown, 0 no, 1 yes */
	static char reason[256];

	if (cached < 0) {
#if defined(__x86_64__)
		int st = host_run_in_child(int80_getpid, NULL);

		if (st == -1)
			snprintf(reason, sizeof(reason), "could not fork a probe child");
		else if (WIFSIGNALED(st))
			snprintf(reason, sizeof(reason),
				 "int $0x80 killed a probe child with %s: this host does not let 64-bit code "
				 "make ia32 syscalls (CONFIG_IA32_EMULATION off, ia32_emulation=0, or the "
				 "hypervisor refuses the gate)", strsignal(WTERMSIG(st)) ? strsignal(WTERMSIG(st)) : "a signal");
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			snprintf(reason, sizeof(reason),
				 "int $0x80 getpid did not return the pid in a probe child: no ia32 emulation here");
		else
			reason[0] = '\0';
		cached = reason[0] == '\0';
#else
		snprintf(reason, sizeof(reason), "ia32 syscalls exist only on x86_64");
		cached = 0;
#endif
	}
	if (why && len)
		snprintf(why, len, "%s", reason);
	return cached == 1;
}
