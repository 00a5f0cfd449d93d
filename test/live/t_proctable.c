// SPDX-License-Identifier: Apache-2.0
/*
 * The process table live: every event resolves to the process that made
 * it, as /proc and the process itself say (proc_truth.h).
 *
 *   proc_before_capture  a process started before the capture: its openat
 *                        carries what /proc showed before scap_start; a
 *                        restart (scap_stop, scap_start) scans again
 *   proc_chain           fork -> exec -> fork -> thread -> exec from the
 *                        thread: every step's openat resolves to its process,
 *                        the events between a fork and the exec included
 *   proc_creds_exit      setgid/setuid and chdir change what later events
 *                        show; procexit ends the entry, which goes exactly
 *                        when the stream passes its end plus the grace period
 *
 * Each opens a handle that selects openat only: the lifecycle rows the table
 * needs are captured and hidden (a test fails if one is delivered).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_truth.h"

/* ---- the helper: this executable run as a new image ------------------------------ */

static int helper_open(const char *tag, const char *path, int fd)
{
	proc_truth_report(fd, tag);
	syscall(SYS_openat, AT_FDCWD, path, O_RDONLY, 0);
	return 0;
}

struct chain_thread {
	const char *dir;
	int fd;
};

/* A thread of the second process: reports, opens m4, then runs a new image
 * from this non-leader thread, which takes over the leader's tid. */
static void *chain_thread(void *arg)
{
	struct chain_thread *c = arg;
	char m4[PATH_MAX + 8], m5[PATH_MAX + 8], fd[16];

	snprintf(m4, sizeof(m4), "%s/m4", c->dir);
	snprintf(m5, sizeof(m5), "%s/m5", c->dir);
	snprintf(fd, sizeof(fd), "%d", c->fd);
	helper_open("m4", m4, c->fd);
	execl(proc_self_exe(), "scap_live", "--proc-helper", "open", "m5", m5, fd, (char *)NULL);
	_exit(126);
}

/* After the first exec: m2, then a fork whose child opens m3 and starts the thread. */
static int helper_chain(const char *dir, int fd)
{
	char m2[PATH_MAX + 8], m3[PATH_MAX + 8];
	int st = 0;
	pid_t c;

	snprintf(m2, sizeof(m2), "%s/m2", dir);
	snprintf(m3, sizeof(m3), "%s/m3", dir);
	helper_open("m2", m2, fd);
	c = fork();
	if (c < 0)
		return 2;
	if (c == 0) {
		static struct chain_thread ct;
		pthread_t th;

		helper_open("m3", m3, fd);
		ct.dir = dir;
		ct.fd = fd;
		if (pthread_create(&th, NULL, chain_thread, &ct) != 0)
			_exit(3);
		pthread_join(th, NULL); /* never returns: the thread's exec ends this thread */
		_exit(4);
	}
	while (waitpid(c, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 5;
}

int proc_helper_main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[2], "open") == 0)
		return helper_open(argv[3], argv[4], atoi(argv[5]));
	if (argc == 5 && strcmp(argv[2], "chain") == 0)
		return helper_chain(argv[3], atoi(argv[4]));
	fprintf(stderr, "scap_live --proc-helper: bad arguments\n");
	return 2;
}

/* ---- the tests' plumbing ---------------------------------------------------------- */

static int make_dir(struct live_test *t, char *dir, size_t len, const char *name)
{
	char made[PATH_MAX], real[PATH_MAX];

	live_tmp_path(made, sizeof(made), name);
	if (mkdir(made, 0755) < 0)
		return live_fail(t, "mkdir %s: %s", made, strerror(errno));
	if (!realpath(made, real) || strlen(real) >= len)
		return live_fail(t, "realpath %s: %s", made, strerror(errno));
	memcpy(dir, real, strlen(real) + 1);
	return LIVE_PASS;
}

static void set_args(struct proc_truth *w, char *const *argv)
{
	w->args_len = 0;
	for (unsigned i = 0; argv[i]; i++) {
		size_t k = strlen(argv[i]) + 1;

		memcpy(w->args + w->args_len, argv[i], k);
		w->args_len += (uint32_t)k;
	}
}

/* ---- a process started before the capture ----------------------------------------- */

int test_proc_before_capture(struct live_test *t)
{
	char dir[1024], want_json[3 * PATH_MAX + 256], cid[SCAP_PROC_CONTAINER_ID_LEN], file[PATH_MAX];
	char cat_json[256] = "";
	struct scap_dumper *d = NULL;
	FILE *lines;
	struct proc_truth truth;
	struct proc_marker m = { .what = "the sleeper's openat" };
	struct scap_proc p = { .sz = sizeof(p) };
	int go[2], r, fd;
	ssize_t k;
	struct scap *h;
	pid_t c;

	live_shared_close();
	if ((r = make_dir(t, dir, sizeof(dir), "before")) != LIVE_PASS)
		return r;
	snprintf(m.path, sizeof(m.path), "%s/marker", dir);
	if (pipe(go) < 0)
		return live_fail(t, "pipe: %s", strerror(errno));
	c = fork();
	if (c == 0) {
		char b;

		/* A daemon-like process: its own name and directory, asleep until told. */
		prctl(PR_SET_NAME, "scap-sleeper", 0, 0, 0);
		if (chdir(dir) < 0)
			_exit(1);
		close(go[1]);
		if (read(go[0], &b, 1) != 1)
			_exit(2);
		syscall(SYS_openat, AT_FDCWD, "marker", O_RDONLY, 0);
		if (read(go[0], &b, 1) < 0)
			_exit(3);
		_exit(0);
	}
	close(go[0]);
	if (c < 0)
		return live_fail(t, "fork: %s", strerror(errno));
	/* What /proc shows before the capture starts. */
	for (int i = 0; i < 1000; i++) {
		if (proc_truth_read(c, &truth) == 0 && strcmp(truth.comm, "scap-sleeper") == 0 &&
		    strcmp(truth.cwd, dir) == 0)
			break;
		usleep(1000);
	}
	if (strcmp(truth.comm, "scap-sleeper") != 0 || strcmp(truth.cwd, dir) != 0) {
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
		return live_fail(t, "the sleeper did not settle: comm \"%s\", cwd \"%s\"", truth.comm, truth.cwd);
	}
	/* Its argv: the test's own (it forked without an exec). */
	fd = open("/proc/self/cmdline", O_RDONLY);
	k = fd >= 0 ? read(fd, truth.args, sizeof(truth.args)) : -1;
	if (fd >= 0)
		close(fd);
	truth.args_len = k > 0 && (size_t)k < sizeof(truth.args) ? (uint32_t)k : 0;
	scap_container_id(truth.cgroup, cid, sizeof(cid));
	snprintf(want_json, sizeof(want_json),
		 "\"pid\":%u,\"comm\":\"scap-sleeper\",\"event\":\"openat\",\"dir\":\"exit\",\"params\":"
		 "{\"res\":-2,\"dirfd\":-100,\"pathname\":\"marker\",\"flags\":\"O_RDONLY\",\"mode\":\"0\","
		 "\"opened\":null,\"opened_dev\":null,\"opened_ino\":null},"
		 "\"proc\":{\"exe\":\"%s\",\"ppid\":%u,\"uid\":%u,\"gid\":%u,\"cwd\":\"%s\",\"container_id\":\"%s\"}}",
		 truth.pid, truth.exe, truth.ppid, truth.uid, truth.gid, truth.cwd, cid);
	m.json_has = want_json;
	snprintf(m.path, sizeof(m.path), "marker");

	h = proc_open_tracking(t, 0);
	if (!h) {
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
		return LIVE_FAIL;
	}
	/* Recorded as `scap capture --write` does: after scap_start, each event delivered. */
	live_tmp_path(file, sizeof(file), "before.scap");
	lines = tmpfile();
	if (!lines || scap_dump_open(&d, h, file, NULL) < 0) {
		r = live_fail(t, "recording to %s: %s", file, lines ? scap_last_error(h) : strerror(errno));
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
		scap_close(h);
		if (lines)
			fclose(lines);
		return r;
	}
	proc_record(d, lines);
	m.want = &truth;
	if (write(go[1], "g", 1) != 1)
		r = live_fail(t, "cannot wake the sleeper: %s", strerror(errno));
	else
		r = proc_expect_markers(t, h, &m, 1, true);
	/* A process made during the capture (its clone and execve recorded for the table only). */
	if (r == LIVE_PASS) {
		pid_t cat = fork();

		if (cat == 0) {
			int nul = open("/dev/null", O_WRONLY);

			if (nul >= 0)
				dup2(nul, 2); /* "cat: m2: No such file": its openat is what counts */
			if (chdir(dir) == 0)
				execl("/bin/cat", "cat", "m2", (char *)NULL);
			_exit(127);
		}
		if (cat < 0 || waitpid(cat, NULL, 0) != cat)
			r = live_fail(t, "fork /bin/cat: %s", strerror(errno));
		snprintf(cat_json, sizeof(cat_json),
			 "\"tid\":%d,\"pid\":%d,\"comm\":\"cat\",\"event\":\"openat\",\"dir\":\"exit\",\"params\":"
			 "{\"res\":-2,\"dirfd\":-100,\"pathname\":\"m2\",", (int)cat, (int)cat);
	}
	if (r == LIVE_PASS && scap_stop(h) < 0)
		r = live_fail(t, "scap_stop: %s", scap_last_error(h));
	if (r == LIVE_PASS)
		r = proc_record_drain(t, h);
	proc_record(NULL, NULL);
	if (scap_dump_close(d) < 0 && r == LIVE_PASS)
		r = live_fail(t, "scap_dump_close: %s", scap_last_error(h));
	/* Replayed: every line as the live one, the sleeper's with what /proc showed. */
	if (r == LIVE_PASS)
		r = proc_replay_check(t, file, lines, want_json);
	/* Its process known through the rows the table added: exe where the engine reads it. */
	if (r == LIVE_PASS) {
		const char *proc_has = proc_engine_has_task_ctx() ? "\"proc\":{\"exe\":\"/" : "\"proc\":{";
		char *l = NULL;
		size_t cap = 0;
		bool seen = false;

		rewind(lines);
		while (!seen && getline(&l, &cap, lines) > 0)
			seen = strstr(l, cat_json) && strstr(l, proc_has);
		free(l);
		if (!seen)
			r = live_fail(t, "no line of the recording holds %s with %s: the cat made during the capture",
				      cat_json, proc_has);
	}
	fclose(lines);
	unlink(file);
	/* No event changed it: its newest source is the scan. */
	if (r == LIVE_PASS && (scap_proc_lookup(h, (uint32_t)c, &p) != 0 || !(p.flags & SCAP_PROC_F_FROM_SCAN)))
		r = live_fail(t, "the sleeper's entry does not say it came from the scan (flags %#x)", p.flags);
	/* A restart scans again: what happened while stopped is not in the stream. */
	if (r == LIVE_PASS) {
		struct scap_stats st = { .sz = sizeof(st) };

		if (scap_stop(h) < 0 || scap_start(h) < 0 || scap_get_stats(h, &st) < 0)
			r = live_fail(t, "stop and start: %s", scap_last_error(h));
		else if (st.proc_scans != 2 || scap_proc_lookup(h, (uint32_t)c, &p) != 0 ||
			 strcmp(p.comm, "scap-sleeper") != 0 || !(p.flags & SCAP_PROC_F_FROM_SCAN))
			r = live_fail(t, "after a restart: %llu scans, the sleeper's entry comm \"%s\" flags %#x",
				      (unsigned long long)st.proc_scans, p.comm, p.flags);
	}
	close(go[1]);
	waitpid(c, NULL, 0);
	scap_close(h);
	rmdir(dir);
	return r;
}

/* ---- fork -> exec -> fork -> thread -> exec from the thread -------------------------- */

int test_proc_chain(struct live_test *t)
{
	char dir[1024], fdtext[16], m1[PATH_MAX];
	struct proc_truth truths[8], *w[6];
	struct proc_marker m[5] = { { .what = NULL } }; /* json_has and found unset: zero, not stack garbage */
	int rep[2], st = 0, r;
	unsigned n;
	struct scap *h;
	pid_t c1;
	bool full = proc_engine_has_task_ctx();

	h = proc_open_tracking(t, 0);
	if (!h)
		return LIVE_FAIL;
	if ((r = make_dir(t, dir, sizeof(dir), "chain")) != LIVE_PASS || pipe(rep) < 0) {
		scap_close(h);
		return r != LIVE_PASS ? r : live_fail(t, "pipe: %s", strerror(errno));
	}
	snprintf(fdtext, sizeof(fdtext), "%d", rep[1]);
	snprintf(m1, sizeof(m1), "%s/m1", dir);
	c1 = fork();
	if (c1 == 0) {
		/* Between the fork and the exec: still the test's image. */
		close(rep[0]);
		helper_open("m1", m1, rep[1]);
		execl(proc_self_exe(), "scap_live", "--proc-helper", "chain", dir, fdtext, (char *)NULL);
		_exit(127);
	}
	close(rep[1]);
	if (c1 < 0) {
		scap_close(h);
		return live_fail(t, "fork: %s", strerror(errno));
	}
	n = proc_truth_collect(rep[0], truths, 8);
	close(rep[0]);
	waitpid(c1, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || n != 5) {
		scap_close(h);
		return live_fail(t, "the chain did not run: status %#x, %u of 5 steps reported", st, n);
	}
	for (unsigned i = 0; i < 5; i++) {
		char tag[8];

		snprintf(tag, sizeof(tag), "m%u", i + 1);
		w[i] = proc_truth_find(truths, n, tag);
		if (!w[i]) {
			scap_close(h);
			return live_fail(t, "step %s did not report", tag);
		}
		snprintf(m[i].path, sizeof(m[i].path), "%s/%s", dir, tag);
		m[i].want = w[i];
		m[i].found = false;
	}
	m[0].what = "m1 (forked, before its exec)";
	m[1].what = "m2 (after the exec)";
	m[2].what = "m3 (forked from the new image)";
	m[3].what = "m4 (a thread of it)";
	m[4].what = "m5 (the thread's exec, as the leader)";
	/* The relations the steps must show. */
	if (w[1]->tid != (uint32_t)c1 || w[2]->ppid != (uint32_t)c1 || w[3]->pid != w[2]->pid ||
	    w[3]->tid == w[2]->tid || w[4]->tid != w[2]->pid) {
		scap_close(h);
		return live_fail(t, "the chain ran differently than planned: m2 tid %u (c1 %d), m3 ppid %u, m4 %u/%u, "
				 "m5 tid %u", w[1]->tid, (int)c1, w[2]->ppid, w[3]->tid, w[3]->pid, w[4]->tid);
	}
	/* Arguments: the test's own until the exec, then each image's. */
	{
		char *chain_argv[] = { "scap_live", "--proc-helper", "chain", dir, fdtext, NULL };
		char m5[PATH_MAX];
		char *open_argv[] = { "scap_live", "--proc-helper", "open", "m5", m5, fdtext, NULL };
		char self[4096];
		int fd = open("/proc/self/cmdline", O_RDONLY);
		ssize_t k = fd >= 0 ? read(fd, self, sizeof(self)) : -1;

		if (fd >= 0)
			close(fd);
		snprintf(m5, sizeof(m5), "%s/m5", dir);
		if (k > 0 && (size_t)k < sizeof(self)) {
			memcpy(w[0]->args, self, (size_t)k);
			w[0]->args_len = (uint32_t)k;
		}
		set_args(w[1], chain_argv);
		set_args(w[2], chain_argv);
		set_args(w[3], chain_argv);
		set_args(w[4], open_argv);
		r = proc_expect_markers(t, h, m, 5, full);
	}
	/* The thread that exec'd no longer exists under its own tid. */
	if (r == LIVE_PASS) {
		struct scap_proc p = { .sz = sizeof(p) };

		if (scap_proc_lookup(h, w[3]->tid, &p) == 0 && !(p.flags & SCAP_PROC_F_ENDED))
			r = live_fail(t, "tid %u, which exec'd and became %u, is still a live entry", w[3]->tid,
				      w[4]->tid);
	}
	scap_close(h);
	for (unsigned i = 1; i <= 5; i++) {
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/m%u", dir, i);
		unlink(p);
	}
	rmdir(dir);
	return r;
}

/* ---- credentials, directory, the end and the grace period ---------------------------- */

#define GRACE_MS 1000u

static void *poke(void *arg)
{
	syscall(SYS_openat, AT_FDCWD, (const char *)arg, O_RDONLY, 0);
	return NULL;
}

int test_proc_creds_exit(struct live_test *t)
{
	char dir[1024], tmp[PATH_MAX], m1[PATH_MAX], m2[PATH_MAX], pokepath[PATH_MAX];
	struct proc_truth truths[4], *w1, *w2;
	struct proc_marker m[2] = { { .what = "m1 (as root)" }, { .what = "m2 (after setgid, setuid, chdir)" } };
	struct scap_proc p = { .sz = sizeof(p) };
	int rep[2], st = 0, r;
	unsigned n;
	struct scap *h;
	pid_t c;
	bool full = proc_engine_has_task_ctx();

	if (geteuid() != 0)
		return live_skip(t, "not root: setuid needs it");
	if (!realpath("/", tmp))
		return live_fail(t, "realpath /: %s", strerror(errno));
	h = proc_open_tracking(t, GRACE_MS);
	if (!h)
		return LIVE_FAIL;
	if ((r = make_dir(t, dir, sizeof(dir), "creds")) != LIVE_PASS || pipe(rep) < 0) {
		scap_close(h);
		return r != LIVE_PASS ? r : live_fail(t, "pipe: %s", strerror(errno));
	}
	chmod(dir, 0777);
	snprintf(m1, sizeof(m1), "%s/m1", dir);
	snprintf(m2, sizeof(m2), "%s/m2", dir);
	live_tmp_path(pokepath, sizeof(pokepath), "poke");
	c = fork();
	if (c == 0) {
		close(rep[0]);
		helper_open("m1", m1, rep[1]);
		if (setgid(65534) < 0 || setuid(65534) < 0 || chdir("/") < 0)
			_exit(1);
		helper_open("m2", m2, rep[1]);
		_exit(5);
	}
	close(rep[1]);
	n = proc_truth_collect(rep[0], truths, 4);
	close(rep[0]);
	waitpid(c, &st, 0);
	w1 = proc_truth_find(truths, n, "m1");
	w2 = proc_truth_find(truths, n, "m2");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 5 || !w1 || !w2) {
		scap_close(h);
		return live_fail(t, "the child did not run as planned: status %#x, %u reports", st, n);
	}
	if (w2->uid != 65534 || w2->gid != 65534 || strcmp(w2->cwd, tmp) != 0) {
		scap_close(h);
		return live_fail(t, "the child's ids or directory did not change: uid %u gid %u cwd %s", w2->uid,
				 w2->gid, w2->cwd);
	}
	m[0].want = w1;
	m[1].want = w2;
	snprintf(m[0].path, sizeof(m[0].path), "%s", m1);
	snprintf(m[1].path, sizeof(m[1].path), "%s", m2);
	/* The set*id and chdir rows carry their results in every engine that reads
	 * the task: then the later event shows them exactly. */
	r = proc_expect_markers(t, h, m, 2, full);
	if (r != LIVE_PASS)
		goto out;

	/* procexit: the entry ends (status 5 << 8, the last thread), stays readable... */
	{
		uint64_t deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS, end_ts = 0, last_present_ts = 0;
		const struct scap_event *ev;
		pid_t tid;

		for (;;) {
			if (live_now_ms() > deadline) {
				r = live_fail(t, "the child's entry did not end within %d ms (lookup: %s)",
					      LIVE_EVENT_DEADLINE_MS, strerror(-scap_proc_lookup(h, (uint32_t)c, &p)));
				goto out;
			}
			if (scap_proc_lookup(h, (uint32_t)c, &p) == 0 && (p.flags & SCAP_PROC_F_ENDED))
				break;
			live_run_thread(poke, pokepath, &tid);
			/*
			 * Looked up after each event: a backlog read in one go (a busy
			 * host) could take the stream past the end plus the grace period
			 * before the first look, and the entry would be gone unseen.
			 */
			while (scap_next(h, &ev, NULL, 10) == 0)
				if (scap_proc_lookup(h, (uint32_t)c, &p) == 0 && (p.flags & SCAP_PROC_F_ENDED))
					break;
		}
		/* Without the task context (bpf without BTF) procexit carries no status. */
		if (p.flags != (SCAP_PROC_F_ENDED | SCAP_PROC_F_PROC_ENDED) ||
		    (full && !(p.known & SCAP_PROC_HAS_EXIT)) ||
		    ((p.known & SCAP_PROC_HAS_EXIT) && p.exit_status != 5 << 8) || p.exit_ns == 0) {
			r = live_fail(t, "the ended entry: flags %#x, exit status %#x (known %d), exit_ns %llu; want "
				      "ended, process ended, status 0x500", p.flags, (unsigned)p.exit_status,
				      !!(p.known & SCAP_PROC_HAS_EXIT), (unsigned long long)p.exit_ns);
			goto out;
		}
		end_ts = p.exit_ns;
		/* ...and goes with the first event at or past its end plus the grace period. */
		deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS + GRACE_MS;
		for (;;) {
			int k;

			if (live_now_ms() > deadline) {
				r = live_fail(t, "the ended entry was still there %d ms after the grace period",
					      LIVE_EVENT_DEADLINE_MS);
				goto out;
			}
			live_run_thread(poke, pokepath, &tid);
			while ((k = scap_next(h, &ev, NULL, 10)) == 0) {
				uint64_t ts = scap_event_ts(ev);

				if (scap_proc_lookup(h, (uint32_t)c, &p) == 0) {
					if (ts >= end_ts + GRACE_MS * 1000000ull) {
						r = live_fail(t, "an event at %llu ns, past the end (%llu) plus %u ms, "
							      "went by and the entry stayed",
							      (unsigned long long)ts, (unsigned long long)end_ts, GRACE_MS);
						goto out;
					}
					last_present_ts = ts;
					continue;
				}
				if (ts < end_ts + GRACE_MS * 1000000ull) {
					r = live_fail(t, "the entry went at %llu ns, before its end (%llu) plus %u ms",
						      (unsigned long long)ts, (unsigned long long)end_ts, GRACE_MS);
					goto out;
				}
				(void)last_present_ts;
				goto out;
			}
		}
	}
out:
	scap_close(h);
	unlink(m1);
	unlink(m2);
	rmdir(dir);
	return r;
}
