// SPDX-License-Identifier: Apache-2.0
/*
 * The kmod engine: opens /dev/scap (the scap kernel module, drivers/kmod/),
 * refuses a module built from another API or schema, configures it, and maps
 * one ring per CPU into the core's buffer set. Waiting is poll() on the
 * device; the module wakes readers in batches.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine.h"
#include "kmod_ring.h"
#include "platform/platform.h"
#include "scap/common/schema.h"

#define KMOD_BUILD_CMD                                                                    \
	"make -C drivers/kmod KDIR=/lib/modules/$(uname -r)/build && "                    \
	"insmod drivers/kmod/scap.ko"

struct kmod_engine {
	int fd;
	struct scap_kmod_info info;
	struct scap_kmod_ring *rings;
	unsigned nrings;
	bool capture_self;  /* opts.capture_self: keep the consumer thread's own syscalls */
	int32_t self_tid;   /* the thread the module leaves out, 0 = none */
	int wake_fd;        /* the core's: readable when the handle is being closed */
	struct scap_engine_ctx *ctx;
	/* What the module was last told (apply_settings sends only what changes). */
	bool applied;
	struct scap_kmod_syscalls sel;
	uint32_t snaplen;
	int32_t pid;
};

static __thread int32_t reader_tid;

/*
 * Leaves out the consumer thread (the one that opened the handle, then the
 * one that last called scap_next), as the other live engines do, unless
 * opts.capture_self: a consumer that writes out what it reads would
 * otherwise capture itself without end. One ioctl when the thread changes.
 */
static int set_self(struct kmod_engine *e)
{
	if (e->capture_self)
		return 0;
	if (!reader_tid)
		reader_tid = (int32_t)syscall(SYS_gettid);
	if (reader_tid == e->self_tid)
		return 0;
	if (ioctl(e->fd, SCAP_KMOD_IOC_SET_SELF_TID, &reader_tid) < 0)
		return -errno;
	e->self_tid = reader_tid;
	return 0;
}

static int kmod_probe(char *reason, size_t len)
{
	return scap_platform_engine_check("kmod", reason, len);
}

static int open_device(struct scap_engine_ctx *ctx)
{
	int fd = open(SCAP_KMOD_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	int err = errno;

	if (fd >= 0)
		return fd;
	switch (err) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		scap_engine_errf(ctx, "kmod: %s does not exist: the scap kernel module is not loaded; "
				 "build and load it as root with `" KMOD_BUILD_CMD "`",
				 SCAP_KMOD_DEVICE_PATH);
		return -ENOTSUP;
	case EBUSY:
		scap_engine_errf(ctx, "kmod: %s is already open by another capture (the module serves "
				 "one at a time): close it first", SCAP_KMOD_DEVICE_PATH);
		return -EBUSY;
	case EACCES:
	case EPERM:
		scap_engine_errf(ctx, "kmod: no permission to open %s (mode 0600): run as root",
				 SCAP_KMOD_DEVICE_PATH);
		return -EPERM;
	case ENOMEM:
		scap_engine_errf(ctx, "kmod: the module could not allocate its per-CPU rings: reload it "
				 "with a smaller buffer_bytes (insmod scap.ko buffer_bytes=...)");
		return -ENOMEM;
	default:
		scap_engine_errf(ctx, "kmod: cannot open %s: %s", SCAP_KMOD_DEVICE_PATH, strerror(err));
		return -err;
	}
}

static int check_versions(struct scap_engine_ctx *ctx, const struct scap_kmod_info *i)
{
	if (i->api_version == SCAP_KMOD_API_VERSION && i->layout_version == SCAP_EVENT_LAYOUT_VERSION &&
	    i->ev_max == SCAP_EV_MAX && i->nr_syscalls == SCAP_NR_SYSCALLS)
		return 0;
	scap_engine_errf(ctx,
			 "kmod: the loaded scap module does not match this library (module: API %u, "
			 "event layout %u, %u event types; library: API %u, event layout %u, %u event "
			 "types): unload it (rmmod scap) and load the module built from this source "
			 "tree (`" KMOD_BUILD_CMD "`)",
			 i->api_version, i->layout_version, i->ev_max, SCAP_KMOD_API_VERSION,
			 SCAP_EVENT_LAYOUT_VERSION, (unsigned)SCAP_EV_MAX);
	return -EPROTO;
}

/*
 * Selection, snaplen and pid filter, at open and while capturing
 * (scap_set_*): the module applies each ioctl at one instant (the selection
 * is double-buffered there), so only what changed is sent.
 */
static int apply_settings(struct kmod_engine *e, struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg)
{
	struct scap_kmod_syscalls sel;
	uint32_t snaplen = cfg->snaplen;
	int32_t pid = cfg->pid;

	memset(&sel, 0, sizeof(sel));
	for (unsigned nr = 0; nr < SCAP_NR_SYSCALLS; nr++)
		if (cfg->all_syscalls || cfg->selected[nr])
			sel.bitmap[nr / 8] |= (uint8_t)(1u << (nr % 8));
	sel.kevents = cfg->procexit ? SCAP_KMOD_KEV_PROCEXIT : 0;
	if ((!e->applied || memcmp(&sel, &e->sel, sizeof(sel))) && ioctl(e->fd, SCAP_KMOD_IOC_SET_SYSCALLS, &sel) < 0) {
		/* The selection holds; a sched tracepoint it needs is missing from this kernel. */
		if (errno == ENOENT) {
			SCAP_COUNT_ADD(ctx->attach_failures, 1);
			scap_engine_warnf(ctx, "kmod: the module found no sched_process_exit or sched_process_exec "
					  "tracepoint: procexit events are not captured, and execve's old_tid is "
					  "the leader's after a non-leader thread's exec");
		} else {
			scap_engine_errf(ctx, "kmod: selecting syscalls failed: %s", strerror(errno));
			return -errno;
		}
	}
	e->sel = sel;
	if ((!e->applied || snaplen != e->snaplen) && ioctl(e->fd, SCAP_KMOD_IOC_SET_SNAPLEN, &snaplen) < 0) {
		scap_engine_errf(ctx, "kmod: setting snaplen %u failed: %s", snaplen, strerror(errno));
		return -errno;
	}
	e->snaplen = snaplen;
	if ((!e->applied || pid != e->pid) && ioctl(e->fd, SCAP_KMOD_IOC_SET_PID, &pid) < 0) {
		scap_engine_errf(ctx, "kmod: setting the pid filter %d failed: %s", pid, strerror(errno));
		return -errno;
	}
	e->pid = pid;
	e->applied = true;
	return 0;
}

static int kmod_reconfigure(void *state, const struct scap_engine_config *cfg)
{
	struct kmod_engine *e = state;

	return apply_settings(e, e->ctx, cfg);
}

static int configure(struct kmod_engine *e, struct scap_engine_ctx *ctx,
		     const struct scap_engine_config *cfg)
{
	int err = apply_settings(e, ctx, cfg);

	if (err)
		return err;
	e->capture_self = cfg->opts &&
			  cfg->opts->sz >= offsetof(struct scap_open_opts, capture_self) +
						   sizeof(cfg->opts->capture_self) &&
			  cfg->opts->capture_self;
	if (set_self(e) < 0) {
		scap_engine_errf(ctx, "kmod: leaving out the consumer thread failed: %s", strerror(errno));
		return -errno;
	}
	if (cfg->buffer_bytes != e->info.buffer_bytes)
		scap_engine_warnf(ctx,
				  "kmod: rings are %u bytes per CPU, fixed when the module was loaded "
				  "(insmod scap.ko buffer_bytes=N); the requested %zu bytes do not apply",
				  e->info.buffer_bytes, cfg->buffer_bytes);
	if (cfg->cpus_per_buffer > 1)
		scap_engine_warnf(ctx, "kmod: the module keeps one ring per CPU; cpus_per_buffer=%u "
				  "does not apply", cfg->cpus_per_buffer);
	return 0;
}

static int map_rings(struct kmod_engine *e, struct scap_engine_ctx *ctx)
{
	e->rings = calloc(e->info.nr_cpu_ids, sizeof(*e->rings));
	if (!e->rings) {
		scap_engine_errf(ctx, "kmod: out of memory");
		return -ENOMEM;
	}
	for (unsigned cpu = 0; cpu < e->info.nr_cpu_ids; cpu++) {
		struct scap_kmod_ring *r = &e->rings[e->nrings];
		int err = scap_kmod_ring_map(r, e->fd, (int)cpu, e->info.page_size, e->info.buffer_bytes);

		if (err == -ENXIO)
			continue; /* not a possible CPU: no ring */
		if (err) {
			scap_engine_errf(ctx, "kmod: mapping the ring of CPU %u (%u bytes, twice) failed: %s",
					 cpu, e->info.buffer_bytes, strerror(-err));
			return err;
		}
		e->nrings++;
		err = scap_bufset_add(ctx->bufs, &r->buf);
		if (err) {
			scap_engine_errf(ctx, "kmod: out of memory");
			return err;
		}
	}
	if (!e->nrings) {
		scap_engine_errf(ctx, "kmod: the module offers no ring for any of %u CPU ids",
				 e->info.nr_cpu_ids);
		return -ENODEV;
	}
	return 0;
}

static void kmod_close(void *state)
{
	struct kmod_engine *e = state;

	if (!e)
		return;
	for (unsigned i = 0; i < e->nrings; i++)
		scap_kmod_ring_unmap(&e->rings[i]);
	free(e->rings);
	/* The last close detaches the probes and frees the rings in the module. */
	if (e->fd >= 0)
		close(e->fd);
	free(e);
}

static int kmod_init(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg, void **state)
{
	struct kmod_engine *e;
	int err;

	e = calloc(1, sizeof(*e));
	if (!e) {
		scap_engine_errf(ctx, "kmod: out of memory");
		return -ENOMEM;
	}
	e->wake_fd = ctx->wake_fd;
	e->ctx = ctx;
	e->fd = open_device(ctx);
	if (e->fd < 0) {
		err = e->fd;
		goto fail;
	}
	if (ioctl(e->fd, SCAP_KMOD_IOC_INFO, &e->info) < 0) {
		err = -errno;
		scap_engine_errf(ctx, "kmod: %s does not answer the scap info request (%s): is it the "
				 "scap module? reload it with `" KMOD_BUILD_CMD "`",
				 SCAP_KMOD_DEVICE_PATH, strerror(errno));
		goto fail;
	}
	err = check_versions(ctx, &e->info);
	if (err)
		goto fail;
	err = configure(e, ctx, cfg);
	if (err)
		goto fail;
	err = map_rings(e, ctx);
	if (err)
		goto fail;
	*state = e;
	return 0;
fail:
	kmod_close(e);
	return err;
}

static int kmod_start(void *state)
{
	struct kmod_engine *e = state;

	return ioctl(e->fd, SCAP_KMOD_IOC_START) < 0 ? -errno : 0;
}

static int kmod_stop(void *state)
{
	struct kmod_engine *e = state;

	return ioctl(e->fd, SCAP_KMOD_IOC_STOP) < 0 ? -errno : 0;
}

static void kmod_reader_changed(void *state)
{
	set_self(state); /* best effort: on failure the old thread stays left out */
}

static int kmod_wait(void *state, int timeout_ms)
{
	struct kmod_engine *e = state;
	struct pollfd p[2] = { { .fd = e->fd, .events = POLLIN }, { .fd = e->wake_fd, .events = POLLIN } };

	if (poll(p, e->wake_fd >= 0 ? 2 : 1, timeout_ms) < 0)
		return errno == EINTR ? -EINTR : -errno;
	return 0;
}

static int kmod_stats(void *state)
{
	struct kmod_engine *e = state;

	for (unsigned i = 0; i < e->nrings; i++)
		scap_kmod_ring_stats(&e->rings[i]);
	return 0;
}

const struct scap_engine_ops scap_engine_kmod = {
	.name = "kmod",
	.flags = SCAP_ENGINE_F_BOOTTIME | SCAP_ENGINE_F_LIVE,
	.description = "kernel module: tracepoint probes, per-CPU rings mmapped from /dev/scap",
	.probe = kmod_probe,
	.init = kmod_init,
	.start = kmod_start,
	.stop = kmod_stop,
	.wait = kmod_wait,
	.reader_changed = kmod_reader_changed,
	.stats = kmod_stats,
	.reconfigure = kmod_reconfigure,
	.close = kmod_close,
};
