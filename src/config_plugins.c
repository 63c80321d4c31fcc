/*
 * config_plugins.c - renderlink.plugins: the external plug-ins of a site.
 *
 *   plugins:
 *     - name: latest-take            # unique; letters, digits, _ and -
 *       run: [hook/plugins/latest-take, --newest]
 *       sets: [mp3s]                 # the link sets it may feed
 *       options: {key: latest}       # any YAML, handed over as JSON
 *       timeout: 10                  # seconds, default 30
 *
 * Everything a run would trip over is refused here, with the file, line
 * and column: a program that is not there, a set that does not exist,
 * options JSON cannot hold.  The program is found once, now: an absolute
 * path as it is, a path with a "/" below the site, a bare name on PATH.
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_plugins.h"
#include "frontmatter.h"
#include "setting.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

#define DEFAULT_TIMEOUT	30.0

static const char *const plugin_keys[] = {
	"name", "run", "sets", "options", "timeout"
};

static bool
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The program a run's first word names, or -1 (error set). */
static int
find_program(struct strbuf *out, const char *word, const struct config *cfg,
    const struct ynode *n, const char *label)
{
	const char *path = getenv("PATH"), *p, *end;

	strbuf_reset(out);
	if (word[0] == '/' || strchr(word, '/')) {
		if (word[0] != '/')
			strbuf_puts(out, cfg->site_root);
		strbuf_joinpath(out, word);
		if (is_file(out->buf))
			return 0;
		return rl_error_set("%s: %s: program '%s' is not there (%s%s)",
		    ynode_where(n), label, word, out->buf, word[0] == '/' ?
		    "" : "; a path with '/' is relative to the site");
	}
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; ; p = end + 1) {
		end = strchrnul(p, ':');
		strbuf_reset(out);
		strbuf_add(out, p, (size_t)(end - p));
		if (out->len == 0)
			strbuf_putc(out, '.');
		strbuf_joinpath(out, word);
		if (is_file(out->buf) && access(out->buf, X_OK) == 0)
			return 0;
		if (*end == '\0')
			break;
	}
	return rl_error_set("%s: %s: program '%s' not found on PATH",
	    ynode_where(n), label, word);
}

static int
parse_run(struct plugin_conf *pc, const struct ynode *n,
    const struct config *cfg, const char *label)
{
	struct strbuf item = STRBUF_INIT, prog = STRBUF_INIT;
	const struct ynode *const *words = &n;
	const char *v;
	size_t i, nw = 1;

	if (n->kind == YNODE_SEQ) {
		words = (const struct ynode *const *)n->items;
		nw = n->n;
		if (nw == 0)
			return rl_error_set("%s: %s.run is an empty list",
			    ynode_where(n), label);
	} else if (n->kind != YNODE_SCALAR)
		return rl_error_set("%s: %s.run must be a program or a list "
		    "(the program and its arguments), not %s", ynode_where(n),
		    label, setting_kind(n));
	pc->argv = xcalloc(nw + 1, sizeof(*pc->argv));
	for (i = 0; i < nw; i++) {
		strbuf_reset(&item);
		strbuf_printf(&item, "%s.run", label);
		if (setting_string(&v, words[i], item.buf) < 0)
			goto fail;
		if (i == 0) {
			if (find_program(&prog, v, cfg, words[i], item.buf) < 0)
				goto fail;
			pc->argv[0] = strbuf_detach(&prog);
		} else
			pc->argv[i] = xstrdup(v);
	}
	strbuf_free(&item);
	return 0;
fail:
	strbuf_free(&item);
	strbuf_free(&prog);
	return -1;
}

static int
parse_sets(struct plugin_conf *pc, const struct ynode *n,
    const struct config *cfg, const char *label)
{
	const char *v;
	size_t i, j;

	if (n->kind != YNODE_SEQ || n->n == 0)
		return rl_error_set("%s: %s.sets must be a non-empty list of "
		    "link set names, not '%s'", ynode_where(n), label,
		    n->kind == YNODE_SEQ ? "[]" : setting_shown(n));
	pc->sets = xcalloc(n->n, sizeof(*pc->sets));
	for (i = 0; i < n->n; i++) {
		if (setting_string(&v, n->items[i], "a link set name") < 0)
			return -1;
		for (j = 0; j < cfg->nsets; j++)
			if (strcmp(cfg->sets[j].name, v) == 0)
				break;
		if (j == cfg->nsets)
			return rl_error_set("%s: %s.sets: there is no link set "
			    "'%s'", ynode_where(n->items[i]), label, v);
		pc->sets[pc->nsets++] = j;
	}
	return 0;
}

static int
parse_timeout(double *out, const struct ynode *n, const char *label)
{
	char *end;
	double t;

	*out = DEFAULT_TIMEOUT;
	if (n == NULL)
		return 0;
	errno = 0;
	t = n->kind == YNODE_SCALAR && n->len ? strtod(n->value, &end) : 0;
	if (n->kind != YNODE_SCALAR || n->len == 0 || *end != '\0' ||
	    errno || !isfinite(t) || t <= 0 || t > 86400)
		return rl_error_set("%s: %s.timeout must be a number of "
		    "seconds above 0 (at most a day), not '%s'",
		    ynode_where(n), label, setting_shown(n));
	*out = t;
	return 0;
}

static int
parse_plugin(struct config *cfg, const struct ynode *map, size_t idx)
{
	struct plugin_conf *pc = &cfg->plugins[idx];
	struct strbuf label = STRBUF_INIT;
	const struct ynode *n;
	const char *v;
	json_t *opts;
	size_t i;
	int rc = -1;

	strbuf_printf(&label, "renderlink.plugins[%zu]", idx);
	pc->where = xstrdup(ynode_where(map));
	if (map->kind != YNODE_MAP) {
		rl_error_set("%s: %s must be a map (name, run, sets, ...), not "
		    "'%s'", ynode_where(map), label.buf, setting_shown(map));
		goto out;
	}
	if (setting_keys(map, label.buf, plugin_keys,
	    ARRAY_SIZE(plugin_keys)) < 0)
		goto out;
	for (i = 0; i < 3; i++)
		if (ynode_get(map, plugin_keys[i]) == NULL) {
			rl_error_set("%s: %s has no '%s' (a plug-in needs name, "
			    "run and sets)", ynode_where(map), label.buf,
			    plugin_keys[i]);
			goto out;
		}
	n = ynode_get(map, "name");
	if (setting_string(&v, n, "a plug-in's name") < 0)
		goto out;
	if (!setting_is_name(v) || strcmp(v, "media") == 0) {
		rl_error_set("%s: plug-in name '%s' must be letters, digits, "
		    "'_' and '-'%s", ynode_where(n), v, strcmp(v, "media") ?
		    "" : ", and not 'media' (the built-in plug-in)");
		goto out;
	}
	for (i = 0; i < idx; i++)
		if (strcmp(cfg->plugins[i].name, v) == 0) {
			rl_error_set("%s: a second plug-in named '%s' (the "
			    "first is at %s)", ynode_where(n), v,
			    cfg->plugins[i].where);
			goto out;
		}
	pc->name = xstrdup(v);
	if (parse_run(pc, ynode_get(map, "run"), cfg, label.buf) < 0 ||
	    parse_sets(pc, ynode_get(map, "sets"), cfg, label.buf) < 0 ||
	    parse_timeout(&pc->timeout, ynode_get(map, "timeout"),
	    label.buf) < 0)
		goto out;
	if ((n = ynode_get(map, "options")) != NULL) {
		/* Refused now, not on every run. */
		if ((opts = ynode_to_json(n)) == NULL)
			goto out;
		json_decref(opts);
		pc->options = n;
	}
	rc = 0;
out:
	strbuf_free(&label);
	return rc;
}

int
config_plugins_parse(struct config *cfg, const struct ynode *list)
{
	size_t i, j, k;

	if (list == NULL || ynode_is_null(list))
		goto fed;
	if (list->kind != YNODE_SEQ)
		return rl_error_set("%s: renderlink.plugins must be a list of "
		    "plug-ins, not '%s'", ynode_where(list),
		    setting_shown(list));
	cfg->plugins = xcalloc(list->n + 1, sizeof(*cfg->plugins));
	for (i = 0; i < list->n; i++) {
		cfg->nplugins++;
		if (parse_plugin(cfg, list->items[i], i) < 0)
			return -1;
	}
fed:
	/* A set without a key is fed by plug-ins only: one must feed it. */
	for (i = 0; i < cfg->nsets; i++) {
		bool fed = cfg->sets[i].key != NULL;

		for (j = 0; j < cfg->nplugins && !fed; j++)
			for (k = 0; k < cfg->plugins[j].nsets; k++)
				fed |= cfg->plugins[j].sets[k] == i;
		if (!fed)
			return rl_error_set("%s: link set '%s' has no 'key' and "
			    "no plug-in feeds it", cfg->sets[i].where,
			    cfg->sets[i].name);
	}
	return 0;
}

void
config_plugins_free(struct config *cfg)
{
	size_t i, j;

	for (i = 0; i < cfg->nplugins; i++) {
		struct plugin_conf *pc = &cfg->plugins[i];

		free(pc->name);
		for (j = 0; pc->argv && pc->argv[j]; j++)
			free(pc->argv[j]);
		free(pc->argv);
		free(pc->sets);
		free(pc->where);
	}
	free(cfg->plugins);
	cfg->plugins = NULL;
	cfg->nplugins = 0;
}
