// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <string.h>

#include "event_builder.h"
#include "schema_internal.h"

static uint32_t value_len(unsigned type, const struct scap_bval *v)
{
	unsigned w;

	if (v->empty)
		return 0;
	w = scap__type_width(type);
	if (w && type != SCAP_PT_ARGS)
		return w;
	if (type == SCAP_PT_PATH || type == SCAP_PT_CHARBUF) {
		if (!v->p)
			return 0;
		return v->len ? v->len : (uint32_t)strlen(v->p) + 1;
	}
	return v->p ? v->len : 0;
}

int scap_event_build_size(uint16_t code, const struct scap_bval *vals, unsigned nvals)
{
	const struct scap_event_info *info = scap_event_info(code);
	uint64_t total;
	unsigned i;

	if (!info || nvals != info->nparams)
		return -EINVAL;
	total = SCAP_EVT_HDR_LEN + (uint64_t)nvals * SCAP_PARAM_LEN_SIZE;
	for (i = 0; i < nvals; i++) {
		uint32_t l = value_len(info->params[i].type, &vals[i]);

		if (l > SCAP_MAX_PARAM_LEN)
			return -EINVAL;
		total += l;
	}
	return total > SCAP_MAX_EVENT_LEN ? -EINVAL : (int)total;
}

int scap_event_build(void *buf, size_t cap, uint16_t code, const struct scap_bhdr *hdr,
		     const struct scap_bval *vals, unsigned nvals)
{
	const struct scap_event_info *info = scap_event_info(code);
	struct scap_evt_hdr h;
	uint8_t *b = buf, *data;
	unsigned i;
	int total = scap_event_build_size(code, vals, nvals);

	if (total < 0)
		return total;
	if ((size_t)total > cap)
		return -ENOSPC;
	memset(&h, 0, sizeof(h));
	h.ts = hdr ? hdr->ts : 0;
	h.tid = hdr ? hdr->tid : 0;
	h.pid = hdr ? hdr->pid : 0;
	h.flags = hdr ? hdr->flags : 0;
	h.len = (uint32_t)total;
	h.type = code;
	h.nparams = (uint8_t)nvals;
	memcpy(b, &h, sizeof(h));
	data = b + SCAP_EVT_HDR_LEN + nvals * SCAP_PARAM_LEN_SIZE;
	for (i = 0; i < nvals; i++) {
		unsigned type = info->params[i].type;
		uint16_t l = (uint16_t)value_len(type, &vals[i]);
		uint16_t word = (uint16_t)(l | (vals[i].partial ? SCAP_PARAM_PARTIAL : 0));
		unsigned w = scap__type_width(type);

		memcpy(b + SCAP_EVT_HDR_LEN + i * SCAP_PARAM_LEN_SIZE, &word, sizeof(word));
		if (!l)
			continue;
		if (vals[i].partial)
			b[offsetof(struct scap_evt_hdr, flags)] |= SCAP_EVF_TRUNCATED;
		if (w && type != SCAP_PT_ARGS) {
			/* Little endian: the low w bytes of the value. */
			memcpy(data, &vals[i].u, w);
		} else {
			memcpy(data, vals[i].p, l);
		}
		data += l;
	}
	return total;
}

uint32_t scap_sa_inet(uint8_t out[7], const uint8_t addr[4], uint16_t port)
{
	out[0] = SCAP_SA_INET;
	memcpy(out + 1, addr, 4);
	memcpy(out + 5, &port, 2);
	return 7;
}

uint32_t scap_sa_inet6(uint8_t out[19], const uint8_t addr[16], uint16_t port)
{
	out[0] = SCAP_SA_INET6;
	memcpy(out + 1, addr, 16);
	memcpy(out + 17, &port, 2);
	return 19;
}

uint32_t scap_sa_unix(uint8_t *out, const char *path, uint32_t plen)
{
	out[0] = SCAP_SA_UNIX;
	memcpy(out + 1, path, plen);
	out[1 + plen] = '\0';
	return plen + 2;
}
