/*
 * publish.c - which documents Jekyll 4.3 will render; see publish.h.
 *
 * Split in two on purpose: the facts (draft? published? dated when?)
 * are properties of one page and go into the index, so they are read
 * once and plug-ins see them; the decision needs the config, the
 * command-line flags and the clock, so it is made on every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "index.h"
#include "jdate.h"
#include "publish.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

/* A posts document read from a _drafts folder. */
static bool
in_drafts(const char *path)
{
	const char *p, *end;

	for (p = path; (end = strchr(p, '/')) != NULL; p = end + 1) {
		if (end - p == 7 && strncmp(p, "_drafts", 7) == 0)
			return true;
		if (end - p == 6 && strncmp(p, "_posts", 6) == 0)
			return false;
	}
	return false;
}

/* What Ruby's to_s makes of a front matter value, for Time.parse. */
static void
value_text(struct strbuf *out, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		strbuf_puts(out, json_string_value(v));
		break;
	case JSON_INTEGER:
		strbuf_printf(out, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		strbuf_printf(out, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		strbuf_puts(out, "true");
		break;
	case JSON_FALSE:
		strbuf_puts(out, "false");
		break;
	default:		/* null is "", lists and maps never parse */
		break;
	}
}

int
publish_facts(json_t *doc)
{
	const char *path = json_string_value(json_object_get(doc, "path"));
	json_t *coll = json_object_get(doc, "collection");
	json_t *fm = json_object_get(doc, "front_matter");
	json_t *pub = json_object_get(fm, "published"), *date, *out = NULL;
	struct strbuf text = STRBUF_INIT;
	struct jdate jd;
	const char *from = NULL;
	char fname[16];

	if (path == NULL)
		path = "";
	json_object_set_new(doc, "draft", json_boolean(json_is_string(coll) &&
	    strcmp(json_string_value(coll), "posts") == 0 &&
	    in_drafts(path)));
	json_object_set_new(doc, "published", json_boolean(pub == NULL ||
	    !(json_is_null(pub) || json_is_false(pub))));
	/* Plain pages have no date for Jekyll: it never hides them. */
	if (json_is_string(coll)) {
		if ((date = json_object_get(fm, "date")) != NULL) {
			if (json_is_array(date) || json_is_object(date))
				strbuf_puts(&text, "(a list or map)");
			else
				value_text(&text, date);
			from = "in front matter 'date'";
		} else if (jdate_from_filename(fname, path)) {
			strbuf_puts(&text, fname);
			from = "in the file name";
		}
	}
	if (from != NULL) {
		if (jdate_parse(&jd, text.buf) < 0) {
			rl_error_set("invalid date '%s' %s (Jekyll refuses to "
			    "build the site)", text.buf, from);
			strbuf_free(&text);
			return -1;
		}
		strbuf_reset(&text);
		jdate_format(&text, &jd);
		out = json_string(text.buf);
	}
	json_object_set_new(doc, "date", out ? out : json_null());
	strbuf_free(&text);
	return 0;
}

int
publish_rules_load(struct publish_rules *r, const struct ynode *jekyll,
    const struct publish_flags *flags)
{
	const struct ynode *tz, *t;
	struct jdate jd;

	memset(r, 0, sizeof(*r));
	r->drafts = config_truthy(ynode_get(jekyll, "show_drafts"));
	r->unpublished = config_truthy(ynode_get(jekyll, "unpublished"));
	r->future = config_truthy(ynode_get(jekyll, "future"));
	if (flags) {
		r->drafts |= flags->drafts != 0;
		r->unpublished |= flags->unpublished != 0;
		r->future |= flags->future != 0;
	}
	tz = ynode_get(jekyll, "timezone");
	if (tz && tz->kind == YNODE_SCALAR && !ynode_is_null(tz)) {
		setenv("TZ", tz->value, 1);
		tzset();
	}
	t = ynode_get(jekyll, "time");
	if (t == NULL || ynode_is_null(t)) {
		r->now = (int64_t)time(NULL);
		return 0;
	}
	if (t->kind != YNODE_SCALAR || jdate_parse(&jd, t->value) < 0)
		return rl_error_set("%s: 'time' must be a date and time Jekyll "
		    "can read, such as 2024-11-20 10:00:00 +01:00",
		    ynode_where(t));
	r->now = jdate_epoch(&jd);
	return 0;
}

enum skip_reason
publish_decide(const struct publish_rules *r, const struct document *doc)
{
	struct jdate jd;

	if (doc->draft && !r->drafts)
		return SKIP_DRAFT;
	if (!doc->published && !r->unpublished)
		return SKIP_UNPUBLISHED;
	if (doc->date && !r->future && jdate_parse(&jd, doc->date) == 0 &&
	    jdate_epoch(&jd) > r->now)
		return SKIP_FUTURE;
	return SKIP_NONE;
}

const char *
skip_reason_name(enum skip_reason why)
{
	switch (why) {
	case SKIP_DRAFT:	return "draft";
	case SKIP_UNPUBLISHED:	return "unpublished";
	case SKIP_FUTURE:	return "future";
	case SKIP_NONE:		break;
	}
	return NULL;
}
