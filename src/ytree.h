/*
 * ytree.h - YAML documents as a small tree that remembers where each node
 * came from.
 *
 * libyaml's event stream is turned into nodes that carry file, line and
 * column, so that every config or front matter error can point at the
 * exact spot.  Aliases are expanded (copied) with a node budget, so a
 * "billion laughs" document is an error, not an outage.  Scalars keep
 * whether they were plain (unquoted), which decides their type later.
 */
#ifndef RL_YTREE_H
#define RL_YTREE_H

#include <stdbool.h>
#include <stddef.h>

/* Limits on one document: nodes after alias expansion, and nesting. */
#define YTREE_MAX_NODES	1000000
#define YTREE_MAX_DEPTH	512

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

/* A file name shared by all nodes read from it. */
struct yfile {
	unsigned refs;
	char	 name[];
};

struct ynode {
	enum ynode_kind kind;
	struct yfile *file;
	size_t	 line, col;	/* 1-based */
	/* YNODE_SCALAR */
	char	*value;		/* NUL-terminated; may also hold NULs */
	size_t	 len;
	bool	 plain;		/* written without quotes or block style */
	char	*tag;		/* explicit tag such as "!!str", or NULL
				   (any kind; "tag:yaml.org,2002:" is
				   given back as "!!") */
	/* YNODE_SEQ: items[i]; YNODE_MAP: key items[2i], value items[2i+1] */
	struct ynode **items;
	size_t	 n;		/* number of items (maps: 2 * pairs) */
};

/*
 * Loads the first document of a YAML stream.  An empty stream gives an
 * empty map.  name is used in nodes and messages; first_line is added to
 * every line number (front matter starts below the opening "---").
 * Errors read "NAME:LINE:COL: MESSAGE (CONTEXT)" with libyaml's message.
 * Aliases are expanded into copies (which keep the anchored node's
 * position); more than YTREE_MAX_NODES nodes in all, or nesting deeper
 * than YTREE_MAX_DEPTH, is an error.  Merge keys ("<<: *a", "<<: [*a,
 * *b]") are resolved as YAML 1.1 says: keys written in the map itself
 * win, then earlier merged maps over later ones; a "<<" whose value is
 * not a map or a list of maps stays an ordinary key (as in Psych).
 */
int	 ytree_load(struct ynode **out, const char *buf, size_t len,
	    const char *name, size_t first_line);
/* Reads path and loads it (name = display). */
int	 ytree_load_file(struct ynode **out, const char *path,
	    const char *display);
void	 ynode_free(struct ynode *n);

/* The value for key in a map (last one wins, as in Jekyll), or NULL.
 * Keys compare as text, so `1:` and `"1":` are the same key here. */
struct ynode *ynode_get(const struct ynode *map, const char *key);
/* An untagged plain scalar spelled ~, empty, or null in any case (as
 * Psych), a scalar tagged !!null, or n == NULL (no value at all). */
bool	 ynode_is_null(const struct ynode *n);
/* YAML 1.1 booleans as Ruby's Psych reads them: a plain scalar (untagged
 * or !!bool) spelled true/false/yes/no/on/off in any case: *out set, 0;
 * else -1 with a message naming where n is and its value. */
int	 ynode_bool(bool *out, const struct ynode *n);
/* "FILE:LINE:COL" of n, for messages.  Static storage, reused after four
 * more calls (so up to four may appear in one message); copy it if kept. */
const char *ynode_where(const struct ynode *n);

/*
 * Jekyll's deep merge of config files: src is merged into *dst and
 * consumed.  Maps merge key by key (recursively); sequences and scalars
 * replace; a null in src never overrides (but a new key is added even
 * when null).  Nodes keep their own file, so messages name the file a
 * value came from.
 */
void	 ynode_merge(struct ynode **dst, struct ynode *src);

#endif
