/*
 * test_ytree.c - YAML trees: types as Psych sees them, positions for
 * messages, aliases and merge keys, the alias-bomb budget, and Jekyll's
 * deep merge of config files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "strbuf.h"
#include "util.h"
#include "ytree.h"

static struct ynode *
yt_load(const char *text)
{
	struct ynode *n = NULL;

	if (ytree_load(&n, text, strlen(text), "t.yml", 0) < 0)
		cr_assert_fail("unexpected error: %s", rl_error_last());
	return n;
}

/* Loads text expecting an error; returns the message (static). */
static const char *
yt_fail(const char *text, size_t first_line)
{
	struct ynode *n = NULL;

	cr_assert_eq(ytree_load(&n, text, strlen(text), "t.yml", first_line),
	    -1, "expected an error for: %s", text);
	cr_assert_null(n);
	return rl_error_last();
}

static const struct ynode *
yt_path(const struct ynode *map, const char *key)
{
	const struct ynode *n = ynode_get(map, key);

	cr_assert_not_null(n, "no key '%s'", key);
	return n;
}

Test(ytree, plain_and_quoted_scalars)
{
	struct ynode *r = yt_load("a: hello world\n"
	    "b: 'it''s'\n"
	    "c: \"tab\\there\"\n"
	    "d: 12\n");
	const struct ynode *n;

	cr_assert_eq(r->kind, YNODE_MAP);
	cr_assert_eq(r->n, 8);
	n = yt_path(r, "a");
	cr_assert_str_eq(n->value, "hello world");
	cr_assert(n->plain);
	n = yt_path(r, "b");
	cr_assert_str_eq(n->value, "it's");
	cr_assert_not(n->plain);
	n = yt_path(r, "c");
	cr_assert_str_eq(n->value, "tab\there");
	cr_assert_not(n->plain);
	n = yt_path(r, "d");
	cr_assert_str_eq(n->value, "12");
	cr_assert(n->plain);
	cr_assert_null(ynode_get(r, "e"));
	ynode_free(r);
}

Test(ytree, scalar_with_nul_keeps_length)
{
	struct ynode *r = yt_load("a: \"x\\0y\"\n");
	const struct ynode *n = yt_path(r, "a");

	cr_assert_eq(n->len, 3);
	cr_assert_eq(memcmp(n->value, "x\0y", 4), 0);
	ynode_free(r);
}

Test(ytree, block_scalars)
{
	struct ynode *r = yt_load("lit: |\n  one\n  two\n"
	    "fold: >\n  a\n  b\n"
	    "strip: |-\n  z\n");
	const struct ynode *n;

	n = yt_path(r, "lit");
	cr_assert_str_eq(n->value, "one\ntwo\n");
	cr_assert_not(n->plain);
	n = yt_path(r, "fold");
	cr_assert_str_eq(n->value, "a b\n");
	cr_assert_not(n->plain);
	cr_assert_str_eq(yt_path(r, "strip")->value, "z");
	ynode_free(r);
}

Test(ytree, flow_and_block_collections)
{
	struct ynode *r = yt_load("flow: [a, 'b', {c: d}]\n"
	    "block:\n  - x\n  - k: v\n    k2: [1, 2]\n"
	    "fmap: {p: q, r: [s]}\n");
	const struct ynode *n, *m;

	n = yt_path(r, "flow");
	cr_assert_eq(n->kind, YNODE_SEQ);
	cr_assert_eq(n->n, 3);
	cr_assert_str_eq(n->items[0]->value, "a");
	cr_assert_str_eq(n->items[1]->value, "b");
	cr_assert_eq(n->items[2]->kind, YNODE_MAP);
	cr_assert_str_eq(yt_path(n->items[2], "c")->value, "d");

	n = yt_path(r, "block");
	cr_assert_eq(n->kind, YNODE_SEQ);
	cr_assert_eq(n->n, 2);
	cr_assert_str_eq(n->items[0]->value, "x");
	m = n->items[1];
	cr_assert_eq(m->kind, YNODE_MAP);
	cr_assert_str_eq(yt_path(m, "k")->value, "v");
	cr_assert_eq(yt_path(m, "k2")->kind, YNODE_SEQ);
	cr_assert_eq(yt_path(m, "k2")->n, 2);

	n = yt_path(r, "fmap");
	cr_assert_eq(n->kind, YNODE_MAP);
	cr_assert_eq(yt_path(n, "r")->items[0]->value[0], 's');
	ynode_free(r);
}

Test(ytree, positions_are_one_based)
{
	struct ynode *r = yt_load("a: 1\nlist:\n  - x\n  -   y\n");
	const struct ynode *l = yt_path(r, "list");

	cr_assert_eq(yt_path(r, "a")->line, 1);
	cr_assert_eq(yt_path(r, "a")->col, 4);
	cr_assert_eq(l->items[1]->line, 4);
	cr_assert_eq(l->items[1]->col, 7);
	cr_assert_str_eq(ynode_where(l->items[0]), "t.yml:3:5");
	ynode_free(r);
}

Test(ytree, first_line_offset)
{
	struct ynode *r = NULL;
	const char *text = "title: x\ntags: [a]\n";

	cr_assert_eq(ytree_load(&r, text, strlen(text), "page.md", 1), 0);
	cr_assert_str_eq(ynode_where(yt_path(r, "tags")), "page.md:3:7");
	ynode_free(r);
	cr_assert_str_eq(yt_fail("a: 1\nb: [\n", 1), "t.yml:4:1: did not find "
	    "expected node content (while parsing a flow node)");
}

Test(ytree, where_has_four_live_buffers)
{
	struct ynode *r = yt_load("a: 1\nb: 2\n");
	const char *wa = ynode_where(yt_path(r, "a"));
	const char *wb = ynode_where(yt_path(r, "b"));

	cr_assert_str_eq(wa, "t.yml:1:4");
	cr_assert_str_eq(wb, "t.yml:2:4");
	ynode_free(r);
}

Test(ytree, syntax_error_names_line_and_column)
{
	const char *msg = yt_fail("a: 1\nb: c: d\n", 0);

	cr_assert_str_eq(msg, "t.yml:2:5: mapping values are not allowed "
	    "in this context");
	msg = yt_fail("x: [1, 2\ny: 3\n", 0);
	cr_assert(strncmp(msg, "t.yml:", 6) == 0, "got: %s", msg);
	cr_assert(strstr(msg, "(while parsing a flow sequence)") != NULL,
	    "got: %s", msg);
	msg = yt_fail("k: 'unterminated\n", 0);
	cr_assert(strncmp(msg, "t.yml:", 6) == 0, "got: %s", msg);
	cr_assert(strstr(msg, "quoted scalar") != NULL, "got: %s", msg);
}

/*
 * A Windows path in double quotes is the usual way to meet YAML's
 * escapes: the error keeps its place and says how to write the path.
 */
Test(ytree, backslash_in_double_quotes_hints_single_quotes)
{
	static const char *const bad[] = {
		"a: 1\nsource: \"E:\\media\\songs\"\n",	/* \m unknown */
		"a: 1\nsource: \"C:\\Users\\me\"\n",	/* \U needs hex */
		"a: 1\nsource: \"E:\\x1\"\n",		/* \x needs two */
	};
	const char *msg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		msg = yt_fail(bad[i], 0);
		cr_expect(strncmp(msg, "t.yml:2:", 8) == 0, "got: %s", msg);
		cr_expect(strstr(msg, "single quotes ('E:\\media\\songs')") !=
		    NULL, "got: %s", msg);
	}
	/* Other errors get no such hint. */
	msg = yt_fail("a: 1\nb: c: d\n", 0);
	cr_expect_null(strstr(msg, "single quotes"), "got: %s", msg);
	msg = yt_fail("k: 'unterminated\n", 0);
	cr_expect_null(strstr(msg, "single quotes"), "got: %s", msg);
}

Test(ytree, invalid_utf8_has_position)
{
	const char *msg = yt_fail("a: ok\nb: \xff\n", 0);

	cr_assert(strncmp(msg, "t.yml:2:4: ", 11) == 0, "got: %s", msg);
	cr_assert(strstr(msg, "UTF-8") != NULL, "got: %s", msg);
}

Test(ytree, only_first_document)
{
	struct ynode *r = yt_load("a: 1\n---\nb: [unclosed\n");

	cr_assert_str_eq(yt_path(r, "a")->value, "1");
	cr_assert_null(ynode_get(r, "b"));
	ynode_free(r);
}

Test(ytree, empty_stream_is_empty_map)
{
	struct ynode *r = yt_load("");

	cr_assert_eq(r->kind, YNODE_MAP);
	cr_assert_eq(r->n, 0);
	ynode_free(r);
	r = yt_load("# only a comment\n");
	cr_assert_eq(r->kind, YNODE_MAP);
	cr_assert_eq(r->n, 0);
	ynode_free(r);
}

Test(ytree, duplicate_key_last_wins)
{
	struct ynode *r = yt_load("a: 1\na: 2\n");

	cr_assert_str_eq(yt_path(r, "a")->value, "2");
	ynode_free(r);
}

Test(ytree, tags_are_kept_short)
{
	struct ynode *r = yt_load("a: !!str 123\nb: !local x\nc: 123\n");

	cr_assert_str_eq(yt_path(r, "a")->tag, "!!str");
	cr_assert_str_eq(yt_path(r, "b")->tag, "!local");
	cr_assert_null(yt_path(r, "c")->tag);
	ynode_free(r);
}

Test(ytree, anchors_and_aliases_are_copies)
{
	struct ynode *r = yt_load("base: &b\n  x: 1\n  y: [2, 3]\n"
	    "s: &s hi\n"
	    "copy: *b\n"
	    "again: *s\n");
	const struct ynode *b = yt_path(r, "base"), *c = yt_path(r, "copy");

	cr_assert_eq(c->kind, YNODE_MAP);
	cr_assert_neq(b, c);
	cr_assert_str_eq(yt_path(c, "x")->value, "1");
	cr_assert_eq(yt_path(c, "y")->n, 2);
	cr_assert_str_eq(yt_path(r, "again")->value, "hi");
	/* A copy points where the value was written: the anchor. */
	cr_assert_eq(yt_path(c, "x")->line, 2);
	ynode_free(r);		/* must not double free (ASan/valgrind) */
}

Test(ytree, anchor_redefined_later_wins)
{
	struct ynode *r = yt_load("a: &x 1\nb: &x 2\nc: *x\n");

	cr_assert_str_eq(yt_path(r, "c")->value, "2");
	ynode_free(r);
}

Test(ytree, unknown_or_recursive_alias_is_error)
{
	const char *msg = yt_fail("a: *nope\n", 0);

	cr_assert_str_eq(msg, "t.yml:1:4: alias '*nope' has no complete "
	    "anchor '&nope' before it");
	msg = yt_fail("a: &r [1, *r]\n", 0);
	cr_assert(strstr(msg, "t.yml:1:11: alias '*r'") != NULL, "got: %s",
	    msg);
}

Test(ytree, merge_keys_own_keys_win)
{
	struct ynode *r = yt_load("base: &b {a: 1, c: 3}\n"
	    "m:\n  a: 0\n  <<: *b\n  d: 4\n"
	    "n:\n  <<: *b\n  a: 9\n");
	const struct ynode *m = yt_path(r, "m"), *n = yt_path(r, "n");

	cr_assert_str_eq(yt_path(m, "a")->value, "0");
	cr_assert_str_eq(yt_path(m, "c")->value, "3");
	cr_assert_str_eq(yt_path(m, "d")->value, "4");
	cr_assert_null(ynode_get(m, "<<"));
	cr_assert_eq(m->n, 6);
	cr_assert_str_eq(yt_path(n, "a")->value, "9");
	cr_assert_str_eq(yt_path(n, "c")->value, "3");
	cr_assert_eq(n->n, 4);
	ynode_free(r);
}

Test(ytree, merge_key_list_earlier_wins)
{
	struct ynode *r = yt_load("x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\n"
	    "z:\n  <<: [*x, *y]\n  c: 3\n");
	const struct ynode *z = yt_path(r, "z");

	cr_assert_str_eq(yt_path(z, "a")->value, "1");
	cr_assert_str_eq(yt_path(z, "b")->value, "1");
	cr_assert_str_eq(yt_path(z, "c")->value, "3");
	cr_assert_eq(z->n, 6);
	ynode_free(r);
}

Test(ytree, merge_key_nested_and_non_map)
{
	/* Merged maps that merge themselves; "<<: 5" stays a plain key. */
	struct ynode *r = yt_load("a: &a {p: 1}\nb: &b {<<: *a, q: 2}\n"
	    "c: {<<: *b}\nd: {<<: 5}\ne: {!!str <<: *a}\n");
	const struct ynode *c = yt_path(r, "c");

	cr_assert_str_eq(yt_path(c, "p")->value, "1");
	cr_assert_str_eq(yt_path(c, "q")->value, "2");
	cr_assert_str_eq(yt_path(yt_path(r, "d"), "<<")->value, "5");
	cr_assert_eq(yt_path(yt_path(r, "e"), "<<")->kind, YNODE_MAP);
	ynode_free(r);
}

Test(ytree, alias_bomb_is_rejected)
{
	const char *bomb =
	    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
	const char *msg = yt_fail(bomb, 0);

	cr_assert(strncmp(msg, "t.yml:6:", 8) == 0, "got: %s", msg);
	cr_assert(strstr(msg, "more than 1000000 nodes") != NULL, "got: %s",
	    msg);
}

Test(ytree, moderate_aliasing_is_fine)
{
	/* 5 levels of 10: 111,110 nodes, well under the budget. */
	struct ynode *r = yt_load(
	    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n");

	cr_assert_eq(yt_path(r, "d")->items[9]->items[9]->n, 10);
	ynode_free(r);
}

Test(ytree, deep_nesting_is_rejected)
{
	struct strbuf sb = STRBUF_INIT;
	const char *msg;
	size_t i;

	for (i = 0; i < 5000; i++)
		strbuf_putc(&sb, '[');
	msg = yt_fail(sb.buf, 0);
	cr_assert(strstr(msg, "nesting deeper than 512 levels") != NULL,
	    "got: %s", msg);
	strbuf_free(&sb);
}

Test(ytree, null_detection)
{
	struct ynode *r = yt_load("a: ~\nb: null\nc: Null\nd: NULL\ne:\n"
	    "f: 'null'\ng: \"\"\nh: !!str ~\ni: nil\nj: []\nk: !!null x\n"
	    "l: nUlL\n");

	cr_assert(ynode_is_null(yt_path(r, "a")));
	cr_assert(ynode_is_null(yt_path(r, "b")));
	cr_assert(ynode_is_null(yt_path(r, "c")));
	cr_assert(ynode_is_null(yt_path(r, "d")));
	cr_assert(ynode_is_null(yt_path(r, "e")));
	cr_assert_not(ynode_is_null(yt_path(r, "f")));
	cr_assert_not(ynode_is_null(yt_path(r, "g")));
	cr_assert_not(ynode_is_null(yt_path(r, "h")));
	cr_assert_not(ynode_is_null(yt_path(r, "i")));
	cr_assert_not(ynode_is_null(yt_path(r, "j")));
	cr_assert(ynode_is_null(yt_path(r, "k")));
	cr_assert(ynode_is_null(yt_path(r, "l")));	/* Psych: /null/i */
	cr_assert(ynode_is_null(NULL));
	ynode_free(r);
}

Test(ytree, booleans_as_psych)
{
	static const char *const t[] = { "true", "True", "TRUE", "yes",
	    "Yes", "YES", "on", "On", "ON", "tRuE" };
	static const char *const f[] = { "false", "False", "no", "No",
	    "NO", "off", "Off", "OFF" };
	static const char *const s[] = { "y", "n", "'yes'", "\"true\"",
	    "1", "0", "yess", "!!str yes", "[true]", "" };
	struct strbuf sb = STRBUF_INIT;
	struct ynode *r;
	size_t i;
	bool b;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		strbuf_reset(&sb);
		strbuf_printf(&sb, "v: %s\n", t[i]);
		r = yt_load(sb.buf);
		b = false;
		cr_assert_eq(ynode_bool(&b, yt_path(r, "v")), 0, "%s", t[i]);
		cr_assert(b, "%s", t[i]);
		ynode_free(r);
	}
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		strbuf_reset(&sb);
		strbuf_printf(&sb, "v: %s\n", f[i]);
		r = yt_load(sb.buf);
		b = true;
		cr_assert_eq(ynode_bool(&b, yt_path(r, "v")), 0, "%s", f[i]);
		cr_assert_not(b, "%s", f[i]);
		ynode_free(r);
	}
	for (i = 0; i < ARRAY_SIZE(s); i++) {
		strbuf_reset(&sb);
		strbuf_printf(&sb, "v: %s\n", s[i]);
		r = yt_load(sb.buf);
		cr_assert_eq(ynode_bool(&b, yt_path(r, "v")), -1, "%s", s[i]);
		ynode_free(r);
	}
	strbuf_free(&sb);
	r = yt_load("v: 'yes'\n");
	ynode_bool(&b, yt_path(r, "v"));
	cr_assert_str_eq(rl_error_last(), "t.yml:1:4: 'yes' is not true or "
	    "false");
	ynode_free(r);
}

Test(ytree, deep_merge_maps_recursively)
{
	struct ynode *dst = yt_load("a: {x: 1, y: 2}\nkeep: k\n");
	struct ynode *src = NULL;
	const struct ynode *a;
	const char *t = "a: {y: 3, z: 4}\nnew: n\n";

	cr_assert_eq(ytree_load(&src, t, strlen(t), "b.yml", 0), 0);
	ynode_merge(&dst, src);
	a = yt_path(dst, "a");
	cr_assert_str_eq(yt_path(a, "x")->value, "1");
	cr_assert_str_eq(yt_path(a, "y")->value, "3");
	cr_assert_str_eq(yt_path(a, "z")->value, "4");
	cr_assert_eq(a->n, 6);
	cr_assert_str_eq(yt_path(dst, "keep")->value, "k");
	cr_assert_str_eq(yt_path(dst, "new")->value, "n");
	/* Merged values still say which file they came from. */
	cr_assert_str_eq(ynode_where(yt_path(a, "y")), "b.yml:1:8");
	cr_assert_str_eq(ynode_where(yt_path(a, "x")), "t.yml:1:8");
	ynode_free(dst);
}

Test(ytree, deep_merge_lists_and_scalars_replace)
{
	struct ynode *dst = yt_load("l: [1, 2, 3]\ns: old\nm: {a: 1}\n");

	ynode_merge(&dst, yt_load("l: [9]\ns: new\nm: plain\n"));
	cr_assert_eq(yt_path(dst, "l")->n, 1);
	cr_assert_str_eq(yt_path(dst, "l")->items[0]->value, "9");
	cr_assert_str_eq(yt_path(dst, "s")->value, "new");
	cr_assert_eq(yt_path(dst, "m")->kind, YNODE_SCALAR);
	ynode_free(dst);
}

Test(ytree, deep_merge_null_never_overrides)
{
	struct ynode *dst = yt_load("a: 1\nm: {x: 1}\n");
	const struct ynode *m;

	ynode_merge(&dst, yt_load("a:\nm: {x: ~, y: 2}\nfresh: ~\n"));
	cr_assert_str_eq(yt_path(dst, "a")->value, "1");
	m = yt_path(dst, "m");
	cr_assert_str_eq(yt_path(m, "x")->value, "1");
	cr_assert_str_eq(yt_path(m, "y")->value, "2");
	/* A new key is added even when null, as Hash#merge! does. */
	cr_assert(ynode_is_null(yt_path(dst, "fresh")));
	cr_assert_eq(dst->n, 6);
	ynode_free(dst);
}

Test(ytree, deep_merge_duplicate_key_in_src_last_wins)
{
	/* Psych keeps only the last "a" of src, which is null. */
	struct ynode *dst = yt_load("a: 1\n");

	ynode_merge(&dst, yt_load("a: 2\na: ~\n"));
	cr_assert_str_eq(yt_path(dst, "a")->value, "1");
	cr_assert_eq(dst->n, 2);
	ynode_free(dst);
}

Test(ytree, deep_merge_into_nothing_and_null_src)
{
	struct ynode *dst = NULL;

	ynode_merge(&dst, yt_load("a: 1\n"));
	cr_assert_str_eq(yt_path(dst, "a")->value, "1");
	ynode_merge(&dst, yt_load("~\n"));
	cr_assert_eq(dst->kind, YNODE_MAP);
	ynode_free(dst);
}

Test(ytree, load_file_reads_and_names_display)
{
	char path[] = "/tmp/ytree_test_XXXXXX";
	struct ynode *r = NULL;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "k: [v\n", 6), 6);
	close(fd);
	cr_assert_eq(ytree_load_file(&r, path, "shown.yml"), -1);
	cr_assert(strncmp(rl_error_last(), "shown.yml:2:1: ", 15) == 0,
	    "got: %s", rl_error_last());
	unlink(path);
	cr_assert_eq(ytree_load_file(&r, path, "gone.yml"), -1);
	cr_assert_str_eq(rl_error_last(),
	    "gone.yml: No such file or directory");
}
