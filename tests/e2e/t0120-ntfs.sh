#!/usr/bin/env bash
# t0120-ntfs: the real setup, on a real NTFS volume (ntfs-3g over FUSE, as
# a Windows drive looks from Linux): renders on NTFS are linked from the
# ext4 site and readable through the links; but a target folder on NTFS
# is an `unsafe-target` error (symlinks made there from Linux are junk to
# Windows) that says so, and not a single symlink is created on the
# volume.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" = 0 ] || skip_all "ntfs: needs root to mount"
[ -c /dev/fuse ] && [ -r /dev/fuse ] && [ -w /dev/fuse ] ||
    skip_all "ntfs: no usable /dev/fuse"
command -v mkntfs >/dev/null || skip_all "ntfs: mkntfs not found (ntfs-3g)"
command -v ntfs-3g >/dev/null || skip_all "ntfs: ntfs-3g not found"

site_fs=$(stat -f -c %T "$TMP")
case $site_fs in
fuseblk|ntfs|ntfs3|9p|v9fs|drvfs)
	skip_all "ntfs: the temp folder itself is on $site_fs" ;;
esac

# mount_ntfs IMG MNT: a fresh 64 MiB NTFS volume at MNT, unmounted on exit.
mount_ntfs() {
	truncate -s 64M "$1" &&
	    mkntfs -F -f -q "$1" >/dev/null 2>&1 &&
	    mkdir -p "$2" &&
	    ntfs-3g "$1" "$2" >/dev/null 2>&1 || return 1
	at_exit "umount '$2' 2>/dev/null || fusermount -u '$2' 2>/dev/null"
	[ "$(stat -f -c %T "$2")" = fuseblk ]
}

E=$TMP/e
mount_ntfs "$TMP/e.img" "$E" ||
    skip_all "ntfs: could not make or mount an NTFS volume here"
check "setup: the media volume is NTFS via FUSE" \
    assert_eq fuseblk "$(stat -f -c %T "$E")"

NM=$E/media/songs
mk_media "$NM" "Song One (final mix, take 3).mp3" \
    "sub dir/Other Song; v2.mp3" "Unused (demo).mp3"
mk_site "$SITE" "$NM"
M=$SITE/songs/mp3s
mk_refs "$SITE" \
    _songs/one.md mp3s "Song One (final mix, take 3).mp3" \
    _songs/two.md mp3s "sub dir/Other Song; v2.mp3"
run_rl -C "$SITE" sync
check "renders on NTFS: exit 0" assert_rc 0
check "renders on NTFS: link created on the Linux side" \
    assert_link "$M/Song One (final mix, take 3).mp3" \
    "$NM/Song One (final mix, take 3).mp3"
check "renders on NTFS: nested render linked" \
    assert_link "$M/Other Song; v2.mp3" "$NM/sub dir/Other Song; v2.mp3"
check "renders on NTFS: the link lives on the site's filesystem" \
    assert_eq "$site_fs" "$(stat -f -c %T "$M")"
check "renders on NTFS: readable through the link" \
    assert_eq "Song One (final mix, take 3).mp3" \
    "$(cat "$M/Song One (final mix, take 3).mp3")"
check "renders on NTFS: unreferenced render not linked" \
    assert_no_entry "$M/Unused (demo).mp3"
run_rl -C "$SITE" sync
check "renders on NTFS: second run has nothing to do" assert_stdout_empty

# A second volume mounted inside the site: target folders on it, one
# existing and one still to be created.
W=$SITE/winshare
mount_ntfs "$TMP/w.img" "$W" ||
    skip_all "ntfs: could not mount a second NTFS volume"
mkdir -p "$W/existing"
mk_config "$SITE" \
    "mp3s|mp3s|$NM|songs/mp3s|mp3" \
    "onntfs|mp3s|$NM|winshare/existing|mp3" \
    "onntfs2|mp3s|$NM|winshare/new/deep|mp3"
snapshot "$W" "$TMP/w.snap"
run_rl -C "$SITE" sync
check "target on NTFS: exit 1" assert_rc 1
check "target on NTFS: two unsafe-target errors" \
    assert_count 2 "$ERR" '^error: .*\(unsafe-target\)$'
check "target on NTFS: each says why, in the same words" \
    assert_count 2 "$ERR" "is on a Windows filesystem \(FUSE \(ntfs-3g or virtiofs\)\); Linux symlinks made there cannot be opened from Windows: keep the site on the Linux side; nothing done for this set \(unsafe-target\)\$"
check "target on NTFS: not one symlink on the volume" \
    assert_eq "" "$(find -P "$W" -type l)"
check "target on NTFS: nothing at all changed on the volume" \
    assert_snapshot "$W" "$TMP/w.snap"
check "target on NTFS: the safe set still fine, nothing to do there" \
    assert_stdout_empty
check "target on NTFS: no symlink on the media volume either" \
    assert_eq "" "$(find -P "$E" -type l)"

finish
