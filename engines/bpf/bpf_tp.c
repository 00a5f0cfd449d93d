// SPDX-License-Identifier: Apache-2.0
/* The bpf engine's tracepoint mode, user side; see bpf_tp.h and drivers/bpf/scap_bpf_tp.h. */
#include "bpf_tp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_loader.h"
#include "platform/platform.h"
#include "scap/common/arch.h"
#include "scap_bpf.skel.h"

#ifdef SCAP_ARCH_X86_64
/* Byte offset of member `name` of struct `t`, its type in *mt; -1 when absent. */
static long member_off(const struct btf *btf, const struct btf_type *t, const char *name,
		       const struct btf_type **mt)
{
	const struct btf_member *m = btf_members(t);

	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), name))
			continue;
		*mt = btf__type_by_id(btf, btf__resolve_type(btf, m->type));
		return (long)(btf_member_bit_offset(t, i) / 8);
	}
	return -1;
}

/* task_struct.<outer>.status, or -1. */
static long status_off(const struct btf *btf, const struct btf_type *task, const char *outer)
{
	const struct btf_type *o = NULL, *st = NULL;
	long a = member_off(btf, task, outer, &o), b;

	if (a < 0 || !o || !btf_is_struct(o))
		return -1;
	b = member_off(btf, o, "status", &st);
	return b < 0 ? -1 : a + b;
}

/*
 * Without BTF: thread_info is the first member of task_struct on x86_64 since
 * 4.9 (THREAD_INFO_IN_TASK; randstruct leaves it first), and its status
 * follows `unsigned long flags` until 5.10, and `flags` and `syscall_work`
 * from 5.11. 0 (unknown) elsewhere. The engine exists for x86_64 only.
 */
static unsigned compat_off_by_version(void)
{
	static const struct scap_kernel_version v4_9 = { 4, 9, 0 }, v5_11 = { 5, 11, 0 };
	struct scap_kernel_version k;

	if (scap_platform_running_kernel(&k) != 0 || scap_kernel_version_cmp(&k, &v4_9) < 0)
		return 0;
	return scap_kernel_version_cmp(&k, &v5_11) < 0 ? 8 : 16;
}

unsigned scap_bpf_compat_off(void)
{
	/* Parsing the kernel's BTF takes tens of ms: once per process (racing callers agree). */
	static long found = -2;
	const struct btf_type *task;
	struct btf *btf;
	long off = -1;
	__s32 id;

	if (scap_feature_present(SCAP_FEAT_BTF) != 1)
		return compat_off_by_version();
	off = __atomic_load_n(&found, __ATOMIC_RELAXED);
	if (off != -2)
		return off > 0 ? (unsigned)off : 0;
	off = -1;
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return 0;
	id = btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);
	task = id > 0 ? btf__type_by_id(btf, id) : NULL;
	if (task) {
		off = status_off(btf, task, "thread_info");
		if (off < 0)
			off = status_off(btf, task, "thread");
	}
	btf__free(btf);
	__atomic_store_n(&found, off, __ATOMIC_RELAXED);
	return off > 0 ? (unsigned)off : 0;
}
#else
unsigned scap_bpf_compat_off(void)
{
	/* TS_COMPAT is x86's: arm64's and powerpc's compat tasks are told by pstate/msr in the registers read. */
	return 0;
}
#endif

/* The offset of field " name;" in a tracepoint's format text, or -1. */
static int field_off(const char *format, const char *name)
{
	const char *f = format ? strstr(format, name) : NULL;
	const char *o = f ? strstr(f, "offset:") : NULL;

	if (!o)
		return -1;
	return atoi(o + strlen("offset:"));
}

int scap_bpf_tp_fork_child_off(const char *format)
{
	return field_off(format, " child_pid;");
}

/* The format file of events/sched/<event>, read where tracefs is visible; -1 when unreadable. */
static int sched_format(const char *event, char *text, size_t len)
{
	const char *root = scap_tracefs_root("events/sched");
	char path[256];
	size_t n;
	FILE *fp;

	if (!root)
		return -1;
	snprintf(path, sizeof(path), "%s/events/sched/%s/format", root, event);
	fp = fopen(path, "re");
	if (!fp)
		return -1;
	n = fread(text, 1, len - 1, fp);
	fclose(fp);
	text[n] = '\0';
	return 0;
}

static int fork_child_off(void)
{
	char text[4096];

	if (sched_format("sched_process_fork", text, sizeof(text)) < 0)
		return -1;
	return scap_bpf_tp_fork_child_off(text);
}

int scap_bpf_tp_exit_group_dead_off(const char *format)
{
	return field_off(format, " group_dead;");
}

static void exit_format_job(void *arg)
{
	char text[4096];

	*(int *)arg = sched_format("sched_process_exit", text, sizeof(text)) < 0
			      ? -1 : scap_bpf_tp_exit_group_dead_off(text);
}

bool scap_bpf_exit_group_dead(void)
{
	/* Once per process: a private tracefs mount costs a thread (racing callers agree). */
	static int found = -2;
	int off = __atomic_load_n(&found, __ATOMIC_RELAXED);

	if (off == -2) {
		off = -1;
		if (scap_platform_with_tracefs("events/sched", exit_format_job, &off) != 0)
			off = -1;
		__atomic_store_n(&found, off, __ATOMIC_RELAXED);
	}
	/* The tracepoint-mode program reads it at 32; another place is a layout it does not know. */
	return off == 32;
}

struct tp_job {
	struct scap_engine_ctx *ctx;
	struct scap_bpf *skel;
	const struct scap_bpf_objs *o;
	struct scap_bpf_tp_links *out;
	int err;
	const char *lost; /* scap_bpf_exec_name_attach: what a failure loses */
};

static struct bpf_link *attach_one(struct tp_job *j, struct bpf_program *p, const char *cat, const char *tp,
				   const char *lost)
{
	struct bpf_link *l = bpf_program__attach_tracepoint(p, cat, tp);
	int err = l ? 0 : -errno;

	if (!err)
		return l;
	if (!lost) {
		scap_engine_errf(j->ctx, "bpf: attaching to tracepoint %s/%s failed: %s%s", cat, tp,
				 strerror(-err),
				 scap_tracefs_root("events") ? "" : " (tracefs is not visible, and mounting it failed)");
		j->err = err;
		return NULL;
	}
	SCAP_COUNT_ADD(j->ctx->attach_failures, 1);
	scap_engine_warnf(j->ctx, "bpf: tracepoint %s/%s did not attach (%s): %s", cat, tp, strerror(-err), lost);
	return NULL;
}

#if defined(SCAP_ARCH_AARCH64) || defined(SCAP_ARCH_S390X)
static const char fork_lost[] = "the child's side of clone and clone3 is not captured";
#else
static const char fork_lost[] =
	"the first return of a new thread from clone/fork is not captured (reported at close as an exit whose enter was not seen)";
#endif

/* sched_process_fork's program for its format (child_pid's offset). */
static struct bpf_link *fork_attach(struct tp_job *j)
{
	struct scap_bpf *s = j->skel;
	int off = fork_child_off();

	if (off == 44 || off == 20)
		return attach_one(j, off == 44 ? s->progs.scap_tp_fork_comm16 : s->progs.scap_tp_fork_dynstr, "sched",
				  "sched_process_fork", fork_lost);
	SCAP_COUNT_ADD(j->ctx->attach_failures, 1);
	scap_engine_warnf(j->ctx, "bpf: sched_process_fork's format has child_pid at an unknown offset (%d): %s", off,
			  fork_lost);
	return NULL;
}

static struct bpf_link *fork_child_attach(struct tp_job *j);

static void tp_attach_job(void *arg)
{
	struct tp_job *j = arg;
	struct scap_bpf *s = j->skel;

	if (j->o->syscalls) {
		j->out->exit = attach_one(j, s->progs.scap_tp_sys_exit, "raw_syscalls", "sys_exit", NULL);
		if (j->err)
			return;
		j->out->enter = attach_one(j, s->progs.scap_tp_sys_enter, "raw_syscalls", "sys_enter", NULL);
		if (j->err)
			return;
	}
	if (j->o->procexit)
		j->out->procexit = attach_one(j, j->o->procexit, "sched", "sched_process_exit",
					      "procexit events are not captured");
	if (j->o->tp_fork)
		j->out->fork = fork_child_attach(j);
	if (j->o->tp_exec)
		j->out->exec = attach_one(j, s->progs.scap_tp_exec, "sched", "sched_process_exec",
					  "a successful execve of a non-leader thread is not captured "
					  "(reported at close as an exit whose enter was not seen)");
	if (j->o->tp_exec && bpf_program__autoload(s->progs.scap_kp_start_thread)) {
		j->out->exec_sp = bpf_program__attach_kprobe(s->progs.scap_kp_start_thread, false, "start_thread");
		if (!j->out->exec_sp) {
			SCAP_COUNT_ADD(j->ctx->attach_failures, 1);
			scap_engine_warnf(j->ctx, "bpf: kprobe start_thread did not attach (%s): execve's new "
					  "argv stays empty in tracepoint mode without BTF", strerror(errno));
		}
	}
}

int scap_bpf_tp_attach(struct scap_engine_ctx *ctx, struct scap_bpf *skel, const struct scap_bpf_objs *o,
		       struct scap_bpf_tp_links *out)
{
	struct tp_job j = { ctx, skel, o, out, 0, NULL };
	int terr = scap_platform_with_tracefs("events/raw_syscalls", tp_attach_job, &j);

	if (terr && !j.err)
		scap_engine_logf(ctx, SCAP_LOG_DEBUG, "bpf: private tracefs mount failed (%s)", strerror(-terr));
	return j.err;
}

/*
 * arm64's child of clone: the CO-RE object's raw tracepoint program (the
 * child's task values) where it loaded, else the tracepoint one. Called
 * where tracefs is visible.
 */
static struct bpf_link *fork_child_attach(struct tp_job *j)
{
	struct bpf_program *core = scap_bpf_loader_core_prog(j->o, "scap_core_fork");
	struct bpf_link *l;

	if (core) {
		l = bpf_program__attach_raw_tracepoint(core, "sched_process_fork");
		if (l)
			return l;
		scap_engine_warnf(j->ctx, "bpf: raw tracepoint sched_process_fork did not attach (%s): the "
				  "child's side of clone comes without its task values", strerror(errno));
	}
	return fork_attach(j);
}

static void fork_child_job(void *arg)
{
	struct tp_job *j = arg;

	j->out->fork = fork_child_attach(j);
}

struct bpf_link *scap_bpf_fork_child_attach(struct scap_engine_ctx *ctx, struct scap_bpf *skel,
					    const struct scap_bpf_objs *o)
{
	struct bpf_program *core = scap_bpf_loader_core_prog(o, "scap_core_fork");
	struct scap_bpf_tp_links links = { 0 };
	struct tp_job j = { ctx, skel, o, &links, 0, fork_lost };
	unsigned failures = ctx->attach_failures;
	int terr;

	/* The raw tracepoint needs no tracefs. */
	if (core && (links.fork = bpf_program__attach_raw_tracepoint(core, "sched_process_fork")) != NULL)
		return links.fork;
	terr = scap_platform_with_tracefs("events/sched", fork_child_job, &j);
	if (!links.fork && ctx->attach_failures == failures) {
		SCAP_COUNT_ADD(ctx->attach_failures, 1);
		scap_engine_warnf(ctx, "bpf: sched/sched_process_fork did not attach (%s): %s",
				  strerror(terr ? -terr : EIO), fork_lost);
	}
	return links.fork;
}

static void exec_name_job(void *arg)
{
	struct tp_job *j = arg;

	j->out->exec = attach_one(j, j->skel->progs.scap_exec_name, "sched", "sched_process_exec", j->lost);
}

struct bpf_link *scap_bpf_exec_name_attach(struct scap_engine_ctx *ctx, struct scap_bpf *skel, bool name_lost)
{
	struct scap_bpf_tp_links links = { 0 };
	struct tp_job j = { ctx, skel, NULL, &links, 0,
			    name_lost ? "execve's old_tid names the leader after a non-leader thread's exec, and "
					"its pathname is empty when its enter could not read it"
				      : "execve's old_tid names the leader after a non-leader thread's exec" };
	unsigned failures = ctx->attach_failures;
	int terr = scap_platform_with_tracefs("events/sched", exec_name_job, &j);

	/* attach_one counted and said a failed attach; this is the job never having run. */
	if (!links.exec && ctx->attach_failures == failures) {
		SCAP_COUNT_ADD(ctx->attach_failures, 1);
		scap_engine_warnf(ctx, "bpf: sched/sched_process_exec did not attach (%s): %s",
				  strerror(terr ? -terr : EIO), j.lost);
	}
	return links.exec;
}

void scap_bpf_tp_detach(struct scap_bpf_tp_links *l)
{
	bpf_link__destroy(l->procexit);
	bpf_link__destroy(l->exec_sp);
	bpf_link__destroy(l->exec);
	bpf_link__destroy(l->fork);
	bpf_link__destroy(l->enter);
	bpf_link__destroy(l->exit);
	memset(l, 0, sizeof(*l));
}
