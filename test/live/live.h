/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The live suite: capture from the running kernel through one engine (the
 * first argument) and assert the exact decoded events our own threads cause.
 * One self-contained executable so that the VM test can run it statically
 * linked inside a guest.
 */
#ifndef SCAP_TEST_LIVE_H
#define SCAP_TEST_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scap/scap.h"

/* Snaplen of the shared handle: not the default (80), to see it honoured. */
#define LIVE_SNAPLEN 100u
/* How long to look for one expected event before calling it missing. A
 * deadline for a lost event, not a speed requirement: generous for TCG guests. */
#define LIVE_EVENT_DEADLINE_MS 15000

enum live_result { LIVE_PASS = 0, LIVE_FAIL, LIVE_SKIP };

struct live_test {
	const char *name;
	const char *engine;
	char msg[1024];        /* why it failed or skipped */
};

/* Records the reason and returns LIVE_FAIL / LIVE_SKIP (for `return live_fail(...)`). */
int live_fail(struct live_test *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int live_skip(struct live_test *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The engine under test (argv[1]). */
extern const char *live_engine;

/* ---- handles ------------------------------------------------------------- */

/* The handle most tests share (paired mode, LIVE_SNAPLEN, the suite's
 * syscalls), opened and started on first use. NULL with t->msg set on error. */
struct scap *live_shared_handle(struct live_test *t);
void live_shared_close(void);
/* Opens and starts a handle with these options (sz filled in). */
struct scap *live_open(struct live_test *t, struct scap_open_opts *o);
/* Reads and drops every event already buffered, so a test starts clean. */
void live_drain(struct scap *h);

/* ---- running syscalls in a thread of their own ------------------------------ */

/* Runs fn(arg) in a new thread and joins it; *tid gets the thread's id. */
int live_run_thread(void *(*fn)(void *), void *arg, pid_t *tid);
pid_t live_gettid(void);
/* CLOCK_MONOTONIC in milliseconds, for the suite's deadlines. */
uint64_t live_now_ms(void);
/* $TMPDIR or /tmp, created if missing; and a path unique to this run in it. */
const char *live_tmp_dir(void);
void live_tmp_path(char *buf, size_t len, const char *name);

/*
 * The cgroup path the drivers report, from the text of /proc/<pid>/cgroup:
 * the unified hierarchy's path ("0::/path"), or, where that is the root (a
 * host with cgroup v1 hierarchies only), the memory controller's
 * ("N:memory:/path"). Does not modify text.
 */
void live_cgroup_path(const char *text, char *out, size_t len);
/* Reads a whole small file (procfs) with raw syscalls only: bytes read (NUL-terminated), or -1. */
long live_read_raw(const char *path, char *buf, size_t len);
/* Whether the engine under test leaves task_struct values empty here (bpf without kernel BTF). */
bool live_no_task_btf(void);
/* The bpf engine forced into tracepoint mode (SCAP_PROBE_OVERRIDE raw_tracepoint=0): no registers. */
bool live_bpf_tracepoint_mode(void);
/*
 * The bpf engine in tracepoint mode without BTF where no kprobe gives it the
 * new image's stack (start_thread is inline on arm64, a macro on s390x):
 * execve's exit has no argv there (docs/engines.md).
 */
bool live_bpf_no_exec_argv(void);

/* ---- expected events ------------------------------------------------------- */

enum want_kind {
	W_END = 0,
	W_S,      /* signed integer (v.i) */
	W_U,      /* unsigned integer (v.u) */
	W_STR,    /* PATH / CHARBUF text */
	W_BYTES,  /* raw bytes, exact length */
	W_FMT,    /* scap_param_format text */
	W_EMPTY,  /* present with length 0 */
	W_STR_OR_EMPTY, /* an enter-only value: text when paired, may be empty if not */
};

struct want_param {
	const char *name;
	enum want_kind kind;
	int64_t i;
	uint64_t u;
	const char *s;
	const void *b;
	size_t blen;
	/* Its mark (scap_param.state), checked for every kind but W_FMT: whole
	 * unless a W*_CUT / WUNREAD says otherwise. */
	enum scap_param_state state;
};

#define WS(n, v) { .name = (n), .kind = W_S, .i = (int64_t)(v) }
#define WU(n, v) { .name = (n), .kind = W_U, .u = (uint64_t)(v) }
#define WSTR(n, v) { .name = (n), .kind = W_STR, .s = (v) }
#define WSTR_OR_EMPTY(n, v) { .name = (n), .kind = W_STR_OR_EMPTY, .s = (v) }
#define WBYTES(n, p, l) { .name = (n), .kind = W_BYTES, .b = (p), .blen = (l) }
#define WFMT(n, v) { .name = (n), .kind = W_FMT, .s = (v) }
#define WEMPTY(n) { .name = (n), .kind = W_EMPTY }
/* Cut at a limit (the data is what was kept), or unreadable (no data). */
#define WBYTES_CUT(n, p, l) { .name = (n), .kind = W_BYTES, .b = (p), .blen = (l), .state = SCAP_PARAM_CUT }
#define WSTR_CUT(n, v) { .name = (n), .kind = W_STR, .s = (v), .state = SCAP_PARAM_CUT }
#define WUNREAD(n) { .name = (n), .kind = W_EMPTY, .state = SCAP_PARAM_UNREADABLE }

#define WANT_MAX_PARAMS 16

struct want_event {
	const char *what;       /* for messages: "openat exit" */
	uint32_t tid;           /* thread that made the call */
	uint32_t pid;           /* its process (tgid); 0 = not checked */
	uint16_t type;          /* SCAP_EV_* */
	/* Optional key telling our event apart from the thread's other calls of
	 * the same syscall: a parameter that must be equal before the event is
	 * considered ours (then every other mismatch is a failure). */
	struct want_param key;
	struct want_param params[WANT_MAX_PARAMS]; /* W_END terminated */
	const char *event_name; /* scap_event_name, if not NULL */
	const char *text_has;   /* if not NULL: the event's text line (scap_event_format) contains it */
	const char *json_has;   /* the same for its JSON object */
	unsigned flags_set;     /* SCAP_EVF_* that must be set */
	unsigned flags_clear;   /* SCAP_EVF_* that must be clear */
	bool forbidden;         /* seeing this event at all is a failure */
	/* Filled when found. */
	bool found;
	unsigned seq;           /* order of delivery among the wanted events */
	uint64_t ts;
	unsigned cpu;
	unsigned flags;         /* the event's SCAP_EVF_* */
};

/*
 * Reads events from h until every wanted event (in any order) has been seen
 * and checked (a forbidden one, matched by tid, type and key, fails at once), or LIVE_EVENT_DEADLINE_MS passed. LIVE_PASS, or LIVE_FAIL with
 * the first mismatch (or the missing events and the drop counters) in t->msg.
 */
int live_expect(struct live_test *t, struct scap *h, struct want_event *w, unsigned n);

/* ---- the tests ------------------------------------------------------------- */

typedef int (*live_test_fn)(struct live_test *t);

int test_openat_create(struct live_test *t);
int test_openat_enoent(struct live_test *t);
int test_paired_openat(struct live_test *t);
int test_write(struct live_test *t);
int test_write_snaplen(struct live_test *t);
int test_read(struct live_test *t);
int test_close(struct live_test *t);
int test_unlinkat(struct live_test *t);
int test_net_connect(struct live_test *t);
int test_clone(struct live_test *t);
int test_execve(struct live_test *t);
int test_getppid_generic(struct live_test *t);
int test_ia32_int80(struct live_test *t);
int test_aarch32_exec(struct live_test *t);
int test_unpaired_openat(struct live_test *t);
int test_toctou_flip(struct live_test *t);
int test_opened_truth(struct live_test *t);
int test_connect_peer_truth(struct live_test *t);
int test_kill_cleanup(struct live_test *t);
int test_close_cleanup(struct live_test *t);
int test_ts_order(struct live_test *t);
int test_proc_before_capture(struct live_test *t);
int test_proc_chain(struct live_test *t);
int test_proc_creds_exit(struct live_test *t);
int test_proc_container(struct live_test *t);
int test_proc_pid_reuse(struct live_test *t);
int test_procexit_code(struct live_test *t);
int test_procexit_sigkill(struct live_test *t);
int test_procexit_core(struct live_test *t);
int test_procexit_threads(struct live_test *t);
int test_fork_child_ctx(struct live_test *t);
int test_vfork_child_ctx(struct live_test *t);
int test_thread_child_ctx(struct live_test *t);
int test_clone3_child_ctx(struct live_test *t);
int test_pidns_child_ctx(struct live_test *t);
int test_exec_from_thread(struct live_test *t);
int test_exit_thread(struct live_test *t);
int test_stop_drain(struct live_test *t);
/* t_socketcall.c: socketcall demultiplexed (a handle of its own; skips without SYS_socketcall). */
int test_socketcall(struct live_test *t);
int test_socketcall_selection(struct live_test *t);
/* Brings the loopback interface up if it is down: LIVE_PASS, or a skip saying why not. */
int live_loopback_up(struct live_test *t);

/* argv[1] of the images the lifecycle tests exec (main.c runs them before anything else). */
#define LIVE_SEGV_ARG "--live-segv"              /* dies of SIGSEGV */
#define LIVE_EXEC_THREAD_ARG "--live-exec-thread" /* getppid, then exit_group(0) */
/* Runs the image of argv[1] when it is one of the above; returns otherwise. */
void live_lifecycle_image(int argc, char **argv);

/* t_exact.c: the values of issue 16, byte for byte. */
int test_exact_argv_over_32(struct live_test *t);
int test_exact_argv_null_empty_unreadable(struct live_test *t);
int test_exact_unix_abstract_nul(struct live_test *t);
int test_exact_unix_at_path_108(struct live_test *t);
int test_exact_sockaddr_len(struct live_test *t);
int test_exact_deep_paths(struct live_test *t);
int test_exact_unpaired_argv(struct live_test *t);

/* In the environment of an image the suite execs: scap_live exits 0 at once. */
#define LIVE_EXIT_AT_ONCE "SCAP_LIVE_EXIT_AT_ONCE"

#endif
