// SPDX-License-Identifier: Apache-2.0
/*
 * Stopping keeps what the kernel buffers hold (issue 17, item 3): with a
 * thread's getppid calls stored and not read, scap_stop leaves them counted
 * exactly in scap_stats.unread, scap_next then hands out every one of them
 * in order without waiting, and -ENODATA once they are all read; a restarted
 * handle captures again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live.h"

#define CALLS 20000u

static void *calls(void *arg)
{
	unsigned n = *(unsigned *)arg;

	for (unsigned i = 0; i < n; i++)
		syscall(SYS_getppid);
	return NULL;
}

int test_stop_drain(struct live_test *t)
{
	static const char *const sel[] = { "getppid", NULL };
	/*
	 * The bare stream (proc_off): with the process table, the rows it adds
	 * (the thread's clone and its procexit) are stored, so counted in unread,
	 * and read but not delivered, which would break the count below.
	 */
	struct scap_open_opts o = { .syscalls = sel, .pid = getpid(), .proc_off = true };
	struct scap_stats st = { .sz = sizeof(st) };
	const struct scap_event *ev;
	unsigned n = CALLS, cpu, ours = 0, others = 0;
	uint64_t prev = 0, unread, t0;
	pid_t tid = 0;
	struct scap *h;
	int r;

	live_shared_close();
	h = live_open(t, &o);
	if (!h)
		return LIVE_FAIL;
	/* Stored, not read: the consumer does nothing while the thread runs. */
	if (live_run_thread(calls, &n, &tid) != 0) {
		scap_close(h);
		return live_fail(t, "cannot start the thread");
	}
	if (scap_stop(h) < 0) {
		scap_close(h);
		return live_fail(t, "scap_stop: %s", scap_last_error(h));
	}
	scap_get_stats(h, &st);
	unread = st.unread;
	if (st.drops) {
		scap_close(h);
		return live_skip(t, "%llu events dropped with 8 MiB buffers: the counts below would not be exact",
				 (unsigned long long)st.drops);
	}
	t0 = live_now_ms();
	while ((r = scap_next(h, &ev, &cpu, 1000)) == 0) {
		if (scap_event_ts(ev) < prev) {
			scap_close(h);
			return live_fail(t, "drained events out of order");
		}
		prev = scap_event_ts(ev);
		if (scap_event_tid(ev) == (uint32_t)tid && !strcmp(scap_event_name(ev), "getppid"))
			ours++;
		else
			others++;
	}
	if (r != -ENODATA) {
		scap_close(h);
		return live_fail(t, "after the drain scap_next returned %d (%s), not -ENODATA", r, strerror(-r));
	}
	/* No waiting: the 1000 ms timeout was not used on the empty, stopped handle. */
	if (live_now_ms() - t0 > 900 + (uint64_t)(ours + others) / 10) {
		scap_close(h);
		return live_fail(t, "the drain of a stopped handle waited (%llu ms)",
				 (unsigned long long)(live_now_ms() - t0));
	}
	scap_get_stats(h, &st);
	if (ours != CALLS || unread != ours + others || st.unread != 0) {
		scap_close(h);
		return live_fail(t, "after the stop: unread %llu; drained %u of our %u getppid calls and %u other "
				 "events; unread afterwards %llu", (unsigned long long)unread, ours, CALLS, others,
				 (unsigned long long)st.unread);
	}
	/* Started again, it captures again. */
	n = 10;
	scap_start(h);
	live_run_thread(calls, &n, &tid);
	ours = 0;
	t0 = live_now_ms();
	while (ours < 10 && live_now_ms() - t0 < LIVE_EVENT_DEADLINE_MS) {
		if (scap_next(h, &ev, &cpu, 100) == 0 && scap_event_tid(ev) == (uint32_t)tid)
			ours++;
	}
	scap_close(h);
	if (ours != 10)
		return live_fail(t, "restarted: %u of 10 getppid calls seen", ours);
	snprintf(t->msg, sizeof(t->msg), "%llu unread after the stop, all drained in order, 0 left",
		 (unsigned long long)unread);
	return LIVE_PASS;
}
