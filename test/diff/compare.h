/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One syscall as strace printed it against the event scap delivered for it,
 * field by field: the result, every parameter that has a counterpart in
 * strace's line (a syscall argument, or the few derived values strace shows:
 * execve's path and argv, pipe's fds, accept's peer, openat2's how), and for
 * the generic event the syscall number and every raw argument strace prints
 * as a number. Paths and buffers byte for byte, flags and modes as numbers,
 * string arrays element by element, socket addresses by family, address and
 * port.
 */
#ifndef SCAP_TEST_DIFF_COMPARE_H
#define SCAP_TEST_DIFF_COMPARE_H

#include "scap/scap.h"
#include "strace_out.h"

enum fld_result {
	FLD_EQUAL = 0,
	FLD_MISMATCH,
	FLD_CUT,        /* scap's value is cut at a documented limit, marked, and what it kept is strace's */
	FLD_UNREADABLE, /* scap could not read memory strace could (a page not resident to a BPF program) */
	FLD_SKIP,       /* strace shows no comparable value (it decodes the memory scap gives as an address) */
	FLD_NRESULTS
};

struct fld {
	char name[24];         /* the scap parameter ("res", "pathname", "args[2]") */
	int param;             /* its index in the event, -1 for none */
	int sub;               /* args[i] / an element of a pair; -1 otherwise */
	enum fld_result r;
	char why[320];         /* for a mismatch: both values */
};

#define CMP_MAX_FIELDS 24

/*
 * Compares c with ev (which must be the same syscall). Fills up to
 * CMP_MAX_FIELDS fields; returns their number.
 */
unsigned cmp_call(const struct st_call *c, const struct scap_event *ev, struct fld *out);

/* The syscall number an event is about (the generic event carries it), -1 for none. */
int cmp_event_nr(const struct scap_event *ev);

#endif
