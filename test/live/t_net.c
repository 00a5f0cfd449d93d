// SPDX-License-Identifier: Apache-2.0
/*
 * socket/bind/listen/connect to a listening 127.0.0.1 port: the decoded
 * address must be the one the thread passed, byte for byte and as text.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live.h"

#define BACKLOG 7

struct net_job {
	long lfd, cfd, bind_res, listen_res, connect_res;
	unsigned port;
	int err;
};

static long raw_socket(int domain, int type)
{
	return syscall(SYS_socket, domain, type, 0);
}

static void *do_net(void *p)
{
	struct net_job *j = p;
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	j->lfd = raw_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC);
	/* Port 0: the kernel picks a free one, so the suite never collides. */
	j->bind_res = syscall(SYS_bind, j->lfd, &a, sizeof(a));
	j->listen_res = syscall(SYS_listen, j->lfd, BACKLOG);
	if (getsockname((int)j->lfd, (struct sockaddr *)&a, &alen) < 0) {
		j->err = errno;
		return NULL;
	}
	j->port = ntohs(a.sin_port);
	j->cfd = raw_socket(AF_INET, SOCK_STREAM);
	j->connect_res = syscall(SYS_connect, j->cfd, &a, sizeof(a));
	j->err = errno;
	close((int)j->cfd);
	close((int)j->lfd);
	return NULL;
}

/* A minimal guest (the VM test's initramfs) starts with the loopback down. */
int live_loopback_up(struct live_test *t)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (s < 0)
		return live_fail(t, "socket: %s", strerror(errno));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		r = live_skip(t, "no loopback interface: %s", strerror(errno));
	} else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			r = live_skip(t, "the loopback interface is down and cannot be brought "
				      "up (%s): run `ip link set lo up`", strerror(errno));
	}
	close(s);
	return r;
}

int test_net_connect(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct net_job j = { .lfd = -1, .cfd = -1 };
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	int up = live_loopback_up(t);

	if (up != LIVE_PASS)
		return up;
	live_drain(h);
	live_run_thread(do_net, &j, &tid);
	if (j.lfd < 0 || j.cfd < 0 || j.bind_res || j.listen_res || j.connect_res)
		return live_fail(t, "socket/bind/listen/connect failed here: %s", strerror(j.err));

	/* SCAP_SA_INET, address in network order, port a host-order u16. */
	const unsigned char bind_addr[] = { SCAP_SA_INET, 127, 0, 0, 1, 0, 0 };
	unsigned char conn_addr[] = { SCAP_SA_INET, 127, 0, 0, 1, 0, 0 };
	uint16_t conn_port = (uint16_t)j.port;
	char conn_text[32];

	memcpy(&conn_addr[5], &conn_port, 2);

	snprintf(conn_text, sizeof(conn_text), "127.0.0.1:%u", j.port);
	struct want_event w[] = {
		{ .what = "listening socket exit", .tid = (uint32_t)tid, .type = SCAP_EV_SOCKET_X,
		  .event_name = "socket", .key = WS("res", j.lfd),
		  .params = { WS("res", j.lfd), WS("domain", AF_INET), WFMT("domain", "AF_INET"),
			      WU("type", SOCK_STREAM | SOCK_CLOEXEC), WS("protocol", 0) } },
		{ .what = "bind exit", .tid = (uint32_t)tid, .type = SCAP_EV_BIND_X,
		  .event_name = "bind",
		  .params = { WS("res", 0), WS("sockfd", j.lfd),
			      WBYTES("addr", bind_addr, sizeof(bind_addr)),
			      WFMT("addr", "127.0.0.1:0") } },
		{ .what = "listen exit", .tid = (uint32_t)tid, .type = SCAP_EV_LISTEN_X,
		  .event_name = "listen",
		  .params = { WS("res", 0), WS("sockfd", j.lfd), WS("backlog", BACKLOG) } },
		{ .what = "client socket exit", .tid = (uint32_t)tid, .type = SCAP_EV_SOCKET_X,
		  .key = WS("res", j.cfd),
		  .params = { WS("res", j.cfd), WS("domain", AF_INET), WU("type", SOCK_STREAM),
			      WS("protocol", 0) } },
		{ .what = "connect exit", .tid = (uint32_t)tid, .type = SCAP_EV_CONNECT_X,
		  .event_name = "connect", .flags_clear = SCAP_EVF_TOCTOU,
		  .params = { WS("res", 0), WS("sockfd", j.cfd),
			      WBYTES("addr", conn_addr, sizeof(conn_addr)),
			      WFMT("addr", conn_text) } },
	};
	int r = live_expect(t, h, w, 5);

	if (r != LIVE_PASS)
		return r;
	for (unsigned i = 1; i < 5; i++)
		if (w[i].seq < w[i - 1].seq)
			return live_fail(t, "%s delivered before %s", w[i].what, w[i - 1].what);
	return LIVE_PASS;
}
