// SPDX-License-Identifier: Apache-2.0
/*
 * Event accessors and the strict parameter decoder. Events come from kernel
 * memory and from files, so nothing in the bytes is trusted: every length is
 * checked against the event, every integer against its exact width, every
 * string for its NUL, every socket address for its family's size. Reading is
 * done with memcpy because engines may hand out events at any alignment.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scap/scap.h"
#include "schema_internal.h"

/* The opaque event is its own bytes. */
#define EVB(ev) ((const uint8_t *)(ev))

static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

uint16_t scap_event_type(const struct scap_event *ev)
{
	return rd16(EVB(ev) + offsetof(struct scap_evt_hdr, type));
}

uint64_t scap_event_ts(const struct scap_event *ev)
{
	return rd64(EVB(ev) + offsetof(struct scap_evt_hdr, ts));
}

uint32_t scap_event_tid(const struct scap_event *ev)
{
	return rd32(EVB(ev) + offsetof(struct scap_evt_hdr, tid));
}

uint32_t scap_event_pid(const struct scap_event *ev)
{
	return rd32(EVB(ev) + offsetof(struct scap_evt_hdr, pid));
}

uint32_t scap_event_len(const struct scap_event *ev)
{
	return rd32(EVB(ev) + offsetof(struct scap_evt_hdr, len));
}

unsigned scap_event_nparams(const struct scap_event *ev)
{
	return EVB(ev)[offsetof(struct scap_evt_hdr, nparams)];
}

unsigned scap_event_flags(const struct scap_event *ev)
{
	return EVB(ev)[offsetof(struct scap_evt_hdr, flags)];
}

const void *scap_event_bytes(const struct scap_event *ev)
{
	return ev;
}

unsigned scap_event_dir(const struct scap_event *ev)
{
	const struct scap_event_info *info = scap_event_info(scap_event_type(ev));

	return info ? info->dir : SCAP_DIR_EXIT;
}

static const uint8_t type_width[SCAP_PT_MAX] = {
	[SCAP_PT_INT8] = 1, [SCAP_PT_INT16] = 2, [SCAP_PT_INT32] = 4, [SCAP_PT_INT64] = 8,
	[SCAP_PT_UINT8] = 1, [SCAP_PT_UINT16] = 2, [SCAP_PT_UINT32] = 4, [SCAP_PT_UINT64] = 8,
	[SCAP_PT_FD] = 8, [SCAP_PT_PID] = 8, [SCAP_PT_UID] = 4, [SCAP_PT_GID] = 4,
	[SCAP_PT_RES] = 8, [SCAP_PT_SYSCALLID] = 4, [SCAP_PT_FLAGS32] = 4,
	[SCAP_PT_ENUM32] = 4, [SCAP_PT_MODE] = 4, [SCAP_PT_ADDR] = 8,
	[SCAP_PT_ARGS] = 8 * SCAP_GENERIC_NARGS, [SCAP_PT_FLAGS64] = 8,
};

static const char *const type_names[SCAP_PT_MAX] = {
	[SCAP_PT_NONE] = "NONE", [SCAP_PT_INT8] = "INT8", [SCAP_PT_INT16] = "INT16",
	[SCAP_PT_INT32] = "INT32", [SCAP_PT_INT64] = "INT64", [SCAP_PT_UINT8] = "UINT8",
	[SCAP_PT_UINT16] = "UINT16", [SCAP_PT_UINT32] = "UINT32", [SCAP_PT_UINT64] = "UINT64",
	[SCAP_PT_FD] = "FD", [SCAP_PT_PID] = "PID", [SCAP_PT_UID] = "UID", [SCAP_PT_GID] = "GID",
	[SCAP_PT_RES] = "RES", [SCAP_PT_SYSCALLID] = "SYSCALLID", [SCAP_PT_FLAGS32] = "FLAGS32",
	[SCAP_PT_ENUM32] = "ENUM32", [SCAP_PT_MODE] = "MODE", [SCAP_PT_ADDR] = "ADDR",
	[SCAP_PT_PATH] = "PATH", [SCAP_PT_CHARBUF] = "CHARBUF", [SCAP_PT_BYTEBUF] = "BYTEBUF",
	[SCAP_PT_SOCKADDR] = "SOCKADDR", [SCAP_PT_STRARRAY] = "STRARRAY", [SCAP_PT_ARGS] = "ARGS",
	[SCAP_PT_FLAGS64] = "FLAGS64",
};

unsigned scap__type_width(enum scap_param_type t)
{
	return (unsigned)t < SCAP_PT_MAX ? type_width[t] : 0;
}

const char *scap__type_name(unsigned t)
{
	return t < SCAP_PT_MAX && type_names[t] ? type_names[t] : "?";
}

__attribute__((format(printf, 3, 4)))
static int bad(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -EBADMSG;
}

/*
 * Checks the header of an event whose readable size is avail bytes and
 * returns its schema row. Everything scap_event_param relies on is here.
 */
static int check_header(const uint8_t *b, size_t avail, const struct scap_event_info **infop,
			char *why, size_t whylen)
{
	const struct scap_event_info *info;
	uint32_t len;
	unsigned type, n;

	if (avail < SCAP_EVT_HDR_LEN)
		return bad(why, whylen, "event of %zu bytes is shorter than its %u-byte header",
			   avail, SCAP_EVT_HDR_LEN);
	len = rd32(b + offsetof(struct scap_evt_hdr, len));
	type = rd16(b + offsetof(struct scap_evt_hdr, type));
	n = b[offsetof(struct scap_evt_hdr, nparams)];
	if (len < SCAP_EVT_HDR_LEN)
		return bad(why, whylen, "header length %u is shorter than the header", len);
	if (len > avail)
		return bad(why, whylen, "header length %u overruns the %zu bytes available", len, avail);
	if (len > SCAP_MAX_EVENT_LEN)
		return bad(why, whylen, "header length %u exceeds the limit %u", len, SCAP_MAX_EVENT_LEN);
	info = scap_event_info(type);
	if (!info)
		return bad(why, whylen, "unknown event type %u (this library knows 0..%u)", type,
			   SCAP_EV_MAX - 1);
	if (n != info->nparams)
		return bad(why, whylen, "event type %u (%s) has %u parameters, not %u", type,
			   info->name, info->nparams, n);
	if ((size_t)len < SCAP_EVT_HDR_LEN + (size_t)n * SCAP_PARAM_LEN_SIZE)
		return bad(why, whylen, "header length %u cannot hold %u parameter lengths", len, n);
	*infop = info;
	return 0;
}

static int check_sockaddr(const uint8_t *d, uint32_t len, char *why, size_t whylen, const char *name)
{
	switch (d[0]) {
	case SCAP_SA_UNSPEC:
		if (len != 1)
			return bad(why, whylen, "%s: AF_UNSPEC address of %u bytes, expected 1", name, len);
		return 0;
	case SCAP_SA_INET:
		if (len != 7)
			return bad(why, whylen, "%s: IPv4 address of %u bytes, expected 7", name, len);
		return 0;
	case SCAP_SA_INET6:
		if (len != 19)
			return bad(why, whylen, "%s: IPv6 address of %u bytes, expected 19", name, len);
		return 0;
	case SCAP_SA_UNIX:
		if (len < 2 || d[len - 1] != '\0')
			return bad(why, whylen, "%s: unix address of %u bytes without its final NUL", name, len);
		return 0;
	case SCAP_SA_OTHER:
		if (len != 3)
			return bad(why, whylen, "%s: other-family address of %u bytes, expected 3", name, len);
		return 0;
	default:
		return bad(why, whylen, "%s: unknown address family code %u", name, d[0]);
	}
}

/*
 * Decodes one value whose bytes (d, len) are known to lie inside the event;
 * word is its length word (data length and SCAP_PARAM_PARTIAL). Inlined: the
 * formatters' one-pass decoder calls it for every parameter.
 */
static inline __attribute__((always_inline)) int decode_value(unsigned type, const uint8_t *d, uint16_t word,
							     struct scap_param *out, char *why, size_t whylen)
{
	const char *name = out->name;
	uint32_t len = word & SCAP_PARAM_LEN_MASK;
	unsigned w;

	out->data = len ? d : NULL;
	out->len = len;
	out->v.u = 0;
	out->str = NULL;
	out->state = !(word & SCAP_PARAM_PARTIAL) ? SCAP_PARAM_WHOLE : len ? SCAP_PARAM_CUT : SCAP_PARAM_UNREADABLE;
	if (type == SCAP_PT_NONE || type >= SCAP_PT_MAX)
		return bad(why, whylen, "%s: unknown parameter type %u", name, type);
	if (len == 0)
		return 0;
	w = type_width[type];
	/* A number is whole or absent; an address only its family when cut. */
	if (out->state == SCAP_PARAM_CUT && (w || (type == SCAP_PT_SOCKADDR && d[0] != SCAP_SA_OTHER)))
		return bad(why, whylen, "%s: %s of %u bytes marked cut", name, type_names[type], len);
	if (w && type != SCAP_PT_ARGS) {
		if (len != w)
			return bad(why, whylen, "%s: %s of %u bytes, expected %u", name,
				   type_names[type], len, w);
		switch (type) {
		case SCAP_PT_INT8: out->v.i = (int8_t)d[0]; break;
		case SCAP_PT_UINT8: out->v.u = d[0]; break;
		case SCAP_PT_INT16: out->v.i = (int16_t)rd16(d); break;
		case SCAP_PT_UINT16: out->v.u = rd16(d); break;
		case SCAP_PT_INT32: case SCAP_PT_ENUM32: out->v.i = (int32_t)rd32(d); break;
		case SCAP_PT_UINT32: case SCAP_PT_UID: case SCAP_PT_GID: case SCAP_PT_SYSCALLID:
		case SCAP_PT_FLAGS32: case SCAP_PT_MODE:
			out->v.u = rd32(d);
			break;
		default: /* the 8-byte ones: signed and unsigned share the bits */
			out->v.u = rd64(d);
			break;
		}
		return 0;
	}
	switch (type) {
	case SCAP_PT_PATH:
	case SCAP_PT_CHARBUF:
		if (d[len - 1] != '\0')
			return bad(why, whylen, "%s: string of %u bytes without its final NUL", name, len);
		out->str = (const char *)d;
		return 0;
	case SCAP_PT_STRARRAY:
		/* Strings each with its NUL, then the NUL that ends the array. */
		if (d[len - 1] != '\0')
			return bad(why, whylen, "%s: string array of %u bytes without its final NUL", name, len);
		if (len >= 2 && d[len - 2] != '\0')
			return bad(why, whylen, "%s: string array of %u bytes whose last string has no NUL "
				   "before the array's final NUL", name, len);
		return 0;
	case SCAP_PT_SOCKADDR:
		return check_sockaddr(d, len, why, whylen, name);
	case SCAP_PT_ARGS:
		if (len != w)
			return bad(why, whylen, "%s: ARGS of %u bytes, expected %u", name, len, w);
		return 0;
	case SCAP_PT_BYTEBUF:
		return 0;
	default:
		return bad(why, whylen, "%s: unknown parameter type %u", name, type);
	}
}

/* The offset of parameter idx's data, checked against the event's length; *plen is its length word. */
static int param_bounds(const uint8_t *b, uint32_t evlen, unsigned n, unsigned idx,
			uint32_t *off, uint16_t *plen, char *why, size_t whylen)
{
	uint32_t o = SCAP_EVT_HDR_LEN + n * SCAP_PARAM_LEN_SIZE;
	unsigned i;

	for (i = 0; i < idx; i++)
		o += rd16(b + SCAP_EVT_HDR_LEN + i * SCAP_PARAM_LEN_SIZE) & SCAP_PARAM_LEN_MASK;
	*plen = rd16(b + SCAP_EVT_HDR_LEN + idx * SCAP_PARAM_LEN_SIZE);
	if ((uint64_t)o + (*plen & SCAP_PARAM_LEN_MASK) > evlen)
		return bad(why, whylen, "parameter %u: %u bytes at offset %u overrun the %u-byte event",
			   idx, *plen & SCAP_PARAM_LEN_MASK, o, evlen);
	*off = o;
	return 0;
}

static int param_at(const uint8_t *b, const struct scap_event_info *info, unsigned idx,
		    struct scap_param *out, char *why, size_t whylen)
{
	uint32_t evlen = rd32(b + offsetof(struct scap_evt_hdr, len));
	uint32_t off = 0;
	uint16_t plen = 0;
	int err;

	out->name = info->params[idx].name;
	out->type = info->params[idx].type;
	out->aux = info->params[idx].aux;
	err = param_bounds(b, evlen, info->nparams, idx, &off, &plen, why, whylen);
	if (err) {
		out->data = NULL;
		out->len = 0;
		out->v.u = 0;
		out->str = NULL;
		out->state = SCAP_PARAM_WHOLE;
		return err;
	}
	return decode_value(info->params[idx].type, b + off, plen, out, why, whylen);
}

int scap_event_param(const struct scap_event *ev, unsigned idx, struct scap_param *out)
{
	const struct scap_event_info *info = NULL;
	const uint8_t *b = EVB(ev);
	int err;

	if (!ev || !out)
		return -EINVAL;
	/* The event's own length is the bound: engines deliver whole events. */
	err = check_header(b, rd32(b + offsetof(struct scap_evt_hdr, len)), &info, NULL, 0);
	if (err)
		return err;
	if (idx >= info->nparams)
		return -ERANGE;
	return param_at(b, info, idx, out, NULL, 0);
}

/*
 * The formatters' decoder: one pass, the header checked once and the offsets
 * accumulated, where scap_event_param checks the header and sums the lengths
 * before idx on every call (quadratic over an event). Same checks, same
 * results, parameter by parameter.
 */
const struct scap_event_info *scap__event_decode(const struct scap_event *ev, struct scap_param *out, int *err)
{
	const struct scap_event_info *info = NULL;
	const uint8_t *b = EVB(ev);
	uint32_t evlen = rd32(b + offsetof(struct scap_evt_hdr, len)), off;
	unsigned i, n;

	if (check_header(b, evlen, &info, NULL, 0))
		return NULL;
	n = info->nparams;
	off = SCAP_EVT_HDR_LEN + n * SCAP_PARAM_LEN_SIZE;
	for (i = 0; i < n; i++) {
		uint16_t word = rd16(b + SCAP_EVT_HDR_LEN + i * SCAP_PARAM_LEN_SIZE);
		uint32_t plen = word & SCAP_PARAM_LEN_MASK;

		out[i].name = info->params[i].name;
		out[i].type = info->params[i].type;
		out[i].aux = info->params[i].aux;
		if ((uint64_t)off + plen > evlen) {
			out[i].data = NULL;
			out[i].len = 0;
			out[i].v.u = 0;
			out[i].str = NULL;
			out[i].state = SCAP_PARAM_WHOLE;
			err[i] = -EBADMSG;
		} else {
			err[i] = decode_value(info->params[i].type, b + off, word, &out[i], NULL, 0);
		}
		off += plen;
	}
	return info;
}

int scap_event_param_by_name(const struct scap_event *ev, const char *name, struct scap_param *out)
{
	const struct scap_event_info *info = NULL;
	const uint8_t *b = EVB(ev);
	unsigned i;
	int err;

	if (!ev || !name || !out)
		return -EINVAL;
	err = check_header(b, rd32(b + offsetof(struct scap_evt_hdr, len)), &info, NULL, 0);
	if (err)
		return err;
	for (i = 0; i < info->nparams; i++)
		if (strcmp(info->params[i].name, name) == 0)
			return param_at(b, info, i, out, NULL, 0);
	return -ENOENT;
}

int scap_event_validate(const void *buf, size_t len, char *why, size_t whylen)
{
	const struct scap_event_info *info;
	const uint8_t *b = buf;
	const char *cut = NULL;
	struct scap_param p;
	uint32_t total, evlen;
	unsigned i;
	int err;

	if (why && whylen)
		why[0] = '\0';
	if (!buf)
		return bad(why, whylen, "no event (NULL buffer)");
	err = check_header(b, len, &info, why, whylen);
	if (err)
		return err;
	evlen = rd32(b + offsetof(struct scap_evt_hdr, len));
	if (evlen != len)
		return bad(why, whylen, "header length %u differs from the %zu bytes given", evlen, len);
	total = SCAP_EVT_HDR_LEN + info->nparams * SCAP_PARAM_LEN_SIZE;
	for (i = 0; i < info->nparams; i++)
		total += rd16(b + SCAP_EVT_HDR_LEN + i * SCAP_PARAM_LEN_SIZE) & SCAP_PARAM_LEN_MASK;
	if (total != evlen)
		return bad(why, whylen, "parameter lengths add up to %u bytes, header says %u", total, evlen);
	for (i = 0; i < info->nparams; i++) {
		err = param_at(b, info, i, &p, why, whylen);
		if (err)
			return err;
		if (p.state == SCAP_PARAM_CUT)
			cut = p.name;
	}
	/* The header's mark says whether some value was cut: one without the other is a lie. */
	if (cut && !(b[offsetof(struct scap_evt_hdr, flags)] & SCAP_EVF_TRUNCATED))
		return bad(why, whylen, "%s is marked cut but the header lacks SCAP_EVF_TRUNCATED", cut);
	if (!cut && (b[offsetof(struct scap_evt_hdr, flags)] & SCAP_EVF_TRUNCATED))
		return bad(why, whylen, "the header has SCAP_EVF_TRUNCATED but no parameter is marked cut");
	return 0;
}

/* "syscall_<nr>" for every number without a name, built once on first use. */
static char unknown_names[SCAP_NR_SYSCALLS][16];
static pthread_once_t unknown_names_once = PTHREAD_ONCE_INIT;

static void unknown_names_fill(void)
{
	unsigned i;

	for (i = 0; i < SCAP_NR_SYSCALLS; i++)
		snprintf(unknown_names[i], sizeof(unknown_names[i]), "syscall_%u", i);
}

static const char *unknown_syscall_name(uint32_t nr)
{
	if (nr >= SCAP_NR_SYSCALLS)
		return "syscall_unknown";
	pthread_once(&unknown_names_once, unknown_names_fill);
	return unknown_names[nr];
}

const char *scap_event_name(const struct scap_event *ev)
{
	const struct scap_event_info *info = scap_event_info(scap_event_type(ev));
	struct scap_param p;
	const char *n;

	if (!info)
		return "unknown";
	if (!(info->flags & SCAP_EF_GENERIC))
		return info->name;
	/* The generic row carries the syscall number as parameter 1 (test_schema checks it). */
	if (scap_event_param(ev, 1, &p) < 0 || p.type != SCAP_PT_SYSCALLID || !p.len)
		return "syscall";
	n = scap_syscall_name((int)p.v.u);
	return n ? n : unknown_syscall_name((uint32_t)p.v.u);
}
