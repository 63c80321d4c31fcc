/*
 * cmd_sync.c - `renderlink sync`: make the site's links match its pages.
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
#include "lock.h"
#include "plan.h"
#include "plugin.h"
#include "problem.h"
#include "refcheck.h"
#include "report.h"
#include "scan.h"
#include "strbuf.h"
#include "util.h"

static const char *const sync_usage[] = {
	"renderlink sync [-n] [--no-index] [--lock-timeout <secs>] [-C <dir>] "
	    "[--config <files>]",
	NULL
};

/* Keeps the wants that obey the reference rules; reports the others. */
static void
validate_wants(struct wantlist *good, struct problems *problems,
    const struct config *cfg, const struct wantlist *all)
{
	size_t i;

	for (i = 0; i < all->n; i++) {
		const struct want *w = &all->v[i];
		const struct linkset *ls = &cfg->sets[w->set];

		if (ref_check(w->ref, (const char *const *)ls->exts,
		    ls->nexts) < 0) {
			problems_add(problems, SEV_ERROR, "invalid-reference",
			    w->page, NULL, "link set '%s': %s; nothing linked",
			    ls->name, rl_error_last());
			continue;
		}
		wantlist_add(good, w->set, w->ref, w->page);
	}
}

/*
 * The index the plug-ins read.  Unless told not to, it is first brought
 * up to date with the pages (and written, outside a dry run), so that one
 * command does everything.  An index file renderlink did not write is the
 * user's: it is read as it is.
 */
static int
load_index(struct docindex **idx, struct problems *problems,
    const struct site *site, bool refresh, bool dry_run)
{
	struct strbuf path = STRBUF_INIT;
	struct index_build b;
	bool wrote;
	int r;

	if (refresh) {
		if (index_build(&b, problems, site->cfg, site->fd, true) < 0)
			return -1;
		if (!b.foreign) {
			r = dry_run ? 0 : index_save(&b, site->cfg, site->fd,
			    &wrote);
			if (r == 0)
				r = docindex_from_json(idx,
				    json_incref(b.root), site->cfg->index);
			index_build_free(&b);
			return r;
		}
		index_build_free(&b);
	}
	strbuf_puts(&path, site->cfg->site_root);
	strbuf_joinpath(&path, site->cfg->index);
	r = docindex_load(idx, path.buf, site->cfg->index);
	strbuf_free(&path);
	return r;
}

int
cmd_sync(int argc, char **argv)
{
	int dry_run = 0, no_index = 0, lock_timeout = 30, r, code;
	struct report_opts ro = { 0 };
	struct wantlist wants = { 0 }, good = { 0 };
	struct problems problems = { 0 };
	struct docindex *idx = NULL;
	struct plan plan = { 0 };
	struct scan scan;
	struct site site;
	const struct option opts[] = {
		OPT_BOOL('n', "dry-run", &dry_run,
		    "print what would be done, change nothing"),
		OPT_BOOL(0, "no-index", &no_index,
		    "use the index file as it is; do not refresh it"),
		OPT_INT(0, "lock-timeout", &lock_timeout, "secs",
		    "wait this long for another run to finish (30)"),
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

	if ((code = site_open(&site)) != 0)
		return code;
	r = lock_acquire(site.fd, !dry_run, lock_timeout);
	if (r != 0) {
		if (r > 0)
			warnx_("another renderlink is still working on %s "
			    "(waited %d s; see --lock-timeout)",
			    site.cfg->site_root, lock_timeout);
		else
			warnx_("%s: %s", site.cfg->site_root, rl_error_last());
		site_close(&site);
		return r > 0 ? EXIT_LOCKED : EXIT_USAGE;
	}

	if (load_index(&idx, &problems, &site, !no_index, dry_run) < 0 ||
	    plugins_collect(&wants, &problems, site.cfg, idx) < 0) {
		warnx_("%s", rl_error_last());
		code = EXIT_USAGE;
		goto out;
	}
	if (site.cfg->safe)
		problems_add(&problems, SEV_WARNING, "safe-mode", NULL, NULL,
		    "the site sets 'safe: true': Jekyll in safe mode (and "
		    "GitHub Pages) drops links that lead outside the site, so "
		    "the linked renders will not be published");
	validate_wants(&good, &problems, site.cfg, &wants);
	scan_run(&scan, site.cfg, site.fd, &good, &problems);
	plan_build(&plan, &problems, site.cfg, &good, &scan, dry_run);
	if (!dry_run)
		apply_plan(&plan, &problems, site.cfg, site.fd,
		    &scan.manifest);
	report_print(&plan, &problems, &ro);
	code = problems_count(&problems, SEV_ERROR) ? EXIT_PROBLEMS : 0;
	scan_free(&scan);
out:
	plan_free(&plan);
	problems_free(&problems);
	wantlist_free(&wants);
	wantlist_free(&good);
	docindex_free(idx);
	site_close(&site);
	return code;
}
