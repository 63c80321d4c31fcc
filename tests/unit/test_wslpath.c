/*
 * test_wslpath.c - Windows paths from the config land where WSL's
 * `wslpath -u` would put them, through a mount table given as text.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"
#include "wslpath.h"

/* A WSL2 mountinfo: drives by 9p, one Windows folder, noise around. */
static const char wt_mountinfo[] =
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

/* Builds an env the way wslpath_env_load() would, from literal text. */
static void
wt_env(struct wslpath_env *env, const char *mountinfo, const char *root,
    const char *distro)
{
	memset(env, 0, sizeof(*env));
	env->automount_root = xstrdup(root);
	env->distro = distro ? xstrdup(distro) : NULL;
	if (mountinfo)
		cr_assert_eq(wslpath_mounts_parse(env, mountinfo), 0);
}

static void
wt_ok(const struct wslpath_env *env, const char *in, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	int rc;

	rc = wslpath_to_linux(&out, in, env);
	cr_assert_eq(rc, 0, "%s: %s", in, rc ? rl_error_last() : "");
	cr_assert_str_eq(out.buf, want, "%s", in);
	strbuf_free(&out);
}

/* Fails, and says so naming the value and why. */
static void
wt_err(const struct wslpath_env *env, const char *in, const char *why)
{
	struct strbuf out = STRBUF_INIT, quoted = STRBUF_INIT;

	cr_assert_eq(wslpath_to_linux(&out, in, env), -1, "%s gave '%s'", in,
	    out.buf);
	strbuf_printf(&quoted, "'%s'", in);
	cr_assert(strstr(rl_error_last(), quoted.buf) != NULL, "%s",
	    rl_error_last());
	cr_assert(strstr(rl_error_last(), why) != NULL, "%s",
	    rl_error_last());
	strbuf_free(&out);
	strbuf_free(&quoted);
}

static void
wt_resolve_ok(const struct wslpath_env *env, const char *in,
    const char *base, const char *want)
{
	struct strbuf out = STRBUF_INIT;
	int rc;

	strbuf_puts(&out, "junk that must be replaced");
	rc = wslpath_resolve(&out, in, base, env);
	cr_assert_eq(rc, 0, "%s: %s", in, rc ? rl_error_last() : "");
	cr_assert_str_eq(out.buf, want, "%s", in);
	strbuf_free(&out);
}

static void
wt_resolve_err(const struct wslpath_env *env, const char *in,
    const char *why)
{
	struct strbuf out = STRBUF_INIT, quoted = STRBUF_INIT;

	cr_assert_eq(wslpath_resolve(&out, in, "/site", env), -1,
	    "%s gave '%s'", in, out.buf);
	strbuf_printf(&quoted, "'%s'", in);
	cr_assert(strstr(rl_error_last(), quoted.buf) != NULL, "%s",
	    rl_error_last());
	cr_assert(strstr(rl_error_last(), why) != NULL, "%s",
	    rl_error_last());
	strbuf_free(&out);
	strbuf_free(&quoted);
}

Test(wslpath, vectors_from_wsl)
{
	struct wslpath_env env;

	/* No mount table: E: falls back to /mnt/e, as on a stock WSL. */
	wt_env(&env, NULL, "/mnt/", "Ubuntu");
	wt_ok(&env, "E:\\media\\songs", "/mnt/e/media/songs");
	wt_ok(&env, "e:/media/songs/", "/mnt/e/media/songs");
	wt_ok(&env, "E:\\media\\.\\songs", "/mnt/e/media/songs");
	wt_ok(&env, "E:\\media\\\\songs", "/mnt/e/media/songs");
	wt_ok(&env, "E:\\media\\..\\songs", "/mnt/e/songs");
	wt_ok(&env, "E:\\", "/mnt/e");
	wt_ok(&env, "E:/Media/Songs", "/mnt/e/Media/Songs");
	wt_ok(&env, "C:/Foo/bar", "/mnt/c/Foo/bar");
	wt_ok(&env, "\\\\?\\C:\\Users\\", "/mnt/c/Users");
	wt_ok(&env, "\\\\wsl$\\Ubuntu\\var\\site", "/var/site");
	wt_ok(&env, "\\\\wsl.localhost\\ubuntu\\var\\site", "/var/site");
	wt_ok(&env, "\\\\wsl.localhost\\Ubuntu", "/");
	wt_ok(&env, "\\\\wsl.localhost\\Ubuntu\\", "/");
	wt_ok(&env, "\\\\wsl$\\Ubuntu\\proc\\stat", "/proc/stat");
	wt_ok(&env, "\\\\wsl.localhost\\Ubuntu/proc/stat", "/proc/stat");
	wt_ok(&env, "//wsl$/Ubuntu/home", "/home");
	wt_ok(&env, "\\\\wsl$\\Ubuntu\\a\\..\\b", "/b");
	wslpath_env_free(&env);

	wt_env(&env, NULL, "/mnt/", "Debian");
	wt_ok(&env, "//WSL$/Debian/home", "/home");
	wslpath_env_free(&env);
}

Test(wslpath, rejects_what_wsl_cannot_map)
{
	struct wslpath_env env;

	wt_env(&env, NULL, "/mnt/", "Ubuntu");
	wt_err(&env, "E:\\..\\x", "above the root of drive E:");
	wt_err(&env, "E:\\media\\..\\..\\x", "above the root of drive E:");
	wt_err(&env, "E:media", "drive-relative");
	wt_err(&env, "E:media", "write E:\\media");
	wt_err(&env, "E:", "names a drive but no folder");
	wt_err(&env, "\\\\server\\share\\x", "not mounted");
	wt_err(&env, "\\\\wsl$\\Ubuntu-20.04\\x", "'Ubuntu-20.04'");
	wt_err(&env, "\\\\wsl$\\Debian\\x", "but this is 'Ubuntu'");
	wt_err(&env, "\\\\wsl$\\Ubuntu\\..\\x", "above the root");
	wt_err(&env, "\\\\wsl$", "names no WSL distribution");
	wt_err(&env, "\\\\?\\UNC\\server\\x", "no drive after");
	wt_err(&env, "/var/x", "not an absolute Windows path");
	wslpath_env_free(&env);
}

/* WSL refuses every share path when WSL_DISTRO_NAME is unset (sudo,
 * services, git GUIs): so do we, naming the variable. */
Test(wslpath, unset_distro_refuses_wsl_shares)
{
	struct wslpath_env env;

	wt_env(&env, NULL, "/mnt/", NULL);
	wt_err(&env, "\\\\wsl$\\Ubuntu-20.04\\x", "WSL_DISTRO_NAME is not set");
	wt_err(&env, "\\\\wsl.localhost\\Arch\\srv\\site",
	    "WSL_DISTRO_NAME is not set");
	wt_err(&env, "//wsl$/Ubuntu", "WSL_DISTRO_NAME is not set");
	/* It says what to write instead. */
	wt_err(&env, "\\\\wsl.localhost\\Arch\\srv\\site", "'/srv/site'");
	wt_err(&env, "\\\\wsl.localhost\\", "names no WSL distribution");
	/* Drives do not need it. */
	wt_ok(&env, "E:\\media", "/mnt/e/media");
	wslpath_env_free(&env);
}

Test(wslpath, unset_distro_from_the_environment)
{
	struct wslpath_env env;
	struct strbuf out = STRBUF_INIT;

	unsetenv("WSL_DISTRO_NAME");
	cr_assert_eq(wslpath_env_load(&env, "/mnt/"), 0);
	cr_assert_eq(wslpath_resolve(&out, "\\\\wsl$\\Ubuntu\\srv", "/site",
	    &env), -1);
	cr_assert(strstr(rl_error_last(), "WSL_DISTRO_NAME") != NULL, "%s",
	    rl_error_last());
	wslpath_env_free(&env);
	setenv("WSL_DISTRO_NAME", "ubuntu", 1);
	cr_assert_eq(wslpath_env_load(&env, "/mnt/"), 0);
	cr_assert_eq(wslpath_resolve(&out, "\\\\wsl$\\Ubuntu\\srv", "/site",
	    &env), 0);
	cr_assert_str_eq(out.buf, "/srv");
	unsetenv("WSL_DISTRO_NAME");
	wslpath_env_free(&env);
	strbuf_free(&out);
}

/* RENDERLINK_MOUNTINFO stands in for /proc/self/mountinfo. */
Test(wslpath, env_load_reads_renderlink_mountinfo)
{
	struct wslpath_env env;
	char path[] = "/tmp/rl-mountinfo.XXXXXX";
	int fd;

	cr_assert_geq(fd = mkstemp(path), 0);
	cr_assert_eq(write(fd, wt_mountinfo, strlen(wt_mountinfo)),
	    (ssize_t)strlen(wt_mountinfo));
	close(fd);
	setenv("RENDERLINK_MOUNTINFO", path, 1);
	cr_assert_eq(wslpath_env_load(&env, NULL), 0, "%s", rl_error_last());
	wt_ok(&env, "E:\\media", "/data/e/media");
	wslpath_env_free(&env);
	unsetenv("RENDERLINK_MOUNTINFO");
	unlink(path);
}

Test(wslpath, wsl_share_names_are_unescaped)
{
	struct wslpath_env env;

	/* WSL shows "a:b" in Explorer as a + U+F03A + b. */
	wt_env(&env, NULL, "/mnt/", "Ubuntu");
	wt_ok(&env, "\\\\wsl$\\Ubuntu\\tmp\\a\xef\x80\xba" "b", "/tmp/a:b");
	/* On a drive the escaped form is what the file is called. */
	wt_ok(&env, "E:\\a\xef\x80\xba" "b", "/mnt/e/a\xef\x80\xba" "b");
	wslpath_env_free(&env);
}

Test(wslpath, is_windows)
{
	cr_assert(wslpath_is_windows("E:\\media"));
	cr_assert(wslpath_is_windows("e:/media"));
	cr_assert(wslpath_is_windows("E:"));
	cr_assert(wslpath_is_windows("E:media"));
	cr_assert(wslpath_is_windows("\\\\wsl$\\Ubuntu"));
	cr_assert(wslpath_is_windows("//server/share"));
	cr_assert(wslpath_is_windows("/\\x"));
	cr_assert_not(wslpath_is_windows("/mnt/e/media"));
	cr_assert_not(wslpath_is_windows("media/songs"));
	cr_assert_not(wslpath_is_windows("./E:"));
	cr_assert_not(wslpath_is_windows("1:x"));
	cr_assert_not(wslpath_is_windows(""));
	cr_assert_not(wslpath_is_windows(NULL));
}

Test(wslpath, mounts_parse_wsl2)
{
	struct wslpath_env env;
	size_t i;
	const char *want[][2] = {
		{ "C:\\", "/mnt/c" },
		{ "E:\\", "/data/e" },
		{ "C:\\Users\\", "/home/u/win" },
		{ "F:\\", "/mnt/my drive" },
	};

	wt_env(&env, wt_mountinfo, "/mnt/", "Ubuntu");
	/* ext4, tmpfs and WSL's own drivers share are not drives. */
	cr_assert_eq(env.nmounts, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		cr_assert_str_eq(env.mounts[i].windows, want[i][0]);
		cr_assert_str_eq(env.mounts[i].linux, want[i][1]);
	}
	wslpath_env_free(&env);
}

Test(wslpath, drives_go_through_the_mount_table)
{
	struct wslpath_env env;

	wt_env(&env, wt_mountinfo, "/mnt/", "Ubuntu");
	/* E: is mounted at /data/e here, not at /mnt/e. */
	wt_ok(&env, "E:\\media\\songs", "/data/e/media/songs");
	wt_ok(&env, "e:\\", "/data/e");
	wt_ok(&env, "C:\\Windows\\Fonts", "/mnt/c/Windows/Fonts");
	/* The folder mount is longer, so it wins; case does not matter. */
	wt_ok(&env, "C:\\Users\\bob\\Music", "/home/u/win/bob/Music");
	wt_ok(&env, "c:\\users", "/home/u/win");
	wt_ok(&env, "\\\\?\\C:\\USERS\\bob", "/home/u/win/bob");
	/* A prefix must end at a separator. */
	wt_ok(&env, "C:\\UsersOld\\x", "/mnt/c/UsersOld/x");
	wt_ok(&env, "F:\\stems\\a.wav", "/mnt/my drive/stems/a.wav");
	/* Not in the table: automount root + lower-case letter. */
	wt_ok(&env, "Z:\\x", "/mnt/z/x");
	wslpath_env_free(&env);
}

Test(wslpath, wsl1_drvfs_and_bind_mounts)
{
	struct wslpath_env env;
	const char *mi =
	    "2 0 0:2 / / rw,noatime - lxfs rootfs rw\n"
	    "9 2 0:9 / /mnt/c rw,noatime - drvfs C:\\ rw,uid=1000,case=off\n"
	    "10 2 0:10 / /win/d rw,noatime - drvfs D: rw\n"
	    "11 2 0:11 / /win/g rw,noatime - drvfs g:/ rw\n"
	    "12 2 0:9 /Music /home/u/music rw,noatime - drvfs C:\\134 rw\n"
	    "13 2 0:12 / /mnt/tab\\011x rw - drvfs H:\\134 rw\n";

	wt_env(&env, mi, "/mnt/", NULL);
	cr_assert_eq(env.nmounts, 5);
	wt_ok(&env, "C:\\x", "/mnt/c/x");
	wt_ok(&env, "D:\\x", "/win/d/x");
	wt_ok(&env, "G:\\x\\y", "/win/g/x/y");
	/* A bind mount of C:\Music: source + root. */
	cr_assert_str_eq(env.mounts[3].windows, "C:\\Music\\");
	wt_ok(&env, "C:\\music\\live.mp3", "/home/u/music/live.mp3");
	wt_ok(&env, "H:\\a", "/mnt/tab\tx/a");
	wslpath_env_free(&env);
}

Test(wslpath, later_mount_hides_earlier)
{
	struct wslpath_env env;
	struct strbuf mi = STRBUF_INIT;

	strbuf_puts(&mi, wt_mountinfo);
	strbuf_puts(&mi, "99 22 0:80 / /home/u/win rw - tmpfs tmpfs rw\n");
	wt_env(&env, mi.buf, "/mnt/", NULL);
	wt_ok(&env, "C:\\Users\\bob", "/mnt/c/Users/bob");
	wslpath_env_free(&env);

	/* Mounting the same drive again: the newer mount point counts. */
	strbuf_reset(&mi);
	strbuf_puts(&mi, wt_mountinfo);
	strbuf_puts(&mi, "99 22 0:81 / /e rw - 9p drvfs rw,aname=drvfs;"
	    "path=E:\\;uid=0\n");
	wt_env(&env, mi.buf, "/mnt/", NULL);
	wt_ok(&env, "E:\\x", "/e/x");
	wslpath_env_free(&env);
	strbuf_free(&mi);
}

Test(wslpath, mounted_network_share)
{
	struct wslpath_env env;
	const char *mi = "50 22 0:90 / /mnt/nas rw - 9p drvfs rw,"
	    "aname=drvfs;path=UNC\\nas\\media;uid=1000\n";

	wt_env(&env, mi, "/mnt/", NULL);
	cr_assert_str_eq(env.mounts[0].windows, "\\\\nas\\media\\");
	wt_ok(&env, "\\\\NAS\\Media\\songs", "/mnt/nas/songs");
	wt_err(&env, "\\\\nas\\other\\x", "not mounted");
	wslpath_env_free(&env);
}

Test(wslpath, malformed_lines_are_skipped)
{
	struct wslpath_env env;
	const char *mi =
	    "garbage\n"
	    "\n"
	    "1 2 3 4\n"
	    "30 22 0:51 / /mnt/q rw - 9p  rw,aname=drvfs;path=Q:\\\n"
	    "31 22 0:52 / /mnt/b rw - tmpfs  rw\n"
	    "32 22 0:53 / /mnt/r rw - 9p drvfs rw,aname=drvfs;uid=1\n"
	    "33 22 0:54 / /mnt/s rw - drvfs notawindowspath rw\n"
	    "34 22 0:55 / /mnt/t rw - drvfs T:\\134 rw";	/* no newline */

	wt_env(&env, mi, "/mnt/", NULL);
	cr_assert_eq(env.nmounts, 2);
	cr_assert_str_eq(env.mounts[0].windows, "Q:\\");
	cr_assert_str_eq(env.mounts[1].linux, "/mnt/t");
	wslpath_env_free(&env);
}

Test(wslpath, virtiofs_via_tag_symlinks)
{
	struct wslpath_env env;
	struct strbuf link = STRBUF_INIT;
	char dir[] = "/tmp/wslpath_tagsXXXXXX";
	const char *tag = "5f3b0c2e-7a11-4e6a-9d1f-0c9a8e2b7d41";
	const char *share = "9a1e7f0c-3b2d-4c5e-8f60-71a2b3c4d5e6";
	const char *mi =
	    "40 22 0:70 / /virt/v rw - virtiofs "
	    "5f3b0c2e-7a11-4e6a-9d1f-0c9a8e2b7d41 rw\n"
	    "41 22 0:71 /9a1e7f0c-3b2d-4c5e-8f60-71a2b3c4d5e6 /virt/w rw - "
	    "virtiofs wslshares rw\n"
	    "42 22 0:72 / /mnt/x rw - virtiofs unknowntag rw\n";

	cr_assert_not_null(mkdtemp(dir));
	strbuf_printf(&link, "%s/%s", dir, tag);
	cr_assert_eq(symlink("V:\\", link.buf), 0);
	strbuf_reset(&link);
	strbuf_printf(&link, "%s/%s", dir, share);
	cr_assert_eq(symlink("W:\\work", link.buf), 0);

	memset(&env, 0, sizeof(env));
	env.automount_root = xstrdup("/mnt/");
	cr_assert_eq(wslpath_mounts_parse_tagdir(&env, mi, dir), 0);
	cr_assert_eq(env.nmounts, 2);
	wt_ok(&env, "V:\\a", "/virt/v/a");
	wt_ok(&env, "W:\\work\\b", "/virt/w/b");
	wt_ok(&env, "W:\\other", "/mnt/w/other");
	wslpath_env_free(&env);

	/* Without the symlinks the tags mean nothing. */
	memset(&env, 0, sizeof(env));
	env.automount_root = xstrdup("/mnt/");
	cr_assert_eq(wslpath_mounts_parse(&env, mi), 0);
	cr_assert_eq(env.nmounts, 0);
	wslpath_env_free(&env);

	unlink(link.buf);
	strbuf_reset(&link);
	strbuf_printf(&link, "%s/%s", dir, tag);
	unlink(link.buf);
	rmdir(dir);
	strbuf_free(&link);
}

Test(wslpath, automount_root_and_forced)
{
	struct wslpath_env env;

	wt_env(&env, wt_mountinfo, "/windir/", NULL);
	wt_ok(&env, "Z:\\x", "/windir/z/x");
	wt_ok(&env, "E:\\x", "/data/e/x");
	/* Set in the config: the mount table is not consulted. */
	env.automount_forced = true;
	wt_ok(&env, "E:\\x", "/windir/e/x");
	wt_ok(&env, "C:\\Users\\bob", "/windir/c/Users/bob");
	wt_err(&env, "\\\\nas\\media\\x", "not mounted");
	wslpath_env_free(&env);

	wt_env(&env, NULL, "/", NULL);
	wt_ok(&env, "E:\\x", "/e/x");
	wslpath_env_free(&env);
}

static void
wt_conf(const char *text, const char *want)
{
	char *root = (char *)"unchanged";
	int rc;

	rc = wslpath_wslconf_root(&root, text);
	cr_assert_eq(rc, 0, "%s: %s", text, rc ? rl_error_last() : "");
	if (want == NULL)
		cr_assert_null(root, "%s gave %s", text, root);
	else {
		cr_assert_not_null(root, "%s", text);
		cr_assert_str_eq(root, want, "%s", text);
	}
	free(root);
}

Test(wslpath, wslconf_root)
{
	wt_conf("[automount]\nroot = /windir/\n", "/windir/");
	wt_conf("[automount]\nroot=/windir\n", "/windir/");
	wt_conf("[automount]\r\nroot = /windir \r\n", "/windir/");
	wt_conf("# comment\n; another\n[automount]\nenabled = true\n"
	    "  root   =   /windir/   # where drives go\n", "/windir/");
	wt_conf("[automount]\nroot = /windir ; old style comment\n",
	    "/windir/");
	wt_conf("[automount]\nroot = \"/win dir/\"\n", "/win dir/");
	wt_conf("[automount]\nroot = \"/a#b\"\n", "/a#b/");
	wt_conf("[ AutoMount ]\nRoot = /x/\n", "/x/");
	wt_conf("[automount]\nroot = /first/\nroot = /second/\n", "/second/");
	/* Other sections, and keys before any section, are not ours. */
	wt_conf("root = /nope/\n[boot]\nroot = /nope/\n[network]\n"
	    "hostname = x\n", NULL);
	wt_conf("[automount]\nroot = /yes/\n[boot]\nroot = /nope/\n", "/yes/");
	wt_conf("[automount]\nrootx = /nope/\nmountFsTab = true\n", NULL);
	wt_conf("[automount]\nroot =\n", NULL);
	wt_conf("", NULL);
}

Test(wslpath, wslconf_root_errors_name_the_line)
{
	char *root = NULL;

	cr_assert_eq(wslpath_wslconf_root(&root,
	    "[automount]\n\nroot = windir/\n"), -1);
	cr_assert_null(root);
	cr_assert(strstr(rl_error_last(), "line 3") != NULL);
	cr_assert(strstr(rl_error_last(), "'windir/'") != NULL);
	cr_assert_eq(wslpath_wslconf_root(&root,
	    "[automount]\nroot = \"/windir/\n"), -1);
	cr_assert(strstr(rl_error_last(), "line 2") != NULL);
	cr_assert(strstr(rl_error_last(), "closing quote") != NULL);
}

Test(wslpath, resolve_windows_and_linux)
{
	struct wslpath_env env;

	wt_env(&env, wt_mountinfo, "/mnt/", "Ubuntu");
	wt_resolve_ok(&env, "E:\\media\\songs\\", "/site", "/data/e/media/songs");
	wt_resolve_ok(&env, "\\\\wsl$\\Ubuntu\\var\\site", "/site", "/var/site");
	wt_resolve_ok(&env, "/srv//media/./x/../songs/", "/site",
	    "/srv/media/songs");
	wt_resolve_ok(&env, "media/songs", "/home/u/site",
	    "/home/u/site/media/songs");
	wt_resolve_ok(&env, "../renders", "/home/u/site/", "/home/u/renders");
	wt_resolve_ok(&env, "/", "/site", "/");
	/* Two leading separators are a Windows share, as in wslpath. */
	wt_resolve_err(&env, "//srv/media", "network path");
	wt_resolve_ok(&env, "/a/..", "/site", "/");
	wt_resolve_err(&env, "/..", "goes above the root folder");
	wt_resolve_err(&env, "E:media", "drive-relative");
	wt_resolve_err(&env, "", "empty");
	wslpath_env_free(&env);
}

Test(wslpath, resolve_relative_needs_a_base)
{
	struct wslpath_env env;
	struct strbuf out = STRBUF_INIT;

	wt_env(&env, NULL, "/mnt/", NULL);
	cr_assert_eq(wslpath_resolve(&out, "media", NULL, &env), -1);
	cr_assert(strstr(rl_error_last(), "'media'") != NULL);
	wslpath_env_free(&env);
	strbuf_free(&out);
}

Test(wslpath, resolve_variables)
{
	struct wslpath_env env;

	wt_env(&env, NULL, "/mnt/", "Ubuntu");
	setenv("RL_MEDIA", "/srv/media", 1);
	setenv("RL_WIN", "E:\\media", 1);
	setenv("RL_EMPTY", "", 1);
	wt_resolve_ok(&env, "$RL_MEDIA/songs", "/site", "/srv/media/songs");
	wt_resolve_ok(&env, "${RL_MEDIA}songs", "/site", "/srv/mediasongs");
	wt_resolve_ok(&env, "/x/${RL_MEDIA}/y", "/site", "/x/srv/media/y");
	wt_resolve_ok(&env, "$RL_WIN\\songs", "/site", "/mnt/e/media/songs");
	wt_resolve_ok(&env, "/a$RL_EMPTY/b", "/site", "/a/b");
	/* "$" before a non-name character is just a "$". */
	wt_resolve_ok(&env, "\\\\wsl$\\Ubuntu\\srv", "/site", "/srv");
	wt_resolve_ok(&env, "/cost/$5/$", "/site", "/cost/$5/$");
	wt_resolve_ok(&env, "/a$-b", "/site", "/a$-b");

	unsetenv("RL_NOPE");
	wt_resolve_err(&env, "$RL_NOPE/songs", "RL_NOPE is not set");
	wt_resolve_err(&env, "/x/${RL_NOPE}", "RL_NOPE is not set");
	wt_resolve_err(&env, "${RL_MEDIA", "closing '}'");
	wt_resolve_err(&env, "${}", "not a variable name");
	wt_resolve_err(&env, "${1x}/a", "'1x' is not a variable name");
	/* The expanded value is named too. */
	setenv("RL_BAD", "E:media", 1);
	wt_resolve_err(&env, "$RL_BAD", "'E:media' is a drive-relative");
	wslpath_env_free(&env);
}

Test(wslpath, resolve_tilde)
{
	struct wslpath_env env;

	wt_env(&env, NULL, "/mnt/", NULL);
	setenv("HOME", "/home/musician", 1);
	wt_resolve_ok(&env, "~", "/site", "/home/musician");
	wt_resolve_ok(&env, "~/renders/", "/site", "/home/musician/renders");
	/* Only a leading ~ is special. */
	wt_resolve_ok(&env, "/a/~/b", "/site", "/a/~/b");
	wt_resolve_ok(&env, "x~", "/site", "/site/x~");
	wt_resolve_err(&env, "~bob/x", "~user is not supported");
	unsetenv("HOME");
	wt_resolve_err(&env, "~/x", "HOME is not set");
	wslpath_env_free(&env);
}

Test(wslpath, env_load_with_configured_root)
{
	struct wslpath_env env;

	setenv("WSL_DISTRO_NAME", "Ubuntu-22.04", 1);
	cr_assert_eq(wslpath_env_load(&env, "/windir"), 0);
	cr_assert_str_eq(env.automount_root, "/windir/");
	cr_assert(env.automount_forced);
	cr_assert_eq(env.nmounts, 0);
	cr_assert_str_eq(env.distro, "Ubuntu-22.04");
	wt_ok(&env, "E:\\x", "/windir/e/x");
	wt_err(&env, "\\\\wsl$\\Ubuntu\\x", "but this is 'Ubuntu-22.04'");
	wslpath_env_free(&env);

	unsetenv("WSL_DISTRO_NAME");
	cr_assert_eq(wslpath_env_load(&env, "/windir/"), 0);
	cr_assert_str_eq(env.automount_root, "/windir/");
	cr_assert_null(env.distro);
	wslpath_env_free(&env);

	cr_assert_eq(wslpath_env_load(&env, "windir"), -1);
	cr_assert(strstr(rl_error_last(), "'windir'") != NULL);
	cr_assert_null(env.automount_root);
}

Test(wslpath, env_load_from_system)
{
	struct wslpath_env env;
	size_t n;

	unsetenv("WSL_DISTRO_NAME");
	cr_assert_eq(wslpath_env_load(&env, NULL), 0, "%s", rl_error_last());
	cr_assert_not(env.automount_forced);
	cr_assert_null(env.distro);
	n = strlen(env.automount_root);
	cr_assert(n > 0 && env.automount_root[n - 1] == '/');
	if (access("/etc/wsl.conf", F_OK) != 0)
		cr_assert_str_eq(env.automount_root, "/mnt/");
	wslpath_env_free(&env);
}
