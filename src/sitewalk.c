/*
 * sitewalk.c - the rules by which Jekyll 4.3 picks the files it reads:
 * the config's keys, EntryFilter#filter and PostReader's names, and the
 * same judged for a path alone; see sitewalk.h.  The walk itself, which
 * applies them to the folders on disk, is sitetree.c.
 *
 * The filter is EntryFilter#filter, with its quirks: `include` is matched
 * against the bare name, `exclude` against the path, both with
 * File.fnmatch? (no FNM_PATHNAME, so "*" crosses "/") or as a plain
 * prefix ("secret" skips "secretary.md").
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "sitewalk.h"
#include "sitewalk_filter.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

/* Jekyll's Configuration::DEFAULT_EXCLUDES, appended to the config's. */
static const char *const default_excludes[] = {
	".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock",
	"node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/",
	"vendor/ruby/",
};

/* ---- the rules ---- */

static bool
list_has(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void
list_add(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

static void
list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * The text of n if Psych reads it as a string, else NULL (*err set when
 * Psych would refuse the config altogether).  The caller frees.
 */
static char *
yaml_string(const struct ynode *n, int *err)
{
	json_t *j;
	char *s = NULL;

	*err = 0;
	if (n->kind != YNODE_SCALAR)
		return NULL;
	if ((j = ynode_to_json(n)) == NULL) {
		*err = -1;
		return NULL;
	}
	if (json_is_string(j))
		s = xstrndup(json_string_value(j), json_string_length(j));
	json_decref(j);
	return s;
}

/*
 * exclude and include: lists; Jekyll ignores entries that are not
 * strings (a bare 2019 is an Integer to it), so they are ignored here.
 */
static int
load_patterns(char ***v, size_t *n, const struct ynode *list,
    const char *key)
{
	size_t i;
	char *s;
	int err;

	if (list->kind != YNODE_SEQ)
		return rl_error_set("%s: '%s' must be a list (Jekyll refuses "
		    "anything else)", ynode_where(list), key);
	for (i = 0; i < list->n; i++) {
		if ((s = yaml_string(list->items[i], &err)) == NULL) {
			if (err < 0)
				return -1;
			continue;
		}
		if (!list_has(*v, *n, s))
			list_add(v, n, s);
		free(s);
	}
	return 0;
}

/* Collection#sanitize_label: only [A-Za-z0-9_.-] survive. */
static char *
sanitize_label(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		    *s == '.')
			strbuf_putc(&sb, *s);
	return strbuf_detach(&sb);
}

static int
add_collection(struct site_rules *r, const struct ynode *name)
{
	char *s, *label;
	int err;

	if ((s = yaml_string(name, &err)) == NULL) {
		if (err == 0)
			rl_error_set("%s: a collection name must be text",
			    ynode_where(name));
		return -1;
	}
	label = sanitize_label(s);
	free(s);
	/* "data" is never read as a collection (CollectionReader) */
	if (strcmp(label, "data") != 0 &&
	    !list_has(r->collections, r->ncollections, label))
		list_add(&r->collections, &r->ncollections, label);
	free(label);
	return 0;
}

static int
load_collections(struct site_rules *r, const struct ynode *n)
{
	size_t i;

	list_add(&r->collections, &r->ncollections, "posts");
	if (ynode_is_null(n))
		return 0;
	if (n->kind == YNODE_MAP) {
		for (i = 0; i + 1 < n->n; i += 2)
			if (add_collection(r, n->items[i]) < 0)
				return -1;
		return 0;
	}
	if (n->kind == YNODE_SEQ) {
		for (i = 0; i < n->n; i++)
			if (add_collection(r, n->items[i]) < 0)
				return -1;
		return 0;
	}
	return rl_error_set("%s: 'collections' must be a list of names or a "
	    "map of names to settings", ynode_where(n));
}

/* A path setting: text, or def when not set. */
static int
load_path(char **out, const struct ynode *jekyll, const char *key,
    const char *def)
{
	const struct ynode *n = ynode_get(jekyll, key);
	int err;

	if (ynode_is_null(n)) {
		*out = xstrdup(def);
		return 0;
	}
	if ((*out = yaml_string(n, &err)) == NULL) {
		if (err == 0)
			rl_error_set("%s: '%s' must be a folder name",
			    ynode_where(n), key);
		return -1;
	}
	return 0;
}

/* File.join("", p) for each pattern not in skip. */
static void
globs_make(char ***out, size_t *nout, char *const *pats, size_t npats,
    char *const *skip, size_t nskip)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < npats; i++) {
		if (skip != NULL && list_has(skip, nskip, pats[i]))
			continue;
		rb_join(&sb, "", pats[i]);
		list_add(out, nout, sb.buf);
	}
	strbuf_free(&sb);
}

int
site_rules_load(struct site_rules *r, const struct ynode *jekyll)
{
	const struct ynode *n;
	size_t i;

	memset(r, 0, sizeof(*r));
	n = ynode_get(jekyll, "exclude");
	if (!ynode_is_null(n) &&
	    load_patterns(&r->exclude, &r->nexclude, n, "exclude") < 0)
		goto fail;
	for (i = 0; i < ARRAY_SIZE(default_excludes); i++)
		if (!list_has(r->exclude, r->nexclude, default_excludes[i]))
			list_add(&r->exclude, &r->nexclude,
			    default_excludes[i]);
	n = ynode_get(jekyll, "include");
	if (ynode_is_null(n))
		list_add(&r->include, &r->ninclude, ".htaccess");
	else if (load_patterns(&r->include, &r->ninclude, n, "include") < 0)
		goto fail;
	if (load_collections(r, ynode_get(jekyll, "collections")) < 0 ||
	    load_path(&r->collections_dir, jekyll, "collections_dir", "") < 0 ||
	    load_path(&r->destination, jekyll, "destination", "_site") < 0 ||
	    load_path(&r->source, jekyll, "source", "") < 0)
		goto fail;
	globs_make(&r->include_glob, &r->ninclude_glob, r->include,
	    r->ninclude, NULL, 0);
	globs_make(&r->exclude_glob, &r->nexclude_glob, r->exclude,
	    r->nexclude, r->include, r->ninclude);
	return 0;
fail:
	site_rules_free(r);
	return -1;
}

int
site_rules_config(struct site_rules *r, const struct config *cfg)
{
	size_t i;

	if (site_rules_load(r, cfg->jekyll) < 0)
		return -1;
	r->safe = cfg->safe;
	for (i = 0; i < cfg->nsets; i++)
		site_rules_add_target(r, cfg->sets[i].target);
	return 0;
}

void
site_rules_add_target(struct site_rules *r, const char *target)
{
	struct strbuf sb = STRBUF_INIT;

	path_normalize(&sb, target, false);
	if (sb.len > 0 && !list_has(r->targets, r->ntargets, sb.buf))
		list_add(&r->targets, &r->ntargets, sb.buf);
	strbuf_free(&sb);
}

void
site_rules_free(struct site_rules *r)
{
	list_free(r->targets, r->ntargets);
	list_free(r->exclude, r->nexclude);
	list_free(r->include, r->ninclude);
	list_free(r->collections, r->ncollections);
	list_free(r->include_glob, r->ninclude_glob);
	list_free(r->exclude_glob, r->nexclude_glob);
	free(r->collections_dir);
	free(r->destination);
	free(r->source);
	memset(r, 0, sizeof(*r));
}

/* ---- EntryFilter ---- */

/*
 * path with "." and empty parts dropped and ".." folded, no leading or
 * trailing "/".  clamp: ".." stops at the top (File.expand_path(p, "/"),
 * as Jekyll's in_source_dir does); else it is kept, meaning "outside".
 */
void
path_normalize(struct strbuf *out, const char *path, bool clamp)
{
	const char *p = path, *end;
	char *slash;
	size_t n;

	strbuf_reset(out);
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		n = (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			slash = strrchr(out->buf, '/');
			if (out->len > 0 && strcmp(slash ? slash + 1 :
			    out->buf, "..") != 0) {
				strbuf_setlen(out, slash ?
				    (size_t)(slash - out->buf) : 0);
				continue;
			}
			if (clamp)
				continue;
		}
		if (out->len > 0)
			strbuf_putc(out, '/');
		strbuf_add(out, p, n);
	}
}

/* Ruby's File.join(a, b): one "/" between them. */
void
rb_join(struct strbuf *out, const char *a, const char *b)
{
	size_t n = strlen(a);

	strbuf_set(out, a);
	if (n > 0 && a[n - 1] == '/' && b[0] == '/')
		b++;
	else if (!(n > 0 && a[n - 1] == '/') && b[0] != '/')
		strbuf_putc(out, '/');
	strbuf_puts(out, b);
}

/*
 * EntryFilter#glob_include?: File.join(source, pattern) against
 * File.join(source, entry); the source itself is left out of both.
 * globs are the patterns joined already (site_rules.*_glob).
 */
static bool
glob_include(char *const *globs, size_t nglobs, const char *entry,
    bool is_dir)
{
	struct strbuf e = STRBUF_INIT;
	bool hit = false;
	size_t i, plen;

	if (nglobs == 0)
		return false;
	rb_join(&e, "", entry);
	for (i = 0; i < nglobs && !hit; i++) {
		plen = strlen(globs[i]);
		hit = fnmatch(globs[i], e.buf, 0) == 0 ||
		    strncmp(e.buf, globs[i], plen) == 0 ||
		    (is_dir && plen == e.len + 1 && globs[i][e.len] == '/' &&
		    strncmp(e.buf, globs[i], e.len) == 0);
	}
	strbuf_free(&e);
	return hit;
}

static bool
is_special(const char *name)
{
	return name[0] == '.' || name[0] == '_' || name[0] == '#' ||
	    name[0] == '~';
}

/*
 * EntryFilter#filter for one entry: true if Jekyll drops it.  base is the
 * filter's base_directory ("/" or "/sub" in the page walk, "_songs" for
 * a collection, "/sub/_posts" for posts); entry is what Jekyll passes: a
 * bare name in the page walk, a path below the folder otherwise.
 */
bool
entry_rejected(const struct site_rules *r, const char *base,
    const char *entry, bool is_dir)
{
	struct strbuf rel = STRBUF_INIT;
	const char *slash = strrchr(entry, '/');
	const char *name = slash ? slash + 1 : entry;
	size_t len = strlen(entry);
	bool included, excluded;

	if (len > 0 && entry[len - 1] == '.')
		return true;
	included = glob_include(r->include_glob, r->ninclude_glob, entry,
	    is_dir) || glob_include(r->include_glob, r->ninclude_glob, name,
	    is_dir);
	rb_join(&rel, base, entry);
	excluded = glob_include(r->exclude_glob, r->nexclude_glob, rel.buf,
	    is_dir);
	strbuf_free(&rel);
	if (excluded && !included)
		return true;
	if (included)
		return false;
	return is_special(entry) || is_special(name) ||
	    (len > 0 && entry[len - 1] == '~');
}

/* Reader#outside_configured_directory?: dir is "" or "/sub/folder". */
bool
posts_outside(const struct site_rules *r, const char *dir)
{
	size_t n = strlen(r->collections_dir);

	return n > 0 && !(dir[0] == '/' &&
	    strncmp(dir + 1, r->collections_dir, n) == 0);
}

/*
 * Document::DATE_FILENAME_MATCHER,
 * ^(?>.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$ : a date at the
 * start of the path or of its last part, then a name with an extension.
 */
static bool
date_name_at(const char *s)
{
	static const int lo[] = { 2, 1, 1 }, hi[] = { 4, 2, 2 };
	const char *dot;
	int i, k;

	for (i = 0; i < 3; i++) {
		for (k = 0; s[k] >= '0' && s[k] <= '9'; k++)
			;
		if (k < lo[i] || k > hi[i] || s[k] != '-')
			return false;
		s += k + 1;
	}
	dot = strrchr(s, '.');
	return dot != NULL && dot[1] != '\0' &&
	    memchr(s, '/', (size_t)(dot - s)) == NULL;
}

bool
post_name_ok(const char *entry, bool dated)
{
	const char *slash = strrchr(entry, '/'), *dot;

	if (dated)
		return date_name_at(entry) ||
		    (slash != NULL && date_name_at(slash + 1));
	/* DATELESS_FILENAME_MATCHER: ^(?:.+/)*(.*)(\.[^.]+)$ */
	dot = strrchr(entry, '.');
	return dot != NULL && dot[1] != '\0';
}

/*
 * The collection (other than posts) whose folder, <collections_dir>/_NAME,
 * is rest or a folder above it: its index, with *len the folder's length;
 * r->ncollections if none.
 */
static size_t
collection_at(const struct site_rules *r, const char *rest, size_t *len)
{
	struct strbuf comp = STRBUF_INIT, cdir = STRBUF_INIT;
	size_t i;

	for (i = 0; i < r->ncollections; i++) {
		if (strcmp(r->collections[i], "posts") == 0)
			continue;
		strbuf_set(&comp, r->collections_dir);
		strbuf_printf(&comp, "/_%s", r->collections[i]);
		path_normalize(&cdir, comp.buf, true);
		*len = cdir.len;
		if (strncmp(rest, cdir.buf, cdir.len) == 0 &&
		    (rest[cdir.len] == '\0' || rest[cdir.len] == '/'))
			break;
	}
	strbuf_free(&comp);
	strbuf_free(&cdir);
	return i;
}

const char *
site_rules_collection(const struct site_rules *r, const char *relpath)
{
	struct strbuf path = STRBUF_INIT, src = STRBUF_INIT;
	const char *rest, *p, *end, *out = NULL;
	size_t i, n;

	path_normalize(&path, relpath, false);
	path_normalize(&src, r->source, false);
	if (src.len > 0 && !path_inside(path.buf, src.buf))
		goto done;
	rest = path.buf + src.len + (src.len > 0 && path.len > src.len);
	if ((i = collection_at(r, rest, &n)) < r->ncollections &&
	    rest[n] == '/') {
		out = r->collections[i];
		goto done;
	}
	for (p = rest; *(end = strchrnul(p, '/')); p = end + 1)
		if ((end - p == 6 && strncmp(p, "_posts", 6) == 0) ||
		    (end - p == 7 && strncmp(p, "_drafts", 7) == 0)) {
			out = "posts";
			break;
		}
done:
	strbuf_free(&path);
	strbuf_free(&src);
	return out;
}

bool
site_rules_excluded(const struct site_rules *r, const char *relpath,
    bool is_dir)
{
	struct strbuf path = STRBUF_INIT, src = STRBUF_INIT;
	struct strbuf dir = STRBUF_INIT, base = STRBUF_INIT;
	struct strbuf dest = STRBUF_INIT;
	struct strbuf comp = STRBUF_INIT;
	const char *rest, *p, *end;
	bool out = false, last;
	size_t i, n;

	path_normalize(&path, relpath, false);
	path_normalize(&src, r->source, false);
	path_normalize(&dest, r->destination, false);
	if (strncmp(path.buf, "..", 2) == 0 && (path.buf[2] == '\0' ||
	    path.buf[2] == '/'))
		goto yes;
	if (src.len > 0 && !path_inside(path.buf, src.buf))
		goto yes;
	rest = path.buf + src.len + (src.len > 0 && path.len > src.len);
	if (*rest == '\0')
		goto done;
	/* Reader#read_included_excludes: a file named in include */
	for (i = 0; !is_dir && i < r->ninclude; i++) {
		path_normalize(&comp, r->include[i], true);
		if (strcmp(comp.buf, rest) == 0)
			goto done;
	}
	if ((i = collection_at(r, rest, &n)) < r->ncollections) {
		if (rest[n] == '\0' || is_dir)
			goto done;
		strbuf_printf(&base, "_%s", r->collections[i]);
		out = entry_rejected(r, base.buf, rest + n + 1, false);
		goto done;
	}
	/* The page walk, one folder at a time. */
	strbuf_set(&base, "/");
	for (p = rest; *p; p = end + 1) {
		end = strchrnul(p, '/');
		last = *end == '\0';
		strbuf_reset(&comp);
		strbuf_add(&comp, p, (size_t)(end - p));
		if ((strcmp(comp.buf, "_posts") == 0 ||
		    strcmp(comp.buf, "_drafts") == 0) &&
		    !posts_outside(r, dir.buf) && (!last || is_dir)) {
			if (last)
				goto done;
			for (n = 0; end[n]; n++)	/* no dot files */
				if (end[n] == '/' && end[n + 1] == '.')
					goto yes;
			if (is_dir)
				goto done;
			strbuf_reset(&base);
			rb_join(&base, dir.len ? dir.buf : "/", comp.buf);
			out = entry_rejected(r, base.buf, end + 1, false) ||
			    !post_name_ok(end + 1, comp.buf[1] == 'p');
			goto done;
		}
		if (entry_rejected(r, base.buf, comp.buf, last ? is_dir : true))
			goto yes;
		if ((!last || is_dir) && dest.len > 0 &&
		    strncmp(path.buf, dest.buf, dest.len) == 0 &&
		    (size_t)(end - path.buf) == dest.len)
			goto yes;
		strbuf_putc(&dir, '/');
		strbuf_add(&dir, p, (size_t)(end - p));
		strbuf_set(&base, dir.buf);
		if (last)
			break;
	}
	goto done;
yes:
	out = true;
done:
	strbuf_free(&path);
	strbuf_free(&src);
	strbuf_free(&dir);
	strbuf_free(&base);
	strbuf_free(&dest);
	strbuf_free(&comp);
	return out;
}
