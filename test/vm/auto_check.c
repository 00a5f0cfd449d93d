// SPDX-License-Identifier: Apache-2.0
/*
 * auto_check WANT: opens engine "auto" and exits 0 when the engine it picked
 * is WANT (the report of every candidate is printed either way), 1 when it
 * picked another or none. Used inside the VM with and without
 * SCAP_PROBE_OVERRIDE ruling eBPF out. auto_check --open-fails ENGINE TEXT
 * exits 0 when opening ENGINE by name fails with TEXT in the message. With SCAP_VM_LOG=1 the library's
 * warnings and errors (a verifier's log, say) are printed, each cut to its
 * last 4000 bytes so that the serial log stays readable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap/scap.h"

static void print_log(enum scap_log_level level, const char *msg, void *ctx)
{
	size_t n = strlen(msg);

	(void)ctx;
	if (level < SCAP_LOG_WARN)
		return;
	printf("log: %s%s\n", n > 4000 ? "[...] " : "", n > 4000 ? msg + n - 4000 : msg);
}

int main(int argc, char **argv)
{
	struct scap_open_opts o = { .sz = sizeof(o), .buffer_bytes = 1 << 20 };
	char err[SCAP_ERRBUF_SIZE] = "";
	struct scap *h = NULL;
	int r, ok;

	const char *v = getenv("SCAP_VM_LOG");

	if (v && v[0] == '1')
		o.log = print_log;
	if (argc == 4 && strcmp(argv[1], "--open-fails") == 0) {
		/* auto_check --open-fails ENGINE TEXT: opening ENGINE must fail with TEXT in the message. */
		r = scap_open(&h, argv[2], &o, err, sizeof(err));
		if (r == 0) {
			printf("%s opened, want a failure\n", argv[2]);
			scap_close(h);
			return 1;
		}
		printf("%s refused (%d): %s\n", argv[2], r, err);
		return strstr(err, argv[3]) ? 0 : 1;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: auto_check ENGINE | auto_check --open-fails ENGINE TEXT\n");
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
