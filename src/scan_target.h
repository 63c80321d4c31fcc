/*
 * scan_target.h - the scanner's own: reading a managed target folder
 * (scan_target.c) and the scan's store of strings.  Not for use outside
 * scan.c and scan_target.c.
 */
#ifndef RL_SCAN_TARGET_H
#define RL_SCAN_TARGET_H

#include <stddef.h>

struct linkset;
struct scan;
struct target_scan;

/*
 * Reads the set ls's target folder (below sitefd) into t: its state,
 * its device, and every entry, sorted by name, with keys for
 * target_find.  The names and link texts are s's strings.
 */
void	 scan_target(struct scan *s, struct target_scan *t,
	    const struct linkset *ls, int sitefd);

/* A copy of str (n bytes, then a NUL), freed by scan_strings_free. */
char	*scan_strndup(struct scan *s, const char *str, size_t n);
void	 scan_strings_free(struct scan *s);

#endif
