/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The savefile engine's parts: the input (sf_input.c: plain or gzip bytes
 * from a file or a FIFO, with their offset), the rules every recorded event
 * must satisfy (sf_event.c), and one reader per format version (sf_v1.c,
 * sf_v2.c) under the engine (savefile.c).
 */
#ifndef SCAP_SAVEFILE_SF_H
#define SCAP_SAVEFILE_SF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "scap/engine.h"
#include "scap/capfile/capfile.h"

/* Reads of this much or more go straight to the caller's buffer. */
#define SF_RAW_BUFFER 4096u

/* Bytes of the capture file, decompressed when it is gzip. */
struct sf_in {
	int fd;
	bool regular;              /* a regular file (else a FIFO or a pipe: reads may wait) */
	bool gz;
	bool z_ready, z_end;       /* inflate set up; the current gzip member ended */
	bool eof;                  /* no more raw bytes */
	bool cut;                  /* the gzip stream ended without its end (truncated) */
	bool z_full;               /* inflate filled the last read: it may hold more output */
	z_stream z;
	uint8_t *raw;
	size_t raw_len, raw_pos;
	uint64_t off;              /* bytes handed out (offset in the decompressed stream) */
};

/*
 * Opens path for reading: never waits for a FIFO's writer (-ENXIO when it
 * has none), refuses directories and devices, detects gzip. 0 or a negative
 * errno with the message in why.
 */
int sf_in_open(struct sf_in *in, const char *path, char *why, size_t whylen);
void sf_in_close(struct sf_in *in);
/* Up to n bytes (short only at the end), or a negative errno with why. */
long sf_in_read(struct sf_in *in, void *buf, size_t n, char *why, size_t whylen);
/*
 * Before a record of a FIFO or pipe: waits at most timeout_ms (-1 forever)
 * for bytes. 0 when some are there (or the input is a regular file), -EAGAIN,
 * or -EINTR.
 */
int sf_in_wait(struct sf_in *in, int wake_fd, int timeout_ms);

/* A buffer of the original capture: no events, only its counters for stats. */
struct sf_buf {
	struct scap_buf buf;
};

struct sf_state {
	struct scap_engine_ctx *ctx;
	struct sf_in in;
	char *path;
	struct scap_capfile_hdr hdr;
	struct sf_buf *bufs;
	uint32_t nbuffers;
	uint64_t records;          /* event records delivered */
	bool swap;                 /* the file's events are in the other byte order: convert each */
	uint32_t *nr_map;          /* a file of another architecture: its syscall numbers to ours */
	uint32_t nr_map_len;
	bool nr_unmapped_said;     /* the warning about a syscall this architecture lacks was logged */
	bool ev_big_endian;        /* the file's events are big endian (the HEADER's flag) */
	bool running, done;
	int fail;                  /* sticky error of a bad file */
	char failmsg[SCAP_ERRBUF_SIZE];
	const uint8_t *xev;        /* the exit copy of the event handed out last, or NULL */
	const uint8_t *ev;         /* the event handed out last */
	/* version 1: one record at a time */
	uint8_t *v1_ev, *v1_xev;   /* grown to the longest event seen */
	uint32_t v1_ev_cap, v1_xev_cap;
	/* version 2: the block being read */
	uint8_t *blk;
	size_t blk_cap;
	uint32_t blk_len;          /* payload bytes */
	uint32_t blk_pos;          /* next record, in the payload */
	uint64_t blk_off;          /* offset of the block's head in the stream */
	uint32_t blk_records;      /* event records the block says it holds */
	uint32_t blk_seen;
	uint64_t blk_written_ns;
	bool in_block;
	uint16_t blk_kind;         /* EVENTS, or EVENTS_PROC (table-only records allowed) */
	bool table_only;           /* the event handed out last is a table-only record */
	uint32_t next_seq;
	uint64_t blocks;           /* whole blocks read */
	uint64_t skipped;          /* blocks of kinds this library does not know, skipped */
};

/* Stops the replay for good: every later next() returns the same error. */
int sf_failf(struct sf_state *s, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Checks one recorded event (len bytes at off in the stream): the validator,
 * then the rules of docs/capture-file-format.md (flags, thread and process
 * ids, and, when ts_max is not 0, a timestamp no later than ts_max). For an
 * exit copy, exit_copy is set. 0 or the sticky error.
 */
int sf_check_event(struct sf_state *s, const uint8_t *ev, uint32_t len, bool exit_copy, uint64_t off,
		   uint64_t ts_max);
/*
 * A generic event of a file recorded on another architecture: its syscall
 * number renumbered into this library's table (scap/capfile/syscall_arch.h),
 * in place, after sf_check_event accepted it.
 */
void sf_event_renumber(struct sf_state *s, uint8_t *ev);
/* The rules an exit copy and the event it belongs to satisfy together. */
int sf_check_pair(struct sf_state *s, const uint8_t *x, const uint8_t *ev, uint64_t x_off);
/* A record's cpu names one of the file's buffers. */
int sf_check_cpu(struct sf_state *s, uint32_t cpu, uint64_t rec_off);

/*
 * Byte order (sf_swap.c). sf_event_len: the length field of the event at ev
 * (at least its 24-byte header), read in the file's order. sf_event_swap:
 * turns the len-byte event at ev (len already checked against the header's
 * minimum and the bytes at hand) into the other byte order, in place, field
 * by field as its schema row says; a field that does not fit is left as it
 * is, for the validator to refuse.
 */
static inline uint32_t sf_event_len(const struct sf_state *s, const uint8_t *ev)
{
	uint32_t v = scap_capfile_get32(ev + 16);

	return s->ev_big_endian ? __builtin_bswap32(v) : v;
}
void sf_event_swap(uint8_t *ev, uint32_t len);

/* Takes the capture's statistics from a trailer or END block: checks them and applies them. */
int sf_apply_trailer(struct sf_state *s, struct scap_capfile_trailer *t, uint64_t off, const char *what);

/* Version 1: the header after its first 16 bytes, then the records. */
int sf_v1_open(struct sf_state *s, const uint8_t *first16);
int sf_v1_next(struct sf_state *s);
/* Version 2: the HEADER block after the preamble, then the blocks. */
int sf_v2_open(struct sf_state *s);
int sf_v2_next(struct sf_state *s);
void sf_v2_free(struct sf_state *s);

/* Sets up the buffers of the header (h->cpus taken over). */
int sf_take_header(struct sf_state *s, struct scap_capfile_hdr *h);

#endif
