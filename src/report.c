/*
 * report.c - text and JSON output; see report.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "plan.h"
#include "problem.h"
#include "report.h"
#include "util.h"

#define C_RED	"\033[31m"
#define C_GREEN	"\033[32m"
#define C_YEL	"\033[33m"
#define C_DIM	"\033[2m"
#define C_OFF	"\033[m"

int
format_parse(enum format *out, const char *s)
{
	if (strcmp(s, "text") == 0)
		*out = FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = FORMAT_JSON;
	else
		return -1;
	return 0;
}

static bool
use_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	return (nc == NULL || *nc == '\0') && isatty(fileno(f));
}

/* Whether an action is reported: done, or planned in a dry run. */
static bool
counts(const struct action *a, bool dry_run)
{
	return a->op == OP_KEEP || dry_run || a->done;
}

void
summary_count(struct summary *s, const struct plan *plan,
    const struct problems *problems, bool dry_run)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < plan->n; i++) {
		const struct action *a = &plan->v[i];

		if (!counts(a, dry_run))
			continue;
		switch (a->op) {
		case OP_CREATE:		s->created++; break;
		case OP_REPLACE:	s->replaced++; break;
		case OP_REMOVE:		s->removed++; break;
		case OP_KEEP:		s->unchanged++; break;
		}
	}
	s->errors = problems_count(problems, SEV_ERROR);
	s->warnings = problems_count(problems, SEV_WARNING);
}

static void
print_text(const struct plan *plan, const struct problems *problems,
    const struct report_opts *o, const struct summary *s)
{
	bool c1 = use_colour(stdout), c2 = use_colour(stderr);
	static const char *const colour[] = {
		[OP_CREATE] = C_GREEN, [OP_REPLACE] = C_YEL,
		[OP_REMOVE] = C_RED, [OP_KEEP] = C_DIM,
	};
	size_t i;

	for (i = 0; i < plan->n && !o->quiet; i++) {
		const struct action *a = &plan->v[i];

		if (!counts(a, o->dry_run) || (a->op == OP_KEEP && !o->verbose))
			continue;
		printf("%s%s%s %s", c1 ? colour[a->op] : "", op_name(a->op),
		    c1 ? C_OFF : "", a->link);
		if (a->op == OP_CREATE || a->op == OP_REPLACE)
			printf(" -> %s", a->target);
		putchar('\n');
	}
	fflush(stdout);
	for (i = 0; i < problems->n; i++) {
		const struct problem *p = &problems->v[i];
		bool err = p->severity == SEV_ERROR;

		fprintf(stderr, "%s%s%s: ", c2 ? (err ? C_RED : C_YEL) : "",
		    err ? "error" : "warning", c2 ? C_OFF : "");
		if (p->page)
			fprintf(stderr, "%s: ", p->page);
		fprintf(stderr, "%s (%s)\n", p->message, p->code);
	}
	if (o->verbose)
		fprintf(stderr, "summary: %zu created, %zu replaced, %zu "
		    "removed, %zu unchanged, %zu errors, %zu warnings%s\n",
		    s->created, s->replaced, s->removed, s->unchanged,
		    s->errors, s->warnings, o->dry_run ? " (dry run)" : "");
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void
print_json(const struct plan *plan, const struct problems *problems,
    const struct report_opts *o, const struct summary *s)
{
	json_t *actions = json_array(), *probs = json_array(), *root;
	size_t i;

	for (i = 0; i < plan->n; i++) {
		const struct action *a = &plan->v[i];

		if (a->op == OP_KEEP || !counts(a, o->dry_run))
			continue;
		json_array_append_new(actions, json_pack("{s:s, s:s, s:s, s:o}",
		    "op", op_name(a->op), "set", a->setname, "link", a->link,
		    "target", str_or_null(a->op == OP_REMOVE ? a->expect :
		    a->target)));
	}
	for (i = 0; i < problems->n; i++) {
		const struct problem *p = &problems->v[i];

		json_array_append_new(probs, json_pack(
		    "{s:s, s:s, s:o, s:o, s:s}",
		    "severity", p->severity == SEV_ERROR ? "error" : "warning",
		    "code", p->code, "page", str_or_null(p->page),
		    "link", str_or_null(p->link), "message", p->message));
	}
	root = json_pack("{s:b, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}}",
	    "dry_run", o->dry_run, "actions", actions, "problems", probs,
	    "summary", "created", (json_int_t)s->created,
	    "replaced", (json_int_t)s->replaced,
	    "removed", (json_int_t)s->removed,
	    "unchanged", (json_int_t)s->unchanged,
	    "errors", (json_int_t)s->errors,
	    "warnings", (json_int_t)s->warnings);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	fflush(stdout);
	json_decref(root);
}

void
report_print(const struct plan *plan, const struct problems *problems,
    const struct report_opts *opts)
{
	struct summary s;

	summary_count(&s, plan, problems, opts->dry_run);
	if (opts->format == FORMAT_JSON)
		print_json(plan, problems, opts, &s);
	else
		print_text(plan, problems, opts, &s);
}
