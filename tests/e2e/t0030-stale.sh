#!/usr/bin/env bash
# t0030-stale: links follow the index.  A reference dropped from a page
# (or a whole page, or all of a set's references) removes exactly that
# link and leaves the others alone (same inode, same text); a reference
# changed to another file with the same basename replaces the link's text
# in place (still a symlink).  The media files are never modified.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" "A.mp3" "old/B.mp3" "new/B.mp3" "C.mp3" "D.mp3" \
    "stems/X.wav" "stems/Y.flac"
M=$SITE/songs/mp3s
S=$SITE/songs/stems

mk_refs "$SITE" \
    _songs/abc.md mp3s "A.mp3" \
    _songs/abc.md mp3s "old/B.mp3" \
    _songs/abc.md mp3s "C.mp3" \
    _songs/d.md mp3s "D.mp3" \
    _songs/s.md stems "stems/X.wav" \
    _songs/s.md stems "stems/Y.flac"
run_rl -C "$SITE" sync
check "setup: first sync exits 0" assert_rc 0
check "setup: 4 mp3 links" assert_entries 4 "$M"
check "setup: 2 stem links" assert_entries 2 "$S"
snapshot "$MEDIA" "$TMP/media.snap"
ino() { stat -c %i -- "$1"; }
ino_b=$(ino "$M/B.mp3")
ino_c=$(ino "$M/C.mp3")

# 1. Drop A from its page.
mk_refs "$SITE" \
    _songs/abc.md mp3s "old/B.mp3" \
    _songs/abc.md mp3s "C.mp3" \
    _songs/d.md mp3s "D.mp3" \
    _songs/s.md stems "stems/X.wav" \
    _songs/s.md stems "stems/Y.flac"
run_rl -C "$SITE" sync
check "dropped reference: exit 0" assert_rc 0
check "dropped reference: exactly one remove line" \
    assert_stdout "remove songs/mp3s/A.mp3"
check "dropped reference: its link is gone" assert_no_entry "$M/A.mp3"
check "dropped reference: the render itself is still there" \
    test -f "$MEDIA/A.mp3"
check "other links untouched (same inode)" \
    assert_eq "$ino_b $ino_c" "$(ino "$M/B.mp3") $(ino "$M/C.mp3")"
check "other links keep their text" assert_link "$M/C.mp3" "$MEDIA/C.mp3"

# 2. Remove every reference of the stems set, and page d.md entirely.
mk_refs "$SITE" \
    _songs/abc.md mp3s "old/B.mp3" \
    _songs/abc.md mp3s "C.mp3" \
    _songs/s.md "" ""
run_rl -C "$SITE" sync
check "emptied set and deleted page: exit 0" assert_rc 0
check "emptied set and deleted page: three remove lines" assert_stdout "\
remove songs/mp3s/D.mp3
remove songs/stems/X.wav
remove songs/stems/Y.flac"
check "emptied set: first stem link gone" assert_no_entry "$S/X.wav"
check "emptied set: second stem link gone" assert_no_entry "$S/Y.flac"
check "deleted page: its link gone" assert_no_entry "$M/D.mp3"
check "links of other pages untouched" \
    assert_eq "$ino_b $ino_c" "$(ino "$M/B.mp3") $(ino "$M/C.mp3")"

# 3. Point B at another file with the same basename.
mk_refs "$SITE" \
    _songs/abc.md mp3s "new/B.mp3" \
    _songs/abc.md mp3s "C.mp3"
run_rl -C "$SITE" sync
check "changed reference: exit 0" assert_rc 0
check "changed reference: one replace line naming the new target" \
    assert_stdout "replace songs/mp3s/B.mp3 -> $MEDIA/new/B.mp3"
check "changed reference: link text updated" \
    assert_link "$M/B.mp3" "$MEDIA/new/B.mp3"
check "changed reference: link now reaches the new file" \
    assert_eq "new/B.mp3" "$(cat -- "$M/B.mp3")"
check "changed reference: C untouched" \
    assert_eq "$ino_c" "$(ino "$M/C.mp3")"
check "the media tree was never modified" \
    assert_snapshot "$MEDIA" "$TMP/media.snap"
check "no dangling link left in the site" assert_no_dangling "$SITE"

finish
