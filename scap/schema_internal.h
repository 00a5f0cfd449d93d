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

#endif
