#!/usr/bin/env bash
# t0330-staged-index: the front matter index as staged, through real
# `git commit`s and the installed hook.  A staged index that is not JSON
# (garbage, or a merge's conflict markers) stops the commit with a
# stale-index error on its file, line and column that says it is the
# staged version (`check --staged` exit 1; it used to pass); what the work
# tree holds does not matter.  `git commit FILE` commits through a
# temporary index that `git add` cannot reach: the names git gives it are
# pinned here, and the stale-index advice then says to name the index in
# the same commit (spelling out the command) or to use -a, while plain
# commits, `commit -a` and `commit -i FILE` keep the `git add` advice.
. "$(dirname "$0")/../lib.sh"

command -v git >/dev/null || skip_all "staged index: git not found"
unset $(git rev-parse --local-env-vars 2>/dev/null)
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
unset GITHUB_ACTIONS CI

g() {
	git -c user.name=t -c user.email=t@t -c init.defaultBranch=main \
	    -c advice.detachedHead=false -c merge.conflictStyle=merge "$@"
}

# The hook finds renderlink on PATH; a wrapper keeps RENDERLINK_WRAP.
BIN=$TMP/bin
mkdir -p "$BIN"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${RENDERLINK_WRAP:-}" "$RL" \
    >"$BIN/renderlink"
chmod +x "$BIN/renderlink"
export PATH=$BIN:$PATH

mk_media "$MEDIA" one.mp3 two.mp3 three.mp3

# song SITE NAME TITLE MP3: SITE/_songs/NAME.md
song() {
	mkdir -p "$1/_songs"
	printf -- '---\ntitle: %s\nmp3s: [%s]\n---\nlyrics\n' "$3" "$4" \
	    >"$1/_songs/$2.md"
}

# new_repo DIR [SUBDIR]: a repository whose site (at the top or in
# SUBDIR) is committed with its current index, links synced, the hook
# installed.
new_repo() {
	local s=$1${2:+/$2}
	g init -q "$1" && mk_config "$s" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3" &&
	    echo "collections: [songs]" >>"$s/_config.yml" &&
	    printf 'songs/mp3s/\n.jekyll-cache/\n' >"$s/.gitignore" &&
	    song "$s" one One one.mp3 && rl -C "$s" sync >/dev/null &&
	    g -C "$1" add -A && g -C "$1" commit -qm site &&
	    rl -C "$s" hook install >/dev/null
}

# commit DIR ARGS...: `git commit ARGS` in DIR, like run_rl.
commit() {
	local d=$1
	shift
	RC=0
	(cd "$d" && g commit -q "$@") >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

head_of() {
	git -C "$1" rev-parse -q --verify HEAD
}

assert_blocked() {
	if [ "$RC" = 0 ]; then
		echo "git commit exited 0" >&2
		return 1
	fi
	assert_eq "$2" "$(head_of "$1")"
}

assert_committed() {
	assert_rc 0 || return 1
	if [ "$2" = "$(head_of "$1")" ]; then
		echo "HEAD did not move" >&2
		return 1
	fi
}

# assert_in_head DIR PATH FILE: HEAD's PATH is byte for byte FILE.
assert_in_head() {
	git -C "$1" show "HEAD:$2" >"$TMP/in-head" 2>/dev/null ||
	    { echo "HEAD has no $2" >&2; return 1; }
	assert_same_file "$3" "$TMP/in-head"
}

IDX=_data/front_matter.json
IDXRE='_data/front_matter\.json'

# --- a staged index that is not JSON -----------------------------------------

R=$TMP/r1
check "setup: a site with its index committed, hook installed" new_repo "$R"
cp "$R/$IDX" "$TMP/index.good"
c0=$(head_of "$R")
echo 'not json {' >"$R/$IDX"
g -C "$R" add -A
run_rl -C "$R" check --staged
check "garbage staged as the index, check --staged: exit 1" assert_rc 1
check "garbage staged: stale-index on file:line:column, says 'staged'" \
    assert_grep "$ERR" "^error: $IDXRE:1:[0-9]+: the staged version of the index is not valid JSON \(invalid token near 'not'\); .*\(stale-index\)$"
check "garbage staged, ours no more: says to fix it and git add it" \
    assert_grep "$ERR" "fix it .* and 'git add $IDXRE'"
check "garbage staged: the only error" assert_count 1 "$ERR" '^error: '
run_rl -C "$R" check --staged --format github
check "garbage staged, github: annotated on the file's line and column" \
    assert_grep "$OUT" "^::error file=$IDXRE,line=1,col=[0-9]+,title=stale-index::the staged version of the index is not valid JSON"
run_rl -C "$R" check --staged --format json
check "garbage staged, json: the problem with its line" json_assert "$OUT" \
    '[(p["code"], p["page"], p["line"]) for p in d["problems"]] == [("stale-index", "_data/front_matter.json", 1)]'
commit "$R" -m garbage
check "garbage staged, git commit: blocked" assert_blocked "$R" "$c0"
check "garbage staged, git commit: the hook shows the error" \
    assert_grep "$ERR" "^error: $IDXRE:1:[0-9]+: the staged version .*\(stale-index\)$"
check "garbage staged, git commit: says how to bypass" \
    assert_grep "$ERR" 'git commit --no-verify'

# Only what is staged counts: a good index in the work tree does not help,
# a broken one there does not hurt.
cp "$TMP/index.good" "$R/$IDX"
run_rl -C "$R" check --staged
check "garbage staged, good work tree: check --staged still exit 1" \
    assert_rc 1
g -C "$R" add "$IDX"
echo 'not json {' >"$R/$IDX"
run_rl -C "$R" check --staged
check "good index staged, garbage in the work tree: check --staged exit 0" \
    assert_rc 0
commit "$R" --allow-empty -m "good staged"
check "good index staged, garbage in the work tree: commit passes" \
    assert_committed "$R" "$c0"
cp "$TMP/index.good" "$R/$IDX"

# renderlink's own index, damaged: renderlink index rebuilds it.
c0=$(head_of "$R")
# a comma lost: the error is on the next line
sed 's/^\(  "generator": "renderlink"\),$/\1/' "$TMP/index.good" >"$R/$IDX"
BAD=$(grep -n '^  "version"' "$R/$IDX" | cut -d: -f1)
g -C "$R" add "$IDX"
commit "$R" -m damaged
check "damaged index staged, git commit: blocked" assert_blocked "$R" "$c0"
check "damaged index staged: the line after the lost comma, says 'staged'" \
    assert_grep "$ERR" "^error: $IDXRE:$BAD:[0-9]+: the staged version of the index is not valid JSON.*\(stale-index\)$"
check "damaged index staged: ours, so renderlink index rebuilds it" \
    assert_grep "$ERR" "run 'renderlink index' .*and 'git add $IDXRE'"
rl -C "$R" index >/dev/null && g -C "$R" add "$IDX"
commit "$R" --allow-empty -m rebuilt
check "rebuilt with renderlink index and staged: commit passes" \
    assert_committed "$R" "$c0"
check "rebuilt: the committed index is the good one" \
    assert_in_head "$R" "$IDX" "$TMP/index.good"

# --- a merge that leaves conflict markers in the index ---------------------------

c0=$(head_of "$R")
g -C "$R" checkout -q -b other
song "$R" one "One (other)" one.mp3
rl -C "$R" index >/dev/null
g -C "$R" commit -qam "other title"
g -C "$R" checkout -q main
song "$R" one "One (main)" one.mp3
rl -C "$R" index >/dev/null
g -C "$R" commit -qam "main title"
c0=$(head_of "$R")
g -C "$R" merge -q other >/dev/null 2>&1
check "setup: the merge conflicts in the index" \
    assert_grep "$R/$IDX" '^<<<<<<< '
# The page is resolved; the index is staged as git left it.
song "$R" one "One (merged)" one.mp3
g -C "$R" add -A
MARK=$(grep -n '^<<<<<<< ' "$R/$IDX" | head -n 1 | cut -d: -f1)
run_rl -C "$R" check --staged
check "conflict markers staged, check --staged: exit 1" assert_rc 1
check "conflict markers staged: stale-index on the first marker's line" \
    assert_grep "$ERR" "^error: $IDXRE:$MARK:1: the staged version of the index holds merge conflict markers, on which Jekyll stops the build; run 'renderlink index'.*\(stale-index\)$"
commit "$R" --no-edit
check "conflict markers staged, git commit (the merge): blocked" \
    assert_blocked "$R" "$c0"
check "conflict markers staged, git commit: the hook shows it" \
    assert_grep "$ERR" "^error: $IDXRE:$MARK:1: .*conflict markers.*\(stale-index\)$"
check "conflict markers, as Jekyll sees them: its build fails" \
    eval '! (cd "$R" && jekyll build -q -d "$TMP/jk-site") >/dev/null 2>&1'
rl -C "$R" index >/dev/null && g -C "$R" add "$IDX"
commit "$R" --no-edit
check "index rebuilt and staged: the merge commits" assert_committed "$R" "$c0"
check "it is the merge: HEAD has two parents" \
    assert_eq 3 "$(git -C "$R" rev-list --parents -n 1 HEAD | wc -w)"
check "the committed index is JSON again" \
    eval 'git -C "$R" show HEAD:$IDX | python3 -m json.tool >/dev/null'

# --- what GIT_INDEX_FILE git hands the hook ------------------------------------------

# The detection of `git commit FILE` rests on these names (git 2.39,
# builtin/commit.c); a pre-commit.local records them.
P=$TMP/r2
check "setup: second repository" new_repo "$P"
LOG=$TMP/index-names
printf '#!/bin/sh\nprintf "%%s\\n" "$GIT_INDEX_FILE" >>"%s"\n' "$LOG" \
    >"$P/.git/hooks/pre-commit.local"
chmod +x "$P/.git/hooks/pre-commit.local"
printf 'a\n' >"$P/a.txt" && printf 'b\n' >"$P/b.txt"
g -C "$P" add a.txt b.txt && g -C "$P" commit -qm ab
: >"$LOG"
echo a1 >"$P/a.txt" && g -C "$P" add a.txt && commit "$P" -m plain
echo a2 >"$P/a.txt" && commit "$P" -a -m all
echo a3 >"$P/a.txt" && commit "$P" -m file a.txt
echo a4 >"$P/a.txt" && echo b1 >"$P/b.txt" && g -C "$P" add b.txt &&
    commit "$P" -m include -i a.txt
echo a5 >"$P/a.txt" && commit "$P" -m only -o a.txt
check "git commit: GIT_INDEX_FILE is .git/index" \
    assert_eq ".git/index" "$(sed -n 1p "$LOG")"
check "git commit -a: the real index's lock" \
    assert_eq "$P/.git/index.lock" "$(sed -n 2p "$LOG")"
check "git commit FILE: next-index-<pid>.lock in the git folder" \
    eval '[[ $(sed -n 3p "$LOG") =~ ^$P/\.git/next-index-[0-9]+\.lock$ ]]'
check "git commit -i FILE: the real index's lock" \
    assert_eq "$P/.git/index.lock" "$(sed -n 4p "$LOG")"
check "git commit -o FILE: next-index-<pid>.lock" \
    eval '[[ $(sed -n 5p "$LOG") =~ ^$P/\.git/next-index-[0-9]+\.lock$ ]]'
rm "$P/.git/hooks/pre-commit.local"

# --- stale-index advice: git commit FILE ------------------------------------------------

c0=$(head_of "$P")
song "$P" one One two.mp3
commit "$P" -m two _songs/one.md
check "commit FILE, index not named: blocked" assert_blocked "$P" "$c0"
check "commit FILE: stale-index on the index" \
    assert_problem error "$IDX" stale-index
check "commit FILE: says to name the index in the same commit" \
    assert_grep "$ERR" "name the index in the same commit: git commit _songs/one\.md $IDXRE .*\(stale-index\)$"
check "commit FILE: or to use -a" \
    assert_grep "$ERR" "git commit -a.*\(stale-index\)$"
check "commit FILE: renderlink's message does not say git add" \
    assert_no_grep "$ERR" "'git add $IDXRE'"
check "commit FILE: the hook says the commit takes only the named paths" \
    assert_grep "$ERR" 'this commit takes only the paths you named'
check "commit FILE: the hook does not say to stage the fixes" \
    assert_no_grep "$ERR" 'stage the fixes'

# What the advice says is true: staging the index does not reach this
# commit, naming it does.
rl -C "$P" index >/dev/null
cp "$P/$IDX" "$TMP/index.two"
g -C "$P" add "$IDX"
commit "$P" -m two _songs/one.md
check "commit FILE, index rebuilt and staged with git add: still blocked" \
    assert_blocked "$P" "$c0"
commit "$P" -m two _songs/one.md "$IDX"
check "commit FILE with the index named too: passes" \
    assert_committed "$P" "$c0"
check "commit FILE with the index named: the new index is in HEAD" \
    assert_in_head "$P" "$IDX" "$TMP/index.two"

# -a is the other way out.
c0=$(head_of "$P")
song "$P" one One three.mp3
commit "$P" -m three _songs/one.md
check "commit FILE again: blocked" assert_blocked "$P" "$c0"
rl -C "$P" index >/dev/null
commit "$P" -a -m three
check "renderlink index, then git commit -a: passes" \
    assert_committed "$P" "$c0"

# Plain commits, -a and -i keep the git add advice.
c0=$(head_of "$P")
song "$P" one One one.mp3
g -C "$P" add _songs/one.md
commit "$P" -m plain
check "plain commit with a stale staged index: blocked" \
    assert_blocked "$P" "$c0"
check "plain commit: the git add advice" \
    assert_grep "$ERR" "run 'renderlink index' and 'git add $IDXRE'.*\(stale-index\)$"
check "plain commit: no 'name the index' advice" \
    assert_no_grep "$ERR" 'name the index in the same commit'
check "plain commit: the hook says to stage the fixes" \
    assert_grep "$ERR" 'stage the fixes'
commit "$P" -a -m all
check "commit -a with the index stale: blocked, git add advice" \
    eval 'assert_blocked "$P" "$c0" && assert_grep "$ERR" "and '"'"'git add $IDXRE'"'"'"'
check "commit -a: no 'name the index' advice" \
    assert_no_grep "$ERR" 'name the index in the same commit'
echo readme >"$P/README" && g -C "$P" add README
commit "$P" -m include -i README
check "commit -i FILE with the index stale: blocked, git add advice" \
    eval 'assert_blocked "$P" "$c0" && assert_grep "$ERR" "and '"'"'git add $IDXRE'"'"'"'
check "commit -i FILE: no 'name the index' advice" \
    assert_no_grep "$ERR" 'name the index in the same commit'
g -C "$P" rm -q --cached README && rm "$P/README"
g -C "$P" checkout -q -- _songs/one.md

# A page name that needs quoting is quoted, so the command can be pasted.
song "$P" "my song" "My Song" two.mp3
g -C "$P" add "_songs/my song.md" && g -C "$P" commit -q --no-verify -m "my song"
c0=$(head_of "$P")
song "$P" "my song" "My Song" three.mp3
commit "$P" -m three "_songs/my song.md"
check "commit of a page with a space: the command quotes it" \
    assert_grep "$ERR" "git commit '_songs/my song\.md' $IDXRE "
rl -C "$P" index >/dev/null
eval "$(grep -o "git commit '_songs/my song\.md' $IDXRE" "$ERR" |
    sed 's/^git commit /commit "$P" -m pasted /')"
check "the command as printed, pasted: passes" assert_committed "$P" "$c0"

# A broken index named in the commit gets the same advice.
c0=$(head_of "$P")
echo 'not json {' >"$P/$IDX"
commit "$P" -m garbage "$IDX"
check "commit FILE of a garbage index: blocked" assert_blocked "$P" "$c0"
check "commit FILE of a garbage index: staged version, line and column" \
    assert_grep "$ERR" "^error: $IDXRE:1:[0-9]+: the staged version of the index is not valid JSON"
check "commit FILE of a garbage index: name it in the same commit, or -a" \
    assert_grep "$ERR" "name the index in the same commit: git commit $IDXRE .*git commit -a"
g -C "$P" checkout -q -- "$IDX"

# --- the site in a sub-folder; a worktree ---------------------------------------------------

S=$TMP/r3
check "setup: the site in web/" new_repo "$S" web
c0=$(head_of "$S")
song "$S/web" one One two.mp3
commit "$S" -m two web/_songs/one.md
check "sub-folder site, commit FILE: blocked" assert_blocked "$S" "$c0"
check "sub-folder site, commit FILE: paths from the top of the repository" \
    assert_grep "$ERR" "git commit web/_songs/one\.md web/$IDXRE "
commit "$S/web/_songs" -m two one.md
check "sub-folder site, commit FILE from a deep folder: blocked, same advice" \
    eval 'assert_blocked "$S" "$c0" &&
    assert_grep "$ERR" "git commit web/_songs/one\.md web/$IDXRE "'
g -C "$S" checkout -q -- web/_songs/one.md
song "$S/web" one One two.mp3
g -C "$S" add web/_songs/one.md
commit "$S" -m two
check "sub-folder site, plain commit: git add with the repository path" \
    assert_grep "$ERR" "'git add web/$IDXRE'"

W=$TMP/wt
g -C "$R" worktree add -q "$W" -b side
c0=$(head_of "$W")
song "$W" one One two.mp3
commit "$W" -m two _songs/one.md
check "worktree, commit FILE: blocked" assert_blocked "$W" "$c0"
check "worktree, commit FILE: its temporary index is recognised" \
    assert_grep "$ERR" "name the index in the same commit: git commit _songs/one\.md $IDXRE "

finish
