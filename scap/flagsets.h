/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Symbol tables of the SCAP_FS_* flag sets (Linux x86_64 values), and their
 * printing: "O_WRONLY|O_CREAT|O_CLOEXEC", "SOCK_STREAM|SOCK_NONBLOCK",
 * "AF_INET". Leftover bits print in hex so that nothing is hidden.
 */
#ifndef SCAP_FLAGSETS_H
#define SCAP_FLAGSETS_H

#include <stdbool.h>
#include <stdint.h>

#include "scap/scap.h"
#include "strbuf.h"

struct scap_sym {
	uint64_t val;
	const char *name;
};

struct scap_flagset_desc {
	const char *name;              /* the set's name, for tests and messages */
	/*
	 * Bits under enum_mask hold one value of `enums` (the access mode of
	 * O_*, the socket type, the exit signal of clone). For a pure enum set
	 * (is_enum) the whole value is one of `enums`.
	 */
	bool is_enum;
	uint32_t enum_mask;
	const struct scap_sym *enums;
	unsigned nenums;
	/* Bit flags, in print order; a multi-bit entry must precede its parts. */
	const struct scap_sym *flags;
	unsigned nflags;
	const char *zero;              /* the name of 0 when no enum names it ("PROT_NONE") */
};

/* The descriptor of flag set fs, NULL when out of range or SCAP_FS_NONE. */
const struct scap_flagset_desc *scap__flagset(unsigned fs);

/* Appends the symbolic text of value v in flag set fs (FLAGS32, FLAGS64). */
void scap__flags_format(struct scap_sb *sb, unsigned fs, uint64_t v);
/* Appends the name of value v in enum set fs (ENUM32), or its decimal value. */
void scap__enum_format(struct scap_sb *sb, unsigned fs, int32_t v);

#endif
