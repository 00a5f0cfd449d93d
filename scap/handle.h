/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The capture handle behind the opaque struct scap, shared by the core's
 * files (open.c, capture.c, engine_ctx.c). Not a public header.
 */
#ifndef SCAP_HANDLE_H
#define SCAP_HANDLE_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "scap/scap.h"
#include "engine.h"
#include "bufset.h"
#include "counter.h"
#include "filter/filter.h"

/*
 * The optional stage between the raw stream and the caller (the enter/exit
 * pairing of scap/pairing.c plugs in here). feed() sees every raw event in
 * time order and returns 1 with *out set to deliver (the raw event or one it
 * owns until the next call), 0 to deliver nothing for this event, or a
 * negative errno, in which case the raw event is delivered as is.
 */
struct scap_stage {
	void *st;
	int (*feed)(void *st, const struct scap_evt_hdr *ev, const struct scap_evt_hdr **out);
	/* Adds the stage's counters to *out (pairing_evicted, toctou, ...). */
	void (*stats)(void *st, struct scap_stats *out);
	void (*free)(void *st);
	/* Optional: the raw exit event merged into ev, if ev is the event fed out last. */
	const struct scap_evt_hdr *(*exit_copy)(void *st, const struct scap_evt_hdr *ev);
};

/* Fills *stage with the enter/exit pairing of scap/pairing.c. 0 or -ENOMEM. */
int scap__pairing_stage(struct scap_stage *stage, unsigned max_pending);

/* A growable text of lines (report, warnings). */
struct scap_text {
	char *s;
	size_t len, cap;
};
void scap_text_appendf(struct scap_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Writes the process table's block to d when the table has its start (a
 * /proc scan, a file's table, or scap_start for the others) and d holds no
 * event yet (scap/capfile/dump.c); else nothing, or later.
 */
struct scap_dumper;
void scap__dump_proctable(struct scap_dumper *d);
/*
 * Records ev, which the process table took and scap_next does not deliver
 * (a row the table added to the selection), as a table-only record, so that
 * a replay's table changes as the live one did. Errors stay in d (sticky).
 */
void scap__dump_table_only(struct scap_dumper *d, const struct scap_evt_hdr *ev, unsigned cpu);
void scap_text_free(struct scap_text *t);

struct scap_proc_track;

struct scap {
	const struct scap_engine_ops *ops;
	void *state;
	struct scap_bufset bufs;
	struct scap_engine_ctx ctx;
	struct scap_engine_config cfg;
	struct scap_open_opts opts;    /* the caller's options, normalized, full size */
	struct scap_stage stage;       /* feed == NULL: no stage */
	struct scap_filter filter;     /* the caller's selection, applied by the core ... */
	bool core_filter;              /* ... when set: an engine that does not filter itself */
	bool started;
	bool ever_started;
	bool ended;                    /* the engine said -ENODATA */
	bool draining;                 /* stopped, settled: reading the buffers to their end */
	uint64_t stopped_ns;           /* CLOCK_BOOTTIME of the last scap_stop */
	/* Written by the reading thread, read by stats calls anywhere (counter.h). */
	uint64_t events;               /* delivered by scap_next */
	uint64_t toctou;               /* delivered with SCAP_EVF_TOCTOU */
	uint64_t out_of_order;         /* merged events older than one merged before them */
	uint64_t newest_ts;            /* the newest timestamp merged so far */
	const void *last_ev;           /* the event scap_next delivered last */
	struct scap_proc_track *proc;  /* the process table (scap/proc/); NULL: proc_off */
	struct scap_stats proc_seen;   /* its proc_* counts as the reader last published them */
	struct scap_dumper *dumper;    /* the first open capture-file writer of this handle: it
	                                  gets the process table when the table starts */
	struct scap_text report;
	struct scap_text warnings;

	/* ---- threads (scap/lib/reader.c; the contract is in scap.h) ---- */
	pthread_mutex_t lock;          /* stats, settings and close, one at a time */
	pthread_cond_t cond;           /* close waits here for the reader's -ECANCELED */
	int wake_fd;                   /* eventfd, readable once close has begun (engines
	                                  wait on it too: ctx.wake_fd) */
	int closing;                   /* atomic: scap_close from another thread has begun */
	pthread_t reader;              /* the thread that reads, valid when reader_tid != 0 */
	pid_t reader_tid;              /* 0: no thread is expected to call scap_next again */
	bool reader_acked;             /* the reader has had -ECANCELED: it is done with h */

	/* ---- wall clock (scap/lib/wallclock.c) ---- */
	int64_t boot_ns;               /* atomic: CLOCK_REALTIME of the boot the ts count from */
	uint64_t boot_checked_ns;      /* atomic: CLOCK_MONOTONIC_COARSE of the last measure */
	bool boot_live;                /* measured on this host (and re-measured) */
	bool boot_known;
};

/*
 * scap_last_error (scap/lib/error.c): the message of the last failure of a
 * call on h, kept per thread. Sets it (printf-style) and returns ret, for
 * tail calls. Every public function that fails on a handle sets one.
 */
int scap__seterr(const struct scap *h, int ret, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int scap__vseterr(const struct scap *h, int ret, const char *fmt, va_list ap);
/* Does this thread hold a message for h? (To add a generic one when an engine set none.) */
bool scap__haserr(const struct scap *h);
/* Forgets this thread's message for h. */
void scap__clrerr(const struct scap *h);

/* scap/lib/reader.c */
int scap__threads_init(struct scap *h);
void scap__threads_fini(struct scap *h);
/* scap_next's entry: 0 to go on, or -ECANCELED (the handle is being closed). */
int scap__reader_enter(struct scap *h);
/* scap_next's exit with r: -ECANCELED acknowledges the close; a final status ends reading. */
int scap__reader_leave(struct scap *h, int r);
static inline bool scap__closing(const struct scap *h)
{
	return __atomic_load_n(&h->closing, __ATOMIC_ACQUIRE) != 0;
}
/* scap_close's first step: returns once no other thread reads h. */
void scap__reader_stop(struct scap *h);

/* scap/open.c: cfg's selection from syscall names (NULL: all). 0 or -EINVAL with err written. */
int scap__resolve_syscalls(struct scap_engine_config *cfg, const char *const *names, char *err, size_t errlen);

/* scap/open.c: pid is a running process, not a thread. 0, -ESRCH or -EINVAL with err written. */
int scap__check_pid(int32_t pid, char *err, size_t errlen);

/* scap/lib/wallclock.c: at open, the boot time of the events' clock. */
void scap__wallclock_init(struct scap *h);

/* The name of an errno value ("ENOENT"), NULL if unknown. */
const char *scap_errno_name(int err);

#endif
