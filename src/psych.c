/*
 * psych.c - YAML nodes as JSON, typed the way Jekyll's YAML reader types
 * them; see frontmatter.h (ynode_to_json).
 *
 * Typing scalars follows Psych 4's ScalarScanner#tokenize and
 * ToRuby#deserialize, as Jekyll calls them (safe_load, Date and Time
 * permitted, aliases on); the quirks are kept on purpose: "3:45" is the
 * integer 13500 to Jekyll, so it is here too.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "frontmatter.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

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
		/* JSON (jansson) cannot hold it, and cut at the NUL it
		 * would be another key: "mp3s\0x" is not mp3s. */
		if (memchr(k->value, '\0', k->len) != NULL) {
			json_decref(j);
			return fm_error(k, "a name with a NUL byte is not "
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
