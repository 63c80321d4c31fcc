/*
 * index.c - reads the front matter index; see index.h.
 *
 * The index is the only view renderlink has of the pages: it says which
 * page carries which front matter, and the plug-ins then read their keys
 * from it.  This file checks the shape and nothing else, and it is loud:
 * any element it cannot place is an error naming the file and the
 * element, because silently skipping a page would make renderlink delete
 * that page's links as stale.
 *
 * Duplicate keys are rejected (JSON_REJECT_DUPLICATES) although Jekyll
 * would keep the last one: a duplicate means a hand-edited or broken
 * generator, and guessing which value was meant could unpublish a file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "jdate.h"
#include "jsonread.h"
#include "publish.h"
#include "strbuf.h"
#include "util.h"

#define INDEX_VERSION	1

/* How an element is named in messages: "documents[3]" or "[3]". */
struct elem {
	const char *display;
	const char *array;	/* "documents" or "" */
	size_t	 i;
};

static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "null";
	}
	return "unknown";
}

/* rl_error_set("DISPLAY: documents[I]: <fmt>"). */
__attribute__((format(printf, 2, 3)))
static int
elem_error(const struct elem *e, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	strbuf_printf(&sb, "%s: %s[%zu]: ", e->display, e->array, e->i);
	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	rl_error_set("%s", sb.buf);
	strbuf_free(&sb);
	return -1;
}

/*
 * A page path as a JSON string literal, so that a path holding quotes or
 * control characters cannot garble the message.
 */
static char *
quoted(const char *s)
{
	json_t *js;
	char *q;

	if ((js = json_string(s)) == NULL ||
	    (q = json_dumps(js, JSON_ENCODE_ANY)) == NULL)
		die("out of memory");
	json_decref(js);
	return q;
}

/*
 * The page path must be site-relative and canonical: otherwise two
 * spellings of one page would escape the duplicate check, and a path
 * with ".." would name a page outside the site.
 */
static int
check_page_path(const struct elem *e, const json_t *jpath)
{
	const char *path, *seg, *end;
	const char *why;
	size_t n;
	char *q;
	int rc;

	path = json_string_value(jpath);
	if (*path == '\0')
		return elem_error(e, "page path is empty");
	why = NULL;
	if (strlen(path) != json_string_length(jpath))
		why = "holds a NUL byte";
	if (path[0] == '/')
		why = "is absolute (it must be relative to the site)";
	for (seg = path; why == NULL; seg = end + 1) {
		end = strchr(seg, '/');
		n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			why = "has a \"..\" segment";
		else if (n == 1 && seg[0] == '.')
			why = "has a \".\" segment";
		else if (n == 0)
			why = "has an empty segment";
		if (end == NULL)
			break;
	}
	if (why == NULL)
		return 0;
	q = quoted(path);
	rc = elem_error(e, "page path %s %s", q, why);
	free(q);
	return rc;
}

/*
 * The publishing facts of an element.  renderlink's own entries carry
 * them; entries without them (a hand-made index, one written before
 * renderlink recorded them) get them worked out here, exactly as the
 * index builder would; Jekyll's jsonify has "draft" and the date Jekyll
 * settled on.  A date renderlink cannot read is an error: guessing
 * could publish a page dated in the future.
 */
static int
read_facts(struct document *doc, const struct elem *e, json_t *el,
    bool jekyll_shape)
{
	json_t *coll, *draft, *pub, *date;
	struct jdate jd;

	if (!jekyll_shape && (json_object_get(el, "draft") == NULL ||
	    json_object_get(el, "published") == NULL ||
	    json_object_get(el, "date") == NULL) && publish_facts(el) < 0)
		return elem_error(e, "%s", rl_error_last());
	coll = json_object_get(el, "collection");
	draft = json_object_get(el, "draft");
	date = json_object_get(el, "date");
	if (jekyll_shape) {
		pub = json_object_get(el, "published");
		doc->published = pub == NULL ||
		    !(json_is_null(pub) || json_is_false(pub));
	} else {
		pub = json_object_get(el, "published");
		if (!json_is_boolean(pub) || !json_is_boolean(draft))
			return elem_error(e, "\"draft\" and \"published\" "
			    "must be true or false");
		doc->published = json_is_true(pub);
	}
	if (coll != NULL && !json_is_null(coll) && !json_is_string(coll))
		return elem_error(e, "\"collection\" must be a string or "
		    "null, not %s", type_name(coll));
	if (date != NULL && !json_is_null(date) && (!json_is_string(date) ||
	    jdate_parse(&jd, json_string_value(date)) < 0))
		return elem_error(e, "\"date\" must be a date or null (%s)",
		    json_is_string(date) ? rl_error_last() : type_name(date));
	doc->collection = json_string_value(coll);
	doc->date = json_string_value(date);
	doc->draft = json_is_true(draft);
	return 0;
}

/*
 * Finds element e's page path and front matter.  An element with a
 * "front_matter" key is our own shape; without one (only allowed in a
 * top-level array) it is Jekyll's jsonify shape, where the element is
 * the front matter and "relative_path" is the page, even if a "path"
 * key is there too.
 */
static int
read_element(struct document *doc, const struct elem *e, json_t *el,
    int versioned)
{
	json_t *path, *fm;
	const char *key;

	if (!json_is_object(el))
		return elem_error(e, "must be an object, not %s",
		    type_name(el));
	fm = json_object_get(el, "front_matter");
	if (fm == NULL && versioned)
		return elem_error(e, "no \"front_matter\" object");
	if (fm == NULL) {
		key = "relative_path";
		fm = el;
		if (json_object_get(el, key) == NULL)
			return elem_error(e, "no \"front_matter\" object, nor "
			    "\"relative_path\" string (Jekyll's jsonify)");
	} else
		key = "path";
	path = json_object_get(el, key);
	if (path == NULL)
		return elem_error(e, "no \"%s\" string", key);
	if (!json_is_string(path))
		return elem_error(e, "\"%s\" must be a string, not %s", key,
		    type_name(path));
	if (!json_is_object(fm))
		return elem_error(e, "\"front_matter\" must be an object, "
		    "not %s", type_name(fm));
	if (check_page_path(e, path) == -1)
		return -1;
	doc->path = json_string_value(path);
	doc->front_matter = fm;
	return read_facts(doc, e, el, fm == el);
}

/* The "documents" array of the versioned shape. */
static int
versioned_documents(json_t **docs, json_t *root, const char *display)
{
	json_t *v;

	*docs = NULL;
	v = json_object_get(root, "version");
	if (v == NULL)
		return rl_error_set("%s: no \"version\" (this renderlink "
		    "reads version %d)", display, INDEX_VERSION);
	if (!json_is_integer(v))
		return rl_error_set("%s: \"version\" must be an integer, "
		    "not %s", display, type_name(v));
	if (json_integer_value(v) != INDEX_VERSION)
		return rl_error_set("%s: unsupported index version %"
		    JSON_INTEGER_FORMAT " (this renderlink reads version %d)",
		    display, json_integer_value(v), INDEX_VERSION);
	*docs = json_object_get(root, "documents");
	if (*docs == NULL)
		return rl_error_set("%s: no \"documents\" array", display);
	if (!json_is_array(*docs))
		return rl_error_set("%s: \"documents\" must be an array, "
		    "not %s", display, type_name(*docs));
	return 0;
}

int
docindex_from_json(struct docindex **out, json_t *root, const char *display)
{
	struct docindex *idx;
	struct elem e;
	json_t *docs, *seen, *prev;
	char *q;
	int versioned;

	*out = NULL;
	if (json_is_object(root)) {
		versioned = 1;
		if (versioned_documents(&docs, root, display) == -1) {
			json_decref(root);
			return -1;
		}
	} else if (json_is_array(root)) {
		versioned = 0;
		docs = root;
	} else {
		rl_error_set("%s: the index must be an object or an array, "
		    "not %s", display, type_name(root));
		json_decref(root);
		return -1;
	}

	idx = xcalloc(1, sizeof(*idx));
	idx->root = root;
	idx->docs = xcalloc(json_array_size(docs), sizeof(*idx->docs));
	seen = json_object();
	if (seen == NULL)
		die("out of memory");
	e.display = display;
	e.array = versioned ? "documents" : "";
	for (e.i = 0; e.i < json_array_size(docs); e.i++) {
		if (read_element(&idx->docs[e.i], &e,
		    json_array_get(docs, e.i), versioned) == -1)
			goto fail;
		prev = json_object_get(seen, idx->docs[e.i].path);
		if (prev != NULL) {
			q = quoted(idx->docs[e.i].path);
			elem_error(&e, "page path %s is also at %s[%"
			    JSON_INTEGER_FORMAT "]", q, e.array,
			    json_integer_value(prev));
			free(q);
			goto fail;
		}
		if (json_object_set_new(seen, idx->docs[e.i].path,
		    json_integer((json_int_t)e.i)) == -1)
			die("out of memory");
		idx->n++;
	}
	json_decref(seen);
	*out = idx;
	return 0;

fail:
	json_decref(seen);
	docindex_free(idx);
	return -1;
}

static int
parse_error(const char *display, const json_error_t *err)
{
	if (err->line < 1)
		return rl_error_set("%s: %s", display, err->text);
	return rl_error_set("%s:%d:%d: %s", display, err->line, err->column,
	    err->text);
}

#define INDEX_FLAGS	DOCINDEX_JSON_FLAGS

int
docindex_parse(struct docindex **out, const char *text, const char *display)
{
	json_error_t err;
	json_t *root;

	*out = NULL;
	if (display == NULL)
		display = "<index>";
	/* Most often the index renderlink has just written: read quickly,
	 * and by jansson when there is anything to say about it. */
	root = jsonread_parse(text, strlen(text));
	if (root == NULL)
		root = json_loads(text, INDEX_FLAGS, &err);
	if (root == NULL)
		return parse_error(display, &err);
	return docindex_from_json(out, root, display);
}

int
docindex_load(struct docindex **out, const char *path, const char *display)
{
	struct strbuf sb = STRBUF_INIT;
	struct strbuf where = STRBUF_INIT;
	json_error_t err;
	json_t *root;
	FILE *fp;
	size_t n;
	int rc;

	*out = NULL;
	if (display == NULL)
		display = path;
	/* Name the real path too when the caller shows something else. */
	strbuf_puts(&where, display);
	if (strcmp(display, path) != 0)
		strbuf_printf(&where, " (%s)", path);

	if ((fp = fopen(path, "r")) == NULL) {
		rc = rl_error_set("%s: cannot open: %s", where.buf,
		    strerror(errno));
		strbuf_free(&where);
		return rc;
	}
	for (;;) {
		strbuf_grow(&sb, 65536);
		n = fread(sb.buf + sb.len, 1, sb.alloc - sb.len - 1, fp);
		strbuf_setlen(&sb, sb.len + n);
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		rc = rl_error_set("%s: cannot read: %s", where.buf,
		    strerror(errno));
		fclose(fp);
		strbuf_free(&sb);
		strbuf_free(&where);
		return rc;
	}
	fclose(fp);
	strbuf_free(&where);

	/* By length, so that a NUL byte in the file is an error, not EOF. */
	root = jsonread_parse(sb.buf, sb.len);
	if (root == NULL)
		root = json_loadb(sb.buf, sb.len, INDEX_FLAGS, &err);
	strbuf_free(&sb);
	if (root == NULL)
		return parse_error(display, &err);
	return docindex_from_json(out, root, display);
}

void
docindex_free(struct docindex *idx)
{
	if (idx == NULL)
		return;
	json_decref(idx->root);
	free(idx->docs);
	free(idx);
}
