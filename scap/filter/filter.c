// SPDX-License-Identifier: Apache-2.0
/* The core's event filter: see filter.h. */
#include <string.h>

#include "scap/filter/filter.h"
#include "scap/engine.h"

/* Syscall number of each event row, from the schema at compile time. */
static const int16_t row_syscall[SCAP_EV_MAX] = {
#define SCAP_EVENT(code, sc, ...) [SCAP_EV_##code] = SCAP_NR_##sc,
#include "scap/common/events.def"
#undef SCAP_EVENT
};

/* The generic event's "syscall" parameter (SYSCALLID), found in its row. */
static int generic_syscall_param(void)
{
	const struct scap_event_info *info = scap_event_info(SCAP_EV_GENERIC_X);

	for (unsigned i = 0; info && i < info->nparams; i++)
		if (info->params[i].type == SCAP_PT_SYSCALLID)
			return (int)i;
	return -1;
}

void scap_filter_init(struct scap_filter *f, const struct scap_engine_config *cfg)
{
	memset(f, 0, sizeof(*f));
	f->by_syscall = !cfg->all_syscalls;
	f->procexit = cfg->procexit;
	f->pid = cfg->pid;
	if (f->by_syscall)
		memcpy(f->selected, cfg->selected, sizeof(f->selected));
}

int scap_filter_syscall_of(const struct scap_evt_hdr *ev)
{
	struct scap_param p;
	int idx;

	if (ev->type >= SCAP_EV_MAX)
		return -1;
	if (ev->type != SCAP_EV_GENERIC_X)
		return row_syscall[ev->type] >= 0 ? row_syscall[ev->type] : -1; /* a kernel event: none */
	idx = generic_syscall_param();
	if (idx < 0 || scap_event_param((const struct scap_event *)ev, (unsigned)idx, &p) < 0 || !p.len)
		return -1;
	return p.v.u < SCAP_NR_SYSCALLS ? (int)p.v.u : -1;
}

bool scap_filter_pass(const struct scap_filter *f, const struct scap_evt_hdr *ev)
{
	int nr;

	if (f->pid && ev->pid != (uint32_t)f->pid)
		return false;
	if (!f->by_syscall)
		return true;
	if (ev->type == SCAP_EV_PROCEXIT_E)
		return f->procexit;
	nr = scap_filter_syscall_of(ev);
	return nr >= 0 && f->selected[nr];
}
