// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target for the process table's snapshot decoder (scap/proc/snapshot.c,
 * the bytes a capture file stores): whatever the input, the decoder refuses
 * it with a reason or gives a table that is whole — every entry readable,
 * encoded again to bytes that decode to the same table, and still updated
 * correctly by events (a thread that ends, expiry, eviction at the bound).
 *
 * fuzz_proc_snapshot (clang, libFuzzer) and fuzz_proc_snapshot_replay (any
 * compiler: runs the files given; corpus_proc/ is a ctest). The replay
 * program also writes a seed: fuzz_proc_snapshot_replay --write-seed FILE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap/scap.h"
#include "scap/event_builder.h"
#include "scap/proc/proctable.h"
#include "scap/proc/snapshot.h"
#include "scap/proc/update.h"

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_proc_snapshot: invariant broken: %s\n", what);
		abort();
	}
}

static const struct scap_evt_hdr *procexit(uint8_t *buf, uint32_t tid, uint64_t ts)
{
	struct scap_bval v[5] = { { .u = 0 }, { .u = 0 }, { .u = 0 }, { .u = 0 }, { .u = 1 } };
	struct scap_bhdr h = { .ts = ts, .tid = tid, .pid = tid };

	check(scap_event_build(buf, 4096, SCAP_EV_PROCEXIT_E, &h, v, 5) > 0, "procexit builds");
	return (const struct scap_evt_hdr *)buf;
}

static const struct scap_evt_hdr *fork_child(uint8_t *buf, uint32_t tid, uint64_t ts)
{
	const struct scap_event_info *info = scap_event_info(SCAP_EV_FORK_X);
	struct scap_bval v[SCAP_MAX_PARAMS];
	struct scap_bhdr h = { .ts = ts, .tid = tid, .pid = tid };

	memset(v, 0, sizeof(v));
	for (unsigned i = 0; i < info->nparams; i++)
		v[i].empty = i > 1; /* res 0, flags SIGCHLD */
	v[1].u = 17;
	check(scap_event_build(buf, 4096, SCAP_EV_FORK_X, &h, v, info->nparams) > 0, "fork builds");
	return (const struct scap_evt_hdr *)buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct scap_proc_rows *rows = scap_proc_rows_get();
	struct scap_proctable t, u;
	uint8_t *b, *again = NULL, ev[4096];
	size_t len = 0;
	char why[256] = "";
	uint64_t cursor = 0;

	/* An exact-size copy: ASan sees any read past the input. */
	b = malloc(size ? size : 1);
	if (!b || scap_proctable_init(&t, 0, 0) < 0 || scap_proctable_init(&u, 0, 0) < 0)
		abort();
	memcpy(b, data, size);
	if (scap_proc_snapshot_decode(&t, b, size, why, sizeof(why)) < 0) {
		check(why[0] != '\0', "a refused snapshot has a reason");
		check(t.count == 0 && t.strs.count == 0 && t.fs_count == 0, "a refused snapshot leaves nothing");
		goto out;
	}
	/* Every entry readable. */
	for (cursor = 0; cursor <= t.mask; cursor++) {
		struct scap_proc p;

		if (!t.slots[cursor].e)
			continue;
		scap_proctable_fill(&t, t.slots[cursor].e, 0, &p);
		check(p.tid == t.slots[cursor].tid, "an entry under its tid");
		check(strnlen(p.comm, sizeof(p.comm)) < sizeof(p.comm), "comm terminated");
	}
	/* The same table again from its own bytes. */
	check(scap_proc_snapshot_encode(&t, &again, &len) == 0, "a decoded table encodes");
	check(scap_proc_snapshot_decode(&u, again, len, why, sizeof(why)) == 0, "and its bytes decode");
	check(u.count == t.count && u.max == t.max && u.grace_ns == t.grace_ns && u.now_ns == t.now_ns,
	      "to the same table");
	/* And it lives on: threads start and end, ended ones go, the bound holds. */
	for (uint32_t i = 0; i < 300; i++) {
		uint64_t ts = t.now_ns + 1 + i;

		scap_proc_apply(&t, rows, fork_child(ev, 1000000 + i, ts), NULL);
		scap_proc_apply(&t, rows, procexit(ev, 1000000 + i, ts), NULL);
		check(t.count <= t.max, "the bound holds");
	}
	scap_proctable_tick(&t, t.now_ns + t.grace_ns + 1);
out:
	free(again);
	scap_proctable_free(&t);
	scap_proctable_free(&u);
	free(b);
	return 0;
}

#ifdef SCAP_FUZZ_REPLAY
/* A table with threads, a shared directory, an exec, ended entries: a seed. */
static int write_seed(const char *path)
{
	const struct scap_proc_rows *rows = scap_proc_rows_get();
	struct scap_proctable t;
	uint8_t ev[4096], *snap;
	size_t len;
	FILE *f;

	scap_proctable_init(&t, 64, 500);
	for (uint32_t i = 0; i < 8; i++)
		scap_proc_apply(&t, rows, fork_child(ev, 100 + i, 1000 + i), NULL);
	scap_proc_apply(&t, rows, procexit(ev, 103, 2000), NULL);
	scap_proc_apply(&t, rows, procexit(ev, 104, 2001), NULL);
	if (scap_proc_snapshot_encode(&t, &snap, &len) < 0 || !(f = fopen(path, "wb")))
		return 1;
	fwrite(snap, 1, len, f);
	fclose(f);
	free(snap);
	scap_proctable_free(&t);
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i;

	if (argc == 3 && strcmp(argv[1], "--write-seed") == 0)
		return write_seed(argv[2]);
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			fprintf(stderr, "fuzz_proc_snapshot_replay: cannot open %s\n", argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz_proc_snapshot_replay: %d inputs, no invariant broken\n", argc - 1);
	return 0;
}
#endif
