// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fills events straight into the per-CPU ring by walking the parameter
 * descriptors expanded from drivers/common/events.def. Only the derived
 * values (process context, raw arguments) are written by hand.
 *
 * Context: the syscall tracepoints run their probes with preemption
 * disabled on the kernels this module targets (and we disable it ourselves
 * for the ring in any case), so nothing here may sleep. User memory is
 * therefore read with page faults disabled (copy_from_user_nofault, and
 * strncpy_from_user inside pagefault_disable(), which is what the
 * unexported strncpy_from_user_nofault does): a string whose page is not
 * resident comes out empty (length 0) instead of faulting it in. At exit the
 * kernel has just read the same memory, so it is nearly always resident.
 *
 * One common case is not resident at enter: a child of fork() has no page
 * table entries for file mappings that never had private copies (fork
 * leaves them to be faulted in), so the string literal it passes to execve
 * is unreadable without a fault. read_file_backed() reads those from the
 * page cache, which cannot sleep; see there for why that is exact.
 */
#include <linux/sched.h>
#if __has_include(<linux/sched/signal.h>)
#include <linux/sched/signal.h> /* signal_struct, 4.11+; <linux/sched.h> before */
#endif
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/file.h>
#include <linux/dcache.h>
#include <linux/mount.h>
#include <linux/cgroup.h>
#include <linux/uaccess.h>
#include <linux/socket.h>
#include <linux/net.h>
#include <net/sock.h>
#include <net/af_unix.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/un.h>
#include <linux/compat.h>
#include <linux/audit.h>
#include <linux/pid.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/highmem.h>
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
#include <asm/syscall.h>

#include "scap_kmod.h"

struct fill_row {
	u8 nparams;
	u8 dir;
	u16 flags;
	s16 nr;
	struct scap_param_desc p[SCAP_MAX_PARAMS];
};

#define P(name, type, src, aux) { SCAP_PT_##type, (src), (aux) }
#define SCAP_EVENT(_code, _sc, _dir, _cat, _fl, ...)                                  \
	[SCAP_EV_##_code] = {                                                         \
		.nparams = SCAP_COUNT_PARAMS(struct scap_param_desc, __VA_ARGS__),    \
		.dir = SCAP_DIR_##_dir,                                               \
		.flags = (_fl),                                                       \
		.nr = SCAP_NR_##_sc,                                                  \
		.p = { __VA_ARGS__ },                                                 \
	},
static const struct fill_row fill_rows[SCAP_EV_MAX] = {
#include "../common/events.def"
};
#undef SCAP_EVENT
#undef P

#define NO_EVENT 0xffffu
/* Event code per syscall number, filled once at module init. */
static u16 exit_event[SCAP_NR_SYSCALLS];
static u16 enter_event[SCAP_NR_SYSCALLS];

int scap_fill_init(void)
{
	unsigned int i;

	for (i = 0; i < SCAP_NR_SYSCALLS; i++) {
		exit_event[i] = SCAP_EV_GENERIC_X;
		enter_event[i] = NO_EVENT;
	}
	for (i = 0; i < SCAP_EV_MAX; i++) {
		const struct fill_row *row = &fill_rows[i];

		if (row->nparams > SCAP_MAX_PARAMS)
			return -EINVAL;
		if (row->nr < 0 || row->nr >= SCAP_NR_SYSCALLS)
			continue;
		if (row->dir == SCAP_DIR_EXIT)
			exit_event[row->nr] = i;
		else if (row->flags & (SCAP_EF_TOCTOU | SCAP_EF_NO_EXIT))
			enter_event[row->nr] = i;
	}
	return 0;
}

/* One event being written at buf, at most cap bytes. */
struct fill {
	u8 *buf;
	u32 cap;
	u32 pos;          /* next byte of parameter data */
	u8 flags;         /* SCAP_EVF_*; TRUNCATED: the parameter being filled was cut */
	bool partial;     /* the parameter being filled could not be read (whole) */
	u32 plen;         /* its length, once set */
	bool overflow;    /* did not fit: the event is dropped as buffer full */
	unsigned long args[SCAP_GENERIC_NARGS]; /* socketcall's: demultiplexed */
	long ret;
	long nr;
	u32 snaplen;
	u32 old_tid;      /* execve exit: the tid that called it, 0 = the event's own */
	int exit_last;    /* procexit: the tracepoint's group_dead, -1 = not given */
	u16 row_flags;    /* SCAP_EF_* of the row */
	/*
	 * The task the event is of, whose context the derived parameters
	 * give: current, or on arm64 a new child at sched_process_fork (not
	 * yet run: its fs, mm, creds and cgroup are stable). User memory is
	 * always read from current's mm, which the child's is a copy of (or is).
	 */
	struct task_struct *task;
	/*
	 * The open family's exit: the file its descriptor names, looked up
	 * once for the three values read from it (opened, _dev, _ino) and put
	 * after the last parameter. opened_looked: the lookup was done.
	 */
	struct file *opened;
	bool opened_looked;
};

/*
 * Reads user memory whose page table entries are absent, from the page
 * cache, without sleeping (mmap_read_trylock, a page cache lookup that
 * neither locks nor allocates). Only for file mappings without anon_vma:
 * such a mapping has never had a private copy of any page, so the page
 * cache holds exactly what the task would read. Anything else (anonymous
 * memory, swapped pages, a contended mmap lock, a page not cached) is
 * -EFAULT. For a string, stops after the NUL. Returns the bytes copied.
 */
static long read_file_backed(void *dst, unsigned long uaddr, u32 len, bool string)
{
	struct mm_struct *mm = current->mm;
	u32 copied = 0;
	bool done = false;

	if (!mm || !len || !mmap_read_trylock(mm))
		return -EFAULT;
	while (copied < len && !done) {
		unsigned long addr = uaddr + copied;
		struct vm_area_struct *vma = find_vma(mm, addr);
		u32 off = addr & ~PAGE_MASK;
		u32 n = min_t(u32, PAGE_SIZE - off, len - copied);
		struct page *page;
		const u8 *src;

		/*
		 * Device and PFN mappings have no page cache of their own, and
		 * hugetlb indexes its cache in huge pages: leave them alone.
		 */
		if (!vma || vma->vm_start > addr || !vma->vm_file || vma->anon_vma ||
		    !(vma->vm_flags & VM_READ) ||
		    (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP | VM_HUGETLB)))
			break;
		page = find_get_page(vma->vm_file->f_mapping, scap_page_index(vma, addr));
		if (!page)
			break;
		if (!PageUptodate(page)) {
			put_page(page);
			break;
		}
		src = kmap_local_page(page);
		if (string) {
			const u8 *nul = memchr(src + off, '\0', n);

			if (nul) {
				n = nul - (src + off) + 1;
				done = true;
			}
		}
		memcpy((u8 *)dst + copied, src + off, n);
		kunmap_local(src);
		put_page(page);
		copied += n;
	}
	mmap_read_unlock(mm);
	/* The cast matters: u32 ? u32 : int would turn -EFAULT into a huge length. */
	return copied ? (long)copied : -EFAULT;
}

/* len bytes of user memory: 0 or -EFAULT. */
static int read_user(void *dst, unsigned long uaddr, u32 len)
{
	if (!copy_from_user_nofault(dst, (const void __user *)uaddr, len))
		return 0;
	return read_file_backed(dst, uaddr, len, false) == len ? 0 : -EFAULT;
}

/*
 * A user string into dst (room bytes): as strncpy_from_user, the length
 * without the NUL, room when no NUL was found within room, or -EFAULT.
 */
static long read_user_str(char *dst, unsigned long uaddr, u32 room)
{
	long n;

	pagefault_disable();
	n = strncpy_from_user(dst, (const char __user *)uaddr, room);
	pagefault_enable();
	if (n >= 0)
		return n;
	n = read_file_backed(dst, uaddr, room, true);
	if (n <= 0 || n > room)
		return -EFAULT;
	if (dst[n - 1] == '\0')
		return n - 1;
	/* No NUL: complete only when room ran out, not the readable pages. */
	return n == room ? n : -EFAULT;
}

static inline u32 fill_room(const struct fill *f)
{
	return f->cap - f->pos;
}

static inline void set_len(struct fill *f, unsigned int i, u32 len)
{
	f->plen = len;
	put_unaligned((u16)len, (u16 *)(f->buf + SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * i));
}

static void put_bytes(struct fill *f, unsigned int i, const void *src, u32 len)
{
	if (len > fill_room(f)) {
		f->overflow = true;
		return;
	}
	memcpy(f->buf + f->pos, src, len);
	f->pos += len;
	set_len(f, i, len);
}

/*
 * Numbers go out in the host's byte order, as the eBPF engines write them
 * (docs/event-format.md, "Byte order"): a narrower value is converted to its
 * own width first, never cut out of the u64's first bytes (which on s390x
 * are its high ones).
 */
static void put_int(struct fill *f, unsigned int i, u64 v, unsigned int width)
{
	u8 out[8];

	switch (width) {
	case 1: out[0] = (u8)v; break;
	case 2: put_unaligned((u16)v, (u16 *)out); break;
	case 4: put_unaligned((u32)v, (u32 *)out); break;
	default: put_unaligned(v, (u64 *)out); width = 8; break;
	}
	put_bytes(f, i, out, width);
}

/*
 * Ends a string of n bytes (NUL not counted) copied into the room bytes at the
 * fill position, under a limit of `limit` bytes with the NUL: one the limit
 * cut is kept cut and flagged; one the ring's room cut makes the event drop.
 * Returns the bytes kept, NUL included, or 0 when the event overflows.
 */
static u32 end_str(struct fill *f, char *dst, long n, u32 room, u32 limit)
{
	if (n >= room) {
		if (room < limit) {
			f->overflow = true;
			return 0;
		}
		f->flags |= SCAP_EVF_TRUNCATED;
		n = room - 1;
	}
	dst[n] = '\0';
	f->pos += n + 1;
	return n + 1;
}

/*
 * A NUL-terminated string from user memory, at most maxlen bytes with the
 * NUL. Unreadable memory gives an empty parameter marked partial; a longer
 * string is cut and flagged, unless it is the ring that lacks room (then the
 * event drops).
 */
static void put_user_str(struct fill *f, unsigned int i, unsigned long uaddr, u32 maxlen)
{
	u32 room = min(fill_room(f), maxlen);
	char *dst = (char *)f->buf + f->pos;
	long n;

	if (!uaddr)
		return;
	if (room == 0) {
		f->overflow = true;
		return;
	}
	n = read_user_str(dst, uaddr, room);
	if (n < 0) {
		f->partial = true;
		return;
	}
	n = end_str(f, dst, n, room, maxlen);
	if (n)
		set_len(f, i, n);
}

static void put_user_bytes(struct fill *f, unsigned int i, unsigned long uaddr, u32 len)
{
	if (!uaddr || !len)
		return;
	if (len > fill_room(f)) {
		f->overflow = true;
		return;
	}
	if (read_user(f->buf + f->pos, uaddr, len)) {
		f->partial = true;
		return;
	}
	f->pos += len;
	set_len(f, i, len);
}

/* A kernel string (already NUL-terminated, len bytes with the NUL). */
static void put_kstr(struct fill *f, unsigned int i, const char *s, u32 len)
{
	put_bytes(f, i, s, len);
}

/*
 * The last components of a path longer than SCAP_MAX_PATH_LEN, which d_path
 * refuses: as many as fit in room bytes, walking up from the dentry within its
 * mount, relative (no leading '/', so that a cut path never reads as another
 * absolute path) and flagged cut. Names are read as d_path's prepend_name
 * reads them under RCU: up to their NUL, whatever a rename does meanwhile.
 */
static void put_kpath_tail(struct fill *f, unsigned int i, const struct path *path, u32 room)
{
	char *dst = (char *)f->buf + f->pos;
	const struct dentry *d = path->dentry;
	u32 end = room - 1, start = end, steps;

	rcu_read_lock();
	for (steps = 0; steps < SCAP_MAX_PATH_LEN / 2 && d != path->mnt->mnt_root && !IS_ROOT(d); steps++) {
		const unsigned char *name = smp_load_acquire(&d->d_name.name);
		u32 n = strnlen((const char *)name, READ_ONCE(d->d_name.len));

		if (n + (start < end) > start)
			break;
		if (start < end)
			dst[--start] = '/';
		start -= n;
		memcpy(dst + start, name, n);
		d = READ_ONCE(d->d_parent);
	}
	rcu_read_unlock();
	if (start == end) {
		f->partial = true;
		return;
	}
	memmove(dst, dst + start, end - start);
	dst[end - start] = '\0';
	f->flags |= SCAP_EVF_TRUNCATED;
	f->pos += end - start + 1;
	set_len(f, i, end - start + 1);
}

/*
 * A path of the kernel's (cwd, exe) rendered by d_path straight into the
 * ring: d_path writes at the end of the room it is given, then the text is
 * moved to the front. The ring is mapped writable in user space, so what
 * is read back from it is never trusted beyond the room.
 */
static void put_kpath(struct fill *f, unsigned int i, const struct path *path)
{
	u32 room = min(fill_room(f), SCAP_MAX_PATH_LEN);
	char *dst = (char *)f->buf + f->pos;
	char *p;
	u32 len;

	if (room == 0) {
		f->overflow = true;
		return;
	}
	p = d_path(path, dst, room);
	if (IS_ERR(p)) {
		if (PTR_ERR(p) != -ENAMETOOLONG)
			return;
		if (room < SCAP_MAX_PATH_LEN)
			f->overflow = true;
		else
			put_kpath_tail(f, i, path, room);
		return;
	}
	/* Bounded: user space can write to the ring while we work in it. */
	len = strnlen(p, dst + room - 1 - p) + 1;
	memmove(dst, p, len);
	dst[len - 1] = '\0';
	f->pos += len;
	set_len(f, i, len);
}

static void put_cwd(struct fill *f, unsigned int i)
{
	struct fs_struct *fs = f->task->fs;

	if (!fs)
		return;
	/*
	 * Holding fs->lock keeps pwd pinned without taking references (a
	 * path_put here could be the last one and sleep). d_path only takes
	 * the rename and mount seqlocks as a reader, and reads fs->root under
	 * fs->seq, which cannot be odd while we hold fs->lock.
	 */
	spin_lock(&fs->lock);
	put_kpath(f, i, &fs->pwd);
	spin_unlock(&fs->lock);
}

static void put_exe(struct fill *f, unsigned int i)
{
	struct mm_struct *mm = f->task->mm;
	struct file *exe;

	if (!mm)
		return;
	rcu_read_lock();
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	exe = get_file_rcu(&mm->exe_file);
#else
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
#endif
	rcu_read_unlock();
	if (!exe)
		return;
	put_kpath(f, i, &exe->f_path);
	fput(exe); /* never sleeps: the final release is deferred */
}

/*
 * The file the call opened: its returned descriptor's, with a reference
 * (fget_raw: O_PATH descriptors too) that fill_code puts after the last
 * parameter, or NULL when it failed. At the exit only another thread's
 * close or dup2 onto that number can have changed the slot since the call
 * installed it; one lookup per event also means the three values always
 * describe the same file, even then.
 */
static struct file *opened_file(struct fill *f)
{
	if (!f->opened_looked) {
		f->opened_looked = true;
		if (f->ret >= 0 && f->ret <= INT_MAX)
			f->opened = fget_raw((unsigned int)f->ret);
	}
	return f->opened;
}

static void put_opened(struct fill *f, unsigned int i)
{
	struct file *file = opened_file(f);

	if (file)
		put_kpath(f, i, &file->f_path);
}

/* SCAP_DRV_OPENED_DEV (st_dev's encoding, as stat(2) gives it) or _INO. */
static bool opened_id(struct fill *f, u8 id, u64 *v)
{
	struct file *file = opened_file(f);
	struct inode *inode;

	if (!file)
		return false;
	inode = file_inode(file);
	*v = id == SCAP_DRV_OPENED_DEV ? (u64)new_encode_dev(inode->i_sb->s_dev) : (u64)inode->i_ino;
	return true;
}

static void put_cgroup(struct fill *f, unsigned int i)
{
#ifdef CONFIG_CGROUPS
	u32 room = min(fill_room(f), SCAP_MAX_PATH_LEN);
	char *dst = (char *)f->buf + f->pos;
	int n;

	if (room == 0) {
		f->overflow = true;
		return;
	}
	rcu_read_lock();
	n = scap_cgroup_path(f->task, dst, room);
	rcu_read_unlock();
	if (n < 0)
		return;
	n = end_str(f, dst, n, room, SCAP_MAX_PATH_LEN);
	if (n)
		set_len(f, i, n);
#endif
}

/*
 * argv of the image a successful execve runs now: mm->arg_start .. arg_end,
 * then the array's final NUL; a failed execve has no new image.
 */
static void put_mm_argv(struct fill *f, unsigned int i)
{
	struct mm_struct *mm = current->mm;
	unsigned long start, end;
	u32 len;
	char *dst = (char *)f->buf + f->pos;

	if (!mm || f->ret != 0)
		return;
	start = READ_ONCE(mm->arg_start);
	end = READ_ONCE(mm->arg_end);
	if (end <= start)
		return;
	len = min_t(unsigned long, end - start, SCAP_MAX_ARGV_LEN - 1);
	if (end - start > len)
		f->flags |= SCAP_EVF_TRUNCATED;
	if (len + 1 > fill_room(f)) {
		f->overflow = true;
		return;
	}
	if (read_user(dst, start, len)) {
		f->partial = true;
		return;
	}
	dst[len - 1] = '\0'; /* a cut string stays terminated */
	dst[len] = '\0';     /* the array's end */
	f->pos += len + 1;
	set_len(f, i, len + 1);
}

/*
 * A NULL-terminated array of user string pointers (execve's argv): the
 * strings, then the array's final NUL. NULL is no value; an array that cannot
 * be read is an empty value marked partial; one whose later strings fault
 * keeps what was read, marked.
 */
static void put_user_strarray(struct fill *f, unsigned int i, unsigned long uarr)
{
	u32 start = f->pos, budget = SCAP_MAX_ARGV_LEN - 1, k;
	unsigned long ptr;
	long n;

	if (!uarr)
		return;
	/* The final NUL's byte is kept out of every string's room. */
	if (fill_room(f) == 0) {
		f->overflow = true;
		return;
	}
	for (k = 0; k < SCAP_MAX_ARGV_ITEMS; k++) {
		u32 room = min(fill_room(f) - 1, budget);
		char *dst = (char *)f->buf + f->pos;

		if (read_user(&ptr, uarr + k * sizeof(ptr), sizeof(ptr))) {
			f->partial = true;
			goto done;
		}
		if (!ptr)
			goto done;
		if (room == 0) {
			if (budget == 0)
				f->flags |= SCAP_EVF_TRUNCATED;
			else
				f->overflow = true;
			goto done;
		}
		n = read_user_str(dst, ptr, room);
		if (n < 0) {
			f->partial = true;
			goto done;
		}
		n = end_str(f, dst, n, room, budget);
		if (!n)
			return;
		budget -= n;
	}
	/* Flag a cut only when there really is a string past the last kept one. */
	if (!read_user(&ptr, uarr + k * sizeof(ptr), sizeof(ptr)) && ptr)
		f->flags |= SCAP_EVF_TRUNCATED;
done:
	if (f->overflow || (f->pos == start && f->partial))
		return;
	f->buf[f->pos++] = '\0';
	set_len(f, i, f->pos - start);
}

/*
 * Encodes a user sockaddr as the event layout says (family byte first), from
 * the addrlen bytes the caller passed, as the kernel reads them
 * (move_addr_to_kernel): a unix path ends at its first NUL within them, an
 * abstract name is all of them, and an IPv4/IPv6 address they do not hold
 * whole is its family alone, flagged cut.
 */
static void put_sockaddr_k(struct fill *f, unsigned int i, const struct sockaddr_storage *sa, u32 len);

static void put_sockaddr(struct fill *f, unsigned int i, unsigned long uaddr, long addrlen)
{
	struct sockaddr_storage ss;
	u32 len;

	if (!uaddr || addrlen < (long)sizeof(sa_family_t))
		return;
	len = min_t(long, addrlen, sizeof(ss));
	memset(&ss, 0, sizeof(ss));
	if (read_user(&ss, uaddr, len)) {
		f->partial = true;
		return;
	}
	put_sockaddr_k(f, i, &ss, len);
}

/*
 * connect's peer: the address its socket is connected to, after a successful
 * call, read from the socket's fields as the eBPF drivers read them (the
 * protocols' getname may take the socket lock, which sleeps; the probes run
 * with preemption disabled). A unix peer is held under our socket's state
 * lock while its name is copied; an unbound one is the family alone.
 */
static void put_conn_peer(struct fill *f, unsigned int i)
{
	struct sockaddr_storage ss;
	struct socket *sock;
	struct sock *sk, *peer;
	u32 len = sizeof(sa_family_t);
	int err;

	if (f->ret != 0)
		return;
	sock = sockfd_lookup((int)f->args[0], &err);
	if (!sock)
		return;
	sk = sock->sk;
	if (!sk) {
		sockfd_put(sock);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = sk->sk_family;
	switch (ss.ss_family) {
	case AF_INET: {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_port = READ_ONCE(sk->sk_dport);
		in->sin_addr.s_addr = READ_ONCE(sk->sk_daddr);
		len = sizeof(*in);
		break;
	}
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6: {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_port = READ_ONCE(sk->sk_dport);
		in6->sin6_addr = sk->sk_v6_daddr;
		len = sizeof(*in6);
		break;
	}
#endif
	case AF_UNIX: {
		struct unix_address *addr;

		unix_state_lock(sk);
		peer = unix_sk(sk)->peer;
		if (peer)
			sock_hold(peer);
		unix_state_unlock(sk);
		if (!peer)
			break;
		addr = smp_load_acquire(&unix_sk(peer)->addr);
		if (addr && addr->len > 0) {
			len = min_t(u32, addr->len, sizeof(ss));
			memcpy(&ss, addr->name, len);
		}
		sock_put(peer);
		break;
	}
	default:
		break;
	}
	sockfd_put(sock);
	put_sockaddr_k(f, i, &ss, len);
}

/* The encoding of a sockaddr of len bytes already in kernel memory. */
static void put_sockaddr_k(struct fill *f, unsigned int i, const struct sockaddr_storage *sa, u32 len)
{
	u8 out[1 + sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	u32 n;

	switch (sa->ss_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		if (len < offsetof(struct sockaddr_in, sin_addr) + sizeof(in->sin_addr))
			goto cut;

		out[0] = SCAP_SA_INET;
		memcpy(out + 1, &in->sin_addr.s_addr, 4);
		put_unaligned(ntohs(in->sin_port), (u16 *)(out + 5));
		n = 7;
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		if (len < offsetof(struct sockaddr_in6, sin6_addr) + sizeof(in6->sin6_addr))
			goto cut;

		out[0] = SCAP_SA_INET6;
		memcpy(out + 1, &in6->sin6_addr, 16);
		put_unaligned(ntohs(in6->sin6_port), (u16 *)(out + 17));
		n = 19;
		break;
	}
	case AF_UNIX: {
		const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
		u32 plen = len > offsetof(struct sockaddr_un, sun_path) ?
			   len - offsetof(struct sockaddr_un, sun_path) : 0;

		plen = min_t(u32, plen, sizeof(un->sun_path));
		/* Abstract names start with a NUL and are not NUL-terminated. */
		if (plen && un->sun_path[0] != '\0')
			plen = strnlen(un->sun_path, plen);
		out[0] = SCAP_SA_UNIX;
		memcpy(out + 1, un->sun_path, plen);
		out[1 + plen] = '\0';
		n = plen + 2;
		break;
	}
	case AF_UNSPEC:
		out[0] = SCAP_SA_UNSPEC;
		n = 1;
		break;
	default:
		out[0] = SCAP_SA_OTHER;
		put_unaligned((u16)sa->ss_family, (u16 *)(out + 1));
		n = 3;
		break;
	}
	put_bytes(f, i, out, n);
	return;
cut:
	/* The family, without the address the length cut off. */
	f->flags |= SCAP_EVF_TRUNCATED;
	out[0] = SCAP_SA_OTHER;
	put_unaligned((u16)sa->ss_family, (u16 *)(out + 1));
	put_bytes(f, i, out, 3);
}

static unsigned int int_width(u8 type)
{
	switch (type) {
	case SCAP_PT_INT8: case SCAP_PT_UINT8:
		return 1;
	case SCAP_PT_INT16: case SCAP_PT_UINT16:
		return 2;
	case SCAP_PT_INT32: case SCAP_PT_UINT32: case SCAP_PT_UID: case SCAP_PT_GID:
	case SCAP_PT_SYSCALLID: case SCAP_PT_FLAGS32: case SCAP_PT_ENUM32: case SCAP_PT_MODE:
		return 4;
	case SCAP_PT_INT64: case SCAP_PT_UINT64: case SCAP_PT_FD: case SCAP_PT_PID:
	case SCAP_PT_RES: case SCAP_PT_ADDR: case SCAP_PT_FLAGS64:
		return 8;
	default:
		return 0;
	}
}

/* The value of a source that is a number (argument, result, derived id). */
static u64 source_value(const struct fill *f, u8 src)
{
	if (SCAP_SRC_IS_ARG(src))
		return f->args[SCAP_SRC_ARGNO(src)];
	if (src == SCAP_SRC_RET)
		return (u64)f->ret;
	return 0;
}

/* An integer of `size` bytes (4 or 8) in user memory, zero-extended; a fault marks it partial. */
static bool user_int(struct fill *f, unsigned long uaddr, unsigned int size, u64 *v)
{
	u32 v32;

	if (!uaddr)
		return false;
	if (size == 4) {
		if (copy_from_user_nofault(&v32, (const void __user *)uaddr, sizeof(v32)))
			goto fault;
		*v = v32;
		return true;
	}
	if (!copy_from_user_nofault(v, (const void __user *)uaddr, sizeof(*v)))
		return true;
fault:
	f->partial = true;
	return false;
}

/*
 * The clone flags of fork and vfork (what the kernel passes to kernel_clone
 * for them) and of clone3 (struct clone_args.flags, the first u64 at
 * argument 0; in the new task its copy of the caller's memory holds the same).
 */
static bool clone_flags(struct fill *f, u64 *v)
{
	/* Not a switch: on aarch64 fork and vfork are both SCAP_NR_ABSENT (never a syscall's nr). */
	if (f->nr == SCAP_NR_fork) {
		*v = SIGCHLD;
		return true;
	}
	if (f->nr == SCAP_NR_vfork) {
		*v = CLONE_VM | CLONE_VFORK | SIGCHLD;
		return true;
	}
	if (f->nr == SCAP_NR_clone3)
		return user_int(f, f->args[0], 8, v);
	return false;
}

/* The wait(2) status of the ending thread: do_exit stored it before sched_process_exit. */
static u32 exit_status(const struct fill *f)
{
	return (u32)f->task->exit_code;
}

/* One id of the task's credentials, seen from the initial user namespace. */
static u64 cred_id(const struct fill *f, u8 id)
{
	const struct cred *cred;
	u64 v;

	rcu_read_lock();
	cred = __task_cred(f->task);
	switch (id) {
	case SCAP_DRV_UID:
		v = from_kuid_munged(&init_user_ns, cred->uid);
		break;
	case SCAP_DRV_GID:
		v = from_kgid_munged(&init_user_ns, cred->gid);
		break;
	case SCAP_DRV_EUID:
		v = from_kuid_munged(&init_user_ns, cred->euid);
		break;
	default:
		v = from_kgid_munged(&init_user_ns, cred->egid);
		break;
	}
	rcu_read_unlock();
	return v;
}

static bool derived_int(struct fill *f, const struct scap_param_desc *d, u8 id, u64 *v)
{
	switch (id) {
	case SCAP_DRV_FD_PAIR:
	case SCAP_DRV_FD_PAIR_1:
		/* pipe/socketpair return 0 once the array is written; before, it is garbage. */
		if (f->ret != 0)
			return false;
		return user_int(f, source_value(f, d->aux) + (id == SCAP_DRV_FD_PAIR_1 ? 4 : 0), 4, v);
	/* struct open_how { __u64 flags, mode, resolve; } at argument 2. */
	case SCAP_DRV_HOW_FLAGS:
		return user_int(f, f->args[2], 8, v);
	case SCAP_DRV_HOW_MODE:
		return f->args[2] && user_int(f, f->args[2] + 8, 8, v);
	case SCAP_DRV_HOW_RESOLVE:
		return f->args[2] && user_int(f, f->args[2] + 16, 8, v);
	case SCAP_DRV_SYSCALL_NR:
		*v = (u64)f->nr;
		return true;
	case SCAP_DRV_PPID:
		rcu_read_lock();
		*v = task_tgid_nr(rcu_dereference(f->task->real_parent));
		rcu_read_unlock();
		return true;
	case SCAP_DRV_UID:
	case SCAP_DRV_GID:
	case SCAP_DRV_EUID:
	case SCAP_DRV_EGID:
		*v = cred_id(f, id);
		return true;
	case SCAP_DRV_LOGINUID:
		/* Not munged: unset is INVALID_UID, 4294967295, as the eBPF drivers read it raw. */
		*v = (u32)from_kuid(&init_user_ns, audit_get_loginuid(f->task));
		return true;
	/* The task's ids in its own pid namespace (a new child's may be another than current's). */
	case SCAP_DRV_VTID:
		*v = task_pid_nr_ns(f->task, task_active_pid_ns(f->task));
		return *v != 0;
	case SCAP_DRV_VPID:
		*v = task_tgid_nr_ns(f->task, task_active_pid_ns(f->task));
		return *v != 0;
	case SCAP_DRV_CLONE_FLAGS:
		return clone_flags(f, v);
	case SCAP_DRV_OLD_TID:
		*v = f->old_tid ? f->old_tid : (u32)f->task->pid;
		return true;
	case SCAP_DRV_EXIT_STATUS:
		*v = exit_status(f);
		return true;
	case SCAP_DRV_EXIT_CODE:
		*v = (exit_status(f) & 0x7f) ? 0 : (exit_status(f) >> 8) & 0xff;
		return true;
	case SCAP_DRV_EXIT_SIGNAL:
		*v = exit_status(f) & 0x7f;
		return true;
	case SCAP_DRV_EXIT_CORE:
		*v = (exit_status(f) & 0x80) ? 1 : 0;
		return true;
	case SCAP_DRV_OPENED_DEV:
	case SCAP_DRV_OPENED_INO:
		return opened_id(f, id, v);
	case SCAP_DRV_EXIT_LAST:
		/*
		 * do_exit decremented signal->live before the tracepoint; threads
		 * ending at the same instant can each see 0, group_dead (6.16+)
		 * names exactly one.
		 */
		*v = f->exit_last >= 0 ? f->exit_last : atomic_read(&f->task->signal->live) == 0;
		return true;
	default:
		return false;
	}
}

static void fill_param(struct fill *f, unsigned int i, const struct scap_param_desc *d)
{
	unsigned int width = int_width(d->type);
	u8 derived = SCAP_SRC_IS_DERIVED(d->src) ? SCAP_SRC_DERIVED_ID(d->src) : SCAP_DRV_MAX;
	u64 v;

	if (d->src == SCAP_SRC_NONE)
		return; /* enter-only value: the core fills it from the enter event */
	/* The clone family: the new task's context only in its own return. */
	if ((f->row_flags & SCAP_EF_CHILD_CTX) && f->ret != 0 && derived != SCAP_DRV_MAX &&
	    derived != SCAP_DRV_CLONE_FLAGS)
		return;

	if (width) {
		if (derived != SCAP_DRV_MAX) {
			if (!derived_int(f, d, derived, &v))
				return;
		} else {
			v = source_value(f, d->src);
		}
		/* int-sized arguments (fds, pids) arrive as unsigned long: sign-extend. */
		if (d->type == SCAP_PT_FD || d->type == SCAP_PT_PID)
			v = (u64)(s64)(s32)v;
		put_int(f, i, v, width);
		return;
	}

	switch (d->type) {
	case SCAP_PT_PATH:
	case SCAP_PT_CHARBUF:
		switch (derived) {
		case SCAP_DRV_MAX:
			put_user_str(f, i, source_value(f, d->src), SCAP_MAX_PATH_LEN);
			break;
		case SCAP_DRV_CWD:
			put_cwd(f, i);
			break;
		case SCAP_DRV_EXE:
			put_exe(f, i);
			break;
		case SCAP_DRV_COMM: {
			char comm[TASK_COMM_LEN];

			get_task_comm(comm, f->task);
			put_kstr(f, i, comm, strnlen(comm, sizeof(comm) - 1) + 1);
			break;
		}
		case SCAP_DRV_CGROUP:
			put_cgroup(f, i);
			break;
		case SCAP_DRV_OPENED_PATH:
			put_opened(f, i);
			break;
		}
		break;
	case SCAP_PT_BYTEBUF: {
		long len = (long)source_value(f, d->aux);

		if (len <= 0 || !source_value(f, d->src))
			break;
		if (len > f->snaplen) {
			len = f->snaplen;
			f->flags |= SCAP_EVF_TRUNCATED;
		}
		put_user_bytes(f, i, source_value(f, d->src), len);
		break;
	}
	case SCAP_PT_SOCKADDR:
		if (derived == SCAP_DRV_SOCKADDR_OUT) {
			/*
			 * Written back by the kernel (accept's peer, recvfrom's
			 * source): aux is the socklen_t *, the address the argument
			 * before it; *addrlen is now the address's real length.
			 */
			u64 alen;

			if (f->ret < 0 || !SCAP_SRC_IS_ARG(d->aux) || d->aux == SCAP_SRC_ARG(0) ||
			    !user_int(f, source_value(f, d->aux), 4, &alen))
				break;
			put_sockaddr(f, i, source_value(f, d->aux - 1), (long)(int)alen);
			break;
		}
		if (derived == SCAP_DRV_CONN_PEER) {
			put_conn_peer(f, i);
			break;
		}
		put_sockaddr(f, i, source_value(f, d->src), (long)(int)source_value(f, d->aux));
		break;
	case SCAP_PT_STRARRAY:
		if (derived == SCAP_DRV_ARGV)
			put_mm_argv(f, i);
		else if (derived == SCAP_DRV_MAX)
			put_user_strarray(f, i, source_value(f, d->src));
		break;
	case SCAP_PT_ARGS: {
		u64 raw[SCAP_GENERIC_NARGS];
		unsigned int k;

		for (k = 0; k < SCAP_GENERIC_NARGS; k++)
			raw[k] = f->args[k];
		put_bytes(f, i, raw, sizeof(raw));
		break;
	}
	default:
		break;
	}
}

/* Wakes readers once enough is pending; slow trickles are left to the timer. */
static void maybe_wake(struct scap_session *s, struct scap_ring *r)
{
	if (r->head - r->wake_head < r->size / 8)
		return;
	r->wake_head = r->head;
	if (scap_wq_has_sleeper(&s->wq))
		wake_up_interruptible(&s->wq);
}

static void ring_count(u64 *counter, u64 *shared)
{
	(*counter)++;
	WRITE_ONCE(*shared, *counter);
}

/* A successful execve's calling tid, kept by the sched_process_exec probe; 0 when not kept. */
static u32 take_old_tid(struct scap_session *s)
{
	u32 tid = (u32)current->pid;
	atomic64_t *slot = &s->exec_tids[tid & (SCAP_EXEC_TIDS - 1)];
	s64 v = atomic64_read(slot);

	if (!v || (u32)((u64)v >> 32) != tid || atomic64_cmpxchg(slot, v, 0) != v)
		return 0;
	return (u32)v;
}

/*
 * Writes event `code` of task into this CPU's ring. f.args: the syscall's six
 * arguments, written by the caller in place (zeros for a kernel event);
 * exit_last as struct fill says.
 */
static void fill_code(struct scap_session *s, struct task_struct *task, unsigned int code,
		      struct fill *f, long nr, long ret, int exit_last)
{
	const struct fill_row *row = &fill_rows[code];
	struct scap_evt_hdr *hdr;
	struct scap_ring *r;
	u64 ts;
	u64 tail, used;
	unsigned int i;
	u32 len;

	f->old_tid = 0;
	if ((code == SCAP_EV_EXECVE_X || code == SCAP_EV_EXECVEAT_X) && ret == 0)
		f->old_tid = take_old_tid(s);

	/*
	 * Stamped with preemption off: where the syscall tracepoints call their
	 * probes preemptibly (upstream kernels after 6.12 made them faultable),
	 * a stamp taken before could be followed by a preemption or a
	 * migration, and the event committed to this or another CPU's ring
	 * after events stamped later (docs/architecture.md, time order).
	 */
	preempt_disable();
	ts = ktime_get_boottime_ns();
	r = s->rings[smp_processor_id()];
	if (unlikely(!r))
		goto out;

	/* Pairs with the consumer's release store: it is done with the bytes. */
	tail = smp_load_acquire(&r->ctrl->tail);
	used = r->head - tail;
	if (unlikely(used > r->size)) {
		/* user space wrote a tail beyond head: never trust it */
		ring_count(&r->drops_other, &r->ctrl->drops_other);
		goto out;
	}

	f->buf = r->data + (r->head & (r->size - 1));
	f->cap = min_t(u64, r->size - used, SCAP_MAX_EVENT_LEN);
	f->pos = SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * row->nparams;
	f->flags = 0;
	f->overflow = false;
	f->nr = nr;
	f->ret = ret;
	f->snaplen = READ_ONCE(s->snaplen);
	f->exit_last = exit_last;
	f->row_flags = row->flags;
	f->task = task;
	f->opened = NULL;
	f->opened_looked = false;
	if (f->pos > f->cap) {
		ring_count(&r->drops_full, &r->ctrl->drops_buffer_full);
		goto out;
	}
	memset(f->buf + SCAP_EVT_HDR_LEN, 0, SCAP_PARAM_LEN_SIZE * row->nparams);

	for (i = 0; i < row->nparams && !f->overflow; i++) {
		u8 cut = f->flags & SCAP_EVF_TRUNCATED;

		/* A writer says "cut" (TRUNCATED) or "unreadable" (partial) for this parameter. */
		f->flags &= ~SCAP_EVF_TRUNCATED;
		f->partial = false;
		f->plen = 0;
		fill_param(f, i, &row->p[i]);
		if ((f->flags & SCAP_EVF_TRUNCATED) || f->partial) {
			put_unaligned((u16)(f->plen | SCAP_PARAM_PARTIAL),
				      (u16 *)(f->buf + SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * i));
			if (f->plen)
				cut = SCAP_EVF_TRUNCATED;
		}
		f->flags = (f->flags & ~SCAP_EVF_TRUNCATED) | cut;
	}
	if (f->opened)
		fput(f->opened); /* never sleeps: the final release is deferred */

	len = SCAP_KMOD_ALIGN(f->pos);
	if (f->overflow || len > f->cap) {
		ring_count(&r->drops_full, &r->ctrl->drops_buffer_full);
		goto out;
	}

	hdr = (struct scap_evt_hdr *)f->buf;
	hdr->ts = ts;
	hdr->tid = task->pid;
	hdr->pid = task->tgid;
	hdr->len = f->pos;
	hdr->type = code;
	hdr->nparams = row->nparams;
	hdr->flags = f->flags;

	r->head += len;
	ring_count(&r->events, &r->ctrl->events);
	/* The event is complete before the consumer can see the new head. */
	smp_store_release(&r->ctrl->head, r->head);
	maybe_wake(s, r);
out:
	preempt_enable();
}

void scap_fill_event(struct scap_session *s, struct task_struct *task, struct pt_regs *regs, long nr,
		     long ret, bool enter)
{
	unsigned int code = enter ? enter_event[nr] : exit_event[nr];
	struct fill f;

	if (code == NO_EVENT)
		return;
	scap_syscall_get_arguments(task, regs, f.args);
#ifdef SCAP_MMAP_ARGS_IN_MEMORY
	/* s390x's mmap: the six arguments are in the caller's memory (arch.h). */
	if (nr == SCAP_NR_mmap && read_user(f.args, f.args[0], sizeof(f.args)))
		memset(f.args, 0, sizeof(f.args));
#endif
	fill_code(s, task, code, &f, nr, ret, -1);
}

void scap_fill_procexit(struct scap_session *s, int last)
{
	struct fill f;

	memset(f.args, 0, sizeof(f.args));
	fill_code(s, current, SCAP_EV_PROCEXIT_E, &f, -1, 0, last);
}

#if SCAP_HAVE_SOCKETCALL
bool scap_fill_socketcall(struct scap_session *s, unsigned long uargs, unsigned int nargs, int nr, long ret,
			  bool enter)
{
	struct fill f;
	unsigned int code;

	if (nr < 0 || nr >= SCAP_NR_SYSCALLS || nargs > SCAP_SOCKETCALL_MAX_ARGS)
		return false;
	code = enter ? enter_event[nr] : exit_event[nr];
	if (enter && code == NO_EVENT)
		return true; /* the direct syscall has no enter event: nothing to write */
	if (code == SCAP_EV_GENERIC_X)
		return false;
	/* Words the call does not take stay 0: send/recv are sendto/recvfrom with a NULL address. */
	memset(f.args, 0, sizeof(f.args));
	/* The kernel's own copy: nargs words, no more (a shorter array at a page end is valid). */
	if (read_user(f.args, uargs, nargs * sizeof(unsigned long)))
		return false;
	fill_code(s, current, code, &f, SCAP_NR_socketcall, ret, -1);
	return true;
}
#endif
