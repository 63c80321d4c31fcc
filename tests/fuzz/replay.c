/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput() over files.
 *
 * `make test` builds each target with this main() instead of libFuzzer's,
 * with gcc and ASan+UBSan, and runs it over the seed corpus: every input
 * that ever mattered is replayed on every test run without clang.  A
 * crash or sanitizer report ends the run non-zero (the sanitizers abort);
 * a file that cannot be read is an error too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int
main(int argc, char **argv)
{
	FILE *fp;
	char *buf;
	long len;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "rb")) == NULL ||
		    fseek(fp, 0, SEEK_END) < 0 || (len = ftell(fp)) < 0 ||
		    fseek(fp, 0, SEEK_SET) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		/* Exactly len bytes, so ASan sees a read past the end. */
		if ((buf = malloc(len ? (size_t)len : 1)) == NULL ||
		    fread(buf, 1, (size_t)len, fp) != (size_t)len) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 1;
		}
		fclose(fp);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, (size_t)len);
		free(buf);
	}
	printf("%s: %d inputs replayed\n", argv[0], argc - 1);
	return 0;
}
