/*
 * main.c - renderlink: keep one symlink per referenced render in a
 * Jekyll site.
 *
 * Dispatches to one function per command (cmd_*.c), git style.  Global
 * options may come before the command name; each command also accepts
 * them after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

#ifndef RENDERLINK_VERSION
#define RENDERLINK_VERSION "0.1.0"
#endif

struct command {
	const char	*name;
	int		(*fn)(int argc, char **argv);
	const char	*help;
};

static const struct command commands[] = {
	{ "sync", cmd_sync, "make the site's links match its pages" },
	{ "index", cmd_index, "build the front matter index from the pages" },
	{ "check", cmd_check, "check what is staged (or the work tree); change nothing" },
	{ "hook", cmd_hook, "install or uninstall the git pre-commit hook" },
};

static const char *const main_usage[] = {
	"renderlink [-C <dir>] [--config <files>] [-q | -v] "
	    "[--format text|json|github] <command> [<args>]",
	NULL
};

static void __attribute__((noreturn))
usage(int code, const struct option *opts)
{
	FILE *f = code ? stderr : stdout;
	size_t i;

	fprintf(f, "renderlink keeps exactly one symlink in a Jekyll site for "
	    "each media file its pages reference.\n\ncommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "    %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nSee 'renderlink <command> --help'.\n\n");
	usage_with_options(main_usage, opts, code);
}

int
main(int argc, char **argv)
{
	int version = 0, help = 0;
	size_t i;
	const struct option opts[] = {
		OPT_GLOBALS(gopt),
		OPT_BOOL(0, "version", &version, "print the version"),
		OPT_END(),
	};

	for (i = 1; i < (size_t)argc; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			help = 1;
			break;
		} else if (argv[i][0] != '-')
			break;
	if (help)
		usage(0, opts);
	argc = parse_options(argc, argv, opts, main_usage,
	    PARSE_OPT_STOP_AT_NON_OPTION);
	if (version) {
		printf("renderlink %s\n", RENDERLINK_VERSION);
		return 0;
	}
	if (argc < 1)
		usage(EXIT_USAGE, opts);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc, argv + 1);
	warnx_("'%s' is not a renderlink command", argv[1]);
	usage(EXIT_USAGE, opts);
}
