// SPDX-License-Identifier: Apache-2.0
/*
 * exec_logger: every program started, with the context of the process that
 * started it, live.
 *
 *   exec_logger [--count N]
 *
 * One line per execve or execveat:
 *   <UTC time> pid=<pid> ppid=<ppid> uid=<uid> gid=<gid> comm=<comm> exe=<exe>
 *     cwd=<cwd> cgroup=<cgroup> argv=[...] res=<0 or error> [toctou]
 * (on one line). The process context comes from the exit event (scap reads it
 * from the task when the new program starts); argv and the path are the
 * values read at the syscall's enter, and [toctou] says they changed before
 * the kernel used them. Then the capture's statistics: what was delivered and
 * what the kernel could not keep. Needs root (live capture).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scap/scap.h>

#include "example_util.h"

int main(int argc, char **argv)
{
	static const char *const execs[] = { "execve", "execveat", NULL };
	struct scap_open_opts o = { .sz = sizeof(o), .syscalls = execs };
	struct scap_stats st = { .sz = sizeof(st) };
	char err[SCAP_ERRBUF_SIZE], when[64], v[9][4096];
	const struct scap_event *ev;
	unsigned long count = 0, n = 0;
	struct scap *h;
	int r = 0;

	if (argc == 3 && !strcmp(argv[1], "--count"))
		count = strtoul(argv[2], NULL, 10);
	if (scap_open(&h, "auto", &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "exec_logger: %s\n", err);
		return 1;
	}
	if (scap_start(h) < 0) {
		fprintf(stderr, "exec_logger: %s\n", scap_last_error(h));
		scap_close(h);
		return 1;
	}
	fprintf(stderr, "exec_logger: capturing with %s (scap %s)\n", scap_engine_name(h),
		scap_version(NULL, NULL, NULL));
	while (!count || n < count) {
		r = scap_next(h, &ev, NULL, -1);
		if (r == -EAGAIN || r == -EINTR)
			continue;
		if (r < 0)
			break;
		printf("%s pid=%u ppid=%s uid=%s gid=%s comm=%s exe=%s cwd=%s cgroup=%s argv=[%s] res=%s%s\n",
		       example_time(h, ev, when, sizeof(when)), scap_event_pid(ev),
		       example_param(ev, "ppid", v[0], sizeof(v[0])), example_param(ev, "uid", v[1], sizeof(v[1])),
		       example_param(ev, "gid", v[2], sizeof(v[2])), example_param(ev, "comm", v[3], sizeof(v[3])),
		       example_param(ev, "exe", v[4], sizeof(v[4])), example_param(ev, "cwd", v[5], sizeof(v[5])),
		       example_param(ev, "cgroup", v[6], sizeof(v[6])),
		       example_param(ev, "argv", v[7], sizeof(v[7])), example_param(ev, "res", v[8], sizeof(v[8])),
		       scap_event_flags(ev) & SCAP_EVF_TOCTOU ? " [toctou]" : "");
		fflush(stdout);
		n++;
	}
	if (r < 0)
		fprintf(stderr, "exec_logger: %s\n", scap_last_error(h));
	if (scap_get_stats(h, &st) == 0)
		fprintf(stderr, "exec_logger: %" PRIu64 " events, %" PRIu64 " dropped by the kernel side\n", st.events,
			st.drops);
	scap_close(h);
	return r < 0 ? 1 : 0;
}
