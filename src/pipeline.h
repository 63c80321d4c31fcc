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

#include "index.h"

struct index_build;
struct publish_flags;

struct pipeline {
	/* Views of the index (borrowing its documents): the pages Jekyll
	 * will render, which the plug-ins read, and the others (each with
	 * its skip reason), whose references are only linted. */
	struct docindex	 counted;
	struct docindex	 skipped;
	bool		 own_skipped;	/* its paths are copies */
	struct plugin_results res;	/* what the plug-ins asked */
	struct wantlist	 good;		/* those that obey the rules */
	struct scan	 scan;
	struct plan	 plan;
};

/*
 * The index the plug-ins read.  With refresh it is first brought up to
 * date with the pages; with pending (not NULL) the build is handed back,
 * for the caller to index_save() once the run goes ahead, and freed with
 * index_build_free().  An index file renderlink did not write is the
 * user's and is read as it is.  Returns -1 (error object set) on a bad
 * index.
 */
int	 pipeline_index(struct docindex **idx, struct problems *problems,
	    const struct site *site, bool refresh,
	    struct index_build *pending);

struct pipeline_opts {
	const struct publish_flags *flags;	/* --drafts ... (may be NULL) */
	bool	 sources_optional;	/* dry runs and checks, unless
					   --require-sources */
	bool	 dry_run;		/* told to plug-ins */
	bool	 listings;		/* keep media listings (status) */
	int	 verbose;
};

/*
 * Plans the run.  Only the documents Jekyll will render with the site's
 * config and flags (publish.h) are handed to the plug-ins; the others'
 * references are held to the lexical rules only, since they will matter
 * once the page is published.  Once the plug-ins have answered, the
 * pending index build (from pipeline_index; NULL: none, as in a dry run)
 * is saved and freed, and the index itself (*idx) is freed and set to
 * NULL, before the filesystem is scanned: memory stays small on big
 * sites.  With sources_optional an unavailable media root is a warning.
 * Returns -1 (error object set; *idx and pending kept, nothing written)
 * on a config Jekyll could not read or when a plug-in failed.
 */
int	 pipeline_plan(struct pipeline *pl, struct problems *problems,
	    const struct site *site, struct docindex **idx,
	    struct index_build *pending, const struct pipeline_opts *o);
void	 pipeline_free(struct pipeline *pl);

#endif
