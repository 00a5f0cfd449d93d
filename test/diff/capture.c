// SPDX-License-Identifier: Apache-2.0
/* The capture side of the differential test (capture.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scap/scap.h"
#include "capture.h"

/* Events of tasks not (yet) known to descend from strace wait this long for their parent's clone return. */
#define PENDING_NS (3ull * 1000000000ull)
#define PENDING_MAX (1u << 21)
/* After strace ends, events stamped up to this much later are still read (the merge holds the newest back). */
#define SETTLE_NS (300ull * 1000000ull)

/* ---- a set of ids (tids and tgids) --------------------------------------------------------------- */

struct idset {
	uint32_t *v; /* 0 = empty slot (no task has id 0) */
	size_t cap, n;
};

static bool idset_has(const struct idset *s, uint32_t id)
{
	if (!s->cap)
		return false;
	for (size_t i = (id * 2654435761u) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == id)
			return true;
		if (!s->v[i])
			return false;
	}
}

static int idset_add(struct idset *s, uint32_t id)
{
	if (!id || idset_has(s, id))
		return 0;
	if (2 * (s->n + 1) > s->cap) {
		struct idset b = { .cap = s->cap ? 2 * s->cap : 256 };

		b.v = calloc(b.cap, sizeof(*b.v));
		if (!b.v)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				idset_add(&b, s->v[i]);
		free(s->v);
		*s = b;
	}
	for (size_t i = (id * 2654435761u) & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
		if (!s->v[i]) {
			s->v[i] = id;
			s->n++;
			return 0;
		}
}

/* ---- the queue of events of tasks not known yet ----------------------------------------------------- */

struct pend {
	struct cap_event *q;
	uint64_t *ts;
	size_t head, n, cap; /* a ring of cap entries */
};

static void pend_pop(struct pend *p)
{
	free(p->q[p->head].bytes);
	p->q[p->head].bytes = NULL;
	p->head = (p->head + 1) % p->cap;
	p->n--;
}

static int keep(struct cap_run *r, uint32_t tid, uint8_t *bytes)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? 2 * r->cap : 4096;
		struct cap_event *ne = realloc(r->ev, nc * sizeof(*ne));

		if (!ne)
			return -1;
		r->ev = ne;
		r->cap = nc;
	}
	r->ev[r->n++] = (struct cap_event){ .tid = tid, .bytes = bytes };
	return 0;
}

static uint8_t *copy_event(const struct scap_event *ev)
{
	uint8_t *b = malloc(scap_event_len(ev));

	if (b)
		memcpy(b, scap_event_bytes(ev), scap_event_len(ev));
	return b;
}

/* A new task of ours: its queued events become ours, in their order. */
static int adopt(struct cap_run *r, struct pend *p, uint32_t id)
{
	for (size_t k = 0; k < p->n; k++) {
		struct cap_event *e = &p->q[(p->head + k) % p->cap];
		const struct scap_event *ev = (const struct scap_event *)e->bytes;

		if (!e->bytes || (scap_event_tid(ev) != id && scap_event_pid(ev) != id))
			continue;
		if (keep(r, e->tid, e->bytes) < 0)
			return -1;
		e->bytes = NULL;
	}
	return 0;
}

/* A return of the clone family: *res is the new task's tid in the parent, 0 in the new task. */
static bool clone_return(const struct scap_event *ev, int64_t *res)
{
	uint16_t t = scap_event_type(ev);
	struct scap_param p;

	if (t != SCAP_EV_CLONE_X && t != SCAP_EV_FORK_X && t != SCAP_EV_VFORK_X && t != SCAP_EV_CLONE3_X)
		return false;
	if (scap_event_param(ev, 0, &p) != 0 || p.len != 8 || p.v.i < 0)
		return false;
	*res = p.v.i;
	return true;
}

static uint64_t boottime_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_BOOTTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static double mono_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static pid_t start_strace(const struct cap_opts *o)
{
	char out[4096], snap[16];
	const char *head[] = { o->strace, "-f", "-ff", "-o", out, "-qq", "-e", "signal=none", "-X", "raw", "-xx",
			       "-v", "-s", snap, "-n", "--" };
	size_t nh = sizeof(head) / sizeof(head[0]), na = 0;
	char **argv;
	pid_t c;

	snprintf(out, sizeof(out), "%s/t", o->dir);
	snprintf(snap, sizeof(snap), "%u", o->snaplen);
	while (o->argv[na])
		na++;
	argv = calloc(nh + na + 1, sizeof(*argv));
	if (!argv)
		return -1;
	for (size_t i = 0; i < nh; i++)
		argv[i] = (char *)head[i];
	for (size_t i = 0; i < na; i++)
		argv[nh + i] = o->argv[i];
	fflush(NULL);
	c = fork();
	if (c == 0) {
		execvp(o->strace, argv);
		fprintf(stderr, "scap_strace_diff: cannot run %s: %s\n", o->strace, strerror(errno));
		_exit(127);
	}
	free(argv);
	return c;
}

int cap_run(const struct cap_opts *o, struct cap_run *r)
{
	struct scap_open_opts so = { .sz = sizeof(so), .snaplen = o->snaplen, .buffer_bytes = 32u << 20 };
	char err[SCAP_ERRBUF_SIZE] = "";
	struct idset ids = { 0 };
	struct pend p = { .cap = PENDING_MAX };
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap *h = NULL;
	uint64_t end_ts = 0;
	bool done = false;
	struct idset gone = { 0 };    /* tasks whose queued events were dropped */
	struct idset foreign = { 0 }; /* tasks seen first mid-way: older than strace, not ours */
	struct idset newborn = { 0 }; /* tasks seen first at their own clone return: queued */
	double t0;
	pid_t s = -1;
	int rc = -1, e;

	memset(r, 0, sizeof(*r));
	p.q = calloc(p.cap, sizeof(*p.q));
	p.ts = calloc(p.cap, sizeof(*p.ts));
	if (!p.q || !p.ts) {
		snprintf(r->why, sizeof(r->why), "out of memory");
		goto out;
	}
	e = scap_open(&h, o->engine, &so, err, sizeof(err));
	if (e < 0) {
		snprintf(r->why, sizeof(r->why), "scap_open(%s): %.400s", o->engine, err);
		goto out;
	}
	if ((e = scap_start(h)) < 0) {
		snprintf(r->why, sizeof(r->why), "scap_start: %s", scap_last_error(h));
		goto out;
	}
	t0 = mono_s();
	s = start_strace(o);
	if (s < 0 || idset_add(&ids, (uint32_t)s) < 0) {
		snprintf(r->why, sizeof(r->why), "cannot start strace: %s", strerror(errno));
		goto out;
	}
	while (!done) {
		const struct scap_event *ev;
		uint32_t tid, pid;
		int64_t res;
		uint8_t *b;

		if (!end_ts && waitpid(s, &r->status, WNOHANG) == s) {
			r->seconds = mono_s() - t0;
			end_ts = boottime_ns() + SETTLE_NS;
		}
		e = scap_next(h, &ev, NULL, 50);
		if (e == -EAGAIN || e == -EINTR) {
			if (end_ts && boottime_ns() > end_ts + SETTLE_NS)
				done = true;
			continue;
		}
		if (e < 0) {
			snprintf(r->why, sizeof(r->why), "scap_next: %s", scap_last_error(h));
			goto out;
		}
		if (end_ts && scap_event_ts(ev) > end_ts) {
			done = true;
			continue;
		}
		tid = scap_event_tid(ev);
		pid = scap_event_pid(ev);
		if (idset_has(&ids, tid) || idset_has(&ids, pid)) {
			if (!(b = copy_event(ev)) || keep(r, tid, b) < 0)
				goto oom;
			if (clone_return(ev, &res) && res > 0) {
				uint32_t child = (uint32_t)res;

				if (idset_add(&ids, child) < 0 || adopt(r, &p, child) < 0)
					goto oom;
				/* Its first events may have left the queue before its parent's return came. */
				r->pending_lost += idset_has(&gone, child);
			}
			continue;
		}
		/*
		 * Not ours yet. A task whose first event is not its own clone
		 * return existed before strace: never ours (the cheap common case
		 * on a busy host). A new one is queued until its parent's return
		 * says whose it is.
		 */
		if (idset_has(&foreign, tid))
			continue;
		if (!idset_has(&newborn, tid)) {
			if (!clone_return(ev, &res) || res != 0) {
				if (idset_add(&foreign, tid) < 0)
					goto oom;
				continue;
			}
			if (idset_add(&newborn, tid) < 0)
				goto oom;
		}
		while (p.n && (p.n == p.cap || p.ts[p.head] + PENDING_NS < scap_event_ts(ev))) {
			if (p.q[p.head].bytes) {
				const struct scap_event *old = (const struct scap_event *)p.q[p.head].bytes;

				if (idset_add(&gone, scap_event_tid(old)) < 0 || idset_add(&gone, scap_event_pid(old)) < 0)
					goto oom;
			}
			pend_pop(&p);
		}
		if (!(b = copy_event(ev)))
			goto oom;
		p.q[(p.head + p.n) % p.cap] = (struct cap_event){ .tid = tid, .bytes = b };
		p.ts[(p.head + p.n) % p.cap] = scap_event_ts(ev);
		p.n++;
	}
	scap_get_stats(h, &st);
	r->drops = st.drops;
	r->out_of_order = st.out_of_order;
	rc = 0;
	goto out;
oom:
	snprintf(r->why, sizeof(r->why), "out of memory");
out:
	if (rc < 0 && s > 0) {
		kill(s, SIGKILL);
		waitpid(s, NULL, 0);
	}
	scap_close(h);
	while (p.n)
		pend_pop(&p);
	free(p.q);
	free(p.ts);
	free(ids.v);
	free(gone.v);
	free(foreign.v);
	free(newborn.v);
	return rc;
}

void cap_free(struct cap_run *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->ev[i].bytes);
	free(r->ev);
	memset(r, 0, sizeof(*r));
}
