// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target for the capture-file reader: the input is a capture file,
 * replayed through the savefile engine to its end. Invariants: every event
 * handed out validates and formats, and the replay ends with -ENODATA or an
 * error that has a message, never a crash or a read out of bounds.
 *
 * The input's schema identity (event count, schema hash) is overwritten with
 * this build's, so that the fuzzer gets past the header and the seed files
 * stay useful when the schema grows. In a version-2 input, the checksums of
 * every block head found where the previous block ends are recomputed too
 * (unless the input's length is a multiple of 7, which keeps the checksum
 * paths fuzzed): a mutation then reaches the parsers behind the checksums
 * instead of stopping at the first CRC.
 *
 * libFuzzer target with clang (fuzz_savefile); with any compiler also
 * fuzz_savefile_replay, which runs the seed files under
 * test/fuzz/corpus_savefile/ as a ctest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "scap/scap.h"
#include "scap/capfile/capfile.h"

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_savefile: invariant broken: %s\n", what);
		abort();
	}
}

/* Schema identity and checksums of a version-2 input, block by block (see above). */
static void fix_v2(uint8_t *b, size_t size)
{
	size_t off = SCAP_CAPFILE_PREAMBLE;
	uint32_t seq = 0;

	scap_capfile_preamble_encode(b);
	while (off + SCAP_CAPFILE_BLOCK_HEAD <= size && memcmp(b + off, SCAP_CAPFILE_BLOCK_SYNC, 4) == 0) {
		uint8_t *p = b + off + SCAP_CAPFILE_BLOCK_HEAD;
		uint32_t len = scap_capfile_get32(b + off + 8);

		if (len > size - off - SCAP_CAPFILE_BLOCK_HEAD)
			break;
		if (seq == 0 && len >= SCAP_CAPFILE_HDR_FIXED) {
			scap_capfile_put32(p + 20, SCAP_EV_MAX);
			scap_capfile_put64(p + 32, scap_capfile_schema_hash());
		}
		scap_capfile_block_encode(b + off, scap_capfile_get16(b + off + 4), scap_capfile_get16(b + off + 6),
					  seq, p, len);
		off += SCAP_CAPFILE_BLOCK_HEAD + len;
		seq++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char out[256 * 1024];
	struct scap_open_opts o = { .sz = sizeof(o) };
	char path[64], err[SCAP_ERRBUF_SIZE], why[256];
	const struct scap_event *ev;
	struct scap *h = NULL;
	uint8_t *b;
	unsigned cpu;
	int r;

	if (fd < 0) {
		fd = memfd_create("fuzz_savefile", MFD_CLOEXEC);
		check(fd >= 0, "memfd_create");
	}
	b = malloc(size ? size : 1);
	if (!b)
		return 0;
	memcpy(b, data, size);
	if (size >= 40 && memcmp(b, SCAP_CAPFILE_MAGIC, SCAP_CAPFILE_MAGIC_LEN) == 0) {
		if (scap_capfile_get16(b + 8) == SCAP_CAPFILE_VERSION_V1) {
			scap_capfile_put32(b + 24, SCAP_EV_MAX);
			scap_capfile_put64(b + 32, scap_capfile_schema_hash());
		} else if (size % 7) {
			fix_v2(b, size);
		}
	}
	check(ftruncate(fd, 0) == 0, "ftruncate");
	check(pwrite(fd, b, size, 0) == (ssize_t)size, "pwrite");
	free(b);
	/* A path of its own each time: the engine opens it with its own offset. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	o.savefile_path = path;
	o.unpaired = size & 1; /* both with and without the pairing stage */
	r = scap_open(&h, "savefile", &o, err, sizeof(err));
	if (r < 0) {
		check(err[0] != '\0', "a refused file has a reason");
		return 0;
	}
	check(scap_start(h) == 0, "start");
	while ((r = scap_next(h, &ev, &cpu, 0)) == 0) {
		check(scap_event_validate(scap_event_bytes(ev), scap_event_len(ev), why, sizeof(why)) == 0,
		      "a replayed event validates");
		check(scap_event_format_json(ev, cpu, out, sizeof(out)) > 0, "json formats");
	}
	check(r == -ENODATA || scap_last_error(h)[0] != '\0', "an error has a message");
	check(r == -ENODATA || r == -EBADMSG || r == -EIO || r == -ENOMEM || r == -ENOTSUP,
	      "the documented end codes");
	scap_close(h);
	return 0;
}

#ifdef SCAP_FUZZ_REPLAY
int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			fprintf(stderr, "fuzz_savefile_replay: cannot open %s\n", argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz_savefile_replay: %d inputs, no invariant broken\n", argc - 1);
	return 0;
}
#endif
