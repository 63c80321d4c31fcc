/*
 * scan.c - read media folders and put the scan together; see scan.h.
 * The target folders are read by scan_target.c.
 *
 * A no-op sync spends much of its own time here and in the planner, so
 * the per-name work is kept small: a media folder's names stay in the
 * buffer the kernel filled and are found through a hash table
 * (dirlist.h), and what is kept is copied into the scan's large blocks
 * of strings, not one allocation each.  The calls into the filesystem
 * are what scan.h says, no more.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "dirlist.h"
#include "fsutil.h"
#include "mountinfo.h"
#include "plugin.h"
#include "refcheck.h"
#include "scan.h"
#include "scan_target.h"
#include "suggest.h"
#include "util.h"

/*
 * The media root with all links resolved, found only when a link in the
 * media tree makes it matter (on WSL it is one more round trip).
 */
static const char *
root_real(struct source_scan *src)
{
	struct strbuf real = STRBUF_INIT;

	if (src->real_root == NULL) {
		if (src->rootfd < 0 || fd_realpath(&real, src->rootfd) < 0)
			strbuf_set(&real, "/nonexistent/");	/* nothing is inside */
		src->real_root = strbuf_detach(&real);
	}
	return src->real_root;
}

/* Where a symlinked media file really leads, checked against the root. */
static void
resolve_file_link(struct file_scan *f, struct source_scan *src,
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
	} else if (!path_inside(real.buf, root_real(src))) {
		f->state = FILE_ESCAPES;
		f->why = xstrdup(real.buf);
	} else
		f->state = S_ISREG(st.st_mode) ? FILE_OK : FILE_NOT_FILE;
	close(fd);
	strbuf_free(&real);
}

/* The wants of one media folder: name is the basename, aux the want. */
struct group {
	const struct name_key *v;	/* sorted by name */
	size_t	 n;
};

/*
 * Keeps the regular files of a folder just read, sorted, in src's
 * listings: the folder is not read again, and nothing is stat'ed.
 */
static void
keep_listing(struct scan *s, struct source_scan *src, const char *dir,
    const struct dirlist *dl)
{
	struct media_listing *l;
	struct name_key *k;
	size_t i, alloc = 0;

	ALLOC_GROW(src->listings, src->nlistings + 1, src->listings_alloc);
	l = &src->listings[src->nlistings++];
	l->dir = scan_strndup(s, dir, strlen(dir));
	l->names = NULL;
	l->n = 0;
	k = dirlist_sorted(dl);
	for (i = 0; i < dl->n; i++) {
		const struct dirlist_name *d = &dl->v[k[i].aux];

		if (d->type != DT_REG && d->type != DT_UNKNOWN)
			continue;
		ALLOC_GROW(l->names, l->n + 1, alloc);
		l->names[l->n++] = scan_strndup(s, d->name, d->len);
	}
	free(k);
}

/*
 * The wants of a folder that does not exist, whose folder is there in
 * another case: suggest each reference with the folder cased right, and
 * the file's name too if only its case differs.
 */
static void
suggest_missing(struct scan *s, int rootfd, const char *dir,
    const struct group *g, struct dirlist *dl)
{
	const char **names;
	char **out;
	size_t i;

	names = xcalloc(g->n + 1, sizeof(*names));
	out = xcalloc(g->n + 1, sizeof(*out));
	for (i = 0; i < g->n; i++)
		names[i] = g->v[i].name;
	suggest_folder(rootfd, dir, names, g->n, out, dl);
	for (i = 0; i < g->n; i++)
		s->files[g->v[i].aux].suggest = out[i];
	free(names);
	free(out);
}

/*
 * Opens a media folder below the root, refusing to leave it: with
 * openat2's RESOLVE_BENEATH the kernel checks every component and every
 * link on the way, in the one call that opens it.  A link it will not
 * follow (an absolute one, which may still stay inside) is settled the
 * slow way, by where the folder really is.  Returns the fd, or -1 with
 * why set (state: FILE_ESCAPES when it leads out).
 */
static int
open_folder(struct source_scan *src, int rootfd, const char *dir,
    struct strbuf *why, enum file_state *state)
{
	struct open_how how = { 0 };
	struct strbuf real = STRBUF_INIT;
	const char *shown = *dir ? dir : ".";
	int fd;

	/* Kernels before 5.6 (and valgrind, which does not know the call;
	 * RENDERLINK_NO_OPENAT2 for it) take the slow way every time. */
	static int have_openat2 = -1;

	if (have_openat2 < 0)
		have_openat2 = getenv("RENDERLINK_NO_OPENAT2") == NULL;
	how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = -1;
	errno = ENOSYS;
	if (have_openat2)
		fd = (int)syscall(SYS_openat2, rootfd, shown, &how,
		    sizeof(how));
	if (fd >= 0)
		return fd;
	if (errno == ENOSYS)
		have_openat2 = 0;
	if (errno != EXDEV && errno != ENOSYS && errno != EPERM) {
		strbuf_printf(why, "folder '%s' %s", shown, errno == ENOENT ?
		    "does not exist" : strerror(errno));
		return -1;
	}
	fd = openat(rootfd, shown, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		strbuf_printf(why, "folder '%s' %s", shown, errno == ENOENT ?
		    "does not exist" : strerror(errno));
		return -1;
	}
	if (fd_realpath(&real, fd) < 0) {
		strbuf_puts(why, rl_error_last());
		close(fd);
		fd = -1;
	} else if (!path_inside(real.buf, root_real(src))) {
		*state = FILE_ESCAPES;
		strbuf_printf(why, "folder '%s' leads to '%s'", dir, real.buf);
		close(fd);
		fd = -1;
	}
	strbuf_free(&real);
	return fd;
}

/* A folder that fails this way means the drive itself went away. */
static bool
drive_gone(int e)
{
	return e == ENOTCONN || e == EIO || e == ENODEV || e == ESTALE ||
	    e == ENXIO || e == ECONNABORTED;
}

/* The set's media root is not usable after all: plan nothing for it. */
static void
source_lost(struct source_scan *src, const char *why)
{
	if (!src->available)
		return;
	src->available = false;
	free(src->why);
	src->why = xstrdup(why);
}

/*
 * One media folder: open it (inside the root), read it once, and settle
 * every want that lives in it.  On a Windows drive each call is a round
 * trip, so this is an open, one read and a close: nothing per file.
 */
static void
scan_folder(struct scan *s, struct source_scan *src, int rootfd,
    const char *dir, const struct group *g, struct dirlist *dl)
{
	struct strbuf why = STRBUF_INIT;
	enum file_state state = FILE_MISSING;
	size_t i;
	int fd;

	if ((fd = open_folder(src, rootfd, dir, &why, &state)) < 0) {
		if (drive_gone(errno)) {
			source_lost(src, strerror(errno));
			goto settle_all;
		}
		src->missing_folders += errno == ENOENT;
		if (errno == ENOENT && *dir && state == FILE_MISSING)
			suggest_missing(s, rootfd, dir, g, dl);
		else if (errno != ENOENT && state == FILE_MISSING)
			state = FILE_UNREADABLE;	/* EACCES, ... */
		goto settle_all;
	}
	if (dirlist_read(dl, fd, src->short_is_eof) < 0) {
		if (drive_gone(errno))
			source_lost(src, strerror(errno));
		state = FILE_UNREADABLE;
		strbuf_printf(&why, "folder '%s': %s", dir, strerror(errno));
		close(fd);
		goto settle_all;
	}
	src->read_folders++;
	for (i = 0; i < g->n; i++) {
		struct file_scan *f = &s->files[g->v[i].aux];
		const char *base = g->v[i].name;
		const struct dirlist_name *hit;
		const char *alt;
		struct stat st;
		size_t len;

		len = strlen(base);
		hit = dirlist_find(dl, base, len, name_hash(base, len));
		if (hit == NULL) {
			f->state = FILE_MISSING;
			if ((alt = suggest_name(dl, base)) != NULL)
				f->suggest = xstrdup(alt);
			continue;
		}
		switch (hit->type) {
		case DT_REG:
			f->state = FILE_OK;
			break;
		case DT_LNK:
			resolve_file_link(f, src, fd, base);
			break;
		case DT_UNKNOWN:
			if (fstatat(fd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
				f->state = FILE_MISSING;
			else if (S_ISLNK(st.st_mode))
				resolve_file_link(f, src, fd, base);
			else
				f->state = S_ISREG(st.st_mode) ?
				    FILE_OK : FILE_NOT_FILE;
			break;
		default:
			f->state = FILE_NOT_FILE;
		}
	}
	if (s->keep_listings)
		keep_listing(s, src, dir, dl);
	close(fd);
	strbuf_free(&why);
	return;
settle_all:
	for (i = 0; i < g->n; i++) {
		s->files[g->v[i].aux].state = state;
		s->files[g->v[i].aux].why = xstrdup(why.buf);
	}
	strbuf_free(&why);
}

/* A want's folder and basename, worked out once. */
struct wkey {
	const char *ref, *base;
	size_t	 dl;		/* length of its folder part */
	size_t	 idx;
};

/*
 * Wants that follow each other in one folder.  Pages name their renders
 * folder by folder, so there are about as many runs as folders, and it
 * is the runs that are sorted, not the wants.
 */
struct run {
	const char *dir;	/* dl bytes of it */
	size_t	 dl;
	size_t	 first, n;	/* wkeys[first .. first + n) */
};

static bool
same_dir(const char *a, size_t al, const char *b, size_t bl)
{
	return al == bl && memcmp(a, b, al) == 0;
}

/* By folder (a folder before its longer namesakes), then as given. */
static int
run_cmp(const void *a, const void *b)
{
	const struct run *x = a, *y = b;
	int c = memcmp(x->dir, y->dir, x->dl < y->dl ? x->dl : y->dl);

	if (c == 0 && x->dl != y->dl)
		c = x->dl < y->dl ? -1 : 1;
	if (c == 0 && x->first != y->first)
		c = x->first < y->first ? -1 : 1;
	return c;
}

/*
 * Not one referenced folder is there: perhaps the drive is not mounted
 * and its mount point is an empty folder (/mnt/e without E:).  Removing
 * every link as stale would be a guess, so an empty root counts as not
 * there.  Costs a listing only in this case.
 */
static void
check_empty_root(struct source_scan *src, int rootfd, const char *source,
    struct dirlist *dl)
{
	struct strbuf why = STRBUF_INIT;
	int fd, r;

	if ((fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	r = dirlist_read(dl, fd, false);
	close(fd);
	if (r < 0 || dl->n > 0)
		return;
	strbuf_printf(&why, "%s is empty: is the drive mounted?", source);
	source_lost(src, why.buf);
	strbuf_free(&why);
}

/*
 * The set's wants folder by folder, in folder order, each folder's by
 * basename (wants of one file in the order given): each folder is
 * opened and read once.
 */
static void
scan_sources(struct scan *s, const struct config *cfg, size_t set,
    const struct wantlist *w, int rootfd, int root_errno, bool short_is_eof)
{
	struct source_scan *src = &s->sources[set];
	struct strbuf dir = STRBUF_INIT;
	struct dirlist dl = { 0 };
	struct name_key *nk;
	struct wkey *keys;
	struct run *runs = NULL;
	size_t n = 0, nruns = 0, aruns = 0, i, j, k, m;

	if (rootfd < 0) {
		src->available = false;
		src->why = xstrdup(strerror(root_errno));
		return;
	}
	src->available = true;
	src->rootfd = rootfd;
	src->short_is_eof = short_is_eof;

	keys = xcalloc(w->n + 1, sizeof(*keys));
	for (i = 0; i < w->n; i++) {
		const char *ref = w->v[i].ref, *base;
		struct wkey *x;

		if (w->v[i].set != set)
			continue;
		base = ref_basename(ref);
		x = &keys[n];
		x->ref = ref;
		x->base = base;
		x->dl = base == ref ? 0 : (size_t)(base - ref - 1);
		x->idx = i;
		if (nruns == 0 || !same_dir(runs[nruns - 1].dir,
		    runs[nruns - 1].dl, ref, x->dl)) {
			if (nruns == aruns)
				ALLOC_GROW(runs, nruns + 1, aruns);
			runs[nruns].dir = ref;
			runs[nruns].dl = x->dl;
			runs[nruns].first = n;
			runs[nruns++].n = 0;
		}
		runs[nruns - 1].n++;
		n++;
	}
	if (nruns > 1)
		qsort(runs, nruns, sizeof(*runs), run_cmp);
	nk = xcalloc(n + 1, sizeof(*nk));
	for (i = 0; i < nruns; i = j) {
		struct group g = { nk, 0 };

		for (m = 0, j = i; j < nruns && same_dir(runs[j].dir,
		    runs[j].dl, runs[i].dir, runs[i].dl); j++)
			for (k = 0; k < runs[j].n; k++, m++) {
				const struct wkey *x = &keys[runs[j].first + k];

				nk[m].key = name_key_of(x->base);
				nk[m].name = x->base;
				nk[m].aux = x->idx;
			}
		name_keys_sort(nk, m);
		g.n = m;
		strbuf_reset(&dir);
		strbuf_add(&dir, runs[i].dir, runs[i].dl);
		scan_folder(s, src, rootfd, dir.buf, &g, &dl);
	}
	free(nk);
	free(runs);
	free(keys);
	strbuf_free(&dir);
	if (src->available && src->read_folders == 0 &&
	    src->missing_folders > 0)
		check_empty_root(src, rootfd, cfg->sets[set].source, &dl);
	dirlist_free(&dl);
}

/*
 * Whether a record could make a difference: some link in a target
 * folder points outside its set's media root.  Links into the root are
 * renderlink's by their text alone, so a run over a site whose links
 * all point there (the usual case) does not read the manifest at all.
 */
static bool
needs_manifest(const struct scan *s, const struct config *cfg)
{
	size_t i, j;

	for (i = 0; i < s->nsets; i++)
		for (j = 0; j < s->targets[i].n; j++) {
			const struct entry *e = &s->targets[i].v[j];

			if (e->type == ENT_LINK &&
			    !text_below(e->text, cfg->sets[i].source))
				return true;
		}
	return false;
}

/*
 * Whether a short getdents64 means the end of a folder on the
 * filesystem holding path, by the mount table (which costs no call to
 * the drive): so on 9P and drvfs (WSL's Windows drives), where the
 * kernel fills the buffer while there is more, and on the usual Linux
 * filesystems.  Not on FUSE (ntfs-3g), which hands out a page a call,
 * nor anywhere unknown: there a listing ends only on an empty read.
 */
static bool
short_read_ends(struct strbuf *mounts, const char *path)
{
	static const char *const fill[] = {
		"9p", "drvfs", "ext4", "ext3", "ext2", "xfs", "btrfs", "tmpfs",
	};
	struct strbuf type = STRBUF_INIT;
	bool yes = false;
	size_t i;

	if (mounts->len == 0 && mountinfo_read(mounts) != 0)
		return false;
	if (mountinfo_type_of(&type, mounts->buf, -1, path) == 0)
		for (i = 0; i < ARRAY_SIZE(fill); i++)
			yes |= strcmp(type.buf, fill[i]) == 0;
	strbuf_free(&type);
	return yes;
}

/*
 * Each media root once per run, however many sets share it: one open,
 * the only call that does not depend on the folders the pages use.
 */
int
scan_run(struct scan *out, const struct config *cfg, int sitefd,
    const struct wantlist *wants, struct problems *problems, unsigned flags)
{
	struct strbuf mounts = STRBUF_INIT;
	int *fds, *errs;
	bool *sre;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	out->keep_listings = (flags & SCAN_LISTINGS) != 0;
	out->nsets = cfg->nsets;
	out->nwants = wants->n;
	out->targets = xcalloc(cfg->nsets, sizeof(*out->targets));
	out->sources = xcalloc(cfg->nsets, sizeof(*out->sources));
	out->files = xcalloc(wants->n + 1, sizeof(*out->files));
	fds = xcalloc(cfg->nsets + 1, sizeof(*fds));
	errs = xcalloc(cfg->nsets + 1, sizeof(*errs));
	sre = xcalloc(cfg->nsets + 1, sizeof(*sre));
	for (i = 0; i < cfg->nsets; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(cfg->sets[j].source,
			    cfg->sets[i].source) == 0)
				break;
		if (j < i) {
			fds[i] = fds[j];
			errs[i] = errs[j];
			sre[i] = sre[j];
		} else {
			fds[i] = open(cfg->sets[i].source,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			errs[i] = fds[i] < 0 ? errno : 0;
			sre[i] = fds[i] >= 0 &&
			    short_read_ends(&mounts, cfg->sets[i].source);
		}
		scan_target(out, &out->targets[i], &cfg->sets[i], sitefd);
		scan_sources(out, cfg, i, wants, fds[i], errs[i], sre[i]);
	}
	for (i = 0; i < cfg->nsets; i++) {
		for (j = 0; j < i; j++)
			if (fds[j] == fds[i])
				break;
		if (j == i && fds[i] >= 0)
			close(fds[i]);
		out->sources[i].rootfd = -1;
	}
	free(fds);
	free(errs);
	free(sre);
	strbuf_free(&mounts);
	out->sitefd = sitefd;
	if (needs_manifest(out, cfg))
		scan_load_manifest(out, problems);
	return 0;
}

void
scan_load_manifest(struct scan *s, struct problems *problems)
{
	if (s->manifest_loaded)
		return;
	manifest_load(&s->manifest, s->sitefd, problems);
	s->manifest_loaded = true;
}

void
scan_free(struct scan *s)
{
	size_t i, j;

	for (i = 0; i < s->nsets; i++) {
		struct target_scan *t = &s->targets[i];

		/* The names and texts are in s->strings. */
		free(t->v);
		free(t->keys);
		free(t->why);
		free(s->sources[i].why);
		free(s->sources[i].real_root);
		for (j = 0; j < s->sources[i].nlistings; j++)
			free(s->sources[i].listings[j].names);
		free(s->sources[i].listings);
	}
	for (i = 0; i < s->nwants; i++) {
		free(s->files[i].why);
		free(s->files[i].suggest);
	}
	scan_strings_free(s);
	free(s->targets);
	free(s->sources);
	free(s->files);
	manifest_free(&s->manifest);
	memset(s, 0, sizeof(*s));
}
