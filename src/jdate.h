/*
 * jdate.h - dates as Jekyll reads them.
 *
 * Jekyll 4.3 turns a document's date (front matter `date:`, else the
 * date in a file name such as 2024-11-20-title.md) into a time with
 * Ruby's Time.parse, and stops the whole build when it cannot.  Whether
 * a document is dated in the future decides whether it is rendered, so
 * renderlink must read the same dates.  Time.parse accepts almost
 * anything; this reader accepts the forms people write and Jekyll
 * documents, and calls everything else invalid (a page renderlink cannot
 * date makes no links, so a doubt never publishes a render):
 *
 *   2024-11-20   2024-1-5   24-11-20   2024/11/20   20241120
 *   2024-11-20 10:00   2024-11-20T10:00:00.5Z   ... 10:00 PM
 *   zones: Z, UTC, GMT, +01:00, +0100, +01, EST EDT CST CDT MST MDT PST PDT
 *   20 Nov 2024   Nov 20, 2024   Wed, 20 Nov 2024 10:00:00 +0100
 *
 * As in Ruby, a day past the month's end rolls over (2024-02-30 is
 * 1 March), while a month above 12, a day above 31 or an hour above 23
 * is invalid.  A date without a zone is in local time: the site's
 * `timezone`, which Jekyll puts in TZ, and so does publish.c.
 */
#ifndef RL_JDATE_H
#define RL_JDATE_H

#include <stdbool.h>
#include <stdint.h>

struct strbuf;

struct jdate {
	int	 year, mon, day;	/* mon 1-12, day 1-31 */
	int	 hour, min, sec;
	bool	 has_zone;
	int	 offset;		/* seconds east of UTC, with has_zone */
};

/* Parses s; -1 (error set: "invalid date 'S'") when it is not a date. */
int	 jdate_parse(struct jdate *out, const char *s);
/*
 * The canonical text: "YYYY-MM-DDTHH:MM:SS", then "+HH:MM" when the date
 * has a zone; a day past the month's end is carried into the next.
 * jdate_parse reads it back to the same date.
 */
void	 jdate_format(struct strbuf *out, const struct jdate *d);
/* Seconds since the epoch; a date without a zone is in local time. */
int64_t	 jdate_epoch(const struct jdate *d);
/*
 * The date in a Jekyll document's file name, as Document's
 * DATE_FILENAME_MATCHER finds it: the last path segment is
 * "Y-M-D-SLUG.EXT" with a 2-4 digit year.  Copies "Y-M-D" into buf
 * (at least 16 bytes) and returns true, or returns false.
 */
bool	 jdate_from_filename(char *buf, const char *path);

#endif
