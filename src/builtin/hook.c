/*
 * builtin/hook.c - `renderlink hook install|uninstall`: put renderlink's
 * pre-commit hook where git really looks, keeping what was there.
 *
 * The hooks folder is the one git uses (core.hooksPath, else the common
 * git folder's hooks, shared by worktrees).  A foreign pre-commit hook is
 * moved to pre-commit.local, and ours runs it first; uninstall moves it
 * back.  Our hook is known by its marker line, so install is idempotent
 * and never mistakes someone else's hook for ours.  The hook names the
 * binary that wrote it (hook_render), its way to renderlink when PATH
 * has none.  Install also asks git whether it ignores the managed target
 * folders and, where it does not, appends them to .git/info/exclude
 * (append only: .gitignore is the user's).  A site in a sub-folder of
 * the repository is recorded in the repository's config as
 * renderlink.site, for the hook to find.
 *
 * What was done is gathered in a struct hook_result and printed at the
 * end: a line per step for people, or with --format json one document,
 * {"command", "hook", "action", "local", "site", "excluded"}.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "config.h"
#include "fsutil.h"
#include "manifest.h"
#include "repo.h"
#include "strbuf.h"
#include "util.h"

/* hook/pre-commit, whose installed_by line hook_render() fills in. */
static const char hook_template[] =
#include "hook_pre_commit.h"
;

#define HOOK_MARKER	"# renderlink pre-commit hook\n"
#define HOOK_BY_LINE	"\ninstalled_by=''\n"
#define HOOK_NAME	"pre-commit"
#define HOOK_LOCAL	"pre-commit.local"

static const char *const hook_usage[] = {
	"renderlink hook install [<global options>]",
	"renderlink hook uninstall [<global options>]",
	NULL
};

/* What install or uninstall did, for the report. */
enum hook_action {
	HOOK_NONE,		/* failed before doing anything */
	HOOK_INSTALLED,
	HOOK_ALREADY,		/* ours, byte for byte: nothing written */
	HOOK_UPDATED,
	HOOK_REMOVED,
	HOOK_RESTORED,		/* ours removed, pre-commit.local put back */
	HOOK_NOT_OURS		/* uninstall: someone else's, left alone */
};

struct hook_result {
	enum hook_action action;
	bool		 local;		/* install: a foreign hook kept beside ours */
	char		**excluded;	/* lines added to .git/info/exclude */
	size_t		 nexcluded;
};

static const char *
action_name(enum hook_action a)
{
	static const char *const names[] = {
		[HOOK_NONE] = NULL, [HOOK_INSTALLED] = "installed",
		[HOOK_ALREADY] = "unchanged", [HOOK_UPDATED] = "updated",
		[HOOK_REMOVED] = "removed", [HOOK_RESTORED] = "restored",
		[HOOK_NOT_OURS] = "left-alone",
	};

	return names[a];
}

/*
 * The hook as this renderlink writes it: hook/pre-commit with this very
 * binary's path (/proc/self/exe) on its installed_by line, shell-quoted,
 * so the hook still finds the renderlink that installed it when a git GUI
 * runs hooks with a short PATH.  One binary always writes the same bytes,
 * so "ours, byte for byte" (install's "already installed", doctor's
 * git-hook check) keeps its meaning.  When the path cannot be read the
 * line stays empty: the hook then looks on PATH and in $RENDERLINK only.
 * Built once, kept for the life of the process.
 */
static const char *
hook_render(void)
{
	static struct strbuf text = STRBUF_INIT;
	struct strbuf exe = STRBUF_INIT;
	const char *line, *p;
	size_t size = 256;
	struct stat st;
	ssize_t n;

	if (text.len)
		return text.buf;
	for (;;) {
		strbuf_grow(&exe, size);
		if ((n = readlink("/proc/self/exe", exe.buf, size)) < 0 ||
		    (size_t)n < size)
			break;
		size *= 2;
	}
	if (n > 0)
		strbuf_setlen(&exe, (size_t)n);
	line = strstr(hook_template, HOOK_BY_LINE);
	if (line == NULL || exe.len == 0 || exe.buf[0] != '/' ||
	    stat(exe.buf, &st) < 0 || !S_ISREG(st.st_mode)) {
		strbuf_set(&text, hook_template);
		strbuf_free(&exe);
		return text.buf;
	}
	strbuf_add(&text, hook_template, (size_t)(line - hook_template));
	strbuf_puts(&text, "\ninstalled_by='");
	for (p = exe.buf; *p; p++)
		if (*p == '\'')
			strbuf_puts(&text, "'\\''");
		else
			strbuf_putc(&text, *p);
	strbuf_puts(&text, "'\n");
	strbuf_puts(&text, line + strlen(HOOK_BY_LINE));
	strbuf_free(&exe);
	return text.buf;
}

/* For `doctor`: the hook install writes, and whether text is one of ours. */
const char *
hook_script(void)
{
	return hook_render();
}

bool
hook_text_is_ours(const char *text)
{
	const char *nl = strchr(text, '\n');

	return nl && strncmp(nl + 1, HOOK_MARKER, strlen(HOOK_MARKER)) == 0;
}

/* Whether the file at dfd/name is renderlink's hook (marker on line 2). */
static bool
is_ours(int dfd, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *nl;
	bool ours = false;

	if (file_read(&sb, dfd, name) == 0 && (nl = strchr(sb.buf, '\n')))
		ours = strncmp(nl + 1, HOOK_MARKER, strlen(HOOK_MARKER)) == 0;
	strbuf_free(&sb);
	return ours;
}

static bool
exists(int dfd, const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static int
write_hook(int dfd, const char *display)
{
	const char *text = hook_render();

	if (file_write_atomic(dfd, HOOK_NAME, text, strlen(text), display) < 0)
		return -1;
	if (fchmodat(dfd, HOOK_NAME, 0755, 0) < 0)
		return rl_error_set("%s: %s", display, strerror(errno));
	return 0;
}

static int
set_site_config(struct repo *r, bool install)
{
	git_config *cfg;
	int e;

	if (*r->prefix == '\0' && install)
		return 0;
	if (git_repository_config(&cfg, r->git) < 0)
		return rl_error_set("git config: %s", git_error_last()->message);
	if (install)
		e = git_config_set_string(cfg, "renderlink.site", r->prefix);
	else {
		e = git_config_delete_entry(cfg, "renderlink.site");
		if (e == GIT_ENOTFOUND)
			e = 0;
	}
	git_config_free(cfg);
	if (e < 0)
		return rl_error_set("git config renderlink.site: %s",
		    git_error_last()->message);
	return 0;
}

/* The folders git must ignore: every target, and renderlink's cache. */
static int
exclude_targets(struct repo *r, const struct config *cfg,
    struct hook_result *res)
{
	struct strbuf sb = STRBUF_INIT;
	char **lines;
	const char *dirs[64];
	size_t i, n = 0, nlines = 0, added;
	bool ignored;
	int rc;

	for (i = 0; i < cfg->nsets && n < ARRAY_SIZE(dirs) - 1; i++)
		dirs[n++] = cfg->sets[i].target;
	dirs[n++] = MANIFEST_DIR;
	lines = xcalloc(n, sizeof(*lines));
	for (i = 0; i < n; i++) {
		strbuf_set(&sb, dirs[i]);
		strbuf_putc(&sb, '/');
		if (repo_is_ignored(&ignored, r, sb.buf) < 0) {
			rc = -1;
			goto out;
		}
		if (ignored)
			continue;
		strbuf_reset(&sb);
		strbuf_putc(&sb, '/');
		if (*r->prefix) {
			strbuf_puts(&sb, r->prefix);
			strbuf_putc(&sb, '/');
		}
		strbuf_puts(&sb, dirs[i]);
		strbuf_putc(&sb, '/');
		lines[nlines++] = strbuf_detach(&sb);
	}
	rc = repo_exclude_add(r, (const char *const *)lines, nlines, &added);
	if (rc == 0) {
		res->excluded = lines;
		res->nexcluded = nlines;
		lines = NULL;
	}
out:
	for (i = 0; lines && i < nlines; i++)
		free(lines[i]);
	free(lines);
	strbuf_free(&sb);
	return rc;
}

static int
hook_install(struct repo *r, const struct config *cfg, int dfd,
    const char *path, struct hook_result *res)
{
	struct strbuf sb = STRBUF_INIT;

	if (!exists(dfd, HOOK_NAME)) {
		if (write_hook(dfd, path) < 0)
			return -1;
		res->action = HOOK_INSTALLED;
	} else if (is_ours(dfd, HOOK_NAME)) {
		if (file_read(&sb, dfd, HOOK_NAME) == 0 &&
		    strcmp(sb.buf, hook_render()) == 0)
			res->action = HOOK_ALREADY;
		else if (write_hook(dfd, path) == 0)
			res->action = HOOK_UPDATED;
		else {
			strbuf_free(&sb);
			return -1;
		}
		strbuf_free(&sb);
	} else {
		/* Someone else's hook: it keeps running, from ours. */
		if (exists(dfd, HOOK_LOCAL))
			return rl_error_set("%s is someone else's hook and %s "
			    "already exists beside it; renderlink will not "
			    "overwrite either: merge them by hand", path,
			    HOOK_LOCAL);
		if (renameat(dfd, HOOK_NAME, dfd, HOOK_LOCAL) < 0)
			return rl_error_set("%s: %s", path, strerror(errno));
		if (write_hook(dfd, path) < 0) {
			renameat(dfd, HOOK_LOCAL, dfd, HOOK_NAME);
			return -1;
		}
		res->action = HOOK_INSTALLED;
		res->local = true;
	}
	if (set_site_config(r, true) < 0 || exclude_targets(r, cfg, res) < 0)
		return -1;
	return 0;
}

static int
hook_uninstall(struct repo *r, int dfd, const char *path,
    struct hook_result *res)
{
	if (!exists(dfd, HOOK_NAME) || !is_ours(dfd, HOOK_NAME)) {
		res->action = HOOK_NOT_OURS;
		return 0;
	}
	if (exists(dfd, HOOK_LOCAL)) {
		if (renameat(dfd, HOOK_LOCAL, dfd, HOOK_NAME) < 0)
			return rl_error_set("%s: %s", path, strerror(errno));
		res->action = HOOK_RESTORED;
	} else {
		if (unlinkat(dfd, HOOK_NAME, 0) < 0)
			return rl_error_set("%s: %s", path, strerror(errno));
		res->action = HOOK_REMOVED;
	}
	return set_site_config(r, false);
}

static void
print_text(const struct hook_result *res, const char *path)
{
	size_t i;

	switch (res->action) {
	case HOOK_NONE:
		break;
	case HOOK_INSTALLED:
		if (res->local)
			printf("installed %s; the hook that was there is now "
			    "%s and runs first\n", path, HOOK_LOCAL);
		else
			printf("installed %s\n", path);
		break;
	case HOOK_ALREADY:
		printf("%s is already installed\n", path);
		break;
	case HOOK_UPDATED:
		printf("updated %s\n", path);
		break;
	case HOOK_REMOVED:
		printf("removed %s\n", path);
		break;
	case HOOK_RESTORED:
		printf("restored the hook that was there before to %s\n",
		    path);
		break;
	case HOOK_NOT_OURS:
		printf("%s is not renderlink's; left alone\n", path);
		break;
	}
	for (i = 0; i < res->nexcluded; i++)
		printf("git now ignores %s (.git/info/exclude)\n",
		    res->excluded[i]);
}

/*
 * One document on stdout once the hook's path is known, also when the
 * step then fails ("error" says why, as stderr does; "action" is null if
 * nothing was done).  Failing earlier (no site, no repository) is exit
 * 2 with the message on stderr only, as for the other commands.
 */
static void
print_json(const struct hook_result *res, bool install, const char *path,
    const struct repo *r, const char *error)
{
	json_t *ex = json_array(), *root;
	struct strbuf local = STRBUF_INIT;
	const char *name = action_name(res->action);
	size_t i;

	for (i = 0; i < res->nexcluded; i++)
		json_array_append_new(ex, json_string(res->excluded[i]));
	if (res->local) {
		strbuf_puts(&local, r->hooks_dir);
		strbuf_joinpath(&local, HOOK_LOCAL);
	}
	root = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}",
	    "command", install ? "install" : "uninstall", "hook", path,
	    "action", name ? json_string(name) : json_null(),
	    "local", res->local ? json_string(local.buf) : json_null(),
	    "site", *r->prefix ? json_string(r->prefix) : json_null(),
	    "excluded", ex);
	if (error)
		json_object_set_new(root, "error", json_string(error));
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putc('\n', stdout);
	json_decref(root);
	strbuf_free(&local);
}

int
cmd_hook(int argc, char **argv)
{
	struct strbuf path = STRBUF_INIT;
	struct hook_result res = { 0 };
	struct repo *repo = NULL;
	struct site site;
	enum format format;
	int code, r, dfd = -1;
	bool install;
	size_t i;
	const struct option opts[] = {
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, hook_usage, 0);
	if (argc != 1 || (strcmp(argv[1], "install") != 0 &&
	    strcmp(argv[1], "uninstall") != 0)) {
		warnx_("hook takes one of install or uninstall");
		usage_with_options(hook_usage, opts, EXIT_USAGE);
	}
	install = strcmp(argv[1], "install") == 0;
	format = global_format();
	if ((code = site_open(&site)) != 0)
		return code;
	r = repo_open(&repo, site.cfg->site_root);
	if (r != 0) {
		warnx_("%s", r < 0 ? rl_error_last() : "the site is not in a "
		    "git repository: there is no hook to install");
		code = EXIT_USAGE;
		goto out;
	}
	if (mkdir(repo->hooks_dir, 0777) < 0 && errno != EEXIST) {
		warnx_("%s: %s", repo->hooks_dir, strerror(errno));
		code = EXIT_PROBLEMS;
		goto out;
	}
	dfd = open(repo->hooks_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		warnx_("%s: %s", repo->hooks_dir, strerror(errno));
		code = EXIT_PROBLEMS;
		goto out;
	}
	strbuf_puts(&path, repo->hooks_dir);
	strbuf_joinpath(&path, HOOK_NAME);
	r = install ? hook_install(repo, site.cfg, dfd, path.buf, &res) :
	    hook_uninstall(repo, dfd, path.buf, &res);
	if (format == FORMAT_JSON)
		print_json(&res, install, path.buf, repo,
		    r < 0 ? rl_error_last() : NULL);
	else if (!gopt.quiet)
		print_text(&res, path.buf);
	if (r < 0) {
		warnx_("%s", rl_error_last());
		code = EXIT_PROBLEMS;
	}
out:
	if (dfd >= 0)
		close(dfd);
	for (i = 0; i < res.nexcluded; i++)
		free(res.excluded[i]);
	free(res.excluded);
	strbuf_free(&path);
	repo_free(repo);
	site_close(&site);
	return code;
}
