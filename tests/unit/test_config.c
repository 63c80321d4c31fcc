/*
 * test_config.c - the `renderlink:` config: found and merged as Jekyll
 * does, every mistake refused with FILE:LINE:COL and the value.
 *
 * Each test writes a throwaway site folder.  Configs set automount_root
 * so that E:\ maps to /mnt/e whatever this machine's mount table says.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "config.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

static char tc_site[PATH_MAX];

static void
tc_write(const char *name, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	FILE *fp;

	strbuf_set(&path, tc_site);
	strbuf_joinpath(&path, name);
	fp = fopen(path.buf, "w");
	cr_assert_not_null(fp, "cannot write %s", path.buf);
	fputs(text, fp);
	fclose(fp);
	strbuf_free(&path);
}

static int
tc_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
tc_setup(void)
{
	char tmpl[] = "/tmp/rl_config_XXXXXX";

	cr_assert_not_null(mkdtemp(tmpl));
	/* realpath: /tmp may itself be a link; config stores the real one */
	cr_assert_not_null(realpath(tmpl, tc_site));
}

static void
tc_teardown(void)
{
	if (tc_site[0] != '\0')
		nftw(tc_site, tc_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* A config whose single link set has `field` lines replaced. */
static const char tc_head[] =
    "title: My band\n"
    "renderlink:\n"
    "  automount_root: /mnt/\n"
    "  links:\n";

static struct config *
tc_load_ok(char *const *files, size_t nfiles)
{
	struct config *cfg = NULL;

	if (config_load(&cfg, tc_site, files, nfiles) < 0)
		cr_assert_fail("unexpected error: %s", rl_error_last());
	cr_assert_not_null(cfg);
	return cfg;
}

/* Writes _config.yml, expects an error and returns the message. */
static const char *
tc_load_fail(const char *yaml)
{
	struct config *cfg = (struct config *)1;

	if (yaml != NULL)
		tc_write("_config.yml", yaml);
	cr_assert_eq(config_load(&cfg, tc_site, NULL, 0), -1,
	    "expected an error for:\n%s", yaml ? yaml : "");
	cr_assert_null(cfg);
	return rl_error_last();
}

#define tc_assert_msg(msg, want) \
	cr_assert(strstr((msg), (want)) != NULL, "message:\n  %s\n" \
	    "does not contain:\n  %s", (msg), (want))

static const char tc_example[] =
    "renderlink:\n"
    "  index: _data/front_matter.json      # the front matter JSON index\n"
    "  automount_root: /mnt/               # optional\n"
    "  links:\n"
    "    - name: mp3s                      # link set\n"
    "      key: mp3s\n"
    "      source: 'E:\\media\\songs'\n"
    "      target: songs/mp3s\n"
    "      extensions: [mp3]\n"
    "    - name: stems\n"
    "      key: stems\n"
    "      source: '${songs}'\n"
    "      target: songs/stems\n"
    "      extensions: [wav, flac, aif, aiff, mp3, zip]\n";

TestSuite(config, .init = tc_setup, .fini = tc_teardown);

Test(config, example_from_issue_loads)
{
	struct config *cfg;
	const struct linkset *s;

	setenv("songs", "/srv/renders/stems", 1);
	tc_write("_config.yml", tc_example);
	cfg = tc_load_ok(NULL, 0);
	cr_assert_str_eq(cfg->site_root, tc_site);
	cr_assert_str_eq(cfg->index, "_data/front_matter.json");
	cr_assert_str_eq(cfg->automount_root, "/mnt/");
	cr_assert_not(cfg->safe);
	cr_assert_null(cfg->bin);
	cr_assert_eq(cfg->max_media_bytes, 1048576);
	cr_assert_eq(cfg->nfiles, 1);
	cr_assert_str_eq(cfg->files[0], "_config.yml");
	cr_assert_eq(cfg->nsets, 2);

	s = &cfg->sets[0];
	cr_assert_str_eq(s->name, "mp3s");
	cr_assert_str_eq(s->key, "mp3s");
	cr_assert_str_eq(s->source_raw, "E:\\media\\songs");
	cr_assert_str_eq(s->source, "/mnt/e/media/songs");
	cr_assert_str_eq(s->target, "songs/mp3s");
	cr_assert_eq(s->nexts, 1);
	cr_assert_str_eq(s->exts[0], "mp3");
	cr_assert_str_eq(s->where, "_config.yml:5:7");

	s = &cfg->sets[1];
	cr_assert_str_eq(s->name, "stems");
	cr_assert_str_eq(s->source_raw, "${songs}");
	cr_assert_str_eq(s->source, "/srv/renders/stems");
	cr_assert_str_eq(s->target, "songs/stems");
	cr_assert_eq(s->nexts, 6);
	cr_assert_str_eq(s->exts[0], "wav");
	cr_assert_str_eq(s->exts[5], "zip");
	config_free(cfg);
}

Test(config, automount_root_from_config_maps_drives)
{
	struct config *cfg;

	tc_write("_config.yml", "renderlink:\n"
	    "  automount_root: /win\n"
	    "  links:\n"
	    "    - {name: a, key: a, source: 'D:/Renders', target: media,"
	    " extensions: [mp3]}\n");
	cfg = tc_load_ok(NULL, 0);
	cr_assert_str_eq(cfg->automount_root, "/win/");
	cr_assert_str_eq(cfg->sets[0].source, "/win/d/Renders");
	config_free(cfg);
}

Test(config, example_file_in_repo_loads)
{
	/* make runs the tests from the repo root */
	char *files[1] = { NULL };
	struct config *cfg;

	files[0] = realpath("_config.example.yml", NULL);
	cr_assert_not_null(files[0], "_config.example.yml not found; run "
	    "the tests from the repo root");
	/*
	 * As it stands: a user copies it without setting anything, so no
	 * variable it names may be needed (it once named ${songs}).
	 */
	unsetenv("songs");
	unsetenv("RENDERS");
	cfg = tc_load_ok(files, 1);
	cr_assert_str_eq(cfg->files[0], files[0]);
	cr_assert_eq(cfg->nsets, 2);
	cr_assert_str_eq(cfg->sets[0].source, "/mnt/e/media/songs");
	cr_assert_str_eq(cfg->sets[1].source, "/mnt/e/media/songs");
	cr_assert_str_eq(cfg->index, "_data/front_matter.json");
	cr_assert_eq(cfg->max_media_bytes, 1048576);
	config_free(cfg);
	free(files[0]);
}

Test(config, defaults)
{
	struct config *cfg;

	tc_write("_config.yml", "renderlink:\n  links:\n"
	    "    - name: a\n      key: a\n      source: /srv/a\n"
	    "      target: a\n      extensions: [MP3, .Wav, mp3]\n");
	cfg = tc_load_ok(NULL, 0);
	cr_assert_str_eq(cfg->index, "_data/front_matter.json");
	cr_assert_null(cfg->automount_root);
	cr_assert_null(cfg->bin);
	cr_assert_eq(cfg->max_media_bytes, 1048576);
	cr_assert_not(cfg->safe);
	/* lower case, no dot, listed once */
	cr_assert_eq(cfg->sets[0].nexts, 2);
	cr_assert_str_eq(cfg->sets[0].exts[0], "mp3");
	cr_assert_str_eq(cfg->sets[0].exts[1], "wav");
	config_free(cfg);
}

Test(config, reserved_keys_and_safe)
{
	struct config *cfg;

	tc_write("_config.yml", "safe: true\n"
	    "renderlink:\n"
	    "  bin: /usr/local/bin/renderlink\n"
	    "  max_media_bytes: 5_000_000\n"
	    "  index: ./_data//idx.json\n"
	    "  links:\n"
	    "    - {name: a, key: a, source: media, target: 'm/', "
	    "extensions: [mp3]}\n");
	cfg = tc_load_ok(NULL, 0);
	cr_assert(cfg->safe);
	cr_assert_str_eq(cfg->bin, "/usr/local/bin/renderlink");
	cr_assert_eq(cfg->max_media_bytes, 5000000);
	cr_assert_str_eq(cfg->index, "_data/idx.json");
	cr_assert_str_eq(cfg->sets[0].target, "m");
	/* a relative source is relative to the site root */
	cr_assert_eq(strncmp(cfg->sets[0].source, tc_site,
	    strlen(tc_site)), 0);
	cr_assert_str_eq(cfg->sets[0].source + strlen(tc_site), "/media");
	config_free(cfg);

	tc_write("_config.yml", "safe: 0\nrenderlink:\n"
	    "  max_media_bytes: 0\n  links:\n"
	    "    - {name: a, key: a, source: /m, target: m, "
	    "extensions: [mp3]}\n");
	cfg = tc_load_ok(NULL, 0);
	cr_assert(cfg->safe, "Ruby: 0 is truthy, so Jekyll is safe");
	cr_assert_eq(cfg->max_media_bytes, 0);
	config_free(cfg);
}

Test(config, yaml_preferred_order)
{
	struct config *cfg;

	tc_write("_config.yaml", "renderlink:\n  links:\n"
	    "    - {name: y, key: k, source: /a, target: t, "
	    "extensions: [mp3]}\n");
	cfg = tc_load_ok(NULL, 0);
	cr_assert_str_eq(cfg->files[0], "_config.yaml");
	cr_assert_str_eq(cfg->sets[0].name, "y");
	config_free(cfg);

	tc_write("_config.yml", "renderlink:\n  links:\n"
	    "    - {name: yml, key: k, source: /a, target: t, "
	    "extensions: [mp3]}\n");
	cfg = tc_load_ok(NULL, 0);
	cr_assert_str_eq(cfg->files[0], "_config.yml");
	cr_assert_str_eq(cfg->sets[0].name, "yml");
	config_free(cfg);
}

Test(config, later_config_files_win)
{
	char *files[] = { "a.yml", "b.yml" };
	struct config *cfg;

	tc_write("a.yml", "safe: false\n"
	    "exclude: [drafts]\n"
	    "renderlink:\n"
	    "  automount_root: /mnt/\n"
	    "  index: _data/a.json\n"
	    "  bin: a-bin\n"
	    "  links:\n"
	    "    - {name: a, key: a, source: 'E:\\a', target: a, "
	    "extensions: [mp3]}\n");
	tc_write("b.yml", "safe: true\n"
	    "title: B side\n"
	    "renderlink:\n"
	    "  index: _data/b.json\n"
	    "  bin:\n"
	    "  links:\n"
	    "    - {name: b, key: b, source: 'F:\\b', target: b,\n"
	    "       extensions: [zip]}\n");
	cfg = tc_load_ok(files, 2);
	cr_assert(cfg->safe);
	cr_assert_str_eq(cfg->index, "_data/b.json");
	/* kept from a.yml: b.yml does not mention it, or says nothing */
	cr_assert_str_eq(cfg->automount_root, "/mnt/");
	cr_assert_str_eq(cfg->bin, "a-bin");
	/* lists replace */
	cr_assert_eq(cfg->nsets, 1);
	cr_assert_str_eq(cfg->sets[0].name, "b");
	cr_assert_str_eq(cfg->sets[0].source, "/mnt/f/b");
	cr_assert_str_eq(cfg->sets[0].where, "b.yml:7:7");
	/* the rest of the merged Jekyll config is kept for the site walk */
	cr_assert_str_eq(ynode_get(cfg->jekyll, "title")->value, "B side");
	cr_assert_eq(ynode_get(cfg->jekyll, "exclude")->n, 1);
	cr_assert_eq(cfg->nfiles, 2);
	cr_assert_str_eq(cfg->files[0], "a.yml");
	cr_assert_str_eq(cfg->files[1], "b.yml");
	config_free(cfg);
}

Test(config, messages_name_the_file_a_value_came_from)
{
	char *files[] = { "a.yml", "b.yml" };
	struct config *cfg = NULL;

	tc_write("a.yml", "renderlink:\n  links:\n"
	    "    - {name: a, key: a, source: /a, target: a, "
	    "extensions: [mp3]}\n");
	tc_write("b.yml", "x: 1\nrenderlink:\n  index: /etc/passwd\n");
	cr_assert_eq(config_load(&cfg, tc_site, files, 2), -1);
	cr_assert_str_eq(rl_error_last(), "b.yml:3:10: renderlink.index "
	    "'/etc/passwd' is absolute; give a path relative to the site "
	    "root");
}

Test(config, explicit_files_must_exist)
{
	char *files[] = { "_config.yml", "missing.yml" };
	struct config *cfg = NULL;

	tc_write("_config.yml", tc_example);
	cr_assert_eq(config_load(&cfg, tc_site, files, 2), -1);
	tc_assert_msg(rl_error_last(), "missing.yml: cannot read config "
	    "file");
	cr_assert_null(cfg);
}

Test(config, absolute_config_path)
{
	struct strbuf p = STRBUF_INIT;
	char *files[1];
	struct config *cfg;

	tc_write("other.yml", "renderlink:\n  links:\n"
	    "    - {name: a, key: a, source: /a, target: a, "
	    "extensions: [mp3]}\n");
	strbuf_set(&p, tc_site);
	strbuf_joinpath(&p, "other.yml");
	files[0] = p.buf;
	cfg = tc_load_ok(files, 1);
	cr_assert_str_eq(cfg->files[0], p.buf);
	config_free(cfg);
	strbuf_free(&p);
}

Test(config, toml_only_is_refused)
{
	const char *msg;

	tc_write("_config.toml", "title = \"x\"\n");
	msg = tc_load_fail(NULL);
	tc_assert_msg(msg, "_config.toml: TOML config files are not "
	    "supported; use --config with a YAML file");
}

Test(config, no_config_at_all)
{
	tc_assert_msg(tc_load_fail(NULL), "no _config.yml or _config.yaml");
}

Test(config, site_root_must_be_a_folder)
{
	struct strbuf p = STRBUF_INIT;
	struct config *cfg = NULL;

	tc_write("file", "x");
	strbuf_set(&p, tc_site);
	strbuf_joinpath(&p, "file");
	cr_assert_eq(config_load(&cfg, p.buf, NULL, 0), -1);
	tc_assert_msg(rl_error_last(), "not a folder");
	strbuf_joinpath(&p, "nope");
	cr_assert_eq(config_load(&cfg, p.buf, NULL, 0), -1);
	tc_assert_msg(rl_error_last(), "file/nope: Not a directory");
	strbuf_free(&p);
}

Test(config, no_renderlink_key)
{
	cr_assert_str_eq(tc_load_fail("title: x\n"),
	    "_config.yml: no \"renderlink\" key; see _config.example.yml");
	cr_assert_str_eq(tc_load_fail("title: x\nrenderlink:\n"),
	    "_config.yml:2:12: \"renderlink\" is empty; see "
	    "_config.example.yml");
	tc_assert_msg(tc_load_fail("- a\n- b\n"), "_config.yml:1:1: a "
	    "config file must be a map");
}

Test(config, yaml_syntax_error_has_position)
{
	cr_assert_str_eq(tc_load_fail("renderlink:\n  links: [\n"),
	    "_config.yml:3:1: did not find expected node content (while "
	    "parsing a flow node)");
}

Test(config, unknown_keys_are_errors)
{
	tc_assert_msg(tc_load_fail("renderlink:\n  indx: x.json\n"
	    "  links: []\n"), "_config.yml:2:3: unknown key 'indx' in "
	    "renderlink (known keys: index, automount_root, links, plugins, "
	    "bin, max_media_bytes)");
	tc_assert_msg(tc_load_fail("renderlink:\n  links:\n"
	    "    - name: a\n      key: a\n      source: /a\n"
	    "      target: a\n      extention: [mp3]\n"),
	    "_config.yml:7:7: unknown key 'extention' in "
	    "renderlink.links[0]");
}

/* A one-set config with the set written as a flow map after "- ". */
static const char *
tc_set_fail(const char *set)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	strbuf_puts(&sb, tc_head);
	strbuf_puts(&sb, "    - ");
	strbuf_puts(&sb, set);
	strbuf_putc(&sb, '\n');
	return tc_load_fail(sb.buf);
}

Test(config, required_keys)
{
	tc_assert_msg(tc_set_fail("{key: a, source: /a, target: a, "
	    "extensions: [mp3]}"), "_config.yml:5:7: renderlink.links[0] "
	    "has no 'name'");
	tc_assert_msg(tc_set_fail("{name: a, source: /a, target: a, "
	    "extensions: [mp3]}"), "has no 'key'");
	tc_assert_msg(tc_set_fail("{name: a, key: a, target: a, "
	    "extensions: [mp3]}"), "has no 'source'");
	tc_assert_msg(tc_set_fail("{name: a, key: a, source: /a, "
	    "extensions: [mp3]}"), "has no 'target'");
	tc_assert_msg(tc_set_fail("{name: a, key: a, source: /a, "
	    "target: a}"), "has no 'extensions'");
	tc_assert_msg(tc_set_fail("{name: a, key: , source: /a, "
	    "target: a, extensions: [mp3]}"),
	    "renderlink.links[0].key is empty");
}

Test(config, strings_must_be_strings)
{
	tc_assert_msg(tc_set_fail("{name: a, key: {x: 1}, source: /a, "
	    "target: a, extensions: [mp3]}"), "_config.yml:5:22: "
	    "renderlink.links[0].key must be a string, not a map");
	tc_assert_msg(tc_set_fail("{name: [a], key: a, source: /a, "
	    "target: a, extensions: [mp3]}"), "_config.yml:5:14: "
	    "renderlink.links[0].name must be a string, not a list");
	tc_assert_msg(tc_set_fail("{name: a, key: yes, source: /a, "
	    "target: a, extensions: [mp3]}"), "_config.yml:5:22: "
	    "renderlink.links[0].key 'yes' reads as true in YAML; quote it");
	tc_assert_msg(tc_load_fail("renderlink:\n  index: [a]\n"
	    "  links: []\n"), "_config.yml:2:10: renderlink.index must be "
	    "a string, not a list");
}

Test(config, links_must_be_a_nonempty_list_of_maps)
{
	tc_assert_msg(tc_load_fail("renderlink:\n  links: []\n"),
	    "_config.yml:2:10: renderlink.links must be a non-empty list");
	tc_assert_msg(tc_load_fail("renderlink:\n  links: {a: 1}\n"),
	    "_config.yml:2:10: renderlink.links must be a non-empty list");
	tc_assert_msg(tc_load_fail("renderlink:\n  index: x\n"),
	    "_config.yml:2:3: renderlink has no 'links'");
	tc_assert_msg(tc_set_fail("mp3s"), "_config.yml:5:7: "
	    "renderlink.links[0] must be a map");
}

Test(config, bad_names)
{
	tc_assert_msg(tc_set_fail("{name: 'my set', key: a, source: /a, "
	    "target: a, extensions: [mp3]}"), "_config.yml:5:14: "
	    "renderlink.links[0].name 'my set' may only hold letters, "
	    "digits, '_' and '-'");
}

Test(config, duplicate_names_and_targets)
{
	const char *msg;

	msg = tc_load_fail("renderlink:\n  links:\n"
	    "    - {name: a, key: a, source: /a, target: x, "
	    "extensions: [mp3]}\n"
	    "    - {name: a, key: b, source: /b, target: y, "
	    "extensions: [mp3]}\n");
	cr_assert_str_eq(msg, "_config.yml:4:14: renderlink.links[1].name "
	    "'a' is already the name of the link set at _config.yml:3:7");
	msg = tc_load_fail("renderlink:\n  links:\n"
	    "    - {name: a, key: a, source: /a, target: songs/x, "
	    "extensions: [mp3]}\n"
	    "    - {name: b, key: b, source: /b, target: songs/x/, "
	    "extensions: [mp3]}\n");
	cr_assert_str_eq(msg, "_config.yml:4:45: renderlink.links[1]."
	    "target 'songs/x/' is also the target of link set 'a' at "
	    "_config.yml:3:7; each link set needs its own folder");
}

Test(config, target_must_stay_inside_and_be_published)
{
	static const struct {
		const char *target, *want;
	} cases[] = {
		{ "'../x'", "renderlink.links[0].target '../x' leaves the "
		    "site" },
		{ "songs/../../x", "'songs/../../x' leaves the site" },
		{ "songs/../x", "'songs/../x' leaves the site" },
		{ "/var/www/x", "'/var/www/x' is absolute" },
		{ "'songs\\mp3s'", "contains '\\'; separate folders with '/'" },
		{ "'.'", "'.' is the site root itself" },
		{ "'/'", "'/' is absolute" },
		{ "songs//x", "'songs//x' has an empty or '.' folder name" },
		{ "songs/./x", "has an empty or '.' folder name" },
		{ "_site/x", "'_site/x' is inside _site" },
		{ "_media", "Jekyll does not publish folders starting with "
		    "'_'" },
		{ "songs/_x", "Jekyll does not publish folders starting with "
		    "'_'" },
		{ ".git/x", "Jekyll does not publish folders starting with "
		    "'.'" },
		{ "'#x'", "starting with '#'" },
		{ "songs/~x", "starting with '~'" },
		{ "node_modules/x", "is in Jekyll's default `exclude` "
		    "('node_modules')" },
		{ "vendor/bundle", "('vendor/bundle/')" },
	};
	struct strbuf set = STRBUF_INIT;
	const char *msg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		strbuf_reset(&set);
		strbuf_printf(&set, "{name: a, key: a, source: /a, target: "
		    "%s, extensions: [mp3]}", cases[i].target);
		msg = tc_set_fail(set.buf);
		cr_assert(strncmp(msg, "_config.yml:5:45: ", 18) == 0,
		    "%s: %s", cases[i].target, msg);
		tc_assert_msg(msg, cases[i].want);
	}
	strbuf_free(&set);
}

Test(config, target_error_points_at_value)
{
	cr_assert_str_eq(tc_load_fail("# site\n"
	    "renderlink:\n"
	    "  links:\n"
	    "    - name: a\n"
	    "      key: a\n"
	    "      source: /a\n"
	    "      target: ../x\n"
	    "      extensions: [mp3]\n"),
	    "_config.yml:7:15: renderlink.links[0].target '../x' leaves the "
	    "site ('..' is not allowed)");
}

Test(config, index_must_stay_inside)
{
	tc_assert_msg(tc_load_fail("renderlink:\n  index: ../idx.json\n"
	    "  links: []\n"), "_config.yml:2:10: renderlink.index "
	    "'../idx.json' leaves the site");
	tc_assert_msg(tc_load_fail("renderlink:\n  index: ./\n"
	    "  links: []\n"), "renderlink.index './' is the site root itself");
}

Test(config, automount_root_must_be_absolute)
{
	tc_assert_msg(tc_load_fail("renderlink:\n  automount_root: mnt\n"
	    "  links: []\n"), "_config.yml:2:19: renderlink.automount_root "
	    "'mnt' must be an absolute Linux path");
}

Test(config, bad_extensions)
{
	tc_assert_msg(tc_set_fail("{name: a, key: a, source: /a, target: a, "
	    "extensions: mp3}"), "_config.yml:5:60: "
	    "renderlink.links[0].extensions must be a list such as [mp3, "
	    "wav], not 'mp3'");
	tc_assert_msg(tc_set_fail("{name: a, key: a, source: /a, target: a, "
	    "extensions: []}"), "renderlink.links[0].extensions is an empty "
	    "list");
	tc_assert_msg(tc_set_fail("{name: a, key: a, source: /a, target: a, "
	    "extensions: [mp3, 'm p3']}"), "_config.yml:5:66: "
	    "renderlink.links[0].extensions[1] 'm p3' must be letters and "
	    "digits");
	tc_assert_msg(tc_set_fail("{name: a, key: a, source: /a, target: a, "
	    "extensions: [tar.gz]}"), "'tar.gz' must be letters and digits");
	tc_assert_msg(tc_set_fail("{name: a, key: a, source: /a, target: a, "
	    "extensions: ['.']}"), "'.' must be letters and digits");
}

Test(config, bad_max_media_bytes)
{
	static const char *const bad[] = { "-1", "'100'", "1.5", "1MB",
	    "0755", "[1]", "99999999999999999999" };
	struct strbuf sb = STRBUF_INIT;
	const char *msg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strbuf_reset(&sb);
		strbuf_printf(&sb, "renderlink:\n  max_media_bytes: %s\n"
		    "  links: []\n", bad[i]);
		msg = tc_load_fail(sb.buf);
		cr_assert(strncmp(msg, "_config.yml:2:20: "
		    "renderlink.max_media_bytes ", 45) == 0, "%s: %s", bad[i],
		    msg);
	}
	strbuf_free(&sb);
}

Test(config, unset_variable_in_source)
{
	const char *msg;

	unsetenv("RL_TEST_NOT_SET");
	msg = tc_set_fail("{name: a, key: a, source: '${RL_TEST_NOT_SET}/x', "
	    "target: a, extensions: [mp3]}");
	cr_assert(strncmp(msg, "_config.yml:5:33: renderlink.links[0]."
	    "source: ", 46) == 0, "got: %s", msg);
	tc_assert_msg(msg + 46, "RL_TEST_NOT_SET");
}

Test(config, merge_keys_share_settings)
{
	struct config *cfg;

	tc_write("_config.yml", "renderlink:\n  links:\n"
	    "    - &mp3 {name: a, key: songs, source: /m, target: a, "
	    "extensions: [mp3]}\n"
	    "    - <<: *mp3\n      name: b\n      target: b\n");
	cfg = tc_load_ok(NULL, 0);
	cr_assert_eq(cfg->nsets, 2);
	cr_assert_str_eq(cfg->sets[1].name, "b");
	cr_assert_str_eq(cfg->sets[1].key, "songs");
	cr_assert_str_eq(cfg->sets[1].source, "/m");
	cr_assert_str_eq(cfg->sets[1].target, "b");
	config_free(cfg);
}
