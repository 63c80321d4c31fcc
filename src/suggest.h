/*
 * suggest.h - "did you mean": the spelling a missing reference has on
 * the drive in another case.
 *
 * The media drive is case-sensitive here (a Linux filesystem, or a
 * Windows folder WSL flagged so), so `Lullaby/Take 1.mp3` does not find
 * `lullaby/take 1.mp3`.  Both answers are worked out only for
 * references already missing, from listings the scanner has or reads
 * for the purpose: a good run pays nothing.
 */
#ifndef RL_SUGGEST_H
#define RL_SUGGEST_H

#include <stddef.h>

struct dirlist;

/* The first name of l in strcmp order equal to name but for ASCII case. */
const char *suggest_name(const struct dirlist *l, const char *name);

/*
 * For files names[0..n) of the folder dir (relative to rootfd), which
 * does not exist as written: finds the folder in another case, a
 * component at a time, and sets out[i] (allocated) to the reference
 * with the folder as it is cased and the file as it is cased, for each
 * file that is there.  out[i] stays NULL for the others.  Reads
 * listings into l (what it held is gone).
 */
void	 suggest_folder(int rootfd, const char *dir, const char *const *names,
	    size_t n, char **out, struct dirlist *l);

#endif
