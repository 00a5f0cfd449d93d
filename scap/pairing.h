/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Enter/exit pairing, one piece of code above every engine.
 *
 * For the syscalls the schema flags SCAP_EF_TOCTOU, drivers emit an enter
 * event (the pointer arguments as the kernel was asked) and an exit event
 * (the result, and the arguments read again). The pairing stage holds each
 * enter by thread until its exit arrives, then delivers ONE event with the
 * exit's code: the enter-time values win for every parameter the two rows
 * share by name, the exit supplies the rest (res, derived values). When a
 * shared parameter read from the same syscall argument differs between the
 * two copies, the event is flagged SCAP_EVF_TOCTOU.
 *
 * Real life: an exit without its enter (capture started mid-syscall, enter
 * dropped) is delivered alone, flagged SCAP_EVF_NO_ENTER; an enter without
 * an exit (thread killed, or an exit of another syscall on the same thread
 * shows the enter is stale) is discarded; a successful execve from a
 * non-leader thread exits under the leader's tid and is found by pid. Pending
 * enters are bounded by max_pending; the oldest is evicted when full, and
 * every eviction is counted.
 */
#ifndef SCAP_PAIRING_H
#define SCAP_PAIRING_H

#include <stdint.h>

#include "scap/common/event_layout.h"

struct scap_pairing;

struct scap_pairing_stats {
	uint64_t evicted;      /* pending enters dropped to bound memory */
	uint64_t stale;        /* pending enters discarded because their exit never came */
	uint64_t orphan_exits; /* exits delivered without their enter */
	uint64_t paired;       /* events built from an enter and its exit */
	uint64_t toctou;       /* of those, flagged SCAP_EVF_TOCTOU */
};

/* 0 or -ENOMEM. max_pending 0 means the default (65536). */
int scap_pairing_new(struct scap_pairing **out, unsigned max_pending);
void scap_pairing_free(struct scap_pairing *p);

/*
 * Feeds one raw event (in time order). Returns:
 *   1  *out is the event to deliver: either ev itself or an event built by
 *      the pairing stage (valid until the next call or scap_pairing_free);
 *   0  the event was held (an enter waiting for its exit): deliver nothing;
 *  <0  -ENOMEM (the event is delivered as is by the caller).
 */
int scap_pairing_feed(struct scap_pairing *p, const struct scap_evt_hdr *ev,
		      const struct scap_evt_hdr **out);

/* Number of enters waiting for their exit. */
unsigned scap_pairing_pending(const struct scap_pairing *p);
void scap_pairing_get_stats(const struct scap_pairing *p, struct scap_pairing_stats *st);

#endif
