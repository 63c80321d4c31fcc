/*
 * jsonread.h - a quick reader for the JSON renderlink writes itself.
 *
 * jansson's reader takes some 140 instructions a byte (it reads one
 * character at a time through a stream), and a no-op sync of 10,000
 * references spent 40% of its time there, reading back the 1 MB index
 * renderlink had just checked was unchanged.  This reader takes the
 * common path only: it gives the very value jansson would give with
 * DOCINDEX_JSON_FLAGS (duplicate keys refused, any value on top, NUL kept
 * in strings), or NULL, and then the caller asks jansson, which also
 * says what is wrong and where.  NULL is the answer for anything
 * unusual: a number of more than 18 digits, a real that overflows,
 * nesting deeper than 512, and every input jansson refuses.  So it
 * decides nothing jansson would decide differently; fuzz_jsonread checks
 * exactly that, against jansson, on arbitrary input.
 */
#ifndef RL_JSONREAD_H
#define RL_JSONREAD_H

#include <stddef.h>

#include <jansson.h>

/* The value text[0..len) holds (a new reference), or NULL: ask jansson. */
json_t	*jsonread_parse(const char *text, size_t len);

#endif
