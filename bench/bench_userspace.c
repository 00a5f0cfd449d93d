// SPDX-License-Identifier: Apache-2.0
/*
 * bench_userspace: what the user-space path costs per event, with no kernel
 * in the way. The synthetic engine feeds scap_next; each variant does a bit
 * more per event:
 *   next         scap_next only (generation + ring + merge), raw stream
 *   next+pairing scap_next with the enter/exit pairing stage (the default);
 *                rates count generated events, of which fewer are delivered
 *   next+decode  ... and every parameter decoded with scap_event_param
 *   next+json    ... and the event formatted as the CLI's JSON line
 *   next+text    ... or as the CLI's text line
 *   next+dump    ... or recorded with scap_dump_event into a capture file in
 *                $TMPDIR (default options: 256 KiB blocks, flush and
 *                fdatasync every second; use a tmpfs to leave the disk out)
 *   +proc        next+pairing with the process table on (the table applies the
 *                lifecycle rows and ages ended entries in scap_next; the other
 *                rows run with proc_off)
 *   +proc+lookup ... and scap_event_proc asked for every event: minus the
 *                next+pairing row, the table's whole cost per event
 * Each variant runs --runs times over --events events; the table gives the
 * median events/s and ns/event and the spread (min..max events/s).
 *
 *   bench_userspace [--events N] [--runs R] [--cpus C] [--snaplen S]
 * Generation is part of every row: subtract the "next" row to see what
 * decoding and formatting add. The "merge/N" rows time the core's merge
 * alone (scap_bufset_next over N in-memory buffers of prebuilt events).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scap/scap.h"
#include "scap/bufset.h"

enum variant { V_NEXT, V_PAIRED, V_DECODE, V_JSON, V_TEXT, V_DUMP, V_PROC, V_PROC_LOOKUP, V_MAX };
static const char *const vnames[V_MAX] = { "next", "next+pairing", "next+decode", "next+json", "next+text",
					   "next+dump", "+proc", "+proc+lookup" };

static volatile uint64_t sink; /* keeps the compiler from dropping the work */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_once(enum variant v, uint64_t events, unsigned cpus, unsigned snaplen, double *secs)
{
	struct scap_open_opts o = {
		.sz = sizeof(o), .synthetic_events = events, .synthetic_cpus = cpus,
		.synthetic_seed = 1, .snaplen = snaplen, .buffer_bytes = 8u << 20,
		.unpaired = v != V_PAIRED && v != V_PROC && v != V_PROC_LOOKUP,
		.proc_off = v != V_PROC && v != V_PROC_LOOKUP,
	};
	static char json[128 * 1024];
	char err[SCAP_ERRBUF_SIZE], path[256];
	const struct scap_event *ev;
	struct scap_dumper *d = NULL;
	struct scap *h;
	uint64_t n = 0, acc = 0;
	unsigned cpu;
	double t0;
	int r;

	r = scap_open(&h, "synthetic", &o, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "bench_userspace: %s\n", err);
		return r;
	}
	scap_start(h);
	if (v == V_DUMP) {
		snprintf(path, sizeof(path), "%s/bench_userspace_%d.scap", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
			 (int)getpid());
		if (scap_dump_open(&d, h, path, NULL) < 0) {
			fprintf(stderr, "bench_userspace: %s\n", scap_last_error(h));
			scap_close(h);
			return -EIO;
		}
	}
	t0 = now_s();
	while ((r = scap_next(h, &ev, &cpu, 0)) == 0) {
		n++;
		if (v == V_DECODE) {
			unsigned i, np = scap_event_nparams(ev);

			for (i = 0; i < np; i++) {
				struct scap_param p;

				if (scap_event_param(ev, i, &p) == 0)
					acc += p.v.u + p.len;
			}
		} else if (v == V_JSON) {
			acc += (uint64_t)scap_event_format_json(ev, cpu, json, sizeof(json));
		} else if (v == V_PROC_LOOKUP) {
			const struct scap_proc *p = scap_event_proc(h, ev);

			acc += p ? p->pid : 0;
		} else if (v == V_TEXT) {
			acc += (uint64_t)scap_event_format(ev, cpu, SCAP_FORMAT_TEXT, json, sizeof(json), NULL);
		} else if (v == V_DUMP) {
			acc += (uint64_t)scap_dump_event(d, ev, cpu);
		} else {
			acc += scap_event_len(ev);
		}
	}
	if (d) {
		scap_stop(h);
		acc += (uint64_t)scap_dump_close(d);
		unlink(path);
	}
	*secs = now_s() - t0;
	sink = acc;
	scap_close(h);
	if (r != -ENODATA || (o.unpaired ? n != events : n > events)) {
		fprintf(stderr, "bench_userspace: stream ended with %d after %llu of %llu events\n", r,
			(unsigned long long)n, (unsigned long long)events);
		return -EIO;
	}
	return 0;
}

/* In-memory buffers for the merge-only rows: prebuilt 32-byte events. */
struct mem_buf {
	struct scap_buf buf;
	uint8_t *evs;
	unsigned n, pos;
};

static const struct scap_evt_hdr *mem_peek(struct scap_buf *b)
{
	struct mem_buf *m = b->priv;

	return m->pos < m->n ? (const void *)(m->evs + 32u * m->pos) : NULL;
}

static void mem_consume(struct scap_buf *b)
{
	((struct mem_buf *)b->priv)->pos++;
}

static const struct scap_buf_ops mem_ops = { .peek = mem_peek, .consume = mem_consume };

static double run_merge(unsigned nbufs, uint64_t events)
{
	unsigned per = (unsigned)(events / nbufs), i, k, idx;
	struct mem_buf *m = calloc(nbufs, sizeof(*m));
	struct scap_bufset s;
	uint64_t x = 88172645463325252ull, acc = 0, n = 0;
	double t0, secs;

	scap_bufset_init(&s);
	for (i = 0; i < nbufs; i++) {
		uint64_t ts = 1000;

		m[i].buf.ops = &mem_ops;
		m[i].buf.priv = &m[i];
		m[i].evs = calloc(per, 32);
		m[i].n = per;
		for (k = 0; k < per; k++) {
			struct scap_evt_hdr h = { .len = 32 };

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			ts += 1 + x % (2u * nbufs);
			h.ts = ts;
			memcpy(m[i].evs + 32u * k, &h, sizeof(h));
		}
		scap_bufset_add(&s, &m[i].buf);
	}
	t0 = now_s();
	for (;;) {
		const struct scap_evt_hdr *e = scap_bufset_next(&s, &idx);

		if (!e)
			break;
		acc += e->ts + idx;
		n++;
	}
	secs = now_s() - t0;
	sink = acc;
	scap_bufset_free(&s);
	for (i = 0; i < nbufs; i++)
		free(m[i].evs);
	free(m);
	return (double)n / secs;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int parse_u(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || !*s || *end || *s == '-' ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long events = 2000000, runs = 5, cpus = 4, snaplen = 80;
	enum { NMERGE = 4 };
	static const unsigned merge_bufs[NMERGE] = { 1, 4, 16, 64 };
	double rate[V_MAX][64], mrate[NMERGE][64];
	int i, v;

	for (i = 1; i < argc; i++) {
		unsigned long long *dst = NULL;

		if (!strcmp(argv[i], "--events"))
			dst = &events;
		else if (!strcmp(argv[i], "--runs"))
			dst = &runs;
		else if (!strcmp(argv[i], "--cpus"))
			dst = &cpus;
		else if (!strcmp(argv[i], "--snaplen"))
			dst = &snaplen;
		if (!dst || i + 1 >= argc || parse_u(argv[++i], dst) < 0 || !*dst) {
			fprintf(stderr, "usage: %s [--events N] [--runs R (1..64)] [--cpus C] [--snaplen S]\n", argv[0]);
			return 2;
		}
	}
	if (runs > 64) {
		fprintf(stderr, "bench_userspace: --runs is at most 64\n");
		return 2;
	}
	printf("bench_userspace: synthetic engine, %llu events x %llu runs, %llu virtual CPUs, snaplen %llu\n",
	       events, runs, cpus, snaplen);
	/* Interleave variants so that machine noise spreads over all of them. */
	for (i = 0; i < (int)runs; i++)
		for (v = 0; v < V_MAX; v++) {
			double secs;

			if (run_once((enum variant)v, events, (unsigned)cpus, (unsigned)snaplen, &secs) < 0)
				return 1;
			rate[v][i] = (double)events / secs;
		}
	for (i = 0; i < (int)runs; i++)
		for (v = 0; v < NMERGE; v++)
			mrate[v][i] = run_merge(merge_bufs[v], events);
	printf("%-12s %14s %10s %24s\n", "variant", "events/s", "ns/event", "spread (events/s)");
	for (v = 0; v < V_MAX + NMERGE; v++) {
		double *r = v < V_MAX ? rate[v] : mrate[v - V_MAX];
		char name[32];
		double med;

		if (v < V_MAX)
			snprintf(name, sizeof(name), "%s", vnames[v]);
		else
			snprintf(name, sizeof(name), "merge/%u", merge_bufs[v - V_MAX]);
		qsort(r, runs, sizeof(double), cmp_d);
		med = runs % 2 ? r[runs / 2] : (r[runs / 2 - 1] + r[runs / 2]) / 2;
		printf("%-12s %14.0f %10.1f %11.0f..%-12.0f\n", name, med, 1e9 / med, r[0], r[runs - 1]);
	}
	return 0;
}
