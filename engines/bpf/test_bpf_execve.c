// SPDX-License-Identifier: Apache-2.0
/*
 * What the bpf engine's execve exit event carries with and without BTF
 * (docs/engines.md): without BTF (SCAP_PROBE_OVERRIDE=btf=0) comm, uid, gid,
 * the new image's argv (read from its fresh stack) and pathname (the file name
 * sched_process_exec reports) are there and exe, cwd, ppid and cgroup are
 * empty; with BTF (the CO-RE programs) all are there. Unpaired mode: the driver's own exit event. Needs root; exits 77
 * (skip) with the reason otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scap/scap.h"
#include "platform/platform.h"

#define DEADLINE_MS 15000

static const char argv_bytes[] = "/bin/true\0first\0second\0"; /* sizeof includes the array's final NUL */

static int fails;

static void expect_str(const struct scap_event *ev, const char *name, const char *want, const char *mode)
{
	struct scap_param p;

	if (scap_event_param_by_name(ev, name, &p)) {
		printf("FAIL %s: no parameter %s\n", mode, name);
		fails++;
	} else if (!want && p.len != 0) {
		printf("FAIL %s: %s should be empty, is %u bytes\n", mode, name, p.len);
		fails++;
	} else if (want && (!p.str || strcmp(p.str, want))) {
		printf("FAIL %s: %s = \"%s\", want \"%s\"\n", mode, name, p.str ? p.str : "", want);
		fails++;
	}
}

static void expect_int(const struct scap_event *ev, const char *name, int64_t want, bool empty, const char *mode)
{
	struct scap_param p;

	if (scap_event_param_by_name(ev, name, &p)) {
		printf("FAIL %s: no parameter %s\n", mode, name);
		fails++;
	} else if (empty ? p.len != 0 : (p.len == 0 || p.v.i != want)) {
		printf("FAIL %s: %s = %lld (%u bytes), want %s%lld\n", mode, name, (long long)p.v.i, p.len,
		       empty ? "empty, not " : "", (long long)want);
		fails++;
	}
}

static int one(bool btf)
{
	const char *mode = btf ? "with BTF" : "without BTF";
	static const char *const sel[] = { "execve", NULL };
	struct scap_open_opts o = { .sz = sizeof(o), .syscalls = sel, .unpaired = true };
	char err[SCAP_ERRBUF_SIZE], exe[PATH_MAX], cwd[PATH_MAX];
	const struct scap_event *ev;
	struct scap *h;
	unsigned cpu, waited = 0;
	pid_t child;
	int st, r;

	if (!realpath("/bin/true", exe) || !getcwd(cwd, sizeof(cwd))) {
		printf("SKIP: /bin/true or the working directory is not resolvable\n");
		return 77;
	}
	setenv("SCAP_PROBE_OVERRIDE", btf ? "" : "btf=0", 1);
	scap_platform_reset_cache(); /* the override is read once per process */
	r = scap_open(&h, "bpf", &o, err, sizeof(err));
	if (r) {
		printf("SKIP %s: %s\n", mode, err);
		return 77;
	}
	scap_start(h);
	child = fork();
	if (child == 0) {
		char *const argv[] = { "/bin/true", "first", "second", NULL };

		execv("/bin/true", argv);
		_exit(127);
	}
	waitpid(child, &st, 0);
	for (;;) {
		r = scap_next(h, &ev, &cpu, 100);
		if (r == -EAGAIN && (waited += 100) < DEADLINE_MS)
			continue;
		if (r) {
			printf("FAIL %s: no execve exit event from %d (%s)\n", mode, (int)child, strerror(-r));
			fails++;
			break;
		}
		if (scap_event_type(ev) != SCAP_EV_EXECVE_X || scap_event_tid(ev) != (uint32_t)child)
			continue;
		struct scap_param p;

		expect_int(ev, "res", 0, false, mode);
		if (scap_event_param_by_name(ev, "argv", &p) || p.len != sizeof(argv_bytes) ||
		    memcmp(p.data, argv_bytes, sizeof(argv_bytes))) {
			printf("FAIL %s: argv is %u bytes, want \"/bin/true\\0first\\0second\\0\"\n", mode, p.len);
			fails++;
		}
		expect_str(ev, "comm", "true", mode);
		expect_int(ev, "uid", getuid(), false, mode);
		expect_int(ev, "gid", getgid(), false, mode);
		expect_str(ev, "pathname", "/bin/true", mode);
		expect_str(ev, "exe", btf ? exe : NULL, mode);
		expect_str(ev, "cwd", btf ? cwd : NULL, mode);
		expect_int(ev, "ppid", getpid(), !btf, mode);
		if (!btf)
			expect_str(ev, "cgroup", NULL, mode);
		break;
	}
	scap_close(h);
	return 0;
}

int main(void)
{
	char reason[SCAP_ERRBUF_SIZE];

	if (scap_engine_probe("bpf", reason, sizeof(reason))) {
		printf("SKIP: bpf is not usable here: %s\n", reason);
		return 77;
	}
	if (one(false) == 77)
		return 77;
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		one(true);
	else
		printf("(this kernel has no BTF: the CO-RE half is not checked)\n");
	printf("%s\n", fails ? "FAIL" : "PASS");
	return fails ? 1 : 0;
}
