/*
 * proc.h - run child processes side by side, feeding each its input and
 * reading its output at the same time, each with a deadline.
 *
 * This is how the plug-in host talks to external plug-ins.  The host
 * owes its users two things a naive popen() does not give: no deadlock
 * (a child that prints megabytes before it reads, or never reads, must
 * not wedge renderlink: stdin is written and stdout and stderr are read
 * in one poll loop), and no stragglers (each child leads its own process
 * group, and the whole group is killed when the child times out, prints
 * too much, or is done).  Children start together and run concurrently;
 * the caller reads the results in its own order.
 */
#ifndef RL_PROC_H
#define RL_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "strbuf.h"

struct proc {
	/* Set by the caller. */
	char	*const *argv;		/* argv[0] is the program path */
	const char *cwd;
	const char *input;		/* written to stdin, then closed */
	size_t	 input_len;
	double	 timeout;		/* seconds */
	size_t	 max_output;		/* bytes of stdout; more is fatal */
	size_t	 max_errput;		/* stderr beyond this is dropped */
	bool	 sandbox;		/* no writes (sandbox.h) */

	/* Results. */
	struct strbuf out, err;
	int	 status;		/* waitpid() status, when exited */
	bool	 exited;
	bool	 timed_out;
	bool	 overflow;		/* stdout passed max_output */
	int	 exec_errno;		/* the program could not be run */

	/* Private. */
	pid_t	 pid;
	int	 fd_in, fd_out, fd_err, fd_pid, fd_exec;
	size_t	 in_off;
	long long deadline_ms;
};

/*
 * Starts every proc (with RENDERLINK_PROTOCOL=1 in its environment, its
 * own process group, SIGPIPE at its default) and waits until all have
 * ended.  Returns 0 when each was run and waited for (its own failures
 * are in its fields); -1 (error set) when one could not be started.
 */
int	 proc_run_all(struct proc *v, size_t n);
void	 proc_free(struct proc *p);

/*
 * Describes what went wrong with p, if anything: "exited with status 3",
 * "killed by signal 9 (Killed)", "timed out after 10 s", ...  Returns
 * false when p exited with status 0 and did not overflow.
 */
bool	 proc_failure(struct strbuf *out, const struct proc *p);

#endif
