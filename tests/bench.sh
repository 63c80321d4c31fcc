#!/usr/bin/env bash
# bench.sh BINARY - print how long the hot paths take.  Never part of
# `make test`: timings are figures to read, not assertions.
#
# A site referencing 10,000 renders spread over 100 media folders (each
# folder also holding as many unreferenced takes), measured:
#   - cold sync (10,000 links created)
#   - no-op sync (everything right: the pre-commit/pre-build case)
#   - the floor: `find -type l -printf '%l\n'` over the same links
#   - system calls made in a no-op run, by kind (strace -c), to show that
#     media access grows with folders, not files
# and the same no-op run with the media root on a real NTFS volume
# (ntfs-3g, FUSE) where that can be mounted, every call crossing FUSE as
# it would cross WSL2's 9P bridge; and cold, no-op, dry run and
# `check --staged` with the media on slowfs, a drive that costs 1 ms a
# call as WSL2's does, beside ext4, with the requests that reached the
# drive and the floor `find MEDIA -type f` (tests/slowfs/bench.sh; its
# figures also go to bench.json beside the binary).
#
# Smaller runs: RENDERLINK_BENCH_FOLDERS (100) media folders of
# RENDERLINK_BENCH_PER (100) references each, RENDERLINK_BENCH_PAGES
# (10000) pages for the index; RENDERLINK_BENCH_NTFS=0 skips the NTFS
# volume, RENDERLINK_BENCH_SLOWFS=0 the slowfs block.
#
# Also fine with `sh tests/bench.sh` (the Makefile's way, and /bin/sh is
# dash on Debian): it re-executes itself with bash.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u
rl=$(realpath "${1:-build/renderlink}")
tmp=$(mktemp -d)
mnt=
slowmnt=
cleanup() {
	[ -n "$mnt" ] && umount "$mnt" 2>/dev/null
	[ -n "$slowmnt" ] && fusermount3 -u -z "$slowmnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

folders=${RENDERLINK_BENCH_FOLDERS:-100}
per=${RENDERLINK_BENCH_PER:-100}
pages=${RENDERLINK_BENCH_PAGES:-10000}

ms() { echo $(( ($2 - $1) / 1000000 )); }
now() { date +%s%N; }

make_tree() {	# make_tree MEDIA SITE
	local media=$1 site=$2 f i
	mkdir -p "$site/_data"
	for ((f = 0; f < folders; f++)); do
		mkdir -p "$media/project $f/outputs/mp3s"
		(cd "$media/project $f/outputs/mp3s" &&
		for ((i = 0; i < per; i++)); do
			: > "Song $f (120 bpm, take $i; 2025-01-01).mp3"
			: > "Song $f (120 bpm, take $i; 2025-01-01) unused.mp3"
		done)
	done
	{
		printf '{"version":1,"documents":[\n'
		for ((f = 0; f < folders; f++)); do
			printf '{"path":"_songs/s%d.md","front_matter":{"mp3s":[' $f
			for ((i = 0; i < per; i++)); do
				[ $i -gt 0 ] && printf ','
				printf '"project %d/outputs/mp3s/Song %d (120 bpm, take %d; 2025-01-01).mp3"' $f $f $i
			done
			printf ']}}'
			[ $f -lt $((folders - 1)) ] && printf ','
			printf '\n'
		done
		printf ']}\n'
	} > "$site/_data/front_matter.json"
	cat > "$site/_config.yml" <<EOC
renderlink:
  links:
    - name: mp3s
      key: mp3s
      source: $media
      target: songs/mp3s
      extensions: [mp3]
EOC
}

run() {	# run LABEL SITE -> prints ms
	local t0 t1
	t0=$(now)
	"$rl" -C "$2" -q sync >/dev/null || echo "($1: exit $?)" >&2
	t1=$(now)
	printf '  %-44s %6d ms\n' "$1" "$(ms $t0 $t1)"
}

bench_site() {	# bench_site LABEL MEDIA SITE
	local label=$1 media=$2 site=$3 t0 t1
	echo "$label: $((folders * per)) references in $folders media folders" \
	    "($((folders * per * 2)) renders on the drive)"
	make_tree "$media" "$site"
	run "cold sync (creates every link)" "$site"
	run "no-op sync" "$site"
	run "no-op sync, again" "$site"
	t0=$(now)
	find "$site/songs/mp3s" -type l -printf '%l\n' >/dev/null
	t1=$(now)
	printf '  %-44s %6d ms\n' "floor: find -type l -printf '%l'" \
	    "$(ms $t0 $t1)"
}

bench_site "ext4/tmpfs media" "$tmp/media" "$tmp/site"
if command -v strace >/dev/null; then
	echo "  system calls in a no-op run (strace -c -f):"
	strace -f -c -o "$tmp/strace" "$rl" -C "$tmp/site" -q sync >/dev/null
	# strace -c columns: % time, seconds, usecs/call, calls, errors
	# (blank when none), syscall: the calls are always the 4th field.
	printf '    %-12s %6s %6s\n' syscall calls errors
	awk 'NR > 2 && $NF ~ /^(openat|getdents64|readlinkat|newfstatat|statx|lstat|stat|fstatfs)$/ { printf "    %-12s %6d %6d\n", $NF, $4, NF == 6 ? $5 : 0 }' "$tmp/strace"
	echo "    (readlinkat: one per existing link in the site, on ext4;"
	echo "     openat/getdents64 on the media side: per folder, not per file)"
fi

if [ "${RENDERLINK_BENCH_NTFS:-1}" = 0 ]; then
	:
elif [ "$(id -u)" = 0 ] && [ -c /dev/fuse ] && command -v mkntfs >/dev/null &&
    command -v ntfs-3g >/dev/null; then
	truncate -s 256M "$tmp/e.img"
	mkntfs -F -f -q "$tmp/e.img" >/dev/null 2>&1 && mkdir -p "$tmp/e" &&
	    ntfs-3g "$tmp/e.img" "$tmp/e" && mnt=$tmp/e
fi
if [ -n "$mnt" ]; then
	bench_site "NTFS media (ntfs-3g)" "$mnt/media" "$tmp/site-ntfs"
elif [ "${RENDERLINK_BENCH_NTFS:-1}" = 0 ]; then
	echo "NTFS media: skipped (RENDERLINK_BENCH_NTFS=0)"
else
	echo "NTFS media: skipped (needs root, /dev/fuse, mkntfs and ntfs-3g)"
fi
# The same references with their media on slowfs (1 ms a call).
. "$(dirname "$0")/slowfs/bench.sh"
# The front matter index over a generated site of $pages pages.
isite=$tmp/index-site
mkdir -p "$isite/_songs"
printf 'collections: [songs]\nrenderlink:\n  links:\n    - name: mp3s\n      key: mp3s\n      source: %s\n      target: songs/mp3s\n      extensions: [mp3]\n' "$tmp/none" > "$isite/_config.yml"
for ((i = 0; i < pages; i++)); do
	printf -- '---\ntitle: "Song %d: take (%d)"\ndate: 2025-01-01\nbpm: 120\nmp3s:\n  - "project %d/outputs/mp3s/Song %d (120 bpm, take 1; 2025-01-01).mp3"\n---\nLyrics of song %d.\n' $i $i $i $i $i > "$isite/_songs/song-$i.md"
done
idx() {	# idx LABEL ARGS...
	local label=$1 t0 t1
	shift
	t0=$(now)
	"$rl" -C "$isite" -q index "$@" >/dev/null
	t1=$(now)
	printf '  %-44s %6d ms\n' "$label" "$(ms $t0 $t1)"
}
echo "front matter index: $pages pages"
idx "full index (no cache yet)"
idx "re-index, nothing changed"
sed -i 's/bpm: 120/bpm: 121/' "$isite/_songs/song-$((pages / 2)).md"
idx "re-index after editing one page"
idx "full index, --no-cache" --no-cache
idx "index --check (reads every page)" --check
if command -v git >/dev/null; then
	(cd "$isite" && git init -q . && git add -A) >/dev/null 2>&1
	t0=$(now)
	"$rl" -C "$isite" -q check --staged >/dev/null 2>&1
	t1=$(now)
	printf '  %-44s %6d ms\n' "check --staged (the pre-commit hook)" \
	    "$(ms $t0 $t1)"
fi

echo "for scale (FACTS.md): GNU Stow, 10,000 links: cold 5.45 s, no-op restow 1.36 s"
