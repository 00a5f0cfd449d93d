// SPDX-License-Identifier: Apache-2.0
/*
 * capfile_reader: replays a capture file (`scap capture --write FILE`, or
 * scap_dump_*) and prints its events with the wall-clock time of the host
 * that recorded them, whatever host reads the file.
 *
 *   capfile_reader FILE
 *
 * One text line per event, as `scap capture --read FILE --wall-clock` prints
 * it (scap_event_format_opts with the file's boot time), then, on stderr, the
 * original capture's statistics, which the file carries in its trailer.
 * Needs no privileges.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <scap/scap.h>

int main(int argc, char **argv)
{
	struct scap_open_opts o = { .sz = sizeof(o) };
	struct scap_format_opts fo = { .sz = sizeof(fo), .fmt = SCAP_FORMAT_TEXT };
	struct scap_stats st = { .sz = sizeof(st) };
	char err[SCAP_ERRBUF_SIZE], *line;
	size_t cap = 1 << 16;
	const struct scap_event *ev;
	unsigned cpu;
	struct scap *h;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: capfile_reader FILE\n");
		return 2;
	}
	o.savefile_path = argv[1];
	if (scap_open(&h, "savefile", &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "capfile_reader: %s\n", err);
		return 1;
	}
	if (scap_start(h) < 0 || scap_boot_time(h, &fo.ts_offset_ns) < 0) {
		fprintf(stderr, "capfile_reader: %s\n", scap_last_error(h));
		scap_close(h);
		return 1;
	}
	line = malloc(cap);
	while (line && (r = scap_next(h, &ev, &cpu, -1)) == 0) {
		int n = scap_event_format_opts(ev, cpu, &fo, line, cap, NULL);
		char *bigger;

		/* A line longer than the buffer: grow it and format again. */
		if (n >= 0 && (size_t)n >= cap && (bigger = realloc(line, (size_t)n + 1))) {
			line = bigger;
			cap = (size_t)n + 1;
			n = scap_event_format_opts(ev, cpu, &fo, line, cap, NULL);
		}
		if (n >= 0)
			puts(line);
	}
	if (!line || r != -ENODATA) {
		fprintf(stderr, "capfile_reader: %s\n", line ? scap_last_error(h) : "out of memory");
		free(line);
		scap_close(h);
		return 1;
	}
	/* After the last event: the statistics of the capture that wrote the file. */
	scap_get_stats(h, &st);
	fprintf(stderr, "capfile_reader: %" PRIu64 " events; the recording dropped %" PRIu64
		" (buffer full %" PRIu64 ", other %" PRIu64 ")\n",
		st.events, st.drops, st.drops_buffer_full, st.drops_other);
	free(line);
	scap_close(h);
	return 0;
}
