// SPDX-License-Identifier: Apache-2.0
/*
 * Live round trip through a capture file: capture openat/close of our own
 * process with a live engine (argv[1]) while writing a capture file, replay
 * the file, and check that the replay gives the same bytes, cpus and order,
 * our three openat calls with their exact path, and the original counters.
 * Needs root and a usable engine; otherwise exits 77 (skip) with the reason.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scap/scap.h"

#define OPENS 3
/* Empty waits of 100 ms before calling an event lost (not a speed check). */
#define MAX_IDLE_WAITS 150

struct rec {
	unsigned cpu;
	uint32_t len;
	uint8_t *bytes;
};

static char g_target[128];

static void *workload(void *arg)
{
	for (int i = 0; i < OPENS; i++) {
		int fd = open(g_target, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

static int ours(const struct scap_event *ev)
{
	struct scap_param p;

	return strcmp(scap_event_name(ev), "openat") == 0 && scap_event_dir(ev) == SCAP_DIR_EXIT &&
	       scap_event_param_by_name(ev, "pathname", &p) == 0 && p.str && strcmp(p.str, g_target) == 0;
}

static int fail(const char *what)
{
	fprintf(stderr, "test_savefile_live: FAIL: %s\n", what);
	return 1;
}

int main(int argc, char **argv)
{
	const char *engine = argc > 1 ? argv[1] : "modern_bpf";
	static const char *const syscalls[] = { "openat", "close", NULL };
	struct scap_open_opts o = { .sz = sizeof(o), .syscalls = syscalls, .pid = getpid() };
	struct scap_stats st = { .sz = sizeof(st) }, st2 = { .sz = sizeof(st2) };
	char err[SCAP_ERRBUF_SIZE], file[128];
	struct scap_dumper *d = NULL;
	const struct scap_event *ev;
	struct rec *recs = NULL;
	size_t n = 0, cap = 0, i;
	unsigned cpu, idle = 0, seen = 0;
	struct scap *h = NULL;
	pthread_t th;
	int r;

	if (geteuid() != 0) {
		printf("SKIP: live capture needs root\n");
		return 77;
	}
	r = scap_open(&h, engine, &o, err, sizeof(err));
	if (r == -EPERM || r == -ENOTSUP || r == -ENOENT) {
		printf("SKIP: engine %s cannot open here: %s\n", engine, err);
		return 77;
	}
	if (r)
		return fail(err);
	snprintf(g_target, sizeof(g_target), "/tmp/scap_savefile_live_%d", (int)getpid());
	snprintf(file, sizeof(file), "/tmp/scap_savefile_live_%d.scap.gz", (int)getpid());
	struct scap_dump_opts dopts = { .sz = sizeof(dopts), .compress = true };
	if (scap_dump_open(&d, h, file, &dopts) || scap_start(h))
		return fail(scap_last_error(h));
	if (pthread_create(&th, NULL, workload, NULL) || pthread_join(th, NULL))
		return fail("workload thread");
	while (seen < OPENS && idle < MAX_IDLE_WAITS) {
		r = scap_next(h, &ev, &cpu, 100);
		if (r == -EAGAIN || r == -EINTR) {
			idle++;
			continue;
		}
		if (r)
			return fail(scap_last_error(h));
		if (scap_dump_event(d, ev, cpu))
			return fail(scap_last_error(h));
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			recs = realloc(recs, cap * sizeof(*recs));
			if (!recs)
				return fail("out of memory");
		}
		recs[n].cpu = cpu;
		recs[n].len = scap_event_len(ev);
		recs[n].bytes = malloc(recs[n].len);
		if (!recs[n].bytes)
			return fail("out of memory");
		memcpy(recs[n].bytes, scap_event_bytes(ev), recs[n].len);
		n++;
		seen += ours(ev);
	}
	scap_stop(h);
	if (scap_dump_close(d))
		return fail(scap_last_error(h));
	scap_get_stats(h, &st);
	scap_close(h);
	unlink(g_target);
	if (seen != OPENS) {
		fprintf(stderr, "test_savefile_live: FAIL: saw %u of our %d openat calls live\n", seen, OPENS);
		return 1;
	}

	struct scap_open_opts ro = { .sz = sizeof(ro), .savefile_path = file };
	if (scap_open(&h, "savefile", &ro, err, sizeof(err)) || scap_start(h))
		return fail(err);
	for (i = 0, seen = 0; (r = scap_next(h, &ev, &cpu, 0)) == 0; i++) {
		if (i >= n || cpu != recs[i].cpu || scap_event_len(ev) != recs[i].len ||
		    memcmp(scap_event_bytes(ev), recs[i].bytes, recs[i].len)) {
			fprintf(stderr, "test_savefile_live: FAIL: replayed event %zu differs from the live one\n", i);
			return 1;
		}
		seen += ours(ev);
	}
	if (r != -ENODATA)
		return fail(scap_last_error(h));
	scap_get_stats(h, &st2);
	scap_close(h);
	unlink(file);
	if (i != n || seen != OPENS)
		return fail("the replay does not hold every live event");
	if (st2.kernel_events != st.kernel_events || st2.drops != st.drops || st2.events != n)
		return fail("the replay's counters differ from the capture's");
	printf("test_savefile_live: %s: %zu events (%u of ours) replayed byte for byte\n", engine, n, seen);
	for (i = 0; i < n; i++)
		free(recs[i].bytes);
	free(recs);
	return 0;
}
