/*
 * report.c - text, JSON and GitHub Actions output; see report.h.
 *
 * Every printer takes the streams it writes to, so the tests can read
 * back exactly what a user would see; report_print() hands it stdout and
 * stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "index.h"
#include "plan.h"
#include "problem.h"
#include "progress.h"
#include "publish.h"
#include "report.h"
#include "strbuf.h"
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
	else if (strcmp(s, "github") == 0)
		*out = FORMAT_GITHUB;
	else
		return -1;
	return 0;
}

enum format
format_default(void)
{
	const char *gh = getenv("GITHUB_ACTIONS");

	return gh != NULL && strcmp(gh, "true") == 0 ? FORMAT_GITHUB :
	    FORMAT_TEXT;
}

/*
 * How much of a string to escape: a plain line only needs CR and LF kept
 * from starting a line of their own (which the runner would read as a
 * command); a message also needs '%', which the runner decodes; a
 * property also ':' and ',', which end it.
 */
enum esc { ESC_LINE, ESC_MESSAGE, ESC_PROPERTY };

static void
escape(struct strbuf *out, const char *s, enum esc level)
{
	for (; *s != '\0'; s++) {
		if (*s == '\r')
			strbuf_puts(out, "%0D");
		else if (*s == '\n')
			strbuf_puts(out, "%0A");
		else if (*s == '%' && level >= ESC_MESSAGE)
			strbuf_puts(out, "%25");
		else if (*s == ':' && level >= ESC_PROPERTY)
			strbuf_puts(out, "%3A");
		else if (*s == ',' && level >= ESC_PROPERTY)
			strbuf_puts(out, "%2C");
		else if (((unsigned char)*s < 0x20 && *s != '\t') ||
		    *s == 0x7f)
			strbuf_printf(out, "\\x%02x", (unsigned char)*s);
		else
			strbuf_putc(out, *s);
	}
}

void
report_escape_message(struct strbuf *out, const char *s)
{
	escape(out, s, ESC_MESSAGE);
}

void
report_escape_property(struct strbuf *out, const char *s)
{
	escape(out, s, ESC_PROPERTY);
}

/* s with its control characters shown (strbuf_puts_visible), in sb. */
static const char *
shown(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	strbuf_puts_visible(sb, s);
	return sb->buf;
}

static bool
use_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	int fd = fileno(f);

	return (nc == NULL || *nc == '\0') && fd >= 0 && isatty(fd);
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
print_actions(FILE *out, const struct plan *plan, const struct report_opts *o,
    bool colour)
{
	static const char *const col[] = {
		[OP_CREATE] = C_GREEN, [OP_REPLACE] = C_YEL,
		[OP_REMOVE] = C_RED, [OP_KEEP] = C_DIM,
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < plan->n && !o->quiet; i++) {
		const struct action *a = &plan->v[i];

		if (!counts(a, o->dry_run) || (a->op == OP_KEEP && !o->verbose))
			continue;
		/* A dry run says what would happen, as `git clean -n` does. */
		fprintf(out, "%s%s%s%s %s", colour ? col[a->op] : "",
		    o->dry_run && a->op != OP_KEEP ? "would " : "",
		    op_name(a->op), colour ? C_OFF : "", shown(&sb, a->link));
		if (a->op == OP_CREATE || a->op == OP_REPLACE)
			fprintf(out, " -> %s", shown(&sb, a->target));
		putc('\n', out);
	}
	fflush(out);
	strbuf_free(&sb);
}

/* With -v, one line per page that makes no links, and why. */
static void
print_skipped(FILE *out, const struct report_opts *o)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (o->skipped == NULL || !o->verbose || o->quiet)
		return;
	for (i = 0; i < o->skipped->n; i++)
		fprintf(out, "skip %s (%s)\n",
		    shown(&sb, o->skipped->docs[i].path),
		    skip_reason_name(o->skipped->docs[i].skip));
	fflush(out);
	strbuf_free(&sb);
}

static void
print_summary(FILE *err, const struct report_opts *o, const struct summary *s)
{
	if (!o->verbose)
		return;
	fprintf(err, "summary: %zu created, %zu replaced, %zu removed, %zu "
	    "unchanged, %zu errors, %zu warnings%s\n", s->created,
	    s->replaced, s->removed, s->unchanged, s->errors, s->warnings,
	    o->dry_run ? " (dry run)" : "");
}

static void
print_text(FILE *out, FILE *err, const struct plan *plan,
    const struct problems *problems, const struct report_opts *o,
    const struct summary *s)
{
	struct strbuf sb = STRBUF_INIT;
	bool c2 = use_colour(err);
	size_t i;

	print_skipped(out, o);
	print_actions(out, plan, o, use_colour(out));
	for (i = 0; i < problems->n; i++) {
		const struct problem *p = &problems->v[i];
		bool bad = p->severity == SEV_ERROR;

		fprintf(err, "%s%s%s: ", c2 ? (bad ? C_RED : C_YEL) : "",
		    bad ? "error" : "warning", c2 ? C_OFF : "");
		if (p->page && p->line)
			fprintf(err, "%s:%zu:%zu: ", shown(&sb, p->page),
			    p->line, p->col);
		else if (p->page)
			fprintf(err, "%s: ", shown(&sb, p->page));
		fprintf(err, "%s (%s)\n", shown(&sb, p->message), p->code);
	}
	strbuf_free(&sb);
	print_summary(err, o, s);
}

/*
 * One problem as a workflow command, or, past GitHub's cap on
 * annotations, as a plain line, so that nothing is lost from the log.
 */
static void
print_github_problem(struct strbuf *sb, const struct problem *p,
    bool annotate, const char *prefix)
{
	const char *sev = p->severity == SEV_ERROR ? "error" : "warning";
	const char *file = p->page ? p->page : p->link;

	strbuf_reset(sb);
	if (!annotate) {
		strbuf_printf(sb, "%s: ", sev);
		if (p->page) {
			escape(sb, p->page, ESC_LINE);
			strbuf_puts(sb, ": ");
		}
		escape(sb, p->message, ESC_LINE);
		strbuf_printf(sb, " (%s)", p->code);
		return;
	}
	strbuf_printf(sb, "::%s ", sev);
	if (file) {
		/* GitHub wants paths from the top of the repository. */
		strbuf_puts(sb, "file=");
		if (prefix && *prefix) {
			escape(sb, prefix, ESC_PROPERTY);
			strbuf_putc(sb, '/');
		}
		escape(sb, file, ESC_PROPERTY);
		strbuf_putc(sb, ',');
		if (p->page && p->line)
			strbuf_printf(sb, "line=%zu,col=%zu,", p->line,
			    p->col);
	}
	strbuf_puts(sb, "title=");
	escape(sb, p->code, ESC_PROPERTY);
	strbuf_puts(sb, "::");
	escape(sb, p->message, ESC_MESSAGE);
}

static void
print_github(FILE *out, FILE *err, const struct plan *plan,
    const struct problems *problems, const struct report_opts *o,
    const struct summary *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, nerr = 0, nwarn = 0;

	print_skipped(out, o);
	print_actions(out, plan, o, false);
	for (i = 0; i < problems->n; i++) {
		const struct problem *p = &problems->v[i];
		size_t *seen = p->severity == SEV_ERROR ? &nerr : &nwarn;

		print_github_problem(&sb, p, ++*seen <= REPORT_GITHUB_MAX,
		    o->repo_prefix);
		fprintf(out, "%s\n", sb.buf);
	}
	fflush(out);
	strbuf_free(&sb);
	print_summary(err, o, s);
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void
print_json(FILE *out, const struct plan *plan, const struct problems *problems,
    const struct report_opts *o, const struct summary *s)
{
	json_t *actions = json_array(), *probs = json_array(), *root;
	json_t *skipped = json_array();
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
		    "{s:s, s:s, s:o, s:o, s:s, s:o}",
		    "severity", p->severity == SEV_ERROR ? "error" : "warning",
		    "code", p->code, "page", str_or_null(p->page),
		    "link", str_or_null(p->link), "message", p->message,
		    "line", p->line ? json_integer((json_int_t)p->line) :
		    json_null()));
	}
	for (i = 0; o->skipped && i < o->skipped->n; i++)
		json_array_append_new(skipped, json_pack("{s:s, s:s}", "page",
		    o->skipped->docs[i].path, "reason",
		    skip_reason_name(o->skipped->docs[i].skip)));
	root = json_pack("{s:b, s:o, s:o, s:o, "
	    "s:{s:I, s:I, s:I, s:I, s:I, s:I}}",
	    "dry_run", o->dry_run, "actions", actions, "problems", probs,
	    "skipped", skipped,
	    "summary", "created", (json_int_t)s->created,
	    "replaced", (json_int_t)s->replaced,
	    "removed", (json_int_t)s->removed,
	    "unchanged", (json_int_t)s->unchanged,
	    "errors", (json_int_t)s->errors,
	    "warnings", (json_int_t)s->warnings);
	json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putc('\n', out);
	fflush(out);
	json_decref(root);
}

void
report_fprint(FILE *out, FILE *err, const struct plan *plan,
    const struct problems *problems, const struct report_opts *opts)
{
	struct summary s;

	progress_end();
	summary_count(&s, plan, problems, opts->dry_run);
	switch (opts->format) {
	case FORMAT_JSON:
		print_json(out, plan, problems, opts, &s);
		break;
	case FORMAT_GITHUB:
		print_github(out, err, plan, problems, opts, &s);
		break;
	case FORMAT_TEXT:
		print_text(out, err, plan, problems, opts, &s);
		break;
	}
}

void
report_print(const struct plan *plan, const struct problems *problems,
    const struct report_opts *opts)
{
	report_fprint(stdout, stderr, plan, problems, opts);
}
