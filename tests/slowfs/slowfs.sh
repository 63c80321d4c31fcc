# slowfs.sh - shell helpers to mount slowfs (tests/slowfs/slowfs.c) and
# read its counters.  Sourced (bash) by tests/e2e/t0600-slowfs.sh and
# tests/bench.sh; nothing here runs on its own.
#
#   slowfs_find BINARY        the slowfs built beside BINARY, or one folder
#                             up (build/san/renderlink -> build/slowfs), or
#                             $RENDERLINK_SLOWFS; fails if none
#   slowfs_unusable           prints why slowfs cannot be mounted here
#                             (no root, no /dev/fuse, no fusermount3)
#   slowfs_mount SLOWFS SRC MNT STATS [OPTION...]
#                             mounts SRC at MNT (in the background); the
#                             counters go to STATS, the daemon's pid to
#                             STATS.pid
#   slowfs_dump STATS OUT     asks for the counters (SIGUSR1) until two
#                             answers 0.1 s apart agree (the kernel sends
#                             a close's release after close(2) returned),
#                             and copies them to OUT
#   slowfs_umount MNT STATS   unmounts and waits for the daemon to end
#   slowfs_ops BEFORE AFTER [KEY]
#                             what reached the drive between two dumps:
#                             tests/slowfs/slowfs-diff (JSON, or one KEY)

SLOWFS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)

slowfs_find() {
	local d c
	if [ -n "${RENDERLINK_SLOWFS:-}" ]; then
		[ -x "$RENDERLINK_SLOWFS" ] && echo "$RENDERLINK_SLOWFS"
		return
	fi
	d=$(dirname -- "$1")
	for c in "$d/slowfs" "$d/../slowfs"; do
		if [ -f "$c" ] && [ -x "$c" ]; then
			realpath -- "$c"
			return 0
		fi
	done
	return 1
}

slowfs_unusable() {
	if [ "$(id -u)" != 0 ]; then
		echo "mounting slowfs needs root"
	elif [ ! -c /dev/fuse ]; then
		echo "mounting slowfs needs /dev/fuse"
	elif ! command -v fusermount3 >/dev/null; then
		echo "slowfs needs fusermount3 (Debian package fuse3)"
	fi
}

# The mount is there once the kernel lists it (the daemon forks only
# after mounting, but be safe).
slowfs_mounted() {
	local mnt
	mnt=$(realpath -- "$1") || return 1
	awk -v m="$mnt" '$5 == m {
		for (i = 6; i < NF; i++)
			if ($i == "-" && $(i + 1) == "fuse.slowfs")
				f = 1
	} END { exit !f }' /proc/self/mountinfo
}

slowfs_mount() {
	local sf=$1 src=$2 mnt=$3 stats=$4 i
	shift 4
	rm -f -- "$stats" "$stats.pid"
	"$sf" --stats "$stats" --pidfile "$stats.pid" "$@" "$src" "$mnt" ||
	    return 1
	for ((i = 0; i < 200; i++)); do
		[ -s "$stats.pid" ] && slowfs_mounted "$mnt" && return 0
		sleep 0.02
	done
	echo "slowfs: $mnt did not appear in the mount table" >&2
	return 1
}

slowfs_field() {	# slowfs_field STATS NAME: a top-level number
	sed -n "s/^ \"$2\": \\([0-9a-z]*\\),\$/\\1/p" "$1" 2>/dev/null
}

slowfs_dump() {
	local stats=$1 out=$2 pid seq cur prev= i j
	pid=$(cat "$stats.pid") || return 1
	for ((i = 0; i < 50; i++)); do
		seq=$(slowfs_field "$stats" seq)
		kill -USR1 "$pid" || return 1
		for ((j = 0; j < 500; j++)); do
			cur=$(slowfs_field "$stats" seq)
			[ -n "$cur" ] && [ "$cur" != "${seq:-}" ] && break
			sleep 0.01
		done
		cur=$(slowfs_field "$stats" total)
		if [ -n "$cur" ] && [ "$cur" = "$prev" ]; then
			cp -- "$stats" "$out"
			return 0
		fi
		prev=$cur
		sleep 0.1
	done
	echo "slowfs: the counters of $stats never settled" >&2
	return 1
}

slowfs_umount() {
	local mnt=$1 stats=$2 pid i
	pid=$(cat "$stats.pid" 2>/dev/null)
	fusermount3 -u -- "$mnt" 2>/dev/null ||
	    fusermount3 -u -z -- "$mnt" 2>/dev/null
	[ -n "$pid" ] || return 0
	for ((i = 0; i < 250; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.02
	done
	kill "$pid" 2>/dev/null
	return 0
}

slowfs_ops() {
	python3 "$SLOWFS_DIR/slowfs-diff" "$@"
}
