// SPDX-License-Identifier: Apache-2.0
/*
 * The process table's life in a handle (track.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"
#include "track.h"
#include "snapshot.h"

int scap__proc_open(struct scap *h, char *err, size_t errlen)
{
	struct scap_engine_config *cfg = &h->cfg;
	struct scap_proc_track *p;
	uint8_t before[SCAP_NR_SYSCALLS];
	bool procexit_before = cfg->procexit;

	if (h->opts.proc_off)
		return 0;
	if (h->opts.proc_max_entries &&
	    (h->opts.proc_max_entries < SCAP_PROC_MIN_MAX || h->opts.proc_max_entries > SCAP_PROC_MAX_MAX)) {
		if (err && errlen)
			snprintf(err, errlen,
				 "invalid option proc_max_entries=%u: must be between %u and %u (0 for the default, %u)",
				 h->opts.proc_max_entries, SCAP_PROC_MIN_MAX, SCAP_PROC_MAX_MAX, SCAP_PROC_DEFAULT_MAX);
		return -EINVAL;
	}
	if (h->opts.proc_grace_ms > SCAP_PROC_MAX_GRACE_MS) {
		if (err && errlen)
			snprintf(err, errlen,
				 "invalid option proc_grace_ms=%u: must be at most %u (one hour; 0 for the default, %u)",
				 h->opts.proc_grace_ms, SCAP_PROC_MAX_GRACE_MS, SCAP_PROC_DEFAULT_GRACE_MS);
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p || scap_proctable_init(&p->table, h->opts.proc_max_entries, h->opts.proc_grace_ms) < 0) {
		free(p);
		if (err && errlen)
			snprintf(err, errlen, "scap_open: out of memory for the process table (set proc_off to go without)");
		return -ENOMEM;
	}
	p->rows = scap_proc_rows_get();
	for (unsigned c = 0; c < SCAP_EV_MAX; c++)
		if (scap_proc_role(p->rows, (uint16_t)c) != SCAP_PROC_ROLE_NONE)
			p->act[c] |= SCAP_PROC_ACT_APPLY;
	if (!cfg->all_syscalls) {
		memcpy(before, cfg->selected, sizeof(before));
		p->added = scap_proc_select(p->rows, cfg->selected, &cfg->procexit);
		/* Every row of an added syscall (enter rows, the parent's return) is hidden. */
		for (unsigned c = 0; c < SCAP_EV_MAX; c++) {
			int nr = scap_event_info(c)->syscall_nr;

			if (nr >= 0 && nr < (int)SCAP_NR_SYSCALLS && cfg->selected[nr] && !before[nr])
				p->act[c] |= SCAP_PROC_ACT_HIDE;
		}
		if (!procexit_before && cfg->procexit)
			p->act[SCAP_EV_PROCEXIT_E] |= SCAP_PROC_ACT_HIDE;
	}
	h->proc = p;
	return 0;
}

void scap__proc_engine_ready(struct scap *h)
{
	if (h->proc)
		h->proc->scan_host = (h->ops->flags & SCAP_ENGINE_F_LIVE) != 0;
}

void scap__proc_start(struct scap *h)
{
	struct scap_proc_track *p = h->proc;
	int r;

	if (!p)
		return;
	if (!p->scan_host) {
		/* A replay's table comes from its file (scap_engine_proc_snapshot). */
		if (!h->ctx.input_set && !p->ready) {
			p->ready = true;
			if (h->dumper)
				scap__dump_proctable(h->dumper);
		}
		return;
	}
	/* A restart: what happened while stopped is not in the stream. */
	scap_proctable_clear(&p->table);
	p->memo_ev = NULL;
	p->memo_valid = false;
	r = scap_proc_scan(&p->table, NULL, 0, &p->scan);
	if (r < 0)
		scap_text_appendf(&h->warnings,
				  "process table: the /proc scan failed (%s): processes that started before the "
				  "capture are unknown; mount /proc, or set proc_off to go without the table",
				  strerror(-r));
	else if (p->scan.errors)
		scap_text_appendf(&h->warnings,
				  "process table: %llu threads of the /proc scan could not be stored (out of memory)",
				  (unsigned long long)p->scan.errors);
	p->ready = true;
	if (h->dumper)
		scap__dump_proctable(h->dumper);
}

int scap__proc_snapshot(struct scap *h, uint8_t **out, size_t *len)
{
	if (!h->proc || !h->proc->ready)
		return -ENOENT;
	return scap_proc_snapshot_encode(&h->proc->table, out, len);
}

int scap_engine_proc_snapshot(struct scap_engine_ctx *ctx, const void *in, size_t len, char *why, size_t whylen)
{
	struct scap *h = ctx->core;
	struct scap_proc_track *p = h ? h->proc : NULL;
	int r;

	if (!p)
		return 0; /* proc_off: the events alone */
	r = scap_proc_snapshot_decode(&p->table, in, len, why, whylen);
	p->memo_ev = NULL;
	p->memo_valid = false;
	if (r < 0)
		return r;
	p->ready = true;
	if (h->dumper)
		scap__dump_proctable(h->dumper);
	return 0;
}

void scap__proc_apply(struct scap *h, const struct scap_evt_hdr *ev)
{
	const struct scap_evt_hdr *x = NULL;

	/* execve's argv of the new image is in the exit as the driver wrote it. */
	if ((ev->flags & SCAP_EVF_PAIRED) && scap_proc_role(h->proc->rows, ev->type) == SCAP_PROC_ROLE_EXEC) {
		if (h->stage.exit_copy)
			x = h->stage.exit_copy(h->stage.st, ev);
		else if (h->ops->exit_copy)
			x = h->ops->exit_copy(h->state, ev);
	}
	scap_proc_apply(&h->proc->table, h->proc->rows, ev, x);
}

void scap__proc_close(struct scap *h)
{
	if (!h->proc)
		return;
	scap_proctable_free(&h->proc->table);
	free(h->proc);
	h->proc = NULL;
}

void scap__proc_stats(struct scap *h, struct scap_stats *st)
{
	const struct scap_proctable *t;

	if (!h->proc)
		return;
	t = &h->proc->table;
	st->proc_entries = t->count;
	st->proc_scans = t->st.scans;
	st->proc_evictions = t->st.evictions;
	st->proc_lookups = t->st.lookups;
	st->proc_lookup_misses = t->st.misses;
	st->proc_bytes = scap_proctable_bytes(t);
}
