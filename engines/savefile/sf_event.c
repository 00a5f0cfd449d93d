// SPDX-License-Identifier: Apache-2.0
/*
 * The rules every recorded event satisfies, beyond being well formed
 * (scap_event_validate): a field whose valid values are known is checked, so
 * that damage the checksums cannot see (a version-1 file has none) or a
 * writer's bug is named with its offset instead of replayed as data.
 * docs/capture-file-format.md lists them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sf.h"
#include "scap/capfile/syscall_arch.h"
#include "scap/common/arch.h"

#define PAIRING_FLAGS (SCAP_EVF_PAIRED | SCAP_EVF_TOCTOU | SCAP_EVF_NO_ENTER | SCAP_EVF_ENTER_UNREAD)
#define KNOWN_FLAGS (SCAP_EVF_TRUNCATED | PAIRING_FLAGS)

int sf_failf(struct sf_state *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->failmsg, sizeof(s->failmsg), fmt, ap);
	va_end(ap);
	s->fail = err;
	scap_engine_errf(s->ctx, "%s", s->failmsg);
	return err;
}

/* Why the event's flags cannot be what the writer wrote, or NULL. */
static const char *bad_flags(const struct sf_state *s, const struct scap_evt_hdr *e, bool exit_copy)
{
	const struct scap_event_info *info = scap_event_info(e->type);
	unsigned f = e->flags;

	if (f & ~KNOWN_FLAGS)
		return "has flag bits this library does not know";
	if (!(f & PAIRING_FLAGS))
		return NULL;
	/* The drivers set only TRUNCATED: the other flags are the pairing stage's. */
	if (exit_copy)
		return "is an exit copy (as the driver wrote it) with flags only the pairing stage sets";
	if (!(s->hdr.flags & SCAP_CAPFILE_F_PAIRED))
		return "carries pairing flags in a file of raw (unpaired) events";
	if (!info || info->dir != SCAP_DIR_EXIT || !(info->flags & SCAP_EF_TOCTOU))
		return "carries pairing flags, but only the exits of the syscalls paired at enter can";
	if ((f & (SCAP_EVF_TOCTOU | SCAP_EVF_ENTER_UNREAD)) && !(f & SCAP_EVF_PAIRED))
		return "is flagged toctou or enter_unreadable without being paired";
	if ((f & SCAP_EVF_PAIRED) && (f & SCAP_EVF_NO_ENTER))
		return "is flagged both paired and without its enter";
	return NULL;
}

int sf_check_event(struct sf_state *s, const uint8_t *ev, uint32_t len, bool exit_copy, uint64_t off,
		   uint64_t ts_max)
{
	const char *what = exit_copy ? "exit copy" : "event";
	struct scap_evt_hdr e;
	char why[SCAP_ERRBUF_SIZE] = "";
	const char *flags_why;

	if (scap_event_validate(ev, len, why, sizeof(why)) < 0)
		return sf_failf(s, -EBADMSG, "corrupt capture file: malformed %s at offset %" PRIu64 ": %s", what, off,
				why);
	memcpy(&e, ev, sizeof(e));
	flags_why = bad_flags(s, &e, exit_copy);
	if (flags_why)
		return sf_failf(s, -EBADMSG, "corrupt capture file: the %s at offset %" PRIu64 " (flags 0x%02x) %s",
				what, off, e.flags, flags_why);
	if (e.tid == 0 || e.tid > SCAP_CAPFILE_MAX_TID || e.pid == 0 || e.pid > SCAP_CAPFILE_MAX_TID)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the %s at offset %" PRIu64 " has thread id %u and process id %u "
				"(Linux ids are 1..%u)", what, off, e.tid, e.pid, SCAP_CAPFILE_MAX_TID);
	if (ts_max && e.ts > ts_max + SCAP_CAPFILE_TS_SLACK_NS)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the %s at offset %" PRIu64 " has timestamp %" PRIu64
				" ns, later than its block was written (%" PRIu64 " ns since boot)", what, off, e.ts,
				ts_max);
	if (exit_copy && scap_event_dir((const struct scap_event *)ev) != SCAP_DIR_EXIT)
		return sf_failf(s, -EBADMSG, "corrupt capture file: the exit copy at offset %" PRIu64 " is not an exit event",
				off);
	return 0;
}

void sf_event_renumber(struct sf_state *s, uint8_t *ev)
{
	const struct scap_event *e = (const struct scap_event *)ev;
	const struct scap_event_info *info = scap_event_info(scap_event_type(e));
	struct scap_param p;
	uint32_t nr, native;

	/* The generic row carries the syscall number as parameter 1 (test_schema checks it). */
	if (!info || !(info->flags & SCAP_EF_GENERIC) || scap_event_param(e, 1, &p) < 0 ||
	    p.type != SCAP_PT_SYSCALLID || p.len != 4)
		return;
	nr = (uint32_t)p.v.u;
	native = nr < s->nr_map_len ? s->nr_map[nr] : SCAP_SYSCALL_NO_NATIVE;
	if (native == SCAP_SYSCALL_NO_NATIVE && !s->nr_unmapped_said) {
		s->nr_unmapped_said = true;
		scap_engine_logf(s->ctx, SCAP_LOG_WARN,
				 "capture file %s: a generic event of %s's syscall %u, which %s has no syscall of the "
				 "same name for: its syscall is %u (named syscall_unknown), as are any others",
				 s->path, s->hdr.arch, nr, SCAP_ARCH_NAME, SCAP_SYSCALL_NO_NATIVE);
	}
	/* p.data points into ev, this engine's own buffer; the value is in this host's order by now. */
	memcpy(ev + ((const uint8_t *)p.data - ev), &native, 4);
}

int sf_check_pair(struct sf_state *s, const uint8_t *x, const uint8_t *ev, uint64_t x_off)
{
	const struct scap_event *xe = (const struct scap_event *)x, *ee = (const struct scap_event *)ev;

	uint16_t type = scap_event_type(ee);
	bool exec = (type == SCAP_EV_EXECVE_X || type == SCAP_EV_EXECVEAT_X) &&
		    (scap_event_flags(ee) & SCAP_EVF_PAIRED);

	if (!(scap_event_flags(ee) & SCAP_EVF_TOCTOU) && !exec)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the exit copy at offset %" PRIu64 " belongs to an event without the "
				"TOCTOU flag that is not a paired execve or execveat", x_off);
	if (scap_event_type(xe) != scap_event_type(ee))
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the exit copy at offset %" PRIu64 " is a %s, its event a %s",
				x_off, scap_event_name(xe), scap_event_name(ee));
	return 0;
}

int sf_check_cpu(struct sf_state *s, uint32_t cpu, uint64_t rec_off)
{
	if (cpu >= s->nbuffers)
		return sf_failf(s, -EBADMSG,
				"corrupt capture file: the record at offset %" PRIu64 " names buffer %u, the file has %u",
				rec_off, cpu, s->nbuffers);
	return 0;
}

int sf_apply_trailer(struct sf_state *s, struct scap_capfile_trailer *t, uint64_t off, const char *what)
{
	char why[SCAP_ERRBUF_SIZE] = "";
	uint32_t i;

	if (scap_capfile_trailer_check(t, &s->hdr, s->records, why, sizeof(why)) < 0)
		return sf_failf(s, -EBADMSG, "corrupt capture file: the %s at offset %" PRIu64 ": %s", what, off, why);
	for (i = 0; i < s->nbuffers; i++) {
		SCAP_COUNT_SET(s->bufs[i].buf.drops_buffer_full, t->bufs[i].drops_buffer_full);
		SCAP_COUNT_SET(s->bufs[i].buf.drops_other, t->bufs[i].drops_other);
		SCAP_COUNT_SET(s->bufs[i].buf.kernel_events, t->bufs[i].kernel_events);
		SCAP_COUNT_SET(s->bufs[i].buf.unread, t->bufs[i].unread);
	}
	/* What the original capture could not see is part of what the file holds. */
	SCAP_COUNT_SET(s->ctx->exits_without_enter, t->exits_without_enter);
	SCAP_COUNT_SET(s->ctx->attach_failures, t->attach_failures);
	scap_engine_logf(s->ctx, SCAP_LOG_INFO,
			 "end of capture file: the original capture delivered %" PRIu64 " events, dropped %" PRIu64
			 " (buffer full %" PRIu64 ", other %" PRIu64 "), left %" PRIu64 " unread, toctou %" PRIu64
			 ", pairing evicted %" PRIu64 ", orphan exits %" PRIu64 ", stale enters %" PRIu64
			 ", exits without enter %" PRIu64 ", attach failures %u",
			 t->events, t->drops_buffer_full + t->drops_other, t->drops_buffer_full, t->drops_other, t->unread,
			 t->toctou, t->pairing_evicted, t->pairing_orphan_exits, t->pairing_stale, t->exits_without_enter,
			 t->attach_failures);
	s->done = true;
	return -ENODATA;
}
