/*
 * builtin/complete.c - `renderlink __complete sets`: what shell completion
 * cannot know without reading the site's config (completion/).
 *
 * A hidden command (not in `renderlink help`'s list): people do not type
 * it, the bash and zsh completion scripts run it while a user presses
 * Tab.  So it is quiet: no site, or a config that does not load, prints
 * nothing at all (not even on stderr, which would land in the middle of
 * the command line being edited) and exits 0 - there is simply nothing
 * to offer.  -C and --config mean what they mean to every command, so
 * the names offered after `renderlink -C site status --set` are those of
 * that site.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "util.h"

static const char *const complete_usage[] = {
	"renderlink __complete sets [<global options>]",
	NULL
};

/* site_open() with its complaint on stderr thrown away. */
static int
site_open_quiet(struct site *site)
{
	int saved, null, code;

	fflush(stderr);
	if ((saved = dup(STDERR_FILENO)) < 0)
		return site_open(site);
	if ((null = open("/dev/null", O_WRONLY | O_CLOEXEC)) >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
	code = site_open(site);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	return code;
}

int
cmd_complete(int argc, char **argv)
{
	struct site site;
	size_t i;
	const struct option opts[] = {
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, complete_usage, 0);
	if (argc != 1 || strcmp(argv[1], "sets") != 0) {
		warnx_("__complete takes one word: sets");
		usage_with_options(complete_usage, opts, EXIT_USAGE);
	}
	if (site_open_quiet(&site) != 0)
		return 0;
	for (i = 0; i < site.cfg->nsets; i++)
		printf("%s\n", site.cfg->sets[i].name);
	site_close(&site);
	return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
}
