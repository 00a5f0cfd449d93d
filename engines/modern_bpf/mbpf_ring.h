/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One BPF ring buffer read through the kernel's mmap layout
 * (Documentation/bpf/ringbuf.rst): a consumer page mapped read-write, then the
 * producer page and the data area mapped read-only. Records are handed to the
 * core in place (zero copy) as a struct scap_buf. The kernel lets the data
 * area be mapped twice in a row so that wrapped records are contiguous, but
 * every mapped page counts in the reader's resident memory (2 x 8 MiB per
 * CPU by default): the data is mapped once, and the one record per lap that
 * wraps around the end is copied into a bounce buffer instead.
 */
#ifndef SCAP_ENGINES_MBPF_RING_H
#define SCAP_ENGINES_MBPF_RING_H

#include <stddef.h>
#include <stdint.h>

#include "scap/bufset.h"

struct mbpf_ring {
	struct scap_buf buf;          /* what the core sees; buf.priv == this */
	int fd;                       /* the ring buffer map (not owned) */
	size_t size;                  /* data bytes, a power of two */
	size_t page;
	void *cons_map;               /* consumer page (RW) */
	void *prod_map;               /* producer page + 2 x data (RO) */
	volatile uint64_t *consumer_pos;
	const volatile uint64_t *producer_pos;
	const uint8_t *data;
	uint64_t cons;                /* local consumer position */
	uint64_t released;            /* last value stored to *consumer_pos */
	uint64_t prod;                /* last value read from *producer_pos */
	uint32_t step;                /* record size of the last peek, 0 = none */
	uint8_t *bounce;              /* SCAP_MAX_EVENT_LEN bytes for a wrapped record */
	uint64_t malformed;           /* records too short to be an event (skipped) */
};

/* Maps ring fd of `size` data bytes; buf.cpu = cpu. 0 or -errno. */
int mbpf_ring_map(struct mbpf_ring *r, int fd, size_t size, int cpu);
/*
 * Reads a ring laid out at the given addresses (what mbpf_ring_map does after
 * mmap; unit tests pass plain memory). 0 or -ENOMEM.
 */
int mbpf_ring_attach(struct mbpf_ring *r, volatile uint64_t *consumer_pos,
		     const volatile uint64_t *producer_pos, const uint8_t *data, size_t size, int cpu);
void mbpf_ring_unmap(struct mbpf_ring *r);
/* Whether a record may be readable (producer ahead of the local consumer). */
int mbpf_ring_ready(const struct mbpf_ring *r);

#endif
