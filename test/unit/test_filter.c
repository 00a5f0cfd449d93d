// SPDX-License-Identifier: Apache-2.0
/*
 * The core's event filter (scap/filter/): which events pass a syscall
 * selection and a pid, for typed rows, their enter rows and the generic
 * event, and for procexit, the kernel event selected by its name; and the
 * filter in place behind scap_next for the engines that do
 * not filter in the kernel: the filtered stream is exactly the unfiltered
 * one's matching events, and a selection nothing passes leaves scap_next
 * with -EAGAIN (timeout 0) instead of holding the caller.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "scap/engine.h"
#include "scap/event_builder.h"
#include "scap/filter/filter.h"

static uint8_t buf[4096];

static const struct scap_evt_hdr *build(uint16_t code, uint32_t pid, const struct scap_bval *v, unsigned n)
{
	const struct scap_bhdr h = { .ts = 1, .tid = pid, .pid = pid };

	assert_true(scap_event_build(buf, sizeof(buf), code, &h, v, n) > 0);
	return (const struct scap_evt_hdr *)buf;
}

static const struct scap_evt_hdr *openat_x(uint32_t pid)
{
	const struct scap_bval v[] = { { .u = 3 }, { .u = (uint64_t)-100 }, { .p = "/etc/passwd" }, { .u = 0 },
				       { .u = 0 }, { .p = "/etc/passwd" }, { .u = 2049 }, { .u = 1234 } };

	return build(SCAP_EV_OPENAT_X, pid, v, 8);
}

static const struct scap_evt_hdr *openat_e(uint32_t pid)
{
	const struct scap_bval v[] = { { .u = (uint64_t)-100 }, { .p = "/etc/passwd" }, { .u = 0 }, { .u = 0 } };

	return build(SCAP_EV_OPENAT_E, pid, v, 4);
}

static const struct scap_evt_hdr *generic(uint32_t pid, uint64_t nr, bool empty_nr)
{
	static const uint64_t args[6] = { 1, 2, 3, 4, 5, 6 };
	const struct scap_bval v[] = { { .u = 0 }, { .u = nr, .empty = empty_nr }, { .p = args, .len = sizeof(args) } };

	return build(SCAP_EV_GENERIC_X, pid, v, 3);
}

/* procexit of a thread that exited with code 3, the last of its process. */
static const struct scap_evt_hdr *procexit(uint32_t pid)
{
	const struct scap_bval v[] = { { .u = 3 << 8 }, { .u = 3 }, { .u = 0 }, { .u = 0 }, { .u = 1 } };

	return build(SCAP_EV_PROCEXIT_E, pid, v, 5);
}

/* As scap_open resolves a list: syscall names, and procexit by its name. */
static void select_names(struct scap_engine_config *cfg, const char *const *names, int32_t pid)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->all_syscalls = !names;
	cfg->procexit = !names;
	for (; names && *names; names++) {
		if (strcmp(*names, "procexit") == 0)
			cfg->procexit = true;
		else
			cfg->selected[scap_syscall_nr(*names)] = 1;
	}
	cfg->pid = pid;
}

static void test_rows_and_pid(void **state)
{
	static const char *const sel[] = { "openat", "getppid", NULL };
	struct scap_engine_config cfg;
	struct scap_filter f;

	select_names(&cfg, NULL, 0);
	scap_filter_init(&f, &cfg);
	assert_false(scap_filter_active(&f));
	assert_true(scap_filter_pass(&f, openat_x(7)));

	select_names(&cfg, sel, 0);
	scap_filter_init(&f, &cfg);
	assert_true(scap_filter_active(&f));
	assert_int_equal(scap_filter_syscall_of(openat_x(7)), scap_syscall_nr("openat"));
	assert_true(scap_filter_pass(&f, openat_x(7)));
	assert_true(scap_filter_pass(&f, openat_e(7)));         /* its enter row too */
	assert_int_equal(scap_filter_syscall_of(generic(7, 110, false)), 110);
	assert_true(scap_filter_pass(&f, generic(7, 110, false)));  /* getppid, generic */
	assert_false(scap_filter_pass(&f, generic(7, 39, false)));  /* getpid: not selected */
	assert_int_equal(scap_filter_syscall_of(generic(7, 0, true)), -1);
	assert_false(scap_filter_pass(&f, generic(7, 0, true)));    /* no number: not selected */
	assert_false(scap_filter_pass(&f, generic(7, 100000, false)));

	/* the caller's selection is copied: widening cfg later changes nothing */
	cfg.selected[scap_syscall_nr("getpid")] = 1;
	assert_false(scap_filter_pass(&f, generic(7, 39, false)));

	/* procexit, selected by its name (no syscall number), passes only then */
	{
		const struct scap_bval pv[] = { { .u = 0 }, { .u = 0 }, { .u = 0 }, { .u = 0 }, { .u = 1 } };

		assert_false(scap_filter_pass(&f, build(SCAP_EV_PROCEXIT_E, 7, pv, 5)));
		cfg.procexit = true;
		scap_filter_init(&f, &cfg);
		assert_true(scap_filter_pass(&f, build(SCAP_EV_PROCEXIT_E, 7, pv, 5)));
	}

	select_names(&cfg, sel, 7);
	scap_filter_init(&f, &cfg);
	assert_true(scap_filter_pass(&f, openat_x(7)));
	assert_false(scap_filter_pass(&f, openat_x(8)));
	assert_false(scap_filter_pass(&f, procexit(7)));     /* not selected */
	select_names(&cfg, NULL, 8);
	scap_filter_init(&f, &cfg);
	assert_true(scap_filter_active(&f));
	assert_true(scap_filter_pass(&f, generic(8, 39, false)));
	assert_false(scap_filter_pass(&f, openat_x(7)));
}

/* procexit has no syscall number: it passes when selected by its name (or everything is). */
static void test_procexit(void **state)
{
	static const char *const only[] = { "procexit", NULL };
	static const char *const with[] = { "openat", "procexit", NULL };
	struct scap_engine_config cfg;
	struct scap_filter f;

	assert_int_equal(scap_filter_syscall_of(procexit(7)), -1);
	select_names(&cfg, NULL, 0);
	scap_filter_init(&f, &cfg);
	assert_true(scap_filter_pass(&f, procexit(7)));
	select_names(&cfg, only, 0);
	scap_filter_init(&f, &cfg);
	assert_true(scap_filter_active(&f));
	assert_true(scap_filter_pass(&f, procexit(7)));
	assert_false(scap_filter_pass(&f, openat_x(7)));
	assert_false(scap_filter_pass(&f, generic(7, 110, false)));
	select_names(&cfg, with, 7);
	scap_filter_init(&f, &cfg);
	assert_true(scap_filter_pass(&f, procexit(7)));
	assert_true(scap_filter_pass(&f, openat_x(7)));
	assert_false(scap_filter_pass(&f, procexit(8)));     /* another process */
	/* the caller's selection is copied: widening cfg later changes nothing */
	select_names(&cfg, with, 0);
	cfg.procexit = false;
	scap_filter_init(&f, &cfg);
	cfg.procexit = true;
	assert_false(scap_filter_pass(&f, procexit(7)));
}

/* Every event of an unfiltered synthetic stream, kept where the filter would pass it. */
struct kept {
	uint32_t *pid;
	uint16_t *type;
	size_t n, cap;
};

static void keep(struct kept *k, const struct scap_event *ev)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 1024;
		k->pid = realloc(k->pid, k->cap * sizeof(*k->pid));
		k->type = realloc(k->type, k->cap * sizeof(*k->type));
		assert_non_null(k->pid);
		assert_non_null(k->type);
	}
	k->pid[k->n] = scap_event_pid(ev);
	k->type[k->n] = scap_event_type(ev);
	k->n++;
}

static struct scap *open_synth(const char *const *sel, int32_t pid, uint64_t events)
{
	struct scap_open_opts o = { .sz = sizeof(o), .syscalls = sel, .pid = pid, .synthetic_events = events,
				    .synthetic_seed = 9, .unpaired = true };
	char err[SCAP_ERRBUF_SIZE];
	struct scap *h = NULL;

	assert_int_equal(scap_open(&h, "synthetic", &o, err, sizeof(err)), 0);
	assert_int_equal(scap_start(h), 0);
	return h;
}

static void test_synthetic_stream_filtered(void **state)
{
	static const char *const sel[] = { "openat", "close", "getpid", NULL };
	struct scap_engine_config cfg;
	struct scap_filter f;
	struct kept want = { 0 };
	const struct scap_event *ev;
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap *h;
	size_t i = 0;
	int r;

	select_names(&cfg, sel, 105);
	scap_filter_init(&f, &cfg);
	h = open_synth(NULL, 0, 20000);
	while ((r = scap_next(h, &ev, NULL, 0)) == 0)
		if (scap_filter_pass(&f, (const struct scap_evt_hdr *)ev))
			keep(&want, ev);
	assert_int_equal(r, -ENODATA);
	scap_close(h);
	assert_true(want.n > 0);

	h = open_synth(sel, 105, 20000);
	while ((r = scap_next(h, &ev, NULL, -1)) == 0) {
		assert_true(i < want.n);
		assert_int_equal(scap_event_pid(ev), want.pid[i]);
		assert_int_equal(scap_event_type(ev), want.type[i]);
		i++;
	}
	assert_int_equal(r, -ENODATA);
	assert_int_equal(i, want.n);
	assert_int_equal(scap_get_stats(h, &st), 0);
	assert_int_equal(st.events, want.n);
	scap_close(h);
	free(want.pid);
	free(want.type);
}

/* Nothing passes: timeout 0 comes back with -EAGAIN, the stream goes on. */
static void test_nothing_passes(void **state)
{
	const struct scap_event *ev;
	struct scap *h = open_synth(NULL, 1, 0);
	int again = 0;

	for (int k = 0; k < 5; k++)
		again += scap_next(h, &ev, NULL, 0) == -EAGAIN;
	assert_int_equal(again, 5);
	assert_int_equal(scap_next(h, &ev, NULL, 20), -EAGAIN);
	scap_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_and_pid),
		cmocka_unit_test(test_procexit),
		cmocka_unit_test(test_synthetic_stream_filtered),
		cmocka_unit_test(test_nothing_passes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
