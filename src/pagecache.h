/*
 * pagecache.h - the index's cache of pages: .jekyll-cache/renderlink/
 * pages.tsv (index_build.h says what it is for).
 *
 * One line per file the site walk listed:
 *
 *   KIND TAB SIZE TAB MTIME_NS TAB INODE TAB OFFSET TAB LENGTH TAB PATH
 *
 * after a first line "renderlink pages 2" and a second "index SIZE
 * MTIME_NS INODE" (tab-separated): the index file as it was written with
 * these offsets.  KIND is '-' for a file without front matter, 'p' for a
 * page whose entry (a block "{...}") is at OFFSET, LENGTH in the index,
 * 'r' for a page to read again whatever its facts (broken, or never
 * closed) whose block there is its last good entry.  Lines are in the
 * walk's order (by path, strcmp), so the cache is matched against a walk
 * in one pass; PATH escapes backslash, tab and newline.  Plain text, not
 * JSON: it is read whole on every run, and must cost next to nothing.
 */
#ifndef RL_PAGECACHE_H
#define RL_PAGECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

#define PAGES_CACHE	"pages.tsv"	/* in MANIFEST_DIR */

struct pagecache_line {
	const char *path;	/* points into the cache's text */
	uint64_t size, ino;
	int64_t	 mtime_ns;
	size_t	 off, len;
	char	 kind;		/* '-', 'p' or 'r' */
};

struct pagecache {
	struct pagecache_line *v;	/* by path */
	size_t	 n, alloc;
	char	*text;		/* the file as read */
};

/*
 * Loads the cache of the site at sitefd, if it can be trusted: written
 * for the index file at index_path as it is now (its size, mtime and
 * inode), every line well formed and in order, and every block inside
 * the index text given (index_text, index_len) and shaped like one.
 * Returns true; false (c emptied) when it is missing or not trusted.
 */
bool	 pagecache_load(struct pagecache *c, int sitefd,
	    const char *index_path, const char *index_text, size_t index_len);
/* Appends one line. */
void	 pagecache_put(struct strbuf *out, char kind, uint64_t size,
	    int64_t mtime_ns, uint64_t ino, size_t off, size_t len,
	    const char *path);
/*
 * Writes the cache (lines, as pagecache_put made them) for the index at
 * index_path as it is now, if its bytes change.  With legacy (there was
 * no cache of this kind to load), also removes the JSON cache earlier
 * versions kept (pages.json).  Returns -1 (error set).
 */
int	 pagecache_save(int sitefd, const char *index_path, const char *lines,
	    bool legacy);
void	 pagecache_free(struct pagecache *c);

#endif
