/*
 * apply.c - the executor; see apply.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
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

/*
 * One call, one directory write: symlinkat makes the link with its text
 * in one step and fails rather than overwrite, so there is no temporary
 * to rename and nothing half-made if renderlink is killed.
 */
/*
 * What was at a link's name changed twice while renderlink ran, and it
 * could not be put back: say where it is, so that nothing is lost from
 * sight (the next run leaves it alone: its text is not renderlink's).
 */
static void
left_aside(struct problems *problems, const struct action *a,
    const char *tmp)
{
	struct strbuf why = STRBUF_INIT;

	strbuf_printf(&why, "it changed while renderlink ran, and could not "
	    "be put back (%s): what was there is now '%s' in the same folder; "
	    "move it back by hand", strerror(errno), tmp);
	fail(problems, a, "conflict", why.buf);
	strbuf_free(&why);
}

static void
do_create(struct problems *problems, struct action *a, int dfd)
{
	if (symlinkat(a->target, dfd, a->name) == 0) {
		a->done = true;
		return;
	}
	if (errno == EEXIST)
		fail(problems, a, "conflict", "something appeared there while "
		    "renderlink ran; left alone");
	else
		fail(problems, a, "apply-failed", strerror(errno));
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
	if (renameat2(dfd, tmp.buf, dfd, a->name, RENAME_EXCHANGE) == 0) {
		unlinkat(dfd, tmp.buf, 0);
		fail(problems, a, "conflict", "it changed while renderlink "
		    "ran; left alone");
	} else
		left_aside(problems, a, tmp.buf);
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
	if (renameat2(dfd, tmp.buf, dfd, a->name, RENAME_NOREPLACE) == 0)
		fail(problems, a, "conflict", "it changed while renderlink "
		    "ran; left alone");
	else
		left_aside(problems, a, tmp.buf);
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

/*
 * Whether a link kept as it is lacks its record: a run killed after
 * making links and before writing the manifest leaves them so, and
 * without a record they would not be renderlink's once the media root
 * moves.
 */
static bool
unrecorded(const struct manifest *m, const struct action *a)
{
	const struct manifest_entry *r;

	if (a->op != OP_KEEP)
		return false;
	r = manifest_find(m, a->link);
	return r == NULL || strcmp(r->target, a->target) != 0;
}

/*
 * The records of what was done in one target folder: a link made is
 * bound to its inode, read from one listing of the folder (cheaper than
 * a stat per link); a link removed loses its record.  A run that writes
 * the manifest anyway also records the kept links that lack one (norec,
 * worked out before any record changed).
 */
static void
record(struct manifest *m, const struct plan *plan, size_t from, size_t to,
    int dfd, const bool *norec)
{
	struct stat st;
	struct dirent *de;
	uint64_t dev = 0;
	size_t k, made = 0;
	DIR *d;
	int lfd;

	for (k = from; k < to; k++) {
		const struct action *a = &plan->v[k];

		if (a->done && a->op == OP_REMOVE)
			manifest_put(m, a->link, NULL, 0, 0);
		made += (a->done && a->op != OP_REMOVE) || norec[k];
	}
	if (made == 0 || fstat(dfd, &st) < 0)
		return;
	dev = (uint64_t)st.st_dev;
	if ((lfd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	if ((d = fdopendir(lfd)) == NULL) {
		close(lfd);
		return;
	}
	/* The plan is sorted by name within the set: look each one up. */
	while ((de = readdir(d)) != NULL) {
		size_t lo = from, hi = to, mid;
		int c;

		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			c = strcmp(de->d_name, plan->v[mid].name);
			if (c == 0) {
				const struct action *a = &plan->v[mid];

				if ((a->done && a->op != OP_REMOVE) ||
				    (norec[mid] && (de->d_type == DT_LNK ||
				    de->d_type == DT_UNKNOWN)))
					manifest_put(m, a->link, a->target,
					    dev, (uint64_t)de->d_ino);
				break;
			}
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	closedir(d);
}

void
apply_plan(struct plan *plan, struct problems *problems,
    const struct config *cfg, int sitefd, struct manifest *m)
{
	sigset_t hold, saved;
	size_t i, j, k;
	bool create, any = false, *norec;
	int dfd;

	for (i = 0; i < plan->n && plan->v[i].op == OP_KEEP; i++)
		;
	if (i == plan->n)
		return;		/* nothing to do: nothing written */
	norec = xcalloc(plan->n, sizeof(*norec));
	for (k = 0; k < plan->n; k++)
		norec[k] = unrecorded(m, &plan->v[k]);

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
		/* A set with nothing to do is opened only to record. */
		for (k = i; !work && k < j; k++)
			work = norec[k];
		if (!work || open_target(&dfd, problems, &cfg->sets[set],
		    sitefd, create) != 0)
			continue;
		for (k = i; k < j; k++) {
			struct action *a = &plan->v[k];

			if (a->op == OP_CREATE)
				do_create(problems, a, dfd);
			else if (a->op == OP_REPLACE)
				do_replace(problems, a, dfd);
			else if (a->op == OP_REMOVE)
				do_remove(problems, a, dfd);
			any |= a->done;
		}
		record(m, plan, i, j, dfd, norec);
		close(dfd);
	}
	free(norec);
	manifest_sort(m);
	/* Nothing done, nothing written: not even a stale manifest. */
	if (any && manifest_save(m, sitefd) < 0)
		problems_add(problems, SEV_WARNING, "manifest", NULL, NULL,
		    "%s", rl_error_last());
	sigprocmask(SIG_SETMASK, &saved, NULL);
}
