// SPDX-License-Identifier: Apache-2.0
/*
 * Escaping for the event formatters, eight bytes at a time where the bytes
 * need nothing: paths and buffers are mostly plain ASCII, and a per-byte loop
 * was the largest single cost of a JSON line.
 */
#include <stdbool.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "fmt_write.h"

static const char hexd[] = "0123456789abcdef";

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Whether some byte of x is below c (c <= 0x80); the lowest flagged byte is a true one. */
static inline uint64_t any_below(uint64_t x, uint8_t c)
{
	return (x - ONES * c) & ~x & HIGHS;
}

static inline uint64_t any_equal(uint64_t x, uint8_t c)
{
	return any_below(x ^ (ONES * c), 1);
}

/* Bytes a JSON string cannot carry as they are, or that start UTF-8 to check. */
static inline uint64_t json_special(uint64_t x)
{
	return (x & HIGHS) | any_below(x, 0x20) | any_equal(x, '"') | any_equal(x, '\\') | any_equal(x, 0x7f);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF are invalid. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* The escape of byte c: \" \\ \n \r \t, else \u00XX in JSON, \xNN in text. */
static inline char *esc_byte(char *p, uint8_t c, bool json)
{
	*p++ = '\\';
	switch (c) {
	case '"': *p++ = '"'; break;
	case '\\': *p++ = '\\'; break;
	case '\n': *p++ = 'n'; break;
	case '\r': *p++ = 'r'; break;
	case '\t': *p++ = 't'; break;
	default:
		p = json ? FW_LIT(p, "u00") : FW_LIT(p, "x");
		*p++ = hexd[c >> 4];
		*p++ = hexd[c & 15];
	}
	return p;
}

char *scap__fw_json_body(char *p, const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c;

#ifdef __SSE2__
		if (n - i >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(s + i));
			/* signed: below 0x20, or 0x80 and up (UTF-8 to check) */
			__m128i sp = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
						  _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
							       _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\')),
									    _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)))));
			unsigned m = (unsigned)_mm_movemask_epi8(sp);

			_mm_storeu_si128((__m128i *)p, x);
			if (!m) {
				p += 16;
				i += 16;
				continue;
			}
			p += __builtin_ctz(m);
			i += __builtin_ctz(m);
		} else
#endif
		if (n - i >= 8) {
			uint64_t x, m;

			memcpy(&x, s + i, 8);
			/* The lane masks mark a byte's own lane and may also mark
			 * higher lanes (a borrow), so only the lowest marked lane
			 * (__builtin_ctzll) is sure: fw_le64 puts s[i] in the lowest
			 * lane on any host (on a big-endian one it loads highest). */
			m = json_special(fw_le64(x));
			/* The whole word is written even when fewer bytes are kept:
			 * as many output bytes follow, since every input byte gives
			 * one or more. */
			memcpy(p, &x, 8);
			if (!m) {
				p += 8;
				i += 8;
				continue;
			}
			p += __builtin_ctzll(m) >> 3;
			i += __builtin_ctzll(m) >> 3;
		}
		c = s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*p++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t k = utf8_seq(s + i, n - i);

			if (k) {
				p = fw_put(p, (const char *)s + i, k);
				i += k;
				continue;
			}
		}
		p = esc_byte(p, c, true);
		i++;
	}
	return p;
}

/* Bytes that make a text value quoted: the printable ASCII ones are bare. */
static inline uint64_t text_special(uint64_t x, unsigned how)
{
	uint64_t m = any_below(x, 0x21) | any_equal(x, '"') | any_equal(x, '\\') | any_equal(x, 0x7f);

	if (how & FW_TV_BYTES)
		m |= x & HIGHS;
	if (how & FW_TV_LIST)
		m |= any_equal(x, ']');
	return m;
}

static bool text_has_special(const uint8_t *s, size_t n, unsigned how)
{
	size_t i = 0;
	uint64_t x;

	for (; n - i >= 8; i += 8) {
		memcpy(&x, s + i, 8);
		if (text_special(x, how))
			return true;
	}
	if (i == n)
		return false;
	x = 0x4141414141414141ull; /* 'A': never special */
	memcpy(&x, s + i, n - i);
	return text_special(x, how) != 0;
}

char *scap__fw_text_value(char *p, char pfx, const uint8_t *s, size_t n, unsigned how)
{
	bool quote = text_has_special(s, n, how);
	size_t i;

	/* Bare, an empty value would vanish and a string "NULL" or
	 * "<unreadable>" would read as the absent or unreadable value; none can
	 * happen behind a prefix. */
	if (!pfx)
		quote = quote || n == 0 ||
			((how & FW_TV_STRING) && ((n == 4 && !memcmp(s, "NULL", 4)) ||
						  (n == 12 && !memcmp(s, "<unreadable>", 12))));
	if (!quote) {
		if (pfx)
			*p++ = pfx;
		return fw_put(p, (const char *)s, n);
	}
	*p++ = '"';
	if (pfx)
		*p++ = pfx;
	for (i = 0; i < n; i++) {
		uint8_t c = s[i];

		if ((c >= 0x20 && c < 0x7f && c != '"' && c != '\\') || (c >= 0x80 && !(how & FW_TV_BYTES))) {
			*p++ = (char)c;
			continue;
		}
		p = esc_byte(p, c, false);
	}
	*p++ = '"';
	return p;
}
