/*
 * follow.c - which symlinks the site walk follows; see follow.h.
 *
 * Judged on what a link resolves to (an O_PATH descriptor: nothing is
 * opened for reading, so a FIFO cannot block and a render on the Windows
 * drive is not read), and on the folders the walk is in, by device and
 * inode: a link can reach a folder under another name, so names alone
 * cannot tell a loop or a target folder.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "follow.h"
#include "fsutil.h"
#include "sitewalk.h"
#include "util.h"

int
follow_init(struct follow *f, int sitefd, int srcfd,
    const struct site_rules *r)
{
	struct strbuf real = STRBUF_INIT;
	struct stat st;
	size_t i;
	int fd;

	memset(f, 0, sizeof(*f));
	strbuf_init(&f->src_real);
	f->safe = r->safe;
	if (fd_realpath(&f->src_real, srcfd) < 0)
		return -1;
	f->targets = xcalloc(r->ntargets ? r->ntargets : 1,
	    sizeof(*f->targets));
	f->ntargets = r->ntargets;
	for (i = 0; i < r->ntargets; i++) {
		struct follow_target *t = &f->targets[i];

		t->path = xstrdup(r->targets[i]);
		/* Where Jekyll would find it, links and all (renderlink
		 * refuses to write there through a link, but a user's link
		 * may lead there). */
		fd = openat(sitefd, t->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && fd_realpath(&real, fd) == 0) {
			t->real = strbuf_detach(&real);
			t->dev = st.st_dev;
			t->ino = st.st_ino;
		}
		close(fd);
	}
	strbuf_free(&real);
	return 0;
}

void
follow_free(struct follow *f)
{
	size_t i;

	for (i = 0; i < f->ntargets; i++) {
		free(f->targets[i].path);
		free(f->targets[i].real);
	}
	free(f->targets);
	free(f->stack);
	strbuf_free(&f->src_real);
	memset(f, 0, sizeof(*f));
}

static bool
at_target_path(const struct follow *f, const char *site)
{
	size_t i;

	for (i = 0; i < f->ntargets; i++)
		if (path_inside(site, f->targets[i].path))
			return true;
	return false;
}

bool
follow_push(struct follow *f, int dfd, const char *site, bool linked)
{
	struct follow_folder *top;
	struct stat st;
	bool in;
	size_t i;

	if (fstat(dfd, &st) < 0)
		return false;
	/* A real folder met again below a followed link: the loop is
	 * cut at once, not one round later. */
	for (i = 0; i < f->depth; i++)
		if (f->stack[i].dev == st.st_dev &&
		    f->stack[i].ino == st.st_ino)
			return false;
	in = f->depth > 0 && f->stack[f->depth - 1].in_target;
	for (i = 0; !in && i < f->ntargets; i++)
		in = f->targets[i].real != NULL &&
		    f->targets[i].dev == st.st_dev &&
		    f->targets[i].ino == st.st_ino;
	ALLOC_GROW(f->stack, f->depth + 1, f->alloc);
	top = &f->stack[f->depth++];
	top->dev = st.st_dev;
	top->ino = st.st_ino;
	top->in_target = in || at_target_path(f, site);
	top->via_link = linked ||
	    (f->depth > 1 && f->stack[f->depth - 2].via_link);
	return true;
}

bool
follow_via(const struct follow *f)
{
	return f->depth > 0 && f->stack[f->depth - 1].via_link;
}

bool
follow_in_target(const struct follow *f)
{
	return f->depth > 0 && f->stack[f->depth - 1].in_target;
}

void
follow_pop(struct follow *f)
{
	if (f->depth > 0)
		f->depth--;
}

static bool
in_target_real(const struct follow *f, const char *real)
{
	size_t i;

	for (i = 0; i < f->ntargets; i++)
		if (f->targets[i].real != NULL &&
		    path_inside(real, f->targets[i].real))
			return true;
	return false;
}

/*
 * Resolves the link name in dfd one hop at a time, as the kernel does,
 * and refuses when a hop lands in a target folder: a user's link to one
 * of renderlink's ("latest.mp3 -> songs/mp3s/Take 7.mp3") would
 * otherwise reach through it to the Windows drive.  Returns an O_PATH
 * descriptor of what the chain ends at, or -1.
 */
static int
resolve(const struct follow *f, int dfd, const char *name)
{
	struct strbuf text = STRBUF_INIT, real = STRBUF_INIT;
	struct strbuf cur = STRBUF_INIT;
	char buf[4096];
	const char *base;
	struct stat st;
	int dir, next, hop, fd = -1;
	char *slash;
	ssize_t n;

	if ((dir = dup(dfd)) < 0)
		return -1;
	strbuf_set(&cur, name);
	for (hop = 0; hop < 40; hop++) {
		n = readlinkat(dir, cur.buf, buf, sizeof(buf));
		if (n < 0 || (size_t)n == sizeof(buf))
			break;
		strbuf_reset(&text);
		strbuf_add(&text, buf, (size_t)n);
		slash = strrchr(text.buf, '/');
		base = slash ? slash + 1 : text.buf;
		if (*base == '\0' || strcmp(base, ".") == 0 ||
		    strcmp(base, "..") == 0) {
			/* a folder, named as one: the checks below do */
			fd = openat(dir, text.buf, O_PATH | O_CLOEXEC);
			break;
		}
		if (slash) {
			*slash = '\0';
			next = openat(dir, slash == text.buf ? "/" : text.buf,
			    O_PATH | O_DIRECTORY | O_CLOEXEC);
			close(dir);
			if ((dir = next) < 0)
				break;
		}
		if (fd_realpath(&real, dir) < 0 || in_target_real(f, real.buf))
			break;
		strbuf_set(&cur, base);
		if (fstatat(dir, cur.buf, &st, AT_SYMLINK_NOFOLLOW) < 0)
			break;
		if (!S_ISLNK(st.st_mode)) {
			fd = openat(dir, cur.buf, O_PATH | O_NOFOLLOW |
			    O_CLOEXEC);
			break;
		}
	}
	if (dir >= 0)
		close(dir);
	strbuf_free(&text);
	strbuf_free(&real);
	strbuf_free(&cur);
	return fd;
}

int
follow_link(struct follow *f, int dfd, const char *name, const char *site,
    struct stat *st, int *pfd)
{
	struct strbuf real = STRBUF_INIT;
	size_t i;
	int fd, r = 1;

	if ((f->depth > 0 && f->stack[f->depth - 1].in_target) ||
	    at_target_path(f, site))
		return 1;
	/* Dangling, a loop of links, through a target, or not ours to
	 * look at: skipped. */
	if ((fd = resolve(f, dfd, name)) < 0)
		return 1;
	if (fstat(fd, st) < 0 ||
	    (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) ||
	    fd_realpath(&real, fd) < 0 || in_target_real(f, real.buf))
		goto out;
	if (f->safe && !path_inside(real.buf, f->src_real.buf))
		goto out;
	if (S_ISDIR(st->st_mode))
		for (i = 0; i < f->depth; i++)
			if (f->stack[i].dev == st->st_dev &&
			    f->stack[i].ino == st->st_ino)
				goto out;
	*pfd = fd;
	fd = -1;
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	strbuf_free(&real);
	return r;
}
