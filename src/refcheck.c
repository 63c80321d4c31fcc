/*
 * refcheck.c - lexical rules for media references; see refcheck.h.
 *
 * Front matter is untrusted: whoever edits a page chooses the reference,
 * and the host publishes the file it names.  Everything here is a pure
 * string check, done before any path is joined or any filesystem call is
 * made, so a hostile reference is refused before it can reach anything.
 * The checks are deliberately stricter than Linux needs, because the
 * renders live on NTFS and are also handled by Windows programs.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "refcheck.h"
#include "strbuf.h"
#include "utf8.h"
#include "util.h"

/* Linux NAME_MAX: the link named after the render lives on ext4. */
#define RL_NAME_MAX_BYTES	255
/* NTFS: a component holds at most 255 UTF-16 code units. */
#define RL_NAME_MAX_UTF16	255

/*
 * Appends s (len bytes) to sb in double quotes, escaping what would make
 * a message ambiguous or unprintable: quotes, backslashes, control bytes
 * and bytes that are not UTF-8.  Valid non-ASCII text is kept as is so
 * that "Canción.mp3" reads naturally.
 */
static void
quote(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, k;
	uint32_t cp;

	strbuf_putc(sb, '"');
	for (i = 0; i < len; ) {
		if (u[i] == '"' || u[i] == '\\') {
			strbuf_putc(sb, '\\');
			strbuf_putc(sb, u[i]);
			i++;
		} else if (u[i] < 0x20 || u[i] == 0x7f) {
			strbuf_printf(sb, "\\x%02x", u[i]);
			i++;
		} else if (u[i] < 0x80) {
			strbuf_putc(sb, u[i]);
			i++;
		} else if ((k = utf8_decode(u + i, len - i, &cp)) != 0) {
			strbuf_add(sb, u + i, k);
			i += k;
		} else {
			strbuf_printf(sb, "\\x%02x", u[i]);
			i++;
		}
	}
	strbuf_putc(sb, '"');
}

/* rl_error_set("<what> \"<s>\": <rule>") with s quoted safely. */
__attribute__((format(printf, 4, 5)))
static int
fail(const char *what, const char *s, size_t len, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	strbuf_printf(&sb, "%s ", what);
	quote(&sb, s, len);
	strbuf_puts(&sb, ": ");
	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	rl_error_set("%s", sb.buf);
	strbuf_free(&sb);
	return -1;
}

/* ASCII letters folded to lower case, as strncasecmp does in the C locale. */
static inline unsigned
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

/*
 * The device names Windows reserves.  COM and LPT also take a digit
 * 1-9 or a superscript one, two or three (U+00B9, U+00B2, U+00B3).
 * Spelled out rather than with strncasecmp: the fast path of ref_check
 * asks this of every short folder name ("mp3s").
 */
static int
is_reserved(const char *base, size_t len)
{
	const unsigned char *u = (const unsigned char *)base;
	unsigned a, b, c;

	if (len < 3 || len > 5)
		return 0;
	a = fold(u[0]);
	b = fold(u[1]);
	c = fold(u[2]);
	if (len == 3)
		return (a == 'c' && b == 'o' && c == 'n') ||
		    (a == 'p' && b == 'r' && c == 'n') ||
		    (a == 'a' && b == 'u' && c == 'x') ||
		    (a == 'n' && b == 'u' && c == 'l');
	if (!(a == 'c' && b == 'o' && c == 'm') &&
	    !(a == 'l' && b == 'p' && c == 't'))
		return 0;
	if (len == 4)
		return u[3] >= '1' && u[3] <= '9';
	return u[3] == 0xc2 && (u[4] == 0xb9 || u[4] == 0xb2 || u[4] == 0xb3);
}

int
winname_check(const char *name, size_t len)
{
	static const bool win_forbidden[128] = {
		['<'] = true, ['>'] = true, [':'] = true, ['"'] = true,
		['/'] = true, ['\\'] = true, ['|'] = true, ['?'] = true,
		['*'] = true,
	};
	const unsigned char *u = (const unsigned char *)name;
	size_t i, k, units, baselen;
	uint32_t cp;

	if (len == 0)
		return rl_error_set("name \"\": empty name");
	units = 0;
	for (i = 0; i < len; i += k) {
		/* Plain ASCII, the common case, without a call per byte. */
		if (u[i] >= 0x20 && u[i] < 0x80 && !win_forbidden[u[i]]) {
			k = 1;
			units++;
			continue;
		}
		if (u[i] < 0x20)
			return fail("name", name, len,
			    "control character \\x%02x is not allowed in "
			    "Windows names", u[i]);
		if (u[i] < 0x80)
			return fail("name", name, len,
			    "character '%c' is not allowed in Windows names",
			    u[i]);
		if ((k = utf8_decode(u + i, len - i, &cp)) == 0)
			return fail("name", name, len,
			    "not valid UTF-8 at byte %zu", i);
		units += cp >= 0x10000 ? 2 : 1;
	}
	if (units > RL_NAME_MAX_UTF16)
		return fail("name", name, len,
		    "too long for NTFS (%zu UTF-16 units, at most %d)",
		    units, RL_NAME_MAX_UTF16);
	if (u[len - 1] == ' ' || u[len - 1] == '.')
		return fail("name", name, len,
		    "ends with a %s; Windows drops it and would open another "
		    "file",
		    u[len - 1] == ' ' ? "space" : "dot");

	/*
	 * Windows reserves a device name whatever follows its first dot
	 * ("nul.tar.mp3" is NUL), and ignores spaces before that dot.
	 */
	for (baselen = 0; baselen < len && name[baselen] != '.'; baselen++)
		;
	while (baselen > 0 && name[baselen - 1] == ' ')
		baselen--;
	if (is_reserved(name, baselen))
		return fail("name", name, len,
		    "reserved Windows device name \"%.*s\"",
		    (int)baselen, name);
	return 0;
}

const char *
ref_extension(const char *path)
{
	const char *base, *dot;

	/* Leading dots make a hidden name, not an extension: ".mp3". */
	base = ref_basename(path);
	while (*base == '.')
		base++;
	dot = strrchr(base, '.');
	return dot ? dot + 1 : "";
}

/* Checks the whole string: size, UTF-8, control characters. */
static int
check_bytes(const char *ref, size_t len)
{
	const unsigned char *u = (const unsigned char *)ref;
	size_t i, k;
	uint32_t cp;

	if (len > PATH_MAX - 1)
		return fail("reference starting", ref, 40,
		    "too long (%zu bytes, at most %d)", len, PATH_MAX - 1);
	for (i = 0; i < len; i += k) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return fail("reference", ref, len,
			    "control character \\x%02x at byte %zu", u[i], i);
		if ((k = utf8_decode(u + i, len - i, &cp)) == 0)
			return fail("reference", ref, len,
			    "not valid UTF-8 at byte %zu", i);
	}
	return 0;
}

/* Rejects anything that is not a relative path with "/" separators. */
static int
check_relative(const char *ref, size_t len)
{
	const char *bs;

	if ((ref[0] == '/' || ref[0] == '\\') &&
	    (ref[1] == '/' || ref[1] == '\\'))
		return fail("reference", ref, len,
		    "is a network (UNC) path; references are relative to "
		    "the media root");
	if (ref[0] == '/')
		return fail("reference", ref, len,
		    "is absolute; references are relative to the media root");
	if (((ref[0] >= 'a' && ref[0] <= 'z') ||
	    (ref[0] >= 'A' && ref[0] <= 'Z')) && ref[1] == ':')
		return fail("reference", ref, len,
		    "starts with drive \"%.2s\"; references are relative to "
		    "the media root", ref);
	if ((bs = strchr(ref, '\\')) != NULL)
		return fail("reference", ref, len,
		    "backslash at byte %zu; use \"/\" to separate folders",
		    (size_t)(bs - ref));
	return 0;
}

static int
check_segments(const char *ref, size_t len)
{
	const char *seg, *end;
	size_t n;

	for (seg = ref; ; seg = end + 1) {
		end = strchr(seg, '/');
		n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 && end == NULL)
			return fail("reference", ref, len,
			    "ends with \"/\"; it must name a file");
		if (n == 0)
			return fail("reference", ref, len,
			    "empty segment (\"//\") at byte %zu",
			    (size_t)(seg - ref));
		if (n == 1 && seg[0] == '.')
			return fail("reference", ref, len,
			    "\".\" segment; write the path without it");
		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			return fail("reference", ref, len,
			    "\"..\" segment would climb out of the media root");
		if (winname_check(seg, n) == -1) {
			struct strbuf sb = STRBUF_INIT;

			quote(&sb, ref, len);
			rl_error_prefix("reference %s", sb.buf);
			strbuf_free(&sb);
			return -1;
		}
		if (n > RL_NAME_MAX_BYTES)
			return fail("reference", ref, len,
			    "name too long for Linux (%zu bytes, at most %d)",
			    n, RL_NAME_MAX_BYTES);
		if (end == NULL)
			return 0;
	}
}

static int
check_extension(const char *ref, size_t len, const char *const *exts,
    size_t nexts)
{
	struct strbuf allowed = STRBUF_INIT;
	const char *ext;
	size_t i;

	if (nexts == 0)
		return 0;
	ext = ref_extension(ref);
	for (i = 0; i < nexts; i++)
		if (*ext != '\0' && strcasecmp(ext, exts[i]) == 0)
			return 0;
	for (i = 0; i < nexts; i++)
		strbuf_printf(&allowed, "%s.%s", i ? ", " : "", exts[i]);
	if (*ext == '\0')
		fail("reference", ref, len, "has no extension (allowed: %s)",
		    allowed.buf);
	else
		fail("reference", ref, len,
		    "extension \".%s\" is not allowed (allowed: %s)", ext,
		    allowed.buf);
	strbuf_free(&allowed);
	return -1;
}

int
ref_check_plain(const char *ref, const char *const *exts, size_t nexts)
{
	size_t len;

	len = strlen(ref);
	if (len == 0)
		return rl_error_set("reference \"\": empty reference");
	if (check_bytes(ref, len) == -1 ||
	    check_relative(ref, len) == -1 ||
	    check_segments(ref, len) == -1 ||
	    check_extension(ref, len, exts, nexts) == -1)
		return -1;
	return 0;
}

/*
 * What each byte asks of the one pass (ref_good): nothing at all for
 * most of them.  B_STOP is a byte no good reference holds anywhere
 * (control characters, DEL, what Windows forbids in a name, the
 * backslash); the terminating NUL ends the pass.
 */
enum { B_PLAIN, B_SLASH, B_DOT, B_HIGH, B_STOP, B_END };

#define P	B_PLAIN
#define S	B_STOP
#define H	B_HIGH
static const unsigned char byte_class[256] = {
	B_END, S, S, S, S, S, S, S,	S, S, S, S, S, S, S, S,	/* 0x00 */
	S, S, S, S, S, S, S, S,		S, S, S, S, S, S, S, S,	/* 0x10 */
	P, P, S, P, P, P, P, P,		P, P, S, P, P, P, B_DOT, B_SLASH,
					/* 0x20: " * . / */
	P, P, P, P, P, P, P, P,		P, P, S, P, S, P, S, S,	/* : < > ? */
	P, P, P, P, P, P, P, P,		P, P, P, P, P, P, P, P,	/* 0x40 */
	P, P, P, P, P, P, P, P,		P, P, P, P, S, P, P, P,	/* \ */
	P, P, P, P, P, P, P, P,		P, P, P, P, P, P, P, P,	/* 0x60 */
	P, P, P, P, P, P, P, P,		P, P, P, P, S, P, P, S,	/* | DEL */
	H, H, H, H, H, H, H, H,		H, H, H, H, H, H, H, H,	/* 0x80 */
	H, H, H, H, H, H, H, H,		H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H,		H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H,		H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H,		H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H,		H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H,		H, H, H, H, H, H, H, H,
	H, H, H, H, H, H, H, H,		H, H, H, H, H, H, H, H,
};
#undef P
#undef S
#undef H

/*
 * Whether the segment [seg, end) (first_dot: its first ".", or NULL)
 * may stand in a good reference, its bytes already known to be allowed
 * ones.  A segment that ends with a dot or a space also covers "." and
 * "..", and one of at most 255 bytes holds at most 255 UTF-16 units.
 */
static bool
segment_good(const unsigned char *seg, const unsigned char *end,
    const unsigned char *first_dot)
{
	size_t n = (size_t)(end - seg), base;

	if (n == 0 || n > RL_NAME_MAX_BYTES || end[-1] == ' ' ||
	    end[-1] == '.')
		return false;
	base = (size_t)((first_dot ? first_dot : end) - seg);
	while (base > 0 && seg[base - 1] == ' ')
		base--;
	return !is_reserved((const char *)seg, base);
}

/*
 * Every rule in one pass over the bytes, without a message: true only
 * for a reference ref_check_plain accepts.  Anything it is not sure of
 * is left to ref_check_plain, which finds the rule and says it, so the
 * two cannot disagree on a message.
 */
static bool
ref_good(const char *ref, size_t len, const char *const *exts, size_t nexts)
{
	const unsigned char *u = (const unsigned char *)ref, *end = u + len;
	const unsigned char *p, *seg, *first_dot = NULL, *last_dot = NULL;
	const unsigned char *ext;
	size_t i, k, extlen;
	uint32_t cp;

	if (len == 0 || len > PATH_MAX - 1)
		return false;
	for (p = seg = u; ; p++) {
		while (byte_class[*p] == B_PLAIN)	/* the tight loop */
			p++;
		switch (byte_class[*p]) {
		case B_DOT:
			if (first_dot == NULL)
				first_dot = p;
			last_dot = p;
			continue;
		case B_HIGH:
			if ((k = utf8_decode(p, (size_t)(end - p), &cp)) == 0)
				return false;
			p += k - 1;
			continue;
		case B_SLASH:
			if (!segment_good(seg, p, first_dot))
				return false;
			seg = p + 1;
			first_dot = last_dot = NULL;
			continue;
		case B_STOP:
			return false;
		}
		break;		/* B_END */
	}
	if (p != end || !segment_good(seg, end, first_dot))
		return false;	/* p != end: a NUL inside (cannot be) */
	if (nexts == 0)
		return true;

	/* ref_extension: leading dots are the name's, not an extension. */
	for (p = seg; *p == '.'; p++)
		;
	if (last_dot == NULL || last_dot < p)
		return false;
	ext = last_dot + 1;
	extlen = (size_t)(end - ext);
	for (i = 0; i < nexts; i++) {
		const unsigned char *e = (const unsigned char *)exts[i];

		for (k = 0; k < extlen && fold(ext[k]) == fold(e[k]); k++)
			;
		if (k == extlen && e[k] == '\0')
			return true;
	}
	return false;
}

int
ref_check(const char *ref, const char *const *exts, size_t nexts)
{
	if (ref_good(ref, strlen(ref), exts, nexts))
		return 0;
	return ref_check_plain(ref, exts, nexts);
}
