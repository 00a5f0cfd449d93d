// SPDX-License-Identifier: Apache-2.0
/*
 * connect's peer (issue 17, item 8): the exit carries the address the socket
 * is really connected to, read from the socket, whatever the caller's
 * sockaddr said before or after. One thread connects UDP and TCP sockets to
 * 127.0.0.1 in a loop while another keeps switching the port in that
 * sockaddr between two listening ports; every event's peer must equal what
 * getpeername() says for that socket right after the call.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live.h"

/*
 * Connects per run; every 4th is TCP (the listeners' backlog holds them). Few
 * enough that a 4.4 guest under TCG (about 9 connects/s with the switching
 * thread spinning) finishes before the deadline.
 */
#define PEER_CALLS 400u

struct peer_truth {
	long res;
	uint8_t want[7];   /* SCAP_SA_INET, address, port (host order, little endian) */
};

struct peer_run {
	struct sockaddr_in sa;        /* the buffer the connecting thread passes */
	uint16_t port_a, port_b;      /* network order */
	struct peer_truth *truth;
	atomic_uint calls;
	atomic_bool stop, running, started;
	pid_t tid;
};

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *connector(void *p)
{
	struct peer_run *r = p;

	pin_self(0);
	r->tid = live_gettid();
	atomic_store(&r->running, true);
	atomic_store(&r->started, true);
	for (unsigned i = 0; i < PEER_CALLS && !atomic_load(&r->stop); i++) {
		struct peer_truth *tr = &r->truth[i];
		int s = socket(AF_INET, ((i & 3) == 3 ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
		struct sockaddr_in got;
		socklen_t gl = sizeof(got);

		tr->res = -EBADF;
		if (s >= 0) {
			tr->res = syscall(SYS_connect, s, &r->sa, sizeof(r->sa));
			if (tr->res < 0)
				tr->res = -errno;
			if (tr->res == 0 && getpeername(s, (struct sockaddr *)&got, &gl) == 0) {
				uint16_t port = ntohs(got.sin_port);

				tr->want[0] = SCAP_SA_INET;
				memcpy(&tr->want[1], &got.sin_addr.s_addr, 4);
				memcpy(&tr->want[5], &port, 2); /* host order, as the event has it */
			}
			close(s);
		}
		atomic_store(&r->calls, i + 1);
	}
	atomic_store(&r->running, false);
	return NULL;
}

static void *switcher(void *p)
{
	struct peer_run *r = p;
	volatile uint16_t *port = &r->sa.sin_port;

	pin_self(1);
	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		*port = r->port_b;
		*port = r->port_a;
	}
	return NULL;
}

static int listener(int type, uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(sa);
	int s = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -1;
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || getsockname(s, (struct sockaddr *)&sa, &l) < 0 ||
	    (type == SOCK_STREAM && listen(s, 4096) < 0)) {
		close(s);
		return -1;
	}
	*port = sa.sin_port;
	return s;
}

int test_connect_peer_truth(struct live_test *t)
{
	static const char *const sel[] = { "connect", NULL };
	struct scap_open_opts o = { .syscalls = sel };
	struct peer_run r = { 0 };
	int lis[4] = { -1, -1, -1, -1 };
	uint16_t pa_u, pb_u;
	unsigned nseen = 0, calls, differ = 0, flagged = 0;
	uint8_t (*seen)[8] = NULL; /* [0..6] the peer bytes, [7] its length */
	int64_t *res = NULL;
	unsigned *evflags = NULL;
	pthread_t tc, ts;
	bool joined = false, stopping = false;
	uint64_t deadline;
	struct scap *h;
	int result = LIVE_PASS;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return live_skip(t, "needs two online CPUs: one connects, the other switches the address");
	/* Two ports, each with a TCP listener and a UDP socket bound to the same number. */
	lis[0] = listener(SOCK_STREAM, &r.port_a);
	lis[2] = listener(SOCK_STREAM, &r.port_b);
	if (lis[0] < 0 || lis[2] < 0)
		return live_fail(t, "cannot set up the TCP listeners: %s", strerror(errno));
	{
		struct sockaddr_in u = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		lis[1] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		lis[3] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		u.sin_port = r.port_a;
		if (lis[1] >= 0)
			(void)bind(lis[1], (struct sockaddr *)&u, sizeof(u));
		u.sin_port = r.port_b;
		if (lis[3] >= 0)
			(void)bind(lis[3], (struct sockaddr *)&u, sizeof(u));
	}
	pa_u = ntohs(r.port_a);
	pb_u = ntohs(r.port_b);
	r.sa.sin_family = AF_INET;
	r.sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r.sa.sin_port = r.port_a;
	r.truth = calloc(PEER_CALLS, sizeof(*r.truth));
	seen = calloc(PEER_CALLS, sizeof(*seen));
	res = calloc(PEER_CALLS, sizeof(*res));
	evflags = calloc(PEER_CALLS, sizeof(*evflags));
	if (!r.truth || !seen || !res || !evflags) {
		result = live_fail(t, "out of memory");
		goto out;
	}

	live_shared_close();
	h = live_open(t, &o);
	if (!h) {
		result = LIVE_FAIL;
		goto out;
	}
	if (pthread_create(&ts, NULL, switcher, &r)) {
		scap_close(h);
		result = live_fail(t, "cannot start the switching thread");
		goto out;
	}
	if (pthread_create(&tc, NULL, connector, &r)) {
		atomic_store(&r.stop, true);
		pthread_join(ts, NULL);
		scap_close(h);
		result = live_fail(t, "cannot start the connecting thread");
		goto out;
	}
	while (!atomic_load(&r.started))
		sched_yield();
	deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS + 60000;
	for (;;) {
		const struct scap_event *ev;
		struct scap_param p;
		int rc;

		if (!joined && !atomic_load(&r.running)) {
			pthread_join(tc, NULL);
			joined = true;
		}
		if (joined && nseen >= atomic_load(&r.calls))
			break;
		/* A slow guest (TCG): stop the calls, then wait for the events of those made. */
		if (live_now_ms() > deadline) {
			if (stopping)
				break;
			atomic_store(&r.stop, true);
			stopping = true;
			deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS;
		}
		rc = scap_next(h, &ev, NULL, 100);
		if (rc == -EAGAIN || rc == -EINTR)
			continue;
		if (rc < 0) {
			result = live_fail(t, "scap_next: %s", scap_last_error(h));
			break;
		}
		if (scap_event_tid(ev) != (uint32_t)r.tid || scap_event_type(ev) != SCAP_EV_CONNECT_X)
			continue;
		if (nseen < PEER_CALLS) {
			if (scap_event_param_by_name(ev, "res", &p) == 0)
				res[nseen] = p.v.i;
			if (scap_event_param_by_name(ev, "peer", &p) == 0 && p.len <= 7) {
				if (p.len)
					memcpy(seen[nseen], p.data, p.len); /* an empty value's data is NULL */
				seen[nseen][7] = (uint8_t)p.len;
			}
			evflags[nseen] = scap_event_flags(ev);
			/* What the caller's buffer said at enter, against what the socket says. */
			if (scap_event_param_by_name(ev, "addr", &p) == 0 && p.len == 7 &&
			    memcmp(p.data, r.truth[nseen].want, 7) != 0 && r.truth[nseen].res == 0) {
				differ++;
				if (evflags[nseen] & SCAP_EVF_TOCTOU)
					flagged++;
			}
		}
		nseen++;
	}
	atomic_store(&r.stop, true);
	if (!joined)
		pthread_join(tc, NULL);
	pthread_join(ts, NULL);
	calls = atomic_load(&r.calls);
	if (result == LIVE_PASS && nseen != calls) {
		struct scap_stats st = { .sz = sizeof(st) };

		scap_get_stats(h, &st);
		unsigned k = 0;

		/* Where the events part from the calls (the first call whose event is not next). */
		while (k < nseen && k < calls && k < PEER_CALLS && seen[k][7] == 7 &&
		       !memcmp(seen[k], r.truth[k].want, 7))
			k++;
		result = live_fail(t,
				   "%u connect calls, %u events (drops %llu, pairing stale %llu, evicted %llu, "
				   "exits without enter %llu, unread %llu); events match the calls up to call %u",
				   calls, nseen, (unsigned long long)st.drops, (unsigned long long)st.pairing_stale,
				   (unsigned long long)st.pairing_evicted, (unsigned long long)st.exits_without_enter,
				   (unsigned long long)st.unread, k);
	}
	for (unsigned i = 0; result == LIVE_PASS && i < calls; i++) {
		const struct peer_truth *tr = &r.truth[i];

		if (tr->res != 0) {
			result = live_fail(t, "connect %u failed (%ld): both ports listen", i, tr->res);
			break;
		}
		if (res[i] != 0) {
			result = live_fail(t, "connect %u: event res %lld, the call returned 0", i,
					   (long long)res[i]);
			break;
		}
		/* The bpf engine without kernel BTF has no socket offsets: empty, as documented. */
		if (live_no_task_btf()) {
			if (seen[i][7] != 0) {
				result = live_fail(t, "connect %u: bpf without BTF filled peer (%u bytes)", i, seen[i][7]);
				break;
			}
			continue;
		}
		if (seen[i][7] != 7 || memcmp(seen[i], tr->want, 7) != 0) {
			result = live_fail(t,
					   "connect %u: getpeername says port %u, the event's peer is %u bytes (port %u)",
					   i, tr->want[5] | tr->want[6] << 8, seen[i][7], seen[i][5] | seen[i][6] << 8);
			break;
		}
	}
	if (result == LIVE_PASS && live_no_task_btf())
		snprintf(t->msg, sizeof(t->msg), "bpf without BTF: all %u peers empty, as documented", calls);
	else if (result == LIVE_PASS)
		snprintf(t->msg, sizeof(t->msg),
			 "%u/%u peers equal getpeername (ports %u/%u switched; the caller's buffer named "
			 "the other port at enter in %u, TOCTOU-flagged %u)",
			 calls, calls, pa_u, pb_u, differ, flagged);
	scap_close(h);
out:
	for (int k = 0; k < 4; k++)
		if (lis[k] >= 0)
			close(lis[k]);
	free(r.truth);
	free(seen);
	free(res);
	free(evflags);
	return result;
}
