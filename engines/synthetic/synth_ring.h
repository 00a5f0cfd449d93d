/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A single-producer single-consumer byte ring holding events the way the
 * kernel engines' rings do: 8-byte aligned records, a padding record where an
 * event would not fit before the end, and a consumer that reads in place and
 * releases space only when the core says so (scap_buf peek/consume/release).
 */
#ifndef SCAP_SYNTH_RING_H
#define SCAP_SYNTH_RING_H

#include <stddef.h>
#include <stdint.h>

#include "scap/bufset.h"

struct synth_ring {
	struct scap_buf buf;   /* what the core sees; buf.priv points back here */
	uint8_t *data;
	uint64_t size, mask;   /* size is a power of two */
	uint64_t head;         /* producer position (bytes ever written) */
	uint64_t tail;         /* released position: space before it is free */
	uint64_t rd;           /* consumer position: read, not yet released */
	uint32_t cur;          /* record length of the event peek() returned */
	uint64_t written;      /* events written */
	uint64_t wraps;        /* padding records written (wrap-arounds) */
};

/* 0 or -ENOMEM; size is rounded up to a power of two, at least 4096. */
int synth_ring_init(struct synth_ring *r, size_t size, int cpu);
void synth_ring_free(struct synth_ring *r);
/* Copies one event in: 0, or -ENOSPC when it does not fit now. */
int synth_ring_write(struct synth_ring *r, const void *ev, uint32_t len);
/* The largest event that fits in an empty ring. */
uint32_t synth_ring_max_event(const struct synth_ring *r);

#endif
