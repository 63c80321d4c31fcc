/*
 * test_index.c - the front matter index reader: the three shapes it
 * accepts, and the messages a user gets for a malformed index (which
 * must point at the file, line and column, or at the element).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index.h"
#include "strbuf.h"
#include "util.h"

/* Writes len bytes to a fresh temporary file; caller unlinks and frees. */
static char *
ix_tmpfile(const char *data, size_t len)
{
	char *path;
	int fd;

	path = xstrdup("/tmp/rl_test_index_XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0, "mkstemp: %s", strerror(errno));
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static const char *
ix_fm_str(const struct document *d, const char *key)
{
	return json_string_value(json_object_get(d->front_matter, key));
}

static void
ix_expect_error(const char *text, const char *want)
{
	struct docindex *idx = (struct docindex *)1;

	rl_error_clear();
	cr_expect_eq(docindex_parse(&idx, text, "idx.json"), -1,
	    "accepted: %s", text);
	cr_expect_null(idx, "out not cleared for: %s", text);
	cr_expect_str_eq(rl_error_last(), want, "got \"%s\" for input: %s",
	    rl_error_last(), text);
	docindex_free(idx);
	rl_error_clear();
}

Test(index, versioned_shape)
{
	struct docindex *idx;

	cr_assert_eq(docindex_parse(&idx,
	    "{\"version\": 1, \"documents\": ["
	    " {\"path\": \"_songs/one.md\","
	    "  \"front_matter\": {\"audio\": \"one.mp3\"}},"
	    " {\"path\": \"index.md\", \"front_matter\": {}}"
	    "], \"generator\": \"x\"}", "idx.json"), 0, "%s", rl_error_last());
	cr_assert_eq(idx->n, 2);
	cr_assert_str_eq(idx->docs[0].path, "_songs/one.md");
	cr_assert_str_eq(ix_fm_str(&idx->docs[0], "audio"), "one.mp3");
	cr_assert_str_eq(idx->docs[1].path, "index.md");
	cr_assert(json_is_object(idx->docs[1].front_matter));
	cr_assert_eq(json_object_size(idx->docs[1].front_matter), 0);
	docindex_free(idx);
}

Test(index, plain_array_shape)
{
	struct docindex *idx;

	cr_assert_eq(docindex_parse(&idx,
	    "[{\"path\": \"b.md\", \"front_matter\": {\"audio\": [\"x.mp3\"]}},"
	    " {\"path\": \"a.md\", \"front_matter\": {\"title\": \"A\"}}]",
	    "idx.json"), 0, "%s", rl_error_last());
	cr_assert_eq(idx->n, 2);
	/* File order is kept. */
	cr_assert_str_eq(idx->docs[0].path, "b.md");
	cr_assert_str_eq(idx->docs[1].path, "a.md");
	cr_assert_str_eq(ix_fm_str(&idx->docs[1], "title"), "A");
	cr_assert(json_is_array(json_object_get(idx->docs[0].front_matter,
	    "audio")));
	docindex_free(idx);
}

Test(index, jekyll_jsonify_shape)
{
	struct docindex *idx;

	/* What {{ site.documents | jsonify }} writes, abridged. */
	cr_assert_eq(docindex_parse(&idx,
	    "[{\"path\": \"_songs/one.md\", \"relative_path\": \"_songs/one.md\","
	    "  \"url\": \"/songs/one/\", \"collection\": \"songs\","
	    "  \"content\": \"<p>hi</p>\", \"audio\": \"one.mp3\"},"
	    " {\"path\": \"/home/m/site/_posts/2024-01-01-x.md\","
	    "  \"relative_path\": \"_posts/2024-01-01-x.md\","
	    "  \"audio\": [\"a.mp3\", \"b.mp3\"]}]", "site.json"), 0, "%s",
	    rl_error_last());
	cr_assert_eq(idx->n, 2);
	cr_assert_str_eq(idx->docs[0].path, "_songs/one.md");
	cr_assert_str_eq(ix_fm_str(&idx->docs[0], "audio"), "one.mp3");
	cr_assert_str_eq(ix_fm_str(&idx->docs[0], "collection"), "songs");
	/* relative_path wins over path when there is no front_matter key. */
	cr_assert_str_eq(idx->docs[1].path, "_posts/2024-01-01-x.md");
	cr_assert_eq(json_array_size(json_object_get(
	    idx->docs[1].front_matter, "audio")), 2);
	docindex_free(idx);
}

Test(index, array_may_mix_shapes)
{
	struct docindex *idx;

	cr_assert_eq(docindex_parse(&idx,
	    "[{\"path\": \"a.md\", \"front_matter\": {\"k\": \"1\"}},"
	    " {\"relative_path\": \"b.md\", \"k\": \"2\"}]", "idx.json"), 0,
	    "%s", rl_error_last());
	cr_assert_eq(idx->n, 2);
	cr_assert_str_eq(ix_fm_str(&idx->docs[0], "k"), "1");
	cr_assert_str_eq(ix_fm_str(&idx->docs[1], "k"), "2");
	docindex_free(idx);
}

Test(index, empty_documents_are_fine)
{
	struct docindex *idx;

	cr_assert_eq(docindex_parse(&idx, "{\"version\":1,\"documents\":[]}",
	    "idx.json"), 0, "%s", rl_error_last());
	cr_assert_eq(idx->n, 0);
	docindex_free(idx);
	cr_assert_eq(docindex_parse(&idx, " [ ]\n", "idx.json"), 0);
	cr_assert_eq(idx->n, 0);
	docindex_free(idx);
}

Test(index, parse_errors_name_line_and_column)
{
	ix_expect_error("[\n {\"path\": \"a.md\",\n  \"front_matter\": {}\n ,}\n]",
	    "idx.json:4:3: string or '}' expected near '}'");
	ix_expect_error("[1,]", "idx.json:1:4: unexpected token near ']'");
	ix_expect_error("[", "idx.json:1:1: ']' expected near end of file");
	ix_expect_error("", "idx.json:1:0: unexpected token near end of file");
	ix_expect_error("[] x", "idx.json:1:4: end of file expected near 'x'");
	/* Columns count characters, as an editor shows them. */
	ix_expect_error("[\"\xc3\xb1\xc3\xb1\", x]",
	    "idx.json:1:8: invalid token near 'x'");
	ix_expect_error("[\"\xff\"]",
	    "idx.json:1:2: unable to decode byte 0xff near '\"'");
}

Test(index, rejects_duplicate_keys)
{
	/* Jekyll would keep the last; we refuse to guess. */
	ix_expect_error("[{\"path\": \"a.md\",\n \"path\": \"b.md\","
	    " \"front_matter\": {}}]",
	    "idx.json:2:7: duplicate object key near '\"path\"'");
	ix_expect_error("[{\"path\": \"a.md\", \"front_matter\":\n"
	    " {\"audio\": \"x.mp3\", \"audio\": \"y.mp3\"}}]",
	    "idx.json:2:27: duplicate object key near '\"audio\"'");
}

Test(index, rejects_bad_top_level)
{
	ix_expect_error("\"x\"", "idx.json: the index must be an object or "
	    "an array, not a string");
	ix_expect_error("42", "idx.json: the index must be an object or "
	    "an array, not a number");
	ix_expect_error("null", "idx.json: the index must be an object or "
	    "an array, not null");
}

Test(index, rejects_bad_version)
{
	ix_expect_error("{\"version\": 2, \"documents\": []}",
	    "idx.json: unsupported index version 2 (this renderlink reads "
	    "version 1)");
	ix_expect_error("{\"version\": 0, \"documents\": []}",
	    "idx.json: unsupported index version 0 (this renderlink reads "
	    "version 1)");
	ix_expect_error("{\"documents\": []}",
	    "idx.json: no \"version\" (this renderlink reads version 1)");
	ix_expect_error("{\"version\": \"1\", \"documents\": []}",
	    "idx.json: \"version\" must be an integer, not a string");
	ix_expect_error("{\"version\": 1.0, \"documents\": []}",
	    "idx.json: \"version\" must be an integer, not a number");
}

Test(index, rejects_missing_documents)
{
	ix_expect_error("{\"version\": 1}",
	    "idx.json: no \"documents\" array");
	ix_expect_error("{\"version\": 1, \"documents\": {}}",
	    "idx.json: \"documents\" must be an array, not an object");
}

Test(index, shape_errors_name_the_element)
{
	ix_expect_error("{\"version\": 1, \"documents\": ["
	    "{\"path\": \"a.md\", \"front_matter\": {}},"
	    "{\"path\": \"b.md\", \"front_matter\": {}},"
	    "{\"path\": \"c.md\", \"front_matter\": {}},"
	    "{\"path\": 3, \"front_matter\": {}}]}",
	    "idx.json: documents[3]: \"path\" must be a string, not a number");
	ix_expect_error("{\"version\": 1, \"documents\": ["
	    "{\"front_matter\": {}}]}",
	    "idx.json: documents[0]: no \"path\" string");
	/* Our own format has no Jekyll shape: front_matter is required. */
	ix_expect_error("{\"version\": 1, \"documents\": ["
	    "{\"path\": \"a.md\", \"relative_path\": \"a.md\"}]}",
	    "idx.json: documents[0]: no \"front_matter\" object");
	ix_expect_error("{\"version\": 1, \"documents\": ["
	    "{\"path\": \"a.md\", \"front_matter\": null}]}",
	    "idx.json: documents[0]: \"front_matter\" must be an object, "
	    "not null");
	ix_expect_error("{\"version\": 1, \"documents\": [\"a.md\"]}",
	    "idx.json: documents[0]: must be an object, not a string");
	ix_expect_error("[{\"path\": \"a.md\", \"front_matter\": {}}, []]",
	    "idx.json: [1]: must be an object, not an array");
	ix_expect_error("[{\"path\": \"a.md\", \"front_matter\": [1]}]",
	    "idx.json: [0]: \"front_matter\" must be an object, not an array");
	ix_expect_error("[{\"path\": \"a.md\"}]",
	    "idx.json: [0]: no \"front_matter\" object, nor \"relative_path\" "
	    "string (Jekyll's jsonify)");
	ix_expect_error("[{\"relative_path\": true}]",
	    "idx.json: [0]: \"relative_path\" must be a string, not true");
	ix_expect_error("[{\"relative_path\": \"a.md\"}, 7]",
	    "idx.json: [1]: must be an object, not a number");
}

Test(index, rejects_bad_page_paths)
{
	ix_expect_error("[{\"path\": \"\", \"front_matter\": {}}]",
	    "idx.json: [0]: page path is empty");
	ix_expect_error("[{\"relative_path\": \"\"}]",
	    "idx.json: [0]: page path is empty");
	ix_expect_error("[{\"path\": \"/etc/x.md\", \"front_matter\": {}}]",
	    "idx.json: [0]: page path \"/etc/x.md\" is absolute (it must be "
	    "relative to the site)");
	ix_expect_error("{\"version\": 1, \"documents\": ["
	    "{\"path\": \"../x.md\", \"front_matter\": {}}]}",
	    "idx.json: documents[0]: page path \"../x.md\" has a \"..\" "
	    "segment");
	ix_expect_error("[{\"relative_path\": \"a/../../x.md\"}]",
	    "idx.json: [0]: page path \"a/../../x.md\" has a \"..\" segment");
	ix_expect_error("[{\"relative_path\": \"a/..\"}]",
	    "idx.json: [0]: page path \"a/..\" has a \"..\" segment");
	ix_expect_error("[{\"relative_path\": \"./x.md\"}]",
	    "idx.json: [0]: page path \"./x.md\" has a \".\" segment");
	ix_expect_error("[{\"relative_path\": \"a//x.md\"}]",
	    "idx.json: [0]: page path \"a//x.md\" has an empty segment");
	/* A hostile path cannot garble the message. */
	ix_expect_error("[{\"relative_path\": \"/a\\n\\\"b\"}]",
	    "idx.json: [0]: page path \"/a\\n\\\"b\" is absolute (it must be "
	    "relative to the site)");
	/* Dots inside a name are fine. */
	ix_expect_error("[{\"relative_path\": \"..a/.b/c..\"}, 1]",
	    "idx.json: [1]: must be an object, not a number");
}

Test(index, rejects_duplicate_page_paths)
{
	ix_expect_error("{\"version\": 1, \"documents\": ["
	    "{\"path\": \"a.md\", \"front_matter\": {}},"
	    "{\"path\": \"b.md\", \"front_matter\": {}},"
	    "{\"path\": \"a.md\", \"front_matter\": {\"x\": 1}}]}",
	    "idx.json: documents[2]: page path \"a.md\" is also at "
	    "documents[0]");
	/* Across shapes in one array too. */
	ix_expect_error("[{\"path\": \"a.md\", \"front_matter\": {}},"
	    " {\"path\": \"/abs/a.md\", \"relative_path\": \"a.md\"}]",
	    "idx.json: [1]: page path \"a.md\" is also at [0]");
}

Test(index, load_from_file)
{
	static const char text[] =
	    "{\"version\": 1, \"documents\": [\n"
	    "  {\"path\": \"_songs/one.md\", \"front_matter\": {\"audio\": "
	    "\"Canci\xc3\xb3n.mp3\"}}\n]}\n";
	struct docindex *idx;
	char *path;

	path = ix_tmpfile(text, sizeof(text) - 1);
	cr_assert_eq(docindex_load(&idx, path, "_data/idx.json"), 0, "%s",
	    rl_error_last());
	cr_assert_eq(idx->n, 1);
	cr_assert_str_eq(idx->docs[0].path, "_songs/one.md");
	cr_assert_str_eq(ix_fm_str(&idx->docs[0], "audio"),
	    "Canci\xc3\xb3n.mp3");
	docindex_free(idx);
	unlink(path);
	free(path);
}

Test(index, load_large_file)
{
	struct strbuf sb = STRBUF_INIT;
	struct docindex *idx;
	char *path;
	size_t i;

	/* Bigger than one read, so the read loop is exercised. */
	strbuf_putc(&sb, '[');
	for (i = 0; i < 5000; i++)
		strbuf_printf(&sb, "%s{\"relative_path\": \"_songs/%05zu.md\","
		    " \"audio\": \"%05zu.mp3\"}", i ? ",\n" : "", i, i);
	strbuf_puts(&sb, "]\n");
	cr_assert_gt(sb.len, 65536 * 3);
	path = ix_tmpfile(sb.buf, sb.len);
	cr_assert_eq(docindex_load(&idx, path, NULL), 0, "%s",
	    rl_error_last());
	cr_assert_eq(idx->n, 5000);
	cr_assert_str_eq(idx->docs[4999].path, "_songs/04999.md");
	cr_assert_str_eq(ix_fm_str(&idx->docs[4999], "audio"), "04999.mp3");
	docindex_free(idx);
	unlink(path);
	free(path);
	strbuf_free(&sb);
}

Test(index, load_errors_name_the_file)
{
	struct docindex *idx = (struct docindex *)1;
	struct strbuf want = STRBUF_INIT;
	char *path;

	cr_assert_eq(docindex_load(&idx, "/nonexistent/rl/idx.json", NULL),
	    -1);
	cr_assert_null(idx);
	strbuf_printf(&want, "/nonexistent/rl/idx.json: cannot open: %s",
	    strerror(ENOENT));
	cr_assert_str_eq(rl_error_last(), want.buf);

	/* A display name is shown, and the real path still named. */
	cr_assert_eq(docindex_load(&idx, "/nonexistent/rl/idx.json",
	    "idx.json"), -1);
	strbuf_reset(&want);
	strbuf_printf(&want, "idx.json (/nonexistent/rl/idx.json): cannot "
	    "open: %s", strerror(ENOENT));
	cr_assert_str_eq(rl_error_last(), want.buf);

	cr_assert_eq(docindex_load(&idx, "/tmp", NULL), -1);
	strbuf_reset(&want);
	strbuf_printf(&want, "/tmp: cannot read: %s", strerror(EISDIR));
	cr_assert_str_eq(rl_error_last(), want.buf);
	strbuf_free(&want);

	/* Parse errors in a file use the display name and line:column. */
	path = ix_tmpfile("[\n  {\"path\": \"a.md\" \"front_matter\": {}}\n]",
	    40);
	cr_assert_eq(docindex_load(&idx, path, "idx.json"), -1);
	cr_assert_str_eq(rl_error_last(),
	    "idx.json:2:32: '}' expected near '\"front_matter\"'");
	unlink(path);
	free(path);

	/* A NUL byte is an error, not an early end of file. */
	path = ix_tmpfile("[]\0[", 4);
	cr_assert_eq(docindex_load(&idx, path, "idx.json"), -1);
	cr_assert_not_null(strstr(rl_error_last(), "idx.json:1:"),
	    "got \"%s\"", rl_error_last());
	unlink(path);
	free(path);
	rl_error_clear();
}

/*
 * Freeing NULL is a no-op, so callers free whatever a failed load left
 * (*out is NULL then) without a check: nothing is touched, not even the
 * error the failed load set, which the caller prints after freeing.
 */
Test(index, free_null)
{
	struct docindex *idx = (struct docindex *)1;

	cr_assert_eq(docindex_parse(&idx, "{", "idx.json"), -1);
	cr_assert_null(idx, "a failed parse leaves *out NULL");
	rl_error_set("the load's error");
	errno = EBADF;
	docindex_free(idx);
	docindex_free(NULL);
	cr_assert_str_eq(rl_error_last(), "the load's error");
	cr_assert_eq(errno, EBADF, "errno changed to %d", errno);
	rl_error_clear();
}

/* Freeing an index gives back the JSON it was made from (no leak). */
Test(index, free_releases_the_json)
{
	struct docindex *idx;
	json_t *root;

	root = json_loads("{\"version\": 1, \"documents\": [{\"path\": "
	    "\"a.md\", \"front_matter\": {\"title\": \"A\"}}]}", 0, NULL);
	cr_assert_not_null(root);
	cr_assert_eq(docindex_from_json(&idx, json_incref(root), "idx.json"),
	    0, "%s", rl_error_last());
	cr_assert_eq(idx->n, 1);
	cr_assert_eq(root->refcount, 2, "the index holds one reference");
	docindex_free(idx);
	cr_assert_eq(root->refcount, 1, "docindex_free kept %zu references",
	    (size_t)root->refcount - 1);
	json_decref(root);
}
