/*
 * doctor.h - what `renderlink doctor` checks share: the list of results
 * and what is known about the site.
 *
 * Each check adds one result per thing it looked at: a status (ok, warn,
 * error), what it found, and, unless all is well, what to do about it.
 * The checks are grouped by what they look at (doctor_media.c: the media
 * roots; doctor_jekyll.c: Jekyll's settings and how renderlink runs
 * before a build; doctor_git.c: the hook, the ignore rules, the index);
 * builtin/doctor.c runs them and prints the results.  Nothing here
 * writes.
 */
#ifndef RL_DOCTOR_H
#define RL_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

struct config;

enum dstatus { DOCTOR_OK, DOCTOR_WARN, DOCTOR_ERROR };

struct dcheck {
	enum dstatus	 status;
	char		*check;		/* "media-root", "git-hook", ... */
	char		*subject;	/* what it is about (a set, a plug-in),
					   or NULL */
	char		*message;	/* what was found */
	char		*advice;	/* what to do, or NULL */
};

struct doctor {
	struct dcheck	*v;
	size_t		 n, alloc;
	/* What the checks know about the site. */
	const char	*root;		/* absolute site root */
	int		 sitefd;
	const struct config *cfg;	/* NULL when it could not be read */
	int		 wsl;		/* 0 (not WSL), 1 or 2 */
};

/* Adds a result; advice may be NULL.  The strings are copied. */
__attribute__((format(printf, 6, 7)))
void	 doctor_add(struct doctor *d, enum dstatus st, const char *check,
	    const char *subject, const char *advice, const char *fmt, ...);
void	 doctor_free(struct doctor *d);

/* The WSL version, from $RENDERLINK_PROC_ROOT/sys/kernel/osrelease
 * (default /proc); sets d->wsl.  doctor.c. */
void	 doctor_wsl(struct doctor *d);

/* doctor_media.c: each media root (there, filesystem, mount options),
 * and what its case rules mean for references. */
void	 doctor_media(struct doctor *d);

/* doctor_jekyll.c: safe mode, JEKYLL_ENV, keep_files, and what runs
 * renderlink before a build.  Without a config only what needs none. */
void	 doctor_jekyll(struct doctor *d);

/* doctor_git.c: the pre-commit hook; with a config also the ignore
 * rules for the target folders and the front matter index. */
void	 doctor_git(struct doctor *d);

/*
 * The mount that holds path (a real path) in the mount table: its type,
 * mount point and super options, or false when the table is not there
 * or no line covers it.  doctor_media.c, also for the site's own check.
 */
struct strbuf;
bool	 doctor_mount_of(const char *path, long mnt_id, struct strbuf *type,
	    struct strbuf *mountpoint, struct strbuf *options);

/* Reads the file at path, following links (a hook or a program on PATH
 * may be one); 0, or -1 with errno set. */
int	 doctor_read(struct strbuf *out, const char *path);

#endif
