// SPDX-License-Identifier: Apache-2.0
/*
 * The real feature probes on this host (root: they load programs; skipped
 * with exit code 77 otherwise): their answers against independent evidence,
 * the caching, the program's libbpf print hook (chained, never swapped), and
 * the exact reasons an unprivileged process gets.
 */
#define _GNU_SOURCE /* setresuid */
#include <errno.h>
#include <grp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <cmocka.h>

#include "../../platform/platform_internal.h"

#define SKIP_CODE 77

static int user_calls, user2_calls, sink_calls;

static int user_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	user_calls++;
	return 0;
}

static int user2_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	user2_calls++;
	return 0;
}

static int sink_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	sink_calls++;
	return 0;
}

/* Makes libbpf print a warning: an object opened from bytes that are no ELF. */
static void libbpf_warns(void)
{
	static const char junk[64] = "this is not an ELF object";
	struct bpf_object *o = bpf_object__open_mem(junk, sizeof(junk), NULL);

	if (!libbpf_get_error(o))
		bpf_object__close(o);
}

static bool kernel_at_least(unsigned major, unsigned minor)
{
	struct scap_kernel_version v, min = { major, minor, 0 };

	return scap_platform_running_kernel(&v) == 0 && scap_kernel_version_cmp(&v, &min) >= 0;
}

static int reset(void **state)
{
	unsetenv("SCAP_PROBE_OVERRIDE");
	scap_platform_reset_cache();
	return 0;
}

static void test_answers_match_the_host(void **state)
{
	struct stat st;
	bool btf = stat("/sys/kernel/btf/vmlinux", &st) == 0;
	bool dev = stat(SCAP_KMOD_DEVICE, &st) == 0 && S_ISCHR(st.st_mode);

	assert_int_equal(scap_feature_present(SCAP_FEAT_BTF), btf);
	assert_int_equal(scap_feature_present(SCAP_FEAT_KMOD), dev);
	assert_int_equal(scap_feature_present(SCAP_FEAT_BPF_PRIV), 1);
	/* every kernel with BTF and 5.8+ has all four */
	if (btf && kernel_at_least(5, 8)) {
		assert_int_equal(scap_feature_present(SCAP_FEAT_RINGBUF), 1);
		assert_int_equal(scap_feature_present(SCAP_FEAT_TP_BTF), 1);
		assert_int_equal(scap_feature_present(SCAP_FEAT_RAW_TRACEPOINT), 1);
		assert_int_equal(scap_feature_present(SCAP_FEAT_PERF_EVENT_ARRAY), 1);
		assert_int_equal(scap_platform_engine_check("modern_bpf", NULL, 0), 0);
		assert_int_equal(scap_platform_engine_check("bpf", NULL, 0), 0);
	} else {
		print_message("kernel below 5.8 or without BTF: eBPF feature answers not asserted\n");
	}
	if (!btf)
		assert_int_equal(scap_feature_present(SCAP_FEAT_TP_BTF), 0);
}

/*
 * libbpf's print hook is the program's (scap.h, "threads"): scap installs its
 * router once, chained to the program's hook, routes only what libbpf prints
 * for it, and never swaps the hook again. In a child: the first install
 * happens once per process.
 */
static int hook_contract(void)
{
	libbpf_print_fn_t router;

	libbpf_set_print(user_print);
	for (int f = 0; f < SCAP_FEAT_MAX; f++)
		scap_feature_present((enum scap_feature)f);
	/* A message libbpf prints for the program itself still reaches its hook. */
	user_calls = sink_calls = 0;
	libbpf_warns();
	if (user_calls == 0 || sink_calls != 0)
		return 1;
	/* One printed while scap works on this thread goes to scap's sink only. */
	user_calls = 0;
	scap_platform_libbpf_sink(sink_print);
	libbpf_warns();
	scap_platform_libbpf_sink(NULL);
	if (user_calls != 0 || sink_calls == 0)
		return 2;
	/* The program replaces the hook: scap does not put its router back. */
	router = libbpf_set_print(user2_print);
	if (router == user_print || router == NULL)
		return 3;
	scap_platform_reset_cache();
	for (int f = 0; f < SCAP_FEAT_MAX; f++)
		scap_feature_present((enum scap_feature)f);
	if (libbpf_set_print(NULL) != user2_print)
		return 4;
	return 0;
}

static void test_libbpf_hook_installed_once_and_chained(void **state)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(hook_contract());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	/* 1: the program's own message lost, 2: scap's reached the program, 3: no router, 4: swapped again */
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A forced answer wins over the cached real one, and the real one comes back. */
static void test_override_beats_cache(void **state)
{
	int real = scap_feature_present(SCAP_FEAT_RINGBUF);

	setenv("SCAP_PROBE_OVERRIDE", real ? "ringbuf=0" : "ringbuf=1", 1);
	scap_platform_reset_cache();
	assert_int_equal(scap_feature_present(SCAP_FEAT_RINGBUF), !real);
	unsetenv("SCAP_PROBE_OVERRIDE");
	scap_platform_reset_cache();
	assert_int_equal(scap_feature_present(SCAP_FEAT_RINGBUF), real);
}

#define NO_PRIV_TAIL                                                                            \
	" needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load tracing eBPF programs, and "     \
	"this process has neither: run scap as root or grant it those capabilities."

static int unpriv_bpf_sysctl(void)
{
	FILE *fp = fopen("/proc/sys/kernel/unprivileged_bpf_disabled", "r");
	int v = -1;

	if (fp) {
		if (fscanf(fp, "%d", &v) != 1)
			v = -1;
		fclose(fp);
	}
	return v;
}

/* CapEff from /proc/self/status: evidence independent of capget. */
static bool has_bpf_caps(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	unsigned long long eff = 0;
	char line[256];

	if (!fp)
		return false;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(fp);
	return (eff & (1ULL << 21)) || ((eff & (1ULL << 38)) && (eff & (1ULL << 39)));
}

/*
 * A child drops to nobody with no capabilities: the probes must say "no
 * privilege" (not "no ring buffer"), print nothing, and the reason is the
 * one a user would read.
 */
static void test_unprivileged_reasons(void **state)
{
	int out[2];
	pid_t pid;
	int status;
	char buf[2048];
	ssize_t n, total = 0;

	char want_modern[1024], want_bpf[1024];
	const char *hint = unpriv_bpf_sysctl() == 0
		? " (kernel.unprivileged_bpf_disabled=0 lets unprivileged users load socket filters "
		  "only, never tracing programs.)" : "";

	snprintf(want_modern, sizeof(want_modern), "modern_bpf" NO_PRIV_TAIL "%s", hint);
	snprintf(want_bpf, sizeof(want_bpf), "bpf" NO_PRIV_TAIL "%s", hint);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char reason[1024];
		int rc;

		close(out[0]);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(10);
		scap_platform_reset_cache();
		if (scap_feature_present(SCAP_FEAT_BPF_PRIV) != 0)
			_exit(11);
		rc = scap_platform_engine_check("modern_bpf", reason, sizeof(reason));
		if (rc != -EPERM)
			_exit(12);
		if (strcmp(reason, want_modern) != 0)
			_exit(13);
		rc = scap_platform_engine_check("bpf", reason, sizeof(reason));
		if (rc != -EPERM || strcmp(reason, want_bpf) != 0)
			_exit(14);
		_exit(0);
	}
	close(out[1]);
	while ((n = read(out[0], buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
		total += n;
	buf[total] = '\0';
	close(out[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* the probes failed with EPERM, and said nothing about it */
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: its child must start before this process ran a probe (the router is installed once). */
		cmocka_unit_test_setup_teardown(test_libbpf_hook_installed_once_and_chained, reset, reset),
		cmocka_unit_test_setup_teardown(test_answers_match_the_host, reset, reset),
		cmocka_unit_test_setup_teardown(test_override_beats_cache, reset, reset),
		cmocka_unit_test_setup_teardown(test_unprivileged_reasons, reset, reset),
	};

	if (geteuid() != 0 || !has_bpf_caps()) {
		printf("SKIP: the feature probes load eBPF programs; run this test as root with "
		       "CAP_SYS_ADMIN (or CAP_BPF and CAP_PERFMON)\n");
		return SKIP_CODE;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
