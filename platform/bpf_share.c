// SPDX-License-Identifier: Apache-2.0
/*
 * A new load of an eBPF engine's programs beside the running one (scap_set_*)
 * uses the running load's maps (buffers, counters, scratch, per-thread
 * state): all of them but the load's own tables and its globals.
 */
#include <stdbool.h>
#include <string.h>

#include "platform.h"

int scap_platform_bpf_share_maps(struct bpf_object *obj, const struct bpf_object *from, const char *const *own)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		const struct bpf_map *src;
		bool mine = bpf_map__is_internal(map);
		int err;

		for (const char *const *o = own; *o && !mine; o++)
			mine = !strcmp(*o, name);
		if (mine)
			continue;
		src = bpf_object__find_map_by_name(from, name);
		if (!src || bpf_map__fd(src) < 0)
			continue;
		err = bpf_map__reuse_fd(map, bpf_map__fd(src));
		if (err)
			return err;
	}
	return 0;
}
