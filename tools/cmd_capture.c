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
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Longest wait in scap_next: bounds how late a signal that lands just before
 * the wait is noticed, without costing anything while events flow. */
#define CLI_WAIT_MS 200
/* Bytes of output gathered before one write(2). */
#define CLI_OUT_BUF (1u << 20)
/*
 * An idle stream's lines go out at once, unless the last idle write was less
 * than this long ago: then at this mark. A steady trickle of events (the
 * stream idles between every few) costs at most 100 writes per second, and
 * no line waits longer than this after the stream went idle.
 */
#define CLI_IDLE_FLUSH_MS 10

enum stop_reason {
	STOP_NONE = 0, STOP_SIGNAL, STOP_DURATION, STOP_COUNT, STOP_END, STOP_OUTPUT, STOP_ERROR,
	STOP_PID_EXITED,
};
static const char *const stop_names[] = {
	[STOP_NONE] = "none", [STOP_SIGNAL] = "signal", [STOP_DURATION] = "duration",
	[STOP_COUNT] = "count", [STOP_END] = "end", [STOP_OUTPUT] = "output_closed",
	[STOP_ERROR] = "error", [STOP_PID_EXITED] = "pid_exited",
};

static volatile sig_atomic_t g_stop;
/* SIGINT/SIGTERM received: a second one cuts the drain after a stop short. */
static volatile sig_atomic_t g_signals;

static void on_signal(int sig)
{
	if (sig != SIGALRM)
		g_signals++;
	if (!g_stop)
		g_stop = sig == SIGALRM ? STOP_DURATION : STOP_SIGNAL;
}

struct capture_args {
	const char *engine;
	bool json, unpaired;
	unsigned verbose;          /* -v: what a user can act on; -vv: libbpf's debug stream too */
	bool line_buffered;        /* --line-buffered: write every line at once */
	/* Sizes of the kernel buffers, checked once the engine is known: a
	 * replay has none, and takes any well-formed value (with a note). */
	const char *buffer_text, *cpus_text, *snaplen_text;
	bool quiet;                /* --quiet: record only, print no events */
	bool wall_clock;           /* --wall-clock: ts as time since the epoch */
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
	      "  --pid PID              only the process PID (its threads included); it must be\n"
	      "                         running, and the capture stops when it exits (with --read:\n"
	      "                         a process of the recorded host)\n"
	      "  --syscalls LIST        only these syscalls, comma-separated (openat,connect,...);\n"
	      "                         procexit: the end of every thread\n"
	      "  --buffer-size BYTES    bytes per kernel buffer, 4K to 1G, K/M/G suffixes (default\n"
	      "                         8M); an engine may round it up, and says so in a note\n"
	      "  --cpus-per-buffer N    CPUs sharing one kernel buffer (default 1)\n"
	      "  --snaplen BYTES        bytes kept of I/O buffers (default 80, max 16K)\n"
	      "                         (the three above do not apply to --read: ignored, with a note)\n"
	      "  --line-buffered        write each line as it comes (default: when the stream\n"
	      "                         goes idle, or every MiB under load; each line on a terminal)\n"
	      "  --unpaired             raw enter and exit events, without pairing them\n"
	      "  --savefile PATH        replay the capture file PATH (engine savefile)\n"
	      "  --read PATH            same as --savefile PATH (--syscalls and --pid apply)\n"
	      "  --write PATH           also record the events to the capture file PATH\n"
	      "                         (gzip-compressed when PATH ends in .gz)\n"
	      "  --quiet                print no events (with --write: record only)\n"
	      "  --wall-clock           ts as wall-clock time (UTC): seconds since the epoch, in JSON ns;\n"
	      "                         a replayed file uses the clock of the host that recorded it\n"
	      "  --no-proc              no process table: no /proc scan at start, no comm or\n"
	      "                         proc in the lines (the bare stream)\n"
	      "  --synthetic-seed N     seed of the synthetic stream (default 1)\n"
	      "  --synthetic-events N   events the synthetic engine generates (default endless)\n"
	      "  --synthetic-cpus N     virtual CPUs of the synthetic engine (default 4)\n"
	      "  -v, --verbose          print the library's diagnostics on stderr: engine set-up\n"
	      "                         and warnings; -vv also libbpf's debug stream\n",
	      f);
}

/* ctx is the lowest level printed: SCAP_LOG_INFO for -v, SCAP_LOG_DEBUG for -vv. */
static void log_to_stderr(enum scap_log_level lvl, const char *msg, void *ctx)
{
	static const char *const names[] = { "debug", "info", "warning", "error" };

	if ((uintptr_t)lvl < (uintptr_t)ctx)
		return;
	fprintf(stderr, "scap: %s: %s\n", lvl <= SCAP_LOG_ERROR ? names[lvl] : "log", msg);
}

enum {
	OPT_ENGINE = 256, OPT_ENGINE_ORDER, OPT_JSON, OPT_COUNT, OPT_DURATION, OPT_PID, OPT_SYSCALLS,
	OPT_BUFFER_SIZE, OPT_CPUS_PER_BUFFER, OPT_SNAPLEN, OPT_UNPAIRED, OPT_SAVEFILE, OPT_SEED,
	OPT_SYN_EVENTS, OPT_SYN_CPUS, OPT_WRITE, OPT_QUIET, OPT_LINE_BUFFERED, OPT_WALL_CLOCK, OPT_NO_PROC,
};

/*
 * --buffer-size, --cpus-per-buffer and --snaplen, once the engine is known:
 * in range for a capture; for a replay (no kernel buffers) only well formed,
 * and left out with a note.
 */
static int parse_buffer_options(struct capture_args *a)
{
	bool replay = !strcmp(a->engine, "savefile");
	const struct {
		const char *flag, *text;
		bool size;
		uint64_t min, max;
	} opts[] = {
		{ "--buffer-size", a->buffer_text, true, SCAP_MIN_BUFFER_BYTES, SCAP_MAX_BUFFER_BYTES },
		{ "--cpus-per-buffer", a->cpus_text, false, 1, 1u << 16 },
		{ "--snaplen", a->snaplen_text, true, 1, SCAP_MAX_SNAPLEN },
	};
	uint64_t v[3] = { 0, 0, 0 };

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		uint64_t min = replay ? 0 : opts[i].min, max = replay ? UINT64_MAX : opts[i].max;
		int rc;

		if (!opts[i].text)
			continue;
		rc = opts[i].size ? cli_parse_size(opts[i].flag, opts[i].text, min, max, &v[i])
				  : cli_parse_u64(opts[i].flag, opts[i].text, min, max, &v[i]);
		if (rc < 0)
			return CLI_EXIT_USAGE;
		if (replay) {
			fprintf(stderr, "note: %s does not apply to a replay (--read): ignored\n", opts[i].flag);
			v[i] = 0;
		}
	}
	a->opts.buffer_bytes = (size_t)v[0];
	a->opts.cpus_per_buffer = (unsigned)v[1];
	a->opts.snaplen = (unsigned)v[2];
	return 0;
}

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
		{ "line-buffered", no_argument, NULL, OPT_LINE_BUFFERED },
		{ "wall-clock", no_argument, NULL, OPT_WALL_CLOCK },
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
			/* The names are the library's to resolve (scap_open): it knows
			 * every name a selection takes, syscalls and others. */
			free(a->syscalls);
			if (cli_split_list("--syscalls", optarg, &a->syscalls) < 0)
				return CLI_EXIT_USAGE;
			a->opts.syscalls = (const char *const *)a->syscalls;
			break;
		case OPT_BUFFER_SIZE:
			a->buffer_text = optarg;
			break;
		case OPT_CPUS_PER_BUFFER:
			a->cpus_text = optarg;
			break;
		case OPT_SNAPLEN:
			a->snaplen_text = optarg;
			break;
		case OPT_LINE_BUFFERED:
			a->line_buffered = true;
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
		case OPT_WALL_CLOCK:
			a->wall_clock = true;
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
			a->verbose++;
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
	/* A file to replay and a live engine: the file would be ignored, silently. */
	if (a->opts.savefile_path && strcmp(a->engine, "savefile")) {
		cli_errorf("--read %s replays a file, which engine '%s' cannot do: drop --engine to replay it, or "
			   "drop --read to capture live", a->opts.savefile_path, a->engine);
		return CLI_EXIT_USAGE;
	}
	if (a->opts.savefile_path && a->write_path) {
		struct stat in, out;

		if (stat(a->opts.savefile_path, &in) == 0 && stat(a->write_path, &out) == 0 &&
		    in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
			cli_errorf("--write %s is the file --read replays (same file): writing it would destroy it; "
				   "write to another path", a->write_path);
			return CLI_EXIT_USAGE;
		}
	}
	if (parse_buffer_options(a))
		return CLI_EXIT_USAGE;
	if (a->verbose) {
		a->opts.log = log_to_stderr;
		a->opts.log_ctx = (void *)(uintptr_t)(a->verbose > 1 ? SCAP_LOG_DEBUG : SCAP_LOG_INFO);
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

/*
 * The counts (docs/cli.md): delivered = events handed out after pairing and
 * filtering (the lines printed, unless the output failed); kernel_events =
 * raw records the kernel side stored; per buffer, records_read = raw records
 * the core read from it (an enter and its exit count two).
 */
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
			"stats: {\"delivered\":%" PRIu64 ",\"drops\":%" PRIu64 ",\"drops_buffer_full\":%" PRIu64
			",\"drops_other\":%" PRIu64 ",\"kernel_events\":%" PRIu64 ",\"toctou\":%" PRIu64
			",\"pairing_evicted\":%" PRIu64 ",\"pairing_orphan_exits\":%" PRIu64
			",\"attach_failures\":%u,\"decode_errors\":%" PRIu64 ",\"exits_without_enter\":%" PRIu64
			",\"out_of_order\":%" PRIu64 ",\"unread\":%" PRIu64 ",\"proc_entries\":%" PRIu64
			",\"proc_scans\":%" PRIu64 ",\"proc_evictions\":%" PRIu64 ",\"proc_lookups\":%" PRIu64
			",\"proc_lookup_misses\":%" PRIu64 ",\"engine\":",
			st.events, st.drops, st.drops_buffer_full, st.drops_other, st.kernel_events, st.toctou,
			st.pairing_evicted, st.pairing_orphan_exits, st.attach_failures, p->decode_errors,
			st.exits_without_enter, st.out_of_order, st.unread, st.proc_entries, st.proc_scans,
			st.proc_evictions, st.proc_lookups, st.proc_lookup_misses);
		cli_json_string(stderr, scap_engine_name(h));
		fprintf(stderr, ",\"stopped\":\"%s\",\"buffers\":[", stop_names[why]);
		for (i = 0; i < st.nbuffers; i++) {
			struct scap_buffer_stats bs = { .sz = sizeof(bs) };

			if (scap_get_buffer_stats(h, i, &bs) < 0)
				continue;
			fprintf(stderr,
				"%s{\"cpu\":%d,\"records_read\":%" PRIu64 ",\"drops\":%" PRIu64
				",\"drops_buffer_full\":%" PRIu64 ",\"drops_other\":%" PRIu64
				",\"kernel_events\":%" PRIu64 "}",
				i ? "," : "", bs.cpu, bs.events, bs.drops, bs.drops_buffer_full, bs.drops_other,
				bs.kernel_events);
		}
		fputs("]}\n", stderr);
		return;
	}
	fprintf(stderr,
		"stats: delivered=%" PRIu64 " drops=%" PRIu64 " drops_buffer_full=%" PRIu64 " drops_other=%" PRIu64
		" kernel_events=%" PRIu64 " toctou=%" PRIu64 " pairing_evicted=%" PRIu64
		" pairing_orphan_exits=%" PRIu64 " attach_failures=%u decode_errors=%" PRIu64
		" exits_without_enter=%" PRIu64 " out_of_order=%" PRIu64 " unread=%" PRIu64 " proc_entries=%" PRIu64
		" proc_scans=%" PRIu64 " proc_evictions=%" PRIu64 " proc_lookups=%" PRIu64
		" proc_lookup_misses=%" PRIu64 " engine=%s stopped=%s buffers=%u drops_by_buffer=",
		st.events, st.drops, st.drops_buffer_full, st.drops_other, st.kernel_events, st.toctou,
		st.pairing_evicted, st.pairing_orphan_exits, st.attach_failures, p->decode_errors,
		st.exits_without_enter, st.out_of_order, st.unread, st.proc_entries, st.proc_scans, st.proc_evictions,
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

/*
 * The library's "invalid option FIELD[=VALUE]..." in the flag's terms,
 * "invalid --FLAG[ VALUE]...", into out. false when msg names no option.
 */
static bool in_flag_terms(const char *msg, char *out, size_t len)
{
	static const char lead[] = "invalid option ";
	const char *p = strstr(msg, lead), *f;

	if (!p)
		return false;
	f = p + strlen(lead);
	for (size_t i = 0; i < sizeof(option_flags) / sizeof(option_flags[0]); i++) {
		size_t n = strlen(option_flags[i].field);

		if (strncmp(f, option_flags[i].field, n) || (f[n] != '=' && f[n] != ':' && f[n] != ' '))
			continue;
		snprintf(out, len, "%.*sinvalid %s%s%s", (int)(p - msg), msg, option_flags[i].flag,
			 f[n] == '=' ? " " : "", f[n] == '=' ? f + n + 1 : f + n);
		return true;
	}
	return false;
}

/*
 * --buffer-size as the engine made it: rounded up to what it supports (a
 * power of two for ring buffers), or fixed (the module's): say so, in the
 * flag's terms, rather than let the user believe the value was taken as is.
 */
static void note_buffer_size(struct scap *h, const struct capture_args *a)
{
	struct scap_buffer_stats bs = { .sz = sizeof(bs) };
	char want[32], got[32];

	if (!a->buffer_text || !a->opts.buffer_bytes || scap_get_buffer_stats(h, 0, &bs) < 0 || !bs.bytes ||
	    bs.bytes == a->opts.buffer_bytes)
		return;
	cli_size_text(a->opts.buffer_bytes, want, sizeof(want));
	cli_size_text(bs.bytes, got, sizeof(got));
	fprintf(stderr, "note: --buffer-size %s is not a size engine %s supports: its buffers are %s (%" PRIu64
		" bytes) each\n", want, scap_engine_name(h), got, bs.bytes);
}

/* 0, or the exit status after printing why the engine could not be opened. */
static int open_engine(struct capture_args *a, struct scap **h)
{
	/* Larger than SCAP_ERRBUF_SIZE: "auto" explains every candidate. */
	char err[4 * SCAP_ERRBUF_SIZE] = "", flagged[sizeof(err) + 64];
	int rc = scap_open(h, a->engine, &a->opts, err, sizeof(err));

	if (rc == 0)
		return 0;
	if (!err[0])
		snprintf(err, sizeof(err), "%s", strerror(-rc));
	/* A value the library refused (a pid that names no process included):
	 * the command line is what to fix. */
	if ((rc == -EINVAL || rc == -ESRCH) && in_flag_terms(err, flagged, sizeof(flagged))) {
		cli_errorf("%s", flagged);
		return CLI_EXIT_USAGE;
	}
	/* Only a privilege failure gets the root hint: where the kernel cannot
	 * do it (no module support, no BTF), root would not help. */
	if (rc == -EPERM && !is_offline(a->engine) && geteuid() != 0 && !strstr(err, "root"))
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

/* Records and prints one event: 0, or the stop reason (err filled). */
static enum stop_reason deliver(struct scap *h, const struct capture_args *a, struct cli_printer *p,
				struct scap_dumper *dump, const struct scap_event *ev, unsigned cpu, char *err,
				size_t errlen)
{
	int rc;

	if (dump && scap_dump_event(dump, ev, cpu) < 0) {
		snprintf(err, errlen, "%s", scap_last_error(h));
		return STOP_ERROR;
	}
	/* Follows a step of the system clock (scap_boot_time re-measures). */
	if (a->wall_clock && !a->quiet)
		scap_boot_time(h, &p->ts_offset_ns);
	rc = a->quiet ? 0 : cli_print_event(p, ev, cpu);
	if (rc == -EPIPE)
		return STOP_OUTPUT;
	if (rc < 0) {
		output_error(err, errlen, rc, p);
		return STOP_ERROR;
	}
	return STOP_NONE;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* What run() keeps between two idle moments. */
struct idle_state {
	uint64_t flushed_ms;       /* when an idle write last went out */
	bool draining;             /* the process of --pid has exited: read what is left */
};

/*
 * The stream went idle (nothing to read right now): what is buffered goes
 * out now rather than with the next event, which may never come (at most
 * every CLI_IDLE_FLUSH_MS: *wait_ms is cut so that the wait ends at that
 * mark). With nothing buffered, no write can tell whether the reader went
 * away: look. And whether the process of --pid exited. Under load the
 * stream never idles and the output leaves in 1 MiB writes. The capture
 * file's pending block goes to disk in time too. STOP_NONE to go on.
 */
static enum stop_reason on_idle(struct scap *h, struct cli_printer *p, struct scap_dumper *dump,
				struct cli_pid_watch *w, struct idle_state *st, int *wait_ms, char *err, size_t errlen)
{
	if (dump && scap_dump_tick(dump) < 0) {
		snprintf(err, errlen, "%s", scap_last_error(h));
		return STOP_ERROR;
	}
	if (p->out_len) {
		uint64_t now = mono_ms(), since = now - st->flushed_ms;
		int rc;

		if (since < CLI_IDLE_FLUSH_MS) {
			if (*wait_ms > (int)(CLI_IDLE_FLUSH_MS - since))
				*wait_ms = (int)(CLI_IDLE_FLUSH_MS - since);
		} else {
			rc = cli_printer_flush(p);
			st->flushed_ms = now;
			if (rc == -EPIPE)
				return STOP_OUTPUT;
			if (rc < 0) {
				output_error(err, errlen, rc, p);
				return STOP_ERROR;
			}
		}
	} else if (cli_output_gone(p->fd)) {
		return STOP_OUTPUT;
	}
	/* Its last events were committed before it died: one more full wait
	 * reads them (and lets the merge settle them), the next idle stops. */
	if (st->draining)
		return STOP_PID_EXITED;
	st->draining = cli_pid_watch_exited(w);
	if (st->draining)
		*wait_ms = CLI_WAIT_MS;
	return STOP_NONE;
}

/* On failure, the message goes to err: it is printed after the stats line so
 * that the reason is the last thing the user reads. */
static enum stop_reason run(struct scap *h, const struct capture_args *a, struct cli_printer *p,
			    struct scap_dumper *dump, struct cli_pid_watch *w, uint64_t *printed, char *err,
			    size_t errlen)
{
	struct idle_state idle_st = { .flushed_ms = 0, .draining = false };

	for (;;) {
		const struct scap_event *ev;
		enum stop_reason why;
		unsigned cpu = 0;
		int rc, wait_ms = CLI_WAIT_MS;

		if (g_stop)
			return (enum stop_reason)g_stop;
		if (a->count && *printed >= a->count)
			return STOP_COUNT;
		/* Poll first: a timeout costs the library a clock read per call,
		 * which only pays off when there is nothing to read. */
		rc = scap_next(h, &ev, &cpu, 0);
		if (rc == -EAGAIN && !g_stop) {
			why = on_idle(h, p, dump, w, &idle_st, &wait_ms, err, errlen);
			if (why != STOP_NONE)
				return why;
			rc = scap_next(h, &ev, &cpu, wait_ms);
		}
		if (rc == 0) {
			why = deliver(h, a, p, dump, ev, cpu, err, errlen);
			if (why != STOP_NONE)
				return why;
			(*printed)++;
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

/*
 * After scap_stop: the events still in the kernel buffers are delivered (a
 * --duration or Ctrl-C stop loses nothing), up to --count; a second Ctrl-C
 * cuts this short, and what is left is reported as unread in the stats.
 */
static enum stop_reason drain(struct scap *h, const struct capture_args *a, struct cli_printer *p,
			      struct scap_dumper *dump, uint64_t *printed, enum stop_reason why, char *err,
			      size_t errlen)
{
	while (g_signals < 2 && !(a->count && *printed >= a->count)) {
		const struct scap_event *ev;
		enum stop_reason r;
		unsigned cpu = 0;
		int rc = scap_next(h, &ev, &cpu, 0);

		if (rc == -EINTR)
			continue;
		if (rc < 0)
			break;
		r = deliver(h, a, p, dump, ev, cpu, err, errlen);
		if (r != STOP_NONE)
			return r;
		(*printed)++;
	}
	return why;
}

int cmd_capture(int argc, char **argv)
{
	struct capture_args a;
	struct cli_printer printer;
	struct scap *h = NULL;
	struct scap_dumper *dump = NULL;
	struct cli_pid_watch watch = { .pid = 0, .fd = -1 };
	enum stop_reason why;
	bool help = false;
	char err[SCAP_ERRBUF_SIZE + 128] = "";
	uint64_t printed = 0;
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
	/* Every line at once on a terminal or when asked; else large writes,
	 * and what is buffered goes out whenever the stream goes idle (run). */
	printer.flush_each = a.line_buffered || isatty(STDOUT_FILENO);

	install_signals();
	status = open_engine(&a, &h);
	if (status != CLI_EXIT_OK)
		goto out;
	if (!strcmp(a.engine, "auto"))
		print_lines("auto: ", scap_engine_report(h));
	if (a.wall_clock && scap_boot_time(h, &printer.ts_offset_ns) < 0) {
		cli_errorf("--wall-clock: %s: leave the option out", scap_last_error(h));
		status = CLI_EXIT_USAGE;
		goto out;
	}
	printer.h = h;
	if (scap_start(h) < 0) {
		cli_errorf("cannot start capture with engine '%s': %s", scap_engine_name(h), scap_last_error(h));
		status = CLI_EXIT_FAIL;
		goto out;
	}
	print_lines("warning: ", scap_warnings(h));
	note_buffer_size(h, &a);
	/* A live capture of one process ends with it (the library made sure it
	 * was running); a replay's pid is a recorded one. */
	if (a.opts.pid && !is_offline(scap_engine_name(h)))
		cli_pid_watch_open(&watch, a.opts.pid);
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

	why = run(h, &a, &printer, dump, &watch, &printed, err, sizeof(err));
	scap_stop(h);
	if (why == STOP_SIGNAL || why == STOP_DURATION || why == STOP_PID_EXITED)
		why = drain(h, &a, &printer, dump, &printed, why, err, sizeof(err));
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
	cli_pid_watch_close(&watch);
	scap_dump_close(dump);
	scap_close(h);
	cli_printer_free(&printer);
	free(a.syscalls);
	free(a.engine_order);
	return status;
}
