/*
 * builtin/status.c - `renderlink status`: per link set, what is linked,
 * what a sync would change, and which renders no page references.
 *
 * It runs the sync pipeline as `sync -n` does (the index refreshed in
 * memory only, the plug-ins told it is a dry run) and never writes: no
 * index, no manifest, no plug-in data.  The takes left out come from the
 * media folders the scanner already listed for the references (scan.h,
 * struct media_listing): a file there with one of the set's extensions
 * that no counted page names.  So status reads exactly what a sync
 * reads - one open and one listing per referenced media folder, no stat
 * per render - which t0570-status.sh checks with strace.  Folders no
 * page points into are not read, so their takes are not listed either;
 * a take that only a draft (or another page Jekyll does not render)
 * names is left out, since it will not be published.
 *
 * Text, per set: a heading line and a line of counts,
 *
 *   set mp3s: links in songs/mp3s to renders in /mnt/e/media/songs
 *     3 linked, 1 to add, 0 to replace, 1 to remove, 0 conflicts, 5 left out
 *
 * and with -v one line per name ("  linked: LINK", "  add: LINK -> TARGET",
 * "  replace: LINK -> TARGET", "  remove: LINK", "  conflict: LINK",
 * "  left out: REFERENCE").  Problems go to stderr as for sync.  With
 * --format json, one document:
 *
 *   {"sets": [{"name", "target", "source", "available",
 *              "counts": {"linked", "add", "replace", "remove",
 *                         "conflicts", "left_out"},
 *              "linked": [{"link", "target"}], "add": [{"link", "target"}],
 *              "replace": [{"link", "target", "was"}],
 *              "remove": [{"link", "target"}],
 *              "conflicts": [{"link", "page", "message"}],
 *              "left_out": ["REFERENCE", ...]}],
 *    "problems": [{"severity", "code", "page", "link", "message", "line"}],
 *    "summary": {"errors", "warnings"}}
 *
 * A left-out is named as a page would reference it (relative to the
 * set's source).  When the media root is not there, "available" is
 * false, "linked" lists the links renderlink owns in the target folder
 * (kept, not checked), and "left_out" and its count are null.
 *
 * Exit: 0, or 1 when errors were reported (as check); 2 on bad usage,
 * config or index, or an unknown --set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cmd.h"
#include "config.h"
#include "fsutil.h"
#include "index.h"
#include "pipeline.h"
#include "problem.h"
#include "progress.h"
#include "publish.h"
#include "refcheck.h"
#include "report.h"
#include "strbuf.h"
#include "util.h"

static const char *const status_usage[] = {
	"renderlink status [--set <name>] [--drafts] [--unpublished] "
	    "[--future] [<global options>]",
	NULL
};

/* One set's answer, pointing into the plan, problems and scan. */
struct set_status {
	const struct linkset *ls;
	size_t		 set;
	bool		 available;
	const struct action **linked, **add, **replace, **remove;
	size_t		 nlinked, nadd, nreplace, nremove;
	/* kept links when the media root is not there (no plan for them) */
	char		**kept, **kept_text;
	size_t		 nkept;
	const struct problem **conflicts;
	size_t		 nconflicts;
	char		**left_out;	/* references, sorted */
	size_t		 nleft;
};

/*
 * The set a problem is about: the one whose target folder holds its
 * link (the deepest, should one target lie inside another), or -1.
 */
static long
problem_set(const struct config *cfg, const struct problem *p)
{
	size_t i, best = 0;
	long set = -1;

	if (p->link == NULL)
		return -1;
	for (i = 0; i < cfg->nsets; i++) {
		size_t n = strlen(cfg->sets[i].target);

		if (path_inside(p->link, cfg->sets[i].target) && n >= best) {
			best = n;
			set = (long)i;
		}
	}
	return set;
}

/* Appends x to the array v of n elements (grown one at a time: short). */
#define PUSH(v, n, x) do {						\
	(v) = xrealloc((v), ((n) + 1) * sizeof(*(v)));			\
	(v)[(n)++] = (x);						\
} while (0)

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
has_extension(const struct linkset *ls, const char *name)
{
	const char *ext = ref_extension(name);
	size_t i;

	for (i = 0; *ext && i < ls->nexts; i++)
		if (strcasecmp(ext, ls->exts[i]) == 0)
			return true;
	return false;
}

/*
 * The renders in the listed media folders of a set that no want of the
 * set names: listing names with one of its extensions, as references.
 */
static void
find_left_out(struct set_status *st, const struct source_scan *src,
    const struct wantlist *good)
{
	struct strbuf ref = STRBUF_INIT;
	char **wanted = NULL, *key;
	size_t nw = 0, i, j;

	for (i = 0; i < good->n; i++)
		if (good->v[i].set == st->set)
			PUSH(wanted, nw, good->v[i].ref);
	if (nw)
		qsort(wanted, nw, sizeof(*wanted), str_cmp);
	for (i = 0; i < src->nlistings; i++) {
		const struct media_listing *l = &src->listings[i];

		for (j = 0; j < l->n; j++) {
			if (!has_extension(st->ls, l->names[j]))
				continue;
			strbuf_set(&ref, l->dir);
			strbuf_joinpath(&ref, l->names[j]);
			key = ref.buf;
			if (nw && bsearch(&key, wanted, nw, sizeof(*wanted),
			    str_cmp))
				continue;
			PUSH(st->left_out, st->nleft,
			    xstrdup(ref.buf));
		}
	}
	if (st->nleft)
		qsort(st->left_out, st->nleft, sizeof(*st->left_out),
		    str_cmp);
	free(wanted);
	strbuf_free(&ref);
}

/*
 * With the media root away nothing is planned for the set: the links
 * renderlink owns there are kept as they are.  Ownership as the planner
 * has it (plan.h): a link whose text lies below the root, or the one
 * the manifest recorded.
 */
static void
find_kept(struct set_status *st, const struct target_scan *t,
    const struct manifest *m)
{
	struct strbuf link = STRBUF_INIT;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct entry *e = &t->v[i];

		if (e->type != ENT_LINK || strncmp(e->name, RL_TMP_PREFIX,
		    strlen(RL_TMP_PREFIX)) == 0)
			continue;
		strbuf_set(&link, st->ls->target);
		strbuf_joinpath(&link, e->name);
		if (!plan_owned(e, t, st->ls, m, link.buf))
			continue;
		PUSH(st->kept, st->nkept,
		    xstrdup(link.buf));
		st->kept_text = xrealloc(st->kept_text,
		    st->nkept * sizeof(*st->kept_text));
		st->kept_text[st->nkept - 1] = xstrdup(e->text);
	}
	strbuf_free(&link);
}

static void
gather(struct set_status *st, size_t set, const struct config *cfg,
    const struct pipeline *pl, const struct problems *problems)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->set = set;
	st->ls = &cfg->sets[set];
	st->available = pl->scan.sources[set].available;
	for (i = 0; i < pl->plan.n; i++) {
		const struct action *a = &pl->plan.v[i];

		if (a->set != set)
			continue;
		switch (a->op) {
		case OP_KEEP:
			PUSH(st->linked, st->nlinked, a);
			break;
		case OP_CREATE:
			PUSH(st->add, st->nadd, a);
			break;
		case OP_REPLACE:
			PUSH(st->replace, st->nreplace, a);
			break;
		case OP_REMOVE:
			PUSH(st->remove, st->nremove, a);
			break;
		}
	}
	for (i = 0; i < problems->n; i++)
		if (strcmp(problems->v[i].code, "conflict") == 0 &&
		    problem_set(cfg, &problems->v[i]) == (long)set)
			PUSH(st->conflicts, st->nconflicts,
			    &problems->v[i]);
	if (st->available)
		find_left_out(st, &pl->scan.sources[set], &pl->good);
	else if (pl->scan.targets[set].state != TARGET_UNSAFE)
		find_kept(st, &pl->scan.targets[set], &pl->scan.manifest);
}

static void
set_status_free(struct set_status *st)
{
	size_t i;

	for (i = 0; i < st->nleft; i++)
		free(st->left_out[i]);
	for (i = 0; i < st->nkept; i++) {
		free(st->kept[i]);
		free(st->kept_text[i]);
	}
	free(st->left_out);
	free(st->kept);
	free(st->kept_text);
	free(st->linked);
	free(st->add);
	free(st->replace);
	free(st->remove);
	free(st->conflicts);
}

static size_t
nlinked(const struct set_status *st)
{
	return st->available ? st->nlinked : st->nkept;
}

static void
print_set_text(const struct set_status *st, int verbose)
{
	size_t i;

	printf("set %s: links in %s to renders in %s%s\n", st->ls->name,
	    st->ls->target, st->ls->source, st->available ? "" :
	    " (not there: nothing checked, links kept)");
	printf("  %zu linked, %zu to add, %zu to replace, %zu to remove, "
	    "%zu conflict%s, ", nlinked(st), st->nadd, st->nreplace,
	    st->nremove, st->nconflicts, st->nconflicts == 1 ? "" : "s");
	if (st->available)
		printf("%zu left out\n", st->nleft);
	else
		printf("left out unknown\n");
	if (!verbose)
		return;
	for (i = 0; i < st->nlinked; i++)
		printf("  linked: %s\n", st->linked[i]->link);
	for (i = 0; i < st->nkept; i++)
		printf("  linked: %s\n", st->kept[i]);
	for (i = 0; i < st->nadd; i++)
		printf("  add: %s -> %s\n", st->add[i]->link,
		    st->add[i]->target);
	for (i = 0; i < st->nreplace; i++)
		printf("  replace: %s -> %s\n", st->replace[i]->link,
		    st->replace[i]->target);
	for (i = 0; i < st->nremove; i++)
		printf("  remove: %s\n", st->remove[i]->link);
	for (i = 0; i < st->nconflicts; i++)
		printf("  conflict: %s\n", st->conflicts[i]->link);
	for (i = 0; i < st->nleft; i++)
		printf("  left out: %s\n", st->left_out[i]);
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
actions_json(const struct action *const *v, size_t n, bool was)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < n; i++) {
		o = json_pack("{s:s, s:s}", "link", v[i]->link, "target",
		    v[i]->op == OP_REMOVE ? v[i]->expect : v[i]->target);
		if (was)
			json_object_set_new(o, "was",
			    str_or_null(v[i]->expect));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
set_json(const struct set_status *st)
{
	json_t *linked, *conflicts = json_array(), *left = json_null(), *o;
	size_t i;

	if (st->available)
		linked = actions_json(st->linked, st->nlinked, false);
	else {
		linked = json_array();
		for (i = 0; i < st->nkept; i++)
			json_array_append_new(linked, json_pack("{s:s, s:s}",
			    "link", st->kept[i], "target", st->kept_text[i]));
	}
	for (i = 0; i < st->nconflicts; i++)
		json_array_append_new(conflicts, json_pack("{s:s, s:o, s:s}",
		    "link", st->conflicts[i]->link, "page",
		    str_or_null(st->conflicts[i]->page), "message",
		    st->conflicts[i]->message));
	if (st->available) {
		left = json_array();
		for (i = 0; i < st->nleft; i++)
			json_array_append_new(left,
			    json_string(st->left_out[i]));
	}
	o = json_pack("{s:s, s:s, s:s, s:b, s:{s:I, s:I, s:I, s:I, s:I, "
	    "s:o}}", "name", st->ls->name, "target", st->ls->target,
	    "source", st->ls->source, "available", st->available, "counts",
	    "linked", (json_int_t)nlinked(st), "add", (json_int_t)st->nadd,
	    "replace", (json_int_t)st->nreplace,
	    "remove", (json_int_t)st->nremove,
	    "conflicts", (json_int_t)st->nconflicts,
	    "left_out", st->available ? json_integer((json_int_t)st->nleft) :
	    json_null());
	json_object_set_new(o, "linked", linked);
	json_object_set_new(o, "add", actions_json(st->add, st->nadd, false));
	json_object_set_new(o, "replace", actions_json(st->replace,
	    st->nreplace, true));
	json_object_set_new(o, "remove", actions_json(st->remove,
	    st->nremove, false));
	json_object_set_new(o, "conflicts", conflicts);
	json_object_set_new(o, "left_out", left);
	return o;
}

static void
print_json(const struct set_status *sts, size_t n,
    const struct problems *problems)
{
	json_t *sets = json_array(), *probs = json_array(), *root;
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(sets, set_json(&sts[i]));
	for (i = 0; i < problems->n; i++) {
		const struct problem *p = &problems->v[i];

		json_array_append_new(probs, json_pack(
		    "{s:s, s:s, s:o, s:o, s:s, s:o}",
		    "severity", p->severity == SEV_ERROR ? "error" : "warning",
		    "code", p->code, "page", str_or_null(p->page),
		    "link", str_or_null(p->link), "message", p->message,
		    "line", p->line ? json_integer((json_int_t)p->line) :
		    json_null()));
	}
	root = json_pack("{s:o, s:o, s:{s:I, s:I}}", "sets", sets,
	    "problems", probs, "summary",
	    "errors", (json_int_t)problems_count(problems, SEV_ERROR),
	    "warnings", (json_int_t)problems_count(problems, SEV_WARNING));
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putc('\n', stdout);
	fflush(stdout);
	json_decref(root);
}

/*
 * With --set, the problems about other sets are left out; those about
 * no set in particular (a page's front matter, safe mode...) stay.
 */
static void
filter_problems(struct problems *out, const struct problems *in,
    const struct config *cfg, long only)
{
	size_t i;
	long s;

	for (i = 0; i < in->n; i++) {
		const struct problem *p = &in->v[i];

		s = problem_set(cfg, p);
		if (only >= 0 && s >= 0 && s != only)
			continue;
		problems_add(out, p->severity, p->code, p->page, p->link,
		    "%s", p->message);
		if (p->line)
			problems_locate(out, p->line, p->col);
	}
}

static long
find_set(const struct config *cfg, const char *name)
{
	struct strbuf names = STRBUF_INIT;
	size_t i;

	for (i = 0; i < cfg->nsets; i++)
		if (strcmp(cfg->sets[i].name, name) == 0)
			return (long)i;
	for (i = 0; i < cfg->nsets; i++)
		strbuf_printf(&names, "%s%s", i ? ", " : "",
		    cfg->sets[i].name);
	warnx_("--set: the site has no link set '%s' (%s%s)", name,
	    cfg->nsets ? "its sets: " : "it has none", names.buf);
	strbuf_free(&names);
	return -1;
}

int
cmd_status(int argc, char **argv)
{
	const char *only_name = NULL;
	struct publish_flags pf = { 0 };
	struct pipeline_opts po = { 0 };
	struct report_opts ro = { 0 };
	struct problems problems = { 0 }, shown = { 0 };
	struct set_status *sts = NULL;
	struct docindex *idx = NULL;
	struct pipeline pl = { 0 };
	struct plan none = { 0 };
	struct site site;
	char *prefix = NULL;
	size_t i, n = 0;
	long only = -1;
	int code;
	const struct option opts[] = {
		OPT_STRING(0, "set", &only_name, "name",
		    "only this link set"),
		OPT_PUBLISH(pf),
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, status_usage, 0);
	if (argc > 0) {
		warnx_("status takes no arguments ('%s')", argv[1]);
		usage_with_options(status_usage, opts, EXIT_USAGE);
	}
	ro.format = global_format();
	ro.quiet = 1;		/* the reporter prints the problems only */
	ro.dry_run = true;
	progress_enable(ro.format == FORMAT_TEXT && !gopt.quiet);

	if ((code = site_open(&site)) != 0)
		return code;
	if (only_name && (only = find_set(site.cfg, only_name)) < 0) {
		site_close(&site);
		return EXIT_USAGE;
	}
	if (ro.format == FORMAT_GITHUB)
		ro.repo_prefix = prefix = site_repo_prefix(&site);
	/* Shared, as sync -n: a running sync finishes first. */
	if ((code = site_lock(&site, false, 30)) != 0)
		goto out;
	po.flags = &pf;
	po.sources_optional = true;
	po.dry_run = true;
	po.listings = true;
	po.verbose = gopt.verbose;
	if (pipeline_index(&idx, &problems, &site, true, NULL) < 0 ||
	    pipeline_plan(&pl, &problems, &site, &idx, NULL, &po) < 0) {
		warnx_("%s", rl_error_last());
		code = EXIT_USAGE;
		goto out;
	}
	filter_problems(&shown, &problems, site.cfg, only);
	sts = xcalloc(site.cfg->nsets + 1, sizeof(*sts));
	for (i = 0; i < site.cfg->nsets; i++)
		if (only < 0 || (long)i == only)
			gather(&sts[n++], i, site.cfg, &pl, &shown);
	progress_end();
	if (ro.format == FORMAT_JSON)
		print_json(sts, n, &shown);
	else {
		for (i = 0; i < n && !gopt.quiet; i++)
			print_set_text(&sts[i], gopt.verbose);
		fflush(stdout);
		report_print(&none, &shown, &ro);
	}
	code = problems_count(&shown, SEV_ERROR) ? EXIT_PROBLEMS : 0;
out:
	for (i = 0; i < n; i++)
		set_status_free(&sts[i]);
	free(sts);
	pipeline_free(&pl);
	problems_free(&problems);
	problems_free(&shown);
	docindex_free(idx);
	free(prefix);
	site_close(&site);
	return code;
}
