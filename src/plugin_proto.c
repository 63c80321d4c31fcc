/*
 * plugin_proto.c - the plug-in protocol's messages; see plugin_proto.h.
 *
 * The reader is strict on purpose.  A plug-in that says something the
 * host does not understand has not said which links it wants, and the
 * host removes links that nobody wants: reading half an answer would
 * delete links on a guess.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "frontmatter.h"
#include "index.h"
#include "plugin.h"
#include "plugin_proto.h"
#include "problem.h"
#include "refcheck.h"
#include "strbuf.h"
#include "util.h"
#include "version.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
plugin_input_base(const struct config *cfg, const struct docindex *counted,
    const bool *available, bool dry_run)
{
	json_t *sets = json_array(), *docs = json_array(), *exts;
	size_t i, j;

	for (i = 0; i < cfg->nsets; i++) {
		const struct linkset *ls = &cfg->sets[i];

		exts = json_array();
		for (j = 0; j < ls->nexts; j++)
			json_array_append_new(exts, json_string(ls->exts[j]));
		json_array_append_new(sets, json_pack("{s:s, s:o, s:s, s:s, "
		    "s:o, s:b}", "name", ls->name, "key", str_or_null(ls->key),
		    "source", ls->source, "target", ls->target,
		    "extensions", exts, "available", available[i]));
	}
	for (i = 0; i < counted->n; i++) {
		const struct document *d = &counted->docs[i];

		json_array_append_new(docs, json_pack("{s:s, s:o, s:O, s:b, "
		    "s:b, s:o}", "path", d->path, "collection",
		    str_or_null(d->collection), "front_matter",
		    d->front_matter, "draft", d->draft, "published",
		    d->published, "date", str_or_null(d->date)));
	}
	return json_pack("{s:i, s:s, s:s, s:b, s:o, s:o}", "protocol",
	    PLUGIN_PROTOCOL, "renderlink", RENDERLINK_VERSION, "site",
	    cfg->site_root, "dry_run", dry_run, "sets", sets, "documents",
	    docs);
}

char *
plugin_input(json_t *base, const struct plugin_conf *pc,
    const struct config *cfg)
{
	json_t *opts = pc->options ? ynode_to_json(pc->options) : json_null();
	json_t *sets;
	char *text;
	size_t i;

	if (opts == NULL)
		return NULL;
	sets = json_array();
	for (i = 0; i < pc->nsets; i++)
		json_array_append_new(sets, json_string(
		    cfg->sets[pc->sets[i]].name));
	json_object_set_new(base, "plugin", json_pack("{s:s, s:o, s:o}",
	    "name", pc->name, "options", opts, "sets", sets));
	text = json_dumps(base, JSON_COMPACT);
	json_object_del(base, "plugin");
	if (text == NULL)
		die("plug-in input: cannot encode");
	return text;
}

static const char *
kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:	return "an object";
	case JSON_ARRAY:	return "an array";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:
	case JSON_REAL:		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:	return "a boolean";
	default:		return "null";
	}
}

/* Only these keys in obj; -1 (error set, naming where) otherwise. */
static int
only_keys(const json_t *obj, const char *where, const char *const *keys,
    size_t nkeys)
{
	const char *k;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)obj, k, v) {
		for (i = 0; i < nkeys; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (i == nkeys)
			return rl_error_set("%sunknown key \"%s\"", where, k);
	}
	return 0;
}

/* A string member, or -1 (error set) when it is missing or not one. */
static int
member(const char **out, const json_t *obj, const char *key,
    const char *where, bool optional)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL && optional)
		return 0;
	if (v == NULL)
		return rl_error_set("%sno \"%s\" string", where, key);
	if (!json_is_string(v))
		return rl_error_set("%s\"%s\" must be a string, not %s", where,
		    key, kind(v));
	if (strlen(json_string_value(v)) != json_string_length(v))
		return rl_error_set("%s\"%s\" holds a NUL byte", where, key);
	*out = json_string_value(v);
	return 0;
}

static bool
is_code(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-')
			return false;
	return true;
}

static int
find_set(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nsets; i++)
		if (strcmp(cfg->sets[i].name, name) == 0)
			return (int)i;
	return -1;
}

static bool
may_feed(const struct plugin_conf *pc, int set)
{
	size_t i;

	for (i = 0; i < pc->nsets; i++)
		if ((int)pc->sets[i] == set)
			return true;
	return false;
}

static int
read_links(struct wantlist *wants, const json_t *links, const struct plugin_conf *pc,
    const struct config *cfg)
{
	static const char *const keys[] = { "set", "ref", "page" };
	char where[64];
	const char *set, *ref, *page;
	json_t *l;
	size_t i;
	int s;

	if (!json_is_array(links))
		return rl_error_set("\"links\" must be an array, not %s",
		    kind(links));
	/* Read them all first: one bad element refuses the whole answer. */
	json_array_foreach((json_t *)links, i, l) {
		snprintf(where, sizeof(where), "\"links\"[%zu]: ", i);
		if (!json_is_object(l))
			return rl_error_set("%smust be an object, not %s",
			    where, kind(l));
		if (only_keys(l, where, keys, 3) < 0 ||
		    member(&set, l, "set", where, false) < 0 ||
		    member(&ref, l, "ref", where, false) < 0 ||
		    member(&page, l, "page", where, false) < 0)
			return -1;
	}
	json_array_foreach((json_t *)links, i, l) {
		const struct linkset *ls;

		member(&set, l, "set", "", false);
		member(&ref, l, "ref", "", false);
		member(&page, l, "page", "", false);
		s = find_set(cfg, set);
		if (s < 0 || !may_feed(pc, s))
			return rl_error_set("\"links\"[%zu]: asked for a link "
			    "in set '%s', %s", i, set, s < 0 ? "which does not "
			    "exist" : "which its 'sets' does not give it");
		/* A page may be wrong; a plug-in that asks for a path out of
		 * the media root is broken or hostile: nothing it says
		 * counts. */
		ls = &cfg->sets[s];
		if (ref_check(ref, (const char *const *)ls->exts,
		    ls->nexts) < 0)
			return rl_error_set("\"links\"[%zu]: %s", i,
			    rl_error_last());
		wantlist_add(wants, (size_t)s, ref, page);
	}
	return 0;
}

static int
read_problems(struct problems *problems, const json_t *list,
    const struct plugin_conf *pc)
{
	static const char *const keys[] = { "severity", "code", "page",
	    "message" };
	struct strbuf code = STRBUF_INIT;
	char where[64];
	const char *sev, *c, *page, *msg;
	json_t *p;
	size_t i;

	if (!json_is_array(list))
		return rl_error_set("\"problems\" must be an array, not %s",
		    kind(list));
	json_array_foreach((json_t *)list, i, p) {
		snprintf(where, sizeof(where), "\"problems\"[%zu]: ", i);
		if (!json_is_object(p))
			return rl_error_set("%smust be an object, not %s",
			    where, kind(p));
		if (only_keys(p, where, keys, 4) < 0 ||
		    member(&sev, p, "severity", where, false) < 0 ||
		    member(&c, p, "code", where, false) < 0 ||
		    member(&page, p, "page", where, true) < 0 ||
		    member(&msg, p, "message", where, false) < 0)
			return -1;
		if (strcmp(sev, "error") != 0 && strcmp(sev, "warning") != 0)
			return rl_error_set("%s\"severity\" must be \"error\" "
			    "or \"warning\", not \"%s\"", where, sev);
		if (!is_code(c))
			return rl_error_set("%s\"code\" \"%s\" must be lower "
			    "case letters, digits and '-'", where, c);
	}
	json_array_foreach((json_t *)list, i, p) {
		member(&sev, p, "severity", "", false);
		member(&c, p, "code", "", false);
		member(&page, p, "page", "", true);
		member(&msg, p, "message", "", false);
		strbuf_reset(&code);
		strbuf_printf(&code, "%s/%s", pc->name, c);
		problems_add(problems, strcmp(sev, "error") == 0 ?
		    SEV_ERROR : SEV_WARNING, code.buf, page, NULL, "%s", msg);
	}
	strbuf_free(&code);
	return 0;
}

int
plugin_answer(struct wantlist *wants, struct problems *problems,
    json_t **data, const char *text, size_t len,
    const struct plugin_conf *pc, const struct config *cfg)
{
	static const char *const keys[] = { "protocol", "links", "problems",
	    "data" };
	struct wantlist w = { 0 };
	struct problems pr = { 0 };
	json_error_t err;
	json_t *root, *v;
	size_t i;

	*data = NULL;
	if (len == 0)
		return rl_error_set("printed nothing on stdout (one JSON "
		    "object was expected)");
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		return rl_error_set("stdout is not JSON: line %d column %d: %s",
		    err.line, err.column, err.text);
	if (!json_is_object(root)) {
		rl_error_set("stdout must be one JSON object, not %s",
		    kind(root));
		goto fail;
	}
	if (only_keys(root, "", keys, 4) < 0)
		goto fail;
	v = json_object_get(root, "protocol");
	if (!json_is_integer(v)) {
		rl_error_set("no \"protocol\" number (this renderlink speaks "
		    "protocol %d)", PLUGIN_PROTOCOL);
		goto fail;
	}
	if (json_integer_value(v) != PLUGIN_PROTOCOL) {
		rl_error_set("speaks protocol %" JSON_INTEGER_FORMAT ", not %d",
		    json_integer_value(v), PLUGIN_PROTOCOL);
		goto fail;
	}
	if (((v = json_object_get(root, "links")) &&
	    read_links(&w, v, pc, cfg) < 0) ||
	    ((v = json_object_get(root, "problems")) &&
	    read_problems(&pr, v, pc) < 0))
		goto fail;
	/* All read: only now does the answer count. */
	for (i = 0; i < w.n; i++)
		wantlist_add(wants, w.v[i].set, w.v[i].ref, w.v[i].page);
	problems_move(problems, &pr);
	wantlist_free(&w);
	v = json_object_get(root, "data");
	*data = v && !json_is_null(v) ? json_incref(v) : NULL;
	json_decref(root);
	return 0;
fail:
	wantlist_free(&w);
	problems_free(&pr);
	json_decref(root);
	return -1;
}
