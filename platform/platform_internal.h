/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What platform/ shares between its files and with its unit tests: the facts
 * an engine decision is made from, and the pure functions that turn facts into
 * a decision, so that tests can feed any kernel, architecture and feature set
 * without touching the host.
 */
#ifndef SCAP_PLATFORM_INTERNAL_H
#define SCAP_PLATFORM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "platform.h"

/*
 * A feature's state. UNKNOWN: the probe could not tell (no privilege, an
 * unexpected error); the minimum-kernel table decides then.
 */
enum scap_feat_state {
	SCAP_FEAT_UNKNOWN = -1,
	SCAP_FEAT_ABSENT = 0,
	SCAP_FEAT_PRESENT = 1,
};

#define SCAP_PLATFORM_ARCH_LEN 65
#define SCAP_PLATFORM_MSG_LEN 256

struct scap_platform_facts {
	struct scap_kernel_version kernel;
	bool kernel_known;                 /* false: uname or the release did not parse */
	char release[65];                  /* as uname -r (or the override) spells it */
	char arch[SCAP_PLATFORM_ARCH_LEN];
	enum scap_feat_state feat[SCAP_FEAT_MAX];
	bool kmod_dev_accessible;          /* the device can be opened read-write by us */
	unsigned kmod_api_version;         /* the loaded module's, 0 when it does not say */
	int unpriv_bpf_disabled;           /* kernel.unprivileged_bpf_disabled, -1 unreadable */
	int bpf_jit;                       /* net.core.bpf_jit_enable; -1: no such sysctl (no
	                                      JIT), -2: unreadable */
	char modules_why[SCAP_PLATFORM_MSG_LEN]; /* modules absent: why, as a clause */
};

/* SCAP_PROBE_OVERRIDE, parsed. A field not named keeps the probed value. */
struct scap_probe_override {
	bool has_feat[SCAP_FEAT_MAX];
	bool feat[SCAP_FEAT_MAX];
	bool has_kernel;
	struct scap_kernel_version kernel;
	char release[65];
	bool has_arch;
	char arch[SCAP_PLATFORM_ARCH_LEN];
};

/*
 * Parses an override string. 0, or -EINVAL with the complete message in
 * `err` (which key or value, and the valid ones). NULL or "" is no override.
 */
int scap_probe_override_parse(const char *s, struct scap_probe_override *out, char *err, size_t errlen);

/* Looks a feature up by its override name; -1 if unknown. */
int scap_feature_by_name(const char *name, size_t len);

/* Minimum kernel of `engine` on `arch`. 1 found, 0 the engine has no port to
 * that arch, -ENOENT arch or engine not in the table. */
int scap_platform_min_kernel(const char *engine, const char *arch, struct scap_kernel_version *out);

/* The decision from facts alone: 0 usable, else negative errno + reason. */
int scap_platform_decide(const struct scap_platform_facts *f, const char *engine, char *reason, size_t len);

/* Fills `f` from the cache (probing what `need` names and is not cached
 * yet), override applied. -EINVAL when the override was rejected. */
int scap_platform_gather(struct scap_platform_facts *f, const bool need[SCAP_FEAT_MAX]);

/* A sysfs CPU list ("0-3,5,7-8\n"): the highest id plus one, and whether
 * `cpu` is in it; -EIO when malformed. */
int scap_platform_parse_cpu_range(const char *s, int cpu, bool *in);

/* Real probes (probes.c), uncached, never printing. */
enum scap_feat_state scap_probe_run(enum scap_feature f);
bool scap_probe_kmod_accessible(void);
int scap_probe_unpriv_bpf_disabled(void);
/* Why this kernel cannot load modules, as a clause ("it was built without
 * module support (there is no /proc/modules)"), for SCAP_FEAT_MODULES absent. */
void scap_probe_modules_why(char *buf, size_t len);
/* /sys/module/scap/parameters/api_version, 0 when absent or unreadable. */
unsigned scap_probe_kmod_api_version(void);

/* The kmod API version this library speaks (drivers/kmod/scap_kmod_api.h), 0
 * when built without it. */
unsigned scap_platform_kmod_api_expected(void);

#endif
