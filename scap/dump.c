// SPDX-License-Identifier: Apache-2.0
/*
 * The capture-file writer (scap_dump_*): header from the handle, one record
 * per delivered event, the handle's statistics as the trailer. Plain and
 * gzip files go through zlib alike ("T" mode writes without compressing),
 * so there is one write path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "handle.h"
#include "capfile.h"

#define DEFAULT_DUMP_BUFFER (256u << 10)
#define MIN_DUMP_BUFFER 4096u
#define MAX_DUMP_BUFFER (64u << 20)

struct scap_dumper {
	struct scap *h;
	gzFile gz;
	int fd;                    /* a dup of the file, for fsync after gzclose */
	bool fsync;
	int err;                   /* sticky: the first write error */
	uint32_t nbuffers;
	uint64_t records;
	char *path;
};

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
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

/* The errno of a zlib failure: the system's when zlib says Z_ERRNO. */
static int gz_fail(struct scap_dumper *d, const char *what)
{
	int zerr = 0;
	const char *msg = gzerror(d->gz, &zerr);
	int r = zerr == Z_ERRNO ? (errno ? -errno : -EIO) : (zerr == Z_MEM_ERROR ? -ENOMEM : -EIO);

	d->err = r;
	return scap__seterr(d->h, r, "cannot %s capture file %s: %s: check the disk space and the file system",
			    what, d->path, zerr == Z_ERRNO ? strerror(-r) : msg);
}

static int write_all(struct scap_dumper *d, const void *buf, size_t len, const char *what)
{
	errno = 0;
	if (len && gzwrite(d->gz, buf, (unsigned)len) != (int)len)
		return gz_fail(d, what);
	return 0;
}

static void dumper_free(struct scap_dumper *d)
{
	if (d->gz)
		gzclose(d->gz);
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	free(d);
}

static int write_header(struct scap_dumper *d)
{
	struct scap *h = d->h;
	struct scap_capfile_hdr hdr;
	struct utsname un;
	uint8_t *buf;
	size_t len;
	uint32_t i;
	int r;

	memset(&hdr, 0, sizeof(hdr));
	hdr.version = SCAP_CAPFILE_VERSION;
	hdr.layout_version = SCAP_EVENT_LAYOUT_VERSION;
	hdr.nbuffers = d->nbuffers;
	hdr.hdr_len = SCAP_CAPFILE_HDR_FIXED + 4u * d->nbuffers;
	hdr.flags = (h->stage.feed || h->ctx.events_paired) ? SCAP_CAPFILE_F_PAIRED : 0;
	hdr.snaplen = h->opts.snaplen;
	hdr.schema_ev_max = SCAP_EV_MAX;
	hdr.schema_hash = scap_capfile_schema_hash();
	/* The clock of the events: a replayed file's is its recording host's. */
	if (scap_boot_time(h, &hdr.boot_time_ns) < 0)
		hdr.boot_time_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	hdr.created_ns = clock_ns(CLOCK_REALTIME);
	copy_field(hdr.engine, sizeof(hdr.engine), h->ops->name);
	if (uname(&un) == 0) {
		copy_field(hdr.arch, sizeof(hdr.arch), un.machine);
		copy_field(hdr.release, sizeof(hdr.release), un.release);
	}
	len = hdr.hdr_len;
	buf = calloc(1, len);
	if (!buf)
		return scap__seterr(h, -ENOMEM, "scap_dump_open: out of memory for a %zu-byte header", len);
	scap_capfile_hdr_encode(&hdr, buf);
	for (i = 0; i < d->nbuffers; i++)
		scap_capfile_put32(buf + SCAP_CAPFILE_HDR_FIXED + 4u * i, (uint32_t)h->bufs.bufs[i]->cpu);
	r = write_all(d, buf, len, "write the header of");
	free(buf);
	return r;
}

int scap_dump_open(struct scap_dumper **out, struct scap *h, const char *path,
		   const struct scap_dump_opts *in)
{
	struct scap_dump_opts o;
	struct scap_dumper *d;
	char mode[8];
	int fd, r;

	if (!h)
		return -EINVAL;
	if (!out || !path || !path[0])
		return scap__seterr(h, -EINVAL, "scap_dump_open: %s is missing", out ? "the path" : "out");
	*out = NULL;
	memset(&o, 0, sizeof(o));
	if (in) {
		if (in->sz < sizeof(in->sz) || in->sz > sizeof(o))
			return scap__seterr(h, -EINVAL,
					    "scap_dump_open: opts->sz is %zu; set .sz = sizeof(struct scap_dump_opts)",
					    in->sz);
		memcpy(&o, in, in->sz);
	}
	if (o.level < 0 || o.level > 9)
		return scap__seterr(h, -EINVAL, "scap_dump_open: invalid option level=%d: must be 1..9, or 0 for 6",
				    o.level);
	if (!o.buffer_bytes)
		o.buffer_bytes = DEFAULT_DUMP_BUFFER;
	if (o.buffer_bytes < MIN_DUMP_BUFFER || o.buffer_bytes > MAX_DUMP_BUFFER)
		return scap__seterr(h, -EINVAL,
				    "scap_dump_open: invalid option buffer_bytes=%zu: must be between %u and %u",
				    o.buffer_bytes, MIN_DUMP_BUFFER, MAX_DUMP_BUFFER);
	if (h->bufs.n > SCAP_CAPFILE_MAX_BUFFERS)
		return scap__seterr(h, -EINVAL, "scap_dump_open: the handle has %u buffers, a file holds at most %u",
				    h->bufs.n, SCAP_CAPFILE_MAX_BUFFERS);

	d = calloc(1, sizeof(*d));
	if (!d || !(d->path = strdup(path))) {
		free(d);
		return scap__seterr(h, -ENOMEM, "scap_dump_open: out of memory");
	}
	d->h = h;
	d->fsync = o.fsync;
	d->nbuffers = h->bufs.n;
	d->fd = -1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		scap__seterr(h, r, "cannot create capture file %s: %s: check that the directory exists and is writable",
			     path, strerror(errno));
		dumper_free(d);
		return r;
	}
	d->fd = dup(fd);
	if (d->fd < 0) {
		r = -errno;
		close(fd);
		scap__seterr(h, r, "cannot create capture file %s: dup: %s", path, strerror(-r));
		dumper_free(d);
		return r;
	}
	if (o.compress)
		snprintf(mode, sizeof(mode), "wb%d", o.level ? o.level : 6);
	else
		snprintf(mode, sizeof(mode), "wbT");
	d->gz = gzdopen(fd, mode);
	if (!d->gz) {
		close(fd);
		scap__seterr(h, -ENOMEM, "cannot create capture file %s: out of memory for zlib", path);
		dumper_free(d);
		return -ENOMEM;
	}
	gzbuffer(d->gz, (unsigned)o.buffer_bytes);
	r = write_header(d);
	if (r < 0) {
		dumper_free(d);
		return r;
	}
	*out = d;
	return 0;
}

int scap_dump_event(struct scap_dumper *d, const struct scap_event *ev, unsigned cpu)
{
	const struct scap_evt_hdr *e = (const struct scap_evt_hdr *)ev;
	uint8_t head[SCAP_CAPFILE_REC_HEAD];
	int r;

	if (!d)
		return -EINVAL;
	if (d->err)
		return scap__seterr(d->h, d->err, "scap_dump_event: capture file %s failed before (%s): close it",
				    d->path, strerror(-d->err));
	if (!ev || e->len < SCAP_EVT_HDR_LEN || e->len > SCAP_MAX_EVENT_LEN)
		return scap__seterr(d->h, -EINVAL, "scap_dump_event: %s", ev ? "the event's length is out of range (not an event from scap_next?)" : "ev is NULL");
	/* The evidence of a race: the exit-time values, just before the event. */
	if (e->flags & SCAP_EVF_TOCTOU) {
		const struct scap_event *x;

		if (scap_event_exit_copy(d->h, ev, &x) == 0) {
			scap_capfile_put32(head, SCAP_CAPFILE_REC_EXIT_COPY);
			scap_capfile_put32(head + 4, 0);
			r = write_all(d, head, sizeof(head), "write an event to");
			if (r == 0)
				r = write_all(d, x, scap_event_len(x), "write an event to");
			if (r < 0)
				return r;
		}
	}
	scap_capfile_put32(head, SCAP_CAPFILE_REC_EVENT);
	scap_capfile_put32(head + 4, cpu);
	r = write_all(d, head, sizeof(head), "write an event to");
	if (r == 0)
		r = write_all(d, ev, e->len, "write an event to");
	if (r == 0)
		d->records++;
	return r;
}

static int write_trailer(struct scap_dumper *d)
{
	struct scap_stats st = { .sz = sizeof(st) };
	struct scap_capfile_trailer t;
	uint8_t head[SCAP_CAPFILE_REC_HEAD];
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
	t.nbuffers = d->nbuffers;
	t.bufs = calloc(d->nbuffers ? d->nbuffers : 1, sizeof(*t.bufs));
	len = SCAP_CAPFILE_TRAILER_FIXED + (size_t)d->nbuffers * SCAP_CAPFILE_TRAILER_BUF;
	body = malloc(len);
	if (!t.bufs || !body) {
		free(t.bufs);
		free(body);
		return scap__seterr(d->h, -ENOMEM, "scap_dump_close: out of memory for the trailer");
	}
	for (i = 0; i < d->nbuffers && i < d->h->bufs.n; i++) {
		struct scap_buffer_stats bs = { .sz = sizeof(bs) };

		if (scap_get_buffer_stats(d->h, i, &bs) < 0)
			continue;
		t.bufs[i].cpu = bs.cpu;
		t.bufs[i].events = bs.events;
		t.bufs[i].drops_buffer_full = bs.drops_buffer_full;
		t.bufs[i].drops_other = bs.drops_other;
		t.bufs[i].kernel_events = bs.kernel_events;
	}
	scap_capfile_trailer_encode(&t, body);
	scap_capfile_put32(head, SCAP_CAPFILE_REC_TRAILER);
	scap_capfile_put32(head + 4, (uint32_t)len);
	r = write_all(d, head, sizeof(head), "write the trailer of");
	if (r == 0)
		r = write_all(d, body, len, "write the trailer of");
	free(t.bufs);
	free(body);
	return r;
}

int scap_dump_close(struct scap_dumper *d)
{
	int r, zr;

	if (!d)
		return 0;
	r = d->err ? d->err : write_trailer(d);
	errno = 0;
	zr = gzclose(d->gz);
	d->gz = NULL;
	if (zr != Z_OK && r == 0) {
		r = zr == Z_ERRNO && errno ? -errno : -EIO;
		scap__seterr(d->h, r, "cannot finish capture file %s: %s: check the disk space", d->path,
			     zr == Z_ERRNO ? strerror(-r) : "zlib could not flush the stream");
	}
	if (r == 0 && d->fsync && fsync(d->fd) < 0) {
		r = -errno;
		scap__seterr(d->h, r, "cannot fsync capture file %s: %s", d->path, strerror(-r));
	}
	dumper_free(d);
	return r;
}
