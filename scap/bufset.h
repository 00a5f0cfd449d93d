/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-CPU buffer set: how the core reads any engine's kernel-to-user
 * buffers (BPF ring buffers, perf buffers, the module's rings, synthetic
 * rings) through one small interface, and merges them by timestamp.
 */
#ifndef SCAP_BUFSET_H
#define SCAP_BUFSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scap/common/event_layout.h"
#include "counter.h"

struct scap_buf;

struct scap_buf_ops {
	/*
	 * The next unread event, in place, or NULL when nothing is readable now.
	 * Does not consume: calling it twice returns the same event. The event
	 * stays valid until consume() is called for it.
	 */
	const struct scap_evt_hdr *(*peek)(struct scap_buf *b);
	/* Marks the event returned by the last peek as read (locally). */
	void (*consume)(struct scap_buf *b);
	/*
	 * Hands the space of every consumed event back to the producer. The core
	 * calls it before waiting; implementations may also release from
	 * consume() once enough has been read, to keep the producer fed.
	 */
	void (*release)(struct scap_buf *b);
	/*
	 * Optional: how many events are readable now, the one peek() would
	 * return included; never consumes. For scap_stats.unread.
	 */
	uint64_t (*pending)(struct scap_buf *b);
};

/* One buffer. Engines embed it in their own struct and fill ops/priv/cpu. */
struct scap_buf {
	const struct scap_buf_ops *ops;
	void *priv;
	int cpu;                       /* first CPU it serves, -1 if none */
	size_t bytes;                  /* its size (the engine sets it; 0 = none of its own) */
	/* Counters: the engine's stats() refreshes the kernel-side ones. */
	uint64_t drops_buffer_full;
	uint64_t drops_other;
	uint64_t kernel_events;
	/* Events left unread, for a buffer without ops->pending (savefile: the original's). */
	uint64_t unread;
	/* Kept by the core. */
	uint64_t delivered;
	/*
	 * unread as the reading thread last counted it (counter.h): what a stats
	 * call on another thread reports, since walking a ring the reader is
	 * consuming is a data race (and can loop on a record being overwritten).
	 */
	uint64_t unread_seen;
};

/* The set of buffers of one handle, and the merge state. Owned by the core. */
struct scap_bufset {
	struct scap_buf **bufs;
	unsigned n, cap;
	/* merge state */
	const struct scap_evt_hdr **heads; /* cached peek() per buffer, NULL = empty */
	int last;                          /* buffer of the event handed out last, -1 none */
	uint64_t *ts;                      /* timestamp of heads[i] when heads[i] != NULL */
	unsigned since_repeek;             /* events since empty buffers were last peeked */
	unsigned *heap;                    /* many buffers: min-heap of the non-empty ones */
	unsigned hn;
	/*
	 * Live engines stamp an event (CLOCK_BOOTTIME) a little before they
	 * commit it, so a buffer seen empty may still receive an older event.
	 * With live_clock set, an event younger than the settle window is held
	 * back while some buffer is empty, until what was stamped before it has
	 * had time to land. The window is learned (scap_bufset_window_ns).
	 */
	bool live_clock;
	uint64_t settled_before;           /* boot-time ns: older events may go out */
	uint64_t held_ts;                  /* ts of the event held back, 0 = none */
	uint64_t *empty_at;                /* boot-time ns buffer i was last seen empty, 0 = not since */
};

/*
 * The settle window: at least SCAP_BUFSET_SETTLE_NS, and twice the longest
 * commit delay seen lately (an event found in a buffer after that buffer was
 * seen empty at a time later than its stamp), up to SCAP_BUFSET_SETTLE_MAX_NS.
 * A host whose CPUs stall between the stamp and the commit (a hypervisor
 * that deschedules a vCPU, an emulator) widens it; it halves back every
 * SCAP_BUFSET_DECAY_NS without such a delay (now_ns: CLOCK_BOOTTIME). One
 * value per process: it is a property of the host.
 */
#define SCAP_BUFSET_SETTLE_NS 1000000ull
#define SCAP_BUFSET_SETTLE_MAX_NS 100000000ull
#define SCAP_BUFSET_DECAY_NS 10000000000ull
uint64_t scap_bufset_window_ns(uint64_t now_ns);
/* Records a commit delay of late_ns seen at boot-time now_ns (tests, and the merge). */
void scap_bufset_note_delay(uint64_t late_ns, uint64_t now_ns);

/* Boot-time ns at which the held-back event settles, 0 if none is held. */
uint64_t scap_bufset_held_until(const struct scap_bufset *s);

void scap_bufset_init(struct scap_bufset *s);
void scap_bufset_free(struct scap_bufset *s);
/* Adds a buffer (not owned: the engine frees it in close). 0 or -ENOMEM. */
int scap_bufset_add(struct scap_bufset *s, struct scap_buf *b);
/*
 * The event with the smallest timestamp among the buffers' next events, or
 * NULL when every buffer is empty right now. Consumes the event returned by
 * the previous call first. Ties go to the lowest buffer index. *idx gets
 * the buffer's index.
 */
const struct scap_evt_hdr *scap_bufset_next(struct scap_bufset *s, unsigned *idx);
/* Calls release() on every buffer. */
void scap_bufset_release(struct scap_bufset *s);
/*
 * Events stored in buffer i and not handed out yet (the one handed out last
 * is still in its buffer until the next call, and is not counted).
 */
uint64_t scap_bufset_unread(struct scap_bufset *s, unsigned i);
/* The count of the reading thread's last scap_bufset_unread, from any thread. */
uint64_t scap_bufset_unread_seen(const struct scap_bufset *s, unsigned i);
/* The reading thread counts every buffer again (it is idle: cheap). */
void scap_bufset_unread_refresh(struct scap_bufset *s);

#endif
