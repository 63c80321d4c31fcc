#!/usr/bin/env bash
# t0080-invalid-ref: front matter is untrusted input.  A reference that is
# absolute, climbs with "..", uses "\" or a drive, holds control
# characters, is a name Windows cannot hold (CON, "?", trailing dot or
# space), has the wrong extension, or resolves through a symlink to
# outside the media root is an `invalid-reference` error naming the page,
# and nothing is linked for it; good references in the same run still
# are.  A symlink inside the media tree that stays inside it is fine.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
M=$SITE/songs/mp3s
OUTSIDE=$TMP/outside-dir
# Files that exist, so only the rules can stop them.
mk_media "$TMP" outside.mp3
mk_media "$OUTSIDE" leak.mp3 leak-rel.mp3 secret.mp3
mk_media "$MEDIA" good.mp3 abs.mp3 'a\b.mp3' 'C:/x.mp3' CON.mp3 lpt1.mp3 \
    'x.mp3.' 'dir /z.mp3' 'a?.mp3' song.wav song top.mp3 sub/deep.mp3 \
    dot.mp3 $'bad\nname.mp3' $'tab\there.mp3' real/inner.mp3 \
    real/inner2.mp3 real/target.mp3
ln -s "$OUTSIDE" "$MEDIA/escape"
ln -s ../outside-dir "$MEDIA/relescape"
ln -s "$OUTSIDE/secret.mp3" "$MEDIA/leak2.mp3"
ln -s real "$MEDIA/alias"
ln -s "$MEDIA/real" "$MEDIA/alias2"
ln -s real/target.mp3 "$MEDIA/inside-link.mp3"

bad_pages=(dotdot dotdot-inside abs-etc abs-media drive drive-fwd
    backslash con lpt trailing-dot trailing-space question wrong-ext no-ext
    newline tab escape-dir escape-rel escape-file empty dot-segment
    empty-segment unc)
mk_refs "$SITE" \
    _bad/dotdot.md mp3s "../outside.mp3" \
    _bad/dotdot-inside.md mp3s "sub/../top.mp3" \
    _bad/abs-etc.md mp3s "/etc/passwd" \
    _bad/abs-media.md mp3s "$MEDIA/abs.mp3" \
    _bad/drive.md mp3s 'C:\x.mp3' \
    _bad/drive-fwd.md mp3s 'C:/x.mp3' \
    _bad/backslash.md mp3s 'a\b.mp3' \
    _bad/con.md mp3s CON.mp3 \
    _bad/lpt.md mp3s lpt1.mp3 \
    _bad/trailing-dot.md mp3s 'x.mp3.' \
    _bad/trailing-space.md mp3s 'dir /z.mp3' \
    _bad/question.md mp3s 'a?.mp3' \
    _bad/wrong-ext.md mp3s song.wav \
    _bad/no-ext.md mp3s song \
    _bad/newline.md mp3s $'bad\nname.mp3' \
    _bad/tab.md mp3s $'tab\there.mp3' \
    _bad/escape-dir.md mp3s escape/leak.mp3 \
    _bad/escape-rel.md mp3s relescape/leak-rel.mp3 \
    _bad/escape-file.md mp3s leak2.mp3 \
    _bad/empty.md mp3s "" \
    _bad/dot-segment.md mp3s ./dot.mp3 \
    _bad/empty-segment.md mp3s sub//deep.mp3 \
    _bad/unc.md mp3s //server/share/x.mp3 \
    _songs/good.md mp3s good.mp3 \
    _songs/good.md mp3s alias/inner.mp3 \
    _songs/good.md mp3s alias2/inner2.mp3 \
    _songs/good.md mp3s inside-link.mp3
BAD="${bad_pages[*]}"
export BAD
snapshot "$OUTSIDE" "$TMP/outside.snap"

run_rl -C "$SITE" sync
check "hostile references: exit 1" assert_rc 1
for p in "${bad_pages[@]}"; do
	check "invalid-reference error names _bad/$p.md" \
	    assert_problem error "_bad/$p.md" invalid-reference
done
check "every stderr line is a problem line (names are escaped)" \
    assert_only_problem_lines
check "good reference in the same run linked" \
    assert_link "$M/good.mp3" "$MEDIA/good.mp3"
check "ref through a symlinked folder staying inside the root linked" \
    assert_link "$M/inner.mp3" "$MEDIA/alias/inner.mp3"
check "ref through an absolute symlinked folder inside the root linked" \
    assert_link "$M/inner2.mp3" "$MEDIA/alias2/inner2.mp3"
check "ref to a file symlink staying inside the root linked" \
    assert_link "$M/inside-link.mp3" "$MEDIA/inside-link.mp3"
check "exactly the four good links in the target folder" assert_entries 4 "$M"
check "exactly four symlinks created in the whole site" \
    assert_eq 4 "$(find -P "$SITE" -type l | wc -l)"
check "only the four good links announced" assert_stdout "\
create songs/mp3s/good.mp3 -> $MEDIA/good.mp3
create songs/mp3s/inner.mp3 -> $MEDIA/alias/inner.mp3
create songs/mp3s/inner2.mp3 -> $MEDIA/alias2/inner2.mp3
create songs/mp3s/inside-link.mp3 -> $MEDIA/inside-link.mp3"
check "no link to the escaping file under any name" \
    assert_eq "" "$(find -P "$SITE" -name 'leak*' -o -name 'secret*' -o -name 'passwd' -o -name 'outside*')"
check "the outside folder was not touched" \
    assert_snapshot "$OUTSIDE" "$TMP/outside.snap"

run_rl -C "$SITE" --format json sync
check "json: one invalid-reference problem per hostile page" \
    json_assert "$OUT" 'sorted(p["page"] for p in d["problems"] if p["code"] == "invalid-reference" and p["severity"] == "error") == sorted("_bad/%s.md" % n for n in os.environ["BAD"].split())'

# A hostile reference must not claim a link name: an escaping reference
# with the same basename as a good one is still just invalid, and the
# good one is linked.
mk_media "$MEDIA" "fine/leak.mp3" "fine/Intro.mp3"
mk_media "$OUTSIDE" "Intro.mp3"
mk_refs "$SITE" \
    _songs/fine.md mp3s fine/leak.mp3 \
    _bad/escape-same-name.md mp3s escape/leak.mp3 \
    _bad/dotdot-same-name.md mp3s ../outside-dir/Intro.mp3 \
    _songs/fine.md mp3s fine/Intro.mp3
run_rl -C "$SITE" sync
check "same name as a good ref, escaping through a symlink: invalid-reference" \
    assert_problem error _bad/escape-same-name.md invalid-reference
check "same name as a good ref, with \"..\": invalid-reference" \
    assert_problem error _bad/dotdot-same-name.md invalid-reference
check "same name as a good ref: no duplicate-name error" \
    assert_no_grep "$ERR" '\(duplicate-name\)$'
check "same name as a good ref: the good one is linked" \
    assert_link "$M/leak.mp3" "$MEDIA/fine/leak.mp3"
check "same name as a good ref: the other good one too" \
    assert_link "$M/Intro.mp3" "$MEDIA/fine/Intro.mp3"

# A link made earlier for a reference that later turns hostile (the
# folder became a symlink to outside) must not survive.
mk_media "$MEDIA" "moving/song.mp3"
mk_refs "$SITE" _songs/m.md mp3s moving/song.mp3
run_rl -C "$SITE" sync
check "setup: linked while the folder is real" \
    assert_link "$M/song.mp3" "$MEDIA/moving/song.mp3"
mkdir -p "$OUTSIDE/moving"
mv "$MEDIA/moving/song.mp3" "$OUTSIDE/moving/song.mp3"
rmdir "$MEDIA/moving"
ln -s "$OUTSIDE/moving" "$MEDIA/moving"
run_rl -C "$SITE" sync
check "folder now escapes: exit 1" assert_rc 1
check "folder now escapes: invalid-reference for the page" \
    assert_problem error _songs/m.md invalid-reference
check "folder now escapes: the old link is removed" \
    assert_no_entry "$M/song.mp3"

finish
