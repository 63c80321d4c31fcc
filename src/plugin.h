/*
 * plugin.h - the plug-in host: the seam between renderlink and the
 * plug-ins.
 *
 * renderlink is a pre-build plug-in host.  The host reads the config and
 * the front matter index, validates, plans, applies and reports; a
 * plug-in only says which links it wants, as (link set, reference, page)
 * triples, plus problems to report and data for the site.  A plug-in
 * never touches the site and never decides whether a reference is safe:
 * every want goes through the host's reference rules (refcheck.h) and
 * the one executor (apply.h), whoever made it.
 *
 * The built-in `media` plug-in (media.c) reads the link sets' front
 * matter keys, inside the process.  External plug-ins, configured under
 * renderlink.plugins, are programs in any language that speak the
 * protocol of plugin_proto.h over stdin and stdout; they run side by
 * side (proc.h), without the right to write (sandbox.h), and what they
 * say is reported in config order, however they finish.
 */
#ifndef RL_PLUGIN_H
#define RL_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct config;
struct docindex;
struct problems;

struct want {
	size_t	 set;		/* index into config->sets */
	char	*ref;		/* as the page wrote it */
	char	*page;		/* site-relative page path: shared by the
				   wants of one page (wantlist_* count its
				   users), so never freed nor changed
				   but by them */
};

struct wantlist {
	struct want *v;
	size_t	 n, alloc;
};

void	 wantlist_add(struct wantlist *w, size_t set, const char *ref,
	    const char *page);
/* Moves *x to the end of w (x is left empty: freeing it is a no-op). */
void	 wantlist_take(struct wantlist *w, struct want *x);
void	 wantlist_free(struct wantlist *w);

/* A plug-in that runs inside the process. */
struct plugin {
	const char *name;
	/*
	 * Adds the links the documents ask for.  Front matter it cannot
	 * understand is reported as a problem naming the page; returns -1
	 * only for a failure that makes the whole run meaningless.
	 */
	int	(*collect)(struct wantlist *out, struct problems *problems,
		    const struct config *cfg, const struct docindex *idx);
};

extern const struct plugin plugin_media;

/* What the plug-ins of one run said. */
struct plugin_results {
	struct wantlist	 wants;
	json_t		**data;		/* per config->plugins; NULL: none */
	size_t		 ndata;
};

/*
 * Runs every plug-in of the site over the documents that count: media
 * first, then the configured ones in config order (run concurrently).
 * Their wants go to res, their problems (and each plug-in's stderr,
 * line by line, prefixed "NAME: ") in config order.  With verbose, says
 * once whether plug-ins run without write access.  Returns -1 (error
 * set: "plug-in NAME: what went wrong") when a plug-in failed: its
 * links are unknown, so the run must change nothing.
 */
int	 plugins_run(struct plugin_results *res, struct problems *problems,
	    const struct config *cfg, const struct docindex *counted,
	    bool dry_run, int verbose);
/*
 * Writes each plug-in's data to _data/renderlink/NAME.json below sitefd,
 * canonical and sorted, atomically and only when its bytes change.
 */
int	 plugins_save_data(const struct plugin_results *res,
	    const struct config *cfg, int sitefd);
void	 plugin_results_free(struct plugin_results *res);

/* The sandbox line for -v and doctor: "plug-ins run without write
 * access (Landlock ABI 7)" or why not. */
const char *plugins_sandbox_note(void);

#endif
