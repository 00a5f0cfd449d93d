// SPDX-License-Identifier: Apache-2.0
/*
 * scap_live ENGINE [TEST...]: runs the live suite against one engine.
 *
 * Prints one line per test (PASS/FAIL/SKIP name: reason) and a final
 * "N passed, N failed, N skipped" line. Exit status: 0 when nothing failed,
 * 1 when something failed, 77 when everything was skipped (not root, engine
 * unusable here, not a live engine), 2 on bad usage.
 *
 * The tests run in a child process: a test that crashes is reported as
 * "FAIL name: the test crashed with signal ..." and the tests after it go on
 * in a new child (run_in_child).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "live.h"
#include "proc_truth.h"

#define EXIT_SKIP 77

static const struct {
	const char *name;
	live_test_fn fn;
} tests[] = {
	{ "openat_create", test_openat_create },
	{ "openat_enoent", test_openat_enoent },
	{ "paired_openat", test_paired_openat },
	{ "write", test_write },
	{ "write_snaplen", test_write_snaplen },
	{ "read", test_read },
	{ "close", test_close },
	{ "unlinkat", test_unlinkat },
	{ "net_connect", test_net_connect },
	{ "clone", test_clone },
	{ "execve", test_execve },
	{ "getppid_generic", test_getppid_generic },
	{ "ia32_int80", test_ia32_int80 },
	{ "aarch32_exec", test_aarch32_exec },
	{ "procexit_code", test_procexit_code },
	{ "procexit_sigkill", test_procexit_sigkill },
	{ "procexit_core", test_procexit_core },
	{ "procexit_threads", test_procexit_threads },
	{ "fork_child_ctx", test_fork_child_ctx },
	{ "vfork_child_ctx", test_vfork_child_ctx },
	{ "thread_child_ctx", test_thread_child_ctx },
	{ "clone3_child_ctx", test_clone3_child_ctx },
	{ "pidns_child_ctx", test_pidns_child_ctx },
	{ "exec_from_thread", test_exec_from_thread },
	{ "exact_argv_over_32", test_exact_argv_over_32 },
	{ "exact_argv_null_empty_unreadable", test_exact_argv_null_empty_unreadable },
	{ "exact_unix_abstract_nul", test_exact_unix_abstract_nul },
	{ "exact_unix_at_path_108", test_exact_unix_at_path_108 },
	{ "exact_sockaddr_len", test_exact_sockaddr_len },
	{ "exact_deep_paths", test_exact_deep_paths },
	/* These open handles of their own, after the shared one is closed. */
	{ "unpaired_openat", test_unpaired_openat },
	{ "exact_unpaired_argv", test_exact_unpaired_argv },
	{ "toctou_flip", test_toctou_flip },
	{ "opened_truth", test_opened_truth },
	{ "connect_peer_truth", test_connect_peer_truth },
	{ "socketcall", test_socketcall },
	{ "socketcall_selection", test_socketcall_selection },
	{ "ts_order", test_ts_order },
	{ "exit_thread", test_exit_thread },
	{ "stop_drain", test_stop_drain },
	{ "close_cleanup", test_close_cleanup },
	{ "kill_cleanup", test_kill_cleanup },
	/* The process table (issue 14): handles of their own. */
	{ "proc_before_capture", test_proc_before_capture },
	{ "proc_chain", test_proc_chain },
	{ "proc_creds_exit", test_proc_creds_exit },
	{ "proc_container", test_proc_container },
	{ "proc_pid_reuse", test_proc_pid_reuse },
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

/* The engines that capture from the running kernel; the others have no live events. */
static const char *const live_engines[] = { "modern_bpf", "bpf", "kmod", NULL };

static void usage(FILE *f)
{
	fprintf(f, "usage: scap_live ENGINE [TEST...]\n  engines compiled in:");
	for (unsigned i = 0; i < scap_engine_count(); i++)
		fprintf(f, " %s", scap_engine_name_at(i));
	fprintf(f, "\n  tests:");
	for (unsigned i = 0; i < NTESTS; i++)
		fprintf(f, " %s", tests[i].name);
	fprintf(f, "\n");
}

static int skip_all(const char *engine, const char *why)
{
	printf("SKIP all (%s): %s\n", engine, why);
	printf("0 passed, 0 failed, %zu skipped\n", NTESTS);
	return EXIT_SKIP;
}

static bool selected(int argc, char **argv, const char *name)
{
	if (argc <= 2)
		return true;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

/* Runs tests [from, NTESTS) in this process, reporting to fd `rep` (see run_in_child). */
static void run_tests(int argc, char **argv, unsigned from, int rep)
{
	for (unsigned i = from; i < NTESTS; i++) {
		struct live_test t = { .name = tests[i].name, .engine = live_engine };
		char rec[32];
		int r, n;

		if (!selected(argc, argv, tests[i].name))
			continue;
		n = snprintf(rec, sizeof(rec), "B %u\n", i);
		if (write(rep, rec, (size_t)n) != n)
			_exit(3);
		r = tests[i].fn(&t);
		if (r == LIVE_PASS)
			printf("PASS %s%s%s%s\n", t.name, t.msg[0] ? " (" : "", t.msg, t.msg[0] ? ")" : "");
		else if (r == LIVE_SKIP)
			printf("SKIP %s: %s\n", t.name, t.msg);
		else
			printf("FAIL %s: %s\n", t.name, t.msg);
		n = snprintf(rec, sizeof(rec), "E %u %d\n", i, r);
		if (write(rep, rec, (size_t)n) != n)
			_exit(3);
	}
	live_shared_close();
}

/*
 * Runs the tests from index `from` in a forked child, so that a test that
 * crashes (a signal, an abort) is named and the tests after it still run, in
 * the next child. The child reports "B i" before test i and "E i result"
 * after it through a pipe; the parent keeps the counts. On a crash, *crashed
 * is the index of the test that was running. 0, or -1 when no child could run.
 */
static int run_in_child(int argc, char **argv, unsigned from, unsigned *pass, unsigned *fail,
			unsigned *skip, unsigned *crashed)
{
	int p[2], st = 0;
	unsigned running = NTESTS;
	char buf[256];
	size_t have = 0;
	pid_t c;

	if (pipe(p) < 0) {
		perror("scap_live: pipe");
		return -1;
	}
	fflush(NULL);
	c = fork();
	if (c < 0) {
		perror("scap_live: fork");
		return -1;
	}
	if (c == 0) {
		close(p[0]);
		run_tests(argc, argv, from, p[1]);
		fflush(NULL);
		_exit(0);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], buf + have, sizeof(buf) - 1 - have);
		char *line, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n'))) {
			unsigned i;
			int res;

			*nl = '\0';
			if (sscanf(line, "B %u", &i) == 1 && i < NTESTS) {
				running = i;
			} else if (sscanf(line, "E %u %d", &i, &res) == 2) {
				running = NTESTS;
				*(res == LIVE_PASS ? pass : res == LIVE_SKIP ? skip : fail) += 1;
			}
			line = nl + 1;
		}
		have = strlen(line);
		memmove(buf, line, have);
	}
	close(p[0]);
	while (waitpid(c, &st, 0) < 0 && errno == EINTR)
		;
	if (running < NTESTS) {
		(*fail)++;
		*crashed = running;
		if (WIFSIGNALED(st))
			printf("FAIL %s: the test crashed with signal %d (%s); the tests after it run in a new "
			       "process\n", tests[running].name, WTERMSIG(st), strsignal(WTERMSIG(st)));
		else
			printf("FAIL %s: the test process ended (exit status %d) before the test finished; the "
			       "tests after it run in a new process\n", tests[running].name,
			       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		(*fail)++;
		printf("FAIL (between tests): the test process ended with status %#x\n", (unsigned)st);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned pass = 0, fail = 0, skip = 0;
	char reason[512] = "";
	bool live = false;
	int r;

	/* The image some tests execve (t_exact.c), with whatever argv, even none. */
	if (getenv(LIVE_EXIT_AT_ONCE))
		return 0;
	/* An image a lifecycle test runs as its child: it never returns. */
	live_lifecycle_image(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The process-table tests run this executable as a new image (t_proctable.c). */
	if (argc >= 2 && strcmp(argv[1], "--proc-helper") == 0)
		return proc_helper_main(argc, argv);
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (int i = 2; i < argc; i++) {
		unsigned k = 0;

		while (k < NTESTS && strcmp(tests[k].name, argv[i]) != 0)
			k++;
		if (k == NTESTS) {
			fprintf(stderr, "scap_live: no test named \"%s\"\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	live_engine = argv[1];
	for (unsigned i = 0; live_engines[i]; i++)
		live |= strcmp(live_engines[i], live_engine) == 0;

	bool known = false;

	for (unsigned i = 0; i < scap_engine_count(); i++)
		known |= strcmp(scap_engine_name_at(i), live_engine) == 0;
	/* Not from the probe: an engine compiled in may answer -ENOENT too
	 * (kmod: the device does not exist). */
	if (!known) {
		fprintf(stderr, "scap_live: engine \"%s\" is not compiled in\n", live_engine);
		usage(stderr);
		return 2;
	}
	r = scap_engine_probe(live_engine, reason, sizeof(reason));
	if (!live)
		return skip_all(live_engine, "not a live engine: it has no events of this "
				"process to check");
	if (geteuid() != 0)
		return skip_all(live_engine, "not root: capturing from the kernel needs root "
				"(run the suite with sudo)");
	if (r < 0) {
		char why[600];

		snprintf(why, sizeof(why), "engine unusable here: %s", reason);
		return skip_all(live_engine, why);
	}

	printf("scap_live: engine %s, %zu tests\n", live_engine, NTESTS);
	for (unsigned from = 0; from < NTESTS;) {
		unsigned crashed = NTESTS;

		r = run_in_child(argc, argv, from, &pass, &fail, &skip, &crashed);
		if (r < 0)
			return 1;
		if (crashed >= NTESTS)
			break;
		from = crashed + 1;
	}
	printf("%u passed, %u failed, %u skipped\n", pass, fail, skip);
	if (fail)
		return 1;
	return pass == 0 && skip > 0 ? EXIT_SKIP : 0;
}
