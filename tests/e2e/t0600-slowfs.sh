#!/usr/bin/env bash
# t0600-slowfs: what a WSL user waits for.  The media root is slowfs
# (tests/slowfs), a FUSE passthrough that costs 1 ms a call, caches
# nothing (as WSL2's 9P drive) and counts every request the kernel sends
# it, by kind and by path.  Counts do not vary, so they are asserted:
#
# (a) a no-op sync over 50 media folders (25 projects, outputs/mp3s and
#     outputs/stems, each with 3 referenced and 3 unreferenced renders,
#     two link sets on one media root) against issue 10's goal, "<= 3
#     calls per media folder (openat, getdents64 until a short read,
#     close), the root once per run, 0 per file", which in FUSE requests
#     is (the kernel sends exactly these for those calls, measured):
#       openat(root, "project 07/outputs/mp3s")  one LOOKUP per component
#                                                (3 here) + OPENDIR
#       getdents64 until a short read            one READDIR (a folder of
#                                                8 entries is one reply)
#                                                + one READDIR answered
#                                                empty (readdir_end)
#       close                                    RELEASEDIR
#     The empty READDIR is the end of the listing: on 9P the getdents64
#     that comes back short has itself asked the server until an empty
#     answer (fs/9p/vfs_dir.c); on FUSE a short getdents64 does not mean
#     the end (tests/slowfs/slowfs.c), and that same round trip is a
#     second getdents64.  So per media folder at most 3 lookups, one
#     readdir_end and 3 other requests; the root (opened by its path: no
#     lookup reaches the drive) OPENDIR + RELEASEDIR once per run; and no
#     request at all on a file.  An fstat on an open folder is a GETATTR.
# (b) `sync -n`, `check` and `check --staged` make no more requests than
#     the no-op sync.
# (c) the drive goes away mid-run: renderlink is held inside a call
#     into it (slowfs stall_after), the mount is detached (`fusermount3
#     -u -z`) and slowfs ends, as the 9P server does when the drive is
#     pulled: a clear `source-unavailable`, and nothing in the target
#     folders is removed.
#
# Skipped, saying why, without slowfs (libfuse3-dev), root or /dev/fuse.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../slowfs/slowfs.sh"

SF=$(slowfs_find "$RL") || skip_all "slowfs is not built beside $RL" \
    "(it needs libfuse3-dev: make deps; make test builds it)"
why=$(slowfs_unusable)
[ -z "$why" ] || skip_all "$why"

# The figures at commit 7e11447 (before issue 10's scan work), for the
# messages: per media folder 8 requests = 3 lookup + opendir + getattr
# (fdopendir's fstat) + readdir + readdir_end (the second getdents64,
# which returns 0) + releasedir; the root 4 (opendir + releasedir for
# each of the 2 link sets); files 0.
TODAY="renderlink at 7e11447 made 8 per folder (3 lookup, 1 opendir, 1 getattr, 1 readdir, 1 readdir_end, 1 releasedir), 4 on the root (opendir + releasedir per link set), 0 per file"

PROJECTS=25
FOLDERS=$((PROJECTS * 2))
COMPONENTS=3	# project NN/outputs/mp3s
DRIVE=$TMP/drive	# the real folder behind the mount
STATS=$TMP/slowfs.json
mkdir -p "$DRIVE" "$MEDIA" "$SITE/_songs"
at_exit 'slowfs_umount "$MEDIA" "$STATS"'

for ((p = 1; p <= PROJECTS; p++)); do
	pp=$(printf '%02d' $p)
	page=$SITE/_songs/song-$pp.md
	printf -- '---\ntitle: Song %s\n' "$pp" >"$page"
	for set in mp3s:mp3 stems:wav; do
		key=${set%:*} ext=${set#*:}
		dir="project $pp/outputs/$key"
		mkdir -p "$DRIVE/$dir"
		echo "$key:" >>"$page"
		for t in 1 2 3; do
			name="Song $pp (120 bpm, take $t; 2025-01-0$t)"
			echo "$name" >"$DRIVE/$dir/$name.$ext"
			echo "$name" >"$DRIVE/$dir/$name unused.$ext"
			printf '  - "%s/%s.%s"\n' "$dir" "$name" "$ext" >>"$page"
		done
	done
	printf -- '---\nLyrics.\n' >>"$page"
done
mk_config "$SITE" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3" \
    "stems|stems|$MEDIA|songs/stems|wav"
echo "collections: [songs]" >>"$SITE/_config.yml"
printf 'songs/mp3s/\nsongs/stems/\n.jekyll-cache/\n' >"$SITE/.gitignore"

HAVE_GIT=
if command -v git >/dev/null; then
	unset $(git rev-parse --local-env-vars 2>/dev/null)
	export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
	unset GITHUB_ACTIONS CI
	git -c init.defaultBranch=main init -q "$SITE" &&
	    git -C "$SITE" add -A && HAVE_GIT=1
fi

slowfs_mount "$SF" "$DRIVE" "$MEDIA" "$STATS" 2>"$TMP/mount.err" ||
    skip_all "could not mount slowfs here: $(head -n 1 "$TMP/mount.err")"

# measure NAME ARGS...: run renderlink ARGS ($OUT, $ERR, $RC as run_rl)
# between two dumps of the counters; what reached the drive goes to
# $TMP/NAME.ops (tests/slowfs/slowfs-diff).
measure() {
	local name=$1
	shift
	slowfs_dump "$STATS" "$TMP/before" || return 1
	run_rl "$@"
	slowfs_dump "$STATS" "$TMP/after" || return 1
	slowfs_ops "$TMP/before" "$TMP/after" >"$TMP/$name.ops"
}

# figures NAME: sets, for a measured run, n_total (every request),
# n_files (on files and names that do not exist), n_dirs (on folders
# other than the root), n_lookups and n_end (lookups of those, and
# readdirs answered empty), n_root, root_line (its requests by kind) and
# per_folder (a line: the requests per media folder, by kind).
figures() {
	eval "$(python3 - "$TMP/$1.ops" "$FOLDERS" <<'EOF'
import json, sys
d, n = json.load(open(sys.argv[1])), int(sys.argv[2])
dirs = d["dirs"]
parts = ", ".join("%g %s" % (dirs[k] / n, k) for k in sorted(dirs)
                  if k not in ("n", "total"))
print("n_total=%d n_files=%d n_dirs=%d n_lookups=%d n_end=%d n_root=%d" % (
    d["total"], d["files"]["total"], dirs["total"], dirs.get("lookup", 0),
    dirs.get("readdir_end", 0), d["root"]["total"]))
print("per_folder='%g per folder (%s)'" % (dirs["total"] / n,
                                           parts or "none"))
root = d["root"]
print("root_line='%d on the root (%s)'" % (root["total"], ", ".join(
    "%d %s" % (root[k], k) for k in sorted(root) if k != "total") or "none"))
EOF
)"
}

# at_most WHAT GOT LIMIT: GOT <= LIMIT (numbers, maybe fractions).
at_most() {
	if ! awk -v a="$2" -v b="$3" 'BEGIN { exit !(a + 0 <= b + 0) }'; then
		echo "$1: $2, goal at most $3" >&2
		return 1
	fi
}

# ratio A B: A / B, as a short decimal.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%g\n", a / b }'
}

# --- (a) a no-op sync ------------------------------------------------------

run_rl -C "$SITE" sync
check "cold sync over slowfs: exit 0" assert_rc 0
check "cold sync over slowfs: 75 mp3 links" assert_entries 75 "$SITE/songs/mp3s"
check "cold sync over slowfs: 75 stem links" assert_entries 75 "$SITE/songs/stems"

measure noop -C "$SITE" sync
check "no-op sync: exit 0" assert_rc 0
check "no-op sync: nothing to do" assert_stdout_empty

figures noop
noop_total=$n_total
summary="no-op sync: $n_total requests: $per_folder over $FOLDERS media folders, $root_line, $n_files on files ($TODAY)"
echo "# $summary"

files_touched() {
	echo "requests on files (a media file must cost nothing):" >&2
	python3 - "$TMP/noop.ops" <<'EOF' >&2
import json, sys
d = json.load(open(sys.argv[1]))
for p, ops in sorted(d["paths"].items()):
    if ops["kind"] not in ("root", "dir"):
        print("  %s %s" % (p, ops))
EOF
}
check "no-op sync: 0 requests per media file" \
    eval 'at_most "requests on files" "$n_files" 0 || { files_touched; echo "$summary" >&2; false; }'
check "no-op sync: at most 3 requests per media folder besides lookups and the listing's end (opendir, one readdir, releasedir)" \
    eval 'at_most "requests per folder besides lookups and readdir_end" "$(ratio $((n_dirs - n_lookups - n_end)) $FOLDERS)" 3 || { echo "$summary" >&2; false; }'
check "no-op sync: the end of each media folder's listing read once (readdir_end)" \
    eval 'at_most "readdir_end per folder" "$(ratio $n_end $FOLDERS)" 1 || { echo "$summary" >&2; false; }'
check "no-op sync: at most one lookup per path component ($COMPONENTS) per media folder" \
    eval 'at_most "lookups per folder" "$(ratio $n_lookups $FOLDERS)" $COMPONENTS || { echo "$summary" >&2; false; }'
check "no-op sync: the media root opened once per run (opendir + releasedir)" \
    eval 'at_most "requests on the root" "$n_root" 2 || { echo "$summary" >&2; false; }'

# --- (b) dry run and check: never more than the no-op ----------------------

never_more() {	# never_more NAME
	figures "$1"
	echo "# $1: $n_total requests: $per_folder, $root_line, $n_files on files"
	at_most "$1: requests reaching the drive (the no-op sync made $noop_total)" "$n_total" "$noop_total"
}

measure dry -C "$SITE" sync -n
check "sync -n: exit 0, nothing to do" eval 'assert_rc 0 && assert_stdout_empty'
check "sync -n: no more requests on the drive than a no-op sync" never_more dry
if [ -n "$HAVE_GIT" ]; then
	measure check -C "$SITE" check
	check "check: exit 0" assert_rc 0
	check "check: no more requests on the drive than a no-op sync" \
	    never_more check
	measure staged -C "$SITE" check --staged
	check "check --staged: exit 0" assert_rc 0
	check "check --staged: no more requests on the drive than a no-op sync" \
	    never_more staged
else
	echo "# skip check and check --staged: git not found"
fi

# --- (c) the drive goes away mid-run ---------------------------------------

# Hold renderlink inside its call halfway through what a no-op sync asks
# of the drive (wherever the scan then is), pull the drive away, let go.
half=$((noop_total / 2))
slowfs_umount "$MEDIA" "$STATS"
slowfs_mount "$SF" "$DRIVE" "$MEDIA" "$STATS" -o stall_after=$half \
    2>>"$TMP/mount.err" ||
    not_ok "slowfs mounts again"
snapshot "$SITE/songs" "$TMP/songs.snap"
pid=$(cat "$STATS.pid")
RC=0
rl -C "$SITE" sync >"$OUT" 2>"$ERR" </dev/null &
rlpid=$!
BG_PIDS+=("$rlpid")
stalled=
for ((i = 0; i < 1500; i++)); do
	kill -USR1 "$pid" 2>/dev/null
	sleep 0.02
	[ "$(slowfs_field "$STATS" stalled)" = true ] && { stalled=1; break; }
	kill -0 "$rlpid" 2>/dev/null || break
done
check "renderlink is held inside call $((half + 1)) into the drive" test -n "$stalled"
fusermount3 -u -z -- "$MEDIA"
kill -TERM "$pid" 2>/dev/null
wait "$rlpid" || RC=$?
check "drive gone mid-run: exit 1 (errors reported)" assert_rc 1
check "drive gone mid-run: a source-unavailable error" \
    assert_grep "$ERR" '^error: .*\(source-unavailable\)$'
check "drive gone mid-run: no missing-source flood (the renders are not missing, the drive is)" \
    assert_no_grep "$ERR" '\(missing-source\)$'
check "drive gone mid-run: nothing in the target folders removed or changed" \
    assert_snapshot "$SITE/songs" "$TMP/songs.snap"

finish
