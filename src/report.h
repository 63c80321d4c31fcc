/*
 * report.h - tell the user what happened.
 *
 * Text: one line per action on stdout ("create LINK -> TARGET"), problems
 * on stderr as "error: PAGE: MESSAGE (CODE)".  Colour only when the stream
 * is a terminal and NO_COLOR is not set.  JSON: one document on stdout
 * for tools and CI.
 */
#ifndef RL_REPORT_H
#define RL_REPORT_H

#include <stdbool.h>
#include <stddef.h>

struct plan;
struct problems;

enum format { FORMAT_TEXT, FORMAT_JSON };

struct report_opts {
	enum format	 format;
	int		 verbose;
	int		 quiet;
	bool		 dry_run;
};

struct summary {
	size_t	 created, replaced, removed, unchanged, errors, warnings;
};

/* Counts what was done (or, in a dry run, what would be). */
void	 summary_count(struct summary *s, const struct plan *plan,
	    const struct problems *problems, bool dry_run);
void	 report_print(const struct plan *plan, const struct problems *problems,
	    const struct report_opts *opts);
/* Parses "text" or "json" into *out; -1 if neither. */
int	 format_parse(enum format *out, const char *s);

#endif
