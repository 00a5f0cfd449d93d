/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runs a command under strace while an engine captures system-wide, and
 * keeps the events of the strace process and of every process and thread
 * that descends from it (followed through the clone family's returns; events
 * of a new task that arrive before its parent's return wait in a bounded
 * queue for it).
 */
#ifndef SCAP_TEST_DIFF_CAPTURE_H
#define SCAP_TEST_DIFF_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cap_event {
	uint32_t tid;
	uint8_t *bytes;    /* a copy of the event, scap_event_len() bytes */
};

struct cap_run {
	struct cap_event *ev;  /* in delivery order */
	size_t n, cap;
	uint64_t drops;        /* the engine's, over the run */
	uint64_t out_of_order; /* scap_stats.out_of_order */
	uint64_t pending_lost; /* tasks adopted after some of their events left the queue */
	double seconds;        /* the command's wall time under strace */
	int status;            /* strace's exit status (waitpid) */
	char why[512];         /* set when the run could not be made */
};

struct cap_opts {
	const char *engine;
	const char *strace;    /* strace's path */
	const char *dir;       /* strace writes DIR/t.<tid> */
	char *const *argv;     /* the command */
	unsigned snaplen;
};

/* 0, or -1 with r->why set. */
int cap_run(const struct cap_opts *o, struct cap_run *r);
void cap_free(struct cap_run *r);

#endif
