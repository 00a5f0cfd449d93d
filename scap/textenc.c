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
		/* The sun_path bytes, whole: an abstract name's NULs show as \x00. */
		scap__text_escape(sb, d + 1, len - 2, false);
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
