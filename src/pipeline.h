/*
 * pipeline.h - from a front matter index to a plan: the part of a run
 * that `sync` and `check` share.
 *
 * Plug-ins say what they want; every want is held to the reference rules
 * (refcheck.h) by the host, whoever made it; the filesystem is scanned
 * once; the planner decides.  Nothing here writes.
 */
#ifndef RL_PIPELINE_H
#define RL_PIPELINE_H

#include <stdbool.h>

#include "plan.h"
#include "plugin.h"
#include "scan.h"

struct site;
struct docindex;
struct problems;

struct pipeline {
	struct wantlist	 wants;		/* as the plug-ins asked */
	struct wantlist	 good;		/* those that obey the rules */
	struct scan	 scan;
	struct plan	 plan;
};

/*
 * The index the plug-ins read.  With refresh it is first brought up to
 * date with the pages (and, with save, written), so that one command does
 * everything; an index file renderlink did not write is the user's and is
 * read as it is.  Returns -1 (error object set) on a bad index.
 */
int	 pipeline_index(struct docindex **idx, struct problems *problems,
	    const struct site *site, bool refresh, bool save);

/*
 * Plans the run.  With sources_optional (dry runs and checks, unless
 * --require-sources) an unavailable media root is a warning.  Returns -1
 * (error object set) only when a plug-in failed as a whole.
 */
int	 pipeline_plan(struct pipeline *pl, struct problems *problems,
	    const struct site *site, const struct docindex *idx,
	    bool sources_optional);
void	 pipeline_free(struct pipeline *pl);

#endif
