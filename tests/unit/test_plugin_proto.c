/*
 * test_plugin_proto.c - reading a plug-in's answer: all or nothing.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "config.h"
#include "plugin.h"
#include "plugin_proto.h"
#include "problem.h"
#include "util.h"

static char *mp3[] = { "mp3" };
static char *wav[] = { "wav" };
static struct linkset sets[] = {
	{ .name = "mp3s", .key = "mp3s", .source = "/m", .target = "s/m",
	  .exts = mp3, .nexts = 1 },
	{ .name = "stems", .key = "stems", .source = "/m", .target = "s/s",
	  .exts = wav, .nexts = 1 },
};
static size_t given[] = { 0 };
static struct plugin_conf pc = { .name = "p", .sets = given, .nsets = 1 };
static struct config cfg = { .sets = sets, .nsets = 2 };

static struct wantlist w;
static struct problems pr;
static json_t *data;

static int
answer(const char *text)
{
	wantlist_free(&w);
	problems_free(&pr);
	json_decref(data);
	data = NULL;
	return plugin_answer(&w, &pr, &data, text, strlen(text), &pc, &cfg);
}

static void
done(void)
{
	wantlist_free(&w);
	problems_free(&pr);
	json_decref(data);
}

TestSuite(plugin_proto, .fini = done);

Test(plugin_proto, a_full_answer)
{
	cr_assert_eq(answer("{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", "
	    "\"ref\": \"a/b.mp3\", \"page\": \"x.md\"}], \"problems\": "
	    "[{\"severity\": \"warning\", \"code\": \"no-take\", \"page\": "
	    "\"x.md\", \"message\": \"m\"}], \"data\": {\"k\": 1}}"), 0,
	    "%s", rl_error_last());
	cr_assert_eq(w.n, 1);
	cr_expect_eq(w.v[0].set, 0);
	cr_expect_str_eq(w.v[0].ref, "a/b.mp3");
	cr_expect_str_eq(w.v[0].page, "x.md");
	cr_assert_eq(pr.n, 1);
	cr_expect_str_eq(pr.v[0].code, "p/no-take");
	cr_expect_eq(pr.v[0].severity, SEV_WARNING);
	cr_expect(json_is_object(data));
}

Test(plugin_proto, only_protocol_is_required)
{
	cr_assert_eq(answer("{\"protocol\": 1}"), 0);
	cr_expect_eq(w.n, 0);
	cr_expect_null(data);
	cr_assert_eq(answer("{\"protocol\": 1, \"data\": null}"), 0);
	cr_expect_null(data, "null data is no data");
}

static void
refused(const char *text, const char *why)
{
	cr_expect_eq(answer(text), -1, "accepted: %s", text);
	cr_expect(strstr(rl_error_last(), why) != NULL, "%s: %s", text,
	    rl_error_last());
	cr_expect_eq(w.n, 0, "a refused answer adds no link: %s", text);
	cr_expect_eq(pr.n, 0, "a refused answer adds no problem: %s", text);
}

Test(plugin_proto, anything_else_is_refused_whole)
{
	refused("", "printed nothing");
	refused("hello", "stdout is not JSON: line 1 column");
	refused("{\"protocol\": 1}{\"protocol\": 1}", "not JSON");
	refused("[1]", "one JSON object, not an array");
	refused("{}", "no \"protocol\"");
	refused("{\"protocol\": 2}", "speaks protocol 2, not 1");
	refused("{\"protocol\": 1, \"colour\": 1}", "unknown key \"colour\"");
	refused("{\"protocol\": 1, \"protocol\": 1}", "not JSON");
	refused("{\"protocol\": 1, \"links\": {}}", "must be an array");
	refused("{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", \"ref\": "
	    "\"a.mp3\"}]}", "no \"page\" string");
	refused("{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", \"ref\": "
	    "\"a.mp3\", \"page\": \"x\", \"extra\": 1}]}", "unknown key");
	refused("{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", \"ref\": "
	    "\"a\\u0000.mp3\", \"page\": \"x\"}]}", "NUL");
	refused("{\"protocol\": 1, \"problems\": [{\"severity\": \"fatal\", "
	    "\"code\": \"x\", \"message\": \"m\"}]}", "\"severity\"");
	refused("{\"protocol\": 1, \"problems\": [{\"severity\": \"error\", "
	    "\"code\": \"A_B\", \"message\": \"m\"}]}", "lower case");
	/* one good link and one bad: neither counts */
	refused("{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", \"ref\": "
	    "\"ok.mp3\", \"page\": \"x\"}, {\"set\": \"mp3s\", \"ref\": "
	    "\"../../etc/passwd.mp3\", \"page\": \"x\"}]}", "\"links\"[1]");
}

Test(plugin_proto, links_are_held_to_the_rules)
{
	refused("{\"protocol\": 1, \"links\": [{\"set\": \"stems\", \"ref\": "
	    "\"a.wav\", \"page\": \"x\"}]}", "which its 'sets' does not");
	refused("{\"protocol\": 1, \"links\": [{\"set\": \"nope\", \"ref\": "
	    "\"a.mp3\", \"page\": \"x\"}]}", "which does not exist");
	refused("{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", \"ref\": "
	    "\"/etc/passwd.mp3\", \"page\": \"x\"}]}", "\"links\"[0]");
	refused("{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", \"ref\": "
	    "\"a.wav\", \"page\": \"x\"}]}", "\"links\"[0]");
}
