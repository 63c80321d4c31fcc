/*
 * problem.h - what went wrong, for whom, collected rather than fatal.
 *
 * One bad page must not stop the others: plug-ins, the host's checks, the
 * planner and the executor all add problems here, and the reporter prints
 * them at the end.  Codes are stable identifiers (for JSON and CI):
 *
 *   invalid-reference  a page's reference breaks a rule (refcheck.h)
 *   missing-source     the referenced file is not in the media tree
 *   conflict           something renderlink does not own is in the way
 *   duplicate-name     two different files would take one link name
 *   source-unavailable the media root itself is not there
 *   unsafe-target      a target folder renderlink must not write in
 *   apply-failed       the filesystem refused an action
 *   manifest           renderlink's own record could not be read
 *   front-matter       a page's front matter is not valid YAML (or, a
 *                      warning, its block is never closed)
 *   suspicious-key     a key that looks like a link set's key but is not
 *                      (keyhint.h)
 *   stale-index        the index on disk is not what the pages say
 *   safe-mode          the site is built in Jekyll's safe mode
 */
#ifndef RL_PROBLEM_H
#define RL_PROBLEM_H

#include <stddef.h>

enum severity { SEV_ERROR, SEV_WARNING };

struct problem {
	enum severity	 severity;
	char		*code;		/* owned; "NAME/CODE" for a plug-in's */
	char		*page;		/* may be NULL */
	char		*link;		/* site-relative link path, may be NULL */
	char		*message;
	size_t		 line, col;	/* in page, 1-based; 0: unknown */
};

struct problems {
	struct problem	*v;
	size_t		 n, alloc;
};

/* Adds a problem; code, page and link are copied. */
__attribute__((format(printf, 6, 7)))
void	 problems_add(struct problems *p, enum severity sev, const char *code,
	    const char *page, const char *link, const char *fmt, ...);
/* Appends every problem of from to p, in order, and empties from. */
void	 problems_move(struct problems *p, struct problems *from);
/* Pins the most recent problem to a line and column of its page. */
void	 problems_locate(struct problems *p, size_t line, size_t col);
/*
 * An error from a parser that says "PAGE:LINE:COL: message": the position
 * goes into the problem, so text output reads like a compiler's and CI
 * can annotate the line.  consequence says what was done about it.
 */
void	 problems_add_parsed(struct problems *p, const char *code,
	    const char *page, const char *msg, const char *consequence);
size_t	 problems_count(const struct problems *p, enum severity sev);
void	 problems_free(struct problems *p);

#endif
