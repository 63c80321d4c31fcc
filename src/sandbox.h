/*
 * sandbox.h - take away a plug-in's right to change any file.
 *
 * A plug-in only says which links it wants; it has no business writing.
 * Where the kernel offers Landlock (Linux 5.13+), the child gets, before
 * execve, a ruleset that handles every right to write, truncate, make,
 * remove or re-link files and grants none, except writing to /dev/null:
 * every write anywhere else fails with EACCES, while reads, and the pipes
 * it inherited as stdin, stdout and stderr, keep working.  Where Landlock
 * is missing or disabled the plug-in runs as the user, and renderlink
 * says so with -v (and `doctor`).
 */
#ifndef RL_SANDBOX_H
#define RL_SANDBOX_H

/* The Landlock ABI version the kernel offers, or 0 when none. */
int	 sandbox_abi(void);
/*
 * Restricts the calling process for good (call in the child, after
 * fork, before execve).  Returns 0, or -1 with errno set.
 */
int	 sandbox_enter(void);

#endif
