#!/usr/bin/env bash
# t0040-ownership: renderlink only ever touches links it owns.  A regular
# file, a folder or a foreign symlink where a link must go is a
# `conflict` error (exit 1) and stays byte-identical while the other links
# are still made; foreign entries nobody references are never removed.
# Owned = a symlink in a managed target folder whose text starts with
# "<source>/", or one recorded in the manifest (so links into an old
# source are cleaned up after the source moves).
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" R1.mp3 R2.mp3 R3.mp3 R4.mp3 R5.mp3 OK.mp3 extra.mp3
mk_media "$TMP/elsewhere" R3.mp3 cover.jpg
mk_media "$MEDIA-old" prefix.mp3
M=$SITE/songs/mp3s
mkdir -p "$M" "$SITE/songs/other"

# Foreign entries with the names of referenced renders.
printf 'my own notes, not a render\n' >"$M/R1.mp3"
mkdir "$M/R2.mp3"
printf 'inside\n' >"$M/R2.mp3/inside.txt"
ln -s "$TMP/elsewhere/R3.mp3" "$M/R3.mp3"
ln -s "../../index.md" "$M/R4.mp3"
ln -s /etc/hostname "$M/R5.mp3"
# Foreign entries nobody references.
printf 'notes\n' >"$M/notes.txt"
ln -s "$TMP/elsewhere/cover.jpg" "$M/cover.jpg"
ln -s /nonexistent/gone.mp3 "$M/dangling.mp3"
mkdir "$M/subdir"
printf 'f\n' >"$M/subdir/f.mp3"
# Its text shares a prefix with the source path, but not "<source>/".
ln -s "$MEDIA-old/prefix.mp3" "$M/prefix.mp3"
# Points into the source, but lives in a folder renderlink does not manage.
ln -s "$MEDIA/extra.mp3" "$SITE/songs/other/extra.mp3"

mk_refs "$SITE" \
    _songs/r.md mp3s R1.mp3 \
    _songs/r.md mp3s R2.mp3 \
    _songs/r.md mp3s R3.mp3 \
    _songs/r.md mp3s R4.mp3 \
    _songs/r.md mp3s R5.mp3 \
    _songs/ok.md mp3s OK.mp3

# Everything but the link to be created, before and after.
foreign_state() {
	{
		find -P "$M" "$SITE/songs/other" -mindepth 1 \
		    ! -path "$M/OK.mp3" \
		    -printf '%y %p %l %m %s %T@ %C@ %i\n' | sort
		find -P "$M" -type f -exec md5sum -- {} + | sort
	} >"$1"
}
foreign_state "$TMP/foreign.before"

# conflict_for NAME: a `error: ... (conflict)` line that names NAME.
conflict_for() {
	local line
	while IFS= read -r line; do
		[[ $line == "error: "*"$1"*"(conflict)" ]] && return 0
	done <"$ERR"
	echo "no 'error: ... $1 ... (conflict)' line on stderr" >&2
	return 1
}

run_rl -C "$SITE" sync
check "conflicts: exit 1" assert_rc 1
check "conflict with a regular file reported" conflict_for R1.mp3
check "conflict with a folder reported" conflict_for R2.mp3
check "conflict with an absolute foreign symlink reported" conflict_for R3.mp3
check "conflict with a relative symlink reported" conflict_for R4.mp3
check "conflict with a symlink to /etc/hostname reported" conflict_for R5.mp3
check "five conflicts, one line each" assert_count 5 "$ERR" '\(conflict\)$'
check "the unconflicted link is still created (only action)" \
    assert_stdout "create songs/mp3s/OK.mp3 -> $MEDIA/OK.mp3"
check "the unconflicted link is right" assert_link "$M/OK.mp3" "$MEDIA/OK.mp3"
foreign_state "$TMP/foreign.after"
check "every foreign entry untouched (lstat, inode, bytes)" \
    assert_same_file "$TMP/foreign.before" "$TMP/foreign.after"
check "regular file keeps its bytes" \
    assert_eq "my own notes, not a render" "$(cat "$M/R1.mp3")"
check "foreign symlink keeps its text" \
    assert_link "$M/R3.mp3" "$TMP/elsewhere/R3.mp3"
check "dangling foreign symlink not removed" \
    assert_link "$M/dangling.mp3" /nonexistent/gone.mp3
check "link with a mere prefix of the source path not removed" \
    assert_link "$M/prefix.mp3" "$MEDIA-old/prefix.mp3"
check "link into the source in an unmanaged folder not removed" \
    assert_link "$SITE/songs/other/extra.mp3" "$MEDIA/extra.mp3"

run_rl -C "$SITE" sync
check "conflicts persist: exit 1 again" assert_rc 1
check "conflicts persist: no action line" assert_stdout_empty
foreign_state "$TMP/foreign.after2"
check "second run: foreign entries still untouched" \
    assert_same_file "$TMP/foreign.before" "$TMP/foreign.after2"

# A user-made link whose text is under the source is ours, whatever its
# name: not referenced, so removed.
ln -s "$MEDIA/extra.mp3" "$M/mine.mp3"
run_rl -C "$SITE" sync
check "user link into the source is owned and removed" \
    assert_stdout "remove songs/mp3s/mine.mp3"
check "user link into the source is gone" assert_no_entry "$M/mine.mp3"

# The source moves: links recorded in the manifest but pointing into the
# old source are still ours.
S2=$TMP/site2
A=$TMP/mediaA
B=$TMP/mediaB
mk_site "$S2" "$A"
mk_media "$A" A.mp3 B.mp3 C.mp3
mk_media "$B" A.mp3 B.mp3 extra.mp3
mk_refs "$S2" _songs/x.md mp3s A.mp3 _songs/x.md mp3s B.mp3 \
    _songs/x.md mp3s C.mp3
run_rl -C "$S2" sync
check "moved source setup: exit 0" assert_rc 0
check "moved source setup: 3 links into the old source" \
    assert_link "$S2/songs/mp3s/C.mp3" "$A/C.mp3"

mk_config "$S2" "mp3s|mp3s|$B|songs/mp3s|mp3"
mk_refs "$S2" _songs/x.md mp3s A.mp3 _songs/x.md mp3s B.mp3
run_rl -C "$S2" sync
check "moved source: exit 0" assert_rc 0
check "moved source: old links replaced, unreferenced one removed" \
    assert_stdout "\
replace songs/mp3s/A.mp3 -> $B/A.mp3
replace songs/mp3s/B.mp3 -> $B/B.mp3
remove songs/mp3s/C.mp3"
check "moved source: link text now in the new source" \
    assert_link "$S2/songs/mp3s/A.mp3" "$B/A.mp3"
check "moved source: stale link into the old source removed" \
    assert_no_entry "$S2/songs/mp3s/C.mp3"
check "moved source: the old source is untouched" \
    test -f "$A/C.mp3"

# Links into the (new) source that nobody references, live or dangling.
ln -s "$B/extra.mp3" "$S2/songs/mp3s/mine.mp3"
ln -s "$B/never-rendered.mp3" "$S2/songs/mp3s/ghost.mp3"
run_rl -C "$S2" sync
check "unreferenced links into the source: exit 0" assert_rc 0
check "unreferenced links into the source: both removed" assert_stdout "\
remove songs/mp3s/ghost.mp3
remove songs/mp3s/mine.mp3"
check "unreferenced links into the source: gone" \
    assert_no_entry "$S2/songs/mp3s/ghost.mp3"
check "referenced links kept" assert_link "$S2/songs/mp3s/B.mp3" "$B/B.mp3"

finish
