/*
 * dirlist.c - read a folder in one buffer, sort names by key; see
 * dirlist.h.
 */
#include <sys/syscall.h>

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dirlist.h"
#include "util.h"

uint64_t
name_key_of(const char *name)
{
	const unsigned char *u = (const unsigned char *)name;
	uint64_t k = 0;
	size_t i, len;

	len = strnlen(name, 8);
	if (len == 8) {
		memcpy(&k, u, 8);
		return be64toh(k);
	}
	for (i = 0; i < len; i++)
		k |= (uint64_t)u[i] << (56 - 8 * i);
	return k;
}

static inline int
nk_cmp(const struct name_key *a, const struct name_key *b)
{
	int c;

	if ((c = name_key_cmp(a->key, a->name, b->key, b->name)) != 0)
		return c;
	return (a->aux > b->aux) - (a->aux < b->aux);
}

/* Short runs: insertion sort beats merging them. */
#define SORT_SMALL	12

static void
insertion_sort(struct name_key *v, size_t n)
{
	struct name_key x;
	size_t i, j;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && nk_cmp(&x, &v[j - 1]) < 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Merge sort of v (n), tmp holding at least n / 2 + 1 elements. */
static void
merge_sort(struct name_key *v, size_t n, struct name_key *tmp)
{
	size_t h = n / 2, i, j, k;

	if (n <= SORT_SMALL) {
		insertion_sort(v, n);
		return;
	}
	merge_sort(v, h, tmp);
	merge_sort(v + h, n - h, tmp);
	if (nk_cmp(&v[h - 1], &v[h]) <= 0)
		return;		/* in order already */
	/* The left half moves out of the way; the merge fills v from the
	 * front, never past the right half's next unread element. */
	memcpy(tmp, v, h * sizeof(*v));
	for (i = 0, j = h, k = 0; i < h && j < n; )
		v[k++] = nk_cmp(&v[j], &tmp[i]) < 0 ? v[j++] : tmp[i++];
	while (i < h)
		v[k++] = tmp[i++];
}

void
name_keys_sort(struct name_key *v, size_t n)
{
	struct name_key *tmp;

	if (n <= SORT_SMALL) {
		insertion_sort(v, n);
		return;
	}
	tmp = xcalloc(n / 2 + 1, sizeof(*tmp));
	merge_sort(v, n, tmp);
	free(tmp);
}

/*
 * One getdents64 asks for LIST_BUF bytes, whatever is read already:
 * over 9P that is one round trip for a folder of a few thousand names.
 */
#define LIST_BUF	(256 * 1024)

struct linux_dirent64 {
	uint64_t	 d_ino;
	int64_t		 d_off;
	unsigned short	 d_reclen;
	unsigned char	 d_type;
	char		 d_name[];
};

/* The buffer of every listing: allocated once, grown for a folder that
 * takes more than one read. */
static char	*list_buf;
static size_t	 list_alloc;

/*
 * A word at a time (names are long and alike): multiply and fold, as
 * in a 64-bit finalizer; the table needs spread, not secrecy.
 */
uint32_t
name_hash(const char *name, size_t len)
{
	const unsigned char *u = (const unsigned char *)name;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;
	size_t i;

	for (; len >= 8; u += 8, len -= 8) {
		memcpy(&w, u, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (w = 0, i = 0; i < len; i++)
		w |= (uint64_t)u[i] << (8 * i);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

static void
table_build(struct dirlist *l)
{
	size_t want = 16, i, j;

	while (want < 2 * l->n)
		want *= 2;
	if (want > l->nslots) {
		free(l->slots);
		l->slots = xcalloc(want, sizeof(*l->slots));
		l->nslots = want;
	} else
		memset(l->slots, 0, l->nslots * sizeof(*l->slots));
	for (i = 0; i < l->n; i++) {
		for (j = l->v[i].hash & (l->nslots - 1); l->slots[j] != 0;
		    j = (j + 1) & (l->nslots - 1))
			;
		l->slots[j] = (uint32_t)(i + 1);
	}
}

int
dirlist_read(struct dirlist *l, int fd, bool short_is_eof)
{
	size_t used = 0, off, want, len;
	long got;

	l->n = 0;
	for (;;) {
		if (list_alloc - used < LIST_BUF) {
			want = used + LIST_BUF;
			if (want < 2 * list_alloc)
				want = 2 * list_alloc;
			list_buf = xrealloc(list_buf, want);
			list_alloc = want;
		}
		got = syscall(SYS_getdents64, fd, list_buf + used, LIST_BUF);
		if (got < 0)
			return -1;
		used += (size_t)got;
		/* Room left for the longest entry: nothing more to read. */
		if (got == 0 || (short_is_eof &&
		    got < LIST_BUF - (long)sizeof(struct linux_dirent64) - 256))
			break;
	}
	/* Each read appended whole records: the buffer is one run of them. */
	for (off = 0; off < used; ) {
		struct linux_dirent64 *de =
		    (struct linux_dirent64 *)(list_buf + off);
		struct dirlist_name *d;
		const char *name = de->d_name;

		off += de->d_reclen;
		if (name[0] == '.' && (name[1] == '\0' ||
		    (name[1] == '.' && name[2] == '\0')))
			continue;
		if (l->n == l->alloc)
			ALLOC_GROW(l->v, l->n + 1, l->alloc);
		d = &l->v[l->n++];
		len = strlen(name);
		d->name = name;
		d->len = (uint32_t)len;
		d->hash = name_hash(name, len);
		d->type = de->d_type;
	}
	table_build(l);
	return 0;
}

const struct dirlist_name *
dirlist_find(const struct dirlist *l, const char *name, size_t len,
    uint32_t hash)
{
	const struct dirlist_name *d;
	size_t j;

	if (l->nslots == 0)
		return NULL;
	for (j = hash & (l->nslots - 1); l->slots[j] != 0;
	    j = (j + 1) & (l->nslots - 1)) {
		d = &l->v[l->slots[j] - 1];
		if (d->hash == hash && d->len == len &&
		    memcmp(d->name, name, len) == 0)
			return d;
	}
	return NULL;
}

struct name_key *
dirlist_sorted(const struct dirlist *l)
{
	struct name_key *k;
	size_t i;

	if (l->n == 0)
		return NULL;
	k = xcalloc(l->n, sizeof(*k));
	for (i = 0; i < l->n; i++) {
		k[i].key = name_key_of(l->v[i].name);
		k[i].name = l->v[i].name;
		k[i].aux = i;
	}
	name_keys_sort(k, l->n);
	return k;
}

void
dirlist_free(struct dirlist *l)
{
	free(l->v);
	free(l->slots);
	memset(l, 0, sizeof(*l));
}
