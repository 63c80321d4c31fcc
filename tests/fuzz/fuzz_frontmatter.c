/*
 * fuzz_frontmatter.c - frontmatter_parse() on arbitrary page bytes.
 *
 * A page is written by whoever can edit the site.  Besides not crashing,
 * the parser promises its result codes (frontmatter.h), and what it
 * returns must survive the trip through the index: the entry index_build
 * would write for the page is put into the index text exactly as
 * index_save writes it, and docindex_parse must read it back with the
 * same front matter ("an index renderlink writes is one renderlink reads
 * back", issue 10, finding 3).
 */
#include <jansson.h>

#include "frontmatter.h"
#include "fuzz.h"
#include "index.h"
#include "index_build.h"
#include "util.h"

/*
 * The index_build round trip for one page's front matter.  Compared as
 * text: jansson 2.14's json_equal and json_deep_copy cut object keys at
 * a NUL (a key "a\0b" equals "a" to them), and front matter keys may
 * hold one.
 */
static void
round_trip(json_t *fm)
{
	struct docindex *idx;
	json_t *doc, *docs;
	char *text, *before, *after;

	/* A collection document, so its date counts (publish.h); fm is
	 * only read. */
	if ((doc = index_document("_songs/x.md", "songs", json_incref(fm)))
	    == NULL)
		return;		/* a date Jekyll refuses: not written */
	docs = json_array();
	json_array_append_new(docs, doc);
	text = index_text(docs);
	json_decref(docs);
	FUZZ_CHECK(docindex_parse(&idx, text, "fuzz.json") == 0,
	    "renderlink cannot read the index it wrote: %s\n%s",
	    rl_error_last(), text);
	FUZZ_CHECK(idx->n == 1, "%zu documents", idx->n);
	before = json_dumps(fm, JSON_SORT_KEYS);
	after = json_dumps(idx->docs[0].front_matter, JSON_SORT_KEYS);
	FUZZ_CHECK(before && after && strcmp(before, after) == 0,
	    "front matter changed on the way:\n%s\n%s", before, after);
	free(before);
	free(after);
	docindex_free(idx);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *fm = NULL;
	int rc;

	rc = frontmatter_parse(&fm, (const char *)data, size, "fuzz.md");
	fuzz_say(rc, rc ? rl_error_last() : "");
	switch (rc) {
	case 0:
		FUZZ_CHECK(json_is_object(fm), "rc 0 without an object");
		round_trip(fm);
		break;
	case FM_UNCLOSED:
		FUZZ_CHECK(json_is_object(fm) && json_object_size(fm) == 0,
		    "an unclosed block has keys");
		FUZZ_CHECK(rl_error_last()[0] != '\0', "no warning");
		break;
	case 1:
		FUZZ_CHECK(fm == NULL, "no front matter, yet a result");
		break;
	case -1:
		FUZZ_CHECK(fm == NULL, "an error, yet a result");
		FUZZ_CHECK(rl_error_last()[0] != '\0', "an error, no message");
		break;
	default:
		FUZZ_CHECK(0, "return code %d", rc);
	}
	json_decref(fm);
	return 0;
}
