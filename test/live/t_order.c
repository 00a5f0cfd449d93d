// SPDX-License-Identifier: Apache-2.0
/*
 * Events arrive in non-decreasing timestamp order across CPUs while two
 * threads, pinned on CPUs 0 and 1, make syscalls as fast as they can.
 *
 * The one exception the merge cannot prevent: a CPU that stops between the
 * stamp and the commit of an event for longer than the settle window (a vCPU
 * descheduled by the hypervisor or by qemu's TCG; the syscall tracepoints
 * run their probes with preemption disabled, so no task switch can do it on
 * the kernels tested, docs/architecture.md). Each thread times every call
 * (CLOCK_BOOTTIME before and after, the clock of the stamps): an event out
 * of order passes only when it was stamped inside one of its own thread's
 * calls that lasted longer than the window's floor (1 ms), i.e. its CPU did
 * stall there, and when scap_stats.out_of_order counted it. An event out of
 * order in a call of microseconds, or of another thread, fails the test: the
 * merge did not wait for what it could have.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "live.h"

#define PER_THREAD 100000u
/* Calls that lasted longer than this could hold a stall the merge cannot see. */
#define STALL_NS 1000000ull
#define MAX_STALLS 4096u
#define MAX_INV 1024u

/* An event delivered after a newer one. */
struct inversion {
	uint32_t tid;
	unsigned cpu, prev_cpu;
	uint64_t ts, prev;
};

struct spinner {
	int cpu;
	pid_t tid;
	atomic_int *go;
	atomic_int done;
	int err;
	unsigned nstalls;
	uint64_t stall[MAX_STALLS][2]; /* [start, end] of the calls that lasted over STALL_NS */
};

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Whether ts falls inside one of s's calls that lasted over STALL_NS. */
static bool in_stall(const struct spinner *s, uint64_t ts)
{
	for (unsigned i = 0; i < s->nstalls; i++)
		if (ts >= s->stall[i][0] && ts <= s->stall[i][1])
			return true;
	return false;
}

static void *spin(void *p)
{
	struct spinner *s = p;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(s->cpu, &set);
	s->err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	s->tid = live_gettid();
	while (!atomic_load(s->go))
		sched_yield();
	for (unsigned i = 0; i < PER_THREAD; i++) {
		uint64_t t0 = boot_ns(), t1;

		syscall(SYS_getppid);
		t1 = boot_ns();
		if (t1 - t0 > STALL_NS && s->nstalls < MAX_STALLS) {
			s->stall[s->nstalls][0] = t0;
			s->stall[s->nstalls][1] = t1;
			s->nstalls++;
		}
	}
	atomic_store(&s->done, 1);
	return NULL;
}

int test_ts_order(struct live_test *t)
{
	static const char *const sel[] = { "getppid", NULL };
	struct scap_open_opts o = { .syscalls = sel };
	static struct spinner sp[2];
	struct scap_stats st = { .sz = sizeof(st) };
	const struct scap_event *ev;
	atomic_int go = 0;
	pthread_t th[2];
	uint64_t prev = 0, seen = 0, total = 0, out_of_order = 0, per[2] = { 0, 0 };
	/* Diagnosis: an inversion inside one buffer (the kernel committed an
	 * older event after a newer one on the same CPU) or across buffers. */
	uint64_t buf_prev[64] = { 0 }, within = 0, worst = 0, explained = 0;
	static struct inversion inv[MAX_INV];
	unsigned prev_cpu = 0;
	char first[160] = "", unexplained[200] = "";
	unsigned cpu, idle = 0;
	bool cpu_seen[2][64] = { { false } };
	struct scap *h;
	struct timespec now;
	time_t stop_at = 0;
	int r = 0;

	memset(sp, 0, sizeof(sp));
	sp[1].cpu = 1;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return live_skip(t, "needs two online CPUs, this host has %ld",
				 sysconf(_SC_NPROCESSORS_ONLN));
	live_shared_close();
	h = live_open(t, &o);
	if (!h)
		return LIVE_FAIL;
	for (int i = 0; i < 2; i++) {
		sp[i].go = &go;
		if (pthread_create(&th[i], NULL, spin, &sp[i])) {
			atomic_store(&go, 1);
			if (i)
				pthread_join(th[0], NULL);
			scap_close(h);
			return live_fail(t, "pthread_create failed");
		}
	}
	atomic_store(&go, 1);
	/* Consume while they run; once both are done, everything they caused is
	 * already in the buffers: read until it is all there or nothing more comes. */
	while (seen < 2u * PER_THREAD && idle < 3) {
		bool finished = atomic_load(&sp[0].done) && atomic_load(&sp[1].done);

		/* Other processes' getppid calls must not keep us here forever. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (finished && !stop_at)
			stop_at = now.tv_sec + LIVE_EVENT_DEADLINE_MS / 1000;
		if (stop_at && now.tv_sec > stop_at)
			break;

		r = scap_next(h, &ev, &cpu, 1000);
		if (r == -EAGAIN) {
			idle += finished;
			continue;
		}
		if (r == -EINTR)
			continue;
		if (r < 0)
			break;
		idle = 0;
		total++;
		if (scap_event_ts(ev) < prev) {
			/* Matched with the threads' records once they are done. */
			if (out_of_order < MAX_INV) {
				inv[out_of_order].tid = scap_event_tid(ev);
				inv[out_of_order].ts = scap_event_ts(ev);
				inv[out_of_order].cpu = cpu;
				inv[out_of_order].prev = prev;
				inv[out_of_order].prev_cpu = prev_cpu;
			}
			out_of_order++;
			if (prev - scap_event_ts(ev) > worst)
				worst = prev - scap_event_ts(ev);
			if (!first[0])
				snprintf(first, sizeof(first), "first: tid %u buffer %u ts %llu after buffer %u ts %llu",
					 scap_event_tid(ev), cpu, (unsigned long long)scap_event_ts(ev), prev_cpu,
					 (unsigned long long)prev);
		}
		if (cpu < 64) {
			within += scap_event_ts(ev) < buf_prev[cpu];
			buf_prev[cpu] = scap_event_ts(ev);
		}
		prev = scap_event_ts(ev);
		prev_cpu = cpu;
		for (int i = 0; i < 2; i++)
			if (scap_event_tid(ev) == (uint32_t)sp[i].tid) {
				seen++;
				per[i]++;
				if (cpu < 64)
					cpu_seen[i][cpu] = true;
			}
	}
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	scap_get_stats(h, &st);
	scap_close(h);
	if (r < 0 && r != -EAGAIN && r != -EINTR)
		return live_fail(t, "scap_next: %s", strerror(-r));
	if (sp[0].err || sp[1].err)
		return live_fail(t, "cannot pin threads on CPUs 0 and 1: %s",
				 strerror(sp[0].err ? sp[0].err : sp[1].err));
	/* getppid has no enter events: what was delivered is what was merged. */
	if ((out_of_order == 0) != (st.out_of_order == 0))
		return live_fail(t, "%llu events had a timestamp below the one before, and "
				 "scap_stats.out_of_order says %llu",
				 (unsigned long long)out_of_order, (unsigned long long)st.out_of_order);
	/* The threads are done: their records of long calls are complete. */
	for (uint64_t k = 0; k < out_of_order && k < MAX_INV; k++) {
		bool ok = false;

		for (int i = 0; i < 2; i++)
			ok |= inv[k].tid == (uint32_t)sp[i].tid && in_stall(&sp[i], inv[k].ts);
		explained += ok;
		if (!ok && !unexplained[0])
			snprintf(unexplained, sizeof(unexplained), "tid %u ts %llu (buffer %u) after ts %llu (buffer %u)",
				 inv[k].tid, (unsigned long long)inv[k].ts, inv[k].cpu, (unsigned long long)inv[k].prev,
				 inv[k].prev_cpu);
	}
	if (out_of_order && explained < out_of_order)
		return live_fail(t, "%llu of %llu events had a timestamp below the one before, %llu of them "
				 "not stamped during a stall of their CPU (first: %s) (scap_stats.out_of_order %llu; "
				 "%llu below the one before from the same buffer; the largest step back %llu ns; %s)",
				 (unsigned long long)out_of_order, (unsigned long long)total,
				 (unsigned long long)(out_of_order - explained), unexplained,
				 (unsigned long long)st.out_of_order, (unsigned long long)within,
				 (unsigned long long)worst, first);
	/* Exact when nothing was dropped; otherwise every missing event is a counted drop. */
	if (seen > 2u * PER_THREAD || seen + st.drops < 2u * PER_THREAD)
		return live_fail(t, "%llu getppid events from the two threads (%llu + %llu), "
				 "want %u, and %llu drops counted", (unsigned long long)seen,
				 (unsigned long long)per[0], (unsigned long long)per[1],
				 2u * PER_THREAD, (unsigned long long)st.drops);
	if (st.nbuffers >= 2) {
		unsigned bufs = 0;

		for (unsigned c = 0; c < 64; c++)
			bufs += cpu_seen[0][c] || cpu_seen[1][c];
		if (bufs < 2)
			return live_fail(t, "events of threads pinned on CPUs 0 and 1 came from one "
					 "buffer, with %u buffers", st.nbuffers);
	}
	if (out_of_order)
		snprintf(t->msg, sizeof(t->msg),
			 "%llu events, %llu of ours, %llu drops; %llu out of order, each stamped during a call of "
			 "its thread that lasted over %llu ms (its CPU stalled between stamp and commit: %u and %u "
			 "such calls), and counted (%s)", (unsigned long long)total, (unsigned long long)seen,
			 (unsigned long long)st.drops, (unsigned long long)out_of_order, STALL_NS / 1000000,
			 sp[0].nstalls, sp[1].nstalls, first);
	else
		snprintf(t->msg, sizeof(t->msg), "%llu events in order, %llu of ours, %llu drops",
			 (unsigned long long)total, (unsigned long long)seen, (unsigned long long)st.drops);
	return LIVE_PASS;
}
