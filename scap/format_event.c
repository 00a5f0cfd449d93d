// SPDX-License-Identifier: Apache-2.0
/*
 * Whole events as one line: the JSON object (the CLI's contract) and the
 * text line. The parameters are decoded in one pass, the keys come from
 * tables built from the schema at compile time, and the line is written with
 * unchecked writers after one check per event that the room left is at
 * least the event's bound; only flag and address texts, which go through the
 * flag tables' string buffer, are checked as they are written.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "flagsets.h"
#include "fmt_write.h"
#include "handle.h"
#include "schema_internal.h"
#include "scap/common/schema.h"
#include "textenc.h"

/* -4095..-1 is how the kernel returns -errno (IS_ERR_VALUE). */
#define RES_IS_ERRNO(v) ((v) < 0 && (v) >= -4095)

/* A key is copied as a whole KEY_MAX bytes (a constant-size copy), then the
 * position moves by its length: names stay under KEY_MAX - 4 bytes. */
#define KEY_MAX 24
struct fmt_key {
	char s[KEY_MAX];
	uint8_t len;
};
#define KEY_FITS(n) (0 * sizeof(char[sizeof(#n) + 4 <= KEY_MAX ? 1 : -1]))

/* ,"name": for JSON (the first key skips the comma) and " name=" for text. */
static const struct fmt_key json_keys[SCAP_EV_MAX][SCAP_MAX_PARAMS] = {
#define P(n, t, s, a) { ",\"" #n "\":", (uint8_t)(sizeof(#n) + 3 + KEY_FITS(n)) }
#define SCAP_EVENT(code, sc, d, cat, fl, ...) [SCAP_EV_##code] = { __VA_ARGS__ },
#include "scap/common/events.def"
#undef SCAP_EVENT
#undef P
};

static const struct fmt_key text_keys[SCAP_EV_MAX][SCAP_MAX_PARAMS] = {
#define P(n, t, s, a) { " " #n "=", (uint8_t)(sizeof(#n) + 1) }
#define SCAP_EVENT(code, sc, d, cat, fl, ...) [SCAP_EV_##code] = { __VA_ARGS__ },
#include "scap/common/events.def"
#undef SCAP_EVENT
#undef P
};

/*
 * The bound of a line: the header (with the keys of the lists of cut and
 * unreadable values), and per parameter its key twice (once more in one of
 * those lists), a symbol text (flag texts are also checked as they are
 * written) and 9 bytes per byte of the event: JSON escapes take 6 bytes per
 * byte, and a string array adds at most quotes and a comma per element, each
 * element holding at least its NUL.
 */
#define TABLE_TEXT_BOUND 320 /* > 255 + quotes */
#define HEAD_BOUND 256

/* Where the writers stand: end leaves the byte for the final NUL. */
struct fw {
	char *p, *end;
	bool overflow; /* a checked part did not fit: retry with more room */
};

/* Appends text made by the flag tables (symbols, addresses) through a string
 * buffer bounded by the room left. */
static void table_text(struct fw *w, const struct scap_param *p)
{
	struct scap_sb sb;

	scap_sb_init(&sb, w->p, (size_t)(w->end - w->p) + 1);
	scap__param_text(&sb, p);
	if (sb.len > (size_t)(w->end - w->p)) {
		w->overflow = true;
		return;
	}
	w->p += sb.len;
}

/* "ip:port" and "[ip6]:port", the text of scap__sockaddr_format without its
 * printf: a connect or accept line is mostly this. */
static char *fw_inet(char *o, const uint8_t *d)
{
	uint16_t port;
	unsigned i;

	if (d[0] == SCAP_SA_INET) {
		for (i = 0; i < 4; i++) {
			if (i)
				*o++ = '.';
			o = fw_small(o, d[1 + i]);
		}
		memcpy(&port, d + 5, 2);
	} else {
		*o++ = '[';
		inet_ntop(AF_INET6, d + 1, o, INET6_ADDRSTRLEN);
		o += strlen(o);
		*o++ = ']';
		memcpy(&port, d + 17, 2);
	}
	*o++ = ':';
	return fw_u64(o, port);
}

static bool is_inet(const struct scap_param *p)
{
	const uint8_t *d = p->data;

	return (d[0] == SCAP_SA_INET && p->len == 7) || (d[0] == SCAP_SA_INET6 && p->len == 19);
}

/* Integers printed as they are, in both formats: 1 signed, 2 unsigned. */
static const uint8_t int_kind[SCAP_PT_MAX] = {
	[SCAP_PT_INT8] = 1, [SCAP_PT_INT16] = 1, [SCAP_PT_INT32] = 1, [SCAP_PT_INT64] = 1, [SCAP_PT_PID] = 1,
	[SCAP_PT_FD] = 1, [SCAP_PT_RES] = 1,
	[SCAP_PT_UINT8] = 2, [SCAP_PT_UINT16] = 2, [SCAP_PT_UINT32] = 2, [SCAP_PT_UINT64] = 2,
	[SCAP_PT_UID] = 2, [SCAP_PT_GID] = 2, [SCAP_PT_SYSCALLID] = 2,
};

static char *json_quoted(char *o, const uint8_t *s, size_t n)
{
	*o++ = '"';
	o = scap__fw_json_body(o, s, n);
	*o++ = '"';
	return o;
}

/* String arrays and raw arguments: [a,b] in JSON, [a b] in text. A string
 * array's last byte ends the array (an empty array is that byte alone). */
static char *list_value(char *o, const struct scap_param *p, bool json)
{
	const uint8_t *d = p->data;
	uint32_t i, end = p->type == SCAP_PT_STRARRAY ? p->len - 1 : p->len;

	*o++ = '[';
	for (i = 0; i < end;) {
		if (i)
			*o++ = json ? ',' : ' ';
		if (p->type == SCAP_PT_ARGS) {
			uint64_t a;

			/* the decoder checked the length: six whole numbers */
			memcpy(&a, d + i, 8);
			o = json ? fw_u64(o, a) : fw_hex(o, a);
			i += 8;
		} else {
			size_t n = strnlen((const char *)d + i, end - i);

			o = json ? json_quoted(o, d + i, n)
				 : scap__fw_text_value(o, 0, d + i, n, FW_TV_STRING | FW_TV_LIST);
			i += (uint32_t)n + 1;
		}
	}
	*o++ = ']';
	return o;
}

/* Flag and enum symbols in JSON: their text cut to 255 bytes (as this output
 * always was), quoted. Symbols need no escaping (test_format_fast checks the
 * tables), and the bound leaves room for 255 of them. */
static char *json_table_text(char *o, const struct scap_param *p)
{
	struct scap_sb sb;

	*o++ = '"';
	scap_sb_init(&sb, o, 256);
	scap__param_text(&sb, p);
	o += sb.len < 256 ? sb.len : 255;
	*o++ = '"';
	return o;
}

/* A text-only form: AT_FDCWD, and a result with its errno name ("-2 ENOENT",
 * quoted for its space). NULL when the value has none. */
static char *text_special(char *o, const struct scap_param *p)
{
	const char *en;

	if (p->type == SCAP_PT_FD && p->v.i == -100)
		return FW_LIT(o, "AT_FDCWD");
	if (p->type != SCAP_PT_RES || !RES_IS_ERRNO(p->v.i) || !(en = scap_errno_name((int)p->v.i)))
		return NULL;
	*o++ = '"';
	o = fw_i64(o, p->v.i);
	*o++ = ' ';
	o = fw_put(o, en, strlen(en));
	*o++ = '"';
	return o;
}

/* One parameter's value, JSON or text (docs/cli.md): JSON quotes the texts
 * that text leaves bare, and escapes strings its own way. */
static inline __attribute__((always_inline)) void write_value(struct fw *w, const struct scap_param *p, bool json)
{
	const uint8_t *d = p->data;
	char *o = w->p, *t;

	if (!p->len || !d) {
		/* JSON says which values were unreadable after "params". */
		w->p = json ? FW_LIT(o, "null") : p->state == SCAP_PARAM_UNREADABLE ? FW_LIT(o, "<unreadable>")
									  : FW_LIT(o, "NULL");
		return;
	}
	if (!json && (t = text_special(o, p))) {
		w->p = t;
		return;
	}
	if ((unsigned)p->type < SCAP_PT_MAX && int_kind[p->type]) {
		w->p = int_kind[p->type] == 1 ? fw_i64(o, p->v.i) : fw_u64(o, p->v.u);
		return;
	}
	switch (p->type) {
	case SCAP_PT_MODE:
	case SCAP_PT_ADDR:
		if (json)
			*o++ = '"';
		o = p->type == SCAP_PT_MODE ? fw_oct(o, p->v.u) : fw_hex(o, p->v.u);
		if (json)
			*o++ = '"';
		break;
	case SCAP_PT_SOCKADDR:
		if (d[0] == SCAP_SA_UNIX) {
			/*
			 * The sun_path bytes as the kernel used them, whole: an
			 * abstract name's leading NUL (and any NUL in it) shows as
			 * \x00 / \u0000, so a path that starts with '@' is never
			 * taken for one. The decoder checked the final NUL.
			 */
			o = json ? json_quoted(o, d + 1, p->len - 2)
				 : scap__fw_text_value(o, 0, d + 1, p->len - 2, FW_TV_STRING);
			break;
		}
		if (is_inet(p)) {
			if (json)
				*o++ = '"';
			o = fw_inet(o, d);
			if (json)
				*o++ = '"';
			break;
		}
		__attribute__((fallthrough));
	case SCAP_PT_FLAGS32: case SCAP_PT_FLAGS64: case SCAP_PT_ENUM32:
		if (json) {
			o = json_table_text(o, p);
			break;
		}
		table_text(w, p);
		return;
	case SCAP_PT_PATH:
	case SCAP_PT_CHARBUF:
		/* JSON stops at the first NUL, text shows what follows it. */
		o = json ? json_quoted(o, d, strnlen((const char *)d, p->len))
			 : scap__fw_text_value(o, 0, d, p->len - 1, FW_TV_STRING);
		break;
	case SCAP_PT_BYTEBUF:
		o = json ? json_quoted(o, d, p->len) : scap__fw_text_value(o, 0, d, p->len, FW_TV_BYTES | FW_TV_STRING);
		break;
	case SCAP_PT_STRARRAY:
	case SCAP_PT_ARGS:
		o = list_value(o, p, json);
		break;
	default:
		o = json ? FW_LIT(o, "null") : FW_LIT(o, "?");
		break;
	}
	if (!w->overflow)
		w->p = o;
}

/* The event's name: its row's, or for the generic row the carried syscall's. */
static const char *event_name(const struct scap_event *ev, const struct scap_event_info *info,
			      const struct scap_param *prm, const int *err)
{
	const char *n;

	if (!info)
		return scap_event_name(ev);
	if (!(info->flags & SCAP_EF_GENERIC))
		return info->name;
	/* test_schema checks that parameter 1 of the generic row is the number. */
	if (err[1] || prm[1].type != SCAP_PT_SYSCALLID || !prm[1].len)
		return "syscall";
	n = scap_syscall_name((int)prm[1].v.u);
	return n ? n : scap_event_name(ev);
}

/* What both line formats need of one event, gathered once. */
struct line {
	struct scap_evt_hdr h; /* copied out: events may sit at any alignment */
	unsigned cpu, n;       /* n: parameters, the header's count when malformed */
	const struct scap_event_info *info; /* NULL: malformed header */
	const char *name;
	size_t name_len;
	struct scap_param prm[SCAP_MAX_PARAMS];
	int err[SCAP_MAX_PARAMS];
	bool proc_on;          /* the line carries the process (scap_event_format_proc) */
	const struct scap_proc *proc; /* NULL: unknown */
};

/* The room the process's part of a line needs at most: its texts escaped. */
static size_t proc_bound(const struct line *l)
{
	const struct scap_proc *p = l->proc;
	size_t n = 0;

	if (!l->proc_on)
		return 0;
	if (p) {
		n += strnlen(p->comm, sizeof(p->comm));
		n += p->exe ? strlen(p->exe) : 0;
		n += p->cwd ? strlen(p->cwd) : 0;
		n += p->container_id ? strlen(p->container_id) : 0;
	}
	return 200 + 9 * n;
}

static char *json_str(char *o, const char *s)
{
	return json_quoted(o, (const uint8_t *)s, strlen(s));
}

/* ,"proc":{"exe":...,"ppid":N,...}: what the table knows of the event's process. */
static char *json_proc(char *o, const struct scap_proc *p)
{
	char sep = '{';

	o = FW_LIT(o, ",\"proc\":");
	if ((p->known & SCAP_PROC_HAS_EXE) && p->exe) {
		*o++ = sep, sep = ',';
		o = FW_LIT(o, "\"exe\":");
		o = json_str(o, p->exe);
	}
	if (p->known & SCAP_PROC_HAS_PPID) {
		*o++ = sep, sep = ',';
		o = FW_LIT(o, "\"ppid\":");
		o = fw_u64(o, p->ppid);
	}
	if (p->known & SCAP_PROC_HAS_UID) {
		*o++ = sep, sep = ',';
		o = FW_LIT(o, "\"uid\":");
		o = fw_u64(o, p->uid);
	}
	if (p->known & SCAP_PROC_HAS_GID) {
		*o++ = sep, sep = ',';
		o = FW_LIT(o, "\"gid\":");
		o = fw_u64(o, p->gid);
	}
	if ((p->known & SCAP_PROC_HAS_CWD) && p->cwd) {
		*o++ = sep, sep = ',';
		o = FW_LIT(o, "\"cwd\":");
		o = json_str(o, p->cwd);
	}
	if ((p->known & SCAP_PROC_HAS_CGROUP) && p->container_id) {
		*o++ = sep, sep = ',';
		o = FW_LIT(o, "\"container_id\":");
		o = json_str(o, p->container_id);
	}
	/* As params' list: the paths shown that an event marked cut (their last components). */
	if ((p->flags & SCAP_PROC_F_EXE_CUT) && (p->known & SCAP_PROC_HAS_EXE) && p->exe) {
		*o++ = sep, sep = ',';
		o = FW_LIT(o, "\"truncated\":[\"exe\"");
		if ((p->flags & SCAP_PROC_F_CWD_CUT) && (p->known & SCAP_PROC_HAS_CWD) && p->cwd)
			o = FW_LIT(o, ",\"cwd\"");
		*o++ = ']';
	} else if ((p->flags & SCAP_PROC_F_CWD_CUT) && (p->known & SCAP_PROC_HAS_CWD) && p->cwd) {
		*o++ = sep, sep = ',';
		o = FW_LIT(o, "\"truncated\":[\"cwd\"]");
	}
	if (sep == '{')
		*o++ = '{';
	*o++ = '}';
	return o;
}

/*
 * ,"truncated":["argv","exe"]: the names of the parameters whose state is
 * `state`; states holds parameter i's in bits 2i..2i+1 (0 when every value is
 * whole, the common case, which costs nothing more).
 */
static char *json_marked(char *o, const struct line *l, uint32_t states, uint32_t state, const char *key,
			 size_t keylen)
{
	bool first = true;

	for (unsigned i = 0; states; i++, states >>= 2) {
		if ((states & 3) != state)
			continue;
		o = first ? fw_put(o, key, keylen) : FW_LIT(o, ",");
		first = false;
		*o++ = '"';
		/* Names are [a-z0-9_] (test_format_fast checks): nothing to escape. */
		o = fw_put(o, l->prm[i].name, strlen(l->prm[i].name));
		*o++ = '"';
	}
	if (!first)
		*o++ = ']';
	return o;
}

_Static_assert(2 * SCAP_MAX_PARAMS <= 32, "every parameter's state fits json_event's word");

static void json_event(struct fw *w, const struct scap_event *ev, const struct line *l)
{
	unsigned i;
	char *o = w->p;
	uint32_t states = 0; /* parameter i's enum scap_param_state in bits 2i..2i+1 */

	o = FW_LIT(o, "{\"ts\":");
	o = fw_u64(o, l->h.ts);
	o = FW_LIT(o, ",\"cpu\":");
	o = fw_u64(o, l->cpu);
	o = FW_LIT(o, ",\"tid\":");
	o = fw_u64(o, l->h.tid);
	o = FW_LIT(o, ",\"pid\":");
	o = fw_u64(o, l->h.pid);
	if (l->proc && (l->proc->known & SCAP_PROC_HAS_COMM)) {
		o = FW_LIT(o, ",\"comm\":");
		o = json_quoted(o, (const uint8_t *)l->proc->comm, strnlen(l->proc->comm, sizeof(l->proc->comm)));
	}
	o = FW_LIT(o, ",\"event\":\"");
	/* Names are [a-z0-9_] (test_format_fast checks): nothing to escape. */
	o = fw_put(o, l->name, l->name_len);
	if ((l->info ? l->info->dir : scap_event_dir(ev)) == SCAP_DIR_ENTER)
		o = FW_LIT(o, "\",\"dir\":\"enter\",\"params\":{");
	else
		o = FW_LIT(o, "\",\"dir\":\"exit\",\"params\":{");
	for (i = 0; i < l->n; i++) {
		const struct fmt_key *k;

		if (!l->info || l->err[i]) {
			/* Say so in the output rather than print half an event silently. */
			o = i ? FW_LIT(o, ",\"_malformed\":true") : FW_LIT(o, "\"_malformed\":true");
			break;
		}
		/* The first key goes without its comma. */
		k = &json_keys[l->h.type][i];
		memcpy(o, k->s + !i, KEY_MAX - 1);
		w->p = o + k->len - !i;
		write_value(w, &l->prm[i], true);
		if (w->overflow)
			return;
		o = w->p;
		states |= (uint32_t)l->prm[i].state << (2 * i);
	}
	*o++ = '}';
	if (states) {
		o = json_marked(o, l, states, SCAP_PARAM_CUT, ",\"truncated\":[", sizeof(",\"truncated\":[") - 1);
		o = json_marked(o, l, states, SCAP_PARAM_UNREADABLE, ",\"unreadable\":[",
				sizeof(",\"unreadable\":[") - 1);
	}
	if (l->proc)
		o = json_proc(o, l->proc);
	if (l->h.flags & SCAP_EVF_TOCTOU)
		o = FW_LIT(o, ",\"toctou\":true");
	if (l->h.flags & SCAP_EVF_ENTER_UNREAD)
		o = FW_LIT(o, ",\"enter_unreadable\":true");
	*o++ = '}';
	w->p = o;
}

static void text_event(struct fw *w, const struct scap_event *ev, const struct line *l)
{
	unsigned i;
	char *o = w->p;

	o = fw_u64(o, l->h.ts / 1000000000u);
	*o++ = '.';
	o = fw_dec9(o, (uint32_t)(l->h.ts % 1000000000u));
	*o++ = ' ';
	o = fw_u64(o, l->cpu);
	*o++ = ' ';
	o = fw_u64(o, l->h.tid);
	*o++ = ' ';
	if (l->proc_on) {
		o = fw_u64(o, l->h.pid);
		*o++ = ' ';
		if (l->proc && (l->proc->known & SCAP_PROC_HAS_COMM))
			o = scap__fw_text_value(o, 0, (const uint8_t *)l->proc->comm,
						strnlen(l->proc->comm, sizeof(l->proc->comm)), FW_TV_STRING);
		else
			o = FW_LIT(o, "NULL");
		*o++ = ' ';
	}
	o = fw_put(o, l->name, l->name_len);
	if ((l->info ? l->info->dir : scap_event_dir(ev)) == SCAP_DIR_ENTER)
		o = FW_LIT(o, " enter");
	else
		o = FW_LIT(o, " exit");
	for (i = 0; i < l->n; i++) {
		const struct fmt_key *k;

		if (!l->info || l->err[i]) {
			o = FW_LIT(o, " param");
			o = fw_u64(o, i);
			o = FW_LIT(o, "=<malformed>");
			continue;
		}
		k = &text_keys[l->h.type][i];
		memcpy(o, k->s, KEY_MAX);
		w->p = o + k->len;
		write_value(w, &l->prm[i], false);
		if (w->overflow)
			return;
		o = w->p;
	}
	if (l->h.flags & SCAP_EVF_TOCTOU)
		o = FW_LIT(o, " [toctou]");
	if (l->h.flags & SCAP_EVF_TRUNCATED)
		o = FW_LIT(o, " [truncated]");
	if (l->h.flags & SCAP_EVF_ENTER_UNREAD)
		o = FW_LIT(o, " [enter_unreadable]");
	w->p = o;
}

/*
 * Formats ev between buf and end (end excluded, the NUL goes there). Returns
 * the length, or -1 with *need set when the room is short of the bound or a
 * checked part did not fit.
 */
static int format_event(const struct scap_event *ev, unsigned cpu, enum scap_format fmt, int64_t ts_off,
			char *buf, char *end, unsigned *malformed, size_t *need, bool proc_on,
			const struct scap_proc *proc)
{
	struct line l;
	struct fw w = { .p = buf, .end = end };
	unsigned i, bad = 0;
	size_t bound;

	memcpy(&l.h, ev, sizeof(l.h));
	/* Wall-clock time when asked (scap_event_format_opts); never below 0. */
	if (ts_off)
		l.h.ts = ts_off < 0 && (uint64_t)-ts_off > l.h.ts ? 0 : l.h.ts + (uint64_t)ts_off;
	l.cpu = cpu;
	l.proc_on = proc_on;
	l.proc = proc_on ? proc : NULL;
	l.info = scap__event_decode(ev, l.prm, l.err);
	l.n = l.info ? l.info->nparams : l.h.nparams;
	l.name = event_name(ev, l.info, l.prm, l.err);
	l.name_len = strlen(l.name);
	for (i = 0; i < l.n; i++)
		bad += !l.info || l.err[i];
	/* Every parameter as if it were a symbol text, every byte escaped. */
	bound = HEAD_BOUND + 6 * l.name_len + l.n * (2 * KEY_MAX + TABLE_TEXT_BOUND) + 9 * (size_t)l.h.len +
		proc_bound(&l);
	*need = bound;
	if (malformed)
		*malformed = bad;
	if ((size_t)(end - buf) < bound)
		return -1;
	if (fmt == SCAP_FORMAT_JSON)
		json_event(&w, ev, &l);
	else
		text_event(&w, ev, &l);
	if (w.overflow) {
		*need = 2 * (size_t)(end - buf);
		return -1;
	}
	*w.p = '\0';
	return (int)(w.p - buf);
}

/* Short of room: format into scratch memory, hand out what fits. Apart, so
 * that the direct path carries no scratch buffer on its stack. */
static __attribute__((noinline)) int format_scratch(const struct scap_event *ev, unsigned cpu, enum scap_format fmt,
						    int64_t ts_off, char *buf, size_t len, unsigned *malformed,
						    size_t need, bool proc_on, const struct scap_proc *proc)
{
	char scratch[4096], *s;
	int n;

	for (;;) {
		if (!need)
			need = HEAD_BOUND;
		s = need < sizeof(scratch) ? scratch : malloc(need + 1);
		if (!s)
			return -ENOMEM;
		n = format_event(ev, cpu, fmt, ts_off, s, s + (s == scratch ? sizeof(scratch) - 1 : need), malformed,
				 &need, proc_on, proc);
		if (n >= 0)
			break;
		if (s != scratch)
			free(s);
	}
	if (buf && len) {
		size_t k = (size_t)n < len - 1 ? (size_t)n : len - 1;

		memcpy(buf, s, k);
		buf[k] = '\0';
	}
	if (s != scratch)
		free(s);
	return n;
}

static int format_off(const struct scap_event *ev, unsigned cpu, enum scap_format fmt, int64_t ts_off, char *buf,
		      size_t len, unsigned *malformed, bool proc_on, const struct scap_proc *proc)
{
	size_t need = 0;
	int n;

	if (buf && len)
		buf[0] = '\0';
	if (malformed)
		*malformed = 0;
	if (!ev || (fmt != SCAP_FORMAT_TEXT && fmt != SCAP_FORMAT_JSON))
		return -EINVAL;
	if (buf && len > 1) {
		n = format_event(ev, cpu, fmt, ts_off, buf, buf + len - 1, malformed, &need, proc_on, proc);
		if (n >= 0)
			return n;
	}
	return format_scratch(ev, cpu, fmt, ts_off, buf, len, malformed, need, proc_on, proc);
}

int scap_event_format(const struct scap_event *ev, unsigned cpu, enum scap_format fmt, char *buf, size_t len,
		      unsigned *malformed)
{
	return format_off(ev, cpu, fmt, 0, buf, len, malformed, false, NULL);
}

int scap_event_format_opts(const struct scap_event *ev, unsigned cpu, const struct scap_format_opts *opts,
			   char *buf, size_t len, unsigned *malformed)
{
	struct scap_format_opts o = { 0 };
	bool on;

	if (!opts || opts->sz < sizeof(opts->sz)) {
		if (buf && len)
			buf[0] = '\0';
		return -EINVAL;
	}
	/* A newer caller's fields this library does not know must be zero (unused). */
	for (size_t i = sizeof(o); i < opts->sz; i++) {
		if (((const unsigned char *)opts)[i]) {
			if (buf && len)
				buf[0] = '\0';
			return -EINVAL;
		}
	}
	memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	on = o.proc_h && o.proc_h->proc;
	return format_off(ev, cpu, o.fmt, o.ts_offset_ns, buf, len, malformed, on,
			  on ? scap_event_proc(o.proc_h, ev) : NULL);
}

int scap_event_format_proc(struct scap *h, const struct scap_event *ev, unsigned cpu, enum scap_format fmt,
			   char *buf, size_t len, unsigned *malformed)
{
	bool on = h && h->proc;

	return format_off(ev, cpu, fmt, 0, buf, len, malformed, on, on ? scap_event_proc(h, ev) : NULL);
}

int scap_event_format_json(const struct scap_event *ev, unsigned cpu, char *buf, size_t len)
{
	return scap_event_format(ev, cpu, SCAP_FORMAT_JSON, buf, len, NULL);
}
