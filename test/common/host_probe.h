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
 */
int host_run_in_child(int (*fn)(void *), void *arg);

#endif
