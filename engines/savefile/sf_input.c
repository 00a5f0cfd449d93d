// SPDX-License-Identifier: Apache-2.0
/*
 * The bytes of a capture file, plain or gzip, from a regular file, a FIFO or
 * a pipe. Its own reader rather than zlib's gz* functions: a FIFO whose
 * writer is missing must be an error rather than a silent wait (the first
 * read is non-blocking, and its bytes are kept), a gzip stream cut short
 * (a killed writer) must read as a truncation rather than as corruption, and
 * a signal must not turn a read into an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sf.h"

static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* Reads more raw bytes after the kept ones. 0, or -errno. Sets eof. */
static int fill(struct sf_in *in)
{
	ssize_t n;

	if (in->raw_pos == in->raw_len)
		in->raw_pos = in->raw_len = 0;
	if (in->eof || in->raw_len == SF_RAW_BUFFER)
		return 0;
	do
		n = read(in->fd, in->raw + in->raw_len, SF_RAW_BUFFER - in->raw_len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		in->eof = true;
	in->raw_len += (size_t)n;
	return 0;
}

int sf_in_open(struct sf_in *in, const char *path, char *why, size_t whylen)
{
	struct stat st;
	ssize_t n;
	int fl, r;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->raw = malloc(SF_RAW_BUFFER);
	if (!in->raw) {
		snprintf(why, whylen, "out of memory opening capture file %s", path);
		return -ENOMEM;
	}
	/* Non-blocking: opening a FIFO for reading would otherwise wait for a writer. */
	in->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (in->fd < 0) {
		r = -errno;
		snprintf(why, whylen, "cannot open capture file %s: %s", path, strerror(-r));
		return r;
	}
	if (fstat(in->fd, &st) < 0) {
		r = -errno;
		snprintf(why, whylen, "cannot open capture file %s: fstat: %s", path, strerror(-r));
		return r;
	}
	in->regular = S_ISREG(st.st_mode);
	if (!in->regular && !S_ISFIFO(st.st_mode)) {
		snprintf(why, whylen, "cannot replay %s: it is %s, not a capture file (a regular file, a FIFO or a pipe)",
			 path, kind_of(st.st_mode));
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	if (!in->regular) {
		/* A FIFO without a writer reads as end of file at once; one with a writer, EAGAIN. */
		do
			n = read(in->fd, in->raw, SF_RAW_BUFFER);
		while (n < 0 && errno == EINTR);
		if (n == 0) {
			snprintf(why, whylen,
				 "cannot replay %s: it is a FIFO (or pipe) that no process has open for writing: start "
				 "the writer first (scap capture --write %s), or replay a regular file", path, path);
			return -ENXIO;
		}
		if (n < 0 && errno != EAGAIN) {
			r = -errno;
			snprintf(why, whylen, "cannot read capture file %s: %s", path, strerror(-r));
			return r;
		}
		in->raw_len = n > 0 ? (size_t)n : 0;
	}
	fl = fcntl(in->fd, F_GETFL);
	if (fl < 0 || fcntl(in->fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		r = -errno;
		snprintf(why, whylen, "cannot open capture file %s: fcntl: %s", path, strerror(-r));
		return r;
	}
	/* gzip is recognized by its magic, as zcat would. */
	while (in->raw_len < 2 && !in->eof) {
		r = fill(in);
		if (r < 0) {
			snprintf(why, whylen, "cannot read capture file %s: %s", path, strerror(-r));
			return r;
		}
	}
	in->gz = in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b;
	if (in->gz) {
		/* 15 + 16: gzip only (the magic said so). */
		if (inflateInit2(&in->z, 15 + 16) != Z_OK) {
			snprintf(why, whylen, "out of memory opening capture file %s", path);
			return -ENOMEM;
		}
		in->z_ready = true;
	}
	return 0;
}

void sf_in_close(struct sf_in *in)
{
	if (in->z_ready)
		inflateEnd(&in->z);
	if (in->fd >= 0)
		close(in->fd);
	free(in->raw);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
}

/* The plain case: copy what is buffered, refill until n bytes or the end. */
static long read_plain(struct sf_in *in, uint8_t *buf, size_t n, char *why, size_t whylen)
{
	size_t got = 0;

	while (got < n) {
		size_t k;
		int r;

		if (in->raw_pos == in->raw_len) {
			if (in->eof)
				break;
			/* Large reads go straight to the caller's buffer. */
			if (n - got >= SF_RAW_BUFFER) {
				ssize_t m;

				do
					m = read(in->fd, buf + got, n - got);
				while (m < 0 && errno == EINTR);
				if (m < 0) {
					snprintf(why, whylen, "read error at offset %" PRIu64 ": %s", in->off + got,
						 strerror(errno));
					return -EIO;
				}
				if (m == 0)
					in->eof = true;
				got += (size_t)m;
				continue;
			}
			r = fill(in);
			if (r < 0) {
				snprintf(why, whylen, "read error at offset %" PRIu64 ": %s", in->off + got, strerror(-r));
				return -EIO;
			}
			continue;
		}
		k = in->raw_len - in->raw_pos;
		if (k > n - got)
			k = n - got;
		memcpy(buf + got, in->raw + in->raw_pos, k);
		in->raw_pos += k;
		got += k;
	}
	in->off += got;
	return (long)got;
}

static long read_gz(struct sf_in *in, uint8_t *buf, size_t n, char *why, size_t whylen)
{
	size_t got = 0;

	while (got < n) {
		int zr, r;

		if (in->z_end) {
			/* gzip allows members one after the other (cat a.gz b.gz). */
			if (in->raw_pos == in->raw_len && !in->eof && (r = fill(in)) < 0) {
				snprintf(why, whylen, "read error at offset %" PRIu64 ": %s", in->off + got, strerror(-r));
				return -EIO;
			}
			if (in->raw_pos == in->raw_len)
				break;
			inflateReset(&in->z);
			in->z_end = false;
		}
		if (in->raw_pos == in->raw_len) {
			if (in->eof) {
				/* The stream stops without its end: a writer that did not finish. */
				in->cut = true;
				break;
			}
			r = fill(in);
			if (r < 0) {
				snprintf(why, whylen, "read error at offset %" PRIu64 ": %s", in->off + got, strerror(-r));
				return -EIO;
			}
			continue;
		}
		in->z.next_in = in->raw + in->raw_pos;
		in->z.avail_in = (uInt)(in->raw_len - in->raw_pos);
		in->z.next_out = buf + got;
		in->z.avail_out = (uInt)(n - got);
		zr = inflate(&in->z, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->z.avail_in;
		got = n - in->z.avail_out;
		in->z_full = in->z.avail_out == 0;
		if (zr == Z_STREAM_END) {
			in->z_end = true;
			continue;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			snprintf(why, whylen, "corrupt compressed data near offset %" PRIu64 ": %s", in->off + got,
				 in->z.msg ? in->z.msg : "inflate failed");
			return zr == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
		}
	}
	in->off += got;
	return (long)got;
}

long sf_in_read(struct sf_in *in, void *buf, size_t n, char *why, size_t whylen)
{
	return in->gz ? read_gz(in, buf, n, why, whylen) : read_plain(in, buf, n, why, whylen);
}

int sf_in_wait(struct sf_in *in, int wake_fd, int timeout_ms)
{
	/* wake_fd: readable once scap_close has begun on another thread. */
	struct pollfd p[2] = { { .fd = in->fd, .events = POLLIN }, { .fd = wake_fd, .events = POLLIN } };
	int n;

	if (in->regular || in->raw_pos < in->raw_len || in->eof || (in->gz && in->z_full))
		return 0;
	n = poll(p, wake_fd >= 0 ? 2 : 1, timeout_ms);
	if (n < 0)
		return errno == EINTR ? -EINTR : 0;
	if (n > 0 && !(p[0].revents) && (p[1].revents & POLLIN))
		return -EAGAIN; /* the core sees the close and says -ECANCELED */
	return n == 0 ? -EAGAIN : 0;
}
