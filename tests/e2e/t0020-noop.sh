#!/usr/bin/env bash
# t0020-noop: once the links are right, another sync does nothing at all:
# it prints nothing, exits 0, and writes nothing anywhere in the site (no
# new inode, no mtime change of the links, their folders, the site root
# or the manifest).  The same holds for -v, --format json, and for a run
# whose only news is an error that has not changed.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" "A.mp3" "B (live).mp3" "stems/A bass.wav"
mk_refs "$SITE" \
    _songs/a.md mp3s "A.mp3" \
    _songs/a.md stems "stems/A bass.wav" \
    _songs/b.md mp3s "B (live).mp3"

run_rl -C "$SITE" sync
check "setup: first sync exits 0" assert_rc 0
check "setup: first sync created links" \
    assert_link "$SITE/songs/mp3s/A.mp3" "$MEDIA/A.mp3"

snapshot "$SITE" "$TMP/before"
run_rl -C "$SITE" sync
check "second sync exits 0" assert_rc 0
check "second sync prints nothing on stdout" assert_stdout_empty
check "second sync prints nothing on stderr" assert_stderr_empty
check "second sync wrote nothing (lstat snapshot incl. root, manifest)" \
    assert_snapshot "$SITE" "$TMP/before"

run_rl -C "$SITE" -v sync
check "-v no-op exits 0" assert_rc 0
check "-v no-op lists the unchanged links" assert_stdout "\
unchanged songs/mp3s/A.mp3
unchanged songs/mp3s/B (live).mp3
unchanged songs/stems/A bass.wav"
check "-v no-op wrote nothing" assert_snapshot "$SITE" "$TMP/before"

run_rl -C "$SITE" --format json sync
check "json no-op exits 0" assert_rc 0
check "json no-op: no actions, 3 unchanged" \
    json_assert "$OUT" 'd["actions"] == [] and d["summary"]["unchanged"] == 3'
check "json no-op wrote nothing" assert_snapshot "$SITE" "$TMP/before"

# A standing error (a missing render) is reported every time, but
# reporting it again is no reason to write.
mk_refs "$SITE" \
    _songs/a.md mp3s "A.mp3" \
    _songs/a.md stems "stems/A bass.wav" \
    _songs/b.md mp3s "B (live).mp3" \
    _songs/c.md mp3s "C not rendered yet.mp3"
run_rl -C "$SITE" sync
check "setup: missing render is an error (exit 1)" assert_rc 1
snapshot "$SITE" "$TMP/before2"
run_rl -C "$SITE" sync
check "repeated error run exits 1 again" assert_rc 1
check "repeated error run has no action line" assert_stdout_empty
check "repeated error run still reports the error" \
    assert_problem error _songs/c.md missing-source
check "repeated error run wrote nothing" \
    assert_snapshot "$SITE" "$TMP/before2"

finish
