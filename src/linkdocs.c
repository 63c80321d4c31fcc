/*
 * linkdocs.c - documents of pages reached through symlinks, read from the
 * work tree; see linkdocs.h.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "frontmatter.h"
#include "index_build.h"
#include "linkdocs.h"
#include "problem.h"
#include "sitewalk.h"
#include "util.h"

static const char *
doc_path(json_t *d)
{
	const char *p = json_string_value(json_object_get(d, "path"));

	return p ? p : "";
}

static int
doc_cmp(const void *a, const void *b)
{
	return strcmp(doc_path(*(json_t *const *)a),
	    doc_path(*(json_t *const *)b));
}

/* docs sorted by path (strcmp), as index_build writes them. */
static void
docs_sort(json_t *docs)
{
	size_t i, n = json_array_size(docs);
	json_t **v;

	if (n < 2)
		return;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(docs, i));
	qsort(v, n, sizeof(*v), doc_cmp);
	json_array_clear(docs);
	for (i = 0; i < n; i++)
		json_array_append_new(docs, v[i]);
	free(v);
}

int
linkdocs_add(json_t *docs, struct problems *problems,
    const struct config *cfg)
{
	struct site_files files = { 0 };
	struct site_rules rules;
	json_t *have, *d, *fm;
	size_t i;
	int fd, r;

	if ((fd = open(cfg->site_root, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		return rl_error_set("%s: cannot open the site folder",
		    cfg->site_root);
	if (site_rules_config(&rules, cfg) < 0) {
		close(fd);
		return -1;
	}
	r = site_walk(&files, fd, &rules);
	site_rules_free(&rules);
	if (r < 0) {
		close(fd);
		return -1;
	}
	have = json_object();
	json_array_foreach(docs, i, d)
		json_object_set(have, doc_path(d), json_true());
	for (i = 0; i < files.n; i++) {
		const struct site_file *f = &files.v[i];

		if (!f->via_link || strcmp(f->path, cfg->index) == 0 ||
		    json_object_get(have, f->path) != NULL)
			continue;
		r = frontmatter_read(&fm, fd, f->path, f->link, f->path);
		if (r == 1)
			continue;
		if (r < 0) {
			problems_add_parsed(problems, "front-matter", f->path,
			    rl_error_last(), "read through its symlink; the "
			    "page's references are not checked");
			continue;
		}
		if ((d = index_document(f->path, f->collection, fm)) == NULL) {
			problems_add(problems, SEV_ERROR, "front-matter",
			    f->path, NULL, "%s; read through its symlink, the "
			    "page makes no links", rl_error_last());
			continue;
		}
		json_array_append_new(docs, d);
	}
	json_decref(have);
	site_files_free(&files);
	close(fd);
	docs_sort(docs);
	return 0;
}
