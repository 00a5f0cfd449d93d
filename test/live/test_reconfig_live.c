// SPDX-License-Identifier: Apache-2.0
/*
 * Live settings (scap_set_syscalls, scap_set_snaplen, scap_set_pid_filter)
 * on a running capture, with the engine named by argv[1]:
 *
 *   selections: a thread opens numbered files without pause while the main
 *   thread switches 10 times between {openat, dup, write} and
 *   {openat, fsync, write} and a snaplen of 8, 16, 24 or 32. After each
 *   switch it calls dup(-1000-i), fsync(-1000-i) and write(fd, 100+i bytes).
 *   Every numbered openat must arrive exactly once (it is in both
 *   selections), dup's marker exactly in the phases that select dup and
 *   never in the others, fsync's the other way round, and every phase's write
 *   exactly once with min(100+i, snaplen) bytes of its buffer. Meanwhile a
 *   third thread calls dup and fsync in turn without pause: if a switch
 *   took effect for some syscalls before others, both would be selected (or
 *   neither) for a moment, and its captured calls, in program order, would
 *   change from one syscall to the other more often than there were
 *   switches;
 *
 *   pid filter: the filter switches between this process and a child, both
 *   opening a marker file per phase: each marker arrives exactly when its
 *   process is the one selected, both when the filter is 0;
 *
 *   a thread that syscalls now and then: while the selection switches,
 *   each switch holding both loads of programs side by side for 100 ms
 *   (SCAP_TEST_SWITCH_PAUSE_MS), a thread on a CPU of its own opens a
 *   numbered file every 10 to 40 ms: every open exactly once;
 *
 *   refusals: an unknown syscall name and a snaplen too large are -EINVAL
 *   with the reason, and the selection in force goes on.
 *
 * No drop is allowed (the workload is paced): a drop would make "exactly
 * once" unverifiable. Needs root and the engine; exits 77 with the reason
 * otherwise. SCAP_RECONFIG_PHASES overrides the 10 phases (the VM test uses
 * fewer under emulation).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scap/scap.h"
#include "../common/check.h"

#define MAX_PHASES 64
#define MAX_OPENS 2000000
#define MARK 1000
#define PROBE 100000 /* the probing thread's dup/fsync fds: -PROBE - n */
/*
 * The markers' directory names this run (its pid): in the pid filter's last
 * phase every process is captured, and another run of this test on the host
 * (a CI job beside a developer's ctest) opens the same markers. Set in main.
 */
static char run_dir[64];
#define BG_FMT "%s/bg-%ld"
#define PID_FMT "%s/pid-%s-%d"
#define DEADLINE_S 60 /* for a missing event, not a speed requirement */


static const char *const sel_a[] = { "openat", "dup", "write", NULL };
static const char *const sel_b[] = { "openat", "fsync", "write", NULL };

static unsigned snaplen_of(int phase)
{
	return 8u * (unsigned)(1 + phase % 4);
}

/* ---- what the reader saw -------------------------------------------------------- */

struct seen {
	unsigned *bg;                   /* per background open: how many times */
	long nbg;                       /* bg's entries */
	unsigned dup[MAX_PHASES], fsync[MAX_PHASES], write[MAX_PHASES];
	int write_len[MAX_PHASES];      /* buf bytes of the phase's write */
	unsigned char *probe;           /* per probing round n: 1 dup seen, 2 fsync seen */
	unsigned pid_main[MAX_PHASES + 1], pid_child[MAX_PHASES + 1];
	unsigned other;                 /* other events of this process (libbpf opening files, ...) */
	int end;                        /* atomic: the end marker arrived */
};

struct reader {
	struct scap *h;
	struct seen *s;
	int stop;                       /* atomic: stop after the end marker (or now) */
	int ready;                      /* atomic: the reader has waited once */
	int err;
};

static long param_i(const struct scap_event *ev, const char *name)
{
	struct scap_param p;

	return scap_event_param_by_name(ev, name, &p) == 0 ? (long)p.v.i : 0x7fffffff;
}

/* The first raw argument of a generic event (fsync has no typed row), an int. */
static long arg0(const struct scap_event *ev)
{
	struct scap_param p;
	uint64_t a = 0x7fffffff;

	if (scap_event_param_by_name(ev, "args", &p) == 0 && p.len >= 8)
		memcpy(&a, p.data, 8);
	return (long)(int32_t)a;
}

static void record(struct seen *s, const struct scap_event *ev)
{
	const char *name = scap_event_name(ev);
	struct scap_param p;
	long v;

	if (!strcmp(name, "openat") && scap_event_param_by_name(ev, "pathname", &p) == 0 && p.str &&
	    !strncmp(p.str, run_dir, strlen(run_dir))) {
		const char *rest = p.str + strlen(run_dir);

		if (!strncmp(rest, "/bg-", 4)) {
			v = strtol(rest + 4, NULL, 10);
			if (v >= 0 && v < s->nbg) {
				s->bg[v]++;
				return;
			}
		} else if (!strncmp(rest, "/pid-", 5)) {
			const char *who = rest + 5;

			v = strtol(who + 5, NULL, 10); /* "main-N" or "chld-N" */
			if (v >= 0 && v <= MAX_PHASES) {
				if (!strncmp(who, "main-", 5))
					s->pid_main[v]++;
				else
					s->pid_child[v]++;
				return;
			}
		} else if (!strcmp(rest, "/end")) {
			__atomic_store_n(&s->end, 1, __ATOMIC_RELEASE);
			return;
		}
	} else if (!strcmp(name, "dup")) {
		v = -param_i(ev, "oldfd") - MARK;
		if (v >= 0 && v < MAX_PHASES) {
			s->dup[v]++;
			return;
		}
		v = -param_i(ev, "oldfd") - PROBE;
		if (s->probe && v >= 0 && v < MAX_OPENS) {
			s->probe[v] |= 1;
			return;
		}
	} else if (!strcmp(name, "fsync")) {
		v = -arg0(ev) - MARK;
		if (v >= 0 && v < MAX_PHASES) {
			s->fsync[v]++;
			return;
		}
		v = -arg0(ev) - PROBE;
		if (s->probe && v >= 0 && v < MAX_OPENS) {
			s->probe[v] |= 2;
			return;
		}
	} else if (!strcmp(name, "write")) {
		v = param_i(ev, "count") - 100;
		if (v >= 0 && v < MAX_PHASES && scap_event_param_by_name(ev, "buf", &p) == 0) {
			s->write[v]++;
			s->write_len[v] = (int)p.len;
			return;
		}
	}
	/* Loading programs opens files too: only the markers are checked. */
	s->other++;
}

static void *reader_thread(void *arg)
{
	struct reader *r = arg;
	const struct scap_event *ev;
	time_t deadline = 0;

	for (;;) {
		int k = scap_next(r->h, &ev, NULL, 100);

		/*
		 * Until another thread calls scap_next, the thread that opened
		 * the handle is the one left out (opts.capture_self): the
		 * markers wait for this.
		 */
		__atomic_store_n(&r->ready, 1, __ATOMIC_RELEASE);
		if (k == 0) {
			/* The pid filter is ours or the child's; other processes' events never come. */
			record(r->s, ev);
			continue;
		}
		if (k != -EAGAIN && k != -EINTR) {
			r->err = k;
			printf("  scap_next: %s\n", scap_last_error(r->h));
			break;
		}
		if (__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
			/* Read on until the end marker, then what is left. */
			if (!deadline)
				deadline = time(NULL) + DEADLINE_S;
			if (__atomic_load_n(&r->s->end, __ATOMIC_ACQUIRE) || time(NULL) > deadline)
				break;
		}
	}
	return NULL;
}

static void start_reader(struct reader *r, pthread_t *th)
{
	pthread_create(th, NULL, reader_thread, r);
	while (!__atomic_load_n(&r->ready, __ATOMIC_ACQUIRE))
		nanosleep(&(struct timespec){ 0, 1000 * 1000 }, NULL);
}

/* ---- the background workload ------------------------------------------------------- */

struct bg {
	int stop;       /* atomic */
	long opened;    /* how many numbered opens it made */
};

/* dup, fsync, dup, fsync, ...: each selected in half of the phases. */
static void *probe_thread(void *arg)
{
	struct bg *b = arg;
	long n;

	for (n = 0; n < MAX_OPENS && !__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE); n++) {
		syscall(SYS_dup, -PROBE - n);
		syscall(SYS_fsync, -PROBE - n);
		if (n % 25 == 24)
			nanosleep(&(struct timespec){ 0, 1000 * 1000 }, NULL);
	}
	b->opened = n;
	return NULL;
}

static void *bg_thread(void *arg)
{
	struct bg *b = arg;
	char path[96];
	long k;

	for (k = 0; k < MAX_OPENS && !__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE); k++) {
		snprintf(path, sizeof(path), BG_FMT, run_dir, k);
		syscall(SYS_openat, AT_FDCWD, path, O_RDONLY, 0);
		/* Paced, so that the buffers never fill: a drop would hide a loss. */
		if (k % 50 == 49)
			nanosleep(&(struct timespec){ 0, 1000 * 1000 }, NULL);
	}
	b->opened = k;
	return NULL;
}

static struct scap *open_engine(const char *engine, const char *const *sys, int32_t pid, unsigned snaplen)
{
	struct scap_open_opts o = { .sz = sizeof(o), .syscalls = sys, .pid = pid, .snaplen = snaplen,
				    .buffer_bytes = 16u << 20 };
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	if (scap_open(&h, engine, &o, err, sizeof(err)) < 0) {
		CHECK(0, "open %s: %s", engine, err);
		return NULL;
	}
	if (scap_start(h) < 0) {
		CHECK(0, "start %s: %s", engine, scap_last_error(h));
		scap_close(h);
		return NULL;
	}
	return h;
}

static void finish(struct scap *h, struct reader *r, pthread_t th)
{
	struct scap_stats st = { .sz = sizeof(st) };

	char path[96];

	snprintf(path, sizeof(path), "%s/end", run_dir);
	syscall(SYS_openat, AT_FDCWD, path, O_RDONLY, 0);
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	CHECK(r->s->end, "the end marker never arrived");
	CHECK(r->err == 0, "scap_next failed (%d)", r->err);
	scap_get_stats(h, &st);
	CHECK(st.drops == 0, "%llu events dropped: exactly-once cannot be checked (the machine is too busy?)",
	      (unsigned long long)st.drops);
}

static void test_selections(const char *engine, int phases)
{
	struct seen *s = calloc(1, sizeof(*s));
	struct reader r = { .s = s };
	struct bg b = { 0 }, pb = { 0 };
	pthread_t rt, bt, pt;
	char buf[256];
	int devnull = open("/dev/null", O_WRONLY), lost = 0, dup2 = 0, before = check_failures;
	double t0, switch_s = 0;
	struct timespec ts;

	s->bg = calloc(MAX_OPENS, sizeof(*s->bg));
	s->nbg = s->bg ? MAX_OPENS : 0;
	s->probe = calloc(MAX_OPENS, 1);
	memset(buf, 'x', sizeof(buf));
	r.h = open_engine(engine, sel_a, getpid(), snaplen_of(0));
	if (!r.h)
		goto out;
	start_reader(&r, &rt);
	pthread_create(&bt, NULL, bg_thread, &b);
	pthread_create(&pt, NULL, probe_thread, &pb);
	for (int i = 0; i < phases; i++) {
		const char *const *sel = i % 2 ? sel_b : sel_a;
		int e1, e2;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		t0 = (double)ts.tv_sec + ts.tv_nsec / 1e9;
		e1 = i ? scap_set_syscalls(r.h, sel) : 0;
		CHECK(e1 == 0, "phase %d: scap_set_syscalls: %s", i, scap_last_error(r.h));
		e2 = i ? scap_set_snaplen(r.h, snaplen_of(i)) : 0;
		CHECK(e2 == 0, "phase %d: scap_set_snaplen: %s", i, scap_last_error(r.h));
		clock_gettime(CLOCK_MONOTONIC, &ts);
		switch_s += (double)ts.tv_sec + ts.tv_nsec / 1e9 - t0;
		/* This phase's markers: each selected in half of the phases. */
		syscall(SYS_dup, -MARK - i);
		syscall(SYS_fsync, -MARK - i);
		CHECK(write(devnull, buf, 100 + i) == 100 + i, "write to /dev/null");
	}
	__atomic_store_n(&b.stop, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&pb.stop, 1, __ATOMIC_RELEASE);
	pthread_join(bt, NULL);
	pthread_join(pt, NULL);
	finish(r.h, &r, rt);

	for (long k = 0; k < b.opened; k++) {
		if (s->bg[k] != 1) {
			if (lost < 5)
				printf("  background open %ld arrived %u times\n", k, s->bg[k]);
			lost++;
		}
	}
	CHECK(lost == 0, "%d of %ld background opens did not arrive exactly once", lost, b.opened);
	/* The probing thread's captured calls in program order: one change of syscall per switch at most. */
	int changes = 0, last = 0, probes = 0;

	for (long n = 0; n < pb.opened; n++) {
		for (int kind = 1; kind <= 2; kind++) {
			if (!(s->probe[n] & kind))
				continue;
			probes++;
			changes += last && last != kind;
			last = kind;
		}
	}
	CHECK(changes <= phases - 1, "the probing thread's captured calls changed between dup and fsync %d times "
	      "over %d selection switches: some switch was not one instant", changes, phases - 1);
	CHECK(probes > 0, "none of the probing thread's %ld rounds was captured", pb.opened);
	for (int i = 0; i < phases; i++) {
		int want = (int)snaplen_of(i) < 100 + i ? (int)snaplen_of(i) : 100 + i;

		CHECK(s->dup[i] == (i % 2 ? 0u : 1u), "phase %d (%s): dup marker arrived %u times", i,
		      i % 2 ? "dup not selected" : "dup selected", s->dup[i]);
		CHECK(s->fsync[i] == (i % 2 ? 1u : 0u), "phase %d (%s): fsync marker arrived %u times", i,
		      i % 2 ? "fsync selected" : "fsync not selected", s->fsync[i]);
		CHECK(s->write[i] == 1, "phase %d: its write arrived %u times", i, s->write[i]);
		CHECK(s->write_len[i] == want, "phase %d: write buf of %d bytes, snaplen %u wants %d", i,
		      s->write_len[i], snaplen_of(i), want);
		dup2 += s->dup[i] + s->fsync[i];
	}
	if (check_failures == before)
		printf("%s: %d selection and snaplen switches (%.3f s each on average) while %ld numbered opens "
		       "ran: every open once, %d markers exactly in their phases; %d probing calls captured, "
		       "switching between dup and fsync %d times\n",
		       engine, 2 * (phases - 1), phases > 1 ? switch_s / (2 * (phases - 1)) : 0, b.opened, dup2,
		       probes, changes);
	scap_close(r.h);
out:
	close(devnull);
	free(s->bg);
	free(s->probe);
	free(s);
}

/* ---- the pid filter ----------------------------------------------------------------- */

/*
 * A thread that syscalls now and then, on a CPU of its own: one numbered
 * open every 10 to 40 ms. A switch must leave nothing on that CPU that a
 * later hit of the thread, once the old load is gone and the new load alone
 * decides, could take for its own (the new load's programs once stopped at
 * "not started" and left the old load's claims there: an open taken by
 * neither load, no drop counted). SCAP_TEST_SWITCH_PAUSE_MS holds each
 * switch's two-loads window open long enough for the thread to hit in it.
 */
struct sparse {
	int stop;   /* atomic */
	long opened;
};

static void *sparse_thread(void *arg)
{
	struct sparse *sp = arg;
	unsigned seed = (unsigned)getpid();
	char path[96];
	long k;

	for (k = 0; k < MAX_OPENS && !__atomic_load_n(&sp->stop, __ATOMIC_ACQUIRE); k++) {
		snprintf(path, sizeof(path), BG_FMT, run_dir, k);
		syscall(SYS_openat, AT_FDCWD, path, O_RDONLY, 0);
		nanosleep(&(struct timespec){ 0, (10 + rand_r(&seed) % 31) * 1000 * 1000L }, NULL);
	}
	sp->opened = k;
	return NULL;
}

/* CPU `nth` of this thread's allowed set alone: 0, or -1 if there is no such CPU. */
static int pin_to_nth(const cpu_set_t *allowed, int nth)
{
	cpu_set_t one;

	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, allowed) || nth--)
			continue;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		return sched_setaffinity(0, sizeof(one), &one);
	}
	return -1;
}

static void *pinned_sparse_thread(void *arg)
{
	cpu_set_t allowed;

	/* The second CPU: the test's other threads (the reader, the switches) stay on the first. */
	if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0)
		pin_to_nth(&allowed, 1);
	return sparse_thread(arg);
}

static void test_sparse_thread(const char *engine, int switches)
{
	static const char *const sel[] = { "openat", NULL };
	static const char *const sel2[] = { "openat", "fsync", NULL };
	struct seen *s = calloc(1, sizeof(*s));
	struct reader r = { .s = s };
	struct sparse sp = { 0 };
	int lost = 0, before = check_failures, ncpus;
	pthread_t rt, st;
	cpu_set_t allowed;

	s->bg = calloc(MAX_OPENS, sizeof(*s->bg));
	s->nbg = s->bg ? MAX_OPENS : 0;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
		CPU_ZERO(&allowed);
	ncpus = CPU_COUNT(&allowed);
	if (ncpus > 1)
		pin_to_nth(&allowed, 0);
	setenv("SCAP_TEST_SWITCH_PAUSE_MS", "100", 1);
	r.h = open_engine(engine, sel, getpid(), 0);
	if (!r.h)
		goto out;
	start_reader(&r, &rt);
	pthread_create(&st, NULL, pinned_sparse_thread, &sp);
	for (int i = 1; i <= switches; i++)
		CHECK(scap_set_syscalls(r.h, i % 2 ? sel2 : sel) == 0, "switch %d: scap_set_syscalls: %s", i,
		      scap_last_error(r.h));
	/* Hits after the last switch, with the new load alone. */
	nanosleep(&(struct timespec){ 0, 300 * 1000 * 1000 }, NULL);
	__atomic_store_n(&sp.stop, 1, __ATOMIC_RELEASE);
	pthread_join(st, NULL);
	finish(r.h, &r, rt);
	for (long k = 0; k < sp.opened; k++) {
		if (s->bg[k] != 1) {
			if (lost < 5)
				printf("  sparse open %ld arrived %u times\n", k, s->bg[k]);
			lost++;
		}
	}
	CHECK(lost == 0, "%d of %ld opens of a thread that syscalls now and then did not arrive exactly once",
	      lost, sp.opened);
	if (check_failures == before)
		printf("%s: %d switches (the eBPF engines hold both loads 100 ms at each) while a thread opened %ld "
		       "files on a CPU of its own%s: every open once\n", engine, switches, sp.opened,
		       ncpus > 1 ? "" : " (one CPU here: shared)");
	scap_close(r.h);
out:
	unsetenv("SCAP_TEST_SWITCH_PAUSE_MS");
	if (ncpus > 1)
		sched_setaffinity(0, sizeof(allowed), &allowed);
	free(s->bg);
	free(s);
}

static void open_marker(const char *who, int phase)
{
	char path[96];

	snprintf(path, sizeof(path), PID_FMT, run_dir, who, phase);
	syscall(SYS_openat, AT_FDCWD, path, O_RDONLY, 0);
}

static void test_pid_filter(const char *engine, int phases)
{
	static const char *const sel[] = { "openat", NULL };
	struct seen *s = calloc(1, sizeof(*s));
	struct reader r = { .s = s };
	int go[2], done[2], before = check_failures;
	pthread_t rt;
	pid_t child;
	char c;

	s->bg = calloc(1, sizeof(*s->bg));
	s->nbg = s->bg ? 1 : 0;
	if (pipe(go) || pipe(done)) {
		CHECK(0, "pipe: %s", strerror(errno));
		return;
	}
	child = fork();
	if (child == 0) {
		int i;

		close(go[1]);
		close(done[0]);
		/* One marker per byte received, numbered by the byte; ends at EOF. */
		while (read(go[0], &c, 1) == 1) {
			i = (unsigned char)c;
			open_marker("chld", i);
			if (write(done[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	r.h = open_engine(engine, sel, getpid(), 0);
	if (!r.h)
		goto out;
	start_reader(&r, &rt);
	for (int i = 0; i <= phases; i++) {
		/* Phases alternate this process and the child; the last one has no filter. */
		int32_t pid = i == phases ? 0 : i % 2 ? child : getpid();

		CHECK(scap_set_pid_filter(r.h, pid) == 0, "phase %d: scap_set_pid_filter(%d): %s", i, (int)pid,
		      scap_last_error(r.h));
		open_marker("main", i);
		c = (char)i;
		if (write(go[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
			CHECK(0, "the child does not answer");
	}
	CHECK(scap_set_pid_filter(r.h, getpid()) == 0, "back to this process: %s", scap_last_error(r.h));
	finish(r.h, &r, rt);
	for (int i = 0; i <= phases; i++) {
		unsigned want_main = i == phases || i % 2 == 0, want_child = i == phases || i % 2;

		CHECK(s->pid_main[i] == want_main, "phase %d: this process's marker arrived %u times, expected %u", i,
		      s->pid_main[i], want_main);
		CHECK(s->pid_child[i] == want_child, "phase %d: the child's marker arrived %u times, expected %u", i,
		      s->pid_child[i], want_child);
	}
	if (check_failures == before)
		printf("%s: pid filter switched %d times between this process and a child, then off: every "
		       "marker exactly when its process was selected\n", engine, phases + 2);
	scap_close(r.h);
out:
	close(go[1]);
	close(done[0]);
	waitpid(child, NULL, 0);
	free(s->bg);
	free(s);
}

/* ---- refusals ----------------------------------------------------------------------- */

static void test_refusals(const char *engine)
{
	static const char *const bad[] = { "openat", "no_such_syscall", NULL };
	struct seen *s = calloc(1, sizeof(*s));
	struct reader r = { .s = s };
	pthread_t rt;
	int before = check_failures;

	s->bg = calloc(MAX_OPENS, sizeof(*s->bg));
	s->nbg = s->bg ? MAX_OPENS : 0;
	r.h = open_engine(engine, sel_a, getpid(), 16);
	if (!r.h)
		goto out;
	start_reader(&r, &rt);
	CHECK(scap_set_syscalls(r.h, bad) == -EINVAL, "an unknown syscall name is not refused");
	CHECK(strstr(scap_last_error(r.h), "unknown syscall \"no_such_syscall\""), "message: %s",
	      scap_last_error(r.h));
	CHECK(scap_set_snaplen(r.h, SCAP_MAX_SNAPLEN + 1) == -EINVAL, "a snaplen too large is not refused");
	CHECK(scap_set_pid_filter(r.h, -5) == -EINVAL, "a negative pid is not refused");
	/* The selection in force goes on: dup still selected, fsync still not. */
	syscall(SYS_dup, -MARK - 7);
	syscall(SYS_fsync, -MARK - 7);
	finish(r.h, &r, rt);
	CHECK(s->dup[7] == 1 && s->fsync[7] == 0, "after the refusals dup came %u times, fsync %u (want 1, 0)",
	      s->dup[7], s->fsync[7]);
	if (check_failures == before)
		printf("%s: bad settings refused with their reason, the settings in force kept\n", engine);
	scap_close(r.h);
out:
	free(s->bg);
	free(s);
}

int main(int argc, char **argv)
{
	const char *engine = argc > 1 ? argv[1] : "modern_bpf";
	const char *env = getenv("SCAP_RECONFIG_PHASES");
	int phases = env ? atoi(env) : 10;
	int skip = check_live_engine(engine);

	snprintf(run_dir, sizeof(run_dir), "/nonexistent-scap-reconfig-%d", (int)getpid());

	if (skip)
		return skip;
	if (phases < 2 || phases > MAX_PHASES - 1)
		phases = 10;
	test_selections(engine, phases);
	test_sparse_thread(engine, phases);
	test_pid_filter(engine, phases);
	test_refusals(engine);
	printf("%s: %s\n", engine, check_failures ? "FAILED" : "all live settings checks passed");
	return check_failures ? 1 : 0;
}
