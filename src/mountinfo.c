/*
 * mountinfo.c - reading /proc/self/mountinfo; see mountinfo.h.
 *
 * A line is
 *   ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE SOURCE SUPER
 * with space, tab, newline and backslash octal-escaped in the fields.
 * Lines that do not have this shape are skipped, as WSL's own parser
 * skips them.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "mountinfo.h"
#include "util.h"

#define MOUNTINFO_PATH	"/proc/self/mountinfo"

#define MI_ID		0
#define MI_ROOT		3
#define MI_MOUNTPOINT	4
#define MI_FIRSTOPT	6

const char *
mountinfo_path(void)
{
	const char *p = getenv("RENDERLINK_MOUNTINFO");

	return p != NULL && *p != '\0' ? p : MOUNTINFO_PATH;
}

int
mountinfo_read(struct strbuf *out)
{
	return file_read(out, AT_FDCWD, mountinfo_path());
}

static void
unescape(struct strbuf *out, const char *s, size_t n)
{
	static const char *const esc[] = { "\\040", "\\011", "\\012",
	    "\\134" };
	static const char plain[] = { ' ', '\t', '\n', '\\' };
	size_t i, k;

	strbuf_reset(out);
	for (i = 0; i < n; i++) {
		for (k = 0; k < ARRAY_SIZE(esc); k++)
			if (n - i >= 4 && strncmp(s + i, esc[k], 4) == 0)
				break;
		if (k < ARRAY_SIZE(esc)) {
			strbuf_putc(out, plain[k]);
			i += 3;
		} else
			strbuf_putc(out, s[i]);
	}
}

static void
each_line(const char *line, size_t len, mount_fn fn, void *arg)
{
	const char *f[64], *p, *end = line + len;
	size_t flen[64], nf = 0, dash, n;
	struct strbuf root = STRBUF_INIT, mnt = STRBUF_INIT;
	struct strbuf type = STRBUF_INIT, src = STRBUF_INIT;
	struct strbuf opts = STRBUF_INIT, id = STRBUF_INIT;
	struct mount_entry m;
	char *idend;

	/* Fields are split at single spaces: an empty source is a field. */
	for (p = line; nf < ARRAY_SIZE(f); p += n + 1) {
		n = strcspn(p, " ");
		if (p + n > end)
			n = (size_t)(end - p);
		f[nf] = p;
		flen[nf++] = n;
		if (p + n >= end)
			break;
	}
	for (dash = MI_FIRSTOPT; dash < nf; dash++)
		if (flen[dash] == 1 && f[dash][0] == '-')
			break;
	if (dash + 2 >= nf)
		return;

	strbuf_add(&id, f[MI_ID], flen[MI_ID]);
	m.id = strtol(id.buf, &idend, 10);
	if (id.len == 0 || *idend != '\0')
		m.id = -1;
	unescape(&root, f[MI_ROOT], flen[MI_ROOT]);
	unescape(&mnt, f[MI_MOUNTPOINT], flen[MI_MOUNTPOINT]);
	unescape(&type, f[dash + 1], flen[dash + 1]);
	unescape(&src, f[dash + 2], flen[dash + 2]);
	if (dash + 3 < nf)
		unescape(&opts, f[dash + 3], flen[dash + 3]);
	m.root = root.buf;
	m.mountpoint = mnt.buf;
	m.type = type.buf;
	m.source = src.buf;
	m.options = opts.buf;
	fn(&m, arg);

	strbuf_free(&id);
	strbuf_free(&root);
	strbuf_free(&mnt);
	strbuf_free(&type);
	strbuf_free(&src);
	strbuf_free(&opts);
}

void
mountinfo_each(const char *text, mount_fn fn, void *arg)
{
	const char *p;
	size_t n;

	for (p = text; *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		if (n > 0)
			each_line(p, n, fn, arg);
	}
}

struct type_of {
	long		 mnt_id;
	const char	*path;
	struct strbuf	 by_id;		/* the type of the line with mnt_id */
	struct strbuf	 by_path;	/* of the longest mount point */
	size_t		 best;		/* its length + 1; 0: none yet */
	bool		 have_id;
};

static void
type_of_line(const struct mount_entry *m, void *arg)
{
	struct type_of *t = arg;
	size_t n = strlen(m->mountpoint);

	if (m->mountpoint[0] != '/' || !path_inside(t->path, m->mountpoint))
		return;
	if (t->mnt_id >= 0 && m->id == t->mnt_id) {
		strbuf_set(&t->by_id, m->type);
		t->have_id = true;
	}
	if (n + 1 >= t->best) {
		strbuf_set(&t->by_path, m->type);
		t->best = n + 1;
	}
}

int
mountinfo_type_of(struct strbuf *type, const char *text, long mnt_id,
    const char *path)
{
	struct type_of t = { mnt_id, path, STRBUF_INIT, STRBUF_INIT, 0,
	    false };
	int rc = 0;

	mountinfo_each(text, type_of_line, &t);
	if (t.have_id)
		strbuf_set(type, t.by_id.buf);
	else if (t.best > 0)
		strbuf_set(type, t.by_path.buf);
	else
		rc = 1;
	strbuf_free(&t.by_id);
	strbuf_free(&t.by_path);
	return rc;
}
