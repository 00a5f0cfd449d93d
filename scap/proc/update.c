// SPDX-License-Identifier: Apache-2.0
/*
 * The lifecycle events applied to the process table (update.h).
 */
#include <pthread.h>
#include <string.h>

#include "update.h"

enum px {
	PX_RES = 0, PX_FLAGS, PX_PPID, PX_COMM, PX_EXE, PX_ARGV, PX_UID, PX_GID, PX_EUID, PX_EGID,
	PX_LOGINUID, PX_CWD, PX_CGROUP, PX_VTID, PX_VPID, PX_OLD_TID, PX_CRED_UID, PX_CRED_EUID,
	PX_CRED_GID, PX_CRED_EGID, PX_STATUS, PX_LAST, PX_MAX
};

static const char *const px_names[PX_MAX] = {
	[PX_RES] = "res", [PX_FLAGS] = "flags", [PX_PPID] = "ppid", [PX_COMM] = "comm", [PX_EXE] = "exe",
	[PX_ARGV] = "argv", [PX_UID] = "uid", [PX_GID] = "gid", [PX_EUID] = "euid", [PX_EGID] = "egid",
	[PX_LOGINUID] = "loginuid", [PX_CWD] = "cwd", [PX_CGROUP] = "cgroup", [PX_VTID] = "vtid",
	[PX_VPID] = "vpid", [PX_OLD_TID] = "old_tid", [PX_CRED_UID] = "cred_uid", [PX_CRED_EUID] = "cred_euid",
	[PX_CRED_GID] = "cred_gid", [PX_CRED_EGID] = "cred_egid", [PX_STATUS] = "status", [PX_LAST] = "last",
};

#define CLONE_FS_FLAG 0x200ull
#define CLONE_INTO_CGROUP_FLAG 0x200000000ull /* clone3 */

/* The rows that update the table, and what each does. */
static const struct {
	uint16_t code;
	uint8_t role;
} tracked[] = {
	{ SCAP_EV_CLONE_X, SCAP_PROC_ROLE_CLONE },     { SCAP_EV_FORK_X, SCAP_PROC_ROLE_CLONE },
	{ SCAP_EV_VFORK_X, SCAP_PROC_ROLE_CLONE },     { SCAP_EV_CLONE3_X, SCAP_PROC_ROLE_CLONE },
	{ SCAP_EV_EXECVE_X, SCAP_PROC_ROLE_EXEC },     { SCAP_EV_EXECVEAT_X, SCAP_PROC_ROLE_EXEC },
	{ SCAP_EV_SETUID_X, SCAP_PROC_ROLE_CREDS },    { SCAP_EV_SETGID_X, SCAP_PROC_ROLE_CREDS },
	{ SCAP_EV_SETREUID_X, SCAP_PROC_ROLE_CREDS },  { SCAP_EV_SETREGID_X, SCAP_PROC_ROLE_CREDS },
	{ SCAP_EV_SETRESUID_X, SCAP_PROC_ROLE_CREDS }, { SCAP_EV_SETRESGID_X, SCAP_PROC_ROLE_CREDS },
	{ SCAP_EV_CHDIR_X, SCAP_PROC_ROLE_CWD },       { SCAP_EV_FCHDIR_X, SCAP_PROC_ROLE_CWD },
	{ SCAP_EV_PROCEXIT_E, SCAP_PROC_ROLE_PROCEXIT },
};

struct scap_proc_rows {
	uint8_t role[SCAP_EV_MAX];
	int8_t idx[SCAP_EV_MAX][PX_MAX]; /* parameter index, -1 absent */
};

static struct scap_proc_rows rows;
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

static void rows_build(void)
{
	memset(rows.idx, -1, sizeof(rows.idx));
	for (unsigned k = 0; k < sizeof(tracked) / sizeof(tracked[0]); k++) {
		const struct scap_event_info *x = scap_event_info(tracked[k].code);

		rows.role[tracked[k].code] = tracked[k].role;
		for (unsigned i = 0; x && i < x->nparams; i++)
			for (unsigned p = 0; p < PX_MAX; p++)
				if (strcmp(x->params[i].name, px_names[p]) == 0)
					rows.idx[tracked[k].code][p] = (int8_t)i;
	}
}

const struct scap_proc_rows *scap_proc_rows_get(void)
{
	pthread_once(&rows_once, rows_build);
	return &rows;
}

enum scap_proc_role scap_proc_role(const struct scap_proc_rows *r, uint16_t code)
{
	return code < SCAP_EV_MAX ? (enum scap_proc_role)r->role[code] : SCAP_PROC_ROLE_NONE;
}

unsigned scap_proc_select(const struct scap_proc_rows *r, uint8_t *sel, bool *procexit)
{
	unsigned added = 0;

	(void)r;
	for (unsigned k = 0; k < sizeof(tracked) / sizeof(tracked[0]); k++) {
		int nr = scap_event_info(tracked[k].code)->syscall_nr;

		if (tracked[k].role == SCAP_PROC_ROLE_PROCEXIT) {
			*procexit = true;
			continue;
		}
		if (nr >= 0 && nr < (int)SCAP_NR_SYSCALLS && !sel[nr]) {
			sel[nr] = 1;
			added++;
		}
	}
	return added;
}

/* Decoded parameter p of ev, or NULL when the row has none or it is empty
 * (no value, or an unreadable one: unknown either way). */
static const struct scap_param *param(const struct scap_proc_rows *r, const struct scap_evt_hdr *ev, enum px p,
				      struct scap_param *out)
{
	int i = r->idx[ev->type][p];

	if (i < 0 || scap_event_param((const struct scap_event *)ev, (unsigned)i, out) < 0 || out->len == 0)
		return NULL;
	return out;
}

static void set_u32(const struct scap_proc_rows *r, const struct scap_evt_hdr *ev, enum px p, uint32_t *dst,
		    uint32_t *known, uint32_t bit)
{
	struct scap_param v;

	if (param(r, ev, p, &v)) {
		*dst = (uint32_t)v.v.u;
		*known |= bit;
	}
}

/* The interned text of parameter p of ev, with a reference; NULL when it has none. */
static struct scap_pstr *text_param(struct scap_proctable *t, const struct scap_proc_rows *r,
				    const struct scap_evt_hdr *ev, enum px p, enum scap_pstr_kind kind)
{
	struct scap_param v;

	if (!param(r, ev, p, &v) || !v.str)
		return NULL;
	/* A cut path is its last components, relative: kept with its mark. */
	return scap_pstr_get(&t->strs, kind, v.str, (uint32_t)strlen(v.str), v.state == SCAP_PARAM_CUT);
}

static void set_str(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev,
		    enum px p, enum scap_pstr_kind kind, struct scap_pstr **slot, uint32_t *known, uint32_t bit)
{
	struct scap_pstr *s = text_param(t, r, ev, p, kind);

	if (!s)
		return;
	scap_pstr_assign(&t->strs, slot, s);
	*known |= bit;
}

static void set_comm(const struct scap_proc_rows *r, const struct scap_evt_hdr *ev, struct scap_proc_entry *e)
{
	struct scap_param v;

	if (!param(r, ev, PX_COMM, &v) || !v.str)
		return;
	strncpy(e->comm, v.str, sizeof(e->comm) - 1);
	e->comm[sizeof(e->comm) - 1] = '\0';
	e->known |= SCAP_PROC_HAS_COMM;
}

/* The working directory of e becomes the event's cwd (shared with the threads that share e's). */
static void set_cwd(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev,
		    struct scap_proc_entry *e)
{
	struct scap_pstr *s = text_param(t, r, ev, PX_CWD, SCAP_PSTR_PATH);

	if (!s)
		return;
	if (e->fs) {
		scap_pstr_assign(&t->strs, &e->fs->cwd, s);
	} else {
		e->fs = scap_proc_fs_new(t, s);
		if (!e->fs)
			return;
	}
	e->known |= SCAP_PROC_HAS_CWD;
}

/* argv from ev; false when ev has none. */
static bool set_args(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev,
		     struct scap_proc_entry *e)
{
	struct scap_param v;
	struct scap_pstr *s;
	bool cut;

	/* Stored as the event carries it (validated: its final NULs are there); [] too. */
	if (!param(r, ev, PX_ARGV, &v))
		return false;
	cut = v.state == SCAP_PARAM_CUT;
	s = scap_pstr_get(&t->strs, SCAP_PSTR_ARGS, v.data, v.len, cut);
	if (!s)
		return false;
	scap_pstr_assign(&t->strs, &e->args, s);
	e->known |= SCAP_PROC_HAS_ARGS;
	e->flags = (e->flags & ~SCAP_PROC_F_ARGS_TRUNCATED) | (cut ? SCAP_PROC_F_ARGS_TRUNCATED : 0);
	return true;
}

/* Marks e as updated by an event at ts. */
static void updated(struct scap_proctable *t, struct scap_proc_entry *e, uint64_t ts)
{
	e->src_ns = ts;
	e->flags &= ~SCAP_PROC_F_FROM_SCAN;
	scap_proctable_touch(t, e);
}

/*
 * The entry an update of tid at ts applies to: the existing one when it is
 * that thread's and no newer source updated it; a new one when the tid is
 * unknown or belongs to an owner that ended before ts. NULL: ignore the event.
 */
static struct scap_proc_entry *target(struct scap_proctable *t, const struct scap_evt_hdr *ev)
{
	struct scap_proc_entry *e = scap_proctable_find(t, ev->tid);

	if (e && ev->ts < e->src_ns)
		return NULL;
	if (e && scap_proc_entry_covers(e, ev->ts))
		return e;
	e = scap_proctable_insert(t, ev->tid);
	if (e)
		e->pid = ev->pid;
	return e;
}

/*
 * What a new thread or process has of where it came from, for what its event
 * does not carry (an engine that cannot read a value leaves it empty): the
 * fork copies (or, for a thread, shares) the image, the credentials, the
 * working directory and the cgroup; a thread's arguments are its process's.
 */
static void inherit(struct scap_proctable *t, struct scap_proc_entry *e, const struct scap_proc_entry *from,
		    bool share_fs, bool same_cgroup)
{
	uint32_t missing = from->known & ~e->known;

	if (missing & SCAP_PROC_HAS_COMM)
		memcpy(e->comm, from->comm, sizeof(e->comm));
	if (missing & SCAP_PROC_HAS_EXE)
		e->exe = scap_pstr_ref(from->exe);
	if (missing & SCAP_PROC_HAS_ARGS) {
		e->args = scap_pstr_ref(from->args);
		e->flags |= from->flags & SCAP_PROC_F_ARGS_TRUNCATED;
	}
	if (missing & SCAP_PROC_HAS_UID)
		e->uid = from->uid;
	if (missing & SCAP_PROC_HAS_GID)
		e->gid = from->gid;
	if (missing & SCAP_PROC_HAS_EUID)
		e->euid = from->euid;
	if (missing & SCAP_PROC_HAS_EGID)
		e->egid = from->egid;
	if (missing & SCAP_PROC_HAS_LOGINUID)
		e->loginuid = from->loginuid;
	if (!same_cgroup)
		missing &= ~SCAP_PROC_HAS_CGROUP;
	else if (missing & SCAP_PROC_HAS_CGROUP)
		e->cgroup = scap_pstr_ref(from->cgroup);
	e->known |= missing & (SCAP_PROC_HAS_COMM | SCAP_PROC_HAS_EXE | SCAP_PROC_HAS_ARGS | SCAP_PROC_HAS_UID |
			       SCAP_PROC_HAS_GID | SCAP_PROC_HAS_EUID | SCAP_PROC_HAS_EGID | SCAP_PROC_HAS_LOGINUID |
			       SCAP_PROC_HAS_CGROUP);
	/* The working directory: the same object with CLONE_FS, a copy without. */
	if (from->fs && !e->fs) {
		e->fs = share_fs ? scap_proc_fs_ref(from->fs) : scap_proc_fs_new(t, scap_pstr_ref(from->fs->cwd));
		if (e->fs)
			e->known |= SCAP_PROC_HAS_CWD;
	}
}

static void apply_clone(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev)
{
	const struct scap_proc_entry *from;
	struct scap_proc_entry *e;
	struct scap_param v;
	uint64_t flags = 0;
	bool thread;

	if (!param(r, ev, PX_RES, &v) || v.v.i != 0)
		return; /* the parent's return: the child's own says it all */
	e = scap_proctable_find(t, ev->tid);
	if (e && ev->ts < e->src_ns)
		return;
	e = scap_proctable_insert(t, ev->tid); /* a new thread: whatever had its tid before is gone */
	if (!e)
		return;
	e->pid = ev->pid;
	e->start_ns = ev->ts;
	e->known |= SCAP_PROC_HAS_START;
	if (param(r, ev, PX_FLAGS, &v))
		flags = v.v.u;
	thread = ev->tid != ev->pid;
	set_u32(r, ev, PX_PPID, &e->ppid, &e->known, SCAP_PROC_HAS_PPID);
	set_comm(r, ev, e);
	set_str(t, r, ev, PX_EXE, SCAP_PSTR_PATH, &e->exe, &e->known, SCAP_PROC_HAS_EXE);
	set_u32(r, ev, PX_UID, &e->uid, &e->known, SCAP_PROC_HAS_UID);
	set_u32(r, ev, PX_GID, &e->gid, &e->known, SCAP_PROC_HAS_GID);
	set_u32(r, ev, PX_EUID, &e->euid, &e->known, SCAP_PROC_HAS_EUID);
	set_str(t, r, ev, PX_CGROUP, SCAP_PSTR_CGROUP, &e->cgroup, &e->known, SCAP_PROC_HAS_CGROUP);
	if (param(r, ev, PX_VTID, &v)) {
		e->vtid = (uint32_t)v.v.u;
		if (param(r, ev, PX_VPID, &v)) {
			e->vpid = (uint32_t)v.v.u;
			e->known |= SCAP_PROC_HAS_VPID;
		}
	}
	/* A thread's process is its leader's; a new process's creator is in the
	 * process of its ppid (a thread of it: they share what is inherited). */
	from = scap_proctable_find(t, thread ? ev->pid : e->ppid);
	if (from && from != e && (thread || (e->known & SCAP_PROC_HAS_PPID)) &&
	    scap_proc_process_covers(from, ev->ts))
		inherit(t, e, from, (flags & CLONE_FS_FLAG) != 0, !(flags & CLONE_INTO_CGROUP_FLAG));
	set_cwd(t, r, ev, e);
	updated(t, e, ev->ts);
}

static void apply_exec(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev,
		       const struct scap_evt_hdr *exit_copy)
{
	struct scap_proc_entry *e = scap_proctable_find(t, ev->tid), *moved = NULL;
	struct scap_param v;
	uint64_t start = 0;
	bool have_start = false;

	if (!param(r, ev, PX_RES, &v) || v.v.i != 0)
		return; /* a failed exec changes nothing */
	if (param(r, ev, PX_OLD_TID, &v) && (uint32_t)v.v.u != ev->tid) {
		/* A non-leader thread exec'd and took over the leader's tid. */
		moved = scap_proctable_find(t, (uint32_t)v.v.u);
		if (moved && ev->ts < moved->src_ns)
			moved = NULL;
	}
	if (e && ev->ts < e->src_ns) {
		/* The scan read the new image already; the old tid is gone. */
		if (moved)
			scap_proctable_remove(t, moved);
		return;
	}
	/* The kernel gives the exec'ing thread its leader's start time. */
	if (e && (e->known & SCAP_PROC_HAS_START)) {
		start = e->start_ns;
		have_start = true;
	}
	if (moved) {
		scap_proctable_rekey(t, moved, ev->tid); /* removes the old leader's entry */
		e = moved;
		e->flags &= ~(SCAP_PROC_F_ENDED | SCAP_PROC_F_PROC_ENDED);
		e->known &= ~SCAP_PROC_HAS_EXIT;
		if (have_start)
			e->start_ns = start;
	} else {
		e = target(t, ev);
		if (!e)
			return;
	}
	e->pid = ev->pid;
	/* A new image: what it replaces is unknown unless the event says it (an
	 * engine may not read every value); the working directory, the cgroup,
	 * the parent and the login uid stay what they were. */
	e->known &= ~(SCAP_PROC_HAS_COMM | SCAP_PROC_HAS_EXE | SCAP_PROC_HAS_ARGS | SCAP_PROC_HAS_UID |
		      SCAP_PROC_HAS_GID | SCAP_PROC_HAS_EUID | SCAP_PROC_HAS_EGID);
	e->flags &= ~SCAP_PROC_F_ARGS_TRUNCATED;
	set_u32(r, ev, PX_PPID, &e->ppid, &e->known, SCAP_PROC_HAS_PPID);
	set_comm(r, ev, e);
	set_str(t, r, ev, PX_EXE, SCAP_PSTR_PATH, &e->exe, &e->known, SCAP_PROC_HAS_EXE);
	if (!exit_copy || exit_copy->type != ev->type || !set_args(t, r, exit_copy, e))
		set_args(t, r, ev, e);
	set_u32(r, ev, PX_UID, &e->uid, &e->known, SCAP_PROC_HAS_UID);
	set_u32(r, ev, PX_GID, &e->gid, &e->known, SCAP_PROC_HAS_GID);
	set_u32(r, ev, PX_EUID, &e->euid, &e->known, SCAP_PROC_HAS_EUID);
	set_u32(r, ev, PX_EGID, &e->egid, &e->known, SCAP_PROC_HAS_EGID);
	set_u32(r, ev, PX_LOGINUID, &e->loginuid, &e->known, SCAP_PROC_HAS_LOGINUID);
	set_str(t, r, ev, PX_CGROUP, SCAP_PSTR_CGROUP, &e->cgroup, &e->known, SCAP_PROC_HAS_CGROUP);
	set_cwd(t, r, ev, e);
	if (e->known & SCAP_PROC_HAS_VPID)
		e->vtid = e->vpid; /* the process's leader now */
	updated(t, e, ev->ts);
}

static void apply_creds(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev)
{
	struct scap_proc_entry *e = target(t, ev);

	if (!e)
		return;
	/* The credentials after the call, whatever it returned: the kernel's word. */
	set_u32(r, ev, PX_CRED_UID, &e->uid, &e->known, SCAP_PROC_HAS_UID);
	set_u32(r, ev, PX_CRED_EUID, &e->euid, &e->known, SCAP_PROC_HAS_EUID);
	set_u32(r, ev, PX_CRED_GID, &e->gid, &e->known, SCAP_PROC_HAS_GID);
	set_u32(r, ev, PX_CRED_EGID, &e->egid, &e->known, SCAP_PROC_HAS_EGID);
	updated(t, e, ev->ts);
}

static void apply_cwd(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev)
{
	struct scap_proc_entry *e = target(t, ev);

	if (!e)
		return;
	set_cwd(t, r, ev, e);
	updated(t, e, ev->ts);
}

static void apply_procexit(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev)
{
	struct scap_proc_entry *e = scap_proctable_find(t, ev->tid), *leader;
	struct scap_param v;
	bool last;

	if (!e || ev->ts < e->src_ns || !scap_proc_entry_covers(e, ev->ts))
		return;
	e->flags |= SCAP_PROC_F_ENDED;
	e->flags &= ~SCAP_PROC_F_FROM_SCAN;
	e->exit_ns = ev->ts;
	e->src_ns = ev->ts;
	if (param(r, ev, PX_STATUS, &v)) {
		e->exit_status = (int32_t)v.v.i;
		e->known |= SCAP_PROC_HAS_EXIT;
	}
	/* An engine that cannot tell (bpf without BTF before 6.16) leaves last
	 * empty: the leader's end is then taken as its process's, as it nearly
	 * always is (a leader that ends first waits, a zombie, for the others). */
	if (param(r, ev, PX_LAST, &v))
		last = v.v.u != 0;
	else
		last = e->tid == e->pid;
	if (last) {
		e->flags |= SCAP_PROC_F_PROC_ENDED;
		t->end_version++;
	}
	/* A leader whose process lives on stays: its pid is still the process's. */
	if (e->tid != e->pid || last)
		scap_proctable_end(t, e, ev->ts);
	if (last && e->tid != e->pid) {
		leader = scap_proctable_find(t, e->pid);
		if (leader && (leader->flags & SCAP_PROC_F_ENDED) && !leader->on_ended) {
			leader->flags |= SCAP_PROC_F_PROC_ENDED;
			t->end_version++;
			scap_proctable_end(t, leader, ev->ts);
		}
	}
}

void scap_proc_apply(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev,
		     const struct scap_evt_hdr *exit_copy)
{
	scap_proctable_tick(t, ev->ts);
	t->version++;
	switch (scap_proc_role(r, ev->type)) {
	case SCAP_PROC_ROLE_CLONE:
		apply_clone(t, r, ev);
		break;
	case SCAP_PROC_ROLE_EXEC:
		apply_exec(t, r, ev, exit_copy);
		break;
	case SCAP_PROC_ROLE_CREDS:
		apply_creds(t, r, ev);
		break;
	case SCAP_PROC_ROLE_CWD:
		apply_cwd(t, r, ev);
		break;
	case SCAP_PROC_ROLE_PROCEXIT:
		apply_procexit(t, r, ev);
		break;
	case SCAP_PROC_ROLE_NONE:
		break;
	}
}
