/*
 * utf8.h - the one UTF-8 decoder: the reference rules (refcheck.c) and
 * the quick JSON reader (jsonread.c) must agree with jansson on what is
 * UTF-8, and so with each other.
 */
#ifndef RL_UTF8_H
#define RL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one UTF-8 sequence at s (n bytes available, n > 0).  Returns
 * its length and stores the code point, or returns 0 if the bytes are
 * not well-formed UTF-8 (overlong forms, surrogates and values above
 * U+10FFFF included): NTFS names are UTF-16, and jansson refuses the
 * same bytes.
 */
size_t	 utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
