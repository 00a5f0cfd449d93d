// SPDX-License-Identifier: Apache-2.0
/* One strace line against one scap event (compare.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

/* Bytes as text for messages: printable as they are, the rest \xNN, at most ~60 shown. */
static void show(char *out, size_t len, const uint8_t *b, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 8 < len; i++) {
		if (i == 60) {
			o += (size_t)snprintf(out + o, len - o, "...(%zu bytes)", n);
			break;
		}
		o += (size_t)snprintf(out + o, len - o, b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\' ? "%c" : "\\x%02x",
				      b[i]);
	}
	out[o < len ? o : len - 1] = '\0';
}

static const char *state_name(const struct scap_param *p)
{
	return p->state == SCAP_PARAM_CUT ? " (cut)" : p->state == SCAP_PARAM_UNREADABLE ? " (unreadable)" : "";
}

static struct fld *add(struct fld *out, unsigned *n, const char *name, int param, int sub)
{
	struct fld *f;

	if (*n >= CMP_MAX_FIELDS)
		return NULL;
	f = &out[(*n)++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->param = param;
	f->sub = sub;
	return f;
}

__attribute__((format(printf, 2, 3))) static void mismatch(struct fld *f, const char *fmt, ...)
{
	va_list ap;

	f->r = FLD_MISMATCH;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
}

int cmp_event_nr(const struct scap_event *ev)
{
	const struct scap_event_info *info = scap_event_info(scap_event_type(ev));
	struct scap_param p;

	if (!info)
		return -1;
	if (info->flags & SCAP_EF_GENERIC)
		return scap_event_param(ev, 1, &p) == 0 && p.len ? (int)p.v.u : -1;
	return info->syscall_nr;
}

/* ---- numbers ------------------------------------------------------------------------------ */

/* A fixed-width scap value against a number of strace's, compared at the value's width. */
static void cmp_number(struct fld *f, const struct scap_param *p, const char *tok)
{
	uint64_t sv, mask;

	if (!st_num(tok, &sv)) {
		f->r = FLD_SKIP;
		return;
	}
	if (!p->len) {
		if (p->state == SCAP_PARAM_UNREADABLE)
			f->r = FLD_UNREADABLE;
		else
			mismatch(f, "scap has no value, strace %s", tok);
		return;
	}
	mask = p->len >= 8 ? ~0ull : (1ull << (8 * p->len)) - 1;
	if ((p->v.u & mask) == (sv & mask))
		f->r = FLD_EQUAL;
	else
		mismatch(f, "scap %#llx, strace %s", (unsigned long long)(p->v.u & mask), tok);
}

/* A raw argument of the generic event: int arguments are compared on their 32 bits. */
static void cmp_raw(struct fld *f, uint64_t raw, const char *tok)
{
	uint64_t sv;
	int64_t s;

	if (!st_num(tok, &sv) || strchr(tok, '|')) {
		f->r = FLD_SKIP;
		return;
	}
	s = (int64_t)sv;
	if ((s >= INT32_MIN && s <= (int64_t)UINT32_MAX) ? (uint32_t)raw == (uint32_t)sv : raw == sv)
		f->r = FLD_EQUAL;
	else
		mismatch(f, "scap %#llx, strace %s", (unsigned long long)raw, tok);
}

/* ---- strings and buffers ---------------------------------------------------------------------- */

/*
 * scap's bytes (its string without the NUL, or its buffer) against strace's
 * argument: a string (maybe cut by strace's -s), NULL, or the address of
 * memory strace could not read either.
 */
/* memcmp for n bytes, where an empty value may come with a NULL pointer. */
static bool bytes_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	return n == 0 || !memcmp(a, b, n);
}

static void cmp_text(struct fld *f, const struct scap_param *p, const uint8_t *sb, size_t sn, const char *tok,
		     bool buffer)
{
	uint8_t *t = malloc(strlen(tok) + 1);
	char a[160], b[160];
	size_t tn = 0;
	bool more;

	if (!t) {
		mismatch(f, "out of memory");
		return;
	}
	if (!strcmp(tok, "NULL") || st_is_addr(tok)) {
		/* NULL: no value. An address: the memory could not be read (or, for a
		 * buffer of a failed call, holds nothing the call used). */
		bool want_unread = st_is_addr(tok) && !buffer;

		if (p->len == 0 && (p->state == SCAP_PARAM_UNREADABLE) == want_unread)
			f->r = FLD_EQUAL;
		else if (buffer && p->len == 0)
			f->r = FLD_EQUAL;
		else
			mismatch(f, "scap %zu bytes%s, strace %s", sn, state_name(p), tok);
		free(t);
		return;
	}
	if (!st_str(tok, t, &tn, &more)) {
		f->r = FLD_SKIP;
		free(t);
		return;
	}
	show(a, sizeof(a), sb, sn);
	show(b, sizeof(b), t, tn);
	if (p->state == SCAP_PARAM_UNREADABLE) {
		f->r = FLD_UNREADABLE;
	} else if (p->len == 0 && !(buffer && tn == 0)) {
		mismatch(f, "scap has no value, strace \"%s\"", b);
	} else if (p->state == SCAP_PARAM_CUT) {
		/* What scap kept is strace's beginning, and strace's value is longer. */
		if (sn <= tn && bytes_eq(sb, t, sn) && (sn < tn || more))
			f->r = FLD_CUT;
		else
			mismatch(f, "scap \"%s\" (cut), strace \"%s\"%s", a, b, more ? "..." : "");
	} else if (more ? (sn >= tn && bytes_eq(sb, t, tn)) : (sn == tn && bytes_eq(sb, t, tn))) {
		f->r = FLD_EQUAL;
	} else {
		mismatch(f, "scap \"%s\", strace \"%s\"%s", a, b, more ? "..." : "");
	}
	free(t);
}

static void cmp_string_param(struct fld *f, const struct scap_param *p, const char *tok, bool buffer)
{
	const uint8_t *d = p->data;
	size_t n = p->len;

	/* A string's NUL is the encoding's, not the value's. */
	if (!buffer && n)
		n--;
	cmp_text(f, p, d, n, tok, buffer);
}

/*
 * A buffer's mark against the length the syscall used (its result or count
 * argument, as strace shows it): cut exactly when scap kept less, which
 * strace's own -s cut cannot tell.
 */
static void cmp_buffer_len(struct fld *f, const struct scap_param *p, const struct st_call *c, unsigned aux)
{
	uint64_t full;
	bool known = false;

	if (f->r != FLD_EQUAL && f->r != FLD_CUT)
		return;
	if (aux == SCAP_SRC_RET && c->ret_known) {
		full = c->ret < 0 ? 0 : (uint64_t)c->ret;
		known = true;
	} else if (SCAP_SRC_IS_ARG(aux) && SCAP_SRC_ARGNO(aux) < c->nargs) {
		known = st_num(c->args[SCAP_SRC_ARGNO(aux)], &full);
	}
	if (!known || p->len == 0)
		return;
	if ((p->state == SCAP_PARAM_CUT) != (full > p->len))
		mismatch(f, "scap keeps %u of %llu bytes %s", p->len, (unsigned long long)full,
			 p->state == SCAP_PARAM_CUT ? "and marks them cut" : "and does not mark them cut");
}

/* ---- string arrays ------------------------------------------------------------------------- */

static void cmp_strarray(struct fld *f, const struct scap_param *p, const char *tok)
{
	const uint8_t *d = p->data;
	char **items = NULL;
	size_t n = 0, k = 0, off = 0, end;
	bool more, cut = p->state == SCAP_PARAM_CUT;

	if (!strcmp(tok, "NULL") || st_is_addr(tok)) {
		bool want_unread = st_is_addr(tok);

		if (p->len == 0 && (p->state == SCAP_PARAM_UNREADABLE) == want_unread)
			f->r = FLD_EQUAL;
		else
			mismatch(f, "scap %u bytes%s, strace %s", p->len, state_name(p), tok);
		return;
	}
	if (!st_array(tok, &items, &n, &more)) {
		f->r = FLD_SKIP;
		return;
	}
	if (p->state == SCAP_PARAM_UNREADABLE) {
		f->r = FLD_UNREADABLE;
		goto out;
	}
	if (p->len == 0) {
		mismatch(f, "scap has no value, strace %zu strings", n);
		goto out;
	}
	end = p->len - 1; /* the array's final NUL */
	for (k = 0; off < end; k++) {
		size_t sl = strnlen((const char *)d + off, end - off);
		bool last = off + sl + 1 >= end;
		struct fld sub = { 0 };
		struct scap_param one = *p;

		if (k >= n) {
			if (more)
				break; /* strace stopped printing; scap has more */
			mismatch(f, "scap has %zu+ strings, strace %zu", k + 1, n);
			goto out;
		}
		/*
		 * Every string whole but the last kept one of a cut array, which
		 * is whole (the count limit) or strace's string's beginning (the
		 * size limit).
		 */
		one.state = SCAP_PARAM_WHOLE;
		one.len = (uint32_t)sl + 1;
		cmp_text(&sub, &one, d + off, sl, items[k], false);
		if (sub.r == FLD_MISMATCH && cut && last) {
			one.state = SCAP_PARAM_CUT;
			cmp_text(&sub, &one, d + off, sl, items[k], false);
		}
		if (sub.r == FLD_CUT && !(cut && last))
			sub.r = FLD_MISMATCH;
		if (sub.r == FLD_MISMATCH) {
			mismatch(f, "string %zu: %s", k, sub.why[0] ? sub.why : "differs");
			goto out;
		}
		off += sl + 1;
	}
	if (cut) {
		/* Cut: strace must have more than scap kept (more strings, or a longer last one). */
		bool longer = k < n || more;

		if (!longer && k > 0) {
			uint8_t *t = malloc(strlen(items[k - 1]) + 1);
			size_t tn = 0;
			bool m2;

			if (t && st_str(items[k - 1], t, &tn, &m2)) {
				size_t off2 = 0, sl = 0;

				for (size_t i = 0; i + 1 < k; i++)
					off2 += strnlen((const char *)d + off2, end - off2) + 1;
				sl = strnlen((const char *)d + off2, end - off2);
				longer = tn > sl || m2;
			}
			free(t);
		}
		if (longer)
			f->r = FLD_CUT;
		else
			mismatch(f, "scap marks its %zu strings cut, strace has no more", k);
	} else if (k < n && !more) {
		mismatch(f, "scap has %zu strings, strace %zu", k, n);
	} else {
		f->r = FLD_EQUAL;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

/* ---- socket addresses ------------------------------------------------------------------------ */

/* A field of strace's sockaddr that -xx prints as a string of bytes ("\xde\xe5"). */
static bool field_bytes(const char *tok, const char *name, uint8_t *out, size_t want)
{
	char v[512];
	uint8_t b[512];
	size_t n = 0;
	bool more;

	if (!st_field(tok, name, v, sizeof(v)) || !st_str(v, b, &n, &more) || n != want)
		return false;
	memcpy(out, b, want);
	return true;
}

static void cmp_sockaddr(struct fld *f, const struct scap_param *p, const char *tok)
{
	const uint8_t *d = p->data;
	char fam_s[64], v[512], a[160], b[160];
	uint8_t bytes[512], want[32];
	uint64_t fam;
	size_t n = 0;
	bool more;

	if (!strcmp(tok, "NULL") || st_is_addr(tok)) {
		if (p->len == 0)
			f->r = FLD_EQUAL;
		else
			mismatch(f, "scap %u bytes, strace %s", p->len, tok);
		return;
	}
	if (tok[0] != '{' || !st_field(tok, "sa_family", fam_s, sizeof(fam_s)) || !st_num(fam_s, &fam)) {
		f->r = FLD_SKIP;
		return;
	}
	if (p->state == SCAP_PARAM_UNREADABLE) {
		f->r = FLD_UNREADABLE;
		return;
	}
	if (p->len == 0) {
		mismatch(f, "scap has no value, strace %s", tok);
		return;
	}
	/* strace prints sa_data when the length does not hold the family's address. */
	if (st_field(tok, "sa_data", v, sizeof(v))) {
		uint16_t raw = 0;

		if (d[0] == SCAP_SA_OTHER && p->len == 3)
			memcpy(&raw, d + 1, 2);
		else
			raw = d[0] == SCAP_SA_INET ? 2 : d[0] == SCAP_SA_INET6 ? 10 : d[0] == SCAP_SA_UNIX ? 1 : 0xffff;
		if (raw == fam)
			f->r = FLD_EQUAL;
		else
			mismatch(f, "scap family %u, strace %s", raw, tok);
		return;
	}
	switch (fam) {
	case 1: /* AF_UNIX: sun_path="..." (a path), sun_path=@"..." (abstract), none (unnamed) */
		if (d[0] != SCAP_SA_UNIX)
			break;
		if (!st_field(tok, "sun_path", v, sizeof(v))) {
			if (p->len == 2)
				f->r = FLD_EQUAL;
			else
				mismatch(f, "scap %u bytes of unix address, strace unnamed", p->len);
			return;
		}
		if (v[0] == '@') {
			/* abstract: scap keeps the leading NUL */
			if (!st_str(v + 1, bytes + 1, &n, &more))
				break;
			bytes[0] = 0;
			n++;
		} else if (!st_str(v, bytes, &n, &more)) {
			break;
		}
		show(a, sizeof(a), d + 1, p->len - 2);
		show(b, sizeof(b), bytes, n);
		if (p->len - 2 == n && !memcmp(d + 1, bytes, n))
			f->r = FLD_EQUAL;
		else
			mismatch(f, "scap unix \"%s\", strace \"%s\"", a, b);
		return;
	case 2: /* AF_INET */
		if (d[0] != SCAP_SA_INET || p->len != 7)
			break;
		if (!field_bytes(tok, "sin_addr", want, 4) || !field_bytes(tok, "sin_port", want + 4, 2)) {
			f->r = FLD_SKIP;
			return;
		}
		/* scap: address in network order, port in host (little-endian) order */
		if (!memcmp(d + 1, want, 4) && d[5] == want[5] && d[6] == want[4])
			f->r = FLD_EQUAL;
		else
			mismatch(f, "scap %u.%u.%u.%u:%u, strace %s", d[1], d[2], d[3], d[4], d[5] | d[6] << 8, tok);
		return;
	case 10: /* AF_INET6 */
		if (d[0] != SCAP_SA_INET6 || p->len != 19)
			break;
		if (!field_bytes(tok, "sin6_addr", want, 16) || !field_bytes(tok, "sin6_port", want + 16, 2)) {
			f->r = FLD_SKIP;
			return;
		}
		if (!memcmp(d + 1, want, 16) && d[17] == want[17] && d[18] == want[16])
			f->r = FLD_EQUAL;
		else
			mismatch(f, "scap IPv6 port %u, strace %s", d[17] | d[18] << 8, tok);
		return;
	default:
		if (fam == 0 && d[0] == SCAP_SA_UNSPEC) {
			f->r = FLD_EQUAL;
			return;
		}
		if (d[0] == SCAP_SA_OTHER && p->len == 3) {
			uint16_t raw;

			memcpy(&raw, d + 1, 2);
			if (raw == fam) {
				f->r = FLD_EQUAL;
				return;
			}
		}
		break;
	}
	mismatch(f, "scap family code %u (%u bytes), strace %s", d[0], p->len, tok);
}

/* ---- where each parameter is in strace's line -------------------------------------------------- */

struct where {
	int arg;            /* strace's argument index */
	int elem;           /* an element of the array there, or -1 */
	const char *field;  /* a field of the structure there, or NULL */
	const char *named;  /* a "name=value" argument (clone), or NULL */
};

/* Derived values strace shows too; every other derived value has no counterpart. */
static const struct {
	const char *sc, *param;
	struct where w;
} derived[] = {
	{ "execve", "pathname", { 0, -1, NULL, NULL } },
	{ "execve", "argv", { 1, -1, NULL, NULL } },
	{ "execveat", "pathname", { 1, -1, NULL, NULL } },
	{ "execveat", "argv", { 2, -1, NULL, NULL } },
	{ "pipe", "pipefd0", { 0, 0, NULL, NULL } },
	{ "pipe", "pipefd1", { 0, 1, NULL, NULL } },
	{ "pipe2", "pipefd0", { 0, 0, NULL, NULL } },
	{ "pipe2", "pipefd1", { 0, 1, NULL, NULL } },
	{ "socketpair", "sv0", { 3, 0, NULL, NULL } },
	{ "socketpair", "sv1", { 3, 1, NULL, NULL } },
	{ "accept", "addr", { 1, -1, NULL, NULL } },
	{ "accept4", "addr", { 1, -1, NULL, NULL } },
	{ "recvfrom", "src_addr", { 4, -1, NULL, NULL } },
	{ "openat2", "flags", { 2, -1, "flags", NULL } },
	{ "openat2", "mode", { 2, -1, "mode", NULL } },
	{ "openat2", "resolve", { 2, -1, "resolve", NULL } },
};

/* x86_64's clone: strace names its arguments, in its own order. */
static const char *const clone_names[] = { "flags", "child_stack", "parent_tid", "child_tidptr", "tls" };

static bool where_is(const struct scap_event_info *info, unsigned i, struct where *w)
{
	const char *pn = info->params[i].name;
	unsigned src = info->params[i].src;

	*w = (struct where){ .elem = -1 };
	if (SCAP_SRC_IS_ARG(src)) {
		w->arg = (int)SCAP_SRC_ARGNO(src);
		if (!strcmp(info->name, "clone"))
			w->named = w->arg < 5 ? clone_names[w->arg] : NULL;
		return !strcmp(info->name, "clone") ? w->named != NULL : true;
	}
	if (!SCAP_SRC_IS_DERIVED(src))
		return false;
	for (size_t k = 0; k < sizeof(derived) / sizeof(derived[0]); k++)
		if (!strcmp(derived[k].sc, info->name) && !strcmp(derived[k].param, pn)) {
			*w = derived[k].w;
			return true;
		}
	return false;
}

/* The text at w in c's line into buf (owned by buf); NULL when strace shows nothing there. */
static const char *text_at(const struct st_call *c, const struct where *w, char *buf, size_t len)
{
	const char *t;

	if (w->named) {
		size_t nl = strlen(w->named);

		for (unsigned k = 0; k < c->nargs; k++)
			if (!strncmp(c->args[k], w->named, nl) && c->args[k][nl] == '=') {
				snprintf(buf, len, "%s", c->args[k] + nl + 1);
				return buf;
			}
		return NULL;
	}
	if (w->arg < 0 || (unsigned)w->arg >= c->nargs)
		return NULL;
	t = c->args[w->arg];
	if (w->field)
		return st_field(t, w->field, buf, len) ? buf : NULL;
	if (w->elem >= 0) {
		char **items;
		size_t n;
		bool more;

		if (!st_array(t, &items, &n, &more))
			return NULL;
		t = NULL;
		if ((size_t)w->elem < n) {
			snprintf(buf, len, "%s", items[w->elem]);
			t = buf;
		}
		for (size_t k = 0; k < n; k++)
			free(items[k]);
		free(items);
		return t;
	}
	return t;
}

/* ---- one call --------------------------------------------------------------------------------- */

static void cmp_res(struct fld *f, const struct scap_param *p, const struct st_call *c)
{
	if (!c->ret_known) {
		f->r = FLD_SKIP;
		return;
	}
	if (p->len != 8) {
		mismatch(f, "scap has no result, strace %lld", (long long)c->ret);
		return;
	}
	if (p->v.i == c->ret)
		f->r = FLD_EQUAL;
	else
		mismatch(f, "scap %lld, strace %lld", (long long)p->v.i, (long long)c->ret);
}

/*
 * How many of a syscall's arguments strace prints in their raw positions:
 * futex leaves out the arguments its operation ignores (FUTEX_WAIT_BITSET:
 * uaddr2), so what it prints fifth is the raw sixth.
 */
static unsigned positional(const char *name)
{
	return !strcmp(name, "futex") ? 4 : SCAP_GENERIC_NARGS;
}

unsigned cmp_call(const struct st_call *c, const struct scap_event *ev, struct fld *out)
{
	const struct scap_event_info *info = scap_event_info(scap_event_type(ev));
	static char buf[1 << 20];
	unsigned n = 0;
	struct scap_param p;
	struct fld *f;

	if (!info)
		return 0;
	if (info->flags & SCAP_EF_GENERIC) {
		uint64_t raw[SCAP_GENERIC_NARGS];

		if ((f = add(out, &n, "res", 0, -1)) && scap_event_param(ev, 0, &p) == 0)
			cmp_res(f, &p, c);
		if ((f = add(out, &n, "syscall", 1, -1)) && scap_event_param(ev, 1, &p) == 0) {
			if (p.len && (int)p.v.u == c->nr)
				f->r = FLD_EQUAL;
			else
				mismatch(f, "scap syscall %llu, strace %d", (unsigned long long)p.v.u, c->nr);
		}
		if (scap_event_param(ev, 2, &p) != 0 || p.len != sizeof(raw))
			return n;
		memcpy(raw, p.data, sizeof(raw));
		for (unsigned k = 0; k < c->nargs && k < SCAP_GENERIC_NARGS && k < positional(c->name); k++) {
			char nm[16];

			snprintf(nm, sizeof(nm), "args[%u]", k);
			if ((f = add(out, &n, nm, 2, (int)k)))
				cmp_raw(f, raw[k], c->args[k]);
		}
		return n;
	}
	for (unsigned i = 0; i < info->nparams; i++) {
		struct where w;
		const char *t;

		if (scap_event_param(ev, i, &p) != 0) {
			if ((f = add(out, &n, info->params[i].name, (int)i, -1)))
				mismatch(f, "malformed parameter");
			continue;
		}
		if (!strcmp(p.name, "res")) {
			if ((f = add(out, &n, "res", (int)i, -1)))
				cmp_res(f, &p, c);
			continue;
		}
		if (!where_is(info, i, &w))
			continue; /* no counterpart in strace's line (exe, comm, ppid, ...) */
		t = text_at(c, &w, buf, sizeof(buf));
		if (!t)
			continue;
		f = add(out, &n, p.name, (int)i, -1);
		if (!f)
			break;
		switch (p.type) {
		case SCAP_PT_PATH:
		case SCAP_PT_CHARBUF:
			cmp_string_param(f, &p, t, false);
			break;
		case SCAP_PT_BYTEBUF:
			cmp_string_param(f, &p, t, true);
			cmp_buffer_len(f, &p, c, info->params[i].aux);
			break;
		case SCAP_PT_STRARRAY:
			cmp_strarray(f, &p, t);
			break;
		case SCAP_PT_SOCKADDR:
			cmp_sockaddr(f, &p, t);
			break;
		case SCAP_PT_ARGS:
			f->r = FLD_SKIP;
			break;
		default:
			/* Every other type is a number of fixed width. */
			cmp_number(f, &p, t);
			break;
		}
	}
	return n;
}
