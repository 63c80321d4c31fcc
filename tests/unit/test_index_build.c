/*
 * test_index_build.c - the front matter index renderlink builds from the
 * pages: byte-stable text, written only when it changes, incremental
 * through the cache of file facts, broken pages keeping their last good
 * entry, and an index renderlink did not write left alone.
 *
 * Each test makes a throwaway site (mkdtemp) with a minimal renderlink
 * config and calls index_build/index_save on it directly.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "config.h"
#include "fsutil.h"
#include "index_build.h"
#include "manifest.h"
#include "problem.h"
#include "strbuf.h"
#include "util.h"

#define IBT_INDEX	"_data/front_matter.json"
#define IBT_CACHE	MANIFEST_DIR "/" PAGES_CACHE

static char ibt_site[PATH_MAX];
static int ibt_fd = -1;
static struct config *ibt_cfg;
static json_t *ibt_parsed;	/* the last index ibt_doc() looked in */

static int
ibt_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
ibt_setup(void)
{
	char tmpl[] = "/tmp/rl-ib-XXXXXX";

	cr_assert_not_null(mkdtemp(tmpl));
	cr_assert_not_null(realpath(tmpl, ibt_site));
	ibt_fd = open(ibt_site, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(ibt_fd, 0);
	ibt_cfg = NULL;
}

static void
ibt_teardown(void)
{
	config_free(ibt_cfg);
	ibt_cfg = NULL;
	json_decref(ibt_parsed);
	ibt_parsed = NULL;
	if (ibt_fd >= 0)
		close(ibt_fd);
	ibt_fd = -1;
	if (ibt_site[0] != '\0')
		nftw(ibt_site, ibt_rm, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(index_build, .init = ibt_setup, .fini = ibt_teardown);

static void
ibt_parents(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	for (p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		strbuf_reset(&sb);
		strbuf_add(&sb, path, (size_t)(p - path));
		if (mkdirat(ibt_fd, sb.buf, 0755) < 0)
			cr_assert_eq(errno, EEXIST, "mkdir %s", sb.buf);
	}
	strbuf_free(&sb);
}

/* Writes path in place (O_TRUNC: the inode stays). */
static void
ibt_write(const char *path, const char *text)
{
	int fd;

	ibt_parents(path);
	fd = openat(ibt_fd, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert_geq(fd, 0, "create %s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* Returns the file's text (to free), or NULL when it is not there. */
static char *
ibt_read(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	r = file_read(&sb, ibt_fd, path);
	cr_assert_geq(r, 0, "read %s: %s", path, rl_error_last());
	if (r == 1) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static void
ibt_stat(const char *path, struct stat *st)
{
	cr_assert_eq(fstatat(ibt_fd, path, st, AT_SYMLINK_NOFOLLOW), 0,
	    "stat %s: %s", path, strerror(errno));
}

/* Sets a file's mtime to sec (whole seconds), leaving its bytes alone. */
static void
ibt_set_mtime(const char *path, time_t sec)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { sec, 0 } };

	cr_assert_eq(utimensat(ibt_fd, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

/* Lets the clock move on, so a later write shows a new mtime. */
static void
ibt_tick(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* Writes _config.yml (jekyll: lines before the renderlink section) and
 * loads it. */
static void
ibt_config(const char *jekyll)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_puts(&sb, jekyll ? jekyll : "title: test\n");
	strbuf_puts(&sb, "renderlink:\n"
	    "  links:\n"
	    "    - {name: mp3s, key: mp3s, source: /srv/media, "
	    "target: songs/mp3s, extensions: [mp3]}\n");
	ibt_write("_config.yml", sb.buf);
	strbuf_free(&sb);
	config_free(ibt_cfg);
	ibt_cfg = NULL;
	if (config_load(&ibt_cfg, ibt_site, NULL, 0) < 0)
		cr_assert_fail("config: %s", rl_error_last());
}

/* A page whose front matter has a title. */
static void
ibt_page(const char *path, const char *title)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_printf(&sb, "---\ntitle: %s\n---\nbody of %s\n", title, path);
	ibt_write(path, sb.buf);
	strbuf_free(&sb);
}

static void
ibt_build(struct index_build *b, struct problems *pr, bool use_cache)
{
	if (index_build(b, pr, ibt_cfg, ibt_fd, use_cache) < 0)
		cr_assert_fail("index_build: %s", rl_error_last());
}

/* Builds (with the cache) and saves; returns whether the index was
 * written. */
static bool
ibt_build_save(void)
{
	struct problems pr = { 0 };
	struct index_build b;
	bool wrote;

	ibt_build(&b, &pr, true);
	cr_assert_eq(pr.n, 0, "unexpected problem: %s",
	    pr.n ? pr.v[0].message : "");
	if (index_save(&b, ibt_cfg, ibt_fd, &wrote) < 0)
		cr_assert_fail("index_save: %s", rl_error_last());
	index_build_free(&b);
	problems_free(&pr);
	return wrote;
}

/* The document for path in a built index, or NULL (valid until the
 * next call). */
static json_t *
ibt_doc(const struct index_build *b, const char *path)
{
	json_t *d;
	size_t i;

	json_decref(ibt_parsed);
	ibt_parsed = json_loads(b->text, JSON_ALLOW_NUL, NULL);
	cr_assert_not_null(ibt_parsed, "the index does not parse:\n%s",
	    b->text);
	json_array_foreach(json_object_get(ibt_parsed, "documents"), i, d)
		if (strcmp(json_string_value(json_object_get(d, "path")),
		    path) == 0)
			return d;
	return NULL;
}

static const char *
ibt_title(const struct index_build *b, const char *path)
{
	json_t *d = ibt_doc(b, path);

	cr_assert_not_null(d, "no document %s in:\n%s", path, b->text);
	return json_string_value(json_object_get(json_object_get(d,
	    "front_matter"), "title"));
}

/* The site every incremental test starts from: three pages, one
 * collection document, one file without front matter (5 files). */
static void
ibt_small_site(void)
{
	ibt_config("collections: [songs]\n");
	ibt_page("index.md", "Home");
	ibt_page("about.md", "About");
	ibt_page("_songs/one.md", "One");
	ibt_write("style.css", "body { color: red }\n");
	ibt_page("blog/post.md", "Post");
}

static const char ibt_expected[] =
    "{\n"
    "  \"documents\": [\n"
    "    {\n"
    "      \"collection\": \"songs\",\n"
    "      \"date\": null,\n"
    "      \"draft\": false,\n"
    "      \"front_matter\": {\n"
    "        \"mp3s\": [\n"
    "          \"b.mp3\",\n"
    "          \"a.mp3\"\n"
    "        ],\n"
    "        \"title\": \"A\"\n"
    "      },\n"
    "      \"path\": \"_songs/a.md\",\n"
    "      \"published\": true\n"
    "    },\n"
    "    {\n"
    "      \"collection\": \"songs\",\n"
    "      \"date\": null,\n"
    "      \"draft\": false,\n"
    "      \"front_matter\": {},\n"
    "      \"path\": \"_songs/b.md\",\n"
    "      \"published\": true\n"
    "    },\n"
    "    {\n"
    "      \"collection\": null,\n"
    "      \"date\": null,\n"
    "      \"draft\": false,\n"
    "      \"front_matter\": {\n"
    "        \"title\": \"Zeta\"\n"
    "      },\n"
    "      \"path\": \"about/zeta.md\",\n"
    "      \"published\": true\n"
    "    },\n"
    "    {\n"
    "      \"collection\": null,\n"
    "      \"date\": null,\n"
    "      \"draft\": false,\n"
    "      \"front_matter\": {\n"
    "        \"alpha\": 1,\n"
    "        \"draft\": false,\n"
    "        \"zeta\": null\n"
    "      },\n"
    "      \"path\": \"index.md\",\n"
    "      \"published\": true\n"
    "    }\n"
    "  ],\n"
    "  \"generator\": \"renderlink\",\n"
    "  \"version\": 1\n"
    "}\n";

Test(index_build, byte_stable_sorted_pages_and_collections)
{
	struct problems pr = { 0 };
	struct index_build b1, b2;

	ibt_config("collections: [songs]\nexclude: [drafts/]\n");
	/* keys written out of order, paths created out of order */
	ibt_write("index.md", "---\nzeta: ~\nalpha: 1\ndraft: no\n---\nHi\n");
	ibt_write("_songs/b.md", "---\n---\nno data\n");
	ibt_write("_songs/a.md",
	    "---\ntitle: A\nmp3s: [b.mp3, a.mp3]\n---\n");
	ibt_page("about/zeta.md", "Zeta");
	/* read by Jekyll but without front matter: not listed */
	ibt_write("style.css", "body { color: red }\n");
	ibt_write("notes.txt", "--- not front matter\n");
	/* not read by Jekyll: not listed although they have front matter */
	ibt_page("drafts/wip.md", "WIP");
	ibt_page("_private/x.md", "Private");
	ibt_page("_site/index.html", "Built");
	ibt_page("node_modules/pkg/README.md", "Pkg");

	ibt_build(&b1, &pr, false);
	cr_assert_eq(pr.n, 0);
	cr_assert_not(b1.foreign);
	cr_assert_null(b1.old_text);
	cr_assert_str_eq(b1.text, ibt_expected);
	cr_assert_eq(b1.pages, 4);
	/* index.md, _songs/a.md, _songs/b.md, about/zeta.md, style.css,
	 * notes.txt */
	cr_assert_eq(b1.files, 6);
	cr_assert_eq(b1.parsed, b1.files);
	cr_assert_eq(b1.reused, 0);
	cr_assert(index_changed(&b1), "no index on disk: it changes");

	ibt_build(&b2, &pr, false);
	cr_assert_str_eq(b2.text, b1.text);
	index_build_free(&b1);
	index_build_free(&b2);
	problems_free(&pr);
}

Test(index_build, text_is_what_is_saved_and_rebuild_is_identical)
{
	struct problems pr = { 0 };
	struct index_build b;
	char *disk;

	ibt_small_site();
	cr_assert(ibt_build_save());
	disk = ibt_read(IBT_INDEX);
	cr_assert_not_null(disk);

	/* from the cache, and from a full read: the same bytes */
	ibt_build(&b, &pr, true);
	cr_assert_str_eq(b.text, disk);
	cr_assert_str_eq(b.old_text, disk);
	cr_assert_not(index_changed(&b));
	index_build_free(&b);
	ibt_build(&b, &pr, false);
	cr_assert_str_eq(b.text, disk);
	cr_assert_not(index_changed(&b));
	cr_assert_eq(pr.n, 0);
	index_build_free(&b);
	free(disk);
}

Test(index_build, save_writes_only_when_bytes_change)
{
	struct stat i1, c1, i2, c2;
	char *cache;

	ibt_small_site();
	cr_assert(ibt_build_save(), "first save writes the index");
	ibt_stat(IBT_INDEX, &i1);
	ibt_stat(IBT_CACHE, &c1);
	cache = ibt_read(IBT_CACHE);
	cr_assert_not_null(cache);
	cr_assert(strncmp(cache, "renderlink pages 2\n", 19) == 0,
	    "cache: %s", cache);
	free(cache);

	ibt_tick();
	cr_assert_not(ibt_build_save(), "nothing changed: not written");
	ibt_stat(IBT_INDEX, &i2);
	ibt_stat(IBT_CACHE, &c2);
	cr_assert_eq(i1.st_ino, i2.st_ino);
	cr_assert_eq(i1.st_mtim.tv_sec, i2.st_mtim.tv_sec);
	cr_assert_eq(i1.st_mtim.tv_nsec, i2.st_mtim.tv_nsec);
	cr_assert_eq(i1.st_ctim.tv_nsec, i2.st_ctim.tv_nsec);
	cr_assert_eq(c1.st_ino, c2.st_ino, "cache rewritten");
	cr_assert_eq(c1.st_mtim.tv_sec, c2.st_mtim.tv_sec);
	cr_assert_eq(c1.st_mtim.tv_nsec, c2.st_mtim.tv_nsec);

	/* a change is written (atomically: a new inode) */
	ibt_page("about.md", "About us");
	cr_assert(ibt_build_save());
	ibt_stat(IBT_INDEX, &i2);
	cr_assert_neq(i1.st_ino, i2.st_ino);
}

Test(index_build, without_cache_everything_is_read)
{
	struct problems pr = { 0 };
	struct index_build b;

	ibt_small_site();
	ibt_build_save();
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 0, "nothing changed, nothing read");
	cr_assert_eq(b.reused, 4);
	cr_assert_eq(b.pages, 4);
	index_build_free(&b);
	ibt_build(&b, &pr, false);
	cr_assert_eq(b.parsed, b.files);
	cr_assert_eq(b.reused, 0);
	cr_assert_eq(b.pages, 4);
	index_build_free(&b);
}

Test(index_build, incremental_edit_size_changes)
{
	struct problems pr = { 0 };
	struct index_build b;

	ibt_small_site();
	ibt_build_save();
	ibt_page("about.md", "About the band");
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 1);
	cr_assert_eq(b.reused, 3);
	cr_assert_eq(b.pages, 4);
	cr_assert_str_eq(ibt_title(&b, "about.md"), "About the band");
	cr_assert_str_eq(ibt_title(&b, "index.md"), "Home");
	cr_assert(index_changed(&b));
	index_build_free(&b);
}

Test(index_build, incremental_edit_same_size_new_mtime)
{
	struct problems pr = { 0 };
	struct index_build b;
	struct stat st1, st2;

	ibt_small_site();
	ibt_set_mtime("about.md", 1000000000);
	ibt_build_save();
	ibt_stat("about.md", &st1);
	/* same size, same inode: only the mtime tells */
	ibt_page("about.md", "Abuot");
	ibt_set_mtime("about.md", 1000000001);
	ibt_stat("about.md", &st2);
	cr_assert_eq(st1.st_size, st2.st_size);
	cr_assert_eq(st1.st_ino, st2.st_ino);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 1);
	cr_assert_eq(b.reused, 3);
	cr_assert_str_eq(ibt_title(&b, "about.md"), "Abuot");
	index_build_free(&b);
}

Test(index_build, incremental_add_delete_rename)
{
	struct problems pr = { 0 };
	struct index_build b;

	ibt_small_site();
	ibt_build_save();

	ibt_page("_songs/two.md", "Two");
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 1);
	cr_assert_eq(b.reused, 4);
	cr_assert_eq(b.pages, 5);
	cr_assert_str_eq(ibt_title(&b, "_songs/two.md"), "Two");
	cr_assert_str_eq(json_string_value(json_object_get(ibt_doc(&b,
	    "_songs/two.md"), "collection")), "songs");
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &(bool){ false }), 0);
	index_build_free(&b);

	cr_assert_eq(unlinkat(ibt_fd, "about.md", 0), 0);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 0);
	cr_assert_eq(b.reused, 4);
	cr_assert_null(ibt_doc(&b, "about.md"));
	cr_assert_null(strstr(b.text, "about.md"));
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &(bool){ false }), 0);
	index_build_free(&b);

	/* a rename keeps size, mtime and inode: only the path is new */
	cr_assert_eq(renameat(ibt_fd, "blog/post.md", ibt_fd,
	    "blog/renamed.md"), 0);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 1);
	cr_assert_eq(b.reused, 3);
	cr_assert_null(ibt_doc(&b, "blog/post.md"));
	cr_assert_str_eq(ibt_title(&b, "blog/renamed.md"), "Post");
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &(bool){ false }), 0);
	index_build_free(&b);

	/* two pages swapping names: same paths, other inodes */
	cr_assert_eq(renameat(ibt_fd, "index.md", ibt_fd, "tmp.md"), 0);
	cr_assert_eq(renameat(ibt_fd, "blog/renamed.md", ibt_fd,
	    "index.md"), 0);
	cr_assert_eq(renameat(ibt_fd, "tmp.md", ibt_fd, "blog/renamed.md"),
	    0);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 2);
	cr_assert_str_eq(ibt_title(&b, "index.md"), "Post");
	cr_assert_str_eq(ibt_title(&b, "blog/renamed.md"), "Home");
	index_build_free(&b);
	cr_assert_eq(pr.n, 0);
}

Test(index_build, a_file_gaining_front_matter_is_listed)
{
	struct problems pr = { 0 };
	struct index_build b;

	ibt_small_site();
	ibt_build_save();
	ibt_build(&b, &pr, true);
	cr_assert_null(ibt_doc(&b, "style.css"));
	cr_assert_eq(b.parsed, 0, "a file without front matter is cached");
	index_build_free(&b);

	ibt_write("style.css", "---\n---\nbody { color: {{ site.c }} }\n");
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 1);
	cr_assert_eq(b.pages, 5);
	cr_assert_not_null(ibt_doc(&b, "style.css"));
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &(bool){ false }), 0);
	index_build_free(&b);

	/* and losing it again */
	ibt_write("style.css", "body { color: blue }\n");
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 1);
	cr_assert_eq(b.pages, 4);
	cr_assert_null(ibt_doc(&b, "style.css"));
	index_build_free(&b);
}

Test(index_build, an_index_edited_by_someone_else_distrusts_the_cache)
{
	struct problems pr = { 0 };
	struct index_build b;
	struct strbuf sb = STRBUF_INIT;
	char *text, *p;

	ibt_small_site();
	ibt_build_save();
	text = ibt_read(IBT_INDEX);
	/* a hand edit (still renderlink's format) of one page's entry */
	p = strstr(text, "\"About\"");
	cr_assert_not_null(p);
	strbuf_add(&sb, text, (size_t)(p - text));
	strbuf_puts(&sb, "\"Hand edited\"");
	strbuf_puts(&sb, p + strlen("\"About\""));
	ibt_tick();
	ibt_write(IBT_INDEX, sb.buf);

	ibt_build(&b, &pr, true);
	cr_assert_not(b.foreign);
	cr_assert_eq(b.reused, 0, "the cache was trusted");
	cr_assert_eq(b.parsed, b.files);
	cr_assert_str_eq(ibt_title(&b, "about.md"), "About");
	cr_assert_str_eq(b.text, text, "the pages say what they said");
	cr_assert(index_changed(&b));
	index_build_free(&b);
	strbuf_free(&sb);
	free(text);
}

Test(index_build, a_lost_cache_means_everything_is_read)
{
	struct problems pr = { 0 };
	struct index_build b;

	ibt_small_site();
	ibt_build_save();
	cr_assert_eq(unlinkat(ibt_fd, IBT_CACHE, 0), 0);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.reused, 0);
	cr_assert_eq(b.parsed, b.files);
	cr_assert_eq(b.pages, 4);
	index_build_free(&b);
}

Test(index_build, a_garbled_cache_is_not_trusted)
{
	struct problems pr = { 0 };
	struct index_build b;
	char *cache;

	ibt_small_site();
	ibt_build_save();
	ibt_write(IBT_CACHE, "renderlink pages 2\nindex\tgarbage");
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.reused, 0);
	cr_assert_eq(b.parsed, b.files);
	cr_assert_eq(b.pages, 4);
	cr_assert_not(index_changed(&b));
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &(bool){ true }), 0);
	index_build_free(&b);
	/* the save mended it */
	cache = ibt_read(IBT_CACHE);
	cr_assert_not_null(strstr(cache, "\tabout.md\n"), "%s", cache);
	free(cache);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 0);
	cr_assert_eq(b.reused, 4);
	index_build_free(&b);
}

/*
 * Which files are documents of which collection depends on the config,
 * not only on the file.  A cached build must give the very index a full
 * read gives, or `renderlink index` leaves in place what
 * `renderlink index --check` (which never uses the cache) calls stale.
 */
Test(index_build, a_config_change_reclassifying_a_file_is_seen)
{
	struct problems pr = { 0 };
	struct index_build cached, full;
	bool same;

	/* _songs is included, so its files are plain pages... */
	ibt_config("include: [_songs]\n");
	ibt_page("_songs/one.md", "One");
	ibt_page("index.md", "Home");
	ibt_build_save();
	ibt_build(&full, &pr, false);
	cr_assert(json_is_null(json_object_get(ibt_doc(&full,
	    "_songs/one.md"), "collection")), "%s", full.text);
	index_build_free(&full);

	/* ...until it is declared a collection: the file did not change */
	ibt_config("include: [_songs]\ncollections: [songs]\n");
	ibt_build(&full, &pr, false);
	cr_assert_str_eq(json_string_value(json_object_get(ibt_doc(&full,
	    "_songs/one.md"), "collection")), "songs", "%s", full.text);
	ibt_build(&cached, &pr, true);
	same = strcmp(cached.text, full.text) == 0;
	/* freed before asserting, so a failure does not leak too */
	index_build_free(&cached);
	index_build_free(&full);
	cr_assert_eq(pr.n, 0);
	cr_assert(same, "the cached build differs from a full read: "
	    "_songs/one.md is still listed with \"collection\": null");
}

static const char ibt_broken[] =
    "---\n"
    "title: Broken\n"
    "mp3s: a.mp3: b\n"
    "---\n"
    "body\n";

Test(index_build, broken_front_matter_keeps_last_good_entry)
{
	struct problems pr = { 0 };
	struct index_build b;
	char *good;
	bool wrote;

	ibt_small_site();
	ibt_build_save();
	good = ibt_read(IBT_INDEX);

	ibt_write("about.md", ibt_broken);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.broken, 1);
	cr_assert_eq(b.parsed, 1);
	cr_assert_eq(b.pages, 4);
	cr_assert_str_eq(ibt_title(&b, "about.md"), "About");
	cr_assert_str_eq(b.text, good, "the index keeps the old entry");
	cr_assert_not(index_changed(&b));
	cr_assert_eq(pr.n, 1);
	cr_assert_eq(pr.v[0].severity, SEV_ERROR);
	cr_assert_str_eq(pr.v[0].code, "front-matter");
	cr_assert_str_eq(pr.v[0].page, "about.md");
	/* the second ':' on line 3 of the page */
	cr_assert_eq(pr.v[0].line, 3, "line %zu", pr.v[0].line);
	cr_assert_eq(pr.v[0].col, 12, "col %zu", pr.v[0].col);
	cr_assert_not_null(strstr(pr.v[0].message, "mapping values"), "%s",
	    pr.v[0].message);
	/* the message is libyaml's, without the page:line:col prefix */
	cr_assert_null(strstr(pr.v[0].message, "about.md:"), "%s",
	    pr.v[0].message);
	cr_assert_not_null(strstr(pr.v[0].message, "last good entry"), "%s",
	    pr.v[0].message);
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &wrote), 0);
	cr_assert_not(wrote);
	index_build_free(&b);
	problems_free(&pr);

	/* not cached: read (and reported) again, although unchanged */
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 1);
	cr_assert_eq(b.broken, 1);
	cr_assert_eq(pr.n, 1);
	cr_assert_str_eq(b.text, good);
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &wrote), 0);
	index_build_free(&b);
	problems_free(&pr);

	/* mended: the new entry */
	ibt_page("about.md", "Mended");
	ibt_build(&b, &pr, true);
	cr_assert_eq(pr.n, 0);
	cr_assert_eq(b.broken, 0);
	cr_assert_eq(b.parsed, 1);
	cr_assert_str_eq(ibt_title(&b, "about.md"), "Mended");
	index_build_free(&b);
	free(good);
}

Test(index_build, a_new_broken_page_is_left_out)
{
	struct problems pr = { 0 };
	struct index_build b;

	ibt_small_site();
	ibt_build_save();
	ibt_write("new.md", ibt_broken);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.broken, 1);
	cr_assert_eq(b.pages, 4);
	cr_assert_null(ibt_doc(&b, "new.md"));
	cr_assert_null(strstr(b.text, "new.md"));
	cr_assert_eq(pr.n, 1);
	cr_assert_str_eq(pr.v[0].code, "front-matter");
	cr_assert_str_eq(pr.v[0].page, "new.md");
	cr_assert_eq(pr.v[0].line, 3);
	cr_assert_not_null(strstr(pr.v[0].message, "left out"), "%s",
	    pr.v[0].message);
	index_build_free(&b);
	problems_free(&pr);
}

Test(index_build, a_broken_page_on_the_first_build)
{
	struct problems pr = { 0 };
	struct index_build b;

	ibt_config(NULL);
	ibt_page("index.md", "Home");
	ibt_write("bad.md", "---\ntitle: [Bad\n---\n");
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.broken, 1);
	cr_assert_eq(b.pages, 1);
	cr_assert_eq(pr.n, 1);
	cr_assert_str_eq(pr.v[0].page, "bad.md");
	cr_assert_null(ibt_doc(&b, "bad.md"));
	index_build_free(&b);
	problems_free(&pr);
}

/* Jekyll 4.3.1 renders it as a page with no data (measured). */
Test(index_build, never_closed_front_matter_is_a_page_with_no_keys)
{
	struct problems pr = { 0 };
	struct index_build b;
	json_t *d;
	bool wrote;
	int run;

	ibt_config(NULL);
	ibt_page("index.md", "Home");
	ibt_write("open.md", "---\ntitle: Open\nmp3s: [a.mp3]\nbody\n");
	/* warned about on every run, the cache notwithstanding */
	for (run = 0; run < 2; run++) {
		ibt_build(&b, &pr, true);
		cr_assert_eq(b.broken, 0);
		cr_assert_eq(b.pages, 2);
		cr_assert_eq(pr.n, 1, "run %d", run);
		cr_assert_eq(pr.v[0].severity, SEV_WARNING);
		cr_assert_str_eq(pr.v[0].code, "front-matter");
		cr_assert_str_eq(pr.v[0].page, "open.md");
		cr_assert_eq(pr.v[0].line, 0);
		cr_assert_not_null(strstr(pr.v[0].message, "never closed"),
		    "%s", pr.v[0].message);
		d = ibt_doc(&b, "open.md");
		cr_assert_not_null(d, "%s", b.text);
		cr_assert_eq(json_object_size(json_object_get(d,
		    "front_matter")), 0, "%s", b.text);
		cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &wrote), 0);
		cr_assert_eq(wrote, run == 0);
		index_build_free(&b);
		problems_free(&pr);
	}
}

static void
ibt_foreign(const char *text)
{
	struct problems pr = { 0 };
	struct index_build b;
	struct stat st1, st2;
	bool wrote = true;
	char *after;

	ibt_write(IBT_INDEX, text);
	ibt_stat(IBT_INDEX, &st1);
	ibt_tick();
	ibt_build(&b, &pr, true);
	cr_assert(b.foreign, "not foreign: %s", text);
	cr_assert_not(index_changed(&b));
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &wrote), 0);
	cr_assert_not(wrote);
	index_build_free(&b);
	ibt_stat(IBT_INDEX, &st2);
	cr_assert_eq(st1.st_ino, st2.st_ino);
	cr_assert_eq(st1.st_mtim.tv_nsec, st2.st_mtim.tv_nsec);
	after = ibt_read(IBT_INDEX);
	cr_assert_str_eq(after, text);
	free(after);
	cr_assert_eq(pr.n, 0);
}

Test(index_build, a_foreign_index_is_never_touched)
{
	char *cache;

	ibt_small_site();
	ibt_foreign("{\"version\": 1, \"documents\": []}\n");
	cache = ibt_read(IBT_CACHE);
	cr_assert_null(cache, "a cache written for a foreign index");
	ibt_foreign("{\"version\": 1, \"generator\": \"jekyll\", "
	    "\"documents\": []}\n");
	ibt_foreign("[{\"path\": \"index.md\", \"front_matter\": {}}]\n");
	ibt_foreign("[{\"relative_path\": \"index.md\", \"title\": \"x\"}]\n");
}

Test(index_build, a_foreign_index_after_renderlinks_own)
{
	ibt_small_site();
	ibt_build_save();
	/* someone replaced renderlink's index with their own */
	ibt_foreign("{\"version\": 1, \"documents\": [{\"path\": "
	    "\"index.md\", \"front_matter\": {\"title\": \"Mine\"}}]}\n");
}

Test(index_build, changed_and_diff)
{
	struct problems pr = { 0 };
	struct index_build b;
	struct strbuf sb = STRBUF_INIT;

	ibt_config(NULL);
	ibt_page("a.md", "A");
	ibt_page("b.md", "B");
	ibt_page("c.md", "C");

	/* no index yet: everything is new */
	ibt_build(&b, &pr, true);
	cr_assert(index_changed(&b));
	index_diff(&sb, &b, 10);
	cr_assert_str_eq(sb.buf, "new a.md, new b.md, new c.md");
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &(bool){ false }), 0);
	index_build_free(&b);

	/* unchanged: nothing to say */
	strbuf_reset(&sb);
	ibt_build(&b, &pr, true);
	cr_assert_not(index_changed(&b));
	index_diff(&sb, &b, 10);
	cr_assert_str_eq(sb.buf, "");
	index_build_free(&b);

	ibt_page("b.md", "B prime");
	cr_assert_eq(unlinkat(ibt_fd, "c.md", 0), 0);
	ibt_page("d.md", "D");
	ibt_build(&b, &pr, true);
	cr_assert(index_changed(&b));
	strbuf_reset(&sb);
	index_diff(&sb, &b, 10);
	cr_assert_str_eq(sb.buf, "changed b.md, new d.md, gone c.md");
	strbuf_reset(&sb);
	index_diff(&sb, &b, 1);
	cr_assert_str_eq(sb.buf, "changed b.md and 2 more");
	index_build_free(&b);
	strbuf_free(&sb);
	cr_assert_eq(pr.n, 0);
}

Test(index_build, custom_index_path_is_not_a_page)
{
	struct problems pr = { 0 };
	struct index_build b;
	char *text;
	bool wrote;

	ibt_write("_config.yml", "renderlink:\n"
	    "  index: assets/fm.json\n"
	    "  links:\n"
	    "    - {name: mp3s, key: mp3s, source: /srv/media, "
	    "target: songs/mp3s, extensions: [mp3]}\n");
	if (config_load(&ibt_cfg, ibt_site, NULL, 0) < 0)
		cr_assert_fail("config: %s", rl_error_last());
	ibt_page("index.md", "Home");
	ibt_build(&b, &pr, true);
	cr_assert_eq(index_save(&b, ibt_cfg, ibt_fd, &wrote), 0);
	cr_assert(wrote);
	index_build_free(&b);
	text = ibt_read("assets/fm.json");
	cr_assert_not_null(text);
	free(text);
	/* assets/fm.json is now a file Jekyll reads; it is not listed */
	ibt_build(&b, &pr, true);
	cr_assert_null(ibt_doc(&b, "assets/fm.json"));
	cr_assert_not(index_changed(&b));
	cr_assert_eq(b.pages, 1);
	index_build_free(&b);
	cr_assert_eq(pr.n, 0);
}

/*
 * The index is assembled one document block at a time (so that an
 * unchanged page's block can be copied as it is); the bytes must be
 * those of jansson dumping the whole tree, or every index written by an
 * earlier renderlink would be rewritten once, and `index --check` would
 * disagree with itself.
 */
Test(index_build, index_text_is_a_whole_tree_dump)
{
	static const char *const docs_json[] = {
		"[]",
		"[{\"path\": \"a.md\", \"front_matter\": {}}]",
		"[{\"path\": \"a.md\", \"collection\": null, \"front_matter\": "
		    "{\"t\": \"x\\ny\\tz\\u0001\\\"q\\\\\", \"e\": [], \"o\": {},"
		    " \"n\": [1, 2.5, true, null, [[]], {\"k\": [{}]}],"
		    " \"\\u00e9t\\u00e9\": \"\\u2028 \\ud83c\\udfb5\"}},"
		    " {\"path\": \"b\\\"c.md\", \"front_matter\": {\"z\": 1,"
		    " \"a\": {\"y\": [\"multi\\nline\"]}}}]",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(docs_json); i++) {
		json_t *docs = json_loads(docs_json[i], 0, NULL), *root;
		struct strbuf want = STRBUF_INIT;
		char *text, *dump;

		cr_assert_not_null(docs, "%s", docs_json[i]);
		root = json_pack("{s:i, s:s, s:O}", "version", 1, "generator",
		    INDEX_GENERATOR, "documents", docs);
		dump = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
		strbuf_puts(&want, dump);
		strbuf_putc(&want, '\n');
		text = index_text(docs);
		cr_expect_str_eq(text, want.buf, "case %zu", i);
		free(text);
		free(dump);
		strbuf_free(&want);
		json_decref(root);
		json_decref(docs);
	}
}

/* What the cached build and a full read give must be the same bytes. */
static void
ibt_same_as_full(const char *when)
{
	struct problems pr = { 0 }, pr2 = { 0 };
	struct index_build cached, full;
	bool wrote, same;

	ibt_build(&cached, &pr, true);
	ibt_build(&full, &pr2, false);
	same = strcmp(cached.text, full.text) == 0;
	if (!same)
		cr_log_error("%s: cached:\n%s\nfull:\n%s", when, cached.text,
		    full.text);
	cr_assert_eq(index_save(&cached, ibt_cfg, ibt_fd, &wrote), 0);
	index_build_free(&cached);
	index_build_free(&full);
	problems_free(&pr);
	problems_free(&pr2);
	cr_assert(same, "%s: the cached build differs from a full read",
	    when);
}

Test(index_build, incremental_builds_are_full_builds)
{
	struct problems pr = { 0 };
	struct index_build b;

	ibt_small_site();
	ibt_page("tab\there.md", "Tab");
	ibt_page("quote\"back\\slash.md", "Quote");
	ibt_page("caf\xc3\xa9.md", "Caf\xc3\xa9");
	ibt_same_as_full("first build");
	ibt_same_as_full("no change");
	ibt_tick();
	ibt_page("about.md", "About the band, at length");
	ibt_same_as_full("an edit");
	ibt_page("_songs/two.md", "Two");
	ibt_page("aaa.md", "First of all");
	ibt_page("zzz.md", "Last of all");
	ibt_same_as_full("pages added at both ends and inside");
	cr_assert_eq(unlinkat(ibt_fd, "_songs/one.md", 0), 0);
	cr_assert_eq(renameat(ibt_fd, "aaa.md", ibt_fd, "mmm.md"), 0);
	ibt_same_as_full("a page deleted and one renamed");
	ibt_write("caf\xc3\xa9.md", ibt_broken);
	ibt_same_as_full("a page broken (its last good entry kept)");
	ibt_page("tab\there.md", "Tab, again");
	ibt_same_as_full("an edit beside the broken page");
	ibt_page("caf\xc3\xa9.md", "Caf\xc3\xa9 mended");
	ibt_same_as_full("the broken page mended");

	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 0, "all read already");
	cr_assert_eq(b.reused, b.pages);
	cr_assert_str_eq(ibt_title(&b, "caf\xc3\xa9.md"), "Caf\xc3\xa9 mended");
	cr_assert_str_eq(ibt_title(&b, "tab\there.md"), "Tab, again");
	cr_assert_str_eq(ibt_title(&b, "quote\"back\\slash.md"), "Quote");
	index_build_free(&b);
	cr_assert_eq(pr.n, 0);
}

/* Replaces the first occurrence of from with to in the cache file. */
static void
ibt_edit_cache(const char *from, const char *to)
{
	struct strbuf sb = STRBUF_INIT;
	char *text = ibt_read(IBT_CACHE), *at;
	struct stat st;

	cr_assert_not_null(text);
	at = strstr(text, from);
	cr_assert_not_null(at, "no '%s' in the cache:\n%s", from, text);
	strbuf_add(&sb, text, (size_t)(at - text));
	strbuf_puts(&sb, to);
	strbuf_puts(&sb, at + strlen(from));
	ibt_stat(IBT_CACHE, &st);
	ibt_write(IBT_CACHE, sb.buf);
	strbuf_free(&sb);
	free(text);
}

/* The offsets of path's line in the cache, as "\tOFF\tLEN\tpath\n". */
static char *
ibt_cache_tail(const char *path)
{
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
	char *text = ibt_read(IBT_CACHE), *end, *start;

	strbuf_printf(&want, "\t%s\n", path);
	end = strstr(text, want.buf);
	cr_assert_not_null(end, "no %s in the cache:\n%s", path, text);
	start = end;
	/* back over LEN and OFF */
	do
		start--;
	while (*start != '\t');
	do
		start--;
	while (*start != '\t');
	strbuf_add(&sb, start, (size_t)(end - start));
	strbuf_puts(&sb, want.buf);
	strbuf_free(&want);
	free(text);
	return strbuf_detach(&sb);
}

/*
 * The cache says where each entry lies; one that points at another
 * page's entry (edited, or gone wrong) must not hand that entry to this
 * page: the page is read again.
 */
Test(index_build, a_cache_pointing_at_another_entry_is_not_followed)
{
	struct problems pr = { 0 };
	struct index_build b;
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	char *about, *home, *sp;

	ibt_small_site();
	ibt_build_save();
	about = ibt_cache_tail("about.md");
	home = ibt_cache_tail("index.md");
	/* about.md's line gets index.md's offsets */
	strbuf_puts(&from, about);
	strbuf_puts(&to, home);
	sp = strrchr(to.buf, '\t');
	strbuf_setlen(&to, (size_t)(sp - to.buf) + 1);
	strbuf_puts(&to, "about.md\n");
	ibt_edit_cache(from.buf, to.buf);
	ibt_build(&b, &pr, true);
	cr_assert_str_eq(ibt_title(&b, "about.md"), "About");
	cr_assert_str_eq(ibt_title(&b, "index.md"), "Home");
	cr_assert_eq(b.parsed, 1, "about.md read again");
	cr_assert_not(index_changed(&b));
	index_build_free(&b);

	/* offsets past the end of the index: not trusted at all */
	ibt_build_save();
	about = (free(about), ibt_cache_tail("about.md"));
	strbuf_set(&from, about);
	strbuf_set(&to, "\t99999999\t10\tabout.md\n");
	ibt_edit_cache(from.buf, to.buf);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, b.files, "a cache out of bounds is distrusted");
	cr_assert_not(index_changed(&b));
	index_build_free(&b);
	cr_assert_eq(pr.n, 0);
	free(about);
	free(home);
	strbuf_free(&from);
	strbuf_free(&to);
}

/* The JSON cache of renderlink before the text one is removed, once. */
Test(index_build, the_old_json_cache_is_replaced)
{
	struct problems pr = { 0 };
	struct index_build b;
	struct stat st;

	ibt_small_site();
	ibt_build_save();
	ibt_write(MANIFEST_DIR "/pages.json", "{\"version\": 1, \"pages\": {}}");
	cr_assert_eq(unlinkat(ibt_fd, IBT_CACHE, 0), 0);
	cr_assert_not(ibt_build_save(), "the index is the same");
	cr_assert_eq(fstatat(ibt_fd, MANIFEST_DIR "/pages.json", &st, 0), -1);
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 0);
	index_build_free(&b);
}

/* A page dated before 1970 (touch -d 1950-01-01) is cached all the same. */
Test(index_build, a_page_older_than_1970_is_cached)
{
	struct problems pr = { 0 };
	struct index_build b;

	ibt_small_site();
	ibt_set_mtime("about.md", -631152000);
	ibt_build_save();
	ibt_build(&b, &pr, true);
	cr_assert_eq(b.parsed, 0, "about.md read again");
	cr_assert_eq(b.reused, 4);
	index_build_free(&b);
}
