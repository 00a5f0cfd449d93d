/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Probes of what this host lets a test do, each run in a forked child so
 * that a feature the host refuses with a signal (a general protection fault,
 * SIGILL, ...) costs the probe, never the test program. Hosts of the same
 * kind differ: a test that needs such a feature asks first and skips with
 * the printed reason.
 */
#ifndef SCAP_TEST_HOST_PROBE_H
#define SCAP_TEST_HOST_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether `int $0x80` (an ia32 syscall made from 64-bit code) works here:
 * true when ia32 getpid returns the pid. Otherwise false with the reason in
 * why ("int $0x80 killed the probe with SIGSEGV: ..."). The answer is cached.
 */
bool host_ia32_int80_works(char *why, size_t len);

/*
 * Runs fn(arg) in a forked child and returns its exit status as waitpid
 * gives it (-1 if fork failed). fn's return value is the child's exit code.
 * The child writes no core file, and has the default action for SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE and SIGABRT: a signal ends it, whatever handlers
 * the program installed.
 */
int host_run_in_child(int (*fn)(void *), void *arg);

/*
 * For a test program that runs several parts in one process: a crash
 * (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) prints "FAIL <part>: the
 * program crashed with signal N (SIGxxx); the parts after it did not run"
 * on stdout and the program dies by the same signal, so that the log names
 * what crashed. Also makes stdout line-buffered, so that what was printed
 * before the crash reaches the log. host_crash_part names the part about to
 * run (a string that outlives it; NULL: none).
 */
void host_name_crashes(void);
void host_crash_part(const char *name);

#endif
