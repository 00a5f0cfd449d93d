// SPDX-License-Identifier: Apache-2.0
/*
 * The real feature probes: each one does what the engine will do (create the
 * map, load and attach the program) in the smallest form, because a kernel's
 * version number lies about backports. A probe that cannot tell (no
 * privilege, an unexpected error) says UNKNOWN rather than guessing, so the
 * caller can fall back to the minimum-kernel table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "platform_internal.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef ENOTSUPP
#define ENOTSUPP 524 /* kernel-internal, still leaks to user space from BPF */
#endif

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

static int silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* The kernel says "no such thing" with these; anything else is "cannot tell". */
static enum scap_feat_state from_errno(int err)
{
	switch (err) {
	case EINVAL:
	case ENOTSUPP:
	case EOPNOTSUPP:
	case E2BIG:
	case ENOENT:
	case ENOSYS:
		return SCAP_FEAT_ABSENT;
	default:
		return SCAP_FEAT_UNKNOWN;
	}
}

static enum scap_feat_state probe_btf(void)
{
	struct stat st;

	if (stat(VMLINUX_BTF, &st) == 0)
		return SCAP_FEAT_PRESENT;
	return errno == ENOENT || errno == ENOTDIR ? SCAP_FEAT_ABSENT : SCAP_FEAT_UNKNOWN;
}

static enum scap_feat_state probe_map(enum bpf_map_type type, __u32 key, __u32 val, __u32 entries)
{
	int fd = bpf_map_create(type, NULL, key, val, entries, NULL);

	if (fd >= 0) {
		close(fd);
		return SCAP_FEAT_PRESENT;
	}
	return from_errno(errno);
}

/* "r0 = 0; exit": accepted by every program type we care about. */
static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* Loading is not enough for tracing programs: the attach is what fails on
 * kernels that know the type but not the hook. */
static enum scap_feat_state load_and_attach(enum bpf_prog_type type, const char *tp,
					    const struct bpf_prog_load_opts *opts)
{
	enum scap_feat_state st;
	int prog, link;

	prog = bpf_prog_load(type, NULL, "GPL", ret0, sizeof(ret0) / sizeof(ret0[0]), opts);
	if (prog < 0)
		return from_errno(errno);
	link = bpf_raw_tracepoint_open(tp, prog);
	st = link >= 0 ? SCAP_FEAT_PRESENT : from_errno(errno);
	if (link >= 0)
		close(link);
	close(prog);
	return st;
}

static enum scap_feat_state probe_raw_tracepoint(void)
{
	return load_and_attach(BPF_PROG_TYPE_RAW_TRACEPOINT, "sys_exit", NULL);
}

static enum scap_feat_state probe_tp_btf(void)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);
	struct btf *vmlinux;
	__s32 id;

	/* tp_btf attaches by BTF id: no kernel BTF, no tp_btf. */
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return probe_btf() == SCAP_FEAT_PRESENT ? SCAP_FEAT_UNKNOWN : SCAP_FEAT_ABSENT;
	id = btf__find_by_name_kind(vmlinux, "btf_trace_sys_exit", BTF_KIND_TYPEDEF);
	btf__free(vmlinux);
	if (id <= 0)
		return SCAP_FEAT_ABSENT;
	opts.attach_btf_id = (__u32)id;
	return load_and_attach(BPF_PROG_TYPE_TRACING, NULL, &opts);
}

static enum scap_feat_state probe_kmod(void)
{
	struct stat st;

	if (stat(SCAP_KMOD_DEVICE, &st) == 0)
		return S_ISCHR(st.st_mode) ? SCAP_FEAT_PRESENT : SCAP_FEAT_ABSENT;
	return errno == ENOENT || errno == ENOTDIR ? SCAP_FEAT_ABSENT : SCAP_FEAT_UNKNOWN;
}

#define PROC_MODULES "/proc/modules"
#define MODULES_DISABLED "/proc/sys/kernel/modules_disabled"

/* /proc/sys/kernel/modules_disabled: 1 when loading is off until reboot. */
static bool modules_disabled(void)
{
	char c = '0';
	int fd = open(MODULES_DISABLED, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}

/* A kernel built without CONFIG_MODULES has no /proc/modules. */
static enum scap_feat_state probe_modules(void)
{
	if (access(PROC_MODULES, F_OK) != 0)
		return errno == ENOENT && access("/proc/self", F_OK) == 0 ? SCAP_FEAT_ABSENT
									   : SCAP_FEAT_UNKNOWN;
	return modules_disabled() ? SCAP_FEAT_ABSENT : SCAP_FEAT_PRESENT;
}

/* Whether the kernel command line has the word w. */
static bool cmdline_has(const char *w)
{
	char buf[4096], *tok, *save = NULL;
	ssize_t n;
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(tok, w))
			return true;
	return false;
}

void scap_probe_modules_why(char *buf, size_t len)
{
	/* Firecracker-style boots pass `nomodule` (the kernel itself ignores it):
	 * worth naming, as the hint of a setup that means to have no modules. */
	const char *boot = cmdline_has("nomodule") ? ", and it was booted with `nomodule`" : "";

	if (access(PROC_MODULES, F_OK) != 0)
		snprintf(buf, len, "it was built without module support (CONFIG_MODULES is off: there "
			 "is no " PROC_MODULES ")%s", boot);
	else if (modules_disabled())
		snprintf(buf, len, "module loading is switched off until the next boot (" MODULES_DISABLED
			 " is 1)%s", boot);
	else
		snprintf(buf, len, "it can load modules");
}

/* Tracing programs need CAP_BPF + CAP_PERFMON (5.8+) or CAP_SYS_ADMIN,
 * whatever unprivileged_bpf_disabled says. */
static enum scap_feat_state probe_bpf_priv(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned long long eff;

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return SCAP_FEAT_UNKNOWN;
	eff = (unsigned long long)data[0].effective | ((unsigned long long)data[1].effective << 32);
	if (eff & (1ULL << CAP_SYS_ADMIN))
		return SCAP_FEAT_PRESENT;
	if ((eff & (1ULL << CAP_BPF)) && (eff & (1ULL << CAP_PERFMON)))
		return SCAP_FEAT_PRESENT;
	return SCAP_FEAT_ABSENT;
}

enum scap_feat_state scap_probe_run(enum scap_feature f)
{
	libbpf_print_fn_t old;
	enum scap_feat_state st;

	/* libbpf prints its own warnings for failed probes: a probe that says
	 * "no" is an answer, not an error the user should see. */
	old = scap_platform_libbpf_sink(silent_print);
	switch (f) {
	case SCAP_FEAT_BTF:
		st = probe_btf();
		break;
	case SCAP_FEAT_RINGBUF:
		st = probe_map(BPF_MAP_TYPE_RINGBUF, 0, 0, (__u32)sysconf(_SC_PAGESIZE));
		break;
	case SCAP_FEAT_TP_BTF:
		st = probe_tp_btf();
		break;
	case SCAP_FEAT_RAW_TRACEPOINT:
		st = probe_raw_tracepoint();
		break;
	case SCAP_FEAT_PERF_EVENT_ARRAY:
		st = probe_map(BPF_MAP_TYPE_PERF_EVENT_ARRAY, sizeof(int), sizeof(int), 1);
		break;
	case SCAP_FEAT_KMOD:
		st = probe_kmod();
		break;
	case SCAP_FEAT_BPF_PRIV:
		st = probe_bpf_priv();
		break;
	case SCAP_FEAT_MODULES:
		st = probe_modules();
		break;
	default:
		st = SCAP_FEAT_UNKNOWN;
		break;
	}
	scap_platform_libbpf_sink(old);
	return st;
}

bool scap_probe_kmod_accessible(void)
{
	return access(SCAP_KMOD_DEVICE, R_OK | W_OK) == 0;
}

/* A sysctl holding one integer: its value, absent when it does not exist, bad when unreadable. */
static int read_sysctl_int(const char *path, int absent, int bad)
{
	char buf[16] = "";
	FILE *fp = fopen(path, "re");
	char *end;
	long v;

	if (!fp)
		return errno == ENOENT ? absent : bad;
	if (!fgets(buf, sizeof(buf), fp))
		buf[0] = '\0';
	fclose(fp);
	v = strtol(buf, &end, 10);
	return end == buf || v < 0 ? bad : (int)v;
}

int scap_probe_bpf_jit(void)
{
	return read_sysctl_int("/proc/sys/net/core/bpf_jit_enable", -1, -2);
}

int scap_probe_unpriv_bpf_disabled(void)
{
	return read_sysctl_int("/proc/sys/kernel/unprivileged_bpf_disabled", -1, -1);
}

/*
 * The module's API version without opening the device: opening allocates
 * every CPU's ring and the device takes one opener at a time, so a probe must
 * not. A module that exports no such parameter is checked by the kmod engine
 * at open time instead (SCAP_KMOD_IOC_INFO).
 */
unsigned scap_probe_kmod_api_version(void)
{
	char buf[32] = "";
	FILE *fp = fopen("/sys/module/scap/parameters/api_version", "re");
	unsigned long v;
	char *end;

	if (!fp)
		return 0;
	if (!fgets(buf, sizeof(buf), fp))
		buf[0] = '\0';
	fclose(fp);
	v = strtoul(buf, &end, 10);
	return end == buf || v > 0xffffffffUL ? 0 : (unsigned)v;
}
