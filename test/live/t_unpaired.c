// SPDX-License-Identifier: Apache-2.0
/*
 * The raw stream (opts.unpaired): an openat delivers its enter event, with
 * the arguments read at enter, and then its exit event.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live.h"

#define UNPAIRED_FLAGS (O_CREAT | O_RDWR | O_EXCL)

struct unpaired_job {
	char path[256];
	long fd;
	int err;
};

static void *do_openat(void *p)
{
	struct unpaired_job *j = p;

	j->fd = syscall(SYS_openat, AT_FDCWD, j->path, UNPAIRED_FLAGS, 0600);
	j->err = errno;
	if (j->fd >= 0)
		close((int)j->fd);
	unlink(j->path);
	return NULL;
}

int test_unpaired_openat(struct live_test *t)
{
	static const char *const sel[] = { "openat", NULL };
	struct scap_open_opts o = { .syscalls = sel, .unpaired = true };
	struct unpaired_job j = { 0 };
	struct scap *h;
	pid_t tid;
	int r;

	/* One capture at a time: some engines own their kernel side exclusively. */
	live_shared_close();
	h = live_open(t, &o);
	if (!h)
		return LIVE_FAIL;
	live_tmp_path(j.path, sizeof(j.path), "unpaired");
	live_run_thread(do_openat, &j, &tid);
	if (j.fd < 0) {
		scap_close(h);
		return live_fail(t, "openat(%s) failed here: %s", j.path, strerror(j.err));
	}

	struct want_event w[] = {
		{ .what = "openat enter", .tid = (uint32_t)tid, .pid = (uint32_t)getpid(),
		  .type = SCAP_EV_OPENAT_E, .event_name = "openat",
		  .flags_clear = SCAP_EVF_PAIRED, .key = WSTR("pathname", j.path),
		  .params = { WS("dirfd", AT_FDCWD), WSTR("pathname", j.path),
			      WU("flags", UNPAIRED_FLAGS), WFMT("flags", "O_RDWR|O_CREAT|O_EXCL"),
			      WU("mode", 0600) } },
		{ .what = "openat exit", .tid = (uint32_t)tid, .type = SCAP_EV_OPENAT_X,
		  .flags_clear = SCAP_EVF_PAIRED, .key = WSTR("pathname", j.path),
		  .params = { WS("res", j.fd), WS("dirfd", AT_FDCWD), WSTR("pathname", j.path),
			      WU("flags", UNPAIRED_FLAGS), WU("mode", 0600) } },
	};
	r = live_expect(t, h, w, 2);
	scap_close(h);
	if (r != LIVE_PASS)
		return r;
	if (scap_event_info(SCAP_EV_OPENAT_E)->dir != SCAP_DIR_ENTER)
		return live_fail(t, "the schema says OPENAT_E is not an enter event");
	if (w[0].seq > w[1].seq || w[0].ts > w[1].ts)
		return live_fail(t, "enter delivered after its exit (enter ts %llu, exit ts %llu)",
				 (unsigned long long)w[0].ts, (unsigned long long)w[1].ts);
	return LIVE_PASS;
}
