/*
 * cmd.h - what every command shares: the global options, opening the
 * site, and the table of commands in main.c.
 */
#ifndef RL_CMD_H
#define RL_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"
#include "report.h"

struct config;

struct global_opts {
	const char	*dir;		/* -C: the site root */
	const char	*config;	/* --config a.yml,b.yml */
	const char	*format;	/* --format text|json */
	int		 verbose;
	int		 quiet;
};

extern struct global_opts gopt;

/* The options every command accepts, before or after its name. */
#define OPT_GLOBALS(g)							\
	OPT_GROUP("global options (before or after the command):"),	\
	OPT_STRING('C', NULL, &(g).dir, "dir",				\
	    "run in <dir> (the site root) instead of here"),		\
	OPT_STRING(0, "config", &(g).config, "files",			\
	    "Jekyll config files, comma separated (later ones win)"),	\
	OPT_STRING(0, "format", &(g).format, "format",			\
	    "text, json or github (github under GitHub Actions)"),	\
	OPT_COUNT('v', "verbose", &(g).verbose,			\
	    "also list unchanged links and a summary"),			\
	OPT_BOOL('q', "quiet", &(g).quiet, "print problems only")

/*
 * Jekyll's own flags that widen which pages count (publish.h), for the
 * commands that plan links: they mean what they mean to `jekyll build`.
 */
#define OPT_PUBLISH(f)							\
	OPT_BOOL('D', "drafts", &(f).drafts,				\
	    "count drafts too, as jekyll build --drafts"),		\
	OPT_BOOL(0, "unpublished", &(f).unpublished,			\
	    "count pages marked 'published: false' too"),		\
	OPT_BOOL(0, "future", &(f).future,				\
	    "count documents dated in the future too")

/* Exit codes. */
#define EXIT_PROBLEMS	1
#define EXIT_USAGE	2
#define EXIT_LOCKED	3

struct site {
	struct config	*cfg;		/* NULL after site_open_dir() */
	char		*root;		/* absolute path of the site root */
	int		 fd;		/* the site root folder */
};

/*
 * Reads the config for the site named by the global options and opens
 * the site folder.  On failure prints the error and returns EXIT_USAGE.
 */
int	 site_open(struct site *site);
/*
 * Opens the same folder without reading its config (for `init`, which
 * writes the renderlink block): site->cfg is NULL.  A folder that does
 * not exist is EXIT_USAGE, said.
 */
int	 site_open_dir(struct site *site);
void	 site_close(struct site *site);
/* The --config files as a list (n returned; none: 0 and NULL). */
size_t	 site_config_files(char ***out);
void	 site_config_files_free(char **files, size_t n);
/*
 * Removes the temporaries a killed run left of renderlink's own files
 * (the index, its cache, the manifest, plug-in data).  Only under the
 * exclusive lock.
 */
void	 sweep_temporaries(const struct site *site);
/* Takes the site's lock; 0, or the exit code after saying why not. */
int	 site_lock(struct site *site, bool exclusive, int timeout);
/*
 * Where the site lies in its git repository ("" at the top), for
 * GitHub's repository-relative file names; NULL outside a repository.
 */
char	*site_repo_prefix(const struct site *site);
/* The --format value; exits with usage on a bad one, or on -q with -v. */
enum format global_format(void);

int	 cmd_check(int argc, char **argv);
int	 cmd_clean(int argc, char **argv);
int	 cmd_complete(int argc, char **argv);
int	 cmd_doctor(int argc, char **argv);
int	 cmd_hook(int argc, char **argv);
int	 cmd_index(int argc, char **argv);
int	 cmd_init(int argc, char **argv);
int	 cmd_plugins(int argc, char **argv);
int	 cmd_status(int argc, char **argv);
int	 cmd_sync(int argc, char **argv);

/* builtin/hook.c, for `doctor`: the pre-commit hook `hook install`
 * writes, and whether a hook's text is renderlink's (its marker line). */
const char *hook_script(void);
bool	 hook_text_is_ours(const char *text);

#endif
