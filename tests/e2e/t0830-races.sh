#!/usr/bin/env bash
# t0830-races: the executor's race checks hold when the target folder
# changes between the scan and the apply.  Each case runs one sync under
# strace with a delay injected on entering the one call that does the
# work, changes the folder while renderlink is stopped there, and checks
# that the foreign entry survives as a `conflict` (exit 1):
#   a. a regular file appears at the name before the create's symlinkat
#      (symlinkat fails with EEXIST; a rename over the name would clobber
#      the file);
#   b. a foreign link (and, b2, a regular file) is swapped in before the
#      replace's RENAME_EXCHANGE: the exchange takes it out, renderlink
#      sees it is not the link it planned on and swaps it back, same
#      inode;
#   c. a foreign link is swapped in before the remove's renameat2 moves
#      the link aside: renderlink sees it is not its link and puts it
#      back, same inode.
# The sync point is strace's own output: it writes a call's entry before
# the delay starts, so the test acts once that line is there, and knows
# it acted inside the window when the call's result is still missing
# afterwards (else it tries again with a longer delay).
. "$(dirname "$0")/../lib.sh"

command -v strace >/dev/null || skip_all "strace not found"
strace -o /dev/null true 2>/dev/null ||
    skip_all "strace cannot trace here (ptrace not permitted)"
strace -o /dev/null -e inject=getpid:delay_enter=1 true 2>/dev/null ||
    skip_all "this strace has no delay injection"

M=$SITE/songs/mp3s
ST=$TMP/strace.out
FOREIGN=$TMP/elsewhere/mine.mp3
mkdir -p "$TMP/elsewhere"
printf 'mine\n' >"$FOREIGN"

# swap_in NAME TEXT: put a symlink with TEXT at NAME in one rename, the
# way a user's tool would replace an entry.
swap_in() {
	ln -s -- "$2" "$M/.swap.$$" && mv -fT -- "$M/.swap.$$" "$1"
}

# seen SYSCALL PATTERN: strace has written a SYSCALL line holding the
# fixed string PATTERN (prints it).
seen() {
	grep -F -- "$1(" "$ST" 2>/dev/null | grep -F -- "$2"
}

# race SYSCALL PATTERN ACTION...: run `sync` with SYSCALL delayed on
# entry (its first call only); once strace has written a SYSCALL line
# holding the fixed string PATTERN, run ACTION; then wait for the run
# ($OUT, $ERR, $RC as run_rl leaves them).  Returns 1 (after the run)
# if the call had already finished when ACTION was done, so the caller
# can try again with a longer delay; $DELAY is the delay in seconds.
race() {
	local sys=$1 pat=$2 pid i inside=1
	shift 2
	rm -f "$ST"
	strace -f -qq -o "$ST" -e trace="$sys" \
	    -e inject="$sys":delay_enter="${DELAY}s":when=1 \
	    ${RENDERLINK_WRAP:-} "$RL" -C "$SITE" sync \
	    >"$OUT" 2>"$ERR" </dev/null &
	pid=$!
	# Up to a minute for the call to be reached (a loaded machine).
	for i in $(seq 3000); do
		seen "$sys" "$pat" >/dev/null && break
		if ! kill -0 "$pid" 2>/dev/null; then
			break
		fi
		sleep 0.02
	done
	if seen "$sys" "$pat" >/dev/null; then
		"$@"
		# The call's result is printed on its exit: not yet there
		# means ACTION happened while it was held.
		seen "$sys" "$pat" | grep -q ' = ' && inside=0
	else
		inside=0
	fi
	RC=0
	wait "$pid" || RC=$?
	[ "$inside" = 1 ]
}

# try SETUP SYSCALL PATTERN ACTION...: SETUP (a function) builds the
# state, then race; on a missed window, SETUP and race again with a
# longer delay.
try() {
	local setup=$1
	shift
	for DELAY in 2 10; do
		"$setup"
		if race "$@"; then
			return 0
		fi
		echo "# window missed with a ${DELAY} s delay; trying again"
	done
	echo "# the window was missed every time" >&2
	return 1
}

assert_no_tmp() {
	local t
	t=$(find -P "$SITE" -name '.renderlink-tmp.*')
	if [ -n "$t" ]; then
		echo "temporaries left: $t" >&2
		return 1
	fi
}

# assert_inode PATH INODE: PATH is the same entry as before (not a copy).
assert_inode() {
	local i
	i=$(stat -c %i -- "$1")
	if [ "$i" != "$2" ]; then
		echo "$1 has inode $i, was $2: it was replaced" >&2
		return 1
	fi
}

mk_site "$SITE"
mk_media "$MEDIA" A.mp3 old/B.mp3 new/B.mp3 C.mp3 D.mp3

# --- a. a regular file appears before the create ----------------------------
setup_create() {
	rm -rf "$SITE/songs" "$SITE/.jekyll-cache"
	mk_refs "$SITE" _songs/a.md mp3s A.mp3
	rl -C "$SITE" sync >/dev/null 2>&1
	mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/d.md mp3s D.mp3
}
file_appears() {
	printf 'user file\n' >"$M/D.mp3"
}
check "create race: the file appeared inside the symlinkat window" \
    try setup_create symlinkat "\"$MEDIA/D.mp3\"" file_appears
check "create race: exit 1" assert_rc 1
check "create race: a conflict error for the link" \
    assert_grep "$ERR" "^error: create 'songs/mp3s/D\.mp3': something appeared there while renderlink ran; left alone \(conflict\)$"
check "create race: no create line" assert_no_grep "$OUT" 'D\.mp3'
check "create race: the file is intact (not a link, same bytes)" \
    assert_eq "user file" "$(test -L "$M/D.mp3" || cat "$M/D.mp3")"
check "create race: the other link still there" \
    assert_link "$M/A.mp3" "$MEDIA/A.mp3"
check "create race: no temporary left" assert_no_tmp

# --- b. a foreign link is swapped in before the replace ---------------------
setup_replace() {
	rm -rf "$SITE/songs" "$SITE/.jekyll-cache"
	mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s old/B.mp3
	rl -C "$SITE" sync >/dev/null 2>&1
	mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s new/B.mp3
}
link_swapped() {
	swap_in "$M/B.mp3" "$FOREIGN"
	INODE=$(stat -c %i -- "$M/B.mp3")
}
check "replace race: the link was swapped inside the exchange window" \
    try setup_replace renameat2 RENAME_EXCHANGE link_swapped
check "replace race: the delayed call was the exchange" \
    assert_grep "$ST" 'renameat2\(.*RENAME_EXCHANGE'
check "replace race: exit 1" assert_rc 1
check "replace race: a conflict error for the link" \
    assert_grep "$ERR" "^error: replace 'songs/mp3s/B\.mp3': it changed while renderlink ran; left alone \(conflict\)$"
check "replace race: no replace line" assert_no_grep "$OUT" 'B\.mp3'
check "replace race: the foreign link is back at the name, same text" \
    assert_link "$M/B.mp3" "$FOREIGN"
check "replace race: ... and the same inode (swapped back, not remade)" \
    assert_inode "$M/B.mp3" "$INODE"
check "replace race: no temporary left" assert_no_tmp

# b2. The same with a regular file: the exchange swaps any entry.
file_swapped() {
	printf 'user file\n' >"$M/.swap.$$" && mv -fT -- "$M/.swap.$$" "$M/B.mp3"
	INODE=$(stat -c %i -- "$M/B.mp3")
}
check "replace race, file: swapped inside the exchange window" \
    try setup_replace renameat2 RENAME_EXCHANGE file_swapped
check "replace race, file: exit 1" assert_rc 1
check "replace race, file: a conflict error for the link" \
    assert_grep "$ERR" "^error: replace 'songs/mp3s/B\.mp3': it changed while renderlink ran; left alone \(conflict\)$"
check "replace race, file: the file is back, same bytes and inode" \
    eval 'test ! -L "$M/B.mp3" && assert_eq "user file" "$(cat "$M/B.mp3")" && assert_inode "$M/B.mp3" "$INODE"'
check "replace race, file: no temporary left" assert_no_tmp

# --- c. a foreign link is swapped in before the remove ----------------------
setup_remove() {
	rm -rf "$SITE/songs" "$SITE/.jekyll-cache"
	mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s C.mp3
	rl -C "$SITE" sync >/dev/null 2>&1
	mk_refs "$SITE" _songs/a.md mp3s A.mp3
}
remove_swapped() {
	swap_in "$M/C.mp3" "$FOREIGN"
	INODE=$(stat -c %i -- "$M/C.mp3")
}
check "remove race: the link was swapped inside the move-aside window" \
    try setup_remove renameat2 '"C.mp3", ' remove_swapped
check "remove race: the delayed call moved the link aside" \
    assert_grep "$ST" 'renameat2\([0-9]+, "C\.mp3", [0-9]+, "\.renderlink-tmp\.[0-9]+\.[0-9]+\.C\.mp3", RENAME_NOREPLACE'
check "remove race: exit 1" assert_rc 1
check "remove race: a conflict error for the link" \
    assert_grep "$ERR" "^error: remove 'songs/mp3s/C\.mp3': it changed while renderlink ran; left alone \(conflict\)$"
check "remove race: no remove line" assert_no_grep "$OUT" 'C\.mp3'
check "remove race: the foreign link is back at the name, same text" \
    assert_link "$M/C.mp3" "$FOREIGN"
check "remove race: ... and the same inode" assert_inode "$M/C.mp3" "$INODE"
check "remove race: the kept link untouched" \
    assert_link "$M/A.mp3" "$MEDIA/A.mp3"
check "remove race: no temporary left" assert_no_tmp

# After a race, the foreign entry is the user's: the next run leaves it.
run_rl -C "$SITE" sync
check "after the remove race: next run leaves the foreign link" \
    assert_link "$M/C.mp3" "$FOREIGN"
check "after the remove race: next run does nothing" assert_stdout_empty

finish
