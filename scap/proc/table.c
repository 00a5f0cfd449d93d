// SPDX-License-Identifier: Apache-2.0
/*
 * The table's storage: the tid index, the entries and their two lists,
 * eviction and the grace period (proctable.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proctable.h"

#define MIN_SLOTS 1024u

static inline uint32_t home(const struct scap_proctable *t, uint32_t tid)
{
	return (tid * 2654435761u) & t->mask;
}

static void list_del(struct scap_proc_list *l, struct scap_proc_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		l->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->tail = e->prev;
	e->prev = e->next = NULL;
}

static void list_add_tail(struct scap_proc_list *l, struct scap_proc_entry *e)
{
	e->next = NULL;
	e->prev = l->tail;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
}

static struct scap_proc_list *list_of(struct scap_proctable *t, struct scap_proc_entry *e)
{
	return e->on_ended ? &t->ended : &t->live;
}

static int resize(struct scap_proctable *t, uint32_t nslots)
{
	struct scap_proc_slot *old = t->slots, *s = calloc(nslots, sizeof(*s));
	uint32_t oldn = t->slots ? t->mask + 1 : 0;

	if (!s)
		return -ENOMEM;
	t->slots = s;
	t->mask = nslots - 1;
	for (uint32_t i = 0; i < oldn; i++) {
		uint32_t j;

		if (!old[i].e)
			continue;
		for (j = home(t, old[i].tid); s[j].e; j = (j + 1) & t->mask)
			;
		s[j] = old[i];
	}
	free(old);
	return 0;
}

int scap_proctable_init(struct scap_proctable *t, unsigned max, unsigned grace_ms)
{
	memset(t, 0, sizeof(*t));
	t->version = t->end_version = 1;
	t->max = max ? max : SCAP_PROC_DEFAULT_MAX;
	if (t->max < SCAP_PROC_MIN_MAX)
		t->max = SCAP_PROC_MIN_MAX;
	t->grace_ns = (uint64_t)(grace_ms ? grace_ms : SCAP_PROC_DEFAULT_GRACE_MS) * 1000000ull;
	scap_pstr_set_init(&t->strs);
	return resize(t, MIN_SLOTS);
}

static void entry_free(struct scap_proctable *t, struct scap_proc_entry *e)
{
	scap_pstr_put(&t->strs, e->exe);
	scap_pstr_put(&t->strs, e->args);
	scap_pstr_put(&t->strs, e->cgroup);
	scap_proc_fs_put(t, e->fs);
	free(e);
}

void scap_proctable_clear(struct scap_proctable *t)
{
	struct scap_proc_list *lists[] = { &t->live, &t->ended };

	for (unsigned k = 0; k < 2; k++) {
		struct scap_proc_entry *e = lists[k]->head, *next;

		for (; e; e = next) {
			next = e->next;
			entry_free(t, e);
		}
		lists[k]->head = lists[k]->tail = NULL;
	}
	t->count = 0;
	t->version++;
	t->end_version++;
	if (t->slots)
		memset(t->slots, 0, (t->mask + 1) * sizeof(*t->slots));
	if (t->mask + 1 > MIN_SLOTS)
		resize(t, MIN_SLOTS); /* a failure keeps the bigger, empty index */
}

void scap_proctable_free(struct scap_proctable *t)
{
	scap_proctable_clear(t);
	free(t->slots);
	t->slots = NULL;
	scap_pstr_set_free(&t->strs);
}

/* Removes the index slot of e (backward-shift deletion). */
static void slot_del(struct scap_proctable *t, struct scap_proc_entry *e)
{
	uint32_t i = home(t, e->tid), j;

	while (t->slots[i].e != e)
		i = (i + 1) & t->mask;
	for (j = i;;) {
		uint32_t k;

		j = (j + 1) & t->mask;
		if (!t->slots[j].e)
			break;
		k = home(t, t->slots[j].tid);
		/* Move j back into the hole i unless its home lies cyclically in (i, j]. */
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].e = NULL;
	t->slots[i].tid = 0;
}

static void slot_add(struct scap_proctable *t, struct scap_proc_entry *e)
{
	uint32_t i;

	for (i = home(t, e->tid); t->slots[i].e; i = (i + 1) & t->mask)
		;
	t->slots[i].tid = e->tid;
	t->slots[i].e = e;
}

void scap_proctable_remove(struct scap_proctable *t, struct scap_proc_entry *e)
{
	t->version++;
	t->end_version++;
	slot_del(t, e);
	list_del(list_of(t, e), e);
	entry_free(t, e);
	t->count--;
	if (t->mask + 1 > MIN_SLOTS && (uint64_t)t->count * 8 < t->mask + 1)
		resize(t, (t->mask + 1) / 2); /* a failure keeps the bigger index */
}

static void evict_one(struct scap_proctable *t)
{
	struct scap_proc_entry *e = t->ended.head ? t->ended.head : t->live.head;

	if (!e)
		return;
	scap_proctable_remove(t, e);
	t->st.evictions++;
}

struct scap_proc_entry *scap_proctable_insert(struct scap_proctable *t, uint32_t tid)
{
	struct scap_proc_entry *e = scap_proctable_find(t, tid);

	if (e)
		scap_proctable_remove(t, e);
	while (t->count >= t->max)
		evict_one(t);
	if ((uint64_t)(t->count + 1) * 2 > t->mask + 1 && resize(t, (t->mask + 1) * 2) < 0)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	t->version++;
	e->tid = tid;
	e->pid = tid;
	slot_add(t, e);
	list_add_tail(&t->live, e);
	t->count++;
	return e;
}

void scap_proctable_rekey(struct scap_proctable *t, struct scap_proc_entry *e, uint32_t tid)
{
	struct scap_proc_entry *old = scap_proctable_find(t, tid);

	if (old == e)
		return;
	if (old)
		scap_proctable_remove(t, old);
	t->version++;
	t->end_version++;
	slot_del(t, e);
	e->tid = tid;
	slot_add(t, e);
}

void scap_proctable_touch(struct scap_proctable *t, struct scap_proc_entry *e)
{
	if (e->on_ended)
		return;
	list_del(&t->live, e);
	list_add_tail(&t->live, e);
}

void scap_proctable_end(struct scap_proctable *t, struct scap_proc_entry *e, uint64_t ts)
{
	if (e->on_ended)
		return;
	t->version++;
	t->end_version++;
	list_del(&t->live, e);
	e->on_ended = true;
	/* Appended in stream order, so the FIFO stays sorted by gone_ns (but for
	 * an event delivered out of order: it then waits behind the head). */
	e->gone_ns = ts;
	list_add_tail(&t->ended, e);
}

void scap_proctable_expire(struct scap_proctable *t, uint64_t now)
{
	while (t->ended.head && now >= t->ended.head->gone_ns + t->grace_ns)
		scap_proctable_remove(t, t->ended.head);
}

struct scap_proc_fs *scap_proc_fs_new(struct scap_proctable *t, struct scap_pstr *cwd)
{
	struct scap_proc_fs *fs = malloc(sizeof(*fs));

	if (!fs) {
		scap_pstr_put(&t->strs, cwd);
		return NULL;
	}
	fs->refs = 1;
	fs->cwd = cwd;
	t->fs_count++;
	return fs;
}

void scap_proc_fs_put(struct scap_proctable *t, struct scap_proc_fs *fs)
{
	if (!fs || --fs->refs)
		return;
	scap_pstr_put(&t->strs, fs->cwd);
	free(fs);
	t->fs_count--;
}

uint64_t scap_proctable_bytes(const struct scap_proctable *t)
{
	return (uint64_t)t->count * sizeof(struct scap_proc_entry) +
	       (uint64_t)(t->slots ? t->mask + 1 : 0) * sizeof(struct scap_proc_slot) + t->strs.bytes +
	       t->fs_count * sizeof(struct scap_proc_fs);
}

/*
 * Whether the process of e->ppid was still e's parent at ts: alive then, and
 * older than e (a later owner of that pid is not its parent). A positive
 * answer holds until a process ends (end_version): remembered in the entry.
 */
static bool parent_alive(const struct scap_proctable *t, struct scap_proc_entry *e, uint64_t ts)
{
	const struct scap_proc_entry *p;

	if (e->ppid_ok == t->end_version)
		return true;
	p = scap_proctable_find(t, e->ppid);
	if (!p || !scap_proc_process_covers(p, ts))
		return false;
	if ((p->known & SCAP_PROC_HAS_START) && (e->known & SCAP_PROC_HAS_START) && p->start_ns > e->start_ns)
		return false;
	e->ppid_ok = t->end_version;
	return true;
}

void scap_proctable_fill(const struct scap_proctable *t, struct scap_proc_entry *e, uint64_t ts,
			 struct scap_proc *out)
{
	out->sz = sizeof(*out);
	out->known = e->known;
	out->flags = e->flags;
	out->tid = e->tid;
	out->pid = e->pid;
	out->ppid = e->ppid;
	out->vtid = e->vtid;
	out->vpid = e->vpid;
	out->uid = e->uid;
	out->gid = e->gid;
	out->euid = e->euid;
	out->egid = e->egid;
	out->loginuid = e->loginuid;
	out->exit_status = e->exit_status;
	out->start_ns = e->start_ns;
	out->exit_ns = e->exit_ns;
	out->updated_ns = e->src_ns;
	/* A value is shown only while known: an exec clears what it replaced
	 * before the event says (or does not say) the new one. */
	if (e->known & SCAP_PROC_HAS_COMM)
		memcpy(out->comm, e->comm, sizeof(out->comm));
	else
		memset(out->comm, 0, sizeof(out->comm));
	out->exe = (e->known & SCAP_PROC_HAS_EXE) && e->exe ? e->exe->s : NULL;
	out->cwd = (e->known & SCAP_PROC_HAS_CWD) && e->fs && e->fs->cwd ? e->fs->cwd->s : NULL;
	out->cgroup = (e->known & SCAP_PROC_HAS_CGROUP) && e->cgroup ? e->cgroup->s : NULL;
	out->container_id = out->cgroup && e->cgroup->cid_off ? scap_pstr_cid(e->cgroup) : NULL;
	out->args = (e->known & SCAP_PROC_HAS_ARGS) && e->args ? e->args->s : NULL;
	out->args_len = out->args ? e->args->len - 1 : 0; /* without the array's own NUL */
	if (out->exe && e->exe->cut)
		out->flags |= SCAP_PROC_F_EXE_CUT;
	if (out->cwd && e->fs->cwd->cut)
		out->flags |= SCAP_PROC_F_CWD_CUT;
	if (out->cgroup && e->cgroup->cut)
		out->flags |= SCAP_PROC_F_CGROUP_CUT;
	/* Reparenting (the parent ended) comes with no event: say unknown. */
	if ((e->known & SCAP_PROC_HAS_PPID) && e->ppid && !parent_alive(t, e, ts ? ts : UINT64_MAX))
		out->known &= ~SCAP_PROC_HAS_PPID;
}
