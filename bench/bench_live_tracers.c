// SPDX-License-Identifier: Apache-2.0
/*
 * Counts the tracing BPF programs loaded on the host. On a shared machine
 * another capture may be attached while the baseline runs, which slows the
 * baseline and flatters the ratios: the table says so instead of hiding it.
 * Likewise kernel.bpf_stats_enabled, left on by a profiling session, makes
 * every BPF program run read the clock twice more and understates the ratios.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench_live.h"

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static bool is_tracing(__u32 type)
{
	return type == BPF_PROG_TYPE_TRACING || type == BPF_PROG_TYPE_RAW_TRACEPOINT ||
	       type == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE || type == BPF_PROG_TYPE_TRACEPOINT ||
	       type == BPF_PROG_TYPE_KPROBE;
}

int bl_foreign_tracers(void)
{
	__u32 id = 0;
	int n = 0;

	for (unsigned guard = 0; guard < 100000; guard++) {
		struct bpf_prog_info info;
		union bpf_attr a;
		long fd;

		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (sys_bpf(BPF_PROG_GET_NEXT_ID, &a) < 0)
			return errno == ENOENT ? n : -1;
		id = a.next_id;
		memset(&a, 0, sizeof(a));
		a.prog_id = id;
		fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = (__u32)fd;
		a.info.info_len = sizeof(info);
		a.info.info = (__u64)(unsigned long)&info;
		if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) == 0 && is_tracing(info.type))
			n++;
		close((int)fd);
	}
	return n;
}

int bl_bpf_stats_enabled(void)
{
	char v = '0';
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");

	if (!f)
		return -1;
	if (fread(&v, 1, 1, f) != 1)
		v = '?';
	fclose(f);
	return v == '0' ? 0 : v == '1' ? 1 : -1;
}
