# slowfs/bench.sh - the block of tests/bench.sh (which sources it, in
# bash, with $rl, $tmp, $folders, $per, now and ms set) that puts the
# media on slowfs: a drive that costs RENDERLINK_BENCH_DELAY_US (1000)
# a call and caches nothing, as WSL2's 9P drive.
#
# On the same references as the rest of the bench ($folders media
# folders of $per referenced renders, as many unreferenced beside them,
# the tree bench.sh made in $tmp/media), named by $folders pages that
# renderlink indexes, in a git repository with the pages staged:
#   cold sync, no-op sync, dry run (sync -n), check --staged, and the
#   floor, `find MEDIA -type f` (it lists every folder once),
# each with its wall time on ext4 and on slowfs and the requests that
# reached the drive (medians of 3 runs; cold: one), then the goal of
# issue 11, no-op sync / floor <= 1.5 on slowfs, and the no-op sync's
# requests per media folder, per file and on the root.  The figures are
# also written as JSON to RENDERLINK_BENCH_JSON (default: bench.json
# beside the binary), {"slowfs": {...}}.
#
# Skipped, saying why, with RENDERLINK_BENCH_SLOWFS=0, without slowfs
# (`make bench` builds it where libfuse3-dev is installed), root or
# /dev/fuse.  Sets $slowmnt while mounted, for bench.sh's cleanup.

. "$(dirname "${BASH_SOURCE[0]}")/slowfs.sh"

# sf_site SITE SOURCE: pages naming the bench's references, in git.
sf_site() {
	local site=$1 f i
	mkdir -p "$site/_songs"
	for ((f = 0; f < folders; f++)); do
		{
			printf -- '---\ntitle: Song %d\nmp3s:\n' $f
			for ((i = 0; i < per; i++)); do
				printf '  - "project %d/outputs/mp3s/Song %d (120 bpm, take %d; 2025-01-01).mp3"\n' $f $f $i
			done
			printf -- '---\nLyrics.\n'
		} >"$site/_songs/s$f.md"
	done
	printf 'collections: [songs]\nrenderlink:\n  links:\n    - name: mp3s\n      key: mp3s\n      source: %s\n      target: songs/mp3s\n      extensions: [mp3]\n' \
	    "$2" >"$site/_config.yml"
	printf '/songs/mp3s/\n/.jekyll-cache/\n' >"$site/.gitignore"
	if command -v git >/dev/null; then
		git -c init.defaultBranch=main init -q "$site" &&
		    git -C "$site" add -A
	fi >/dev/null 2>&1
}

# sf_run STATS RUNS CMD...: runs CMD RUNS times; sets sf_ms (the median
# wall time) and, with STATS (slowfs counters), sf_ops (requests that
# reached the drive in the last run) and keeps what they were in
# $tmp/sf.ops.
sf_run() {
	local stats=$1 runs=$2 t0 t1 k v=()
	shift 2
	sf_ops=-
	for ((k = 0; k < runs; k++)); do
		[ -n "$stats" ] && slowfs_dump "$stats" "$tmp/sf.before"
		t0=$(now)
		"$@" >/dev/null 2>"$tmp/sf.err" ||
		    echo "($* : exit $?: $(head -n 1 "$tmp/sf.err"))" >&2
		t1=$(now)
		v+=("$(ms $t0 $t1)")
		if [ -n "$stats" ]; then
			slowfs_dump "$stats" "$tmp/sf.after"
			slowfs_ops "$tmp/sf.before" "$tmp/sf.after" >"$tmp/sf.ops"
			sf_ops=$(slowfs_ops "$tmp/sf.before" "$tmp/sf.after" total)
		fi
	done
	sf_ms=$(printf '%s\n' "${v[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
}

sf_bench() {
	local sf why stats=$tmp/slowfs.json delay=${RENDERLINK_BENCH_DELAY_US:-1000}
	local ext=$tmp/sf-ext4 slow=$tmp/sf-slow git=1 key label
	local -A ems sms sops
	local keys=(cold noop dry staged floor)
	local -A labels=([cold]="cold sync (creates every link)"
	    [noop]="no-op sync" [dry]="dry run (sync -n)"
	    [staged]="check --staged (the pre-commit hook)"
	    [floor]="floor: find MEDIA -type f")

	if [ "${RENDERLINK_BENCH_SLOWFS:-1}" = 0 ]; then
		echo "media on slowfs: skipped (RENDERLINK_BENCH_SLOWFS=0)"
		return
	fi
	if ! sf=$(slowfs_find "$rl"); then
		echo "media on slowfs: skipped (slowfs is not built beside $rl;" \
		    "make bench builds it where libfuse3-dev is installed)"
		return
	fi
	why=$(slowfs_unusable)
	if [ -n "$why" ]; then
		echo "media on slowfs: skipped ($why)"
		return
	fi
	mkdir -p "$tmp/slow"
	if ! slowfs_mount "$sf" "$tmp/media" "$tmp/slow" "$stats" \
	    -o delay_us="$delay" 2>"$tmp/sf.mount"; then
		echo "media on slowfs: skipped (could not mount:" \
		    "$(head -n 1 "$tmp/sf.mount"))"
		return
	fi
	slowmnt=$tmp/slow
	command -v git >/dev/null || git=
	sf_site "$ext" "$tmp/media"
	sf_site "$slow" "$tmp/slow"

	echo "media on slowfs, $delay us a call (as WSL2's drive):" \
	    "$((folders * per)) references in $folders media folders"
	sf_run "" 1 "$rl" -C "$ext" -q sync
	ems[cold]=$sf_ms
	sf_run "$stats" 1 "$rl" -C "$slow" -q sync
	sms[cold]=$sf_ms sops[cold]=$sf_ops
	sf_run "" 3 "$rl" -C "$ext" -q sync
	ems[noop]=$sf_ms
	sf_run "$stats" 3 "$rl" -C "$slow" -q sync
	sms[noop]=$sf_ms sops[noop]=$sf_ops
	cp "$tmp/sf.ops" "$tmp/sf.noop.ops"
	sf_run "" 3 "$rl" -C "$ext" -q sync -n
	ems[dry]=$sf_ms
	sf_run "$stats" 3 "$rl" -C "$slow" -q sync -n
	sms[dry]=$sf_ms sops[dry]=$sf_ops
	if [ -n "$git" ]; then
		sf_run "" 3 "$rl" -C "$ext" -q check --staged
		ems[staged]=$sf_ms
		sf_run "$stats" 3 "$rl" -C "$slow" -q check --staged
		sms[staged]=$sf_ms sops[staged]=$sf_ops
	fi
	sf_run "" 3 find "$tmp/media" -type f
	ems[floor]=$sf_ms
	sf_run "$stats" 3 find "$tmp/slow" -type f
	sms[floor]=$sf_ms sops[floor]=$sf_ops
	cp "$tmp/sf.ops" "$tmp/sf.floor.ops"
	slowfs_umount "$tmp/slow" "$stats"
	slowmnt=

	printf '  %-40s %9s %12s %9s\n' "" "ext4" "slowfs" "requests"
	for key in "${keys[@]}"; do
		label=${labels[$key]}
		if [ -z "${sms[$key]:-}" ]; then
			printf '  %-40s %9s\n' "$label" "(no git)"
			continue
		fi
		printf '  %-40s %6s ms %9s ms %9s\n' "$label" "${ems[$key]}" \
		    "${sms[$key]}" "${sops[$key]}"
	done
	python3 - "$tmp/sf.noop.ops" "$tmp/sf.floor.ops" "$folders" \
	    "$((folders * per))" "$delay" "${RENDERLINK_BENCH_JSON:-$(dirname "$rl")/bench.json}" \
	    "$(for key in "${keys[@]}"; do
		printf '%s %s %s %s\n' "$key" "${ems[$key]:--}" \
		    "${sms[$key]:--}" "${sops[$key]:--}"
	    done)" <<'EOF'
import json, sys
noop, floor = (json.load(open(p)) for p in sys.argv[1:3])
folders, refs, delay, out = int(sys.argv[3]), int(sys.argv[4]), \
    int(sys.argv[5]), sys.argv[6]
num = lambda s: None if s == "-" else int(s)
runs = {}
for line in sys.argv[7].splitlines():
    k, e, s, o = line.split()
    runs[k] = {"ext4_ms": num(e), "slowfs_ms": num(s), "requests": num(o)}
ratio = (runs["noop"]["slowfs_ms"] / runs["floor"]["slowfs_ms"]
         if runs["floor"]["slowfs_ms"] else None)
d = noop["dirs"]
per_folder = {k: d[k] / folders for k in sorted(d) if k not in ("n",)}
print("  no-op sync / floor on slowfs: %s (goal <= 1.5)" %
      ("%.2fx" % ratio if ratio is not None else "n/a"))
print("  no-op sync on slowfs: %g requests per media folder (%s), %d on "
      "files, %d on the root" % (
          d["total"] / folders,
          ", ".join("%g %s" % (v, k) for k, v in per_folder.items()
                    if k != "total"),
          noop["files"]["total"], noop["root"]["total"]))
print("  floor on slowfs: %g requests per media folder" %
      (floor["total"] / folders))
doc = {"slowfs": {
    "delay_us": delay, "references": refs, "media_folders": folders,
    "runs": runs, "noop_over_floor": ratio, "goal_noop_over_floor": 1.5,
    "noop_requests": {"per_media_folder": per_folder,
                      "files": noop["files"]["total"],
                      "root": noop["root"]["total"]},
    "floor_requests_per_media_folder": floor["total"] / folders}}
try:
    with open(out + ".tmp", "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    import os
    os.replace(out + ".tmp", out)
    print("  (these figures as JSON: %s)" % out)
except OSError as e:
    print("  (could not write %s: %s)" % (out, e))
EOF
}

sf_bench
