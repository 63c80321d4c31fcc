/*
 * test_sitewalk.c - which files of a site Jekyll reads: pages, collections,
 * posts and drafts, exclude and include, collections_dir, source and
 * destination, and symlinks followed as Jekyll follows them (but never in
 * or into a target folder, in a loop, or out of the source in safe mode).
 * The expected listings were checked against Jekyll 4.3.1 reading the
 * same trees.
 */
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

#include "sitewalk.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

static char swt_root[64];	/* holds site/ and outside/ */
static int swt_sitefd = -1;

static int
swt_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	chmod(path, 0700);
	return remove(path);
}

static void
swt_setup(void)
{
	struct strbuf sb = STRBUF_INIT;

	strcpy(swt_root, "/tmp/rl-sw-XXXXXX");
	cr_assert_not_null(mkdtemp(swt_root));
	chmod(swt_root, 0755);
	strbuf_printf(&sb, "%s/site", swt_root);
	cr_assert_eq(mkdir(sb.buf, 0755), 0);
	swt_sitefd = open(sb.buf, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(swt_sitefd, 0);
	strbuf_reset(&sb);
	strbuf_printf(&sb, "%s/outside", swt_root);
	cr_assert_eq(mkdir(sb.buf, 0755), 0);
	strbuf_puts(&sb, "/dir");
	cr_assert_eq(mkdir(sb.buf, 0755), 0);
	strbuf_free(&sb);
}

static void
swt_teardown(void)
{
	close(swt_sitefd);
	nftw(swt_root, swt_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* Creates the folders above path (site-relative). */
static void
swt_parents(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	for (p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		strbuf_reset(&sb);
		strbuf_add(&sb, path, (size_t)(p - path));
		if (mkdirat(swt_sitefd, sb.buf, 0755) < 0)
			cr_assert_eq(errno, EEXIST, "mkdir %s", sb.buf);
	}
	strbuf_free(&sb);
}

static void
swt_file(const char *path, const char *text)
{
	int fd;

	swt_parents(path);
	fd = openat(swt_sitefd, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert_geq(fd, 0, "create %s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
swt_page(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_printf(&sb, "---\ntitle: %s\n---\nbody\n", path);
	swt_file(path, sb.buf);
	strbuf_free(&sb);
}

/* A symlink in the site to something in outside/. */
static void
swt_link(const char *path, const char *target)
{
	struct strbuf sb = STRBUF_INIT;

	swt_parents(path);
	strbuf_printf(&sb, "%s/outside/%s", swt_root, target);
	cr_assert_eq(symlinkat(sb.buf, swt_sitefd, path), 0, "symlink %s",
	    path);
	strbuf_free(&sb);
}

/* The tree every walk test starts from; cdir is "" or "my_collections/". */
static void
swt_tree(const char *cdir)
{
	static const char *const pages[] = {
		"index.md", "about.md", "drafts/wip.md", "draftsman.md",
		"secret.md", "secretary/x.md", "sub/page.md", "blog/index.md",
		"_albums/a.md",
	};
	static const char *const raw[] = {
		"art/cover.psd", "art/cover.png", ".git/config",
		".jekyll-cache/x", "node_modules/pkg/index.js",
		"vendor/bundle/gem.rb", "vendor/other.txt", "Gemfile",
		"Gemfile.lock", "#x#", "x~", ".well-known/security.txt",
		"_redirects", ".htaccess", "_data/songs.yml",
		"_layouts/default.html", "_includes/head.html",
		"_sass/x.scss", "_plugins/p.rb", "_site/index.html", "notes.",
		"sub/.well-known/a.txt", "sub/_redirects", "sub/y~",
	};
	static const char *const cpages[] = {
		"_songs/one.md", "_songs/sub/two.md", "_songs/.hidden.md",
		"_songs/_private/x.md", "_songs/x.md",
		"_posts/2024-01-02-hello.md", "_posts/2024/2024-03-04-deep.md",
		"_posts/_x/2024-01-01-under.md", "_posts/.hid/2024-01-01-h.md",
		"_drafts/idea.md", "blog/_posts/2024-05-06-sub.md",
	};
	static const char *const craw[] = {
		"_songs/sub/.git/config", "_songs/cover.psd", "_songs/a~",
		"_songs/sub/b.", "_posts/notes.txt", "_posts/.DS_Store",
		"_drafts/README",
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pages); i++)
		swt_page(pages[i]);
	for (i = 0; i < ARRAY_SIZE(raw); i++)
		swt_file(raw[i], "x\n");
	for (i = 0; i < ARRAY_SIZE(cpages); i++) {
		strbuf_set(&sb, cdir);
		strbuf_puts(&sb, cpages[i]);
		swt_page(sb.buf);
	}
	for (i = 0; i < ARRAY_SIZE(craw); i++) {
		strbuf_set(&sb, cdir);
		strbuf_puts(&sb, craw[i]);
		swt_file(sb.buf, "x\n");
	}
	swt_page("blog/_posts/2024-05-07-root.md");
	/* renderlink's own kind of link (never followed: songs/mp3s is a
	 * target), a linked folder (walked), a linked folder inside a
	 * collection (not: Ruby's glob does not descend through links) and
	 * a linked file there (read) */
	swt_file("../outside/t.mp3", "x\n");
	swt_file("../outside/dir/f.md", "---\n---\n");
	swt_link("songs/mp3s/take.mp3", "t.mp3");
	swt_link("linkdir", "dir");
	strbuf_set(&sb, cdir);
	strbuf_puts(&sb, "_songs/linked");
	swt_link(sb.buf, "dir");
	strbuf_set(&sb, cdir);
	strbuf_puts(&sb, "_songs/linked.md");
	swt_link(sb.buf, "dir/f.md");
	strbuf_free(&sb);
}

/* safe: the site's safe flag; every site has the target songs/mp3s. */
static bool swt_safe;

static void
swt_rules(struct site_rules *r, const char *config)
{
	struct ynode *cfg;

	cr_assert_eq(ytree_load(&cfg, config, strlen(config), "_config.yml",
	    0), 0, "%s", rl_error_last());
	cr_assert_eq(site_rules_load(r, cfg), 0, "%s", rl_error_last());
	ynode_free(cfg);
	site_rules_add_target(r, "songs/mp3s");
	r->safe = swt_safe;
}

/* Walks the site; the listing as "path collection" lines, with " link"
 * after those reached through a final symlink. */
static char *
swt_walk(const char *config)
{
	struct site_rules r;
	struct site_files f;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	swt_rules(&r, config);
	cr_assert_eq(site_walk(&f, swt_sitefd, &r), 0, "%s", rl_error_last());
	for (i = 0; i < f.n; i++) {
		strbuf_printf(&sb, "%s %s%s\n", f.v[i].path,
		    f.v[i].collection ? f.v[i].collection : "-",
		    f.v[i].link ? " link" : "");
		if (i > 0)
			cr_assert_lt(strcmp(f.v[i - 1].path, f.v[i].path), 0);
	}
	site_files_free(&f);
	site_rules_free(&r);
	return strbuf_detach(&sb);
}

static void
swt_expect(const char *config, const char *want)
{
	char *got = swt_walk(config);

	cr_assert_str_eq(got, want, "config:\n%s\ngot:\n%s\nwant:\n%s",
	    config, got, want);
	free(got);
}

Test(sitewalk, rules_defaults)
{
	struct site_rules r;
	size_t i;

	swt_rules(&r, "title: x\n");
	cr_assert_eq(r.nexclude, 10);
	cr_assert_str_eq(r.exclude[0], ".sass-cache");
	cr_assert_str_eq(r.exclude[9], "vendor/ruby/");
	cr_assert_eq(r.ninclude, 1);
	cr_assert_str_eq(r.include[0], ".htaccess");
	cr_assert_eq(r.ncollections, 1);
	cr_assert_str_eq(r.collections[0], "posts");
	cr_assert_str_eq(r.collections_dir, "");
	cr_assert_str_eq(r.destination, "_site");
	cr_assert_str_eq(r.source, "");
	site_rules_free(&r);

	/* config entries come first, defaults are added once; include
	 * replaces the default; labels are sanitized as Jekyll does; data is
	 * never a collection; non-text exclude entries are ignored, as
	 * Jekyll ignores them */
	swt_rules(&r, "exclude: [Gemfile, '*.psd', 2019]\n"
	    "include: [_redirects]\n"
	    "collections: {songs: {output: true}, 'my tracks!': {}, data: {},"
	    " posts: {}}\n"
	    "collections_dir: my_collections\n"
	    "destination: public\n"
	    "source: src\n");
	cr_assert_eq(r.nexclude, 11);
	cr_assert_str_eq(r.exclude[0], "Gemfile");
	cr_assert_str_eq(r.exclude[1], "*.psd");
	for (i = 2; i < r.nexclude; i++)
		cr_assert_str_neq(r.exclude[i], "Gemfile");
	cr_assert_eq(r.ninclude, 1);
	cr_assert_str_eq(r.include[0], "_redirects");
	cr_assert_eq(r.ncollections, 3);
	cr_assert_str_eq(r.collections[0], "posts");
	cr_assert_str_eq(r.collections[1], "songs");
	cr_assert_str_eq(r.collections[2], "mytracks");
	cr_assert_str_eq(r.collections_dir, "my_collections");
	cr_assert_str_eq(r.destination, "public");
	cr_assert_str_eq(r.source, "src");
	site_rules_free(&r);
}

Test(sitewalk, rules_errors_name_the_spot)
{
	static const char *const bad[][2] = {
		{ "title: x\nexclude: node_modules\n",
		  "_config.yml:2:10: 'exclude' must be a list" },
		{ "include:\n  a: b\n",
		  "_config.yml:2:3: 'include' must be a list" },
		{ "collections: songs\n",
		  "_config.yml:1:14: 'collections' must be a list" },
		{ "collections: [songs, [a]]\n",
		  "_config.yml:1:22: a collection name must be text" },
		{ "collections: [2019]\n",
		  "_config.yml:1:15: a collection name must be text" },
		{ "collections_dir: [a]\n",
		  "_config.yml:1:18: 'collections_dir' must be a folder" },
		{ "exclude:\n  - :sym\n",
		  "_config.yml:2:5: ':sym' is a Ruby symbol" },
	};
	struct site_rules r;
	struct ynode *cfg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cr_assert_eq(ytree_load(&cfg, bad[i][0], strlen(bad[i][0]),
		    "_config.yml", 0), 0, "%s", rl_error_last());
		cr_assert_eq(site_rules_load(&r, cfg), -1, "%s", bad[i][0]);
		cr_assert(strncmp(rl_error_last(), bad[i][1],
		    strlen(bad[i][1])) == 0, "got: %s\nwant: %s",
		    rl_error_last(), bad[i][1]);
		ynode_free(cfg);
	}
}

#define SWT_EXCLUDE \
	"exclude: ['*.psd', drafts/, secret*]\n"

Test(sitewalk, collections_as_a_list, .init = swt_setup,
    .fini = swt_teardown)
{
	swt_tree("");
	swt_expect(SWT_EXCLUDE
	    "include: [.well-known, _redirects]\n"
	    "collections: [songs]\n",
	    ".well-known/security.txt -\n"
	    "_drafts/idea.md posts\n"
	    "_posts/2024-01-02-hello.md posts\n"
	    "_posts/2024/2024-03-04-deep.md posts\n"
	    "_redirects -\n"
	    "_songs/linked.md songs link\n"
	    "_songs/one.md songs\n"
	    "_songs/sub/.git/config songs\n"
	    "_songs/sub/two.md songs\n"
	    "_songs/x.md songs\n"
	    "about.md -\n"
	    "art/cover.png -\n"
	    "blog/_posts/2024-05-06-sub.md posts\n"
	    "blog/_posts/2024-05-07-root.md posts\n"
	    "blog/index.md -\n"
	    "draftsman.md -\n"
	    "index.md -\n"
	    "linkdir/f.md -\n"
	    "sub/.well-known/a.txt -\n"
	    "sub/_redirects -\n"
	    "sub/page.md -\n"
	    "vendor/other.txt -\n");
}

Test(sitewalk, collections_as_a_map, .init = swt_setup, .fini = swt_teardown)
{
	swt_tree("");
	/* .htaccess must be named again once include is set */
	swt_expect(SWT_EXCLUDE
	    "include: [.well-known, _redirects, .htaccess]\n"
	    "collections:\n"
	    "  songs:\n"
	    "    output: true\n"
	    "  albums: {}\n",
	    ".htaccess -\n"
	    ".well-known/security.txt -\n"
	    "_albums/a.md albums\n"
	    "_drafts/idea.md posts\n"
	    "_posts/2024-01-02-hello.md posts\n"
	    "_posts/2024/2024-03-04-deep.md posts\n"
	    "_redirects -\n"
	    "_songs/linked.md songs link\n"
	    "_songs/one.md songs\n"
	    "_songs/sub/.git/config songs\n"
	    "_songs/sub/two.md songs\n"
	    "_songs/x.md songs\n"
	    "about.md -\n"
	    "art/cover.png -\n"
	    "blog/_posts/2024-05-06-sub.md posts\n"
	    "blog/_posts/2024-05-07-root.md posts\n"
	    "blog/index.md -\n"
	    "draftsman.md -\n"
	    "index.md -\n"
	    "linkdir/f.md -\n"
	    "sub/.well-known/a.txt -\n"
	    "sub/_redirects -\n"
	    "sub/page.md -\n"
	    "vendor/other.txt -\n");
}

Test(sitewalk, defaults_only, .init = swt_setup, .fini = swt_teardown)
{
	char *got;

	swt_tree("");
	got = swt_walk("title: no rules\n");
	/* the default include brings .htaccess; nothing else starting with
	 * "." "_" "#" or ending in "~" comes in, nor Jekyll's default
	 * excludes; no collection but posts */
	cr_assert(strstr(got, ".htaccess -\n") == got, "%s", got);
	cr_assert_null(strstr(got, ".well-known"), "%s", got);
	cr_assert_null(strstr(got, "_redirects"), "%s", got);
	cr_assert_null(strstr(got, "_songs"), "%s", got);
	cr_assert_null(strstr(got, "_albums"), "%s", got);
	cr_assert_null(strstr(got, "node_modules"), "%s", got);
	cr_assert_null(strstr(got, "vendor/bundle"), "%s", got);
	cr_assert_null(strstr(got, "Gemfile"), "%s", got);
	cr_assert_null(strstr(got, "_site"), "%s", got);
	cr_assert_null(strstr(got, "_data"), "%s", got);
	cr_assert_null(strstr(got, "x~"), "%s", got);
	cr_assert_null(strstr(got, "#x#"), "%s", got);
	cr_assert_null(strstr(got, "notes."), "%s", got);
	cr_assert_not_null(strstr(got, "\nlinkdir/f.md -\n"), "%s", got);
	cr_assert_null(strstr(got, "take.mp3"), "%s", got);
	cr_assert_not_null(strstr(got, "\nart/cover.psd -\n"), "%s", got);
	cr_assert_not_null(strstr(got, "\ndrafts/wip.md -\n"), "%s", got);
	cr_assert_not_null(strstr(got, "\nsecret.md -\n"), "%s", got);
	cr_assert_not_null(strstr(got, "\nvendor/other.txt -\n"), "%s", got);
	cr_assert_not_null(strstr(got, "\n_posts/2024-01-02-hello.md posts\n"),
	    "%s", got);
	free(got);
}

Test(sitewalk, collections_dir, .init = swt_setup, .fini = swt_teardown)
{
	swt_tree("my_collections/");
	/* posts are only read below collections_dir, so the _posts folder of
	 * blog/ at the top is not */
	swt_expect(SWT_EXCLUDE
	    "include: [.well-known, _redirects]\n"
	    "collections: {songs: {output: true}}\n"
	    "collections_dir: my_collections\n",
	    ".well-known/security.txt -\n"
	    "_redirects -\n"
	    "about.md -\n"
	    "art/cover.png -\n"
	    "blog/index.md -\n"
	    "draftsman.md -\n"
	    "index.md -\n"
	    "linkdir/f.md -\n"
	    "my_collections/_drafts/idea.md posts\n"
	    "my_collections/_posts/2024-01-02-hello.md posts\n"
	    "my_collections/_posts/2024/2024-03-04-deep.md posts\n"
	    "my_collections/_songs/linked.md songs link\n"
	    "my_collections/_songs/one.md songs\n"
	    "my_collections/_songs/sub/.git/config songs\n"
	    "my_collections/_songs/sub/two.md songs\n"
	    "my_collections/_songs/x.md songs\n"
	    "my_collections/blog/_posts/2024-05-06-sub.md posts\n"
	    "sub/.well-known/a.txt -\n"
	    "sub/_redirects -\n"
	    "sub/page.md -\n"
	    "vendor/other.txt -\n");
}

Test(sitewalk, source_destination_and_jekyll_quirks, .init = swt_setup,
    .fini = swt_teardown)
{
	static const char *const pages[] = {
		"src/index.md", "src/sub/page.md", "src/sub/other.md",
		"src/sub/_inc.md", "src/_songs/a.md", "src/_songs/sub/b.md",
		"src/_songs/_keep.md", "src/_songs/q/_keep.md",
		"src/public/index.html", "src/publicity.md", "src/_xfile.md",
		"src/sub/_xy.md", "src/_badname/z.md",
		"src/_posts/2024-1-2-short.md", "src/_posts/24-01-02-yy.md",
		"src/_posts/12345-01-02-long.md", "src/_posts/2024-01-02-noext",
		"src/_posts/2024-01-02-dots.a.b",
		"src/_posts/sub/2024-01-02-x.md", "src/_posts/2024-01-02-a.b/c",
		"src/_drafts/sub/noext", "src/_drafts/sub.d/noext",
		"src/_posts/2024-01-02-tilde.md~", "outside.md",
	};
	static const char *const raw[] = {
		"src/vendor/x.txt", "src/vendors.md", "src/a.txt", "src/c.txt",
		"src/sub/b.txt", "src/x.tmp", "src/deep/q/x.md",
		"src/deep/q/y.md", "src/deep/x.md", "src/node_modules/keep.js",
		"src/node_modules/drop.js", "src/.htaccess",
		"src/sub/.htaccess",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pages); i++)
		swt_page(pages[i]);
	for (i = 0; i < ARRAY_SIZE(raw); i++)
		swt_file(raw[i], "x\n");
	/*
	 * A "/"-rooted exclude; a collection sub-folder; a plain prefix
	 * ("vendor" also drops vendors.md); globs whose "*" crosses "/";
	 * include by path reaching into an excluded folder and a collection
	 * (where the file is then a page); include by bare name at any
	 * depth; a destination inside the source that is not skipped by
	 * name (only exactly "public", not "publicity.md"); dated names.
	 */
	swt_expect("source: src\n"
	    "destination: src/public\n"
	    "exclude: [/sub/page.md, _songs/sub/, vendor, '*.tmp', "
	    "'[ab]*.txt', deep/*/x.md]\n"
	    "include: [node_modules/keep.js, sub/_inc.md, .htaccess, "
	    "_songs/_keep.md, _x*]\n"
	    "collections: [songs, 'bad name!']\n",
	    "src/.htaccess -\n"
	    "src/_badname/z.md badname\n"
	    "src/_drafts/sub.d/noext posts\n"
	    "src/_posts/2024-01-02-a.b/c posts\n"
	    "src/_posts/2024-01-02-dots.a.b posts\n"
	    "src/_posts/2024-1-2-short.md posts\n"
	    "src/_posts/24-01-02-yy.md posts\n"
	    "src/_posts/sub/2024-01-02-x.md posts\n"
	    "src/_songs/_keep.md -\n"
	    "src/_songs/a.md songs\n"
	    "src/_xfile.md -\n"
	    "src/c.txt -\n"
	    "src/deep/q/y.md -\n"
	    "src/deep/x.md -\n"
	    "src/index.md -\n"
	    "src/node_modules/keep.js -\n"
	    "src/publicity.md -\n"
	    "src/sub/.htaccess -\n"
	    "src/sub/_inc.md -\n"
	    "src/sub/_xy.md -\n"
	    "src/sub/b.txt -\n"
	    "src/sub/other.md -\n");
}

Test(sitewalk, a_non_special_destination_is_not_walked, .init = swt_setup,
    .fini = swt_teardown)
{
	swt_page("index.md");
	swt_page("public/index.html");
	swt_page("public2/index.html");
	swt_expect("destination: ./public/\n",
	    "index.md -\n"
	    "public2/index.html -\n");
	swt_expect("title: x\n",
	    "index.md -\n"
	    "public/index.html -\n"
	    "public2/index.html -\n");
}

Test(sitewalk, lstat_facts, .init = swt_setup, .fini = swt_teardown)
{
	struct site_rules r;
	struct site_files f;
	struct stat st;

	swt_file("song.md", "---\ntitle: x\n---\n12345\n");
	swt_rules(&r, "title: x\n");
	cr_assert_eq(site_walk(&f, swt_sitefd, &r), 0, "%s", rl_error_last());
	cr_assert_eq(f.n, 1);
	cr_assert_eq(fstatat(swt_sitefd, "song.md", &st, AT_SYMLINK_NOFOLLOW),
	    0);
	cr_assert_str_eq(f.v[0].path, "song.md");
	cr_assert_null(f.v[0].collection);
	cr_assert_not(f.v[0].link);
	cr_assert_eq(f.v[0].size, 23);
	cr_assert_eq(f.v[0].ino, (uint64_t)st.st_ino);
	cr_assert_eq(f.v[0].mtime_ns, (int64_t)st.st_mtim.tv_sec *
	    1000000000 + st.st_mtim.tv_nsec);
	site_files_free(&f);
	site_rules_free(&r);
}

/* A symlink at path (site-relative) holding text as it is. */
static void
swt_symlink(const char *path, const char *text)
{
	swt_parents(path);
	cr_assert_eq(symlinkat(text, swt_sitefd, path), 0, "symlink %s",
	    path);
}

Test(sitewalk, a_linked_source_is_refused_linked_collections_are_read,
    .init = swt_setup, .fini = swt_teardown)
{
	struct site_rules r;
	struct site_files f;

	swt_file("../outside/dir/2024-01-01-x.md", "---\n---\n");
	swt_page("index.md");
	swt_link("_songs", "dir");
	swt_link("_posts", "dir");
	swt_link("real", "dir");
	swt_expect("collections: [songs]\n",
	    "_posts/2024-01-01-x.md posts\n"
	    "_songs/2024-01-01-x.md songs\n"
	    "index.md -\n"
	    "real/2024-01-01-x.md -\n");
	/* all three lead out of the site */
	swt_safe = true;
	swt_expect("collections: [songs]\n", "index.md -\n");
	swt_safe = false;

	swt_rules(&r, "source: real\n");
	cr_assert_eq(site_walk(&f, swt_sitefd, &r), -1);
	cr_assert_str_eq(rl_error_last(), "source: 'real' is not a folder of "
	    "the site (or is a symlink)");
	site_rules_free(&r);
	swt_rules(&r, "source: ../x\n");
	cr_assert_eq(site_walk(&f, swt_sitefd, &r), -1);
	cr_assert_str_eq(rl_error_last(), "source: '../x' is outside the "
	    "site folder");
	site_rules_free(&r);
}

/*
 * The tree Jekyll 4.3.1 was run on (jekyll build, then --safe): the
 * listings are what it rendered, page for page.
 */
static void
swt_jekyll_tree(void)
{
	static const char *const hidden[] = {
		"_hidden/p1.md", "_hidden/dir/d1.md", "_hidden/dir/sub/d2.md",
		"_hidden/p2.md", "_hidden/dir2/c1.md", "_hidden/post.md",
		"_hidden/postdir/2020-02-02-pd.md", "_store/inside/i1.md",
		"_real/r.md",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hidden); i++)
		swt_page(hidden[i]);
	swt_page("../outside/o.md");
	swt_page("../outside/dir/od.md");
	swt_page("../outside/coll/oc.md");
	swt_symlink("linkpage.md", "_hidden/p1.md");
	swt_symlink("linkdir", "_hidden/dir");
	swt_symlink("_songs", "../outside/coll");
	swt_symlink("_inside", "_store/inside");
	swt_symlink("outside.md", "../outside/o.md");
	swt_symlink("outdir", "../outside/dir");
	swt_symlink("_real/lnk.md", "../_hidden/p2.md");
	swt_symlink("_real/lnkdir", "../_hidden/dir2");
	swt_symlink("_posts/2020-01-01-l.md", "../_hidden/post.md");
	swt_symlink("_posts/sub", "../_hidden/postdir");
	swt_symlink("folder/inner.md", "../_hidden/p2.md");
	swt_symlink("dangling.md", "_hidden/gone.md");
}

#define SWT_JEKYLL_CONFIG "collections: [songs, inside, real]\n"

Test(sitewalk, symlinks_followed_as_jekyll_does, .init = swt_setup,
    .fini = swt_teardown)
{
	swt_jekyll_tree();
	swt_expect(SWT_JEKYLL_CONFIG,
	    "_inside/i1.md inside\n"
	    "_posts/2020-01-01-l.md posts link\n"
	    "_real/lnk.md real link\n"
	    "_real/r.md real\n"
	    "_songs/oc.md songs\n"
	    "folder/inner.md - link\n"
	    "linkdir/d1.md -\n"
	    "linkdir/sub/d2.md -\n"
	    "linkpage.md - link\n"
	    "outdir/od.md -\n"
	    "outside.md - link\n");
}

Test(sitewalk, safe_follows_no_link_out_of_the_source, .init = swt_setup,
    .fini = swt_teardown)
{
	swt_jekyll_tree();
	swt_safe = true;
	swt_expect(SWT_JEKYLL_CONFIG,
	    "_inside/i1.md inside\n"
	    "_posts/2020-01-01-l.md posts link\n"
	    "_real/lnk.md real link\n"
	    "_real/r.md real\n"
	    "folder/inner.md - link\n"
	    "linkdir/d1.md -\n"
	    "linkdir/sub/d2.md -\n"
	    "linkpage.md - link\n");
	/* out of the source is out, even when still in the site; an
	 * absolute link into the source is in */
	swt_page("src/index.md");
	swt_page("other/p.md");
	swt_symlink("src/o.md", "../other/p.md");
	{
		struct strbuf sb = STRBUF_INIT;

		strbuf_printf(&sb, "%s/site/src/index.md", swt_root);
		swt_symlink("src/abs.md", sb.buf);
		strbuf_free(&sb);
	}
	swt_expect("source: src\n",
	    "src/abs.md - link\n"
	    "src/index.md -\n");
	swt_safe = false;
	swt_expect("source: src\n",
	    "src/abs.md - link\n"
	    "src/index.md -\n"
	    "src/o.md - link\n");
}

Test(sitewalk, never_in_a_loop, .init = swt_setup, .fini = swt_teardown)
{
	/* Jekyll 4.3.1 recurses through these until ELOOP aborts it */
	swt_page("a/b/x.md");
	swt_symlink("a/b/up", "..");
	swt_symlink("a/top", "..");
	swt_symlink("self", ".");
	swt_symlink("_posts", ".");
	swt_symlink("_songs", "a");
	swt_symlink("a/b/_posts", "../..");
	/* the folder above the site: walked, but not the site in it again */
	swt_file("../outside/dir/f.md", "---\n---\n");
	swt_symlink("parent", "..");
	swt_expect("collections: [songs]\n",
	    "_songs/b/x.md songs\n"
	    "a/b/x.md -\n"
	    "parent/outside/dir/f.md -\n");
}

Test(sitewalk, never_in_or_into_a_target_folder, .init = swt_setup,
    .fini = swt_teardown)
{
	swt_page("_hidden/p.md");
	swt_page("songs/index.md");
	swt_page("songs/mp3s/README.md");
	swt_file("../outside/t.mp3", "x\n");
	swt_link("songs/mp3s/take.mp3", "t.mp3");
	/* a page linked into a target folder, a link leading into one, the
	 * target reached by another name, a link at a target's path */
	swt_symlink("songs/mp3s/page.md", "../../_hidden/p.md");
	swt_symlink("alias.md", "songs/mp3s/README.md");
	/* a user's link to one of renderlink's, directly or in a chain */
	swt_symlink("latest.mp3", "songs/mp3s/take.mp3");
	swt_symlink("chain.mp3", "latest.mp3");
	swt_symlink("dirchain.mp3", "./songs/../songs/mp3s/take.mp3");
	swt_symlink("into", "songs/mp3s");
	swt_symlink("again", "songs");
	swt_symlink("songs/mp3s/deeper", "../../_hidden");
	swt_file("../outside/dir/s.md", "---\n---\n");
	/* a target that is itself a link (renderlink refuses to write
	 * there): where it leads is a target folder too */
	swt_link("songs/stems", "dir");
	{
		struct site_rules r;
		struct site_files f;
		struct strbuf sb = STRBUF_INIT;
		size_t i;

		swt_rules(&r, "title: x\n");
		site_rules_add_target(&r, "songs/stems/");
		cr_assert_eq(site_walk(&f, swt_sitefd, &r), 0, "%s",
		    rl_error_last());
		for (i = 0; i < f.n; i++)
			strbuf_printf(&sb, "%s\n", f.v[i].path);
		cr_assert_str_eq(sb.buf,
		    "again/index.md\n"
		    "again/mp3s/README.md\n"
		    "songs/index.md\n"
		    "songs/mp3s/README.md\n", "got:\n%s", sb.buf);
		strbuf_free(&sb);
		site_files_free(&f);
		site_rules_free(&r);
	}
}

Test(sitewalk, a_followed_link_has_its_target_facts, .init = swt_setup,
    .fini = swt_teardown)
{
	struct site_rules r;
	struct site_files f;
	struct stat st;

	swt_file("_hidden/p.md", "---\ntitle: p\n---\nmore than a link\n");
	swt_symlink("p.md", "_hidden/p.md");
	swt_rules(&r, "title: x\n");
	cr_assert_eq(site_walk(&f, swt_sitefd, &r), 0, "%s", rl_error_last());
	cr_assert_eq(f.n, 1);
	cr_assert_str_eq(f.v[0].path, "p.md");
	cr_assert(f.v[0].link);
	cr_assert_eq(fstatat(swt_sitefd, "_hidden/p.md", &st, 0), 0);
	cr_assert_eq(f.v[0].size, (uint64_t)st.st_size);
	cr_assert_eq(f.v[0].ino, (uint64_t)st.st_ino);
	cr_assert_eq(f.v[0].mtime_ns, (int64_t)st.st_mtim.tv_sec *
	    1000000000 + st.st_mtim.tv_nsec);
	site_files_free(&f);
	site_rules_free(&r);
}

Test(sitewalk, unreadable_folder_is_an_error_naming_it, .init = swt_setup,
    .fini = swt_teardown)
{
	struct site_rules r;
	struct site_files f;
	int rc;

	swt_page("index.md");
	swt_page("songs/locked/a.md");
	cr_assert_eq(fchmodat(swt_sitefd, "songs/locked", 0, 0), 0);
	swt_rules(&r, "title: x\n");
	/* root reads anything: drop to nobody for the walk */
	if (geteuid() == 0)
		cr_assert_eq(seteuid(65534), 0);
	rc = site_walk(&f, swt_sitefd, &r);
	if (getuid() == 0)
		cr_assert_eq(seteuid(0), 0);
	cr_assert_eq(rc, -1);
	cr_assert_str_eq(rl_error_last(), "songs/locked: Permission denied");
	cr_assert_eq(f.n, 0);
	site_rules_free(&r);
}

Test(sitewalk, excluded_paths, .init = swt_setup, .fini = swt_teardown)
{
	static const struct {
		const char *path;
		bool is_dir, want;
	} cases[] = {
		{ "songs/mp3s", true, false },
		{ "songs/mp3s/take.mp3", false, false },
		{ "_site", true, true },
		{ "_site/songs", true, true },
		{ "public", true, true },
		{ "publicity", true, false },
		{ "node_modules", true, true },
		{ "node_modules/keep.js", false, false },
		{ "vendor/bundle", true, true },
		{ "vendor/other", true, false },
		{ ".git", true, true },
		{ ".well-known", true, false },
		{ ".well-known/x", false, false },
		{ "sub/.well-known", true, false },
		{ "art/cover.psd", false, true },
		{ "art/deep/cover.psd", false, true },
		{ "drafts", true, true },
		{ "drafts", false, false },
		{ "draftsman.md", false, false },
		{ "secretary", true, true },
		{ "_data", true, true },
		{ "_songs", true, false },
		{ "_songs/x.md", false, false },
		{ "_songs/.x.md", false, true },
		{ "_songs/a/.git/config", false, false },
		{ "_songs/x.psd", false, true },
		{ "_posts", true, false },
		{ "_posts/2024-01-02-a.md", false, false },
		{ "_posts/notes.md", false, true },
		{ "_posts/.hid/2024-01-02-a.md", false, true },
		{ "blog/_posts/2024-01-02-a.md", false, false },
		{ "_drafts/idea.md", false, false },
		{ "a~", false, true },
		{ "#a#", false, true },
		{ "a.", false, true },
		{ "../x", false, true },
	};
	struct site_rules r;
	size_t i;

	swt_rules(&r, "exclude: ['*.psd', drafts/, secret*]\n"
	    "include: [.well-known, node_modules/keep.js]\n"
	    "destination: public\n"
	    "collections: [songs]\n");
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		cr_assert_eq(site_rules_excluded(&r, cases[i].path,
		    cases[i].is_dir), cases[i].want, "%s%s: want %s",
		    cases[i].path, cases[i].is_dir ? "/" : "",
		    cases[i].want ? "excluded" : "read");
	site_rules_free(&r);

	swt_rules(&r, "source: src\ncollections_dir: cols\n"
	    "collections: [songs]\n");
	cr_assert(site_rules_excluded(&r, "index.md", false));
	cr_assert(!site_rules_excluded(&r, "src/index.md", false));
	cr_assert(!site_rules_excluded(&r, "src/cols/_songs/a.md", false));
	cr_assert(site_rules_excluded(&r, "src/_songs/a.md", false));
	cr_assert(site_rules_excluded(&r, "src/_posts/2024-01-02-a.md",
	    false));
	cr_assert(!site_rules_excluded(&r, "src/cols/_posts/2024-01-02-a.md",
	    false));
	site_rules_free(&r);
}
