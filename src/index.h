/*
 * index.h - the front matter index: which page says what.
 *
 * A JSON file (jansson) in one of three shapes, all accepted:
 *
 *   {"version": 1, "documents": [{"path": P, "front_matter": {...}}, ...]}
 *   [{"path": P, "front_matter": {...}}, ...]
 *   [{"relative_path": P, <front matter keys>...}, ...]   (what Jekyll's
 *        {{ site.documents | jsonify }} writes, so an earlier build's
 *        output can feed us)
 *
 * The reader checks only the shape; what the front matter says is the
 * plug-ins' business, and references are validated by the host.  The
 * publishing facts (publish.h) are read from renderlink's own entries
 * ("collection", "draft", "published", "date"), from Jekyll's jsonify
 * ("collection", "draft", "date"), or else worked out from the path and
 * the front matter, as index_build does.
 */
#ifndef RL_INDEX_H
#define RL_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * How an index file is parsed: duplicate keys are refused (a broken
 * generator), any value may be the top, and a NUL in a string (\u0000)
 * is kept: an index renderlink wrote is one it reads back.
 */
#define DOCINDEX_JSON_FLAGS \
	(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL)

struct document {
	const char *path;	/* page path, site-relative; borrowed from root */
	json_t	*front_matter;	/* borrowed from root; always an object */
	/* What Jekyll needs to decide whether it renders the document
	 * (publish.h); borrowed from root. */
	const char *collection;	/* NULL for a plain page */
	const char *date;	/* canonical (jdate.h), or NULL: undated */
	bool	 draft;
	bool	 published;	/* front matter says nothing against it */
	int	 skip;		/* enum skip_reason, set by the host */
};

struct docindex {
	json_t	*root;
	struct document *docs;
	size_t	 n;
};

/*
 * Reads the index at path (display is used in messages; NULL means path,
 * and an open/read error names path too when display differs).  A parse
 * error names display:line:column with jansson's message (columns count
 * characters); a shape error names display and the element, e.g.
 * "documents[3]: no \"path\" string", or "[3]: ..." in the array shapes.
 * Also rejected: duplicate keys in any object (Jekyll would keep the last
 * one; a duplicate here means a broken generator), a "version" other
 * than the integer 1, an element of the versioned shape without
 * "front_matter", and a page path that is empty, absolute, has a "..",
 * "." or empty segment, or repeats an earlier element's.  In an array an
 * element with a "front_matter" key is the explicit shape, any other the
 * Jekyll shape (page = "relative_path", front matter = the element).
 * On error *out is NULL.
 */
int	 docindex_load(struct docindex **out, const char *path,
	    const char *display);
/* The same from a string already in memory (display NULL: "<index>"). */
int	 docindex_parse(struct docindex **out, const char *text,
	    const char *display);
/* The same from a JSON value; takes root's reference, also on error. */
int	 docindex_from_json(struct docindex **out, json_t *root,
	    const char *display);
void	 docindex_free(struct docindex *idx);

#endif
