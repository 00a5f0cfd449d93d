// SPDX-License-Identifier: Apache-2.0
/* Reading strace's output back (strace_out.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strace_out.h"

/* Skips a quoted string starting at s (on its opening quote); returns the byte after it. */
static const char *skip_string(const char *s)
{
	for (s++; *s && *s != '"'; s++)
		if (*s == '\\' && s[1])
			s++;
	return *s ? s + 1 : s;
}

/*
 * The end of the balanced expression starting at s: the first ',' or `stop`
 * outside brackets, braces, parentheses and strings.
 */
static const char *expr_end(const char *s, char stop)
{
	int depth = 0;

	while (*s) {
		if (*s == '"') {
			s = skip_string(s);
			continue;
		}
		if (*s == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e ? e + 2 : s + strlen(s);
			continue;
		}
		if (*s == '(' || *s == '[' || *s == '{')
			depth++;
		else if (*s == ')' || *s == ']' || *s == '}') {
			if (depth == 0)
				return s;
			depth--;
		} else if (depth == 0 && (*s == ',' || *s == stop))
			return s;
		s++;
	}
	return s;
}

/* A copy of [a, b) without comments and surrounding blanks. */
static char *clean_copy(const char *a, const char *b)
{
	char *out = malloc((size_t)(b - a) + 1), *o = out;

	if (!out)
		return NULL;
	while (a < b) {
		if (*a == '"') {
			const char *e = skip_string(a);

			if (e > b)
				e = b;
			memcpy(o, a, (size_t)(e - a));
			o += e - a;
			a = e;
			continue;
		}
		if (*a == '/' && a + 1 < b && a[1] == '*') {
			const char *e = strstr(a + 2, "*/");

			a = e && e + 2 <= b ? e + 2 : b;
			continue;
		}
		*o++ = *a++;
	}
	*o = '\0';
	while (o > out && isspace((unsigned char)o[-1]))
		*--o = '\0';
	o = out;
	while (isspace((unsigned char)*o))
		o++;
	memmove(out, o, strlen(o) + 1);
	return out;
}

void st_call_free(struct st_call *c)
{
	for (unsigned i = 0; i < c->nargs; i++)
		free(c->args[i]);
	c->nargs = 0;
}

static const struct {
	const char *name;
	int val;
} errnames[] = {
	{ "EPERM", 1 }, { "ENOENT", 2 }, { "ESRCH", 3 }, { "EINTR", 4 }, { "EIO", 5 }, { "ENXIO", 6 },
	{ "E2BIG", 7 }, { "ENOEXEC", 8 }, { "EBADF", 9 }, { "ECHILD", 10 }, { "EAGAIN", 11 },
	{ "ENOMEM", 12 }, { "EACCES", 13 }, { "EFAULT", 14 }, { "ENOTBLK", 15 }, { "EBUSY", 16 },
	{ "EEXIST", 17 }, { "EXDEV", 18 }, { "ENODEV", 19 }, { "ENOTDIR", 20 }, { "EISDIR", 21 },
	{ "EINVAL", 22 }, { "ENFILE", 23 }, { "EMFILE", 24 }, { "ENOTTY", 25 }, { "ETXTBSY", 26 },
	{ "EFBIG", 27 }, { "ENOSPC", 28 }, { "ESPIPE", 29 }, { "EROFS", 30 }, { "EMLINK", 31 },
	{ "EPIPE", 32 }, { "EDOM", 33 }, { "ERANGE", 34 }, { "EDEADLK", 35 }, { "ENAMETOOLONG", 36 },
	{ "ENOLCK", 37 }, { "ENOSYS", 38 }, { "ENOTEMPTY", 39 }, { "ELOOP", 40 }, { "ENOMSG", 42 },
	{ "EIDRM", 43 }, { "ENOSTR", 60 }, { "ENODATA", 61 }, { "ETIME", 62 }, { "ENOSR", 63 },
	{ "EREMOTE", 66 }, { "ENOLINK", 67 }, { "EPROTO", 71 }, { "EBADMSG", 74 }, { "EOVERFLOW", 75 },
	{ "EILSEQ", 84 }, { "EUSERS", 87 }, { "ENOTSOCK", 88 }, { "EDESTADDRREQ", 89 }, { "EMSGSIZE", 90 },
	{ "EPROTOTYPE", 91 }, { "ENOPROTOOPT", 92 }, { "EPROTONOSUPPORT", 93 }, { "ESOCKTNOSUPPORT", 94 },
	{ "EOPNOTSUPP", 95 }, { "EPFNOSUPPORT", 96 }, { "EAFNOSUPPORT", 97 }, { "EADDRINUSE", 98 },
	{ "EADDRNOTAVAIL", 99 }, { "ENETDOWN", 100 }, { "ENETUNREACH", 101 }, { "ENETRESET", 102 },
	{ "ECONNABORTED", 103 }, { "ECONNRESET", 104 }, { "ENOBUFS", 105 }, { "EISCONN", 106 },
	{ "ENOTCONN", 107 }, { "ESHUTDOWN", 108 }, { "ETOOMANYREFS", 109 }, { "ETIMEDOUT", 110 },
	{ "ECONNREFUSED", 111 }, { "EHOSTDOWN", 112 }, { "EHOSTUNREACH", 113 }, { "EALREADY", 114 },
	{ "EINPROGRESS", 115 }, { "ESTALE", 116 }, { "EDQUOT", 122 }, { "ECANCELED", 125 },
	{ "ENOKEY", 126 }, { "EKEYEXPIRED", 127 }, { "EKEYREVOKED", 128 }, { "EKEYREJECTED", 129 },
	{ "EOWNERDEAD", 130 }, { "ENOTRECOVERABLE", 131 }, { "ERFKILL", 132 }, { "EHWPOISON", 133 },
	{ "ERESTARTSYS", 512 }, { "ERESTARTNOINTR", 513 }, { "ERESTARTNOHAND", 514 },
	{ "ENOIOCTLCMD", 515 }, { "ERESTART_RESTARTBLOCK", 516 }, { "EPROBE_DEFER", 517 },
	{ "EOPENSTALE", 518 }, { "ENOPARAM", 519 }, { "EBADHANDLE", 521 }, { "ENOTSYNC", 522 },
	{ "EBADCOOKIE", 523 }, { "ENOTSUPP", 524 }, { "ETOOSMALL", 525 }, { "ESERVERFAULT", 526 },
	{ "EBADTYPE", 527 }, { "EJUKEBOX", 528 }, { "EIOCBQUEUED", 529 }, { "ERECALLCONFLICT", 530 },
};

int st_errno(const char *name)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(errnames[i].name, name))
			return errnames[i].val;
	return 0;
}

int st_parse_line(const char *line, struct st_call *c)
{
	const char *p = line, *a, *e;
	char *end;
	size_t n;

	memset(c, 0, sizeof(*c));
	while (*p == ' ')
		p++;
	if (*p != '[')
		return -1;
	c->nr = (int)strtol(p + 1, &end, 10);
	if (*end != ']')
		return -1;
	p = end + 1;
	while (*p == ' ')
		p++;
	n = strcspn(p, "(");
	if (!p[n] || n == 0 || n >= sizeof(c->name))
		return -1;
	memcpy(c->name, p, n);
	c->name[n] = '\0';
	p += n + 1;
	/* The arguments, up to the closing parenthesis. */
	while (*p && *p != ')') {
		while (*p == ' ')
			p++;
		e = expr_end(p, ')');
		if (c->nargs < ST_MAX_ARGS) {
			c->args[c->nargs] = clean_copy(p, e);
			if (!c->args[c->nargs])
				return -1;
			c->nargs++;
		}
		p = *e == ',' ? e + 1 : e;
	}
	if (*p != ')') {
		st_call_free(c);
		return -1;
	}
	a = strstr(p, " = ");
	if (!a) {
		st_call_free(c);
		return -1;
	}
	a += 3;
	if (*a == '?') {
		/* "= ? ERESTARTSYS (...)": the kernel's value is -ERESTARTSYS. */
		char nm[32] = "";

		if (sscanf(a + 1, " %31[A-Z_0-9]", nm) == 1 && st_errno(nm)) {
			c->ret = -st_errno(nm);
			c->ret_known = true;
		}
		return 0;
	}
	errno = 0;
	c->ret = (int64_t)strtoull(a, &end, 0);
	if (*a == '-')
		c->ret = strtoll(a, &end, 0);
	if (end == a) {
		st_call_free(c);
		return -1;
	}
	c->ret_known = true;
	if (c->ret == -1 && *end == ' ') {
		char nm[32] = "";

		if (sscanf(end, " %31[A-Z_0-9]", nm) == 1 && st_errno(nm))
			c->ret = -st_errno(nm);
	}
	return 0;
}

int st_parse_file(const char *path, struct st_thread *t, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned no = 0;
	ssize_t len;

	if (!f) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct st_call c;

		no++;
		if (len && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (st_parse_line(line, &c) < 0)
			continue;
		c.line = no;
		if (t->n == t->cap) {
			size_t ncap = t->cap ? 2 * t->cap : 256;
			struct st_call *nc = realloc(t->calls, ncap * sizeof(*nc));

			if (!nc) {
				st_call_free(&c);
				snprintf(why, whylen, "out of memory");
				free(line);
				fclose(f);
				return -1;
			}
			t->calls = nc;
			t->cap = ncap;
		}
		t->calls[t->n++] = c;
	}
	free(line);
	fclose(f);
	return 0;
}

void st_thread_free(struct st_thread *t)
{
	for (size_t i = 0; i < t->n; i++)
		st_call_free(&t->calls[i]);
	free(t->calls);
	t->calls = NULL;
	t->n = t->cap = 0;
}

bool st_num(const char *arg, uint64_t *v)
{
	const char *p = arg;
	uint64_t acc = 0;
	char *end;

	if (!strcmp(arg, "NULL")) {
		*v = 0;
		return true;
	}
	for (;;) {
		uint64_t x;

		while (*p == ' ')
			p++;
		if (!isdigit((unsigned char)*p) && !(*p == '-' && isdigit((unsigned char)p[1])))
			return false;
		errno = 0;
		x = *p == '-' ? (uint64_t)strtoll(p, &end, 0) : strtoull(p, &end, 0);
		if (errno || end == p)
			return false;
		acc |= x;
		p = end;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p != '|')
			return false;
		p++;
	}
	*v = acc;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool st_str(const char *arg, uint8_t *out, size_t *n, bool *more)
{
	const char *p = arg;
	size_t o = 0;

	*more = false;
	if (*p != '"')
		return false;
	for (p++; *p && *p != '"'; p++) {
		if (*p != '\\') {
			out[o++] = (uint8_t)*p;
			continue;
		}
		p++;
		switch (*p) {
		case 'x':
			if (hexval(p[1]) < 0 || hexval(p[2]) < 0)
				return false;
			out[o++] = (uint8_t)(hexval(p[1]) << 4 | hexval(p[2]));
			p += 2;
			break;
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case 'v': out[o++] = '\v'; break;
		case 'f': out[o++] = '\f'; break;
		case '\\': out[o++] = '\\'; break;
		case '"': out[o++] = '"'; break;
		default:
			if (*p >= '0' && *p <= '7') {
				unsigned v = 0, k;

				for (k = 0; k < 3 && p[k] >= '0' && p[k] <= '7'; k++)
					v = v * 8 + (unsigned)(p[k] - '0');
				out[o++] = (uint8_t)v;
				p += k - 1;
				break;
			}
			return false;
		}
	}
	if (*p != '"')
		return false;
	*n = o;
	*more = strncmp(p + 1, "...", 3) == 0;
	return true;
}

bool st_array(const char *arg, char ***items, size_t *n, bool *more)
{
	const char *p = arg, *e;
	size_t cap = 8, k = 0;
	char **v;

	*more = false;
	if (*p != '[')
		return false;
	v = malloc(cap * sizeof(*v));
	if (!v)
		return false;
	for (p++; *p && *p != ']';) {
		while (*p == ' ')
			p++;
		e = expr_end(p, ']');
		if (e - p == 3 && !strncmp(p, "...", 3)) {
			*more = true;
		} else if (e > p) {
			if (k == cap) {
				char **nv = realloc(v, 2 * cap * sizeof(*v));

				if (!nv)
					goto fail;
				v = nv;
				cap *= 2;
			}
			v[k] = clean_copy(p, e);
			if (!v[k])
				goto fail;
			k++;
		}
		p = *e == ',' ? e + 1 : e;
	}
	if (*p != ']')
		goto fail;
	*items = v;
	*n = k;
	return true;
fail:
	while (k)
		free(v[--k]);
	free(v);
	return false;
}

bool st_field(const char *arg, const char *name, char *out, size_t len)
{
	const char *p = arg, *e;
	size_t nl = strlen(name);

	if (*p == '{')
		p++;
	while (*p && *p != '}') {
		while (*p == ' ')
			p++;
		e = expr_end(p, '}');
		if (!strncmp(p, name, nl) && p[nl] == '=') {
			char *c = clean_copy(p + nl + 1, e);

			if (!c)
				return false;
			snprintf(out, len, "%s", c);
			free(c);
			return true;
		}
		p = *e == ',' ? e + 1 : e;
	}
	return false;
}

bool st_is_addr(const char *arg)
{
	uint64_t v;

	return !strncmp(arg, "0x", 2) && st_num(arg, &v) && v != 0;
}
