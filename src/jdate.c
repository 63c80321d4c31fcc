/*
 * jdate.c - dates as Jekyll reads them; see jdate.h.
 *
 * A small recursive-descent reader over the forms listed in jdate.h,
 * each checked against Ruby's Time.parse (the reader Jekyll uses), with
 * its range rules.  Arithmetic is left to timegm/mktime, which carry a
 * day past the month's end into the next month as Ruby does.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "jdate.h"
#include "strbuf.h"
#include "util.h"

static const char *const months[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

static const char *const weekdays[] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday",
};

/* North American zone names Ruby knows, with their offsets in hours. */
static const struct { const char *name; int hours; } zones[] = {
	{ "utc", 0 }, { "gmt", 0 }, { "z", 0 },
	{ "est", -5 }, { "edt", -4 }, { "cst", -6 }, { "cdt", -5 },
	{ "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
};

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Reads min..max digits into *out; the number of digits, or 0. */
static int
number(const char **pp, int min, int max, int *out)
{
	const char *p = *pp;
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)p[n]))
		v = v * 10 + (p[n++] - '0');
	if (n < min || isdigit((unsigned char)p[n]))
		return 0;
	*out = v;
	*pp = p + n;
	return n;
}

/* A word of letters; its length (0 if none). */
static size_t
word(const char *p)
{
	size_t n = 0;

	while (isalpha((unsigned char)p[n]))
		n++;
	return n;
}

/* Index of the name that the word at p abbreviates (3+ letters), or -1. */
static int
name_at(const char *p, size_t n, const char *const *names, size_t count)
{
	size_t i;

	if (n < 3)
		return -1;
	for (i = 0; i < count; i++)
		if (n <= strlen(names[i]) && strncasecmp(p, names[i], n) == 0)
			return (int)i;
	return -1;
}

/* A two-digit year is 1969-2068, as Ruby's Date._parse completes it. */
static int
full_year(int y, int ndigits)
{
	if (ndigits > 2)
		return y;
	return y >= 69 ? 1900 + y : 2000 + y;
}

/* Y-M-D, Y/M/D or YYYYMMDD. */
static bool
numeric_date(const char **pp, struct jdate *d)
{
	const char *p = *pp;
	int n;
	char sep;

	if (number(&p, 8, 8, &n) == 8) {
		d->year = n / 10000;
		d->mon = n / 100 % 100;
		d->day = n % 100;
		*pp = p;
		return true;
	}
	p = *pp;
	if ((n = number(&p, 1, 4, &d->year)) == 0 ||
	    (*p != '-' && *p != '/'))
		return false;
	d->year = full_year(d->year, n);
	sep = *p++;
	if (!number(&p, 1, 2, &d->mon) || *p++ != sep ||
	    !number(&p, 1, 2, &d->day))
		return false;
	*pp = p;
	return true;
}

/* [Weekday[,]] D Month YYYY, or [Weekday[,]] Month D[,] YYYY. */
static bool
text_date(const char **pp, struct jdate *d)
{
	const char *p = *pp;
	size_t n = word(p);
	int m, yn;

	if (n && name_at(p, n, weekdays, ARRAY_SIZE(weekdays)) >= 0) {
		p += n;
		if (*p == ',')
			p++;
		p = skip_space(p);
	}
	if (isdigit((unsigned char)*p)) {
		if (!number(&p, 1, 2, &d->day))
			return false;
		p = skip_space(p);
		n = word(p);
		if ((m = name_at(p, n, months, ARRAY_SIZE(months))) < 0)
			return false;
		p = skip_space(p + n);
	} else {
		n = word(p);
		if ((m = name_at(p, n, months, ARRAY_SIZE(months))) < 0)
			return false;
		p = skip_space(p + n);
		if (!number(&p, 1, 2, &d->day))
			return false;
		if (*p == ',')
			p++;
		p = skip_space(p);
	}
	if ((yn = number(&p, 2, 4, &d->year)) == 0)
		return false;
	d->year = full_year(d->year, yn);
	d->mon = m + 1;
	*pp = p;
	return true;
}

/* HH:MM[:SS[.frac]] [AM|PM]; the caller has skipped the separator. */
static bool
time_of_day(const char **pp, struct jdate *d)
{
	const char *p = *pp;
	size_t n;

	if (!number(&p, 1, 2, &d->hour) || *p++ != ':' ||
	    !number(&p, 2, 2, &d->min))
		return false;
	if (*p == ':') {
		p++;
		if (!number(&p, 2, 2, &d->sec))
			return false;
		if (*p == '.' || *p == ',') {
			if (!isdigit((unsigned char)p[1]))
				return false;
			for (p++; isdigit((unsigned char)*p); p++)
				;
		}
	}
	n = word(skip_space(p));
	if (n == 2 && (strncasecmp(skip_space(p), "am", 2) == 0 ||
	    strncasecmp(skip_space(p), "pm", 2) == 0)) {
		bool pm = tolower((unsigned char)*skip_space(p)) == 'p';

		if (d->hour == 0 || d->hour > 12)
			;	/* 0:00 AM, 13:00 PM: Ruby keeps the hour */
		else if (pm && d->hour < 12)
			d->hour += 12;
		else if (!pm && d->hour == 12)
			d->hour = 0;
		p = skip_space(p) + 2;
	}
	*pp = p;
	return true;
}

/* Z, a zone name, or +HH[[:]MM]. */
static bool
zone(const char **pp, struct jdate *d)
{
	const char *p = *pp;
	size_t i, n = word(p);
	int h, m = 0, sign;

	if (n) {
		for (i = 0; i < ARRAY_SIZE(zones); i++)
			if (strlen(zones[i].name) == n &&
			    strncasecmp(p, zones[i].name, n) == 0) {
				d->has_zone = true;
				d->offset = zones[i].hours * 3600;
				*pp = p + n;
				return true;
			}
		return false;
	}
	if (*p != '+' && *p != '-')
		return false;
	sign = *p++ == '-' ? -1 : 1;
	if (number(&p, 4, 4, &h) == 4) {
		m = h % 100;
		h /= 100;
	} else if (number(&p, 1, 2, &h)) {
		if (*p == ':') {
			p++;
			if (!number(&p, 2, 2, &m))
				return false;
		}
	} else
		return false;
	if (h > 23 || m > 59)
		return false;
	d->has_zone = true;
	d->offset = sign * (h * 3600 + m * 60);
	*pp = p;
	return true;
}

int
jdate_parse(struct jdate *out, const char *s)
{
	struct jdate d = { 0 };
	const char *p = skip_space(s);

	if (!numeric_date(&p, &d) && (p = skip_space(s), !text_date(&p, &d)))
		goto bad;
	if ((*p == 'T' || *p == 't') && isdigit((unsigned char)p[1])) {
		p++;
		if (!time_of_day(&p, &d))
			goto bad;
	} else if (*p == ' ' || *p == '\t') {
		const char *q = skip_space(p);

		if (isdigit((unsigned char)*q)) {
			p = q;
			if (!time_of_day(&p, &d))
				goto bad;
		}
	}
	p = skip_space(p);
	if (*p != '\0' && !zone(&p, &d))
		goto bad;
	p = skip_space(p);
	if (*p != '\0')
		goto bad;
	if (d.mon < 1 || d.mon > 12 || d.day < 1 || d.day > 31 ||
	    d.hour > 24 || (d.hour == 24 && (d.min || d.sec)) ||
	    d.min > 59 || d.sec > 60)
		goto bad;
	*out = d;
	return 0;
bad:
	return rl_error_set("invalid date '%s'", s);
}

static struct tm
to_tm(const struct jdate *d)
{
	struct tm tm = { 0 };

	tm.tm_year = d->year - 1900;
	tm.tm_mon = d->mon - 1;
	tm.tm_mday = d->day;
	tm.tm_hour = d->hour;
	tm.tm_min = d->min;
	tm.tm_sec = d->sec;
	tm.tm_isdst = -1;
	return tm;
}

void
jdate_format(struct strbuf *out, const struct jdate *d)
{
	struct tm tm = to_tm(d), n;
	time_t t;
	int off;

	/* The wall-clock fields, carried as Ruby carries them. */
	t = timegm(&tm);
	gmtime_r(&t, &n);
	strbuf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d", n.tm_year + 1900,
	    n.tm_mon + 1, n.tm_mday, n.tm_hour, n.tm_min, n.tm_sec);
	if (d->has_zone) {
		off = d->offset < 0 ? -d->offset : d->offset;
		strbuf_printf(out, "%c%02d:%02d", d->offset < 0 ? '-' : '+',
		    off / 3600, off / 60 % 60);
	}
}

int64_t
jdate_epoch(const struct jdate *d)
{
	struct tm tm = to_tm(d);

	if (d->has_zone)
		return (int64_t)timegm(&tm) - d->offset;
	return (int64_t)mktime(&tm);
}

bool
jdate_from_filename(char *buf, const char *path)
{
	const char *base = strrchr(path, '/'), *p, *dot;
	int y, m, dd;

	base = base ? base + 1 : path;
	p = base;
	/* \d{2,4}-\d{1,2}-\d{1,2}-[^/]*(\.[^.]+)$ */
	if (!number(&p, 2, 4, &y) || *p++ != '-' ||
	    !number(&p, 1, 2, &m) || *p++ != '-' ||
	    !number(&p, 1, 2, &dd) || *p++ != '-')
		return false;
	if ((dot = strrchr(p, '.')) == NULL || dot[1] == '\0')
		return false;
	snprintf(buf, 16, "%.*s", (int)(p - 1 - base), base);
	return true;
}
