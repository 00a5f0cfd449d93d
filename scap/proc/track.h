/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The process table inside a handle (track.c): what scap_open, scap_start,
 * scap_next, scap_get_stats and scap_close do for it. Not a public header.
 *
 * Selection: when the caller selected some syscalls only, the rows the
 * table needs are added to the engine's selection and marked hidden: they
 * update the table in scap_next and are not delivered.
 */
#ifndef SCAP_PROC_TRACK_H
#define SCAP_PROC_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "scap/scap.h"
#include "proctable.h"
#include "scan.h"
#include "update.h"

struct scap;
struct scap_engine_config;

/* Per event code, what scap_next does with it. */
#define SCAP_PROC_ACT_APPLY 0x1u /* updates the table */
#define SCAP_PROC_ACT_HIDE 0x2u  /* not delivered: the caller did not select it */

struct scap_proc_track {
	struct scap_proctable table;
	const struct scap_proc_rows *rows;
	uint8_t act[SCAP_EV_MAX];
	bool scan_host;            /* the engine captures this host: scan /proc at start */
	bool ready;                /* the table has its start: the scan, a capture file's
	                              table, or scap_start (what a capture file stores) */
	unsigned added;            /* syscalls added to the caller's selection */
	/*
	 * scap_event_proc's answer for the event delivered last (memo_ev), kept
	 * for the next events of the same thread: it stands while the table is
	 * unchanged (version) and time does not go back (a thread's events come
	 * in runs: most lookups are then a compare).
	 */
	const void *memo_ev;
	bool memo_valid, memo_found;
	uint32_t memo_tid;
	uint64_t memo_ts, memo_version;
	struct scap_proc memo;
	struct scap_proc_scan_result scan;
};

/*
 * At scap_open, before the engine's init: the table, and the rows it needs
 * added to cfg's selection (hidden from the caller). 0 or -ENOMEM (message
 * in err). Does nothing with opts.proc_off.
 */
int scap__proc_open(struct scap *h, char *err, size_t errlen);
/* After the engine's init: whether it captures this host (its flags). */
void scap__proc_engine_ready(struct scap *h);
/* At scap_start, after the engine started: the /proc scan (a warning when it fails). */
void scap__proc_start(struct scap *h);
void scap__proc_close(struct scap *h);
/*
 * The table as a capture file stores it (snapshot.h), in a new allocation.
 * 0; -ENOENT with no table, or before it has its start; -ENOMEM.
 */
int scap__proc_snapshot(struct scap *h, uint8_t **out, size_t *len);
void scap__proc_stats(struct scap *h, struct scap_stats *st);

/*
 * scap_event_proc's lookup: the process of thread tid at time ts, kept in
 * p->memo (and kept for the next events of the thread while it stands).
 */
const struct scap_proc *scap__proc_event_lookup(struct scap_proc_track *p, uint32_t tid, uint64_t ts);

/* The slow part of scap__proc_next: an event that updates the table. */
void scap__proc_apply(struct scap *h, const struct scap_evt_hdr *ev);

/*
 * scap_next's part, for each event out of the stage: updates the table.
 * Returns true when the event must not be delivered (a hidden row). One
 * byte load and two compares for the events that do not concern the table.
 */
static inline bool scap__proc_next(struct scap *h, struct scap_proc_track *p, const struct scap_evt_hdr *ev)
{
	uint8_t act = ev->type < SCAP_EV_MAX ? p->act[ev->type] : 0;

	p->memo_ev = NULL;
	scap_proctable_tick(&p->table, ev->ts);
	if (__builtin_expect(act != 0, 0)) {
		if (act & SCAP_PROC_ACT_APPLY)
			scap__proc_apply(h, ev);
		return (act & SCAP_PROC_ACT_HIDE) != 0;
	}
	return false;
}

#endif
