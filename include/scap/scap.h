/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap: capture Linux system-call events through interchangeable engines.
 *
 * The whole public API. Conventions:
 *   - every function that can fail returns 0 or a negative errno value;
 *   - a handle keeps the text of its last error (scap_last_error); scap_open
 *     writes its error into a caller buffer because there is no handle yet;
 *   - options structs start with their own size (set .sz = sizeof(struct))
 *     so that they can grow without breaking callers built against an older
 *     header: fields past the caller's size take their defaults;
 *   - nothing here prints: pass a log callback to receive diagnostics.
 *
 * Typical use:
 *
 *   struct scap_open_opts o = { .sz = sizeof(o), .buffer_bytes = 8 << 20 };
 *   char err[SCAP_ERRBUF_SIZE];
 *   struct scap *h;
 *   if (scap_open(&h, "auto", &o, err, sizeof(err)) < 0) { puts(err); ... }
 *   scap_start(h);
 *   const struct scap_event *ev; unsigned cpu;
 *   while (scap_next(h, &ev, &cpu, 100) == 0) { ... scap_event_type(ev) ... }
 *   scap_close(h);
 */
#ifndef SCAP_SCAP_H
#define SCAP_SCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "scap/scap_schema.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCAP_ERRBUF_SIZE 512
#define SCAP_API_VERSION_MAJOR 0
#define SCAP_API_VERSION_MINOR 1

/* A capture handle: opaque, owned by the caller from scap_open to scap_close. */
struct scap;

/* One event, as delivered by scap_next. Opaque: read it with the accessors. */
struct scap_event;

/* Log levels of the callback. */
enum scap_log_level { SCAP_LOG_DEBUG = 0, SCAP_LOG_INFO, SCAP_LOG_WARN, SCAP_LOG_ERROR };
typedef void (*scap_log_fn)(enum scap_log_level level, const char *msg, void *ctx);

/* The range of scap_open_opts.buffer_bytes (before an engine rounds it up). */
#define SCAP_MIN_BUFFER_BYTES 4096u
#define SCAP_MAX_BUFFER_BYTES (1u << 30)

/*
 * Options of scap_open. Zero means "default" for every field.
 */
struct scap_open_opts {
	size_t sz;                 /* sizeof(struct scap_open_opts) */
	size_t buffer_bytes;       /* bytes per kernel buffer, SCAP_MIN_BUFFER_BYTES to
	                              SCAP_MAX_BUFFER_BYTES; default 8 MiB; rounded up to
	                              what the engine needs (a power of two for rings):
	                              scap_buffer_stats.bytes tells the result */
	unsigned cpus_per_buffer;  /* CPUs sharing one buffer; default 1 (one per CPU) */
	unsigned snaplen;          /* bytes kept of I/O buffers; default 80, max 16384 */
	const char *const *syscalls; /* NULL-terminated syscall names to capture; NULL = all */
	const char *const *engine_order; /* for "auto": NULL-terminated engine names;
	                                    NULL = "modern_bpf", "bpf", "kmod" */
	int32_t pid;               /* capture only this process (tgid), 1..4194304; 0 = all */
	bool unpaired;             /* deliver enter and exit events as they come,
	                              without pairing them (raw stream) */
	unsigned pairing_max_pending; /* pending enters kept for pairing, 1..4194304 (one per
	                              thread at most); 0 = 65536; memory grows with use */
	scap_log_fn log;           /* diagnostics; NULL = silent */
	void *log_ctx;
	/* engine specific */
	uint64_t synthetic_seed;   /* "synthetic": seed of the stream; default 1 */
	uint64_t synthetic_events; /* "synthetic": events to generate; 0 = endless */
	unsigned synthetic_cpus;   /* "synthetic": virtual CPUs; default 4 */
	const char *savefile_path; /* "savefile": the capture file to replay (a regular
	                              file, or a FIFO with a writer); any other engine
	                              refuses it (-EINVAL) rather than capture live */
	bool capture_self;         /* live engines: also capture the consumer thread's own
	                              syscalls (the thread that opened the handle, then the
	                              one that last waited in scap_next). Default false: a
	                              consumer that writes what it reads (the CLI) would
	                              otherwise capture itself without end. Other threads
	                              of the process are always captured. */
};

/*
 * Opens a capture handle with the engine called `engine` ("modern_bpf",
 * "bpf", "kmod", "savefile", "synthetic" or "auto"). The engine is loaded and
 * its kernel side attached but capture is not started: call scap_start.
 *
 * On success *out owns the handle (free it with scap_close) and 0 is
 * returned. On failure a negative errno is returned and, when err is not
 * NULL, a message naming what failed and what to do is written to it:
 *   -ENOENT   unknown engine name (the message lists the valid names)
 *   -EINVAL   invalid option (the message names it: "invalid option <field>...")
 *   -ESRCH    opts.pid names no running process, for an engine that captures
 *             this host (the message starts "invalid option pid=<pid>")
 *   -ENOTSUP  the engine cannot work on this host (the message says why)
 *   -EPERM    missing privileges
 *
 * The handle owns file descriptors (programs, links, maps, rings, the
 * device): until scap_close, the process must not close them or dup2/dup3
 * onto them. A tracepoint attachment whose fd is replaced is detached, and
 * its events stop without an error or a drop to show for it.
 */
int scap_open(struct scap **out, const char *engine, const struct scap_open_opts *opts,
	      char *err, size_t errlen);

/*
 * Starts and stops capture. Stopping keeps the handle usable, and keeps what
 * the kernel side had stored: after scap_stop, scap_next hands out the
 * events still in the buffers, in order and without waiting, then returns
 * -ENODATA until scap_start. What is never read is counted in
 * scap_stats.unread, never lost silently.
 */
int scap_start(struct scap *h);
int scap_stop(struct scap *h);

/*
 * Returns the next event in timestamp order across all buffers.
 *   0        *ev is the event (valid until the next scap_next or scap_close);
 *            *cpu (optional) is the CPU, or buffer index, it came from;
 *   -EAGAIN  nothing arrived within timeout_ms (0 = do not wait, -1 = forever);
 *            with 0, also after a long run of events that opts.syscalls or
 *            opts.pid left out (engines that do not filter in the kernel,
 *            savefile and synthetic, are filtered here): call again;
 *   -EINTR   the wait was interrupted by a signal;
 *   -ENODATA the engine has no more events (end of a file or synthetic stream),
 *            or the handle is stopped and its buffers are empty.
 */
int scap_next(struct scap *h, const struct scap_event **ev, unsigned *cpu, int timeout_ms);

/* Counters of one handle. */
struct scap_stats {
	size_t sz;                 /* sizeof(struct scap_stats) */
	uint64_t events;           /* events delivered by scap_next (after pairing: one
	                              per paired syscall; after the core's filter) */
	uint64_t drops;            /* events the kernel side could not keep (all causes) */
	uint64_t drops_buffer_full;/* ... because the buffer was full */
	uint64_t drops_other;      /* ... for another reason (fault, size limit) */
	uint64_t kernel_events;    /* raw events the kernel side stored, when it counts
	                              them (replay: the original capture's count) */
	uint64_t pairing_evicted;  /* pending enters dropped to bound memory */
	uint64_t pairing_orphan_exits; /* exits delivered without their enter */
	uint64_t toctou;           /* events marked SCAP_EVF_TOCTOU */
	unsigned nbuffers;         /* kernel buffers (see scap_get_buffer_stats) */
	unsigned attach_failures;  /* kernel programs that could not attach */
	uint64_t pairing_stale;    /* pending enters discarded: their exit never came
	                              (thread killed, or its next syscall was seen) */
	uint64_t exits_without_enter; /* exits the kernel side could not send because it
	                              never saw their enter (the bpf engine on kernels
	                              without raw tracepoints: syscalls already running
	                              when capture started); not drops */
	uint64_t out_of_order;     /* events handed out with a timestamp older than an
	                              event handed out before them: committed by the
	                              kernel side later than the merge's settle window
	                              (1 ms) after their timestamp, e.g. a stalled vCPU;
	                              0 means the stream was in timestamp order */
	uint64_t unread;           /* events stored in the kernel buffers and not read
	                              (yet): the backlog while capturing; after
	                              scap_stop and reading until -ENODATA, 0; what a
	                              caller that stops reading early leaves behind
	                              (a capture file's END block keeps it) */
};

/* Counters of one buffer (usually one CPU). */
struct scap_buffer_stats {
	size_t sz;                 /* sizeof(struct scap_buffer_stats) */
	int cpu;                   /* first CPU served by this buffer; -1 if none */
	uint64_t events;           /* raw events the core read from this buffer, before
	                              pairing and the core's filter (an enter and its exit
	                              count two); scap_stats.events counts what scap_next
	                              delivered */
	uint64_t drops;            /* lost in this buffer (all causes) */
	uint64_t drops_buffer_full;
	uint64_t drops_other;
	uint64_t kernel_events;
	uint64_t bytes;            /* size of the buffer as the engine made it (buffer_bytes
	                              rounded up, or the module's fixed size); 0 when it has
	                              none of its own (savefile) */
	uint64_t unread;           /* stored in this buffer and not read (see scap_stats) */
};

/* Fill *st (st->sz set by the caller). */
int scap_get_stats(struct scap *h, struct scap_stats *st);
/* Fill *st for buffer idx < scap_stats.nbuffers. */
int scap_get_buffer_stats(struct scap *h, unsigned idx, struct scap_buffer_stats *st);

/* Closes the handle: stops capture, detaches everything, frees everything. NULL is fine. */
void scap_close(struct scap *h);

/* The last error on this handle as text ("" if none). Owned by the handle. */
const char *scap_last_error(const struct scap *h);

/* The name of the engine behind the handle ("modern_bpf", ...). */
const char *scap_engine_name(const struct scap *h);

/*
 * A human-readable, multi-line report of the engine choice of scap_open
 * ("auto": every candidate, chosen / skipped because ... / failed because
 * ...). Owned by the handle; "" for an engine opened by name.
 */
const char *scap_engine_report(const struct scap *h);

/* Engine warnings that did not stop capture (programs that did not attach, ...),
 * one per line; "" if none. Owned by the handle. */
const char *scap_warnings(const struct scap *h);

/* ---- engines ------------------------------------------------------------- */

/* Number of engines compiled in, and their names in preference order. */
unsigned scap_engine_count(void);
const char *scap_engine_name_at(unsigned idx);

/*
 * Asks engine `name` whether it is usable on this host. Returns 0 when it is,
 * -ENOENT for an unknown name, or another negative errno with the reason in
 * `reason` (for example "kernel 4.9 is older than 4.14" or "module not
 * loaded: run ...").
 */
int scap_engine_probe(const char *name, char *reason, size_t len);

/* ---- events --------------------------------------------------------------- */

/* Fixed fields. */
uint16_t scap_event_type(const struct scap_event *ev);     /* enum scap_event_code */
uint64_t scap_event_ts(const struct scap_event *ev);       /* ns since boot */
uint32_t scap_event_tid(const struct scap_event *ev);
uint32_t scap_event_pid(const struct scap_event *ev);
uint32_t scap_event_len(const struct scap_event *ev);      /* bytes, header included */
unsigned scap_event_nparams(const struct scap_event *ev);
unsigned scap_event_flags(const struct scap_event *ev);    /* SCAP_EVF_* */
/* The raw bytes of the event (docs/event-format.md); scap_event_len() long. */
const void *scap_event_bytes(const struct scap_event *ev);

/*
 * The event's name: the syscall's name ("openat"; for the generic event, the
 * name of the syscall it carries, or "syscall_<nr>" when the number is
 * unknown). Never NULL.
 */
const char *scap_event_name(const struct scap_event *ev);
/* SCAP_DIR_ENTER or SCAP_DIR_EXIT. */
unsigned scap_event_dir(const struct scap_event *ev);

/*
 * Whether a parameter holds its whole value (docs/event-format.md, "Partial
 * values"): from bit 15 of its length word.
 */
enum scap_param_state {
	SCAP_PARAM_WHOLE = 0,      /* the value as the syscall used it; with len 0: no value
	                              (a NULL pointer, a value this event or engine lacks) */
	SCAP_PARAM_CUT = 1,        /* len > 0: part of the value, cut at a limit (snaplen,
	                              path or argv size, path depth) or read only in part;
	                              the event has SCAP_EVF_TRUNCATED */
	SCAP_PARAM_UNREADABLE = 2, /* len 0: the value exists but none of it could be read
	                              (user memory that faulted, no room left) */
};

/* One decoded parameter. Pointers point into the event: valid as long as it is. */
struct scap_param {
	const char *name;          /* schema name ("pathname", "res", ...) */
	enum scap_param_type type;
	unsigned aux;              /* the schema's aux field (flag set for flags) */
	const void *data;          /* raw bytes in the event */
	uint32_t len;              /* data bytes (the length word without its mark); 0 = empty */
	union {
		int64_t i;         /* signed integers, FD, PID, RES, ENUM32 */
		uint64_t u;        /* unsigned integers, UID, GID, FLAGS32, MODE, ADDR, SYSCALLID */
	} v;
	const char *str;           /* PATH/CHARBUF: the NUL-terminated text; else NULL */
	enum scap_param_state state;
};

/*
 * Decodes parameter idx (< scap_event_nparams). Returns 0, -ERANGE for a bad
 * index, or -EBADMSG when the event is malformed (lengths that overrun the
 * event, a wrong integer width, a string without its NUL, an unknown type).
 */
int scap_event_param(const struct scap_event *ev, unsigned idx, struct scap_param *out);
/* Same, by schema name. -ENOENT when the event has no such parameter. */
int scap_event_param_by_name(const struct scap_event *ev, const char *name, struct scap_param *out);

/*
 * Checks that the bytes at buf (len bytes) are one well-formed event: header,
 * lengths, and every parameter decodable. Returns 0 or -EBADMSG with the
 * reason in `why` (optional). Every untrusted source (files) goes through it.
 */
int scap_event_validate(const void *buf, size_t len, char *why, size_t whylen);

/*
 * Formats a parameter as text into buf (always NUL-terminated, cut to len):
 * integers in decimal, flags as "O_WRONLY|O_CREAT", modes in octal ("0640"),
 * addresses as "ip:port", byte buffers with non-printable bytes escaped.
 * Returns the length the full text needs (like snprintf).
 */
int scap_param_format(const struct scap_param *p, char *buf, size_t len);

/*
 * Formats the whole event as one JSON object (no newline) with the keys ts,
 * cpu, tid, pid, event, dir, params (and "toctou": true when flagged), as the
 * CLI prints it. Returns the length needed, like snprintf.
 */
int scap_event_format_json(const struct scap_event *ev, unsigned cpu, char *buf, size_t len);

/* The line formats of scap_event_format. */
enum scap_format {
	SCAP_FORMAT_TEXT = 0, /* the CLI's text line: "ts cpu tid event dir name=value ..." (docs/cli.md) */
	SCAP_FORMAT_JSON = 1, /* the object of scap_event_format_json */
};

/*
 * Formats the whole event as one line (no newline) in format fmt. Returns
 * the length needed, like snprintf, or -EINVAL. *malformed (optional) gets
 * the number of parameters that could not be decoded: the text line shows
 * them as param<i>=<malformed>, the JSON object ends its params with
 * "_malformed":true. Fastest when len leaves room for the event's worst case
 * (about nine times its size plus a few hundred bytes): then the line is
 * written straight into buf, else through scratch memory.
 */
int scap_event_format(const struct scap_event *ev, unsigned cpu, enum scap_format fmt, char *buf, size_t len,
		      unsigned *malformed);

/*
 * For an event flagged SCAP_EVF_PAIRED that scap_next(h) has just returned:
 * the exit event as the driver wrote it, whose parameters are the exit-time
 * copies of the arguments. The delivered event holds the enter-time values;
 * when SCAP_EVF_TOCTOU is set the two differ. *exit_ev is valid as long as ev.
 * Returns 0, or -ENOENT when ev is not the paired event delivered last.
 */
int scap_event_exit_copy(struct scap *h, const struct scap_event *ev,
			 const struct scap_event **exit_ev);

/* ---- capture files (record) ------------------------------------------------ */

/*
 * A writer of capture files (docs/capture-file-format.md), which the
 * "savefile" engine replays: opts.savefile_path names the file; replay
 * delivers the recorded events, cpus and order, and after the last event
 * (-ENODATA) scap_get_stats reports the original capture's counters (drops
 * per buffer included). A file records the events as scap_next delivered
 * them: paired events when pairing was on (the file says so, and replay does
 * not pair them again), raw enter and exit events with opts.unpaired (replay
 * then pairs them unless opts.unpaired is set again). For the events flagged
 * SCAP_EVF_TOCTOU the exit-time copy is recorded too: on replay,
 * scap_event_exit_copy answers for those (and -ENOENT for the others).
 *
 * Crash safety: events are written in self-checking blocks, each as soon as
 * it is full (buffer_bytes) or its oldest event is flush_ms old, when
 * scap_dump_event or scap_dump_tick runs. A writer killed at any moment
 * (SIGKILL, OOM) leaves a file that replays up to its last whole block, then
 * fails with -EBADMSG ("incomplete"): what is lost is at most the events of
 * the last flush_ms plus the time since the caller last called
 * scap_dump_event or scap_dump_tick. The file is fdatasync'ed at most every
 * sync_ms, which bounds the loss on a power cut the same way.
 */
struct scap_dumper;

struct scap_dump_opts {
	size_t sz;                 /* sizeof(struct scap_dump_opts) */
	bool compress;             /* gzip the file (the reader detects it) */
	int level;                 /* gzip level 1..9; 0 = 6 */
	bool fsync;                /* fdatasync the file in scap_dump_close even when
	                              sync_ms is -1 */
	size_t buffer_bytes;       /* bytes of events per block, 4 KiB..64 MiB; 0 = 256 KiB */
	unsigned flush_ms;         /* a block is written once its oldest event is this old,
	                              1..3600000; 0 = 1000 */
	int sync_ms;               /* fdatasync the file after writing, at most every
	                              sync_ms, 1..3600000; 0 = 1000; -1 = never (what a
	                              power cut loses is then up to the kernel's
	                              writeback, 30 s by default) */
};

/*
 * Creates (or truncates) the file at path and writes its header, taking the
 * host facts, the engine, the snaplen, the buffers and whether events are
 * paired from h. h must stay open until scap_dump_close. Returns 0, or
 * -EINVAL (bad argument or option, or path is the file h replays: same
 * device and inode), -ENOMEM, or the errno of the failed file operation;
 * the message is in scap_last_error(h). A FIFO waits for its reader (the
 * savefile engine refuses a FIFO without a writer: start the writer first).
 */
int scap_dump_open(struct scap_dumper **out, struct scap *h, const char *path,
		   const struct scap_dump_opts *opts);
/*
 * Appends one event as returned by scap_next (with its cpu). Buffered (see
 * above). 0, or a negative errno (-EIO, -ENOSPC, ...) with the message in
 * scap_last_error(h); after an error every later call fails the same way.
 */
int scap_dump_event(struct scap_dumper *d, const struct scap_event *ev, unsigned cpu);
/*
 * For a caller with nothing to write (scap_next timed out): writes the
 * buffered events if the oldest is flush_ms old, and fdatasyncs if sync_ms
 * has passed. Cheap when nothing is due; call it at least every few hundred
 * milliseconds while idle, or the crash-loss bound grows by the gap.
 */
int scap_dump_tick(struct scap_dumper *d);
/* Writes the buffered events now and fdatasyncs (unless sync_ms is -1). */
int scap_dump_flush(struct scap_dumper *d);
/*
 * Writes the buffered events and the END block with h's statistics
 * (scap_get_stats and every buffer's), fdatasyncs (unless sync_ms is -1 and
 * fsync is false), closes and frees d (always, even on error). Call it
 * after scap_stop and after reading what the stop left in the buffers, and
 * before scap_close(h). 0 or a negative errno; NULL is fine. Only a file
 * with its END block replays to -ENODATA: a file whose writer did not
 * finish replays up to its last whole block, then fails with -EBADMSG.
 */
int scap_dump_close(struct scap_dumper *d);

/* ---- schema ---------------------------------------------------------------- */

/* What the schema says about one event code. */
struct scap_event_info {
	const char *name;          /* syscall name ("openat"; "syscall" for generic) */
	int syscall_nr;            /* number on the architecture the library was built for
	                            * (x86_64 or aarch64); -1 for none (the generic event),
	                            * -2 for a syscall that architecture does not have
	                            * (open, fork, ... on aarch64: such events never occur) */
	unsigned dir;              /* SCAP_DIR_* */
	unsigned category;         /* enum scap_category */
	unsigned flags;            /* SCAP_EF_* */
	unsigned nparams;
	struct {
		const char *name;
		enum scap_param_type type;
		unsigned src;      /* SCAP_SRC_* */
		unsigned aux;
	} params[SCAP_MAX_PARAMS];
};

/* Schema row of an event code, NULL if out of range. */
const struct scap_event_info *scap_event_info(unsigned code);
/* Syscall name of a syscall number of the architecture the library was built
 * for (x86_64 or aarch64), NULL if none. */
const char *scap_syscall_name(int nr);
/* Syscall number of a name, -1 if none. */
int scap_syscall_nr(const char *name);

#ifdef __cplusplus
}
#endif
#endif
