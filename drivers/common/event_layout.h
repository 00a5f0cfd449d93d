/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only OR MIT */
/*
 * The event byte layout: what every engine writes and every reader parses.
 * Documented in docs/event-format.md. Included by user space, the kernel
 * module and the eBPF programs, so it holds only types and constants.
 *
 *   +--------------------------------------------+  offset 0
 *   | struct scap_evt_hdr (24 bytes)              |
 *   +--------------------------------------------+  24
 *   | scap_u16 len[nparams]  (little endian)      |  bit 15: SCAP_PARAM_PARTIAL
 *   +--------------------------------------------+  24 + 2 * nparams
 *   | param 0 data | param 1 data | ...           |
 *   +--------------------------------------------+  hdr.len
 *
 * All integers are little endian (every supported architecture is). Nothing
 * is aligned beyond the header: readers copy parameters out with memcpy.
 */
#ifndef SCAP_DRIVERS_COMMON_EVENT_LAYOUT_H
#define SCAP_DRIVERS_COMMON_EVENT_LAYOUT_H

#include "scap_types.h"

/*
 * Bumped whenever the bytes below change meaning. 2: bit 15 of a parameter
 * length marks a partial value; a string array ends with one more NUL.
 */
#define SCAP_EVENT_LAYOUT_VERSION 2

struct scap_evt_hdr {
	scap_u64 ts;      /* nanoseconds since boot (CLOCK_BOOTTIME) */
	scap_u32 tid;     /* thread id, in the initial pid namespace */
	scap_u32 pid;     /* thread-group id (process id), same namespace */
	scap_u32 len;     /* total length of the event, header included */
	scap_u16 type;    /* enum scap_event_code */
	scap_u8 nparams;  /* number of parameter lengths that follow */
	scap_u8 flags;    /* SCAP_EVF_* */
};

SCAP_STATIC_ASSERT(sizeof(struct scap_evt_hdr) == 24, "event header is 24 bytes");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_evt_hdr, ts) == 0, "ts at 0");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_evt_hdr, tid) == 8, "tid at 8");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_evt_hdr, pid) == 12, "pid at 12");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_evt_hdr, len) == 16, "len at 16");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_evt_hdr, type) == 20, "type at 20");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_evt_hdr, nparams) == 22, "nparams at 22");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_evt_hdr, flags) == 23, "flags at 23");

#define SCAP_EVT_HDR_LEN 24u
#define SCAP_PARAM_LEN_SIZE 2u /* each parameter length is a scap_u16 */

/*
 * A parameter's length word: bits 0-14 the bytes of its data, bit 15 set when
 * the value is not whole. With data, the value was cut at a limit (what is
 * kept is its beginning, or for a walked path its end); without data, the
 * value exists but none of it could be read (user memory that faulted, a
 * value that did not fit). A length of 0 without the bit is no value at all
 * (a NULL pointer, a value this event or engine does not have).
 */
#define SCAP_PARAM_PARTIAL 0x8000u
#define SCAP_PARAM_LEN_MASK 0x7fffu
#define SCAP_MAX_PARAM_LEN SCAP_PARAM_LEN_MASK

/* Header flags. */
#define SCAP_EVF_TRUNCATED 0x01u /* a parameter was cut (snaplen, size limit): one has
                                    SCAP_PARAM_PARTIAL and data */
#define SCAP_EVF_TOCTOU 0x02u    /* enter-time and exit-time arguments differ */
#define SCAP_EVF_PAIRED 0x04u    /* built by the core from an enter and its exit */
#define SCAP_EVF_NO_ENTER 0x08u  /* exit of a paired syscall whose enter was not seen */
#define SCAP_EVF_ENTER_UNREAD 0x10u /* paired, but an argument was unreadable at enter:
                                       its exit-time copy is delivered instead */

/* Hard limits every driver enforces. */
#define SCAP_MAX_PARAMS 16u
#define SCAP_MAX_EVENT_LEN 65536u  /* no event is longer than this */
#define SCAP_MAX_PATH_LEN 4096u    /* PATH_MAX, NUL included */
#define SCAP_MAX_ARGV_LEN 4096u    /* argv/envp: total bytes kept, final NUL included */
#define SCAP_MAX_ARGV_ITEMS 32u    /* argv/envp: strings kept when read from the caller's array */
#define SCAP_DEFAULT_SNAPLEN 80u   /* bytes kept of I/O buffers by default */
#define SCAP_MAX_SNAPLEN 16384u
#define SCAP_GENERIC_NARGS 6u

SCAP_STATIC_ASSERT(SCAP_MAX_SNAPLEN <= SCAP_MAX_PARAM_LEN, "a byte buffer fits a length word");
SCAP_STATIC_ASSERT(SCAP_MAX_PATH_LEN <= SCAP_MAX_PARAM_LEN && SCAP_MAX_ARGV_LEN <= SCAP_MAX_PARAM_LEN,
		   "paths and string arrays fit a length word");

/* Socket address encoding in a SCAP_PT_SOCKADDR parameter: family byte first. */
#define SCAP_SA_UNSPEC 0u
#define SCAP_SA_INET 1u   /* + 4 bytes address (network order) + 2 bytes port (host order) */
#define SCAP_SA_INET6 2u  /* + 16 bytes address + 2 bytes port (host order) */
#define SCAP_SA_UNIX 3u   /* + the sun_path bytes the kernel uses (a path up to its NUL, an
                             abstract name all of its bytes, leading NUL kept), then a NUL */
#define SCAP_SA_OTHER 4u  /* + 2 bytes raw family; no more (also AF_INET/AF_INET6 cut short
                             by the caller's address length: then marked partial) */

#endif
