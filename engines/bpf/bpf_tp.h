/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bpf engine's tracepoint mode (kernels without raw tracepoints, or
 * SCAP_PROBE_OVERRIDE=raw_tracepoint=0): what user space has to find out for
 * drivers/bpf/scap_bpf_tp.h, and the attachments through tracefs.
 */
#ifndef SCAP_ENGINES_BPF_TP_H
#define SCAP_ENGINES_BPF_TP_H

#include <stdbool.h>

#include "engine.h"

struct scap_bpf;
struct bpf_link;

struct scap_bpf_objs;

struct scap_bpf_tp_links {
	struct bpf_link *enter, *exit, *fork, *exec, *exec_sp, *procexit;
};

/*
 * Offset of the ia32-syscall flags word (thread_info.status, or
 * thread.status on some 4.x kernels) in task_struct, from the kernel's BTF;
 * without BTF from the kernel version (x86_64 from 4.9: 8, from 5.11: 16); 0
 * when neither tells. Both modes use it (in
 * raw tracepoint mode it catches `int $0x80` from 64-bit code, which the
 * code-segment check misses); tracepoint mode has nothing else.
 */
unsigned scap_bpf_compat_off(void);

/*
 * Offset of child_pid in a sched_process_fork format file's text, or -1.
 * (Exposed for the unit test: the field moved when the comms became dynamic
 * strings.)
 */
int scap_bpf_tp_fork_child_off(const char *format);
/* Offset of group_dead in a sched_process_exit format file's text, or -1 (6.16+ has it). */
int scap_bpf_tp_exit_group_dead_off(const char *format);

/*
 * Whether sched_process_exit passes group_dead (6.16+: the tracepoint's
 * arguments are (p, group_dead) and its record has the field at offset 32),
 * from the event's format file (tracefs, mounted privately when it is not
 * visible). False when the format cannot be read. Read once per process.
 */
bool scap_bpf_exit_group_dead(void);

/*
 * Attaches the tracepoint-mode programs the loader chose (o): raw_syscalls/
 * sys_enter and sys_exit when a syscall is selected (both needed: the exit
 * takes its arguments from the enter), sched_process_fork (o->tp_fork),
 * sched_process_exec (o->tp_exec) and sched_process_exit (o->procexit); the
 * last three are warnings when they fail, counted in ctx->attach_failures.
 * 0 or -errno with ctx->err written.
 */
int scap_bpf_tp_attach(struct scap_engine_ctx *ctx, struct scap_bpf *skel, const struct scap_bpf_objs *o,
		       struct scap_bpf_tp_links *out);
void scap_bpf_tp_detach(struct scap_bpf_tp_links *l);

/*
 * arm64 in raw tracepoint mode (o->fork_child): attaches the program that
 * builds the child's side of clone/clone3 at sched_process_fork, the CO-RE
 * object's (with the child's task values) when it loaded, else the BTF-free
 * tracepoint program for the format's child_pid. NULL when neither attached
 * (a warning, counted in attach_failures).
 */
struct bpf_link *scap_bpf_fork_child_attach(struct scap_engine_ctx *ctx, struct scap_bpf *skel,
					    const struct scap_bpf_objs *o);
/*
 * Raw tracepoint mode: attaches scap_exec_name to sched/sched_process_exec
 * (execve's old_tid, and its pathname when `name_lost`: the CO-RE programs
 * are not in place). A failure is a warning and an attach failure, never an
 * error. Returns the link or NULL.
 */
struct bpf_link *scap_bpf_exec_name_attach(struct scap_engine_ctx *ctx, struct scap_bpf *skel, bool name_lost);

#endif
