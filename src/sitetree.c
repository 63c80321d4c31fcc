/*
 * sitetree.c - the walk over a site's folders: the files Jekyll 4.3 reads,
 * with the symlinks it follows; see sitewalk.h.
 *
 * Jekyll has three ways in, and each filters differently, so each is
 * copied rather than unified: the page walk (Reader#read_directories)
 * filters every folder entry by its name and prunes skipped folders;
 * collections (Collection#entries) glob "**" with dot files and filter
 * each file by its whole path below the collection, so nothing is pruned
 * ("_songs/a/.git/x" is read, "_songs/.git/x" is not); posts and drafts
 * (PostReader) glob without dot files and keep only dated names.  Then
 * Reader#read_included_excludes reads every `include` entry that names a
 * file, wherever it is.  The filters are sitewalk.c's.
 *
 * Links are followed where Jekyll follows them, as follow.h allows.
 * Folders are opened relative to their parent, one part at a time, and
 * read once (rewinddir is unreliable over 9P).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "follow.h"
#include "fsutil.h"
#include "sitewalk.h"
#include "sitewalk_filter.h"
#include "strbuf.h"
#include "util.h"

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
 * hold a DIR per level.  With no_links, symlinks are left out (a target
 * folder's, never followed).
 */
static int
folder_read(struct dent **out, size_t *nout, int dfd, const char *display,
    bool no_links)
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
		if (no_links && de->d_type == DT_LNK)
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
 * and only as follow_link allows; *linked (when not NULL) is then set.
 * 1 when there is nothing to read there: missing, not a folder, or a link
 * not followed.
 */
static int
folder_open(struct walk *w, int *out, int dfd, const char *base,
    const char *rel, bool follow, bool *linked)
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
			if (next >= 0 && linked != NULL)
				*linked = true;
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
 * the walk follows to one, with the facts of the file it leads to.  via:
 * dfd was reached through a link.
 */
static int
file_add(struct walk *w, int dfd, const char *name, const char *path,
    const char *collection, bool via)
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
	f->via_link = via || link;
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
tree_walk(struct walk *w, int dfd, bool linked, struct strbuf *site,
    struct strbuf *entry, enum tree_kind kind, const char *base,
    const char *collection)
{
	struct dent *v;
	size_t n, i, slen = site->len, elen = entry->len;
	int fd, r = 0;

	if (!follow_push(&w->fl, dfd, site->buf, linked))
		return 0;
	if (folder_read(&v, &n, dfd, site->buf,
	    follow_in_target(&w->fl)) < 0) {
		follow_pop(&w->fl);
		return -1;
	}
	for (i = 0; i < n && r >= 0; i++) {
		if (kind != TREE_COLLECTION && v[i].name[0] == '.')
			continue;
		if (v[i].type != DT_DIR && v[i].type != DT_REG &&
		    (v[i].type != DT_LNK || follow_in_target(&w->fl)))
			continue;
		if (v[i].type == DT_DIR)
			r = folder_open(w, &fd, dfd, site->buf, v[i].name,
			    false, NULL);
		strbuf_joinpath(site, v[i].name);
		if (entry->len)
			strbuf_putc(entry, '/');
		strbuf_puts(entry, v[i].name);
		if (v[i].type == DT_DIR) {
			if (r == 0) {
				r = tree_walk(w, fd, false, site, entry, kind,
				    base, collection);
				close(fd);
			}
		} else if (!entry_rejected(w->r, base, entry->buf, false) &&
		    (kind == TREE_COLLECTION ||
		    post_name_ok(entry->buf, kind == TREE_POSTS)))
			r = file_add(w, dfd, v[i].name, site->buf, collection,
			    follow_via(&w->fl));
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
	bool linked;
	int fd, r = 0;

	if (posts_outside(w->r, dir))
		return 0;
	for (i = 0; i < ARRAY_SIZE(magic) && r >= 0; i++) {
		linked = false;
		r = folder_open(w, &fd, dfd, site->buf, magic[i], true,
		    &linked);
		strbuf_joinpath(site, magic[i]);
		if (r == 0) {
			rb_join(&base, *dir ? dir : "/", magic[i]);
			r = tree_walk(w, fd, linked, site, &entry, i == 0 ?
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
pages_walk(struct walk *w, int dfd, bool linked, struct strbuf *site,
    struct strbuf *dir)
{
	struct dent *v;
	size_t n, i, slen = site->len, dlen = dir->len;
	const char *base;
	bool is_dir, sub_linked;
	int fd, r;

	if (!follow_push(&w->fl, dfd, site->buf, linked))
		return 0;
	if (folder_read(&v, &n, dfd, site->buf,
	    follow_in_target(&w->fl)) < 0) {
		follow_pop(&w->fl);
		return -1;
	}
	r = 0;
	for (i = 0; i < n && r >= 0; i++) {
		base = dlen ? dir->buf : "/";
		is_dir = v[i].type == DT_DIR;
		if (v[i].type == DT_LNK) {
			if (follow_in_target(&w->fl) ||
			    !link_kind(w, dfd, site, base, v[i].name, &is_dir))
				continue;
		} else if (v[i].type != DT_DIR && v[i].type != DT_REG)
			continue;
		if (entry_rejected(w->r, base, v[i].name, is_dir))
			continue;
		strbuf_joinpath(site, v[i].name);
		if (!is_dir)
			r = file_add(w, dfd, v[i].name, site->buf, NULL,
			    follow_via(&w->fl));
		else if (strcmp(site->buf, w->dest.buf) != 0) {
			strbuf_setlen(site, slen);
			sub_linked = false;
			r = folder_open(w, &fd, dfd, site->buf, v[i].name,
			    true, &sub_linked);
			strbuf_joinpath(site, v[i].name);
			if (r == 0) {
				strbuf_putc(dir, '/');
				strbuf_puts(dir, v[i].name);
				r = pages_walk(w, fd, sub_linked, site, dir);
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
	bool linked;
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
		linked = false;
		r = folder_open(w, &fd, srcfd, src, norm.buf, true, &linked);
		if (r != 0)
			continue;
		strbuf_reset(&base);
		strbuf_printf(&base, "_%s", name);
		strbuf_reset(&entry);
		r = tree_walk(w, fd, linked, &site, &entry, TREE_COLLECTION,
		    base.buf,
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
	bool linked;
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
		linked = false;
		r = folder_open(w, &fd, srcfd, src, slash ? rel.buf : "",
		    true, &linked);
		if (r != 0)
			continue;
		r = file_add(w, fd, name, site.buf, NULL, linked);
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
		rc = folder_open(&w, &srcfd, sitefd, "", src.buf, false,
		    NULL);
		if (rc == 1)
			rc = rl_error_set("source: '%s' is not a folder of the "
			    "site (or is a symlink)", r->source);
	}
	if (rc == 0 && (rc = follow_init(&w.fl, sitefd, srcfd, r)) == 0)
		inited = true;
	if (rc == 0) {
		strbuf_set(&site, src.buf);
		rc = pages_walk(&w, srcfd, false, &site, &dir);
	}
	/* Links to the source are loops for the collections too. */
	if (rc == 0 && follow_push(&w.fl, srcfd, src.buf, false)) {
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
