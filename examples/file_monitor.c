// SPDX-License-Identifier: Apache-2.0
/*
 * file_monitor: which files processes open, live.
 *
 *   file_monitor [--pid PID] [--seconds S]
 *
 * One line per open, openat, openat2 or creat that returned:
 *   <UTC time> pid=<pid> tid=<tid> <syscall> <path> flags=<flags> res=<fd or error>
 *
 * Shows: choosing syscalls and a pid filter at scap_open, decoding parameters
 * by name, wall-clock time, and stopping a reader from another thread: with
 * --seconds a timer thread calls scap_close(h), and the reading loop ends
 * when scap_next returns -ECANCELED. Needs root (live capture).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scap/scap.h>

#include "example_util.h"

struct timer {
	struct scap *h;
	unsigned seconds;
};

static void *close_later(void *arg)
{
	struct timer *t = arg;

	sleep(t->seconds);
	scap_close(t->h); /* the reader's scap_next returns -ECANCELED */
	return NULL;
}

int main(int argc, char **argv)
{
	static const char *const files[] = { "open", "openat", "openat2", "creat", NULL };
	struct scap_open_opts o = { .sz = sizeof(o), .syscalls = files };
	char err[SCAP_ERRBUF_SIZE], when[64], path[4096], flags[256], res[64];
	struct timer timer = { NULL, 0 };
	const struct scap_event *ev;
	pthread_t th;
	int r;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--pid"))
			o.pid = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			timer.seconds = (unsigned)atoi(argv[i + 1]);
	}
	if (scap_open(&timer.h, "auto", &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "file_monitor: %s\n", err);
		return 1;
	}
	if (scap_start(timer.h) < 0) {
		fprintf(stderr, "file_monitor: %s\n", scap_last_error(timer.h));
		scap_close(timer.h);
		return 1;
	}
	fprintf(stderr, "file_monitor: capturing with %s (scap %s)\n", scap_engine_name(timer.h),
		scap_version(NULL, NULL, NULL));
	if (timer.seconds && pthread_create(&th, NULL, close_later, &timer) != 0) {
		fprintf(stderr, "file_monitor: cannot start the timer thread\n");
		scap_close(timer.h);
		return 1;
	}
	while ((r = scap_next(timer.h, &ev, NULL, -1)) == 0 || r == -EAGAIN || r == -EINTR) {
		if (r < 0)
			continue;
		printf("%s pid=%u tid=%u %s %s flags=%s res=%s\n", example_time(timer.h, ev, when, sizeof(when)),
		       scap_event_pid(ev), scap_event_tid(ev), scap_event_name(ev),
		       example_param(ev, "pathname", path, sizeof(path)),
		       example_param(ev, "flags", flags, sizeof(flags)), example_param(ev, "res", res, sizeof(res)));
		fflush(stdout);
	}
	if (r == -ECANCELED) {
		/* The timer thread closed the handle: it is gone, do not touch it. */
		pthread_join(th, NULL);
		return 0;
	}
	fprintf(stderr, "file_monitor: %s\n", scap_last_error(timer.h));
	if (timer.seconds) {
		/* The timer thread still closes it. */
		pthread_join(th, NULL);
		return 1;
	}
	scap_close(timer.h);
	return 1;
}
