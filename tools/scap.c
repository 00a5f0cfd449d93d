/* SPDX-License-Identifier: Apache-2.0 */
/* The `scap` command: dispatches to its subcommands through a table. */
#include <string.h>

#include "cli.h"

#ifndef SCAP_VERSION
#define SCAP_VERSION "unknown"
#endif

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "capture", cmd_capture, "capture system-call events and print one per line" },
	{ "engines", cmd_engines, "list the engines compiled in and whether they are usable here" },
};

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: scap <command> [options]\n"
	      "       scap --help | --version\n"
	      "\n"
	      "Captures Linux system-call events through interchangeable engines.\n"
	      "\n"
	      "commands:\n", f);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
	fputs("\n"
	      "'scap <command> --help' describes a command's options.\n"
	      "\n"
	      "examples:\n"
	      "  scap engines\n"
	      "  scap capture --count 20\n"
	      "  scap capture --json --syscalls openat,connect,execve --duration 10\n"
	      "  scap capture --engine synthetic --json --count 1000\n"
	      "\n"
	      "exit status: 0 success, 1 the capture could not be opened or failed,\n"
	      "2 bad command line. Errors are one line on stderr starting with \"scap: \".\n",
	      f);
}

static void version(void)
{
	unsigned i, n = scap_engine_count();

	printf("scap %s (API %d.%d, event layout %u, engines:", SCAP_VERSION, SCAP_API_VERSION_MAJOR,
	       SCAP_API_VERSION_MINOR, (unsigned)SCAP_EVENT_LAYOUT_VERSION);
	for (i = 0; i < n; i++)
		printf(" %s", scap_engine_name_at(i));
	printf(")\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		cli_errorf("no command given: use 'scap capture' or 'scap engines' (see 'scap --help')");
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		version();
		return CLI_EXIT_OK;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	cli_errorf("unknown command '%s': use 'scap capture' or 'scap engines' (see 'scap --help')", argv[1]);
	return CLI_EXIT_USAGE;
}
