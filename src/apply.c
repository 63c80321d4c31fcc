/*
 * apply.c - the executor; see apply.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "config.h"
#include "fsutil.h"
#include "manifest.h"
#include "plan.h"
#include "problem.h"
#include "util.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE		(1 << 1)
#endif

/* True if name below dfd is a symlink whose text is exactly text. */
static bool
link_is(int dfd, const char *name, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	size_t want = strlen(text);
	ssize_t n;
	bool same;

	strbuf_grow(&sb, want + 2);
	n = readlinkat(dfd, name, sb.buf, want + 1);
	same = n >= 0 && (size_t)n == want && memcmp(sb.buf, text, want) == 0;
	strbuf_free(&sb);
	return same;
}

static void
fail(struct problems *problems, const struct action *a, const char *code,
    const char *what)
{
	problems_add(problems, SEV_ERROR, code, NULL, a->link, "%s '%s': %s",
	    op_name(a->op), a->link, what);
}

static void
do_create(struct problems *problems, struct action *a, int dfd)
{
	struct strbuf tmp = STRBUF_INIT;

	tmp_name(&tmp, a->name);
	if (symlinkat(a->target, dfd, tmp.buf) < 0) {
		fail(problems, a, "apply-failed", strerror(errno));
		goto out;
	}
	if (renameat2(dfd, tmp.buf, dfd, a->name, RENAME_NOREPLACE) == 0) {
		a->done = true;
		goto out;
	}
	if (errno == EEXIST)
		fail(problems, a, "conflict", "something appeared there while "
		    "renderlink ran; left alone");
	else
		fail(problems, a, "apply-failed", strerror(errno));
	unlinkat(dfd, tmp.buf, 0);
out:
	strbuf_free(&tmp);
}

static void
do_replace(struct problems *problems, struct action *a, int dfd)
{
	struct strbuf tmp = STRBUF_INIT;

	tmp_name(&tmp, a->name);
	if (symlinkat(a->target, dfd, tmp.buf) < 0) {
		fail(problems, a, "apply-failed", strerror(errno));
		goto out;
	}
	if (renameat2(dfd, tmp.buf, dfd, a->name, RENAME_EXCHANGE) < 0) {
		fail(problems, a, errno == ENOENT ? "conflict" : "apply-failed",
		    errno == ENOENT ? "the link vanished while renderlink ran"
		    : strerror(errno));
		unlinkat(dfd, tmp.buf, 0);
		goto out;
	}
	/* tmp now holds what was there: it must be the link we planned on. */
	if (link_is(dfd, tmp.buf, a->expect)) {
		unlinkat(dfd, tmp.buf, 0);
		a->done = true;
		goto out;
	}
	if (renameat2(dfd, tmp.buf, dfd, a->name, RENAME_EXCHANGE) == 0)
		unlinkat(dfd, tmp.buf, 0);
	fail(problems, a, "conflict", "it changed while renderlink ran; "
	    "left alone");
out:
	strbuf_free(&tmp);
}

static void
do_remove(struct problems *problems, struct action *a, int dfd)
{
	struct strbuf tmp = STRBUF_INIT;

	tmp_name(&tmp, a->name);
	if (renameat2(dfd, a->name, dfd, tmp.buf, RENAME_NOREPLACE) < 0) {
		if (errno == ENOENT)
			a->done = true;		/* someone beat us to it */
		else
			fail(problems, a, "apply-failed", strerror(errno));
		goto out;
	}
	if (link_is(dfd, tmp.buf, a->expect)) {
		unlinkat(dfd, tmp.buf, 0);
		a->done = true;
		goto out;
	}
	renameat2(dfd, tmp.buf, dfd, a->name, RENAME_NOREPLACE);
	fail(problems, a, "conflict", "it changed while renderlink ran; "
	    "left alone");
out:
	strbuf_free(&tmp);
}

/* Opens the target folder of a set, making it if the plan adds links. */
static int
open_target(int *dfd, struct problems *problems, const struct linkset *ls,
    int sitefd, bool create)
{
	struct strbuf why = STRBUF_INIT;
	const char *fsname;
	int r;

	/*
	 * The planner checked all this; checked again because the folder
	 * may have changed since.  A refusal says why in the planner's words
	 * (plan.c, scan.c).
	 */
	r = dir_walk(dfd, sitefd, ls->target, create);
	if (r == 1) {
		close(*dfd);	/* nothing there to remove */
		return -1;
	}
	if (r < 0)
		strbuf_puts(&why, rl_error_last());
	else if ((fsname = fs_windows_name(*dfd)) != NULL) {
		fs_windows_refusal(&why, ls->target, fsname);
		close(*dfd);
	} else
		return 0;
	problems_add(problems, SEV_ERROR, "unsafe-target", NULL, ls->target,
	    "link set '%s': target folder %s; nothing done for this set",
	    ls->name, why.buf);
	strbuf_free(&why);
	return -1;
}

static void
record(struct manifest *m, const struct action *a)
{
	if (a->op == OP_KEEP || (a->done && a->op != OP_REMOVE))
		manifest_put(m, a->link, a->target);
	else if (a->done)
		manifest_put(m, a->link, NULL);
}

void
apply_plan(struct plan *plan, struct problems *problems,
    const struct config *cfg, int sitefd, const struct manifest *old)
{
	struct manifest m = { 0 };
	sigset_t hold, saved;
	size_t i, j, k;
	bool create;
	int dfd;

	for (i = 0; i < old->n; i++)
		manifest_put(&m, old->v[i].link, old->v[i].target);

	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	sigprocmask(SIG_BLOCK, &hold, &saved);

	for (i = 0; i < plan->n; i = j) {
		size_t set = plan->v[i].set;
		bool work = false;

		create = false;
		for (j = i; j < plan->n && plan->v[j].set == set; j++) {
			work |= plan->v[j].op != OP_KEEP;
			create |= plan->v[j].op == OP_CREATE ||
			    plan->v[j].op == OP_REPLACE;
		}
		if (work &&
		    open_target(&dfd, problems, &cfg->sets[set], sitefd,
		    create) == 0) {
			for (k = i; k < j; k++) {
				struct action *a = &plan->v[k];

				if (a->op == OP_CREATE)
					do_create(problems, a, dfd);
				else if (a->op == OP_REPLACE)
					do_replace(problems, a, dfd);
				else if (a->op == OP_REMOVE)
					do_remove(problems, a, dfd);
			}
			close(dfd);
		}
		for (k = i; k < j; k++)
			record(&m, &plan->v[k]);
	}
	manifest_sort(&m);
	/* Nothing done, nothing written: not even a stale manifest. */
	for (i = 0; i < plan->n && !plan->v[i].done; i++)
		;
	if (i < plan->n && manifest_save(&m, sitefd) < 0)
		problems_add(problems, SEV_WARNING, "manifest", NULL, NULL,
		    "%s", rl_error_last());
	sigprocmask(SIG_SETMASK, &saved, NULL);
	manifest_free(&m);
}
