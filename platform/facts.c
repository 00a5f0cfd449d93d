// SPDX-License-Identifier: Apache-2.0
/*
 * The cache of host facts. Each fact is computed the first time someone asks
 * and kept until scap_platform_reset_cache(); a mutex (not pthread_once) so
 * that tests can reset it. SCAP_PROBE_OVERRIDE is read once per cache life.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "platform_internal.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct {
	bool override_read;
	bool override_bad;
	struct scap_probe_override ovr;
	char override_err[SCAP_PLATFORM_MSG_LEN];

	bool uname_done;
	int uname_err;
	struct scap_kernel_version kernel;
	char release[65];
	char arch[SCAP_PLATFORM_ARCH_LEN];

	bool feat_done[SCAP_FEAT_MAX];
	enum scap_feat_state feat[SCAP_FEAT_MAX];

	bool extras_done;
	bool kmod_accessible;
	int unpriv_disabled;
	int bpf_jit;
} cache;

/* Callers hold the lock. */
static const struct scap_probe_override *override_locked(void)
{
	if (!cache.override_read) {
		const char *s = getenv("SCAP_PROBE_OVERRIDE");

		cache.override_bad = scap_probe_override_parse(s, &cache.ovr, cache.override_err,
							       sizeof(cache.override_err)) != 0;
		if (cache.override_bad)
			memset(&cache.ovr, 0, sizeof(cache.ovr));
		cache.override_read = true;
	}
	return &cache.ovr;
}

static void uname_locked(void)
{
	struct utsname u;

	if (cache.uname_done)
		return;
	cache.uname_done = true;
	if (uname(&u)) {
		cache.uname_err = -errno;
		strcpy(cache.arch, "unknown");
		return;
	}
	snprintf(cache.release, sizeof(cache.release), "%s", u.release);
	snprintf(cache.arch, sizeof(cache.arch), "%s", u.machine);
	cache.uname_err = scap_kernel_version_parse(u.release, &cache.kernel);
}

static enum scap_feat_state feat_locked(enum scap_feature f)
{
	const struct scap_probe_override *o = override_locked();

	if (o->has_feat[f])
		return o->feat[f] ? SCAP_FEAT_PRESENT : SCAP_FEAT_ABSENT;
	/* The module comes and goes (insmod, rmmod) while a process lives, and
	 * looking at the device is one stat(): never cached. */
	if (f == SCAP_FEAT_KMOD)
		return scap_probe_run(f);
	if (!cache.feat_done[f]) {
		cache.feat[f] = scap_probe_run(f);
		cache.feat_done[f] = true;
	}
	return cache.feat[f];
}

int scap_platform_kernel(struct scap_kernel_version *out)
{
	const struct scap_probe_override *o;
	int err = 0;

	if (!out)
		return -EINVAL;
	pthread_mutex_lock(&lock);
	o = override_locked();
	if (o->has_kernel) {
		*out = o->kernel;
	} else {
		uname_locked();
		err = cache.uname_err;
		if (!err)
			*out = cache.kernel;
	}
	pthread_mutex_unlock(&lock);
	return err;
}

int scap_platform_running_kernel(struct scap_kernel_version *out)
{
	int err;

	if (!out)
		return -EINVAL;
	pthread_mutex_lock(&lock);
	uname_locked();
	err = cache.uname_err;
	if (!err)
		*out = cache.kernel;
	pthread_mutex_unlock(&lock);
	return err;
}

const char *scap_platform_arch(void)
{
	const char *a;

	pthread_mutex_lock(&lock);
	if (override_locked()->has_arch) {
		a = cache.ovr.arch;
	} else {
		uname_locked();
		a = cache.arch;
	}
	pthread_mutex_unlock(&lock);
	return a;
}

int scap_feature_state(enum scap_feature f)
{
	enum scap_feat_state st;

	if ((unsigned)f >= SCAP_FEAT_MAX)
		return SCAP_FEAT_UNKNOWN;
	pthread_mutex_lock(&lock);
	st = feat_locked(f);
	pthread_mutex_unlock(&lock);
	return st;
}

int scap_feature_present(enum scap_feature f)
{
	return scap_feature_state(f) == SCAP_FEAT_PRESENT;
}

const char *scap_platform_override_error(void)
{
	const char *e;

	pthread_mutex_lock(&lock);
	override_locked();
	e = cache.override_bad ? cache.override_err : NULL;
	pthread_mutex_unlock(&lock);
	return e;
}

void scap_platform_reset_cache(void)
{
	pthread_mutex_lock(&lock);
	memset(&cache, 0, sizeof(cache));
	pthread_mutex_unlock(&lock);
}

/*
 * Everything one engine decision needs, override applied. Features are
 * probed lazily: `need` says which ones this engine looks at, so checking
 * "kmod" never loads a BPF program.
 */
int scap_platform_gather(struct scap_platform_facts *f, const bool need[SCAP_FEAT_MAX])
{
	const struct scap_probe_override *o;

	memset(f, 0, sizeof(*f));
	pthread_mutex_lock(&lock);
	o = override_locked();
	if (cache.override_bad) {
		pthread_mutex_unlock(&lock);
		return -EINVAL;
	}
	uname_locked();
	if (o->has_kernel) {
		f->kernel = o->kernel;
		f->kernel_known = true;
		snprintf(f->release, sizeof(f->release), "%s", o->release);
	} else {
		f->kernel = cache.kernel;
		f->kernel_known = cache.uname_err == 0;
		snprintf(f->release, sizeof(f->release), "%s", cache.release);
	}
	snprintf(f->arch, sizeof(f->arch), "%s", o->has_arch ? o->arch : cache.arch);
	for (int i = 0; i < SCAP_FEAT_MAX; i++)
		f->feat[i] = need[i] ? feat_locked((enum scap_feature)i) : SCAP_FEAT_UNKNOWN;
	if (!cache.extras_done) {
		cache.unpriv_disabled = scap_probe_unpriv_bpf_disabled();
		cache.bpf_jit = scap_probe_bpf_jit();
		cache.extras_done = true;
	}
	if (need[SCAP_FEAT_MODULES] && f->feat[SCAP_FEAT_MODULES] == SCAP_FEAT_ABSENT) {
		if (o->has_feat[SCAP_FEAT_MODULES])
			snprintf(f->modules_why, sizeof(f->modules_why),
				 "SCAP_PROBE_OVERRIDE says so (modules=0)");
		else
			scap_probe_modules_why(f->modules_why, sizeof(f->modules_why));
	}
	if (need[SCAP_FEAT_KMOD]) {
		cache.kmod_accessible = scap_probe_kmod_accessible();
		f->kmod_api_version = o->has_feat[SCAP_FEAT_KMOD] ? 0 : scap_probe_kmod_api_version();
	}
	/* A forced-present device is one the test means us to be able to use. */
	f->kmod_dev_accessible = o->has_feat[SCAP_FEAT_KMOD] ? o->feat[SCAP_FEAT_KMOD]
							     : cache.kmod_accessible;
	f->unpriv_bpf_disabled = cache.unpriv_disabled;
	f->bpf_jit = cache.bpf_jit;
	pthread_mutex_unlock(&lock);
	return 0;
}

int scap_platform_describe(char *buf, size_t len)
{
	const struct scap_probe_override *o;
	char tmp[512];
	size_t used = 0;
	int n;

	pthread_mutex_lock(&lock);
	o = override_locked();
	uname_locked();
	if (o->has_kernel)
		n = snprintf(tmp, sizeof(tmp), "Linux %s (forced)", o->release);
	else if (cache.uname_err)
		n = snprintf(tmp, sizeof(tmp), "Linux %s (release not understood)",
			     cache.release[0] ? cache.release : "unknown");
	else
		n = snprintf(tmp, sizeof(tmp), "Linux %s (%u.%u.%u)", cache.release, cache.kernel.major,
			     cache.kernel.minor, cache.kernel.patch);
	used = n > 0 ? (size_t)n : 0;
	n = snprintf(tmp + used, sizeof(tmp) - used, " on %s%s;", o->has_arch ? o->arch : cache.arch,
		     o->has_arch ? " (forced)" : "");
	used += n > 0 ? (size_t)n : 0;
	for (int i = 0; i < SCAP_FEAT_MAX && used < sizeof(tmp); i++) {
		enum scap_feat_state st = feat_locked((enum scap_feature)i);

		n = snprintf(tmp + used, sizeof(tmp) - used, " %s=%s%s", scap_feature_name(i),
			     st == SCAP_FEAT_PRESENT ? "1" : st == SCAP_FEAT_ABSENT ? "0" : "?",
			     o->has_feat[i] ? "(forced)" : "");
		used += n > 0 ? (size_t)n : 0;
	}
	if (cache.override_bad && used < sizeof(tmp))
		snprintf(tmp + used, sizeof(tmp) - used, "; %s", cache.override_err);
	pthread_mutex_unlock(&lock);
	return snprintf(buf, len, "%s", tmp);
}
