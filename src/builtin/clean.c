/*
 * builtin/clean.c - `renderlink clean`: take out every link renderlink
 * made, in every link set or in one.
 *
 * The same scanner, planner and executor as a sync, with the planner in
 * its clean mode (PLAN_CLEAN): no page is read, nothing is wanted, so
 * every link that is ours by the one ownership rule (plan.h) is removed,
 * with its record in the manifest, and nothing else is touched.  Whether
 * the media drive is mounted plays no part: ownership is read from the
 * link text and the manifest, so a site whose drive is gone can still be
 * cleaned (its links dangle, and Jekyll aborts its build on a dangling
 * link).  Nothing to remove writes nothing at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "cmd.h"
#include "config.h"
#include "manifest.h"
#include "plan.h"
#include "plugin.h"
#include "problem.h"
#include "report.h"
#include "scan.h"
#include "strbuf.h"
#include "util.h"

static const char *const clean_usage[] = {
	"renderlink clean [--set <name>] [-n] [--lock-timeout <secs>] "
	    "[<global options>]",
	NULL
};

/* The index of the set called name, or -1 after saying which exist. */
static int
set_find(const struct config *cfg, const char *name)
{
	struct strbuf names = STRBUF_INIT;
	size_t i;

	for (i = 0; i < cfg->nsets; i++)
		if (strcmp(cfg->sets[i].name, name) == 0)
			return (int)i;
	for (i = 0; i < cfg->nsets; i++)
		strbuf_printf(&names, "%s'%s'", i ? ", " : "",
		    cfg->sets[i].name);
	warnx_("no link set '%s' in the config; its link sets are %s",
	    name, names.buf);
	strbuf_free(&names);
	return -1;
}

/* Whether link (site-relative) is an entry directly in folder dir. */
static bool
entry_of(const char *link, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(link, dir, n) == 0 && link[n] == '/' &&
	    strchr(link + n + 1, '/') == NULL;
}

/*
 * Records of links in the cleaned folders that are not there any more
 * (or were taken back by the user) are forgotten too, so that no trace
 * of those sets is left; a link whose removal failed keeps its record,
 * for the next run.  The manifest is written only if this changes it.
 */
static void
forget_records(struct problems *problems, const struct config *cfg,
    const struct plan *plan, int sitefd)
{
	struct problems ignore = { 0 };
	struct manifest m;
	size_t i, j, k;
	bool drop, changed = false;

	manifest_load(&m, sitefd, &ignore);
	problems_free(&ignore);		/* the scan said it already */
	for (i = 0, k = m.n; i < k; i++) {
		for (j = 0; j < cfg->nsets; j++)
			if (entry_of(m.v[i].link, cfg->sets[j].target))
				break;
		if (j == cfg->nsets)
			continue;
		drop = true;
		for (j = 0; j < plan->n; j++)
			if (strcmp(plan->v[j].link, m.v[i].link) == 0)
				drop = plan->v[j].done;
		if (drop) {
			manifest_put(&m, m.v[i].link, NULL, 0, 0);
			changed = true;
		}
	}
	if (changed) {
		manifest_sort(&m);
		if (manifest_save(&m, sitefd) < 0)
			problems_add(problems, SEV_WARNING, "manifest", NULL,
			    NULL, "%s", rl_error_last());
	}
	manifest_free(&m);
}

int
cmd_clean(int argc, char **argv)
{
	int dry_run = 0, lock_timeout = 30, code, set = -1;
	const char *setname = NULL;
	struct report_opts ro = { 0 };
	struct problems problems = { 0 };
	struct wantlist none = { 0 };
	struct scan scan = { 0 };
	struct plan plan = { 0 };
	struct config view;
	struct site site;
	char *prefix = NULL;
	const struct option opts[] = {
		OPT_STRING(0, "set", &setname, "name",
		    "only the links of this link set"),
		OPT_BOOL('n', "dry-run", &dry_run,
		    "print what would be removed, change nothing"),
		OPT_INT(0, "lock-timeout", &lock_timeout, "secs",
		    "wait this long for another run to finish (30)"),
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, clean_usage, 0);
	if (argc > 0) {
		warnx_("clean takes no arguments ('%s')", argv[1]);
		usage_with_options(clean_usage, opts, EXIT_USAGE);
	}
	ro.format = global_format();
	ro.verbose = gopt.verbose;
	ro.quiet = gopt.quiet;
	ro.dry_run = dry_run;

	if ((code = site_open(&site)) != 0)
		return code;
	if (setname && (set = set_find(site.cfg, setname)) < 0) {
		site_close(&site);
		return EXIT_USAGE;
	}
	/*
	 * One set: the scan, plan and executor see a config holding only
	 * it, so the other sets' folders are not even read.
	 */
	view = *site.cfg;
	if (set >= 0) {
		view.sets = &site.cfg->sets[set];
		view.nsets = 1;
	}
	if (ro.format == FORMAT_GITHUB)
		ro.repo_prefix = prefix = site_repo_prefix(&site);
	if ((code = site_lock(&site, !dry_run, lock_timeout)) != 0)
		goto out;
	scan_run(&scan, &view, site.fd, &none, &problems, 0);
	plan_build(&plan, &problems, &view, &none, &scan, PLAN_CLEAN);
	if (!dry_run) {
		if (plan_has_work(&plan))
			scan_load_manifest(&scan, &problems);
		apply_plan(&plan, &problems, &view, site.fd, &scan.manifest);
		forget_records(&problems, &view, &plan, site.fd);
	}
	report_print(&plan, &problems, &ro);
	code = problems_count(&problems, SEV_ERROR) ? EXIT_PROBLEMS : 0;
out:
	plan_free(&plan);
	if (scan.targets)
		scan_free(&scan);
	problems_free(&problems);
	free(prefix);
	site_close(&site);
	return code;
}
