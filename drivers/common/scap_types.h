/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only OR MIT */
/*
 * Fixed-width integer types for code that is compiled in three worlds: user
 * space (libc), the kernel module (linux/types.h) and eBPF programs (vmlinux.h
 * or linux/types.h). Shared headers use only these names.
 */
#ifndef SCAP_DRIVERS_COMMON_TYPES_H
#define SCAP_DRIVERS_COMMON_TYPES_H

#if defined(__KERNEL__) || defined(__bpf__) || defined(__BPF__)
/* The kernel module and BPF programs get __u8 .. __s64 from their own headers. */
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
typedef __u8 scap_u8;
typedef __u16 scap_u16;
typedef __u32 scap_u32;
typedef __u64 scap_u64;
typedef __s8 scap_s8;
typedef __s16 scap_s16;
typedef __s32 scap_s32;
typedef __s64 scap_s64;
#else
#include <stdint.h>
typedef uint8_t scap_u8;
typedef uint16_t scap_u16;
typedef uint32_t scap_u32;
typedef uint64_t scap_u64;
typedef int8_t scap_s8;
typedef int16_t scap_s16;
typedef int32_t scap_s32;
typedef int64_t scap_s64;
#endif

#if defined(__cplusplus)
#define SCAP_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define SCAP_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif

#endif
