/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Schema-driven event fill for the eBPF drivers (modern_bpf and bpf).
 *
 * One always-inline function, scap_fill_event(fc, CODE), writes a complete
 * event of the constant event code CODE into a scratch buffer: the header,
 * the parameter lengths and the parameters, walking the row's descriptors of
 * drivers/common/events.def (expanded by fill_table.h into straight-line code
 * with constant descriptors: only the row's own code is emitted, and no
 * .rodata is referenced, so objects load on kernels without global data). The caller then hands the finished bytes to its own output (modern:
 * bpf_ringbuf_output, legacy: bpf_perf_event_output); nothing here knows
 * about buffers.
 *
 * ---- Interface ------------------------------------------------------------
 * Before including this header, the includer includes its kernel types
 * (vmlinux.h, or linux/types.h + linux/bpf.h) and <bpf/bpf_helpers.h>, and
 * may define:
 *   SCAP_FILL_READ_USER(dst, sz, src)        default bpf_probe_read_user
 *   SCAP_FILL_READ_USER_STR(dst, sz, src)    default bpf_probe_read_user_str
 *   SCAP_FILL_READ_KERNEL(dst, sz, src)      default bpf_probe_read_kernel
 *   SCAP_FILL_READ_KERNEL_STR(dst, sz, src)  default bpf_probe_read_kernel_str
 *       (the legacy driver defines all four as bpf_probe_read/_str, which
 *        exist on 4.14)
 *   SCAP_FILL_NOW()     timestamp, default bpf_ktime_get_boot_ns() (5.8+;
 *                       legacy: bpf_ktime_get_ns() and convert in user space)
 *   SCAP_FILL_CORE      1: derived task values (PPID, UID, GID, EUID, EGID,
 *                       LOGINUID, VTID, VPID, EXE, CWD, CGROUP, ARGV, the
 *                       EXIT_* of procexit) are read through CO-RE
 *                       (BPF_CORE_READ; include <bpf/bpf_core_read.h> and a
 *                       vmlinux.h first). 0 or undefined: those parameters
 *                       are left empty (length 0) but UID and GID (a helper)
 *                       and EXIT_LAST when the caller knows it; SYSCALL_NR,
 *                       RAW_ARGS, COMM, CLONE_FLAGS and OLD_TID are always
 *                       filled.
 *   SCAP_FILL_WALK_SUBPROG  1 (with SCAP_FILL_CORE, kernels >= 5.6): the
 *                       EXE/CWD/CGROUP walks run in the global function
 *                       scap_fill_walk(), verified once instead of once per
 *                       use; the includer then defines
 *                       scap_fill_walk_scratch() after its scratch map.
 *
 * The scratch memory is struct scap_fill_scratch (one per CPU: a
 * BPF_MAP_TYPE_ARRAY indexed by CPU, because per-CPU array values are limited
 * to 32 KiB). The caller looks it up and fills a struct scap_fill_ctx:
 *
 *   struct scap_fill_ctx fc = {
 *           .buf = s->buf, .tmp = s->tmp,
 *           .args = { six syscall arguments }, .ret = return value (exit),
 *           .nr = syscall number, .snaplen = bytes kept of I/O buffers,
 *           .pid_tgid = the current thread's, if known (else 0),
 *           .old_tid = a successful execve's calling tid, if kept (else 0),
 *           .exit_last = procexit: SCAP_FILL_LAST_YES/NO from the
 *                        tracepoint's group_dead, if it has one,
 *   };
 *   __u32 len = scap_fill_event(&fc, SCAP_EV_OPENAT_X);
 *   bpf_ringbuf_output(rb, fc.buf, SCAP_FILL_OUT_LEN(len), flags);
 *
 * scap_fill_event never fails: a value that does not exist (NULL pointer,
 * not available in this driver) becomes an empty parameter; one that cannot
 * be read (fault) an empty parameter marked SCAP_PARAM_PARTIAL; one cut to
 * fit (snaplen, size limits, path depth) keeps what fits, marked
 * SCAP_PARAM_PARTIAL, and sets SCAP_EVF_TRUNCATED in the header. A writer
 * says which by setting fc->partial (nothing or part of the value could be
 * read) or SCAP_EVF_TRUNCATED in fc->flags (cut at a limit) while it fills
 * its parameter; scap_fill_step turns either into the mark of that
 * parameter. Every event fits in SCAP_FILL_MAX_EVENT bytes.
 * fc.drop_reason stays 0 (reserved for callers: SCAP_FILL_DROP_*).
 *
 * Verifier notes: every loop has a constant bound and is unrolled; every
 * variable offset into buf is masked with SCAP_FILL_MASK (buf is twice the
 * largest event, so offset < half plus size <= half stays inside); tmp is
 * used the same way with SCAP_FILL_TMP_MASK for path walks.
 */
#ifndef SCAP_DRIVERS_COMMON_BPF_FILL_H
#define SCAP_DRIVERS_COMMON_BPF_FILL_H

#include "../schema.h"

#ifndef SCAP_FILL_READ_USER
#define SCAP_FILL_READ_USER bpf_probe_read_user
#define SCAP_FILL_READ_USER_STR bpf_probe_read_user_str
#define SCAP_FILL_READ_KERNEL bpf_probe_read_kernel
#define SCAP_FILL_READ_KERNEL_STR bpf_probe_read_kernel_str
#endif
#ifndef SCAP_FILL_NOW
#define SCAP_FILL_NOW() bpf_ktime_get_boot_ns()
#endif
#ifndef SCAP_FILL_CORE
#define SCAP_FILL_CORE 0
#endif
#ifndef SCAP_FILL_WALK_SUBPROG
#define SCAP_FILL_WALK_SUBPROG 0
#endif

#define SCAP_FILL_MAX_EVENT 32768u                    /* largest event a BPF driver writes */
#define SCAP_FILL_BUF_SIZE (2u * SCAP_FILL_MAX_EVENT) /* power of two */
#define SCAP_FILL_MASK (SCAP_FILL_MAX_EVENT - 1u)
#define SCAP_FILL_TMP_HALF 4096u                      /* a path is at most this long */
#define SCAP_FILL_TMP_SIZE (2u * SCAP_FILL_TMP_HALF)
#define SCAP_FILL_TMP_MASK (SCAP_FILL_TMP_HALF - 1u)
#define SCAP_FILL_PATH_DEPTH 24u   /* dentries walked for EXE/CWD */
#define SCAP_FILL_CGROUP_DEPTH 12u /* kernfs nodes walked for CGROUP */
#define SCAP_FILL_NAME_MAX 255u

/* The caller masks the returned length with this before its output helper. */
#define SCAP_FILL_OUT_LEN(len) ((len) & (SCAP_FILL_BUF_SIZE - 1u))

/* Reasons a caller may give when it counts a drop. */
#define SCAP_FILL_DROP_NONE 0u
#define SCAP_FILL_DROP_NO_SCRATCH 1u
#define SCAP_FILL_DROP_BUFFER_FULL 2u
#define SCAP_FILL_DROP_OTHER 3u

SCAP_STATIC_ASSERT((SCAP_FILL_BUF_SIZE & (SCAP_FILL_BUF_SIZE - 1)) == 0, "scratch is a power of two");
SCAP_STATIC_ASSERT(SCAP_FILL_MAX_EVENT <= SCAP_MAX_EVENT_LEN, "BPF events respect the layout limit");
SCAP_STATIC_ASSERT(SCAP_MAX_SNAPLEN + SCAP_EVT_HDR_LEN + 2 * SCAP_MAX_PARAMS + 64 <= SCAP_FILL_MAX_EVENT,
		   "a full snaplen buffer fits in one event");
SCAP_STATIC_ASSERT(SCAP_MAX_PATH_LEN == SCAP_FILL_TMP_HALF, "path walk area holds PATH_MAX");

/* The longest execve file name the bpf driver's tracepoint mode keeps (NUL included). */
#define SCAP_FILL_EXECFN_MAX 256u

struct scap_fill_scratch {
	scap_u8 buf[SCAP_FILL_BUF_SIZE];
	scap_u8 tmp[SCAP_FILL_TMP_SIZE];
};

struct scap_fill_ctx {
	scap_u8 *buf;        /* scratch->buf: the event is built here */
	scap_u8 *tmp;        /* scratch->tmp: path walks */
	scap_u64 args[SCAP_GENERIC_NARGS];
	scap_s64 ret;
	scap_u64 user_sp;    /* !SCAP_FILL_CORE: user stack pointer at exit, 0 = unknown */
	scap_u64 execfn;     /* !SCAP_FILL_CORE: kernel copy of execve's file name, 0 = unknown */
	scap_u32 pos;        /* next free byte in buf */
	scap_u32 snaplen;    /* 1..SCAP_MAX_SNAPLEN */
	scap_u32 nr;         /* syscall number */
	scap_u64 pid_tgid;   /* as bpf_get_current_pid_tgid() returns it; 0: the fill asks */
	scap_u64 task;       /* SCAP_FILL_CORE: the task_struct the context parameters are of,
	                        as a scalar (arm64's new child at sched_process_fork); 0: current */
	scap_u32 old_tid;    /* execve exit: the tid that called it, 0 = the event's own */
	scap_u64 file;       /* SCAP_FILL_CORE: the opened file (struct file *), once file_known has FILE */
	scap_u64 dev, ino;   /* its st_dev and inode number, once file_known has ID */
	scap_u8 file_known;  /* SCAP_FILL_KNOWN_*: the open family's three values share one lookup */
	scap_u8 exit_last;   /* procexit: SCAP_FILL_LAST_* (the tracepoint's group_dead) */
	scap_u8 flags;       /* SCAP_EVF_* of the header */
	scap_u8 drop_reason; /* SCAP_FILL_DROP_* (callers) */
	scap_u8 partial;     /* the parameter being filled is not whole (see above) */
};

/* fc->exit_last: unknown (CO-RE reads signal->live), or what sched_process_exit said. */
#define SCAP_FILL_LAST_UNKNOWN 0u
#define SCAP_FILL_LAST_NO 1u
#define SCAP_FILL_LAST_YES 2u

#include "fill_params.h"
#include "fill_derived.h"

static __always_inline scap_u32 scap_fill_param(struct scap_fill_ctx *fc, const scap_u8 type,
						const scap_u8 src, const scap_u8 aux, const scap_u32 row_flags)
{
	if (src == SCAP_SRC_NONE)
		return 0;
	if (SCAP_SRC_IS_DERIVED(src)) {
		/* The clone family: the new task's context only in its own return. */
		if ((row_flags & SCAP_EF_CHILD_CTX) && fc->ret != 0 &&
		    SCAP_SRC_DERIVED_ID(src) != SCAP_DRV_CLONE_FLAGS)
			return 0;
		return scap_fill_derived(fc, type, SCAP_SRC_DERIVED_ID(src), aux);
	}

	switch (type) {
	case SCAP_PT_PATH:
	case SCAP_PT_CHARBUF:
		return scap_fill_user_str(fc, scap_fill_src(fc, src), SCAP_MAX_PATH_LEN);
	case SCAP_PT_BYTEBUF:
		return scap_fill_user_buf(fc, scap_fill_src(fc, src), (scap_s64)scap_fill_src(fc, aux));
	case SCAP_PT_SOCKADDR:
		return scap_fill_sockaddr(fc, scap_fill_src(fc, src), (scap_s64)scap_fill_src(fc, aux));
	case SCAP_PT_STRARRAY:
		return scap_fill_user_strarray(fc, scap_fill_src(fc, src));
	case SCAP_PT_ARGS:
		return scap_fill_args(fc);
	case SCAP_PT_FD:
	case SCAP_PT_PID:
		/* int-sized arguments arrive as unsigned long: sign-extend (AT_FDCWD), as kmod does. */
		return scap_fill_int(fc, type, (scap_u64)(scap_s64)(scap_s32)scap_fill_src(fc, src));
	default:
		return scap_fill_int(fc, type, scap_fill_src(fc, src));
	}
}

/*
 * One descriptor of a row flagged row_flags: fills it and writes its length at
 * constant index *i, with SCAP_PARAM_PARTIAL when the writer cut the value
 * (SCAP_EVF_TRUNCATED, which the header keeps only for a value with data) or
 * could not read it whole.
 */
static __always_inline void scap_fill_step(struct scap_fill_ctx *fc, scap_u32 *i, const scap_u8 type,
					   const scap_u8 src, const scap_u8 aux, const scap_u32 row_flags)
{
	scap_u8 before = fc->flags & SCAP_EVF_TRUNCATED;
	scap_u32 len, word;

	fc->flags &= ~SCAP_EVF_TRUNCATED;
	fc->partial = 0;
	len = scap_fill_param(fc, type, src, aux, row_flags);
	word = len;
	if ((fc->flags & SCAP_EVF_TRUNCATED) || fc->partial) {
		word |= SCAP_PARAM_PARTIAL;
		if (len)
			before = SCAP_EVF_TRUNCATED;
	}
	fc->flags = (fc->flags & ~SCAP_EVF_TRUNCATED) | before;
	*(scap_u16 *)&fc->buf[SCAP_EVT_HDR_LEN + SCAP_PARAM_LEN_SIZE * *i] = (scap_u16)word;
	/*
	 * pos stays <= SCAP_FILL_MAX_EVENT, so the mask changes no value; it gives
	 * the verifier the same range on every path, so that it prunes the paths
	 * of one parameter before the next instead of multiplying them.
	 */
	fc->pos = (fc->pos + len) & (SCAP_FILL_BUF_SIZE - 1u);
	(*i)++;
}

#include "fill_table.h"

/*
 * Builds the event of constant code `code` in fc->buf and returns its length
 * (header included), at most SCAP_FILL_MAX_EVENT.
 */
static __always_inline scap_u32 scap_fill_event(struct scap_fill_ctx *fc, const scap_u16 code)
{
	struct scap_evt_hdr *h = (struct scap_evt_hdr *)fc->buf;
	/* A caller that already knows the thread saves a helper call (no syscall runs as pid 0). */
	scap_u64 pid_tgid = fc->pid_tgid ? fc->pid_tgid : bpf_get_current_pid_tgid();
	scap_u8 n;

	h->ts = SCAP_FILL_NOW();
	h->tid = (scap_u32)pid_tgid;
	h->pid = (scap_u32)(pid_tgid >> 32);
	n = scap_fill_rows(fc, code);
	h->len = fc->pos;
	h->type = code;
	h->nparams = n;
	h->flags = fc->flags;
	return fc->pos;
}

#endif
