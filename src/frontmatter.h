/*
 * frontmatter.h - the YAML front matter of one page, as JSON.
 *
 * A page has front matter when its first line is "---" (trailing blanks
 * and CRLF allowed), exactly Jekyll's test.  The block ends at the next
 * line that is "---" or "..." .  Only the block is read, never the body.
 * Values are typed the way Jekyll's YAML reader (Ruby's Psych 4, YAML 1.1,
 * through safe_load) types them - so the index says what Jekyll will see:
 *
 *   - quoted, block and explicitly tagged (!!str) scalars are strings;
 *   - plain ~, null, Null, NULL and empty are null;
 *   - plain true/false/yes/no/on/off (in any casing; not y/n) are
 *     booleans;
 *   - plain integers (decimal, 0x, 0 for octal - not 0o -, 0b, with _ and
 *     , separators) are integers, and so is Psych's base 60: 3:45 is
 *     13500, 1:02:03 is 3723; plain floats (1.5, .5, 1., 1.5e+3 - the
 *     exponent needs its sign) are reals;
 *   - what JSON cannot hold stays a string as written: .inf, .nan, and
 *     integers beyond 64 bits;
 *   - dates and times (2024-11-20, 2024-11-20 10:00:00 +01:00) stay
 *     strings as written (JSON has no date type);
 *   - other tags (!!int '12', ! 123) are typed from the text, as Psych
 *     does;
 *   - map keys become strings (Psych's keys may be other types; their
 *     text is used), and a later duplicate key wins, as in Psych.
 *
 *   - !!binary scalars are the bytes Psych decodes (Ruby's lenient
 *     unpack("m"): what is not base64 is skipped), written as strict
 *     base64, padded and without line breaks: "aGVs\n bG8" is
 *     "aGVsbG8=" ("hello"), "a*b c=d" is "abc=".  JSON holds no bytes;
 *     Jekyll loads these pages, so they are indexed.
 *
 * What makes Jekyll drop a page's whole front matter is an error here:
 * a plain :symbol, a number Ruby cannot read (0x_), !!float on text,
 * !!set and !ruby/ tags; lists or maps used as keys are not supported.
 * Plain multi-line scalars are always strings (Psych would read "on" out
 * of a few odd ones).
 */
#ifndef RL_FRONTMATTER_H
#define RL_FRONTMATTER_H

/* A closed front matter block larger than this is an error for its page
 * (frontmatter_read), however large the file: memory stays bounded. */
#define FRONTMATTER_MAX_BYTES	(1 << 20)

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct ynode;

/* frontmatter_parse and frontmatter_read: a block that is never closed. */
#define FM_UNCLOSED	2

/*
 * Parses the front matter at the start of buf.  Returns 0 with *out a
 * JSON object (an empty block gives {}, and so do a null or false one, as
 * in Jekyll), 1 when buf has no front matter (*out NULL), -1 on a YAML
 * error: "DISPLAY:LINE:COL: libyaml's message", with the line counted in
 * the page file (the YAML handed to libyaml is the block from the opening
 * "---" line on, exactly what Jekyll hands to Psych).  Front matter that
 * is not a map (e.g. a bare list) is an error too.
 *
 * A first line "---" with no closing line returns FM_UNCLOSED with *out
 * {}: Jekyll takes such a file for a page (its test is the first line
 * only) and renders it with no front matter at all, so it is a page with
 * no keys.  rl_error_last() then says so, for a warning (no position:
 * there is no line to point at).
 */
int	 frontmatter_parse(json_t **out, const char *buf, size_t len,
	    const char *display);

/*
 * Reads path below dirfd only as far as the end of the front matter, and
 * parses it as above: 4 KiB at a time, so a file not starting with "---"
 * costs one small read.  A block that grows past 256 KiB is no longer
 * kept while its end is looked for (then read again), so a file that
 * never closes its block costs a scan, not its size in memory.  A final
 * symlink is followed only with follow (sitewalk.h decides which links
 * Jekyll reads); without it, and for anything but a regular file (a FIFO
 * would block), it is an error.
 */
int	 frontmatter_read(json_t **out, int dirfd, const char *path,
	    bool follow, const char *display);

/* One YAML node, typed as above; NULL (error set, naming the node's
 * FILE:LINE:COL) for the values listed above as errors. */
json_t	*ynode_to_json(const struct ynode *n);

#endif
