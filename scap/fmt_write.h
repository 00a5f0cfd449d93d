/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unchecked writers for the event formatters (format_event.c): each takes the
 * output position and returns the new one. The caller has checked, once per
 * event, that the room left is at least the event's bound (format_event.c
 * says how it is computed), so that no write here needs its own check; that
 * is what makes a line cost a few hundred instructions instead of thousands.
 */
#ifndef SCAP_FMT_WRITE_H
#define SCAP_FMT_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scap/scap.h"
#include "strbuf.h"

static inline char *fw_put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* For string literals: the length is a constant, so the copy is inlined. */
#define FW_LIT(p, lit) fw_put((p), (lit), sizeof(lit) - 1)

/*
 * Integers are written eight digits at a time: the digits of a value below
 * 1e8 are computed in the lanes of one 64-bit word (two halves of four, then
 * pairs, then digits), and a shorter number is the same word shifted. Every
 * writer may store up to 8 bytes past the text it returns: the bounds of
 * format_event.c leave that room. The lanes hold the first character in the
 * word's lowest byte: fw_store8 stores the word little endian whatever the
 * host's byte order (on a big-endian host, s390x, a plain store would write
 * the digits back to front).
 */
/* x with its bytes in little-endian order: itself on a little-endian host. */
static inline uint64_t fw_le64(uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(x);
#else
	return x;
#endif
}

static inline void fw_store8(char *p, uint64_t d)
{
	d = fw_le64(d);
	memcpy(p, &d, 8);
}

static inline uint64_t fw_ascii8(uint32_t v)
{
	uint64_t hl = (uint64_t)(v / 10000) | ((uint64_t)(v % 10000) << 32);
	uint64_t q = ((hl * 10486) >> 20) & 0x0000007f0000007full;
	uint64_t pairs = q | ((hl - q * 100) << 16);
	uint64_t q2 = ((pairs * 103) >> 10) & 0x000f000f000f000full;

	return (q2 | ((pairs - q2 * 10) << 8)) + 0x3030303030303030ull;
}

/* Digits of v (1..8) for v < 1e8. */
static inline unsigned fw_digits8(uint32_t v)
{
	static const uint32_t p10[9] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000 };
	unsigned t = ((32u - (unsigned)__builtin_clz(v | 1)) * 1233u) >> 12;

	return t + ((v | 1) >= p10[t]);
}

static inline char *fw_small(char *p, uint32_t v)
{
	unsigned n;
	uint64_t d;

	/* cpu numbers, fds, results, syscall numbers: mostly one or two digits */
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	if (v < 100) {
		p[0] = (char)('0' + v / 10);
		p[1] = (char)('0' + v % 10);
		return p + 2;
	}
	n = fw_digits8(v);
	d = fw_ascii8(v) >> (8 * (8 - n));

	fw_store8(p, d);
	return p + n;
}

static inline char *fw_put8(char *p, uint32_t v)
{
	uint64_t d = fw_ascii8(v);

	fw_store8(p, d);
	return p + 8;
}

static inline char *fw_u64(char *p, uint64_t v)
{
	uint64_t hi;

	if (v < 100000000u)
		return fw_small(p, (uint32_t)v);
	hi = v / 100000000u;
	if (hi < 100000000u)
		p = fw_small(p, (uint32_t)hi);
	else
		p = fw_put8(fw_small(p, (uint32_t)(hi / 100000000u)), (uint32_t)(hi % 100000000u));
	return fw_put8(p, (uint32_t)(v % 100000000u));
}

/* Exactly nine digits, zero-padded: the nanoseconds of a timestamp. */
static inline char *fw_dec9(char *p, uint32_t v)
{
	*p++ = (char)('0' + v / 100000000u);
	return fw_put8(p, v % 100000000u);
}

static inline char *fw_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return fw_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return fw_u64(p, (uint64_t)v);
}

/* The 8 lowercase hex digits of v, most significant first. */
static inline uint64_t fw_hex8(uint32_t v)
{
	uint64_t x = v, letters;

	x = (x | (x << 16)) & 0x0000ffff0000ffffull;
	x = (x | (x << 8)) & 0x00ff00ff00ff00ffull;
	x = (x | (x << 4)) & 0x0f0f0f0f0f0f0f0full;
	x = __builtin_bswap64(x);
	letters = ((x + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull;
	return x + 0x3030303030303030ull + letters * ('a' - '0' - 10);
}

/* "0x" and lowercase hex digits, like scap_sb_hex. */
static inline char *fw_hex(char *p, uint64_t v)
{
	unsigned n = (unsigned)(67 - __builtin_clzll(v | 1)) / 4;
	uint64_t d;

	*p++ = '0';
	*p++ = 'x';
	if (n > 8) {
		d = fw_hex8((uint32_t)(v >> 32)) >> (8 * (16 - n));
		fw_store8(p, d);
		p += n - 8;
		n = 8;
	}
	d = fw_hex8((uint32_t)v) >> (8 * (8 - n));
	fw_store8(p, d);
	return p + n;
}

/* Octal with a leading 0 ("0640"), "0" for 0, like scap_sb_oct. */
static inline char *fw_oct(char *p, uint64_t v)
{
	unsigned n = (unsigned)(66 - __builtin_clzll(v | 1)) / 3, i;

	if (v)
		*p++ = '0';
	for (i = n; i--; v >>= 3)
		p[i] = (char)('0' + (v & 7));
	return p + n;
}

/*
 * JSON string body (no quotes): valid UTF-8 as it is; '"', '\\' and control
 * bytes escaped; DEL and bytes that are not valid UTF-8 as \u00XX, so the
 * output is always valid JSON. At most 6 bytes out per byte in.
 */
char *scap__fw_json_body(char *p, const uint8_t *s, size_t n);

/* How a text value is written (scap__fw_text_value). */
enum {
	FW_TV_BYTES = 1,  /* a byte buffer: bytes >= 0x80 are escaped too */
	FW_TV_STRING = 2, /* a string: "NULL" and "<unreadable>" are quoted: they are not
	                     the absent or unreadable value */
	FW_TV_LIST = 4,   /* an element of [a b c]: ']' needs quoting */
};

/*
 * A value of the text line: bare when it is not empty and holds no space,
 * '"', '\\', control byte or DEL (nor, for FW_TV_BYTES, bytes >= 0x80);
 * otherwise in double quotes with \" \\ \n \r \t and \xNN escapes. pfx (0
 * for none) is written first, inside the quotes when there are quotes. At
 * most 4 bytes out per byte in, plus 3.
 */
char *scap__fw_text_value(char *p, char pfx, const uint8_t *s, size_t n, unsigned how);

/* The text of one parameter, as scap_param_format writes it (format.c). */
void scap__param_text(struct scap_sb *sb, const struct scap_param *p);

#endif
