#!/usr/bin/env bash
# t0300-check: `renderlink check [--staged]` on real git repositories made
# with the git CLI.  A staged symlink that is absolute, leads out of the
# repository or into a media root is a `staged-link` error (with the
# `git rm --cached` that unstages it); a render over max_media_bytes, or
# any regular file in a managed target folder, is `staged-media`;
# --staged judges the pages as staged, so an unstaged edit neither breaks
# nor excuses a commit; a target folder git does not ignore is an error
# once it holds links (a warning before), and `hook install` fixes that
# (the advice names it and the .gitignore line, glob characters escaped);
# a committed index the staged pages disagree with is `stale-index`, and
# so is one that is not JSON.  It
# works with no commits yet, with the site in a sub-folder (from other
# folders via -C), in a worktree and in a submodule, and changes nothing.
. "$(dirname "$0")/../lib.sh"

command -v git >/dev/null || skip_all "check: git not found"
# Nothing from the user's or the caller's git may leak in (a test run
# from a hook has GIT_DIR and GIT_INDEX_FILE set).
unset $(git rev-parse --local-env-vars 2>/dev/null)
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
# Not in CI, whatever runs the tests: the not-ignored advice depends on it.
unset GITHUB_ACTIONS CI

g() {
	git -c user.name=t -c user.email=t@t -c init.defaultBranch=main \
	    -c advice.detachedHead=false "$@"
}

mk_media "$MEDIA" one.mp3 one.wav two.mp3

# song SITE NAME MP3 [WAV]: SITE/_songs/NAME.md naming its renders.
song() {
	mkdir -p "$1/_songs"
	printf -- '---\ntitle: %s\nmp3s: [%s]\nstems: [%s]\n---\nlyrics\n' \
	    "$2" "$3" "${4:-}" >"$1/_songs/$2.md"
}

# new_site DIR: a site (mp3s -> songs/mp3s, stems -> songs/stems, both
# from $MEDIA; the songs collection) with one song and a home page.
new_site() {
	mk_config "$1" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3" \
	    "stems|stems|$MEDIA|songs/stems|wav"
	echo "collections: [songs]" >>"$1/_config.yml"
	printf -- '---\ntitle: Home\n---\nHello.\n' >"$1/index.md"
	mkdir -p "$1/assets"
	printf 'logo\n' >"$1/assets/logo.txt"
	song "$1" one one.mp3 one.wav
}

# ignore_targets DIR: a .gitignore in DIR for what renderlink writes.
ignore_targets() {
	printf 'songs/mp3s/\nsongs/stems/\n.jekyll-cache/\n' >"$1/.gitignore"
}

# new_repo DIR: a committed site at the top of a fresh repository, its
# links synced; the index sync writes is left untracked and removed, so
# that only what a test stages decides `stale-index`.
new_repo() {
	g init -q "$1" && new_site "$1" && ignore_targets "$1" &&
	    g -C "$1" add -A && g -C "$1" commit -qm site &&
	    rl -C "$1" sync >/dev/null && rm -f "$1/_data/front_matter.json"
}

# big FILE BYTES: a file of that size.
big() {
	mkdir -p "$(dirname -- "$1")"
	head -c "$2" /dev/zero >"$1"
}

# --- a clean repository -----------------------------------------------------

R=$TMP/r1
check "setup: repository with a synced site" new_repo "$R"
check "setup: the link is there" assert_link "$R/songs/mp3s/one.mp3" \
    "$MEDIA/one.mp3"
run_rl -C "$R" check --staged
check "clean, --staged: exit 0" assert_rc 0
check "clean, --staged: no problem" assert_stderr_empty
run_rl -C "$R" check
check "clean: exit 0" assert_rc 0
check "clean: no problem" assert_stderr_empty

# --- staged-link --------------------------------------------------------------

g -C "$R" add -f songs/mp3s/one.mp3
run_rl -C "$R" check --staged
check "link into the media root staged: exit 1" assert_rc 1
check "link into the media root: staged-link on the link" \
    assert_problem error songs/mp3s/one.mp3 staged-link
check "link into the media root: says why" \
    assert_grep "$ERR" "staged symlink to '$MEDIA/one\.mp3' points into a media root"
check "link into the media root: says how to unstage it" \
    assert_grep "$ERR" "git rm --cached -- 'songs/mp3s/one\.mp3'"
check "link into the media root: only that error" \
    assert_count 1 "$ERR" '^error: '
run_rl -C "$R" check
check "link into the media root, plain check: exit 1 as well" assert_rc 1
check "link into the media root, plain check: staged-link" \
    assert_problem error songs/mp3s/one.mp3 staged-link
g -C "$R" rm -q --cached songs/mp3s/one.mp3
run_rl -C "$R" check --staged
check "unstaged again: exit 0" assert_rc 0

ln -s /etc/hostname "$R/assets/host"
g -C "$R" add assets/host
run_rl -C "$R" check --staged
check "absolute link elsewhere: exit 1" assert_rc 1
check "absolute link elsewhere: staged-link" \
    assert_problem error assets/host staged-link
check "absolute link elsewhere: says it is absolute" \
    assert_grep "$ERR" "'/etc/hostname' is absolute"
g -C "$R" rm -q --cached assets/host
rm "$R/assets/host"

printf 'outside\n' >"$TMP/outside.txt"
ln -s ../../outside.txt "$R/assets/out"
g -C "$R" add assets/out
run_rl -C "$R" check --staged
check "relative link out of the repository: exit 1" assert_rc 1
check "relative link out of the repository: staged-link" \
    assert_problem error assets/out staged-link
check "relative link out of the repository: says so" \
    assert_grep "$ERR" "'\.\./\.\./outside\.txt' leads outside the repository"
g -C "$R" rm -q --cached assets/out
rm "$R/assets/out"

ln -s logo.txt "$R/assets/logo-link.txt"
ln -s ../index.md "$R/assets/home"
g -C "$R" add assets/logo-link.txt assets/home
run_rl -C "$R" check --staged
check "relative links inside the repository: exit 0" assert_rc 0
check "relative links inside the repository: no problem" \
    assert_stderr_empty
g -C "$R" commit -qm "links inside"

# --- staged-media -------------------------------------------------------------

big "$R/assets/big.wav" 5000000
g -C "$R" add assets/big.wav
run_rl -C "$R" check --staged
check "5 MB render staged: exit 1" assert_rc 1
check "5 MB render staged: staged-media" \
    assert_problem error assets/big.wav staged-media
check "5 MB render staged: names the size and the limit" \
    assert_grep "$ERR" "'assets/big\.wav' is a 5\.0 MB render .*limit is 1048576 bytes"
check "5 MB render staged: says how to unstage it" \
    assert_grep "$ERR" "git rm --cached -- 'assets/big\.wav'"
run_rl -C "$R" check
check "5 MB render staged, plain check: exit 1" assert_rc 1

cp "$R/_config.yml" "$TMP/config.orig"
sed -i 's/^renderlink:$/&\n  max_media_bytes: 10000000/' "$R/_config.yml"
run_rl -C "$R" check --staged
check "max_media_bytes 10000000: the 5 MB render is fine (exit 0)" \
    assert_rc 0
check "max_media_bytes 10000000: no problem" assert_stderr_empty
cp "$TMP/config.orig" "$R/_config.yml"
g -C "$R" rm -q --cached assets/big.wav
rm "$R/assets/big.wav"

big "$R/assets/small.wav" 100000
big "$R/assets/big.txt" 5000000
g -C "$R" add assets/small.wav assets/big.txt
run_rl -C "$R" check --staged
check "100 KB render and a 5 MB non-render staged: exit 0" assert_rc 0
check "100 KB render and a 5 MB non-render: no problem" assert_stderr_empty
g -C "$R" rm -q --cached assets/small.wav assets/big.txt
rm "$R/assets/small.wav" "$R/assets/big.txt"

printf 'notes\n' >"$R/songs/mp3s/notes.txt"
g -C "$R" add -f songs/mp3s/notes.txt
run_rl -C "$R" check --staged
check "regular file staged in songs/mp3s: exit 1" assert_rc 1
check "regular file staged in songs/mp3s: staged-media" \
    assert_problem error songs/mp3s/notes.txt staged-media
check "regular file staged in songs/mp3s: names the folder and set" \
    assert_grep "$ERR" "staged inside songs/mp3s, .*link set 'mp3s'"
g -C "$R" rm -q --cached songs/mp3s/notes.txt
rm "$R/songs/mp3s/notes.txt"

# --- --staged reads the pages as staged -----------------------------------------

cp "$R/_songs/one.md" "$TMP/one.good"
song "$R" one missing.mp3
run_rl -C "$R" check --staged
check "unstaged edit naming a missing render, --staged: exit 0" assert_rc 0
check "unstaged edit naming a missing render, --staged: no problem" \
    assert_stderr_empty
run_rl -C "$R" check
check "unstaged edit naming a missing render, plain check: exit 1" \
    assert_rc 1
check "unstaged edit naming a missing render, plain check: missing-source" \
    assert_problem error _songs/one.md missing-source

song "$R" one ../x.mp3
run_rl -C "$R" check --staged
check "unstaged invalid reference, --staged: exit 0" assert_rc 0
run_rl -C "$R" check
check "unstaged invalid reference, plain check: exit 1" assert_rc 1
check "unstaged invalid reference, plain check: invalid-reference" \
    assert_problem error _songs/one.md invalid-reference
cp "$TMP/one.good" "$R/_songs/one.md"

song "$R" two gone.mp3
g -C "$R" add _songs/two.md
run_rl -C "$R" check --staged
check "staged page naming a missing render: exit 1" assert_rc 1
check "staged page naming a missing render: missing-source on the page" \
    assert_problem error _songs/two.md missing-source
check "staged page naming a missing render: names the render" \
    assert_grep "$ERR" 'gone\.mp3'
# The work tree now says something good; what is staged is still bad.
song "$R" two two.mp3
run_rl -C "$R" check --staged
check "staged bad page, good work tree, --staged: still exit 1" assert_rc 1
check "staged bad page, good work tree, --staged: missing-source" \
    assert_problem error _songs/two.md missing-source
run_rl -C "$R" check
check "staged bad page, good work tree, plain check: exit 0" assert_rc 0
g -C "$R" add _songs/two.md
run_rl -C "$R" check --staged
check "the good page staged: exit 0" assert_rc 0
g -C "$R" commit -qm two

# --- check changes nothing ----------------------------------------------------

# A state with problems of every kind, staged and not.
g -C "$R" add -f songs/mp3s/one.mp3
song "$R" one ../x.mp3 missing.wav
big "$R/assets/big.wav" 5000000
g -C "$R" add assets/big.wav
snapshot "$R" "$TMP/snap.r"
snapshot "$MEDIA" "$TMP/snap.m"
run_rl -C "$R" check --staged
check "problems everywhere, --staged: exit 1" assert_rc 1
check "check --staged changed nothing in the repository (.git too)" \
    assert_snapshot "$R" "$TMP/snap.r"
check "check --staged changed nothing in the media root" \
    assert_snapshot "$MEDIA" "$TMP/snap.m"
run_rl -C "$R" check
check "problems everywhere, plain check: exit 1" assert_rc 1
check "check changed nothing in the repository (.git too)" \
    assert_snapshot "$R" "$TMP/snap.r"
check "check changed nothing in the media root" \
    assert_snapshot "$MEDIA" "$TMP/snap.m"
g -C "$R" rm -q --cached songs/mp3s/one.mp3 assets/big.wav
rm "$R/assets/big.wav"
cp "$TMP/one.good" "$R/_songs/one.md"

# --- not-ignored --------------------------------------------------------------

N=$TMP/r2
g init -q "$N" && new_site "$N"
g -C "$N" add -A && g -C "$N" commit -qm site
run_rl -C "$N" check
check "targets absent, not ignored: exit 0" assert_rc 0
check "targets absent, not ignored: a warning for each target" \
    assert_count 2 "$ERR" '^warning: git does not ignore songs/(mp3s|stems)/.*\(not-ignored\)$'
check "targets absent, not ignored: no error" assert_no_problem error
mkdir -p "$N/songs/mp3s" "$N/songs/stems"
run_rl -C "$N" check --staged
check "targets empty, not ignored: exit 0" assert_rc 0
check "targets empty, not ignored: warnings only" \
    assert_count 2 "$ERR" '^warning: .*\(not-ignored\)$'
rl -C "$N" sync >/dev/null
run_rl -C "$N" check --staged
check "targets with links, not ignored: exit 1" assert_rc 1
check "targets with links, not ignored: an error for each" \
    assert_count 2 "$ERR" '^error: git does not ignore songs/(mp3s|stems)/, where renderlink keeps links, and it holds some.*\(not-ignored\)$'
check "targets with links, not ignored: says what fixes it" \
    assert_grep "$ERR" "renderlink hook install"
check "targets with links, not ignored: or the .gitignore line to commit" \
    assert_grep "$ERR" "^error: git does not ignore songs/mp3s/.* commit the line '/songs/mp3s/' in the \.gitignore at the top of the repository.*\(not-ignored\)$"
run_rl -C "$N" hook install
check "hook install: exit 0" assert_rc 0
check "hook install: the targets are in .git/info/exclude" \
    assert_grep "$N/.git/info/exclude" '^/songs/mp3s/$'
run_rl -C "$N" check --staged
check "after hook install: exit 0" assert_rc 0
check "after hook install: no not-ignored" assert_no_grep "$ERR" 'not-ignored'

# A target name with gitignore's special characters: the line matches
# only that folder.
Q=$TMP/r2q
g init -q "$Q" && mk_config "$Q" "odd|mp3s|$MEDIA|songs/[odd]*|mp3"
run_rl -C "$Q" check
check "odd target name: the .gitignore line escapes [ and *" \
    grep -qF "commit the line '/songs/\\[odd]\\*/'" "$ERR"
grep -o "commit the line '[^']*'" "$ERR" | head -n 1 |
    sed "s/^commit the line '//; s/'\$//" >"$Q/.gitignore"
mkdir -p "$Q/songs/[odd]*" "$Q/songs/oddx"
touch "$Q/songs/[odd]*/f" "$Q/songs/oddx/f"
check "odd target name: with that line, git ignores the folder" \
    git -C "$Q" check-ignore -q "songs/[odd]*/f"
check "odd target name: and not a folder the unescaped glob would match" \
    eval '! git -C "$Q" check-ignore -q songs/oddx/f'
run_rl -C "$Q" check
check "odd target name: with that line, no not-ignored" \
    assert_no_grep "$ERR" 'not-ignored'

# --- stale-index --------------------------------------------------------------

rl -C "$R" index >/dev/null
g -C "$R" add _data/front_matter.json
g -C "$R" commit -qm index
run_rl -C "$R" check --staged
check "committed current index, --staged: exit 0" assert_rc 0
check "committed current index, --staged: no stale-index" \
    assert_stderr_empty
song "$R" one two.mp3
run_rl -C "$R" check --staged
check "unstaged page edit, --staged: the staged index still agrees" \
    assert_rc 0
g -C "$R" add _songs/one.md
run_rl -C "$R" check --staged
check "staged page edit without index: exit 1" assert_rc 1
check "staged page edit without index: stale-index on the index" \
    assert_problem error _data/front_matter.json stale-index
check "staged page edit without index: says what to run" \
    assert_grep "$ERR" "renderlink index.*git add _data/front_matter\.json"
run_rl -C "$R" check
check "page edit without index, plain check: stale-index" \
    assert_problem error _data/front_matter.json stale-index
rl -C "$R" index >/dev/null
run_rl -C "$R" check --staged
check "index rewritten but not staged: still stale as staged" \
    assert_problem error _data/front_matter.json stale-index
g -C "$R" add _data/front_matter.json
run_rl -C "$R" check --staged
check "index rewritten and staged: exit 0" assert_rc 0
g -C "$R" commit -qm "one: two.mp3"
cp "$R/_data/front_matter.json" "$TMP/index.good"
echo 'not json {' >"$R/_data/front_matter.json"
g -C "$R" add _data/front_matter.json
run_rl -C "$R" check --staged
check "garbage staged as the index: exit 1 (it was 0)" assert_rc 1
check "garbage staged as the index: stale-index, line, column, staged" \
    assert_grep "$ERR" "^error: _data/front_matter\.json:1:[0-9]+: the staged version of the index is not valid JSON.*\(stale-index\)$"
run_rl -C "$R" check
check "garbage index, plain check: exit 2 (the index it reads is broken)" \
    assert_rc 2
check "garbage index, plain check: names the file, line and column" \
    assert_grep "$ERR" "_data/front_matter\.json:1:[0-9]+: invalid token"
cp "$TMP/index.good" "$R/_data/front_matter.json"
g -C "$R" add _data/front_matter.json
# renderlink's own index, damaged on disk: the line and what to run.
sed 's/^\(  "generator": "renderlink"\),$/\1/' "$TMP/index.good" \
    >"$R/_data/front_matter.json"
run_rl -C "$R" check
check "damaged index on disk, plain check: exit 1" assert_rc 1
check "damaged index on disk: stale-index on its line, not 'formatting'" \
    assert_grep "$ERR" "^error: _data/front_matter\.json:$(grep -n '^  "version"' "$R/_data/front_matter.json" | cut -d: -f1):[0-9]+: the index is not valid JSON .*; run 'renderlink index'.*\(stale-index\)$"
run_rl -C "$R" check --staged
check "damaged index on disk, good one staged: check --staged exit 0" \
    assert_rc 0
cp "$TMP/index.good" "$R/_data/front_matter.json"

# --- no commits yet -----------------------------------------------------------

E=$TMP/r3
g init -q "$E" && new_site "$E" && ignore_targets "$E"
g -C "$E" add -A
rl -C "$E" sync >/dev/null
run_rl -C "$E" check --staged
check "no commits yet, clean: exit 0" assert_rc 0
check "no commits yet, clean: no problem" assert_stderr_empty
g -C "$E" add -f songs/stems/one.wav
run_rl -C "$E" check --staged
check "no commits yet, staged link: exit 1" assert_rc 1
check "no commits yet, staged link: staged-link" \
    assert_problem error songs/stems/one.wav staged-link

# --- the site in a sub-folder of the repository --------------------------------

S=$TMP/sub
g init -q "$S" && new_site "$S/web" && ignore_targets "$S/web"
printf 'readme\n' >"$S/README"
g -C "$S" add -A && g -C "$S" commit -qm site
rl -C "$S/web" sync >/dev/null
rm -f "$S/web/_data/front_matter.json"
# A link out of the site but inside the repository is fine.
ln -s ../../README "$S/web/assets/readme"
g -C "$S" add web/assets/readme
mkdir -p "$TMP/elsewhere" "$S/a/b/c"
cd "$TMP/elsewhere" || exit 1
run_rl -C ../sub/web check --staged
check "sub-folder site, clean, from another folder: exit 0" assert_rc 0
check "sub-folder site: a link out of the site, inside the repo, is fine" \
    assert_stderr_empty
g -C "$S" add -f web/songs/mp3s/one.mp3
big "$S/web/assets/big.wav" 5000000
g -C "$S" add web/assets/big.wav
run_rl -C ../sub/web check --staged
check "sub-folder site, from another folder: exit 1" assert_rc 1
check "sub-folder site, from another folder: staged-link" \
    assert_problem error songs/mp3s/one.mp3 staged-link
check "sub-folder site: the unstage command has the repository path" \
    assert_grep "$ERR" "git rm --cached -- 'web/songs/mp3s/one\.mp3'"
check "sub-folder site: staged-media names the repository path" \
    assert_grep "$ERR" "'web/assets/big\.wav' is a 5\.0 MB render"
cd "$S/a/b/c" || exit 1
run_rl -C ../../../web check --staged
check "sub-folder site, from a deep folder: exit 1" assert_rc 1
check "sub-folder site, from a deep folder: staged-link" \
    assert_problem error songs/mp3s/one.mp3 staged-link
check "sub-folder site, from a deep folder: staged-media" \
    assert_problem error assets/big.wav staged-media
cd "$S/web/_songs" || exit 1
run_rl -C .. check --staged
check "sub-folder site, from inside the site: staged-link" \
    assert_problem error songs/mp3s/one.mp3 staged-link
cd "$TMP" || exit 1
g -C "$S" rm -q --cached web/songs/mp3s/one.mp3 web/assets/big.wav
run_rl -C "$S/web" check --staged
check "sub-folder site, unstaged again: exit 0" assert_rc 0

# --- a worktree -----------------------------------------------------------------

W=$TMP/wt
g -C "$R" worktree add -q "$W" -b side
rl -C "$W" sync >/dev/null
run_rl -C "$W" check --staged
check "worktree, clean: exit 0" assert_rc 0
check "worktree, clean: no problem" assert_stderr_empty
g -C "$W" add -f songs/mp3s/two.mp3
run_rl -C "$W" check --staged
check "worktree, staged link: exit 1" assert_rc 1
check "worktree, staged link: staged-link (the worktree's own index)" \
    assert_problem error songs/mp3s/two.mp3 staged-link
run_rl -C "$R" check --staged
check "worktree's staged link does not show in the main work tree" \
    assert_rc 0
g -C "$W" rm -q --cached songs/mp3s/two.mp3
song "$W" one missing.mp3
g -C "$W" add _songs/one.md
run_rl -C "$W" check --staged
check "worktree, staged page naming a missing render: missing-source" \
    assert_problem error _songs/one.md missing-source

# --- a submodule ----------------------------------------------------------------

U=$TMP/siterepo
check "setup: the site's own repository" new_repo "$U"
P=$TMP/super
g init -q "$P"
printf 'super\n' >"$P/README"
g -C "$P" add README && g -C "$P" commit -qm super
g -C "$P" -c protocol.file.allow=always submodule add -q "$U" site \
    >/dev/null 2>&1
check "setup: the submodule is checked out" \
    test -f "$P/site/_config.yml" -a -f "$P/site/.git"
rl -C "$P/site" sync >/dev/null
run_rl -C "$P/site" check --staged
check "submodule, clean: exit 0" assert_rc 0
check "submodule, clean: no problem" assert_stderr_empty
g -C "$P/site" add -f songs/mp3s/one.mp3
run_rl -C "$P/site" check --staged
check "submodule, staged link: exit 1" assert_rc 1
check "submodule, staged link: staged-link, path inside the submodule" \
    assert_problem error songs/mp3s/one.mp3 staged-link
check "submodule, staged link: unstage command relative to the submodule" \
    assert_grep "$ERR" "git rm --cached -- 'songs/mp3s/one\.mp3'"

finish
