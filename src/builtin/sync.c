/*
 * builtin/sync.c - `renderlink sync`: make the site's links match its pages.
 *
 * The whole pipeline in one place: read the config and the index (exit 2
 * on bad input, nothing changed), let the plug-ins say what they want,
 * hold every want to the reference rules, look at the filesystem once,
 * plan, and - unless this is a dry run - apply.  The lock is taken before
 * the scan so the plan is made on the site as it will be changed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "apply.h"
#include "cmd.h"
#include "config.h"
#include "index.h"
#include "index_build.h"
#include "pipeline.h"
#include "problem.h"
#include "progress.h"
#include "publish.h"
#include "report.h"
#include "util.h"

static const char *const sync_usage[] = {
	"renderlink sync [-n] [--no-index] [--require-sources] "
	    "[--lock-timeout <secs>] [--drafts] [--unpublished] [--future] "
	    "[<global options>]",
	NULL
};

int
cmd_sync(int argc, char **argv)
{
	int dry_run = 0, no_index = 0, require = 0, lock_timeout = 30, code;
	struct publish_flags pf = { 0 };
	struct pipeline_opts po = { 0 };
	struct index_build ib = { 0 };
	struct report_opts ro = { 0 };
	struct problems problems = { 0 };
	struct docindex *idx = NULL;
	struct pipeline pl = { 0 };
	struct site site;
	char *prefix = NULL;
	const struct option opts[] = {
		OPT_BOOL('n', "dry-run", &dry_run,
		    "print what would be done, change nothing"),
		OPT_BOOL(0, "no-index", &no_index,
		    "use the index file as it is; do not refresh it"),
		OPT_BOOL(0, "require-sources", &require,
		    "a missing media root is an error even with --dry-run"),
		OPT_INT(0, "lock-timeout", &lock_timeout, "secs",
		    "wait this long for another run to finish (30)"),
		OPT_PUBLISH(pf),
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, sync_usage, 0);
	if (argc > 0) {
		warnx_("sync takes no arguments ('%s')", argv[1]);
		usage_with_options(sync_usage, opts, EXIT_USAGE);
	}
	ro.format = global_format();
	ro.verbose = gopt.verbose;
	ro.quiet = gopt.quiet;
	ro.dry_run = dry_run;

	progress_enable(ro.format == FORMAT_TEXT && !gopt.quiet);
	if ((code = site_open(&site)) != 0)
		return code;
	if (ro.format == FORMAT_GITHUB)
		ro.repo_prefix = prefix = site_repo_prefix(&site);
	if ((code = site_lock(&site, !dry_run, lock_timeout)) != 0) {
		site_close(&site);
		return code;
	}
	if (!dry_run)
		sweep_temporaries(&site);
	po.flags = &pf;
	po.sources_optional = dry_run && !require;
	po.dry_run = dry_run;
	po.verbose = gopt.verbose;
	if (pipeline_index(&idx, &problems, &site, !no_index,
	    dry_run ? NULL : &ib) < 0 ||
	    pipeline_plan(&pl, &problems, &site, &idx, dry_run ? NULL : &ib,
	    &po) < 0) {
		warnx_("%s", rl_error_last());
		code = EXIT_USAGE;
		goto out;
	}
	if (!dry_run) {
		if (plan_has_work(&pl.plan))
			scan_load_manifest(&pl.scan, &problems);
		apply_plan(&pl.plan, &problems, site.cfg, site.fd,
		    &pl.scan.manifest);
		if (plugins_save_data(&pl.res, site.cfg, site.fd) < 0)
			problems_add(&problems, SEV_ERROR, "apply-failed",
			    NULL, NULL, "%s", rl_error_last());
	}
	ro.skipped = &pl.skipped;
	report_print(&pl.plan, &problems, &ro);
	code = problems_count(&problems, SEV_ERROR) ? EXIT_PROBLEMS : 0;
out:
	pipeline_free(&pl);
	index_build_free(&ib);
	problems_free(&problems);
	docindex_free(idx);
	free(prefix);
	site_close(&site);
	return code;
}
