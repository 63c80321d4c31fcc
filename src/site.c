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
#include "lock.h"
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

int
site_open(struct site *site)
{
	char **files = NULL;
	size_t nfiles = 0, i;
	int r;

	memset(site, 0, sizeof(*site));
	site->fd = -1;
	if (gopt.config)
		nfiles = split_commas(&files, gopt.config);
	r = config_load(&site->cfg, gopt.dir ? gopt.dir : ".", files, nfiles);
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	if (r < 0) {
		warnx_("%s", rl_error_last());
		return EXIT_USAGE;
	}
	site->fd = open(site->cfg->site_root,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (site->fd < 0) {
		warnx_("%s: %s", site->cfg->site_root, strerror(errno));
		site_close(site);
		return EXIT_USAGE;
	}
	return 0;
}

void
site_close(struct site *site)
{
	if (site->fd >= 0)
		close(site->fd);
	config_free(site->cfg);
	memset(site, 0, sizeof(*site));
	site->fd = -1;
}

enum format
global_format(void)
{
	enum format f = format_default();

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
		    "see --lock-timeout)", site->cfg->site_root, timeout);
	else
		warnx_("%s: %s", site->cfg->site_root, rl_error_last());
	return r > 0 ? EXIT_LOCKED : EXIT_USAGE;
}

char *
site_repo_prefix(const struct site *site)
{
	struct repo *r;
	char *prefix;

	if (repo_open(&r, site->cfg->site_root) != 0)
		return NULL;
	prefix = xstrdup(r->prefix);
	repo_free(r);
	return prefix;
}
