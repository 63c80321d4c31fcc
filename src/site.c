/*
 * site.c - open a site: its config and its root folder.  Shared by every
 * command so that -C and --config mean the same everywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "fsutil.h"
#include "index_build.h"
#include "lock.h"
#include "manifest.h"
#include "repo.h"
#include "strbuf.h"
#include "util.h"

struct global_opts gopt;

static size_t
split_commas(char ***out, const char *list)
{
	char **v = NULL;
	size_t n = 0, alloc = 0;
	const char *p = list, *end;

	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		if (end == p)
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = xstrndup(p, (size_t)(end - p));
	}
	*out = v;
	return n;
}

/*
 * Without -C or --config, the site is the nearest folder, from here
 * upwards, that holds a Jekyll config: renderlink works from any folder
 * of the site, as git does from any folder of a work tree.  None found:
 * here, so that the error names this folder.
 */
static void
find_site_root(struct strbuf *out)
{
	struct strbuf try = STRBUF_INIT;
	char *cwd = getcwd(NULL, 0);
	char *slash;

	strbuf_set(out, ".");
	if (cwd == NULL)
		return;
	for (;;) {
		strbuf_set(&try, cwd);
		strbuf_joinpath(&try, "_config.yml");
		if (access(try.buf, F_OK) == 0)
			break;
		strbuf_set(&try, cwd);
		strbuf_joinpath(&try, "_config.yaml");
		if (access(try.buf, F_OK) == 0)
			break;
		if ((slash = strrchr(cwd, '/')) == NULL || slash == cwd) {
			free(cwd);
			strbuf_free(&try);
			return;
		}
		*slash = '\0';
	}
	strbuf_set(out, cwd);
	free(cwd);
	strbuf_free(&try);
}

/* The site folder the global options name, as given (not yet checked). */
static void
site_root_arg(struct strbuf *root)
{
	if (gopt.dir)
		strbuf_set(root, gopt.dir);
	else if (gopt.config)
		strbuf_set(root, ".");
	else
		find_site_root(root);
}

size_t
site_config_files(char ***out)
{
	*out = NULL;
	return gopt.config ? split_commas(out, gopt.config) : 0;
}

void
site_config_files_free(char **files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

int
site_open(struct site *site)
{
	struct strbuf root = STRBUF_INIT;
	char **files = NULL;
	size_t nfiles;
	int r;

	memset(site, 0, sizeof(*site));
	site->fd = -1;
	nfiles = site_config_files(&files);
	site_root_arg(&root);
	r = config_load(&site->cfg, root.buf, files, nfiles);
	strbuf_free(&root);
	site_config_files_free(files, nfiles);
	if (r < 0) {
		warnx_("%s", rl_error_last());
		return EXIT_USAGE;
	}
	site->root = xstrdup(site->cfg->site_root);
	site->fd = open(site->cfg->site_root,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (site->fd < 0) {
		warnx_("%s: %s", site->cfg->site_root, strerror(errno));
		site_close(site);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * The same folder, without reading its config: `init` writes the
 * renderlink block that site_open() would insist on.
 */
int
site_open_dir(struct site *site)
{
	struct strbuf root = STRBUF_INIT;

	memset(site, 0, sizeof(*site));
	site->fd = -1;
	site_root_arg(&root);
	if ((site->root = realpath(root.buf, NULL)) == NULL ||
	    (site->fd = open(site->root,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		warnx_("%s: %s", root.buf, strerror(errno));
		strbuf_free(&root);
		site_close(site);
		return EXIT_USAGE;
	}
	strbuf_free(&root);
	return 0;
}

void
site_close(struct site *site)
{
	if (site->fd >= 0)
		close(site->fd);
	config_free(site->cfg);
	free(site->root);
	memset(site, 0, sizeof(*site));
	site->fd = -1;
}

enum format
global_format(void)
{
	enum format f = format_default();

	/* One asks for less output, the other for more: say so, not guess. */
	if (gopt.quiet && gopt.verbose) {
		warnx_("-q (--quiet) and -v (--verbose) cannot be used "
		    "together: -q prints problems only, -v adds unchanged "
		    "links and a summary");
		exit(EXIT_USAGE);
	}

	if (gopt.format && format_parse(&f, gopt.format) < 0) {
		warnx_("unknown --format '%s' (use text, json or github)",
		    gopt.format);
		exit(EXIT_USAGE);
	}
	return f;
}

int
site_lock(struct site *site, bool exclusive, int timeout)
{
	int r = lock_acquire(site->fd, exclusive, timeout);

	if (r == 0)
		return 0;
	if (r > 0)
		warnx_("another renderlink is still working on %s (waited %d s; "
		    "see --lock-timeout)", site->root, timeout);
	else
		warnx_("%s: %s", site->root, rl_error_last());
	return r > 0 ? EXIT_LOCKED : EXIT_USAGE;
}

char *
site_repo_prefix(const struct site *site)
{
	struct repo *r;
	char *prefix;

	if (repo_open(&r, site->root) != 0)
		return NULL;
	prefix = xstrdup(r->prefix);
	repo_free(r);
	return prefix;
}

void
sweep_temporaries(const struct site *site)
{
	const struct config *cfg = site->cfg;
	struct strbuf path = STRBUF_INIT;
	size_t i;

	tmp_sweep(site->fd, cfg->index);
	tmp_sweep(site->fd, MANIFEST_DIR "/" MANIFEST_FILE);
	tmp_sweep(site->fd, MANIFEST_DIR "/" PAGES_CACHE);
	for (i = 0; i < cfg->nplugins; i++) {
		strbuf_reset(&path);
		strbuf_printf(&path, "_data/renderlink/%s.json",
		    cfg->plugins[i].name);
		tmp_sweep(site->fd, path.buf);
	}
	strbuf_free(&path);
}
