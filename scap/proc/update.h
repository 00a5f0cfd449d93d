/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The events that keep the process table current (update.c), and which
 * syscalls the engines must deliver for them.
 *
 * The newer source wins: an entry remembers the time of the newest source
 * applied to it (the event's timestamp, or the instant the /proc scan began
 * reading that thread), and an event stamped before that is ignored. The
 * scan runs after the engine has started, so an event that raced it is
 * either older than the scan's reading (the scan saw its effect, or
 * something newer) or newer (it is applied on top). docs/architecture.md
 * has the whole argument.
 */
#ifndef SCAP_PROC_UPDATE_H
#define SCAP_PROC_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "scap/scap.h"
#include "proctable.h"

enum scap_proc_role {
	SCAP_PROC_ROLE_NONE = 0,
	SCAP_PROC_ROLE_CLONE,    /* clone, fork, vfork, clone3: the child-side return */
	SCAP_PROC_ROLE_EXEC,     /* execve, execveat */
	SCAP_PROC_ROLE_CREDS,    /* the set*id family */
	SCAP_PROC_ROLE_CWD,      /* chdir, fchdir */
	SCAP_PROC_ROLE_PROCEXIT, /* procexit */
};

/* Per event code: its role, and where its parameters are (built from the schema). */
struct scap_proc_rows;

/* The rows, made once (thread-safe). */
const struct scap_proc_rows *scap_proc_rows_get(void);

/* The role of an event code (SCAP_PROC_ROLE_NONE for the rest and for bad codes). */
enum scap_proc_role scap_proc_role(const struct scap_proc_rows *r, uint16_t code);

/*
 * Marks in sel[SCAP_NR_SYSCALLS] every syscall whose rows update the table,
 * and sets *procexit. Returns how many syscalls were not marked before.
 */
unsigned scap_proc_select(const struct scap_proc_rows *r, uint8_t *sel, bool *procexit);

/*
 * Applies one event (in stream order) to the table. exit_copy (optional) is
 * the exit event as the driver wrote it when ev was paired: execve's argv is
 * taken from it (the new image's, as /proc/<pid>/cmdline shows it, rather
 * than the caller's array).
 */
void scap_proc_apply(struct scap_proctable *t, const struct scap_proc_rows *r, const struct scap_evt_hdr *ev,
		     const struct scap_evt_hdr *exit_copy);

#endif
