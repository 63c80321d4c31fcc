#!/usr/bin/env bash
# t0700-hostile-names: text output shows control characters, never sends
# them: a page named "b<LF>::warning::X.md" cannot forge a line (in text
# or in GitHub's plain lines), and an OSC escape in a name cannot reach
# the terminal.  Also: renderlink.index may not point into a .git folder,
# and an index that cannot be written (a full disk) is an error while the
# links still follow the pages (exit 1, the stale link removed).
. "$(dirname "$0")/../lib.sh"

export NO_COLOR=1
mk_site "$SITE"
printf 'collections: [songs]\n' >>"$SITE/_config.yml"
rm -f "$SITE/_data/front_matter.json"
mkdir -p "$SITE/_songs"
NL=$'b\n::warning::X.md'
OSC=$'c\e]0;pwned\a.md'
# (the media root holds something: an empty one means "not mounted")
mk_media "$MEDIA" other/o.mp3
printf -- '---\nmp3s: [missing/a.mp3]\n---\n' >"$SITE/_songs/$NL"
printf -- '---\nmp3s: [missing/b.mp3]\n---\n' >"$SITE/_songs/$OSC"
run_rl -C "$SITE" sync
check "a newline in a page name does not start a line of its own" \
    assert_no_grep "$ERR" '^::warning::'
check "... it is shown as \\n" assert_grep "$ERR" '_songs/b\\n::warning::X\.md'
check "an escape sequence in a name does not reach the terminal" \
    bash -c "! grep -q $'\e' '$ERR'"
check "... it is shown as \\x1b" assert_grep "$ERR" 'c\\x1b\]0;pwned\\x07\.md'
run_rl -C "$SITE" --format github sync
check "github: no forged workflow command" \
    bash -c "! grep -q '^::warning::X' '$OUT'"
check "github: no raw escape" bash -c "! grep -q $'\e' '$OUT'"
rm -f "$SITE/_songs/$NL" "$SITE/_songs/$OSC"

# --- a NUL in front matter -------------------------------------------------
mk_media "$MEDIA" a.mp3
printf -- '---\nmp3s: ["a.mp3\\0/../../../etc/passwd"]\n---\n' >"$SITE/_songs/nul.md"
printf -- '---\ntitle: "x\\0y"\n---\n' >"$SITE/_songs/title.md"
run_rl -C "$SITE" sync
check "a reference with a NUL is an invalid-reference" \
    assert_problem error _songs/nul.md invalid-reference
check "... and is not linked as what comes before the NUL" \
    assert_no_entry "$SITE/songs/mp3s/a.mp3"
run_rl -C "$SITE" sync --no-index
check "an index renderlink wrote (a NUL in a title) is one it reads back" \
    assert_no_grep "$ERR" 'index|NUL.*title'
check "... the run is not refused (exit 1 for the bad reference, not 2)" \
    assert_rc 1
rm -f "$SITE/_songs/nul.md" "$SITE/_songs/title.md" "$MEDIA/a.mp3"

# --- a NUL in a front matter key, a huge front matter block ---------------
printf -- '---\n"mp3s\\0": a.mp3\n---\n' >"$SITE/_songs/nulkey.md"
{ printf -- '---\n'; yes '# padding padding padding padding' | head -c 3000000
  printf -- '\n---\n'; } >"$SITE/_songs/huge.md"
rm -f "$SITE/_data/front_matter.json"
RC=0
/usr/bin/env time -f '%M' -o "$TMP/rss" "$RL" -C "$SITE" index \
    >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "a NUL in a key is a front-matter error for that page" \
    assert_grep "$ERR" '^error: _songs/nulkey.md:2:1: .*NUL byte.*\(front-matter\)$'
check "a block over 1 MiB is a front-matter error for that page" \
    assert_grep "$ERR" '_songs/huge.md:1:1: the front matter block is [0-9]+ bytes, more than the 1 MiB'
check "... read without holding it (peak under 16 MiB)" \
    test "$(tail -n 1 "$TMP/rss" 2>/dev/null || echo 0)" -lt 16384
run_rl -C "$SITE" sync --no-index
check "the index written is one renderlink reads back" \
    assert_no_grep "$ERR" 'front_matter.json'
rm -f "$SITE/_songs/nulkey.md" "$SITE/_songs/huge.md"

# --- the index may not go into .git --------------------------------------
sed -i 's|^renderlink:|renderlink:\n  index: .git/front_matter.json|' "$SITE/_config.yml"
run_rl -C "$SITE" sync
check "renderlink.index inside .git: exit 2" assert_rc 2
check "... named with file:line" \
    assert_grep "$ERR" "_config.yml:[0-9]+:[0-9]+: renderlink.index '.git/front_matter.json' lies in a git folder"
sed -i '/index: .git/d' "$SITE/_config.yml"

# --- a full disk under _data ---------------------------------------------
mk_media "$MEDIA" keep/k.mp3 gone/g.mp3
printf -- '---\nmp3s: [keep/k.mp3, gone/g.mp3]\n---\n' >"$SITE/_songs/s.md"
run_rl -C "$SITE" sync
check "setup: two links" test -L "$SITE/songs/mp3s/g.mp3"
printf -- '---\nmp3s: [keep/k.mp3]\ntitle: %0500d\n---\n' 0 >"$SITE/_songs/s.md"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=8k tmpfs "$SITE/_data" 2>/dev/null; then
	at_exit "umount '$SITE/_data' 2>/dev/null"
	head -c 8192 /dev/zero >"$SITE/_data/filler" 2>/dev/null
	run_rl -C "$SITE" sync
	check "index write fails on a full disk: exit 1, not 2" assert_rc 1
	check "... reported as an error naming the index" \
	    assert_problem error _data/front_matter.json apply-failed
	check "... and the stale link is still removed" \
	    assert_no_entry "$SITE/songs/mp3s/g.mp3"
	check "... the other kept" test -L "$SITE/songs/mp3s/k.mp3"
	umount "$SITE/_data"
else
	echo "# skip full-disk case: cannot mount a tmpfs here (needs root)"
fi
finish
