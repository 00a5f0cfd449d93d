/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Configuring, loading and attaching the modern_bpf skeleton: which programs
 * load (dispatcher or per-syscall exits, TOCTOU enters), the kernel-side
 * syscall table, the tail-call table, and the attachments.
 */
#ifndef SCAP_ENGINES_MBPF_LOAD_H
#define SCAP_ENGINES_MBPF_LOAD_H

#include <stdbool.h>

#include "engine.h"

struct scap_modern;
struct bpf_link;

/* Selections up to this many syscalls attach per-syscall exit tracepoints. */
#define MBPF_TP_MODE_MAX 16u

struct mbpf_links {
	struct bpf_link **v;
	unsigned n, cap;
};

/*
 * Chooses the programs to load for cfg (before scap_modern__load): *tp_mode
 * says whether per-syscall exit tracepoints replace the sys_exit dispatcher.
 */
void mbpf_select_programs(struct scap_modern *skel, const struct scap_engine_config *cfg, bool *tp_mode);
/* After load: fills the syscall and tail-call tables. 0 or -errno (ctx->err written). */
int mbpf_fill_tables(struct scap_engine_ctx *ctx, struct scap_modern *skel,
		     const struct scap_engine_config *cfg, bool tp_mode);
/*
 * Attaches what mbpf_select_programs chose. A TOCTOU enter, a per-syscall exit
 * or a sched_process_exit/exec program that does not attach is a warning
 * (ctx->attach_failures counts it); the dispatcher not attaching is an error.
 * 0 or -errno (ctx->err written).
 */
int mbpf_attach(struct scap_engine_ctx *ctx, struct scap_modern *skel,
		const struct scap_engine_config *cfg, bool tp_mode, struct mbpf_links *links);
void mbpf_links_destroy(struct mbpf_links *links);

#endif
