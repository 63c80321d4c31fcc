/*
 * repo.h - the site's git repository, through libgit2 (never the git
 * command).
 *
 * The pre-commit hook must judge what is being committed: the staged
 * entries (git's index), not the work tree.  This module finds the
 * repository around a site (the site may be a sub-folder of the work tree,
 * a worktree, or a submodule; the repository may have no commits yet),
 * lists what is staged below the site, reads staged blobs, asks git's
 * ignore rules, and knows which hooks folder git really uses
 * (core.hooksPath, relative to the work tree root when relative; worktrees
 * share the common folder's hooks).
 */
#ifndef RL_REPO_H
#define RL_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "strbuf.h"

struct repo {
	git_repository	*git;
	char		*workdir;	/* absolute, no trailing '/' */
	char		*prefix;	/* site root below workdir: "" or "a/b" */
	char		*hooks_dir;	/* absolute; the one git runs hooks from */
	char		*common_dir;	/* absolute; holds info/exclude */
};

/*
 * Finds the repository that holds site_root (an absolute path), searching
 * upwards as git does.  Returns 0, 1 when site_root is in no repository
 * (*out NULL, nothing to check), -1 on error (bare repository, unreadable
 * repository: error object set).  Initializes libgit2 as needed.
 */
int	 repo_open(struct repo **out, const char *site_root);
void	 repo_free(struct repo *r);

struct staged_entry {
	char		*path;		/* relative to the site root */
	uint32_t	 mode;		/* 0100644, 0100755, 0120000, 0160000 */
	git_oid		 id;
};

struct staged {
	struct staged_entry *v;		/* sorted by path */
	size_t		 n;
};

/*
 * Every entry of git's index (stage 0) below the site, read from disk.
 * The index is $GIT_INDEX_FILE when set (what `git commit -a` and
 * `git commit FILE` hand their pre-commit hook; relative to the work tree
 * root, where git runs hooks), else the repository's.
 * Intent-to-add entries (`git add -N`) are left out: they commit nothing.
 */
int	 repo_staged(struct staged *out, struct repo *r);
void	 staged_free(struct staged *s);

/*
 * Whether git is committing only the paths named on its command line
 * (`git commit FILE...`, `--only`).  git then builds a temporary index,
 * HEAD plus those paths as they are in the work tree, and hands the hook
 * its name in GIT_INDEX_FILE: "next-index-<pid>.lock" in the git folder
 * (the worktree's own one in a worktree).  Measured with git 2.39: plain
 * `git commit` hands ".git/index", `git commit -a` and `git commit -i
 * FILE` "<git folder>/index.lock", the real index being updated.  In such
 * a commit `git add` reaches the real index only, never the commit.
 *
 * Returns 1 for such a commit, with *paths (n of them, freed with
 * repo_paths_free) what it changes against HEAD, from the top of the work
 * tree; 0 when git commits its index as a whole (*paths NULL, *n 0); -1
 * on error.
 */
int	 repo_partial_commit(char ***paths, size_t *n, struct repo *r);
void	 repo_paths_free(char **paths, size_t n);

/* The content of a blob (a staged file, or a symlink's target text). */
int	 repo_blob(struct strbuf *out, struct repo *r, const git_oid *id);
/* Only the size of a blob, without reading it. */
int	 repo_blob_size(uint64_t *out, struct repo *r, const git_oid *id);

/*
 * Whether git would ignore site_rel (relative to the site root; a folder
 * is asked about with a trailing '/').
 */
int	 repo_is_ignored(bool *out, struct repo *r, const char *site_rel);

/*
 * Appends each of lines (gitignore patterns) that is not already a line
 * of <common_dir>/info/exclude to it, creating the file (and info/) if
 * needed.  Never rewrites what is there.  *added counts the lines added.
 */
int	 repo_exclude_add(struct repo *r, const char *const *lines, size_t n,
	    size_t *added);

#endif
