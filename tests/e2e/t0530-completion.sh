#!/usr/bin/env bash
# t0530-completion: shell completion, completion/renderlink.bash (bash) and
# completion/_renderlink (zsh), and what they ask the binary.
#
# `renderlink __complete sets` prints the site's link set names, honours
# -C and --config, prints nothing (not even on stderr) and exits 0 when
# there is no site or its config does not load, and is not in `renderlink
# help`'s list.  bash: the script is sourced and _renderlink called with
# COMP_WORDS/COMP_CWORD set, as bash does on Tab; COMPREPLY must hold the
# commands, each command's options (what --list-options prints), the link
# set names of the site after --set (also --set=..., and with -C/--config
# on the line), YAML files and folders after --config, folders after -C,
# the formats after --format.  zsh: the function runs inside zsh's real
# completion system (compinit, in a zpty terminal), with compadd wrapped
# to print every match.
. "$(dirname "$0")/../lib.sh"

TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
BASHCOMP=$TOP/completion/renderlink.bash
ZSHCOMP=$TOP/completion/_renderlink

# The binary under test, as `renderlink` on PATH.
mkdir -p "$TMP/bin"
ln -s "$RL" "$TMP/bin/renderlink"
export PATH="$TMP/bin:$PATH"

# A site whose set names nobody would guess, and a second config file
# with other sets, for --config.
mkdir -p "$MEDIA"
mk_config "$SITE" \
    "alpha-mp3s|mp3s|$MEDIA|songs/mp3s|mp3" \
    "alpine_stems|stems|$MEDIA|songs/stems|wav" \
    "beta|videos|$MEDIA|songs/videos|mp4"
cat >"$SITE/other.yml" <<EOF
renderlink:
  links:
    - {name: gamma, key: g, source: '$MEDIA', target: g/links, extensions: [mp3]}
EOF
mkdir -p "$SITE/sub/folder" "$SITE/_data"
: >"$SITE/notes.txt"
: >"$SITE/b.yaml"

# --- renderlink __complete sets ---------------------------------------------

run_rl -C "$SITE" __complete sets
check "__complete sets: exit 0" assert_rc 0
check "__complete sets: the set names, in config order" \
    assert_eq "$(printf 'alpha-mp3s\nalpine_stems\nbeta')" "$(cat "$OUT")"
(cd "$SITE/sub/folder" && run_rl __complete sets && cat "$OUT") >"$TMP/o"
check "__complete sets: finds the site from a sub-folder" \
    assert_eq "$(printf 'alpha-mp3s\nalpine_stems\nbeta')" "$(cat "$TMP/o")"
run_rl __complete sets -C "$SITE" --config other.yml
check "__complete sets: -C and --config after it" \
    assert_eq gamma "$(cat "$OUT")"
run_rl -C "$SITE" --config _config.yml,other.yml __complete sets
check "__complete sets: --config a,b merged as Jekyll does (lists replace)" \
    assert_eq gamma "$(cat "$OUT")"
mkdir -p "$TMP/nosite"
(cd "$TMP/nosite" && run_rl __complete sets &&
    echo "$RC" && cat "$OUT" "$ERR") >"$TMP/o"
check "__complete sets: no site: exit 0, prints nothing at all" \
    assert_eq 0 "$(cat "$TMP/o")"
mkdir -p "$TMP/broken"
printf 'renderlink:\n  links: [\n' >"$TMP/broken/_config.yml"
run_rl -C "$TMP/broken" __complete sets
check "__complete sets: a config that does not load: exit 0" assert_rc 0
check "__complete sets: ... and nothing on stdout" assert_stdout_empty
check "__complete sets: ... nor on stderr" assert_stderr_empty
run_rl __complete nonsense
check "__complete nonsense: bad usage, exit 2" assert_rc 2
run_rl --help
check "__complete is not in renderlink help's list" \
    assert_no_grep "$OUT" complete
sed -n '/^commands:$/,/^$/s/^    \([a-z][a-z-]*\) .*/\1/p' "$OUT" \
    >"$TMP/commands"
check "renderlink --help lists commands" test -s "$TMP/commands"
# The checks below run no binary through run_rl: no last run to show.
: >"$OUT"
: >"$ERR"

# --- bash -----------------------------------------------------------------------

# comp [DIR] -- WORD...: what _renderlink puts in COMPREPLY for the command
# line WORD... (the cursor on the last word), run in DIR, one per line.
comp() {
	local dir=$SITE
	if [ "$1" != -- ]; then
		dir=$1
		shift
	fi
	shift
	(
		cd "$dir" || exit 1
		# shellcheck disable=SC1090
		. "$BASHCOMP" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		_renderlink renderlink "${COMP_WORDS[COMP_CWORD]}" \
		    "${COMP_WORDS[COMP_CWORD - 1]}"
		printf '%s\n' "${COMPREPLY[@]}"
	) 2>"$TMP/comp.err"
}

# assert_comp WANT [DIR] -- WORD...: COMPREPLY is WANT (words, any order).
assert_comp() {
	local want=$1 got
	shift
	got=$(comp "$@" | sort | tr '\n' ' ')
	want=$(printf '%s\n' $want | sort | tr '\n' ' ')
	if [ "$got" != "$want" ]; then
		echo "completing '${*##*-- }':" >&2
		echo "  expected: $want" >&2
		echo "  got:      $got" >&2
		[ -s "$TMP/comp.err" ] && sed 's/^/  stderr: /' "$TMP/comp.err" >&2
		return 1
	fi
}

check "bash: the script parses" bash -n "$BASHCOMP"
check "bash: sourcing it registers _renderlink for renderlink" \
    bash -c '. "$1" && complete -p renderlink | grep -q -- "-F _renderlink"' \
    _ "$BASHCOMP"

check "bash: 'renderlink <Tab>': the commands of renderlink --help" \
    assert_comp "$(cat "$TMP/commands")" -- renderlink ""
check "bash: 'renderlink sy': sync" assert_comp sync -- renderlink sy
check "bash: 'renderlink sync --dr': --dry-run --drafts" \
    assert_comp "--dry-run --drafts" -- renderlink sync --dr
check "bash: 'renderlink sync --dr' in that order (the table's)" \
    assert_eq "--dry-run --drafts" "$(comp -- renderlink sync --dr |
    tr '\n' ' ' | sed 's/ $//')"
check "bash: 'renderlink --ver': the global --verbose, --version" \
    assert_comp "--verbose --version" -- renderlink --ver
check "bash: 'renderlink status --set <Tab>': the site's set names" \
    assert_comp "alpha-mp3s alpine_stems beta" -- renderlink status --set ""
check "bash: 'renderlink status --set al': the sets starting so" \
    assert_comp "alpha-mp3s alpine_stems" -- renderlink status --set al
check "bash: 'renderlink clean --set=be' (one word): --set=beta" \
    assert_comp "--set=beta" -- renderlink clean --set=be
check "bash: 'renderlink status --set=' split at '=', as bash splits it" \
    assert_comp "alpha-mp3s alpine_stems beta" -- renderlink status --set = ""
check "bash: '... --set = alpi': the sets starting so" \
    assert_comp "alpine_stems" -- renderlink status --set = alpi
check "bash: -C DIR before the command: that site's sets" \
    assert_comp "alpha-mp3s alpine_stems beta" "$TMP/nosite" -- \
    renderlink -C "$SITE" status --set ""
check "bash: -C DIR after the command: that site's sets" \
    assert_comp "alpha-mp3s alpine_stems beta" "$TMP/nosite" -- \
    renderlink status -C "$SITE" --set ""
check "bash: --config FILE on the line: its sets" \
    assert_comp "gamma" -- renderlink --config other.yml status --set ""
check "bash: -C DIR --config FILE: that file of that site" \
    assert_comp "gamma" "$TMP/nosite" -- \
    renderlink -C "$SITE" status --config=other.yml --set ""
check "bash: --set outside any site: nothing" \
    assert_comp "" "$TMP/nosite" -- renderlink status --set ""
check "bash: 'renderlink --config <Tab>': YAML files and folders" \
    assert_comp "_config.yml b.yaml other.yml sub/ _data/" -- \
    renderlink --config ""
check "bash: 'renderlink sync --config o': other.yml" \
    assert_comp "other.yml" -- renderlink sync --config o
check "bash: 'renderlink --config a,<Tab>': the next file of the list" \
    assert_comp "_config.yml,_config.yml _config.yml,b.yaml _config.yml,other.yml _config.yml,sub/ _config.yml,_data/" \
    -- renderlink --config _config.yml,
check "bash: 'renderlink --config sub/': inside the folder" \
    assert_comp "sub/folder/" -- renderlink --config sub/
check "bash: 'renderlink -C <Tab>': folders only" \
    assert_comp "sub/ _data/" -- renderlink -C ""
check "bash: 'renderlink --format <Tab>': text json github" \
    assert_comp "text json github" -- renderlink --format ""
check "bash: 'renderlink sync --lock-timeout <Tab>': a number, no guess" \
    assert_comp "" -- renderlink sync --lock-timeout ""
check "bash: a value is not taken for the command" \
    assert_comp "--dry-run --drafts" -- renderlink -C "$SITE" --format json \
    sync --dr
check "bash: 'renderlink help <Tab>': the commands" \
    assert_comp "$(cat "$TMP/commands")" -- renderlink help ""
check "bash: 'renderlink hook <Tab>': install uninstall" \
    assert_comp "install uninstall" -- renderlink hook ""
check "bash: 'renderlink hook install <Tab>': nothing more" \
    assert_comp "" -- renderlink hook install ""
check "bash: a binary not on PATH is asked itself" \
    assert_comp "--dry-run --drafts" -- "$RL" sync --dr
for c in $(cat "$TMP/commands"); do
	want=$(rl "$c" --list-options | grep '^--' | sed 's/=$//')
	check "bash: 'renderlink $c --<Tab>': the long options it takes" \
	    assert_comp "$want" -- renderlink "$c" --
done

# --- zsh ------------------------------------------------------------------------

if ! command -v zsh >/dev/null 2>&1; then
	echo "# skip zsh: zsh is not installed (Debian package zsh)"
	finish
fi
check "zsh: the function parses (zsh -n)" zsh -n "$ZSHCOMP"
check "zsh: it is a #compdef renderlink file" \
    eval 'head -n 1 "$ZSHCOMP" | grep -qx "#compdef renderlink"'
if ! zsh -fc 'zmodload zsh/zpty' 2>/dev/null; then
	echo "# skip zsh completion: zsh/zpty is not available"
	finish
fi

# zsh's own completion system runs the function in a zpty terminal;
# every match goes through compadd, which prints it (and still adds it,
# so that _files & co. know they found something), and the first
# completion ends the shell.
cat >"$TMP/setup.zsh" <<'EOF'
autoload -Uz compinit && compinit -u -D
bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return $?
	fi
	typeset -a __hits __dscr
	builtin compadd -A __hits -D __dscr "$@"
	builtin compadd "$@"
	local m
	for m in $__hits; do
		print -r -- "<<MATCH>>$m"
	done
}
_capture_end() {
	print -r -- '<<END>>'
	exit
}
comppostfuncs=(_capture_end)
EOF
cat >"$TMP/capture.zsh" <<'EOF'
# capture.zsh SETUP FPATH_DIR 'LINE': the matches for LINE<Tab>, one a line.
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
# The prompt marker is typed split, so that the terminal's echo of the
# typing never looks like it.  Nothing typed holds a Tab but the last.
zpty -w z "fpath=(${(q)2} \$fpath); source ${(q)1}; PROMPT='<<RE''ADY>>'"
zpty -r z out '*<<READY>>*' || exit 4
zpty -n -w z "$3"$'\t'
zpty -r z out '*<<END>>*' || exit 5
zpty -d z
print -r -- "$out" | tr -d '\r' | sed -n 's/^.*<<MATCH>>//p'
EOF

# zcomp DIR 'LINE': the matches zsh offers, sorted, once each.
zcomp() {
	(cd "$1" && timeout 30 zsh -f "$TMP/capture.zsh" "$TMP/setup.zsh" \
	    "$TOP/completion" "$2") 2>"$TMP/zcomp.err" | sort -u | tr '\n' ' '
}

# assert_zcomp WANT DIR 'LINE'
assert_zcomp() {
	local want got
	want=$(printf '%s\n' $1 | sort -u | tr '\n' ' ')
	got=$(zcomp "$2" "$3")
	if [ "$got" != "$want" ]; then
		echo "completing '$3' in zsh:" >&2
		echo "  expected: $want" >&2
		echo "  got:      $got" >&2
		[ -s "$TMP/zcomp.err" ] && sed 's/^/  stderr: /' "$TMP/zcomp.err" >&2
		return 1
	fi
}

check "zsh: 'renderlink <Tab>': the commands of renderlink --help" \
    assert_zcomp "$(cat "$TMP/commands")" "$SITE" 'renderlink '
check "zsh: 'renderlink sync --dr': --dry-run --drafts" \
    assert_zcomp "--dry-run --drafts" "$SITE" 'renderlink sync --dr'
check "zsh: 'renderlink status --set <Tab>': the site's set names" \
    assert_zcomp "alpha-mp3s alpine_stems beta" "$SITE" \
    'renderlink status --set '
check "zsh: 'renderlink clean --set=al': the sets starting so" \
    assert_zcomp "alpha-mp3s alpine_stems" "$SITE" 'renderlink clean --set=al'
check "zsh: -C DIR and --config FILE on the line: those sets" \
    assert_zcomp "gamma" "$TMP/nosite" \
    "renderlink -C $SITE status --config other.yml --set "
check "zsh: 'renderlink --config <Tab>': YAML files and folders" \
    assert_zcomp "_config.yml b.yaml other.yml sub _data" "$SITE" \
    'renderlink --config '
check "zsh: 'renderlink -C <Tab>': folders only" \
    assert_zcomp "sub _data" "$SITE" 'renderlink -C '
check "zsh: 'renderlink --format <Tab>': text json github" \
    assert_zcomp "text json github" "$SITE" 'renderlink --format '
check "zsh: 'renderlink hook <Tab>': install uninstall" \
    assert_zcomp "install uninstall" "$SITE" 'renderlink hook '
check "zsh: 'renderlink help sy': sync" \
    assert_zcomp "sync" "$SITE" 'renderlink help sy'

finish
