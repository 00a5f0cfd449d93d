// SPDX-License-Identifier: Apache-2.0
/*
 * Filling the process table from /proc: every thread of every process, read
 * through platform/procfs.h. Runs in scap_start after the engine started,
 * so that what changes during the scan is also in the stream (update.h: the
 * newer source wins).
 *
 * Per thread: stat (comm, state, ppid, start), status (credentials,
 * namespace ids), cwd and cgroup. Per process, shared by its threads: exe,
 * cmdline and loginuid (set through /proc/self/loginuid before a session's
 * processes start; every thread inherits it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "platform/procfs.h"
#include "scan.h"

struct scan_proc {
	uint32_t pid;
	struct scap_pstr *exe, *args;
	bool args_cut;
	bool have_loginuid;
	uint32_t loginuid;
	struct scap_proc_fs *fs;     /* the first thread's, shared by the threads with the same cwd */
	struct scap_proc_entry *leader;
	bool live_thread;
};

struct scan_ctx {
	struct scap_proctable *t;
	uint64_t tick_ns;
	char path[SCAP_MAX_PATH_LEN + 1];
	char args[SCAP_MAX_ARGV_LEN];
	struct scap_proc_scan_result res;
};

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool all_digits(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static struct scap_pstr *read_path(struct scan_ctx *c, int dirfd, const char *name)
{
	ssize_t n = scap_procfs_readlink(dirfd, name, c->path, sizeof(c->path));

	return n > 0 ? scap_pstr_get(&c->t->strs, SCAP_PSTR_PATH, c->path, (uint32_t)n, false) : NULL;
}

/* exe and cmdline of the process (or of one of its threads, when its leader is a zombie). */
static void read_image(struct scan_ctx *c, int dirfd, struct scan_proc *p)
{
	ssize_t n;

	if (!p->exe)
		p->exe = read_path(c, dirfd, "exe");
	if (!p->args) {
		n = scap_procfs_read_cmdline(dirfd, c->args, sizeof(c->args), &p->args_cut);
		if (n > 0)
			p->args = scap_pstr_get(&c->t->strs, SCAP_PSTR_ARGS, c->args, (uint32_t)n, p->args_cut);
	}
}

static void fill_entry(struct scan_ctx *c, struct scan_proc *p, struct scap_proc_entry *e,
		       const struct scap_procfs_thread *th, int thfd, uint64_t t0)
{
	struct scap_pstr *cwd;
	ssize_t n;

	e->pid = th->pid ? th->pid : p->pid;
	e->src_ns = t0;
	e->flags = SCAP_PROC_F_FROM_SCAN;
	e->ppid = th->ppid;
	memcpy(e->comm, th->comm, sizeof(e->comm));
	e->start_ns = th->start_ticks * c->tick_ns;
	e->known = SCAP_PROC_HAS_PPID | SCAP_PROC_HAS_COMM | SCAP_PROC_HAS_START;
	if (th->have & SCAP_PROCFS_STATUS) {
		e->uid = th->uid;
		e->gid = th->gid;
		e->euid = th->euid;
		e->egid = th->egid;
		e->known |= SCAP_PROC_HAS_UID | SCAP_PROC_HAS_GID | SCAP_PROC_HAS_EUID | SCAP_PROC_HAS_EGID;
	}
	if (th->have & SCAP_PROCFS_NS) {
		e->vtid = th->vtid;
		e->vpid = th->vpid;
		e->known |= SCAP_PROC_HAS_VPID;
	}
	if (p->have_loginuid) {
		e->loginuid = p->loginuid;
		e->known |= SCAP_PROC_HAS_LOGINUID;
	}
	if (p->exe) {
		e->exe = scap_pstr_ref(p->exe);
		e->known |= SCAP_PROC_HAS_EXE;
	}
	if (p->args) {
		e->args = scap_pstr_ref(p->args);
		e->known |= SCAP_PROC_HAS_ARGS;
		if (p->args_cut)
			e->flags |= SCAP_PROC_F_ARGS_TRUNCATED;
	}
	cwd = read_path(c, thfd, "cwd");
	if (cwd) {
		if (p->fs && p->fs->cwd == cwd) {
			scap_pstr_put(&c->t->strs, cwd);
			e->fs = scap_proc_fs_ref(p->fs);
		} else {
			e->fs = scap_proc_fs_new(c->t, cwd);
			if (!p->fs && e->fs)
				p->fs = scap_proc_fs_ref(e->fs);
		}
		if (e->fs)
			e->known |= SCAP_PROC_HAS_CWD;
	}
	n = scap_procfs_read_cgroup(thfd, c->path, sizeof(c->path));
	if (n >= 0) {
		e->cgroup = scap_pstr_get(&c->t->strs, SCAP_PSTR_CGROUP, c->path, (uint32_t)strlen(c->path), false);
		if (e->cgroup)
			e->known |= SCAP_PROC_HAS_CGROUP;
	}
}

/* One thread of p; its directory is name in taskfd. */
static void scan_thread(struct scan_ctx *c, struct scan_proc *p, int taskfd, uint32_t tid, const char *name)
{
	struct scap_procfs_thread th = { 0 };
	struct scap_proc_entry *e;
	uint64_t t0 = boottime_ns();
	int thfd = openat(taskfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool zombie;

	if (thfd < 0)
		return; /* ended meanwhile */
	if (scap_procfs_read_thread(thfd, &th) < 0) {
		close(thfd);
		return;
	}
	zombie = th.state == 'Z' || th.state == 'X';
	/* A zombie leader has no image to read: a live thread's has it. */
	if (!zombie && tid != p->pid && (!p->exe || !p->args))
		read_image(c, thfd, p);
	e = scap_proctable_insert(c->t, tid);
	if (!e) {
		close(thfd);
		c->res.errors++;
		return;
	}
	fill_entry(c, p, e, &th, thfd, t0);
	close(thfd);
	c->res.threads++;
	/* A zombie ended before t0, when exactly /proc does not say. */
	if (zombie) {
		e->flags |= SCAP_PROC_F_ENDED;
		e->exit_ns = t0;
	}
	if (tid == p->pid)
		p->leader = e; /* a leader's end waits for its process's (below) */
	else if (zombie)
		scap_proctable_end(c->t, e, t0);
	else
		p->live_thread = true;
}

static void scan_process(struct scan_ctx *c, int rootfd, uint32_t pid, const char *name)
{
	struct scan_proc p = { .pid = pid };
	struct dirent *de;
	int pfd, taskfd;
	DIR *d;

	pfd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return;
	p.have_loginuid = scap_procfs_read_loginuid(pfd, &p.loginuid) == 0;
	read_image(c, pfd, &p);
	taskfd = openat(pfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pfd);
	if (taskfd < 0)
		goto out;
	d = fdopendir(taskfd);
	if (!d) {
		close(taskfd);
		goto out;
	}
	while ((de = readdir(d))) {
		uint32_t tid;

		if (all_digits(de->d_name, &tid))
			scan_thread(c, &p, dirfd(d), tid, de->d_name);
	}
	closedir(d);
	c->res.processes++;
	/* A zombie leader ends its process unless a thread lives on. */
	if (p.leader && (p.leader->flags & SCAP_PROC_F_ENDED) && !p.live_thread) {
		p.leader->flags |= SCAP_PROC_F_PROC_ENDED;
		scap_proctable_end(c->t, p.leader, p.leader->exit_ns);
	}
out:
	scap_pstr_put(&c->t->strs, p.exe);
	scap_pstr_put(&c->t->strs, p.args);
	scap_proc_fs_put(c->t, p.fs);
}

int scap_proc_scan(struct scap_proctable *t, const char *root, struct scap_proc_scan_result *res)
{
	struct scan_ctx *c = calloc(1, sizeof(*c));
	struct timespec a, b;
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (!c)
		return -ENOMEM;
	c->t = t;
	c->tick_ns = scap_procfs_tick_ns();
	clock_gettime(CLOCK_MONOTONIC, &a);
	d = opendir(root ? root : "/proc");
	if (!d) {
		r = -errno;
		goto out;
	}
	while ((de = readdir(d))) {
		uint32_t pid;

		if (all_digits(de->d_name, &pid))
			scan_process(c, dirfd(d), pid, de->d_name);
	}
	closedir(d);
	t->st.scans++;
	if (!c->res.threads)
		r = -ENOENT; /* not a /proc: no thread could be read */
out:
	clock_gettime(CLOCK_MONOTONIC, &b);
	c->res.ns = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000ull + (uint64_t)b.tv_nsec - (uint64_t)a.tv_nsec;
	if (res)
		*res = c->res;
	free(c);
	return r;
}
