/*
 * strbuf.h - a growable, always NUL-terminated byte string.
 *
 * Used everywhere a path or message is built, so that no caller sizes a
 * char array by hand.  Allocation failure aborts (see xmalloc in util.h):
 * a tool that runs for milliseconds has nothing sensible to do without
 * memory, and callers stay free of error paths that can never be tested.
 */
#ifndef RL_STRBUF_H
#define RL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char	*buf;	/* always valid and NUL-terminated, even when empty */
	size_t	 len;
	size_t	 alloc;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void	 strbuf_init(struct strbuf *sb);
void	 strbuf_free(struct strbuf *sb);
void	 strbuf_reset(struct strbuf *sb);
void	 strbuf_grow(struct strbuf *sb, size_t extra);
void	 strbuf_setlen(struct strbuf *sb, size_t len);
void	 strbuf_add(struct strbuf *sb, const void *data, size_t len);
void	 strbuf_puts(struct strbuf *sb, const char *s);
void	 strbuf_putc(struct strbuf *sb, int c);
void	 strbuf_printf(struct strbuf *sb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void	 strbuf_set(struct strbuf *sb, const char *s);
/* Appends v in decimal (no printf: for files of many numbers). */
void	 strbuf_putu(struct strbuf *sb, unsigned long long v);
/* Appends "/" (unless empty or already ending in one), then s. */
void	 strbuf_joinpath(struct strbuf *sb, const char *s);
/*
 * Appends s with every control character shown, not sent: "\n", "\r",
 * and "\xNN" for the others (tab is kept).  For every line meant for a
 * person: a name holding a newline must not forge a line, and an escape
 * sequence must not reach the terminal.
 */
void	 strbuf_puts_visible(struct strbuf *sb, const char *s);
/* Hands the buffer to the caller (who frees it) and resets sb. */
char	*strbuf_detach(struct strbuf *sb);

#endif
