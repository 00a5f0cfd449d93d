/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `scap capture`: open an engine, print one line per event, stop on a signal,
 * a count or a duration, and report the statistics on stderr.
 *
 * stderr carries the contract lines other tools grep for: "capturing: ..."
 * once events flow, "stats: ..." at exit, and on failure one "scap: ..." line.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli.h"

/* Longest wait in scap_next: bounds how late a signal that lands just before
 * the wait is noticed, without costing anything while events flow. */
#define CLI_WAIT_MS 200
/* Bytes of output gathered before one write(2). */
#define CLI_OUT_BUF (1u << 20)

enum stop_reason { STOP_NONE = 0, STOP_SIGNAL, STOP_DURATION, STOP_COUNT, STOP_END, STOP_OUTPUT, STOP_ERROR };

/* A name --syscalls takes: an x86_64 syscall, or a kernel event of the schema (procexit). */
static bool selectable(const char *name)
{
	if (scap_syscall_nr(name) >= 0)
		return true;
	for (unsigned c = 0; c < SCAP_EV_MAX; c++) {
		const struct scap_event_info *e = scap_event_info(c);

		if (e && (e->flags & SCAP_EF_NOT_SYSCALL) && strcmp(e->name, name) == 0)
			return true;
	}
	return false;
}

static const char *const stop_names[] = {
	[STOP_NONE] = "none", [STOP_SIGNAL] = "signal", [STOP_DURATION] = "duration",
	[STOP_COUNT] = "count", [STOP_END] = "end", [STOP_OUTPUT] = "output_closed",
	[STOP_ERROR] = "error",
};

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	g_stop = sig == SIGALRM ? STOP_DURATION : STOP_SIGNAL;
}

struct capture_args {
	const char *engine;
	bool json, unpaired, verbose;
	bool quiet;                /* --quiet: record only, print no events */
	const char *write_path;    /* --write FILE: record what is delivered */
	uint64_t count;            /* 0 = no limit */
	double duration;           /* 0 = no limit */
	char **syscalls, **engine_order;
	struct scap_open_opts opts;
};

/* Engines that read no kernel: they need no privileges. */
static const char *const offline_engines[] = { "synthetic", "savefile", NULL };

static bool is_offline(const char *engine)
{
	for (const char *const *e = offline_engines; *e; e++)
		if (!strcmp(*e, engine))
			return true;
	return false;
}

static void usage(FILE *f)
{
	char names[512];

	cli_engine_names(names, sizeof(names));
	fputs("usage: scap capture [options]\n"
	      "\n"
	      "Captures system-call events and prints one per line on stdout: by default\n"
	      "  <ts seconds since boot> <cpu> <tid> <pid> <comm> <event> <enter|exit> name=value ... [marks]\n"
	      "where a value is bare when it has no space, '\"', '\\' or control byte, else\n"
	      "quoted with C escapes (\"a b\", \"\", \"-2 ENOENT\", \"x\\n\"); NULL is an empty\n"
	      "parameter; argv and raw arguments are lists [a b \"c d\"]; the marks are\n"
	      "[toctou] [truncated] [enter_unreadable] (docs/cli.md).\n"
	      "comm is the thread's name from the process table, NULL when unknown.\n"
	      "With --json one object per line with the keys ts (ns), cpu, tid, pid, comm,\n"
	      "event, dir, params and proc (exe, ppid, uid, gid, cwd, container_id of the\n"
	      "process, each when known). --no-proc: no process table, the lines without\n"
	      "pid, comm and proc. Stops on SIGINT/SIGTERM, after --count events or --duration.\n"
	      "A failed write of the output stops the capture with exit 1 and says why.\n"
	      "On stderr: a 'capturing:' line once events flow, a 'stats:' line at exit.\n"
	      "\n", f);
	fprintf(f, "  --engine NAME          one of %s (default auto)\n", names);
	fputs("  --engine-order LIST    engines \"auto\" tries, in order (default modern_bpf,bpf,kmod)\n"
	      "  --json                 JSON lines instead of text\n"
	      "  --count N              stop after N events\n"
	      "  --duration SECONDS     stop after SECONDS (fractions allowed: 0.5)\n"
	      "  --pid PID              only the process PID (its threads included)\n"
	      "  --syscalls LIST        only these syscalls, comma-separated (openat,connect,...);\n"
	      "                         procexit: the end of every thread\n"
	      "  --buffer-size BYTES    bytes per kernel buffer, K/M/G suffixes (default 8M)\n"
	      "  --cpus-per-buffer N    CPUs sharing one kernel buffer (default 1)\n"
	      "  --snaplen BYTES        bytes kept of I/O buffers (default 80, max 16384)\n"
	      "  --unpaired             raw enter and exit events, without pairing them\n"
	      "  --savefile PATH        replay the capture file PATH (engine savefile)\n"
	      "  --read PATH            same as --savefile PATH\n"
	      "  --write PATH           also record the events to the capture file PATH\n"
	      "                         (gzip-compressed when PATH ends in .gz)\n"
	      "  --quiet                print no events (with --write: record only)\n"
	      "  --no-proc              no process table: no /proc scan at start, no comm or\n"
	      "                         proc in the lines (the bare stream)\n"
	      "  --synthetic-seed N     seed of the synthetic stream (default 1)\n"
	      "  --synthetic-events N   events the synthetic engine generates (default endless)\n"
	      "  --synthetic-cpus N     virtual CPUs of the synthetic engine (default 4)\n"
	      "  -v, --verbose          print the library's diagnostics on stderr\n",
	      f);
}

static void log_to_stderr(enum scap_log_level lvl, const char *msg, void *ctx)
{
	static const char *const names[] = { "debug", "info", "warning", "error" };

	fprintf(stderr, "scap: %s: %s\n", lvl <= SCAP_LOG_ERROR ? names[lvl] : "log", msg);
}

enum {
	OPT_ENGINE = 256, OPT_ENGINE_ORDER, OPT_JSON, OPT_COUNT, OPT_DURATION, OPT_PID, OPT_SYSCALLS,
	OPT_BUFFER_SIZE, OPT_CPUS_PER_BUFFER, OPT_SNAPLEN, OPT_UNPAIRED, OPT_SAVEFILE, OPT_SEED,
	OPT_SYN_EVENTS, OPT_SYN_CPUS, OPT_WRITE, OPT_QUIET, OPT_NO_PROC,
};

/* Returns 0, or an exit status > 0 after printing the error (or the help). */
static int parse_args(int argc, char **argv, struct capture_args *a, bool *help)
{
	static const struct option longopts[] = {
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ "engine-order", required_argument, NULL, OPT_ENGINE_ORDER },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "syscalls", required_argument, NULL, OPT_SYSCALLS },
		{ "buffer-size", required_argument, NULL, OPT_BUFFER_SIZE },
		{ "cpus-per-buffer", required_argument, NULL, OPT_CPUS_PER_BUFFER },
		{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
		{ "unpaired", no_argument, NULL, OPT_UNPAIRED },
		{ "savefile", required_argument, NULL, OPT_SAVEFILE },
		{ "read", required_argument, NULL, OPT_SAVEFILE },
		{ "write", required_argument, NULL, OPT_WRITE },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "no-proc", no_argument, NULL, OPT_NO_PROC },
		{ "synthetic-seed", required_argument, NULL, OPT_SEED },
		{ "synthetic-events", required_argument, NULL, OPT_SYN_EVENTS },
		{ "synthetic-cpus", required_argument, NULL, OPT_SYN_CPUS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:hv", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ENGINE:
			a->engine = optarg;
			break;
		case OPT_ENGINE_ORDER:
			free(a->engine_order);
			if (cli_split_list("--engine-order", optarg, &a->engine_order) < 0)
				return CLI_EXIT_USAGE;
			for (char **e = a->engine_order; *e; e++) {
				if (!cli_engine_known(*e, false)) {
					char names[512];

					cli_engine_names(names, sizeof(names));
					cli_errorf("unknown engine '%s' in --engine-order: use names from: %s",
						   *e, names + strlen("auto, "));
					return CLI_EXIT_USAGE;
				}
			}
			a->opts.engine_order = (const char *const *)a->engine_order;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case OPT_COUNT:
			if (cli_parse_u64("--count", optarg, 1, UINT64_MAX, &a->count) < 0)
				return CLI_EXIT_USAGE;
			break;
		case OPT_DURATION:
			if (cli_parse_seconds("--duration", optarg, &a->duration) < 0)
				return CLI_EXIT_USAGE;
			break;
		case OPT_PID:
			if (cli_parse_u64("--pid", optarg, 1, INT32_MAX, &v) < 0)
				return CLI_EXIT_USAGE;
			a->opts.pid = (int32_t)v;
			break;
		case OPT_SYSCALLS:
			free(a->syscalls);
			if (cli_split_list("--syscalls", optarg, &a->syscalls) < 0)
				return CLI_EXIT_USAGE;
			for (char **s = a->syscalls; *s; s++) {
				if (!selectable(*s)) {
					cli_errorf("unknown syscall '%s' in --syscalls: use x86_64 syscall names such as openat,connect,execve, "
						   "or procexit for the end of every thread",
						   *s);
					return CLI_EXIT_USAGE;
				}
			}
			a->opts.syscalls = (const char *const *)a->syscalls;
			break;
		case OPT_BUFFER_SIZE:
			if (cli_parse_size("--buffer-size", optarg, 1, (uint64_t)SIZE_MAX / 2, &v) < 0)
				return CLI_EXIT_USAGE;
			a->opts.buffer_bytes = (size_t)v;
			break;
		case OPT_CPUS_PER_BUFFER:
			if (cli_parse_u64("--cpus-per-buffer", optarg, 1, 1u << 16, &v) < 0)
				return CLI_EXIT_USAGE;
			a->opts.cpus_per_buffer = (unsigned)v;
			break;
		case OPT_SNAPLEN:
			if (cli_parse_size("--snaplen", optarg, 1, SCAP_MAX_SNAPLEN, &v) < 0)
				return CLI_EXIT_USAGE;
			a->opts.snaplen = (unsigned)v;
			break;
		case OPT_UNPAIRED:
			a->opts.unpaired = true;
			break;
		case OPT_SAVEFILE:
			a->opts.savefile_path = optarg;
			break;
		case OPT_WRITE:
			a->write_path = optarg;
			break;
		case OPT_QUIET:
			a->quiet = true;
			break;
		case OPT_NO_PROC:
			a->opts.proc_off = true;
			break;
		case OPT_SEED:
			if (cli_parse_u64("--synthetic-seed", optarg, 0, UINT64_MAX, &a->opts.synthetic_seed) < 0)
				return CLI_EXIT_USAGE;
			break;
		case OPT_SYN_EVENTS:
			if (cli_parse_u64("--synthetic-events", optarg, 1, UINT64_MAX, &a->opts.synthetic_events) < 0)
				return CLI_EXIT_USAGE;
			break;
		case OPT_SYN_CPUS:
			if (cli_parse_u64("--synthetic-cpus", optarg, 1, 1024, &v) < 0)
				return CLI_EXIT_USAGE;
			a->opts.synthetic_cpus = (unsigned)v;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			*help = true;
			return 0;
		case ':':
			cli_errorf("option '%s' needs a value: see 'scap capture --help'", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			cli_errorf("unknown option '%s' for 'scap capture': see 'scap capture --help'",
				   argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_errorf("unexpected argument '%s' for 'scap capture': see 'scap capture --help'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (!a->engine)
		a->engine = a->opts.savefile_path ? "savefile" : "auto";
	if (!cli_engine_known(a->engine, true)) {
		char names[512];

		cli_engine_names(names, sizeof(names));
		cli_errorf("unknown engine '%s': use one of %s (see 'scap engines')", a->engine, names);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(a->engine, "savefile") && !a->opts.savefile_path && cli_engine_built("savefile")) {
		cli_errorf("engine 'savefile' needs a file: add --savefile PATH");
		return CLI_EXIT_USAGE;
	}
	if (a->verbose) {
		a->opts.log = log_to_stderr;
		a->opts.log_ctx = NULL;
	}
	return 0;
}

static void install_signals(void)
{
	struct sigaction sa;

	/* No SA_RESTART: the signal must interrupt scap_next's wait (-EINTR). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	/* A closed pipe (`| head`) ends the capture through EPIPE, not death. */
	signal(SIGPIPE, SIG_IGN);
}

static int arm_duration(double seconds)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)it.it_value.tv_sec) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	return setitimer(ITIMER_REAL, &it, NULL);
}

/* Prints every line of text to stderr with a prefix. */
static void print_lines(const char *prefix, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		int n = nl ? (int)(nl - text) : (int)strlen(text);

		if (n > 0)
			fprintf(stderr, "%s%.*s\n", prefix, n, text);
		text += n + (nl ? 1 : 0);
	}
}

static void print_stats(struct scap *h, const struct capture_args *a, const struct cli_printer *p,
			enum stop_reason why)
{
	struct scap_stats st = { .sz = sizeof(st) };
	unsigned i, n;

	if (scap_get_stats(h, &st) < 0) {
		fprintf(stderr, "stats: unavailable: %s\n", scap_last_error(h));
		return;
	}
	if (a->json) {
		fprintf(stderr,
			"stats: {\"events\":%" PRIu64 ",\"drops\":%" PRIu64 ",\"drops_buffer_full\":%" PRIu64
			",\"drops_other\":%" PRIu64 ",\"kernel_events\":%" PRIu64 ",\"toctou\":%" PRIu64
			",\"pairing_evicted\":%" PRIu64 ",\"pairing_orphan_exits\":%" PRIu64
			",\"attach_failures\":%u,\"decode_errors\":%" PRIu64 ",\"exits_without_enter\":%" PRIu64
			",\"out_of_order\":%" PRIu64 ",\"proc_entries\":%" PRIu64 ",\"proc_scans\":%" PRIu64
			",\"proc_evictions\":%" PRIu64 ",\"proc_lookups\":%" PRIu64 ",\"proc_lookup_misses\":%" PRIu64
			",\"engine\":",
			st.events, st.drops, st.drops_buffer_full, st.drops_other, st.kernel_events, st.toctou,
			st.pairing_evicted, st.pairing_orphan_exits, st.attach_failures, p->decode_errors,
			st.exits_without_enter, st.out_of_order, st.proc_entries, st.proc_scans, st.proc_evictions,
			st.proc_lookups, st.proc_lookup_misses);
		cli_json_string(stderr, scap_engine_name(h));
		fprintf(stderr, ",\"stopped\":\"%s\",\"buffers\":[", stop_names[why]);
		for (i = 0; i < st.nbuffers; i++) {
			struct scap_buffer_stats bs = { .sz = sizeof(bs) };

			if (scap_get_buffer_stats(h, i, &bs) < 0)
				continue;
			fprintf(stderr,
				"%s{\"cpu\":%d,\"events\":%" PRIu64 ",\"drops\":%" PRIu64
				",\"drops_buffer_full\":%" PRIu64 ",\"drops_other\":%" PRIu64
				",\"kernel_events\":%" PRIu64 "}",
				i ? "," : "", bs.cpu, bs.events, bs.drops, bs.drops_buffer_full, bs.drops_other,
				bs.kernel_events);
		}
		fputs("]}\n", stderr);
		return;
	}
	fprintf(stderr,
		"stats: events=%" PRIu64 " drops=%" PRIu64 " drops_buffer_full=%" PRIu64 " drops_other=%" PRIu64
		" kernel_events=%" PRIu64 " toctou=%" PRIu64 " pairing_evicted=%" PRIu64
		" pairing_orphan_exits=%" PRIu64 " attach_failures=%u decode_errors=%" PRIu64
		" exits_without_enter=%" PRIu64 " out_of_order=%" PRIu64 " proc_entries=%" PRIu64
		" proc_scans=%" PRIu64 " proc_evictions=%" PRIu64 " proc_lookups=%" PRIu64
		" proc_lookup_misses=%" PRIu64 " engine=%s stopped=%s buffers=%u drops_by_buffer=",
		st.events, st.drops, st.drops_buffer_full, st.drops_other, st.kernel_events, st.toctou,
		st.pairing_evicted, st.pairing_orphan_exits, st.attach_failures, p->decode_errors,
		st.exits_without_enter, st.out_of_order, st.proc_entries, st.proc_scans, st.proc_evictions,
		st.proc_lookups, st.proc_lookup_misses, scap_engine_name(h), stop_names[why], st.nbuffers);
	/* Only the buffers that lost events: "none", or "buffer#cpu:drops,...". */
	for (i = 0, n = 0; i < st.nbuffers; i++) {
		struct scap_buffer_stats bs = { .sz = sizeof(bs) };

		if (scap_get_buffer_stats(h, i, &bs) < 0 || bs.drops == 0)
			continue;
		fprintf(stderr, "%s%u#cpu%d:%" PRIu64, n++ ? "," : "", i, bs.cpu, bs.drops);
	}
	fputs(n ? "\n" : "none\n", stderr);
}

/* The library names its options by field; the user knows the flags. */
static const struct {
	const char *field, *flag;
} option_flags[] = {
	{ "buffer_bytes", "--buffer-size" }, { "cpus_per_buffer", "--cpus-per-buffer" },
	{ "snaplen", "--snaplen" },          { "syscalls", "--syscalls" },
	{ "engine_order", "--engine-order" }, { "pid", "--pid" },
	{ "synthetic_cpus", "--synthetic-cpus" }, { "synthetic_seed", "--synthetic-seed" },
	{ "synthetic_events", "--synthetic-events" }, { "savefile_path", "--savefile" },
};

static const char *flag_of(const char *msg)
{
	for (size_t i = 0; i < sizeof(option_flags) / sizeof(option_flags[0]); i++)
		if (strstr(msg, option_flags[i].field))
			return option_flags[i].flag;
	return NULL;
}

/* 0, or the exit status after printing why the engine could not be opened. */
static int open_engine(struct capture_args *a, struct scap **h)
{
	/* Larger than SCAP_ERRBUF_SIZE: "auto" explains every candidate. */
	char err[4 * SCAP_ERRBUF_SIZE] = "";
	int rc = scap_open(h, a->engine, &a->opts, err, sizeof(err));

	if (rc == 0)
		return 0;
	if (!err[0])
		snprintf(err, sizeof(err), "%s", strerror(-rc));
	if (rc == -EINVAL && flag_of(err)) {
		cli_errorf("%s (check %s)", err, flag_of(err));
		return CLI_EXIT_USAGE;
	}
	if (!is_offline(a->engine) && geteuid() != 0 && !strstr(err, "root"))
		cli_errorf("cannot open engine '%s': %s (you are not root: live capture needs root, run scap as root or with sudo)",
			   a->engine, err);
	else
		cli_errorf("cannot open engine '%s': %s", a->engine, err);
	return CLI_EXIT_FAIL;
}

static void output_error(char *err, size_t errlen, int rc, const struct cli_printer *p)
{
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory while formatting events");
	else
		snprintf(err, errlen,
			 "cannot write events: %s (%" PRIu64 " events formatted but not written): check the output file or disk space",
			 strerror(-rc), p->unwritten);
}

/* On failure, the message goes to err: it is printed after the stats line so
 * that the reason is the last thing the user reads. */
static enum stop_reason run(struct scap *h, const struct capture_args *a, struct cli_printer *p,
			    struct scap_dumper *dump, char *err, size_t errlen)
{
	uint64_t printed = 0;

	for (;;) {
		const struct scap_event *ev;
		unsigned cpu = 0;
		int rc;

		if (g_stop)
			return (enum stop_reason)g_stop;
		if (a->count && printed >= a->count)
			return STOP_COUNT;
		/* Poll first: a timeout costs the library a clock read per call,
		 * which only pays off when there is nothing to read. */
		rc = scap_next(h, &ev, &cpu, 0);
		if (rc == -EAGAIN && !g_stop)
			rc = scap_next(h, &ev, &cpu, CLI_WAIT_MS);
		if (rc == 0) {
			if (dump && scap_dump_event(dump, ev, cpu) < 0) {
				snprintf(err, errlen, "%s", scap_last_error(h));
				return STOP_ERROR;
			}
			rc = a->quiet ? 0 : cli_print_event(p, ev, cpu);
			if (rc == -EPIPE)
				return STOP_OUTPUT;
			if (rc < 0) {
				output_error(err, errlen, rc, p);
				return STOP_ERROR;
			}
			printed++;
			continue;
		}
		if (rc == -EAGAIN || rc == -EINTR)
			continue;
		if (rc == -ENODATA)
			return STOP_END;
		snprintf(err, errlen, "capture failed: %s", scap_last_error(h)[0] ? scap_last_error(h) : strerror(-rc));
		return STOP_ERROR;
	}
}

int cmd_capture(int argc, char **argv)
{
	struct capture_args a;
	struct cli_printer printer;
	struct scap *h = NULL;
	struct scap_dumper *dump = NULL;
	enum stop_reason why;
	bool help = false;
	char err[SCAP_ERRBUF_SIZE + 128] = "";
	int status = CLI_EXIT_OK, rc;

	memset(&a, 0, sizeof(a));
	a.opts.sz = sizeof(a.opts);
	rc = parse_args(argc, argv, &a, &help);
	if (rc || help) {
		if (help)
			usage(stdout);
		free(a.syscalls);
		free(a.engine_order);
		return rc;
	}
	if (cli_printer_init(&printer, STDOUT_FILENO, a.json, CLI_OUT_BUF) < 0) {
		cli_errorf("out of memory");
		free(a.syscalls);
		free(a.engine_order);
		return CLI_EXIT_FAIL;
	}
	/* Large writes when nobody watches; every line at once on a terminal. */
	printer.flush_each = isatty(STDOUT_FILENO);

	install_signals();
	status = open_engine(&a, &h);
	if (status != CLI_EXIT_OK)
		goto out;
	if (!strcmp(a.engine, "auto"))
		print_lines("auto: ", scap_engine_report(h));
	printer.h = h;
	if (scap_start(h) < 0) {
		cli_errorf("cannot start capture with engine '%s': %s", scap_engine_name(h), scap_last_error(h));
		status = CLI_EXIT_FAIL;
		goto out;
	}
	print_lines("warning: ", scap_warnings(h));
	if (a.write_path) {
		size_t n = strlen(a.write_path);
		struct scap_dump_opts dopts = {
			.sz = sizeof(dopts),
			.compress = n > 3 && !strcmp(a.write_path + n - 3, ".gz"),
		};

		if (scap_dump_open(&dump, h, a.write_path, &dopts) < 0) {
			cli_errorf("%s", scap_last_error(h));
			status = CLI_EXIT_FAIL;
			goto out;
		}
	}
	if (a.duration > 0 && arm_duration(a.duration) < 0) {
		cli_errorf("cannot arm the --duration timer: %s", strerror(errno));
		status = CLI_EXIT_FAIL;
		goto out;
	}
	fprintf(stderr, "capturing: engine=%s%s%s%s%s\n", scap_engine_name(h),
		a.json ? " format=json" : "", a.opts.unpaired ? " unpaired" : "",
		a.write_path ? " write=" : "", a.write_path ? a.write_path : "");

	why = run(h, &a, &printer, dump, err, sizeof(err));
	scap_stop(h);
	/* The trailer takes the handle's final counters: close after stopping. */
	rc = scap_dump_close(dump);
	dump = NULL;
	if (rc < 0 && why != STOP_ERROR) {
		snprintf(err, sizeof(err), "%s", scap_last_error(h));
		why = STOP_ERROR;
	}
	rc = cli_printer_flush(&printer);
	if (rc < 0 && rc != -EPIPE && why != STOP_ERROR) {
		output_error(err, sizeof(err), rc, &printer);
		why = STOP_ERROR;
	}
	print_stats(h, &a, &printer, why);
	if (why == STOP_ERROR) {
		cli_errorf("%s", err);
		status = CLI_EXIT_FAIL;
	}
out:
	scap_dump_close(dump);
	scap_close(h);
	cli_printer_free(&printer);
	free(a.syscalls);
	free(a.engine_order);
	return status;
}
