/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences between the oldest kernel the module builds on
 * (see docs/engines.md) and today's. Every shim names the release that
 * brought the newer API, so a shim can go when that release is the floor.
 * Distribution kernels backport headers: a shim for a whole header tests
 * for the header itself rather than for the version.
 */
#ifndef SCAP_COMPAT_H
#define SCAP_COMPAT_H

#include <linux/version.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/poll.h>
#include <linux/compat.h>
#include <linux/cgroup.h>
#include <linux/ktime.h>
#include <linux/string.h>
#include <asm/syscall.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 4, 0)
#error "scap.ko builds on Linux 4.4 or newer; use the bpf engine on older kernels"
#endif

/* <linux/sched/mm.h> split out of <linux/sched.h> in 4.11. */
#if __has_include(<linux/sched/mm.h>)
#include <linux/sched/mm.h>
#else
#include <linux/sched.h>
#endif

/*
 * mmap_read_trylock and <linux/mmap_lock.h> arrived in 5.8 (Ubuntu's 5.4
 * has the header as a backport); before, the lock is mm->mmap_sem.
 */
#if __has_include(<linux/mmap_lock.h>)
#include <linux/mmap_lock.h>
#else
static inline bool mmap_read_trylock(struct mm_struct *mm)
{
	return down_read_trylock(&mm->mmap_sem) != 0;
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
	up_read(&mm->mmap_sem);
}
#endif

/*
 * The page cache index of addr in a file mapping that is not hugetlb.
 * linear_page_index calls linear_hugepage_index for hugetlb mappings,
 * which 4.4 does not export (4.15 does): the caller excludes those, so
 * the plain formula is the same there.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 15, 0)
static inline pgoff_t scap_page_index(struct vm_area_struct *vma, unsigned long addr)
{
	return ((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}
#else
#define scap_page_index(vma, addr) linear_page_index(vma, addr)
#endif

/* access_ok lost its VERIFY_READ/VERIFY_WRITE argument in 5.0. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 0, 0)
#define scap_access_ok(addr, size) access_ok(VERIFY_READ, addr, size)
#else
#define scap_access_ok(addr, size) access_ok(addr, size)
#endif

/*
 * copy_from_user_nofault arrived in 5.8 (probe_user_read before it, from
 * 5.3 only). The probes run with preemption disabled: this is what
 * probe_user_read does, a copy that fails instead of faulting a page in,
 * checked against the user address limit whatever the caller had set.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 8, 0)
static inline long copy_from_user_nofault(void *dst, const void __user *src, size_t size)
{
	mm_segment_t old_fs = get_fs();
	unsigned long left = size;

	set_fs(USER_DS);
	if (scap_access_ok(src, size)) {
		pagefault_disable();
		left = __copy_from_user_inatomic(dst, src, size);
		pagefault_enable();
	}
	set_fs(old_fs);
	return left ? -EFAULT : 0;
}
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

/* ktime_get_boottime_ns was ktime_get_boot_ns before 5.3. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 3, 0)
#define ktime_get_boottime_ns() ktime_get_boot_ns()
#endif

/* syscall_get_arguments took a first argument and a count before 5.1. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 1, 0)
#define scap_syscall_get_arguments(task, regs, args) \
	syscall_get_arguments(task, regs, 0, 6, args)
#else
#define scap_syscall_get_arguments(task, regs, args) \
	syscall_get_arguments(task, regs, args)
#endif

/* kvcalloc arrived in 4.18, kvmalloc_array in 4.12. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 12, 0)
static inline void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return vzalloc(n * size);
}
#elif LINUX_VERSION_CODE < KERNEL_VERSION(4, 18, 0)
#define kvcalloc(n, size, flags) kvmalloc_array(n, size, (flags) | __GFP_ZERO)
#endif

/* __poll_t and the EPOLL* values for f_op->poll arrived in 4.16. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 16, 0)
#define scap_poll_t unsigned int
#define SCAP_POLL_READABLE (POLLIN | POLLRDNORM)
#else
#define scap_poll_t __poll_t
#define SCAP_POLL_READABLE (EPOLLIN | EPOLLRDNORM)
#endif

/*
 * timer_setup and from_timer arrived in 4.15; before, the callback took
 * an unsigned long, here the timer's own address. x86_64 passes both in
 * the same register, and these kernels have no control-flow integrity
 * checks on indirect calls.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 15, 0)
#define timer_setup(timer, fn, flags) \
	setup_timer(timer, (void (*)(unsigned long))(void *)(fn), (unsigned long)(timer))
#define from_timer(var, t, field) container_of(t, typeof(*var), field)
#endif

/*
 * wq_has_sleeper arrived in 4.5: the barrier orders the ring's head,
 * written before, against the waiter's check of the queue. Named apart:
 * before 4.5 <net/sock.h> has a wq_has_sleeper of its own, for socket_wq.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 5, 0)
static inline bool scap_wq_has_sleeper(wait_queue_head_t *wq)
{
	smp_mb();
	return waitqueue_active(wq);
}
#else
#define scap_wq_has_sleeper(wq) wq_has_sleeper(wq)
#endif

/* in_compat_syscall was is_compat_task before 4.6. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 6, 0)
#define in_compat_syscall() is_compat_task()
#endif

/*
 * The cgroup v2 path of task into buf (RCU held): its length
 * as snprintf would give it, or a negative error. task_dfl_cgroup arrived
 * in 4.5 as the css_set's dfl_cgrp, which 4.4 already has (v2 was still
 * a development option there: every task is in its root, "/");
 * cgroup_path returned a pointer to a path written at the end of buf
 * until 4.8.
 */
#ifdef CONFIG_CGROUPS
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 5, 0)
#define task_dfl_cgroup(task) (task_css_set(task)->dfl_cgrp)
#endif

static inline int scap_cgroup_path(struct task_struct *task, char *buf, size_t len)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 8, 0)
	char *p = cgroup_path(task_dfl_cgroup(task), buf, len);
	size_t n;

	if (!p)
		return -ENAMETOOLONG;
	n = strlen(p);
	memmove(buf, p, n + 1);
	return n;
#else
	return cgroup_path(task_dfl_cgroup(task), buf, len);
#endif
}
#endif

#endif
