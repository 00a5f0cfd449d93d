/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Derived values (schema.h, enum scap_derived): what is not a syscall
 * argument. SYSCALL_NR, RAW_ARGS and COMM need no kernel types; the task
 * fields need CO-RE (SCAP_FILL_CORE=1) and are empty without it. Included by
 * fill.h.
 */
#ifndef SCAP_DRIVERS_COMMON_BPF_FILL_DERIVED_H
#define SCAP_DRIVERS_COMMON_BPF_FILL_DERIVED_H

#define SCAP_FILL_COMM_LEN 16u

static __always_inline scap_u32 scap_fill_comm(struct scap_fill_ctx *fc)
{
	long n;

#if SCAP_FILL_CORE
	if (fc->task) {
		n = SCAP_FILL_READ_KERNEL_STR(scap_fill_dst(fc), SCAP_FILL_COMM_LEN,
					      (const char *)fc->task + bpf_core_field_offset(struct task_struct, comm));
		return n > 0 ? (scap_u32)n : 0;
	}
#endif
	/* tmp first: bpf_get_current_comm tells no length, read_str does. */
	if (bpf_get_current_comm(fc->tmp, SCAP_FILL_COMM_LEN) != 0)
		return 0;
	n = SCAP_FILL_READ_KERNEL_STR(scap_fill_dst(fc), SCAP_FILL_COMM_LEN, fc->tmp);
	return n > 0 ? (scap_u32)n : 0;
}

#if SCAP_FILL_CORE

/*
 * kernfs_node before 6.15 named its parent `parent`, from 6.15 `__parent`:
 * both as flavours, so the program compiles against either kernel's
 * vmlinux.h (the host's, or an older target's such as Debian 12's arm64 6.1).
 */
struct kernfs_node___new {
	struct kernfs_node___new *__parent;
} __attribute__((preserve_access_index));
struct kernfs_node___old {
	struct kernfs_node___old *parent;
} __attribute__((preserve_access_index));

/*
 * Prepends "/name" in tmp, which is filled backwards from its middle; *off
 * is where the text starts. Returns 0, or -1 when it does not fit.
 */
static __always_inline int scap_fill_prepend(struct scap_fill_ctx *fc, scap_u32 *off, const char *name,
					     scap_u32 nlen)
{
	scap_u32 o;

	nlen &= SCAP_FILL_NAME_MAX;
	if (nlen + 1 >= *off)
		return -1;
	o = *off - (nlen + 1);
	/*
	 * barrier_var: from the test above clang proves o < TMP_HALF and drops
	 * the masks below (leaving a bare 32-bit zero extension). 5.4's
	 * verifier cannot follow that: it keeps no range through XOR, and clang
	 * subtracts as o = *off + ~nlen, so the store was refused ("R2
	 * unbounded memory access") and the CO-RE object did not load there.
	 */
	barrier_var(o);
	if (nlen && SCAP_FILL_READ_KERNEL(&fc->tmp[(o + 1) & SCAP_FILL_TMP_MASK], nlen, name) != 0)
		return -1;
	fc->tmp[o & SCAP_FILL_TMP_MASK] = '/';
	*off = o;
	return 0;
}

/* Copies the text built in tmp (from off to the middle, NUL included) out. */
static __always_inline scap_u32 scap_fill_tmp_out(struct scap_fill_ctx *fc, scap_u32 off)
{
	scap_u32 len;

	if (off == SCAP_FILL_TMP_HALF - 1) {
		off--; /* nothing prepended: the root */
		fc->tmp[off & SCAP_FILL_TMP_MASK] = '/';
	}
	len = SCAP_FILL_TMP_HALF - off;
	if (len > scap_fill_room(fc)) {
		fc->flags |= SCAP_EVF_TRUNCATED;
		return 0;
	}
	len &= SCAP_FILL_TMP_MASK;
	if (len == 0 || SCAP_FILL_READ_KERNEL(scap_fill_dst(fc), len, &fc->tmp[off & SCAP_FILL_TMP_MASK]) != 0)
		return 0;
	return len;
}

/*
 * Reads bytes [lo, hi) of the kernel object at base into b (room for
 * hi - lo bytes) with one probe read, for fields a step needs when they lie
 * close together (lo and hi are CO-RE offsets, constants to the verifier);
 * -1 when they lie too far apart, -2 when the read faulted.
 */
#define SCAP_FILL_SPAN_MAX 64u
static __always_inline int scap_fill_span_read(scap_u64 *b, const void *base, scap_u32 lo, scap_u32 hi)
{
	if (hi <= lo || hi - lo > SCAP_FILL_SPAN_MAX)
		return -1;
	return SCAP_FILL_READ_KERNEL(b, hi - lo, (const char *)base + lo) != 0 ? -2 : 0;
}

/*
 * What a step of the walk needs of a dentry (d_parent, then d_name: its
 * hash_len and name pointer) or of a mount (mnt_parent, mnt_mountpoint,
 * then mnt.mnt_root), in one read where this kernel lays them out side by
 * side, as every kernel since 3.x does; one read per field otherwise. A
 * probe read costs about 15-25 ns: the walk of /dev/shm/f takes 6 such reads
 * this way instead of 17 (docs/performance.md).
 */
static __always_inline int scap_fill_dentry_step(struct dentry *d, struct dentry **parent, const char **name,
						 scap_u32 *len)
{
	scap_u32 lo = bpf_core_field_offset(struct dentry, d_parent);
	scap_u64 b[3];

	if (bpf_core_field_offset(struct dentry, d_name) == lo + 8 && bpf_core_field_size(struct dentry, d_name) == 16 &&
	    bpf_core_field_offset(struct qstr, name) == 8) {
		if (scap_fill_span_read(b, d, lo, lo + sizeof(b)) != 0)
			return -1;
		*parent = (struct dentry *)(unsigned long)b[0];
		*len = (scap_u32)(b[1] >> 32); /* hashlen_len(): the high half on either byte order */
		*name = (const char *)(unsigned long)b[2];
		return 0;
	}
	*parent = BPF_CORE_READ(d, d_parent);
	*name = (const char *)BPF_CORE_READ(d, d_name.name);
	*len = BPF_CORE_READ(d, d_name.len);
	return 0;
}

static __always_inline int scap_fill_mount_step(struct mount *m, struct mount **parent, struct dentry **mountpoint,
						struct dentry **root)
{
	scap_u32 lo = bpf_core_field_offset(struct mount, mnt_parent);
	scap_u64 b[3];

	if (bpf_core_field_offset(struct mount, mnt_mountpoint) == lo + 8 &&
	    bpf_core_field_offset(struct mount, mnt) == lo + 16 && bpf_core_field_offset(struct vfsmount, mnt_root) == 0) {
		if (scap_fill_span_read(b, m, lo, lo + sizeof(b)) != 0)
			return -1;
		*parent = (struct mount *)(unsigned long)b[0];
		*mountpoint = (struct dentry *)(unsigned long)b[1];
		*root = (struct dentry *)(unsigned long)b[2];
		return 0;
	}
	*parent = BPF_CORE_READ(m, mnt_parent);
	*mountpoint = BPF_CORE_READ(m, mnt_mountpoint);
	*root = BPF_CORE_READ(m, mnt.mnt_root);
	return 0;
}

/*
 * The absolute path of a struct path, by walking dentries up to the root and
 * crossing mount points, at most SCAP_FILL_PATH_DEPTH steps and
 * SCAP_MAX_PATH_LEN bytes: a path past either keeps its last components,
 * relative (no leading '/'), and sets TRUNCATED.
 */
static __always_inline scap_u32 scap_fill_path(struct scap_fill_ctx *fc, struct path *p)
{
	struct dentry *dentry = p->dentry;
	struct mount *mnt = container_of(p->mnt, struct mount, mnt);
	struct dentry *parent, *mnt_root, *mountpoint;
	struct mount *mnt_parent;
	scap_u32 off = SCAP_FILL_TMP_HALF - 1;
	scap_u8 truncated = SCAP_EVF_TRUNCATED; /* until the root is reached */
	const char *name;
	scap_u32 nlen;

	if (!dentry || !p->mnt || scap_fill_mount_step(mnt, &mnt_parent, &mountpoint, &mnt_root) != 0)
		return 0;
	fc->tmp[off] = 0;
#pragma unroll
	for (int i = 0; i < SCAP_FILL_PATH_DEPTH; i++) {
		off &= SCAP_FILL_TMP_MASK; /* no value change; one range for every path (pruning) */
		if (dentry == mnt_root) {
			if (mnt_parent == mnt || !mnt_parent) {
				truncated = 0;
				break;
			}
			dentry = mountpoint;
			mnt = mnt_parent;
			if (scap_fill_mount_step(mnt, &mnt_parent, &mountpoint, &mnt_root) != 0)
				break;
			continue;
		}
		if (scap_fill_dentry_step(dentry, &parent, &name, &nlen) != 0)
			break;
		if (dentry == parent) {
			truncated = 0;
			break;
		}
		if (scap_fill_prepend(fc, &off, name, nlen) != 0)
			break;
		dentry = parent;
	}
	fc->flags |= truncated;
	/* A cut path keeps its last components without the leading '/': never another absolute path. */
	if (truncated && ++off >= SCAP_FILL_TMP_HALF - 1)
		return 0;
	return scap_fill_tmp_out(fc, off);
}

/* kernfs_node's parent, whatever this kernel calls it. */
static __always_inline struct kernfs_node *scap_fill_kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(((struct kernfs_node___new *)kn)->__parent))
		return (struct kernfs_node *)BPF_CORE_READ((struct kernfs_node___new *)kn, __parent);
	return (struct kernfs_node *)BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/*
 * The task's cgroup path, by walking kernfs nodes (best effort): the cgroup v2
 * one; on hosts with only cgroup v1 hierarchies (where v2 says "/") the
 * memory controller's, which every container runtime sets.
 */
static __always_inline scap_u32 scap_fill_cgroup(struct scap_fill_ctx *fc, struct task_struct *task)
{
	struct kernfs_node *kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
	struct kernfs_node *parent;

	if (kn && !scap_fill_kn_parent(kn) && bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id)) {
		struct kernfs_node *v1 = BPF_CORE_READ(task, cgroups,
						       subsys[bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id)],
						       cgroup, kn);
		if (v1)
			kn = v1;
	}
	scap_u32 off = SCAP_FILL_TMP_HALF - 1;
	const char *name;
	int done = 0;
	long n;

	if (!kn)
		return 0;
	fc->tmp[off] = 0;
#pragma unroll
	for (int i = 0; i < SCAP_FILL_CGROUP_DEPTH; i++) {
		off &= SCAP_FILL_TMP_MASK; /* as in scap_fill_path */
		parent = scap_fill_kn_parent(kn);
		if (!parent) {
			done = 1; /* the root node's name is not part of the path */
			break;
		}
		name = BPF_CORE_READ(kn, name);
		/* kernfs names have no length field: read into tmp's far half first. */
		n = SCAP_FILL_READ_KERNEL_STR(&fc->tmp[SCAP_FILL_TMP_HALF], SCAP_FILL_NAME_MAX + 1, name);
		if (n <= 1 || scap_fill_prepend(fc, &off, name, (scap_u32)n - 1) != 0)
			break;
		kn = parent;
	}
	if (!done) {
		fc->flags |= SCAP_EVF_TRUNCATED;
		/* As in scap_fill_path: a cut path is relative. */
		if (++off >= SCAP_FILL_TMP_HALF - 1)
			return 0;
	}
	return scap_fill_tmp_out(fc, off);
}

/*
 * The new image's argv, as the kernel laid it out: NUL-separated strings,
 * then the array's final NUL. Only a successful execve has a new image.
 */
static __always_inline scap_u32 scap_fill_mm_argv(struct scap_fill_ctx *fc, struct task_struct *task)
{
	scap_u64 start, end, n;
	scap_u8 *d = scap_fill_dst(fc);

	if (fc->ret != 0)
		return 0;
	start = BPF_CORE_READ(task, mm, arg_start);
	end = BPF_CORE_READ(task, mm, arg_end);
	if (!start || end <= start)
		return 0;
	/*
	 * One clamp and one mask only: older verifiers (6.1) derive impossible
	 * ranges from a chain of clamps and then refuse the dead path.
	 */
	if (scap_fill_room(fc) < SCAP_MAX_ARGV_LEN) {
		fc->flags |= SCAP_EVF_TRUNCATED;
		return 0;
	}
	n = end - start;
	if (n > SCAP_MAX_ARGV_LEN - 1) {
		n = SCAP_MAX_ARGV_LEN - 1;
		fc->flags |= SCAP_EVF_TRUNCATED;
	}
	n &= 2 * SCAP_MAX_ARGV_LEN - 1;
	if (n == 0 || SCAP_FILL_READ_USER(d, n, (const void *)start) != 0) {
		fc->partial = 1;
		return 0;
	}
	d[(n - 1) & (SCAP_MAX_ARGV_LEN - 1)] = 0; /* a cut string stays terminated */
	/*
	 * n comes back from the stack after the call, and 5.4's verifier
	 * forgets a spilled scalar's bounds: keep the mask clang would drop
	 * (it knows n < SCAP_MAX_ARGV_LEN).
	 */
	barrier_var(n);
	d[n & (SCAP_MAX_ARGV_LEN - 1)] = 0; /* the array's end */
	return (scap_u32)n + 1;
}

#define SCAP_FILL_WALK_EXE 0u
#define SCAP_FILL_WALK_CWD 1u
#define SCAP_FILL_WALK_CGROUP 2u
#define SCAP_FILL_WALK_FILE 3u

/* fc->file_known: which of the opened file's values are in fc */
#define SCAP_FILL_KNOWN_FILE 1u
#define SCAP_FILL_KNOWN_ID 2u
#define SCAP_FILL_KNOWN_ID_OK 4u /* and it has them (the call opened a file) */

/*
 * The struct file behind descriptor fd of the task, or NULL: the table as
 * the kernel reads it (files->fdt, checked against max_fds). At a syscall's
 * exit nothing but the thread itself (a close from another thread of the
 * process) can have changed that slot since the call installed it.
 */
static __always_inline struct file *scap_fill_fd_file(struct task_struct *task, scap_s64 fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	scap_u32 lo = bpf_core_field_offset(struct fdtable, max_fds);
	scap_u32 at = bpf_core_field_offset(struct fdtable, fd);
	scap_u64 b[SCAP_FILL_SPAN_MAX / 8];
	struct file **arr;
	struct file *f = NULL;
	scap_u32 max_fds;
	int r;

	if (!fdt || fd < 0)
		return NULL;
	r = scap_fill_span_read(b, fdt, lo, at + 8);
	if (r == 0) {
		max_fds = *(scap_u32 *)((scap_u8 *)b + 0);
		arr = *(struct file ***)((scap_u8 *)b + (at - lo));
	} else if (r == -1) {
		max_fds = BPF_CORE_READ(fdt, max_fds);
		arr = BPF_CORE_READ(fdt, fd);
	} else {
		return NULL;
	}
	if (fd >= (scap_s64)max_fds || !arr || SCAP_FILL_READ_KERNEL(&f, sizeof(f), &arr[fd]) != 0)
		return NULL;
	return f;
}

/* The file the call opened (its returned descriptor's), looked up once per event; NULL when it failed. */
static __always_inline struct file *scap_fill_opened_file(struct scap_fill_ctx *fc, struct task_struct *task)
{
	if (!(fc->file_known & SCAP_FILL_KNOWN_FILE)) {
		fc->file = fc->ret >= 0 ? (scap_u64)(unsigned long)scap_fill_fd_file(task, fc->ret) : 0;
		fc->file_known |= SCAP_FILL_KNOWN_FILE;
	}
	return (struct file *)(unsigned long)fc->file;
}

/* EXE, CWD, CGROUP or the path of struct file `file` (WALK_FILE), walked inline. */
static __always_inline scap_u32 scap_fill_walk_inline(struct scap_fill_ctx *fc, struct task_struct *task,
						      scap_u32 what, scap_u64 file)
{
	struct path p;

	if (what == SCAP_FILL_WALK_CGROUP)
		return scap_fill_cgroup(fc, task);
	if (what == SCAP_FILL_WALK_FILE) {
		if (!file || BPF_CORE_READ_INTO(&p, (struct file *)(unsigned long)file, f_path) != 0)
			return 0;
	} else if (what == SCAP_FILL_WALK_EXE ? BPF_CORE_READ_INTO(&p, task, mm, exe_file, f_path) != 0
					      : BPF_CORE_READ_INTO(&p, task, fs, pwd) != 0) {
		return 0;
	}
	return scap_fill_path(fc, &p);
}

#if SCAP_FILL_WALK_SUBPROG
/*
 * The walks in one global function. The verifier checks a global function
 * once, on its own, where an inline walk is checked again for each call site
 * and each path that leads to it: execve's exit program took 91k processed
 * instructions and 0.16 s of start-up with the walks inline. Global
 * functions take only scalars before 5.12, so the scratch is looked up again
 * (same CPU: tracing programs run with migration disabled). Returns the
 * length written at pos, with the header flags to add in bits 16-23.
 */

/* Defined by the includer, after its scratch map: this CPU's scratch or NULL. */
static __always_inline struct scap_fill_scratch *scap_fill_walk_scratch(void);

__noinline int scap_fill_walk(scap_u32 what, scap_u32 pos, scap_u64 task, scap_u64 file)
{
	struct scap_fill_scratch *s = scap_fill_walk_scratch();
	struct scap_fill_ctx fc = {};
	scap_u32 len;

	if (!s)
		return 0;
	fc.buf = s->buf;
	fc.tmp = s->tmp;
	fc.pos = pos & (SCAP_FILL_BUF_SIZE - 1u);
	len = scap_fill_walk_inline(&fc, (struct task_struct *)(task ? task : bpf_get_current_task()), what, file);
	return (int)((len & 0xffffu) | ((scap_u32)fc.flags << 16));
}
#endif

static __always_inline scap_u32 scap_fill_walk_task(struct scap_fill_ctx *fc, struct task_struct *task,
						    const scap_u32 what, scap_u64 file)
{
#if SCAP_FILL_WALK_SUBPROG
	scap_u32 r = (scap_u32)scap_fill_walk(what, fc->pos, fc->task, file);

	fc->flags |= (scap_u8)(r >> 16);
	return r & 0xffffu;
#else
	return scap_fill_walk_inline(fc, task, what, file);
#endif
}

/* new_encode_dev: the kernel's dev_t (major << 20 | minor) as stat(2)'s st_dev has it. */
static __always_inline scap_u64 scap_fill_encode_dev(scap_u32 dev)
{
	scap_u32 major = dev >> 20, minor = dev & 0xfffffu;

	return (minor & 0xffu) | (major << 8) | ((minor & ~0xffu) << 12);
}

/*
 * The device or inode of the file the call opened (its returned descriptor),
 * empty when it failed. Both are read at the first of the two.
 */
static __always_inline scap_u32 scap_fill_opened_id(struct scap_fill_ctx *fc, const scap_u8 type,
						    struct task_struct *task, const scap_u8 id)
{
	if (!(fc->file_known & SCAP_FILL_KNOWN_ID)) {
		struct file *f = scap_fill_opened_file(fc, task);
		struct inode *inode = f ? BPF_CORE_READ(f, f_inode) : NULL;
		scap_u32 lo = bpf_core_field_offset(struct inode, i_sb);
		scap_u32 at = bpf_core_field_offset(struct inode, i_ino);
		scap_u64 b[SCAP_FILL_SPAN_MAX / 8];
		struct super_block *sb = NULL;
		int r;

		fc->file_known |= SCAP_FILL_KNOWN_ID;
		if (inode) {
			r = scap_fill_span_read(b, inode, lo, at + 8);
			if (r == 0) {
				sb = *(struct super_block **)((scap_u8 *)b + 0);
				fc->ino = *(scap_u64 *)((scap_u8 *)b + (at - lo));
			} else if (r == -1) {
				sb = BPF_CORE_READ(inode, i_sb);
				fc->ino = BPF_CORE_READ(inode, i_ino);
			}
		}
		if (sb) {
			fc->dev = scap_fill_encode_dev(BPF_CORE_READ(sb, s_dev));
			fc->file_known |= SCAP_FILL_KNOWN_ID_OK;
		}
	}
	if (!(fc->file_known & SCAP_FILL_KNOWN_ID_OK))
		return 0;
	return scap_fill_int(fc, type, id == SCAP_DRV_OPENED_DEV ? fc->dev : fc->ino);
}

/*
 * The number of pid struct `pid` in the namespace it belongs to, the task's
 * own (pid_vnr): numbers[pid->level].nr. The array has level + 1 entries.
 */
static __always_inline scap_u32 scap_fill_pid_vnr(struct scap_fill_ctx *fc, const scap_u8 type, struct pid *pid)
{
	unsigned int level = BPF_CORE_READ(pid, level);
	const char *upid;
	int nr = 0;

	if (!pid)
		return 0;
	upid = (const char *)pid + bpf_core_field_offset(struct pid, numbers) +
	       (scap_u64)level * bpf_core_type_size(struct upid);
	if (SCAP_FILL_READ_KERNEL(&nr, sizeof(nr), upid + bpf_core_field_offset(struct upid, nr)) != 0 || !nr)
		return 0;
	return scap_fill_int(fc, type, (scap_u64)(scap_s64)nr);
}

/* The wait(2) status of the ending thread (do_exit stored it before sched_process_exit). */
static __always_inline scap_u32 scap_fill_exit_status(struct task_struct *task)
{
	return (scap_u32)BPF_CORE_READ(task, exit_code);
}

/*
 * connect's peer: the address its socket (argument 0) is connected to, read
 * from the socket after a successful call, as getpeername would answer it;
 * built in sockaddr form in tmp's far half and encoded like the caller's.
 */
static __always_inline scap_u32 scap_fill_conn_peer(struct scap_fill_ctx *fc, struct task_struct *task)
{
	scap_u8 *sa = &fc->tmp[SCAP_FILL_TMP_HALF];
	struct unix_address *ua = NULL;
	struct socket *sock;
	struct sock *sk, *peer;
	struct file *f;
	scap_u16 fam;

	if (fc->ret != 0)
		return 0;
	f = scap_fill_fd_file(task, (scap_s64)(scap_s32)fc->args[0]);
	sock = f ? (struct socket *)BPF_CORE_READ(f, private_data) : NULL;
	sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	if (!sk)
		return 0;
	fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	__builtin_memset(sa, 0, 28);
	__builtin_memcpy(sa, &fam, 2);
	switch (fam) {
	case SCAP_FILL_AF_INET:
		/* sockaddr_in: family, port (network order), address */
		BPF_CORE_READ_INTO((scap_u16 *)&sa[2], sk, __sk_common.skc_dport);
		BPF_CORE_READ_INTO((scap_u32 *)&sa[4], sk, __sk_common.skc_daddr);
		return scap_fill_sockaddr_at(fc, (scap_u64)(unsigned long)sa, 16, 1);
	case SCAP_FILL_AF_INET6:
		/* sockaddr_in6: family, port, flowinfo, address (a kernel without IPv6 has no such socket) */
		if (!bpf_core_field_exists(sk->__sk_common.skc_v6_daddr))
			return 0;
		BPF_CORE_READ_INTO((scap_u16 *)&sa[2], sk, __sk_common.skc_dport);
		BPF_CORE_READ_INTO((struct in6_addr *)&sa[8], sk, __sk_common.skc_v6_daddr);
		return scap_fill_sockaddr_at(fc, (scap_u64)(unsigned long)sa, 28, 1);
	case SCAP_FILL_AF_UNIX:
		/* The peer's bound name; an unbound peer is the family alone, as unix_getname says. */
		if (!bpf_core_type_exists(struct unix_sock))
			return 0;
		peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
		if (peer)
			ua = BPF_CORE_READ((struct unix_sock *)peer, addr);
		if (!ua)
			return scap_fill_sockaddr_at(fc, (scap_u64)(unsigned long)sa, 2, 1);
		return scap_fill_sockaddr_at(fc,
					     (scap_u64)(unsigned long)ua + bpf_core_field_offset(struct unix_address, name),
					     BPF_CORE_READ(ua, len), 1);
	default:
		return scap_fill_sockaddr_at(fc, (scap_u64)(unsigned long)sa, 2, 1);
	}
}

static __always_inline scap_u32 scap_fill_task_value(struct scap_fill_ctx *fc, const scap_u8 type,
						     const scap_u8 id)
{
	struct task_struct *task = (struct task_struct *)(fc->task ? fc->task : bpf_get_current_task());
	scap_u32 st;

	switch (id) {
	case SCAP_DRV_PPID:
		return scap_fill_int(fc, type, (scap_u64)(scap_s64)BPF_CORE_READ(task, real_parent, tgid));
	case SCAP_DRV_UID:
		return scap_fill_int(fc, type, BPF_CORE_READ(task, cred, uid.val));
	case SCAP_DRV_GID:
		return scap_fill_int(fc, type, BPF_CORE_READ(task, cred, gid.val));
	case SCAP_DRV_EUID:
		return scap_fill_int(fc, type, BPF_CORE_READ(task, cred, euid.val));
	case SCAP_DRV_EGID:
		return scap_fill_int(fc, type, BPF_CORE_READ(task, cred, egid.val));
	case SCAP_DRV_LOGINUID:
		/* Without audit support the kernel has no login uid: unset, as audit_get_loginuid says. */
		if (!bpf_core_field_exists(task->loginuid))
			return scap_fill_int(fc, type, 0xffffffffu);
		return scap_fill_int(fc, type, BPF_CORE_READ(task, loginuid.val));
	case SCAP_DRV_VTID:
		return scap_fill_pid_vnr(fc, type, BPF_CORE_READ(task, thread_pid));
	case SCAP_DRV_VPID:
		return scap_fill_pid_vnr(fc, type, BPF_CORE_READ(task, group_leader, thread_pid));
	case SCAP_DRV_EXIT_STATUS:
		return scap_fill_int(fc, type, scap_fill_exit_status(task));
	case SCAP_DRV_EXIT_CODE:
		st = scap_fill_exit_status(task);
		return scap_fill_int(fc, type, (st & 0x7f) ? 0 : (st >> 8) & 0xff);
	case SCAP_DRV_EXIT_SIGNAL:
		return scap_fill_int(fc, type, scap_fill_exit_status(task) & 0x7f);
	case SCAP_DRV_EXIT_CORE:
		return scap_fill_int(fc, type, (scap_fill_exit_status(task) & 0x80) ? 1 : 0);
	case SCAP_DRV_EXIT_LAST:
		/*
		 * do_exit decremented signal->live before the tracepoint: 0 means
		 * no thread of the process is left. Threads ending at the same
		 * instant can each see 0; the tracepoint's group_dead (6.16+),
		 * when the caller has it, names exactly one.
		 */
		if (fc->exit_last != SCAP_FILL_LAST_UNKNOWN)
			return scap_fill_int(fc, type, fc->exit_last == SCAP_FILL_LAST_YES);
		return scap_fill_int(fc, type, BPF_CORE_READ(task, signal, live.counter) == 0);
	case SCAP_DRV_EXE:
		return scap_fill_walk_task(fc, task, SCAP_FILL_WALK_EXE, 0);
	case SCAP_DRV_CWD:
		return scap_fill_walk_task(fc, task, SCAP_FILL_WALK_CWD, 0);
	case SCAP_DRV_CGROUP:
		return scap_fill_walk_task(fc, task, SCAP_FILL_WALK_CGROUP, 0);
	case SCAP_DRV_OPENED_PATH:
		return scap_fill_walk_task(fc, task, SCAP_FILL_WALK_FILE,
					   (scap_u64)(unsigned long)scap_fill_opened_file(fc, task));
	case SCAP_DRV_OPENED_DEV:
	case SCAP_DRV_OPENED_INO:
		return scap_fill_opened_id(fc, type, task, id);
	case SCAP_DRV_CONN_PEER:
		return scap_fill_conn_peer(fc, task);
	case SCAP_DRV_ARGV:
		return scap_fill_mm_argv(fc, task);
	case SCAP_DRV_EXECFN:
		/*
		 * The kernel copied it there itself: resident, unlike the caller's
		 * string at enter. Only a successful execve has a new image.
		 */
		if (fc->ret != 0)
			return 0;
		return scap_fill_user_str(fc, BPF_CORE_READ(task, mm, env_end), SCAP_MAX_PATH_LEN);
	default:
		return 0;
	}
}

#else /* !SCAP_FILL_CORE */

/*
 * Without structure offsets, only what helpers or the registers give: the
 * ids from bpf_get_current_uid_gid, and the new image's argv from its fresh
 * stack (after a successful execve the user sp points at argc, then the argv
 * pointers, which the kernel just wrote: no page is missing).
 */
static __always_inline scap_u32 scap_fill_task_value(struct scap_fill_ctx *fc, const scap_u8 type,
						     const scap_u8 id)
{
	scap_u64 ugid;

	switch (id) {
	case SCAP_DRV_EXIT_LAST:
		/* Only the tracepoint's group_dead (6.16+) tells it without task_struct offsets. */
		if (fc->exit_last == SCAP_FILL_LAST_UNKNOWN)
			return 0;
		return scap_fill_int(fc, type, fc->exit_last == SCAP_FILL_LAST_YES);
	case SCAP_DRV_UID:
		ugid = bpf_get_current_uid_gid();
		return scap_fill_int(fc, type, (scap_u32)ugid);
	case SCAP_DRV_GID:
		ugid = bpf_get_current_uid_gid();
		return scap_fill_int(fc, type, (scap_u32)(ugid >> 32));
	case SCAP_DRV_ARGV:
		if (!fc->user_sp || fc->ret != 0)
			return 0;
		return scap_fill_user_strarray(fc, fc->user_sp + 8);
	case SCAP_DRV_EXECFN:
		/* A kernel copy the driver kept (the bpf driver's tracepoint mode). */
		if (!fc->execfn || fc->ret != 0)
			return 0;
		return scap_fill_kernel_str(fc, fc->execfn, SCAP_FILL_EXECFN_MAX);
	default:
		return 0;
	}
}

#endif

/*
 * An integer the syscall wrote to (or read from) user memory: `size` bytes
 * (4 or 8, constant) at ptr, sign-extended from 32 bits for fds. Empty when
 * unreadable.
 */
static __always_inline scap_u32 scap_fill_user_int(struct scap_fill_ctx *fc, const scap_u8 type, scap_u64 ptr,
						   const scap_u32 size)
{
	scap_u64 v = 0;
	scap_u32 v32 = 0;
	long err;

	if (!ptr)
		return 0;
	/*
	 * A 4-byte value is read into a 4-byte variable: read into the u64 it
	 * would land in the u64's first bytes, its high half on a big-endian
	 * machine (s390x).
	 */
	if (size == 4) {
		err = SCAP_FILL_READ_USER(&v32, sizeof(v32), (const void *)ptr);
		v = v32;
	} else {
		err = SCAP_FILL_READ_USER(&v, sizeof(v), (const void *)ptr);
	}
	if (err != 0) {
		fc->partial = 1;
		return 0;
	}
	if (type == SCAP_PT_FD || type == SCAP_PT_PID)
		v = (scap_u64)(scap_s64)(scap_s32)v;
	return scap_fill_int(fc, type, v);
}

/*
 * The sockaddr the kernel wrote back (accept's peer, recvfrom's source): aux
 * is the socklen_t * argument, the address is the argument before it. After
 * the call *addrlen holds the address's real length; a failed call wrote
 * nothing worth reading.
 */
static __always_inline scap_u32 scap_fill_sockaddr_out(struct scap_fill_ctx *fc, const scap_u8 aux)
{
	scap_u64 lenp = scap_fill_src(fc, aux);
	scap_s32 alen = 0;

	if (fc->ret < 0 || !SCAP_SRC_IS_ARG(aux) || aux == SCAP_SRC_ARG(0) || !lenp)
		return 0;
	if (SCAP_FILL_READ_USER(&alen, sizeof(alen), (const void *)lenp) != 0) {
		fc->partial = 1;
		return 0;
	}
	return scap_fill_sockaddr(fc, scap_fill_src(fc, aux - 1), alen);
}

/* Clone flags and signal numbers (x86_64's, the same on aarch64), for the rows whose syscall has no flags argument. */
#define SCAP_FILL_SIGCHLD 17u
#define SCAP_FILL_CLONE_VM 0x100u
#define SCAP_FILL_CLONE_VFORK 0x4000u

/*
 * The clone flags of fork and vfork (what the kernel passes to kernel_clone
 * for them) and of clone3 (struct clone_args.flags, the first u64 at
 * argument 0; in the new task its copy of the caller's memory holds the same).
 */
static __always_inline scap_u32 scap_fill_clone_flags(struct scap_fill_ctx *fc, const scap_u8 type)
{
	/* Not a switch: on aarch64 fork and vfork are both SCAP_NR_ABSENT (never a syscall's nr). */
	if (fc->nr == (scap_u32)SCAP_NR_fork)
		return scap_fill_int(fc, type, SCAP_FILL_SIGCHLD);
	if (fc->nr == (scap_u32)SCAP_NR_vfork)
		return scap_fill_int(fc, type, SCAP_FILL_CLONE_VM | SCAP_FILL_CLONE_VFORK | SCAP_FILL_SIGCHLD);
	if (fc->nr == (scap_u32)SCAP_NR_clone3)
		return scap_fill_user_int(fc, type, fc->args[0], 8);
	return 0;
}

static __always_inline scap_u32 scap_fill_derived(struct scap_fill_ctx *fc, const scap_u8 type, const scap_u8 id,
						  const scap_u8 aux)
{
	switch (id) {
	case SCAP_DRV_SYSCALL_NR:
		return scap_fill_int(fc, type, fc->nr);
	case SCAP_DRV_RAW_ARGS:
		return scap_fill_args(fc);
	case SCAP_DRV_COMM:
		return scap_fill_comm(fc);
	case SCAP_DRV_FD_PAIR:
	case SCAP_DRV_FD_PAIR_1:
		/* pipe/socketpair return 0 once the array is written; before, it is garbage. */
		if (fc->ret != 0)
			return 0;
		return scap_fill_user_int(fc, type, scap_fill_src(fc, aux) + (id == SCAP_DRV_FD_PAIR_1 ? 4 : 0), 4);
	case SCAP_DRV_SOCKADDR_OUT:
		return scap_fill_sockaddr_out(fc, aux);
	/* struct open_how { __u64 flags, mode, resolve; } at argument 2. */
	case SCAP_DRV_HOW_FLAGS:
		return scap_fill_user_int(fc, type, fc->args[2], 8);
	case SCAP_DRV_HOW_MODE:
		return scap_fill_user_int(fc, type, fc->args[2] ? fc->args[2] + 8 : 0, 8);
	case SCAP_DRV_HOW_RESOLVE:
		return scap_fill_user_int(fc, type, fc->args[2] ? fc->args[2] + 16 : 0, 8);
	case SCAP_DRV_CLONE_FLAGS:
		return scap_fill_clone_flags(fc, type);
	case SCAP_DRV_OLD_TID:
		/* The header's tid is written before the parameters (scap_fill_event). */
		return scap_fill_int(fc, type, fc->old_tid ? fc->old_tid : ((struct scap_evt_hdr *)fc->buf)->tid);
	default:
		return scap_fill_task_value(fc, type, id);
	}
}

#endif
