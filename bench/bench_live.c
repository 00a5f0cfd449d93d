// SPDX-License-Identifier: Apache-2.0
/*
 * bench_live [options] ENGINE...: the overhead of live capture, as ratios
 * against a baseline taken in the same run, medians of --runs repetitions,
 * printed as one markdown table (progress goes to stderr).
 *
 *   --runs N         repetitions (default 5)
 *   --window MS      length of each workload window (default 1000)
 *   --cli PATH       also measure `PATH capture --json > /dev/null`
 *   --cli-baseline PATH   also measure this other CLI in the same runs, each
 *                    run measuring both back to back (alternating which goes
 *                    first), and print the medians of the per-run ratios
 *                    (the CLI against the baseline: a change's cost)
 *   --cli-pipe       the CLI writes into a pipe drained by a reader on the
 *                    consumer CPU, not into /dev/null
 *   --buffer BYTES   bytes per kernel buffer (default 8 MiB)
 *   --workload-cpu N / --consumer-cpu N   (default 1 / 0)
 *   --only W         run only workload W (getppid, close, openat, not-selected,
 *                    fork, exec; repeatable), to iterate on one case
 *   --no-minimal     skip the minimal consumer (measure the CLI only)
 *   --quiet-wait S   before each run, wait up to S seconds for other tracing
 *                    BPF programs to go (a shared machine; default 0)
 *   --no-proc        capture without the process table (opts.proc_off, --no-proc)
 *   --proc-compare   each run measured twice, with the table (the minimal consumer
 *                    then asks scap_event_proc for every event) and without it,
 *                    in alternating order against one baseline; the rows say
 *                    which, and a last line per workload gives the median of
 *                    with ÷ without
 *
 * Not a test: it asserts nothing. Needs root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scap/scap.h"
#include "bench_live.h"

#define MAX_RUNS 50

enum consumer { C_INPROC = 0, C_CLI, C_CLI_BASE, C_N };
static const char *const consumer_names[C_N] = { "minimal (scap_next)", "CLI --json",
						 "baseline CLI --json" };

/* The CLI against the baseline, one table line per engine and workload. */
static char ratio_rows[8192];
static size_t ratio_used;
static const char *const consumer_proc_names[2][C_N] = {
	{ "minimal (scap_next + scap_event_proc)", "CLI --json", "baseline CLI --json" },
	{ "minimal (scap_next), proc_off", "CLI --json --no-proc", "baseline CLI --json --no-proc" },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median of one expression of x (each sample in turn) over the samples. */
#define MEDIAN_OF(samples, n, expr)                             \
	({                                                      \
		double _v[MAX_RUNS];                            \
		for (unsigned _i = 0; _i < (n); _i++) {         \
			const struct bl_sample *x = &(samples)[_i]; \
			_v[_i] = (expr);                        \
		}                                               \
		median(_v, (n));                                \
	})

static void loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "re");
	double a = 0, b = 0, c = 0;

	if (!f || fscanf(f, "%lf %lf %lf", &a, &b, &c) != 3)
		snprintf(buf, len, "unknown");
	else
		snprintf(buf, len, "%.2f %.2f %.2f", a, b, c);
	if (f)
		fclose(f);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bench_live [--runs N] [--window MS] [--cli PATH [--cli-baseline PATH] [--cli-pipe]]\n"
		   "                  [--buffer BYTES]\n"
		   "                  [--workload-cpu N] [--consumer-cpu N] [--only WORKLOAD]...\n"
		   "                  [--no-minimal] [--quiet-wait SECONDS] [--no-proc | --proc-compare]\n"
		   "                  ENGINE...\n");
}

static void print_header(const struct bl_config *c)
{
	char host[128] = "";
	time_t now = time(NULL);
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	gmtime_r(&now, &tm);
	printf("bench_live, %04d-%02d-%02d %02d:%02d UTC, %ld online CPUs; workload on CPU %d, "
	       "consumer on CPU %d; %u runs of %u ms (medians); %zu bytes per kernel buffer; "
	       "every syscall selected except in the \"not selected\" rows (openat only). "
	       "Foreign tracers: the most tracing BPF programs loaded by others during a "
	       "baseline (not 0: another capture slowed the baseline; the ratio is flattered).\n\n",
	       tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	       sysconf(_SC_NPROCESSORS_ONLN), c->workload_cpu, c->consumer_cpu, c->runs,
	       c->window_ms, c->buffer_bytes);
	if (bl_bpf_stats_enabled() == 1) {
		fprintf(stderr, "bench_live: warning: kernel.bpf_stats_enabled is 1, the ratios will be understated\n");
		printf("**kernel.bpf_stats_enabled is 1**: every BPF program run also reads the clock "
		       "twice and updates run-time counters, so these ratios are understated "
		       "(`sysctl -w kernel.bpf_stats_enabled=0` before measuring).\n\n");
	}
	printf("| engine | consumer | workload | baseline syscalls/s | with capture | ratio | "
	       "events/s delivered | drops | consumer CPU | consumer wake-ups/s | start-up | "
	       "peak RSS | foreign tracers |\n");
	printf("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
}

/* A rate in millions, or in thousands below 0.1 M (the fork and exec loops). */
static const char *rate(char *buf, size_t len, double v)
{
	if (v < 1e5)
		snprintf(buf, len, "%.2f k", v / 1e3);
	else
		snprintf(buf, len, "%.2f M", v / 1e6);
	return buf;
}

static void print_row(const char *engine, const char *consumer, enum bl_workload w,
		      struct bl_sample *s, unsigned n)
{
	double base = MEDIAN_OF(s, n, x->base_rate);
	double cap = MEDIAN_OF(s, n, x->cap_rate);
	double ratio = MEDIAN_OF(s, n, x->base_rate > 0 ? x->cap_rate / x->base_rate : 0);
	double evs = MEDIAN_OF(s, n, x->events_per_s);
	double drops = MEDIAN_OF(s, n, (double)x->drops);
	double dpct = MEDIAN_OF(s, n, x->events + x->drops ?
				100.0 * (double)x->drops / (double)(x->events + x->drops) : 0);
	double cpu = MEDIAN_OF(s, n, x->consumer_cpu);
	double start = MEDIAN_OF(s, n, x->startup_s);
	double rss = MEDIAN_OF(s, n, x->hwm_mb);
	double wake = MEDIAN_OF(s, n, x->wakeups_per_s);
	unsigned foreign = 0;

	for (unsigned i = 0; i < n; i++)
		foreign = s[i].foreign > foreign ? s[i].foreign : foreign;

	char rb[32], rc[32], re[32];

	printf("| %s | %s | %s | %s | %s | %.2fx | %s | %.0f (%.2f %%) | %.0f %% | "
	       "%.0f | %.3f s | %.1f MB | %u |\n", engine, consumer, bl_workload_names[w],
	       rate(rb, sizeof(rb), base), rate(rc, sizeof(rc), cap), ratio, rate(re, sizeof(re), evs), drops,
	       dpct, cpu * 100, wake, start, rss, foreign);
	fflush(stdout);
}

/* One run of one consumer, with or without the table. */
static int measure(const struct bl_config *c, enum consumer k, bool proc_off, const char *engine, enum bl_workload w,
		   struct bl_sample *s, char *err, size_t errlen)
{
	struct bl_config cc = *c;

	cc.proc_off = proc_off;
	return k == C_INPROC ? bl_measure_inproc(&cc, engine, w, s, err, errlen)
			     : bl_measure_cli(&cc, c->cli, engine, w, s, err, errlen);
}

/* One baseline for the workload, then both CLIs; false when one failed. */
static bool measure_pair(const struct bl_config *c, const char *engine, enum bl_workload w, bool base_first,
			 struct bl_sample *cur, struct bl_sample *base, char *err, size_t errlen)
{
	int f = bl_foreign_tracers();

	for (double end = bl_now() + c->quiet_wait_s; f > 0 && bl_now() < end; f = bl_foreign_tracers())
		usleep(200000);
	memset(cur, 0, sizeof(*cur));
	memset(base, 0, sizeof(*base));
	cur->foreign = base->foreign = f < 0 ? 0 : (unsigned)f;
	cur->base_rate = base->base_rate = bl_workload_run(w, c->window_ms);
	for (int i = 0; i < 2; i++) {
		bool do_base = (i == 0) == base_first;

		if (bl_measure_cli(c, do_base ? c->cli_base : c->cli, engine, w, do_base ? base : cur, err,
				   errlen) < 0)
			return false;
	}
	return true;
}

static double ratio_of(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/*
 * The CLI and the baseline CLI in the same runs, back to back, the order
 * alternating: their rows, and the medians of the per-run ratios.
 */
static void bench_cli_pair(const struct bl_config *c, const char *engine)
{
	static struct bl_sample cur[MAX_RUNS], base[MAX_RUNS];
	char err[1024] = "";

	for (enum bl_workload w = 0; w < BL_NWORKLOADS; w++) {
		unsigned n = 0;

		if (c->only && !(c->only & (1u << w)))
			continue;
		for (unsigned run = 0; run < c->runs; run++) {
			fprintf(stderr, "bench_live: %s, CLI and baseline CLI, %s, run %u/%u\n", engine,
				bl_workload_names[w], run + 1, c->runs);
			if (measure_pair(c, engine, w, run % 2 == 0, &cur[n], &base[n], err, sizeof(err)))
				n++;
			else
				fprintf(stderr, "bench_live: %s: %s\n", engine, err);
		}
		if (!n) {
			printf("| %s | CLI pair | %s | failed: %s | | | | | | | | | |\n", engine, bl_workload_names[w],
			       err);
			continue;
		}
		print_row(engine, consumer_names[C_CLI], w, cur, n);
		print_row(engine, consumer_names[C_CLI_BASE], w, base, n);
		double ev[MAX_RUNS], rate[MAX_RUNS], cpu[MAX_RUNS], wake[MAX_RUNS];

		/* CPU per event delivered: the CLI's cost, whatever rate the
		 * workload reached in that window. */
		for (unsigned i = 0; i < n; i++) {
			ev[i] = ratio_of(cur[i].events_per_s, base[i].events_per_s);
			rate[i] = ratio_of(cur[i].cap_rate, base[i].cap_rate);
			cpu[i] = ratio_of(ratio_of(cur[i].consumer_cpu, cur[i].events_per_s),
					  ratio_of(base[i].consumer_cpu, base[i].events_per_s));
			wake[i] = ratio_of(cur[i].wakeups_per_s, base[i].wakeups_per_s);
		}
		double ev_m = median(ev, n), rate_m = median(rate, n), cpu_m = median(cpu, n);
		double wake_m = median(wake, n), lo = ev[0], hi = ev[n - 1]; /* sorted by median() */

		ratio_used += (size_t)snprintf(ratio_rows + ratio_used,
					       ratio_used < sizeof(ratio_rows) ? sizeof(ratio_rows) - ratio_used : 0,
					       "| %s | %s | %.3fx (%.3f..%.3f) | %.3fx | %.3fx | %.2fx | %.0f / %.0f | %.0f / %.0f |\n",
					       engine, bl_workload_names[w], ev_m, lo, hi, rate_m, cpu_m, wake_m,
					       MEDIAN_OF(cur, n, x->writes_per_s), MEDIAN_OF(base, n, x->writes_per_s),
					       MEDIAN_OF(cur, n, (double)x->drops), MEDIAN_OF(base, n, (double)x->drops));
	}
}

static int bench_engine(const struct bl_config *c, const char *engine)
{
	/* [0]: as configured (with the table unless --no-proc); [1]: proc_off, for --proc-compare */
	static struct bl_sample samples[2][MAX_RUNS];
	char reason[512] = "", err[1024];
	int r = scap_engine_probe(engine, reason, sizeof(reason));
	unsigned nvar = c->proc_compare ? 2 : 1;

	if (r < 0) {
		fprintf(stderr, "bench_live: engine %s unusable here: %s\n", engine, reason);
		printf("| %s | - | - | engine unusable: %s | | | | | | | | | |\n", engine, reason);
		return r;
	}
	for (enum consumer k = C_INPROC; k < C_N; k++) {
		if ((k == C_CLI && !c->cli) || (k == C_INPROC && c->no_minimal) || k == C_CLI_BASE)
			continue;
		if (k == C_CLI && c->cli_base) {
			bench_cli_pair(c, engine);
			continue;
		}
		for (enum bl_workload w = 0; w < BL_NWORKLOADS; w++) {
			unsigned n = 0;

			if (c->only && !(c->only & (1u << w)))
				continue;
			for (unsigned run = 0; run < c->runs; run++) {
				struct bl_sample *s = &samples[0][n];
				bool ok = true;

				memset(s, 0, sizeof(*s));
				fprintf(stderr, "bench_live: %s, %s, %s, run %u/%u\n", engine,
					consumer_names[k], bl_workload_names[w], run + 1, c->runs);
				int f = bl_foreign_tracers();

				/* Wait for others' captures to go before taking the baseline. */
				for (double end = bl_now() + c->quiet_wait_s; f > 0 && bl_now() < end;
				     f = bl_foreign_tracers())
					usleep(200000);

				s->foreign = f < 0 ? 0 : (unsigned)f;
				s->base_rate = bl_workload_run(w, c->window_ms);
				/* With --proc-compare, alternate which goes first: neither gets the
				 * warmer (or the busier) half of every run. */
				for (unsigned i = 0; i < nvar && ok; i++) {
					unsigned v = nvar == 2 ? (i + run) % 2 : 0;
					struct bl_sample *sv = &samples[v][n];

					if (v) {
						memset(sv, 0, sizeof(*sv));
						sv->foreign = s->foreign;
						sv->base_rate = s->base_rate;
					}
					r = measure(c, k, v ? true : c->proc_off, engine, w, sv, err, sizeof(err));
					if (r < 0) {
						fprintf(stderr, "bench_live: %s: %s\n", engine, err);
						ok = false;
					}
				}
				n += ok;
			}
			if (!n) {
				printf("| %s | %s | %s | failed: %s | | | | | | | | | |\n", engine,
				       consumer_names[k], bl_workload_names[w], err);
				continue;
			}
			for (unsigned v = 0; v < nvar; v++)
				print_row(engine, nvar == 2 || c->proc_off ? consumer_proc_names[v || c->proc_off][k]
									   : consumer_names[k],
					  w, samples[v], n);
			if (nvar == 2) {
				double on_off = 0, vals[MAX_RUNS];

				for (unsigned i = 0; i < n; i++)
					vals[i] = samples[1][i].cap_rate > 0 ? samples[0][i].cap_rate / samples[1][i].cap_rate
									     : 0;
				on_off = median(vals, n);
				printf("| %s | %s | %s | with the table ÷ without: %.3fx", engine, consumer_names[k],
				       bl_workload_names[w], on_off);
				if (k == C_INPROC)
					printf("; events resolved to a process: %.2f %%",
					       MEDIAN_OF(samples[0], n, x->events ? 100.0 * (double)x->proc_found /
										   (double)x->events : 0));
				/* What the consumer spends per event, with and without the table. */
				printf("; consumer CPU per event: %.0f ns with, %.0f ns without",
				       MEDIAN_OF(samples[0], n, x->events_per_s > 0 ? x->consumer_cpu * 1e9 / x->events_per_s : 0),
				       MEDIAN_OF(samples[1], n, x->events_per_s > 0 ? x->consumer_cpu * 1e9 / x->events_per_s : 0));
				printf(" | | | | | | | | | |\n");
			}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "window", required_argument, NULL, 'w' },
		{ "cli", required_argument, NULL, 'c' },
		{ "cli-baseline", required_argument, NULL, 'B' },
		{ "cli-pipe", no_argument, NULL, 'P' },
		{ "buffer", required_argument, NULL, 'b' },
		{ "workload-cpu", required_argument, NULL, 'W' },
		{ "consumer-cpu", required_argument, NULL, 'C' },
		{ "only", required_argument, NULL, 'o' },
		{ "no-minimal", no_argument, NULL, 'n' },
		{ "quiet-wait", required_argument, NULL, 'q' },
		{ "no-proc", no_argument, NULL, 'N' },
		{ "proc-compare", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const short_names[BL_NWORKLOADS] = {
		[BL_GETPPID] = "getppid", [BL_CLOSE] = "close",
		[BL_OPENAT_CLOSE] = "openat", [BL_NOT_SELECTED] = "not-selected",
		[BL_FORK_EXIT] = "fork", [BL_EXEC] = "exec",
	};
	struct bl_config c = {
		.runs = 5, .window_ms = 1000, .workload_cpu = 1, .consumer_cpu = 0,
		.buffer_bytes = 8u << 20,
	};
	int o, failed = 0;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			c.runs = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'w':
			c.window_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'c':
			c.cli = optarg;
			break;
		case 'B':
			c.cli_base = optarg;
			break;
		case 'P':
			c.cli_pipe = true;
			break;
		case 'b':
			c.buffer_bytes = strtoull(optarg, NULL, 0);
			break;
		case 'W':
			c.workload_cpu = atoi(optarg);
			break;
		case 'C':
			c.consumer_cpu = atoi(optarg);
			break;
		case 'o': {
			unsigned k = 0;

			while (k < BL_NWORKLOADS && strcmp(short_names[k], optarg) != 0)
				k++;
			if (k == BL_NWORKLOADS) {
				fprintf(stderr, "bench_live: --only %s: use getppid, close, openat, "
					"not-selected, fork or exec\n", optarg);
				return 2;
			}
			c.only |= 1u << k;
			break;
		}
		case 'n':
			c.no_minimal = true;
			break;
		case 'q':
			c.quiet_wait_s = strtod(optarg, NULL);
			break;
		case 'N':
			c.proc_off = true;
			break;
		case 'p':
			c.proc_compare = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc || c.runs == 0 || c.runs > MAX_RUNS || c.window_ms == 0) {
		usage(stderr);
		return 2;
	}
	if (c.cli && access(c.cli, X_OK) < 0) {
		fprintf(stderr, "bench_live: --cli %s: %s\n", c.cli, strerror(errno));
		return 2;
	}
	if (c.cli_base && (!c.cli || access(c.cli_base, X_OK) < 0)) {
		fprintf(stderr, "bench_live: --cli-baseline %s: %s\n", c.cli_base,
			c.cli ? strerror(errno) : "needs --cli");
		return 2;
	}
	if (bl_pin(0, c.workload_cpu) < 0) {
		fprintf(stderr, "bench_live: cannot pin on CPU %d: %s\n", c.workload_cpu,
			strerror(errno));
		return 2;
	}
	if (bl_workload_setup() < 0) {
		fprintf(stderr, "bench_live: cannot create the tmpfs file in /dev/shm: %s\n",
			strerror(errno));
		return 2;
	}
	char load0[64], load1[64];

	loadavg(load0, sizeof(load0));
	print_header(&c);
	for (int i = optind; i < argc; i++)
		failed |= bench_engine(&c, argv[i]) < 0;
	loadavg(load1, sizeof(load1));
	if (ratio_used) {
		printf("\nThe CLI (%s) against the baseline CLI (%s), medians of the per-run ratios "
		       "(each run measures both back to back, the order alternating), output %s:\n\n"
		       "| engine | workload | events/s delivered, CLI / baseline (min..max) | syscalls/s with capture | "
		       "consumer CPU per event | consumer wake-ups/s | write(2)s per s, CLI / baseline | "
		       "drops CLI / baseline |\n"
		       "|---|---|---:|---:|---:|---:|---:|---:|\n%s",
		       c.cli, c.cli_base, c.cli_pipe ? "into a pipe drained on the consumer CPU" : "to /dev/null",
		       ratio_rows);
	}
	/* A shared machine: say how busy it was, the ratios depend on it. */
	printf("\nLoad average (1, 5, 15 min) at the start: %s; at the end: %s.\n", load0, load1);
	bl_workload_cleanup();
	return failed;
}
