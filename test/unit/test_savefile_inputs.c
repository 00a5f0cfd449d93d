// SPDX-License-Identifier: Apache-2.0
/*
 * Inputs that destroyed data or hung (issue 17, items 2 and 5): writing a
 * capture file onto the one being replayed (same inode, through any name) is
 * refused before a byte of it changes; a FIFO nobody writes to is an error
 * at once, not a silent wait; a FIFO with a writer replays like a file.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "savefile_util.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_write_onto_replayed_file(void **unused)
{
	struct recs live = { 0 };
	char src[128], link2[128], sym[128], other[128], err[SCAP_ERRBUF_SIZE];
	const char *names[3];
	struct scap_open_opts o = { .sz = sizeof(o) };
	struct scap_dumper *d = NULL;
	struct scap *h = NULL;
	size_t len0, len1;
	uint8_t *before, *after;

	path_of(src, sizeof(src), "replayed.scap");
	path_of(link2, sizeof(link2), "hardlink.scap");
	path_of(sym, sizeof(sym), "symlink.scap");
	path_of(other, sizeof(other), "copy.scap");
	record(src, 2000, false, false, &live);
	assert_int_equal(link(src, link2), 0);
	assert_int_equal(symlink(src, sym), 0);
	before = slurp(src, &len0);
	o.savefile_path = src;
	assert_int_equal(scap_open(&h, "savefile", &o, err, sizeof(err)), 0);
	assert_int_equal(scap_start(h), 0);
	names[0] = src;
	names[1] = link2;
	names[2] = sym;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(scap_dump_open(&d, h, names[i], NULL), -EINVAL);
		assert_null(d);
		if (!strstr(scap_last_error(h), "it is the file this handle replays"))
			fail_msg("%s: %s", names[i], scap_last_error(h));
	}
	after = slurp(src, &len1);
	assert_int_equal(len1, len0);
	assert_memory_equal(before, after, len0);
	/* Another file is fine, and the replay goes on untouched. */
	assert_int_equal(scap_dump_open(&d, h, other, NULL), 0);
	{
		const struct scap_event *ev;
		unsigned cpu, n = 0;
		int r;

		while ((r = scap_next(h, &ev, &cpu, 0)) == 0) {
			assert_int_equal(scap_dump_event(d, ev, cpu), 0);
			n++;
		}
		assert_int_equal(r, -ENODATA);
		assert_int_equal(n, live.n);
	}
	assert_int_equal(scap_dump_close(d), 0);
	scap_close(h);
	free(before);
	free(after);
	recs_free(&live);
}

static void test_fifo_without_writer(void **unused)
{
	struct scap_open_opts o = { .sz = sizeof(o) };
	char fifo[128], err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;
	double t0;

	path_of(fifo, sizeof(fifo), "nowriter.fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	o.savefile_path = fifo;
	t0 = now_s();
	assert_int_equal(scap_open(&h, "savefile", &o, err, sizeof(err)), -ENXIO);
	/* At once: a wait would be the bug (the old reader never returned). */
	assert_true(now_s() - t0 < 1.0);
	if (!strstr(err, "no process has open for writing"))
		fail_msg("%s", err);
}

/* A writer feeding a FIFO: the reader replays the stream as from a file. */
static void test_fifo_with_writer(void **unused)
{
	struct scap_open_opts o = { .sz = sizeof(o) };
	char src[128], fifo[128], err[SCAP_ERRBUF_SIZE];
	struct recs live = { 0 }, back = { 0 };
	const struct scap_event *ev;
	struct scap *h = NULL;
	int opened[2], dummy, st, r;
	unsigned cpu;
	uint8_t *bytes;
	size_t len;
	pid_t pid;
	char c;

	path_of(src, sizeof(src), "fifo_src.scap");
	path_of(fifo, sizeof(fifo), "writer.fifo");
	record(src, 3000, false, true, &live);
	bytes = slurp(src, &len);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(pipe(opened), 0);
	/* A reader of our own, so that the writer's open does not wait for the library's. */
	dummy = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(dummy >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(fifo, O_WRONLY);
		size_t off = 0;

		if (fd < 0 || write(opened[1], "o", 1) != 1)
			_exit(2);
		/* Slowly, in small pieces: the reader must wait for them, not fail. */
		usleep(100000);
		while (off < len) {
			ssize_t n = write(fd, bytes + off, len - off > 4096 ? 4096 : len - off);

			if (n <= 0)
				_exit(3);
			off += (size_t)n;
			usleep(2000);
		}
		close(fd);
		_exit(0);
	}
	assert_int_equal(read(opened[0], &c, 1), 1);
	o.savefile_path = fifo;
	assert_int_equal(scap_open(&h, "savefile", &o, err, sizeof(err)), 0);
	close(dummy);
	assert_int_equal(scap_start(h), 0);
	while ((r = scap_next(h, &ev, &cpu, 100)) == 0 || r == -EAGAIN)
		if (r == 0)
			recs_add(&back, ev, cpu);
	if (r != -ENODATA)
		fail_msg("%d: %s", r, scap_last_error(h));
	assert_int_equal(back.n, live.n);
	assert_same(&live, &back, live.n);
	scap_close(h);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(opened[0]);
	close(opened[1]);
	free(bytes);
	recs_free(&live);
	recs_free(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_onto_replayed_file),
		cmocka_unit_test(test_fifo_without_writer),
		cmocka_unit_test(test_fifo_with_writer),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
