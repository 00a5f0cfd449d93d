// SPDX-License-Identifier: Apache-2.0
/*
 * The process table as bytes, and back (snapshot.h). Little endian:
 *
 *   head     u32 version, u32 max_entries, u32 grace_ms, u32 nstrings,
 *            u32 nfs, u32 nentries, u64 now_ns, u32 0
 *   strings  nstrings x (u8 kind, u8 cut, u16 0, u32 len, len bytes); argv as
 *            events carry it (each string's NUL, then the array's)
 *   fs       nfs x u32 (string number of the cwd, 1-based; 0 none)
 *   entries  nentries x 120 bytes: u32 tid, pid, ppid, vtid, vpid, uid, gid,
 *            euid, egid, loginuid, known, flags; i32 exit_status; u64
 *            start_ns, exit_ns, src_ns, gone_ns; comm[16]; u32 exe, args,
 *            cgroup (string numbers, 1-based, 0 none), fs (1-based, 0 none);
 *            u8 on_ended, 3 x u8 0
 *
 * Entries come in the live list's order, then the ended FIFO's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap/capfile/capfile.h"
#include "snapshot.h"

#define KNOWN_BITS ((SCAP_PROC_HAS_EXIT << 1) - 1)
#define FLAG_BITS ((SCAP_PROC_F_FROM_SCAN << 1) - 1)

static void put_entry(uint8_t *p, const struct scap_proc_entry *e)
{
	const uint32_t u[12] = { e->tid, e->pid, e->ppid, e->vtid, e->vpid, e->uid, e->gid,
				 e->euid, e->egid, e->loginuid, e->known, e->flags };
	const uint64_t t[4] = { e->start_ns, e->exit_ns, e->src_ns, e->gone_ns };

	for (unsigned i = 0; i < 12; i++)
		scap_capfile_put32(p + 4 * i, u[i]);
	scap_capfile_put32(p + 48, (uint32_t)e->exit_status);
	for (unsigned i = 0; i < 4; i++)
		scap_capfile_put64(p + 52 + 8 * i, t[i]);
	memcpy(p + 84, e->comm, SCAP_PROC_COMM_LEN);
	scap_capfile_put32(p + 100, e->exe ? e->exe->idx : 0);
	scap_capfile_put32(p + 104, e->args ? e->args->idx : 0);
	scap_capfile_put32(p + 108, e->cgroup ? e->cgroup->idx : 0);
	scap_capfile_put32(p + 112, e->fs ? e->fs->idx : 0);
	p[116] = e->on_ended;
	p[117] = p[118] = p[119] = 0;
}

int scap_proc_snapshot_encode(struct scap_proctable *t, uint8_t **out, size_t *len)
{
	const struct scap_proc_list *lists[2] = { &t->live, &t->ended };
	uint32_t nstr = 0, nfs = 0, nent = 0;
	size_t total = SCAP_PROC_SNAPSHOT_HEAD;
	uint8_t *buf, *p;

	/* Number the strings and the working directories. */
	for (uint32_t b = 0; b < t->strs.nbuckets; b++)
		for (struct scap_pstr *s = t->strs.buckets[b]; s; s = s->next) {
			s->idx = ++nstr;
			total += SCAP_PROC_SNAPSHOT_STR_HEAD + s->len;
		}
	for (unsigned k = 0; k < 2; k++)
		for (struct scap_proc_entry *e = lists[k]->head; e; e = e->next)
			if (e->fs)
				e->fs->idx = 0;
	for (unsigned k = 0; k < 2; k++)
		for (struct scap_proc_entry *e = lists[k]->head; e; e = e->next) {
			if (e->fs && !e->fs->idx)
				e->fs->idx = ++nfs;
			nent++;
		}
	total += (size_t)nfs * SCAP_PROC_SNAPSHOT_FS + (size_t)nent * SCAP_PROC_SNAPSHOT_ENTRY;
	buf = malloc(total);
	if (!buf)
		return -ENOMEM;
	scap_capfile_put32(buf, SCAP_PROC_SNAPSHOT_VERSION);
	scap_capfile_put32(buf + 4, t->max);
	scap_capfile_put32(buf + 8, (uint32_t)(t->grace_ns / 1000000u));
	scap_capfile_put32(buf + 12, nstr);
	scap_capfile_put32(buf + 16, nfs);
	scap_capfile_put32(buf + 20, nent);
	scap_capfile_put64(buf + 24, t->now_ns);
	scap_capfile_put32(buf + 32, 0);
	p = buf + SCAP_PROC_SNAPSHOT_HEAD;
	/* Strings in number order: the buckets again, in the same order. */
	for (uint32_t b = 0; b < t->strs.nbuckets; b++)
		for (struct scap_pstr *s = t->strs.buckets[b]; s; s = s->next) {
			p[0] = s->kind;
			p[1] = s->cut;
			p[2] = p[3] = 0;
			scap_capfile_put32(p + 4, s->len);
			memcpy(p + 8, s->s, s->len);
			p += SCAP_PROC_SNAPSHOT_STR_HEAD + s->len;
		}
	/* Working directories in number order. */
	for (unsigned k = 0; k < 2; k++)
		for (struct scap_proc_entry *e = lists[k]->head; e; e = e->next)
			if (e->fs && e->fs->idx)
				scap_capfile_put32(p + (size_t)(e->fs->idx - 1) * SCAP_PROC_SNAPSHOT_FS,
						   e->fs->cwd ? e->fs->cwd->idx : 0);
	p += (size_t)nfs * SCAP_PROC_SNAPSHOT_FS;
	for (unsigned k = 0; k < 2; k++)
		for (struct scap_proc_entry *e = lists[k]->head; e; e = e->next) {
			put_entry(p, e);
			p += SCAP_PROC_SNAPSHOT_ENTRY;
		}
	*out = buf;
	*len = total;
	return 0;
}

struct dec {
	struct scap_proctable *t;
	struct scap_pstr **strs;
	struct scap_proc_fs **fs;
	uint32_t nstr, nfs;
	char *why;
	size_t whylen;
};

__attribute__((format(printf, 2, 3)))
static int bad(struct dec *d, const char *fmt, ...)
{
	va_list ap;

	if (d->why && d->whylen) {
		va_start(ap, fmt);
		vsnprintf(d->why, d->whylen, fmt, ap);
		va_end(ap);
	}
	return -EBADMSG;
}

/* String number n (1-based, 0 none) of kind; *out NULL for none. */
static int str_ref(struct dec *d, uint32_t n, enum scap_pstr_kind kind, const char *what, uint32_t tid,
		   struct scap_pstr **out)
{
	*out = NULL;
	if (!n)
		return 0;
	if (n > d->nstr || d->strs[n - 1]->kind != kind)
		return bad(d, "the entry of tid %u names string %u as its %s: %s", tid, n, what,
			   n > d->nstr ? "there is no such string" : "a string of another kind");
	*out = scap_pstr_ref(d->strs[n - 1]);
	return 0;
}

static int get_entry(struct dec *d, const uint8_t *p, uint32_t i)
{
	struct scap_proctable *t = d->t;
	struct scap_proc_entry *e;
	uint32_t u[12], tid = scap_capfile_get32(p), fsn = scap_capfile_get32(p + 112);
	int r;

	for (unsigned k = 0; k < 12; k++)
		u[k] = scap_capfile_get32(p + 4 * k);
	if (scap_proctable_find(t, tid))
		return bad(d, "entry %u: tid %u is there twice", i, tid);
	if (u[10] & ~(uint32_t)KNOWN_BITS)
		return bad(d, "entry %u (tid %u): unknown bits %#x in known", i, tid, u[10] & ~(uint32_t)KNOWN_BITS);
	if (u[11] & ~(uint32_t)FLAG_BITS)
		return bad(d, "entry %u (tid %u): unknown bits %#x in flags", i, tid, u[11] & ~(uint32_t)FLAG_BITS);
	if (!memchr(p + 84, '\0', SCAP_PROC_COMM_LEN))
		return bad(d, "entry %u (tid %u): comm is not NUL-terminated", i, tid);
	if (p[116] > 1 || p[117] || p[118] || p[119])
		return bad(d, "entry %u (tid %u): bad bytes 116-119", i, tid);
	if (fsn > d->nfs)
		return bad(d, "entry %u (tid %u): working directory %u of %u", i, tid, fsn, d->nfs);
	if (p[116] && !(u[11] & SCAP_PROC_F_ENDED))
		return bad(d, "entry %u (tid %u): on the ended list but not ended", i, tid);
	e = scap_proctable_insert(t, tid);
	if (!e)
		return -ENOMEM;
	e->pid = u[1];
	e->ppid = u[2];
	e->vtid = u[3];
	e->vpid = u[4];
	e->uid = u[5];
	e->gid = u[6];
	e->euid = u[7];
	e->egid = u[8];
	e->loginuid = u[9];
	e->known = u[10];
	e->flags = u[11];
	e->exit_status = (int32_t)scap_capfile_get32(p + 48);
	e->start_ns = scap_capfile_get64(p + 52);
	e->exit_ns = scap_capfile_get64(p + 60);
	e->src_ns = scap_capfile_get64(p + 68);
	e->gone_ns = scap_capfile_get64(p + 76);
	memcpy(e->comm, p + 84, SCAP_PROC_COMM_LEN);
	if ((r = str_ref(d, scap_capfile_get32(p + 100), SCAP_PSTR_PATH, "exe", tid, &e->exe)) < 0 ||
	    (r = str_ref(d, scap_capfile_get32(p + 104), SCAP_PSTR_ARGS, "args", tid, &e->args)) < 0 ||
	    (r = str_ref(d, scap_capfile_get32(p + 108), SCAP_PSTR_CGROUP, "cgroup", tid, &e->cgroup)) < 0)
		return r;
	e->fs = fsn ? scap_proc_fs_ref(d->fs[fsn - 1]) : NULL;
	if (p[116])
		scap_proctable_end(t, e, e->gone_ns);
	return 0;
}

static int decode(struct dec *d, const uint8_t *in, size_t len)
{
	struct scap_proctable *t = d->t;
	uint32_t version, max, grace_ms, nent;
	size_t off = SCAP_PROC_SNAPSHOT_HEAD;

	if (len < SCAP_PROC_SNAPSHOT_HEAD)
		return bad(d, "%zu bytes, fewer than its %u-byte head", len, SCAP_PROC_SNAPSHOT_HEAD);
	version = scap_capfile_get32(in);
	max = scap_capfile_get32(in + 4);
	grace_ms = scap_capfile_get32(in + 8);
	d->nstr = scap_capfile_get32(in + 12);
	d->nfs = scap_capfile_get32(in + 16);
	nent = scap_capfile_get32(in + 20);
	if (version != SCAP_PROC_SNAPSHOT_VERSION)
		return bad(d, "version %u, not %u", version, SCAP_PROC_SNAPSHOT_VERSION);
	if (max < SCAP_PROC_MIN_MAX || max > SCAP_PROC_MAX_MAX || nent > max || !grace_ms ||
	    grace_ms > SCAP_PROC_MAX_GRACE_MS ||
	    scap_capfile_get32(in + 32))
		return bad(d, "bad head: max_entries %u, grace %u ms, %u entries", max, grace_ms, nent);
	/* Each counted item takes at least its fixed bytes: the counts are bounded by len. */
	if ((uint64_t)d->nstr * SCAP_PROC_SNAPSHOT_STR_HEAD + (uint64_t)d->nfs * SCAP_PROC_SNAPSHOT_FS +
		    (uint64_t)nent * SCAP_PROC_SNAPSHOT_ENTRY > len - off)
		return bad(d, "%u strings, %u directories and %u entries do not fit in %zu bytes", d->nstr, d->nfs,
			   nent, len);
	t->max = max;
	t->grace_ns = (uint64_t)grace_ms * 1000000u;
	t->now_ns = scap_capfile_get64(in + 24);
	d->strs = calloc(d->nstr ? d->nstr : 1, sizeof(*d->strs));
	d->fs = calloc(d->nfs ? d->nfs : 1, sizeof(*d->fs));
	if (!d->strs || !d->fs)
		return -ENOMEM;
	for (uint32_t i = 0; i < d->nstr; i++) {
		const uint8_t *p = in + off;
		uint32_t slen;

		if (len - off < SCAP_PROC_SNAPSHOT_STR_HEAD)
			return bad(d, "string %u: cut at byte %zu", i + 1, off);
		slen = scap_capfile_get32(p + 4);
		if (p[0] >= SCAP_PSTR_KINDS || p[1] > 1 || p[2] || p[3] || !slen ||
		    slen > SCAP_MAX_EVENT_LEN ||
		    slen > len - off - SCAP_PROC_SNAPSHOT_STR_HEAD)
			return bad(d, "string %u at byte %zu: kind %u, length %u", i + 1, off, p[0], slen);
		/* Text is one C string; argv ends with its last string's NUL and its own. */
		if (p[0] == SCAP_PSTR_ARGS ? p[8 + slen - 1] != '\0' || (slen > 1 && p[8 + slen - 2] != '\0')
					   : memchr(p + 8, '\0', slen) != NULL)
			return bad(d, "string %u at byte %zu: %s", i + 1, off,
				   p[0] == SCAP_PSTR_ARGS ? "argv without its two final NULs" : "a NUL inside a path");
		d->strs[i] = scap_pstr_get(&t->strs, (enum scap_pstr_kind)p[0], (const char *)p + 8, slen, p[1]);
		if (!d->strs[i])
			return -ENOMEM;
		if (d->strs[i]->refs > 1)
			return bad(d, "string %u at byte %zu: the same as an earlier one", i + 1, off);
		off += SCAP_PROC_SNAPSHOT_STR_HEAD + slen;
	}
	if ((uint64_t)d->nfs * SCAP_PROC_SNAPSHOT_FS + (uint64_t)nent * SCAP_PROC_SNAPSHOT_ENTRY != len - off)
		return bad(d, "%zu bytes after the strings, for %u directories and %u entries", len - off, d->nfs,
			   nent);
	for (uint32_t i = 0; i < d->nfs; i++, off += SCAP_PROC_SNAPSHOT_FS) {
		uint32_t n = scap_capfile_get32(in + off);
		struct scap_pstr *cwd = NULL;

		if (n && (n > d->nstr || d->strs[n - 1]->kind != SCAP_PSTR_PATH))
			return bad(d, "working directory %u names string %u, not a path", i + 1, n);
		if (n)
			cwd = scap_pstr_ref(d->strs[n - 1]);
		d->fs[i] = scap_proc_fs_new(t, cwd);
		if (!d->fs[i])
			return -ENOMEM;
	}
	for (uint32_t i = 0; i < nent; i++, off += SCAP_PROC_SNAPSHOT_ENTRY) {
		int r = get_entry(d, in + off, i);

		if (r < 0)
			return r;
	}
	return 0;
}

int scap_proc_snapshot_decode(struct scap_proctable *t, const uint8_t *in, size_t len, char *why, size_t whylen)
{
	struct dec d = { .t = t, .why = why, .whylen = whylen };
	int r;

	scap_proctable_clear(t);
	r = decode(&d, in, len);
	/* The decoder's own references: the entries hold theirs. */
	for (uint32_t i = 0; d.strs && i < d.nstr; i++)
		scap_pstr_put(&t->strs, d.strs[i]);
	for (uint32_t i = 0; d.fs && i < d.nfs; i++)
		scap_proc_fs_put(t, d.fs[i]);
	free(d.strs);
	free(d.fs);
	if (r < 0)
		scap_proctable_clear(t);
	return r;
}
