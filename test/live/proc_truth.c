// SPDX-License-Identifier: Apache-2.0
/*
 * Ground truth of processes for the live process-table tests (proc_truth.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc_truth.h"

static ssize_t read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t have = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (have + 1 < len && (n = read(fd, buf + have, len - 1 - have)) > 0)
		have += (size_t)n;
	close(fd);
	buf[have] = '\0';
	return (ssize_t)have;
}

static void read_link(const char *path, char *out, size_t len)
{
	ssize_t n = readlink(path, out, len - 1);

	out[n > 0 ? n : 0] = '\0';
}

/* "Uid:\tR\tE\t..." -> R and E. */
static void status_pair(const char *status, const char *key, uint32_t *r, uint32_t *e)
{
	const char *p = strstr(status, key);

	if (p)
		sscanf(p + strlen(key), " %u %u", r, e);
}

int proc_truth_cgroup(pid_t pid, char *out, size_t len)
{
	char path[64], text[8192], *line, *save = NULL, *v2 = NULL, *mem = NULL;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (read_text(path, text, sizeof(text)) < 0)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		if (strcmp(line, "0:") == 0)
			v2 = c2 + 1;
		else if (strstr(c1 + 1, "memory") && (!strcmp(c1 + 1, "memory") || strstr(c1 + 1, ",memory") ||
						      strstr(c1 + 1, "memory,")))
			mem = c2 + 1;
	}
	/* No line at all: cgroup2 never mounted, every task in its root. */
	snprintf(out, len, "%s", v2 && strcmp(v2, "/") ? v2 : mem ? mem : "/");
	return 0;
}

int proc_truth_read(pid_t pid, struct proc_truth *w)
{
	char path[64], text[4096];
	char *p;

	memset(w, 0, sizeof(*w));
	w->tid = w->pid = (uint32_t)pid;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (read_text(path, text, sizeof(text)) < 0)
		return -errno;
	text[strcspn(text, "\n")] = '\0';
	text[sizeof(w->comm) - 1] = '\0';
	memcpy(w->comm, text, sizeof(w->comm));
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_text(path, text, sizeof(text)) < 0)
		return -errno;
	p = strstr(text, "\nPPid:");
	if (p)
		w->ppid = (uint32_t)strtoul(p + 6, NULL, 10);
	status_pair(text, "\nUid:", &w->uid, &w->euid);
	status_pair(text, "\nGid:", &w->gid, &w->egid);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	read_link(path, w->exe, sizeof(w->exe));
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	read_link(path, w->cwd, sizeof(w->cwd));
	return proc_truth_cgroup(pid, w->cgroup, sizeof(w->cgroup));
}

void proc_truth_report(int fd, const char *tag)
{
	struct proc_truth w;
	char line[3 * PATH_MAX + 256], path[64];
	pid_t tid = (pid_t)syscall(SYS_gettid);
	int n;

	proc_truth_read(getpid(), &w);
	/* The thread's own: its name and ids (creds are per thread). */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)getpid(), (int)tid);
	if (read_text(path, line, sizeof(line)) >= 0) {
		line[strcspn(line, "\n")] = '\0';
		line[sizeof(w.comm) - 1] = '\0';
		memcpy(w.comm, line, sizeof(w.comm));
	}
	if (!getcwd(w.cwd, sizeof(w.cwd)))
		w.cwd[0] = '\0';
	n = snprintf(line, sizeof(line), "%s %d %d %d %u %u %u %u\t%s\t%s\t%s\t%s\n", tag, (int)tid, (int)getpid(),
		     (int)getppid(), (unsigned)getuid(), (unsigned)getgid(), (unsigned)geteuid(), (unsigned)getegid(),
		     w.comm, w.exe, w.cwd, w.cgroup);
	if (n > 0 && write(fd, line, (size_t)n) != n)
		_exit(120);
}

static int parse_line(char *line, struct proc_truth *w)
{
	char *f[5], *rest = line, *s;
	int i = 0;

	memset(w, 0, sizeof(*w));
	/* strsep, not strtok: a field may be empty. */
	while (i < 5 && (s = strsep(&rest, "\t")))
		f[i++] = s;
	if (i != 5 || sscanf(f[0], "%31s %u %u %u %u %u %u %u", w->tag, &w->tid, &w->pid, &w->ppid, &w->uid, &w->gid,
			      &w->euid, &w->egid) != 8)
		return -1;
	f[1][strnlen(f[1], sizeof(w->comm) - 1)] = '\0';
	memcpy(w->comm, f[1], strlen(f[1]) + 1);
	snprintf(w->exe, sizeof(w->exe), "%s", f[2]);
	snprintf(w->cwd, sizeof(w->cwd), "%s", f[3]);
	snprintf(w->cgroup, sizeof(w->cgroup), "%s", f[4]);
	return 0;
}

unsigned proc_truth_collect(int fd, struct proc_truth *truths, unsigned n)
{
	static char buf[1 << 16];
	size_t have = 0;
	unsigned k = 0;
	ssize_t r;

	while (have + 1 < sizeof(buf) && (r = read(fd, buf + have, sizeof(buf) - 1 - have)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		have += (size_t)r;
	}
	buf[have] = '\0';
	for (char *line = buf, *nl; k < n && (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (parse_line(line, &truths[k]) == 0)
			k++;
	}
	return k;
}

struct proc_truth *proc_truth_find(struct proc_truth *truths, unsigned n, const char *tag)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(truths[i].tag, tag) == 0)
			return &truths[i];
	return NULL;
}

bool proc_engine_has_task_ctx(void)
{
	return !live_no_task_btf();
}

const char *proc_self_exe(void)
{
	static char exe[PATH_MAX];

	if (!exe[0])
		read_link("/proc/self/exe", exe, sizeof(exe));
	return exe;
}

#define CHECK_U32(field, bit)                                                                                   \
	do {                                                                                                    \
		if (!(p->known & (bit))) {                                                                      \
			if (full)                                                                               \
				return live_fail(t, "%s: " #field " unknown, want %u", what, want->field);      \
		} else if (p->field != want->field) {                                                           \
			return live_fail(t, "%s: " #field " %u, want %u", what, p->field, want->field);         \
		}                                                                                               \
	} while (0)

#define CHECK_STR(field, val, bit)                                                                              \
	do {                                                                                                    \
		if (!(p->known & (bit)) || !(val)) {                                                            \
			if (full)                                                                               \
				return live_fail(t, "%s: " #field " unknown, want \"%s\"", what, want->field);  \
		} else if (strcmp((val), want->field) != 0) {                                                   \
			return live_fail(t, "%s: " #field " \"%s\", want \"%s\"", what, (val), want->field);    \
		}                                                                                               \
	} while (0)

int proc_truth_check(struct live_test *t, const char *what, const struct scap_proc *p,
		     const struct proc_truth *want, bool full)
{
	char cid[SCAP_PROC_CONTAINER_ID_LEN];

	if (!p)
		return live_fail(t, "%s (tid %u): the table has no process for the event", what, want->tid);
	if (p->tid != want->tid || p->pid != want->pid)
		return live_fail(t, "%s: tid/pid %u/%u, want %u/%u", what, p->tid, p->pid, want->tid, want->pid);
	if (p->flags & SCAP_PROC_F_ENDED)
		return live_fail(t, "%s: the entry says the thread ended", what);
	CHECK_U32(ppid, SCAP_PROC_HAS_PPID);
	CHECK_U32(uid, SCAP_PROC_HAS_UID);
	CHECK_U32(gid, SCAP_PROC_HAS_GID);
	CHECK_U32(euid, SCAP_PROC_HAS_EUID);
	CHECK_U32(egid, SCAP_PROC_HAS_EGID);
	/* comm needs no task context: every engine reads it. */
	if (!(p->known & SCAP_PROC_HAS_COMM) || strcmp(p->comm, want->comm) != 0)
		return live_fail(t, "%s: comm \"%s\"%s, want \"%s\"", what, p->comm,
				 p->known & SCAP_PROC_HAS_COMM ? "" : " (unknown)", want->comm);
	CHECK_STR(exe, p->exe, SCAP_PROC_HAS_EXE);
	CHECK_STR(cwd, p->cwd, SCAP_PROC_HAS_CWD);
	CHECK_STR(cgroup, p->cgroup, SCAP_PROC_HAS_CGROUP);
	if ((p->known & SCAP_PROC_HAS_CGROUP) && p->cgroup) {
		scap_container_id(want->cgroup, cid, sizeof(cid));
		if (!p->container_id || strcmp(p->container_id, cid) != 0)
			return live_fail(t, "%s: container_id \"%s\", want \"%s\"", what,
					 p->container_id ? p->container_id : "(null)", cid);
	}
	if (want->args_len) {
		if (!(p->known & SCAP_PROC_HAS_ARGS) || !p->args) {
			if (full)
				return live_fail(t, "%s: args unknown", what);
		} else if (p->args_len != want->args_len || memcmp(p->args, want->args, want->args_len) != 0) {
			char got[256];
			size_t k = p->args_len < sizeof(got) - 1 ? p->args_len : sizeof(got) - 1;

			memcpy(got, p->args, k);
			for (size_t i = 0; i < k; i++)
				if (!got[i])
					got[i] = ' ';
			got[k] = '\0';
			return live_fail(t, "%s: args \"%s\" (%u bytes), want %u bytes", what, got, p->args_len,
					 want->args_len);
		}
	}
	return LIVE_PASS;
}

/* (proc_truth.h) */
static struct scap_dumper *rec_dump;
static FILE *rec_lines;

void proc_record(struct scap_dumper *d, FILE *lines)
{
	rec_dump = d;
	rec_lines = lines;
}

/* Records ev as proc_record says. 0, or -1 with the test failed. */
static int record(struct live_test *t, struct scap *h, const struct scap_event *ev, unsigned cpu)
{
	static char line[65536];

	if (!rec_dump)
		return 0;
	if (scap_dump_event(rec_dump, ev, cpu) < 0) {
		live_fail(t, "scap_dump_event: %s", scap_last_error(h));
		return -1;
	}
	if (scap_event_format_proc(h, ev, cpu, SCAP_FORMAT_JSON, line, sizeof(line), NULL) < 0) {
		live_fail(t, "a %s event does not format in %zu bytes", scap_event_name(ev), sizeof(line));
		return -1;
	}
	fprintf(rec_lines, "%s\n", line);
	return 0;
}

int proc_record_drain(struct live_test *t, struct scap *h)
{
	const struct scap_event *ev;
	unsigned cpu;
	int r;

	while ((r = scap_next(h, &ev, &cpu, 0)) == 0 || r == -EAGAIN || r == -EINTR)
		if (r == 0 && record(t, h, ev, cpu) < 0)
			return LIVE_FAIL;
	return r == -ENODATA ? LIVE_PASS : live_fail(t, "draining after scap_stop: %s", scap_last_error(h));
}

int proc_replay_check(struct live_test *t, const char *path, FILE *lines, const char *must_have)
{
	static char line[65536];
	struct scap_open_opts o = { .sz = sizeof(o), .savefile_path = path };
	char err[SCAP_ERRBUF_SIZE], *want = NULL;
	const struct scap_event *ev;
	size_t cap = 0, n = 0;
	bool have = false;
	struct scap *h;
	unsigned cpu;
	int r;

	rewind(lines);
	if (scap_open(&h, "savefile", &o, err, sizeof(err)) < 0)
		return live_fail(t, "replaying %s: %s", path, err);
	if (scap_start(h) < 0) {
		r = live_fail(t, "replaying %s: %s", path, scap_last_error(h));
		goto out;
	}
	while ((r = scap_next(h, &ev, &cpu, 0)) == 0) {
		ssize_t k = getline(&want, &cap, lines);

		n++;
		scap_event_format_proc(h, ev, cpu, SCAP_FORMAT_JSON, line, sizeof(line), NULL);
		if (k <= 0) {
			r = live_fail(t, "replay: event %zu (%.300s) was not delivered live", n, line);
			goto out;
		}
		want[k - 1] = '\0';
		if (strcmp(line, want) != 0) {
			r = live_fail(t, "replay: line %zu differs:\n live:   %.600s\n replay: %.600s", n, want, line);
			goto out;
		}
		have = have || strstr(line, must_have);
	}
	if (r != -ENODATA) {
		r = live_fail(t, "replay of %s: scap_next: %s", path, scap_last_error(h));
		goto out;
	}
	if (getline(&want, &cap, lines) > 0) {
		r = live_fail(t, "replay: %zu events, the live capture delivered more", n);
		goto out;
	}
	r = have ? LIVE_PASS : live_fail(t, "replay: %zu lines, byte for byte the live ones, but none holds %s", n,
					 must_have);
	if (r == LIVE_PASS)
		printf("    replay: %zu JSON lines byte for byte the live ones\n", n);
out:
	free(want);
	scap_close(h);
	return r;
}

int proc_expect_markers(struct live_test *t, struct scap *h, struct proc_marker *m, unsigned n, bool full)
{
	uint64_t deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS;
	const struct scap_event *ev;
	unsigned found = 0, cpu = 0;

	while (found < n) {
		struct scap_param p;
		int r;

		if (live_now_ms() > deadline) {
			for (unsigned i = 0; i < n; i++)
				if (!m[i].found)
					return live_fail(t, "%s: its openat of %s was not delivered within %d ms",
							 m[i].what, m[i].path, LIVE_EVENT_DEADLINE_MS);
			/* Markers the caller passed as found already: never loop on past the deadline. */
			return live_fail(t, "%u of %u markers seen within %d ms", found, n, LIVE_EVENT_DEADLINE_MS);
		}
		r = scap_next(h, &ev, &cpu, 100);
		if (r == -EAGAIN || r == -EINTR)
			continue;
		if (r < 0)
			return live_fail(t, "scap_next: %s", scap_last_error(h));
		if (record(t, h, ev, cpu) < 0)
			return LIVE_FAIL;
		if (scap_event_type(ev) != SCAP_EV_OPENAT_X && scap_event_type(ev) != SCAP_EV_OPENAT_E)
			return live_fail(t, "a %s event was delivered: only openat was selected (the table's rows "
					 "must stay hidden)", scap_event_name(ev));
		if (scap_event_type(ev) != SCAP_EV_OPENAT_X ||
		    scap_event_param_by_name(ev, "pathname", &p) < 0 || !p.str)
			continue;
		for (unsigned i = 0; i < n; i++) {
			if (m[i].found || strcmp(p.str, m[i].path) != 0)
				continue;
			if (scap_event_tid(ev) != m[i].want->tid)
				return live_fail(t, "%s: openat from tid %u, the process said it is %u", m[i].what,
						 scap_event_tid(ev), m[i].want->tid);
			r = proc_truth_check(t, m[i].what, scap_event_proc(h, ev), m[i].want, full);
			if (r != LIVE_PASS)
				return r;
			if (m[i].json_has) {
				static char line[65536];

				scap_event_format_proc(h, ev, 0, SCAP_FORMAT_JSON, line, sizeof(line), NULL);
				if (!strstr(line, m[i].json_has))
					return live_fail(t, "%s: the JSON line %.600s lacks %s", m[i].what, line,
							 m[i].json_has);
			}
			m[i].found = true;
			m[i].ts = scap_event_ts(ev);
			found++;
		}
	}
	return LIVE_PASS;
}

struct scap *proc_open_tracking(struct live_test *t, unsigned grace_ms)
{
	static const char *const sel[] = { "openat", NULL };
	struct scap_open_opts o = { .syscalls = sel, .proc_grace_ms = grace_ms };

	/* One capture at a time: some engines own their kernel side exclusively. */
	live_shared_close();
	return live_open(t, &o);
}

