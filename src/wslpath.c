/*
 * wslpath.c - Windows paths in the config become Linux paths, the way
 * WSL's own `wslpath -u` turns them.
 *
 * The config's media root is written the way the musician sees it in
 * Explorer (E:\media\songs), so we must land on the same folder WSL would:
 * drive letters go through the mount table first (a drive, or one of its
 * folders, can be mounted anywhere), and only then fall back to the
 * automount root.  Everything here works on text; wslpath_env_load() is
 * the only place that reads files, so the tests can feed the rest with
 * literal mountinfo and wsl.conf text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mountinfo.h"
#include "strbuf.h"
#include "util.h"
#include "wslpath.h"

#define WSLCONF_PATH	"/etc/wsl.conf"
/* Where WSL leaves a symlink from each virtiofs tag to its Windows path. */
#define VIRTIOFS_TAGDIR	"/run/wsl/virtiofs"
#define DEFAULT_ROOT	"/mnt/"
#define WINSEPS		"/\\"

static bool
is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* ASCII only: isalpha() would follow the locale. */
static bool
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static char
to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool
is_name_start(char c)
{
	return is_letter(c) || c == '_';
}

static bool
is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/*
 * Appends the segments of s (split at any of seps) to dst, each after a
 * sep, dropping empty and "." segments and folding "..".  What dst held
 * on entry is the floor: a ".." that would cut into it fails.
 */
static int
fold_append(struct strbuf *dst, const char *s, const char *seps, char sep)
{
	size_t floor = dst->len;
	size_t n;
	char *cut;

	while (*s != '\0') {
		n = strcspn(s, seps);
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (dst->len == floor)
				return -1;
			cut = memrchr(dst->buf + floor, sep, dst->len - floor);
			strbuf_setlen(dst, (size_t)(cut - dst->buf));
		} else if (n > 0 && !(n == 1 && s[0] == '.')) {
			strbuf_putc(dst, sep);
			strbuf_add(dst, s, n);
		}
		s += n;
		if (*s != '\0')
			s++;
	}
	return 0;
}

/*
 * Names under \\wsl$ carry the characters NTFS forbids as U+F000 + c
 * (UTF-8 EF 80 xx / EF 81 xx); WSL turns them back, so do we.  '/' and
 * NUL are never escaped, so the path's shape cannot change here.
 */
static bool
is_escaped_char(int c)
{
	return (c > 0 && c < 0x20) || c == '"' || c == '*' || c == ':' ||
	    c == '<' || c == '>' || c == '?' || c == '\\' || c == '|';
}

static void
unescape_private(struct strbuf *sb)
{
	size_t i, j;
	unsigned char *p = (unsigned char *)sb->buf;
	int c;

	for (i = j = 0; i < sb->len; i++, j++) {
		if (i + 2 < sb->len && p[i] == 0xef &&
		    (p[i + 1] == 0x80 || p[i + 1] == 0x81) &&
		    (p[i + 2] & 0xc0) == 0x80) {
			c = ((p[i + 1] & 0x01) << 6) | (p[i + 2] & 0x3f);
			if (is_escaped_char(c)) {
				p[j] = (unsigned char)c;
				i += 2;
				continue;
			}
		}
		p[j] = p[i];
	}
	strbuf_setlen(sb, j);
}

/*
 * The mount whose Windows side is the longest prefix of key (a normalized
 * Windows path ending in '\').  Ties go to the later line: it was mounted
 * over the earlier one.
 */
static const struct wsl_mount *
mount_find(const struct wslpath_env *env, const char *key)
{
	const struct wsl_mount *best = NULL;
	size_t bestlen = 0, keylen = strlen(key), n, i;

	if (env->automount_forced)
		return NULL;
	for (i = 0; i < env->nmounts; i++) {
		n = strlen(env->mounts[i].windows);
		if (n > keylen || n < bestlen ||
		    strncasecmp(key, env->mounts[i].windows, n) != 0)
			continue;
		best = &env->mounts[i];
		bestlen = n;
	}
	return best;
}

/* out += linux + rest (a Windows path tail), '\' turned into '/'. */
static void
put_mapped(struct strbuf *out, const char *linux, const char *rest)
{
	size_t start = out->len, n;

	strbuf_puts(out, linux);
	for (; *rest != '\0'; rest += n) {
		n = strcspn(rest, "\\");
		if (n > 0) {
			if (out->len == start || out->buf[out->len - 1] != '/')
				strbuf_putc(out, '/');
			strbuf_add(out, rest, n);
		}
		if (rest[n] == '\\')
			n++;
	}
	if (out->len == start)
		strbuf_putc(out, '/');
}

/* p points at "X:\..." inside path. */
static int
drive_to_linux(struct strbuf *out, const char *path, const char *p,
    const struct wslpath_env *env)
{
	struct strbuf key = STRBUF_INIT, tmp = STRBUF_INIT;
	const struct wsl_mount *m;

	strbuf_putc(&key, to_upper(p[0]));
	strbuf_putc(&key, ':');
	if (fold_append(&key, p + 2, WINSEPS, '\\') < 0) {
		strbuf_free(&key);
		return rl_error_set("'%s' goes above the root of drive %c:\\",
		    path, to_upper(p[0]));
	}
	strbuf_putc(&key, '\\');
	if ((m = mount_find(env, key.buf)) != NULL)
		put_mapped(out, m->linux, key.buf + strlen(m->windows));
	else {
		strbuf_puts(&tmp, env->automount_root);
		strbuf_putc(&tmp, to_lower(p[0]));
		put_mapped(out, tmp.buf, key.buf + 3);
	}
	strbuf_free(&key);
	strbuf_free(&tmp);
	return 0;
}

static bool
is_wsl_host(const char *host, size_t n)
{
	return (n == 4 && strncasecmp(host, "wsl$", 4) == 0) ||
	    (n == 13 && strncasecmp(host, "wsl.localhost", 13) == 0);
}

/* p points just after the leading "\\" of path. */
static int
unc_to_linux(struct strbuf *out, const char *path, const char *p,
    const struct wslpath_env *env)
{
	struct strbuf sb = STRBUF_INIT;
	const struct wsl_mount *m;
	size_t hostlen, n;
	const char *distro;

	hostlen = strcspn(p, WINSEPS);
	if (hostlen == 0)
		return rl_error_set("'%s' names no server after \\\\", path);
	if (!is_wsl_host(p, hostlen)) {
		/* A share mounted into WSL is in the mount table. */
		strbuf_puts(&sb, "\\\\");
		strbuf_add(&sb, p, hostlen);
		if (fold_append(&sb, p + hostlen, WINSEPS, '\\') < 0) {
			strbuf_free(&sb);
			return rl_error_set("'%s' goes above its server", path);
		}
		strbuf_putc(&sb, '\\');
		if ((m = mount_find(env, sb.buf)) != NULL) {
			put_mapped(out, m->linux, sb.buf + strlen(m->windows));
			strbuf_free(&sb);
			return 0;
		}
		strbuf_free(&sb);
		return rl_error_set("'%s' is a network path that is not mounted "
		    "in WSL; use a drive letter, \\\\wsl$\\<distro>\\... or "
		    "the Linux mount point", path);
	}

	distro = p + hostlen;
	distro += strspn(distro, WINSEPS);
	if ((n = strcspn(distro, WINSEPS)) == 0)
		return rl_error_set("'%s' names no WSL distribution; write "
		    "\\\\%.*s\\<distro>\\...", path, (int)hostlen, p);
	if (fold_append(&sb, distro + n, WINSEPS, '/') < 0) {
		strbuf_free(&sb);
		return rl_error_set("'%s' goes above the root of distribution "
		    "'%.*s'", path, (int)n, distro);
	}
	unescape_private(&sb);
	/*
	 * WSL itself refuses the share when it cannot tell which
	 * distribution this is: WSL_DISTRO_NAME is missing under sudo, in
	 * services and in git GUIs started from Windows.
	 */
	if (env->distro == NULL) {
		rl_error_set("'%s' is a WSL share, but WSL_DISTRO_NAME is not "
		    "set, so it cannot be told to be this distribution (WSL's "
		    "own wslpath refuses it too); set WSL_DISTRO_NAME or write "
		    "the Linux path, '%s'", path, sb.len ? sb.buf : "/");
		strbuf_free(&sb);
		return -1;
	}
	if (strlen(env->distro) != n ||
	    strncasecmp(distro, env->distro, n) != 0) {
		strbuf_free(&sb);
		return rl_error_set("'%s' is in WSL distribution '%.*s', but "
		    "this is '%s'", path, (int)n, distro, env->distro);
	}
	if (sb.len == 0)
		strbuf_putc(out, '/');
	else
		strbuf_add(out, sb.buf, sb.len);
	strbuf_free(&sb);
	return 0;
}

bool
wslpath_is_windows(const char *s)
{
	if (s == NULL)
		return false;
	return (is_sep(s[0]) && is_sep(s[1])) ||
	    (is_letter(s[0]) && s[1] == ':');
}

int
wslpath_to_linux(struct strbuf *out, const char *path,
    const struct wslpath_env *env)
{
	const char *p = path;

	if (is_sep(p[0]) && is_sep(p[1])) {
		p += 2;
		p += strspn(p, WINSEPS);
		if (p[0] != '?' || !is_sep(p[1]))
			return unc_to_linux(out, path, p, env);
		/* \\?\ only lifts the length limit; what follows is plain. */
		p += 2;
		p += strspn(p, WINSEPS);
		if (!is_letter(p[0]) || p[1] != ':' || !is_sep(p[2]))
			return rl_error_set("'%s' has no drive after \\\\?\\; "
			    "write \\\\?\\E:\\...", path);
		return drive_to_linux(out, path, p, env);
	}
	if (!is_letter(p[0]) || p[1] != ':')
		return rl_error_set("'%s' is not an absolute Windows path",
		    path);
	if (p[2] == '\0')
		return rl_error_set("'%s' names a drive but no folder; write "
		    "%c:\\ for its root", path, p[0]);
	if (!is_sep(p[2]))
		return rl_error_set("'%s' is a drive-relative Windows path; "
		    "write %c:\\%s", path, p[0], p + 2);
	return drive_to_linux(out, path, p, env);
}

/*
 * The Windows path in a 9p mount's super options:
 * "rw,dirsync,aname=drvfs;path=C:\;uid=1000;...".  Other 9p mounts
 * (WSL's own drivers share, say) have no aname=drvfs and are skipped.
 */
static bool
plan9_source(struct strbuf *out, const char *opts)
{
	const char *o, *path;
	size_t n, m;

	for (o = opts; *o != '\0'; o += n + (o[n] == ',')) {
		n = strcspn(o, ",");
		if (n < 12 || strncmp(o, "aname=drvfs;", 12) != 0)
			continue;
		for (path = o + 12; path < o + n; path += m + 1) {
			m = strcspn(path, ";,");
			if (m > 5 && strncmp(path, "path=", 5) == 0) {
				strbuf_reset(out);
				strbuf_add(out, path + 5, m - 5);
				return true;
			}
		}
		return false;
	}
	return false;
}

/* A virtiofs share's Windows path, from the symlink WSL made for it. */
static bool
virtiofs_source(struct strbuf *out, const char *tagdir, const char *name)
{
	struct strbuf link = STRBUF_INIT;
	ssize_t n;
	size_t size = 256;

	if (tagdir == NULL || *name == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	strbuf_puts(&link, tagdir);
	strbuf_joinpath(&link, name);
	for (;;) {
		strbuf_reset(out);
		strbuf_grow(out, size);
		n = readlink(link.buf, out->buf, size);
		if (n < 0) {
			strbuf_reset(out);
			strbuf_free(&link);
			return false;
		}
		if ((size_t)n < size)
			break;
		size *= 2;
	}
	strbuf_setlen(out, (size_t)n);
	strbuf_free(&link);
	return true;
}

/*
 * Turns a mount source (plus the mount's root, for bind mounts of a
 * folder) into the normalized form of struct wsl_mount: backslashes, no
 * doubled separators, ending in '\'.  False when it is not a Windows path.
 */
static bool
windows_source(struct strbuf *out, const char *src, const char *root)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = src;

	/* For a share, folding adds the second '\' before the server. */
	if (strncmp(p, "UNC\\", 4) == 0) {
		strbuf_putc(&sb, '\\');
		p += 4;
	} else if (is_sep(p[0]) && is_sep(p[1])) {
		strbuf_putc(&sb, '\\');
		p += 2;
	} else if (is_letter(p[0]) && p[1] == ':' &&
	    (p[2] == '\0' || is_sep(p[2]))) {
		strbuf_putc(&sb, to_upper(p[0]));
		strbuf_putc(&sb, ':');
		p += 2;
	} else
		return false;
	if (fold_append(&sb, p, WINSEPS, '\\') < 0 ||
	    (strcmp(root, "/") != 0 &&
	    fold_append(&sb, root, WINSEPS, '\\') < 0) ||
	    (sb.buf[0] == '\\' && sb.len < 3)) {
		strbuf_free(&sb);
		return false;
	}
	strbuf_putc(&sb, '\\');
	strbuf_reset(out);
	strbuf_add(out, sb.buf, sb.len);
	strbuf_free(&sb);
	return true;
}

/* "/mnt/c" is at or under "/mnt" and "/mnt/c"; "/" covers only "/". */
static bool
linux_under(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (strncmp(path, top, n) != 0)
		return false;
	return path[n] == '\0' || (path[n] == '/' && n > 1);
}

/*
 * A later mount on or above an earlier drive mount hides it, as WSL's
 * own lookup assumes: the earlier one is no longer reachable there.
 */
static void
mounts_hide(struct wslpath_env *env, const char *mountpoint)
{
	size_t i, j;

	for (i = j = 0; i < env->nmounts; i++) {
		if (linux_under(env->mounts[i].linux, mountpoint)) {
			free(env->mounts[i].windows);
			free(env->mounts[i].linux);
			continue;
		}
		env->mounts[j++] = env->mounts[i];
	}
	env->nmounts = j;
}

static void
mounts_add(struct wslpath_env *env, const char *windows, const char *linux)
{
	struct wsl_mount *m;
	size_t n = strlen(linux);

	if (n > 1 && linux[n - 1] == '/')
		n--;
	env->mounts = xrealloc(env->mounts,
	    (env->nmounts + 1) * sizeof(*env->mounts));
	m = &env->mounts[env->nmounts++];
	m->windows = xstrdup(windows);
	m->linux = xstrndup(linux, n);
}

struct parse_ctx {
	struct wslpath_env	*env;
	const char		*tagdir;
};

static void
mounts_parse_line(const struct mount_entry *m, void *arg)
{
	struct parse_ctx *ctx = arg;
	struct strbuf raw = STRBUF_INIT, win = STRBUF_INIT;
	bool ok = false;

	mounts_hide(ctx->env, m->mountpoint);
	if (strcmp(m->type, "drvfs") == 0)
		ok = windows_source(&win, m->source, m->root);
	else if (strcmp(m->type, "9p") == 0)
		ok = plan9_source(&raw, m->options) &&
		    windows_source(&win, raw.buf, m->root);
	else if (strcmp(m->type, "virtiofs") == 0) {
		/*
		 * The source is a tag; newer WSL shares one device and tells
		 * the shares apart by the root ("/<name>").
		 */
		if (strcmp(m->root, "/") != 0 &&
		    virtiofs_source(&raw, ctx->tagdir, m->root + 1))
			ok = windows_source(&win, raw.buf, "/");
		else if (virtiofs_source(&raw, ctx->tagdir, m->source))
			ok = windows_source(&win, raw.buf, m->root);
		else
			ok = windows_source(&win, m->source, m->root);
	}
	if (ok && m->mountpoint[0] == '/')
		mounts_add(ctx->env, win.buf, m->mountpoint);
	strbuf_free(&raw);
	strbuf_free(&win);
}

int
wslpath_mounts_parse_tagdir(struct wslpath_env *env, const char *mountinfo,
    const char *tagdir)
{
	struct parse_ctx ctx = { env, tagdir };

	mountinfo_each(mountinfo, mounts_parse_line, &ctx);
	return 0;
}

int
wslpath_mounts_parse(struct wslpath_env *env, const char *mountinfo)
{
	return wslpath_mounts_parse_tagdir(env, mountinfo, NULL);
}

/*
 * wsl.conf is an INI file: [section], key = value, comments starting
 * with # or ;, values optionally in double quotes.  Only [automount]
 * root matters here; anything else we do not understand is not ours to
 * reject.
 */

static const char *
skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static const char *
trim_end(const char *s, const char *end)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		end--;
	return end;
}

/* Reads the value after '='; false on an unterminated quote. */
static bool
conf_value(struct strbuf *out, const char *v, const char *end)
{
	size_t n;

	strbuf_reset(out);
	v = skip_space(v, end);
	if (v < end && *v == '"') {
		for (v++; v < end && *v != '"'; v++) {
			if (*v == '\\' && v + 1 < end)
				v++;
			strbuf_putc(out, *v);
		}
		return v < end;
	}
	for (n = 0; v + n < end && v[n] != '#' && v[n] != ';'; n++)
		;
	strbuf_add(out, v, (size_t)(trim_end(v, v + n) - v));
	return true;
}

int
wslpath_wslconf_root(char **out, const char *wslconf)
{
	struct strbuf val = STRBUF_INIT, found = STRBUF_INIT;
	const char *p, *s, *end, *eq, *k;
	bool in_automount = false, have = false;
	size_t n;
	int lineno = 0, foundline = 0;

	*out = NULL;
	for (p = wslconf; *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		lineno++;
		end = trim_end(p, p + n);
		s = skip_space(p, end);
		if (s == end || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			k = memchr(s, ']', (size_t)(end - s));
			s = skip_space(s + 1, end);
			in_automount = k != NULL &&
			    (size_t)(trim_end(s, k) - s) == 9 &&
			    strncasecmp(s, "automount", 9) == 0;
			continue;
		}
		if (!in_automount ||
		    (eq = memchr(s, '=', (size_t)(end - s))) == NULL)
			continue;
		if ((size_t)(trim_end(s, eq) - s) != 4 ||
		    strncasecmp(s, "root", 4) != 0)
			continue;
		if (!conf_value(&val, eq + 1, end)) {
			strbuf_free(&val);
			strbuf_free(&found);
			return rl_error_set("line %d: [automount] root value "
			    "'%.*s' has no closing quote", lineno,
			    (int)(end - eq - 1), eq + 1);
		}
		strbuf_reset(&found);
		strbuf_add(&found, val.buf, val.len);
		foundline = lineno;
		have = true;
	}
	strbuf_free(&val);
	if (!have || found.len == 0) {
		strbuf_free(&found);
		return 0;
	}
	if (found.buf[0] != '/') {
		rl_error_set("line %d: [automount] root '%s' is not an "
		    "absolute path", foundline, found.buf);
		strbuf_free(&found);
		return -1;
	}
	if (found.buf[found.len - 1] != '/')
		strbuf_putc(&found, '/');
	*out = strbuf_detach(&found);
	return 0;
}

/* 0 read, 1 the file does not exist, -1 error (message set). */
static int
read_text(struct strbuf *sb, const char *path)
{
	FILE *fp;
	char buf[4096];
	size_t n;
	int err;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		return rl_error_set("%s: %s", path, strerror(errno));
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(sb, buf, n);
	err = ferror(fp) ? errno : 0;
	fclose(fp);
	if (err != 0)
		return rl_error_set("%s: %s", path, strerror(err));
	return 0;
}

int
wslpath_env_load(struct wslpath_env *env, const char *automount_root)
{
	struct strbuf sb = STRBUF_INIT;
	const char *distro;
	char *root = NULL;
	int rc;

	memset(env, 0, sizeof(*env));
	if ((distro = getenv("WSL_DISTRO_NAME")) != NULL && *distro != '\0')
		env->distro = xstrdup(distro);

	if (automount_root != NULL) {
		if (automount_root[0] != '/') {
			wslpath_env_free(env);
			return rl_error_set("automount root '%s' is not an "
			    "absolute path", automount_root);
		}
		strbuf_puts(&sb, automount_root);
		if (sb.buf[sb.len - 1] != '/')
			strbuf_putc(&sb, '/');
		env->automount_root = strbuf_detach(&sb);
		env->automount_forced = true;
		return 0;
	}

	if ((rc = mountinfo_read(&sb)) < 0)
		goto fail;
	if (rc == 0)
		wslpath_mounts_parse_tagdir(env, sb.buf, VIRTIOFS_TAGDIR);
	strbuf_reset(&sb);
	if ((rc = read_text(&sb, WSLCONF_PATH)) < 0)
		goto fail;
	if (rc == 0 && wslpath_wslconf_root(&root, sb.buf) < 0) {
		rl_error_prefix("%s", WSLCONF_PATH);
		goto fail;
	}
	strbuf_free(&sb);
	env->automount_root = root != NULL ? root : xstrdup(DEFAULT_ROOT);
	return 0;

fail:
	strbuf_free(&sb);
	wslpath_env_free(env);
	return -1;
}

void
wslpath_env_free(struct wslpath_env *env)
{
	size_t i;

	for (i = 0; i < env->nmounts; i++) {
		free(env->mounts[i].windows);
		free(env->mounts[i].linux);
	}
	free(env->mounts);
	free(env->automount_root);
	free(env->distro);
	memset(env, 0, sizeof(*env));
}

/*
 * $NAME and ${NAME} anywhere; "$" before anything else stays, so
 * \\wsl$\Ubuntu means what it says.
 */
static int
expand_vars(struct strbuf *out, const char *s, const char *value)
{
	const char *name, *v;
	size_t n;
	char *tmp;

	while (*s != '\0') {
		if (s[0] != '$' || (s[1] != '{' && !is_name_start(s[1]))) {
			strbuf_putc(out, *s++);
			continue;
		}
		if (s[1] == '{') {
			name = s + 2;
			n = strcspn(name, "}");
			if (name[n] != '}')
				return rl_error_set("'%s': '${' without a "
				    "closing '}'", value);
			s = name + n + 1;
		} else {
			name = s + 1;
			for (n = 0; is_name_char(name[n]); n++)
				;
			s = name + n;
		}
		if (n == 0 || !is_name_start(name[0]))
			return rl_error_set("'%s': '%.*s' is not a variable "
			    "name", value, (int)n, name);
		for (v = name; v < name + n; v++)
			if (!is_name_char(*v))
				return rl_error_set("'%s': '%.*s' is not a "
				    "variable name", value, (int)n, name);
		tmp = xstrndup(name, n);
		v = getenv(tmp);
		if (v == NULL) {
			rl_error_set("'%s': environment variable %s is not "
			    "set", value, tmp);
			free(tmp);
			return -1;
		}
		free(tmp);
		strbuf_puts(out, v);
	}
	return 0;
}

int
wslpath_resolve(struct strbuf *out, const char *value, const char *base_dir,
    const struct wslpath_env *env)
{
	struct strbuf exp = STRBUF_INIT, abs = STRBUF_INIT;
	struct strbuf norm = STRBUF_INIT;
	const char *s = value, *home;

	if (value == NULL || *value == '\0')
		return rl_error_set("'' is an empty path");

	/* Tilde first, as a shell does: HOME is not expanded again. */
	if (s[0] == '~') {
		if (s[1] != '\0' && s[1] != '/')
			return rl_error_set("'%s': ~user is not supported; "
			    "write the folder out", value);
		if ((home = getenv("HOME")) == NULL || *home == '\0')
			return rl_error_set("'%s': HOME is not set", value);
		strbuf_puts(&exp, home);
		s++;
	}
	if (expand_vars(&exp, s, value) < 0)
		goto fail;
	if (exp.len == 0) {
		rl_error_set("'%s' is empty once expanded", value);
		goto fail;
	}

	if (wslpath_is_windows(exp.buf)) {
		if (wslpath_to_linux(&abs, exp.buf, env) < 0) {
			if (strcmp(exp.buf, value) != 0)
				rl_error_prefix("'%s'", value);
			goto fail;
		}
	} else if (exp.buf[0] == '/')
		strbuf_add(&abs, exp.buf, exp.len);
	else if (base_dir == NULL) {
		rl_error_set("'%s' is a relative path and there is no folder "
		    "to resolve it against", value);
		goto fail;
	} else {
		strbuf_puts(&abs, base_dir);
		strbuf_joinpath(&abs, exp.buf);
	}

	if (fold_append(&norm, abs.buf, "/", '/') < 0) {
		rl_error_set("'%s' goes above the root folder /", value);
		goto fail;
	}
	if (norm.len == 0)
		strbuf_putc(&norm, '/');
	strbuf_set(out, norm.buf);
	strbuf_free(&exp);
	strbuf_free(&abs);
	strbuf_free(&norm);
	return 0;

fail:
	strbuf_free(&exp);
	strbuf_free(&abs);
	strbuf_free(&norm);
	return -1;
}
