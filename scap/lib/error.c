// SPDX-License-Identifier: Apache-2.0
/*
 * scap_last_error. A message belongs to the thread whose call failed: the
 * stats calls may run on other threads while one thread reads events
 * (scap.h), and a message kept on the handle would be theirs to overwrite.
 * Like errno, it is valid after a call returned a negative value and until
 * the thread's next failing call; a call that succeeds leaves it alone.
 */
#include <stdarg.h>
#include <stdio.h>

#include "handle.h"

static __thread struct {
	const struct scap *h;      /* whose message msg is; NULL: none */
	char msg[SCAP_ERRBUF_SIZE];
} last;

int scap__vseterr(const struct scap *h, int ret, const char *fmt, va_list ap)
{
	if (!h)
		return ret;
	vsnprintf(last.msg, sizeof(last.msg), fmt, ap);
	last.h = h;
	return ret;
}

int scap__seterr(const struct scap *h, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scap__vseterr(h, ret, fmt, ap);
	va_end(ap);
	return ret;
}

bool scap__haserr(const struct scap *h)
{
	return h && last.h == h && last.msg[0];
}

void scap__clrerr(const struct scap *h)
{
	if (last.h == h) {
		last.h = NULL;
		last.msg[0] = '\0';
	}
}

const char *scap_last_error(const struct scap *h)
{
	if (!h)
		return "no handle (NULL)";
	return last.h == h ? last.msg : "";
}
