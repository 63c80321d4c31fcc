/*
 * options.c - parse argv against a table of options; see options.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "strbuf.h"
#include "util.h"

static const char *const *cur_usage;
static const struct option *cur_opts;

__attribute__((noreturn)) static void
opt_bad(const char *fmt, const char *what)
{
	fprintf(stderr, "%s: ", rl_progname);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	usage_with_options(cur_usage, cur_opts, 2);
}

static const struct option *
find_long(const struct option *o, const char *name, size_t len)
{
	for (; o->type != OPT_T_END; o++)
		if (o->long_name && strlen(o->long_name) == len &&
		    strncmp(o->long_name, name, len) == 0)
			return o;
	return NULL;
}

static const struct option *
find_short(const struct option *o, int c)
{
	for (; o->type != OPT_T_END; o++)
		if (o->short_name && o->short_name == c)
			return o;
	return NULL;
}

static int
takes_arg(const struct option *o)
{
	return o->type == OPT_T_STRING || o->type == OPT_T_INT;
}

/*
 * --list-options: every option of the table, one per line, for shell
 * completion and the man page test ("--name", "--name=" when it takes a
 * value, "-x"), then -h/--help as the usage text adds it.
 */
__attribute__((noreturn)) static void
list_options(const struct option *opts)
{
	const struct option *o;

	for (o = opts; o->type != OPT_T_END; o++) {
		if (o->type == OPT_T_GROUP)
			continue;
		if (o->long_name)
			printf("--%s%s\n", o->long_name, takes_arg(o) ? "=" : "");
		if (o->short_name)
			printf("-%c\n", o->short_name);
	}
	if (find_long(opts, "help", 4) == NULL)
		printf("--help\n-h\n");
	exit(fflush(stdout) == 0 ? 0 : 1);
}

static void
opt_apply(const struct option *o, const char *arg, const char *spelled)
{
	char *end;
	long v;

	switch (o->type) {
	case OPT_T_BOOL:
		*(int *)o->value = 1;
		break;
	case OPT_T_COUNT:
		(*(int *)o->value)++;
		break;
	case OPT_T_SET:
		*(int *)o->value = o->defval;
		break;
	case OPT_T_STRING:
		*(const char **)o->value = arg;
		break;
	case OPT_T_INT:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || errno || v < 0 ||
		    v > INT_MAX) {
			fprintf(stderr, "%s: %s expects a whole number, not "
			    "'%s'\n", rl_progname, spelled, arg);
			usage_with_options(cur_usage, cur_opts, 2);
		}
		*(int *)o->value = (int)v;
		break;
	default:
		break;
	}
}

int
parse_options(int argc, char **argv, const struct option *opts,
    const char *const *usagestr, int flags)
{
	int i, out = 1;
	const struct option *o;

	cur_usage = usagestr;
	cur_opts = opts;
	for (i = 1; i < argc; i++) {
		char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				argv[out++] = argv[i];
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION) {
				for (; i < argc; i++)
					argv[out++] = argv[i];
				break;
			}
			argv[out++] = a;
			continue;
		}
		if ((strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) &&
		    find_long(opts, "help", 4) == NULL)
			usage_with_options(usagestr, opts, 0);
		if (strcmp(a, "--list-options") == 0 &&
		    find_long(opts, "list-options", 12) == NULL)
			list_options(opts);
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			if ((o = find_long(opts, name, len)) == NULL)
				opt_bad("unknown option '%s'", a);
			if (!takes_arg(o)) {
				if (eq)
					opt_bad("option '%s' takes no value", a);
				opt_apply(o, NULL, a);
			} else if (eq)
				opt_apply(o, eq + 1, a);
			else if (i + 1 < argc)
				opt_apply(o, argv[++i], a);
			else
				opt_bad("option '%s' needs a value", a);
			continue;
		}
		for (a++; *a; a++) {
			char spelled[3] = { '-', *a, '\0' };

			if ((o = find_short(opts, *a)) == NULL)
				opt_bad("unknown option '%s'", spelled);
			if (!takes_arg(o)) {
				opt_apply(o, NULL, spelled);
				continue;
			}
			if (a[1])
				opt_apply(o, a + 1, spelled);
			else if (i + 1 < argc)
				opt_apply(o, argv[++i], spelled);
			else
				opt_bad("option '%s' needs a value", spelled);
			break;
		}
	}
	argv[out] = NULL;
	return out - 1;
}

void
usage_print_lines(FILE *f, const char *const *usagestr)
{
	fprintf(f, "usage: %s\n", *usagestr++);
	while (*usagestr)
		fprintf(f, "   or: %s\n", *usagestr++);
}

static void
print_option(FILE *f, struct strbuf *sb, int short_name,
    const char *long_name, const char *argh, const char *help)
{
	strbuf_reset(sb);
	if (short_name && long_name)
		strbuf_printf(sb, "-%c, --%s", short_name, long_name);
	else if (short_name)
		strbuf_printf(sb, "-%c", short_name);
	else
		strbuf_printf(sb, "    --%s", long_name);
	if (argh)
		strbuf_printf(sb, " <%s>", argh);
	fprintf(f, "    %-26s %s\n", sb->buf, help);
}

/*
 * Every option of the table, in its order, under its group headings;
 * -h/--help last, since every command takes it.
 */
void
usage_print_options(FILE *f, const struct option *opts)
{
	struct strbuf sb = STRBUF_INIT;
	const struct option *o;

	for (o = opts; o && o->type != OPT_T_END; o++) {
		if (o->type == OPT_T_GROUP)
			fprintf(f, "\n%s\n", o->help);
		else
			print_option(f, &sb, o->short_name, o->long_name,
			    takes_arg(o) ? o->argh : NULL, o->help);
	}
	if (opts == NULL || find_long(opts, "help", 4) == NULL)
		print_option(f, &sb, 'h', "help", NULL, "show this help");
	strbuf_free(&sb);
}

void
usage_with_options(const char *const *usagestr, const struct option *opts,
    int code)
{
	FILE *f = code ? stderr : stdout;

	usage_print_lines(f, usagestr);
	usage_print_options(f, opts);
	exit(code);
}
