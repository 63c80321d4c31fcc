#!/usr/bin/env bash
# t0070-duplicate: one link name can stand for only one file.  Two pages
# referencing different files with the same basename is a
# `duplicate-name` error naming both pages (exit 1); no link is made for
# that name, and a link already there is left as it is.  The same file
# referenced by two pages (or twice by one) is one link and no error.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" "take1/Song.mp3" "take2/Song.mp3" "Other.mp3" \
    "Shared (final).mp3" "Twice.mp3"
M=$SITE/songs/mp3s

mk_refs "$SITE" \
    _songs/p1.md mp3s "take1/Song.mp3" \
    _songs/p2.md mp3s "take2/Song.mp3" \
    _songs/p2.md mp3s "Other.mp3"

# dup_line: one error line with code duplicate-name naming both pages.
dup_line() {
	local line
	while IFS= read -r line; do
		[[ $line == "error: "*"(duplicate-name)" ]] || continue
		[[ $line == *_songs/p1.md* && $line == *_songs/p2.md* ]] &&
		    return 0
	done <"$ERR"
	echo "no 'error: ... (duplicate-name)' line naming both pages" >&2
	return 1
}

run_rl -C "$SITE" sync
check "duplicate basename: exit 1" assert_rc 1
check "duplicate basename: one error naming both pages" dup_line
check "duplicate basename: no link for that name" assert_no_entry "$M/Song.mp3"
check "duplicate basename: other links still made" \
    assert_link "$M/Other.mp3" "$MEDIA/Other.mp3"
check "duplicate basename: only the other link announced" \
    assert_stdout "create songs/mp3s/Other.mp3 -> $MEDIA/Other.mp3"

# Only p1 first: Song.mp3 is linked.  Then p2 claims the name too.
mk_refs "$SITE" _songs/p1.md mp3s "take1/Song.mp3" \
    _songs/p2.md mp3s "Other.mp3"
run_rl -C "$SITE" sync
check "setup: Song.mp3 linked to take1" \
    assert_link "$M/Song.mp3" "$MEDIA/take1/Song.mp3"
ino=$(stat -c %i "$M/Song.mp3")
mk_refs "$SITE" _songs/p1.md mp3s "take1/Song.mp3" \
    _songs/p2.md mp3s "take2/Song.mp3" _songs/p2.md mp3s "Other.mp3"
run_rl -C "$SITE" sync
check "duplicate over an existing link: exit 1" assert_rc 1
check "duplicate over an existing link: error naming both pages" dup_line
check "duplicate over an existing link: link left as it is" \
    assert_link "$M/Song.mp3" "$MEDIA/take1/Song.mp3"
check "duplicate over an existing link: same inode" \
    assert_eq "$ino" "$(stat -c %i "$M/Song.mp3")"
check "duplicate over an existing link: no action" assert_stdout_empty

# The same file from two pages, and twice from one page.
mk_refs "$SITE" \
    _songs/p3.md mp3s "Shared (final).mp3" \
    _songs/p4.md mp3s "Shared (final).mp3" \
    _songs/p4.md mp3s "Twice.mp3" \
    _songs/p4.md mp3s "Twice.mp3" \
    _songs/p5.md mp3s "Other.mp3"
run_rl -C "$SITE" sync
check "shared file: exit 0" assert_rc 0
check "shared file: no problem reported" assert_stderr_empty
check "shared file: one link" \
    assert_link "$M/Shared (final).mp3" "$MEDIA/Shared (final).mp3"
check "shared file: one create line per link" assert_stdout "\
create songs/mp3s/Shared (final).mp3 -> $MEDIA/Shared (final).mp3
create songs/mp3s/Twice.mp3 -> $MEDIA/Twice.mp3
remove songs/mp3s/Song.mp3"
check "folder holds just the three links" assert_entries 3 "$M"

finish
