/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One line per event, the library's text line or JSON object
 * (scap_event_format), formatted straight into one large output buffer that
 * is written with write(2) when full: no copy and no system call per event.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Below this much room, flush before formatting: the library writes a line
 * straight into the buffer when the room covers the event's worst case, and
 * through its scratch memory otherwise. */
#define CLI_MIN_ROOM (64u << 10)

int cli_printer_init(struct cli_printer *p, int fd, bool json, size_t out_bytes)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->json = json;
	p->out_cap = out_bytes > 2 * CLI_MIN_ROOM ? out_bytes : 2 * CLI_MIN_ROOM;
	p->out = malloc(p->out_cap);
	return p->out ? 0 : -ENOMEM;
}

void cli_printer_free(struct cli_printer *p)
{
	free(p->out);
	p->out = NULL;
}

/* Resumes after EINTR (stop signals come without SA_RESTART) and waits when
 * the output is non-blocking and full, rather than failing. */
static int write_all(int fd, const char *s, size_t n, size_t *done)
{
	*done = 0;
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				struct pollfd pfd = { .fd = fd, .events = POLLOUT };

				if (poll(&pfd, 1, -1) >= 0 || errno == EINTR)
					continue;
			}
			return -errno;
		}
		s += w;
		n -= (size_t)w;
		*done += (size_t)w;
	}
	return 0;
}

static uint64_t count_lines(const char *s, size_t n)
{
	uint64_t k = 0;
	const char *e = s + n, *nl;

	while (s < e && (nl = memchr(s, '\n', (size_t)(e - s)))) {
		k++;
		s = nl + 1;
	}
	return k;
}

int cli_printer_flush(struct cli_printer *p)
{
	size_t done;
	int rc = write_all(p->fd, p->out, p->out_len, &done);

	/* Events formatted but not written are counted, never dropped silently. */
	if (rc < 0)
		p->unwritten += count_lines(p->out + done, p->out_len - done);
	p->out_len = 0;
	return rc;
}

int cli_print_event(struct cli_printer *p, const struct scap_event *ev, unsigned cpu)
{
	struct scap_format_opts fo = { .sz = sizeof(fo), .fmt = p->json ? SCAP_FORMAT_JSON : SCAP_FORMAT_TEXT,
				       .ts_offset_ns = p->ts_offset_ns, .proc_h = p->h };
	int rc;

	if (p->out_cap - p->out_len < CLI_MIN_ROOM && (rc = cli_printer_flush(p)) < 0)
		return rc;
	for (;;) {
		size_t room = p->out_cap - p->out_len;
		unsigned bad = 0;
		int n = scap_event_format_opts(ev, cpu, &fo, p->out + p->out_len, room, &bad);
		char *nb;

		if (n < 0)
			return n;
		/* The line, then its newline where the NUL went. */
		if ((size_t)n + 1 < room) {
			p->out[p->out_len + (size_t)n] = '\n';
			p->out_len += (size_t)n + 1;
			p->decode_errors += bad;
			break;
		}
		if (p->out_len) {
			rc = cli_printer_flush(p);
			if (rc < 0)
				return rc;
			continue;
		}
		/* A line longer than the whole buffer: make room for it. */
		nb = realloc(p->out, (size_t)n + 2);
		if (!nb)
			return -ENOMEM;
		p->out = nb;
		p->out_cap = (size_t)n + 2;
	}
	return p->flush_each ? cli_printer_flush(p) : 0;
}

bool cli_output_gone(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = 0 };

	/* POLLERR: a pipe whose last reader closed; POLLHUP: a socket shut down. */
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP));
}
