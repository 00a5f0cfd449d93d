/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CHECK(cond, fmt, ...) for test programs that go on after a failure: prints
 * "FAIL function:line: message" and counts it in check_failures, which the
 * program's exit status reports.
 */
#ifndef SCAP_TEST_CHECK_H
#define SCAP_TEST_CHECK_H

#include <stdio.h>
#include <unistd.h>

#include "scap/scap.h"

static int check_failures;

#define CHECK(cond, ...)                                                                        \
	do {                                                                                    \
		if (!(cond)) {                                                                  \
			printf("FAIL %s:%d: ", __func__, __LINE__);                            \
			printf(__VA_ARGS__);                                                    \
			printf("\n");                                                           \
			check_failures++;                                                       \
		}                                                                               \
	} while (0)

/*
 * A test of live engine `engine` can run: root and the engine usable here.
 * 0, or 77 (ctest's skip) after printing why not. Also makes stdout line
 * buffered, so that a test killed by its timeout still shows its lines.
 */
static inline int check_live_engine(const char *engine)
{
	char why[SCAP_ERRBUF_SIZE];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		printf("SKIP: live capture needs root\n");
		return 77;
	}
	if (scap_engine_probe(engine, why, sizeof(why)) < 0) {
		printf("SKIP: engine %s is not usable here: %s\n", engine, why);
		return 77;
	}
	return 0;
}

#endif
