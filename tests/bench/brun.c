/*
 * brun - run commands several times and print the medians of their wall
 * time, CPU time (user + sys, from wait4's rusage: exact to the
 * microsecond, where /usr/bin/time rounds to 10 ms) and peak memory, as
 * JSON.  For tests/bench.sh only.
 *
 *   brun [-n RUNS] [-s] [-k] GROUP [:: GROUP]...
 *   GROUP: [-p PREP] CMD ARG... [';;' CMD ARG...]...
 *
 * Each round runs every group in turn (A B A B ...: on a shared machine
 * the groups compared see the same load).  A group runs its PREP (with
 * /bin/sh -c, not measured), then each of its commands, stdout and
 * stderr to /dev/null (-s keeps stderr), stdin from /dev/null; its
 * figures are the sums of its commands' (peak memory: the largest).
 * The rusage of a command includes the children it waited for (a
 * plug-in renderlink starts).  A command that exits non-zero is reported
 * on stderr once (unless -k: any status will do) and still measured.
 *
 * Output, one line per group: {"runs": N, "wall": S, "cpu": S,
 * "user": S, "sys": S, "maxrss_kib": K, "cpu_all": [S, ...],
 * "wall_all": [S, ...], "failed": F}, medians in seconds.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXRUNS	101

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
tv(struct timeval t)
{
	return t.tv_sec + t.tv_usec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of n values (sorts a copy). */
static double
median(const double *v, int n)
{
	double s[MAXRUNS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Runs argv; returns its exit status (or 128 + signal), -1 if not run. */
static int
run(char **argv, int keep_stderr, double *wall, struct rusage *ru)
{
	double t0;
	pid_t pid;
	int st, fd;

	t0 = now();
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		if (!keep_stderr)
			dup2(fd, 2);
		execvp(argv[0], argv);
		fprintf(stderr, "brun: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &st, 0, ru) == -1)
		if (errno != EINTR)
			return -1;
	*wall = now() - t0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
list(const char *name, const double *v, int n)
{
	int i;

	printf(", \"%s\": [", name);
	for (i = 0; i < n; i++)
		printf("%s%.6f", i ? ", " : "", v[i]);
	printf("]");
}

#define MAXGROUPS 8
#define MAXCMDS	16

struct group {
	const char *prep;
	char **cmds[MAXCMDS];
	int ncmd, failed;
	double wall[MAXRUNS], cpu[MAXRUNS], user[MAXRUNS], sys[MAXRUNS],
	    rss[MAXRUNS];
};

static void
report(struct group *g, int runs)
{
	printf("{\"runs\": %d, \"wall\": %.6f, \"cpu\": %.6f, "
	    "\"user\": %.6f, \"sys\": %.6f, \"maxrss_kib\": %.0f", runs,
	    median(g->wall, runs), median(g->cpu, runs),
	    median(g->user, runs), median(g->sys, runs),
	    median(g->rss, runs));
	list("cpu_all", g->cpu, runs);
	list("wall_all", g->wall, runs);
	printf(", \"failed\": %d}\n", g->failed);
}

int
main(int argc, char **argv)
{
	static struct group groups[MAXGROUPS];
	struct group *g;
	int runs = 5, keep = 0, anystatus = 0, ngroup = 0, warned = 0;
	const char *prep0 = NULL;
	int c, i, j, k, st;

	while ((c = getopt(argc, argv, "+kn:p:s")) != -1) {
		switch (c) {
		case 'p':	/* the first group's */
			prep0 = optarg;
			break;
		case 'n':
			runs = atoi(optarg);
			break;
		case 's':
			keep = 1;
			break;
		case 'k':
			anystatus = 1;
			break;
		default:
			goto usage;
		}
	}
	if (runs < 1 || runs > MAXRUNS)
		goto usage;
	/*
	 * Split the rest at "::" into groups and at ";;" into commands,
	 * NULL-terminating each command in place.
	 */
	for (i = optind; i < argc; ) {
		if (ngroup == MAXGROUPS)
			goto usage;
		g = &groups[ngroup++];
		if (ngroup == 1)
			g->prep = prep0;
		if (strcmp(argv[i], "-p") == 0) {
			if (i + 2 >= argc)
				goto usage;
			g->prep = argv[i + 1];
			i += 2;
		}
		for (;;) {
			if (i >= argc || strcmp(argv[i], ";;") == 0 ||
			    strcmp(argv[i], "::") == 0 || g->ncmd == MAXCMDS)
				goto usage;		/* an empty command */
			g->cmds[g->ncmd++] = argv + i;
			while (i < argc && strcmp(argv[i], ";;") != 0 &&
			    strcmp(argv[i], "::") != 0)
				i++;
			if (i == argc)
				break;
			j = strcmp(argv[i], "::") == 0;
			argv[i++] = NULL;
			if (i == argc)
				goto usage;	/* a trailing ";;" or "::" */
			if (j)
				break;
		}
	}
	if (ngroup == 0)
		goto usage;

	for (k = 0; k < runs; k++) {
		for (g = groups; g < groups + ngroup; g++) {
			if (g->prep != NULL && (st = system(g->prep)) != 0) {
				fprintf(stderr, "brun: preparation failed "
				    "(%d): %s\n", st, g->prep);
				return 1;
			}
			for (i = 0; i < g->ncmd; i++) {
				struct rusage ru;
				double w = 0;

				memset(&ru, 0, sizeof(ru));
				st = run(g->cmds[i], keep, &w, &ru);
				if (st != 0) {
					g->failed++;
					if (!anystatus && !warned++)
						fprintf(stderr, "brun: %s "
						    "exited %d\n",
						    g->cmds[i][0], st);
				}
				g->wall[k] += w;
				g->user[k] += tv(ru.ru_utime);
				g->sys[k] += tv(ru.ru_stime);
				g->cpu[k] += tv(ru.ru_utime) +
				    tv(ru.ru_stime);
				if (ru.ru_maxrss > g->rss[k])
					g->rss[k] = ru.ru_maxrss;
			}
		}
	}
	for (g = groups; g < groups + ngroup; g++)
		report(g, runs);
	return 0;
usage:
	fprintf(stderr, "usage: brun [-n RUNS] [-s] [-k] [-p PREP] CMD "
	    "ARG... [';;' CMD ARG...]... [:: [-p PREP] CMD ...]...\n");
	return 2;
}
