/*
 * test_wantlist.c - the wants the plug-ins hand to the host: a page's
 * path is one copy for all its wants, and stays whole however the wants
 * are moved between lists and freed.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "plugin.h"

Test(wantlist, wants_of_one_page_share_its_path)
{
	struct wantlist w = { 0 };

	wantlist_add(&w, 0, "p/a.mp3", "_songs/x.md");
	wantlist_add(&w, 0, "p/b.mp3", "_songs/x.md");
	wantlist_add(&w, 1, "c.wav", "_songs/x.md");
	wantlist_add(&w, 0, "p/d.mp3", "_songs/y.md");
	cr_assert_eq(w.n, 4);
	cr_expect_eq(w.v[0].page, w.v[1].page, "one copy of the page");
	cr_expect_eq(w.v[1].page, w.v[2].page, "whatever the set");
	cr_expect_str_eq(w.v[2].page, "_songs/x.md");
	cr_expect_str_eq(w.v[3].page, "_songs/y.md");
	cr_expect_str_eq(w.v[3].ref, "p/d.mp3");
	cr_expect_eq(w.v[2].set, 1u);
	wantlist_free(&w);
	cr_expect_eq(w.n, 0);
	cr_expect_null(w.v);
}

/*
 * The host keeps the wants that obey the rules by moving them to another
 * list and frees the rest: the moved ones keep their page (run under
 * ASan or valgrind, a freed page would be reported here).
 */
Test(wantlist, taken_wants_keep_their_page_when_the_rest_go)
{
	struct wantlist all = { 0 }, good = { 0 };
	size_t i;

	for (i = 0; i < 4; i++)
		wantlist_add(&all, 0, i % 2 ? "p/ok.mp3" : "../bad.mp3",
		    "_songs/x.md");
	wantlist_add(&all, 0, "p/last.mp3", "_songs/z.md");
	wantlist_take(&good, &all.v[1]);
	wantlist_take(&good, &all.v[3]);
	cr_expect_null(all.v[1].page, "taken: emptied");
	cr_expect_null(all.v[1].ref);
	wantlist_free(&all);
	cr_assert_eq(good.n, 2);
	cr_expect_str_eq(good.v[0].page, "_songs/x.md");
	cr_expect_str_eq(good.v[1].page, "_songs/x.md");
	cr_expect_str_eq(good.v[1].ref, "p/ok.mp3");
	/* added after a taken one: a copy of its own, shared from then on */
	wantlist_add(&good, 0, "p/more.mp3", "_songs/x.md");
	cr_expect_str_eq(good.v[2].page, "_songs/x.md");
	wantlist_free(&good);
}

/* A want added after the last one was taken away starts a new copy. */
Test(wantlist, adding_after_a_take_is_safe)
{
	struct wantlist a = { 0 }, b = { 0 };

	wantlist_add(&a, 0, "p/1.mp3", "_songs/x.md");
	wantlist_take(&b, &a.v[0]);
	wantlist_add(&a, 0, "p/2.mp3", "_songs/x.md");
	cr_expect_neq(a.v[1].page, NULL);
	wantlist_free(&b);
	cr_expect_str_eq(a.v[1].page, "_songs/x.md");
	wantlist_free(&a);
}
