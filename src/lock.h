/*
 * lock.h - one renderlink at a time per site.
 *
 * The lock is flock(2) on the site folder itself: it needs no lock file,
 * so a run with nothing to do still writes nothing, and it vanishes with
 * the process however that ends.  Runs that change the site take it
 * exclusively; dry runs take it shared, so they see a consistent site but
 * never wait for each other.
 */
#ifndef RL_LOCK_H
#define RL_LOCK_H

#include <stdbool.h>

/*
 * Waits up to timeout_sec for the lock on fd.  Returns 0 when held, 1 if
 * it stayed busy, -1 on error (error object set).
 */
int	 lock_acquire(int fd, bool exclusive, int timeout_sec);

#endif
