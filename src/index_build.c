/*
 * index_build.c - the front matter index, built from the pages with a
 * cache of file facts; see index_build.h.
 */
#include <sys/stat.h>

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
#include "problem.h"
#include "progress.h"
#include "publish.h"
#include "sitewalk.h"
#include "strbuf.h"
#include "util.h"

#define CACHE_PATH	MANIFEST_DIR "/" PAGES_CACHE

static json_t *
facts(uint64_t size, int64_t mtime_ns, uint64_t ino, int hasfm)
{
	json_t *a = json_array();

	json_array_append_new(a, json_integer((json_int_t)size));
	json_array_append_new(a, json_integer((json_int_t)mtime_ns));
	json_array_append_new(a, json_integer((json_int_t)ino));
	if (hasfm >= 0)
		json_array_append_new(a, json_boolean(hasfm));
	return a;
}

/* The facts of a file as they are now, to compare with the cache. */
static json_t *
stat_facts(int sitefd, const char *path)
{
	struct stat st;

	if (fstatat(sitefd, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return NULL;
	return facts((uint64_t)st.st_size,
	    (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
	    (uint64_t)st.st_ino, -1);
}

/* Same size, mtime and inode (the 4th element, has-front-matter, aside). */
static bool
same_facts(json_t *cached, const struct site_file *f)
{
	return json_is_array(cached) && json_array_size(cached) == 4 &&
	    json_integer_value(json_array_get(cached, 0)) ==
	    (json_int_t)f->size &&
	    json_integer_value(json_array_get(cached, 1)) ==
	    (json_int_t)f->mtime_ns &&
	    json_integer_value(json_array_get(cached, 2)) ==
	    (json_int_t)f->ino;
}

/*
 * The documents of the index on disk, by path.  Returns 0 (docs may stay
 * empty), or 1 when the file is not one renderlink wrote; then *foreign
 * is the file as parsed, if it parsed.
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

/* The cached pages, or NULL when the cache cannot be trusted. */
static json_t *
load_cache(int sitefd, const struct config *cfg)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *cache, *now, *pages;

	if (file_read(&sb, sitefd, CACHE_PATH) != 0) {
		strbuf_free(&sb);
		return NULL;
	}
	cache = json_loadb(sb.buf, sb.len, 0, NULL);
	strbuf_free(&sb);
	now = stat_facts(sitefd, cfg->index);
	pages = json_object_get(cache, "pages");
	if (now == NULL || !json_is_object(pages) ||
	    json_integer_value(json_object_get(cache, "version")) != 1 ||
	    !json_equal(now, json_object_get(cache, "index")))
		pages = NULL;
	json_incref(pages);
	json_decref(now);
	json_decref(cache);
	return pages;
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

static json_t *
new_document(const struct site_file *f, json_t *fm)
{
	return index_document(f->path, f->collection, fm);
}

char *
index_text(json_t *documents)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *root;
	char *text;

	root = json_pack("{s:i, s:s, s:O}", "version", 1, "generator",
	    INDEX_GENERATOR, "documents", documents);
	text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	if (text == NULL)
		die("index: cannot encode");
	strbuf_puts(&sb, text);
	strbuf_putc(&sb, '\n');
	free(text);
	return strbuf_detach(&sb);
}

/*
 * An unchanged file's entry from the index on disk.  The config may have
 * moved the file in or out of a collection since, and an index written
 * before renderlink recorded the publishing facts lacks them: the front
 * matter is the same, the rest is worked out again.  NULL (error set)
 * for a date Jekyll would refuse.
 */
static json_t *
reuse_document(const struct site_file *f, json_t *od)
{
	json_t *c = json_object_get(od, "collection");

	if ((f->collection ? json_is_string(c) &&
	    strcmp(json_string_value(c), f->collection) == 0 :
	    json_is_null(c)) && json_object_get(od, "draft") &&
	    json_object_get(od, "published") && json_object_get(od, "date"))
		return json_incref(od);
	return new_document(f, json_incref(json_object_get(od,
	    "front_matter")));
}

/* A date Jekyll would refuse stops its build: an error for the page. */
static void
bad_date(struct index_build *b, struct problems *problems, const char *path)
{
	b->broken++;
	problems_add(problems, SEV_ERROR, "front-matter", path, NULL,
	    "%s; the page makes no links until it is fixed", rl_error_last());
}

int
index_build(struct index_build *b, struct problems *problems,
    const struct config *cfg, int sitefd, bool use_cache)
{
	struct site_files files = { 0 };
	struct site_rules rules;
	struct strbuf sb = STRBUF_INIT;
	json_t *old_docs, *cached = NULL, *docs, *pages, *fm, *od, *c, *d;
	bool same_docs = true;
	size_t i;
	int r;

	memset(b, 0, sizeof(*b));
	r = file_read(&sb, sitefd, cfg->index);
	if (r < 0) {
		strbuf_free(&sb);
		return rl_error_prefix("%s", cfg->index);
	}
	old_docs = json_object();
	if (r == 0) {
		b->old_len = sb.len;
		b->old_text = strbuf_detach(&sb);
		if (old_documents(old_docs, b->old_text, b->old_len,
		    &b->old_root) == 1) {
			b->foreign = true;
			json_decref(old_docs);
			return 0;
		}
		if (use_cache)
			cached = load_cache(sitefd, cfg);
	}
	strbuf_free(&sb);

	if (site_rules_config(&rules, cfg) < 0) {
		json_decref(old_docs);
		return -1;
	}
	r = site_walk(&files, sitefd, &rules);
	site_rules_free(&rules);
	if (r < 0) {
		json_decref(old_docs);
		json_decref(cached);
		return -1;
	}

	docs = json_array();
	pages = json_object();
	progress_begin("reading pages", files.n);
	for (i = 0; i < files.n; i++) {
		const struct site_file *f = &files.v[i];

		progress_step(1);
		if (strcmp(f->path, cfg->index) == 0)
			continue;
		b->files++;
		od = json_object_get(old_docs, f->path);
		c = cached ? json_object_get(cached, f->path) : NULL;
		if (c && same_facts(c, f) &&
		    (!json_is_true(json_array_get(c, 3)) || od)) {
			json_object_set(pages, f->path, c);
			if (od) {
				d = reuse_document(f, od);
				same_docs &= d == od;
				if (d == NULL) {
					bad_date(b, problems, f->path);
					continue;
				}
				json_array_append_new(docs, d);
				b->pages++;
				b->reused++;
			}
			continue;
		}
		b->parsed++;
		b->cache_dirty = true;
		r = frontmatter_read(&fm, sitefd, f->path, f->link, f->path);
		if (r == 1) {
			json_object_set_new(pages, f->path,
			    facts(f->size, f->mtime_ns, f->ino, 0));
			continue;
		}
		if (r < 0) {
			b->broken++;
			problems_add_parsed(problems, "front-matter", f->path,
			    rl_error_last(), od ? "the index keeps this page's "
			    "last good entry" : "the page is left out of the "
			    "index");
			if (od) {
				json_array_append(docs, od);
				b->pages++;
			}
			continue;
		}
		/* Never closed: a page with no keys to Jekyll.  Not cached,
		 * so the warning stays until the page is fixed. */
		if (r == FM_UNCLOSED)
			problems_add(problems, SEV_WARNING, "front-matter",
			    f->path, NULL, "%s", rl_error_last());
		if ((d = new_document(f, fm)) == NULL) {
			/* Not cached: read again until it is fixed. */
			bad_date(b, problems, f->path);
			continue;
		}
		json_array_append_new(docs, d);
		if (r != FM_UNCLOSED)
			json_object_set_new(pages, f->path,
			    facts(f->size, f->mtime_ns, f->ino, 1));
		b->pages++;
	}
	/* Every entry the very one on disk, none gone: same bytes, and
	 * serializing 10,000 pages again would be the slowest part. */
	same_docs &= b->parsed == 0 && b->pages == json_object_size(old_docs);
	if (cached == NULL || json_object_size(cached) != json_object_size(pages))
		b->cache_dirty = true;
	site_files_free(&files);
	json_decref(old_docs);
	json_decref(cached);

	b->root = json_pack("{s:i, s:s, s:o}", "version", 1, "generator",
	    INDEX_GENERATOR, "documents", docs);
	b->cache = json_pack("{s:i, s:o}", "version", 1, "pages", pages);
	b->text = same_docs && b->old_text ? xstrdup(b->old_text) :
	    index_text(docs);
	return 0;
}

bool
index_changed(const struct index_build *b)
{
	return !b->foreign &&
	    (b->old_text == NULL || strcmp(b->old_text, b->text) != 0);
}

int
index_save(struct index_build *b, const struct config *cfg, int sitefd,
    bool *wrote)
{
	char *text;
	bool dummy;
	int r;

	*wrote = false;
	if (b->foreign || b->text == NULL)	/* the user's, or none built */
		return 0;
	/* The index as found is in b->old_text: no need to read it again. */
	if (file_update(sitefd, cfg->index, b->text,
	    b->old_text ? b->old_text : "", wrote) < 0)
		return -1;
	if (!*wrote && !b->cache_dirty)
		return 0;
	json_object_set_new(b->cache, "index", stat_facts(sitefd, cfg->index));
	text = json_dumps(b->cache, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		die("index cache: cannot encode");
	r = file_update(sitefd, CACHE_PATH, text, NULL, &dummy);
	free(text);
	return r;
}

void
index_build_free(struct index_build *b)
{
	json_decref(b->root);
	json_decref(b->cache);
	free(b->text);
	free(b->old_text);
	json_decref(b->old_root);
	memset(b, 0, sizeof(*b));
}

void
index_diff(struct strbuf *out, const struct index_build *b, size_t most)
{
	json_t *old = json_object(), *new = json_object(), *d;
	const char *path;
	size_t i, n = 0;

	if (b->old_text)
		old_documents(old, b->old_text, b->old_len, NULL);
	json_array_foreach(json_object_get(b->root, "documents"), i, d)
		json_object_set(new, json_string_value(json_object_get(d,
		    "path")), d);
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
