#!/usr/bin/env bash
# t0570-status: `renderlink status` says, per link set, how many links
# are in place, to add, to replace, to remove, in conflict, and which
# renders in the referenced media folders no page names (the takes left
# out); -v names each, --format json names all; --set limits it to one
# set.  It writes nothing at all, and reads on the media side exactly
# what `sync -n` reads (strace: no stat per render).
. "$(dirname "$0")/../lib.sh"

NB=night-bus/outputs/mp3s
LU=lullaby/outputs/mp3s
mk_media "$MEDIA" "$NB/take 1.mp3" "$NB/take 2.mp3" "$NB/take 3.mp3" \
    "$NB/take 4.mp3" "$NB/Take 5.MP3" "$NB/notes.txt" "$NB/drums.wav" \
    "$LU/wip.mp3" "$LU/old.mp3" "$LU/demo.mp3" "elsewhere/never.mp3"
mkdir -p "$MEDIA/$NB/sub.mp3"		# a folder named like a render
mk_site "$SITE"
M=$SITE/songs/mp3s

# The state a first sync leaves: take 1, take 2 and old.mp3 linked.
mk_refs "$SITE" \
    _songs/night-bus.md mp3s "$NB/take 1.mp3" \
    _songs/night-bus.md mp3s "$NB/take 2.mp3" \
    _songs/lullaby.md mp3s "$LU/old.mp3"
run_rl -C "$SITE" sync
check "setup: sync made three links" assert_entries 3 "$M"
ln -sfn "$MEDIA/$LU/old.mp3" "$M/wip.mp3"	# ours (below the root), wrong

# Now the pages say: take 2 (in place), take 3 (to add), wip.mp3 (linked
# to old.mp3: to replace); take 1 and old.mp3 are no longer wanted.
mk_refs "$SITE" \
    _songs/night-bus.md mp3s "$NB/take 2.mp3" \
    _songs/night-bus.md mp3s "$NB/take 3.mp3" \
    _songs/lullaby.md mp3s "$LU/wip.mp3"

snapshot "$SITE" "$TMP/site.snap"
snapshot "$MEDIA" "$TMP/media.snap"
run_rl -C "$SITE" status
check "text: exit 0" assert_rc 0
check "text: a heading per set" assert_stdout "set mp3s: links in songs/mp3s to renders in $MEDIA
  1 linked, 1 to add, 1 to replace, 2 to remove, 0 conflicts, 5 left out
set stems: links in songs/stems to renders in $MEDIA
  0 linked, 0 to add, 0 to replace, 0 to remove, 0 conflicts, 0 left out"
check "text: nothing on stderr" assert_stderr_empty
check "status wrote nothing in the site (links, index, manifest)" \
    assert_snapshot "$SITE" "$TMP/site.snap"
check "status wrote nothing in the media tree" \
    assert_snapshot "$MEDIA" "$TMP/media.snap"

run_rl -C "$SITE" status -v --set mp3s
check "-v: exit 0" assert_rc 0
check "-v: every name, under its set" assert_stdout "set mp3s: links in songs/mp3s to renders in $MEDIA
  1 linked, 1 to add, 1 to replace, 2 to remove, 0 conflicts, 5 left out
  linked: songs/mp3s/take 2.mp3
  add: songs/mp3s/take 3.mp3 -> $MEDIA/$NB/take 3.mp3
  replace: songs/mp3s/wip.mp3 -> $MEDIA/$LU/wip.mp3
  remove: songs/mp3s/old.mp3
  remove: songs/mp3s/take 1.mp3
  left out: $LU/demo.mp3
  left out: $LU/old.mp3
  left out: $NB/Take 5.MP3
  left out: $NB/take 1.mp3
  left out: $NB/take 4.mp3"
check "-v: a .txt, a .wav and a folder are not takes of mp3s" \
    assert_no_grep "$OUT" 'notes.txt|drums.wav|sub.mp3'
check "-v: a folder no page points into is not read" \
    assert_no_grep "$OUT" 'never.mp3'

run_rl -C "$SITE" status --format json
check "json: exit 0" assert_rc 0
check "json: counts" json_assert "$OUT" \
    'd["sets"][0]["counts"] == {"linked": 1, "add": 1, "replace": 1, "remove": 2, "conflicts": 0, "left_out": 5}'
check "json: every render left out, named as a page would" json_assert "$OUT" \
    'd["sets"][0]["left_out"] == ["lullaby/outputs/mp3s/demo.mp3", "lullaby/outputs/mp3s/old.mp3", "night-bus/outputs/mp3s/Take 5.MP3", "night-bus/outputs/mp3s/take 1.mp3", "night-bus/outputs/mp3s/take 4.mp3"]'
check "json: links with their targets" json_assert "$OUT" \
    'd["sets"][0]["linked"] == [{"link": "songs/mp3s/take 2.mp3", "target": os.environ["MEDIA"] + "/night-bus/outputs/mp3s/take 2.mp3"}] and [a["link"] for a in d["sets"][0]["add"]] == ["songs/mp3s/take 3.mp3"] and [a["link"] for a in d["sets"][0]["remove"]] == ["songs/mp3s/old.mp3", "songs/mp3s/take 1.mp3"]'
check "json: a replacement says what it was" json_assert "$OUT" \
    'd["sets"][0]["replace"] == [{"link": "songs/mp3s/wip.mp3", "target": os.environ["MEDIA"] + "/lullaby/outputs/mp3s/wip.mp3", "was": os.environ["MEDIA"] + "/lullaby/outputs/mp3s/old.mp3"}]'
check "json: both sets, with name, target, source, available" json_assert "$OUT" \
    '[(s["name"], s["target"], s["source"], s["available"]) for s in d["sets"]] == [("mp3s", "songs/mp3s", os.environ["MEDIA"], True), ("stems", "songs/stems", os.environ["MEDIA"], True)] and d["problems"] == [] and d["summary"] == {"errors": 0, "warnings": 0}'

# A sync makes it so: afterwards nothing is to do, the same takes are out.
run_rl -C "$SITE" sync
run_rl -C "$SITE" status --format json
check "after sync: all in place, nothing to do" json_assert "$OUT" \
    'd["sets"][0]["counts"] == {"linked": 3, "add": 0, "replace": 0, "remove": 0, "conflicts": 0, "left_out": 5}'

# A conflict: a file of the user's where a link should go is an error.
mk_media "$MEDIA" "$NB/take 4.mp3"
printf 'mine\n' >"$M/take 4.mp3"
mk_refs "$SITE" \
    _songs/night-bus.md mp3s "$NB/take 2.mp3" \
    _songs/night-bus.md mp3s "$NB/take 3.mp3" \
    _songs/night-bus.md mp3s "$NB/take 4.mp3" \
    _songs/lullaby.md mp3s "$LU/wip.mp3"
run_rl -C "$SITE" -v status
check "conflict: exit 1, as check" assert_rc 1
check "conflict: counted, named, and no longer left out" assert_grep "$OUT" \
    '^  3 linked, 0 to add, 0 to replace, 0 to remove, 1 conflict, 4 left out$'
check "conflict: -v names it" assert_grep "$OUT" '^  conflict: songs/mp3s/take 4.mp3$'
check "conflict: the problem on stderr, as sync says it" \
    assert_problem error _songs/night-bus.md conflict
run_rl -C "$SITE" status --format json
check "conflict: json names the link and the page" json_assert "$OUT" \
    '[(c["link"], c["page"]) for c in d["sets"][0]["conflicts"]] == [("songs/mp3s/take 4.mp3", "_songs/night-bus.md")] and d["summary"]["errors"] == 1'
rm -f "$M/take 4.mp3"

# --set: one set only; its problems, and those about no set, are shown.
mk_media "$MEDIA" "$NB/drums 2.wav"
mk_refs "$SITE" \
    _songs/night-bus.md mp3s "$NB/take 2.mp3" \
    _songs/night-bus.md mp3s "$NB/gone.mp3" \
    _songs/night-bus.md stems "$NB/drums.wav"
run_rl -C "$SITE" status --set stems -v
check "--set stems: exit 0 (the mp3s problem is not its)" assert_rc 0
check "--set stems: only that set" assert_stdout "set stems: links in songs/stems to renders in $MEDIA
  0 linked, 1 to add, 0 to replace, 0 to remove, 0 conflicts, 1 left out
  add: songs/stems/drums.wav -> $MEDIA/$NB/drums.wav
  left out: $NB/drums 2.wav"
run_rl -C "$SITE" status --set mp3s
check "--set mp3s: exit 1 (its missing render)" assert_rc 1
check "--set mp3s: the missing render reported" \
    assert_problem error _songs/night-bus.md missing-source
run_rl -C "$SITE" status --set nope
check "--set unknown: exit 2" assert_rc 2
check "--set unknown: names the sets there are" assert_grep "$ERR" \
    "no link set 'nope' \(its sets: mp3s, stems\)"
check "--set unknown: prints no status" assert_stdout_empty

# A take only a draft names is left out (it is not published) unless
# --drafts counts the draft, as jekyll build --drafts would.  Real pages
# this time, indexed in memory (the index file is not written).
rm -f "$SITE/_data/front_matter.json"
mkdir -p "$SITE/_drafts"
printf -- '---\nmp3s: ["%s"]\n---\n' "$NB/take 2.mp3" >"$SITE/night-bus.md"
printf -- '---\nmp3s: ["%s"]\n---\n' "$NB/take 4.mp3" \
    >"$SITE/_drafts/night-bus-v2.md"
run_rl -C "$SITE" status --format json
check "draft: its take is left out" json_assert "$OUT" \
    '"night-bus/outputs/mp3s/take 4.mp3" in d["sets"][0]["left_out"] and d["sets"][0]["counts"]["add"] == 0'
run_rl -C "$SITE" status --format json --drafts
check "--drafts: its take is to add, not left out" json_assert "$OUT" \
    '"night-bus/outputs/mp3s/take 4.mp3" not in d["sets"][0]["left_out"] and [a["link"] for a in d["sets"][0]["add"]] == ["songs/mp3s/take 4.mp3"]'
check "pages: the index was built in memory only" \
    assert_no_entry "$SITE/_data/front_matter.json"

# -q: problems only.
run_rl -C "$SITE" -q status
check "-q: no status lines" assert_stdout_empty

# The media root away (no drive): links kept and listed, left-outs
# unknown, a warning, exit 0.
mk_config "$SITE" "mp3s|mp3s|$TMP/nodrive|songs/mp3s|mp3"
mk_refs "$SITE" _songs/night-bus.md mp3s "$NB/take 2.mp3"
snapshot "$SITE" "$TMP/site.snap"
run_rl -C "$SITE" status -v
check "no media root: exit 0" assert_rc 0
check "no media root: said in the heading" assert_grep "$OUT" \
    "^set mp3s: links in songs/mp3s to renders in $TMP/nodrive \(not there: nothing checked, links kept\)$"
check "no media root: the kept links counted, left-outs unknown" \
    assert_grep "$OUT" '^  3 linked, 0 to add, 0 to replace, 0 to remove, 0 conflicts, left out unknown$'
check "no media root: a source-unavailable warning" \
    assert_problem warning "" source-unavailable
run_rl -C "$SITE" status --format json
check "no media root: json available false, left_out null" json_assert "$OUT" \
    'd["sets"][0]["available"] is False and d["sets"][0]["left_out"] is None and d["sets"][0]["counts"]["left_out"] is None and len(d["sets"][0]["linked"]) == 3'
check "no media root: nothing written" assert_snapshot "$SITE" "$TMP/site.snap"

# What status reads on the media side is what sync -n reads: the same
# opens and listings of the same folders, no stat, open or readlink of
# any render.  (strace -y names each descriptor's path.)
if ! command -v strace >/dev/null; then
	echo "# skip strace: not installed"
else
	mk_site "$SITE"
	mk_refs "$SITE" \
	    _songs/night-bus.md mp3s "$NB/take 2.mp3" \
	    _songs/night-bus.md mp3s "$NB/take 3.mp3" \
	    _songs/lullaby.md mp3s "$LU/wip.mp3" \
	    _songs/lullaby.md stems "$NB/drums.wav"
	# media-side calls, with descriptors, addresses and pids made equal
	# (LeakSanitizer cannot run under ptrace: off for these two runs)
	media_calls() {
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		    strace -f -y -qq -e trace=%file,getdents64 -o "$2" \
		    ${RENDERLINK_WRAP:-} "$RL" -C "$SITE" $1 >/dev/null 2>&1
		grep -F "$MEDIA" "$2" | grep -vF "<$SITE" |
		    sed -E 's/^[0-9]+ +//; s/[0-9]+</N</g; s/0x[0-9a-f]+/ADDR/g;
		    s|/proc/self/fd/[0-9]+|/proc/self/fd/N|; s/ = [0-9]+$/ = R/' |
		    sort
	}
	if strace -f -qq -e trace=getdents64 -o /dev/null true 2>/dev/null; then
		media_calls "sync -n" "$TMP/sync.strace" >"$TMP/sync.calls"
		media_calls "status" "$TMP/status.strace" >"$TMP/status.calls"
		check "strace: sync -n lists the media folders (the filter works)" \
		    assert_grep "$TMP/sync.calls" "^getdents64\(N<$MEDIA/$NB>"
		check "strace: status makes exactly sync -n's media calls" \
		    assert_same_file "$TMP/sync.calls" "$TMP/status.calls"
		check "strace: one listing pass per referenced folder (3)" \
		    assert_eq 3 "$(grep -Ec '^openat2?\(N<'"$MEDIA"'>, ' "$TMP/status.calls")"
		check "strace: no call names a render left out" \
		    assert_no_grep "$TMP/status.calls" 'take 1|take 4|Take 5|demo.mp3|old.mp3'
	else
		echo "# skip strace: cannot trace here"
	fi
fi

finish
