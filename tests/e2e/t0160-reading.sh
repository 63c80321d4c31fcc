#!/usr/bin/env bash
# t0160-reading: renderlink reads pages as Jekyll 4.3 reads them, checked
# against a real Jekyll build of the same site.  A front matter block
# that is never closed is a warning and the page is indexed with no keys
# (Jekyll renders it with no data, so its would-be references are not
# published); !!binary values are indexed (as strict base64) instead of
# refusing the page; symlinked pages, folders of pages and collection
# folders are followed, also out of the site, but not out of the source
# when the site sets `safe: true`; never in a loop, and never in or into
# a target folder.  A key one edit away from a link set's key holding a
# reference of that set is a `suspicious-key` warning.
. "$(dirname "$0")/../lib.sh"

command -v jekyll >/dev/null 2>&1 || skip_all "jekyll not installed"
unset JEKYLL_ENV BUNDLE_GEMFILE BUNDLE_PATH RUBYOPT RUBYLIB
export NO_COLOR=1

IDX=$SITE/_data/front_matter.json
CACHE=$SITE/.jekyll-cache/renderlink/pages.tsv
M=$SITE/songs/mp3s
ELSEWHERE=$TMP/elsewhere

# page PATH MP3...: a page (under $SITE unless absolute) with mp3s.
page() {
	local path=$1 refs= r
	shift
	case $path in /*) ;; *) path=$SITE/$path ;; esac
	for r in "$@"; do
		refs="$refs${refs:+, }'$r'"
	done
	mkdir -p "$(dirname -- "$path")"
	printf -- '---\ntitle: t\nmp3s: [%s]\n---\nbody\n' "$refs" >"$path"
}

# docs: the index's document paths, one a line.
docs() {
	python3 -c 'import json, sys
for x in json.load(open(sys.argv[1]))["documents"]: print(x["path"])' "$IDX"
}

# rendered: the pages Jekyll rendered (.html under _site), one a line.
rendered() {
	(cd "$SITE/_site" && find . -name '*.html' | sed 's|^\./||' | sort)
}

# jk ARGS...: a production build (renders copied as real files).
jk() {
	rm -rf "$SITE/_site"
	(cd "$SITE" && JEKYLL_ENV=production timeout 120 jekyll build "$@") \
	    >"$TMP/jekyll.log" 2>&1
}

assert_jekyll_ok() {
	if ! grep -q 'done in' "$TMP/jekyll.log"; then
		echo "jekyll build failed:" >&2
		tail -n 15 "$TMP/jekyll.log" >&2
		return 1
	fi
}

mk_media "$MEDIA" open/open.mp3 bin/bin.mp3 links/page.mp3 \
    links/dir.mp3 links/album.mp3 links/outside.mp3 typo/typo.mp3 \
    links/evil.mp3 links/loop.mp3
mk_config "$SITE" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3"
cat >>"$SITE/_config.yml" <<'EOF'
collections:
  songs: {output: true}
  albums: {output: true}
EOF
printf -- '---\ntitle: Home\n---\nHello.\n' >"$SITE/index.md"

# Never closed: to Jekyll a page with no front matter.
mkdir -p "$SITE/_songs"
printf -- '---\ntitle: Open\nmp3s: [open/open.mp3]\nbody\n' \
    >"$SITE/_songs/open.md"
# A binary value, in lines with blanks, as YAML writes them.
printf -- '---\ntitle: Bin\ncover: !!binary |\n  aGVs\n  bG8=\nmp3s: [bin/bin.mp3]\n---\nbody\n' \
    >"$SITE/_songs/bin.md"
# A typo in the key.
printf -- '---\ntitle: Typo\nmp3: [typo/typo.mp3]\n---\nbody\n' \
    >"$SITE/_songs/typo.md"
# Symlinks: a page, a folder of pages, a collection folder, and a page
# out of the site.
page _hidden/lp.md links/page.mp3
page _hidden/dir/d.md links/dir.mp3
page _store/albums/a.md links/album.mp3
page "$ELSEWHERE/o.md" links/outside.mp3
ln -s _hidden/lp.md "$SITE/linkpage.md"
ln -s _hidden/dir "$SITE/linkdir"
ln -s _store/albums "$SITE/_albums"
ln -s "$ELSEWHERE/o.md" "$SITE/outside.md"

# --- sync, then Jekyll -------------------------------------------------------

run_rl -C "$SITE" sync
check "sync: exit 0 (warnings only)" assert_rc 0
check "never closed: a front-matter warning naming the page" \
    assert_problem warning _songs/open.md front-matter
check "... that says so" assert_grep "$ERR" 'never closed'
check "typo: a suspicious-key warning naming the page" \
    assert_problem warning _songs/typo.md suspicious-key
check "... and the key it resembles" \
    assert_grep "$ERR" "key 'mp3' .*'mp3s'"
check "no errors" assert_no_problem error
check "never closed: indexed with no front matter" json_assert "$IDX" \
    '[x["front_matter"] for x in d["documents"] if x["path"] == "_songs/open.md"] == [{}]'
check "binary: indexed as strict base64, the rest of the page too" \
    json_assert "$IDX" \
    '[(x["front_matter"]["cover"], x["front_matter"]["mp3s"]) for x in d["documents"] if x["path"] == "_songs/bin.md"] == [("aGVsbG8=", ["bin/bin.mp3"])]'
check "symlinked page, folder, collection and outside page are indexed" \
    assert_lines <(docs) "_albums/a.md
_songs/bin.md
_songs/open.md
_songs/typo.md
index.md
linkdir/d.md
linkpage.md
outside.md"
check "a linked page's front matter is read through the link" \
    json_assert "$IDX" \
    '[x["front_matter"]["mp3s"] for x in d["documents"] if x["path"] == "linkdir/d.md"] == [["links/dir.mp3"]]'
check "linked: exactly the renders of the pages Jekyll renders" \
    assert_lines <(find "$M" -mindepth 1 -printf '%f\n') "album.mp3
bin.mp3
dir.mp3
outside.mp3
page.mp3"
check "binary page: its render linked" \
    assert_link "$M/bin.mp3" "$MEDIA/bin/bin.mp3"
check "linked collection: its render linked" \
    assert_link "$M/album.mp3" "$MEDIA/links/album.mp3"

jk
check "jekyll builds the site" assert_jekyll_ok
check "jekyll renders exactly the indexed pages" \
    assert_lines <(rendered) "albums/a.html
index.html
linkdir/d.html
linkpage.html
outside.html
songs/bin.html
songs/open.html
songs/typo.html"
check "jekyll renders the never-closed page with no front matter" \
    assert_grep "$SITE/_site/songs/open.html" 'mp3s: \[open/open.mp3\]'
check "_site holds exactly the linked renders" \
    assert_lines <(find "$SITE/_site/songs/mp3s" -mindepth 1 -type f \
    -printf '%f\n') "album.mp3
bin.mp3
dir.mp3
outside.mp3
page.mp3"

run_rl -C "$SITE" sync
check "again: nothing to do" assert_stdout_empty
check "again: the never-closed page is warned about again" \
    assert_problem warning _songs/open.md front-matter

# --- the staged check agrees: git holds only the links -----------------------

printf 'songs/mp3s/\n_site/\n.jekyll-cache/\n' >"$SITE/.gitignore"
git -C "$SITE" init -q
git -C "$SITE" add -A
# an absolute link is no good in git (staged-link): left out of the commit
git -C "$SITE" reset -q outside.md
run_rl -C "$SITE" check --staged
check "check --staged: exit 0" assert_rc 0
check "check --staged: the index agrees with the staged pages and links" \
    assert_no_grep "$ERR" 'stale-index'
printf -- '---\ntitle: t\nmp3s: [links/page.mp3, links/dir.mp3]\n---\n' \
    >"$SITE/_hidden/lp.md"
git -C "$SITE" add -A
git -C "$SITE" reset -q outside.md
run_rl -C "$SITE" check --staged
check "check --staged: a page behind a link edited, index not: stale" \
    assert_problem error _data/front_matter.json stale-index
printf -- '---\ntitle: t\nmp3s: [links/page.mp3]\n---\nbody\n' \
    >"$SITE/_hidden/lp.md"
rm -rf "$SITE/.git" "$SITE/.gitignore"

# --- safe: true ---------------------------------------------------------------

echo "safe: true" >>"$SITE/_config.yml"
run_rl -C "$SITE" sync
check "safe: exit 0" assert_rc 0
check "safe: the page linked from outside the site is not indexed" \
    assert_lines <(docs) "_albums/a.md
_songs/bin.md
_songs/open.md
_songs/typo.md
index.md
linkdir/d.md
linkpage.md"
check "safe: its render is unlinked" assert_no_entry "$M/outside.mp3"
check "safe: the links inside the site are still read" \
    assert_link "$M/page.mp3" "$MEDIA/links/page.mp3"
jk
check "safe: jekyll builds the site" assert_jekyll_ok
check "safe: jekyll renders exactly the indexed pages" \
    assert_lines <(rendered) "albums/a.html
index.html
linkdir/d.html
linkpage.html
songs/bin.html
songs/open.html
songs/typo.html"
sed -i '/^safe: true$/d' "$SITE/_config.yml"

# --- loops and target folders (Jekyll aborts on a loop: renderlink only) -----

page _hidden/dir/sub/loop.md links/loop.mp3
ln -s .. "$SITE/_hidden/dir/sub/up"
ln -s . "$SITE/self"
# a page linked in a target folder, a link into one, the target by
# another name: never followed
page _hidden/evil.md links/evil.mp3
ln -s ../../_hidden/evil.md "$M/evil.md"
ln -s songs/mp3s/page.mp3 "$SITE/alias.md"
ln -s songs "$SITE/again"
RC=0
timeout 60 "$RL" -C "$SITE" sync >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "loops: the sync ends, exit 0" assert_rc 0
check "loops: each page once, none in or into a target folder" \
    assert_lines <(docs) "_albums/a.md
_songs/bin.md
_songs/open.md
_songs/typo.md
index.md
linkdir/d.md
linkdir/sub/loop.md
linkpage.md
outside.md"
check "loops: the page in the loop is linked once" \
    assert_link "$M/loop.mp3" "$MEDIA/links/loop.mp3"
check "targets: the page linked into the target folder is not read" \
    assert_no_entry "$M/evil.mp3"
check "targets: no file of a target folder was even looked at" \
    sh -c '! tail -n +3 "$1" | cut -f7 | grep -q -e "mp3s/" -e "^alias.md\$"' \
    sh "$CACHE"
check "targets: renderlink's own links are intact" \
    assert_link "$M/page.mp3" "$MEDIA/links/page.mp3"

finish
