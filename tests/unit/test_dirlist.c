/*
 * test_dirlist.c - the sort by 8-byte keys gives strcmp's order (names
 * alike in their first bytes, of 7, 8 and 9 bytes, bytes above 0x7f,
 * equal names in their given order), and a listing finds exactly the
 * names it holds.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "dirlist.h"
#include "util.h"

static int
dl_ref_cmp(const void *a, const void *b)
{
	const struct name_key *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->aux > y->aux) - (x->aux < y->aux);
}

Test(dirlist, sort_is_strcmp_order)
{
	static const char *const pieces[] = {
		"", "a", "b", "Song 1 (120 bpm, take ", "1", "10", "2", "; ",
		"\xc3\xb1", "\xff", "abcdefg", "abcdefgh", "h", ".mp3", " ",
	};
	enum { N = 3000 };
	static char names[N][128];
	static struct name_key v[N], want[N];
	unsigned long seed = 7;
	size_t i, j, n, len, round;

	for (round = 0; round < 20; round++) {
		n = round < 10 ? round + 1 : N;	/* short runs too */
		for (i = 0; i < n; i++) {
			for (len = 0, j = 0; j < 1 + (seed >> 40) % 5; j++) {
				const char *p;

				seed = seed * 6364136223846793005ul + 1;
				p = pieces[(seed >> 33) % ARRAY_SIZE(pieces)];
				memcpy(names[i] + len, p, strlen(p));
				len += strlen(p);
			}
			names[i][len] = '\0';
			v[i].key = name_key_of(names[i]);
			v[i].name = names[i];
			v[i].aux = i;
			want[i] = v[i];
		}
		name_keys_sort(v, n);
		qsort(want, n, sizeof(*want), dl_ref_cmp);
		for (i = 0; i < n; i++) {
			cr_assert_eq(v[i].aux, want[i].aux,
			    "round %zu [%zu]: \"%s\", want \"%s\"", round, i,
			    v[i].name, want[i].name);
			cr_assert_eq(v[i].key, name_key_of(v[i].name));
		}
	}
}

Test(dirlist, key_order_is_byte_order)
{
	cr_expect_lt(name_key_of("abcdefg"), name_key_of("abcdefgh"));
	cr_expect_eq(name_key_of("abcdefgh"), name_key_of("abcdefghi"));
	cr_expect_lt(name_key_of("z"), name_key_of("\xc3\xb1"));
	cr_expect_eq(name_key_of(""), 0);
	cr_expect_lt(name_key_cmp(name_key_of("abcdefgh"), "abcdefgh",
	    name_key_of("abcdefghi"), "abcdefghi"), 0);
	cr_expect_eq(name_key_cmp(name_key_of("abc"), "abc",
	    name_key_of("abc"), "abc"), 0);
}

Test(dirlist, finds_exactly_what_is_there)
{
	static const char *const there[] = {
		"t1.mp3", "T1.mp3", "abcdefgh", "abcdefghi", "x",
		"Song 1 (120 bpm, take 1; 2025-01-01).mp3",
	};
	static const char *const not_there[] = {
		"t1.MP3", "abcdefg", "abcdefghij", "", ".", "..", "y",
		"Song 1 (120 bpm, take 2; 2025-01-01).mp3",
	};
	char root[] = "/tmp/rl-dirlist.XXXXXX", path[256];
	struct dirlist l = { 0 };
	const struct dirlist_name *d;
	size_t i, len;
	int fd;

	cr_assert_not_null(mkdtemp(root));
	for (i = 0; i < ARRAY_SIZE(there); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, there[i]);
		cr_assert_geq(fd = open(path, O_CREAT | O_WRONLY, 0644), 0);
		close(fd);
	}
	cr_assert_geq(fd = open(root, O_RDONLY | O_DIRECTORY), 0);
	cr_assert_eq(dirlist_read(&l, fd, true), 0);
	close(fd);
	cr_expect_eq(l.n, ARRAY_SIZE(there));	/* no "." or ".." */
	for (i = 0; i < ARRAY_SIZE(there); i++) {
		len = strlen(there[i]);
		d = dirlist_find(&l, there[i], len, name_hash(there[i], len));
		cr_expect_not_null(d, "%s", there[i]);
		if (d != NULL) {
			cr_expect_str_eq(d->name, there[i]);
			cr_expect_eq(d->type, DT_REG);
		}
	}
	for (i = 0; i < ARRAY_SIZE(not_there); i++) {
		len = strlen(not_there[i]);
		cr_expect_null(dirlist_find(&l, not_there[i], len,
		    name_hash(not_there[i], len)), "%s", not_there[i]);
	}
	dirlist_free(&l);
	for (i = 0; i < ARRAY_SIZE(there); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, there[i]);
		unlink(path);
	}
	rmdir(root);
}
