/*
 * jsonread.c - the quick reader of JSON that renderlink wrote; see
 * jsonread.h.  It follows jansson 2.14's grammar (load.c) where it
 * accepts anything, and gives up (NULL) where jansson would complain or
 * where matching jansson exactly would take more than a few lines.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "strbuf.h"
#include "utf8.h"
#include "util.h"

#define MAX_DEPTH	512	/* jansson's is 2048: below it, so ours */
#define MAX_DIGITS	18	/* no integer this long can overflow */

struct reader {
	const unsigned char *p, *end;
	int	 depth;
	struct strbuf tmp;	/* a string with escapes, decoded */
};

static json_t	*read_value(struct reader *r);

static void
skip_space(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' ||
	    *r->p == '\t' || *r->p == '\r'))
		r->p++;
}

static int
hex4(const unsigned char *s)
{
	int v = 0, i, d;

	for (i = 0; i < 4; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static void
put_utf8(struct strbuf *sb, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		strbuf_add(sb, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		strbuf_add(sb, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		strbuf_add(sb, b, 3);
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		strbuf_add(sb, b, 4);
	}
}

/* One escape after its backslash (at r->p), into r->tmp. */
static bool
read_escape(struct reader *r)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	int hi, lo;

	if (r->p >= r->end)
		return false;
	if (*r->p != 'u') {
		if ((e = memchr(from, *r->p, sizeof(from) - 1)) == NULL)
			return false;
		strbuf_add(&r->tmp, &to[e - from], 1);
		r->p++;
		return true;
	}
	if (r->end - r->p < 5 || (hi = hex4(r->p + 1)) < 0)
		return false;
	r->p += 5;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return false;		/* a low surrogate alone */
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
		    (lo = hex4(r->p + 2)) < 0xdc00 || lo > 0xdfff)
			return false;
		r->p += 6;
		put_utf8(&r->tmp, 0x10000 + ((uint32_t)(hi - 0xd800) << 10) +
		    (uint32_t)(lo - 0xdc00));
		return true;
	}
	put_utf8(&r->tmp, (uint32_t)hi);
	return true;
}

/*
 * A string (r->p past its opening quote): *s and *len get its bytes,
 * which point into the text or into r->tmp.
 */
static bool
read_string(struct reader *r, const char **s, size_t *len)
{
	const unsigned char *start = r->p;
	bool escaped = false;
	uint32_t cp;
	size_t n;

	strbuf_reset(&r->tmp);
	while (r->p < r->end) {
		if (*r->p == '"') {
			if (escaped)
				strbuf_add(&r->tmp, start,
				    (size_t)(r->p - start));
			*s = escaped ? r->tmp.buf : (const char *)start;
			*len = escaped ? r->tmp.len : (size_t)(r->p - start);
			r->p++;
			return true;
		}
		if (*r->p < 0x20)
			return false;
		if (*r->p == '\\') {
			strbuf_add(&r->tmp, start, (size_t)(r->p - start));
			r->p++;
			if (!read_escape(r))
				return false;
			escaped = true;
			start = r->p;
			continue;
		}
		if ((n = utf8_decode(r->p, (size_t)(r->end - r->p),
		    &cp)) == 0)
			return false;
		r->p += n;
	}
	return false;
}

static bool
is_digit(const struct reader *r)
{
	return r->p < r->end && *r->p >= '0' && *r->p <= '9';
}

/* A number, as jansson's lexer reads one. */
static json_t *
read_number(struct reader *r)
{
	const unsigned char *start = r->p;
	char buf[64], *endp;
	bool real = false;
	size_t digits = 0, n;
	double d;

	if (*r->p == '-')
		r->p++;
	if (!is_digit(r))
		return NULL;
	if (*r->p == '0') {
		r->p++;
		if (is_digit(r))
			return NULL;	/* a leading zero */
		digits = 1;
	} else
		for (; is_digit(r); r->p++)
			digits++;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (!is_digit(r))
			return NULL;
		while (is_digit(r))
			r->p++;
		real = true;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!is_digit(r))
			return NULL;
		while (is_digit(r))
			r->p++;
		real = true;
	}
	n = (size_t)(r->p - start);
	if (n >= sizeof(buf) || (!real && digits > MAX_DIGITS))
		return NULL;
	memcpy(buf, start, n);
	buf[n] = '\0';
	if (!real)
		return json_integer((json_int_t)strtoll(buf, NULL, 10));
	errno = 0;
	d = strtod(buf, &endp);
	/* jansson refuses an overflow (and has its own strtod: the C
	 * locale's, which is renderlink's, since it never sets one) */
	if (errno == ERANGE && d != 0)
		return NULL;
	return json_real(d);
}

static json_t *
read_array(struct reader *r)
{
	json_t *a = json_array(), *v;

	skip_space(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return a;
	}
	for (;;) {
		if ((v = read_value(r)) == NULL ||
		    json_array_append_new(a, v) < 0)
			break;
		skip_space(r);
		if (r->p >= r->end)
			break;
		if (*r->p++ == ']')
			return a;
		if (r->p[-1] != ',')
			break;
	}
	json_decref(a);
	return NULL;
}

static json_t *
read_object(struct reader *r)
{
	json_t *o = json_object(), *v;
	const char *k;
	char *key;
	size_t klen;

	skip_space(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return o;
	}
	for (;;) {
		if (r->p >= r->end || *r->p++ != '"' ||
		    !read_string(r, &k, &klen) || memchr(k, '\0', klen))
			break;
		/* A key with escapes is in r->tmp, which the value reuses:
		 * copied.  Any other is read where it lies. */
		key = NULL;
		if (k == r->tmp.buf) {
			key = xmalloc(klen + 1);
			memcpy(key, k, klen);
			k = key;
		}
		skip_space(r);
		if (r->p >= r->end || *r->p++ != ':' ||
		    json_object_getn(o, k, klen) != NULL ||
		    (v = read_value(r)) == NULL ||
		    json_object_setn_new_nocheck(o, k, klen, v) < 0) {
			free(key);
			break;
		}
		free(key);
		skip_space(r);
		if (r->p >= r->end)
			break;
		if (*r->p++ == '}')
			return o;
		if (r->p[-1] != ',')
			break;
		skip_space(r);
	}
	json_decref(o);
	return NULL;
}

static bool
literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return false;
	r->p += n;
	return true;
}

static json_t *
read_value(struct reader *r)
{
	const char *s;
	json_t *v = NULL;
	size_t len;

	skip_space(r);
	if (r->p >= r->end)
		return NULL;
	switch (*r->p) {
	case '{':
	case '[':
		if (++r->depth > MAX_DEPTH)
			return NULL;
		r->p++;
		v = r->p[-1] == '{' ? read_object(r) : read_array(r);
		r->depth--;
		return v;
	case '"':
		r->p++;
		return read_string(r, &s, &len) ? json_stringn_nocheck(s, len) :
		    NULL;
	case 't':
		return literal(r, "true") ? json_true() : NULL;
	case 'f':
		return literal(r, "false") ? json_false() : NULL;
	case 'n':
		return literal(r, "null") ? json_null() : NULL;
	default:
		return read_number(r);
	}
}

json_t *
jsonread_parse(const char *text, size_t len)
{
	struct reader r = { (const unsigned char *)text,
	    (const unsigned char *)text + len, 0, STRBUF_INIT };
	json_t *v;

	v = read_value(&r);
	skip_space(&r);
	if (v != NULL && r.p != r.end) {	/* something after the value */
		json_decref(v);
		v = NULL;
	}
	strbuf_free(&r.tmp);
	return v;
}
