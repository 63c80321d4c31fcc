#!/usr/bin/env bash
# t0520-man: the manual pages, man/renderlink.1 and man/renderlink-config.5.
#
# Both format without a single warning (groff -ww, mandoc -T lint when it
# is installed) and `man -l` renders them.  renderlink(1) agrees with the
# binary: its COMMANDS section has every command `renderlink help` lists,
# and for each one exactly the options `renderlink CMD --help` prints (its
# own, -h/--help, and the global ones when it takes them), each taking a
# value in both or in neither; its OPTIONS section is what `renderlink
# --help` lists.  `--list-options` prints the same options as --help, with
# "=" on those taking a value.  And the pages name what the code has: every
# problem code (README's table, problems_add in src/), every environment
# variable renderlink or its hooks read, every key of the renderlink:
# block and every Jekyll key renderlink reads.
. "$(dirname "$0")/../lib.sh"

TOP=$(cd "$(dirname "$0")/../.." && pwd -P)
MAN1=$TOP/man/renderlink.1
MAN5=$TOP/man/renderlink-config.5

# --- the pages format cleanly ------------------------------------------------

command -v groff >/dev/null 2>&1 ||
    skip_all "groff is not installed (Debian package groff-base)"
for page in "$MAN1" "$MAN5"; do
	name=$(basename "$page")
	check "$name is there" test -s "$page"
	groff -ww -z -man "$page" >"$TMP/groff.out" 2>&1
	check "$name: groff -ww -z -man reports nothing" \
	    test ! -s "$TMP/groff.out"
	[ -s "$TMP/groff.out" ] && sed 's/^/#   /' "$TMP/groff.out"
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -T lint -W all "$page" >"$TMP/mandoc.out" 2>&1
		check "$name: mandoc -T lint reports nothing" \
		    test ! -s "$TMP/mandoc.out"
		[ -s "$TMP/mandoc.out" ] && sed 's/^/#   /' "$TMP/mandoc.out"
	else
		echo "# skip mandoc -T lint $name: mandoc is not installed"
	fi
	if command -v man >/dev/null 2>&1; then
		rc=0
		MANWIDTH=80 MAN_KEEP_FORMATTING= man --warnings=w -l "$page" \
		    >"$TMP/man.out" 2>"$TMP/man.err" </dev/null || rc=$?
		check "$name: man -l exits 0" test "$rc" -eq 0
		check "$name: man -l prints no warning" test ! -s "$TMP/man.err"
		[ -s "$TMP/man.err" ] && sed 's/^/#   /' "$TMP/man.err"
		check "$name: man -l renders NAME and SEE ALSO" \
		    eval 'grep -q "^NAME" "$TMP/man.out" &&
		    grep -q "^SEE ALSO" "$TMP/man.out"'
	else
		echo "# skip man -l $name: man is not installed"
	fi
done

# --- what the binary says -----------------------------------------------------

# The command list of `renderlink --help`.
run_rl --help
cp "$OUT" "$TMP/help.main"
sed -n '/^commands:$/,/^$/s/^    \([a-z][a-z-]*\) .*/\1/p' "$TMP/help.main" \
    >"$TMP/commands"
check "renderlink --help lists commands" test -s "$TMP/commands"
for c in $(cat "$TMP/commands"); do
	run_rl "$c" --help
	cp "$OUT" "$TMP/help.$c"
	run_rl "$c" --list-options
	cp "$OUT" "$TMP/list.$c"
	check "$c --list-options: exit 0" assert_rc 0
done
run_rl --list-options
cp "$OUT" "$TMP/list.main"
check "--list-options (no command): exit 0" assert_rc 0

# --list-options itself: table order, "=" for a value, short forms.
run_rl sync --list-options
check "sync --list-options: --lock-timeout takes a value" \
    assert_grep "$OUT" '^--lock-timeout=$'
check "sync --list-options: -n and --dry-run" \
    eval 'grep -qx -- -n "$OUT" && grep -qx -- --dry-run "$OUT"'
check "sync --list-options: --help and -h, as every command takes them" \
    eval 'grep -qx -- --help "$OUT" && grep -qx -- -h "$OUT"'
check "sync --list-options: the global options too" \
    eval 'grep -qx -- -C "$OUT" && grep -qx -- --config= "$OUT"'
check "sync --list-options: only options, one per line" \
    eval '! grep -qv "^-" "$OUT"'
check "sync --list-options: nothing on stderr" assert_stderr_empty
run_rl help --list-options
check "help --list-options: just --help and -h" \
    assert_eq "$(printf -- '--help\n-h')" "$(cat "$OUT")"

# The checks below run no binary: no last run to show when one fails.
: >"$OUT"
: >"$ERR"
RC=0

# --- the man page against the binary ------------------------------------------

python3 - "$MAN1" "$TMP" >"$TMP/compare.out" 2>&1 <<'EOF'
import os, re, sys

man, tmp = sys.argv[1], sys.argv[2]

def roff_text(line):
    """The text of one roff line: macro arguments joined as the font
    macros join them (.B with blanks, .BR/.BI/... without)."""
    if line.startswith("."):
        m = re.match(r"\.(\S+)\s*(.*)", line)
        macro, rest = m.group(1), m.group(2)
        args = re.findall(r'"((?:[^"]|"")*)"|(\S+)', rest)
        args = [a if a else b for a, b in args]
        sep = " " if macro in ("B", "I") else ""
        line = sep.join(args)
    line = re.sub(r"\\f[BIRP]|\\f\[[A-Z]*\]|\\&", "", line)
    return line.replace("\\-", "-").replace("\\e", "\\")

OPT = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")

def tag_options(tag):
    """{option: takes_value} from a .TP tag such as '-n, --dry-run' or
    '--lock-timeout secs'."""
    out = {}
    for m in OPT.finditer(tag):
        after = tag[m.end():]
        out[m.group(1)] = bool(re.match(r" +[^\s,-]", after))
    return out

lines = open(man).read().splitlines()
section, sub = None, None
globals_ = {}
cmds = {}           # name -> {"opts": {}, "synopsis": str}
i = 0
while i < len(lines):
    l = lines[i]
    if l.startswith(".SH"):
        section, sub = roff_text(l).strip().strip('"'), None
    elif l.startswith(".SS") and section == "COMMANDS":
        sub = roff_text(l).strip()
        cmds[sub] = {"opts": {}, "synopsis": "", "in_synopsis": True}
    elif l.startswith(".TP") and i + 1 < len(lines):
        tag = roff_text(lines[i + 1])
        i += 1
        if section == "OPTIONS":
            globals_.update(tag_options(tag))
        elif section == "COMMANDS" and sub:
            cmds[sub]["opts"].update(tag_options(tag))
    if section == "COMMANDS" and sub and l.startswith((".PP", ".TP")):
        cmds[sub]["in_synopsis"] = False
    elif section == "COMMANDS" and sub and cmds[sub]["in_synopsis"] \
            and not l.startswith(".SS"):
        cmds[sub]["synopsis"] += " " + roff_text(l)
    i += 1

HELPOPT = re.compile(r"^ {4,8}(-[A-Za-z])?(?:, )?(--[a-z][a-z0-9-]*)?"
                     r"( <[^>]+>)?(?= {2,}|$)")

def help_options(path):
    out = {}
    for l in open(path).read().splitlines():
        m = HELPOPT.match(l)
        if not m or not (m.group(1) or m.group(2)):
            continue
        for o in (m.group(1), m.group(2)):
            if o:
                out[o] = bool(m.group(3))
    return out

def list_options(path):
    out = {}
    for l in open(path).read().splitlines():
        out[l.rstrip("=")] = l.endswith("=")
    return out

def show(d):
    return " ".join(o + ("=" if v else "") for o, v in sorted(d.items()))

def compare(what, man_opts, bin_opts, source):
    """The differences, as diagnostic lines (none: they agree)."""
    why = []
    for o in sorted(set(man_opts) - set(bin_opts)):
        why.append(f"{what}: the man page lists {o}, {source} does not")
    for o in sorted(set(bin_opts) - set(man_opts)):
        why.append(f"{what}: {source} lists {o}, the man page does not")
    for o in sorted(set(man_opts) & set(bin_opts)):
        if man_opts[o] != bin_opts[o] and o.startswith("--"):
            why.append(f"{what}: {o} takes a value in "
                       f"{'the man page' if man_opts[o] else source} only")
    return why

results = []
HV = {"-h", "--help", "-V", "--version"}
g_only = {o: v for o, v in globals_.items() if o not in HV}
ok = compare("renderlink", globals_, help_options(f"{tmp}/help.main"),
             "renderlink --help")
results.append(("the man page's OPTIONS are what renderlink --help lists",
                ok))
ok = compare("renderlink", globals_, list_options(f"{tmp}/list.main"),
             "renderlink --list-options")
results.append(("renderlink --list-options lists the man page's OPTIONS", ok))

binary = open(f"{tmp}/commands").read().split()
for c in binary:
    if c not in cmds:
        results.append((f"{c}: in the man page",
                        [f"the man page has no COMMANDS entry for '{c}'"]))
        continue
    want = dict(cmds[c]["opts"])
    want.update({"-h": False, "--help": False})
    if "global options" in cmds[c]["synopsis"]:
        want.update(g_only)
    h = help_options(f"{tmp}/help.{c}")
    results.append((f"{c}: the man page lists the options "
                    f"'renderlink {c} --help' lists",
                    compare(c, want, h, f"'{c} --help'")))
    results.append((f"{c}: --list-options lists what --help lists",
                    compare(c, h, list_options(f"{tmp}/list.{c}"),
                            f"'{c} --list-options'")))
for c in cmds:
    if c not in binary:
        print(f"# skip {c}: in the man page, not in this binary yet")

for desc, why in results:
    print(("not ok - " if why else "ok - ") + desc)
    for w in why:
        print("#   " + w)
EOF
# Each "ok - "/"not ok - " line of the comparison is one check, with the
# diagnostics printed above it.
while IFS= read -r line; do
	case $line in
	"ok - "*)	ok "${line#ok - }" ;;
	"not ok - "*)	not_ok "${line#not ok - }" ;;
	*)		echo "$line" ;;
	esac
done <"$TMP/compare.out"
check "the comparison ran" grep -q '^ok - \|^not ok - ' "$TMP/compare.out"

# --- the pages name what the code has -----------------------------------------

# section_tags PAGE SECTION: the .TP tags of one .SH section, as words.
section_tags() {
	awk -v want="$2" '
	/^\.SH/ { sub(/^\.SH +/, ""); gsub(/"/, ""); sec = $0; next }
	sec == want && tp { print; tp = 0; next }
	sec == want && /^\.TP/ { tp = 1 }
	' "$1" | sed -e 's/^\.[A-Z]* *//' -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' \
	    -e 's/\\&//g' -e 's/"//g' -e 's/[ ,]\+/\n/g' | grep -v '^$'
}

section_tags "$MAN1" PROBLEMS >"$TMP/man.problems"
# README's table, and every code src/ adds a problem with.
sed -n '/^## Problems/,/^## /s/^| `\([a-z-]*\)` |.*/\1/p' "$TOP/README.md" \
    >"$TMP/codes"
check "README's Problems table is found" test -s "$TMP/codes"
cat "$TOP"/src/*.c "$TOP"/src/builtin/*.c | tr '\n' ' ' |
    grep -o 'problems_add([^,]*, *[^,"]*SEV_[A-Z]*, *"[a-z-]*"\|problems_add_parsed([^,]*, *"[a-z-]*"' |
    grep -o '"[a-z-]*"$' | tr -d '"' >>"$TMP/codes"
grep -o 'fail(problems, a, [^;]*' "$TOP/src/apply.c" |
    grep -o '"[a-z]*-[a-z-]*"' | tr -d '"' >>"$TMP/codes"
for code in $(sort -u "$TMP/codes"); do
	check "renderlink.1 PROBLEMS has '$code'" \
	    grep -qx -- "$code" "$TMP/man.problems"
done

section_tags "$MAN1" ENVIRONMENT >"$TMP/man.env"
{
	cat "$TOP"/src/*.c "$TOP"/src/builtin/*.c |
	    grep -o 'getenv("[A-Z_]*")' | grep -o '[A-Z_]\{2,\}'
	grep -ho 'ENV\["[A-Z_]*"\]' "$TOP"/hook/*.rb | grep -o '"[A-Z_]*"' |
	    tr -d '"'
	grep -ho '\${\?\(RENDERLINK[A-Z_]*\|GIT_INDEX_FILE\|JEKYLL\)\b' \
	    "$TOP/hook/pre-commit" "$TOP/hook/jekyll" | tr -d '${'
	grep -o 'RENDERLINK_PROTOCOL' "$TOP/src/proc.c"
} | sort -u >"$TMP/env"
check "environment variables are found in the code" test -s "$TMP/env"
for v in $(cat "$TMP/env"); do
	check "renderlink.1 ENVIRONMENT has $v" grep -qx -- "$v" "$TMP/man.env"
done

# Files renderlink writes, by the names the code gives them.
for f in "$(sed -n 's/^#define MANIFEST_DIR[^"]*"\(.*\)"/\1/p' \
    "$TOP/src/manifest.h")/$(sed -n \
    's/^#define MANIFEST_FILE[^"]*"\(.*\)"/\1/p' "$TOP/src/manifest.h")" \
    "$(sed -n 's/^#define PAGES_CACHE[^"]*"\(.*\)".*/\1/p' \
    "$TOP/src/index_build.h")" \
    "$(sed -n 's/^#define CONFIG_DEFAULT_INDEX[^"]*"\(.*\)"/\1/p' \
    "$TOP/src/config.c")" _data/renderlink/ .git/hooks/pre-commit; do
	check "renderlink.1 FILES names $f" \
	    eval 'section_tags "$MAN1" FILES | sed "s/\\\\//g" |
	    grep -qF -- "$f"'
done

# Every key the config reader accepts, in its section of renderlink-config(5).
keys_of() {	# FILE ARRAY: the strings of a C array of key names
	sed -n "/$2\[\] = {/,/};/p" "$1" | grep -o '"[a-z_]*"' | tr -d '"'
}
section_tags "$MAN5" KEYS >"$TMP/man5.keys"
section_tags "$MAN5" "LINK SETS" >"$TMP/man5.sets"
section_tags "$MAN5" "PLUG\\-INS" >"$TMP/man5.plugins"
section_tags "$MAN5" "JEKYLL KEYS" >"$TMP/man5.jekyll"
n=0
for k in $(keys_of "$TOP/src/config.c" renderlink_keys); do
	n=$((n + 1))
	check "renderlink-config.5 KEYS has '$k'" grep -qx -- "$k" "$TMP/man5.keys"
done
check "renderlink's keys are found in src/config.c" test "$n" -ge 5
for k in $(keys_of "$TOP/src/config.c" linkset_keys); do
	check "renderlink-config.5 LINK SETS has '$k'" \
	    grep -qx -- "$k" "$TMP/man5.sets"
done
for k in $(keys_of "$TOP/src/config_plugins.c" plugin_keys); do
	check "renderlink-config.5 PLUG-INS has '$k'" \
	    grep -qx -- "$k" "$TMP/man5.plugins"
done
{
	cat "$TOP"/src/*.c | grep -o 'ynode_get(\(jekyll\|root\), "[a-z_]*")' |
	    grep -o '"[a-z_]*"'
	grep -ho 'load_path([^,]*, jekyll, "[a-z_]*"' "$TOP"/src/*.c |
	    grep -o '"[a-z_]*"$'
} | tr -d '"' | grep -vx renderlink | sort -u >"$TMP/jekyll.keys"
check "Jekyll keys are found in the code" test -s "$TMP/jekyll.keys"
for k in $(cat "$TMP/jekyll.keys"); do
	check "renderlink-config.5 JEKYLL KEYS has '$k'" \
	    grep -qx -- "$k" "$TMP/man5.jekyll"
done
check "renderlink-config.5 documents the plug-in protocol" \
    eval 'grep -q "^\.SH \"PLUG\\\\-IN PROTOCOL\"" "$MAN5" &&
    grep -q RENDERLINK_PROTOCOL=1 "$MAN5"'

finish
