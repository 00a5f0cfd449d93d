// SPDX-License-Identifier: Apache-2.0
/*
 * The process of --pid: tells when it has exited, so that a capture of one
 * process ends with it instead of waiting for events that cannot come (or
 * for a new process that reuses its id). A pidfd (Linux 5.3) names the
 * process itself; older kernels fall back to kill(pid, 0).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

void cli_pid_watch_open(struct cli_pid_watch *w, int pid)
{
	w->pid = pid;
	w->fd = -1;
#ifdef SYS_pidfd_open
	w->fd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
}

bool cli_pid_watch_exited(const struct cli_pid_watch *w)
{
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };

	if (w->pid <= 0)
		return false;
	/* A pidfd becomes readable when its process has exited. */
	if (w->fd >= 0)
		return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLIN | POLLHUP));
	return kill(w->pid, 0) < 0 && errno == ESRCH;
}

void cli_pid_watch_close(struct cli_pid_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->pid = 0;
}
