/*
 * fsutil.c - folder walks without following links, filesystem type
 * checks, atomic file writes; see fsutil.h.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "util.h"

/* statfs f_type values (FACTS.md, linux/magic.h). */
#define MAGIC_NTFS	0x5346544e
#define MAGIC_NTFS3	0x7366746e
#define MAGIC_FUSE	0x65735546
#define MAGIC_9P	0x01021997
#define MAGIC_DRVFS	0x53464846

int
dir_walk(int *out, int rootfd, const char *rel, bool create)
{
	struct strbuf comp = STRBUF_INIT;
	const char *p = rel, *end = rel;
	struct stat st;
	int fd, next, e;

	if ((fd = dup(rootfd)) < 0)
		return rl_error_set("dup: %s", strerror(errno));
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		if (end == p)
			continue;
		strbuf_reset(&comp);
		strbuf_add(&comp, p, (size_t)(end - p));
		next = openat(fd, comp.buf,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			const char *fsname = fs_windows_name(fd);

			if (fsname) {
				rl_error_set("'%.*s' would be made on a Windows "
				    "filesystem (%s); refusing", (int)(end - rel),
				    rel, fsname);
				close(fd);
				strbuf_free(&comp);
				return -1;
			}
			if (mkdirat(fd, comp.buf, 0777) == 0 ||
			    errno == EEXIST)
				next = openat(fd, comp.buf, O_RDONLY |
				    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (next < 0)
			break;
		close(fd);
		fd = next;
	}
	if (*p == '\0') {
		strbuf_free(&comp);
		*out = fd;
		return 0;
	}
	e = errno;
	if (e == ENOENT && !create) {
		*out = fd;
		strbuf_free(&comp);
		return 1;
	}
	if (fstatat(fd, comp.buf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		rl_error_set("'%.*s' is a symlink; renderlink only writes in "
		    "real folders of the site", (int)(end - rel), rel);
	else if (e == ENOTDIR)
		rl_error_set("'%.*s' is not a folder", (int)(end - rel), rel);
	else
		rl_error_set("'%.*s': %s", (int)(end - rel), rel, strerror(e));
	close(fd);
	strbuf_free(&comp);
	return -1;
}

const char *
fs_windows_name(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return NULL;
	switch ((unsigned long)sf.f_type) {
	case MAGIC_NTFS:	return "NTFS";
	case MAGIC_NTFS3:	return "NTFS (ntfs3)";
	case MAGIC_FUSE:	return "FUSE (ntfs-3g or virtiofs)";
	case MAGIC_9P:		return "9p (WSL2 drvfs)";
	case MAGIC_DRVFS:	return "drvfs (WSL1)";
	default:		return NULL;
	}
}

int
fd_realpath(struct strbuf *out, int fd)
{
	char proc[64];
	char buf[4096];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((n = readlink(proc, buf, sizeof(buf))) < 0)
		return rl_error_set("%s: %s", proc, strerror(errno));
	if ((size_t)n == sizeof(buf))
		return rl_error_set("%s: path too long", proc);
	strbuf_reset(out);
	strbuf_add(out, buf, (size_t)n);
	return 0;
}

bool
path_inside(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return strncmp(path, root, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

int
file_read(struct strbuf *out, int dirfd, const char *name)
{
	char buf[65536];
	ssize_t n;
	int fd;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? 1 :
		    rl_error_set("%s: %s", name, strerror(errno));
	strbuf_reset(out);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	close(fd);
	if (n < 0)
		return rl_error_set("%s: %s", name, strerror(errno));
	return 0;
}

void
tmp_name(struct strbuf *out, const char *name)
{
	static unsigned seq;
	size_t keep = strlen(name);

	/* Stay below NAME_MAX whatever the name. */
	if (keep > 200)
		keep = 200;
	strbuf_reset(out);
	strbuf_printf(out, RL_TMP_PREFIX "%ld.%u.%.*s", (long)getpid(), seq++,
	    (int)keep, name);
}

int
file_write_atomic(int dirfd, const char *name, const void *data, size_t len,
    const char *display)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *p = data;
	ssize_t n;
	int fd;

	tmp_name(&tmp, name);
	fd = openat(dirfd, tmp.buf,
	    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd < 0) {
		rl_error_set("%s: cannot create temporary: %s", display,
		    strerror(errno));
		strbuf_free(&tmp);
		return -1;
	}
	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp.buf, dirfd, name) < 0)
		goto fail;
	strbuf_free(&tmp);
	return 0;
fail:
	rl_error_set("%s: %s", display, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp.buf, 0);
	strbuf_free(&tmp);
	return -1;
}

int
file_update(int sitefd, const char *path, const char *text, const char *old,
    bool *wrote)
{
	struct strbuf cur = STRBUF_INIT, dir = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	int r, dfd;

	*wrote = false;
	if (old == NULL && file_read(&cur, sitefd, path) == 0)
		old = cur.buf;
	r = old != NULL && strcmp(old, text) == 0;
	strbuf_free(&cur);
	if (r)
		return 0;
	if (slash)
		strbuf_add(&dir, path, (size_t)(slash - path));
	if (dir_walk(&dfd, sitefd, dir.buf, true) != 0) {
		strbuf_free(&dir);
		return rl_error_prefix("%s", path);
	}
	strbuf_free(&dir);
	r = file_write_atomic(dfd, slash ? slash + 1 : path, text,
	    strlen(text), path);
	close(dfd);
	*wrote = r == 0;
	return r;
}
