// SPDX-License-Identifier: Apache-2.0
/*
 * The process table's public functions (include/scap/scap.h, "process table").
 */
#include <errno.h>
#include <string.h>

#include "handle.h"
#include "track.h"

/* Copies the full-size src into the caller's struct, as far as its sz goes. */
static int copy_out(struct scap_proc *out, const struct scap_proc *src)
{
	size_t sz = out->sz;

	if (sz < sizeof(out->sz))
		return -EINVAL;
	if (sz > sizeof(*src))
		memset((char *)out + sizeof(*src), 0, sz - sizeof(*src));
	memcpy(out, src, sz < sizeof(*src) ? sz : sizeof(*src));
	out->sz = sz;
	return 0;
}

int scap_proc_lookup(struct scap *h, uint32_t tid, struct scap_proc *out)
{
	struct scap_proc_track *p;
	struct scap_proc_entry *e;
	struct scap_proc full;

	if (!h || !out)
		return -EINVAL;
	if (out->sz < sizeof(out->sz))
		return scap__seterr(h, -EINVAL, "scap_proc_lookup: set out->sz = sizeof(struct scap_proc)");
	p = h->proc;
	if (!p)
		return scap__seterr(h, -EOPNOTSUPP, "scap_proc_lookup: the handle tracks no processes (proc_off)");
	p->table.st.lookups++;
	e = scap_proctable_find(&p->table, tid);
	if (!e) {
		p->table.st.misses++;
		return -ENOENT;
	}
	scap_proctable_fill(&p->table, e, 0, &full);
	return copy_out(out, &full);
}

const struct scap_proc *scap__proc_event_lookup(struct scap_proc_track *p, uint32_t tid, uint64_t ts)
{
	struct scap_proc_entry *e;

	p->table.st.lookups++;
	if (p->memo_valid && tid == p->memo_tid && p->table.version == p->memo_version && ts >= p->memo_ts) {
		p->table.st.misses += !p->memo_found;
		return p->memo_found ? &p->memo : NULL;
	}
	p->memo_valid = false;
	p->memo_found = false;
	e = scap_proctable_find(&p->table, tid);
	if (!e || !scap_proc_entry_covers(e, ts)) {
		p->table.st.misses++;
		/* No entry stays no entry until the table changes; one that does not
		 * cover this time might cover a later one. */
		if (e)
			return NULL;
	} else {
		scap_proctable_fill(&p->table, e, ts, &p->memo);
		p->memo_found = true;
	}
	p->memo_valid = true;
	p->memo_tid = tid;
	p->memo_ts = ts;
	p->memo_version = p->table.version;
	return p->memo_found ? &p->memo : NULL;
}

const struct scap_proc *scap_event_proc(struct scap *h, const struct scap_event *ev)
{
	struct scap_proc_track *p;
	struct scap_evt_hdr hdr;
	const struct scap_proc *r;

	if (!h || !ev || !(p = h->proc) || (const void *)ev != h->last_ev)
		return NULL;
	if (p->memo_ev == ev)
		return p->memo_valid && p->memo_found ? &p->memo : NULL;
	memcpy(&hdr, ev, sizeof(hdr));
	r = scap__proc_event_lookup(p, hdr.tid, hdr.ts);
	p->memo_ev = ev;
	return r;
}

int scap_proc_iter(struct scap *h, uint64_t *cursor, struct scap_proc *out)
{
	struct scap_proctable *t;
	struct scap_proc full;

	if (!h || !cursor || !out)
		return -EINVAL;
	if (out->sz < sizeof(out->sz))
		return scap__seterr(h, -EINVAL, "scap_proc_iter: set out->sz = sizeof(struct scap_proc)");
	if (!h->proc)
		return scap__seterr(h, -EOPNOTSUPP, "scap_proc_iter: the handle tracks no processes (proc_off)");
	t = &h->proc->table;
	for (uint64_t i = *cursor; i <= t->mask; i++) {
		if (!t->slots[i].e)
			continue;
		scap_proctable_fill(t, t->slots[i].e, 0, &full);
		*cursor = i + 1;
		return copy_out(out, &full);
	}
	*cursor = (uint64_t)t->mask + 1;
	return -ENOENT;
}
