/*
 * pipeline.c - plug-ins, reference rules, scan, plan; see pipeline.h.
 */
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "index.h"
#include "index_build.h"
#include "pipeline.h"
#include "problem.h"
#include "refcheck.h"
#include "strbuf.h"
#include "util.h"

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
int
pipeline_index(struct docindex **idx, struct problems *problems,
    const struct site *site, bool refresh, bool save)
{
	struct strbuf path = STRBUF_INIT;
	struct index_build b;
	bool wrote;
	int r;

	if (refresh) {
		if (index_build(&b, problems, site->cfg, site->fd, true) < 0)
			return -1;
		if (!b.foreign) {
			r = save ? index_save(&b, site->cfg, site->fd,
			    &wrote) : 0;
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
pipeline_plan(struct pipeline *pl, struct problems *problems,
    const struct site *site, const struct docindex *idx,
    bool sources_optional)
{
	memset(pl, 0, sizeof(*pl));
	if (plugins_collect(&pl->wants, problems, site->cfg, idx) < 0)
		return -1;
	if (site->cfg->safe)
		problems_add(problems, SEV_WARNING, "safe-mode", NULL, NULL,
		    "the site sets 'safe: true': Jekyll in safe mode (and "
		    "GitHub Pages) drops links that lead outside the site, so "
		    "the linked renders will not be published");
	validate_wants(&pl->good, problems, site->cfg, &pl->wants);
	scan_run(&pl->scan, site->cfg, site->fd, &pl->good, problems);
	plan_build(&pl->plan, problems, site->cfg, &pl->good, &pl->scan,
	    sources_optional);
	return 0;
}

void
pipeline_free(struct pipeline *pl)
{
	plan_free(&pl->plan);
	if (pl->scan.targets)
		scan_free(&pl->scan);
	wantlist_free(&pl->wants);
	wantlist_free(&pl->good);
}
