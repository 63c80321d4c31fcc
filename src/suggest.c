/*
 * suggest.c - names a missing reference has in another case; see
 * suggest.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dirlist.h"
#include "strbuf.h"
#include "suggest.h"
#include "util.h"

/* The first in strcmp order, as if the listing were sorted. */
const char *
suggest_name(const struct dirlist *l, const char *name)
{
	const char *best = NULL;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i].name, name) == 0 &&
		    (best == NULL || strcmp(l->v[i].name, best) < 0))
			best = l->v[i].name;
	return best;
}

/* The entry of folder fd whose name is name in another case, or NULL. */
static char *
entry_near_miss(int fd, const char *name, struct dirlist *l)
{
	const char *alt;
	char *found = NULL;
	int lfd;

	if ((lfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return NULL;
	if (dirlist_read(l, lfd, false) == 0 &&
	    (alt = suggest_name(l, name)) != NULL)
		found = xstrdup(alt);
	close(lfd);
	return found;
}

/*
 * Walks dir from the root a component at a time, opening each as
 * written and, only where that fails, listing its parent once for a
 * case-insensitive match.  Returns the folder's fd with its real-cased
 * path in fixed, or -1.
 */
static int
folder_near_miss(int rootfd, const char *dir, struct strbuf *fixed,
    struct dirlist *l)
{
	struct strbuf comp = STRBUF_INIT;
	const char *p = dir, *end;
	char *alt;
	int cur = rootfd, fd;

	strbuf_reset(fixed);
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		strbuf_reset(&comp);
		strbuf_add(&comp, p, (size_t)(end - p));
		fd = openat(cur, comp.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT &&
		    (alt = entry_near_miss(cur, comp.buf, l)) != NULL) {
			strbuf_set(&comp, alt);
			free(alt);
			fd = openat(cur, comp.buf,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (cur != rootfd)
			close(cur);
		if ((cur = fd) < 0)
			break;
		if (fixed->len)
			strbuf_putc(fixed, '/');
		strbuf_puts(fixed, comp.buf);
	}
	strbuf_free(&comp);
	if (cur == rootfd)
		return -1;
	return cur;
}

void
suggest_folder(int rootfd, const char *dir, const char *const *names,
    size_t n, char **out, struct dirlist *l)
{
	struct strbuf fixed = STRBUF_INIT, sb = STRBUF_INIT;
	const struct dirlist_name *hit;
	const char *alt;
	size_t i, len;
	int fd, r;

	if ((fd = folder_near_miss(rootfd, dir, &fixed, l)) < 0)
		goto out;
	r = dirlist_read(l, fd, false);
	close(fd);
	if (r < 0)
		goto out;
	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		hit = dirlist_find(l, names[i], len, name_hash(names[i], len));
		alt = hit ? hit->name : suggest_name(l, names[i]);
		if (alt == NULL)
			continue;
		strbuf_set(&sb, fixed.buf);
		strbuf_putc(&sb, '/');
		strbuf_puts(&sb, alt);
		out[i] = xstrdup(sb.buf);
	}
out:
	strbuf_free(&fixed);
	strbuf_free(&sb);
}
