// SPDX-License-Identifier: Apache-2.0
/*
 * The workloads: one syscall (or openat+close) in a tight loop, counted over a
 * fixed window. The clock is read once per batch so it costs nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_live.h"

#define BATCH 256u

const char *const bl_workload_names[BL_NWORKLOADS] = {
	[BL_GETPPID] = "getppid",
	[BL_CLOSE] = "close(-1)",
	[BL_OPENAT_CLOSE] = "openat+close (tmpfs)",
	[BL_NOT_SELECTED] = "getppid, not selected",
	[BL_FORK_EXIT] = "fork+exit (loops/s)",
	[BL_EXEC] = "fork+exec /bin/true (loops/s)",
};

/* One fork whose child exits at once (exec: runs /bin/true), reaped: 0 or -1. */
static int fork_once(bool exec)
{
	static char *const argv[] = { "/bin/true", NULL }, *const envp[] = { NULL };
	pid_t c = fork();
	int st;

	if (c == 0) {
		if (exec)
			execve(argv[0], argv, envp);
		syscall(SYS_exit_group, exec ? 127 : 0);
	}
	if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return 0;
}

/* The not-selected case captures openat only: getppid must cost (almost) nothing. */
static const char *const only_openat[] = { "openat", NULL };

static char tmpfs_file[128];

double bl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bl_pin(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(pid, sizeof(set), &set) < 0 ? -errno : 0;
}

const char *const *bl_selection(enum bl_workload w)
{
	return w == BL_NOT_SELECTED ? only_openat : NULL;
}

int bl_workload_setup(void)
{
	int fd;

	snprintf(tmpfs_file, sizeof(tmpfs_file), "/dev/shm/scap-bench-live-%d", (int)getpid());
	fd = open(tmpfs_file, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

void bl_workload_cleanup(void)
{
	if (tmpfs_file[0])
		unlink(tmpfs_file);
}

double bl_workload_run(enum bl_workload w, unsigned window_ms)
{
	double t0 = bl_now(), end = t0 + window_ms / 1000.0, t;
	uint64_t calls = 0;

	do {
		switch (w) {
		case BL_GETPPID:
		case BL_NOT_SELECTED:
			for (unsigned i = 0; i < BATCH; i++)
				syscall(SYS_getppid);
			calls += BATCH;
			break;
		case BL_CLOSE:
			for (unsigned i = 0; i < BATCH; i++)
				syscall(SYS_close, -1);
			calls += BATCH;
			break;
		case BL_OPENAT_CLOSE:
			for (unsigned i = 0; i < BATCH / 2; i++) {
				long fd = syscall(SYS_openat, AT_FDCWD, tmpfs_file, O_RDONLY, 0);

				if (fd < 0)
					return -1;
				syscall(SYS_close, fd);
			}
			calls += BATCH;
			break;
		case BL_FORK_EXIT:
		case BL_EXEC:
			if (fork_once(w == BL_EXEC) < 0)
				return -1;
			calls++;
			break;
		case BL_NWORKLOADS:
			return -1;
		}
		t = bl_now();
	} while (t < end);
	return (double)calls / (t - t0);
}
