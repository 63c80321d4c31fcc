/*
 * sitewalk.h - which files of a site Jekyll reads, found the way Jekyll
 * finds them.
 *
 * Jekyll reads pages (anywhere in the source) and collection documents
 * (_posts, _drafts, _<collection> under collections_dir).  It skips its
 * destination (_site), names starting with "." "_" "#" "~" unless they
 * are included or a collection folder, and the config's exclude list,
 * where an entry matches a path by File.fnmatch? or as a plain prefix,
 * appended to Jekyll's defaults (.sass-cache .jekyll-cache gemfiles
 * Gemfile Gemfile.lock node_modules vendor/bundle/ vendor/cache/
 * vendor/gems/ vendor/ruby/); include wins over exclude.
 *
 * In detail (Jekyll 4.3's EntryFilter, Reader, Collection, PostReader;
 * checked by running Jekyll 4.3.1 on the unit tests' trees):
 *   - include entries match an entry's bare name (".well-known" at any
 *     depth); exclude entries match its path below the source, with "*"
 *     crossing "/" ("*.psd" anywhere) and as a plain prefix ("secret"
 *     also skips "secretary/"); an entry ending in "/" matches a folder;
 *     names ending in "." or "~" are skipped too;
 *   - an include entry that names a file by path is read wherever it is
 *     (also inside an excluded or "_" folder), as a page;
 *   - collections glob every file below <collections_dir>/_<name>,
 *     judging each by its whole path below the folder, so "_songs/.x.md"
 *     and "_songs/_a/x.md" are skipped but "_songs/a/_b/x.md" is read;
 *     names are sanitized as Jekyll does ("my songs!" -> "mysongs");
 *   - _posts and _drafts are read in every walked folder (only below
 *     collections_dir when it is set), without dot files, and only
 *     dated names in _posts (2024-01-02-title.md) and names with an
 *     extension in _drafts; drafts are listed (as "posts") although
 *     Jekyll reads them only with --drafts;
 *   - only a folder exactly at the destination is skipped for being it.
 *
 * Symlinks are followed as Jekyll 4.3 follows them when not in safe
 * mode (measured with Jekyll 4.3.1): a linked page or post is read, a
 * linked folder of pages is walked like any other, a linked collection,
 * _posts or _drafts folder is read; inside a collection, _posts or
 * _drafts a linked file is read but a linked folder is not (Ruby's "**"
 * glob does not descend through links).  Never in or into a managed
 * target folder, never in a loop, and with `safe` never out of the
 * source: see follow.h.  The source folder itself must not be a link.
 *
 * The walk never opens a file: it lists candidates with the facts the
 * incremental index needs, those of the file read (for a link, its
 * target: the facts change when the page does).  FIFOs, sockets and
 * devices are skipped, and so are dangling links.
 */
#ifndef RL_SITEWALK_H
#define RL_SITEWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ynode;

struct site_rules {
	char	**exclude;	/* config, then the defaults; text entries
				   only (Jekyll ignores others), no repeats */
	size_t	  nexclude;
	char	**include;	/* config, or just ".htaccess" when unset */
	size_t	  ninclude;
	char	 *collections_dir;	/* "" when not set */
	char	**collections;	/* sanitized names, without "_"; posts
				   first and always; never "data" */
	size_t	  ncollections;
	char	 *destination;	/* site-relative (or absolute), default
				   "_site" */
	char	 *source;	/* site-relative "source:" ("" = the root);
				   absolute is fine if inside the site */
	bool	  safe;		/* Jekyll's safe: links out of the source
				   are not followed */
	char	**targets;	/* managed target folders (site-relative):
				   no link in or into them is followed */
	size_t	  ntargets;
	/* The patterns as EntryFilter matches them, File.join("", p),
	 * made once: the filter runs on every file of the site. */
	char	**include_glob;
	size_t	  ninclude_glob;
	char	**exclude_glob;	/* less those also included */
	size_t	  nexclude_glob;
};

/*
 * Fills rules from a Jekyll config tree (the merged _config.yml): keys
 * exclude, include, collections (a list of names or a map of name ->
 * settings), collections_dir, destination, source.  Errors name the
 * file:line:col of the bad value.
 */
int	 site_rules_load(struct site_rules *r, const struct ynode *jekyll);
/* The same for the site of cfg, with its safe flag and the target folder
 * of each link set. */
struct config;
int	 site_rules_config(struct site_rules *r, const struct config *cfg);
void	 site_rules_add_target(struct site_rules *r, const char *target);
void	 site_rules_free(struct site_rules *r);

/*
 * True if Jekyll would skip relpath (site-relative, "/"-separated; a
 * folder when is_dir), by the rules above, judged from the text alone:
 * paths outside the source are skipped; a folder inside a collection is
 * never skipped (Jekyll globs through it); a relative destination is
 * honoured, an absolute one is not (the site's own path is unknown here).
 */
bool	 site_rules_excluded(const struct site_rules *r, const char *relpath,
	    bool is_dir);

/*
 * The collection a file Jekyll reads belongs to ("posts" for _posts and
 * _drafts), or NULL for a page; judged from the path alone, for files
 * that are not in the work tree (staged blobs).  Borrowed from r.
 */
const char *site_rules_collection(const struct site_rules *r,
	    const char *relpath);

struct site_file {
	char	*path;		/* relative to the site folder (sitefd), so
				   with "source: src" it starts with src/ */
	char	*collection;	/* "posts", "songs", ... or NULL for a page */
	uint64_t size;		/* of the file read: a link's target */
	int64_t	 mtime_ns;
	uint64_t ino;
	bool	 link;		/* the path's last part is a followed link */
	bool	 via_link;	/* some part of the path is (git holds
				   only the link, not what it leads to) */
};

struct site_files {
	struct site_file *v;	/* sorted by path (strcmp) */
	size_t	 n, alloc;
};

/*
 * Lists every regular file Jekyll would read below the site at sitefd,
 * each once (a collection's entry wins over the same path as a page; a
 * file reached by two paths is listed under both, as Jekyll reads it).
 * Unreadable folders are errors naming the folder; so is a source that is
 * missing, a symlink, or outside the site.
 */
int	 site_walk(struct site_files *out, int sitefd,
	    const struct site_rules *r);
void	 site_files_free(struct site_files *f);

#endif
