// SPDX-License-Identifier: Apache-2.0
/*
 * Cross-engine conformance: two engines capture the same run of the
 * workload at the same time, and every event of the workload's threads (the
 * worker and its children, the new image's start-up included) must come out
 * of both with the same type, flags and parameter bytes, in the same order
 * per thread. Timestamps, CPUs and tids are not compared; threads are matched
 * by their role in the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conformance.h"

int conf_usable(const char *engine);

/*
 * Bigger buffers than the per-engine run: neither handle is read until the
 * workload is over, and the whole host's typed syscalls fill them meanwhile.
 */
#define CROSS_BUFFER_BYTES (32u << 20)

static struct scap *cross_open(struct live_test *t)
{
	struct scap_open_opts o = { .snaplen = LIVE_SNAPLEN, .syscalls = conf_syscalls(),
				    .buffer_bytes = CROSS_BUFFER_BYTES };

	return live_open(t, &o);
}

/* An event lost by either engine makes the streams differ for no fault of theirs: say so. */
static int no_drops(struct live_test *t, struct scap *h, const char *name)
{
	struct scap_stats st = { .sz = sizeof(st) };

	if (scap_get_stats(h, &st) == 0 && st.drops)
		return live_fail(t, "%s dropped %llu events (buffer full %llu) while the run was captured: "
				 "the host is too busy for a complete comparison", name,
				 (unsigned long long)st.drops, (unsigned long long)st.drops_buffer_full);
	return LIVE_PASS;
}

struct rec {
	unsigned role;   /* index in conf_run.tids */
	uint16_t type;
	uint8_t flags;
	uint32_t len;    /* parameter bytes (lengths and data) */
	uint8_t *bytes;
};

struct stream {
	struct rec *v;
	unsigned n, cap;
};

static int role_of(const struct conf_run *run, uint32_t tid)
{
	for (unsigned i = 0; i < run->ntids; i++)
		if (run->tids[i] == tid)
			return (int)i;
	return -1;
}

/* Reads h up to the worker's end marker, keeping the events of the run's threads. */
static int collect(struct live_test *t, struct scap *h, const struct conf_run *run, struct stream *s)
{
	uint64_t deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS;
	const struct scap_event *ev;
	struct scap_param p;
	int r, role;

	for (;;) {
		if (live_now_ms() > deadline)
			return live_fail(t, "the end of the run was not delivered within %d ms (%u events kept)",
					 LIVE_EVENT_DEADLINE_MS, s->n);
		r = scap_next(h, &ev, NULL, 100);
		if (r == -EAGAIN || r == -EINTR)
			continue;
		if (r < 0)
			return live_fail(t, "scap_next: %s (%s)", scap_last_error(h), strerror(-r));
		role = role_of(run, scap_event_tid(ev));
		if (role < 0)
			continue;
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 1024;
			s->v = realloc(s->v, s->cap * sizeof(*s->v));
			if (!s->v)
				return live_fail(t, "out of memory");
		}
		struct rec *rc = &s->v[s->n++];
		uint32_t off = SCAP_EVT_HDR_LEN;

		rc->role = (unsigned)role;
		rc->type = scap_event_type(ev);
		rc->flags = (uint8_t)scap_event_flags(ev);
		rc->len = scap_event_len(ev) - off;
		rc->bytes = malloc(rc->len ? rc->len : 1);
		if (!rc->bytes)
			return live_fail(t, "out of memory");
		memcpy(rc->bytes, (const uint8_t *)scap_event_bytes(ev) + off, rc->len);
		if (role == 0 && rc->type == SCAP_EV_CLOSE_X && scap_event_param_by_name(ev, "fd", &p) == 0 &&
		    p.v.i == CONF_END_FD)
			return LIVE_PASS;
	}
}

static void free_stream(struct stream *s)
{
	for (unsigned i = 0; i < s->n; i++)
		free(s->v[i].bytes);
	free(s->v);
}

/* The k-th event of role `role` in s, or NULL. */
static const struct rec *nth(const struct stream *s, unsigned role, unsigned k)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->v[i].role == role && k-- == 0)
			return &s->v[i];
	return NULL;
}

static int compare(struct live_test *t, const char *an, const struct stream *a, const char *bn,
		   const struct stream *b, unsigned nroles, unsigned *compared)
{
	*compared = 0;
	for (unsigned role = 0; role < nroles; role++) {
		for (unsigned k = 0;; k++) {
			const struct rec *x = nth(a, role, k), *y = nth(b, role, k);

			if (!x && !y)
				break;
			if (!x || !y)
				return live_fail(t, "thread %u of the run: %s has %s event #%u (%s) that %s lacks",
						 role, x ? an : bn, "an", k,
						 scap_event_info((x ? x : y)->type)->name, x ? bn : an);
			if (x->type != y->type || x->flags != y->flags || x->len != y->len ||
			    memcmp(x->bytes, y->bytes, x->len) != 0)
				return live_fail(t, "thread %u of the run, event #%u: %s gives %s (flags %#x, %u bytes), "
						 "%s gives %s (flags %#x, %u bytes)", role, k,
						 an, scap_event_info(x->type)->name, x->flags, x->len,
						 bn, scap_event_info(y->type)->name, y->flags, y->len);
			(*compared)++;
		}
	}
	return LIVE_PASS;
}

int conf_cross(const char *an, const char *bn)
{
	static struct conf_run run;
	struct live_test t = { .name = "cross" };
	struct stream a = { 0 }, b = { 0 };
	struct scap *ha = NULL, *hb = NULL;
	unsigned compared = 0;
	int r;

	if ((r = conf_usable(an)) != 0 || (r = conf_usable(bn)) != 0)
		return r;
	for (const char *const *e = (const char *const[]){ an, bn, NULL }; *e; e++) {
		live_engine = *e;
		if (live_no_task_btf()) {
			/* scap_conformance bpf checks those events on their own there. */
			printf("SKIP conformance cross (%s, %s): %s has no kernel BTF (or btf=0 forced) and "
			       "leaves empty the task values the other engine fills\n", an, bn, *e);
			return 77;
		}
	}
	live_engine = an;
	ha = cross_open(&t);
	live_engine = bn;
	hb = ha ? cross_open(&t) : NULL;
	if (!ha || !hb) {
		printf("FAIL conformance cross (%s, %s): %s\n", an, bn, t.msg);
		scap_close(ha);
		return 1;
	}
	r = LIVE_FAIL;
	if (conf_run_workload(&run) < 0)
		live_fail(&t, "the workload went off its script: %s", run.why);
	else if (collect(&t, ha, &run, &a) == LIVE_PASS && collect(&t, hb, &run, &b) == LIVE_PASS &&
		 no_drops(&t, ha, an) == LIVE_PASS && no_drops(&t, hb, bn) == LIVE_PASS)
		r = compare(&t, an, &a, bn, &b, run.ntids, &compared);
	if (r == LIVE_PASS && compared < run.n)
		r = live_fail(&t, "only %u events compared, the workload makes at least %u", compared, run.n);
	scap_close(ha);
	scap_close(hb);
	free_stream(&a);
	free_stream(&b);
	if (r != LIVE_PASS) {
		printf("FAIL conformance cross (%s, %s): %s\n", an, bn, t.msg);
		return 1;
	}
	printf("PASS conformance cross (%s, %s): %u events of %u threads identical\n", an, bn, compared,
	       run.ntids);
	return 0;
}
