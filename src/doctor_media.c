/*
 * doctor_media.c - `doctor`'s look at the media roots: where each
 * configured source really is, whether it is there, what it is mounted
 * as, and what the drive's case rules mean for references.
 *
 * A media root that is not there is an error: nothing can be linked
 * (sync keeps the links it has and says source-unavailable).  Windows
 * drives come through drvfs (WSL 1) or 9p/virtiofs with aname=drvfs
 * (WSL 2), whose super options say case= (off: every folder
 * case-insensitive; dir: folders case-insensitive unless flagged; force:
 * all case-sensitive) and metadata (Linux modes stored).  A Windows
 * program does not care about case; renderlink does: it matches each
 * reference against the folder's listing exactly (and suggests the name
 * as listed when only the case differs).  That is worth a warning where
 * the drive is case-insensitive, because there a reference in another
 * case looks right to every Windows tool.
 *
 * One result per distinct media root, naming the sets that read it.
 * Only the root folder itself is opened: no render is looked at.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "doctor.h"
#include "fsutil.h"
#include "mountinfo.h"
#include "strbuf.h"
#include "util.h"
#include "wslpath.h"


struct mount_of {
	const char	*path;
	long		 mnt_id;
	struct strbuf	*type, *mountpoint, *options;
	size_t		 best;		/* length + 1 of the best so far */
	bool		 by_id;		/* the best is the line with mnt_id */
};

static void
set_mount(struct mount_of *m, const struct mount_entry *e)
{
	strbuf_set(m->type, e->type);
	strbuf_set(m->mountpoint, e->mountpoint);
	strbuf_set(m->options, e->options);
}

/* As mountinfo_type_of(): the line with the ID, else the longest mount
 * point above the path, later lines winning. */
static void
mount_line(const struct mount_entry *e, void *arg)
{
	struct mount_of *m = arg;
	size_t n = strlen(e->mountpoint);

	if (e->mountpoint[0] != '/' || !path_inside(m->path, e->mountpoint))
		return;
	if (m->mnt_id >= 0 && e->id == m->mnt_id) {
		set_mount(m, e);
		m->by_id = true;
		m->best = n + 1;
		return;
	}
	if (!m->by_id && n + 1 >= m->best) {
		set_mount(m, e);
		m->best = n + 1;
	}
}

bool
doctor_mount_of(const char *path, long mnt_id, struct strbuf *type,
    struct strbuf *mountpoint, struct strbuf *options)
{
	struct strbuf mi = STRBUF_INIT;
	struct mount_of m = { path, mnt_id, type, mountpoint, options, 0,
	    false };

	if (mountinfo_read(&mi) != 0) {
		strbuf_free(&mi);
		return false;
	}
	mountinfo_each(mi.buf, mount_line, &m);
	strbuf_free(&mi);
	return m.best > 0;
}

/*
 * The value of option name in a super options string ("rw,case=off" for
 * drvfs; "rw,aname=drvfs;path=C:\;metadata;case=dir,..." for 9p, whose
 * aname packs drvfs' own options with ';').  Returns whether the option
 * is there at all (a flag such as metadata has no value).
 */
static bool
mount_option(struct strbuf *value, const char *opts, const char *name)
{
	const char *p = opts, *end;
	size_t n = strlen(name);

	strbuf_reset(value);
	for (; *p; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ",;");
		if ((size_t)(end - p) >= n && strncmp(p, name, n) == 0 &&
		    (p + n == end || p[n] == '=')) {
			if (p + n < end)
				strbuf_add(value, p + n + 1,
				    (size_t)(end - p - n - 1));
			return true;
		}
	}
	return false;
}

/* Whether a mount is a Windows drive seen through WSL's drvfs. */
static bool
is_drvfs(const char *type, const char *opts)
{
	struct strbuf v = STRBUF_INIT;
	bool yes;

	if (strcmp(type, "drvfs") == 0)
		return true;
	yes = (strcmp(type, "9p") == 0 || strcmp(type, "virtiofs") == 0) &&
	    mount_option(&v, opts, "aname") && strcmp(v.buf, "drvfs") == 0;
	strbuf_free(&v);
	return yes;
}

/* "/mnt/e" or "/mnt/e/...": the drive letter WSL would mount there. */
static char
drive_letter(const char *path)
{
	if (strncmp(path, "/mnt/", 5) == 0 && path[5] >= 'a' &&
	    path[5] <= 'z' && (path[6] == '\0' || path[6] == '/'))
		return (char)(path[5] - 'a' + 'A');
	return 0;
}

static void
missing_root(struct doctor *d, const struct linkset *ls, const char *sets,
    const char *shown, int e)
{
	struct strbuf advice = STRBUF_INIT;
	char drive = drive_letter(ls->source);

	if (drive && d->wsl)
		strbuf_printf(&advice, "is drive %c: connected? WSL mounts "
		    "fixed drives when it starts; for another one: sudo mkdir "
		    "-p /mnt/%c && sudo mount -t drvfs %c: /mnt/%c; or fix "
		    "'source' at %s", drive, drive - 'A' + 'a', drive,
		    drive - 'A' + 'a', ls->where);
	else
		strbuf_printf(&advice, "mount the drive that holds it, or "
		    "fix 'source' at %s", ls->where);
	doctor_add(d, DOCTOR_ERROR, "media-root", sets, advice.buf, "%s is "
	    "not there (%s): nothing can be linked from it; sync keeps the "
	    "links it has (source-unavailable)", shown, strerror(e));
	strbuf_free(&advice);
}

/* What the drive's case rules mean for the references to it. */
static void
check_case(struct doctor *d, const char *sets, const char *fsname,
    const char *type, const char *opts, bool known)
{
	struct strbuf cs = STRBUF_INIT;
	bool given;

	if (known && is_drvfs(type, opts)) {
		given = mount_option(&cs, opts, "case");
		if (given && strcmp(cs.buf, "force") == 0)
			doctor_add(d, DOCTOR_OK, "media-case", sets, NULL,
			    "the drive is case-sensitive (case=force), as "
			    "renderlink is: references must name the files "
			    "exactly as they are spelt");
		else
			doctor_add(d, DOCTOR_WARN, "media-case", sets,
			    "write each reference exactly as the file is "
			    "named on the drive (renderlink suggests the "
			    "spelling when only the case is off); or make the "
			    "folders case-sensitive from Windows: fsutil.exe "
			    "file setCaseSensitiveInfo <folder> enable",
			    "the drive is case-insensitive (%s): Windows "
			    "programs open 'Take 7.MP3' for 'take 7.mp3', but "
			    "renderlink matches each reference against the "
			    "folder's listing exactly, so a reference in "
			    "another case is a missing-source error, not a "
			    "link", !given ? "no case= option: WSL's default, "
			    "folders made from Windows are case-insensitive" :
			    strcmp(cs.buf, "dir") == 0 ? "case=dir: folders "
			    "made from Windows are case-insensitive unless "
			    "flagged" : "case=off");
	} else if (known && (strcmp(type, "cifs") == 0 ||
	    strcmp(type, "smb3") == 0))
		doctor_add(d, DOCTOR_WARN, "media-case", sets, "write each "
		    "reference exactly as the file is named on the share",
		    "a Windows share (%s) is usually case-insensitive: "
		    "renderlink matches references against the folder's "
		    "listing exactly, so one in another case is a "
		    "missing-source error, not a link", type);
	else
		doctor_add(d, DOCTOR_OK, "media-case", sets, NULL, "names are "
		    "case-sensitive here (%s), as renderlink is: a reference "
		    "must name the file exactly as it is spelt%s",
		    known ? type : "a Linux filesystem", fsname ? "; Windows "
		    "itself may not care about case on this volume" : "");
	strbuf_free(&cs);
}

/* One media root, read by the sets named in sets. */
static void
check_root(struct doctor *d, const struct linkset *ls, const char *sets)
{
	struct strbuf shown = STRBUF_INIT, real = STRBUF_INIT;
	struct strbuf type = STRBUF_INIT, mp = STRBUF_INIT;
	struct strbuf opts = STRBUF_INIT, v = STRBUF_INIT;
	struct strbuf fs = STRBUF_INIT;
	const char *fsname;
	bool known, win = wslpath_is_windows(ls->source_raw);
	int fd, e;

	strbuf_puts(&shown, ls->source);
	if (strcmp(ls->source_raw, ls->source) != 0)
		strbuf_printf(&shown, " ('%s'%s)", ls->source_raw,
		    win && d->wsl == 0 ? ", a Windows path: this is not WSL, "
		    "so it was mapped to the automount root" : "");
	fd = open(ls->source, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		missing_root(d, ls, sets, shown.buf, e);
		goto out;
	}
	if (fd_realpath(&real, fd) < 0)
		strbuf_set(&real, ls->source);
	fsname = fs_windows_name(fd);
	known = doctor_mount_of(real.buf, fd_mount_id(fd), &type, &mp,
	    &opts);
	strbuf_puts(&fs, fsname ? fsname : known ? type.buf :
	    "a Linux filesystem");
	if (known) {
		strbuf_printf(&fs, " (mounted at %s", mp.buf);
		if (fsname)
			strbuf_printf(&fs, " as %s", type.buf);
		if (is_drvfs(type.buf, opts.buf)) {
			if (mount_option(&v, opts.buf, "case"))
				strbuf_printf(&fs, ", case=%s", v.buf);
			strbuf_puts(&fs, mount_option(&v, opts.buf,
			    "metadata") ? ", metadata: Linux modes kept" :
			    ", no metadata: modes fixed by the mount");
		}
		strbuf_putc(&fs, ')');
	}
	doctor_add(d, DOCTOR_OK, "media-root", sets, NULL, "%s is there, on "
	    "%s", shown.buf, fs.buf);
	check_case(d, sets, fsname, type.buf, opts.buf, known);
	close(fd);
out:
	strbuf_free(&shown);
	strbuf_free(&real);
	strbuf_free(&type);
	strbuf_free(&mp);
	strbuf_free(&opts);
	strbuf_free(&v);
	strbuf_free(&fs);
}

void
doctor_media(struct doctor *d)
{
	const struct config *cfg = d->cfg;
	struct strbuf sets = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < cfg->nsets; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(cfg->sets[j].source,
			    cfg->sets[i].source) == 0)
				break;
		if (j < i)
			continue;	/* said with the first set */
		strbuf_reset(&sets);
		for (j = i; j < cfg->nsets; j++)
			if (strcmp(cfg->sets[j].source,
			    cfg->sets[i].source) == 0)
				strbuf_printf(&sets, "%s%s", sets.len ? ", " :
				    "", cfg->sets[j].name);
		check_root(d, &cfg->sets[i], sets.buf);
	}
	strbuf_free(&sets);
}
