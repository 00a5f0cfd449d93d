/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The helpers both bpf objects read memory with (SCAP_FILL_READ_*, used by
 * drivers/common/bpf/ and the dispatchers).
 *
 * s390 has separate user and kernel address spaces: its kernels offer no
 * bpf_probe_read/_str at all (since 5.8, ARCH_HAS_NON_OVERLAPPING_ADDRESS_SPACE
 * unset), only the typed helpers of 5.5, below its floor (6.1). Everywhere
 * else the untyped helpers: the typed ones are missing before 5.5, which the
 * BTF-free object's floor (4.14) and Ubuntu's 5.4 with BTF are below.
 */
#ifndef SCAP_BPF_READ_H
#define SCAP_BPF_READ_H

#if defined(__TARGET_ARCH_s390)
#define SCAP_FILL_READ_USER bpf_probe_read_user
#define SCAP_FILL_READ_USER_STR bpf_probe_read_user_str
#define SCAP_FILL_READ_KERNEL bpf_probe_read_kernel
#define SCAP_FILL_READ_KERNEL_STR bpf_probe_read_kernel_str
#else
#define SCAP_FILL_READ_USER bpf_probe_read
#define SCAP_FILL_READ_USER_STR bpf_probe_read_str
#define SCAP_FILL_READ_KERNEL bpf_probe_read
#define SCAP_FILL_READ_KERNEL_STR bpf_probe_read_str
#endif

#endif
