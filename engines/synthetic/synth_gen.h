/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The synthetic event stream: deterministic for a seed, valid events of every
 * typed row (enter rows followed by their exit on the same thread; the exit
 * of a TOCTOU syscall never comes without its enter) and generic
 * events of random syscall numbers, with varied sizes, on N virtual CPUs.
 *
 * The stream depends on the seed, the CPU count, the snaplen and the event
 * size cap (fixed for rings of 64 KiB and more).
 *
 * Timestamps are strictly increasing per CPU, interleave across CPUs, and are
 * sometimes equal across CPUs; when equal, the CPU index grows, so the stream
 * in generation order is exactly the order the core's merge must return.
 */
#ifndef SCAP_SYNTH_GEN_H
#define SCAP_SYNTH_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "scap/common/event_layout.h"

struct synth_gen;

/* max_event: the largest event to generate (the rings' limit). */
struct synth_gen *synth_gen_new(uint64_t seed, unsigned ncpus, unsigned snaplen, uint32_t max_event);
void synth_gen_free(struct synth_gen *g);

/* Generates the next event; returns its bytes and length, and its CPU. */
const void *synth_gen_next(struct synth_gen *g, uint32_t *len, unsigned *cpu);

#endif
