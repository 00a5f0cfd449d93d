/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Counters that the reading thread updates and the stats calls read from any
 * thread (the thread-safety contract of include/scap/scap.h). One thread
 * writes each counter, so a relaxed load and store are enough: on x86_64 and
 * arm64 they are the plain instructions, and no reader sees a torn value.
 */
#ifndef SCAP_COUNTER_H
#define SCAP_COUNTER_H

#define SCAP_COUNT_ADD(c, n) __atomic_store_n(&(c), (c) + (n), __ATOMIC_RELAXED)
#define SCAP_COUNT_SET(c, v) __atomic_store_n(&(c), (v), __ATOMIC_RELAXED)
#define SCAP_COUNT_GET(c) __atomic_load_n(&(c), __ATOMIC_RELAXED)

#endif
