/*
 * test_jsonread.c - the quick JSON reader: what it reads is what jansson
 * reads, and whatever jansson refuses, or it does not handle, it leaves
 * to jansson (NULL).  tests/fuzz/fuzz_jsonread.c checks the same on
 * arbitrary input.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "index.h"
#include "jsonread.h"
#include "util.h"

static json_t *
jr(const char *text)
{
	return jsonread_parse(text, strlen(text));
}

/* Read, and equal to jansson's reading. */
static void
jr_same(const char *text)
{
	json_t *quick = jr(text);
	json_t *slow = json_loads(text, DOCINDEX_JSON_FLAGS, NULL);

	cr_assert_not_null(slow, "jansson refuses %s", text);
	cr_assert_not_null(quick, "left to jansson: %s", text);
	cr_assert(json_equal(quick, slow), "read otherwise: %s", text);
	json_decref(quick);
	json_decref(slow);
}

Test(jsonread, reads_what_jansson_reads)
{
	static const char *const ok[] = {
		"{}", "[]", " \n\t\r[ ]\n", "\"top\"", "0", "-0", "17",
		"123456789012345678", "-123456789012345678", "1.5", "-0.0",
		"1e3", "1E-3", "2.5e+10", "true", "false", "null",
		"{\"a\": 1, \"b\": [1, 2, {\"c\": null}], \"\": \"\"}",
		"[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"]",
		"[\"\\u00e9 \\u2028 \\ud83c\\udfb5 \\u0000 nul\"]",
		"{\"k\\u00e9y\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xb5\"}",
		"{\"a\\nb\": {\"a\\nb\": 1}}",
		"[1e-400]",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++)
		jr_same(ok[i]);
}

/* The index renderlink writes, of a fixture site's pages, is read. */
Test(jsonread, reads_an_index)
{
	jr_same("{\n  \"documents\": [\n    {\n      \"collection\": \"songs\",\n"
	    "      \"date\": \"2024-11-20T00:00:00\",\n      \"draft\": false,\n"
	    "      \"front_matter\": {\n        \"mp3s\": [\n          \"a/b (1"
	    " bpm, take 7; 2024-11-20).mp3\"\n        ],\n        \"title\": "
	    "\"One Year Older\"\n      },\n      \"path\": \"_songs/one.md\",\n"
	    "      \"published\": true\n    }\n  ],\n  \"generator\": "
	    "\"renderlink\",\n  \"version\": 1\n}\n");
}

Test(jsonread, leaves_to_jansson_what_it_refuses)
{
	static const char *const bad[] = {
		"", " ", "{", "[1,]", "[,1]", "{\"a\" 1}", "{\"a\": 1,}",
		"{\"a\": 1 \"b\": 2}", "[01]", "[1.]", "[.5]", "[1e]", "[-]",
		"[+1]", "[tru]", "[truex]", "[nul]", "[1] x", "[1][2]",
		"{\"a\": 1, \"a\": 2}",			/* a duplicate key */
		"{\"a\\u0000\": 1}",			/* NUL in a key */
		"[\"\\ud800\"]", "[\"\\udc00\"]",	/* lone surrogates */
		"[\"\\ud800\\u0041\"]", "[\"\\x\"]", "[\"\\u12\"]",
		"[\"tab\there\"]", "[\"nl\nhere\"]",	/* raw control chars */
		"[\"\xc0\xaf\"]", "[\"\xe0\x80\xaf\"]",	/* overlong */
		"[\"\xed\xa0\x80\"]",			/* a surrogate */
		"[\"\xf4\x90\x80\x80\"]",		/* above U+10FFFF */
		"[\"\xc3\"]", "[\"\x80\"]", "[\"\xff\"]",
		"[\"unterminated]", "\xef\xbb\xbf[]",	/* a BOM */
		"[1e400]", "[-1e400]",			/* overflows */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		json_t *v = jr(bad[i]);

		cr_expect_null(v, "read: %s", bad[i]);
		json_decref(v);
		v = json_loads(bad[i], DOCINDEX_JSON_FLAGS, NULL);
		cr_expect_null(v, "jansson reads it (the test is wrong): %s",
		    bad[i]);
		json_decref(v);
	}
}

/* What jansson reads but this reader does not take on: NULL, not a
 * value of its own. */
Test(jsonread, leaves_to_jansson_what_it_does_not_handle)
{
	static const char *const hard[] = {
		"[1234567890123456789]",	/* 19 digits */
		"[9223372036854775807]",
	};
	char deep[2 * 600 + 1];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hard); i++)
		cr_expect_null(jr(hard[i]), "%s", hard[i]);
	memset(deep, '[', 600);
	memset(deep + 600, ']', 600);
	deep[1200] = '\0';
	cr_expect_null(jr(deep), "600 deep");
	memset(deep + 500, ']', 600);
	deep[1000] = '\0';
	jr_same(deep);				/* 500 deep: read */
}

/* By length: a NUL byte in the text is not the end of it. */
Test(jsonread, a_nul_byte_is_not_an_end)
{
	cr_assert_null(jsonread_parse("[1]\0[2]", 7));
	cr_assert_null(jsonread_parse("[\"a\0b\"]", 7));
}
