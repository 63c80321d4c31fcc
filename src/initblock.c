/*
 * initblock.c - the block `renderlink init` writes; see initblock.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "initblock.h"
#include "util.h"

static bool
plain_ok(const char *s)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "on", "off", "true", "false", "null"
	};
	const char *p;
	size_t i;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_./-", *p))
			return false;
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strcasecmp(s, words[i]) == 0)
			return false;
	return true;
}

void
initblock_scalar(struct strbuf *out, const char *s, bool quote)
{
	if (!quote && plain_ok(s)) {
		strbuf_puts(out, s);
		return;
	}
	strbuf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_putc(out, '\'');
		strbuf_putc(out, *s);
	}
	strbuf_putc(out, '\'');
}

struct bline {
	char		*text;
	const char	*comment;
};

/*
 * Comments are aligned in one column; a line too long for that (a long
 * media root) gets its comment two spaces on, rather than pushing every
 * comment off the screen.
 */
char *
initblock_text(const struct initblock *b, const char *eol)
{
	struct bline l[7];
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
	size_t i, n = 0, col = 24, len;

#define LINE(c) do {							\
	l[n].text = strbuf_detach(&sb);					\
	l[n++].comment = (c);						\
} while (0)
	strbuf_puts(&sb, "renderlink:");
	LINE("see man 5 renderlink-config");
	strbuf_puts(&sb, "  links:");
	LINE("link sets, one per kind of media");
	strbuf_puts(&sb, "    - name: ");
	initblock_scalar(&sb, b->name, false);
	LINE("the set's name, for messages and --set");
	strbuf_puts(&sb, "      key: ");
	initblock_scalar(&sb, b->key, false);
	LINE("front matter key listing a page's renders");
	strbuf_puts(&sb, "      source: ");
	initblock_scalar(&sb, b->source, true);
	LINE("media root; references are relative to it");
	strbuf_puts(&sb, "      target: ");
	initblock_scalar(&sb, b->target, false);
	LINE("site folder that gets one link per render");
	strbuf_puts(&sb, "      extensions: [");
	for (i = 0; i < b->nexts; i++) {
		if (i)
			strbuf_puts(&sb, ", ");
		initblock_scalar(&sb, b->exts[i], false);
	}
	strbuf_putc(&sb, ']');
	LINE("file extensions a reference may have");
#undef LINE

	for (i = 0; i < n; i++)
		if ((len = strlen(l[i].text) + 2) > col && len <= 46)
			col = len;
	strbuf_printf(&out, "# renderlink keeps one symlink in the site for "
	    "each media file a page names%s# in its front matter (added by "
	    "'renderlink init'; for a second set, such as%s# stems, copy the "
	    "entry from '- name:' on and change it).%s", eol, eol, eol);
	for (i = 0; i < n; i++) {
		len = strlen(l[i].text);
		strbuf_puts(&out, l[i].text);
		strbuf_printf(&out, "%*s# %s%s", (int)(len + 2 <= col ?
		    col - len : 2), "", l[i].comment, eol);
		free(l[i].text);
	}
	return strbuf_detach(&out);
}
