/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * events.def expanded into straight-line fill code: one always-inline
 * function per row, scap_fill_row_<CODE>(), calling scap_fill_step() once per
 * descriptor with constant type, source and aux, and a switch from a code to
 * its row. Straight-line code rather than a loop over a const table because
 * clang then folds every descriptor deterministically: a table walk unrolls
 * only while the (not yet folded) loop body stays under the unroller's
 * threshold, and rows with path walks did not. Included by fill.h after
 * scap_fill_step().
 */
#ifndef SCAP_DRIVERS_COMMON_BPF_FILL_TABLE_H
#define SCAP_DRIVERS_COMMON_BPF_FILL_TABLE_H

/* SCAP_FILL_N_<CODE>: number of parameters of each row. */
#define P(name, type, src, aux) { SCAP_PT_##type, (src), (aux) }
#define SCAP_EVENT(code, syscall, dir, cat, flags, ...)                                        \
	SCAP_FILL_N_##code = SCAP_COUNT_PARAMS(struct scap_param_desc, __VA_ARGS__),
enum {
#include "../events.def"
};
#undef SCAP_EVENT
#undef P

/* The rows: `i` counts parameters and is a constant after inlining. */
#define P(name, type, src, aux) scap_fill_step(fc, &i, SCAP_PT_##type, (src), (aux), row_flags)
#define SCAP_EVENT(code, syscall, dir, cat, flags, ...)                                        \
	static __always_inline void scap_fill_row_##code(struct scap_fill_ctx *fc)              \
	{                                                                                       \
		const scap_u32 row_flags = (flags);                                             \
		scap_u32 i = 0;                                                                 \
		fc->pos = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * SCAP_FILL_N_##code;          \
		__VA_ARGS__;                                                                    \
	}
#include "../events.def"
#undef SCAP_EVENT
#undef P

/* Fills the parameters of row `code` (a constant: the switch folds away); returns their count. */
static __always_inline scap_u8 scap_fill_rows(struct scap_fill_ctx *fc, const scap_u16 code)
{
	switch (code) {
#define SCAP_EVENT(code, syscall, dir, cat, flags, ...)                                        \
	case SCAP_EV_##code:                                                                    \
		scap_fill_row_##code(fc);                                                       \
		return SCAP_FILL_N_##code;
#include "../events.def"
#undef SCAP_EVENT
	default:
		fc->pos = SCAP_EVT_HDR_LEN;
		return 0;
	}
}

#endif
