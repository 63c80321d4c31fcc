/*
 * test_linkdocs.c - the staged check's documents for pages reached
 * through symlinks: read from the work tree, only those, each once,
 * sorted in with the others.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "config.h"
#include "index_build.h"
#include "linkdocs.h"
#include "problem.h"
#include "strbuf.h"
#include "util.h"

static char ldt_site[64];

static int
ldt_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
ldt_write(const char *path, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f;
	char *slash;

	strbuf_printf(&sb, "%s/%s", ldt_site, path);
	for (slash = strchr(sb.buf + strlen(ldt_site) + 1, '/'); slash;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(sb.buf, 0755);
		*slash = '/';
	}
	f = fopen(sb.buf, "w");
	cr_assert_not_null(f, "%s", sb.buf);
	fputs(text, f);
	fclose(f);
	strbuf_free(&sb);
}

static void
ldt_link(const char *path, const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_printf(&sb, "%s/%s", ldt_site, path);
	cr_assert_eq(symlink(text, sb.buf), 0, "%s", sb.buf);
	strbuf_free(&sb);
}

static void
ldt_setup(void)
{
	strcpy(ldt_site, "/tmp/rl-ld-XXXXXX");
	cr_assert_not_null(mkdtemp(ldt_site));
}

static void
ldt_teardown(void)
{
	nftw(ldt_site, ldt_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static json_t *
ldt_doc(const char *path, const char *title)
{
	return index_document(path, NULL, json_pack("{s:s}", "title",
	    title));
}

Test(linkdocs, pages_behind_links_come_from_the_work_tree,
    .init = ldt_setup, .fini = ldt_teardown)
{
	struct problems pr = { 0 };
	struct config *cfg;
	json_t *docs, *d;
	const char *want[] = { "a.md", "again.md", "index.md", "link.md",
	    "linkdir/d.md", "linkdir/open.md", "z.md" };
	size_t i;

	ldt_write("_config.yml", "renderlink:\n  links:\n    - {name: mp3s, "
	    "key: mp3s, source: /srv/media, target: songs/mp3s, "
	    "extensions: [mp3]}\n");
	ldt_write("index.md", "---\ntitle: Home\n---\n");
	ldt_write("_hidden/p.md", "---\ntitle: Behind\n---\n");
	ldt_write("_hidden/dir/d.md", "---\ntitle: In a linked folder\n---\n");
	ldt_write("_hidden/dir/open.md", "---\ntitle: never closed\n");
	ldt_write("_hidden/dir/plain.txt", "no front matter\n");
	ldt_link("link.md", "_hidden/p.md");
	ldt_link("linkdir", "_hidden/dir");
	ldt_link("again.md", "_hidden/p.md");
	cr_assert_eq(config_load(&cfg, ldt_site, NULL, 0), 0, "%s",
	    rl_error_last());
	/* what the staged blobs gave, in no order, with one link path
	 * already there (kept as it is) */
	docs = json_array();
	json_array_append_new(docs, ldt_doc("z.md", "z"));
	json_array_append_new(docs, ldt_doc("again.md", "as staged"));
	json_array_append_new(docs, ldt_doc("index.md", "Home"));
	json_array_append_new(docs, ldt_doc("a.md", "a"));
	cr_assert_eq(linkdocs_add(docs, &pr, cfg), 0, "%s", rl_error_last());
	cr_assert_eq(pr.n, 0, "%s", pr.n ? pr.v[0].message : "");
	cr_assert_eq(json_array_size(docs), ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		d = json_array_get(docs, i);
		cr_assert_str_eq(json_string_value(json_object_get(d, "path")),
		    want[i]);
	}
	d = json_array_get(docs, 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(d,
	    "front_matter"), "title")), "as staged");
	d = json_array_get(docs, 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(d,
	    "front_matter"), "title")), "Behind");
	d = json_array_get(docs, 5);
	cr_assert_eq(json_object_size(json_object_get(d, "front_matter")), 0);
	json_decref(docs);
	problems_free(&pr);
	config_free(cfg);
}
