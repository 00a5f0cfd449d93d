// SPDX-License-Identifier: Apache-2.0
/*
 * Tracepoints are attached by id, which only tracefs shows, and tracefs is
 * not mounted by default on some hosts. Rather than mount it for the whole
 * host, a helper thread unshares its mount namespace, mounts tracefs there
 * and does the work: the host's mounts stay as they were, no other capture
 * sees our mount come and go, and what the work opens (perf event fds of
 * this process) outlives the thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

#include "platform.h"

static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

const char *scap_tracefs_root(const char *probe)
{
	char path[256];

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", roots[i], probe);
		if (access(path, F_OK) == 0)
			return roots[i];
	}
	return NULL;
}

struct tracefs_job {
	void (*fn)(void *);
	void *arg;
	int err;
	libbpf_print_fn_t sink; /* the caller's libbpf sink: the work's messages are its */
};

static void *tracefs_thread(void *p)
{
	struct tracefs_job *j = p;

	scap_platform_libbpf_sink(j->sink);
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tracefs", roots[0], "tracefs", 0, NULL) != 0)
		j->err = -errno;
	j->fn(j->arg);
	return NULL;
}

int scap_platform_with_tracefs(const char *probe, void (*fn)(void *), void *arg)
{
	struct tracefs_job j = { fn, arg, 0, scap_platform_libbpf_current_sink() };
	pthread_t th;
	int err;

	if (scap_tracefs_root(probe)) {
		fn(arg);
		return 0;
	}
	err = pthread_create(&th, NULL, tracefs_thread, &j);
	if (err) {
		fn(arg);
		return -err;
	}
	pthread_join(th, NULL);
	return j.err;
}
