/*
 * problem.c - the list of problems a run found; see problem.h.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "problem.h"
#include "strbuf.h"
#include "util.h"

void
problems_add(struct problems *p, enum severity sev, const char *code,
    const char *page, const char *link, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct problem *pr;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	pr = &p->v[p->n++];
	pr->severity = sev;
	pr->code = xstrdup(code);
	pr->page = page ? xstrdup(page) : NULL;
	pr->link = link ? xstrdup(link) : NULL;
	pr->message = strbuf_detach(&sb);
	pr->line = pr->col = 0;
}

void
problems_move(struct problems *p, struct problems *from)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		ALLOC_GROW(p->v, p->n + 1, p->alloc);
		p->v[p->n++] = from->v[i];
	}
	free(from->v);
	from->v = NULL;
	from->n = from->alloc = 0;
}

void
problems_locate(struct problems *p, size_t line, size_t col)
{
	if (p->n) {
		p->v[p->n - 1].line = line;
		p->v[p->n - 1].col = col;
	}
}

size_t
problems_count(const struct problems *p, enum severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		if (p->v[i].severity == sev)
			n++;
	return n;
}

void
problems_free(struct problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].code);
		free(p->v[i].page);
		free(p->v[i].link);
		free(p->v[i].message);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->alloc = 0;
}

void
problems_add_parsed(struct problems *p, const char *code, const char *page,
    const char *msg, const char *consequence)
{
	size_t n = strlen(page), line = 0, col = 0;
	const char *q;
	char *end;

	if (strncmp(msg, page, n) == 0 && msg[n] == ':') {
		q = msg + n + 1;
		line = strtoul(q, &end, 10);
		if (end != q && *end == ':') {
			q = end + 1;
			col = strtoul(q, &end, 10);
			if (end != q && strncmp(end, ": ", 2) == 0)
				msg = end + 2;
			else
				line = col = 0;
		} else
			line = 0;
	}
	problems_add(p, SEV_ERROR, code, page, NULL, "%s; %s", msg,
	    consequence);
	problems_locate(p, line, col);
}
