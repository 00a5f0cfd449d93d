// SPDX-License-Identifier: Apache-2.0
/*
 * bench_proc: what the process table costs (docs/performance.md, "Process
 * table"). Prints figures; asserts nothing.
 *
 *   bench_proc scan [--runs R] [--threads N]...
 *       Starts N extra threads (in processes of 50 threads each), then scans
 *       /proc R times into a fresh table, with one reading thread and with
 *       one per CPU in turn: median times, threads scanned, the
 *       table's bytes per thread (entries and index, then strings apart) and
 *       the scanning process's resident memory growth. Default N: 1000 and
 *       10000. Wall and CPU time (of every thread of the scan; the CPU time
 *       leaves out the time other work on a shared host held the CPU).
 *       Reads other processes' /proc files: run it as root.
 *   bench_proc lookup [--runs R] [--events N] [--threads T] [--lifecycle-permille P] [--burst B]
 *       The table's path in scap_next and scap_event_proc on a prebuilt
 *       stream of N events (default 2,000,000), back to back in memory, from
 *       T threads (default 10,000), P per mille of them lifecycle rows
 *       (default 10: a short-lived process every 300 events), the others
 *       openat of a random thread in runs of B events (default 1: every
 *       event another thread, the worst case): per event, ns
 *       for the table's part of scap_next, and with the lookup of the event's
 *       process, each minus a baseline that reads every event's header in
 *       the same run. No engine, no decoding: the table's cost only. Times
 *       are this thread's CPU time (a shared host's other work stays out,
 *       except the cache lines it takes).
 *   bench_proc churn [--processes N]
 *       N short-lived processes (default 1,000,000; fork, exec, exit) fed to
 *       the table as events at 20,000 per second of stream time, over 300
 *       long-lived threads: the table's bytes and the heap's in-use bytes
 *       before, at the peak, and once the last grace period is over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scap/scap.h"
#include "scap/event_builder.h"
#include "scap/proc/proctable.h"
#include "scap/proc/scan.h"
#include "scap/proc/update.h"
#include "scap/proc/track.h"

#define MAX_RUNS 64
#define THREADS_PER_PROC 50

static volatile uint64_t sink;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * CPU time, of this thread or of the whole process (the scan's workers): on
 * a shared host a wall clock also counts the time others held the CPU; the
 * CPU time counts only ours (cache misses caused by others stay in it).
 */
static double cpu_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	return cpu_of(CLOCK_THREAD_CPUTIME_ID);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* ---- scan ---------------------------------------------------------------------------- */

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* A process holding n threads (itself included) until killed; its pid, or -1. */
static pid_t spawn_threads(unsigned n, int ready_fd)
{
	pid_t c = fork();

	if (c != 0)
		return c;
	{
		pthread_attr_t a;
		pthread_t th;

		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, 64 * 1024);
		for (unsigned i = 1; i < n; i++)
			if (pthread_create(&th, &a, sleeper, NULL) != 0)
				_exit(1);
		if (write(ready_fd, "r", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
}

static int bench_scan(unsigned runs, const unsigned *counts, unsigned ncounts)
{
	printf("| extra threads | threads scanned | processes | scan, wall, 1 worker | scan, wall, a worker per CPU | "
	       "scan, CPU (all workers) | CPU per thread | table bytes per thread: entries+index | strings | "
	       "RSS growth of the scanner |\n");
	printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (unsigned k = 0; k < ncounts; k++) {
		unsigned nproc = (counts[k] + THREADS_PER_PROC - 1) / THREADS_PER_PROC, ready = 0;
		pid_t *pids = calloc(nproc, sizeof(*pids));
		double secs[2][MAX_RUNS], cpu[2][MAX_RUNS];
		struct scap_proc_scan_result res = { 0 };
		uint64_t bytes = 0, str_bytes = 0, count = 0;
		long rss0, rss1 = 0;
		int p[2];
		char c;

		if (!pids || pipe(p) < 0)
			return 1;
		for (unsigned i = 0; i < nproc; i++)
			pids[i] = spawn_threads(THREADS_PER_PROC, p[1]);
		while (ready < nproc && read(p[0], &c, 1) == 1)
			ready++;
		close(p[0]);
		close(p[1]);
		rss0 = rss_kb();
		/* One worker and one per CPU, alternating, so that both see the same host. */
		for (unsigned r = 0; r < runs; r++) {
			for (unsigned v = 0; v < 2; v++) {
				struct scap_proctable t;
				double c0 = cpu_of(CLOCK_PROCESS_CPUTIME_ID);

				scap_proctable_init(&t, 0, 0);
				if (scap_proc_scan(&t, NULL, v ? 0 : 1, &res) < 0) {
					fprintf(stderr, "bench_proc: the scan failed\n");
					return 1;
				}
				cpu[v][r] = cpu_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
				secs[v][r] = (double)res.ns / 1e9;
				count = t.count;
				str_bytes = t.strs.bytes;
				bytes = scap_proctable_bytes(&t) - str_bytes;
				if (rss_kb() - rss0 > rss1)
					rss1 = rss_kb() - rss0;
				scap_proctable_free(&t);
			}
		}
		for (unsigned i = 0; i < nproc; i++)
			if (pids[i] > 0)
				kill(pids[i], SIGKILL);
		for (unsigned i = 0; i < nproc; i++)
			if (pids[i] > 0)
				waitpid(pids[i], NULL, 0);
		free(pids);
		{
			double m1 = median(secs[0], runs), m = median(secs[1], runs), mc = median(cpu[1], runs);

			printf("| %u | %llu | %llu | %.3f s | %.3f s | %.3f s | %.1f µs | %.0f B | %.0f B | %ld kB |\n",
			       counts[k], (unsigned long long)count, (unsigned long long)res.processes, m1, m, mc,
			       mc * 1e6 / (double)count, (double)bytes / (double)count, (double)str_bytes / (double)count,
			       rss1);
		}
		fflush(stdout);
	}
	return 0;
}

/* ---- crafted events ------------------------------------------------------------------- */

struct kv {
	const char *name;
	uint64_t u;
	const char *s;
	const void *b;
	uint32_t blen;
};

/* Builds event code with the named values (the others empty) into a new allocation. */
static struct scap_evt_hdr *mk(uint16_t code, uint32_t tid, uint32_t pid, uint64_t ts, const struct kv *kv, unsigned n)
{
	const struct scap_event_info *info = scap_event_info(code);
	struct scap_bval vals[SCAP_MAX_PARAMS];
	struct scap_bhdr h = { .ts = ts, .tid = tid, .pid = pid };
	static uint8_t buf[65536];
	struct scap_evt_hdr *out;
	int len;

	memset(vals, 0, sizeof(vals));
	for (unsigned i = 0; i < info->nparams; i++)
		vals[i].empty = true;
	for (unsigned k = 0; k < n; k++)
		for (unsigned i = 0; i < info->nparams; i++)
			if (!strcmp(info->params[i].name, kv[k].name)) {
				vals[i].empty = false;
				vals[i].u = kv[k].u;
				vals[i].p = kv[k].s ? (const void *)kv[k].s : kv[k].b;
				vals[i].len = kv[k].s ? 0 : kv[k].blen;
			}
	len = scap_event_build(buf, sizeof(buf), code, &h, vals, info->nparams);
	if (len < 0)
		abort();
	out = malloc((size_t)len);
	memcpy(out, buf, (size_t)len);
	return out;
}

static const char argv_job[] = "/usr/bin/job\0--input\0/data/in.csv\0--verbose\0"; /* with the array's NUL */

static struct scap_evt_hdr *ev_fork(uint32_t tid, uint32_t ppid, uint64_t ts)
{
	const struct kv kv[] = {
		{ "res", 0 }, { "flags", 17 }, { "ppid", ppid }, { "comm", 0, "bash" }, { "exe", 0, "/usr/bin/bash" },
		{ "uid", 1000 }, { "gid", 1000 }, { "euid", 1000 }, { "cwd", 0, "/home/user/work" },
		{ "cgroup", 0, "/user.slice/user-1000.slice/session-2.scope" }, { "vtid", tid }, { "vpid", tid },
	};
	return mk(SCAP_EV_FORK_X, tid, tid, ts, kv, sizeof(kv) / sizeof(kv[0]));
}

static struct scap_evt_hdr *ev_exec(uint32_t tid, uint64_t ts)
{
	const struct kv kv[] = {
		{ "res", 0 }, { "pathname", 0, "/usr/bin/job" }, { "argv", 0, NULL, argv_job, sizeof(argv_job) },
		{ "exe", 0, "/usr/bin/job" }, { "comm", 0, "job" }, { "ppid", 1 }, { "uid", 1000 }, { "gid", 1000 },
		{ "cwd", 0, "/home/user/work" }, { "cgroup", 0, "/user.slice/user-1000.slice/session-2.scope" },
		{ "euid", 1000 }, { "egid", 1000 }, { "loginuid", 1000 }, { "old_tid", tid },
	};
	return mk(SCAP_EV_EXECVE_X, tid, tid, ts, kv, sizeof(kv) / sizeof(kv[0]));
}

static struct scap_evt_hdr *ev_exit(uint32_t tid, uint64_t ts)
{
	const struct kv kv[] = { { "status", 0 }, { "code", 0 }, { "sig", 0 }, { "core", 0 }, { "last", 1 } };

	return mk(SCAP_EV_PROCEXIT_E, tid, tid, ts, kv, sizeof(kv) / sizeof(kv[0]));
}

static struct scap_evt_hdr *ev_openat(uint32_t tid, uint64_t ts)
{
	const struct kv kv[] = { { "res", 3 }, { "dirfd", (uint64_t)-100 }, { "pathname", 0, "/etc/passwd" },
				 { "flags", 0 }, { "mode", 0 } };

	return mk(SCAP_EV_OPENAT_X, tid, tid, ts, kv, sizeof(kv) / sizeof(kv[0]));
}

/* ---- lookup ------------------------------------------------------------------------------ */

static int bench_lookup(unsigned runs, uint64_t events, uint32_t threads, unsigned permille, unsigned burst)
{
	const struct scap_proc_rows *rows = scap_proc_rows_get();
	struct scap_evt_hdr **evs = malloc(events * sizeof(*evs));
	double tick_ns[MAX_RUNS], look_ns[MAX_RUNS], base_ns[MAX_RUNS];
	uint64_t x = 88172645463325252ull, found = 0;
	uint8_t *arena_keep = NULL;

	if (!evs)
		return 1;
	/* 1 % lifecycle (a thread forks, the child execs and ends), the rest openat
	 * of random threads: the table's size stays about `threads`. */
	for (uint64_t i = 0; i < events; i++) {
		uint64_t ts = 1000000000ull + i * 1000;
		uint32_t tid;

		/* A thread's syscalls come in runs of `burst` events. */
		if (i % burst == 0) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		tid = 1000 + (uint32_t)(x % threads);
		/* Each short-lived process is three rows: fork, exec, exit. */
		uint64_t period = permille ? 3000 / permille : 0, child = period ? i / period : 0;

		if (period && i % period < 3) {
			uint32_t ctid = 200000 + (uint32_t)(child % 50000);

			evs[i] = i % period == 0 ? ev_fork(ctid, tid, ts) : i % period == 1 ? ev_exec(ctid, ts)
										  : ev_exit(ctid, ts);
		} else {
			evs[i] = ev_openat(tid, ts);
		}
	}
	/* Back to back in one buffer, as events sit in a ring. */
	{
		size_t total = 0, off = 0;
		uint8_t *arena;

		for (uint64_t i = 0; i < events; i++)
			total += evs[i]->len;
		arena = malloc(total);
		if (!arena)
			return 1;
		for (uint64_t i = 0; i < events; i++) {
			uint32_t len = evs[i]->len;

			memcpy(arena + off, evs[i], len);
			free(evs[i]);
			evs[i] = (struct scap_evt_hdr *)(arena + off);
			off += len;
		}
		arena_keep = arena;
	}
	for (unsigned r = 0; r < runs; r++) {
		/* The baseline: reading each event's header as scap_next's caller would. */
		{
			double t0 = cpu_s();
			uint64_t acc = 0;

			for (uint64_t i = 0; i < events; i++)
				acc += evs[i]->ts + evs[i]->tid + evs[i]->type;
			sink = acc;
			base_ns[r] = (cpu_s() - t0) * 1e9 / (double)events;
		}
		for (int with_lookup = 0; with_lookup < 2; with_lookup++) {
			struct scap_proc_track *tr = calloc(1, sizeof(*tr));
			struct scap_proctable *t = &tr->table;
			double t0, secs;
			uint64_t acc = 0;

			scap_proctable_init(t, 0, 0);
			for (uint32_t k = 0; k < threads; k++) {
				struct scap_evt_hdr *e = ev_fork(1000 + k, 1, 1000 + k);

				scap_proc_apply(t, rows, e, NULL);
				free(e);
			}
			t0 = cpu_s();
			for (uint64_t i = 0; i < events; i++) {
				const struct scap_evt_hdr *ev = evs[i];

				/* scap_next's part (track.h: scap__proc_next) */
				scap_proctable_tick(t, ev->ts);
				if (scap_proc_role(rows, ev->type) != SCAP_PROC_ROLE_NONE)
					scap_proc_apply(t, rows, ev, NULL);
				/* scap_event_proc's (api.c) */
				if (with_lookup) {
					const struct scap_proc *p = scap__proc_event_lookup(tr, ev->tid, ev->ts);

					if (p) {
						acc += p->pid;
						found++;
					}
				}
			}
			secs = cpu_s() - t0;
			sink = acc;
			(with_lookup ? look_ns : tick_ns)[r] = secs * 1e9 / (double)events;
			scap_proctable_free(t);
			free(tr);
		}
	}
	{
		double d1[MAX_RUNS], d2[MAX_RUNS];

		for (unsigned r = 0; r < runs; r++) {
			d1[r] = tick_ns[r] - base_ns[r];
			d2[r] = look_ns[r] - base_ns[r];
		}
		printf("| reading the events (baseline) | the table's part of scap_next | + scap_event_proc | events | "
		       "lifecycle rows | threads | run of one thread | lookups that found |\n"
		       "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		printf("| %.1f ns/event | %.1f ns/event | %.1f ns/event | %llu | %.1f %% | %u | %u | %.1f %% |\n",
		       median(base_ns, runs), median(d1, runs), median(d2, runs), (unsigned long long)events,
		       permille / 10.0, threads, burst, 100.0 * (double)found / (double)(events * runs));
	}
	free(arena_keep);
	free(evs);
	return 0;
}

/* ---- churn --------------------------------------------------------------------------------- */

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static int bench_churn(uint64_t processes)
{
	const struct scap_proc_rows *rows = scap_proc_rows_get();
	struct scap_proctable t;
	uint64_t ts = 1000000000ull, step = 50000; /* 20,000 processes per second of stream time */
	uint64_t peak = 0, steady, peak_count = 0;
	size_t heap0, heap_peak = 0, heap1;
	double t0, secs;

	scap_proctable_init(&t, 0, 0);
	for (uint32_t k = 0; k < 300; k++) {
		struct scap_evt_hdr *e = ev_fork(100 + k, 1, ts++);

		scap_proc_apply(&t, rows, e, NULL);
		free(e);
	}
	steady = scap_proctable_bytes(&t);
	malloc_trim(0);
	heap0 = heap_in_use();
	t0 = now_s();
	for (uint64_t i = 0; i < processes; i++) {
		uint32_t tid = 1000 + (uint32_t)(i % 30000);
		struct scap_evt_hdr *e[3] = { ev_fork(tid, 100 + (uint32_t)(i % 300), ts), ev_exec(tid, ts + 10000),
					      ev_exit(tid, ts + 20000) };

		for (int k = 0; k < 3; k++) {
			scap_proc_apply(&t, rows, e[k], NULL);
			free(e[k]);
		}
		ts += step;
		if (scap_proctable_bytes(&t) > peak) {
			peak = scap_proctable_bytes(&t);
			peak_count = t.count;
		}
		if (i % 4096 == 0 && heap_in_use() > heap_peak)
			heap_peak = heap_in_use();
	}
	secs = now_s() - t0;
	/* The stream goes on: the last grace period passes. */
	scap_proctable_tick(&t, ts + 2 * t.grace_ns);
	malloc_trim(0);
	heap1 = heap_in_use();
	printf("| processes | table bytes: steady (300 threads) | peak (entries) | after the last grace period | "
	       "heap in use: before | peak | after | evictions | time |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	printf("| %llu | %llu | %llu (%llu) | %llu | %zu | %zu | %zu | %llu | %.1f s |\n",
	       (unsigned long long)processes, (unsigned long long)steady, (unsigned long long)peak,
	       (unsigned long long)peak_count, (unsigned long long)scap_proctable_bytes(&t), heap0, heap_peak, heap1,
	       (unsigned long long)t.st.evictions, secs);
	scap_proctable_free(&t);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned runs = 5, counts[8], ncounts = 0;
	unsigned long long events = 2000000, threads = 10000, processes = 1000000, permille = 10, burst = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_proc scan|lookup|churn [options] (see the source's header)\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (i + 1 >= argc) {
			fprintf(stderr, "bench_proc: %s needs a value\n", argv[i]);
			return 2;
		}
		if (!strcmp(argv[i], "--runs"))
			runs = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--threads") && ncounts < 8)
			threads = counts[ncounts++] = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--events"))
			events = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--burst"))
			burst = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--lifecycle-permille"))
			permille = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--processes"))
			processes = strtoull(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "bench_proc: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!runs || runs > MAX_RUNS || !threads || !events || !processes || !burst) {
		fprintf(stderr, "bench_proc: --runs 1..%d, and counts above 0\n", MAX_RUNS);
		return 2;
	}
	if (!strcmp(argv[1], "scan")) {
		if (!ncounts) {
			counts[ncounts++] = 1000;
			counts[ncounts++] = 10000;
		}
		return bench_scan(runs, counts, ncounts);
	}
	if (!strcmp(argv[1], "lookup"))
		return bench_lookup(runs, events, (uint32_t)threads, (unsigned)permille, (unsigned)burst);
	if (!strcmp(argv[1], "churn"))
		return bench_churn(processes);
	fprintf(stderr, "bench_proc: unknown mode %s: scan, lookup or churn\n", argv[1]);
	return 2;
}
