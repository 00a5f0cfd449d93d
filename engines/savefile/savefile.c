// SPDX-License-Identifier: Apache-2.0
/*
 * The savefile engine: replays a capture file written by scap_dump_*
 * (docs/capture-file-format.md). It produces the events itself (ops.next) so
 * that they come out in the recorded order with their recorded cpu: the
 * recorded stream is already merged, and paired events carry the enter's
 * timestamp, so a second merge by timestamp would reorder them. The file is
 * untrusted: every record is bounded and every event validated before it is
 * handed out, and the first bad byte stops the replay with its offset.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "scap/engine.h"
#include "scap/capfile.h"

#define SF_READ_BUFFER (256u << 10)

/* A buffer of the original capture: no events, only its counters for stats. */
struct sf_buf {
	struct scap_buf buf;
};

struct sf_state {
	struct scap_engine_ctx *ctx;
	gzFile gz;
	uint64_t off;              /* offset in the (decompressed) stream */
	uint8_t *ev;               /* the event handed out last */
	uint8_t *xev;              /* its exit-time copy, when has_x */
	bool has_x;
	struct sf_buf *bufs;
	uint32_t nbuffers;
	uint64_t records;
	bool running, done;
	int fail;                  /* sticky error of a bad file */
	char failmsg[SCAP_ERRBUF_SIZE];
};

static const struct scap_evt_hdr *sf_peek(struct scap_buf *b)
{
	return NULL;
}

static void sf_noop(struct scap_buf *b)
{
}

static const struct scap_buf_ops sf_buf_ops = {
	.peek = sf_peek,
	.consume = sf_noop,
	.release = sf_noop,
};

static int sf_probe(char *reason, size_t len)
{
	if (reason && len)
		reason[0] = '\0';
	return 0;
}

static void sf_close(void *state)
{
	struct sf_state *s = state;

	if (!s)
		return;
	if (s->gz)
		gzclose(s->gz);
	free(s->ev);
	free(s->xev);
	free(s->bufs);
	free(s);
}

/*
 * Reads up to n bytes; returns how many (short only at the end of the file),
 * or a negative errno after writing the reason to why.
 */
static long sf_read(struct sf_state *s, void *buf, size_t n, char *why, size_t whylen)
{
	size_t got = 0;

	while (got < n) {
		int k = gzread(s->gz, (uint8_t *)buf + got, (unsigned)(n - got));

		if (k < 0) {
			int zerr = 0;
			const char *msg = gzerror(s->gz, &zerr);

			if (zerr == Z_ERRNO) {
				snprintf(why, whylen, "read error at offset %" PRIu64 ": %s", s->off + got,
					 strerror(errno));
				return -EIO;
			}
			snprintf(why, whylen, "corrupt compressed data near offset %" PRIu64 ": %s", s->off + got,
				 msg);
			return -EBADMSG;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	s->off += got;
	return (long)got;
}

/* Stops the replay for good: every later next() returns the same error. */
__attribute__((format(printf, 3, 4)))
static int sf_failf(struct sf_state *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->failmsg, sizeof(s->failmsg), fmt, ap);
	va_end(ap);
	s->fail = err;
	scap_engine_errf(s->ctx, "%s", s->failmsg);
	return err;
}

static int sf_read_header(struct sf_state *s, const char *path, struct scap_capfile_hdr *hdr)
{
	uint8_t fixed[SCAP_CAPFILE_HDR_FIXED];
	char why[SCAP_ERRBUF_SIZE] = "";
	uint8_t *cpus;
	long got;
	uint32_t i;
	int r;

	memset(fixed, 0, sizeof(fixed));
	got = sf_read(s, fixed, sizeof(fixed), why, sizeof(why));
	if (got < 0) {
		scap_engine_errf(s->ctx, "capture file %s: %s", path, why);
		return (int)got;
	}
	if (got == 0) {
		scap_engine_errf(s->ctx, "capture file %s is empty: not a scap capture file", path);
		return -EBADMSG;
	}
	if (memcmp(fixed, SCAP_CAPFILE_MAGIC,
		   (size_t)got < SCAP_CAPFILE_MAGIC_LEN ? (size_t)got : SCAP_CAPFILE_MAGIC_LEN) != 0) {
		scap_engine_errf(s->ctx, "%s is not a scap capture file (it does not start with \"SCAPCAP\\0\")",
				 path);
		return -EBADMSG;
	}
	if ((size_t)got < sizeof(fixed)) {
		scap_engine_errf(s->ctx,
				 "capture file %s is truncated: it ends at offset %ld, inside the %u-byte header",
				 path, got, SCAP_CAPFILE_HDR_FIXED);
		return -EBADMSG;
	}
	r = scap_capfile_hdr_decode(fixed, hdr, why, sizeof(why));
	if (r < 0) {
		scap_engine_errf(s->ctx, "capture file %s: %s", path, why);
		return r;
	}
	s->nbuffers = hdr->nbuffers;
	s->bufs = calloc(hdr->nbuffers ? hdr->nbuffers : 1, sizeof(*s->bufs));
	cpus = malloc(hdr->nbuffers ? 4u * hdr->nbuffers : 1);
	if (!s->bufs || !cpus) {
		free(cpus);
		scap_engine_errf(s->ctx, "capture file %s: out of memory for %u buffers", path, hdr->nbuffers);
		return -ENOMEM;
	}
	got = sf_read(s, cpus, 4u * hdr->nbuffers, why, sizeof(why));
	if (got >= 0 && (size_t)got < 4u * hdr->nbuffers) {
		snprintf(why, sizeof(why), "truncated: it ends at offset %" PRIu64 ", inside the %u-byte header",
			 s->off, hdr->hdr_len);
		got = -EBADMSG;
	}
	for (i = 0; got >= 0 && i < hdr->nbuffers; i++) {
		s->bufs[i].buf.ops = &sf_buf_ops;
		s->bufs[i].buf.priv = &s->bufs[i];
		s->bufs[i].buf.cpu = (int32_t)scap_capfile_get32(cpus + 4u * i);
	}
	free(cpus);
	if (got < 0) {
		scap_engine_errf(s->ctx, "capture file %s: %s", path, why);
		return (int)got;
	}
	for (i = 0; i < hdr->nbuffers; i++) {
		r = scap_bufset_add(s->ctx->bufs, &s->bufs[i].buf);
		if (r < 0) {
			scap_engine_errf(s->ctx, "capture file %s: out of memory for %u buffers", path,
					 hdr->nbuffers);
			return r;
		}
	}
	return 0;
}

static int sf_init(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg, void **state)
{
	const char *path = cfg->opts ? cfg->opts->savefile_path : NULL;
	struct scap_capfile_hdr hdr;
	struct sf_state *s;
	int fd, r;

	if (!path || !path[0]) {
		scap_engine_errf(ctx, "invalid option savefile_path: the savefile engine needs the capture file to replay");
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->ev = malloc(SCAP_MAX_EVENT_LEN)) || !(s->xev = malloc(SCAP_MAX_EVENT_LEN))) {
		if (s)
			free(s->ev);
		free(s);
		scap_engine_errf(ctx, "out of memory opening capture file %s", path);
		return -ENOMEM;
	}
	s->ctx = ctx;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		scap_engine_errf(ctx, "cannot open capture file %s: %s", path, strerror(errno));
		sf_close(s);
		return r;
	}
	/* zlib reads a plain file as is, and a gzip one by its magic. */
	s->gz = gzdopen(fd, "rb");
	if (!s->gz) {
		close(fd);
		scap_engine_errf(ctx, "out of memory opening capture file %s", path);
		sf_close(s);
		return -ENOMEM;
	}
	gzbuffer(s->gz, SF_READ_BUFFER);
	r = sf_read_header(s, path, &hdr);
	if (r < 0) {
		sf_close(s);
		return r;
	}
	ctx->events_paired = (hdr.flags & SCAP_CAPFILE_F_PAIRED) != 0;
	scap_engine_logf(ctx, SCAP_LOG_INFO,
			 "replaying %s: recorded by engine %s on Linux %s (%s), %u buffers, snaplen %u, %s events%s",
			 path, hdr.engine[0] ? hdr.engine : "?", hdr.release[0] ? hdr.release : "?",
			 hdr.arch[0] ? hdr.arch : "?", hdr.nbuffers, hdr.snaplen,
			 ctx->events_paired ? "paired" : "raw (unpaired)", gzdirect(s->gz) ? "" : ", gzip");
	*state = s;
	return 0;
}

static int sf_start(void *state)
{
	((struct sf_state *)state)->running = true;
	return 0;
}

static int sf_stop(void *state)
{
	((struct sf_state *)state)->running = false;
	return 0;
}

/* Reads exactly n bytes of the record at rec, or fails with what was cut. */
static int sf_need(struct sf_state *s, void *buf, size_t n, uint64_t rec, const char *what)
{
	char why[SCAP_ERRBUF_SIZE] = "";
	long got = sf_read(s, buf, n, why, sizeof(why));

	if (got < 0)
		return sf_failf(s, (int)got, "capture file: %s", why);
	if ((size_t)got < n)
		return sf_failf(s, -EBADMSG,
				"capture file truncated: it ends at offset %" PRIu64 ", inside the %s of the record at offset %" PRIu64,
				s->off, what, rec);
	return 0;
}

static int sf_trailer(struct sf_state *s, uint32_t len, uint64_t rec)
{
	uint32_t bufs = s->nbuffers * SCAP_CAPFILE_TRAILER_BUF;
	uint32_t want = SCAP_CAPFILE_TRAILER_FIXED + bufs, fixed = len - bufs;
	struct scap_capfile_trailer t;
	char why[SCAP_ERRBUF_SIZE] = "";
	uint8_t *body, extra;
	uint32_t i;
	long got;
	int r;

	if (len != want && len != SCAP_CAPFILE_TRAILER_FIXED_V1 + bufs)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the trailer at offset %" PRIu64 " has length %u, expected %u for %u buffers",
				rec, len, want, s->nbuffers);
	body = malloc(len);
	if (!body)
		return sf_failf(s, -ENOMEM, "out of memory reading the capture file's trailer");
	r = sf_need(s, body, len, rec, "trailer");
	if (r < 0) {
		free(body);
		return r;
	}
	scap_capfile_trailer_decode(body, fixed, &t);
	if (t.nbuffers != s->nbuffers || t.records != s->records) {
		free(body);
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the trailer at offset %" PRIu64 " counts %" PRIu64 " events in %u buffers, the file holds %" PRIu64 " in %u",
				rec, t.records, t.nbuffers, s->records, s->nbuffers);
	}
	for (i = 0; i < s->nbuffers; i++) {
		struct scap_capfile_trailer_buf tb;

		scap_capfile_trailer_buf_decode(body + fixed + (size_t)i * SCAP_CAPFILE_TRAILER_BUF,
						&tb);
		s->bufs[i].buf.drops_buffer_full = tb.drops_buffer_full;
		s->bufs[i].buf.drops_other = tb.drops_other;
		s->bufs[i].buf.kernel_events = tb.kernel_events;
	}
	free(body);
	/* What the original capture could not see is part of what the file holds. */
	s->ctx->exits_without_enter = t.exits_without_enter;
	s->ctx->attach_failures = t.attach_failures;
	got = sf_read(s, &extra, 1, why, sizeof(why));
	if (got < 0)
		return sf_failf(s, (int)got, "capture file: %s", why);
	if (got > 0)
		return sf_failf(s, -EBADMSG, "corrupt capture file: data after the trailer, at offset %" PRIu64,
				s->off - 1);
	scap_engine_logf(s->ctx, SCAP_LOG_INFO,
			 "end of capture file: the original capture delivered %" PRIu64 " events, dropped %" PRIu64
			 " (buffer full %" PRIu64 ", other %" PRIu64 "), toctou %" PRIu64 ", pairing evicted %" PRIu64
			 ", orphan exits %" PRIu64 ", stale enters %" PRIu64 ", exits without enter %" PRIu64
			 "%s, attach failures %u",
			 t.events, t.drops_buffer_full + t.drops_other, t.drops_buffer_full, t.drops_other, t.toctou,
			 t.pairing_evicted, t.pairing_orphan_exits, t.pairing_stale, t.exits_without_enter,
			 fixed < SCAP_CAPFILE_TRAILER_FIXED ? " (not recorded by this file's writer)" : "",
			 t.attach_failures);
	s->done = true;
	return -ENODATA;
}

/* Reads and validates the event of the record at rec into buf. */
static int sf_read_event(struct sf_state *s, uint8_t *buf, uint64_t rec, const char *what)
{
	char why[SCAP_ERRBUF_SIZE] = "";
	uint32_t len;
	int r;

	r = sf_need(s, buf, SCAP_EVT_HDR_LEN, rec, what);
	if (r < 0)
		return r;
	len = scap_capfile_get32(buf + 16);
	if (len < SCAP_EVT_HDR_LEN || len > SCAP_MAX_EVENT_LEN)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the %s at offset %" PRIu64 " has length %u (must be %u..%u)",
				what, rec + SCAP_CAPFILE_REC_HEAD, len, SCAP_EVT_HDR_LEN, SCAP_MAX_EVENT_LEN);
	r = sf_need(s, buf + SCAP_EVT_HDR_LEN, len - SCAP_EVT_HDR_LEN, rec, what);
	if (r < 0)
		return r;
	if (scap_event_validate(buf, len, why, sizeof(why)) < 0)
		return sf_failf(s, -EBADMSG, "corrupt capture file: malformed %s at offset %" PRIu64 ": %s", what,
				rec + SCAP_CAPFILE_REC_HEAD, why);
	return 0;
}

static int sf_next(void *state, const struct scap_evt_hdr **ev, unsigned *cpu, int timeout_ms)
{
	struct sf_state *s = state;
	char why[SCAP_ERRBUF_SIZE] = "";
	uint8_t head[SCAP_CAPFILE_REC_HEAD];
	uint64_t rec, x_rec = 0;
	uint32_t kind, arg;
	bool x_pending = false;
	long got;
	int r;

	s->has_x = false;
	if (s->fail) {
		scap_engine_errf(s->ctx, "%s", s->failmsg);
		return s->fail;
	}
	if (s->done)
		return -ENODATA;
	if (!s->running) {
		/* Nothing comes while stopped, as from an idle kernel buffer. */
		poll(NULL, 0, timeout_ms < 0 || timeout_ms > 100 ? 100 : timeout_ms);
		return -EAGAIN;
	}
	for (;;) {
		rec = s->off;
		got = sf_read(s, head, sizeof(head), why, sizeof(why));
		if (got < 0)
			return sf_failf(s, (int)got, "capture file: %s", why);
		if (got == 0)
			return sf_failf(s, -EBADMSG,
					"capture file truncated: it ends at offset %" PRIu64 " without its trailer (the writer did not finish); the %" PRIu64 " events before were delivered",
					rec, s->records);
		if ((size_t)got < sizeof(head))
			return sf_failf(s, -EBADMSG,
					"capture file truncated: it ends at offset %" PRIu64 ", inside the head of the record at offset %" PRIu64,
					s->off, rec);
		kind = scap_capfile_get32(head);
		arg = scap_capfile_get32(head + 4);
		if (kind != SCAP_CAPFILE_REC_EXIT_COPY)
			break;
		if (x_pending || arg != 0)
			return sf_failf(s, -EBADMSG,
					"corrupt capture file: the exit copy at offset %" PRIu64 " %s", rec,
					x_pending ? "follows another exit copy" : "has a non-zero argument");
		r = sf_read_event(s, s->xev, rec, "exit copy");
		if (r < 0)
			return r;
		if (scap_event_dir((const struct scap_event *)s->xev) != SCAP_DIR_EXIT)
			return sf_failf(s, -EBADMSG,
					"corrupt capture file: the exit copy at offset %" PRIu64 " is not an exit event",
					rec + SCAP_CAPFILE_REC_HEAD);
		x_pending = true;
		x_rec = rec;
	}
	if (x_pending && kind != SCAP_CAPFILE_REC_EVENT)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the exit copy at offset %" PRIu64 " is not followed by its event",
				x_rec);
	if (kind == SCAP_CAPFILE_REC_TRAILER)
		return sf_trailer(s, arg, rec);
	if (kind != SCAP_CAPFILE_REC_EVENT)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: unknown record kind %u at offset %" PRIu64 " (1 = event, 2 = trailer, 3 = exit copy)",
				kind, rec);
	r = sf_read_event(s, s->ev, rec, "event");
	if (r < 0)
		return r;
	if (x_pending && !(scap_event_flags((const struct scap_event *)s->ev) & SCAP_EVF_TOCTOU))
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the exit copy at offset %" PRIu64 " belongs to an event without the TOCTOU flag",
				x_rec);
	s->has_x = x_pending;
	s->records++;
	if (arg < s->nbuffers)
		s->bufs[arg].buf.delivered++;
	*ev = (const struct scap_evt_hdr *)s->ev;
	*cpu = arg;
	return 0;
}

static const struct scap_evt_hdr *sf_exit_copy(void *state, const struct scap_evt_hdr *ev)
{
	struct sf_state *s = state;

	return s->has_x && ev == (const struct scap_evt_hdr *)s->ev ? (const struct scap_evt_hdr *)s->xev : NULL;
}

const struct scap_engine_ops scap_engine_savefile = {
	.name = "savefile",
	.description = "replays a capture file written by scap_dump_* (scap capture --write)",
	.probe = sf_probe,
	.init = sf_init,
	.start = sf_start,
	.stop = sf_stop,
	.next = sf_next,
	.close = sf_close,
	.exit_copy = sf_exit_copy,
};
