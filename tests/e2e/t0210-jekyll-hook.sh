#!/usr/bin/env bash
# t0210-jekyll-hook: hook/renderlink.rb copied into _plugins/ makes a plain
# `jekyll build` (real Jekyll 4.3) sync first: the links are there before
# Jekyll reads the site, once per build, logged through Jekyll's logger; a
# second build's sync writes nothing; `jekyll build --watch` does not
# rebuild in a loop (quiet when nothing changes, settles after an edit);
# in safe mode the plugin does nothing; the sync is told what the build
# renders (--drafts, --unpublished, --future, from the flags or the
# config), so a draft's render is linked only with show_drafts; a failing
# sync fails the build unless RENDERLINK_CONTINUE=1; renderlink.bin in the
# config picks the binary.
. "$(dirname "$0")/../lib.sh"

command -v jekyll >/dev/null 2>&1 || skip_all "jekyll not installed"
command -v bundle >/dev/null 2>&1 || skip_all "bundle not installed"

TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
unset JEKYLL JEKYLL_ENV RENDERLINK_CONTINUE RENDERLINK_HOOK_ACTIVE \
    BUNDLE_GEMFILE BUNDLE_PATH BUNDLE_BIN_PATH RUBYOPT RUBYLIB
export NO_COLOR=1

# renderlink through a shim that logs each call and keeps RENDERLINK_WRAP.
CALLS=$TMP/rl-calls
mkdir -p "$TMP/bin"
cat >"$TMP/bin/renderlink" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>'$CALLS'
exec \${RENDERLINK_WRAP:-} '$RL' "\$@"
EOF
chmod +x "$TMP/bin/renderlink"
export RENDERLINK=$TMP/bin/renderlink
: >"$CALLS"

HAS_INDEX=no
rl index --help >/dev/null 2>&1 && HAS_INDEX=yes

SONGS=$TMP/mnt/e/media/songs
sh "$TOP/fixtures/make-media.sh" "$TMP/mnt/e"
CONFIGS=_config.yml,_config.demo.yml
cp -R "$TOP/fixtures/site" "$SITE"
printf 'renderlink:\n  automount_root: %s/mnt/\n' "$TMP" >"$SITE/_config.demo.yml"
[ "$HAS_INDEX" = no ] || rm -f "$SITE/_data/front_matter.json"
mkdir -p "$SITE/_plugins"
cp "$TOP/hook/renderlink.rb" "$SITE/_plugins/"
(cd "$SITE" && bundle install --local --quiet) >"$TMP/bundle.log" 2>&1
check "setup: bundle install --local works offline" assert_eq 0 "$?"

NB="night-bus/outputs/mp3s/Night Bus (120 bpm, demo; 2025-06-01).mp3"
HR="harbour-lights/outputs/mp3s/Harbour Lights (92 bpm, radio edit, take 3; 2025-02-14).mp3"
ACOUSTIC="Harbour Lights (92 bpm, acoustic, take 1; 2025-02-10).mp3"

# jb ARGS...: plain `jekyll ARGS` in the site; all output in $OUT (Jekyll
# logs to stdout), stderr in $ERR, status in $RC.
jb() {
	RC=0
	(cd "$SITE" && timeout 50 jekyll "$@") >"$OUT" 2>"$ERR" </dev/null ||
	    RC=$?
}

ncalls() {
	wc -l <"$CALLS" | tr -d ' '
}

# --- links are made before Jekyll reads the site ---------------------------

JEKYLL_ENV=production jb build --config "$CONFIGS"
check "plain jekyll build with the plugin exits 0" assert_rc 0
check "renderlink's actions are logged by Jekyll" \
    assert_grep "$OUT" "renderlink: create songs/mp3s/Night Bus "
check "renderlink was run with the site root and absolute configs" \
    assert_eq "-C $SITE --config $SITE/_config.yml,$SITE/_config.demo.yml sync" \
    "$(head -n 1 "$CALLS")"
check "one sync per build (after_init, not again in the first reset)" \
    assert_eq 1 "$(ncalls)"
check "the link was there before the read: _site has the render's bytes" \
    assert_same_file "$SONGS/$NB" "$SITE/_site/songs/mp3s/${NB##*/}"
check "... as a real file" \
    test -f "$SITE/_site/songs/mp3s/${NB##*/}" -a ! -L "$SITE/_site/songs/mp3s/${NB##*/}"
check "... and the stems too" \
    test -f "$SITE/_site/songs/stems/Harbour Lights stems (take 3).zip"

# A second build: the sync has nothing to do and writes nothing.
snapshot "$SITE/songs" "$TMP/snap.songs"
snapshot "$SITE/_data" "$TMP/snap.data"
mkdir -p "$SITE/.jekyll-cache/renderlink"
snapshot "$SITE/.jekyll-cache/renderlink" "$TMP/snap.cache"
jb build --config "$CONFIGS"
check "second build exits 0" assert_rc 0
check "second build: renderlink logged no action" \
    assert_no_grep "$OUT" "renderlink:"
check "second build: the links are untouched" \
    assert_snapshot "$SITE/songs" "$TMP/snap.songs"
check "second build: the index is untouched" \
    assert_snapshot "$SITE/_data" "$TMP/snap.data"
check "second build: the manifest is untouched" \
    assert_snapshot "$SITE/.jekyll-cache/renderlink" "$TMP/snap.cache"

# --- no rebuild loop under --watch -----------------------------------------

# wait_for FILE ERE SECS: until a line of FILE matches, at most SECS.
wait_for() {
	local i=0
	while [ "$i" -lt $(($3 * 10)) ]; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

WLOG=$TMP/watch.log
(cd "$SITE" && exec jekyll build --watch --config "$CONFIGS") \
    >"$WLOG" 2>&1 </dev/null &
WPID=$!
BG_PIDS+=("$WPID")
if wait_for "$WLOG" 'Auto-regeneration: enabled' 25; then
	ok "jekyll build --watch started"
	before=$(ncalls)
	sleep 8
	check "--watch: no rebuild in 8 s after the first build" \
	    assert_count 0 "$WLOG" 'Regenerating'
	check "--watch: no further sync meanwhile" assert_eq "$before" "$(ncalls)"

	# Drop a reference: the rebuild's sync (after_reset) removes the
	# link (and rewrites the index), which wakes the watcher once more;
	# that sync has nothing to do, and it settles.
	if [ "$HAS_INDEX" = yes ]; then
		grep -vF "acoustic, take 1" "$SITE/_songs/harbour-lights.md" \
		    >"$TMP/page" &&
		    cat "$TMP/page" >"$SITE/_songs/harbour-lights.md"
	else
		python3 - "$SITE/_data/front_matter.json" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
for doc in d["documents"]:
    m = doc["front_matter"].get("mp3s")
    if isinstance(m, list):
        doc["front_matter"]["mp3s"] = [r for r in m if "acoustic" not in r]
with open(sys.argv[1], "w") as f:
    json.dump(d, f, indent=1)
EOF
	fi
	wait_for "$WLOG" "renderlink: remove songs/mp3s/Harbour Lights \(92 bpm, acoustic" 15
	check "--watch: the rebuild's sync removed the dropped link" \
	    assert_grep "$WLOG" "renderlink: remove songs/mp3s/Harbour Lights \(92 bpm, acoustic"
	# Let it settle, then count: nothing more may happen.
	sleep 5
	n1=$(count_lines "$WLOG" 'Regenerating')
	c1=$(ncalls)
	sleep 5
	n2=$(count_lines "$WLOG" 'Regenerating')
	check "--watch: settles after the edit (at most 3 rebuilds, then none)" \
	    test "$n1" -ge 1 -a "$n1" -le 3 -a "$n1" = "$n2" -a \
	    "$c1" = "$(ncalls)"
	check "--watch: every rebuild synced first (after_reset)" \
	    assert_eq "$n1" "$(($(ncalls) - before))"
	check "--watch: the dropped render is gone from _site" \
	    assert_no_entry "$SITE/_site/songs/mp3s/$ACOUSTIC"
	check "--watch: the others stay" \
	    test -e "$SITE/_site/songs/mp3s/${HR##*/}"
else
	not_ok "jekyll build --watch started"
	sed 's/^/#   /' "$WLOG" | tail -n 20
fi
kill "$WPID" 2>/dev/null
wait "$WPID" 2>/dev/null

# --- safe mode ---------------------------------------------------------------

: >"$CALLS"
rm -rf "$SITE/_site"
jb build --safe --config "$CONFIGS"
check "--safe build exits 0" assert_rc 0
check "measured: --safe does not load _plugins/ at all (no sync)" \
    assert_eq 0 "$(ncalls)"

# Loaded another way (a whitelisted plugin on the load path), the plugin
# sees safe mode and only says so.
printf 'plugins: [renderlink]\nwhitelist: [renderlink]\n' \
    >"$SITE/_config.safe.yml"
RC=0
(cd "$SITE" && RUBYLIB=$TOP/hook timeout 50 jekyll build --safe \
    --config "$CONFIGS,_config.safe.yml") >"$OUT" 2>"$ERR" </dev/null ||
    RC=$?
check "--safe with the plugin whitelisted: exits 0" assert_rc 0
check "--safe: logs 'renderlink: skipped in safe mode'" \
    assert_grep "$ERR" "renderlink: skipped in safe mode"
check "--safe: renderlink not run" assert_eq 0 "$(ncalls)"
rm -f "$SITE/_config.safe.yml"

# --- the sync counts the pages this build renders ----------------------------

# Site#config= sets show_drafts, unpublished and future (from the config
# and from -D/--drafts, --unpublished, --future) before :after_init: the
# plugin passes them on, and a draft's render is linked only when Jekyll
# renders drafts.
WIP="night-bus/outputs/mp3s/Night Bus (118 bpm, demo; 2025-05-28).mp3"
if [ "$HAS_INDEX" = yes ]; then
	mkdir -p "$SITE/_drafts"
	printf -- '---\ntitle: Work in progress\nmp3s: ["%s"]\n---\nNot yet.\n' \
	    "$WIP" >"$SITE/_drafts/wip-take.md"
	: >"$CALLS"
	JEKYLL_ENV=production jb build --config "$CONFIGS"
	check "a draft, drafts off: exit 0" assert_rc 0
	check "... renderlink not told to count drafts" \
	    assert_eq "-C $SITE --config $SITE/_config.yml,$SITE/_config.demo.yml sync" \
	    "$(cat "$CALLS")"
	check "... the draft's render is not linked" \
	    assert_no_entry "$SITE/songs/mp3s/${WIP##*/}"
	check "... nor published" assert_no_entry "$SITE/_site/songs/mp3s/${WIP##*/}"

	printf 'show_drafts: true\n' >"$SITE/_config.drafts.yml"
	: >"$CALLS"
	JEKYLL_ENV=production jb build --config "$CONFIGS,_config.drafts.yml"
	check "show_drafts: true in the config: exit 0" assert_rc 0
	check "... renderlink is run with --drafts" \
	    assert_eq "-C $SITE --config $SITE/_config.yml,$SITE/_config.demo.yml,$SITE/_config.drafts.yml sync --drafts" \
	    "$(cat "$CALLS")"
	check "... the draft's render is linked" \
	    assert_link "$SITE/songs/mp3s/${WIP##*/}" "$SONGS/$WIP"
	check "... and published with the draft" \
	    assert_same_file "$SONGS/$WIP" "$SITE/_site/songs/mp3s/${WIP##*/}"
	check "... Jekyll rendered the draft" \
	    test -n "$(find "$SITE/_site" -name 'wip-take.html')"
	rm -f "$SITE/_config.drafts.yml"

	JEKYLL_ENV=production jb build --config "$CONFIGS"
	check "drafts off again: the draft's link is removed" \
	    assert_no_entry "$SITE/songs/mp3s/${WIP##*/}"
	check "... and its render is gone from _site" \
	    assert_no_entry "$SITE/_site/songs/mp3s/${WIP##*/}"
	rm -rf "$SITE/_drafts"
fi

: >"$CALLS"
jb build -D --unpublished --future --config "$CONFIGS"
check "jekyll build -D --unpublished --future: exit 0" assert_rc 0
check "... all three passed on to the sync" \
    assert_eq "-C $SITE --config $SITE/_config.yml,$SITE/_config.demo.yml sync --drafts --unpublished --future" \
    "$(cat "$CALLS")"
printf 'future: true\nunpublished: 0\n' >"$SITE/_config.pub.yml"
: >"$CALLS"
jb build --config "$CONFIGS,_config.pub.yml"
check "future: true, unpublished: 0 (truthy to Ruby) in the config" \
    assert_eq "-C $SITE --config $SITE/_config.yml,$SITE/_config.demo.yml,$SITE/_config.pub.yml sync --unpublished --future" \
    "$(cat "$CALLS")"
rm -f "$SITE/_config.pub.yml"

# --- renderlink.bin, a binary that is not there -----------------------------

# Relative to the site, not to the current folder: build from $TMP.
printf 'renderlink:\n  automount_root: %s/mnt/\n  bin: ../bin/renderlink\n' \
    "$TMP" >"$SITE/_config.demo.yml"
: >"$CALLS"
RC=0
(cd "$TMP" && RENDERLINK=$TMP/nowhere/renderlink timeout 50 jekyll build \
    -s site -d site/_site --config site/_config.yml,site/_config.demo.yml) \
    >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "renderlink.bin (relative to the site) wins over RENDERLINK" \
    assert_rc 0
check "... is the binary that ran, given the configs Jekyll read" \
    assert_eq "-C $SITE --config $SITE/_config.yml,$SITE/_config.demo.yml sync" \
    "$(cat "$CALLS")"
printf 'renderlink:\n  automount_root: %s/mnt/\n' "$TMP" \
    >"$SITE/_config.demo.yml"

RENDERLINK=$TMP/nowhere/renderlink jb build --config "$CONFIGS"
check "a binary that cannot run fails the build" assert_rc 1
check "... saying which" assert_grep "$ERR" "cannot run $TMP/nowhere/renderlink"

# --- a failing sync fails the build ------------------------------------------

if [ "$HAS_INDEX" = yes ]; then
	sed -i 's|^mp3s: .*|mp3s: ["night-bus/outputs/mp3s/Gone (take 9).mp3"]|' \
	    "$SITE/_songs/night-bus.md"
else
	sed -i 's|Night Bus (120 bpm, demo; 2025-06-01)|Gone (take 9)|' \
	    "$SITE/_data/front_matter.json"
fi
rm -rf "$SITE/_site"
jb build --config "$CONFIGS"
check "a failing sync fails the build (exit 1)" assert_rc 1
check "renderlink's error is logged (Jekyll logs errors on stderr)" \
    assert_grep "$ERR" "renderlink: error: _songs/night-bus.md: .*\(missing-source\)"
cat "$OUT" "$ERR" >"$TMP/all"
check "the build stops on the plugin's error" \
    assert_grep "$TMP/all" "renderlink: sync failed \(exit 1\)"
check "nothing was built" assert_no_entry "$SITE/_site"

RENDERLINK_CONTINUE=1 jb build --config "$CONFIGS"
check "RENDERLINK_CONTINUE=1: the build goes on (exit 0)" assert_rc 0
check "RENDERLINK_CONTINUE=1: warns" \
    assert_grep "$ERR" "renderlink: sync failed \(exit 1\).*RENDERLINK_CONTINUE=1"
check "RENDERLINK_CONTINUE=1: _site built" \
    test -f "$SITE/_site/songs/night-bus/index.html"

finish
