#!/usr/bin/env bash
# t0020-noop: once the links are right, another sync does nothing at all:
# it prints nothing, exits 0, and writes nothing anywhere in the site (no
# new inode, no mtime change of the links, their folders, the site root
# or the manifest).  The same holds for -v, --format json, for a run
# whose only news is an error that has not changed, when the manifest is
# gone (the links below their media roots are renderlink's without it,
# so it is not rebuilt), and with an index renderlink builds from the
# pages itself (neither the index nor its page cache is rewritten).
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

# Links right, manifest gone (a cleaned .jekyll-cache/renderlink, a fresh
# clone with the links committed elsewhere): the links are renderlink's
# by their text alone, so there is nothing to do and nothing to write;
# the manifest is not rebuilt.
MAN=$SITE/.jekyll-cache/renderlink/manifest.json
check "setup: the manifest is there" test -f "$MAN"
rm -f "$MAN"
snapshot "$SITE" "$TMP/before3"
run_rl -C "$SITE" sync
check "no manifest: exits 1 for the standing error only" assert_rc 1
check "no manifest: no action line" assert_stdout_empty
check "no manifest: the links are still owned (no conflict)" \
    assert_no_grep "$ERR" '\((conflict|manifest)\)$'
check "no manifest: wrote nothing, not even the manifest" \
    assert_snapshot "$SITE" "$TMP/before3"
mk_refs "$SITE" \
    _songs/a.md mp3s "A.mp3" \
    _songs/a.md stems "stems/A bass.wav" \
    _songs/b.md mp3s "B (live).mp3"
snapshot "$SITE" "$TMP/before4"
run_rl -C "$SITE" sync
check "no manifest, no error: exit 0" assert_rc 0
check "no manifest, no error: prints nothing" \
    eval 'assert_stdout_empty && assert_stderr_empty'
check "no manifest, no error: wrote nothing" \
    assert_snapshot "$SITE" "$TMP/before4"
run_rl -C "$SITE" -v sync
check "no manifest, -v: the links are unchanged, not re-made" \
    assert_stdout "\
unchanged songs/mp3s/A.mp3
unchanged songs/mp3s/B (live).mp3
unchanged songs/stems/A bass.wav"
check "no manifest, -v: wrote nothing" \
    assert_snapshot "$SITE" "$TMP/before4"
# A run with work to do records what it made again.
mk_media "$MEDIA" "D.mp3"
mk_refs "$SITE" \
    _songs/a.md mp3s "A.mp3" \
    _songs/a.md stems "stems/A bass.wav" \
    _songs/b.md mp3s "B (live).mp3" \
    _songs/d.md mp3s "D.mp3"
run_rl -C "$SITE" sync
check "no manifest, then a create: the manifest is written again" \
    json_assert "$MAN" '"songs/mp3s/D.mp3" in json.dumps(d)'

# An index renderlink builds from the pages (so one it would rewrite):
# the no-op must not write it, nor its page cache.  The snapshot covers
# _data and .jekyll-cache, so a rewrite of either would show.
RS=$TMP/rsite
RM=$RS/songs/mp3s
mk_config "$RS" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3"
echo "collections: [songs]" >>"$RS/_config.yml"
mkdir -p "$RS/_songs"
printf -- '---\ntitle: A\nmp3s: [A.mp3, "B (live).mp3"]\n---\nA\n' \
    >"$RS/_songs/a.md"
printf -- '---\ntitle: Home\n---\nHello.\n' >"$RS/index.md"
run_rl -C "$RS" sync
check "own index, setup: first sync made the links" \
    assert_link "$RM/B (live).mp3" "$MEDIA/B (live).mp3"
check "own index, setup: the index is renderlink's" \
    json_assert "$RS/_data/front_matter.json" 'd["generator"] == "renderlink"'
check "own index, setup: with its page cache" \
    test -f "$RS/.jekyll-cache/renderlink/pages.tsv"
snapshot "$RS" "$TMP/own1"
run_rl -C "$RS" sync
check "own index no-op: exit 0" assert_rc 0
check "own index no-op: prints nothing" \
    eval 'assert_stdout_empty && assert_stderr_empty'
check "own index no-op: wrote nothing (index, cache, manifest, links)" \
    assert_snapshot "$RS" "$TMP/own1"
run_rl -C "$RS" --format json sync
check "own index json no-op: no actions" \
    json_assert "$OUT" 'd["actions"] == [] and d["summary"]["unchanged"] == 2'
check "own index json no-op: wrote nothing" \
    assert_snapshot "$RS" "$TMP/own1"
rm -f "$RS/.jekyll-cache/renderlink/manifest.json"
snapshot "$RS" "$TMP/own2"
run_rl -C "$RS" sync
check "own index, no manifest: exit 0, prints nothing" \
    eval 'assert_rc 0 && assert_stdout_empty && assert_stderr_empty'
check "own index, no manifest: wrote nothing" \
    assert_snapshot "$RS" "$TMP/own2"
# Control: the same snapshot does see an index write (a page's title
# changes, no link does).
sed -i 's/^title: A$/title: A2/' "$RS/_songs/a.md"
run_rl -C "$RS" sync
check "own index, control: an edited page's title is indexed" \
    json_assert "$RS/_data/front_matter.json" \
    '[x["front_matter"]["title"] for x in d["documents"] if x["path"] == "_songs/a.md"] == ["A2"]'
check "own index, control: and the snapshot sees that write" \
    eval '! assert_snapshot "$RS" "$TMP/own2" 2>/dev/null'

finish
