// SPDX-License-Identifier: Apache-2.0
/*
 * gen_events_md: prints docs/events.md, the reference of every event and
 * parameter, from the schema table itself (drivers/common/events.def as the
 * library compiled it), so that the document cannot drift from the code. The
 * ctest docs_events_md fails when the committed file differs from this
 * output; `cmake --build <build> --target events_md` rewrites it.
 */
#include <stdio.h>
#include <string.h>

#include "scap/scap.h"
#include "flagsets.h"
#include "schema_internal.h"

/* The SCAP_EV_* names, from the same table. */
static const char *const code_names[SCAP_EV_MAX] = {
#define SCAP_EVENT(code, ...) [SCAP_EV_##code] = "SCAP_EV_" #code,
#include "scap/common/events.def"
#undef SCAP_EVENT
};

/* What each derived value is; a new one fails the build until it is described here. */
static const char *const derived_doc[SCAP_DRV_MAX] = {
	[SCAP_DRV_SYSCALL_NR] = "the syscall number",
	[SCAP_DRV_RAW_ARGS] = "the six raw syscall arguments",
	[SCAP_DRV_PPID] = "the parent's process id",
	[SCAP_DRV_UID] = "the real user id",
	[SCAP_DRV_GID] = "the real group id",
	[SCAP_DRV_EUID] = "the effective user id",
	[SCAP_DRV_CWD] = "the working directory",
	[SCAP_DRV_EXE] = "the path of the executable",
	[SCAP_DRV_COMM] = "the thread's command name",
	[SCAP_DRV_CGROUP] = "the cgroup (v2) path",
	[SCAP_DRV_FD_PAIR] = "element 0 of the `int[2]` the call wrote",
	[SCAP_DRV_ARGV] = "the new image's argv",
	[SCAP_DRV_EXECFN] = "the path the new image was run as (AT_EXECFN)",
	[SCAP_DRV_FD_PAIR_1] = "element 1 of the `int[2]` the call wrote",
	[SCAP_DRV_SOCKADDR_OUT] = "the address the kernel wrote back, *addrlen bytes",
	[SCAP_DRV_HOW_FLAGS] = "`struct open_how` .flags",
	[SCAP_DRV_HOW_MODE] = "`struct open_how` .mode",
	[SCAP_DRV_HOW_RESOLVE] = "`struct open_how` .resolve",
	[SCAP_DRV_EGID] = "the effective group id",
	[SCAP_DRV_LOGINUID] = "the audit login uid (4294967295: unset)",
	[SCAP_DRV_VTID] = "the thread id in the task's own pid namespace",
	[SCAP_DRV_VPID] = "the process id in the task's own pid namespace",
	[SCAP_DRV_OLD_TID] = "the thread that called it (differs from tid when a non-leader thread exec'd)",
	[SCAP_DRV_CLONE_FLAGS] = "the clone flags (fork: SIGCHLD; vfork: CLONE_VM, CLONE_VFORK, SIGCHLD; clone3: clone_args.flags)",
	[SCAP_DRV_EXIT_STATUS] = "the wait(2) status (task exit_code)",
	[SCAP_DRV_EXIT_CODE] = "WEXITSTATUS of the status (0 when signaled)",
	[SCAP_DRV_EXIT_SIGNAL] = "WTERMSIG of the status (0 when it exited)",
	[SCAP_DRV_EXIT_CORE] = "WCOREDUMP of the status (1: core dumped)",
	[SCAP_DRV_EXIT_LAST] = "1 when no thread of the process was still alive",
	[SCAP_DRV_OPENED_PATH] = "the absolute path of the file the returned fd refers to (not the caller's buffer)",
	[SCAP_DRV_OPENED_DEV] = "that file's device, as stat(2)'s st_dev",
	[SCAP_DRV_OPENED_INO] = "that file's inode number, as stat(2)'s st_ino",
	[SCAP_DRV_CONN_PEER] = "the address the socket is connected to, read from the socket (getpeername), on success",
};
_Static_assert(SCAP_DRV_MAX == 33, "describe the new derived value in derived_doc");

static const char *const cat_names[SCAP_CAT_MAX] = {
	[SCAP_CAT_FILE] = "Files", [SCAP_CAT_PROCESS] = "Processes", [SCAP_CAT_NET] = "Network",
	[SCAP_CAT_MEMORY] = "Memory", [SCAP_CAT_OTHER] = "Other",
};

static void src_text(char *out, size_t len, unsigned src)
{
	if (src == SCAP_SRC_NONE)
		snprintf(out, len, "enter only (filled by pairing)");
	else if (SCAP_SRC_IS_ARG(src))
		snprintf(out, len, "argument %u", SCAP_SRC_ARGNO(src));
	else if (src == SCAP_SRC_RET)
		snprintf(out, len, "return value");
	else
		snprintf(out, len, "derived: %s", derived_doc[SCAP_SRC_DERIVED_ID(src)]);
}

static void aux_text(char *out, size_t len, unsigned type, unsigned src, unsigned aux)
{
	char s[128];

	out[0] = '\0';
	if (type == SCAP_PT_FLAGS32 || type == SCAP_PT_FLAGS64 || type == SCAP_PT_ENUM32) {
		const struct scap_flagset_desc *fs = scap__flagset(aux);

		snprintf(out, len, "symbols: `%s`", fs ? fs->name : "?");
	} else if (aux && (type == SCAP_PT_BYTEBUF || type == SCAP_PT_SOCKADDR || SCAP_SRC_IS_DERIVED(src))) {
		src_text(s, sizeof(s), aux);
		snprintf(out, len, "%s %s",
			 !SCAP_SRC_IS_DERIVED(src) ? "length:" :
			 type == SCAP_PT_SOCKADDR ? "addrlen pointer (the address is the argument before):" :
			 "array:", s);
	}
}

static void flags_text(char *out, size_t len, unsigned f)
{
	static const struct { unsigned bit; const char *text; } t[] = {
		{ SCAP_EF_TOCTOU, "captured at enter too (TOCTOU; paired by the core)" },
		{ SCAP_EF_CREATES_FD, "creates an fd" },
		{ SCAP_EF_CLOSES_FD, "closes an fd" },
		{ SCAP_EF_GENERIC, "generic" },
		{ SCAP_EF_PROC_CTX, "process context" },
		{ SCAP_EF_NO_EXIT, "never returns: enter only" },
		{ SCAP_EF_NOT_SYSCALL, "not a syscall: a kernel event, selected by its name" },
		{ SCAP_EF_CHILD_CTX, "task context only in the new task's return (res = 0)" },
		{ SCAP_EF_FD_OBJ, "what was really opened or connected, read from the kernel object at exit" },
	};
	size_t o = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (f & t[i].bit)
			o += (size_t)snprintf(out + o, len - o, "%s%s", o ? "; " : "", t[i].text);
	if (!o)
		snprintf(out, len, "-");
}

static void print_event(unsigned c)
{
	const struct scap_event_info *e = scap_event_info(c);
	char fl[256], src[160], aux[320];

	printf("### `%s` %s\n\n", e->name, e->dir == SCAP_DIR_ENTER ? "(enter)" : "(exit)");
	if (e->syscall_nr >= 0)
		printf("`%s` = %u; syscall `%s` (x86_64 %d). ", code_names[c], c, e->name, e->syscall_nr);
	else if (e->flags & SCAP_EF_NOT_SYSCALL)
		printf("`%s` = %u; not a syscall, selected as `%s`. ", code_names[c], c, e->name);
	else
		printf("`%s` = %u; every syscall without a typed row. ", code_names[c], c);
	flags_text(fl, sizeof(fl), e->flags);
	printf("Flags: %s.\n\n", fl);
	printf("| # | parameter | type | from | notes |\n|---|---|---|---|---|\n");
	for (unsigned i = 0; i < e->nparams; i++) {
		src_text(src, sizeof(src), e->params[i].src);
		aux_text(aux, sizeof(aux), e->params[i].type, e->params[i].src, e->params[i].aux);
		printf("| %u | `%s` | %s | %s | %s |\n", i, e->params[i].name, scap__type_name(e->params[i].type),
		       src, aux);
	}
	printf("\n");
}

int main(void)
{
	unsigned typed = 0, params = 0;

	for (unsigned c = 0; c < SCAP_EV_MAX; c++) {
		typed += scap_event_info(c)->syscall_nr >= 0 && scap_event_info(c)->dir == SCAP_DIR_EXIT;
		typed += (scap_event_info(c)->flags & SCAP_EF_NO_EXIT) != 0;
		params += scap_event_info(c)->nparams;
	}
	printf("<!-- SPDX-License-Identifier: Apache-2.0 -->\n");
	printf("<!-- Generated by docs/tools/gen_events_md.c from drivers/common/events.def: do not edit.\n"
	       "     Regenerate with: cmake --build <build dir> --target events_md -->\n\n");
	printf("# Events\n\n");
	printf("Every event scap delivers, and every parameter of each, as the schema table "
	       "(`drivers/common/events.def`) defines them: %u event codes, %u syscalls with a typed "
	       "event, %u parameters. Every engine fills these rows from the same table, so the "
	       "parameters below are what any engine delivers.\n\n", SCAP_EV_MAX, typed, params);
	printf("Conventions:\n\n"
	       "- Parameters are named after the man page's arguments; `res` is the return value "
	       "(-4095..-1 is -errno).\n"
	       "- Most syscalls are captured at exit only: the exit carries the arguments and the result.\n"
	       "- Rows flagged TOCTOU are also captured at enter. By default the core pairs the enter "
	       "with its exit and delivers one event (flag `SCAP_EVF_PAIRED`) whose same-named parameters "
	       "hold the enter-time values; `SCAP_EVF_TOCTOU` marks an event whose enter and exit copies "
	       "differ. With `unpaired` set, both events are delivered as they come.\n"
	       "- A syscall that never returns (`exit_group`) has an enter row only.\n"
	       "- Every syscall without a typed row is delivered as the generic event `syscall` "
	       "(number, raw arguments, result): none is invisible.\n"
	       "- `socketcall(call, args)` (ppc64le, s390x) is delivered as the typed event of the "
	       "direct syscall it stands for (socket, bind, connect with its enter and `peer`, listen, "
	       "accept, accept4, socketpair, sendto, recvfrom, shutdown, setsockopt, getsockopt, sendmsg, "
	       "recvmsg; `send`/`recv` as sendto/recvfrom without an address), with the values that call "
	       "would have, when that syscall is selected; an unknown call, one without a typed row "
	       "(getsockname, getpeername, recvmmsg, sendmmsg) or an unreadable argument array is the "
	       "generic event `socketcall`, when `socketcall` is selected ([engines.md](engines.md), "
	       "\"socketcall\").\n"
	       "- A value that could not be read (NULL pointer, fault, not available in this engine) is "
	       "an empty parameter (length 0).\n"
	       "- Wire encodings of the types are in [event-format.md](event-format.md).\n\n");
	for (unsigned cat = 0; cat < SCAP_CAT_MAX; cat++) {
		printf("## %s\n\n", cat_names[cat]);
		for (unsigned c = 0; c < SCAP_EV_MAX; c++)
			if (scap_event_info(c)->category == cat)
				print_event(c);
	}
	return 0;
}
