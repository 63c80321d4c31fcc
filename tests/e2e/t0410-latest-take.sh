#!/usr/bin/env bash
# t0410-latest-take: the shipped Ruby plug-in hook/plugins/latest-take,
# copied into a site and run by a real sync.  A page's `latest: {SET:
# FOLDER}` links the newest render in that folder: later date in the name
# first, then higher take, then (names tied) newer mtime; only the set's
# extensions, any case, no hidden files.  A new take replaces the link on
# the next sync (not in a dry run).  Its data file says what it chose
# (take, date, link).  No render there: no-take; a folder that is not a
# string or climbs out: bad-folder; a set it may not feed: bad-set; a map
# that is not one: bad-entry; a name renderlink cannot link: skipped with
# bad-name.  The front matter key comes from options.key.  A media root
# that is not there: no link asked, the last choice kept in the data, a
# source-unavailable warning.  Bad options and bad input: exit 2, nothing
# changed; on stdout only the one JSON answer.
. "$(dirname "$0")/../lib.sh"

command -v ruby >/dev/null 2>&1 || skip_all "ruby not installed"
TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
PLUG=$TOP/hook/plugins/latest-take
export NO_COLOR=1

check "the plug-in is an executable Ruby script" \
    assert_eq "#!/usr/bin/env ruby" "$(test -x "$PLUG" && head -n 1 "$PLUG")"

O=oyo/outputs/mp3s
T5="One Year Older (136 bpm, take 5; 2024-11-15).mp3"
T6="One Year Older (136 bpm, take 6; 2024-11-16).mp3"
T7="One Year Older (136 bpm, landscape, long, lyrics, take 7; 2024-11-20).mp3"
T8="One Year Older (136 bpm, take 8; 2024-11-21).mp3"
mk_media "$MEDIA" "$O/$T5" "$O/$T6" "$O/$T7" \
    "$O/One Year Older (take 9; 2024-11-20).wav" \
    "$O/.One Year Older (take 10; 2025-01-01).mp3" \
    "$O/One Year Older (take 11; 2024-12-01) a:b.mp3" \
    "bdate/B (take 9; 2024-01-01).mp3" "bdate/B (take 2; 2024-03-01).mp3" \
    "ctake/C (take 3; 2024-05-05).mp3" "ctake/C (Take 12; 2024-05-05).MP3" \
    "mtime/old.mp3" "mtime/newest.mp3" "mtime/middle.mp3" \
    "names/x (take 2).mp3" "names/x (take 1).mp3" \
    "onlywav/a (take 1).wav" "stems/s (take 1).wav" "k/k (take 4).mp3"
mkdir -p "$MEDIA/empty"
# Newer still, but not UTF-8: no reference can name it.
printf 'x\n' >"$MEDIA/$O/$(printf 'One Year Older (take 12; 2024-12-02) \377.mp3')"
touch -d @1500000000 "$MEDIA/mtime/old.mp3" "$MEDIA/names/x (take 1).mp3"
touch -d @1700000000 "$MEDIA/mtime/newest.mp3"
touch -d @1600000000 "$MEDIA/mtime/middle.mp3" "$MEDIA/names/x (take 2).mp3"

# config [OPTIONS-YAML]: the site's config, the plug-in copied into the
# site and run from there (site-relative), as the README says.
config() {
	mk_config "$SITE" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3" \
	    "stems|stems|$MEDIA|songs/stems|wav"
	cat >>"$SITE/_config.yml" <<-EOF
	  plugins:
	    - name: latest-take
	      run: [_renderlink/latest-take]
	      sets: [mp3s]
	      ${1:+options: $1}
	collections: [songs]
	EOF
}
mkdir -p "$SITE/_renderlink" "$SITE/_songs"
cp "$PLUG" "$SITE/_renderlink/latest-take"
config
page() {	# page NAME FRONT-MATTER-LINES
	printf -- '---\ntitle: %s\n%s\n---\nText.\n' "$1" "$2" \
	    >"$SITE/_songs/$1.md"
}
page oyo "latest: {mp3s: $O}"
page bdate "latest: {mp3s: bdate/}"
page ctake "latest:
  mp3s: ctake"
page mtime "latest: {mp3s: mtime}"
page names "latest: {mp3s: names}"
page plain "mp3s: [\"$O/$T5\"]"

M=$SITE/songs/mp3s
D=$SITE/_data/renderlink/latest-take.json
run_rl -C "$SITE" sync
check "sync with the plug-in exits 0" assert_rc 0
check "newest by the date in the name, take 7 (not 5, 6, the .wav, the hidden one)" \
    assert_link "$M/$T7" "$MEDIA/$O/$T7"
check "... only that one of the folder is linked" \
    assert_no_entry "$M/$T6"
check "a later date beats a higher take" \
    assert_link "$M/B (take 2; 2024-03-01).mp3" \
    "$MEDIA/bdate/B (take 2; 2024-03-01).mp3"
check "same date: the higher take wins; 'Take', .MP3 in any case" \
    assert_link "$M/C (Take 12; 2024-05-05).MP3" \
    "$MEDIA/ctake/C (Take 12; 2024-05-05).MP3"
check "no date nor take in the names: the newest mtime wins" \
    assert_link "$M/newest.mp3" "$MEDIA/mtime/newest.mp3"
check "the take in the name beats the mtime" \
    assert_link "$M/x (take 2).mp3" "$MEDIA/names/x (take 2).mp3"
check "the built-in media plug-in still links the page's own refs" \
    assert_link "$M/$T5" "$MEDIA/$O/$T5"
check "exactly these 6 links" assert_entries 6 "$M"
check "names renderlink cannot link (':', not UTF-8) are skipped, with a warning" \
    eval 'assert_problem warning _songs/oyo.md latest-take/bad-name && assert_grep "$ERR" "skipped 2 renders .*\\\\xff"'
check "... and no error" assert_no_problem error
check "data: take, date, file, ref and link of the choice" \
    json_assert "$D" "d['_songs/oyo.md'] == {'mp3s': {'file': '$T7', 'ref': '$O/$T7', 'link': 'songs/mp3s/$T7', 'take': 7, 'date': '2024-11-20'}}"
check "data: take and date null when the name has none" \
    json_assert "$D" "d['_songs/mtime.md']['mp3s']['take'] is None and d['_songs/mtime.md']['mp3s']['date'] is None and d['_songs/mtime.md']['mp3s']['file'] == 'newest.mp3'"
check "data: one entry per page with a latest: entry" \
    json_assert "$D" "sorted(d) == ['_songs/bdate.md', '_songs/ctake.md', '_songs/mtime.md', '_songs/names.md', '_songs/oyo.md']"

# Each folder listed once; a stat (on the slow Windows drive) only where
# the names tie.
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -o "$TMP/strace" "$RL" -C "$SITE" sync -n >/dev/null 2>&1
	pid=$(grep -F "execve(\"$SITE/_renderlink/latest-take\"" "$TMP/strace" |
	    awk '{print $1}' | head -n 1)
	grep "^${pid:-none} " "$TMP/strace" | grep -F "$MEDIA/" >"$TMP/calls"
	STAT='^[0-9]+ +[a-z0-9_]*(stat|access|readlink|xattr)[a-z0-9_]*\('
	check "strace: found the plug-in's calls" test -n "$pid"
	check "strace: names decide: no stat in $O, bdate, ctake, names" \
	    assert_no_grep "$TMP/calls" "$STAT.*/(oyo|bdate|ctake|names)/"
	check "strace: names tie: the 3 files in mtime/ are stat'ed" \
	    assert_count 3 "$TMP/calls" "$STAT.*/mtime/"
	check "strace: each of the 5 folders is opened once" \
	    assert_count 5 "$TMP/calls" '^[0-9]+ +openat\('
else
	echo "# skip strace checks: strace not installed"
fi

snapshot "$SITE" "$TMP/snap.same"
run_rl -C "$SITE" sync
check "a second sync writes nothing (links and data the same)" \
    assert_snapshot "$SITE" "$TMP/snap.same"

# --- a new take appears -----------------------------------------------------
mk_media "$MEDIA" "$O/$T8"
run_rl -C "$SITE" sync -n
check "dry run: says it would link take 8 ..." \
    grep -Fq "would create songs/mp3s/$T8 -> $MEDIA/$O/$T8" "$OUT"
check "... and remove take 7" grep -Fxq "would remove songs/mp3s/$T7" "$OUT"
check "dry run: changes nothing (data included)" \
    assert_snapshot "$SITE" "$TMP/snap.same"
run_rl -C "$SITE" sync
check "sync after a new take exits 0" assert_rc 0
check "the new take is linked" assert_link "$M/$T8" "$MEDIA/$O/$T8"
check "the old take's link is gone" assert_no_entry "$M/$T7"
check "data follows: take 8, 21 Nov" \
    json_assert "$D" "d['_songs/oyo.md']['mp3s']['take'] == 8 and d['_songs/oyo.md']['mp3s']['date'] == '2024-11-21'"

# --- what pages get wrong ---------------------------------------------------
page missing "latest: {mp3s: oyo/outputs/nothing-here}"
page empty "latest: {mp3s: empty}"
page onlywav "latest: {mp3s: onlywav}"
page climb "latest: {mp3s: ../../etc}"
page absolute "latest: {mp3s: /etc}"
page number "latest: {mp3s: 42}"
page list "latest: {mp3s: [a, b]}"
page nosuchset "latest: {flacs: k}"
page notmap "latest: k"
snapshot "$SITE/songs" "$TMP/snap.links"
run_rl -C "$SITE" sync
check "bad pages: sync exits 1 (errors), not 2 (the plug-in is fine)" \
    assert_rc 1
check "folder not there: no-take naming the page" \
    assert_problem error _songs/missing.md latest-take/no-take
check "empty folder: no-take" \
    assert_problem error _songs/empty.md latest-take/no-take
check "folder without a render of the set's extensions: no-take" \
    assert_problem error _songs/onlywav.md latest-take/no-take
check "folder with ..: bad-folder" \
    assert_problem error _songs/climb.md latest-take/bad-folder
check "absolute folder: bad-folder" \
    assert_problem error _songs/absolute.md latest-take/bad-folder
check "folder that is a number: bad-folder" \
    assert_problem error _songs/number.md latest-take/bad-folder
check "folder that is a list: bad-folder" \
    assert_problem error _songs/list.md latest-take/bad-folder
check "a set that does not exist: bad-set" \
    assert_problem error _songs/nosuchset.md latest-take/bad-set
check "latest: that is not a map: bad-entry" \
    assert_problem error _songs/notmap.md latest-take/bad-entry
check "... and none of them links anything (the good links stay)" \
    assert_snapshot "$SITE/songs" "$TMP/snap.links"
rm -f "$SITE"/_songs/{missing,empty,onlywav,climb,absolute,number,list,nosuchset,notmap}.md

# A set that exists but is not in the plug-in's `sets`: the page's fault,
# not the plug-in's, so a problem for the page and the run goes on.  (The
# plug-in can only tell when renderlink says which sets it may feed.)
page notgiven "latest: {stems: stems}"
run_rl -C "$SITE" sync
check "a set not in the plug-in's sets: bad-set for the page" \
    assert_problem error _songs/notgiven.md latest-take/bad-set
check "... and no link into that set" assert_no_entry "$SITE/songs/stems"
check "... and the run still links the rest" assert_link "$M/$T8" "$MEDIA/$O/$T8"
rm -f "$SITE/_songs/notgiven.md"

# --- options.key -------------------------------------------------------------
config "{key: newest}"
page k "newest: {mp3s: k}"
run_rl -C "$SITE" sync
check "options.key: the page's 'newest:' is read" \
    assert_link "$M/k (take 4).mp3" "$MEDIA/k/k (take 4).mp3"
check "options.key: 'latest:' is no longer read (its links removed)" \
    assert_no_entry "$M/$T8"
check "options.key: data has only the 'newest:' page" \
    json_assert "$D" "list(d) == ['_songs/k.md'] and d['_songs/k.md']['mp3s']['take'] == 4"
rm -f "$SITE/_songs/k.md"
config
run_rl -C "$SITE" sync
check "back to the default key: exit 0" assert_rc 0

# --- bad options: the plug-in fails, the run changes nothing -----------------
config "{key: 3}"
snapshot "$SITE" "$TMP/snap.cfg"
run_rl -C "$SITE" sync
check "options.key not a string: exit 2" assert_rc 2
check "... the plug-in says why on stderr, prefixed with its name" \
    assert_grep "$ERR" '^latest-take: options.key must be'
check "... nothing changed" assert_snapshot "$SITE" "$TMP/snap.cfg"
config "{kee: latest}"
snapshot "$SITE" "$TMP/snap.cfg"
run_rl -C "$SITE" sync
check "unknown option: exit 2, naming it" assert_grep "$ERR" '^latest-take: options.kee: unknown option'
check "... nothing changed" assert_snapshot "$SITE" "$TMP/snap.cfg"
config

# --- the media root is not there (CI) ------------------------------------------
mv "$MEDIA" "$TMP/media.away"
run_rl -C "$SITE" sync --dry-run
check "no media root, dry run: exit 0" assert_rc 0
check "... the plug-in warns source-unavailable" \
    assert_problem warning "" latest-take/source-unavailable
run_rl -C "$SITE" sync
check "no media root: the links are kept" assert_link "$M/$T8" "$MEDIA/$O/$T8"
check "... and the data keeps the last choice" \
    json_assert "$D" "d['_songs/oyo.md']['mp3s']['take'] == 8 and len(d) == 5"
mv "$TMP/media.away" "$MEDIA"

# --- the plug-in on its own: stdout is one JSON answer, bad input fails ------
cat >"$TMP/in.json" <<EOF
{"protocol": 1, "renderlink": "x", "site": "$SITE", "dry_run": true,
 "plugin": {"name": "latest-take", "options": null},
 "sets": [{"name": "mp3s", "key": "mp3s", "source": "$MEDIA",
           "target": "songs/mp3s", "extensions": ["mp3"], "available": true}],
 "documents": [{"path": "a.md", "collection": null, "draft": false,
   "published": true, "date": null,
   "front_matter": {"latest": {"mp3s": "ctake"}}}, 7, {"path": 1}]}
EOF
RC=0
(cd "$SITE" && "$PLUG" <"$TMP/in.json" >"$OUT" 2>"$ERR") || RC=$?
check "run by hand: exit 0 (odd documents skipped)" assert_rc 0
check "... stdout is exactly one JSON object with the link" \
    json_assert "$OUT" "d['protocol'] == 1 and d['links'] == [{'set': 'mp3s', 'ref': 'ctake/C (Take 12; 2024-05-05).MP3', 'page': 'a.md'}] and d['problems'] == []"
for bad in 'not json' '[1]' '{"protocol": 2}'; do
	RC=0
	printf '%s' "$bad" | (cd "$SITE" && "$PLUG" >"$OUT" 2>"$ERR") || RC=$?
	check "input '$bad': exit 2, nothing on stdout, a reason on stderr" \
	    eval 'assert_rc 2 && assert_stdout_empty && test -s "$ERR"'
done

finish
