/*
 * mountinfo.h - the kernel's mount table, /proc/self/mountinfo, line by
 * line.
 *
 * Two modules read it: wslpath, to find where each Windows drive is
 * mounted, and fsutil, to tell what filesystem a folder is on where the
 * statfs magic cannot (WSL1 reports one magic for drvfs, its Windows
 * drives, and for lxfs, its own Linux root).  RENDERLINK_MOUNTINFO names
 * another file to read instead, so that tests can describe a WSL machine.
 */
#ifndef RL_MOUNTINFO_H
#define RL_MOUNTINFO_H

#include "strbuf.h"

/* One mount, its fields unescaped (\040 is a space and so on). */
struct mount_entry {
	long		 id;		/* the mount ID, field 1 */
	const char	*root;		/* the folder of the filesystem mounted */
	const char	*mountpoint;
	const char	*type;		/* "ext4", "drvfs", "9p", "cifs", ... */
	const char	*source;
	const char	*options;	/* the super options, "" when absent */
};

typedef void (*mount_fn)(const struct mount_entry *m, void *arg);

/* The file read: $RENDERLINK_MOUNTINFO if set, else /proc/self/mountinfo. */
const char *mountinfo_path(void);

/*
 * Reads the mount table into out (replacing its contents).  Returns 0, 1
 * when there is none (plain containers, chroots), -1 on other errors
 * (message set).
 */
int	 mountinfo_read(struct strbuf *out);

/* Calls fn for each line of text that is a mount, in order. */
void	 mountinfo_each(const char *text, mount_fn fn, void *arg);

/*
 * The type of the mount that holds path, the real path of a folder whose
 * mount ID is mnt_id (-1 when unknown): the line with that ID if its
 * mount point is above path, else the longest mount point above path, the
 * later line winning (it was mounted over the earlier one).  Sets type and
 * returns 0, or returns 1 when no line covers path.
 */
int	 mountinfo_type_of(struct strbuf *type, const char *text, long mnt_id,
	    const char *path);

#endif
