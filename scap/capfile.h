/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The capture-file format shared by the writer (scap/dump.c) and the reader
 * (engines/savefile/): constants, the header as a C struct, and its
 * little-endian encoding. Byte by byte in docs/capture-file-format.md.
 */
#ifndef SCAP_CAPFILE_H
#define SCAP_CAPFILE_H

#include <stddef.h>
#include <stdint.h>

#define SCAP_CAPFILE_MAGIC "SCAPCAP\0"
#define SCAP_CAPFILE_MAGIC_LEN 8u
#define SCAP_CAPFILE_VERSION 1u

/* Header: fixed part, then one i32 cpu per buffer. */
#define SCAP_CAPFILE_HDR_FIXED 216u
#define SCAP_CAPFILE_MAX_BUFFERS 65536u
#define SCAP_CAPFILE_ENGINE_LEN 32u
#define SCAP_CAPFILE_ARCH_LEN 32u
#define SCAP_CAPFILE_RELEASE_LEN 96u

/* Header flags. */
#define SCAP_CAPFILE_F_PAIRED 0x1u   /* events were paired by the core when recorded */

/* Records: an 8-byte head (u32 kind, u32 arg), then the body. */
#define SCAP_CAPFILE_REC_HEAD 8u
#define SCAP_CAPFILE_REC_EVENT 1u    /* arg = cpu as scap_next gave it; body = the event */
#define SCAP_CAPFILE_REC_TRAILER 2u  /* arg = body length; the last record */
#define SCAP_CAPFILE_REC_EXIT_COPY 3u /* arg = 0; body = the exit-time copy of the
                                         TOCTOU event in the next record */

/*
 * Trailer body: fixed part, then one 40-byte entry per buffer. Files written
 * before exits_without_enter was recorded have an 80-byte fixed part; the
 * reader tells them apart by the body length (8 is not a multiple of 40).
 */
#define SCAP_CAPFILE_TRAILER_FIXED 88u
#define SCAP_CAPFILE_TRAILER_FIXED_V1 80u
#define SCAP_CAPFILE_TRAILER_BUF 40u

struct scap_capfile_hdr {
	uint16_t version;
	uint16_t layout_version;
	uint32_t hdr_len;
	uint32_t flags;
	uint32_t snaplen;
	uint32_t schema_ev_max;
	uint32_t nbuffers;
	uint64_t schema_hash;
	int64_t boot_time_ns;        /* CLOCK_REALTIME of boot: wall time = ts + this */
	int64_t created_ns;          /* CLOCK_REALTIME when the file was opened */
	char engine[SCAP_CAPFILE_ENGINE_LEN];
	char arch[SCAP_CAPFILE_ARCH_LEN];
	char release[SCAP_CAPFILE_RELEASE_LEN];
	int32_t *cpus;               /* nbuffers entries, owned by the holder */
};

struct scap_capfile_trailer_buf {
	int32_t cpu;
	uint64_t events, drops_buffer_full, drops_other, kernel_events;
};

struct scap_capfile_trailer {
	uint64_t records;            /* event records in the file */
	uint64_t events, drops_buffer_full, drops_other, kernel_events;
	uint64_t pairing_evicted, pairing_orphan_exits, toctou, pairing_stale;
	uint32_t attach_failures;
	uint32_t nbuffers;
	uint64_t exits_without_enter; /* 0 in a file with the 80-byte fixed part */
	struct scap_capfile_trailer_buf *bufs; /* nbuffers entries, owned by the holder */
};

/* FNV-1a over every schema row (code, name, dir, params' names, types, aux). */
uint64_t scap_capfile_schema_hash(void);

/* Little-endian helpers. */
static inline void scap_capfile_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void scap_capfile_put32(uint8_t *p, uint32_t v)
{
	scap_capfile_put16(p, (uint16_t)v);
	scap_capfile_put16(p + 2, (uint16_t)(v >> 16));
}
static inline void scap_capfile_put64(uint8_t *p, uint64_t v)
{
	scap_capfile_put32(p, (uint32_t)v);
	scap_capfile_put32(p + 4, (uint32_t)(v >> 32));
}
static inline uint16_t scap_capfile_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t scap_capfile_get32(const uint8_t *p)
{
	return (uint32_t)scap_capfile_get16(p) | ((uint32_t)scap_capfile_get16(p + 2) << 16);
}
static inline uint64_t scap_capfile_get64(const uint8_t *p)
{
	return (uint64_t)scap_capfile_get32(p) | ((uint64_t)scap_capfile_get32(p + 4) << 32);
}

/* Encodes the fixed part of the header (SCAP_CAPFILE_HDR_FIXED bytes). */
void scap_capfile_hdr_encode(const struct scap_capfile_hdr *h, uint8_t *out);
/*
 * Decodes and checks the fixed part: magic, version, layout, schema. 0, or a
 * negative errno with the reason in why: -EBADMSG (not a capture file, bad
 * header length), -ENOTSUP (another version, layout or schema).
 */
int scap_capfile_hdr_decode(const uint8_t *in, struct scap_capfile_hdr *h, char *why, size_t whylen);

/* Encodes a trailer body (SCAP_CAPFILE_TRAILER_FIXED + 40 * nbuffers bytes). */
void scap_capfile_trailer_encode(const struct scap_capfile_trailer *t, uint8_t *out);
/*
 * Decodes the fixed part, fixed bytes long (SCAP_CAPFILE_TRAILER_FIXED or
 * _FIXED_V1); the caller reads the per-buffer entries.
 */
void scap_capfile_trailer_decode(const uint8_t *in, uint32_t fixed, struct scap_capfile_trailer *t);
void scap_capfile_trailer_buf_decode(const uint8_t *in, struct scap_capfile_trailer_buf *b);

#endif
