// SPDX-License-Identifier: Apache-2.0
/*
 * The minimal consumer: a child process pinned on the consumer CPU that opens
 * the engine and counts events with scap_next, nothing else. A child rather
 * than a thread so that its CPU time and memory are its own. Parent and child
 * talk through a shared page.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scap/scap.h"
#include "bench_live.h"

enum phase { PH_START = 0, PH_READY, PH_GO, PH_STOP, PH_DONE, PH_ERROR };

struct shared {
	atomic_int phase;
	/* The measured window in event time (CLOCK_BOOTTIME ns), set by the parent. */
	_Atomic uint64_t go_ts, stop_ts;
	double startup_s;
	uint64_t events, drops;
	uint64_t proc_found;    /* events scap_event_proc resolved */
	double cpu_s;
	long hwm_kb, nvcsw;
	char err[SCAP_ERRBUF_SIZE];
};

static double cpu_seconds(long *nvcsw)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*nvcsw = ru.ru_nvcsw;
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void *open_devnull(void *arg)
{
	close((int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY, 0));
	return arg;
}

static void consumer(const struct bl_config *c, const char *engine, enum bl_workload w,
		     struct shared *sh)
{
	struct scap_open_opts o = {
		.sz = sizeof(o), .buffer_bytes = c->buffer_bytes, .syscalls = bl_selection(w),
		.proc_off = c->proc_off,
	};
	struct scap_stats st0 = { .sz = sizeof(st0) }, st1 = { .sz = sizeof(st1) };
	const struct scap_event *ev;
	struct scap *h = NULL;
	uint64_t n = 0;
	double t0, cpu0;
	long csw0, csw1;
	int r;

	bl_pin(0, c->consumer_cpu);
	t0 = bl_now();
	r = scap_open(&h, engine, &o, sh->err, sizeof(sh->err));
	if (r == 0 && (r = scap_start(h)) < 0)
		snprintf(sh->err, sizeof(sh->err), "scap_start: %s", scap_last_error(h));
	if (r < 0) {
		atomic_store(&sh->phase, PH_ERROR);
		_exit(1);
	}
	/* One selected call, so that a first event comes even on an idle host; from
	 * another thread, as the library does not capture its consumer thread. */
	pthread_t th;
	if (pthread_create(&th, NULL, open_devnull, NULL) == 0)
		pthread_join(th, NULL);
	for (;;) {
		r = scap_next(h, &ev, NULL, 1000);
		if (r == 0)
			break;
		if (r != -EAGAIN && r != -EINTR) {
			snprintf(sh->err, sizeof(sh->err), "no first event: %s", strerror(-r));
			atomic_store(&sh->phase, PH_ERROR);
			_exit(1);
		}
	}
	sh->startup_s = bl_now() - t0;
	atomic_store(&sh->phase, PH_READY);
	while (atomic_load(&sh->phase) == PH_READY)
		scap_next(h, &ev, NULL, 10);
	scap_get_stats(h, &st0);
	cpu0 = cpu_seconds(&csw0);
	/*
	 * Count the events of the window. Once the window is over, an event
	 * stamped after it means everything before it was read (the stream is in
	 * time order); with every syscall selected the host never goes quiet, so
	 * waiting for an empty buffer would never end.
	 */
	double give_up = 0;
	for (;;) {
		uint64_t stop = atomic_load(&sh->stop_ts);

		/* Bounded, should the engine's clock not be CLOCK_BOOTTIME. */
		if (stop && !give_up)
			give_up = bl_now() + 30;
		if (give_up && bl_now() > give_up)
			break;
		r = scap_next(h, &ev, NULL, 50);
		if (r == 0) {
			uint64_t ts = scap_event_ts(ev);

			if (stop && ts > stop)
				break;
			/* A consumer of the table asks for every event's process. */
			if (!c->proc_off && scap_event_proc(h, ev) && ts >= atomic_load(&sh->go_ts))
				sh->proc_found++;
			n += ts >= atomic_load(&sh->go_ts);
			continue;
		}
		if (r != -EAGAIN && r != -EINTR)
			break;
		if (stop && r == -EAGAIN)
			break;
	}
	sh->cpu_s = cpu_seconds(&csw1) - cpu0;
	sh->nvcsw = csw1 - csw0;
	scap_get_stats(h, &st1);
	sh->events = n;
	sh->drops = st1.drops - st0.drops;
	sh->hwm_kb = bl_proc_status_kb(0, "VmHWM:");
	atomic_store(&sh->phase, PH_DONE);
	scap_close(h);
	_exit(0);
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int wait_phase(struct shared *sh, int want, double timeout_s)
{
	double end = bl_now() + timeout_s;

	while (atomic_load(&sh->phase) != want) {
		if (atomic_load(&sh->phase) == PH_ERROR)
			return -EIO;
		if (bl_now() > end)
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

int bl_measure_inproc(const struct bl_config *c, const char *engine, enum bl_workload w,
		      struct bl_sample *s, char *err, size_t errlen)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double t0, t1;
	pid_t pid;
	int r;

	if (sh == MAP_FAILED)
		return -errno;
	memset(sh, 0, sizeof(*sh));
	pid = fork();
	if (pid == 0)
		consumer(c, engine, w, sh);
	if (pid < 0) {
		r = -errno;
		munmap(sh, sizeof(*sh));
		return r;
	}
	r = wait_phase(sh, PH_READY, 60);
	if (r < 0) {
		snprintf(err, errlen, "consumer did not start: %s",
			 r == -EIO ? sh->err : "no first event within 60 s");
		goto out;
	}
	atomic_store(&sh->go_ts, boot_ns());
	atomic_store(&sh->phase, PH_GO);
	t0 = bl_now();
	s->cap_rate = bl_workload_run(w, c->window_ms);
	t1 = bl_now();
	atomic_store(&sh->stop_ts, boot_ns());
	atomic_store(&sh->phase, PH_STOP);
	r = wait_phase(sh, PH_DONE, 60);
	if (r < 0) {
		snprintf(err, errlen, "consumer did not finish reading within 60 s");
		goto out;
	}
	s->events = sh->events;
	s->proc_found = sh->proc_found;
	s->drops = sh->drops;
	s->events_per_s = (double)sh->events / (t1 - t0);
	s->consumer_cpu = sh->cpu_s / (t1 - t0);
	s->wakeups_per_s = (double)sh->nvcsw / (t1 - t0);
	s->startup_s = sh->startup_s;
	s->hwm_mb = (double)sh->hwm_kb / 1024.0;
out:
	if (r < 0)
		kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	munmap(sh, sizeof(*sh));
	return r;
}
