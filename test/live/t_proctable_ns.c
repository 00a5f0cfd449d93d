// SPDX-License-Identifier: Apache-2.0
/*
 * The process table live, continued (see t_proctable.c):
 *
 *   proc_container  a cgroup made by the test and named as docker's systemd
 *                   driver names its containers (docker-<64 hex>.scope, under
 *                   the cgroup v2 root): a process moved there before the
 *                   capture (found by the /proc scan) and one moved there
 *                   during it that then runs a new image (as a runtime
 *                   starts a container) both get that container id
 *   proc_pid_reuse  a pid freed and given to a new process at once (clone3
 *                   with set_tid, or ns_last_pid where that is missing),
 *                   twenty times: every event resolves to the owner of the
 *                   pid at that moment, never the earlier one. Certain reuse
 *                   without lowering pid_max on a shared host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc_truth.h"

/* ---- a container's cgroup ------------------------------------------------------------ */

/* Where cgroup v2 is mounted (mountinfo: "... <mount point> ... - cgroup2 ..."), or "". */
static void cgroup2_mount(char *out, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];

	out[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		char mnt[1024], *dash = strstr(line, " - ");

		if (!dash || strncmp(dash + 3, "cgroup2 ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %1023s", mnt) == 1) {
			snprintf(out, len, "%s", mnt);
			break;
		}
	}
	if (f)
		fclose(f);
}

static int write_pid(const char *cg, pid_t pid)
{
	char path[PATH_MAX + 32], text[16];
	int fd, n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(text, sizeof(text), "%d", (int)pid);
	if (write(fd, text, (size_t)n) != n) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return 0;
}

int test_proc_container(struct live_test *t)
{
	char mnt[1024], cg[PATH_MAX], id[65], markers_dir[1024], fdtext[16];
	char path_a[PATH_MAX], path_b[PATH_MAX];
	struct proc_truth truth_a, truths[2], *truth_b;
	struct proc_marker m[2] = { { .what = NULL } }; /* found and json_has: zero, not stack garbage */
	bool mounted = false, full = proc_engine_has_task_ctx();
	int go_a[2], go_b[2], rep[2], r = LIVE_PASS, st = 0;
	struct scap *h = NULL;
	pid_t a = -1, b = -1;
	unsigned n;

	if (geteuid() != 0)
		return live_skip(t, "not root: making a cgroup needs it");
	cgroup2_mount(mnt, sizeof(mnt));
	if (!mnt[0]) {
		/* No cgroup v2 mounted (a minimal guest): mount it in a mount namespace of
		 * this test process only; the cgroups it makes are the host's. */
		live_tmp_path(mnt, sizeof(mnt), "cgroup2");
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mkdir(mnt, 0700) < 0)
			return live_skip(t, "cgroup v2 is not mounted and a private mount namespace failed: %s",
					 strerror(errno));
		if (mount("cgroup2", mnt, "cgroup2", 0, NULL) < 0) {
			int e = errno;

			rmdir(mnt);
			return live_skip(t, "cgroup v2 is not mounted and cannot be (%s): a kernel before 4.5 "
					 "has no cgroup v2 to name a container by", strerror(e));
		}
		mounted = true;
	}
	/* A docker-style id of this run: 64 hex digits. */
	snprintf(id, sizeof(id), "%016llx%016llx%016llx%016llx", (unsigned long long)getpid(),
		 (unsigned long long)time(NULL), 0x5ca9ca9ca9ca9ca9ull, (unsigned long long)live_now_ms());
	snprintf(cg, sizeof(cg), "%s/docker-%s.scope", mnt, id);
	if (mkdir(cg, 0755) < 0) {
		r = live_skip(t, "cannot make the cgroup %s: %s", cg, strerror(errno));
		goto out_mount;
	}
	live_tmp_path(markers_dir, sizeof(markers_dir), "cid");
	snprintf(path_a, sizeof(path_a), "%s-a", markers_dir);
	snprintf(path_b, sizeof(path_b), "%s-b", markers_dir);
	if (pipe(go_a) < 0 || pipe(go_b) < 0 || pipe(rep) < 0) {
		r = live_fail(t, "pipe: %s", strerror(errno));
		goto out_cg;
	}
	snprintf(fdtext, sizeof(fdtext), "%d", rep[1]);

	/* A: in the container before the capture starts. */
	a = fork();
	if (a == 0) {
		char c;

		/* The report pipe must see its end when the helper is done. */
		close(rep[0]);
		close(rep[1]);
		close(go_a[1]);
		if (read(go_a[0], &c, 1) != 1)
			_exit(1);
		syscall(SYS_openat, AT_FDCWD, path_a, O_RDONLY, 0);
		if (read(go_a[0], &c, 1) < 0)
			_exit(2);
		_exit(0);
	}
	if (a < 0 || write_pid(cg, a) < 0 || proc_truth_read(a, &truth_a) < 0) {
		r = live_fail(t, "cannot start a process in %s: %s", cg, strerror(errno));
		goto out_procs;
	}
	{
		char want_cg[PATH_MAX + 32], cid[SCAP_PROC_CONTAINER_ID_LEN];

		snprintf(want_cg, sizeof(want_cg), "/docker-%s.scope", id);
		scap_container_id(truth_a.cgroup, cid, sizeof(cid));
		if (strcmp(truth_a.cgroup, want_cg) != 0 || strcmp(cid, id) != 0) {
			r = live_fail(t, "/proc/%d/cgroup gives \"%s\" by the rule (container id \"%s\"), want \"%s\"",
				      (int)a, truth_a.cgroup, cid, want_cg);
			goto out_procs;
		}
	}
	h = proc_open_tracking(t, 0);
	if (!h) {
		r = LIVE_FAIL;
		goto out_procs;
	}
	/* B: moved there during the capture, then runs a new image. */
	b = fork();
	if (b == 0) {
		char c;

		close(rep[0]);
		close(go_a[1]);
		close(go_b[1]);
		if (read(go_b[0], &c, 1) != 1)
			_exit(1);
		execl(proc_self_exe(), "scap_live", "--proc-helper", "open", "b", path_b, fdtext, (char *)NULL);
		_exit(127);
	}
	close(rep[1]);
	rep[1] = -1;
	if (b < 0 || write_pid(cg, b) < 0 || write(go_b[1], "g", 1) != 1 || write(go_a[1], "g", 1) != 1) {
		r = live_fail(t, "cannot start the second process in %s: %s", cg, strerror(errno));
		goto out_procs;
	}
	n = proc_truth_collect(rep[0], truths, 2);
	waitpid(b, &st, 0);
	b = -1;
	truth_b = proc_truth_find(truths, n, "b");
	if (!truth_b || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		r = live_fail(t, "the second process did not run (status %#x)", st);
		goto out_procs;
	}
	snprintf(m[0].path, sizeof(m[0].path), "%s", path_a);
	m[0].what = "a process in the container since before the capture";
	m[0].want = &truth_a;
	snprintf(m[1].path, sizeof(m[1].path), "%s", path_b);
	m[1].what = "a process moved into the container, then exec'd";
	m[1].want = truth_b;
	/* Without the task context (bpf without BTF) the exec says no cgroup, and a
	 * move between cgroups is no event: only the scanned process can be checked. */
	r = proc_expect_markers(t, h, m, full ? 2 : 1, true);
	if (r == LIVE_PASS && !full)
		snprintf(t->msg, sizeof(t->msg), "the exec'd process not checked: this engine reads no cgroup here");
out_procs:
	if (a > 0) {
		kill(a, SIGKILL);
		waitpid(a, NULL, 0);
	}
	if (b > 0) {
		kill(b, SIGKILL);
		waitpid(b, NULL, 0);
	}
	scap_close(h);
	close(go_a[0]);
	close(go_a[1]);
	close(go_b[0]);
	close(go_b[1]);
	close(rep[0]);
	if (rep[1] >= 0)
		close(rep[1]);
out_cg:
	for (int i = 0; i < 100 && rmdir(cg) < 0 && errno == EBUSY; i++)
		usleep(10000);
out_mount:
	if (mounted) {
		umount(mnt);
		rmdir(mnt);
	}
	return r;
}

/* ---- a reused pid --------------------------------------------------------------------- */

#define REUSE_ROUNDS 20

struct clone_args_set_tid {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size;
};

/*
 * Forks a child with pid want: clone3's set_tid (Linux 5.5), else
 * ns_last_pid (CONFIG_CHECKPOINT_RESTORE), which other forks on the host
 * can beat: the caller retries. Returns the pid (the child gets 0), -EAGAIN
 * when want was not free or taken meanwhile, or -ENOTSUP with why set.
 */
static pid_t fork_at(pid_t want, char *why, size_t len)
{
#ifdef SYS_clone3
	{
		pid_t tid = want;
		struct clone_args_set_tid a = {
			.exit_signal = SIGCHLD, .set_tid = (uint64_t)(uintptr_t)&tid, .set_tid_size = 1,
		};
		long r = syscall(SYS_clone3, &a, sizeof(a));

		if (r >= 0)
			return (pid_t)r;
		if (errno == EEXIST)
			return -EAGAIN;
		snprintf(why, len, "clone3 with set_tid: %s", strerror(errno));
	}
#endif
	{
		char text[16];
		int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
		int n = snprintf(text, sizeof(text), "%d", (int)want - 1);
		pid_t c;

		if (fd < 0) {
			snprintf(why + strlen(why), len - strlen(why), "; ns_last_pid: %s", strerror(errno));
			return -ENOTSUP;
		}
		if (write(fd, text, (size_t)n) != n) {
			snprintf(why + strlen(why), len - strlen(why), "; writing ns_last_pid: %s", strerror(errno));
			close(fd);
			return -ENOTSUP;
		}
		close(fd);
		c = fork();
		if (c == 0 && getpid() != want)
			_exit(99); /* someone else's fork came first */
		if (c > 0 && c != want) {
			waitpid(c, NULL, 0);
			return -EAGAIN;
		}
		return c;
	}
}

int test_proc_pid_reuse(struct live_test *t)
{
	struct proc_truth *truths;
	struct proc_marker m[2 * REUSE_ROUNDS] = { { .what = NULL } };
	char dir[1024], fdtext[16], why[256] = "";
	/* A redone round's earlier owner has reported already: each attempt
	 * gets tags of its own ("a<round>.<attempt>"), so that a round's check
	 * finds the owners of the attempt that reused the pid. */
	unsigned attempt_of[REUSE_ROUNDS] = { 0 };
	int rep[2], r = LIVE_PASS, st;
	unsigned n, rounds = 0, retries = 0;
	struct scap *h;
	bool full = proc_engine_has_task_ctx();

	if (geteuid() != 0)
		return live_skip(t, "not root: choosing a pid needs CAP_SYS_ADMIN");
	/* Each owner is told by the argv its exec gave it. */
	if (live_bpf_no_exec_argv())
		return live_skip(t, "bpf's tracepoint mode without BTF has no new image's argv at execve's exit "
				 "on this architecture (no start_thread function to probe; docs/engines.md)");
	h = proc_open_tracking(t, 0);
	if (!h)
		return LIVE_FAIL;
	live_tmp_path(dir, sizeof(dir), "reuse");
	if (pipe(rep) < 0) {
		scap_close(h);
		return live_fail(t, "pipe: %s", strerror(errno));
	}
	snprintf(fdtext, sizeof(fdtext), "%d", rep[1]);
	while (rounds < REUSE_ROUNDS && retries < 200) {
		char tag[2][32], path[2][1100];
		pid_t a, b;

		for (int k = 0; k < 2; k++) {
			snprintf(tag[k], sizeof(tag[k]), "%c%u.%u", k ? 'b' : 'a', rounds, retries);
			snprintf(path[k], sizeof(path[k]), "%s-%s", dir, tag[k]);
		}
		/* The earlier owner: runs, opens its marker, ends, is reaped. */
		a = fork();
		if (a == 0) {
			execl(proc_self_exe(), "scap_live", "--proc-helper", "open", tag[0], path[0], fdtext,
			      (char *)NULL);
			_exit(127);
		}
		if (a < 0) {
			r = live_fail(t, "fork: %s", strerror(errno));
			break;
		}
		waitpid(a, &st, 0);
		/* The next owner of the same pid, at once (within the earlier one's grace period). */
		b = fork_at(a, why, sizeof(why));
		if (b == 0) {
			execl(proc_self_exe(), "scap_live", "--proc-helper", "open", tag[1], path[1], fdtext,
			      (char *)NULL);
			_exit(127);
		}
		if (b == -ENOTSUP) {
			r = live_skip(t, "a pid cannot be chosen here: %s", why);
			break;
		}
		if (b < 0) {
			/* a's marker is in the stream all the same; its round is redone */
			retries++;
			continue;
		}
		waitpid(b, &st, 0);
		attempt_of[rounds++] = retries;
	}
	close(rep[1]);
	/* Every round's two owners, and the earlier owner of each attempt redone. */
	truths = calloc(2 * REUSE_ROUNDS + retries + 2, sizeof(*truths));
	if (!truths) {
		close(rep[0]);
		scap_close(h);
		return live_fail(t, "out of memory");
	}
	n = proc_truth_collect(rep[0], truths, 2 * REUSE_ROUNDS + retries + 2);
	close(rep[0]);
	if (r == LIVE_PASS && rounds < REUSE_ROUNDS)
		r = live_fail(t, "only %u of %d rounds could reuse a pid (%u tries lost to other forks)", rounds,
			      REUSE_ROUNDS, retries);
	if (r != LIVE_PASS)
		goto out;
	for (unsigned i = 0; i < REUSE_ROUNDS; i++) {
		for (int k = 0; k < 2; k++) {
			struct proc_marker *mk = &m[2 * i + (unsigned)k];
			char tag[32], fds[16];
			char *argv[] = { "scap_live", "--proc-helper", "open", tag, mk->path, fds, NULL };

			snprintf(tag, sizeof(tag), "%c%u.%u", k ? 'b' : 'a', i, attempt_of[i]);
			snprintf(fds, sizeof(fds), "%s", fdtext);
			snprintf(mk->path, sizeof(mk->path), "%s-%s", dir, tag);
			mk->what = k ? "the pid's new owner" : "the pid's earlier owner";
			mk->want = proc_truth_find(truths, n, tag);
			if (!mk->want) {
				r = live_fail(t, "round %u: %s did not report", i, tag);
				goto out;
			}
			/* Its own argv, which names its marker: the earlier owner's would not. */
			mk->want->args_len = 0;
			for (unsigned j = 0; argv[j]; j++) {
				size_t l = strlen(argv[j]) + 1;

				memcpy(mk->want->args + mk->want->args_len, argv[j], l);
				mk->want->args_len += (uint32_t)l;
			}
		}
		if (m[2 * i].want->tid != m[2 * i + 1].want->tid) {
			r = live_fail(t, "round %u: the pid was not reused (%u, then %u)", i, m[2 * i].want->tid,
				      m[2 * i + 1].want->tid);
			goto out;
		}
	}
	/* Rounds redone left markers of their own in the stream: not looked for. */
	r = proc_expect_markers(t, h, m, 2 * REUSE_ROUNDS, full);
	if (r == LIVE_PASS)
		snprintf(t->msg, sizeof(t->msg), "%d pids reused%s (%u attempts redone: another fork took the pid first)",
			 REUSE_ROUNDS, why[0] ? " through ns_last_pid" : "", retries);
out:
	free(truths);
	scap_close(h);
	return r;
}
