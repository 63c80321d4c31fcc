/*
 * refcheck.h - the rules a media reference from a page must obey.
 *
 * References come from front matter, which anyone who can edit a page
 * controls.  A reference names a file relative to its link set's media
 * root; the file is then published.  So a reference must never reach
 * outside the media root, never name something Windows could not open
 * (the renders live on NTFS), and must have an extension the link set
 * allows.  These are lexical checks only: whether the file exists, and
 * where its folder really resolves to, is the scanner's job (scan.h).
 */
#ifndef RL_REFCHECK_H
#define RL_REFCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/*
 * Checks ref against every rule; 0 if good, else -1 with an error message
 * (rl_error_last()) that quotes the offending part and says which rule:
 *
 *   - not empty; at most PATH_MAX-1 bytes; valid UTF-8;
 *   - relative: no leading "/", no "X:" drive, no leading "\\" or "//";
 *   - "/" is the only separator: a "\" is rejected (with a hint);
 *   - no empty, "." or ".." segment (no climbing, no trailing "/");
 *   - no control characters (0x01-0x1f, 0x7f);
 *   - every segment is a name NTFS can hold (winname_check), and at
 *     most 255 bytes (Linux NAME_MAX: the link is named after it on ext4);
 *   - the last segment's extension is one of exts (case-insensitive,
 *     exts written without the dot), unless nexts is 0.
 */
int	 ref_check(const char *ref, const char *const *exts, size_t nexts);

/*
 * The same rules, checked one at a time in the order above, which is
 * how the message is chosen.  ref_check takes one pass over the bytes
 * (a sync checks every reference of the site) and asks this only of a
 * reference that pass would not accept; so both always give the same
 * answer and the same message (the unit tests compare them).
 */
int	 ref_check_plain(const char *ref, const char *const *exts,
	    size_t nexts);

/*
 * One path segment (not NUL-terminated, len bytes) against Windows' naming
 * rules: none of < > : " / \ | ? * or bytes 0-31; no trailing space or dot;
 * not a reserved device name (CON PRN AUX NUL COM1-9 LPT1-9, also with the
 * superscript digits and with any extension, case-insensitive); at most
 * 255 UTF-16 units.  0 if good, else -1 with a message.
 */
int	 winname_check(const char *name, size_t len);

/*
 * The extension of path's last segment, without the dot, or "" if none.
 * Leading dots belong to the name: ".mp3" has no extension.
 */
const char *ref_extension(const char *path);

/*
 * Pointer to the last segment of path.  Inline: the planner asks it of
 * every reference several times over while sorting them.
 */
static inline const char *
ref_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

#endif
