/*
 * fsutil.c - folder walks without following links, filesystem type
 * checks, atomic file writes; see fsutil.h.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "mountinfo.h"
#include "util.h"

/* statfs f_type values (FACTS.md, linux/magic.h). */
#define MAGIC_NTFS	0x5346544e
#define MAGIC_NTFS3	0x7366746e
#define MAGIC_FUSE	0x65735546
#define MAGIC_9P	0x01021997
#define MAGIC_CIFS	0xFF534D42
#define MAGIC_SMB2	0xFE534D42
/* WSL1's: its Windows drives (drvfs) and its Linux root (lxfs) alike. */
#define MAGIC_WSLFS	0x53464846

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
				/* The plan-time refusal's words (scan.c). */
				strbuf_reset(&comp);
				fs_windows_refusal(&comp, rel, fsname);
				rl_error_set("%s", comp.buf);
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
fs_windows_kind(unsigned long magic, const char *mount_type)
{
	switch (magic) {
	case MAGIC_NTFS:	return "NTFS";
	case MAGIC_NTFS3:	return "NTFS (ntfs3)";
	case MAGIC_FUSE:	return "FUSE (ntfs-3g or virtiofs)";
	case MAGIC_9P:		return "9p (WSL2 drvfs)";
	case MAGIC_CIFS:	return "CIFS (a Windows share)";
	case MAGIC_SMB2:	return "SMB2 (a Windows share)";
	default:		break;
	}
	/* The mount table names the filesystem where the magic cannot. */
	if (mount_type != NULL) {
		if (strcmp(mount_type, "drvfs") == 0)
			return "drvfs (WSL1)";
		if (strcmp(mount_type, "cifs") == 0 ||
		    strcmp(mount_type, "smb3") == 0)
			return "CIFS (a Windows share)";
		if (magic == MAGIC_WSLFS && (strcmp(mount_type, "lxfs") == 0 ||
		    strcmp(mount_type, "wslfs") == 0))
			return NULL;
	}
	if (magic == MAGIC_WSLFS)
		return "drvfs or lxfs (WSL1), not told apart by the mount "
		    "table";
	return NULL;
}

long
fd_mount_id(int fd)
{
	struct strbuf sb = STRBUF_INIT;
	char name[64];
	const char *p;
	long id = -1;

	snprintf(name, sizeof(name), "/proc/self/fdinfo/%d", fd);
	if (file_read(&sb, AT_FDCWD, name) == 0 &&
	    (p = strstr(sb.buf, "mnt_id:")) != NULL &&
	    (p == sb.buf || p[-1] == '\n'))
		id = strtol(p + 7, NULL, 10);
	strbuf_free(&sb);
	return id;
}

const char *
fs_windows_name(int fd)
{
	struct strbuf mi = STRBUF_INIT, path = STRBUF_INIT;
	struct strbuf type = STRBUF_INIT;
	struct statfs sf;
	const char *name;
	bool known;

	if (fstatfs(fd, &sf) < 0)
		return NULL;
	known = mountinfo_read(&mi) == 0 && fd_realpath(&path, fd) == 0 &&
	    mountinfo_type_of(&type, mi.buf, fd_mount_id(fd), path.buf) == 0;
	name = fs_windows_kind((unsigned long)sf.f_type,
	    known ? type.buf : NULL);
	strbuf_free(&mi);
	strbuf_free(&path);
	strbuf_free(&type);
	return name;
}

void
fs_windows_refusal(struct strbuf *out, const char *path, const char *fsname)
{
	strbuf_printf(out, "'%s' is on a Windows filesystem (%s); Linux "
	    "symlinks made there cannot be opened from Windows: keep the site "
	    "on the Linux side", path, fsname);
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

bool
text_below(const char *text, const char *root)
{
	size_t n = strlen(root);
	const char *p, *end;

	if (strncmp(text, root, n) != 0 || (n > 1 && text[n] != '/'))
		return false;
	p = text + n + (n > 1);
	if (n == 1 && root[0] == '/')
		p = text + 1;
	if (*p == '\0')
		return false;
	for (;; p = end + 1) {
		end = strchrnul(p, '/');
		if (end == p || (end - p == 1 && p[0] == '.') ||
		    (end - p == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (*end == '\0')
			return true;
	}
}

int
file_read(struct strbuf *out, int dirfd, const char *name)
{
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? 1 :
		    rl_error_set("%s: %s", name, strerror(errno));
	strbuf_reset(out);
	/* Room for the whole file at once (and one byte more, to see the
	 * end): a 10 MB index read in 64 KiB steps would double its buffer
	 * to 16 MB, and a big site must fit in a small memory. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		strbuf_grow(out, (size_t)st.st_size + 1);
	for (;;) {
		if (out->alloc <= out->len + 1)
			strbuf_grow(out, 65536);
		n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (n <= 0)
			break;
		strbuf_setlen(out, out->len + (size_t)n);
	}
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

/* Whether name is one of tmp_name(base)'s: ".renderlink-tmp.PID.N.base". */
static bool
is_tmp_of(const char *name, const char *base)
{
	const char *p;
	size_t i, keep = strlen(base);

	if (strncmp(name, RL_TMP_PREFIX, strlen(RL_TMP_PREFIX)) != 0)
		return false;
	p = name + strlen(RL_TMP_PREFIX);
	for (i = 0; i < 2; i++) {
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p++ != '.')
			return false;
	}
	if (keep > 200)
		keep = 200;
	return strlen(p) == keep && strncmp(p, base, keep) == 0;
}

size_t
tmp_sweep(int sitefd, const char *path)
{
	struct strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *d;
	int dfd, r;

	if (slash)
		strbuf_add(&dir, path, (size_t)(slash - path));
	r = dir_walk(&dfd, sitefd, dir.buf, false);
	strbuf_free(&dir);
	if (r == 1)
		close(dfd);
	if (r != 0)
		return 0;
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return 0;
	}
	while ((de = readdir(d)) != NULL)
		if (is_tmp_of(de->d_name, base) &&
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && unlinkat(dfd, de->d_name, 0) == 0)
			n++;
	closedir(d);
	return n;
}

int
fd_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
file_write_atomic(int dirfd, const char *name, const void *data, size_t len,
    const char *display)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *p = data;
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
	if (fd_write_all(fd, p, len) < 0 || fsync(fd) < 0)
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
