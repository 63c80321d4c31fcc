/*
 * fuzz.h - what the fuzz targets in tests/fuzz share.
 *
 * Each target is one LLVMFuzzerTestOneInput() over one parser that reads
 * text someone else wrote (pages, configs, index files, plug-in output).
 * libFuzzer (clang -fsanitize=fuzzer) drives it for `make fuzz`; replay.c
 * drives the same function over the seed corpus for `make test`, built
 * with gcc, so the suite needs no clang.
 *
 * Beyond "no crash, no sanitizer report", a target checks what the
 * parser promises about its result (FUZZ_CHECK): a violated promise
 * aborts, which libFuzzer reports and saves as a crash like any other.
 *
 * corpus/<target>/ holds the seeds (replayed by `make test`); crashes/
 * holds reproducers of findings not fixed yet, each of which moves into
 * the corpus with its fix.
 */
#ifndef RL_FUZZ_H
#define RL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: broken promise: %s: ",		\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/*
 * With RL_FUZZ_VERBOSE set, each target says what became of an input
 * (its return code and message, or its result): for writing seeds.
 */
static inline void
fuzz_say(int rc, const char *msg)
{
	if (getenv("RL_FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "  rc %d: %s\n", rc, msg);
}

/* data as a C string: cut at its first NUL, as a C caller would see it. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	const void *nul = memchr(data, '\0', size);
	size_t len = nul ? (size_t)((const uint8_t *)nul - data) : size;
	char *s = malloc(len + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

#endif
