#!/usr/bin/env bash
# t0710-temporaries: what a killed run left behind is cleaned up by the
# next run - but only what renderlink would have written.  Temporaries of
# the index, its cache, the manifest and plug-in data (regular files named
# .renderlink-tmp.PID.N.<file>) are removed by the next sync or index;
# a user's file or symlink that merely starts with .renderlink-tmp. is
# not, and neither is anything in a target folder whose text renderlink
# would not have written.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" a/x.mp3
mk_refs "$SITE" _songs/x.md mp3s a/x.mp3
run_rl -C "$SITE" sync
run_rl -C "$SITE" index
check "setup: synced" test -L "$SITE/songs/mp3s/x.mp3"

D=$SITE/_data
C=$SITE/.jekyll-cache/renderlink
mkdir -p "$C"
ours() {
	echo stale >"$D/.renderlink-tmp.4242.0.front_matter.json"
	echo stale >"$C/.renderlink-tmp.4242.1.manifest.json"
	echo stale >"$C/.renderlink-tmp.77.3.pages.tsv"
}
theirs() {
	echo mine >"$D/.renderlink-tmp.notes.txt"
	echo mine >"$D/.renderlink-tmp.4242.0.other.json"
	ln -sfn /etc/passwd "$D/.renderlink-tmp.4242.0.front_matter.json.lnk"
	mkdir -p "$C/.renderlink-tmp.1.1.manifest.json.d"
}
ours
theirs
run_rl -C "$SITE" sync
check "sync: the index's temporary is removed" \
    assert_no_entry "$D/.renderlink-tmp.4242.0.front_matter.json"
check "sync: the manifest's temporary is removed" \
    assert_no_entry "$C/.renderlink-tmp.4242.1.manifest.json"
check "sync: the page cache's temporary is removed" \
    assert_no_entry "$C/.renderlink-tmp.77.3.pages.tsv"
check "sync: a user's file with the prefix stays" \
    test -f "$D/.renderlink-tmp.notes.txt"
check "sync: a temporary-looking name of another file stays" \
    test -f "$D/.renderlink-tmp.4242.0.other.json"
check "sync: a user's symlink with the prefix stays" \
    test -L "$D/.renderlink-tmp.4242.0.front_matter.json.lnk"
check "sync: a folder with such a name stays" \
    test -d "$C/.renderlink-tmp.1.1.manifest.json.d"
ours
run_rl -C "$SITE" index
check "index removes them too" \
    assert_no_entry "$D/.renderlink-tmp.4242.0.front_matter.json"
ours
run_rl -C "$SITE" sync -n
check "a dry run removes nothing" \
    test -f "$D/.renderlink-tmp.4242.0.front_matter.json"
run_rl -C "$SITE" index --check
check "index --check removes nothing" \
    test -f "$D/.renderlink-tmp.4242.0.front_matter.json"

# --- in a target folder -----------------------------------------------------
T=$SITE/songs/mp3s
ln -s /etc/passwd "$T/.renderlink-tmp.99.0.x.mp3"
ln -s "$MEDIA/a/x.mp3" "$T/.renderlink-tmp.98.0.x.mp3"
run_rl -C "$SITE" sync
check "a user's link named like a temporary, pointing elsewhere, stays" \
    assert_link "$T/.renderlink-tmp.99.0.x.mp3" /etc/passwd
check "a temporary renderlink would have written (into the media root) goes" \
    assert_no_entry "$T/.renderlink-tmp.98.0.x.mp3"
finish
