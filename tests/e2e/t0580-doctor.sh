#!/usr/bin/env bash
# t0580-doctor: `renderlink doctor` prints one line per check, ok, warn
# or error, each bad one with what to do, and exits 1 on any error.  Each
# check is shown to flip: WSL 1, 2 or not (an injected /proc:
# RENDERLINK_PROC_ROOT), the config, the site's filesystem and the media
# roots (a real NTFS volume with ntfs-3g where /dev/fuse allows, and
# drvfs mounts described through RENDERLINK_MOUNTINFO), Jekyll's safe
# mode, JEKYLL_ENV, keep_files and what runs renderlink before a build,
# the git hook, the ignore rules, the index, the plug-ins.  --format json
# says the same.  doctor writes nothing.
. "$(dirname "$0")/../lib.sh"

TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
unset JEKYLL_ENV WSL_DISTRO_NAME RENDERLINK_MOUNTINFO GIT_DIR GIT_INDEX_FILE
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e \
    GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e

# A /proc of our own for the WSL check.
PROC=$TMP/proc
kernel() {
	mkdir -p "$PROC/sys/kernel"
	printf '%s\n' "$1" >"$PROC/sys/kernel/osrelease"
}
export RENDERLINK_PROC_ROOT=$PROC
kernel "6.1.0-18-amd64"

doc() {
	run_rl -C "$SITE" doctor "$@"
}

# has STATUS CHECK [ERE]: a line "STATUS CHECK[ (SUBJECT)]: ..." in the
# last run's stdout (matching ERE after the check's name, if given).
has() {
	assert_grep "$OUT" "^$1 +$2( \([^)]*\))?: .*${3:-}"
}
lacks() {
	assert_no_grep "$OUT" "^(ok|warn|error) +$1( \([^)]*\))?: "
}

mk_media "$MEDIA" "song/take 1.mp3" "song/take 2.mp3"
mk_site "$SITE"
mk_refs "$SITE" _songs/song.md mp3s "song/take 1.mp3"

# --- the whole report ------------------------------------------------------
snapshot "$SITE" "$TMP/site.snap"
doc
check "plain site: exit 0 (warnings only)" assert_rc 0
# every_line_a_check: each stdout line is "STATUS CHECK[ (SUBJECT)]: ..."
# but the count at the end.
every_line_a_check() {
	! grep -Ev '^(ok   |warn |error) [a-z-]+( \([^)]*\))?: .|^[0-9]+ checks: ' "$OUT" >&2
}
check "plain site: one line per check, each ok, warn or error" \
    every_line_a_check
check "plain site: every check named" assert_eq \
    "config git-hook index jekyll-env jekyll-keep-files jekyll-plugin jekyll-safe media-case media-root plugin-sandbox site-filesystem wsl" \
    "$(sed -nE 's/^(ok|warn|error) +([a-z-]+).*/\2/p' "$OUT" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check "plain site: a count at the end" assert_grep "$OUT" \
    '^[0-9]+ checks: 0 errors, [0-9]+ warnings$'
check "plain site: nothing on stderr" assert_stderr_empty
check "doctor wrote nothing" assert_snapshot "$SITE" "$TMP/site.snap"

doc --format json
check "json: the documented shape" json_assert "$OUT" \
    'set(d) == {"checks", "errors", "warnings"} and all(set(c) == {"check", "subject", "status", "message", "advice"} and c["status"] in ("ok", "warn", "error") for c in d["checks"])'
check "json: counts agree with the checks" json_assert "$OUT" \
    'd["errors"] == 0 and d["warnings"] == sum(c["status"] == "warn" for c in d["checks"])'
check "json: advice for every warning, none for ok" json_assert "$OUT" \
    'all((c["advice"] is None) == (c["status"] == "ok") for c in d["checks"])'

# --- wsl --------------------------------------------------------------------
doc
check "not WSL: ok, says so" has ok wsl "not WSL \(kernel 6.1.0-18-amd64\)"
kernel "5.15.167.4-microsoft-standard-WSL2"
WSL_DISTRO_NAME=Ubuntu doc
check "WSL 2 with its distro: ok" has ok wsl "WSL 2 \(kernel 5.15.167.4-microsoft-standard-WSL2, distro Ubuntu"
doc
check "WSL 2 without WSL_DISTRO_NAME: warn" has warn wsl \
    "WSL 2 .*WSL_DISTRO_NAME is not set.*; run renderlink as yourself"
kernel "4.4.0-19041-Microsoft"
WSL_DISTRO_NAME=Debian doc
check "WSL 1: ok" has ok wsl "WSL 1 \(kernel 4.4.0-19041-Microsoft, distro Debian"
mkdir -p "$PROC/sys/fs/binfmt_misc" && : >"$PROC/sys/fs/binfmt_misc/WSLInterop"
WSL_DISTRO_NAME=Debian doc
check "WSL interop seen" has ok wsl "WSL 1 .*Windows interop on"
rm -f "$PROC/sys/kernel/osrelease"
doc
check "no osrelease: warn, cannot tell" has warn wsl "cannot read $PROC/sys/kernel/osrelease"
kernel "6.1.0-18-amd64"

# --- config -----------------------------------------------------------------
cp "$SITE/_config.yml" "$TMP/config.good"
printf 'title: x\nrenderlink:\n  links: [\n' >"$SITE/_config.yml"
doc
check "broken config: exit 1" assert_rc 1
check "broken config: an error naming the file and line" has error config \
    "_config.yml:[0-9]+:[0-9]+: "
check "broken config: the checks that need no config still run" \
    eval 'has ok wsl && has ok site-filesystem && has warn jekyll-env && has warn jekyll-plugin && has ok git-hook'
check "broken config: the checks that need it are left out" \
    eval 'lacks media-root && lacks index && lacks plugin-sandbox && lacks jekyll-keep-files'
cp "$TMP/config.good" "$SITE/_config.yml"
doc
check "good config: ok, with its sets" has ok config "_config.yml: 2 link sets, 0 external plug-ins"

# --- site filesystem and media roots on a real NTFS volume -----------------
ntfs_ok=
if [ "$(id -u)" != 0 ]; then
	echo "# skip ntfs: needs root to mount"
elif ! { [ -c /dev/fuse ] && [ -r /dev/fuse ] && [ -w /dev/fuse ]; }; then
	echo "# skip ntfs: no usable /dev/fuse"
elif ! command -v mkntfs >/dev/null || ! command -v ntfs-3g >/dev/null; then
	echo "# skip ntfs: ntfs-3g not installed"
else
	E=$TMP/e
	if truncate -s 64M "$TMP/e.img" &&
	    mkntfs -F -f -q "$TMP/e.img" >/dev/null 2>&1 && mkdir -p "$E" &&
	    ntfs-3g "$TMP/e.img" "$E" >/dev/null 2>&1; then
		at_exit "umount '$E' 2>/dev/null || fusermount -u '$E' 2>/dev/null"
		ntfs_ok=1
	else
		echo "# skip ntfs: could not make or mount an NTFS volume"
	fi
fi
if [ -n "$ntfs_ok" ]; then
	check "setup: the volume is FUSE" assert_eq fuseblk "$(stat -f -c %T "$E")"
	mk_media "$E/media" "song/take 1.mp3"
	NS=$E/site
	mk_site "$NS" "$E/media"
	run_rl -C "$NS" doctor
	check "site on NTFS: exit 1" assert_rc 1
	check "site on NTFS: site-filesystem error, with what to do" \
	    has error site-filesystem "the site $NS is on a Windows filesystem, FUSE .*; keep the site on the Linux side"
	mk_site "$SITE" "$E/media"
	doc
	check "site on ext4: site-filesystem ok" has ok site-filesystem \
	    "the site $SITE is on "
	check "media root on NTFS: there, on FUSE" has ok media-root \
	    "$E/media is there, on FUSE \(ntfs-3g or virtiofs\) \(mounted at $E as fuse"
	check "media root on NTFS: ntfs-3g matches case as Linux does: ok" \
	    has ok media-case "names are case-sensitive here"
	mk_site "$SITE"
fi

# --- site filesystem and media roots: drvfs, by the mount table ------------
# mounts LINE...: a mount table of an ext4 root plus the lines given.
mounts() {
	printf '%s\n' "1 0 8:1 / / rw - ext4 /dev/sda1 rw" "$@" >"$TMP/mountinfo"
}
W=$TMP/mnt/e
mkdir -p "$W/media/song" "$TMP/winsite"
mk_media "$W/media" "song/take 1.mp3"
mounts "90001 1 0:70 / $W rw,noatime - drvfs E:\\134 rw,case=off"
mk_config "$SITE" 'mp3s|mp3s|E:\media|songs/mp3s|mp3'
RENDERLINK_MOUNTINFO=$TMP/mountinfo doc
check "drvfs media root: the Windows path, translated, there" has ok \
    media-root "$W/media \('E:\\\\media', a Windows path: this is not WSL.*\) is there, on drvfs \(WSL1\) \(mounted at $W as drvfs, case=off, no metadata"
check "drvfs case=off: media-case warns, with what to do" has warn \
    media-case "the drive is case-insensitive \(case=off\).*missing-source.*; write each reference exactly as the file is named"
mounts "90001 1 0:70 / $W rw,noatime - drvfs E:\\134 rw,metadata,case=force"
RENDERLINK_MOUNTINFO=$TMP/mountinfo doc
check "drvfs case=force: media-case ok" has ok media-case \
    "the drive is case-sensitive \(case=force\)"
check "drvfs metadata: said" has ok media-root "metadata: Linux modes kept"
mounts "90001 1 0:70 / $W rw - 9p E:\\134 rw,dirsync,aname=drvfs;path=E:\\134;uid=1000;metadata;case=dir,mmap,trans=fd"
RENDERLINK_MOUNTINFO=$TMP/mountinfo doc
check "WSL 2 9p drvfs case=dir: media-case warns" has warn media-case \
    "case-insensitive \(case=dir: folders made from Windows"
# The site itself on a drvfs mount.
mounts "90001 1 0:70 / $W rw - drvfs E:\\134 rw,case=off" \
    "90002 1 0:71 / $TMP/winsite rw - drvfs F:\\134 rw"
mk_site "$TMP/winsite"
RENDERLINK_MOUNTINFO=$TMP/mountinfo run_rl -C "$TMP/winsite" doctor
check "site on drvfs: exit 1" assert_rc 1
check "site on drvfs: site-filesystem error" has error site-filesystem \
    "the site $TMP/winsite is on a Windows filesystem, drvfs \(WSL1\)"
mk_site "$SITE"
RENDERLINK_MOUNTINFO=$TMP/mountinfo doc
check "site on ext4 by the same table: ok" has ok site-filesystem \
    "the site $SITE is on ext4 \(mounted at /\)"

# A media root that is not there is an error.
mk_config "$SITE" "mp3s|mp3s|$TMP/nodrive|songs/mp3s|mp3" \
    "stems|stems|$MEDIA|songs/stems|wav"
doc
check "missing media root: exit 1" assert_rc 1
check "missing media root: error, names the set, what to do" has error \
    media-root "$TMP/nodrive is not there \(No such file or directory\): nothing can be linked.*; mount the drive that holds it, or fix 'source' at _config.yml:[0-9]+:[0-9]+"
check "missing media root: the other root ok" assert_grep "$OUT" \
    "^ok +media-root \(stems\): $MEDIA is there"
mk_config "$SITE" "mp3s|mp3s|/mnt/q/media|songs/mp3s|mp3"
kernel "5.15.167.4-microsoft-standard-WSL2"
WSL_DISTRO_NAME=Ubuntu doc
check "missing /mnt/q on WSL: asks whether drive Q: is there" has error \
    media-root "/mnt/q/media is not there .*; is drive Q: connected\? .*sudo mount -t drvfs Q: /mnt/q"
kernel "6.1.0-18-amd64"
mk_site "$SITE"
doc
check "media roots there: exit 0" assert_rc 0
check "two sets on one root: one line naming both" assert_count 1 "$OUT" \
    "^ok +media-root \(mp3s, stems\): $MEDIA is there, on "

# --- Jekyll -----------------------------------------------------------------
check "no safe: ok" has ok jekyll-safe
printf 'safe: true\n' >>"$SITE/_config.yml"
doc
check "safe: true: warn" has warn jekyll-safe "drops links that lead outside the site"
mk_site "$SITE"

check "JEKYLL_ENV unset: warn" has warn jekyll-env "JEKYLL_ENV is not set here.*; build what you publish with JEKYLL_ENV=production"
JEKYLL_ENV=development doc
check "JEKYLL_ENV=development: warn" has warn jekyll-env "JEKYLL_ENV is 'development'"
JEKYLL_ENV=production doc
check "JEKYLL_ENV=production: ok" has ok jekyll-env

doc
check "default keep_files: ok" has ok jekyll-keep-files "keep_files \(.git, .svn\) keeps no target folder"
printf 'keep_files: [.git, songs]\n' >>"$SITE/_config.yml"
doc
check "keep_files covering a target: exit 1" assert_rc 1
check "keep_files covering a target: error for each set under it" \
    assert_count 2 "$OUT" "^error +jekyll-keep-files \((mp3s|stems)\): keep_files entry 'songs' \(_config.yml:[0-9]+:[0-9]+\) covers songs/(mp3s|stems)/"
# Jekyll's Cleaner matches keep_files as a plain string prefix
# (measured with Jekyll 4.3.1: 'son' kept _site/songs/mp3s/a.mp3).
mk_site "$SITE"
printf 'keep_files: [son]\n' >>"$SITE/_config.yml"
doc
check "keep_files 'son' covers songs/mp3s too (a string prefix)" has error \
    jekyll-keep-files "keep_files entry 'son' .* covers songs/mp3s/"
mk_site "$SITE"
printf 'keep_files: [songs/mp3s/keep.mp3]\n' >>"$SITE/_config.yml"
doc
check "keep_files inside a target: warn" has warn jekyll-keep-files \
    "keep_files entry 'songs/mp3s/keep.mp3' .* lies in songs/mp3s"
mk_site "$SITE"

doc
check "no plugin, gem or wrapper: warn" has warn jekyll-plugin \
    "nothing runs renderlink before a Jekyll build"
mkdir -p "$SITE/_plugins" && cp "$TOP/hook/renderlink.rb" "$SITE/_plugins/"
doc
check "_plugins/renderlink.rb: ok" has ok jekyll-plugin "the plugin _plugins/renderlink.rb"
printf 'safe: true\n' >>"$SITE/_config.yml"
doc
check "_plugins/ in safe mode: warn (not loaded)" has warn jekyll-plugin \
    "in safe mode Jekyll does not load _plugins/"
mk_site "$SITE"
rm -rf "$SITE/_plugins"
printf 'source "https://rubygems.org"\ngem "jekyll", "~> 4.3"\ngem "jekyll-renderlink"\n' >"$SITE/Gemfile"
doc
check "gem outside :jekyll_plugins, not in plugins: warn" has warn \
    jekyll-plugin "outside group :jekyll_plugins"
printf 'plugins: [jekyll-renderlink]\n' >>"$SITE/_config.yml"
doc
check "gem in plugins: ok" has ok jekyll-plugin "the gem jekyll-renderlink \(plugins: in the config\)"
mk_site "$SITE"
printf 'source "https://rubygems.org"\ngem "jekyll", "~> 4.3"\ngroup :jekyll_plugins do\n  gem "jekyll-renderlink" # syncs\nend\n' >"$SITE/Gemfile"
doc
check "gem in group :jekyll_plugins: ok" has ok jekyll-plugin \
    "the gem jekyll-renderlink \(Gemfile group :jekyll_plugins\)"
printf 'gem "jekyll-renderlink", group: :jekyll_plugins\n' >"$SITE/Gemfile"
doc
check "gem with group: :jekyll_plugins on its line: ok" has ok jekyll-plugin \
    "Gemfile group :jekyll_plugins"
rm -f "$SITE/Gemfile"
mkdir -p "$TMP/bin" && cp "$TOP/hook/jekyll" "$TMP/bin/jekyll"
PATH=$TMP/bin:$PATH doc
check "the wrapper on PATH as jekyll: ok" has ok jekyll-plugin \
    "the wrapper $TMP/bin/jekyll, run as jekyll"

# --- git --------------------------------------------------------------------
doc
check "not in git: ok, nothing to check" has ok git-hook "not in a git repository"
check "not in git: no git-ignore line" lacks git-ignore
git init -q "$SITE"
doc
check "no hook: warn, run hook install" has warn git-hook \
    "no pre-commit hook at $SITE/.git/hooks/pre-commit.*; run 'renderlink hook install'"
check "targets not ignored: warn with the lines to commit" has warn git-ignore \
    "git does not ignore songs/mp3s/, songs/stems/.*; commit the lines '/songs/mp3s/', '/songs/stems/'"
run_rl -C "$SITE" hook install
check "setup: hook install" assert_rc 0
doc
check "our hook, as we write it: ok" has ok git-hook \
    "$SITE/.git/hooks/pre-commit is renderlink's hook, as this renderlink writes it"
check "targets ignored (hook install excluded them): ok" has ok git-ignore
printf '# edited\n' >>"$SITE/.git/hooks/pre-commit"
doc
check "our hook, edited: warn, update it" has warn git-hook \
    "not the one this renderlink writes.*; run 'renderlink hook install' to update it"
run_rl -C "$SITE" hook install
chmod -x "$SITE/.git/hooks/pre-commit"
doc
check "our hook, not executable: warn" has warn git-hook "not executable: git skips it"
printf '#!/bin/sh\necho mine\n' >"$SITE/.git/hooks/pre-commit"
chmod +x "$SITE/.git/hooks/pre-commit"
doc
check "someone else's hook: warn" has warn git-hook "is not renderlink's hook"
printf '#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n' \
    >"$SITE/.git/hooks/pre-commit"
doc
check "pre-commit framework without renderlink: warn" has warn git-hook \
    "the pre-commit framework's, and its config does not run renderlink"
printf 'repos:\n  - repo: local\n    hooks:\n      - id: renderlink\n        entry: renderlink check --staged\n' \
    >"$SITE/.pre-commit-config.yaml"
doc
check "pre-commit framework running renderlink: ok" has ok git-hook \
    "the pre-commit framework's, and .pre-commit-config.yaml runs renderlink"

# --- the index ----------------------------------------------------------------
doc
check "someone else's index: ok, read as it is" has ok index "is not renderlink's"
rm -f "$SITE/_data/front_matter.json"
mkdir -p "$SITE/_posts"
printf -- '---\nmp3s: ["song/take 1.mp3"]\n---\n' >"$SITE/_posts/2024-01-01-song.md"
doc
check "no index: warn, run renderlink index" has warn index "there is no front matter index .*; run 'renderlink index'"
run_rl -C "$SITE" index
doc
check "index current: ok" has ok index "_data/front_matter.json is what the pages say \(2 pages\)"
printf -- '---\nmp3s: ["song/take 2.mp3"]\n---\n' >"$SITE/_posts/2024-01-01-song.md"
snapshot "$SITE" "$TMP/site.snap"
doc
check "stale index: warn, names the page" has warn index \
    "not what the pages say \(.*_posts/2024-01-01-song.md.*\)"
check "stale index: doctor did not rewrite it" assert_snapshot "$SITE" "$TMP/site.snap"

# --- plug-ins -------------------------------------------------------------------
mkdir -p "$SITE/plug"
printf '#!/bin/sh\ncat >/dev/null\necho "{\\"links\\": []}"\n' >"$SITE/plug/newest"
chmod +x "$SITE/plug/newest"
printf '  plugins:\n    - name: newest\n      run: plug/newest\n      sets: [mp3s]\n' \
    >>"$SITE/_config.yml"
doc
check "plug-in executable: ok" has ok plugin "$SITE/plug/newest is executable; it feeds mp3s"
check "config counts the plug-in" has ok config "1 external plug-in"
chmod -x "$SITE/plug/newest"
doc
check "plug-in not executable: exit 1" assert_rc 1
check "plug-in not executable: error, chmod +x" assert_grep "$OUT" \
    "^error +plugin \(newest\): $SITE/plug/newest \(_config.yml:[0-9]+:[0-9]+\) cannot be run: Permission denied.*; make it executable: chmod \+x"
# Whether this kernel offers Landlock, asked on our own (syscall 444,
# landlock_create_ruleset, with LANDLOCK_CREATE_RULESET_VERSION).
landlock=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null)
if [ "${landlock:-0}" -gt 0 ] 2>/dev/null; then
	check "sandbox: Landlock here, ok" has ok plugin-sandbox \
	    "plug-ins run without write access \(Landlock ABI [0-9]+\)"
else
	check "sandbox: no Landlock here, warn with plug-ins" has warn \
	    plugin-sandbox "plug-ins run with your own rights"
fi

doc --format json
check "json: the plug-in error counted, named" json_assert "$OUT" \
    'd["errors"] >= 1 and any(c["check"] == "plugin" and c["subject"] == "newest" and c["status"] == "error" and "chmod +x" in c["advice"] for c in d["checks"])'
check "json: exit 1 too" assert_rc 1
doc -q
check "-q: only what is not ok" assert_no_grep "$OUT" '^ok '
check "-q: the error still there" has error plugin

finish
