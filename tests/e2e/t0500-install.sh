#!/usr/bin/env bash
# t0500-install: `make install` and `make uninstall`.  A staged install
# (DESTDIR, PREFIX=/usr, as a packager runs it; no root needed) puts
# exactly the expected files, with the expected modes and bytes, in bin/,
# share/renderlink/ (wrapper, plugin, pre-commit hook, CI workflow,
# example plug-ins), the man folders and the bash and zsh completion
# folders.  The installed copy then works from a site with no RENDERLINK
# and no build/ tree: renderlink from PATH syncs; the hook it installs
# finds it when git runs hooks with a short PATH; the installed wrapper
# and plugin find the renderlink installed beside them (also in a moved
# tree) and, copied elsewhere, the configured bindir; man renders the
# pages; completion loads.  Lower-case prefix, bindir, datadir and mandir
# put things where they say.  uninstall leaves nothing behind.  The
# binary installed is the one under test: make is told never to rebuild
# it (-o).
. "$(dirname "$0")/../lib.sh"

command -v make >/dev/null 2>&1 || skip_all "make not installed"

TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
unset JEKYLL JEKYLL_ENV RENDERLINK RENDERLINK_CONTINUE RENDERLINK_HOOK_ACTIVE \
    RENDERLINK_SITE BUNDLE_GEMFILE BUNDLE_PATH BUNDLE_BIN_PATH RUBYOPT \
    RUBYLIB DESTDIR PREFIX prefix bindir datadir mandir MAKEFLAGS MFLAGS
unset $(git rev-parse --local-env-vars 2>/dev/null)
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 NO_COLOR=1
VERSION=$(sed -n 's/^#define[ \t]*RENDERLINK_VERSION[ \t]*"\(.*\)"/\1/p' \
    "$TOP/src/version.h")

# The binary under test as make's $(B)/renderlink, never remade.
mkdir -p "$TMP/b"
ln -s "$RL" "$TMP/b/renderlink"

# mk ARGS...: make in the repository with the binary under test; output
# in $OUT and $ERR, status in $RC.
mk() {
	RC=0
	make -C "$TOP" --no-print-directory B="$TMP/b" -o "$TMP/b/renderlink" \
	    "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}

# A PATH with no renderlink on it (what a git GUI may run hooks with).
NOPATH=
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	[ -n "$d" ] && ! [ -x "$d/renderlink" ] && NOPATH=${NOPATH:+$NOPATH:}$d
done

# tree DIR: every file and link under DIR, "MODE PATH" relative to DIR.
tree() {
	(cd "$1" && find . ! -type d -printf '%m %P\n' | sort)
}

# filled FILE REL ABS: FILE with its bindir lines as `make install` fills
# them in (the shell wrapper's or the Ruby plugin's).
filled() {
	sed -e "s|^installed_bindir_rel=''\$|installed_bindir_rel='$2'|" \
	    -e "s|^installed_bindir=''\$|installed_bindir='$3'|" \
	    -e "s|^  BINDIR = .*|  BINDIR = '$3'|" \
	    -e "s|^  BINDIR_FROM_HERE = nil\$|  BINDIR_FROM_HERE = '$2'|" "$1"
}

# --- the staged install ------------------------------------------------------

mk -n install B="$TMP/fresh"
check "make install builds renderlink first" \
    assert_grep "$OUT" "-o $TMP/fresh/renderlink "

D=$TMP/dest
mk install DESTDIR="$D" PREFIX=/usr
check "make install DESTDIR=... PREFIX=/usr: exit 0" assert_rc 0

S=usr/share/renderlink
{
	echo "755 usr/bin/renderlink"
	echo "755 $S/jekyll"
	echo "644 $S/renderlink.rb"
	echo "755 $S/pre-commit"
	echo "644 $S/ci/renderlink.yml"
	for f in "$TOP"/hook/plugins/*; do
		[ -f "$f" ] && echo "755 $S/plugins/${f##*/}"
	done
	for f in "$TOP"/man/*.[1-8]; do
		[ -f "$f" ] && echo "644 usr/share/man/man${f##*.}/${f##*/}"
	done
	echo "644 usr/share/bash-completion/completions/renderlink"
	echo "644 usr/share/zsh/site-functions/_renderlink"
} | sort >"$TMP/tree.want"
tree "$D" >"$TMP/tree.got"
check "the installed tree: every file, with its mode" \
    assert_same_file "$TMP/tree.want" "$TMP/tree.got"
check "man pages are installed (renderlink.1, renderlink-config.5)" \
    eval 'grep -q " usr/share/man/man1/renderlink.1$" "$TMP/tree.got" &&
    grep -q " usr/share/man/man5/renderlink-config.5$" "$TMP/tree.got"'
check "example plug-ins are installed" \
    grep -q " $S/plugins/latest-take$" "$TMP/tree.got"

check "bin/renderlink is the binary under test" \
    assert_same_file "$RL" "$D/usr/bin/renderlink"
same=yes
for f in pre-commit ci/renderlink.yml $(cd "$TOP/hook" && ls plugins/*); do
	cmp -s "$TOP/hook/$f" "$D/$S/$f" || { same=no; echo "differs: $f" >&2; }
done 2>"$TMP/why.same"
check "hook, workflow and plug-ins are copied as they are" \
    eval '[ $same = yes ] || { cat "$TMP/why.same" >&2; false; }'
for f in "$TOP"/man/*.[1-8]; do
	check "man page ${f##*/} copied as it is" \
	    assert_same_file "$f" "$D/usr/share/man/man${f##*.}/${f##*/}"
done
check "bash completion copied as it is" assert_same_file \
    "$TOP/completion/renderlink.bash" \
    "$D/usr/share/bash-completion/completions/renderlink"
check "zsh completion copied as it is" assert_same_file \
    "$TOP/completion/_renderlink" "$D/usr/share/zsh/site-functions/_renderlink"
filled "$TOP/hook/jekyll" ../../bin /usr/bin >"$TMP/jekyll.want"
check "the wrapper: the source with the bindir written in (and nothing else)" \
    assert_same_file "$TMP/jekyll.want" "$D/$S/jekyll"
check "... which differs from the source" \
    eval '! cmp -s "$TOP/hook/jekyll" "$D/$S/jekyll"'
filled "$TOP/hook/renderlink.rb" ../../bin /usr/bin >"$TMP/plugin.want"
check "the plugin: the source with the bindir written in (and nothing else)" \
    assert_same_file "$TMP/plugin.want" "$D/$S/renderlink.rb"
check "... which differs from the source" \
    eval '! cmp -s "$TOP/hook/renderlink.rb" "$D/$S/renderlink.rb"'

# A staged install needs no root: the same as nobody, into a folder
# nobody owns.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups \
    test -r "$TOP/Makefile" 2>/dev/null; then
	NR=$(mktemp -d "${TMPDIR:-/tmp}/rl-noroot.XXXXXX")
	at_exit "rm -rf '$NR'"
	mkdir -p "$NR/b" && cp "$RL" "$NR/b/renderlink" &&
	    chmod 755 "$NR" "$NR/b" && chown 65534 "$NR"
	RC=0
	setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$NR" \
	    make -C "$TOP" --no-print-directory B="$NR/b" -o "$NR/b/renderlink" \
	    install DESTDIR="$NR/dest" PREFIX=/usr >"$OUT" 2>"$ERR" \
	    </dev/null || RC=$?
	check "make install DESTDIR=... as nobody: exit 0" assert_rc 0
	check "... the same tree" eval 'tree "$NR/dest" |
	    cmp -s - "$TMP/tree.want"'
else
	echo "# skip install as nobody: not root, or no setpriv"
fi

mk install DESTDIR="$TMP/it's" PREFIX=/usr
check "a path with a quote in it: refused (exit 2)" assert_rc 2
check "... saying why" assert_grep "$ERR" "install paths may not hold"
check "... nothing installed" assert_no_entry "$TMP/it's"

# --- the installed copy, from a site -----------------------------------------

# The fixture site on its media drive, no Gemfile (the wrapper then runs
# plain jekyll), the index left to sync to build.
SONGS=$TMP/mnt/e/media/songs
sh "$TOP/fixtures/make-media.sh" "$TMP/mnt/e"
CONFIGS=_config.yml,_config.demo.yml
NB="night-bus/outputs/mp3s/Night Bus (120 bpm, demo; 2025-06-01).mp3"
new_site() {
	rm -rf "$1" && cp -R "$TOP/fixtures/site" "$1" &&
	    rm -f "$1/Gemfile" "$1/Gemfile.lock" "$1/_data/front_matter.json" &&
	    printf 'renderlink:\n  automount_root: %s/mnt/\n' "$TMP" \
	    >"$1/_config.demo.yml"
}

# at DIR CMD...: CMD in DIR with PATH=$RPATH; output in $OUT and $ERR.
RPATH=$D/usr/bin:$NOPATH
at() {
	local d=$1
	shift
	RC=0
	(cd "$d" && env PATH="$RPATH" "$@") >"$OUT" 2>"$ERR" </dev/null ||
	    RC=$?
}

at "$TMP" renderlink --version
check "renderlink from PATH=\$DESTDIR/usr/bin runs" assert_rc 0
check "... and is version $VERSION" assert_grep "$OUT" "$VERSION"
new_site "$SITE"
at "$SITE" renderlink --config "$CONFIGS" sync
check "installed renderlink sync: exit 0" assert_rc 0
check "installed renderlink sync: the link is made" \
    assert_link "$SITE/songs/mp3s/${NB##*/}" "$SONGS/$NB"

# The pre-commit hook the installed renderlink writes runs it from a git
# that has no renderlink on PATH.
if command -v git >/dev/null 2>&1; then
	g() {
		git -c user.name=t -c user.email=t@t -c init.defaultBranch=main "$@"
	}
	R=$TMP/repo
	new_site "$R"
	# One config file, so that the hook's plain `check --staged` sees it.
	sed '/^renderlink:$/a\  automount_root: '"$TMP"'/mnt/' "$R/_config.yml" \
	    >"$R/_config.yml.tmp" && mv "$R/_config.yml.tmp" "$R/_config.yml"
	rm "$R/_config.demo.yml"
	g init -q "$R" && at "$R" renderlink sync >/dev/null &&
	    printf '/songs/mp3s/\n/songs/stems/\n/.jekyll-cache/\n/_site/\n' \
	    >"$R/.gitignore" && g -C "$R" add -A
	at "$R" renderlink hook install
	check "installed renderlink hook install: exit 0" assert_rc 0
	check "the hook names the installed renderlink" \
	    assert_grep "$R/.git/hooks/pre-commit" \
	    "^installed_by='$D/usr/bin/renderlink'\$"
	RPATH=$NOPATH at "$R" git -c user.name=t -c user.email=t@t commit -qm site
	check "commit with no renderlink on PATH: the hook runs it, passes" \
	    assert_rc 0
	g -C "$R" add -f "songs/mp3s/${NB##*/}"
	RPATH=$NOPATH at "$R" git -c user.name=t -c user.email=t@t commit -qm link
	check "commit of a link, no renderlink on PATH: blocked" assert_rc 1
	check "... by the installed renderlink's check" \
	    assert_grep "$ERR" "\\(staged-link\\)$"
	g -C "$R" rm -q --cached "songs/mp3s/${NB##*/}"
else
	echo "# skip the hook: git not installed"
fi

if command -v jekyll >/dev/null 2>&1; then
	# The installed wrapper: no RENDERLINK, no renderlink on PATH, no
	# build/ beside it.
	new_site "$SITE"
	RPATH=$NOPATH at "$SITE" JEKYLL_ENV=production "$D/$S/jekyll" build \
	    --config "$CONFIGS"
	check "installed wrapper, renderlink not on PATH: exit 0" assert_rc 0
	check "... it synced with the installed renderlink" \
	    assert_link "$SITE/songs/mp3s/${NB##*/}" "$SONGS/$NB"
	check "... then Jekyll built: _site has the render's bytes" \
	    assert_same_file "$SONGS/$NB" "$SITE/_site/songs/mp3s/${NB##*/}"

	# Moved elsewhere as a whole, the tree finds its own renderlink (the
	# one in the moved bin/, here a shim that logs).
	cp -a "$D/usr" "$TMP/moved"
	printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' \
	    "$TMP/moved.calls" "$D/usr/bin/renderlink" >"$TMP/moved/bin/renderlink"
	: >"$TMP/moved.calls"
	new_site "$SITE"
	RPATH=$NOPATH at "$SITE" "$TMP/moved/share/renderlink/jekyll" build \
	    --config "$CONFIGS"
	check "moved tree: the wrapper runs the renderlink beside it" \
	    eval 'assert_rc 0 && assert_grep "$TMP/moved.calls" " sync$"'

	# The installed plugin, linked into _plugins/: plain jekyll syncs.
	new_site "$SITE"
	mkdir -p "$SITE/_plugins"
	ln -s "$D/$S/renderlink.rb" "$SITE/_plugins/renderlink.rb"
	RPATH=$NOPATH at "$SITE" JEKYLL_ENV=production jekyll build \
	    --config "$CONFIGS"
	check "installed plugin (linked), renderlink not on PATH: exit 0" \
	    assert_rc 0
	check "... synced by the installed renderlink" \
	    assert_link "$SITE/songs/mp3s/${NB##*/}" "$SONGS/$NB"
	check "... _site has the render's bytes" \
	    assert_same_file "$SONGS/$NB" "$SITE/_site/songs/mp3s/${NB##*/}"
else
	echo "# skip the wrapper and the plugin: jekyll not installed"
fi

# --- man and completion ------------------------------------------------------

if command -v man >/dev/null 2>&1; then
	for f in "$D"/usr/share/man/man*/*; do
		RC=0
		MANWIDTH=80 man -l "$f" >"$OUT" 2>"$ERR" </dev/null || RC=$?
		check "man -l ${f##*/}: exit 0" assert_rc 0
		check "man -l ${f##*/}: no warnings" assert_stderr_empty
		check "man -l ${f##*/}: has a NAME section" assert_grep "$OUT" '^NAME'
	done
	RC=0
	MANWIDTH=80 man -M "$D/usr/share/man" 5 renderlink-config >"$OUT" \
	    2>"$ERR" </dev/null || RC=$?
	check "man -M \$DESTDIR/usr/share/man 5 renderlink-config finds it" \
	    eval 'assert_rc 0 && assert_grep "$OUT" "renderlink-config"'
else
	echo "# skip man: not installed"
fi

RC=0
bash -c '. "$1" && complete -p renderlink' sh \
    "$D/usr/share/bash-completion/completions/renderlink" >"$OUT" 2>"$ERR" ||
    RC=$?
check "bash completion loads and completes renderlink" \
    eval 'assert_rc 0 && assert_grep "$OUT" " renderlink$"'
if command -v zsh >/dev/null 2>&1; then
	RC=0
	zsh -fc 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -D &&
	    print -r -- "$_comps[renderlink]"' zsh \
	    "$D/usr/share/zsh/site-functions" >"$OUT" 2>"$ERR" </dev/null ||
	    RC=$?
	check "zsh finds _renderlink in site-functions for renderlink" \
	    eval 'assert_rc 0 && assert_grep "$OUT" "^_renderlink$"'
fi

# --- other folders, and the bindir written in --------------------------------

P=$TMP/p
mk install prefix="$P" bindir="$P/tools" datadir="$P/data" \
    mandir="$P/manpages"
check "make install prefix= bindir= datadir= mandir=: exit 0" assert_rc 0
{
	echo "755 tools/renderlink"
	echo "755 data/renderlink/jekyll"
	echo "644 data/renderlink/renderlink.rb"
	echo "755 data/renderlink/pre-commit"
	echo "644 data/renderlink/ci/renderlink.yml"
	for f in "$TOP"/hook/plugins/*; do
		[ -f "$f" ] && echo "755 data/renderlink/plugins/${f##*/}"
	done
	for f in "$TOP"/man/*.[1-8]; do
		[ -f "$f" ] && echo "644 manpages/man${f##*.}/${f##*/}"
	done
	echo "644 data/bash-completion/completions/renderlink"
	echo "644 data/zsh/site-functions/_renderlink"
} | sort >"$TMP/ptree.want"
check "... each file where its variable says" \
    eval 'tree "$P" | cmp -s - "$TMP/ptree.want" ||
    { tree "$P" | diff "$TMP/ptree.want" - >&2; false; }'
check "... the wrapper knows the bindir, relative and absolute" \
    assert_same_file <(filled "$TOP/hook/jekyll" ../../tools "$P/tools") \
    "$P/data/renderlink/jekyll"

if command -v jekyll >/dev/null 2>&1; then
	# Copies (not links) elsewhere: the configured bindir.
	mkdir -p "$TMP/copies"
	cp "$P/data/renderlink/jekyll" "$TMP/copies/jekyll"
	new_site "$SITE"
	RPATH=$NOPATH at "$SITE" "$TMP/copies/jekyll" build --config "$CONFIGS"
	check "a copy of the installed wrapper finds the configured bindir" \
	    eval 'assert_rc 0 && assert_link "$SITE/songs/mp3s/${NB##*/}" \
	    "$SONGS/$NB"'
	new_site "$SITE"
	mkdir -p "$SITE/_plugins"
	cp "$P/data/renderlink/renderlink.rb" "$SITE/_plugins/"
	RPATH=$NOPATH at "$SITE" jekyll build --config "$CONFIGS"
	check "a copy of the installed plugin finds the configured bindir" \
	    eval 'assert_rc 0 && assert_link "$SITE/songs/mp3s/${NB##*/}" \
	    "$SONGS/$NB"'
fi

mk uninstall prefix="$P" bindir="$P/tools" datadir="$P/data" \
    mandir="$P/manpages"
check "make uninstall with the same folders: exit 0" assert_rc 0
check "... no file left" assert_eq "" "$(tree "$P")"
check "... nor data/renderlink" assert_no_entry "$P/data/renderlink"

# --- uninstall ---------------------------------------------------------------

mk uninstall DESTDIR="$D" PREFIX=/usr
check "make uninstall DESTDIR=... PREFIX=/usr: exit 0" assert_rc 0
check "make uninstall: no file left" assert_eq "" "$(tree "$D")"
check "make uninstall: share/renderlink gone" assert_no_entry "$D/$S"
check "make uninstall: only empty folders left" \
    assert_eq "" "$(find "$D" -type d -empty -prune -o ! -type d -print)"
mk uninstall DESTDIR="$D" PREFIX=/usr
check "make uninstall again: exit 0 (nothing to do)" assert_rc 0

# A user's own file in share/renderlink stays, and so does the folder.
mk install DESTDIR="$D" PREFIX=/usr
echo mine >"$D/$S/plugins/my-plugin"
mk uninstall DESTDIR="$D" PREFIX=/usr
check "uninstall keeps a file it did not install" \
    assert_eq "mine" "$(cat "$D/$S/plugins/my-plugin" 2>&1)"
check "... and only that" assert_eq "644 $S/plugins/my-plugin" "$(tree "$D")"

if command -v git >/dev/null 2>&1; then
	# The renderlink that wrote the hook is gone now.
	g -C "$R" add -f "songs/mp3s/${NB##*/}"
	RPATH=$NOPATH at "$R" git -c user.name=t -c user.email=t@t commit -qm link
	check "uninstalled: the hook blocks the commit" assert_rc 1
	check "uninstalled: the hook says renderlink is not installed" \
	    assert_grep "$ERR" "renderlink is not installed here"
	check "... naming the one that installed it" \
	    assert_grep "$ERR" "$D/usr/bin/renderlink, which installed this hook, is gone"
fi

finish
