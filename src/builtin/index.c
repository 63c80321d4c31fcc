/*
 * builtin/index.c - `renderlink index`: build the front matter index from the
 * pages, or (--check, for CI) tell whether the one on disk is current.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "config.h"
#include "index_build.h"
#include "plan.h"
#include "problem.h"
#include "progress.h"
#include "report.h"
#include "strbuf.h"
#include "util.h"

static const char *const index_usage[] = {
	"renderlink index [--check] [--no-cache] [--lock-timeout <secs>] "
	    "[<global options>]",
	NULL
};

int
cmd_index(int argc, char **argv)
{
	int check = 0, no_cache = 0, lock_timeout = 30, code;
	struct report_opts ro = { 0 };
	struct problems problems = { 0 };
	struct strbuf diff = STRBUF_INIT;
	struct index_build b;
	struct plan none = { 0 };
	struct site site;
	char *prefix = NULL;
	bool wrote = false;
	const struct option opts[] = {
		OPT_BOOL(0, "check", &check, "exit 1 if the index on disk "
		    "is not what the pages say; write nothing"),
		OPT_BOOL(0, "no-cache", &no_cache,
		    "read every page again"),
		OPT_INT(0, "lock-timeout", &lock_timeout, "secs",
		    "wait this long for another run to finish (30)"),
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, index_usage, 0);
	if (argc > 0) {
		warnx_("index takes no arguments ('%s')", argv[1]);
		usage_with_options(index_usage, opts, EXIT_USAGE);
	}
	ro.format = global_format();
	ro.quiet = gopt.quiet;
	ro.dry_run = check;
	progress_enable(ro.format == FORMAT_TEXT && !gopt.quiet);
	if ((code = site_open(&site)) != 0)
		return code;
	if (ro.format == FORMAT_GITHUB)
		ro.repo_prefix = prefix = site_repo_prefix(&site);
	if ((code = site_lock(&site, !check, lock_timeout)) != 0) {
		site_close(&site);
		return code;
	}
	if (!check)
		sweep_temporaries(&site);
	/* --check must judge the pages themselves, not a cache of them. */
	if (index_build(&b, &problems, site.cfg, site.fd,
	    !check && !no_cache) < 0) {
		warnx_("%s", rl_error_last());
		code = EXIT_USAGE;
		goto out;
	}
	if (b.foreign) {
		warnx_("%s was not written by renderlink (it has no "
		    "\"generator\": \"renderlink\"); renderlink will not "
		    "overwrite it: move it away, or point renderlink.index at "
		    "another file", site.cfg->index);
		code = EXIT_USAGE;
		goto out;
	}
	if (check) {
		if (index_changed(&b)) {
			index_diff(&diff, &b, 10);
			problems_add(&problems, SEV_ERROR, "stale-index",
			    site.cfg->index, NULL, "%s is not what the pages say (%s); run "
			    "'renderlink index'", site.cfg->index,
			    diff.buf);
		}
	} else if (index_save(&b, site.cfg, site.fd, &wrote) < 0) {
		warnx_("%s", rl_error_last());
		code = EXIT_PROBLEMS;
		goto out;
	}
	progress_end();
	if (ro.format == FORMAT_TEXT && !ro.quiet && (wrote || gopt.verbose))
		printf("%s %s: %zu pages (%zu read, %zu unchanged) of %zu "
		    "files\n", wrote ? "wrote" : check ? "checked" :
		    "unchanged", site.cfg->index, b.pages, b.parsed,
		    b.reused, b.files);
	report_print(&none, &problems, &ro);
	code = problems_count(&problems, SEV_ERROR) ? EXIT_PROBLEMS : 0;
out:
	index_build_free(&b);
	problems_free(&problems);
	strbuf_free(&diff);
	free(prefix);
	site_close(&site);
	return code;
}
