/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The process table's strings: interned and reference counted, so that the
 * threads of a process, and the processes forked from one another, share
 * one copy of their executable, arguments, working directory and cgroup.
 * A string is immutable once made; an entry that changes a value drops its
 * reference to the old string and takes one on the new.
 *
 * A cgroup string carries its container id (container.h), computed once
 * when the string is made.
 */
#ifndef SCAP_PROC_PSTR_H
#define SCAP_PROC_PSTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum scap_pstr_kind {
	SCAP_PSTR_PATH = 0, /* exe, cwd */
	SCAP_PSTR_ARGS,     /* a string array as events carry it (layout 2): its strings, each
	                       with its NUL, then the array's own NUL (len >= 1; [] is one NUL) */
	SCAP_PSTR_CGROUP,   /* + the container id after the text */
	SCAP_PSTR_KINDS
};

struct scap_pstr {
	struct scap_pstr *next;  /* chain of its bucket */
	uint32_t refs;
	uint32_t len;            /* bytes of the value (args: with both final NULs) */
	uint32_t hash;
	uint8_t kind;
	uint8_t cut;             /* the value was cut at a limit (SCAP_PARAM_CUT: args at the argv
	                            limits, a path to its last components, relative) */
	uint16_t cid_off;        /* SCAP_PSTR_CGROUP: container id at s + cid_off */
	uint32_t idx;            /* scratch of the snapshot encoder (snapshot.c) */
	char s[];                /* the value, then a NUL (text kinds) */
};

struct scap_pstr_set {
	struct scap_pstr **buckets;
	uint32_t nbuckets;       /* a power of two */
	uint32_t count;
	uint64_t bytes;          /* strings and buckets */
};

void scap_pstr_set_init(struct scap_pstr_set *set);
/* Frees the buckets; every string must have been put back. */
void scap_pstr_set_free(struct scap_pstr_set *set);

/*
 * The string of kind with value s[0..len) (text kinds: len without a NUL;
 * args: len with both final NULs), with one more reference; made when new.
 * cut: the value's mark (interned apart from the same bytes unmarked).
 * NULL when out of memory or len is 0.
 */
struct scap_pstr *scap_pstr_get(struct scap_pstr_set *set, enum scap_pstr_kind kind, const char *s, uint32_t len,
				bool cut);

static inline struct scap_pstr *scap_pstr_ref(struct scap_pstr *p)
{
	if (p)
		p->refs++;
	return p;
}

/* Drops one reference (NULL is fine); the last one frees the string. */
void scap_pstr_put(struct scap_pstr_set *set, struct scap_pstr *p);

/* Replaces *slot by p (whose reference the slot takes over). */
static inline void scap_pstr_assign(struct scap_pstr_set *set, struct scap_pstr **slot, struct scap_pstr *p)
{
	struct scap_pstr *old = *slot;

	*slot = p;
	scap_pstr_put(set, old);
}

static inline const char *scap_pstr_cid(const struct scap_pstr *p)
{
	return p->s + p->cid_off;
}

#endif
