/*
 * dirlist.h - a folder's names in as few calls as the kernel allows, and
 * sorted names found with few comparisons.
 *
 * Over WSL2's 9P bridge every call into the Windows drive is a round
 * trip of about a millisecond, so a folder is read with getdents64 into
 * one large buffer: a folder of a few hundred renders is one call.  The
 * names stay where the kernel put them (no copy per name).
 *
 * Names are sorted (strcmp order) by way of a key, their first eight
 * bytes as one big-endian integer: most comparisons between names that
 * differ early end with one comparison of two integers, with no call.
 * The scanner sorts the target folder's entries and each folder's
 * wants this way.
 */
#ifndef RL_DIRLIST_H
#define RL_DIRLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct name_key {
	uint64_t	 key;		/* name_key_of(name) */
	const char	*name;
	size_t		 aux;		/* the caller's (an index) */
};

/* The first 8 bytes of name, big-endian, zero after its end. */
uint64_t name_key_of(const char *name);

/*
 * Sorts v (keys name_key_of each name) by name in strcmp order, equal
 * names by aux (with aux an index in the caller's order, the sort is
 * stable).  A merge sort: never quadratic, whatever the names.
 */
void	 name_keys_sort(struct name_key *v, size_t n);

/*
 * strcmp(a, b) for two names whose keys are ka and kb: equal keys are
 * equal first 8 bytes, and when the last of them is NUL both names
 * ended there; else the rest decides.
 */
static inline int
name_key_cmp(uint64_t ka, const char *a, uint64_t kb, const char *b)
{
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if ((ka & 0xff) == 0)
		return 0;
	return strcmp(a + 8, b + 8);
}

/* One name of a listing. */
struct dirlist_name {
	const char	*name;		/* in the buffer (below) */
	uint32_t	 len;
	uint32_t	 hash;		/* name_hash(name, len) */
	unsigned char	 type;		/* d_type */
};

/*
 * A folder's names in the order read, with a hash table over them: a
 * no-op sync only asks whether each render is there, and a table
 * answers that without sorting the folder first (names of one folder
 * often share a long start, "Song 3 (120 bpm, take 1", so sorting them
 * compares strings, not keys).
 */
struct dirlist {
	struct dirlist_name *v;		/* every name but "." and ".." */
	size_t		 n, alloc;
	uint32_t	*slots;		/* index + 1 into v; 0: empty */
	size_t		 nslots;	/* a power of 2, at least 2 n */
};

/* A hash of name (len bytes) for dirlist_find. */
uint32_t name_hash(const char *name, size_t len);

/*
 * Reads every name in the folder fd into l (replacing what l held).  A
 * short read ends the listing when short_is_eof (9P, drvfs and Linux
 * filesystems fill the buffer while there is more); else (FUSE hands
 * out a page a call) only an empty read does.  -1 (errno set) when the
 * folder cannot be read.
 *
 * The names lie in one buffer that every dirlist shares (folders are
 * read one at a time): they are good until the next dirlist_read.
 */
int	 dirlist_read(struct dirlist *l, int fd, bool short_is_eof);

/* The name of l that is name (len bytes, hash name_hash), or NULL. */
const struct dirlist_name *dirlist_find(const struct dirlist *l,
	    const char *name, size_t len, uint32_t hash);

/*
 * l's names in strcmp order, as name keys whose aux is the index in
 * l->v; the caller frees the array.  NULL when l is empty.
 */
struct name_key *dirlist_sorted(const struct dirlist *l);

void	 dirlist_free(struct dirlist *l);

#endif
