#!/usr/bin/env bash
# t0180-bench: `make bench` runs where /bin/sh is dash (Debian's), as the
# Makefile runs it (`sh tests/bench.sh`), here on a small tree (the
# script's size knobs); it prints every row of the speed table and
# writes them as JSON; and its system-call counts count calls, not
# errors: a no-op sync lists every media folder, a cold sync makes one
# symlinkat per link.
. "$(dirname "$0")/../lib.sh"

BENCH=$(cd "$(dirname "$0")/.." && pwd -P)/bench.sh
DASH=$(command -v dash || true)
[ -n "$DASH" ] || echo "# skip running under dash: dash not installed"
SH=${DASH:-sh}

FOLDERS=7
PER=3
RC=0
# The bench runs the binary under strace, where LeakSanitizer cannot run.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    RENDERLINK_BENCH_FOLDERS=$FOLDERS RENDERLINK_BENCH_PER=$PER \
    RENDERLINK_BENCH_BIG_FOLDERS=11 RENDERLINK_BENCH_RUNS=1 \
    RENDERLINK_BENCH_SLOW_RUNS=1 RENDERLINK_BENCH_JSON=$TMP/bench.json \
    "$SH" "$BENCH" "$RL" >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "bench.sh under $(basename "$SH"): exit 0" assert_rc 0
check "bench.sh: no shell error (Bad for loop variable, ...)" \
    assert_no_grep "$ERR" 'Bad for loop|Syntax error|not found|Traceback'
check "bench.sh: every renderlink run succeeded" \
    assert_no_grep "$ERR" '\(.*: (exit [0-9]+|brun: .* exited)'
check "bench.sh: no measured run failed" \
    assert_no_grep "$OUT" 'WARNING: a measured run exited'
check "bench.sh: the size knobs were honoured" \
    assert_grep "$OUT" "^$((FOLDERS * PER)) references in $FOLDERS media folders"
for row in "no-op sync, $((FOLDERS * PER)) refs \($FOLDERS pages\)" \
    "no-op sync, $((11 * PER)) refs \(11 pages\)" \
    "media calls per media folder, no-op" "cold sync, $((FOLDERS * PER)) links" \
    "cold sync: calls, dir writes per link" "peak memory, no-op sync" \
    "re-index after editing 1 page of $((FOLDERS * PER))" \
    "cold: renderlink vs GNU Stow" "no-op: renderlink vs GNU Stow" \
    "no-op with one Ruby plug-in"; do
	check "bench.sh: the table has the row '$row', measured or skipped" \
	    assert_grep "$OUT" "^  $row[^ ]*( [^ ]+)*  +([0-9]|skipped: )"
done
check "bench.sh: the JSON holds every row" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ids = [r["id"] for r in d["rows"]]
want = ["noop_10k", "noop_10k_pages", "noop_100k", "media_calls", "cold_10k",
        "cold_calls", "memory_100k", "reindex_10k", "stow_cold", "stow_noop",
        "plugin_noop"]
sys.exit(0 if ids == want and "slowfs" in d else "ids: %r" % ids)' \
    "$TMP/bench.json"

if command -v strace >/dev/null; then
	check "bench.sh: a no-op sync's media calls are counted ($FOLDERS folders listed)" \
	    python3 -c '
import json, sys
r = {r["id"]: r for r in json.load(open(sys.argv[1]))["rows"]}
c = r["media_calls"]["renderlink"]
sys.exit(0 if c["per_folder_by_call"].get("getdents64", 0) >= 1 else repr(c))' \
	    "$TMP/bench.json"
	check "bench.sh: a cold sync's symlinkat calls are counted ($((FOLDERS * PER)))" \
	    python3 -c '
import json, sys
r = {r["id"]: r for r in json.load(open(sys.argv[1]))["rows"]}
c = r["cold_calls"]["renderlink"]["dir_writes_in_target"]
sys.exit(0 if c.get("symlinkat") == int(sys.argv[2]) else repr(c))' \
	    "$TMP/bench.json" $((FOLDERS * PER))
else
	echo "# skip system call counts: strace not installed"
fi

finish
