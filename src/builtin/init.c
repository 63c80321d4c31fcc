/*
 * builtin/init.c - `renderlink init`: add renderlink to a Jekyll site in
 * one command.
 *
 * It appends a commented `renderlink:` block, one link set filled from
 * the command line, to the site's config, and the set's target folder to
 * the .gitignore at the top of the git repository (links point at the
 * media drive: committed, they dangle in every clone).
 *
 * The config is the user's: every byte of it is kept, the block is only
 * appended, and a config that has a top-level `renderlink:` key already
 * (found by the YAML parser, not by a text search) is refused, exit 1,
 * with nothing changed; so a second run changes nothing.  The new text
 * must load with config_load() before it replaces the file: it is
 * written to a temporary beside the config, loaded as the config, and
 * renamed over it (keeping its mode); if it does not load, the temporary
 * goes and the error is exit 2.  A dry run loads it from a temporary in
 * $TMPDIR instead, so that not even the site folder's time changes.
 *
 * Without _config.yml or _config.yaml, init refuses (exit 2) rather than
 * make one: a folder without a Jekyll config is most likely not the
 * site, and `jekyll new` writes the config a site needs.
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
#include "gitignore.h"
#include "initblock.h"
#include "repo.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

#define INIT_NAME	"mp3s"
#define INIT_TARGET	"songs/mp3s"
#define INIT_KEY	"mp3s"
#define INIT_EXT	"mp3"

static const char *const init_usage[] = {
	"renderlink init --source <path> [--name <name>] [--target <dir>] "
	    "[--key <key>] [--ext <ext>[,<ext>...]] [-n] [<global options>]",
	NULL
};

/* What the command line asks for, checked. */
struct init_args {
	const char	*source, *name, *target, *key, *ext;
	char		**exts;
	size_t		 nexts;
	int		 dry_run;
};

/* What was done, for the report. */
struct init_result {
	const char	*config;	/* as shown: "_config.yml" */
	char		*block;		/* the text appended */
	const char	*source;	/* the media root as a Linux path */
	bool		 source_there;
	bool		 in_repo;
	char		*gitignore;	/* its path, when in a repository */
	char		*line;		/* the .gitignore line for the target */
	bool		 ignored;	/* git ignored the target already */
	bool		 added;		/* line appended (or, dry: would be) */
};

/* --- the config file ---------------------------------------------------- */

/*
 * Whether the config at path has a top-level renderlink key: 1 (where
 * says where the key is), 0, or -1 when it does not load (error set).
 */
static int
has_block(struct strbuf *where, const char *path, const char *display)
{
	struct ynode *root;
	size_t i;
	int found = 0;

	if (ytree_load_file(&root, path, display) < 0)
		return -1;
	if (!ynode_is_null(root) && root->kind != YNODE_MAP) {
		rl_error_set("%s: a config file must be a map of settings "
		    "(key: value)", ynode_where(root));
		ynode_free(root);
		return -1;
	}
	for (i = 0; root->kind == YNODE_MAP && i + 1 < root->n; i += 2) {
		const struct ynode *k = root->items[i];

		if (k->kind == YNODE_SCALAR &&
		    strcmp(k->value, "renderlink") == 0) {
			strbuf_set(where, ynode_where(k));
			found = 1;	/* the last one is Jekyll's */
		}
	}
	ynode_free(root);
	return found;
}

/* The path of a config file named as given (relative: to the site). */
static void
config_path(struct strbuf *out, const char *root, const char *file)
{
	if (file[0] == '/')
		strbuf_set(out, file);
	else {
		strbuf_set(out, root);
		strbuf_joinpath(out, file);
	}
}

/* out = s with every from replaced by to. */
static void
replace_all(struct strbuf *out, const char *s, const char *from,
    const char *to)
{
	size_t n = strlen(from);
	const char *p;

	strbuf_reset(out);
	while (n && (p = strstr(s, from)) != NULL) {
		strbuf_add(out, s, (size_t)(p - s));
		strbuf_puts(out, to);
		s = p + n;
	}
	strbuf_puts(out, s);
}

/*
 * Writes text to a new temporary file in dir (absolute), with the mode
 * and owner of st; its path goes to out.
 */
static int
write_temp(struct strbuf *out, const char *dir, const char *base,
    const char *text, const struct stat *st)
{
	struct strbuf name = STRBUF_INIT;
	size_t len = strlen(text);
	int fd;

	tmp_name(&name, base);
	strbuf_set(out, dir);
	strbuf_joinpath(out, name.buf);
	strbuf_free(&name);
	fd = open(out->buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0)
		return rl_error_set("%s: cannot create temporary: %s", out->buf,
		    strerror(errno));
	/*
	 * As the file it replaces: root editing a user's site keeps it
	 * theirs (best effort: the mode matters more).
	 */
	if (geteuid() == 0 && (st->st_uid != 0 || st->st_gid != 0))
		(void)!fchown(fd, st->st_uid, st->st_gid);
	if (fchmod(fd, st->st_mode & 07777) < 0)
		goto fail;
	if (fd_write_all(fd, text, len) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	rl_error_set("%s: %s", out->buf, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(out->buf);
	return -1;
}

/* The config file being edited, and the config it is loaded with. */
struct edit {
	const char	*root;		/* the site */
	char		**files;	/* the config files; files[0] is edited */
	size_t		 nfiles;
	const char	*real;		/* files[0], links resolved */
	struct stat	 st;		/* its mode and owner */
};

/* The line ending a file uses: that of its first line, else "\n". */
static const char *
eol_of(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);

	return nl && nl > text && nl[-1] == '\r' ? "\r\n" : "\n";
}

/*
 * Writes text to a temporary in dir and loads the config with it in
 * place of files[0], as every run will load it.  0: it loads, and the
 * temporary stays (its path in tmp) for the caller to rename or remove;
 * -1: it does not load (the error, naming the config and not the
 * temporary, is set; the temporary is gone); -2: no temporary could be
 * made there.
 */
static int
stage(struct config **cfg, struct strbuf *tmp, const char *dir,
    const char *text, struct edit *e)
{
	struct strbuf msg = STRBUF_INIT;
	char *was = e->files[0];
	int r;

	if (write_temp(tmp, dir, strrchr(e->real, '/') + 1, text, &e->st) < 0)
		return -2;
	e->files[0] = tmp->buf;
	r = config_load(cfg, e->root, e->files, e->nfiles);
	e->files[0] = was;
	if (r == 0)
		return 0;
	replace_all(&msg, rl_error_last(), tmp->buf, was);
	/* Appended, yet not read: the file's YAML document ended before. */
	rl_error_set("the renderlink block init would add does not load: "
	    "%s%s; %s is unchanged", msg.buf, strstr(msg.buf,
	    "no \"renderlink\" key") ? " (YAML stops reading before the "
	    "end of the file, where init appends it: does the file end its "
	    "document with '...', or hold one {...} map? add the block by "
	    "hand)" : "", was);
	strbuf_free(&msg);
	unlink(tmp->buf);
	return -1;
}

/* --- .gitignore ---------------------------------------------------------- */

/*
 * Asks git whether it ignores the target folder and, if not, appends the
 * line that makes it (dry run: only says so).  Not in a repository: a
 * note, nothing done.  Returns -1 (error set) when the file or the
 * repository cannot be read or written.
 */
static int
ignore_target(struct init_result *res, const char *root, const char *target,
    bool dry_run)
{
	struct strbuf sb = STRBUF_INIT;
	struct repo *repo;
	bool there;
	int r;

	if ((r = repo_open(&repo, root)) != 0)
		return r < 0 ? -1 : 0;
	res->in_repo = true;
	strbuf_set(&sb, repo->workdir);
	strbuf_joinpath(&sb, ".gitignore");
	res->gitignore = strbuf_detach(&sb);
	gitignore_folder_line(&sb, repo->prefix, target);
	res->line = strbuf_detach(&sb);
	strbuf_set(&sb, target);
	strbuf_putc(&sb, '/');
	if ((r = repo_is_ignored(&res->ignored, repo, sb.buf)) < 0 ||
	    res->ignored ||
	    (r = gitignore_has_line(&there, res->gitignore, res->line)) < 0)
		goto out;
	/* Its line there already, yet not ignored: a later line wins. */
	if (there) {
		r = rl_error_set("%s has the line '%s', yet git does not ignore "
		    "%s: a later line ('!...') takes it back; fix that by hand",
		    res->gitignore, res->line, sb.buf);
		goto out;
	}
	r = dry_run ? 0 : gitignore_append(res->gitignore, res->line);
	res->added = r == 0;
out:
	repo_free(repo);
	strbuf_free(&sb);
	return r < 0 ? -1 : 0;
}

/* --- the command --------------------------------------------------------- */

/* A word for a shell command line, quoted when it needs to be. */
static void
shell_word(struct strbuf *out, const char *s)
{
	const char *p;

	for (p = s; *p && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
	    "OPQRSTUVWXYZ0123456789_./-+=:,@%", *p); p++)
		;
	if (*s && *p == '\0') {
		strbuf_puts(out, s);
		return;
	}
	strbuf_putc(out, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			strbuf_puts(out, "'\\''");
		else
			strbuf_putc(out, *p);
	}
	strbuf_putc(out, '\'');
}

static void
print_text(const struct init_result *res, const struct init_args *a)
{
	struct strbuf rl = STRBUF_INIT;
	int n;

	if (a->dry_run) {
		printf("would add to %s:\n%s", res->config, res->block);
		if (res->added)
			printf("would add to %s:\n%s\n", res->gitignore,
			    res->line);
	} else {
		printf("added a renderlink block to %s: link set '%s' links "
		    "the renders pages list under '%s:' from %s", res->config,
		    a->name, a->key, a->source);
		if (strcmp(a->source, res->source) != 0)
			printf(" (%s)", res->source);
		printf(" into %s/\n", a->target);
		if (res->added)
			printf("added %s to %s (the links point at your media "
			    "drive: they must not be committed)\n", res->line,
			    res->gitignore);
	}
	if (res->in_repo && res->ignored)
		printf("git already ignores %s/\n", a->target);
	if (!res->in_repo)
		printf("the site is not in a git repository: no .gitignore "
		    "to update\n");
	if (a->dry_run)
		return;
	strbuf_puts(&rl, "renderlink");
	if (gopt.dir) {
		strbuf_puts(&rl, " -C ");
		shell_word(&rl, gopt.dir);
	}
	if (gopt.config) {
		strbuf_puts(&rl, " --config ");
		shell_word(&rl, gopt.config);
	}
	/* What to type next, aligned, with what it is for. */
	n = (int)rl.len + (res->in_repo ? 13 : 5);
	printf("next:\n  %s sync%*s  # make the links\n", rl.buf,
	    n - (int)rl.len - 5, "");
	if (res->in_repo)
		printf("  %s hook install  # check each commit (the git "
		    "pre-commit hook)\n", rl.buf);
	strbuf_free(&rl);
}

static void
print_json(const struct init_result *res, const struct init_args *a)
{
	json_t *exts = json_array(), *root;
	size_t i;

	for (i = 0; i < a->nexts; i++)
		json_array_append_new(exts, json_string(a->exts[i]));
	root = json_pack("{s:b, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:o}, "
	    "s:b, s:o, s:o, s:b, s:b}",
	    "dry_run", a->dry_run, "config", res->config, "block", res->block,
	    "set", "name", a->name, "key", a->key, "source", a->source,
	    "path", res->source, "target", a->target, "extensions", exts,
	    "source_available", res->source_there,
	    "gitignore", res->gitignore ? json_string(res->gitignore) :
	    json_null(),
	    "line", res->line ? json_string(res->line) : json_null(),
	    "ignored", res->ignored, "added", res->added);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putc('\n', stdout);
	json_decref(root);
}

/* Checks the command line; -1 after saying what is wrong. */
static int
args_check(struct init_args *a)
{
	const char *vals[] = { a->source, a->name, a->target, a->key, a->ext };
	const char *opt[] = { "source", "name", "target", "key", "ext" };
	const char *p, *end;
	size_t i;

	if (a->source == NULL) {
		warnx_("init needs --source <path>: the folder your renders "
		    "are in, such as --source 'E:\\media\\songs' or --source "
		    "/mnt/e/media/songs");
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		if (*vals[i] == '\0') {
			warnx_("--%s is empty", opt[i]);
			return -1;
		}
		for (p = vals[i]; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				warnx_("--%s holds a control character "
				    "(a line break?)", opt[i]);
				return -1;
			}
	}
	for (p = a->ext; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		while (p < end && *p == ' ')
			p++;
		while (end > p && end[-1] == ' ')
			end--;
		if (end > p) {
			a->exts = xrealloc(a->exts,
			    (a->nexts + 1) * sizeof(*a->exts));
			a->exts[a->nexts++] = xstrndup(p, (size_t)(end - p));
		}
		end = strchrnul(end, ',');
	}
	if (a->nexts == 0) {
		warnx_("--ext '%s' names no extension (give mp3, or mp3,wav)",
		    a->ext);
		return -1;
	}
	return 0;
}

/*
 * The config file to edit: the first --config file, else the first of
 * _config.yml and _config.yaml; index edit into *files (made to hold the
 * default when --config is not given).  EXIT_USAGE after saying why not.
 */
static int
pick_config(char ***files, size_t *nfiles, const char *root)
{
	static const char *const defaults[] = { "_config.yml", "_config.yaml" };
	struct strbuf path = STRBUF_INIT;
	size_t i;

	if ((*nfiles = site_config_files(files)) > 0)
		return 0;
	for (i = 0; i < ARRAY_SIZE(defaults); i++) {
		config_path(&path, root, defaults[i]);
		if (access(path.buf, F_OK) == 0) {
			*files = xcalloc(1, sizeof(**files));
			(*files)[0] = xstrdup(defaults[i]);
			*nfiles = 1;
			strbuf_free(&path);
			return 0;
		}
	}
	strbuf_free(&path);
	warnx_("%s: no _config.yml or _config.yaml here; run 'renderlink "
	    "init' in the Jekyll site's folder, or name it with -C <dir> "
	    "('jekyll new <dir>' makes a site)", root);
	return EXIT_USAGE;
}

/* Reads the config to edit; EXIT_USAGE after saying why not. */
static int
read_config(struct strbuf *text, struct stat *st, const char *path,
    const char *display)
{
	char buf[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, st) < 0) {
		warnx_("%s: %s", display, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_USAGE;
	}
	if (!S_ISREG(st->st_mode)) {
		warnx_("%s: not a regular file", display);
		close(fd);
		return EXIT_USAGE;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warnx_("%s: %s", display, strerror(errno));
			close(fd);
			return EXIT_USAGE;
		}
		strbuf_add(text, buf, (size_t)n);
	}
	close(fd);
	if (memchr(text->buf, '\0', text->len) != NULL) {
		warnx_("%s: holds a NUL byte; not a YAML file", display);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * Every config file in play is read by the YAML parser: one that has a
 * renderlink key already is refused (EXIT_PROBLEMS), one that does not
 * load is EXIT_USAGE.
 */
static int
refuse_existing(const char *root, char **files, size_t nfiles)
{
	struct strbuf path = STRBUF_INIT, where = STRBUF_INIT;
	size_t i;
	int r = 0;

	for (i = 0; i < nfiles && r == 0; i++) {
		if (files[i][0] == '\0')
			continue;
		config_path(&path, root, files[i]);
		if ((r = has_block(&where, path.buf, files[i])) < 0) {
			warnx_("%s", rl_error_last());
			r = EXIT_USAGE;
		} else if (r > 0) {
			warnx_("%s: the config has a renderlink: block already; "
			    "init changes nothing (edit that block by hand: "
			    "man 5 renderlink-config describes every key)",
			    where.buf);
			r = EXIT_PROBLEMS;
		}
	}
	strbuf_free(&path);
	strbuf_free(&where);
	return r;
}

/* Warns when the media root is not there (yet): not an error for init. */
static bool
source_check(const char *raw, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return true;
	if (strcmp(raw, path) != 0)
		fprintf(stderr, "warning: the media root %s (%s) is not there "
		    "(is the drive mounted?); renderlink sync links nothing "
		    "from it until it is (source-unavailable)\n", raw, path);
	else
		fprintf(stderr, "warning: the media root %s is not there (is "
		    "the drive mounted?); renderlink sync links nothing from "
		    "it until it is (source-unavailable)\n", path);
	return false;
}

int
cmd_init(int argc, char **argv)
{
	struct init_args a = {
		.name = INIT_NAME, .target = INIT_TARGET, .key = INIT_KEY,
		.ext = INIT_EXT,
	};
	struct init_result res = { 0 };
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct strbuf tmp = STRBUF_INIT, dir = STRBUF_INIT;
	struct config *cfg = NULL;
	struct site site = { .fd = -1 };
	struct initblock b;
	struct edit e;
	enum format format;
	char **files = NULL, *real = NULL, *slash;
	const char *tmpdir, *eol;
	size_t nfiles = 0, i;
	int code, r;
	const struct option opts[] = {
		OPT_STRING(0, "source", &a.source, "path",
		    "the media root: 'E:\\media\\songs', E:/media/songs or a "
		    "Linux path (required)"),
		OPT_STRING(0, "name", &a.name, "name",
		    "the link set's name (default " INIT_NAME ")"),
		OPT_STRING(0, "target", &a.target, "dir",
		    "the site folder that gets the links (default "
		    INIT_TARGET ")"),
		OPT_STRING(0, "key", &a.key, "key",
		    "the front matter key listing a page's renders (default "
		    INIT_KEY ")"),
		OPT_STRING(0, "ext", &a.ext, "ext[,ext...]",
		    "the file extensions to link (default " INIT_EXT ")"),
		OPT_BOOL('n', "dry-run", &a.dry_run,
		    "print the block and the .gitignore line, change nothing"),
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, init_usage, 0);
	if (argc > 0) {
		warnx_("init takes no arguments ('%s'); the media root is "
		    "given with --source", argv[1]);
		usage_with_options(init_usage, opts, EXIT_USAGE);
	}
	if (args_check(&a) < 0)
		usage_with_options(init_usage, opts, EXIT_USAGE);
	format = global_format();

	if ((code = site_open_dir(&site)) != 0 ||
	    (code = pick_config(&files, &nfiles, site.root)) != 0)
		goto out;
	res.config = files[0];
	if ((code = site_lock(&site, !a.dry_run, 30)) != 0 ||
	    (code = refuse_existing(site.root, files, nfiles)) != 0)
		goto out;
	/* A linked config is edited where it lies: the link stays. */
	config_path(&path, site.root, files[0]);
	if ((real = realpath(path.buf, NULL)) == NULL) {
		warnx_("%s: %s", files[0], strerror(errno));
		code = EXIT_USAGE;
		goto out;
	}
	e.root = site.root;
	e.files = files;
	e.nfiles = nfiles;
	e.real = real;
	if ((code = read_config(&text, &e.st, real, files[0])) != 0)
		goto out;
	eol = eol_of(text.buf, text.len);
	b.name = a.name;
	b.key = a.key;
	b.source = a.source;
	b.target = a.target;
	b.exts = a.exts;
	b.nexts = a.nexts;
	res.block = initblock_text(&b, eol);
	if (text.len && text.buf[text.len - 1] != '\n')
		strbuf_puts(&text, eol);
	if (text.len)
		strbuf_puts(&text, eol);
	strbuf_puts(&text, res.block);

	/*
	 * Loaded from $TMPDIR first, so that a block that does not load
	 * leaves the site as it was, its folder's time included; then, for
	 * real, from a temporary beside the config that is renamed over it.
	 */
	strbuf_set(&dir, real);
	slash = strrchr(dir.buf, '/');
	strbuf_setlen(&dir, slash == dir.buf ? 1 : (size_t)(slash - dir.buf));
	tmpdir = getenv("TMPDIR");
	r = stage(&cfg, &tmp, tmpdir && *tmpdir == '/' ? tmpdir : "/tmp",
	    text.buf, &e);
	if (r == 0)
		unlink(tmp.buf);
	/* (-2: no temporary in $TMPDIR; the one beside the config checks.) */
	if (r != -1 && !a.dry_run) {
		config_free(cfg);
		cfg = NULL;
		r = stage(&cfg, &tmp, dir.buf, text.buf, &e);
	}
	if (r < 0) {
		warnx_("%s", rl_error_last());
		code = EXIT_USAGE;
		goto out;
	}
	if (!a.dry_run && rename(tmp.buf, real) < 0) {
		warnx_("%s: %s; %s is unchanged", files[0], strerror(errno),
		    files[0]);
		unlink(tmp.buf);
		code = EXIT_PROBLEMS;
		goto out;
	}
	res.source = cfg->sets[cfg->nsets - 1].source;
	res.source_there = source_check(a.source, res.source);

	if (ignore_target(&res, site.root, cfg->sets[cfg->nsets - 1].target,
	    a.dry_run) < 0) {
		warnx_("%s%s", rl_error_last(), a.dry_run ? "" :
		    "; the renderlink block was added all the same");
		code = EXIT_PROBLEMS;
	}
	if (format == FORMAT_JSON)
		print_json(&res, &a);
	else if (!gopt.quiet)
		print_text(&res, &a);
out:
	config_free(cfg);
	site_config_files_free(files, nfiles);
	for (i = 0; i < a.nexts; i++)
		free(a.exts[i]);
	free(a.exts);
	free(res.block);
	free(res.gitignore);
	free(res.line);
	free(real);
	strbuf_free(&path);
	strbuf_free(&text);
	strbuf_free(&tmp);
	strbuf_free(&dir);
	site_close(&site);
	return code;
}
