/*
 * lock.c - flock with a deadline; see lock.h.
 */
#include <sys/file.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "lock.h"
#include "util.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
lock_acquire(int fd, bool exclusive, int timeout_sec)
{
	struct timespec nap = { 0, 5 * 1000 * 1000 };
	double deadline = now() + timeout_sec;
	int how = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;

	for (;;) {
		if (flock(fd, how) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return rl_error_set("flock: %s", strerror(errno));
		if (now() >= deadline)
			return 1;
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 100 * 1000 * 1000)
			nap.tv_nsec *= 2;
	}
}
