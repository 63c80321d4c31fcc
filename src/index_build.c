/*
 * index_build.c - the front matter index, built from the pages with a
 * cache of file facts and of where each page's entry lies in the index;
 * see index_build.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "index.h"
#include "index_build.h"
#include "manifest.h"
#include "pagecache.h"
#include "problem.h"
#include "progress.h"
#include "publish.h"
#include "sitewalk.h"
#include "strbuf.h"
#include "util.h"


/* ---- the index text, one document block at a time ---- */

/*
 * The index is written as jansson writes the whole tree with
 * JSON_INDENT(2) | JSON_SORT_KEYS, but assembled from one block per
 * document, so that an unchanged page's block is copied from the index
 * on disk instead of being parsed and printed again.  jansson escapes
 * every control character in a string, so the only newlines in a block
 * are its own line breaks: indenting a document dumped alone by four
 * spaces after each one gives the very bytes of the whole-tree dump
 * (tests/unit/test_index_build.c checks it against jansson).
 */
#define TEXT_HEAD	"{\n  \"documents\": ["
#define TEXT_TAIL	"\n  \"generator\": \"" INDEX_GENERATOR "\",\n" \
			"  \"version\": 1\n}\n"
#define BLOCK_SEP	",\n    "

static void
text_begin(struct strbuf *sb)
{
	strbuf_puts(sb, TEXT_HEAD);
}

/* Appends a block (the nth) and returns its offset. */
static size_t
text_block(struct strbuf *sb, size_t nth, const char *block, size_t len)
{
	size_t off;

	strbuf_puts(sb, nth ? BLOCK_SEP : "\n    ");
	off = sb->len;
	strbuf_add(sb, block, len);
	return off;
}

/* Appends doc as the nth block; *len gets its length.  */
static size_t
text_doc(struct strbuf *sb, size_t nth, json_t *doc, size_t *len)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	const char *p, *nl;
	size_t off;

	if (s == NULL)
		die("index: cannot encode");
	off = text_block(sb, nth, "", 0);
	for (p = s; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		strbuf_add(sb, p, (size_t)(nl - p));
		strbuf_puts(sb, "\n    ");
	}
	strbuf_puts(sb, p);
	free(s);
	*len = sb->len - off;
	return off;
}

static void
text_end(struct strbuf *sb, size_t n)
{
	strbuf_puts(sb, n ? "\n  ]," : "],");
	strbuf_puts(sb, TEXT_TAIL);
}

char *
index_text(json_t *documents)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, len;
	json_t *d;

	text_begin(&sb);
	json_array_foreach(documents, i, d)
		text_doc(&sb, i, d, &len);
	text_end(&sb, json_array_size(documents));
	return strbuf_detach(&sb);
}

/* ---- building ---- */

/*
 * The documents of the index on disk, by path, when there is no cache to
 * say where they are.  Returns 0 (docs may stay empty), or 1 when the
 * file is not one renderlink wrote; then *foreign is the file as parsed,
 * if it parsed.
 */
static int
old_documents(json_t *docs_by_path, const char *text, size_t len,
    json_t **foreign)
{
	json_t *root, *docs, *d, *gen;
	size_t i;

	if (foreign)
		*foreign = NULL;
	root = json_loadb(text, len, DOCINDEX_JSON_FLAGS, NULL);
	/* Ours, but damaged (say, merge conflict markers): rebuild it. */
	if (root == NULL && strstr(text, "\"generator\": \"" INDEX_GENERATOR
	    "\"") != NULL)
		return 0;
	gen = json_object_get(root, "generator");
	docs = json_object_get(root, "documents");
	if (!json_is_object(root) || !json_is_array(docs) ||
	    !json_is_string(gen) ||
	    strcmp(json_string_value(gen), INDEX_GENERATOR) != 0 ||
	    json_integer_value(json_object_get(root, "version")) != 1) {
		if (foreign)
			*foreign = root;
		else
			json_decref(root);
		return 1;
	}
	json_array_foreach(docs, i, d)
		if (json_is_string(json_object_get(d, "path")))
			json_object_set(docs_by_path,
			    json_string_value(json_object_get(d, "path")), d);
	json_decref(root);
	return 0;
}

json_t *
index_document(const char *path, const char *collection, json_t *fm)
{
	json_t *doc = json_pack("{s:s, s:o, s:o}", "path", path,
	    "collection", collection ? json_string(collection) : json_null(),
	    "front_matter", fm);

	if (publish_facts(doc) < 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* The index and the cache as they are being written. */
struct assembly {
	struct strbuf text, cache;
	size_t	 blocks, lines;
	const struct pagecache_line *c;	/* the file's cache line, if any */
	bool	 dirty;		/* some line differs from the cache */
	/* The first line of a block in each collection seen:
	 * '"collection": "songs",' as jansson writes it. */
	struct { char *name; char *line; } coll[8];
	size_t	 ncoll;
};

static void
cache_put(struct assembly *a, const struct site_file *f, char kind,
    size_t off, size_t len)
{
	const struct pagecache_line *c = a->c;

	a->lines++;
	if (c == NULL || c->kind != kind || c->size != f->size ||
	    c->mtime_ns != f->mtime_ns || c->ino != f->ino || c->off != off ||
	    c->len != len)
		a->dirty = true;
	pagecache_put(&a->cache, kind, f->size, f->mtime_ns, f->ino, off, len,
	    f->path);
}

static void
put_block(struct assembly *a, const struct site_file *f, char kind,
    const char *block, size_t len)
{
	cache_put(a, f, kind, text_block(&a->text, a->blocks++, block, len),
	    len);
}

static void
put_doc(struct assembly *a, const struct site_file *f, char kind,
    json_t *doc)
{
	size_t off, len;

	off = text_doc(&a->text, a->blocks++, doc, &len);
	cache_put(a, f, kind, off, len);
}

/* What the line after a block's "{" must be for the file's collection. */
static const char *
collection_line(struct assembly *a, const char *collection)
{
	json_t *v = collection ? json_string(collection) : json_null();
	struct strbuf line = STRBUF_INIT;
	char *enc;
	size_t i;

	for (i = 0; i < a->ncoll; i++)
		if ((a->coll[i].name == NULL) == (collection == NULL) &&
		    (collection == NULL ||
		    strcmp(a->coll[i].name, collection) == 0)) {
			json_decref(v);
			return a->coll[i].line;
		}
	enc = json_dumps(v, JSON_ENCODE_ANY);
	json_decref(v);
	if (enc == NULL)
		die("index: cannot encode");
	strbuf_printf(&line, "{\n      \"collection\": %s,\n", enc);
	free(enc);
	if (a->ncoll == ARRAY_SIZE(a->coll)) {	/* a site of many: rare */
		free(a->coll[0].name);
		free(a->coll[0].line);
		memmove(a->coll, a->coll + 1,
		    (a->ncoll - 1) * sizeof(a->coll[0]));
		a->ncoll--;
	}
	a->coll[a->ncoll].name = collection ? xstrdup(collection) : NULL;
	a->coll[a->ncoll].line = strbuf_detach(&line);
	return a->coll[a->ncoll++].line;
}

/*
 * Whether the cache line's block is the file's entry: its top-level
 * "path" line (six spaces in: the front matter's keys are deeper) names
 * the file.  A cache that was tampered with cannot hand one page's entry
 * to another; the page is read again instead.
 */
static bool
block_names(const struct index_build *b, const struct pagecache_line *c,
    const char *path)
{
	static const char lead[] = "\n      \"path\": ";
	struct strbuf want = STRBUF_INIT;
	const unsigned char *p;
	json_t *v;
	char *enc;
	bool yes;

	strbuf_puts(&want, lead);
	for (p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
			break;
	if (*p == '\0') {	/* as jansson writes it: as it is */
		strbuf_putc(&want, '"');
		strbuf_puts(&want, path);
		strbuf_putc(&want, '"');
	} else {
		v = json_string(path);
		if ((enc = json_dumps(v, JSON_ENCODE_ANY)) != NULL)
			strbuf_puts(&want, enc);
		free(enc);
		json_decref(v);
	}
	strbuf_puts(&want, ",\n");
	yes = memmem(b->old_text + c->off, c->len, want.buf, want.len) != NULL;
	strbuf_free(&want);
	return yes;
}

/* A date Jekyll would refuse stops its build: an error for the page. */
static void
bad_date(struct index_build *b, struct problems *problems, const char *path)
{
	b->broken++;
	problems_add(problems, SEV_ERROR, "front-matter", path, NULL,
	    "%s; the page makes no links until it is fixed", rl_error_last());
}

/*
 * An unchanged page: its block is copied as it is.  The config may have
 * moved the file in or out of a collection since: then the front matter
 * is the same and the rest is worked out again.
 */
static void
reuse_page(struct index_build *b, struct assembly *a,
    struct problems *problems, const struct site_file *f)
{
	const char *block = b->old_text + a->c->off, *line;
	json_t *od, *d;

	line = collection_line(a, f->collection);
	if (strlen(line) < a->c->len &&
	    strncmp(block, line, strlen(line)) == 0) {
		put_block(a, f, 'p', block, a->c->len);
		b->pages++;
		b->reused++;
		return;
	}
	od = json_loadb(block, a->c->len, DOCINDEX_JSON_FLAGS, NULL);
	d = json_is_object(od) && json_is_object(json_object_get(od,
	    "front_matter")) ? index_document(f->path, f->collection,
	    json_incref(json_object_get(od, "front_matter"))) : NULL;
	json_decref(od);
	if (d == NULL) {
		a->dirty = true;
		bad_date(b, problems, f->path);
		return;
	}
	put_doc(a, f, 'p', d);
	json_decref(d);
	b->pages++;
	b->reused++;
}

/* A file read again: new, changed, or not to be trusted. */
static void
read_page(struct index_build *b, struct assembly *a,
    struct problems *problems, int sitefd, const struct site_file *f,
    json_t *od)
{
	bool last_good = a->c && a->c->kind != '-' &&
	    block_names(b, a->c, f->path);
	json_t *fm, *d;
	int r;

	b->parsed++;
	a->dirty = true;
	r = frontmatter_read(&fm, sitefd, f->path, f->link, f->path);
	if (r == 1) {
		cache_put(a, f, '-', 0, 0);
		return;
	}
	if (r < 0) {
		/* Kept as it was, and read again next time. */
		b->broken++;
		problems_add_parsed(problems, "front-matter", f->path,
		    rl_error_last(), last_good || od ? "the index keeps this "
		    "page's last good entry" : "the page is left out of the "
		    "index");
		if (last_good) {
			put_block(a, f, 'r', b->old_text + a->c->off,
			    a->c->len);
			b->pages++;
		} else if (od) {
			put_doc(a, f, 'r', od);
			b->pages++;
		}
		return;
	}
	/* Never closed: a page with no keys to Jekyll.  Read again next
	 * time, so the warning stays until the page is fixed. */
	if (r == FM_UNCLOSED)
		problems_add(problems, SEV_WARNING, "front-matter",
		    f->path, NULL, "%s", rl_error_last());
	if ((d = index_document(f->path, f->collection, fm)) == NULL) {
		bad_date(b, problems, f->path);	/* not cached: read again */
		return;
	}
	put_doc(a, f, r == FM_UNCLOSED ? 'r' : 'p', d);
	json_decref(d);
	b->pages++;
}

static bool
same_facts(const struct pagecache_line *c, const struct site_file *f)
{
	return c->size == f->size && c->mtime_ns == f->mtime_ns &&
	    c->ino == f->ino;
}

int
index_build(struct index_build *b, struct problems *problems,
    const struct config *cfg, int sitefd, bool use_cache)
{
	struct site_files files = { 0 };
	struct assembly a = { .text = STRBUF_INIT, .cache = STRBUF_INIT };
	struct site_rules rules;
	struct strbuf sb = STRBUF_INIT;
	struct pagecache pc = { 0 };
	json_t *old_docs = NULL;
	size_t i, ci = 0;
	int r;

	memset(b, 0, sizeof(*b));
	r = file_read(&sb, sitefd, cfg->index);
	if (r < 0) {
		strbuf_free(&sb);
		return rl_error_prefix("%s", cfg->index);
	}
	if (r == 0) {
		b->old_len = sb.len;
		b->old_text = strbuf_detach(&sb);
		/* A cache written with this very file vouches for it: it is
		 * renderlink's, and its blocks are where the cache says.
		 * Without one, the file is parsed to find out. */
		if (!use_cache || !pagecache_load(&pc, sitefd, cfg->index,
		    b->old_text, b->old_len)) {
			old_docs = json_object();
			if (old_documents(old_docs, b->old_text, b->old_len,
			    &b->old_root) == 1) {
				b->foreign = true;
				json_decref(old_docs);
				return 0;
			}
		}
	}
	strbuf_free(&sb);

	if (site_rules_config(&rules, cfg) < 0)
		goto fail;
	r = site_walk(&files, sitefd, &rules);
	site_rules_free(&rules);
	if (r < 0)
		goto fail;

	text_begin(&a.text);
	progress_begin("reading pages", files.n);
	for (i = 0; i < files.n; i++) {
		const struct site_file *f = &files.v[i];

		progress_step(1);
		if (strcmp(f->path, cfg->index) == 0)
			continue;
		b->files++;
		/* Both in path order: one pass matches them. */
		while (ci < pc.n && strcmp(pc.v[ci].path, f->path) < 0)
			ci++;
		a.c = ci < pc.n && strcmp(pc.v[ci].path, f->path) == 0 ?
		    &pc.v[ci++] : NULL;
		if (a.c && a.c->kind == '-' && same_facts(a.c, f))
			cache_put(&a, f, '-', 0, 0);
		else if (a.c && a.c->kind == 'p' && same_facts(a.c, f) &&
		    block_names(b, a.c, f->path))
			reuse_page(b, &a, problems, f);
		else
			read_page(b, &a, problems, sitefd, f, old_docs ?
			    json_object_get(old_docs, f->path) : NULL);
	}
	text_end(&a.text, a.blocks);
	b->changed = b->old_text == NULL || a.text.len != b->old_len ||
	    memcmp(a.text.buf, b->old_text, b->old_len) != 0;
	if (b->changed)
		b->text = strbuf_detach(&a.text);
	else
		b->text = b->old_text;	/* the very bytes: no second copy */
	b->cache_missing = pc.text == NULL;
	b->cache_dirty = a.dirty || b->cache_missing || a.lines != pc.n;
	b->cache = strbuf_detach(&a.cache);
	r = 0;
	goto out;
fail:
	r = -1;
out:
	strbuf_free(&a.text);
	strbuf_free(&a.cache);
	for (i = 0; i < a.ncoll; i++) {
		free(a.coll[i].name);
		free(a.coll[i].line);
	}
	site_files_free(&files);
	pagecache_free(&pc);
	json_decref(old_docs);
	return r;
}

int
index_build_docindex(struct docindex **out, const struct index_build *b,
    const char *display)
{
	return docindex_parse(out, b->text, display);
}

bool
index_changed(const struct index_build *b)
{
	return !b->foreign && b->changed;
}

int
index_save(struct index_build *b, const struct config *cfg, int sitefd,
    bool *wrote)
{
	*wrote = false;
	if (b->foreign || b->text == NULL)	/* the user's, or none built */
		return 0;
	/* The index as found is in b->old_text: no need to read it again. */
	if (b->changed && file_update(sitefd, cfg->index, b->text,
	    b->old_text ? b->old_text : "", wrote) < 0)
		return -1;
	if (!*wrote && !b->cache_dirty)
		return 0;
	return pagecache_save(sitefd, cfg->index, b->cache, b->cache_missing);
}

void
index_build_free(struct index_build *b)
{
	if (b->text != b->old_text)
		free(b->text);
	free(b->old_text);
	json_decref(b->old_root);
	free(b->cache);
	memset(b, 0, sizeof(*b));
}

void
index_diff(struct strbuf *out, const struct index_build *b, size_t most)
{
	json_t *old = json_object(), *new = json_object(), *d;
	const char *path;
	size_t n = 0;

	if (b->old_text)
		old_documents(old, b->old_text, b->old_len, NULL);
	old_documents(new, b->text, strlen(b->text), NULL);
	json_object_foreach(new, path, d) {
		json_t *o = json_object_get(old, path);

		if (o && json_equal(o, d))
			continue;
		if (n++ < most)
			strbuf_printf(out, "%s%s %s", out->len ? ", " : "",
			    o ? "changed" : "new", path);
	}
	json_object_foreach(old, path, d)
		if (!json_object_get(new, path) && n++ < most)
			strbuf_printf(out, "%s%s %s", out->len ? ", " : "",
			    "gone", path);
	if (n > most)
		strbuf_printf(out, " and %zu more", n - most);
	if (n == 0 && index_changed(b))
		strbuf_puts(out, "only its formatting differs");
	json_decref(old);
	json_decref(new);
}
