/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event filter of the core: the syscall selection and the pid filter
 * (scap_open_opts.syscalls and .pid) applied in user space, to the events of
 * engines that do not filter in the kernel (savefile, synthetic: engines
 * without SCAP_ENGINE_F_LIVE). The live engines apply the same selection in
 * their kernel half; this file gives the identical answer for their events,
 * so a part of the core that makes a live engine capture more than the
 * caller selected (the process table needs process lifecycle events) can
 * hide the extra events with it. Not a public header.
 */
#ifndef SCAP_FILTER_FILTER_H
#define SCAP_FILTER_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "scap/common/event_layout.h"
#include "scap/common/schema.h"

struct scap_engine_config;

struct scap_filter {
	bool by_syscall;                    /* false: every syscall passes */
	bool procexit;                      /* by_syscall: procexit (a kernel event, no syscall) passes */
	int32_t pid;                        /* tgid that passes; 0: every process */
	uint8_t selected[SCAP_NR_SYSCALLS]; /* by_syscall: 1 = this syscall number passes */
};

/*
 * Takes the selection of cfg (all_syscalls, selected, procexit, pid) by value, so that
 * a later change of cfg (widening what the kernel captures) leaves the
 * caller's selection as it was.
 */
void scap_filter_init(struct scap_filter *f, const struct scap_engine_config *cfg);

/* Whether the filter can leave anything out (a selection or a pid). */
static inline bool scap_filter_active(const struct scap_filter *f)
{
	return f->by_syscall || f->pid != 0;
}

/*
 * The syscall number an event belongs to (its schema row's, or the generic
 * event's syscall parameter), or -1 for an event that is no syscall's or a
 * generic event without a readable number.
 */
int scap_filter_syscall_of(const struct scap_evt_hdr *ev);

/*
 * Whether ev passes: its process is the pid (when set) and its syscall is
 * selected (when selecting). procexit, a kernel event, passes when it was
 * selected by its name; any other event of no syscall only when every
 * syscall is selected. Cost: a few loads and compares; the generic event
 * also decodes its syscall parameter (bounds-checked).
 */
bool scap_filter_pass(const struct scap_filter *f, const struct scap_evt_hdr *ev);

#endif
