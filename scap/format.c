// SPDX-License-Identifier: Apache-2.0
/* Parameters as text (scap_param_format) and events as JSON (the CLI's contract). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "flagsets.h"
#include "handle.h"
#include "scap/scap.h"
#include "textenc.h"

/* -4095..-1 is how the kernel returns -errno (IS_ERR_VALUE). */
#define RES_IS_ERRNO(v) ((v) < 0 && (v) >= -4095)

static void format_text(struct scap_sb *sb, const struct scap_param *p)
{
	const uint8_t *d = p->data;
	uint32_t i;

	if (!p->len || !d) {
		scap_sb_puts(sb, "NULL");
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
		for (i = 0; i < p->len;) {
			size_t n = strnlen((const char *)d + i, p->len - i);

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
	format_text(&sb, p);
	return sb.len > INT32_MAX ? INT32_MAX : (int)sb.len;
}

static void format_json_value(struct scap_sb *sb, const struct scap_param *p)
{
	const uint8_t *d = p->data;
	struct scap_sb tmp;
	char small[256];
	uint32_t i;

	if (!p->len || !d) {
		scap_sb_puts(sb, "null");
		return;
	}
	switch (p->type) {
	case SCAP_PT_INT8: case SCAP_PT_INT16: case SCAP_PT_INT32: case SCAP_PT_INT64:
	case SCAP_PT_PID: case SCAP_PT_FD: case SCAP_PT_RES:
		scap_sb_i64(sb, p->v.i);
		break;
	case SCAP_PT_UINT8: case SCAP_PT_UINT16: case SCAP_PT_UINT32: case SCAP_PT_UINT64:
	case SCAP_PT_UID: case SCAP_PT_GID: case SCAP_PT_SYSCALLID:
		scap_sb_u64(sb, p->v.u);
		break;
	case SCAP_PT_SOCKADDR:
		if (d[0] == SCAP_SA_UNIX) {
			/* A unix path is untrusted bytes: JSON-escape them, not text-escape. */
			bool abstract = p->len >= 3 && d[1] == '\0';
			const uint8_t *path = d + (abstract ? 2 : 1);
			size_t room = p->len - (abstract ? 2 : 1);

			scap_sb_putc(sb, '"');
			if (abstract)
				scap_sb_putc(sb, '@');
			scap__json_body(sb, path, strnlen((const char *)path, room));
			scap_sb_putc(sb, '"');
			break;
		}
		/* addresses and ports need no escaping */
		__attribute__((fallthrough));
	case SCAP_PT_FLAGS32: case SCAP_PT_ENUM32: case SCAP_PT_MODE: case SCAP_PT_ADDR:
		/* Short, safe text (symbols, octal, hex, numeric addresses): format, quote. */
		scap_sb_init(&tmp, small, sizeof(small));
		format_text(&tmp, p);
		scap__json_string(sb, (const uint8_t *)small, tmp.len < sizeof(small) ? tmp.len : sizeof(small) - 1);
		break;
	case SCAP_PT_PATH:
	case SCAP_PT_CHARBUF:
		scap__json_string(sb, d, strnlen((const char *)d, p->len));
		break;
	case SCAP_PT_BYTEBUF:
		scap__json_string(sb, d, p->len);
		break;
	case SCAP_PT_STRARRAY:
		scap_sb_putc(sb, '[');
		for (i = 0; i < p->len;) {
			size_t n = strnlen((const char *)d + i, p->len - i);

			if (i)
				scap_sb_putc(sb, ',');
			scap__json_string(sb, d + i, n);
			i += (uint32_t)n + 1;
		}
		scap_sb_putc(sb, ']');
		break;
	case SCAP_PT_ARGS:
		scap_sb_putc(sb, '[');
		for (i = 0; i < p->len / 8; i++) {
			uint64_t a;

			memcpy(&a, d + 8 * i, 8);
			if (i)
				scap_sb_putc(sb, ',');
			scap_sb_u64(sb, a);
		}
		scap_sb_putc(sb, ']');
		break;
	default:
		scap_sb_puts(sb, "null");
		break;
	}
}

int scap_event_format_json(const struct scap_event *ev, unsigned cpu, char *buf, size_t len)
{
	struct scap_sb sb;
	unsigned i, n;

	scap_sb_init(&sb, buf, buf ? len : 0);
	if (!ev)
		return -EINVAL;
	n = scap_event_nparams(ev);
	scap_sb_put(&sb, "{\"ts\":", 6);
	scap_sb_u64(&sb, scap_event_ts(ev));
	scap_sb_put(&sb, ",\"cpu\":", 7);
	scap_sb_u64(&sb, cpu);
	scap_sb_put(&sb, ",\"tid\":", 7);
	scap_sb_u64(&sb, scap_event_tid(ev));
	scap_sb_put(&sb, ",\"pid\":", 7);
	scap_sb_u64(&sb, scap_event_pid(ev));
	scap_sb_put(&sb, ",\"event\":", 9);
	scap__json_string(&sb, (const uint8_t *)scap_event_name(ev), strlen(scap_event_name(ev)));
	scap_sb_puts(&sb, scap_event_dir(ev) == SCAP_DIR_ENTER ? ",\"dir\":\"enter\",\"params\":{"
							       : ",\"dir\":\"exit\",\"params\":{");
	for (i = 0; i < n; i++) {
		struct scap_param p;
		int err = scap_event_param(ev, i, &p);

		if (err == -EBADMSG || err == -ERANGE) {
			/* Say so in the output rather than print half an event silently. */
			scap_sb_puts(&sb, i ? ",\"_malformed\":true" : "\"_malformed\":true");
			break;
		}
		if (i)
			scap_sb_putc(&sb, ',');
		scap__json_string(&sb, (const uint8_t *)p.name, strlen(p.name));
		scap_sb_putc(&sb, ':');
		format_json_value(&sb, &p);
	}
	scap_sb_putc(&sb, '}');
	if (scap_event_flags(ev) & SCAP_EVF_TOCTOU)
		scap_sb_puts(&sb, ",\"toctou\":true");
	if (scap_event_flags(ev) & SCAP_EVF_ENTER_UNREAD)
		scap_sb_puts(&sb, ",\"enter_unreadable\":true");
	scap_sb_putc(&sb, '}');
	return sb.len > INT32_MAX ? INT32_MAX : (int)sb.len;
}
