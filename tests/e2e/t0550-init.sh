#!/usr/bin/env bash
# t0550-init: `renderlink init` adds renderlink to a Jekyll site in one
# command, on a real `jekyll new` site in a real git repository:
# - it appends a commented renderlink: block to _config.yml, every byte
#   before it kept (comments, order, mode; a missing last newline is
#   added first), and the block loads: a sync right after links real
#   media, and Ruby's YAML (Jekyll's) reads the values back as given,
#   Windows paths (E:\..., E:/..., a quote in a name) included;
# - it appends the target folder to the .gitignore at the top of the
#   repository (a site in a sub-folder too, glob characters escaped),
#   only when git does not ignore it already, and says what it did and
#   what to run next;
# - --dry-run prints the block and the line and changes nothing; a
#   second run refuses (exit 1, naming where the block is; the YAML
#   parser decides, not a text search) and changes nothing; a --target
#   the config refuses is exit 2 with nothing changed; no _config.yml is
#   exit 2.
. "$(dirname "$0")/../lib.sh"

command -v jekyll >/dev/null || skip_all "jekyll not installed"
command -v git >/dev/null || skip_all "git not installed"
export GIT_CONFIG_GLOBAL=$TMP/gitconfig GIT_CONFIG_NOSYSTEM=1
git config --global user.name t && git config --global user.email t@e

# new_site DIR: what `jekyll new` makes (its _config.yml is all comments
# and order), skipping the bundle install.
new_site() {
	mkdir -p "$(dirname "$1")"
	if ! jekyll new --skip-bundle "$1" >"$TMP/jekyll.log" 2>&1; then
		echo "# jekyll new failed:"
		sed 's/^/#   /' "$TMP/jekyll.log"
		exit 1
	fi
}

# block_of FILE SIZE: what follows the first SIZE bytes of FILE.
block_of() {
	tail -c +$(($2 + 1)) "$1"
}

# yaml_get FILE RUBY-EXPR: the value Ruby's YAML (Psych, which Jekyll
# uses) reads, e.g. yaml_get _config.yml '["renderlink"]["links"][0]["source"]'.
yaml_get() {
	ruby -ryaml -e 'c = YAML.load_file(ARGV[0]); puts eval("c" + ARGV[1])' \
	    "$1" "$2"
}

# --- a fresh jekyll new site, in a git repository --------------------------

new_site "$SITE"
git -C "$SITE" init -q
C=$SITE/_config.yml
chmod 640 "$C"
cp "$C" "$TMP/config.orig"
SIZE=$(stat -c %s "$C")
check "jekyll new wrote comments in _config.yml" assert_grep "$C" '^# '
mk_media "$MEDIA" "one/outputs/mp3s/Take 1 (120 bpm).mp3" "one/other.wav"

# A dry run first: it prints, and changes nothing at all.
snapshot "$SITE" "$TMP/snap.fresh"
run_rl -C "$SITE" init --dry-run --source "$MEDIA"
check "dry run: exit 0" assert_rc 0
check "dry run: prints the block" assert_grep "$OUT" "^renderlink: "
check "dry run: prints the source line" \
    assert_grep "$OUT" "^      source: '$MEDIA' +# "
check "dry run: names the .gitignore it would add to" \
    assert_grep "$OUT" "^would add to $SITE/\\.gitignore:\$"
check "dry run: prints the line it would add" assert_grep "$OUT" '^/songs/mp3s/$'
check "dry run: nothing changed (site and repository, mtimes too)" \
    assert_snapshot "$SITE" "$TMP/snap.fresh"
check "dry run: no temporary left in \$TMPDIR" \
    test -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name '.renderlink-tmp.*' -newer "$TMP/snap.fresh" 2>/dev/null)"
sed -n '/^would add to _config.yml:$/,/^would add to /p' "$OUT" |
    sed '1d;$d' >"$TMP/dry.block"

run_rl -C "$SITE" init --source "$MEDIA"
check "init: exit 0" assert_rc 0
check "init: no warning (the media root is there)" assert_stderr_empty
check "init: every byte that was there is kept, in place" \
    cmp -n "$SIZE" "$C" "$TMP/config.orig"
check "init: a blank line, then the block" \
    assert_eq "" "$(block_of "$C" "$SIZE" | head -n 1)"
block_of "$C" "$SIZE" | sed 1d >"$TMP/block"
check "init: the block is what the dry run printed" \
    assert_same_file "$TMP/dry.block" "$TMP/block"
check "init: every line of the block has a comment" \
    assert_no_grep "$TMP/block" '^[^#]*$'
check "init: the block fills the first set with the defaults" \
    assert_eq "mp3s mp3s songs/mp3s mp3" \
    "$(yaml_get "$C" '["renderlink"]["links"][0].values_at("name", "key", "target", "extensions").flatten.join(" ")')"
check "init: Ruby's YAML reads the source back as given" \
    assert_eq "$MEDIA" "$(yaml_get "$C" '["renderlink"]["links"][0]["source"]')"
check "init: the config keeps its mode" assert_eq 640 "$(stat -c %a "$C")"
check "init: the config is still a regular file (renamed over)" test -f "$C" -a ! -L "$C"
check "init: no temporary left in the site" \
    test -z "$(find "$SITE" -name '.renderlink-tmp.*')"
check "init: the target folder is in the repository's .gitignore" \
    assert_eq "/songs/mp3s/" "$(cat "$SITE/.gitignore")"
check "init: git now ignores what is linked there" \
    git -C "$SITE" check-ignore -q "songs/mp3s/Take 1 (120 bpm).mp3"
check "init: says what it added to the config" \
    assert_grep "$OUT" "^added a renderlink block to _config.yml: link set 'mp3s' .* into songs/mp3s/\$"
check "init: says what it added to .gitignore" \
    assert_grep "$OUT" "^added /songs/mp3s/ to $SITE/\\.gitignore "
check "init: next step: sync (with -C, as it was run)" \
    assert_grep "$OUT" "^  renderlink -C $SITE sync +# "
check "init: next step: hook install" \
    assert_grep "$OUT" "^  renderlink -C $SITE hook install +# "

# The block works: a page names a render, and a sync links it.
mkdir -p "$SITE/_songs"
printf -- '---\ntitle: One\nmp3s: ["one/outputs/mp3s/Take 1 (120 bpm).mp3"]\n---\n' \
    >"$SITE/one.md"
run_rl -C "$SITE" sync
check "sync after init: exit 0" assert_rc 0
check "sync after init: the render is linked" \
    assert_link "$SITE/songs/mp3s/Take 1 (120 bpm).mp3" \
    "$MEDIA/one/outputs/mp3s/Take 1 (120 bpm).mp3"
check "sync after init: git leaves the links out" \
    assert_eq "" "$(git -C "$SITE" status --porcelain --untracked-files=all -- songs)"

# A second run: refused, by line, and nothing changes.
snapshot "$SITE" "$TMP/snap.done"
run_rl -C "$SITE" init --source "$MEDIA" --target songs/other
check "second run: exit 1" assert_rc 1
LINE=$(grep -n '^renderlink:' "$C" | cut -d: -f1)
check "second run: says where the block is" \
    assert_grep "$ERR" "_config\\.yml:$LINE:1: the config has a renderlink: block already; init changes nothing"
check "second run: prints nothing on stdout" assert_stdout_empty
check "second run: nothing changed (config, .gitignore, links)" \
    assert_snapshot "$SITE" "$TMP/snap.done"
run_rl -C "$SITE" init --dry-run --source "$MEDIA"
check "second run, dry: exit 1 too" assert_rc 1
check "second run, dry: nothing changed" assert_snapshot "$SITE" "$TMP/snap.done"

# --- the YAML parser decides, not a text search -----------------------------

S2=$TMP/s2
mkdir -p "$S2"
cat >"$S2/_config.yml" <<'EOF'
# renderlink: not yet, says this comment
title: "renderlink: in a string"
plugin_settings:
  renderlink: nested, not top-level
description: |
  renderlink:
    links: in a block scalar
EOF
run_rl -C "$S2" init --source "$MEDIA"
check "a renderlink: that is no top-level key does not stop init" assert_rc 0
check "... and the block is added" \
    assert_eq songs/mp3s "$(yaml_get "$S2/_config.yml" '["renderlink"]["links"][0]["target"]')"
check "... the block scalar is still what it was" \
    assert_eq "renderlink:|  links: in a block scalar|" \
    "$(yaml_get "$S2/_config.yml" '["description"]' | tr '\n' '|')"
check "not in a git repository: says so" \
    assert_grep "$OUT" "not in a git repository: no \\.gitignore"
check "not in a git repository: no .gitignore made" assert_no_entry "$S2/.gitignore"
check "not in a git repository: no hook install advised" \
    assert_no_grep "$OUT" "hook install"

S3=$TMP/s3
mkdir -p "$S3"
printf 'title: x\n"renderlink": ~\n' >"$S3/_config.yml"
cp "$S3/_config.yml" "$TMP/s3.orig"
run_rl -C "$S3" init --source "$MEDIA"
check "a quoted, empty top-level renderlink key is a block: exit 1" assert_rc 1
check "... named with its line" assert_grep "$ERR" '_config\.yml:2:1: '
check "... and the file is unchanged" assert_same_file "$TMP/s3.orig" "$S3/_config.yml"

# --- Windows paths -----------------------------------------------------------

# E: is a drvfs mount at $TMP/e, as WSL's mount table says.
E=$TMP/e
mk_media "$E/media/songs" "two/Two.mp3" "it's/Q.mp3"
printf '%s\n' "2 0 0:2 / / rw,noatime - ext4 /dev/sda rw" \
    "7 2 0:7 / $E rw,noatime - drvfs E:\\134 rw,case=off" >"$TMP/mountinfo"
export RENDERLINK_MOUNTINFO=$TMP/mountinfo

# win_case DIR SOURCE DESC: init with a Windows source, then a sync links
# DIR's page's render through the E: mount.
win_case() {
	local s=$1 src=$2 desc=$3
	mkdir -p "$s"
	printf 'title: w\n' >"$s/_config.yml"
	printf -- '---\nmp3s: two/Two.mp3\n---\n' >"$s/p.md"
	run_rl -C "$s" init --source "$src"
	check "$desc: exit 0" assert_rc 0
	check "$desc: Ruby's YAML reads the source back as given" \
	    assert_eq "$src" "$(yaml_get "$s/_config.yml" '["renderlink"]["links"][0]["source"]')"
	check "$desc: the summary names the Linux path too" \
	    assert_grep "$OUT" " from .* \\($E/media/songs\\) into "
	run_rl -C "$s" sync
	check "$desc: sync links through the mount" \
	    assert_link "$s/songs/mp3s/Two.mp3" "$E/media/songs/two/Two.mp3"
}
win_case "$TMP/w1" 'E:\media\songs' 'E:\media\songs'
check 'E:\media\songs: written in single quotes, backslashes as they are' \
    assert_grep "$TMP/w1/_config.yml" "^      source: 'E:\\\\media\\\\songs' +# "
win_case "$TMP/w2" 'E:/media/songs' 'E:/media/songs'
win_case "$TMP/w3" 'e:\media\songs\' 'e:\media\songs\ (lower case, trailing \)'

mkdir -p "$TMP/w4"
printf 'title: w\n' >"$TMP/w4/_config.yml"
run_rl -C "$TMP/w4" init --source "E:\\media\\songs\\it's"
check "a quote in the path: exit 0" assert_rc 0
check "a quote in the path: doubled inside single quotes" \
    assert_grep "$TMP/w4/_config.yml" "^      source: 'E:\\\\media\\\\songs\\\\it''s' +# "
check "a quote in the path: read back as given" \
    assert_eq "E:\\media\\songs\\it's" \
    "$(yaml_get "$TMP/w4/_config.yml" '["renderlink"]["links"][0]["source"]')"

# A drive that is not mounted: written all the same, with a warning.
mkdir -p "$TMP/w5"
printf 'title: w\n' >"$TMP/w5/_config.yml"
run_rl -C "$TMP/w5" init --source 'F:\media\songs'
check "a drive not mounted: exit 0" assert_rc 0
check "a drive not mounted: a warning saying so" assert_grep "$ERR" \
    "^warning: the media root F:\\\\media\\\\songs \\(/mnt/f/media/songs\\) is not there \\(is the drive mounted\\?\\)"
check "a drive not mounted: the block is written" \
    assert_grep "$TMP/w5/_config.yml" "^renderlink:"
unset RENDERLINK_MOUNTINFO

# --- the options ---------------------------------------------------------------

mkdir -p "$TMP/o1"
printf 'title: o' >"$TMP/o1/_config.yml"	# no last newline
run_rl -C "$TMP/o1" init --source "$MEDIA" --name stems --key stem_files \
    --target media/stems --ext 'wav, FLAC,.aif'
check "options: exit 0" assert_rc 0
check "options: a missing last newline is added, nothing else" \
    assert_eq "title: o||" "$(head -n 2 "$TMP/o1/_config.yml" | tr '\n' '|')"
check "options: name, key, target and extensions as given" \
    assert_eq "stems stem_files media/stems wav FLAC .aif" \
    "$(yaml_get "$TMP/o1/_config.yml" '["renderlink"]["links"][0].values_at("name", "key", "target", "extensions").flatten.join(" ")')"
mk_media "$MEDIA" st/a.flac st/b.aif st/c.mp3
printf -- '---\nstem_files: [st/a.flac, st/b.aif, st/c.mp3]\n---\n' >"$TMP/o1/p.md"
run_rl -C "$TMP/o1" sync
check "options: the set links what its key names, by its extensions" \
    assert_stdout "\
create media/stems/a.flac -> $MEDIA/st/a.flac
create media/stems/b.aif -> $MEDIA/st/b.aif"
check "options: another extension is an invalid reference" \
    assert_problem error p.md invalid-reference

run_rl init --help
check "--help: exit 0" assert_rc 0
check "--help: --source" assert_grep "$OUT" '^ +--source <path> .*required'
check "--help: the default name" assert_grep "$OUT" '^ +--name <name> .*\(default mp3s\)$'
check "--help: the default target" assert_grep "$OUT" '^ +--target <dir> .*\(default songs/mp3s\)$'
check "--help: the default key" assert_grep "$OUT" '^ +--key <key> .*\(default mp3s\)$'
check "--help: the default extension" assert_grep "$OUT" '^ +--ext <ext\[,ext...\]> .*\(default mp3\)$'
check "--help: --dry-run" assert_grep "$OUT" '^ +-n, --dry-run '

run_rl -C "$TMP/o1" init
check "no --source: exit 2" assert_rc 2
check "no --source: says it is needed" assert_grep "$ERR" 'init needs --source'

# --- refusals change nothing ------------------------------------------------------

# bad_target TARGET DESC
bad_target() {
	local s=$TMP/bad
	rm -rf "$s"
	new_site "$s"
	git -C "$s" init -q
	snapshot "$s" "$TMP/snap.bad"
	run_rl -C "$s" init --source "$MEDIA" --target "$1"
	check "--target $1 ($2): exit 2" assert_rc 2
	check "--target $1: the message names the value and the file" \
	    assert_grep "$ERR" "_config\\.yml:[0-9]+:[0-9]+: renderlink\\.links\\[0\\]\\.target '$1'.*; _config\\.yml is unchanged\$"
	check "--target $1: the message does not name the temporary" \
	    assert_no_grep "$ERR" 'renderlink-tmp'
	check "--target $1: nothing changed, no temporary left" \
	    assert_snapshot "$s" "$TMP/snap.bad"
}
bad_target ../songs "leaves the site"
bad_target _songs "not published"
bad_target node_modules/x "Jekyll's default exclude"

run_rl -C "$TMP/bad" init --source "$MEDIA" --ext 'mp3,m-p'
check "a bad --ext: exit 2" assert_rc 2
check "a bad --ext: nothing changed" assert_snapshot "$TMP/bad" "$TMP/snap.bad"

mkdir -p "$TMP/empty"
snapshot "$TMP/empty" "$TMP/snap.empty"
run_rl -C "$TMP/empty" init --source "$MEDIA"
check "no _config.yml: exit 2" assert_rc 2
check "no _config.yml: says so" assert_grep "$ERR" "no _config\\.yml or _config\\.yaml here"
check "no _config.yml: none made" assert_snapshot "$TMP/empty" "$TMP/snap.empty"

mkdir -p "$TMP/yaml"
printf 'title: y\n' >"$TMP/yaml/_config.yaml"
run_rl -C "$TMP/yaml" init --source "$MEDIA"
check "_config.yaml: exit 0" assert_rc 0
check "_config.yaml: the block goes there" assert_grep "$TMP/yaml/_config.yaml" '^renderlink:'
check "_config.yaml: no _config.yml made" assert_no_entry "$TMP/yaml/_config.yml"

# A config written with CRLF line ends gets a block with CRLF ends.
mkdir -p "$TMP/crlf"
printf 'title: c\r\nurl: ""\r\n' >"$TMP/crlf/_config.yml"
run_rl -C "$TMP/crlf" init --source "$MEDIA"
check "CRLF config: exit 0" assert_rc 0
check "CRLF config: every line of it ends in CRLF" \
    test "$(grep -c $'\r$' "$TMP/crlf/_config.yml")" = "$(wc -l <"$TMP/crlf/_config.yml")"

# --- .gitignore: only what git does not ignore yet ---------------------------------

R=$TMP/repo
new_site "$R/www"
git -C "$R" init -q
printf '# mine\n*.log' >"$R/.gitignore"	# no last newline
run_rl -C "$R/www" init --source "$MEDIA" --target 'songs/m*p3s [1]'
check "sub-folder site: exit 0" assert_rc 0
check "sub-folder site: the line goes to the .gitignore at the top, from the top, globs escaped" \
    assert_eq "# mine|*.log|/www/songs/m\\*p3s \\[1]/|" "$(tr '\n' '|' <"$R/.gitignore")"
mkdir -p "$R/www/songs/m*p3s [1]" "$R/www/songs/mXp3s [1]"
touch "$R/www/songs/m*p3s [1]/a.mp3" "$R/www/songs/mXp3s [1]/b.mp3"
check "sub-folder site: git ignores that folder" \
    git -C "$R" check-ignore -q "www/songs/m*p3s [1]/a.mp3"
check "sub-folder site: and only that folder" \
    assert_eq "?? www/songs/mXp3s [1]/b.mp3" \
    "$(git -C "$R" status --porcelain -z --untracked-files=all -- www/songs | tr -d '\0')"
check "sub-folder site: next steps name -C" \
    assert_grep "$OUT" "^  renderlink -C $R/www sync"

R2=$TMP/repo2
new_site "$R2"
git -C "$R2" init -q
printf '/songs/\n' >"$R2/.gitignore"
cp "$R2/.gitignore" "$TMP/gi.orig"
(cd "$R2" && rl init --source "$MEDIA") >"$OUT" 2>"$ERR"
RC=$?
check "already ignored: exit 0" assert_rc 0
check "already ignored: .gitignore untouched" assert_same_file "$TMP/gi.orig" "$R2/.gitignore"
check "already ignored: says so" assert_grep "$OUT" '^git already ignores songs/mp3s/$'
check "run from the site folder: next steps without -C" \
    assert_grep "$OUT" '^  renderlink sync +# '

# --format json: one document.
S4=$TMP/s4
new_site "$S4"
git -C "$S4" init -q
run_rl -C "$S4" --format json init --dry-run --source 'E:\x'
check "json: exit 0" assert_rc 0
check "json: one document saying what would be done" json_assert "$OUT" \
    'd["dry_run"] is True and d["config"] == "_config.yml" and d["block"].startswith("# ") and d["set"]["source"] == "E:\\x" and d["set"]["target"] == "songs/mp3s" and d["line"] == "/songs/mp3s/" and d["added"] is True and d["source_available"] is False'
check "json: a dry run writes no .gitignore" assert_no_entry "$S4/.gitignore"

finish
