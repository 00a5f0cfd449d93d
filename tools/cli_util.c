/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_errorf(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;
	size_t i, o = 0;
	char line[4096 + 16];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	/* One line, whatever the library's message looks like. */
	for (i = 0; msg[i] && o + 3 < sizeof(line); i++) {
		if (msg[i] == '\n') {
			if (msg[i + 1] == '\0')
				break;
			/* "...:\nitem\nitem" reads best as "...: item; item". */
			if (o == 0 || line[o - 1] != ':')
				line[o++] = ';';
			line[o++] = ' ';
		} else {
			line[o++] = msg[i];
		}
	}
	line[o] = '\0';
	fflush(stdout);
	fprintf(stderr, "scap: %s\n", line);
}

/* Digits only: strtoull alone would accept " 12", "+12" and "-1". */
static int parse_digits(const char *text, uint64_t *out, const char **end)
{
	char *e;
	unsigned long long v;

	if (!text || text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &e, 10);
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	*end = e;
	return 0;
}

int cli_parse_u64(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *end;
	uint64_t v;
	int rc = parse_digits(text, &v, &end);

	if (rc == 0 && *end != '\0')
		rc = -EINVAL;
	if (rc == -EINVAL) {
		cli_errorf("invalid value '%s' for %s: expected a whole number", text, opt);
		return rc;
	}
	if (rc == -ERANGE || v < min || v > max) {
		cli_errorf("value '%s' for %s is out of range: use %llu to %llu", text, opt,
			   (unsigned long long)min, (unsigned long long)max);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

/* A size as a user writes it: "4K", "1G", "5000" (the largest exact suffix). */
void cli_size_text(uint64_t v, char *buf, size_t len)
{
	static const char suffix[] = "KMG";
	int k = -1;

	while (k < 2 && v && v % 1024 == 0) {
		v /= 1024;
		k++;
	}
	if (k >= 0)
		snprintf(buf, len, "%llu%c", (unsigned long long)v, suffix[k]);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

int cli_parse_size(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *end;
	uint64_t v, mult = 1;
	int rc = parse_digits(text, &v, &end);

	if (rc == 0) {
		switch (*end) {
		case '\0': break;
		case 'k': case 'K': mult = 1ull << 10; end++; break;
		case 'm': case 'M': mult = 1ull << 20; end++; break;
		case 'g': case 'G': mult = 1ull << 30; end++; break;
		default: rc = -EINVAL;
		}
		/* Accept "8M" and "8MiB"/"8MB" alike, nothing else. */
		if (rc == 0 && mult > 1 && (!strcmp(end, "iB") || !strcmp(end, "B")))
			end += strlen(end);
		if (rc == 0 && *end != '\0')
			rc = -EINVAL;
	}
	if (rc == -EINVAL) {
		cli_errorf("invalid size '%s' for %s: expected bytes, optionally with a K, M or G suffix (e.g. 8M)",
			   text, opt);
		return rc;
	}
	if (rc == 0 && v > UINT64_MAX / mult)
		rc = -ERANGE;
	if (rc == -ERANGE || v * mult < min || v * mult > max) {
		char lo[32], hi[32];

		cli_size_text(min, lo, sizeof(lo));
		cli_size_text(max, hi, sizeof(hi));
		cli_errorf("value '%s' for %s is out of range: use %s to %s", text, opt, lo, hi);
		return -ERANGE;
	}
	*out = v * mult;
	return 0;
}

int cli_parse_seconds(const char *opt, const char *text, double *out)
{
	char *e;
	double v;

	if (!text || ((text[0] < '0' || text[0] > '9') && text[0] != '.')) {
		cli_errorf("invalid value '%s' for %s: expected seconds (e.g. 10 or 0.5)", text ? text : "", opt);
		return -EINVAL;
	}
	errno = 0;
	v = strtod(text, &e);
	if (*e != '\0' || errno == ERANGE || !isfinite(v)) {
		cli_errorf("invalid value '%s' for %s: expected seconds (e.g. 10 or 0.5)", text, opt);
		return -EINVAL;
	}
	/* A year bounds the deadline arithmetic; nobody means more. */
	if (v <= 0 || v > 366.0 * 86400) {
		cli_errorf("value '%s' for %s is out of range: use more than 0 and at most 31622400 seconds",
			   text, opt);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int cli_split_list(const char *opt, const char *text, char ***out)
{
	size_t n = 1, len = strlen(text), i;
	char **arr, *copy, *p;

	for (i = 0; i < len; i++)
		n += text[i] == ',';
	arr = malloc((n + 1) * sizeof(*arr) + len + 1);
	if (!arr) {
		cli_errorf("out of memory parsing %s", opt);
		return -ENOMEM;
	}
	copy = (char *)(arr + n + 1);
	memcpy(copy, text, len + 1);
	for (i = 0, p = copy; i < n; i++) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (*p == '\0') {
			cli_errorf("invalid list '%s' for %s: expected comma-separated names without empty items",
				   text, opt);
			free(arr);
			return -EINVAL;
		}
		arr[i] = p;
		p = comma ? comma + 1 : p + strlen(p);
	}
	arr[n] = NULL;
	*out = arr;
	return 0;
}

void cli_engine_names(char *buf, size_t len)
{
	unsigned i, n = scap_engine_count();
	size_t o = 0;
	int w;

	w = snprintf(buf, len, "auto");
	o = w > 0 ? (size_t)w : 0;
	for (i = 0; i < n && o < len; i++) {
		w = snprintf(buf + o, len - o, ", %s", scap_engine_name_at(i));
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

bool cli_engine_built(const char *name)
{
	unsigned i, n = scap_engine_count();

	for (i = 0; i < n; i++)
		if (!strcmp(name, scap_engine_name_at(i)))
			return true;
	return false;
}

static const char *const api_engines[] = { "modern_bpf", "bpf", "kmod", "savefile", "synthetic", NULL };

bool cli_engine_known(const char *name, bool allow_auto)
{
	if (allow_auto && !strcmp(name, "auto"))
		return true;
	for (const char *const *e = api_engines; *e; e++)
		if (!strcmp(name, *e))
			return true;
	return false;
}

void cli_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}
