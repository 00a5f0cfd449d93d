/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The syscall numbers of another architecture, for capture files recorded
 * there (docs/capture-file-format.md, "Another architecture"). A generic
 * event carries the recording host's syscall number; replayed on a host of
 * another architecture it is renumbered by name into this library's table,
 * so that its name, its selection and its `syscall` value mean the same
 * syscall as on the recording host.
 */
#ifndef SCAP_CAPFILE_SYSCALL_ARCH_H
#define SCAP_CAPFILE_SYSCALL_ARCH_H

#include <stdint.h>

/*
 * The map from arch's syscall numbers (arch as `uname -m` names it) to this
 * library's: (*map)[nr] is this library's number of the syscall arch
 * numbers nr, or SCAP_SYSCALL_NO_NATIVE when this architecture has no
 * syscall of that name (or arch has none of that number); *n entries,
 * allocated, the caller frees it. 0 with *map NULL when arch is this
 * library's own architecture (nothing to do); -ENOENT when scap has no table
 * for arch; -ENOMEM.
 */
#define SCAP_SYSCALL_NO_NATIVE UINT32_MAX
int scap__syscall_arch_map(const char *arch, uint32_t **map, uint32_t *n);

/* The architectures scap has tables for, as uname -m names them, comma-separated. */
extern const char scap__syscall_arch_names[];

#endif
