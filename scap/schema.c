// SPDX-License-Identifier: Apache-2.0
/* User-space schema tables, expanded from drivers/common/events.def. */
#include <stddef.h>
#include <string.h>

#include "scap/scap.h"
#include "schema_internal.h"

/* Same shape as scap_event_info.params[i], to count a row's parameters. */
struct scap__pdesc {
	const char *name;
	enum scap_param_type type;
	unsigned src;
	unsigned aux;
};

static const struct scap_event_info event_infos[SCAP_EV_MAX] = {
#define P(n, t, s, a) { #n, SCAP_PT_##t, s, a }
#define SCAP_EVENT(code, sc, d, cat, fl, ...)                                      \
	[SCAP_EV_##code] = {                                                       \
		.name = SCAP_NR_##sc == SCAP_NR_none ? "syscall" : #sc,            \
		.syscall_nr = SCAP_NR_##sc == SCAP_NR_ABSENT ? SCAP_NR_ABSENT       \
			      : SCAP_NR_##sc < 0 ? -1 : SCAP_NR_##sc,               \
		.dir = SCAP_DIR_##d,                                               \
		.category = SCAP_CAT_##cat,                                        \
		.flags = (fl),                                                     \
		.nparams = SCAP_COUNT_PARAMS(struct scap__pdesc, __VA_ARGS__),     \
		.params = { __VA_ARGS__ },                                         \
	},
#include "scap/common/events.def"
#undef SCAP_EVENT
#undef P
};

/* The drivers' program generators tell kernel events by SCAP_KERNEL_EVENT: it must agree with the flags. */
#define P(n, t, s, a) 0
#define SCAP_EVENT(code, sc, d, cat, fl, ...)                                                  \
	SCAP_STATIC_ASSERT(SCAP_KERNEL_EVENT(sc) == !!((fl) & SCAP_EF_NOT_SYSCALL),            \
			   "SCAP_KERNEL_EVENT(" #sc ") disagrees with the flags of row " #code);
#include "scap/common/events.def"
#undef SCAP_EVENT
#undef P

static const char *const syscall_names[SCAP_NR_SYSCALLS] = {
#define SCAP_SYSCALL(nr, name) [nr] = #name,
#include "scap/common/syscalls.def"
#undef SCAP_SYSCALL
};

const struct scap_event_info *scap_event_info(unsigned code)
{
	return code < SCAP_EV_MAX ? &event_infos[code] : NULL;
}

const char *scap_syscall_name(int nr)
{
	if (nr < 0 || (unsigned)nr >= SCAP_NR_SYSCALLS)
		return NULL;
	return syscall_names[nr];
}

int scap_syscall_nr(const char *name)
{
	unsigned i;

	if (!name)
		return -1;
	for (i = 0; i < SCAP_NR_SYSCALLS; i++)
		if (syscall_names[i] && strcmp(syscall_names[i], name) == 0)
			return (int)i;
	return -1;
}

int scap__event_code_of(int syscall_nr, unsigned dir)
{
	unsigned c;

	for (c = 0; c < SCAP_EV_MAX; c++)
		if (event_infos[c].syscall_nr == syscall_nr && event_infos[c].dir == dir)
			return (int)c;
	return -1;
}
