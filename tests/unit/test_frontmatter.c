/*
 * test_frontmatter.c - finding a page's front matter the way Jekyll does,
 * typing its values the way Psych does, pointing at the page's own line
 * on errors, and never reading a page's body.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "frontmatter.h"
#include "strbuf.h"
#include "util.h"

/* Parses text, which must hold a front matter map. */
static json_t *
fmt_ok(const char *text)
{
	json_t *j = NULL;
	int r;

	r = frontmatter_parse(&j, text, strlen(text), "page.md");
	cr_assert_eq(r, 0, "expected front matter in <%s>: %s", text,
	    r < 0 ? rl_error_last() : "none found");
	cr_assert(json_is_object(j));
	return j;
}

/* Parses text expecting an error; returns the message. */
static const char *
fmt_fail(const char *text)
{
	json_t *j = NULL;

	cr_assert_eq(frontmatter_parse(&j, text, strlen(text), "page.md"),
	    -1, "expected an error for <%s>", text);
	cr_assert_null(j);
	return rl_error_last();
}

static void
fmt_none(const char *text, size_t len)
{
	json_t *j = (json_t *)1;

	cr_assert_eq(frontmatter_parse(&j, text, len, "page.md"), 1,
	    "expected no front matter in <%.*s>", (int)len, text);
	cr_assert_null(j);
}

/* The compact JSON of one value of the front matter in text. */
static char *
fmt_value(const char *text, const char *key)
{
	json_t *j = fmt_ok(text), *v = json_object_get(j, key);
	char *s;

	cr_assert_not_null(v, "no key '%s' in <%s>", key, text);
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	return s;
}

/* "a: VALUE" as a whole page; the value's JSON must be want. */
static void
fmt_typed(const char *value, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	char *got;

	strbuf_printf(&sb, "---\na: %s\n---\nbody\n", value);
	got = fmt_value(sb.buf, "a");
	cr_assert_str_eq(got, want, "a: %s gave %s, want %s", value, got,
	    want);
	free(got);
	strbuf_free(&sb);
}

static void
fmt_json_eq(json_t *j, const char *want)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

	cr_assert_str_eq(s, want);
	free(s);
}

Test(frontmatter, scalars_typed_as_jekyll_sees_them)
{
	/* strings: plain, quoted, tagged */
	fmt_typed("hello world", "\"hello world\"");
	fmt_typed("'yes'", "\"yes\"");
	fmt_typed("\"12\"", "\"12\"");
	fmt_typed("!!str 123", "\"123\"");
	fmt_typed("!!str true", "\"true\"");
	/* null */
	fmt_typed("", "null");
	fmt_typed("~", "null");
	fmt_typed("null", "null");
	fmt_typed("NULL", "null");
	fmt_typed("nUlL", "null");
	/* booleans, YAML 1.1 spellings in any case; y and n are strings */
	fmt_typed("true", "true");
	fmt_typed("yes", "true");
	fmt_typed("On", "true");
	fmt_typed("tRuE", "true");
	fmt_typed("false", "false");
	fmt_typed("no", "false");
	fmt_typed("OFF", "false");
	fmt_typed("y", "\"y\"");
	fmt_typed("n", "\"n\"");
	/* integers */
	fmt_typed("42", "42");
	fmt_typed("-7", "-7");
	fmt_typed("+1", "1");
	fmt_typed("1_000", "1000");
	fmt_typed("1,000", "1000");
	fmt_typed("0x1F", "31");
	fmt_typed("0755", "493");
	fmt_typed("0b101", "5");
	fmt_typed("0o17", "\"0o17\"");
	fmt_typed("09", "\"09\"");
	fmt_typed("9223372036854775807", "9223372036854775807");
	fmt_typed("99999999999999999999", "\"99999999999999999999\"");
	/* Psych's base 60: a song length is not what it looks like */
	fmt_typed("3:45", "13500");
	fmt_typed("1:02:03", "3723");
	fmt_typed("1:30.5", "5430.0");
	fmt_typed("'3:45'", "\"3:45\"");
	/* floats; an exponent needs its sign */
	fmt_typed("1.5", "1.5");
	fmt_typed(".5", "0.5");
	fmt_typed("1.", "1.0");
	fmt_typed("1.5e+3", "1500.0");
	fmt_typed("1.5e3", "\"1.5e3\"");
	fmt_typed("!!float 2", "2.0");
	/* what JSON cannot hold stays as written */
	fmt_typed(".inf", "\".inf\"");
	fmt_typed("-.Inf", "\"-.Inf\"");
	fmt_typed(".NaN", "\".NaN\"");
	/* dates and times stay strings as written */
	fmt_typed("2024-11-20", "\"2024-11-20\"");
	fmt_typed("2024-11-20 10:00:00 +01:00",
	    "\"2024-11-20 10:00:00 +01:00\"");
	fmt_typed("2024-02-30", "\"2024-02-30\"");
	/* other tags are typed from the text */
	fmt_typed("!!int '12'", "12");
	fmt_typed("! 123", "123");
}

Test(frontmatter, lists_maps_and_nesting)
{
	json_t *j = fmt_ok("---\n"
	    "title: Song\n"
	    "tags: [live, demo]\n"
	    "mp3s:\n"
	    "  - live/take2.mp3\n"
	    "  - demo.mp3\n"
	    "credits:\n"
	    "  vocals: Ann\n"
	    "  takes: {first: 1, second: 2}\n"
	    "empty_list: []\n"
	    "empty_map: {}\n"
	    "---\n"
	    "# Song\n");

	fmt_json_eq(j, "{\"credits\":{\"takes\":{\"first\":1,\"second\":2},"
	    "\"vocals\":\"Ann\"},\"empty_list\":[],\"empty_map\":{},"
	    "\"mp3s\":[\"live/take2.mp3\",\"demo.mp3\"],"
	    "\"tags\":[\"live\",\"demo\"],\"title\":\"Song\"}");
	json_decref(j);
}

Test(frontmatter, names_and_values_with_punctuation_and_unicode)
{
	json_t *j = fmt_ok("---\n"
	    "\"a: b\": colon in a quoted name\n"
	    "'x # y': hash\n"
	    "semi;colon: 1\n"
	    "\"comma, name\": 2\n"
	    "paren (live): 3\n"
	    "title: Caf\xc3\xa9 \xe2\x80\x94 d\xc3\xa9j\xc3\xa0 vu\n"
	    "\xe6\x9b\xb2: \xe6\xad\x8c # a comment, not the value\n"
	    "url: http://example.com/a#b\n"
	    "mp3s: ['Song (Live, 2024).mp3', \"it's; fine.mp3\"]\n"
	    "---\n");

	cr_assert_str_eq(json_string_value(json_object_get(j, "a: b")),
	    "colon in a quoted name");
	cr_assert_str_eq(json_string_value(json_object_get(j, "x # y")),
	    "hash");
	cr_assert_eq(json_integer_value(json_object_get(j, "semi;colon")), 1);
	cr_assert_eq(json_integer_value(json_object_get(j, "comma, name")),
	    2);
	cr_assert_eq(json_integer_value(json_object_get(j, "paren (live)")),
	    3);
	cr_assert_str_eq(json_string_value(json_object_get(j, "title")),
	    "Caf\xc3\xa9 \xe2\x80\x94 d\xc3\xa9j\xc3\xa0 vu");
	cr_assert_str_eq(json_string_value(json_object_get(j,
	    "\xe6\x9b\xb2")), "\xe6\xad\x8c");
	cr_assert_str_eq(json_string_value(json_object_get(j, "url")),
	    "http://example.com/a#b");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(j,
	    "mp3s"), 0)), "Song (Live, 2024).mp3");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(j,
	    "mp3s"), 1)), "it's; fine.mp3");
	json_decref(j);
}

Test(frontmatter, block_scalars_are_strings)
{
	json_t *j = fmt_ok("---\n"
	    "lit: |\n"
	    "  line one\n"
	    "  42\n"
	    "folded: >\n"
	    "  one\n"
	    "  two\n"
	    "num: |\n"
	    "  12\n"
	    "kept: |-\n"
	    "  true\n"
	    "---\n");

	cr_assert_str_eq(json_string_value(json_object_get(j, "lit")),
	    "line one\n42\n");
	cr_assert_str_eq(json_string_value(json_object_get(j, "folded")),
	    "one two\n");
	cr_assert_str_eq(json_string_value(json_object_get(j, "num")),
	    "12\n");
	cr_assert_str_eq(json_string_value(json_object_get(j, "kept")),
	    "true");
	json_decref(j);
}

Test(frontmatter, anchors_aliases_and_merge_keys)
{
	json_t *j = fmt_ok("---\n"
	    "base: &b {layout: song, mp3s: [a.mp3]}\n"
	    "same: *b\n"
	    "name: &n Ann\n"
	    "who: *n\n"
	    "child:\n"
	    "  <<: *b\n"
	    "  layout: live\n"
	    "---\n");

	fmt_json_eq(j, "{\"base\":{\"layout\":\"song\",\"mp3s\":[\"a.mp3\"]},"
	    "\"child\":{\"layout\":\"live\",\"mp3s\":[\"a.mp3\"]},"
	    "\"name\":\"Ann\",\"same\":{\"layout\":\"song\","
	    "\"mp3s\":[\"a.mp3\"]},\"who\":\"Ann\"}");
	json_decref(j);
}

Test(frontmatter, later_duplicate_wins_and_keys_are_text)
{
	json_t *j = fmt_ok("---\na: 1\nb: x\na: 2\n1: one\ntrue: t\n---\n");

	cr_assert_eq(json_integer_value(json_object_get(j, "a")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(j, "1")), "one");
	cr_assert_str_eq(json_string_value(json_object_get(j, "true")), "t");
	cr_assert_eq(json_object_size(j), 4);
	json_decref(j);
}

Test(frontmatter, empty_and_null_front_matter_is_an_empty_map)
{
	const char *cases[] = {
		"---\n---\n",
		"---\n---",
		"---\n...\n",
		"---\n# only a comment\n---\nbody\n",
		"---\n\n\n---\n",
		"---\n~\n---\n",
		"---\nfalse\n---\n",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		json_t *j = fmt_ok(cases[i]);

		cr_assert_eq(json_object_size(j), 0, "case %zu", i);
		json_decref(j);
	}
}

Test(frontmatter, opening_and_closing_lines_as_jekyll_reads_them)
{
	char *v;

	/* trailing blanks and CRLF on both lines */
	v = fmt_value("---   \na: 1\n---  \t\nbody", "a");
	cr_assert_str_eq(v, "1");
	free(v);
	v = fmt_value("---\r\na: crlf\r\nb: 2\r\n---\r\nbody\r\n", "a");
	cr_assert_str_eq(v, "\"crlf\"");
	free(v);
	/* "..." closes too; so does a last line without '\n' */
	v = fmt_value("---\na: dots\n...\nb: body\n", "a");
	cr_assert_str_eq(v, "\"dots\"");
	free(v);
	v = fmt_value("---\na: end\n---", "a");
	cr_assert_str_eq(v, "\"end\"");
	free(v);
	/* "----" and "--- x" inside do not close; a later "---" does */
	v = fmt_value("---\na: |\n  ----\n  --- x\n  ....\n---\n", "a");
	cr_assert_str_eq(v, "\"----\\n--- x\\n....\\n\"");
	free(v);
}

Test(frontmatter, the_body_is_never_parsed)
{
	json_t *j = fmt_ok("---\ntitle: ok\n---\n"
	    "key: [unclosed\n"
	    "  - : : : {{ liquid }}\n"
	    "---\nbroken: : :\n");

	fmt_json_eq(j, "{\"title\":\"ok\"}");
	json_decref(j);
}

Test(frontmatter, no_front_matter)
{
	const char *cases[] = {
		"",
		"-",
		"--",
		"---",			/* no newline: readline gives "---" */
		"----\na: 1\n----\n",
		"--- a: 1\n---\n",
		"# Title\n---\na: 1\n---\n",
		" ---\na: 1\n---\n",
		"\xef\xbb\xbf---\na: 1\n---\n",	/* a BOM */
		"...\na: 1\n...\n",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		fmt_none(cases[i], strlen(cases[i]));
	fmt_none("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
}

Test(frontmatter, broken_yaml_names_the_line_in_the_page)
{
	const char *msg;

	/* the bad value is on line 4 of the page (line 3 of the YAML) */
	msg = fmt_fail("---\ntitle: ok\nmp3s: [a.mp3\nnext: 1\n---\nbody\n");
	cr_assert(strncmp(msg, "page.md:4:", 10) == 0, "got: %s", msg);
	cr_assert(strstr(msg, "flow sequence") != NULL, "got: %s", msg);

	msg = fmt_fail("---\na: 1\n  b: 2\n---\n");
	cr_assert(strncmp(msg, "page.md:3:", 10) == 0, "got: %s", msg);
	cr_assert(strstr(msg, "mapping values are not allowed") != NULL,
	    "got: %s", msg);

	msg = fmt_fail("---\r\na: 1\r\nb: \"open\r\n---\r\n");
	cr_assert(strncmp(msg, "page.md:", 8) == 0, "got: %s", msg);
	cr_assert(strstr(msg, "quoted scalar") != NULL, "got: %s", msg);
}

Test(frontmatter, top_level_must_be_a_map)
{
	const char *msg;

	msg = fmt_fail("---\n- a\n- b\n---\n");
	cr_assert_str_eq(msg, "page.md:2:1: front matter must be a map of "
	    "names to values, not a list");
	msg = fmt_fail("---\n\njust text\n---\n");
	cr_assert_str_eq(msg, "page.md:3:1: front matter must be a map of "
	    "names to values, not a single value");
}

/* Parses text expecting a block that is never closed. */
static void
fmt_unclosed(const char *text)
{
	json_t *j = NULL;

	cr_assert_eq(frontmatter_parse(&j, text, strlen(text), "page.md"),
	    FM_UNCLOSED, "expected an unclosed block in <%s>", text);
	cr_assert(json_is_object(j) && json_object_size(j) == 0,
	    "not {} for <%s>", text);
	json_decref(j);
}

/* Jekyll 4.3.1 renders such a file as a page with no data (measured). */
Test(frontmatter, never_closed_is_a_page_with_no_front_matter)
{
	fmt_unclosed("---\ntitle: x\nbody without end\n");
	cr_assert(strstr(rl_error_last(), "never closed") != NULL, "got: %s",
	    rl_error_last());
	cr_assert(strstr(rl_error_last(), "no front matter") != NULL,
	    "got: %s", rl_error_last());
	fmt_unclosed("---\n");
	fmt_unclosed("---\na: 1\n----\n--- x\n");
	/* even when the would-be block is not YAML at all */
	fmt_unclosed("---\nmp3s: [x.mp3\n");
}

/* Measured with Psych 4.0.3 (Ruby 3.1), safe_load as Jekyll calls it. */
Test(frontmatter, binary_is_its_bytes_in_strict_base64)
{
	static const char *const cases[][2] = {
		{ "!!binary aGVsbG8=", "\"aGVsbG8=\"" },
		{ "!!binary |\n  aGVs\n  bG8=\n", "\"aGVsbG8=\"" },
		{ "!binary aGVsbG8", "\"aGVsbG8=\"" },
		{ "!!binary \"aGVsbG8\"", "\"aGVsbG8=\"" },
		{ "!!binary a", "\"\"" },
		{ "!!binary ab", "\"aQ==\"" },
		{ "!!binary \"a*b c=d\"", "\"abc=\"" },
		{ "!!binary \"\"", "\"\"" },
		{ "!!binary", "\"\"" },
		{ "!<tag:yaml.org,2002:binary> aGk=", "\"aGk=\"" },
		{ "!!binary aGk=aGk=", "\"aGk=\"" },
		{ "!!binary aG=k", "\"aA==\"" },
		{ "!!binary 4pyTIMOgIGxhIG1vZGU=",
		  "\"4pyTIMOgIGxhIG1vZGU=\"" },
		{ "!!binary /9j/4A==", "\"/9j/4A==\"" },
		/* on a list the tag is ignored, as Psych ignores it */
		{ "!!binary [1]", "[1]" },
	};
	json_t *j;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		fmt_typed(cases[i][0], cases[i][1]);
	/* the rest of the page is indexed as usual */
	j = fmt_ok("---\ntitle: t\ncover: !!binary /9j/4A==\n---\n");
	fmt_json_eq(j, "{\"cover\":\"/9j/4A==\",\"title\":\"t\"}");
	json_decref(j);
}

Test(frontmatter, values_jekyll_refuses_are_errors)
{
	const char *msg;

	msg = fmt_fail("---\ntitle: ok\nlayout: :post\n---\n");
	cr_assert(strncmp(msg, "page.md:3:9: ':post' is a Ruby symbol", 37) ==
	    0, "got: %s", msg);
	msg = fmt_fail("---\nn: 0x_\n---\n");
	cr_assert(strstr(msg, "page.md:2:4:") == msg, "got: %s", msg);
	msg = fmt_fail("---\ns: !!set {a, b}\n---\n");
	cr_assert(strstr(msg, "page.md:2:") == msg, "got: %s", msg);
	msg = fmt_fail("---\no: !ruby/object:Foo {}\n---\n");
	cr_assert(strstr(msg, "page.md:2:") == msg, "got: %s", msg);
	msg = fmt_fail("---\nf: !!float abc\n---\n");
	cr_assert(strstr(msg, "page.md:2:4:") == msg, "got: %s", msg);
}

Test(frontmatter, each_list_item_keeps_its_own_type)
{
	json_t *j = fmt_ok("---\nlist: [1, '1', x, ~, off]\n---\n");

	fmt_json_eq(json_object_get(j, "list"), "[1,\"1\",\"x\",null,false]");
	json_decref(j);
}

/* ---- frontmatter_read: files on disk ---- */

static char fmt_dir[64];
static int fmt_dirfd = -1;

static int
fmt_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
fmt_setup(void)
{
	strcpy(fmt_dir, "/tmp/rl-fm-XXXXXX");
	cr_assert_not_null(mkdtemp(fmt_dir));
	fmt_dirfd = open(fmt_dir, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(fmt_dirfd, 0);
}

static void
fmt_teardown(void)
{
	close(fmt_dirfd);
	nftw(fmt_dir, fmt_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static void
fmt_write(const char *name, const void *data, size_t len)
{
	int fd = openat(fmt_dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* Bytes this process has read so far (all reads, any file). */
static long long
fmt_rchar(void)
{
	char buf[512];
	long long v = -1;
	ssize_t n;
	char *p;
	int fd;

	fd = open("/proc/self/io", O_RDONLY);
	cr_assert_geq(fd, 0, "/proc/self/io: %s", strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	p = strstr(buf, "rchar:");
	cr_assert_not_null(p);
	v = atoll(p + 6);
	return v;
}

/* len bytes of garbage that is not YAML and never holds "\n---". */
static char *
fmt_garbage(size_t len)
{
	char *b = xmalloc(len);
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (i % 61 == 60) ? '\n' : "[{:&*!|>'\"%@`"[i % 13];
	return b;
}

Test(frontmatter, read_a_page, .init = fmt_setup, .fini = fmt_teardown)
{
	const char *page = "---\r\ntitle: Take 2\r\nmp3s: [take2.mp3]\r\n"
	    "---\r\n# body: [unclosed\r\n";
	json_t *j = NULL;

	fmt_write("song.md", page, strlen(page));
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "song.md", false,
	    "songs/song.md"), 0, "%s", rl_error_last());
	fmt_json_eq(j, "{\"mp3s\":[\"take2.mp3\"],\"title\":\"Take 2\"}");
	json_decref(j);

	fmt_write("plain.txt", "just text\n", 10);
	j = (json_t *)1;
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "plain.txt", false,
	    "plain.txt"), 1);
	cr_assert_null(j);

	fmt_write("bad.md", "---\na: 1\n b: [\n---\n", 19);
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "bad.md", false,
	    "site/bad.md"), -1);
	cr_assert(strncmp(rl_error_last(), "site/bad.md:3:", 14) == 0,
	    "got: %s", rl_error_last());
}

Test(frontmatter, read_follows_a_symlink_only_when_told,
    .init = fmt_setup, .fini = fmt_teardown)
{
	json_t *j = NULL;

	fmt_write("real.md", "---\na: 1\n---\n", 13);
	cr_assert_eq(symlinkat("real.md", fmt_dirfd, "link.md"), 0);
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "link.md", false,
	    "link.md"), -1);
	cr_assert_str_eq(rl_error_last(), "link.md: is a symlink");
	/* a link the site walk follows is read as the page it leads to */
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "link.md", true,
	    "link.md"), 0, "%s", rl_error_last());
	fmt_json_eq(j, "{\"a\":1}");
	json_decref(j);
	cr_assert_eq(symlinkat("gone.md", fmt_dirfd, "dangling.md"), 0);
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "dangling.md", true,
	    "dangling.md"), -1);
	cr_assert(strstr(rl_error_last(), "dangling.md: No such file") ==
	    rl_error_last(), "got: %s", rl_error_last());
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "gone.md", false,
	    "gone.md"), -1);
	cr_assert(strstr(rl_error_last(), "gone.md: No such file") ==
	    rl_error_last(), "got: %s", rl_error_last());
	cr_assert_eq(mkfifoat(fmt_dirfd, "fifo.md", 0600), 0);
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "fifo.md", false,
	    "fifo.md"), -1);
	cr_assert_str_eq(rl_error_last(), "fifo.md: not a regular file");
	/* nor does following a link to a FIFO block */
	cr_assert_eq(symlinkat("fifo.md", fmt_dirfd, "tofifo.md"), 0);
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "tofifo.md", true,
	    "tofifo.md"), -1);
	cr_assert_str_eq(rl_error_last(), "tofifo.md: not a regular file");
}

Test(frontmatter, read_large_front_matter_across_chunks,
    .init = fmt_setup, .fini = fmt_teardown)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j = NULL;
	size_t i;

	/* 50 KiB of front matter, closing line split over a chunk edge */
	strbuf_puts(&sb, "---\nmp3s:\n");
	for (i = 0; i < 2000; i++)
		strbuf_printf(&sb, "  - take-%05zu.mp3\n", i);
	strbuf_puts(&sb, "last: yes\n---\nbody\n");
	fmt_write("big.md", sb.buf, sb.len);
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "big.md", false,
	    "big.md"), 0, "%s", rl_error_last());
	cr_assert_eq(json_array_size(json_object_get(j, "mp3s")), 2000);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(j,
	    "mp3s"), 1999)), "take-01999.mp3");
	cr_assert(json_is_true(json_object_get(j, "last")));
	json_decref(j);
	strbuf_free(&sb);
}

Test(frontmatter, read_stops_at_the_end_of_the_front_matter,
    .init = fmt_setup, .fini = fmt_teardown)
{
	size_t big = 10 * 1024 * 1024;
	char *g = fmt_garbage(big);
	json_t *j = NULL;
	long long before, used;
	int fd;

	/* a 10 MB render without front matter costs one small read */
	g[0] = 'I';
	g[1] = 'D';
	g[2] = '3';
	fmt_write("take.mp3", g, big);
	before = fmt_rchar();
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "take.mp3", false,
	    "take.mp3"), 1);
	used = fmt_rchar() - before;
	cr_assert_lt(used, 16384, "read %lld bytes of a 10 MB file", used);

	/* a page with a 10 MB body of garbage: only the block is read */
	fd = openat(fmt_dirfd, "huge.md", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "---\ntitle: huge\n---\n", 20), 20);
	cr_assert_eq(write(fd, g, big), (ssize_t)big);
	close(fd);
	before = fmt_rchar();
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "huge.md", false,
	    "huge.md"), 0, "%s", rl_error_last());
	used = fmt_rchar() - before;
	cr_assert_lt(used, 16384, "read %lld bytes of a 10 MB body", used);
	cr_assert_str_eq(json_string_value(json_object_get(j, "title")),
	    "huge");
	json_decref(j);

	/* "---" and a line that is not one: decided on the first chunk */
	g[0] = g[1] = g[2] = '-';
	g[3] = 'x';
	fmt_write("dashes.bin", g, big);
	before = fmt_rchar();
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "dashes.bin", false,
	    "dashes.bin"), 1);
	used = fmt_rchar() - before;
	cr_assert_lt(used, 16384, "read %lld bytes", used);
	free(g);
}

/* Peak resident memory of this test's process, in KiB. */
static long
fmt_maxrss(void)
{
	struct rusage ru;

	cr_assert_eq(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/* path: "---\n", then len bytes of text (lines, no closing line), then
 * tail; written a little at a time, so writing it costs no memory. */
static void
fmt_write_block(const char *path, size_t len, const char *tail)
{
	char line[64];
	size_t done = 0, n;
	int fd;

	fd = openat(fmt_dirfd, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "---\n", 4), 4);
	while (done < len) {
		n = (size_t)snprintf(line, sizeof(line), "k%09zu: v\n", done);
		cr_assert_eq(write(fd, line, n), (ssize_t)n);
		done += n;
	}
	if (tail)
		cr_assert_eq(write(fd, tail, strlen(tail)),
		    (ssize_t)strlen(tail));
	close(fd);
}

Test(frontmatter, read_never_closed_in_bounded_memory,
    .init = fmt_setup, .fini = fmt_teardown)
{
	json_t *j = NULL;
	long before, grew;

	/* 32 MB that open a block and never close it: a page with no
	 * front matter, found out without holding the file */
	fmt_write_block("open.md", 32 * 1024 * 1024, "---x\n...y\n -- \n");
	before = fmt_maxrss();
	cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "open.md", false,
	    "open.md"), FM_UNCLOSED, "%s", rl_error_last());
	grew = fmt_maxrss() - before;
	cr_assert(json_is_object(j) && json_object_size(j) == 0);
	json_decref(j);
	cr_assert_lt(grew, 4096, "peak memory grew by %ld KiB", grew);
}

Test(frontmatter, read_a_long_block_closed_late,
    .init = fmt_setup, .fini = fmt_teardown)
{
	json_t *j = NULL;
	size_t sizes[] = { 300 * 1024, 256 * 1024 - 2, 256 * 1024 + 7 };
	const char *tails[] = { "last: 1\n---\nbody\n", "last: 1\n... \n",
	    "last: 1\n---" };
	size_t i, k;

	/* longer than what is kept while looking for the end: read again
	 * once the closing line is found, wherever it falls */
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (k = 0; k < ARRAY_SIZE(tails); k++) {
			fmt_write_block("long.md", sizes[i], tails[k]);
			cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "long.md",
			    false, "long.md"), 0, "%zu %zu: %s", i, k,
			    rl_error_last());
			cr_assert_eq(json_integer_value(json_object_get(j,
			    "last")), 1, "%zu %zu", i, k);
			cr_assert_str_eq(json_string_value(json_object_get(j,
			    "k000000000")), "v");
			json_decref(j);
		}
	/* and never closed, the same sizes */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		fmt_write_block("long.md", sizes[i], "last: 1\n-- -\n");
		cr_assert_eq(frontmatter_read(&j, fmt_dirfd, "long.md", false,
		    "long.md"), FM_UNCLOSED);
		json_decref(j);
	}
}
