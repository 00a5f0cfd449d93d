// SPDX-License-Identifier: Apache-2.0
/*
 * Flag and enum symbols, written as numbers (the Linux x86_64 ABI values) so
 * that the tables do not depend on which libc headers the build host has;
 * test_decode_format.c checks them against the host's headers.
 */
#include <stdio.h>

#include "flagsets.h"

#define N(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

static const struct scap_sym open_acc[] = {
	{ 00, "O_RDONLY" }, { 01, "O_WRONLY" }, { 02, "O_RDWR" },
};
static const struct scap_sym open_flags[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
	{ 04010000, "O_SYNC" }, { 010000, "O_DSYNC" },
	{ 020000, "O_ASYNC" }, { 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" },
	{ 020200000, "O_TMPFILE" }, { 0200000, "O_DIRECTORY" }, { 0400000, "O_NOFOLLOW" },
	{ 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" },
};

static const struct scap_sym at_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" }, { 0x400, "AT_SYMLINK_FOLLOW" },
	{ 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" }, { 0x2000, "AT_STATX_FORCE_SYNC" },
	{ 0x4000, "AT_STATX_DONT_SYNC" }, { 0x8000, "AT_RECURSIVE" },
};

static const struct scap_sym af_enum[] = {
	{ 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" }, { 3, "AF_AX25" }, { 4, "AF_IPX" },
	{ 5, "AF_APPLETALK" }, { 6, "AF_NETROM" }, { 7, "AF_BRIDGE" }, { 8, "AF_ATMPVC" },
	{ 9, "AF_X25" }, { 10, "AF_INET6" }, { 11, "AF_ROSE" }, { 12, "AF_DECnet" },
	{ 13, "AF_NETBEUI" }, { 14, "AF_SECURITY" }, { 15, "AF_KEY" }, { 16, "AF_NETLINK" },
	{ 17, "AF_PACKET" }, { 18, "AF_ASH" }, { 19, "AF_ECONET" }, { 20, "AF_ATMSVC" },
	{ 21, "AF_RDS" }, { 22, "AF_SNA" }, { 23, "AF_IRDA" }, { 24, "AF_PPPOX" },
	{ 25, "AF_WANPIPE" }, { 26, "AF_LLC" }, { 27, "AF_IB" }, { 28, "AF_MPLS" },
	{ 29, "AF_CAN" }, { 30, "AF_TIPC" }, { 31, "AF_BLUETOOTH" }, { 32, "AF_IUCV" },
	{ 33, "AF_RXRPC" }, { 34, "AF_ISDN" }, { 35, "AF_PHONET" }, { 36, "AF_IEEE802154" },
	{ 37, "AF_CAIF" }, { 38, "AF_ALG" }, { 39, "AF_NFC" }, { 40, "AF_VSOCK" },
	{ 41, "AF_KCM" }, { 42, "AF_QIPCRTR" }, { 43, "AF_SMC" }, { 44, "AF_XDP" },
	{ 45, "AF_MCTP" },
};

static const struct scap_sym socktype_enum[] = {
	{ 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" }, { 4, "SOCK_RDM" },
	{ 5, "SOCK_SEQPACKET" }, { 6, "SOCK_DCCP" }, { 10, "SOCK_PACKET" },
};
static const struct scap_sym socktype_flags[] = {
	{ 04000, "SOCK_NONBLOCK" }, { 02000000, "SOCK_CLOEXEC" },
};

static const struct scap_sym signal_enum[] = {
	{ 1, "SIGHUP" }, { 2, "SIGINT" }, { 3, "SIGQUIT" }, { 4, "SIGILL" }, { 5, "SIGTRAP" },
	{ 6, "SIGABRT" }, { 7, "SIGBUS" }, { 8, "SIGFPE" }, { 9, "SIGKILL" }, { 10, "SIGUSR1" },
	{ 11, "SIGSEGV" }, { 12, "SIGUSR2" }, { 13, "SIGPIPE" }, { 14, "SIGALRM" },
	{ 15, "SIGTERM" }, { 16, "SIGSTKFLT" }, { 17, "SIGCHLD" }, { 18, "SIGCONT" },
	{ 19, "SIGSTOP" }, { 20, "SIGTSTP" }, { 21, "SIGTTIN" }, { 22, "SIGTTOU" },
	{ 23, "SIGURG" }, { 24, "SIGXCPU" }, { 25, "SIGXFSZ" }, { 26, "SIGVTALRM" },
	{ 27, "SIGPROF" }, { 28, "SIGWINCH" }, { 29, "SIGIO" }, { 30, "SIGPWR" }, { 31, "SIGSYS" },
};

static const struct scap_sym clone_flags[] = {
	{ 0x00000100, "CLONE_VM" }, { 0x00000200, "CLONE_FS" }, { 0x00000400, "CLONE_FILES" },
	{ 0x00000800, "CLONE_SIGHAND" }, { 0x00001000, "CLONE_PIDFD" },
	{ 0x00002000, "CLONE_PTRACE" }, { 0x00004000, "CLONE_VFORK" },
	{ 0x00008000, "CLONE_PARENT" }, { 0x00010000, "CLONE_THREAD" },
	{ 0x00020000, "CLONE_NEWNS" }, { 0x00040000, "CLONE_SYSVSEM" },
	{ 0x00080000, "CLONE_SETTLS" }, { 0x00100000, "CLONE_PARENT_SETTID" },
	{ 0x00200000, "CLONE_CHILD_CLEARTID" }, { 0x00400000, "CLONE_DETACHED" },
	{ 0x00800000, "CLONE_UNTRACED" }, { 0x01000000, "CLONE_CHILD_SETTID" },
	{ 0x02000000, "CLONE_NEWCGROUP" }, { 0x04000000, "CLONE_NEWUTS" },
	{ 0x08000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" }, { 0x40000000, "CLONE_NEWNET" }, { 0x80000000, "CLONE_IO" },
	/* clone3 only (FLAGS64) */
	{ 0x100000000ull, "CLONE_CLEAR_SIGHAND" }, { 0x200000000ull, "CLONE_INTO_CGROUP" },
};

static const struct scap_sym ns_flags[] = {
	{ 0x00000080, "CLONE_NEWTIME" }, { 0x00000100, "CLONE_VM" }, { 0x00000200, "CLONE_FS" },
	{ 0x00000400, "CLONE_FILES" }, { 0x00000800, "CLONE_SIGHAND" },
	{ 0x00010000, "CLONE_THREAD" }, { 0x00020000, "CLONE_NEWNS" },
	{ 0x00040000, "CLONE_SYSVSEM" }, { 0x02000000, "CLONE_NEWCGROUP" },
	{ 0x04000000, "CLONE_NEWUTS" }, { 0x08000000, "CLONE_NEWIPC" },
	{ 0x10000000, "CLONE_NEWUSER" }, { 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },
};

static const struct scap_sym prot_flags[] = {
	{ 0x1, "PROT_READ" }, { 0x2, "PROT_WRITE" }, { 0x4, "PROT_EXEC" }, { 0x8, "PROT_SEM" },
	{ 0x01000000, "PROT_GROWSDOWN" }, { 0x02000000, "PROT_GROWSUP" },
};

static const struct scap_sym map_type[] = {
	{ 0x1, "MAP_SHARED" }, { 0x2, "MAP_PRIVATE" }, { 0x3, "MAP_SHARED_VALIDATE" },
};
static const struct scap_sym map_flags[] = {
	{ 0x08, "MAP_DROPPABLE" }, { 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" },
	{ 0x40, "MAP_32BIT" }, { 0x100, "MAP_GROWSDOWN" }, { 0x800, "MAP_DENYWRITE" },
	{ 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" }, { 0x4000, "MAP_NORESERVE" },
	{ 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" }, { 0x20000, "MAP_STACK" },
	{ 0x40000, "MAP_HUGETLB" }, { 0x80000, "MAP_SYNC" }, { 0x100000, "MAP_FIXED_NOREPLACE" },
	{ 0x4000000, "MAP_UNINITIALIZED" },
};

static const struct scap_sym fcntl_enum[] = {
	{ 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" }, { 4, "F_SETFL" },
	{ 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" }, { 8, "F_SETOWN" }, { 9, "F_GETOWN" },
	{ 10, "F_SETSIG" }, { 11, "F_GETSIG" }, { 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" },
	{ 17, "F_GETOWNER_UIDS" }, { 36, "F_OFD_GETLK" }, { 37, "F_OFD_SETLK" },
	{ 38, "F_OFD_SETLKW" }, { 1024, "F_SETLEASE" }, { 1025, "F_GETLEASE" },
	{ 1026, "F_NOTIFY" }, { 1027, "F_DUPFD_QUERY" }, { 1029, "F_CANCELLK" },
	{ 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" }, { 1032, "F_GETPIPE_SZ" },
	{ 1033, "F_ADD_SEALS" }, { 1034, "F_GET_SEALS" }, { 1035, "F_GET_RW_HINT" },
	{ 1036, "F_SET_RW_HINT" }, { 1037, "F_GET_FILE_RW_HINT" }, { 1038, "F_SET_FILE_RW_HINT" },
};

static const struct scap_sym ptrace_enum[] = {
	{ 0, "PTRACE_TRACEME" }, { 1, "PTRACE_PEEKTEXT" }, { 2, "PTRACE_PEEKDATA" },
	{ 3, "PTRACE_PEEKUSER" }, { 4, "PTRACE_POKETEXT" }, { 5, "PTRACE_POKEDATA" },
	{ 6, "PTRACE_POKEUSER" }, { 7, "PTRACE_CONT" }, { 8, "PTRACE_KILL" },
	{ 9, "PTRACE_SINGLESTEP" }, { 12, "PTRACE_GETREGS" }, { 13, "PTRACE_SETREGS" },
	{ 14, "PTRACE_GETFPREGS" }, { 15, "PTRACE_SETFPREGS" }, { 16, "PTRACE_ATTACH" },
	{ 17, "PTRACE_DETACH" }, { 18, "PTRACE_GETFPXREGS" }, { 19, "PTRACE_SETFPXREGS" },
	{ 24, "PTRACE_SYSCALL" }, { 30, "PTRACE_ARCH_PRCTL" }, { 31, "PTRACE_SYSEMU" },
	{ 32, "PTRACE_SYSEMU_SINGLESTEP" }, { 33, "PTRACE_SINGLEBLOCK" },
	{ 0x4200, "PTRACE_SETOPTIONS" }, { 0x4201, "PTRACE_GETEVENTMSG" },
	{ 0x4202, "PTRACE_GETSIGINFO" }, { 0x4203, "PTRACE_SETSIGINFO" },
	{ 0x4204, "PTRACE_GETREGSET" }, { 0x4205, "PTRACE_SETREGSET" }, { 0x4206, "PTRACE_SEIZE" },
	{ 0x4207, "PTRACE_INTERRUPT" }, { 0x4208, "PTRACE_LISTEN" },
	{ 0x4209, "PTRACE_PEEKSIGINFO" }, { 0x420a, "PTRACE_GETSIGMASK" },
	{ 0x420b, "PTRACE_SETSIGMASK" }, { 0x420c, "PTRACE_SECCOMP_GET_FILTER" },
	{ 0x420d, "PTRACE_SECCOMP_GET_METADATA" }, { 0x420e, "PTRACE_GET_SYSCALL_INFO" },
	{ 0x420f, "PTRACE_GET_RSEQ_CONFIGURATION" },
	{ 0x4210, "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG" },
	{ 0x4211, "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG" },
};

static const struct scap_sym prctl_enum[] = {
	{ 1, "PR_SET_PDEATHSIG" }, { 2, "PR_GET_PDEATHSIG" }, { 3, "PR_GET_DUMPABLE" },
	{ 4, "PR_SET_DUMPABLE" }, { 5, "PR_GET_UNALIGN" }, { 6, "PR_SET_UNALIGN" },
	{ 7, "PR_GET_KEEPCAPS" }, { 8, "PR_SET_KEEPCAPS" }, { 9, "PR_GET_FPEMU" },
	{ 10, "PR_SET_FPEMU" }, { 11, "PR_GET_FPEXC" }, { 12, "PR_SET_FPEXC" },
	{ 13, "PR_GET_TIMING" }, { 14, "PR_SET_TIMING" }, { 15, "PR_SET_NAME" },
	{ 16, "PR_GET_NAME" }, { 19, "PR_GET_ENDIAN" }, { 20, "PR_SET_ENDIAN" },
	{ 21, "PR_GET_SECCOMP" }, { 22, "PR_SET_SECCOMP" }, { 23, "PR_CAPBSET_READ" },
	{ 24, "PR_CAPBSET_DROP" }, { 25, "PR_GET_TSC" }, { 26, "PR_SET_TSC" },
	{ 27, "PR_GET_SECUREBITS" }, { 28, "PR_SET_SECUREBITS" }, { 29, "PR_SET_TIMERSLACK" },
	{ 30, "PR_GET_TIMERSLACK" }, { 31, "PR_TASK_PERF_EVENTS_DISABLE" },
	{ 32, "PR_TASK_PERF_EVENTS_ENABLE" }, { 33, "PR_MCE_KILL" }, { 34, "PR_MCE_KILL_GET" },
	{ 35, "PR_SET_MM" }, { 36, "PR_SET_CHILD_SUBREAPER" }, { 37, "PR_GET_CHILD_SUBREAPER" },
	{ 38, "PR_SET_NO_NEW_PRIVS" }, { 39, "PR_GET_NO_NEW_PRIVS" }, { 40, "PR_GET_TID_ADDRESS" },
	{ 41, "PR_SET_THP_DISABLE" }, { 42, "PR_GET_THP_DISABLE" },
	{ 43, "PR_MPX_ENABLE_MANAGEMENT" }, { 44, "PR_MPX_DISABLE_MANAGEMENT" },
	{ 45, "PR_SET_FP_MODE" }, { 46, "PR_GET_FP_MODE" }, { 47, "PR_CAP_AMBIENT" },
	{ 50, "PR_SVE_SET_VL" }, { 51, "PR_SVE_GET_VL" }, { 52, "PR_GET_SPECULATION_CTRL" },
	{ 53, "PR_SET_SPECULATION_CTRL" }, { 54, "PR_PAC_RESET_KEYS" },
	{ 55, "PR_SET_TAGGED_ADDR_CTRL" }, { 56, "PR_GET_TAGGED_ADDR_CTRL" },
	{ 57, "PR_SET_IO_FLUSHER" }, { 58, "PR_GET_IO_FLUSHER" },
	{ 59, "PR_SET_SYSCALL_USER_DISPATCH" }, { 60, "PR_PAC_SET_ENABLED_KEYS" },
	{ 61, "PR_PAC_GET_ENABLED_KEYS" }, { 62, "PR_SCHED_CORE" }, { 63, "PR_SME_SET_VL" },
	{ 64, "PR_SME_GET_VL" }, { 65, "PR_SET_MDWE" }, { 66, "PR_GET_MDWE" },
	{ 67, "PR_SET_MEMORY_MERGE" }, { 68, "PR_GET_MEMORY_MERGE" },
	{ 0x53564d41, "PR_SET_VMA" },
};

static const struct scap_sym mount_flags[] = {
	{ 1u << 0, "MS_RDONLY" }, { 1u << 1, "MS_NOSUID" }, { 1u << 2, "MS_NODEV" },
	{ 1u << 3, "MS_NOEXEC" }, { 1u << 4, "MS_SYNCHRONOUS" }, { 1u << 5, "MS_REMOUNT" },
	{ 1u << 6, "MS_MANDLOCK" }, { 1u << 7, "MS_DIRSYNC" }, { 1u << 8, "MS_NOSYMFOLLOW" },
	{ 1u << 10, "MS_NOATIME" }, { 1u << 11, "MS_NODIRATIME" }, { 1u << 12, "MS_BIND" },
	{ 1u << 13, "MS_MOVE" }, { 1u << 14, "MS_REC" }, { 1u << 15, "MS_SILENT" },
	{ 1u << 16, "MS_POSIXACL" }, { 1u << 17, "MS_UNBINDABLE" }, { 1u << 18, "MS_PRIVATE" },
	{ 1u << 19, "MS_SLAVE" }, { 1u << 20, "MS_SHARED" }, { 1u << 21, "MS_RELATIME" },
	{ 1u << 22, "MS_KERNMOUNT" }, { 1u << 23, "MS_I_VERSION" }, { 1u << 24, "MS_STRICTATIME" },
	{ 1u << 25, "MS_LAZYTIME" }, { 1u << 30, "MS_ACTIVE" }, { 1u << 31, "MS_NOUSER" },
};

static const struct scap_sym umount_flags[] = {
	{ 1, "MNT_FORCE" }, { 2, "MNT_DETACH" }, { 4, "MNT_EXPIRE" }, { 8, "UMOUNT_NOFOLLOW" },
};

static const struct scap_sym rename_flags[] = {
	{ 1, "RENAME_NOREPLACE" }, { 2, "RENAME_EXCHANGE" }, { 4, "RENAME_WHITEOUT" },
};

static const struct scap_sym msg_flags[] = {
	{ 0x1, "MSG_OOB" }, { 0x2, "MSG_PEEK" }, { 0x4, "MSG_DONTROUTE" }, { 0x8, "MSG_CTRUNC" },
	{ 0x10, "MSG_PROXY" }, { 0x20, "MSG_TRUNC" }, { 0x40, "MSG_DONTWAIT" }, { 0x80, "MSG_EOR" },
	{ 0x100, "MSG_WAITALL" }, { 0x200, "MSG_FIN" }, { 0x400, "MSG_SYN" },
	{ 0x800, "MSG_CONFIRM" }, { 0x1000, "MSG_RST" }, { 0x2000, "MSG_ERRQUEUE" },
	{ 0x4000, "MSG_NOSIGNAL" }, { 0x8000, "MSG_MORE" }, { 0x10000, "MSG_WAITFORONE" },
	{ 0x40000, "MSG_BATCH" }, { 0x4000000, "MSG_ZEROCOPY" }, { 0x20000000, "MSG_FASTOPEN" },
	{ 0x40000000, "MSG_CMSG_CLOEXEC" },
};

static const struct scap_sym shut_enum[] = {
	{ 0, "SHUT_RD" }, { 1, "SHUT_WR" }, { 2, "SHUT_RDWR" },
};

static const struct scap_sym memfd_flags[] = {
	{ 0x1, "MFD_CLOEXEC" }, { 0x2, "MFD_ALLOW_SEALING" }, { 0x4, "MFD_HUGETLB" },
	{ 0x8, "MFD_NOEXEC_SEAL" }, { 0x10, "MFD_EXEC" },
};

static const struct scap_sym bpf_enum[] = {
	{ 0, "BPF_MAP_CREATE" }, { 1, "BPF_MAP_LOOKUP_ELEM" }, { 2, "BPF_MAP_UPDATE_ELEM" },
	{ 3, "BPF_MAP_DELETE_ELEM" }, { 4, "BPF_MAP_GET_NEXT_KEY" }, { 5, "BPF_PROG_LOAD" },
	{ 6, "BPF_OBJ_PIN" }, { 7, "BPF_OBJ_GET" }, { 8, "BPF_PROG_ATTACH" },
	{ 9, "BPF_PROG_DETACH" }, { 10, "BPF_PROG_TEST_RUN" }, { 11, "BPF_PROG_GET_NEXT_ID" },
	{ 12, "BPF_MAP_GET_NEXT_ID" }, { 13, "BPF_PROG_GET_FD_BY_ID" },
	{ 14, "BPF_MAP_GET_FD_BY_ID" }, { 15, "BPF_OBJ_GET_INFO_BY_FD" }, { 16, "BPF_PROG_QUERY" },
	{ 17, "BPF_RAW_TRACEPOINT_OPEN" }, { 18, "BPF_BTF_LOAD" }, { 19, "BPF_BTF_GET_FD_BY_ID" },
	{ 20, "BPF_TASK_FD_QUERY" }, { 21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM" },
	{ 22, "BPF_MAP_FREEZE" }, { 23, "BPF_BTF_GET_NEXT_ID" }, { 24, "BPF_MAP_LOOKUP_BATCH" },
	{ 25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH" }, { 26, "BPF_MAP_UPDATE_BATCH" },
	{ 27, "BPF_MAP_DELETE_BATCH" }, { 28, "BPF_LINK_CREATE" }, { 29, "BPF_LINK_UPDATE" },
	{ 30, "BPF_LINK_GET_FD_BY_ID" }, { 31, "BPF_LINK_GET_NEXT_ID" }, { 32, "BPF_ENABLE_STATS" },
	{ 33, "BPF_ITER_CREATE" }, { 34, "BPF_LINK_DETACH" }, { 35, "BPF_PROG_BIND_MAP" },
	{ 36, "BPF_TOKEN_CREATE" },
};

static const struct scap_sym seccomp_enum[] = {
	{ 0, "SECCOMP_SET_MODE_STRICT" }, { 1, "SECCOMP_SET_MODE_FILTER" },
	{ 2, "SECCOMP_GET_ACTION_AVAIL" }, { 3, "SECCOMP_GET_NOTIF_SIZES" },
};

static const struct scap_sym sol_enum[] = {
	{ 0, "SOL_IP" }, { 1, "SOL_SOCKET" }, { 6, "SOL_TCP" }, { 17, "SOL_UDP" },
	{ 41, "SOL_IPV6" }, { 58, "SOL_ICMPV6" }, { 132, "SOL_SCTP" }, { 136, "SOL_UDPLITE" },
	{ 255, "SOL_RAW" }, { 256, "SOL_IPX" }, { 257, "SOL_AX25" }, { 258, "SOL_ATALK" },
	{ 259, "SOL_NETROM" }, { 260, "SOL_ROSE" }, { 261, "SOL_DECNET" }, { 262, "SOL_X25" },
	{ 263, "SOL_PACKET" }, { 264, "SOL_ATM" }, { 265, "SOL_AAL" }, { 266, "SOL_IRDA" },
	{ 267, "SOL_NETBEUI" }, { 268, "SOL_LLC" }, { 269, "SOL_DCCP" }, { 270, "SOL_NETLINK" },
	{ 271, "SOL_TIPC" }, { 272, "SOL_RXRPC" }, { 273, "SOL_PPPOL2TP" },
	{ 274, "SOL_BLUETOOTH" }, { 275, "SOL_PNPIPE" }, { 276, "SOL_RDS" }, { 277, "SOL_IUCV" },
	{ 278, "SOL_CAIF" }, { 279, "SOL_ALG" }, { 280, "SOL_NFC" }, { 281, "SOL_KCM" },
	{ 282, "SOL_TLS" }, { 283, "SOL_XDP" }, { 284, "SOL_MPTCP" }, { 285, "SOL_MCTP" },
	{ 286, "SOL_SMC" }, { 287, "SOL_VSOCK" },
};

static const struct scap_sym resolve_flags[] = {
	{ 0x01, "RESOLVE_NO_XDEV" }, { 0x02, "RESOLVE_NO_MAGICLINKS" },
	{ 0x04, "RESOLVE_NO_SYMLINKS" }, { 0x08, "RESOLVE_BENEATH" },
	{ 0x10, "RESOLVE_IN_ROOT" }, { 0x20, "RESOLVE_CACHED" },
};

#define FLAGS(t) .flags = t, .nflags = N(t)
#define ENUMS(t) .enums = t, .nenums = N(t)

static const struct scap_flagset_desc flagsets[SCAP_FS_MAX] = {
	[SCAP_FS_OPEN] = { "open", .enum_mask = 03, ENUMS(open_acc), FLAGS(open_flags) },
	[SCAP_FS_AT] = { "at", FLAGS(at_flags) },
	[SCAP_FS_SOCK_DOMAIN] = { "sock_domain", .is_enum = true, ENUMS(af_enum) },
	[SCAP_FS_SOCK_TYPE] = { "sock_type", .enum_mask = 0xf, ENUMS(socktype_enum), FLAGS(socktype_flags) },
	[SCAP_FS_CLONE] = { "clone", .enum_mask = 0xff, ENUMS(signal_enum), FLAGS(clone_flags) },
	[SCAP_FS_PROT] = { "prot", FLAGS(prot_flags), .zero = "PROT_NONE" },
	[SCAP_FS_MAP] = { "map", .enum_mask = 0x3, ENUMS(map_type), FLAGS(map_flags) },
	[SCAP_FS_SIGNAL] = { "signal", .is_enum = true, ENUMS(signal_enum) },
	[SCAP_FS_FCNTL_CMD] = { "fcntl_cmd", .is_enum = true, ENUMS(fcntl_enum) },
	[SCAP_FS_PTRACE_REQ] = { "ptrace_req", .is_enum = true, ENUMS(ptrace_enum) },
	[SCAP_FS_PRCTL_OPT] = { "prctl_opt", .is_enum = true, ENUMS(prctl_enum) },
	[SCAP_FS_MOUNT] = { "mount", FLAGS(mount_flags) },
	[SCAP_FS_UMOUNT] = { "umount", FLAGS(umount_flags) },
	[SCAP_FS_RENAME] = { "rename", FLAGS(rename_flags) },
	[SCAP_FS_MSG] = { "msg", FLAGS(msg_flags) },
	[SCAP_FS_SHUTDOWN_HOW] = { "shutdown_how", .is_enum = true, ENUMS(shut_enum) },
	[SCAP_FS_MEMFD] = { "memfd", FLAGS(memfd_flags) },
	[SCAP_FS_BPF_CMD] = { "bpf_cmd", .is_enum = true, ENUMS(bpf_enum) },
	[SCAP_FS_SECCOMP_OP] = { "seccomp_op", .is_enum = true, ENUMS(seccomp_enum) },
	[SCAP_FS_NS] = { "ns", FLAGS(ns_flags) },
	[SCAP_FS_SOCKOPT_LEVEL] = { "sockopt_level", .is_enum = true, ENUMS(sol_enum) },
	[SCAP_FS_RESOLVE] = { "resolve", FLAGS(resolve_flags) },
};

const struct scap_flagset_desc *scap__flagset(unsigned fs)
{
	if (fs == SCAP_FS_NONE || fs >= SCAP_FS_MAX)
		return NULL;
	return &flagsets[fs];
}

static const char *sym_find(const struct scap_sym *t, unsigned n, uint64_t v)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (t[i].val == v)
			return t[i].name;
	return NULL;
}

void scap__flags_format(struct scap_sb *sb, unsigned fs, uint64_t v)
{
	const struct scap_flagset_desc *d = scap__flagset(fs);
	bool any = false;
	unsigned i;

	if (!d) {
		scap_sb_printf(sb, "0x%llx", (unsigned long long)v);
		return;
	}
	if (d->is_enum) {
		scap__enum_format(sb, fs, (int32_t)v);
		return;
	}
	if (d->enum_mask) {
		uint64_t e = v & d->enum_mask;
		const char *n = sym_find(d->enums, d->nenums, e);

		if (n) {
			scap_sb_puts(sb, n);
			any = true;
		} else if (e) {
			scap_sb_printf(sb, "0x%llx", (unsigned long long)e);
			any = true;
		}
		v &= ~(uint64_t)d->enum_mask;
	}
	for (i = 0; i < d->nflags && v; i++) {
		uint64_t f = d->flags[i].val;

		if ((v & f) == f) {
			if (any)
				scap_sb_putc(sb, '|');
			scap_sb_puts(sb, d->flags[i].name);
			any = true;
			v &= ~f;
		}
	}
	if (v) {
		if (any)
			scap_sb_putc(sb, '|');
		scap_sb_printf(sb, "0x%llx", (unsigned long long)v);
		any = true;
	}
	if (!any)
		scap_sb_puts(sb, d->zero ? d->zero : "0");
}

void scap__enum_format(struct scap_sb *sb, unsigned fs, int32_t v)
{
	const struct scap_flagset_desc *d = scap__flagset(fs);
	const char *n = d ? sym_find(d->enums, d->nenums, (uint32_t)v) : NULL;

	if (n)
		scap_sb_puts(sb, n);
	else
		scap_sb_printf(sb, "%d", v);
}
