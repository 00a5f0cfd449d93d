// SPDX-License-Identifier: Apache-2.0
/*
 * bench_userspace: what the user-space path costs per event, with no kernel
 * in the way. The synthetic engine feeds scap_next; each variant does a bit
 * more per event:
 *   next         scap_next only (generation + ring + merge)
 *   next+decode  ... and every parameter decoded with scap_event_param
 *   next+json    ... and the event formatted as the CLI's JSON line
 * Each variant runs --runs times over --events events; the table gives the
 * median events/s and ns/event and the spread (min..max events/s).
 *
 *   bench_userspace [--events N] [--runs R] [--cpus C] [--snaplen S]
 * Generation is part of every row: subtract the "next" row to see what
 * decoding and formatting add.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scap/scap.h"

enum variant { V_NEXT, V_DECODE, V_JSON, V_MAX };
static const char *const vnames[V_MAX] = { "next", "next+decode", "next+json" };

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
	};
	static char json[128 * 1024];
	char err[SCAP_ERRBUF_SIZE];
	const struct scap_event *ev;
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
		} else {
			acc += scap_event_len(ev);
		}
	}
	*secs = now_s() - t0;
	sink = acc;
	scap_close(h);
	if (r != -ENODATA || n != events) {
		fprintf(stderr, "bench_userspace: stream ended with %d after %llu of %llu events\n", r,
			(unsigned long long)n, (unsigned long long)events);
		return -EIO;
	}
	return 0;
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
	double rate[V_MAX][64];
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
	printf("%-12s %14s %10s %24s\n", "variant", "events/s", "ns/event", "spread (events/s)");
	for (v = 0; v < V_MAX; v++) {
		double med;

		qsort(rate[v], runs, sizeof(double), cmp_d);
		med = runs % 2 ? rate[v][runs / 2] : (rate[v][runs / 2 - 1] + rate[v][runs / 2]) / 2;
		printf("%-12s %14.0f %10.1f %11.0f..%-12.0f\n", vnames[v], med, 1e9 / med, rate[v][0],
		       rate[v][runs - 1]);
	}
	return 0;
}
