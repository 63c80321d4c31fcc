/*
 * ytree.c - YAML documents as a tree of nodes that know where they came
 * from; see ytree.h.
 *
 * We read libyaml's event stream rather than its document API because
 * the document API keeps aliases as shared references, which makes a
 * "billion laughs" document cheap to load and ruinous to walk.  Here an
 * alias is expanded into a copy the moment it is read, and every node
 * created counts against one budget, so such a document fails fast.
 *
 * Types are decided the way Ruby's Psych (which Jekyll uses) decides
 * them: only a plain scalar can be null or a boolean, and the YAML 1.1
 * spellings (yes/no/on/off) count.  Merge keys ("<<: *base") are resolved
 * after the document is read, keys written in the map itself winning.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "strbuf.h"
#include "util.h"
#include "ytree.h"

#define YTREE_TAG_PREFIX "tag:yaml.org,2002:"

struct anchor {
	char		*name;
	struct ynode	*node;
};

/* An open sequence or map, with the anchor it gets once complete. */
struct frame {
	struct ynode	*node;
	size_t		 alloc;
	char		*anchor;
};

struct builder {
	struct yfile	*file;
	size_t		 first_line;
	size_t		 nnodes;
	struct frame	*stack;
	size_t		 depth, stack_alloc;
	struct anchor	*anchors;	/* open addressing, size a power of 2 */
	size_t		 nanchors, anchors_size;
	struct ynode	*root;
};

static struct yfile *
yfile_new(const char *name)
{
	size_t len = strlen(name);
	struct yfile *f;

	f = xmalloc(sizeof(*f) + len + 1);
	f->refs = 1;
	memcpy(f->name, name, len + 1);
	return f;
}

static struct yfile *
yfile_ref(struct yfile *f)
{
	f->refs++;
	return f;
}

static void
yfile_unref(struct yfile *f)
{
	if (f != NULL && --f->refs == 0)
		free(f);
}

/* Frees n itself but not its items (which the caller has moved away). */
static void
ynode_free_shallow(struct ynode *n)
{
	free(n->value);
	free(n->tag);
	free(n->items);
	yfile_unref(n->file);
	free(n);
}

void
ynode_free(struct ynode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	ynode_free_shallow(n);
}

/* line and col are libyaml's (0-based, before first_line is added). */
__attribute__((format(printf, 4, 5)))
static int
ytree_error(struct builder *b, size_t line, size_t col, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&msg, fmt, ap);
	va_end(ap);
	rl_error_set("%s:%zu:%zu: %s", b->file->name,
	    line + 1 + b->first_line, col + 1, msg.buf);
	strbuf_free(&msg);
	return -1;
}

static struct ynode *
node_new(struct builder *b, enum ynode_kind kind, size_t line, size_t col)
{
	struct ynode *n;

	if (++b->nnodes > YTREE_MAX_NODES) {
		ytree_error(b, line, col, "document has more than %d "
		    "nodes once aliases are expanded", YTREE_MAX_NODES);
		return NULL;
	}
	n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->file = yfile_ref(b->file);
	n->line = line + 1 + b->first_line;
	n->col = col + 1;
	return n;
}

/* "tag:yaml.org,2002:str" is what "!!str" expands to; give it back short. */
static char *
tag_dup(const yaml_char_t *tag)
{
	struct strbuf sb = STRBUF_INIT;
	const char *t = (const char *)tag;
	size_t plen = strlen(YTREE_TAG_PREFIX);

	if (t == NULL)
		return NULL;
	if (strncmp(t, YTREE_TAG_PREFIX, plen) == 0) {
		strbuf_puts(&sb, "!!");
		t += plen;
	}
	strbuf_puts(&sb, t);
	return strbuf_detach(&sb);
}

static size_t
anchor_hash(const char *s)
{
	size_t h = 14695981039346656037ULL & SIZE_MAX;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (1099511628211ULL & SIZE_MAX);
	return h;
}

static struct anchor *
anchor_slot(struct anchor *tab, size_t size, const char *name)
{
	size_t i = anchor_hash(name) & (size - 1);

	while (tab[i].name != NULL && strcmp(tab[i].name, name) != 0)
		i = (i + 1) & (size - 1);
	return &tab[i];
}

/* Records name -> node; a later anchor of the same name replaces it. */
static void
anchor_set(struct builder *b, char *name, struct ynode *node)
{
	struct anchor *old = b->anchors, *a;
	size_t oldsize = b->anchors_size, i;

	if ((b->nanchors + 1) * 2 > b->anchors_size) {
		b->anchors_size = oldsize ? oldsize * 2 : 16;
		b->anchors = xcalloc(b->anchors_size, sizeof(*b->anchors));
		for (i = 0; i < oldsize; i++)
			if (old[i].name != NULL)
				*anchor_slot(b->anchors, b->anchors_size,
				    old[i].name) = old[i];
		free(old);
	}
	a = anchor_slot(b->anchors, b->anchors_size, name);
	if (a->name != NULL) {
		free(name);
		a->node = node;
		return;
	}
	a->name = name;
	a->node = node;
	b->nanchors++;
}

static struct ynode *
anchor_get(struct builder *b, const char *name)
{
	if (b->anchors_size == 0)
		return NULL;
	return anchor_slot(b->anchors, b->anchors_size, name)->node;
}

/*
 * The copy an alias stands for.  It keeps the anchored node's position,
 * which is where the value was really written.
 */
static struct ynode *
node_copy(struct builder *b, const struct ynode *src, size_t depth,
    size_t line, size_t col)
{
	struct ynode *n;
	size_t i;

	if (depth > YTREE_MAX_DEPTH) {
		ytree_error(b, line, col, "alias expands to nesting deeper "
		    "than %d levels", YTREE_MAX_DEPTH);
		return NULL;
	}
	if ((n = node_new(b, src->kind, line, col)) == NULL)
		return NULL;
	n->line = src->line;
	n->col = src->col;
	yfile_unref(n->file);
	n->file = yfile_ref(src->file);
	n->plain = src->plain;
	n->tag = src->tag ? xstrdup(src->tag) : NULL;
	if (src->kind == YNODE_SCALAR) {
		n->value = xmalloc(src->len + 1);
		memcpy(n->value, src->value, src->len + 1);
		n->len = src->len;
		return n;
	}
	n->items = xcalloc(src->n, sizeof(*n->items));
	for (i = 0; i < src->n; i++) {
		n->items[i] = node_copy(b, src->items[i], depth + 1, line,
		    col);
		if (n->items[i] == NULL) {
			ynode_free(n);
			return NULL;
		}
		n->n++;
	}
	return n;
}

/* Hangs a finished (or just opened) node under the open container. */
static void
node_attach(struct builder *b, struct ynode *n)
{
	struct frame *f;

	if (b->depth == 0) {
		if (b->root == NULL)
			b->root = n;
		else
			ynode_free(n);	/* cannot happen within one document */
		return;
	}
	f = &b->stack[b->depth - 1];
	ALLOC_GROW(f->node->items, f->node->n + 1, f->alloc);
	f->node->items[f->node->n++] = n;
}

static int
push_container(struct builder *b, const yaml_event_t *ev,
    enum ynode_kind kind)
{
	const yaml_char_t *anchor, *tag;
	struct ynode *n;
	struct frame *f;

	if (b->depth >= YTREE_MAX_DEPTH)
		return ytree_error(b, ev->start_mark.line,
		    ev->start_mark.column, "nesting deeper than %d levels",
		    YTREE_MAX_DEPTH);
	n = node_new(b, kind, ev->start_mark.line, ev->start_mark.column);
	if (n == NULL)
		return -1;
	if (kind == YNODE_SEQ) {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	} else {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	}
	n->tag = tag_dup(tag);
	node_attach(b, n);
	ALLOC_GROW(b->stack, b->depth + 1, b->stack_alloc);
	f = &b->stack[b->depth++];
	f->node = n;
	f->alloc = 0;
	f->anchor = anchor ? xstrdup((const char *)anchor) : NULL;
	return 0;
}

static void
pop_container(struct builder *b)
{
	struct frame *f = &b->stack[--b->depth];

	if (f->anchor != NULL)
		anchor_set(b, f->anchor, f->node);
	f->anchor = NULL;
}

static int
add_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct ynode *n;

	n = node_new(b, YNODE_SCALAR, ev->start_mark.line,
	    ev->start_mark.column);
	if (n == NULL)
		return -1;
	n->len = ev->data.scalar.length;
	n->value = xmalloc(n->len + 1);
	memcpy(n->value, ev->data.scalar.value, n->len);
	n->value[n->len] = '\0';
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->tag = tag_dup(ev->data.scalar.tag);
	node_attach(b, n);
	if (ev->data.scalar.anchor != NULL)
		anchor_set(b, xstrdup((const char *)ev->data.scalar.anchor), n);
	return 0;
}

static int
add_alias(struct builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct ynode *src, *n;

	/* An alias inside its own anchor finds nothing: not finished yet. */
	if ((src = anchor_get(b, name)) == NULL)
		return ytree_error(b, ev->start_mark.line,
		    ev->start_mark.column, "alias '*%s' has no complete "
		    "anchor '&%s' before it", name, name);
	n = node_copy(b, src, b->depth, ev->start_mark.line,
	    ev->start_mark.column);
	if (n == NULL)
		return -1;
	node_attach(b, n);
	return 0;
}

/* Line and column of a byte offset, for reader errors (no mark there). */
static void
offset_position(const char *buf, size_t len, size_t off, size_t *line,
    size_t *col)
{
	size_t i;

	*line = 0;
	*col = 0;
	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 0;
		} else
			(*col)++;
	}
}

/*
 * libyaml's words for a backslash it cannot read inside double quotes.
 * That is nearly always a Windows path ("E:\media\songs"), so the
 * message says how to write one.
 */
static bool
is_escape_problem(const char *problem)
{
	static const char *const words[] = {
		"found unknown escape character",		/* \m */
		"did not find expected hexdecimal number",	/* \Users */
		"found invalid Unicode character escape code",
	};
	size_t i;

	for (i = 0; problem != NULL && i < ARRAY_SIZE(words); i++)
		if (strcmp(problem, words[i]) == 0)
			return true;
	return false;
}

static int
parser_error(struct builder *b, const yaml_parser_t *p, const char *buf,
    size_t len)
{
	struct strbuf msg = STRBUF_INIT;
	size_t line, col;

	strbuf_puts(&msg, p->problem ? p->problem : "cannot parse YAML");
	if (p->error == YAML_READER_ERROR) {
		offset_position(buf, len, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			strbuf_printf(&msg, " (byte 0x%02x)",
			    (unsigned)p->problem_value & 0xff);
	} else {
		line = p->problem_mark.line;
		col = p->problem_mark.column;
		if (p->context != NULL)
			strbuf_printf(&msg, " (%s)", p->context);
		if (is_escape_problem(p->problem))
			strbuf_puts(&msg, "; inside double quotes a backslash "
			    "starts an escape: write a Windows path in single "
			    "quotes ('E:\\media\\songs') or with forward "
			    "slashes (\"E:/media/songs\")");
	}
	if (p->error == YAML_MEMORY_ERROR) {
		line = 0;
		col = 0;
		strbuf_set(&msg, "out of memory");
	}
	ytree_error(b, line, col, "%s", msg.buf);
	strbuf_free(&msg);
	return -1;
}

static bool
key_eq(const struct ynode *a, const struct ynode *b)
{
	return a->kind == YNODE_SCALAR && b->kind == YNODE_SCALAR &&
	    a->len == b->len && memcmp(a->value, b->value, a->len) == 0;
}

/* Psych's rule: a "<<" key merges unless explicitly tagged a string. */
static bool
is_merge_key(const struct ynode *k)
{
	return k->kind == YNODE_SCALAR && k->len == 2 &&
	    memcmp(k->value, "<<", 2) == 0 &&
	    (k->tag == NULL || strcmp(k->tag, "!!str") != 0);
}

/* A map, or a list of maps; anything else Psych keeps as a "<<" key. */
static bool
is_mergeable(const struct ynode *v)
{
	size_t i;

	if (v->kind == YNODE_MAP)
		return true;
	if (v->kind != YNODE_SEQ)
		return false;
	for (i = 0; i < v->n; i++)
		if (v->items[i]->kind != YNODE_MAP)
			return false;
	return true;
}

static bool
is_merge_pair(const struct ynode *map, size_t i)
{
	return is_merge_key(map->items[2 * i]) &&
	    is_mergeable(map->items[2 * i + 1]);
}

static bool
key_in(struct ynode *const *items, size_t nitems, const struct ynode *k)
{
	size_t i;

	for (i = 0; i < nitems; i += 2)
		if (key_eq(items[i], k))
			return true;
	return false;
}

/* Moves the pairs of src not already in out[0..limit) to the end of out. */
static void
merge_source(struct ynode **out, size_t *nout, size_t limit,
    struct ynode *src)
{
	size_t i;

	for (i = 0; i + 1 < src->n; i += 2) {
		if (key_in(out, limit, src->items[i])) {
			ynode_free(src->items[i]);
			ynode_free(src->items[i + 1]);
		} else {
			out[(*nout)++] = src->items[i];
			out[(*nout)++] = src->items[i + 1];
		}
	}
	src->n = 0;
}

/*
 * Resolves "<<" in one map whose children are resolved already: the
 * map's own keys win, then earlier merged maps over later ones.
 */
static void
map_merge_keys(struct ynode *map)
{
	struct ynode **out, *v;
	size_t i, j, cap = 0, nout = 0, limit, npairs = map->n / 2;
	bool any = false;

	for (i = 0; i < npairs; i++) {
		if (!is_merge_pair(map, i)) {
			cap += 2;
			continue;
		}
		any = true;
		v = map->items[2 * i + 1];
		if (v->kind == YNODE_MAP)
			cap += v->n;
		else
			for (j = 0; j < v->n; j++)
				cap += v->items[j]->n;
	}
	if (!any)
		return;
	out = xcalloc(cap, sizeof(*out));
	for (i = 0; i < npairs; i++) {
		if (!is_merge_pair(map, i)) {
			out[nout++] = map->items[2 * i];
			out[nout++] = map->items[2 * i + 1];
		}
	}
	for (i = 0; i < npairs; i++) {
		if (!is_merge_pair(map, i))
			continue;
		v = map->items[2 * i + 1];
		if (v->kind == YNODE_MAP) {
			limit = nout;
			merge_source(out, &nout, limit, v);
		} else {
			for (j = 0; j < v->n; j++) {
				limit = nout;
				merge_source(out, &nout, limit, v->items[j]);
			}
		}
		ynode_free(map->items[2 * i]);
		ynode_free(v);
	}
	free(map->items);
	map->items = out;
	map->n = nout;
}

static void
resolve_merges(struct ynode *n)
{
	size_t i;

	if (n->kind == YNODE_SCALAR)
		return;
	for (i = 0; i < n->n; i++)
		resolve_merges(n->items[i]);
	if (n->kind == YNODE_MAP)
		map_merge_keys(n);
}

static void
builder_free(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->depth; i++)
		free(b->stack[i].anchor);
	free(b->stack);
	for (i = 0; i < b->anchors_size; i++)
		free(b->anchors[i].name);
	free(b->anchors);
	ynode_free(b->root);
	yfile_unref(b->file);
}

/* One event; 1 when the first document is complete. */
static int
builder_event(struct builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return add_scalar(b, ev);
	case YAML_ALIAS_EVENT:
		return add_alias(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return push_container(b, ev, YNODE_SEQ);
	case YAML_MAPPING_START_EVENT:
		return push_container(b, ev, YNODE_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		pop_container(b);
		return 0;
	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		return 1;
	default:
		return 0;
	}
}

int
ytree_load(struct ynode **out, const char *buf, size_t len,
    const char *name, size_t first_line)
{
	struct builder b;
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc;

	*out = NULL;
	memset(&b, 0, sizeof(b));
	b.file = yfile_new(name);
	b.first_line = first_line;
	if (!yaml_parser_initialize(&parser)) {
		builder_free(&b);
		return rl_error_set("%s: cannot start the YAML parser", name);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf,
	    len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			parser_error(&b, &parser, buf, len);
			rc = -1;
			break;
		}
		rc = builder_event(&b, &ev);
		yaml_event_delete(&ev);
		if (rc != 0)
			break;
	}
	yaml_parser_delete(&parser);
	if (rc < 0) {
		builder_free(&b);
		return -1;
	}
	if (b.root == NULL) {
		b.root = xcalloc(1, sizeof(*b.root));
		b.root->kind = YNODE_MAP;
		b.root->file = yfile_ref(b.file);
		b.root->line = 1 + first_line;
		b.root->col = 1;
	}
	resolve_merges(b.root);
	*out = b.root;
	b.root = NULL;
	builder_free(&b);
	return 0;
}

int
ytree_load_file(struct ynode **out, const char *path, const char *display)
{
	struct strbuf sb = STRBUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *fp;
	int rc;

	*out = NULL;
	if ((fp = fopen(path, "rb")) == NULL)
		return rl_error_set("%s: %s", display, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		strbuf_add(&sb, chunk, n);
	if (ferror(fp)) {
		rc = errno;
		fclose(fp);
		strbuf_free(&sb);
		return rl_error_set("%s: %s", display,
		    strerror(rc ? rc : EIO));
	}
	fclose(fp);
	rc = ytree_load(out, sb.buf, sb.len, display, 0);
	strbuf_free(&sb);
	return rc;
}

struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	size_t i, klen;

	if (map == NULL || map->kind != YNODE_MAP)
		return NULL;
	klen = strlen(key);
	for (i = map->n; i >= 2; i -= 2) {
		const struct ynode *k = map->items[i - 2];

		if (k->kind == YNODE_SCALAR && k->len == klen &&
		    memcmp(k->value, key, klen) == 0)
			return map->items[i - 1];
	}
	return NULL;
}

/* Untagged (Psych resolves it) or tagged with the type asked about. */
static bool
tag_allows(const struct ynode *n, const char *tag)
{
	return n->tag == NULL || strcmp(n->tag, tag) == 0;
}

bool
ynode_is_null(const struct ynode *n)
{
	if (n == NULL)
		return true;
	if (n->kind != YNODE_SCALAR)
		return false;
	if (n->tag != NULL)
		return strcmp(n->tag, "!!null") == 0;
	if (!n->plain)
		return false;
	return n->len == 0 || strcmp(n->value, "~") == 0 ||
	    strcasecmp(n->value, "null") == 0;
}

int
ynode_bool(bool *out, const struct ynode *n)
{
	static const char *const yes[] = { "yes", "true", "on" };
	static const char *const no[] = { "no", "false", "off" };
	size_t i;

	if (n == NULL)
		return rl_error_set("missing value where true or false is "
		    "needed");
	if (n->kind == YNODE_SCALAR && n->plain && tag_allows(n, "!!bool") &&
	    strlen(n->value) == n->len) {
		for (i = 0; i < ARRAY_SIZE(yes); i++) {
			if (strcasecmp(n->value, yes[i]) == 0) {
				*out = true;
				return 0;
			}
			if (strcasecmp(n->value, no[i]) == 0) {
				*out = false;
				return 0;
			}
		}
	}
	return rl_error_set("%s: '%s' is not true or false", ynode_where(n),
	    n->kind == YNODE_SCALAR ? n->value :
	    n->kind == YNODE_SEQ ? "[...]" : "{...}");
}

const char *
ynode_where(const struct ynode *n)
{
	static struct strbuf ring[4] = {
		STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT
	};
	static size_t next;
	struct strbuf *sb = &ring[next];

	next = (next + 1) % ARRAY_SIZE(ring);
	strbuf_reset(sb);
	if (n == NULL)
		strbuf_puts(sb, "?");
	else
		strbuf_printf(sb, "%s:%zu:%zu", n->file->name, n->line,
		    n->col);
	return sb->buf;
}

/* True when a later pair of map has the same key as pair i. */
static bool
key_superseded(const struct ynode *map, size_t i)
{
	size_t j;

	for (j = i + 2; j + 1 < map->n; j += 2)
		if (key_eq(map->items[i], map->items[j]))
			return true;
	return false;
}

static ssize_t
key_find_last(const struct ynode *map, const struct ynode *k)
{
	size_t i;

	for (i = map->n; i >= 2; i -= 2)
		if (key_eq(map->items[i - 2], k))
			return (ssize_t)(i - 2);
	return -1;
}

/* Utils.merge_values: src's pairs go over dst's, nil never overrides. */
static void
map_deep_merge(struct ynode *dst, struct ynode *src)
{
	size_t i, add = 0;
	ssize_t j;

	for (i = 0; i + 1 < src->n; i += 2)
		if (!key_superseded(src, i) &&
		    key_find_last(dst, src->items[i]) < 0)
			add += 2;
	if (add > 0)
		dst->items = xrealloc(dst->items,
		    (dst->n + add) * sizeof(*dst->items));
	for (i = 0; i + 1 < src->n; i += 2) {
		struct ynode *k = src->items[i], *v = src->items[i + 1];

		if (key_superseded(src, i)) {
			ynode_free(k);
			ynode_free(v);
			continue;
		}
		if ((j = key_find_last(dst, k)) < 0) {
			dst->items[dst->n++] = k;
			dst->items[dst->n++] = v;
			continue;
		}
		ynode_free(k);
		ynode_merge(&dst->items[j + 1], v);
	}
	src->n = 0;
	ynode_free_shallow(src);
}

void
ynode_merge(struct ynode **dst, struct ynode *src)
{
	if (src == NULL)
		return;
	if (*dst == NULL) {
		*dst = src;
		return;
	}
	if (ynode_is_null(src)) {
		ynode_free(src);
		return;
	}
	if ((*dst)->kind == YNODE_MAP && src->kind == YNODE_MAP) {
		map_deep_merge(*dst, src);
		return;
	}
	ynode_free(*dst);
	*dst = src;
}
