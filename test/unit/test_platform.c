// SPDX-License-Identifier: Apache-2.0
/*
 * platform/: release parsing, the minimum-kernel table, the engine decisions
 * over kernels x architectures x feature sets (every boundary version, the
 * backports), SCAP_PROBE_OVERRIDE parsing and its effect through the cache.
 * No privileges needed: every decision is fed facts, never the host's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <cmocka.h>

#include "../../platform/platform_internal.h"

#if __has_include("../../drivers/kmod/scap_kmod_api.h")
#include "../../drivers/kmod/scap_kmod_api.h"
#define HAVE_KMOD_API 1
#endif

/* ---- release strings ---------------------------------------------------- */

struct release_case {
	const char *release;
	int rc;
	unsigned major, minor, patch;
};

static const struct release_case releases[] = {
	{ "6.18.44-fc-v657", 0, 6, 18, 44 },
	{ "6.1.0-56-amd64", 0, 6, 1, 0 },
	{ "5.15.0-1050-azure", 0, 5, 15, 0 },
	{ "4.18.0-513.el8.x86_64", 0, 4, 18, 0 },
	{ "3.10.0-1160.el7.x86_64", 0, 3, 10, 0 },
	{ "5.4", 0, 5, 4, 0 },
	{ "5.4.0", 0, 5, 4, 0 },
	{ "5.7.19", 0, 5, 7, 19 },
	{ "5.8.0", 0, 5, 8, 0 },
	{ "4.14.336", 0, 4, 14, 336 },
	{ "5.10.0-28-cloud-arm64", 0, 5, 10, 0 },
	{ "5.14.0-362.8.1.el9_3.x86_64", 0, 5, 14, 0 },
	{ "6.6.30+rpt-rpi-v8", 0, 6, 6, 30 },
	{ "6.8.0-rc3", 0, 6, 8, 0 },
	{ "4.19.0+", 0, 4, 19, 0 },
	{ "5.4.0_custom", 0, 5, 4, 0 },
	{ "6.1.0.7", 0, 6, 1, 0 },
	/* real 2.6 kernels stopped at 2.6.39 */
	{ "2.6.32-754.el6.x86_64", 0, 2, 6, 32 },
	{ "2.6.39", 0, 2, 6, 39 },
	/* UNAME26: 3.x reported as 2.6.(40+x), the patch kept */
	{ "2.6.40", 0, 3, 0, 0 },
	{ "2.6.42.5", 0, 3, 2, 5 },
	{ "2.6.50-1160.el7.x86_64", 0, 3, 10, 0 },
	{ "2.6.59", 0, 3, 19, 0 },
	/* UNAME26 from 4.0 on: 2.6.(60+minor), the major lost, 4 assumed */
	{ "2.6.60", 0, 4, 0, 0 },
	{ "2.6.78-513.el8.x86_64", 0, 4, 18, 0 },
	{ "", -EINVAL, 0, 0, 0 },
	{ "6", -EINVAL, 0, 0, 0 },
	{ "6.", -EINVAL, 0, 0, 0 },
	{ "v6.1", -EINVAL, 0, 0, 0 },
	{ ".6.1", -EINVAL, 0, 0, 0 },
	{ "0.9", -EINVAL, 0, 0, 0 },
	{ "99999999999999999999.1", -EINVAL, 0, 0, 0 },
	{ "linux", -EINVAL, 0, 0, 0 },
};

static void test_release_parse(void **state)
{
	for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]); i++) {
		const struct release_case *c = &releases[i];
		struct scap_kernel_version v = { 77, 77, 77 };
		int rc = scap_kernel_version_parse(c->release, &v);

		if (rc != c->rc || (!rc && (v.major != c->major || v.minor != c->minor || v.patch != c->patch)))
			fail_msg("'%s': got rc %d %u.%u.%u, want rc %d %u.%u.%u", c->release, rc, v.major,
				 v.minor, v.patch, c->rc, c->major, c->minor, c->patch);
	}
	assert_int_equal(scap_kernel_version_parse(NULL, &(struct scap_kernel_version){ 0 }), -EINVAL);
}

static void test_version_cmp(void **state)
{
	struct scap_kernel_version a = { 5, 7, 19 }, b = { 5, 8, 0 }, c = { 5, 8, 0 }, d = { 4, 20, 0 };

	assert_true(scap_kernel_version_cmp(&a, &b) < 0);
	assert_true(scap_kernel_version_cmp(&b, &a) > 0);
	assert_int_equal(scap_kernel_version_cmp(&b, &c), 0);
	assert_true(scap_kernel_version_cmp(&d, &a) < 0);
}

/* ---- the minimum-kernel table ------------------------------------------ */

struct min_case {
	const char *engine, *arch;
	int rc;
	unsigned major, minor;
};

static const struct min_case mins[] = {
	{ "kmod", "x86_64", 1, 4, 4 },        { "bpf", "x86_64", 1, 4, 14 },
	{ "modern_bpf", "x86_64", 1, 5, 8 },  { "kmod", "aarch64", 1, 5, 10 },
	{ "bpf", "aarch64", 1, 5, 10 },       { "modern_bpf", "aarch64", 1, 6, 0 },
	{ "kmod", "ppc64le", 1, 6, 1 },       { "bpf", "ppc64le", 1, 6, 1 },
	{ "modern_bpf", "ppc64le", 1, 6, 12 },
	/* riscv64: the module only (Debian 13's 6.12 is the one verified) */
	{ "kmod", "riscv64", 1, 6, 12 },      { "modern_bpf", "riscv64", 0, 0, 0 },
	{ "bpf", "riscv64", 0, 0, 0 },
	{ "kmod", "s390x", 1, 6, 1 },         { "bpf", "s390x", 1, 6, 1 },
	{ "modern_bpf", "s390x", 1, 6, 12 },
	/* not ported (docs/engines.md, "Architectures"): not in the table */
	{ "kmod", "loongarch64", -ENOENT, 0, 0 },
	{ "bpf", "mips", -ENOENT, 0, 0 },     { "savefile", "x86_64", -ENOENT, 0, 0 },
};

static void test_min_table(void **state)
{
	for (size_t i = 0; i < sizeof(mins) / sizeof(mins[0]); i++) {
		const struct min_case *c = &mins[i];
		struct scap_kernel_version v = { 0, 0, 0 };
		int rc = scap_platform_min_kernel(c->engine, c->arch, &v);

		if (rc != c->rc || (rc == 1 && (v.major != c->major || v.minor != c->minor || v.patch)))
			fail_msg("%s on %s: got %d %u.%u, want %d %u.%u", c->engine, c->arch, rc,
				 v.major, v.minor, c->rc, c->major, c->minor);
	}
}

/* ---- decisions from facts ---------------------------------------------- */

/*
 * feats: one character per feature in enum order (btf ringbuf tp_btf
 * raw_tracepoint perf_event_array kmod bpf_priv modules): '1' present, '0' absent,
 * '?' the probe could not tell. `reason` is the exact expected text.
 */
struct decide_case {
	const char *arch, *release, *feats, *engine;
	int kmod_access;
	int rc;
	const char *reason;
};

#define ALL "11111111"
#define UNK "??????1?" /* privileged, but no probe could tell: the version decides */
#define KMOD_MISSING                                                                            \
	"kmod needs the scap kernel module, and /dev/scap does not exist: build and load it as "   \
	"root with `make -C drivers/kmod KDIR=/lib/modules/$(uname -r)/build && insmod "          \
	"drivers/kmod/scap.ko`, or use the modern_bpf or bpf engine."
#define KMOD_NO_MODULES                                                                         \
	"kmod needs the scap kernel module, and this kernel cannot load modules: its module "      \
	"support is off. Use the modern_bpf or bpf engine, or boot a kernel that loads modules."
#define NO_BTF                                                                                  \
	"modern_bpf needs kernel BTF, and /sys/kernel/btf/vmlinux is missing: use a kernel built " \
	"with CONFIG_DEBUG_INFO_BTF=y, or the bpf or kmod engine."
#define NO_RINGBUF                                                                              \
	"modern_bpf needs BPF ring buffer maps (Linux 5.8, or a backport), and this kernel cannot " \
	"create one: use the bpf or kmod engine."
#define NO_TP_BTF                                                                               \
	"modern_bpf needs tp_btf programs on sys_exit (Linux 5.5 with BTF, or a backport), and "   \
	"this kernel cannot attach one: use the bpf or kmod engine."
#define NO_RAW_TP(arch, min, rel)                                                               \
	"bpf needs raw tracepoint programs (Linux 4.17), or Linux " min " or newer on " arch " for " \
	"its tracepoint mode, and this kernel is " rel " and cannot attach raw tracepoints: use "   \
	"the kmod engine."
#define AARCH64_MODERN(rel)                                                                     \
	"modern_bpf needs Linux 6.0 or newer on aarch64 (the arm64 BPF JIT mixes tail calls with " \
	"BPF-to-BPF calls from 6.0; 5.10 refuses the driver's dispatcher), and this kernel is "    \
	rel ": use the bpf or kmod engine."
#define AARCH64_BPF(rel)                                                                        \
	"bpf needs Linux 5.10 or newer on aarch64 (the oldest aarch64 kernel it was verified on), " \
	"and this kernel is " rel ": use the kmod engine."
#define PPC64LE_MODERN(rel)                                                                     \
	"modern_bpf needs Linux 6.12 or newer on ppc64le (the oldest ppc64le kernel it was "        \
	"verified on; Debian 12's 6.1 has no BTF to verify it with), and this kernel is " rel     \
	": use the bpf or kmod engine."
#define PPC64LE_BPF(rel)                                                                        \
	"bpf needs Linux 6.1 or newer on ppc64le (the oldest ppc64le kernel it was verified on), " \
	"and this kernel is " rel ": use the kmod engine."
#define S390X_MODERN(rel)                                                                       \
	"modern_bpf needs Linux 6.12 or newer on s390x (the oldest s390x kernel it was "            \
	"verified on; Debian 12's 6.1 has no BTF to verify it with), and this kernel is " rel       \
	": use the bpf or kmod engine."
#define NO_PERF "bpf needs BPF perf event array maps, and this kernel cannot create one: use the kmod engine."
#define NO_PRIV(e)                                                                              \
	e " needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load tracing eBPF programs, and "  \
	"this process has neither: run scap as root or grant it those capabilities."

static const struct decide_case decisions[] = {
	/* this host: everything works but the module, which it could not load */
	{ "x86_64", "6.18.44-fc-v657", "11111010", "modern_bpf", 0, 0, "" },
	{ "x86_64", "6.18.44-fc-v657", "11111010", "bpf", 0, 0, "" },
	{ "x86_64", "6.18.44-fc-v657", "11111010", "kmod", 0, -EOPNOTSUPP, KMOD_NO_MODULES },
	/* a kernel that loads modules: build and load it */
	{ "x86_64", "6.18.44-fc-v657", "11111011", "kmod", 0, -ENOENT, KMOD_MISSING },
	/* the module is there: whether the kernel could load another does not matter */
	{ "x86_64", "6.1.0-56-amd64", "11111110", "kmod", 1, 0, "" },
	/* could not tell whether modules load: the device advice stands */
	{ "x86_64", "6.18.44-fc-v657", "1111101?", "kmod", 0, -ENOENT, KMOD_MISSING },
	{ "x86_64", "6.1.0-56-amd64", ALL, "kmod", 1, 0, "" },
	{ "x86_64", "6.1.0-56-amd64", ALL, "kmod", 0, -EACCES,
	  "kmod needs read and write access to /dev/scap (mode 0600, owned by root): run scap as root." },
	/* modern_bpf boundary: 5.7.19 vs 5.8.0 when the probes cannot tell */
	{ "x86_64", "5.7.19", UNK, "modern_bpf", 0, -EOPNOTSUPP,
	  "modern_bpf needs Linux 5.8 or newer on x86_64, this kernel is 5.7.19, and the btf, ringbuf "
	  "and tp_btf probes could not tell whether those features were backported: use the bpf or "
	  "kmod engine." },
	{ "x86_64", "5.8.0", UNK, "modern_bpf", 0, 0, "" },
	/* aarch64: a floor no probe vouches for (the JIT's tail calls from subprograms) */
	{ "aarch64", "5.10.0-32-arm64", ALL, "modern_bpf", 0, -EOPNOTSUPP, AARCH64_MODERN("5.10.0-32-arm64") },
	{ "aarch64", "5.15.0", "1?11??11", "modern_bpf", 0, -EOPNOTSUPP, AARCH64_MODERN("5.15.0") },
	{ "aarch64", "6.0.0", UNK, "modern_bpf", 0, 0, "" },
	{ "aarch64", "6.1.0-57-arm64", ALL, "modern_bpf", 0, 0, "" },
	{ "aarch64", "6.1.0-57-arm64", "11011111", "modern_bpf", 0, -EOPNOTSUPP, NO_TP_BTF },
	{ "ppc64le", "6.12.118+deb12-powerpc64le", "11011111", "modern_bpf", 0, -EOPNOTSUPP, NO_TP_BTF },
	{ "s390x", "6.12.95+deb12-s390x", "11011111", "modern_bpf", 0, -EOPNOTSUPP, NO_TP_BTF },
	/* ppc64le: the floor is the oldest kernel verified (6.1 has no BTF) */
	{ "ppc64le", "6.1.0-57-powerpc64le", ALL, "modern_bpf", 0, -EOPNOTSUPP, PPC64LE_MODERN("6.1.0-57-powerpc64le") },
	{ "ppc64le", "6.12.118+deb12-powerpc64le", ALL, "modern_bpf", 0, 0, "" },
	/* ppc64le: bpf from 6.1, the oldest verified (its only eBPF engine there: no BTF) */
	{ "ppc64le", "6.12.118+deb12-powerpc64le", ALL, "bpf", 0, 0, "" },
	{ "ppc64le", "6.1.0-57-powerpc64le", "0??11111", "bpf", 0, 0, "" },
	{ "ppc64le", "5.10.0", ALL, "bpf", 0, -EOPNOTSUPP, PPC64LE_BPF("5.10.0") },
	{ "ppc64le", "6.1.0-57-powerpc64le", ALL, "kmod", 1, 0, "" },
	{ "ppc64le", "5.10.0", ALL, "kmod", 1, -EOPNOTSUPP,
	  "kmod needs Linux 6.1 or newer on ppc64le, and this kernel is 5.10.0: use a newer kernel." },
	/* riscv64: the module from Debian 13's 6.12 on; neither eBPF engine is ported */
	{ "riscv64", "6.12.118+deb13-riscv64", ALL, "kmod", 1, 0, "" },
	{ "riscv64", "6.1.0", ALL, "kmod", 1, -EOPNOTSUPP,
	  "kmod needs Linux 6.12 or newer on riscv64, and this kernel is 6.1.0: use a newer kernel." },
	{ "riscv64", "6.12.118+deb13-riscv64", "11111011", "kmod", 0, -ENOENT,
	  "kmod needs the scap kernel module, and /dev/scap does not exist: build and load it as "
	  "root with `make -C drivers/kmod KDIR=/lib/modules/$(uname -r)/build && insmod "
	  "drivers/kmod/scap.ko`, or use another kernel." },
	{ "riscv64", "6.12.118+deb13-riscv64", ALL, "modern_bpf", 0, -EOPNOTSUPP,
	  "modern_bpf has no port to riscv64: use the kmod engine." },
	{ "riscv64", "6.12.118+deb13-riscv64", ALL, "bpf", 0, -EOPNOTSUPP,
	  "bpf has no port to riscv64: use the kmod engine." },
	/* s390x (big-endian): as ppc64le, the floors are the kernels verified */
	{ "s390x", "6.1.0-50-s390x", ALL, "modern_bpf", 0, -EOPNOTSUPP, S390X_MODERN("6.1.0-50-s390x") },
	{ "s390x", "6.12.95+deb12-s390x", ALL, "modern_bpf", 0, 0, "" },
	/* s390x: bpf from 6.1, the oldest verified (its only eBPF engine there: no BTF) */
	{ "s390x", "6.12.95+deb12-s390x", ALL, "bpf", 0, 0, "" },
	{ "s390x", "6.1.0-50-s390x", "0??11111", "bpf", 0, 0, "" },
	{ "s390x", "5.10.0", ALL, "bpf", 0, -EOPNOTSUPP,
	  "bpf needs Linux 6.1 or newer on s390x (the oldest s390x kernel it was verified on), and this "
	  "kernel is 5.10.0: use the kmod engine." },
	{ "s390x", "6.1.0-50-s390x", ALL, "kmod", 1, 0, "" },
	{ "s390x", "5.10.0", ALL, "kmod", 1, -EOPNOTSUPP,
	  "kmod needs Linux 6.1 or newer on s390x, and this kernel is 5.10.0: use a newer kernel." },
	/* a probe beats the version, both ways */
	{ "x86_64", "4.18.0-513.el8.x86_64", "11100011", "modern_bpf", 0, 0, "" },
	{ "x86_64", "4.18.0-513.el8.x86_64", "10100011", "modern_bpf", 0, -EOPNOTSUPP, NO_RINGBUF },
	{ "x86_64", "6.1.0-56-amd64", "00011011", "modern_bpf", 0, -EOPNOTSUPP,
	  NO_BTF " " NO_RINGBUF " " NO_TP_BTF },
	{ "x86_64", "6.1.0-56-amd64", "00011011", "bpf", 0, 0, "" },
	{ "x86_64", "6.1.0-56-amd64", "11011111", "modern_bpf", 0, -EOPNOTSUPP, NO_TP_BTF },
	{ "x86_64", "4.13.16", "00011011", "bpf", 0, 0, "" },
	{ "x86_64", "6.1.0", "11100011", "bpf", 0, -EOPNOTSUPP, NO_PERF },
	/* no raw tracepoints: the tracepoint mode from the minimum kernel on (4.14 on x86_64) */
	{ "x86_64", "4.13.16", "00001011", "bpf", 0, -EOPNOTSUPP, NO_RAW_TP("x86_64", "4.14", "4.13.16") },
	{ "x86_64", "4.14.0", "00001011", "bpf", 0, 0, "" },
	{ "x86_64", "4.16.18", "00001011", "bpf", 0, 0, "" },
	{ "x86_64", "4.17.0", "00001011", "bpf", 0, 0, "" },
	{ "x86_64", "4.17.0", "00011011", "bpf", 0, 0, "" },
	{ "x86_64", "4.14.0", "00000011", "bpf", 0, -EOPNOTSUPP, NO_PERF },
	{ "x86_64", "4.14.0", "00001001", "bpf", 0, -EPERM, NO_PRIV("bpf") },

	/* bpf boundaries per architecture when the probes cannot tell */
	{ "x86_64", "4.13.16", UNK, "bpf", 0, -EOPNOTSUPP,
	  "bpf needs Linux 4.14 or newer on x86_64, this kernel is 4.13.16, and the raw_tracepoint "
	  "and perf_event_array probes could not tell whether those features were backported: use "
	  "the kmod engine." },
	{ "x86_64", "4.14.0", UNK, "bpf", 0, 0, "" },

	/* aarch64: from the oldest kernel verified (Debian 11's 5.10), a floor whatever the probes say */
	{ "aarch64", "6.1.0-57-arm64", ALL, "bpf", 0, 0, "" },
	{ "aarch64", "5.10.0-32-arm64", ALL, "bpf", 0, 0, "" },
	{ "aarch64", "5.10.0-32-arm64", "00011011", "bpf", 0, 0, "" },
	{ "aarch64", "5.4.0", ALL, "bpf", 0, -EOPNOTSUPP, AARCH64_BPF("5.4.0") },
	{ "aarch64", "4.17.0", UNK, "bpf", 0, -EOPNOTSUPP, AARCH64_BPF("4.17.0") },
	{ "aarch64", "6.1.0-57-arm64", "11100011", "bpf", 0, -EOPNOTSUPP, NO_PERF },
	/* kmod boundaries: no probe beats the version (on x86_64 the module is
	 * verified from Ubuntu's 4.4, test/vm; elsewhere from 5.10) */
	{ "x86_64", "4.3.6", ALL, "kmod", 1, -EOPNOTSUPP,
	  "kmod needs Linux 4.4 or newer on x86_64, and this kernel is 4.3.6: use a newer kernel." },
	{ "x86_64", "4.4.0-210-generic", ALL, "kmod", 1, 0, "" },
	{ "x86_64", "4.15.0-213-generic", ALL, "kmod", 1, 0, "" },
	{ "x86_64", "5.10.0-46-amd64", ALL, "kmod", 1, 0, "" },
	{ "x86_64", "3.10.0-1160.el7.x86_64", ALL, "kmod", 1, -EOPNOTSUPP,
	  "kmod needs Linux 4.4 or newer on x86_64, and this kernel is 3.10.0-1160.el7.x86_64: use a "
	  "newer kernel." },
	{ "x86_64", "2.6.32-754.el6.x86_64", ALL, "kmod", 1, -EOPNOTSUPP,
	  "kmod needs Linux 4.4 or newer on x86_64, and this kernel is 2.6.32-754.el6.x86_64: use a "
	  "newer kernel." },
	{ "aarch64", "5.4.0", ALL, "kmod", 1, -EOPNOTSUPP,
	  "kmod needs Linux 5.10 or newer on aarch64, and this kernel is 5.4.0: use a newer kernel." },
	{ "aarch64", "5.10.0", ALL, "kmod", 1, 0, "" },
	{ "aarch64", "5.10.0-32-arm64", ALL, "kmod", 1, 0, "" },
	{ "aarch64", "6.1.0-57-arm64", "11111011", "kmod", 0, -ENOENT, KMOD_MISSING },
	{ "ppc64le", "6.12.118+deb12-powerpc64le", "11111011", "kmod", 0, -ENOENT, KMOD_MISSING },
	{ "s390x", "6.12.95+deb12-s390x", "11111011", "kmod", 0, -ENOENT, KMOD_MISSING },
	/* privileges come first and do not hide the rest */
	{ "x86_64", "6.1.0-56-amd64", "11111101", "modern_bpf", 0, -EPERM, NO_PRIV("modern_bpf") },
	{ "x86_64", "6.1.0-56-amd64", "11111101", "bpf", 0, -EPERM, NO_PRIV("bpf") },
	{ "x86_64", "6.1.0-56-amd64", "0??1?101", "modern_bpf", 0, -EPERM,
	  NO_PRIV("modern_bpf") " " NO_BTF },
	{ "x86_64", "6.1.0-56-amd64", "1111?1?1", "bpf", 0, -EPERM,
	  "bpf needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load tracing eBPF programs, and "
	  "this process could not read its capabilities: run scap as root or grant it those capabilities." },
	/* architectures the table does not know */
	{ "mips", "5.10.0", ALL, "modern_bpf", 0, -EOPNOTSUPP,
	  "modern_bpf does not support the mips architecture (supported: x86_64, aarch64, ppc64le, riscv64, s390x)." },
	{ "loongarch64", "6.1.0", ALL, "kmod", 1, -EOPNOTSUPP,
	  "kmod does not support the loongarch64 architecture (supported: x86_64, aarch64, ppc64le, "
	  "riscv64, s390x)." },
	{ "loongarch64", "6.1.0", ALL, "modern_bpf", 0, -EOPNOTSUPP,
	  "modern_bpf does not support the loongarch64 architecture (supported: x86_64, aarch64, "
	  "ppc64le, riscv64, s390x)." },
	{ "x86_64", "6.1.0", ALL, "savefile", 0, -EINVAL,
	  "'savefile' is not an engine with kernel requirements (known: modern_bpf, bpf, kmod)." },
	/* an unreadable release vouches for nothing */
	{ "x86_64", NULL, UNK, "bpf", 0, -EOPNOTSUPP,
	  "bpf needs Linux 4.14 or newer on x86_64, this kernel is unknown, and the raw_tracepoint "
	  "and perf_event_array probes could not tell whether those features were backported: use "
	  "the kmod engine." },
	{ "x86_64", NULL, ALL, "modern_bpf", 0, 0, "" },
};

static void facts_from(struct scap_platform_facts *f, const struct decide_case *c)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->arch, sizeof(f->arch), "%s", c->arch);
	if (c->release) {
		assert_int_equal(scap_kernel_version_parse(c->release, &f->kernel), 0);
		snprintf(f->release, sizeof(f->release), "%s", c->release);
		f->kernel_known = true;
	}
	assert_int_equal(strlen(c->feats), SCAP_FEAT_MAX);
	for (int i = 0; i < SCAP_FEAT_MAX; i++)
		f->feat[i] = c->feats[i] == '1' ? SCAP_FEAT_PRESENT
			   : c->feats[i] == '0' ? SCAP_FEAT_ABSENT : SCAP_FEAT_UNKNOWN;
	f->kmod_dev_accessible = c->kmod_access;
	f->unpriv_bpf_disabled = 2; /* Debian's default */
	f->bpf_jit = 1;            /* the default where the kernel has a JIT */
}

static void test_decisions(void **state)
{
	assert_true(sizeof(decisions) / sizeof(decisions[0]) >= 20);
	for (size_t i = 0; i < sizeof(decisions) / sizeof(decisions[0]); i++) {
		const struct decide_case *c = &decisions[i];
		struct scap_platform_facts f;
		char reason[1024];
		int rc;

		facts_from(&f, c);
		memset(reason, 'x', sizeof(reason));
		rc = scap_platform_decide(&f, c->engine, reason, sizeof(reason));
		if (rc != c->rc || strcmp(reason, c->reason))
			fail_msg("case %zu (%s %s %s %s): got %d \"%s\", want %d \"%s\"", i, c->engine,
				 c->arch, c->release ? c->release : "?", c->feats, rc, reason, c->rc, c->reason);
	}
}

static void test_decide_truncates(void **state)
{
	struct scap_platform_facts f;
	char reason[16];

	facts_from(&f, &(struct decide_case){ "x86_64", "6.1.0", "00000000", "modern_bpf", 0, 0, "" });
	memset(reason, 'x', sizeof(reason));
	assert_int_equal(scap_platform_decide(&f, "modern_bpf", reason, sizeof(reason)), -EPERM);
	assert_string_equal(reason, "modern_bpf need");
	assert_int_equal(scap_platform_decide(&f, "modern_bpf", NULL, 0), -EPERM);
}

static void test_decide_kmod_api_version(void **state)
{
	struct scap_platform_facts f;
	unsigned want = scap_platform_kmod_api_expected();
	char reason[512], expect[512];

	facts_from(&f, &(struct decide_case){ "x86_64", "6.1.0", ALL, "kmod", 1, 0, "" });
	/* a module that does not say its version is checked at open time */
	f.kmod_api_version = 0;
	assert_int_equal(scap_platform_decide(&f, "kmod", reason, sizeof(reason)), 0);
#ifdef HAVE_KMOD_API
	assert_int_equal(want, SCAP_KMOD_API_VERSION);
	f.kmod_api_version = want;
	assert_int_equal(scap_platform_decide(&f, "kmod", reason, sizeof(reason)), 0);
	f.kmod_api_version = want + 1;
	snprintf(expect, sizeof(expect), "kmod needs a scap module speaking API version %u, and the "
		 "loaded one speaks version %u: unload it (`rmmod scap`), then build and load this "
		 "version's with `make -C drivers/kmod KDIR=/lib/modules/$(uname -r)/build && insmod "
		 "drivers/kmod/scap.ko`.", want, want + 1);
	assert_int_equal(scap_platform_decide(&f, "kmod", reason, sizeof(reason)), -EPROTO);
	assert_string_equal(reason, expect);
#else
	(void)want;
	(void)expect;
	skip();
#endif
}

static void test_decide_unpriv_bpf_enabled(void **state)
{
	struct scap_platform_facts f;
	char reason[512];

	facts_from(&f, &(struct decide_case){ "x86_64", "6.1.0", "11111101", "bpf", 0, 0, "" });
	f.unpriv_bpf_disabled = 0;
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), -EPERM);
	assert_string_equal(reason, NO_PRIV("bpf") " (kernel.unprivileged_bpf_disabled=0 lets "
			    "unprivileged users load socket filters only, never tracing programs.)");
	f.unpriv_bpf_disabled = -1;
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), -EPERM);
	assert_string_equal(reason, NO_PRIV("bpf"));
}

/* An interpreting kernel from 6.9 would crash on bpf's tail calls: refused there only. */
static void test_decide_bpf_interpreted(void **state)
{
	struct scap_platform_facts f;
	char reason[1024];

	(void)state;
	facts_from(&f, &(struct decide_case){ "x86_64", "6.12.57+deb12-amd64", ALL, "bpf", 0, 0, "" });
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), 0);
	f.bpf_jit = 2; /* JIT with debug output */
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), 0);
	f.bpf_jit = 0;
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), -EOPNOTSUPP);
	assert_string_equal(reason, "bpf cannot run where Linux 6.9 or newer interprets eBPF "
			    "(net.core.bpf_jit_enable is 0), as this 6.12.57+deb12-amd64 kernel does: its "
			    "interpreter runs a tail call's target on the caller's stack frame, which this "
			    "engine's programs outgrow (a kernel crash). Enable the JIT (sysctl -w "
			    "net.core.bpf_jit_enable=1) or use the kmod engine.");
	f.bpf_jit = -1;
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), -EOPNOTSUPP);
	assert_non_null(strstr(reason, "(the kernel has no eBPF JIT)"));
	/* Unreadable: not refused on a guess (modern_bpf, which can, claims the stack then). */
	f.bpf_jit = -2;
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), 0);
	/* Before 6.9 the verifier gave an interpreted tail-calling program 512 bytes. */
	facts_from(&f, &(struct decide_case){ "x86_64", "6.8.12", ALL, "bpf", 0, 0, "" });
	f.bpf_jit = 0;
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), 0);
	facts_from(&f, &(struct decide_case){ "x86_64", "6.9.0", ALL, "bpf", 0, 0, "" });
	f.bpf_jit = 0;
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), -EOPNOTSUPP);
	/* s390x's objects claim the interpreter's stack themselves: not refused there. */
	facts_from(&f, &(struct decide_case){ "s390x", "6.12.95+deb12-s390x", ALL, "bpf", 0, 0, "" });
	f.bpf_jit = -1;
	assert_int_equal(scap_platform_decide(&f, "bpf", reason, sizeof(reason)), 0);
	/* modern_bpf is not refused: it claims the interpreter's stack itself. */
	facts_from(&f, &(struct decide_case){ "x86_64", "6.12.57+deb12-amd64", ALL, "modern_bpf", 0, 0, "" });
	f.bpf_jit = 0;
	assert_int_equal(scap_platform_decide(&f, "modern_bpf", reason, sizeof(reason)), 0);
}

/* ---- SCAP_PROBE_OVERRIDE parsing ---------------------------------------- */

static void test_override_good(void **state)
{
	struct scap_probe_override o;
	char err[256];

	assert_int_equal(scap_probe_override_parse(NULL, &o, err, sizeof(err)), 0);
	assert_false(o.has_kernel || o.has_arch || o.has_feat[SCAP_FEAT_BTF]);
	assert_int_equal(scap_probe_override_parse("", &o, err, sizeof(err)), 0);

	assert_int_equal(scap_probe_override_parse("ringbuf=0", &o, err, sizeof(err)), 0);
	assert_true(o.has_feat[SCAP_FEAT_RINGBUF]);
	assert_false(o.feat[SCAP_FEAT_RINGBUF]);
	for (int i = 0; i < SCAP_FEAT_MAX; i++)
		if (i != SCAP_FEAT_RINGBUF)
			assert_false(o.has_feat[i]);

	assert_int_equal(scap_probe_override_parse(
				 "btf=1,ringbuf=1,tp_btf=0,raw_tracepoint=1,perf_event_array=0,kmod=1,"
				 "bpf_priv=0,modules=1,kernel=4.18.0-513.el8.x86_64,arch=aarch64",
				 &o, err, sizeof(err)),
			 0);
	assert_string_equal(err, "");
	for (int i = 0; i < SCAP_FEAT_MAX; i++)
		assert_true(o.has_feat[i]);
	assert_true(o.feat[SCAP_FEAT_BTF] && o.feat[SCAP_FEAT_RINGBUF] && o.feat[SCAP_FEAT_RAW_TRACEPOINT] &&
		    o.feat[SCAP_FEAT_KMOD] && o.feat[SCAP_FEAT_MODULES]);
	assert_false(o.feat[SCAP_FEAT_TP_BTF] || o.feat[SCAP_FEAT_PERF_EVENT_ARRAY] ||
		     o.feat[SCAP_FEAT_BPF_PRIV]);
	assert_true(o.has_kernel);
	assert_int_equal(o.kernel.major, 4);
	assert_int_equal(o.kernel.minor, 18);
	assert_int_equal(o.kernel.patch, 0);
	assert_string_equal(o.release, "4.18.0-513.el8.x86_64");
	assert_true(o.has_arch);
	assert_string_equal(o.arch, "aarch64");

	/* spaces around items and around '=' are a user's, not an error */
	assert_int_equal(scap_probe_override_parse(" ringbuf = 0 , kernel=5.4 ", &o, err, sizeof(err)), 0);
	assert_true(o.has_feat[SCAP_FEAT_RINGBUF] && !o.feat[SCAP_FEAT_RINGBUF]);
	assert_int_equal(o.kernel.major, 5);
	assert_int_equal(o.kernel.minor, 4);
}

struct bad_override {
	const char *s, *err;
};

#define KEYS "(valid: btf, ringbuf, tp_btf, raw_tracepoint, perf_event_array, kmod, bpf_priv, modules, kernel, arch)."

static const struct bad_override bad_overrides[] = {
	{ "ringbuff=0", "SCAP_PROBE_OVERRIDE: unknown feature 'ringbuff' " KEYS },
	{ "x=1", "SCAP_PROBE_OVERRIDE: unknown feature 'x' " KEYS },
	{ "ringbuf=2", "SCAP_PROBE_OVERRIDE: 'ringbuf=2' needs the value 0 or 1." },
	{ "ringbuf=", "SCAP_PROBE_OVERRIDE: 'ringbuf=' needs the value 0 or 1." },
	{ "btf=yes", "SCAP_PROBE_OVERRIDE: 'btf=yes' needs the value 0 or 1." },
	{ "btf=01", "SCAP_PROBE_OVERRIDE: 'btf=01' needs the value 0 or 1." },
	{ "ringbuf", "SCAP_PROBE_OVERRIDE: 'ringbuf' is not key=value (keys: btf, ringbuf, tp_btf, "
		     "raw_tracepoint, perf_event_array, kmod, bpf_priv, modules, kernel, arch)." },
	{ "=1", "SCAP_PROBE_OVERRIDE: '=1' has no key (keys: btf, ringbuf, tp_btf, raw_tracepoint, "
		"perf_event_array, kmod, bpf_priv, modules, kernel, arch)." },
	{ "kernel=five", "SCAP_PROBE_OVERRIDE: kernel='five' is not a kernel release (expected "
			 "MAJOR.MINOR[.PATCH][-suffix], e.g. kernel=4.18.0-513.el8.x86_64)." },
	{ "kernel=", "SCAP_PROBE_OVERRIDE: kernel='' is not a kernel release (expected "
		     "MAJOR.MINOR[.PATCH][-suffix], e.g. kernel=4.18.0-513.el8.x86_64)." },
	{ "arch=x86-64", "SCAP_PROBE_OVERRIDE: arch='x86-64' is not an architecture name as uname -m "
			 "prints it (e.g. arch=aarch64)." },
	{ "btf=1,btf=0", "SCAP_PROBE_OVERRIDE: 'btf' is given twice." },
	{ "kernel=5.4,kernel=6.1", "SCAP_PROBE_OVERRIDE: 'kernel' is given twice." },
	{ "btf=1,,ringbuf=0", "SCAP_PROBE_OVERRIDE: empty entry (write key=value items separated by "
			      "single commas, e.g. ringbuf=0,kernel=5.4)." },
	{ "btf=1,", "SCAP_PROBE_OVERRIDE: trailing comma (write key=value items separated by single "
		    "commas, e.g. ringbuf=0,kernel=5.4)." },
	{ "ringbuf=0;btf=0", "SCAP_PROBE_OVERRIDE: 'ringbuf=0;btf=0' needs the value 0 or 1." },
};

static void test_override_bad(void **state)
{
	for (size_t i = 0; i < sizeof(bad_overrides) / sizeof(bad_overrides[0]); i++) {
		struct scap_probe_override o;
		char err[256];
		int rc = scap_probe_override_parse(bad_overrides[i].s, &o, err, sizeof(err));

		if (rc != -EINVAL || strcmp(err, bad_overrides[i].err))
			fail_msg("'%s': got %d \"%s\", want -EINVAL \"%s\"", bad_overrides[i].s, rc, err,
				 bad_overrides[i].err);
	}
}

/* ---- the override through the cache ------------------------------------- */

static void with_override(const char *s)
{
	assert_int_equal(setenv("SCAP_PROBE_OVERRIDE", s, 1), 0);
	scap_platform_reset_cache();
}

static int unset_override(void **state)
{
	unsetenv("SCAP_PROBE_OVERRIDE");
	scap_platform_reset_cache();
	return 0;
}

static void test_override_applied(void **state)
{
	struct scap_kernel_version v;
	char reason[512];

	/* every feature forced: nothing on this host is probed */
	with_override("btf=1,ringbuf=1,tp_btf=1,raw_tracepoint=1,perf_event_array=1,kmod=0,"
		      "bpf_priv=1,modules=1,kernel=4.18.0-513.el8.x86_64,arch=x86_64");
	assert_null(scap_platform_override_error());
	assert_int_equal(scap_platform_kernel(&v), 0);
	assert_int_equal(v.major, 4);
	assert_int_equal(v.minor, 18);
	assert_string_equal(scap_platform_arch(), "x86_64");
	{
		struct scap_kernel_version real, want;
		struct utsname u;

		assert_int_equal(uname(&u), 0);
		assert_int_equal(scap_kernel_version_parse(u.release, &want), 0);
		assert_int_equal(scap_platform_running_kernel(&real), 0);
		assert_int_equal(scap_kernel_version_cmp(&real, &want), 0);
	}
	assert_int_equal(scap_feature_present(SCAP_FEAT_RINGBUF), 1);
	assert_int_equal(scap_feature_present(SCAP_FEAT_KMOD), 0);
	assert_int_equal(scap_platform_engine_check("modern_bpf", reason, sizeof(reason)), 0);
	assert_string_equal(reason, "");
	assert_int_equal(scap_platform_engine_check("bpf", reason, sizeof(reason)), 0);
	/* 4.18 is above kmod's minimum: the forced kmod=0 decides */
	assert_int_equal(scap_platform_engine_check("kmod", reason, sizeof(reason)), -ENOENT);
	assert_string_equal(reason, "kmod needs the scap kernel module, and /dev/scap does not exist: "
			    "build and load it as root with `make -C drivers/kmod "
			    "KDIR=/lib/modules/$(uname -r)/build && insmod drivers/kmod/scap.ko`, or use "
			    "the modern_bpf or bpf engine.");

	/* the cache forgets: the next override is read afresh */
	with_override("btf=1,ringbuf=0,tp_btf=1,raw_tracepoint=1,perf_event_array=1,kmod=1,"
		      "bpf_priv=1,kernel=6.1.0,arch=aarch64");
	assert_int_equal(scap_platform_kernel(&v), 0);
	assert_int_equal(v.major, 6);
	assert_int_equal(v.minor, 1);
	assert_string_equal(scap_platform_arch(), "aarch64");
	assert_int_equal(scap_feature_present(SCAP_FEAT_RINGBUF), 0);
	assert_int_equal(scap_platform_engine_check("modern_bpf", reason, sizeof(reason)), -EOPNOTSUPP);
	assert_string_equal(reason, NO_RINGBUF);
	/* bpf is ported to aarch64 and 6.1 is above its floor */
	assert_int_equal(scap_platform_engine_check("bpf", reason, sizeof(reason)), 0);
	assert_int_equal(scap_platform_engine_check("kmod", reason, sizeof(reason)), 0);

	/* s390x: bpf is ported, the advice names it */
	with_override("btf=1,ringbuf=0,tp_btf=1,raw_tracepoint=1,perf_event_array=1,kmod=1,"
		      "bpf_priv=1,kernel=6.12.0,arch=s390x");
	assert_int_equal(scap_platform_engine_check("modern_bpf", reason, sizeof(reason)), -EOPNOTSUPP);
	assert_string_equal(reason, NO_RINGBUF);

	/* ppc64le: bpf is ported, the advice names it */
	with_override("btf=1,ringbuf=0,tp_btf=1,raw_tracepoint=1,perf_event_array=1,kmod=1,"
		      "bpf_priv=1,kernel=6.12.0,arch=ppc64le");
	assert_int_equal(scap_platform_engine_check("modern_bpf", reason, sizeof(reason)), -EOPNOTSUPP);
	assert_string_equal(reason, NO_RINGBUF);
	assert_int_equal(scap_platform_engine_check("bpf", reason, sizeof(reason)), 0);
}

/* Whether the kernel command line has the word w: the test's own reading. */
static bool host_cmdline_has(const char *w)
{
	char buf[4096] = "", *save = NULL;
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	for (char *t = strtok_r(buf, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(t, w))
			return true;
	return false;
}

/*
 * Whether the kernel loads modules, against the files that say so, and the
 * kmod advice that follows: never "build and insmod" where no module loads.
 */
static void test_modules_probe(void **state)
{
	bool proc_modules = access("/proc/modules", F_OK) == 0;
	char disabled = '0', reason[512], want[512];
	FILE *f = fopen("/proc/sys/kernel/modules_disabled", "r");
	bool dev = access(SCAP_KMOD_DEVICE, F_OK) == 0;
	int rc;

	if (f) {
		if (fread(&disabled, 1, 1, f) != 1)
			disabled = '0';
		fclose(f);
	}
	unset_override(state);
	assert_int_equal(scap_feature_state(SCAP_FEAT_MODULES),
			 proc_modules && disabled != '1' ? SCAP_FEAT_PRESENT : SCAP_FEAT_ABSENT);
	rc = scap_platform_engine_check("kmod", reason, sizeof(reason));
	if (dev) {
		print_message("%s exists here: the no-modules advice is checked only when forced\n",
			      SCAP_KMOD_DEVICE);
	} else if (!proc_modules) {
		snprintf(want, sizeof(want), "kmod needs the scap kernel module, and this kernel cannot load "
			 "modules: it was built without module support (CONFIG_MODULES is off: there is no "
			 "/proc/modules)%s. Use the modern_bpf or bpf engine, or boot a kernel that loads "
			 "modules.", host_cmdline_has("nomodule") ? ", and it was booted with `nomodule`" : "");
		assert_int_equal(rc, -EOPNOTSUPP);
		assert_string_equal(reason, want);
	} else if (disabled != '1') {
		assert_int_equal(rc, -ENOENT);
		assert_non_null(strstr(reason, "build and load it as root"));
	}

	/* forced: the same advice, naming the override */
	with_override("kmod=0,modules=0,kernel=6.1.0,arch=x86_64");
	assert_int_equal(scap_platform_engine_check("kmod", reason, sizeof(reason)), -EOPNOTSUPP);
	assert_string_equal(reason, "kmod needs the scap kernel module, and this kernel cannot load "
			    "modules: SCAP_PROBE_OVERRIDE says so (modules=0). Use the modern_bpf or bpf "
			    "engine, or boot a kernel that loads modules.");
	with_override("kmod=1,modules=0,kernel=6.1.0,arch=x86_64");
	/* a loaded module (forced here) needs no module loading */
	assert_int_equal(scap_platform_engine_check("kmod", reason, sizeof(reason)), 0);
}

static void test_describe(void **state)
{
	char line[512];
	int n;

	with_override("btf=1,ringbuf=0,tp_btf=1,raw_tracepoint=1,perf_event_array=0,kmod=1,"
		      "bpf_priv=1,modules=0,kernel=4.18.0-513.el8.x86_64,arch=ppc64le");
	n = scap_platform_describe(line, sizeof(line));
	assert_string_equal(line, "Linux 4.18.0-513.el8.x86_64 (forced) on ppc64le (forced); "
			    "btf=1(forced) ringbuf=0(forced) tp_btf=1(forced) raw_tracepoint=1(forced) "
			    "perf_event_array=0(forced) kmod=1(forced) bpf_priv=1(forced) modules=0(forced)");
	assert_int_equal(n, (int)strlen(line));
	n = scap_platform_describe(line, 12);
	assert_string_equal(line, "Linux 4.18.");
	assert_true(n > 12);
}

static void test_override_rejected(void **state)
{
	char reason[512];

	with_override("ringbuf=0,tpbtf=0");
	assert_string_equal(scap_platform_override_error(),
			    "SCAP_PROBE_OVERRIDE: unknown feature 'tpbtf' " KEYS);
	for (const char *const *e = (const char *const[]){ "modern_bpf", "bpf", "kmod", NULL }; *e; e++) {
		assert_int_equal(scap_platform_engine_check(*e, reason, sizeof(reason)), -EINVAL);
		assert_string_equal(reason, "SCAP_PROBE_OVERRIDE: unknown feature 'tpbtf' " KEYS);
	}

	with_override("");
	assert_null(scap_platform_override_error());
}

static void test_feature_names(void **state)
{
	static const char *const want[SCAP_FEAT_MAX] = {
		"btf", "ringbuf", "tp_btf", "raw_tracepoint", "perf_event_array", "kmod", "bpf_priv",
		"modules",
	};

	for (int i = 0; i < SCAP_FEAT_MAX; i++) {
		assert_string_equal(scap_feature_name((enum scap_feature)i), want[i]);
		assert_int_equal(scap_feature_by_name(want[i], strlen(want[i])), i);
	}
	assert_string_equal(scap_feature_name(SCAP_FEAT_MAX), "unknown");
	assert_int_equal(scap_feature_by_name("ring", 4), -1);
}

static void test_kmod_device_matches_driver(void **state)
{
#ifdef HAVE_KMOD_API
	assert_string_equal(SCAP_KMOD_DEVICE, SCAP_KMOD_DEVICE_PATH);
#else
	skip();
#endif
}

/* ---- CPUs --------------------------------------------------------------- */

static void test_cpu_range(void **state)
{
	bool in;

	assert_int_equal(scap_platform_parse_cpu_range("0-3,5,7-8\n", 5, &in), 9);
	assert_true(in);
	assert_int_equal(scap_platform_parse_cpu_range("0-3,5,7-8\n", 4, &in), 9);
	assert_false(in);
	assert_int_equal(scap_platform_parse_cpu_range("0-3,5,7-8", 8, &in), 9);
	assert_true(in);
	assert_int_equal(scap_platform_parse_cpu_range("0\n", 0, &in), 1);
	assert_true(in);
	assert_int_equal(scap_platform_parse_cpu_range("0-255\n", -1, NULL), 256);
	assert_int_equal(scap_platform_parse_cpu_range("", 0, &in), -EIO);
	assert_int_equal(scap_platform_parse_cpu_range("3-1", 0, &in), -EIO);
	assert_int_equal(scap_platform_parse_cpu_range("0-", 0, &in), -EIO);
	assert_int_equal(scap_platform_parse_cpu_range("a", 0, &in), -EIO);
	assert_int_equal(scap_platform_parse_cpu_range("0;1", 0, &in), -EIO);
}

static void test_host_cpus(void **state)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	int possible = scap_platform_possible_cpus();
	int counted = 0;

	assert_true(possible >= online);
	for (int c = 0; c < possible; c++)
		counted += scap_platform_cpu_online(c);
	assert_int_equal(counted, online);
	assert_false(scap_platform_cpu_online(-1));
	assert_false(scap_platform_cpu_online(possible));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_parse),
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_min_table),
		cmocka_unit_test(test_decisions),
		cmocka_unit_test(test_decide_truncates),
		cmocka_unit_test(test_decide_unpriv_bpf_enabled),
		cmocka_unit_test(test_decide_bpf_interpreted),
		cmocka_unit_test(test_decide_kmod_api_version),
		cmocka_unit_test(test_override_good),
		cmocka_unit_test(test_override_bad),
		cmocka_unit_test_teardown(test_override_applied, unset_override),
		cmocka_unit_test_teardown(test_override_rejected, unset_override),
		cmocka_unit_test_teardown(test_describe, unset_override),
		cmocka_unit_test_teardown(test_modules_probe, unset_override),
		cmocka_unit_test(test_feature_names),
		cmocka_unit_test(test_kmod_device_matches_driver),
		cmocka_unit_test(test_cpu_range),
		cmocka_unit_test(test_host_cpus),
	};

	unsetenv("SCAP_PROBE_OVERRIDE");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
