/*
 * proc.c - children fed and read in one poll loop; see proc.h.
 *
 * Every child's exit is watched through a pidfd, so that a child whose
 * stdout is still held open by a grandchild is still seen to end; a
 * child that has ended but whose stdout stays open (a daemon it left
 * behind) runs into its deadline like one that never ends, since its
 * answer may not be complete.
 */
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "sandbox.h"
#include "util.h"

#define CHUNK	65536

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* In the child: never returns. */
static void __attribute__((noreturn))
child(const struct proc *p, int in, int out, int err, int ex)
{
	sigset_t none;
	int e;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		goto fail;
	/* Nothing of renderlink's (the site's lock above all) may leak
	 * into the plug-in. */
	syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
	if (p->cwd && chdir(p->cwd) < 0)
		goto fail;
	setenv("RENDERLINK_PROTOCOL", "1", 1);
	if (p->sandbox && sandbox_enter() < 0)
		goto fail;
	execv(p->argv[0], p->argv);
fail:
	e = errno;
	if (write(ex, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static int
start(struct proc *p)
{
	int in[2], out[2], err[2], ex[2];
	ssize_t n;
	int e;

	strbuf_init(&p->out);
	strbuf_init(&p->err);
	p->fd_in = p->fd_out = p->fd_err = p->fd_pid = p->fd_exec = -1;
	if (pipe2(in, O_CLOEXEC) < 0)
		return rl_error_set("pipe: %s", strerror(errno));
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 ||
	    pipe2(ex, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	if ((p->pid = fork()) < 0)
		return rl_error_set("fork: %s", strerror(errno));
	if (p->pid == 0)
		child(p, in[0], out[1], err[1], ex[1]);
	setpgid(p->pid, p->pid);	/* whoever runs first */
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(ex[1]);
	p->fd_in = in[1];
	p->fd_out = out[0];
	p->fd_err = err[0];
	/* Returns at exec (the pipe closes) or with the child's errno. */
	while ((n = read(ex[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(ex[0]);
	if (n == (ssize_t)sizeof(e)) {
		p->exec_errno = e;
		waitpid(p->pid, &p->status, 0);
		p->exited = true;
		close_fd(&p->fd_in);
		close_fd(&p->fd_out);
		close_fd(&p->fd_err);
		return 0;
	}
	fcntl(p->fd_in, F_SETFL, O_NONBLOCK);
	fcntl(p->fd_out, F_SETFL, O_NONBLOCK);
	fcntl(p->fd_err, F_SETFL, O_NONBLOCK);
	p->fd_pid = (int)syscall(SYS_pidfd_open, p->pid, 0);
	p->deadline_ms = now_ms() + (long long)(p->timeout * 1000);
	if (p->input_len == 0)
		close_fd(&p->fd_in);
	return 0;
}

static bool
finished(const struct proc *p)
{
	return p->exited && p->fd_out < 0 && p->fd_err < 0;
}

/* Kills the child's whole group and stops listening to it. */
static void
kill_group(struct proc *p)
{
	kill(-p->pid, SIGKILL);
	close_fd(&p->fd_in);
	close_fd(&p->fd_out);
	close_fd(&p->fd_err);
	if (!p->exited) {
		while (waitpid(p->pid, &p->status, 0) < 0 && errno == EINTR)
			;
		p->exited = true;
	}
	close_fd(&p->fd_pid);
}

static void
feed(struct proc *p)
{
	size_t left = p->input_len - p->in_off;
	ssize_t n = write(p->fd_in, p->input + p->in_off,
	    left < CHUNK ? left : CHUNK);

	if (n > 0)
		p->in_off += (size_t)n;
	/* EPIPE: it closed its stdin, which is its right. */
	if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
	    p->in_off == p->input_len)
		close_fd(&p->fd_in);
}

/* Reads what is there into sb (keeping at most max bytes). */
static void
drain(struct proc *p, int *fd, struct strbuf *sb, size_t max, bool fatal)
{
	char buf[CHUNK];
	ssize_t n;

	while ((n = read(*fd, buf, sizeof(buf))) > 0) {
		if (sb->len + (size_t)n > max) {
			if (fatal) {
				p->overflow = true;
				kill_group(p);
				return;
			}
			n = (ssize_t)(max - sb->len);
		}
		strbuf_add(sb, buf, (size_t)n);
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		close_fd(fd);
}

static void
reap(struct proc *p)
{
	if (waitpid(p->pid, &p->status, WNOHANG) == p->pid) {
		p->exited = true;
		close_fd(&p->fd_pid);
	}
}

int
proc_run_all(struct proc *v, size_t n)
{
	struct sigaction ign = { 0 }, old;
	struct pollfd *fds;
	size_t i, k, left;
	long long t, wait;

	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	for (i = 0; i < n; i++)
		if (start(&v[i]) < 0) {
			while (i-- > 0)
				kill_group(&v[i]);
			sigaction(SIGPIPE, &old, NULL);
			return -1;
		}
	fds = xcalloc(n * 4 + 1, sizeof(*fds));
	for (;;) {
		left = 0;
		wait = -1;
		k = 0;
		t = now_ms();
		for (i = 0; i < n; i++) {
			struct proc *p = &v[i];

			if (finished(p))
				continue;
			if (t >= p->deadline_ms) {
				p->timed_out = true;
				kill_group(p);
				continue;
			}
			left++;
			if (wait < 0 || p->deadline_ms - t < wait)
				wait = p->deadline_ms - t;
			if (p->fd_in >= 0)
				fds[k++] = (struct pollfd){ p->fd_in, POLLOUT, 0 };
			if (p->fd_out >= 0)
				fds[k++] = (struct pollfd){ p->fd_out, POLLIN, 0 };
			if (p->fd_err >= 0)
				fds[k++] = (struct pollfd){ p->fd_err, POLLIN, 0 };
			if (!p->exited && p->fd_pid >= 0)
				fds[k++] = (struct pollfd){ p->fd_pid, POLLIN, 0 };
			else if (!p->exited && wait > 50)
				wait = 50;	/* no pidfd: look again soon */
		}
		if (left == 0)
			break;
		if (poll(fds, k, (int)wait) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		for (i = 0; i < n; i++) {
			struct proc *p = &v[i];

			if (finished(p))
				continue;
			if (p->fd_in >= 0)
				feed(p);
			if (p->fd_out >= 0)
				drain(p, &p->fd_out, &p->out, p->max_output,
				    true);
			if (p->fd_err >= 0)
				drain(p, &p->fd_err, &p->err, p->max_errput,
				    false);
			if (!p->exited)
				reap(p);
			if (finished(p))
				kill_group(p);	/* whatever it left behind */
		}
	}
	free(fds);
	sigaction(SIGPIPE, &old, NULL);
	return 0;
}

void
proc_free(struct proc *p)
{
	strbuf_free(&p->out);
	strbuf_free(&p->err);
}

bool
proc_failure(struct strbuf *out, const struct proc *p)
{
	if (p->exec_errno) {
		strbuf_printf(out, "cannot run %s: %s", p->argv[0],
		    strerror(p->exec_errno));
		return true;
	}
	if (p->timed_out) {
		strbuf_printf(out, "timed out after %g s", p->timeout);
		return true;
	}
	if (p->overflow) {
		strbuf_printf(out, "printed more than %zu MiB on stdout",
		    p->max_output >> 20);
		return true;
	}
	if (WIFSIGNALED(p->status)) {
		strbuf_printf(out, "killed by signal %d (%s)",
		    WTERMSIG(p->status), strsignal(WTERMSIG(p->status)));
		return true;
	}
	if (WIFEXITED(p->status) && WEXITSTATUS(p->status) != 0) {
		strbuf_printf(out, "exited with status %d",
		    WEXITSTATUS(p->status));
		return true;
	}
	return false;
}
