#!/usr/bin/env bash
# t0200-jekyll: hook/jekyll (used in place of `bundle exec jekyll`) syncs
# before a real Jekyll 4.3 build of the fixture site.  With
# JEKYLL_ENV=production _site gets real copies of exactly the referenced
# renders and none of the others; a reference dropped from a page is gone
# from _site after the next build.  Measured Jekyll behaviour the README
# relies on: without JEKYLL_ENV=production _site gets the links themselves,
# --safe drops them, a dangling link aborts the build.  A failed sync stops
# the wrapper before Jekyll (unless RENDERLINK_CONTINUE=1); arguments and
# odd site paths (space ; ' ( ) pass through intact; installed on PATH as
# `jekyll` it does not run itself in a loop.  A draft's render is linked
# (and published) only with --drafts/-D, which the wrapper passes on to
# the sync.  Run from a sub-folder, the wrapper has Jekyll build the site
# root it synced, each path option meaning what it meant in the
# sub-folder, as measured against plain Jekyll there (abbreviated, any
# case and clustered options too); arguments Jekyll would refuse stop it
# before the sync.
. "$(dirname "$0")/../lib.sh"

command -v jekyll >/dev/null 2>&1 || skip_all "jekyll not installed"
command -v bundle >/dev/null 2>&1 || skip_all "bundle not installed"

TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
HOOK=$TOP/hook/jekyll
unset JEKYLL JEKYLL_ENV RENDERLINK_CONTINUE RENDERLINK_HOOK_ACTIVE \
    BUNDLE_GEMFILE BUNDLE_PATH BUNDLE_BIN_PATH RUBYOPT RUBYLIB
export NO_COLOR=1

# The wrapper finds renderlink through RENDERLINK: a shim that logs each
# call (one line of arguments) and keeps RENDERLINK_WRAP (valgrind) on.
CALLS=$TMP/rl-calls
mkdir -p "$TMP/bin"
cat >"$TMP/bin/renderlink" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>'$CALLS'
exec \${RENDERLINK_WRAP:-} '$RL' "\$@"
EOF
chmod +x "$TMP/bin/renderlink"
export RENDERLINK=$TMP/bin/renderlink

# Does the binary build the front matter index from the pages?
HAS_INDEX=no
rl index --help >/dev/null 2>&1 && HAS_INDEX=yes

SONGS=$TMP/mnt/e/media/songs
sh "$TOP/fixtures/make-media.sh" "$TMP/mnt/e"
CONFIGS=_config.yml,_config.demo.yml

# mk_jsite DIR: the fixture site in DIR, its E: drive at $TMP/mnt/e (set
# in _config.demo.yml, as fixtures/demo.sh does), bundle installed.
mk_jsite() {
	mkdir -p "$(dirname -- "$1")"
	cp -R "$TOP/fixtures/site" "$1"
	printf 'renderlink:\n  automount_root: %s/mnt/\n' "$TMP" \
	    >"$1/_config.demo.yml"
	# Let sync build the index from the pages, as a new user would.
	[ "$HAS_INDEX" = no ] || rm -f "$1/_data/front_matter.json"
	(cd "$1" && bundle install --local --quiet) >"$TMP/bundle.log" 2>&1
}

# jk DIR ARGS...: run the wrapper in DIR; stdout in $OUT, stderr in $ERR,
# status in $RC.  A stuck run is killed (a loop must not hang the suite).
jk() {
	local dir=$1
	shift
	RC=0
	(cd "$dir" && timeout 50 "$HOOK" "$@") >"$OUT" 2>"$ERR" </dev/null ||
	    RC=$?
}

HL=harbour-lights/outputs/mp3s
OYO=one-year-older/outputs
# The renders the fixture pages reference, relative to $SONGS.
MP3S=(
	"$HL/Harbour Lights (92 bpm, radio edit, take 3; 2025-02-14).mp3"
	"$HL/Harbour Lights (92 bpm, acoustic, take 1; 2025-02-10).mp3"
	"night-bus/outputs/mp3s/Night Bus (120 bpm, demo; 2025-06-01).mp3"
	"$OYO/mp3s/One Year Older (136 bpm, landscape, long, lyrics, take 7; 2024-11-20).mp3"
)
STEMS=(
	"harbour-lights/outputs/stems/Harbour Lights stems (take 3).zip"
	"$OYO/stems/One Year Older - drums (take 7).wav"
	"$OYO/stems/One Year Older - vocals (take 7).wav"
)
ACOUSTIC=${MP3S[1]}

# assert_call LINE: the shim logged exactly LINE (renderlink's arguments).
assert_call() {
	if ! grep -Fxq -- "$1" "$CALLS"; then
		echo "renderlink was not called with: $1" >&2
		echo "calls:" >&2
		sed 's/^/  /' "$CALLS" >&2
		return 1
	fi
}

# names_in DIR: the names in DIR, one a line, sorted.
names_in() {
	find -P "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort
}

# assert_published SUBDIR KIND REF...: _site/songs/SUBDIR holds exactly
# the basenames of the REFs, each of KIND "copy" (a regular file with the
# render's bytes) or "link" (a symlink to the render's absolute path).
assert_published() {
	local dir=$SITE/_site/songs/$1 kind=$2 r b want=
	shift 2
	[ -d "$dir" ] || { echo "no folder $dir" >&2; return 1; }
	for r in "$@"; do
		want+="${r##*/}"$'\n'
	done
	assert_lines <(names_in "$dir") "$want" || return 1
	for r in "$@"; do
		b=$dir/${r##*/}
		if [ "$kind" = copy ]; then
			if [ -L "$b" ] || [ ! -f "$b" ]; then
				echo "not a regular file: $b" \
				    "($(stat -c %F -- "$b"))" >&2
				return 1
			fi
			assert_same_file "$SONGS/$r" "$b" || return 1
		else
			assert_link "$b" "$SONGS/$r" || return 1
		fi
	done
}

# assert_unreferenced_absent: no render the pages do not reference shows
# up anywhere in _site, by name.
assert_unreferenced_absent() {
	local r bad=0
	while IFS= read -r r; do
		case " ${MP3S[*]} ${STEMS[*]} " in
		*" $r "*) continue ;;
		esac
		if find -P "$SITE/_site" -printf '%f\n' | grep -Fxq -- "${r##*/}"
		then
			echo "unreferenced render published: ${r##*/}" >&2
			bad=1
		fi
	done < <(cd "$SONGS" && find . -type f | sed 's|^\./||')
	return $bad
}

# --- a production build, as the standard GitHub workflow runs it ----------

SITE=$TMP/site
mk_jsite "$SITE"
check "setup: bundle install --local works offline" assert_eq 0 "$?"

export JEKYLL_ENV=production
jk "$SITE" build --config "$CONFIGS"
check "production build through the wrapper exits 0" assert_rc 0
check "the wrapper ran renderlink sync on the site root with the configs" \
    assert_call "-C $SITE --config $CONFIGS sync"
check "sync's action lines are shown" \
    assert_grep "$OUT" '^create songs/mp3s/Night Bus '
check "jekyll ran after the sync" assert_grep "$OUT" 'done in'
check "_site/songs/mp3s: exactly the referenced mp3s, real bytes" \
    assert_published mp3s copy "${MP3S[@]}"
check "_site/songs/stems: exactly the referenced stems, real bytes" \
    assert_published stems copy "${STEMS[@]}"
check "no unreferenced render anywhere in _site" assert_unreferenced_absent

# Drop a reference from a page: the next build un-publishes the file.
if [ "$HAS_INDEX" = yes ]; then
	grep -vF "acoustic, take 1" "$SITE/_songs/harbour-lights.md" \
	    >"$TMP/page" && cat "$TMP/page" >"$SITE/_songs/harbour-lights.md"
	jk "$SITE" build --config "$CONFIGS"
	check "rebuild after dropping a reference exits 0" assert_rc 0
	check "sync removed the dropped render's link" \
	    grep -Fxq "remove songs/mp3s/${ACOUSTIC##*/}" "$OUT"
	check "the dropped render is gone from _site, the rest stay" \
	    assert_published mp3s copy "${MP3S[0]}" "${MP3S[2]}" "${MP3S[3]}"
	MP3S=("${MP3S[0]}" "${MP3S[2]}" "${MP3S[3]}")
else
	echo "# skip dropping a reference from a page: this renderlink has" \
	    "no 'index' command, so sync does not rebuild the index from" \
	    "the pages"
fi
unset JEKYLL_ENV

# --- a draft's render: linked only when Jekyll renders drafts ---------------

WIP="night-bus/outputs/mp3s/Night Bus (118 bpm, demo; 2025-05-28).mp3"
if [ "$HAS_INDEX" = yes ]; then
	mkdir -p "$SITE/_drafts"
	printf -- '---\ntitle: Work in progress\nmp3s: ["%s"]\n---\nNot yet.\n' \
	    "$WIP" >"$SITE/_drafts/wip-take.md"
	export JEKYLL_ENV=production
	: >"$CALLS"
	jk "$SITE" build --config "$CONFIGS"
	check "a draft, no --drafts: exit 0" assert_rc 0
	check "... the sync was not told to count drafts" \
	    assert_call "-C $SITE --config $CONFIGS sync"
	check "... the draft's render is not linked" \
	    assert_no_entry "$SITE/songs/mp3s/${WIP##*/}"
	check "... nor published" assert_no_entry "$SITE/_site/songs/mp3s/${WIP##*/}"

	: >"$CALLS"
	jk "$SITE" build --drafts --config "$CONFIGS"
	check "--drafts: exit 0" assert_rc 0
	check "--drafts is passed on to the sync" \
	    assert_call "-C $SITE --config $CONFIGS sync --drafts"
	check "--drafts: the draft's render is linked" \
	    assert_link "$SITE/songs/mp3s/${WIP##*/}" "$SONGS/$WIP"
	check "--drafts: and published with the draft" \
	    assert_same_file "$SONGS/$WIP" "$SITE/_site/songs/mp3s/${WIP##*/}"
	check "--drafts: Jekyll rendered the draft" \
	    test -n "$(find "$SITE/_site" -name 'wip-take.html')"

	# -D from a sub-folder: the same, for the site root.
	jk "$SITE/_songs" build -D --config "../_config.yml,../_config.demo.yml"
	check "-D from a sub-folder: exit 0" assert_rc 0
	check "-D is passed on as --drafts" \
	    assert_call "-C $SITE --config $CONFIGS sync --drafts"
	check "-D: the render stays published" \
	    assert_same_file "$SONGS/$WIP" "$SITE/_site/songs/mp3s/${WIP##*/}"

	jk "$SITE" build --config "$CONFIGS"
	check "without --drafts again: exit 0" assert_rc 0
	check "... the draft's link is removed" \
	    grep -Fxq "remove songs/mp3s/${WIP##*/}" "$OUT"
	check "... and its render is gone from _site" \
	    assert_no_entry "$SITE/_site/songs/mp3s/${WIP##*/}"
	rm -rf "$SITE/_drafts"
	unset JEKYLL_ENV
fi

# --- what Jekyll does with the links (measured) ----------------------------

rm -rf "$SITE/_site"
jk "$SITE" build --config "$CONFIGS"
check "development build (no JEKYLL_ENV) exits 0" assert_rc 0
check "without JEKYLL_ENV=production _site gets the links themselves" \
    assert_published mp3s link "${MP3S[@]}"

rm -rf "$SITE/_site"
jk "$SITE" build --safe --config "$CONFIGS"
check "--safe build exits 0" assert_rc 0
check "--safe builds the pages" test -f "$SITE/_site/songs/night-bus/index.html"
check "--safe drops links that point outside the site (mp3s)" \
    assert_no_entry "$SITE/_site/songs/mp3s"
check "--safe drops links that point outside the site (stems)" \
    assert_no_entry "$SITE/_site/songs/stems"

# A render deleted from the drive leaves a dangling link: plain Jekyll
# aborts on it; the wrapper's sync reports it and removes the link.
NB="night-bus/outputs/mp3s/Night Bus (120 bpm, demo; 2025-06-01).mp3"
mv -- "$SONGS/$NB" "$TMP/nb.keep"
rm -rf "$SITE/_site"
RC=0
(cd "$SITE" && timeout 50 jekyll build --config "$CONFIGS") >"$OUT" 2>"$ERR" ||
    RC=$?
check "measured: plain jekyll aborts on a dangling link" assert_rc 1
check "measured: ... with ENOENT on that link" \
    assert_grep "$ERR" "No such file or directory @ rb_sysopen - $SITE/songs/mp3s/Night Bus"
jk "$SITE" build --config "$CONFIGS"
check "wrapper: the vanished render stops the build (exit 1)" assert_rc 1
check "wrapper: ... as a missing-source error for its page" \
    assert_problem error _songs/night-bus.md missing-source
check "wrapper: ... and the dangling link is removed" \
    assert_no_entry "$SITE/songs/mp3s/${NB##*/}"
RENDERLINK_CONTINUE=1 jk "$SITE" build --config "$CONFIGS"
check "wrapper, RENDERLINK_CONTINUE=1: the build then succeeds" assert_rc 0
mv -- "$TMP/nb.keep" "$SONGS/$NB"

# --- a failing sync stops the wrapper ---------------------------------------

cp "$SITE/_songs/night-bus.md" "$TMP/night-bus.md"
if [ "$HAS_INDEX" = yes ]; then
	sed -i 's|^mp3s: .*|mp3s: ["night-bus/outputs/mp3s/Gone (take 9).mp3"]|' \
	    "$SITE/_songs/night-bus.md"
else
	cp "$SITE/_data/front_matter.json" "$TMP/index.keep"
	sed -i 's|Night Bus (120 bpm, demo; 2025-06-01)|Gone (take 9)|' \
	    "$SITE/_data/front_matter.json"
fi
rm -rf "$SITE/_site"
jk "$SITE" build --config "$CONFIGS"
check "a failing sync stops the wrapper with exit 1" assert_rc 1
check "renderlink's error is shown" \
    assert_problem error _songs/night-bus.md missing-source
check "the wrapper says it did not run jekyll" \
    assert_grep "$ERR" 'sync failed \(exit 1\); not running jekyll'
check "jekyll did not run (no _site)" assert_no_entry "$SITE/_site"

RENDERLINK_CONTINUE=1 jk "$SITE" build --config "$CONFIGS"
check "RENDERLINK_CONTINUE=1: builds anyway, exit 0" assert_rc 0
check "RENDERLINK_CONTINUE=1: warns" \
    assert_grep "$ERR" 'sync failed \(exit 1\); building anyway'
check "RENDERLINK_CONTINUE=1: _site built" \
    test -f "$SITE/_site/songs/night-bus/index.html"
cp "$TMP/night-bus.md" "$SITE/_songs/night-bus.md"
[ "$HAS_INDEX" = yes ] || cp "$TMP/index.keep" "$SITE/_data/front_matter.json"

# --- arguments and paths ----------------------------------------------------

# A stand-in Jekyll that records its arguments, one per line.
cat >"$TMP/bin/fake-jekyll" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >'$TMP/args'
pwd -P >'$TMP/cwd'
EOF
chmod +x "$TMP/bin/fake-jekyll"

: >"$CALLS"
ODD="/a b;'(c)\$HOME\"*"
JEKYLL=$TMP/bin/fake-jekyll jk "$SITE" serve --config="$CONFIGS" \
    --baseurl "$ODD" --livereload -V ""
check "every argument reaches jekyll untouched (incl. empty, quotes, \$)" \
    assert_same_file <(printf '%s\n' serve "--config=$CONFIGS" --baseurl \
    "$ODD" --livereload -V "") "$TMP/args"
check "--config=FILES form is honoured for serve" \
    assert_call "-C $SITE --config $CONFIGS sync"

: >"$CALLS"
JEKYLL=$TMP/bin/fake-jekyll jk "$SITE" new other
check "'jekyll new' is passed on without a sync" assert_eq "" "$(cat "$CALLS")"

# A site folder whose name needs quoting, built from outside it with -s
# and --config paths relative to the current folder (as Jekyll reads
# them); renderlink must be given the same files.
QNAME="my site; it's (new)"
QSITE=$TMP/q/$QNAME
mk_jsite "$QSITE"
: >"$CALLS"
jk "$TMP/q" build -s "$QNAME" \
    --config "$QNAME/_config.yml,$QNAME/_config.demo.yml" \
    -d "$QSITE/_site"
check "site path with space ; ' ( ): build from outside exits 0" assert_rc 0
check "... renderlink got the site root and the config files" \
    assert_call "-C $QSITE --config $CONFIGS sync"
check "... the built site has the links" \
    test -L "$QSITE/_site/songs/mp3s/${MP3S[0]##*/}"
rm -rf "$QSITE/_site"
: >"$CALLS"
jk "$QSITE/_songs" build -s .. -d ../_site \
    --config "../_config.yml,$QSITE/_config.demo.yml"
check "site path with space ; ' ( ): build from a subfolder with -s .." \
    assert_rc 0
check "... relative and absolute --config paths both reach renderlink" \
    assert_call "-C $QSITE --config $CONFIGS sync"
check "... _site built in the site" \
    test -L "$QSITE/_site/songs/mp3s/${MP3S[0]##*/}"

# --- from a sub-folder: Jekyll builds the site that was synced ---------------

# Found by walking up, no -s: the sync covers the whole site, and Jekyll
# must build that site too (not the sub-folder into SUBFOLDER/_site), with
# the paths given meaning what they meant where they were typed.
: >"$CALLS"
RENDERLINK_CONTINUE=1 JEKYLL=$TMP/bin/fake-jekyll jk "$QSITE/_songs" build
check "without -s the site root is found by walking up" \
    assert_call "-C $QSITE sync"
check "... and jekyll runs in the site root" \
    assert_eq "$QSITE" "$(cat "$TMP/cwd")"
check "... with the arguments as given (none to rewrite)" \
    assert_same_file <(printf '%s\n' build) "$TMP/args"

JEKYLL=$TMP/bin/fake-jekyll jk "$QSITE/_songs" build -d ../pub -V \
    --config="../_config.yml,$QSITE/_config.demo.yml" --baseurl "$ODD"
check "relative paths are made absolute, the rest untouched" \
    assert_same_file <(printf '%s\n' build -d "$QSITE/pub" -V \
    "--config=$QSITE/_config.yml,$QSITE/_config.demo.yml" --baseurl "$ODD") \
    "$TMP/args"

export JEKYLL_ENV=production
rm -rf "$QSITE/_site"
: >"$CALLS"
jk "$QSITE/_songs" build --config "../_config.yml,../_config.demo.yml"
check "real jekyll from a sub-folder: exit 0" assert_rc 0
check "... the sync read the configs given" \
    assert_call "-C $QSITE --config $CONFIGS sync"
check "... jekyll built the site root into ROOT/_site" \
    test -f "$QSITE/_site/index.html" -a -f "$QSITE/_site/songs/night-bus/index.html"
check "... with the renders" test -f "$QSITE/_site/songs/mp3s/${MP3S[0]##*/}"
check "... and not the sub-folder into SUBFOLDER/_site" \
    assert_no_entry "$QSITE/_songs/_site"

jk "$QSITE/_songs" build -d ../public --config "../_config.yml,../_config.demo.yml"
check "real jekyll from a sub-folder, -d ../public: exit 0" assert_rc 0
check "... built into ROOT/public, as -d ../public said from there" \
    test -f "$QSITE/public/songs/night-bus/index.html" -a \
    -f "$QSITE/public/songs/mp3s/${MP3S[0]##*/}"
check "... nothing built in the sub-folder" \
    assert_no_entry "$QSITE/_songs/_site"
unset JEKYLL_ENV

# Measured: for each way of writing Jekyll's path options, Jekyll run by
# the wrapper from the sub-folder resolves them exactly as plain Jekyll run
# in that folder does (it reads them with Ruby's OptionParser: abbreviated,
# any case, clustered, -u for --unpublished), except that it builds the
# site root.  A preloaded hook writes what the site resolved.
cat >"$TMP/dump.rb" <<'RUBY'
require "jekyll"
Jekyll::Hooks.register :site, :after_init do |site|
  File.write(ENV.fetch("RL_DUMP"), <<~DUMP)
    dest #{site.dest}
    layouts #{site.in_source_dir(site.config["layouts_dir"])}
    plugins #{site.plugin_manager.plugins_path.join(",")}
    drafts #{site.show_drafts ? true : false}
    unpublished #{site.unpublished ? true : false}
    future #{site.future ? true : false}
  DUMP
  File.write(ENV.fetch("RL_DUMP") + ".source", site.source + "\n")
end
RUBY
mkdir -p "$QSITE/_songs/_plugins2"
# same_as_plain KEYS ARGS...: plain jekyll and the wrapper, both in
# _songs, resolve the KEYS (of dest, layouts, plugins) alike.
same_as_plain() {
	local sub=$QSITE/_songs keys=$1 c k
	shift
	(cd "$sub" && RL_DUMP=$TMP/plain RUBYOPT="-r$TMP/dump.rb" timeout 50 \
	    jekyll build "$@") >"$TMP/plain.out" 2>&1 </dev/null
	: >"$CALLS"
	RL_DUMP=$TMP/wrapped RUBYOPT="-r$TMP/dump.rb" jk "$sub" build "$@"
	assert_rc 0 || return 1
	assert_eq "$QSITE" "$(cat "$TMP/wrapped.source")" || return 1
	assert_eq "$sub" "$(cat "$TMP/plain.source")" || return 1
	for k in ${keys//,/ } drafts unpublished future; do
		assert_eq "$(grep "^$k " "$TMP/plain")" \
		    "$(grep "^$k " "$TMP/wrapped")" || return 1
	done
	# The same config files read.
	assert_same_file <(grep 'Configuration file:' "$TMP/plain.out") \
	    <(grep 'Configuration file:' "$OUT") || return 1
	# The sync counts the pages this build renders.
	c=$(cat "$CALLS")
	for f in drafts unpublished future; do
		if grep -qx "$f true" "$TMP/plain"; then
			case " $c " in *" --$f "*) ;; *)
				echo "sync without --$f: $c" >&2; return 1 ;;
			esac
		else
			case " $c " in *" --$f "*)
				echo "sync with --$f: $c" >&2; return 1 ;;
			esac
		fi
	done
}
CF="../_config.yml,../_config.demo.yml"
check "measured: -d DIR, --layouts DIR" \
    same_as_plain dest,layouts --config "$CF" -d ../pub1 --layouts ../_layouts
check "measured: --destination=DIR, -p A,B" \
    same_as_plain dest,plugins --config="$CF" --destination=../pub2 \
    -p _plugins2,../_plugins
check "measured: -qdDIR then --dest DIR (the last wins)" \
    same_as_plain dest --config "$CF" -qd../pub3 --dest ../pub4
check "measured: --DEST, --con=, --lay (abbreviated, any case)" \
    same_as_plain dest,layouts --con="$CF" --DEST ../pub5 \
    --lay "$QSITE/_layouts"
check "measured: --drafts, --future" \
    same_as_plain dest --config "$CF" --drafts --future -d ../pub6
check "measured: -Du (-u is --unpublished)" \
    same_as_plain dest --config "$CF" -Du -d ../pub7
check "measured: --dra --unp (abbreviated)" \
    same_as_plain dest --config "$CF" --dra --unp -d ../pub8
check "measured: no flag, no --drafts to the sync" \
    same_as_plain dest --config "$CF" -d ../pub9
rm -rf "$QSITE/_songs/_plugins2" "$QSITE"/pub* "$QSITE/_songs/_site"

# What Jekyll would refuse stops the wrapper before the sync.
: >"$CALLS"
jk "$QSITE/_songs" build --d x
check "an ambiguous option: exit 2" assert_rc 2
check "... says so" assert_grep "$ERR" 'ambiguous option: --d; not running jekyll'
check "... no sync" assert_eq "" "$(cat "$CALLS")"
JEKYLL=$TMP/bin/fake-jekyll jk "$QSITE/_songs" build --help
check "--help goes straight to jekyll (no sync)" assert_eq "" "$(cat "$CALLS")"

# No renderlink in RENDERLINK or on PATH: ../build/renderlink next to the
# script.
mkdir -p "$TMP/copy/hook" "$TMP/copy/build"
cp "$HOOK" "$TMP/copy/hook/jekyll"
cp "$RENDERLINK" "$TMP/copy/build/renderlink"
: >"$CALLS"
RC=0
(cd "$SITE" && env -u RENDERLINK PATH=/usr/bin:/bin \
    JEKYLL="$TMP/bin/fake-jekyll" "$TMP/copy/hook/jekyll" build) \
    >"$OUT" 2>"$ERR" || RC=$?
check "falls back to ../build/renderlink next to the script" \
    assert_call "-C $SITE sync"

# Installed on PATH as `jekyll`: `bundle exec jekyll` finds the wrapper
# again; it must pass on to the real jekyll, not sync and loop.
mkdir -p "$TMP/pathbin"
ln -s "$HOOK" "$TMP/pathbin/jekyll"
: >"$CALLS"
rm -rf "$SITE/_site"
PATH=$TMP/pathbin:$PATH jk "$SITE" build --config "$CONFIGS"
check "wrapper on PATH as 'jekyll': build exits 0 (no loop)" assert_rc 0
check "... renderlink ran once" assert_eq 1 "$(wc -l <"$CALLS")"
check "... the real jekyll built _site" \
    test -L "$SITE/_site/songs/mp3s/${MP3S[0]##*/}"

finish
