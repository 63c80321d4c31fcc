/*
 * frontmatter.c - a page's YAML front matter as JSON, typed the way
 * Jekyll will see it; see frontmatter.h.
 *
 * The index must say what Jekyll sees, so both halves copy Jekyll 4.3
 * rather than YAML in general.  Finding the block follows Jekyll's two
 * regular expressions (has_yaml_header? and YAML_FRONT_MATTER_REGEXP),
 * and the text handed to the YAML reader is exactly what Jekyll hands to
 * Psych: from the opening "---" up to the closing line, so libyaml's line
 * numbers are already the page's.  Typing scalars follows Psych 4's
 * ScalarScanner#tokenize and ToRuby#deserialize, as Jekyll calls them
 * (safe_load, Date and Time permitted, aliases on); the quirks are kept
 * on purpose: "3:45" is the integer 13500 to Jekyll, so it is here too.
 *
 * Reading stops at the closing line: pages sit next to large renders, and
 * a file that does not start with "---" costs one small read.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "frontmatter.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

#define FM_CHUNK	4096
/*
 * How much of a front matter block is held while looking for its end.
 * Past it the block is only scanned, and read again once its end is
 * found, so a file that opens a block and never closes it (a page, to
 * Jekyll) is not held in memory whole.
 */
#define FM_KEEP		(256 * 1024)

enum fm_state {
	FM_NONE,	/* the first line is not "---" */
	FM_MORE,	/* undecided: give more bytes */
	FM_CLOSED,	/* block found */
	FM_OPEN		/* "---" but no closing line before the end */
};

/* Where a scan stopped, so that a longer buffer is not looked at twice. */
struct fm_scan {
	size_t	 pos;		/* next byte of line 1, or start of a line */
	size_t	 seen;		/* bytes from pos known to hold no '\n' */
	bool	 opened;	/* line 1 is "---" and its '\n' was seen */
};

/* Ruby's \s without the newline. */
static bool
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* A line (without its '\n') that closes the block: ---|... then blanks. */
static bool
is_closing_line(const char *s, size_t len)
{
	size_t i;

	if (len < 3 || (memcmp(s, "---", 3) != 0 &&
	    memcmp(s, "...", 3) != 0))
		return false;
	for (i = 3; i < len; i++)
		if (!is_blank((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * Looks at buf[0..len), the start of a page; eof says nothing follows.
 * On FM_CLOSED, *end is where the closing line starts.
 */
static enum fm_state
fm_find(struct fm_scan *st, const char *buf, size_t len, bool eof,
    size_t *end)
{
	const char *nl;
	size_t n;

	if (!st->opened) {
		/* has_yaml_header?: /\A---\s*\r?\n/ on the first line */
		n = len < 3 ? len : 3;
		if (memcmp(buf, "---", n) != 0)
			return FM_NONE;
		if (len < 3)
			return eof ? FM_NONE : FM_MORE;
		if (st->pos < 3)
			st->pos = 3;
		while (st->pos < len && is_blank((unsigned char)buf[st->pos]))
			st->pos++;
		if (st->pos == len)
			return eof ? FM_NONE : FM_MORE;
		if (buf[st->pos] != '\n')
			return FM_NONE;
		st->pos++;
		st->seen = 0;
		st->opened = true;
	}
	for (;;) {
		nl = memchr(buf + st->pos + st->seen, '\n',
		    len - st->pos - st->seen);
		if (nl == NULL && !eof) {
			st->seen = len - st->pos;
			return FM_MORE;
		}
		n = nl ? (size_t)(nl - (buf + st->pos)) : len - st->pos;
		if (is_closing_line(buf + st->pos, n)) {
			*end = st->pos;
			return FM_CLOSED;
		}
		if (nl == NULL)
			return FM_OPEN;
		st->pos += n + 1;
		st->seen = 0;
	}
}

/* Sets an error about n's value, where it is; returns NULL. */
static json_t *
fm_error(const struct ynode *n, const char *what)
{
	if (n->kind == YNODE_SCALAR)
		rl_error_set("%s: '%s' %s", ynode_where(n), n->value, what);
	else
		rl_error_set("%s: %s", ynode_where(n), what);
	return NULL;
}

/* Ruby's String#to_i on a run that starts with a digit or sign. */
static bool
ruby_to_i(long long *out, const char *s, const char *end)
{
	const char *start;
	long long v = 0;
	bool neg = false;

	if (s < end && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	start = s;
	for (; s < end; s++) {
		if (*s == '_' && s > start && s + 1 < end && s[-1] != '_' &&
		    s[1] >= '0' && s[1] <= '9')
			continue;
		if (*s < '0' || *s > '9')
			break;
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, neg ? -(*s - '0') : *s - '0',
		    &v))
			return false;
	}
	*out = v;
	return true;
}

/* Ruby's String#to_f, close enough for the digits the callers allow. */
static double
ruby_to_f(const char *s, const char *end)
{
	struct strbuf sb = STRBUF_INIT;
	double d;

	for (; s < end; s++)
		if (*s != '_')
			strbuf_putc(&sb, *s);
	d = strtod(sb.buf, NULL);
	strbuf_free(&sb);
	return d;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/ (an integer) or the same
 * followed by /\.[0-9_]*$/ (a float): Psych's base 60.
 */
static bool
match_base60(const char *s, size_t len, bool *isfloat)
{
	size_t i = 0, groups = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i == len || !is_digit(s[i]))
		return false;
	for (i++; i < len && (is_digit(s[i]) || s[i] == '_'); i++)
		;
	while (groups < 2 && i < len && s[i] == ':') {
		i++;
		if (i + 1 < len && s[i] >= '0' && s[i] <= '5' &&
		    is_digit(s[i + 1]))
			i += 2;
		else if (i < len && is_digit(s[i]))
			i++;
		else
			return false;
		groups++;
	}
	if (groups == 0)
		return false;
	*isfloat = false;
	if (i == len)
		return true;
	if (s[i] != '.')
		return false;
	for (i++; i < len && (is_digit(s[i]) || s[i] == '_'); i++)
		;
	*isfloat = true;
	return i == len;
}

/* Psych sums the parts with weights 60^|e-2|, e the part's index. */
static json_t *
base60_value(const char *s, size_t len, bool isfloat)
{
	const char *p = s, *end = s + len, *colon;
	long long iv = 0, part, w;
	double fv = 0;
	int e = 0;

	for (;; p = colon + 1, e++) {
		if ((colon = memchr(p, ':', (size_t)(end - p))) == NULL)
			colon = end;
		w = e == 0 ? 3600 : e == 1 ? 60 : 1;
		if (isfloat)
			fv += ruby_to_f(p, colon) * (double)w;
		else if (!ruby_to_i(&part, p, colon) ||
		    __builtin_mul_overflow(part, w, &part) ||
		    __builtin_add_overflow(iv, part, &iv))
			return NULL;
		if (colon == end)
			break;
	}
	return isfloat ? json_real(fv) : json_integer(iv);
}

/* Psych's FLOAT: /^[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?$/ */
static bool
match_float(const char *s, size_t len)
{
	size_t i = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i < len && is_digit(s[i]))
		for (i++; i < len && (is_digit(s[i]) || s[i] == '_' ||
		    s[i] == ','); i++)
			;
	if (i == len || s[i] != '.')
		return false;
	for (i++; i < len && is_digit(s[i]); i++)
		;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i == len || (s[i] != '-' && s[i] != '+'))
			return false;
		i++;
		if (i == len || !is_digit(s[i]))
			return false;
		while (i < len && is_digit(s[i]))
			i++;
	}
	return i == len;
}

/*
 * Float(s.gsub(/[,_]|\.([Ee]|$)/, '\1')).  *bad when Ruby's Float()
 * raises (no digits at all), which makes Jekyll drop the page's data.
 */
static json_t *
float_value(const char *s, size_t len, bool *bad)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, digits = 0;
	json_t *j = NULL;
	double d;

	*bad = false;
	for (i = 0; i < len; i++) {
		if (s[i] == ',' || s[i] == '_')
			continue;
		if (s[i] == 'e' || s[i] == 'E')
			break;
		if (s[i] == '.' && (i + 1 == len || s[i + 1] == 'e' ||
		    s[i + 1] == 'E'))
			continue;
		if (is_digit(s[i]))
			digits++;
		strbuf_putc(&sb, s[i]);
	}
	strbuf_add(&sb, s + i, len - i);
	if (digits == 0) {
		*bad = true;
		strbuf_free(&sb);
		return NULL;
	}
	d = strtod(sb.buf, NULL);
	if (isfinite(d))
		j = json_real(d);
	strbuf_free(&sb);
	return j;
}

/*
 * Psych 4's INTEGER: [-+]? then 0b[0-1_,]+ | 0[0-7_,]+ |
 * 0 | [1-9](?:[0-9]|,[0-9]|_[0-9])* | 0x[0-9a-fA-F_,]+ .
 * Returns the base (2, 8, 10, 16) or 0 when s is not an integer.
 */
static int
match_integer(const char *s, size_t len)
{
	size_t i = 0, start;
	int base;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i == len || !is_digit(s[i]))
		return 0;
	if (s[i] == '0' && i + 1 == len)
		return 10;
	if (s[i] == '0') {
		base = s[i + 1] == 'b' ? 2 : s[i + 1] == 'x' ? 16 : 8;
		i += base == 8 ? 1 : 2;
		start = i;
		for (; i < len; i++) {
			if (s[i] == '_' || s[i] == ',')
				continue;
			if (base == 2 && (s[i] == '0' || s[i] == '1'))
				continue;
			if (base == 8 && s[i] >= '0' && s[i] <= '7')
				continue;
			if (base == 16 && isxdigit((unsigned char)s[i]))
				continue;
			return 0;
		}
		return i > start ? base : 0;
	}
	for (i++; i < len; i++) {
		if (is_digit(s[i]))
			continue;
		if ((s[i] == ',' || s[i] == '_') && i + 1 < len &&
		    is_digit(s[i + 1])) {
			i++;
			continue;
		}
		return 0;
	}
	return 10;
}

/*
 * Integer(s.gsub(/[,_]/, '')).  *bad when Ruby's Integer() raises ("0b_"
 * has no digits); NULL without *bad when the value needs more than 64
 * bits.
 */
static json_t *
integer_value(const char *s, size_t len, int base, bool *bad)
{
	unsigned long long v = 0, lim;
	size_t i = 0, digits = 0;
	bool neg = false;
	int d;

	*bad = false;
	if (s[i] == '-' || s[i] == '+')
		neg = s[i++] == '-';
	if (base == 2 || base == 16)
		i += 2;
	lim = neg ? (unsigned long long)INT64_MAX + 1 : INT64_MAX;
	for (; i < len; i++) {
		if (s[i] == ',' || s[i] == '_')
			continue;
		d = is_digit(s[i]) ? s[i] - '0' :
		    (tolower((unsigned char)s[i]) - 'a' + 10);
		if (v > (lim - (unsigned)d) / (unsigned)base)
			return NULL;
		v = v * (unsigned)base + (unsigned)d;
		digits++;
	}
	if (digits == 0) {
		*bad = true;
		return NULL;
	}
	if (neg)
		return json_integer(v == (unsigned long long)INT64_MAX + 1 ?
		    INT64_MIN : -(long long)v);
	return json_integer((long long)v);
}

static bool
word_is(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && strncasecmp(s, w, len) == 0;
}

/*
 * ScalarScanner#tokenize for the types JSON can hold.  Dates, times and
 * the float specials (.inf, .nan) stay strings as written, as does
 * anything that is not a number.  Returns NULL (error set) where Jekyll
 * itself fails to load the page's front matter.
 */
static json_t *
tokenize(const struct ynode *n)
{
	const char *s = n->value;
	size_t len = n->len;
	json_t *j = NULL;
	bool isfloat, bad = false;
	int base;

	if (len == 0)
		return json_null();
	if (memchr(s, '\n', len) != NULL)
		goto string;
	if (word_is(s, len, "~") || word_is(s, len, "null"))
		return json_null();
	if (word_is(s, len, "true") || word_is(s, len, "yes") ||
	    word_is(s, len, "on"))
		return json_true();
	if (word_is(s, len, "false") || word_is(s, len, "no") ||
	    word_is(s, len, "off"))
		return json_false();
	if (len >= 2 && s[0] == ':')
		return fm_error(n, "is a Ruby symbol to Jekyll, which then "
		    "refuses the whole front matter; quote it");
	if (match_base60(s, len, &isfloat)) {
		if ((j = base60_value(s, len, isfloat)) != NULL)
			return j;
		goto string;
	}
	if (match_float(s, len)) {
		if (len == 1 || (len == 2 && (s[0] == '-' || s[0] == '+')))
			goto string;
		j = float_value(s, len, &bad);
	} else if ((base = match_integer(s, len)) != 0)
		j = integer_value(s, len, base, &bad);
	if (bad)
		return fm_error(n, "is a number Jekyll cannot read, which "
		    "makes it refuse the whole front matter; quote it");
	if (j != NULL)
		return j;
string:
	if ((j = json_stringn(n->value, n->len)) == NULL)
		fm_error(n, "is not valid UTF-8");
	return j;
}

static bool
tag_is(const struct ynode *n, const char *a, const char *b)
{
	return n->tag != NULL && (strcmp(n->tag, a) == 0 ||
	    strcmp(n->tag, b) == 0);
}

static int
b64_digit(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/*
 * !!binary: Psych hands Jekyll the bytes of Ruby's unpack("m"), which
 * skips whatever is not base64 (line breaks, blanks, stray characters)
 * and stops at the first "=" after two digits of a group.  JSON holds no
 * bytes, so the index holds them as strict base64 (padded, no line
 * breaks): the same bytes always give the same text, however the page
 * spelled them.
 */
static json_t *
binary_value(const struct ynode *n)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	struct strbuf raw = STRBUF_INIT, sb = STRBUF_INIT;
	const unsigned char *s = (const unsigned char *)n->value;
	size_t len = n->len, i = 0;
	unsigned char *b;
	int a, bb, c, d;
	json_t *j;

	/* pack.c's loop, bounds checked first */
	for (;;) {
		a = bb = c = d = -1;
		while (i < len && (a = b64_digit(s[i])) == -1)
			i++;
		if (i >= len)
			break;
		i++;
		while (i < len && (bb = b64_digit(s[i])) == -1)
			i++;
		if (i >= len)
			break;
		i++;
		while (i < len && (c = b64_digit(s[i])) == -1 && s[i] != '=')
			i++;
		if (i >= len || s[i] == '=')
			break;
		i++;
		while (i < len && (d = b64_digit(s[i])) == -1 && s[i] != '=')
			i++;
		if (i >= len || s[i] == '=')
			break;
		i++;
		strbuf_putc(&raw, (char)(a << 2 | bb >> 4));
		strbuf_putc(&raw, (char)((bb & 15) << 4 | c >> 2));
		strbuf_putc(&raw, (char)((c & 3) << 6 | d));
		a = -1;
	}
	if (a != -1 && bb != -1) {
		strbuf_putc(&raw, (char)(a << 2 | bb >> 4));
		if (c != -1)
			strbuf_putc(&raw, (char)((bb & 15) << 4 | c >> 2));
	}
	b = (unsigned char *)raw.buf;
	for (i = 0; i + 2 < raw.len; i += 3) {
		strbuf_putc(&sb, digits[b[i] >> 2]);
		strbuf_putc(&sb, digits[(b[i] & 3) << 4 | b[i + 1] >> 4]);
		strbuf_putc(&sb, digits[(b[i + 1] & 15) << 2 | b[i + 2] >> 6]);
		strbuf_putc(&sb, digits[b[i + 2] & 63]);
	}
	if (raw.len - i == 1) {
		strbuf_putc(&sb, digits[b[i] >> 2]);
		strbuf_putc(&sb, digits[(b[i] & 3) << 4]);
		strbuf_puts(&sb, "==");
	} else if (raw.len - i == 2) {
		strbuf_putc(&sb, digits[b[i] >> 2]);
		strbuf_putc(&sb, digits[(b[i] & 3) << 4 | b[i + 1] >> 4]);
		strbuf_putc(&sb, digits[(b[i + 1] & 15) << 2]);
		strbuf_putc(&sb, '=');
	}
	j = json_stringn(sb.buf, sb.len);
	strbuf_free(&raw);
	strbuf_free(&sb);
	return j;
}

/* ToRuby#deserialize: the tag, then whether it was quoted, decide. */
static json_t *
scalar_to_json(const struct ynode *n)
{
	json_t *j;
	char *end;
	double d;

	if ((n->tag == NULL && !n->plain) || tag_is(n, "!!str", "!str") ||
	    tag_is(n, "!ruby/string", "!ruby/string")) {
		if ((j = json_stringn(n->value, n->len)) == NULL)
			fm_error(n, "is not valid UTF-8");
		return j;
	}
	if (tag_is(n, "!!binary", "!binary"))
		return binary_value(n);
	if (n->tag != NULL && strncmp(n->tag, "!ruby/", 6) == 0)
		return fm_error(n, "has a Ruby tag, which Jekyll refuses");
	if ((j = tokenize(n)) == NULL || !tag_is(n, "!!float", "!float"))
		return j;
	/* Float(tokenized value) */
	if (json_is_integer(j))
		d = (double)json_integer_value(j);
	else if (json_is_real(j))
		return j;
	else {
		errno = 0;
		d = strtod(n->value, &end);
		if (end == n->value || *end != '\0' || errno != 0)
			d = NAN;
	}
	json_decref(j);
	if (!isfinite(d))
		return fm_error(n, "is tagged !!float but is not a number "
		    "Jekyll can read");
	return json_real(d);
}

json_t *
ynode_to_json(const struct ynode *n)
{
	json_t *j, *v;
	size_t i;

	if (n->kind == YNODE_SCALAR)
		return scalar_to_json(n);
	if (tag_is(n, "!!set", "!set") ||
	    (n->tag != NULL && strncmp(n->tag, "!ruby/", 6) == 0))
		return fm_error(n, "has a tag Jekyll refuses to load");
	if (n->kind == YNODE_SEQ) {
		j = json_array();
		for (i = 0; i < n->n; i++) {
			if ((v = ynode_to_json(n->items[i])) == NULL) {
				json_decref(j);
				return NULL;
			}
			json_array_append_new(j, v);
		}
		return j;
	}
	j = json_object();
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->items[i];

		if (k->kind != YNODE_SCALAR) {
			json_decref(j);
			return fm_error(k, "a list or a map as a name is not "
			    "supported");
		}
		/* Typed only for the values Jekyll refuses (":sym:"). */
		if ((v = scalar_to_json(k)) == NULL) {
			json_decref(j);
			return NULL;
		}
		json_decref(v);
		if ((v = ynode_to_json(n->items[i + 1])) == NULL) {
			json_decref(j);
			return NULL;
		}
		if (json_object_setn_new(j, k->value, k->len, v) < 0) {
			json_decref(j);
			return fm_error(k, "is not valid UTF-8");
		}
	}
	return j;
}

/* The block buf[0..end) (opening line included, as Jekyll gives it). */
static int
fm_load(json_t **out, const char *buf, size_t end, const char *display)
{
	struct ynode *root;
	json_t *j;

	if (ytree_load(&root, buf, end, display, 0) < 0)
		return -1;
	if ((j = ynode_to_json(root)) == NULL) {
		ynode_free(root);
		return -1;
	}
	/* Jekyll keeps {} for nil, and for false ("data ||= {}"). */
	if (json_is_null(j) || json_is_false(j)) {
		json_decref(j);
		j = json_object();
	}
	if (!json_is_object(j)) {
		rl_error_set("%s: front matter must be a map of names to "
		    "values, not %s", ynode_where(root),
		    root->kind == YNODE_SEQ ? "a list" : "a single value");
		json_decref(j);
		ynode_free(root);
		return -1;
	}
	ynode_free(root);
	*out = j;
	return 0;
}

/*
 * "---" on line 1 and no closing line: Jekyll's has_yaml_header? takes
 * the file for a page (or a document), its YAML_FRONT_MATTER_REGEXP does
 * not match, and the page is rendered with no data at all (measured with
 * Jekyll 4.3.1: open.md becomes open.html, its would-be keys printed in
 * the body).  So it is indexed with {} and said out loud.
 */
static int
fm_unclosed(json_t **out)
{
	*out = json_object();
	rl_error_set("the front matter opened by the \"---\" on line 1 is "
	    "never closed by a \"---\" line, so Jekyll renders the page with "
	    "no front matter at all, and it is indexed so");
	return FM_UNCLOSED;
}

int
frontmatter_parse(json_t **out, const char *buf, size_t len,
    const char *display)
{
	struct fm_scan st = { 0, 0, false };
	size_t end = 0;

	*out = NULL;
	switch (fm_find(&st, buf, len, true, &end)) {
	case FM_CLOSED:
		return fm_load(out, buf, end, display);
	case FM_OPEN:
		return fm_unclosed(out);
	default:
		return 1;
	}
}

/*
 * The line being looked at once a block has grown past FM_KEEP without
 * a closing line: is_closing_line's test, one byte at a time, so that a
 * file that never closes its block is scanned to the end in constant
 * memory instead of being held whole.
 */
struct fm_tail {
	off_t	 line;		/* where the line starts in the file */
	size_t	 len;		/* its bytes so far */
	char	 first;
	bool	 closing;	/* so far it could close the block */
};

static bool
tail_done(const struct fm_tail *t)
{
	return t->closing && t->len >= 3;
}

/* Feeds buf (at file offset off); true with *end when a line closed. */
static bool
tail_scan(struct fm_tail *t, const char *buf, size_t n, off_t off,
    off_t *end)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			if (tail_done(t)) {
				*end = t->line;
				return true;
			}
			t->line = off + (off_t)i + 1;
			t->len = 0;
			t->closing = true;
			continue;
		}
		if (t->len == 0)
			t->first = buf[i];
		if (t->len < 3)
			t->closing = t->closing && buf[i] == t->first &&
			    (buf[i] == '-' || buf[i] == '.');
		else
			t->closing = t->closing &&
			    is_blank((unsigned char)buf[i]);
		t->len++;
	}
	return false;
}

/* Reads up to EOF in constant memory; 1 with *end when a line closes. */
static int
tail_read(int fd, struct fm_tail *t, off_t off, off_t *end,
    const char *display)
{
	char buf[FM_CHUNK];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rl_error_set("%s: %s", display, strerror(errno));
		if (n == 0) {
			*end = t->line;
			return tail_done(t) ? 1 : 0;
		}
		if (tail_scan(t, buf, (size_t)n, off, end))
			return 1;
		off += n;
	}
}

/* The first len bytes of fd again, into sb. */
static int
reread(struct strbuf *sb, int fd, size_t len, const char *display)
{
	ssize_t n;

	strbuf_reset(sb);
	strbuf_grow(sb, len);
	while (sb->len < len) {
		n = pread(fd, sb->buf + sb->len, len - sb->len,
		    (off_t)sb->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return rl_error_set("%s: %s", display, n < 0 ?
			    strerror(errno) : "changed while it was read");
		strbuf_setlen(sb, sb->len + (size_t)n);
	}
	return 0;
}

int
frontmatter_read(json_t **out, int dirfd, const char *path, bool follow,
    const char *display)
{
	struct fm_scan st = { 0, 0, false };
	struct strbuf sb = STRBUF_INIT;
	struct fm_tail tail;
	enum fm_state state;
	struct stat sbuf;
	size_t end = 0;
	off_t tend, off;
	ssize_t n;
	bool eof = false;
	int fd, r;

	*out = NULL;
	/* O_NONBLOCK: a FIFO must not hang us before fstat says what it is. */
	fd = openat(dirfd, path, O_RDONLY | (follow ? 0 : O_NOFOLLOW) |
	    O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return rl_error_set("%s: %s", display, errno == ELOOP &&
		    !follow ? "is a symlink" : strerror(errno));
	if (fstat(fd, &sbuf) < 0) {
		r = errno;
		close(fd);
		return rl_error_set("%s: %s", display, strerror(r));
	}
	if (!S_ISREG(sbuf.st_mode)) {
		close(fd);
		return rl_error_set("%s: not a regular file", display);
	}
	for (;;) {
		strbuf_grow(&sb, FM_CHUNK);
		n = read(fd, sb.buf + sb.len, FM_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = errno;
			close(fd);
			strbuf_free(&sb);
			return rl_error_set("%s: %s", display, strerror(r));
		}
		if (n == 0)
			eof = true;
		else
			strbuf_setlen(&sb, sb.len + (size_t)n);
		state = fm_find(&st, sb.buf, sb.len, eof, &end);
		if (state != FM_MORE || (st.opened && sb.len >= FM_KEEP))
			break;
	}
	if (state == FM_MORE) {
		/* A long block: look for its end without keeping it. */
		memset(&tail, 0, sizeof(tail));
		tail.line = (off_t)st.pos;
		tail.closing = true;
		/* the rest of the buffer is one line, without its '\n' */
		(void)tail_scan(&tail, sb.buf + st.pos, sb.len - st.pos,
		    (off_t)st.pos, &tend);
		off = (off_t)sb.len;
		strbuf_free(&sb);
		r = tail_read(fd, &tail, off, &tend, display);
		if (r == 1) {
			end = (size_t)tend;
			state = FM_CLOSED;
			r = reread(&sb, fd, end, display);
		} else if (r == 0)
			state = FM_OPEN;
		if (r < 0) {
			close(fd);
			strbuf_free(&sb);
			return -1;
		}
	}
	close(fd);
	r = 1;
	if (state == FM_CLOSED)
		r = fm_load(out, sb.buf, end, display);
	else if (state == FM_OPEN)
		r = fm_unclosed(out);
	strbuf_free(&sb);
	return r;
}
