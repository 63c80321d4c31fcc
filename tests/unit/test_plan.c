/*
 * test_plan.c - the planner's rules, on hand-made scans: no filesystem,
 * which is the point (the planner must not need one).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "config.h"
#include "fsutil.h"
#include "plan.h"
#include "plugin.h"
#include "problem.h"
#include "scan.h"
#include "util.h"

static char *pl_exts[] = { "mp3" };
static struct linkset pl_set = {
	.name = "mp3s", .key = "mp3s", .source_raw = "E:\\m",
	.source = "/mnt/e/m", .target = "songs/mp3s",
	.exts = pl_exts, .nexts = 1, .where = "_config.yml:3:5",
};
static struct config pl_cfg = {
	.site_root = "/site", .index = "_data/front_matter.json",
	.sets = &pl_set, .nsets = 1,
};

struct pl_fixture {
	struct wantlist	 wants;
	struct scan	 scan;
	struct target_scan target;
	struct source_scan source;
	struct entry	 entries[8];
	struct file_scan files[8];
	struct plan	 plan;
	struct problems	 problems;
};

static void
pl_init(struct pl_fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->target.state = TARGET_OK;
	f->target.v = f->entries;
	f->source.available = true;
	f->source.real_root = "/mnt/e/m";
	f->scan.targets = &f->target;
	f->scan.sources = &f->source;
	f->scan.files = f->files;
	f->scan.nsets = 1;
}

static void
pl_want(struct pl_fixture *f, const char *ref, const char *page,
    enum file_state st)
{
	f->files[f->wants.n].state = st;
	wantlist_add(&f->wants, 0, ref, page);
	f->scan.nwants = f->wants.n;
}

/* Entries must be added in name order (the scanner sorts them). */
/* The device of the fixture's target folder; entry n has inode 1000+n. */
#define PL_DEV	7

static void
pl_entry(struct pl_fixture *f, const char *name, enum entry_type t,
    const char *text)
{
	struct entry *e = &f->entries[f->target.n++];

	e->name = (char *)name;
	e->type = t;
	e->text = (char *)text;
	e->ino = 1000 + f->target.n;	/* the n-th entry: inode 100n */
	f->target.dev = PL_DEV;
}

static void
pl_run_flags(struct pl_fixture *f, unsigned flags)
{
	plan_build(&f->plan, &f->problems, &pl_cfg, &f->wants, &f->scan,
	    flags);
}

static void
pl_run(struct pl_fixture *f, bool dry_run)
{
	pl_run_flags(f, dry_run ? PLAN_SOURCES_OPTIONAL : 0);
}

static void
pl_done(struct pl_fixture *f)
{
	plan_free(&f->plan);
	problems_free(&f->problems);
	wantlist_free(&f->wants);
	manifest_free(&f->scan.manifest);
}

static const struct action *
pl_find(const struct pl_fixture *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->plan.n; i++)
		if (strcmp(f->plan.v[i].name, name) == 0)
			return &f->plan.v[i];
	return NULL;
}

static bool
pl_has_problem(const struct pl_fixture *f, const char *code,
    enum severity sev)
{
	size_t i;

	for (i = 0; i < f->problems.n; i++)
		if (strcmp(f->problems.v[i].code, code) == 0 &&
		    f->problems.v[i].severity == sev)
			return true;
	return false;
}

Test(plan, creates_link_named_after_basename_pointing_into_source)
{
	struct pl_fixture f;
	const struct action *a;

	pl_init(&f);
	pl_want(&f, "p/out/A (take 7; x).mp3", "_songs/a.md", FILE_OK);
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 1);
	a = pl_find(&f, "A (take 7; x).mp3");
	cr_assert_not_null(a);
	cr_assert_eq(a->op, OP_CREATE);
	cr_assert_str_eq(a->link, "songs/mp3s/A (take 7; x).mp3");
	cr_assert_str_eq(a->target, "/mnt/e/m/p/out/A (take 7; x).mp3");
	cr_assert_eq(f.problems.n, 0);
	pl_done(&f);
}

Test(plan, correct_link_is_kept_and_wrong_one_replaced)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_want(&f, "p/a.mp3", "a.md", FILE_OK);
	pl_want(&f, "p/new/b.mp3", "b.md", FILE_OK);
	pl_entry(&f, "a.mp3", ENT_LINK, "/mnt/e/m/p/a.mp3");
	pl_entry(&f, "b.mp3", ENT_LINK, "/mnt/e/m/p/old/b.mp3");
	pl_run(&f, false);
	cr_assert_eq(pl_find(&f, "a.mp3")->op, OP_KEEP);
	cr_assert_eq(pl_find(&f, "b.mp3")->op, OP_REPLACE);
	cr_assert_str_eq(pl_find(&f, "b.mp3")->expect, "/mnt/e/m/p/old/b.mp3");
	cr_assert_str_eq(pl_find(&f, "b.mp3")->target, "/mnt/e/m/p/new/b.mp3");
	pl_done(&f);
}

Test(plan, unreferenced_owned_link_removed_foreign_entries_left)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_entry(&f, "mine.mp3", ENT_LINK, "/mnt/e/m/p/mine.mp3");
	pl_entry(&f, "notes.txt", ENT_FILE, NULL);
	pl_entry(&f, "other.mp3", ENT_LINK, "/home/u/other.mp3");
	pl_entry(&f, "prefix.mp3", ENT_LINK, "/mnt/e/m2/x.mp3");
	pl_entry(&f, "sub", ENT_DIR, NULL);
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 1);
	cr_assert_eq(pl_find(&f, "mine.mp3")->op, OP_REMOVE);
	cr_assert_str_eq(pl_find(&f, "mine.mp3")->expect,
	    "/mnt/e/m/p/mine.mp3");
	cr_assert_eq(f.problems.n, 0);
	pl_done(&f);
}

Test(plan, foreign_entry_in_the_way_is_a_conflict)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_want(&f, "p/a.mp3", "a.md", FILE_OK);
	pl_want(&f, "p/b.mp3", "b.md", FILE_OK);
	pl_want(&f, "p/c.mp3", "c.md", FILE_OK);
	pl_entry(&f, "a.mp3", ENT_FILE, NULL);
	pl_entry(&f, "b.mp3", ENT_LINK, "../elsewhere/b.mp3");
	pl_run(&f, false);
	cr_assert_null(pl_find(&f, "a.mp3"));
	cr_assert_null(pl_find(&f, "b.mp3"));
	cr_assert_eq(pl_find(&f, "c.mp3")->op, OP_CREATE);
	cr_assert_eq(f.problems.n, 2);
	cr_assert_str_eq(f.problems.v[0].code, "conflict");
	cr_assert_str_eq(f.problems.v[0].page, "a.md");
	pl_done(&f);
}

Test(plan, manifest_makes_a_link_outside_the_source_ours)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_entry(&f, "moved.mp3", ENT_LINK, "/old/root/moved.mp3");
	pl_entry(&f, "taken.mp3", ENT_LINK, "/user/own.mp3");
	manifest_put(&f.scan.manifest, "songs/mp3s/moved.mp3",
	    "/old/root/moved.mp3", PL_DEV, 1001);
	manifest_put(&f.scan.manifest, "songs/mp3s/taken.mp3",
	    "/old/root/taken.mp3", PL_DEV, 1002);
	manifest_sort(&f.scan.manifest);
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 1, "only the recorded, unchanged link is ours");
	cr_assert_eq(pl_find(&f, "moved.mp3")->op, OP_REMOVE);
	pl_done(&f);
}

Test(plan, a_record_counts_only_for_the_very_link_it_recorded)
{
	struct pl_fixture f;

	pl_init(&f);
	/* text right, but another link (another inode, another device) */
	pl_entry(&f, "forged.mp3", ENT_LINK, "/etc/passwd");
	pl_entry(&f, "elsewhere.mp3", ENT_LINK, "/old/root/e.mp3");
	manifest_put(&f.scan.manifest, "songs/mp3s/forged.mp3",
	    "/etc/passwd", PL_DEV, 4242);
	manifest_put(&f.scan.manifest, "songs/mp3s/elsewhere.mp3",
	    "/old/root/e.mp3", PL_DEV + 1, 1002);
	manifest_sort(&f.scan.manifest);
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 0, "a record that does not match is ignored");
	pl_done(&f);
}

Test(plan, missing_file_gets_no_link_and_its_old_link_goes)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_want(&f, "p/gone.mp3", "a.md", FILE_MISSING);
	pl_want(&f, "p/never.mp3", "b.md", FILE_MISSING);
	pl_entry(&f, "gone.mp3", ENT_LINK, "/mnt/e/m/p/gone.mp3");
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 1);
	cr_assert_eq(pl_find(&f, "gone.mp3")->op, OP_REMOVE);
	cr_assert_eq(f.problems.n, 2);
	cr_assert(pl_has_problem(&f, "missing-source", SEV_ERROR));
	pl_done(&f);
}

/* The message of the problem on page, or "" (none). */
static const char *
pl_message(const struct pl_fixture *f, const char *page)
{
	size_t i;

	for (i = 0; i < f->problems.n; i++)
		if (f->problems.v[i].page &&
		    strcmp(f->problems.v[i].page, page) == 0)
			return f->problems.v[i].message;
	return "";
}

/* The scanner's near miss ends the message, as a plain question. */
Test(plan, missing_file_message_with_a_suggestion)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_want(&f, "p/Song.MP3", "a.md", FILE_MISSING);
	f.files[0].suggest = "Song.mp3";
	pl_want(&f, "P/take.mp3", "b.md", FILE_MISSING);
	f.files[1].why = "folder 'P' does not exist";
	f.files[1].suggest = "p/take.mp3";
	pl_want(&f, "p/none.mp3", "c.md", FILE_MISSING);
	pl_run(&f, false);
	cr_assert_eq(f.problems.n, 3);
	cr_expect_str_eq(pl_message(&f, "a.md"), "'/mnt/e/m/p/Song.MP3' "
	    "does not exist; nothing linked; did you mean 'Song.mp3'?");
	cr_expect_str_eq(pl_message(&f, "b.md"), "'/mnt/e/m/P/take.mp3' "
	    "does not exist: folder 'P' does not exist; nothing linked; did "
	    "you mean 'p/take.mp3'?");
	cr_expect_str_eq(pl_message(&f, "c.md"), "'/mnt/e/m/p/none.mp3' "
	    "does not exist; nothing linked");
	pl_done(&f);
}

Test(plan, escaping_file_is_an_invalid_reference)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_want(&f, "lnk/passwd.mp3", "evil.md", FILE_ESCAPES);
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 0);
	cr_assert(pl_has_problem(&f, "invalid-reference", SEV_ERROR));
	cr_assert_str_eq(f.problems.v[0].page, "evil.md");
	pl_done(&f);
}

Test(plan, same_name_different_files_blocks_the_name)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_want(&f, "p1/x.mp3", "one.md", FILE_OK);
	pl_want(&f, "p2/x.mp3", "two.md", FILE_OK);
	pl_want(&f, "p1/y.mp3", "one.md", FILE_OK);
	pl_want(&f, "p1/y.mp3", "two.md", FILE_OK);
	pl_entry(&f, "x.mp3", ENT_LINK, "/mnt/e/m/p1/x.mp3");
	pl_run(&f, false);
	cr_assert_null(pl_find(&f, "x.mp3"), "a blocked name is left alone");
	cr_assert_eq(pl_find(&f, "y.mp3")->op, OP_CREATE);
	cr_assert_eq(f.problems.n, 1);
	cr_assert_str_eq(f.problems.v[0].code, "duplicate-name");
	cr_assert(strstr(f.problems.v[0].message, "one.md"));
	cr_assert(strstr(f.problems.v[0].message, "two.md"));
	pl_done(&f);
}

Test(plan, unavailable_source_keeps_everything)
{
	struct pl_fixture f;

	pl_init(&f);
	f.source.available = false;
	f.source.why = "No such file or directory";
	pl_want(&f, "p/a.mp3", "a.md", FILE_MISSING);
	pl_entry(&f, "old.mp3", ENT_LINK, "/mnt/e/m/p/old.mp3");
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 0);
	cr_assert(pl_has_problem(&f, "source-unavailable", SEV_ERROR));
	plan_free(&f.plan);
	problems_free(&f.problems);
	pl_run(&f, true);
	cr_assert_eq(f.plan.n, 0);
	cr_assert(pl_has_problem(&f, "source-unavailable", SEV_WARNING),
	    "a dry run (CI) has no media drive: only a warning");
	cr_assert(strstr(f.problems.v[0].message, "1 reference"));
	pl_done(&f);
}

Test(plan, unsafe_target_does_nothing)
{
	struct pl_fixture f;

	pl_init(&f);
	f.target.state = TARGET_UNSAFE;
	f.target.why = "'songs' is a symlink";
	pl_want(&f, "p/a.mp3", "a.md", FILE_OK);
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 0);
	cr_assert(pl_has_problem(&f, "unsafe-target", SEV_ERROR));
	pl_done(&f);
}

Test(plan, leftover_temporary_link_is_cleaned_but_not_a_file)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_entry(&f, ".renderlink-tmp.1.0.a.mp3", ENT_LINK, "/mnt/e/m/a.mp3");
	pl_entry(&f, ".renderlink-tmp.file", ENT_FILE, NULL);
	/* a user's link named like a temporary, pointing elsewhere: theirs */
	pl_entry(&f, ".renderlink-tmp.2.0.b.mp3", ENT_LINK, "/x/b.mp3");
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 1);
	cr_assert_eq(pl_find(&f, ".renderlink-tmp.1.0.a.mp3")->op, OP_REMOVE);
	cr_assert_null(pl_find(&f, ".renderlink-tmp.2.0.b.mp3"));
	pl_done(&f);
}

Test(plan, actions_sorted_by_name)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_want(&f, "z/c.mp3", "a.md", FILE_OK);
	pl_want(&f, "a/b.mp3", "a.md", FILE_OK);
	pl_entry(&f, "a.mp3", ENT_LINK, "/mnt/e/m/a.mp3");
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, 3);
	cr_assert_str_eq(f.plan.v[0].name, "a.mp3");
	cr_assert_str_eq(f.plan.v[1].name, "b.mp3");
	cr_assert_str_eq(f.plan.v[2].name, "c.mp3");
	pl_done(&f);
}

/*
 * Clean mode (`renderlink clean`): every link that is ours goes, wanted
 * or not, by the same ownership rule; everything else stays.
 */
Test(plan, clean_removes_every_owned_link_and_nothing_else)
{
	struct pl_fixture f;

	pl_init(&f);
	pl_want(&f, "p/wanted.mp3", "a.md", FILE_OK);
	pl_entry(&f, ".renderlink-tmp.1.0.x.mp3", ENT_LINK, "/mnt/e/m/x.mp3");
	pl_entry(&f, "moved.mp3", ENT_LINK, "/old/root/moved.mp3");
	pl_entry(&f, "notes.txt", ENT_FILE, NULL);
	pl_entry(&f, "other.mp3", ENT_LINK, "/home/u/other.mp3");
	pl_entry(&f, "prefix.mp3", ENT_LINK, "/mnt/e/m2/x.mp3");
	pl_entry(&f, "root", ENT_LINK, "/mnt/e/m");
	pl_entry(&f, "sub", ENT_DIR, NULL);
	pl_entry(&f, "wanted.mp3", ENT_LINK, "/mnt/e/m/p/wanted.mp3");
	manifest_put(&f.scan.manifest, "songs/mp3s/moved.mp3",
	    "/old/root/moved.mp3", PL_DEV, 1002);
	manifest_sort(&f.scan.manifest);
	pl_run_flags(&f, PLAN_CLEAN);
	cr_assert_eq(f.plan.n, 3, "the temporary, the recorded link and the "
	    "link into the root: %zu actions", f.plan.n);
	cr_assert_eq(pl_find(&f, ".renderlink-tmp.1.0.x.mp3")->op, OP_REMOVE);
	cr_assert_eq(pl_find(&f, "moved.mp3")->op, OP_REMOVE);
	cr_assert_eq(pl_find(&f, "wanted.mp3")->op, OP_REMOVE,
	    "a wanted link goes too");
	cr_assert_str_eq(pl_find(&f, "wanted.mp3")->expect,
	    "/mnt/e/m/p/wanted.mp3");
	cr_assert_null(pl_find(&f, "wanted.mp3")->target);
	cr_assert_null(pl_find(&f, "root"), "a link to the root itself "
	    "is not below it");
	cr_assert_eq(f.problems.n, 0);
	pl_done(&f);
}

Test(plan, clean_does_not_need_the_media_root)
{
	struct pl_fixture f;

	pl_init(&f);
	f.source.available = false;
	f.source.why = "No such file or directory";
	pl_want(&f, "p/a.mp3", "a.md", FILE_MISSING);
	pl_entry(&f, "a.mp3", ENT_LINK, "/mnt/e/m/p/a.mp3");
	pl_entry(&f, "mine.txt", ENT_FILE, NULL);
	pl_run_flags(&f, PLAN_CLEAN);
	cr_assert_eq(f.plan.n, 1);
	cr_assert_eq(pl_find(&f, "a.mp3")->op, OP_REMOVE,
	    "ownership is read from the link text, not the drive");
	cr_assert_eq(f.problems.n, 0, "no source-unavailable, no "
	    "missing-source");
	pl_done(&f);
}

Test(plan, clean_leaves_an_unsafe_target_alone)
{
	struct pl_fixture f;

	pl_init(&f);
	f.target.state = TARGET_UNSAFE;
	f.target.why = "'songs' is a symlink";
	pl_entry(&f, "a.mp3", ENT_LINK, "/mnt/e/m/p/a.mp3");
	pl_run_flags(&f, PLAN_CLEAN);
	cr_assert_eq(f.plan.n, 0);
	cr_assert(pl_has_problem(&f, "unsafe-target", SEV_ERROR));
	pl_done(&f);
}

/*
 * Each set's wants and entries are walked together, in name order:
 * creates, keeps and replaces come out between the removes, sorted,
 * and a name that is wanted (even blocked, or unreadable) is never
 * taken for an unwanted entry.
 */
Test(plan, wants_and_entries_interleave_in_name_order)
{
	static const char *const names[] = { "a.mp3", "b.mp3", "c.mp3",
	    "d.mp3", "f.mp3", "g.mp3", "m.mp3" };
	static const enum op ops[] = { OP_REMOVE, OP_CREATE, OP_REMOVE,
	    OP_KEEP, OP_REPLACE, OP_REMOVE, OP_REMOVE };
	struct pl_fixture f;
	size_t i;

	pl_init(&f);
	pl_want(&f, "p/b.mp3", "one.md", FILE_OK);
	pl_want(&f, "p/d.mp3", "one.md", FILE_OK);
	pl_want(&f, "q/f.mp3", "one.md", FILE_OK);
	pl_want(&f, "p/h.mp3", "one.md", FILE_OK);
	pl_want(&f, "q/h.mp3", "two.md", FILE_OK);
	pl_want(&f, "p/l.mp3", "two.md", FILE_UNREADABLE);
	pl_entry(&f, "a.mp3", ENT_LINK, "/mnt/e/m/p/a.mp3");
	pl_entry(&f, "c.mp3", ENT_LINK, "/mnt/e/m/p/c.mp3");
	pl_entry(&f, "d.mp3", ENT_LINK, "/mnt/e/m/p/d.mp3");
	pl_entry(&f, "f.mp3", ENT_LINK, "/mnt/e/m/p/f.mp3");
	pl_entry(&f, "g.mp3", ENT_LINK, "/mnt/e/m/p/g.mp3");
	pl_entry(&f, "h.mp3", ENT_LINK, "/mnt/e/m/p/h.mp3");
	pl_entry(&f, "l.mp3", ENT_LINK, "/mnt/e/m/p/l.mp3");
	pl_entry(&f, "m.mp3", ENT_LINK, "/mnt/e/m/p/m.mp3");
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, ARRAY_SIZE(names), "%zu actions", f.plan.n);
	for (i = 0; i < f.plan.n; i++) {
		cr_expect_str_eq(f.plan.v[i].name, names[i]);
		cr_expect_eq(f.plan.v[i].op, ops[i], "%s: %s", names[i],
		    op_name(f.plan.v[i].op));
		cr_expect_eq(f.plan.v[i].name, f.plan.v[i].link +
		    strlen("songs/mp3s/"), "the name is the link's tail");
	}
	cr_expect_str_eq(pl_find(&f, "f.mp3")->target, "/mnt/e/m/q/f.mp3");
	cr_expect_str_eq(pl_find(&f, "f.mp3")->expect, "/mnt/e/m/p/f.mp3");
	cr_expect_str_eq(pl_find(&f, "c.mp3")->link, "songs/mp3s/c.mp3");
	cr_expect_eq(f.problems.n, 2, "h.mp3 and l.mp3");
	cr_expect(pl_has_problem(&f, "duplicate-name", SEV_ERROR));
	cr_expect(pl_has_problem(&f, "source-unavailable", SEV_ERROR));
	pl_done(&f);
}

/*
 * A no-op of many links must stay small: room for exactly one action a
 * link (not twice that), and a kept link's text is the scan's, not a
 * copy of its own.
 */
Test(plan, noop_plan_takes_no_more_than_it_needs)
{
	static const char *const refs[] = { "p/a.mp3", "p/b.mp3", "q/c.mp3",
	    "q/d.mp3", "r/e.mp3" };
	static const char *const texts[] = { "/mnt/e/m/p/a.mp3",
	    "/mnt/e/m/p/b.mp3", "/mnt/e/m/q/c.mp3", "/mnt/e/m/q/d.mp3",
	    "/mnt/e/m/r/e.mp3" };
	static const char *const names[] = { "a.mp3", "b.mp3", "c.mp3",
	    "d.mp3", "e.mp3" };
	struct pl_fixture f;
	size_t i;

	pl_init(&f);
	for (i = 0; i < ARRAY_SIZE(refs); i++) {
		pl_want(&f, refs[i], "a.md", FILE_OK);
		pl_entry(&f, names[i], ENT_LINK, texts[i]);
	}
	pl_run(&f, false);
	cr_assert_eq(f.plan.n, ARRAY_SIZE(refs));
	cr_expect_eq(f.plan.alloc, f.plan.n, "room for %zu actions",
	    f.plan.alloc);
	for (i = 0; i < f.plan.n; i++) {
		cr_expect_eq(f.plan.v[i].op, OP_KEEP);
		cr_expect_str_eq(f.plan.v[i].name, names[i]);
		cr_expect_str_eq(f.plan.v[i].link + strlen("songs/mp3s/"),
		    names[i]);
		cr_expect_eq(f.plan.v[i].target, f.entries[i].text,
		    "%s: the scan's text, borrowed", names[i]);
	}
	cr_expect_not(plan_has_work(&f.plan));
	pl_done(&f);
}

/* The sets in config order, each by name, whatever the names. */
Test(plan, sets_in_config_order_each_by_name)
{
	static char *wav_exts[] = { "wav" };
	static const char *const links[] = { "songs/mp3s/y.mp3",
	    "songs/mp3s/z.mp3", "songs/wavs/a.wav", "songs/wavs/b.wav",
	    "songs/wavs/c.wav" };
	struct linkset sets[2];
	struct config cfg = pl_cfg;
	struct target_scan targets[2] = { { .state = TARGET_OK },
	    { .state = TARGET_OK } };
	struct source_scan sources[2] = { { .available = true },
	    { .available = true } };
	struct entry old = { .name = "c.wav", .type = ENT_LINK,
	    .text = "/mnt/e/w/c.wav", .ino = 9 };
	struct file_scan files[4] = { { .state = FILE_OK } };
	struct wantlist wants = { 0 };
	struct problems problems = { 0 };
	struct scan scan = { 0 };
	struct plan plan;
	size_t i;

	sets[0] = pl_set;
	sets[1] = pl_set;
	sets[1].name = sets[1].key = "wavs";
	sets[1].source = "/mnt/e/w";
	sets[1].target = "songs/wavs";
	sets[1].exts = wav_exts;
	cfg.sets = sets;
	cfg.nsets = 2;
	targets[1].v = &old;
	targets[1].n = 1;
	wantlist_add(&wants, 1, "b.wav", "a.md");
	wantlist_add(&wants, 0, "p/z.mp3", "a.md");
	wantlist_add(&wants, 1, "a.wav", "b.md");
	wantlist_add(&wants, 0, "p/y.mp3", "b.md");
	scan.targets = targets;
	scan.sources = sources;
	scan.files = files;
	scan.nsets = 2;
	scan.nwants = wants.n;
	plan_build(&plan, &problems, &cfg, &wants, &scan, 0);
	cr_assert_eq(plan.n, ARRAY_SIZE(links));
	for (i = 0; i < plan.n; i++) {
		cr_expect_str_eq(plan.v[i].link, links[i]);
		cr_expect_eq(plan.v[i].set, i < 2 ? 0u : 1u);
		cr_expect_str_eq(plan.v[i].setname, i < 2 ? "mp3s" : "wavs");
	}
	cr_expect_eq(plan.v[4].op, OP_REMOVE);
	cr_expect_str_eq(plan.v[2].target, "/mnt/e/w/a.wav");
	cr_expect_eq(problems.n, 0);
	plan_free(&plan);
	problems_free(&problems);
	wantlist_free(&wants);
}
