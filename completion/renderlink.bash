# renderlink.bash - bash completion for renderlink(1).
#
# Source it, or install it as <bash-completion dir>/completions/renderlink
# (`make install` does).  It completes
#   - the command names, as `renderlink --help` lists them;
#   - each command's options, as `renderlink CMD --list-options` prints
#     them (the global ones before the command);
#   - after --set, the link set names of the site, from
#     `renderlink [-C DIR] [--config FILES] __complete sets`, with the -C
#     and --config already on the command line;
#   - after --config, YAML files (and folders, to get to them), also after
#     a comma; after -C, --source and --target, folders; after --format,
#     text, json and github; after `help`, a command; after `hook`,
#     install and uninstall.
# The binary asked is the one being completed (the first word), so a
# build that is not on PATH completes its own options.  It needs nothing
# from the bash-completion package.

# _renderlink_ask ARGS...: runs the renderlink being completed, quietly.
_renderlink_ask() {
	local rl=${COMP_WORDS[0]}

	case $rl in
	"~/"*) rl=$HOME/${rl#"~/"} ;;
	esac
	"$rl" "$@" 2>/dev/null </dev/null
}

# _renderlink_commands: the command names `renderlink --help` lists.
_renderlink_commands() {
	local line in=
	while IFS= read -r line; do
		case $line in
		commands:) in=1 ;;
		"")	[ -n "$in" ] && break ;;
		"    "[a-z]*)
			if [ -n "$in" ]; then
				line=${line#    }
				printf '%s\n' "${line%% *}"
			fi ;;
		esac
	done < <(_renderlink_ask --help)
}

# _renderlink_reply WORD CANDIDATE...: COMPREPLY = the candidates that
# start with WORD (literally: no globbing, no word splitting).
_renderlink_reply() {
	local cur=$1 c
	shift
	COMPREPLY=()
	for c in "$@"; do
		[[ $c == "$cur"* ]] && COMPREPLY+=("$c")
	done
}

# _renderlink_files PREFIX WORD [yaml]: the folders starting with WORD,
# and with "yaml" the *.yml and *.yaml files too, each after PREFIX.
_renderlink_files() {
	local prefix=$1 cur=$2 f
	local -a found

	COMPREPLY=()
	if [ "${3:-}" = yaml ]; then
		mapfile -t found < <(compgen -f -- "$cur")
	else
		mapfile -t found < <(compgen -d -- "$cur")
	fi
	for f in "${found[@]}"; do
		if [ -d "$f" ]; then
			COMPREPLY+=("$prefix$f/")
		else
			case $f in
			*.yml|*.yaml) COMPREPLY+=("$prefix$f") ;;
			esac
		fi
	done
	# A folder is a step on the way: no space after it, and no quoting
	# trouble with blanks in names.
	compopt -o filenames 2>/dev/null
	for f in "${COMPREPLY[@]}"; do
		if [[ $f != */ ]]; then
			return 0
		fi
	done
	compopt -o nospace 2>/dev/null
	return 0
}

# _renderlink_value OPTION PREFIX WORD SITE...: completes the value of
# OPTION.
_renderlink_value() {
	local opt=$1 prefix=$2 cur=$3 s
	local -a sets
	shift 3

	case $opt in
	--set)
		mapfile -t sets < <(_renderlink_ask "$@" __complete sets)
		_renderlink_reply "$cur" "${sets[@]}"
		for s in "${!COMPREPLY[@]}"; do
			COMPREPLY[s]=$prefix${COMPREPLY[s]}
		done ;;
	--config)
		# a comma separated list: complete its last file
		if [[ $cur == *,* ]]; then
			prefix=$prefix${cur%,*},
			cur=${cur##*,}
		fi
		_renderlink_files "$prefix" "$cur" yaml ;;
	-C|--source|--target)
		_renderlink_files "$prefix" "$cur" ;;
	--format)
		_renderlink_reply "$cur" text json github
		for s in "${!COMPREPLY[@]}"; do
			COMPREPLY[s]=$prefix${COMPREPLY[s]}
		done ;;
	*)	COMPREPLY=() ;;
	esac
}

_renderlink() {
	local cur=${COMP_WORDS[COMP_CWORD]} w opt cmd= sub= i
	local -a site valued opts
	local list

	COMPREPLY=()
	# Which options take a value: "--name=" in --list-options (of the
	# main table, then of the command once it is known), and the ones
	# completed here even when the binary does not say so (an older one,
	# without --list-options).
	list=$(_renderlink_ask --list-options)
	valued=(-C --config --format --set
	    $(printf '%s\n' "$list" | sed -n 's/=$//p'))

	# The words before the cursor: the command, its first argument, the
	# -C and --config to hand on; values are skipped (also after a "="
	# that COMP_WORDBREAKS made a word of its own).
	i=1
	while [ "$i" -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		opt=
		case $w in
		--)	;;
		-C?*|--config=*)
			site+=("$w") ;;
		--*=*)	;;
		-*)	for opt in "${valued[@]}"; do
				[ "$opt" = "$w" ] && break
			done
			[ "$opt" = "$w" ] || opt= ;;
		*)	if [ -z "$cmd" ]; then
				cmd=$w
				list=$(_renderlink_ask "$cmd" --list-options)
				valued=(-C --config --format --set
				    $(printf '%s\n' "$list" |
				    sed -n 's/=$//p'))
			elif [ -z "$sub" ]; then
				sub=$w
			fi ;;
		esac
		if [ -n "$opt" ]; then
			i=$((i + 1))
			if [ "${COMP_WORDS[i]:-}" = "=" ]; then
				[ "$i" -eq "$COMP_CWORD" ] && cur=
				[ "$i" -lt "$COMP_CWORD" ] && i=$((i + 1))
			fi
			if [ "$i" -ge "$COMP_CWORD" ]; then
				# the cursor is on this option's value
				_renderlink_value "$opt" "" "$cur" "${site[@]}"
				return 0
			fi
			w=${COMP_WORDS[i]}
			case $w in
			"~/"*)	w=$HOME/${w#"~/"} ;;
			esac
			case $opt in
			-C|--config) site+=("$opt" "$w") ;;
			esac
		fi
		i=$((i + 1))
	done

	# --opt=value in one word (when COMP_WORDBREAKS has no "="): the
	# value of --opt.
	case $cur in
	--*=*)
		_renderlink_value "${cur%%=*}" "${cur%%=*}=" "${cur#*=}" \
		    "${site[@]}"
		return 0 ;;
	-*)	mapfile -t opts < <(printf '%s\n' "$list" | sed 's/=$//')
		_renderlink_reply "$cur" "${opts[@]}"
		return 0 ;;
	esac

	if [ -z "$cmd" ]; then
		mapfile -t opts < <(_renderlink_commands)
		_renderlink_reply "$cur" "${opts[@]}"
	elif [ -z "$sub" ]; then
		case $cmd in
		help)	mapfile -t opts < <(_renderlink_commands)
			_renderlink_reply "$cur" "${opts[@]}" ;;
		hook)	_renderlink_reply "$cur" install uninstall ;;
		esac
	fi
	return 0
}

complete -F _renderlink renderlink
