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

/* A scan of the fixture's media (plus the site's songs/mp3s) for refs. */
struct sc_run {
	char		*exts[1];
	struct linkset	 ls;
	struct config	 cfg;
	struct strbuf	 src, site;
	struct wantlist	 w;
	struct problems	 probs;
	struct scan	 s;
	int		 sitefd;
};

static void
sc_scan(struct sc_run *r, const char *const *refs, size_t n, unsigned flags)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->exts[0] = "mp3";
	strbuf_init(&r->src);
	strbuf_init(&r->site);
	strbuf_printf(&r->src, "%s/media", sc_root);
	strbuf_printf(&r->site, "%s/site", sc_root);
	r->ls.name = "mp3s";
	r->ls.key = "mp3s";
	r->ls.source = r->src.buf;
	r->ls.target = "songs/mp3s";
	r->ls.exts = r->exts;
	r->ls.nexts = 1;
	r->cfg.index = "_data/front_matter.json";
	r->cfg.sets = &r->ls;
	r->cfg.nsets = 1;
	r->cfg.site_root = r->site.buf;
	for (i = 0; i < n; i++)
		wantlist_add(&r->w, 0, refs[i], "p.md");
	cr_assert_geq(r->sitefd = open(r->site.buf, O_RDONLY | O_DIRECTORY),
	    0);
	cr_assert_eq(scan_run(&r->s, &r->cfg, r->sitefd, &r->w, &r->probs,
	    flags), 0);
}

static void
sc_done(struct sc_run *r)
{
	scan_free(&r->s);
	close(r->sitefd);
	wantlist_free(&r->w);
	problems_free(&r->probs);
	strbuf_free(&r->src);
	strbuf_free(&r->site);
}

static int
sc_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The target folder as the planner reads it: every entry, sorted in
 * strcmp order (names alike in their first 8 bytes, names that are
 * prefixes of others, bytes above 0x7f), each found by target_find,
 * and no name that is not there, however close.
 */
Test(scan, target_sorted_and_found)
{
	static const char *const names[] = {
		"Song 1 (120 bpm, take 10; 2025-01-01).mp3",
		"Song 1 (120 bpm, take 1; 2025-01-01).mp3",
		"Song 1 (120 bpm, take 2; 2025-01-01).mp3",
		"Song 10 (120 bpm, take 1; 2025-01-01).mp3",
		"abcdefgh", "abcdefg", "abcdefghi", "a", "b", "Z",
		"\xc3\xb1" "and\xc3\xba.mp3", "z.mp3", "abcdefgh.mp3",
		"file", "folder",
	};
	static const char *const absent[] = {
		"abcdef", "abcdefghij", "Song 1 (120 bpm, take 3; 2025-01-01)"
		    ".mp3", "", "c", "abcdefgH",
	};
	const char *sorted[ARRAY_SIZE(names)];
	const struct target_scan *t;
	struct sc_run r;
	char path[512];
	size_t i;

	sc_dir("site/songs");
	sc_dir("site/songs/mp3s");
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/site/songs/mp3s/%s", sc_root,
		    names[i]);
		if (strcmp(names[i], "folder") == 0)
			cr_assert_eq(mkdir(path, 0755), 0);
		else if (strcmp(names[i], "file") == 0)
			sc_file("site/songs/mp3s/file");
		else
			cr_assert_eq(symlink(names[i], path), 0, "%s", path);
		sorted[i] = names[i];
	}
	qsort(sorted, ARRAY_SIZE(sorted), sizeof(*sorted), sc_strcmp);

	sc_scan(&r, NULL, 0, 0);
	t = &r.s.targets[0];
	cr_assert_eq(t->state, TARGET_OK);
	cr_assert_eq(t->n, ARRAY_SIZE(names));
	for (i = 0; i < t->n; i++) {
		const struct entry *e = &t->v[i];

		cr_expect_str_eq(e->name, sorted[i], "[%zu]", i);
		cr_expect_eq(target_find(t, sorted[i]), e, "%s", sorted[i]);
		if (strcmp(e->name, "folder") == 0)
			cr_expect_eq(e->type, ENT_DIR);
		else if (strcmp(e->name, "file") == 0)
			cr_expect_eq(e->type, ENT_FILE);
		else {
			/* each link's text is its own name */
			cr_expect_eq(e->type, ENT_LINK, "%s", e->name);
			cr_expect_str_eq(e->text, e->name);
		}
	}
	for (i = 0; i < ARRAY_SIZE(absent); i++)
		cr_expect_null(target_find(t, absent[i]), "found \"%s\"",
		    absent[i]);
	sc_done(&r);
}

/*
 * Each want settled by what its folder holds: a file, a folder, a link
 * inside the root, a link out of it, a dangling link, a name there in
 * another case (suggested), and a folder there in another case (the
 * reference suggested with both cased right).
 */
Test(scan, each_want_settled)
{
	static const char *const refs[] = {
		"a/t1.mp3", "a/folder.mp3", "a/alias.mp3", "a/out.mp3",
		"a/dangling.mp3", "a/T2.mp3", "A/T1.MP3", "a/none.mp3",
		"nowhere/x.mp3", "root.mp3",
	};
	char path[512], target[512];
	struct sc_run r;

	snprintf(path, sizeof(path), "%s/media/a/out.mp3", sc_root);
	snprintf(target, sizeof(target), "%s/elsewhere.mp3", sc_root);
	sc_file("elsewhere.mp3");
	cr_assert_eq(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/media/a/dangling.mp3", sc_root);
	cr_assert_eq(symlink("gone.mp3", path), 0);

	sc_scan(&r, refs, ARRAY_SIZE(refs), 0);
	cr_expect_eq(r.s.files[0].state, FILE_OK);
	cr_expect_eq(r.s.files[1].state, FILE_NOT_FILE);
	cr_expect_eq(r.s.files[2].state, FILE_OK);
	cr_expect_eq(r.s.files[3].state, FILE_ESCAPES);
	cr_expect_eq(r.s.files[4].state, FILE_MISSING);
	cr_expect_eq(r.s.files[5].state, FILE_MISSING);
	cr_expect_str_eq(r.s.files[5].suggest, "t2.mp3");
	cr_expect_eq(r.s.files[6].state, FILE_MISSING);
	cr_expect_str_eq(r.s.files[6].suggest, "a/t1.mp3");
	cr_expect_eq(r.s.files[7].state, FILE_MISSING);
	cr_expect_null(r.s.files[7].suggest);
	cr_expect_eq(r.s.files[8].state, FILE_MISSING);
	cr_expect_null(r.s.files[8].suggest);
	cr_expect_eq(r.s.files[9].state, FILE_OK);
	cr_expect_eq(r.s.sources[0].read_folders, 2);	/* a and the root */
	cr_expect_eq(r.s.sources[0].missing_folders, 2);	/* A, nowhere */
	sc_done(&r);
}

/*
 * Several names in another case: the first in strcmp order, whatever
 * order the folder lists them in.
 */
Test(scan, suggestion_is_the_first_in_order)
{
	static const char *const variants[] = {
		"Take.mp3", "tAke.mp3", "taKe.mp3", "takE.mp3", "take.Mp3",
		"take.mP3", "tAKE.mp3", "TAKE.MP3",
	};
	static const char *const refs[] = { "b/TAKE.mp3" };
	struct sc_run r;
	char rel[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		snprintf(rel, sizeof(rel), "media/b/%s", variants[i]);
		sc_file(rel);
	}
	sc_scan(&r, refs, 1, 0);
	cr_expect_eq(r.s.files[0].state, FILE_MISSING);
	cr_expect_str_eq(r.s.files[0].suggest, "TAKE.MP3");
	sc_done(&r);
}

/*
 * Wants of one folder that the pages name apart (a, b, a) are settled
 * with one read of each folder, and folders are read in folder order,
 * a folder before its longer namesakes ("a" < "a b" < "a/b").
 */
Test(scan, one_read_per_folder_in_order)
{
	static const char *const refs[] = {
		"a/t1.mp3", "a b/y.mp3", "a/b/z.mp3", "b/u.mp3", "a/t2.mp3",
		"a b/y.mp3", "a/gone.mp3",
	};
	const struct source_scan *src;
	struct sc_run r;

	sc_dir("media/a b");
	sc_dir("media/a/b");
	sc_file("media/a b/y.mp3");
	sc_file("media/a/b/z.mp3");
	sc_scan(&r, refs, ARRAY_SIZE(refs), SCAN_LISTINGS);
	src = &r.s.sources[0];
	cr_assert_eq(src->read_folders, 4);
	cr_assert_eq(src->nlistings, 4);
	cr_expect_str_eq(src->listings[0].dir, "a");
	cr_expect_str_eq(src->listings[1].dir, "a b");
	cr_expect_str_eq(src->listings[2].dir, "a/b");
	cr_expect_str_eq(src->listings[3].dir, "b");
	cr_expect_eq(r.s.files[0].state, FILE_OK);
	cr_expect_eq(r.s.files[1].state, FILE_OK);
	cr_expect_eq(r.s.files[2].state, FILE_OK);
	cr_expect_eq(r.s.files[3].state, FILE_OK);
	cr_expect_eq(r.s.files[4].state, FILE_OK);
	cr_expect_eq(r.s.files[5].state, FILE_OK);
	cr_expect_eq(r.s.files[6].state, FILE_MISSING);
	sc_done(&r);
}

/*
 * A folder too big for one read (5,000 long names: about 450 KiB of
 * entries, the buffer is 256 KiB): every name is still seen, and the
 * listing holds them all, sorted.
 */
Test(scan, folder_bigger_than_one_read)
{
	enum { N = 5000 };
	static char names[N][80];
	const char *refs[3];
	char ref[3][100];
	const struct media_listing *l;
	struct sc_run r;
	char rel[128];
	size_t i;

	sc_dir("media/big");
	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "One Year Older (136 bpm, "
		    "landscape, take %zu; 2024-11-20).mp3", (i * 7919) % N);
		snprintf(rel, sizeof(rel), "media/big/%.80s", names[i]);
		sc_file(rel);
	}
	for (i = 0; i < 3; i++) {
		snprintf(ref[i], sizeof(ref[i]), "big/%.80s",
		    names[i == 2 ? N - 1 : i * 1000]);
		refs[i] = ref[i];
	}
	ref[1][strlen(ref[1]) - 5] = 'X';	/* not there */
	sc_scan(&r, refs, 3, SCAN_LISTINGS);
	cr_expect_eq(r.s.files[0].state, FILE_OK);
	cr_expect_eq(r.s.files[1].state, FILE_MISSING);
	cr_expect_eq(r.s.files[2].state, FILE_OK);
	cr_assert_eq(r.s.sources[0].nlistings, 1);
	l = &r.s.sources[0].listings[0];
	cr_assert_eq(l->n, N);
	for (i = 1; i < l->n; i++)
		cr_assert_lt(strcmp(l->names[i - 1], l->names[i]), 0,
		    "[%zu] %s", i, l->names[i]);
	sc_done(&r);
}

/* Not one folder there and an empty root: the drive is not mounted. */
Test(scan, empty_root_is_not_there)
{
	static const char *const refs[] = { "a/t1.mp3" };
	struct sc_run r;
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s/media' && mkdir '%s/media'",
	    sc_root, sc_root);
	cr_assert_eq(system(cmd), 0);
	sc_scan(&r, refs, 1, 0);
	cr_expect_not(r.s.sources[0].available);
	cr_expect_not_null(strstr(r.s.sources[0].why, "is empty"), "%s",
	    r.s.sources[0].why);
	sc_done(&r);
}
