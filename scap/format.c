// SPDX-License-Identifier: Apache-2.0
/* Parameters as text (scap_param_format); whole events are format_event.c's. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "flagsets.h"
#include "fmt_write.h"
#include "handle.h"
#include "scap/scap.h"
#include "textenc.h"

/* -4095..-1 is how the kernel returns -errno (IS_ERR_VALUE). */
#define RES_IS_ERRNO(v) ((v) < 0 && (v) >= -4095)

void scap__param_text(struct scap_sb *sb, const struct scap_param *p)
{
	const uint8_t *d = p->data;
	uint32_t i;

	if (!p->len || !d) {
		scap_sb_puts(sb, p->state == SCAP_PARAM_UNREADABLE ? "<unreadable>" : "NULL");
		return;
	}
	switch (p->type) {
	case SCAP_PT_INT8: case SCAP_PT_INT16: case SCAP_PT_INT32: case SCAP_PT_INT64:
	case SCAP_PT_PID:
		scap_sb_i64(sb, p->v.i);
		break;
	case SCAP_PT_UINT8: case SCAP_PT_UINT16: case SCAP_PT_UINT32: case SCAP_PT_UINT64:
	case SCAP_PT_UID: case SCAP_PT_GID: case SCAP_PT_SYSCALLID:
		scap_sb_u64(sb, p->v.u);
		break;
	case SCAP_PT_FD:
		if (p->v.i == -100)
			scap_sb_puts(sb, "AT_FDCWD");
		else
			scap_sb_i64(sb, p->v.i);
		break;
	case SCAP_PT_RES: {
		const char *en = RES_IS_ERRNO(p->v.i) ? scap_errno_name((int)p->v.i) : NULL;

		scap_sb_i64(sb, p->v.i);
		if (en) {
			scap_sb_putc(sb, ' ');
			scap_sb_puts(sb, en);
		}
		break;
	}
	case SCAP_PT_FLAGS32:
		scap__flags_format(sb, p->aux, (uint32_t)p->v.u);
		break;
	case SCAP_PT_FLAGS64:
		scap__flags_format(sb, p->aux, p->v.u);
		break;
	case SCAP_PT_ENUM32:
		scap__enum_format(sb, p->aux, (int32_t)p->v.i);
		break;
	case SCAP_PT_MODE:
		scap_sb_oct(sb, p->v.u);
		break;
	case SCAP_PT_ADDR:
		scap_sb_hex(sb, p->v.u);
		break;
	case SCAP_PT_PATH:
	case SCAP_PT_CHARBUF:
		scap__text_escape(sb, d, p->len - 1, false);
		break;
	case SCAP_PT_BYTEBUF:
		scap__text_escape(sb, d, p->len, true);
		break;
	case SCAP_PT_SOCKADDR:
		scap__sockaddr_format(sb, d, p->len);
		break;
	case SCAP_PT_STRARRAY:
		/* The last byte ends the array. */
		for (i = 0; i < p->len - 1;) {
			size_t n = strnlen((const char *)d + i, p->len - 1 - i);

			if (i)
				scap_sb_putc(sb, ' ');
			scap__text_escape(sb, d + i, n, false);
			i += (uint32_t)n + 1;
		}
		break;
	case SCAP_PT_ARGS:
		for (i = 0; i < p->len / 8; i++) {
			uint64_t a;

			memcpy(&a, d + 8 * i, 8);
			if (i)
				scap_sb_putc(sb, ' ');
			scap_sb_hex(sb, a);
		}
		break;
	default:
		scap_sb_puts(sb, "?");
		break;
	}
}

int scap_param_format(const struct scap_param *p, char *buf, size_t len)
{
	struct scap_sb sb;

	scap_sb_init(&sb, buf, buf ? len : 0);
	if (!p)
		return -EINVAL;
	scap__param_text(&sb, p);
	return sb.len > INT32_MAX ? INT32_MAX : (int)sb.len;
}
