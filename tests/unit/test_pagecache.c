/*
 * test_pagecache.c - pages.tsv, the index's cache of pages: what is
 * written reads back, and a cache that is not exactly what renderlink
 * writes for the index as it is now is not trusted at all.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "fsutil.h"
#include "manifest.h"
#include "pagecache.h"
#include "strbuf.h"
#include "util.h"

#define PCT_INDEX	"_data/front_matter.json"
#define PCT_CACHE	MANIFEST_DIR "/" PAGES_CACHE

/* Two blocks: 8 bytes at 2, 10 at 11. */
static const char pct_index[] = "[\n{\"a\": 1}\n{\"bb\": 22}\n]\n";

static char pct_site[PATH_MAX];
static int pct_fd = -1;

static int
pct_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
pct_setup(void)
{
	char tmpl[] = "/tmp/rl-pc-XXXXXX";

	cr_assert_not_null(mkdtemp(tmpl));
	cr_assert_not_null(realpath(tmpl, pct_site));
	pct_fd = open(pct_site, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(pct_fd, 0);
	cr_assert_eq(file_update(pct_fd, PCT_INDEX, pct_index, NULL,
	    &(bool){ false }), 0);
}

static void
pct_teardown(void)
{
	if (pct_fd >= 0)
		close(pct_fd);
	pct_fd = -1;
	if (pct_site[0] != '\0')
		nftw(pct_site, pct_rm, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(pagecache, .init = pct_setup, .fini = pct_teardown);

static bool
pct_load(struct pagecache *c)
{
	return pagecache_load(c, pct_fd, PCT_INDEX, pct_index,
	    strlen(pct_index));
}

/* Saves lines, then replaces the text from `from` with `to`. */
static void
pct_save_edited(const char *lines, const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
	char *at;

	cr_assert_eq(pagecache_save(pct_fd, PCT_INDEX, lines, true), 0, "%s",
	    rl_error_last());
	cr_assert_eq(file_read(&sb, pct_fd, PCT_CACHE), 0);
	if (from != NULL) {
		at = strstr(sb.buf, from);
		cr_assert_not_null(at, "no '%s' in %s", from, sb.buf);
		strbuf_add(&out, sb.buf, (size_t)(at - sb.buf));
		strbuf_puts(&out, to);
		strbuf_puts(&out, at + strlen(from));
		cr_assert_eq(file_update(pct_fd, PCT_CACHE, out.buf, NULL,
		    &(bool){ false }), 0);
	}
	strbuf_free(&sb);
	strbuf_free(&out);
}

Test(pagecache, what_is_written_reads_back)
{
	struct strbuf lines = STRBUF_INIT;
	struct pagecache c;

	pagecache_put(&lines, 'p', 10, 1700000000123456789LL, 42, 2, 8,
	    "a\tb\\c\nd.md");
	pagecache_put(&lines, '-', 0, -631152000000000000LL, 7, 0, 0,
	    "b/style.css");
	pagecache_put(&lines, 'r', 99, 5, 8, 11, 10, "caf\xc3\xa9.md");
	pct_save_edited(lines.buf, NULL, NULL);
	cr_assert(pct_load(&c));
	cr_assert_eq(c.n, 3);
	cr_assert_str_eq(c.v[0].path, "a\tb\\c\nd.md");
	cr_assert_eq(c.v[0].kind, 'p');
	cr_assert_eq(c.v[0].size, 10);
	cr_assert_eq(c.v[0].mtime_ns, 1700000000123456789LL);
	cr_assert_eq(c.v[0].ino, 42);
	cr_assert_eq(c.v[0].off, 2);
	cr_assert_eq(c.v[0].len, 8);
	cr_assert_eq(c.v[1].mtime_ns, -631152000000000000LL);
	cr_assert_eq(c.v[1].kind, '-');
	cr_assert_str_eq(c.v[2].path, "caf\xc3\xa9.md");
	cr_assert_eq(c.v[2].kind, 'r');
	pagecache_free(&c);
	strbuf_free(&lines);
}

Test(pagecache, the_json_cache_of_before_is_removed)
{
	struct stat st;

	cr_assert_eq(file_update(pct_fd, MANIFEST_DIR "/pages.json", "{}",
	    NULL, &(bool){ false }), 0);
	pct_save_edited("", NULL, NULL);
	cr_assert_eq(fstatat(pct_fd, MANIFEST_DIR "/pages.json", &st, 0), -1);
	cr_assert_eq(fstatat(pct_fd, PCT_CACHE, &st, 0), 0);
}

/* Each edit of a good cache that must make it untrusted. */
Test(pagecache, anything_but_what_renderlink_writes_is_not_trusted)
{
	static const struct { const char *from, *to, *why; } edits[] = {
		{ "renderlink pages 2", "renderlink pages 1", "version" },
		{ "index\t", "index\t1", "written for another index" },
		{ "p\t10", "x\t10", "unknown kind" },
		{ "\t2\t8\t", "\t2\t9\t", "block not ending in }" },
		{ "\t2\t8\t", "\t3\t8\t", "block not starting with {" },
		{ "\t2\t8\t", "\t2\t800\t", "block past the end" },
		{ "\t11\t10\t", "\t99999999999\t11\t", "offset past the end" },
		{ "\t10\t", "\t1x0\t", "a number that is not one" },
		{ "a.md", "a\\q.md", "a stray backslash" },
		{ "a.md", "c.md", "lines out of order" },
		{ "b.md\n", "b.md", "a last line cut short" },
	};
	struct strbuf lines = STRBUF_INIT;
	struct pagecache c;
	size_t i;

	pagecache_put(&lines, 'p', 10, 1, 42, 2, 8, "a.md");
	pagecache_put(&lines, 'p', 11, 1, 43, 11, 10, "b.md");
	pct_save_edited(lines.buf, NULL, NULL);
	cr_assert(pct_load(&c), "the cache as written is trusted");
	cr_assert_eq(c.n, 2);
	pagecache_free(&c);
	for (i = 0; i < ARRAY_SIZE(edits); i++) {
		pct_save_edited(lines.buf, edits[i].from, edits[i].to);
		cr_expect_not(pct_load(&c), "trusted with %s", edits[i].why);
		cr_expect_eq(c.n, 0);
		pagecache_free(&c);
	}
	strbuf_free(&lines);
}
