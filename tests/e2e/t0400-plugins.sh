#!/usr/bin/env bash
# t0400-plugins: the plug-in host with external plug-ins.  A good one
# adds links, problems (NAME/CODE) and data (_data/renderlink/NAME.json,
# written only when it changes, never in a dry run) and sees the protocol
# input: only the pages that count, RENDERLINK_PROTOCOL=1, the site as
# its folder.  Hostile ones - asking for ../../etc/passwd, an absolute
# path or a set they were not given; printing nothing, garbage, two
# objects, 100 MB; never reading stdin; sleeping forever (also through a
# child holding stdout); exiting 3; killed; not executable; writing into
# the site - each get a message naming the plug-in and exit 2, and the
# site is left exactly as it was (snapshot with mtimes, the index
# included).  Plug-ins run concurrently, reported in config order.
. "$(dirname "$0")/../lib.sh"

export NO_COLOR=1
M=$MEDIA
P=$SITE/plug
mk_media "$M" a/one.mp3 a/two.mp3 a/three.mp3 b/x.wav
mkdir -p "$SITE/_songs" "$SITE/_drafts" "$P"
printf -- '---\nmp3s: [a/one.mp3]\n---\n' >"$SITE/_songs/one.md"
printf -- '---\nmp3s: [a/three.mp3]\n---\n' >"$SITE/_drafts/wip.md"

# config PLUGIN-YAML: the site's config with these plug-in entries.
config() {
	cat >"$SITE/_config.yml" <<EOF
collections: [songs]
renderlink:
  links:
    - {name: mp3s, key: mp3s, source: '$M', target: songs/mp3s, extensions: [mp3]}
    - {name: stems, key: stems, source: '$M', target: songs/stems, extensions: [wav]}
  plugins:
$1
EOF
}
# plugin NAME BODY: an executable shell plug-in $P/NAME.
plugin() {
	printf '#!/bin/sh\n%s\n' "$2" >"$P/$1"
	chmod +x "$P/$1"
}
one() {	# one NAME [TIMEOUT]: the config entry for plug-in NAME
	printf '    - {name: %s, run: [plug/%s], sets: [mp3s], timeout: %s}\n' \
	    "$1" "$1" "${2:-10}"
}

# --- a good plug-in ---------------------------------------------------------
# The plug-in cannot write (Landlock): hand its input back on stderr.
plugin good 'in=$(cat)
echo "hello from good" >&2
printf "%s\n" "$in" | sed "s/^/INPUT /" >&2
printf "%s\n" "{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", \"ref\": \"a/two.mp3\", \"page\": \"_songs/one.md\"}], \"problems\": [{\"severity\": \"warning\", \"code\": \"just-saying\", \"page\": \"_songs/one.md\", \"message\": \"pwd=$(pwd) proto=$RENDERLINK_PROTOCOL\"}], \"data\": {\"b\": [2, 1], \"a\": \"x\"}}"'
config "$(printf '    - name: good\n      run: [plug/good]\n      sets: [mp3s]\n      options: {key: latest, n: [1, 2]}\n      timeout: 10\n')"
run_rl -C "$SITE" sync
check "good plug-in: exit 0" assert_rc 0
check "good plug-in: its link is made" \
    assert_link "$SITE/songs/mp3s/two.mp3" "$M/a/two.mp3"
check "good plug-in: the built-in media plug-in still links the page" \
    assert_link "$SITE/songs/mp3s/one.mp3" "$M/a/one.mp3"
check "good plug-in: its problem has the code NAME/CODE" \
    assert_problem warning _songs/one.md good/just-saying
check "good plug-in: it runs in the site root with RENDERLINK_PROTOCOL=1" \
    assert_grep "$ERR" "pwd=$SITE proto=1"
check "good plug-in: its stderr is prefixed with its name" \
    assert_grep "$ERR" '^good: hello from good$'
grep '^good: INPUT ' "$ERR" | sed 's/^good: INPUT //' >"$TMP/input.json"
check "input: protocol, version, site, dry_run, plugin name and options" \
    json_assert "$TMP/input.json" 'd["protocol"] == 1 and isinstance(d["renderlink"], str) and d["site"] == os.environ["SITE"] and d["dry_run"] is False and d["plugin"] == {"name": "good", "options": {"key": "latest", "n": [1, 2]}, "sets": ["mp3s"]}'
check "input: the sets with the translated source, target, extensions, available" \
    json_assert "$TMP/input.json" 'd["sets"][0] == {"name": "mp3s", "key": "mp3s", "source": os.environ["MEDIA"], "target": "songs/mp3s", "extensions": ["mp3"], "available": True}'
check "input: only the documents that count (no draft), with publishing facts" \
    json_assert "$TMP/input.json" '[x["path"] for x in d["documents"]] == ["_songs/one.md"] and d["documents"][0]["draft"] is False and d["documents"][0]["published"] is True and "date" in d["documents"][0]'
D=$SITE/_data/renderlink/good.json
check "data: written to _data/renderlink/NAME.json" test -f "$D"
check "data: canonical and sorted" \
    assert_eq "$(printf '{\n  "a": "x",\n  "b": [\n    2,\n    1\n  ]\n}')" "$(cat "$D")"
snapshot "$SITE" "$TMP/snap.good"
run_rl -C "$SITE" sync
check "a second run with the same answer writes nothing (data included)" \
    assert_snapshot "$SITE" "$TMP/snap.good"
rm "$D"
run_rl -C "$SITE" sync -n
check "a dry run writes no data" assert_no_entry "$D"
check "the dry run told the plug-in" assert_grep "$ERR" '"dry_run":true'
run_rl -C "$SITE" sync
run_rl -C "$SITE" -v sync -n
check "-v says whether plug-ins run without write access" \
    assert_grep "$ERR" '^plug-ins run (without write access \(Landlock ABI [0-9]+\)|with your own rights)'

# --- hostile plug-ins: the run changes nothing -------------------------------
# A state with work to do: a stale link to remove and a page edit the
# index would record.  A failed plug-in must leave all of it as it is.
prepare() {
	config "$(one good)"
	rl -C "$SITE" sync >/dev/null 2>&1
	ln -s "$M/a/three.mp3" "$SITE/songs/mp3s/three.mp3"
	printf -- '---\nmp3s: [a/one.mp3]\ntitle: edited\n---\n' \
	    >"$SITE/_songs/one.md"
	touch -d '2020-01-01' "$SITE/_songs/one.md"
	snapshot "$SITE" "$TMP/snap"
}
# hostile NAME DESC ERE [TIMEOUT]: NAME fails; the message matches ERE.
hostile() {
	prepare
	config "$(one "$1" "${4:-10}")"
	snapshot "$SITE" "$TMP/snap"
	run_rl -C "$SITE" sync
	check "$2: exit 2" assert_rc 2
	check "$2: the message names the plug-in and says what went wrong" \
	    assert_grep "$ERR" "plug-in $1: $3"
	check "$2: the site is unchanged (stale link, index and all)" \
	    assert_snapshot "$SITE" "$TMP/snap"
}

plugin passwd 'cat >/dev/null; echo "{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", \"ref\": \"../../etc/passwd\", \"page\": \"_songs/one.md\"}]}"'
hostile passwd "asks for ../../etc/passwd" '"links"\[0\]: .*\.\.'
plugin absolute 'cat >/dev/null; echo "{\"protocol\": 1, \"links\": [{\"set\": \"mp3s\", \"ref\": \"/etc/passwd.mp3\", \"page\": \"_songs/one.md\"}]}"'
hostile absolute "asks for an absolute path" '"links"\[0\]: .*absolute'
plugin otherset 'cat >/dev/null; echo "{\"protocol\": 1, \"links\": [{\"set\": \"stems\", \"ref\": \"b/x.wav\", \"page\": \"_songs/one.md\"}]}"'
hostile otherset "asks for a set it was not given" ".*asked for a link in set 'stems', which its 'sets' does not give it"
check "... and nothing is linked for it" assert_no_entry "$SITE/songs/stems"
plugin nothing 'cat >/dev/null'
hostile nothing "prints nothing" 'printed nothing on stdout'
plugin garbage 'cat >/dev/null; echo "hello, world"'
hostile garbage "prints garbage" 'stdout is not JSON: line 1 column [0-9]+: '
plugin twice 'cat >/dev/null; echo "{\"protocol\": 1}"; echo "{\"protocol\": 1}"'
hostile twice "prints two JSON objects" 'stdout is not JSON: line 2 column'
plugin huge 'cat >/dev/null; yes "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" | head -c 100000000'
hostile huge "prints 100 MB" 'printed more than 64 MiB on stdout'
plugin proto2 'cat >/dev/null; echo "{\"protocol\": 2}"'
hostile proto2 "speaks another protocol version" 'speaks protocol 2, not 1'
plugin badcode 'cat >/dev/null; echo "{\"protocol\": 1, \"problems\": [{\"severity\": \"error\", \"code\": \"Bad Code\", \"message\": \"x\"}]}"'
hostile badcode "reports a problem with a bad code" '.*must be lower case letters'
plugin three 'cat >/dev/null; echo "{\"protocol\": 1}"; exit 3'
hostile three "exits 3" 'exited with status 3'
plugin killed 'cat >/dev/null; kill -9 $$'
hostile killed "is killed" 'killed by signal 9'
plugin noexec 'echo "{\"protocol\": 1}"'
chmod -x "$P/noexec"
hostile noexec "is not executable" 'cannot run .*noexec: Permission denied'
plugin sleeper 'sleep 1000'
start=$(date +%s)
hostile sleeper "sleeps forever" 'timed out after 1 s' 1
check "... and the run ends soon after its timeout" \
    test $(($(date +%s) - start)) -lt 15
plugin holder 'cat >/dev/null; sleep 1000 & echo "{\"protocol\": 1}"; exit 0'
hostile holder "leaves a child holding stdout open" 'timed out after 1 s' 1
check "... and its whole process group is killed" \
    bash -c "! pgrep -f '[s]leep 1000' >/dev/null"

# --- a plug-in that never reads its (large) stdin while printing a lot ------
plugin deaf 'printf "{\"protocol\": 1, \"data\": \""; head -c 5000000 /dev/zero | tr "\\0" a; printf "\"}"'
prepare
BLOB=$(head -c 2000000 /dev/zero | tr '\0' b)
config "$(printf '    - name: deaf\n      run: [plug/deaf]\n      sets: [mp3s]\n      timeout: 20\n      options: {blob: %s}\n' "$BLOB")"
start=$(date +%s)
run_rl -C "$SITE" sync
check "deaf plug-in (2 MB in, 5 MB out, never reads): no deadlock, exit 0" \
    assert_rc 0
check "... well within its timeout" test $(($(date +%s) - start)) -lt 15
check "... and its data is written" \
    test "$(wc -c <"$SITE/_data/renderlink/deaf.json")" -gt 5000000

# --- the sandbox ------------------------------------------------------------
plugin writer 'cat >/dev/null
echo x >"$PWD/evil" 2>/dev/null && echo wrote-site >&2
echo x >/dev/null && echo devnull-ok >&2
echo "{\"protocol\": 1}"'
prepare
config "$(one writer)"
run_rl -C "$SITE" -v sync
if grep -q 'without write access' "$ERR"; then
	check "Landlock: a plug-in cannot write into the site" \
	    assert_no_entry "$SITE/evil"
	check "Landlock: ... but /dev/null works" assert_grep "$ERR" 'writer: devnull-ok'
else
	echo "# skip Landlock not available here: $(grep '^plug-ins' "$ERR")"
fi

# --- several plug-ins: concurrent, reported in config order -----------------
plugin slow 'cat >/dev/null; sleep 2; echo slow-said >&2; echo "{\"protocol\": 1, \"problems\": [{\"severity\": \"warning\", \"code\": \"first\", \"message\": \"from slow\"}]}"'
plugin fast 'cat >/dev/null; echo fast-said >&2; echo "{\"protocol\": 1, \"problems\": [{\"severity\": \"warning\", \"code\": \"second\", \"message\": \"from fast\"}]}"'
plugin slow2 'cat >/dev/null; sleep 2; echo "{\"protocol\": 1}"'
config "$(one slow)
$(one fast)
$(one slow2)"
start=$(date +%s)
run_rl -C "$SITE" sync
check "three plug-ins: exit 0" assert_rc 0
check "they run concurrently (two 2 s sleeps take ~2 s)" \
    test $(($(date +%s) - start)) -lt 4
check "problems follow config order, whatever finished first" \
    assert_eq "slow/first fast/second" \
    "$(grep -o '(slow/first)\|(fast/second)' "$ERR" | tr -d '()' | tr '\n' ' ' | sed 's/ $//')"
check "stderr follows config order too" \
    assert_eq "slow: slow-said
fast: fast-said" "$(grep -- '-said$' "$ERR")"

# --- the config ---------------------------------------------------------------
config "    - {name: ghost, run: [plug/no-such-thing], sets: [mp3s]}"
run_rl -C "$SITE" sync
check "a missing program: exit 2" assert_rc 2
check "... with file:line:col" \
    assert_grep "$ERR" "_config.yml:[0-9]+:[0-9]+: .*program 'plug/no-such-thing' is not there"
config "    - {name: ghost, run: no-such-program-anywhere, sets: [mp3s]}"
run_rl -C "$SITE" sync
check "a bare name not on PATH: exit 2, named" \
    assert_grep "$ERR" "program 'no-such-program-anywhere' not found on PATH"
config "    - {name: x, run: [plug/good], sets: [nope]}"
run_rl -C "$SITE" sync
check "a set that does not exist: exit 2 with file:line:col" \
    assert_grep "$ERR" "_config.yml:[0-9]+:[0-9]+: .*there is no link set 'nope'"
config "    - {name: x, run: [plug/good], sets: [mp3s], colour: red}"
run_rl -C "$SITE" sync
check "an unknown key: exit 2, named" assert_grep "$ERR" "unknown key 'colour'"
config "$(one good)
$(one good)"
run_rl -C "$SITE" sync
check "two plug-ins with one name: exit 2" assert_grep "$ERR" "a second plug-in named 'good'"
config "    - {name: x, run: [plug/good]}"
run_rl -C "$SITE" sync
check "no sets: exit 2" assert_grep "$ERR" "has no 'sets'"
config "    - {name: media, run: [plug/good], sets: [mp3s]}"
run_rl -C "$SITE" sync
check "the name 'media' is the built-in's" assert_rc 2
config "    - {name: x, run: [plug/good], sets: [mp3s], timeout: -1}"
run_rl -C "$SITE" sync
check "a bad timeout: exit 2" assert_grep "$ERR" 'timeout must be a number'

# --- a set only plug-ins feed -------------------------------------------------
cat >"$SITE/_config.yml" <<EOF
collections: [songs]
renderlink:
  links:
    - {name: mp3s, key: mp3s, source: '$M', target: songs/mp3s, extensions: [mp3]}
    - {name: extra, source: '$M', target: songs/extra, extensions: [wav]}
  plugins:
    - {name: feeder, run: [plug/feeder], sets: [extra]}
EOF
plugin feeder 'cat >/dev/null; echo "{\"protocol\": 1, \"links\": [{\"set\": \"extra\", \"ref\": \"b/x.wav\", \"page\": \"_songs/one.md\"}]}"'
run_rl -C "$SITE" sync
check "a set without a key, fed by a plug-in: its link is made" \
    assert_link "$SITE/songs/extra/x.wav" "$M/b/x.wav"
sed -i '/feeder/d; /plugins:/d' "$SITE/_config.yml"
run_rl -C "$SITE" sync
check "a set without a key that no plug-in feeds: exit 2" assert_rc 2
check "... naming the set" assert_grep "$ERR" "link set 'extra' has no 'key' and no plug-in feeds it"

# --- renderlink plugins ----------------------------------------------------------
config "$(one good)"
run_rl -C "$SITE" plugins
check "plugins: lists the built-in first, then the site's" \
    assert_eq "media good" "$(cut -f1 "$OUT" | tr '\n' ' ' | sed 's/ $//')"
run_rl -C "$SITE" plugins --format json
check "plugins --format json: names, run, sets" \
    json_assert "$OUT" '[p["name"] for p in d["plugins"]] == ["media", "good"] and d["plugins"][0]["builtin"] is True and d["plugins"][1]["sets"] == ["mp3s"] and d["plugins"][1]["run"][0].endswith("/plug/good")'

finish
