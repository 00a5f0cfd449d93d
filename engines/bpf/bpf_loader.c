// SPDX-License-Identifier: Apache-2.0
/*
 * Loading the bpf driver (drivers/bpf/scap_bpf.bpf.c) from the skeleton that
 * the build generated with `bpftool gen skeleton` and compiled in: nothing is
 * read from disk at run time, nothing is pinned, so closing the handle or
 * the process dying unloads everything.
 *
 * The kernel-side tables come from the schema: the syscall table maps each
 * syscall number to its events (the generic event when it has no typed row)
 * and the tail-call table maps each event code to the program that builds
 * it (ev_<CODE>, one per row of events.def).
 */
#define _GNU_SOURCE /* vasprintf */
#include "bpf_loader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "drivers/bpf/scap_bpf_maps.h"
#include "scap/common/arch.h"
#include "platform/platform.h"
#include "scap/common/schema.h"
#include "scap/common/socketcall.h"
#include "bpf_tp.h"
#include "scap_bpf.skel.h"
#ifdef SCAP_BPF_HAVE_CORE
#include "scap_bpf_core.skel.h"
#endif

/*
 * arm64 and s390x: a new child's return is not a syscall's exit there
 * (drivers/bpf/scap_bpf_arch.h).
 */
#if defined(SCAP_ARCH_AARCH64) || defined(SCAP_ARCH_S390X)
#define BPF_FORK_CHILD 1
#else
#define BPF_FORK_CHILD 0
#endif

/* The syscalls a new task returns from (fork and vfork: absent on arm64, SCAP_NR_ABSENT). */
static bool bpf_forks(int nr)
{
	return nr == SCAP_NR_clone || nr == SCAP_NR_clone3 || nr == SCAP_NR_fork || nr == SCAP_NR_vfork;
}

/* Raw tracepoint mode on arm64: threads at once inside a selected clone (beyond: drops). */
#define BPF_FORK_STASH_ENTRIES 4096u

struct ev_row {
	int nr;              /* syscall number of the target architecture, -1 for none */
	unsigned char dir;   /* SCAP_DIR_* */
	unsigned short flags; /* SCAP_EF_* */
	const char *prog;    /* the program that builds the event */
};

static const struct ev_row ev_rows[SCAP_EV_MAX] = {
#define SCAP_EVENT(code, sc, dir, cat, flags, ...) \
	[SCAP_EV_##code] = { SCAP_NR_##sc, SCAP_DIR_##dir, (flags), "ev_" #code },
#include "scap/common/events.def"
#undef SCAP_EVENT
};

/* libbpf's print callback has no context pointer: the handle being loaded. */
static __thread struct scap_engine_ctx *libbpf_ctx;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg = NULL;
	size_t n;

	if (!libbpf_ctx || !libbpf_ctx->log)
		return 0;
	/* Verifier logs come as one message of any length. */
	if (vasprintf(&msg, fmt, ap) < 0)
		return 0;
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	/* Warnings stay warnings, the rest is libbpf's debug stream; one
	 * "libbpf: " prefix (it puts one on most lines itself, not on all). */
	if (strncmp(msg, "libbpf: ", 8)) {
		char *pre = NULL;

		if (asprintf(&pre, "libbpf: %s", msg) < 0) {
			free(msg);
			return 0;
		}
		free(msg);
		msg = pre;
	}
	libbpf_ctx->log(level == LIBBPF_WARN ? SCAP_LOG_WARN : SCAP_LOG_DEBUG, msg, libbpf_ctx->log_ctx);
	free(msg);
	return 0;
}

static bool syscall_selected(const struct scap_engine_config *cfg, int nr)
{
	return nr >= 0 && nr < (int)SCAP_NR_SYSCALLS && (cfg->all_syscalls || cfg->selected[nr]);
}

/* Which events are reachable with this selection: only those programs are loaded. */
static void plan(const struct scap_engine_config *cfg, bool tp_mode, struct scap_bpf_syscall *tab, bool *used,
		 bool *need_enter, bool *any_syscall)
{
	unsigned code;
	int nr;

	for (nr = 0; nr < (int)SCAP_NR_SYSCALLS; nr++) {
		tab[nr].exit_code = SCAP_EV_GENERIC_X;
		tab[nr].selected = syscall_selected(cfg, nr);
		/* These never return: an entry kept for them would only take room. */
		tab[nr].stash = tab[nr].selected && nr != SCAP_NR_exit && nr != SCAP_NR_exit_group;
		/* Raw tracepoint mode keeps only the arguments of the calls a new task returns from (arm64, s390x), for the child's event. */
		if (!tp_mode && BPF_FORK_CHILD)
			tab[nr].stash = tab[nr].selected && bpf_forks(nr);
	}
#if SCAP_HAVE_SOCKETCALL
	/*
	 * socketcall (drivers/bpf/scap_bpf_socketcall.h): its entry sends the
	 * dispatchers to the demultiplexer when it or a syscall it can become
	 * is selected; `generic` says whether the calls that stay generic are
	 * wanted. The typed programs are loaded for their own selected rows.
	 */
	tab[SCAP_NR_socketcall].generic = tab[SCAP_NR_socketcall].selected;
	for (unsigned long call = SCAP_SYS_SOCKET; call <= SCAP_SYS_SENDMMSG; call++) {
		unsigned int nargs;
		int direct = scap_socketcall_nr(call, &nargs);

		if (direct >= 0 && syscall_selected(cfg, direct))
			tab[SCAP_NR_socketcall].selected = 1;
	}
	/*
	 * Tracepoint mode keeps its arguments for the exit. Raw tracepoint mode
	 * keeps only a new task's (s390x: stash sends sys_enter to
	 * scap_bpf_fork_keep, which would skip connect's enter event).
	 */
	if (tp_mode)
		tab[SCAP_NR_socketcall].stash = tab[SCAP_NR_socketcall].selected;
#endif
	for (code = 0; code < SCAP_EV_MAX; code++) {
		const struct ev_row *r = &ev_rows[code];

		if (r->nr < 0 || r->nr >= (int)SCAP_NR_SYSCALLS)
			continue;
		if (r->dir == SCAP_DIR_EXIT) {
			tab[r->nr].exit_code = (scap_u16)code;
		} else {
			tab[r->nr].enter_code = (scap_u16)code;
			tab[r->nr].has_enter = 1;
		}
	}
	*need_enter = false;
	*any_syscall = false;
	used[SCAP_EV_PROCEXIT_E] = cfg->procexit;
	for (nr = 0; nr < (int)SCAP_NR_SYSCALLS; nr++) {
		if (!tab[nr].selected)
			continue;
		*any_syscall = true;
		used[tab[nr].exit_code] = true;
		if (tab[nr].has_enter) {
			used[tab[nr].enter_code] = true;
			*need_enter = true;
		}
	}
}

static int fill_tables(struct scap_engine_ctx *ctx, struct scap_bpf *skel,
		       const struct scap_bpf_syscall *tab, const bool *used)
{
	int sys_fd = bpf_map__fd(skel->maps.syscalls), progs_fd = bpf_map__fd(skel->maps.progs);
	__u32 key;

	for (key = 0; key < SCAP_NR_SYSCALLS; key++) {
		if (bpf_map_update_elem(sys_fd, &key, &tab[key], BPF_ANY)) {
			int err = -errno;

			scap_engine_errf(ctx, "bpf: writing the syscall table failed: %s", strerror(-err));
			return err;
		}
	}
	for (key = 0; key < SCAP_EV_MAX; key++) {
		struct bpf_program *p;
		int fd;

		if (!used[key])
			continue;
		p = bpf_object__find_program_by_name(skel->obj, ev_rows[key].prog);
		fd = p ? bpf_program__fd(p) : -1;
		if (fd < 0 || bpf_map_update_elem(progs_fd, &key, &fd, BPF_ANY)) {
			int err = fd < 0 ? -ENOENT : -errno;

			scap_engine_errf(ctx, "bpf: installing program %s in the tail-call table failed: %s",
					 ev_rows[key].prog, strerror(-err));
			return err;
		}
	}
	return 0;
}

/*
 * The rows whose CO-RE program differs: exits and kernel events carrying task
 * values or what the call opened. Same test as SCAP_BPF_ROW_BUILT.
 */
static bool row_wants_core(unsigned code)
{
	return (ev_rows[code].flags & (SCAP_EF_PROC_CTX | SCAP_EF_FD_OBJ)) &&
	       (ev_rows[code].dir == SCAP_DIR_EXIT || (ev_rows[code].flags & SCAP_EF_NOT_SYSCALL));
}

/*
 * The end of the warnings below: execve's pathname is lost too unless a
 * sched_process_exec program (tracepoint mode, or scap_exec_name) keeps it.
 */
static const char *pathname_loss(const struct scap_bpf_objs *o)
{
	return o->tp_exec || o->raw_exec ? "" : "; execve's pathname comes from the enter only";
}

/* Derived values the BTF-free programs leave empty: they need task_struct offsets. */
static bool needs_btf(unsigned src, bool exit_gd)
{
	if (!SCAP_SRC_IS_DERIVED(src))
		return false;
	switch (SCAP_SRC_DERIVED_ID(src)) {
	case SCAP_DRV_PPID: case SCAP_DRV_EUID: case SCAP_DRV_EGID: case SCAP_DRV_LOGINUID:
	case SCAP_DRV_VTID: case SCAP_DRV_VPID: case SCAP_DRV_CWD: case SCAP_DRV_EXE:
	case SCAP_DRV_CGROUP: case SCAP_DRV_EXIT_STATUS: case SCAP_DRV_EXIT_CODE:
	case SCAP_DRV_EXIT_SIGNAL: case SCAP_DRV_EXIT_CORE: case SCAP_DRV_OPENED_PATH:
	case SCAP_DRV_OPENED_DEV: case SCAP_DRV_OPENED_INO: case SCAP_DRV_CONN_PEER:
		return true;
	case SCAP_DRV_EXIT_LAST:
		return !exit_gd;
	default:
		return false;
	}
}

/*
 * What the warnings below say is missing without the CO-RE programs, from
 * the schema: "execve: ppid, cwd, ...; procexit: status, ...".
 */
static void btf_losses(char *buf, size_t len, const bool *used, const struct scap_bpf_objs *o)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned code = 0; code < SCAP_EV_MAX; code++) {
		const struct scap_event_info *e = scap_event_info(code);
		bool first = true;

		if (!used[code] || !row_wants_core(code))
			continue;
		for (unsigned i = 0; i < e->nparams && n < len; i++) {
			if (!needs_btf(e->params[i].src, o->exit_gd))
				continue;
			if (first)
				n += (size_t)snprintf(buf + n, len - n, "%s%s: %s", n ? "; " : "", e->name,
						      e->params[i].name);
			else
				n += (size_t)snprintf(buf + n, len - n, ", %s", e->params[i].name);
			first = false;
		}
	}
	if (n >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

#ifdef SCAP_BPF_HAVE_CORE
/*
 * The CO-RE programs share every map of the first object, so the tail-call
 * table can point at them. Any failure leaves the empty-valued programs in
 * place, with a warning naming what is missing.
 */
static void load_core(struct scap_engine_ctx *ctx, struct scap_bpf_objs *o, const bool *used)
{
	struct scap_bpf_core *core;
	bool any = false;
	unsigned code;
	int err, progs_fd = bpf_map__fd(o->skel->maps.progs);
	struct bpf_program *p;
	struct bpf_map *stash;
	char lost[1024];

	for (code = 0; code < SCAP_EV_MAX; code++)
		any |= used[code] && row_wants_core(code);
	if (!any)
		return;
	btf_losses(lost, sizeof(lost), used, o);
	if (scap_feature_present(SCAP_FEAT_BTF) != 1) {
		/* Tracepoint mode has the pathname from sched_process_exec (scap_bpf_tp.h). */
		scap_engine_warnf(ctx, "bpf: the kernel has no BTF: these values stay empty (%s)%s", lost,
				  pathname_loss(o));
		return;
	}
	core = scap_bpf_core__open();
	if (!core) {
		err = -errno;
		goto fail;
	}
	err = bpf_map__reuse_fd(core->maps.events, bpf_map__fd(o->skel->maps.events));
	err = err ?: bpf_map__reuse_fd(core->maps.progs, progs_fd);
	err = err ?: bpf_map__reuse_fd(core->maps.syscalls, bpf_map__fd(o->skel->maps.syscalls));
	err = err ?: bpf_map__reuse_fd(core->maps.settings, bpf_map__fd(o->skel->maps.settings));
	err = err ?: bpf_map__reuse_fd(core->maps.counters, bpf_map__fd(o->skel->maps.counters));
	err = err ?: bpf_map__reuse_fd(core->maps.scratch, bpf_map__fd(o->skel->maps.scratch));
	err = err ?: bpf_map__reuse_fd(core->maps.active, bpf_map__fd(o->skel->maps.active));
	err = err ?: bpf_map__reuse_fd(core->maps.claims, bpf_map__fd(o->skel->maps.claims));
	/* arm64: the clone arguments its sched_process_fork program reads, when kept. */
	stash = bpf_object__find_map_by_name(core->obj, "stash");
	if (!err && stash && bpf_map__fd(o->skel->maps.stash) >= 0)
		err = bpf_map__reuse_fd(stash, bpf_map__fd(o->skel->maps.stash));
	else if (!err && stash)
		err = bpf_map__set_autocreate(stash, false);
	if (err)
		goto fail;
	bpf_object__for_each_program(p, core->obj) {
		bpf_program__set_autoload(p, false);
		/* Tail calls only reach programs of the dispatcher's type. */
		if (o->tp_mode)
			bpf_program__set_type(p, BPF_PROG_TYPE_TRACEPOINT);
	}
	/*
	 * arm64: the child of clone with its own task values (scap_bpf_common.h).
	 * It is no tail-call target, so it stays a raw tracepoint program in
	 * tracepoint mode too: a kernel with BTF (5.4+) has raw tracepoints.
	 */
	p = bpf_object__find_program_by_name(core->obj, "scap_core_fork");
	if (p && o->fork_child) {
		bpf_program__set_type(p, BPF_PROG_TYPE_RAW_TRACEPOINT);
		bpf_program__set_autoload(p, true);
	}
	for (code = 0; code < SCAP_EV_MAX; code++) {
		if (!used[code] || !row_wants_core(code))
			continue;
		p = bpf_object__find_program_by_name(core->obj, ev_rows[code].prog);
		if (p)
			bpf_program__set_autoload(p, true);
	}
	err = scap_bpf_core__load(core);
	if (err)
		goto fail;
	for (code = 0; code < SCAP_EV_MAX; code++) {
		int fd;
		__u32 key = code;

		if (!used[code] || !row_wants_core(code))
			continue;
		p = bpf_object__find_program_by_name(core->obj, ev_rows[code].prog);
		fd = p ? bpf_program__fd(p) : -1;
		if (fd >= 0 && bpf_map_update_elem(progs_fd, &key, &fd, BPF_ANY)) {
			err = -errno;
			goto fail;
		}
	}
	o->core = core;
	return;
fail:
	scap_bpf_core__destroy(core);
	/* The engine then attaches scap_exec_name in raw mode (bpf_engine.c). */
	scap_engine_warnf(ctx, "bpf: the CO-RE programs did not load (%s): these values stay empty (%s)%s",
			  strerror(err < 0 ? -err : EINVAL), lost, pathname_loss(o));
}
#else
static void load_core(struct scap_engine_ctx *ctx, struct scap_bpf_objs *o, const bool *used)
{
	char lost[1024];

	btf_losses(lost, sizeof(lost), used, o);
	if (lost[0])
		scap_engine_warnf(ctx, "bpf: built without the CO-RE object (no vmlinux.h at build time): "
				  "these values stay empty (%s)%s", lost, pathname_loss(o));
}
#endif

/*
 * procexit's program on sched_process_exit, for this mode and for whether the
 * tracepoint passes group_dead (6.16+): a program reading an argument or a
 * record field the tracepoint lacks does not attach.
 */
static struct bpf_program *procexit_prog(const struct scap_bpf_objs *o, bool group_dead)
{
	struct scap_bpf *s = o->skel;

	if (o->tp_mode)
		return group_dead ? s->progs.scap_tp_procexit_gd : s->progs.scap_tp_procexit;
	return group_dead ? s->progs.scap_procexit_gd : s->progs.scap_procexit;
}

/* Which dispatchers and helper programs load: raw tracepoints, or tracepoints. */
static void choose_dispatchers(const struct scap_engine_config *cfg, struct scap_bpf_objs *o, bool need_enter)
{
	struct scap_bpf *s = o->skel;
	struct bpf_program *p;

	o->tp_fork = o->tp_mode && (syscall_selected(cfg, SCAP_NR_clone) || syscall_selected(cfg, SCAP_NR_fork) ||
				    syscall_selected(cfg, SCAP_NR_vfork) || syscall_selected(cfg, SCAP_NR_clone3));
	o->fork_child = BPF_FORK_CHILD && (syscall_selected(cfg, SCAP_NR_clone) || syscall_selected(cfg, SCAP_NR_clone3) ||
					   syscall_selected(cfg, SCAP_NR_fork) || syscall_selected(cfg, SCAP_NR_vfork));
	o->tp_exec = o->tp_mode && (syscall_selected(cfg, SCAP_NR_execve) || syscall_selected(cfg, SCAP_NR_execveat));
	/*
	 * Raw mode: execve's old_tid from sched_process_exec (scap_exec_name), and
	 * the pathname where the CO-RE programs do not read it from the new image.
	 */
	o->raw_exec = !o->tp_mode &&
		      (syscall_selected(cfg, SCAP_NR_execve) || syscall_selected(cfg, SCAP_NR_execveat));
	/* procexit alone: no dispatcher runs on every syscall for nothing. */
	bpf_program__set_autoload(s->progs.scap_sys_exit, !o->tp_mode && o->syscalls);
	/* arm64 keeps clone's arguments at enter for the child (scap_bpf_fork_keep). */
	bpf_program__set_autoload(s->progs.scap_sys_enter, !o->tp_mode && (need_enter || o->fork_child));
	/* In tracepoint mode sys_enter always runs: it keeps the arguments for the exit. */
	bpf_program__set_autoload(s->progs.scap_tp_sys_exit, o->tp_mode && o->syscalls);
	bpf_program__set_autoload(s->progs.scap_tp_sys_enter, o->tp_mode && o->syscalls);
	bpf_program__set_autoload(s->progs.scap_procexit, false);
	bpf_program__set_autoload(s->progs.scap_procexit_gd, false);
	bpf_program__set_autoload(s->progs.scap_tp_procexit, false);
	bpf_program__set_autoload(s->progs.scap_tp_procexit_gd, false);
	o->exit_gd = cfg->procexit && scap_bpf_exit_group_dead();
	o->procexit = cfg->procexit ? procexit_prog(o, o->exit_gd) : NULL;
	if (o->procexit)
		bpf_program__set_autoload(o->procexit, true);
	/* Raw mode on arm64: the child's event where the CO-RE program is not in place. */
	bpf_program__set_autoload(s->progs.scap_tp_fork_comm16, o->tp_fork || o->fork_child);
	bpf_program__set_autoload(s->progs.scap_tp_fork_dynstr, o->tp_fork || o->fork_child);
	bpf_program__set_autoload(s->progs.scap_tp_exec, o->tp_exec);
	bpf_program__set_autoload(s->progs.scap_kp_start_thread, o->tp_exec_sp);
	bpf_program__set_autoload(s->progs.scap_exec_name, o->raw_exec);
	/*
	 * procexit in tracepoint mode drops its thread's entry. On arm64 the raw
	 * sys_exit dispatcher deletes the clone entries (a program referring to
	 * a map that is not created is refused), so the map exists whenever it
	 * loads; raw mode keeps clone's arguments only, for fewer threads.
	 */
	bpf_map__set_autocreate(s->maps.stash, o->tp_mode || (BPF_FORK_CHILD && o->syscalls));
	if (!o->tp_mode)
		bpf_map__set_max_entries(s->maps.stash, BPF_FORK_STASH_ENTRIES);
	/* The start_thread kprobe's map; execfn is always created: both dispatchers look it up. */
	bpf_map__set_autocreate(s->maps.exec_sp, o->tp_mode);
	if (!o->tp_mode)
		return;
	/* The event programs read no context: the same code serves as tracepoint programs. */
	bpf_object__for_each_program(p, s->obj) {
		if (!strncmp(bpf_program__name(p), "ev_", 3))
			bpf_program__set_type(p, BPF_PROG_TYPE_TRACEPOINT);
	}
}

/* What each load has for itself: its syscall table, tail calls and settings. */
static const char *const own_maps[] = { "syscalls", "progs", "settings", NULL };

static int load(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg, int ncpus, bool tp_mode,
		const char *hint, const struct scap_bpf_objs *share, struct scap_bpf_objs *out, bool *need_enter);

int scap_bpf_loader_load(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg,
			 int ncpus, bool tp_mode, const char *hint, struct scap_bpf_objs *out,
			 bool *need_enter)
{
	return load(ctx, cfg, ncpus, tp_mode, hint, NULL, out, need_enter);
}

int scap_bpf_loader_load_shared(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg,
				int ncpus, const struct scap_bpf_objs *share, struct scap_bpf_objs *out,
				bool *need_enter)
{
	return load(ctx, cfg, ncpus, share->tp_mode, "", share, out, need_enter);
}

static int load(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg, int ncpus, bool tp_mode,
		const char *hint, const struct scap_bpf_objs *share, struct scap_bpf_objs *out, bool *need_enter)
{
	static struct scap_bpf_syscall tab_init[SCAP_NR_SYSCALLS];
	struct scap_bpf_syscall tab[SCAP_NR_SYSCALLS];
	bool used[SCAP_EV_MAX] = { false };
	struct scap_bpf_objs o = { .tp_mode = tp_mode };
	libbpf_print_fn_t old_print;
	unsigned code;
	int err;

	memcpy(tab, tab_init, sizeof(tab));
	plan(cfg, tp_mode, tab, used, need_enter, &o.syscalls);

	libbpf_ctx = ctx;
	old_print = scap_platform_libbpf_sink(libbpf_print);
	/* Without BTF, execve's new argv in tracepoint mode needs the kprobe (scap_bpf_tp.h). */
	o.tp_exec_sp = tp_mode && scap_feature_present(SCAP_FEAT_BTF) != 1 &&
		       (syscall_selected(cfg, SCAP_NR_execve) || syscall_selected(cfg, SCAP_NR_execveat));
retry:
	o.skel = scap_bpf__open();
	if (!o.skel) {
		err = -errno;
		scap_engine_errf(ctx, "bpf: opening the embedded BPF object failed: %s", strerror(-err));
		goto out;
	}
	bpf_map__set_max_entries(o.skel->maps.events, (__u32)ncpus);
	bpf_map__set_max_entries(o.skel->maps.scratch, (__u32)ncpus);
	if (share && (err = scap_platform_bpf_share_maps(o.skel->obj, share->skel->obj, own_maps)) != 0) {
		scap_engine_errf(ctx, "bpf: cannot share the maps of the running programs: %s", strerror(-err));
		goto out;
	}
	for (code = 0; code < SCAP_EV_MAX; code++) {
		struct bpf_program *p = bpf_object__find_program_by_name(o.skel->obj, ev_rows[code].prog);

		if (p)
			bpf_program__set_autoload(p, used[code]);
	}
	choose_dispatchers(cfg, &o, *need_enter);

	err = scap_bpf__load(o.skel);
	if (err && o.tp_exec_sp) {
		/* A kernel without kprobe programs: everything else still works. */
		scap_engine_warnf(ctx, "bpf: the start_thread kprobe did not load (%s): execve's new argv "
				  "stays empty in tracepoint mode without BTF", strerror(err < 0 ? -err : errno));
		scap_bpf__destroy(o.skel);
		o.skel = NULL;
		o.tp_exec_sp = false;
		goto retry;
	}
	if (err) {
		err = err < 0 ? err : -errno;
		scap_engine_errf(ctx,
				 "bpf: loading the BPF programs failed: %s (%s)%s", strerror(-err),
				 err == -EPERM ? "needs root, or CAP_BPF with CAP_PERFMON and CAP_SYS_ADMIN"
				 : err == -EACCES ? "the kernel's verifier rejected a program; its log goes "
						    "to the log callback"
						  : "details go to the log callback",
				 hint ? hint : "");
		goto out;
	}
	err = fill_tables(ctx, o.skel, tab, used);
	if (!err)
		load_core(ctx, &o, used);
out:
	scap_platform_libbpf_sink(old_print);
	libbpf_ctx = NULL;
	if (err) {
		scap_bpf_loader_destroy(&o);
		return err;
	}
	*out = o;
	return 0;
}

void scap_bpf_loader_destroy(struct scap_bpf_objs *o)
{
#ifdef SCAP_BPF_HAVE_CORE
	scap_bpf_core__destroy(o->core);
#endif
	scap_bpf__destroy(o->skel);
	o->core = NULL;
	o->skel = NULL;
}

unsigned scap_bpf_loader_programs(const struct scap_bpf_objs *o)
{
	/* Without a vmlinux.h at build time there is no CO-RE object (nor its type). */
#ifdef SCAP_BPF_HAVE_CORE
	struct bpf_object *objs[2] = { o->skel ? o->skel->obj : NULL, o->core ? o->core->obj : NULL };
#else
	struct bpf_object *objs[2] = { o->skel ? o->skel->obj : NULL, NULL };
#endif
	struct bpf_program *p;
	unsigned n = 0;

	for (int i = 0; i < 2; i++)
		if (objs[i])
			bpf_object__for_each_program(p, objs[i])
				n += bpf_program__fd(p) >= 0;
	return n;
}

struct bpf_program *scap_bpf_loader_core_prog(const struct scap_bpf_objs *o, const char *name)
{
#ifdef SCAP_BPF_HAVE_CORE
	struct bpf_program *p = o->core ? bpf_object__find_program_by_name(o->core->obj, name) : NULL;

	return p && bpf_program__fd(p) >= 0 ? p : NULL;
#else
	(void)o;
	(void)name;
	return NULL;
#endif
}
