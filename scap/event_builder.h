/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Building one event in the wire layout from a schema row and values: used by
 * the synthetic engine and by tests that craft (and then break) events.
 * Internal to the project; not part of the public API.
 */
#ifndef SCAP_EVENT_BUILDER_H
#define SCAP_EVENT_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scap/scap.h"

/* One parameter's value. How it is read depends on the row's type. */
struct scap_bval {
	uint64_t u;        /* fixed-width types: the value (two's complement), cut to width */
	const void *p;     /* PATH/CHARBUF: a C string (NULL = empty parameter);
	                      BYTEBUF/SOCKADDR/STRARRAY/ARGS: the raw bytes */
	uint32_t len;      /* bytes at p; for PATH/CHARBUF 0 means strlen(p) + 1 */
	bool empty;        /* write a zero-length parameter whatever the type */
	bool partial;      /* mark it SCAP_PARAM_PARTIAL: cut (with data; the header then
	                      gets SCAP_EVF_TRUNCATED) or unreadable (with empty) */
};

struct scap_bhdr {
	uint64_t ts;
	uint32_t tid, pid;
	uint8_t flags;     /* SCAP_EVF_* */
};

/*
 * Writes event `code` with vals[0..nvals) into buf (cap bytes). nvals must be
 * the row's parameter count. Returns the event's length, -ENOSPC when cap is
 * too small, or -EINVAL (unknown code, wrong count, a value longer than
 * SCAP_MAX_PARAM_LEN bytes or an event longer than SCAP_MAX_EVENT_LEN).
 */
int scap_event_build(void *buf, size_t cap, uint16_t code, const struct scap_bhdr *hdr,
		     const struct scap_bval *vals, unsigned nvals);

/* The encoded size of the same event, or -EINVAL. */
int scap_event_build_size(uint16_t code, const struct scap_bval *vals, unsigned nvals);

/* Socket address encoders (event_layout.h); return the encoded length. */
uint32_t scap_sa_inet(uint8_t out[7], const uint8_t addr[4], uint16_t port);
uint32_t scap_sa_inet6(uint8_t out[19], const uint8_t addr[16], uint16_t port);
/* path of plen bytes (abstract names start with a NUL); out holds plen + 2. */
uint32_t scap_sa_unix(uint8_t *out, const char *path, uint32_t plen);

#endif
