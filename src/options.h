/*
 * options.h - declarative command-line options, in the manner of git's
 * parse-options: each command lists its options in a table and gets a
 * consistent grammar for free (-n, -nq, -CDIR, -C DIR, --long, --long=V,
 * --long V, "--" ends options) and a generated usage text.
 */
#ifndef RL_OPTIONS_H
#define RL_OPTIONS_H

#include <stdio.h>

enum opt_type {
	OPT_T_END,
	OPT_T_BOOL,	/* int *: set to 1 */
	OPT_T_COUNT,	/* int *: incremented (-v -v) */
	OPT_T_SET,	/* int *: set to defval */
	OPT_T_STRING,	/* const char **: the argument */
	OPT_T_INT,	/* int *: a non-negative decimal */
	OPT_T_GROUP	/* a heading in the usage text */
};

struct option {
	enum opt_type	 type;
	int		 short_name;
	const char	*long_name;
	void		*value;
	const char	*argh;		/* argument name in usage */
	const char	*help;
	int		 defval;
};

#define OPT_END()			{ OPT_T_END, 0, NULL, NULL, NULL, NULL, 0 }
#define OPT_GROUP(h)			{ OPT_T_GROUP, 0, NULL, NULL, NULL, (h), 0 }
#define OPT_BOOL(s, l, v, h)		{ OPT_T_BOOL, (s), (l), (v), NULL, (h), 0 }
#define OPT_COUNT(s, l, v, h)		{ OPT_T_COUNT, (s), (l), (v), NULL, (h), 0 }
#define OPT_SET(s, l, v, d, h)		{ OPT_T_SET, (s), (l), (v), NULL, (h), (d) }
#define OPT_STRING(s, l, v, a, h)	{ OPT_T_STRING, (s), (l), (v), (a), (h), 0 }
#define OPT_INT(s, l, v, a, h)		{ OPT_T_INT, (s), (l), (v), (a), (h), 0 }

/* Stop at the first argument that is not an option (for the command). */
#define PARSE_OPT_STOP_AT_NON_OPTION	1

/*
 * Parses argv[1..] against opts.  Returns the number of arguments left,
 * which are moved to the front of argv (argv[0] is kept).  "-h"/"--help"
 * prints the usage on stdout and exits 0, unless the table has a "help"
 * option of its own (then it is set like any other, for a caller that
 * prints more than the table); a bad option prints the error and the
 * usage on stderr and exits 2.  "--list-options" prints every option of
 * the table, one per line ("--name", "--name=" when it takes a value,
 * "-x"; -h and --help too), on stdout and exits 0: shell completion and
 * the man page test read it.
 */
int	 parse_options(int argc, char **argv, const struct option *opts,
	    const char *const *usagestr, int flags);
__attribute__((noreturn))
void	 usage_with_options(const char *const *usagestr,
	    const struct option *opts, int code);
/* The two halves of the usage text: the usage lines, the option table
 * (which always ends with -h, --help). */
void	 usage_print_lines(FILE *f, const char *const *usagestr);
void	 usage_print_options(FILE *f, const struct option *opts);

#endif
