/*
 * plan.h - decide what to do, without touching anything.
 *
 * The planner is a pure function of the config, the wanted links (already
 * checked against the reference rules) and what the scanner saw.  It
 * never calls the filesystem, so a dry run prints exactly what a real run
 * would do, and every rule about ownership lives here, in one place:
 *
 *   - a link is ours if it is a symlink in a managed target folder whose
 *     text lies below the set's media root, or the very link (device,
 *     inode and text) the manifest recorded; a temporary named
 *     .renderlink-tmp.* (a run killed half-way left it) is ours only by
 *     the same rules;
 *   - ours and wanted, pointing right: keep; pointing wrong: replace;
 *   - ours and not wanted, or its file is gone: remove;
 *   - wanted but something else is there: conflict, leave it;
 *   - two different files for one name: duplicate-name, leave the name.
 */
#ifndef RL_PLAN_H
#define RL_PLAN_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct wantlist;
struct scan;
struct problems;

enum op { OP_CREATE, OP_REPLACE, OP_REMOVE, OP_KEEP };

/*
 * One thing to do (or leave).  Its strings are the plan's own (made once,
 * in the plan's pool: see plan_free) or borrowed: a keep's target and an
 * expect are the link text the scan read.  So the scan, like the config,
 * must outlive the plan.
 */
struct action {
	enum op	 op;
	bool	 done;		/* set by the executor */
	size_t	 set;
	const char *setname;	/* borrowed from the config */
	const char *name;	/* entry name in the target folder (the tail
				   of link, not a string of its own) */
	const char *link;	/* site-relative path of the link */
	const char *target;	/* create/replace/keep: the link text wanted */
	const char *expect;	/* replace/remove: the text it must still have */
};

struct plan_pool;

struct plan {
	struct action *v;	/* by set, then name */
	size_t	 n, alloc;
	struct plan_pool *pool;	/* the strings the plan made */
};

/* What plan_build() is asked for (flags, or-ed). */
#define PLAN_SOURCES_OPTIONAL	0x1	/* dry runs and checks: CI has no
					   media drive */
#define PLAN_CLEAN		0x2	/* `clean`: every link that is ours
					   goes */

/*
 * Builds the plan.  Problems found on the way (missing files, conflicts,
 * duplicates, unavailable roots, unsafe targets) go to problems; with
 * PLAN_SOURCES_OPTIONAL an unavailable media root is a warning, not an
 * error.  PLAN_CLEAN ignores wants and plans the removal of every link
 * that is ours, by the same ownership rule; whether the media root is
 * there plays no part (ownership is read from the link text and the
 * manifest, so a set is cleaned while its drive is not mounted).
 * The plan borrows from scan and cfg: free it before them.
 */
void	 plan_build(struct plan *out, struct problems *problems,
	    const struct config *cfg, const struct wantlist *wants,
	    const struct scan *scan, unsigned flags);
/* Frees the actions and every string the plan made (not the borrowed). */
void	 plan_free(struct plan *p);

const char *op_name(enum op op);
/* Whether plan changes anything (an action other than a keep). */
bool	 plan_has_work(const struct plan *p);

struct entry;
struct target_scan;
struct linkset;
struct manifest;
/*
 * Whether entry e (in the scanned target folder t of set ls, at the
 * site-relative path link) is renderlink's, by the rules above; the
 * manifest's records count only as bound to their links (manifest.h).
 */
bool	 plan_owned(const struct entry *e, const struct target_scan *t,
	    const struct linkset *ls, const struct manifest *m,
	    const char *link);

#endif
