#!/usr/bin/env bash
# t0320-ci: the CI case - a fresh clone of the site's repository on a
# machine with no media drive (the config's root, E:\media, maps to a
# folder that does not exist).  `sync --dry-run` and `check` warn with
# `source-unavailable` (naming how many references went unchecked),
# exit 0 and write nothing; --require-sources makes that an error; a
# committed page with an invalid reference fails both.  --format github
# (or GITHUB_ACTIONS=true) prints workflow commands, checked line by line,
# with properties and messages escaped, and with file= paths from the top
# of the repository.  A target folder git does not ignore gets, in CI
# (GITHUB_ACTIONS, CI, --format github), the .gitignore line to commit,
# not `hook install` (it cannot reach a fresh clone); committed, that line
# silences it.  hook/ci/renderlink.yml is valid YAML and its check steps,
# run as the workflow runs them, do what it says.
. "$(dirname "$0")/../lib.sh"

command -v git >/dev/null || skip_all "ci: git not found"
unset $(git rev-parse --local-env-vars 2>/dev/null)
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
unset GITHUB_ACTIONS CI
WORKFLOW=$(cd "$(dirname "$0")/../../hook/ci" && pwd -P)/renderlink.yml

g() {
	git -c user.name=t -c user.email=t@t -c init.defaultBranch=main \
	    -c advice.detachedHead=false "$@"
}

# The drive letters of this "machine" live here; there is no e/ in it.
NODRIVE=$TMP/nodrive
mkdir -p "$NODRIVE"

# ci_site DIR [STEMS-SOURCE]: a site whose renders are on E: (mp3s from
# E:\media, stems from E:\media\stems or the YAML scalar given), with
# two songs naming three renders.
ci_site() {
	mkdir -p "$1/_songs"
	cat >"$1/_config.yml" <<EOF
title: ci
collections: [songs]
renderlink:
  automount_root: $NODRIVE/
  links:
    - name: mp3s
      key: mp3s
      source: 'E:\\media'
      target: songs/mp3s
      extensions: [mp3]
    - name: stems
      key: stems
      source: ${2:-'E:\\media\\stems'}
      target: songs/stems
      extensions: [wav]
EOF
	printf -- '---\ntitle: One\nmp3s: [one.mp3, two.mp3]\nstems: one.wav\n---\n' \
	    >"$1/_songs/one.md"
	printf -- '---\ntitle: Two\nmp3s: two.mp3\n---\n' >"$1/_songs/two.md"
}

# re STRING: STRING as a literal in an extended regex.
re() {
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'
}

# assert_lines_match FILE ERE...: every line of FILE matches exactly one
# of the EREs (whole line), and every ERE exactly one line.
assert_lines_match() {
	python3 - "$@" <<'EOF'
import re, sys
f, pats = sys.argv[1], sys.argv[2:]
with open(f, "rb") as fh:
    lines = fh.read().decode("utf-8", "surrogateescape").split("\n")
if lines and lines[-1] == "":
    lines.pop()
bad = False
for l in lines:
    n = sum(1 for p in pats if re.fullmatch(p, l))
    if n != 1:
        print("line matches %d patterns: %r" % (n, l), file=sys.stderr)
        bad = True
for p in pats:
    n = sum(1 for l in lines if re.fullmatch(p, l))
    if n != 1:
        print("pattern matches %d lines: %s" % (n, p), file=sys.stderr)
        bad = True
sys.exit(bad)
EOF
}

UNAV="is not available \(No such file or directory\)"
M=$(re "$NODRIVE/e/media")

# --- the repository, and its clone in CI ----------------------------------------

O=$TMP/origin
g init -q "$O" && ci_site "$O"
rl -C "$O" index >/dev/null
g -C "$O" add -A && g -C "$O" commit -qm site
C=$TMP/ci
g clone -q "$O" "$C"
check "setup: the clone has the site and its index" \
    test -f "$C/_config.yml" -a -f "$C/_data/front_matter.json"
check "setup: no media drive" assert_no_entry "$NODRIVE/e"

snapshot "$C" "$TMP/snap.c"
run_rl -C "$C" sync --dry-run
check "no drive, sync --dry-run: exit 0" assert_rc 0
check "no drive, sync --dry-run: source-unavailable warning for mp3s" \
    assert_grep "$ERR" "^warning: link set 'mp3s': media root $M $UNAV; 3 references not checked, existing links kept \(source-unavailable\)$"
check "no drive, sync --dry-run: and for stems, with its count" \
    assert_grep "$ERR" "^warning: link set 'stems': media root $M/stems $UNAV; 1 reference not checked.*\(source-unavailable\)$"
check "no drive, sync --dry-run: nothing else on stderr" \
    assert_count 2 "$ERR" '.'
check "no drive, sync --dry-run: no plan" assert_stdout_empty
check "no drive, sync --dry-run: wrote nothing" assert_snapshot "$C" "$TMP/snap.c"
check "no drive, sync --dry-run: made no drive folder" \
    assert_no_entry "$NODRIVE/e"

run_rl -C "$C" sync --dry-run --require-sources
check "no drive, --require-sources: exit 1" assert_rc 1
check "no drive, --require-sources: source-unavailable is an error" \
    assert_count 2 "$ERR" '^error: .*\(source-unavailable\)$'
check "no drive, --require-sources: wrote nothing" \
    assert_snapshot "$C" "$TMP/snap.c"

run_rl -C "$C" check
check "no drive, check: exit 0" assert_rc 0
check "no drive, check: the source-unavailable warnings" \
    assert_count 2 "$ERR" '^warning: .*\(source-unavailable\)$'
check "no drive, check: otherwise only not-ignored warnings" \
    assert_count 4 "$ERR" '^warning: .*\((source-unavailable|not-ignored)\)$'
check "no drive, check: nothing else" assert_count 4 "$ERR" '.'
check "no drive, check: wrote nothing" assert_snapshot "$C" "$TMP/snap.c"
run_rl -C "$C" check --require-sources
check "no drive, check --require-sources: exit 1" assert_rc 1
check "no drive, check --require-sources: source-unavailable errors" \
    assert_count 2 "$ERR" '^error: .*\(source-unavailable\)$'

run_rl -C "$C" check --format github
check "no drive, check --format github: exit 0" assert_rc 0
check "no drive, check --format github: the lines" assert_lines_match "$OUT" \
    "::warning file=songs/mp3s,title=source-unavailable::link set 'mp3s': media root $M $UNAV; 3 references not checked, existing links kept" \
    "::warning file=songs/stems,title=source-unavailable::link set 'stems': media root $M/stems $UNAV; 1 reference not checked, existing links kept" \
    "::warning file=songs/mp3s,title=not-ignored::git does not ignore songs/mp3s/, .*" \
    "::warning file=songs/stems,title=not-ignored::git does not ignore songs/stems/, .*"
check "no drive, check --format github: nothing on stderr" assert_stderr_empty
cp "$OUT" "$TMP/gh.clean"
RC=0
GITHUB_ACTIONS=true rl -C "$C" check >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "GITHUB_ACTIONS=true: exit 0" assert_rc 0
check "GITHUB_ACTIONS=true: github format without --format" \
    assert_same_file "$TMP/gh.clean" "$OUT"
check "GITHUB_ACTIONS=true: nothing on stderr" assert_stderr_empty
RC=0
GITHUB_ACTIONS=true rl -C "$C" check --format text >"$OUT" 2>"$ERR" \
    </dev/null || RC=$?
check "GITHUB_ACTIONS=true --format text: text wins" \
    assert_count 4 "$ERR" '^warning: '
check "GITHUB_ACTIONS=true --format text: no workflow command" \
    assert_no_grep "$OUT" '^::'

# --- a committed page with invalid references ------------------------------------

printf -- '---\ntitle: Bad\nmp3s: ["../../etc/passwd.mp3", "CON.mp3", one.mp3]\n---\n' \
    >"$O/_songs/bad.md"
rl -C "$O" index >/dev/null
g -C "$O" add -A && g -C "$O" commit -qm bad
g -C "$C" pull -q --ff-only
check "setup: the clone has the bad page" test -f "$C/_songs/bad.md"

snapshot "$C" "$TMP/snap.c"
run_rl -C "$C" sync --dry-run
check "invalid references, sync --dry-run: exit 1" assert_rc 1
check "invalid references, sync --dry-run: the .. reference, on the page" \
    assert_grep "$ERR" '^error: _songs/bad\.md: .*"\.\./\.\./etc/passwd\.mp3".*\(invalid-reference\)$'
check "invalid references, sync --dry-run: the CON reference, on the page" \
    assert_grep "$ERR" '^error: _songs/bad\.md: .*"CON\.mp3".*\(invalid-reference\)$'
check "invalid references, sync --dry-run: still the no-drive warning" \
    assert_grep "$ERR" "'mp3s': .*; 4 references not checked.*\(source-unavailable\)$"
check "invalid references, sync --dry-run: wrote nothing" \
    assert_snapshot "$C" "$TMP/snap.c"
run_rl -C "$C" check
check "invalid references, check: exit 1" assert_rc 1
check "invalid references, check: two invalid-reference errors" \
    assert_count 2 "$ERR" '^error: _songs/bad\.md: .*\(invalid-reference\)$'
check "invalid references, check: no other error" \
    assert_count 2 "$ERR" '^error: '
check "invalid references, check: wrote nothing" \
    assert_snapshot "$C" "$TMP/snap.c"

run_rl -C "$C" check --format github
check "invalid references, github: exit 1" assert_rc 1
check "invalid references, github: the lines" assert_lines_match "$OUT" \
    "::error file=_songs/bad\.md,title=invalid-reference::link set 'mp3s': reference \"\.\./\.\./etc/passwd\.mp3\": .*; nothing linked" \
    "::error file=_songs/bad\.md,title=invalid-reference::link set 'mp3s': reference \"CON\.mp3\": .*reserved.*; nothing linked" \
    "::warning file=songs/mp3s,title=source-unavailable::link set 'mp3s': media root $M $UNAV; 4 references not checked, existing links kept" \
    "::warning file=songs/stems,title=source-unavailable::link set 'stems': media root $M/stems $UNAV; 1 reference not checked, existing links kept" \
    "::warning file=songs/mp3s,title=not-ignored::.*" \
    "::warning file=songs/stems,title=not-ignored::.*"
run_rl -C "$C" sync --dry-run --format github
check "invalid references, sync --dry-run github: exit 1" assert_rc 1
check "invalid references, sync --dry-run github: the lines" \
    assert_lines_match "$OUT" \
    "::error file=_songs/bad\.md,title=invalid-reference::.*passwd.*" \
    "::error file=_songs/bad\.md,title=invalid-reference::.*CON.*" \
    "::warning file=songs/mp3s,title=source-unavailable::.*" \
    "::warning file=songs/stems,title=source-unavailable::.*"

# --- escaping -----------------------------------------------------------------------

# A ',' and a ':' in a page's name, '%' and CR LF in a message (a media
# root with them in its name) and in a file name.
X=$TMP/esc
ci_site "$X" '"E:\\media\\50%\r\nx"'
rm "$X/_songs/two.md"
printf -- '---\ntitle: Odd\nmp3s: ["100%%<.mp3"]\n---\n' >"$X/_songs/a,b:c.md"
printf -- '---\ntitle: NL\nmp3s: [CON.mp3]\n---\n' >"$X/_songs/n%l"$'\n'"x"$'\r'".md"
run_rl -C "$X" check --format github
check "escaping: exit 1" assert_rc 1
check "escaping: one line per problem, each escaped" assert_lines_match "$OUT" \
    "::error file=_songs/a%2Cb%3Ac\.md,title=invalid-reference::link set 'mp3s': reference \"100%25<\.mp3\": .*" \
    "::error file=_songs/n%25l%0Ax%0D\.md,title=invalid-reference::link set 'mp3s': reference \"CON\.mp3\": .*" \
    "::warning file=songs/mp3s,title=source-unavailable::.*" \
    "::warning file=songs/stems,title=source-unavailable::link set 'stems': media root $M/50%25%0D%0Ax $UNAV; 1 reference not checked, existing links kept"
check "escaping: no '%' left unescaped" \
    assert_no_grep <(sed -E 's/%(25|0D|0A|2C|3A)//g' "$OUT") %
check "escaping: no raw CR" assert_no_grep "$OUT" $'\r'

# GitHub shows 10 annotations of each kind; the rest stay in the log.
Y=$TMP/many
ci_site "$Y"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	printf -- '---\nmp3s: [CON.mp3]\n---\n' >"$Y/_songs/p$i.md"
done
run_rl -C "$Y" check --format github
check "12 errors: exit 1" assert_rc 1
check "12 errors: ten annotations" assert_count 10 "$OUT" '^::error '
check "12 errors: the rest as plain lines with page and code" \
    assert_count 2 "$OUT" '^error: _songs/p[0-9]+\.md: .*\(invalid-reference\)$'
check "12 errors: the warnings still annotated" \
    assert_count 2 "$OUT" '^::warning '

# --- the site in a sub-folder of the repository -------------------------------------

SO=$TMP/origin2
g init -q "$SO" && ci_site "$SO/web"
printf -- '---\nmp3s: [CON.mp3]\n---\n' >"$SO/web/_songs/bad.md"
rl -C "$SO/web" index >/dev/null
g -C "$SO" add -A && g -C "$SO" commit -qm site
SC=$TMP/ci2
g clone -q "$SO" "$SC"
run_rl -C "$SC/web" check --format github
check "sub-folder site, check github: exit 1" assert_rc 1
check "sub-folder site, check github: file= from the top of the repository" \
    assert_lines_match "$OUT" \
    "::error file=web/_songs/bad\.md,title=invalid-reference::.*" \
    "::warning file=web/songs/mp3s,title=source-unavailable::.*" \
    "::warning file=web/songs/stems,title=source-unavailable::.*" \
    "::warning file=web/songs/mp3s,title=not-ignored::.*" \
    "::warning file=web/songs/stems,title=not-ignored::.*"
run_rl -C "$SC/web" sync --dry-run --format github
check "sub-folder site, sync --dry-run github: exit 1" assert_rc 1
check "sub-folder site, sync --dry-run github: file= from the top of the repository" \
    assert_lines_match "$OUT" \
    "::error file=web/_songs/bad\.md,title=invalid-reference::.*" \
    "::warning file=web/songs/mp3s,title=source-unavailable::.*" \
    "::warning file=web/songs/stems,title=source-unavailable::.*"

# --- not-ignored in CI: the .gitignore line to commit ---------------------------------

# RE for the CI advice about target folder F (line L in .gitignore).
ci_advice() {
	printf '%s' "git does not ignore $(re "$1")/, where renderlink keeps links; target folders belong in \.gitignore: commit the line '$(re "$2")' in the \.gitignore at the top of the repository"
}
NO_HOOK="hook install"
run_rl -C "$C" check --format github
check "not-ignored, github: the .gitignore line for each target" \
    assert_lines_match <(grep 'title=not-ignored' "$OUT") \
    "::warning file=songs/mp3s,title=not-ignored::$(ci_advice songs/mp3s /songs/mp3s/).*" \
    "::warning file=songs/stems,title=not-ignored::$(ci_advice songs/stems /songs/stems/).*"
check "not-ignored, github: does not advise hook install" \
    assert_no_grep "$OUT" "$NO_HOOK"
RC=0
GITHUB_ACTIONS=true rl -C "$C" check --format text >"$OUT" 2>"$ERR" \
    </dev/null || RC=$?
check "not-ignored, GITHUB_ACTIONS=true, text: the .gitignore line" \
    assert_grep "$ERR" "^warning: $(ci_advice songs/mp3s /songs/mp3s/).*\(not-ignored\)$"
check "not-ignored, GITHUB_ACTIONS=true, text: not hook install" \
    assert_no_grep "$ERR" "$NO_HOOK"
for ci in true 1; do
	RC=0
	CI=$ci rl -C "$C" check >"$OUT" 2>"$ERR" </dev/null || RC=$?
	check "not-ignored, CI=$ci: the .gitignore line, not hook install" \
	    eval 'assert_grep "$ERR" "^warning: $(ci_advice songs/stems /songs/stems/).*\(not-ignored\)$" &&
	    assert_no_grep "$ERR" "$NO_HOOK"'
done
RC=0
CI=false rl -C "$C" check >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "not-ignored, CI=false (not CI): hook install is advised" \
    assert_grep "$ERR" "run 'renderlink hook install'.*\(not-ignored\)$"
check "not-ignored, not CI: and the .gitignore line too" \
    assert_grep "$ERR" "commit the line '/songs/mp3s/' in the \.gitignore.*\(not-ignored\)$"
RC=0
CI=true rl -C "$SC/web" check --format json >"$OUT" 2>"$ERR" </dev/null ||
    RC=$?
check "not-ignored, sub-folder site, json in CI: lines from the top" \
    json_assert "$OUT" 'sorted(p["message"].split("commit the line ")[1].split(" ")[0] for p in d["problems"] if p["code"] == "not-ignored") == ["\x27/web/songs/mp3s/\x27", "\x27/web/songs/stems/\x27"]'

# The advice, followed: commit the lines, and CI is quiet about it.
grep -o "commit the line '[^']*'" <(rl -C "$C" check --format github) |
    sed "s/^commit the line '//; s/'\$//" >>"$O/.gitignore"
g -C "$O" add .gitignore && g -C "$O" commit -qm "ignore the targets"
g -C "$C" pull -q --ff-only
check "setup: the clone has the .gitignore lines" \
    assert_grep "$C/.gitignore" '^/songs/stems/$'
run_rl -C "$C" check --format github
check "the advised .gitignore lines committed: no not-ignored in CI" \
    assert_no_grep "$OUT" 'not-ignored'
mkdir -p "$C/songs/mp3s" && ln -s "$TMP/nowhere.mp3" "$C/songs/mp3s/x.mp3"
check "the advised lines committed: git ignores a link in the folder" \
    test -z "$(git -C "$C" status --porcelain -- songs)"
rm -r "$C/songs"

# --- hook/ci/renderlink.yml ---------------------------------------------------------

if ! command -v ruby >/dev/null; then
	echo "# skip workflow checks: ruby not found"
else
	# wf_run NAME: the run: text of the step with that name.
	wf_run() {
		ruby -ryaml -e '
d = YAML.load_file(ARGV[0])
s = d["jobs"].values.flat_map { |j| j["steps"] || [] }
	.find { |x| x["name"] == ARGV[1] }
s or exit 1
print s["run"]' "$WORKFLOW" "$1"
	}
	check "workflow: valid YAML" \
	    ruby -ryaml -e 'YAML.load_file(ARGV[0]).is_a?(Hash) or exit 1' \
	    "$WORKFLOW"
	check "workflow: a step runs check --format github" eval \
	    'wf_run "renderlink check" | grep -q -- "check --format github"'
	WF_SITE=$(ruby -ryaml -e 'print YAML.load_file(ARGV[0])["env"]["SITE"]' \
	    "$WORKFLOW")
	check "workflow: SITE is the repository top by default" \
	    assert_eq . "$WF_SITE"

	# Run its check steps the way the runner does: from the top of the
	# clone, renderlink built in renderlink/build/, GITHUB_ACTIONS set.
	mkdir -p "$C/renderlink/build"
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${RENDERLINK_WRAP:-}" "$RL" \
	    >"$C/renderlink/build/renderlink"
	chmod +x "$C/renderlink/build/renderlink"
	# wf_step NAME: runs the step in the clone; like run_rl.
	wf_step() {
		local cmd
		cmd=$(wf_run "$1") || return 1
		RC=0
		(cd "$C" && SITE=$WF_SITE GITHUB_ACTIONS=true \
		    bash -e -c "$cmd") >"$OUT" 2>"$ERR" </dev/null || RC=$?
	}
	wf_step "renderlink check"
	check "workflow, check step, bad page: fails (exit 1)" assert_rc 1
	check "workflow, check step, bad page: annotates the page" \
	    assert_count 2 "$OUT" '^::error file=_songs/bad\.md,title=invalid-reference::'
	check "workflow, check step: the no-drive warnings, not errors" \
	    assert_count 2 "$OUT" '^::warning file=songs/(mp3s|stems),title=source-unavailable::'
	wf_step "renderlink index --check"
	check "workflow, index --check step, committed index current: exit 0" \
	    assert_rc 0
	rm "$C/_songs/bad.md"
	wf_step "renderlink check"
	check "workflow, check step, page removed but index not: fails" \
	    assert_rc 1
	check "workflow, check step: stale-index annotation" \
	    assert_grep "$OUT" '^::error .*title=stale-index::'
	wf_step "renderlink index --check"
	check "workflow, index --check step: fails on the stale index" \
	    assert_rc 1
	check "workflow, index --check step: a stale-index annotation" \
	    assert_grep "$OUT" '^::error .*title=stale-index::'
	rl -C "$C" index >/dev/null
	wf_step "renderlink check"
	check "workflow, check step, all good but no drive: exit 0" assert_rc 0
	check "workflow, check step, all good: warnings only" \
	    assert_no_grep "$OUT" '^::error'
fi

finish
