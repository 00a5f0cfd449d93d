/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An append-only text buffer with snprintf semantics: it writes what fits,
 * always NUL-terminates, and counts the full length so that callers can
 * return "the length the whole text needs".
 */
#ifndef SCAP_STRBUF_H
#define SCAP_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct scap_sb {
	char *buf;
	size_t cap;
	size_t len; /* full length, may exceed cap - 1 */
};

static inline void scap_sb_init(struct scap_sb *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	if (cap)
		buf[0] = '\0';
}

static inline void scap_sb_put(struct scap_sb *sb, const char *s, size_t n)
{
	if (sb->len + 1 < sb->cap) {
		size_t room = sb->cap - 1 - sb->len;
		size_t k = n < room ? n : room;

		memcpy(sb->buf + sb->len, s, k);
		sb->buf[sb->len + k] = '\0';
	}
	sb->len += n;
}

static inline void scap_sb_putc(struct scap_sb *sb, char c)
{
	if (sb->len + 1 < sb->cap) {
		sb->buf[sb->len] = c;
		sb->buf[sb->len + 1] = '\0';
	}
	sb->len++;
}

static inline void scap_sb_puts(struct scap_sb *sb, const char *s)
{
	scap_sb_put(sb, s, strlen(s));
}

__attribute__((format(printf, 2, 3)))
static inline void scap_sb_printf(struct scap_sb *sb, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		scap_sb_put(sb, tmp, (size_t)n);
		return;
	}
	/* Longer than the scratch: print again straight into the buffer. */
	if (sb->len < sb->cap) {
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

#endif
