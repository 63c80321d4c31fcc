/*
 * wslpath.h - turn a configured media root into an absolute Linux path.
 *
 * The media root in _config.yml may be written the way the musician sees
 * it in Windows (E:\media\songs, e:/media, \\wsl$\Ubuntu\var\x), with
 * $VAR, ${VAR} or a leading ~.  We translate exactly as WSL's own
 * `wslpath -u` does, so a path that works in Explorer works here:
 *
 *   - "/" and "\" both separate; runs collapse; a "\\?\" prefix is dropped;
 *     "." and empty segments drop, ".." folds, ".." above the root is an
 *     error.
 *   - A drive letter (any case) maps through the mount table (drvfs, 9p
 *     with aname=drvfs;path=X:\, virtiofs), longest case-insensitive
 *     prefix ending at a separator wins; otherwise to automount root +
 *     lower-case letter.  An automount root given in the config wins over
 *     both.
 *   - \\wsl$\<distro>\ and \\wsl.localhost\<distro>\ map to "/", the distro
 *     checked against WSL_DISTRO_NAME; with that unset (sudo, services)
 *     they are errors, as in WSL.
 *   - "E:" alone, "E:foo", \\server\share\... are errors.
 *
 * This module reads no media: the only files it looks at are the mount
 * table (/proc/self/mountinfo, or $RENDERLINK_MOUNTINFO; see mountinfo.h)
 * and /etc/wsl.conf (plus, for virtiofs mounts, the tag symlinks WSL keeps
 * in /run/wsl/virtiofs), once, in wslpath_env_load().
 */
#ifndef RL_WSLPATH_H
#define RL_WSLPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* One Windows-visible mount: "E:\" (or "C:\Users\") seen at mountpoint. */
struct wsl_mount {
	char	*windows;	/* normalized, backslashes, ends with '\' */
	char	*linux;		/* the mount point, no trailing '/' */
};

struct wslpath_env {
	char	*automount_root;	/* always ends with '/', e.g. "/mnt/" */
	bool	 automount_forced;	/* set in the config: skip the mount table */
	char	*distro;		/* WSL_DISTRO_NAME, NULL when unset */
	struct wsl_mount *mounts;
	size_t	 nmounts;
};

/*
 * Fills env from the running system: the mount table, /etc/wsl.conf
 * ([automount] root=), WSL_DISTRO_NAME.  A non-NULL automount_root (from
 * the config) replaces both the mount table and wsl.conf.  Missing files
 * are not errors (plain Linux has neither).  Free with wslpath_env_free().
 */
int	 wslpath_env_load(struct wslpath_env *env, const char *automount_root);
void	 wslpath_env_free(struct wslpath_env *env);

/* The pieces of wslpath_env_load(), exposed for tests. */
int	 wslpath_mounts_parse(struct wslpath_env *env, const char *mountinfo);
/* The same, naming virtiofs shares through the symlinks WSL keeps in
 * tagdir (<tagdir>/<tag> -> C:\); wslpath_mounts_parse() reads none. */
int	 wslpath_mounts_parse_tagdir(struct wslpath_env *env,
	    const char *mountinfo, const char *tagdir);
/* Sets *out (malloc'd, trailing '/') from wsl.conf text; NULL if unset. */
int	 wslpath_wslconf_root(char **out, const char *wslconf);

/* True when s is written as a Windows path (drive letter or two leading
 * separators), i.e. when wslpath_to_linux() must translate it. */
bool	 wslpath_is_windows(const char *s);

/*
 * Translates a Windows path into a Linux one (appended to out).  Errors
 * name the value.
 */
int	 wslpath_to_linux(struct strbuf *out, const char *path,
	    const struct wslpath_env *env);

/*
 * The whole job for a configured path: expand $VAR, ${VAR} and a leading
 * ~ or ~/ (from HOME), translate Windows forms, make a relative Linux path
 * absolute against base_dir, fold "." and ".." and drop duplicate and
 * trailing slashes.  An unset variable is an error naming it.  The result
 * replaces out's contents.
 */
int	 wslpath_resolve(struct strbuf *out, const char *value,
	    const char *base_dir, const struct wslpath_env *env);

#endif
