/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The capture handle behind the opaque struct scap, shared by the core's
 * files (open.c, capture.c, engine_ctx.c). Not a public header.
 */
#ifndef SCAP_HANDLE_H
#define SCAP_HANDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "scap/scap.h"
#include "engine.h"
#include "bufset.h"
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
void scap_text_free(struct scap_text *t);

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
	uint64_t events;               /* delivered by scap_next */
	uint64_t toctou;               /* delivered with SCAP_EVF_TOCTOU */
	uint64_t out_of_order;         /* merged events older than one merged before them */
	uint64_t newest_ts;            /* the newest timestamp merged so far */
	char err[SCAP_ERRBUF_SIZE];
	struct scap_text report;
	struct scap_text warnings;
};

/* Sets the handle's last error (printf-style); returns ret for tail calls. */
int scap__seterr(struct scap *h, int ret, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The name of an errno value ("ENOENT"), NULL if unknown. */
const char *scap_errno_name(int err);

#endif
