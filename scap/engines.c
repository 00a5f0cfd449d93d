// SPDX-License-Identifier: Apache-2.0
/*
 * The built-in engines in "auto" preference order. Live engines come first
 * (the most capable first); savefile and synthetic are never chosen by the
 * default "auto" order (see open.c) but are listed so that they open by name.
 */
#include <string.h>

#include "engine.h"

const struct scap_engine_ops *const scap_builtin_engines[] = {
#ifdef SCAP_HAVE_MODERN_BPF
	&scap_engine_modern_bpf,
#endif
#ifdef SCAP_HAVE_BPF
	&scap_engine_bpf,
#endif
#ifdef SCAP_HAVE_KMOD
	&scap_engine_kmod,
#endif
#ifdef SCAP_HAVE_SAVEFILE
	&scap_engine_savefile,
#endif
	&scap_engine_synthetic,
	NULL,
};

const struct scap_engine_ops *scap_engine_find(const char *name)
{
	const struct scap_engine_ops *const *e;

	if (!name)
		return NULL;
	for (e = scap_builtin_engines; *e; e++)
		if (strcmp((*e)->name, name) == 0)
			return *e;
	return NULL;
}

unsigned scap_engine_count(void)
{
	unsigned n = 0;

	while (scap_builtin_engines[n])
		n++;
	return n;
}

const char *scap_engine_name_at(unsigned idx)
{
	return idx < scap_engine_count() ? scap_builtin_engines[idx]->name : NULL;
}
