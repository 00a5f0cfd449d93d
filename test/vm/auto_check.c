// SPDX-License-Identifier: Apache-2.0
/*
 * auto_check WANT: opens engine "auto" and exits 0 when the engine it picked
 * is WANT (the report of every candidate is printed either way), 1 when it
 * picked another or none. Used inside the VM with and without
 * SCAP_PROBE_OVERRIDE ruling eBPF out.
 */
#include <stdio.h>
#include <string.h>

#include "scap/scap.h"

int main(int argc, char **argv)
{
	struct scap_open_opts o = { .sz = sizeof(o), .buffer_bytes = 1 << 20 };
	char err[SCAP_ERRBUF_SIZE] = "";
	struct scap *h = NULL;
	int r, ok;

	if (argc != 2) {
		fprintf(stderr, "usage: auto_check ENGINE\n");
		return 2;
	}
	r = scap_open(&h, "auto", &o, err, sizeof(err));
	if (r < 0) {
		printf("auto: no engine opened (%d): %s\n", r, err);
		return 1;
	}
	printf("auto picked %s\n%s\n", scap_engine_name(h), scap_engine_report(h));
	ok = strcmp(scap_engine_name(h), argv[1]) == 0;
	if (!ok)
		printf("auto picked %s, want %s\n", scap_engine_name(h), argv[1]);
	scap_close(h);
	return ok ? 0 : 1;
}
