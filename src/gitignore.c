/*
 * gitignore.c - .gitignore lines; see gitignore.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "gitignore.h"
#include "util.h"

void
gitignore_literal(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\*?[", *s))
			strbuf_putc(out, '\\');
		strbuf_putc(out, *s);
	}
}

void
gitignore_folder_line(struct strbuf *out, const char *prefix,
    const char *dir)
{
	strbuf_reset(out);
	strbuf_putc(out, '/');
	if (*prefix) {
		gitignore_literal(out, prefix);
		strbuf_putc(out, '/');
	}
	gitignore_literal(out, dir);
	strbuf_putc(out, '/');
}

/* Reads fd to its end into out. */
static int
read_all(struct strbuf *out, int fd, const char *path)
{
	ssize_t n;

	for (;;) {
		strbuf_grow(out, 8192);
		n = read(fd, out->buf + out->len, 8192);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rl_error_set("%s: %s", path, strerror(errno));
		if (n == 0)
			return 0;
		strbuf_setlen(out, out->len + (size_t)n);
	}
}

int
gitignore_has_line(bool *out, const char *path, const char *line)
{
	struct strbuf text = STRBUF_INIT;
	size_t n = strlen(line), len;
	const char *p, *nl;
	int fd, r;

	*out = false;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 :
		    rl_error_set("%s: %s", path, strerror(errno));
	r = read_all(&text, fd, path);
	close(fd);
	for (p = text.buf; r == 0 && *p && !*out; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		len = (size_t)(nl - p);
		while (len && strchr(" \t\r", p[len - 1]))
			len--;
		*out = len == n && memcmp(p, line, n) == 0;
	}
	strbuf_free(&text);
	return r;
}

int
gitignore_append(const char *path, const char *line)
{
	struct strbuf text = STRBUF_INIT, add = STRBUF_INIT;
	const char *nl, *eol;
	size_t off = 0;
	ssize_t n;
	int fd, r;

	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return rl_error_set("%s: %s", path, strerror(errno));
	if ((r = read_all(&text, fd, path)) < 0)
		goto out;
	nl = memchr(text.buf, '\n', text.len);
	eol = nl && nl > text.buf && nl[-1] == '\r' ? "\r\n" : "\n";
	/* a last line without its newline would swallow ours */
	if (text.len && text.buf[text.len - 1] != '\n')
		strbuf_puts(&add, eol);
	strbuf_puts(&add, line);
	strbuf_puts(&add, eol);
	while (off < add.len) {
		if ((n = write(fd, add.buf + off, add.len - off)) < 0) {
			if (errno == EINTR)
				continue;
			r = rl_error_set("%s: %s", path, strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
out:
	if (close(fd) < 0 && r == 0)
		r = rl_error_set("%s: %s", path, strerror(errno));
	strbuf_free(&text);
	strbuf_free(&add);
	return r;
}
