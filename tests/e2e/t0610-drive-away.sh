#!/usr/bin/env bash
# t0610-drive-away: a Windows drive that is not mounted leaves its mount
# point as an empty folder (/mnt/e without E:).  When not one referenced
# folder is there and the media root is empty, renderlink says the drive
# is not there (source-unavailable) and removes nothing: removing every
# link as stale would be a guess.  A root that holds anything is a drive
# that is there: then a missing folder is missing-source as ever, and its
# links go.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" a/one.mp3 b/two.mp3
mk_refs "$SITE" _songs/x.md mp3s a/one.mp3 _songs/x.md mp3s b/two.mp3
run_rl -C "$SITE" sync
check "setup: two links" test -L "$SITE/songs/mp3s/two.mp3"

mv "$MEDIA" "$TMP/media.away"
mkdir "$MEDIA"
snapshot "$SITE" "$TMP/snap"
run_rl -C "$SITE" sync
check "empty media root: exit 1" assert_rc 1
check "... source-unavailable, saying the drive may not be mounted" \
    assert_grep "$ERR" "is empty: is the drive mounted\?.*\(source-unavailable\)"
check "... no missing-source for every render" assert_no_grep "$ERR" missing-source
check "... and nothing removed" assert_snapshot "$SITE" "$TMP/snap"
run_rl -C "$SITE" sync -n
check "a dry run says the same, as a warning" \
    assert_grep "$ERR" "^warning: .*is empty: is the drive mounted"

mk_media "$MEDIA" c/other.mp3
run_rl -C "$SITE" sync
check "a root with something in it is there: missing-source" \
    assert_problem error _songs/x.md missing-source
check "... and the links of missing renders go (Jekyll aborts on them)" \
    assert_no_entry "$SITE/songs/mp3s/one.mp3"
finish
