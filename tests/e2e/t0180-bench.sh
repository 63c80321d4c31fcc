#!/usr/bin/env bash
# t0180-bench: `make bench` runs where /bin/sh is dash (Debian's), as the
# Makefile runs it (`sh tests/bench.sh`), here on a small tree (the
# script's size knobs); and its system-call lines count calls, not
# errors: a no-op sync opens every media folder once, so the openat
# count is at least the number of media folders.
. "$(dirname "$0")/../lib.sh"

BENCH=$(cd "$(dirname "$0")/.." && pwd -P)/bench.sh
DASH=$(command -v dash || true)
[ -n "$DASH" ] || echo "# skip running under dash: dash not installed"
SH=${DASH:-sh}

FOLDERS=7
RC=0
# The bench runs the binary under strace, where LeakSanitizer cannot run.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    RENDERLINK_BENCH_FOLDERS=$FOLDERS RENDERLINK_BENCH_PER=3 \
    RENDERLINK_BENCH_PAGES=20 RENDERLINK_BENCH_NTFS=0 \
    "$SH" "$BENCH" "$RL" >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "bench.sh under $(basename "$SH"): exit 0" assert_rc 0
check "bench.sh: no shell error (Bad for loop variable, ...)" \
    assert_no_grep "$ERR" 'Bad for loop|Syntax error|not found'
check "bench.sh: times the cold and no-op syncs" \
    assert_grep "$OUT" '^  no-op sync +[0-9]+ ms$'
check "bench.sh: times the index" \
    assert_grep "$OUT" '^  re-index after editing one page +[0-9]+ ms$'
check "bench.sh: every renderlink run succeeded" \
    assert_no_grep "$ERR" '\(.*: exit [0-9]+\)'
check "bench.sh: the size knobs were honoured" \
    assert_grep "$OUT" "^ext4/tmpfs media: $((FOLDERS * 3)) references in $FOLDERS media folders"

if command -v strace >/dev/null; then
	n=$(awk '$1 == "openat" { print $2 }' "$OUT")
	check "bench.sh: an openat line" test -n "$n"
	check "bench.sh: openat counts calls (>= $FOLDERS media folders + the target), not errors (got ${n:-none})" \
	    test "${n:-0}" -ge $((FOLDERS + 1))
	check "bench.sh: readlinkat is one per existing link ($((FOLDERS * 3)))" \
	    assert_grep "$OUT" "^    readlinkat +$((FOLDERS * 3)) +[0-9]+$"
else
	echo "# skip system call lines: strace not installed"
fi

finish
