/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences between the oldest kernel the module is verified
 * on (see docs/engines.md) and today's. Every shim names the release that
 * brought the newer API, so a shim can go when that release is the floor.
 */
#ifndef SCAP_COMPAT_H
#define SCAP_COMPAT_H

#include <linux/version.h>
#include <linux/highmem.h>

/*
 * Older kernels are refused at build time: nobody has booted one with the
 * module yet, and the code uses copy_from_user_nofault and
 * mmap_read_trylock (both 5.8) without shims.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "scap.ko builds on Linux 5.10 or newer; use the bpf engine on older kernels"
#endif

/*
 * kmap_local_page arrived in 5.11. The probes run with preemption
 * disabled, so kmap_atomic is equivalent there (and a plain
 * page_address on x86_64, which has no highmem).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
#define kmap_local_page(page) kmap_atomic(page)
#define kunmap_local(addr) kunmap_atomic((void *)(addr))
#endif

#endif
