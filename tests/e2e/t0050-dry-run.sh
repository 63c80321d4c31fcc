#!/usr/bin/env bash
# t0050-dry-run: `sync -n` / `sync --dry-run` print the action lines the
# real run then prints, each saying what would happen (`would create`, as
# `git clean -n` says "Would remove"), change nothing at all, and exit by
# the same rules; JSON keeps the plain op names.  A source folder that is not there (drive not mounted) is a
# warning in a dry run (exit 0) but an error in a real run (exit 1), and
# that set's existing links are kept while other sets still sync.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" A.mp3 old/B.mp3 new/B.mp3 C.mp3 D.mp3
M=$SITE/songs/mp3s

# A fresh site: a dry run must not even create the target folder or the
# manifest.
mk_refs "$SITE" _songs/a.md mp3s A.mp3
snapshot "$SITE" "$TMP/s0"
run_rl -C "$SITE" sync -n
check "fresh site dry run: exit 0" assert_rc 0
check "fresh site dry run: announces the create" \
    assert_stdout "would create songs/mp3s/A.mp3 -> $MEDIA/A.mp3"
check "fresh site dry run: nothing created (no folder, no manifest)" \
    assert_snapshot "$SITE" "$TMP/s0"

mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s old/B.mp3 \
    _songs/a.md mp3s C.mp3
run_rl -C "$SITE" sync
check "setup: first real sync exits 0" assert_rc 0

# Needs a create (D), a replace (B) and a remove (C).
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s new/B.mp3 \
    _songs/d.md mp3s D.mp3
snapshot "$SITE" "$TMP/s1"
run_rl -C "$SITE" sync -n
cp "$OUT" "$TMP/dry1"
check "-n: exit 0" assert_rc 0
check "-n: create, replace and remove announced as what would happen" \
    assert_stdout "\
would create songs/mp3s/D.mp3 -> $MEDIA/D.mp3
would replace songs/mp3s/B.mp3 -> $MEDIA/new/B.mp3
would remove songs/mp3s/C.mp3"
check "-n: nothing changed" assert_snapshot "$SITE" "$TMP/s1"

run_rl -C "$SITE" sync --dry-run
check "--dry-run: exit 0" assert_rc 0
check "--dry-run: same lines as -n" assert_same_file "$TMP/dry1" "$OUT"
check "--dry-run: nothing changed" assert_snapshot "$SITE" "$TMP/s1"

run_rl -C "$SITE" --format json sync --dry-run
check "json dry run: dry_run is true, 3 actions, counts match" \
    json_assert "$OUT" 'd["dry_run"] is True and len(d["actions"]) == 3 and (d["summary"]["created"], d["summary"]["replaced"], d["summary"]["removed"]) == (1, 1, 1)'
check "json dry run: plain op names, no 'would'" \
    json_assert "$OUT" 'sorted(a["op"] for a in d["actions"]) == ["create", "remove", "replace"]'
check "json dry run: nothing changed" assert_snapshot "$SITE" "$TMP/s1"
run_rl -C "$SITE" --format github sync --dry-run
check "github dry run: the action lines say 'would' too" assert_stdout "\
would create songs/mp3s/D.mp3 -> $MEDIA/D.mp3
would replace songs/mp3s/B.mp3 -> $MEDIA/new/B.mp3
would remove songs/mp3s/C.mp3"
run_rl -C "$SITE" -v sync -n
check "-v dry run: the summary says it was a dry run" \
    assert_grep "$ERR" '^summary: 1 created, 1 replaced, 1 removed, 1 unchanged, .*\(dry run\)$'
check "-v dry run: unchanged links read the same as in a real run" \
    assert_grep "$OUT" '^unchanged songs/mp3s/A\.mp3$'
check "-n: nothing changed by the github and -v dry runs" \
    assert_snapshot "$SITE" "$TMP/s1"

run_rl -C "$SITE" sync
check "real run: exit 0" assert_rc 0
sed 's/^would //' "$TMP/dry1" >"$TMP/dry1.real"
check "real run prints the dry run's lines, without 'would'" \
    assert_same_file "$TMP/dry1.real" "$OUT"
check "real run did what was announced" \
    assert_link "$M/B.mp3" "$MEDIA/new/B.mp3"

# Errors: same exit code with and without -n.
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s new/B.mp3 \
    _songs/d.md mp3s D.mp3 _songs/e.md mp3s "E missing.mp3"
snapshot "$SITE" "$TMP/s2"
run_rl -C "$SITE" sync -n
check "dry run with an error: exit 1" assert_rc 1
check "dry run with an error: error reported" \
    assert_problem error _songs/e.md missing-source
check "dry run with an error: nothing changed" \
    assert_snapshot "$SITE" "$TMP/s2"
run_rl -C "$SITE" sync
check "real run with the same error: exit 1" assert_rc 1

# The stems set reads a separate media folder that then goes away.
STEMS=$TMP/stemdrive
mk_media "$STEMS" "A bass.wav" "A drums.wav"
mk_config "$SITE" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3" \
    "stems|stems|$STEMS|songs/stems|wav"
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s new/B.mp3 \
    _songs/d.md mp3s D.mp3 \
    _songs/a.md stems "A bass.wav" _songs/a.md stems "A drums.wav"
run_rl -C "$SITE" sync
check "setup: stems linked" \
    assert_link "$SITE/songs/stems/A bass.wav" "$STEMS/A bass.wav"
mv "$STEMS" "$TMP/unplugged"
# Meanwhile a page drops a stem (would be a remove) and a new mp3 appears.
mk_media "$MEDIA" F.mp3
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s new/B.mp3 \
    _songs/d.md mp3s D.mp3 _songs/a.md stems "A bass.wav" \
    _songs/f.md mp3s F.mp3
snapshot "$SITE" "$TMP/s3"
run_rl -C "$SITE" sync --dry-run
check "unavailable source, dry run: exit 0" assert_rc 0
check "unavailable source, dry run: a source-unavailable warning" \
    assert_grep "$ERR" '^warning: .*\(source-unavailable\)$'
check "unavailable source, dry run: no error line" assert_no_problem error
check "unavailable source, dry run: only the other set's action" \
    assert_stdout "would create songs/mp3s/F.mp3 -> $MEDIA/F.mp3"
check "unavailable source, dry run: nothing changed" \
    assert_snapshot "$SITE" "$TMP/s3"

run_rl -C "$SITE" sync
check "unavailable source, real run: exit 1" assert_rc 1
check "unavailable source, real run: a source-unavailable error" \
    assert_grep "$ERR" '^error: .*\(source-unavailable\)$'
check "unavailable source, real run: the other set still synced" \
    assert_link "$M/F.mp3" "$MEDIA/F.mp3"
check "unavailable source, real run: the set's links are kept" \
    assert_link "$SITE/songs/stems/A bass.wav" "$STEMS/A bass.wav"
check "unavailable source, real run: even the unreferenced one is kept" \
    assert_link "$SITE/songs/stems/A drums.wav" "$STEMS/A drums.wav"
check "unavailable source, real run: no remove line" \
    assert_stdout "create songs/mp3s/F.mp3 -> $MEDIA/F.mp3"

finish
