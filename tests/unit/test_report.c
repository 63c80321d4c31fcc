/*
 * test_report.c - what the user reads: text lines, the JSON document, and
 * GitHub Actions workflow commands (escaping, and the cap of ten
 * annotations of each kind, past which nothing may be lost).
 *
 * The printers write to streams handed to them; these tests hand them
 * temporary files and compare what was written line by line.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "plan.h"
#include "problem.h"
#include "report.h"
#include "strbuf.h"
#include "util.h"

static struct action rp_actions[] = {
	{ .op = OP_CREATE, .setname = "mp3s", .link = "songs/mp3s/A take 1.mp3",
	    .target = "/m/a/A take 1.mp3", .done = true },
	{ .op = OP_REPLACE, .setname = "mp3s", .link = "songs/mp3s/B.mp3",
	    .target = "/m/new/B.mp3", .expect = "/m/old/B.mp3", .done = true },
	{ .op = OP_REMOVE, .setname = "stems", .link = "songs/stems/C.wav",
	    .expect = "/m/c/C.wav", .done = true },
	{ .op = OP_KEEP, .setname = "mp3s", .link = "songs/mp3s/D.mp3",
	    .target = "/m/d/D.mp3" },
	/* The filesystem refused it: a real run must not claim it. */
	{ .op = OP_CREATE, .setname = "mp3s", .link = "songs/mp3s/E.mp3",
	    .target = "/m/e/E.mp3", .done = false },
};
static const struct plan rp_plan = { .v = rp_actions,
	.n = ARRAY_SIZE(rp_actions) };
static const struct plan rp_noplan = { .v = NULL };

/* Runs the reporter into two temporary files and reads them back. */
static void
rp_run(struct strbuf *out, struct strbuf *err, const struct plan *plan,
    const struct problems *problems, const struct report_opts *o)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	char buf[4096];
	size_t n;

	cr_assert(fo != NULL && fe != NULL);
	report_fprint(fo, fe, plan, problems, o);
	rewind(fo);
	rewind(fe);
	while ((n = fread(buf, 1, sizeof(buf), fo)) > 0)
		strbuf_add(out, buf, n);
	while ((n = fread(buf, 1, sizeof(buf), fe)) > 0)
		strbuf_add(err, buf, n);
	fclose(fo);
	fclose(fe);
}

/* Compares text with the lines of want (a NULL-terminated list). */
static void
rp_lines_eq(const char *text, const char *const *want)
{
	const char *p = text;
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		const char *nl = strchr(p, '\n');

		cr_assert(nl != NULL, "line %zu missing, wanted \"%s\"; "
		    "output:\n%s", i + 1, want[i], text);
		cr_expect(strlen(want[i]) == (size_t)(nl - p) &&
		    strncmp(p, want[i], nl - p) == 0,
		    "line %zu: got \"%.*s\", wanted \"%s\"", i + 1,
		    (int)(nl - p), p, want[i]);
		p = nl + 1;
	}
	cr_expect_str_eq(p, "", "unexpected output after line %zu: %s", i, p);
}

/* Problems whose names and messages are hostile to workflow commands. */
static void
rp_hostile(struct problems *pr)
{
	problems_add(pr, SEV_ERROR, "missing-source", "_songs/a, b: c.md",
	    "songs/mp3s/x.mp3", "100%% sure: it is gone\r\n::error::fake");
	problems_add(pr, SEV_WARNING, "source-unavailable", NULL, "songs/a:b.mp3",
	    "drive E: not mounted, skipped");
	problems_add(pr, SEV_ERROR, "manifest", NULL, NULL, "bad record");
	problems_add(pr, SEV_ERROR, "conflict", "_songs/plain.md", NULL,
	    "a file is in the way");
}

Test(report, escape_message)
{
	struct strbuf sb = STRBUF_INIT;

	report_escape_message(&sb, "100% a\r\nb:c,d %25");
	cr_assert_str_eq(sb.buf, "100%25 a%0D%0Ab:c,d %2525");
	strbuf_reset(&sb);
	report_escape_message(&sb, "");
	cr_assert_str_eq(sb.buf, "");
	strbuf_free(&sb);
}

Test(report, escape_property)
{
	struct strbuf sb = STRBUF_INIT;

	report_escape_property(&sb, "_songs/a, b: c.md");
	cr_assert_str_eq(sb.buf, "_songs/a%2C b%3A c.md");
	strbuf_reset(&sb);
	report_escape_property(&sb, "50%\r\n::x");
	cr_assert_str_eq(sb.buf, "50%25%0D%0A%3A%3Ax");
	strbuf_free(&sb);
}

Test(report, format_parse)
{
	enum format f = FORMAT_TEXT;

	cr_assert_eq(format_parse(&f, "github"), 0);
	cr_assert_eq(f, FORMAT_GITHUB);
	cr_assert_eq(format_parse(&f, "json"), 0);
	cr_assert_eq(f, FORMAT_JSON);
	cr_assert_eq(format_parse(&f, "text"), 0);
	cr_assert_eq(f, FORMAT_TEXT);
	cr_assert_eq(format_parse(&f, "GitHub"), -1);
	cr_assert_eq(format_parse(&f, "xml"), -1);
}

Test(report, format_default_follows_github_actions)
{
	unsetenv("GITHUB_ACTIONS");
	cr_assert_eq(format_default(), FORMAT_TEXT);
	setenv("GITHUB_ACTIONS", "true", 1);
	cr_assert_eq(format_default(), FORMAT_GITHUB);
	setenv("GITHUB_ACTIONS", "false", 1);
	cr_assert_eq(format_default(), FORMAT_TEXT);
	setenv("GITHUB_ACTIONS", "", 1);
	cr_assert_eq(format_default(), FORMAT_TEXT);
	unsetenv("GITHUB_ACTIONS");
}

Test(report, github_lines)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct problems pr = { 0 };
	struct report_opts o = { .format = FORMAT_GITHUB };
	static const char *const want[] = {
		"create songs/mp3s/A take 1.mp3 -> /m/a/A take 1.mp3",
		"replace songs/mp3s/B.mp3 -> /m/new/B.mp3",
		"remove songs/stems/C.wav",
		"::error file=_songs/a%2C b%3A c.md,title=missing-source::"
		    "100%25 sure: it is gone%0D%0A::error::fake",
		"::warning file=songs/a%3Ab.mp3,title=source-unavailable::"
		    "drive E: not mounted, skipped",
		"::error title=manifest::bad record",
		"::error file=_songs/plain.md,title=conflict::"
		    "a file is in the way",
		NULL
	};

	/* Colour must not leak into a log, whatever the environment. */
	unsetenv("NO_COLOR");
	rp_hostile(&pr);
	rp_run(&out, &err, &rp_plan, &pr, &o);
	rp_lines_eq(out.buf, want);
	cr_expect_str_eq(err.buf, "");
	problems_free(&pr);
	strbuf_free(&out);
	strbuf_free(&err);
}

Test(report, github_verbose_quiet_and_dry_run)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct problems pr = { 0 };
	struct report_opts o = { .format = FORMAT_GITHUB, .verbose = 1,
	    .dry_run = true };
	static const char *const want_v[] = {
		"would create songs/mp3s/A take 1.mp3 -> /m/a/A take 1.mp3",
		"would replace songs/mp3s/B.mp3 -> /m/new/B.mp3",
		"would remove songs/stems/C.wav",
		"unchanged songs/mp3s/D.mp3",
		"would create songs/mp3s/E.mp3 -> /m/e/E.mp3",
		"::warning title=source-unavailable::no drive",
		NULL
	};
	static const char *const want_q[] = {
		"::warning title=source-unavailable::no drive",
		NULL
	};
	static const char *const want_sum[] = {
		"summary: 2 created, 1 replaced, 1 removed, 1 unchanged, "
		    "0 errors, 1 warnings (dry run)",
		NULL
	};

	problems_add(&pr, SEV_WARNING, "source-unavailable", NULL, NULL,
	    "no drive");
	rp_run(&out, &err, &rp_plan, &pr, &o);
	rp_lines_eq(out.buf, want_v);
	rp_lines_eq(err.buf, want_sum);

	strbuf_reset(&out);
	strbuf_reset(&err);
	o.verbose = 0;
	o.quiet = 1;
	rp_run(&out, &err, &rp_plan, &pr, &o);
	rp_lines_eq(out.buf, want_q);
	cr_expect_str_eq(err.buf, "");
	problems_free(&pr);
	strbuf_free(&out);
	strbuf_free(&err);
}

/*
 * GitHub drops annotations past ten of a kind in a step; the rest must
 * still reach the log, as plain lines that the runner cannot mistake for
 * commands.
 */
Test(report, github_cap_of_ten_annotations)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;
	struct problems pr = { 0 };
	struct report_opts o = { .format = FORMAT_GITHUB };
	const char *lines[32];
	char *owned[32];
	size_t i, n = 0;

	for (i = 1; i <= 12; i++) {
		problems_add(&pr, SEV_ERROR, "missing-source", NULL, NULL,
		    "e%zu", i);
		if (i <= 11)
			problems_add(&pr, SEV_WARNING, "source-unavailable",
			    NULL, NULL, "w%zu", i);
	}
	problems_add(&pr, SEV_ERROR, "missing-source", "_songs/x, y.md",
	    NULL, "50%% gone\n::error::injected");
	for (i = 1; i <= 12; i++) {
		strbuf_reset(&want);
		if (i <= 10)
			strbuf_printf(&want, "::error title=missing-source::"
			    "e%zu", i);
		else
			strbuf_printf(&want, "error: e%zu (missing-source)", i);
		owned[n] = strbuf_detach(&want);
		lines[n] = owned[n];
		n++;
		if (i > 11)
			continue;
		if (i <= 10)
			strbuf_printf(&want, "::warning title=source-unavailable"
			    "::w%zu", i);
		else
			strbuf_printf(&want, "warning: w%zu "
			    "(source-unavailable)", i);
		owned[n] = strbuf_detach(&want);
		lines[n] = owned[n];
		n++;
	}
	owned[n] = NULL;
	lines[n++] = "error: _songs/x, y.md: 50% gone%0A::error::injected "
	    "(missing-source)";
	lines[n] = NULL;

	rp_run(&out, &err, &rp_noplan, &pr, &o);
	rp_lines_eq(out.buf, lines);
	cr_expect_str_eq(err.buf, "");
	for (i = 0; i < n; i++)
		free(owned[i]);
	problems_free(&pr);
	strbuf_free(&out);
	strbuf_free(&err);
	strbuf_free(&want);
}

Test(report, text_lines_without_colour_off_a_terminal)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct problems pr = { 0 };
	struct report_opts o = { .format = FORMAT_TEXT };
	static const char *const want_out[] = {
		"create songs/mp3s/A take 1.mp3 -> /m/a/A take 1.mp3",
		"replace songs/mp3s/B.mp3 -> /m/new/B.mp3",
		"remove songs/stems/C.wav",
		NULL
	};
	/* Text mode shows control characters, never sends them: a line
	 * break in a message cannot forge a line of its own. */
	static const char want_err[] =
	    "error: _songs/a, b: c.md: 100% sure: it is gone\\r\\n"
	    "::error::fake (missing-source)\n"
	    "warning: drive E: not mounted, skipped (source-unavailable)\n"
	    "error: bad record (manifest)\n"
	    "error: _songs/plain.md: a file is in the way (conflict)\n";

	unsetenv("NO_COLOR");
	rp_hostile(&pr);
	rp_run(&out, &err, &rp_plan, &pr, &o);
	rp_lines_eq(out.buf, want_out);
	cr_expect_str_eq(err.buf, want_err);
	cr_expect_null(strchr(out.buf, '\033'));
	cr_expect_null(strchr(err.buf, '\033'));
	problems_free(&pr);
	strbuf_free(&out);
	strbuf_free(&err);
}

/*
 * A dry run must not read like a real run: each planned action says
 * what would happen, as `git clean -n` says "Would remove".  Unchanged
 * links are a state, not an action, and read the same.
 */
Test(report, text_dry_run_says_would)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct problems pr = { 0 };
	struct report_opts o = { .format = FORMAT_TEXT, .dry_run = true,
	    .verbose = 1 };
	static const char *const want[] = {
		"would create songs/mp3s/A take 1.mp3 -> /m/a/A take 1.mp3",
		"would replace songs/mp3s/B.mp3 -> /m/new/B.mp3",
		"would remove songs/stems/C.wav",
		"unchanged songs/mp3s/D.mp3",
		"would create songs/mp3s/E.mp3 -> /m/e/E.mp3",
		NULL
	};
	static const char *const want_real[] = {
		"create songs/mp3s/A take 1.mp3 -> /m/a/A take 1.mp3",
		"replace songs/mp3s/B.mp3 -> /m/new/B.mp3",
		"remove songs/stems/C.wav",
		NULL
	};

	unsetenv("NO_COLOR");
	rp_run(&out, &err, &rp_plan, &pr, &o);
	rp_lines_eq(out.buf, want);

	strbuf_reset(&out);
	strbuf_reset(&err);
	o.dry_run = false;
	o.verbose = 0;
	rp_run(&out, &err, &rp_plan, &pr, &o);
	rp_lines_eq(out.buf, want_real);
	cr_expect_str_eq(err.buf, "");
	strbuf_free(&out);
	strbuf_free(&err);
}

/* JSON is for programs: a dry run keeps the plain op names. */
Test(report, json_dry_run_keeps_op_names)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct problems pr = { 0 };
	struct report_opts o = { .format = FORMAT_JSON, .dry_run = true };
	json_error_t je;
	json_t *root, *a;

	rp_run(&out, &err, &rp_plan, &pr, &o);
	root = json_loads(out.buf, 0, &je);
	cr_assert_not_null(root, "not JSON: %s: %s", je.text, out.buf);
	cr_expect(json_is_true(json_object_get(root, "dry_run")));
	a = json_object_get(root, "actions");
	cr_assert_eq(json_array_size(a), 4);
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 0), "op")), "create");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 1), "op")), "replace");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 2), "op")), "remove");
	json_decref(root);
	strbuf_free(&out);
	strbuf_free(&err);
}

/* A pseudo-terminal, raw, so what was written reads back unchanged. */
static int
rp_pty(int *master, FILE **slave)
{
	struct termios t;
	int m, s;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
		return -1;
	if (grantpt(m) < 0 || unlockpt(m) < 0 ||
	    (s = open(ptsname(m), O_RDWR | O_NOCTTY)) < 0) {
		close(m);
		return -1;
	}
	tcgetattr(s, &t);
	cfmakeraw(&t);
	tcsetattr(s, TCSANOW, &t);
	*master = m;
	*slave = fdopen(s, "w");
	return 0;
}

static void
rp_pty_read(struct strbuf *sb, int master)
{
	char buf[1024];
	ssize_t n;
	int fl = fcntl(master, F_GETFL);

	fcntl(master, F_SETFL, fl | O_NONBLOCK);
	while ((n = read(master, buf, sizeof(buf))) > 0)
		strbuf_add(sb, buf, n);
}

Test(report, text_colour_on_a_terminal_unless_no_color)
{
	struct strbuf got = STRBUF_INIT;
	struct problems pr = { 0 };
	struct report_opts o = { .format = FORMAT_TEXT };
	FILE *tty, *devnull;
	int m;

	if (rp_pty(&m, &tty) < 0)
		cr_skip_test("no pseudo-terminal here");
	devnull = fopen("/dev/null", "w");
	cr_assert_not_null(devnull);
	problems_add(&pr, SEV_ERROR, "conflict", "_songs/a.md", NULL, "x");
	unsetenv("NO_COLOR");
	report_fprint(tty, tty, &rp_plan, &pr, &o);
	rp_pty_read(&got, m);
	cr_expect_not_null(strstr(got.buf, "\033[32mcreate\033[m songs/"),
	    "got: %s", got.buf);
	cr_expect_not_null(strstr(got.buf, "\033[31merror\033[m: _songs/a.md"),
	    "got: %s", got.buf);

	strbuf_reset(&got);
	setenv("NO_COLOR", "1", 1);
	report_fprint(tty, tty, &rp_plan, &pr, &o);
	rp_pty_read(&got, m);
	cr_expect_not_null(strstr(got.buf, "create songs/"), "got: %s", got.buf);
	cr_expect_null(strchr(got.buf, '\033'), "got: %s", got.buf);

	/* github output is for logs: never coloured, even on a terminal. */
	strbuf_reset(&got);
	unsetenv("NO_COLOR");
	o.format = FORMAT_GITHUB;
	report_fprint(tty, devnull, &rp_plan, &pr, &o);
	rp_pty_read(&got, m);
	cr_expect_not_null(strstr(got.buf, "create songs/"), "got: %s", got.buf);
	cr_expect_null(strchr(got.buf, '\033'), "got: %s", got.buf);

	fclose(tty);
	fclose(devnull);
	close(m);
	problems_free(&pr);
	strbuf_free(&got);
}

Test(report, json_document)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct problems pr = { 0 };
	struct report_opts o = { .format = FORMAT_JSON };
	json_error_t je;
	json_t *root, *a, *p, *s;

	rp_hostile(&pr);
	rp_run(&out, &err, &rp_plan, &pr, &o);
	cr_expect_str_eq(err.buf, "");
	root = json_loads(out.buf, 0, &je);
	cr_assert_not_null(root, "not JSON: %s: %s", je.text, out.buf);
	cr_expect(json_is_false(json_object_get(root, "dry_run")));

	/* Done actions only; unchanged and failed ones are left out. */
	a = json_object_get(root, "actions");
	cr_assert_eq(json_array_size(a), 3);
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 0), "op")), "create");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 0), "link")), "songs/mp3s/A take 1.mp3");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 0), "target")), "/m/a/A take 1.mp3");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 1), "target")), "/m/new/B.mp3");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 2), "op")), "remove");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 2), "set")), "stems");
	/* A removal names what the link pointed at. */
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(a, 2), "target")), "/m/c/C.wav");

	p = json_object_get(root, "problems");
	cr_assert_eq(json_array_size(p), 4);
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(p, 0), "severity")), "error");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(p, 0), "page")), "_songs/a, b: c.md");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(p, 0), "message")),
	    "100% sure: it is gone\r\n::error::fake");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(p, 1), "severity")), "warning");
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(p, 1), "code")), "source-unavailable");
	cr_expect(json_is_null(json_object_get(json_array_get(p, 1), "page")));
	cr_expect_str_eq(json_string_value(json_object_get(
	    json_array_get(p, 1), "link")), "songs/a:b.mp3");
	cr_expect(json_is_null(json_object_get(json_array_get(p, 2), "link")));

	s = json_object_get(root, "summary");
	cr_expect_eq(json_integer_value(json_object_get(s, "created")), 1);
	cr_expect_eq(json_integer_value(json_object_get(s, "replaced")), 1);
	cr_expect_eq(json_integer_value(json_object_get(s, "removed")), 1);
	cr_expect_eq(json_integer_value(json_object_get(s, "unchanged")), 1);
	cr_expect_eq(json_integer_value(json_object_get(s, "errors")), 3);
	cr_expect_eq(json_integer_value(json_object_get(s, "warnings")), 1);

	json_decref(root);
	problems_free(&pr);
	strbuf_free(&out);
	strbuf_free(&err);
}
