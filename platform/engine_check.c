// SPDX-License-Identifier: Apache-2.0
/*
 * "Can engine X work here?" from the host facts: the minimum-kernel table
 * (data, per architecture) and the feature probes. A probe's answer beats the
 * version number: enterprise kernels carry backports (RHEL 8's 4.18 has ring
 * buffers and tp_btf), and a recent kernel can still lack a feature (no BTF
 * in its config). The version decides only where a probe could not tell.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "platform_internal.h"

#if __has_include("drivers/kmod/scap_kmod_api.h")
#include "drivers/kmod/scap_kmod_api.h"
_Static_assert(sizeof(SCAP_KMOD_DEVICE) == sizeof(SCAP_KMOD_DEVICE_PATH),
	       "platform.h and the kmod API name the same device");
unsigned scap_platform_kmod_api_expected(void)
{
	return SCAP_KMOD_API_VERSION;
}
#else
unsigned scap_platform_kmod_api_expected(void)
{
	return 0;
}
#endif

enum engine_id { ENG_MODERN_BPF, ENG_BPF, ENG_KMOD, ENG_MAX };

struct min_kernel {
	unsigned major, minor; /* 0.0: no port to this architecture */
	/*
	 * Set: the minimum is a floor no feature probe can vouch for (what the
	 * kernel lacks below it is not probed), and this says what it is.
	 */
	const char *floor;
};

struct arch_row {
	const char *arch; /* as uname -m prints it */
	struct min_kernel min[ENG_MAX];
};

/*
 * Only what test/vm/run.sh verified (docs/engines.md, "Architectures"): the
 * library builds for x86_64, aarch64, ppc64le and s390x only
 * (drivers/common/syscalls.def), and the bpf driver reads x86_64, arm64,
 * powerpc and s390 registers only (drivers/bpf/scap_bpf_arch.h).
 * riscv64: the kernel module only, verified on Debian 13's 6.12 (Debian 12
 * has no riscv64 kernel, nor the libraries the library links); neither eBPF
 * engine has a riscv64 register layout. loongarch64 is not ported: it is
 * refused with the supported list.
 */
#define AARCH64_MODERN_FLOOR                                                                   \
	"the arm64 BPF JIT mixes tail calls with BPF-to-BPF calls from 6.0; 5.10 refuses the "   \
	"driver's dispatcher"
#define AARCH64_BPF_FLOOR "the oldest aarch64 kernel it was verified on"
#define PPC64LE_BPF_FLOOR "the oldest ppc64le kernel it was verified on"
#define PPC64LE_MODERN_FLOOR                                                                   \
	"the oldest ppc64le kernel it was verified on; Debian 12's 6.1 has no BTF to verify it "   \
	"with"
#define S390X_BPF_FLOOR "the oldest s390x kernel it was verified on"
#define S390X_MODERN_FLOOR                                                                     \
	"the oldest s390x kernel it was verified on; Debian 12's 6.1 has no BTF to verify it "     \
	"with"
static const struct arch_row min_kernels[] = {
	/*                 modern_bpf                          bpf        kmod */
	{ "x86_64",      { { 5, 8 },                         { 4, 14 }, { 4, 4 } } },
	{ "aarch64",     { { 6, 0, AARCH64_MODERN_FLOOR },   { 5, 10, AARCH64_BPF_FLOOR }, { 5, 10 } } },
	{ "ppc64le",     { { 6, 12, PPC64LE_MODERN_FLOOR },  { 6, 1, PPC64LE_BPF_FLOOR },  { 6, 1 } } },
	{ "riscv64",     { { 0, 0 },                         { 0, 0 },  { 6, 12 } } },
	/*
	 * Debian's s390x kernels have no eBPF JIT (built for z10): modern_bpf
	 * runs in the interpreter there, its dispatcher claiming the whole
	 * interpreter stack for its tail calls (docs/engines.md, "s390x: results").
	 * bpf from 6.1, which has no BTF: its only eBPF engine there.
	 */
	{ "s390x",       { { 6, 12, S390X_MODERN_FLOOR },    { 6, 1, S390X_BPF_FLOOR },  { 6, 1 } } },
};

#define SUPPORTED_ARCHES "x86_64, aarch64, ppc64le, riscv64, s390x"
#define KMOD_LOAD_CMD \
	"make -C drivers/kmod KDIR=/lib/modules/$(uname -r)/build && insmod drivers/kmod/scap.ko"

struct engine_row {
	const char *name;
	enum engine_id id;
	/* the features the decision reads (the others are not probed) */
	enum scap_feature needs[4];
	unsigned n_needs;
	/* what to use when this one cannot run, in order, where they are ported */
	enum engine_id instead[ENG_MAX - 1];
	unsigned n_instead;
};

/* Indexed by engine_id. */
static const struct engine_row engines[ENG_MAX] = {
	[ENG_MODERN_BPF] = { "modern_bpf", ENG_MODERN_BPF,
	  { SCAP_FEAT_BPF_PRIV, SCAP_FEAT_BTF, SCAP_FEAT_RINGBUF, SCAP_FEAT_TP_BTF }, 4,
	  { ENG_BPF, ENG_KMOD }, 2 },
	[ENG_BPF] = { "bpf", ENG_BPF,
	  { SCAP_FEAT_BPF_PRIV, SCAP_FEAT_RAW_TRACEPOINT, SCAP_FEAT_PERF_EVENT_ARRAY }, 3,
	  { ENG_KMOD }, 1 },
	[ENG_KMOD] = { "kmod", ENG_KMOD, { SCAP_FEAT_KMOD, SCAP_FEAT_MODULES }, 2, { ENG_MODERN_BPF, ENG_BPF }, 2 },
};

static const struct engine_row *engine_by_name(const char *name)
{
	for (size_t i = 0; name && i < sizeof(engines) / sizeof(engines[0]); i++)
		if (!strcmp(engines[i].name, name))
			return &engines[i];
	return NULL;
}

static const struct arch_row *arch_by_name(const char *arch)
{
	for (size_t i = 0; arch && i < sizeof(min_kernels) / sizeof(min_kernels[0]); i++)
		if (!strcmp(min_kernels[i].arch, arch))
			return &min_kernels[i];
	return NULL;
}

int scap_platform_min_kernel(const char *engine, const char *arch, struct scap_kernel_version *out)
{
	const struct engine_row *e = engine_by_name(engine);
	const struct arch_row *a = arch_by_name(arch);
	const struct min_kernel *m;

	if (!e || !a)
		return -ENOENT;
	m = &a->min[e->id];
	if (!m->major)
		return 0;
	if (out) {
		out->major = m->major;
		out->minor = m->minor;
		out->patch = 0;
	}
	return 1;
}

/* Sentences accumulate in the caller's buffer, truncated safely. */
struct reason {
	char *buf;
	size_t len, used;
	int err; /* the first failure's errno decides the return code */
	/* features no probe could tell about, on a kernel below the minimum */
	enum scap_feature unknown[SCAP_FEAT_MAX];
	unsigned n_unknown;
	/* "the bpf or kmod engine": the alternatives ported to this architecture */
	char instead[48];
};

static void say(struct reason *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct reason *r, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!r->err)
		r->err = err;
	if (!r->buf || r->used + 1 >= r->len)
		return;
	if (r->used) {
		r->buf[r->used++] = ' ';
		r->buf[r->used] = '\0';
	}
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->used, r->len - r->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->used += (size_t)n < r->len - r->used ? (size_t)n : r->len - r->used - 1;
}

static bool kernel_below(const struct scap_platform_facts *f, const struct scap_kernel_version *min)
{
	/* An unreadable release cannot vouch for anything. */
	return !f->kernel_known || scap_kernel_version_cmp(&f->kernel, min) < 0;
}

static const char *release_of(const struct scap_platform_facts *f)
{
	return f->kernel_known && f->release[0] ? f->release : "unknown";
}

/*
 * Names only engines with a port to the architecture: on riscv64 the eBPF
 * engines point at kmod alone.
 */
static void name_instead(struct reason *r, const struct engine_row *e, const char *arch)
{
	const struct arch_row *a = arch_by_name(arch);
	const char *names[ENG_MAX];
	unsigned n = 0;

	for (unsigned i = 0; i < e->n_instead; i++)
		if (a && a->min[e->instead[i]].major)
			names[n++] = engines[e->instead[i]].name;
	if (n == 0)
		snprintf(r->instead, sizeof(r->instead), "another kernel");
	else if (n == 1)
		snprintf(r->instead, sizeof(r->instead), "the %s engine", names[0]);
	else
		snprintf(r->instead, sizeof(r->instead), "the %s or %s engine", names[0], names[1]);
}

/*
 * A feature the engine needs: present passes, absent fails with `absent`,
 * unknown passes only on a kernel at or above the minimum.
 */
static void need(struct reason *r, const struct scap_platform_facts *f, const struct engine_row *e,
		 const struct scap_kernel_version *min, enum scap_feature feat, const char *absent)
{
	switch (f->feat[feat]) {
	case SCAP_FEAT_PRESENT:
		return;
	case SCAP_FEAT_ABSENT:
		/* absent ends in "use %s.": the alternatives ported here */
		say(r, EOPNOTSUPP, absent, r->instead);
		return;
	case SCAP_FEAT_UNKNOWN:
		if (kernel_below(f, min) && r->n_unknown < SCAP_FEAT_MAX)
			r->unknown[r->n_unknown++] = feat;
		return;
	}
}

/* One sentence for every feature the version had to decide, after the rest. */
static void say_unknown(struct reason *r, const struct scap_platform_facts *f,
			const struct engine_row *e, const struct scap_kernel_version *min)
{
	char names[128] = "";
	size_t used = 0;

	if (!r->n_unknown)
		return;
	for (unsigned i = 0; i < r->n_unknown; i++) {
		const char *sep = i == 0 ? "" : i + 1 == r->n_unknown ? " and " : ", ";
		int n = snprintf(names + used, sizeof(names) - used, "%s%s", sep,
				 scap_feature_name(r->unknown[i]));

		if (n < 0 || (size_t)n >= sizeof(names) - used)
			break;
		used += (size_t)n;
	}
	say(r, EOPNOTSUPP, "%s needs Linux %u.%u or newer on %s, this kernel is %s, and the %s %s "
	    "could not tell whether %s backported: use %s.", e->name, min->major, min->minor, f->arch,
	    release_of(f), names, r->n_unknown > 1 ? "probes" : "probe",
	    r->n_unknown > 1 ? "those features were" : "it was", r->instead);
}

static void need_bpf_priv(struct reason *r, const struct scap_platform_facts *f, const char *name)
{
	if (f->feat[SCAP_FEAT_BPF_PRIV] == SCAP_FEAT_PRESENT)
		return;
	say(r, EPERM, "%s needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load tracing eBPF "
	    "programs, and this process %s: run scap as root or grant it those capabilities.", name,
	    f->feat[SCAP_FEAT_BPF_PRIV] == SCAP_FEAT_ABSENT ? "has neither" : "could not read its capabilities");
	/* A host that allows unprivileged eBPF invites the question "why not me?". */
	if (f->unpriv_bpf_disabled == 0)
		say(r, EPERM, "(kernel.unprivileged_bpf_disabled=0 lets unprivileged users load socket "
		    "filters only, never tracing programs.)");
}

/* Privilege first: without it the other probes cannot tell (EPERM), and only
 * the version speaks for them. */
static void decide_modern_bpf(struct reason *r, const struct scap_platform_facts *f,
			      const struct engine_row *e, const struct scap_kernel_version *min)
{
	need_bpf_priv(r, f, e->name);
	need(r, f, e, min, SCAP_FEAT_BTF,
	     "modern_bpf needs kernel BTF, and /sys/kernel/btf/vmlinux is missing: use a kernel built "
	     "with CONFIG_DEBUG_INFO_BTF=y, or %s.");
	need(r, f, e, min, SCAP_FEAT_RINGBUF,
	     "modern_bpf needs BPF ring buffer maps (Linux 5.8, or a backport), and this kernel "
	     "cannot create one: use %s.");
	need(r, f, e, min, SCAP_FEAT_TP_BTF,
	     "modern_bpf needs tp_btf programs on sys_exit (Linux 5.5 with BTF, or a backport), and "
	     "this kernel cannot attach one: use %s.");
}

static void decide_bpf(struct reason *r, const struct scap_platform_facts *f,
		       const struct engine_row *e, const struct scap_kernel_version *min)
{
	need_bpf_priv(r, f, e->name);
	/*
	 * Without raw tracepoints (before 4.17) the engine runs on the
	 * raw_syscalls tracepoints instead, which every kernel from the
	 * minimum has: no probe answers for them (attaching one needs tracefs),
	 * the version does.
	 */
	if (f->feat[SCAP_FEAT_RAW_TRACEPOINT] == SCAP_FEAT_ABSENT) {
		if (kernel_below(f, min))
			say(r, EOPNOTSUPP, "bpf needs raw tracepoint programs (Linux 4.17), or Linux %u.%u "
			    "or newer on %s for its tracepoint mode, and this kernel is %s and cannot "
			    "attach raw tracepoints: use the kmod engine.", min->major, min->minor, f->arch,
			    release_of(f));
	} else {
		need(r, f, e, min, SCAP_FEAT_RAW_TRACEPOINT, "");
	}
	need(r, f, e, min, SCAP_FEAT_PERF_EVENT_ARRAY,
	     "bpf needs BPF perf event array maps, and this kernel cannot create one: use %s.");
	/*
	 * From 6.9 the verifier leaves an interpreted tail-calling program its
	 * own stack depth instead of the 512 bytes its tail-call targets run in
	 * (the interpreter gives them the caller's frame): a target with a deeper
	 * stack overwrites the interpreter's saved registers and the kernel oopses
	 * (seen with modern_bpf on s390x 6.12, docs/engines.md). modern_bpf claims
	 * the 512 bytes at load time; this engine's BTF-free object cannot (no
	 * load-time constants before 5.2), so it is refused there. Except on
	 * s390x, whose objects always claim them (Debian's s390x kernels have no
	 * JIT; drivers/bpf/scap_bpf_arch.h, SCAP_BPF_CLAIM_STACK).
	 */
	if ((f->bpf_jit == 0 || f->bpf_jit == -1) && f->kernel_known && strcmp(f->arch, "s390x") != 0 &&
	    scap_kernel_version_cmp(&f->kernel, &(struct scap_kernel_version){ 6, 9, 0 }) >= 0)
		say(r, EOPNOTSUPP, "bpf cannot run where Linux 6.9 or newer interprets eBPF (%s), as "
		    "this %s kernel does: its interpreter runs a tail call's target on the caller's "
		    "stack frame, which this engine's programs outgrow (a kernel crash). Enable the JIT "
		    "(sysctl -w net.core.bpf_jit_enable=1) or use %s.",
		    f->bpf_jit == 0 ? "net.core.bpf_jit_enable is 0" : "the kernel has no eBPF JIT",
		    release_of(f), r->instead);
}

static void decide_kmod(struct reason *r, const struct scap_platform_facts *f,
			const struct engine_row *e, const struct scap_kernel_version *min)
{
	/* No probe can vouch for an old kernel here: the module is verified
	 * (test/vm) on x86_64 from Ubuntu's 4.4; the other architectures keep
	 * 5.10, where the module started; a device on an older one is not ours. */
	if (kernel_below(f, min)) {
		say(r, EOPNOTSUPP, "kmod needs Linux %u.%u or newer on %s, and this kernel is %s: "
		    "use a newer kernel.", min->major, min->minor, f->arch, release_of(f));
		return;
	}
	switch (f->feat[SCAP_FEAT_KMOD]) {
	case SCAP_FEAT_PRESENT:
		if (f->kmod_api_version && scap_platform_kmod_api_expected() &&
		    f->kmod_api_version != scap_platform_kmod_api_expected()) {
			say(r, EPROTO, "kmod needs a scap module speaking API version %u, and the loaded "
			    "one speaks version %u: unload it (`rmmod scap`), then build and load this "
			    "version's with `" KMOD_LOAD_CMD "`.", scap_platform_kmod_api_expected(),
			    f->kmod_api_version);
			return;
		}
		if (!f->kmod_dev_accessible)
			say(r, EACCES, "kmod needs read and write access to " SCAP_KMOD_DEVICE
			    " (mode 0600, owned by root): run scap as root.");
		return;
	case SCAP_FEAT_ABSENT:
		/* Building and loading the module cannot help a kernel that loads none. */
		if (f->feat[SCAP_FEAT_MODULES] == SCAP_FEAT_ABSENT) {
			say(r, EOPNOTSUPP, "kmod needs the scap kernel module, and this kernel cannot load "
			    "modules: %s. Use %s, or boot a kernel that loads modules.",
			    f->modules_why[0] ? f->modules_why : "its module support is off", r->instead);
			return;
		}
		say(r, ENOENT, "kmod needs the scap kernel module, and " SCAP_KMOD_DEVICE " does not "
		    "exist: build and load it as root with `" KMOD_LOAD_CMD "`, or use %s.", r->instead);
		return;
	case SCAP_FEAT_UNKNOWN:
		say(r, EACCES, "kmod could not look for " SCAP_KMOD_DEVICE ": run scap as root.");
		return;
	}
}

typedef void (*decide_fn)(struct reason *, const struct scap_platform_facts *,
			  const struct engine_row *, const struct scap_kernel_version *);

static const decide_fn deciders[ENG_MAX] = {
	[ENG_MODERN_BPF] = decide_modern_bpf,
	[ENG_BPF] = decide_bpf,
	[ENG_KMOD] = decide_kmod,
};

int scap_platform_decide(const struct scap_platform_facts *f, const char *engine, char *reason, size_t len)
{
	const struct engine_row *e = engine_by_name(engine);
	struct reason r = { .buf = reason, .len = len };
	struct scap_kernel_version min;
	int have;

	if (reason && len)
		reason[0] = '\0';
	if (!e) {
		say(&r, EINVAL, "'%s' is not an engine with kernel requirements (known: modern_bpf, "
		    "bpf, kmod).", engine ? engine : "(null)");
		return -r.err;
	}
	have = scap_platform_min_kernel(e->name, f->arch, &min);
	if (have < 0) {
		say(&r, EOPNOTSUPP, "%s does not support the %s architecture (supported: "
		    SUPPORTED_ARCHES ").", e->name, f->arch);
		return -r.err;
	}
	if (have == 0) {
		name_instead(&r, e, f->arch);
		say(&r, EOPNOTSUPP, "%s has no port to %s: use %s.", e->name, f->arch, r.instead);
		return -r.err;
	}
	const char *floor = arch_by_name(f->arch)->min[e->id].floor;

	name_instead(&r, e, f->arch);

	if (floor && kernel_below(f, &min)) {
		say(&r, EOPNOTSUPP, "%s needs Linux %u.%u or newer on %s (%s), and this kernel is %s: "
		    "use %s.", e->name, min.major, min.minor, f->arch, floor, release_of(f), r.instead);
		return -r.err;
	}
	deciders[e->id](&r, f, e, &min);
	say_unknown(&r, f, e, &min);
	return r.err ? -r.err : 0;
}

int scap_platform_engine_check(const char *name, char *reason, size_t len)
{
	const struct engine_row *e = engine_by_name(name);
	bool needs[SCAP_FEAT_MAX] = { false };
	struct scap_platform_facts f;
	const char *oerr;

	if (reason && len)
		reason[0] = '\0';
	oerr = scap_platform_override_error();
	if (oerr) {
		if (reason && len)
			snprintf(reason, len, "%s", oerr);
		return -EINVAL;
	}
	if (e)
		for (unsigned i = 0; i < e->n_needs; i++)
			needs[e->needs[i]] = true;
	if (scap_platform_gather(&f, needs)) {
		/* The override changed between the two calls: report it. */
		oerr = scap_platform_override_error();
		if (reason && len)
			snprintf(reason, len, "%s", oerr ? oerr : "SCAP_PROBE_OVERRIDE was rejected.");
		return -EINVAL;
	}
	return scap_platform_decide(&f, name, reason, len);
}
