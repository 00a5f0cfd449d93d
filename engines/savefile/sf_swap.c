// SPDX-License-Identifier: Apache-2.0
/*
 * Events of a capture file recorded on a host of the other byte order,
 * turned into this host's order before they are checked and delivered. The
 * file's container is little endian on every host; its events are in the
 * order of the host that produced them (the HEADER's BIG_ENDIAN flag says
 * which), because the drivers write host integers and the writer copies
 * events whole. What each parameter's bytes are comes from the schema row
 * of the event's type, so the conversion is the decoder's view of the event
 * (docs/event-format.md), field by field:
 *
 *   header              ts (8), tid, pid, len (4 each), type (2); nparams
 *                       and flags are bytes
 *   length words        2 bytes each
 *   fixed-width types   one integer of their width (INT*, UINT*, FD, PID,
 *                       UID, GID, RES, SYSCALLID, FLAGS*, ENUM32, MODE, ADDR)
 *   ARGS                six 8-byte integers
 *   SOCKADDR            the family code is a byte; IPv4/IPv6 addresses are
 *                       network order on every host and stay as they are;
 *                       the port follows them in host order (the drivers
 *                       convert it), and so does SCAP_SA_OTHER's raw family
 *   PATH, CHARBUF, STRARRAY, BYTEBUF   bytes: untouched
 *
 * Nothing is trusted: the walk stops where the bytes stop making sense (an
 * unknown type, a count or length that does not fit) and leaves the rest
 * as it is, for scap_event_validate to refuse with the message it gives
 * any malformed event. A field is converted only when it lies inside the
 * event and has its type's exact size.
 */
#include <string.h>

#include "sf.h"
#include "scap/common/fixed_len.h"

static inline void swap16(uint8_t *p)
{
	uint8_t t = p[0];

	p[0] = p[1];
	p[1] = t;
}

static inline void swap32(uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

static inline void swap64(uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
}

static void swap_width(uint8_t *p, unsigned w)
{
	switch (w) {
	case 2: swap16(p); break;
	case 4: swap32(p); break;
	case 8: swap64(p); break;
	default: break; /* 1: a byte has no order */
	}
}

static void swap_sockaddr(uint8_t *d, uint32_t len)
{
	if (!len)
		return;
	if (d[0] == SCAP_SA_INET && len == 7)
		swap16(d + 5);
	else if (d[0] == SCAP_SA_INET6 && len == 19)
		swap16(d + 17);
	else if (d[0] == SCAP_SA_OTHER && len == 3)
		swap16(d + 1);
}

static void swap_value(unsigned type, uint8_t *d, uint32_t len)
{
	unsigned w;

	switch (type) {
	case SCAP_PT_ARGS:
		if (len == 8u * SCAP_GENERIC_NARGS)
			for (unsigned k = 0; k < SCAP_GENERIC_NARGS; k++)
				swap64(d + 8u * k);
		return;
	case SCAP_PT_SOCKADDR:
		swap_sockaddr(d, len);
		return;
	case SCAP_PT_PATH:
	case SCAP_PT_CHARBUF:
	case SCAP_PT_STRARRAY:
	case SCAP_PT_BYTEBUF:
		return;
	default:
		w = SCAP_PT_FIXED_SIZE(type);
		/* Another size is malformed: the validator says so. */
		if (w <= 8 && len == w)
			swap_width(d, w);
		return;
	}
}

void sf_event_swap(uint8_t *ev, uint32_t len)
{
	const struct scap_event_info *info;
	uint32_t off, n, plen;
	uint16_t type;

	if (len < SCAP_EVT_HDR_LEN)
		return;
	swap64(ev + 0);
	swap32(ev + 8);
	swap32(ev + 12);
	swap32(ev + 16);
	swap16(ev + 20);
	memcpy(&type, ev + 20, sizeof(type));
	info = scap_event_info(type);
	n = ev[22];
	if (!info || n != info->nparams || n > SCAP_MAX_PARAMS ||
	    SCAP_EVT_HDR_LEN + n * SCAP_PARAM_LEN_SIZE > len)
		return;
	off = SCAP_EVT_HDR_LEN + n * SCAP_PARAM_LEN_SIZE;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *w = ev + SCAP_EVT_HDR_LEN + i * SCAP_PARAM_LEN_SIZE;
		uint16_t word;

		swap16(w);
		memcpy(&word, w, sizeof(word));
		plen = word & SCAP_PARAM_LEN_MASK;
		if (plen > len - off) {
			/* The rest stays as it is: the validator refuses the event. */
			for (uint32_t k = i + 1; k < n; k++)
				swap16(ev + SCAP_EVT_HDR_LEN + k * SCAP_PARAM_LEN_SIZE);
			return;
		}
		swap_value(info->params[i].type, ev + off, plen);
		off += plen;
	}
}
