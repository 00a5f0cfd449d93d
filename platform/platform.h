/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host facts: kernel version, architecture, feature probes and CPUs. Every
 * probe runs once and is cached; SCAP_PROBE_OVERRIDE (docs/engines.md) forces
 * answers for tests ("ringbuf=0,kernel=4.19.0").
 */
#ifndef SCAP_PLATFORM_H
#define SCAP_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include <bpf/libbpf.h>

/* The kmod engine's control device (drivers/kmod/ creates it). */
#ifndef SCAP_KMOD_DEVICE
#define SCAP_KMOD_DEVICE "/dev/scap"
#endif

struct scap_kernel_version {
	unsigned major, minor, patch;
};

/* Parses a release string ("6.1.0-56-amd64", "4.18.0-513.el8.x86_64",
 * "2.6.60" UNAME26 style ...). 0 or -EINVAL. */
int scap_kernel_version_parse(const char *release, struct scap_kernel_version *out);
/* a < b: negative; equal: 0; a > b: positive. */
int scap_kernel_version_cmp(const struct scap_kernel_version *a, const struct scap_kernel_version *b);

/* The running kernel (override: kernel=RELEASE), cached. 0 or negative errno. */
int scap_platform_kernel(struct scap_kernel_version *out);
/* The kernel actually running (uname -r), ignoring kernel= in the override:
 * for what must match the real kernel, such as whether BPF memory is charged
 * to RLIMIT_MEMLOCK (< 5.11). 0 or negative errno. */
int scap_platform_running_kernel(struct scap_kernel_version *out);
/* The running architecture as uname -m spells it ("x86_64", override:
 * arch=NAME), cached; valid until scap_platform_reset_cache(). */
const char *scap_platform_arch(void);

enum scap_feature {
	SCAP_FEAT_BTF = 0,         /* /sys/kernel/btf/vmlinux */
	SCAP_FEAT_RINGBUF,         /* BPF_MAP_TYPE_RINGBUF can be created */
	SCAP_FEAT_TP_BTF,          /* BPF_PROG_TYPE_TRACING tp_btf programs load */
	SCAP_FEAT_RAW_TRACEPOINT,  /* BPF_PROG_TYPE_RAW_TRACEPOINT programs load */
	SCAP_FEAT_PERF_EVENT_ARRAY,/* BPF_MAP_TYPE_PERF_EVENT_ARRAY can be created */
	SCAP_FEAT_KMOD,            /* the scap module's device exists with our API version */
	SCAP_FEAT_BPF_PRIV,        /* privileges to load tracing BPF programs */
	SCAP_FEAT_MODULES,         /* the kernel can load modules: it has module support
	                              (/proc/modules) and loading is not switched off
	                              (/proc/sys/kernel/modules_disabled) */
	SCAP_FEAT_MAX
};

/* Name of a feature as used by SCAP_PROBE_OVERRIDE ("btf", "ringbuf", ...). */
const char *scap_feature_name(enum scap_feature f);
/* 1 present, 0 absent (or the probe could not tell); run once and cached,
 * except kmod (one stat(), and the module may be loaded at any time);
 * SCAP_PROBE_OVERRIDE wins. */
int scap_feature_present(enum scap_feature f);
/* The same, telling absent (0) from could not tell (-1); present is 1. */
int scap_feature_state(enum scap_feature f);
/*
 * NULL, or why SCAP_PROBE_OVERRIDE was rejected (a complete sentence naming
 * the bad key or value and the valid ones). A rejected override forces
 * nothing, and scap_platform_engine_check fails with this message.
 */
const char *scap_platform_override_error(void);
/*
 * One line for humans (`scap engines`): "Linux 6.18.44-fc-v657 (6.18.44) on
 * x86_64; btf=1 ringbuf=1 tp_btf=1 raw_tracepoint=1 perf_event_array=1
 * kmod=0 bpf_priv=1", each forced answer marked "(forced)", a probe that
 * could not tell shown as "?". Probes every feature. Returns the length
 * snprintf would have written.
 */
int scap_platform_describe(char *buf, size_t len);
/* Forgets every cached answer (tests change the override between cases). */
void scap_platform_reset_cache(void);

/*
 * Whether engine `name` ("modern_bpf", "bpf", "kmod") can work here by the
 * minimum-kernel table and the feature probes (a feature probe beats the
 * version). 0 if so, else a negative errno and the reason (what is missing,
 * what to do) in `reason`.
 */
int scap_platform_engine_check(const char *name, char *reason, size_t len);

/*
 * tracefs ("/sys/kernel/tracing", else "/sys/kernel/debug/tracing") where
 * ROOT/probe exists for the calling thread (probe: "events/syscalls"), or
 * NULL.
 */
const char *scap_tracefs_root(const char *probe);
/*
 * Calls fn(arg) where tracefs is visible (tracepoints attach by the id it
 * shows): on this thread when it already is, else on a helper thread that
 * mounts tracefs in a private mount namespace (the host's mounts are left
 * alone; fds opened by fn outlive the thread). 0 when fn ran with tracefs
 * visible, else a negative errno from the private mount (fn was still called,
 * and scap_tracefs_root() tells it what it can see).
 */
int scap_platform_with_tracefs(const char *probe, void (*fn)(void *), void *arg);

/*
 * Where libbpf's messages go while this thread works for scap
 * (platform/libbpf_log.c): sets this thread's sink (NULL: none, messages go
 * to the program's own libbpf hook) and returns the previous one, to be put
 * back afterwards. The first call installs scap's router as libbpf's print
 * hook, once per process; scap never changes the hook again.
 */
libbpf_print_fn_t scap_platform_libbpf_sink(libbpf_print_fn_t sink);
/* This thread's sink, for a helper thread to take over (tracefs.c). */
libbpf_print_fn_t scap_platform_libbpf_current_sink(void);

/*
 * Before obj is loaded: every map of obj that `from` (loaded) has by the
 * same name is from's (bpf_map__reuse_fd), except the internal ones (globals)
 * and those named in `own` (NULL-terminated). 0 or a negative errno.
 */
int scap_platform_bpf_share_maps(struct bpf_object *obj, const struct bpf_object *from, const char *const *own);

/* CPUs: possible count (ids 0..n-1) and whether a CPU is online. */
int scap_platform_possible_cpus(void);

/*
 * net.core.bpf_jit_enable, uncached: 0 when the kernel interprets eBPF, 1 or
 * 2 when it JIT-compiles; -1 when the kernel has no JIT (no such sysctl), -2
 * when it cannot be read.
 */
int scap_probe_bpf_jit(void);
bool scap_platform_cpu_online(int cpu);

#endif
