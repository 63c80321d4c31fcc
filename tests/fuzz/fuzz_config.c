/*
 * fuzz_config.c - config_load() on arbitrary _config.yml text.
 *
 * config_load reads files, so each input is written into a scratch site
 * folder made once per process (under $TMPDIR; removed at exit) and
 * loaded from there, as the tool would.  An input holding the line
 * "#--config--" is cut there into two files, loaded as --config a.yml,
 * b.yml, so Jekyll's deep merge is fuzzed too.  The scratch site has a
 * fixed mount table ($RENDERLINK_MOUNTINFO: E: on 9p), WSL_DISTRO_NAME,
 * HOME, a few variables, an executable plug-in at plugins/latest and one
 * named `takes` on PATH, so configs can get past those checks.
 *
 * Promises checked on success (config.h): at least one set; names
 * unique and [A-Za-z0-9_-]+; sources absolute and folded; targets and
 * the index inside the site, targets distinct and published by Jekyll;
 * extensions lower case without a dot; plug-ins named, not "media",
 * feeding only sets that exist.  On failure: a message.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "strbuf.h"
#include "util.h"

#define SPLIT	"\n#--config--\n"

static const char mountinfo[] =
    "22 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n"
    "72 62 0:52 / /mnt/e rw,noatime - 9p drvfs rw,dirsync,aname=drvfs;"
    "path=E:\\;uid=1000;gid=1000\n";

static char site[4096];

static void
put(const char *name, const void *data, size_t len, mode_t mode)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", site, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) < 0 ||
	    (len > 0 && write(fd, data, len) != (ssize_t)len) ||
	    close(fd) < 0) {
		perror(path);
		abort();
	}
}

static void
cleanup(void)
{
	static const char *const files[] = { "_config.yml", "a.yml", "b.yml",
	    "mountinfo", "plugins/latest", "bin/takes", "plugins", "bin" };
	char path[4200];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", site, files[i]);
		if (unlink(path) < 0)
			rmdir(path);
	}
	rmdir(site);
}

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[4200];

	if (site[0] != '\0')
		return;
	snprintf(site, sizeof(site), "%s/rl-fuzz-config.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(site) == NULL) {
		perror(site);
		abort();
	}
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/plugins", site);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/bin", site);
	mkdir(path, 0755);
	put("plugins/latest", "#!/bin/sh\n", 10, 0755);
	put("bin/takes", "#!/bin/sh\n", 10, 0755);
	put("mountinfo", mountinfo, sizeof(mountinfo) - 1, 0644);
	snprintf(path, sizeof(path), "%s/mountinfo", site);
	setenv("RENDERLINK_MOUNTINFO", path, 1);
	snprintf(path, sizeof(path), "%s/bin", site);
	setenv("PATH", path, 1);
	setenv("WSL_DISTRO_NAME", "Ubuntu", 1);
	setenv("HOME", "/home/u", 1);
	setenv("MEDIA", "E:\\media", 1);
	unsetenv("UNSET");
}

static bool
inside_site(const char *p)
{
	const char *seg, *end;
	size_t len;

	if (p == NULL || p[0] == '\0' || p[0] == '/')
		return false;
	for (seg = p;; seg = end + 1) {
		end = strchr(seg, '/');
		len = end ? (size_t)(end - seg) : strlen(seg);
		if (len == 0 || (len == 1 && seg[0] == '.') ||
		    (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (end == NULL)
			return true;
	}
}

static void
check(const struct config *cfg)
{
	size_t i, j;

	FUZZ_CHECK(cfg->nsets > 0, "no link sets");
	FUZZ_CHECK(cfg->jekyll != NULL, "no Jekyll config");
	FUZZ_CHECK(inside_site(cfg->index), "index '%s'", cfg->index);
	for (i = 0; i < cfg->nsets; i++) {
		const struct linkset *s = &cfg->sets[i];
		const char *p;

		FUZZ_CHECK(s->name[0] != '\0' &&
		    strspn(s->name, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
		    strlen(s->name), "set name '%s'", s->name);
		FUZZ_CHECK(s->source[0] == '/' && strstr(s->source, "//") ==
		    NULL && strstr(s->source, "/./") == NULL &&
		    strstr(s->source, "/../") == NULL &&
		    (s->source[1] == '\0' ||
		    s->source[strlen(s->source) - 1] != '/'),
		    "set %s: source '%s'", s->name, s->source);
		FUZZ_CHECK(inside_site(s->target), "set %s: target '%s'",
		    s->name, s->target);
		for (p = s->target; p; p = strchr(p, '/') ? strchr(p, '/') + 1
		    : NULL)
			FUZZ_CHECK(*p == '\0' || strchr("_.#~", *p) == NULL,
			    "set %s: target '%s' is not published", s->name,
			    s->target);
		FUZZ_CHECK(strncmp(s->target, "_site", 5) != 0 ||
		    (s->target[5] != '\0' && s->target[5] != '/'),
		    "set %s: target '%s'", s->name, s->target);
		for (j = 0; j < s->nexts; j++)
			FUZZ_CHECK(s->exts[j][0] != '\0' &&
			    s->exts[j][0] != '.', "set %s: extension '%s'",
			    s->name, s->exts[j]);
		for (j = 0; j < i; j++) {
			FUZZ_CHECK(strcmp(s->name, cfg->sets[j].name) != 0,
			    "set name '%s' twice", s->name);
			FUZZ_CHECK(strcmp(s->target, cfg->sets[j].target) != 0,
			    "target '%s' twice", s->target);
		}
	}
	for (i = 0; i < cfg->nplugins; i++) {
		const struct plugin_conf *pc = &cfg->plugins[i];

		FUZZ_CHECK(pc->name[0] != '\0' && strcmp(pc->name, "media") !=
		    0, "plug-in name '%s'", pc->name);
		FUZZ_CHECK(pc->argv != NULL && pc->argv[0] != NULL,
		    "plug-in %s: no program", pc->name);
		for (j = 0; j < pc->nsets; j++)
			FUZZ_CHECK(pc->sets[j] < cfg->nsets,
			    "plug-in %s: set %zu", pc->name, pc->sets[j]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char a[] = "a.yml", b[] = "b.yml";
	char *const two[] = { a, b };
	struct config *cfg = NULL;
	const uint8_t *cut = memmem(data, size, SPLIT, strlen(SPLIT));
	int rc;

	setup();
	if (cut != NULL) {
		put("a.yml", data, (size_t)(cut - data) + 1, 0644);
		cut += strlen(SPLIT);
		put("b.yml", cut, size - (size_t)(cut - data), 0644);
		rc = config_load(&cfg, site, two, 2);
	} else {
		put("_config.yml", data, size, 0644);
		rc = config_load(&cfg, site, NULL, 0);
	}
	fuzz_say(rc, rc ? rl_error_last() : "");
	if (rc == 0) {
		FUZZ_CHECK(cfg != NULL, "rc 0, no config");
		check(cfg);
	} else {
		FUZZ_CHECK(cfg == NULL, "an error, yet a config");
		FUZZ_CHECK(rl_error_last()[0] != '\0', "an error, no message");
	}
	config_free(cfg);
	return 0;
}
