#!/usr/bin/env bash
# t0140-output: the command line a user sees.  --help and --version work;
# -q hides action lines but never problems; -v adds `unchanged` lines and
# a summary line on stderr; piped output, and NO_COLOR even on a
# terminal, carry no escape bytes; -C works from any folder (and options
# may follow the command); --config a.yml,b.yml merges like Jekyll with
# the later file winning.
. "$(dirname "$0")/../lib.sh"

mk_site "$SITE"
mk_media "$MEDIA" A.mp3 B.mp3 "stems/A bass.wav"
cp -a "$SITE" "$TMP/pristine"
M=$SITE/songs/mp3s

# --help, --version
run_rl --help
check "--help: exit 0" assert_rc 0
check "--help: mentions the sync command" \
    assert_grep <(cat "$OUT" "$ERR") 'sync'
run_rl sync --help
check "sync --help: exit 0" assert_rc 0
check "sync --help: mentions --dry-run" \
    assert_grep <(cat "$OUT" "$ERR") '--dry-run'
run_rl --version
check "--version: exit 0" assert_rc 0
check "--version: prints a version number" \
    assert_grep "$OUT" '[0-9]+\.[0-9]+'

# -q
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md stems "stems/A bass.wav"
run_rl -C "$SITE" -q sync
check "-q: exit 0" assert_rc 0
check "-q: no action line" assert_stdout_empty
check "-q: nothing on stderr either" assert_stderr_empty
check "-q: the links are made all the same" \
    assert_link "$M/A.mp3" "$MEDIA/A.mp3"
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md stems "stems/A bass.wav" \
    _songs/b.md mp3s B.mp3 _songs/c.md mp3s "C missing.mp3"
run_rl -C "$SITE" -q sync
check "-q with an error: exit 1" assert_rc 1
check "-q with an error: no action line" assert_stdout_empty
check "-q with an error: the error still shows" \
    assert_problem error _songs/c.md missing-source
check "-q with an error: the good link still made" \
    assert_link "$M/B.mp3" "$MEDIA/B.mp3"

# -v
rm "$M/B.mp3"
run_rl -C "$SITE" -v sync
check "-v: exit 1 (the error stands)" assert_rc 1
check "-v: action and unchanged lines on stdout" assert_stdout "\
create songs/mp3s/B.mp3 -> $MEDIA/B.mp3
unchanged songs/mp3s/A.mp3
unchanged songs/stems/A bass.wav"
check "-v: exactly one summary line on stderr" \
    assert_count 1 "$ERR" '^summary: '
check "-v: the summary counts what happened" \
    assert_grep "$ERR" '^summary: 1 created, 0 replaced, 0 removed, 2 unchanged, 1 errors, 0 warnings$'
check "-v: no summary on stdout" assert_no_grep "$OUT" 'summary'
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md stems "stems/A bass.wav"
run_rl -C "$SITE" -v sync
check "-v removing: summary counts it" \
    assert_grep "$ERR" '^summary: 0 created, 0 replaced, 1 removed, 2 unchanged, 0 errors, 0 warnings$'
check "-v removing: exit 0" assert_rc 0

# Colour
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/c.md mp3s "C missing.mp3"
RC=0
env -u NO_COLOR TERM=xterm-256color ${RENDERLINK_WRAP:-} "$RL" -C "$SITE" \
    -v sync >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "piped, NO_COLOR unset: there was an error line to colour" \
    assert_problem error _songs/c.md missing-source
check "piped, NO_COLOR unset: no escape byte on stdout" \
    assert_eq 0 "$(grep -c $'\e' "$OUT")"
check "piped, NO_COLOR unset: no escape byte on stderr" \
    assert_eq 0 "$(grep -c $'\e' "$ERR")"
if command -v script >/dev/null; then
	cmd=$(printf '%q ' ${RENDERLINK_WRAP:-} "$RL" -C "$SITE" -v sync)
	NO_COLOR=1 TERM=xterm-256color script -qefc "$cmd" /dev/null \
	    >"$TMP/tty.out" 2>&1 </dev/null
	check "terminal with NO_COLOR: the error line is there" \
	    assert_grep "$TMP/tty.out" '^error: _songs/c.md: .*\(missing-source\)'
	check "terminal with NO_COLOR: no escape byte" \
	    assert_eq 0 "$(grep -c $'\e' "$TMP/tty.out")"
else
	echo "# skip terminal colour check: script(1) not found"
fi

# -C from elsewhere, options after the command, default folder.
rm -rf "$SITE"
cp -a "$TMP/pristine" "$SITE"
mk_refs "$SITE" _songs/a.md mp3s A.mp3
mkdir -p "$TMP/elsewhere"
RC=0
(cd "$TMP/elsewhere" && rl -C ../site sync) >"$OUT" 2>"$ERR" || RC=$?
check "-C relative, from another folder: exit 0" assert_rc 0
check "-C relative, from another folder: link made in the site" \
    assert_link "$M/A.mp3" "$MEDIA/A.mp3"
check "-C relative, from another folder: nothing made where we stood" \
    assert_entries 0 "$TMP/elsewhere"
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/b.md mp3s B.mp3
run_rl sync -C "$SITE" -q
check "options after the command: exit 0" assert_rc 0
check "options after the command: -q honoured" assert_stdout_empty
check "options after the command: -C honoured" \
    assert_link "$M/B.mp3" "$MEDIA/B.mp3"
mk_refs "$SITE" _songs/a.md mp3s A.mp3
RC=0
(cd "$SITE" && rl sync) >"$OUT" 2>"$ERR" || RC=$?
check "default site folder is the current one" \
    assert_stdout "remove songs/mp3s/B.mp3"
# From a folder inside the site, the site is found upwards, as git finds
# its work tree.
mk_refs "$SITE" _songs/a.md mp3s A.mp3 _songs/a.md mp3s B.mp3
mkdir -p "$SITE/_songs/deep/er"
RC=0
(cd "$SITE/_songs/deep/er" && rl sync) >"$OUT" 2>"$ERR" || RC=$?
check "from a sub-folder: the site is found upwards" \
    assert_stdout "create songs/mp3s/B.mp3 -> $MEDIA/B.mp3"
check "from a sub-folder: nothing made there" \
    assert_no_entry "$SITE/_songs/deep/er/songs"

# --config a.yml,b.yml: later wins, hashes merge.
S3=$TMP/site3
rm -rf "$S3"
cp -a "$TMP/pristine" "$S3"
mk_config "$S3" "mp3s|mp3s|$MEDIA|songs/default|mp3"
cat >"$S3/a.yml" <<EOF2
renderlink:
  index: _data/a.json
  links:
    - name: mp3s
      key: mp3s
      source: '$MEDIA'
      target: songs/a
      extensions: [mp3]
EOF2
cat >"$S3/b.yml" <<EOF2
renderlink:
  links:
    - name: mp3s
      key: mp3s
      source: '$MEDIA'
      target: songs/b
      extensions: [mp3]
EOF2
mk_refs "$S3" _songs/a.md mp3s B.mp3
mv "$S3/_data/front_matter.json" "$S3/_data/a.json"
mk_refs "$S3" _songs/a.md mp3s A.mp3
cp -a "$S3" "$TMP/site4"
run_rl -C "$S3" --config a.yml,b.yml sync
check "--config a.yml,b.yml: exit 0" assert_rc 0
check "--config a.yml,b.yml: b.yml's links win" \
    assert_link "$S3/songs/b/B.mp3" "$MEDIA/B.mp3"
check "--config a.yml,b.yml: a.yml's index kept (hashes merge)" \
    assert_no_entry "$S3/songs/b/A.mp3"
check "--config a.yml,b.yml: a.yml's target unused" \
    assert_no_entry "$S3/songs/a"
check "--config a.yml,b.yml: _config.yml not read" \
    assert_no_entry "$S3/songs/default"
run_rl -C "$TMP/site4" --config b.yml,a.yml sync
check "--config b.yml,a.yml: now a.yml wins" \
    assert_link "$TMP/site4/songs/a/B.mp3" "$MEDIA/B.mp3"
check "--config b.yml,a.yml: b.yml's target unused" \
    assert_no_entry "$TMP/site4/songs/b"

# Jekyll's fallback name.
S5=$TMP/site5
cp -a "$TMP/pristine" "$S5"
mv "$S5/_config.yml" "$S5/_config.yaml"
mk_refs "$S5" _songs/a.md mp3s A.mp3
run_rl -C "$S5" sync
check "_config.yaml is read when there is no _config.yml" \
    assert_link "$S5/songs/mp3s/A.mp3" "$MEDIA/A.mp3"

# Source written as ${VAR} or ~/...: the link text is the expanded path.
S6=$TMP/site6
cp -a "$TMP/pristine" "$S6"
mkdir -p "$HOME/renders"
mk_media "$HOME/renders" H.mp3
cat >"$S6/_config.yml" <<'EOF2'
renderlink:
  links:
    - name: mp3s
      key: mp3s
      source: ${RL_E2E_MEDIA}
      target: songs/mp3s
      extensions: [mp3]
    - name: home
      key: home
      source: ~/renders
      target: songs/home
      extensions: [mp3]
EOF2
mk_refs "$S6" _songs/a.md mp3s A.mp3 _songs/a.md home H.mp3
RC=0
RL_E2E_MEDIA=$MEDIA rl -C "$S6" sync >"$OUT" 2>"$ERR" </dev/null || RC=$?
check "source \${VAR}: exit 0" assert_rc 0
check "source \${VAR}: link text is the expanded absolute path" \
    assert_link "$S6/songs/mp3s/A.mp3" "$MEDIA/A.mp3"
check "source ~/...: link text is under \$HOME" \
    assert_link "$S6/songs/home/H.mp3" "$HOME/renders/H.mp3"

finish
