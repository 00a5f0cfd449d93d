// SPDX-License-Identifier: Apache-2.0
/*
 * scap_open: options (sized, defaulted, validated), syscall selection, and
 * engine choice, by name or "auto" with a report of every candidate.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"
#include "scap/common/arch.h"
#include "proc/track.h"

#define DEFAULT_BUFFER_BYTES (8u << 20)
#define MIN_BUFFER_BYTES SCAP_MIN_BUFFER_BYTES
#define MAX_BUFFER_BYTES SCAP_MAX_BUFFER_BYTES
#define MAX_CPUS_PER_BUFFER 4096u
#define MAX_SYSCALL_NAMES 4096u
#define DEFAULT_PAIRING_PENDING 65536u
/*
 * A thread has at most one pending enter, and Linux has at most
 * PID_MAX_LIMIT (2^22) threads: more pending enters cannot be used. The same
 * limit bounds a process id.
 */
#define MAX_PAIRING_PENDING 4194304u
#define MAX_PID 4194304
#define DEFAULT_SYNTHETIC_CPUS 4u

/* Every engine scap knows, built in or not, to tell "unknown" from "not built". */
static const struct {
	const char *name;
	const char *build_option;
} known_engines[] = {
	{ "modern_bpf", "SCAP_WITH_MODERN_BPF" },
	{ "bpf", "SCAP_WITH_BPF" },
	{ "kmod", "SCAP_WITH_KMOD" },
	{ "savefile", NULL },
	{ "synthetic", NULL },
};

static const char *const default_auto_order[] = { "modern_bpf", "bpf", "kmod", NULL };

__attribute__((format(printf, 4, 5)))
static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

static int known_engine(const char *name)
{
	unsigned i;

	for (i = 0; i < sizeof(known_engines) / sizeof(known_engines[0]); i++)
		if (strcmp(known_engines[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* "auto, modern_bpf, bpf, synthetic": what this build accepts. */
static void valid_names(char *buf, size_t len)
{
	const struct scap_engine_ops *const *e;
	size_t off;

	off = (size_t)snprintf(buf, len, "auto");
	for (e = scap_builtin_engines; *e && off < len; e++)
		off += (size_t)snprintf(buf + off, len - off, ", %s", (*e)->name);
}

/* Why engine `name` cannot be opened by name, or 0 when it is built in. */
static int engine_missing(const char *name, char *err, size_t errlen)
{
	char names[256];
	int k;

	if (scap_engine_find(name))
		return 0;
	valid_names(names, sizeof(names));
	k = known_engine(name);
	if (k >= 0 && known_engines[k].build_option)
		return fail(err, errlen, -ENOENT,
			    "engine \"%s\" is not built into this library (rebuild with -D%s=ON); valid names: %s",
			    name, known_engines[k].build_option, names);
	if (k >= 0)
		return fail(err, errlen, -ENOENT,
			    "engine \"%s\" is not built into this library; valid names: %s", name, names);
	return fail(err, errlen, -ENOENT, "unknown engine \"%s\": valid names are %s", name, names);
}

/*
 * Copies the caller's options into a full-size struct: fields past the
 * caller's sz keep their zero (default), and a caller built against a newer
 * header may pass a bigger struct as long as what we do not know is zero.
 */
static int opts_load(struct scap_open_opts *o, const struct scap_open_opts *in, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	if (in) {
		size_t sz = in->sz;

		if (sz < sizeof(in->sz))
			return fail(err, errlen, -EINVAL,
				    "invalid options: sz is %zu; set .sz = sizeof(struct scap_open_opts)", sz);
		if (sz > sizeof(*o)) {
			const unsigned char *tail = (const unsigned char *)in + sizeof(*o);
			size_t i;

			for (i = 0; i < sz - sizeof(*o); i++)
				if (tail[i])
					return fail(err, errlen, -EINVAL,
						    "invalid options: the struct has %zu bytes and sets fields this "
						    "library does not know (it knows %zu); use a newer libscap",
						    sz, sizeof(*o));
			sz = sizeof(*o);
		}
		memcpy(o, in, sz);
	}
	o->sz = sizeof(*o);
	if (!o->buffer_bytes)
		o->buffer_bytes = DEFAULT_BUFFER_BYTES;
	if (!o->cpus_per_buffer)
		o->cpus_per_buffer = 1;
	if (!o->snaplen)
		o->snaplen = SCAP_DEFAULT_SNAPLEN;
	if (!o->pairing_max_pending)
		o->pairing_max_pending = DEFAULT_PAIRING_PENDING;
	if (!o->synthetic_seed)
		o->synthetic_seed = 1;
	if (!o->synthetic_cpus)
		o->synthetic_cpus = DEFAULT_SYNTHETIC_CPUS;

	if (o->buffer_bytes < MIN_BUFFER_BYTES || o->buffer_bytes > MAX_BUFFER_BYTES)
		return fail(err, errlen, -EINVAL,
			    "invalid option buffer_bytes=%zu: must be between %u (4 KiB) and %u (1 GiB)",
			    o->buffer_bytes, MIN_BUFFER_BYTES, MAX_BUFFER_BYTES);
	if (o->snaplen > SCAP_MAX_SNAPLEN)
		return fail(err, errlen, -EINVAL, "invalid option snaplen=%u: must be between 1 and %u",
			    o->snaplen, SCAP_MAX_SNAPLEN);
	if (o->cpus_per_buffer > MAX_CPUS_PER_BUFFER)
		return fail(err, errlen, -EINVAL, "invalid option cpus_per_buffer=%u: must be between 1 and %u",
			    o->cpus_per_buffer, MAX_CPUS_PER_BUFFER);
	if (o->pid < 0 || o->pid > MAX_PID)
		return fail(err, errlen, -EINVAL,
			    "invalid option pid=%d: must be a process id (1..%d), or 0 for all", (int)o->pid, MAX_PID);
	if (o->pairing_max_pending > MAX_PAIRING_PENDING)
		return fail(err, errlen, -EINVAL,
			    "invalid option pairing_max_pending=%u: must be between 1 and %u (one pending enter "
			    "per thread, and Linux has at most %u threads), or 0 for %u", o->pairing_max_pending,
			    MAX_PAIRING_PENDING, MAX_PAIRING_PENDING, DEFAULT_PAIRING_PENDING);
	return 0;
}

int scap__resolve_syscalls(struct scap_engine_config *cfg, const char *const *names, char *err, size_t errlen)
{
	unsigned i;

	if (!names) {
		cfg->all_syscalls = true;
		memset(cfg->selected, 1, sizeof(cfg->selected));
		cfg->procexit = true;
		return 0;
	}
	cfg->all_syscalls = false;
	cfg->procexit = false;
	memset(cfg->selected, 0, sizeof(cfg->selected));
	if (!names[0])
		return fail(err, errlen, -EINVAL,
			    "invalid option syscalls: the list is empty; pass NULL to capture every syscall");
	for (i = 0; names[i]; i++) {
		int nr;

		if (i >= MAX_SYSCALL_NAMES)
			return fail(err, errlen, -EINVAL,
				    "invalid option syscalls: more than %u names (is the list NULL-terminated?)",
				    MAX_SYSCALL_NAMES);
		if (strcmp(names[i], scap_event_info(SCAP_EV_PROCEXIT_E)->name) == 0) {
			cfg->procexit = true;
			continue;
		}
		nr = scap_syscall_nr(names[i]);
		if (nr < 0)
			return fail(err, errlen, -EINVAL,
				    "invalid option syscalls: unknown syscall \"%s\" (use " SCAP_ARCH_NAME
				    " syscall names such as openat, or procexit for the end of every thread)",
				    names[i]);
		cfg->selected[nr] = 1;
	}
	return 0;
}

/*
 * A live engine's pid filter keeps the events of one running process (its
 * thread group): a pid that names nothing, or a thread, would match nothing
 * and the capture would wait forever.
 */
int scap__check_pid(int32_t pid, char *err, size_t errlen)
{
	char path[64], line[128];
	long tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		/* No /proc here: kill(0) still tells (EPERM: it exists, not ours). */
		if (errno != ENOENT && (kill(pid, 0) == 0 || errno == EPERM))
			return 0;
		return fail(err, errlen, -ESRCH,
			    "invalid option pid=%d: no process has this id (it may have exited), so the "
			    "pid filter would match nothing: give the id of a running process",
			    (int)pid);
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %ld", &tgid) == 1)
			break;
	fclose(f);
	if (tgid > 0 && tgid != pid)
		return fail(err, errlen, -EINVAL,
			    "invalid option pid=%d: %d is a thread of process %ld, and the pid filter "
			    "keeps whole processes: use %ld",
			    (int)pid, (int)pid, tgid, tgid);
	return 0;
}

static struct scap *handle_new(void)
{
	struct scap *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	scap_bufset_init(&h->bufs);
	if (scap__threads_init(h) < 0) {
		free(h);
		return NULL;
	}
	return h;
}

/* Init one engine into h. On failure, h holds no engine and err says why. */
static int try_init(struct scap *h, const struct scap_engine_ops *ops, char *err, size_t errlen)
{
	void *state = NULL;
	int r;

	scap_bufset_free(&h->bufs);
	memset(&h->ctx, 0, sizeof(h->ctx));
	h->ctx.bufs = &h->bufs;
	h->ctx.err = err;
	h->ctx.errlen = errlen;
	h->ctx.log = h->opts.log;
	h->ctx.log_ctx = h->opts.log_ctx;
	h->ctx.core = h;
	h->ctx.wake_fd = h->wake_fd;
	if (err && errlen)
		err[0] = '\0';
	r = ops->init(&h->ctx, &h->cfg, &state);
	if (r < 0) {
		if (err && errlen && !err[0])
			snprintf(err, errlen, "init returned %d (%s) without a message", r,
				 scap_errno_name(r) ? scap_errno_name(r) : "?");
		scap_bufset_free(&h->bufs);
		return r;
	}
	if (!ops->next && h->bufs.n == 0) {
		ops->close(state);
		scap_bufset_free(&h->bufs);
		return fail(err, errlen, -EPROTO, "engine %s set up no buffers (a bug in the engine)", ops->name);
	}
	h->ops = ops;
	h->state = state;
	h->bufs.live_clock = (ops->flags & SCAP_ENGINE_F_BOOTTIME) != 0;
	scap_filter_init(&h->filter, &h->cfg);
	h->core_filter = !(ops->flags & SCAP_ENGINE_F_LIVE) && scap_filter_active(&h->filter);
	/* From here on, engine messages go to scap_last_error. */
	h->ctx.err = NULL;
	h->ctx.errlen = 0;
	return 0;
}

static bool in_order(const char *const *order, const char *name)
{
	for (; *order; order++)
		if (strcmp(*order, name) == 0)
			return true;
	return false;
}

/*
 * What to do when no engine of the order works, fitting the causes: live
 * engines left out of the order that work here; else privileges, when a
 * candidate failed for want of them; else each candidate's own reason, which
 * already says what it needs.
 */
static void auto_advice(const char *const *order, bool privileges, char *buf, size_t len)
{
	const struct scap_engine_ops *const *e;
	const char *usable[8];
	char why[SCAP_ERRBUF_SIZE];
	unsigned n = 0;

	for (e = scap_builtin_engines; *e && n < 8; e++) {
		if (!((*e)->flags & SCAP_ENGINE_F_LIVE) || in_order(order, (*e)->name))
			continue;
		if ((*e)->probe && (*e)->probe(why, sizeof(why)) < 0)
			continue;
		usable[n++] = (*e)->name;
	}
	if (n) {
		char names[128];
		size_t off = 0;

		for (unsigned i = 0; i < n && off < sizeof(names); i++)
			off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s",
						i == 0 ? "" : i + 1 == n ? " and " : ", ", usable[i]);
		snprintf(buf, len, "%s %s usable here but not in the engine order: add %s, or leave the "
			 "order unset for the default (modern_bpf, bpf, kmod)", names, n > 1 ? "are" : "is",
			 n > 1 ? "one of them" : "it");
	} else if (privileges)
		snprintf(buf, len, "run as root (or with the privileges each engine above names)");
	else
		snprintf(buf, len, "each engine's reason above says what it needs; `scap engines` shows "
			 "every engine's status");
}

static int open_auto(struct scap *h, char *err, size_t errlen)
{
	const char *const *order = h->opts.engine_order ? h->opts.engine_order : default_auto_order;
	char why[SCAP_ERRBUF_SIZE];
	bool privileges = false;
	unsigned i;
	int r;

	for (i = 0; order[i]; i++) {
		if (strcmp(order[i], "auto") == 0 || known_engine(order[i]) < 0)
			return fail(err, errlen, -EINVAL,
				    "invalid option engine_order: unknown engine \"%s\" at position %u",
				    order[i], i);
	}
	if (i == 0)
		return fail(err, errlen, -EINVAL,
			    "invalid option engine_order: the list is empty; pass NULL for the default order");

	for (i = 0; order[i]; i++) {
		const struct scap_engine_ops *ops = scap_engine_find(order[i]);

		if (!ops) {
			scap_text_appendf(&h->report, "%s: skipped because it is not built into this library",
					  order[i]);
			continue;
		}
		why[0] = '\0';
		if (ops->probe && (r = ops->probe(why, sizeof(why))) < 0) {
			privileges |= r == -EPERM || r == -EACCES;
			scap_text_appendf(&h->report, "%s: skipped because %s", ops->name,
					  why[0] ? why : "its probe said no");
			continue;
		}
		r = try_init(h, ops, why, sizeof(why));
		if (r < 0) {
			privileges |= r == -EPERM || r == -EACCES;
			scap_text_appendf(&h->report, "%s: failed because %s (%s)", ops->name, why,
					  scap_errno_name(r) ? scap_errno_name(r) : "?");
			continue;
		}
		scap_text_appendf(&h->report, "%s: chosen", ops->name);
		for (i++; order[i]; i++)
			scap_text_appendf(&h->report, "%s: not tried", order[i]);
		return 0;
	}
	auto_advice(order, privileges, why, sizeof(why));
	return fail(err, errlen, -ENOTSUP, "no capture engine works on this host:\n%swhat to do: %s",
		    h->report.s ? h->report.s : "", why);
}

static int open_named(struct scap *h, const char *name, char *err, size_t errlen)
{
	const struct scap_engine_ops *ops = scap_engine_find(name);
	char why[SCAP_ERRBUF_SIZE];
	int r;

	r = engine_missing(name, err, errlen);
	if (r < 0)
		return r;
	why[0] = '\0';
	if (ops->probe && (r = ops->probe(why, sizeof(why))) < 0) {
		/* scap.h promises -EPERM for privileges and -ENOTSUP for the rest. */
		r = r == -EPERM || r == -EACCES ? -EPERM : -ENOTSUP;
		return fail(err, errlen, r, "engine %s cannot work on this host: %s", name,
			    why[0] ? why : "its probe said no");
	}
	r = try_init(h, ops, why, sizeof(why));
	if (r < 0)
		return fail(err, errlen, r, "engine %s failed to open: %s", name, why);
	return 0;
}

/*
 * THE PAIRING STAGE plugs in here (issue 7, scap/pairing.c): unless
 * h->opts.unpaired, fill h->stage (see handle.h). Without a stage every
 * event, enter rows included, is delivered as it comes.
 */
static int setup_stage(struct scap *h, char *err, size_t errlen)
{
	if (h->opts.unpaired || h->ctx.events_paired)
		return 0;
	if (scap__pairing_stage(&h->stage, h->opts.pairing_max_pending) < 0)
		return fail(err, errlen, -ENOMEM, "scap_open: out of memory for the pairing stage");
	return 0;
}

int scap_open(struct scap **out, const char *engine, const struct scap_open_opts *opts,
	      char *err, size_t errlen)
{
	char scratch[SCAP_ERRBUF_SIZE];
	struct scap *h;
	int r;

	if (!err || !errlen) {
		err = scratch;
		errlen = sizeof(scratch);
	}
	err[0] = '\0';
	if (!out)
		return fail(err, errlen, -EINVAL, "scap_open: out is NULL");
	*out = NULL;
	if (!engine)
		engine = "auto";
	h = handle_new();
	if (!h)
		return fail(err, errlen, -ENOMEM, "scap_open: out of memory (or of file descriptors: %s)",
			    strerror(errno));
	r = opts_load(&h->opts, opts, err, errlen);
	if (r < 0)
		goto out_free;
	h->cfg.buffer_bytes = h->opts.buffer_bytes;
	h->cfg.cpus_per_buffer = h->opts.cpus_per_buffer;
	h->cfg.snaplen = h->opts.snaplen;
	h->cfg.pid = h->opts.pid;
	h->cfg.opts = &h->opts;
	r = scap__resolve_syscalls(&h->cfg, h->opts.syscalls, err, errlen);
	if (r < 0)
		goto out_free;
	/* The process table adds the rows it needs to the selection (scap/proc/track.h). */
	r = scap__proc_open(h, err, errlen);
	if (r < 0)
		goto out_free;

	/* A file to replay with a live engine would be ignored: say so rather than capture live. */
	if (h->opts.savefile_path && strcmp(engine, "savefile") != 0) {
		r = fail(err, errlen, -EINVAL,
			 "invalid option savefile_path=%s: only the savefile engine replays a file, and engine \"%s\" "
			 "was asked for: open \"savefile\" to replay it, or leave savefile_path out to capture live",
			 h->opts.savefile_path, engine);
		goto out_free;
	}
	if (h->opts.pid && (strcmp(engine, "auto") == 0 ||
			    (scap_engine_find(engine) && (scap_engine_find(engine)->flags & SCAP_ENGINE_F_LIVE)))) {
		r = scap__check_pid(h->opts.pid, err, errlen);
		if (r < 0)
			goto out_free;
	}
	if (strcmp(engine, "auto") == 0)
		r = open_auto(h, err, errlen);
	else
		r = open_named(h, engine, err, errlen);
	if (r < 0)
		goto out_free;
	r = setup_stage(h, err, errlen);
	if (r < 0)
		goto out_close;
	scap__wallclock_init(h);
	scap__proc_engine_ready(h);
	/* The caller's pointers (syscalls, engine_order, paths) are not ours to keep. */
	h->opts.syscalls = NULL;
	h->opts.engine_order = NULL;
	h->opts.savefile_path = NULL;
	if (h->opts.log) {
		char msg[128];

		snprintf(msg, sizeof(msg), "engine %s opened", h->ops->name);
		h->opts.log(SCAP_LOG_INFO, msg, h->opts.log_ctx);
	}
	/* A message this thread kept for a closed handle at the same address is not ours. */
	scap__clrerr(h);
	*out = h;
	return 0;

out_close:
	h->ops->close(h->state);
out_free:
	scap__proc_close(h);
	scap_bufset_free(&h->bufs);
	scap_text_free(&h->report);
	scap_text_free(&h->warnings);
	scap__threads_fini(h);
	free(h);
	return r;
}

int scap_engine_probe(const char *name, char *reason, size_t len)
{
	const struct scap_engine_ops *ops;
	int r;

	if (reason && len)
		reason[0] = '\0';
	if (!name)
		return fail(reason, len, -EINVAL, "no engine name");
	ops = scap_engine_find(name);
	if (!ops)
		return engine_missing(name, reason, len);
	if (!ops->probe)
		return 0;
	r = ops->probe(reason, len);
	/* -ENOENT means "unknown engine" here; a missing device or file is -ENODEV. */
	return r == -ENOENT ? -ENODEV : r;
}
