#!/usr/bin/env bash
# t0310-hook: `renderlink hook install|uninstall` and real `git commit`s.
# The hook goes where git looks (.git/hooks, a relative or absolute
# core.hooksPath, the common folder from a worktree), blocks a commit with
# a staged link to the media root, a staged 5 MB render or a page naming a
# missing render, tells how to bypass (--no-verify), judges what the
# commit really holds (`commit -a`, `commit FILE`), and lets a clean
# commit through.  A foreign pre-commit hook is kept as pre-commit.local,
# still runs and can veto; uninstall puts it back byte for byte.  A site
# in a sub-folder is found through `git config renderlink.site`.  The
# target folders are appended to .git/info/exclude only when git does not
# ignore them already, after what was there.
. "$(dirname "$0")/../lib.sh"

command -v git >/dev/null || skip_all "hook: git not found"
unset $(git rev-parse --local-env-vars 2>/dev/null)
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
HOOK_SRC=$(cd "$(dirname "$0")/../../hook" && pwd -P)/pre-commit
# What `hook install` writes: hook/pre-commit naming the binary that wrote it.
HOOK_WANT=$TMP/pre-commit.want
sed "s|^installed_by=''\$|installed_by='$(readlink -f -- "$RL")'|" \
    "$HOOK_SRC" >"$HOOK_WANT"
# Whether some renderlink is installed on the PATH we were given.
OTHER_RL=$(command -v renderlink 2>/dev/null)
ORIG_PATH=$PATH

g() {
	git -c user.name=t -c user.email=t@t -c init.defaultBranch=main \
	    -c advice.detachedHead=false "$@"
}

# The hook finds renderlink on PATH: a wrapper, so that RENDERLINK_WRAP
# (valgrind) also applies to the runs git starts.
BIN=$TMP/bin
mkdir -p "$BIN"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${RENDERLINK_WRAP:-}" "$RL" \
    >"$BIN/renderlink"
chmod +x "$BIN/renderlink"
export PATH=$BIN:$PATH

mk_media "$MEDIA" one.mp3 one.wav two.mp3

song() {
	mkdir -p "$1/_songs"
	printf -- '---\ntitle: %s\nmp3s: [%s]\nstems: [%s]\n---\nlyrics\n' \
	    "$2" "$3" "${4:-}" >"$1/_songs/$2.md"
}

new_site() {
	mk_config "$1" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3" \
	    "stems|stems|$MEDIA|songs/stems|wav"
	echo "collections: [songs]" >>"$1/_config.yml"
	printf -- '---\ntitle: Home\n---\nHello.\n' >"$1/index.md"
	mkdir -p "$1/assets"
	printf 'logo\n' >"$1/assets/logo.txt"
	song "$1" one one.mp3 one.wav
}

# new_repo DIR [SITE-SUBDIR]: a fresh repository with a committed, synced
# site (at the top, or in the sub-folder); .gitignore keeps the target
# folders out; the index sync writes is removed.
new_repo() {
	local s=$1${2:+/$2}
	g init -q "$1" && new_site "$s" &&
	    printf 'songs/mp3s/\nsongs/stems/\n.jekyll-cache/\n' \
	    >"$s/.gitignore" &&
	    g -C "$1" add -A && g -C "$1" commit -qm site &&
	    rl -C "$s" sync >/dev/null && rm -f "$s/_data/front_matter.json"
}

# commit DIR ARGS...: `git commit ARGS` in DIR; output in $OUT and $ERR,
# status in $RC, like run_rl.
commit() {
	local d=$1
	shift
	RC=0
	(cd "$d" && g commit -q "$@") >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

head_of() {
	git -C "$1" rev-parse -q --verify HEAD
}

# assert_blocked DIR BEFORE: the commit failed and HEAD is still BEFORE.
assert_blocked() {
	if [ "$RC" = 0 ]; then
		echo "git commit exited 0" >&2
		return 1
	fi
	assert_eq "$2" "$(head_of "$1")"
}

# assert_committed DIR BEFORE: the commit succeeded and HEAD moved.
assert_committed() {
	assert_rc 0 || return 1
	if [ "$2" = "$(head_of "$1")" ]; then
		echo "HEAD did not move" >&2
		return 1
	fi
}

big() {
	mkdir -p "$(dirname -- "$1")"
	head -c "$2" /dev/zero >"$1"
}

# --- install, and commits through the hook ---------------------------------------

H=$TMP/h1
check "setup: repository with a synced site" new_repo "$H"
run_rl -C "$H" hook install
check "install: exit 0" assert_rc 0
check "install: says where" \
    assert_grep "$OUT" "^installed $H/\.git/hooks/pre-commit$"
check "install: the hook is executable" test -x "$H/.git/hooks/pre-commit"
check "install: marker on line 2" assert_eq "# renderlink pre-commit hook" \
    "$(sed -n 2p "$H/.git/hooks/pre-commit")"
check "install: the hook is hook/pre-commit naming this renderlink" \
    assert_same_file "$HOOK_WANT" "$H/.git/hooks/pre-commit"
check "install: no pre-commit.local without a hook before" \
    assert_no_entry "$H/.git/hooks/pre-commit.local"

c0=$(head_of "$H")
g -C "$H" add -f songs/mp3s/one.mp3
commit "$H" -m "link"
check "staged link to the media root: commit blocked" assert_blocked "$H" "$c0"
check "staged link to the media root: staged-link shown" \
    assert_grep "$ERR" "^error: songs/mp3s/one\.mp3: .*\(staged-link\)$"
check "staged link to the media root: says how to bypass" \
    assert_grep "$ERR" 'git commit --no-verify'
commit "$H" --no-verify -m "link anyway"
check "--no-verify: commits" assert_committed "$H" "$c0"
check "--no-verify: the link is in the commit" \
    assert_eq 120000 "$(git -C "$H" ls-tree HEAD songs/mp3s/one.mp3 | cut -c1-6)"
c0=$(head_of "$H")
g -C "$H" rm -q --cached songs/mp3s/one.mp3
commit "$H" -m "unlink"
check "commit that removes the link: passes the hook" \
    assert_committed "$H" "$c0"

c0=$(head_of "$H")
big "$H/assets/big.wav" 5000000
g -C "$H" add assets/big.wav
commit "$H" -m "big"
check "staged 5 MB render: commit blocked" assert_blocked "$H" "$c0"
check "staged 5 MB render: staged-media shown, with the size" \
    assert_grep "$ERR" "^error: assets/big\.wav: .*5\.0 MB.*\(staged-media\)$"
g -C "$H" rm -q --cached assets/big.wav
rm "$H/assets/big.wav"

song "$H" two gone.mp3
g -C "$H" add _songs/two.md
commit "$H" -m "two"
check "staged page naming a missing render: commit blocked" \
    assert_blocked "$H" "$c0"
check "staged page naming a missing render: missing-source shown" \
    assert_grep "$ERR" "^error: _songs/two\.md: .*\(missing-source\)$"

song "$H" two two.mp3
g -C "$H" add _songs/two.md
commit "$H" -m "two"
check "clean commit: passes" assert_committed "$H" "$c0"
check "clean commit: the hook said nothing" assert_stderr_empty

# `git commit -a` commits the work tree's edit: the hook must see it.
c0=$(head_of "$H")
song "$H" two gone.mp3
commit "$H" -a -m "two: gone"
check "commit -a with an unstaged bad edit: blocked" assert_blocked "$H" "$c0"
check "commit -a with an unstaged bad edit: missing-source shown" \
    assert_grep "$ERR" "_songs/two\.md: .*\(missing-source\)$"
song "$H" two two.mp3
# `git commit FILE` commits only FILE: a link staged beside it stays out.
g -C "$H" add -f songs/mp3s/one.mp3
printf 'readme\n' >"$H/README"
g -C "$H" add README
printf 'readme, edited\n' >"$H/README"
commit "$H" -m readme -- README
check "commit FILE with a link staged beside it: passes (the link stays out)" \
    assert_committed "$H" "$c0"
check "commit FILE: the link was not committed" \
    assert_eq "" "$(git -C "$H" ls-tree HEAD songs/mp3s/one.mp3)"
g -C "$H" rm -q --cached songs/mp3s/one.mp3

# Which renderlink: PATH first, else $RENDERLINK, else the one that
# installed the hook.
if [ -n "$OTHER_RL" ]; then
	echo "# skip RENDERLINK checks: a renderlink is on PATH ($OTHER_RL)"
else
	c0=$(head_of "$H")
	g -C "$H" add -f songs/mp3s/one.mp3
	PATH=$ORIG_PATH RENDERLINK=$BIN/renderlink commit "$H" -m link
	check "not on PATH, RENDERLINK set: the hook runs it and blocks" \
	    assert_blocked "$H" "$c0"
	check "not on PATH, RENDERLINK set: staged-link shown" \
	    assert_grep "$ERR" "\(staged-link\)$"
	PATH=$ORIG_PATH commit "$H" -m link
	check "not on PATH, no RENDERLINK: the hook runs its installer, blocks" \
	    assert_blocked "$H" "$c0"
	check "not on PATH, no RENDERLINK: staged-link shown" \
	    assert_grep "$ERR" "\(staged-link\)$"
	# The hook written by a renderlink that is then removed.
	cp "$RL" "$TMP/rl-gone" && "$TMP/rl-gone" -C "$H" hook install \
	    >/dev/null && rm "$TMP/rl-gone"
	PATH=$ORIG_PATH commit "$H" -m link
	check "no renderlink at all: commit blocked" assert_blocked "$H" "$c0"
	check "no renderlink at all: says so, and how to bypass" \
	    assert_grep "$ERR" 'renderlink is not installed here'
	check "no renderlink at all: names the one that installed the hook" \
	    assert_grep "$ERR" "$TMP/rl-gone, which installed this hook, is gone"
	check "no renderlink at all: mentions --no-verify" \
	    assert_grep "$ERR" 'git commit --no-verify'
	rl -C "$H" hook install >/dev/null
	g -C "$H" rm -q --cached songs/mp3s/one.mp3
fi

# A worktree shares the common folder's hooks.
W=$TMP/wt
g -C "$H" worktree add -q "$W" -b side
rl -C "$W" sync >/dev/null
rm -f "$W/_data/front_matter.json"
run_rl -C "$W" hook install
check "install from a worktree: exit 0" assert_rc 0
check "install from a worktree: the common hook, already there" \
    assert_grep "$OUT" "^$H/\.git/hooks/pre-commit is already installed$"
check "install from a worktree: no hook in the worktree's git folder" \
    assert_no_entry "$H/.git/worktrees/wt/hooks"
c0=$(head_of "$W")
g -C "$W" add -f songs/mp3s/one.mp3
commit "$W" -m link
check "worktree: a staged link is blocked" assert_blocked "$W" "$c0"
check "worktree: staged-link shown" assert_grep "$ERR" "\(staged-link\)$"

# --- a foreign hook ----------------------------------------------------------

F=$TMP/h2
check "setup: second repository" new_repo "$F"
FH=$F/.git/hooks
MARK=$TMP/marker
printf '#!/bin/sh\n# the team'"'"'s own hook\necho ran >>"%s"\n' "$MARK" \
    >"$FH/pre-commit"
chmod 755 "$FH/pre-commit"
cp -p "$FH/pre-commit" "$TMP/foreign"
run_rl -C "$F" hook install
check "install over a foreign hook: exit 0" assert_rc 0
check "install over a foreign hook: says it kept it" \
    assert_grep "$OUT" 'pre-commit\.local'
check "install over a foreign hook: it is now pre-commit.local" \
    assert_same_file "$TMP/foreign" "$FH/pre-commit.local"
check "install over a foreign hook: pre-commit.local still executable" \
    test -x "$FH/pre-commit.local"
check "install over a foreign hook: pre-commit is ours" \
    assert_same_file "$HOOK_WANT" "$FH/pre-commit"
cp -p "$FH/pre-commit" "$TMP/ours"

c0=$(head_of "$F")
printf 'x\n' >"$F/assets/x.txt"
g -C "$F" add assets/x.txt
commit "$F" -m x
check "clean commit with both hooks: passes" assert_committed "$F" "$c0"
check "clean commit with both hooks: the foreign hook ran" \
    assert_eq ran "$(cat "$MARK" 2>/dev/null)"
c0=$(head_of "$F")
g -C "$F" add -f songs/mp3s/one.mp3
commit "$F" -m link
check "bad commit with both hooks: blocked by ours" assert_blocked "$F" "$c0"
check "bad commit with both hooks: the foreign hook ran first" \
    assert_eq 2 "$(wc -l <"$MARK")"
g -C "$F" rm -q --cached songs/mp3s/one.mp3

run_rl -C "$F" hook install
check "install twice: exit 0" assert_rc 0
check "install twice: already installed" assert_grep "$OUT" 'already installed'
check "install twice: our hook unchanged" assert_same_file "$TMP/ours" "$FH/pre-commit"
check "install twice: the foreign hook unchanged" \
    assert_same_file "$TMP/foreign" "$FH/pre-commit.local"

run_rl -C "$F" hook uninstall
check "uninstall: exit 0" assert_rc 0
check "uninstall: the foreign hook is back, byte for byte" \
    assert_same_file "$TMP/foreign" "$FH/pre-commit"
check "uninstall: with its mode" \
    assert_eq 755 "$(stat -c %a "$FH/pre-commit")"
check "uninstall: no pre-commit.local left" \
    assert_no_entry "$FH/pre-commit.local"
run_rl -C "$F" hook uninstall
check "uninstall again: exit 0" assert_rc 0
check "uninstall again: says it is not ours" \
    assert_grep "$OUT" "not renderlink's; left alone"
check "uninstall again: the foreign hook left alone" \
    assert_same_file "$TMP/foreign" "$FH/pre-commit"

# A foreign hook that says no.
printf '#!/bin/sh\necho vetoed >>"%s"\necho "team hook: no" >&2\nexit 1\n' \
    "$MARK" >"$FH/pre-commit"
chmod 755 "$FH/pre-commit"
cp -p "$FH/pre-commit" "$TMP/veto"
rl -C "$F" hook install >/dev/null
: >"$MARK"
c0=$(head_of "$F")
printf 'y\n' >"$F/assets/y.txt"
g -C "$F" add assets/y.txt
commit "$F" -m y
check "vetoing foreign hook: the clean commit is blocked" \
    assert_blocked "$F" "$c0"
check "vetoing foreign hook: it ran" assert_eq vetoed "$(cat "$MARK")"
check "vetoing foreign hook: its message is shown" \
    assert_grep "$ERR" 'team hook: no'
run_rl -C "$F" hook uninstall
check "vetoing foreign hook, uninstall: restored byte for byte" \
    assert_same_file "$TMP/veto" "$FH/pre-commit"
commit "$F" -m y
check "vetoing foreign hook, after uninstall: git runs it directly" \
    assert_blocked "$F" "$c0"

# Ours alone: uninstall removes it.
rm "$FH/pre-commit"
rl -C "$F" hook install >/dev/null
run_rl -C "$F" hook uninstall
check "uninstall of ours alone: exit 0" assert_rc 0
check "uninstall of ours alone: the hook is gone" \
    assert_no_entry "$FH/pre-commit"
commit "$F" -m y
check "after uninstall: commits pass unchecked" assert_committed "$F" "$c0"

# A foreign hook and a pre-commit.local both there: refuse, touch nothing.
cp -p "$TMP/foreign" "$FH/pre-commit"
cp -p "$TMP/veto" "$FH/pre-commit.local"
run_rl -C "$F" hook install
check "foreign hook and pre-commit.local both there: install fails" \
    assert_rc 1
check "foreign hook and pre-commit.local both there: says why" \
    assert_grep "$ERR" 'pre-commit\.local already exists'
check "foreign hook and pre-commit.local both there: pre-commit untouched" \
    assert_same_file "$TMP/foreign" "$FH/pre-commit"
check "foreign hook and pre-commit.local both there: .local untouched" \
    assert_same_file "$TMP/veto" "$FH/pre-commit.local"

# --- core.hooksPath ------------------------------------------------------------

K=$TMP/h3
check "setup: site in web/, core.hooksPath .githooks" new_repo "$K" web
g -C "$K" config core.hooksPath .githooks
# Relative to the top of the work tree, not to the site.
run_rl -C "$K/web" hook install
check "relative core.hooksPath: exit 0" assert_rc 0
check "relative core.hooksPath: the hook is in <top>/.githooks" \
    assert_same_file "$HOOK_WANT" "$K/.githooks/pre-commit"
check "relative core.hooksPath: not in the site's folder" \
    assert_no_entry "$K/web/.githooks"
check "relative core.hooksPath: not in .git/hooks" \
    assert_no_entry "$K/.git/hooks/pre-commit"
c0=$(head_of "$K")
g -C "$K" add -f web/songs/mp3s/one.mp3
commit "$K/web/_songs" -m link
check "relative core.hooksPath: git runs it (bad commit blocked)" \
    assert_blocked "$K" "$c0"
check "relative core.hooksPath: staged-link shown" \
    assert_grep "$ERR" "\(staged-link\)$"
g -C "$K" rm -q --cached web/songs/mp3s/one.mp3

A=$TMP/h4
check "setup: repository with an absolute core.hooksPath" new_repo "$A"
g -C "$A" config core.hooksPath "$TMP/shared-hooks"
run_rl -C "$A" hook install
check "absolute core.hooksPath: exit 0" assert_rc 0
check "absolute core.hooksPath: the hook is there (folder made)" \
    assert_same_file "$HOOK_WANT" "$TMP/shared-hooks/pre-commit"
check "absolute core.hooksPath: not in .git/hooks" \
    assert_no_entry "$A/.git/hooks/pre-commit"
c0=$(head_of "$A")
big "$A/assets/big.wav" 5000000
g -C "$A" add assets/big.wav
commit "$A" -m big
check "absolute core.hooksPath: git runs it (bad commit blocked)" \
    assert_blocked "$A" "$c0"
check "absolute core.hooksPath: staged-media shown" \
    assert_grep "$ERR" "\(staged-media\)$"

# --- the site in a sub-folder ----------------------------------------------------

S=$TMP/h5
check "setup: repository with the site in web/" new_repo "$S" web
run_rl -C "$S/web" hook install
check "sub-folder site, install: exit 0" assert_rc 0
check "sub-folder site, install: git config renderlink.site is web" \
    assert_eq web "$(git -C "$S" config --get renderlink.site)"
c0=$(head_of "$S")
g -C "$S" add -f web/songs/mp3s/one.mp3
commit "$S" -m link
check "sub-folder site: bad commit blocked" assert_blocked "$S" "$c0"
check "sub-folder site: staged-link, with the repository path to unstage" \
    assert_grep "$ERR" "git rm --cached -- 'web/songs/mp3s/one\.mp3'.*\(staged-link\)$"
commit "$S/web/_songs" -m link
check "sub-folder site, commit from a deep folder: blocked" \
    assert_blocked "$S" "$c0"
g -C "$S" rm -q --cached web/songs/mp3s/one.mp3
song "$S/web" two two.mp3
g -C "$S" add web/_songs/two.md
commit "$S" -m two
check "sub-folder site: clean commit passes" assert_committed "$S" "$c0"
c0=$(head_of "$S")
song "$S/web" three gone.mp3
g -C "$S" add web/_songs/three.md
commit "$S" -m three
check "sub-folder site: staged page naming a missing render blocked" \
    assert_blocked "$S" "$c0"
check "sub-folder site: missing-source shown" \
    assert_grep "$ERR" "_songs/three\.md: .*\(missing-source\)$"
g -C "$S" rm -q --cached web/_songs/three.md
run_rl -C "$S/web" hook uninstall
check "sub-folder site, uninstall: exit 0" assert_rc 0
check "sub-folder site, uninstall: renderlink.site removed" \
    test -z "$(git -C "$S" config --get renderlink.site)"
check "sub-folder site, uninstall: the hook removed" \
    assert_no_entry "$S/.git/hooks/pre-commit"

# --- .git/info/exclude -----------------------------------------------------------

X=$TMP/h6
g init -q "$X" && new_site "$X"
printf 'songs/mp3s/\n' >"$X/.gitignore"
printf '# mine\n*.tmp' >"$X/.git/info/exclude"	# no newline at the end
cp "$X/.git/info/exclude" "$TMP/exclude.orig"
run_rl -C "$X" hook install
check "exclude: install exit 0" assert_rc 0
check "exclude: what was there is kept, at the start" \
    cmp -s -n "$(stat -c %s "$TMP/exclude.orig")" "$TMP/exclude.orig" \
    "$X/.git/info/exclude"
check "exclude: the last line before ours is still a line of its own" \
    assert_grep "$X/.git/info/exclude" '^\*\.tmp$'
check "exclude: the stems target is added" \
    assert_grep "$X/.git/info/exclude" '^/songs/stems/$'
check "exclude: the mp3s target (already in .gitignore) is not" \
    assert_no_grep "$X/.git/info/exclude" 'mp3s'
check "exclude: install says what git now ignores" \
    assert_grep "$OUT" '^git now ignores /songs/stems/'
check "exclude: git now ignores songs/stems/" \
    git -C "$X" check-ignore -q songs/stems/a.wav
cp "$X/.git/info/exclude" "$TMP/exclude.1"
run_rl -C "$X" hook install
check "exclude: install twice, exit 0" assert_rc 0
check "exclude: install twice adds nothing" \
    assert_same_file "$TMP/exclude.1" "$X/.git/info/exclude"
check "exclude: install twice says nothing about ignoring" \
    assert_no_grep "$OUT" 'git now ignores'

# In a sub-folder, the lines carry the folder.
check "setup: repository with the site in web/, no .gitignore" \
    eval 'g init -q "$TMP/h7" && new_site "$TMP/h7/web"'
run_rl -C "$TMP/h7/web" hook install
check "exclude, sub-folder site: /web/songs/mp3s/ added" \
    assert_grep "$TMP/h7/.git/info/exclude" '^/web/songs/mp3s/$'
check "exclude, sub-folder site: /web/songs/stems/ added" \
    assert_grep "$TMP/h7/.git/info/exclude" '^/web/songs/stems/$'
check "exclude, sub-folder site: git ignores the links sync makes" \
    eval 'rl -C "$TMP/h7/web" sync >/dev/null &&
    test -z "$(git -C "$TMP/h7" status --porcelain -- web/songs)"'

finish
