/*
 * test_fsutil.c - which filesystems are Windows ones, told by the statfs
 * magic and, where the magic cannot tell (WSL1: drvfs and lxfs share one),
 * by the mount table; and that every late refusal (dir_walk, the
 * executor) gives the planner's reason, not just "refusing".
 *
 * The mount table is a file given in RENDERLINK_MOUNTINFO, so a plain
 * ext4 temp folder can be described as a WSL1 drive or an SMB share.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "config.h"
#include "fsutil.h"
#include "manifest.h"
#include "mountinfo.h"
#include "plan.h"
#include "problem.h"
#include "strbuf.h"
#include "util.h"

#define WSLFS	0x53464846UL	/* WSL1: drvfs and lxfs alike */
#define EXT4	0xEF53UL

Test(fsutil, wsl1_magic_is_told_apart_by_the_mount_type)
{
	/* WSL1's Linux root: lxfs (coreutils calls it wslfs). */
	cr_assert_null(fs_windows_kind(WSLFS, "lxfs"));
	cr_assert_null(fs_windows_kind(WSLFS, "wslfs"));
	cr_assert_str_eq(fs_windows_kind(WSLFS, "drvfs"), "drvfs (WSL1)");
	/* No mount table to ask: refused, saying it could not tell. */
	cr_assert(strstr(fs_windows_kind(WSLFS, NULL), "lxfs") != NULL);
	cr_assert_not_null(fs_windows_kind(WSLFS, "tmpfs"));
}

Test(fsutil, smb_shares_are_windows_filesystems)
{
	cr_assert(strstr(fs_windows_kind(0xFF534D42UL, NULL), "CIFS") != NULL);
	cr_assert(strstr(fs_windows_kind(0xFE534D42UL, NULL), "SMB2") != NULL);
	cr_assert_not_null(fs_windows_kind(0xFF534D42UL, "ext4"));
	/* Named by the mount table whatever the magic says. */
	cr_assert_not_null(fs_windows_kind(EXT4, "cifs"));
	cr_assert_not_null(fs_windows_kind(EXT4, "smb3"));
	cr_assert_not_null(fs_windows_kind(EXT4, "drvfs"));
}

Test(fsutil, the_others_stay_as_they_were)
{
	cr_assert_null(fs_windows_kind(EXT4, NULL));
	cr_assert_null(fs_windows_kind(EXT4, "ext4"));
	cr_assert_null(fs_windows_kind(EXT4, "lxfs"));
	cr_assert_str_eq(fs_windows_kind(0x5346544eUL, NULL), "NTFS");
	cr_assert_not_null(fs_windows_kind(0x7366746eUL, "ntfs3"));
	cr_assert_not_null(fs_windows_kind(0x65735546UL, "fuseblk"));
	cr_assert_not_null(fs_windows_kind(0x01021997UL, "9p"));
}

/* A WSL1 mount table (its magic is WSLFS for / and /mnt/c alike). */
static const char fu_wsl1[] =
    "2 0 0:2 / / rw,noatime - lxfs rootfs rw\n"
    "5 2 0:5 / /proc rw,nosuid - proc proc rw\n"
    "7 2 0:7 / /mnt/c rw,noatime - drvfs C:\\134 rw,case=off\n"
    "8 2 0:8 / /mnt/my\\040drive rw,noatime - drvfs F:\\134 rw\n"
    "9 7 0:9 / /mnt/c/Users/u/site rw - lxfs none rw\n"
    "not a mount line\n";

static const char *
fu_type(long id, const char *path)
{
	static struct strbuf sb = STRBUF_INIT;

	if (mountinfo_type_of(&sb, fu_wsl1, id, path) != 0)
		return NULL;
	return sb.buf;
}

Test(fsutil, mount_type_of_a_path)
{
	cr_assert_str_eq(fu_type(-1, "/home/u/site"), "lxfs");
	cr_assert_str_eq(fu_type(-1, "/mnt/c"), "drvfs");
	cr_assert_str_eq(fu_type(-1, "/mnt/c/Users/u/x"), "drvfs");
	cr_assert_str_eq(fu_type(-1, "/mnt/cc"), "lxfs");
	cr_assert_str_eq(fu_type(-1, "/mnt/my drive/songs"), "drvfs");
	/* A mount inside a drive: the longest mount point wins. */
	cr_assert_str_eq(fu_type(-1, "/mnt/c/Users/u/site/songs"), "lxfs");
	/* The mount ID wins when its mount point covers the path... */
	cr_assert_str_eq(fu_type(2, "/mnt/c/x"), "lxfs");
	/* ...and is ignored when it does not. */
	cr_assert_str_eq(fu_type(7, "/home/u"), "lxfs");
	cr_assert_null(fu_type(-1, "relative"));
}

Test(fsutil, mount_type_later_line_wins)
{
	struct strbuf sb = STRBUF_INIT;
	const char *mi = "1 0 0:1 / / rw - ext4 /dev/a rw\n"
	    "2 1 0:2 / /srv rw - drvfs D:\\134 rw\n"
	    "3 1 0:3 / /srv rw - ext4 /dev/b rw\n";

	cr_assert_eq(mountinfo_type_of(&sb, mi, -1, "/srv/x"), 0);
	cr_assert_str_eq(sb.buf, "ext4");
	cr_assert_eq(mountinfo_type_of(&sb, "", -1, "/srv/x"), 1);
	strbuf_free(&sb);
}

/* A temp folder and a mount table declaring it to be of type fstype. */
struct fu_dir {
	char	 dir[64];
	char	 mi[96];
};

static void
fu_setup(struct fu_dir *d, const char *fstype)
{
	struct strbuf sb = STRBUF_INIT, real = STRBUF_INIT;
	FILE *fp;
	int fd;

	strcpy(d->dir, "/tmp/rl-fsutil.XXXXXX");
	cr_assert_not_null(mkdtemp(d->dir));
	cr_assert_geq(fd = open(d->dir, O_RDONLY | O_DIRECTORY), 0);
	cr_assert_eq(fd_realpath(&real, fd), 0);
	close(fd);
	snprintf(d->mi, sizeof(d->mi), "%s.mountinfo", d->dir);
	strbuf_printf(&sb, "1 0 0:1 / / rw - ext4 /dev/root rw\n"
	    "999999 1 0:99 / %s rw,noatime - %s X:\\134 rw\n", real.buf,
	    fstype);
	cr_assert_not_null(fp = fopen(d->mi, "w"));
	fputs(sb.buf, fp);
	fclose(fp);
	setenv("RENDERLINK_MOUNTINFO", d->mi, 1);
	strbuf_free(&sb);
	strbuf_free(&real);
}

static void
fu_teardown(struct fu_dir *d)
{
	char cmd[160];

	unsetenv("RENDERLINK_MOUNTINFO");
	unlink(d->mi);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
	cr_assert_eq(system(cmd), 0);
}

static const char *
fu_name(const char *dir)
{
	const char *name;
	int fd;

	cr_assert_geq(fd = open(dir, O_RDONLY | O_DIRECTORY), 0);
	name = fs_windows_name(fd);
	close(fd);
	return name;
}

Test(fsutil, fs_windows_name_reads_the_mount_table)
{
	struct fu_dir d;

	fu_setup(&d, "drvfs");
	cr_assert_str_eq(fu_name(d.dir), "drvfs (WSL1)");
	fu_teardown(&d);

	fu_setup(&d, "cifs");
	cr_assert_not_null(fu_name(d.dir));
	fu_teardown(&d);

	/* On a real Linux filesystem lxfs changes nothing. */
	fu_setup(&d, "lxfs");
	cr_assert_null(fu_name(d.dir));
	fu_teardown(&d);
}

Test(fsutil, dir_walk_refuses_with_the_planners_reason)
{
	struct strbuf want = STRBUF_INIT;
	struct fu_dir d;
	struct stat st;
	char path[128];
	int root, fd;

	fu_setup(&d, "drvfs");
	cr_assert_geq(root = open(d.dir, O_RDONLY | O_DIRECTORY), 0);
	cr_assert_eq(dir_walk(&fd, root, "songs/mp3s", true), -1);
	fs_windows_refusal(&want, "songs/mp3s", "drvfs (WSL1)");
	cr_assert_str_eq(rl_error_last(), want.buf);
	cr_assert(strstr(want.buf, "cannot be opened from Windows") != NULL);
	snprintf(path, sizeof(path), "%s/songs", d.dir);
	cr_assert_neq(lstat(path, &st), 0, "no folder was made");
	close(root);
	fu_teardown(&d);
	strbuf_free(&want);
}

Test(fsutil, executor_refuses_with_the_planners_reason)
{
	struct action a = { 0 };
	struct linkset ls = { 0 };
	struct config cfg = { 0 };
	struct plan plan = { 0 };
	struct problems problems = { 0 };
	struct manifest old = { 0 };
	struct strbuf want = STRBUF_INIT;
	struct fu_dir d;
	struct stat st;
	char path[128];
	int root;

	/* The target exists on ext4 when planned, then is a drvfs mount. */
	fu_setup(&d, "drvfs");
	snprintf(path, sizeof(path), "%s/mp3s", d.dir);
	cr_assert_eq(mkdir(path, 0777), 0);
	ls.name = "mp3s";
	ls.target = "mp3s";
	cfg.sets = &ls;
	cfg.nsets = 1;
	a.op = OP_CREATE;
	a.setname = "mp3s";
	a.name = "x.mp3";
	a.link = "mp3s/x.mp3";
	a.target = "/mnt/e/x.mp3";
	plan.v = &a;
	plan.n = 1;
	cr_assert_geq(root = open(d.dir, O_RDONLY | O_DIRECTORY), 0);
	apply_plan(&plan, &problems, &cfg, root, &old);
	cr_assert_not(a.done);
	cr_assert_eq(problems.n, 1);
	cr_assert_str_eq(problems.v[0].code, "unsafe-target");
	strbuf_puts(&want, "link set 'mp3s': target folder ");
	fs_windows_refusal(&want, "mp3s", "drvfs (WSL1)");
	strbuf_puts(&want, "; nothing done for this set");
	cr_assert_str_eq(problems.v[0].message, want.buf);
	snprintf(path, sizeof(path), "%s/mp3s/x.mp3", d.dir);
	cr_assert_neq(lstat(path, &st), 0, "no link was made");
	close(root);
	problems_free(&problems);
	fu_teardown(&d);
	strbuf_free(&want);
}
