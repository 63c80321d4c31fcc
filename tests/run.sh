#!/usr/bin/env bash
# run.sh BINARY - run every end-to-end test script against BINARY.
#
# Runs tests/e2e/t*.sh in sorted order, each with RL set to the binary's
# absolute path (and RENDERLINK_WRAP passed through, e.g. a valgrind
# command), prints each script's TAP-ish lines and a per-script verdict,
# and ends with one line `N passed, N failed[, N skipped]`.  Exit status:
# 0 if nothing failed, 1 otherwise, 2 on bad usage.
#
# Also fine with `sh tests/run.sh` (the Makefile's way): it re-executes
# itself with bash.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi
if [ ! -f "$1" ] || [ ! -x "$1" ]; then
	echo "$0: $1: not an executable file" >&2
	exit 2
fi
RL=$(cd "$(dirname -- "$1")" && pwd -P)/$(basename -- "$1")
export RL
export RENDERLINK_WRAP="${RENDERLINK_WRAP:-}"
here=$(cd "$(dirname -- "$0")" && pwd -P)
# A hung script (e.g. a lock never released) must not hang the suite.
limit=${RENDERLINK_TEST_TIMEOUT:-900}

passed=0
failed=0
skipped=0
log=$(mktemp "${TMPDIR:-/tmp}/rl-run.XXXXXX") || exit 2
trap 'rm -f "$log"' EXIT

# RENDERLINK_TESTS=0200 runs only the scripts whose names start t0200.
for t in "$here"/e2e/t${RENDERLINK_TESTS:-}*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t")
	echo "=== $name"
	rc=0
	(cd "$here/e2e" && timeout -k 10 "$limit" bash "$t") >"$log" 2>&1 \
	    </dev/null || rc=$?
	cat "$log"
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	s=$(grep -c '^# skip' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Died before reporting a failure (crash, timeout, syntax).
		echo "not ok - $name exited with status $rc"
		f=1
	elif [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ] &&
	    [ "$s" -eq 0 ]; then
		echo "not ok - $name ran no test"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$f" -ne 0 ]; then
		echo "--- $name: FAILED ($f failed, $p passed)"
	elif [ "$p" -eq 0 ] && [ "$s" -ne 0 ]; then
		echo "--- $name: skipped"
	else
		echo "--- $name: ok ($p passed)"
	fi
done

if [ "$skipped" -ne 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
