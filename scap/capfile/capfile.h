/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The capture-file format shared by the writer (scap/capfile/dump.c) and the
 * reader (engines/savefile/): constants, the header and the end-of-file
 * statistics as C structs, their little-endian encodings, and the block
 * framing of version 2. Byte by byte in docs/capture-file-format.md.
 *
 * Version 2 (written): a 16-byte preamble, then self-delimiting blocks, each
 * with a CRC-32 of its head and one of its payload. Version 1 (read only): a
 * header, a stream of records, a trailer record.
 */
#ifndef SCAP_CAPFILE_H
#define SCAP_CAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCAP_CAPFILE_MAGIC "SCAPCAP\0"
#define SCAP_CAPFILE_MAGIC_LEN 8u
#define SCAP_CAPFILE_VERSION 2u      /* what the writer writes and the newest the reader reads */
#define SCAP_CAPFILE_VERSION_V1 1u

#define SCAP_CAPFILE_MAX_BUFFERS 65536u
#define SCAP_CAPFILE_ENGINE_LEN 32u
#define SCAP_CAPFILE_ARCH_LEN 32u
#define SCAP_CAPFILE_RELEASE_LEN 96u
/* PID_MAX_LIMIT of 64-bit Linux: no thread or process id is larger. */
#define SCAP_CAPFILE_MAX_TID 4194304u
/* A buffer's first CPU: -1 (none) or below this. */
#define SCAP_CAPFILE_MAX_CPU 65536

/* Header flags. */
#define SCAP_CAPFILE_F_PAIRED 0x1u   /* events were paired by the core when recorded */
#define SCAP_CAPFILE_F_BOOTTIME 0x2u /* (v2) events carry this host's CLOCK_BOOTTIME: none is
                                        younger than the block that holds it */
/*
 * (v2) The events (and only they: the container is always little endian)
 * are big endian, the byte order of the host that produced them. A flag, not
 * a new format version: a reader before it refuses such a file with "flags
 * 0x4 this library does not know" instead of misreading its events, and
 * still reads every little-endian file, which leaves the bit clear.
 */
#define SCAP_CAPFILE_F_BIG_ENDIAN 0x4u
#define SCAP_CAPFILE_F_V1_KNOWN SCAP_CAPFILE_F_PAIRED
#define SCAP_CAPFILE_F_KNOWN (SCAP_CAPFILE_F_PAIRED | SCAP_CAPFILE_F_BOOTTIME | SCAP_CAPFILE_F_BIG_ENDIAN)

/* The order flag of this host's events: what the writer sets, what a reader converts from. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SCAP_CAPFILE_F_HOST_ORDER SCAP_CAPFILE_F_BIG_ENDIAN
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SCAP_CAPFILE_F_HOST_ORDER 0u
#else
#error "unknown byte order: scap needs __BYTE_ORDER__ (gcc, clang)"
#endif

/* Records (v1 stream, v2 EVENTS blocks): an 8-byte head (u32 kind, u32 arg), then the body. */
#define SCAP_CAPFILE_REC_HEAD 8u
#define SCAP_CAPFILE_REC_EVENT 1u    /* arg = cpu as scap_next gave it; body = the event */
#define SCAP_CAPFILE_REC_TRAILER 2u  /* v1 only: arg = body length; the last record */
#define SCAP_CAPFILE_REC_EXIT_COPY 3u /* arg = 0; body = the exit-time copy of the
                                         TOCTOU event (or paired execve/execveat exit)
                                         in the next record */
#define SCAP_CAPFILE_REC_TABLE_ONLY 4u /* EVENTS_PROC blocks only: arg = cpu; body = an event
                                         the recording handle's process table took and did
                                         not deliver (a lifecycle row it added) */
/* v2 records are padded with zeros to a multiple of this (events stay aligned in memory). */
#define SCAP_CAPFILE_REC_ALIGN 8u
#define SCAP_CAPFILE_REC_PAD(n) (((n) + SCAP_CAPFILE_REC_ALIGN - 1u) & ~(SCAP_CAPFILE_REC_ALIGN - 1u))

/* ---- version 1 (read only) --------------------------------------------------- */

/* Header: fixed part, then one i32 cpu per buffer. */
#define SCAP_CAPFILE_V1_HDR_FIXED 216u
/*
 * Trailer body: fixed part, then one 40-byte entry per buffer. Files written
 * before exits_without_enter was recorded have an 80-byte fixed part; the
 * reader tells them apart by the body length (8 is not a multiple of 40).
 */
#define SCAP_CAPFILE_V1_TRAILER_FIXED 88u
#define SCAP_CAPFILE_V1_TRAILER_FIXED_OLD 80u
#define SCAP_CAPFILE_V1_TRAILER_BUF 40u

/* ---- version 2 ----------------------------------------------------------------- */

/* Preamble: magic, u16 version, u16 zero, u32 crc32 of bytes 0..11. */
#define SCAP_CAPFILE_PREAMBLE 16u

/*
 * Block head: "SBLK", u16 kind, u16 flags, u32 payload length, u32 seq,
 * u32 crc32 of head bytes 0..15, u32 crc32 of the payload.
 */
#define SCAP_CAPFILE_BLOCK_HEAD 24u
#define SCAP_CAPFILE_BLOCK_SYNC "SBLK"
/* A reader that does not know the block's kind must stop; else it skips it. */
#define SCAP_CAPFILE_BF_MUST_UNDERSTAND 0x1u
#define SCAP_CAPFILE_BF_KNOWN SCAP_CAPFILE_BF_MUST_UNDERSTAND
/* The longest payload a reader accepts (the writer's largest block plus two records). */
#define SCAP_CAPFILE_BLOCK_MAX ((64u << 20) + (256u << 10))

/* Block kinds (docs/capture-file-format.md keeps the registry). */
#define SCAP_CAPFILE_BLK_HEADER 1u   /* first block (seq 0), exactly one */
#define SCAP_CAPFILE_BLK_EVENTS 2u   /* event and exit-copy records */
#define SCAP_CAPFILE_BLK_END 3u      /* last block: the capture's statistics */
#define SCAP_CAPFILE_BLK_PROCTABLE 4u /* optional, right after HEADER: the process table at
                                        the start of the capture (scap/proc/snapshot.h) */
#define SCAP_CAPFILE_BLK_EVENTS_PROC 5u /* EVENTS whose records may also be table-only ones */
/* PROCTABLE payload: u32 fixed_len (this version: 8), u32 zero, then the snapshot. */
#define SCAP_CAPFILE_PROCTABLE_FIXED 8u

/* HEADER payload: fixed part (SCAP_CAPFILE_HDR_FIXED in this version), then nbuffers entries. */
#define SCAP_CAPFILE_HDR_FIXED 232u
#define SCAP_CAPFILE_HDR_ENTRY 4u
/* EVENTS payload: u64 written_ns, u32 records, u32 zero, then the records. */
#define SCAP_CAPFILE_EVENTS_PREFIX 16u
/* An event of a BOOTTIME file may be this much younger than its block (clock reading skew). */
#define SCAP_CAPFILE_TS_SLACK_NS 1000000000ull
/* END payload: fixed part, then nbuffers entries. */
#define SCAP_CAPFILE_END_FIXED 104u
#define SCAP_CAPFILE_END_ENTRY 48u

/* The header as both versions decode it. */
struct scap_capfile_hdr {
	uint16_t version;
	uint16_t layout_version;
	uint32_t hdr_len;            /* v1: bytes before the first record */
	uint32_t flags;
	uint32_t snaplen;
	uint32_t schema_ev_max;
	uint32_t nbuffers;
	uint64_t schema_hash;
	int64_t boot_time_ns;        /* CLOCK_REALTIME of boot: wall time = ts + this */
	int64_t created_ns;          /* CLOCK_REALTIME when the file was opened */
	uint64_t created_boot_ns;    /* v2: CLOCK_BOOTTIME when the file was opened */
	uint32_t flush_ms;           /* v2: the writer's flush interval (the crash loss bound) */
	int32_t sync_ms;             /* v2: its fdatasync interval, -1 never */
	char engine[SCAP_CAPFILE_ENGINE_LEN];
	char arch[SCAP_CAPFILE_ARCH_LEN];
	char release[SCAP_CAPFILE_RELEASE_LEN];
	int32_t *cpus;               /* nbuffers entries, owned by the holder */
};

struct scap_capfile_trailer_buf {
	int32_t cpu;
	uint64_t events, drops_buffer_full, drops_other, kernel_events;
	uint64_t unread;             /* v2 */
};

/* The capture's statistics: the v1 trailer, the v2 END block. */
struct scap_capfile_trailer {
	uint64_t records;            /* event records in the file */
	uint64_t events, drops_buffer_full, drops_other, kernel_events;
	uint64_t pairing_evicted, pairing_orphan_exits, toctou, pairing_stale;
	uint32_t attach_failures;
	uint32_t nbuffers;
	uint64_t exits_without_enter; /* 0 in a v1 file with the 80-byte fixed part */
	uint64_t unread;             /* v2: events left in the kernel buffers, never read */
	struct scap_capfile_trailer_buf *bufs; /* nbuffers entries, owned by the holder */
};

/* FNV-1a over every schema row (code, name, dir, params' names, types, aux). */
uint64_t scap_capfile_schema_hash(void);

/* Writes the reason into why (when not NULL) and returns ret: for the decoders' failures. */
int scap_capfile_why(char *why, size_t len, int ret, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Little-endian helpers: every integer of the container (preamble, block
 * heads, the HEADER, EVENTS prefix, record heads, END and PROCTABLE
 * payloads, the process-table snapshot) goes through them, never through a
 * host integer copied whole, so that every host writes the same bytes.
 */
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

/*
 * What both versions' headers must satisfy once decoded: the layout and
 * schema of this library, known flags, bounded counts, snaplen in range.
 * 0, or -ENOTSUP / -EBADMSG with the reason in why.
 */
int scap_capfile_hdr_check(const struct scap_capfile_hdr *h, char *why, size_t whylen);

/*
 * Version 1: decodes and checks the fixed part of a header (the magic and
 * version included). 0, or a negative errno with the reason in why:
 * -EBADMSG (not a capture file, bad header), -ENOTSUP (another version,
 * layout or schema).
 */
int scap_capfile_v1_hdr_decode(const uint8_t *in, struct scap_capfile_hdr *h, char *why, size_t whylen);
/* Version 1: decodes a trailer's fixed part, fixed bytes long (_FIXED or _FIXED_OLD). */
void scap_capfile_v1_trailer_decode(const uint8_t *in, uint32_t fixed, struct scap_capfile_trailer *t);
void scap_capfile_v1_trailer_buf_decode(const uint8_t *in, struct scap_capfile_trailer_buf *b);

/*
 * Checks the rules a trailer (END block) must satisfy against its file: the
 * totals are the sums of the per-buffer counts, the buffers' cpus are the
 * header's, the counts of event records agree, the pairing counters do not
 * exceed the events. 0, or -EBADMSG with the reason in why.
 */
int scap_capfile_trailer_check(const struct scap_capfile_trailer *t, const struct scap_capfile_hdr *h,
			       uint64_t records, char *why, size_t whylen);

/* ---- version 2 ---------------------------------------------------------------- */

struct scap_capfile_block {
	uint16_t kind;
	uint16_t flags;
	uint32_t len;                /* payload bytes */
	uint32_t seq;
	uint32_t head_crc, payload_crc;
};

/* The 16-byte preamble of a version-2 file. */
void scap_capfile_preamble_encode(uint8_t *out);
/*
 * Decodes the version of a preamble whose magic matched (bytes 8..9); for
 * version 2 also checks its CRC and zero field. 0 or -EBADMSG with why.
 */
int scap_capfile_preamble_check(const uint8_t *in, char *why, size_t whylen);

/* Encodes a block head for payload (len bytes), CRCs included. */
void scap_capfile_block_encode(uint8_t *head, uint16_t kind, uint16_t flags, uint32_t seq,
			       const void *payload, uint32_t len);
/* Decodes a block head and checks its sync, head CRC, flags and length. 0 or -EBADMSG with why. */
int scap_capfile_block_decode(const uint8_t *head, struct scap_capfile_block *b, char *why, size_t whylen);
/* Whether payload matches the head's payload CRC. */
bool scap_capfile_block_payload_ok(const struct scap_capfile_block *b, const void *payload);

/* HEADER payload: SCAP_CAPFILE_HDR_FIXED + 4 * nbuffers bytes, cpus from h->cpus. */
size_t scap_capfile_hdr_payload_len(uint32_t nbuffers);
void scap_capfile_hdr_encode(const struct scap_capfile_hdr *h, uint8_t *out);
/*
 * Decodes and checks a HEADER payload of len bytes into h (h->cpus allocated:
 * the caller frees it). 0, -ENOMEM, or -EBADMSG / -ENOTSUP with why.
 */
int scap_capfile_hdr_decode(const uint8_t *in, size_t len, struct scap_capfile_hdr *h, char *why,
			    size_t whylen);

/* END payload: SCAP_CAPFILE_END_FIXED + 48 * nbuffers bytes. */
size_t scap_capfile_end_payload_len(uint32_t nbuffers);
void scap_capfile_end_encode(const struct scap_capfile_trailer *t, uint8_t *out);
/*
 * Decodes an END payload of len bytes for a file of nbuffers buffers into t
 * (t->bufs allocated: the caller frees it). 0, -ENOMEM or -EBADMSG with why.
 */
int scap_capfile_end_decode(const uint8_t *in, size_t len, uint32_t nbuffers,
			    struct scap_capfile_trailer *t, char *why, size_t whylen);

#endif
