// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scap kernel module: the /dev/scap device, its ioctls, mmap and poll.
 * Opening the device builds a capture session (rings on every possible
 * CPU, probes registered but idle); START/STOP toggle capture; the last
 * close detaches the probes, waits for running ones, then frees the rings.
 * The device holds a module reference while open, so the module cannot go
 * away under a session.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mutex.h>
#include <linux/log2.h>
#include <linux/cpumask.h>
#include <linux/version.h>

#include "scap_kmod.h"

static unsigned int buffer_bytes = SCAP_KMOD_DEFAULT_BUFFER;
module_param(buffer_bytes, uint, 0444);
MODULE_PARM_DESC(buffer_bytes, "bytes of each per-CPU ring: a power of two, 128 KiB .. 256 MiB (default 8 MiB)");

/*
 * Only test/vm/run.sh sets these: it builds modules that claim another API
 * version or schema to check that user space refuses them.
 */
#ifndef SCAP_KMOD_TEST_API_VERSION
#define SCAP_KMOD_TEST_API_VERSION SCAP_KMOD_API_VERSION
#endif
#ifndef SCAP_KMOD_TEST_EV_MAX
#define SCAP_KMOD_TEST_EV_MAX SCAP_EV_MAX
#endif

/*
 * /sys/module/scap/parameters/api_version: lets user space refuse a
 * mismatched module without opening the device (which would allocate the
 * rings). Read-only, also at insmod time.
 */
static int api_version_set(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static int api_version_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%u\n", SCAP_KMOD_TEST_API_VERSION);
}

static const struct kernel_param_ops api_version_ops = {
	.set = api_version_set,
	.get = api_version_get,
};
module_param_cb(api_version, &api_version_ops, NULL, 0444);
MODULE_PARM_DESC(api_version, "the device API version (SCAP_KMOD_API_VERSION), read-only");

/* How often a waiting reader is woken when events trickle in slowly. */
#define SCAP_WAKE_PERIOD_MS 10

static DEFINE_MUTEX(scap_dev_lock); /* one session at a time */
static bool scap_dev_busy;

static DEFINE_MUTEX(scap_ctl_lock); /* serializes ioctls of the session */

static void session_stop_timer(struct scap_session *s)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	timer_delete_sync(&s->timer);
#else
	del_timer_sync(&s->timer);
#endif
}

static bool session_readable(struct scap_session *s)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (s->rings[cpu] && scap_ring_readable(s->rings[cpu]))
			return true;
	return false;
}

static void session_timer(struct timer_list *t)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
	struct scap_session *s = timer_container_of(s, t, timer);
#else
	struct scap_session *s = from_timer(s, t, timer);
#endif

	if (!READ_ONCE(s->capturing))
		return;
	if (scap_wq_has_sleeper(&s->wq) && session_readable(s))
		wake_up_interruptible(&s->wq);
	mod_timer(&s->timer, jiffies + msecs_to_jiffies(SCAP_WAKE_PERIOD_MS));
}

static void session_free(struct scap_session *s)
{
	unsigned int cpu;

	if (s->rings) {
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			scap_ring_free(s->rings[cpu]);
		kfree(s->rings);
	}
	kfree(s);
}

static struct scap_session *session_alloc(void)
{
	struct scap_session *s;
	unsigned int cpu;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->buffer_bytes = buffer_bytes;
	s->snaplen = SCAP_DEFAULT_SNAPLEN;
	bitmap_fill(s->selected[0], SCAP_NR_SYSCALLS);
	init_waitqueue_head(&s->wq);
	timer_setup(&s->timer, session_timer, 0);

	s->rings = kcalloc(nr_cpu_ids, sizeof(*s->rings), GFP_KERNEL);
	if (!s->rings)
		goto fail;
	for_each_possible_cpu(cpu) {
		s->rings[cpu] = scap_ring_alloc(cpu, s->buffer_bytes);
		if (!s->rings[cpu])
			goto fail;
	}
	return s;
fail:
	session_free(s);
	return NULL;
}

static int scap_open(struct inode *inode, struct file *file)
{
	struct scap_session *s;
	int err;

	mutex_lock(&scap_dev_lock);
	if (scap_dev_busy) {
		err = -EBUSY;
		goto out;
	}
	s = session_alloc();
	if (!s) {
		pr_warn("scap: cannot allocate %u-byte rings for %u CPUs; load the module with a smaller buffer_bytes\n",
			buffer_bytes, num_possible_cpus());
		err = -ENOMEM;
		goto out;
	}
	err = scap_probe_attach(s);
	if (err) {
		pr_warn("scap: cannot register the syscall tracepoint probes: %d\n", err);
		session_free(s);
		goto out;
	}
	file->private_data = s;
	scap_dev_busy = true;
out:
	mutex_unlock(&scap_dev_lock);
	return err;
}

static int scap_release(struct inode *inode, struct file *file)
{
	struct scap_session *s = file->private_data;

	WRITE_ONCE(s->capturing, false);
	scap_probe_detach(s); /* waits for every running probe */
	session_stop_timer(s);
	session_free(s);

	mutex_lock(&scap_dev_lock);
	scap_dev_busy = false;
	mutex_unlock(&scap_dev_lock);
	return 0;
}

static long ioctl_info(struct scap_session *s, void __user *arg)
{
	struct scap_kmod_info info = {
		.api_version = SCAP_KMOD_TEST_API_VERSION,
		.layout_version = SCAP_EVENT_LAYOUT_VERSION,
		.ev_max = SCAP_KMOD_TEST_EV_MAX,
		.nr_syscalls = SCAP_NR_SYSCALLS,
		.nr_cpu_ids = nr_cpu_ids,
		.buffer_bytes = s->buffer_bytes,
		.page_size = PAGE_SIZE,
	};

	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long ioctl_stats(struct scap_session *s, void __user *arg)
{
	struct scap_kmod_stats st;
	struct scap_ring *r;

	if (copy_from_user(&st, arg, sizeof(st)))
		return -EFAULT;
	if (st.cpu >= nr_cpu_ids || !s->rings[st.cpu])
		return -ENXIO;
	r = s->rings[st.cpu];
	st.reserved = 0;
	st.events = READ_ONCE(r->events);
	st.drops_buffer_full = READ_ONCE(r->drops_full);
	st.drops_other = READ_ONCE(r->drops_other);
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long ioctl_syscalls(struct scap_session *s, void __user *arg)
{
	struct scap_kmod_syscalls sel;
	unsigned int nr, gen = s->sel_gen ^ 1; /* ioctls take scap_ctl_lock: no other writer */

	if (copy_from_user(&sel, arg, sizeof(sel)))
		return -EFAULT;
	if (sel.kevents & ~SCAP_KMOD_KEV_ALL || sel.reserved)
		return -EINVAL;
	/*
	 * The half no probe reads (the previous change waited for them to
	 * leave it), then one store switches every syscall at once, also while
	 * capturing (scap_set_syscalls).
	 */
	for (nr = 0; nr < SCAP_NR_SYSCALLS; nr++) {
		if (sel.bitmap[nr / 8] & (1u << (nr % 8)))
			__set_bit(nr, s->selected[gen]);
		else
			__clear_bit(nr, s->selected[gen]);
	}
	smp_store_release(&s->sel_gen, gen);
	WRITE_ONCE(s->kevents, sel.kevents);
	/* Probes still testing the old half finish before the next change rewrites it. */
	scap_probe_sync();
	return scap_probe_update(s);
}

/* A pid or tid from user space: 0, -EFAULT or -EINVAL (negative). */
static long get_id(void __user *uarg, s32 *id)
{
	if (get_user(*id, (s32 __user *)uarg))
		return -EFAULT;
	return *id < 0 ? -EINVAL : 0;
}

static long scap_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct scap_session *s = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret = 0;
	u32 snaplen;
	s32 id;

	mutex_lock(&scap_ctl_lock);
	switch (cmd) {
	case SCAP_KMOD_IOC_INFO:
		ret = ioctl_info(s, uarg);
		break;
	case SCAP_KMOD_IOC_START:
		WRITE_ONCE(s->capturing, true);
		mod_timer(&s->timer, jiffies + msecs_to_jiffies(SCAP_WAKE_PERIOD_MS));
		break;
	case SCAP_KMOD_IOC_STOP:
		WRITE_ONCE(s->capturing, false);
		session_stop_timer(s);
		wake_up_interruptible(&s->wq);
		break;
	case SCAP_KMOD_IOC_SET_SYSCALLS:
		ret = ioctl_syscalls(s, uarg);
		break;
	case SCAP_KMOD_IOC_SET_SNAPLEN:
		if (get_user(snaplen, (u32 __user *)uarg)) {
			ret = -EFAULT;
			break;
		}
		if (snaplen == 0 || snaplen > SCAP_MAX_SNAPLEN) {
			ret = -EINVAL;
			break;
		}
		WRITE_ONCE(s->snaplen, snaplen);
		break;
	case SCAP_KMOD_IOC_SET_PID:
		ret = get_id(uarg, &id);
		if (!ret)
			WRITE_ONCE(s->tgid, id);
		break;
	case SCAP_KMOD_IOC_SET_SELF_TID:
		ret = get_id(uarg, &id);
		if (!ret)
			WRITE_ONCE(s->self_tid, id);
		break;
	case SCAP_KMOD_IOC_STATS:
		ret = ioctl_stats(s, uarg);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&scap_ctl_lock);
	return ret;
}

static int scap_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct scap_session *s = file->private_data;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 cpu = off / SCAP_KMOD_MAP_STRIDE;

	if (off % SCAP_KMOD_MAP_STRIDE || cpu >= nr_cpu_ids || !s->rings[cpu])
		return -ENXIO;
	return scap_ring_mmap(s->rings[cpu], vma);
}

static scap_poll_t scap_poll(struct file *file, poll_table *wait)
{
	struct scap_session *s = file->private_data;

	poll_wait(file, &s->wq, wait);
	return session_readable(s) ? SCAP_POLL_READABLE : 0;
}

static const struct file_operations scap_fops = {
	.owner = THIS_MODULE,
	.open = scap_open,
	.release = scap_release,
	.unlocked_ioctl = scap_ioctl,
	.mmap = scap_mmap,
	.poll = scap_poll,
	.llseek = noop_llseek,
};

static struct miscdevice scap_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = SCAP_KMOD_DEVICE_NAME,
	.fops = &scap_fops,
	.mode = 0600,
};

static int __init scap_init(void)
{
	int err;

	/*
	 * The probes take spinlocks (fs->lock, the wait queue's) with
	 * preemption disabled: on PREEMPT_RT those are sleeping locks.
	 */
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		pr_err("scap: PREEMPT_RT kernels are not supported: use the modern_bpf or bpf engine\n");
		return -EOPNOTSUPP;
	}
	if (!is_power_of_2(buffer_bytes) || buffer_bytes < SCAP_KMOD_MIN_BUFFER ||
	    buffer_bytes > SCAP_KMOD_MAX_BUFFER || buffer_bytes < PAGE_SIZE) {
		pr_err("scap: buffer_bytes=%u is invalid: use a power of two from %u to %u\n",
		       buffer_bytes, SCAP_KMOD_MIN_BUFFER, SCAP_KMOD_MAX_BUFFER);
		return -EINVAL;
	}
	err = scap_fill_init();
	if (err) {
		pr_err("scap: the event schema has a row with too many parameters\n");
		return err;
	}
	err = scap_probe_lookup();
	if (err)
		return err;
	err = misc_register(&scap_dev);
	if (err) {
		pr_err("scap: cannot register /dev/%s: %d\n", SCAP_KMOD_DEVICE_NAME, err);
		return err;
	}
	pr_info("scap: loaded, api %u, schema %u events, %u-byte rings\n",
		SCAP_KMOD_API_VERSION, SCAP_EV_MAX, buffer_bytes);
	return 0;
}

static void __exit scap_exit(void)
{
	misc_deregister(&scap_dev);
}

module_init(scap_init);
module_exit(scap_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("scap: system-call capture into per-CPU mmapped rings");
MODULE_VERSION("0.1.0");
