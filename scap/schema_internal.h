/* SPDX-License-Identifier: Apache-2.0 */
/* Core-internal helpers around the schema and the decoder. */
#ifndef SCAP_SCHEMA_INTERNAL_H
#define SCAP_SCHEMA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "scap/scap.h"

/* The typed row of a syscall in direction dir, or -1 (generic). */
int scap__event_code_of(int syscall_nr, unsigned dir);

/* Exact wire width of a fixed-size type, 0 for variable-size types. */
unsigned scap__type_width(enum scap_param_type t);

/* Name of a parameter type ("PATH"), "?" if unknown. */
const char *scap__type_name(unsigned t);

/*
 * Decodes every parameter of ev into out[] (SCAP_MAX_PARAMS entries), err[i]
 * being what scap_event_param(ev, i) would return. NULL when the header is
 * malformed (nothing decoded), else the event's schema row.
 */
const struct scap_event_info *scap__event_decode(const struct scap_event *ev, struct scap_param *out, int *err);

#endif
