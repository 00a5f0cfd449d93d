// SPDX-License-Identifier: Apache-2.0
/*
 * The CLI consumer: `scap capture --engine E --json > /dev/null` (or into a
 * pipe drained on the same CPU, --cli-pipe), pinned on the consumer CPU. Start-up is the time until its "capturing:" line; its CPU
 * time and memory come from /proc/<pid>; events and drops from its closing
 * "stats: {...}" line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_live.h"

/* Lets the CLI read what was buffered when the workload stopped. */
#define DRAIN_MS 300

long bl_proc_status_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0) {
			v = strtol(line + strlen(key), NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* utime + stime of a process, in seconds. */
static double proc_cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* Fields after the command name, which may hold spaces: utime is the 14th. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* Reads stderr lines until one starts with `prefix` (copied to line) or timeout. */
static int read_line_with(int fd, char *acc, size_t acclen, size_t *used, const char *prefix,
			  char *line, size_t linelen, double timeout_s)
{
	double end = bl_now() + timeout_s;

	for (;;) {
		char *nl;

		while ((nl = memchr(acc, '\n', *used))) {
			size_t l = (size_t)(nl - acc);

			*nl = '\0';
			if (strncmp(acc, prefix, strlen(prefix)) == 0) {
				snprintf(line, linelen, "%s", acc);
				memmove(acc, nl + 1, *used - l - 1);
				*used -= l + 1;
				return 0;
			}
			snprintf(line, linelen, "%s", acc); /* the last other line, for errors */
			memmove(acc, nl + 1, *used - l - 1);
			*used -= l + 1;
		}
		double left = end - bl_now();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		if (*used + 1 >= acclen)
			*used = 0; /* a line longer than the buffer: drop it */
		ssize_t n = read(fd, acc + *used, acclen - *used - 1);
		if (n <= 0)
			return -EPIPE;
		*used += (size_t)n;
	}
}

/* write(2)-like calls the process made so far (/proc/PID/io: syscw), -1 unknown. */
static long long proc_syscw(pid_t pid)
{
	char path[64], line[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "syscw: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static uint64_t json_u64(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/*
 * A reader of the CLI's output pipe, on the consumer CPU (as `scap capture |
 * consumer` would share it): reads and discards until the CLI closes it.
 */
static pid_t start_drain(const struct bl_config *c, int rd, int wr, int err_wr)
{
	pid_t pid = fork();

	if (pid == 0) {
		static char buf[1 << 16];

		/* Only the CLI may hold the write ends: EOF comes when it exits. */
		close(wr);
		close(err_wr);
		bl_pin(0, c->consumer_cpu);
		while (read(rd, buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	return pid;
}

int bl_measure_cli(const struct bl_config *c, const char *cli, const char *engine, enum bl_workload w,
		   struct bl_sample *s, char *err, size_t errlen)
{
	char acc[8192], line[4096] = "", bufsz[32];
	const char *argv[12];
	size_t used = 0;
	double t0, t1, t2, cpu0, cpu1;
	int errp[2], outp[2] = { -1, -1 }, argc = 0, r;
	pid_t pid, drain = -1;

	snprintf(bufsz, sizeof(bufsz), "%zu", c->buffer_bytes);
	argv[argc++] = cli;
	argv[argc++] = "capture";
	argv[argc++] = "--engine";
	argv[argc++] = engine;
	argv[argc++] = "--json";
	argv[argc++] = "--buffer-size";
	argv[argc++] = bufsz;
	if (bl_selection(w)) {
		argv[argc++] = "--syscalls";
		argv[argc++] = "openat";
	}
	if (c->proc_off)
		argv[argc++] = "--no-proc";
	argv[argc] = NULL;

	if (pipe2(errp, O_CLOEXEC) < 0)
		return -errno;
	if (c->cli_pipe) {
		if (pipe2(outp, O_CLOEXEC) < 0) {
			r = -errno;
			close(errp[0]);
			close(errp[1]);
			return r;
		}
		drain = start_drain(c, outp[0], outp[1], errp[1]);
	}
	t0 = bl_now();
	pid = fork();
	if (pid == 0) {
		int out = c->cli_pipe ? outp[1] : open("/dev/null", O_WRONLY);

		bl_pin(0, c->consumer_cpu);
		dup2(out, STDOUT_FILENO);
		dup2(errp[1], STDERR_FILENO);
		execv(cli, (char *const *)argv);
		dprintf(errp[1], "scap: exec %s: %s\n", cli, strerror(errno));
		_exit(127);
	}
	close(errp[1]);
	if (c->cli_pipe) {
		close(outp[0]);
		close(outp[1]);
	}
	if (pid < 0) {
		close(errp[0]);
		return -errno;
	}
	r = read_line_with(errp[0], acc, sizeof(acc), &used, "capturing:", line, sizeof(line), 60);
	if (r < 0) {
		snprintf(err, errlen, "the CLI did not start capturing: %s",
			 line[0] ? line : strerror(-r));
		kill(pid, SIGKILL);
		goto out;
	}
	s->startup_s = bl_now() - t0;
	cpu0 = proc_cpu_s(pid);
	long csw0 = bl_proc_status_kb(pid, "voluntary_ctxt_switches:");
	long long w0 = proc_syscw(pid);
	t1 = bl_now();
	s->cap_rate = bl_workload_run(w, c->window_ms);
	t2 = bl_now();
	usleep(DRAIN_MS * 1000);
	cpu1 = proc_cpu_s(pid);
	s->wakeups_per_s = (double)(bl_proc_status_kb(pid, "voluntary_ctxt_switches:") - csw0) /
			   (bl_now() - t1);
	s->writes_per_s = w0 < 0 ? -1 : (double)(proc_syscw(pid) - w0) / (bl_now() - t1);
	s->hwm_mb = (double)bl_proc_status_kb(pid, "VmHWM:") / 1024.0;
	kill(pid, SIGINT);
	r = read_line_with(errp[0], acc, sizeof(acc), &used, "stats:", line, sizeof(line), 60);
	if (r < 0) {
		snprintf(err, errlen, "no stats line from the CLI: %s", line[0] ? line : strerror(-r));
		kill(pid, SIGKILL);
		goto out;
	}
	/* Its counts cover its whole life; start-up and drain add few events.
	 * A CLI from before issue 19 calls the count "events". */
	s->events = strstr(line, "\"delivered\":") ? json_u64(line, "\"delivered\":") : json_u64(line, "\"events\":");
	s->drops = json_u64(line, "\"drops\":");
	s->events_per_s = (double)s->events / (t2 - t1);
	s->consumer_cpu = (cpu1 - cpu0) / (t2 - t1);
out:
	close(errp[0]);
	waitpid(pid, NULL, 0);
	if (drain > 0)
		waitpid(drain, NULL, 0);
	return r;
}
