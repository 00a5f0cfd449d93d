// SPDX-License-Identifier: Apache-2.0
/*
 * File syscalls with known arguments: openat, read, write, close, unlinkat.
 * The syscalls are made through syscall(2) so that libc cannot change the
 * arguments the kernel sees (flags added by wrappers, fds reused).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "live.h"

#define OPEN_FLAGS (O_CREAT | O_WRONLY | O_CLOEXEC)

struct file_job {
	char path[256];
	char path2[256];
	long fd, fd2, res, res2, res3;
	int err;
};

static void *do_openat_create(void *p)
{
	struct file_job *j = p;

	j->fd = syscall(SYS_openat, AT_FDCWD, j->path, OPEN_FLAGS, 0640);
	j->err = errno;
	if (j->fd >= 0)
		close((int)j->fd);
	unlink(j->path);
	return NULL;
}

int test_openat_create(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct file_job j = { 0 };
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	live_tmp_path(j.path, sizeof(j.path), "openat");
	live_drain(h);
	if (live_run_thread(do_openat_create, &j, &tid) < 0 || j.fd < 0)
		return live_fail(t, "openat(%s) failed here: %s", j.path, strerror(j.err));

	/* Holds with and without the pairing stage (test paired_openat checks it). */
	struct want_event w = {
		.what = "openat exit", .tid = (uint32_t)tid, .pid = (uint32_t)getpid(),
		.type = SCAP_EV_OPENAT_X, .event_name = "openat",
		.flags_clear = SCAP_EVF_TOCTOU, .key = WSTR("pathname", j.path),
		.params = {
			WS("res", j.fd), WS("dirfd", AT_FDCWD), WSTR("pathname", j.path),
			WU("flags", OPEN_FLAGS), WFMT("flags", "O_WRONLY|O_CREAT|O_CLOEXEC"),
			WU("mode", 0640), WFMT("mode", "0640"),
		},
	};
	return live_expect(t, h, &w, 1);
}

/* The default (paired) mode: one event per openat, built by the core from the
 * enter and the exit, and no enter event of its own. */
int test_paired_openat(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct file_job j = { 0 };
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	live_tmp_path(j.path, sizeof(j.path), "paired");
	live_drain(h);
	if (live_run_thread(do_openat_create, &j, &tid) < 0 || j.fd < 0)
		return live_fail(t, "openat(%s) failed here: %s", j.path, strerror(j.err));

	struct want_event w[] = {
		{ .what = "paired openat", .tid = (uint32_t)tid, .type = SCAP_EV_OPENAT_X,
		  .flags_set = SCAP_EVF_PAIRED, .flags_clear = SCAP_EVF_TOCTOU | SCAP_EVF_NO_ENTER,
		  .key = WSTR("pathname", j.path),
		  .params = { WS("res", j.fd), WS("dirfd", AT_FDCWD), WSTR("pathname", j.path),
			      WU("flags", OPEN_FLAGS), WU("mode", 0640) } },
		{ .what = "an openat enter event in paired mode", .tid = (uint32_t)tid,
		  .type = SCAP_EV_OPENAT_E, .forbidden = true },
	};
	return live_expect(t, h, w, 2);
}

static void *do_openat_enoent(void *p)
{
	struct file_job *j = p;

	j->fd = syscall(SYS_openat, AT_FDCWD, j->path, O_RDONLY, 0);
	j->err = errno;
	return NULL;
}

int test_openat_enoent(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct file_job j = { 0 };
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	snprintf(j.path, sizeof(j.path), "%s/scap-live-%d-no-such-dir/file", live_tmp_dir(),
		 (int)getpid());
	live_drain(h);
	if (live_run_thread(do_openat_enoent, &j, &tid) < 0 || j.fd != -1 || j.err != ENOENT)
		return live_fail(t, "openat(%s) did not fail with ENOENT here", j.path);

	struct want_event w = {
		.what = "failed openat exit", .tid = (uint32_t)tid, .type = SCAP_EV_OPENAT_X,
		.key = WSTR("pathname", j.path),
		.params = {
			WS("res", -ENOENT), WS("dirfd", AT_FDCWD), WSTR("pathname", j.path),
			WU("flags", O_RDONLY), WU("mode", 0),
		},
	};
	return live_expect(t, h, &w, 1);
}

/* Short enough to be kept whole (< LIVE_SNAPLEN), with bytes that need escaping. */
static const char short_buf[] = "scap live write\n\x00\x01\xff tail";
#define LONG_LEN 1000u
static unsigned char long_buf[LONG_LEN];

static void *do_write(void *p)
{
	struct file_job *j = p;

	j->fd = open(j->path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
	if (j->fd < 0) {
		j->err = errno;
		return NULL;
	}
	j->res = syscall(SYS_write, j->fd, short_buf, sizeof(short_buf));
	j->res2 = syscall(SYS_write, j->fd, long_buf, LONG_LEN);
	j->err = errno;
	close((int)j->fd);
	unlink(j->path);
	return NULL;
}

static int run_write(struct live_test *t, struct file_job *j, pid_t *tid)
{
	for (unsigned i = 0; i < LONG_LEN; i++)
		long_buf[i] = (unsigned char)(i * 7u + 3u);
	live_tmp_path(j->path, sizeof(j->path), "write");
	if (live_run_thread(do_write, j, tid) < 0 || j->fd < 0 ||
	    j->res != (long)sizeof(short_buf) || j->res2 != (long)LONG_LEN)
		return live_fail(t, "writing %s failed here: %s", j->path, strerror(j->err));
	return LIVE_PASS;
}

int test_write(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct file_job j = { 0 };
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	live_drain(h);
	if (run_write(t, &j, &tid) != LIVE_PASS)
		return LIVE_FAIL;

	struct want_event w = {
		.what = "write exit", .tid = (uint32_t)tid, .type = SCAP_EV_WRITE_X,
		.event_name = "write", .flags_clear = SCAP_EVF_TRUNCATED,
		.key = WU("count", sizeof(short_buf)),
		.params = {
			WS("res", sizeof(short_buf)), WS("fd", j.fd),
			WU("count", sizeof(short_buf)), WBYTES("buf", short_buf, sizeof(short_buf)),
		},
	};
	return live_expect(t, h, &w, 1);
}

int test_write_snaplen(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct file_job j = { 0 };
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	live_drain(h);
	if (run_write(t, &j, &tid) != LIVE_PASS)
		return LIVE_FAIL;

	struct want_event w = {
		.what = "write exit beyond snaplen", .tid = (uint32_t)tid, .type = SCAP_EV_WRITE_X,
		.flags_set = SCAP_EVF_TRUNCATED,
		.key = WU("count", LONG_LEN),
		.params = {
			WS("res", LONG_LEN), WS("fd", j.fd), WU("count", LONG_LEN),
			WBYTES_CUT("buf", long_buf, LIVE_SNAPLEN),
		},
	};
	return live_expect(t, h, &w, 1);
}

static const char file_content[] = "forty bytes of known file content 0123\n";

static void *do_read(void *p)
{
	struct file_job *j = p;
	char buf[64];

	j->fd = open(j->path, O_RDONLY | O_CLOEXEC);
	if (j->fd < 0) {
		j->err = errno;
		return NULL;
	}
	/* Ask for more than the file holds: count and res must differ. */
	j->res = syscall(SYS_read, j->fd, buf, sizeof(buf));
	j->err = errno;
	close((int)j->fd);
	return NULL;
}

int test_read(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct file_job j = { 0 };
	pid_t tid;
	FILE *f;

	if (!h)
		return LIVE_FAIL;
	live_tmp_path(j.path, sizeof(j.path), "read");
	f = fopen(j.path, "we");
	if (!f || fwrite(file_content, 1, sizeof(file_content) - 1, f) != sizeof(file_content) - 1 ||
	    fclose(f) != 0)
		return live_fail(t, "cannot write %s: %s", j.path, strerror(errno));
	live_drain(h);
	live_run_thread(do_read, &j, &tid);
	unlink(j.path);
	if (j.fd < 0 || j.res != (long)sizeof(file_content) - 1)
		return live_fail(t, "reading %s failed here: %s", j.path, strerror(j.err));

	struct want_event w = {
		.what = "read exit", .tid = (uint32_t)tid, .type = SCAP_EV_READ_X,
		.event_name = "read", .flags_clear = SCAP_EVF_TRUNCATED,
		.key = WS("fd", j.fd),
		.params = {
			WS("res", sizeof(file_content) - 1), WS("fd", j.fd), WU("count", 64),
			WBYTES("buf", file_content, sizeof(file_content) - 1),
		},
	};
	return live_expect(t, h, &w, 1);
}

static void *do_close(void *p)
{
	struct file_job *j = p;

	j->fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	j->res = syscall(SYS_close, j->fd);
	j->res2 = syscall(SYS_close, -1);
	j->err = errno;
	return NULL;
}

int test_close(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct file_job j = { 0 };
	pid_t tid;

	if (!h)
		return LIVE_FAIL;
	live_drain(h);
	live_run_thread(do_close, &j, &tid);
	if (j.fd < 0 || j.res != 0 || j.res2 != -1 || j.err != EBADF)
		return live_fail(t, "close did not behave here (fd %ld res %ld, close(-1) %ld)",
				 j.fd, j.res, j.res2);

	struct want_event w[] = {
		{ .what = "close exit", .tid = (uint32_t)tid, .type = SCAP_EV_CLOSE_X,
		  .event_name = "close", .key = WS("fd", j.fd),
		  .params = { WS("res", 0), WS("fd", j.fd) } },
		{ .what = "close(-1) exit", .tid = (uint32_t)tid, .type = SCAP_EV_CLOSE_X,
		  .key = WS("fd", -1),
		  .params = { WS("res", -EBADF), WS("fd", -1) } },
	};
	int r = live_expect(t, h, w, 2);

	if (r == LIVE_PASS && w[0].seq > w[1].seq)
		return live_fail(t, "close(-1) delivered before the close that came first");
	return r;
}

static void *do_unlinkat(void *p)
{
	struct file_job *j = p;
	const char *base = strrchr(j->path2, '/') + 1;
	int dfd;

	/* A path relative to a real directory fd, and AT_REMOVEDIR on a directory. */
	j->res = syscall(SYS_unlinkat, AT_FDCWD, j->path, AT_REMOVEDIR);
	dfd = open(live_tmp_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	j->fd = dfd;
	j->res2 = syscall(SYS_unlinkat, dfd, base, 0);
	j->res3 = syscall(SYS_unlinkat, AT_FDCWD, j->path2, 0);
	j->err = errno;
	close(dfd);
	return NULL;
}

int test_unlinkat(struct live_test *t)
{
	struct scap *h = live_shared_handle(t);
	struct file_job j = { 0 };
	pid_t tid;
	int fd;

	if (!h)
		return LIVE_FAIL;
	live_tmp_path(j.path, sizeof(j.path), "unlinkat-dir");
	live_tmp_path(j.path2, sizeof(j.path2), "unlinkat-file");
	fd = open(j.path2, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (mkdir(j.path, 0700) < 0 || fd < 0)
		return live_fail(t, "cannot create %s and %s: %s", j.path, j.path2, strerror(errno));
	close(fd);
	live_drain(h);
	live_run_thread(do_unlinkat, &j, &tid);
	if (j.res != 0 || j.fd < 0 || j.res2 != 0 || j.res3 != -1 || j.err != ENOENT) {
		rmdir(j.path);
		unlink(j.path2);
		return live_fail(t, "unlinkat did not behave here (%ld %ld %ld)", j.res, j.res2,
				 j.res3);
	}

	const char *base = strrchr(j.path2, '/') + 1;
	struct want_event w[] = {
		{ .what = "unlinkat(AT_REMOVEDIR) exit", .tid = (uint32_t)tid,
		  .type = SCAP_EV_UNLINKAT_X, .event_name = "unlinkat",
		  .key = WSTR("pathname", j.path),
		  .params = { WS("res", 0), WS("dirfd", AT_FDCWD), WSTR("pathname", j.path),
			      WU("flags", AT_REMOVEDIR), WFMT("flags", "AT_REMOVEDIR") } },
		{ .what = "unlinkat(dirfd) exit", .tid = (uint32_t)tid,
		  .type = SCAP_EV_UNLINKAT_X, .key = WSTR("pathname", base),
		  .params = { WS("res", 0), WS("dirfd", j.fd), WSTR("pathname", base),
			      WU("flags", 0) } },
		{ .what = "failed unlinkat exit", .tid = (uint32_t)tid,
		  .type = SCAP_EV_UNLINKAT_X, .key = WSTR("pathname", j.path2),
		  .params = { WS("res", -ENOENT), WS("dirfd", AT_FDCWD),
			      WSTR("pathname", j.path2), WU("flags", 0) } },
	};
	return live_expect(t, h, w, 3);
}
