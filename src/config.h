/*
 * config.h - the `renderlink:` key of the site's Jekyll config.
 *
 * Read the way Jekyll reads its config: the first of _config.yml and
 * _config.yaml, or the files given with --config (comma separated, later
 * files deep-merged over earlier ones).  Everything is checked before
 * anything runs; an error names the file, line and value, and the run
 * stops with exit code 2 having changed nothing.
 */
#ifndef RL_CONFIG_H
#define RL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct ynode;

struct linkset {
	char	*name;		/* unique, [A-Za-z0-9_-]+ */
	char	*key;		/* front matter key holding the references;
				   NULL for a set only plug-ins feed */
	char	*source_raw;	/* as written */
	char	*source;	/* absolute Linux path, normalized, no trailing '/' */
	char	*target;	/* site-relative folder, normalized, no ".." */
	char   **exts;		/* lower case, without dot */
	size_t	 nexts;
	char	*where;		/* "FILE:LINE:COL" of this set, for messages */
};

/* An external plug-in (plugin.h), as configured under renderlink.plugins. */
struct plugin_conf {
	char	*name;		/* unique, [A-Za-z0-9_-]+, not "media" */
	char   **argv;		/* NULL-terminated; argv[0] is the program
				   as found (absolute, or site-relative) */
	size_t	*sets;		/* the link sets it may feed (indexes) */
	size_t	 nsets;
	const struct ynode *options;	/* in config->jekyll, or NULL */
	double	 timeout;	/* seconds, default 30 */
	char	*where;		/* "FILE:LINE:COL" of this entry */
};

struct config {
	char	*site_root;	/* absolute path of the site (the -C folder) */
	char	*index;		/* site-relative, default _data/front_matter.json */
	char	*automount_root;	/* as configured, ends with '/'
				   (NULL: not set) */
	bool	 safe;		/* Jekyll's own `safe:` (Ruby truthiness) */
	/* Used by the Jekyll plugin / pre-commit check, not by the sync: */
	char	*bin;		/* renderlink.bin as written, or NULL */
	long long max_media_bytes;	/* >= 0, default 1048576 */
	struct linkset *sets;
	size_t	 nsets;
	struct plugin_conf *plugins;	/* in config order */
	size_t	 nplugins;
	char   **files;		/* the config files read, as given */
	size_t	 nfiles;
	/* The whole merged Jekyll config (exclude, include, collections...
	 * for sitewalk.h); always a map. */
	struct ynode *jekyll;
};

/*
 * Reads and validates the config.  site_root is the site folder (absolute
 * or relative to the current folder); files are relative to it (NULL or
 * nfiles 0: the default lookup; a TOML config is an error).  Unknown keys
 * under renderlink: are errors; a target must be a folder strictly inside
 * the site that Jekyll publishes (no "..", "_site", Jekyll's default
 * excludes, or folder names starting with "_", ".", "#", "~"), and no two
 * sets share one.  On error *out is NULL and rl_error_last() names file,
 * line and value.
 */
int	 config_load(struct config **out, const char *site_root,
	    char *const *files, size_t nfiles);
void	 config_free(struct config *cfg);

/* Ruby truthiness of a Jekyll setting, as Jekyll tests `site.safe`:
 * only nil (or no value) and false are off, so `safe: 0` or `safe: "no"`
 * turn it on. */
bool	 config_truthy(const struct ynode *n);

#endif
