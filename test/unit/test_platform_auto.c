// SPDX-License-Identifier: Apache-2.0
/*
 * "auto" on this host, end to end (issue 6): it picks modern_bpf, picks bpf
 * when SCAP_PROBE_OVERRIDE rules the ring buffer out, and fails naming every
 * engine and why when both eBPF engines are ruled out and no module is
 * loaded. Opens real engines: root only (exit 77 otherwise), and each case
 * skips when the host cannot run what it expects.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scap/scap.h"
#include "../../platform/platform_internal.h"

#define SKIP_CODE 77

#define NO_RINGBUF                                                                              \
	"modern_bpf needs BPF ring buffer maps (Linux 5.8, or a backport), and this kernel cannot " \
	"create one: use the bpf or kmod engine."
#define NO_PERF "bpf needs BPF perf event array maps, and this kernel cannot create one: use the kmod engine."
#define KMOD_MISSING                                                                            \
	"kmod needs the scap kernel module, and /dev/scap does not exist: build and load it as "   \
	"root with `make -C drivers/kmod KDIR=/lib/modules/$(uname -r)/build && insmod "          \
	"drivers/kmod/scap.ko`, or use the modern_bpf or bpf engine."

static bool compiled_in(const char *name)
{
	for (unsigned i = 0; i < scap_engine_count(); i++)
		if (!strcmp(scap_engine_name_at(i), name))
			return true;
	return false;
}

/* The facts as they are without an override: a case needing more skips. */
static bool host_can(const char *engine)
{
	char why[512];
	int rc;

	unsetenv("SCAP_PROBE_OVERRIDE");
	scap_platform_reset_cache();
	rc = scap_platform_engine_check(engine, why, sizeof(why));
	if (rc)
		print_message("%s is not usable on this host: %s\n", engine, why);
	return rc == 0 && compiled_in(engine);
}

static void with_override(const char *s)
{
	setenv("SCAP_PROBE_OVERRIDE", s, 1);
	scap_platform_reset_cache();
}

static int reset(void **state)
{
	unsetenv("SCAP_PROBE_OVERRIDE");
	scap_platform_reset_cache();
	return 0;
}

static void test_auto_picks_modern_bpf(void **state)
{
	struct scap *h = NULL;
	char err[4096] = "";

	if (!host_can("modern_bpf"))
		skip();
	assert_int_equal(scap_open(&h, "auto", NULL, err, sizeof(err)), 0);
	assert_string_equal(scap_engine_name(h), "modern_bpf");
	assert_string_equal(scap_engine_report(h), "modern_bpf: chosen\nbpf: not tried\nkmod: not tried\n");
	scap_close(h);
}

static void test_auto_picks_bpf_without_ringbuf(void **state)
{
	struct scap *h = NULL;
	char err[4096] = "";

	if (!host_can("bpf"))
		skip();
	with_override("ringbuf=0");
	assert_int_equal(scap_open(&h, "auto", NULL, err, sizeof(err)), 0);
	assert_string_equal(scap_engine_name(h), "bpf");
	assert_string_equal(scap_engine_report(h), "modern_bpf: skipped because " NO_RINGBUF "\n"
			    "bpf: chosen\nkmod: not tried\n");
	scap_close(h);
}

static void test_auto_fails_with_every_reason(void **state)
{
	struct scap *h = NULL;
	char err[4096] = "";
	struct stat st;

	if (stat(SCAP_KMOD_DEVICE, &st) == 0) {
		print_message("%s exists: auto would pick kmod\n", SCAP_KMOD_DEVICE);
		skip();
	}
	if (!compiled_in("modern_bpf") || !compiled_in("bpf") || !compiled_in("kmod")) {
		print_message("this build lacks one of modern_bpf, bpf, kmod\n");
		skip();
	}
	/* Without raw tracepoints bpf still runs (tracepoint mode): rule it out by its perf buffers. */
	with_override("ringbuf=0,perf_event_array=0,modules=1");
	assert_int_equal(scap_open(&h, "auto", NULL, err, sizeof(err)), -ENOTSUP);
	assert_null(h);
	/* every engine, in order, each with its reason on its own line, then
	 * advice that adds nothing the reasons do not say */
	assert_string_equal(err, "no capture engine works on this host:\n"
			    "modern_bpf: skipped because " NO_RINGBUF "\n"
			    "bpf: skipped because " NO_PERF "\n"
			    "kmod: skipped because " KMOD_MISSING "\n"
			    "what to do: each engine's reason above says what it needs; `scap engines` "
			    "shows every engine's status");
}

/*
 * The closing advice fits the cause: engines that work here but were left
 * out of the order are named (not "run as root" to a root user); privileges
 * only when a candidate lacked them. The probes are forced, so the answer
 * does not depend on the host.
 */
static void test_auto_advice_fits_the_cause(void **state)
{
	static const char *const only_kmod[] = { "kmod", NULL };
	struct scap_open_opts o = { .sz = sizeof(o), .engine_order = only_kmod };
	struct scap *h = NULL;
	char err[4096] = "";
	struct stat st;

	if (stat(SCAP_KMOD_DEVICE, &st) == 0 || !compiled_in("modern_bpf") || !compiled_in("bpf") ||
	    !compiled_in("kmod")) {
		print_message("%s exists, or this build lacks an engine\n", SCAP_KMOD_DEVICE);
		skip();
	}
	with_override("btf=1,ringbuf=1,tp_btf=1,raw_tracepoint=1,perf_event_array=1,bpf_priv=1,kmod=0,"
		      "modules=0");
	assert_int_equal(scap_open(&h, "auto", &o, err, sizeof(err)), -ENOTSUP);
	assert_string_equal(err, "no capture engine works on this host:\n"
			    "kmod: skipped because kmod needs the scap kernel module, and this kernel "
			    "cannot load modules: SCAP_PROBE_OVERRIDE says so (modules=0). Use the "
			    "modern_bpf or bpf engine, or boot a kernel that loads modules.\n"
			    "what to do: modern_bpf and bpf are usable here but not in the engine order: "
			    "add one of them, or leave the order unset for the default (modern_bpf, bpf, "
			    "kmod)");

	with_override("bpf_priv=0,kmod=0,modules=1");
	assert_int_equal(scap_open(&h, "auto", NULL, err, sizeof(err)), -ENOTSUP);
	assert_non_null(strstr(err, "\nwhat to do: run as root (or with the privileges each engine "
				    "above names)"));
	assert_null(strstr(err, "usable here"));
}

static void test_auto_bad_override(void **state)
{
	static const char msg[] = "SCAP_PROBE_OVERRIDE: 'ringbuf=2' needs the value 0 or 1.";
	struct scap *h = NULL;
	char err[4096] = "";

	if (!compiled_in("modern_bpf") || !compiled_in("bpf")) {
		print_message("this build lacks modern_bpf or bpf\n");
		skip();
	}
	with_override("ringbuf=2");
	assert_int_equal(scap_open(&h, "auto", NULL, err, sizeof(err)), -ENOTSUP);
	assert_null(h);
	assert_non_null(strstr(err, "\nmodern_bpf: skipped because SCAP_PROBE_OVERRIDE: 'ringbuf=2' "
				    "needs the value 0 or 1.\n"));
	assert_non_null(strstr(err, "\nbpf: skipped because SCAP_PROBE_OVERRIDE: 'ringbuf=2' needs "
				    "the value 0 or 1.\n"));
	assert_string_equal(scap_platform_override_error(), msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_auto_picks_modern_bpf, reset),
		cmocka_unit_test_teardown(test_auto_picks_bpf_without_ringbuf, reset),
		cmocka_unit_test_teardown(test_auto_fails_with_every_reason, reset),
		cmocka_unit_test_teardown(test_auto_bad_override, reset),
		cmocka_unit_test_teardown(test_auto_advice_fits_the_cause, reset),
	};

	if (geteuid() != 0) {
		printf("SKIP: \"auto\" opens live engines; run this test as root\n");
		return SKIP_CODE;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
