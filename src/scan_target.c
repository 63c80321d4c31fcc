/*
 * scan_target.c - read a managed target folder for the scanner: every
 * entry, its type and (for a link) its text, sorted by name; see
 * scan.h and scan_target.h.
 *
 * At 100,000 links two allocations per link (a name, a text) cost more
 * time than reading the folder, and their headers a few MiB: the
 * strings go into the scan's large blocks instead (struct scan_chunk).
 * The sort compares 8-byte keys before strings (dirlist.h).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dirlist.h"
#include "fsutil.h"
#include "scan.h"
#include "scan_target.h"
#include "util.h"

/* The scan's strings, in blocks of CHUNK_SIZE. */
#define CHUNK_SIZE	(64 * 1024)

struct scan_chunk {
	struct scan_chunk *next;
	size_t		 used, size;
	char		 data[];
};

char *
scan_strndup(struct scan *s, const char *str, size_t n)
{
	struct scan_chunk *c = s->strings;
	size_t size;
	char *p;

	if (c == NULL || c->size - c->used <= n) {
		/* A long string gets a block of its own, behind the one
		 * being filled, which goes on filling. */
		size = n + 1 > CHUNK_SIZE / 4 ? n + 1 : CHUNK_SIZE;
		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		if (size != CHUNK_SIZE && s->strings != NULL) {
			c->next = s->strings->next;
			s->strings->next = c;
		} else {
			c->next = s->strings;
			s->strings = c;
		}
	}
	p = c->data + c->used;
	memcpy(p, str, n);
	p[n] = '\0';
	c->used += n + 1;
	return p;
}

void
scan_strings_free(struct scan *s)
{
	struct scan_chunk *c, *next;

	for (c = s->strings; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	s->strings = NULL;
}

static bool
is_dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' ||
	    (name[1] == '.' && name[2] == '\0'));
}

const struct entry *
target_find(const struct target_scan *t, const char *name)
{
	size_t lo = 0, hi = t->n, mid;
	uint64_t key;
	int c;

	/* Entries put in sorted by hand (the planner's tests) have no
	 * keys: a plain binary search. */
	key = t->keys ? name_key_of(name) : 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = t->keys ? name_key_cmp(key, name, t->keys[mid],
		    t->v[mid].name) : strcmp(name, t->v[mid].name);
		if (c == 0)
			return &t->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static enum entry_type
type_of(int dfd, const struct dirent *de)
{
	struct stat st;

	switch (de->d_type) {
	case DT_LNK:	return ENT_LINK;
	case DT_REG:	return ENT_FILE;
	case DT_DIR:	return ENT_DIR;
	case DT_UNKNOWN:
		break;
	default:	return ENT_OTHER;
	}
	if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return ENT_OTHER;
	if (S_ISLNK(st.st_mode))
		return ENT_LINK;
	if (S_ISREG(st.st_mode))
		return ENT_FILE;
	return S_ISDIR(st.st_mode) ? ENT_DIR : ENT_OTHER;
}

/* Reads one link's text; -1 (error set) if it is gone or unreadable. */
static int
link_text(struct scan *s, char **out, int dfd, const char *name)
{
	char buf[PATH_MAX];
	ssize_t n;

	n = readlinkat(dfd, name, buf, sizeof(buf));
	if (n < 0)
		return rl_error_set("%s: %s", name, strerror(errno));
	if ((size_t)n == sizeof(buf))
		return rl_error_set("%s: link text too long", name);
	/* Kept for the whole run, once per link: exactly its size. */
	*out = scan_strndup(s, buf, (size_t)n);
	return 0;
}

static void
windows_target(struct target_scan *t, const struct linkset *ls,
    const char *fsname)
{
	struct strbuf sb = STRBUF_INIT;

	fs_windows_refusal(&sb, ls->target, fsname);
	t->state = TARGET_UNSAFE;
	t->why = strbuf_detach(&sb);
}

/*
 * Sorts the entries by name through their keys, putting each entry in
 * its place by following the permutation's cycles: no second copy of
 * the entries (100,000 of them at 3 MiB).
 */
static void
target_sort(struct target_scan *t)
{
	struct name_key *k;
	struct entry tmp;
	size_t i, j, from;

	if (t->n == 0)
		return;
	k = xcalloc(t->n, sizeof(*k));
	for (i = 0; i < t->n; i++) {
		k[i].key = name_key_of(t->v[i].name);
		k[i].name = t->v[i].name;
		k[i].aux = i;
	}
	name_keys_sort(k, t->n);
	t->keys = xcalloc(t->n, sizeof(*t->keys));
	for (i = 0; i < t->n; i++) {
		t->keys[i] = k[i].key;
		if (k[i].aux == i)
			continue;	/* in place, or placed already */
		/* v[j] takes v[k[j].aux], around the cycle through i. */
		tmp = t->v[i];
		for (j = i; k[j].aux != i; j = from) {
			from = k[j].aux;
			t->v[j] = t->v[from];
			k[j].aux = j;
		}
		t->v[j] = tmp;
		k[j].aux = j;
	}
	free(k);
}

void
scan_target(struct scan *s, struct target_scan *t, const struct linkset *ls,
    int sitefd)
{
	const char *fsname;
	struct dirent *de;
	struct stat st;
	size_t alloc = 0;
	DIR *dir;
	int dfd, r;

	r = dir_walk(&dfd, sitefd, ls->target, false);
	if (r == 1) {
		/* Made on first link: where would it be made? */
		t->state = TARGET_ABSENT;
		if ((fsname = fs_windows_name(dfd)) != NULL)
			windows_target(t, ls, fsname);
		close(dfd);
		return;
	}
	if (r < 0) {
		t->state = TARGET_UNSAFE;
		t->why = xstrdup(rl_error_last());
		return;
	}
	if ((fsname = fs_windows_name(dfd)) != NULL) {
		windows_target(t, ls, fsname);
		close(dfd);
		return;
	}
	if ((dir = fdopendir(dfd)) == NULL) {
		t->state = TARGET_UNSAFE;
		t->why = xstrdup(strerror(errno));
		close(dfd);
		return;
	}
	t->state = TARGET_OK;
	if (fstat(dirfd(dir), &st) == 0)
		t->dev = (uint64_t)st.st_dev;
	while ((de = readdir(dir)) != NULL) {
		struct entry *e;

		if (is_dot_or_dotdot(de->d_name))
			continue;
		if (t->n == alloc)
			ALLOC_GROW(t->v, t->n + 1, alloc);
		e = &t->v[t->n];
		e->type = type_of(dirfd(dir), de);
		e->text = NULL;
		e->ino = (uint64_t)de->d_ino;
		if (e->type == ENT_LINK &&
		    link_text(s, &e->text, dirfd(dir), de->d_name) < 0)
			continue;	/* vanished meanwhile */
		e->name = scan_strndup(s, de->d_name, strlen(de->d_name));
		t->n++;
	}
	closedir(dir);
	target_sort(t);
}
