/*
 * fuzz_jsonread.c - the quick JSON reader against jansson.
 *
 * jsonread_parse() promises never to decide anything jansson would
 * decide differently: on any input, it either gives up (NULL), or gives
 * a value equal to the one jansson reads with the index's flags.  And on
 * input jansson refuses it always gives up, so jansson's message is the
 * one a user sees.
 */
#include <jansson.h>

#include "fuzz.h"
#include "index.h"
#include "jsonread.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *quick, *slow;

	quick = jsonread_parse((const char *)data, size);
	slow = json_loadb((const char *)data, size, DOCINDEX_JSON_FLAGS, NULL);
	fuzz_say(quick ? 0 : -1, quick ? "read" : "left to jansson");
	FUZZ_CHECK(quick == NULL || slow != NULL,
	    "read what jansson refuses: %.*s", (int)(size > 200 ? 200 : size),
	    (const char *)data);
	FUZZ_CHECK(quick == NULL || json_equal(quick, slow),
	    "read otherwise than jansson: %.*s",
	    (int)(size > 200 ? 200 : size), (const char *)data);
	json_decref(quick);
	json_decref(slow);
	return 0;
}
