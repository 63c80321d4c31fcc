/*
 * builtin/check.c - `renderlink check [--staged]`: is what is about to be
 * committed (or what is in the work tree) consistent?  Changes nothing.
 *
 * It runs the sync planner as a dry run - references, missing renders,
 * duplicate names, conflicts - and adds what only git can tell:
 *
 *   staged-link   a symlink in git's index that is absolute, leads out of
 *                 the repository or into a media root: broken in every
 *                 clone, and Jekyll aborts on a dangling link;
 *   staged-media  a regular file staged in a managed target folder, or a
 *                 render larger than max_media_bytes anywhere: it would
 *                 bloat the repository for ever;
 *   not-ignored   a managed target folder git would not ignore;
 *   stale-index   the front matter index is not what the pages say, or
 *                 is not even JSON (a merge's conflict markers).
 *
 * With --staged (the pre-commit hook's way) the pages are read from git's
 * index, not the work tree, so an unstaged edit cannot make a bad commit
 * pass, nor a good one fail.  The staged index file is checked as staged
 * too: renderlink does not read it to plan (it indexes the staged pages
 * itself), so a broken one is a problem in what is committed (exit 1),
 * like a page whose front matter does not parse, not a reason to stop
 * before checking (exit 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "config.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "gitignore.h"
#include "index.h"
#include "index_build.h"
#include "linkdocs.h"
#include "pipeline.h"
#include "problem.h"
#include "publish.h"
#include "refcheck.h"
#include "repo.h"
#include "sitewalk.h"
#include "strbuf.h"
#include "util.h"

#define MODE_LINK	0120000
#define MODE_FILE	0100644
#define MODE_EXEC	0100755

static const char *const check_usage[] = {
	"renderlink check [--staged] [--require-sources] [--drafts] "
	    "[--unpublished] [--future] [--lock-timeout <secs>] "
	    "[<global options>]",
	NULL
};

/* The path of a site file as git and the user's shell see it. */
static void
repo_path(struct strbuf *out, const struct repo *r, const char *site_rel)
{
	strbuf_reset(out);
	if (*r->prefix) {
		strbuf_puts(out, r->prefix);
		strbuf_putc(out, '/');
	}
	strbuf_puts(out, site_rel);
}

/* Appends s as one shell word: quoted only when it needs to be. */
static void
shell_word(struct strbuf *out, const char *s)
{
	const char *p;

	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	    "vwxyz0123456789_./@%+=:,-") == strlen(s)) {
		strbuf_puts(out, s);
		return;
	}
	strbuf_putc(out, '\'');
	for (p = s; *p; p++)
		if (*p == '\'')
			strbuf_puts(out, "'\\''");
		else
			strbuf_putc(out, *p);
	strbuf_putc(out, '\'');
}

/* Past this many, the advice says FILE... rather than list them. */
#define COMMIT_PATHS_MAX	8

/*
 * How to get the index file, once it is right, into the commit: fix
 * ("run 'renderlink index'" or "fix it") and then `git add` it - except
 * when git commits only the paths it was given (`git commit FILE`, see
 * repo_partial_commit), which nothing staged can reach.  Then the index
 * must be named in that same commit (the command is spelled out with
 * the paths this commit changes), or the commit made with -a.
 */
static void
index_advice(struct strbuf *out, struct repo *repo, const char *index_rp,
    const char *fix)
{
	char **paths;
	size_t i, n;
	bool dash = index_rp[0] == '-';

	if (repo_partial_commit(&paths, &n, repo) != 1) {
		strbuf_printf(out, "%s and 'git add ", fix);
		shell_word(out, index_rp);
		strbuf_puts(out, "'");
		return;
	}
	for (i = 0; i < n; i++)
		dash |= paths[i][0] == '-';
	strbuf_printf(out, "git is committing only the paths it was given "
	    "(git commit FILE...), which 'git add' cannot change: %s, then "
	    "name the index in the same commit: git commit %s", fix,
	    dash ? "-- " : "");
	if (n == 0 || n > COMMIT_PATHS_MAX)
		strbuf_puts(out, "FILE... ");
	else
		for (i = 0; i < n; i++)
			if (strcmp(paths[i], index_rp) != 0) {
				shell_word(out, paths[i]);
				strbuf_putc(out, ' ');
			}
	shell_word(out, index_rp);
	strbuf_puts(out, " (paths from the top of the repository), or "
	    "commit everything with git commit -a");
	repo_paths_free(paths, n);
}

/* The first line that starts with a merge conflict marker, or 0. */
static size_t
conflict_line(const char *text, size_t len)
{
	static const char *const marks[] = {
		"<<<<<<<", "|||||||", "=======", ">>>>>>>"
	};
	const char *p = text, *end = text + len, *nl;
	size_t line, i;

	for (line = 1; p < end; line++, p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		for (i = 0; i < ARRAY_SIZE(marks); i++)
			if (nl - p >= 7 && memcmp(p, marks[i], 7) == 0 &&
			    (nl - p == 7 || p[7] == ' ' || p[7] == '\r'))
				return line;
	}
	return 0;
}

/*
 * An index file (text, as staged or on disk) that is not JSON at all:
 * a stale-index error on its line and column.  Conflict markers, the
 * usual cause, are named as such: Jekyll reads every _data file (as
 * YAML), and stops the build on them (measured with Jekyll 4.3.1:
 * Psych::SyntaxError).  renderlink's own damaged index is rebuilt by
 * `renderlink index`; someone else's is theirs to fix.
 */
static void
index_unreadable(struct problems *problems, const struct config *cfg,
    struct repo *repo, const char *index_rp, const char *text, size_t len,
    const json_error_t *err, bool as_staged)
{
	struct strbuf advice = STRBUF_INIT;
	const char *what = as_staged ? "the staged version of the index" :
	    "the index";
	bool ours = strstr(text, "\"generator\": \"" INDEX_GENERATOR "\"") !=
	    NULL;
	const char *fix = ours ? "run 'renderlink index' (it rebuilds the "
	    "index from the pages)" : "fix it (it is not renderlink's: "
	    "renderlink never rewrites it)";
	size_t line = conflict_line(text, len);

	if (as_staged)
		index_advice(&advice, repo, index_rp, fix);
	else
		strbuf_puts(&advice, fix);
	if (line)
		problems_add(problems, SEV_ERROR, "stale-index", cfg->index,
		    NULL, "%s holds merge conflict markers, on which Jekyll "
		    "stops the build; %s", what, advice.buf);
	else
		problems_add(problems, SEV_ERROR, "stale-index", cfg->index,
		    NULL, "%s is not valid JSON (%s); %s", what, err->text,
		    advice.buf);
	if (line)
		problems_locate(problems, line, 1);
	else if (err->line > 0)
		problems_locate(problems, (size_t)err->line,
		    err->column > 0 ? (size_t)err->column : 1);
	strbuf_free(&advice);
}

/*
 * The staged index file: it must be JSON, and when renderlink wrote it,
 * say what the staged pages say (docs).
 */
static void
staged_index_check(struct problems *problems, const struct config *cfg,
    struct repo *repo, const struct staged *st, json_t *docs)
{
	struct strbuf blob = STRBUF_INIT, rp = STRBUF_INIT;
	struct strbuf advice = STRBUF_INIT;
	json_error_t err;
	json_t *old, *gen;
	char *text;
	size_t i;

	for (i = 0; i < st->n; i++)
		if (strcmp(st->v[i].path, cfg->index) == 0)
			break;
	if (i == st->n || (st->v[i].mode != MODE_FILE &&
	    st->v[i].mode != MODE_EXEC))
		return;
	if (repo_blob(&blob, repo, &st->v[i].id) < 0) {
		problems_add(problems, SEV_ERROR, "stale-index", cfg->index,
		    NULL, "%s", rl_error_last());
		goto out;
	}
	repo_path(&rp, repo, cfg->index);
	/* renderlink's reader's flags: what it cannot read back is broken */
	old = json_loadb(blob.buf, blob.len, JSON_ALLOW_NUL |
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (old == NULL) {
		index_unreadable(problems, cfg, repo, rp.buf, blob.buf,
		    blob.len, &err, true);
		goto out;
	}
	gen = json_object_get(old, "generator");
	text = index_text(docs);
	if (json_is_string(gen) && strcmp(json_string_value(gen),
	    INDEX_GENERATOR) == 0 && strcmp(text, blob.buf) != 0) {
		index_advice(&advice, repo, rp.buf, "run 'renderlink index'");
		problems_add(problems, SEV_ERROR, "stale-index", cfg->index,
		    NULL, "the staged index is not what the staged pages say; "
		    "%s", advice.buf);
	}
	free(text);
	json_decref(old);
out:
	strbuf_free(&blob);
	strbuf_free(&rp);
	strbuf_free(&advice);
}

/*
 * The pages as staged: every regular file in git's index that Jekyll
 * would read, parsed from its blob.  A staged index file renderlink wrote
 * must say the same.
 */
static int
staged_index(struct docindex **idx, struct problems *problems,
    const struct config *cfg, struct repo *repo, const struct staged *st)
{
	struct strbuf blob = STRBUF_INIT;
	struct site_rules rules;
	json_t *docs, *fm, *doc;
	size_t i;
	int r;

	if (site_rules_load(&rules, cfg->jekyll) < 0)
		return -1;
	docs = json_array();
	for (i = 0; i < st->n; i++) {
		const struct staged_entry *e = &st->v[i];

		if ((e->mode != MODE_FILE && e->mode != MODE_EXEC) ||
		    strcmp(e->path, cfg->index) == 0 ||
		    site_rules_excluded(&rules, e->path, false))
			continue;
		if (repo_blob(&blob, repo, &e->id) < 0)
			goto fail;
		r = frontmatter_parse(&fm, blob.buf, blob.len, e->path);
		if (r == 1)
			continue;
		if (r < 0) {
			problems_add_parsed(problems, "front-matter", e->path,
			    rl_error_last(), "as staged; the page's references "
			    "are not checked");
			continue;
		}
		if ((doc = index_document(e->path,
		    site_rules_collection(&rules, e->path), fm)) == NULL) {
			problems_add(problems, SEV_ERROR, "front-matter",
			    e->path, NULL, "%s; as staged, the page makes no "
			    "links", rl_error_last());
			continue;
		}
		json_array_append_new(docs, doc);
	}

	/* Git holds only a symlink: what it leads to is the work tree's. */
	if (linkdocs_add(docs, problems, cfg) < 0)
		goto fail;
	/* A committed index must agree with the committed pages. */
	staged_index_check(problems, cfg, repo, st, docs);
	site_rules_free(&rules);
	strbuf_free(&blob);
	return docindex_from_json(idx, json_pack("{s:i, s:o}", "version", 1,
	    "documents", docs), cfg->index);
fail:
	site_rules_free(&rules);
	strbuf_free(&blob);
	json_decref(docs);
	return -1;
}

/*
 * The pages in the work tree, read afresh (no cache: CI judges the pages
 * themselves).  An index file renderlink wrote that disagrees is stale.
 */
static int
worktree_index(struct docindex **idx, struct problems *problems,
    const struct site *site)
{
	struct strbuf diff = STRBUF_INIT;
	struct index_build b;
	json_error_t err;
	json_t *old = NULL;

	if (index_build(&b, problems, site->cfg, site->fd, false) < 0)
		return -1;
	if (b.foreign) {
		index_build_free(&b);
		return pipeline_index(idx, problems, site, false, NULL);
	}
	if (b.old_text && index_changed(&b) && (old = json_loads(b.old_text,
	    JSON_DECODE_ANY, &err)) == NULL)
		/* ours, but damaged: index_build rebuilds it */
		index_unreadable(problems, site->cfg, NULL, NULL, b.old_text,
		    strlen(b.old_text), &err, false);
	else if (b.old_text && index_changed(&b)) {
		index_diff(&diff, &b, 10);
		problems_add(problems, SEV_ERROR, "stale-index", site->cfg->index,
		    NULL, "the index is not what the pages say (%s); run "
		    "'renderlink index'", diff.buf);
	}
	json_decref(old);
	strbuf_free(&diff);
	if (index_build_docindex(idx, &b, site->cfg->index) < 0) {
		index_build_free(&b);
		return -1;
	}
	index_build_free(&b);
	return 0;
}

/* Lexically resolves a link's text against its folder, repo-relative. */
static bool
link_leaves_repo(const char *repo_rel, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *slash = strrchr(repo_rel, '/'), *p, *end;
	long depth = 0;
	bool out = false;

	if (slash)
		strbuf_add(&sb, repo_rel, (size_t)(slash - repo_rel + 1));
	strbuf_puts(&sb, text);
	for (p = sb.buf; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		if (end - p == 2 && p[0] == '.' && p[1] == '.')
			depth--;
		else if (end > p && !(end - p == 1 && p[0] == '.'))
			depth++;
		if (depth < 0) {
			out = true;
			break;
		}
	}
	strbuf_free(&sb);
	return out;
}

static const struct linkset *
managed_folder(const struct config *cfg, const char *site_rel)
{
	size_t i;

	for (i = 0; i < cfg->nsets; i++) {
		const char *t = cfg->sets[i].target;
		size_t n = strlen(t);

		if (strncmp(site_rel, t, n) == 0 && site_rel[n] == '/')
			return &cfg->sets[i];
	}
	return NULL;
}

static const struct linkset *
media_extension(const struct config *cfg, const char *path)
{
	const char *ext = ref_extension(path);
	size_t i, j;

	for (i = 0; *ext && i < cfg->nsets; i++)
		for (j = 0; j < cfg->sets[i].nexts; j++)
			if (strcasecmp(ext, cfg->sets[i].exts[j]) == 0)
				return &cfg->sets[i];
	return NULL;
}

static void
check_link(struct problems *problems, const struct config *cfg,
    struct repo *repo, const struct staged_entry *e, const char *rp)
{
	struct strbuf text = STRBUF_INIT, abs = STRBUF_INIT;
	const char *why = NULL;
	size_t i;

	if (repo_blob(&text, repo, &e->id) < 0) {
		problems_add(problems, SEV_ERROR, "staged-link", e->path, NULL,
		    "%s", rl_error_last());
		goto out;
	}
	if (text.buf[0] == '/')
		why = "is absolute: it exists only on this machine";
	else if (link_leaves_repo(rp, text.buf))
		why = "leads outside the repository";
	strbuf_puts(&abs, text.buf[0] == '/' ? "" : cfg->site_root);
	if (text.buf[0] != '/') {
		const char *slash = strrchr(e->path, '/');

		if (slash) {
			strbuf_putc(&abs, '/');
			strbuf_add(&abs, e->path, (size_t)(slash - e->path));
		}
		strbuf_putc(&abs, '/');
	}
	strbuf_puts(&abs, text.buf);
	for (i = 0; i < cfg->nsets; i++)
		if (path_inside(abs.buf, cfg->sets[i].source))
			why = "points into a media root: the render is not in "
			    "the repository";
	if (why)
		problems_add(problems, SEV_ERROR, "staged-link", e->path,
		    NULL, "staged symlink to '%s' %s; unstage it with: "
		    "git rm --cached -- '%s'", text.buf, why, rp);
out:
	strbuf_free(&text);
	strbuf_free(&abs);
}

static void
check_staged(struct problems *problems, const struct config *cfg,
    struct repo *repo, const struct staged *st)
{
	struct strbuf rp = STRBUF_INIT;
	const struct linkset *ls;
	uint64_t size;
	size_t i;

	for (i = 0; i < st->n; i++) {
		const struct staged_entry *e = &st->v[i];

		repo_path(&rp, repo, e->path);
		if (e->mode == MODE_LINK) {
			check_link(problems, cfg, repo, e, rp.buf);
			continue;
		}
		if (e->mode != MODE_FILE && e->mode != MODE_EXEC)
			continue;
		if ((ls = managed_folder(cfg, e->path)) != NULL) {
			problems_add(problems, SEV_ERROR, "staged-media",
			    e->path, NULL, "'%s' is staged inside %s, the "
			    "folder renderlink keeps links in for link set "
			    "'%s'; unstage it with: git rm --cached -- '%s'",
			    rp.buf, ls->target, ls->name, rp.buf);
			continue;
		}
		if (media_extension(cfg, e->path) == NULL ||
		    repo_blob_size(&size, repo, &e->id) < 0 ||
		    size <= (uint64_t)cfg->max_media_bytes)
			continue;
		problems_add(problems, SEV_ERROR, "staged-media", e->path,
		    NULL, "'%s' is a %.1f MB render staged for commit (the "
		    "limit is %lld bytes, renderlink.max_media_bytes); renders "
		    "belong on the media drive: git rm --cached -- '%s'",
		    rp.buf, (double)size / 1e6, cfg->max_media_bytes, rp.buf);
	}
	strbuf_free(&rp);
}

/*
 * Whether this run is in CI: GitHub's GITHUB_ACTIONS=true, the CI
 * variable most CI services set (to "true" or "1"), or output for
 * GitHub's runner asked for.  A CI job checks a fresh clone: nothing
 * done to one clone's .git (`hook install`) reaches it.
 */
static bool
in_ci(enum format format)
{
	const char *gh = getenv("GITHUB_ACTIONS"), *ci = getenv("CI");

	return format == FORMAT_GITHUB || (gh && strcmp(gh, "true") == 0) ||
	    (ci && *ci && strcmp(ci, "false") != 0 && strcmp(ci, "0") != 0);
}

/*
 * Links git would commit with `git add -A` are a real risk; none, a hint.
 * Target folders belong in the repository's .gitignore, which every
 * clone shares; `hook install` puts them in this clone's
 * .git/info/exclude, which helps here, but not in CI, where the clone is
 * fresh: there the advice is only the .gitignore line to commit, from
 * the top of the repository.
 */
static void
check_ignored(struct problems *problems, const struct config *cfg,
    struct repo *repo, const struct scan *scan, enum format format)
{
	struct strbuf dir = STRBUF_INIT, pat = STRBUF_INIT;
	bool ignored, links, ci = in_ci(format);
	size_t i, j;

	for (i = 0; i < cfg->nsets; i++) {
		const struct target_scan *t = &scan->targets[i];

		strbuf_set(&dir, cfg->sets[i].target);
		strbuf_putc(&dir, '/');
		if (repo_is_ignored(&ignored, repo, dir.buf) < 0 || ignored)
			continue;
		for (links = false, j = 0; j < t->n; j++)
			links |= t->v[j].type == ENT_LINK;
		/* anchored, as `hook install` writes it to info/exclude */
		gitignore_folder_line(&pat, repo->prefix,
		    cfg->sets[i].target);
		problems_add(problems, links ? SEV_ERROR : SEV_WARNING,
		    "not-ignored", NULL, cfg->sets[i].target, "git does not "
		    "ignore %s, where renderlink keeps links%s; %s'%s' in the "
		    ".gitignore at the top of the repository%s", dir.buf,
		    links ? ", and it holds some: 'git add -A' would commit "
		    "them" : "", ci ? "target folders belong in .gitignore: "
		    "commit the line " : "run 'renderlink hook install' (adds "
		    "it to this clone's .git/info/exclude) or commit the line ",
		    pat.buf, ci ? " (a CI job's clone is fresh: only what is "
		    "committed is in it)" : "");
	}
	strbuf_free(&dir);
	strbuf_free(&pat);
}

int
cmd_check(int argc, char **argv)
{
	int staged = 0, require = 0, lock_timeout = 30, code, r;
	struct publish_flags pf = { 0 };
	struct pipeline_opts po = { 0 };
	struct report_opts ro = { 0 };
	struct problems problems = { 0 };
	struct staged st = { 0 };
	struct docindex *idx = NULL;
	struct pipeline pl = { 0 };
	struct repo *repo = NULL;
	struct site site;
	const struct option opts[] = {
		OPT_BOOL(0, "staged", &staged, "judge what is staged for "
		    "commit, not the work tree (the pre-commit hook's way)"),
		OPT_BOOL(0, "require-sources", &require,
		    "a missing media root is an error, not a warning"),
		OPT_INT(0, "lock-timeout", &lock_timeout, "secs",
		    "wait this long for a running sync (30)"),
		OPT_PUBLISH(pf),
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, check_usage, 0);
	if (argc > 0) {
		warnx_("check takes no arguments ('%s')", argv[1]);
		usage_with_options(check_usage, opts, EXIT_USAGE);
	}
	ro.format = global_format();
	ro.verbose = gopt.verbose;
	ro.quiet = !gopt.verbose;	/* the plan is not the point here */
	ro.dry_run = true;

	if ((code = site_open(&site)) != 0)
		return code;
	if ((code = site_lock(&site, false, lock_timeout)) != 0)
		goto out;
	r = repo_open(&repo, site.cfg->site_root);
	if (r < 0 || (r == 1 && staged)) {
		warnx_("%s", r < 0 ? rl_error_last() : "--staged: the site is "
		    "not in a git repository");
		code = EXIT_USAGE;
		goto out;
	}
	if (repo) {
		ro.repo_prefix = repo->prefix;
		if (repo_staged(&st, repo) < 0) {
			warnx_("%s", rl_error_last());
			code = EXIT_USAGE;
			goto out;
		}
	}
	r = staged ? staged_index(&idx, &problems, site.cfg, repo, &st) :
	    worktree_index(&idx, &problems, &site);
	po.flags = &pf;
	po.sources_optional = !require;
	po.dry_run = true;
	po.verbose = gopt.verbose;
	if (r < 0 || pipeline_plan(&pl, &problems, &site, &idx, NULL, &po) < 0) {
		warnx_("%s", rl_error_last());
		code = EXIT_USAGE;
		goto out;
	}
	if (repo) {
		check_staged(&problems, site.cfg, repo, &st);
		check_ignored(&problems, site.cfg, repo, &pl.scan, ro.format);
	}
	ro.skipped = &pl.skipped;
	report_print(&pl.plan, &problems, &ro);
	code = problems_count(&problems, SEV_ERROR) ? EXIT_PROBLEMS : 0;
out:
	pipeline_free(&pl);
	problems_free(&problems);
	docindex_free(idx);
	staged_free(&st);
	repo_free(repo);
	site_close(&site);
	return code;
}
