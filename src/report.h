/*
 * report.h - tell the user what happened.
 *
 * Text: one line per action on stdout ("create LINK -> TARGET"), problems
 * on stderr as "error: PAGE: MESSAGE (CODE)".  Colour only when the stream
 * is a terminal and NO_COLOR is not set.  JSON: one document on stdout
 * for tools and CI.  GitHub: the text action lines, and each problem as a
 * GitHub Actions workflow command ("::error file=PAGE,title=CODE::MESSAGE")
 * on stdout, so it shows as an annotation on the pull request.
 */
#ifndef RL_REPORT_H
#define RL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct docindex;
struct plan;
struct problems;
struct strbuf;

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_GITHUB };

/*
 * GitHub shows at most this many annotations of each kind (error,
 * warning) per step; the reporter prints further problems as plain lines.
 */
#define REPORT_GITHUB_MAX	10

struct report_opts {
	enum format	 format;
	int		 verbose;
	int		 quiet;
	bool		 dry_run;
	const char	*repo_prefix;	/* site folder in its repository, for
					   GitHub's file= (NULL or "": top) */
	/* The pages Jekyll will not render, each with its skip reason
	 * (publish.h): one line each with -v, and "skipped" in JSON. */
	const struct docindex *skipped;
};

struct summary {
	size_t	 created, replaced, removed, unchanged, errors, warnings;
};

/* Counts what was done (or, in a dry run, what would be). */
void	 summary_count(struct summary *s, const struct plan *plan,
	    const struct problems *problems, bool dry_run);
/* Prints to stdout and stderr. */
void	 report_print(const struct plan *plan, const struct problems *problems,
	    const struct report_opts *opts);
/* The same, to out (stdout's part) and err (stderr's part). */
void	 report_fprint(FILE *out, FILE *err, const struct plan *plan,
	    const struct problems *problems, const struct report_opts *opts);
/* Parses "text", "json" or "github" into *out; -1 if none of them. */
int	 format_parse(enum format *out, const char *s);
/*
 * The format when none is asked for: github inside GitHub Actions
 * (GITHUB_ACTIONS=true), else text.
 */
enum format format_default(void);

/*
 * Appends s escaped as GitHub's runner wants a workflow command's message
 * ('%', CR, LF) or a property value (also ':' and ',').
 */
void	 report_escape_message(struct strbuf *out, const char *s);
void	 report_escape_property(struct strbuf *out, const char *s);

#endif
