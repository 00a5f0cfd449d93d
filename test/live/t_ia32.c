// SPDX-License-Identifier: Apache-2.0
/*
 * An ia32 syscall made with `int $0x80` from 64-bit code: its number belongs
 * to the ia32 table, and the code segment stays the 64-bit one, so a driver
 * that looks only at the segment decodes it by the x86_64 table. ia32 20 is
 * getpid; x86_64 20 is writev: such a driver reports a writev that never
 * happened (and a process can hide an ia32 open behind an x86_64 fstat).
 * ia32 syscalls are not captured (docs/engines.md): the test asserts the real
 * writev that follows arrives, and that no writev is invented.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "live.h"
#include "../common/host_probe.h"

#if defined(__x86_64__)

#define IA32_NR_GETPID 20L /* arch/x86/entry/syscalls/syscall_32.tbl */

struct ia32_job {
	long int80_res; /* what int $0x80 returned: getpid() when ia32 emulation works */
	int fd;
	ssize_t writev_res;
};

static void *do_int80_then_writev(void *p)
{
	struct ia32_job *j = p;
	char c = 'z';
	struct iovec iov = { &c, 1 };
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(IA32_NR_GETPID) : "memory");
	j->int80_res = r;
	j->writev_res = writev(j->fd, &iov, 1);
	return NULL;
}

static int run(struct live_test *t, const char *const *syscalls, const char *label)
{
	struct scap_open_opts o = { .syscalls = syscalls };
	struct ia32_job j = { .fd = open("/dev/null", O_WRONLY | O_CLOEXEC) };
	struct scap *h;
	pid_t tid;
	int r;

	if (j.fd < 0)
		return live_fail(t, "cannot open /dev/null");
	/* kmod serves one capture at a time. */
	live_shared_close();
	h = live_open(t, &o);
	if (!h) {
		close(j.fd);
		return LIVE_FAIL;
	}
	live_run_thread(do_int80_then_writev, &j, &tid);
	if (j.int80_res != getpid()) {
		scap_close(h);
		close(j.fd);
		return live_skip(t, "int $0x80 getpid returned %ld here: no ia32 emulation", j.int80_res);
	}

	struct want_event w[] = {
		{ .what = "the real writev", .tid = (uint32_t)tid, .type = SCAP_EV_WRITEV_X,
		  .key = WS("res", 1), .params = { WS("res", 1), WS("fd", j.fd) } },
		{ .what = "a writev made up from int $0x80 getpid", .tid = (uint32_t)tid,
		  .type = SCAP_EV_WRITEV_X, .key = WS("res", getpid()), .forbidden = true },
	};
	r = live_expect(t, h, w, 2);
	scap_close(h);
	close(j.fd);
	if (r == LIVE_FAIL) {
		char why[sizeof(t->msg)];

		memcpy(why, t->msg, sizeof(why));
		return live_fail(t, "%s: %s", label, why);
	}
	return r;
}

int test_ia32_int80(struct live_test *t)
{
	char why[256];
	int r;

	/* Some hosts kill a process that makes an ia32 syscall: ask a child first. */
	if (!host_ia32_int80_works(why, sizeof(why)))
		return live_skip(t, "%s", why);
	/* Every syscall: the global exit hook. */
	r = run(t, NULL, "all syscalls");
	/* A small selection: modern_bpf's per-syscall tracepoints where it has them. */
	static const char *const writev_only[] = { "writev", "getpid", NULL };

	if (r != LIVE_PASS)
		return r;
	return run(t, writev_only, "writev and getpid selected");
}
#else
int test_ia32_int80(struct live_test *t)
{
	/*
	 * The AArch32 (compat) syscalls of arm64, and powerpc's 32-bit tasks,
	 * are per task, not per call: testing them needs a 32-bit binary
	 * (docs/engines.md); Debian's ppc64el kernels have no CONFIG_COMPAT.
	 */
	return live_skip(t, "int $0x80 is x86 only; 32-bit compat syscalls (AArch32, ppc32) are not tested here");
}
#endif
