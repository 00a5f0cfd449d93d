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
#include <stdint.h>
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

/* Integers without printf: the JSON and text paths print several per event. */
static inline void scap_sb_u64(struct scap_sb *sb, uint64_t v)
{
	char tmp[20];
	int i = 20;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	scap_sb_put(sb, tmp + i, (size_t)(20 - i));
}

static inline void scap_sb_i64(struct scap_sb *sb, int64_t v)
{
	if (v < 0) {
		scap_sb_putc(sb, '-');
		scap_sb_u64(sb, (uint64_t)0 - (uint64_t)v);
	} else {
		scap_sb_u64(sb, (uint64_t)v);
	}
}

/* "0x" followed by lowercase hex digits. */
static inline void scap_sb_hex(struct scap_sb *sb, uint64_t v)
{
	static const char d[] = "0123456789abcdef";
	char tmp[18];
	int i = 18;

	do {
		tmp[--i] = d[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	scap_sb_put(sb, tmp + i, (size_t)(18 - i));
}

/* Octal with a leading 0 ("0640"); 0 prints as "0", like printf's %#o. */
static inline void scap_sb_oct(struct scap_sb *sb, uint64_t v)
{
	char tmp[24];
	int i = 24;

	do {
		tmp[--i] = (char)('0' + (v & 7));
		v >>= 3;
	} while (v);
	if (tmp[i] != '0')
		tmp[--i] = '0';
	scap_sb_put(sb, tmp + i, (size_t)(24 - i));
}

#endif
