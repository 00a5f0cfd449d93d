/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The process table as bytes (snapshot.c): what a capture file stores at the
 * start of its capture, so that a replay begins with the table the live
 * capture had and, fed the same events, resolves every event the same way.
 * Layout in docs/capture-file-format.md ("process table").
 *
 * Everything the table's behaviour depends on is kept: every entry with its
 * times (start, end, newest source, when it joined the ended FIFO), the
 * order of the live list (eviction) and of the ended FIFO (expiry), the
 * sharing of strings and working directories, the stream time, the bound
 * and the grace period. Caches are not (they change no answer).
 */
#ifndef SCAP_PROC_SNAPSHOT_H
#define SCAP_PROC_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "proctable.h"

#define SCAP_PROC_SNAPSHOT_VERSION 1u
#define SCAP_PROC_SNAPSHOT_HEAD 36u   /* fixed part */
#define SCAP_PROC_SNAPSHOT_STR_HEAD 8u /* per string, before its bytes */
#define SCAP_PROC_SNAPSHOT_FS 4u      /* per working directory */
#define SCAP_PROC_SNAPSHOT_ENTRY 120u /* per entry */

/* The table's bytes in a new allocation (*out, *len). 0 or -ENOMEM. */
int scap_proc_snapshot_encode(struct scap_proctable *t, uint8_t **out, size_t *len);

/*
 * Replaces t's contents (entries, bound, grace period, stream time) by the
 * snapshot in[0..len). Nothing in it is trusted: every count, length, index,
 * kind and bit is checked. 0; -EBADMSG with the reason in why (t is then
 * empty); -ENOMEM.
 */
int scap_proc_snapshot_decode(struct scap_proctable *t, const uint8_t *in, size_t len, char *why, size_t whylen);

#endif
