/*
 * frontmatter.c - a page's YAML front matter as JSON, typed the way
 * Jekyll will see it; see frontmatter.h.
 *
 * The index must say what Jekyll sees, so both halves copy Jekyll 4.3
 * rather than YAML in general.  Finding the block follows Jekyll's two
 * regular expressions (has_yaml_header? and YAML_FRONT_MATTER_REGEXP),
 * and the text handed to the YAML reader is exactly what Jekyll hands to
 * Psych: from the opening "---" up to the closing line, so libyaml's line
 * numbers are already the page's.  Typing the values is psych.c's.
 *
 * Reading stops at the closing line: pages sit next to large renders, and
 * a file that does not start with "---" costs one small read.  A block
 * that never closes is a page with no front matter to Jekyll, and finding
 * that out means reading to the end: past FM_KEEP the block is scanned
 * without being kept, so memory stays bounded.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontmatter.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

#define FM_CHUNK	4096
/*
 * How much of a front matter block is held while looking for its end.
 * Past it the block is only scanned, and read again once its end is
 * found, so a file that opens a block and never closes it (a page, to
 * Jekyll) is not held in memory whole.
 */
#define FM_KEEP		(256 * 1024)
/*
 * The largest front matter block read: a page's data, not its body.  A
 * closed block above it is an error for that page (FM_MAX_TEXT in
 * frontmatter.h), so no page can make renderlink hold gigabytes.
 */
#define FM_MAX		FRONTMATTER_MAX_BYTES

enum fm_state {
	FM_NONE,	/* the first line is not "---" */
	FM_MORE,	/* undecided: give more bytes */
	FM_CLOSED,	/* block found */
	FM_OPEN		/* "---" but no closing line before the end */
};

/* Where a scan stopped, so that a longer buffer is not looked at twice. */
struct fm_scan {
	size_t	 pos;		/* next byte of line 1, or start of a line */
	size_t	 seen;		/* bytes from pos known to hold no '\n' */
	bool	 opened;	/* line 1 is "---" and its '\n' was seen */
};

/* Ruby's \s without the newline. */
static bool
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* A line (without its '\n') that closes the block: ---|... then blanks. */
static bool
is_closing_line(const char *s, size_t len)
{
	size_t i;

	if (len < 3 || (memcmp(s, "---", 3) != 0 &&
	    memcmp(s, "...", 3) != 0))
		return false;
	for (i = 3; i < len; i++)
		if (!is_blank((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * Looks at buf[0..len), the start of a page; eof says nothing follows.
 * On FM_CLOSED, *end is where the closing line starts.
 */
static enum fm_state
fm_find(struct fm_scan *st, const char *buf, size_t len, bool eof,
    size_t *end)
{
	const char *nl;
	size_t n;

	if (!st->opened) {
		/* has_yaml_header?: /\A---\s*\r?\n/ on the first line */
		n = len < 3 ? len : 3;
		if (memcmp(buf, "---", n) != 0)
			return FM_NONE;
		if (len < 3)
			return eof ? FM_NONE : FM_MORE;
		if (st->pos < 3)
			st->pos = 3;
		while (st->pos < len && is_blank((unsigned char)buf[st->pos]))
			st->pos++;
		if (st->pos == len)
			return eof ? FM_NONE : FM_MORE;
		if (buf[st->pos] != '\n')
			return FM_NONE;
		st->pos++;
		st->seen = 0;
		st->opened = true;
	}
	for (;;) {
		nl = memchr(buf + st->pos + st->seen, '\n',
		    len - st->pos - st->seen);
		if (nl == NULL && !eof) {
			st->seen = len - st->pos;
			return FM_MORE;
		}
		n = nl ? (size_t)(nl - (buf + st->pos)) : len - st->pos;
		if (is_closing_line(buf + st->pos, n)) {
			*end = st->pos;
			return FM_CLOSED;
		}
		if (nl == NULL)
			return FM_OPEN;
		st->pos += n + 1;
		st->seen = 0;
	}
}

/* The block buf[0..end) (opening line included, as Jekyll gives it). */
static int
fm_load(json_t **out, const char *buf, size_t end, const char *display)
{
	struct ynode *root;
	json_t *j;

	if (ytree_load(&root, buf, end, display, 0) < 0)
		return -1;
	if ((j = ynode_to_json(root)) == NULL) {
		ynode_free(root);
		return -1;
	}
	/* Jekyll keeps {} for nil, and for false ("data ||= {}"). */
	if (json_is_null(j) || json_is_false(j)) {
		json_decref(j);
		j = json_object();
	}
	if (!json_is_object(j)) {
		rl_error_set("%s: front matter must be a map of names to "
		    "values, not %s", ynode_where(root),
		    root->kind == YNODE_SEQ ? "a list" : "a single value");
		json_decref(j);
		ynode_free(root);
		return -1;
	}
	ynode_free(root);
	*out = j;
	return 0;
}

/*
 * "---" on line 1 and no closing line: Jekyll's has_yaml_header? takes
 * the file for a page (or a document), its YAML_FRONT_MATTER_REGEXP does
 * not match, and the page is rendered with no data at all (measured with
 * Jekyll 4.3.1: open.md becomes open.html, its would-be keys printed in
 * the body).  So it is indexed with {} and said out loud.
 */
static int
fm_unclosed(json_t **out)
{
	*out = json_object();
	rl_error_set("the front matter opened by the \"---\" on line 1 is "
	    "never closed by a \"---\" line, so Jekyll renders the page with "
	    "no front matter at all, and it is indexed so");
	return FM_UNCLOSED;
}

int
frontmatter_parse(json_t **out, const char *buf, size_t len,
    const char *display)
{
	struct fm_scan st = { 0, 0, false };
	size_t end = 0;

	*out = NULL;
	switch (fm_find(&st, buf, len, true, &end)) {
	case FM_CLOSED:
		return fm_load(out, buf, end, display);
	case FM_OPEN:
		return fm_unclosed(out);
	default:
		return 1;
	}
}

/*
 * The line being looked at once a block has grown past FM_KEEP without
 * a closing line: is_closing_line's test, one byte at a time, so that a
 * file that never closes its block is scanned to the end in constant
 * memory instead of being held whole.
 */
struct fm_tail {
	off_t	 line;		/* where the line starts in the file */
	size_t	 len;		/* its bytes so far */
	char	 first;
	bool	 closing;	/* so far it could close the block */
};

static bool
tail_done(const struct fm_tail *t)
{
	return t->closing && t->len >= 3;
}

/* Feeds buf (at file offset off); true with *end when a line closed. */
static bool
tail_scan(struct fm_tail *t, const char *buf, size_t n, off_t off,
    off_t *end)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			if (tail_done(t)) {
				*end = t->line;
				return true;
			}
			t->line = off + (off_t)i + 1;
			t->len = 0;
			t->closing = true;
			continue;
		}
		if (t->len == 0)
			t->first = buf[i];
		if (t->len < 3)
			t->closing = t->closing && buf[i] == t->first &&
			    (buf[i] == '-' || buf[i] == '.');
		else
			t->closing = t->closing &&
			    is_blank((unsigned char)buf[i]);
		t->len++;
	}
	return false;
}

/* Reads up to EOF in constant memory; 1 with *end when a line closes. */
static int
tail_read(int fd, struct fm_tail *t, off_t off, off_t *end,
    const char *display)
{
	char buf[FM_CHUNK];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rl_error_set("%s: %s", display, strerror(errno));
		if (n == 0) {
			*end = t->line;
			return tail_done(t) ? 1 : 0;
		}
		if (tail_scan(t, buf, (size_t)n, off, end))
			return 1;
		off += n;
	}
}

/* The first len bytes of fd again, into sb. */
static int
reread(struct strbuf *sb, int fd, size_t len, const char *display)
{
	ssize_t n;

	strbuf_reset(sb);
	strbuf_grow(sb, len);
	while (sb->len < len) {
		n = pread(fd, sb->buf + sb->len, len - sb->len,
		    (off_t)sb->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return rl_error_set("%s: %s", display, n < 0 ?
			    strerror(errno) : "changed while it was read");
		strbuf_setlen(sb, sb->len + (size_t)n);
	}
	return 0;
}

int
frontmatter_read(json_t **out, int dirfd, const char *path, bool follow,
    const char *display)
{
	struct fm_scan st = { 0, 0, false };
	struct strbuf sb = STRBUF_INIT;
	struct fm_tail tail;
	enum fm_state state;
	struct stat sbuf;
	size_t end = 0;
	off_t tend, off;
	ssize_t n;
	bool eof = false;
	int fd, r;

	*out = NULL;
	/* O_NONBLOCK: a FIFO must not hang us before fstat says what it is. */
	fd = openat(dirfd, path, O_RDONLY | (follow ? 0 : O_NOFOLLOW) |
	    O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return rl_error_set("%s: %s", display, errno == ELOOP &&
		    !follow ? "is a symlink" : strerror(errno));
	if (fstat(fd, &sbuf) < 0) {
		r = errno;
		close(fd);
		return rl_error_set("%s: %s", display, strerror(r));
	}
	if (!S_ISREG(sbuf.st_mode)) {
		close(fd);
		return rl_error_set("%s: not a regular file", display);
	}
	for (;;) {
		strbuf_grow(&sb, FM_CHUNK);
		n = read(fd, sb.buf + sb.len, FM_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = errno;
			close(fd);
			strbuf_free(&sb);
			return rl_error_set("%s: %s", display, strerror(r));
		}
		if (n == 0)
			eof = true;
		else
			strbuf_setlen(&sb, sb.len + (size_t)n);
		state = fm_find(&st, sb.buf, sb.len, eof, &end);
		if (state != FM_MORE || (st.opened && sb.len >= FM_KEEP))
			break;
	}
	if (state == FM_MORE) {
		/* A long block: look for its end without keeping it. */
		memset(&tail, 0, sizeof(tail));
		tail.line = (off_t)st.pos;
		tail.closing = true;
		/* the rest of the buffer is one line, without its '\n' */
		(void)tail_scan(&tail, sb.buf + st.pos, sb.len - st.pos,
		    (off_t)st.pos, &tend);
		off = (off_t)sb.len;
		strbuf_free(&sb);
		r = tail_read(fd, &tail, off, &tend, display);
		if (r == 1 && (size_t)tend > FM_MAX)
			r = rl_error_set("%s:1:1: the front matter block is "
			    "%lld bytes, more than the %d MiB renderlink reads",
			    display, (long long)tend, FM_MAX >> 20);
		else if (r == 1) {
			end = (size_t)tend;
			state = FM_CLOSED;
			r = reread(&sb, fd, end, display);
		} else if (r == 0)
			state = FM_OPEN;
		if (r < 0) {
			close(fd);
			strbuf_free(&sb);
			return -1;
		}
	}
	close(fd);
	r = 1;
	if (state == FM_CLOSED)
		r = fm_load(out, sb.buf, end, display);
	else if (state == FM_OPEN)
		r = fm_unclosed(out);
	strbuf_free(&sb);
	return r;
}
