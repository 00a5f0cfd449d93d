// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target for the parsers of untrusted event bytes: scap_event_validate,
 * and for what it accepts, every decoder and formatter. Also feeds the raw
 * prefix to scap_event_param the way an engine would hand over an event
 * (its header length within the readable bytes).
 *
 * Built as a libFuzzer target with clang (fuzz_event); with any compiler it
 * is also built as fuzz_event_replay, which runs the inputs given as files
 * (the corpus under test/fuzz/corpus/ is a ctest).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap/scap.h"

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_event: invariant broken: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[256 * 1024];
	char why[256];
	uint8_t *b;
	unsigned i, n;
	uint32_t hlen;

	/* An exact-size copy: ASan sees any read past the input. */
	b = malloc(size ? size : 1);
	if (!b)
		return 0;
	memcpy(b, data, size);
	if (scap_event_validate(b, size, why, sizeof(why)) == 0) {
		const struct scap_event *ev = (const void *)b;

		n = scap_event_nparams(ev);
		for (i = 0; i < n; i++) {
			struct scap_param p, q;

			check(scap_event_param(ev, i, &p) == 0, "a validated event's parameter decodes");
			check(scap_event_param_by_name(ev, p.name, &q) == 0, "and decodes by name");
			scap_param_format(&p, out, sizeof(out));
			check(strlen(out) < sizeof(out), "format terminates");
		}
		check(scap_event_format_json(ev, 0, out, sizeof(out)) > 0, "json formats");
		check(scap_event_name(ev) != NULL, "event name");
	} else {
		check(why[0] != '\0', "a rejected event has a reason");
	}
	/* The same bytes as an engine would deliver them: trusted length, untrusted rest. */
	if (size >= SCAP_EVT_HDR_LEN) {
		memcpy(&hlen, b + 16, 4);
		if (hlen >= SCAP_EVT_HDR_LEN && hlen <= size) {
			const struct scap_event *ev = (const void *)b;
			struct scap_param p;

			n = scap_event_nparams(ev);
			for (i = 0; i < n && i < 64; i++)
				if (scap_event_param(ev, i, &p) == 0)
					scap_param_format(&p, out, sizeof(out));
			scap_event_format_json(ev, 0, out, sizeof(out));
			(void)scap_event_name(ev);
		}
	}
	free(b);
	return 0;
}

#ifdef SCAP_FUZZ_REPLAY
int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		static uint8_t buf[1 << 20];
		size_t n;

		if (!f) {
			fprintf(stderr, "fuzz_event_replay: cannot open %s\n", argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz_event_replay: %d inputs, no invariant broken\n", argc - 1);
	return 0;
}
#endif
