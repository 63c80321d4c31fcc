/*
 * test_scan.c - the scanner keeps each media folder's listing (for
 * `status`): the regular files of every folder it read for the wants,
 * sorted, and nothing of folders no want lives in.  On real folders in
 * a temporary directory.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "config.h"
#include "plugin.h"
#include "problem.h"
#include "scan.h"
#include "strbuf.h"
#include "util.h"

static char sc_root[64];

static void
sc_file(const char *rel)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sc_root, rel);
	cr_assert_not_null(f = fopen(path, "w"), "%s", path);
	fclose(f);
}

static void
sc_dir(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", sc_root, rel);
	cr_assert_eq(mkdir(path, 0755), 0, "%s", path);
}

static void
sc_setup(void)
{
	char link[256];

	strcpy(sc_root, "/tmp/rl-scan.XXXXXX");
	cr_assert_not_null(mkdtemp(sc_root));
	sc_dir("site");
	sc_dir("media");
	sc_dir("media/a");
	sc_dir("media/a/folder.mp3");
	sc_dir("media/b");
	sc_dir("media/unread");
	sc_file("media/a/t2.mp3");
	sc_file("media/a/t1.mp3");
	sc_file("media/a/notes.txt");
	sc_file("media/b/u.mp3");
	sc_file("media/unread/x.mp3");
	sc_file("media/root.mp3");
	snprintf(link, sizeof(link), "%s/media/a/alias.mp3", sc_root);
	cr_assert_eq(symlink("t1.mp3", link), 0);
}

static void
sc_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sc_root);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(scan, .init = sc_setup, .fini = sc_teardown);

Test(scan, keeps_the_listing_of_each_folder_read)
{
	static char *exts[] = { "mp3" };
	struct linkset ls = { .name = "mp3s", .key = "mp3s",
	    .target = "songs/mp3s", .exts = exts, .nexts = 1 };
	struct config cfg = { .index = "_data/front_matter.json",
	    .sets = &ls, .nsets = 1 };
	struct strbuf src = STRBUF_INIT, site = STRBUF_INIT;
	struct wantlist w = { 0 };
	struct problems probs = { 0 };
	struct scan s;
	const struct media_listing *a, *b;
	int sitefd;

	strbuf_printf(&src, "%s/media", sc_root);
	strbuf_printf(&site, "%s/site", sc_root);
	ls.source = src.buf;
	cfg.site_root = site.buf;
	wantlist_add(&w, 0, "a/t1.mp3", "p.md");
	wantlist_add(&w, 0, "a/gone.mp3", "p.md");
	wantlist_add(&w, 0, "b/u.mp3", "q.md");
	cr_assert_geq(sitefd = open(site.buf, O_RDONLY | O_DIRECTORY), 0);
	cr_assert_eq(scan_run(&s, &cfg, sitefd, &w, &probs, SCAN_LISTINGS), 0);

	/* what the sync needs is unchanged */
	cr_expect_eq(s.files[0].state, FILE_OK);
	cr_expect_eq(s.files[1].state, FILE_MISSING);
	cr_expect_eq(s.files[2].state, FILE_OK);

	/* one listing per folder read: a and b, not unread, not the root */
	cr_assert_eq(s.sources[0].nlistings, 2);
	a = &s.sources[0].listings[0];
	b = &s.sources[0].listings[1];
	cr_assert_str_eq(a->dir, "a");
	cr_assert_str_eq(b->dir, "b");
	/* regular files only, sorted: not the folder, not the symlink */
	cr_assert_eq(a->n, 3);
	cr_expect_str_eq(a->names[0], "notes.txt");
	cr_expect_str_eq(a->names[1], "t1.mp3");
	cr_expect_str_eq(a->names[2], "t2.mp3");
	cr_assert_eq(b->n, 1);
	cr_expect_str_eq(b->names[0], "u.mp3");

	scan_free(&s);
	close(sitefd);
	wantlist_free(&w);
	problems_free(&probs);
	strbuf_free(&src);
	strbuf_free(&site);
}

Test(scan, no_listing_when_the_root_is_away)
{
	static char *exts[] = { "mp3" };
	struct linkset ls = { .name = "mp3s", .key = "mp3s",
	    .source = "/nonexistent/rl-scan-media", .target = "songs/mp3s",
	    .exts = exts, .nexts = 1 };
	struct config cfg = { .index = "_data/front_matter.json",
	    .sets = &ls, .nsets = 1 };
	struct strbuf site = STRBUF_INIT;
	struct wantlist w = { 0 };
	struct problems probs = { 0 };
	struct scan s;
	int sitefd;

	strbuf_printf(&site, "%s/site", sc_root);
	cfg.site_root = site.buf;
	wantlist_add(&w, 0, "a/t1.mp3", "p.md");
	cr_assert_geq(sitefd = open(site.buf, O_RDONLY | O_DIRECTORY), 0);
	cr_assert_eq(scan_run(&s, &cfg, sitefd, &w, &probs, SCAN_LISTINGS), 0);
	cr_expect_not(s.sources[0].available);
	cr_expect_eq(s.sources[0].nlistings, 0);
	scan_free(&s);
	close(sitefd);
	wantlist_free(&w);
	problems_free(&probs);
	strbuf_free(&site);
}
