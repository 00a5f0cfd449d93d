/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The conformance workload: one scripted run of every typed syscall of the
 * schema with known arguments (and failing calls with a known errno), and
 * the exact events it must produce, every parameter of each. Shared by the
 * per-engine check (conformance.c) and the cross-engine comparison
 * (conformance_cross.c).
 */
#ifndef SCAP_TEST_LIVE_CONFORMANCE_H
#define SCAP_TEST_LIVE_CONFORMANCE_H

#include "live.h"

#define CONF_MAX_WANTS 256
#define CONF_MAX_TIDS 16

/* argv[1] of the image the execveat child runs: exit at once. */
#define CONF_CHILD_ARG "--conformance-child"
#define CONF_CHILD_STATUS 9
/* The worker's last call is close(CONF_END_FD) (EBADF): the end of the run in the stream. */
#define CONF_END_FD (-77)

struct conf_run {
	struct want_event w[CONF_MAX_WANTS];
	unsigned n;
	uint32_t tids[CONF_MAX_TIDS]; /* the worker, then each child, in creation order */
	unsigned ntids;
	/* Of the wanted parameters, those wanted empty because the engine lacks kernel BTF (live_no_task_btf). */
	unsigned nobtf_empty;
	char why[512];                /* the workload deviated from its script */
};

/* The syscall names the handle must select: every typed row's syscall. NULL-terminated. */
const char *const *conf_syscalls(void);

/*
 * Runs the workload on its own thread and fills r with the wanted events,
 * as live_engine produces them here: for the bpf engine without kernel BTF
 * (live_no_task_btf) the values that need kernel structure offsets are
 * wanted empty (docs/engines.md). Returns 0, or -1 with r->why set when a
 * call did not behave as scripted (then no capture result means anything).
 */
int conf_run_workload(struct conf_run *r);

/*
 * Checks that the wanted events cover every typed row of the schema and
 * every parameter of each row. Returns 0, or -1 with why set.
 */
int conf_check_coverage(const struct conf_run *r, char *why, size_t len);

/* The number of parameters the wants check (for the report line). */
unsigned conf_count_params(const struct conf_run *r);

#endif
