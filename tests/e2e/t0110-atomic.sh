#!/usr/bin/env bash
# t0110-atomic: replacing a link is atomic for anyone reading the site
# (e.g. `jekyll serve` rebuilding): while the reference flips back and
# forth 50 times, a concurrent reader never finds the link missing or
# dangling, and the link ends up pointing at the last version.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" "v1/Flip (mix).mp3" "v2/Flip (mix).mp3"
L="$SITE/songs/mp3s/Flip (mix).mp3"
mk_refs "$SITE" _songs/flip.md mp3s "v1/Flip (mix).mp3"
run_rl -C "$SITE" sync
check "setup: link created" assert_link "$L" "$MEDIA/v1/Flip (mix).mp3"

# The reader: only shell builtins, so it polls as fast as it can.  -L
# checks the link itself, -e that it leads to a file.
stop=$TMP/stop
reader() {
	local n=0 bad=0
	while [ ! -e "$stop" ]; do
		if ! [ -L "$L" ] || ! [ -e "$L" ]; then
			bad=$((bad + 1))
		fi
		n=$((n + 1))
	done
	echo "$n $bad"
}
reader >"$TMP/reader.log" &
rpid=$!
BG_PIDS+=("$rpid")

flips=50
fails=""
for i in $(seq "$flips"); do
	v=$(( i % 2 ? 2 : 1 ))
	mk_refs "$SITE" _songs/flip.md mp3s "v$v/Flip (mix).mp3"
	run_rl -C "$SITE" sync
	if [ "$RC" != 0 ] ||
	    [ "$(cat "$OUT")" != "replace songs/mp3s/Flip (mix).mp3 -> $MEDIA/v$v/Flip (mix).mp3" ]; then
		fails+="flip $i: exit $RC: $(head -c 300 "$OUT" "$ERR")"$'\n'
	fi
done
touch "$stop"
wait "$rpid"
read -r iterations missing <"$TMP/reader.log"

check "every flip is one replace, exit 0" assert_eq "" "$fails"
check "reader ran throughout (over $flips polls)" \
    test "${iterations:-0}" -gt "$flips"
check "reader never saw the link missing or dangling" \
    assert_eq 0 "${missing:-unknown}"
check "link ends at the last version" \
    assert_link "$L" "$MEDIA/v$(( flips % 2 ? 2 : 1 ))/Flip (mix).mp3"
check "no temporary left" \
    assert_eq "" "$(find -P "$SITE" -name '.renderlink-tmp.*')"
check "the folder holds only the link" assert_entries 1 "$SITE/songs/mp3s"

finish
