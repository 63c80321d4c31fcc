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
manifest_put(struct manifest *m, const char *link, const char *target,
    uint64_t dev, uint64_t ino)
{
	ALLOC_GROW(m->v, m->n + 1, m->alloc);
	m->v[m->n].link = xstrdup(link);
	m->v[m->n].target = target ? xstrdup(target) : NULL;
	m->v[m->n].dev = dev;
	m->v[m->n].ino = ino;
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

const struct manifest_entry *
manifest_find(const struct manifest *m, const char *link)
{
	size_t lo = 0, hi = m->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(link, m->v[mid].link);
		if (c == 0)
			return &m->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool
manifest_owns(const struct manifest *m, const char *link, const char *text,
    uint64_t dev, uint64_t ino)
{
	const struct manifest_entry *e = manifest_find(m, link);

	return e && e->ino != 0 && e->ino == ino && e->dev == dev &&
	    strcmp(e->target, text) == 0;
}

/* A record: {"text": T, "dev": D, "ino": I}; anything else is skipped. */
static void
load_record(struct manifest *m, const char *link, json_t *v)
{
	json_t *t = json_object_get(v, "text");
	json_t *d = json_object_get(v, "dev"), *i = json_object_get(v, "ino");

	if (json_is_string(t) && json_is_integer(d) && json_is_integer(i) &&
	    json_integer_value(i) > 0 && json_integer_value(d) >= 0 &&
	    strlen(json_string_value(t)) == json_string_length(t))
		manifest_put(m, link, json_string_value(t),
		    (uint64_t)json_integer_value(d),
		    (uint64_t)json_integer_value(i));
}

void
manifest_load(struct manifest *m, int sitefd, struct problems *problems)
{
	struct strbuf sb = STRBUF_INIT;
	json_error_t jerr;
	json_t *root, *links, *v;
	json_int_t version;
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
	version = json_integer_value(json_object_get(root, "version"));
	if (!json_is_object(links) || version != MANIFEST_VERSION) {
		problems_add(problems, SEV_WARNING, "manifest", NULL, NULL,
		    "%s: %s (ignored; links it recorded outside the media "
		    "roots are left alone)", MANIFEST_PATH, version == 1 ?
		    "written by an older renderlink, whose records are not "
		    "bound to their links" : "not a renderlink manifest");
		json_decref(root);
		return;
	}
	json_object_foreach(links, k, v)
		load_record(m, k, v);
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
		json_object_set_new(links, m->v[i].link, json_pack("{s:s, s:I, "
		    "s:I}", "text", m->v[i].target, "dev",
		    (json_int_t)m->v[i].dev, "ino", (json_int_t)m->v[i].ino));
	root = json_pack("{s:i, s:o}", "version", MANIFEST_VERSION, "links",
	    links);
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
