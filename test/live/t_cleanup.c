// SPDX-License-Identifier: Apache-2.0
/*
 * kill -9 of a capturing process must leave nothing behind in the kernel.
 *
 * The child's own BPF objects are identified exactly through its fds
 * (/proc/<pid>/fdinfo: prog_id, map_id, link_id), so other captures running
 * on the same host at the same time cannot make the test fail; a second
 * check looks for programs named like ours that were loaded during the
 * child's life and that no process holds any more (kept alive by a pin or a
 * stray attachment). The kmod engine holds no BPF objects: for it the device must
 * open again once the killed process is gone.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "live.h"

/*
 * Name prefixes of the objects our drivers load (BPF_OBJ_NAME_LEN is 16):
 * drivers/modern_bpf names everything scap_*; drivers/bpf has ev_<CODE>
 * programs and short map names; libbpf names internal maps <object>.rodata.
 */
static const char *const our_prefixes[] = {
	"scap", "ev_", "events", "progs", "syscalls", "settings", "counters", "scratch", NULL,
};

#define MAX_IDS 1024
#define GONE_DEADLINE_MS 10000

enum obj_kind { OBJ_PROG, OBJ_MAP, OBJ_LINK, OBJ_KINDS };
static const char *const kind_name[OBJ_KINDS] = { "program", "map", "link" };

struct id_set {
	unsigned n[OBJ_KINDS];
	uint32_t id[OBJ_KINDS][MAX_IDS];
};

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static void set_add(struct id_set *s, enum obj_kind k, uint32_t id)
{
	for (unsigned i = 0; i < s->n[k]; i++)
		if (s->id[k][i] == id)
			return;
	if (s->n[k] < MAX_IDS)
		s->id[k][s->n[k]++] = id;
}

static bool set_has(const struct id_set *s, enum obj_kind k, uint32_t id)
{
	for (unsigned i = 0; i < s->n[k]; i++)
		if (s->id[k][i] == id)
			return true;
	return false;
}

static uint32_t fdinfo_field(const char *path, const char *key)
{
	char line[256];
	unsigned v = 0;
	size_t kl = strlen(key);
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && sscanf(line + kl, " %u", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* The BPF objects process `pid` holds fds to. */
static void held_objects(pid_t pid, struct id_set *s)
{
	char dir[64], path[320], target[128];
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp))) {
		ssize_t n;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid, d->d_name);
		if (strcmp(target, "anon_inode:bpf-prog") == 0) {
			set_add(s, OBJ_PROG, fdinfo_field(path, "prog_id:"));
		} else if (strcmp(target, "anon_inode:bpf-map") == 0) {
			set_add(s, OBJ_MAP, fdinfo_field(path, "map_id:"));
		} else if (strcmp(target, "anon_inode:bpf_link") == 0) {
			set_add(s, OBJ_LINK, fdinfo_field(path, "link_id:"));
			set_add(s, OBJ_PROG, fdinfo_field(path, "prog_id:"));
		}
	}
	closedir(dp);
}

/* The objects every process holds (a pinned or stray object is held by none). */
static void held_by_anyone(struct id_set *s)
{
	struct dirent *d;
	DIR *dp = opendir("/proc");

	if (!dp)
		return;
	while ((d = readdir(dp)))
		if (d->d_name[0] >= '1' && d->d_name[0] <= '9')
			held_objects(atoi(d->d_name), s);
	closedir(dp);
}

/* "pid (comm)" of the processes holding an fd to the object, for messages. */
static void holders(enum obj_kind k, uint32_t id, char *out, size_t len)
{
	static struct id_set s;
	struct dirent *d;
	size_t o = 0;
	DIR *dp = opendir("/proc");

	out[0] = '\0';
	if (!dp)
		return;
	while ((d = readdir(dp)) && o < len) {
		char path[64], comm[32] = "?";
		FILE *f;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		memset(&s, 0, sizeof(s));
		held_objects(atoi(d->d_name), &s);
		if (!set_has(&s, k, id))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/comm", d->d_name);
		if ((f = fopen(path, "re"))) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		o += (size_t)snprintf(out + o, len - o, " held by %s (%s)%s", d->d_name, comm,
				      atoi(d->d_name) == getpid() ? " = this suite" : "");
	}
	closedir(dp);
}

/*
 * 1 exists, 0 gone, negative errno when we cannot tell. Asks the ID tables
 * (GET_NEXT_ID) and never opens the object: opening a map by ID while the
 * kernel tears it down raises its user count again, and for a prog_array a
 * second release then queues the deferred clear that already is pending,
 * whose extra map reference is never dropped (seen on 6.18: the prog_array
 * stays loaded forever, held by nobody). The probe must not cause the leak
 * it looks for.
 */
static int obj_exists(enum obj_kind k, uint32_t id)
{
	static const int cmd[OBJ_KINDS] = { BPF_PROG_GET_NEXT_ID, BPF_MAP_GET_NEXT_ID,
					    BPF_LINK_GET_NEXT_ID };
	union bpf_attr a;

	if (id == 0)
		return 0;
	memset(&a, 0, sizeof(a));
	a.start_id = id - 1;
	if (sys_bpf(cmd[k], &a) < 0)
		return errno == ENOENT ? 0 : -errno;
	return a.next_id == id;
}

static bool ours(const char *name)
{
	for (unsigned i = 0; our_prefixes[i]; i++)
		if (strncmp(name, our_prefixes[i], strlen(our_prefixes[i])) == 0)
			return true;
	return false;
}

/*
 * Every program on the host whose name is like ours. Programs only: reading
 * a map's name means opening it by ID, and that can leak another capture's
 * prog_array if it is being torn down at that moment (see obj_exists). The
 * maps of the killed process are checked exactly through its fds anyway.
 */
static void named_like_ours(struct id_set *s)
{
	static const int next_cmd[2] = { BPF_PROG_GET_NEXT_ID, BPF_MAP_GET_NEXT_ID };

	for (enum obj_kind k = OBJ_PROG; k <= OBJ_PROG; k++) {
		uint32_t id = 0;

		for (unsigned guard = 0; guard < 100000; guard++) {
			union bpf_attr a;
			char name[BPF_OBJ_NAME_LEN + 1] = "";
			long fd;

			memset(&a, 0, sizeof(a));
			a.start_id = id;
			if (sys_bpf(next_cmd[k], &a) < 0)
				break;
			id = a.next_id;
			memset(&a, 0, sizeof(a));
			if (k == OBJ_PROG)
				a.prog_id = id;
			else
				a.map_id = id;
			fd = sys_bpf(k == OBJ_PROG ? BPF_PROG_GET_FD_BY_ID : BPF_MAP_GET_FD_BY_ID, &a);
			if (fd < 0)
				continue;
			if (k == OBJ_PROG) {
				struct bpf_prog_info info;

				memset(&info, 0, sizeof(info));
				memset(&a, 0, sizeof(a));
				a.info.bpf_fd = (uint32_t)fd;
				a.info.info_len = sizeof(info);
				a.info.info = (uint64_t)(uintptr_t)&info;
				if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) == 0)
					memcpy(name, info.name, BPF_OBJ_NAME_LEN);
			} else {
				struct bpf_map_info info;

				memset(&info, 0, sizeof(info));
				memset(&a, 0, sizeof(a));
				a.info.bpf_fd = (uint32_t)fd;
				a.info.info_len = sizeof(info);
				a.info.info = (uint64_t)(uintptr_t)&info;
				if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) == 0)
					memcpy(name, info.name, BPF_OBJ_NAME_LEN);
			}
			close((int)fd);
			if (ours(name))
				set_add(s, k, id);
		}
	}
}

/* Child: open, start, report readiness (or the error) through the pipe, wait to die. */
static void capturing_child(int wfd)
{
	static const char *const sel[] = { "getppid", "openat", NULL };
	struct scap_open_opts o = { .sz = sizeof(o), .syscalls = sel };
	char msg[SCAP_ERRBUF_SIZE + 1] = "R";
	struct scap *h = NULL;
	int r;

	r = scap_open(&h, live_engine, &o, msg + 1, sizeof(msg) - 1);
	if (r == 0 && (r = scap_start(h)) < 0)
		snprintf(msg + 1, sizeof(msg) - 1, "scap_start: %s", scap_last_error(h));
	if (r < 0)
		msg[0] = 'E';
	if (write(wfd, msg, strlen(msg) + 1) < 0)
		_exit(2);
	for (;;)
		pause();
}

/* Forks the capturing child and waits for its word. */
static pid_t start_child(struct live_test *t)
{
	char msg[SCAP_ERRBUF_SIZE + 2] = "";
	struct pollfd pfd;
	int p[2];
	pid_t pid;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0) {
		live_fail(t, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		capturing_child(p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		live_fail(t, "fork: %s", strerror(errno));
		return -1;
	}
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	n = poll(&pfd, 1, 60000) == 1 ? read(p[0], msg, sizeof(msg) - 1) : 0;
	close(p[0]);
	if (n <= 0 || msg[0] != 'R') {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		live_fail(t, "the capturing child did not start: %s",
			  n > 0 ? msg + 1 : "no word from it within 60 s");
		return -1;
	}
	return pid;
}

static int kill_child(struct live_test *t, pid_t pid)
{
	int status;

	if (kill(pid, SIGKILL) < 0 || waitpid(pid, &status, 0) != pid)
		return live_fail(t, "kill -9 %d: %s", (int)pid, strerror(errno));
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		return live_fail(t, "child ended with status %#x, not by SIGKILL", status);
	return LIVE_PASS;
}

static int kmod_cleanup(struct live_test *t)
{
	struct scap_open_opts o = { 0 };
	struct scap *h;
	pid_t pid = start_child(t);

	if (pid < 0)
		return LIVE_FAIL;
	if (kill_child(t, pid) != LIVE_PASS)
		return LIVE_FAIL;
	/* The device was released with the process: it opens again. */
	h = live_open(t, &o);
	if (!h) {
		char why[sizeof(t->msg)];

		memcpy(why, t->msg, sizeof(why));
		return live_fail(t, "after kill -9 of a capturing process the engine does not "
				 "open again: %s", why);
	}
	scap_close(h);
	return LIVE_PASS;
}

int test_kill_cleanup(struct live_test *t)
{
	static struct id_set before, child, during, held;
	uint64_t deadline;
	unsigned total;
	pid_t pid;

	live_shared_close();
	if (strcmp(live_engine, "kmod") == 0)
		return kmod_cleanup(t);

	memset(&before, 0, sizeof(before));
	memset(&child, 0, sizeof(child));
	memset(&during, 0, sizeof(during));
	named_like_ours(&before);
	pid = start_child(t);
	if (pid < 0)
		return LIVE_FAIL;
	held_objects(pid, &child);
	named_like_ours(&during);
	if (kill_child(t, pid) != LIVE_PASS)
		return LIVE_FAIL;
	if (child.n[OBJ_PROG] == 0 || child.n[OBJ_MAP] == 0)
		return live_fail(t, "the capturing child held %u programs and %u maps: nothing to "
				 "check (does engine %s hold its programs through fds?)",
				 child.n[OBJ_PROG], child.n[OBJ_MAP], live_engine);

	/* The kernel frees objects asynchronously after the last reference goes. */
	deadline = live_now_ms() + GONE_DEADLINE_MS;
	for (;;) {
		char left[1024] = "";
		size_t o = 0;

		total = 0;
		for (enum obj_kind k = OBJ_PROG; k < OBJ_KINDS; k++)
			for (unsigned i = 0; i < child.n[k]; i++)
				if (obj_exists(k, child.id[k][i]) != 0) {
					char who[200] = "";

					total++;
					if (live_now_ms() > deadline)
						holders(k, child.id[k][i], who, sizeof(who));
					if (o < sizeof(left))
						o += (size_t)snprintf(left + o, sizeof(left) - o,
								      " %s %u%s", kind_name[k],
								      child.id[k][i], who);
				}
		if (total == 0)
			break;
		if (live_now_ms() > deadline)
			return live_fail(t, "%u of the killed process's BPF objects are still "
					 "loaded %d ms after its death:%s", total,
					 GONE_DEADLINE_MS, left);
		usleep(20000);
	}

	/* Loaded while the child lived, named like ours, still there, held by nobody. */
	memset(&held, 0, sizeof(held));
	held_by_anyone(&held);
	for (enum obj_kind k = OBJ_PROG; k <= OBJ_PROG; k++)
		for (unsigned i = 0; i < during.n[k]; i++) {
			uint32_t id = during.id[k][i];

			if (!set_has(&before, k, id) && obj_exists(k, id) == 1 &&
			    !set_has(&held, k, id))
				return live_fail(t, "%s %u, named like ours and loaded while the "
						 "killed process ran, is still loaded and held by "
						 "no process (pinned or left attached?)",
						 kind_name[k], id);
		}
	snprintf(t->msg, sizeof(t->msg), "%u programs, %u maps, %u links of the killed "
		 "process all gone", child.n[OBJ_PROG], child.n[OBJ_MAP], child.n[OBJ_LINK]);
	return LIVE_PASS;
}

/* fds and kernel mappings of this process, to see what a closed handle left. */
static unsigned count_fds(char *list, size_t len)
{
	char path[300], target[128];
	struct dirent *d;
	unsigned n = 0;
	size_t o = 0;
	DIR *dp = opendir("/proc/self/fd");

	if (list)
		list[0] = '\0';
	if (!dp)
		return 0;
	while ((d = readdir(dp))) {
		ssize_t l;

		if (d->d_name[0] == '.' || atoi(d->d_name) == dirfd(dp))
			continue;
		n++;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		l = readlink(path, target, sizeof(target) - 1);
		target[l > 0 ? l : 0] = '\0';
		if (list && o < len)
			o += (size_t)snprintf(list + o, len - o, " %s:%s", d->d_name, target);
	}
	closedir(dp);
	return n;
}

static unsigned count_kernel_mappings(void)
{
	char line[512];
	unsigned n = 0;
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "anon_inode:") || strstr(line, "/dev/scap") ||
		     strstr(line, "[perf_event]");
	fclose(f);
	return n;
}

/*
 * scap_close must give back everything the handle took: its fds, its
 * mappings of kernel buffers, and (eBPF engines) its programs, maps and links.
 */
int test_close_cleanup(struct live_test *t)
{
	static struct id_set before, open_set;
	static const char *const sel[] = { "getppid", "openat", NULL };
	char fds_before[2048], fds_after[2048];
	unsigned nfd0, nfd1, nmap0, nmap1;
	uint64_t deadline;

	live_shared_close();
	memset(&before, 0, sizeof(before));
	memset(&open_set, 0, sizeof(open_set));
	held_objects(getpid(), &before);
	nfd0 = count_fds(fds_before, sizeof(fds_before));
	nmap0 = count_kernel_mappings();
	for (int i = 0; i < 3; i++) {
		struct scap_open_opts o = { .syscalls = sel };
		struct scap *h = live_open(t, &o);

		if (!h)
			return LIVE_FAIL;
		held_objects(getpid(), &open_set);
		scap_close(h);
	}
	nfd1 = count_fds(fds_after, sizeof(fds_after));
	nmap1 = count_kernel_mappings();
	if (nfd1 != nfd0)
		return live_fail(t, "%u fds open before three open/close cycles, %u after:%s "
				 "(before:%s)", nfd0, nfd1, fds_after, fds_before);
	if (nmap1 != nmap0)
		return live_fail(t, "%u kernel buffer mappings before three open/close cycles, "
				 "%u after (see /proc/self/maps)", nmap0, nmap1);
	if (strcmp(live_engine, "kmod") != 0 && open_set.n[OBJ_PROG] == 0)
		return live_fail(t, "the open handle held no BPF program fd: nothing to check");
	deadline = live_now_ms() + GONE_DEADLINE_MS;
	for (;;) {
		unsigned left = 0;
		enum obj_kind lk = OBJ_PROG;
		uint32_t lid = 0;

		for (enum obj_kind k = OBJ_PROG; k < OBJ_KINDS; k++)
			for (unsigned i = 0; i < open_set.n[k]; i++)
				if (!set_has(&before, k, open_set.id[k][i]) &&
				    obj_exists(k, open_set.id[k][i]) != 0) {
					left++;
					lk = k;
					lid = open_set.id[k][i];
				}
		if (!left)
			break;
		if (live_now_ms() > deadline) {
			char who[200];

			holders(lk, lid, who, sizeof(who));
			return live_fail(t, "%u BPF objects of closed handles still loaded %d ms "
					 "later, e.g. %s %u%s", left, GONE_DEADLINE_MS,
					 kind_name[lk], lid, who);
		}
		usleep(20000);
	}
	snprintf(t->msg, sizeof(t->msg), "3 cycles; %u programs, %u maps, %u links released",
		 open_set.n[OBJ_PROG], open_set.n[OBJ_MAP], open_set.n[OBJ_LINK]);
	return LIVE_PASS;
}
