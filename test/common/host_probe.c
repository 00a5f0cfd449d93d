// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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
	if (c == 0) {
		static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
		/* A probe that the host kills must not leave a core file behind. */
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		/* The signal is the answer: not a crash for a handler of the
		 * program's (host_name_crashes, a test framework's) to report. */
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], SIG_DFL);
		_exit(fn(arg));
	}
	while (waitpid(c, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

/* ---- naming the part of a test program that crashed ------------------------ */

static const char *volatile crash_part;

static void put(const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Async-signal-safe: write(2) and the strings only, then die by the same signal. */
static void on_crash(int sig)
{
	const char *abbrev = sigabbrev_np(sig);
	char num[16];
	int i = (int)sizeof(num) - 1, v = sig;

	num[i] = '\0';
	do
		num[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i > 0);
	put("FAIL ");
	put(crash_part ? crash_part : "(outside any named part)");
	put(": the program crashed with signal ");
	put(num + i);
	put(abbrev ? " (SIG" : "");
	put(abbrev ? abbrev : "");
	put(abbrev ? ")" : "");
	put("; the parts after it did not run\n");
	signal(sig, SIG_DFL);
	raise(sig);
}

void host_name_crashes(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;

	/* What was printed before a crash must not die in stdio's buffer: flush
	 * what is there, print line by line from here (a buffer of our own: glibc
	 * ignores a mode change without one on a stream already used), and flush
	 * again at every part (host_crash_part). */
	static char linebuf[BUFSIZ];

	fflush(stdout);
	setvbuf(stdout, linebuf, _IOLBF, sizeof(linebuf));
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

void host_crash_part(const char *name)
{
	fflush(stdout);
	crash_part = name;
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
