#!/usr/bin/env bash
# t0090-bad-input: a broken config or index, or bad usage, stops the run
# before it touches anything: exit 2, a message naming the file and line
# (`renderlink: _config.yml:LINE:...`), and the site exactly as it was
# even though a good run would have created and removed links.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" A.mp3 B.mp3 C.mp3
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s B.mp3
run_rl -C "$SITE" sync
check "setup: first sync exits 0" assert_rc 0
# Pending work: C would be created, B removed.
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s C.mp3
cp "$SITE/_config.yml" "$TMP/good_config.yml"
cp "$SITE/_data/front_matter.json" "$TMP/good_index.json"

# Configs below keep the good layout, so line numbers are known:
#   1 title  2 renderlink:  3 links:  4 - name  5 key  6 source  7 target
#   8 extensions
write_config() {
	cat >"$SITE/_config.yml"
}

# first_line ERE: the first line of stderr (the message; a usage text
# may follow) matches ERE.
first_line() {
	local l
	l=$(head -n 1 "$ERR")
	if ! printf '%s\n' "$l" | grep -Eq -- "$1"; then
		echo "first stderr line: $l" >&2
		echo "does not match:    $1" >&2
		return 1
	fi
}

# expect_bad DESC ERE ARGS...: with the site as it is now, `rl ARGS...`
# exits 2, says why in a first stderr line matching ERE, and changes
# nothing.
expect_bad() {
	local desc=$1 ere=$2
	shift 2
	snapshot "$SITE" "$TMP/before"
	run_rl "$@"
	check "$desc: exit 2" assert_rc 2
	check "$desc: says why on stderr" first_line "$ere"
	check "$desc: no action line" assert_stdout_empty
	check "$desc: site unchanged" assert_snapshot "$SITE" "$TMP/before"
}

restore() {
	cp "$TMP/good_config.yml" "$SITE/_config.yml"
	cp "$TMP/good_index.json" "$SITE/_data/front_matter.json"
}

# 1. YAML syntax error on line 6.
write_config <<EOF2
title: renderlink e2e
renderlink:
  links:
    - name: mp3s
      key: mp3s
      source: '$MEDIA': oops
      target: songs/mp3s
      extensions: [mp3]
EOF2
expect_bad "YAML syntax error" \
    '^renderlink: _config\.yml:6:[0-9]+: mapping values are not allowed in this context$' -C "$SITE" sync
check "YAML syntax error: message names _config.yml:6" \
    assert_grep "$ERR" '^renderlink: (.*/)?_config\.yml:6:'
restore

# 1b. A Windows path in double quotes: libyaml stops at the backslash;
# the message keeps file:line:col and says to use single quotes.
write_config <<'EOF2'
title: renderlink e2e
renderlink:
  links:
    - name: mp3s
      key: mp3s
      source: "E:\media\songs"
      target: songs/mp3s
      extensions: [mp3]
EOF2
expect_bad "double-quoted Windows path" \
    "^renderlink: _config\\.yml:6:18: found unknown escape character .*write a Windows path in single quotes \\('E:.media.songs'\\) or with forward slashes \\(\"E:/media/songs\"\\)\$" -C "$SITE" sync
check "double-quoted Windows path: names _config.yml:6:<col>" \
    assert_grep "$ERR" '^renderlink: (.*/)?_config\.yml:6:[0-9]+: found unknown escape character'
check "double-quoted Windows path: says to use single quotes" \
    assert_grep "$ERR" "single quotes \('E:\\\\media\\\\songs'\)"
restore
# The same in a page's front matter (a site of its own, whose index
# renderlink builds): the page's error says so too.
FM=$TMP/fm-site
mk_config "$FM" "mp3s|mp3s|$MEDIA|songs/mp3s|mp3"
printf -- '---\ntitle: x\nmp3s: ["C:\\Users\\me\\A.mp3"]\n---\n' >"$FM/bad-quotes.md"
run_rl -C "$FM" index
check "double-quoted path in front matter: an error for the page" \
    assert_grep "$ERR" '^error: bad-quotes\.md:3:[0-9]+: .*single quotes'

# 2. JSON syntax error on line 3 of the index.
mk_index "$SITE" <<'EOF2'
{"version": 1,
 "documents": [
  {"path": "_songs/a.md", "front_matter": {"mp3s": ["A.mp3"],}}
 ]}
EOF2
JSON_ERR='^renderlink: _data/front_matter\.json:3:[0-9]+: .*expected'
expect_bad "JSON syntax error" "$JSON_ERR" -C "$SITE" sync
check "JSON syntax error: message names front_matter.json:3" \
    assert_grep "$ERR" '^renderlink: (.*/)?_data/front_matter\.json:3:'
# Same with --dry-run: still a hard stop.
expect_bad "JSON syntax error, dry run" "$JSON_ERR" -C "$SITE" sync --dry-run
restore

# 3. Index of the wrong shape (a document without a path).
mk_index "$SITE" '{"version": 1, "documents": [{"front_matter": {"mp3s": ["C.mp3"]}}]}'
expect_bad "index without page paths" \
    '^renderlink: _data/front_matter\.json: documents\[0\]: no "path" string$' -C "$SITE" sync
check "index without page paths: message names the index" \
    assert_grep "$ERR" 'front_matter\.json'
restore

# 4. No renderlink key at all.
write_config <<'EOF2'
title: renderlink e2e
exclude: [vendor]
EOF2
expect_bad "missing renderlink key" \
    '^renderlink: _config\.yml: no "renderlink" key; see _config\.example\.yml$' -C "$SITE" sync
check "missing renderlink key: message names _config.yml" \
    assert_grep "$ERR" '^renderlink: (.*/)?_config\.yml'
restore

# 5. Unknown key under renderlink: (line 3), and in a link set (line 9).
write_config <<EOF2
title: renderlink e2e
renderlink:
  indexx: _data/other.json
  links:
    - name: mp3s
      key: mp3s
      source: '$MEDIA'
      target: songs/mp3s
      extensions: [mp3]
EOF2
expect_bad "unknown renderlink key" \
    "^renderlink: _config\\.yml:3:3: unknown key 'indexx' in renderlink \\(known keys: index, .*links.*\\)\$" -C "$SITE" sync
check "unknown renderlink key: message names _config.yml:3" \
    assert_grep "$ERR" '^renderlink: (.*/)?_config\.yml:3:'
write_config <<EOF2
title: renderlink e2e
renderlink:
  links:
    - name: mp3s
      key: mp3s
      source: '$MEDIA'
      target: songs/mp3s
      extensions: [mp3]
      extention: [wav]
EOF2
expect_bad "unknown link set key" \
    "^renderlink: _config\\.yml:9:7: unknown key 'extention' in renderlink\\.links\\[0\\] \\(known keys: name, key, source, target, extensions\\)\$" -C "$SITE" sync
check "unknown link set key: message names _config.yml:9" \
    assert_grep "$ERR" '^renderlink: (.*/)?_config\.yml:9:'
restore

# 6. Targets leaving the site.
for t in ../out songs/../../out "$TMP/abs-out"; do
	write_config <<EOF2
title: renderlink e2e
renderlink:
  links:
    - name: mp3s
      key: mp3s
      source: '$MEDIA'
      target: $t
      extensions: [mp3]
EOF2
	case $t in
	/*) why='is absolute; give a folder relative to the site root' ;;
	*) why="leaves the site \\('\\.\\.' is not allowed\\)" ;;
	esac
	expect_bad "target $t" \
	    "^renderlink: _config\\.yml:7:[0-9]+: renderlink\\.links\\[0\\]\\.target '$t' $why\$" \
	    -C "$SITE" sync
	check "target $t: message names _config.yml:7" \
	    assert_grep "$ERR" '^renderlink: (.*/)?_config\.yml:7:'
	check "target $t: nothing created outside the site" \
	    assert_no_entry "$TMP/out"
	check "target $t: nothing created at the absolute path" \
	    assert_no_entry "$TMP/abs-out"
done
restore

# 7. Two link sets with the same name.
write_config <<EOF2
title: renderlink e2e
renderlink:
  links:
    - name: mp3s
      key: mp3s
      source: '$MEDIA'
      target: songs/mp3s
      extensions: [mp3]
    - name: mp3s
      key: more
      source: '$MEDIA'
      target: songs/more
      extensions: [mp3]
EOF2
expect_bad "duplicate link set name" \
    "^renderlink: _config\\.yml:9:[0-9]+: renderlink\\.links\\[1\\]\\.name 'mp3s' is already the name of the link set at _config\\.yml:4:[0-9]+\$" -C "$SITE" sync
restore

# 8. Bad usage.
expect_bad "unknown option" "^renderlink: unknown option '--frobnicate'\$" \
    -C "$SITE" --frobnicate sync
check "unknown option: the usage follows" assert_grep "$ERR" '^usage: renderlink '
expect_bad "unknown command" \
    "^renderlink: 'snyc' is not a renderlink command; see 'renderlink help'\$" \
    -C "$SITE" snyc
expect_bad "no command" '^usage: renderlink ' -C "$SITE"
check "no command: the usage lists the commands" \
    assert_grep "$ERR" '^    sync +make the site'"'"'s links match its pages$'
expect_bad "extra argument" "^renderlink: sync takes no arguments \\('extra'\\)\$" \
    -C "$SITE" sync extra
check "extra argument: sync's usage follows" \
    assert_grep "$ERR" '^usage: renderlink sync '
expect_bad "bad --format" \
    "^renderlink: unknown --format 'xml' \\(use text, json or github\\)\$" \
    -C "$SITE" --format xml sync
expect_bad "bad --lock-timeout" \
    "^renderlink: --lock-timeout expects a whole number, not 'soon'\$" \
    -C "$SITE" sync --lock-timeout soon
expect_bad "missing --config file" \
    "^renderlink: nothere\\.yml: cannot read config file \\(No such file or directory, looked for $SITE/nothere\\.yml\\)\$" \
    -C "$SITE" --config nothere.yml sync
expect_bad "missing -C folder" \
    "^renderlink: $TMP/nope: No such file or directory\$" -C "$TMP/nope" sync
check "missing -C folder: not created" assert_no_entry "$TMP/nope"

# And the pending work was really pending: a good run does it.
run_rl -C "$SITE" sync
check "good input afterwards: exit 0" assert_rc 0
check "good input afterwards: the pending create and remove" \
    assert_stdout "create songs/mp3s/C.mp3 -> $MEDIA/C.mp3
remove songs/mp3s/B.mp3"

finish
