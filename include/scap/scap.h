/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap: capture Linux system-call events through interchangeable engines.
 *
 * The whole public API. Conventions:
 *   - every function that can fail returns 0 or a negative errno value;
 *   - after a call on a handle failed, scap_last_error says why (per thread,
 *     like errno; see "errors" below); scap_open writes its error into a
 *     caller buffer because there is no handle yet;
 *   - which calls may run on other threads while one reads events, and what
 *     scap changes in the process: see "threads" below;
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

/* ---- version (docs/embedding.md: what a minor and a major version may change) ---- */

/* The version of this header. scap_version() tells the library's. */
#define SCAP_VERSION_MAJOR 0
#define SCAP_VERSION_MINOR 2
#define SCAP_VERSION_PATCH 0
#define SCAP_API_VERSION_MAJOR SCAP_VERSION_MAJOR /* older names */
#define SCAP_API_VERSION_MINOR SCAP_VERSION_MINOR

/*
 * The version of the library the program runs with, as "MAJOR.MINOR.PATCH";
 * the three numbers also go to the pointers that are not NULL. A program
 * built against this header works with a library of the same major version
 * and the same or a later minor version. Never fails; the string is static.
 */
const char *scap_version(unsigned *major, unsigned *minor, unsigned *patch);

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
	const char *const *syscalls; /* NULL-terminated syscall names to capture; NULL = all.
	                              "procexit" selects the end of every thread (not a
	                              syscall: SCAP_EV_PROCEXIT_E), "exit" the exit(2) call */
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
	                              one that last called scap_next). Default false: a
	                              consumer that writes what it reads (the CLI) would
	                              otherwise capture itself without end. Other threads
	                              of the process are always captured. */
	/* The process table (section "process table" below). */
	bool proc_off;             /* no process table: no /proc scan, no lifecycle rows
	                              added to the selection, scap_event_proc() NULL, the
	                              bare stream at the bare cost */
	unsigned proc_max_entries; /* threads kept at most, ended ones included; default
	                              131072, 64..16777216. When full, the oldest ended entry is
	                              evicted first, else the least recently updated one;
	                              each eviction is counted (scap_stats.proc_evictions) */
	unsigned proc_grace_ms;    /* how long an ended thread stays readable, in event
	                              time (the timestamps of the stream); default 1000,
	                              at most 3600000 */
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
 *            or the handle is stopped and its buffers are empty;
 *   -ECANCELED another thread called scap_close(h): h is gone, use it no more.
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
	                              (a capture file's END block keeps it). The
	                              rows the process table added count too: they
	                              are read, not delivered */
	/* The process table (section "process table" below); all 0 with proc_off. */
	uint64_t proc_entries;     /* threads in the table now, ended ones in grace included */
	uint64_t proc_scans;       /* scans of /proc (one per scap_start of a live engine) */
	uint64_t proc_evictions;   /* entries removed to stay within proc_max_entries */
	uint64_t proc_lookups;     /* scap_event_proc and scap_proc_lookup calls */
	uint64_t proc_lookup_misses; /* ... that found no entry for that thread at that time */
	uint64_t proc_bytes;       /* memory the table holds: entries, index, strings */
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

/*
 * Closes the handle: stops capture, detaches everything, frees everything.
 * NULL is fine. May be called from another thread than the reading one, to
 * stop it: see "threads" below.
 */
void scap_close(struct scap *h);

/* ---- errors -------------------------------------------------------------------- */

/*
 * Why the last call on h made by the calling thread failed, as one line of
 * text naming what failed and what to do. Like errno: valid after a call on
 * h returned a negative value, until this thread's next call that fails; a
 * call that succeeds does not clear it, so read it only after a failure
 * ("" when this thread has seen no failure on h). Every call on a handle that
 * returns a negative value sets it, scap_next's -EAGAIN, -EINTR, -ENODATA and
 * -ECANCELED included. Kept per thread, so that a stats call failing on one
 * thread does not overwrite the reader's message. The text belongs to the
 * library and stays valid until this thread's next call on any handle.
 * The functions without a handle (scap_event_param, ...) say it all with
 * their return value. scap_last_error(NULL) is "no handle (NULL)".
 */
const char *scap_last_error(const struct scap *h);

/* ---- threads ------------------------------------------------------------------- */

/*
 * Thread safety. One thread at a time reads a handle: scap_next (and the
 * calls on the event it returned, scap_event_exit_copy, scap_dump_event) are
 * made by one thread, or handed from thread to thread by the program's own
 * synchronisation. scap_start, scap_stop, scap_dump_open/close belong to the
 * thread that owns the handle and must not run during a scap_next. These
 * may be called from any thread at any time, also while another thread is
 * inside scap_next, and concurrently with each other:
 *   scap_get_stats, scap_get_buffer_stats, scap_last_error,
 *   scap_engine_name, scap_engine_report (not scap_warnings: settings
 *   changes may add to it), scap_boot_time, scap_ts_to_wallclock, and
 *   the live settings of "live settings" below;
 * and so may every function without a handle (decoding, formatting,
 * schema, version, probes).
 *
 * Stopping a reader from another thread: call scap_close(h) there. The
 * reader's scap_next returns -ECANCELED, at once if it is waiting for events
 * (the engines' waits watch for it), or at its next call if it is busy with
 * an event; scap_close waits for that, then frees h. The reader must stop
 * using h when it gets -ECANCELED. The reader is the thread that last called
 * scap_next, until scap_next gives it a final status (-ENODATA, an error,
 * -ECANCELED): if that thread has ended, scap_close does not wait for it;
 * but a reader thread that stops calling scap_next after an event, -EAGAIN
 * or -EINTR and keeps running makes a scap_close on another thread wait
 * until it calls scap_next again, so such a reader closes h itself. Other
 * calls on h (stats) must have returned before scap_close begins; calls
 * under way when it begins finish first.
 *
 * Process-wide state: scap installs no signal handler and changes no
 * signal mask, environment, working directory or file descriptor it did not
 * open. Two things are process-wide by nature:
 *   - libbpf's print hook (libbpf_set_print): the first time an eBPF engine
 *     or probe runs, scap installs its own hook once, chained to the one in
 *     place, and never changes it again: messages libbpf prints for scap go
 *     to the handle's log callback, every other message to the hook that was
 *     there before (libbpf's default prints to stderr). A program that sets
 *     its own hook afterwards receives scap's libbpf messages too;
 *   - on kernels before 5.11 only, which charge BPF maps to RLIMIT_MEMLOCK,
 *     the eBPF engines raise that limit (setrlimit) when they can.
 */

/* ---- live settings ---------------------------------------------------------------- */

/*
 * Changing what a running capture captures, without reopening it (the
 * kernel side stays loaded, the buffers and their events stay). Each call
 * switches one setting of h at one instant for every CPU: an event is
 * captured and filled entirely under the old setting or entirely under the
 * new one, so an event of a syscall selected before and after the change is
 * never lost or delivered twice, and once the call has returned no event is
 * captured under the old setting any more. Events the kernel side had
 * already stored are delivered as they were captured. A syscall that is
 * running across the change may have its enter captured under one selection
 * and its exit under the other: the exit then comes alone
 * (SCAP_EVF_NO_ENTER), or the enter is discarded by the pairing
 * (scap_stats.pairing_stale).
 *
 * The eBPF engines load their programs anew for the new settings, beside
 * the running ones and sharing their buffers, and switch to them with one
 * store that every program reads first (a change takes about as long as
 * scap_open's loading: tens to hundreds of milliseconds); the module
 * switches in place.
 *
 * 0, or a negative errno with scap_last_error: -EINVAL (a bad value: the
 * message names it), -ESRCH (scap_set_pid_filter: no process has that id),
 * -ENOTSUP (the engine replays recorded or generated
 * events: "savefile", "synthetic"), or the engine's failure to load or
 * attach, in which case the old setting stays entirely in force. May be
 * called from any thread, also while another one is in scap_next (see
 * "threads"); calls on one handle take turns.
 */
/* The syscalls to capture: NULL-terminated names as scap_open_opts.syscalls; NULL = all. */
int scap_set_syscalls(struct scap *h, const char *const *syscalls);
/* Bytes kept of I/O buffers, 1..SCAP_MAX_SNAPLEN; 0 = the default (80). */
int scap_set_snaplen(struct scap *h, unsigned snaplen);
/* Capture only the process pid (tgid, its threads included); 0 = every process. */
int scap_set_pid_filter(struct scap *h, int32_t pid);

/* ---- information ------------------------------------------------------------------ */

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
		uint64_t u;        /* unsigned integers, UID, GID, FLAGS32, FLAGS64, MODE, ADDR, SYSCALLID */
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

/*
 * scap_event_format with options: the same line, with the timestamp moved by
 * ts_offset_ns. Pass scap_boot_time(h) to print wall-clock time (seconds
 * since the Unix epoch in the text line, ns since the epoch as JSON "ts").
 */
struct scap_format_opts {
	size_t sz;                 /* sizeof(struct scap_format_opts) */
	enum scap_format fmt;
	int64_t ts_offset_ns;      /* added to the timestamp printed; 0: ns since boot */
	struct scap *proc_h;       /* non-NULL: also the process of ev from this handle's
	                              table, as scap_event_format_proc (ev must be the
	                              event scap_next(proc_h) returned last) */
};
int scap_event_format_opts(const struct scap_event *ev, unsigned cpu, const struct scap_format_opts *opts,
			   char *buf, size_t len, unsigned *malformed);

/* ---- wall-clock time ---------------------------------------------------------------- */

/*
 * Event timestamps count nanoseconds since the producing host booted
 * (CLOCK_BOOTTIME, which goes on during suspend). *boot_ns gets the
 * wall-clock time of that boot, in ns since the Unix epoch (UTC), so that an
 * event happened at boot_ns + scap_event_ts(ev):
 *   - live engines: this host's, measured at scap_open and again at most
 *     once a second when asked, so that a step of the system clock after the
 *     capture began (NTP setting the time) is followed;
 *   - "savefile": the recording host's, stored in the file's header: right
 *     whatever host replays the file;
 * 0, -EINVAL, or -ENODATA when the engine's events have no clock time
 * ("synthetic").
 */
int scap_boot_time(const struct scap *h, int64_t *boot_ns);
/* *wall_ns = the boot time above + ts (an event timestamp of h). Same errors. */
int scap_ts_to_wallclock(const struct scap *h, uint64_t ts, int64_t *wall_ns);

/* ---- process table ---------------------------------------------------------- */
/*
 * Which process made an event: the handle keeps a table of every thread of
 * the host (docs/architecture.md, "The process table"). scap_start fills it
 * from /proc (live engines) or from the capture file (savefile), then every
 * event of the process lifecycle updates it inside scap_next before the
 * caller sees the event: the clone family's child-side return, execve and
 * execveat, the set*id family, chdir and fchdir, procexit. Those rows are
 * captured even when opts.syscalls does not name them; the caller then does
 * not receive them. opts.proc_off turns all of this off.
 *
 * The table is keyed by thread id. An entry whose thread ended (procexit)
 * stays readable for opts.proc_grace_ms of event time, flagged
 * SCAP_PROC_F_ENDED, then goes; an event stamped after the end is never
 * attributed to it (a reused thread id is a new entry). Memory is bounded by
 * opts.proc_max_entries.
 *
 * Strings (exe, cwd, cgroup, args) point into the table: valid until the
 * next scap_next, scap_start or scap_close on the handle. Everything else is
 * copied. The table changes inside scap_next: call these functions from the
 * thread that calls scap_next (or between its calls), as for the events.
 */

/* Bits of scap_proc.known: which fields hold a value. A field whose bit is
 * clear is unknown (not zero): the engine could not read it, or no source
 * has said it yet (comm changed by prctl, a parent that ended, ...). */
#define SCAP_PROC_HAS_PPID     (1u << 0)
#define SCAP_PROC_HAS_COMM     (1u << 1)
#define SCAP_PROC_HAS_EXE      (1u << 2)
#define SCAP_PROC_HAS_ARGS     (1u << 3)
#define SCAP_PROC_HAS_CWD      (1u << 4)
#define SCAP_PROC_HAS_UID      (1u << 5)
#define SCAP_PROC_HAS_GID      (1u << 6)
#define SCAP_PROC_HAS_EUID     (1u << 7)
#define SCAP_PROC_HAS_EGID     (1u << 8)
#define SCAP_PROC_HAS_LOGINUID (1u << 9)
#define SCAP_PROC_HAS_CGROUP   (1u << 10) /* cgroup and container_id */
#define SCAP_PROC_HAS_START    (1u << 11)
#define SCAP_PROC_HAS_VPID     (1u << 12) /* vtid and vpid */
#define SCAP_PROC_HAS_EXIT     (1u << 13) /* exit_status (the thread ended) */

/* Bits of scap_proc.flags. */
#define SCAP_PROC_F_ENDED      (1u << 0) /* the thread ended (procexit); kept for the grace period */
#define SCAP_PROC_F_PROC_ENDED (1u << 1) /* ... and it was the last thread of its process */
#define SCAP_PROC_F_ARGS_TRUNCATED (1u << 2) /* args was cut (SCAP_MAX_ARGV_LEN bytes or
                                             SCAP_MAX_ARGV_ITEMS strings), as execve's argv */
#define SCAP_PROC_F_FROM_SCAN  (1u << 3) /* the newest source was the /proc scan, not an event */
/* A path the event that gave it marked cut (SCAP_PARAM_CUT): its last
 * components, relative (docs/event-format.md, "Every limit a value can hit"). */
#define SCAP_PROC_F_EXE_CUT    (1u << 4)
#define SCAP_PROC_F_CWD_CUT    (1u << 5)
#define SCAP_PROC_F_CGROUP_CUT (1u << 6)

#define SCAP_PROC_COMM_LEN 16u
#define SCAP_PROC_CONTAINER_ID_LEN 65u /* 64 hex digits and the NUL */

/* One thread as the table knows it. */
struct scap_proc {
	size_t sz;                 /* sizeof(struct scap_proc), set by the caller */
	uint32_t known;            /* SCAP_PROC_HAS_* */
	uint32_t flags;            /* SCAP_PROC_F_* */
	uint32_t tid;              /* thread id (initial pid namespace); always known */
	uint32_t pid;              /* its process (tgid); always known */
	uint32_t ppid;             /* the parent process (real parent's tgid) */
	uint32_t vtid, vpid;       /* tid and pid as seen in the thread's own pid namespace */
	uint32_t uid, gid, euid, egid;
	uint32_t loginuid;         /* audit login uid; 4294967295 = unset */
	int32_t exit_status;       /* wait(2) status of an ended thread */
	uint64_t start_ns;         /* thread start, ns since boot (CLOCK_BOOTTIME); from /proc
	                              in clock ticks (10 ms), from the clone event exactly */
	uint64_t exit_ns;          /* when it ended (procexit's timestamp); 0 while alive */
	uint64_t updated_ns;       /* timestamp of the newest source applied (an event's ts,
	                              or the instant the scan read this thread) */
	char comm[SCAP_PROC_COMM_LEN]; /* the thread's name, NUL-terminated; "" unknown */
	const char *exe;           /* executable path; NULL unknown */
	const char *cwd;           /* working directory; NULL unknown */
	const char *cgroup;        /* cgroup path by the engines' rule: the cgroup v2 path,
	                              or where that is "/" the v1 memory controller's;
	                              NULL unknown */
	const char *container_id;  /* from cgroup: the runtime's id (64 hex digits, or the
	                              12 of a short id), "host" when not in a container,
	                              NULL unknown. Short form: its first 12 characters */
	const char *args;          /* argv: NUL-terminated strings back to back (as
	                              /proc/<pid>/cmdline); NULL unknown */
	uint32_t args_len;         /* bytes at args, the last string's NUL included; 0 for
	                              an empty argv (execve's argv=[]) */
};

/*
 * Copies what the table holds for thread tid into *out (out->sz set by the
 * caller; a smaller, older struct gets its fields only). Ended threads in
 * their grace period are found too (SCAP_PROC_F_ENDED). Returns 0,
 * -ENOENT when the table has no such thread, -EOPNOTSUPP when the handle
 * tracks no processes (opts.proc_off), -EINVAL for a bad argument.
 */
int scap_proc_lookup(struct scap *h, uint32_t tid, struct scap_proc *out);

/*
 * The process of ev, the event scap_next(h) returned last: the entry of its
 * thread as it was when the event was made (an entry that started after the
 * event or ended before it is not its thread: NULL then). Computed on the
 * first call for an event, then the same pointer; owned by the handle, valid
 * until the next scap_next, scap_start or scap_close. NULL when unknown,
 * with proc_off, or when ev is not the event returned last. Cost: one hash
 * lookup (docs/performance.md).
 */
const struct scap_proc *scap_event_proc(struct scap *h, const struct scap_event *ev);

/*
 * Iterates over the table: set *cursor = 0, then call until it returns
 * -ENOENT; each 0 fills *out with one thread (ended ones included) in no
 * particular order. The table changes only in scap_next and scap_start: an
 * iteration across those may miss or repeat threads. -EOPNOTSUPP with
 * proc_off.
 */
int scap_proc_iter(struct scap *h, uint64_t *cursor, struct scap_proc *out);

/*
 * The container id in a cgroup path (the rule of scap_proc.container_id):
 * writes it (or "host") to out, NUL-terminated, and returns its length; or
 * -EINVAL (NULL path, or len < SCAP_PROC_CONTAINER_ID_LEN). The last path
 * component that names a container wins: docker-<id>.scope,
 * cri-containerd-<id>.scope, crio-<id>[.scope], libpod-<id>[.scope],
 * nerdctl-<id>.scope (systemd drivers; CRI-O's and podman's cgroupfs ones),
 * a directory named by 64 lower-case hex digits anywhere (docker's
 * /docker/<id>, the kubelet's /kubepods/<qos>/pod<uid>/<id>), a 12-digit
 * short id under docker/ or libpod_parent/. Monitors (libpod-conmon-<id>)
 * and systemd units are "host".
 */
int scap_container_id(const char *cgroup_path, char *out, size_t len);

/*
 * The line of scap_event_format with the process of ev added when the table
 * knows it: the text line gets "<pid> <comm>" after the tid (comm NULL when
 * unknown), the JSON object "comm" after "pid" and a "proc" object (exe,
 * ppid, uid, gid, cwd, container_id; each only when known) after "params"
 * (docs/cli.md). ev must be the event scap_next(h) returned last. With
 * proc_off, the same as scap_event_format. Returns as scap_event_format.
 */
int scap_event_format_proc(struct scap *h, const struct scap_event *ev, unsigned cpu, enum scap_format fmt,
			   char *buf, size_t len, unsigned *malformed);

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
 * With a process table, the file gets the table as it was at the start
 * (written here when scap_start already ran, else at scap_start) and the
 * rows the table hid from the caller, so that its replay resolves processes
 * as h did (docs/capture-file-format.md, PROCTABLE).
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
	                            * (x86_64, aarch64, ppc64le or s390x); -1 for none (the generic event,
	                            * a kernel event such as procexit),
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
 * for (x86_64, aarch64, ppc64le or s390x), NULL if none. */
const char *scap_syscall_name(int nr);
/* Syscall number of a name, -1 if none. */
int scap_syscall_nr(const char *name);

#ifdef __cplusplus
}
#endif
#endif
