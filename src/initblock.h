/*
 * initblock.h - the renderlink: block `renderlink init` appends to a
 * site's Jekyll config: one link set, every line with a comment saying
 * what it is, every value written so that YAML (and Ruby's Psych, which
 * Jekyll reads it with) gives back exactly the string given.
 */
#ifndef RL_INITBLOCK_H
#define RL_INITBLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

struct initblock {
	const char	*name, *key, *source, *target;
	char *const	*exts;
	size_t		 nexts;
};

/*
 * Appends s as a YAML scalar: plain when it reads back as the same
 * string (a letter, then letters, digits and "_./-"; not a YAML 1.1
 * boolean or null word), else - or always, with quote - single-quoted,
 * where only "'" is special (doubled) and "\" is an ordinary character.
 */
void	 initblock_scalar(struct strbuf *out, const char *s, bool quote);

/*
 * The block (a comment header, then `renderlink:`), each line ending in
 * eol ("\n", or "\r\n" for a config written so).  The source is always
 * quoted: a Windows path holds "\" and ":".
 */
char	*initblock_text(const struct initblock *b, const char *eol);

#endif
