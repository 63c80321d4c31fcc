/*
 * plugin.c - the plug-in table and the want list they fill.
 */
#include <stdlib.h>

#include "plugin.h"
#include "util.h"

static const struct plugin *const plugins[] = {
	&plugin_media,
};

void
wantlist_add(struct wantlist *w, size_t set, const char *ref,
    const char *page)
{
	struct want *x;

	ALLOC_GROW(w->v, w->n + 1, w->alloc);
	x = &w->v[w->n++];
	x->set = set;
	x->ref = xstrdup(ref);
	x->page = xstrdup(page);
}

void
wantlist_free(struct wantlist *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->v[i].ref);
		free(w->v[i].page);
	}
	free(w->v);
	w->v = NULL;
	w->n = w->alloc = 0;
}

int
plugins_collect(struct wantlist *out, struct problems *problems,
    const struct config *cfg, const struct docindex *idx)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plugins); i++)
		if (plugins[i]->collect(out, problems, cfg, idx) < 0)
			return rl_error_prefix("plug-in %s", plugins[i]->name);
	return 0;
}
