/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One per-CPU perf buffer (PERF_COUNT_SW_BPF_OUTPUT) read through its mmap
 * layout and exposed to the core as a struct scap_buf.
 */
#ifndef SCAP_ENGINES_BPF_PERF_BUF_H
#define SCAP_ENGINES_BPF_PERF_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "bufset.h"

struct perf_event_mmap_page;

struct scap_perf_buf {
	struct scap_buf buf;                 /* what the core sees; must stay first */
	int fd;                              /* the perf event, -1 when closed */
	struct perf_event_mmap_page *meta;   /* page 0 of the mapping */
	uint8_t *data;                       /* the data pages */
	uint64_t data_size;                  /* a power of two */
	size_t map_len;                      /* whole mapping */
	uint64_t tail;                       /* local read position (not yet released) */
	uint64_t released;                   /* last position handed back to the kernel */
	/* The event of the last peek: its record's length, NULL when none cached. */
	const struct scap_evt_hdr *cur;
	uint64_t cur_rec_len;
	/* Records that wrap around the end are copied here, and only those. */
	uint8_t *bounce;
	size_t bounce_len;
	uint64_t lost;                       /* sum of PERF_RECORD_LOST counts */
	uint64_t malformed;                  /* records skipped as unreadable */
	uint64_t consumed;                   /* events handed out and consumed */
};

/*
 * Opens the perf event of `cpu` with a data area of `data_pages` pages (a
 * power of two) and maps it. 0 or a negative errno; `what` gets the failing
 * call's name.
 */
int scap_perf_buf_open(struct scap_perf_buf *pb, int cpu, size_t data_pages,
		       size_t wakeup_bytes, const char **what);
void scap_perf_buf_close(struct scap_perf_buf *pb);
/* Sample records written and not consumed yet (a walk of the ring, read only);
 * UINT64_MAX when the reader kept handing space back during every try. */
uint64_t scap_perf_buf_pending(const struct scap_perf_buf *pb);

extern const struct scap_buf_ops scap_perf_buf_ops;

#endif
