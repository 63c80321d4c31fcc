#!/usr/bin/env bash
# t0125-wsl-edges: the WSL and Windows-share cases a musician's machine
# has, described to renderlink through RENDERLINK_MOUNTINFO (a mount
# table file used in place of /proc/self/mountinfo):
# - a target folder whose mount is drvfs (WSL1's Windows drives; WSL1
#   reports the same statfs magic for them as for its Linux root, lxfs, so
#   the mount table decides) is refused, a target on lxfs is not;
# - a target on a CIFS/SMB share (mount -t cifs) is refused the same way;
# - every such refusal says why, in the planner's words;
# - with WSL_DISTRO_NAME unset (sudo, services, git GUIs) a \\wsl$\ or
#   \\wsl.localhost\ media root is an error naming the variable, as WSL's
#   own wslpath refuses it; with it set the path maps to /.
. "$(dirname "$0")/../lib.sh"

WHY="Linux symlinks made there cannot be opened from Windows: keep the site on the Linux side"

mk_site "$SITE"
mk_media "$MEDIA" A.mp3 "B (take 2).mp3"
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s "B (take 2).mp3"
mkdir -p "$SITE/songs"

# mountinfo TYPE: a WSL1-like mount table where the site's songs/ folder
# is a mount of filesystem type TYPE; the rest is lxfs.
mountinfo() {
	local songs=${SITE// /\\040}/songs
	printf '%s\n' \
	    "2 0 0:2 / / rw,noatime - lxfs rootfs rw" \
	    "5 2 0:5 / /proc rw,nosuid,nodev,noexec - proc proc rw" \
	    "7 2 0:7 / /mnt/c rw,noatime - drvfs C:\\134 rw,case=off" \
	    "901 2 0:61 / $songs rw,noatime - $1 X:\\134 rw" \
	    >"$TMP/mountinfo"
}

export RENDERLINK_MOUNTINFO=$TMP/mountinfo

# refused TYPE DESC: a sync refuses the mp3s target on a TYPE mount.
refused() {
	mountinfo "$1"
	rm -rf "$SITE/songs/mp3s"
	run_rl -C "$SITE" sync
	check "$2: exit 1" assert_rc 1
	check "$2: an unsafe-target error for the set" \
	    assert_problem error "" unsafe-target
	check "$2: it says why" assert_grep "$ERR" \
	    "^error: link set 'mp3s': target folder 'songs/mp3s' is on a Windows filesystem \(.*\); $WHY; nothing done for this set \(unsafe-target\)$"
	check "$2: no link, no folder made" assert_no_entry "$SITE/songs/mp3s"
	check "$2: nothing done" assert_stdout_empty
}

refused drvfs "target on WSL1 drvfs (by the mount table)"
check "drvfs: named as such" assert_grep "$ERR" '\(drvfs \(WSL1\)\)'
refused cifs "target on an SMB share (cifs)"
check "cifs: named as a Windows share" assert_grep "$ERR" 'a Windows share'
refused smb3 "target on an SMB3 share (smb3)"

# The plan-time refusal (folder absent) and the one for an existing folder
# give the same words.
mountinfo drvfs
mkdir -p "$SITE/songs/mp3s"
run_rl -C "$SITE" sync
check "existing target folder on drvfs: refused" assert_rc 1
check "existing target folder on drvfs: same words" assert_grep "$ERR" \
    "target folder 'songs/mp3s' is on a Windows filesystem \(drvfs \(WSL1\)\); $WHY; nothing done"
check "existing target folder on drvfs: still empty" \
    assert_entries 0 "$SITE/songs/mp3s"

# lxfs is WSL1's Linux side: the links are made.
mountinfo lxfs
run_rl -C "$SITE" sync
check "target on lxfs: exit 0" assert_rc 0
check "target on lxfs: linked" assert_link "$SITE/songs/mp3s/A.mp3" "$MEDIA/A.mp3"
check "target on lxfs: no problem" assert_stderr_empty
unset RENDERLINK_MOUNTINFO

# --- \\wsl$\ media roots need WSL_DISTRO_NAME --------------------------------

S2=$TMP/site2
mk_site "$S2"
mk_refs "$S2" _songs/a.md mp3s A.mp3
WIN=${MEDIA//\//\\}
mk_config "$S2" "mp3s|mp3s|\\\\wsl\$\\Ubuntu$WIN|songs/mp3s|mp3"
unset WSL_DISTRO_NAME
run_rl -C "$S2" sync
check "\\\\wsl\$ root, WSL_DISTRO_NAME unset: a config error (exit 2)" \
    assert_rc 2
check "... naming the variable" assert_grep "$ERR" "WSL_DISTRO_NAME is not set"
check "... and the Linux path to write instead" assert_grep "$ERR" "'$MEDIA'"
check "... nothing linked" assert_no_entry "$S2/songs/mp3s"

mk_config "$S2" "mp3s|mp3s|\\\\wsl.localhost\\Ubuntu$WIN|songs/mp3s|mp3"
run_rl -C "$S2" sync
check "\\\\wsl.localhost root, WSL_DISTRO_NAME unset: exit 2" assert_rc 2
check "... naming the variable" assert_grep "$ERR" "WSL_DISTRO_NAME is not set"

export WSL_DISTRO_NAME=ubuntu
run_rl -C "$S2" sync
check "WSL_DISTRO_NAME set (any case): exit 0" assert_rc 0
check "... the share path maps to /" assert_link "$S2/songs/mp3s/A.mp3" "$MEDIA/A.mp3"

finish
