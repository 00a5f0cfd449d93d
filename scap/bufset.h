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
	/* Kept by the core. */
	uint64_t delivered;
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
	 * With live_clock set, an event younger than SCAP_BUFSET_SETTLE_NS is
	 * held back while some buffer is empty, until what was stamped before
	 * it has had time to land.
	 */
	bool live_clock;
	uint64_t settled_before;           /* boot-time ns: older events may go out */
	uint64_t held_ts;                  /* ts of the event held back, 0 = none */
};

#define SCAP_BUFSET_SETTLE_NS 1000000ull

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

#endif
