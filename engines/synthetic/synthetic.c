// SPDX-License-Identifier: Apache-2.0
/*
 * The synthetic engine: a seeded stream of valid events written into one ring
 * per virtual CPU and read back by the core through the same buffer interface
 * as the kernel engines, for tests and benchmarks. It refills the rings only
 * when the core waits (every ring drained), so batches never overlap in time
 * and the merge must reproduce the generation order exactly.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "scap/engine.h"
#include "synth_gen.h"
#include "synth_ring.h"

#define SYNTH_MAX_CPUS 1024u
#define SYNTH_MAX_EVENT (24u * 1024u)

struct synth_state {
	struct synth_ring *rings;
	unsigned nrings;
	struct synth_gen *gen;
	uint64_t limit;      /* events to generate, 0 = endless */
	uint64_t produced;
	bool pending;        /* an event was generated but did not fit yet */
	const void *pend_ev;
	uint32_t pend_len;
	unsigned pend_cpu;
	bool running;
	int wake_fd;         /* the core's: readable when the handle is being closed */
};

static int synth_probe(char *reason, size_t len)
{
	if (reason && len)
		reason[0] = '\0';
	return 0;
}

static void synth_close(void *state)
{
	struct synth_state *s = state;
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->nrings; i++)
		synth_ring_free(&s->rings[i]);
	free(s->rings);
	synth_gen_free(s->gen);
	free(s);
}

static int synth_init(struct scap_engine_ctx *ctx, const struct scap_engine_config *cfg, void **state)
{
	const struct scap_open_opts *o = cfg->opts;
	unsigned ncpus = o && o->synthetic_cpus ? o->synthetic_cpus : 4;
	struct synth_state *s;
	uint32_t max_event;
	unsigned i;
	int r;

	if (ncpus > SYNTH_MAX_CPUS) {
		scap_engine_errf(ctx, "invalid option synthetic_cpus=%u: must be between 1 and %u", ncpus,
				 SYNTH_MAX_CPUS);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		goto nomem;
	s->wake_fd = ctx->wake_fd;
	s->rings = calloc(ncpus, sizeof(*s->rings));
	if (!s->rings)
		goto nomem;
	for (i = 0; i < ncpus; i++) {
		r = synth_ring_init(&s->rings[i], cfg->buffer_bytes, (int)i);
		if (r < 0)
			goto nomem;
		s->nrings++;
		r = scap_bufset_add(ctx->bufs, &s->rings[i].buf);
		if (r < 0)
			goto nomem;
	}
	/*
	 * A fixed size cap keeps the stream the same for every ring of 64 KiB
	 * or more; smaller rings cap events at what they can hold.
	 */
	max_event = synth_ring_max_event(&s->rings[0]);
	if (max_event > SYNTH_MAX_EVENT)
		max_event = SYNTH_MAX_EVENT;
	s->gen = synth_gen_new(o && o->synthetic_seed ? o->synthetic_seed : 1, ncpus, cfg->snaplen,
			       max_event);
	if (!s->gen)
		goto nomem;
	s->limit = o ? o->synthetic_events : 0;
	*state = s;
	return 0;
nomem:
	scap_engine_errf(ctx, "out of memory allocating %u synthetic rings of %zu bytes: lower buffer_bytes",
			 ncpus, cfg->buffer_bytes);
	synth_close(s);
	return -ENOMEM;
}

static int synth_start(void *state)
{
	((struct synth_state *)state)->running = true;
	return 0;
}

static int synth_stop(void *state)
{
	((struct synth_state *)state)->running = false;
	return 0;
}

/* Fills the rings until one is full or the requested count is reached. */
static void synth_fill(struct synth_state *s)
{
	for (;;) {
		if (!s->pending) {
			if (s->limit && s->produced >= s->limit)
				return;
			s->pend_ev = synth_gen_next(s->gen, &s->pend_len, &s->pend_cpu);
			s->pending = true;
		}
		if (synth_ring_write(&s->rings[s->pend_cpu], s->pend_ev, s->pend_len) < 0)
			return;
		s->pending = false;
		s->produced++;
		SCAP_COUNT_ADD(s->rings[s->pend_cpu].buf.kernel_events, 1);
	}
}

static int synth_wait(void *state, int timeout_ms)
{
	struct synth_state *s = state;

	if (!s->running) {
		/* Nothing comes while stopped: behave like an idle kernel buffer. */
		struct pollfd wake = { .fd = s->wake_fd, .events = POLLIN };

		poll(&wake, s->wake_fd >= 0, timeout_ms < 0 || timeout_ms > 100 ? 100 : timeout_ms);
		return 0;
	}
	if (!s->pending && s->limit && s->produced >= s->limit)
		return -ENODATA;
	synth_fill(s);
	return 0;
}

const struct scap_engine_ops scap_engine_synthetic = {
	.name = "synthetic",
	.description = "deterministic generated events, for tests and benchmarks",
	.probe = synth_probe,
	.init = synth_init,
	.start = synth_start,
	.stop = synth_stop,
	.wait = synth_wait,
	.close = synth_close,
};
