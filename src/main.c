/*
 * main.c - renderlink: keep one symlink per referenced render in a
 * Jekyll site.
 *
 * Dispatches to one function per command (cmd_*.c), git style.  Global
 * options may come before the command name; each command also accepts
 * them after it.  `help [<command>]` and `version` are commands too, as
 * in git, so that a user who types them instead of --help or --version
 * gets what they asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "version.h"
#include "util.h"


struct command {
	const char	*name;
	int		(*fn)(int argc, char **argv);
	const char	*help;
};

static int	cmd_help(int argc, char **argv);
static int	cmd_version(int argc, char **argv);

static const struct command commands[] = {
	{ "init", cmd_init, "add a renderlink block to the site's _config.yml" },
	{ "sync", cmd_sync, "make the site's links match its pages" },
	{ "index", cmd_index, "build the front matter index from the pages" },
	{ "check", cmd_check, "check what is staged (or the work tree); change nothing" },
	{ "status", cmd_status, "per link set: links in place, to add, to remove; takes left out" },
	{ "doctor", cmd_doctor, "check the setup: WSL, filesystems, media roots, Jekyll, git" },
	{ "hook", cmd_hook, "install or uninstall the git pre-commit hook" },
	{ "clean", cmd_clean, "remove every link renderlink owns, and its record" },
	{ "plugins", cmd_plugins, "list the site's plug-ins and their link sets" },
	{ "help", cmd_help, "this help, or a command's: 'renderlink help sync'" },
	{ "version", cmd_version, "print the version" },
	/* No help text: hidden from the list (for shell completion). */
	{ "__complete", cmd_complete, NULL },
};

static const char *const main_usage[] = {
	"renderlink [-C <dir>] [--config <files>] [-q | -v] "
	    "[--format text|json|github] <command> [<args>]",
	"renderlink help [<command>]",
	"renderlink version | -V | --version",
	NULL
};

static int main_help, main_version;
static const struct option main_opts[] = {
	OPT_GLOBALS(gopt),
	OPT_BOOL('h', "help", &main_help, "show this help"),
	OPT_BOOL('V', "version", &main_version, "print the version"),
	OPT_END(),
};

static void __attribute__((noreturn))
usage(int code)
{
	FILE *f = code ? stderr : stdout;
	size_t i;

	usage_print_lines(f, main_usage);
	fprintf(f, "\nrenderlink keeps exactly one symlink in a Jekyll site "
	    "for each media file its pages reference.\n\ncommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].help != NULL)
			fprintf(f, "    %-10s %s\n", commands[i].name,
			    commands[i].help);
	usage_print_options(f, main_opts);
	fprintf(f, "\nSee 'renderlink help <command>' for a command's "
	    "options.\n");
	exit(code);
}

static const struct command *
command_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

static int
not_a_command(const char *name)
{
	warnx_("'%s' is not a renderlink command; see 'renderlink help'",
	    name);
	return EXIT_USAGE;
}

static int
print_version(void)
{
	printf("renderlink %s\n", RENDERLINK_VERSION);
	return 0;
}

/* `renderlink help [<command>]`: exactly what --help prints. */
static int
cmd_help(int argc, char **argv)
{
	static const char *const help_usage[] = {
		"renderlink help [<command>]", NULL
	};
	const struct option opts[] = { OPT_END() };
	const struct command *c;
	char *args[3];

	argc = parse_options(argc, argv, opts, help_usage, 0);
	if (argc == 0 || strcmp(argv[1], "help") == 0)
		usage(0);
	if (argc > 1) {
		warnx_("help takes one command name, not %d", argc);
		usage_with_options(help_usage, opts, EXIT_USAGE);
	}
	if ((c = command_find(argv[1])) == NULL)
		return not_a_command(argv[1]);
	args[0] = argv[1];
	args[1] = "--help";
	args[2] = NULL;
	return c->fn(2, args);
}

static int
cmd_version(int argc, char **argv)
{
	static const char *const version_usage[] = {
		"renderlink version", NULL
	};
	const struct option opts[] = { OPT_END() };

	if (parse_options(argc, argv, opts, version_usage, 0) > 0) {
		warnx_("version takes no arguments ('%s')", argv[1]);
		usage_with_options(version_usage, opts, EXIT_USAGE);
	}
	return print_version();
}

int
main(int argc, char **argv)
{
	const struct command *c;

	argc = parse_options(argc, argv, main_opts, main_usage,
	    PARSE_OPT_STOP_AT_NON_OPTION);
	if (main_help && argc >= 1 && command_find(argv[1]) != NULL)
		return cmd_help(argc + 1, argv);	/* --help sync, as git */
	if (main_help)
		usage(0);
	if (main_version)
		return print_version();
	if (argc < 1)
		usage(EXIT_USAGE);
	if ((c = command_find(argv[1])) == NULL)
		return not_a_command(argv[1]);
	return c->fn(argc, argv + 1);
}
