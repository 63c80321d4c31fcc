/*
 * plan.c - the planner: wanted links + what is there = actions; see
 * plan.h for the rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fsutil.h"
#include "plan.h"
#include "plugin.h"
#include "problem.h"
#include "refcheck.h"
#include "scan.h"
#include "util.h"

const char *
op_name(enum op op)
{
	static const char *const names[] = {
		[OP_CREATE] = "create",
		[OP_REPLACE] = "replace",
		[OP_REMOVE] = "remove",
		[OP_KEEP] = "unchanged",
	};

	return names[op];
}

static const struct wantlist *cmp_wants;

static int
by_name(const void *a, const void *b)
{
	const struct want *x = &cmp_wants->v[*(const size_t *)a];
	const struct want *y = &cmp_wants->v[*(const size_t *)b];
	int c = strcmp(ref_basename(x->ref), ref_basename(y->ref));

	if (c == 0)
		c = strcmp(x->ref, y->ref);
	if (c == 0)
		c = strcmp(x->page, y->page);
	return c;
}

/* The site-relative path of the link called name in a set's folder. */
static void
link_path(struct strbuf *out, const struct linkset *ls, const char *name)
{
	strbuf_set(out, ls->target);
	strbuf_joinpath(out, name);
}

/*
 * The strings a plan makes (every link, and the text of a create or a
 * replace), packed in blocks: one allocation per block, not one per
 * string (on 100,000 links that is a megabyte of malloc headers).
 */
#define POOL_BLOCK	((size_t)64 << 10)

struct plan_pool {
	char	**blocks;
	size_t	 n, alloc;
	char	*next;		/* the free room of the last block */
	size_t	 left;
};

static const char *
pool_add(struct plan *p, const char *s, size_t len)
{
	struct plan_pool *pool = p->pool;
	size_t sz;
	char *at;

	if (pool == NULL)
		pool = p->pool = xcalloc(1, sizeof(*pool));
	if (len >= pool->left) {
		sz = len < POOL_BLOCK ? POOL_BLOCK : len + 1;
		ALLOC_GROW(pool->blocks, pool->n + 1, pool->alloc);
		pool->blocks[pool->n++] = pool->next = xmalloc(sz);
		pool->left = sz;
	}
	at = pool->next;
	memcpy(at, s, len);
	at[len] = '\0';
	pool->next += len + 1;
	pool->left -= len + 1;
	return at;
}

/* Room for more actions, exactly: the array is not doubled. */
static void
plan_reserve(struct plan *p, size_t more)
{
	if (more <= p->alloc - p->n)
		return;
	p->alloc = p->n + more;
	p->v = xrealloc(p->v, p->alloc * sizeof(*p->v));
}

/*
 * Adds an action on the link (site-relative, ending in name).  target
 * and expect are not copied: the caller gives the plan's own string or
 * the scan's.
 */
static void
add_action(struct plan *p, enum op op, size_t set, const struct linkset *ls,
    const struct strbuf *link, const char *name, const char *target,
    const char *expect)
{
	struct action *a;

	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	a = &p->v[p->n++];
	a->op = op;
	a->done = false;
	a->set = set;
	a->setname = ls->name;
	a->link = pool_add(p, link->buf, link->len);
	a->name = a->link + link->len - strlen(name);
	a->target = target;
	a->expect = expect;
}

/* ".renderlink-tmp.PID.N.NAME" stood in for TARGET/NAME. */
static bool
tmp_owned(const struct entry *e, const struct target_scan *t,
    const struct linkset *ls, const struct manifest *m)
{
	struct strbuf link = STRBUF_INIT;
	const char *p = e->name + strlen(RL_TMP_PREFIX);
	int dots = 0;
	bool yes;

	while (*p && dots < 2)
		if (*p++ == '.')
			dots++;
	strbuf_printf(&link, "%s/%s", ls->target, p);
	/* moved aside by a remove: the same link, so the same inode */
	yes = manifest_owns(m, link.buf, e->text, t->dev, e->ino);
	strbuf_free(&link);
	return yes;
}

bool
plan_owned(const struct entry *e, const struct target_scan *t,
    const struct linkset *ls, const struct manifest *m, const char *link)
{
	if (e == NULL || e->type != ENT_LINK)
		return false;
	if (text_below(e->text, ls->source))
		return true;
	/* A temporary (a killed run's) is ours only if it holds a text
	 * renderlink would have written: into the media root, above, or
	 * the recorded text of the link it stood in for. */
	if (strncmp(e->name, RL_TMP_PREFIX, strlen(RL_TMP_PREFIX)) == 0)
		return tmp_owned(e, t, ls, m);
	return manifest_owns(m, link, e->text, t->dev, e->ino);
}

static const char *
entry_kind(const struct entry *e)
{
	switch (e->type) {
	case ENT_LINK:	return "a symlink renderlink did not make";
	case ENT_FILE:	return "a regular file";
	case ENT_DIR:	return "a folder";
	default:	return "something other than a link";
	}
}

/* Why a wanted file cannot be linked, against the page that wants it. */
static void
report_unusable(struct problems *problems, const struct linkset *ls,
    const struct want *w, const struct file_scan *f)
{
	struct strbuf link = STRBUF_INIT, target = STRBUF_INIT;

	link_path(&link, ls, ref_basename(w->ref));
	strbuf_puts(&target, ls->source);
	strbuf_joinpath(&target, w->ref);
	switch (f->state) {
	case FILE_ESCAPES:
		problems_add(problems, SEV_ERROR, "invalid-reference", w->page,
		    link.buf, "reference '%s' leads outside the media root %s "
		    "(%s); nothing linked", w->ref, ls->source, f->why);
		break;
	case FILE_NOT_FILE:
		problems_add(problems, SEV_ERROR, "missing-source", w->page,
		    link.buf, "'%s' is not a regular file; nothing linked",
		    target.buf);
		break;
	case FILE_UNREADABLE:
		problems_add(problems, SEV_ERROR, "source-unavailable",
		    w->page, link.buf, "'%s' cannot be checked: %s; a link "
		    "already there is kept", target.buf, f->why);
		break;
	default:
		problems_add(problems, SEV_ERROR, "missing-source", w->page,
		    link.buf, "'%s' does not exist%s%s; nothing linked%s%s%s",
		    target.buf, f->why ? ": " : "", f->why ? f->why : "",
		    f->suggest ? "; did you mean '" : "",
		    f->suggest ? f->suggest : "", f->suggest ? "'?" : "");
		break;
	}
	strbuf_free(&link);
	strbuf_free(&target);
}

/* How a want stands, by its place among its set's wants sorted by name. */
#define W_FIRST		0x1	/* the first want of its link name */
#define W_BLOCKED	0x2	/* (on the first) different files for the
				   name: duplicate-name, nobody gets it */

/*
 * One set's usable wants, sorted by link name: idx holds want indices,
 * mark (one byte a place) where each name starts.  No record per name:
 * 100,000 of them are what this must stay small for.
 */
struct wanted {
	size_t		*idx;
	unsigned char	*mark;
	size_t		 n;
};

/* The place where the name after the one at place i starts. */
static size_t
wanted_next(const struct wanted *wd, size_t i)
{
	while (++i < wd->n && !(wd->mark[i] & W_FIRST))
		;
	return i;
}

/*
 * Groups one set's wants by link name.  Only files that are really there
 * compete for a name: a missing or escaping one is reported against its
 * page and takes no part (so a hostile reference cannot block a good one
 * by naming an outside file of the same name).
 */
static void
collect_wanted(struct wanted *out, struct problems *problems,
    const struct linkset *ls, size_t set, const struct wantlist *w,
    const struct scan *scan)
{
	struct strbuf sb = STRBUF_INIT, link = STRBUF_INIT;
	size_t *idx, n = 0, i, j, k;
	const struct want *prev = NULL;
	unsigned char *mark;

	idx = xcalloc(w->n, sizeof(*idx));
	for (i = 0; i < w->n; i++)
		if (w->v[i].set == set)
			idx[n++] = i;
	cmp_wants = w;
	qsort(idx, n, sizeof(*idx), by_name);
	for (i = j = 0; i < n; i++) {
		const struct want *x = &w->v[idx[i]];

		if (scan->files[idx[i]].state == FILE_OK) {
			idx[j++] = idx[i];
			continue;
		}
		if (prev == NULL || strcmp(prev->ref, x->ref) ||
		    strcmp(prev->page, x->page))
			report_unusable(problems, ls, x, &scan->files[idx[i]]);
		prev = x;
	}
	n = j;

	mark = xcalloc(n, sizeof(*mark));
	for (i = 0; i < n; i = j) {
		const struct want *first = &w->v[idx[i]];
		const char *name = ref_basename(first->ref);
		bool dup = false;

		for (j = i + 1; j < n && strcmp(ref_basename(w->v[idx[j]].ref),
		    name) == 0; j++)
			dup |= strcmp(w->v[idx[j]].ref, first->ref) != 0;
		mark[i] = W_FIRST;
		if (!dup)
			continue;

		/* Different files for one name: nobody gets it. */
		mark[i] |= W_BLOCKED;
		strbuf_reset(&sb);
		for (k = i; k < j; k++)
			strbuf_printf(&sb, "%s'%s' (%s)", k > i ? ", " : "",
			    w->v[idx[k]].ref, w->v[idx[k]].page);
		link_path(&link, ls, name);
		problems_add(problems, SEV_ERROR, "duplicate-name",
		    first->page, link.buf, "several files would take the link "
		    "name '%s' in %s: %s; rename one of the renders", name,
		    ls->target, sb.buf);
	}
	strbuf_free(&sb);
	strbuf_free(&link);
	out->idx = idx;
	out->mark = mark;
	out->n = n;
}

/*
 * A set's wanted names and the entries of its target folder, walked
 * together in name order (both are sorted), as a merge: each step is a
 * wanted name (*at: its place; SIZE_MAX for none) with the entry of
 * that name (*e; NULL for none), or an entry no name wants.  No lookup
 * per name, and the actions come out sorted.
 */
struct walk {
	const struct wanted *wd;
	const struct wantlist *w;
	const struct target_scan *t;
	size_t	 i, k;
};

static bool
walk_next(struct walk *wk, size_t *at, const struct entry **e)
{
	int c;

	if (wk->i == wk->wd->n && wk->k == wk->t->n)
		return false;
	if (wk->i == wk->wd->n)
		c = 1;
	else if (wk->k == wk->t->n)
		c = -1;
	else
		c = strcmp(ref_basename(wk->w->v[wk->wd->idx[wk->i]].ref),
		    wk->t->v[wk->k].name);
	*e = c >= 0 ? &wk->t->v[wk->k++] : NULL;
	*at = c <= 0 ? wk->i : SIZE_MAX;
	if (c <= 0)
		wk->i = wanted_next(wk->wd, wk->i);
	return true;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A name that is wanted (first: its first want), with what is there by
 * that name (e; NULL: nothing).  The text wanted is put together in a
 * buffer: a keep, nearly every link of a run, borrows the scan's equal
 * text, so only a create or a replace makes a string of its own.
 */
static void
plan_wanted(struct plan *p, struct problems *problems, size_t set,
    const struct linkset *ls, const struct target_scan *t,
    const struct manifest *m, const struct want *first,
    const struct entry *e, struct strbuf *link, struct strbuf *target)
{
	const char *name = ref_basename(first->ref);

	link_path(link, ls, name);
	strbuf_set(target, ls->source);
	strbuf_joinpath(target, first->ref);
	if (e && !plan_owned(e, t, ls, m, link->buf)) {
		problems_add(problems, SEV_ERROR, "conflict", first->page,
		    link->buf, "'%s' is %s; renderlink leaves it alone (move "
		    "it away to let renderlink link '%s')", link->buf,
		    entry_kind(e), target->buf);
		return;
	}
	if (e == NULL)
		add_action(p, OP_CREATE, set, ls, link, name,
		    pool_add(p, target->buf, target->len), NULL);
	else if (strcmp(e->text, target->buf) == 0)
		add_action(p, OP_KEEP, set, ls, link, name, e->text, NULL);
	else
		add_action(p, OP_REPLACE, set, ls, link, name,
		    pool_add(p, target->buf, target->len), e->text);
}

static void
plan_set(struct plan *p, struct problems *problems, const struct config *cfg,
    size_t set, const struct wantlist *w, const struct scan *scan,
    unsigned flags)
{
	const struct linkset *ls = &cfg->sets[set];
	const struct target_scan *t = &scan->targets[set];
	const struct source_scan *src = &scan->sources[set];
	struct strbuf link = STRBUF_INIT, target = STRBUF_INIT;
	struct wanted wd = { 0 };
	struct walk wk = { &wd, w, t, 0, 0 };
	const struct entry *e;
	const char **keep = NULL;
	size_t i, at, nrefs = 0, nkeep = 0, akeep = 0, most = 0;

	for (i = 0; i < w->n; i++)
		nrefs += w->v[i].set == set;
	if (t->state == TARGET_UNSAFE) {
		problems_add(problems, SEV_ERROR, "unsafe-target", NULL,
		    ls->target, "link set '%s': target folder %s; nothing done "
		    "for this set", ls->name, t->why);
		return;
	}
	/*
	 * Cleaning wants nothing, so it needs nothing from the drive: what
	 * is ours is known from the target folder and the manifest alone.
	 */
	if (!src->available && !(flags & PLAN_CLEAN)) {
		problems_add(problems, (flags & PLAN_SOURCES_OPTIONAL) ?
		    SEV_WARNING : SEV_ERROR,
		    "source-unavailable", NULL, ls->target, "link set '%s': "
		    "media root %s is not available (%s); %zu reference%s not "
		    "checked, existing links kept", ls->name, ls->source,
		    src->why, nrefs, nrefs == 1 ? "" : "s");
		return;
	}

	if (!(flags & PLAN_CLEAN))
		collect_wanted(&wd, problems, ls, set, w, scan);

	/* A link whose render could not be checked (its folder cannot be
	 * read) stays as it is: it may well be right. */
	for (i = 0; i < w->n && !(flags & PLAN_CLEAN); i++)
		if (w->v[i].set == set &&
		    scan->files[i].state == FILE_UNREADABLE) {
			ALLOC_GROW(keep, nkeep + 1, akeep);
			keep[nkeep++] = ref_basename(w->v[i].ref);
		}
	if (nkeep)
		qsort(keep, nkeep, sizeof(*keep), str_cmp);

	/* At most one action a step: room for them all, once. */
	while (walk_next(&wk, &at, &e))
		most++;
	plan_reserve(p, most);
	wk.i = wk.k = 0;
	while (walk_next(&wk, &at, &e)) {
		if (at != SIZE_MAX) {
			if (!(wd.mark[at] & W_BLOCKED))
				plan_wanted(p, problems, set, ls, t,
				    &scan->manifest, &w->v[wd.idx[at]], e,
				    &link, &target);
			continue;
		}
		/* There but no longer wanted: ours goes, the rest stays. */
		if (nkeep && bsearch(&e->name, keep, nkeep, sizeof(*keep),
		    str_cmp))
			continue;
		link_path(&link, ls, e->name);
		if (plan_owned(e, t, ls, &scan->manifest, link.buf))
			add_action(p, OP_REMOVE, set, ls, &link, e->name, NULL,
			    e->text);
	}
	free(wd.idx);
	free(wd.mark);
	free(keep);
	strbuf_free(&link);
	strbuf_free(&target);
}

void
plan_build(struct plan *out, struct problems *problems,
    const struct config *cfg, const struct wantlist *wants,
    const struct scan *scan, unsigned flags)
{
	size_t set;

	/* Each set's actions come out in name order, the sets in order:
	 * the plan is sorted as it is made. */
	memset(out, 0, sizeof(*out));
	for (set = 0; set < cfg->nsets; set++)
		plan_set(out, problems, cfg, set, wants, scan, flags);
}

void
plan_free(struct plan *p)
{
	size_t i;

	if (p->pool) {
		for (i = 0; i < p->pool->n; i++)
			free(p->pool->blocks[i]);
		free(p->pool->blocks);
		free(p->pool);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

bool
plan_has_work(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].op != OP_KEEP)
			return true;
	return false;
}
