/*
 * config.c - reads and checks the `renderlink:` key of the Jekyll config;
 * see config.h.
 *
 * The config files are found and merged as Jekyll does it, so that what
 * we act on is what the site will be built with.  Everything is checked
 * here, up front, and strictly: an unknown key is an error (a typo such as
 * `extention:` must not silently fall back to a default), and every
 * message points at FILE:LINE:COL and quotes the value, because the
 * person reading it is editing that file.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "config_plugins.h"
#include "setting.h"
#include "strbuf.h"
#include "util.h"
#include "wslpath.h"
#include "ytree.h"

#define CONFIG_DEFAULT_INDEX	"_data/front_matter.json"
#define CONFIG_DEFAULT_MAX_MEDIA_BYTES	1048576LL

static const char *const renderlink_keys[] = {
	"index", "automount_root", "links", "plugins", "bin",
	"max_media_bytes"
};
static const char *const linkset_keys[] = {
	"name", "key", "source", "target", "extensions"
};

/*
 * Jekyll's default `exclude` list: files under these are never published,
 * so a link target there would be useless.  Jekyll matches a plain prefix.
 */
static const char *const jekyll_default_excludes[] = {
	".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock",
	"node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/",
	"vendor/ruby/"
};

/*
 * A site-relative path: not absolute, "/" only, no ".." (so it stays
 * inside the site).  "." and empty segments are dropped into out.
 */
static int
site_relative(struct strbuf *out, const struct ynode *n, const char *label)
{
	const char *v = n->value, *seg, *end;
	size_t len;

	strbuf_reset(out);
	if (v[0] == '/')
		return rl_error_set("%s: %s '%s' is absolute; give a path "
		    "relative to the site root", ynode_where(n), label, v);
	if (strchr(v, '\\') != NULL)
		return rl_error_set("%s: %s '%s' contains '\\'; separate "
		    "folders with '/'", ynode_where(n), label, v);
	for (seg = v; *seg; seg = *end ? end + 1 : end) {
		end = strchrnul(seg, '/');
		len = (size_t)(end - seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.')
			return rl_error_set("%s: %s '%s' leaves the site "
			    "('..' is not allowed)", ynode_where(n), label, v);
		if (out->len)
			strbuf_putc(out, '/');
		strbuf_add(out, seg, len);
	}
	if (out->len == 0)
		return rl_error_set("%s: %s '%s' is the site root itself",
		    ynode_where(n), label, v);
	return 0;
}

/*
 * A link target: a folder strictly inside the site that Jekyll will
 * publish.  Stricter than site_relative(): "." and empty segments are
 * errors too, since a target is compared with other targets as written.
 */
static int
check_target(struct strbuf *out, const struct ynode *n, const char *label)
{
	const char *v = n->value, *seg, *end;
	struct strbuf slash = STRBUF_INIT;
	size_t len, i;

	strbuf_reset(out);
	if (v[0] == '/')
		return rl_error_set("%s: %s '%s' is absolute; give a folder "
		    "relative to the site root", ynode_where(n), label, v);
	if (strchr(v, '\\') != NULL)
		return rl_error_set("%s: %s '%s' contains '\\'; separate "
		    "folders with '/'", ynode_where(n), label, v);
	strbuf_puts(out, v);
	if (out->len && out->buf[out->len - 1] == '/')
		strbuf_setlen(out, out->len - 1);
	if (out->len == 0 || strcmp(out->buf, ".") == 0)
		return rl_error_set("%s: %s '%s' is the site root itself; "
		    "give a folder inside the site", ynode_where(n), label, v);
	for (seg = out->buf; *seg; seg = *end ? end + 1 : end) {
		end = strchrnul(seg, '/');
		len = (size_t)(end - seg);
		if (len == 2 && seg[0] == '.' && seg[1] == '.')
			return rl_error_set("%s: %s '%s' leaves the site "
			    "('..' is not allowed)", ynode_where(n), label, v);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			return rl_error_set("%s: %s '%s' has an empty or '.' "
			    "folder name", ynode_where(n), label, v);
		if (seg == out->buf && len == 5 &&
		    memcmp(seg, "_site", 5) == 0)
			return rl_error_set("%s: %s '%s' is inside _site, "
			    "Jekyll's output folder", ynode_where(n), label,
			    v);
		if (seg[0] == '_')
			return rl_error_set("%s: %s '%s': Jekyll does not "
			    "publish folders starting with '_' (unless "
			    "listed in `include`); choose another folder",
			    ynode_where(n), label, v);
		if (seg[0] == '.' || seg[0] == '#' || seg[0] == '~')
			return rl_error_set("%s: %s '%s': Jekyll does not "
			    "publish folders starting with '%c'; choose "
			    "another folder", ynode_where(n), label, v,
			    seg[0]);
	}
	strbuf_puts(&slash, out->buf);
	strbuf_putc(&slash, '/');
	for (i = 0; i < ARRAY_SIZE(jekyll_default_excludes); i++) {
		const char *e = jekyll_default_excludes[i];

		if (strncmp(slash.buf, e, strlen(e)) == 0) {
			rl_error_set("%s: %s '%s' is in Jekyll's default "
			    "`exclude` ('%s'), so it would not be published",
			    ynode_where(n), label, v, e);
			strbuf_free(&slash);
			return -1;
		}
	}
	strbuf_free(&slash);
	return 0;
}

static int
parse_extensions(struct linkset *set, const struct ynode *n,
    const char *label)
{
	struct strbuf item = STRBUF_INIT;
	const char *v;
	char *ext;
	size_t i, j;

	if (n->kind != YNODE_SEQ)
		return rl_error_set("%s: %s must be a list such as [mp3, "
		    "wav], not '%s'", ynode_where(n), label, setting_shown(n));
	if (n->n == 0)
		return rl_error_set("%s: %s is an empty list",
		    ynode_where(n), label);
	set->exts = xcalloc(n->n, sizeof(*set->exts));
	for (i = 0; i < n->n; i++) {
		strbuf_reset(&item);
		strbuf_printf(&item, "%s[%zu]", label, i);
		if (setting_string(&v, n->items[i], item.buf) < 0)
			goto fail;
		ext = xstrdup(v[0] == '.' ? v + 1 : v);
		if (!setting_is_name(ext) || strchr(ext, '_') || strchr(ext, '-')) {
			free(ext);
			rl_error_set("%s: %s '%s' must be letters and digits, "
			    "such as mp3", ynode_where(n->items[i]), item.buf,
			    v);
			goto fail;
		}
		for (j = 0; ext[j]; j++)
			ext[j] = (char)tolower((unsigned char)ext[j]);
		for (j = 0; j < set->nexts; j++)
			if (strcmp(set->exts[j], ext) == 0)
				break;
		if (j < set->nexts)
			free(ext);	/* listed twice: harmless */
		else
			set->exts[set->nexts++] = ext;
	}
	strbuf_free(&item);
	return 0;
fail:
	strbuf_free(&item);
	return -1;
}

/*
 * A key every link set must have: *out is its node and field holds its
 * label ("renderlink.links[0].target") for the caller's messages.
 */
static int
required(const struct ynode **out, struct strbuf *field,
    const struct ynode *map, const char *key, const char *label)
{
	strbuf_reset(field);
	strbuf_printf(field, "%s.%s", label, key);
	if ((*out = ynode_get(map, key)) == NULL)
		return rl_error_set("%s: %s has no '%s' (every link set "
		    "needs name, source, target and extensions, and a key "
		    "unless only plug-ins feed it)",
		    ynode_where(map), label, key);
	return 0;
}

static int
parse_linkset(struct config *cfg, const struct ynode *map, size_t idx,
    const struct wslpath_env *env)
{
	struct linkset *set = &cfg->sets[cfg->nsets];
	struct strbuf label = STRBUF_INIT, field = STRBUF_INIT;
	struct strbuf path = STRBUF_INIT;
	const struct ynode *n;
	const char *v;
	size_t i;

	strbuf_printf(&label, "renderlink.links[%zu]", idx);
	memset(set, 0, sizeof(*set));
	cfg->nsets++;		/* from here on config_free() owns it */
	if (map->kind != YNODE_MAP) {
		rl_error_set("%s: %s must be a map (name:, key:, source:, "
		    "target:, extensions:), not '%s'", ynode_where(map),
		    label.buf, setting_shown(map));
		goto fail;
	}
	set->where = xstrdup(ynode_where(map));
	if (setting_keys(map, label.buf, linkset_keys,
	    ARRAY_SIZE(linkset_keys)) < 0)
		goto fail;

	if (required(&n, &field, map, "name", label.buf) < 0 ||
	    setting_string(&v, n, field.buf) < 0)
		goto fail;
	if (!setting_is_name(v)) {
		rl_error_set("%s: %s '%s' may only hold letters, digits, "
		    "'_' and '-'", ynode_where(n), field.buf, v);
		goto fail;
	}
	for (i = 0; i + 1 < cfg->nsets; i++) {
		if (strcmp(cfg->sets[i].name, v) == 0) {
			rl_error_set("%s: %s '%s' is already the name of the "
			    "link set at %s", ynode_where(n), field.buf, v,
			    cfg->sets[i].where);
			goto fail;
		}
	}
	set->name = xstrdup(v);

	/* No key: a set only plug-ins feed (checked once they are read). */
	if ((n = ynode_get(map, "key")) != NULL) {
		strbuf_reset(&field);
		strbuf_printf(&field, "%s.key", label.buf);
		if (setting_string(&v, n, field.buf) < 0)
			goto fail;
		set->key = xstrdup(v);
	}

	if (required(&n, &field, map, "target", label.buf) < 0 ||
	    setting_string(&v, n, field.buf) < 0 ||
	    check_target(&path, n, field.buf) < 0)
		goto fail;
	for (i = 0; i + 1 < cfg->nsets; i++) {
		if (strcmp(cfg->sets[i].target, path.buf) == 0) {
			rl_error_set("%s: %s '%s' is also the target of link "
			    "set '%s' at %s; each link set needs its own "
			    "folder", ynode_where(n), field.buf, v,
			    cfg->sets[i].name, cfg->sets[i].where);
			goto fail;
		}
	}
	set->target = strbuf_detach(&path);

	if (required(&n, &field, map, "source", label.buf) < 0 ||
	    setting_string(&v, n, field.buf) < 0)
		goto fail;
	set->source_raw = xstrdup(v);
	if (wslpath_resolve(&path, v, cfg->site_root, env) < 0) {
		/* wslpath's messages quote the value already */
		rl_error_prefix("%s: %s", ynode_where(n), field.buf);
		goto fail;
	}
	set->source = strbuf_detach(&path);

	if (required(&n, &field, map, "extensions", label.buf) < 0 ||
	    parse_extensions(set, n, field.buf) < 0)
		goto fail;

	strbuf_free(&label);
	strbuf_free(&field);
	return 0;
fail:
	strbuf_free(&label);
	strbuf_free(&field);
	strbuf_free(&path);
	return -1;
}

/* A whole number of bytes written as Psych reads an integer: 1048576 or
 * 1_048_576.  A leading 0 would be octal to Psych, so it is refused. */
static int
parse_bytes(long long *out, const struct ynode *n, const char *label)
{
	const char *s;
	long long v = 0;
	int d;

	if (n->kind != YNODE_SCALAR || !n->plain ||
	    (n->tag != NULL && strcmp(n->tag, "!!int") != 0))
		goto bad;
	s = n->value;
	if (*s == '+')
		s++;
	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0'))
		goto bad;
	for (; *s; s++) {
		if (*s == '_' && s[1] >= '0' && s[1] <= '9')
			continue;
		if (*s < '0' || *s > '9')
			goto bad;
		d = *s - '0';
		if (v > (LLONG_MAX - d) / 10)
			return rl_error_set("%s: %s '%s' is too large",
			    ynode_where(n), label, n->value);
		v = v * 10 + d;
	}
	*out = v;
	return 0;
bad:
	return rl_error_set("%s: %s must be a whole number of bytes (0 or "
	    "more, such as 1048576), not '%s'", ynode_where(n), label,
	    setting_shown(n));
}

/* A path (site-relative, normalized) with a ".git" folder in it. */
static bool
in_git_folder(const char *path)
{
	const char *p, *end;

	for (p = path; (end = strchr(p, '/')) != NULL; p = end + 1)
		if (end - p == 4 && strncasecmp(p, ".git", 4) == 0)
			return true;
	return false;
}

static int
parse_renderlink(struct config *cfg, const struct ynode *rl,
    const char *files_label)
{
	struct wslpath_env env;
	struct strbuf sb = STRBUF_INIT;
	const struct ynode *n, *links;
	const char *v;
	size_t i;
	int rc;

	if (ynode_is_null(rl))
		return rl_error_set("%s: \"renderlink\" is empty; see "
		    "_config.example.yml", ynode_where(rl));
	if (rl->kind != YNODE_MAP)
		return rl_error_set("%s: renderlink must be a map of settings, "
		    "not '%s'; see _config.example.yml", ynode_where(rl),
		    setting_shown(rl));
	if (setting_keys(rl, "renderlink", renderlink_keys,
	    ARRAY_SIZE(renderlink_keys)) < 0)
		return -1;

	if ((n = ynode_get(rl, "index")) != NULL) {
		if (setting_string(&v, n, "renderlink.index") < 0 ||
		    site_relative(&sb, n, "renderlink.index") < 0) {
			strbuf_free(&sb);
			return -1;
		}
		if (in_git_folder(sb.buf)) {
			rl_error_set("%s: renderlink.index '%s' lies in a git "
			    "folder, which is git's own: choose a path in the "
			    "site such as _data/front_matter.json",
			    ynode_where(n), v);
			strbuf_free(&sb);
			return -1;
		}
		cfg->index = strbuf_detach(&sb);
	} else
		cfg->index = xstrdup(CONFIG_DEFAULT_INDEX);

	if ((n = ynode_get(rl, "automount_root")) != NULL) {
		if (setting_string(&v, n, "renderlink.automount_root") < 0)
			return -1;
		if (v[0] != '/')
			return rl_error_set("%s: renderlink.automount_root "
			    "'%s' must be an absolute Linux path such as "
			    "/mnt/", ynode_where(n), v);
		strbuf_puts(&sb, v);
		if (sb.buf[sb.len - 1] != '/')
			strbuf_putc(&sb, '/');
		cfg->automount_root = strbuf_detach(&sb);
	}

	if ((n = ynode_get(rl, "bin")) != NULL) {
		if (setting_string(&v, n, "renderlink.bin") < 0)
			return -1;
		cfg->bin = xstrdup(v);
	}

	if ((n = ynode_get(rl, "max_media_bytes")) != NULL &&
	    parse_bytes(&cfg->max_media_bytes, n,
	    "renderlink.max_media_bytes") < 0)
		return -1;

	if ((links = ynode_get(rl, "links")) == NULL)
		return rl_error_set("%s: renderlink has no 'links' (a list "
		    "of link sets); see _config.example.yml",
		    ynode_where(rl));
	if (links->kind != YNODE_SEQ || links->n == 0)
		return rl_error_set("%s: renderlink.links must be a non-empty "
		    "list of link sets, not '%s'", ynode_where(links),
		    links->kind == YNODE_SEQ ? "[]" : setting_shown(links));

	if (wslpath_env_load(&env, cfg->automount_root) < 0)
		return rl_error_prefix("%s", files_label);
	cfg->sets = xcalloc(links->n, sizeof(*cfg->sets));
	rc = 0;
	for (i = 0; i < links->n && rc == 0; i++)
		rc = parse_linkset(cfg, links->items[i], i, &env);
	wslpath_env_free(&env);
	if (rc == 0)
		rc = config_plugins_parse(cfg, ynode_get(rl, "plugins"));
	return rc;
}

static bool
is_toml(const char *file)
{
	size_t len = strlen(file);

	return len >= 5 && strcasecmp(file + len - 5, ".toml") == 0;
}

static int
toml_error(const char *file)
{
	return rl_error_set("%s: TOML config files are not supported; use "
	    "--config with a YAML file", file);
}

/* Fills cfg->files with the file names as given, or the one Jekyll would
 * pick by default. */
static int
config_pick_files(struct config *cfg, char *const *files, size_t nfiles)
{
	static const char *const defaults[] = { "_config.yml", "_config.yaml" };
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	size_t i;

	if (nfiles > 0) {
		cfg->files = xcalloc(nfiles, sizeof(*cfg->files));
		for (i = 0; i < nfiles; i++)
			cfg->files[cfg->nfiles++] = xstrdup(files[i]);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(defaults); i++) {
		strbuf_set(&path, cfg->site_root);
		strbuf_joinpath(&path, defaults[i]);
		if (stat(path.buf, &st) == 0) {
			strbuf_free(&path);
			cfg->files = xcalloc(1, sizeof(*cfg->files));
			cfg->files[cfg->nfiles++] = xstrdup(defaults[i]);
			return 0;
		}
	}
	strbuf_set(&path, cfg->site_root);
	strbuf_joinpath(&path, "_config.toml");
	if (stat(path.buf, &st) == 0) {
		strbuf_free(&path);
		return toml_error("_config.toml");
	}
	strbuf_free(&path);
	return rl_error_set("%s: no _config.yml or _config.yaml here; is this "
	    "the Jekyll site folder?", cfg->site_root);
}

/* Loads every file and deep-merges them in order, as Jekyll does. */
static int
config_read(struct ynode **out, const struct config *cfg)
{
	struct strbuf path = STRBUF_INIT;
	struct ynode *root = NULL, *doc;
	struct stat st;
	size_t i;

	*out = NULL;
	for (i = 0; i < cfg->nfiles; i++) {
		const char *f = cfg->files[i];

		if (f[0] == '\0')
			continue;	/* "--config a.yml," as Jekyll */
		if (is_toml(f)) {
			toml_error(f);
			goto fail;
		}
		if (f[0] == '/')
			strbuf_set(&path, f);
		else {
			strbuf_set(&path, cfg->site_root);
			strbuf_joinpath(&path, f);
		}
		if (stat(path.buf, &st) < 0) {
			rl_error_set("%s: cannot read config file (%s, looked "
			    "for %s)", f, strerror(errno), path.buf);
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			rl_error_set("%s: config file is not a regular file "
			    "(%s)", f, path.buf);
			goto fail;
		}
		if (ytree_load_file(&doc, path.buf, f) < 0)
			goto fail;
		if (!ynode_is_null(doc) && doc->kind != YNODE_MAP) {
			rl_error_set("%s: a config file must be a map of "
			    "settings (key: value), not '%s'",
			    ynode_where(doc), setting_shown(doc));
			ynode_free(doc);
			goto fail;
		}
		ynode_merge(&root, doc);
	}
	strbuf_free(&path);
	*out = root;
	return 0;
fail:
	strbuf_free(&path);
	ynode_free(root);
	return -1;
}

bool
config_truthy(const struct ynode *n)
{
	bool b;

	if (ynode_is_null(n))
		return false;
	if (ynode_bool(&b, n) == 0)
		return b;
	return true;
}

int
config_load(struct config **out, const char *site_root,
    char *const *files, size_t nfiles)
{
	struct strbuf label = STRBUF_INIT;
	struct config *cfg;
	struct ynode *root = NULL, *rl;
	struct stat st;
	char *abs;
	size_t i;

	*out = NULL;
	if ((abs = realpath(site_root, NULL)) == NULL)
		return rl_error_set("%s: %s", site_root, strerror(errno));
	if (stat(abs, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(abs);
		return rl_error_set("%s: not a folder", site_root);
	}
	cfg = xcalloc(1, sizeof(*cfg));
	cfg->site_root = abs;
	cfg->max_media_bytes = CONFIG_DEFAULT_MAX_MEDIA_BYTES;
	if (config_pick_files(cfg, files, nfiles) < 0 ||
	    config_read(&root, cfg) < 0)
		goto fail;

	for (i = 0; i < cfg->nfiles; i++)
		strbuf_printf(&label, "%s%s", i ? "," : "", cfg->files[i]);
	cfg->safe = config_truthy(ynode_get(root, "safe"));
	if ((rl = ynode_get(root, "renderlink")) == NULL) {
		rl_error_set("%s: no \"renderlink\" key; see "
		    "_config.example.yml", label.buf);
		goto fail;
	}
	if (parse_renderlink(cfg, rl, label.buf) < 0)
		goto fail;
	cfg->jekyll = root;
	strbuf_free(&label);
	*out = cfg;
	return 0;
fail:
	ynode_free(root);
	strbuf_free(&label);
	config_free(cfg);
	return -1;
}

void
config_free(struct config *cfg)
{
	size_t i, j;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nsets; i++) {
		struct linkset *set = &cfg->sets[i];

		free(set->name);
		free(set->key);
		free(set->source_raw);
		free(set->source);
		free(set->target);
		for (j = 0; j < set->nexts; j++)
			free(set->exts[j]);
		free(set->exts);
		free(set->where);
	}
	free(cfg->sets);
	config_plugins_free(cfg);
	for (i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	free(cfg->files);
	free(cfg->site_root);
	free(cfg->index);
	free(cfg->automount_root);
	free(cfg->bin);
	ynode_free(cfg->jekyll);
	free(cfg);
}
