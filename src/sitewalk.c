/*
 * sitewalk.c - the files of a site that Jekyll reads, found the way Jekyll
 * 4.3 finds them; see sitewalk.h.
 *
 * Jekyll has three ways in, and each filters differently, so each is
 * copied rather than unified: the page walk (Reader#read_directories)
 * filters every folder entry by its name and prunes skipped folders;
 * collections (Collection#entries) glob "**" with dot files and filter
 * each file by its whole path below the collection, so nothing is pruned
 * ("_songs/a/.git/x" is read, "_songs/.git/x" is not); posts and drafts
 * (PostReader) glob without dot files and keep only dated names.  Then
 * Reader#read_included_excludes reads every `include` entry that names a
 * file, wherever it is.  The filter itself is EntryFilter#filter, with
 * its quirks: `include` is matched against the bare name, `exclude`
 * against the path, both with File.fnmatch? (no FNM_PATHNAME, so "*"
 * crosses "/") or as a plain prefix ("secret" skips "secretary.md").
 *
 * Unlike Jekyll, no symlink is ever followed or listed: renderlink's own
 * links live in the site and point at a slow Windows drive.  Folders are
 * opened relative to their parent with O_NOFOLLOW, and read once
 * (rewinddir is unreliable over 9P).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "follow.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "sitewalk.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

/* Jekyll's Configuration::DEFAULT_EXCLUDES, appended to the config's. */
static const char *const default_excludes[] = {
	".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock",
	"node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/",
	"vendor/ruby/",
};

static void	path_normalize(struct strbuf *out, const char *path,
		    bool clamp);

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
static void
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
static void
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
 * skip, when given, holds patterns to leave out (exclude - include).
 */
static bool
glob_include(char *const *pats, size_t npats, char *const *skip,
    size_t nskip, const char *entry, bool is_dir)
{
	struct strbuf e = STRBUF_INIT, p = STRBUF_INIT;
	bool hit = false;
	size_t i;

	rb_join(&e, "", entry);
	for (i = 0; i < npats && !hit; i++) {
		if (skip != NULL && list_has(skip, nskip, pats[i]))
			continue;
		rb_join(&p, "", pats[i]);
		hit = fnmatch(p.buf, e.buf, 0) == 0 ||
		    strncmp(e.buf, p.buf, p.len) == 0 ||
		    (is_dir && p.len == e.len + 1 && p.buf[e.len] == '/' &&
		    strncmp(e.buf, p.buf, e.len) == 0);
	}
	strbuf_free(&e);
	strbuf_free(&p);
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
static bool
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
	included = glob_include(r->include, r->ninclude, NULL, 0, entry,
	    is_dir) || glob_include(r->include, r->ninclude, NULL, 0, name,
	    is_dir);
	rb_join(&rel, base, entry);
	excluded = glob_include(r->exclude, r->nexclude, r->include,
	    r->ninclude, rel.buf, is_dir);
	strbuf_free(&rel);
	if (excluded && !included)
		return true;
	if (included)
		return false;
	return is_special(entry) || is_special(name) ||
	    (len > 0 && entry[len - 1] == '~');
}

/* Reader#outside_configured_directory?: dir is "" or "/sub/folder". */
static bool
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

static bool
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

/* ---- the walk ---- */

struct walk {
	const struct site_rules *r;
	struct site_files *out;
	struct strbuf dest;	/* site-relative destination, "" if none */
	struct follow fl;	/* which links are followed */
};

struct dent {
	char	*name;
	unsigned char type;	/* DT_DIR, DT_REG, DT_LNK, or anything else */
};

static void
dents_free(struct dent *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/*
 * The entries of the folder at dfd (display is its site-relative path).
 * Read once through a fresh descriptor, then closed: deep trees do not
 * hold a DIR per level.
 */
static int
folder_read(struct dent **out, size_t *nout, int dfd, const char *display)
{
	struct dent *v = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd, e;

	*out = NULL;
	*nout = 0;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		e = errno;
		if (fd >= 0)
			close(fd);
		return rl_error_set("%s: %s", *display ? display : ".",
		    strerror(e));
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].name = xstrdup(de->d_name);
		v[n].type = de->d_type;
		if (v[n].type == DT_UNKNOWN &&
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			v[n].type = S_ISDIR(st.st_mode) ? DT_DIR :
			    S_ISREG(st.st_mode) ? DT_REG :
			    S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
		n++;
	}
	e = errno;
	closedir(d);
	if (e != 0) {
		dents_free(v, n);
		return rl_error_set("%s: %s", *display ? display : ".",
		    strerror(e));
	}
	*out = v;
	*nout = n;
	return 0;
}

/*
 * Opens the folder rel below dfd (whose site-relative path is base), one
 * part at a time.  A part that is a symlink is followed only with follow
 * and only as follow_link allows.  1 when there is nothing to read there:
 * missing, not a folder, or a link not followed.
 */
static int
folder_open(struct walk *w, int *out, int dfd, const char *base,
    const char *rel, bool follow)
{
	struct strbuf comp = STRBUF_INIT, site = STRBUF_INIT;
	const char *p, *end;
	struct stat st;
	int fd, next, pfd, e, r = 0;

	strbuf_set(&site, base);
	if ((fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		r = rl_error_set("%s: %s", *base ? base : ".",
		    strerror(errno));
		goto done;
	}
	for (p = rel; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		if (end == p)
			continue;
		strbuf_reset(&comp);
		strbuf_add(&comp, p, (size_t)(end - p));
		strbuf_joinpath(&site, comp.buf);
		next = openat(fd, comp.buf, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		e = errno;
		if (next < 0 && follow && (e == ENOTDIR || e == ELOOP) &&
		    follow_link(&w->fl, fd, comp.buf, site.buf, &st,
		    &pfd) == 0) {
			next = S_ISDIR(st.st_mode) ? openat(pfd, ".",
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
			e = S_ISDIR(st.st_mode) ? errno : ENOTDIR;
			close(pfd);
		}
		close(fd);
		if (next < 0) {
			if (e == ENOENT || e == ELOOP || e == ENOTDIR)
				r = 1;
			else
				r = rl_error_set("%s: %s", site.buf,
				    strerror(e));
			goto done;
		}
		fd = next;
	}
	*out = fd;
done:
	strbuf_free(&comp);
	strbuf_free(&site);
	return r;
}

/*
 * Lists name in dfd (site-relative path): a regular file, or a symlink
 * the walk follows to one, with the facts of the file it leads to.
 */
static int
file_add(struct walk *w, int dfd, const char *name, const char *path,
    const char *collection)
{
	struct site_file *f;
	struct stat st;
	bool link = false;
	int pfd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;	/* gone since the folder was read */
		return rl_error_set("%s: %s", path, strerror(errno));
	}
	if (S_ISLNK(st.st_mode)) {
		if (follow_link(&w->fl, dfd, name, path, &st, &pfd) != 0)
			return 0;
		close(pfd);
		link = true;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	ALLOC_GROW(w->out->v, w->out->n + 1, w->out->alloc);
	f = &w->out->v[w->out->n++];
	f->path = xstrdup(path);
	f->collection = collection ? xstrdup(collection) : NULL;
	f->size = (uint64_t)st.st_size;
	f->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 +
	    st.st_mtim.tv_nsec;
	f->ino = (uint64_t)st.st_ino;
	f->link = link;
	return 0;
}

enum tree_kind { TREE_COLLECTION, TREE_POSTS, TREE_DRAFTS };

/*
 * A collection or a posts folder: Jekyll globs every file below it and
 * filters each by its path below the folder (entry), pruning nothing.
 * Posts and drafts are globbed without dot files.  site is the folder's
 * site-relative path, entry the path below the tree's top.  The glob
 * lists a linked file but does not descend into a linked folder.
 */
static int
tree_walk(struct walk *w, int dfd, struct strbuf *site, struct strbuf *entry,
    enum tree_kind kind, const char *base, const char *collection)
{
	struct dent *v;
	size_t n, i, slen = site->len, elen = entry->len;
	int fd, r = 0;

	if (!follow_push(&w->fl, dfd, site->buf))
		return 0;
	if (folder_read(&v, &n, dfd, site->buf) < 0) {
		follow_pop(&w->fl);
		return -1;
	}
	for (i = 0; i < n && r >= 0; i++) {
		if (kind != TREE_COLLECTION && v[i].name[0] == '.')
			continue;
		if (v[i].type != DT_DIR && v[i].type != DT_REG &&
		    v[i].type != DT_LNK)
			continue;
		if (v[i].type == DT_DIR)
			r = folder_open(w, &fd, dfd, site->buf, v[i].name,
			    false);
		strbuf_joinpath(site, v[i].name);
		if (entry->len)
			strbuf_putc(entry, '/');
		strbuf_puts(entry, v[i].name);
		if (v[i].type == DT_DIR) {
			if (r == 0) {
				r = tree_walk(w, fd, site, entry, kind, base,
				    collection);
				close(fd);
			}
		} else if (!entry_rejected(w->r, base, entry->buf, false) &&
		    (kind == TREE_COLLECTION ||
		    post_name_ok(entry->buf, kind == TREE_POSTS)))
			r = file_add(w, dfd, v[i].name, site->buf, collection);
		strbuf_setlen(site, slen);
		strbuf_setlen(entry, elen);
	}
	dents_free(v, n);
	follow_pop(&w->fl);
	return r < 0 ? -1 : 0;
}

/* <folder>/_posts and <folder>/_drafts; dir is Jekyll's "" or "/sub". */
static int
posts_read(struct walk *w, int dfd, struct strbuf *site, const char *dir)
{
	static const char *const magic[] = { "_posts", "_drafts" };
	struct strbuf entry = STRBUF_INIT, base = STRBUF_INIT;
	size_t slen = site->len, i;
	int fd, r = 0;

	if (posts_outside(w->r, dir))
		return 0;
	for (i = 0; i < ARRAY_SIZE(magic) && r >= 0; i++) {
		r = folder_open(w, &fd, dfd, site->buf, magic[i], true);
		strbuf_joinpath(site, magic[i]);
		if (r == 0) {
			rb_join(&base, *dir ? dir : "/", magic[i]);
			r = tree_walk(w, fd, site, &entry, i == 0 ?
			    TREE_POSTS : TREE_DRAFTS, base.buf, "posts");
			close(fd);
		}
		strbuf_setlen(site, slen);
	}
	strbuf_free(&entry);
	strbuf_free(&base);
	return r < 0 ? -1 : 0;
}

/*
 * What a symlink in a page folder leads to, if it is followed: true with
 * *is_dir.  A name Jekyll skips anyway costs no look.
 */
static bool
link_kind(struct walk *w, int dfd, struct strbuf *site, const char *base,
    const char *name, bool *is_dir)
{
	size_t slen = site->len;
	struct stat st;
	int pfd, r;

	if (entry_rejected(w->r, base, name, false) &&
	    entry_rejected(w->r, base, name, true))
		return false;
	strbuf_joinpath(site, name);
	r = follow_link(&w->fl, dfd, name, site->buf, &st, &pfd);
	strbuf_setlen(site, slen);
	if (r != 0)
		return false;
	close(pfd);
	*is_dir = S_ISDIR(st.st_mode);
	return true;
}

/*
 * Reader#read_directories: pages (and static files) in one folder, then
 * its posts, then its folders.  site is the folder's site-relative path;
 * dir is Jekyll's name for it: "" at the source, then "/sub".
 */
static int
pages_walk(struct walk *w, int dfd, struct strbuf *site, struct strbuf *dir)
{
	struct dent *v;
	size_t n, i, slen = site->len, dlen = dir->len;
	const char *base;
	bool is_dir;
	int fd, r;

	if (!follow_push(&w->fl, dfd, site->buf))
		return 0;
	if (folder_read(&v, &n, dfd, site->buf) < 0) {
		follow_pop(&w->fl);
		return -1;
	}
	r = 0;
	for (i = 0; i < n && r >= 0; i++) {
		base = dlen ? dir->buf : "/";
		is_dir = v[i].type == DT_DIR;
		if (v[i].type == DT_LNK) {
			if (!link_kind(w, dfd, site, base, v[i].name, &is_dir))
				continue;
		} else if (v[i].type != DT_DIR && v[i].type != DT_REG)
			continue;
		if (entry_rejected(w->r, base, v[i].name, is_dir))
			continue;
		strbuf_joinpath(site, v[i].name);
		if (!is_dir)
			r = file_add(w, dfd, v[i].name, site->buf, NULL);
		else if (strcmp(site->buf, w->dest.buf) != 0) {
			strbuf_setlen(site, slen);
			r = folder_open(w, &fd, dfd, site->buf, v[i].name,
			    true);
			strbuf_joinpath(site, v[i].name);
			if (r == 0) {
				strbuf_putc(dir, '/');
				strbuf_puts(dir, v[i].name);
				r = pages_walk(w, fd, site, dir);
				strbuf_setlen(dir, dlen);
				close(fd);
			}
		}
		strbuf_setlen(site, slen);
	}
	dents_free(v, n);
	if (r >= 0)
		r = posts_read(w, dfd, site, dir->buf);
	follow_pop(&w->fl);
	return r < 0 ? -1 : 0;
}

/* CollectionReader: <collections_dir>/_<name> for all but posts. */
static int
collections_read(struct walk *w, int srcfd, const char *src)
{
	struct strbuf rel = STRBUF_INIT, norm = STRBUF_INIT;
	struct strbuf site = STRBUF_INIT, entry = STRBUF_INIT;
	struct strbuf base = STRBUF_INIT;
	size_t i;
	int fd, r = 0;

	for (i = 0; i < w->r->ncollections && r >= 0; i++) {
		const char *name = w->r->collections[i];

		if (strcmp(name, "posts") == 0)
			continue;
		strbuf_set(&rel, w->r->collections_dir);
		strbuf_printf(&rel, "/_%s", name);
		path_normalize(&norm, rel.buf, true);
		strbuf_set(&site, src);
		strbuf_joinpath(&site, norm.buf);
		r = folder_open(w, &fd, srcfd, src, norm.buf, true);
		if (r != 0)
			continue;
		strbuf_reset(&base);
		strbuf_printf(&base, "_%s", name);
		strbuf_reset(&entry);
		r = tree_walk(w, fd, &site, &entry, TREE_COLLECTION, base.buf,
		    name);
		close(fd);
	}
	strbuf_free(&rel);
	strbuf_free(&norm);
	strbuf_free(&site);
	strbuf_free(&entry);
	strbuf_free(&base);
	return r < 0 ? -1 : 0;
}

/* Reader#read_included_excludes: include entries naming a file. */
static int
included_read(struct walk *w, int srcfd, const char *src)
{
	struct strbuf rel = STRBUF_INIT, site = STRBUF_INIT;
	const char *slash, *name;
	size_t i;
	int fd, r = 0;

	for (i = 0; i < w->r->ninclude && r >= 0; i++) {
		path_normalize(&rel, w->r->include[i], true);
		if (rel.len == 0)
			continue;
		strbuf_set(&site, src);
		strbuf_joinpath(&site, rel.buf);
		slash = strrchr(rel.buf, '/');
		name = slash ? slash + 1 : rel.buf;
		if (slash)
			rel.buf[slash - rel.buf] = '\0';
		r = folder_open(w, &fd, srcfd, src, slash ? rel.buf : "",
		    true);
		if (r != 0)
			continue;
		r = file_add(w, fd, name, site.buf, NULL);
		close(fd);
	}
	strbuf_free(&rel);
	strbuf_free(&site);
	return r < 0 ? -1 : 0;
}

/* By path; where a path was found twice, the collection's entry first. */
static int
file_cmp(const void *a, const void *b)
{
	const struct site_file *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	return (x->collection == NULL) - (y->collection == NULL);
}

static void
files_sort_unique(struct site_files *f)
{
	size_t i, j = 0;

	if (f->n == 0)
		return;
	qsort(f->v, f->n, sizeof(*f->v), file_cmp);
	for (i = 1; i < f->n; i++) {
		if (strcmp(f->v[i].path, f->v[j].path) == 0) {
			free(f->v[i].path);
			free(f->v[i].collection);
			continue;
		}
		f->v[++j] = f->v[i];
	}
	f->n = j + 1;
}

/*
 * An absolute source or destination, made site-relative when it lies in
 * the site (Jekyll expands them from the folder it runs in, the site).
 * Returns 1 when it lies outside.
 */
static int
site_relative(struct strbuf *out, int sitefd, const char *path)
{
	struct strbuf root = STRBUF_INIT, norm = STRBUF_INIT;
	int r = 1;

	if (path[0] != '/') {
		path_normalize(out, path, false);
		return strncmp(out->buf, "..", 2) == 0 &&
		    (out->buf[2] == '\0' || out->buf[2] == '/');
	}
	if (fd_realpath(&root, sitefd) < 0)
		return -1;
	path_normalize(&norm, path, true);
	strbuf_reset(out);
	if (path_inside(norm.buf, root.buf + 1)) {
		strbuf_puts(out, norm.buf + root.len - 1 +
		    (norm.len > root.len - 1));
		r = 0;
	}
	strbuf_free(&root);
	strbuf_free(&norm);
	return r;
}

int
site_walk(struct site_files *out, int sitefd, const struct site_rules *r)
{
	struct strbuf src = STRBUF_INIT, site = STRBUF_INIT;
	struct strbuf dir = STRBUF_INIT;
	struct walk w;
	bool inited = false;
	int srcfd = -1, rc;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.r = r;
	w.out = out;
	strbuf_init(&w.dest);
	rc = site_relative(&src, sitefd, r->source);
	if (rc == 1)
		rc = rl_error_set("source: '%s' is outside the site folder",
		    r->source);
	if (rc == 0 && site_relative(&w.dest, sitefd, r->destination) != 0)
		strbuf_reset(&w.dest);
	if (rc == 0) {
		rc = folder_open(&w, &srcfd, sitefd, "", src.buf, false);
		if (rc == 1)
			rc = rl_error_set("source: '%s' is not a folder of the "
			    "site (or is a symlink)", r->source);
	}
	if (rc == 0 && (rc = follow_init(&w.fl, sitefd, srcfd, r)) == 0)
		inited = true;
	if (rc == 0) {
		strbuf_set(&site, src.buf);
		rc = pages_walk(&w, srcfd, &site, &dir);
	}
	/* Links to the source are loops for the collections too. */
	if (rc == 0 && follow_push(&w.fl, srcfd, src.buf)) {
		rc = collections_read(&w, srcfd, src.buf);
		if (rc == 0)
			rc = included_read(&w, srcfd, src.buf);
		follow_pop(&w.fl);
	}
	if (inited)
		follow_free(&w.fl);
	if (srcfd >= 0)
		close(srcfd);
	strbuf_free(&src);
	strbuf_free(&site);
	strbuf_free(&dir);
	strbuf_free(&w.dest);
	if (rc < 0) {
		site_files_free(out);
		return -1;
	}
	files_sort_unique(out);
	return 0;
}

void
site_files_free(struct site_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].path);
		free(f->v[i].collection);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}
