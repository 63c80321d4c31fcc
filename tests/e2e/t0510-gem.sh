#!/usr/bin/env bash
# t0510-gem: the Jekyll plugin as the gem jekyll-renderlink.  `gem build`
# of gem/jekyll-renderlink.gemspec works offline and takes renderlink's
# version from src/version.h; the gem holds the plugin, the same file as
# hook/renderlink.rb; `make gem` builds it into the build folder with the
# bindir written in.  Installed with `gem install --local` into a private
# GEM_HOME, a site whose Gemfile names it in group :jekyll_plugins and
# whose _config.yml lists it in `plugins:` passes `bundle install
# --local` (offline, beside Debian's jekyll) and a real `bundle exec
# jekyll build` syncs first: the links are made and, with
# JEKYLL_ENV=production, _site holds the renders' bytes.  The gem finds
# renderlink with no variable in the bindir it was built for, prefers
# PATH and then RENDERLINK; `plugins:` alone loads it too; a _plugins/
# copy of the plugin beside the gem does not sync a second time.
. "$(dirname "$0")/../lib.sh"

for c in gem bundle jekyll make; do
	command -v "$c" >/dev/null 2>&1 || skip_all "$c not installed"
done

TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
unset JEKYLL JEKYLL_ENV RENDERLINK RENDERLINK_CONTINUE RENDERLINK_HOOK_ACTIVE \
    BUNDLE_GEMFILE BUNDLE_PATH BUNDLE_BIN_PATH BUNDLE_APP_CONFIG RUBYOPT \
    RUBYLIB GEM_HOME GEM_PATH
export NO_COLOR=1
VERSION=$(sed -n 's/^#define[ \t]*RENDERLINK_VERSION[ \t]*"\(.*\)"/\1/p' \
    "$TOP/src/version.h")
GEMFILE_NAME=jekyll-renderlink-$VERSION.gem

# shim FILE LOG: a renderlink at FILE that logs each call to LOG and runs
# the binary under test.
shim() {
	mkdir -p "$(dirname -- "$1")"
	cat >"$1" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>'$2'
exec \${RENDERLINK_WRAP:-} '$RL' "\$@"
EOF
	chmod +x "$1"
	: >"$2"
}

# gem_file GEM PATH: prints the file PATH inside the gem file GEM.
gem_file() {
	tar -xOf "$1" data.tar.gz | tar -xzOf - "$2"
}

# --- gem build, offline, from the source layout ----------------------------

mkdir -p "$TMP/src/gem/lib" "$TMP/src/src"
cp "$TOP/gem/jekyll-renderlink.gemspec" "$TMP/src/gem/"
cp "$TOP/gem/lib/jekyll-renderlink.rb" "$TMP/src/gem/lib/"
cp "$TOP/src/version.h" "$TMP/src/src/"
RC=0
(cd "$TMP/src/gem" && gem build jekyll-renderlink.gemspec) >"$OUT" 2>"$ERR" \
    </dev/null || RC=$?
check "gem build jekyll-renderlink.gemspec: exit 0" assert_rc 0
check "gem build: named with renderlink's version ($VERSION)" \
    test -f "$TMP/src/gem/$GEMFILE_NAME"
check "the gem's lib is hook/renderlink.rb, byte for byte" \
    eval 'gem_file "$TMP/src/gem/$GEMFILE_NAME" lib/jekyll-renderlink.rb |
    cmp -s - "$TOP/hook/renderlink.rb"'
check "hook/renderlink.rb and the gem's lib are one file" \
    test "$TOP/hook/renderlink.rb" -ef "$TOP/gem/lib/jekyll-renderlink.rb"

# --- make gem, with the bindir written in ----------------------------------

RLBIN=$TMP/rl-bindir
BINLOG=$TMP/calls.bindir
shim "$RLBIN/renderlink" "$BINLOG"
snapshot "$TOP/gem" "$TMP/gem.snap"
RC=0
make -C "$TOP" --no-print-directory gem B="$TMP/b" bindir="$RLBIN" \
    >"$OUT" 2>"$ERR" </dev/null || RC=$?
GEM=$TMP/b/$GEMFILE_NAME
check "make gem: exit 0" assert_rc 0
check "make gem: the gem is in the build folder" test -f "$GEM"
check "make gem: the bindir is written in" \
    eval 'gem_file "$GEM" lib/jekyll-renderlink.rb |
    grep -qxF "  BINDIR = '"'$RLBIN'"'"'
check "make gem: gem/ in the source tree is untouched" \
    assert_snapshot "$TOP/gem" "$TMP/gem.snap"

# --- installed into a private GEM_HOME -------------------------------------

# Debian's gems stay visible (jekyll and what it needs); the gem goes to
# $GEMS.  --ignore-dependencies: Debian's eventmachine is 1.3.0.dev.1, a
# pre-release that `gem install` will not take for em-websocket's
# ">= 0.12.9" (measured); bundler, below, resolves the jekyll dependency.
GEMS=$TMP/gems
SYS_GEM_PATH=$(gem env gempath)
export GEM_HOME=$GEMS GEM_PATH=$GEMS:$SYS_GEM_PATH
RC=0
gem install --local --install-dir "$GEMS" --ignore-dependencies \
    --no-document "$GEM" >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "gem install --local: exit 0" assert_rc 0
GEMLIB=$GEMS/gems/jekyll-renderlink-$VERSION/lib/jekyll-renderlink.rb
check "gem install: the plugin is in GEM_HOME" test -f "$GEMLIB"

# --- a site that names the gem ---------------------------------------------

SONGS=$TMP/mnt/e/media/songs
sh "$TOP/fixtures/make-media.sh" "$TMP/mnt/e"
CONFIGS=_config.yml,_config.demo.yml
cp -R "$TOP/fixtures/site" "$SITE"
rm -f "$SITE/_data/front_matter.json" "$SITE/Gemfile.lock"
printf 'renderlink:\n  automount_root: %s/mnt/\n' "$TMP" \
    >"$SITE/_config.demo.yml"
printf '\nplugins: [jekyll-renderlink]\n' >>"$SITE/_config.yml"
cat >"$SITE/Gemfile" <<'EOF'
source "https://rubygems.org"

gem "jekyll", "~> 4.3"

group :jekyll_plugins do
  gem "jekyll-renderlink"
end
EOF
RC=0
(cd "$SITE" && bundle install --local) >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "bundle install --local works offline" assert_rc 0
check "... with the gem from GEM_HOME" \
    assert_grep "$SITE/Gemfile.lock" "^    jekyll-renderlink \\($VERSION\\)$"

NB="night-bus/outputs/mp3s/Night Bus (120 bpm, demo; 2025-06-01).mp3"
LINK=$SITE/songs/mp3s/${NB##*/}

# No renderlink on this PATH: the gem must find the one in its bindir.
NOPATH=
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	[ -n "$d" ] && ! [ -x "$d/renderlink" ] && NOPATH=${NOPATH:+$NOPATH:}$d
done

# bj [ENV...]: JEKYLL_ENV=production bundle exec jekyll build in the site,
# PATH without renderlink unless ENV says otherwise; Jekyll's log in
# $OUT and $ERR, status in $RC.
bj() {
	RC=0
	(cd "$SITE" && env PATH="$NOPATH" JEKYLL_ENV=production "$@" \
	    timeout 60 bundle exec jekyll build --config "$CONFIGS") \
	    >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

bj
check "bundle exec jekyll build: exit 0" assert_rc 0
check "the gem ran renderlink from its bindir (no PATH, no RENDERLINK)" \
    assert_eq "-C $SITE --config $SITE/_config.yml,$SITE/_config.demo.yml sync" \
    "$(cat "$BINLOG")"
check "renderlink's actions are in Jekyll's log" \
    assert_grep "$OUT" "renderlink: create songs/mp3s/Night Bus "
check "the link is there" assert_link "$LINK" "$SONGS/$NB"
check "_site has the render's bytes" \
    assert_same_file "$SONGS/$NB" "$SITE/_site/songs/mp3s/${NB##*/}"
check "... as a real file" test ! -L "$SITE/_site/songs/mp3s/${NB##*/}"

# A render gone: the sync fails the build; with RENDERLINK_CONTINUE=1 the
# build goes on, its stale link removed before Jekyll reads the tree
# (Jekyll aborts on a dangling link).
rm "$SONGS/$NB"
bj
check "render gone: the failed sync fails the build" assert_rc 1
check "render gone: says so" assert_grep "$ERR" "renderlink: sync failed"
bj RENDERLINK_CONTINUE=1
check "render gone, RENDERLINK_CONTINUE=1: the build succeeds" assert_rc 0
check "render gone: its link removed first" assert_no_entry "$LINK"
check "render gone: and gone from _site" \
    assert_no_entry "$SITE/_site/songs/mp3s/${NB##*/}"
sh "$TOP/fixtures/make-media.sh" "$TMP/mnt/e"

# PATH comes before the bindir, RENDERLINK before PATH.
PATHLOG=$TMP/calls.path
shim "$TMP/pathbin/renderlink" "$PATHLOG"
: >"$BINLOG"
bj PATH="$TMP/pathbin:$NOPATH"
check "renderlink on PATH: exit 0" assert_rc 0
check "renderlink on PATH: that one runs" assert_eq 1 "$(wc -l <"$PATHLOG")"
check "renderlink on PATH: not the bindir's" assert_eq 0 "$(wc -l <"$BINLOG")"
check "renderlink on PATH: the link is back" assert_link "$LINK" "$SONGS/$NB"
ENVLOG=$TMP/calls.env
shim "$TMP/envbin/rl" "$ENVLOG"
: >"$PATHLOG"
bj PATH="$TMP/pathbin:$NOPATH" RENDERLINK="$TMP/envbin/rl"
check "RENDERLINK set: exit 0" assert_rc 0
check "RENDERLINK set: that one runs" assert_eq 1 "$(wc -l <"$ENVLOG")"
check "RENDERLINK set: not the one on PATH" assert_eq 0 "$(wc -l <"$PATHLOG")"

# The gem and a _plugins/ copy of the plugin: one sync, and a word why.
mkdir -p "$SITE/_plugins"
cp "$TOP/hook/renderlink.rb" "$SITE/_plugins/"
: >"$BINLOG"
bj
check "gem and _plugins/renderlink.rb: exit 0" assert_rc 0
check "gem and _plugins/renderlink.rb: one sync" \
    assert_eq 1 "$(wc -l <"$BINLOG")"
check "gem and _plugins/renderlink.rb: the second is not loaded, said" \
    assert_grep "$ERR" "renderlink: .*_plugins/renderlink\.rb not loaded: the plugin is already loaded from $GEMLIB"
rm -r "$SITE/_plugins"

# Outside group :jekyll_plugins the gem is loaded by `plugins:` alone.
sed -i 's/^group :jekyll_plugins do$//; s/^end$//' "$SITE/Gemfile"
(cd "$SITE" && bundle install --local) >"$TMP/bundle.log" 2>&1 </dev/null
rm "$LINK"
: >"$BINLOG"
bj
check "only plugins: [jekyll-renderlink] loads it: exit 0" assert_rc 0
check "only plugins: [jekyll-renderlink] loads it: synced" \
    assert_link "$LINK" "$SONGS/$NB"
sed -i '/^plugins: \[jekyll-renderlink\]$/d' "$SITE/_config.yml"
rm "$LINK"
bj
check "neither the group nor plugins: no sync (the link stays away)" \
    assert_no_entry "$LINK"

finish
