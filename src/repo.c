/*
 * repo.c - the site's git repository through libgit2; see repo.h.
 *
 * The pre-commit hook uses this to judge what is about to be committed
 * (the index, not the work tree) and to know where git runs hooks from.
 * Everything goes through libgit2: the git command may be missing, slow
 * to start on every commit, or a different version than the one the user
 * thinks of.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "repo.h"
#include "strbuf.h"
#include "util.h"

static const char *
git_msg(void)
{
	const git_error *e = git_error_last();

	return e != NULL && e->message != NULL ? e->message : "unknown error";
}

static void
git_shutdown_atexit(void)
{
	git_libgit2_shutdown();
}

static void
git_init_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	git_libgit2_init();
	/* so that valgrind sees libgit2's global state freed */
	atexit(git_shutdown_atexit);
}

static void
strip_slashes(char *s)
{
	size_t len = strlen(s);

	while (len > 1 && s[len - 1] == '/')
		s[--len] = '\0';
}

/* A realpath'd copy of path in out. */
static int
real_path(struct strbuf *out, const char *path)
{
	char *p;

	if ((p = realpath(path, NULL)) == NULL)
		return rl_error_set("%s: %s", path, strerror(errno));
	strbuf_set(out, p);
	free(p);
	return 0;
}

static int
item_path(char **out, git_repository *git, git_repository_item_t item)
{
	git_buf b = GIT_BUF_INIT;

	if (git_repository_item_path(&b, git, item) < 0) {
		rl_error_set("%s: %s", git_repository_path(git), git_msg());
		git_buf_dispose(&b);
		return -1;
	}
	*out = xstrdup(b.ptr);
	git_buf_dispose(&b);
	strip_slashes(*out);
	return 0;
}

/*
 * core.hooksPath when set (relative to the work tree root, as git runs
 * hooks from there), else the common folder's hooks: linked worktrees
 * share them.
 */
static int
hooks_find(struct repo *r)
{
	git_config *cfg;
	git_buf b = GIT_BUF_INIT;
	struct strbuf path = STRBUF_INIT;
	int rc;

	if (git_repository_config_snapshot(&cfg, r->git) < 0)
		return rl_error_set("%s: config: %s", r->workdir, git_msg());
	rc = git_config_get_path(&b, cfg, "core.hooksPath");
	if (rc == GIT_ENOTFOUND) {
		git_config_free(cfg);
		return item_path(&r->hooks_dir, r->git,
		    GIT_REPOSITORY_ITEM_HOOKS);
	}
	if (rc < 0) {
		rl_error_set("%s: core.hooksPath: %s", r->workdir, git_msg());
		git_buf_dispose(&b);
		git_config_free(cfg);
		return -1;
	}
	if (b.ptr[0] != '/')
		strbuf_set(&path, r->workdir);
	strbuf_joinpath(&path, b.ptr);
	git_buf_dispose(&b);
	git_config_free(cfg);
	r->hooks_dir = strbuf_detach(&path);
	strip_slashes(r->hooks_dir);
	return 0;
}

int
repo_open(struct repo **out, const char *site_root)
{
	struct repo *r;
	struct strbuf site = STRBUF_INIT, wd = STRBUF_INIT;
	git_repository *git;
	const char *w;
	int rc;

	*out = NULL;
	git_init_once();
	/* git searches upwards from the physical path, as getcwd gives it */
	if (real_path(&site, site_root) < 0)
		return -1;
	rc = git_repository_open_ext(&git, site.buf, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		strbuf_free(&site);
		return 1;
	}
	if (rc < 0) {
		rl_error_set("%s: %s", site_root, git_msg());
		strbuf_free(&site);
		return -1;
	}
	if (git_repository_is_bare(git) ||
	    (w = git_repository_workdir(git)) == NULL) {
		rl_error_set("%s: repository %s is bare: nothing is checked "
		    "out to commit from", site_root, git_repository_path(git));
		git_repository_free(git);
		strbuf_free(&site);
		return -1;
	}
	if (real_path(&wd, w) < 0) {
		git_repository_free(git);
		strbuf_free(&site);
		return -1;
	}

	r = xcalloc(1, sizeof(*r));
	r->git = git;
	if (strcmp(site.buf, wd.buf) == 0)
		r->prefix = xstrdup("");
	else if (strncmp(site.buf, wd.buf, wd.len) == 0 &&
	    site.buf[wd.len] == '/')
		r->prefix = xstrdup(site.buf + wd.len + 1);
	else {
		rl_error_set("%s: not inside the work tree %s of its "
		    "repository", site_root, wd.buf);
		strbuf_free(&site);
		strbuf_free(&wd);
		repo_free(r);
		return -1;
	}
	strbuf_free(&site);
	r->workdir = strbuf_detach(&wd);
	if (item_path(&r->common_dir, git, GIT_REPOSITORY_ITEM_COMMONDIR) < 0 ||
	    hooks_find(r) < 0) {
		repo_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

void
repo_free(struct repo *r)
{
	if (r == NULL)
		return;
	git_repository_free(r->git);
	free(r->workdir);
	free(r->prefix);
	free(r->hooks_dir);
	free(r->common_dir);
	free(r);
}

static int
staged_cmp(const void *a, const void *b)
{
	const struct staged_entry *x = a, *y = b;

	return strcmp(x->path, y->path);
}

/*
 * The index being committed.  git names it in GIT_INDEX_FILE for the
 * pre-commit hook: a temporary one under `git commit -a` and
 * `git commit FILE`, the real one as ".git/index" otherwise.  A relative
 * name is relative to the hook's working folder, which git makes the work
 * tree root; resolving it there keeps it right after a chdir.
 */
static bool
index_env_path(struct strbuf *out, const struct repo *r)
{
	const char *env = getenv("GIT_INDEX_FILE");

	strbuf_reset(out);
	if (env == NULL || *env == '\0')
		return false;
	if (env[0] != '/')
		strbuf_set(out, r->workdir);
	strbuf_joinpath(out, env);
	return true;
}

static int
index_load(git_index **out, struct repo *r)
{
	struct strbuf path = STRBUF_INIT;

	if (index_env_path(&path, r)) {
		if (git_index_open(out, path.buf) < 0) {
			rl_error_set("GIT_INDEX_FILE %s: %s", path.buf,
			    git_msg());
			strbuf_free(&path);
			return -1;
		}
		strbuf_free(&path);
		return 0;
	}
	if (git_repository_index(out, r->git) < 0)
		return rl_error_set("%s: index: %s", r->workdir, git_msg());
	if (git_index_read(*out, true) < 0) {
		rl_error_set("%s: index: %s", r->workdir, git_msg());
		git_index_free(*out);
		return -1;
	}
	return 0;
}

int
repo_staged(struct staged *out, struct repo *r)
{
	const git_index_entry *e;
	git_index *idx;
	size_t i, n, alloc = 0, plen = strlen(r->prefix);
	const char *rel;

	out->v = NULL;
	out->n = 0;
	if (index_load(&idx, r) < 0)
		return -1;
	n = git_index_entrycount(idx);
	for (i = 0; i < n; i++) {
		if ((e = git_index_get_byindex(idx, i)) == NULL)
			continue;
		/* conflicts cannot be committed; `add -N` adds no content */
		if (GIT_INDEX_ENTRY_STAGE(e) != 0 ||
		    (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD))
			continue;
		rel = e->path;
		if (plen != 0) {
			if (strncmp(rel, r->prefix, plen) != 0 ||
			    rel[plen] != '/')
				continue;
			rel += plen + 1;
		}
		ALLOC_GROW(out->v, out->n + 1, alloc);
		out->v[out->n].path = xstrdup(rel);
		out->v[out->n].mode = e->mode;
		git_oid_cpy(&out->v[out->n].id, &e->id);
		out->n++;
	}
	git_index_free(idx);
	/* libgit2 orders the index case-insensitively under core.ignorecase */
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), staged_cmp);
	return 0;
}

/*
 * Whether path is git's temporary index for a commit of named paths:
 * "next-index-<digits>.lock" directly in the repository's git folder
 * (git's builtin/commit.c, prepare_index: "%s/next-index-%"PRIuMAX, the
 * git dir and its pid, locked).  Folders are compared physically.
 */
static bool
index_is_partial(const struct repo *r, const char *path)
{
	struct strbuf dir = STRBUF_INIT, gitdir = STRBUF_INIT;
	const char *base = strrchr(path, '/'), *p;
	bool yes = false;

	if (base == NULL || strncmp(base + 1, "next-index-", 11) != 0)
		return false;
	for (p = base + 12; *p >= '0' && *p <= '9'; p++)
		;
	if (p == base + 12 || strcmp(p, ".lock") != 0)
		return false;
	strbuf_add(&dir, path, (size_t)(base - path));
	if (real_path(&dir, dir.len ? dir.buf : "/") == 0 &&
	    real_path(&gitdir, git_repository_path(r->git)) == 0)
		yes = strcmp(dir.buf, gitdir.buf) == 0;
	strbuf_free(&dir);
	strbuf_free(&gitdir);
	return yes;
}

static int
head_tree(git_tree **out, struct repo *r)
{
	git_object *obj;
	int rc;

	*out = NULL;
	if ((rc = git_repository_head_unborn(r->git)) == 1)
		return 0;	/* the first commit: everything is new */
	if (rc < 0 || git_revparse_single(&obj, r->git, "HEAD^{tree}") < 0)
		return rl_error_set("%s: HEAD: %s", r->workdir, git_msg());
	*out = (git_tree *)obj;
	return 0;
}

int
repo_partial_commit(char ***paths, size_t *n, struct repo *r)
{
	struct strbuf path = STRBUF_INIT;
	git_diff_options opts;
	const git_diff_delta *d;
	git_diff *diff = NULL;
	git_index *idx = NULL;
	git_tree *head = NULL;
	size_t i, nd, alloc = 0;
	int rc = -1;

	*paths = NULL;
	*n = 0;
	if (!index_env_path(&path, r) || !index_is_partial(r, path.buf)) {
		strbuf_free(&path);
		return 0;
	}
	if (index_load(&idx, r) < 0 || head_tree(&head, r) < 0)
		goto out;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_index(&diff, r->git, head, idx, &opts) < 0) {
		rl_error_set("%s: %s", path.buf, git_msg());
		goto out;
	}
	nd = git_diff_num_deltas(diff);
	for (i = 0; i < nd; i++) {
		d = git_diff_get_delta(diff, i);
		ALLOC_GROW(*paths, *n + 1, alloc);
		(*paths)[(*n)++] = xstrdup(d->status == GIT_DELTA_DELETED ?
		    d->old_file.path : d->new_file.path);
	}
	rc = 1;
out:
	git_diff_free(diff);
	git_tree_free(head);
	git_index_free(idx);
	strbuf_free(&path);
	return rc;
}

void
repo_paths_free(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

void
staged_free(struct staged *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int
repo_blob(struct strbuf *out, struct repo *r, const git_oid *id)
{
	git_blob *blob;
	char hex[GIT_OID_HEXSZ + 1];

	if (git_blob_lookup(&blob, r->git, id) < 0)
		return rl_error_set("blob %s: %s",
		    git_oid_tostr(hex, sizeof(hex), id), git_msg());
	strbuf_reset(out);
	strbuf_add(out, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

int
repo_blob_size(uint64_t *out, struct repo *r, const git_oid *id)
{
	git_odb *odb;
	git_object_t type;
	size_t len;
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	if (git_repository_odb(&odb, r->git) < 0)
		return rl_error_set("%s: object database: %s", r->workdir,
		    git_msg());
	if (git_odb_read_header(&len, &type, odb, id) < 0) {
		rl_error_set("blob %s: %s", hex, git_msg());
		git_odb_free(odb);
		return -1;
	}
	git_odb_free(odb);
	if (type != GIT_OBJECT_BLOB)
		return rl_error_set("object %s: a %s, not a blob", hex,
		    git_object_type2string(type));
	*out = len;
	return 0;
}

int
repo_is_ignored(bool *out, struct repo *r, const char *site_rel)
{
	struct strbuf path = STRBUF_INIT;
	int ign;

	strbuf_set(&path, r->prefix);
	strbuf_joinpath(&path, site_rel);
	if (git_ignore_path_is_ignored(&ign, r->git, path.buf) < 0) {
		rl_error_set("%s: ignore rules: %s", path.buf, git_msg());
		strbuf_free(&path);
		return -1;
	}
	strbuf_free(&path);
	*out = ign != 0;
	return 0;
}

/* Length of s without trailing blanks and CR: how git reads the line. */
static size_t
line_len(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r'))
		len--;
	return len;
}

/* Whether text (of len bytes) has a line equal to want. */
static bool
has_line(const char *text, size_t len, const char *want, size_t wlen)
{
	const char *p = text, *end = text + len, *nl;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (line_len(p, (size_t)(nl - p)) == wlen &&
		    memcmp(p, want, wlen) == 0)
			return true;
		p = nl + 1;
	}
	return false;
}

/* The content of path into out; a missing file reads as empty. */
static int
file_slurp(struct strbuf *out, const char *path)
{
	char buf[8192];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		return rl_error_set("%s: %s", path, strerror(errno));
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			rl_error_set("%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		strbuf_add(out, buf, (size_t)n);
	}
	close(fd);
	return 0;
}

static int
file_append(const char *path, const char *data, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd == -1)
		return rl_error_set("%s: %s", path, strerror(errno));
	while (len > 0) {
		if ((n = write(fd, data, len)) == -1) {
			if (errno == EINTR)
				continue;
			rl_error_set("%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) == -1)
		return rl_error_set("%s: %s", path, strerror(errno));
	return 0;
}

int
repo_exclude_add(struct repo *r, const char *const *lines, size_t n,
    size_t *added)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct strbuf add = STRBUF_INIT;
	size_t i, wlen;
	int rc = -1;

	*added = 0;
	strbuf_set(&path, r->common_dir);
	strbuf_joinpath(&path, "info");
	if (mkdir(path.buf, 0777) == -1 && errno != EEXIST) {
		rl_error_set("%s: %s", path.buf, strerror(errno));
		goto out;
	}
	strbuf_joinpath(&path, "exclude");
	if (file_slurp(&text, path.buf) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		wlen = line_len(lines[i], strlen(lines[i]));
		if (wlen == 0 || has_line(text.buf, text.len, lines[i], wlen) ||
		    has_line(add.buf, add.len, lines[i], wlen))
			continue;
		strbuf_add(&add, lines[i], wlen);
		strbuf_putc(&add, '\n');
		(*added)++;
	}
	if (add.len == 0) {
		rc = 0;
		goto out;
	}
	/* a last line without newline would otherwise swallow ours */
	if (text.len > 0 && text.buf[text.len - 1] != '\n') {
		strbuf_reset(&text);
		strbuf_putc(&text, '\n');
		strbuf_add(&text, add.buf, add.len);
		rc = file_append(path.buf, text.buf, text.len);
	} else
		rc = file_append(path.buf, add.buf, add.len);
	if (rc < 0)
		*added = 0;
out:
	strbuf_free(&path);
	strbuf_free(&text);
	strbuf_free(&add);
	return rc;
}
