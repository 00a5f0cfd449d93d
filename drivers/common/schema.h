/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only OR MIT */
/*
 * The event schema: parameter types, where each value comes from, and the
 * event codes, all expanded from the one table in events.def. User space, the
 * kernel module and the eBPF programs include this header; each side expands
 * events.def once more for the tables it needs (names and print formats in
 * user space, fill descriptors in the drivers).
 */
#ifndef SCAP_DRIVERS_COMMON_SCHEMA_H
#define SCAP_DRIVERS_COMMON_SCHEMA_H

#include "scap_types.h"
#include "event_layout.h"
#include "arch.h"

/*
 * Parameter types. The wire encoding of each is given in docs/event-format.md;
 * integers are fixed width, little endian.
 */
enum scap_param_type {
	SCAP_PT_NONE = 0,
	SCAP_PT_INT8, SCAP_PT_INT16, SCAP_PT_INT32, SCAP_PT_INT64,
	SCAP_PT_UINT8, SCAP_PT_UINT16, SCAP_PT_UINT32, SCAP_PT_UINT64,
	SCAP_PT_FD,         /* s64: a file descriptor (AT_FDCWD prints as such) */
	SCAP_PT_PID,        /* s64: a process or thread id */
	SCAP_PT_UID,        /* u32 */
	SCAP_PT_GID,        /* u32 */
	SCAP_PT_RES,        /* s64: a syscall's return value; -4095..-1 is -errno */
	SCAP_PT_SYSCALLID,  /* u32: a syscall number of the event's architecture */
	SCAP_PT_FLAGS32,    /* u32 with a symbol table (aux: enum scap_flagset) */
	SCAP_PT_ENUM32,     /* s32 with a symbol table of exact values (aux: flagset) */
	SCAP_PT_MODE,       /* u32: file mode bits, printed in octal */
	SCAP_PT_ADDR,       /* u64: a user-space address, printed in hex */
	SCAP_PT_PATH,       /* NUL-terminated path from user memory */
	SCAP_PT_CHARBUF,    /* NUL-terminated string */
	SCAP_PT_BYTEBUF,    /* raw bytes, cut at snaplen (aux: length source) */
	SCAP_PT_SOCKADDR,   /* family byte + address (aux: length source) */
	SCAP_PT_STRARRAY,   /* NUL-terminated strings back to back (argv, envp) */
	SCAP_PT_ARGS,       /* 6 x u64: a syscall's raw arguments */
	SCAP_PT_FLAGS64,    /* u64 with a symbol table (aux: enum scap_flagset): clone3's flags */
	SCAP_PT_MAX
};

/*
 * Where a parameter's value comes from. A source is one byte:
 * SCAP_SRC_ARG(n) is syscall argument n (0..5), SCAP_SRC_RET the return value,
 * SCAP_SRC_DERIVED(d) a value computed by the driver's hand-written code.
 */
#define SCAP_SRC_NONE 0u
#define SCAP_SRC_ARG(n) (1u + (n))        /* 1..6 */
#define SCAP_SRC_RET 7u
#define SCAP_SRC_DERIVED(d) (8u + (d))    /* 8.. */
#define SCAP_SRC_IS_ARG(s) ((s) >= 1u && (s) <= 6u)
#define SCAP_SRC_ARGNO(s) ((s) - 1u)
#define SCAP_SRC_IS_DERIVED(s) ((s) >= 8u)
#define SCAP_SRC_DERIVED_ID(s) ((s) - 8u)

/* Values that are not syscall arguments; each driver computes them by hand. */
enum scap_derived {
	SCAP_DRV_SYSCALL_NR = 0,  /* the syscall number */
	SCAP_DRV_RAW_ARGS,        /* the six raw arguments */
	SCAP_DRV_PPID,            /* parent's tgid */
	SCAP_DRV_UID,             /* real uid */
	SCAP_DRV_GID,             /* real gid */
	SCAP_DRV_EUID,            /* effective uid */
	SCAP_DRV_CWD,             /* working directory (best effort) */
	SCAP_DRV_EXE,             /* path of the executable (task->mm->exe_file) */
	SCAP_DRV_COMM,            /* task comm */
	SCAP_DRV_CGROUP,          /* cgroup path or id (best effort) */
	SCAP_DRV_FD_PAIR,         /* int[2] written by pipe/socketpair: [0] (aux: ARG(n) of the array) */
	SCAP_DRV_ARGV,            /* argv of the new image (mm->arg_start..arg_end) */
	SCAP_DRV_EXECFN,          /* the path execve ran, as the new image's stack holds it
	                             (AT_EXECFN, right after the environment: mm->env_end) */
	SCAP_DRV_FD_PAIR_1,       /* the same array's [1] */
	SCAP_DRV_SOCKADDR_OUT,    /* sockaddr written by the kernel (accept, recvfrom): aux is
				   * ARG(n) of the socklen_t *, the address is argument n-1 */
	SCAP_DRV_HOW_FLAGS,       /* openat2's struct open_how (argument 2): .flags */
	SCAP_DRV_HOW_MODE,        /* .mode */
	SCAP_DRV_HOW_RESOLVE,     /* .resolve */
	/* The process lifecycle (procexit, the clone family's child-side return, execve). */
	SCAP_DRV_EGID,            /* effective gid */
	SCAP_DRV_LOGINUID,        /* audit login uid (task->loginuid); 4294967295 = unset */
	SCAP_DRV_VTID,            /* thread id as seen in the task's own pid namespace */
	SCAP_DRV_VPID,            /* process id (tgid) as seen in the task's own pid namespace */
	SCAP_DRV_OLD_TID,         /* execve/execveat exit: the thread id that called it; differs
				   * from the event's tid when a non-leader thread exec'd and took
				   * over the leader's id (sched_process_exec's old_pid) */
	SCAP_DRV_CLONE_FLAGS,     /* the clone flags of fork (SIGCHLD), vfork (CLONE_VM|CLONE_VFORK|
				   * SIGCHLD) and clone3 (struct clone_args.flags, argument 0) */
	SCAP_DRV_EXIT_STATUS,     /* procexit: the wait(2) status, task->exit_code */
	SCAP_DRV_EXIT_CODE,       /* procexit: WEXITSTATUS, (status >> 8) & 0xff; 0 when signaled */
	SCAP_DRV_EXIT_SIGNAL,     /* procexit: WTERMSIG, status & 0x7f; 0 when it exited */
	SCAP_DRV_EXIT_CORE,       /* procexit: WCOREDUMP, 1 when (status & 0x80) */
	SCAP_DRV_EXIT_LAST,       /* procexit: 1 when no thread of its process was still alive */
	/*
	 * What the call really opened (SCAP_EF_FD_OBJ rows): read at exit from the
	 * struct file the returned descriptor refers to, not from the caller's
	 * buffer, so a path changed between the kernel's read and ours (A->B->A),
	 * a symlink, `..` or a relative path cannot hide the file. Empty when the
	 * call failed.
	 */
	SCAP_DRV_OPENED_PATH,     /* absolute path of file->f_path (the exe/cwd walk, cut marked) */
	SCAP_DRV_OPENED_DEV,      /* its device as stat's st_dev says it: new_encode_dev(i_sb->s_dev) */
	SCAP_DRV_OPENED_INO,      /* its inode number, i_ino */
	SCAP_DRV_CONN_PEER,       /* connect: the address the socket (argument 0) is connected to,
				   * from the socket itself (getpeername's answer), on success only */
	SCAP_DRV_MAX
};

/*
 * Auxiliary field of a parameter: for FLAGS32/ENUM32 a symbol table (user
 * space only prints with it); for BYTEBUF/SOCKADDR the source of the length
 * (an SCAP_SRC_* value); for a derived value read through a pointer argument
 * (FD_PAIR, FD_PAIR_1, SOCKADDR_OUT) that argument; zero otherwise.
 */
enum scap_flagset {
	SCAP_FS_NONE = 0,
	SCAP_FS_OPEN,         /* O_* of open/openat/creat */
	SCAP_FS_AT,           /* AT_* flags of the *at() calls */
	SCAP_FS_SOCK_DOMAIN,  /* AF_* (enum) */
	SCAP_FS_SOCK_TYPE,    /* SOCK_* (+ SOCK_NONBLOCK|SOCK_CLOEXEC) */
	SCAP_FS_CLONE,        /* CLONE_* */
	SCAP_FS_PROT,         /* PROT_* */
	SCAP_FS_MAP,          /* MAP_* */
	SCAP_FS_SIGNAL,       /* SIG* (enum) */
	SCAP_FS_FCNTL_CMD,    /* F_* (enum) */
	SCAP_FS_PTRACE_REQ,   /* PTRACE_* (enum) */
	SCAP_FS_PRCTL_OPT,    /* PR_* (enum) */
	SCAP_FS_MOUNT,        /* MS_* */
	SCAP_FS_UMOUNT,       /* MNT_* | UMOUNT_* */
	SCAP_FS_RENAME,       /* RENAME_* */
	SCAP_FS_MSG,          /* MSG_* */
	SCAP_FS_SHUTDOWN_HOW, /* SHUT_* (enum) */
	SCAP_FS_MEMFD,        /* MFD_* */
	SCAP_FS_BPF_CMD,      /* BPF_* commands (enum) */
	SCAP_FS_SECCOMP_OP,   /* SECCOMP_SET_MODE_* (enum) */
	SCAP_FS_NS,           /* CLONE_NEW* for unshare/setns */
	SCAP_FS_SOCKOPT_LEVEL,/* SOL_* (enum) */
	SCAP_FS_RESOLVE,      /* RESOLVE_* of openat2 */
	SCAP_FS_MAX
};

/* Event directions and categories. */
#define SCAP_DIR_ENTER 0u
#define SCAP_DIR_EXIT 1u

enum scap_category {
	SCAP_CAT_FILE = 0,
	SCAP_CAT_PROCESS,
	SCAP_CAT_NET,
	SCAP_CAT_MEMORY,
	SCAP_CAT_OTHER,
	SCAP_CAT_MAX
};

/* Event flags (schema, not per event instance). */
#define SCAP_EF_TOCTOU 0x01u     /* also captured at enter; the core pairs the two */
#define SCAP_EF_CREATES_FD 0x02u /* the return value is a new fd */
#define SCAP_EF_CLOSES_FD 0x04u  /* the call closes an fd */
#define SCAP_EF_GENERIC 0x08u    /* the event of every syscall without a typed row */
#define SCAP_EF_PROC_CTX 0x10u   /* carries derived process context (execve) */
#define SCAP_EF_NO_EXIT 0x20u    /* never returns (exit_group): an ENTER row with no EXIT row */
#define SCAP_EF_NOT_SYSCALL 0x40u /* not a syscall: a kernel event of the process lifecycle
                                     (procexit), selected by its own name like a syscall */
#define SCAP_EF_FD_OBJ 0x100u    /* the exit carries values read from the kernel object the call
                                    opened or connected (SCAP_DRV_OPENED_*, CONN_PEER): the bpf
                                    driver builds it in its CO-RE object */
#define SCAP_EF_CHILD_CTX 0x80u  /* the clone family: the task-context parameters (every derived
                                    one but CLONE_FLAGS) are filled only in the new task's own
                                    return (res == 0) and left empty in the parent's */

/* One parameter descriptor as the drivers see it. */
struct scap_param_desc {
	scap_u8 type;  /* enum scap_param_type */
	scap_u8 src;   /* SCAP_SRC_* */
	scap_u8 aux;   /* see enum scap_flagset above */
};

/* The event codes: SCAP_EV_<CODE> for each row of events.def. */
enum scap_event_code {
#define SCAP_EVENT(code, syscall, dir, cat, flags, ...) SCAP_EV_##code,
#include "events.def"
#undef SCAP_EVENT
	SCAP_EV_MAX
};

/*
 * The syscall numbers of the architecture compiled for (syscalls.def) as
 * SCAP_NR_<name>, for tables indexed by syscall. A row of events.def whose
 * syscall this architecture does not have (open, fork, ... on aarch64) has
 * SCAP_NR_ABSENT: no engine attaches anything for it and it never occurs.
 */
enum scap_syscall_nr {
	SCAP_NR_ABSENT = -2, /* rows of a syscall this architecture does not have */
	SCAP_NR_none = -1,   /* rows that are not one syscall (the generic event) */
#define SCAP_SYSCALL(nr, name) SCAP_NR_##name = nr,
#define SCAP_SYSCALL_ABSENT(name) SCAP_NR_##name = SCAP_NR_ABSENT,
#include "syscalls.def"
#undef SCAP_SYSCALL_ABSENT
#undef SCAP_SYSCALL
	SCAP_NR_SYSCALLS_END
};
#define SCAP_NR_SYSCALLS 512u  /* table size; every syscall number of x86_64, aarch64, ppc64le and s390x is below it */
/*
 * Rows flagged SCAP_EF_NOT_SYSCALL name themselves in events.def's syscall
 * column; they have no syscall number (scap_event_info().syscall_nr is -1).
 * Below SCAP_NR_ABSENT: every table indexed by syscall skips negative numbers.
 */
#define SCAP_NR_procexit (-3)
SCAP_STATIC_ASSERT(SCAP_NR_SYSCALLS_END <= SCAP_NR_SYSCALLS, "syscall table too small");

/*
 * SCAP_KERNEL_EVENT(sc): the token 1 when sc, the syscall column of a row,
 * names a kernel event (a row flagged SCAP_EF_NOT_SYSCALL), else 0. A
 * preprocessor answer, for generators that choose a macro per row (a kernel
 * event must not get a syscalls/sys_enter_<sc> program): paste it with
 * SCAP_CAT. scap/schema.c checks it against every row's flags.
 */
#define SCAP__KERNEL_EVENT_procexit ~, 1
#define SCAP__SECOND(a, b, ...) b
#define SCAP__KERNEL_EVENT_PROBE(...) SCAP__SECOND(__VA_ARGS__, 0, ~)
#define SCAP_KERNEL_EVENT(sc) SCAP__KERNEL_EVENT_PROBE(SCAP__KERNEL_EVENT_##sc)
#define SCAP__CAT(a, b) a##b
#define SCAP_CAT(a, b) SCAP__CAT(a, b)

/*
 * Number of parameters of a row, as a constant: T is the struct that P()
 * expands to an initializer of, in the includer's expansion.
 */
#define SCAP_COUNT_PARAMS(T, ...) ((scap_u8)(sizeof((T[]){ __VA_ARGS__ }) / sizeof(T)))

#endif
