/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One of the module's per-CPU rings, mapped from /dev/scap and read in place
 * through the core's buffer interface (scap/bufset.h).
 */
#ifndef SCAP_KMOD_RING_H
#define SCAP_KMOD_RING_H

#include <stdint.h>
#include <stddef.h>

#include "bufset.h"
#include "drivers/kmod/scap_kmod_api.h"

struct scap_kmod_ring {
	struct scap_buf buf;          /* handed to the core */
	struct scap_kmod_ctrl *ctrl;
	const uint8_t *data;          /* buffer_bytes, mapped twice back to back */
	void *map;
	size_t map_len;
	uint64_t size;
	uint64_t tail;                /* next unread byte (local) */
	uint64_t released;            /* tail as last published to the kernel */
	const struct scap_evt_hdr *cur;
	uint64_t malformed;           /* events skipped because their length was broken */
};

extern const struct scap_buf_ops scap_kmod_ring_ops;

/* Maps CPU cpu's ring. 0, -ENXIO (no ring for that CPU) or another -errno. */
int scap_kmod_ring_map(struct scap_kmod_ring *r, int fd, int cpu, uint32_t page_size,
		       uint32_t buffer_bytes);
void scap_kmod_ring_unmap(struct scap_kmod_ring *r);
/* Refreshes r->buf's counters from the control page. */
void scap_kmod_ring_stats(struct scap_kmod_ring *r);

#endif
