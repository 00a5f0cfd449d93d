/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * socketcall (../common/socketcall.h) in the bpf driver's dispatchers, both
 * modes: a call whose direct syscall is selected and has a typed row becomes
 * that typed event, built by the direct syscall's own program (progs[code])
 * from the scratch registers, into which the call's argument words are
 * written; anything else is the generic socketcall event when socketcall
 * itself is selected (scap_bpf_syscall.generic), else nothing. The loader
 * selects socketcall's entry when socketcall or a syscall it can become is.
 * connect, the only call of the family with an enter row, has its enter
 * event too (TOCTOU pairing, as for a direct connect).
 *
 * The event keeps socketcall's number (fc.nr), as kmod and modern_bpf do.
 * Included by scap_bpf_common.h, in the first object only (the dispatchers'
 * side); compiles to nothing where the 64-bit table has no socketcall.
 */
#ifndef SCAP_DRIVERS_BPF_SOCKETCALL_H
#define SCAP_DRIVERS_BPF_SOCKETCALL_H

#include "../common/socketcall.h"

#if SCAP_HAVE_SOCKETCALL

/*
 * The entry of the direct syscall the socketcall in sc->regs becomes, with
 * the argument words the kernel copies (net/socket.c: nargs[call]) written
 * where its program reads them, the others 0 (send/recv: sendto/recvfrom
 * without an address); NULL when it stays generic (no typed row, not
 * selected, an unknown call or an unreadable array: registers untouched).
 * One constant size per read, for the verifier.
 */
static __always_inline const struct scap_bpf_syscall *scap_bpf_sc_demux(struct scap_bpf_scratch *sc)
{
	__u64 regs_args[6], a[SCAP_SOCKETCALL_MAX_ARGS] = {};
	const struct scap_bpf_syscall *d;
	const void *uargs;
	unsigned int nargs;
	long err;
	int direct;
	__u32 dnr;

	SCAP_BPF_REGS_ARGS(regs_args, &sc->regs);
	direct = scap_socketcall_nr(regs_args[0], &nargs);
	if (direct < 0 || direct >= (int)SCAP_NR_SYSCALLS)
		return NULL;
	dnr = (__u32)direct;
	d = bpf_map_lookup_elem(&syscalls, &dnr);
	if (!d || !d->selected || d->exit_code == SCAP_EV_GENERIC_X)
		return NULL;
	uargs = (const void *)regs_args[1];
	switch (nargs) {
	case 2: err = SCAP_FILL_READ_USER(a, 2 * sizeof(__u64), uargs); break;
	case 3: err = SCAP_FILL_READ_USER(a, 3 * sizeof(__u64), uargs); break;
	case 4: err = SCAP_FILL_READ_USER(a, 4 * sizeof(__u64), uargs); break;
	case 5: err = SCAP_FILL_READ_USER(a, 5 * sizeof(__u64), uargs); break;
	case 6: err = SCAP_FILL_READ_USER(a, 6 * sizeof(__u64), uargs); break;
	default: return NULL;
	}
	if (err)
		return NULL;
	SCAP_BPF_REGS_SET(&sc->regs, a, SCAP_NR_socketcall);
	return d;
}

/* socketcall's exit, the scratch filled as for any exit: the typed event, or the generic one. */
static __always_inline int scap_bpf_sc_exit(void *ctx, struct scap_bpf_scratch *sc,
					    const struct scap_bpf_syscall *sys)
{
	const struct scap_bpf_syscall *d = scap_bpf_sc_demux(sc);

	if (d)
		return scap_bpf_exit_event(ctx, d);
	if (!sys->generic)
		return 0;
	return scap_bpf_exit_event(ctx, sys);
}

/* socketcall's enter, the scratch filled: connect's enter event, when connect is selected. */
static __always_inline int scap_bpf_sc_enter(void *ctx, struct scap_bpf_scratch *sc)
{
	const struct scap_bpf_syscall *d;
	__u64 regs_args[6];

	SCAP_BPF_REGS_ARGS(regs_args, &sc->regs);
	if (regs_args[0] != SCAP_SYS_CONNECT)
		return 0;
	d = scap_bpf_sc_demux(sc);
	if (!d || !d->has_enter)
		return 0;
	bpf_tail_call(ctx, &progs, d->enter_code);
	scap_bpf_count_other();
	return 0;
}

#endif

#endif
