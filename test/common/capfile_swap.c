// SPDX-License-Identifier: Apache-2.0
/*
 * A test tool: turns a little-endian capture file (version 2, plain bytes)
 * into the file a big-endian host would have written for the same events:
 * the container unchanged (it is little endian on every host), the HEADER's
 * BIG_ENDIAN flag set, every event (and exit copy, and table-only record)
 * byte-swapped field by field, and the payload CRCs redone.
 *
 * Written apart from the library's conversion (engines/savefile/sf_swap.c)
 * on purpose, so that a test comparing the two replays checks that code
 * rather than repeating it: its own per-type rules below, written from
 * docs/event-format.md, over its own expansion of events.def (only the
 * schema rows are shared), and its own walk of the container written from
 * docs/capture-file-format.md. It trusts its input (the writer's own output)
 * and says so when it is not what it expects.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "capfile_swap.h"

/* What the bytes of one parameter are, by its type (docs/event-format.md). */
enum rule { BYTES = 0, W1, W2, W4, W8, ARGS6, SADDR };

#define T_INT8 W1
#define T_UINT8 W1
#define T_INT16 W2
#define T_UINT16 W2
#define T_INT32 W4
#define T_UINT32 W4
#define T_UID W4
#define T_GID W4
#define T_SYSCALLID W4
#define T_FLAGS32 W4
#define T_ENUM32 W4
#define T_MODE W4
#define T_INT64 W8
#define T_UINT64 W8
#define T_FD W8
#define T_PID W8
#define T_RES W8
#define T_ADDR W8
#define T_FLAGS64 W8
#define T_ARGS ARGS6
#define T_SOCKADDR SADDR
#define T_PATH BYTES
#define T_CHARBUF BYTES
#define T_BYTEBUF BYTES
#define T_STRARRAY BYTES

struct row {
	unsigned n;
	unsigned char r[16];
};

#define P(name, type, src, aux) T_##type
#define SCAP_EVENT(code, sc, dir, cat, flags, ...) \
	{ sizeof((unsigned char[]){ __VA_ARGS__ }), { __VA_ARGS__ } },
static const struct row rows[] = {
#include "drivers/common/events.def"
};
#undef SCAP_EVENT
#undef P
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void rev(uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n / 2; i++) {
		uint8_t t = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

/* One little-endian event of len bytes, to big endian. */
static int swap_event(uint8_t *e, uint32_t len, char *why, size_t whylen)
{
	unsigned type = le16(e + 20), n = e[22];
	const struct row *row;
	uint32_t off;

	if (type >= NROWS || rows[type].n != n || 24 + 2 * n > len) {
		snprintf(why, whylen, "an event of type %u with %u parameters: not this schema's", type, n);
		return -1;
	}
	row = &rows[type];
	off = 24 + 2 * n;
	for (unsigned i = 0; i < n; i++) {
		uint8_t *d = e + off;
		uint32_t plen = le16(e + 24 + 2 * i) & 0x7fff;
		static const unsigned width[] = { [W1] = 1, [W2] = 2, [W4] = 4, [W8] = 8 };

		if (off + plen > len) {
			snprintf(why, whylen, "parameter %u of a %u-byte event runs past it", i, len);
			return -1;
		}
		switch (row->r[i]) {
		case W1: case W2: case W4: case W8:
			if (plen == width[row->r[i]])
				rev(d, plen);
			else if (plen) {
				snprintf(why, whylen, "parameter %u has %u bytes", i, plen);
				return -1;
			}
			break;
		case ARGS6:
			for (unsigned k = 0; plen == 48 && k < 6; k++)
				rev(d + 8 * k, 8);
			break;
		case SADDR:
			/* family code 1 (IPv4): addr(4, network order) port(2, host order) */
			if (plen == 7 && d[0] == 1)
				rev(d + 5, 2);
			else if (plen == 19 && d[0] == 2) /* IPv6 */
				rev(d + 17, 2);
			else if (plen == 3 && d[0] == 4) /* other: raw family, host order */
				rev(d + 1, 2);
			break;
		default:
			break;
		}
		off += plen;
	}
	for (unsigned i = 0; i < n; i++)
		rev(e + 24 + 2 * i, 2);
	rev(e + 0, 8);   /* ts */
	rev(e + 8, 4);   /* tid */
	rev(e + 12, 4);  /* pid */
	rev(e + 16, 4);  /* len */
	rev(e + 20, 2);  /* type */
	return 0;
}

int capfile_swap_to_be(uint8_t *f, size_t len, char *why, size_t whylen)
{
	size_t off = 16;

	if (len < 16 || memcmp(f, "SCAPCAP", 8) != 0 || le16(f + 8) != 2) {
		snprintf(why, whylen, "not a version-2 capture file (a gzip one: gunzip it first)");
		return -1;
	}
	while (off + 24 <= len) {
		uint8_t *head = f + off, *pl = head + 24;
		unsigned kind = le16(head + 4);
		uint32_t plen = le32(head + 8);

		if (memcmp(head, "SBLK", 4) != 0 || off + 24 + plen > len) {
			snprintf(why, whylen, "the block at offset %zu is cut or damaged", off);
			return -1;
		}
		if (kind == 1) { /* HEADER: flags at payload offset 12 */
			if (le32(pl + 12) & 4) {
				snprintf(why, whylen, "the file is big endian already");
				return -1;
			}
			put_le32(pl + 12, le32(pl + 12) | 4);
		} else if (kind == 2 || kind == 5) { /* EVENTS, EVENTS_PROC */
			uint32_t p = 16;

			while (p < plen) {
				uint8_t *e = pl + p + 8;
				uint32_t elen = p + 8 + 24 <= plen ? le32(e + 16) : 0;

				if (elen < 24 || p + 8 + elen > plen) {
					snprintf(why, whylen, "the record at offset %zu is damaged", off + 24 + p);
					return -1;
				}
				if (swap_event(e, elen, why, whylen) < 0)
					return -1;
				p += (8 + elen + 7) & ~7u;
			}
		}
		put_le32(head + 20, (uint32_t)crc32(crc32(0L, Z_NULL, 0), pl, plen));
		off += 24 + plen;
	}
	if (off != len) {
		snprintf(why, whylen, "%zu bytes after the last whole block", len - off);
		return -1;
	}
	return 0;
}
