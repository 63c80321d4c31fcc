/*
 * plan.h - decide what to do, without touching anything.
 *
 * The planner is a pure function of the config, the wanted links (already
 * checked against the reference rules) and what the scanner saw.  It
 * never calls the filesystem, so a dry run prints exactly what a real run
 * would do, and every rule about ownership lives here, in one place:
 *
 *   - a link is ours if it is a symlink in a managed target folder whose
 *     text lies below the set's media root, or one the manifest recorded
 *     with exactly that text; temporaries named .renderlink-tmp.* that
 *     are symlinks are ours too (a run killed half-way left them);
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

struct action {
	enum op	 op;
	size_t	 set;
	const char *setname;	/* borrowed from the config */
	char	*name;		/* entry name in the target folder */
	char	*link;		/* site-relative path of the link */
	char	*target;	/* create/replace/keep: the link text wanted */
	char	*expect;	/* replace/remove: the text it must still have */
	bool	 done;		/* set by the executor */
};

struct plan {
	struct action *v;	/* by set, then name */
	size_t	 n, alloc;
};

/*
 * Builds the plan.  Problems found on the way (missing files, conflicts,
 * duplicates, unavailable roots, unsafe targets) go to problems; with
 * sources_optional (dry runs and checks) an unavailable media root is a
 * warning, not an error, because CI has no media drive.
 */
void	 plan_build(struct plan *out, struct problems *problems,
	    const struct config *cfg, const struct wantlist *wants,
	    const struct scan *scan, bool sources_optional);
void	 plan_free(struct plan *p);

const char *op_name(enum op op);

#endif
