// SPDX-License-Identifier: Apache-2.0
/* Program choice, kernel-side tables and attachments of modern_bpf; see mbpf_load.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "scap_modern.h" /* before the skeleton: it uses scap_u32 */
#include "scap_modern.skel.h"
#include "mbpf_load.h"
#include "platform/platform.h"
#include "scap/common/fixed_len.h"
#include "scap/common/socketcall.h"

/* The programs of one schema row (NULL where the row has none). */
struct mbpf_row {
	struct bpf_program *x; /* tail-call target of the sys_exit dispatcher */
	struct bpf_program *t; /* on syscalls/sys_exit_<name> */
	struct bpf_program *e; /* on syscalls/sys_enter_<name> (TOCTOU rows) */
	int nr;                /* syscall number, -1 for the generic row */
};

static void mbpf_rows(struct scap_modern *skel, struct mbpf_row rows[SCAP_EV_MAX])
{
#define MBPF_ROW_EXIT(code, sc)                                                                \
	rows[SCAP_EV_##code] = (struct mbpf_row){ skel->progs.scap_x_##code,                    \
						  skel->progs.scap_t_##code, NULL, SCAP_NR_##sc };
#define MBPF_ROW_ENTER_0(code, sc)                                                             \
	rows[SCAP_EV_##code] = (struct mbpf_row){ NULL, NULL, skel->progs.scap_e_##code, SCAP_NR_##sc };
/* A kernel event (procexit): no syscall, its program is not per row (mbpf_kernel_events). */
#define MBPF_ROW_ENTER_1(code, sc) rows[SCAP_EV_##code] = (struct mbpf_row){ NULL, NULL, NULL, -1 };
#define MBPF_ROW_ENTER(code, sc) SCAP_CAT(MBPF_ROW_ENTER_, SCAP_KERNEL_EVENT(sc))(code, sc)
#define SCAP_EVENT(code, sc, dir, cat, flags, ...) MBPF_ROW_##dir(code, sc)
#include "scap/common/events.def"
#undef SCAP_EVENT
#undef MBPF_ROW_ENTER
#undef MBPF_ROW_ENTER_0
#undef MBPF_ROW_ENTER_1
#undef MBPF_ROW_EXIT
}

/*
 * The programs on the sched tracepoints: procexit (when selected) and the
 * exec hook that keeps execve's old tid (when execve or execveat is).
 */
struct mbpf_sched {
	bool procexit, exec;
};

static struct mbpf_sched mbpf_sched_wanted(const struct scap_engine_config *cfg)
{
	return (struct mbpf_sched){
		.procexit = cfg->procexit,
		.exec = cfg->all_syscalls || cfg->selected[SCAP_NR_execve] || cfg->selected[SCAP_NR_execveat],
	};
}

/* Events of these rows are built by the dispatcher itself (SCAP_FIXED_LEN_<CODE> != 0). */
static const uint32_t mbpf_fixed_len[SCAP_EV_MAX] = {
#define SCAP_EVENT(code, ...) [SCAP_EV_##code] = SCAP_FIXED_LEN_##code,
#include "scap/common/events.def"
#undef SCAP_EVENT
};

static bool mbpf_selected(const struct scap_engine_config *cfg, unsigned nr)
{
	return nr < SCAP_NR_SYSCALLS && (cfg->all_syscalls || cfg->selected[nr]);
}

/*
 * arm64 returns a new task to user space without passing sys_exit: the
 * child's side of clone/clone3 comes from scap_sched_fork, which reads the
 * child's registers with bpf_task_pt_regs (5.15+).
 */
#if defined(SCAP_ARCH_AARCH64) || defined(SCAP_ARCH_S390X)
static bool mbpf_fork_child_wanted(const struct scap_engine_config *cfg)
{
	return mbpf_selected(cfg, SCAP_NR_clone) || mbpf_selected(cfg, SCAP_NR_clone3) ||
	       mbpf_selected(cfg, SCAP_NR_fork) || mbpf_selected(cfg, SCAP_NR_vfork);
}
#endif
static bool mbpf_have_task_pt_regs(void)
{
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_task_pt_regs, NULL) == 1;
}

#if SCAP_HAVE_SOCKETCALL
/*
 * socketcall is demultiplexed (socketcall.h) when it or a syscall it can
 * become is selected: then socketcall's entry sends the dispatcher to
 * scap_sc_exit.
 */
static bool mbpf_sc_wanted(const struct scap_engine_config *cfg)
{
	unsigned nargs;

	if (mbpf_selected(cfg, SCAP_NR_socketcall))
		return true;
	for (unsigned long call = 1; call <= SCAP_SYS_SENDMMSG; call++) {
		int nr = scap_socketcall_nr(call, &nargs);

		if (nr >= 0 && mbpf_selected(cfg, (unsigned)nr))
			return true;
	}
	return false;
}

/* The typed program of each row a socketcall can become. */
static void mbpf_sc_rows(struct scap_modern *skel, struct bpf_program *progs[SCAP_EV_MAX])
{
#define MBPF_SC_ROW(code) progs[SCAP_EV_##code] = skel->progs.scap_s_##code;
	SCAP_SOCKETCALL_EXIT_ROWS(MBPF_SC_ROW)
#undef MBPF_SC_ROW
}

/*
 * Loads scap_sc_exit, the typed programs of the selected syscalls a
 * socketcall can become, and connect's socketcall enter program. They are
 * tp_btf programs behind the dispatcher: the per-syscall tracepoint mode,
 * whose exit programs are of another type, is not used then.
 */
static void mbpf_sc_select(struct scap_modern *skel, const struct scap_engine_config *cfg, bool *tp_mode)
{
	struct bpf_program *progs[SCAP_EV_MAX] = { 0 };

	if (!mbpf_sc_wanted(cfg)) {
		bpf_map__set_autocreate(skel->maps.scap_sc_progs, false);
		return;
	}
	*tp_mode = false;
	mbpf_sc_rows(skel, progs);
	bpf_program__set_autoload(skel->progs.scap_sc_exit, true);
	for (unsigned long call = 1; call <= SCAP_SYS_SENDMMSG; call++) {
		unsigned nargs;
		int nr = scap_socketcall_nr(call, &nargs);

		if (nr < 0 || !mbpf_selected(cfg, (unsigned)nr))
			continue;
		for (unsigned c = 0; c < SCAP_EV_MAX; c++)
			if (progs[c] && scap_event_info(c)->syscall_nr == nr)
				bpf_program__set_autoload(progs[c], true);
	}
	if (mbpf_selected(cfg, SCAP_NR_connect))
		bpf_program__set_autoload(skel->progs.scap_e_socketcall, true);
}

/* socketcall's entry and the demultiplexer's tail-call tables (mbpf_sc_select loaded them). */
static int mbpf_sc_tables(struct scap_engine_ctx *ctx, struct scap_modern *skel,
			  const struct scap_engine_config *cfg)
{
	struct bpf_program *progs[SCAP_EV_MAX] = { 0 };
	uint32_t nr = SCAP_NR_socketcall, slot = SCAP_MBPF_SOCKETCALL_PROG;
	struct scap_mbpf_syscall v = {
		.exit_code = SCAP_MBPF_SOCKETCALL_PROG,
		.enter_code = SCAP_MBPF_NO_EVENT,
		.selected = 1,
		.generic = mbpf_selected(cfg, SCAP_NR_socketcall),
	};
	int fd;

	if (!bpf_program__autoload(skel->progs.scap_sc_exit))
		return 0;
	fd = bpf_program__fd(skel->progs.scap_sc_exit);
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.scap_syscalls), &nr, &v, BPF_ANY) != 0 ||
	    bpf_map_update_elem(bpf_map__fd(skel->maps.scap_progs), &slot, &fd, BPF_ANY) != 0)
		goto fail;
	mbpf_sc_rows(skel, progs);
	for (uint32_t c = 0; c < SCAP_EV_MAX; c++) {
		if (!progs[c] || !bpf_program__autoload(progs[c]))
			continue;
		fd = bpf_program__fd(progs[c]);
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.scap_sc_progs), &c, &fd, BPF_ANY) != 0)
			goto fail;
	}
	return 0;
fail:
	scap_engine_errf(ctx, "modern_bpf: cannot fill socketcall's kernel tables (%s)", strerror(errno));
	return -errno;
}
#endif

/* Typed exit and enter codes per syscall number. */
static void mbpf_codes(const struct mbpf_row *rows, uint16_t exit_code[SCAP_NR_SYSCALLS],
		       uint16_t enter_code[SCAP_NR_SYSCALLS])
{
	for (unsigned nr = 0; nr < SCAP_NR_SYSCALLS; nr++) {
		exit_code[nr] = SCAP_EV_GENERIC_X;
		enter_code[nr] = SCAP_MBPF_NO_EVENT;
	}
	for (unsigned c = 0; c < SCAP_EV_MAX; c++) {
		if (rows[c].nr < 0 || rows[c].nr >= (int)SCAP_NR_SYSCALLS)
			continue;
		if (rows[c].e)
			enter_code[rows[c].nr] = (uint16_t)c;
		else
			exit_code[rows[c].nr] = (uint16_t)c;
	}
}

void mbpf_select_programs(struct scap_modern *skel, const struct scap_engine_config *cfg, bool *tp_mode)
{
	struct mbpf_row rows[SCAP_EV_MAX] = { 0 };
	uint16_t exit_code[SCAP_NR_SYSCALLS], enter_code[SCAP_NR_SYSCALLS];
	struct bpf_program *prog;
	unsigned nsel = 0;

	mbpf_rows(skel, rows);
	mbpf_codes(rows, exit_code, enter_code);
	for (unsigned nr = 0; nr < SCAP_NR_SYSCALLS; nr++)
		nsel += mbpf_selected(cfg, nr);
	/*
	 * A per-syscall tracepoint costs only the syscalls it is on, the global
	 * sys_exit costs every syscall of the system: for a few syscalls the
	 * tracepoints win (docs/engines.md has the figures).
	 */
	*tp_mode = !cfg->all_syscalls && nsel <= MBPF_TP_MODE_MAX && mbpf_have_task_pt_regs();
#ifdef SCAP_ARCH_AARCH64
	/*
	 * arm64's per-syscall tracepoints skip compat tasks (its
	 * ARCH_TRACE_IGNORE_COMPAT_SYSCALLS): the exit of a 64-bit execve that
	 * started an AArch32 program would be lost. The dispatcher takes it
	 * (scap_mbpf_exec_nr).
	 */
	if (mbpf_selected(cfg, SCAP_NR_execve) || mbpf_selected(cfg, SCAP_NR_execveat))
		*tp_mode = false;
#endif
	struct mbpf_sched sched = mbpf_sched_wanted(cfg);

	/* Loading only what is used keeps start-up short (verification is per program). */
	bpf_object__for_each_program(prog, skel->obj) {
		bpf_program__set_autoload(prog, false);
		bpf_program__set_autoattach(prog, false);
	}
#if SCAP_HAVE_SOCKETCALL
	mbpf_sc_select(skel, cfg, tp_mode);
#endif
	bpf_program__set_autoload(skel->progs.scap_procexit, sched.procexit);
	bpf_program__set_autoload(skel->progs.scap_exec, sched.exec);
	bpf_map__set_autocreate(skel->maps.scap_exec_tids, sched.exec);
	/* procexit alone: no syscall is selected, and the dispatcher would run on every one for nothing. */
	if (!*tp_mode && nsel)
		bpf_program__set_autoload(skel->progs.scap_sys_exit, true);
	else
		/*
		 * No tail calls: no prog_array either. Also sidesteps a kernel race
		 * where a prog_array leaks if someone takes an fd on it by id
		 * while it is being torn down (docs/engines.md).
		 */
		bpf_map__set_autocreate(skel->maps.scap_progs, false);
#if defined(SCAP_ARCH_AARCH64) || defined(SCAP_ARCH_S390X)
	if (mbpf_fork_child_wanted(cfg) && mbpf_have_task_pt_regs())
		bpf_program__set_autoload(skel->progs.scap_sched_fork, true);
#endif
	for (unsigned nr = 0; nr < SCAP_NR_SYSCALLS; nr++) {
		const struct mbpf_row *x;

		if (!mbpf_selected(cfg, nr))
			continue;
		x = &rows[exit_code[nr]];
		/*
		 * The dispatcher builds the events of the fixed-size rows itself:
		 * only the variable-size rows need their tail-call target.
		 */
		if (*tp_mode || !mbpf_fixed_len[exit_code[nr]])
			bpf_program__set_autoload(*tp_mode ? x->t : x->x, true);
		if (enter_code[nr] != SCAP_MBPF_NO_EVENT)
			bpf_program__set_autoload(rows[enter_code[nr]].e, true);
	}
}

int mbpf_fill_tables(struct scap_engine_ctx *ctx, struct scap_modern *skel,
		     const struct scap_engine_config *cfg, bool tp_mode)
{
	struct mbpf_row rows[SCAP_EV_MAX] = { 0 };
	uint16_t exit_code[SCAP_NR_SYSCALLS], enter_code[SCAP_NR_SYSCALLS];
	int sc_fd = bpf_map__fd(skel->maps.scap_syscalls);
	int progs_fd = bpf_map__fd(skel->maps.scap_progs);

	mbpf_rows(skel, rows);
	mbpf_codes(rows, exit_code, enter_code);
	for (uint32_t nr = 0; nr < SCAP_NR_SYSCALLS; nr++) {
		struct scap_mbpf_syscall v = {
			.exit_code = exit_code[nr],
			.enter_code = enter_code[nr],
			.selected = mbpf_selected(cfg, nr),
		};

		if (!v.selected)
			continue;
		if (bpf_map_update_elem(sc_fd, &nr, &v, BPF_ANY) != 0) {
			scap_engine_errf(ctx, "modern_bpf: cannot fill the kernel syscall table (%s)",
					 strerror(errno));
			return -errno;
		}
	}
#if SCAP_HAVE_SOCKETCALL
	/* After the loop above, which wrote socketcall's entry as an ordinary syscall's. */
	if (mbpf_sc_tables(ctx, skel, cfg) != 0)
		return -errno;
#endif
	for (uint32_t c = 0; c < SCAP_EV_MAX && !tp_mode; c++) {
		int fd;

		if (!rows[c].x || !bpf_program__autoload(rows[c].x))
			continue;
		fd = bpf_program__fd(rows[c].x);
		if (bpf_map_update_elem(progs_fd, &c, &fd, BPF_ANY) != 0) {
			scap_engine_errf(ctx, "modern_bpf: cannot fill the tail-call table for event %u (%s)",
					 c, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static int mbpf_links_add(struct mbpf_links *l, struct bpf_link *link)
{
	if (l->n == l->cap) {
		unsigned cap = l->cap ? 2 * l->cap : 32;
		struct bpf_link **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = link;
	return 0;
}

void mbpf_links_destroy(struct mbpf_links *l)
{
	for (unsigned i = 0; i < l->n; i++)
		bpf_link__destroy(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * x86_64 syscalls whose tracepoint is named after the kernel's SYSCALL_DEFINE,
 * not after the syscall table: syscalls/sys_exit_umount serves umount2.
 */
static const struct {
	const char *syscall, *tracepoint;
} mbpf_tp_aliases[] = {
	{ "umount2", "umount" },
	{ "sendfile", "sendfile64" },
	{ "stat", "newstat" },
	{ "fstat", "newfstat" },
	{ "lstat", "newlstat" },
	{ "uname", "newuname" },
};

static const char *mbpf_tp_name(const char *syscall)
{
	for (size_t i = 0; i < sizeof(mbpf_tp_aliases) / sizeof(mbpf_tp_aliases[0]); i++)
		if (!strcmp(mbpf_tp_aliases[i].syscall, syscall))
			return mbpf_tp_aliases[i].tracepoint;
	return syscall;
}

static int mbpf_attach_tp(struct scap_engine_ctx *ctx, struct mbpf_links *links, struct bpf_program *prog,
			  const char *dir, int nr)
{
	const char *name = scap_syscall_name(nr);
	struct bpf_link *link;
	char tp[96];
	int err;

	if (!name) {
		scap_engine_warnf(ctx, "modern_bpf: syscall %d has no name, so no sys_%s tracepoint: not captured",
				  nr, dir);
		SCAP_COUNT_ADD(ctx->attach_failures, 1);
		return 0;
	}
	snprintf(tp, sizeof(tp), "sys_%s_%s", dir, mbpf_tp_name(name));
	link = bpf_program__attach_tracepoint(prog, "syscalls", tp);
	err = libbpf_get_error(link);
	if (err) {
		scap_engine_warnf(ctx, "modern_bpf: cannot attach to tracepoint syscalls/%s (%s): %s of %s not captured",
				  tp, strerror(-err), strcmp(dir, "enter") ? "events" : "enter-time arguments",
				  name);
		SCAP_COUNT_ADD(ctx->attach_failures, 1);
		return 0;
	}
	return mbpf_links_add(links, link);
}

/*
 * Attaches a tp_btf program. Without `lost` a failure is an error (ctx->err
 * written, -errno); with it, a warning saying what is lost, counted in
 * ctx->attach_failures. 0 or -errno.
 */
static int mbpf_attach_btf(struct scap_engine_ctx *ctx, struct mbpf_links *links, struct bpf_program *prog,
			   const char *tp, const char *lost)
{
	struct bpf_link *link = bpf_program__attach(prog);
	int err = libbpf_get_error(link);

	if (!err)
		return mbpf_links_add(links, link);
	if (lost) {
		scap_engine_warnf(ctx, "modern_bpf: cannot attach to tp_btf/%s (%s): %s", tp, strerror(-err), lost);
		SCAP_COUNT_ADD(ctx->attach_failures, 1);
		return 0;
	}
	scap_engine_errf(ctx, "modern_bpf: cannot attach to tp_btf/%s (%s); try the \"bpf\" engine", tp,
			 strerror(-err));
	return err;
}

/* The per-syscall tracepoint attachments (tracefs must be visible to the calling thread). */
struct mbpf_tp_job {
	struct scap_engine_ctx *ctx;
	const struct scap_engine_config *cfg;
	const struct mbpf_row *rows;
	const uint16_t *exit_code, *enter_code;
	bool tp_mode;
	struct mbpf_links *links;
	int err;
	struct scap_modern *skel;
};

static void mbpf_attach_tps(struct mbpf_tp_job *j)
{
	for (int nr = 0; nr < (int)SCAP_NR_SYSCALLS && !j->err; nr++) {
		if (!mbpf_selected(j->cfg, nr))
			continue;
		if (j->tp_mode)
			j->err = mbpf_attach_tp(j->ctx, j->links, j->rows[j->exit_code[nr]].t, "exit", nr);
		if (!j->err && j->enter_code[nr] != SCAP_MBPF_NO_EVENT)
			j->err = mbpf_attach_tp(j->ctx, j->links, j->rows[j->enter_code[nr]].e, "enter", nr);
	}
#if SCAP_HAVE_SOCKETCALL
	if (!j->err && bpf_program__autoload(j->skel->progs.scap_e_socketcall))
		j->err = mbpf_attach_tp(j->ctx, j->links, j->skel->progs.scap_e_socketcall, "enter",
					SCAP_NR_socketcall);
#endif
}

static void mbpf_attach_tps_job(void *arg)
{
	mbpf_attach_tps(arg);
}

int mbpf_attach(struct scap_engine_ctx *ctx, struct scap_modern *skel,
		const struct scap_engine_config *cfg, bool tp_mode, struct mbpf_links *links)
{
	struct mbpf_row rows[SCAP_EV_MAX] = { 0 };
	uint16_t exit_code[SCAP_NR_SYSCALLS], enter_code[SCAP_NR_SYSCALLS];
	int err = 0;

	mbpf_rows(skel, rows);
	mbpf_codes(rows, exit_code, enter_code);
	if (bpf_program__autoload(skel->progs.scap_sys_exit)) {
		err = mbpf_attach_btf(ctx, links, skel->progs.scap_sys_exit, "sys_exit", NULL);
		if (err)
			return err;
	}
	/* As the other engines: a lifecycle hook that does not attach is a warning, not a failed open. */
	if (bpf_program__autoload(skel->progs.scap_procexit)) {
		err = mbpf_attach_btf(ctx, links, skel->progs.scap_procexit, "sched_process_exit",
				      "procexit events are not captured");
		if (err)
			return err;
	}
	if (bpf_program__autoload(skel->progs.scap_exec)) {
		err = mbpf_attach_btf(ctx, links, skel->progs.scap_exec, "sched_process_exec",
				      "execve events of a non-leader thread name the leader's tid as old_tid");
		if (err)
			return err;
	}
#if defined(SCAP_ARCH_AARCH64) || defined(SCAP_ARCH_S390X)
	if (bpf_program__autoload(skel->progs.scap_sched_fork)) {
		err = mbpf_attach_btf(ctx, links, skel->progs.scap_sched_fork, "sched_process_fork",
				      "the child's side of clone is not captured");
		if (err)
			return err;
	} else if (mbpf_fork_child_wanted(cfg)) {
		scap_engine_warnf(ctx, "modern_bpf: this kernel has no bpf_task_pt_regs (Linux 5.15): on arm64 and s390x the child's side of clone is not captured (use the kmod engine)");
		SCAP_COUNT_ADD(ctx->attach_failures, 1);
	}
#endif
	struct mbpf_tp_job job = { ctx, cfg, rows, exit_code, enter_code, tp_mode, links, 0, skel };
	int terr = scap_platform_with_tracefs("events/syscalls", mbpf_attach_tps_job, &job);

	if (terr)
		scap_engine_logf(ctx, SCAP_LOG_WARN,
				 "modern_bpf: tracefs is not mounted and mounting it privately failed (%s): per-syscall tracepoints cannot attach",
				 strerror(-terr));
	err = job.err;
	if (err)
		scap_engine_errf(ctx, "modern_bpf: out of memory while attaching");
	return err;
}
