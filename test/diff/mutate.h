/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The self-check's mutations: a copy of a captured event with one compared
 * value changed (a number's low bit, a string's or a buffer's first byte, an
 * array's first string, an address's port or path), or with its partial mark
 * flipped. Each copy is a valid event (lengths, the final NULs and the
 * header's TRUNCATED kept consistent), so the comparison decodes it as it
 * decodes a real one.
 */
#ifndef SCAP_TEST_DIFF_MUTATE_H
#define SCAP_TEST_DIFF_MUTATE_H

#include <stdint.h>

#include "compare.h"

#define MUT_MAX 2

/* The mutations of field f of event ev into out[] (malloc'd events); returns how many. */
unsigned mut_field(const uint8_t *ev, const struct fld *f, uint8_t *out[MUT_MAX], const char *what[MUT_MAX]);

#endif
