/*
 * fuzz_index.c - docindex_parse() on arbitrary index text.
 *
 * The index may be the user's own file or an earlier Jekyll build's
 * jsonify output (index.h).  Whatever it holds, the reader either
 * refuses it with a message or hands out documents that keep its
 * promises: a path that stays inside the site, front matter that is an
 * object.
 */
#include <jansson.h>

#include "fuzz.h"
#include "index.h"
#include "util.h"

/* index.h: not empty or absolute, no "..", "." or empty segment. */
static void
check_path(const char *p)
{
	const char *seg, *end;
	size_t len;

	FUZZ_CHECK(p != NULL && p[0] != '\0' && p[0] != '/', "path '%s'",
	    p ? p : "(null)");
	for (seg = p;; seg = end + 1) {
		end = strchr(seg, '/');
		len = end ? (size_t)(end - seg) : strlen(seg);
		FUZZ_CHECK(len > 0 && !(len == 1 && seg[0] == '.') &&
		    !(len == 2 && seg[0] == '.' && seg[1] == '.'),
		    "path '%s' has a bad segment", p);
		if (end == NULL)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct docindex *idx = NULL;
	char *text = fuzz_cstr(data, size);
	size_t i, j;
	int rc;

	rc = docindex_parse(&idx, text, "fuzz.json");
	fuzz_say(rc, rc ? rl_error_last() : "");
	if (rc == 0) {
		FUZZ_CHECK(idx != NULL, "rc 0, no index");
		for (i = 0; i < idx->n; i++) {
			check_path(idx->docs[i].path);
			FUZZ_CHECK(json_is_object(idx->docs[i].front_matter),
			    "documents[%zu]: front matter not an object", i);
			for (j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(idx->docs[i].path,
				    idx->docs[j].path) != 0,
				    "path '%s' twice", idx->docs[i].path);
		}
		docindex_free(idx);
	} else {
		FUZZ_CHECK(idx == NULL, "an error, yet an index");
		FUZZ_CHECK(rl_error_last()[0] != '\0', "an error, no message");
	}
	free(text);
	return 0;
}
