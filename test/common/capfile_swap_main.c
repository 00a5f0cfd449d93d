// SPDX-License-Identifier: Apache-2.0
/*
 * capfile_swap IN OUT: writes OUT, the big-endian twin of the little-endian
 * capture file IN (plain or gzip; OUT is plain). For the byte-order tests
 * (test/cli/cli_byteorder_test.sh) and the fuzzer's big-endian seeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#include "capfile_swap.h"

int main(int argc, char **argv)
{
	char why[256];
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	gzFile in;
	FILE *out;
	int n;

	if (argc != 3) {
		fprintf(stderr, "usage: capfile_swap IN OUT\n");
		return 2;
	}
	in = gzopen(argv[1], "rb");
	if (!in) {
		fprintf(stderr, "capfile_swap: cannot open %s\n", argv[1]);
		return 1;
	}
	do {
		if (len == cap) {
			cap = cap ? 2 * cap : 1 << 20;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "capfile_swap: out of memory\n");
				return 1;
			}
		}
		n = gzread(in, buf + len, (unsigned)(cap - len));
		if (n > 0)
			len += (size_t)n;
	} while (n > 0);
	gzclose(in);
	if (n < 0) {
		fprintf(stderr, "capfile_swap: cannot read %s\n", argv[1]);
		return 1;
	}
	if (capfile_swap_to_be(buf, len, why, sizeof(why)) < 0) {
		fprintf(stderr, "capfile_swap: %s: %s\n", argv[1], why);
		return 1;
	}
	out = fopen(argv[2], "wb");
	if (!out || fwrite(buf, 1, len, out) != len || fclose(out) != 0) {
		fprintf(stderr, "capfile_swap: cannot write %s\n", argv[2]);
		return 1;
	}
	free(buf);
	return 0;
}
