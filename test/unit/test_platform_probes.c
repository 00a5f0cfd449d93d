// SPDX-License-Identifier: Apache-2.0
/*
 * The real feature probes on this host (root: they load programs; skipped
 * with exit code 77 otherwise): their answers against independent evidence,
 * the caching, the user's libbpf print callback left in place, silence, and
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

static int user_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
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

static void test_user_print_callback_kept(void **state)
{
	libbpf_set_print(user_print);
	for (int f = 0; f < SCAP_FEAT_MAX; f++)
		scap_feature_present((enum scap_feature)f);
	assert_ptr_equal(libbpf_set_print(NULL), user_print);
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
		cmocka_unit_test_setup_teardown(test_answers_match_the_host, reset, reset),
		cmocka_unit_test_setup_teardown(test_user_print_callback_kept, reset, reset),
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
