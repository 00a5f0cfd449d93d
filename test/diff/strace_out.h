/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strace's output, as the differential test asks for it:
 *
 *   strace -f -ff -o DIR/t -qq -e signal=none -X raw -xx -v -s N -n -- CMD
 *
 * one file per thread (t.<tid>), one line per syscall, in the thread's order:
 *
 *   [ 257] openat(-100, "\x2f\x65\x74\x63", 0x80000) = 3
 *   [   0] read(3, 0x7ffd..., 16) = -1 EBADF (Bad file descriptor)
 *   [ 231] exit_group(0) = ?
 *
 * Every string is hex-escaped (-xx) and every constant a number (-X raw), so
 * a value is read back byte for byte without knowing strace's symbol tables.
 * An argument is kept as its text; the helpers below decode the forms the
 * comparison needs.
 */
#ifndef SCAP_TEST_DIFF_STRACE_OUT_H
#define SCAP_TEST_DIFF_STRACE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_MAX_ARGS 8

struct st_call {
	int nr;                     /* the [ nr] prefix */
	char name[40];
	unsigned nargs;
	char *args[ST_MAX_ARGS];    /* each top-level argument's text, comments removed */
	bool ret_known;             /* false for "= ?" without an errno (exit_group, ...) */
	int64_t ret;                /* -errno for "= -1 EXXX" and "= ? ERESTART*" */
	unsigned line;              /* in its file, for messages */
};

struct st_thread {
	int tid;
	struct st_call *calls;
	size_t n, cap;
};

/*
 * Parses one strace output file. Lines that are not calls (signals, exits,
 * which the options above suppress anyway) are skipped. 0, or -1 with the
 * reason in why.
 */
int st_parse_file(const char *path, struct st_thread *t, char *why, size_t whylen);
/* Parses one line into c (args allocated); 0, or -1 when it is not a call. */
int st_parse_line(const char *line, struct st_call *c);
void st_call_free(struct st_call *c);
void st_thread_free(struct st_thread *t);

/* The errno of a name strace prints (ENOENT, ERESTARTSYS, ...); 0 if unknown. */
int st_errno(const char *name);

/*
 * A number as strace prints it: decimal, 0x hex, 0 octal, negative, NULL,
 * or several ORed with '|' (-X raw flags). false for anything else.
 */
bool st_num(const char *arg, uint64_t *v);

/*
 * A quoted string "\x2f..." (hex or C escapes) into out (*n bytes). *more is
 * set when strace cut it ("..." after the quote). false when arg is not a
 * string. out must hold strlen(arg) bytes.
 */
bool st_str(const char *arg, uint8_t *out, size_t *n, bool *more);

/*
 * The elements of an array "[a, b, ...]" as pointers into a copy (freed with
 * free(*items)); *more when strace ended it with "...". false when arg is
 * not an array.
 */
bool st_array(const char *arg, char ***items, size_t *n, bool *more);

/*
 * The text of field `name` of a structure "{a=1, b="x"}" (or of a top-level
 * "name=value" argument list, as clone's) into out; false when absent.
 */
bool st_field(const char *arg, const char *name, char *out, size_t len);

/* Whether the text is an address strace printed instead of the memory it could not read. */
bool st_is_addr(const char *arg);

#endif
