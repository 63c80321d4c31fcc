/*
 * builtin/plugins.c - `renderlink plugins`: the plug-ins of the site, the
 * built-in one first, with the link sets each may feed.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cmd.h"
#include "config.h"
#include "frontmatter.h"
#include "plugin.h"
#include "report.h"
#include "strbuf.h"
#include "util.h"

static const char *const plugins_usage[] = {
	"renderlink plugins [<global options>]",
	NULL
};

static json_t *
builtin_json(const struct config *cfg)
{
	json_t *sets = json_array();
	size_t i;

	for (i = 0; i < cfg->nsets; i++)
		if (cfg->sets[i].key)
			json_array_append_new(sets,
			    json_string(cfg->sets[i].name));
	return json_pack("{s:s, s:b, s:n, s:o, s:n, s:n}", "name",
	    plugin_media.name, "builtin", 1, "run", "sets", sets, "options",
	    "timeout");
}

static json_t *
external_json(const struct config *cfg, const struct plugin_conf *pc)
{
	json_t *run = json_array(), *sets = json_array(), *opts;
	size_t i;

	for (i = 0; pc->argv[i]; i++)
		json_array_append_new(run, json_string(pc->argv[i]));
	for (i = 0; i < pc->nsets; i++)
		json_array_append_new(sets,
		    json_string(cfg->sets[pc->sets[i]].name));
	opts = pc->options ? ynode_to_json(pc->options) : json_null();
	return json_pack("{s:s, s:b, s:o, s:o, s:o, s:f}", "name", pc->name,
	    "builtin", 0, "run", run, "sets", sets, "options",
	    opts ? opts : json_null(), "timeout", pc->timeout);
}

static void
print_text(const struct config *cfg)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < cfg->nsets; i++)
		if (cfg->sets[i].key)
			strbuf_printf(&sb, "%s%s (key %s)", sb.len ? ", " : "",
			    cfg->sets[i].name, cfg->sets[i].key);
	printf("%s\tbuilt-in\tsets: %s\n", plugin_media.name,
	    sb.len ? sb.buf : "(none: no set has a key)");
	for (i = 0; i < cfg->nplugins; i++) {
		const struct plugin_conf *pc = &cfg->plugins[i];

		strbuf_reset(&sb);
		for (j = 0; pc->argv[j]; j++)
			strbuf_printf(&sb, "%s%s", j ? " " : "", pc->argv[j]);
		printf("%s\t%s\tsets: ", pc->name, sb.buf);
		for (j = 0; j < pc->nsets; j++)
			printf("%s%s", j ? ", " : "",
			    cfg->sets[pc->sets[j]].name);
		printf("\ttimeout %g s\n", pc->timeout);
	}
	if (gopt.verbose && cfg->nplugins)
		printf("%s\n", plugins_sandbox_note());
	strbuf_free(&sb);
}

int
cmd_plugins(int argc, char **argv)
{
	struct site site;
	json_t *list, *root;
	size_t i;
	int code;
	const struct option opts[] = {
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, plugins_usage, 0);
	if (argc > 0) {
		warnx_("plugins takes no arguments ('%s')", argv[1]);
		usage_with_options(plugins_usage, opts, EXIT_USAGE);
	}
	if ((code = site_open(&site)) != 0)
		return code;
	if (global_format() != FORMAT_JSON) {
		print_text(site.cfg);
		site_close(&site);
		return 0;
	}
	list = json_array();
	json_array_append_new(list, builtin_json(site.cfg));
	for (i = 0; i < site.cfg->nplugins; i++)
		json_array_append_new(list, external_json(site.cfg,
		    &site.cfg->plugins[i]));
	root = json_pack("{s:o, s:s}", "plugins", list, "sandbox",
	    plugins_sandbox_note());
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
	site_close(&site);
	return 0;
}
