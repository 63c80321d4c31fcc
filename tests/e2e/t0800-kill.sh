#!/usr/bin/env bash
# t0800-kill: SIGKILL at any moment loses nothing and leaves nothing.
#
# A cold sync of 3,000 links (3,000 pages, so it writes the index, its
# cache and the manifest too), an `index --no-cache` of those 3,000
# pages and a re-sync that replaces and removes thousands of links (one
# set's media root moved, so those links are renderlink's only by the
# manifest) are each killed with SIGKILL after a random delay drawn
# uniformly within the run's measured duration, RENDERLINK_KILL_TRIALS
# times each (default 20; RENDERLINK_SEED replays a run's draws).  After
# every kill the next run (sync, resp. index) exits 0 with exactly the
# wanted links (right text, nothing else in the target folders), the
# index a clean run writes, no `.renderlink-tmp.*` anywhere in the site,
# and every foreign entry (files, folders, fifos, foreign symlinks in the
# target folders, _data and renderlink's cache folder; the pages) as it
# was, by lstat facts and checksums; the run after that is quiet.
#
# Then the same at fixed moments, with strace killing renderlink as it
# enters a chosen call (the first, middle and last symlinkat, the fsync
# and rename of each atomic write, the swap and unlink of a replace or
# remove): those are the moments a temporary exists, which a random
# kill rarely hits on a fast filesystem.  Last, a killed run's links
# must still be renderlink's after the media root moves (README,
# "Ownership": the manifest is how links survive a change of root).
#
# The site and media live on a tmpfs when root can mount one (a symlink
# costs ~0.4 ms on this machine's disk, which would make 20 trials of
# each take minutes); the kernel's rename and symlink semantics that a
# kill tests are the same there.
. "$(dirname "$0")/../lib.sh"

TRIALS=${RENDERLINK_KILL_TRIALS:-20}
SEED=${RENDERLINK_SEED:-$(( $(date +%s%N) % 32768 ))}
RANDOM=$SEED
echo "# seed $SEED (RENDERLINK_SEED=$SEED replays these draws), $TRIALS trials"

W=$TMP/w
mkdir -p "$W"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=512m,mode=0755 rl-kill "$W" \
    2>/dev/null; then
	at_exit "umount -l '$W' 2>/dev/null"
	echo "# site and media on a tmpfs"
else
	echo "# site and media on $TMP (no tmpfs here: not root, or no mount)"
fi
SITE=$W/site
MEDIA=$W/media
MEDIA2=$W/media2
ELSEWHERE=$W/elsewhere
EXPECT=$TMP/expect
IDXREF=$TMP/index.ref
export SITE MEDIA MEDIA2

# State A: pages 0-1499 each want take I.mp3, pages 1500-2999 each
# stem I.wav, both sets reading $MEDIA.  State B: of the mp3 pages a
# third keeps its take, a third wants the same name from another folder
# (replace), a third wants none (remove); 500 new pages want new takes
# (create); the stems set reads $MEDIA2 (every stem link replaced; the
# old ones are renderlink's only by the manifest).  Made once, in
# $TMP/state.X/: the pages, the config and `expect`, one line per wanted
# link ("set-folder/name l text"); `gen X` puts one in the site.
python3 - "$TMP" <<'EOF2'
import os, sys
tmp = sys.argv[1]
media, media2 = os.environ["MEDIA"], os.environ["MEDIA2"]
for state in "AB":
    d = "%s/state.%s" % (tmp, state)
    os.makedirs(d + "/_songs")
    want = []
    def page(i, key, ref):
        with open("%s/_songs/s%04d.md" % (d, i), "w") as f:
            f.write("---\ntitle: Song %d\n" % i)
            if key:
                f.write("%s:\n  - '%s'\n" % (key, ref))
            f.write("---\nbody %d\n" % i)
    for i in range(3500):
        if i < 1500:
            ref = "f%02d/take %d.mp3" % (i // 100, i)
            if state == "B" and i % 3 == 1:
                ref = "g%02d/take %d.mp3" % (i // 100, i)
            if state == "B" and i % 3 == 2:
                page(i, None, None)
                continue
            page(i, "mp3s", ref)
            want.append("songs/mp3s/take %d.mp3 l %s/%s" % (i, media, ref))
        elif i < 3000:
            ref = "f%02d/stem %d.wav" % (i // 100, i)
            page(i, "stems", ref)
            want.append("songs/stems/stem %d.wav l %s/%s"
                        % (i, media2 if state == "B" else media, ref))
        elif state == "B":
            ref = "h%02d/take %d.mp3" % (i // 100, i)
            page(i, "mp3s", ref)
            want.append("songs/mp3s/take %d.mp3 l %s/%s" % (i, media, ref))
    with open(d + "/expect", "w") as f:
        f.write("".join(sorted(w + "\n" for w in want)))
    with open(d + "/_config.yml", "w") as f:
        f.write("""title: renderlink kill test
collections: [songs]
renderlink:
  links:
    - name: mp3s
      key: mp3s
      source: '%s'
      target: 'songs/mp3s'
      extensions: [mp3]
    - name: stems
      key: stems
      source: '%s'
      target: 'songs/stems'
      extensions: [wav]
""" % (media, media2 if state == "B" else media))
EOF2
gen() {
	rm -rf "$SITE/_songs"
	cp -r "$TMP/state.$1/_songs" "$SITE/_songs"
	cp "$TMP/state.$1/_config.yml" "$SITE/_config.yml"
	cp "$TMP/state.$1/expect" "$EXPECT"
}

# The media: takes in f00-f14 (and, for the replaced ones, g00-g14),
# new takes in h30-h34, stems in f15-f29 of both roots.
python3 - <<'EOF'
import os
m, m2 = os.environ["MEDIA"], os.environ["MEDIA2"]
def put(root, rel):
    os.makedirs(os.path.dirname(root + "/" + rel), exist_ok=True)
    with open(root + "/" + rel, "w") as f:
        f.write(rel + "\n")
for i in range(1500):
    put(m, "f%02d/take %d.mp3" % (i // 100, i))
    put(m, "g%02d/take %d.mp3" % (i // 100, i))
for i in range(1500, 3000):
    put(m, "f%02d/stem %d.wav" % (i // 100, i))
    put(m2, "f%02d/stem %d.wav" % (i // 100, i))
for i in range(3000, 3500):
    put(m, "h%02d/take %d.mp3" % (i // 100, i))
EOF

# Foreign entries, all named user-*: beside the links, in _data and in
# renderlink's own cache folder.  No symlink here points below a media
# root (such a link would be renderlink's by the README's rule).
mkdir -p "$SITE/songs/mp3s" "$SITE/songs/stems" "$SITE/_data" \
    "$SITE/.jekyll-cache/renderlink" "$ELSEWHERE/dir"
printf 'elsewhere\n' >"$ELSEWHERE/x.mp3"
printf -- '---\ntitle: Home\n---\nHello.\n' >"$SITE/index.md"
for d in songs/mp3s songs/stems _data .jekyll-cache/renderlink; do
	T=$SITE/$d
	printf 'notes in %s\n' "$d" >"$T/user-notes.txt"
	mkdir -p "$T/user-dir/sub"
	printf 'inside\n' >"$T/user-dir/sub/f.mp3"
	ln -s "$MEDIA/f00/take 0.mp3" "$T/user-dir/sub/link.mp3"
	ln -s /etc/hostname "$T/user-hostname.mp3"
	ln -s /nonexistent/take.mp3 "$T/user-dangling.mp3"
	ln -s "$ELSEWHERE/dir" "$T/user-folder-link"
	ln -s ../../index.md "$T/user-relative.md"
	ln -s "$MEDIA-other/take 1.mp3" "$T/user-prefix.mp3"
	mkfifo "$T/user-fifo"
	printf 'x' >"$T/user-ro.txt"
	chmod 0400 "$T/user-ro.txt"
done
printf 'band: us\n' >"$SITE/_data/user-band.yml"

# Everything in the site but what renderlink writes (its links, the
# index, the cache, the manifest, the folders holding them) and
# temporaries (checked on their own): lstat facts, then checksums.
foreign_snap() {
	{
		find -P "$SITE" \
		    ! \( -path "$SITE/songs/mp3s" -o -path "$SITE/songs/stems" \
		    -o -path "$SITE/_data" \
		    -o -path "$SITE/.jekyll-cache/renderlink" \) \
		    ! \( \( -path "$SITE/songs/mp3s/*" \
		    -o -path "$SITE/songs/stems/*" \) ! -path '*/user-*' \) \
		    ! -path "$SITE/_data/front_matter.json" \
		    ! -path "$SITE/.jekyll-cache/renderlink/manifest.json" \
		    ! -path "$SITE/.jekyll-cache/renderlink/pages.tsv" \
		    ! -name '.renderlink-tmp.*' \
		    -printf '%y %p %l %m %s %T@ %C@ %i %n\n' | sort
		find -P "$SITE" -type f -path '*user-*' -exec md5sum -- {} + |
		    sort
		find -P "$SITE/_songs" "$SITE/index.md" "$SITE/_config.yml" \
		    -type f -exec md5sum -- {} + | sort
	} >"$1"
}

# same_as FILE CMD...: CMD prints exactly FILE's bytes.
same_as() {
	local want=$1
	shift
	"$@" >"$TMP/got"
	assert_same_file "$want" "$TMP/got"
}

# The links renderlink keeps now, as $EXPECT lists them.
links_now() {
	local d
	for d in songs/mp3s songs/stems; do
		[ -d "$SITE/$d" ] || continue
		find -P "$SITE/$d" -mindepth 1 -maxdepth 1 ! -name 'user-*' \
		    -printf "$d/%f %y %l\n"
	done | sort
}

# Back to no link, no index, no cache, no manifest (foreign entries
# stay).
reset_cold() {
	find -P "$SITE/songs/mp3s" "$SITE/songs/stems" -mindepth 1 \
	    -maxdepth 1 ! -name 'user-*' -delete
	rm -f "$SITE/_data/front_matter.json" \
	    "$SITE/.jekyll-cache/renderlink/manifest.json" \
	    "$SITE/.jekyll-cache/renderlink/pages.tsv"
}

now_us() {
	local t=${EPOCHREALTIME/./}
	echo "${t#0}"
}

# measure ARGS...: the median wall time of three full runs (µs), each
# after `prepare`, in $DUR.
measure() {
	local i t0 t1 v=()
	for i in 1 2 3; do
		prepare
		t0=$(now_us)
		rl "$@" >/dev/null 2>&1 </dev/null
		t1=$(now_us)
		v+=($((t1 - t0)))
	done
	DUR=$(printf '%s\n' "${v[@]}" | sort -n | sed -n 2p)
}

# kill_after US ARGS...: starts renderlink and SIGKILLs it US µs later.
# KILLED=1 if it was still running then (it died of the signal).
kill_after() {
	local us=$1 pid rc
	shift
	${RENDERLINK_WRAP:-} "$RL" "$@" >"$TMP/killed.out" \
	    2>"$TMP/killed.err" </dev/null &
	pid=$!
	sleep "$(printf '%d.%06d' $((us / 1000000)) $((us % 1000000)))"
	kill -KILL "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	rc=$?
	KILLED=$((rc == 137))
}

draw() {
	echo $(( (RANDOM * 32768 + RANDOM) % $1 ))
}

# converged WHAT: after a kill, the state is the one wanted.  Appends to
# $BAD what is wrong.
converged() {
	local what=$1 tmps
	if [ "$RC" != 0 ] || grep -q '^error:' "$ERR"; then
		BAD+="$what: next run exit $RC: $(head -c 300 "$ERR")"$'\n'
	fi
	links_now >"$TMP/links.now"
	if ! cmp -s "$EXPECT" "$TMP/links.now"; then
		BAD+="$what: links differ: $(diff "$EXPECT" "$TMP/links.now" |
		    grep '^[<>]' | head -n 3 | tr '\n' ' ')"$'\n'
	fi
	tmps=$(find -P "$SITE" -name '.renderlink-tmp.*' | head -n 3)
	[ -z "$tmps" ] || BAD+="$what: temporaries left: $tmps"$'\n'
	foreign_snap "$TMP/foreign.now"
	if ! cmp -s "$TMP/foreign.want" "$TMP/foreign.now"; then
		BAD+="$what: foreign entries changed: $(diff "$TMP/foreign.want" \
		    "$TMP/foreign.now" | grep '^[<>]' | head -n 4 |
		    tr '\n' ' ')"$'\n'
	fi
	if ! cmp -s "$IDXREF" "$SITE/_data/front_matter.json"; then
		BAD+="$what: the index is not the one a clean run writes"$'\n'
	fi
	if [ -e "$SITE/.jekyll-cache/renderlink/manifest.json" ] &&
	    ! grep -q '^  "version": 2$' \
	    "$SITE/.jekyll-cache/renderlink/manifest.json"; then
		BAD+="$what: the manifest is not a version 2 manifest"$'\n'
	fi
}

# right_after_kill WHAT: what a kill left is whole: each link in the
# target folders is a wanted one or, for a re-sync, one of the state
# before ($BEFORE), with its full text, or a temporary; the index is
# absent or exactly one a clean run writes (never half-written).
right_after_kill() {
	local what=$1 odd
	odd=$(links_now | grep -v '^songs/[a-z0-9]*/\.renderlink-tmp\.' |
	    grep -vxFf "$EXPECT" | grep -vxFf "$BEFORE" | head -n 3)
	[ -z "$odd" ] || BAD+="$what: right after the kill, links neither old nor new: $odd"$'\n'
	if [ -e "$SITE/_data/front_matter.json" ] &&
	    ! cmp -s "$IDXREF" "$SITE/_data/front_matter.json" &&
	    ! cmp -s "$IDXREF.old" "$SITE/_data/front_matter.json"; then
		BAD+="$what: right after the kill, the index is neither the old one nor the new"$'\n'
	fi
}

# quiet WHAT ARGS...: the run after the converging one does nothing.
quiet() {
	local what=$1
	shift
	run_rl "$@"
	if [ "$RC" != 0 ] || [ -s "$OUT" ] || [ -s "$ERR" ]; then
		BAD+="$what: the run after is not quiet: exit $RC: $(head -c 200 "$OUT" "$ERR" | tr '\n' ' ')"$'\n'
	fi
}

# The index a clean run writes, in each state.
gen A
run_rl -C "$SITE" sync
check "setup: a clean cold sync makes 3,000 links, exit 0" \
    assert_eq "0 3000" "$RC $(links_now | grep -c ' l ')"
check "setup: exactly the wanted links" \
    same_as "$EXPECT" links_now
cp "$SITE/_data/front_matter.json" "$IDXREF.A"
gen B
run_rl -C "$SITE" sync
check "setup: a clean re-sync replaces and removes, exit 0" assert_rc 0
check "setup: its output: 2,000 replaced, 500 removed, 500 created" \
    assert_eq "2000 500 500" "$(grep -c '^replace ' "$OUT") $(grep -c '^remove ' "$OUT") $(grep -c '^create ' "$OUT")"
check "setup: exactly the wanted links after the re-sync" \
    same_as "$EXPECT" links_now
cp "$SITE/_data/front_matter.json" "$IDXREF.B"

# trials NAME FINAL-ARGS: $TRIALS random kills of the run `killed`
# does, each after `prepare`, then FINAL-ARGS converges.
trials() {
	local name=$1 t us hits=0 t0=$SECONDS
	shift
	BAD=
	measure "${killed_args[@]}"
	echo "# $name: a full run takes $((DUR / 1000)) ms"
	for t in $(seq "$TRIALS"); do
		prepare
		foreign_snap "$TMP/foreign.want"
		us=$(draw "$DUR")
		kill_after "$us" "${killed_args[@]}"
		hits=$((hits + KILLED))
		right_after_kill "trial $t (kill at $((us / 1000)) ms)"
		# Finished before the kill: the measure was long (a busy
		# machine); aim earlier from now on.
		[ "$KILLED" = 1 ] || DUR=$((DUR * 4 / 5 + 1))
		run_rl "$@"
		converged "trial $t (kill at $((us / 1000)) ms, killed $KILLED)"
		quiet "trial $t" "$@"
	done
	echo "# $name: $hits of $TRIALS kills landed while it ran ($((SECONDS - t0)) s)"
	check "$name: after each of $TRIALS kills the next run converges, nothing left, nothing foreign touched" \
	    assert_eq "" "$BAD"
	check "$name: at least a quarter of the kills landed mid-run" \
	    test "$hits" -ge $(( (TRIALS + 3) / 4 ))
}

# --- random kills -----------------------------------------------------------

prepare() { reset_cold; }
gen A
cp "$IDXREF.A" "$IDXREF"
cp "$IDXREF.A" "$IDXREF.old"
BEFORE=$TMP/empty
: >"$BEFORE"
killed_args=(-C "$SITE" sync -q)
trials "cold sync of 3,000 links" -C "$SITE" sync -q

prepare() {
	rm -f "$SITE/_data/front_matter.json" \
	    "$SITE/.jekyll-cache/renderlink/pages.tsv"
}
killed_args=(-C "$SITE" index --no-cache)
trials "index --no-cache of 3,000 pages" -C "$SITE" index -q

prepare() {
	reset_cold
	gen A
	rl -C "$SITE" sync -q >/dev/null 2>&1 </dev/null
	gen B
}
cp "$IDXREF.B" "$IDXREF"
cp "$IDXREF.A" "$IDXREF.old"
BEFORE=$TMP/state.A/expect
killed_args=(-C "$SITE" sync -q)
trials "re-sync: 2,000 replaced, 500 removed, 500 created" -C "$SITE" sync -q

# --- kills at fixed calls -----------------------------------------------------

# inject CALL N ARGS...: renderlink killed by strace as it enters its Nth
# CALL.  INJECTED=1 if that happened.
inject() {
	local call=$1 n=$2 rc
	shift 2
	rc=0
	# (the braces keep the shell's "Killed" notice out of the output)
	{ strace -o /dev/null -e trace="$call" \
	    -e inject="$call":signal=KILL:when="$n" "$RL" "$@" \
	    >"$TMP/killed.out" 2>"$TMP/killed.err" </dev/null; } 2>/dev/null ||
	    rc=$?
	INJECTED=$((rc == 137))
}

# at WHAT TMP? CALL N KILLED-ARGS -- FINAL-ARGS: one fixed kill.  TMP?
# "tmp" if a temporary must be there after the kill (so the sweep is
# what is proved).
at() {
	local what=$1 needtmp=$2 call=$3 n=$4 a=() b
	shift 4
	while [ "$1" != -- ]; do
		a+=("$1")
		shift
	done
	shift
	prepare
	foreign_snap "$TMP/foreign.want"
	inject "$call" "$n" "${a[@]}"
	right_after_kill "$what"
	b=$(find -P "$SITE" -name '.renderlink-tmp.*' | head -n 1)
	if [ "$INJECTED" != 1 ]; then
		BAD+="$what: strace did not kill it at $call #$n"$'\n'
	elif [ "$needtmp" = tmp ] && [ -z "$b" ]; then
		BAD+="$what: the kill left no temporary to clean up"$'\n'
	fi
	run_rl "$@"
	converged "$what"
	quiet "$what" "$@"
}

if [ -n "${RENDERLINK_WRAP:-}" ]; then
	echo "# skip kills at fixed calls: strace cannot inject under RENDERLINK_WRAP"
elif ! command -v strace >/dev/null ||
    ! strace -o /dev/null -e inject=getpid:retval=1 true 2>/dev/null; then
	echo "# skip kills at fixed calls: strace cannot inject here"
else
	BAD=
	t0=$SECONDS
	prepare() { reset_cold; }
	gen A
	cp "$IDXREF.A" "$IDXREF"
	cp "$IDXREF.A" "$IDXREF.old"
	BEFORE=$TMP/empty
	S=(-C "$SITE" sync -q)
	at "cold sync killed at its first symlinkat" - symlinkat 1 "${S[@]}" -- "${S[@]}"
	at "cold sync killed at its 1,501st symlinkat" - symlinkat 1501 "${S[@]}" -- "${S[@]}"
	at "cold sync killed at its last symlinkat" - symlinkat 3000 "${S[@]}" -- "${S[@]}"
	at "cold sync killed at the index's fsync" tmp fsync 1 "${S[@]}" -- "${S[@]}"
	at "cold sync killed at the index's rename" tmp renameat 1 "${S[@]}" -- "${S[@]}"
	at "cold sync killed at the manifest's fsync" tmp fsync 3 "${S[@]}" -- "${S[@]}"
	at "cold sync killed at the manifest's rename" tmp renameat 3 "${S[@]}" -- "${S[@]}"

	prepare() {
		rm -f "$SITE/_data/front_matter.json" \
		    "$SITE/.jekyll-cache/renderlink/pages.tsv"
	}
	I=(-C "$SITE" index -q --no-cache)
	at "index killed at the index's fsync" tmp fsync 1 "${I[@]}" -- -C "$SITE" index -q
	at "index killed at the cache's fsync" tmp fsync 2 "${I[@]}" -- -C "$SITE" index -q
	at "index killed at the cache's rename" tmp renameat 2 "${I[@]}" -- -C "$SITE" index -q

	# The re-sync's calls in order: per link, a replace is symlinkat
	# (temporary), renameat2 (swap), unlinkat (the old link, now the
	# temporary); a remove is renameat2 (aside), unlinkat.  Killed at
	# a renameat2, a replace's new link waits under a temporary; at an
	# unlinkat, a replaced or removed link does.
	prepare() {
		reset_cold
		gen A
		rl -C "$SITE" sync -q >/dev/null 2>&1 </dev/null
		gen B
	}
	cp "$IDXREF.B" "$IDXREF"
	cp "$IDXREF.A" "$IDXREF.old"
	BEFORE=$TMP/state.A/expect
	# The first renameat2 is a replace's (take 1), the last a stem's;
	# some in between are removes' (no temporary yet).
	for n in 1 2499; do
		at "re-sync killed at renameat2 #$n" tmp renameat2 "$n" "${S[@]}" -- "${S[@]}"
	done
	at "re-sync killed at renameat2 #700" - renameat2 700 "${S[@]}" -- "${S[@]}"
	for n in 1 700 2499; do
		at "re-sync killed at unlinkat #$n" tmp unlinkat "$n" "${S[@]}" -- "${S[@]}"
	done
	check "kills at fixed calls (each symlinkat, fsync, rename, swap and unlink kind): the next run converges, nothing left, nothing foreign touched" \
	    assert_eq "" "$BAD"

	# --- a killed run's links are still renderlink's after the root moves --
	# Control: after a clean sync, moving the media root (the folder and
	# the config's source) replaces every link.
	moved_root() {
		mv "$MEDIA" "$MEDIA.moved"
		sed -i "s#'$MEDIA'#'$MEDIA.moved'#" "$SITE/_config.yml"
		run_rl -C "$SITE" sync -q
		MOVED="$RC $(grep -c '(conflict)$' "$ERR") $(links_now | grep -c " l $MEDIA.moved/")"
		mv "$MEDIA.moved" "$MEDIA"
		gen A
	}
	echo "# kills at fixed calls: $((SECONDS - t0)) s"
	reset_cold
	gen A
	rl -C "$SITE" sync -q >/dev/null 2>&1 </dev/null
	moved_root
	check "root moved after a clean sync: exit 0, no conflict, 3,000 links into the new root" \
	    assert_eq "0 0 3000" "$MOVED"
	# A run killed after its last link and before the manifest is
	# written leaves links that are renderlink's by their text but have
	# no record; the next sync has nothing to do and writes nothing (a
	# no-op writes nothing, even the manifest).  Were the root moved
	# then, those links would be conflicts: kept, never lost.  A kill
	# mid-run is covered: the next run has work and records them all.
	for k in "symlinkat 1501"; do
		reset_cold
		inject ${k% *} ${k#* } -C "$SITE" sync -q
		rl -C "$SITE" sync -q >/dev/null 2>&1 </dev/null
		moved_root
		check "root moved after a sync killed at ${k% *} #${k#* } and the sync after it: exit 0, no conflict, 3,000 links into the new root" \
		    assert_eq "0 0 3000" "$MOVED"
	done
fi

finish
