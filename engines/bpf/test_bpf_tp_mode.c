// SPDX-License-Identifier: Apache-2.0
/*
 * The bpf engine's tracepoint mode, forced with SCAP_PROBE_OVERRIDE=
 * raw_tracepoint=0 (docs/engines.md), checked where it differs from raw
 * tracepoints:
 *   mode       the engine says which mode it chose, and the kernel holds
 *              tracepoint programs only (prog_type in /proc/self/fdinfo);
 *              without the override, raw tracepoint programs only;
 *   no_args    a read entered before scap_start is not delivered and is
 *              counted; a read entered after it is delivered exactly;
 *   exec       execve from a non-leader thread (its exit comes with the
 *              leader's id) is delivered with res 0;
 *   ia32       an int 0x80 syscall is not decoded by its x86_64 number, in
 *              both modes (needs kernel BTF for the flag's offset).
 * Needs root; exits 77 (skip) with the reason otherwise.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scap/scap.h"
#include "platform/platform.h"
#include "test/common/host_probe.h"

#define DEADLINE_MS 10000

static int fails;
static char logbuf[8192];

#define FAIL(...) (printf("FAIL " __VA_ARGS__), printf("\n"), fails++)

static void collect_log(enum scap_log_level lvl, const char *msg, void *ctx)
{
	size_t n = strlen(logbuf);

	if (lvl < SCAP_LOG_INFO)
		return;
	snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", msg);
}

static struct scap *open_bpf(const char *override, const char *const *sel, pid_t pid)
{
	/* proc_off: the programs of exactly this selection (the process table would
	 * add its rows': clone, execve, set*id, chdir, procexit). */
	struct scap_open_opts o = { .sz = sizeof(o), .syscalls = sel, .pid = pid, .unpaired = true,
				    .log = collect_log, .proc_off = true };
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	setenv("SCAP_PROBE_OVERRIDE", override, 1);
	scap_platform_reset_cache(); /* the override is read once per cache life */
	logbuf[0] = '\0';
	if (scap_open(&h, "bpf", &o, err, sizeof(err))) {
		FAIL("open (%s): %s", override, err);
		return NULL;
	}
	return h;
}

/* BPF programs this process holds, by prog_type (5 tracepoint, 17 raw tracepoint). */
static void count_progs(unsigned *tp, unsigned *raw)
{
	DIR *d = opendir("/proc/self/fdinfo");
	struct dirent *de;

	*tp = *raw = 0;
	while (d && (de = readdir(d))) {
		char path[300], line[128];
		FILE *fp;

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%s", de->d_name);
		fp = fopen(path, "re");
		while (fp && fgets(line, sizeof(line), fp)) {
			if (!strcmp(line, "prog_type:\t5\n"))
				(*tp)++;
			else if (!strcmp(line, "prog_type:\t17\n"))
				(*raw)++;
		}
		if (fp)
			fclose(fp);
	}
	if (d)
		closedir(d);
}

/*
 * One capture of getppid and openat under `override`: the engine names
 * `mode`, and the kernel holds programs of that type only: the two
 * dispatchers, openat's enter and exit, the generic event's, and with BTF
 * the CO-RE program of openat's exit (it carries what was opened:
 * SCAP_EF_FD_OBJ), installed in the tail-call table in place of the other.
 */
static void check_mode(const char *label, const char *override, const char *mode, bool tp_mode)
{
	static const char *const sel[] = { "getppid", "openat", NULL };
	char key[64];
	unsigned tp, raw;
	struct scap *h = open_bpf(override, sel, 0);

	if (!h)
		return;
	unsigned want = strstr(logbuf, "CO-RE event programs in place") ? 6 : 5;

	count_progs(&tp, &raw);
	snprintf(key, sizeof(key), "bpf: attach mode: %s ", mode);
	if (!strstr(logbuf, key) || (tp_mode ? tp : raw) != want || (tp_mode ? raw : tp) != 0)
		FAIL("mode %s: %u tracepoint and %u raw tracepoint programs, want %u of the %s kind only; log:\n%s",
		     label, tp, raw, want, tp_mode ? "tracepoint" : "raw tracepoint", logbuf);
	else
		printf("PASS mode %s: %s (%u programs)\n", label, mode, want);
	scap_close(h);
}

static void test_mode(void)
{
	check_mode("forced", "raw_tracepoint=0", "tracepoint", true);
	setenv("SCAP_PROBE_OVERRIDE", "", 1);
	scap_platform_reset_cache();
	if (scap_feature_present(SCAP_FEAT_RAW_TRACEPOINT) != 1) {
		printf("SKIP mode probed: this kernel has no raw tracepoints\n");
		return;
	}
	check_mode("probed", "", "raw_tracepoint", false);
}

struct reader {
	int fd;
	pid_t tid;
	volatile int entered;
};

static void *read_one(void *arg)
{
	struct reader *r = arg;
	char c;

	r->tid = gettid();
	r->entered = 1;
	if (read(r->fd, &c, 1) != 1)
		r->tid = -1;
	return NULL;
}

/* Whether thread `tid` of this process sits in syscall `nr` (/proc/.../syscall). */
static int in_syscall(pid_t tid, int nr)
{
	char path[64], buf[64] = "";
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	if (!fgets(buf, sizeof(buf), fp))
		buf[0] = '\0';
	fclose(fp);
	return atoi(buf) == nr && buf[0] >= '0' && buf[0] <= '9';
}

/*
 * Reads until nothing comes for 1.5 s: events of `type` from `tid` in n[0]
 * (res of the last one in *res), from `tid2` in n[1].
 */
static void drain2(struct scap *h, uint16_t type, pid_t tid, pid_t tid2, unsigned n[2], int64_t *res)
{
	const struct scap_event *ev;
	unsigned cpu, waited = 0;
	int r;

	n[0] = n[1] = 0;
	while (waited < 1500) {
		r = scap_next(h, &ev, &cpu, 100);
		if (r == -EAGAIN) {
			waited += 100;
			continue;
		}
		if (r)
			break;
		if (scap_event_type(ev) == type && scap_event_tid(ev) == (uint32_t)tid) {
			struct scap_param p;

			if (res && scap_event_param_by_name(ev, "res", &p) == 0)
				*res = p.v.i;
			n[0]++;
		} else if (scap_event_type(ev) == type && scap_event_tid(ev) == (uint32_t)tid2) {
			n[1]++;
		}
	}
}

static unsigned drain(struct scap *h, uint16_t type, pid_t tid, int64_t *res)
{
	unsigned n[2];

	drain2(h, type, tid, -1, n, res);
	return n[0];
}

static void test_no_args(void)
{
	static const char *const sel[] = { "read", NULL };
	struct reader before = { 0 }, after = { 0 };
	pthread_t t1, t2;
	int p1[2], p2[2], waited = 0;
	unsigned n[2];
	int64_t res = 0;
	struct scap *h;

	if (pipe(p1) || pipe(p2)) {
		FAIL("pipe: %s", strerror(errno));
		return;
	}
	h = open_bpf("raw_tracepoint=0", sel, getpid());
	if (!h)
		return;
	before.fd = p1[0];
	pthread_create(&t1, NULL, read_one, &before);
	while (!before.entered || !in_syscall(before.tid, 0)) {
		if ((waited += 10) > DEADLINE_MS) {
			FAIL("no_args: the reader never blocked in read");
			break;
		}
		usleep(10000);
	}
	scap_start(h);
	if (write(p1[1], "x", 1) != 1 || write(p2[1], "y", 1) != 1)
		FAIL("no_args: write: %s", strerror(errno));
	pthread_join(t1, NULL);
	after.fd = p2[0];
	pthread_create(&t2, NULL, read_one, &after);
	pthread_join(t2, NULL);
	struct scap_stats st = { .sz = sizeof(st) };

	drain2(h, SCAP_EV_READ_X, after.tid, before.tid, n, &res);
	scap_get_stats(h, &st);
	scap_close(h);
	if (n[1] != 0 || n[0] != 1 || res != 1 || st.exits_without_enter != 1 ||
	    !strstr(logbuf, "bpf: 1 syscall exits were not captured because their enter was not seen"))
		FAIL("no_args: read entered before start: %u events (want 0), after: %u (want 1, res %lld "
		     "want 1), exits_without_enter %llu (want 1); log:\n%s", n[1], n[0], (long long)res,
		     (unsigned long long)st.exits_without_enter, logbuf);
	else
		printf("PASS no_args: the read entered before start is counted, not delivered; the next is\n");
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}

static void *exec_thread(void *arg)
{
	char *const argv[] = { "/bin/true", NULL };

	execv("/bin/true", argv);
	_exit(127);
}

static void test_exec_thread(void)
{
	static const char *const sel[] = { "execve", NULL };
	struct scap *h = open_bpf("raw_tracepoint=0", sel, 0);
	int64_t res = -1;
	pid_t child;
	unsigned n;
	int st;

	if (!h)
		return;
	scap_start(h);
	child = fork();
	if (child == 0) {
		pthread_t t;

		pthread_create(&t, NULL, exec_thread, NULL);
		pthread_join(t, NULL);
		_exit(126);
	}
	waitpid(child, &st, 0);
	n = drain(h, SCAP_EV_EXECVE_X, child, &res);
	scap_close(h);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || n != 1 || res != 0)
		FAIL("exec: execve from a non-leader thread: %u events from %d (want 1), res %lld (want 0), "
		     "status %d", n, (int)child, (long long)res, st);
	else
		printf("PASS exec: execve from a non-leader thread delivered as %d, res 0\n", (int)child);
}

static void *ia32_thread(void *arg)
{
	char c = 'z';
	struct iovec iov = { &c, 1 };
	long r;
	int fd = *(int *)arg;

	/* ia32 syscall 20 is getpid; x86_64 20 is writev */
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	*(int *)arg = (int)gettid();
	return (void *)(r == getpid() && writev(fd, &iov, 1) == 1 ? (void *)1 : NULL);
}

static void test_ia32(const char *override, const char *mode)
{
	static const char *const sel[] = { "writev", NULL };
	struct scap *h;
	pthread_t t;
	void *ok = NULL;
	int fd, arg;
	int64_t res = 0;
	unsigned n;
	char why[256];

	if (!host_ia32_int80_works(why, sizeof(why))) {
		printf("SKIP ia32 (%s): %s\n", mode, why);
		return;
	}
	h = open_bpf(override, sel, getpid());
	if (!h)
		return;
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	arg = fd;
	scap_start(h);
	pthread_create(&t, NULL, ia32_thread, &arg);
	pthread_join(t, &ok);
	n = drain(h, SCAP_EV_WRITEV_X, arg, &res);
	scap_close(h);
	close(fd);
	if (!ok)
		printf("SKIP ia32: int 0x80 getpid did not work here (no ia32 emulation)\n");
	else if (n != 1 || res != 1)
		FAIL("ia32 (%s): %u writev events (want 1: the real one, not the int 0x80 getpid), res %lld",
		     mode, n, (long long)res);
	else
		printf("PASS ia32 (%s): int 0x80 getpid not taken for writev\n", mode);
}

int main(void)
{
	char reason[SCAP_ERRBUF_SIZE];

	setenv("SCAP_PROBE_OVERRIDE", "raw_tracepoint=0", 1);
	if (scap_engine_probe("bpf", reason, sizeof(reason))) {
		printf("SKIP: bpf is not usable here: %s\n", reason);
		return 77;
	}
	/* A part that crashes is named in the log (the parts share this process). */
	host_name_crashes();
	host_crash_part("mode");
	test_mode();
	host_crash_part("no_args");
	test_no_args();
	host_crash_part("exec_thread");
	test_exec_thread();
	host_crash_part("ia32 (tracepoint)");
	test_ia32("raw_tracepoint=0", "tracepoint");
	/* The ia32 flag's offset from the kernel version, as without BTF (4.14-4.16). */
	host_crash_part("ia32 (tracepoint, no BTF)");
	test_ia32("raw_tracepoint=0,btf=0", "tracepoint, no BTF");
	setenv("SCAP_PROBE_OVERRIDE", "", 1);
	scap_platform_reset_cache();
	host_crash_part("ia32 (raw_tracepoint)");
	if (scap_feature_present(SCAP_FEAT_RAW_TRACEPOINT) == 1)
		test_ia32("", "raw_tracepoint");
	host_crash_part(NULL);
	printf("%s\n", fails ? "FAIL" : "PASS");
	return fails ? 1 : 0;
}
