/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One line per event: human-readable (ts cpu tid event dir name=value ...)
 * or the library's JSON object. Text is built in one growing buffer and
 * written with one fwrite per line, so the cost per event is the formatting.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define CLI_INITIAL_BUF (64u << 10)

int cli_printer_init(struct cli_printer *p, int fd, bool json, size_t out_bytes)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->json = json;
	p->cap = CLI_INITIAL_BUF;
	p->buf = malloc(p->cap);
	p->out_cap = out_bytes;
	p->out = malloc(p->out_cap);
	if (!p->buf || !p->out) {
		cli_printer_free(p);
		return -ENOMEM;
	}
	return 0;
}

void cli_printer_free(struct cli_printer *p)
{
	free(p->buf);
	free(p->out);
	p->buf = p->out = NULL;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int cli_printer_flush(struct cli_printer *p)
{
	int rc = write_all(p->fd, p->out, p->out_len);

	p->out_len = 0;
	return rc;
}

static int ensure(struct cli_printer *p, size_t need)
{
	char *nb;
	size_t cap = p->cap;

	if (need <= cap)
		return 0;
	while (cap < need)
		cap *= 2;
	nb = realloc(p->buf, cap);
	if (!nb)
		return -ENOMEM;
	p->buf = nb;
	p->cap = cap;
	return 0;
}

/* Appends the output of a snprintf-like formatter at *off, growing as needed. */
#define APPEND(p, off, call_with_dst_len)                                          \
	do {                                                                        \
		char *dst = (p)->buf + *(off);                                      \
		size_t len = (p)->cap - *(off);                                     \
		int w_ = (call_with_dst_len);                                       \
		if (w_ < 0) { w_ = 0; dst[0] = '\0'; }                              \
		if ((size_t)w_ >= len) {                                            \
			if (ensure((p), *(off) + (size_t)w_ + 1) < 0)               \
				return -ENOMEM;                                     \
			dst = (p)->buf + *(off);                                    \
			len = (p)->cap - *(off);                                    \
			w_ = (call_with_dst_len);                                   \
			if (w_ < 0 || (size_t)w_ >= len) w_ = 0;                    \
		}                                                                   \
		*(off) += (size_t)w_;                                               \
	} while (0)

/* " name=": one per parameter, worth skipping snprintf for. */
static int append_name(struct cli_printer *p, size_t *off, const char *name)
{
	size_t n = strlen(name);

	if (ensure(p, *off + n + 3) < 0)
		return -ENOMEM;
	p->buf[(*off)++] = ' ';
	memcpy(p->buf + *off, name, n);
	*off += n;
	p->buf[(*off)++] = '=';
	p->buf[*off] = '\0';
	return 0;
}

static int format_human(struct cli_printer *p, const struct scap_event *ev, unsigned cpu, size_t *off)
{
	uint64_t ts = scap_event_ts(ev);
	unsigned i, n = scap_event_nparams(ev);
	unsigned flags = scap_event_flags(ev);

	APPEND(p, off, snprintf(dst, len, "%" PRIu64 ".%09" PRIu64 " %u %" PRIu32 " %s %s", ts / 1000000000u,
				ts % 1000000000u, cpu, scap_event_tid(ev), scap_event_name(ev),
				scap_event_dir(ev) == SCAP_DIR_ENTER ? "enter" : "exit"));
	for (i = 0; i < n; i++) {
		struct scap_param prm;

		if (scap_event_param(ev, i, &prm) < 0) {
			p->decode_errors++;
			APPEND(p, off, snprintf(dst, len, " param%u=<malformed>", i));
			continue;
		}
		if (append_name(p, off, prm.name) < 0)
			return -ENOMEM;
		APPEND(p, off, scap_param_format(&prm, dst, len));
	}
	if (flags & SCAP_EVF_TOCTOU)
		APPEND(p, off, snprintf(dst, len, " [toctou]"));
	if (flags & SCAP_EVF_TRUNCATED)
		APPEND(p, off, snprintf(dst, len, " [truncated]"));
	return 0;
}

static int format_json(struct cli_printer *p, const struct scap_event *ev, unsigned cpu, size_t *off)
{
	int w = scap_event_format_json(ev, cpu, p->buf, p->cap);

	if (w >= 0 && (size_t)w >= p->cap) {
		if (ensure(p, (size_t)w + 2) < 0)
			return -ENOMEM;
		w = scap_event_format_json(ev, cpu, p->buf, p->cap);
	}
	if (w < 0 || (size_t)w >= p->cap) {
		/* Keep one line per event, and say which one could not be decoded. */
		p->decode_errors++;
		w = snprintf(p->buf, p->cap,
			     "{\"ts\":%" PRIu64 ",\"cpu\":%u,\"tid\":%" PRIu32 ",\"event\":\"%s\",\"dir\":\"%s\","
			     "\"params\":{},\"error\":\"malformed event\"}",
			     scap_event_ts(ev), cpu, scap_event_tid(ev), scap_event_name(ev),
			     scap_event_dir(ev) == SCAP_DIR_ENTER ? "enter" : "exit");
	}
	*off = (size_t)w;
	return 0;
}

int cli_print_event(struct cli_printer *p, const struct scap_event *ev, unsigned cpu)
{
	size_t off = 0;
	int rc;

	p->buf[0] = '\0';
	rc = p->json ? format_json(p, ev, cpu, &off) : format_human(p, ev, cpu, &off);
	if (rc < 0)
		return rc;
	if (ensure(p, off + 2) < 0)
		return -ENOMEM;
	p->buf[off++] = '\n';
	if (p->out_len + off > p->out_cap) {
		rc = cli_printer_flush(p);
		if (rc < 0)
			return rc;
	}
	if (off > p->out_cap)
		return write_all(p->fd, p->buf, off);
	memcpy(p->out + p->out_len, p->buf, off);
	p->out_len += off;
	return p->flush_each ? cli_printer_flush(p) : 0;
}
