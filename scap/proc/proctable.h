/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The process table (docs/architecture.md, "The process table"): one entry
 * per thread, keyed by tid, filled by the /proc scan (scan.c), a capture
 * file's snapshot (snapshot.c) and the lifecycle events (update.c), read
 * through include/scap/scap.h's scap_proc_* (api.c).
 *
 * Memory: entries are allocated one by one and indexed by an open-addressing
 * hash table (linear probing, backward-shift deletion) that grows and
 * shrinks with the count; strings are interned (pstr.h); working directories
 * are shared objects (struct scap_proc_fs) because the threads of a process
 * share theirs (CLONE_FS): a chdir of one moves them all.
 *
 * Ended threads wait in a FIFO ordered by their end time and leave when the
 * stream's time passes their end plus the grace period; the live ones are on
 * a list ordered by their last update, whose head is evicted when the table
 * is full and no ended entry is left to evict.
 */
#ifndef SCAP_PROC_PROCTABLE_H
#define SCAP_PROC_PROCTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "scap/scap.h"
#include "pstr.h"

#define SCAP_PROC_DEFAULT_MAX 131072u
#define SCAP_PROC_MIN_MAX 64u
#define SCAP_PROC_MAX_MAX (1u << 24)     /* above PID_MAX_LIMIT (4194304) threads */
#define SCAP_PROC_DEFAULT_GRACE_MS 1000u
#define SCAP_PROC_MAX_GRACE_MS 3600000u

/* A working directory shared by the threads that share their fs_struct. */
struct scap_proc_fs {
	uint32_t refs;
	uint32_t idx;              /* scratch of the snapshot encoder (snapshot.c) */
	struct scap_pstr *cwd;     /* NULL unknown */
};

/* What a lookup reads first (scap_proctable_fill), the bookkeeping after. */
struct scap_proc_entry {
	uint32_t tid, pid, ppid, vtid, vpid;
	uint32_t uid, gid, euid, egid, loginuid;
	uint32_t known;            /* SCAP_PROC_HAS_* */
	uint32_t flags;            /* SCAP_PROC_F_* */
	int32_t exit_status;
	uint64_t start_ns, exit_ns;
	uint64_t src_ns;           /* the newest source's time: older events are ignored */
	char comm[SCAP_PROC_COMM_LEN];
	struct scap_pstr *exe, *args, *cgroup;
	struct scap_proc_fs *fs;   /* NULL: cwd unknown */
	uint64_t ppid_ok;          /* the table's end_version when the parent was last seen alive */
	uint64_t gone_ns;          /* when it joined the ended FIFO: it leaves at + grace */
	/* On the live list (by last update) or, ended, on the ended FIFO. */
	struct scap_proc_entry *prev, *next;
	bool on_ended;
};

struct scap_proc_list {
	struct scap_proc_entry *head, *tail;
};

struct scap_proc_slot {
	uint32_t tid;
	struct scap_proc_entry *e; /* NULL: empty */
};

struct scap_proctable_stats {
	uint64_t scans, evictions, lookups, misses;
};

struct scap_proctable {
	struct scap_proc_slot *slots;
	uint32_t mask;             /* slots - 1 */
	uint32_t count;
	uint32_t max;              /* entries at most */
	uint64_t grace_ns;
	uint64_t now_ns;           /* the newest event time seen */
	struct scap_proc_list live, ended;
	struct scap_pstr_set strs;
	uint64_t fs_count;
	struct scap_proctable_stats st;
	/*
	 * Bumped by every change (version) and by every change that can end a
	 * parent (end_version: an entry ended, removed, or given another key):
	 * what a lookup computed stays true while they stand (api.c, fill).
	 */
	uint64_t version, end_version;
};

/* 0 or -ENOMEM. max 0 and grace_ms 0 take the defaults. */
int scap_proctable_init(struct scap_proctable *t, unsigned max, unsigned grace_ms);
void scap_proctable_free(struct scap_proctable *t);
/* Removes every entry (a new scan follows). */
void scap_proctable_clear(struct scap_proctable *t);

/* The entry of tid, or NULL. */
static inline struct scap_proc_entry *scap_proctable_find(const struct scap_proctable *t, uint32_t tid)
{
	uint32_t i;

	if (!t->slots)
		return NULL;
	for (i = (tid * 2654435761u) & t->mask;; i = (i + 1) & t->mask) {
		const struct scap_proc_slot *s = &t->slots[i];

		if (!s->e)
			return NULL;
		if (s->tid == tid)
			return s->e;
	}
}

/*
 * A new, empty entry for tid (its previous one, if any, removed first), on
 * the live list; evicts to make room when the table is full. NULL when out
 * of memory.
 */
struct scap_proc_entry *scap_proctable_insert(struct scap_proctable *t, uint32_t tid);
/* Removes and frees e. */
void scap_proctable_remove(struct scap_proctable *t, struct scap_proc_entry *e);
/* Gives e the key tid (an entry already there is removed first). */
void scap_proctable_rekey(struct scap_proctable *t, struct scap_proc_entry *e, uint32_t tid);
/* Moves e to the end of the live list (it was just updated). */
void scap_proctable_touch(struct scap_proctable *t, struct scap_proc_entry *e);
/* Puts e on the ended FIFO at time ts (the end of its thread, or of its process): it leaves at ts + grace. */
void scap_proctable_end(struct scap_proctable *t, struct scap_proc_entry *e, uint64_t ts);
/* Removes the ended entries whose grace period is over at time now. */
void scap_proctable_expire(struct scap_proctable *t, uint64_t now);

static inline void scap_proctable_tick(struct scap_proctable *t, uint64_t ts)
{
	if (ts > t->now_ns) {
		t->now_ns = ts;
		if (t->ended.head && ts >= t->ended.head->gone_ns + t->grace_ns)
			scap_proctable_expire(t, ts);
	}
}

/* Working directories. */
struct scap_proc_fs *scap_proc_fs_new(struct scap_proctable *t, struct scap_pstr *cwd);
void scap_proc_fs_put(struct scap_proctable *t, struct scap_proc_fs *fs);
static inline struct scap_proc_fs *scap_proc_fs_ref(struct scap_proc_fs *fs)
{
	if (fs)
		fs->refs++;
	return fs;
}

/* Bytes held: entries, slots, strings, working directories. */
uint64_t scap_proctable_bytes(const struct scap_proctable *t);

/*
 * Fills *out (full size) from e for an event at ts (0: now): ppid is
 * unknown once its process has ended before ts (the thread was reparented,
 * and no event says to whom).
 */
void scap_proctable_fill(const struct scap_proctable *t, struct scap_proc_entry *e, uint64_t ts,
			 struct scap_proc *out);

/* Whether e is the thread that made an event at ts (not an earlier or later owner of the tid). */
static inline bool scap_proc_entry_covers(const struct scap_proc_entry *e, uint64_t ts)
{
	if ((e->known & SCAP_PROC_HAS_START) && ts < e->start_ns)
		return false;
	return !(e->flags & SCAP_PROC_F_ENDED) || ts <= e->exit_ns;
}

/* Whether the process whose leader's entry is e was alive at ts (its leader
 * thread may have ended before: the process lives while a thread does). */
static inline bool scap_proc_process_covers(const struct scap_proc_entry *e, uint64_t ts)
{
	if ((e->known & SCAP_PROC_HAS_START) && ts < e->start_ns)
		return false;
	return !(e->flags & SCAP_PROC_F_PROC_ENDED) || ts <= e->gone_ns;
}

#endif
