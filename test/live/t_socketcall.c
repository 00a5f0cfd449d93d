// SPDX-License-Identifier: Apache-2.0
/*
 * socketcall(2) demultiplexed: a socket, bind, listen, connect, accept4,
 * sendto, send, recv and shutdown made through the multiplexer arrive as the
 * typed events of the direct syscalls, with the exact values the direct calls
 * would give (connect's peer equal to getpeername, its enter captured and
 * paired; accept4's address the client's); a call without a typed row
 * (getsockname) and an unknown call number arrive as the generic socketcall
 * event with the raw registers. Only where the 64-bit table has socketcall
 * (ppc64le, s390x); elsewhere it skips.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/net.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live.h"

#ifdef SYS_socketcall

#define SC_BACKLOG 5
#define SC_UNKNOWN_CALL 99ul
static const char sc_msg1[] = "socketcall!"; /* sendto */
static const char sc_msg2[] = "hello";       /* send */
#define SC_LEN1 (sizeof(sc_msg1) - 1)
#define SC_LEN2 (sizeof(sc_msg2) - 1)

struct sc_job {
	long lfd, cfd, afd, bind_res, listen_res, gsn_res, connect_res, sendto_res, send_res, recv_res,
		shut_res, unknown_res;
	int unknown_errno;
	unsigned port, cport;      /* listening and client port, host order */
	struct sockaddr_in peer;   /* getpeername(cfd) after the connect */
	char rbuf[64];
	unsigned long gsn_args[3]; /* the array given for getsockname */
	unsigned long unknown_args[3];
	int err;
};

/* Every register given: the generic event's raw arguments are then all known. */
static long sc(unsigned long call, unsigned long *args)
{
	return syscall(SYS_socketcall, call, args, 0ul, 0ul, 0ul, 0ul);
}

static void *do_sc(void *p)
{
	struct sc_job *j = p;
	struct sockaddr_in a = { .sin_family = AF_INET }, ca, from;
	socklen_t alen = sizeof(a), clen = sizeof(ca), flen = sizeof(from), plen = sizeof(j->peer);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	j->lfd = sc(SYS_SOCKET, (unsigned long[]){ AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0 });
	j->bind_res = sc(SYS_BIND, (unsigned long[]){ (unsigned long)j->lfd, (unsigned long)&a, sizeof(a) });
	j->listen_res = sc(SYS_LISTEN, (unsigned long[]){ (unsigned long)j->lfd, SC_BACKLOG });
	j->gsn_args[0] = (unsigned long)j->lfd;
	j->gsn_args[1] = (unsigned long)&a;
	j->gsn_args[2] = (unsigned long)&alen;
	j->gsn_res = sc(SYS_GETSOCKNAME, j->gsn_args);
	j->port = ntohs(a.sin_port);
	j->cfd = sc(SYS_SOCKET, (unsigned long[]){ AF_INET, SOCK_STREAM, 0 });
	j->connect_res = sc(SYS_CONNECT, (unsigned long[]){ (unsigned long)j->cfd, (unsigned long)&a, sizeof(a) });
	if (getpeername((int)j->cfd, (struct sockaddr *)&j->peer, &plen) < 0 ||
	    getsockname((int)j->cfd, (struct sockaddr *)&ca, &clen) < 0) {
		j->err = errno;
		return NULL;
	}
	j->cport = ntohs(ca.sin_port);
	j->afd = sc(SYS_ACCEPT4, (unsigned long[]){ (unsigned long)j->lfd, (unsigned long)&from,
						    (unsigned long)&flen, SOCK_CLOEXEC });
	j->sendto_res = sc(SYS_SENDTO, (unsigned long[]){ (unsigned long)j->cfd, (unsigned long)sc_msg1, SC_LEN1,
							  MSG_DONTWAIT, 0, 0 });
	j->send_res = sc(SYS_SEND, (unsigned long[]){ (unsigned long)j->cfd, (unsigned long)sc_msg2, SC_LEN2, 0 });
	j->recv_res = sc(SYS_RECV, (unsigned long[]){ (unsigned long)j->afd, (unsigned long)j->rbuf,
						      SC_LEN1 + SC_LEN2, MSG_WAITALL });
	j->shut_res = sc(SYS_SHUTDOWN, (unsigned long[]){ (unsigned long)j->cfd, SHUT_WR });
	j->unknown_args[0] = 1;
	j->unknown_res = sc(SC_UNKNOWN_CALL, j->unknown_args);
	j->unknown_errno = errno;
	close((int)j->afd);
	close((int)j->cfd);
	close((int)j->lfd);
	return NULL;
}

/* socketcall's six registers as the generic event's args: call, array, then the zeros given. */
static void sc_raw(uint64_t raw[6], unsigned long call, const void *array)
{
	memset(raw, 0, 6 * sizeof(raw[0]));
	raw[0] = call;
	raw[1] = (uint64_t)(uintptr_t)array;
}

static const char *const sc_syscalls[] = {
	"socket", "bind", "listen", "connect", "accept4", "sendto", "recvfrom", "shutdown", "socketcall", NULL,
};

int test_socketcall(struct live_test *t)
{
	struct scap_open_opts o = { .snaplen = LIVE_SNAPLEN, .syscalls = sc_syscalls };
	struct sc_job j = { .lfd = -1, .cfd = -1, .afd = -1 };
	uint64_t gsn_raw[6], unk_raw[6];
	struct scap *h;
	pid_t tid;
	int up = live_loopback_up(t), r;

	if (up != LIVE_PASS)
		return up;
	live_shared_close();
	h = live_open(t, &o);
	if (!h)
		return LIVE_FAIL;
	live_drain(h);
	live_run_thread(do_sc, &j, &tid);
	if (j.err || j.lfd < 0 || j.cfd < 0 || j.afd < 0 || j.bind_res || j.listen_res || j.gsn_res ||
	    j.connect_res || j.sendto_res != (long)SC_LEN1 || j.send_res != (long)SC_LEN2 ||
	    j.recv_res != (long)(SC_LEN1 + SC_LEN2) || j.shut_res) {
		scap_close(h);
		return live_fail(t, "the calls through socketcall failed here (lfd %ld cfd %ld afd %ld bind %ld "
				 "listen %ld getsockname %ld connect %ld sendto %ld send %ld recv %ld shutdown %ld): %s",
				 j.lfd, j.cfd, j.afd, j.bind_res, j.listen_res, j.gsn_res, j.connect_res,
				 j.sendto_res, j.send_res, j.recv_res, j.shut_res, strerror(j.err ? j.err : errno));
	}
	if (j.unknown_res != -1 || j.unknown_errno != EINVAL) {
		scap_close(h);
		return live_fail(t, "socketcall(%lu) returned %ld (errno %d), not -1/EINVAL", SC_UNKNOWN_CALL,
				 j.unknown_res, j.unknown_errno);
	}
	sc_raw(gsn_raw, SYS_GETSOCKNAME, j.gsn_args);
	sc_raw(unk_raw, SC_UNKNOWN_CALL, j.unknown_args);

	/* SCAP_SA_INET, address in network order, port in host order (docs/event-format.md). */
	const unsigned char bind_addr[] = { SCAP_SA_INET, 127, 0, 0, 1, 0, 0 };
	unsigned char conn_addr[7] = { SCAP_SA_INET, 127, 0, 0, 1 };
	unsigned char peer_addr[7] = { SCAP_SA_INET };
	uint16_t pport = ntohs(j.peer.sin_port), cport = (uint16_t)j.port, clport = (uint16_t)j.cport;
	unsigned char client_addr[7] = { SCAP_SA_INET, 127, 0, 0, 1 };
	char conn_text[32];

	memcpy(&conn_addr[5], &cport, 2);
	memcpy(&client_addr[5], &clport, 2);
	memcpy(&peer_addr[1], &j.peer.sin_addr.s_addr, 4);
	memcpy(&peer_addr[5], &pport, 2);
	snprintf(conn_text, sizeof(conn_text), "127.0.0.1:%u", j.port);
	/* The bpf engine without kernel BTF has no socket offsets: peer empty, as documented. */
	const struct want_param peer = live_no_task_btf() ? (struct want_param)WEMPTY("peer")
								: (struct want_param)WBYTES("peer", peer_addr, sizeof(peer_addr));
	struct want_event w[] = {
		{ .what = "listening socket (SYS_SOCKET)", .tid = (uint32_t)tid, .type = SCAP_EV_SOCKET_X,
		  .event_name = "socket", .key = WS("res", j.lfd),
		  .params = { WS("res", j.lfd), WS("domain", AF_INET), WU("type", SOCK_STREAM | SOCK_CLOEXEC),
			      WS("protocol", 0) } },
		{ .what = "bind (SYS_BIND)", .tid = (uint32_t)tid, .type = SCAP_EV_BIND_X, .event_name = "bind",
		  .params = { WS("res", 0), WS("sockfd", j.lfd), WBYTES("addr", bind_addr, sizeof(bind_addr)),
			      WFMT("addr", "127.0.0.1:0") } },
		{ .what = "listen (SYS_LISTEN)", .tid = (uint32_t)tid, .type = SCAP_EV_LISTEN_X,
		  .event_name = "listen", .params = { WS("res", 0), WS("sockfd", j.lfd), WS("backlog", SC_BACKLOG) } },
		{ .what = "getsockname (SYS_GETSOCKNAME: no typed row, generic)", .tid = (uint32_t)tid,
		  .type = SCAP_EV_GENERIC_X, .event_name = "socketcall",
		  .key = WBYTES("args", gsn_raw, sizeof(gsn_raw)),
		  .params = { WS("res", 0), WU("syscall", SYS_socketcall), WBYTES("args", gsn_raw, sizeof(gsn_raw)) } },
		{ .what = "client socket (SYS_SOCKET)", .tid = (uint32_t)tid, .type = SCAP_EV_SOCKET_X,
		  .key = WS("res", j.cfd),
		  .params = { WS("res", j.cfd), WS("domain", AF_INET), WU("type", SOCK_STREAM), WS("protocol", 0) } },
		{ .what = "connect (SYS_CONNECT), paired with its enter", .tid = (uint32_t)tid,
		  .type = SCAP_EV_CONNECT_X, .event_name = "connect", .flags_set = SCAP_EVF_PAIRED,
		  .flags_clear = SCAP_EVF_TOCTOU | SCAP_EVF_NO_ENTER | SCAP_EVF_ENTER_UNREAD,
		  .params = { WS("res", 0), WS("sockfd", j.cfd), WBYTES("addr", conn_addr, sizeof(conn_addr)),
			      WFMT("addr", conn_text), peer } },
		{ .what = "accept4 (SYS_ACCEPT4)", .tid = (uint32_t)tid, .type = SCAP_EV_ACCEPT4_X,
		  .event_name = "accept4",
		  .params = { WS("res", j.afd), WS("sockfd", j.lfd),
			      WBYTES("addr", client_addr, sizeof(client_addr)), WU("flags", SOCK_CLOEXEC) } },
		{ .what = "sendto (SYS_SENDTO)", .tid = (uint32_t)tid, .type = SCAP_EV_SENDTO_X,
		  .event_name = "sendto", .key = WU("len", SC_LEN1),
		  .params = { WS("res", SC_LEN1), WS("sockfd", j.cfd), WBYTES("buf", sc_msg1, SC_LEN1),
			      WU("len", SC_LEN1), WU("flags", MSG_DONTWAIT), WEMPTY("dest_addr") } },
		{ .what = "send (SYS_SEND: sendto without an address)", .tid = (uint32_t)tid,
		  .type = SCAP_EV_SENDTO_X, .key = WU("len", SC_LEN2),
		  .params = { WS("res", SC_LEN2), WS("sockfd", j.cfd), WBYTES("buf", sc_msg2, SC_LEN2),
			      WU("len", SC_LEN2), WU("flags", 0), WEMPTY("dest_addr") } },
		{ .what = "recv (SYS_RECV: recvfrom without an address)", .tid = (uint32_t)tid,
		  .type = SCAP_EV_RECVFROM_X, .event_name = "recvfrom",
		  .params = { WS("res", SC_LEN1 + SC_LEN2), WS("sockfd", j.afd),
			      WBYTES("buf", j.rbuf, SC_LEN1 + SC_LEN2), WU("len", SC_LEN1 + SC_LEN2),
			      WU("flags", MSG_WAITALL), WEMPTY("src_addr") } },
		{ .what = "shutdown (SYS_SHUTDOWN)", .tid = (uint32_t)tid, .type = SCAP_EV_SHUTDOWN_X,
		  .event_name = "shutdown", .params = { WS("res", 0), WS("sockfd", j.cfd), WS("how", SHUT_WR) } },
		{ .what = "unknown call 99 (generic)", .tid = (uint32_t)tid, .type = SCAP_EV_GENERIC_X,
		  .event_name = "socketcall", .key = WBYTES("args", unk_raw, sizeof(unk_raw)),
		  .params = { WS("res", -EINVAL), WU("syscall", SYS_socketcall),
			      WBYTES("args", unk_raw, sizeof(unk_raw)) } },
	};
	unsigned n = sizeof(w) / sizeof(w[0]);

	r = live_expect(t, h, w, n);
	scap_close(h);
	if (r != LIVE_PASS)
		return r;
	if (memcmp(conn_addr, peer_addr, sizeof(conn_addr)) != 0)
		return live_fail(t, "getpeername disagrees with the address connected to: the test is wrong");
	for (unsigned i = 1; i < n; i++)
		if (w[i].seq < w[i - 1].seq)
			return live_fail(t, "%s delivered before %s", w[i].what, w[i - 1].what);
	return LIVE_PASS;
}

/*
 * Selection: with connect selected and socketcall not, a connect through
 * socketcall is still the typed connect, and an unknown call gives nothing
 * (no generic event: socketcall is not selected).
 */
struct sc_sel_job {
	long cfd, connect_res, unknown_res;
	unsigned long args[3];
	struct sockaddr_in a;
	unsigned char addr[7];
};

static void *do_sc_sel(void *p)
{
	struct sc_sel_job *j = p;

	/* First: events arrive in time order, so it would be seen before the connect. */
	j->unknown_res = sc(SC_UNKNOWN_CALL, j->args);
	j->cfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	j->a = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(9),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	j->args[0] = (unsigned long)j->cfd;
	j->args[1] = (unsigned long)&j->a;
	j->args[2] = sizeof(j->a);
	j->connect_res = sc(SYS_CONNECT, j->args);
	close((int)j->cfd);
	return NULL;
}

int test_socketcall_selection(struct live_test *t)
{
	static const char *const only_connect[] = { "connect", NULL };
	struct scap_open_opts o = { .snaplen = LIVE_SNAPLEN, .syscalls = only_connect };
	struct sc_sel_job j = { .cfd = -1, .args = { 1 } };
	/* port 9 in host order (docs/event-format.md) */
	unsigned char want_addr[7] = { SCAP_SA_INET, 127, 0, 0, 1 };
	const uint16_t want_port = 9;
	struct scap *h;
	pid_t tid;
	int up = live_loopback_up(t), r;

	memcpy(&want_addr[5], &want_port, 2);
	if (up != LIVE_PASS)
		return up;
	live_shared_close();
	h = live_open(t, &o);
	if (!h)
		return LIVE_FAIL;
	live_drain(h);
	live_run_thread(do_sc_sel, &j, &tid);
	if (j.cfd < 0 || j.connect_res != 0 || j.unknown_res != -1) {
		scap_close(h);
		return live_fail(t, "UDP connect through socketcall returned %ld (fd %ld), call 99 %ld",
				 j.connect_res, j.cfd, j.unknown_res);
	}
	/* The bpf engine without kernel BTF has no socket offsets: peer empty, as documented. */
	const struct want_param peer = live_no_task_btf() ? (struct want_param)WEMPTY("peer")
								: (struct want_param)WBYTES("peer", want_addr, sizeof(want_addr));
	struct want_event w[] = {
		{ .what = "call 99 as a generic event (socketcall is not selected)", .tid = (uint32_t)tid,
		  .type = SCAP_EV_GENERIC_X, .forbidden = true },
		{ .what = "connect through socketcall, only connect selected", .tid = (uint32_t)tid,
		  .type = SCAP_EV_CONNECT_X, .flags_set = SCAP_EVF_PAIRED,
		  .flags_clear = SCAP_EVF_TOCTOU | SCAP_EVF_NO_ENTER,
		  .params = { WS("res", 0), WS("sockfd", j.cfd), WBYTES("addr", want_addr, sizeof(want_addr)),
			      peer } },
	};
	r = live_expect(t, h, w, 2);
	scap_close(h);
	return r;
}

#else

int test_socketcall_selection(struct live_test *t)
{
	return live_skip(t, "no socketcall in this architecture's 64-bit syscall table (see test socketcall)");
}

int test_socketcall(struct live_test *t)
{
	return live_skip(t, "this architecture's 64-bit syscall table has no socketcall "
			 "(x86_64, aarch64: the socket calls are direct syscalls; compat tasks are not captured)");
}

#endif
