/* SPDX-License-Identifier: Apache-2.0 */
/* Filling the process table from /proc (scan.c). */
#ifndef SCAP_PROC_SCAN_H
#define SCAP_PROC_SCAN_H

#include <stdint.h>

#include "proctable.h"

struct scap_proc_scan_result {
	uint64_t processes, threads;
	uint64_t errors;             /* threads read but not stored (out of memory) */
	uint64_t ns;                 /* how long the scan took */
};

/*
 * Adds every thread under root ("/proc" when NULL) to t, read by `workers`
 * threads (0: one per online CPU, at most 4; another root: 1). 0; -ENOENT
 * when no thread could be read (root is not a proc file system); -errno when
 * root cannot be opened; -ENOMEM. Threads that end during the scan are
 * skipped.
 */
int scap_proc_scan(struct scap_proctable *t, const char *root, unsigned workers,
		   struct scap_proc_scan_result *res);

#endif
