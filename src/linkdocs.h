/*
 * linkdocs.h - the index documents of pages reached through symlinks,
 * for the staged check.
 *
 * Jekyll reads symlinked pages and folders (sitewalk.h), so the index
 * built from the work tree lists them.  Git holds only the link, never
 * what it leads to, so the pages as staged cannot say what those
 * documents hold: they come from the work tree, read exactly as
 * `renderlink index` reads them, so that a current index agrees with
 * the staged pages.
 */
#ifndef RL_LINKDOCS_H
#define RL_LINKDOCS_H

#include <jansson.h>

struct config;
struct problems;

/*
 * Adds to docs (an index's documents array) the document of every page
 * of the site of cfg that the site walk reaches through a symlink, unless
 * docs has one for that path already, and sorts docs by path, as the
 * index is.  Pages that cannot be read are "front-matter" problems, as in
 * the index.  Returns -1 (error set) when the site cannot be walked.
 */
int	 linkdocs_add(json_t *docs, struct problems *problems,
	    const struct config *cfg);

#endif
