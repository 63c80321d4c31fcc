/*
 * scan.c - read target folders and media folders; see scan.h.
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
#include "fsutil.h"
#include "mountinfo.h"
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
	struct entry key = { .name = (char *)name };

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
	char buf[PATH_MAX];
	ssize_t n;

	n = readlinkat(dfd, name, buf, sizeof(buf));
	if (n < 0)
		return rl_error_set("%s: %s", name, strerror(errno));
	if ((size_t)n == sizeof(buf))
		return rl_error_set("%s: link text too long", name);
	/* Kept for the whole run, once per link: exactly its size. */
	*out = xstrndup(buf, (size_t)n);
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
	struct stat st;
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
	if (fstat(dirfd(dir), &st) == 0)
		t->dev = (uint64_t)st.st_dev;
	while ((de = readdir(dir)) != NULL) {
		struct entry *e;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		ALLOC_GROW(t->v, t->n + 1, alloc);
		e = &t->v[t->n];
		e->type = type_of(dirfd(dir), de);
		e->text = NULL;
		e->ino = (uint64_t)de->d_ino;
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

static void
free_names(struct name_type *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i].name);
	free(names);
}

/*
 * Every name in the folder fd, sorted; the caller frees them.  Read
 * with getdents64 into one large buffer: over WSL2's 9P bridge every
 * call is a round trip, so a folder of a few hundred renders costs one
 * call, and a short read ends the listing (9P, drvfs and Linux
 * filesystems fill the buffer while there is more).  FUSE hands out one
 * page per call, so there (short_is_eof false) only an empty read ends
 * it.  -1 (errno set) when the folder cannot be read.
 */
#define LIST_BUF	(256 * 1024)

struct linux_dirent64 {
	uint64_t	 d_ino;
	int64_t		 d_off;
	unsigned short	 d_reclen;
	unsigned char	 d_type;
	char		 d_name[];
};

static ssize_t
read_names(int fd, bool short_is_eof, struct name_type **out)
{
	static char *buf;
	struct name_type *names = NULL;
	size_t n = 0, alloc = 0;
	long got, off;

	if (buf == NULL)
		buf = xmalloc(LIST_BUF);
	for (;;) {
		got = syscall(SYS_getdents64, fd, buf, LIST_BUF);
		if (got < 0) {
			free_names(names, n);
			return -1;
		}
		for (off = 0; off < got; ) {
			struct linux_dirent64 *de =
			    (struct linux_dirent64 *)(buf + off);

			off += de->d_reclen;
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			ALLOC_GROW(names, n + 1, alloc);
			names[n].name = xstrdup(de->d_name);
			names[n].type = de->d_type;
			n++;
		}
		/* Room left for the longest entry: nothing more to read. */
		if (got == 0 || (short_is_eof &&
		    got < LIST_BUF - (long)sizeof(struct linux_dirent64) - 256))
			break;
	}
	if (n)
		qsort(names, n, sizeof(*names), nt_cmp);
	*out = names;
	return (ssize_t)n;
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
	ssize_t got;
	size_t n;
	int lfd;

	if ((lfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return NULL;
	if ((got = read_names(lfd, false, &names)) >= 0) {
		n = (size_t)got;
		if ((alt = near_miss(names, n, name)) != NULL)
			found = xstrdup(alt);
		free_names(names, n);
	}
	close(lfd);
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
	ssize_t got;
	int fd;

	if ((fd = folder_near_miss(rootfd, dir, &fixed)) < 0)
		goto out;
	got = read_names(fd, false, &names);
	close(fd);
	if (got < 0)
		goto out;
	n = (size_t)got;
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

/*
 * One media folder: open it (inside the root), read it once, and settle
 * every want that lives in it.  On a Windows drive each call is a round
 * trip, so this is an open, one read and a close: nothing per file.
 */
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

static void
scan_folder(struct scan *s, struct source_scan *src, int rootfd,
    const char *dir, const struct group *g)
{
	struct strbuf why = STRBUF_INIT;
	struct name_type *names = NULL, key;
	enum file_state state = FILE_MISSING;
	size_t i, n = 0;
	ssize_t got;
	int fd;

	if ((fd = open_folder(src, rootfd, dir, &why, &state)) < 0) {
		if (drive_gone(errno)) {
			source_lost(src, strerror(errno));
			goto settle_all;
		}
		src->missing_folders += errno == ENOENT;
		if (errno == ENOENT && *dir && state == FILE_MISSING)
			suggest_folder(s, rootfd, dir, g);
		else if (errno != ENOENT && state == FILE_MISSING)
			state = FILE_UNREADABLE;	/* EACCES, ... */
		goto settle_all;
	}
	if ((got = read_names(fd, src->short_is_eof, &names)) < 0) {
		if (drive_gone(errno))
			source_lost(src, strerror(errno));
		state = FILE_UNREADABLE;
		strbuf_printf(&why, "folder '%s': %s", dir, strerror(errno));
		close(fd);
		goto settle_all;
	}
	src->read_folders++;
	n = (size_t)got;
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
		keep_listing(src, dir, names, n);
	free_names(names, n);
	close(fd);
	strbuf_free(&why);
	return;
settle_all:
	for (i = 0; i < g->n; i++) {
		s->files[g->idx[i]].state = state;
		s->files[g->idx[i]].why = xstrdup(why.buf);
	}
	strbuf_free(&why);
}

/* A want's sort key, worked out once (the sort compares each often). */
struct wkey {
	const char *ref, *base;
	size_t	 dl;		/* length of its folder part */
	size_t	 idx;
};

/* By (folder, basename), to group the wants of each folder. */
static int
wkey_cmp(const void *a, const void *b)
{
	const struct wkey *x = a, *y = b;
	int c = strncmp(x->ref, y->ref, x->dl < y->dl ? x->dl : y->dl);

	if (c == 0 && x->dl != y->dl)
		c = x->dl < y->dl ? -1 : 1;
	return c ? c : strcmp(x->base, y->base);
}

/*
 * Not one referenced folder is there: perhaps the drive is not mounted
 * and its mount point is an empty folder (/mnt/e without E:).  Removing
 * every link as stale would be a guess, so an empty root counts as not
 * there.  Costs a listing only in this case.
 */
static void
check_empty_root(struct source_scan *src, int rootfd, const char *source)
{
	struct strbuf why = STRBUF_INIT;
	struct name_type *names;
	ssize_t n;
	int fd;

	if ((fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	n = read_names(fd, false, &names);
	close(fd);
	if (n < 0)
		return;
	free_names(names, (size_t)n);
	if (n > 0)
		return;
	strbuf_printf(&why, "%s is empty: is the drive mounted?", source);
	source_lost(src, why.buf);
	strbuf_free(&why);
}

static void
scan_sources(struct scan *s, const struct config *cfg, size_t set,
    const struct wantlist *w, int rootfd, int root_errno, bool short_is_eof)
{
	struct source_scan *src = &s->sources[set];
	struct strbuf dir = STRBUF_INIT;
	struct wkey *keys;
	size_t *idx = NULL, n = 0, i, j;

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

		if (w->v[i].set != set)
			continue;
		base = ref_basename(ref);
		keys[n].ref = ref;
		keys[n].base = base;
		keys[n].dl = base == ref ? 0 : (size_t)(base - ref - 1);
		keys[n++].idx = i;
	}
	qsort(keys, n, sizeof(*keys), wkey_cmp);
	idx = xcalloc(n + 1, sizeof(*idx));
	for (i = 0; i < n; i++)
		idx[i] = keys[i].idx;
	for (i = 0; i < n; i = j) {
		const char *ref = keys[i].ref;
		size_t dl = keys[i].dl;
		struct group g = { w, idx + i, 0 };

		for (j = i; j < n && keys[j].dl == dl &&
		    strncmp(keys[j].ref, ref, dl) == 0; j++)
			g.n++;
		strbuf_reset(&dir);
		strbuf_add(&dir, ref, dl);
		scan_folder(s, src, rootfd, dir.buf, &g);
	}
	free(idx);
	free(keys);
	strbuf_free(&dir);
	if (src->available && src->read_folders == 0 &&
	    src->missing_folders > 0)
		check_empty_root(src, rootfd, cfg->sets[set].source);
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
		scan_target(&out->targets[i], &cfg->sets[i], sitefd);
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
