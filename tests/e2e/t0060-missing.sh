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

# Near misses in case.  A render named in the wrong case gets its real
# name suggested, in a sentence with no stray punctuation; a folder named
# in the wrong case (`Lullaby/` for `lullaby/`) gets the whole reference
# with the folder cased right.  The suggestion costs folder listings only
# for references that are already missing.
mk_media "$MEDIA" "lullaby/outputs/mp3s/wip.mp3" "lullaby/outputs/mp3s/Take 2.mp3"
mk_refs "$SITE" _songs/a.md mp3s A.mp3 \
    _songs/c.md mp3s "lullaby/outputs/mp3s/WIP.mp3" \
    _songs/d.md mp3s "Lullaby/outputs/mp3s/wip.mp3" \
    _songs/e.md mp3s "LULLABY/Outputs/mp3s/take 2.mp3" \
    _songs/f.md mp3s "Lullaby/outputs/mp3s/never made.mp3"
run_rl -C "$SITE" sync
check "near misses: exit 1" assert_rc 1
check "wrong-case name: the real name is suggested, cleanly" \
    assert_grep "$ERR" "^error: _songs/c\.md: '$MEDIA/lullaby/outputs/mp3s/WIP\.mp3' does not exist; nothing linked; did you mean 'wip\.mp3'\? \(missing-source\)$"
check "no stray punctuation after a suggestion" \
    assert_no_grep "$ERR" "\?[;:,]"
check "wrong-case folder: the reference with the folder cased right" \
    assert_grep "$ERR" "^error: _songs/d\.md: .*folder 'Lullaby/outputs/mp3s' does not exist; nothing linked; did you mean 'lullaby/outputs/mp3s/wip\.mp3'\? \(missing-source\)$"
check "wrong-case folders and name: all of it cased right" \
    assert_grep "$ERR" "^error: _songs/e\.md: .*did you mean 'lullaby/outputs/mp3s/Take 2\.mp3'\? \(missing-source\)$"
check "wrong-case folder, file not there either: no suggestion" \
    assert_grep "$ERR" "^error: _songs/f\.md: .*does not exist; nothing linked \(missing-source\)$"
check "near misses: nothing linked for them" \
    assert_entries 1 "$M"
run_rl -C "$SITE" --format json sync
check "json: the suggestion is in the message" \
    json_assert "$OUT" 'any(p["page"] == "_songs/d.md" and p["message"].endswith("did you mean %slullaby/outputs/mp3s/wip.mp3%s?" % (chr(39), chr(39))) for p in d["problems"])'

# The media side is on a slow drive: when every reference is there, no
# folder is listed beyond the ones that hold references.
if command -v strace >/dev/null; then
	mk_refs "$SITE" _songs/a.md mp3s A.mp3 \
	    _songs/c.md mp3s "lullaby/outputs/mp3s/wip.mp3"
	run_rl -C "$SITE" sync
	RC=0
	# LeakSanitizer cannot run under ptrace: off for this one run.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -e trace=openat,openat2 -o "$TMP/st" "$RL" -C "$SITE" sync \
	    >"$OUT" 2>"$ERR" || RC=$?
	check "no-op sync under strace: exit 0" assert_rc 0
	# One openat per media folder, by its whole path: no walk one
	# component at a time, which only a missing folder may cost.
	check "a good run opens no media folder beyond those referenced" \
	    assert_no_grep "$TMP/st" '"(Lullaby|lullaby|outputs)"'
	check "a good run opens the referenced folder once, whole" \
	    assert_count 1 "$TMP/st" '"lullaby/outputs/mp3s"'
else
	echo "# skip media call count: strace not installed"
fi

finish
