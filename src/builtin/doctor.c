/*
 * builtin/doctor.c - `renderlink doctor`: is this machine and this site
 * set up the way renderlink needs?  Changes nothing.
 *
 * One line per check, "ok", "warn" or "error", each saying what was found
 * and, unless all is well, what to do:
 *
 *   wsl               WSL 1, WSL 2 or not WSL (the kernel's release,
 *                     WSL_DISTRO_NAME)
 *   config            the site's config reads
 *   site-filesystem   the site is on a Linux filesystem (links made on
 *                     NTFS, drvfs, 9p or FUSE cannot be opened from Windows)
 *   media-root        each media root: translated path, there or not, its
 *                     filesystem and mount options (doctor_media.c)
 *   media-case        what the drive's case rules mean for references
 *   jekyll-safe, jekyll-env, jekyll-keep-files, jekyll-plugin
 *                     (doctor_jekyll.c)
 *   git-hook, git-ignore, index  (doctor_git.c)
 *   plugin            each external plug-in's program is executable
 *   plugin-sandbox    whether plug-ins run without write access
 *
 * When the config cannot be read, "config" is an error naming file and
 * line, and the checks that need it (media roots, safe mode, keep_files,
 * target folders, index, plug-ins) are left out; the others still run.
 *
 * Text: "STATUS CHECK[ (SUBJECT)]: MESSAGE[; ADVICE]" per check, then a
 * count.  --format json: {"checks": [{"check", "subject", "status",
 * "message", "advice"}], "errors", "warnings"} (subject and advice may
 * be null).  --format github: ok lines as text, the others as workflow
 * commands.  Exit 1 when any check is an error, else 0 (2: bad usage).
 *
 * For tests, RENDERLINK_PROC_ROOT names a folder to read instead of
 * /proc for the WSL check (sys/kernel/osrelease,
 * sys/fs/binfmt_misc/WSLInterop); RENDERLINK_MOUNTINFO (mountinfo.h)
 * stands in for the mount table.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd.h"
#include "config.h"
#include "doctor.h"
#include "fsutil.h"
#include "plugin.h"
#include "report.h"
#include "sandbox.h"
#include "strbuf.h"
#include "util.h"

static const char *const doctor_usage[] = {
	"renderlink doctor [<global options>]",
	NULL
};

void
doctor_add(struct doctor *d, enum dstatus st, const char *check,
    const char *subject, const char *advice, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct dcheck *c;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(d->v, d->n + 1, d->alloc);
	c = &d->v[d->n++];
	c->status = st;
	c->check = xstrdup(check);
	c->subject = subject ? xstrdup(subject) : NULL;
	c->message = strbuf_detach(&sb);
	c->advice = advice ? xstrdup(advice) : NULL;
}

void
doctor_free(struct doctor *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].check);
		free(d->v[i].subject);
		free(d->v[i].message);
		free(d->v[i].advice);
	}
	free(d->v);
}

int
doctor_read(struct strbuf *out, const char *path)
{
	char buf[8192];
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	strbuf_reset(out);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	e = errno;
	close(fd);
	errno = e;
	return n < 0 ? -1 : 0;
}

/* Where the WSL facts are read: /proc, or RENDERLINK_PROC_ROOT in tests. */
static void
proc_path(struct strbuf *out, const char *rel)
{
	const char *root = getenv("RENDERLINK_PROC_ROOT");

	strbuf_set(out, root && *root ? root : "/proc");
	strbuf_joinpath(out, rel);
}

/*
 * WSL 1's kernel calls itself "...-Microsoft", WSL 2's
 * "...-microsoft-standard-WSL2" (FACTS.md).  WSL_DISTRO_NAME is what
 * \\wsl$\<distro>\ paths are checked against; sudo and services drop it.
 */
void
doctor_wsl(struct doctor *d)
{
	struct strbuf path = STRBUF_INIT, rel = STRBUF_INIT;
	struct strbuf interop = STRBUF_INIT;
	const char *distro = getenv("WSL_DISTRO_NAME");
	bool has_distro = distro && *distro, on;
	int r;

	proc_path(&path, "sys/kernel/osrelease");
	if ((r = file_read(&rel, AT_FDCWD, path.buf)) != 0) {
		doctor_add(d, DOCTOR_WARN, "wsl", NULL, "renderlink treats "
		    "this as plain Linux; Windows paths in the config map to "
		    "the automount root (/mnt/<drive>)", "cannot read %s "
		    "(%s), so cannot tell whether this is WSL", path.buf,
		    r > 0 ? "not there" : rl_error_last());
		goto out;
	}
	while (rel.len && strchr(" \t\r\n", rel.buf[rel.len - 1]))
		strbuf_setlen(&rel, rel.len - 1);
	d->wsl = strstr(rel.buf, "Microsoft") ? 1 :
	    strstr(rel.buf, "microsoft") ? 2 : 0;
	proc_path(&path, "sys/fs/binfmt_misc/WSLInterop");
	on = access(path.buf, F_OK) == 0;
	if (d->wsl == 0) {
		doctor_add(d, DOCTOR_OK, "wsl", NULL, NULL, "not WSL (kernel "
		    "%s): plain Linux; Windows paths in the config map to "
		    "the automount root (/mnt/<drive>)", rel.buf);
		goto out;
	}
	strbuf_printf(&interop, "Windows interop %s", on ? "on" : "off");
	if (!has_distro)
		doctor_add(d, DOCTOR_WARN, "wsl", NULL, "run renderlink as "
		    "yourself from a WSL shell (or keep the variable: sudo "
		    "--preserve-env=WSL_DISTRO_NAME), or write such sources "
		    "as Linux paths", "WSL %d (kernel %s, %s), but "
		    "WSL_DISTRO_NAME is not set (sudo, cron and services "
		    "drop it): sources written \\\\wsl$\\<distro>\\... or "
		    "\\\\wsl.localhost\\<distro>\\... cannot be translated",
		    d->wsl, rel.buf, interop.buf);
	else
		doctor_add(d, DOCTOR_OK, "wsl", NULL, NULL, "WSL %d (kernel "
		    "%s, distro %s, %s)%s", d->wsl, rel.buf, distro,
		    interop.buf, d->wsl == 1 ? "; WSL 1's drives (drvfs) "
		    "are told apart from its Linux root by the mount table" :
		    "");
out:
	strbuf_free(&path);
	strbuf_free(&rel);
	strbuf_free(&interop);
}

/* Links renderlink makes in the site must be Linux symlinks on Linux. */
static void
check_site_fs(struct doctor *d)
{
	struct strbuf type = STRBUF_INIT, mp = STRBUF_INIT;
	struct strbuf opts = STRBUF_INIT;
	const char *fsname = fs_windows_name(d->sitefd);
	bool known;

	known = doctor_mount_of(d->root, fd_mount_id(d->sitefd), &type,
	    &mp, &opts);
	if (fsname)
		doctor_add(d, DOCTOR_ERROR, "site-filesystem", NULL, "keep the "
		    "site on the Linux side (ext4: your WSL home, /var/...), "
		    "e.g. git clone it there, and sync there", "the site %s is "
		    "on a Windows filesystem, %s: Linux symlinks made there "
		    "cannot be opened from Windows, so renderlink makes none "
		    "(unsafe-target)", d->root, fsname);
	else if (known)
		doctor_add(d, DOCTOR_OK, "site-filesystem", NULL, NULL, "the "
		    "site %s is on %s (mounted at %s), a Linux filesystem",
		    d->root, type.buf, mp.buf);
	else
		doctor_add(d, DOCTOR_OK, "site-filesystem", NULL, NULL, "the "
		    "site %s is on a Linux filesystem", d->root);
	strbuf_free(&type);
	strbuf_free(&mp);
	strbuf_free(&opts);
}

/* Each external plug-in's program, as the config found it. */
static void
check_plugins(struct doctor *d)
{
	const struct config *cfg = d->cfg;
	struct strbuf path = STRBUF_INIT, sets = STRBUF_INIT;
	struct strbuf advice = STRBUF_INIT;
	struct stat st;
	size_t i, j;
	int abi;

	for (i = 0; i < cfg->nplugins; i++) {
		const struct plugin_conf *pc = &cfg->plugins[i];

		strbuf_reset(&path);
		if (pc->argv[0][0] != '/')
			strbuf_puts(&path, cfg->site_root);
		strbuf_joinpath(&path, pc->argv[0]);
		strbuf_reset(&sets);
		for (j = 0; j < pc->nsets; j++)
			strbuf_printf(&sets, "%s%s", j ? ", " : "",
			    cfg->sets[pc->sets[j]].name);
		if (stat(path.buf, &st) < 0 || !S_ISREG(st.st_mode)) {
			doctor_add(d, DOCTOR_ERROR, "plugin", pc->name, "put "
			    "the program back, or fix 'run' in the config",
			    "%s (%s) is %s", path.buf, pc->where,
			    errno == ENOENT ? "not there" : "not a file");
			continue;
		}
		if (access(path.buf, X_OK) < 0) {
			strbuf_reset(&advice);
			strbuf_printf(&advice, "make it executable: chmod +x "
			    "'%s'", path.buf);
			doctor_add(d, DOCTOR_ERROR, "plugin", pc->name,
			    advice.buf, "%s (%s) cannot be run: %s; every "
			    "sync and check fails while it cannot", path.buf,
			    pc->where, strerror(errno));
			continue;
		}
		doctor_add(d, DOCTOR_OK, "plugin", pc->name, NULL, "%s is "
		    "executable; it feeds %s (timeout %g s)", path.buf,
		    sets.buf, pc->timeout);
	}
	abi = sandbox_abi();
	if (abi > 0)
		doctor_add(d, DOCTOR_OK, "plugin-sandbox", NULL, NULL, "%s",
		    plugins_sandbox_note());
	else if (cfg->nplugins)
		doctor_add(d, DOCTOR_WARN, "plugin-sandbox", NULL, "run only "
		    "plug-ins you trust, or use a kernel with Landlock "
		    "enabled (Linux 5.13+, lsm=landlock)", "%s",
		    plugins_sandbox_note());
	else
		doctor_add(d, DOCTOR_OK, "plugin-sandbox", NULL, NULL, "%s "
		    "(the site has no external plug-ins)",
		    plugins_sandbox_note());
	strbuf_free(&path);
	strbuf_free(&sets);
	strbuf_free(&advice);
}

static void
check_config(struct doctor *d, struct config **cfg)
{
	struct strbuf files = STRBUF_INIT;
	char **names;
	size_t n, i;

	n = site_config_files(&names);
	if (config_load(cfg, d->root, names, n) < 0) {
		doctor_add(d, DOCTOR_ERROR, "config", NULL, "fix what the "
		    "message names; until the config reads, the checks that "
		    "need it (media roots, safe mode, keep_files, target "
		    "folders, index, plug-ins) are skipped", "%s",
		    rl_error_last());
		*cfg = NULL;
	} else {
		for (i = 0; i < (*cfg)->nfiles; i++)
			strbuf_printf(&files, "%s%s", i ? ", " : "",
			    (*cfg)->files[i]);
		doctor_add(d, DOCTOR_OK, "config", NULL, NULL, "%s: %zu link "
		    "set%s, %zu external plug-in%s", files.buf,
		    (*cfg)->nsets, (*cfg)->nsets == 1 ? "" : "s",
		    (*cfg)->nplugins, (*cfg)->nplugins == 1 ? "" : "s");
	}
	site_config_files_free(names, n);
	strbuf_free(&files);
	d->cfg = *cfg;
}

static const char *
status_name(enum dstatus st)
{
	return st == DOCTOR_OK ? "ok" : st == DOCTOR_WARN ? "warn" : "error";
}

static bool
colour(void)
{
	const char *nc = getenv("NO_COLOR");

	return (nc == NULL || *nc == '\0') && isatty(STDOUT_FILENO);
}

static void
print_text(const struct doctor *d, size_t errors, size_t warnings)
{
	static const char *const col[] = {
		[DOCTOR_OK] = "\033[32m", [DOCTOR_WARN] = "\033[33m",
		[DOCTOR_ERROR] = "\033[31m",
	};
	bool c = colour();
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct dcheck *k = &d->v[i];

		if (gopt.quiet && k->status == DOCTOR_OK)
			continue;
		printf("%s%-5s%s %s", c ? col[k->status] : "",
		    status_name(k->status), c ? "\033[m" : "", k->check);
		if (k->subject)
			printf(" (%s)", k->subject);
		printf(": %s", k->message);
		if (k->advice)
			printf("; %s", k->advice);
		putchar('\n');
	}
	if (!gopt.quiet)
		printf("%zu check%s: %zu error%s, %zu warning%s\n", d->n,
		    d->n == 1 ? "" : "s", errors, errors == 1 ? "" : "s",
		    warnings, warnings == 1 ? "" : "s");
}

static void
print_github(const struct doctor *d)
{
	struct strbuf sb = STRBUF_INIT, msg = STRBUF_INIT;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct dcheck *k = &d->v[i];

		strbuf_reset(&sb);
		strbuf_reset(&msg);
		if (k->subject)
			strbuf_printf(&msg, "(%s) ", k->subject);
		strbuf_puts(&msg, k->message);
		if (k->advice)
			strbuf_printf(&msg, "; %s", k->advice);
		if (k->status == DOCTOR_OK) {
			if (!gopt.quiet)
				printf("ok    %s: %s\n", k->check, msg.buf);
			continue;
		}
		strbuf_printf(&sb, "::%s title=",
		    k->status == DOCTOR_ERROR ? "error" : "warning");
		report_escape_property(&sb, k->check);
		strbuf_puts(&sb, "::");
		report_escape_message(&sb, msg.buf);
		printf("%s\n", sb.buf);
	}
	strbuf_free(&sb);
	strbuf_free(&msg);
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void
print_json(const struct doctor *d, size_t errors, size_t warnings)
{
	json_t *checks = json_array(), *root;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct dcheck *k = &d->v[i];

		json_array_append_new(checks, json_pack("{s:s, s:o, s:s, s:s, "
		    "s:o}", "check", k->check, "subject",
		    str_or_null(k->subject), "status", status_name(k->status),
		    "message", k->message, "advice", str_or_null(k->advice)));
	}
	root = json_pack("{s:o, s:I, s:I}", "checks", checks, "errors",
	    (json_int_t)errors, "warnings", (json_int_t)warnings);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putc('\n', stdout);
	json_decref(root);
}

int
cmd_doctor(int argc, char **argv)
{
	struct doctor d = { 0 };
	struct config *cfg = NULL;
	struct site site;
	enum format format;
	size_t i, errors = 0, warnings = 0;
	int code;
	const struct option opts[] = {
		OPT_GLOBALS(gopt),
		OPT_END(),
	};

	argc = parse_options(argc, argv, opts, doctor_usage, 0);
	if (argc > 0) {
		warnx_("doctor takes no arguments ('%s')", argv[1]);
		usage_with_options(doctor_usage, opts, EXIT_USAGE);
	}
	format = global_format();
	/* The folder only: a config that does not read is a finding. */
	if ((code = site_open_dir(&site)) != 0)
		return code;
	d.root = site.root;
	d.sitefd = site.fd;

	doctor_wsl(&d);
	check_config(&d, &cfg);
	check_site_fs(&d);
	if (cfg)
		doctor_media(&d);
	doctor_jekyll(&d);
	doctor_git(&d);
	if (cfg)
		check_plugins(&d);

	for (i = 0; i < d.n; i++) {
		errors += d.v[i].status == DOCTOR_ERROR;
		warnings += d.v[i].status == DOCTOR_WARN;
	}
	if (format == FORMAT_JSON)
		print_json(&d, errors, warnings);
	else if (format == FORMAT_GITHUB)
		print_github(&d);
	else
		print_text(&d, errors, warnings);
	fflush(stdout);
	doctor_free(&d);
	config_free(cfg);
	site_close(&site);
	return errors ? EXIT_PROBLEMS : 0;
}
