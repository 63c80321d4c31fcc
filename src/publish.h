/*
 * publish.h - which documents Jekyll 4.3 will render.
 *
 * A render linked into the site is published, whoever asked for it.  So
 * a page Jekyll will not render - a draft, a page marked `published:
 * false`, a document dated in the future - must make no links, or an
 * unreleased take leaks into _site.  Jekyll 4.3's rules (Publisher,
 * Document, Reader; measured with Jekyll 4.3.1):
 *
 *   - drafts (_drafts under collections_dir) are read only with
 *     `show_drafts: true` (the --drafts flag);
 *   - `published:` present and false or null hides a page or document
 *     unless `unpublished: true`; any other value (even "no") publishes;
 *   - a collection document (posts, drafts, any collection; not a plain
 *     page) dated after the site's time is hidden unless `future: true`,
 *     whatever its `published:` says.  Its date is front matter `date:`,
 *     else the date in its file name (2024-11-20-title.md); an invalid
 *     one stops Jekyll's build.  The site's time is `time:` from the
 *     config, else now; dates without a zone are in the site's
 *     `timezone`.
 *
 * The index records the facts per document (index_build.c calls
 * publish_facts); the decision is made per run (publish_decide), since
 * it depends on the config, the flags and the clock.
 */
#ifndef RL_PUBLISH_H
#define RL_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct ynode;
struct document;

enum skip_reason { SKIP_NONE, SKIP_DRAFT, SKIP_UNPUBLISHED, SKIP_FUTURE };

/* Jekyll's command-line flags that widen the set (sync, check). */
struct publish_flags {
	int	 drafts, unpublished, future;
};

struct publish_rules {
	bool	 drafts, unpublished, future;
	int64_t	 now;		/* the build's site.time */
};

/*
 * Adds "draft", "published" and "date" to an index document that has
 * "path", "collection" and "front_matter".  "date" is the canonical
 * date (jdate_format) of a collection document, or null.  Returns -1,
 * error set ("invalid date '...' in front matter 'date'" or "... in the
 * file name"), when Jekyll would refuse to build the document.
 */
int	 publish_facts(json_t *doc);

/*
 * Reads show_drafts, unpublished, future, time and timezone from the
 * merged Jekyll config; flags (may be NULL) turn the first three on.
 * Sets TZ to the site's timezone, as Jekyll does, so that local dates
 * mean what they mean to Jekyll.  -1 (error names FILE:LINE:COL) on a
 * `time:` Jekyll could not read.
 */
int	 publish_rules_load(struct publish_rules *r, const struct ynode *jekyll,
	    const struct publish_flags *flags);
/* Why Jekyll would not render doc, or SKIP_NONE. */
enum skip_reason publish_decide(const struct publish_rules *r,
	    const struct document *doc);
/* "draft", "unpublished", "future" (NULL for SKIP_NONE). */
const char *skip_reason_name(enum skip_reason why);

#endif
