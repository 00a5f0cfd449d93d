// SPDX-License-Identifier: Apache-2.0
/*
 * The savefile engine: replays a capture file written by scap_dump_*
 * (docs/capture-file-format.md), version 2 or 1. It produces the events
 * itself (ops.next) so that they come out in the recorded order with their
 * recorded cpu: the recorded stream is already merged, and paired events
 * carry the enter's timestamp, so a second merge by timestamp would reorder
 * them. The file is untrusted: every block is checked whole and every event
 * against the file's rules before it is handed out, and the first bad byte
 * stops the replay for good with its offset.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sf.h"
#include "scap/capfile/syscall_arch.h"
#include "scap/common/arch.h"

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
	sf_in_close(&s->in);
	sf_v2_free(s);
	free(s->v1_ev);
	free(s->v1_xev);
	free(s->hdr.cpus);
	free(s->bufs);
	free(s->nr_map);
	free(s->path);
	free(s);
}

int sf_take_header(struct sf_state *s, struct scap_capfile_hdr *h)
{
	uint32_t i;
	int r;

	s->hdr = *h;
	s->nbuffers = h->nbuffers;
	/* A version-1 file never has the flag: its events are little endian. */
	s->ev_big_endian = (h->flags & SCAP_CAPFILE_F_BIG_ENDIAN) != 0;
	s->swap = (h->flags & SCAP_CAPFILE_F_BIG_ENDIAN) != SCAP_CAPFILE_F_HOST_ORDER;
	r = h->arch[0] ? scap__syscall_arch_map(h->arch, &s->nr_map, &s->nr_map_len) : 0;
	if (r == -ENOMEM) {
		scap_engine_errf(s->ctx, "capture file %s: out of memory for the syscall table of %s", s->path, h->arch);
		return r;
	}
	if (r == -ENOENT)
		scap_engine_logf(s->ctx, SCAP_LOG_WARN,
				 "capture file %s was recorded on %s, an architecture scap has no syscall table for "
				 "(it has %s): the syscall numbers of its generic events are %s's, and are named "
				 "as %s's would be", s->path, h->arch, scap__syscall_arch_names, h->arch,
				 SCAP_ARCH_NAME);
	else if (s->nr_map)
		scap_engine_logf(s->ctx, SCAP_LOG_INFO,
				 "capture file %s was recorded on %s: generic events' syscall numbers are turned "
				 "into %s's by name", s->path, h->arch, SCAP_ARCH_NAME);
	s->bufs = calloc(h->nbuffers ? h->nbuffers : 1, sizeof(*s->bufs));
	if (!s->bufs) {
		scap_engine_errf(s->ctx, "capture file %s: out of memory for %u buffers", s->path, h->nbuffers);
		return -ENOMEM;
	}
	for (i = 0; i < h->nbuffers; i++) {
		s->bufs[i].buf.ops = &sf_buf_ops;
		s->bufs[i].buf.priv = &s->bufs[i];
		s->bufs[i].buf.cpu = h->cpus[i];
		r = scap_bufset_add(s->ctx->bufs, &s->bufs[i].buf);
		if (r < 0) {
			scap_engine_errf(s->ctx, "capture file %s: out of memory for %u buffers", s->path, h->nbuffers);
			return r;
		}
	}
	return 0;
}

/* The first 16 bytes tell the version: a v2 preamble, or the start of a v1 header. */
static int sf_open_file(struct sf_state *s)
{
	uint8_t first[SCAP_CAPFILE_PREAMBLE];
	char why[SCAP_ERRBUF_SIZE] = "";
	unsigned version;
	long got;
	int r;

	memset(first, 0, sizeof(first));
	got = sf_in_read(&s->in, first, sizeof(first), why, sizeof(why));
	if (got < 0) {
		scap_engine_errf(s->ctx, "capture file %s: %s", s->path, why);
		return (int)got;
	}
	if (got == 0) {
		scap_engine_errf(s->ctx, "capture file %s is empty: not a scap capture file", s->path);
		return -EBADMSG;
	}
	if (memcmp(first, SCAP_CAPFILE_MAGIC,
		   (size_t)got < SCAP_CAPFILE_MAGIC_LEN ? (size_t)got : SCAP_CAPFILE_MAGIC_LEN) != 0) {
		scap_engine_errf(s->ctx, "%s is not a scap capture file (it does not start with \"SCAPCAP\\0\")",
				 s->path);
		return -EBADMSG;
	}
	if ((size_t)got < sizeof(first)) {
		scap_engine_errf(s->ctx, "capture file %s is truncated: it ends at offset %ld, inside its first 16 bytes",
				 s->path, got);
		return -EBADMSG;
	}
	version = scap_capfile_get16(first + 8);
	if (version == SCAP_CAPFILE_VERSION_V1)
		return sf_v1_open(s, first);
	if (version == 0) {
		scap_engine_errf(s->ctx, "capture file %s: corrupt header: format version 0 at offset 8", s->path);
		return -EBADMSG;
	}
	/* From version 2 on, every file starts with this checked preamble. */
	r = scap_capfile_preamble_check(first, why, sizeof(why));
	if (r < 0) {
		scap_engine_errf(s->ctx, "capture file %s: %s", s->path, why);
		return r;
	}
	if (version > SCAP_CAPFILE_VERSION) {
		scap_engine_errf(s->ctx, "capture file %s has capture-file format version %u, newer than the version %u "
				 "this library reads: replay it with a newer libscap", s->path, version,
				 SCAP_CAPFILE_VERSION);
		return -ENOTSUP;
	}
	return sf_v2_open(s);
}

static int sf_init(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg, void **state)
{
	const char *path = cfg->opts ? cfg->opts->savefile_path : NULL;
	char why[SCAP_ERRBUF_SIZE] = "";
	struct sf_state *s;
	struct stat st;
	int r;

	if (!path || !path[0]) {
		scap_engine_errf(ctx, "invalid option savefile_path: the savefile engine needs the capture file to replay");
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		scap_engine_errf(ctx, "out of memory opening capture file %s", path);
		return -ENOMEM;
	}
	s->ctx = ctx;
	r = sf_in_open(&s->in, path, why, sizeof(why));
	if (r < 0) {
		scap_engine_errf(ctx, "%s", why);
		sf_close(s);
		return r;
	}
	/* scap_dump_open refuses to write onto the file being replayed. */
	if (fstat(s->in.fd, &st) == 0) {
		ctx->input_set = true;
		ctx->input_dev = st.st_dev;
		ctx->input_ino = st.st_ino;
	}
	r = sf_open_file(s);
	if (r < 0) {
		ctx->input_set = false;
		sf_close(s);
		return r;
	}
	ctx->events_paired = (s->hdr.flags & SCAP_CAPFILE_F_PAIRED) != 0;
	/* Timestamps count from the recording host's boot (scap_boot_time). */
	ctx->boot_time_known = s->hdr.boot_time_ns != 0;
	ctx->boot_time_ns = s->hdr.boot_time_ns;
	scap_engine_logf(ctx, SCAP_LOG_INFO,
			 "replaying %s (format version %u): recorded by engine %s on Linux %s (%s), %u buffers, snaplen %u, "
			 "%s events, %s endian%s%s", path, s->hdr.version, s->hdr.engine[0] ? s->hdr.engine : "?",
			 s->hdr.release[0] ? s->hdr.release : "?", s->hdr.arch[0] ? s->hdr.arch : "?", s->hdr.nbuffers,
			 s->hdr.snaplen, ctx->events_paired ? "paired" : "raw (unpaired)",
			 (s->hdr.flags & SCAP_CAPFILE_F_BIG_ENDIAN) ? "big" : "little",
			 s->swap ? " (converted to this host's order)" : "", s->in.gz ? ", gzip" : "");
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

static int sf_next(void *state, const struct scap_evt_hdr **ev, unsigned *cpu, int timeout_ms)
{
	struct sf_state *s = state;
	int r;

	s->xev = NULL;
	s->ev = NULL;
	s->table_only = false;
	s->ctx->table_only = false;
	if (s->fail) {
		scap_engine_errf(s->ctx, "%s", s->failmsg);
		return s->fail;
	}
	if (s->done || !s->running)
		return -ENODATA;
	/*
	 * A FIFO's writer may be slow: wait as the caller allows, then read
	 * whole records; not while a block already read still holds events.
	 */
	for (;;) {
		if (!s->in_block) {
			r = sf_in_wait(&s->in, s->ctx->wake_fd, timeout_ms);
			if (r < 0)
				return r;
		}
		r = s->hdr.version == SCAP_CAPFILE_VERSION_V1 ? sf_v1_next(s) : sf_v2_next(s);
		/* -EAGAIN: a block ended and the FIFO has no more yet: wait. */
		if (r != -EAGAIN)
			break;
	}
	if (r < 0)
		return r;
	*ev = (const struct scap_evt_hdr *)s->ev;
	*cpu = (unsigned)r;
	s->ctx->table_only = s->table_only;
	return 0;
}

static const struct scap_evt_hdr *sf_exit_copy(void *state, const struct scap_evt_hdr *ev)
{
	struct sf_state *s = state;

	return s->xev && ev == (const struct scap_evt_hdr *)s->ev ? (const struct scap_evt_hdr *)s->xev : NULL;
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
