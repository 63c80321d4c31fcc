/*
 * test_repo.c - the repository around a site, as the pre-commit hook sees
 * it: found from sub-folders, worktrees and submodules, what is staged
 * (not what is in the work tree), the hooks folder git really runs, ignore
 * rules, and info/exclude only ever appended to.
 *
 * Fixtures are made with the git command in a fresh temporary folder, with
 * HOME pointing there and no system config, so no user setting leaks in.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "repo.h"
#include "strbuf.h"
#include "util.h"

#define TR_GIT	"git -c user.name=t -c user.email=t@t " \
		"-c init.defaultBranch=main"

static struct strbuf tr_dir = STRBUF_INIT;
static struct strbuf tr_ring[8];
static size_t tr_next;

/* dir/rel, valid until eight more calls (or the end of the test). */
static const char *
tr_at(const char *rel)
{
	struct strbuf *sb = &tr_ring[tr_next++ % ARRAY_SIZE(tr_ring)];

	strbuf_set(sb, tr_dir.buf);
	strbuf_joinpath(sb, rel);
	return sb->buf;
}

/* Runs a shell command in the temporary folder; it must succeed. */
__attribute__((format(printf, 1, 2)))
static void
tr_sh(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int st;

	strbuf_printf(&cmd, "cd '%s' && { ", tr_dir.buf);
	va_start(ap, fmt);
	strbuf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	strbuf_puts(&cmd, "; } >/dev/null");
	st = system(cmd.buf);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "failed: %s",
	    cmd.buf);
	strbuf_free(&cmd);
}

static void
tr_write(const char *rel, const char *text)
{
	FILE *fp = fopen(tr_at(rel), "w");

	cr_assert_not_null(fp, "cannot write %s", rel);
	fputs(text, fp);
	fclose(fp);
}

static void
tr_read(struct strbuf *out, const char *rel)
{
	char buf[4096];
	size_t n;
	FILE *fp = fopen(tr_at(rel), "r");

	cr_assert_not_null(fp, "cannot read %s", rel);
	strbuf_reset(out);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(out, buf, n);
	fclose(fp);
}

static int
tr_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
tr_setup(void)
{
	char tmpl[] = "/tmp/rl_repo_XXXXXX";
	char *real;
	size_t i;

	cr_assert_not_null(mkdtemp(tmpl));
	/* /tmp may be a link; repo.c reports physical paths */
	cr_assert_not_null(real = realpath(tmpl, NULL));
	strbuf_set(&tr_dir, real);
	free(real);
	for (i = 0; i < ARRAY_SIZE(tr_ring); i++)
		strbuf_init(&tr_ring[i]);
	setenv("HOME", tr_dir.buf, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	/* set when the tests themselves run from a git hook */
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_COMMON_DIR");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_CEILING_DIRECTORIES");
	/*
	 * Criterion itself initialises libgit2 before any test, which then
	 * computed its config search paths from the real HOME: point them
	 * here, so that neither ~/.gitconfig nor /etc/gitconfig leaks in and
	 * "~" means this folder.
	 */
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL,
	    tr_dir.buf);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG,
	    tr_at("no-xdg"));
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM,
	    tr_at("no-system"));
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
	    GIT_CONFIG_LEVEL_PROGRAMDATA, tr_at("no-programdata"));
}

static void
tr_teardown(void)
{
	size_t i;

	git_libgit2_shutdown();
	nftw(tr_dir.buf, tr_rm, 16, FTW_DEPTH | FTW_PHYS);
	strbuf_free(&tr_dir);
	for (i = 0; i < ARRAY_SIZE(tr_ring); i++)
		strbuf_free(&tr_ring[i]);
}

static struct repo *
tr_open(const char *rel)
{
	struct repo *r = NULL;
	int rc = repo_open(&r, tr_at(rel));

	cr_assert_eq(rc, 0, "repo_open %s: %d %s", rel, rc, rl_error_last());
	cr_assert_not_null(r);
	return r;
}

TestSuite(repo, .init = tr_setup, .fini = tr_teardown);

Test(repo, site_at_work_tree_root)
{
	struct repo *r;

	tr_sh(TR_GIT " init -q r");
	r = tr_open("r");
	cr_assert_str_eq(r->workdir, tr_at("r"));
	cr_assert_str_eq(r->prefix, "");
	cr_assert_str_eq(r->common_dir, tr_at("r/.git"));
	cr_assert_str_eq(r->hooks_dir, tr_at("r/.git/hooks"));
	repo_free(r);
}

Test(repo, site_in_subfolder_lists_only_its_entries)
{
	struct repo *r;
	struct staged s;

	tr_sh(TR_GIT " init -q r && mkdir -p r/site/sub r/sitex");
	tr_write("r/top.md", "t\n");
	tr_write("r/site/a.md", "a\n");
	tr_write("r/site/sub/b.md", "b\n");
	tr_write("r/sitex/c.md", "c\n");
	tr_sh("cd r && " TR_GIT " add .");
	r = tr_open("r/site");
	cr_assert_str_eq(r->workdir, tr_at("r"));
	cr_assert_str_eq(r->prefix, "site");
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.v[0].path, "a.md");
	cr_assert_str_eq(s.v[1].path, "sub/b.md");
	staged_free(&s);
	repo_free(r);
}

Test(repo, deep_site_through_a_symlink)
{
	struct repo *r;

	tr_sh(TR_GIT " init -q r && mkdir -p r/a/b/c && ln -s r/a link");
	r = tr_open("link/b/c");
	cr_assert_str_eq(r->workdir, tr_at("r"));
	cr_assert_str_eq(r->prefix, "a/b/c");
	repo_free(r);
}

Test(repo, not_a_repository_is_one)
{
	struct repo *r = (struct repo *)1;

	tr_sh("mkdir plain");
	cr_assert_eq(repo_open(&r, tr_at("plain")), 1);
	cr_assert_null(r);
}

Test(repo, missing_site_is_an_error)
{
	struct repo *r;

	cr_assert_eq(repo_open(&r, tr_at("nowhere")), -1);
	cr_assert_null(r);
	cr_assert_not_null(strstr(rl_error_last(), "nowhere"));
}

Test(repo, bare_repository_is_an_error)
{
	struct repo *r;

	tr_sh(TR_GIT " init -q --bare b.git");
	cr_assert_eq(repo_open(&r, tr_at("b.git")), -1);
	cr_assert_null(r);
	cr_assert_not_null(strstr(rl_error_last(), "bare"), "%s",
	    rl_error_last());
}

Test(repo, empty_repository_has_nothing_staged)
{
	struct repo *r;
	struct staged s;

	tr_sh(TR_GIT " init -q r");
	r = tr_open("r");
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 0);
	staged_free(&s);
	repo_free(r);
}

Test(repo, staged_before_first_commit_with_modes_and_blobs)
{
	struct repo *r;
	struct staged s;
	struct strbuf b = STRBUF_INIT;
	uint64_t size;

	tr_sh(TR_GIT " init -q r");
	tr_write("r/a.txt", "hello\n");
	tr_write("r/run.sh", "#!/bin/sh\n");
	tr_sh("chmod +x r/run.sh && ln -s ../target/x.mp3 r/link");
	tr_sh("cd r && " TR_GIT " add a.txt run.sh link");
	r = tr_open("r");
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 3);
	cr_assert_str_eq(s.v[0].path, "a.txt");
	cr_assert_str_eq(s.v[1].path, "link");
	cr_assert_str_eq(s.v[2].path, "run.sh");
	cr_assert_eq(s.v[0].mode, 0100644);
	cr_assert_eq(s.v[1].mode, 0120000);
	cr_assert_eq(s.v[2].mode, 0100755);

	cr_assert_eq(repo_blob(&b, r, &s.v[1].id), 0, "%s", rl_error_last());
	cr_assert_str_eq(b.buf, "../target/x.mp3");
	cr_assert_eq(repo_blob_size(&size, r, &s.v[1].id), 0);
	cr_assert_eq(size, strlen("../target/x.mp3"));

	/* an unstaged edit is not what gets committed */
	tr_write("r/a.txt", "edited in the work tree\n");
	cr_assert_eq(repo_blob(&b, r, &s.v[0].id), 0, "%s", rl_error_last());
	cr_assert_str_eq(b.buf, "hello\n");
	cr_assert_eq(repo_blob_size(&size, r, &s.v[0].id), 0);
	cr_assert_eq(size, 6);
	staged_free(&s);

	/* staging it changes what the same open repository reports */
	tr_sh("cd r && " TR_GIT " add a.txt");
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 3);
	cr_assert_eq(repo_blob(&b, r, &s.v[0].id), 0, "%s", rl_error_last());
	cr_assert_str_eq(b.buf, "edited in the work tree\n");
	staged_free(&s);
	strbuf_free(&b);
	repo_free(r);
}

Test(repo, intent_to_add_and_removed_files_are_not_staged)
{
	struct repo *r;
	struct staged s;

	tr_sh(TR_GIT " init -q r");
	tr_write("r/keep.md", "k\n");
	tr_write("r/gone.md", "g\n");
	tr_write("r/later.md", "l\n");
	tr_sh("cd r && " TR_GIT " add keep.md gone.md && "
	    TR_GIT " commit -qm one && " TR_GIT " rm -q gone.md && "
	    TR_GIT " add -N later.md");
	r = tr_open("r");
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].path, "keep.md");
	staged_free(&s);
	repo_free(r);
}

Test(repo, sorted_bytewise_even_when_ignorecase)
{
	struct repo *r;
	struct staged s;

	tr_sh(TR_GIT " init -q r && cd r && git config core.ignorecase true");
	tr_write("r/b.md", "b\n");
	tr_write("r/C.md", "c\n");
	tr_write("r/a.md", "a\n");
	tr_sh("cd r && " TR_GIT " add .");
	r = tr_open("r");
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 3);
	cr_assert_str_eq(s.v[0].path, "C.md");
	cr_assert_str_eq(s.v[1].path, "a.md");
	cr_assert_str_eq(s.v[2].path, "b.md");
	staged_free(&s);
	repo_free(r);
}

/* What `git commit -a` / `git commit FILE` hands its pre-commit hook. */
Test(repo, honours_git_index_file)
{
	struct repo *r;
	struct staged s;

	tr_sh(TR_GIT " init -q r");
	tr_write("r/in_default.md", "d\n");
	tr_write("r/in_temp.md", "t\n");
	tr_sh("cd r && " TR_GIT " add in_default.md && "
	    "GIT_INDEX_FILE=.git/temp-index " TR_GIT " add in_temp.md");
	r = tr_open("r");
	setenv("GIT_INDEX_FILE", tr_at("r/.git/temp-index"), 1);
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].path, "in_temp.md");
	staged_free(&s);
	/* relative, as a plain `git commit` passes it: from the work tree */
	setenv("GIT_INDEX_FILE", ".git/temp-index", 1);
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].path, "in_temp.md");
	staged_free(&s);
	unsetenv("GIT_INDEX_FILE");
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].path, "in_default.md");
	staged_free(&s);
	repo_free(r);
}

Test(repo, worktree_uses_common_hooks)
{
	struct repo *r;
	struct staged s;
	struct strbuf text = STRBUF_INIT;
	const char *lines[] = { "wt-only/" };
	size_t added;

	tr_sh(TR_GIT " init -q r");
	tr_write("r/a.md", "a\n");
	tr_sh("cd r && " TR_GIT " add a.md && " TR_GIT " commit -qm one && "
	    TR_GIT " worktree add -q ../wt 2>/dev/null");
	r = tr_open("wt");
	cr_assert_str_eq(r->workdir, tr_at("wt"));
	cr_assert_str_eq(r->prefix, "");
	cr_assert_str_eq(r->hooks_dir, tr_at("r/.git/hooks"));
	cr_assert_str_eq(r->common_dir, tr_at("r/.git"));
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].path, "a.md");
	staged_free(&s);
	cr_assert_eq(repo_exclude_add(r, lines, 1, &added), 0, "%s",
	    rl_error_last());
	cr_assert_eq(added, 1);
	tr_read(&text, "r/.git/info/exclude");
	cr_assert_not_null(strstr(text.buf, "\nwt-only/\n"));
	strbuf_free(&text);
	repo_free(r);
}

Test(repo, hooks_path_relative_to_work_tree_root)
{
	struct repo *r;

	tr_sh(TR_GIT " init -q r && mkdir -p r/site && "
	    "git -C r config core.hooksPath .githooks");
	r = tr_open("r/site");
	cr_assert_str_eq(r->hooks_dir, tr_at("r/.githooks"));
	repo_free(r);
}

Test(repo, hooks_path_absolute_and_home)
{
	struct repo *r;

	tr_sh(TR_GIT " init -q r && git -C r config core.hooksPath '%s'",
	    tr_at("elsewhere/hooks/"));
	r = tr_open("r");
	cr_assert_str_eq(r->hooks_dir, tr_at("elsewhere/hooks"));
	repo_free(r);

	/* HOME is the temporary folder */
	tr_sh("git -C r config core.hooksPath '~/myhooks'");
	r = tr_open("r");
	cr_assert_str_eq(r->hooks_dir, tr_at("myhooks"));
	repo_free(r);
}

Test(repo, submodule_has_its_own_work_tree_and_hooks)
{
	struct repo *r;
	struct staged s;

	tr_sh(TR_GIT " init -q lib && mkdir lib/site");
	tr_write("lib/site/song.md", "s\n");
	tr_write("lib/README", "r\n");
	tr_sh("cd lib && " TR_GIT " add . && " TR_GIT " commit -qm lib");
	tr_sh(TR_GIT " init -q r");
	tr_write("r/top.md", "t\n");
	tr_sh("cd r && " TR_GIT " add top.md && " TR_GIT " commit -qm top && "
	    TR_GIT " -c protocol.file.allow=always submodule add -q '%s' sub",
	    tr_at("lib"));
	r = tr_open("r/sub/site");
	cr_assert_str_eq(r->workdir, tr_at("r/sub"));
	cr_assert_str_eq(r->prefix, "site");
	cr_assert_str_eq(r->common_dir, tr_at("r/.git/modules/sub"));
	cr_assert_str_eq(r->hooks_dir, tr_at("r/.git/modules/sub/hooks"));
	cr_assert_eq(repo_staged(&s, r), 0, "%s", rl_error_last());
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].path, "song.md");
	staged_free(&s);
	repo_free(r);
}

static bool
tr_ignored(struct repo *r, const char *rel)
{
	bool ign = false;

	cr_assert_eq(repo_is_ignored(&ign, r, rel), 0, "%s: %s", rel,
	    rl_error_last());
	return ign;
}

/* repo_partial_commit with GIT_INDEX_FILE set to index (NULL: unset). */
static int
tr_partial(struct repo *r, const char *index, char ***paths, size_t *n)
{
	int rc;

	if (index)
		setenv("GIT_INDEX_FILE", index, 1);
	else
		unsetenv("GIT_INDEX_FILE");
	rc = repo_partial_commit(paths, n, r);
	unsetenv("GIT_INDEX_FILE");
	cr_assert_neq(rc, -1, "%s", rl_error_last());
	return rc;
}

/*
 * `git commit FILE` hands its hook "<git dir>/next-index-<pid>.lock",
 * HEAD plus the named paths; the index as a whole (plain, -a, -i) is
 * ".git/index" or "<git dir>/index.lock".  Built here as git builds it.
 */
Test(repo, partial_commit_is_the_next_index_in_the_git_folder)
{
	struct repo *r;
	char **paths;
	size_t n;

	tr_sh(TR_GIT " init -q r && mkdir -p r/web/_songs r/other");
	tr_write("r/web/_songs/a.md", "a\n");
	tr_write("r/web/_songs/b c.md", "b\n");
	tr_write("r/gone.md", "g\n");
	tr_sh("cd r && " TR_GIT " add . && " TR_GIT " commit -qm one");
	tr_write("r/web/_songs/a.md", "a2\n");
	tr_write("r/web/_songs/b c.md", "b2\n");
	tr_write("r/web/new.md", "n\n");
	/* the real index holds every edit; the commit a.md, new.md, gone.md */
	tr_sh("cd r && " TR_GIT " add -A && "
	    "GIT_INDEX_FILE=.git/next-index-4242.lock " TR_GIT " read-tree HEAD"
	    " && GIT_INDEX_FILE=.git/next-index-4242.lock " TR_GIT " add -A "
	    "web/_songs/a.md gone.md web/new.md && "
	    "cp .git/next-index-4242.lock .git/index.lock && "
	    "cp .git/next-index-4242.lock other/next-index-4242.lock && "
	    "cp .git/next-index-4242.lock .git/next-index-42x.lock");
	tr_sh("rm r/gone.md && cd r && "
	    "GIT_INDEX_FILE=.git/next-index-4242.lock " TR_GIT " rm -q "
	    "--cached gone.md");
	r = tr_open("r/web");

	cr_assert_eq(tr_partial(r, tr_at("r/.git/next-index-4242.lock"),
	    &paths, &n), 1);
	cr_assert_eq(n, 3);
	/* from the top of the work tree, also for a site in a sub-folder */
	cr_assert_str_eq(paths[0], "gone.md");
	cr_assert_str_eq(paths[1], "web/_songs/a.md");
	cr_assert_str_eq(paths[2], "web/new.md");
	repo_paths_free(paths, n);
	/* relative to the work tree root, where git runs hooks */
	cr_assert_eq(tr_partial(r, ".git/next-index-4242.lock", &paths, &n),
	    1);
	cr_assert_eq(n, 3);
	repo_paths_free(paths, n);

	/* the index as a whole: not a partial commit */
	cr_assert_eq(tr_partial(r, NULL, &paths, &n), 0);
	cr_assert_null(paths);
	cr_assert_eq(n, 0);
	cr_assert_eq(tr_partial(r, ".git/index", &paths, &n), 0);
	cr_assert_eq(tr_partial(r, tr_at("r/.git/index.lock"), &paths, &n),
	    0);
	/* the name alone is not enough: it must be git's, in its folder */
	cr_assert_eq(tr_partial(r, tr_at("r/other/next-index-4242.lock"),
	    &paths, &n), 0);
	cr_assert_eq(tr_partial(r, tr_at("r/.git/next-index-42x.lock"),
	    &paths, &n), 0);
	repo_free(r);
}

Test(repo, partial_commit_before_the_first_commit_and_in_a_worktree)
{
	struct repo *r;
	char **paths;
	size_t n;

	tr_sh(TR_GIT " init -q r");
	tr_write("r/a.md", "a\n");
	tr_write("r/b.md", "b\n");
	tr_sh("cd r && " TR_GIT " add . && "
	    "GIT_INDEX_FILE=.git/next-index-7.lock " TR_GIT " add a.md");
	r = tr_open("r");
	/* no HEAD yet: everything in it is new */
	cr_assert_eq(tr_partial(r, tr_at("r/.git/next-index-7.lock"), &paths,
	    &n), 1);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(paths[0], "a.md");
	repo_paths_free(paths, n);
	repo_free(r);

	/* a worktree's temporary index is in its own git folder */
	tr_sh("cd r && " TR_GIT " commit -qm one && "
	    TR_GIT " worktree add -q ../wt && cd ../wt && echo b2 >b.md && "
	    "GIT_INDEX_FILE=../r/.git/worktrees/wt/next-index-8.lock "
	    TR_GIT " read-tree HEAD && "
	    "GIT_INDEX_FILE=../r/.git/worktrees/wt/next-index-8.lock "
	    TR_GIT " add b.md && cp ../r/.git/worktrees/wt/next-index-8.lock "
	    "../r/.git/next-index-8.lock");
	r = tr_open("wt");
	cr_assert_eq(tr_partial(r,
	    tr_at("r/.git/worktrees/wt/next-index-8.lock"), &paths, &n), 1);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(paths[0], "b.md");
	repo_paths_free(paths, n);
	/* the main repository's folder is not this worktree's */
	cr_assert_eq(tr_partial(r, tr_at("r/.git/next-index-8.lock"), &paths,
	    &n), 0);
	repo_free(r);
}

Test(repo, ignore_rules_from_gitignore_and_exclude)
{
	struct repo *r;

	tr_sh(TR_GIT " init -q r && mkdir -p r/site");
	tr_write("r/.gitignore", "*.log\n/site/build/\n");
	tr_write("r/site/.gitignore", "secret.txt\n");
	tr_write("r/.git/info/exclude", "_site/\n");
	r = tr_open("r/site");
	cr_assert(tr_ignored(r, "x.log"));
	cr_assert(tr_ignored(r, "deep/er/x.log"));
	cr_assert(tr_ignored(r, "build/"));
	cr_assert(tr_ignored(r, "secret.txt"));
	cr_assert(tr_ignored(r, "sub/secret.txt"));
	cr_assert(tr_ignored(r, "_site/"));
	cr_assert(tr_ignored(r, "_site/index.html"));
	cr_assert_not(tr_ignored(r, "index.md"));
	cr_assert_not(tr_ignored(r, "songs/mp3s/a.mp3"));
	/* a folder-only rule does not match a file of that name */
	cr_assert_not(tr_ignored(r, "_site"));
	repo_free(r);
}

Test(repo, exclude_add_appends_only_missing_lines)
{
	struct repo *r;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct stat st1, st2;
	const char *lines[] = { "songs/mp3s/", "kept/", "new/", "new/" };
	size_t added;

	tr_sh(TR_GIT " init -q r");
	tr_write("r/.git/info/exclude", "# mine\nkept/  \r\nother\n");
	tr_read(&before, "r/.git/info/exclude");
	cr_assert_eq(stat(tr_at("r/.git/info/exclude"), &st1), 0);
	r = tr_open("r");
	cr_assert_eq(repo_exclude_add(r, lines, 4, &added), 0, "%s",
	    rl_error_last());
	cr_assert_eq(added, 2);
	tr_read(&after, "r/.git/info/exclude");
	cr_assert_str_eq(after.buf,
	    "# mine\nkept/  \r\nother\nsongs/mp3s/\nnew/\n");
	/* appended in place, never replaced */
	cr_assert_eq(stat(tr_at("r/.git/info/exclude"), &st2), 0);
	cr_assert_eq(st1.st_ino, st2.st_ino);

	/* again: nothing to do, nothing written */
	cr_assert_eq(repo_exclude_add(r, lines, 4, &added), 0);
	cr_assert_eq(added, 0);
	tr_read(&before, "r/.git/info/exclude");
	cr_assert_str_eq(before.buf, after.buf);
	strbuf_free(&before);
	strbuf_free(&after);
	repo_free(r);
}

Test(repo, exclude_add_after_a_last_line_without_newline)
{
	struct repo *r;
	struct strbuf text = STRBUF_INIT;
	const char *lines[] = { "x/", "y/" };
	size_t added;

	tr_sh(TR_GIT " init -q r");
	tr_write("r/.git/info/exclude", "x/");
	r = tr_open("r");
	cr_assert_eq(repo_exclude_add(r, lines, 2, &added), 0);
	cr_assert_eq(added, 1);
	tr_read(&text, "r/.git/info/exclude");
	cr_assert_str_eq(text.buf, "x/\ny/\n");
	strbuf_free(&text);
	repo_free(r);
}

Test(repo, exclude_add_creates_info_and_git_obeys_it)
{
	struct repo *r;
	struct strbuf text = STRBUF_INIT;
	const char *lines[] = { "songs/mp3s/" };
	size_t added;
	bool ign;

	tr_sh(TR_GIT " init -q r && rm -rf r/.git/info");
	r = tr_open("r");
	cr_assert_eq(repo_exclude_add(r, lines, 1, &added), 0, "%s",
	    rl_error_last());
	cr_assert_eq(added, 1);
	tr_read(&text, "r/.git/info/exclude");
	cr_assert_str_eq(text.buf, "songs/mp3s/\n");
	strbuf_free(&text);
	repo_free(r);

	/* the git command agrees that the folder is now ignored */
	tr_sh("mkdir -p r/songs/mp3s && touch r/songs/mp3s/a.mp3 && "
	    "cd r && git check-ignore -q songs/mp3s/a.mp3");
	r = tr_open("r");
	cr_assert_eq(repo_is_ignored(&ign, r, "songs/mp3s/a.mp3"), 0);
	cr_assert(ign);
	repo_free(r);
}
