/*
 * plugin.h - the seam between the host and the plug-ins.
 *
 * renderlink is a pre-build plug-in host.  The host reads the config and
 * the front matter index, validates, plans, applies and reports; a
 * plug-in only says which links it wants, as (link set, reference, page)
 * triples.  A plug-in never touches the filesystem and never decides
 * whether a reference is safe: every want goes through the host's
 * reference rules (refcheck.h) and the one executor (apply.h), whoever
 * made it.  Plug-ins are registered in the table in plugin.c.
 */
#ifndef RL_PLUGIN_H
#define RL_PLUGIN_H

#include <stddef.h>

struct config;
struct docindex;
struct problems;

struct want {
	size_t	 set;		/* index into config->sets */
	char	*ref;		/* as the page wrote it */
	char	*page;		/* site-relative page path */
};

struct wantlist {
	struct want *v;
	size_t	 n, alloc;
};

void	 wantlist_add(struct wantlist *w, size_t set, const char *ref,
	    const char *page);
void	 wantlist_free(struct wantlist *w);

struct plugin {
	const char *name;
	/*
	 * Adds the links the site's documents ask for.  Front matter it
	 * cannot understand is reported as a problem naming the page;
	 * returns -1 only for a failure that makes the whole run
	 * meaningless.
	 */
	int	(*collect)(struct wantlist *out, struct problems *problems,
		    const struct config *cfg, const struct docindex *idx);
};

/* Runs every registered plug-in in table order. */
int	 plugins_collect(struct wantlist *out, struct problems *problems,
	    const struct config *cfg, const struct docindex *idx);

/* The built-in plug-ins. */
extern const struct plugin plugin_media;

#endif
