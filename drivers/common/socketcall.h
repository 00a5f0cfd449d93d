/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only OR MIT */
/*
 * socketcall(call, unsigned long *args): the socket multiplexer of
 * architectures whose C library still routes socket calls through it
 * (ppc64le; s390x). The drivers capture a call that has a direct syscall
 * with a typed row as that typed event, with the arguments the kernel reads
 * (net/socket.c: nargs[call] words copied from args); the rest stays the
 * generic event named socketcall. Included by the kernel module, the eBPF
 * programs and user space, after schema.h.
 *
 * Selection (docs/engines.md, "socketcall"): a call is captured as the typed
 * event of its direct syscall when that syscall is selected; otherwise as
 * the generic socketcall event when socketcall is selected; otherwise not.
 */
#ifndef SCAP_DRIVERS_COMMON_SOCKETCALL_H
#define SCAP_DRIVERS_COMMON_SOCKETCALL_H

#include "schema.h"

/*
 * 1 where the 64-bit syscall table has socketcall (x86_64 and aarch64 have
 * none for 64-bit tasks, and compat tasks are not captured). A preprocessor
 * answer, so that the demultiplexing costs nothing where it cannot occur.
 */
#if defined(SCAP_ARCH_PPC64LE) || defined(SCAP_ARCH_S390X)
#define SCAP_HAVE_SOCKETCALL 1
#else
#define SCAP_HAVE_SOCKETCALL 0
#endif

/* include/uapi/linux/net.h: SYS_SOCKET 1 .. SYS_SENDMMSG 20. */
#define SCAP_SYS_SOCKET 1u
#define SCAP_SYS_BIND 2u
#define SCAP_SYS_CONNECT 3u
#define SCAP_SYS_LISTEN 4u
#define SCAP_SYS_ACCEPT 5u
#define SCAP_SYS_GETSOCKNAME 6u
#define SCAP_SYS_GETPEERNAME 7u
#define SCAP_SYS_SOCKETPAIR 8u
#define SCAP_SYS_SEND 9u
#define SCAP_SYS_RECV 10u
#define SCAP_SYS_SENDTO 11u
#define SCAP_SYS_RECVFROM 12u
#define SCAP_SYS_SHUTDOWN 13u
#define SCAP_SYS_SETSOCKOPT 14u
#define SCAP_SYS_GETSOCKOPT 15u
#define SCAP_SYS_SENDMSG 16u
#define SCAP_SYS_RECVMSG 17u
#define SCAP_SYS_ACCEPT4 18u
#define SCAP_SYS_RECVMMSG 19u
#define SCAP_SYS_SENDMMSG 20u
#define SCAP_SOCKETCALL_MAX_ARGS 6u

/*
 * X(CODE): the exit rows a socketcall can become, those of the direct
 * syscalls scap_socketcall_nr() names (modern_bpf compiles one program per
 * row for them). Of these, only connect has an enter row (CONNECT_E).
 */
#define SCAP_SOCKETCALL_EXIT_ROWS(X)                                                            \
	X(SOCKET_X) X(BIND_X) X(CONNECT_X) X(LISTEN_X) X(ACCEPT_X) X(SOCKETPAIR_X) X(SENDTO_X) \
	X(RECVFROM_X) X(SHUTDOWN_X) X(SETSOCKOPT_X) X(GETSOCKOPT_X) X(SENDMSG_X) X(RECVMSG_X)  \
	X(ACCEPT4_X)

#if SCAP_HAVE_SOCKETCALL
/*
 * The direct syscall a call is demultiplexed to and how many argument words
 * the kernel copies for it (its nargs[] / sizeof(unsigned long)), or -1 for
 * a call that stays generic: an unknown number, or one whose direct syscall
 * has no typed row (getsockname, getpeername, recvmmsg, sendmmsg). Both
 * drivers also check at run time that the syscall named here has a typed
 * exit row (and modern_bpf a program in SCAP_SOCKETCALL_EXIT_ROWS): a table
 * out of step with events.def gives the generic event, never a wrong one. A
 * switch of constants: inlined in eBPF without a .rodata table.
 */
static inline __attribute__((always_inline)) int scap_socketcall_nr(unsigned long call, unsigned int *nargs)
{
	switch (call) {
	case SCAP_SYS_SOCKET: *nargs = 3; return SCAP_NR_socket;
	case SCAP_SYS_BIND: *nargs = 3; return SCAP_NR_bind;
	case SCAP_SYS_CONNECT: *nargs = 3; return SCAP_NR_connect;
	case SCAP_SYS_LISTEN: *nargs = 2; return SCAP_NR_listen;
	/*
	 * The kernel serves SYS_ACCEPT as accept4 with flags 0; where the
	 * table has no accept (s390x) it is accept4's event, flags 0.
	 */
	case SCAP_SYS_ACCEPT:
		*nargs = 3;
		return (int)SCAP_NR_accept != (int)SCAP_NR_ABSENT ? SCAP_NR_accept : SCAP_NR_accept4;
	case SCAP_SYS_SOCKETPAIR: *nargs = 4; return SCAP_NR_socketpair;
	/* send and recv are sendto and recvfrom without an address, as the kernel calls them. */
	case SCAP_SYS_SEND: *nargs = 4; return SCAP_NR_sendto;
	case SCAP_SYS_RECV: *nargs = 4; return SCAP_NR_recvfrom;
	case SCAP_SYS_SENDTO: *nargs = 6; return SCAP_NR_sendto;
	case SCAP_SYS_RECVFROM: *nargs = 6; return SCAP_NR_recvfrom;
	case SCAP_SYS_SHUTDOWN: *nargs = 2; return SCAP_NR_shutdown;
	case SCAP_SYS_SETSOCKOPT: *nargs = 5; return SCAP_NR_setsockopt;
	case SCAP_SYS_GETSOCKOPT: *nargs = 5; return SCAP_NR_getsockopt;
	case SCAP_SYS_SENDMSG: *nargs = 3; return SCAP_NR_sendmsg;
	case SCAP_SYS_RECVMSG: *nargs = 3; return SCAP_NR_recvmsg;
	case SCAP_SYS_ACCEPT4: *nargs = 4; return SCAP_NR_accept4;
	default: *nargs = 0; return -1;
	}
}
#endif

#endif
