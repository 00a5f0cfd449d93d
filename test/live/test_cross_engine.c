// SPDX-License-Identifier: Apache-2.0
/*
 * bpf and modern_bpf decode the same workload into the same events.
 *
 * Both engines capture at the same time while one scripted workload runs
 * once, so file descriptors, ports, paths and pids are the same for both.
 * For each thread of the workload (the scripted thread and its execve'd
 * child), in unpaired mode (the drivers' raw events, enters included) and in
 * paired mode, the two event sequences must match event by event: type, name,
 * flags, parameter count and every parameter's bytes. Timestamps and thread
 * ids are not compared. Needs root and both engines; exits 77 (skip) with
 * the reason otherwise. SCAP_TEST_VERBOSE=1 prints the events compared.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scap/scap.h"

#define SKIP 77
#define MARKER_FD (-4242)      /* close(MARKER_FD): the workload's last call */
#define DEADLINE_MS 15000      /* for a missing event, not a speed requirement */
#define DRAIN_MS 2000          /* reading on after the last call, at most */
#define MAX_EVENTS 256

static const char *const engines[2] = { "modern_bpf", "bpf" };
static const char *const syscalls[] = {
	"openat", "read", "write", "close", "unlinkat", "socket", "bind", "listen",
	"connect", "clone", "execve", "getppid", NULL,
};

struct workload {
	pid_t tid;
	pid_t child;
	char path[96];
	int err;
};

static void *run_workload(void *p)
{
	static const char payload[] = "cross-engine payload: same bytes for both engines";
	struct workload *w = p;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof(sa);
	char buf[32];
	int fd, lsn, cli, st;

	w->tid = (pid_t)syscall(SYS_gettid);
	fd = openat(AT_FDCWD, w->path, O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
	if (fd < 0 || write(fd, payload, sizeof(payload) - 1) != (ssize_t)sizeof(payload) - 1) {
		w->err = errno;
		return NULL;
	}
	close(fd);
	fd = openat(AT_FDCWD, w->path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		w->err = errno;
		return NULL;
	}
	close(fd);
	(void)openat(AT_FDCWD, "/nonexistent/scap-cross-engine", O_RDONLY);
	unlinkat(AT_FDCWD, w->path, 0);

	lsn = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lsn < 0 || bind(lsn, (struct sockaddr *)&sa, sizeof(sa)) || listen(lsn, 4) ||
	    getsockname(lsn, (struct sockaddr *)&sa, &salen)) {
		w->err = errno;
		return NULL;
	}
	cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&sa, sizeof(sa))) {
		w->err = errno;
		return NULL;
	}
	close(cli);
	close(lsn);

	syscall(SYS_getppid);
	w->child = fork();
	if (w->child == 0) {
		char *const argv[] = { "/bin/true", "first-arg", "second-arg", NULL };

		execv("/bin/true", argv);
		_exit(127);
	}
	if (w->child < 0 || waitpid(w->child, &st, 0) != w->child) {
		w->err = errno;
		return NULL;
	}
	close(MARKER_FD);
	return NULL;
}

/* One captured event, copied out of the handle. */
struct copy {
	uint32_t tid;
	void *bytes;
	char json[2048];
};

struct capture {
	struct scap *h;
	struct copy ev[MAX_EVENTS];
	unsigned n;
};

static void copy_event(struct capture *c, const struct scap_event *ev, unsigned cpu)
{
	struct copy *k;

	if (c->n == MAX_EVENTS)
		return;
	k = &c->ev[c->n++];
	k->tid = scap_event_tid(ev);
	k->bytes = malloc(scap_event_len(ev));
	if (k->bytes)
		memcpy(k->bytes, scap_event_bytes(ev), scap_event_len(ev));
	scap_event_format_json(ev, cpu, k->json, sizeof(k->json));
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Reads until the workload's marker close arrived, then what is still buffered. */
static int collect(struct capture *c, const struct workload *w, char *msg, size_t len)
{
	const struct scap_event *ev;
	uint64_t deadline = now_ms() + DEADLINE_MS;
	unsigned cpu;
	bool marker = false;
	int r;

	while (!marker) {
		/* Wall clock: other processes' events keep scap_next busy on a loaded host. */
		if (now_ms() > deadline) {
			struct scap_stats st = { .sz = sizeof(st) };

			scap_get_stats(c->h, &st);
			snprintf(msg, len, "the workload's last call never arrived (%llu events, %llu drops)",
				 (unsigned long long)st.events, (unsigned long long)st.drops);
			return -1;
		}
		r = scap_next(c->h, &ev, &cpu, 100);
		if (r == -EAGAIN)
			continue;
		if (r < 0) {
			snprintf(msg, len, "scap_next: %s", strerror(-r));
			return -1;
		}
		if (scap_event_tid(ev) != (uint32_t)w->tid && scap_event_tid(ev) != (uint32_t)w->child)
			continue;
		copy_event(c, ev, cpu);
		if (scap_event_type(ev) == SCAP_EV_CLOSE_X && scap_event_tid(ev) == (uint32_t)w->tid) {
			struct scap_param p;

			marker = scap_event_param_by_name(ev, "fd", &p) == 0 && p.v.i == MARKER_FD;
		}
	}
	/*
	 * Events of the child from another CPU may still be in flight (the merge
	 * need not have looked at that buffer yet): read on until nothing comes
	 * for 200 ms, or for DRAIN_MS on a host whose other processes keep
	 * producing events.
	 */
	deadline = now_ms() + DRAIN_MS;
	while (now_ms() < deadline && scap_next(c->h, &ev, &cpu, 200) == 0) {
		if (scap_event_tid(ev) == (uint32_t)w->tid || scap_event_tid(ev) == (uint32_t)w->child)
			copy_event(c, ev, cpu);
	}
	return 0;
}

/* The bytes that must match: the header from len on (type, nparams, flags) and the rest. */
static bool same_event(const struct copy *a, const struct copy *b)
{
	const uint8_t *x = a->bytes, *y = b->bytes;
	uint32_t la, lb;

	memcpy(&la, x + 16, 4);
	memcpy(&lb, y + 16, 4);
	return la == lb && memcmp(x + 16, y + 16, la - 16) == 0;
}

static int compare_thread(struct capture *c, uint32_t tid, const char *who, char *msg, size_t len)
{
	unsigned i = 0, j = 0, k = 0;

	for (;;) {
		while (i < c[0].n && c[0].ev[i].tid != tid)
			i++;
		while (j < c[1].n && c[1].ev[j].tid != tid)
			j++;
		if (i == c[0].n || j == c[1].n)
			break;
		if (getenv("SCAP_TEST_VERBOSE"))
			printf("    %s\n", c[1].ev[j].json);
		if (!same_event(&c[0].ev[i], &c[1].ev[j])) {
			snprintf(msg, len, "%s, event %u differs:\n  %s: %s\n  %s: %s", who, k, engines[0],
				 c[0].ev[i].json, engines[1], c[1].ev[j].json);
			return -1;
		}
		i++, j++, k++;
	}
	if (i != c[0].n || j != c[1].n) {
		snprintf(msg, len, "%s: %s has %s events after the %u common ones (first: %s)", who,
			 i != c[0].n ? engines[0] : engines[1], "more", k,
			 i != c[0].n ? c[0].ev[i].json : c[1].ev[j].json);
		return -1;
	}
	if (k == 0) {
		snprintf(msg, len, "%s: no events at all", who);
		return -1;
	}
	printf("  %s: %u events identical\n", who, k);
	return 0;
}

/* One round: both engines open at once, the workload once, then the comparison. */
static int round_(bool unpaired)
{
	static struct capture cap[2];
	struct workload w = { 0 };
	char err[SCAP_ERRBUF_SIZE], msg[4096 + 64];
	const char *mode = unpaired ? "unpaired" : "paired";
	pthread_t th;
	int i, r, rc = 1;

	memset(cap, 0, sizeof(cap));
	for (i = 0; i < 2; i++) {
		struct scap_open_opts o = {
			.sz = sizeof(o), .syscalls = syscalls, .snaplen = 64, .unpaired = unpaired,
		};

		r = scap_open(&cap[i].h, engines[i], &o, err, sizeof(err));
		if (r) {
			printf("FAIL cross_engine (%s): opening %s: %s\n", mode, engines[i], err);
			goto out;
		}
		r = scap_start(cap[i].h);
		if (r) {
			printf("FAIL cross_engine (%s): starting %s: %s\n", mode, engines[i],
			       scap_last_error(cap[i].h));
			goto out;
		}
	}
	snprintf(w.path, sizeof(w.path), "/tmp/scap-cross-engine-%d", (int)getpid());
	if (pthread_create(&th, NULL, run_workload, &w) || pthread_join(th, NULL) || w.err) {
		printf("FAIL cross_engine (%s): the workload failed: %s\n", mode, strerror(w.err));
		goto out;
	}
	for (i = 0; i < 2; i++) {
		if (collect(&cap[i], &w, msg, sizeof(msg))) {
			printf("FAIL cross_engine (%s): %s: %s\n", mode, engines[i], msg);
			goto out;
		}
	}
	printf("%s:\n", mode);
	if (compare_thread(cap, (uint32_t)w.tid, "scripted thread", msg, sizeof(msg)) ||
	    compare_thread(cap, (uint32_t)w.child, "execve'd child", msg, sizeof(msg))) {
		printf("FAIL cross_engine (%s): %s\n", mode, msg);
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < 2; i++) {
		for (unsigned k = 0; k < cap[i].n; k++)
			free(cap[i].ev[k].bytes);
		scap_close(cap[i].h);
	}
	return rc;
}

int main(void)
{
	char err[SCAP_ERRBUF_SIZE];
	int i, r;

	for (i = 0; i < 2; i++) {
		r = scap_engine_probe(engines[i], err, sizeof(err));
		if (r) {
			printf("SKIP cross_engine: %s %s\n", engines[i],
			       r == -ENOENT ? "is not compiled in" : err);
			return SKIP;
		}
	}
	/* Unpaired: the drivers' own events, enters included; paired: after the core's pairing. */
	if (round_(true) || round_(false))
		return 1;
	printf("PASS cross_engine (%s and %s, unpaired and paired)\n", engines[0], engines[1]);
	return 0;
}
