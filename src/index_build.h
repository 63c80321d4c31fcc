/*
 * index_build.h - build the front matter index from the pages.
 *
 * A JSON index written by Jekyll itself would come too late: it is made
 * during the build that needs the links.  So renderlink reads the pages
 * the way Jekyll finds them (sitewalk.h), parses only their front matter
 * (frontmatter.h) and writes
 *
 *   {"documents": [{"collection", "date", "draft", "front_matter", "path",
 *                   "published"}, ...],
 *    "generator": "renderlink", "version": 1}
 *
 * ("date", "draft" and "published" are the publishing facts, publish.h)
 *
 * sorted by path with sorted keys, so it is byte-identical when nothing
 * changed and diffs cleanly in git.  It is written atomically and only
 * when its bytes change.
 *
 * Incremental: .jekyll-cache/renderlink/pages.tsv keeps size, mtime and
 * inode of every file looked at, where each page's entry lies in the
 * index as written, and the size, mtime and inode of the index file.  A
 * file whose facts match is not opened again, and its entry is copied
 * from the index on disk as it stands: neither the index nor the cache
 * is parsed as JSON, and only changed pages are printed.  If the index
 * was changed by anyone else, the cache is not trusted: every page is
 * read again.
 *
 * A page with broken front matter is an error (file:line:col) and keeps
 * its last good entry; it is not cached, so the next run reads it again.
 */
#ifndef RL_INDEX_BUILD_H
#define RL_INDEX_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct config;
struct problems;

#define INDEX_GENERATOR	"renderlink"
#include "pagecache.h"	/* PAGES_CACHE */

struct docindex;

struct index_build {
	char	*text;		/* the new index, as it is written (old_text
				   itself when nothing changed) */
	char	*old_text;	/* the index file as found (NULL: none) */
	size_t	 old_len;
	json_t	*old_root;	/* foreign: the file as parsed, to be read
				   without parsing it again (NULL: it did not
				   parse; read it for the error) */
	char	*cache;		/* the new cache's lines */
	bool	 foreign;	/* the file on disk is not renderlink's */
	bool	 changed;	/* text differs from the file on disk */
	bool	 cache_dirty;	/* the cache on disk is not this one */
	bool	 cache_missing;	/* there was none to trust */
	size_t	 files, pages, parsed, reused, broken;
};

/*
 * Builds the index for the site at sitefd.  With use_cache, unchanged
 * files are not reread.  Broken pages go to problems (code
 * "front-matter").  Returns -1 (error object set) when the site cannot be
 * walked; an index file on disk that renderlink did not write sets
 * b->foreign and builds nothing (it is the user's: never overwritten).
 */
int	 index_build(struct index_build *b, struct problems *problems,
	    const struct config *cfg, int sitefd, bool use_cache);
/* The documents of the index built (b->text, parsed), for the plug-ins. */
int	 index_build_docindex(struct docindex **out,
	    const struct index_build *b, const char *display);
/* True when the index on disk differs from the one built. */
bool	 index_changed(const struct index_build *b);
/*
 * Writes the index (if its bytes change) and the cache (likewise).
 * Sets *wrote when the index file was written.
 */
int	 index_save(struct index_build *b, const struct config *cfg,
	    int sitefd, bool *wrote);
/* One entry of the index (taking fm; NULL with the error set for a date
 * Jekyll would refuse, see publish_facts), and the index text for a
 * documents array (sorted by path), as index_build makes them; for other
 * readers of pages, such as the staged blobs of a commit. */
json_t	*index_document(const char *path, const char *collection, json_t *fm);
char	*index_text(json_t *documents);

/* Lists the pages whose entries differ, at most `most` of them. */
struct strbuf;
void	 index_diff(struct strbuf *out, const struct index_build *b,
	    size_t most);
void	 index_build_free(struct index_build *b);

#endif
