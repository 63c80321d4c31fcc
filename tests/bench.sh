#!/usr/bin/env bash
# bench.sh BINARY - every row of the speed table (issue 10, README
# "Speed"): renderlink beside its floor, as medians, with the ratio and
# the goal, printed and written as JSON.  Never part of `make test`:
# timings are figures to read, not assertions (tests/e2e/t0180-bench.sh
# only checks that every row comes out).
#
# Sites (tests/bench/mksite.py; real pages, indexed by `renderlink index`
# itself, so the index is renderlink's and every sync brings it up to
# date, as a user's does):
#   10k:  RENDERLINK_BENCH_FOLDERS (400) media folders of
#         RENDERLINK_BENCH_PER (25) referenced renders, as many unreferenced
#         takes beside them; one page per media folder naming its renders
#   10k pages: the same references, one page each (10,000 pages): the
#         re-index row, and a second no-op row
#   100k: RENDERLINK_BENCH_BIG_FOLDERS (4000) media folders of the same
#         shape (RENDERLINK_BENCH_BIG=0 skips it)
# Rows: no-op sync vs `find TARGET -type l -printf '%l\n'` + `find MEDIA
# -type f` (10k, 100k); calls into the media tree per media folder (strace
# -f -y, tests/bench/stracecount.py); cold sync vs a C loop of symlinkat
# over the same names and texts (tests/bench/symlinks.c) and its calls and
# directory writes per link; peak memory of the 100k no-op; re-index after
# editing one page vs `index --no-cache`; GNU Stow (`stow --no-folding`)
# cold and no-op; the no-op with one Ruby plug-in (hook/plugins/
# latest-take) vs the no-op without it plus the plug-in's start-up.
# Figures are CPU seconds (user + sys, from wait4's rusage) and wall
# seconds, medians of RENDERLINK_BENCH_RUNS (7; 5 for the slow ones:
# RENDERLINK_BENCH_SLOW_RUNS), measured by tests/bench/brun.c.  Then the
# media on slowfs, 1 ms a call (tests/slowfs/bench.sh;
# RENDERLINK_BENCH_SLOWFS=0 skips it).  The JSON goes to
# RENDERLINK_BENCH_JSON (default: bench.json beside the binary):
# {"rows": [...], "measurements": {...}, "slowfs": {...}}.
#
# Needs python3 and cc (the bench tools are built beside the binary by
# `make bench`, else here); strace and stow (`make bench-deps`) for their
# rows, which are skipped, saying why, without them.
#
# Also fine with `sh tests/bench.sh` (the Makefile's way, and /bin/sh is
# dash on Debian): it re-executes itself with bash.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u
rl=$(realpath "${1:-build/renderlink}")
here=$(cd "$(dirname "$0")" && pwd -P)
tmp=$(mktemp -d)
tmp=$(cd "$tmp" && pwd -P)
slowmnt=
cleanup() {
	[ -n "$slowmnt" ] && fusermount3 -u -z "$slowmnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

folders=${RENDERLINK_BENCH_FOLDERS:-400}
per=${RENDERLINK_BENCH_PER:-25}
bigfolders=${RENDERLINK_BENCH_BIG_FOLDERS:-4000}
runs=${RENDERLINK_BENCH_RUNS:-7}
slowruns=${RENDERLINK_BENCH_SLOW_RUNS:-5}
json=${RENDERLINK_BENCH_JSON:-$(dirname "$rl")/bench.json}
refs=$((folders * per))
bigrefs=$((bigfolders * per))
m=$tmp/m	# one JSON file per measurement, for report.py
mkdir -p "$m"

ms() { echo $(( ($2 - $1) / 1000000 )); }	# for the slowfs block
now() { date +%s%N; }

# The bench tools: beside the binary (make bench), one folder up
# (build/san/renderlink), else built here.
tool() {
	local c
	for c in "$(dirname "$rl")/bench/$1" "$(dirname "$rl")/../bench/$1"; do
		if [ -x "$c" ] && [ "$c" -nt "$here/bench/$1.c" ]; then
			echo "$c"
			return
		fi
	done
	${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -o "$tmp/$1" "$here/bench/$1.c" &&
	    echo "$tmp/$1"
}
brun=$(tool brun) && symlinks=$(tool symlinks) || {
	echo "bench: could not build tests/bench/brun.c or symlinks.c" >&2
	exit 1
}

# measure "KEY..." "LABEL|..." [brun options] GROUP [:: GROUP]...: the
# medians of each group (measured in turn, round after round, so that
# what is compared sees the same load) into $m/KEY.json, and a line
# saying what they are.
measure() {
	local keys=($1) labels k i=0
	IFS='|' read -r -a labels <<<"$2"
	shift 2
	"$brun" "$@" >"$tmp/brun.out" 2>"$tmp/brun.err"
	if [ -s "$tmp/brun.err" ]; then	# "brun: CMD exited N"
		echo "(${labels[0]}: $(head -n 1 "$tmp/brun.err"))" >&2
	fi
	for k in "${keys[@]}"; do
		i=$((i + 1))
		sed -n "${i}p" "$tmp/brun.out" >"$m/$k.json"
		python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("  %-52s %7.3f s CPU %7.3f s wall %7.1f MiB" % (sys.argv[2], d["cpu"],
      d["wall"], d["maxrss_kib"] / 1024))' "$m/$k.json" "${labels[i - 1]}"
	done
}
note() {	# note KEY JSON: a figure that is not a timing
	printf '%s\n' "$2" >"$m/$key.json"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "renderlink bench: $(nproc) cores, load average $load0;" \
    "CPU s = user + sys, medians of $runs runs ($slowruns for the slow ones)"

# ---- the 10k sites ------------------------------------------------------
media=$tmp/media site=$tmp/site psite=$tmp/site-pages
python3 "$here/bench/mksite.py" "$media" "$site" "$folders" "$per" folder &&
    python3 "$here/bench/mksite.py" "$media" "$psite" "$folders" "$per" ref \
    --no-media || exit 1
echo "$refs references in $folders media folders ($((refs * 2)) renders on" \
    "the drive): $folders pages, and $refs pages of one reference each"
for s in "$site" "$psite"; do
	"$rl" -C "$s" -q index && "$rl" -C "$s" -q sync ||
	    echo "(first sync of $s: exit $?)" >&2
done
tgt=$site/songs/mp3s
find "$tgt" -type l -printf '%f\t%l\n' >"$tmp/links.txt"

measure "noop_10k floor_10k" \
    "no-op sync, $refs refs, $folders pages|floor: find TARGET + find MEDIA" \
    -n "$runs" "$rl" -C "$site" -q sync :: \
    find "$tgt" -type l -printf '%l\n' ';;' find "$media" -type f
measure "noop_10k_pages floor_10k_pages" \
    "no-op sync, $refs refs, $refs pages|floor: find TARGET + find MEDIA" \
    -n "$runs" "$rl" -C "$psite" -q sync :: \
    find "$psite/songs/mp3s" -type l -printf '%l\n' ';;' find "$media" -type f

# Cold: no links, no manifest; the index and its cache stay (a first
# sync after `renderlink init` + `index`: link creation is what is timed).
# ext4 makes a symlink whose text is over 60 bytes in a block of its own,
# through the journal, and how long that takes swings with what the
# machine's other users write: the loop runs right after each sync.
measure "cold_10k loop_10k" "cold sync, $refs links|floor: C loop of symlinkat" \
    -n "$slowruns" \
    -p "rm -rf '$tgt' '$site/.jekyll-cache/renderlink/manifest.json'" \
    "$rl" -C "$site" -q sync :: \
    -p "rm -rf '$tmp/loop'" "$symlinks" "$tmp/loop" "$tmp/links.txt"
rm -rf "$tmp/loop"

# Re-index after editing one page of the one-page-per-reference site (the
# edit flips a front matter value, so the index is rewritten), against a
# full index that reads every page again.
page=$psite/_songs/song-$((folders / 2))-0.md
measure "reindex_10k fullindex_10k" \
    "re-index after editing one page of $refs|full index --no-cache, $refs pages" \
    -n "$runs" \
    -p "if grep -q 'bpm: 120' '$page'; then sed -i 's/bpm: 120/bpm: 121/' '$page'; else sed -i 's/bpm: 121/bpm: 120/' '$page'; fi" \
    "$rl" -C "$psite" -q index :: "$rl" -C "$psite" -q index --no-cache

# One Ruby plug-in (the shipped latest-take, with no page asking it for
# anything: what it costs to be configured), and its start-up alone, as
# issue 8 says (`ruby PLUGIN </dev/null`: it exits 2 on no input), and
# with the input renderlink hands it (caught from a plug-in that echoes
# it to stderr, which renderlink shows prefixed "capture: ").
rsite=$tmp/site-plugin
if command -v ruby >/dev/null; then
	take=$(cd "$here/../hook/plugins" && pwd -P)/latest-take
	python3 "$here/bench/mksite.py" "$media" "$rsite" "$folders" "$per" \
	    folder --no-media --plugin "$take" &&
	    "$rl" -C "$rsite" -q index && "$rl" -C "$rsite" -q sync ||
	    echo "(plug-in site: exit $?)" >&2
	cat >"$tmp/capture.yml" <<EOC
collections: [songs]
renderlink:
  links:
    - {name: mp3s, key: mp3s, source: '$media', target: songs/mp3s, extensions: [mp3]}
  plugins:
    - name: capture
      run: [sh, -c, "cat >&2; echo '{\"protocol\":1}'"]
      sets: [mp3s]
EOC
	"$rl" -C "$rsite" --config "../capture.yml" -q sync -n 2>&1 >/dev/null |
	    sed -n 's/^capture: //p' >"$tmp/plugin-input.json"
	measure "plugin_noop plugin_base plugin_startup plugin_startup_input" \
	    "no-op sync with one Ruby plug-in|no-op sync without it|ruby latest-take </dev/null (start-up)|ruby latest-take <its input ($(wc -c <"$tmp/plugin-input.json") bytes)" \
	    -n "$runs" -k "$rl" -C "$rsite" -q sync :: \
	    "$rl" -C "$site" -q sync :: ruby "$take" :: \
	    sh -c 'exec ruby "$1" <"$2"' sh "$take" "$tmp/plugin-input.json"
else
	note plugin_skip '{"skipped": "ruby is not installed"}'
	echo "  plug-in row: skipped (ruby is not installed)"
fi

# GNU Stow over the same 10,000 names: its package holds the files (Stow
# links into its own stow folder, not to 400 media folders), measured as
# FACTS.md says, --no-folding (one link per file).
if command -v stow >/dev/null; then
	mkdir -p "$tmp/stow/pkg/songs/mp3s" "$tmp/stow-site"
	cut -f1 "$tmp/links.txt" |
	    (cd "$tmp/stow/pkg/songs/mp3s" && xargs -d '\n' touch --)
	measure "stow_cold stow_noop" \
	    "stow --no-folding, cold ($refs links)|stow --no-folding, no-op" \
	    -n "$slowruns" -p "rm -rf '$tmp/stow-site/songs'" \
	    stow --no-folding -d "$tmp/stow" -t "$tmp/stow-site" pkg :: \
	    stow --no-folding -d "$tmp/stow" -t "$tmp/stow-site" pkg
	rm -rf "$tmp/stow" "$tmp/stow-site"
else
	note stow_skip '{"skipped": "GNU Stow is not installed (make bench-deps)"}'
	echo "  stow rows: skipped (GNU Stow is not installed: make bench-deps)"
fi

# System calls, counted (they do not vary): what a no-op sync asks of
# the media tree, beside what the floor's find asks; what a cold sync
# does per link.
if command -v strace >/dev/null; then
	st="strace -f -y -s 4096 -qq"
	$st -o "$tmp/st.noop" "$rl" -C "$site" -q sync >/dev/null
	$st -o "$tmp/st.find" find "$media" -type f >/dev/null
	rm -rf "$tgt" "$site/.jekyll-cache/renderlink/manifest.json"
	$st -o "$tmp/st.cold" "$rl" -C "$site" -q sync >/dev/null
	$st -o "$tmp/st.loop" "$symlinks" "$tmp/st-loop" "$tmp/links.txt"
	python3 "$here/bench/stracecount.py" media "$tmp/st.noop" "$media" \
	    "$folders" >"$m/calls_noop.json"
	python3 "$here/bench/stracecount.py" media "$tmp/st.find" "$media" \
	    "$folders" >"$m/calls_find.json"
	python3 "$here/bench/stracecount.py" writes "$tmp/st.cold" "$tgt" \
	    "$refs" >"$m/calls_cold.json"
	python3 "$here/bench/stracecount.py" writes "$tmp/st.loop" \
	    "$tmp/st-loop" "$refs" >"$m/calls_loop.json"
	rm -f "$tmp"/st.*
	echo "  system calls counted (strace -f -y): no-op, find, cold sync, loop"
else
	note calls_skip '{"skipped": "strace is not installed (make bench-deps)"}'
	echo "  system call rows: skipped (strace is not installed)"
fi

# ---- the media on slowfs, 1 ms a call (issue 11) -----------------------
# It reads $tmp/media, $folders and $per; its JSON is merged below.
rm -rf "$psite" "$rsite"
RENDERLINK_BENCH_JSON=$tmp/slowfs-block.json
. "$here/slowfs/bench.sh"
unset RENDERLINK_BENCH_JSON

# ---- the 100k site -------------------------------------------------------
if [ "${RENDERLINK_BENCH_BIG:-1}" != 0 ]; then
	rm -rf "$site" "$media" "$tmp"/sf-*
	bmedia=$tmp/bigmedia bsite=$tmp/bigsite
	python3 "$here/bench/mksite.py" "$bmedia" "$bsite" "$bigfolders" \
	    "$per" folder || exit 1
	echo "$bigrefs references in $bigfolders media folders:" \
	    "$bigfolders pages"
	"$rl" -C "$bsite" -q index && "$rl" -C "$bsite" -q sync ||
	    echo "(first sync of the 100k site: exit $?)" >&2
	measure "noop_100k floor_100k" \
	    "no-op sync, $bigrefs refs|floor: find TARGET + find MEDIA" \
	    -n "$slowruns" "$rl" -C "$bsite" -q sync :: \
	    find "$bsite/songs/mp3s" -type l -printf '%l\n' ';;' \
	    find "$bmedia" -type f
else
	note big_skip '{"skipped": "RENDERLINK_BENCH_BIG=0"}'
	echo "100k site: skipped (RENDERLINK_BENCH_BIG=0)"
fi

load1=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$here/bench/report.py" "$m" "$json" "$tmp/slowfs-block.json" \
    "refs=$refs" "folders=$folders" "bigrefs=$bigrefs" \
    "bigfolders=$bigfolders" "runs=$runs" "slowruns=$slowruns" \
    "cores=$(nproc)" "load_start=$load0" "load_end=$load1"
