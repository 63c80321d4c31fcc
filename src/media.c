/*
 * media.c - the built-in `media` plug-in: the link sets of the config.
 *
 * For every document and every link set, the front matter key of the set
 * holds one reference (a string) or several (a list of strings).  Each
 * becomes a want; what the reference may name is the host's business.
 * A value of another type is reported against the page, so that a typo
 * in one page is visible and does not silently unpublish a render.
 */
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "index.h"
#include "plugin.h"
#include "problem.h"

static const char *
json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:	return "a map";
	case JSON_ARRAY:	return "a list";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:
	case JSON_REAL:		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:	return "a boolean";
	default:		return "null";
	}
}

/*
 * A reference as the page wrote it, or NULL (reported) when it holds a
 * NUL byte: cut at the NUL, "a.mp3\0/../../etc/passwd" would pass for
 * a.mp3.
 */
static const char *
ref_of(struct problems *problems, const struct linkset *ls,
    const struct document *doc, const json_t *v)
{
	if (strlen(json_string_value(v)) == json_string_length(v))
		return json_string_value(v);
	problems_add(problems, SEV_ERROR, "invalid-reference", doc->path, NULL,
	    "link set '%s': a reference in '%s' holds a NUL byte; nothing "
	    "linked", ls->name, ls->key);
	return NULL;
}

static void
collect_value(struct wantlist *out, struct problems *problems, size_t set,
    const struct linkset *ls, const struct document *doc, json_t *v)
{
	const char *ref;
	size_t i;
	json_t *item;

	if (json_is_null(v))
		return;		/* "mp3s:" with nothing after it: no links */
	if (json_is_string(v)) {
		if ((ref = ref_of(problems, ls, doc, v)) != NULL)
			wantlist_add(out, set, ref, doc->path);
		return;
	}
	if (!json_is_array(v)) {
		problems_add(problems, SEV_ERROR, "invalid-reference",
		    doc->path, NULL, "front matter '%s' must be a file name "
		    "or a list of them, not %s", ls->key, json_kind(v));
		return;
	}
	json_array_foreach(v, i, item) {
		if (json_is_string(item)) {
			if ((ref = ref_of(problems, ls, doc, item)) != NULL)
				wantlist_add(out, set, ref, doc->path);
		} else
			problems_add(problems, SEV_ERROR, "invalid-reference",
			    doc->path, NULL, "front matter '%s' item %zu "
			    "must be a file name, not %s", ls->key, i + 1,
			    json_kind(item));
	}
}

static int
media_collect(struct wantlist *out, struct problems *problems,
    const struct config *cfg, const struct docindex *idx)
{
	size_t d, s;
	json_t *v;

	for (d = 0; d < idx->n; d++)
		for (s = 0; s < cfg->nsets; s++) {
			if (cfg->sets[s].key == NULL)
				continue;	/* fed by plug-ins only */
			v = json_object_get(idx->docs[d].front_matter,
			    cfg->sets[s].key);
			if (v)
				collect_value(out, problems, s, &cfg->sets[s],
				    &idx->docs[d], v);
		}
	return 0;
}

const struct plugin plugin_media = {
	"media",
	media_collect,
};
