/*
 * manifest.c - read and write renderlink's record of its links; see
 * manifest.h.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "fsutil.h"
#include "manifest.h"
#include "problem.h"
#include "util.h"

#define MANIFEST_PATH	MANIFEST_DIR "/" MANIFEST_FILE

void
manifest_put(struct manifest *m, const char *link, const char *target)
{
	ALLOC_GROW(m->v, m->n + 1, m->alloc);
	m->v[m->n].link = xstrdup(link);
	m->v[m->n].target = target ? xstrdup(target) : NULL;
	m->v[m->n].order = m->n;
	m->n++;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct manifest_entry *x = a, *y = b;
	int c = strcmp(x->link, y->link);

	if (c == 0)
		c = x->order < y->order ? -1 : x->order > y->order;
	return c;
}

void
manifest_sort(struct manifest *m)
{
	struct manifest_entry *tmp;
	size_t i, out = 0;

	if (m->n == 0)
		return;
	tmp = m->v;
	qsort(tmp, m->n, sizeof(*tmp), entry_cmp);
	for (i = 0; i < m->n; i++) {
		if (i + 1 < m->n && strcmp(tmp[i].link, tmp[i + 1].link) == 0) {
			free(tmp[i].link);
			free(tmp[i].target);
			continue;
		}
		if (tmp[i].target == NULL) {
			free(tmp[i].link);
			continue;
		}
		tmp[out] = tmp[i];
		tmp[out].order = out;
		out++;
	}
	m->n = out;
}

const char *
manifest_get(const struct manifest *m, const char *link)
{
	size_t lo = 0, hi = m->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(link, m->v[mid].link);
		if (c == 0)
			return m->v[mid].target;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void
manifest_load(struct manifest *m, int sitefd, struct problems *problems)
{
	struct strbuf sb = STRBUF_INIT;
	json_error_t jerr;
	json_t *root, *links, *v;
	const char *k;
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = file_read(&sb, sitefd, MANIFEST_PATH)) != 0) {
		if (r < 0)
			problems_add(problems, SEV_WARNING, "manifest", NULL,
			    NULL, "%s (ignored)", rl_error_last());
		strbuf_free(&sb);
		return;
	}
	root = json_loadb(sb.buf, sb.len, 0, &jerr);
	strbuf_free(&sb);
	links = root ? json_object_get(root, "links") : NULL;
	if (!json_is_object(links) ||
	    json_integer_value(json_object_get(root, "version")) != 1) {
		problems_add(problems, SEV_WARNING, "manifest", NULL, NULL,
		    "%s: not a renderlink manifest (ignored; links it recorded "
		    "outside the media roots are left alone)", MANIFEST_PATH);
		json_decref(root);
		return;
	}
	json_object_foreach(links, k, v)
		if (json_is_string(v))
			manifest_put(m, k, json_string_value(v));
	json_decref(root);
	manifest_sort(m);
}

int
manifest_save(const struct manifest *m, int sitefd)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *root, *links;
	char *text;
	bool wrote;
	size_t i;
	int r;

	/* No links and no manifest yet: nothing to record. */
	if (m->n == 0 && faccessat(sitefd, MANIFEST_PATH, F_OK,
	    AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	links = json_object();
	for (i = 0; i < m->n; i++)
		json_object_set_new(links, m->v[i].link,
		    json_string(m->v[i].target));
	root = json_pack("{s:i, s:o}", "version", 1, "links", links);
	text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	if (text == NULL)
		die("manifest: cannot encode");
	strbuf_puts(&sb, text);
	strbuf_putc(&sb, '\n');
	free(text);
	r = file_update(sitefd, MANIFEST_PATH, sb.buf, NULL, &wrote);
	strbuf_free(&sb);
	return r;
}

void
manifest_free(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].link);
		free(m->v[i].target);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}
