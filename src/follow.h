/*
 * follow.h - which symlinks the site walk (sitewalk.h) follows.
 *
 * Jekyll 4.3 reads symlinked pages and folders like any others; in safe
 * mode it drops those that resolve outside the source (EntryFilter's
 * symlink?).  Measured with Jekyll 4.3.1: a linked page, a linked folder
 * of pages (recursively), a linked collection folder and a link leading
 * outside the site are all read; with --safe the ones leading outside are
 * not; a link to an ancestor folder makes Jekyll recurse until the kernel
 * says ELOOP and the build aborts.
 *
 * renderlink follows them the same way, except:
 *   - never in or into a managed target folder: renderlink's own links
 *     live there and point at a slow Windows drive, and they are renders,
 *     not pages.  A folder is a target when its path (as walked) is one,
 *     when it is one (same device and inode, reached another way), or
 *     when it lies in one; a link is not followed when it lies in a
 *     target, is at a target's path, or resolves into one;
 *   - never in a loop: a link to a folder being walked (the folder
 *     itself or an ancestor) is not followed;
 *   - with safe: never outside the source, judged on the resolved path.
 *     (Jekyll 4.3 itself forgets the check for a linked _posts or _drafts
 *     folder; renderlink does not.)
 * A dangling link is skipped (Jekyll would abort on it).
 */
#ifndef RL_FOLLOW_H
#define RL_FOLLOW_H

#include <sys/stat.h>
#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

struct site_rules;

struct follow_target {
	char	*path;		/* site-relative, as configured */
	char	*real;		/* where it really is, links followed (NULL:
				   no folder there) */
	dev_t	 dev;
	ino_t	 ino;
};

struct follow_folder {
	dev_t	 dev;
	ino_t	 ino;
	bool	 in_target;
	bool	 via_link;	/* reached through a followed link */
};

struct follow {
	bool	 safe;
	struct strbuf src_real;		/* the source's real path */
	struct follow_target *targets;
	size_t	 ntargets;
	struct follow_folder *stack;	/* the folders being walked */
	size_t	 depth, alloc;
};

/*
 * Gets ready for a walk of the source at srcfd, in the site at sitefd,
 * with r's safe flag and target folders.
 */
int	 follow_init(struct follow *f, int sitefd, int srcfd,
	    const struct site_rules *r);
void	 follow_free(struct follow *f);

/*
 * The walk enters the folder dfd (site-relative path site; linked: it was
 * opened through a link).  False, and nothing entered, when that folder
 * is already being walked: it was reached again through a link, and
 * walking it would never end.
 */
bool	 follow_push(struct follow *f, int dfd, const char *site,
	    bool linked);
/* ... and leaves it. */
void	 follow_pop(struct follow *f);
/* Whether the folder the walk is in was reached through a link. */
bool	 follow_via(const struct follow *f);
/*
 * Whether the folder the walk is in is (or lies in) a target folder: its
 * links are never followed, so the walk drops them unlooked-at (a target
 * holds thousands, and matching each against the exclude patterns was a
 * fifth of a no-op sync).
 */
bool	 follow_in_target(const struct follow *f);

/*
 * Whether the symlink name in dfd (the folder on top of the stack, or one
 * above it; site is the link's site-relative path) is followed.  Returns
 * 0 with *st what it leads to (a regular file or a folder) and *pfd an
 * O_PATH descriptor of it (the caller closes it), or 1 when it is not
 * followed.
 */
int	 follow_link(struct follow *f, int dfd, const char *name,
	    const char *site, struct stat *st, int *pfd);

#endif
