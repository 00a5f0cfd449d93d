// SPDX-License-Identifier: Apache-2.0
/*
 * The thread-safety contract of include/scap/scap.h ("threads"), with the
 * synthetic engine: stats calls on other threads while one thread reads,
 * scap_close from another thread stopping a reader that waits (a replay
 * from a FIFO whose writer went quiet) and one that is busy, a close after the reader thread ended, and scap_last_error kept
 * per thread. Also built and run under ThreadSanitizer by scripts/test.sh,
 * where a data race fails the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "scap/scap.h"

#define READ_EVENTS 100000u

static struct scap *open_synth(uint64_t events, bool unpaired)
{
	struct scap_open_opts o = {
		.sz = sizeof(o), .synthetic_events = events, .synthetic_cpus = 4,
		.buffer_bytes = 1 << 20, .unpaired = unpaired,
	};
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	if (scap_open(&h, "synthetic", &o, err, sizeof(err)) != 0)
		fail_msg("open: %s", err);
	assert_int_equal(scap_start(h), 0);
	return h;
}

/*
 * A handle whose reader waits: a stopped handle ends once drained
 * (-ENODATA), so the wait is a replay from a FIFO whose writer (fd_out,
 * the test's own) has sent the blocks of a capture file up to a flush (no
 * END block) and stays open. The reader gets `events` events, then waits.
 */
#define FIFO_EVENTS 50u
static uint64_t fifo_dumped; /* events open_waiting wrote before the flush */
static struct scap *open_waiting(int *fd_out)
{
	struct scap_open_opts o = { .sz = sizeof(o) };
	char dir[] = "/tmp/scap-threads.XXXXXX", file[64], fifo[64], err[SCAP_ERRBUF_SIZE];
	struct scap *src = open_synth(FIFO_EVENTS, true), *h = NULL;
	struct scap_dumper *d = NULL;
	const struct scap_event *ev;
	unsigned cpu;
	struct stat st;
	char *bytes;
	int fd, r;

	fifo_dumped = 0;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/f.scap", dir);
	snprintf(fifo, sizeof(fifo), "%s/f.fifo", dir);
	assert_int_equal(scap_dump_open(&d, src, file, NULL), 0);
	while ((r = scap_next(src, &ev, &cpu, 100)) == 0 || r == -EAGAIN)
		if (r == 0) {
			assert_int_equal(scap_dump_event(d, ev, cpu), 0);
			fifo_dumped++;
		}
	assert_int_equal(r, -ENODATA);
	/* Whole blocks, and no END block yet: what a live writer has sent so far. */
	assert_int_equal(scap_dump_flush(d), 0);
	fd = open(file, O_RDONLY);
	assert_true(fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 1);
	bytes = malloc((size_t)st.st_size);
	assert_int_equal(read(fd, bytes, (size_t)st.st_size), st.st_size);
	close(fd);
	assert_int_equal(scap_dump_close(d), 0);
	scap_close(src);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* O_RDWR: a writer that does not wait for the reader (Linux). */
	*fd_out = open(fifo, O_RDWR);
	assert_true(*fd_out >= 0);
	assert_int_equal(write(*fd_out, bytes, (size_t)st.st_size), st.st_size);
	o.savefile_path = fifo;
	o.unpaired = true; /* the file holds raw events: replay them as they are */
	if (scap_open(&h, "savefile", &o, err, sizeof(err)) != 0)
		fail_msg("open %s: %s", fifo, err);
	assert_int_equal(scap_start(h), 0);
	unlink(fifo);
	unlink(file);
	rmdir(dir);
	free(bytes);
	return h;
}

/* ---- stats on other threads while one reads ---------------------------------- */

struct stats_run {
	struct scap *h;
	int *done;             /* atomic: the reader has finished */
	uint64_t polls;        /* stats calls made */
	uint64_t backwards;    /* an events count smaller than the one before */
	uint64_t over;         /* more events than the reader can have read */
	uint64_t buf_mismatch; /* per-buffer events above the total read after them */
	int err;
};

static void *stats_thread(void *p)
{
	struct stats_run *r = p;
	uint64_t prev = 0;

	while (!__atomic_load_n(r->done, __ATOMIC_ACQUIRE)) {
		struct scap_stats st = { .sz = sizeof(st) };
		uint64_t bufsum = 0;
		int64_t boot;

		if (scap_get_stats(r->h, &st) < 0) {
			r->err = 1;
			break;
		}
		for (unsigned i = 0; i < st.nbuffers; i++) {
			struct scap_buffer_stats bs = { .sz = sizeof(bs) };

			if (scap_get_buffer_stats(r->h, i, &bs) < 0) {
				r->err = 2;
				break;
			}
			bufsum += bs.events;
		}
		struct scap_stats after = { .sz = sizeof(after) };

		scap_get_stats(r->h, &after);
		/*
		 * Raw events out of the buffers are delivered as they come
		 * (unpaired): the merge counts an event for its buffer just
		 * before scap_next counts it delivered, so one may be in between.
		 */
		if (bufsum > after.events + 1)
			r->buf_mismatch++;
		if (st.events < prev)
			r->backwards++;
		if (st.events > READ_EVENTS)
			r->over++;
		prev = st.events;
		/* The other calls the contract allows here. */
		if (scap_boot_time(r->h, &boot) != -ENODATA || strcmp(scap_engine_name(r->h), "synthetic") ||
		    !scap_engine_report(r->h) || !scap_last_error(r->h))
			r->err = 3;
		r->polls++;
	}
	return NULL;
}

static void test_stats_while_reading(void **state)
{
	struct scap *h = open_synth(0, true);
	int done = 0;
	struct stats_run run[2] = { { .h = h, .done = &done }, { .h = h, .done = &done } };
	const struct scap_event *ev;
	struct scap_stats st = { .sz = sizeof(st) };
	pthread_t th[2];
	uint64_t n = 0;

	/* Two of them: the stats calls run concurrently with each other too. */
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, stats_thread, &run[i]), 0);
	while (n < READ_EVENTS && scap_next(h, &ev, NULL, -1) == 0)
		n++;
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(run[i].err, 0);
		assert_int_equal(run[i].backwards, 0);
		assert_int_equal(run[i].over, 0);
		assert_int_equal(run[i].buf_mismatch, 0);
		assert_true(run[i].polls > 0);
		print_message("stats thread %d: %llu polls during %u events\n", i,
			      (unsigned long long)run[i].polls, READ_EVENTS);
	}
	assert_int_equal(n, READ_EVENTS);
	assert_int_equal(scap_get_stats(h, &st), 0);
	assert_int_equal(st.events, READ_EVENTS);
	scap_close(h);
}

/* ---- scap_close from another thread -------------------------------------------- */

struct reader {
	struct scap *h;
	bool stop_first;       /* a FIFO replay: read what it holds, then wait for more */
	int waiting;           /* atomic: about to wait (blocked reader) / has events (busy one) */
	uint64_t events;
	int result;            /* scap_next's last return */
	char msg[SCAP_ERRBUF_SIZE];
};

static void *reader_thread(void *p)
{
	struct reader *r = p;
	const struct scap_event *ev;
	int k;

	/*
	 * The busy one says so once it has events, the waiting one once it has
	 * had all the FIFO holds (its next call waits).
	 */
	while ((k = scap_next(r->h, &ev, NULL, -1)) == 0 || k == -EAGAIN) {
		r->events += k == 0;
		if (k == 0 && r->events == (r->stop_first ? fifo_dumped : 1))
			__atomic_store_n(&r->waiting, 1, __ATOMIC_RELEASE);
	}
	r->result = k;
	/* h is gone now: only the message, this thread's own, may be read. */
	snprintf(r->msg, sizeof(r->msg), "%s", scap_last_error(r->h));
	return NULL;
}

static void close_from_other_thread(bool busy)
{
	int fifo_fd = -1;
	struct reader r = { .h = busy ? open_synth(0, false) : open_waiting(&fifo_fd), .stop_first = !busy };
	pthread_t th;
	struct timespec pause = { 0, 50 * 1000 * 1000 };

	assert_int_equal(pthread_create(&th, NULL, reader_thread, &r), 0);
	while (!__atomic_load_n(&r.waiting, __ATOMIC_ACQUIRE))
		nanosleep(&pause, NULL);
	/* Let it block in its wait (or read a while). */
	nanosleep(&pause, NULL);
	scap_close(r.h);
	pthread_join(th, NULL);
	assert_int_equal(r.result, -ECANCELED);
	assert_string_equal(r.msg, "scap_next: another thread closed the handle");
	if (busy)
		assert_true(r.events > 0);
	else
		assert_int_equal(r.events, fifo_dumped);
	if (fifo_fd >= 0)
		close(fifo_fd);
}

static void test_close_stops_a_waiting_reader(void **state)
{
	close_from_other_thread(false);
}

static void test_close_stops_a_busy_reader(void **state)
{
	/* ASan and TSan see it if close frees what the busy reader still uses. */
	for (int i = 0; i < 10; i++)
		close_from_other_thread(true);
}

static void *read_some(void *p)
{
	struct reader *r = p;
	const struct scap_event *ev;

	while (r->events < 1000 && scap_next(r->h, &ev, NULL, -1) == 0)
		r->events++;
	return NULL;
}

/* The reader stopped on its own and its thread ended: close does not wait for it. */
static void test_close_after_the_reader_ended(void **state)
{
	struct reader r = { .h = open_synth(0, false) };
	pthread_t th;

	assert_int_equal(pthread_create(&th, NULL, read_some, &r), 0);
	pthread_join(th, NULL);
	assert_int_equal(r.events, 1000);
	scap_close(r.h); /* hangs if it waited for the ended reader */
}

/* ---- scap_last_error: per thread, like errno ----------------------------------- */

struct other_err {
	struct scap *h;
	char before[SCAP_ERRBUF_SIZE], after[SCAP_ERRBUF_SIZE];
	int r;
};

static void *fail_on_other_thread(void *p)
{
	struct other_err *o = p;
	struct scap_buffer_stats bs = { .sz = sizeof(bs) };

	snprintf(o->before, sizeof(o->before), "%s", scap_last_error(o->h));
	o->r = scap_get_buffer_stats(o->h, 999, &bs);
	snprintf(o->after, sizeof(o->after), "%s", scap_last_error(o->h));
	return NULL;
}

static void test_last_error_per_thread(void **state)
{
	struct scap *h = open_synth(10, true);
	struct scap_stats bad = { .sz = 0 }, good = { .sz = sizeof(good) };
	const struct scap_event *ev;
	struct other_err o = { .h = h };
	pthread_t th;
	int n = 0;

	assert_string_equal(scap_last_error(h), "");
	assert_int_equal(scap_get_stats(h, &bad), -EINVAL);
	assert_string_equal(scap_last_error(h), "scap_get_stats: set st->sz = sizeof(struct scap_stats)");
	/* Another thread's failure is its own; this thread's message stays. */
	assert_int_equal(pthread_create(&th, NULL, fail_on_other_thread, &o), 0);
	pthread_join(th, NULL);
	assert_int_equal(o.r, -ERANGE);
	assert_string_equal(o.before, "");
	assert_string_equal(o.after, "scap_get_buffer_stats: buffer 999 does not exist (there are 4)");
	assert_string_equal(scap_last_error(h), "scap_get_stats: set st->sz = sizeof(struct scap_stats)");
	/* Valid after a failure: a success does not clear it. */
	assert_int_equal(scap_get_stats(h, &good), 0);
	assert_string_equal(scap_last_error(h), "scap_get_stats: set st->sz = sizeof(struct scap_stats)");
	/* Every status without an event says what it was. */
	while (scap_next(h, &ev, NULL, 0) == 0)
		n++;
	assert_int_equal(n, 10);
	assert_int_equal(scap_next(h, &ev, NULL, 0), -ENODATA);
	assert_string_equal(scap_last_error(h), "scap_next: engine synthetic has no more events");
	assert_int_equal(scap_next(h, NULL, NULL, 0), -EINVAL);
	assert_string_equal(scap_last_error(h), "scap_next: ev is NULL");
	scap_close(h);
	assert_string_equal(scap_last_error(NULL), "no handle (NULL)");
}

static void test_eagain_has_a_message(void **state)
{
	int fd;
	struct scap *h = open_waiting(&fd);
	const struct scap_event *ev;
	unsigned n = 0;
	int r;

	while ((r = scap_next(h, &ev, NULL, 0)) == 0)
		n++;
	assert_int_equal(n, fifo_dumped);
	assert_int_equal(r, -EAGAIN);
	assert_string_equal(scap_last_error(h), "scap_next: no event within 0 ms");
	scap_close(h);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_while_reading),
		cmocka_unit_test(test_close_stops_a_waiting_reader),
		cmocka_unit_test(test_close_stops_a_busy_reader),
		cmocka_unit_test(test_close_after_the_reader_ended),
		cmocka_unit_test(test_last_error_per_thread),
		cmocka_unit_test(test_eagain_has_a_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
