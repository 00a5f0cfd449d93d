// SPDX-License-Identifier: Apache-2.0
/*
 * Live settings (include/scap/scap.h, "live settings"): the new configuration
 * is the one in force with one setting changed, validated as scap_open
 * validates it, and handed to the engine, which switches its kernel side in
 * one step. Read, change and switch happen under h->lock, so that two calls
 * on different threads cannot undo each other, and apart from the stats
 * calls and close; the reader goes on meanwhile.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "handle.h"

enum setting { SET_SYSCALLS, SET_SNAPLEN, SET_PID };

struct change {
	enum setting what;
	const char *name;               /* the public function, for messages */
	const char *const *syscalls;
	unsigned snaplen;
	int32_t pid;
};

/* The configuration in force with c applied. 0, or -EINVAL with the reason in err. */
static int changed(const struct scap *h, const struct change *c, struct scap_engine_config *cfg, char *err,
		   size_t errlen)
{
	*cfg = h->cfg;
	switch (c->what) {
	case SET_SYSCALLS:
		return scap__resolve_syscalls(cfg, c->syscalls, err, errlen);
	case SET_SNAPLEN:
		cfg->snaplen = c->snaplen ? c->snaplen : SCAP_DEFAULT_SNAPLEN;
		return 0;
	case SET_PID:
		cfg->pid = c->pid;
		/* As at open: a filter that matches nothing would capture nothing, silently. */
		return c->pid ? scap__check_pid(c->pid, err, errlen) : 0;
	}
	return -EINVAL;
}

static int apply(struct scap *h, const struct change *c)
{
	struct scap_engine_config cfg;
	char err[SCAP_ERRBUF_SIZE] = "";
	int r;

	pthread_mutex_lock(&h->lock);
	r = changed(h, c, &cfg, err, sizeof(err));
	if (r == 0 && !h->ops->reconfigure) {
		r = -ENOTSUP;
		snprintf(err, sizeof(err),
			 "engine %s cannot change its settings while it runs (it replays recorded or generated "
			 "events): open it again with the new options", h->ops->name);
	} else if (r == 0) {
		scap__clrerr(h);
		r = h->ops->reconfigure(h->state, &cfg);
		if (r == 0) {
			h->cfg = cfg;
			/* The normalized options say what is in force (a capture file's header records it). */
			h->opts.snaplen = cfg.snaplen;
			h->opts.pid = cfg.pid;
		}
		else if (scap__haserr(h))
			snprintf(err, sizeof(err), "%s; the previous setting stays in force", scap_last_error(h));
		else
			snprintf(err, sizeof(err), "engine %s failed (%s); the previous setting stays in force",
				 h->ops->name, scap_errno_name(r) ? scap_errno_name(r) : "?");
	}
	pthread_mutex_unlock(&h->lock);
	return r < 0 ? scap__seterr(h, r, "%s: %s", c->name, err) : 0;
}

int scap_set_syscalls(struct scap *h, const char *const *syscalls)
{
	struct change c = { .what = SET_SYSCALLS, .name = "scap_set_syscalls", .syscalls = syscalls };

	return h ? apply(h, &c) : -EINVAL;
}

int scap_set_snaplen(struct scap *h, unsigned snaplen)
{
	struct change c = { .what = SET_SNAPLEN, .name = "scap_set_snaplen", .snaplen = snaplen };

	if (!h)
		return -EINVAL;
	if (snaplen > SCAP_MAX_SNAPLEN)
		return scap__seterr(h, -EINVAL, "scap_set_snaplen: %u is too large: the snaplen is 1..%u (0: %u)",
				    snaplen, SCAP_MAX_SNAPLEN, SCAP_DEFAULT_SNAPLEN);
	return apply(h, &c);
}

int scap_set_pid_filter(struct scap *h, int32_t pid)
{
	struct change c = { .what = SET_PID, .name = "scap_set_pid_filter", .pid = pid };

	if (!h)
		return -EINVAL;
	if (pid < 0)
		return scap__seterr(h, -EINVAL, "scap_set_pid_filter: %d is not a process id (0: every process)",
				    (int)pid);
	return apply(h, &c);
}
