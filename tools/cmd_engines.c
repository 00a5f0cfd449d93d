/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `scap engines`: every engine compiled in, whether it is usable here and why
 * not, and which one "auto" would try first. Probes only: nothing is loaded.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const default_order[] = { "modern_bpf", "bpf", "kmod", NULL };

static void usage(FILE *f)
{
	fputs("usage: scap engines [--json] [--engine-order LIST]\n"
	      "\n"
	      "Lists every engine compiled in: its name, whether it is usable on this host,\n"
	      "and the reason when it is not. The last line (human output) or the \"auto\"\n"
	      "key (JSON) tells which engine \"auto\" would try first.\n"
	      "\n"
	      "  --json               one JSON object per engine and line:\n"
	      "                       {\"name\":..,\"usable\":true|false,\"reason\":..,\"auto\":true|false}\n"
	      "  --engine-order LIST  the order \"auto\" walks (default modern_bpf,bpf,kmod)\n",
	      f);
}

int cmd_engines(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "engine-order", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *const *order = default_order;
	char **user_order = NULL;
	bool json = false;
	const char *auto_pick = NULL;
	unsigned i, n = scap_engine_count();
	char (*reasons)[SCAP_ERRBUF_SIZE];
	int *rcs, c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'o':
			free(user_order);
			if (cli_split_list("--engine-order", optarg, &user_order) < 0)
				return CLI_EXIT_USAGE;
			order = (const char *const *)user_order;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case ':':
			cli_errorf("option '%s' needs a value: see 'scap engines --help'", argv[optind - 1]);
			free(user_order);
			return CLI_EXIT_USAGE;
		default:
			cli_errorf("unknown option '%s' for 'scap engines': see 'scap engines --help'",
				   argv[optind - 1]);
			free(user_order);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_errorf("unexpected argument '%s' for 'scap engines': see 'scap engines --help'", argv[optind]);
		free(user_order);
		return CLI_EXIT_USAGE;
	}

	reasons = calloc(n ? n : 1, sizeof(*reasons));
	rcs = calloc(n ? n : 1, sizeof(*rcs));
	if (!reasons || !rcs) {
		cli_errorf("out of memory");
		free(reasons);
		free(rcs);
		free(user_order);
		return CLI_EXIT_FAIL;
	}
	for (i = 0; i < n; i++)
		rcs[i] = scap_engine_probe(scap_engine_name_at(i), reasons[i], sizeof(reasons[i]));

	/* "auto" takes the first engine of its order whose probe passes. */
	for (const char *const *o = order; *o && !auto_pick; o++)
		for (i = 0; i < n; i++)
			if (!strcmp(*o, scap_engine_name_at(i)) && rcs[i] == 0)
				auto_pick = scap_engine_name_at(i);

	if (!json)
		printf("%-12s %-7s %s\n", "ENGINE", "USABLE", "REASON");
	for (i = 0; i < n; i++) {
		const char *name = scap_engine_name_at(i);

		if (rcs[i] != 0 && reasons[i][0] == '\0')
			snprintf(reasons[i], sizeof(reasons[i]), "probe failed: %s", strerror(-rcs[i]));
		if (rcs[i] == 0)
			reasons[i][0] = '\0';
		if (json) {
			fputs("{\"name\":", stdout);
			cli_json_string(stdout, name);
			printf(",\"usable\":%s,\"reason\":", rcs[i] == 0 ? "true" : "false");
			cli_json_string(stdout, reasons[i]);
			printf(",\"auto\":%s}\n", auto_pick && !strcmp(auto_pick, name) ? "true" : "false");
		} else {
			if (rcs[i] == 0)
				printf("%-12s yes\n", name);
			else
				printf("%-12s %-7s %s\n", name, "no", reasons[i]);
		}
	}
	if (!json) {
		if (auto_pick)
			printf("auto: would try %s first\n", auto_pick);
		else
			printf("auto: no engine of its order is usable here (see the reasons above)\n");
	}
	free(reasons);
	free(rcs);
	free(user_order);
	return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
