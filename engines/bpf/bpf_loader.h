/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading the bpf driver: open the skeleton compiled into the library, size
 * its maps, load it, and fill the kernel-side tables from the schema.
 */
#ifndef SCAP_ENGINES_BPF_LOADER_H
#define SCAP_ENGINES_BPF_LOADER_H

#include <stdbool.h>

#include "engine.h"

struct scap_bpf;
struct scap_bpf_core;

struct scap_bpf_objs {
	struct scap_bpf *skel;      /* the driver: dispatchers, maps, every event */
	struct scap_bpf_core *core; /* CO-RE event programs, NULL without BTF */
	bool tp_mode;               /* tracepoint dispatchers (no raw tracepoints) */
	bool tp_fork, tp_exec;      /* tp_mode: sched_process_fork/exec programs loaded */
	bool tp_exec_sp;            /* tp_mode without BTF: the start_thread kprobe loaded */
	bool raw_exec;              /* raw mode, execve selected: scap_exec_name loaded */
	bool syscalls;              /* a syscall is selected: the sys_exit (and sys_enter) dispatchers */
	/*
	 * arm64, clone or clone3 selected: their child's event is built at
	 * sched_process_fork from arguments kept at sys_enter (raw mode: the
	 * CO-RE object's scap_core_fork when it loaded, else a tracepoint
	 * program; tracepoint mode: tp_fork's programs).
	 */
	bool fork_child;
	struct bpf_program *procexit; /* procexit selected: its sched_process_exit program */
	bool exit_gd;               /* that program has the tracepoint's group_dead (6.16+) */
};

/*
 * Loads the programs and maps for `ncpus` possible CPUs, fills the syscall
 * table and the tail-call table. `tp_mode`: the tracepoint dispatchers
 * (drivers/bpf/scap_bpf_tp.h), and every event program loaded as a
 * BPF_PROG_TYPE_TRACEPOINT, instead of raw tracepoints. When the kernel has BTF, also loads the
 * CO-RE programs of the events carrying task values and installs them in
 * place of the empty-valued ones (a failure there is a warning). *need_enter
 * tells whether any selected syscall is captured at enter too. `hint` is
 * appended to a load error (the RLIMIT_MEMLOCK story on old kernels). 0 or a
 * negative errno with ctx->err written.
 */
int scap_bpf_loader_load(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg,
			 int ncpus, bool tp_mode, const char *hint, struct scap_bpf_objs *out,
			 bool *need_enter);
/*
 * The same for a settings change (scap_set_*): every map but the per-load
 * ones (the syscall table, the tail calls, the settings) is `share`'s, so
 * that the new programs write to the same perf buffers and counters.
 */
int scap_bpf_loader_load_shared(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg,
				int ncpus, const struct scap_bpf_objs *share, struct scap_bpf_objs *out,
				bool *need_enter);
void scap_bpf_loader_destroy(struct scap_bpf_objs *objs);
/* The CO-RE object's program `name` when it is loaded, else NULL. */
struct bpf_program *scap_bpf_loader_core_prog(const struct scap_bpf_objs *objs, const char *name);
/* Programs the kernel accepted, in both objects (the -v summary). */
unsigned scap_bpf_loader_programs(const struct scap_bpf_objs *objs);

#endif
