// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>
#include <string.h>

#include "flagsets.h"
#include "scap/scap.h"
#include "textenc.h"

static const char hexd[] = "0123456789abcdef";

void scap__text_escape(struct scap_sb *sb, const uint8_t *s, size_t n, bool bytes)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		uint8_t c = s[i];
		char esc[4];

		if ((c >= 0x20 && c < 0x7f && c != '\\') || (!bytes && c >= 0x80)) {
			run++;
			continue;
		}
		if (run)
			scap_sb_put(sb, (const char *)s + i - run, run);
		run = 0;
		switch (c) {
		case '\\': scap_sb_put(sb, "\\\\", 2); break;
		case '\n': scap_sb_put(sb, "\\n", 2); break;
		case '\r': scap_sb_put(sb, "\\r", 2); break;
		case '\t': scap_sb_put(sb, "\\t", 2); break;
		default:
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hexd[c >> 4];
			esc[3] = hexd[c & 15];
			scap_sb_put(sb, esc, 4);
		}
	}
	if (run)
		scap_sb_put(sb, (const char *)s + n - run, run);
}

/* ASCII bytes a JSON string carries as they are. */
static const uint8_t json_plain[256] = {
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
	R16(0), R16(0),                                        /* controls */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,        /* '"' */
	R16(1), R16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,        /* '\\' */
	R16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,        /* DEL */
	/* >= 0x80: checked as UTF-8 */
#undef R16
};

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
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

void scap__json_body(struct scap_sb *sb, const uint8_t *s, size_t n)
{
	size_t i = 0, run = 0;

	while (i < n) {
		uint8_t c = s[i];
		size_t k;
		char esc[6];

		if (json_plain[c]) {
			run++;
			i++;
			continue;
		}
		if (c >= 0x80) {
			k = utf8_seq(s + i, n - i);
			if (k) {
				run += k;
				i += k;
				continue;
			}
		}
		if (run)
			scap_sb_put(sb, (const char *)s + i - run, run);
		run = 0;
		switch (c) {
		case '"': scap_sb_put(sb, "\\\"", 2); break;
		case '\\': scap_sb_put(sb, "\\\\", 2); break;
		case '\n': scap_sb_put(sb, "\\n", 2); break;
		case '\r': scap_sb_put(sb, "\\r", 2); break;
		case '\t': scap_sb_put(sb, "\\t", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hexd[c >> 4];
			esc[5] = hexd[c & 15];
			scap_sb_put(sb, esc, 6);
		}
		i++;
	}
	if (run)
		scap_sb_put(sb, (const char *)s + n - run, run);
}

void scap__json_string(struct scap_sb *sb, const uint8_t *s, size_t n)
{
	scap_sb_putc(sb, '"');
	scap__json_body(sb, s, n);
	scap_sb_putc(sb, '"');
}

void scap__sockaddr_format(struct scap_sb *sb, const uint8_t *d, uint32_t len)
{
	char ip[INET6_ADDRSTRLEN];
	uint16_t port, fam;

	switch (d[0]) {
	case SCAP_SA_INET:
		memcpy(&port, d + 5, 2);
		inet_ntop(AF_INET, d + 1, ip, sizeof(ip));
		scap_sb_printf(sb, "%s:%u", ip, port);
		return;
	case SCAP_SA_INET6:
		memcpy(&port, d + 17, 2);
		inet_ntop(AF_INET6, d + 1, ip, sizeof(ip));
		scap_sb_printf(sb, "[%s]:%u", ip, port);
		return;
	case SCAP_SA_UNIX:
		/* An abstract name starts with a NUL; print it the way ss(8) does. */
		if (len >= 3 && d[1] == '\0') {
			scap_sb_putc(sb, '@');
			scap__text_escape(sb, d + 2, strnlen((const char *)d + 2, len - 2), false);
		} else {
			scap__text_escape(sb, d + 1, strnlen((const char *)d + 1, len - 1), false);
		}
		return;
	case SCAP_SA_OTHER:
		memcpy(&fam, d + 1, 2);
		scap__enum_format(sb, SCAP_FS_SOCK_DOMAIN, fam);
		return;
	default:
		scap_sb_puts(sb, "AF_UNSPEC");
		return;
	}
}
