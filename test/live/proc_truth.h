/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ground truth for the live process-table tests: a process says who it is,
 * as /proc and its own system calls tell it, on a pipe, right before the
 * marker openat the test then finds in the stream; the test compares what
 * the table said for that event (scap_event_proc) with it.
 *
 * Processes that run a new image are this same executable run as
 * "scap_live --proc-helper ...", so that the new image reports too.
 */
#ifndef SCAP_TEST_PROC_TRUTH_H
#define SCAP_TEST_PROC_TRUTH_H

#include <stdio.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "live.h"

struct proc_truth {
	char tag[32];
	uint32_t tid, pid, ppid, uid, gid, euid, egid;
	char comm[16];
	char exe[PATH_MAX];
	char cwd[PATH_MAX];
	char cgroup[PATH_MAX];   /* by the engines' rule */
	char args[4096];         /* what the test expects (it set them); args_len 0 = not checked */
	uint32_t args_len;
	bool found;
};

/* Writes this thread's truth, tagged, on fd (one line, atomic on a pipe). */
void proc_truth_report(int fd, const char *tag);
/* Reads the truth of process pid from /proc (before it is captured). 0 or -errno. */
int proc_truth_read(pid_t pid, struct proc_truth *out);
/* Reads every line from fd until EOF into truths[] (at most n). Returns how many. */
unsigned proc_truth_collect(int fd, struct proc_truth *truths, unsigned n);
/* The truth tagged tag, or NULL. */
struct proc_truth *proc_truth_find(struct proc_truth *truths, unsigned n, const char *tag);

/* The cgroup of /proc/<pid>/cgroup by the engines' rule: v2's unless "/", else v1 memory's. */
int proc_truth_cgroup(pid_t pid, char *out, size_t len);

/* Whether the engine under test reads the task's context (exe, ids, cwd, cgroup, ppid):
 * every engine but bpf without BTF (none on the kernel, or btf=0 forced). */
bool proc_engine_has_task_ctx(void);

/* This executable's path, for re-running it as a helper. */
const char *proc_self_exe(void);

/*
 * Compares p (what the table said for the event) with the truth: LIVE_PASS,
 * or LIVE_FAIL naming the field. With full, every field must be known and
 * equal; without (an engine that cannot read the task's context), a field
 * may be unknown but never different.
 */
int proc_truth_check(struct live_test *t, const char *what, const struct scap_proc *p,
		     const struct proc_truth *want, bool full);

/* One process's marker: the openat of path it makes, and who it is. */
struct proc_marker {
	char path[PATH_MAX];
	const char *what;
	struct proc_truth *want;
	const char *json_has;   /* optional: text the event's JSON line must hold */
	bool found;
	uint64_t ts;
};

/*
 * Reads events from h (which selects openat only) until every marker's
 * openat was seen and its process (scap_event_proc) checked against the
 * truth with proc_truth_check; any other event delivered fails (the table's
 * rows must stay hidden). LIVE_PASS or LIVE_FAIL.
 */
int proc_expect_markers(struct live_test *t, struct scap *h, struct proc_marker *m, unsigned n, bool full);

/*
 * While d is set, proc_expect_markers also records each event it reads with
 * scap_dump_event(d) and appends its JSON line (scap_event_format_proc, the
 * line the CLI prints) to lines; proc_record(NULL, NULL) stops.
 */
void proc_record(struct scap_dumper *d, FILE *lines);
/* After scap_stop: reads h until -ENODATA, recording as above. LIVE_PASS or LIVE_FAIL. */
int proc_record_drain(struct live_test *t, struct scap *h);
/*
 * Replays the capture file path (the savefile engine, its process table on)
 * and checks that every JSON line is byte for byte the recorded one (lines,
 * rewound), the same count, and that one of them holds must_have. LIVE_PASS
 * or LIVE_FAIL.
 */
int proc_replay_check(struct live_test *t, const char *path, FILE *lines, const char *must_have);

/* A handle selecting openat only (the table's rows then hidden), grace_ms 0 = default. */
struct scap *proc_open_tracking(struct live_test *t, unsigned grace_ms);

/* "scap_live --proc-helper ...": the helper actions (see t_proctable.c). */
int proc_helper_main(int argc, char **argv);

#endif
