/*
 * progress.c - a progress line on a terminal; see progress.h.
 *
 * The clock is read at most once every 64 steps, so a hot loop over
 * 100,000 entries pays nothing measurable for it.  RENDERLINK_PROGRESS_
 * DELAY (seconds, for tests) replaces the one-second wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static struct {
	bool	 on;
	bool	 shown;
	double	 start, delay, last;
	const char *what;
	size_t	 total, done, since;
} pr;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
progress_enable(bool on)
{
	const char *d = getenv("RENDERLINK_PROGRESS_DELAY");

	pr.on = on && isatty(STDERR_FILENO);
	pr.start = now();
	pr.delay = d && *d ? atof(d) : 1.0;
}

static void
draw(void)
{
	if (pr.total)
		fprintf(stderr, "\r\033[K%s: %zu/%zu (%zu%%)", pr.what,
		    pr.done, pr.total, pr.done * 100 / pr.total);
	else
		fprintf(stderr, "\r\033[K%s: %zu", pr.what, pr.done);
	fflush(stderr);
	pr.shown = true;
}

void
progress_begin(const char *what, size_t total)
{
	if (!pr.on)
		return;
	pr.what = what;
	pr.total = total;
	pr.done = 0;
	pr.since = 0;
	pr.last = 0;
	if (pr.shown)
		draw();
}

void
progress_step(size_t n)
{
	double t;

	if (!pr.on)
		return;
	pr.done += n;
	if ((pr.since += n) < 64 && pr.done != pr.total)
		return;
	pr.since = 0;
	t = now();
	if (t - pr.start < pr.delay || t - pr.last < 0.1)
		return;
	pr.last = t;
	draw();
}

void
progress_end(void)
{
	if (!pr.on || !pr.shown)
		return;
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	pr.shown = false;
}
