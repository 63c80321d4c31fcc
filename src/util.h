/*
 * util.h - allocation that cannot fail, diagnostics, and the error object.
 *
 * Error convention (libgit2's): every fallible call returns an int, 0 on
 * success and -1 on failure, having first called rl_error_set() with a
 * message that names the file, line and value involved.  The caller either
 * adds context with rl_error_prefix() or reports rl_error_last().
 */
#ifndef RL_UTIL_H
#define RL_UTIL_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

extern const char *rl_progname;

void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* Grows *p (an array of *alloc elements of size sz) to hold at least n. */
void	 xgrow(void *pp, size_t *alloc, size_t n, size_t sz);
#define ALLOC_GROW(p, n, alloc) xgrow(&(p), &(alloc), (n), sizeof(*(p)))

__attribute__((noreturn, format(printf, 1, 2)))
void	 die(const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void	 warnx_(const char *fmt, ...);

/* The error object: one slot, last error wins. Always returns -1. */
__attribute__((format(printf, 1, 2)))
int	 rl_error_set(const char *fmt, ...);
/* Puts "prefix: " in front of the current message. Returns -1. */
__attribute__((format(printf, 1, 2)))
int	 rl_error_prefix(const char *fmt, ...);
const char *rl_error_last(void);
void	 rl_error_clear(void);

#endif
