/*
 * symlinks - the floor for a cold sync: one symlinkat(2) per link, in a
 * C loop, for tests/bench.sh.
 *
 *   symlinks DIR LIST
 *
 * LIST holds one "NAME<TAB>TEXT" line per link (what renderlink made,
 * from find -printf '%f\t%l\n'); DIR is made (its parent must exist) and
 * each NAME is created in it holding TEXT.  The list is read whole
 * first, so the loop is the symlinkat calls alone.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char *buf, *p, *end, *nl, *tab;
	size_t cap = 1 << 20, len = 0;
	ssize_t n;
	int fd, dfd;

	if (argc != 3) {
		fprintf(stderr, "usage: symlinks DIR LIST\n");
		return 2;
	}
	if ((fd = open(argv[2], O_RDONLY)) == -1 ||
	    (buf = malloc(cap)) == NULL)
		goto fail;
	while ((n = read(fd, buf + len, cap - len)) > 0)
		if ((len += n) == cap && (buf = realloc(buf, cap *= 2)) == NULL)
			goto fail;
	if (n == -1)
		goto fail;
	close(fd);
	if (mkdir(argv[1], 0777) == -1 && errno != EEXIST)
		goto fail;
	if ((dfd = open(argv[1], O_RDONLY | O_DIRECTORY)) == -1)
		goto fail;
	for (p = buf, end = buf + len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		*nl = '\0';
		if ((tab = strchr(p, '\t')) == NULL)
			continue;
		*tab = '\0';
		if (symlinkat(tab + 1, dfd, p) == -1) {
			fprintf(stderr, "symlinks: %s: %s\n", p,
			    strerror(errno));
			return 1;
		}
	}
	return 0;
fail:
	fprintf(stderr, "symlinks: %s\n", strerror(errno));
	return 1;
}
