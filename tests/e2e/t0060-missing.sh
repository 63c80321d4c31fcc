#!/usr/bin/env bash
# t0060-missing: a reference to a render that does not exist is a
# `missing-source` error naming the page (exit 1) and gets no link (a
# dangling link would abort Jekyll); the other links are still made.  An
# owned link whose render vanished is removed and reported.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" A.mp3 B.mp3 "stems/B bass.wav"
M=$SITE/songs/mp3s

mk_refs "$SITE" \
    _songs/a.md mp3s A.mp3 \
    "_songs/gone song.md" mp3s "renders/Gone (take 2).mp3" \
    _songs/a.md stems "stems/not yet.wav"
run_rl -C "$SITE" sync
check "missing render: exit 1" assert_rc 1
check "missing render: error names the page, code missing-source" \
    assert_problem error "_songs/gone song.md" missing-source
check "missing stem: error names its page too" \
    assert_problem error _songs/a.md missing-source
check "missing render: no link" assert_no_entry "$M/Gone (take 2).mp3"
check "missing stem: no link" assert_no_entry "$SITE/songs/stems/not yet.wav"
check "the existing render is still linked" assert_link "$M/A.mp3" "$MEDIA/A.mp3"
check "only the good link is announced" \
    assert_stdout "create songs/mp3s/A.mp3 -> $MEDIA/A.mp3"
check "no dangling link in the site" assert_no_dangling "$SITE"

run_rl -C "$SITE" --format json sync
check "json: missing-source problem with page and severity" \
    json_assert "$OUT" 'any(p["severity"] == "error" and p["code"] == "missing-source" and p["page"] == "_songs/gone song.md" for p in d["problems"])'
check "json: summary counts the two errors" \
    json_assert "$OUT" 'd["summary"]["errors"] == 2'

# A linked render disappears (deleted or renamed on the drive).
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/b.md mp3s B.mp3 \
    _songs/b.md stems "stems/B bass.wav"
run_rl -C "$SITE" sync
check "setup: B linked" assert_link "$M/B.mp3" "$MEDIA/B.mp3"
rm "$MEDIA/B.mp3" "$MEDIA/stems/B bass.wav"
run_rl -C "$SITE" sync
check "vanished render: exit 1 (still referenced)" assert_rc 1
check "vanished render: missing-source error for its page" \
    assert_problem error _songs/b.md missing-source
check "vanished render: its links are removed and reported" \
    assert_stdout "remove songs/mp3s/B.mp3
remove songs/stems/B bass.wav"
check "vanished render: link gone" assert_no_entry "$M/B.mp3"
check "vanished render: stem link gone" \
    assert_no_entry "$SITE/songs/stems/B bass.wav"
check "vanished render: other link kept" assert_link "$M/A.mp3" "$MEDIA/A.mp3"
check "no dangling link left" assert_no_dangling "$SITE"

finish
