/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The engine interface: one ops table per engine, listed in the NULL-terminated
 * table of built-in engines (scap/engines.c). The core selects an engine by name
 * through that table, hands it a resolved configuration, and reads its events
 * through the buffer interface of scap/bufset.h.
 */
#ifndef SCAP_ENGINE_H
#define SCAP_ENGINE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scap/scap.h"
#include "bufset.h"

/* The configuration an engine receives: options validated and resolved. */
struct scap_engine_config {
	size_t buffer_bytes;       /* > 0, already validated */
	unsigned cpus_per_buffer;  /* >= 1 */
	unsigned snaplen;          /* 1..SCAP_MAX_SNAPLEN */
	bool all_syscalls;         /* true: every syscall is selected */
	uint8_t selected[SCAP_NR_SYSCALLS]; /* 1 = capture this syscall number */
	bool procexit;             /* deliver procexit (SCAP_EV_PROCEXIT_E): thread exits,
	                              from the sched_process_exit tracepoint */
	int32_t pid;               /* tgid filter, 0 = none */
	const struct scap_open_opts *opts; /* the caller's options (engine specific fields) */
};

/*
 * What the core lends an engine during init: where to put buffers and
 * messages. Valid from init until close.
 */
struct scap_engine_ctx {
	struct scap_bufset *bufs;  /* add one scap_buf per kernel buffer */
	char *err;                 /* init's error message goes here (scap_engine_errf;
	                              after init, NULL: messages go to scap_last_error) */
	size_t errlen;
	scap_log_fn log;
	void *log_ctx;
	/* Kernel programs that could not attach (engines set it; see scap_stats). */
	unsigned attach_failures;
	/* Exits not sent for want of their enter (engines set it; see scap_stats). */
	uint64_t exits_without_enter;
	/* The core's handle, for scap_engine_warnf. Engines do not touch it. */
	void *core;
	/*
	 * Set by init when the engine's events are already paired (a capture
	 * file recorded with pairing on): the core then adds no pairing stage.
	 */
	bool events_paired;
	/*
	 * Set by init when the engine reads a file (savefile): its device and
	 * inode, so that scap_dump_open refuses to write onto it.
	 */
	bool input_set;
	dev_t input_dev;
	ino_t input_ino;
	/*
	 * Readable once scap_close has begun on another thread: wait() must
	 * return when it is (engines add it to what they poll). -1: none.
	 */
	int wake_fd;
	/*
	 * Set by init when the events come from another host's clock (a capture
	 * file): the wall-clock time (ns since the epoch) of that host's boot.
	 * Live engines leave it: the core measures this host's.
	 */
	bool boot_time_known;
	int64_t boot_time_ns;
	/*
	 * Set by next() with each event: it is one that only the process table
	 * takes (a capture file's table-only record): the core applies it to the
	 * table and never delivers it.
	 */
	bool table_only;
};

/* printf-style helpers for engines. */
void scap_engine_errf(struct scap_engine_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void scap_engine_logf(struct scap_engine_ctx *ctx, enum scap_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends one line to the handle's warnings (see scap_warnings). */
void scap_engine_warnf(struct scap_engine_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * For tests of live settings: called by an engine whose new load of programs
 * runs beside the load in force, just before the switch. With
 * SCAP_TEST_SWITCH_PAUSE_MS=n in the environment it sleeps n ms (at most
 * 1000), so that hits that run both loads' programs, which a switch meets
 * only now and then, happen on every switch. Otherwise it returns at once.
 */
void scap_engine_switch_pause(struct scap_engine_ctx *ctx);

/*
 * A capture file's process table (the snapshot bytes of its PROCTABLE
 * block) becomes the handle's, before any of the file's events: 0 (also
 * when the handle keeps no table), -EBADMSG with the reason in why, or
 * -ENOMEM.
 */
int scap_engine_proc_snapshot(struct scap_engine_ctx *ctx, const void *in, size_t len, char *why, size_t whylen);

/* Engine flags. */
#define SCAP_ENGINE_F_BOOTTIME 0x1u /* events are stamped with CLOCK_BOOTTIME just before
                                       they are committed (live capture): the merge holds
                                       back the youngest ones until they have settled */
#define SCAP_ENGINE_F_LIVE 0x2u     /* captures this host's processes: the engine applies
                                       cfg->selected and cfg->pid itself (in the kernel),
                                       and cfg->pid names a process running here. The
                                       core filters the events of the other engines
                                       (scap/filter/) */

struct scap_engine_ops {
	const char *name;
	unsigned flags;            /* SCAP_ENGINE_F_* */
	const char *description;   /* one line for `scap engines` */
	/*
	 * Usable here? 0 if so; else a negative errno and the reason in `reason`
	 * (what is missing and what to do). Must be cheap and side-effect free.
	 */
	int (*probe)(char *reason, size_t len);
	/*
	 * Loads and attaches the kernel side (capture not started yet) and adds
	 * the buffers to ctx->bufs. On failure, releases everything it took,
	 * writes ctx->err and returns a negative errno.
	 */
	int (*init)(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg, void **state);
	int (*start)(void *state);
	int (*stop)(void *state);
	/*
	 * Optional. NULL: the core merges the buffers by timestamp. Else the
	 * engine produces events itself (0, -EAGAIN, -ENODATA as scap_next).
	 */
	int (*next)(void *state, const struct scap_evt_hdr **ev, unsigned *cpu, int timeout_ms);
	/*
	 * Blocks until a buffer may have data, at most timeout_ms (-1 forever).
	 * 0 on data or timeout, -EINTR, or -ENODATA when no more events will come.
	 */
	int (*wait)(void *state, int timeout_ms);
	/* Refreshes the drop and kernel-event counters of its buffers (scap_buf.*). */
	int (*stats)(void *state);
	/* Detaches and frees everything. state may be partially built. */
	void (*close)(void *state);
	/*
	 * Optional: switches the kernel side to cfg (scap_set_syscalls,
	 * _snaplen, _pid_filter: one of them differs from the configuration in
	 * force) in one step, for every CPU at once, while another thread may be
	 * reading: the buffers stay. On failure the configuration in force stays
	 * entirely. 0 or -errno (message with scap_engine_errf). NULL: the
	 * engine cannot (-ENOTSUP).
	 */
	int (*reconfigure)(void *state, const struct scap_engine_config *cfg);
	/*
	 * Optional, for engines that deliver already-paired events (savefile):
	 * the exit-time copy of ev, the event next() returned last, or NULL.
	 * scap_event_exit_copy asks it when the core has no pairing stage.
	 */
	const struct scap_evt_hdr *(*exit_copy)(void *state, const struct scap_evt_hdr *ev);
	/*
	 * Optional: called on the thread that becomes the reader (a thread
	 * other than the last one calls scap_next), before it reads, once per
	 * change of thread. Live engines leave that thread's syscalls out from
	 * then on unless opts.capture_self. At once, not at the reader's first
	 * wait: a reader that always finds events never waits.
	 */
	void (*reader_changed)(void *state);
};

/* The built-in engines, in "auto" preference order, NULL-terminated. */
extern const struct scap_engine_ops *const scap_builtin_engines[];
const struct scap_engine_ops *scap_engine_find(const char *name);

/* The engines (each defined in engines/<name>/). */
extern const struct scap_engine_ops scap_engine_modern_bpf;
extern const struct scap_engine_ops scap_engine_bpf;
extern const struct scap_engine_ops scap_engine_kmod;
extern const struct scap_engine_ops scap_engine_savefile;
extern const struct scap_engine_ops scap_engine_synthetic;

#endif
