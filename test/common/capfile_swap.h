/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capfile_swap.c: a little-endian version-2 capture file (plain bytes, in
 * memory) turned into the file a big-endian host writes for the same events,
 * in place. Independent of the library's own conversion: tests compare the
 * two.
 */
#ifndef SCAP_TEST_CAPFILE_SWAP_H
#define SCAP_TEST_CAPFILE_SWAP_H

#include <stddef.h>
#include <stdint.h>

/* 0, or -1 with the reason in why. */
int capfile_swap_to_be(uint8_t *f, size_t len, char *why, size_t whylen);

#endif
