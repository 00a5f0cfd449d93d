// SPDX-License-Identifier: Apache-2.0
/*
 * Arguments changed between check and use (issue 7): one thread opens a path
 * in a loop while another keeps flipping one byte of that path buffer between
 * two existing file names. The paired openat events whose enter-time and
 * exit-time copies differ must be marked SCAP_EVF_TOCTOU (with both copies
 * available); the same loop without the flipping thread must never mark one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "live.h"

#define TOCTOU_MAX_OPENS 50000u   /* the loop never runs longer than this */
#define TOCTOU_MIN_OPENS 2000u    /* ... nor shorter */
#define TOCTOU_WANT_MARKED 20u    /* enough marked events seen: stop flipping */

struct toctou_run {
	char path[256];               /* the buffer both threads share */
	size_t flip_at;               /* index of the byte that differs between the names */
	char a, b;                    /* its two values */
	atomic_bool stop_opening, stop_flipping;
	atomic_uint opens;            /* openat calls made */
	atomic_uint failed;           /* of those, failed */
	pid_t opener_tid;
	atomic_bool opener_ready;
	atomic_bool opener_running;
};

/* The race needs the flipper running while the opener is inside openat: give each a CPU. */
static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *opener(void *p)
{
	struct toctou_run *r = p;

	pin_self(0);
	r->opener_tid = live_gettid();
	atomic_store(&r->opener_running, true);
	atomic_store(&r->opener_ready, true);
	while (atomic_load(&r->opens) < TOCTOU_MAX_OPENS &&
	       (atomic_load(&r->opens) < TOCTOU_MIN_OPENS || !atomic_load(&r->stop_opening))) {
		long fd = syscall(SYS_openat, AT_FDCWD, r->path, O_RDONLY | O_CLOEXEC, 0);

		if (fd >= 0)
			close((int)fd);
		else
			atomic_fetch_add(&r->failed, 1);
		atomic_fetch_add(&r->opens, 1);
	}
	atomic_store(&r->opener_running, false);
	return NULL;
}

static void *flipper(void *p)
{
	struct toctou_run *r = p;
	volatile char *c = &r->path[r->flip_at];

	pin_self(1);
	while (!atomic_load_explicit(&r->stop_flipping, memory_order_relaxed)) {
		*c = r->b;
		*c = r->a;
	}
	return NULL;
}

static bool is_one_of(const struct scap_param *p, const char *x, const char *y)
{
	return p->str && (!strcmp(p->str, x) || !strcmp(p->str, y));
}

/*
 * One run of the loop, flipping or not. Counts our opener's openat events and
 * the marked ones, checking each against both file names. LIVE_PASS or LIVE_FAIL.
 */
static int run_loop(struct live_test *t, struct scap *h, const char *name_a, const char *name_b,
		    bool flip, unsigned *events, unsigned *marked)
{
	struct toctou_run r = { 0 };
	pthread_t to, tf;
	uint64_t deadline;
	int result = LIVE_PASS;
	bool joined = false;

	snprintf(r.path, sizeof(r.path), "%s", name_a);
	r.flip_at = strlen(name_a) - 1;
	r.a = name_a[r.flip_at];
	r.b = name_b[r.flip_at];
	*events = *marked = 0;

	if (flip && pthread_create(&tf, NULL, flipper, &r))
		return live_fail(t, "cannot start the flipping thread");
	if (pthread_create(&to, NULL, opener, &r)) {
		atomic_store(&r.stop_flipping, true);
		if (flip)
			pthread_join(tf, NULL);
		return live_fail(t, "cannot start the opening thread");
	}
	while (!atomic_load(&r.opener_ready))
		sched_yield();

	deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS + 30000;
	for (;;) {
		const struct scap_event *ev;
		int rc;

		/* Once the opener has finished, its count is final: read until every call is seen. */
		if (!joined && !atomic_load(&r.opener_running)) {
			pthread_join(to, NULL);
			joined = true;
		}
		if (joined && *events >= atomic_load(&r.opens))
			break;
		rc = scap_next(h, &ev, NULL, 100);

		if (rc == -EAGAIN || rc == -EINTR) {
			if (live_now_ms() > deadline)
				break;
			continue;
		}
		if (rc < 0) {
			result = live_fail(t, "scap_next: %s", scap_last_error(h));
			break;
		}
		if (scap_event_tid(ev) != (uint32_t)r.opener_tid || scap_event_type(ev) != SCAP_EV_OPENAT_X)
			goto next;

		struct scap_param enter_path, exit_path;
		const struct scap_event *x;

		(*events)++;
		if (scap_event_param_by_name(ev, "pathname", &enter_path) < 0 ||
		    !is_one_of(&enter_path, name_a, name_b)) {
			result = live_fail(t, "delivered pathname '%s' is neither %s nor %s",
					   enter_path.str ? enter_path.str : "(none)", name_a, name_b);
			break;
		}
		if (!(scap_event_flags(ev) & SCAP_EVF_PAIRED)) {
			result = live_fail(t, "openat event %u not paired (flags 0x%x)", *events,
					   scap_event_flags(ev));
			break;
		}
		if (scap_event_exit_copy(h, ev, &x) < 0 ||
		    scap_event_param_by_name(x, "pathname", &exit_path) < 0 ||
		    !is_one_of(&exit_path, name_a, name_b)) {
			result = live_fail(t, "no exit-time pathname for a paired openat");
			break;
		}
		bool differ = strcmp(enter_path.str, exit_path.str) != 0;
		bool flagged = (scap_event_flags(ev) & SCAP_EVF_TOCTOU) != 0;
		if (differ != flagged) {
			result = live_fail(t, "enter '%s' exit '%s' but TOCTOU flag %s", enter_path.str,
					   exit_path.str, flagged ? "set" : "clear");
			break;
		}
		if (flagged && ++(*marked) >= TOCTOU_WANT_MARKED)
			atomic_store(&r.stop_opening, true);
next:
		if (!flip && *events >= TOCTOU_MIN_OPENS)
			atomic_store(&r.stop_opening, true);
		if (live_now_ms() > deadline)
			break;
	}
	atomic_store(&r.stop_opening, true);
	if (!joined)
		pthread_join(to, NULL);
	atomic_store(&r.stop_flipping, true);
	if (flip)
		pthread_join(tf, NULL);
	if (result != LIVE_PASS)
		return result;
	if (atomic_load(&r.failed))
		return live_fail(t, "%u of %u openat calls failed: both names must exist",
				 atomic_load(&r.failed), atomic_load(&r.opens));

	struct scap_stats st = { .sz = sizeof(st) };
	scap_get_stats(h, &st);
	if (*events != atomic_load(&r.opens))
		return live_fail(t, "%u openat calls, %u events (drops %llu)", atomic_load(&r.opens),
				 *events, (unsigned long long)st.drops);
	return LIVE_PASS;
}

int test_toctou_flip(struct live_test *t)
{
	static const char *const sel[] = { "openat", NULL };
	struct scap_open_opts o = { .syscalls = sel };
	char base[200], name_a[256], name_b[256];
	unsigned events, marked;
	struct scap *h;
	int r, fd;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return live_skip(t, "needs two online CPUs: one opens, the other flips the path");
	live_tmp_path(base, sizeof(base), "toctou");
	snprintf(name_a, sizeof(name_a), "%s_A", base);
	snprintf(name_b, sizeof(name_b), "%s_B", base);
	for (const char *n = name_a; n; n = n == name_a ? name_b : NULL) {
		fd = open(n, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (fd < 0)
			return live_fail(t, "cannot create %s: %s", n, strerror(errno));
		close(fd);
	}

	live_shared_close();
	h = live_open(t, &o);
	if (!h) {
		r = LIVE_FAIL;
		goto out;
	}
	r = run_loop(t, h, name_a, name_b, true, &events, &marked);
	if (r == LIVE_PASS && marked == 0)
		r = live_fail(t, "%u openat events while another thread flipped the path, none marked",
			      events);
	if (r == LIVE_PASS) {
		unsigned flipped_events = events, flipped_marked = marked;

		r = run_loop(t, h, name_a, name_b, false, &events, &marked);
		if (r == LIVE_PASS && marked)
			r = live_fail(t, "%u of %u events marked without any flipping", marked, events);
		if (r == LIVE_PASS)
			snprintf(t->msg, sizeof(t->msg),
				 "flipping: %u of %u marked; still: 0 of %u marked", flipped_marked,
				 flipped_events, events);
	}
	scap_close(h);
out:
	unlink(name_a);
	unlink(name_b);
	return r;
}
