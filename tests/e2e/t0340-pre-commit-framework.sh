#!/usr/bin/env bash
# t0340-pre-commit-framework: the README's `repo: local` snippet for the pre-commit
# framework works as printed, with the real pre-commit (Debian 12 ships
# 3.0.4, which refuses `stages: [pre-commit]`), offline: `pre-commit run
# --all-files` passes on a good site, an installed hook lets a good
# commit through and stops one whose staged page names a missing render,
# and the manual-stage dry run runs when asked for.  The snippet is read
# from README.md itself, so the test checks what users copy.
. "$(dirname "$0")/../lib.sh"

command -v pre-commit >/dev/null ||
    skip_all "pre-commit is not installed (make deps installs it)"
command -v git >/dev/null || skip_all "git is not installed"

README=$(cd "$(dirname "$0")/../.." && pwd -P)/README.md
export PRE_COMMIT_HOME=$TMP/pre-commit-cache
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_CONFIG_NOSYSTEM=1

# pre-commit runs `renderlink` from PATH: the binary under test, wrapped.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${RENDERLINK_WRAP:-}" "$RL" \
    >"$TMP/bin/renderlink"
chmod +x "$TMP/bin/renderlink"
export PATH=$TMP/bin:$PATH

# The first yaml block of the README that declares `repo: local`.
python3 - "$README" "$TMP/snippet.yaml" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)
local = [b for b in blocks if "repo: local" in b]
open(sys.argv[2], "w").write(local[0] if local else "")
EOF
check "README has a repo: local snippet" test -s "$TMP/snippet.yaml"

mk_site "$SITE"
mk_media "$MEDIA" A.mp3
rm -f "$SITE/_data/front_matter.json"
printf -- '---\ntitle: A\nmp3s: [A.mp3]\n---\n' >"$SITE/a.md"
printf 'songs/\n.jekyll-cache/\n' >"$SITE/.gitignore"
cp "$TMP/snippet.yaml" "$SITE/.pre-commit-config.yaml"
git -C "$SITE" init -q
git -C "$SITE" add -A

pc() {	# pc ARGS...: pre-commit in the site; output in $OUT, status in $RC
	RC=0
	(cd "$SITE" && pre-commit "$@") >"$OUT" 2>&1 </dev/null || RC=$?
	: >"$ERR"
}

pc run --all-files
check "pre-commit run --all-files: exit 0 ($(pre-commit --version))" \
    assert_rc 0
check "pre-commit run --all-files: the config is accepted" \
    assert_no_grep "$OUT" 'InvalidConfigError|Expected one of'
check "pre-commit run --all-files: renderlink check ran and passed" \
    assert_grep "$OUT" '^renderlink check\.+Passed$'

pc install
check "pre-commit install: exit 0" assert_rc 0
RC=0
git -C "$SITE" commit -q -m good >"$OUT" 2>&1 || RC=$?
check "a good commit goes through the hook" assert_rc 0
check "a good commit: the hook ran renderlink" \
    assert_grep "$OUT" '^renderlink check\.+Passed$'
has_head() {
	git -C "$SITE" rev-parse -q --verify HEAD >/dev/null
}
check "a good commit: it is committed" has_head
head1=$(git -C "$SITE" rev-parse HEAD 2>/dev/null)

pc run --verbose --hook-stage manual renderlink-sync-dry-run
check "manual stage: the dry run runs when asked for" assert_rc 0
check "manual stage: it says what sync would do" \
    assert_grep "$OUT" "would create songs/mp3s/A\\.mp3 -> $MEDIA/A\\.mp3"
check "manual stage: nothing linked" assert_no_entry "$SITE/songs"

printf -- '---\ntitle: B\nmp3s: [B missing.mp3]\n---\n' >"$SITE/b.md"
git -C "$SITE" add b.md
RC=0
git -C "$SITE" commit -q -m bad >"$OUT" 2>&1 || RC=$?
check "a staged page naming a missing render: the commit is stopped" \
    assert_rc 1
check "the stopped commit: renderlink check failed, naming the page" \
    assert_grep "$OUT" '^error: b\.md: .*\(missing-source\)$'
check "the stopped commit: nothing committed" \
    assert_eq "$head1" "$(git -C "$SITE" rev-parse HEAD 2>/dev/null)"

finish
