/*
 * fsutil.h - the few filesystem primitives the scanner and the executor
 * share.  Everything works on folder descriptors with O_NOFOLLOW, so that
 * a path swapped for a symlink between two calls cannot redirect a write.
 */
#ifndef RL_FSUTIL_H
#define RL_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Names starting with this are renderlink's own temporaries. */
#define RL_TMP_PREFIX	".renderlink-tmp."

/*
 * Opens the folder rel (site-relative, "/"-separated, no ".." - the config
 * guarantees it) below rootfd, one component at a time, refusing to
 * follow symlinks.  With create, missing folders are made (mode 0777 &
 * ~umask), but never on a Windows filesystem (the error then is
 * fs_windows_refusal() for rel).  Returns 0 and *out; 1 when
 * a component is missing and create is off, with *out the deepest folder
 * that exists (to be closed too); -1 (error object set) when a component
 * is a symlink, not a folder, cannot be opened or made.
 */
int	 dir_walk(int *out, int rootfd, const char *rel, bool create);

/*
 * The name of the Windows-side filesystem fd lives on (NTFS through
 * ntfs-3g or ntfs3, drvfs, 9p, FUSE, a CIFS/SMB share), or NULL for a
 * Linux one.  The statfs magic decides, and the type of its mount in the
 * mount table (see mountinfo.h) where the magic cannot: WSL1 reports one
 * magic for drvfs and for lxfs, its Linux root.
 */
const char *fs_windows_name(int fd);

/* The same from a statfs magic and a mount type (NULL when unknown). */
const char *fs_windows_kind(unsigned long magic, const char *mount_type);

/*
 * Appends why no link is made in path, on the Windows filesystem fsname:
 * the one explanation the planner, the executor and dir_walk() give.
 */
void	 fs_windows_refusal(struct strbuf *out, const char *path,
	    const char *fsname);

/* The mount ID of an open fd, from /proc/self/fdinfo; -1 if unknown. */
long	 fd_mount_id(int fd);

/* Writes all of data to fd (retrying short writes); -1 with errno set. */
int	 fd_write_all(int fd, const void *data, size_t len);

/* The real path of an open fd (from /proc/self/fd). */
int	 fd_realpath(struct strbuf *out, int fd);

/* True if path is root or lies below it (lexically; both normalized). */
bool	 path_inside(const char *path, const char *root);
/*
 * True if text, a link text as found, names something strictly below
 * root (normalized): it starts with root and "/", and what follows has
 * no empty, "." or ".." segment - the texts renderlink writes.  So
 * "ROOT/../elsewhere" is not below ROOT.
 */
bool	 text_below(const char *text, const char *root);

/*
 * Reads name below dirfd into out.  Returns 0, 1 if it does not exist,
 * -1 on other errors.
 */
int	 file_read(struct strbuf *out, int dirfd, const char *name);

/*
 * Replaces name below dirfd with data atomically: a temporary in the same
 * folder, fsync, rename over.  display is used in messages.
 */
int	 file_write_atomic(int dirfd, const char *name, const void *data,
	    size_t len, const char *display);

/*
 * Makes path (site-relative, below sitefd) hold exactly text: its folders
 * are made as needed and the file replaced atomically, but only when its
 * bytes would change (so a run with nothing to do writes nothing).  old,
 * when not NULL, is what the caller already read from path; otherwise
 * the file is read to compare.  Sets *wrote.
 */
int	 file_update(int sitefd, const char *path, const char *text,
	    const char *old, bool *wrote);

/* A temporary name for name, unique to this process: ".renderlink-tmp.PID.N.name". */
void	 tmp_name(struct strbuf *out, const char *name);

/*
 * Removes what a killed run left of file_update(path): regular files
 * beside path named exactly as tmp_name() names path's temporaries.
 * Call it only under the site's exclusive lock, when no other run can be
 * writing.  Nothing else is touched; a folder that is not there is fine.
 * Returns the number removed.
 */
size_t	 tmp_sweep(int sitefd, const char *path);

#endif
