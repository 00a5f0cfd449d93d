// SPDX-License-Identifier: Apache-2.0
/*
 * Enter/exit pairing (see pairing.h for the contract).
 *
 * Pending enters live in a pool of at most max_pending entries, indexed by
 * tid through an open-addressing hash table (linear probing, backward-shift
 * deletion) and chained in arrival order so that the oldest is evicted first
 * when the pool is full. A thread has at most one pending enter: a thread
 * runs one syscall at a time.
 *
 * The pool starts small and doubles (the table with it) as enters pile up:
 * opening a handle costs no more than what its stream will use (a replay or
 * a fuzz input with no enters, none at all), and the bound is only reached
 * by a capture that holds that many enters at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "scap/scap.h"
#include "pairing.h"
#include "counter.h"

#define PAIRING_DEFAULT_MAX 65536u
#define PAIRING_FIRST_POOL 64u
#define NO_SLOT UINT32_MAX

enum row_kind { ROW_PLAIN = 0, ROW_ENTER, ROW_EXIT };

/* Per event code: what the pairing stage does with it (from the schema). */
struct row_map {
	uint8_t kind;
	uint16_t enter_code;             /* ROW_EXIT: the code of its enter row */
	int8_t from_enter[SCAP_MAX_PARAMS]; /* exit param -> enter param, -1 none */
	bool compare[SCAP_MAX_PARAMS];   /* both copies read from the same syscall argument */
};

struct pending {
	uint32_t tid, pid;
	uint16_t code;
	uint32_t len, cap;
	uint8_t *bytes;
	uint32_t older, newer;           /* arrival-order chain */
};

struct scap_pairing {
	const struct row_map *rows;      /* the schema's, built once per process */
	struct pending *pool;
	uint32_t max, used;
	uint32_t cap;                    /* entries allocated, <= max */
	uint32_t free_head;              /* free entries chained through .newer */
	uint32_t oldest, newest;
	uint32_t *table;                 /* hash: tid -> pool index, NO_SLOT empty */
	uint32_t mask;
	uint8_t *out;                    /* the event built last */
	uint32_t out_cap;
	uint8_t *exit_copy;              /* the raw exit merged into out, when out is paired */
	uint32_t exit_cap;
	uint8_t *conv;                   /* an exit rewritten as another row (execveat) */
	uint32_t conv_cap;
	bool out_is_paired;
	struct scap_pairing_stats st;
};

static bool src_is_arg(unsigned src)
{
	return SCAP_SRC_IS_ARG(src);
}

static struct row_map g_rows[SCAP_EV_MAX];
static pthread_once_t g_rows_once = PTHREAD_ONCE_INIT;

static void build_row_maps(void)
{
	for (unsigned c = 0; c < SCAP_EV_MAX; c++) {
		const struct scap_event_info *x = scap_event_info(c);
		struct row_map *m = &g_rows[c];

		if (!x || !(x->flags & SCAP_EF_TOCTOU))
			continue;
		if (x->dir == SCAP_DIR_ENTER) {
			m->kind = ROW_ENTER;
			continue;
		}
		/* The enter row of a syscall comes right before its exit row. */
		const struct scap_event_info *e = c > 0 ? scap_event_info(c - 1) : NULL;
		if (!e || e->dir != SCAP_DIR_ENTER || e->syscall_nr != x->syscall_nr)
			continue;
		m->kind = ROW_EXIT;
		m->enter_code = (uint16_t)(c - 1);
		for (unsigned i = 0; i < x->nparams; i++) {
			m->from_enter[i] = -1;
			for (unsigned j = 0; j < e->nparams; j++) {
				if (strcmp(x->params[i].name, e->params[j].name))
					continue;
				m->from_enter[i] = (int8_t)j;
				m->compare[i] = src_is_arg(x->params[i].src) &&
						x->params[i].src == e->params[j].src;
				break;
			}
		}
	}
}

static uint32_t hash_tid(uint32_t tid);

/*
 * Makes room for cap entries (cap <= max) and a table of at least twice as
 * many buckets, rehashing what is pending. The new entries join the free
 * list. 0 or -ENOMEM (then nothing changed).
 */
static int pool_grow(struct scap_pairing *p, uint32_t cap)
{
	uint64_t buckets = 16;
	struct pending *pool;
	uint32_t *table;

	while (buckets < 2ull * cap)
		buckets <<= 1;
	pool = realloc(p->pool, (size_t)cap * sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	p->pool = pool;
	table = malloc((size_t)buckets * sizeof(*table));
	if (!table)
		return -ENOMEM;
	memset(table, 0xff, (size_t)buckets * sizeof(*table));
	memset(pool + p->cap, 0, (size_t)(cap - p->cap) * sizeof(*pool));
	for (uint32_t i = p->cap; i < cap; i++)
		pool[i].newer = i + 1 < cap ? i + 1 : p->free_head;
	p->free_head = p->cap;
	/* Every pending entry into the new table (linear probing from its home). */
	for (uint32_t i = p->oldest; i != NO_SLOT; i = pool[i].newer) {
		uint32_t s = hash_tid(pool[i].tid) & (uint32_t)(buckets - 1);

		while (table[s] != NO_SLOT)
			s = (s + 1) & (uint32_t)(buckets - 1);
		table[s] = i;
	}
	free(p->table);
	p->table = table;
	p->mask = (uint32_t)(buckets - 1);
	p->cap = cap;
	return 0;
}

int scap_pairing_new(struct scap_pairing **out, unsigned max_pending)
{
	struct scap_pairing *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	pthread_once(&g_rows_once, build_row_maps);
	p->rows = g_rows;
	p->max = max_pending ? max_pending : PAIRING_DEFAULT_MAX;
	p->free_head = NO_SLOT;
	p->oldest = p->newest = NO_SLOT;
	if (pool_grow(p, p->max < PAIRING_FIRST_POOL ? p->max : PAIRING_FIRST_POOL) < 0) {
		scap_pairing_free(p);
		return -ENOMEM;
	}
	*out = p;
	return 0;
}

void scap_pairing_free(struct scap_pairing *p)
{
	if (!p)
		return;
	if (p->pool)
		for (uint32_t i = 0; i < p->cap; i++)
			free(p->pool[i].bytes);
	free(p->pool);
	free(p->table);
	free(p->out);
	free(p->exit_copy);
	free(p->conv);
	free(p);
}

static uint32_t hash_tid(uint32_t tid)
{
	return tid * 2654435761u;
}

/* The hash slot holding tid, or the empty slot where it would go. */
static uint32_t find_slot(const struct scap_pairing *p, uint32_t tid)
{
	uint32_t s = hash_tid(tid) & p->mask;

	while (p->table[s] != NO_SLOT && p->pool[p->table[s]].tid != tid)
		s = (s + 1) & p->mask;
	return s;
}

static void table_delete(struct scap_pairing *p, uint32_t s)
{
	/* Backward-shift deletion keeps probe chains unbroken without tombstones. */
	uint32_t hole = s, i = s;

	for (;;) {
		i = (i + 1) & p->mask;
		if (p->table[i] == NO_SLOT)
			break;
		uint32_t home = hash_tid(p->pool[p->table[i]].tid) & p->mask;
		/* Move the entry back when its home is not in (hole, i]. */
		if (((i - home) & p->mask) >= ((i - hole) & p->mask)) {
			p->table[hole] = p->table[i];
			hole = i;
		}
	}
	p->table[hole] = NO_SLOT;
}

static void chain_unlink(struct scap_pairing *p, uint32_t idx)
{
	struct pending *e = &p->pool[idx];

	if (e->older != NO_SLOT)
		p->pool[e->older].newer = e->newer;
	else
		p->oldest = e->newer;
	if (e->newer != NO_SLOT)
		p->pool[e->newer].older = e->older;
	else
		p->newest = e->older;
}

/* Removes the entry in hash slot s and returns its pool index to the free list. */
static void remove_at(struct scap_pairing *p, uint32_t s)
{
	uint32_t idx = p->table[s];

	chain_unlink(p, idx);
	table_delete(p, s);
	p->pool[idx].newer = p->free_head;
	p->free_head = idx;
	p->used--;
}

static int hold_enter(struct scap_pairing *p, const struct scap_evt_hdr *ev)
{
	uint32_t s = find_slot(p, ev->tid);

	if (p->table[s] != NO_SLOT) {
		/* The same thread entered again: its previous syscall never exited for us. */
		SCAP_COUNT_ADD(p->st.stale, 1);
		remove_at(p, s);
	}
	if (p->used == p->cap && p->cap < p->max) {
		uint32_t cap = p->cap > p->max / 2 ? p->max : 2 * p->cap;

		/* Without memory for more, the bound is where we are: evict as when full. */
		if (pool_grow(p, cap) < 0)
			p->max = p->cap;
	}
	if (p->used == p->max) {
		SCAP_COUNT_ADD(p->st.evicted, 1);
		remove_at(p, find_slot(p, p->pool[p->oldest].tid));
	}
	s = find_slot(p, ev->tid);

	uint32_t idx = p->free_head;
	struct pending *e = &p->pool[idx];

	if (e->cap < ev->len) {
		uint8_t *nb = realloc(e->bytes, ev->len);
		if (!nb)
			return -ENOMEM;
		e->bytes = nb;
		e->cap = ev->len;
	}
	p->free_head = e->newer;
	memcpy(e->bytes, ev, ev->len);
	e->len = ev->len;
	e->tid = ev->tid;
	e->pid = ev->pid;
	e->code = ev->type;
	e->older = p->newest;
	e->newer = NO_SLOT;
	if (p->newest != NO_SLOT)
		p->pool[p->newest].newer = idx;
	else
		p->oldest = idx;
	p->newest = idx;
	p->table[s] = idx;
	p->used++;
	return 0;
}

static int reserve(uint8_t **buf, uint32_t *cap, uint32_t len)
{
	if (*cap >= len)
		return 0;
	uint8_t *nb = realloc(*buf, len);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	*cap = len;
	return 0;
}

static int reserve_out(struct scap_pairing *p, uint32_t len)
{
	p->out_is_paired = false;
	return reserve(&p->out, &p->out_cap, len);
}

/*
 * Offsets and length words of each parameter (the data length is
 * word & SCAP_PARAM_LEN_MASK); false when the lengths overrun the event.
 */
static bool param_offsets(const struct scap_evt_hdr *ev, uint32_t off[], uint16_t word[])
{
	const uint8_t *b = (const uint8_t *)ev;
	uint32_t pos = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * ev->nparams;

	if (ev->nparams > SCAP_MAX_PARAMS || pos > ev->len)
		return false;
	for (unsigned i = 0; i < ev->nparams; i++) {
		memcpy(&word[i], b + SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * i, sizeof(word[i]));
		off[i] = pos;
		pos += word[i] & SCAP_PARAM_LEN_MASK;
	}
	return pos <= ev->len;
}

#define WLEN(w) ((uint32_t)((w) & SCAP_PARAM_LEN_MASK))
#define WCUT(w) (((w) & SCAP_PARAM_PARTIAL) && WLEN(w))
#define WUNREAD(w) ((w) == SCAP_PARAM_PARTIAL)

/* Delivers a copy of ev with extra header flags (the ring's copy is read-only). */
static int deliver_flagged(struct scap_pairing *p, const struct scap_evt_hdr *ev, uint8_t flags,
			   const struct scap_evt_hdr **out)
{
	if (reserve_out(p, ev->len) < 0) {
		*out = ev;
		return 1;
	}
	memcpy(p->out, ev, ev->len);
	((struct scap_evt_hdr *)p->out)->flags |= flags;
	*out = (const struct scap_evt_hdr *)p->out;
	return 1;
}

/*
 * Whether the whole exit copy x (xn bytes) is the rest of the cut enter copy e
 * (en bytes): what the enter kept, without the NUL it put after the cut, is
 * where x begins. A string array ends with two NULs (its last string's and
 * the array's), a string with one; a cut byte buffer has none.
 */
static bool completes(unsigned type, const uint8_t *e, uint32_t en, const uint8_t *x, uint32_t xn)
{
	uint32_t keep = type == SCAP_PT_STRARRAY ? (en >= 2 ? en - 2 : 0)
			: type == SCAP_PT_PATH || type == SCAP_PT_CHARBUF ? en - 1 : en;

	if (type != SCAP_PT_STRARRAY && type != SCAP_PT_PATH && type != SCAP_PT_CHARBUF &&
	    type != SCAP_PT_BYTEBUF)
		return false;
	return xn > keep && !memcmp(e, x, keep);
}

/* Which copy of exit parameter i the paired event carries. */
enum pick { PICK_EXIT, PICK_ENTER, PICK_EXIT_UNREAD, PICK_EXIT_WHOLE };

/*
 * The enter copy wins when there is one. When the driver could not read it
 * at enter (a page not resident, as right after fork) the exit's copy, if
 * any, is the best we have. A NULL or empty enter copy is what the caller
 * passed and stays (execve(path, NULL, ...) is not the exit's [""]). When the
 * enter copy is cut and the exit copy is the whole value it is a part of
 * (execve's argv past SCAP_MAX_ARGV_ITEMS: the new image's argv holds all of
 * it), the whole value goes out.
 */
static enum pick pick_copy(unsigned type, int j, const struct scap_evt_hdr *e, const uint16_t ew[],
			   const uint8_t *ed, uint16_t xw, const uint8_t *xd)
{
	if (j < 0 || j >= e->nparams)
		return PICK_EXIT;
	if (WUNREAD(ew[j]))
		return WLEN(xw) ? PICK_EXIT_UNREAD : PICK_ENTER;
	if (WCUT(ew[j]) && WLEN(xw) && !(xw & SCAP_PARAM_PARTIAL) &&
	    completes(type, ed, WLEN(ew[j]), xd, WLEN(xw)))
		return PICK_EXIT_WHOLE;
	return PICK_ENTER;
}

static int merge(struct scap_pairing *p, const struct row_map *m, const struct scap_evt_hdr *x,
		 const struct scap_evt_hdr *e, const struct scap_evt_hdr **out)
{
	const struct scap_event_info *info = scap_event_info(x->type);
	uint32_t xo[SCAP_MAX_PARAMS], eo[SCAP_MAX_PARAMS];
	uint16_t xw[SCAP_MAX_PARAMS], ew[SCAP_MAX_PARAMS];
	enum pick pick[SCAP_MAX_PARAMS];
	const uint8_t *xb = (const uint8_t *)x, *eb = (const uint8_t *)e;
	uint8_t flags = SCAP_EVF_PAIRED;

	if (!info || x->nparams != info->nparams || !param_offsets(x, xo, xw) || !param_offsets(e, eo, ew))
		return deliver_flagged(p, x, SCAP_EVF_NO_ENTER, out);

	uint32_t total = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * x->nparams;
	for (unsigned i = 0; i < x->nparams; i++) {
		int j = m->from_enter[i];

		pick[i] = pick_copy(info->params[i].type, j, e, ew, j >= 0 ? eb + eo[j] : NULL, xw[i], xb + xo[i]);
		total += pick[i] == PICK_ENTER ? WLEN(ew[j]) : WLEN(xw[i]);
	}
	if (reserve_out(p, total) < 0 || reserve(&p->exit_copy, &p->exit_cap, x->len) < 0) {
		*out = x;
		return 1;
	}
	/* Kept so that callers can see the exit-time copies (scap_event_exit_copy). */
	memcpy(p->exit_copy, x, x->len);
	p->out_is_paired = true;

	uint8_t *o = p->out;
	uint32_t pos = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * x->nparams;
	for (unsigned i = 0; i < x->nparams; i++) {
		int j = m->from_enter[i];
		const uint8_t *src = xb + xo[i];
		uint16_t w = xw[i];

		if (pick[i] == PICK_EXIT_UNREAD)
			flags |= SCAP_EVF_ENTER_UNREAD;
		if (pick[i] == PICK_ENTER) {
			/* An unreadable copy is no evidence of a race: compare only two real copies. */
			if (m->compare[i] && WLEN(xw[i]) && WLEN(ew[j]) &&
			    (WLEN(xw[i]) != WLEN(ew[j]) || memcmp(xb + xo[i], eb + eo[j], WLEN(xw[i]))))
				flags |= SCAP_EVF_TOCTOU;
			src = eb + eo[j];
			w = ew[j];
		}
		/* The header says whether a delivered value is cut, whichever copy it is. */
		if (WCUT(w))
			flags |= SCAP_EVF_TRUNCATED;
		memcpy(o + SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * i, &w, sizeof(w));
		memcpy(o + pos, src, WLEN(w));
		pos += WLEN(w);
	}
	memcpy(o, x, SCAP_EVT_HDR_LEN);
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)o;
	h->len = total;
	h->flags = (uint8_t)((h->flags & ~SCAP_EVF_TRUNCATED) | flags);
	p->st.paired++;
	if (flags & SCAP_EVF_TOCTOU)
		SCAP_COUNT_ADD(p->st.toctou, 1);
	*out = h;
	return 1;
}

/* A successful execve from a non-leader thread exits as the leader: find its enter by pid. */
static uint32_t find_execve_by_pid(const struct scap_pairing *p, const struct scap_evt_hdr *x,
				   uint16_t enter_code)
{
	for (uint32_t i = p->newest; i != NO_SLOT; i = p->pool[i].older)
		if (p->pool[i].pid == x->pid && p->pool[i].code == enter_code)
			return find_slot(p, p->pool[i].tid);
	return NO_SLOT;
}

/*
 * Rewrites exit ev as an event of row `to` into p->conv: parameters matched
 * by name, those ev lacks left empty. 0, or -1 when ev is malformed or
 * memory is short.
 */
static int rewrite_as(struct scap_pairing *p, const struct scap_evt_hdr *ev, uint16_t to)
{
	const struct scap_event_info *from = scap_event_info(ev->type), *x = scap_event_info(to);
	uint32_t off[SCAP_MAX_PARAMS], total;
	uint16_t word[SCAP_MAX_PARAMS];
	int src[SCAP_MAX_PARAMS];

	if (!from || !x || ev->nparams != from->nparams || !param_offsets(ev, off, word))
		return -1;
	total = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * x->nparams;
	for (unsigned i = 0; i < x->nparams; i++) {
		src[i] = -1;
		for (unsigned k = 0; k < from->nparams && src[i] < 0; k++)
			if (strcmp(x->params[i].name, from->params[k].name) == 0)
				src[i] = (int)k;
		total += src[i] >= 0 ? WLEN(word[src[i]]) : 0;
	}
	if (reserve(&p->conv, &p->conv_cap, total) < 0)
		return -1;

	uint32_t pos = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * x->nparams;
	for (unsigned i = 0; i < x->nparams; i++) {
		uint16_t w = src[i] >= 0 ? word[src[i]] : 0;

		memcpy(p->conv + SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * i, &w, sizeof(w));
		if (WLEN(w))
			memcpy(p->conv + pos, (const uint8_t *)ev + off[src[i]], WLEN(w));
		pos += WLEN(w);
	}
	memcpy(p->conv, ev, SCAP_EVT_HDR_LEN);
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)p->conv;
	h->len = total;
	h->type = to;
	h->nparams = (uint8_t)x->nparams;
	return 0;
}

/*
 * The exit of a successful execveat comes as execve's on x86_64 (seen on
 * 6.18: the syscall number at exit is __NR_execve). When the thread's (or,
 * for a non-leader thread, its process's) pending enter is an execveat's,
 * the exit completes that execveat.
 */
static const struct scap_evt_hdr *execveat_exit(struct scap_pairing *p, const struct scap_evt_hdr *ev)
{
	uint32_t s = find_slot(p, ev->tid);

	if (p->table[s] == NO_SLOT && ev->tid == ev->pid)
		s = find_execve_by_pid(p, ev, SCAP_EV_EXECVEAT_E);
	if (s == NO_SLOT || p->table[s] == NO_SLOT || p->pool[p->table[s]].code != SCAP_EV_EXECVEAT_E)
		return ev;
	if (rewrite_as(p, ev, SCAP_EV_EXECVEAT_X) < 0)
		return ev;
	return (const struct scap_evt_hdr *)p->conv;
}

int scap_pairing_feed(struct scap_pairing *p, const struct scap_evt_hdr *ev,
		      const struct scap_evt_hdr **out)
{
	const struct row_map *m;

	if (ev->type >= SCAP_EV_MAX || (m = &p->rows[ev->type])->kind == ROW_PLAIN) {
		*out = ev;
		return 1;
	}
	if (m->kind == ROW_ENTER) {
		int err = hold_enter(p, ev);
		if (err < 0) {
			*out = ev;
			return err;
		}
		return 0;
	}

	if (ev->type == SCAP_EV_EXECVE_X) {
		ev = execveat_exit(p, ev);
		m = &p->rows[ev->type];
	}

	uint32_t s = find_slot(p, ev->tid);
	if (p->table[s] != NO_SLOT && p->pool[p->table[s]].code != m->enter_code) {
		/* This thread's pending enter belongs to another syscall that never exited for us. */
		SCAP_COUNT_ADD(p->st.stale, 1);
		remove_at(p, s);
		s = find_slot(p, ev->tid);
	}
	if (p->table[s] == NO_SLOT && (ev->type == SCAP_EV_EXECVE_X || ev->type == SCAP_EV_EXECVEAT_X) &&
	    ev->tid == ev->pid)
		s = find_execve_by_pid(p, ev, m->enter_code);
	if (s == NO_SLOT || p->table[s] == NO_SLOT) {
		SCAP_COUNT_ADD(p->st.orphan_exits, 1);
		return deliver_flagged(p, ev, SCAP_EVF_NO_ENTER, out);
	}

	struct pending *e = &p->pool[p->table[s]];
	int ret = merge(p, m, ev, (const struct scap_evt_hdr *)e->bytes, out);
	remove_at(p, s);
	return ret;
}

unsigned scap_pairing_pending(const struct scap_pairing *p)
{
	return p->used;
}

void scap_pairing_get_stats(const struct scap_pairing *p, struct scap_pairing_stats *st)
{
	*st = p->st;
}

/* ---- the core's stage interface (handle.h) ---- */
#include "handle.h"

static int stage_feed(void *st, const struct scap_evt_hdr *ev, const struct scap_evt_hdr **out)
{
	return scap_pairing_feed(st, ev, out);
}

static void stage_stats(void *st, struct scap_stats *out)
{
	const struct scap_pairing *p = st;

	/* toctou is counted by the core from the delivered events' flags. */
	out->pairing_evicted += SCAP_COUNT_GET(p->st.evicted);
	out->pairing_stale += SCAP_COUNT_GET(p->st.stale);
	out->pairing_orphan_exits += SCAP_COUNT_GET(p->st.orphan_exits);
}

static const struct scap_evt_hdr *stage_exit_copy(void *st, const struct scap_evt_hdr *ev)
{
	const struct scap_pairing *p = st;

	if (!p->out_is_paired || ev != (const struct scap_evt_hdr *)p->out)
		return NULL;
	return (const struct scap_evt_hdr *)p->exit_copy;
}

static void stage_free(void *st)
{
	scap_pairing_free(st);
}

int scap_event_exit_copy(struct scap *h, const struct scap_event *ev,
			 const struct scap_event **exit_ev)
{
	const struct scap_evt_hdr *x = NULL;

	if (!h)
		return -EINVAL;
	if (!ev || !exit_ev)
		return scap__seterr(h, -EINVAL, "scap_event_exit_copy: %s is NULL", ev ? "exit_ev" : "ev");
	if (h->stage.exit_copy)
		x = h->stage.exit_copy(h->stage.st, (const struct scap_evt_hdr *)ev);
	else if (h->ops && h->ops->exit_copy)
		x = h->ops->exit_copy(h->state, (const struct scap_evt_hdr *)ev);
	if (!x)
		return scap__seterr(h, -ENOENT,
				    "scap_event_exit_copy: the event is not the paired event scap_next delivered last "
				    "(or it has no exit-time copy)");
	*exit_ev = (const struct scap_event *)x;
	return 0;
}

int scap__pairing_stage(struct scap_stage *stage, unsigned max_pending)
{
	struct scap_pairing *p;
	int err = scap_pairing_new(&p, max_pending);

	if (err < 0)
		return err;
	stage->st = p;
	stage->feed = stage_feed;
	stage->stats = stage_stats;
	stage->free = stage_free;
	stage->exit_copy = stage_exit_copy;
	return 0;
}
