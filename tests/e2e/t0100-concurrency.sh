#!/usr/bin/env bash
# t0100-concurrency: runs serialize on a lock held on the site root folder
# (flock(2), the same lock util-linux `flock SITE` takes).  Runs started
# together all succeed, do each action once and leave no temporaries; a
# run that cannot get the lock within --lock-timeout exits 3 having
# changed nothing, while the default timeout waits.  A symlink named
# .renderlink-tmp.* left by a killed run is cleaned up next time; a
# regular file with such a name is not ours and stays.
. "$(dirname "$0")/../lib.sh"

command -v flock >/dev/null || skip_all "flock(1) from util-linux not found"

mk_site "$SITE"
M=$SITE/songs/mp3s
refs=()
want=""
for i in $(seq -w 1 40); do
	mk_media "$MEDIA" "Song $i (take $i).mp3"
	refs+=("_songs/s$i.md" mp3s "Song $i (take $i).mp3")
	want+="create songs/mp3s/Song $i (take $i).mp3 -> $MEDIA/Song $i (take $i).mp3"$'\n'
done
mk_refs "$SITE" "${refs[@]}"

# 1. Four runs at once.
pids=()
for n in 1 2 3 4; do
	rl -C "$SITE" sync >"$TMP/par$n.out" 2>"$TMP/par$n.err" </dev/null &
	pids+=($!)
done
rcs=""
for p in "${pids[@]}"; do
	r=0
	wait "$p" || r=$?
	rcs+="$r "
done
check "four runs at once: all exit 0" assert_eq "0 0 0 0 " "$rcs"
check "four runs at once: no problem reported" \
    assert_eq "" "$(cat "$TMP"/par*.err)"
cat "$TMP"/par*.out >"$TMP/par.all"
check "four runs at once: every link created exactly once in total" \
    assert_lines "$TMP/par.all" "$want"
check "four runs at once: all 40 links there" assert_entries 40 "$M"
check "four runs at once: links are right" \
    assert_link "$M/Song 17 (take 17).mp3" "$MEDIA/Song 17 (take 17).mp3"
check "four runs at once: no temporary left anywhere" \
    assert_eq "" "$(find -P "$SITE" -name '.renderlink-tmp.*')"
run_rl -C "$SITE" sync
check "four runs at once: converged (next run has nothing to do)" \
    assert_stdout_empty

# 2. The lock is busy for longer than --lock-timeout.
mk_media "$MEDIA" "New.mp3"
refs+=(_songs/new.md mp3s New.mp3)
mk_refs "$SITE" "${refs[@]}"
bg flock -x "$SITE" sleep 6
holder=$BG_PID
for _ in $(seq 100); do
	flock -n -x "$SITE" true || break
	sleep 0.05
done
snapshot "$SITE" "$TMP/s1"
start=$(date +%s.%N)
run_rl -C "$SITE" sync --lock-timeout 1
end=$(date +%s.%N)
check "busy lock: exit 3" assert_rc 3
check "busy lock: one line: another run has the site, waited 1 s" \
    assert_lines "$ERR" "renderlink: another renderlink is still working on $SITE (waited 1 s; see --lock-timeout)"
check "busy lock: no action line" assert_stdout_empty
check "busy lock: nothing changed" assert_snapshot "$SITE" "$TMP/s1"
check "busy lock: waited about the timeout, not for the holder (0.8 s to 5 s)" \
    python3 -c "import sys; t = $end - $start; sys.exit(not 0.8 <= t <= 5)"
wait "$holder"

# 3. Default timeout: a short holder is waited for.
bg flock -x "$SITE" sleep 2
holder=$BG_PID
for _ in $(seq 100); do
	flock -n -x "$SITE" true || break
	sleep 0.05
done
run_rl -C "$SITE" sync
check "lock held 2 s, default timeout: waits and exits 0" assert_rc 0
check "lock held 2 s, default timeout: then does the work" \
    assert_stdout "create songs/mp3s/New.mp3 -> $MEDIA/New.mp3"
wait "$holder"

# 4. Leftovers of a killed run.
ln -s "$MEDIA/New.mp3" "$M/.renderlink-tmp.123.x"
ln -s /nonexistent "$M/.renderlink-tmp.456.y"
printf 'mine\n' >"$M/.renderlink-tmp.foo"
mkdir -p "$SITE/elsewhere"
ln -s "$MEDIA/New.mp3" "$SITE/elsewhere/.renderlink-tmp.789.z"
run_rl -C "$SITE" sync
check "leftover temporaries: exit 0" assert_rc 0
check "leftover temporary symlinks removed and reported" assert_stdout "\
remove songs/mp3s/.renderlink-tmp.123.x"
check "leftover temporary symlink gone" \
    assert_no_entry "$M/.renderlink-tmp.123.x"
check "a temporary-looking link renderlink would not have written stays" \
    assert_link "$M/.renderlink-tmp.456.y" /nonexistent
check "regular file named .renderlink-tmp.foo kept" \
    assert_eq mine "$(cat "$M/.renderlink-tmp.foo")"
check "temporary-looking link outside managed folders kept" \
    assert_link "$SITE/elsewhere/.renderlink-tmp.789.z" "$MEDIA/New.mp3"
check "real links untouched" assert_link "$M/New.mp3" "$MEDIA/New.mp3"

finish
