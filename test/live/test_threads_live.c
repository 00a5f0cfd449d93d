// SPDX-License-Identifier: Apache-2.0
/*
 * The thread-safety contract of include/scap/scap.h with a live engine:
 *   - stats calls on two other threads while one thread reads the events of
 *     a getppid loop: every figure they see is consistent (the delivered
 *     count never goes back nor past what the reader has, drops never go
 *     back), and the final count is exactly what the reader read;
 *   - scap_close on another thread while the reader waits in the engine's
 *     wait for events that do not come (pid filter on a paused child): the
 *     reader's scap_next returns -ECANCELED, and scap_close returns;
 *   - the thread left out (opts.capture_self false) is the one that last
 *     called scap_next, from its first call on, even when that call finds
 *     events waiting and never waits: the opener's later syscalls arrive,
 *     the reader's own do not.
 * Also run under ThreadSanitizer by scripts/test.sh. Needs root and the
 * engine (argv[1]); exits 77 with the reason otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
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

#define READ_EVENTS 100000u
#define JOIN_LIMIT_S 20 /* for a reader that is never woken, not a speed requirement */


static pid_t spawn(bool busy)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (busy)
			for (;;)
				getppid();
		for (;;)
			pause();
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static struct scap *open_engine(const char *engine, pid_t pid, const char *const *syscalls, char *err)
{
	struct scap_open_opts o = { .sz = sizeof(o), .pid = pid, .syscalls = syscalls };
	struct scap *h = NULL;

	if (scap_open(&h, engine, &o, err, SCAP_ERRBUF_SIZE) < 0)
		return NULL;
	if (scap_start(h) < 0) {
		snprintf(err, SCAP_ERRBUF_SIZE, "scap_start: %s", scap_last_error(h));
		scap_close(h);
		return NULL;
	}
	return h;
}

/* ---- stats while reading ---------------------------------------------------------- */

struct stats_run {
	struct scap *h;
	const int *done;
	const uint64_t *read; /* atomic: the reader's count */
	uint64_t polls, backwards, ahead, drops_back;
	int err;
};

static void *stats_thread(void *p)
{
	struct stats_run *r = p;
	uint64_t prev = 0, prev_drops = 0;

	while (!__atomic_load_n(r->done, __ATOMIC_ACQUIRE)) {
		struct scap_stats st = { .sz = sizeof(st) };
		uint64_t after;

		if (scap_get_stats(r->h, &st) < 0) {
			r->err = -1;
			break;
		}
		after = __atomic_load_n(r->read, __ATOMIC_ACQUIRE);
		for (unsigned i = 0; i < st.nbuffers; i++) {
			struct scap_buffer_stats bs = { .sz = sizeof(bs) };

			if (scap_get_buffer_stats(r->h, i, &bs) < 0)
				r->err = -2;
		}
		/* The reader counts an event after scap_next returned it: one may be in between. */
		if (st.events > after + 1)
			r->ahead++;
		if (st.events < prev)
			r->backwards++;
		if (st.drops < prev_drops)
			r->drops_back++;
		prev = st.events;
		prev_drops = st.drops;
		r->polls++;
	}
	return NULL;
}

static void test_stats_while_reading(const char *engine)
{
	static const char *const sys[] = { "getppid", NULL };
	char err[SCAP_ERRBUF_SIZE];
	pid_t child = spawn(true);
	struct scap *h = open_engine(engine, child, sys, err);
	int done = 0;
	uint64_t n = 0;
	struct stats_run run[2];
	pthread_t th[2];
	const struct scap_event *ev;
	struct scap_stats st = { .sz = sizeof(st) };

	if (!h) {
		reap(child);
		CHECK(0, "open %s: %s", engine, err);
		return;
	}
	for (int i = 0; i < 2; i++) {
		run[i] = (struct stats_run){ .h = h, .done = &done, .read = &n };
		pthread_create(&th[i], NULL, stats_thread, &run[i]);
	}
	while (__atomic_load_n(&n, __ATOMIC_RELAXED) < READ_EVENTS) {
		int r = scap_next(h, &ev, NULL, 5000);

		if (r == -EAGAIN || r == -EINTR)
			continue;
		if (r < 0) {
			CHECK(0, "scap_next: %d %s", r, scap_last_error(h));
			break;
		}
		CHECK(scap_event_pid(ev) == (uint32_t)child, "an event of pid %u, the filter is %d",
		      scap_event_pid(ev), (int)child);
		__atomic_store_n(&n, n + 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		CHECK(run[i].err == 0, "a stats call failed (%d)", run[i].err);
		CHECK(run[i].backwards == 0, "events went back %llu times", (unsigned long long)run[i].backwards);
		CHECK(run[i].ahead == 0, "stats counted more events than read %llu times",
		      (unsigned long long)run[i].ahead);
		CHECK(run[i].drops_back == 0, "drops went back %llu times", (unsigned long long)run[i].drops_back);
		CHECK(run[i].polls > 0, "no stats call ran during the capture");
	}
	CHECK(scap_get_stats(h, &st) == 0 && st.events == n, "final events %llu, read %llu",
	      (unsigned long long)st.events, (unsigned long long)n);
	printf("%s: %llu events read while two threads made %llu and %llu stats calls (drops %llu)\n", engine,
	       (unsigned long long)n, (unsigned long long)run[0].polls, (unsigned long long)run[1].polls,
	       (unsigned long long)st.drops);
	scap_close(h);
	reap(child);
}

/* ---- close from another thread while the reader waits --------------------------- */

struct reader {
	struct scap *h;
	int waiting;
	int result;
	int finished;
};

static void *reader_thread(void *p)
{
	struct reader *r = p;
	const struct scap_event *ev;
	int k;

	__atomic_store_n(&r->waiting, 1, __ATOMIC_RELEASE);
	while ((k = scap_next(r->h, &ev, NULL, -1)) == 0)
		;
	r->result = k;
	__atomic_store_n(&r->finished, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *close_thread(void *h)
{
	scap_close(h);
	return NULL;
}

static void test_close_wakes_the_reader(const char *engine)
{
	char err[SCAP_ERRBUF_SIZE];
	pid_t child = spawn(false);
	struct scap *h;
	struct reader r = { 0 };
	struct timespec pause_ts = { 0, 300 * 1000 * 1000 }, limit;
	pthread_t th, closer;

	/* Let the child reach pause(): then nothing of its comes. */
	nanosleep(&pause_ts, NULL);
	h = open_engine(engine, child, NULL, err);
	if (!h) {
		reap(child);
		CHECK(0, "open %s: %s", engine, err);
		return;
	}
	r.h = h;
	pthread_create(&th, NULL, reader_thread, &r);
	while (!__atomic_load_n(&r.waiting, __ATOMIC_ACQUIRE))
		nanosleep(&pause_ts, NULL);
	/* Long enough to be in the engine's wait (the merge holds nothing: no events). */
	nanosleep(&pause_ts, NULL);
	CHECK(!__atomic_load_n(&r.finished, __ATOMIC_ACQUIRE), "the reader returned (%d) before the close",
	      r.result);
	/* Closed from a third thread, so that a close that never returns is reported, not hung on. */
	pthread_create(&closer, NULL, close_thread, h);
	clock_gettime(CLOCK_REALTIME, &limit);
	limit.tv_sec += JOIN_LIMIT_S;
	if (pthread_timedjoin_np(th, NULL, &limit) != 0 || pthread_timedjoin_np(closer, NULL, &limit) != 0) {
		printf("FAIL %s: %d s after scap_close began on another thread, the reader is still in scap_next "
		       "(its wait was not woken)\n", engine, JOIN_LIMIT_S);
		fflush(stdout);
		_exit(1);
	}
	CHECK(r.result == -ECANCELED, "the reader's scap_next returned %d, expected -ECANCELED (%d)", r.result,
	      -ECANCELED);
	reap(child);
}

/* ---- which thread is left out -------------------------------------------------- */

#define FILL_CALLS 3000
#define FILL_FD 300000  /* the filler's dup(-FILL_FD - i) */
#define READER_FD 7001  /* the reader's own dup(-READER_FD): must not arrive */
#define OPENER_FD 7002  /* the opener's dup(-OPENER_FD) once another thread reads: must arrive */
#define END_FD 7003     /* the opener's last call */

struct handoff {
	struct scap *h;
	int first;             /* the reader's first scap_next */
	int reader_done;       /* atomic: the reader made its own call */
	int opener_done;       /* atomic: the opener made its calls */
	unsigned fill[FILL_CALLS], reader, opener, end, other;
};

static void *fill_thread(void *p)
{
	(void)p;
	for (long i = 0; i < FILL_CALLS; i++)
		syscall(SYS_dup, -FILL_FD - i);
	return NULL;
}

static void handoff_count(struct handoff *r, const struct scap_event *ev)
{
	struct scap_param p;
	long fd;

	if (strcmp(scap_event_name(ev), "dup") || scap_event_param_by_name(ev, "oldfd", &p) != 0) {
		r->other++;
		return;
	}
	fd = -(long)p.v.i;
	if (fd >= FILL_FD && fd < FILL_FD + FILL_CALLS)
		r->fill[fd - FILL_FD]++;
	else if (fd == READER_FD)
		r->reader++;
	else if (fd == OPENER_FD)
		r->opener++;
	else if (fd == END_FD)
		r->end++;
	else
		r->other++;
}

static void *handoff_reader(void *p)
{
	struct handoff *r = p;
	const struct scap_event *ev;
	time_t deadline;
	int k;

	/* Events are waiting: this call returns one without the engine's wait. */
	r->first = scap_next(r->h, &ev, NULL, -1);
	if (r->first == 0)
		handoff_count(r, ev);
	syscall(SYS_dup, -READER_FD);
	__atomic_store_n(&r->reader_done, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&r->opener_done, __ATOMIC_ACQUIRE))
		nanosleep(&(struct timespec){ 0, 1000 * 1000 }, NULL);
	deadline = time(NULL) + JOIN_LIMIT_S;
	while (!r->end && time(NULL) < deadline) {
		k = scap_next(r->h, &ev, NULL, 100);
		if (k == 0)
			handoff_count(r, ev);
		else if (k != -EAGAIN && k != -EINTR)
			break;
	}
	/* What is left after the last marker. */
	while (scap_next(r->h, &ev, NULL, 0) == 0)
		handoff_count(r, ev);
	return NULL;
}

static void test_reader_is_left_out(const char *engine)
{
	static const char *const sel[] = { "dup", NULL };
	static struct handoff r;
	char err[SCAP_ERRBUF_SIZE];
	pthread_t filler, reader;
	unsigned missing = 0, twice = 0;

	memset(&r, 0, sizeof(r));
	r.h = open_engine(engine, getpid(), sel, err);
	if (!r.h) {
		CHECK(0, "open %s: %s", engine, err);
		return;
	}
	pthread_create(&filler, NULL, fill_thread, NULL);
	pthread_join(filler, NULL);
	/* Past the merge's settle window: the reader's first call finds them ready. */
	nanosleep(&(struct timespec){ 0, 300 * 1000 * 1000 }, NULL);
	pthread_create(&reader, NULL, handoff_reader, &r);
	while (!__atomic_load_n(&r.reader_done, __ATOMIC_ACQUIRE))
		nanosleep(&(struct timespec){ 0, 1000 * 1000 }, NULL);
	syscall(SYS_dup, -OPENER_FD);
	syscall(SYS_dup, -END_FD);
	__atomic_store_n(&r.opener_done, 1, __ATOMIC_RELEASE);
	pthread_join(reader, NULL);
	for (unsigned i = 0; i < FILL_CALLS; i++) {
		missing += r.fill[i] == 0;
		twice += r.fill[i] > 1;
	}
	CHECK(r.first == 0, "the reader's first scap_next returned %d, not one of the %d waiting events", r.first,
	      FILL_CALLS);
	CHECK(missing == 0 && twice == 0, "of the filler thread's %d dup calls %u did not arrive and %u arrived "
	      "more than once", FILL_CALLS, missing, twice);
	CHECK(r.opener == 1, "the opener's dup(-%d), made after another thread called scap_next, arrived %u times "
	      "(expected once: the reader, not the opener, is left out)", OPENER_FD, r.opener);
	CHECK(r.end == 1, "the opener's last dup(-%d) arrived %u times", END_FD, r.end);
	CHECK(r.reader == 0, "the reader's own dup(-%d) arrived %u times (expected 0: opts.capture_self is off, "
	      "and it had called scap_next)", READER_FD, r.reader);
	if (r.first == 0 && !missing && !twice && r.opener == 1 && r.end == 1 && !r.reader)
		printf("%s: left out is the thread that last called scap_next, from a first call that did not wait "
		       "(%d waiting events, the opener's call after it arrived once, the reader's own none)\n",
		       engine, FILL_CALLS);
	scap_close(r.h);
}

int main(int argc, char **argv)
{
	const char *engine = argc > 1 ? argv[1] : "modern_bpf";
	int skip = check_live_engine(engine);

	if (skip)
		return skip;
	test_close_wakes_the_reader(engine);
	test_stats_while_reading(engine);
	test_reader_is_left_out(engine);
	printf("%s: %s\n", engine, check_failures ? "FAILED" : "all thread checks passed");
	return check_failures ? 1 : 0;
}
