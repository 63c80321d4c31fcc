/*
 * apply.h - the executor: carry out a plan, and nothing else.
 *
 * Every change renderlink makes to a site goes through here, whoever
 * asked for it, so the rules hold for all plug-ins:
 *
 *   - folders are opened one component at a time without following
 *     links, and a target on a Windows filesystem is refused again;
 *   - a new link is made by one symlinkat(2), which fails rather than
 *     overwrite anything (one call and one directory write per link);
 *   - a replace swaps the new link with the old one (RENAME_EXCHANGE) and
 *     checks that what it took out is the link the plan expected; if not,
 *     it swaps back;
 *   - a remove first moves the link aside and checks it the same way;
 *   - SIGINT/SIGTERM/SIGHUP are held off while an action is in flight.
 *
 * Whatever changed between the scan and the action is reported as a
 * conflict and left as it is.  The executor decides nothing else.
 */
#ifndef RL_APPLY_H
#define RL_APPLY_H

struct config;
struct plan;
struct problems;
struct manifest;

/*
 * Carries out plan in the site at sitefd, marking each action done, and
 * records what it did in m (the manifest as read: the caller loads it
 * when the plan has work, see scan_load_manifest), which is saved when
 * anything was done.  A plan of keeps touches nothing at all.
 */
void	 apply_plan(struct plan *plan, struct problems *problems,
	    const struct config *cfg, int sitefd, struct manifest *m);

#endif
