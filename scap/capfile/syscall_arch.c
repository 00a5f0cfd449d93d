// SPDX-License-Identifier: Apache-2.0
/*
 * Every architecture's syscall table (drivers/common/syscalls_<arch>.def,
 * generated from that architecture's uapi headers), by name only: a few KB
 * of string pointers, used once per replayed file of another architecture.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scap/scap.h"
#include "scap/common/arch.h"
#include "syscall_arch.h"

#define SCAP_SYSCALL(nr, name) [nr] = #name,
#define SCAP_SYSCALL_ABSENT(name)
static const char *const names_x86_64[] = {
#include "scap/common/syscalls_x86_64.def"
};
static const char *const names_aarch64[] = {
#include "scap/common/syscalls_aarch64.def"
};
static const char *const names_ppc64le[] = {
#include "scap/common/syscalls_ppc64le.def"
};
static const char *const names_s390x[] = {
#include "scap/common/syscalls_s390x.def"
};
static const char *const names_riscv64[] = {
#include "scap/common/syscalls_riscv64.def"
};
#undef SCAP_SYSCALL
#undef SCAP_SYSCALL_ABSENT

#define ARCH(a) { #a, names_##a, sizeof(names_##a) / sizeof(names_##a[0]) }
static const struct {
	const char *arch;
	const char *const *names;
	uint32_t n;
} arches[] = { ARCH(x86_64), ARCH(aarch64), ARCH(ppc64le), ARCH(s390x), ARCH(riscv64) };
#undef ARCH

const char scap__syscall_arch_names[] = "x86_64, aarch64, ppc64le, s390x, riscv64";

int scap__syscall_arch_map(const char *arch, uint32_t **map, uint32_t *n)
{
	unsigned a;

	*map = NULL;
	*n = 0;
	if (!strcmp(arch, SCAP_ARCH_NAME))
		return 0;
	for (a = 0; a < sizeof(arches) / sizeof(arches[0]); a++)
		if (!strcmp(arch, arches[a].arch))
			break;
	if (a == sizeof(arches) / sizeof(arches[0]))
		return -ENOENT;
	*map = malloc(arches[a].n * sizeof(**map));
	if (!*map)
		return -ENOMEM;
	for (uint32_t i = 0; i < arches[a].n; i++) {
		int nr = arches[a].names[i] ? scap_syscall_nr(arches[a].names[i]) : -1;

		(*map)[i] = nr < 0 ? SCAP_SYSCALL_NO_NATIVE : (uint32_t)nr;
	}
	*n = arches[a].n;
	return 0;
}
