// SPDX-License-Identifier: Apache-2.0
#include <stdlib.h>
#include <string.h>

#include "scap/scap.h"
#include "pstr.h"

#define PSTR_MIN_BUCKETS 256u

static uint32_t pstr_hash(enum scap_pstr_kind kind, const char *s, uint32_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)kind;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

void scap_pstr_set_init(struct scap_pstr_set *set)
{
	memset(set, 0, sizeof(*set));
}

void scap_pstr_set_free(struct scap_pstr_set *set)
{
	free(set->buckets);
	memset(set, 0, sizeof(*set));
}

static int rehash(struct scap_pstr_set *set, uint32_t n)
{
	struct scap_pstr **b = calloc(n, sizeof(*b));

	if (!b)
		return -1;
	for (uint32_t i = 0; i < set->nbuckets; i++) {
		struct scap_pstr *p = set->buckets[i], *next;

		for (; p; p = next) {
			next = p->next;
			p->next = b[p->hash & (n - 1)];
			b[p->hash & (n - 1)] = p;
		}
	}
	set->bytes -= (uint64_t)set->nbuckets * sizeof(*b);
	set->bytes += (uint64_t)n * sizeof(*b);
	free(set->buckets);
	set->buckets = b;
	set->nbuckets = n;
	return 0;
}

struct scap_pstr *scap_pstr_get(struct scap_pstr_set *set, enum scap_pstr_kind kind, const char *s, uint32_t len,
				bool cut)
{
	uint32_t h = pstr_hash(kind, s, len);
	struct scap_pstr *p;
	size_t extra = 0;

	if (!len)
		return NULL;
	if (!set->nbuckets && rehash(set, PSTR_MIN_BUCKETS) < 0)
		return NULL;
	for (p = set->buckets[h & (set->nbuckets - 1)]; p; p = p->next)
		if (p->hash == h && p->len == len && p->kind == kind && p->cut == cut &&
		    memcmp(p->s, s, len) == 0)
			return scap_pstr_ref(p);
	if (kind == SCAP_PSTR_CGROUP)
		extra = SCAP_PROC_CONTAINER_ID_LEN;
	p = malloc(sizeof(*p) + len + 1 + extra);
	if (!p)
		return NULL;
	p->refs = 1;
	p->len = len;
	p->hash = h;
	p->kind = (uint8_t)kind;
	p->cut = cut;
	memcpy(p->s, s, len);
	p->s[len] = '\0';
	p->cid_off = 0;
	if (kind == SCAP_PSTR_CGROUP) {
		/* Paths longer than 64 KiB are cut by every engine long before. */
		p->cid_off = (uint16_t)(len + 1 < UINT16_MAX ? len + 1 : 0);
		if (p->cid_off)
			scap_container_id(p->s, p->s + p->cid_off, SCAP_PROC_CONTAINER_ID_LEN);
	}
	p->next = set->buckets[h & (set->nbuckets - 1)];
	set->buckets[h & (set->nbuckets - 1)] = p;
	set->count++;
	set->bytes += sizeof(*p) + len + 1 + extra;
	if (set->count > set->nbuckets)
		rehash(set, set->nbuckets * 2); /* a failure only makes chains longer */
	return p;
}

void scap_pstr_put(struct scap_pstr_set *set, struct scap_pstr *p)
{
	struct scap_pstr **pp;

	if (!p || --p->refs)
		return;
	for (pp = &set->buckets[p->hash & (set->nbuckets - 1)]; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	set->count--;
	set->bytes -= sizeof(*p) + p->len + 1 + (p->kind == SCAP_PSTR_CGROUP ? SCAP_PROC_CONTAINER_ID_LEN : 0);
	free(p);
	if (set->nbuckets > PSTR_MIN_BUCKETS && set->count < set->nbuckets / 8)
		rehash(set, set->nbuckets / 2);
}
