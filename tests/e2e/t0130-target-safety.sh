#!/usr/bin/env bash
# t0130-target-safety: links are only ever made in real folders of the
# site.  A target path with a symlinked component (wherever it points),
# a target that is itself a symlink, or a target (or parent) that is not
# a folder is an `unsafe-target` error: nothing done for that set,
# nothing created outside the site, other sets still synced.  A missing
# target folder is created, with its parents, when the first link needs
# it, and not before.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" A.mp3 "stems/A bass.wav"
OUTSIDE=$TMP/outside
mkdir -p "$OUTSIDE"
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md stems "stems/A bass.wav"

# unsafe_case DESC: sync now must report unsafe-target for the mp3s set
# only, create nothing outside the site nor in the mp3s target, and still
# make the stems link.
unsafe_case() {
	local desc=$1
	rm -rf "$SITE/songs/stems" "$SITE/.jekyll-cache"
	snapshot "$OUTSIDE" "$TMP/outside.snap"
	run_rl -C "$SITE" sync
	check "$desc: exit 1" assert_rc 1
	check "$desc: one unsafe-target error" \
	    assert_count 1 "$ERR" '^error: .*\(unsafe-target\)$'
	check "$desc: nothing created outside the site" \
	    assert_snapshot "$OUTSIDE" "$TMP/outside.snap"
	check "$desc: the other set still synced" \
	    assert_link "$SITE/songs/stems/A bass.wav" "$MEDIA/stems/A bass.wav"
	check "$desc: only the other set's action" \
	    assert_stdout "create songs/stems/A bass.wav -> $MEDIA/stems/A bass.wav"
}

# 1. A component of the target path is a symlink to outside the site.
mk_config "$SITE" "mp3s|mp3s|$MEDIA|songs/music/mp3s|mp3" \
    "stems|stems|$MEDIA|songs/stems|wav"
mkdir -p "$SITE/songs"
ln -s "$OUTSIDE" "$SITE/songs/music"
unsafe_case "symlinked component to outside"
check "symlinked component to outside: the symlink untouched" \
    assert_link "$SITE/songs/music" "$OUTSIDE"
check "symlinked component to outside: outside folder still empty" \
    assert_entries 0 "$OUTSIDE"
rm "$SITE/songs/music"

# 2. A component that is a symlink to a real folder inside the site.
mkdir -p "$SITE/real-music/mp3s"
ln -s ../real-music "$SITE/songs/music"
unsafe_case "symlinked component inside the site"
check "symlinked component inside the site: nothing linked through it" \
    assert_entries 0 "$SITE/real-music/mp3s"
rm "$SITE/songs/music"
rm -rf "$SITE/real-music"

# 3. The target folder itself is a symlink (to an existing folder).
mkdir -p "$SITE/songs/music" "$OUTSIDE/mp3s"
ln -s "$OUTSIDE/mp3s" "$SITE/songs/music/mp3s"
unsafe_case "target is a symlink"
check "target is a symlink: nothing created through it" \
    assert_entries 0 "$OUTSIDE/mp3s"
rm "$SITE/songs/music/mp3s"

# 4. A dangling symlink as a component.
ln -s "$OUTSIDE/not-yet" "$SITE/songs/music/mp3s"
unsafe_case "target is a dangling symlink"
check "target is a dangling symlink: its target not created" \
    assert_no_entry "$OUTSIDE/not-yet"
rm "$SITE/songs/music/mp3s"

# 5. The target is a regular file; then a parent is.
printf 'not a folder\n' >"$SITE/songs/music/mp3s"
unsafe_case "target is a regular file"
check "target is a regular file: file untouched" \
    assert_eq "not a folder" "$(cat "$SITE/songs/music/mp3s")"
rm "$SITE/songs/music/mp3s"
rmdir "$SITE/songs/music"
printf 'not a folder either\n' >"$SITE/songs/music"
unsafe_case "a parent of the target is a regular file"
check "a parent of the target is a regular file: file untouched" \
    assert_eq "not a folder either" "$(cat "$SITE/songs/music")"
rm "$SITE/songs/music"

# 6. Missing folders: not created while nothing needs them.
S2=$TMP/site2
mk_site "$S2"
mk_config "$S2" "mp3s|mp3s|$MEDIA|a/b/c/mp3s|mp3"
snapshot "$S2" "$TMP/s2"
run_rl -C "$S2" sync
check "nothing referenced: exit 0" assert_rc 0
check "nothing referenced: no folder created" assert_snapshot "$S2" "$TMP/s2"
mk_refs "$S2" _songs/x.md mp3s "stems/../A.mp3"
run_rl -C "$S2" sync
check "only a bad reference: no target folder created" \
    assert_no_entry "$S2/a"
mk_refs "$S2" _songs/x.md mp3s A.mp3
run_rl -C "$S2" sync
check "first link: exit 0" assert_rc 0
check "first link: folder created with its parents" \
    assert_link "$S2/a/b/c/mp3s/A.mp3" "$MEDIA/A.mp3"
check "first link: created folders are real folders" \
    assert_eq "d d d d" "$(stat -c %F "$S2/a" "$S2/a/b" "$S2/a/b/c" \
    "$S2/a/b/c/mp3s" | sed 's/^directory$/d/' | tr '\n' ' ' | sed 's/ $//')"

finish
