/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only OR MIT */
/*
 * The contract between the scap kernel module and its user-space engine
 * (engines/kmod/): the device, its ioctls and the layout of the mmapped
 * per-CPU rings. Both sides include this file; every struct is checked
 * with _Static_assert so that a 32/64-bit or compiler difference cannot
 * silently change it.
 *
 * Device: /dev/scap (misc device, mode 0600). One opener at a time: opening
 * allocates one ring per possible CPU and registers the tracepoint probes;
 * the last close unregisters them and frees the rings.
 *
 * Rings: CPU c is mapped with one mmap() of SCAP_KMOD_MAP_LEN(buffer_bytes)
 * bytes at offset SCAP_KMOD_MAP_OFFSET(c), PROT_READ|PROT_WRITE, MAP_SHARED:
 *
 *   +----------------------------+ 0
 *   | struct scap_kmod_ctrl      |   one page: head (kernel), tail (user),
 *   +----------------------------+   counters
 *   | data, buffer_bytes         | page_size
 *   +----------------------------+
 *   | the same data pages again  | page_size + buffer_bytes
 *   +----------------------------+ page_size + 2 * buffer_bytes
 *
 * head and tail are free-running byte counters; the unread bytes are
 * [tail, head), at data + (tail & (buffer_bytes - 1)). Because the data is
 * mapped twice back to back an event that wraps reads in one piece. Each
 * event starts 8-byte aligned and occupies SCAP_KMOD_ALIGN(hdr.len) bytes.
 * The kernel publishes head with a release store after the event is
 * complete; user space reads head with an acquire load, reads the events,
 * then publishes tail with a release store to hand the space back.
 */
#ifndef SCAP_KMOD_API_H
#define SCAP_KMOD_API_H

#if defined(__KERNEL__)
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <sys/ioctl.h>
#include <stdint.h>
#endif

#include "../common/scap_types.h"
#include "../common/event_layout.h"

/* Bumped whenever anything in this file changes meaning. */
#define SCAP_KMOD_API_VERSION 3u

#define SCAP_KMOD_DEVICE_NAME "scap"
#define SCAP_KMOD_DEVICE_PATH "/dev/scap"
#define SCAP_KMOD_MODULE_NAME "scap"

/* Buffer size bounds (module parameter buffer_bytes): a power of two. */
#define SCAP_KMOD_MIN_BUFFER (128u * 1024u) /* > SCAP_MAX_EVENT_LEN: an event always fits */
#define SCAP_KMOD_MAX_BUFFER (256u * 1024u * 1024u)
#define SCAP_KMOD_DEFAULT_BUFFER (8u * 1024u * 1024u)

/* Events start 8-byte aligned in the ring. */
#define SCAP_KMOD_ALIGN(len) (((len) + 7u) & ~7u)

/* mmap offsets: one window of 4 GiB per CPU (the rings are 64-bit only). */
#define SCAP_KMOD_MAP_STRIDE (1ull << 32)
#define SCAP_KMOD_MAP_OFFSET(cpu) ((scap_u64)(cpu) * SCAP_KMOD_MAP_STRIDE)
#define SCAP_KMOD_MAP_LEN(page_size, buffer_bytes) \
	((scap_u64)(page_size) + 2ull * (scap_u64)(buffer_bytes))

/*
 * The control page. head and tail sit on their own cache lines so that the
 * producer and the consumer do not share one.
 */
struct scap_kmod_ctrl {
	scap_u64 head;              /* written by the kernel only */
	scap_u64 pad0[7];
	scap_u64 tail;              /* written by user space only */
	scap_u64 pad1[7];
	scap_u64 events;            /* events stored in this ring */
	scap_u64 drops_buffer_full; /* events lost: the ring had no room */
	scap_u64 drops_other;       /* events lost: corrupt tail, nested probe */
	scap_u32 buffer_bytes;      /* size of the data area */
	scap_u32 cpu;               /* the CPU this ring serves */
};

SCAP_STATIC_ASSERT(sizeof(struct scap_kmod_ctrl) == 160, "ctrl page layout");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_kmod_ctrl, head) == 0, "head at 0");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_kmod_ctrl, tail) == 64, "tail at 64");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_kmod_ctrl, events) == 128, "events at 128");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_kmod_ctrl, buffer_bytes) == 152, "size at 152");

/* SCAP_KMOD_IOC_INFO: what the loaded module is and how its rings look. */
struct scap_kmod_info {
	scap_u32 api_version;    /* SCAP_KMOD_API_VERSION */
	scap_u32 layout_version; /* SCAP_EVENT_LAYOUT_VERSION */
	scap_u32 ev_max;         /* SCAP_EV_MAX of the schema it was built from */
	scap_u32 nr_syscalls;    /* SCAP_NR_SYSCALLS */
	scap_u32 nr_cpu_ids;     /* ring CPU ids are 0 .. nr_cpu_ids - 1 */
	scap_u32 buffer_bytes;   /* data bytes per ring */
	scap_u32 page_size;
	scap_u32 reserved;
};

SCAP_STATIC_ASSERT(sizeof(struct scap_kmod_info) == 32, "info layout");

/*
 * SCAP_KMOD_IOC_SET_SYSCALLS: what to capture. Bit n of bitmap set = syscall
 * number n; kevents: the kernel events that are not syscalls
 * (SCAP_KMOD_KEV_*). An unknown kevents bit or a reserved field that is not
 * zero is EINVAL. The module registers the probes of the sched tracepoints a
 * selection needs (sched_process_exit for procexit, sched_process_exec for
 * execve's old_tid) when it first needs them, and keeps them until the last
 * close; a missing tracepoint is ENOENT, and the selection is applied anyway.
 * Also while capturing: the new selection takes effect for every syscall at
 * one instant, and the ioctl returns once no probe applies the old one.
 */
struct scap_kmod_syscalls {
	scap_u8 bitmap[512 / 8];
	scap_u32 kevents;
	scap_u32 reserved;
};
#define SCAP_KMOD_KEV_PROCEXIT 0x1u  /* SCAP_EV_PROCEXIT_E: every thread that ends */
#define SCAP_KMOD_KEV_ALL SCAP_KMOD_KEV_PROCEXIT

SCAP_STATIC_ASSERT(sizeof(struct scap_kmod_syscalls) == 72, "selection layout");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_kmod_syscalls, kevents) == 64, "kevents at 64");
SCAP_STATIC_ASSERT(__builtin_offsetof(struct scap_kmod_syscalls, reserved) == 68, "reserved at 68");

/* SCAP_KMOD_IOC_STATS: the counters of one ring (cpu in, the rest out). */
struct scap_kmod_stats {
	scap_u32 cpu;
	scap_u32 reserved;
	scap_u64 events;
	scap_u64 drops_buffer_full;
	scap_u64 drops_other;
};

SCAP_STATIC_ASSERT(sizeof(struct scap_kmod_stats) == 32, "stats layout");

#define SCAP_KMOD_IOC_MAGIC 0xC5
#define SCAP_KMOD_IOC_INFO _IOR(SCAP_KMOD_IOC_MAGIC, 1, struct scap_kmod_info)
#define SCAP_KMOD_IOC_START _IO(SCAP_KMOD_IOC_MAGIC, 2)
#define SCAP_KMOD_IOC_STOP _IO(SCAP_KMOD_IOC_MAGIC, 3)
#define SCAP_KMOD_IOC_SET_SYSCALLS _IOW(SCAP_KMOD_IOC_MAGIC, 4, struct scap_kmod_syscalls)
#define SCAP_KMOD_IOC_SET_SNAPLEN _IOW(SCAP_KMOD_IOC_MAGIC, 5, scap_u32)
#define SCAP_KMOD_IOC_STATS _IOWR(SCAP_KMOD_IOC_MAGIC, 6, struct scap_kmod_stats)
/* Capture only this thread group (tgid in the initial namespace); 0 = all. */
#define SCAP_KMOD_IOC_SET_PID _IOW(SCAP_KMOD_IOC_MAGIC, 7, scap_s32)
/* Leave out this thread (the consumer's own syscalls); 0 = leave out none. */
#define SCAP_KMOD_IOC_SET_SELF_TID _IOW(SCAP_KMOD_IOC_MAGIC, 8, scap_s32)

#endif
