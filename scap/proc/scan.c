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
 *
 * The kernel's making of those files is nearly all the cost (about 40 µs of
 * CPU per thread): the processes are read by one worker thread per online
 * CPU (at most SCAN_MAX_WORKERS), each into records of its own; the table is
 * then filled from the records in /proc's order, by the caller's thread
 * alone (the table is not shared), so the result does not depend on how the
 * work was split.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "platform/procfs.h"
#include "scan.h"

#define SCAN_MAX_WORKERS 4u
/* Below this many processes one thread reads them all: starting workers costs more. */
#define SCAN_MIN_PER_WORKER 64u

/* One thread as read. Strings are allocated with the record. */
struct scan_thread {
	uint32_t tid;
	uint64_t t0;                 /* CLOCK_BOOTTIME just before its files were read */
	struct scap_procfs_thread th;
	char *cwd, *cgroup;          /* NULL: unreadable */
};

/* One process as read: what its threads share, then its threads. */
struct scan_process {
	uint32_t pid;
	bool have_loginuid;
	uint32_t loginuid;
	char *exe;                   /* NULL: unreadable (a kernel thread, a zombie leader) */
	char *args;                  /* NULL: none (a kernel thread) */
	uint32_t args_len;
	bool args_cut;
	struct scan_thread *threads;
	uint32_t nthreads, cap;
};

struct scan_job {
	const uint32_t *pids;
	uint32_t npids, first, step; /* this worker reads pids[first], pids[first + step], ... */
	struct scan_process **out;   /* out[i] for pids[i]; NULL when it was gone */
	char path[SCAP_MAX_PATH_LEN + 1];
	char args[SCAP_MAX_ARGV_LEN];
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

static char *read_link(struct scan_job *j, int dirfd, const char *name)
{
	ssize_t n = scap_procfs_readlink(dirfd, name, j->path, sizeof(j->path));

	return n > 0 ? strndup(j->path, (size_t)n) : NULL;
}

/* exe and cmdline of the process, or of one of its threads (its leader may be a zombie). */
static void read_image(struct scan_job *j, int dirfd, struct scan_process *p)
{
	ssize_t n;

	if (!p->exe)
		p->exe = read_link(j, dirfd, "exe");
	if (!p->args) {
		n = scap_procfs_read_cmdline(dirfd, j->args, sizeof(j->args), &p->args_cut);
		/* Kept as events carry argv: the strings, then the array's own NUL. */
		if (n > 0 && (p->args = malloc((size_t)n + 1)) != NULL) {
			memcpy(p->args, j->args, (size_t)n);
			p->args[n] = '\0';
			p->args_len = (uint32_t)n + 1;
		}
	}
}

static bool is_zombie(const struct scap_procfs_thread *th)
{
	return th->state == 'Z' || th->state == 'X';
}

static void read_thread(struct scan_job *j, struct scan_process *p, int taskfd, uint32_t tid, const char *name)
{
	struct scan_thread *t;
	uint64_t t0 = boottime_ns();
	int thfd = openat(taskfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (thfd < 0)
		return; /* ended meanwhile */
	if (p->nthreads == p->cap) {
		uint32_t cap = p->cap ? 2 * p->cap : 4;
		struct scan_thread *nt = realloc(p->threads, cap * sizeof(*nt));

		if (!nt) {
			close(thfd);
			return;
		}
		p->threads = nt;
		p->cap = cap;
	}
	t = &p->threads[p->nthreads];
	memset(t, 0, sizeof(*t));
	if (scap_procfs_read_thread(thfd, &t->th) < 0) {
		close(thfd);
		return;
	}
	t->tid = tid;
	t->t0 = t0;
	if (!is_zombie(&t->th) && tid != p->pid && (!p->exe || !p->args))
		read_image(j, thfd, p);
	t->cwd = read_link(j, thfd, "cwd");
	if (scap_procfs_read_cgroup(thfd, j->path, sizeof(j->path)) >= 0)
		t->cgroup = strdup(j->path);
	close(thfd);
	p->nthreads++;
}

static struct scan_process *read_process(struct scan_job *j, int rootfd, uint32_t pid)
{
	struct scan_process *p;
	struct dirent *de;
	char name[16];
	int pfd, taskfd;
	DIR *d;

	snprintf(name, sizeof(name), "%u", pid);
	pfd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p) {
		close(pfd);
		return NULL;
	}
	p->pid = pid;
	p->have_loginuid = scap_procfs_read_loginuid(pfd, &p->loginuid) == 0;
	read_image(j, pfd, p);
	taskfd = openat(pfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pfd);
	if (taskfd < 0 || !(d = fdopendir(taskfd))) {
		if (taskfd >= 0)
			close(taskfd);
		return p;
	}
	while ((de = readdir(d))) {
		uint32_t tid;

		if (all_digits(de->d_name, &tid))
			read_thread(j, p, dirfd(d), tid, de->d_name);
	}
	closedir(d);
	return p;
}

static void *worker(void *arg)
{
	struct scan_job *j = arg;
	int rootfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (rootfd < 0)
		return NULL;
	for (uint32_t i = j->first; i < j->npids; i += j->step)
		j->out[i] = read_process(j, rootfd, j->pids[i]);
	close(rootfd);
	return NULL;
}

static void process_free(struct scan_process *p)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->nthreads; i++) {
		free(p->threads[i].cwd);
		free(p->threads[i].cgroup);
	}
	free(p->threads);
	free(p->exe);
	free(p->args);
	free(p);
}

/* ---- filling the table from the records ------------------------------------------------ */

struct fill_ctx {
	struct scap_proctable *t;
	uint64_t tick_ns;
	struct scap_proc_scan_result *res;
};

static struct scap_pstr *intern(struct scap_proctable *t, enum scap_pstr_kind kind, const char *s)
{
	return s ? scap_pstr_get(&t->strs, kind, s, (uint32_t)strlen(s), false) : NULL;
}

static void fill_entry(struct fill_ctx *c, const struct scan_process *p, const struct scan_thread *r,
		       struct scap_proc_entry *e, struct scap_pstr *exe, struct scap_pstr *args,
		       struct scap_proc_fs **shared_fs)
{
	struct scap_proctable *t = c->t;
	struct scap_pstr *cwd;
	const struct scap_procfs_thread *th = &r->th;

	e->pid = th->pid ? th->pid : p->pid;
	e->src_ns = r->t0;
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
	if (exe) {
		e->exe = scap_pstr_ref(exe);
		e->known |= SCAP_PROC_HAS_EXE;
	}
	if (args) {
		e->args = scap_pstr_ref(args);
		e->known |= SCAP_PROC_HAS_ARGS;
		if (p->args_cut)
			e->flags |= SCAP_PROC_F_ARGS_TRUNCATED;
	}
	/* Threads with the process's first working directory share it (CLONE_FS, as
	 * pthreads do); one with another has its own. */
	cwd = intern(t, SCAP_PSTR_PATH, r->cwd);
	if (cwd) {
		if (*shared_fs && (*shared_fs)->cwd == cwd) {
			scap_pstr_put(&t->strs, cwd);
			e->fs = scap_proc_fs_ref(*shared_fs);
		} else {
			e->fs = scap_proc_fs_new(t, cwd);
			if (!*shared_fs && e->fs)
				*shared_fs = scap_proc_fs_ref(e->fs);
		}
		if (e->fs)
			e->known |= SCAP_PROC_HAS_CWD;
	}
	e->cgroup = intern(t, SCAP_PSTR_CGROUP, r->cgroup);
	if (e->cgroup)
		e->known |= SCAP_PROC_HAS_CGROUP;
}

static void fill_process(struct fill_ctx *c, const struct scan_process *p)
{
	struct scap_proctable *t = c->t;
	struct scap_pstr *exe = intern(t, SCAP_PSTR_PATH, p->exe), *args = NULL;
	struct scap_proc_fs *shared_fs = NULL;
	struct scap_proc_entry *leader = NULL;
	bool live_thread = false;

	if (p->args)
		args = scap_pstr_get(&t->strs, SCAP_PSTR_ARGS, p->args, p->args_len, p->args_cut);
	for (uint32_t i = 0; i < p->nthreads; i++) {
		const struct scan_thread *r = &p->threads[i];
		struct scap_proc_entry *e = scap_proctable_insert(t, r->tid);
		bool zombie = is_zombie(&r->th);

		if (!e) {
			c->res->errors++;
			continue;
		}
		fill_entry(c, p, r, e, exe, args, &shared_fs);
		c->res->threads++;
		/* A zombie ended before t0, when exactly /proc does not say. */
		if (zombie) {
			e->flags |= SCAP_PROC_F_ENDED;
			e->exit_ns = r->t0;
		}
		if (r->tid == p->pid)
			leader = e; /* a leader's end waits for its process's (below) */
		else if (zombie)
			scap_proctable_end(t, e, r->t0);
		else
			live_thread = true;
	}
	c->res->processes++;
	/* A zombie leader ends its process unless a thread lives on. */
	if (leader && (leader->flags & SCAP_PROC_F_ENDED) && !live_thread) {
		leader->flags |= SCAP_PROC_F_PROC_ENDED;
		scap_proctable_end(t, leader, leader->exit_ns);
	}
	scap_pstr_put(&t->strs, exe);
	scap_pstr_put(&t->strs, args);
	scap_proc_fs_put(t, shared_fs);
}

/* The pids under root, in its order. NULL and -errno on failure. */
static uint32_t *list_pids(const char *root, uint32_t *n, int *err)
{
	uint32_t *pids = NULL, cap = 0, pid;
	struct dirent *de;
	DIR *d = opendir(root);

	*n = 0;
	if (!d) {
		*err = -errno;
		return NULL;
	}
	while ((de = readdir(d))) {
		if (!all_digits(de->d_name, &pid))
			continue;
		if (*n == cap) {
			uint32_t *np = realloc(pids, (cap = cap ? 2 * cap : 1024) * sizeof(*np));

			if (!np) {
				free(pids);
				closedir(d);
				*err = -ENOMEM;
				return NULL;
			}
			pids = np;
		}
		pids[(*n)++] = pid;
	}
	closedir(d);
	*err = 0;
	return pids ? pids : malloc(1);
}

int scap_proc_scan(struct scap_proctable *t, const char *root, unsigned workers,
		   struct scap_proc_scan_result *res)
{
	struct scap_proc_scan_result r = { 0 };
	struct fill_ctx fc = { .t = t, .tick_ns = scap_procfs_tick_ns(), .res = &r };
	struct scan_job jobs[SCAN_MAX_WORKERS];
	pthread_t th[SCAN_MAX_WORKERS];
	struct scan_process **out = NULL;
	struct timespec a, b;
	uint32_t *pids, npids, nw = 1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int err = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	pids = list_pids(root ? root : "/proc", &npids, &err);
	if (!pids)
		goto out;
	out = calloc(npids ? npids : 1, sizeof(*out));
	if (!out) {
		err = -ENOMEM;
		goto out;
	}
	if (cpus > 1 && npids >= 2 * SCAN_MIN_PER_WORKER)
		nw = (uint32_t)(cpus < (long)SCAN_MAX_WORKERS ? cpus : SCAN_MAX_WORKERS);
	if (nw > npids / SCAN_MIN_PER_WORKER)
		nw = npids / SCAN_MIN_PER_WORKER ? npids / SCAN_MIN_PER_WORKER : 1;
	if (workers && workers < nw)
		nw = workers;
	/* Workers open their own root: a relative one names the same place for all. */
	for (uint32_t w = 0; w < nw; w++) {
		jobs[w] = (struct scan_job){ .pids = pids, .npids = npids, .first = w, .step = nw, .out = out };
	}
	if (root && strcmp(root, "/proc") != 0) {
		/* Another root (tests): read it here, on this thread. */
		int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		for (uint32_t i = 0; rootfd >= 0 && i < npids; i++)
			out[i] = read_process(&jobs[0], rootfd, pids[i]);
		if (rootfd >= 0)
			close(rootfd);
	} else {
		uint32_t started = 0;

		for (uint32_t w = 1; w < nw; w++)
			if (pthread_create(&th[w], NULL, worker, &jobs[w]) == 0)
				started = w;
			else
				break;
		/* Workers that did not start: their share is read here. */
		for (uint32_t w = started + 1; w < nw; w++)
			worker(&jobs[w]);
		worker(&jobs[0]);
		for (uint32_t w = 1; w <= started; w++)
			pthread_join(th[w], NULL);
	}
	for (uint32_t i = 0; i < npids; i++) {
		if (out[i])
			fill_process(&fc, out[i]);
		process_free(out[i]);
	}
	t->st.scans++;
	if (!r.threads)
		err = -ENOENT; /* not a /proc: no thread could be read */
out:
	clock_gettime(CLOCK_MONOTONIC, &b);
	r.ns = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000ull + (uint64_t)b.tv_nsec - (uint64_t)a.tv_nsec;
	if (res)
		*res = r;
	free(out);
	free(pids);
	return err;
}
