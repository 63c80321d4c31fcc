#!/usr/bin/env bash
# t0150-index: renderlink builds the front matter index from the pages.
# `renderlink index` writes _data/front_matter.json (pages and collection
# documents, sorted) and, run again, writes nothing at all; `index
# --check` tells a stale index from a current one without writing;
# a page with broken YAML is an error at PAGE:LINE:COL and keeps its last
# good entry; `sync` refreshes the index first and links by the fresh
# references in the same run (not with --no-index; -n plans with them
# but writes nothing); an index renderlink did not write is used as it is
# and never overwritten.
. "$(dirname "$0")/../lib.sh"

IDX=$SITE/_data/front_matter.json
M=$SITE/songs/mp3s

# page PATH TITLE [MP3...]: a page whose front matter lists its mp3s.
page() {
	local path=$SITE/$1 title=$2 refs= r
	shift 2
	for r in "$@"; do
		refs="$refs${refs:+, }'$r'"
	done
	mkdir -p "$(dirname -- "$path")"
	printf -- '---\ntitle: %s\nmp3s: [%s]\n---\nbody\n' "$title" \
	    "$refs" >"$path"
}

# json_doc PAGE: the page's entry in the index, one line, for comparing.
json_doc() {
	python3 - "$IDX" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(json.dumps([x for x in d["documents"] if x["path"] == sys.argv[2]],
                 sort_keys=True))
EOF
}

mk_media "$MEDIA" A.mp3 B.mp3 C.mp3 D.mp3
mk_config "$SITE" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3"
echo "collections: [songs]" >>"$SITE/_config.yml"
echo "exclude: [drafts/]" >>"$SITE/_config.yml"
page _songs/a.md "Song A" A.mp3 B.mp3
page _songs/b.md "Song B" C.mp3
printf -- '---\ntitle: Home\n---\nHello.\n' >"$SITE/index.md"
mkdir -p "$SITE/assets" "$SITE/drafts"
printf 'body { color: red }\n' >"$SITE/assets/style.css"
page drafts/wip.md "Not read by Jekyll" D.mp3

# --- renderlink index --------------------------------------------------------

run_rl -C "$SITE" index
check "index: exit 0" assert_rc 0
check "index: says it wrote the index" \
    assert_grep "$OUT" '^wrote _data/front_matter\.json'
check "index: nothing on stderr" assert_stderr_empty
check "index: renderlink's own, version 1" json_assert "$IDX" \
    'd["generator"] == "renderlink" and d["version"] == 1'
check "index: pages and collection documents, sorted by path" \
    json_assert "$IDX" \
    '[x["path"] for x in d["documents"]] == ["_songs/a.md", "_songs/b.md", "index.md"]'
check "index: front matter and collection of each" json_assert "$IDX" '(
d["documents"][0] == {"path": "_songs/a.md", "collection": "songs",
    "front_matter": {"title": "Song A", "mp3s": ["A.mp3", "B.mp3"]},
    "draft": False, "published": True, "date": None} and
d["documents"][2] == {"path": "index.md", "collection": None,
    "front_matter": {"title": "Home"},
    "draft": False, "published": True, "date": None})'
check "index: sorted keys, two-space indent" python3 -c '
import json, sys
t = open(sys.argv[1], encoding="utf-8").read()
sys.exit(t != json.dumps(json.loads(t), indent=2, sort_keys=True) + "\n")' \
    "$IDX"
check "index: made no links" assert_no_entry "$SITE/songs"

snapshot "$SITE" "$TMP/s1"
run_rl -C "$SITE" index
check "index again: exit 0" assert_rc 0
check "index again: prints nothing" assert_stdout_empty
check "index again: nothing on stderr" assert_stderr_empty
check "index again: wrote nothing (snapshot)" assert_snapshot "$SITE" "$TMP/s1"
run_rl -C "$SITE" -v index
check "-v index again: says unchanged, read nothing" \
    assert_grep "$OUT" '^unchanged _data/front_matter\.json: 3 pages \(0 read'
check "-v index again: wrote nothing" assert_snapshot "$SITE" "$TMP/s1"

# --- index --check -----------------------------------------------------------

run_rl -C "$SITE" index --check
check "--check, current: exit 0" assert_rc 0
check "--check, current: prints nothing" assert_stdout_empty
check "--check, current: nothing on stderr" assert_stderr_empty
check "--check, current: wrote nothing" assert_snapshot "$SITE" "$TMP/s1"

cp -p "$IDX" "$TMP/idx.1"
page _songs/b.md "Song B" D.mp3
snapshot "$SITE" "$TMP/s2"
run_rl -C "$SITE" index --check
check "--check, page edited: exit 1" assert_rc 1
check "--check, page edited: stale-index error" \
    assert_problem error "" stale-index
check "--check, page edited: names the page" \
    assert_grep "$ERR" 'changed _songs/b\.md'
check "--check, page edited: wrote nothing" assert_snapshot "$SITE" "$TMP/s2"

# --check reads the pages themselves: an edit that keeps size, inode and
# mtime (what the cache compares) is still seen.
run_rl -C "$SITE" index
check "setup: index after the edit exits 0" assert_rc 0
check "index after the edit: wrote it" assert_grep "$OUT" '^wrote '
cp -p "$SITE/_songs/b.md" "$TMP/b.ref"
page _songs/b.md "Song B" C.mp3
touch -r "$TMP/b.ref" "$SITE/_songs/b.md"
run_rl -C "$SITE" index --check
check "--check, edit hidden from the cache: exit 1" assert_rc 1
check "--check, edit hidden from the cache: stale-index" \
    assert_problem error "" stale-index
run_rl -C "$SITE" index --no-cache
check "index --no-cache: exit 0" assert_rc 0
check "index --no-cache: reads the page again" \
    json_assert "$IDX" 'd["documents"][1]["front_matter"]["mp3s"] == ["C.mp3"]'
check "index --no-cache: back to the first index" \
    assert_same_file "$TMP/idx.1" "$IDX"

run_rl -C "$SITE" index --check
check "--check after index: exit 0" assert_rc 0

# --- broken front matter -----------------------------------------------------

json_doc _songs/b.md >"$TMP/b.good"
printf -- '---\ntitle: Song B\nmp3s: a: b\n---\nbody\n' >"$SITE/_songs/b.md"
run_rl -C "$SITE" index
check "broken YAML: exit 1" assert_rc 1
check "broken YAML: error at PAGE:LINE:COL" \
    assert_grep "$ERR" '^error: _songs/b\.md:3:8: .*\(front-matter\)$'
check "broken YAML: the page keeps its last entry" \
    assert_same_file "$TMP/b.good" <(json_doc _songs/b.md)
check "broken YAML: the index is otherwise unchanged" \
    assert_same_file "$TMP/idx.1" "$IDX"
run_rl -C "$SITE" index
check "broken YAML, again: still exit 1 (the page is read again)" \
    assert_rc 1
check "broken YAML, again: still reported" \
    assert_grep "$ERR" '^error: _songs/b\.md:3:8: '
run_rl -C "$SITE" index --check
check "broken YAML, --check: exit 1" assert_rc 1
check "broken YAML, --check: the page's error" \
    assert_grep "$ERR" '^error: _songs/b\.md:3:8: '
check "broken YAML, --check: the kept entry is not stale" \
    assert_no_grep "$ERR" 'stale-index'

printf -- '---\ntitle: New\nmp3s: [unclosed\n---\n' >"$SITE/new.md"
run_rl -C "$SITE" index
check "new broken page: exit 1" assert_rc 1
check "new broken page: its error" assert_grep "$ERR" '^error: new\.md:[0-9]+:[0-9]+: '
check "new broken page: left out of the index" \
    json_assert "$IDX" '"new.md" not in [x["path"] for x in d["documents"]]'
rm -f "$SITE/new.md"
page _songs/b.md "Song B" C.mp3
run_rl -C "$SITE" index
check "mended: exit 0" assert_rc 0
check "mended: nothing on stderr" assert_stderr_empty

# --- sync refreshes the index ------------------------------------------------

run_rl -C "$SITE" sync
check "sync: exit 0" assert_rc 0
check "sync: links A" assert_link "$M/A.mp3" "$MEDIA/A.mp3"
check "sync: links B" assert_link "$M/B.mp3" "$MEDIA/B.mp3"
check "sync: links C" assert_link "$M/C.mp3" "$MEDIA/C.mp3"
check "sync: not D (its page is excluded)" assert_no_entry "$M/D.mp3"

page _songs/a.md "Song A" A.mp3
page blog.md "Blog" D.mp3
run_rl -C "$SITE" sync
check "sync after edits: exit 0" assert_rc 0
check "sync after edits: B removed, D created in the same run" \
    assert_stdout "\
create songs/mp3s/D.mp3 -> $MEDIA/D.mp3
remove songs/mp3s/B.mp3"
check "sync after edits: B gone" assert_no_entry "$M/B.mp3"
check "sync after edits: D linked" assert_link "$M/D.mp3" "$MEDIA/D.mp3"
check "sync after edits: index refreshed" json_assert "$IDX" '
[x["front_matter"]["mp3s"] for x in d["documents"]
    if x["path"] in ("_songs/a.md", "blog.md")] == [["A.mp3"], ["D.mp3"]]'
run_rl -C "$SITE" index --check
check "sync after edits: index is current" assert_rc 0

snapshot "$SITE" "$TMP/s3"
run_rl -C "$SITE" sync
check "sync, nothing changed: exit 0, silent" assert_stdout_empty
check "sync, nothing changed: wrote nothing" assert_snapshot "$SITE" "$TMP/s3"

# --no-index: the index as it is
page _songs/a.md "Song A"
snapshot "$SITE" "$TMP/s4"
run_rl -C "$SITE" sync --no-index
check "sync --no-index: exit 0" assert_rc 0
check "sync --no-index: ignores the page edit" assert_stdout_empty
check "sync --no-index: A still linked" assert_link "$M/A.mp3" "$MEDIA/A.mp3"
check "sync --no-index: wrote nothing" assert_snapshot "$SITE" "$TMP/s4"

# -n: plans with the fresh references, writes nothing (not the index)
run_rl -C "$SITE" sync -n
check "sync -n: exit 0" assert_rc 0
check "sync -n: plans from the edited page" \
    assert_stdout "would remove songs/mp3s/A.mp3"
check "sync -n: wrote nothing, not even the index" \
    assert_snapshot "$SITE" "$TMP/s4"
run_rl -C "$SITE" sync
check "sync after -n: does what -n said" assert_stdout "remove songs/mp3s/A.mp3"
check "sync after -n: A gone" assert_no_entry "$M/A.mp3"
check "sync after -n: index refreshed" \
    json_assert "$IDX" 'd["documents"][0]["front_matter"]["mp3s"] == []'

# a broken page in a sync: the error, and its last good references stand
cp "$IDX" "$TMP/idx.2"
printf -- '---\ntitle: Song B\nmp3s: a: b\n---\n' >"$SITE/_songs/b.md"
run_rl -C "$SITE" sync
check "sync, broken page: exit 1" assert_rc 1
check "sync, broken page: error at PAGE:LINE:COL" \
    assert_grep "$ERR" '^error: _songs/b\.md:3:8: .*\(front-matter\)$'
check "sync, broken page: its link is kept" assert_link "$M/C.mp3" "$MEDIA/C.mp3"
check "sync, broken page: nothing removed" assert_stdout_empty
check "sync, broken page: index unchanged" assert_same_file "$TMP/idx.2" "$IDX"
page _songs/b.md "Song B" C.mp3

# --- a config change that makes a page a collection document -----------------
# The file itself does not change, so its cached facts match; the index
# must still follow the config, as a full read (--check) does.
S2=$TMP/site2
mk_config "$S2" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3"
echo "include: [_songs]" >>"$S2/_config.yml"
mkdir -p "$S2/_songs"
printf -- '---\ntitle: One\nmp3s: [A.mp3]\n---\n' >"$S2/_songs/one.md"
# (a fresh site, no index yet)
snapshot "$S2" "$TMP/s6"
run_rl -C "$S2" index --check
check "no index yet, --check: exit 1" assert_rc 1
check "no index yet, --check: names the new page" \
    assert_grep "$ERR" 'new _songs/one\.md.*\(stale-index\)'
check "no index yet, --check: wrote nothing" assert_snapshot "$S2" "$TMP/s6"
run_rl -C "$S2" sync
check "no index yet, sync: exit 0" assert_rc 0
check "no index yet, sync: links from the pages" \
    assert_link "$S2/songs/mp3s/A.mp3" "$MEDIA/A.mp3"
check "included _songs: a page (collection null)" json_assert \
    "$S2/_data/front_matter.json" \
    'd["documents"][0]["collection"] is None'
echo "collections: [songs]" >>"$S2/_config.yml"
run_rl -C "$S2" index
check "declared a collection: index exits 0" assert_rc 0
check "declared a collection: the document is a songs document" \
    json_assert "$S2/_data/front_matter.json" \
    'd["documents"][0]["collection"] == "songs"'
run_rl -C "$S2" index --check
check "declared a collection: index --check agrees (exit 0)" assert_rc 0

# An index reformatted by some other tool (a JSON formatter in a
# pre-commit hook) says the same: --check fails, since the file is not
# what `renderlink index` writes, and must say so rather than list no page.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
json.dump(d, open(sys.argv[1], "w"), indent=4)' "$S2/_data/front_matter.json"
run_rl -C "$S2" index --check
check "reformatted index, --check: exit 1" assert_rc 1
check "reformatted index, --check: stale-index" \
    assert_problem error "" stale-index
check "reformatted index, --check: the message gives a reason, not '()'" \
    assert_no_grep "$ERR" '\(\)'
run_rl -C "$S2" index
check "reformatted index, index: rewritten as renderlink writes it" \
    assert_grep "$OUT" '^wrote '
run_rl -C "$S2" index --check
check "reformatted index, after index: --check exit 0" assert_rc 0

# --- an index renderlink did not write ----------------------------------------

mk_refs "$SITE" _songs/a.md mp3s B.mp3 _songs/b.md mp3s C.mp3
cp -p "$IDX" "$TMP/foreign"
stat -c '%i %Y %y' "$IDX" >"$TMP/foreign.stat"
run_rl -C "$SITE" sync
check "foreign index, sync: exit 0" assert_rc 0
check "foreign index, sync: links what it says (B), not the pages (D)" \
    assert_stdout "\
create songs/mp3s/B.mp3 -> $MEDIA/B.mp3
remove songs/mp3s/D.mp3"
check "foreign index, sync: left as it is" assert_same_file "$TMP/foreign" "$IDX"
check "foreign index, sync: not even rewritten" \
    assert_eq "$(cat "$TMP/foreign.stat")" "$(stat -c '%i %Y %y' "$IDX")"

snapshot "$SITE" "$TMP/s5"
run_rl -C "$SITE" index
check "foreign index, index: exit 2" assert_rc 2
check "foreign index, index: says why" \
    assert_grep "$ERR" 'not written by renderlink'
check "foreign index, index: nothing written" assert_snapshot "$SITE" "$TMP/s5"
run_rl -C "$SITE" index --check
check "foreign index, --check: exit 2" assert_rc 2
check "foreign index, --check: nothing written" \
    assert_snapshot "$SITE" "$TMP/s5"

finish
