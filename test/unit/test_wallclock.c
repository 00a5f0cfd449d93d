// SPDX-License-Identifier: Apache-2.0
/*
 * Event timestamps to wall-clock time (scap_boot_time, scap_ts_to_wallclock,
 * scap_event_format_opts):
 *   - a capture file made on "another host" (its header's boot time set to a
 *     value this host cannot have) replays with that host's clock: every
 *     event's wall-clock time is that boot time + ts, in the API and in the
 *     text and JSON lines; recording the replay keeps the original's;
 *   - synthetic events have no clock: -ENODATA, with a message;
 *   - live (root, an eBPF engine usable): this host's boot time, against
 *     /proc/stat's btime and against CLOCK_REALTIME now.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "scap/scap.h"

/*
 * The HEADER block's boot_time_ns field, in the file (docs/capture-file-format.md:
 * a 16-byte preamble, a 24-byte block head, the field at payload offset 40), and
 * where the head keeps the payload's length and CRC-32.
 */
#define HDR_PAYLOAD_OFF (16 + 24)
#define HDR_BOOT_TIME_OFF (HDR_PAYLOAD_OFF + 40)
#define HDR_LEN_OFF (16 + 8)
#define HDR_PAYLOAD_CRC_OFF (16 + 20)
/* 2011-02-02T00:00:00.123456789Z: not this host's boot. */
#define OTHER_BOOT_NS 1296604800123456789ll

static struct scap *open_replay(const char *path)
{
	struct scap_open_opts o = { .sz = sizeof(o), .savefile_path = path };
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	if (scap_open(&h, "savefile", &o, err, sizeof(err)) != 0)
		fail_msg("open %s: %s", path, err);
	assert_int_equal(scap_start(h), 0);
	return h;
}

/* Records every event of h to path. */
static void record(struct scap *h, const char *path)
{
	struct scap_dump_opts d = { .sz = sizeof(d) };
	struct scap_dumper *dp;
	const struct scap_event *ev;
	unsigned cpu;

	assert_int_equal(scap_dump_open(&dp, h, path, &d), 0);
	while (scap_next(h, &ev, &cpu, 0) == 0)
		assert_int_equal(scap_dump_event(dp, ev, cpu), 0);
	assert_int_equal(scap_dump_close(dp), 0);
}

static int64_t header_boot_time(const char *path)
{
	uint8_t b[8];
	int fd = open(path, O_RDONLY);
	int64_t v = 0;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, b, 8, HDR_BOOT_TIME_OFF), 8);
	close(fd);
	for (int i = 7; i >= 0; i--)
		v = (int64_t)(((uint64_t)v << 8) | b[i]);
	return v;
}

/* Writes v as the header's boot time, and the payload's CRC-32 to match. */
static void set_header_boot_time(const char *path, int64_t v)
{
	uint8_t b[8], *payload;
	int fd = open(path, O_RDWR);
	uint32_t len, crc;

	assert_true(fd >= 0);
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)((uint64_t)v >> (8 * i));
	assert_int_equal(pwrite(fd, b, 8, HDR_BOOT_TIME_OFF), 8);
	assert_int_equal(pread(fd, b, 4, HDR_LEN_OFF), 4);
	len = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	assert_true(len >= 48 && len < 65536);
	payload = malloc(len);
	assert_non_null(payload);
	assert_int_equal(pread(fd, payload, len, HDR_PAYLOAD_OFF), (ssize_t)len);
	crc = (uint32_t)crc32(0L, payload, len);
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(crc >> (8 * i));
	assert_int_equal(pwrite(fd, b, 4, HDR_PAYLOAD_CRC_OFF), 4);
	free(payload);
	close(fd);
}

static void test_file_from_another_host(void **state)
{
	char a[] = "/tmp/scap-wallclock-a.XXXXXX", b[] = "/tmp/scap-wallclock-b.XXXXXX";
	struct scap_open_opts so = { .sz = sizeof(so), .synthetic_events = 200 };
	char err[SCAP_ERRBUF_SIZE], line[8192], want[64];
	struct scap *h;
	const struct scap_event *ev;
	unsigned cpu, n = 0;
	int64_t boot;

	close(mkstemp(a));
	close(mkstemp(b));
	assert_int_equal(scap_open(&h, "synthetic", &so, err, sizeof(err)), 0);
	assert_int_equal(scap_start(h), 0);
	record(h, a);
	scap_close(h);
	set_header_boot_time(a, OTHER_BOOT_NS);

	h = open_replay(a);
	assert_int_equal(scap_boot_time(h, &boot), 0);
	assert_int_equal(boot, OTHER_BOOT_NS);
	while (scap_next(h, &ev, &cpu, 0) == 0) {
		uint64_t ts = scap_event_ts(ev);
		int64_t wall;
		struct scap_format_opts fo = { .sz = sizeof(fo), .fmt = SCAP_FORMAT_TEXT, .ts_offset_ns = boot };

		assert_int_equal(scap_ts_to_wallclock(h, ts, &wall), 0);
		assert_int_equal(wall, OTHER_BOOT_NS + (int64_t)ts);
		/* The text line's first field: seconds.nanoseconds since the epoch. */
		assert_true(scap_event_format_opts(ev, cpu, &fo, line, sizeof(line), NULL) > 0);
		snprintf(want, sizeof(want), "%" PRId64 ".%09" PRId64 " ", wall / 1000000000, wall % 1000000000);
		assert_memory_equal(line, want, strlen(want));
		/* JSON's ts: ns since the epoch. */
		fo.fmt = SCAP_FORMAT_JSON;
		assert_true(scap_event_format_opts(ev, cpu, &fo, line, sizeof(line), NULL) > 0);
		snprintf(want, sizeof(want), "{\"ts\":%" PRId64 ",", wall);
		assert_memory_equal(line, want, strlen(want));
		n++;
	}
	assert_true(n > 0);
	scap_close(h);

	/* Recording the replay keeps the recording host's clock, not this host's. */
	h = open_replay(a);
	record(h, b);
	scap_close(h);
	assert_int_equal(header_boot_time(b), OTHER_BOOT_NS);
	unlink(a);
	unlink(b);
}

static void test_synthetic_has_no_clock(void **state)
{
	struct scap_open_opts so = { .sz = sizeof(so), .synthetic_events = 1 };
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h;
	int64_t v = 7;

	assert_int_equal(scap_open(&h, "synthetic", &so, err, sizeof(err)), 0);
	assert_int_equal(scap_boot_time(h, &v), -ENODATA);
	assert_string_equal(scap_last_error(h),
			    "scap_boot_time: the events of engine synthetic carry no clock time (synthetic timestamps)");
	assert_int_equal(scap_ts_to_wallclock(h, 1, &v), -ENODATA);
	assert_int_equal(v, 7);
	assert_int_equal(scap_boot_time(h, NULL), -EINVAL);
	assert_int_equal(scap_boot_time(NULL, &v), -EINVAL);
	scap_close(h);
}

/* The offset moves only the timestamp: the rest of the line is scap_event_format's. */
static void test_format_opts_offset(void **state)
{
	struct scap_open_opts so = { .sz = sizeof(so), .synthetic_events = 50 };
	char err[SCAP_ERRBUF_SIZE], plain[8192], moved[8192];
	struct scap *h;
	const struct scap_event *ev;
	unsigned cpu;

	assert_int_equal(scap_open(&h, "synthetic", &so, err, sizeof(err)), 0);
	assert_int_equal(scap_start(h), 0);
	while (scap_next(h, &ev, &cpu, 0) == 0) {
		struct scap_format_opts fo = { .sz = sizeof(fo), .fmt = SCAP_FORMAT_TEXT };
		int n = scap_event_format(ev, cpu, SCAP_FORMAT_TEXT, plain, sizeof(plain), NULL);

		assert_int_equal(scap_event_format_opts(ev, cpu, &fo, moved, sizeof(moved), NULL), n);
		assert_string_equal(plain, moved);
		fo.ts_offset_ns = 1000000000ll * 1000000; /* + 10^6 s */
		scap_event_format_opts(ev, cpu, &fo, moved, sizeof(moved), NULL);
		assert_string_equal(strchr(plain, ' '), strchr(moved, ' '));
		assert_int_equal(strtoull(moved, NULL, 10), scap_event_ts(ev) / 1000000000 + 1000000);
	}
	scap_close(h);
	struct scap_format_opts bad = { .sz = 0 };

	assert_int_equal(scap_event_format_opts(ev, 0, &bad, plain, sizeof(plain), NULL), -EINVAL);
	assert_int_equal(scap_event_format_opts(ev, 0, NULL, plain, sizeof(plain), NULL), -EINVAL);
}

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void test_live_is_this_host(void **state)
{
	static const char *const sys[] = { "getppid", NULL };
	struct scap_open_opts o = { .sz = sizeof(o), .syscalls = sys };
	char err[SCAP_ERRBUF_SIZE], line[256];
	const char *engine = NULL;
	struct scap *h;
	int64_t boot, btime = -1, wall;
	FILE *f;

	if (geteuid() == 0 && scap_engine_probe("modern_bpf", err, sizeof(err)) == 0)
		engine = "modern_bpf";
	else if (geteuid() == 0 && scap_engine_probe("bpf", err, sizeof(err)) == 0)
		engine = "bpf";
	if (!engine) {
		print_message("live part skipped: needs root and an eBPF engine usable here\n");
		return;
	}
	assert_int_equal(scap_open(&h, engine, &o, err, sizeof(err)), 0);
	assert_int_equal(scap_boot_time(h, &boot), 0);
	f = fopen("/proc/stat", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %" SCNd64, &btime) == 1)
			break;
	fclose(f);
	/* btime is the boot's wall-clock second, rounded down. */
	assert_true(boot / 1000000000 - btime >= -1 && boot / 1000000000 - btime <= 1);
	/* What CLOCK_BOOTTIME says now, converted, is CLOCK_REALTIME now (within 10 ms). */
	assert_int_equal(scap_ts_to_wallclock(h, (uint64_t)now_ns(CLOCK_BOOTTIME), &wall), 0);
	assert_true(llabs(wall - now_ns(CLOCK_REALTIME)) < 10000000);
	print_message("%s: boot time %" PRId64 " ns, /proc/stat btime %" PRId64 " s\n", engine, boot, btime);
	scap_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_from_another_host),
		cmocka_unit_test(test_synthetic_has_no_clock),
		cmocka_unit_test(test_format_opts_offset),
		cmocka_unit_test(test_live_is_this_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
