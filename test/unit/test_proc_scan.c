// SPDX-License-Identifier: Apache-2.0
/*
 * The /proc scan against what this process and its children are, read
 * independently (system calls, /proc/self files read here): threads with
 * their own names and working directories, a zombie, a child with a known
 * argv and one whose argv exceeds execve's limits. No privileges needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "platform/procfs.h"
#include "scap/proc/proctable.h"
#include "scap/proc/scan.h"

static pthread_barrier_t ready, done;
static pid_t tid_a, tid_b;
static char tmpdir[PATH_MAX];

static void *thread_a(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "scan-a", 0, 0, 0);
	tid_a = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&done);
	return NULL;
}

/* A thread with a working directory of its own. */
static void *thread_b(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "scan-b", 0, 0, 0);
	tid_b = (pid_t)syscall(SYS_gettid);
	if (unshare(CLONE_FS) == 0 && chdir(tmpdir) == 0)
		pthread_barrier_wait(&ready);
	else
		abort();
	pthread_barrier_wait(&done);
	return NULL;
}

static size_t read_all(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	size_t have = 0;
	ssize_t n;

	assert_true(fd >= 0);
	while (have < len && (n = read(fd, buf + have, len - have)) > 0)
		have += (size_t)n;
	close(fd);
	return have;
}

/* A child blocked reading a pipe, exec'd with argv. */
static pid_t spawn(char *const argv[], int *wfd)
{
	int p[2];
	pid_t c;

	assert_int_equal(pipe(p), 0);
	c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		dup2(p[0], 0);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[0]);
	*wfd = p[1];
	return c;
}

/* Waits until the child runs its new image (its exe is the shell). */
static void wait_exec(pid_t c, const char *exe)
{
	char path[64], link[PATH_MAX];

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)c);
	for (int i = 0; i < 5000; i++) {
		ssize_t n = readlink(path, link, sizeof(link) - 1);

		if (n > 0) {
			link[n] = '\0';
			if (strcmp(link, exe) == 0)
				return;
		}
		usleep(1000);
	}
	fail_msg("child %d did not exec %s", (int)c, exe);
}

static struct scap_proc_entry *must_find(struct scap_proctable *t, pid_t tid)
{
	struct scap_proc_entry *e = scap_proctable_find(t, (uint32_t)tid);

	if (!e)
		fail_msg("the scan has no entry for tid %d", (int)tid);
	return e;
}

static void scan_matches_proc(void **state)
{
	struct scap_proctable t;
	struct scap_proc_scan_result res;
	struct scap_proc me, a, b, z, sh, lng;
	pthread_t ta, tb;
	char sh_exe[PATH_MAX], self_exe[PATH_MAX], cwd[PATH_MAX], text[8192], comm[17] = "";
	char cg_want[4096], *long_argv[64];
	static char *sh_argv[] = { "/bin/sh", "-c", "read x", "scap-scan-marker", "with space", NULL };
	static const char sh_args[] = "/bin/sh\0-c\0read x\0scap-scan-marker\0with space";
	int w1, w2, zst;
	pid_t zombie, c1, c2;
	size_t n;

	(void)state;
	if (!realpath("/bin/sh", sh_exe)) {
		print_message("SKIP: /bin/sh is not here\n");
		skip();
	}
	assert_true(realpath("/tmp", tmpdir) != NULL);
	pthread_barrier_init(&ready, NULL, 3);
	pthread_barrier_init(&done, NULL, 3);
	pthread_create(&ta, NULL, thread_a, NULL);
	pthread_create(&tb, NULL, thread_b, NULL);
	pthread_barrier_wait(&ready);
	zombie = fork();
	if (zombie == 0)
		_exit(3);
	c1 = spawn(sh_argv, &w1);
	/* 40 arguments of 200 bytes: more than 32 strings and 4096 bytes. */
	long_argv[0] = "/bin/sh";
	long_argv[1] = "-c";
	long_argv[2] = "read x";
	for (int i = 3; i < 43; i++) {
		long_argv[i] = malloc(201);
		memset(long_argv[i], 'a' + i % 26, 200);
		long_argv[i][200] = '\0';
	}
	long_argv[43] = NULL;
	c2 = spawn(long_argv, &w2);
	wait_exec(c1, sh_exe);
	wait_exec(c2, sh_exe);
	/* The zombie: exited, not reaped. */
	assert_int_equal(waitid(P_PID, (id_t)zombie, &(siginfo_t){ 0 }, WEXITED | WNOWAIT), 0);
	(void)zst;

	assert_int_equal(scap_proctable_init(&t, 0, 0), 0);
	assert_int_equal(scap_proc_scan(&t, "/proc", 0, &res), 0);
	assert_true(res.processes >= 4);
	assert_true(res.threads >= res.processes + 2);
	assert_int_equal(t.st.scans, 1);

	memset(&me, 0, sizeof(me));
	scap_proctable_fill(&t, must_find(&t, getpid()), 0, &me);
	assert_int_equal(me.pid, getpid());
	assert_int_equal(me.ppid, getppid());
	prctl(PR_GET_NAME, comm, 0, 0, 0);
	assert_string_equal(me.comm, comm);
	assert_true(realpath("/proc/self/exe", self_exe) != NULL);
	assert_string_equal(me.exe, self_exe);
	assert_true(getcwd(cwd, sizeof(cwd)) != NULL);
	assert_string_equal(me.cwd, cwd);
	assert_int_equal(me.uid, getuid());
	assert_int_equal(me.euid, geteuid());
	assert_int_equal(me.gid, getgid());
	assert_int_equal(me.egid, getegid());
	n = read_all("/proc/self/cmdline", text, sizeof(text));
	assert_int_equal(me.args_len, n);
	assert_memory_equal(me.args, text, n);
	n = read_all("/proc/self/loginuid", text, sizeof(text) - 1);
	text[n] = '\0';
	assert_true(me.known & SCAP_PROC_HAS_LOGINUID);
	assert_int_equal(me.loginuid, (uint32_t)strtoul(text, NULL, 10));
	n = read_all("/proc/self/cgroup", text, sizeof(text));
	assert_true(scap_procfs_cgroup_pick(text, n, cg_want, sizeof(cg_want)) >= 0);
	assert_string_equal(me.cgroup, cg_want);
	{
		char cid[SCAP_PROC_CONTAINER_ID_LEN];

		scap_container_id(cg_want, cid, sizeof(cid));
		assert_string_equal(me.container_id, cid);
	}
	n = read_all("/proc/self/stat", text, sizeof(text) - 1);
	text[n] = '\0';
	{
		/* starttime: field 22, after the comm's closing parenthesis. */
		char *p = strrchr(text, ')') + 2;
		unsigned long long st = 0;

		for (int f = 3; f < 22; f++)
			p = strchr(p, ' ') + 1;
		st = strtoull(p, NULL, 10);
		assert_int_equal(me.start_ns, st * scap_procfs_tick_ns());
	}
	assert_true(me.known & SCAP_PROC_HAS_VPID);
	assert_int_equal(me.flags, SCAP_PROC_F_FROM_SCAN);
	assert_int_equal(me.known, SCAP_PROC_HAS_PPID | SCAP_PROC_HAS_COMM | SCAP_PROC_HAS_EXE | SCAP_PROC_HAS_ARGS |
					   SCAP_PROC_HAS_CWD | SCAP_PROC_HAS_UID | SCAP_PROC_HAS_GID |
					   SCAP_PROC_HAS_EUID | SCAP_PROC_HAS_EGID | SCAP_PROC_HAS_LOGINUID |
					   SCAP_PROC_HAS_CGROUP | SCAP_PROC_HAS_START | SCAP_PROC_HAS_VPID);

	/* Threads: their own names; a shares the process's cwd (one object), b has its own. */
	memset(&a, 0, sizeof(a));
	scap_proctable_fill(&t, must_find(&t, tid_a), 0, &a);
	assert_int_equal(a.pid, getpid());
	assert_string_equal(a.comm, "scan-a");
	assert_string_equal(a.exe, self_exe);
	assert_ptr_equal(must_find(&t, tid_a)->fs, must_find(&t, getpid())->fs);
	assert_ptr_equal(a.args, me.args);
	memset(&b, 0, sizeof(b));
	scap_proctable_fill(&t, must_find(&t, tid_b), 0, &b);
	assert_string_equal(b.comm, "scan-b");
	assert_string_equal(b.cwd, tmpdir);
	assert_ptr_not_equal(must_find(&t, tid_b)->fs, must_find(&t, getpid())->fs);

	/* The zombie: ended, its process too, waiting out its grace period. */
	memset(&z, 0, sizeof(z));
	scap_proctable_fill(&t, must_find(&t, zombie), 0, &z);
	assert_int_equal(z.flags & (SCAP_PROC_F_ENDED | SCAP_PROC_F_PROC_ENDED), SCAP_PROC_F_ENDED | SCAP_PROC_F_PROC_ENDED);
	assert_true(must_find(&t, zombie)->on_ended);
	assert_int_equal(z.ppid, getpid());

	/* The shell: exact argv, exe, parent. */
	memset(&sh, 0, sizeof(sh));
	scap_proctable_fill(&t, must_find(&t, c1), 0, &sh);
	assert_string_equal(sh.exe, sh_exe);
	assert_int_equal(sh.args_len, sizeof(sh_args));
	assert_memory_equal(sh.args, sh_args, sizeof(sh_args));
	assert_false(sh.flags & SCAP_PROC_F_ARGS_TRUNCATED);
	assert_int_equal(sh.ppid, getpid());
	assert_string_equal(sh.cwd, cwd);

	/* Past execve's limits: the first 32 strings (under 4096 bytes here), marked cut. */
	memset(&lng, 0, sizeof(lng));
	scap_proctable_fill(&t, must_find(&t, c2), 0, &lng);
	assert_true(lng.flags & SCAP_PROC_F_ARGS_TRUNCATED);
	n = 0;
	for (unsigned i = 0, k = 0; k < lng.args_len; k++)
		if (lng.args[k] == '\0')
			n = ++i;
	assert_true(n <= SCAP_MAX_ARGV_ITEMS);
	assert_true(lng.args_len < SCAP_MAX_ARGV_LEN);
	assert_int_equal(lng.args[lng.args_len - 1], '\0');
	assert_int_equal(lng.args[lng.args_len], '\0'); /* the array's own NUL follows */
	assert_memory_equal(lng.args, "/bin/sh\0-c\0read x\0", 18);

	scap_proctable_free(&t);
	close(w1);
	close(w2);
	waitpid(c1, NULL, 0);
	waitpid(c2, NULL, 0);
	waitpid(zombie, NULL, 0);
	pthread_barrier_wait(&done);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	for (int i = 3; i < 43; i++)
		free(long_argv[i]);
}

static void scan_errors(void **state)
{
	struct scap_proctable t;
	char dir[] = "/tmp/scap-scan-XXXXXX";

	(void)state;
	assert_int_equal(scap_proctable_init(&t, 0, 0), 0);
	assert_int_equal(scap_proc_scan(&t, "/nonexistent-scap-proc", 0, NULL), -ENOENT);
	assert_non_null(mkdtemp(dir));
	/* Not a proc file system: nothing to read is an error, not an empty host. */
	assert_int_equal(scap_proc_scan(&t, dir, 0, NULL), -ENOENT);
	assert_int_equal(t.count, 0);
	rmdir(dir);
	scap_proctable_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scan_matches_proc),
		cmocka_unit_test(scan_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
