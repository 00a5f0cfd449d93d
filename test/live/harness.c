// SPDX-License-Identifier: Apache-2.0
/*
 * The suite's plumbing: handles, worker threads, and the search for expected
 * events in the live stream with exact parameter checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "live.h"

const char *live_engine;

static int vrecord(struct live_test *t, int result, const char *fmt, va_list ap)
{
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	return result;
}

int live_fail(struct live_test *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vrecord(t, LIVE_FAIL, fmt, ap);
	va_end(ap);
	return LIVE_FAIL;
}

int live_skip(struct live_test *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vrecord(t, LIVE_SKIP, fmt, ap);
	va_end(ap);
	return LIVE_SKIP;
}

pid_t live_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

const char *live_tmp_dir(void)
{
	const char *d = getenv("TMPDIR");

	if (!d || d[0] != '/')
		d = "/tmp";
	/* A minimal guest may have no /tmp yet. */
	if (access(d, W_OK) < 0)
		mkdir(d, 01777);
	return d;
}

void live_tmp_path(char *buf, size_t len, const char *name)
{
	static unsigned counter;

	snprintf(buf, len, "%s/scap-live-%d-%s-%u", live_tmp_dir(), (int)getpid(), name,
		 counter++);
}

void live_cgroup_path(const char *text, char *out, size_t len)
{
	char v2[4096] = "/", mem[4096] = "";
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *m = memmem(line, n, ":memory:", 8);

		if (n > 3 && strncmp(line, "0::", 3) == 0)
			snprintf(v2, sizeof(v2), "%.*s", (int)(n - 3), line + 3);
		else if (m && !memchr(m + 8, ':', n - (size_t)(m + 8 - line)))
			snprintf(mem, sizeof(mem), "%.*s", (int)(n - (size_t)(m + 8 - line)), m + 8);
		line = nl ? nl + 1 : NULL;
	}
	snprintf(out, len, "%s", strcmp(v2, "/") == 0 && mem[0] ? mem : v2);
}

long live_read_raw(const char *path, char *buf, size_t len)
{
	long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0), n, got = 0;

	if (fd < 0 || len == 0)
		return -1;
	while ((size_t)got < len - 1 && (n = syscall(SYS_read, fd, buf + got, len - 1 - (size_t)got)) > 0)
		got += n;
	syscall(SYS_close, fd);
	buf[got] = '\0';
	return got;
}

bool live_no_task_btf(void)
{
	const char *o = getenv("SCAP_PROBE_OVERRIDE");
	bool forced = false;

	/* btf=0 forced (a key of the comma-separated override) has the engine work as without BTF. */
	for (const char *p = o; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		forced |= strncmp(p, "btf=0", 5) == 0 && (p[5] == ',' || p[5] == '\0');
	return strcmp(live_engine, "bpf") == 0 && (forced || access("/sys/kernel/btf/vmlinux", R_OK) != 0);
}

bool live_bpf_tracepoint_mode(void)
{
	const char *o = getenv("SCAP_PROBE_OVERRIDE");
	bool forced = false;

	for (const char *p = o; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		forced |= strncmp(p, "raw_tracepoint=0", 16) == 0 && (p[16] == ',' || p[16] == '\0');
	return strcmp(live_engine, "bpf") == 0 && forced;
}

bool live_bpf_no_exec_argv(void)
{
#if defined(__aarch64__) || defined(__s390x__)
	return live_bpf_tracepoint_mode() && live_no_task_btf();
#else
	return false;
#endif
}

/* ---- handles --------------------------------------------------------------- */

static struct scap *shared;

/* Only what the suite calls: keeps the stream small and the suite fast. */
static const char *const shared_syscalls[] = {
	"openat", "read", "write", "close", "unlinkat", "socket", "bind", "listen",
	"connect", "clone", "execve", "getppid", "clone3", "procexit",
#ifdef SYS_fork /* aarch64 has neither: its libc's fork and vfork are clone */
	"fork", "vfork",
#endif
	NULL,
};

struct scap *live_open(struct live_test *t, struct scap_open_opts *o)
{
	char err[SCAP_ERRBUF_SIZE] = "";
	struct scap *h = NULL;
	int r;

	o->sz = sizeof(*o);
	r = scap_open(&h, live_engine, o, err, sizeof(err));
	if (r < 0) {
		live_fail(t, "scap_open(\"%s\"): %s (%s)", live_engine, err, strerror(-r));
		return NULL;
	}
	r = scap_start(h);
	if (r < 0) {
		live_fail(t, "scap_start: %s (%s)", scap_last_error(h), strerror(-r));
		scap_close(h);
		return NULL;
	}
	return h;
}

struct scap *live_shared_handle(struct live_test *t)
{
	struct scap_open_opts o = {
		.snaplen = LIVE_SNAPLEN,
		.syscalls = shared_syscalls,
	};

	static char first_error[sizeof(t->msg)];

	/* A failed open fails every test that needs the handle, without paying
	 * for another load (minutes under TCG). */
	if (first_error[0]) {
		live_fail(t, "%s", first_error);
		return NULL;
	}
	if (!shared) {
		shared = live_open(t, &o);
		if (!shared)
			memcpy(first_error, t->msg, sizeof(first_error));
	}
	return shared;
}

void live_shared_close(void)
{
	scap_close(shared);
	shared = NULL;
}

void live_drain(struct scap *h)
{
	const struct scap_event *ev;

	/* Bounded: a busy host must not keep the suite here forever. */
	for (unsigned i = 0; i < 10000000u; i++)
		if (scap_next(h, &ev, NULL, 0) != 0)
			break;
}

/* ---- worker threads ---------------------------------------------------------- */

struct thread_start {
	void *(*fn)(void *);
	void *arg;
	pid_t tid;
};

static void *thread_main(void *p)
{
	struct thread_start *s = p;

	s->tid = live_gettid();
	return s->fn(s->arg);
}

int live_run_thread(void *(*fn)(void *), void *arg, pid_t *tid)
{
	struct thread_start s = { .fn = fn, .arg = arg };
	pthread_t th;
	int r;

	r = pthread_create(&th, NULL, thread_main, &s);
	if (r)
		return -r;
	pthread_join(th, NULL);
	*tid = s.tid;
	return 0;
}

/* ---- expected events ------------------------------------------------------------ */

uint64_t live_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Printable excerpt of bytes for messages. */
static void excerpt(char *out, size_t len, const void *data, size_t n)
{
	const unsigned char *b = data;
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < len; i++) {
		if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\')
			out[o++] = (char)b[i];
		else
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", b[i]);
	}
	out[o < len ? o : len - 1] = '\0';
}

/* 1 equal, 0 different (why in `why`), negative errno when the parameter is missing or bad. */
static int param_equal(const struct scap_event *ev, const struct want_param *w, char *why, size_t len)
{
	struct scap_param p;
	char got[512], exp[512];
	int r;

	r = scap_event_param_by_name(ev, w->name, &p);
	if (r < 0) {
		snprintf(why, len, "parameter %s: %s", w->name, strerror(-r));
		return r;
	}
	if (w->kind != W_FMT && w->kind != W_STR_OR_EMPTY && p.state != w->state) {
		static const char *const states[] = { "whole", "cut", "unreadable" };

		excerpt(got, sizeof(got), p.data, p.len > 120 ? 120 : p.len);
		snprintf(why, len, "%s is %s (%u bytes \"%s\"), want it %s", w->name,
			 p.state <= SCAP_PARAM_UNREADABLE ? states[p.state] : "?", p.len, got,
			 w->state <= SCAP_PARAM_UNREADABLE ? states[w->state] : "?");
		return 0;
	}
	/* An empty integer decodes as 0: a missing value must not pass for a wanted 0. */
	if ((w->kind == W_S || w->kind == W_U) && p.len == 0) {
		if (w->kind == W_S)
			snprintf(why, len, "%s is empty, want %lld", w->name, (long long)w->i);
		else
			snprintf(why, len, "%s is empty, want %llu", w->name, (unsigned long long)w->u);
		return 0;
	}
	switch (w->kind) {
	case W_S:
		if (p.v.i == w->i)
			return 1;
		snprintf(why, len, "%s = %lld, want %lld", w->name, (long long)p.v.i, (long long)w->i);
		return 0;
	case W_U:
		if (p.v.u == w->u)
			return 1;
		snprintf(why, len, "%s = %llu (%#llx), want %llu (%#llx)", w->name,
			 (unsigned long long)p.v.u, (unsigned long long)p.v.u,
			 (unsigned long long)w->u, (unsigned long long)w->u);
		return 0;
	case W_STR_OR_EMPTY:
		/* Empty is fine only when no pairing stage filled the value. */
		if (p.len == 0 && !(scap_event_flags(ev) & SCAP_EVF_PAIRED))
			return 1;
		/* fall through */
	case W_STR:
		if (p.str && strcmp(p.str, w->s) == 0)
			return 1;
		excerpt(got, sizeof(got), p.data, p.len);
		snprintf(why, len, "%s = \"%s\" (%u bytes%s), want \"%s\"", w->name, got, p.len,
			 p.str ? "" : ", not text", w->s);
		return 0;
	case W_BYTES:
		if (p.len == w->blen && memcmp(p.data, w->b, w->blen) == 0)
			return 1;
		excerpt(got, sizeof(got), p.data, p.len > 120 ? 120 : p.len);
		excerpt(exp, sizeof(exp), w->b, w->blen > 120 ? 120 : w->blen);
		snprintf(why, len, "%s = %u bytes \"%.300s\", want %zu bytes \"%.300s\"", w->name, p.len,
			 got, w->blen, exp);
		return 0;
	case W_FMT:
		scap_param_format(&p, got, sizeof(got));
		if (strcmp(got, w->s) == 0)
			return 1;
		snprintf(why, len, "%s formats as \"%s\", want \"%s\"", w->name, got, w->s);
		return 0;
	case W_EMPTY:
		if (p.len == 0)
			return 1;
		snprintf(why, len, "%s has %u bytes, want none", w->name, p.len);
		return 0;
	case W_END:
		break;
	}
	snprintf(why, len, "bad expectation for %s", w->name);
	return -EINVAL;
}

/* LIVE_PASS, or LIVE_FAIL with the first mismatch. */
static int check_event(struct live_test *t, const struct scap_event *ev, struct want_event *w)
{
	char why[900];
	unsigned flags = scap_event_flags(ev);

	/* Every event checked is well formed, its marks included. */
	if (scap_event_validate(scap_event_bytes(ev), scap_event_len(ev), why, sizeof(why)) != 0)
		return live_fail(t, "%s: malformed event: %s", w->what, why);

	if (w->pid && scap_event_pid(ev) != w->pid)
		return live_fail(t, "%s: pid %u, want %u", w->what, scap_event_pid(ev), w->pid);
	if (w->event_name && strcmp(scap_event_name(ev), w->event_name) != 0)
		return live_fail(t, "%s: event name \"%s\", want \"%s\"", w->what,
				 scap_event_name(ev), w->event_name);
	if ((flags & w->flags_set) != w->flags_set)
		return live_fail(t, "%s: flags %#x lack %#x", w->what, flags, w->flags_set);
	if (flags & w->flags_clear)
		return live_fail(t, "%s: flags %#x must not have %#x", w->what, flags,
				 flags & w->flags_clear);
	for (unsigned i = 0; i < WANT_MAX_PARAMS && w->params[i].kind != W_END; i++)
		if (param_equal(ev, &w->params[i], why, sizeof(why)) != 1)
			return live_fail(t, "%s: %s", w->what, why);
	for (int json = 0; json < 2; json++) {
		const char *has = json ? w->json_has : w->text_has;
		static char line[65536 * 9 + 4096];

		if (!has)
			continue;
		scap_event_format(ev, 0, json ? SCAP_FORMAT_JSON : SCAP_FORMAT_TEXT, line, sizeof(line), NULL);
		if (!strstr(line, has))
			return live_fail(t, "%s: the %s line lacks %s: %.600s", w->what, json ? "JSON" : "text",
					 has, line);
	}
	return LIVE_PASS;
}

static int timeout_message(struct live_test *t, struct scap *h, struct want_event *w,
			   unsigned n, const char *near, uint64_t seen)
{
	struct scap_stats st = { .sz = sizeof(st) };
	char missing[400] = "";
	size_t o = 0;

	for (unsigned i = 0; i < n; i++)
		if (!w[i].found && !w[i].forbidden && o < sizeof(missing))
			o += (size_t)snprintf(missing + o, sizeof(missing) - o, "%s%s (tid %u)",
					      o ? ", " : "", w[i].what, w[i].tid);
	scap_get_stats(h, &st);
	return live_fail(t, "not delivered within %d ms: %s; %llu events read, drops %llu "
			 "(buffer full %llu, other %llu)%s%s", LIVE_EVENT_DEADLINE_MS, missing,
			 (unsigned long long)seen, (unsigned long long)st.drops,
			 (unsigned long long)st.drops_buffer_full,
			 (unsigned long long)st.drops_other, near[0] ? "; closest: " : "", near);
}

int live_expect(struct live_test *t, struct scap *h, struct want_event *w, unsigned n)
{
	uint64_t deadline = live_now_ms() + LIVE_EVENT_DEADLINE_MS;
	const struct scap_event *ev;
	unsigned found = 0, cpu = 0;
	uint64_t seen = 0;
	char near[900] = "";
	int r;

	unsigned need = 0;

	for (unsigned i = 0; i < n; i++) {
		w[i].found = false;
		need += !w[i].forbidden;
	}
	while (found < need) {
		if (live_now_ms() > deadline)
			return timeout_message(t, h, w, n, near, seen);
		r = scap_next(h, &ev, &cpu, 100);
		if (r == -EAGAIN || r == -EINTR)
			continue;
		if (r < 0)
			return live_fail(t, "scap_next: %s (%s)", scap_last_error(h), strerror(-r));
		seen++;
		for (unsigned i = 0; i < n; i++) {
			char why[800];

			if (w[i].found || scap_event_tid(ev) != w[i].tid ||
			    scap_event_type(ev) != w[i].type)
				continue;
			if (w[i].key.name) {
				r = param_equal(ev, &w[i].key, why, sizeof(why));
				if (r != 1) {
					/* Another call of the same thread; remember it in
					 * case ours never comes. */
					snprintf(near, sizeof(near), "%s: %s", w[i].what, why);
					continue;
				}
			}
			if (w[i].forbidden)
				return live_fail(t, "%s was delivered (tid %u)", w[i].what, w[i].tid);
			r = check_event(t, ev, &w[i]);
			if (r != LIVE_PASS)
				return r;
			w[i].found = true;
			w[i].seq = found++;
			w[i].ts = scap_event_ts(ev);
			w[i].cpu = cpu;
			w[i].flags = scap_event_flags(ev);
			break;
		}
	}
	return LIVE_PASS;
}
