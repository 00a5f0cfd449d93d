/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared pieces of the `scap` command-line tool: the subcommands, strict
 * argument parsing, and the event printers. Every error the user can cause
 * is reported as one line "scap: <what>: <what to do>".
 */
#ifndef SCAP_TOOLS_CLI_H
#define SCAP_TOOLS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scap/scap.h"

/* Exit statuses, documented in `scap --help`. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1  /* the capture could not be opened or failed */
#define CLI_EXIT_USAGE 2 /* bad command line */

/* Subcommands: argv[0] is the subcommand's name. Return an exit status. */
int cmd_engines(int argc, char **argv);
int cmd_capture(int argc, char **argv);

/* Prints "scap: <fmt>\n" to stderr, on one line (newlines in the text are
 * turned into "; " so that multi-line library messages stay one line). */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Strict parsers: the whole text must be consumed, no sign, no overflow.
 * On failure they print one line naming the option and the value and return
 * -EINVAL (or -ERANGE).
 */
int cli_parse_u64(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out);
/* Bytes with an optional K, M or G suffix (powers of 1024; "8M", "512K"). */
int cli_parse_size(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out);
/* A size as a user writes it: the largest exact K/M/G suffix ("4K", "1G"), else bytes. */
void cli_size_text(uint64_t v, char *buf, size_t len);
/* Seconds, possibly fractional ("10", "0.5"), > 0. */
int cli_parse_seconds(const char *opt, const char *text, double *out);
/*
 * Splits a comma-separated list into a NULL-terminated array of strings, in
 * one allocation (free the returned pointer). Empty items are an error.
 */
int cli_split_list(const char *opt, const char *text, char ***out);

/* Comma-separated names of the compiled-in engines, with "auto" first. */
void cli_engine_names(char *buf, size_t len);
/*
 * Whether name is an engine scap.h names ("modern_bpf", "bpf", "kmod",
 * "savefile", "synthetic"; "auto" too when allow_auto), built in or not: the
 * library explains itself for one that is known but left out of this build.
 */
bool cli_engine_known(const char *name, bool allow_auto);
/* Whether name is compiled into this library. */
bool cli_engine_built(const char *name);

/* Writes s as a JSON string (quotes included). */
void cli_json_string(FILE *f, const char *s);

/* ---- event output (event_print.c) ---------------------------------------- */

struct cli_printer {
	int fd;                /* where the lines go (stdout) */
	struct scap *h;        /* the handle: its process table adds pid, comm and proc */
	bool json;
	bool flush_each;       /* --line-buffered or a terminal: every line at once (else
	                          the caller flushes when the stream goes idle) */
	char *out;             /* lines waiting to be written */
	size_t out_len, out_cap;
	uint64_t decode_errors;/* parameters that could not be decoded */
	int64_t ts_offset_ns;  /* --wall-clock: the boot time added to each ts (scap_boot_time) */
	uint64_t unwritten;    /* lines a failed write could not deliver */
};

/*
 * Output is buffered here and written with write(2) rather than stdio: the
 * signals that stop a capture are installed without SA_RESTART (so that they
 * interrupt the wait for events), and a write they interrupt must be resumed,
 * not turned into a stream error with a line half written.
 */
int cli_printer_init(struct cli_printer *p, int fd, bool json, size_t out_bytes);
/* Writes what is buffered. 0, or -errno (-EPIPE when the reader went away);
 * on failure the lines left unwritten are added to p->unwritten. */
int cli_printer_flush(struct cli_printer *p);
void cli_printer_free(struct cli_printer *p);
/* Prints one event line. 0, or -errno when the output failed (EPIPE, ENOSPC). */
int cli_print_event(struct cli_printer *p, const struct scap_event *ev, unsigned cpu);

/* Whether the reader of fd went away (a pipe without reader, a socket shut
 * down): asked while the stream is idle, when no write would tell. */
bool cli_output_gone(int fd);

/* ---- the process of --pid (pid_watch.c) ----------------------------------- */

struct cli_pid_watch {
	int pid;               /* 0: no process watched */
	int fd;                /* its pidfd, -1 without one (then kill(pid, 0)) */
};

void cli_pid_watch_open(struct cli_pid_watch *w, int pid);
/* Whether the process has exited (cheap: one poll or kill). */
bool cli_pid_watch_exited(const struct cli_pid_watch *w);
void cli_pid_watch_close(struct cli_pid_watch *w);

#endif
