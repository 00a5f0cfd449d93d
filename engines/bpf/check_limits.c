// SPDX-License-Identifier: Apache-2.0
/*
 * Checks that every program of the bpf driver stays within the limits of the
 * oldest verifiers it targets (before 5.2): at most 4096 instructions, and at
 * most 131072 instructions processed by the verifier (BPF_COMPLEXITY_LIMIT_INSNS
 * of 4.14..5.1). Prints one line per program; docs/engines.md quotes it.
 * The instruction counts need no privilege; the processed counts load the
 * programs into this kernel (root), else the test exits 77 (skip) after the
 * counts. The CO-RE object only loads on kernels with BTF (>= 5.4, where the
 * limit is 1,000,000 processed instructions) and is checked against that.
 * Both attach modes are checked: raw tracepoints (scap_bpf), and tracepoints
 * (scap_bpf_tp: the raw_syscalls dispatchers, the fork/exec programs, and the
 * event programs again, verified as BPF_PROG_TYPE_TRACEPOINT). The two
 * cannot load together: a tail-call table serves one program type.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <stdbool.h>

#include "scap/common/arch.h"
#include "scap_bpf.skel.h"
#ifdef SCAP_BPF_HAVE_CORE
#include "scap_bpf_core.skel.h"
#endif

#define OLD_MAX_INSNS 4096u
#define OLD_MAX_PROCESSED 131072ul
#define NEW_MAX_PROCESSED 1000000ul
#define LOG_SIZE 65536
#define MAX_PROGS 256 /* every program of the object: one per schema row, and the dispatchers */

static int quiet(enum libbpf_print_level l, const char *f, va_list a)
{
	return 0;
}

static char *logs[MAX_PROGS];

/* Returns the number of violations, or -1 when loading was not possible. */
static int check(const char *what, struct bpf_object *obj, unsigned max_insns, unsigned long max_proc)
{
	struct bpf_program *p;
	struct bpf_map *m;
	int i = 0, bad = 0, err;

	bpf_object__for_each_map(m, obj) {
		if (bpf_map__max_entries(m) == 0)
			bpf_map__set_max_entries(m, 1);
	}
	bpf_object__for_each_program(p, obj) {
		if (i >= MAX_PROGS)
			break;
		if (bpf_program__insn_cnt(p) > max_insns) {
			printf("FAIL %s %s: %zu instructions > %u\n", what, bpf_program__name(p),
			       bpf_program__insn_cnt(p), max_insns);
			bad++;
		}
		logs[i] = calloc(1, LOG_SIZE);
		bpf_program__set_log_buf(p, logs[i++], LOG_SIZE);
		bpf_program__set_log_level(p, 4); /* BPF_LOG_STATS */
	}
	err = bpf_object__load(obj);
	i = 0;
	bpf_object__for_each_program(p, obj) {
		const char *s = logs[i] ? strstr(logs[i], "processed ") : NULL;
		unsigned long proc = s ? strtoul(s + 10, NULL, 10) : 0;

		if (i >= MAX_PROGS)
			break;
		if (!bpf_program__autoload(p)) {
			free(logs[i]);
			logs[i++] = NULL;
			continue;
		}
		printf("%-12s %-16s %5zu insns", what, bpf_program__name(p), bpf_program__insn_cnt(p));
		if (!err)
			printf(" %7lu processed%s", proc, proc > max_proc ? "  FAIL" : "");
		printf("\n");
		if (!err && (proc > max_proc || !s))
			bad++;
		free(logs[i]);
		logs[i++] = NULL;
	}
	if (err) {
		printf("%s: not loaded (%s): processed counts not checked\n", what, strerror(-err));
		return bad ? bad : -1;
	}
	return bad;
}

/* The programs of one attach mode, as engines/bpf/bpf_loader.c chooses them. */
static void set_mode(struct scap_bpf *skel, bool tp)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, skel->obj) {
		bool is_tp = !strncmp(bpf_program__name(p), "scap_tp_", 8) ||
			     !strncmp(bpf_program__name(p), "scap_kp_", 8);
		bool is_raw = !strncmp(bpf_program__name(p), "scap_sys_", 9) ||
			      !strncmp(bpf_program__name(p), "scap_procexit", 13);

		bpf_program__set_autoload(p, tp ? !is_raw : !is_tp);
		if (tp && !strncmp(bpf_program__name(p), "ev_", 3))
			bpf_program__set_type(p, BPF_PROG_TYPE_TRACEPOINT);
	}
	/* arm64's and s390x's raw dispatchers keep and drop clone's arguments there (scap_bpf_fork_keep). */
#if defined(SCAP_ARCH_AARCH64) || defined(SCAP_ARCH_S390X)
	bpf_map__set_autocreate(skel->maps.stash, true);
#else
	bpf_map__set_autocreate(skel->maps.stash, tp);
#endif
	bpf_map__set_autocreate(skel->maps.exec_sp, tp);
}

/* Violations of one mode's object, or -1 when it could not be loaded. */
static int check_mode(bool tp)
{
	struct scap_bpf *skel = scap_bpf__open();
	int bad;

	if (!skel) {
		printf("cannot open the embedded object: %s\n", strerror(errno));
		return 1;
	}
	set_mode(skel, tp);
	bad = check(tp ? "scap_bpf_tp" : "scap_bpf", skel->obj, OLD_MAX_INSNS, OLD_MAX_PROCESSED);
	scap_bpf__destroy(skel);
	return bad;
}

int main(void)
{
	int bad, r;

	libbpf_set_print(quiet);
	bad = check_mode(false);
	r = bad < 0 ? -1 : check_mode(true);
	if (bad < 0 || r < 0) {
		printf("SKIP: loading needs root (CAP_BPF + CAP_PERFMON)\n");
		return 77;
	}
	bad += r;
#ifdef SCAP_BPF_HAVE_CORE
	{
		struct scap_bpf_core *core = scap_bpf_core__open();

		if (core) {
			/* Only the programs the loader uses from this object. */
			struct bpf_program *p;

			bpf_object__for_each_program(p, core->obj)
				bpf_program__set_autoload(p, bpf_program__insn_cnt(p) > 8);
			r = check("scap_bpf_core", core->obj, 1000000u, NEW_MAX_PROCESSED);
			if (r > 0)
				bad += r;
			scap_bpf_core__destroy(core);
		}
	}
#endif
	printf("%s\n", bad ? "FAIL" : "PASS");
	return bad ? 1 : 0;
}
