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
 * plug-ins' business, and references are validated by the host.
 */
#ifndef RL_INDEX_H
#define RL_INDEX_H

#include <stddef.h>
#include <jansson.h>

struct document {
	const char *path;	/* page path, site-relative; borrowed from root */
	json_t	*front_matter;	/* borrowed from root; always an object */
};

struct docindex {
	json_t	*root;
	struct document *docs;
	size_t	 n;
};

/*
 * Reads the index at path (display is used in messages).  A parse error
 * names display:line:column with jansson's message; a shape error names
 * display and the element (e.g. "documents[3]: no \"path\" string").
 */
int	 docindex_load(struct docindex **out, const char *path,
	    const char *display);
/* The same from a string already in memory. */
int	 docindex_parse(struct docindex **out, const char *text,
	    const char *display);
void	 docindex_free(struct docindex *idx);

#endif
