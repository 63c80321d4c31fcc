#!/usr/bin/env bash
# t0190-progress: a run a person waits for shows what it is doing on
# stderr, on a terminal only: never when stderr is a file or a pipe,
# with -q, or with --format json/github, and not at all in a run that
# ends within the first second.  RENDERLINK_PROGRESS_DELAY=0 stands in
# for a long run; `script` gives the run a real terminal.
. "$(dirname "$0")/../lib.sh"

command -v script >/dev/null 2>&1 || skip_all "script (util-linux) not installed"

mk_site "$SITE"
mkdir -p "$SITE/_songs"
printf 'collections: [songs]\n' >>"$SITE/_config.yml"
rm -f "$SITE/_data/front_matter.json"
for i in $(seq 1 300); do
	printf -- '---\nmp3s: [a/%s.mp3]\n---\n' "$i" >"$SITE/_songs/s$i.md"
	: >"$MEDIA/$i.mp3"
done
mkdir -p "$MEDIA/a" && mv "$MEDIA"/*.mp3 "$MEDIA/a/"

# tty CMD...: run CMD with a terminal for stdin, stdout and stderr; what
# the terminal showed is in $TMP/tty.
tty() {
	script -qec "$(printf '%q ' "$@")" /dev/null >"$TMP/tty" 2>&1 </dev/null
}

export RENDERLINK_PROGRESS_DELAY=0
tty "$RL" -C "$SITE" sync -n
check "on a terminal, a long run shows progress on stderr" \
    grep -q 'reading pages: [0-9]*/[0-9]*' "$TMP/tty"
check "... and erases the line before it prints" \
    grep -q $'\r\033\[K' "$TMP/tty"
tty "$RL" -C "$SITE" -q sync -n
check "-q: no progress" bash -c "! grep -q 'reading pages' '$TMP/tty'"
tty "$RL" -C "$SITE" --format json sync -n
check "--format json: no progress" bash -c "! grep -q 'reading pages' '$TMP/tty'"
tty "$RL" -C "$SITE" --format github sync -n
check "--format github: no progress" bash -c "! grep -q 'reading pages' '$TMP/tty'"
run_rl -C "$SITE" sync -n
check "stderr not a terminal: no progress" assert_no_grep "$ERR" 'reading pages'
tty "$RL" -C "$SITE" index --no-cache
check "index shows progress too" grep -q 'reading pages: ' "$TMP/tty"
unset RENDERLINK_PROGRESS_DELAY
tty "$RL" -C "$SITE" sync -n
check "a run that ends within a second shows none" \
    bash -c "! grep -q 'reading pages' '$TMP/tty'"
finish
