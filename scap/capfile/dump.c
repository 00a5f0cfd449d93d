// SPDX-License-Identifier: Apache-2.0
/*
 * The capture-file writer (scap_dump_*), format version 2: a preamble and a
 * HEADER block at once, then the delivered events gathered into EVENTS
 * blocks, each written whole (one write per block, or one deflate sync point
 * per block when compressing) as soon as it is full or its oldest event is
 * flush_ms old, and an END block with the handle's statistics at close. A
 * process killed at any moment leaves a file that replays up to its last
 * whole block and then says it is incomplete; fdatasync every sync_ms bounds
 * what a power cut takes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "handle.h"
#include "capfile.h"
#include "scap/proc/track.h"

#define DEFAULT_DUMP_BUFFER (256u << 10)
#define MIN_DUMP_BUFFER 4096u
#define MAX_DUMP_BUFFER (64u << 20)
#define DEFAULT_FLUSH_MS 1000u
#define DEFAULT_SYNC_MS 1000
#define MAX_INTERVAL_MS 3600000u
#define ZOUT_BYTES (64u << 10)
/* Room after a full block for the largest record pair (exit copy + event). */
#define RECORD_PAIR_MAX (2u * SCAP_CAPFILE_REC_PAD(SCAP_CAPFILE_REC_HEAD + SCAP_MAX_EVENT_LEN))

struct scap_dumper {
	struct scap *h;
	int fd;
	bool regular;              /* a regular file: fdatasync means something */
	bool compress;
	bool z_ready;
	z_stream z;
	uint8_t *zout;
	uint8_t *blk;              /* the EVENTS payload being filled: prefix, then records */
	size_t blk_len, blk_limit;
	uint32_t blk_records;       /* event records (kind 1) in it */
	uint32_t blk_table_only;    /* table-only records (kind 4): the block is EVENTS_PROC */
	uint64_t blk_first_ms;     /* when its first record went in (coarse monotonic) */
	uint32_t seq;              /* of the next block */
	uint64_t records;
	uint32_t nbuffers;
	uint32_t flush_ms;
	int32_t sync_ms;           /* -1: never */
	bool fsync_close;
	bool unsynced;             /* written since the last fdatasync */
	uint64_t last_sync_ms;
	int err;                   /* sticky: the first failure */
	bool proc_done;            /* the PROCTABLE block was written, or can no longer be */
	char *path;
};

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Coarse is enough for intervals of a second, and costs a few ns per event. */
static uint64_t coarse_ms(void)
{
	return (uint64_t)clock_ns(CLOCK_MONOTONIC_COARSE) / 1000000u;
}

/* Cut to the header's field on purpose (uname's strings can be longer). */
static void copy_field(char *dst, size_t len, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n > len - 1)
		n = len - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static int fail_io(struct scap_dumper *d, int err, const char *what)
{
	d->err = err;
	return scap__seterr(d->h, err, "cannot %s capture file %s: %s: check the disk space and the file system",
			    what, d->path, strerror(-err));
}

/* write(2) until done: a signal or a short write (pipe, full disk) does not cut a block. */
static int write_all(struct scap_dumper *d, const uint8_t *p, size_t len, const char *what)
{
	while (len) {
		ssize_t n = write(d->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail_io(d, -errno, what);
		if (n == 0)
			return fail_io(d, -EIO, what);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Runs deflate over what is in d->z with flush mode `mode`, writing its output. */
static int deflate_out(struct scap_dumper *d, int mode, const char *what)
{
	for (;;) {
		int zr;
		size_t have;

		d->z.next_out = d->zout;
		d->z.avail_out = ZOUT_BYTES;
		zr = deflate(&d->z, mode);
		if (zr == Z_STREAM_ERROR) {
			d->err = -EIO;
			return scap__seterr(d->h, -EIO, "cannot %s capture file %s: zlib failed", what, d->path);
		}
		have = ZOUT_BYTES - d->z.avail_out;
		if (have && write_all(d, d->zout, have, what) < 0)
			return d->err;
		/* Done when deflate had room to spare and nothing is left to read. */
		if (d->z.avail_out != 0 && d->z.avail_in == 0 && (mode != Z_FINISH || zr == Z_STREAM_END))
			return 0;
	}
}

static int emit(struct scap_dumper *d, const uint8_t *p, size_t len, const char *what)
{
	if (!d->compress)
		return write_all(d, p, len, what);
	d->z.next_in = (Bytef *)p;
	d->z.avail_in = (uInt)len;
	return deflate_out(d, Z_NO_FLUSH, what);
}

static void maybe_sync(struct scap_dumper *d, bool force)
{
	uint64_t now;

	if (d->err || !d->regular || d->sync_ms < 0 || !d->unsynced)
		return;
	now = coarse_ms();
	if (!force && now - d->last_sync_ms < (uint64_t)d->sync_ms)
		return;
	if (fdatasync(d->fd) < 0)
		fail_io(d, -errno, "sync");
	d->unsynced = false;
	d->last_sync_ms = now;
}

/*
 * One block, whole: head and payload in one go, then a deflate sync point so
 * that everything up to here can be decompressed without what follows. The
 * last block ends the gzip stream instead.
 */
static int write_block(struct scap_dumper *d, uint16_t kind, uint16_t flags, const uint8_t *payload, uint32_t len,
		       bool last, const char *what)
{
	uint8_t head[SCAP_CAPFILE_BLOCK_HEAD];
	int r;

	if (d->err)
		return d->err;
	scap_capfile_block_encode(head, kind, flags, d->seq, payload, len);
	if (!d->compress) {
		r = write_all(d, head, sizeof(head), what);
		if (r == 0)
			r = write_all(d, payload, len, what);
	} else {
		r = emit(d, head, sizeof(head), what);
		if (r == 0)
			r = emit(d, payload, len, what);
		if (r == 0)
			r = deflate_out(d, last ? Z_FINISH : Z_SYNC_FLUSH, what);
	}
	if (r < 0)
		return r;
	d->seq++;
	d->unsynced = true;
	return 0;
}

static int flush_events(struct scap_dumper *d)
{
	int r;

	if (d->err)
		return d->err;
	if (!d->blk_records && !d->blk_table_only)
		return 0;
	scap_capfile_put64(d->blk, (uint64_t)clock_ns(CLOCK_BOOTTIME));
	scap_capfile_put32(d->blk + 8, d->blk_records);
	scap_capfile_put32(d->blk + 12, 0);
	r = write_block(d, d->blk_table_only ? SCAP_CAPFILE_BLK_EVENTS_PROC : SCAP_CAPFILE_BLK_EVENTS,
			SCAP_CAPFILE_BF_MUST_UNDERSTAND, d->blk, (uint32_t)d->blk_len, false, "write events to");
	d->blk_len = SCAP_CAPFILE_EVENTS_PREFIX;
	d->blk_records = 0;
	d->blk_table_only = 0;
	return r;
}

static void dumper_free(struct scap_dumper *d)
{
	if (d->h->dumper == d)
		d->h->dumper = NULL;
	if (d->z_ready)
		deflateEnd(&d->z);
	if (d->fd >= 0)
		close(d->fd);
	free(d->zout);
	free(d->blk);
	free(d->path);
	free(d);
}

static int write_header(struct scap_dumper *d)
{
	struct scap *h = d->h;
	struct scap_capfile_hdr hdr;
	uint8_t pre[SCAP_CAPFILE_PREAMBLE];
	struct utsname un;
	uint8_t *buf;
	size_t len;
	uint32_t i;
	int r;

	memset(&hdr, 0, sizeof(hdr));
	hdr.version = SCAP_CAPFILE_VERSION;
	hdr.layout_version = SCAP_EVENT_LAYOUT_VERSION;
	hdr.nbuffers = d->nbuffers;
	hdr.flags = (h->stage.feed || h->ctx.events_paired) ? SCAP_CAPFILE_F_PAIRED : 0;
	if (h->ops->flags & SCAP_ENGINE_F_BOOTTIME)
		hdr.flags |= SCAP_CAPFILE_F_BOOTTIME;
	/*
	 * Events are stored as delivered, in this host's order (no cost per
	 * event); the reader of another order converts them. A replayed file's
	 * events were converted to this host's order on the way in.
	 */
	hdr.flags |= SCAP_CAPFILE_F_HOST_ORDER;
	hdr.snaplen = h->opts.snaplen;
	hdr.schema_ev_max = SCAP_EV_MAX;
	hdr.schema_hash = scap_capfile_schema_hash();
	hdr.created_boot_ns = (uint64_t)clock_ns(CLOCK_BOOTTIME);
	hdr.created_ns = clock_ns(CLOCK_REALTIME);
	/* The clock of the events: a replayed file's is its recording host's. */
	if (scap_boot_time(h, &hdr.boot_time_ns) < 0)
		hdr.boot_time_ns = hdr.created_ns - (int64_t)hdr.created_boot_ns;
	hdr.flush_ms = d->flush_ms;
	hdr.sync_ms = d->sync_ms;
	copy_field(hdr.engine, sizeof(hdr.engine), h->ops->name);
	if (uname(&un) == 0) {
		copy_field(hdr.arch, sizeof(hdr.arch), un.machine);
		copy_field(hdr.release, sizeof(hdr.release), un.release);
	}
	len = scap_capfile_hdr_payload_len(d->nbuffers);
	buf = malloc(len);
	hdr.cpus = malloc(sizeof(*hdr.cpus) * (d->nbuffers ? d->nbuffers : 1));
	if (!buf || !hdr.cpus) {
		free(buf);
		free(hdr.cpus);
		return scap__seterr(h, -ENOMEM, "scap_dump_open: out of memory for a %zu-byte header", len);
	}
	for (i = 0; i < d->nbuffers; i++)
		hdr.cpus[i] = h->bufs.bufs[i]->cpu;
	scap_capfile_hdr_encode(&hdr, buf);
	scap_capfile_preamble_encode(pre);
	r = emit(d, pre, sizeof(pre), "write the header of");
	if (r == 0)
		r = write_block(d, SCAP_CAPFILE_BLK_HEADER, SCAP_CAPFILE_BF_MUST_UNDERSTAND, buf, (uint32_t)len, false,
				"write the header of");
	free(buf);
	free(hdr.cpus);
	return r;
}

void scap__dump_proctable(struct scap_dumper *d)
{
	uint8_t *snap = NULL, *payload;
	size_t len = 0;
	int r;

	if (d->proc_done || d->err)
		return;
	/* Its place is its meaning: before any event, else not at all. */
	if (d->seq != 1 || d->blk_records || d->blk_table_only) {
		d->proc_done = true;
		return;
	}
	r = scap__proc_snapshot(d->h, &snap, &len);
	if (r == -ENOENT)
		return; /* no table, or not started yet: maybe later */
	d->proc_done = true;
	if (r == 0 && len > SCAP_CAPFILE_BLOCK_MAX - SCAP_CAPFILE_PROCTABLE_FIXED)
		r = -EFBIG;
	if (r < 0) {
		free(snap);
		scap_text_appendf(&d->h->warnings,
				  "capture file %s: the process table was not stored (%s): its replay resolves only the "
				  "processes its events make", d->path, strerror(-r));
		return;
	}
	payload = malloc(SCAP_CAPFILE_PROCTABLE_FIXED + len);
	if (!payload) {
		free(snap);
		scap_text_appendf(&d->h->warnings, "capture file %s: the process table was not stored (out of memory)",
				  d->path);
		return;
	}
	scap_capfile_put32(payload, SCAP_CAPFILE_PROCTABLE_FIXED);
	scap_capfile_put32(payload + 4, 0);
	memcpy(payload + SCAP_CAPFILE_PROCTABLE_FIXED, snap, len);
	free(snap);
	/* Optional: a reader without tables replays the events all the same. */
	write_block(d, SCAP_CAPFILE_BLK_PROCTABLE, 0, payload, (uint32_t)(SCAP_CAPFILE_PROCTABLE_FIXED + len), false,
		    "write the process table to");
	free(payload);
}

static int load_opts(struct scap *h, struct scap_dump_opts *o, const struct scap_dump_opts *in)
{
	memset(o, 0, sizeof(*o));
	if (in) {
		if (in->sz < sizeof(in->sz) || in->sz > sizeof(*o))
			return scap__seterr(h, -EINVAL,
					    "scap_dump_open: opts->sz is %zu; set .sz = sizeof(struct scap_dump_opts)",
					    in->sz);
		memcpy(o, in, in->sz);
	}
	if (o->level < 0 || o->level > 9)
		return scap__seterr(h, -EINVAL, "scap_dump_open: invalid option level=%d: must be 1..9, or 0 for 6",
				    o->level);
	if (!o->buffer_bytes)
		o->buffer_bytes = DEFAULT_DUMP_BUFFER;
	if (o->buffer_bytes < MIN_DUMP_BUFFER || o->buffer_bytes > MAX_DUMP_BUFFER)
		return scap__seterr(h, -EINVAL,
				    "scap_dump_open: invalid option buffer_bytes=%zu: must be between %u and %u, or 0 for %u",
				    o->buffer_bytes, MIN_DUMP_BUFFER, MAX_DUMP_BUFFER, DEFAULT_DUMP_BUFFER);
	if (!o->flush_ms)
		o->flush_ms = DEFAULT_FLUSH_MS;
	if (o->flush_ms > MAX_INTERVAL_MS)
		return scap__seterr(h, -EINVAL,
				    "scap_dump_open: invalid option flush_ms=%u: must be between 1 and %u (an hour), or 0 for %u",
				    o->flush_ms, MAX_INTERVAL_MS, DEFAULT_FLUSH_MS);
	if (!o->sync_ms)
		o->sync_ms = DEFAULT_SYNC_MS;
	if (o->sync_ms < -1 || o->sync_ms > (int)MAX_INTERVAL_MS)
		return scap__seterr(h, -EINVAL,
				    "scap_dump_open: invalid option sync_ms=%d: must be between 1 and %u (an hour), 0 for %d, "
				    "or -1 for never", o->sync_ms, MAX_INTERVAL_MS, DEFAULT_SYNC_MS);
	if (h->bufs.n > SCAP_CAPFILE_MAX_BUFFERS)
		return scap__seterr(h, -EINVAL, "scap_dump_open: the handle has %u buffers, a file holds at most %u",
				    h->bufs.n, SCAP_CAPFILE_MAX_BUFFERS);
	return 0;
}

/*
 * Opens path for writing without truncating it yet, so that the file the
 * handle replays is refused before a byte of it is lost. A FIFO waits for
 * its reader, as any writer of a FIFO does (the reader, which must not wait
 * for a writer that may never come, is started second).
 */
static int open_target(struct scap_dumper *d, const char *path)
{
	struct scap *h = d->h;
	struct stat st;
	int fd, r;

	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		return scap__seterr(h, r, "cannot create capture file %s: %s: check that the directory exists and "
				    "is writable", path, strerror(-r));
	}
	d->fd = fd;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		return scap__seterr(h, r, "cannot create capture file %s: fstat: %s", path, strerror(-r));
	}
	if (h->ctx.input_set && st.st_dev == h->ctx.input_dev && st.st_ino == h->ctx.input_ino)
		return scap__seterr(h, -EINVAL,
				    "refusing to write capture file %s: it is the file this handle replays (same device "
				    "and inode), which writing would destroy: write to another path", path);
	d->regular = S_ISREG(st.st_mode);
	if (d->regular && ftruncate(fd, 0) < 0) {
		r = -errno;
		return scap__seterr(h, r, "cannot truncate capture file %s: %s", path, strerror(-r));
	}
	return 0;
}

int scap_dump_open(struct scap_dumper **out, struct scap *h, const char *path,
		   const struct scap_dump_opts *in)
{
	struct scap_dump_opts o;
	struct scap_dumper *d;
	int r;

	if (!h)
		return -EINVAL;
	if (!out || !path || !path[0])
		return scap__seterr(h, -EINVAL, "scap_dump_open: %s is missing", out ? "the path" : "out");
	*out = NULL;
	r = load_opts(h, &o, in);
	if (r < 0)
		return r;

	d = calloc(1, sizeof(*d));
	if (!d)
		return scap__seterr(h, -ENOMEM, "scap_dump_open: out of memory");
	d->fd = -1;
	d->h = h;
	d->nbuffers = h->bufs.n;
	d->flush_ms = o.flush_ms;
	d->sync_ms = o.sync_ms;
	d->fsync_close = o.fsync;
	d->compress = o.compress;
	d->blk_limit = o.buffer_bytes;
	d->blk_len = SCAP_CAPFILE_EVENTS_PREFIX;
	d->last_sync_ms = coarse_ms();
	d->path = strdup(path);
	d->blk = malloc(SCAP_CAPFILE_EVENTS_PREFIX + o.buffer_bytes + RECORD_PAIR_MAX);
	if (!d->path || !d->blk) {
		dumper_free(d);
		return scap__seterr(h, -ENOMEM, "scap_dump_open: out of memory for a %zu-byte block", o.buffer_bytes);
	}
	if (d->compress) {
		d->zout = malloc(ZOUT_BYTES);
		/* windowBits 15 + 16: a gzip stream, which zcat and the reader recognize. */
		if (!d->zout || deflateInit2(&d->z, o.level ? o.level : 6, Z_DEFLATED, 15 + 16, 8,
					     Z_DEFAULT_STRATEGY) != Z_OK) {
			dumper_free(d);
			return scap__seterr(h, -ENOMEM, "scap_dump_open: out of memory for zlib");
		}
		d->z_ready = true;
	}
	r = open_target(d, path);
	if (r == 0)
		r = write_header(d);
	if (r < 0) {
		dumper_free(d);
		return r;
	}
	/* The process table now if it has started (scap_start), else when it does. */
	if (!h->dumper)
		h->dumper = d;
	scap__dump_proctable(d);
	/* A capture that dies at once still leaves a file that says what it is. */
	maybe_sync(d, true);
	if (d->err) {
		r = d->err;
		dumper_free(d);
		return r;
	}
	*out = d;
	return 0;
}

static uint8_t *put_record(uint8_t *p, uint32_t kind, uint32_t arg, const void *ev, uint32_t len)
{
	uint32_t whole = SCAP_CAPFILE_REC_PAD(SCAP_CAPFILE_REC_HEAD + len);

	scap_capfile_put32(p, kind);
	scap_capfile_put32(p + 4, arg);
	memcpy(p + SCAP_CAPFILE_REC_HEAD, ev, len);
	memset(p + SCAP_CAPFILE_REC_HEAD + len, 0, whole - SCAP_CAPFILE_REC_HEAD - len);
	return p + whole;
}

/*
 * The exit-time copy recorded before ev: the evidence of a race (TOCTOU),
 * and a paired exec's exit, whose argv is the new image's (what the process
 * table takes) when the handle keeps a table.
 */
static bool wants_exit_copy(const struct scap_dumper *d, const struct scap_evt_hdr *e)
{
	return (e->flags & SCAP_EVF_TOCTOU) ||
	       (d->h->proc && (e->flags & SCAP_EVF_PAIRED) &&
		(e->type == SCAP_EV_EXECVE_X || e->type == SCAP_EV_EXECVEAT_X));
}

/* One event (with its exit copy) into the block: kind 1, or 4 for a table-only one. */
static int dump_record(struct scap_dumper *d, const struct scap_evt_hdr *e, unsigned cpu, uint32_t kind)
{
	const struct scap_event *ev = (const struct scap_event *)e, *x = NULL;
	uint32_t need, xlen = 0;
	uint8_t *p;
	uint64_t now;

	if (wants_exit_copy(d, e) && scap_event_exit_copy(d->h, ev, &x) == 0)
		xlen = scap_event_len(x);
	need = SCAP_CAPFILE_REC_PAD(SCAP_CAPFILE_REC_HEAD + e->len) +
	       (x ? SCAP_CAPFILE_REC_PAD(SCAP_CAPFILE_REC_HEAD + xlen) : 0);
	if ((d->blk_records || d->blk_table_only) && d->blk_len + need > SCAP_CAPFILE_EVENTS_PREFIX + d->blk_limit &&
	    flush_events(d) < 0)
		return d->err;
	now = coarse_ms();
	if (!d->blk_records && !d->blk_table_only)
		d->blk_first_ms = now;
	p = d->blk + d->blk_len;
	if (x)
		p = put_record(p, SCAP_CAPFILE_REC_EXIT_COPY, 0, x, xlen);
	p = put_record(p, kind, cpu, e, e->len);
	d->blk_len = (size_t)(p - d->blk);
	if (kind == SCAP_CAPFILE_REC_EVENT) {
		d->blk_records++;
		d->records++;
	} else {
		d->blk_table_only++;
	}
	if (now - d->blk_first_ms >= d->flush_ms && flush_events(d) < 0)
		return d->err;
	maybe_sync(d, false);
	return d->err;
}

int scap_dump_event(struct scap_dumper *d, const struct scap_event *ev, unsigned cpu)
{
	const struct scap_evt_hdr *e = (const struct scap_evt_hdr *)ev;

	if (!d)
		return -EINVAL;
	if (d->err)
		return scap__seterr(d->h, d->err, "scap_dump_event: capture file %s failed before (%s): close it",
				    d->path, strerror(-d->err));
	if (!ev || e->len < SCAP_EVT_HDR_LEN || e->len > SCAP_MAX_EVENT_LEN)
		return scap__seterr(d->h, -EINVAL, "scap_dump_event: %s",
				    ev ? "the event's length is out of range (not an event from scap_next?)" : "ev is NULL");
	if (cpu >= d->nbuffers)
		return scap__seterr(d->h, -EINVAL, "scap_dump_event: cpu %u is not a buffer of this handle (it has %u)",
				    cpu, d->nbuffers);
	return dump_record(d, e, cpu, SCAP_CAPFILE_REC_EVENT);
}

void scap__dump_table_only(struct scap_dumper *d, const struct scap_evt_hdr *ev, unsigned cpu)
{
	if (!d->err && cpu < d->nbuffers)
		dump_record(d, ev, cpu, SCAP_CAPFILE_REC_TABLE_ONLY);
}

int scap_dump_tick(struct scap_dumper *d)
{
	if (!d)
		return -EINVAL;
	if ((d->blk_records || d->blk_table_only) && coarse_ms() - d->blk_first_ms >= d->flush_ms)
		flush_events(d);
	maybe_sync(d, false);
	return d->err;
}

int scap_dump_flush(struct scap_dumper *d)
{
	if (!d)
		return -EINVAL;
	flush_events(d);
	maybe_sync(d, true);
	return d->err;
}

static int write_end(struct scap_dumper *d)
{
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap_capfile_trailer t;
	uint8_t *body;
	size_t len;
	uint32_t i;
	int r;

	r = scap_get_stats(d->h, &st);
	if (r < 0)
		return r;
	memset(&t, 0, sizeof(t));
	t.records = d->records;
	t.events = st.events;
	t.drops_buffer_full = st.drops_buffer_full;
	t.drops_other = st.drops_other;
	t.kernel_events = st.kernel_events;
	t.pairing_evicted = st.pairing_evicted;
	t.pairing_orphan_exits = st.pairing_orphan_exits;
	t.toctou = st.toctou;
	t.pairing_stale = st.pairing_stale;
	t.attach_failures = st.attach_failures;
	t.exits_without_enter = st.exits_without_enter;
	t.unread = st.unread;
	t.nbuffers = d->nbuffers;
	t.bufs = calloc(d->nbuffers ? d->nbuffers : 1, sizeof(*t.bufs));
	len = scap_capfile_end_payload_len(d->nbuffers);
	body = malloc(len);
	if (!t.bufs || !body) {
		free(t.bufs);
		free(body);
		return scap__seterr(d->h, -ENOMEM, "scap_dump_close: out of memory for the END block");
	}
	for (i = 0; i < d->nbuffers; i++) {
		struct scap_buffer_stats bs = { .sz = sizeof(bs) };

		if (scap_get_buffer_stats(d->h, i, &bs) < 0)
			continue;
		t.bufs[i].cpu = bs.cpu;
		t.bufs[i].events = bs.events;
		t.bufs[i].drops_buffer_full = bs.drops_buffer_full;
		t.bufs[i].drops_other = bs.drops_other;
		t.bufs[i].kernel_events = bs.kernel_events;
		t.bufs[i].unread = bs.unread;
	}
	scap_capfile_end_encode(&t, body);
	r = write_block(d, SCAP_CAPFILE_BLK_END, SCAP_CAPFILE_BF_MUST_UNDERSTAND, body, (uint32_t)len, true, "finish");
	free(t.bufs);
	free(body);
	return r;
}

int scap_dump_close(struct scap_dumper *d)
{
	int r;

	if (!d)
		return 0;
	r = flush_events(d);
	if (r == 0)
		r = write_end(d);
	if (r == 0 && d->regular && (d->fsync_close || d->sync_ms >= 0) && fdatasync(d->fd) < 0)
		r = fail_io(d, -errno, "sync");
	if (close(d->fd) < 0 && r == 0 && errno != EINTR)
		r = fail_io(d, -errno, "close");
	d->fd = -1;
	dumper_free(d);
	return r;
}
