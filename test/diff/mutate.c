// SPDX-License-Identifier: Apache-2.0
/* The self-check's mutations (mutate.h). */
#include <stdlib.h>
#include <string.h>

#include "mutate.h"

static uint16_t word_at(const uint8_t *ev, unsigned i)
{
	uint16_t w;

	memcpy(&w, ev + SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * i, sizeof(w));
	return w;
}

/* A copy of ev whose parameter idx is (word, data); the header's length and TRUNCATED follow. */
static uint8_t *replace(const uint8_t *ev, unsigned idx, uint16_t word, const uint8_t *data)
{
	struct scap_evt_hdr h;
	uint32_t pos, src, total = 0;
	bool cut = false;
	uint8_t *o;

	memcpy(&h, ev, sizeof(h));
	for (unsigned i = 0; i < h.nparams; i++) {
		uint16_t w = i == idx ? word : word_at(ev, i);

		total += w & SCAP_PARAM_LEN_MASK;
		cut |= (w & SCAP_PARAM_PARTIAL) && (w & SCAP_PARAM_LEN_MASK);
	}
	total += SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * h.nparams;
	o = malloc(total);
	if (!o)
		return NULL;
	h.len = total;
	h.flags = (uint8_t)((h.flags & ~SCAP_EVF_TRUNCATED) | (cut ? SCAP_EVF_TRUNCATED : 0));
	memcpy(o, &h, sizeof(h));
	pos = src = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * h.nparams;
	for (unsigned i = 0; i < h.nparams; i++) {
		uint16_t w = word_at(ev, i), nw = i == idx ? word : w;

		memcpy(o + SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * i, &nw, sizeof(nw));
		memcpy(o + pos, i == idx ? data : ev + src, nw & SCAP_PARAM_LEN_MASK);
		pos += nw & SCAP_PARAM_LEN_MASK;
		src += w & SCAP_PARAM_LEN_MASK;
	}
	return o;
}

static const uint8_t *data_at(const uint8_t *ev, unsigned idx)
{
	uint32_t off = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * ((const struct scap_evt_hdr *)ev)->nparams;

	for (unsigned i = 0; i < idx; i++)
		off += word_at(ev, i) & SCAP_PARAM_LEN_MASK;
	return ev + off;
}

unsigned mut_field(const uint8_t *ev, const struct fld *f, uint8_t *out[MUT_MAX], const char *what[MUT_MAX])
{
	const struct scap_event_info *info = scap_event_info(((const struct scap_evt_hdr *)ev)->type);
	uint8_t d[SCAP_MAX_PARAM_LEN + 2];
	unsigned n = 0, idx;
	uint16_t w, len;
	int type;

	if (!info || f->param < 0 || (unsigned)f->param >= info->nparams)
		return 0;
	idx = (unsigned)f->param;
	type = info->params[idx].type;
	w = word_at(ev, idx);
	len = w & SCAP_PARAM_LEN_MASK;
	memcpy(d, data_at(ev, idx), len);

	/* The value. */
	switch (type) {
	case SCAP_PT_PATH:
	case SCAP_PT_CHARBUF:
		if (len >= 2) {
			d[0] ^= 1;
		} else {
			/* "" or no value: "x" */
			d[0] = 'x';
			d[1] = 0;
			len = 2;
		}
		what[n] = "value";
		break;
	case SCAP_PT_BYTEBUF:
		if (len)
			d[0] ^= 1;
		else
			d[len++] = 'x';
		what[n] = "value";
		break;
	case SCAP_PT_STRARRAY:
		if (len >= 2 && d[0]) {
			d[0] ^= 1; /* the first string */
		} else if (len == 0) {
			d[len++] = 0; /* NULL becomes [] */
		} else {
			/* [] or ["", ...]: one more string, before the array's NUL */
			d[len - 1] = 1;
			d[len++] = 0;
			d[len++] = 0;
		}
		what[n] = "value";
		break;
	case SCAP_PT_SOCKADDR:
		if (!len) {
			d[0] = SCAP_SA_UNSPEC;
			len = 1;
		} else if (d[0] == SCAP_SA_INET && len == 7) {
			d[5] ^= 1;
		} else if (d[0] == SCAP_SA_INET6 && len == 19) {
			d[17] ^= 1;
		} else if (d[0] == SCAP_SA_UNIX && len > 2) {
			d[1] ^= 1;
		} else if (d[0] == SCAP_SA_UNIX) {
			d[1] = 'x';
			d[2] = 0;
			len = 3;
		} else if (d[0] == SCAP_SA_OTHER && len == 3) {
			d[1] ^= 1;
		} else {
			d[0] = SCAP_SA_OTHER;
			d[1] = 0xff;
			d[2] = 0xff;
			len = 3;
		}
		what[n] = "value";
		break;
	case SCAP_PT_ARGS:
		if (len != 8 * SCAP_GENERIC_NARGS || f->sub < 0)
			return 0;
		d[8 * f->sub] ^= 1;
		what[n] = "value";
		break;
	default:
		/* A number: its low bit. An absent number is not a compared value. */
		if (!len)
			return 0;
		d[0] ^= 1;
		what[n] = "value";
		break;
	}
	out[n] = replace(ev, idx, (uint16_t)(len | (w & SCAP_PARAM_PARTIAL)), d);
	if (out[n])
		n++;

	/* The mark: a whole value said cut, a cut one said whole. */
	if (type == SCAP_PT_PATH || type == SCAP_PT_CHARBUF || type == SCAP_PT_BYTEBUF || type == SCAP_PT_STRARRAY) {
		len = w & SCAP_PARAM_LEN_MASK;
		if (len) {
			memcpy(d, data_at(ev, idx), len);
			out[n] = replace(ev, idx, (uint16_t)(w ^ SCAP_PARAM_PARTIAL), d);
			what[n] = w & SCAP_PARAM_PARTIAL ? "cut mark removed" : "cut mark added";
			if (out[n])
				n++;
		}
	}
	return n;
}
