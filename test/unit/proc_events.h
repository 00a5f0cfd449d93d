/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Crafted lifecycle events for the process-table tests: an event of any
 * schema row from a few named values (the others empty), through the core's
 * event builder.
 */
#ifndef SCAP_TEST_PROC_EVENTS_H
#define SCAP_TEST_PROC_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scap/scap.h"
#include "scap/event_builder.h"

struct kv {
	const char *name;
	uint64_t u;
	const char *s;     /* PATH/CHARBUF */
	const void *b;     /* STRARRAY bytes */
	uint32_t blen;
	bool cut;          /* marked SCAP_PARAM_CUT (the event gets SCAP_EVF_TRUNCATED) */
};
#define KU(n, v) { (n), (uint64_t)(v), NULL, NULL, 0, false }
#define KS(n, v) { (n), 0, (v), NULL, 0, false }
#define KB(n, p, l) { (n), 0, NULL, (p), (l), false }
#define KSC(n, v) { (n), 0, (v), NULL, 0, true }
#define KBC(n, p, l) { (n), 0, NULL, (p), (l), true }
/* An empty value marked unreadable. */
#define KUNREAD(n) { (n), 0, NULL, NULL, 0, true }

/* Builds the event into buf (64 KiB); aborts the test program on a bad row or name. */
static inline const struct scap_evt_hdr *mkev(uint8_t *buf, uint16_t code, uint32_t tid, uint32_t pid, uint64_t ts,
					      uint8_t flags, const struct kv *kv, unsigned n)
{
	const struct scap_event_info *info = scap_event_info(code);
	struct scap_bval vals[SCAP_MAX_PARAMS];
	struct scap_bhdr h = { .ts = ts, .tid = tid, .pid = pid, .flags = flags };

	memset(vals, 0, sizeof(vals));
	for (unsigned i = 0; i < info->nparams; i++)
		vals[i].empty = true;
	for (unsigned k = 0; k < n; k++) {
		unsigned i;

		for (i = 0; i < info->nparams; i++)
			if (strcmp(info->params[i].name, kv[k].name) == 0)
				break;
		if (i == info->nparams)
			abort(); /* a test names a parameter the row does not have */
		vals[i].empty = !kv[k].s && kv[k].b == NULL && kv[k].cut && !kv[k].u;
		vals[i].partial = kv[k].cut;
		vals[i].u = kv[k].u;
		vals[i].p = kv[k].s ? (const void *)kv[k].s : kv[k].b;
		vals[i].len = kv[k].s ? 0 : kv[k].blen;
	}
	if (scap_event_build(buf, 65536, code, &h, vals, info->nparams) < 0)
		abort();
	return (const struct scap_evt_hdr *)buf;
}

#define NKV(a) (sizeof(a) / sizeof((a)[0]))

#endif
