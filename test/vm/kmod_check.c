// SPDX-License-Identifier: Apache-2.0
/*
 * Direct checks of the scap module through its device API, independent of
 * the library: the bytes the module writes are parsed here by hand, so a
 * wrong layout cannot be hidden by a matching bug in the decoder. Runs
 * inside the VM (test/vm/run.sh), statically linked.
 *
 *   kmod_check events     exact decoded values of openat (enter and exit),
 *                         write (snaplen cut), getppid (generic event), close
 *   kmod_check drops      a ring nobody reads: every event is stored or
 *                         counted as a drop
 *   kmod_check churn N    N open/start/close cycles while threads on every
 *                         CPU hammer syscalls (teardown under load)
 *   kmod_check hold       opens and starts capture with load running, prints
 *                         "holding", and waits to be killed
 *   kmod_check busy       a second open of the device fails with EBUSY
 *   kmod_check hostile    user space corrupts the control pages and scribbles
 *                         over the data while capture runs: the module counts
 *                         drops_other, never crashes, and recovers
 *   kmod_check clone      clone's argument order as the kernel reads it, against
 *                         the parent's and the child's clone exit events
 *   kmod_check announces badver|badschema
 *                         a test module built claiming API version 999 or schema
 *                         999 says so where the library reads it to refuse it
 *                         (sysfs, the INFO ioctl): for a VM without the library
 *
 * Exit status: 0 pass, 1 fail (the reason on stderr), 77 skip.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "drivers/kmod/scap_kmod_api.h"
#include "drivers/common/schema.h"

#define MAX_CPUS 64
/* The flags of the openat calls with unreadable pathnames. */
#define BAD_FLAGS (O_RDONLY | O_DIRECTORY)

struct ring {
	struct scap_kmod_ctrl *ctrl;
	const uint8_t *data;
	uint64_t tail;
};

static int dev = -1;
static struct scap_kmod_info info;
static struct ring rings[MAX_CPUS];
static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	failures++;
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static int dev_open(void)
{
	dev = open(SCAP_KMOD_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		int e = errno;

		fprintf(stderr, "cannot open %s: %s\n", SCAP_KMOD_DEVICE_PATH, strerror(e));
		errno = e;
		return -1;
	}
	if (ioctl(dev, SCAP_KMOD_IOC_INFO, &info) < 0) {
		fail("INFO ioctl: %s", strerror(errno));
		return -1;
	}
	if (info.api_version != SCAP_KMOD_API_VERSION || info.layout_version != SCAP_EVENT_LAYOUT_VERSION ||
	    info.ev_max != SCAP_EV_MAX || info.nr_syscalls != SCAP_NR_SYSCALLS) {
		fail("module versions api %u layout %u ev_max %u nr %u, want %u %u %u %u", info.api_version,
		     info.layout_version, info.ev_max, info.nr_syscalls, SCAP_KMOD_API_VERSION,
		     SCAP_EVENT_LAYOUT_VERSION, (unsigned)SCAP_EV_MAX, SCAP_NR_SYSCALLS);
		return -1;
	}
	if (info.nr_cpu_ids > MAX_CPUS) {
		fail("%u CPU ids, this check handles %u", info.nr_cpu_ids, MAX_CPUS);
		return -1;
	}
	for (unsigned c = 0; c < info.nr_cpu_ids; c++) {
		size_t len = SCAP_KMOD_MAP_LEN(info.page_size, info.buffer_bytes);
		void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, dev,
			       (off_t)SCAP_KMOD_MAP_OFFSET(c));

		if (p == MAP_FAILED) {
			fail("mmap of CPU %u: %s", c, strerror(errno));
			return -1;
		}
		rings[c].ctrl = p;
		rings[c].data = (const uint8_t *)p + info.page_size;
		rings[c].tail = rings[c].ctrl->tail;
		if (rings[c].ctrl->buffer_bytes != info.buffer_bytes || rings[c].ctrl->cpu != c) {
			fail("ctrl page of CPU %u says size %u cpu %u", c, rings[c].ctrl->buffer_bytes,
			     rings[c].ctrl->cpu);
			return -1;
		}
	}
	return 0;
}

/*
 * close_first: close the fd while the rings are still mapped, so that the
 * module's release runs at the last munmap instead of at close.
 */
static void dev_close_order(bool close_first)
{
	size_t len = SCAP_KMOD_MAP_LEN(info.page_size, info.buffer_bytes);

	if (close_first && dev >= 0) {
		close(dev);
		dev = -1;
	}
	for (unsigned c = 0; c < info.nr_cpu_ids && c < MAX_CPUS; c++)
		if (rings[c].ctrl)
			munmap(rings[c].ctrl, len);
	memset(rings, 0, sizeof(rings));
	if (dev >= 0)
		close(dev);
	dev = -1;
}

static void dev_close(void)
{
	dev_close_order(false);
}

static int select_events(const int *nrs, int n, uint32_t kevents)
{
	struct scap_kmod_syscalls sel;

	memset(&sel, 0, sizeof(sel));
	for (int i = 0; i < n; i++)
		sel.bitmap[nrs[i] / 8] |= (uint8_t)(1u << (nrs[i] % 8));
	sel.kevents = kevents;
	if (ioctl(dev, SCAP_KMOD_IOC_SET_SYSCALLS, &sel) < 0) {
		fail("SET_SYSCALLS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int select_syscalls(const int *nrs, int n)
{
	return select_events(nrs, n, 0);
}

/* ---- reading events ---------------------------------------------------- */

struct param {
	const uint8_t *data;
	uint16_t len;  /* data bytes */
	bool partial;  /* SCAP_PARAM_PARTIAL */
};

struct event {
	struct scap_evt_hdr hdr;
	struct param p[SCAP_MAX_PARAMS];
	uint8_t bytes[SCAP_MAX_EVENT_LEN];
};

/* Next event of CPU c's ring copied out and split, or 0 when empty. */
static int next_event(unsigned c, struct event *ev)
{
	struct ring *r = &rings[c];
	uint64_t head = __atomic_load_n(&r->ctrl->head, __ATOMIC_ACQUIRE);
	const uint8_t *p;
	uint32_t off;

	if (r->tail == head)
		return 0;
	p = r->data + (r->tail & (info.buffer_bytes - 1));
	memcpy(&ev->hdr, p, sizeof(ev->hdr));
	if (ev->hdr.len < SCAP_EVT_HDR_LEN || SCAP_KMOD_ALIGN(ev->hdr.len) > head - r->tail ||
	    ev->hdr.nparams > SCAP_MAX_PARAMS) {
		fail("CPU %u: broken event at %llu: len %u nparams %u", c, (unsigned long long)r->tail,
		     ev->hdr.len, ev->hdr.nparams);
		r->tail = head;
		return -1;
	}
	/* Read in one piece even when it wraps: the data is mapped twice. */
	memcpy(ev->bytes, p, ev->hdr.len);
	off = SCAP_EVT_HDR_LEN + 2u * ev->hdr.nparams;
	for (unsigned i = 0; i < ev->hdr.nparams; i++) {
		uint16_t l;

		memcpy(&l, ev->bytes + SCAP_EVT_HDR_LEN + 2 * i, 2);
		/* Bit 15 is the value's partial mark (cut, or unreadable when empty). */
		ev->p[i].partial = (l & SCAP_PARAM_PARTIAL) != 0;
		l &= SCAP_PARAM_LEN_MASK;
		if (off + l > ev->hdr.len) {
			fail("event type %u: parameter %u overruns the event", ev->hdr.type, i);
			r->tail = head;
			return -1;
		}
		ev->p[i].data = ev->bytes + off;
		ev->p[i].len = l;
		off += l;
	}
	if (off != ev->hdr.len)
		fail("event type %u: parameters end at %u, len says %u", ev->hdr.type, off, ev->hdr.len);
	r->tail += SCAP_KMOD_ALIGN(ev->hdr.len);
	__atomic_store_n(&r->ctrl->tail, r->tail, __ATOMIC_RELEASE);
	return 1;
}

static int64_t p_s64(const struct event *ev, unsigned i)
{
	int64_t v = 0;

	if (ev->p[i].len != 8)
		fail("event %u param %u: length %u, want 8", ev->hdr.type, i, ev->p[i].len);
	else
		memcpy(&v, ev->p[i].data, 8);
	return v;
}

static uint32_t p_u32(const struct event *ev, unsigned i)
{
	uint32_t v = 0;

	if (ev->p[i].len != 4)
		fail("event %u param %u: length %u, want 4", ev->hdr.type, i, ev->p[i].len);
	else
		memcpy(&v, ev->p[i].data, 4);
	return v;
}

static void expect_i(const char *what, int64_t got, int64_t want)
{
	if (got != want)
		fail("%s = %lld, want %lld", what, (long long)got, (long long)want);
	else
		printf("  ok %s = %lld\n", what, (long long)got);
}

static void expect_bytes(const char *what, const struct event *ev, unsigned i, const void *want,
			 size_t n)
{
	if (ev->p[i].len != n || memcmp(ev->p[i].data, want, n) != 0)
		fail("%s: %u bytes, not the %zu expected", what, ev->p[i].len, n);
	else
		printf("  ok %s (%zu bytes)\n", what, n);
}

static void expect_str(const char *what, const struct event *ev, unsigned i, const char *want)
{
	size_t n = strlen(want) + 1;

	if (ev->p[i].len != n || memcmp(ev->p[i].data, want, n) != 0)
		fail("%s = \"%.*s\" (%u bytes), want \"%s\"", what, (int)ev->p[i].len,
		     (const char *)ev->p[i].data, ev->p[i].len, want);
	else
		printf("  ok %s = \"%s\"\n", what, want);
}

/* ---- events ------------------------------------------------------------ */

/*
 * What a connect to a closed loopback port returns: ECONNREFUSED, or
 * ETIMEDOUT when SCAP_TEST_REFUSED_CONNECT=ETIMEDOUT (guest.sh sets it only
 * after check_rst captured this kernel's reset with a wrong checksum).
 */
static int refused_connect_errno(void)
{
	const char *v = getenv("SCAP_TEST_REFUSED_CONNECT");

	return v && !strcmp(v, "ETIMEDOUT") ? ETIMEDOUT : ECONNREFUSED;
}

/*
 * Built without PIE (test/vm/run.sh passes -fno-pie -no-pie), an array of
 * pointers to literals needs no run-time relocation and goes to .rodata, a
 * private read-only file mapping that nothing ever writes. Built as PIE it
 * goes to .data.rel.ro, inside the writable data segment's mapping, which
 * has an anon_vma as soon as anything in that segment is written (the
 * kernel zeroes the .bss tail of its last file page at exec). There fork
 * copies the parent's page table entries, which on x86_64 let the child
 * read the array without a fault, while s390x's fork marks every copied
 * entry old, which on s390x is invalid (pte_mkold sets _PAGE_INVALID): the
 * child faults, and the page-cache fallback rightly refuses a mapping with
 * an anon_vma. In .rodata the check means the same on every architecture.
 */
#ifdef __PIE__
#error "kmod_check must be built -fno-pie -no-pie: lit_argv must be in .rodata (see lit_argv_in_clean_file_page)"
#endif
static char *const lit_argv[] = { "true", "lit", NULL };

/*
 * The precondition of the literals check, from /proc/self/smaps: lit_argv
 * (and its strings) lie in a private file mapping without write permission
 * that holds no anonymous (copied-on-write) page. Any other layout would
 * test something else, so it is a failure of this check's build.
 */
static bool lit_argv_in_clean_file_page(void)
{
	const uintptr_t addrs[3] = { (uintptr_t)lit_argv, (uintptr_t)lit_argv[0], (uintptr_t)lit_argv[1] };
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512], range[512] = "";
	unsigned found = 0;
	bool in = false, bad = false;

	if (!f)
		return fail("literals check: /proc/self/smaps: %s", strerror(errno)), false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, ino, kb;
		char perms[8];
		int pathpos = 0;

		if (sscanf(line, "%lx-%lx %7s %*x %*x:%*x %lu %n", &lo, &hi, perms, &ino, &pathpos) >= 4 &&
		    pathpos > 0) {
			unsigned n = 0;

			for (unsigned i = 0; i < 3; i++)
				n += addrs[i] >= lo && addrs[i] < hi;
			in = n > 0;
			if (!in)
				continue;
			found += n;
			snprintf(range, sizeof(range), "%s", line);
			range[strcspn(range, "\n")] = '\0';
			if (perms[1] == 'w' || perms[3] != 'p' || ino == 0 || line[pathpos] != '/') {
				fail("literals check: lit_argv or its strings are in \"%s\", not a read-only "
				     "private file mapping (kmod_check built as PIE?)", range);
				bad = true;
			}
			continue;
		}
		if (in && sscanf(line, "Anonymous: %lu kB", &kb) == 1 && kb != 0) {
			fail("literals check: \"%s\" holds %lu kB of anonymous pages", range, kb);
			bad = true;
		}
	}
	fclose(f);
	if (found != 3) {
		fail("literals check: lit_argv and its strings not all found in /proc/self/smaps");
		return false;
	}
	if (bad)
		return false;
	printf("literals: lit_argv %p and its strings in \"%s\" (read-only file mapping, no anonymous page)\n",
	       (void *)lit_argv, range);
	return true;
}

static int check_events(void)
{
	const int nrs[] = { SCAP_NR_openat, SCAP_NR_write, SCAP_NR_close, SCAP_NR_getppid,
			    SCAP_NR_connect, SCAP_NR_execve };
	/*
	 * 127.0.0.1:1, where nothing listens: ECONNREFUSED, deterministic;
	 * ETIMEDOUT where guest.sh's probe (check_rst) found this kernel's
	 * reset dropped for a wrong checksum and said so.
	 */
	const int refused_errno = refused_connect_errno();
	const char *refused_what = refused_errno == ECONNREFUSED ? "res is -ECONNREFUSED" : "res is -ETIMEDOUT (reset dropped)";
	/* The family code, the address in network order, the port in host order (event-format.md). */
	uint8_t want_sa[7] = { SCAP_SA_INET, 127, 0, 0, 1 };
	const uint16_t want_port = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(1) };
	bool seen_ce = false, seen_cx = false, seen_ee = false, seen_ex = false, seen_px = false;
	int sock, cres, cerr, status;
	pid_t child, child_lit;
	long bad_res[2], bad_wres;
	/* What openat really opened, as the caller sees it: readlink of its fd, fstat. */
	char opened[4096] = "", fdlink[64];
	struct stat opened_st = { 0 };
	ssize_t olen;
	unsigned bad_e = 0, bad_x = 0;
	bool seen_bad_w = false;
	void *gone;
	bool seen_lit = false;
	char path[64];
	char payload[32];
	uint32_t snaplen = 8;
	bool seen_oe = false, seen_ox = false, seen_w = false, seen_g = false, seen_c = false;
	pid_t tid = gettid_();
	struct event *ev = malloc(sizeof(*ev));
	int fd, ppid;
	long wres;

	memcpy(want_sa + 5, &want_port, sizeof(want_port));
	/* Before the capture starts: the check's own reads would be captured. */
	if (!lit_argv_in_clean_file_page())
		return 1;
	fflush(stdout);
	if (!ev || dev_open() < 0)
		return 1;
	if (select_events(nrs, 6, SCAP_KMOD_KEV_PROCEXIT) < 0)
		return 1;
	if (ioctl(dev, SCAP_KMOD_IOC_SET_SNAPLEN, &snaplen) < 0)
		return fail("SET_SNAPLEN: %s", strerror(errno)), 1;
	if (ioctl(dev, SCAP_KMOD_IOC_START) < 0)
		return fail("START: %s", strerror(errno)), 1;

	/* Path and data on the stack: resident when the enter probe reads them. */
	snprintf(path, sizeof(path), "/tmp/kmod-check-%d", (int)getpid());
	memcpy(payload, "0123456789abcdef", 17);
	fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return fail("openat %s: %s", path, strerror(errno)), 1;
	snprintf(fdlink, sizeof(fdlink), "/proc/self/fd/%d", fd);
	olen = readlink(fdlink, opened, sizeof(opened) - 1);
	opened[olen > 0 ? olen : 0] = '\0';
	fstat(fd, &opened_st);
	wres = write(fd, payload, 16);
	/* Unreadable pointers: a low address and a page just unmapped. */
	bad_res[0] = syscall(SYS_openat, AT_FDCWD, (const char *)16, BAD_FLAGS, 0) < 0 ? -errno : 0;
	gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, 4096);
	bad_res[1] = syscall(SYS_openat, AT_FDCWD, gone, BAD_FLAGS, 0) < 0 ? -errno : 0;
	bad_wres = write(fd, gone, 16) < 0 ? -errno : 0;
	ppid = (int)syscall(SYS_getppid);
	close(fd);
	unlink(path);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sock = socket(AF_INET, SOCK_STREAM, 0);
	cres = connect(sock, (struct sockaddr *)&sin, sizeof(sin));
	cerr = errno;
	close(sock);
	child = fork();
	if (child == 0) {
		char exe[] = "/bin/busybox", a0[] = "true", a1[] = "a1";
		char *argv[] = { a0, a1, NULL };

		if (chdir("/tmp") == 0)
			execve(exe, argv, (char *[]){ NULL });
		_exit(127);
	}
	waitpid(child, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail("the execve child exited with status %#x", status);
	/*
	 * An argv array and its strings in a read-only file mapping the
	 * child has not touched: fork copies no page table entries for such
	 * a mapping (it has no anon_vma), so the enter probe must read both
	 * from the page cache. lit_argv is file scope, in .rodata (built
	 * -fno-pie, above); its layout was checked before the capture started.
	 */
	child_lit = fork();
	if (child_lit == 0) {
		execve("/bin/busybox", lit_argv, (char *const[]){ NULL });
		_exit(127);
	}
	waitpid(child_lit, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail("the second execve child exited with status %#x", status);
	if (ioctl(dev, SCAP_KMOD_IOC_STOP) < 0)
		return fail("STOP: %s", strerror(errno)), 1;

	for (unsigned c = 0; c < info.nr_cpu_ids; c++) {
		int r;

		while ((r = next_event(c, ev)) > 0) {
			if (ev->hdr.tid == (uint32_t)child && ev->hdr.type == SCAP_EV_EXECVE_E) {
				printf("execve enter:\n");
				seen_ee = true;
				expect_str("pathname", ev, 0, "/bin/busybox");
				expect_bytes("argv = true a1", ev, 1, "true\0a1\0", 9);
				expect_i("argv whole", ev->p[1].partial, 0);
				continue;
			}
			if (ev->hdr.tid == (uint32_t)child_lit && ev->hdr.type == SCAP_EV_EXECVE_E) {
				printf("execve enter, literals of a fresh fork child:\n");
				seen_lit = true;
				expect_str("pathname", ev, 0, "/bin/busybox");
				expect_bytes("argv = true lit", ev, 1, "true\0lit\0", 10);
				continue;
			}
			if (ev->hdr.tid == (uint32_t)child && ev->hdr.type == SCAP_EV_EXECVE_X) {
				printf("execve exit:\n");
				seen_ex = true;
				expect_i("nparams", ev->hdr.nparams, 14);
				expect_i("res", p_s64(ev, 0), 0);
				expect_i("pathname (enter only)", ev->p[1].len, 0);
				expect_bytes("argv = true a1", ev, 2, "true\0a1\0", 9);
				expect_str("exe", ev, 3, "/bin/busybox");
				expect_str("comm", ev, 4, "busybox");
				expect_i("ppid", p_s64(ev, 5), getpid());
				expect_i("uid", p_u32(ev, 6), getuid());
				expect_i("gid", p_u32(ev, 7), getgid());
				expect_str("cwd", ev, 8, "/tmp");
				expect_str("cgroup", ev, 9, "/");
				expect_i("euid", p_u32(ev, 10), geteuid());
				expect_i("egid", p_u32(ev, 11), getegid());
				/* No login in the guest: unset. */
				expect_i("loginuid", p_u32(ev, 12), 4294967295u);
				expect_i("old_tid", p_s64(ev, 13), child);
				continue;
			}
			/* The execve child's end: exit code 0 of busybox true. */
			if (ev->hdr.tid == (uint32_t)child && ev->hdr.type == SCAP_EV_PROCEXIT_E) {
				printf("procexit of the execve child:\n");
				seen_px = true;
				expect_i("nparams", ev->hdr.nparams, 5);
				expect_i("pid", ev->hdr.pid, child);
				expect_i("status", (int32_t)p_u32(ev, 0), 0);
				expect_i("code", (int32_t)p_u32(ev, 1), 0);
				expect_i("sig", (int32_t)p_u32(ev, 2), 0);
				expect_i("core", ev->p[3].len == 1 ? ev->p[3].data[0] : -1, 0);
				expect_i("last", ev->p[4].len == 1 ? ev->p[4].data[0] : -1, 1);
				continue;
			}
			if (ev->hdr.tid != (uint32_t)tid)
				continue;
			if (ev->hdr.pid != (uint32_t)getpid())
				fail("pid %u, want %d", ev->hdr.pid, (int)getpid());
			switch (ev->hdr.type) {
			case SCAP_EV_OPENAT_E:
				if (p_u32(ev, 2) == BAD_FLAGS) {
					printf("openat enter, unreadable pathname %u:\n", bad_e);
					expect_i("pathname length", ev->p[1].len, 0);
					expect_i("pathname marked unreadable", ev->p[1].partial, 1);
					bad_e++;
					break;
				}
				printf("openat enter:\n");
				seen_oe = true;
				expect_i("nparams", ev->hdr.nparams, 4);
				expect_i("dirfd", p_s64(ev, 0), AT_FDCWD);
				expect_str("pathname", ev, 1, path);
				expect_i("flags", p_u32(ev, 2), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC);
				expect_i("mode", p_u32(ev, 3), 0640);
				break;
			case SCAP_EV_OPENAT_X:
				if (p_u32(ev, 3) == BAD_FLAGS) {
					printf("openat exit, unreadable pathname %u:\n", bad_x);
					expect_i("res", p_s64(ev, 0), bad_x < 2 ? bad_res[bad_x] : 0);
					expect_i("res is -EFAULT", p_s64(ev, 0), -EFAULT);
					expect_i("pathname length", ev->p[2].len, 0);
					expect_i("pathname marked unreadable", ev->p[2].partial, 1);
					expect_i("opened length (nothing opened)", ev->p[5].len, 0);
					expect_i("opened_ino length", ev->p[7].len, 0);
					bad_x++;
					break;
				}
				printf("openat exit:\n");
				seen_ox = true;
				expect_i("nparams", ev->hdr.nparams, 8);
				expect_i("res", p_s64(ev, 0), fd);
				expect_i("dirfd", p_s64(ev, 1), AT_FDCWD);
				expect_str("pathname", ev, 2, path);
				expect_i("flags", p_u32(ev, 3), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC);
				expect_i("mode", p_u32(ev, 4), 0640);
				/* What was really opened: readlink and fstat of the fd, taken before close. */
				expect_str("opened", ev, 5, opened);
				expect_i("opened_dev", p_s64(ev, 6), (int64_t)opened_st.st_dev);
				expect_i("opened_ino", p_s64(ev, 7), (int64_t)opened_st.st_ino);
				break;
			case SCAP_EV_WRITE_X:
				if (p_s64(ev, 0) < 0) {
					printf("write exit, unreadable buffer:\n");
					seen_bad_w = true;
					expect_i("res", p_s64(ev, 0), bad_wres);
					expect_i("res is -EFAULT", p_s64(ev, 0), -EFAULT);
					expect_i("buf length", ev->p[2].len, 0);
					expect_i("buf marked unreadable", ev->p[2].partial, 1);
					break;
				}
				printf("write exit:\n");
				seen_w = true;
				expect_i("res", p_s64(ev, 0), wres);
				expect_i("fd", p_s64(ev, 1), fd);
				expect_i("buf length (snaplen 8)", ev->p[2].len, 8);
				if (memcmp(ev->p[2].data, "01234567", 8))
					fail("buf = %.8s, want 01234567", (const char *)ev->p[2].data);
				expect_i("truncated flag", ev->hdr.flags & SCAP_EVF_TRUNCATED, SCAP_EVF_TRUNCATED);
				expect_i("buf marked cut", ev->p[2].partial, 1);
				expect_i("count", p_s64(ev, 3), 16);
				break;
			case SCAP_EV_GENERIC_X:
				printf("generic exit:\n");
				seen_g = true;
				expect_i("res", p_s64(ev, 0), ppid);
				expect_i("syscall", p_u32(ev, 1), SCAP_NR_getppid);
				expect_i("args length", ev->p[2].len, 48);
				break;
			case SCAP_EV_CLOSE_X:
				if (p_s64(ev, 1) != fd)
					break;
				printf("close exit:\n");
				seen_c = true;
				expect_i("res", p_s64(ev, 0), 0);
				break;
			case SCAP_EV_CONNECT_E:
				printf("connect enter:\n");
				seen_ce = true;
				expect_i("sockfd", p_s64(ev, 0), sock);
				expect_bytes("addr = inet 127.0.0.1:1", ev, 1, want_sa, sizeof(want_sa));
				break;
			case SCAP_EV_CONNECT_X:
				printf("connect exit:\n");
				seen_cx = true;
				expect_i("res", p_s64(ev, 0), cres < 0 ? -cerr : cres);
				expect_i(refused_what, p_s64(ev, 0), -refused_errno);
				expect_i("sockfd", p_s64(ev, 1), sock);
				expect_bytes("addr = inet 127.0.0.1:1", ev, 2, want_sa, sizeof(want_sa));
				expect_i("peer length (refused: not connected)", ev->p[3].len, 0);
				break;
			default:
				fail("unexpected event type %u from our thread (not selected)", ev->hdr.type);
			}
		}
	}
	if (!seen_lit)
		fail("missing the execve enter of the child that passes literals");
	if (bad_e != 2 || bad_x != 2 || !seen_bad_w)
		fail("unreadable pointers: %u openat enters, %u exits (want 2 and 2), write %d", bad_e,
		     bad_x, seen_bad_w);
	if (!seen_oe || !seen_ox || !seen_w || !seen_g || !seen_c || !seen_ce || !seen_cx ||
	    !seen_ee || !seen_ex || !seen_px)
		fail("missing events: openat enter %d exit %d, write %d, getppid %d, close %d, "
		     "connect enter %d exit %d, execve enter %d exit %d, procexit %d", seen_oe, seen_ox, seen_w,
		     seen_g, seen_c, seen_ce, seen_cx, seen_ee, seen_ex, seen_px);
	for (unsigned c = 0; c < info.nr_cpu_ids; c++) {
		struct scap_kmod_stats st = { .cpu = c };

		if (ioctl(dev, SCAP_KMOD_IOC_STATS, &st) < 0)
			fail("STATS cpu %u: %s", c, strerror(errno));
		else if (st.events != rings[c].ctrl->events || st.drops_buffer_full || st.drops_other)
			fail("CPU %u stats: events %llu (ctrl %llu), drops %llu + %llu, want no drops", c,
			     (unsigned long long)st.events, (unsigned long long)rings[c].ctrl->events,
			     (unsigned long long)st.drops_buffer_full, (unsigned long long)st.drops_other);
	}
	dev_close();
	free(ev);
	return failures ? 1 : 0;
}

/* ---- drops ------------------------------------------------------------- */

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int check_drops(void)
{
	const int nrs[] = { SCAP_NR_getppid };
	const unsigned calls = 200000;
	struct scap_kmod_stats st = { .cpu = 0 };
	pid_t self = getpid();

	if (dev_open() < 0)
		return 1;
	if (pin_to(0) < 0)
		return fail("cannot pin to CPU 0: %s", strerror(errno)), 1;
	if (select_syscalls(nrs, 1) < 0 || ioctl(dev, SCAP_KMOD_IOC_SET_PID, &self) < 0)
		return fail("configure: %s", strerror(errno)), 1;
	/* A kernel-event bit the module does not know, a reserved field set: refused. */
	{
		struct scap_kmod_syscalls bad = { .kevents = 0x80000000u };
		int r = ioctl(dev, SCAP_KMOD_IOC_SET_SYSCALLS, &bad);

		expect_i("SET_SYSCALLS with an unknown kernel event: errno", r < 0 ? errno : 0, EINVAL);
		bad = (struct scap_kmod_syscalls){ .kevents = SCAP_KMOD_KEV_PROCEXIT, .reserved = 1 };
		r = ioctl(dev, SCAP_KMOD_IOC_SET_SYSCALLS, &bad);
		expect_i("SET_SYSCALLS with reserved set: errno", r < 0 ? errno : 0, EINVAL);
		if (select_syscalls(nrs, 1) < 0)
			return 1;
	}
	if (ioctl(dev, SCAP_KMOD_IOC_START) < 0)
		return fail("START: %s", strerror(errno)), 1;
	for (unsigned i = 0; i < calls; i++)
		syscall(SYS_getppid);
	ioctl(dev, SCAP_KMOD_IOC_STOP);
	if (ioctl(dev, SCAP_KMOD_IOC_STATS, &st) < 0)
		return fail("STATS: %s", strerror(errno)), 1;
	printf("drops: %u getppid calls on CPU 0, ring of %u bytes: %llu stored, %llu dropped (full), %llu other\n",
	       calls, info.buffer_bytes, (unsigned long long)st.events,
	       (unsigned long long)st.drops_buffer_full, (unsigned long long)st.drops_other);
	/* Only our process is captured (pid filter) and only getppid: exact. */
	expect_i("stored + dropped", (int64_t)(st.events + st.drops_buffer_full), calls);
	expect_i("drops_other", (int64_t)st.drops_other, 0);
	if (st.drops_buffer_full == 0)
		fail("the ring never filled: %u calls in %u bytes", calls, info.buffer_bytes);
	/* Every stored byte is readable: the ring is exactly full to the last event. */
	{
		struct event *ev = malloc(sizeof(*ev));
		uint64_t n = 0;

		while (ev && next_event(0, ev) > 0) {
			if (ev->hdr.type != SCAP_EV_GENERIC_X || ev->hdr.pid != (uint32_t)self)
				fail("unexpected event type %u pid %u", ev->hdr.type, ev->hdr.pid);
			n++;
		}
		expect_i("events read back", (int64_t)n, (int64_t)st.events);
		free(ev);
	}
	dev_close();
	return failures ? 1 : 0;
}

/* ---- load --------------------------------------------------------------- */

static volatile bool stop_load, go_load;

static void *load_thread(void *arg)
{
	int cpu = (int)(long)arg;
	char path[64];

	/*
	 * Wait until every load thread exists: creating a thread while another
	 * one is inside execve can fail with EAGAIN (seen on 4.15 and 5.10).
	 */
	while (!go_load)
		usleep(1000);
	pin_to(cpu);
	snprintf(path, sizeof(path), "/tmp/kmod-load-%d-%d", (int)getpid(), cpu);
	while (!stop_load) {
		int fd = open(path, O_RDWR | O_CREAT, 0600);
		char b[64] = "x";

		if (fd >= 0) {
			if (write(fd, b, sizeof(b)) < 0)
				break;
			close(fd);
		}
		syscall(SYS_getppid);
		execve("/nonexistent", (char *const[]){ "x", NULL }, NULL);
	}
	unlink(path);
	return NULL;
}

static void stop_load_threads(pthread_t *th, unsigned n)
{
	stop_load = true;
	go_load = true;
	for (unsigned i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

static int start_load(pthread_t *th, unsigned *n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	*n = 0;
	stop_load = go_load = false;
	for (long c = 0; c < cpus && c < MAX_CPUS; c++) {
		if (pthread_create(&th[*n], NULL, load_thread, (void *)c)) {
			stop_load_threads(th, *n);
			return -1;
		}
		(*n)++;
	}
	go_load = true;
	return 0;
}

/* Reads whatever is there for about ms milliseconds, through poll(). */
static uint64_t read_for(int ms)
{
	struct event *ev = malloc(sizeof(*ev));
	struct timespec t0, t;
	uint64_t n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = dev, .events = POLLIN };

		poll(&p, 1, 20);
		for (unsigned c = 0; c < info.nr_cpu_ids; c++)
			while (n < 100000 && next_event(c, ev) > 0)
				n++;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >= ms)
			break;
	}
	free(ev);
	return n;
}

/*
 * On older kernels (seen on 4.15 and 5.4) the failing execve of a load thread
 * holds a copy of the fd table for a moment, and with it a device the test
 * closed just before: the module is released when that copy goes, and an open
 * meanwhile gets EBUSY. Waits up to 5 s for it.
 */
static int dev_open_retry(void)
{
	int tries = 0, r;

	while ((r = dev_open()) < 0 && dev < 0 && errno == EBUSY && ++tries < 500)
		usleep(10000);
	if (tries)
		fprintf(stderr, "open: %d EBUSY before %s\n", tries, r < 0 ? "giving up" : "it opened");
	return r;
}

static int check_churn(int cycles)
{
	pthread_t th[MAX_CPUS];
	unsigned n;

	if (start_load(th, &n) < 0)
		return fail("cannot start load threads"), 1;
	for (int i = 0; i < cycles; i++) {
		uint64_t got;

		if (dev_open_retry() < 0) {
			fail("cycle %d: cannot reopen the device", i);
			break;
		}
		if (ioctl(dev, SCAP_KMOD_IOC_START) < 0) {
			fail("START: %s", strerror(errno));
			break;
		}
		got = read_for(200);
		if (got == 0)
			fail("cycle %d: no event read under load", i);
		/* Closed while capturing, with probes firing on every CPU. */
		dev_close_order(i % 2);
	}
	stop_load_threads(th, n);
	printf("churn: %d open/start/close cycles under load on %u CPUs\n", cycles, n);
	return failures ? 1 : 0;
}

static int check_hold(void)
{
	pthread_t th[MAX_CPUS];
	unsigned n;

	if (dev_open_retry() < 0 || ioctl(dev, SCAP_KMOD_IOC_START) < 0)
		return fail("open/start: %s", strerror(errno)), 1;
	if (start_load(th, &n) < 0)
		return fail("cannot start load threads"), 1;
	printf("holding\n");
	fflush(stdout);
	for (;;)
		read_for(1000);
	return 0;
}

/* ---- clone: the argument order, from the kernel itself ------------------ */

/* The two candidates for child_tid (the fourth and fifth arguments). */
static volatile pid_t tid_slot[2];

/*
 * clone takes child_tid, then tls on x86_64, and the other way round where
 * the architecture selects CONFIG_CLONE_BACKWARDS (drivers/common/arch.h).
 * The kernel tells which: a fork-like clone with CLONE_CHILD_SETTID and a
 * different address in each of the two registers stores the child's tid in
 * the child's copy of the one it reads as child_tid, and the child reports
 * which through its exit code. Both clone exit events, the parent's and the
 * child's own (res 0: the child's return to user space is captured), must
 * name that address child_tid and the other one tls.
 */
static int check_clone(void)
{
	const int nrs[] = { SCAP_NR_clone };
	/* Not dereferenced without CLONE_PARENT_SETTID: a marker for the third argument. */
	const uint64_t ptid_marker = 0x5ca90000;
	struct event *ev = malloc(sizeof(*ev));
	bool seen_parent = false, seen_child = false;
	uint64_t want_ctid, want_tls;
	pid_t child, self = gettid_();
	int status, kernel_ctid_arg;

	if (!ev || dev_open() < 0)
		return 1;
	if (select_syscalls(nrs, 1) < 0)
		return 1;
	if (ioctl(dev, SCAP_KMOD_IOC_START) < 0)
		return fail("START: %s", strerror(errno)), 1;
#ifdef SCAP_ARCH_S390X
	/* CONFIG_CLONE_BACKWARDS2: the stack comes before the flags (arch.h). */
	child = (pid_t)syscall(SYS_clone, 0UL, (unsigned long)(CLONE_CHILD_SETTID | SIGCHLD),
			       (unsigned long)ptid_marker, &tid_slot[0], &tid_slot[1]);
#else
	child = (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_CHILD_SETTID | SIGCHLD), 0UL,
			       (unsigned long)ptid_marker, &tid_slot[0], &tid_slot[1]);
#endif
	if (child == 0) {
		pid_t me = (pid_t)syscall(SYS_gettid);

		_exit(tid_slot[0] == me ? 10 : tid_slot[1] == me ? 11 : 12);
	}
	if (child < 0)
		return fail("clone: %s", strerror(errno)), 1;
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    (WEXITSTATUS(status) != 10 && WEXITSTATUS(status) != 11))
		return fail("the clone child found its tid in neither candidate (status %#x)", status), 1;
	if (ioctl(dev, SCAP_KMOD_IOC_STOP) < 0)
		return fail("STOP: %s", strerror(errno)), 1;
	/* Argument 3 or 4, counted from 0 as arch.h counts them. */
	kernel_ctid_arg = WEXITSTATUS(status) == 10 ? 3 : 4;
	printf("clone: the kernel reads child_tid from argument %d\n", kernel_ctid_arg);
	expect_i("SCAP_CLONE_ARG_CHILD_TID (drivers/common/arch.h)", SCAP_CLONE_ARG_CHILD_TID,
		 kernel_ctid_arg);
	want_ctid = (uint64_t)(uintptr_t)&tid_slot[kernel_ctid_arg - 3];
	want_tls = (uint64_t)(uintptr_t)&tid_slot[4 - kernel_ctid_arg];

	for (unsigned c = 0; c < info.nr_cpu_ids; c++) {
		int r;

		while ((r = next_event(c, ev)) > 0) {
			bool parent = ev->hdr.tid == (uint32_t)self, kid = ev->hdr.tid == (uint32_t)child;

			if (ev->hdr.type != SCAP_EV_CLONE_X || (!parent && !kid))
				continue;
			printf("clone exit, %s:\n", parent ? "parent" : "child");
			if (parent)
				seen_parent = true;
			else
				seen_child = true;
			expect_i("res", p_s64(ev, 0), parent ? child : 0);
			expect_i("stack", p_s64(ev, 2), 0);
			expect_i("parent_tid", p_s64(ev, 3), (int64_t)ptid_marker);
			expect_i("child_tid", p_s64(ev, 4), (int64_t)want_ctid);
			expect_i("tls", p_s64(ev, 5), (int64_t)want_tls);
		}
		if (r < 0)
			break;
	}
	if (!seen_parent)
		fail("no clone exit event of the parent (tid %d)", (int)self);
	if (!seen_child)
		fail("no clone exit event of the child (tid %d): its return to user space was not captured",
		     (int)child);
	free(ev);
	dev_close();
	return failures ? 1 : 0;
}

/* ---- the versions a module announces ------------------------------------ */

/*
 * The library refuses a module of another API version from
 * /sys/module/scap/parameters/api_version (the probe) and one of another
 * schema from the INFO ioctl (the engine). Where the library is not built
 * (riscv64) this checks the module's half: the test module says 999 there,
 * and nothing else differs.
 */
static int check_announces(const char *variant)
{
	bool badver = !strcmp(variant, "badver");
	unsigned want_api = badver ? 999 : SCAP_KMOD_API_VERSION;
	unsigned want_ev_max = badver ? (unsigned)SCAP_EV_MAX : 999;
	unsigned sysfs_api = 0;
	struct scap_kmod_info i;
	FILE *f;
	int fd;

	if (!badver && strcmp(variant, "badschema"))
		return fail("announces: unknown variant %s (badver or badschema)", variant), 1;
	f = fopen("/sys/module/scap/parameters/api_version", "r");
	if (!f || fscanf(f, "%u", &sysfs_api) != 1)
		fail("cannot read /sys/module/scap/parameters/api_version: %s", strerror(errno));
	else
		expect_i("sysfs api_version", sysfs_api, want_api);
	if (f)
		fclose(f);
	fd = open(SCAP_KMOD_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail("open %s: %s", SCAP_KMOD_DEVICE_PATH, strerror(errno)), 1;
	if (ioctl(fd, SCAP_KMOD_IOC_INFO, &i) < 0) {
		fail("INFO ioctl: %s", strerror(errno));
	} else {
		expect_i("INFO api_version", i.api_version, want_api);
		expect_i("INFO ev_max", i.ev_max, want_ev_max);
		expect_i("INFO layout_version", i.layout_version, SCAP_EVENT_LAYOUT_VERSION);
		expect_i("INFO nr_syscalls", i.nr_syscalls, SCAP_NR_SYSCALLS);
	}
	close(fd);
	return failures ? 1 : 0;
}

static int check_busy(void)
{
	int fd2;

	if (dev_open() < 0)
		return 1;
	fd2 = open(SCAP_KMOD_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd2 >= 0) {
		close(fd2);
		fail("second open succeeded, want EBUSY");
	} else {
		expect_i("second open errno", errno, EBUSY);
	}
	dev_close();
	return failures ? 1 : 0;
}

static int check_hostile(void)
{
	const int nrs[] = { SCAP_NR_getppid };
	struct scap_kmod_stats before = { .cpu = 0 }, after = { .cpu = 0 };
	size_t len = SCAP_KMOD_MAP_LEN(info.page_size, info.buffer_bytes);
	pid_t self = getpid();
	uint64_t head;
	uint8_t *w;

	if (dev_open() < 0)
		return 1;
	if (pin_to(0) < 0)
		return fail("cannot pin to CPU 0: %s", strerror(errno)), 1;
	if (select_syscalls(nrs, 1) < 0 || ioctl(dev, SCAP_KMOD_IOC_SET_PID, &self) < 0)
		return fail("configure: %s", strerror(errno)), 1;
	if (ioctl(dev, SCAP_KMOD_IOC_START) < 0)
		return fail("START: %s", strerror(errno)), 1;
	syscall(SYS_getppid);
	ioctl(dev, SCAP_KMOD_IOC_STATS, &before);

	/* A tail beyond head: every event is refused and counted. */
	head = __atomic_load_n(&rings[0].ctrl->head, __ATOMIC_ACQUIRE);
	__atomic_store_n(&rings[0].ctrl->tail, head + 4096 + 3, __ATOMIC_RELEASE);
	for (int i = 0; i < 100; i++)
		syscall(SYS_getppid);
	ioctl(dev, SCAP_KMOD_IOC_STATS, &after);
	expect_i("events refused with a corrupt tail (drops_other)",
		 (int64_t)(after.drops_other - before.drops_other), 100);
	expect_i("events stored with a corrupt tail", (int64_t)(after.events - before.events), 0);

	/* Head, counters and data scribbled over while events are written. */
	w = (uint8_t *)rings[0].ctrl;
	memset(w, 0xa5, 64);                     /* head */
	memset(w + 128, 0x5a, 32);               /* counters */
	for (size_t off = info.page_size; off < len; off += 97)
		w[off] = (uint8_t)off;
	/* A tail the module accepts again: back to its own head. */
	ioctl(dev, SCAP_KMOD_IOC_STATS, &before);
	__atomic_store_n(&rings[0].ctrl->tail, 0, __ATOMIC_RELEASE);
	for (int i = 0; i < 100; i++) {
		syscall(SYS_getppid);
		w[info.page_size + (size_t)i * 131] ^= 0xff;
	}
	ioctl(dev, SCAP_KMOD_IOC_STATS, &after);
	/* The module keeps its own head: the events after the reset are stored or
	 * refused (the tail of 0 may be too far back), never lost uncounted. */
	expect_i("events stored or counted after the scribbling",
		 (int64_t)((after.events - before.events) + (after.drops_other - before.drops_other) +
			   (after.drops_buffer_full - before.drops_buffer_full)), 100);
	ioctl(dev, SCAP_KMOD_IOC_STOP);
	dev_close();
	printf("hostile: corrupt tail refused, scribbled ring survived\n");
	return failures ? 1 : 0;
}

/* ---- the guest's own TCP reset ---------------------------------------- */

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

/*
 * Whether this kernel's TCP reset for a closed loopback port is valid:
 * connects to 127.0.0.1:1 without blocking, captures loopback's IPv4
 * packets (AF_PACKET) and recomputes the checksum of the RST sent back.
 * A SYN on loopback carries a checksum to be completed (CHECKSUM_PARTIAL,
 * never verified), while the RST is checksummed in software and verified
 * on receipt: Debian's s390x 6.12 under qemu 7.2 TCG computes it wrongly,
 * the receiver drops it (Tcp InCsumErrors), and a refused connect times
 * out (docs/engines.md, "s390x: results"). Exit 0: valid; 3: captured with
 * a wrong checksum (printed); 77: cannot be probed here; 1: no RST seen.
 */
static int check_rst(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(1) };
	struct timeval tv = { .tv_sec = 5 };
	int ps, s, rc = 1;
	uint8_t b[2048];

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ps = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(0x0800));
	if (ps < 0) {
		printf("SKIP: no AF_PACKET socket (%s): the reset cannot be captured\n", strerror(errno));
		return 77;
	}
	setsockopt(ps, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0 || (connect(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EINPROGRESS &&
		      errno != ECONNREFUSED)) {
		printf("connect 127.0.0.1:1: %s\n", strerror(errno));
		goto out;
	}
	for (int k = 0; k < 16; k++) {
		ssize_t n = recv(ps, b, sizeof(b), 0);
		size_t ihl, tl;
		uint32_t sum;
		uint16_t field;
		uint8_t *t;

		if (n <= 0) {
			printf("no TCP reset from 127.0.0.1:1 within 5 s (%s)\n", n < 0 ? strerror(errno) : "eof");
			break;
		}
		ihl = (size_t)(b[0] & 15) * 4;
		if ((b[0] >> 4) != 4 || b[9] != IPPROTO_TCP || (size_t)n < ihl + 20)
			continue;
		t = b + ihl;
		tl = (size_t)n - ihl;
		/* From port 1, RST set. */
		if (t[0] != 0 || t[1] != 1 || !(t[13] & 0x04))
			continue;
		field = (uint16_t)(t[16] << 8 | t[17]);
		t[16] = t[17] = 0;
		sum = sum16(sum16(0, b + 12, 8) + IPPROTO_TCP + (uint32_t)tl, t, tl);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		sum = ~sum & 0xffff;
		if (field == sum) {
			printf("the TCP reset from 127.0.0.1:1 has a valid checksum (%#06x)\n", field);
			rc = 0;
		} else {
			printf("the TCP reset from 127.0.0.1:1 carries checksum %#06x, the right one is %#06x: "
			       "the receiver drops it\n", field, sum);
			rc = 3;
		}
		break;
	}
out:
	if (s >= 0)
		close(s);
	close(ps);
	return rc;
}

int main(int argc, char **argv)
{
	struct stat st;

	if (argc < 2) {
		fprintf(stderr, "usage: %s events|drops|churn N|hold|busy|hostile|clone|announces V|rst\n", argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "rst"))
		return check_rst();
	if (stat(SCAP_KMOD_DEVICE_PATH, &st) < 0) {
		printf("SKIP: %s does not exist (module not loaded)\n", SCAP_KMOD_DEVICE_PATH);
		return 77;
	}
	if ((st.st_mode & 0777) != 0600)
		fail("%s has mode %o, want 0600", SCAP_KMOD_DEVICE_PATH, st.st_mode & 0777);
	if (!strcmp(argv[1], "events"))
		return check_events() || failures;
	if (!strcmp(argv[1], "drops"))
		return check_drops() || failures;
	if (!strcmp(argv[1], "churn"))
		return check_churn(argc > 2 ? atoi(argv[2]) : 5) || failures;
	if (!strcmp(argv[1], "hold"))
		return check_hold();
	if (!strcmp(argv[1], "hostile"))
		return check_hostile() || failures;
	if (!strcmp(argv[1], "busy"))
		return check_busy() || failures;
	if (!strcmp(argv[1], "clone"))
		return check_clone() || failures;
	if (!strcmp(argv[1], "announces"))
		return check_announces(argc > 2 ? argv[2] : "") || failures;
	fprintf(stderr, "unknown check %s\n", argv[1]);
	return 2;
}
