// SPDX-License-Identifier: Apache-2.0
/*
 * The thread-safety contract of include/scap/scap.h with a live engine:
 *   - stats calls on two other threads while one thread reads the events of
 *     a getppid loop: every figure they see is consistent (the delivered
 *     count never goes back nor past what the reader has, drops never go
 *     back), and the final count is exactly what the reader read;
 *   - scap_close on another thread while the reader waits in the engine's
 *     wait for events that do not come (pid filter on a paused child): the
 *     reader's scap_next returns -ECANCELED, and scap_close returns.
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

int main(int argc, char **argv)
{
	const char *engine = argc > 1 ? argv[1] : "modern_bpf";
	int skip = check_live_engine(engine);

	if (skip)
		return skip;
	test_close_wakes_the_reader(engine);
	test_stats_while_reading(engine);
	printf("%s: %s\n", engine, check_failures ? "FAILED" : "all thread checks passed");
	return check_failures ? 1 : 0;
}
