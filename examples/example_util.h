/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the three examples share: the wall-clock time of an event as text,
 * and one parameter as text. Only <scap/scap.h> is used.
 */
#ifndef SCAP_EXAMPLE_UTIL_H
#define SCAP_EXAMPLE_UTIL_H

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include <scap/scap.h>

/* "2026-12-04T03:51:07.123456789Z", or the ns since boot when h has no clock. */
static inline const char *example_time(const struct scap *h, const struct scap_event *ev, char *buf, size_t len)
{
	int64_t wall;
	struct tm tm;
	time_t sec;

	if (scap_ts_to_wallclock(h, scap_event_ts(ev), &wall) < 0) {
		snprintf(buf, len, "%" PRIu64, scap_event_ts(ev));
		return buf;
	}
	sec = (time_t)(wall / 1000000000);
	gmtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(wall % 1000000000));
	return buf;
}

/* The parameter called name as scap formats it, or "-" when the event has none. */
static inline const char *example_param(const struct scap_event *ev, const char *name, char *buf, size_t len)
{
	struct scap_param p;

	if (scap_event_param_by_name(ev, name, &p) < 0 || p.len == 0)
		snprintf(buf, len, "-");
	else
		scap_param_format(&p, buf, len);
	return buf;
}

#endif
