/*
 * manifest.h - renderlink's own record of the links it made.
 *
 * Ownership is first decided by where a link points (into the link set's
 * media root).  The manifest adds the links renderlink made earlier that
 * no longer pass that test - typically after the media root moved in the
 * config - so they can still be cleaned up.  A record names a link by
 * its path and text and is bound to the very link renderlink made, by
 * device and inode: a user who replaces the link with one of their own
 * takes it back, and a record anyone forged or copied does not make a
 * foreign link renderlink's.
 *
 * It lives in .jekyll-cache/renderlink/manifest.json, outside what
 * Jekyll publishes, and is read only when it can matter (a link in a
 * target folder that points outside the media root, or a run that
 * changes something), and rewritten only when its content changes.
 */
#ifndef RL_MANIFEST_H
#define RL_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MANIFEST_DIR	".jekyll-cache/renderlink"
#define MANIFEST_FILE	"manifest.json"
#define MANIFEST_VERSION 2

struct problems;

struct manifest_entry {
	char	*link;		/* site-relative link path */
	char	*target;	/* the link text renderlink wrote */
	uint64_t dev, ino;	/* the link it made */
	size_t	 order;		/* put order, so the last put wins */
};

struct manifest {
	struct manifest_entry *v;	/* sorted by link, unique */
	size_t	 n, alloc;
};

/*
 * Loads the manifest of the site at sitefd.  A missing manifest is empty;
 * an unreadable or malformed one, or one of an older version (whose
 * records are not bound to their links), is reported as a warning and
 * treated as empty (renderlink then owns less, never more).
 */
void	 manifest_load(struct manifest *m, int sitefd,
	    struct problems *problems);
/* The record of link, or NULL. */
const struct manifest_entry *manifest_find(const struct manifest *m,
	    const char *link);
/* Whether the link at path, with this text, device and inode, is the one
 * renderlink recorded. */
bool	 manifest_owns(const struct manifest *m, const char *link,
	    const char *text, uint64_t dev, uint64_t ino);
/* Adds or (with target NULL) drops an entry; call manifest_sort after. */
void	 manifest_put(struct manifest *m, const char *link,
	    const char *target, uint64_t dev, uint64_t ino);
/* Sorts and removes duplicates (the last put wins, NULL targets drop). */
void	 manifest_sort(struct manifest *m);
/* Writes the manifest, but only if the bytes on disk would change. */
int	 manifest_save(const struct manifest *m, int sitefd);
void	 manifest_free(struct manifest *m);

#endif
