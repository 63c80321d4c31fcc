#!/usr/bin/env bash
# t0560-clean: `renderlink clean` removes every link renderlink owns (all
# sets, or --set NAME) and its record in the manifest, and nothing else:
# - owned is what a sync would remove (README "Rules renderlink keeps"):
#   a symlink in a target folder whose text lies below the set's media
#   root (one a user made by hand too), one the manifest recorded with
#   exactly that text (the media root moved since), a leftover
#   .renderlink-tmp.* symlink;
# - files, folders, symlinks leading elsewhere (outside the root, a
#   relative one, a dangling one, one whose text merely starts with the
#   root's name), and links into the root in folders renderlink does not
#   manage are left byte for byte, and so are the target folders;
# - it works with the media drive gone (a sync then keeps the links);
# - --dry-run says `would remove ...` and changes nothing; with nothing
#   to remove a run writes nothing at all; an unknown set is exit 2 and a
#   busy lock exit 3, both with nothing changed.
. "$(dirname "$0")/../lib.sh"

MAN=$SITE/.jekyll-cache/renderlink/manifest.json
M=$SITE/songs/mp3s
S=$SITE/songs/stems

mk_site "$SITE"
mk_media "$MEDIA" a/A.mp3 a/B.mp3 a/S.wav a/extra.mp3
mk_media "$TMP/elsewhere" X.mp3
mk_media "$MEDIA-old" P.mp3
mk_refs "$SITE" _songs/a.md mp3s a/A.mp3 _songs/a.md mp3s a/B.mp3 \
    _songs/a.md stems a/S.wav

# An empty, never synced site: nothing to remove, nothing written (not
# even .jekyll-cache).
snapshot "$SITE" "$TMP/snap.fresh"
run_rl -C "$SITE" clean
check "never synced: exit 0" assert_rc 0
check "never synced: says nothing" assert_stdout_empty
check "never synced: writes nothing" assert_snapshot "$SITE" "$TMP/snap.fresh"

run_rl -C "$SITE" sync
check "setup: sync made three links" assert_count 3 "$OUT" '^create '

# What a user keeps beside the links.
mkdir -p "$M/sub" "$SITE/songs/other"
printf 'my notes\n' >"$M/notes.txt"
printf 'f\n' >"$M/sub/f.mp3"
ln -s "$TMP/elsewhere/X.mp3" "$M/X.mp3"
ln -s ../../index.md "$M/home.mp3"
ln -s /nonexistent/gone.mp3 "$M/gone.mp3"
ln -s "$MEDIA-old/P.mp3" "$M/P.mp3"
ln -s "$MEDIA/a/extra.mp3" "$SITE/songs/other/extra.mp3"
# ... and what is renderlink's though renderlink did not make it.
ln -s "$MEDIA/a/extra.mp3" "$M/by-hand.mp3"
ln -s "$MEDIA/a/A.mp3" "$M/.renderlink-tmp.99.0.A.mp3"

# foreign_state FILE: every foreign entry, from lstat, and their bytes.
foreign_state() {
	{
		find -P "$M" "$S" "$SITE/songs/other" -mindepth 1 \
		    \( -name A.mp3 -o -name B.mp3 -o -name S.wav \
		    -o -name by-hand.mp3 -o -name '.renderlink-tmp.*' \) -prune \
		    -o -printf '%y %p %l %m %s %T@ %i\n' | sort
		find -P "$M" -type f -exec md5sum -- {} + | sort
	} >"$1"
}
foreign_state "$TMP/foreign.before"
cp "$MAN" "$TMP/manifest.synced"

# --- dry run -------------------------------------------------------------------

snapshot "$SITE" "$TMP/snap.synced"
run_rl -C "$SITE" clean --dry-run
check "dry run: exit 0" assert_rc 0
check "dry run: says what would be removed, nothing else" assert_stdout "\
would remove songs/mp3s/.renderlink-tmp.99.0.A.mp3
would remove songs/mp3s/A.mp3
would remove songs/mp3s/B.mp3
would remove songs/mp3s/by-hand.mp3
would remove songs/stems/S.wav"
check "dry run: no problem" assert_stderr_empty
check "dry run: nothing changed (links, manifest, mtimes)" \
    assert_snapshot "$SITE" "$TMP/snap.synced"
run_rl -C "$SITE" clean -n --format json
check "dry run, json: the same plan" json_assert "$OUT" \
    'd["dry_run"] is True and [(a["op"], a["set"], a["link"]) for a in d["actions"]] == [("remove", "mp3s", "songs/mp3s/.renderlink-tmp.99.0.A.mp3"), ("remove", "mp3s", "songs/mp3s/A.mp3"), ("remove", "mp3s", "songs/mp3s/B.mp3"), ("remove", "mp3s", "songs/mp3s/by-hand.mp3"), ("remove", "stems", "songs/stems/S.wav")] and d["summary"]["removed"] == 5'

# --- usage -------------------------------------------------------------------------

run_rl -C "$SITE" clean --set nope
check "an unknown set: exit 2" assert_rc 2
check "an unknown set: names the sets there are" \
    assert_grep "$ERR" "no link set 'nope' .*'mp3s', 'stems'"
check "an unknown set: nothing changed" assert_snapshot "$SITE" "$TMP/snap.synced"
run_rl -C "$SITE" clean mp3s
check "an argument: exit 2" assert_rc 2
check "an argument: nothing changed" assert_snapshot "$SITE" "$TMP/snap.synced"

if command -v flock >/dev/null; then
	bg flock -x "$SITE" sleep 3
	for _ in $(seq 50); do
		flock -n -x "$SITE" true || break
		sleep 0.05
	done
	run_rl -C "$SITE" clean --lock-timeout 0
	check "lock busy: exit 3" assert_rc 3
	check "lock busy: nothing changed" assert_snapshot "$SITE" "$TMP/snap.synced"
	kill "$BG_PID" 2>/dev/null
	wait "$BG_PID" 2>/dev/null
else
	echo "# skip lock test: flock(1) not found"
fi

# --- one set --------------------------------------------------------------------------

run_rl -C "$SITE" clean --set stems
check "--set stems: exit 0" assert_rc 0
check "--set stems: removes that set's links only" \
    assert_stdout "remove songs/stems/S.wav"
check "--set stems: its link is gone" assert_no_entry "$S/S.wav"
check "--set stems: the folder stays" test -d "$S"
check "--set stems: the other set's links stay" \
    assert_link "$M/A.mp3" "$MEDIA/a/A.mp3"
check "--set stems: its record is gone from the manifest, the others stay" \
    json_assert "$MAN" 'sorted(d["links"]) == ["songs/mp3s/A.mp3", "songs/mp3s/B.mp3"]'

# --- all sets ----------------------------------------------------------------------------

run_rl -C "$SITE" clean
check "clean: exit 0" assert_rc 0
check "clean: one line per link removed" assert_stdout "\
remove songs/mp3s/.renderlink-tmp.99.0.A.mp3
remove songs/mp3s/A.mp3
remove songs/mp3s/B.mp3
remove songs/mp3s/by-hand.mp3"
check "clean: no problem" assert_stderr_empty
check "clean: the links are gone" \
    eval 'assert_no_entry "$M/A.mp3" && assert_no_entry "$M/B.mp3"'
check "clean: a link a user made into the media root is renderlink's: gone" \
    assert_no_entry "$M/by-hand.mp3"
check "clean: a leftover temporary link is gone" \
    assert_no_entry "$M/.renderlink-tmp.99.0.A.mp3"
foreign_state "$TMP/foreign.after"
check "clean: every foreign entry untouched (type, text, mode, size, mtime, inode, bytes)" \
    assert_same_file "$TMP/foreign.before" "$TMP/foreign.after"
check "clean: a symlink outside the media root stays" \
    assert_link "$M/X.mp3" "$TMP/elsewhere/X.mp3"
check "clean: a dangling foreign symlink stays" \
    assert_link "$M/gone.mp3" /nonexistent/gone.mp3
check "clean: a link whose text only starts with the root's name stays" \
    assert_link "$M/P.mp3" "$MEDIA-old/P.mp3"
check "clean: a link into the root outside the target folders stays" \
    assert_link "$SITE/songs/other/extra.mp3" "$MEDIA/a/extra.mp3"
check "clean: the target folders stay" test -d "$M" -a -d "$S"
check "clean: the manifest records no link any more" \
    json_assert "$MAN" 'd["links"] == {}'
check "clean: the media is untouched" test -f "$MEDIA/a/A.mp3"

snapshot "$SITE" "$TMP/snap.clean"
run_rl -C "$SITE" clean
check "nothing left to remove: exit 0" assert_rc 0
check "nothing left to remove: says nothing" assert_stdout_empty
check "nothing left to remove: writes nothing (manifest untouched)" \
    assert_snapshot "$SITE" "$TMP/snap.clean"

run_rl -C "$SITE" sync
check "sync after clean: the links are back" \
    assert_link "$M/A.mp3" "$MEDIA/a/A.mp3"

# --- the media drive is gone ---------------------------------------------------------------

S2=$TMP/s2
D=$TMP/drive
mk_site "$S2" "$D/songs"
mk_media "$D/songs" x/one.mp3 x/two.wav
mk_refs "$S2" p.md mp3s x/one.mp3 p.md stems x/two.wav
run_rl -C "$S2" sync
check "drive setup: two links" assert_count 2 "$OUT" '^create '
mv "$D" "$D.unmounted"
run_rl -C "$S2" sync
check "drive gone: a sync keeps the links (source-unavailable)" \
    eval 'assert_problem error "" source-unavailable && test -L "$S2/songs/mp3s/one.mp3"'
run_rl -C "$S2" clean
check "drive gone: clean exit 0" assert_rc 0
check "drive gone: clean still removes the (dangling) links" assert_stdout "\
remove songs/mp3s/one.mp3
remove songs/stems/two.wav"
check "drive gone: no source-unavailable from clean" assert_stderr_empty
check "drive gone: no dangling link left for Jekyll to abort on" \
    assert_no_dangling "$S2/songs"
check "drive gone: the manifest records none" json_assert \
    "$S2/.jekyll-cache/renderlink/manifest.json" 'd["links"] == {}'

# --- the manifest: links into a media root the config no longer names -------------------

S3=$TMP/s3
A=$TMP/rootA
B=$TMP/rootB
mk_site "$S3" "$A"
mk_media "$A" one.mp3 two.mp3 three.mp3
mkdir -p "$B"
mk_refs "$S3" p.md mp3s one.mp3 p.md mp3s two.mp3 p.md mp3s three.mp3
run_rl -C "$S3" sync
check "moved root setup: three links" assert_count 3 "$OUT" '^create '
mk_config "$S3" "mp3s|mp3s|$B|songs/mp3s|mp3" "stems|stems|$B|songs/stems|wav"
# The user takes one name back with a link of their own, and deletes one.
rm "$S3/songs/mp3s/two.mp3"
ln -s ../../../rootA/two.mp3 "$S3/songs/mp3s/two.mp3"
rm "$S3/songs/mp3s/three.mp3"
ln -s "$A/three.mp3" "$S3/songs/mp3s/three-mine.mp3"
run_rl -C "$S3" clean
check "moved root: exit 0" assert_rc 0
check "moved root: the recorded link is removed (by the manifest), the others are not" \
    assert_stdout "remove songs/mp3s/one.mp3"
check "moved root: the user's links into the old root stay" \
    eval 'test -L "$S3/songs/mp3s/two.mp3" && test -L "$S3/songs/mp3s/three-mine.mp3"'
check "moved root: no record is left for the cleaned folders" \
    json_assert "$S3/.jekyll-cache/renderlink/manifest.json" 'd["links"] == {}'

finish
