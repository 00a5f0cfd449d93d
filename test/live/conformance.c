// SPDX-License-Identifier: Apache-2.0
/*
 * scap_conformance ENGINE: runs the conformance workload (conf_workload.c)
 * under one engine and checks every parameter of every event it must
 * produce. scap_conformance --cross ENGINE_A ENGINE_B: captures one run with
 * both engines at once and checks that they agree (conformance_cross.c).
 *
 * Exit status: 0 passed, 1 failed, 77 skipped (not root, engine unusable
 * here), 2 bad usage. Self-contained so the VM test can link it statically.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conformance.h"

#define EXIT_SKIP 77

int conf_cross(const char *a, const char *b);

/* 0 when usable; else prints the skip line and returns EXIT_SKIP. */
int conf_usable(const char *engine)
{
	char reason[512] = "";
	bool known = false;

	for (unsigned i = 0; i < scap_engine_count(); i++)
		known |= strcmp(scap_engine_name_at(i), engine) == 0;
	if (!known) {
		printf("SKIP conformance (%s): engine not compiled in\n", engine);
		return EXIT_SKIP;
	}
	if (geteuid() != 0) {
		printf("SKIP conformance (%s): not root: capturing from the kernel needs root\n", engine);
		return EXIT_SKIP;
	}
	if (scap_engine_probe(engine, reason, sizeof(reason)) < 0) {
		printf("SKIP conformance (%s): engine unusable here: %s\n", engine, reason);
		return EXIT_SKIP;
	}
	/* The script's newest syscalls; invalid sizes: nothing is opened or cloned. */
	if (syscall(SYS_clone3, NULL, 0) == -1 && errno == ENOSYS) {
		printf("SKIP conformance (%s): the workload's script calls clone3 (Linux 5.3) and "
		       "openat2 (5.6), which this kernel does not have\n", engine);
		return EXIT_SKIP;
	}
	if (syscall(SYS_openat2, -1, NULL, NULL, 0) == -1 && errno == ENOSYS) {
		printf("SKIP conformance (%s): the workload's script calls openat2 (Linux 5.6), which "
		       "this kernel does not have\n", engine);
		return EXIT_SKIP;
	}
	return 0;
}

/* The handle: every typed syscall, paired mode (the default). */
struct scap *conf_open(struct live_test *t)
{
	struct scap_open_opts o = { .snaplen = LIVE_SNAPLEN, .syscalls = conf_syscalls() };

	return live_open(t, &o);
}

static int run_one(const char *engine)
{
	static struct conf_run run;
	struct live_test t = { .name = "conformance", .engine = engine };
	char why[512];
	struct scap *h;
	int r;

	live_engine = engine;
	r = conf_usable(engine);
	if (r)
		return r;
	h = conf_open(&t);
	if (!h) {
		printf("FAIL conformance (%s): %s\n", engine, t.msg);
		return 1;
	}
	if (conf_run_workload(&run) < 0) {
		printf("FAIL conformance (%s): the workload went off its script: %s\n", engine, run.why);
		scap_close(h);
		return 1;
	}
	if (conf_check_coverage(&run, why, sizeof(why)) < 0) {
		printf("FAIL conformance (%s): %s\n", engine, why);
		scap_close(h);
		return 1;
	}
	r = live_expect(&t, h, run.w, run.n);
	scap_close(h);
	if (r != LIVE_PASS) {
		printf("FAIL conformance (%s): %s\n", engine, t.msg);
		return 1;
	}
	printf("PASS conformance (%s): %u events of %u threads, %u parameters checked exactly", engine,
	       run.n, run.ntids, conf_count_params(&run));
	if (live_no_task_btf())
		printf(" (no kernel BTF, or btf=0 forced: %u of them, the values that need kernel "
		       "structure offsets, checked empty as documented)", run.nobtf_empty);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The image the workload's execveat runs: leave at once, with a known status. */
	if (argc >= 2 && strcmp(argv[1], CONF_CHILD_ARG) == 0)
		syscall(SYS_exit_group, CONF_CHILD_STATUS);
	if (argc == 4 && strcmp(argv[1], "--cross") == 0)
		return conf_cross(argv[2], argv[3]);
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: scap_conformance ENGINE | --cross ENGINE_A ENGINE_B\n");
		return 2;
	}
	return run_one(argv[1]);
}
