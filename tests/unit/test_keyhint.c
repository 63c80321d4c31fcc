/*
 * test_keyhint.c - a front matter key one edit away from a link set's
 * key, holding what looks like that set's reference, is warned about;
 * ordinary keys that happen to be close are not.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "config.h"
#include "index.h"
#include "keyhint.h"
#include "problem.h"
#include "util.h"

static char *kht_mp3_exts[] = { "mp3" };
static char *kht_stem_exts[] = { "wav", "flac" };

/* Two sets, as the README's example: mp3s (.mp3) and stems. */
static void
kht_config(struct config *cfg, struct linkset *sets)
{
	memset(cfg, 0, sizeof(*cfg));
	memset(sets, 0, 2 * sizeof(*sets));
	sets[0].name = "mp3s";
	sets[0].key = "mp3s";
	sets[0].exts = kht_mp3_exts;
	sets[0].nexts = 1;
	sets[1].name = "stem-files";
	sets[1].key = "stems";
	sets[1].exts = kht_stem_exts;
	sets[1].nexts = 2;
	cfg->sets = sets;
	cfg->nsets = 2;
}

/* The problems for one page with front matter fm (JSON). */
static void
kht_run(struct problems *pr, const char *fm)
{
	struct linkset sets[2];
	struct config cfg;
	struct docindex *idx;
	char text[1024];

	kht_config(&cfg, sets);
	snprintf(text, sizeof(text), "{\"version\": 1, \"documents\": "
	    "[{\"path\": \"_songs/x.md\", \"front_matter\": %s}]}", fm);
	cr_assert_eq(docindex_parse(&idx, text, NULL), 0, "%s",
	    rl_error_last());
	memset(pr, 0, sizeof(*pr));
	keyhint_check(pr, &cfg, idx);
	docindex_free(idx);
}

static void
kht_warns(const char *fm, const char *key, const char *like,
    const char *set)
{
	struct problems pr;
	char want[256];

	kht_run(&pr, fm);
	cr_assert_eq(pr.n, 1, "%zu problems for %s", pr.n, fm);
	cr_assert_eq(pr.v[0].severity, SEV_WARNING);
	cr_assert_str_eq(pr.v[0].code, "suspicious-key");
	cr_assert_str_eq(pr.v[0].page, "_songs/x.md");
	snprintf(want, sizeof(want), "front matter key '%s' is not a link "
	    "set's key, so its value is not linked: did you mean '%s' (link "
	    "set '%s')?", key, like, set);
	cr_assert_str_eq(pr.v[0].message, want);
	problems_free(&pr);
}

static void
kht_quiet(const char *fm)
{
	struct problems pr;

	kht_run(&pr, fm);
	cr_assert_eq(pr.n, 0, "warned for %s: %s", fm,
	    pr.n ? pr.v[0].message : "");
	problems_free(&pr);
}

Test(keyhint, one_edit_from_a_key_with_a_reference_warns)
{
	/* the case: a letter dropped */
	kht_warns("{\"mp3\": [\"night-bus/outputs/mp3s/x.mp3\"]}", "mp3",
	    "mp3s", "mp3s");
	/* one added, one changed, a string rather than a list */
	kht_warns("{\"mp3ss\": \"a/b.mp3\"}", "mp3ss", "mp3s", "mp3s");
	kht_warns("{\"mp4s\": \"a/b.mp3\"}", "mp4s", "mp3s", "mp3s");
	kht_warns("{\"stem\": [\"a/drums.WAV\"]}", "stem", "stems",
	    "stem-files");
	/* case differences count, as many as there are */
	kht_warns("{\"MP3S\": [\"a/b.mp3\"]}", "MP3S", "mp3s", "mp3s");
	kht_warns("{\"Stems\": \"a/b.flac\"}", "Stems", "stems",
	    "stem-files");
	kht_warns("{\"Mp3\": \"a/b.Mp3\"}", "Mp3", "mp3s", "mp3s");
	/* one reference among other items is enough */
	kht_warns("{\"mp3\": [1, null, \"cover.jpg\", \"a/b.mp3\"]}", "mp3",
	    "mp3s", "mp3s");
}

Test(keyhint, the_real_key_and_unrelated_keys_are_quiet)
{
	kht_quiet("{\"mp3s\": [\"a/b.mp3\"], \"stems\": \"a/b.wav\"}");
	/* two edits away */
	kht_quiet("{\"mp\": \"a/b.mp3\"}");
	kht_quiet("{\"pm3s\": \"a/b.mp3\"}");
	kht_quiet("{\"audio\": [\"a/b.mp3\"]}");
	/* close, but the value is no reference of that set */
	kht_quiet("{\"mp3\": \"yes\"}");
	kht_quiet("{\"mp3\": [\"a/b.wav\"]}");
	kht_quiet("{\"mp3\": \"a/b.mp3.txt\"}");
	kht_quiet("{\"mp3\": \".mp3x\"}");
	kht_quiet("{\"mp3\": \"mp3\"}");
	kht_quiet("{\"mp3\": {\"a\": \"b.mp3\"}}");
	kht_quiet("{\"mp3\": [[\"a/b.mp3\"]]}");
	kht_quiet("{\"mp3\": 3}");
	kht_quiet("{\"stem\": \"a/b.mp3\"}");
}

Test(keyhint, a_key_of_another_set_is_never_suspicious)
{
	static char *exts[] = { "mp3" };
	struct linkset sets[2];
	struct config cfg;
	struct docindex *idx;
	struct problems pr = { 0 };

	/* two sets whose keys are one edit apart */
	kht_config(&cfg, sets);
	sets[1].name = "single";
	sets[1].key = "mp3";
	sets[1].exts = exts;
	sets[1].nexts = 1;
	cr_assert_eq(docindex_parse(&idx, "[{\"path\": \"a.md\", "
	    "\"front_matter\": {\"mp3\": \"a/b.mp3\", \"mp3s\": "
	    "[\"c/d.mp3\"]}}]", NULL), 0, "%s", rl_error_last());
	keyhint_check(&pr, &cfg, idx);
	cr_assert_eq(pr.n, 0, "%s", pr.n ? pr.v[0].message : "");
	docindex_free(idx);
}

Test(keyhint, one_warning_per_key_and_page)
{
	struct linkset sets[2];
	struct config cfg;
	struct docindex *idx;
	struct problems pr = { 0 };

	kht_config(&cfg, sets);
	cr_assert_eq(docindex_parse(&idx, "[{\"path\": \"a.md\", "
	    "\"front_matter\": {\"mp3\": [\"a.mp3\", \"b.mp3\"], \"Stem\": "
	    "\"s.wav\"}}, {\"path\": \"b.md\", \"front_matter\": "
	    "{\"title\": \"x\"}}, {\"path\": \"c.md\", \"front_matter\": "
	    "{\"mp3\": \"c.mp3\"}}]", NULL), 0, "%s", rl_error_last());
	keyhint_check(&pr, &cfg, idx);
	cr_assert_eq(pr.n, 3);
	cr_assert_str_eq(pr.v[0].page, "a.md");
	cr_assert_str_eq(pr.v[1].page, "a.md");
	cr_assert_str_eq(pr.v[2].page, "c.md");
	problems_free(&pr);
	docindex_free(idx);
}
