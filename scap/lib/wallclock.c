// SPDX-License-Identifier: Apache-2.0
/*
 * Event timestamps count nanoseconds since the producing host booted
 * (CLOCK_BOOTTIME); wall-clock time is that plus the wall-clock time of the
 * boot. Live: CLOCK_REALTIME - CLOCK_BOOTTIME on this host, measured again
 * at most once a second when asked, so that a step of the system clock (NTP
 * setting the time after the capture started) is followed. A capture file:
 * the recording host's, from its header, whatever host replays it.
 */
#include <errno.h>
#include <time.h>

#include "handle.h"

#define REMEASURE_NS 1000000000ull

static int64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * REALTIME between two BOOTTIME reads: the narrowest of a few tries bounds
 * the error by half its width (well under a microsecond unless preempted).
 */
static int64_t measure_boot_ns(void)
{
	int64_t best = 0, width = INT64_MAX;

	for (int i = 0; i < 3; i++) {
		int64_t b0 = clock_ns(CLOCK_BOOTTIME), r = clock_ns(CLOCK_REALTIME), b1 = clock_ns(CLOCK_BOOTTIME);

		if (b1 - b0 < width) {
			width = b1 - b0;
			best = r - (b0 + (b1 - b0) / 2);
		}
	}
	return best;
}

void scap__wallclock_init(struct scap *h)
{
	if (h->ops->flags & SCAP_ENGINE_F_BOOTTIME) {
		h->boot_live = true;
		h->boot_known = true;
		h->boot_ns = measure_boot_ns();
		h->boot_checked_ns = (uint64_t)clock_ns(CLOCK_MONOTONIC_COARSE);
	} else if (h->ctx.boot_time_known) {
		h->boot_known = true;
		h->boot_ns = h->ctx.boot_time_ns;
	}
}

int scap_boot_time(const struct scap *h, int64_t *boot_ns)
{
	struct scap *w = (struct scap *)h; /* the cache is the only thing written */

	if (!h || !boot_ns)
		return scap__seterr(h, -EINVAL, "scap_boot_time: %s is NULL", h ? "boot_ns" : "the handle");
	if (!h->boot_known)
		return scap__seterr(h, -ENODATA,
				    "scap_boot_time: the events of engine %s carry no clock time (synthetic timestamps)",
				    h->ops->name);
	if (h->boot_live) {
		uint64_t now = (uint64_t)clock_ns(CLOCK_MONOTONIC_COARSE);

		if (now - __atomic_load_n(&h->boot_checked_ns, __ATOMIC_RELAXED) >= REMEASURE_NS) {
			__atomic_store_n(&w->boot_ns, measure_boot_ns(), __ATOMIC_RELAXED);
			__atomic_store_n(&w->boot_checked_ns, now, __ATOMIC_RELAXED);
		}
	}
	*boot_ns = __atomic_load_n(&h->boot_ns, __ATOMIC_RELAXED);
	return 0;
}

int scap_ts_to_wallclock(const struct scap *h, uint64_t ts, int64_t *wall_ns)
{
	int64_t boot;
	int r;

	if (!wall_ns)
		return scap__seterr(h, -EINVAL, "scap_ts_to_wallclock: wall_ns is NULL");
	r = scap_boot_time(h, &boot);
	if (r < 0)
		return r;
	*wall_ns = boot + (int64_t)ts;
	return 0;
}
