/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a thread from /proc: the files of /proc/<pid>/task/<tid> (and the
 * process's exe and cmdline), parsed into plain values. The parsers take
 * text so that unit tests can feed them files from other hosts. The process
 * table's scan (scap/proc/scan.c) walks /proc with these.
 */
#ifndef SCAP_PLATFORM_PROCFS_H
#define SCAP_PLATFORM_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Bits of scap_procfs_thread.have. */
#define SCAP_PROCFS_STAT   0x1u /* comm, state, ppid, start_ticks */
#define SCAP_PROCFS_STATUS 0x2u /* pid, uid, gid, euid, egid */
#define SCAP_PROCFS_NS     0x4u /* vtid, vpid (NSpid, NStgid: Linux 4.1) */
#define SCAP_PROCFS_LOGINUID 0x8u

struct scap_procfs_thread {
	unsigned have;
	uint32_t tid, pid, ppid, vtid, vpid;
	uint32_t uid, gid, euid, egid, loginuid;
	uint64_t start_ticks;        /* since boot, in sysconf(_SC_CLK_TCK) units */
	char state;                  /* R, S, D, Z, X, ... */
	char comm[16];               /* as the kernel keeps it (stat's, not status's escaped Name) */
};

/*
 * /proc/<pid>/stat text: comm (between the first "(" and the last ")": a
 * comm may hold both), state, ppid, starttime. 0 or -EINVAL.
 */
int scap_procfs_parse_stat(const char *text, size_t len, struct scap_procfs_thread *t);
/* /proc/<pid>/status text: Tgid, Uid, Gid, NStgid, NSpid. 0 or -EINVAL (no Uid/Gid). */
int scap_procfs_parse_status(const char *text, size_t len, struct scap_procfs_thread *t);

/*
 * The cgroup of a /proc/<pid>/cgroup text by the engines' rule
 * (drivers/common/bpf/fill_derived.h, scap_fill_cgroup): the cgroup v2 path
 * ("0::<path>"), or, when that is "/" or absent (a host with v1 hierarchies
 * only, or v2 mounted but the task in its root), the v1 memory controller's
 * path when there is one, else "/": the root of v2, where every task is
 * until someone makes cgroups (the kernel shows no "0::" line until cgroup2
 * is first mounted). Writes it NUL-terminated to out (cut to len) and
 * returns its length.
 */
int scap_procfs_cgroup_pick(const char *text, size_t len, char *out, size_t outlen);

/*
 * argv as the kernel side delivers an image's (execve's exit): at most
 * SCAP_MAX_ARGV_LEN - 1 bytes (with the array's own NUL that events add, the
 * value's SCAP_MAX_ARGV_LEN) and SCAP_MAX_ARGV_ITEMS strings, the last byte a
 * NUL. Cuts buf[0..len) in place and returns the length kept; *truncated
 * when something was cut (including when more than len was there: the
 * caller says so with more).
 */
size_t scap_procfs_argv_cut(char *buf, size_t len, bool more, bool *truncated);

/* ---- reading (dirfd: an open /proc/<pid>/task/<tid> or /proc/<pid>) ---- */

/* stat, status: fills t (have says what was read). 0, or -errno when stat could not be read. */
int scap_procfs_read_thread(int dirfd, struct scap_procfs_thread *t);
/* loginuid: 0 or -errno. */
int scap_procfs_read_loginuid(int dirfd, uint32_t *out);
/*
 * A symlink (exe, cwd) into buf, NUL-terminated, without the " (deleted)"
 * the kernel appends for an unlinked file (the engines' path walks do not
 * add it). Returns its length or -errno (-ENAMETOOLONG when it does not fit).
 */
ssize_t scap_procfs_readlink(int dirfd, const char *name, char *buf, size_t len);
/* cmdline cut as scap_procfs_argv_cut; buf holds at least SCAP_MAX_ARGV_LEN bytes. Length or -errno. */
ssize_t scap_procfs_read_cmdline(int dirfd, char *buf, size_t len, bool *truncated);
/* cgroup by scap_procfs_cgroup_pick. Length or -errno. */
ssize_t scap_procfs_read_cgroup(int dirfd, char *buf, size_t len);

/* Nanoseconds per clock tick of start_ticks. */
uint64_t scap_procfs_tick_ns(void);

#endif
