/*
 * pipeline.c - plug-ins, reference rules, scan, plan; see pipeline.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "index.h"
#include "index_build.h"
#include "keyhint.h"
#include "pipeline.h"
#include "problem.h"
#include "publish.h"
#include "refcheck.h"
#include "strbuf.h"
#include "util.h"

/*
 * Keeps the wants that obey the reference rules; reports the others.
 * good may be NULL: only lint.
 */
static void
validate_wants(struct wantlist *good, struct problems *problems,
    const struct config *cfg, struct wantlist *all)
{
	size_t i;

	if (good)
		ALLOC_GROW(good->v, good->n + all->n, good->alloc);
	for (i = 0; i < all->n; i++) {
		struct want *w = &all->v[i];
		const struct linkset *ls = &cfg->sets[w->set];

		if (ref_check(w->ref, (const char *const *)ls->exts,
		    ls->nexts) < 0) {
			problems_add(problems, SEV_ERROR, "invalid-reference",
			    w->page, NULL, "link set '%s': %s; nothing linked",
			    ls->name, rl_error_last());
			continue;
		}
		if (good)
			wantlist_take(good, w);
	}
}

/* Splits the index into what Jekyll renders and what it does not. */
static int
split_index(struct pipeline *pl, const struct config *cfg,
    struct docindex *idx, const struct publish_flags *flags)
{
	struct publish_rules rules;
	size_t i;

	if (publish_rules_load(&rules, cfg->jekyll, flags) < 0)
		return -1;
	pl->counted.docs = xcalloc(idx->n + 1, sizeof(*idx->docs));
	pl->skipped.docs = xcalloc(idx->n + 1, sizeof(*idx->docs));
	for (i = 0; i < idx->n; i++) {
		struct document *d = &idx->docs[i];
		struct docindex *to;

		d->skip = (int)publish_decide(&rules, d);
		to = d->skip == SKIP_NONE ? &pl->counted : &pl->skipped;
		to->docs[to->n++] = *d;
	}
	return 0;
}

/*
 * A page Jekyll does not render makes no links, but what it says will
 * be linked the day it is published: a broken reference is an error
 * now.  A missing render is not (it may not be made yet).
 */
static void
lint_skipped(struct problems *problems, const struct config *cfg,
    const struct docindex *skipped)
{
	struct wantlist lint = { 0 };

	plugin_media.collect(&lint, problems, cfg, skipped);
	validate_wants(NULL, problems, cfg, &lint);
	wantlist_free(&lint);
}

/*
 * The index the plug-ins read.  Unless told not to, it is first brought
 * up to date with the pages, so that one command does everything; with
 * pending, the build is handed back to be saved once the run is known
 * to go ahead (a failed plug-in must leave the site as it was).  An
 * index file renderlink did not write is the user's: it is read as it
 * is.
 */
int
pipeline_index(struct docindex **idx, struct problems *problems,
    const struct site *site, bool refresh, struct index_build *pending)
{
	struct strbuf path = STRBUF_INIT;
	struct index_build b;
	int r;

	if (pending)
		memset(pending, 0, sizeof(*pending));
	if (refresh) {
		if (index_build(&b, problems, site->cfg, site->fd, true) < 0)
			return -1;
		if (!b.foreign) {
			r = index_build_docindex(idx, &b, site->cfg->index);
			if (r == 0 && pending)
				*pending = b;
			else
				index_build_free(&b);
			return r;
		}
		/* The user's: already read and parsed, not again. */
		if (b.old_root) {
			r = docindex_from_json(idx, json_incref(b.old_root),
			    site->cfg->index);
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
    const struct site *site, struct docindex **idxp,
    struct index_build *pending, const struct pipeline_opts *o)
{
	struct docindex *idx = *idxp;
	bool wrote;
	size_t i;

	memset(pl, 0, sizeof(*pl));
	if (split_index(pl, site->cfg, idx, o->flags) < 0 ||
	    plugins_run(&pl->res, problems, site->cfg, &pl->counted,
	    o->dry_run, o->verbose) < 0)
		return -1;
	keyhint_check(problems, site->cfg, idx);
	lint_skipped(problems, site->cfg, &pl->skipped);
	/*
	 * The plug-ins have spoken: the run goes ahead, so the index is
	 * saved now.  A failed save is an error, but the links follow the
	 * index built in memory: a full disk can still be cleaned up.
	 * Then the index is let go before the filesystem is scanned: the
	 * wants hold all that is needed, and a site of 100,000 references
	 * must fit in a small memory.
	 */
	if (pending && pending->text && index_save(pending, site->cfg,
	    site->fd, &wrote) < 0)
		problems_add(problems, SEV_ERROR, "apply-failed",
		    site->cfg->index, NULL, "the index could not be written "
		    "(%s); the links follow the pages all the same",
		    rl_error_last());
	if (pending)
		index_build_free(pending);
	for (i = 0; i < pl->skipped.n; i++) {
		struct document *d = &pl->skipped.docs[i];

		d->path = xstrdup(d->path);
		d->front_matter = NULL;
		d->collection = d->date = NULL;
	}
	pl->own_skipped = true;
	free(pl->counted.docs);
	memset(&pl->counted, 0, sizeof(pl->counted));
	docindex_free(idx);
	*idxp = NULL;
	if (site->cfg->safe)
		problems_add(problems, SEV_WARNING, "safe-mode", NULL, NULL,
		    "the site sets 'safe: true': Jekyll in safe mode (and "
		    "GitHub Pages) drops links that lead outside the site, so "
		    "the linked renders will not be published");
	validate_wants(&pl->good, problems, site->cfg, &pl->res.wants);
	wantlist_free(&pl->res.wants);	/* emptied into good */
	scan_run(&pl->scan, site->cfg, site->fd, &pl->good, problems,
	    o->listings ? SCAN_LISTINGS : 0);
	plan_build(&pl->plan, problems, site->cfg, &pl->good, &pl->scan,
	    o->sources_optional ? PLAN_SOURCES_OPTIONAL : 0);
	return 0;
}

void
pipeline_free(struct pipeline *pl)
{
	size_t i;

	plan_free(&pl->plan);
	if (pl->scan.targets)
		scan_free(&pl->scan);
	plugin_results_free(&pl->res);
	wantlist_free(&pl->good);
	free(pl->counted.docs);
	for (i = 0; pl->own_skipped && i < pl->skipped.n; i++)
		free((char *)pl->skipped.docs[i].path);
	free(pl->skipped.docs);
}
