/*
 * pagecache.c - reads and writes pages.tsv, the index's cache of pages;
 * see pagecache.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "manifest.h"
#include "pagecache.h"
#include "strbuf.h"
#include "util.h"

#define CACHE_PATH	MANIFEST_DIR "/" PAGES_CACHE
#define OLD_CACHE_PATH	MANIFEST_DIR "/pages.json"	/* before v2 */
#define CACHE_MAGIC	"renderlink pages 2\n"

void
pagecache_free(struct pagecache *c)
{
	free(c->v);
	free(c->text);
	memset(c, 0, sizeof(*c));
}

static void
put_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '\\':	strbuf_puts(sb, "\\\\"); break;
		case '\t':	strbuf_puts(sb, "\\t"); break;
		case '\n':	strbuf_puts(sb, "\\n"); break;
		default:	strbuf_putc(sb, *s); break;
		}
}

/* Undoes put_escaped in place; false on a stray backslash. */
static bool
unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		switch (*++s) {
		case '\\':	*w++ = '\\'; break;
		case 't':	*w++ = '\t'; break;
		case 'n':	*w++ = '\n'; break;
		default:	return false;
		}
	}
	*w = '\0';
	return true;
}

/* An unsigned decimal field ending in a tab; advances *p past it. */
static bool
field(char **p, uint64_t *out)
{
	char *end;

	if (**p < '0' || **p > '9')
		return false;
	errno = 0;
	*out = strtoull(*p, &end, 10);
	if (errno != 0 || *end != '\t')
		return false;
	*p = end + 1;
	return true;
}

static bool
cache_line(struct pagecache_line *c, char *line)
{
	uint64_t v[5];
	bool neg = false;
	size_t i;

	if ((line[0] != '-' && line[0] != 'p' && line[0] != 'r') ||
	    line[1] != '\t')
		return false;
	c->kind = line[0];
	line += 2;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		if (i == 1 && *line == '-') {
			neg = true;
			line++;
		}
		if (!field(&line, &v[i]) || (i == 1 && v[i] > INT64_MAX))
			return false;
	}
	c->size = v[0];
	c->mtime_ns = neg ? -(int64_t)v[1] : (int64_t)v[1];
	c->ino = v[2];
	c->off = (size_t)v[3];
	c->len = (size_t)v[4];
	c->path = line;
	return *line != '\0' && unescape(line);
}

static void
facts_line(struct strbuf *sb, const char *lead, uint64_t size,
    int64_t mtime_ns, uint64_t ino)
{
	strbuf_puts(sb, lead);
	strbuf_putu(sb, size);
	strbuf_putc(sb, '\t');
	if (mtime_ns < 0)	/* before 1970: touch -d can do it */
		strbuf_putc(sb, '-');
	strbuf_putu(sb, mtime_ns < 0 ? -(unsigned long long)mtime_ns :
	    (unsigned long long)mtime_ns);
	strbuf_putc(sb, '\t');
	strbuf_putu(sb, ino);
}

/* The "index ..." line for the index file as it is now ("" if none). */
static void
index_facts(struct strbuf *sb, int sitefd, const char *path)
{
	struct stat st;

	strbuf_reset(sb);
	if (fstatat(sitefd, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	facts_line(sb, "index\t", (uint64_t)st.st_size,
	    (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
	    (uint64_t)st.st_ino);
	strbuf_putc(sb, '\n');
}

bool
pagecache_load(struct pagecache *c, int sitefd, const char *index_path,
    const char *index_text, size_t index_len)
{
	struct strbuf sb = STRBUF_INIT, now = STRBUF_INIT;
	char *p, *nl;
	size_t hl;

	memset(c, 0, sizeof(*c));
	if (file_read(&sb, sitefd, CACHE_PATH) != 0)
		goto distrust;
	c->text = strbuf_detach(&sb);
	index_facts(&now, sitefd, index_path);
	hl = strlen(CACHE_MAGIC);
	if (now.len == 0 || strncmp(c->text, CACHE_MAGIC, hl) != 0 ||
	    strncmp(c->text + hl, now.buf, now.len) != 0)
		goto distrust;
	p = c->text + hl + now.len;
	for (; *p; p = nl + 1) {
		struct pagecache_line *e;

		if ((nl = strchr(p, '\n')) == NULL)
			goto distrust;
		*nl = '\0';
		ALLOC_GROW(c->v, c->n + 1, c->alloc);
		e = &c->v[c->n];
		if (!cache_line(e, p) ||
		    (c->n && strcmp(c->v[c->n - 1].path, e->path) >= 0))
			goto distrust;
		if (e->kind != '-' && (e->len < 2 || e->off > index_len ||
		    e->len > index_len - e->off ||
		    index_text[e->off] != '{' ||
		    index_text[e->off + e->len - 1] != '}'))
			goto distrust;
		c->n++;
	}
	strbuf_free(&now);
	return true;
distrust:
	strbuf_free(&sb);
	strbuf_free(&now);
	pagecache_free(c);
	return false;
}


void
pagecache_put(struct strbuf *out, char kind, uint64_t size, int64_t mtime_ns,
    uint64_t ino, size_t off, size_t len, const char *path)
{
	strbuf_putc(out, kind);
	facts_line(out, "\t", size, mtime_ns, ino);
	strbuf_putc(out, '\t');
	strbuf_putu(out, off);
	strbuf_putc(out, '\t');
	strbuf_putu(out, len);
	strbuf_putc(out, '\t');
	put_escaped(out, path);
	strbuf_putc(out, '\n');
}

int
pagecache_save(int sitefd, const char *index_path, const char *lines,
    bool legacy)
{
	struct strbuf sb = STRBUF_INIT, now = STRBUF_INIT;
	bool dummy;
	int r = 0;

	index_facts(&now, sitefd, index_path);
	if (now.len > 0) {
		strbuf_puts(&sb, CACHE_MAGIC);
		strbuf_add(&sb, now.buf, now.len);
		strbuf_puts(&sb, lines);
		r = file_update(sitefd, CACHE_PATH, sb.buf, NULL, &dummy);
	}
	/* The JSON cache of earlier versions is of no use any more. */
	if (r == 0 && legacy && unlinkat(sitefd, OLD_CACHE_PATH, 0) < 0 &&
	    errno != ENOENT)
		r = rl_error_set("%s: %s", OLD_CACHE_PATH, strerror(errno));
	strbuf_free(&sb);
	strbuf_free(&now);
	return r;
}
