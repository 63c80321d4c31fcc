#!/usr/bin/env bash
# t0220-publish: only pages Jekyll renders make links.  A draft, a page
# marked `published: false` (or null) and a document dated in the future
# reference renders; renderlink links none of them, and a real
# `JEKYLL_ENV=production jekyll build` then publishes exactly the renders
# of the rendered pages.  --drafts, --unpublished and --future (and the
# config's show_drafts, unpublished and future) widen the set exactly as
# they do for Jekyll, built with the same flags.  Dates follow the site's
# `time` and `timezone` as Jekyll's do.  Skipped pages are listed with -v
# and in JSON; their references are still linted, but a missing render
# there is not reported; an invalid date is a front-matter error.
. "$(dirname "$0")/../lib.sh"

command -v jekyll >/dev/null 2>&1 || skip_all "jekyll not installed"
unset JEKYLL_ENV
export NO_COLOR=1

M=$MEDIA
mk_config "$SITE" "mp3s|mp3s|$M|songs/mp3s|mp3"
cat >>"$SITE/_config.yml" <<'EOF'
collections:
  songs:
    output: true
EOF
mkdir -p "$SITE/_songs" "$SITE/_posts" "$SITE/_drafts"
page() {	# page PATH FRONT-MATTER-LINES...
	local p=$SITE/$1
	shift
	mkdir -p "$(dirname -- "$p")"
	{ echo ---; printf '%s\n' "$@"; echo ---; echo body; } >"$p"
}
page index.md 'title: Home'
page _songs/live.md 'mp3s: [live/live.mp3]'
page _songs/secret.md 'published: false' \
    'mp3s: ["night-bus/outputs/mp3s/Night Bus (take 1).mp3"]'
page _songs/pubnull.md 'published:' 'mp3s: [null/null.mp3]'
page _songs/later.md 'date: 2099-01-01' 'mp3s: [later/later.mp3]'
page _songs/2099-05-05-named.md 'mp3s: [named/named.mp3]'
page _songs/ontime.md 'published: true' 'date: 2099-01-01 10:00:00 +01:00' \
    'mp3s: [ontime/ontime.mp3]'
page _posts/2099-01-01-future-post.md 'mp3s: [fpost/fpost.mp3]'
page _posts/2020-01-01-old-post.md 'mp3s: [opost/opost.mp3]'
page _drafts/wip-post.md 'mp3s: [lullaby/outputs/mp3s/wip.mp3]'
page datedpage.md 'date: 2099-01-01' 'mp3s: [dpage/dpage.mp3]'
mk_media "$M" live/live.mp3 "night-bus/outputs/mp3s/Night Bus (take 1).mp3" \
    null/null.mp3 later/later.mp3 named/named.mp3 ontime/ontime.mp3 \
    fpost/fpost.mp3 opost/opost.mp3 lullaby/outputs/mp3s/wip.mp3 \
    dpage/dpage.mp3

L=$SITE/songs/mp3s
ALWAYS="live.mp3 opost.mp3 dpage.mp3"
DRAFTS="wip.mp3"
UNPUB="Night Bus (take 1).mp3 null.mp3"
FUTURE="later.mp3 named.mp3 ontime.mp3 fpost.mp3"

# names DIR: the entries of DIR, one per line, sorted.
names() {
	find -P "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort
}
# want WORDS...: the expected names (file names may hold spaces: the
# lists above are split on the .mp3 ending).
want() {
	printf '%s\n' "$*" | sed 's/\.mp3 /.mp3\n/g' | sed '/^$/d' | sort
}
# jbuild ARGS: a real production build of the site.
jbuild() {
	rm -rf "$SITE/_site"
	(cd "$SITE" && JEKYLL_ENV=production jekyll build -q "$@") \
	    >"$TMP/jekyll.log" 2>&1
}
# same_sets NAME-LIST-A NAME-LIST-B
same_sets() {
	if [ "$1" != "$2" ]; then
		echo "expected:" >&2; printf '  %s\n' "$1" >&2
		echo "got:" >&2; printf '  %s\n' "$2" >&2
		return 1
	fi
}
# published FLAGS: the renders a real build with FLAGS put in _site.
published() {
	jbuild "$@" || { cat "$TMP/jekyll.log" >&2; return 1; }
	names "$SITE/_site/songs/mp3s"
}

# --- the default: only rendered pages count --------------------------------
run_rl -C "$SITE" sync
check "sync links only the renders of pages Jekyll renders" \
    same_sets "$(want $ALWAYS)" "$(names "$L")"
check "no link for the draft, unpublished or future pages" \
    assert_no_entry "$L/wip.mp3"
check "a clean sync reports no problem" assert_rc 0
check "a real production build publishes exactly those renders" \
    same_sets "$(want $ALWAYS)" "$(published)"

# --- each flag widens the set as Jekyll's does -----------------------------
for flag in --drafts --unpublished --future; do
	case $flag in
	--drafts) extra=$DRAFTS ;;
	--unpublished) extra=$UNPUB ;;
	--future) extra=$FUTURE ;;
	esac
	run_rl -C "$SITE" sync $flag
	check "sync $flag adds the renders of those pages" \
	    same_sets "$(want $ALWAYS $extra)" "$(names "$L")"
	check "jekyll build $flag publishes the same renders" \
	    same_sets "$(names "$L")" "$(published $flag)"
	run_rl -C "$SITE" sync
	check "a sync without $flag removes them again" \
	    same_sets "$(want $ALWAYS)" "$(names "$L")"
done
check "with no flag the removed renders leave _site too" \
    same_sets "$(want $ALWAYS)" "$(published)"
run_rl -C "$SITE" sync -D --unpublished --future
check "-D --unpublished --future together count every page" \
    same_sets "$(want $ALWAYS $DRAFTS $UNPUB $FUTURE)" "$(names "$L")"
check "and Jekyll with the same flags publishes the same" \
    same_sets "$(names "$L")" "$(published --drafts --unpublished --future)"
run_rl -C "$SITE" sync

# --- the config's own keys --------------------------------------------------
cp "$SITE/_config.yml" "$TMP/config.orig"
printf 'show_drafts: true\nunpublished: true\nfuture: true\n' \
    >>"$SITE/_config.yml"
run_rl -C "$SITE" sync
check "show_drafts, unpublished and future in the config count as the flags" \
    same_sets "$(want $ALWAYS $DRAFTS $UNPUB $FUTURE)" "$(names "$L")"
check "and Jekyll reads them the same way" \
    same_sets "$(names "$L")" "$(published)"
cp "$TMP/config.orig" "$SITE/_config.yml"
run_rl -C "$SITE" sync

# --- reporting the skipped pages --------------------------------------------
run_rl -C "$SITE" -v sync -n
check "-v prints one line per skipped page with its reason" \
    assert_lines <(grep '^skip ' "$OUT") "skip _drafts/wip-post.md (draft)
skip _songs/secret.md (unpublished)
skip _songs/pubnull.md (unpublished)
skip _songs/later.md (future)
skip _songs/2099-05-05-named.md (future)
skip _songs/ontime.md (future)
skip _posts/2099-01-01-future-post.md (future)"
run_rl -C "$SITE" sync
check "without -v nothing is said about skipped pages" \
    assert_no_grep "$OUT" '^skip '
run_rl -C "$SITE" --format json sync -n
check "--format json lists skipped pages with page and reason" \
    json_assert "$OUT" 'sorted((s["page"], s["reason"]) for s in d["skipped"]) == sorted([("_drafts/wip-post.md", "draft"), ("_songs/secret.md", "unpublished"), ("_songs/pubnull.md", "unpublished"), ("_songs/later.md", "future"), ("_songs/2099-05-05-named.md", "future"), ("_songs/ontime.md", "future"), ("_posts/2099-01-01-future-post.md", "future")])'
run_rl -C "$SITE" --format json sync -n --drafts --unpublished --future
check "with every flag nothing is skipped" \
    json_assert "$OUT" 'd["skipped"] == []'
check "the index records draft, published and date per document" \
    json_assert "$SITE/_data/front_matter.json" '[(x["path"], x["draft"], x["published"], x["date"]) for x in d["documents"] if x["path"] in ("_drafts/wip-post.md", "_songs/secret.md", "_songs/ontime.md", "_songs/2099-05-05-named.md", "datedpage.md")] == [("_drafts/wip-post.md", True, True, None), ("_songs/2099-05-05-named.md", False, True, "2099-05-05T00:00:00"), ("_songs/ontime.md", False, True, "2099-01-01T10:00:00+01:00"), ("_songs/secret.md", False, False, None), ("datedpage.md", False, True, None)]'

# --- skipped pages are still linted -----------------------------------------
page _drafts/broken.md 'mp3s: [../../etc/passwd.mp3, gone/not-made-yet.mp3]'
run_rl -C "$SITE" sync
check "an invalid reference in a draft is still an error" \
    assert_problem error _drafts/broken.md invalid-reference
check "a missing render in a draft is not reported" \
    assert_no_grep "$ERR" 'missing-source'
check "and the draft's error fails the run" assert_rc 1
rm "$SITE/_drafts/broken.md"

# --- invalid dates: Jekyll refuses to build them ----------------------------
page _songs/baddate.md 'date: garbage' 'mp3s: [live/live.mp3]'
run_rl -C "$SITE" sync
check "an invalid date is a front-matter error naming the page" \
    assert_problem error _songs/baddate.md front-matter
check "the message quotes the date" assert_grep "$ERR" "invalid date 'garbage'"
check "(Jekyll refuses it too)" \
    bash -c "! (cd '$SITE' && jekyll build -q) >/dev/null 2>&1"
rm "$SITE/_songs/baddate.md"
page _posts/2024-13-01-badname.md 'mp3s: [live/live.mp3]'
run_rl -C "$SITE" sync
check "an invalid date in a post's file name is an error too" \
    assert_problem error _posts/2024-13-01-badname.md front-matter
rm "$SITE/_posts/2024-13-01-badname.md"
run_rl -C "$SITE" sync
check "fixed, the site syncs cleanly again" assert_rc 0

# --- the site's time and timezone -------------------------------------------
# 20:00 on 20 Nov without a zone: 07:00 UTC in Auckland (past 12:00 UTC),
# 04:00 UTC the next day in Los Angeles (future).
page _songs/evening.md 'date: 2024-11-20 20:00:00' 'mp3s: [eve/eve.mp3]'
mk_media "$M" eve/eve.mp3
cp "$SITE/_config.yml" "$TMP/config.orig"
for tz in Pacific/Auckland America/Los_Angeles; do
	cp "$TMP/config.orig" "$SITE/_config.yml"
	printf 'time: 2024-11-20 12:00:00 +00:00\ntimezone: %s\n' "$tz" \
	    >>"$SITE/_config.yml"
	run_rl -C "$SITE" sync
	if [ "$tz" = Pacific/Auckland ]; then
		check "timezone $tz: the evening page is in the past" \
		    test -L "$L/eve.mp3"
	else
		check "timezone $tz: the evening page is in the future" \
		    assert_no_entry "$L/eve.mp3"
	fi
	check "Jekyll agrees under timezone $tz" \
	    same_sets "$(names "$L")" "$(published)"
done
cp "$TMP/config.orig" "$SITE/_config.yml"
printf 'time: not a time\n' >>"$SITE/_config.yml"
run_rl -C "$SITE" sync
check "a 'time' Jekyll cannot read is a config error (exit 2)" assert_rc 2
check "naming the file and line" assert_grep "$ERR" '_config.yml:[0-9]+:[0-9]+'
cp "$TMP/config.orig" "$SITE/_config.yml"

# --- check takes the same flags ---------------------------------------------
run_rl -C "$SITE" -v check
check "check skips the draft too" \
    assert_grep "$OUT" '^skip _drafts/wip-post.md \(draft\)$'
run_rl -C "$SITE" -v check --drafts
check "check --drafts counts it" \
    assert_no_grep "$OUT" '^skip _drafts/wip-post.md'

finish
