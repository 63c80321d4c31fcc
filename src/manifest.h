/*
 * manifest.h - renderlink's own record of the links it made.
 *
 * Ownership is first decided by where a link points (into the link set's
 * media root).  The manifest adds the links renderlink made earlier that
 * no longer pass that test - typically after the media root moved in the
 * config - so they can still be cleaned up.  A recorded link is ours only
 * while it still holds the text we recorded: a user who replaces it with
 * a link of their own takes it back.
 *
 * It lives in .jekyll-cache/renderlink/manifest.json: outside what Jekyll
 * publishes, and rewritten only when its content changes.
 */
#ifndef RL_MANIFEST_H
#define RL_MANIFEST_H

#include <stddef.h>

#define MANIFEST_DIR	".jekyll-cache/renderlink"
#define MANIFEST_FILE	"manifest.json"

struct problems;

struct manifest_entry {
	char	*link;		/* site-relative link path */
	char	*target;	/* the link text renderlink wrote */
	size_t	 order;		/* put order, so the last put wins */
};

struct manifest {
	struct manifest_entry *v;	/* sorted by link, unique */
	size_t	 n, alloc;
};

/*
 * Loads the manifest of the site at sitefd.  A missing manifest is empty;
 * an unreadable or malformed one is reported as a warning and treated as
 * empty (renderlink then owns less, never more).
 */
void	 manifest_load(struct manifest *m, int sitefd,
	    struct problems *problems);
/* The recorded target of link, or NULL. */
const char *manifest_get(const struct manifest *m, const char *link);
/* Adds or (with target NULL) drops an entry; call manifest_sort after. */
void	 manifest_put(struct manifest *m, const char *link,
	    const char *target);
/* Sorts and removes duplicates (the last put wins, NULL targets drop). */
void	 manifest_sort(struct manifest *m);
/* Writes the manifest, but only if the bytes on disk would change. */
int	 manifest_save(const struct manifest *m, int sitefd);
void	 manifest_free(struct manifest *m);

#endif
