#!/usr/bin/env bash
# t0170-cli: the command line as a new user tries it.  `help` and
# `help <command>` print what --help prints; `version` and -V print what
# --version prints; -q with -v is a usage error (exit 2, saying why,
# changing nothing) before or after the command; `hook install|uninstall
# --format json` prints one JSON document; every command's --help lists
# every option it takes, in its usage line and its table, the global
# ones included; and _config.example.yml loads as it stands.
. "$(dirname "$0")/../lib.sh"

TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
CMDS="sync index check hook"

# --- help and version --------------------------------------------------------

run_rl --help
cp "$OUT" "$TMP/help.main"
check "--help: exit 0" assert_rc 0
run_rl help
check "help: exit 0" assert_rc 0
check "help: prints what --help prints" assert_same_file "$TMP/help.main" "$OUT"
check "help: nothing on stderr" assert_stderr_empty
for c in $CMDS help version; do
	check "--help lists the '$c' command" \
	    assert_grep "$TMP/help.main" "^    $c +[a-z]"
done
check "--help lists -V, --version" \
    assert_grep "$TMP/help.main" '^    -V, --version +'
check "--help lists -h, --help" \
    assert_grep "$TMP/help.main" '^    -h, --help +'
run_rl -h
check "-h: prints what --help prints" assert_same_file "$TMP/help.main" "$OUT"

for c in $CMDS; do
	run_rl "$c" --help
	cp "$OUT" "$TMP/help.$c"
	check "$c --help: exit 0" assert_rc 0
	run_rl help "$c"
	check "help $c: exit 0" assert_rc 0
	check "help $c: prints what '$c --help' prints" \
	    assert_same_file "$TMP/help.$c" "$OUT"
	run_rl --help "$c"
	check "--help $c: prints what '$c --help' prints" \
	    assert_same_file "$TMP/help.$c" "$OUT"
done
run_rl help nosuch
check "help nosuch: exit 2" assert_rc 2
check "help nosuch: says it is not a command" \
    assert_grep "$ERR" "'nosuch' is not a renderlink command"
run_rl nosuch
check "nosuch: exit 2" assert_rc 2
check "nosuch: points at help" assert_grep "$ERR" "renderlink help"

run_rl --version
cp "$OUT" "$TMP/version"
check "--version: a version number" \
    assert_grep "$TMP/version" '^renderlink [0-9]+\.[0-9]+'
run_rl version
check "version: exit 0" assert_rc 0
check "version: prints what --version prints" \
    assert_same_file "$TMP/version" "$OUT"
run_rl -V
check "-V: exit 0" assert_rc 0
check "-V: prints what --version prints" assert_same_file "$TMP/version" "$OUT"

# --- every --help lists every option ----------------------------------------

# help_complete FILE: each option in the table of a `<command> --help`
# (the lines before the global options heading) appears in the usage
# line(s); the global options heading lists -C, --config, --format, -v,
# -q and -h, and the usage lines name them.
help_complete() {
	python3 - "$1" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
usage = " ".join(l for l in lines if re.match(r"^(usage|   or):", l))
glob = [i for i, l in enumerate(lines) if l.startswith("global options")]
bad = []
if not usage:
    bad.append("no usage line")
if not glob:
    bad.append("no global options heading")
    glob = [len(lines)]
table = [l for l in lines[:glob[0]] if re.match(r"^    +-", l)]
gtable = " ".join(lines[glob[0]:])
for l in table:
    m = re.match(r"^ +(?:-(\w), )?(?:--([\w-]+))?|^ +-(\w)", l)
    s = m.group(1) or m.group(3)
    names = ([("--" + m.group(2))] if m.group(2) else []) + \
        (["-" + s] if s else [])
    if not any(re.search(re.escape(n) + r"\b", usage) for n in names):
        bad.append("option %s is in the table but not the usage line"
                   % "/".join(names))
for g in ["-C <dir>", "--config <files>", "--format", "--verbose",
          "--quiet", "--help"]:
    if g not in gtable:
        bad.append("global option %s not listed" % g)
if "[<global options>]" not in usage:
    bad.append("the usage line does not say the global options apply")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}
for c in $CMDS; do
	check "$c --help: the usage line and the table list every option" \
	    help_complete "$TMP/help.$c"
done
check "hook --help: both subcommands in the usage" \
    assert_grep "$TMP/help.hook" 'hook uninstall'
check "index --help: --lock-timeout in the usage line" \
    assert_grep "$TMP/help.index" '^usage: .*--lock-timeout <secs>'
check "check --help: --lock-timeout in the usage line" \
    assert_grep "$TMP/help.check" '^usage: .*--lock-timeout <secs>'

# --- -q with -v --------------------------------------------------------------

mk_site "$SITE"
mk_media "$MEDIA" A.mp3
mk_refs "$SITE" _songs/a.md mp3s A.mp3
git -C "$SITE" init -q
snapshot "$SITE" "$TMP/s0"
for c in $CMDS; do
	arg=
	[ "$c" = hook ] && arg=install
	run_rl -C "$SITE" -q -v "$c" $arg
	check "-q -v $c: exit 2" assert_rc 2
	check "-q -v $c: says the two cannot go together" \
	    assert_grep "$ERR" '-q .*-v .*cannot be used together'
	check "-q -v $c: nothing on stdout" assert_stdout_empty
	run_rl -C "$SITE" "$c" $arg -v -q
	check "$c -v -q (after the command): exit 2" assert_rc 2
	run_rl -C "$SITE" "$c" $arg -qv
	check "$c -qv (bundled): exit 2" assert_rc 2
done
check "-q with -v: nothing changed anywhere" assert_snapshot "$SITE" "$TMP/s0"
run_rl -C "$SITE" -q sync
check "-q alone still works" assert_rc 0
check "-q alone: linked" assert_link "$SITE/songs/mp3s/A.mp3" "$MEDIA/A.mp3"

# --- hook --format json ------------------------------------------------------

H=$SITE/.git/hooks/pre-commit
run_rl -C "$SITE" hook install --format json
check "hook install --format json: exit 0" assert_rc 0
check "hook install --format json: one JSON document saying what it did" \
    json_assert "$OUT" 'd["command"] == "install" and d["action"] == "installed" and d["hook"] == os.environ["SITE"] + "/.git/hooks/pre-commit" and d["local"] is None'
check "hook install --format json: names what git now ignores" \
    json_assert "$OUT" '"/songs/mp3s/" in d["excluded"]'
check "hook install --format json: the hook is there" test -x "$H"
run_rl -C "$SITE" --format json hook install
check "hook install again, json: unchanged" \
    json_assert "$OUT" 'd["action"] == "unchanged" and d["excluded"] == []'
run_rl -C "$SITE" hook uninstall --format json
check "hook uninstall --format json: exit 0" assert_rc 0
check "hook uninstall --format json: removed" \
    json_assert "$OUT" 'd["command"] == "uninstall" and d["action"] == "removed"'
check "hook uninstall --format json: the hook is gone" assert_no_entry "$H"
printf '#!/bin/sh\nexit 0\n' >"$H"
chmod +x "$H"
run_rl -C "$SITE" hook install --format json
check "hook install over a foreign hook, json: names where it went" \
    json_assert "$OUT" 'd["action"] == "installed" and d["local"] == os.environ["SITE"] + "/.git/hooks/pre-commit.local"'
run_rl -C "$SITE" -q hook uninstall
check "hook uninstall -q: exit 0" assert_rc 0
check "hook uninstall -q: prints nothing" assert_stdout_empty
check "hook uninstall -q: the foreign hook is back" \
    assert_grep "$H" '^exit 0$'
run_rl -C "$SITE" hook uninstall --format json
check "hook uninstall of a foreign hook, json: left alone" \
    json_assert "$OUT" 'd["action"] == "left-alone"'

# --- _config.example.yml, as it stands ---------------------------------------

EX=$TMP/example
mkdir -p "$EX"
cp "$TOP/_config.example.yml" "$EX/_config.yml"
printf -- '---\ntitle: Home\n---\n' >"$EX/index.md"
run_rl -C "$EX" sync -n
check "_config.example.yml copied to _config.yml: sync -n exits 0" \
    assert_rc 0
check "_config.example.yml copied to _config.yml: no error" \
    assert_no_problem error
check "_config.example.yml copied to _config.yml: stderr holds only problem lines" \
    assert_only_problem_lines
E2=$TMP/example2
mkdir -p "$E2"
cp "$TOP/_config.example.yml" "$E2/"
printf 'title: mine\n' >"$E2/_config.yml"
run_rl -C "$E2" --config _config.example.yml sync -n
check "--config _config.example.yml: sync -n exits 0" assert_rc 0
check "--config _config.example.yml: no error" assert_no_problem error

# And it really works once its E: drive is there: a second config file
# moves the automount root to a fake drive, as a user layers configs.
mkdir -p "$TMP/mnt/e/media/songs/song/outputs/mp3s"
echo x >"$TMP/mnt/e/media/songs/song/outputs/mp3s/take 1.mp3"
echo y >"$TMP/mnt/e/media/songs/song/stems.wav"
printf 'renderlink:\n  automount_root: %s/mnt/\n' "$TMP" >"$EX/_config.drive.yml"
mkdir -p "$EX/_songs"
printf -- '---\ntitle: Song\nmp3s: ["song/outputs/mp3s/take 1.mp3"]\nstems: [song/stems.wav]\n---\n' \
    >"$EX/_songs/song.md"
printf 'collections: [songs]\n' >>"$EX/_config.yml"
run_rl -C "$EX" --config _config.yml,_config.drive.yml sync
check "_config.example.yml with its drive: sync exits 0" assert_rc 0
check "_config.example.yml with its drive: the mp3 is linked" \
    assert_link "$EX/songs/mp3s/take 1.mp3" \
    "$TMP/mnt/e/media/songs/song/outputs/mp3s/take 1.mp3"
check "_config.example.yml with its drive: the stem is linked" \
    assert_link "$EX/songs/stems/stems.wav" \
    "$TMP/mnt/e/media/songs/song/stems.wav"

finish
