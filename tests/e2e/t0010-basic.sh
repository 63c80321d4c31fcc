#!/usr/bin/env bash
# t0010-basic: a sync creates one symlink per referenced render, and only
# for referenced ones; the link text is the absolute source path; odd but
# legal names (spaces , ; ( ) ' unicode), nested folders, a front matter
# value given as a string or a list, and a set with several extensions
# all work; the text and JSON reports say what was done.
. "$(dirname "$0")/../lib.sh"

OYO="One Year Older (136 bpm, landscape, long, lyrics, take 7; 2024-11-20).mp3"
DLB="Don't Look Back — Élan ñ 日本語.mp3"
export DLB

mk_site "$SITE"
mk_media "$MEDIA" \
    "proj/outputs/mp3s/A take 1.mp3" \
    "proj/outputs/mp3s/A take 2.mp3" \
    "songs/One Year Older/mp3s/$OYO" \
    "songs/One Year Older/mp3s/One Year Older (take 6).mp3" \
    "x/$DLB" \
    "a/b/c/d/e/Deep Cut.mp3" \
    "proj/stems/A bass.wav" \
    "proj/stems/A drums.flac" \
    "proj/stems/A KEYS.WAV" \
    "proj/stems/A vox.wav"

# One page with lists, one with a plain string, one with nested refs and
# a page without any reference.
mk_index "$SITE" <<JSON
{"version": 1, "documents": [
  {"path": "_songs/a.md", "front_matter": {"title": "A",
    "mp3s": ["proj/outputs/mp3s/A take 1.mp3"],
    "stems": ["proj/stems/A bass.wav", "proj/stems/A drums.flac",
              "proj/stems/A KEYS.WAV"]}},
  {"path": "_songs/one-year-older.md", "front_matter": {
    "title": "One Year Older",
    "mp3s": "songs/One Year Older/mp3s/$OYO"}},
  {"path": "_songs/b.md", "front_matter": {"title": "B",
    "mp3s": ["a/b/c/d/e/Deep Cut.mp3", "x/$DLB"]}},
  {"path": "_posts/2024-01-01-news.md", "front_matter": {"title": "News"}}
]}
JSON

M=$SITE/songs/mp3s
S=$SITE/songs/stems
run_rl -C "$SITE" sync
check "first sync exits 0" assert_rc 0
check "no problems reported" assert_stderr_empty
check "list reference linked, text is the absolute source path" \
    assert_link "$M/A take 1.mp3" "$MEDIA/proj/outputs/mp3s/A take 1.mp3"
check "string reference with , ; ( ) in the name linked" \
    assert_link "$M/$OYO" "$MEDIA/songs/One Year Older/mp3s/$OYO"
check "apostrophe and unicode name linked" \
    assert_link "$M/$DLB" "$MEDIA/x/$DLB"
check "reference in nested subfolders linked by its basename" \
    assert_link "$M/Deep Cut.mp3" "$MEDIA/a/b/c/d/e/Deep Cut.mp3"
check "stems set: .wav linked" \
    assert_link "$S/A bass.wav" "$MEDIA/proj/stems/A bass.wav"
check "stems set: .flac linked" \
    assert_link "$S/A drums.flac" "$MEDIA/proj/stems/A drums.flac"
check "extension matched case-insensitively (.WAV)" \
    assert_link "$S/A KEYS.WAV" "$MEDIA/proj/stems/A KEYS.WAV"
check "unreferenced render beside a referenced one not linked" \
    assert_no_entry "$M/A take 2.mp3"
check "unreferenced take beside the string reference not linked" \
    assert_no_entry "$M/One Year Older (take 6).mp3"
check "unreferenced stem not linked" assert_no_entry "$S/A vox.wav"
check "mp3 folder holds exactly the 4 referenced links" assert_entries 4 "$M"
check "stems folder holds exactly the 3 referenced links" assert_entries 3 "$S"
check "links reach the renders" \
    assert_eq "songs/One Year Older/mp3s/$OYO" "$(cat -- "$M/$OYO")"
check "one create line per link, in the contract's format" assert_stdout "\
create songs/mp3s/A take 1.mp3 -> $MEDIA/proj/outputs/mp3s/A take 1.mp3
create songs/mp3s/$OYO -> $MEDIA/songs/One Year Older/mp3s/$OYO
create songs/mp3s/$DLB -> $MEDIA/x/$DLB
create songs/mp3s/Deep Cut.mp3 -> $MEDIA/a/b/c/d/e/Deep Cut.mp3
create songs/stems/A bass.wav -> $MEDIA/proj/stems/A bass.wav
create songs/stems/A drums.flac -> $MEDIA/proj/stems/A drums.flac
create songs/stems/A KEYS.WAV -> $MEDIA/proj/stems/A KEYS.WAV"
check "nothing else appeared in the site" assert_entries 2 "$SITE/songs"
check "the manifest was written" \
    test -f "$SITE/.jekyll-cache/renderlink/manifest.json"

# The same site, fresh, in JSON.
rm -rf "$SITE/songs" "$SITE/.jekyll-cache"
run_rl -C "$SITE" --format json sync
check "json: exit 0" assert_rc 0
check "json: stdout is one JSON document with the contract's fields" \
    json_assert "$OUT" 'd["dry_run"] is False and isinstance(d["actions"], list) and isinstance(d["problems"], list)'
check "json: summary counts 7 created, nothing else" \
    json_assert "$OUT" 'd["summary"] == {"created": 7, "replaced": 0, "removed": 0, "unchanged": 0, "errors": 0, "warnings": 0}'
check "json: 7 create actions, 4 in set mp3s and 3 in stems" \
    json_assert "$OUT" 'sorted((a["op"], a["set"]) for a in d["actions"]) == [("create", "mp3s")] * 4 + [("create", "stems")] * 3'
check "json: action names the link and its absolute target" \
    json_assert "$OUT" 'any(a["link"] in ("songs/mp3s/Deep Cut.mp3", os.environ["SITE"] + "/songs/mp3s/Deep Cut.mp3") and a["target"] == os.environ["MEDIA"] + "/a/b/c/d/e/Deep Cut.mp3" for a in d["actions"])'
check "json: unicode names survive" \
    json_assert "$OUT" 'any(a["link"].endswith("/" + os.environ["DLB"]) for a in d["actions"])'
check "json: no problems" json_assert "$OUT" 'd["problems"] == []'
check "json run made the links too" \
    assert_link "$M/$DLB" "$MEDIA/x/$DLB"

run_rl -C "$SITE" --format json sync
check "json: second run counts 7 unchanged and no action" \
    json_assert "$OUT" 'd["actions"] == [] and d["summary"]["unchanged"] == 7 and d["summary"]["created"] == 0'

finish
