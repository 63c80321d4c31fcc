/*
 * test_initblock.c - the block `renderlink init` appends: every value
 * reads back, through the YAML parser, as exactly the string given,
 * whatever it holds; every line says what it is.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "initblock.h"
#include "strbuf.h"
#include "ytree.h"

static const char *
ib_scalar(struct strbuf *sb, const char *s, bool quote)
{
	strbuf_reset(sb);
	initblock_scalar(sb, s, quote);
	return sb->buf;
}

Test(initblock, plain_only_when_it_reads_back_as_a_string)
{
	struct strbuf sb = STRBUF_INIT;

	cr_expect_str_eq(ib_scalar(&sb, "mp3s", false), "mp3s");
	cr_expect_str_eq(ib_scalar(&sb, "songs/mp3s", false), "songs/mp3s");
	cr_expect_str_eq(ib_scalar(&sb, "mp3s", true), "'mp3s'");
	cr_expect_str_eq(ib_scalar(&sb, "true", false), "'true'");
	cr_expect_str_eq(ib_scalar(&sb, "No", false), "'No'");
	cr_expect_str_eq(ib_scalar(&sb, "null", false), "'null'");
	cr_expect_str_eq(ib_scalar(&sb, "123", false), "'123'");
	cr_expect_str_eq(ib_scalar(&sb, ".aif", false), "'.aif'");
	cr_expect_str_eq(ib_scalar(&sb, "my songs", false), "'my songs'");
	cr_expect_str_eq(ib_scalar(&sb, "a: b # c", false), "'a: b # c'");
	cr_expect_str_eq(ib_scalar(&sb, "E:\\it's", true), "'E:\\it''s'");
	strbuf_free(&sb);
}

/* The value under renderlink.links[0].key in text. */
static const struct ynode *
ib_get(const struct ynode *root, const char *key)
{
	const struct ynode *rl = ynode_get(root, "renderlink");
	const struct ynode *links = rl ? ynode_get(rl, "links") : NULL;

	cr_assert(links && links->kind == YNODE_SEQ && links->n == 1);
	return ynode_get(links->items[0], key);
}

Test(initblock, values_read_back_exactly)
{
	char *exts[] = { "mp3", ".WAV", "true" };
	struct initblock b = {
		.name = "false", .key = "mp3s: x #y",
		.source = "E:\\media\\it's \"here\"", .target = "songs/my mp3s",
		.exts = exts, .nexts = 3,
	};
	struct ynode *root;
	const struct ynode *n;
	char *text = initblock_text(&b, "\n");

	cr_assert_eq(ytree_load(&root, text, strlen(text), "t", 0), 0,
	    "%s", text);
	cr_expect_str_eq(ib_get(root, "name")->value, "false");
	cr_expect_not(ib_get(root, "name")->plain);
	cr_expect_str_eq(ib_get(root, "key")->value, "mp3s: x #y");
	cr_expect_str_eq(ib_get(root, "source")->value,
	    "E:\\media\\it's \"here\"");
	cr_expect_str_eq(ib_get(root, "target")->value, "songs/my mp3s");
	n = ib_get(root, "extensions");
	cr_assert(n && n->kind == YNODE_SEQ && n->n == 3);
	cr_expect_str_eq(n->items[0]->value, "mp3");
	cr_expect_str_eq(n->items[1]->value, ".WAV");
	cr_expect_str_eq(n->items[2]->value, "true");
	cr_expect_not(n->items[2]->plain, "a YAML boolean word is quoted");
	ynode_free(root);
	free(text);
}

Test(initblock, every_line_has_a_comment_and_the_eol_asked_for)
{
	char *exts[] = { "mp3" };
	struct initblock b = {
		.name = "mp3s", .key = "mp3s", .source = "E:\\media\\songs",
		.target = "songs/mp3s", .exts = exts, .nexts = 1,
	};
	char *text = initblock_text(&b, "\r\n"), *line, *save = NULL;
	size_t lines = 0, crlf = 0;
	const char *p;

	for (p = text; (p = strchr(p, '\n')) != NULL; p++) {
		lines++;
		crlf += p > text && p[-1] == '\r';
	}
	cr_expect_eq(lines, crlf, "every line ends in CRLF");
	cr_expect(strstr(text, "\n      source: 'E:\\media\\songs'  "));
	for (line = strtok_r(text, "\r\n", &save); line;
	    line = strtok_r(NULL, "\r\n", &save))
		cr_expect(strstr(line, "# ") != NULL, "no comment: '%s'", line);
	free(text);
}
