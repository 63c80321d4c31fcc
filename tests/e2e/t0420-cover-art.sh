#!/usr/bin/env bash
# t0420-cover-art: the shipped Ruby plug-in hook/plugins/cover-art, copied
# into a site and run by a real sync.  For each render a page references
# (string or list, in every set with a key, or options.sets), the first of
# cover.jpg, cover.png, folder.jpg beside it (that order, case-sensitive)
# is linked into the image set options.into; one cover per folder however
# many renders or pages use it; none when there is none.  Two different
# covers with one name: the first page (path order) gets it, the others a
# name-taken warning, and the run does not fail; options.names with a
# pattern links one per song.  Only covers the image set's extensions
# allow; covers are referenced relative to into's media root (a root
# above works, one beside warns outside-source).  Its data lists each
# page's covers.  Each render folder is listed once and nothing on the
# media is stat'ed (strace).  No media root: nothing asked, links and
# data kept, a warning.  Bad options and input: exit 2, nothing changed.
. "$(dirname "$0")/../lib.sh"

command -v ruby >/dev/null 2>&1 || skip_all "ruby not installed"
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
PLUG=$TOP/hook/plugins/cover-art
export NO_COLOR=1

check "the plug-in is an executable Ruby script" \
    assert_eq "#!/usr/bin/env ruby" "$(test -x "$PLUG" && head -n 1 "$PLUG")"

A=a/outputs/mp3s
mk_media "$MEDIA" "$A/A take 1.mp3" "$A/A take 2.mp3" "$A/cover.jpg" \
    "$A/cover.png" "$A/folder.jpg" \
    b/B.mp3 b/cover.png b/folder.jpg \
    c/C.mp3 c/Cover.jpg c/folder.JPG c/folder.jpg \
    d/D.mp3 d/notes.txt \
    e/E.wav e/cover.jpg \
    "f/F.mp3" "f/F cover.jpg" "g/G.mp3" "g/G cover.jpg" \
    root.mp3

# config [OPTIONS-YAML] [COVERS-SOURCE] [COVERS-EXTENSIONS]: mp3s and
# stems (pages reference them) and covers (no key: only the plug-in
# feeds it); the plug-in copied into the site and run from there.
config() {
	local opts=${1:-'{into: covers}'}
	mk_config "$SITE" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3" \
	    "stems|stems|$MEDIA|songs/stems|wav"
	cat >>"$SITE/_config.yml" <<-EOF
	    - name: covers
	      source: '${2:-$MEDIA}'
	      target: songs/covers
	      extensions: [${3:-jpg, png}]
	  plugins:
	    - name: cover-art
	      run: [_renderlink/cover-art]
	      sets: [covers]
	      options: $opts
	collections: [songs]
	EOF
}
mkdir -p "$SITE/_renderlink" "$SITE/_songs"
cp "$PLUG" "$SITE/_renderlink/cover-art"
config
page() {	# page NAME FRONT-MATTER-LINES
	printf -- '---\ntitle: %s\n%s\n---\nText.\n' "$1" "$2" \
	    >"$SITE/_songs/$1.md"
}
page a "mp3s: [\"$A/A take 1.mp3\", \"$A/A take 2.mp3\"]"
page a2 "mp3s: \"$A/A take 2.mp3\""
page b "mp3s: b/B.mp3"
page c "mp3s: [c/C.mp3]"
page d "mp3s: d/D.mp3"
page root "mp3s: root.mp3"

C=$SITE/songs/covers
D=$SITE/_data/renderlink/cover-art.json
run_rl -C "$SITE" sync
check "sync with the plug-in exits 0" assert_rc 0
check "no problems" assert_stderr_empty
check "cover.jpg beside the renders, before cover.png and folder.jpg" \
    assert_link "$C/cover.jpg" "$MEDIA/$A/cover.jpg"
check "no cover.jpg: cover.png" assert_link "$C/cover.png" "$MEDIA/b/cover.png"
check "case-sensitive: Cover.jpg and folder.JPG are not it, folder.jpg is" \
    assert_link "$C/folder.jpg" "$MEDIA/c/folder.jpg"
check "exactly these 3 covers (none for d, none for the root)" \
    assert_entries 3 "$C"
check "the renders themselves are linked by the media plug-in" \
    assert_link "$SITE/songs/mp3s/B.mp3" "$MEDIA/b/B.mp3"
check "data: each page's covers, per render, with the link's site path" \
    json_assert "$D" "d['_songs/a.md'] == [{'set': 'mp3s', 'render': '$A/A take 1.mp3', 'cover': '$A/cover.jpg', 'file': 'cover.jpg', 'link': 'songs/covers/cover.jpg'}, {'set': 'mp3s', 'render': '$A/A take 2.mp3', 'cover': '$A/cover.jpg', 'file': 'cover.jpg', 'link': 'songs/covers/cover.jpg'}]"
check "data: a second page with the same cover has it too" \
    json_assert "$D" "[e['cover'] for e in d['_songs/a2.md']] == ['$A/cover.jpg']"
check "data: only pages with a cover" \
    json_assert "$D" "sorted(d) == ['_songs/a.md', '_songs/a2.md', '_songs/b.md', '_songs/c.md']"

snapshot "$SITE" "$TMP/snap.same"
run_rl -C "$SITE" sync
check "a second sync writes nothing" assert_snapshot "$SITE" "$TMP/snap.same"
run_rl -C "$SITE" sync -n
check "a dry run writes nothing" assert_snapshot "$SITE" "$TMP/snap.same"

# One folder listed once, and no stat of anything on the media.
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -o "$TMP/strace" \
	    "$RL" -C "$SITE" sync -n >/dev/null 2>&1
	# Only the plug-in's own calls: those of the process that ran it.
	pid=$(grep -F "execve(\"$SITE/_renderlink/cover-art\"" "$TMP/strace" |
	    awk '{print $1}' | head -n 1)
	grep "^${pid:-none} " "$TMP/strace" | grep -F "$MEDIA" >"$TMP/calls"
	check "strace: found the plug-in's calls" test -n "$pid"
	check "strace: the plug-in stats nothing on the media, only opens" \
	    assert_no_grep "$TMP/calls" '^[0-9]+ +[a-z0-9_]*(stat|access|readlink|xattr)[a-z0-9_]*\('
	check "strace: it opens $A once (two renders, two pages)" \
	    assert_count 1 "$TMP/calls" "openat\\(.*\"$MEDIA/$A\""
	check "strace: and b, c, d and the root once each" \
	    assert_count 5 "$TMP/calls" 'openat\('
else
	echo "# skip strace checks: strace not installed"
fi

# --- two covers with one name -------------------------------------------------
page e "stems: e/E.wav"
run_rl -C "$SITE" sync
check "a second, different cover.jpg: exit 0 (a warning, not an error)" \
    assert_rc 0
check "... name-taken for the later page" \
    assert_problem warning _songs/e.md cover-art/name-taken
check "... the first page keeps the name" \
    assert_link "$C/cover.jpg" "$MEDIA/$A/cover.jpg"
check "... no duplicate-name from renderlink" \
    assert_no_grep "$ERR" 'duplicate-name'
check "... no data entry for the page without its cover" \
    json_assert "$D" "'_songs/e.md' not in d"
config "{into: covers, sets: [mp3s]}"
run_rl -C "$SITE" sync
check "options.sets: [mp3s]: the stems' cover is not looked for" \
    assert_stderr_empty

# options.names with a pattern: each song's own cover.
page f "mp3s: f/F.mp3"
page g "mp3s: g/G.mp3"
config "{into: covers, names: ['* cover.jpg', cover.jpg]}"
run_rl -C "$SITE" sync
check "options.names '* cover.jpg': F's cover" \
    assert_link "$C/F cover.jpg" "$MEDIA/f/F cover.jpg"
check "... and G's, no clash" assert_link "$C/G cover.jpg" "$MEDIA/g/G cover.jpg"
check "... then cover.jpg, and nothing but these names" \
    eval 'assert_link "$C/cover.jpg" "$MEDIA/$A/cover.jpg" && assert_entries 3 "$C"'
check "... the ones no longer asked for are removed" \
    assert_no_entry "$C/cover.png"
rm -f "$SITE/_songs/e.md" "$SITE/_songs/f.md" "$SITE/_songs/g.md"

# --- the image set: its extensions, its media root ---------------------------
config "" "" "jpg"
run_rl -C "$SITE" sync
check "image set takes only .jpg: b gets folder.jpg, not cover.png" \
    assert_link "$C/folder.jpg" "$MEDIA/b/folder.jpg"
check "... (and c's folder.jpg now clashes with it: name-taken)" \
    assert_problem warning _songs/c.md cover-art/name-taken
check "... exit 0" assert_rc 0
config "" "$TMP"
run_rl -C "$SITE" sync
check "image set rooted above the media: exit 0" assert_rc 0
check "... the cover is referenced from that root" \
    assert_link "$C/cover.jpg" "$TMP/media/$A/cover.jpg"
mkdir -p "$TMP/elsewhere"
config "" "$TMP/elsewhere"
run_rl -C "$SITE" sync
check "image set rooted beside the media: outside-source warning" \
    assert_problem warning "" cover-art/outside-source
check "... and no cover" assert_entries 0 "$C"
config

# --- what pages get wrong is the media plug-in's to report -------------------
run_rl -C "$SITE" sync
page bad "mp3s: [../../etc/x.mp3, gone/G.mp3, d/D.mp3]"
run_rl -C "$SITE" sync
check "bad and missing references: the media plug-in reports them" \
    eval 'assert_problem error _songs/bad.md invalid-reference && assert_problem error _songs/bad.md missing-source'
check "... cover-art says nothing about them" assert_no_grep "$ERR" 'cover-art'
check "... and the run is not refused (exit 1, links made)" \
    eval 'assert_rc 1 && assert_link "$C/cover.jpg" "$MEDIA/$A/cover.jpg"'
rm -f "$SITE/_songs/bad.md"

# --- bad options: the plug-in fails, the run changes nothing -----------------
# ({into: mp3s}: mp3s exists but is not in the plug-in's sets; the plug-in
# can only tell when renderlink says which sets it may feed.)
for o in "{}" "{into: nope}" "{into: covers, sets: [covers]}" \
    "{into: covers, names: [a/b.jpg]}" "{into: covers, colour: red}" \
    "{into: mp3s}"; do
	config "$o"
	snapshot "$SITE" "$TMP/snap.cfg"
	run_rl -C "$SITE" sync
	check "options $o: exit 2, the plug-in says why, nothing changed" \
	    eval 'assert_rc 2 && assert_grep "$ERR" "^cover-art: options" && assert_snapshot "$SITE" "$TMP/snap.cfg"'
done
config

# --- the media root is not there (CI) ------------------------------------------
run_rl -C "$SITE" sync
cp "$D" "$TMP/data.before"
mv "$MEDIA" "$TMP/media.away"
run_rl -C "$SITE" sync --dry-run
check "no media root, dry run: exit 0 and a source-unavailable warning" \
    eval 'assert_rc 0 && assert_problem warning "" cover-art/source-unavailable'
run_rl -C "$SITE" sync
check "no media root: the cover links are kept" \
    assert_link "$C/cover.jpg" "$MEDIA/$A/cover.jpg"
check "... and the data is kept as it was" \
    assert_same_file "$TMP/data.before" "$D"
mv "$TMP/media.away" "$MEDIA"

# --- the plug-in on its own: stdout is one JSON answer, bad input fails ------
RC=0
printf '%s' '{"protocol": 1, "plugin": {"options": {"into": "c"}},
  "sets": [{"name": "c", "key": null, "source": "'"$MEDIA"'", "target": "t",
            "extensions": ["png"], "available": true},
           {"name": "m", "key": "m", "source": "'"$MEDIA"'", "target": "u",
            "extensions": ["mp3"], "available": true}, 3],
  "documents": [{"path": "p.md", "front_matter": {"m": ["b/B.mp3", 7]}},
                "x", {"path": "q.md", "front_matter": []}]}' |
    (cd "$SITE" && "$PLUG" >"$OUT" 2>"$ERR") || RC=$?
check "run by hand: exit 0 (odd entries skipped)" assert_rc 0
check "... stdout is exactly one JSON object with the link" \
    json_assert "$OUT" "d['protocol'] == 1 and d['links'] == [{'set': 'c', 'ref': 'b/cover.png', 'page': 'p.md'}] and d['problems'] == []"
for bad in '' 'garbage' '"x"' '{"protocol": "1"}'; do
	RC=0
	printf '%s' "$bad" | (cd "$SITE" && "$PLUG" >"$OUT" 2>"$ERR") || RC=$?
	check "input '$bad': exit 2, nothing on stdout, a reason on stderr" \
	    eval 'assert_rc 2 && assert_stdout_empty && test -s "$ERR"'
done

finish
