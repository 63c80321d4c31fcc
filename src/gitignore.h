/*
 * gitignore.h - the lines renderlink adds to a repository's .gitignore:
 * a pattern that matches one folder and nothing else, appended the way a
 * person would add it (what is there is never rewritten).
 */
#ifndef RL_GITIGNORE_H
#define RL_GITIGNORE_H

#include <stdbool.h>

#include "strbuf.h"

/*
 * Appends s (a path) as gitignore pattern text matching only itself:
 * "\", "*", "?" and "[" escaped.
 */
void	 gitignore_literal(struct strbuf *out, const char *s);

/*
 * The line that makes git ignore the folder dir of a site at prefix in
 * its repository ("" at the top): "/<prefix>/<dir>/", anchored at the
 * top of the repository; the trailing "/" also keeps git from dropping
 * trailing blanks.
 */
void	 gitignore_folder_line(struct strbuf *out, const char *prefix,
	    const char *dir);

/*
 * Whether the file at path has line (blanks and CR at a line's end
 * aside, as git reads it); a missing file has none.  -1: unreadable.
 */
int	 gitignore_has_line(bool *out, const char *path, const char *line);

/*
 * Appends line to the file at path (made if missing), first ending its
 * last line if it has no newline, with the file's own line ending.
 */
int	 gitignore_append(const char *path, const char *line);

#endif
