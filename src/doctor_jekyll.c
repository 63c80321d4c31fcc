/*
 * doctor_jekyll.c - `doctor`'s look at Jekyll: will the linked renders
 * be published, and does anything run renderlink before a build?
 *
 * Measured with Jekyll 4.3.1 (README "What Jekyll does with the links"):
 *
 *   jekyll-safe        `safe: true` (GitHub Pages forces it) drops every
 *                      link that leads out of the site: nothing linked is
 *                      published, and _plugins/ is not loaded;
 *   jekyll-env         without JEKYLL_ENV=production a build copies the
 *                      links themselves into _site (FileUtils.copy_entry),
 *                      which is no good for upload;
 *   jekyll-keep-files  Jekyll's Cleaner never deletes from _site a file
 *                      whose path starts with a keep_files entry (a plain
 *                      string prefix: lib/jekyll/cleaner.rb), so a target
 *                      folder covered there keeps publishing renders no
 *                      page references any more;
 *   jekyll-plugin      the links must be right before Jekyll reads the
 *                      tree (it aborts on a dangling one): the plugin
 *                      (_plugins/renderlink.rb), the gem jekyll-renderlink
 *                      (Gemfile group :jekyll_plugins, or `plugins:`), or
 *                      the wrapper hook/jekyll on PATH as `jekyll`.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "doctor.h"
#include "fsutil.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

#define GEM_NAME	"jekyll-renderlink"
/* A line only the wrapper (hook/jekyll) has. */
#define WRAPPER_MARK	"RENDERLINK_HOOK_ACTIVE"

static void
check_safe(struct doctor *d)
{
	if (d->cfg->safe)
		doctor_add(d, DOCTOR_WARN, "jekyll-safe", NULL, "take 'safe: "
		    "true' out of the config and publish a local build "
		    "(JEKYLL_ENV=production jekyll build, then upload _site)",
		    "the config sets 'safe: true': Jekyll in safe mode (and "
		    "GitHub Pages) drops links that lead outside the site, so "
		    "no linked render is published, and it does not load "
		    "_plugins/");
	else
		doctor_add(d, DOCTOR_OK, "jekyll-safe", NULL, NULL, "safe mode "
		    "is off: Jekyll reads the links like any other file");
}

static void
check_env(struct doctor *d)
{
	const char *env = getenv("JEKYLL_ENV");

	if (env && strcmp(env, "production") == 0)
		doctor_add(d, DOCTOR_OK, "jekyll-env", NULL, NULL,
		    "JEKYLL_ENV=production here: a build copies each "
		    "render's bytes into _site");
	else if (env)
		doctor_add(d, DOCTOR_WARN, "jekyll-env", NULL, "build what "
		    "you publish with JEKYLL_ENV=production jekyll build "
		    "(jekyll serve works either way)", "JEKYLL_ENV is '%s' "
		    "here, not 'production': a jekyll build copies the links "
		    "themselves into _site (links to your drive, no good for "
		    "upload)", env);
	else
		doctor_add(d, DOCTOR_WARN, "jekyll-env", NULL, "build what "
		    "you publish with JEKYLL_ENV=production jekyll build "
		    "(jekyll serve works either way)", "JEKYLL_ENV is not set "
		    "here: a jekyll build copies the links themselves into "
		    "_site (links to your drive, no good for upload)");
}

/* The entries of a list (or a single value) of scalars. */
static size_t
scalars(const struct ynode *n, const struct ynode ***out)
{
	static const struct ynode *one[1];

	if (n == NULL || ynode_is_null(n)) {
		*out = NULL;
		return 0;
	}
	if (n->kind == YNODE_SCALAR) {
		one[0] = n;
		*out = one;
		return 1;
	}
	if (n->kind != YNODE_SEQ) {
		*out = NULL;
		return 0;
	}
	*out = (const struct ynode **)n->items;
	return n->n;
}

static void
check_keep_files(struct doctor *d)
{
	static const char *const defaults[] = { ".git", ".svn" };
	const struct config *cfg = d->cfg;
	const struct ynode *kf = ynode_get(cfg->jekyll, "keep_files");
	const struct ynode **v;
	struct strbuf dir = STRBUF_INIT, list = STRBUF_INIT;
	size_t n = scalars(kf, &v), i, j, bad = 0;
	const char *e;

	for (i = 0; i < (kf ? n : ARRAY_SIZE(defaults)); i++)
		strbuf_printf(&list, "%s%s", i ? ", " : "", kf ?
		    (v[i]->kind == YNODE_SCALAR ? v[i]->value : "?") :
		    defaults[i]);
	for (i = 0; kf && i < n; i++) {
		if (v[i]->kind != YNODE_SCALAR)
			continue;
		e = v[i]->value;
		for (j = 0; j < cfg->nsets; j++) {
			strbuf_set(&dir, cfg->sets[j].target);
			strbuf_putc(&dir, '/');
			if (strncmp(dir.buf, e, strlen(e)) == 0) {
				bad++;
				doctor_add(d, DOCTOR_ERROR, "jekyll-keep-files",
				    cfg->sets[j].name, "take it out of "
				    "keep_files, or narrow it so that no "
				    "target folder starts with it",
				    "keep_files entry '%s' (%s) covers %s: "
				    "Jekyll never deletes those files from "
				    "_site, so a render no page references any "
				    "more stays published", e,
				    ynode_where(v[i]), dir.buf);
			} else if (strncmp(e, dir.buf, dir.len) == 0) {
				bad++;
				doctor_add(d, DOCTOR_WARN, "jekyll-keep-files",
				    cfg->sets[j].name, "take it out of "
				    "keep_files", "keep_files entry '%s' (%s) "
				    "lies in %s: whatever it names stays in "
				    "_site after renderlink removes the link",
				    e, ynode_where(v[i]), cfg->sets[j].target);
			}
		}
	}
	if (bad == 0)
		doctor_add(d, DOCTOR_OK, "jekyll-keep-files", NULL, NULL,
		    "keep_files (%s) keeps no target folder: Jekyll removes "
		    "from _site what renderlink unlinks", list.len ? list.buf :
		    "empty");
	strbuf_free(&dir);
	strbuf_free(&list);
}

/* Whether the list of scalars at key names the gem. */
static bool
lists_gem(const struct ynode *jekyll, const char *key)
{
	const struct ynode **v;
	size_t n = scalars(ynode_get(jekyll, key), &v), i;

	for (i = 0; i < n; i++)
		if (v[i]->kind == YNODE_SCALAR &&
		    strcmp(v[i]->value, GEM_NAME) == 0)
			return true;
	return false;
}

/*
 * Where the Gemfile names the gem: 0 not at all, 1 outside the
 * :jekyll_plugins group (then only `plugins:` loads it), 2 in it (Jekyll
 * requires that group itself).  A line-by-line reading of the usual
 * forms - `group :jekyll_plugins do ... end` and `gem "x", group:
 * :jekyll_plugins` - not Ruby.
 */
static int
gemfile_gem(int sitefd)
{
	struct strbuf gf = STRBUF_INIT, line = STRBUF_INIT;
	bool stack[32] = { false };
	size_t depth = 0, i;
	const char *p, *nl, *s;
	int found = 0;
	bool in;

	if (file_read(&gf, sitefd, "Gemfile") != 0) {
		strbuf_free(&gf);
		return 0;
	}
	for (p = gf.buf; *p; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		strbuf_reset(&line);
		strbuf_add(&line, p, (size_t)(nl - p));
		if ((s = strchr(line.buf, '#')) != NULL)
			strbuf_setlen(&line, (size_t)(s - line.buf));
		s = line.buf + strspn(line.buf, " \t");
		for (in = false, i = 0; i < depth; i++)
			in |= stack[i];
		if (strncmp(s, "end", 3) == 0 && strchr(" \t\r", s[3]) &&
		    depth > 0) {
			depth--;
			continue;
		}
		if ((strncmp(s, "gem ", 4) == 0 || strncmp(s, "gem(", 4) == 0)
		    && (strstr(s, "\"" GEM_NAME "\"") ||
		    strstr(s, "'" GEM_NAME "'"))) {
			if (in || strstr(s, ":jekyll_plugins"))
				found = 2;
			else if (found == 0)
				found = 1;
		}
		if (strstr(s, " do") && (strstr(s, " do\r") ||
		    strstr(s, " do |") || (strlen(s) >= 3 &&
		    strcmp(s + strlen(s) - 3, " do") == 0)) &&
		    depth < ARRAY_SIZE(stack))
			stack[depth++] = strncmp(s, "group", 5) == 0 &&
			    strstr(s, ":jekyll_plugins") != NULL;
	}
	strbuf_free(&gf);
	strbuf_free(&line);
	return found;
}

/* Whether the `jekyll` found first on PATH is renderlink's wrapper. */
static bool
wrapper_on_path(struct strbuf *where)
{
	struct strbuf text = STRBUF_INIT;
	const char *path = getenv("PATH"), *p, *end;
	struct stat st;
	bool yes = false;

	for (p = path ? path : ""; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		strbuf_reset(where);
		strbuf_add(where, p, (size_t)(end - p));
		if (where->len == 0)
			strbuf_putc(where, '.');
		strbuf_joinpath(where, "jekyll");
		if (stat(where->buf, &st) < 0 || !S_ISREG(st.st_mode) ||
		    access(where->buf, X_OK) < 0)
			continue;
		/* The first one is the one a shell runs; a script is small. */
		yes = st.st_size < (1 << 20) &&
		    doctor_read(&text, where->buf) == 0 &&
		    strstr(text.buf, WRAPPER_MARK) != NULL;
		break;
	}
	strbuf_free(&text);
	return yes;
}

static void
check_plugin(struct doctor *d)
{
	const struct ynode *pd = d->cfg ? ynode_get(d->cfg->jekyll,
	    "plugins_dir") : NULL;
	struct strbuf file = STRBUF_INIT, found = STRBUF_INIT;
	struct strbuf wrapper = STRBUF_INIT, advice = STRBUF_INIT;
	bool safe = d->cfg && d->cfg->safe, listed = false;
	bool plugin_file;
	struct stat st;
	int gem = gemfile_gem(d->sitefd);

	strbuf_set(&file, pd && pd->kind == YNODE_SCALAR && pd->len ?
	    pd->value : "_plugins");
	strbuf_joinpath(&file, "renderlink.rb");
	plugin_file = fstatat(d->sitefd, file.buf, &st, 0) == 0 &&
	    S_ISREG(st.st_mode);
	if (d->cfg)
		listed = lists_gem(d->cfg->jekyll, "plugins") ||
		    lists_gem(d->cfg->jekyll, "gems");
	if (plugin_file && !safe)
		strbuf_printf(&found, "the plugin %s", file.buf);
	if (gem == 2 || listed)
		strbuf_printf(&found, "%sthe gem " GEM_NAME " (%s)", found.len ?
		    ", " : "", gem == 2 ? "Gemfile group :jekyll_plugins" :
		    "plugins: in the config");
	if (wrapper_on_path(&wrapper))
		strbuf_printf(&found, "%sthe wrapper %s, run as jekyll",
		    found.len ? ", " : "", wrapper.buf);
	if (found.len)
		doctor_add(d, DOCTOR_OK, "jekyll-plugin", NULL, NULL,
		    "renderlink syncs before each Jekyll build: %s",
		    found.buf);
	else if (plugin_file)
		doctor_add(d, DOCTOR_WARN, "jekyll-plugin", NULL, "build with "
		    "the wrapper hook/jekyll, or run renderlink sync before "
		    "each build", "%s is there, but in safe mode Jekyll does "
		    "not load _plugins/: nothing runs renderlink before a "
		    "build", file.buf);
	else if (gem == 1)
		doctor_add(d, DOCTOR_WARN, "jekyll-plugin", NULL, "move it "
		    "into group :jekyll_plugins, or add " GEM_NAME " to "
		    "'plugins:' in _config.yml", "the Gemfile names "
		    GEM_NAME " outside group :jekyll_plugins and the "
		    "config's 'plugins:' does not list it, so Jekyll does not "
		    "load it: nothing runs renderlink before a build");
	else {
		strbuf_printf(&advice, "add gem '" GEM_NAME "' to the "
		    "Gemfile's group :jekyll_plugins (or to 'plugins:'), or "
		    "copy renderlink's Jekyll plugin (hook/renderlink.rb) to "
		    "%s, or build with the wrapper hook/jekyll; else run "
		    "'renderlink sync' before every build", file.buf);
		doctor_add(d, DOCTOR_WARN, "jekyll-plugin", NULL, advice.buf,
		    "nothing runs renderlink before a Jekyll build (no %s, no "
		    GEM_NAME " in the Gemfile's group :jekyll_plugins or "
		    "'plugins:', no wrapper as jekyll on PATH): links go "
		    "stale, and Jekyll aborts on one whose render is gone",
		    file.buf);
	}
	strbuf_free(&advice);
	strbuf_free(&file);
	strbuf_free(&found);
	strbuf_free(&wrapper);
}

void
doctor_jekyll(struct doctor *d)
{
	if (d->cfg)
		check_safe(d);
	check_env(d);
	if (d->cfg)
		check_keep_files(d);
	check_plugin(d);
}
