# lib.sh - shared helpers for the end-to-end tests in tests/e2e/.
#
# Sourced (never run) by each tests/e2e/t*.sh, which tests/run.sh starts
# with RL set to the absolute path of the binary under test.  Every script
# works in its own temp folder ($TMP, removed on exit), calls the binary
# only through `rl` (so RENDERLINK_WRAP, e.g. valgrind, applies to every
# call) and reports TAP-ish lines: `ok N - desc`, `not ok N - desc`,
# `# skip reason`.  Diagnostics for a failed check follow as `#   ` lines.
#
# Checks are plain shell commands:  check "DESC" CMD ARGS...
# passes when CMD exits 0; an assert_* helper explains itself on stderr,
# which is shown only when the check fails.

set -u

if [ -z "${RL:-}" ] || [ ! -x "${RL:-}" ]; then
	echo "not ok 1 - RL names an executable (RL='${RL:-}')"
	exit 1
fi

export LC_COLLATE=C
TEST_N=0
TEST_FAILED=0
CLEANUP_HOOKS=()
BG_PIDS=()

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rl-e2e.XXXXXX") || exit 1
# The link text is compared with paths built from $TMP: use the physical
# path so a symlinked /tmp cannot make them differ.
TMP=$(cd "$TMP" && pwd -P) || exit 1
SITE=$TMP/site
MEDIA=$TMP/media
OUT=$TMP/.stdout
ERR=$TMP/.stderr
RC=0
# Keep the binary away from the real home folder and user config.
export HOME=$TMP/home
mkdir -p "$HOME"
export TMP SITE MEDIA

lib_cleanup() {
	local h pid
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for h in "${CLEANUP_HOOKS[@]}"; do
		eval "$h"
	done
	cd / && rm -rf --one-file-system "$TMP"
}
trap lib_cleanup EXIT
trap 'exit 130' INT TERM

# at_exit 'shell code': run before the temp folder is removed.
at_exit() {
	CLEANUP_HOOKS+=("$1")
}

# bg CMD...: start CMD in the background and kill it on exit if still
# running.  The pid is in $BG_PID.
bg() {
	"$@" &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# --- the binary ------------------------------------------------------------

rl() {
	${RENDERLINK_WRAP:-} "$RL" "$@"
}

# strace ARGS...: LeakSanitizer cannot run under ptrace and, in the
# sanitizer build, writes a fatal report instead; a traced run has the
# leak check off (the untraced runs still catch leaks).
strace() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    command strace "$@"
}

# run_rl ARGS...: run the binary; stdout in $OUT, stderr in $ERR, exit
# status in $RC.  Never aborts the script.
run_rl() {
	RC=0
	rl "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

# --- reporting -------------------------------------------------------------

ok() {
	TEST_N=$((TEST_N + 1))
	echo "ok $TEST_N - $1"
}

not_ok() {
	TEST_N=$((TEST_N + 1))
	TEST_FAILED=$((TEST_FAILED + 1))
	echo "not ok $TEST_N - $1"
}

# Shows what the last rl run printed, for a failed check.
show_last_run() {
	echo "#   last run: exit $RC"
	if [ -s "$OUT" ]; then
		echo "#   stdout:"
		head -n 25 "$OUT" | sed 's/^/#     /'
	fi
	if [ -s "$ERR" ]; then
		echo "#   stderr:"
		head -n 25 "$ERR" | sed 's/^/#     /'
	fi
}

# check DESC CMD...: one test; passes when CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@" 2>"$TMP/why"; then
		ok "$desc"
	else
		not_ok "$desc"
		sed 's/^/#   /' "$TMP/why"
		show_last_run
	fi
}

skip_all() {
	echo "# skip $*"
	exit 0
}

# finish: last line of every script.
finish() {
	if [ "$TEST_N" -eq 0 ]; then
		echo "not ok 1 - the script ran no test"
		exit 1
	fi
	echo "1..$TEST_N"
	[ "$TEST_FAILED" -eq 0 ]
	exit $?
}

# --- building sites --------------------------------------------------------

# mk_config SITE SET...: writes SITE/_config.yml with one link set per
# argument "name|key|source|target|ext1, ext2".
mk_config() {
	local site=$1 s n k src t e
	shift
	mkdir -p "$site"
	{
		echo "title: renderlink e2e"
		echo "renderlink:"
		echo "  links:"
		for s in "$@"; do
			IFS='|' read -r n k src t e <<<"$s"
			echo "    - name: $n"
			echo "      key: $k"
			echo "      source: '$src'"
			echo "      target: '$t'"
			echo "      extensions: [$e]"
		done
	} >"$site/_config.yml"
}

# mk_site SITE [MEDIA]: a site with the two usual link sets, both reading
# MEDIA: mp3s (key mp3s -> songs/mp3s, .mp3) and stems (key stems ->
# songs/stems, .wav .flac); an index page and an empty front matter index.
mk_site() {
	local site=$1 media=${2:-$MEDIA}
	mkdir -p "$site" "$media"
	mk_config "$site" \
	    "mp3s|mp3s|$media|songs/mp3s|mp3" \
	    "stems|stems|$media|songs/stems|wav, flac"
	printf -- '---\ntitle: Home\n---\nHello.\n' >"$site/index.md"
	mk_index "$site" '{"version": 1, "documents": []}'
}

# mk_index SITE [JSON]: writes the front matter index (JSON from the
# argument or stdin), verbatim.
mk_index() {
	mkdir -p "$1/_data"
	if [ $# -ge 2 ]; then
		printf '%s\n' "$2" >"$1/_data/front_matter.json"
	else
		cat >"$1/_data/front_matter.json"
	fi
}

# mk_refs SITE [PAGE KEY REF]...: writes an index where each page's KEY is
# the list of its REFs, in order.  Any bytes are fine in REF.  A triple
# with an empty KEY only declares the page (no references).
mk_refs() {
	local site=$1
	shift
	mkdir -p "$site/_data"
	python3 - "$site/_data/front_matter.json" "$@" <<'EOF'
import json, sys
out, a = sys.argv[1], sys.argv[2:]
assert len(a) % 3 == 0, "mk_refs: arguments come in PAGE KEY REF triples"
docs, order = {}, []
for i in range(0, len(a), 3):
    p, k, r = a[i:i + 3]
    if p not in docs:
        docs[p] = {"title": p}
        order.append(p)
    if k:
        docs[p].setdefault(k, []).append(r)
doc = {"version": 1,
       "documents": [{"path": p, "front_matter": docs[p]} for p in order]}
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
EOF
}

# mk_media DIR NAME...: creates DIR/NAME (parents too); each file holds
# its own name, so reading through a link shows which file it reached.
mk_media() {
	local dir=$1 n
	shift
	for n in "$@"; do
		mkdir -p "$(dirname -- "$dir/$n")"
		printf '%s\n' "$n" >"$dir/$n"
	done
}

# --- assertions (explain themselves on stderr) -----------------------------

# assert_link PATH TARGET: PATH itself is a symlink whose text is TARGET.
assert_link() {
	if [ ! -L "$1" ]; then
		if [ -e "$1" ]; then
			echo "not a symlink: $1 ($(stat -c %F -- "$1"))" >&2
		else
			echo "no entry: $1" >&2
		fi
		return 1
	fi
	local t
	t=$(readlink -- "$1")
	if [ "$t" != "$2" ]; then
		echo "link $1" >&2
		echo "  points to: $t" >&2
		echo "  expected:  $2" >&2
		return 1
	fi
}

# assert_no_entry PATH: nothing at PATH, not even a dangling link.
assert_no_entry() {
	if [ -e "$1" ] || [ -L "$1" ]; then
		echo "unexpected entry: $(find -P "$1" -maxdepth 0 -printf '%y %p %l')" >&2
		return 1
	fi
}

assert_rc() {
	if [ "$RC" != "$1" ]; then
		echo "exit status $RC, expected $1" >&2
		return 1
	fi
}

assert_stdout_empty() {
	if [ -s "$OUT" ]; then
		echo "stdout not empty" >&2
		return 1
	fi
}

assert_stderr_empty() {
	if [ -s "$ERR" ]; then
		echo "stderr not empty" >&2
		return 1
	fi
}

# assert_lines FILE EXPECTED: FILE holds exactly the lines of EXPECTED
# (a newline-separated string), in any order.
assert_lines() {
	local got want
	got=$(sort <"$1")
	want=$(printf '%s\n' "$2" | sed '/^$/d' | sort)
	if [ "$got" != "$want" ]; then
		echo "lines of $(basename "$1") differ (- expected, + got):" >&2
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") |
		    grep '^[<>]' | sed 's/^</-/; s/^>/+/' >&2
		return 1
	fi
}

assert_stdout() {
	assert_lines "$OUT" "$1"
}

# assert_grep FILE ERE: some line of FILE matches.
assert_grep() {
	if ! grep -Eq -- "$2" "$1"; then
		echo "no line of $(basename "$1") matches: $2" >&2
		return 1
	fi
}

assert_no_grep() {
	if grep -Eq -- "$2" "$1"; then
		echo "$(basename "$1") has a line matching: $2" >&2
		grep -E -- "$2" "$1" | head -n 5 | sed 's/^/  /' >&2
		return 1
	fi
}

# has_problem SEVERITY PAGE CODE: stderr has `SEVERITY: PAGE: ... (CODE)`.
# PAGE "" means a problem line without a page.  Literal match, no regex.
has_problem() {
	local sev=$1 page=$2 code=$3 line
	while IFS= read -r line; do
		if [ -n "$page" ]; then
			[[ $line == "$sev: $page: "*"($code)" ]] && return 0
		else
			[[ $line == "$sev: "*"($code)" ]] && return 0
		fi
	done <"$ERR"
	return 1
}

assert_problem() {
	if ! has_problem "$@"; then
		if [ -n "$2" ]; then
			echo "no stderr line '$1: $2: ... ($3)'" >&2
		else
			echo "no stderr line '$1: ... ($3)'" >&2
		fi
		return 1
	fi
}

# assert_only_problem_lines: every stderr line is `error: ...` or
# `warning: ...` (so a name with a newline in it did not split a line).
assert_only_problem_lines() {
	if grep -Evq '^(error|warning): ' "$ERR"; then
		echo "stderr lines that are not problem lines:" >&2
		grep -Ev '^(error|warning): ' "$ERR" | head -n 5 |
		    sed 's/^/  /' >&2
		return 1
	fi
}

# assert_no_problem SEVERITY: no stderr line starting with SEVERITY.
assert_no_problem() {
	assert_no_grep "$ERR" "^$1:"
}

# count_lines FILE ERE: how many lines match.
count_lines() {
	grep -Ec -- "$2" "$1"
}

# assert_count N FILE ERE
assert_count() {
	local n
	n=$(count_lines "$2" "$3")
	if [ "$n" != "$1" ]; then
		echo "$n lines of $(basename "$2") match '$3', expected $1" >&2
		return 1
	fi
}

# assert_same_file A B: byte-identical.
assert_same_file() {
	if ! cmp -s -- "$1" "$2"; then
		echo "$1 and $2 differ:" >&2
		diff -- "$1" "$2" | head -n 30 | sed 's/^/  /' >&2
		return 1
	fi
}

# assert_eq DESC-LESS: assert_eq EXPECTED GOT
assert_eq() {
	if [ "$1" != "$2" ]; then
		echo "expected '$1', got '$2'" >&2
		return 1
	fi
}

# --- snapshots: did a run write anything? ----------------------------------

# snapshot DIR FILE: every entry under DIR (DIR included), from lstat:
# type, path, link text, mode, size, mtime and ctime with nanoseconds,
# inode; then a checksum of every regular file.  Links are never
# followed.  Two equal snapshots mean nothing was created, removed,
# renamed, replaced or written.  File times come from a coarse clock
# (one tick is up to 10 ms), so it waits a little: a later write then
# always shows as a new time.
snapshot() {
	{
		find -P "$1" -printf '%y %p %l %m %s %T@ %C@ %i\n' | sort
		find -P "$1" -type f -exec md5sum -- {} + | sort
	} >"$2"
	sleep 0.05
}

# assert_snapshot DIR FILE: DIR still matches the snapshot in FILE.
assert_snapshot() {
	local now=$TMP/snap.now
	snapshot "$1" "$now"
	if ! cmp -s "$2" "$now"; then
		echo "$1 changed (- before, + after):" >&2
		diff "$2" "$now" | grep '^[<>]' | sed 's/^</-/; s/^>/+/' |
		    head -n 40 | sed 's/^/  /' >&2
		return 1
	fi
}

# count_entries DIR: entries directly in DIR (not following links).
count_entries() {
	find -P "$1" -mindepth 1 -maxdepth 1 -printf x | wc -c
}

assert_entries() {
	local n
	n=$(count_entries "$2")
	if [ "$n" != "$1" ]; then
		echo "$2 holds $n entries, expected $1:" >&2
		find -P "$2" -mindepth 1 -maxdepth 1 -printf '  %y %f %l\n' >&2
		return 1
	fi
}

# assert_no_dangling DIR: no symlink under DIR leads nowhere (Jekyll
# aborts on one).
assert_no_dangling() {
	local d
	d=$(find -P "$1" -xtype l)
	if [ -n "$d" ]; then
		echo "dangling links:" >&2
		printf '  %s\n' "$d" >&2
		return 1
	fi
}

# json_assert FILE PY-EXPR: PY-EXPR (Python, the document is `d`, `os`
# is imported, so os.environ["MEDIA"] works) is true.
json_assert() {
	python3 - "$1" "$2" <<'EOF'
import json, os, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        d = json.load(f)
except Exception as e:
    print("not one JSON document: %s" % e, file=sys.stderr)
    sys.exit(1)
try:
    good = eval(sys.argv[2])
except Exception as e:
    good = False
    print("%s: %r" % (type(e).__name__, e), file=sys.stderr)
if not good:
    print("false: %s" % sys.argv[2], file=sys.stderr)
    print(json.dumps(d, indent=1, ensure_ascii=False)[:1500], file=sys.stderr)
    sys.exit(1)
EOF
}
