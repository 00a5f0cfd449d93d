// SPDX-License-Identifier: Apache-2.0
/*
 * What was really opened (issue 17, item 8): the open family's exit carries
 * the file of the returned descriptor (opened, opened_dev, opened_ino),
 * whatever the caller's path buffer said before or after. Each run opens in a
 * loop while something changes which file the path names, and checks every
 * event against the ground truth taken right after the call from the
 * returned fd: readlink of /proc/self/fd/N and fstat. Runs:
 *   calm    nothing changes; open, openat (relative, through `..`), creat and
 *           openat2 in turn; no event may be flagged TOCTOU;
 *   flip    another thread flips one byte of the path once, around each call;
 *   toggle  another thread flips that byte back and forth in a tight loop
 *           (A->B->A: the enter and exit copies agree, the file may not);
 *   swap    the path is a symlink another thread keeps re-pointing (rename
 *           of a fresh symlink over it) between two files.
 * Every call must have its event, and every event's opened/dev/ino must equal
 * the truth: 100 %, not a proportion.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define OPENED_CALLS 3000u /* calls per run */

enum run_kind { RUN_CALM, RUN_FLIP, RUN_TOGGLE, RUN_SWAP };
static const char *const run_names[] = { "calm", "flip", "toggle", "swap" };

/* What one call returned and what its fd really was (taken before close). */
struct truth {
	uint16_t type;        /* the SCAP_EV_*_X the call makes */
	long res;
	char path[PATH_MAX];  /* readlink /proc/self/fd/res */
	uint64_t dev, ino;
	char asked[256];      /* the path buffer right after the call */
};

/* What the event said. */
struct seen {
	uint16_t type;
	int64_t res;
	char opened[PATH_MAX];
	bool opened_empty;
	uint64_t dev, ino;
	char pathname[256];
	unsigned flags;
};

struct opened_run {
	enum run_kind kind;
	char dir[200];            /* the run's directory */
	int dirfd;
	char name_a[256], name_b[256], link[256], link_tmp[256];
	char path[256];           /* the buffer the opener passes */
	size_t flip_at;
	char a, b;
	struct truth *truth;
	atomic_uint calls;        /* calls made (truth filled) */
	atomic_uint go, done;     /* flip: the call the flipper may flip for, the last it flipped */
	atomic_bool stop;
	atomic_bool running;
	atomic_bool started;
	bool have_openat2;
	pid_t tid;
};

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* The calm run cycles through the family; the races use openat. */
static long one_call(struct opened_run *r, unsigned i, uint16_t *type)
{
	struct { uint64_t flags, mode, resolve; } how = { O_RDONLY | O_CLOEXEC, 0, 0 };
	char rel[300];

	if (r->kind != RUN_CALM) {
		*type = SCAP_EV_OPENAT_X;
		return syscall(SYS_openat, AT_FDCWD, r->path, O_RDONLY | O_CLOEXEC, i);
	}
	switch (i % 4) {
	case 0:
#ifdef SYS_open
		*type = SCAP_EV_OPEN_X;
		return syscall(SYS_open, r->name_a, O_RDONLY | O_CLOEXEC, i);
#else
		/* arm64 has no open(2) or creat(2): their rows are openat's there. */
		*type = SCAP_EV_OPENAT_X;
		return syscall(SYS_openat, AT_FDCWD, r->name_a, O_RDONLY | O_CLOEXEC, i);
#endif
	case 1:
		/* Relative to a directory fd, through `..` and a symlink: what the buffer hides. */
		snprintf(rel, sizeof(rel), "../%s/%s", strrchr(r->dir, '/') + 1, strrchr(r->link, '/') + 1);
		*type = SCAP_EV_OPENAT_X;
		return syscall(SYS_openat, r->dirfd, rel, O_RDONLY | O_CLOEXEC, i);
	case 2:
#ifdef SYS_creat
		*type = SCAP_EV_CREAT_X;
		return syscall(SYS_creat, r->name_b, 0600);
#else
		*type = SCAP_EV_OPENAT_X;
		return syscall(SYS_openat, AT_FDCWD, r->name_b, O_CREAT | O_WRONLY | O_TRUNC, 0600);
#endif
	default:
		/* Kernels before 5.6 have no openat2: openat again there. */
		if (!r->have_openat2) {
			*type = SCAP_EV_OPENAT_X;
			return syscall(SYS_openat, AT_FDCWD, r->name_a, O_RDONLY | O_CLOEXEC, i);
		}
		*type = SCAP_EV_OPENAT2_X;
		return syscall(SYS_openat2, AT_FDCWD, r->name_a, &how, sizeof(how));
	}
}

static void *opener(void *p)
{
	struct opened_run *r = p;
	unsigned i;

	pin_self(0);
	r->tid = live_gettid();
	atomic_store(&r->running, true);
	atomic_store(&r->started, true);
	for (i = 0; i < OPENED_CALLS && !atomic_load(&r->stop); i++) {
		struct truth *tr = &r->truth[i];
		char proc[64];
		struct stat st;
		ssize_t n;

		if (r->kind == RUN_FLIP) {
			r->path[r->flip_at] = r->a;
			atomic_store(&r->go, i + 1); /* the flipper flips once, now or during the call */
		}
		tr->res = one_call(r, i, &tr->type);
		if (tr->res < 0)
			tr->res = -errno; /* as the event's res says it */
		snprintf(tr->asked, sizeof(tr->asked), "%s", r->path);
		if (tr->res >= 0) {
			snprintf(proc, sizeof(proc), "/proc/self/fd/%ld", tr->res);
			n = readlink(proc, tr->path, sizeof(tr->path) - 1);
			tr->path[n > 0 ? n : 0] = '\0';
			if (fstat((int)tr->res, &st) == 0) {
				tr->dev = st.st_dev;
				tr->ino = st.st_ino;
			}
			close((int)tr->res);
		}
		if (r->kind == RUN_FLIP)
			while (atomic_load(&r->done) != i + 1 && !atomic_load(&r->stop))
				sched_yield();
		atomic_store(&r->calls, i + 1);
	}
	atomic_store(&r->running, false);
	return NULL;
}

static void *racer(void *p)
{
	struct opened_run *r = p;
	volatile char *c = &r->path[r->flip_at];
	unsigned spin = 0;

	pin_self(1);
	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		switch (r->kind) {
		case RUN_FLIP: {
			unsigned want = atomic_load(&r->go);

			if (want == atomic_load(&r->done))
				break;
			/* A varying delay, so that the one flip lands before, during and after the call. */
			for (volatile unsigned k = 0; k < (spin * 37u) % 4000u; k++)
				;
			spin++;
			*c = r->b;
			atomic_store(&r->done, want);
			break;
		}
		case RUN_TOGGLE:
			*c = r->b;
			*c = r->a;
			break;
		case RUN_SWAP:
			unlink(r->link_tmp);
			if (symlink((spin++ & 1) ? r->name_b : r->name_a, r->link_tmp) == 0)
				rename(r->link_tmp, r->link);
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

static void take(struct seen *s, const struct scap_event *ev)
{
	struct scap_param p;

	memset(s, 0, sizeof(*s));
	s->type = scap_event_type(ev);
	s->flags = scap_event_flags(ev);
	if (scap_event_param_by_name(ev, "res", &p) == 0)
		s->res = p.v.i;
	if (scap_event_param_by_name(ev, "opened", &p) == 0 && p.str)
		snprintf(s->opened, sizeof(s->opened), "%s", p.str);
	s->opened_empty = s->opened[0] == '\0';
	if (scap_event_param_by_name(ev, "opened_dev", &p) == 0)
		s->dev = p.len ? p.v.u : UINT64_MAX;
	if (scap_event_param_by_name(ev, "opened_ino", &p) == 0)
		s->ino = p.len ? p.v.u : UINT64_MAX;
	if (scap_event_param_by_name(ev, "pathname", &p) == 0 && p.str)
		snprintf(s->pathname, sizeof(s->pathname), "%s", p.str);
}

/*
 * One run: LIVE_PASS, LIVE_FAIL or LIVE_SKIP. *hidden counts the events whose
 * pathname named another file than the one opened (what the buffer hid), and
 * *hidden_flagged those of them the TOCTOU flag caught.
 */
static int one_run(struct live_test *t, struct scap *h, struct opened_run *r, unsigned *checked,
		   unsigned *hidden, unsigned *hidden_flagged)
{
	struct seen *seen = calloc(OPENED_CALLS, sizeof(*seen));
	unsigned nseen = 0, calls, i, flagged = 0;
	pthread_t to, tr;
	bool race = r->kind != RUN_CALM, joined = false;
	uint64_t deadline;
	bool stopping = false;
	int result = LIVE_PASS;

	*checked = *hidden = *hidden_flagged = 0;
	if (!seen)
		return live_fail(t, "out of memory");
	atomic_store(&r->stop, false);
	atomic_store(&r->calls, 0);
	atomic_store(&r->go, 0);
	atomic_store(&r->done, 0);
	atomic_store(&r->started, false);
	snprintf(r->path, sizeof(r->path), "%s", r->kind == RUN_SWAP ? r->link : r->name_a);
	live_drain(h);
	if (race && pthread_create(&tr, NULL, racer, r)) {
		free(seen);
		return live_fail(t, "cannot start the racing thread");
	}
	if (pthread_create(&to, NULL, opener, r)) {
		atomic_store(&r->stop, true);
		if (race)
			pthread_join(tr, NULL);
		free(seen);
		return live_fail(t, "cannot start the opening thread");
	}
	while (!atomic_load(&r->started))
		sched_yield();
	deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS + 60000;
	for (;;) {
		const struct scap_event *ev;
		int rc;

		if (!joined && !atomic_load(&r->running)) {
			pthread_join(to, NULL);
			joined = true;
		}
		if (joined && nseen >= atomic_load(&r->calls))
			break;
		/*
		 * A slow guest (TCG) may not finish the calls in time: stop them,
		 * then still wait for the events of the calls that were made.
		 */
		if (live_now_ms() > deadline) {
			if (stopping)
				break;
			atomic_store(&r->stop, true);
			stopping = true;
			deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS;
		}
		rc = scap_next(h, &ev, NULL, 100);
		if (rc == -EAGAIN || rc == -EINTR)
			continue;
		if (rc < 0) {
			result = live_fail(t, "scap_next: %s", scap_last_error(h));
			break;
		}
		if (scap_event_tid(ev) != (uint32_t)r->tid || scap_event_dir(ev) != SCAP_DIR_EXIT)
			continue;
		if (nseen < OPENED_CALLS)
			take(&seen[nseen], ev);
		nseen++;
	}
	atomic_store(&r->stop, true);
	if (!joined)
		pthread_join(to, NULL);
	if (race)
		pthread_join(tr, NULL);
	calls = atomic_load(&r->calls);
	if (result == LIVE_PASS && nseen != calls) {
		struct scap_stats st = { .sz = sizeof(st) };

		scap_get_stats(h, &st);
		result = live_fail(t, "%s: %u calls, %u events (drops %llu)", run_names[r->kind], calls, nseen,
				   (unsigned long long)st.drops);
	}
	for (i = 0; result == LIVE_PASS && i < calls; i++) {
		const struct truth *tr = &r->truth[i];
		const struct seen *s = &seen[i];

		if (s->type != tr->type || s->res != tr->res) {
			result = live_fail(t, "%s: call %u made event %u res %lld, expected event %u res %ld",
					   run_names[r->kind], i, s->type, (long long)s->res, tr->type, tr->res);
			break;
		}
		if (tr->res < 0) {
			result = live_fail(t, "%s: call %u failed (%s): every path must exist", run_names[r->kind],
					   i, strerror((int)-tr->res));
			break;
		}
		/* The bpf engine without kernel BTF has no struct file offsets: empty, as documented. */
		if (live_no_task_btf()) {
			if (!s->opened_empty || s->dev != UINT64_MAX || s->ino != UINT64_MAX) {
				result = live_fail(t, "%s: call %u: bpf without BTF filled opened '%s' dev %llu",
						   run_names[r->kind], i, s->opened, (unsigned long long)s->dev);
				break;
			}
			(*checked)++;
			continue;
		}
		if (strcmp(s->opened, tr->path) || s->dev != tr->dev || s->ino != tr->ino) {
			result = live_fail(t,
					   "%s: call %u opened '%s' dev %llu ino %llu; event says '%s' dev %llu ino %llu",
					   run_names[r->kind], i, tr->path, (unsigned long long)tr->dev,
					   (unsigned long long)tr->ino, s->opened, (unsigned long long)s->dev,
					   (unsigned long long)s->ino);
			break;
		}
		if (s->flags & SCAP_EVF_TOCTOU)
			flagged++;
		/* The buffer named the other file: the case a rule reading pathname gets wrong. */
		if (r->kind == RUN_FLIP || r->kind == RUN_TOGGLE) {
			const char *base = strrchr(tr->path, '/');

			if (base && strcmp(base + 1, strrchr(s->pathname, '/') ? strrchr(s->pathname, '/') + 1 : s->pathname)) {
				(*hidden)++;
				if (s->flags & SCAP_EVF_TOCTOU)
					(*hidden_flagged)++;
			}
		}
		(*checked)++;
	}
	if (result == LIVE_PASS && r->kind == RUN_CALM && flagged)
		result = live_fail(t, "calm: %u of %u events flagged TOCTOU with nothing changing", flagged, calls);
	free(seen);
	return result;
}

int test_opened_truth(struct live_test *t)
{
	/* scap_open refuses a syscall this architecture lacks (arm64: open, creat). */
	static const char *const sel[] = {
#ifdef SYS_open
		"open",
#endif
#ifdef SYS_creat
		"creat",
#endif
		"openat", "openat2", NULL
	};
	struct scap_open_opts o = { .syscalls = sel };
	struct opened_run *r;
	char msg[sizeof(t->msg)] = "";
	size_t off = 0;
	struct scap *h;
	int res = LIVE_PASS, fd;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return live_skip(t, "needs two online CPUs: one opens, the other races it");
	r = calloc(1, sizeof(*r));
	if (r)
		r->truth = calloc(OPENED_CALLS, sizeof(*r->truth));
	if (!r || !r->truth) {
		free(r);
		return live_fail(t, "out of memory");
	}
	live_tmp_path(r->dir, sizeof(r->dir), "opened");
	if (mkdir(r->dir, 0700) < 0) {
		res = live_fail(t, "cannot create %s: %s", r->dir, strerror(errno));
		goto out_free;
	}
	snprintf(r->name_a, sizeof(r->name_a), "%s/file_A", r->dir);
	snprintf(r->name_b, sizeof(r->name_b), "%s/file_B", r->dir);
	snprintf(r->link, sizeof(r->link), "%s/link", r->dir);
	snprintf(r->link_tmp, sizeof(r->link_tmp), "%s/link.tmp", r->dir);
	r->flip_at = strlen(r->name_a) - 1;
	r->a = 'A';
	r->b = 'B';
	for (const char *n = r->name_a; n; n = n == r->name_a ? r->name_b : NULL) {
		fd = open(n, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (fd < 0) {
			res = live_fail(t, "cannot create %s: %s", n, strerror(errno));
			goto out_files;
		}
		close(fd);
	}
	if (symlink(r->name_b, r->link) < 0) {
		res = live_fail(t, "cannot create %s: %s", r->link, strerror(errno));
		goto out_files;
	}
	{
		struct { uint64_t flags, mode, resolve; } how = { O_RDONLY | O_CLOEXEC, 0, 0 };
		long fd2 = syscall(SYS_openat2, AT_FDCWD, r->name_a, &how, sizeof(how));

		r->have_openat2 = fd2 >= 0 || errno != ENOSYS;
		if (fd2 >= 0)
			close((int)fd2);
	}
	r->dirfd = open(r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->dirfd < 0) {
		res = live_fail(t, "cannot open %s: %s", r->dir, strerror(errno));
		goto out_files;
	}

	live_shared_close();
	h = live_open(t, &o);
	if (!h) {
		res = LIVE_FAIL;
		goto out_files;
	}
	for (int k = RUN_CALM; k <= RUN_SWAP && res == LIVE_PASS; k++) {
		unsigned checked, hidden, hidden_flagged;

		r->kind = (enum run_kind)k;
		res = one_run(t, h, r, &checked, &hidden, &hidden_flagged);
		if (res != LIVE_PASS)
			break;
		off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s %u/%u %s", off ? "; " : "",
					run_names[k], checked, checked, live_no_task_btf() ? "empty" : "exact");
		if (k == RUN_FLIP || k == RUN_TOGGLE)
			off += (size_t)snprintf(msg + off, sizeof(msg) - off,
						" (pathname named the other file in %u, TOCTOU-flagged %u)", hidden,
						hidden_flagged);
	}
	if (res == LIVE_PASS)
		snprintf(t->msg, sizeof(t->msg), "%s%s",
			 live_no_task_btf() ? "bpf without BTF: every opened, opened_dev, opened_ino empty, as documented: " : "",
			 msg);
	scap_close(h);
out_files:
	if (r->dirfd > 0)
		close(r->dirfd);
	unlink(r->link_tmp);
	unlink(r->link);
	unlink(r->name_a);
	unlink(r->name_b);
	rmdir(r->dir);
out_free:
	free(r->truth);
	free(r);
	return res;
}
