// SPDX-License-Identifier: Apache-2.0
/* Helpers the core lends engines, and the handle's growable texts. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handle.h"

/* Warnings and reports are for humans: past this they only waste memory. */
#define SCAP_TEXT_MAX (64u * 1024u)

static void text_vappendf(struct scap_text *t, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || t->len + (size_t)n + 2 > SCAP_TEXT_MAX)
		return;
	if (t->len + (size_t)n + 2 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		char *s;

		while (cap < t->len + (size_t)n + 2)
			cap *= 2;
		s = realloc(t->s, cap);
		if (!s)
			return;
		t->s = s;
		t->cap = cap;
	}
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	t->len += (size_t)n;
	t->s[t->len++] = '\n';
	t->s[t->len] = '\0';
}

void scap_text_appendf(struct scap_text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_vappendf(t, fmt, ap);
	va_end(ap);
}

void scap_text_free(struct scap_text *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

/* During init into scap_open's message; afterwards into this thread's scap_last_error. */
void scap_engine_errf(struct scap_engine_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return;
	va_start(ap, fmt);
	if (ctx->err && ctx->errlen)
		vsnprintf(ctx->err, ctx->errlen, fmt, ap);
	else if (ctx->core)
		scap__vseterr(ctx->core, -1, fmt, ap);
	va_end(ap);
}

void scap_engine_logf(struct scap_engine_ctx *ctx, enum scap_log_level lvl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!ctx || !ctx->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->log(lvl, msg, ctx->log_ctx);
}

void scap_engine_warnf(struct scap_engine_ctx *ctx, const char *fmt, ...)
{
	struct scap *h;
	va_list ap;

	if (!ctx || !ctx->core)
		return;
	h = ctx->core;
	va_start(ap, fmt);
	text_vappendf(&h->warnings, fmt, ap);
	va_end(ap);
	if (ctx->log) {
		char msg[512];

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		ctx->log(SCAP_LOG_WARN, msg, ctx->log_ctx);
	}
}

void scap_engine_switch_pause(struct scap_engine_ctx *ctx)
{
	const char *env = getenv("SCAP_TEST_SWITCH_PAUSE_MS");
	long ms = env ? strtol(env, NULL, 10) : 0;

	if (ms <= 0)
		return;
	if (ms > 1000)
		ms = 1000;
	scap_engine_logf(ctx, SCAP_LOG_DEBUG, "SCAP_TEST_SWITCH_PAUSE_MS: both loads run for %ld ms before the switch",
			 ms);
	nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
}
