/*
 * test_publish.c - dates as Jekyll reads them (jdate.c) and which
 * documents Jekyll renders (publish.c).
 *
 * The date vectors are what Ruby's Time.parse (Jekyll's reader) gave
 * for the same strings, with TZ=Pacific/Auckland (UTC+13 in November).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "index.h"
#include "jdate.h"
#include "publish.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

static void
auckland(void)
{
	setenv("TZ", "Pacific/Auckland", 1);
	tzset();
}

TestSuite(jdate, .init = auckland);

static int64_t
epoch_of(const char *s)
{
	struct jdate d;

	cr_assert_eq(jdate_parse(&d, s), 0, "'%s' should parse", s);
	return jdate_epoch(&d);
}

Test(jdate, forms_ruby_reads)
{
	static const struct { const char *s; int64_t t; } v[] = {
		{ "2024-11-20", 1732014000 },
		{ "2024-1-5", 1704366000 },
		{ "24-11-20", 1732014000 },
		{ "2024-11-20 10:00", 1732050000 },
		{ "2024-11-20 10:00:00 +01:00", 1732093200 },
		{ "2024-11-20T10:00:00Z", 1732096800 },
		{ "2024-11-20 10:00:00 +0100", 1732093200 },
		{ "2024-11-20 10:00:00 UTC", 1732096800 },
		{ "2024-11-20 10:00:00.5 -05:00", 1732114800 },
		{ "2024/11/20", 1732014000 },
		{ "20 Nov 2024", 1732014000 },
		{ "Nov 20, 2024", 1732014000 },
		{ "Wed, 20 Nov 2024 10:00:00 +0100", 1732093200 },
		{ "2024-02-30", 1709204400 },	/* rolls into March */
		{ "2024-11-20 10:00:00 +01", 1732093200 },
		{ "2024-11-20 10:00 PM", 1732093200 },
		{ "20241120", 1732014000 },
		{ "2024-11-20 10:00:00 EST", 1732114800 },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		cr_expect_eq(epoch_of(v[i].s), v[i].t, "%s: %lld, want %lld",
		    v[i].s, (long long)epoch_of(v[i].s), (long long)v[i].t);
}

Test(jdate, what_ruby_refuses_is_invalid)
{
	static const char *const bad[] = {
		"2024-13-45", "2024-11-20 25:00", "foo", "tomorrow", "2024",
		"2024-11", "", "2024-11-20 10:00:61", "2024-11-20 junk",
		"Smarch 3, 2024",
	};
	struct jdate d;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(jdate_parse(&d, bad[i]), -1, "'%s' parsed",
		    bad[i]);
		cr_expect(strstr(rl_error_last(), "invalid date") != NULL);
	}
}

Test(jdate, two_digit_years_as_ruby_completes_them)
{
	struct jdate d;

	cr_assert_eq(jdate_parse(&d, "70-01-01"), 0);
	cr_expect_eq(d.year, 1970);
	cr_assert_eq(jdate_parse(&d, "68-01-01"), 0);
	cr_expect_eq(d.year, 2068);
}

Test(jdate, canonical_text_reads_back)
{
	static const char *const v[] = {
		"2024-11-20 10:00:00 +01:00", "2024-02-30", "Nov 20, 2024",
		"2024-11-20T10:00:00.5-05:30", "2024-11-20 24:00",
	};
	struct strbuf sb = STRBUF_INIT;
	struct jdate d, e;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cr_assert_eq(jdate_parse(&d, v[i]), 0);
		strbuf_reset(&sb);
		jdate_format(&sb, &d);
		cr_assert_eq(jdate_parse(&e, sb.buf), 0, "%s", sb.buf);
		cr_expect_eq(jdate_epoch(&d), jdate_epoch(&e), "%s -> %s",
		    v[i], sb.buf);
	}
	cr_assert_eq(jdate_parse(&d, "2024-02-30 7:05 -05:30"), 0);
	strbuf_reset(&sb);
	jdate_format(&sb, &d);
	cr_expect_str_eq(sb.buf, "2024-03-01T07:05:00-05:30");
	strbuf_free(&sb);
}

Test(jdate, file_names_as_jekylls_matcher)
{
	char buf[16];

	cr_assert(jdate_from_filename(buf, "_posts/2024-11-20-title.md"));
	cr_expect_str_eq(buf, "2024-11-20");
	cr_assert(jdate_from_filename(buf, "a/b/24-1-5-x.y.md"));
	cr_expect_str_eq(buf, "24-1-5");
	cr_expect_not(jdate_from_filename(buf, "_posts/2024-11-20.md"));
	cr_expect_not(jdate_from_filename(buf, "_posts/2024-11-20-title"));
	cr_expect_not(jdate_from_filename(buf, "_posts/12345-11-20-x.md"));
	cr_expect_not(jdate_from_filename(buf, "2024-11-20-x/title.md"));
	cr_expect_not(jdate_from_filename(buf, "_posts/x-2024-11-20-y.md"));
}

/* --- publish_facts: what the index records --------------------------- */

static json_t *
facts_of(const char *path, const char *coll, const char *fm_json)
{
	json_t *doc = json_pack("{s:s, s:o, s:o}", "path", path,
	    "collection", coll ? json_string(coll) : json_null(),
	    "front_matter", json_loads(fm_json, 0, NULL));

	cr_assert_eq(publish_facts(doc), 0, "%s: %s", path, rl_error_last());
	return doc;
}

Test(publish, facts)
{
	json_t *d;

	d = facts_of("_drafts/wip.md", "posts", "{}");
	cr_expect(json_is_true(json_object_get(d, "draft")));
	cr_expect(json_is_true(json_object_get(d, "published")));
	cr_expect(json_is_null(json_object_get(d, "date")));
	json_decref(d);

	d = facts_of("_posts/2024-11-20-x.md", "posts",
	    "{\"published\": false}");
	cr_expect(json_is_false(json_object_get(d, "draft")));
	cr_expect(json_is_false(json_object_get(d, "published")));
	cr_expect_str_eq(json_string_value(json_object_get(d, "date")),
	    "2024-11-20T00:00:00");
	json_decref(d);

	/* front matter wins over the file name; null publishes nothing;
	 * "no" is a string, and Ruby calls it true */
	d = facts_of("_songs/2024-11-20-x.md", "songs",
	    "{\"date\": \"2099-01-01 10:00 +01:00\", \"published\": null}");
	cr_expect_str_eq(json_string_value(json_object_get(d, "date")),
	    "2099-01-01T10:00:00+01:00");
	cr_expect(json_is_false(json_object_get(d, "published")));
	json_decref(d);
	d = facts_of("x.md", NULL, "{\"published\": \"no\", \"date\": \"x\"}");
	cr_expect(json_is_true(json_object_get(d, "published")));
	/* a plain page has no date for Jekyll, so no bad one either */
	cr_expect(json_is_null(json_object_get(d, "date")));
	json_decref(d);
}

Test(publish, dates_jekyll_refuses)
{
	static const char *const fm[] = {
		"{\"date\": \"garbage\"}", "{\"date\": null}",
		"{\"date\": 2024}", "{\"date\": [1]}",
	};
	size_t i;
	json_t *d;

	for (i = 0; i < sizeof(fm) / sizeof(fm[0]); i++) {
		d = json_pack("{s:s, s:s, s:o}", "path", "_songs/a.md",
		    "collection", "songs", "front_matter",
		    json_loads(fm[i], 0, NULL));
		cr_expect_eq(publish_facts(d), -1, "%s", fm[i]);
		cr_expect(strstr(rl_error_last(), "front matter 'date'"));
		json_decref(d);
	}
	d = json_pack("{s:s, s:s, s:{}}", "path", "_posts/2024-13-01-x.md",
	    "collection", "posts", "front_matter");
	cr_expect_eq(publish_facts(d), -1);
	cr_expect(strstr(rl_error_last(), "in the file name"));
	json_decref(d);
}

/* --- publish_decide: Jekyll 4.3's rules ------------------------------- */

static struct document
doc(bool draft, bool published, const char *date)
{
	struct document d = { 0 };

	d.path = "p.md";
	d.draft = draft;
	d.published = published;
	d.date = date;
	return d;
}

Test(publish, decide)
{
	struct publish_rules r = { 0 };
	struct document d;

	r.now = 1732096800;	/* 2024-11-20T10:00:00Z */
	d = doc(false, true, NULL);
	cr_expect_eq(publish_decide(&r, &d), SKIP_NONE);
	d = doc(true, true, NULL);
	cr_expect_eq(publish_decide(&r, &d), SKIP_DRAFT);
	d = doc(false, false, NULL);
	cr_expect_eq(publish_decide(&r, &d), SKIP_UNPUBLISHED);
	d = doc(false, true, "2024-11-20T10:00:01Z");
	cr_expect_eq(publish_decide(&r, &d), SKIP_FUTURE);
	d = doc(false, true, "2024-11-20T10:00:00Z");
	cr_expect_eq(publish_decide(&r, &d), SKIP_NONE,
	    "the very second is not the future");
	/* published: true does not save a future document (measured) */
	d = doc(false, true, "2099-01-01T00:00:00");
	cr_expect_eq(publish_decide(&r, &d), SKIP_FUTURE);

	r.drafts = true;
	d = doc(true, true, NULL);
	cr_expect_eq(publish_decide(&r, &d), SKIP_NONE);
	d = doc(true, false, NULL);
	cr_expect_eq(publish_decide(&r, &d), SKIP_UNPUBLISHED);
	r.unpublished = true;
	cr_expect_eq(publish_decide(&r, &d), SKIP_NONE);
	d = doc(true, false, "2099-01-01T00:00:00");
	cr_expect_eq(publish_decide(&r, &d), SKIP_FUTURE);
	r.future = true;
	cr_expect_eq(publish_decide(&r, &d), SKIP_NONE);
	cr_expect_str_eq(skip_reason_name(SKIP_DRAFT), "draft");
	cr_expect_str_eq(skip_reason_name(SKIP_UNPUBLISHED), "unpublished");
	cr_expect_str_eq(skip_reason_name(SKIP_FUTURE), "future");
	cr_expect_null(skip_reason_name(SKIP_NONE));
}

static struct ynode *
yaml(const char *s)
{
	struct ynode *n;

	cr_assert_eq(ytree_load(&n, s, strlen(s), "_config.yml", 0), 0,
	    "%s", rl_error_last());
	return n;
}

Test(publish, rules_from_config_and_flags)
{
	struct publish_flags f = { 0 };
	struct publish_rules r;
	struct ynode *c;

	c = yaml("show_drafts: true\nunpublished: 0\nfuture: false\n"
	    "time: 2024-11-20 12:00:00\ntimezone: America/Los_Angeles\n");
	cr_assert_eq(publish_rules_load(&r, c, NULL), 0);
	cr_expect(r.drafts);
	cr_expect(r.unpublished, "0 is true in Ruby");
	cr_expect_not(r.future);
	cr_expect_eq(r.now, 1732132800, "noon in Los Angeles: %lld",
	    (long long)r.now);
	ynode_free(c);

	c = yaml("title: x\n");
	f.future = 1;
	cr_assert_eq(publish_rules_load(&r, c, &f), 0);
	cr_expect(r.future);
	cr_expect_not(r.drafts);
	cr_expect(r.now > 1732096800, "no time: now");
	ynode_free(c);

	c = yaml("title: x\ntime: soon\n");
	cr_expect_eq(publish_rules_load(&r, c, NULL), -1);
	cr_expect(strstr(rl_error_last(), "_config.yml:2:") != NULL, "%s",
	    rl_error_last());
	ynode_free(c);
	auckland();
}
