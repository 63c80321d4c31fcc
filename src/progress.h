/*
 * progress.h - "what it is doing and how far", for runs a person waits
 * for.
 *
 * A sync, index or status over a big site, or over a slow Windows drive,
 * can take seconds; silence then looks like a hang.  Progress is shown
 * on stderr, on one line rewritten in place, but only where a person
 * watches: stderr is a terminal, not -q, and the output is text.  It
 * starts only once the run has taken about a second, so a quick run
 * (the pre-commit and pre-build case) prints nothing extra, and it is
 * redrawn at most ten times a second.  The line is erased before
 * anything else is printed.
 */
#ifndef RL_PROGRESS_H
#define RL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether progress may be shown (the command's own judgement: -q, a
 * format other than text); stderr must also be a terminal. */
void	 progress_enable(bool on);
/* A new phase: "indexing pages", "reading media folders", ... of total
 * steps (0: unknown). */
void	 progress_begin(const char *what, size_t total);
/* n steps of the current phase done. */
void	 progress_step(size_t n);
/* Erases the line, if one is shown. */
void	 progress_end(void);

#endif
