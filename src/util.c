/*
 * util.c - allocation wrappers, fatal errors and the error object.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "progress.h"
#include "util.h"

const char *rl_progname = "renderlink";
static struct strbuf errmsg = STRBUF_INIT;

static void *
check(void *p)
{
	if (p == NULL) {
		fprintf(stderr, "%s: out of memory\n", rl_progname);
		exit(2);
	}
	return p;
}

void *
xmalloc(size_t n)
{
	return check(malloc(n ? n : 1));
}

void *
xcalloc(size_t nmemb, size_t size)
{
	return check(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *
xrealloc(void *p, size_t n)
{
	return check(realloc(p, n ? n : 1));
}

char *
xstrdup(const char *s)
{
	return check(strdup(s));
}

char *
xstrndup(const char *s, size_t n)
{
	return check(strndup(s, n));
}

void
xgrow(void *pp, size_t *alloc, size_t n, size_t sz)
{
	void **p = pp;
	size_t want;

	if (n <= *alloc)
		return;
	want = *alloc ? *alloc * 2 : 16;
	if (want < n)
		want = n;
	if (want > SIZE_MAX / sz)
		die("array size overflow");
	*p = xrealloc(*p, want * sz);
	*alloc = want;
}

static void
vwarnx(const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT, shown = STRBUF_INIT;

	strbuf_vprintf(&msg, fmt, ap);
	strbuf_puts_visible(&shown, msg.buf);
	fprintf(stderr, "%s: %s\n", rl_progname, shown.buf);
	strbuf_free(&msg);
	strbuf_free(&shown);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	exit(2);
}

void
warnx_(const char *fmt, ...)
{
	va_list ap;

	progress_end();		/* a message starts on a clean line */
	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

int
rl_error_set(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	strbuf_free(&errmsg);
	errmsg = sb;
	return -1;
}

int
rl_error_prefix(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	strbuf_puts(&sb, ": ");
	strbuf_add(&sb, errmsg.buf, errmsg.len);
	strbuf_free(&errmsg);
	errmsg = sb;
	return -1;
}

const char *
rl_error_last(void)
{
	return errmsg.len ? errmsg.buf : "unknown error";
}

void
rl_error_clear(void)
{
	strbuf_free(&errmsg);
}
