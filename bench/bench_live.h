/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_live: the cost of live capture. A workload (one syscall in a tight
 * loop, pinned on one CPU) runs without capture and with capture, in the same
 * run, while a consumer on another CPU reads every event: either a minimal
 * in-process consumer (a scap_next loop in a child process) or the CLI
 * decoding every event to JSON (`scap capture --json > /dev/null`).
 */
#ifndef SCAP_BENCH_LIVE_H
#define SCAP_BENCH_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * BL_FORK_EXIT and BL_EXEC count loops, not syscalls: a fork whose child
 * calls exit_group(0), reaped; a fork whose child execs /bin/true, reaped
 * (the lifecycle events: the clone family's two returns, execve, procexit).
 */
enum bl_workload { BL_GETPPID = 0, BL_CLOSE, BL_OPENAT_CLOSE, BL_NOT_SELECTED, BL_FORK_EXIT, BL_EXEC,
		   BL_NWORKLOADS };

struct bl_config {
	unsigned runs;          /* repetitions; medians are reported */
	unsigned window_ms;     /* how long each workload runs */
	int workload_cpu;       /* where the workload loops */
	int consumer_cpu;       /* where the consumer reads */
	size_t buffer_bytes;    /* per kernel buffer */
	const char *cli;        /* path of the scap CLI, NULL = skip that consumer */
	const char *cli_base;   /* another CLI measured in the same runs (the behaviour
	                           before a change), NULL = none */
	bool cli_pipe;          /* the CLI writes into a pipe that a process on the
	                           consumer CPU drains, instead of /dev/null */
	unsigned only;          /* bit per workload to run; 0 = all */
	bool no_minimal;        /* skip the minimal consumer */
	double quiet_wait_s;    /* wait up to this long for foreign tracers to go */
	bool proc_off;          /* capture without the process table (proc_off, --no-proc) */
	bool proc_compare;      /* measure each run with the table and without it */
};

/* One measurement of one workload with one consumer. */
struct bl_sample {
	double base_rate;       /* syscalls/s without capture */
	double cap_rate;        /* syscalls/s with capture */
	double events_per_s;    /* events delivered per second of the window */
	uint64_t events;        /* delivered */
	uint64_t drops;         /* counted by the engine */
	double consumer_cpu;    /* consumer CPU seconds per second of the window */
	double startup_s;       /* open+start until the first event / the CLI's capturing: line */
	double hwm_mb;          /* the consumer's peak resident memory (VmHWM) */
	double wakeups_per_s;   /* the consumer's voluntary context switches per second */
	double writes_per_s;    /* the CLI's write(2) calls per second (/proc/PID/io syscw) */
	unsigned foreign;       /* tracing BPF programs loaded during the baseline */
	uint64_t proc_found;    /* minimal consumer with the table: events whose process it resolved */
};

extern const char *const bl_workload_names[BL_NWORKLOADS];

/* Monotonic seconds. */
double bl_now(void);
int bl_pin(pid_t pid, int cpu);
/* The syscall names a capture selects for a workload (NULL = all). */
const char *const *bl_selection(enum bl_workload w);

/* Prepares the workload's files; runs it for window_ms; returns syscalls/s or < 0. */
int bl_workload_setup(void);
void bl_workload_cleanup(void);
double bl_workload_run(enum bl_workload w, unsigned window_ms);

/* Measures one workload under capture with each consumer. 0 or -errno, message in err. */
int bl_measure_inproc(const struct bl_config *c, const char *engine, enum bl_workload w,
		      struct bl_sample *s, char *err, size_t errlen);
int bl_measure_cli(const struct bl_config *c, const char *cli, const char *engine, enum bl_workload w,
		   struct bl_sample *s, char *err, size_t errlen);

/* Tracing BPF programs (tp_btf, raw or classic tracepoints, kprobes) loaded
 * now: anything but 0 during a baseline means someone else's tracing cost is
 * in the figures. -1 when they cannot be listed. */
int bl_foreign_tracers(void);

/* kernel.bpf_stats_enabled: 1 on, 0 off, -1 unknown. */
int bl_bpf_stats_enabled(void);

/* Peak and current resident memory of a process, in kB, from /proc/<pid>/status. */
long bl_proc_status_kb(pid_t pid, const char *key);

#endif
