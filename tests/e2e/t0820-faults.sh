#!/usr/bin/env bash
# t0820-faults: when the filesystem says no, renderlink says so and
# leaves nothing half-done.
#
# Real faults, made with real mounts (the suite runs as root): no space
# and no inodes (a small tmpfs, `size=` and `nr_inodes=`, over the
# target folder or the whole site), a read-only target folder and a
# read-only site (read-only bind mounts: chmod does not stop root), an
# unreadable media folder and media root (chmod 000, with renderlink run
# as nobody, since nothing stops root reading).  Each run must name the
# path and the system's error, exit 1, leave no `.renderlink-tmp.*`,
# keep every link that was there and is still wanted, make each link
# fully or not at all, never truncate the index it could not replace,
# and, once the fault is gone, the next run converges.  A case that
# cannot be set up here (not root, no tmpfs) is skipped, saying why.
. "$(dirname "$0")/../lib.sh"

MOUNTS=()
# mnt ARGS... DIR: mount, remembered for the cleanup (innermost first).
mnt() {
	mount "$@" || return 1
	MOUNTS=("${@: -1}" "${MOUNTS[@]}")
}
unmount_all() {
	local m
	for m in "${MOUNTS[@]}"; do
		umount -l "$m" 2>/dev/null
	done
	MOUNTS=()
}
at_exit unmount_all

CAN_MOUNT=
if [ "$(id -u)" != 0 ]; then
	WHY_NOT="not root (mounting a tmpfs or a read-only bind needs root)"
elif ! mkdir -p "$TMP/probe" ||
    ! mount -t tmpfs -o size=64k rl-probe "$TMP/probe" 2>"$TMP/probe.err"; then
	WHY_NOT="cannot mount a tmpfs here: $(cat "$TMP/probe.err")"
else
	umount "$TMP/probe"
	CAN_MOUNT=1
fi

# fresh DIR MEDIA N: a site in DIR/site whose pages p1..pN each want
# a/tI.mp3 of MEDIA (which this makes), set mp3s -> songs/mp3s.
# SITE, M (the target folder) and MEDIA follow.
fresh() {
	local i
	SITE=$1/site
	MEDIA=$2
	M=$SITE/songs/mp3s
	mkdir -p "$SITE/_songs" "$M"
	mk_config "$SITE" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3"
	echo "collections: [songs]" >>"$SITE/_config.yml"
	for i in $(seq "$3"); do
		page "$i" a
		mk_media "$MEDIA" "a/t$i.mp3" "b/t$i.mp3"
	done
}

# page I DIR: page pI wants DIR/tI.mp3 (DIR "-": nothing).
page() {
	if [ "$2" = - ]; then
		printf -- '---\ntitle: p%s\n---\n' "$1" >"$SITE/_songs/p$1.md"
	else
		printf -- "---\ntitle: p%s\nmp3s: ['%s/t%s.mp3']\n---\n" "$1" \
		    "$2" "$1" >"$SITE/_songs/p$1.md"
	fi
}

# same_as FILE CMD...: CMD prints exactly FILE's bytes.
same_as() {
	local want=$1
	shift
	"$@" >"$TMP/got"
	assert_same_file "$want" "$TMP/got"
}

# links: "NAME TEXT" of each entry in the target folder.
links() {
	find -P "$M" -mindepth 1 -maxdepth 1 -printf '%f %l\n' | sort
}

# no_tmp: no temporary anywhere in the site.
no_tmp() {
	assert_eq "" "$(find -P "$SITE" -name '.renderlink-tmp.*')"
}

# whole_or_none LINK...: every wanted link is either right or absent,
# and each absent one has an apply-failed line naming it with ERROR.
whole_or_none() {
	local i bad=
	for i in "$@"; do
		if [ -L "$M/t$i.mp3" ]; then
			[ "$(readlink "$M/t$i.mp3")" = "$MEDIA/a/t$i.mp3" ] ||
			    bad+=" t$i.mp3:wrong-text"
		elif [ -e "$M/t$i.mp3" ]; then
			bad+=" t$i.mp3:not-a-link"
		elif ! grep -qxF "error: create 'songs/mp3s/t$i.mp3': $ERROR (apply-failed)" "$ERR"; then
			bad+=" t$i.mp3:absent-unreported"
		fi
	done
	assert_eq "" "$bad"
}

# --- no inodes in the target folder -------------------------------------------

if [ -z "$CAN_MOUNT" ]; then
	echo "# skip no inodes / no space / read-only cases: $WHY_NOT"
else
	ERROR="No space left on device"
	fresh "$TMP/inodes" "$TMP/inodes/media" 10
	# Room for 5 entries (the folder itself is one inode).
	mnt -t tmpfs -o nr_inodes=6,mode=0755 rl-inodes "$M"
	run_rl -C "$SITE" sync
	check "no inodes: exit 1" assert_rc 1
	check "no inodes: each link made whole or not at all, each failure named with the system's words" \
	    whole_or_none 1 2 3 4 5 6 7 8 9 10
	check "no inodes: 5 made, 5 refused" \
	    assert_eq "5 5" "$(links | wc -l) $(grep -c "^error: create 'songs/mp3s/t[0-9]*\.mp3': No space left on device (apply-failed)$" "$ERR")"
	check "no inodes: nothing but those errors" \
	    assert_eq 5 "$(wc -l <"$ERR")"
	check "no inodes: no temporary left" no_tmp
	links >"$TMP/links.before"
	# A replace needs a temporary: with no inode left it must fail and
	# keep the old link.
	first=$(head -n 1 "$TMP/links.before" | sed -E 's/^t([0-9]+)\.mp3 .*/\1/')
	page "$first" b
	run_rl -C "$SITE" sync
	check "no inodes: a replace that cannot make its temporary fails, exit 1" \
	    assert_grep "$ERR" "^error: replace 'songs/mp3s/t$first\.mp3': No space left on device \(apply-failed\)$"
	check "no inodes: the link it would have replaced is still there, as it was" \
	    same_as "$TMP/links.before" links
	check "no inodes: still no temporary" no_tmp
	mount -o remount,nr_inodes=64 "$M"
	run_rl -C "$SITE" sync
	check "no inodes: with inodes again the next run converges, exit 0" \
	    assert_eq "0 10 $MEDIA/b/t$first.mp3" "$RC $(links | wc -l) $(readlink "$M/t$first.mp3")"
	unmount_all

	# --- no space in the target folder ----------------------------------------
	# Link texts over 128 bytes take a page of a tmpfs each (shorter
	# ones live in the inode), so a full tmpfs refuses them.
	long=$TMP/space/media-$(printf '%0120d' 0)
	fresh "$TMP/space" "$long" 10
	mnt -t tmpfs -o size=16k,mode=0755 rl-space "$M"
	run_rl -C "$SITE" sync
	check "no space: exit 1" assert_rc 1
	check "no space: each link made whole or not at all, each failure named with the system's words" \
	    whole_or_none 1 2 3 4 5 6 7 8 9 10
	check "no space: some made, some refused" \
	    test "$(links | wc -l)" -gt 0 -a "$(links | wc -l)" -lt 10
	check "no space: no temporary left" no_tmp
	links >"$TMP/links.before"
	first=$(head -n 1 "$TMP/links.before" | sed -E 's/^t([0-9]+)\.mp3 .*/\1/')
	page "$first" b
	run_rl -C "$SITE" sync
	check "no space: a replace that cannot make its temporary fails" \
	    assert_grep "$ERR" "^error: replace 'songs/mp3s/t$first\.mp3': No space left on device \(apply-failed\)$"
	check "no space: the link it would have replaced is still there, as it was" \
	    same_as "$TMP/links.before" links
	check "no space: still no temporary" no_tmp
	unmount_all

	# --- no space in the site: the index, its cache, the manifest -------------
	fresh "$TMP/full" "$TMP/full/media" 10
	run_rl -C "$SITE" sync
	check "full site: setup synced" assert_eq "0 10" "$RC $(links | wc -l)"
	IDX=$SITE/_data/front_matter.json
	cp -a "$SITE" "$TMP/full/copy"
	mnt -t tmpfs -o size=1m,mode=0755 rl-full "$SITE"
	cp -a "$TMP/full/copy/." "$SITE/"
	cp "$IDX" "$TMP/index.before"
	dd if=/dev/zero of="$SITE/filler" bs=4k 2>/dev/null
	page 1 b
	page 2 -
	run_rl -C "$SITE" sync
	check "full site: sync exit 1" assert_rc 1
	check "full site: the index error names the file and the system's words" \
	    assert_grep "$ERR" "^error: _data/front_matter\.json: the index could not be written \(_data/front_matter\.json: No space left on device\).*\(apply-failed\)$"
	check "full site: the manifest it could not write is a warning naming it and the system's words" \
	    assert_grep "$ERR" "^warning: \.jekyll-cache/renderlink/manifest\.json: No space left on device \(manifest\)$"
	check "full site: the index it could not replace is whole, as it was" \
	    assert_same_file "$TMP/index.before" "$IDX"
	check "full site: the links still follow the pages (the index in memory)" \
	    assert_eq "t1.mp3 $MEDIA/b/t1.mp3|" \
	    "$(links | grep '^t1\.mp3 ')|$(links | grep '^t2\.mp3 ')"
	check "full site: no temporary left" no_tmp
	run_rl -C "$SITE" index
	check "full site: index exit 1" assert_rc 1
	check "full site: index names the file and the system's words" \
	    assert_grep "$ERR" "_data/front_matter\.json: No space left on device$"
	check "full site: the index is still whole, as it was" \
	    assert_same_file "$TMP/index.before" "$IDX"
	check "full site: still no temporary" no_tmp
	rm -f "$SITE/filler"
	run_rl -C "$SITE" sync
	check "full site: with room again the next sync converges, exit 0" \
	    assert_eq "0 9" "$RC $(links | wc -l)"
	check "full site: and writes the index" \
	    json_assert "$IDX" '[d2 for d2 in d["documents"] if d2["path"] == "_songs/p1.md"][0]["front_matter"]["mp3s"] == ["b/t1.mp3"]'
	unmount_all

	# --- no inodes in the site ------------------------------------------------
	fresh "$TMP/ifull" "$TMP/ifull/media" 10
	run_rl -C "$SITE" sync
	cp -a "$SITE" "$TMP/ifull/copy"
	n=$(find "$SITE" | wc -l)
	mnt -t tmpfs -o nr_inodes=$((n + 1)),mode=0755 rl-ifull "$SITE"
	cp -a "$TMP/ifull/copy/." "$SITE/"
	cp "$IDX" "$TMP/index.before"
	links >"$TMP/links.before"
	page 1 b
	page 11 a
	mk_media "$MEDIA" a/t11.mp3
	touch "$SITE/_songs/filler" 2>/dev/null
	run_rl -C "$SITE" sync
	check "no inodes in the site: exit 1" assert_rc 1
	check "no inodes in the site: the index error says it could not make its temporary, and why" \
	    assert_grep "$ERR" "^error: _data/front_matter\.json: the index could not be written \(_data/front_matter\.json: cannot create temporary: No space left on device\).*\(apply-failed\)$"
	check "no inodes in the site: the replace and the create fail, named" \
	    assert_eq 2 "$(grep -cE "^error: (replace 'songs/mp3s/t1|create 'songs/mp3s/t11)\.mp3': No space left on device \(apply-failed\)$" "$ERR")"
	check "no inodes in the site: every link as it was" \
	    same_as "$TMP/links.before" links
	check "no inodes in the site: the index as it was" \
	    assert_same_file "$TMP/index.before" "$IDX"
	check "no inodes in the site: no temporary left" no_tmp
	unmount_all

	# --- read-only target folder -----------------------------------------------
	fresh "$TMP/rot" "$TMP/rot/media" 10
	run_rl -C "$SITE" sync
	page 1 b
	page 2 -
	page 11 a
	mk_media "$MEDIA" a/t11.mp3
	run_rl -C "$SITE" index -q
	snapshot "$M" "$TMP/target.snap"
	mnt --bind "$M" "$M"
	mount -o remount,bind,ro "$M"
	run_rl -C "$SITE" sync
	check "read-only target: exit 1" assert_rc 1
	check "read-only target: the replace, the remove and the create each fail, named, with the system's words" \
	    assert_eq "error: create 'songs/mp3s/t11.mp3': Read-only file system (apply-failed)
error: remove 'songs/mp3s/t2.mp3': Read-only file system (apply-failed)
error: replace 'songs/mp3s/t1.mp3': Read-only file system (apply-failed)" \
	    "$(sort "$ERR")"
	check "read-only target: nothing in it changed" \
	    assert_snapshot "$M" "$TMP/target.snap"
	check "read-only target: no temporary left" no_tmp
	unmount_all
	run_rl -C "$SITE" sync
	check "read-only target: writable again, the next run converges" \
	    assert_eq "0 $MEDIA/b/t1.mp3 - $MEDIA/a/t11.mp3" \
	    "$RC $(readlink "$M/t1.mp3") $(readlink "$M/t2.mp3" || echo -) $(readlink "$M/t11.mp3")"

	# --- read-only site -----------------------------------------------------------
	fresh "$TMP/ros" "$TMP/ros/media" 10
	run_rl -C "$SITE" sync
	page 1 b
	page 2 -
	snapshot "$SITE" "$TMP/site.snap"
	mnt --bind "$SITE" "$SITE"
	mount -o remount,bind,ro "$SITE"
	run_rl -C "$SITE" sync
	check "read-only site: sync exit 1" assert_rc 1
	check "read-only site: the index error names the file and the system's words" \
	    assert_grep "$ERR" "^error: _data/front_matter\.json: the index could not be written \(_data/front_matter\.json: cannot create temporary: Read-only file system\).*\(apply-failed\)$"
	check "read-only site: the replace and the remove fail, named" \
	    assert_eq 2 "$(grep -cE "^error: (replace 'songs/mp3s/t1|remove 'songs/mp3s/t2)\.mp3': Read-only file system \(apply-failed\)$" "$ERR")"
	check "read-only site: nothing in it changed" \
	    assert_snapshot "$SITE" "$TMP/site.snap"
	run_rl -C "$SITE" index
	check "read-only site: index exit 1" assert_rc 1
	check "read-only site: index names the file and the system's words" \
	    assert_grep "$ERR" "_data/front_matter\.json: cannot create temporary: Read-only file system$"
	check "read-only site: still nothing changed" \
	    assert_snapshot "$SITE" "$TMP/site.snap"
	unmount_all
fi

# --- unreadable media folder and media root -----------------------------------
# chmod 000 stops anyone but root; as root, renderlink runs as nobody
# (the site is then nobody's).
as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		    env HOME="$HOME" "$@"
	else
		"$@"
	fi
}
run_as_user() {
	RC=0
	as_user ${RENDERLINK_WRAP:-} "$RL" "$@" >"$OUT" 2>"$ERR" </dev/null ||
	    RC=$?
}
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
	echo "# skip unreadable media: root reads anything, and no setpriv to run as nobody"
else
	fresh "$TMP/unread" "$TMP/unread/media" 4
	page 3 b
	page 4 b
	run_rl -C "$SITE" sync
	check "unreadable: setup synced" assert_eq "0 4" "$RC $(links | wc -l)"
	if [ "$(id -u)" = 0 ]; then
		chmod 0755 "$TMP"
		chown -R 65534:65534 "$TMP/unread/site"
		chmod -R a+rX "$TMP/unread/media"
	fi
	links >"$TMP/links.before"
	chmod 000 "$MEDIA/b"
	if as_user test -r "$MEDIA/b"; then
		echo "# skip unreadable media: chmod 000 does not stop $(as_user id -un)"
	else
		run_as_user -C "$SITE" sync
		check "unreadable folder: exit 1" assert_rc 1
		check "unreadable folder: the message names the folder and the system's words" \
		    assert_grep "$ERR" "^error: _songs/p3\.md: .*'b'.*Permission denied"
		check "unreadable folder: it does not claim the render does not exist" \
		    assert_no_grep "$ERR" "does not exist"
		check "unreadable folder: the links into it, still wanted, are kept" \
		    same_as "$TMP/links.before" links
		check "unreadable folder: no temporary left" no_tmp
		chmod 755 "$MEDIA/b"
		run_as_user -C "$SITE" sync
		links >"$TMP/links.before"
		chmod 000 "$MEDIA"
		run_as_user -C "$SITE" sync
		check "unreadable root: exit 1" assert_rc 1
		check "unreadable root: a source-unavailable naming the root and the system's words" \
		    assert_grep "$ERR" "^error: .*media root $MEDIA is not available \(Permission denied\).*\(source-unavailable\)$"
		check "unreadable root: every link kept" \
		    same_as "$TMP/links.before" links
		check "unreadable root: no temporary left" no_tmp
		chmod 755 "$MEDIA"
		run_as_user -C "$SITE" sync
		check "unreadable: readable again, the next run converges, exit 0" \
		    assert_eq "0 4" "$RC $(links | wc -l)"
	fi
	chmod -R u+rwX "$TMP/unread" 2>/dev/null
fi

finish
