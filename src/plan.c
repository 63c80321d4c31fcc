/*
 * plan.c - the planner: wanted links + what is there = actions; see
 * plan.h for the rules.
 */
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

/* One link name wanted in a set, with every want that asks for it. */
struct wanted {
	const char	*name;
	size_t		*idx;		/* want indices */
	size_t		 n;
	char		*target;	/* link text */
	bool		 blocked;	/* duplicate-name: leave the name alone */
};

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

static void
add_action(struct plan *p, enum op op, size_t set, const struct linkset *ls,
    const char *name, char **target, const char *expect)
{
	struct strbuf link = STRBUF_INIT;
	struct action *a;

	link_path(&link, ls, name);
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	a = &p->v[p->n++];
	a->op = op;
	a->set = set;
	a->setname = ls->name;
	/* One exact-size string per action: the name is the link's tail. */
	a->link = xstrndup(link.buf, link.len);
	a->name = a->link + link.len - strlen(name);
	strbuf_free(&link);
	/* The wanted text moves into the action: no second copy per link
	 * (100,000 links are what this must stay small for). */
	a->target = target ? *target : NULL;
	if (target)
		*target = NULL;
	a->expect = expect ? xstrdup(expect) : NULL;
	a->done = false;
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

/*
 * Groups one set's wants by link name.  Only files that are really there
 * compete for a name: a missing or escaping one is reported against its
 * page and takes no part (so a hostile reference cannot block a good one
 * by naming an outside file of the same name).
 */
static size_t
collect_wanted(struct wanted **out, struct problems *problems,
    const struct linkset *ls, size_t set, const struct wantlist *w,
    const struct scan *scan, size_t **idxp)
{
	struct strbuf sb = STRBUF_INIT, link = STRBUF_INIT;
	size_t *idx, n = 0, i, j, k, nd = 0;
	const struct want *prev = NULL;
	struct wanted *v;

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

	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i = j) {
		struct wanted *d = &v[nd++];
		const struct want *first = &w->v[idx[i]];

		d->name = ref_basename(first->ref);
		d->idx = idx + i;
		for (j = i; j < n && strcmp(ref_basename(w->v[idx[j]].ref),
		    d->name) == 0; j++)
			d->n++;

		/* Different files for one name: nobody gets it. */
		for (k = 1; k < d->n; k++)
			if (strcmp(w->v[d->idx[k]].ref, first->ref) != 0)
				break;
		if (k < d->n) {
			d->blocked = true;
			strbuf_reset(&sb);
			for (k = 0; k < d->n; k++)
				strbuf_printf(&sb, "%s'%s' (%s)", k ? ", " : "",
				    w->v[d->idx[k]].ref, w->v[d->idx[k]].page);
			link_path(&link, ls, d->name);
			problems_add(problems, SEV_ERROR, "duplicate-name",
			    first->page, link.buf, "several files would take "
			    "the link name '%s' in %s: %s; rename one of the "
			    "renders", d->name, ls->target, sb.buf);
			continue;
		}
		strbuf_reset(&sb);
		strbuf_puts(&sb, ls->source);
		strbuf_joinpath(&sb, first->ref);
		d->target = xstrdup(sb.buf);
	}
	strbuf_free(&sb);
	strbuf_free(&link);
	*out = v;
	*idxp = idx;
	return nd;
}

static int
wanted_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wanted *)a)->name,
	    ((const struct wanted *)b)->name);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
plan_set(struct plan *p, struct problems *problems, const struct config *cfg,
    size_t set, const struct wantlist *w, const struct scan *scan,
    unsigned flags)
{
	const struct linkset *ls = &cfg->sets[set];
	const struct target_scan *t = &scan->targets[set];
	const struct source_scan *src = &scan->sources[set];
	struct strbuf link = STRBUF_INIT;
	struct wanted *v = NULL, key;
	const char **keep = NULL;
	size_t *idx = NULL, nd = 0, i, nrefs = 0, nkeep = 0, akeep = 0;

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
		nd = collect_wanted(&v, problems, ls, set, w, scan, &idx);
	/* Room for every action at once: at most one per name. */
	ALLOC_GROW(p->v, p->n + nd + t->n, p->alloc);
	for (i = 0; i < nd; i++) {
		struct wanted *d = &v[i];
		const struct entry *e = target_find(t, d->name);

		if (d->blocked)
			continue;
		link_path(&link, ls, d->name);
		if (e && !plan_owned(e, t, ls, &scan->manifest, link.buf)) {
			problems_add(problems, SEV_ERROR, "conflict",
			    w->v[d->idx[0]].page, link.buf, "'%s' is %s; "
			    "renderlink leaves it alone (move it away to let "
			    "renderlink link '%s')", link.buf, entry_kind(e),
			    d->target);
			continue;
		}
		if (e == NULL)
			add_action(p, OP_CREATE, set, ls, d->name, &d->target,
			    NULL);
		else if (strcmp(e->text, d->target) == 0)
			add_action(p, OP_KEEP, set, ls, d->name, &d->target,
			    NULL);
		else
			add_action(p, OP_REPLACE, set, ls, d->name, &d->target,
			    e->text);
	}

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

	/* What is there but no longer wanted: ours goes, the rest stays. */
	for (i = 0; i < t->n; i++) {
		const struct entry *e = &t->v[i];

		key.name = e->name;
		if (nd && bsearch(&key, v, nd, sizeof(key), wanted_cmp))
			continue;
		if (nkeep && bsearch(&e->name, keep, nkeep, sizeof(*keep),
		    str_cmp))
			continue;
		link_path(&link, ls, e->name);
		if (plan_owned(e, t, ls, &scan->manifest, link.buf))
			add_action(p, OP_REMOVE, set, ls, e->name, NULL,
			    e->text);
	}
	for (i = 0; i < nd; i++)
		free(v[i].target);
	free(v);
	free(keep);
	free(idx);
	strbuf_free(&link);
}

static int
action_cmp(const void *a, const void *b)
{
	const struct action *x = a, *y = b;

	if (x->set != y->set)
		return x->set < y->set ? -1 : 1;
	return strcmp(x->name, y->name);
}

void
plan_build(struct plan *out, struct problems *problems,
    const struct config *cfg, const struct wantlist *wants,
    const struct scan *scan, unsigned flags)
{
	size_t set;

	memset(out, 0, sizeof(*out));
	for (set = 0; set < cfg->nsets; set++)
		plan_set(out, problems, cfg, set, wants, scan, flags);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), action_cmp);
}

void
plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].link);
		free(p->v[i].target);
		free(p->v[i].expect);
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
