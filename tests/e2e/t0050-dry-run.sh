#!/usr/bin/env bash
# t0050-dry-run: `sync -n` / `sync --dry-run` print the action lines the
# real run then prints, each saying what would happen (`would create`, as
# `git clean -n` says "Would remove"), change nothing at all, and exit by
# the same rules; JSON keeps the plain op names.  A source folder that is not there (drive not mounted) is a
# warning in a dry run (exit 0) but an error in a real run (exit 1), and
# that set's existing links are kept while other sets still sync.  With
# an index renderlink builds from the pages, a dry run plans with the
# fresh references but writes neither the index nor its page cache.
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

# An index renderlink builds from the pages: a dry run reads the pages
# (so it plans with the fresh references) but must not write the index,
# its page cache or the manifest, on a fresh site or a stale index.
RS=$TMP/rsite
RM=$RS/songs/mp3s
RIDX=$RS/_data/front_matter.json
mk_config "$RS" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3"
echo "collections: [songs]" >>"$RS/_config.yml"
# song NAME TITLE MP3...: a page _songs/NAME.md listing its mp3s.
song() {
	local f=$RS/_songs/$1.md t=$2 refs= r
	shift 2
	for r in "$@"; do
		refs="$refs${refs:+, }'$r'"
	done
	mkdir -p "$RS/_songs"
	printf -- '---\ntitle: %s\nmp3s: [%s]\n---\nbody\n' "$t" "$refs" >"$f"
}
song a "Song A" A.mp3 old/B.mp3 C.mp3
snapshot "$RS" "$TMP/r0"
run_rl -C "$RS" sync -n
check "own index, fresh site dry run: exit 0" assert_rc 0
check "own index, fresh site dry run: plans from the pages" assert_stdout "\
would create songs/mp3s/A.mp3 -> $MEDIA/A.mp3
would create songs/mp3s/B.mp3 -> $MEDIA/old/B.mp3
would create songs/mp3s/C.mp3 -> $MEDIA/C.mp3"
check "own index, fresh site dry run: no index, cache, folder or manifest" \
    assert_snapshot "$RS" "$TMP/r0"
run_rl -C "$RS" sync
check "own index, setup: the real run wrote renderlink's index" \
    json_assert "$RIDX" 'd["generator"] == "renderlink"'
check "own index, setup: and its page cache" \
    test -f "$RS/.jekyll-cache/renderlink/pages.tsv"

# The pages change: a create (D), a replace (B), a remove (C), a title.
song a "Song A, remastered" A.mp3 new/B.mp3
song d "Song D" D.mp3
snapshot "$RS" "$TMP/r1"
run_rl -C "$RS" sync -n
cp "$OUT" "$TMP/rdry"
check "own index, stale: dry run exit 0" assert_rc 0
check "own index, stale: plans with the edited pages" assert_stdout "\
would create songs/mp3s/D.mp3 -> $MEDIA/D.mp3
would replace songs/mp3s/B.mp3 -> $MEDIA/new/B.mp3
would remove songs/mp3s/C.mp3"
check "own index, stale: the index still holds the old pages" \
    json_assert "$RIDX" '[x["front_matter"]["title"] for x in d["documents"]] == ["Song A"]'
check "own index, stale: nothing written (index, cache, links, manifest)" \
    assert_snapshot "$RS" "$TMP/r1"
run_rl -C "$RS" --format json sync --dry-run
check "own index, stale, json dry run: 3 actions" \
    json_assert "$OUT" 'd["dry_run"] is True and len(d["actions"]) == 3'
check "own index, stale, json dry run: nothing written" \
    assert_snapshot "$RS" "$TMP/r1"
run_rl -C "$RS" sync
check "own index, stale: the real run does what was announced" \
    assert_same_file <(sed 's/^would //' "$TMP/rdry") "$OUT"
check "own index, stale: and rewrites the index (which the snapshot sees)" \
    eval 'json_assert "$RIDX" "sorted(x[\"front_matter\"][\"title\"] for x in d[\"documents\"]) == [\"Song A, remastered\", \"Song D\"]" && ! assert_snapshot "$RS" "$TMP/r1" 2>/dev/null'

finish
