/*
 * scan.c - read target folders and media folders; see scan.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "fsutil.h"
#include "plugin.h"
#include "refcheck.h"
#include "scan.h"
#include "util.h"

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

const struct entry *
target_find(const struct target_scan *t, const char *name)
{
	struct entry key = { (char *)name, ENT_OTHER, NULL };

	if (t->n == 0)
		return NULL;
	return bsearch(&key, t->v, t->n, sizeof(key), entry_cmp);
}

static enum entry_type
type_of(int dfd, const struct dirent *de)
{
	struct stat st;

	switch (de->d_type) {
	case DT_LNK:	return ENT_LINK;
	case DT_REG:	return ENT_FILE;
	case DT_DIR:	return ENT_DIR;
	case DT_UNKNOWN:
		break;
	default:	return ENT_OTHER;
	}
	if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return ENT_OTHER;
	if (S_ISLNK(st.st_mode))
		return ENT_LINK;
	if (S_ISREG(st.st_mode))
		return ENT_FILE;
	return S_ISDIR(st.st_mode) ? ENT_DIR : ENT_OTHER;
}

/* Reads one link's text; -1 (error set) if it is gone or unreadable. */
static int
link_text(char **out, int dfd, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	ssize_t n;

	strbuf_grow(&sb, 256);
	for (;;) {
		n = readlinkat(dfd, name, sb.buf, sb.alloc);
		if (n < 0) {
			strbuf_free(&sb);
			return rl_error_set("%s: %s", name, strerror(errno));
		}
		if ((size_t)n < sb.alloc)
			break;
		strbuf_grow(&sb, sb.alloc);
	}
	strbuf_setlen(&sb, (size_t)n);
	*out = strbuf_detach(&sb);
	return 0;
}

static void
windows_target(struct target_scan *t, const struct linkset *ls,
    const char *fsname)
{
	struct strbuf sb = STRBUF_INIT;

	fs_windows_refusal(&sb, ls->target, fsname);
	t->state = TARGET_UNSAFE;
	t->why = strbuf_detach(&sb);
}

static void
scan_target(struct target_scan *t, const struct linkset *ls, int sitefd)
{
	const char *fsname;
	struct dirent *de;
	size_t alloc = 0;
	DIR *dir;
	int dfd, r;

	r = dir_walk(&dfd, sitefd, ls->target, false);
	if (r == 1) {
		/* Made on first link: where would it be made? */
		t->state = TARGET_ABSENT;
		if ((fsname = fs_windows_name(dfd)) != NULL)
			windows_target(t, ls, fsname);
		close(dfd);
		return;
	}
	if (r < 0) {
		t->state = TARGET_UNSAFE;
		t->why = xstrdup(rl_error_last());
		return;
	}
	if ((fsname = fs_windows_name(dfd)) != NULL) {
		windows_target(t, ls, fsname);
		close(dfd);
		return;
	}
	if ((dir = fdopendir(dfd)) == NULL) {
		t->state = TARGET_UNSAFE;
		t->why = xstrdup(strerror(errno));
		close(dfd);
		return;
	}
	t->state = TARGET_OK;
	while ((de = readdir(dir)) != NULL) {
		struct entry *e;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		ALLOC_GROW(t->v, t->n + 1, alloc);
		e = &t->v[t->n];
		e->type = type_of(dirfd(dir), de);
		e->text = NULL;
		if (e->type == ENT_LINK &&
		    link_text(&e->text, dirfd(dir), de->d_name) < 0)
			continue;	/* vanished meanwhile */
		e->name = xstrdup(de->d_name);
		t->n++;
	}
	closedir(dir);
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), entry_cmp);
}

/* Where a symlinked media file really leads, checked against the root. */
static void
resolve_file_link(struct file_scan *f, const struct source_scan *src,
    int dfd, const char *name)
{
	struct strbuf real = STRBUF_INIT;
	struct stat st;
	int fd;

	fd = openat(dfd, name, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		f->state = FILE_MISSING;
		f->why = xstrdup("it is a symlink that leads nowhere");
		return;
	}
	if (fd_realpath(&real, fd) < 0 || fstat(fd, &st) < 0) {
		f->state = FILE_MISSING;
		f->why = xstrdup(rl_error_last());
	} else if (!path_inside(real.buf, src->real_root)) {
		f->state = FILE_ESCAPES;
		f->why = xstrdup(real.buf);
	} else
		f->state = S_ISREG(st.st_mode) ? FILE_OK : FILE_NOT_FILE;
	close(fd);
	strbuf_free(&real);
}

struct name_type {
	char		*name;
	unsigned char	 type;
};

static int
nt_cmp(const void *a, const void *b)
{
	return strcmp(((const struct name_type *)a)->name,
	    ((const struct name_type *)b)->name);
}

/* The one case-insensitive match for a missing name: "did you mean". */
static const char *
near_miss(const struct name_type *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(v[i].name, name) == 0)
			return v[i].name;
	return NULL;
}

struct group {
	const struct wantlist *wants;
	size_t	*idx;		/* want indices of one folder, by basename */
	size_t	 n;
};

/* Every name in d, sorted; the caller frees them. */
static size_t
read_names(DIR *d, struct name_type **out)
{
	struct name_type *names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;

	while ((de = readdir(d)) != NULL) {
		ALLOC_GROW(names, n + 1, alloc);
		names[n].name = xstrdup(de->d_name);
		names[n].type = de->d_type;
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), nt_cmp);
	*out = names;
	return n;
}

static void
free_names(struct name_type *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i].name);
	free(names);
}

/*
 * Keeps the regular files of a folder just read (names, sorted, as
 * read_names left them) in src's listings, taking their names out of
 * names: the folder is not read again, and nothing is stat'ed.
 */
static void
keep_listing(struct source_scan *src, const char *dir,
    struct name_type *names, size_t n)
{
	struct media_listing *l;
	size_t i, alloc = 0;

	ALLOC_GROW(src->listings, src->nlistings + 1, src->listings_alloc);
	l = &src->listings[src->nlistings++];
	l->dir = xstrdup(dir);
	l->names = NULL;
	l->n = 0;
	for (i = 0; i < n; i++) {
		if (names[i].type != DT_REG && names[i].type != DT_UNKNOWN)
			continue;
		if (strcmp(names[i].name, ".") == 0 ||
		    strcmp(names[i].name, "..") == 0)
			continue;
		ALLOC_GROW(l->names, l->n + 1, alloc);
		l->names[l->n++] = names[i].name;
		names[i].name = NULL;
	}
}

/* The entry of folder fd whose name is name in another case, or NULL. */
static char *
entry_near_miss(int fd, const char *name)
{
	struct name_type *names;
	const char *alt;
	char *found = NULL;
	size_t n;
	DIR *d;
	int lfd;

	if ((lfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return NULL;
	if ((d = fdopendir(lfd)) == NULL) {
		close(lfd);
		return NULL;
	}
	n = read_names(d, &names);
	if ((alt = near_miss(names, n, name)) != NULL)
		found = xstrdup(alt);
	free_names(names, n);
	closedir(d);
	return found;
}

/*
 * A media folder that is not there may be there in another case
 * (`Lullaby/` for `lullaby/`: the drive is case-sensitive here, or WSL
 * flagged the folder so).  Walks dir from the root a component at a
 * time, opening each as written and, only where that fails, listing its
 * parent once for a case-insensitive match.  It runs only for a folder
 * whose references are already missing, so a good run pays nothing.
 * Returns the folder's fd with its real-cased path in fixed, or -1.
 */
static int
folder_near_miss(int rootfd, const char *dir, struct strbuf *fixed)
{
	struct strbuf comp = STRBUF_INIT;
	const char *p = dir, *end;
	char *alt;
	int cur = rootfd, fd;

	strbuf_reset(fixed);
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		strbuf_reset(&comp);
		strbuf_add(&comp, p, (size_t)(end - p));
		fd = openat(cur, comp.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT &&
		    (alt = entry_near_miss(cur, comp.buf)) != NULL) {
			strbuf_set(&comp, alt);
			free(alt);
			fd = openat(cur, comp.buf,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (cur != rootfd)
			close(cur);
		if ((cur = fd) < 0)
			break;
		if (fixed->len)
			strbuf_putc(fixed, '/');
		strbuf_puts(fixed, comp.buf);
	}
	strbuf_free(&comp);
	if (cur == rootfd)
		return -1;
	return cur;
}

/*
 * The wants of a folder that does not exist, whose folder is there in
 * another case: suggest each reference with the folder cased right, and
 * the file's name too if only its case differs.
 */
static void
suggest_folder(struct scan *s, int rootfd, const char *dir,
    const struct group *g)
{
	struct strbuf fixed = STRBUF_INIT, sb = STRBUF_INIT;
	struct name_type *names = NULL, key, *hit;
	const char *alt;
	size_t i, n = 0;
	DIR *d;
	int fd;

	if ((fd = folder_near_miss(rootfd, dir, &fixed)) < 0)
		goto out;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		goto out;
	}
	n = read_names(d, &names);
	closedir(d);
	for (i = 0; i < g->n; i++) {
		const char *base = ref_basename(g->wants->v[g->idx[i]].ref);

		key.name = (char *)base;
		hit = n ? bsearch(&key, names, n, sizeof(key), nt_cmp) : NULL;
		alt = hit ? hit->name : near_miss(names, n, base);
		if (alt == NULL)
			continue;
		strbuf_set(&sb, fixed.buf);
		strbuf_putc(&sb, '/');
		strbuf_puts(&sb, alt);
		s->files[g->idx[i]].suggest = xstrdup(sb.buf);
	}
	free_names(names, n);
out:
	strbuf_free(&fixed);
	strbuf_free(&sb);
}

/*
 * One media folder: open it, check where it really is, read it once, and
 * settle every want that lives in it.
 */
static void
scan_folder(struct scan *s, struct source_scan *src, int rootfd,
    const char *dir, const struct group *g)
{
	struct strbuf real = STRBUF_INIT, why = STRBUF_INIT;
	struct name_type *names = NULL, key;
	enum file_state state = FILE_MISSING;
	size_t i, n = 0;
	DIR *d = NULL;
	int fd;

	fd = openat(rootfd, *dir ? dir : ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		strbuf_printf(&why, "folder '%s' %s", *dir ? dir : ".",
		    errno == ENOENT ? "does not exist" : strerror(errno));
		if (errno == ENOENT && *dir)
			suggest_folder(s, rootfd, dir, g);
		goto settle_all;
	}
	if (fd_realpath(&real, fd) < 0) {
		strbuf_puts(&why, rl_error_last());
		close(fd);
		goto settle_all;
	}
	if (!path_inside(real.buf, src->real_root)) {
		state = FILE_ESCAPES;
		strbuf_printf(&why, "folder '%s' leads to '%s'", dir,
		    real.buf);
		close(fd);
		goto settle_all;
	}
	if ((d = fdopendir(fd)) == NULL) {
		strbuf_printf(&why, "folder '%s': %s", dir, strerror(errno));
		close(fd);
		goto settle_all;
	}
	n = read_names(d, &names);
	for (i = 0; i < g->n; i++) {
		struct file_scan *f = &s->files[g->idx[i]];
		const char *base = ref_basename(g->wants->v[g->idx[i]].ref);
		struct name_type *hit;
		const char *alt;
		struct stat st;

		key.name = (char *)base;
		hit = n ? bsearch(&key, names, n, sizeof(key), nt_cmp) : NULL;
		if (hit == NULL) {
			f->state = FILE_MISSING;
			if ((alt = near_miss(names, n, base)) != NULL)
				f->suggest = xstrdup(alt);
			continue;
		}
		switch (hit->type) {
		case DT_REG:
			f->state = FILE_OK;
			break;
		case DT_LNK:
			resolve_file_link(f, src, dirfd(d), base);
			break;
		case DT_UNKNOWN:
			if (fstatat(dirfd(d), base, &st,
			    AT_SYMLINK_NOFOLLOW) < 0)
				f->state = FILE_MISSING;
			else if (S_ISLNK(st.st_mode))
				resolve_file_link(f, src, dirfd(d), base);
			else
				f->state = S_ISREG(st.st_mode) ?
				    FILE_OK : FILE_NOT_FILE;
			break;
		default:
			f->state = FILE_NOT_FILE;
		}
	}
	keep_listing(src, dir, names, n);
	free_names(names, n);
	closedir(d);
	strbuf_free(&real);
	strbuf_free(&why);
	return;
settle_all:
	for (i = 0; i < g->n; i++) {
		s->files[g->idx[i]].state = state;
		s->files[g->idx[i]].why = xstrdup(why.buf);
	}
	strbuf_free(&real);
	strbuf_free(&why);
}

/* Sorting wants of one set by (folder, basename) to group folders. */
static const struct wantlist *sort_wants;

static size_t
dir_len(const char *ref)
{
	const char *b = ref_basename(ref);

	return b == ref ? 0 : (size_t)(b - ref - 1);
}

static int
want_cmp(const void *a, const void *b)
{
	const char *x = sort_wants->v[*(const size_t *)a].ref;
	const char *y = sort_wants->v[*(const size_t *)b].ref;
	size_t lx = dir_len(x), ly = dir_len(y);
	int c = strncmp(x, y, lx < ly ? lx : ly);

	if (c == 0 && lx != ly)
		c = lx < ly ? -1 : 1;
	return c ? c : strcmp(ref_basename(x), ref_basename(y));
}

static void
scan_sources(struct scan *s, const struct config *cfg, size_t set,
    const struct wantlist *w)
{
	struct source_scan *src = &s->sources[set];
	struct strbuf real = STRBUF_INIT, dir = STRBUF_INIT;
	size_t *idx = NULL, n = 0, i, j;
	int rootfd;

	rootfd = open(cfg->sets[set].source,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 || fd_realpath(&real, rootfd) < 0) {
		src->available = false;
		src->why = xstrdup(strerror(errno));
		if (rootfd >= 0)
			close(rootfd);
		strbuf_free(&real);
		return;
	}
	src->available = true;
	src->real_root = strbuf_detach(&real);

	idx = xcalloc(w->n, sizeof(*idx));
	for (i = 0; i < w->n; i++)
		if (w->v[i].set == set)
			idx[n++] = i;
	sort_wants = w;
	qsort(idx, n, sizeof(*idx), want_cmp);
	for (i = 0; i < n; i = j) {
		const char *ref = w->v[idx[i]].ref;
		size_t dl = dir_len(ref);
		struct group g = { w, idx + i, 0 };

		for (j = i; j < n && dir_len(w->v[idx[j]].ref) == dl &&
		    strncmp(w->v[idx[j]].ref, ref, dl) == 0; j++)
			g.n++;
		strbuf_reset(&dir);
		strbuf_add(&dir, ref, dl);
		scan_folder(s, src, rootfd, dir.buf, &g);
	}
	free(idx);
	strbuf_free(&dir);
	close(rootfd);
}

int
scan_run(struct scan *out, const struct config *cfg, int sitefd,
    const struct wantlist *wants, struct problems *problems)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->nsets = cfg->nsets;
	out->nwants = wants->n;
	out->targets = xcalloc(cfg->nsets, sizeof(*out->targets));
	out->sources = xcalloc(cfg->nsets, sizeof(*out->sources));
	out->files = xcalloc(wants->n, sizeof(*out->files));
	for (i = 0; i < cfg->nsets; i++) {
		scan_target(&out->targets[i], &cfg->sets[i], sitefd);
		scan_sources(out, cfg, i, wants);
	}
	manifest_load(&out->manifest, sitefd, problems);
	return 0;
}

void
scan_free(struct scan *s)
{
	size_t i, j;

	for (i = 0; i < s->nsets; i++) {
		struct target_scan *t = &s->targets[i];

		for (j = 0; j < t->n; j++) {
			free(t->v[j].name);
			free(t->v[j].text);
		}
		free(t->v);
		free(t->why);
		free(s->sources[i].why);
		free(s->sources[i].real_root);
		for (j = 0; j < s->sources[i].nlistings; j++) {
			struct media_listing *l = &s->sources[i].listings[j];
			size_t k;

			for (k = 0; k < l->n; k++)
				free(l->names[k]);
			free(l->names);
			free(l->dir);
		}
		free(s->sources[i].listings);
	}
	for (i = 0; i < s->nwants; i++) {
		free(s->files[i].why);
		free(s->files[i].suggest);
	}
	free(s->targets);
	free(s->sources);
	free(s->files);
	manifest_free(&s->manifest);
	memset(s, 0, sizeof(*s));
}
