/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only OR MIT */
/*
 * SCAP_FIXED_LEN_<CODE>: the length of every event of a row whose parameters
 * all have a fixed size (integers, ARGS), 0 for a row with a parameter of
 * variable size (strings, buffers, addresses, arrays). The modern_bpf driver
 * builds the events of fixed rows in place, in a ring record of exactly this
 * length, without a tail call, a scratch or a copy. A fill that cannot read a
 * value writes it empty, so an event may be shorter than this, never longer.
 */
#ifndef SCAP_DRIVERS_COMMON_FIXED_LEN_H
#define SCAP_DRIVERS_COMMON_FIXED_LEN_H

#include "schema.h"

#define SCAP__FIXED_VAR 0x10000u /* larger than any event: marks a variable-size parameter */

/* The wire size of a parameter type when it is fixed (docs/event-format.md), else SCAP__FIXED_VAR. */
#define SCAP_PT_FIXED_SIZE(t)                                                                   \
	((t) == SCAP_PT_INT8 || (t) == SCAP_PT_UINT8 ? 1u :                                     \
	 (t) == SCAP_PT_INT16 || (t) == SCAP_PT_UINT16 ? 2u :                                   \
	 (t) == SCAP_PT_INT32 || (t) == SCAP_PT_UINT32 || (t) == SCAP_PT_UID ||                 \
		 (t) == SCAP_PT_GID || (t) == SCAP_PT_SYSCALLID || (t) == SCAP_PT_FLAGS32 ||    \
		 (t) == SCAP_PT_ENUM32 || (t) == SCAP_PT_MODE ? 4u :                            \
	 (t) == SCAP_PT_INT64 || (t) == SCAP_PT_UINT64 || (t) == SCAP_PT_FD ||                  \
		 (t) == SCAP_PT_PID || (t) == SCAP_PT_RES || (t) == SCAP_PT_ADDR ||             \
		 (t) == SCAP_PT_FLAGS64 ? 8u :                                                  \
	 (t) == SCAP_PT_ARGS ? 8u * SCAP_GENERIC_NARGS : SCAP__FIXED_VAR)

/* Sums up to SCAP_MAX_PARAMS (16) terms as an integer constant expression. */
#define SCAP__SUM16(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, ...)     \
	((a0) + (a1) + (a2) + (a3) + (a4) + (a5) + (a6) + (a7) + (a8) + (a9) + (a10) + (a11) +  \
	 (a12) + (a13) + (a14) + (a15))
#define SCAP__SUM(...) SCAP__SUM16(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
_Static_assert(SCAP_MAX_PARAMS == 16, "SCAP__SUM16 adds up every parameter of a row");

/* Each parameter: its length slot and its value. */
#define P(name, type, src, aux) (SCAP_PARAM_LEN_SIZE + SCAP_PT_FIXED_SIZE(SCAP_PT_##type))
#define SCAP_EVENT(code, syscall, dir, cat, flags, ...)                                        \
	SCAP_FIXED_LEN_##code = SCAP__SUM(__VA_ARGS__) >= SCAP__FIXED_VAR ?                     \
					0 : SCAP_EVT_HDR_LEN + SCAP__SUM(__VA_ARGS__),
enum {
#include "events.def"
};
#undef SCAP_EVENT
#undef P

#endif
