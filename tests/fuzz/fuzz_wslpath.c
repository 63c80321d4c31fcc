/*
 * fuzz_wslpath.c - media roots as a config writes them, translated.
 *
 * The input is a configured `source` value, optionally followed by a NUL
 * and a mount table.  The value goes through wslpath_resolve() and, when
 * it is a Windows path, wslpath_to_linux(), against a fixed WSL2 mount
 * table (the one tests/unit/test_wslpath.c uses: drives by 9p, a Windows
 * folder, an escaped mount point) with distro "Ubuntu".  A mount table
 * after the NUL is parsed too (wslpath_mounts_parse, and as wsl.conf
 * text) and the value translated through it.
 *
 * Promises checked (wslpath.h): a resolved path is absolute with "." and
 * ".." folded and no duplicate or trailing "/"; a translated path has no
 * "." or ".." segment; "X:\..." lands on a mount of drive X, or below
 * the automount root's folder for it.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "strbuf.h"
#include "util.h"
#include "wslpath.h"

static const char fixed_mountinfo[] =
    "22 1 8:32 / / rw,relatime - ext4 /dev/sdc rw,discard,errors=remount-ro\n"
    "63 22 0:40 / /usr/lib/wsl/drivers ro,nosuid,nodev - 9p drivers "
    "ro,dirsync,aname=drivers;fmask=222;dmask=222,mmap,access=client,"
    "msize=65536,trans=fd,rfd=7,wfd=7\n"
    "71 62 0:51 / /mnt/c rw,noatime - 9p C:\\134 rw,dirsync,aname=drvfs;"
    "path=C:\\;uid=1000;gid=1000;symlinkroot=/mnt/,mmap,access=client,"
    "msize=262144,trans=virtio\n"
    "72 62 0:52 / /data/e rw,noatime - 9p drvfs rw,dirsync,aname=drvfs;"
    "path=E:\\;uid=1000;gid=1000,mmap,access=client,msize=65536,trans=fd,"
    "rfd=5,wfd=5\n"
    "80 22 0:60 / /home/u/win rw,noatime shared:7 - 9p drvfs rw,"
    "aname=drvfs;path=C:\\Users\\;uid=1000\n"
    "81 22 0:61 / /mnt/my\\040drive rw,noatime - 9p drvfs rw,aname=drvfs;"
    "path=F:\\;uid=1000\n"
    "91 22 8:33 / /srv/data rw,relatime - ext4 /dev/sdd rw\n"
    "92 22 0:30 / /mnt/wsl rw,relatime shared:1 - tmpfs none rw\n";

static struct wslpath_env fixed;

static void
setup(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	fixed.automount_root = xstrdup("/mnt/");
	fixed.distro = xstrdup("Ubuntu");
	if (wslpath_mounts_parse(&fixed, fixed_mountinfo) < 0)
		abort();
	/* The variables a config may name. */
	setenv("HOME", "/home/u", 1);
	setenv("MEDIA", "E:\\media", 1);
	setenv("SONGS", "/srv/data/songs", 1);
	setenv("UP", "..", 1);
	setenv("EMPTY", "", 1);
	unsetenv("UNSET");
}

/* No "." or ".." segment; with strict, also no "//" and no trailing "/". */
static void
check_folded(const char *p, bool strict)
{
	const char *seg, *end;
	size_t len;

	FUZZ_CHECK(p[0] == '/', "'%s' is not absolute", p);
	if (strict && p[1] == '\0')
		return;
	for (seg = p + 1;; seg = end + 1) {
		end = strchr(seg, '/');
		len = end ? (size_t)(end - seg) : strlen(seg);
		FUZZ_CHECK(!(len == 1 && seg[0] == '.') &&
		    !(len == 2 && seg[0] == '.' && seg[1] == '.'),
		    "'%s' has a '.' or '..' segment", p);
		if (strict)
			FUZZ_CHECK(len > 0, "'%s' has an empty segment", p);
		if (end == NULL)
			break;
	}
}

static bool
below(const char *p, const char *dir, size_t dirlen)
{
	if (dirlen > 0 && dir[dirlen - 1] == '/')
		dirlen--;
	return strncmp(p, dir, dirlen) == 0 &&
	    (p[dirlen] == '\0' || p[dirlen] == '/');
}

/* "X:\..." (no \\?\ prefix) lands on a mount of X or <root>x. */
static void
check_drive(const char *value, const char *p, const struct wslpath_env *env)
{
	char letter = (char)(value[0] | 0x20);
	size_t i;

	if (!(letter >= 'a' && letter <= 'z' && value[1] == ':' &&
	    (value[2] == '\\' || value[2] == '/')))
		return;
	for (i = 0; i < env->nmounts; i++)
		if ((env->mounts[i].windows[0] | 0x20) == letter &&
		    below(p, env->mounts[i].linux,
		    strlen(env->mounts[i].linux)))
			return;
	if (strncmp(p, env->automount_root, strlen(env->automount_root))
	    == 0 && p[strlen(env->automount_root)] == letter &&
	    (p[strlen(env->automount_root) + 1] == '\0' ||
	    p[strlen(env->automount_root) + 1] == '/'))
		return;
	FUZZ_CHECK(0, "'%s' left drive %c: '%s'", value, letter, p);
}

static void
translate(const char *value, const struct wslpath_env *env, bool trusted)
{
	struct strbuf out = STRBUF_INIT;
	int rc;

	rc = wslpath_resolve(&out, value, "/var/sites/www", env);
	fuzz_say(rc, rc ? rl_error_last() : out.buf);
	if (rc == 0) {
		if (trusted)
			check_folded(out.buf, true);
	} else
		FUZZ_CHECK(rl_error_last()[0] != '\0', "no message");
	if (wslpath_is_windows(value)) {
		strbuf_reset(&out);
		rc = wslpath_to_linux(&out, value, env);
		fuzz_say(rc, rc ? rl_error_last() : out.buf);
		if (rc == 0) {
			if (trusted)
				check_folded(out.buf, false);
			check_drive(value, out.buf, env);
		} else
			FUZZ_CHECK(rl_error_last()[0] != '\0', "no message");
	}
	strbuf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wslpath_env env;
	char *value = fuzz_cstr(data, size), *tail = NULL, *root = NULL;
	size_t vlen = strlen(value);

	setup();
	translate(value, &fixed, true);
	if (vlen < size) {
		tail = fuzz_cstr(data + vlen + 1, size - vlen - 1);
		memset(&env, 0, sizeof(env));
		env.automount_root = xstrdup("/mnt/");
		if (wslpath_mounts_parse(&env, tail) == 0)
			translate(value, &env, false);
		wslpath_env_free(&env);
		if (wslpath_wslconf_root(&root, tail) == 0 && root != NULL)
			FUZZ_CHECK(root[0] != '\0' &&
			    root[strlen(root) - 1] == '/',
			    "automount root '%s'", root);
		free(root);
		free(tail);
	}
	free(value);
	return 0;
}
