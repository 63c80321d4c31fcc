#!/usr/bin/env bash
# t0810-conflicts: whatever a user put in a target folder, renderlink
# changes only what is its own by the README's rules, and says so.
#
# Two link sets' target folders are seeded, at random (RENDERLINK_SEED
# replays a run; the seed is printed), under names pages want and names
# no page wants, with regular files (any mode), folders (empty, or full,
# a link into the media root inside), fifos, sockets and symlinks:
# outside the media root, dangling, to folders, relative, to the root
# itself, to a sibling sharing the root's prefix, into the other set's
# root, into the site, and named like a temporary.  Also with links
# whose text lies below the set's media root (into a file, a folder,
# nothing): those are renderlink's by rule, so they are replaced where
# a page wants the name and removed where none does.
#
# The first sync: one `conflict` per foreign entry at a wanted name,
# exactly those, saying what is there; no other problem; exactly the
# create, replace and remove lines the rules give; every foreign entry
# byte-identical (lstat facts, link texts, contents); the links right.
# The second sync: the same problems, no action line, nothing written.
. "$(dirname "$0")/../lib.sh"

SEED=${RENDERLINK_SEED:-$(( $(date +%s%N) % 32768 ))}
echo "# seed $SEED (RENDERLINK_SEED=$SEED replays it)"

MEDIA2="$TMP/media two"
OUTSIDE=$TMP/outside
export MEDIA2 OUTSIDE SEED

mkdir -p "$SITE" "$MEDIA" "$MEDIA2"
mk_config "$SITE" \
    "mp3s|mp3s|$MEDIA|songs/mp3s|mp3" \
    "stems|stems|$MEDIA2|songs/stems|wav, flac"
echo "collections: [songs]" >>"$SITE/_config.yml"
printf -- '---\ntitle: Home\n---\nHello.\n' >"$SITE/index.md"

# The seeder: media, pages, the seeded entries, and what must follow:
# $TMP/foreign (paths of foreign entries), $TMP/want.out (the action
# lines), $TMP/want.conflicts ("PAGE|LINK|KIND" per conflict) and
# $TMP/want.links ("LINK TEXT" for every link renderlink keeps).
python3 - <<'EOF'
import os, random, socket
rnd = random.Random(int(os.environ["SEED"]))
site, tmp = os.environ["SITE"], os.environ["TMP"]
out_dir = os.environ["OUTSIDE"]
sets = [("mp3s", "songs/mp3s", os.environ["MEDIA"], ["mp3"]),
        ("stems", "songs/stems", os.environ["MEDIA2"], ["wav", "flac"])]

def write(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)

os.makedirs(out_dir + "/dir", exist_ok=True)
write(out_dir + "/file.mp3", b"outside\n")
write(out_dir + "/dir/in.mp3", b"outside dir\n")

FOREIGN = ["file", "empty", "dir", "dirfull", "fifo", "socket",
           "ln-outside", "ln-dangling", "ln-folder", "ln-relative",
           "ln-root", "ln-prefix", "ln-other-root", "ln-site",
           "ln-hostname"]
OWNED = ["own-right", "own-other", "own-dangling", "own-folder"]
TEMPS = ["tmp-foreign", "tmp-owned", "tmp-file"]
KIND = {"file": "a regular file", "empty": "a regular file",
        "dir": "a folder", "dirfull": "a folder",
        "fifo": "something other than a link",
        "socket": "something other than a link"}

foreign, want_out, conflicts, links = [], [], [], []
sockets = []
n = 0

def seed(kind, path, root, other_root, target):
    """Makes entry kind at path; returns the link text for a link."""
    global n
    n += 1
    if kind == "file":
        write(path, bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(200))),
              rnd.choice([0o644, 0o600, 0o444, 0o000, 0o755]))
    elif kind in ("empty", "tmp-file"):
        write(path, b"", 0o644)
    elif kind == "dir":
        os.mkdir(path, rnd.choice([0o755, 0o700, 0o555]))
    elif kind == "dirfull":
        os.mkdir(path)
        write(path + "/notes.txt", b"mine\n")
        os.mkdir(path + "/sub")
        os.symlink(root + "/a/inside.mp3", path + "/sub/link.mp3")
    elif kind == "fifo":
        os.mkfifo(path, 0o640)
    elif kind == "socket":
        sockets.append(path)
    else:
        text = {
            "ln-outside": out_dir + "/file.mp3",
            "ln-dangling": "/nonexistent/rl-%d.mp3" % n,
            "ln-folder": out_dir + "/dir",
            "ln-relative": rnd.choice(["../../index.md", "x%d.mp3" % n,
                                       "../stems/y.wav", "a/b.mp3"]),
            "ln-root": root,
            "ln-prefix": root + "-old/take %d.mp3" % n,
            "ln-other-root": other_root + "/a/other %d.wav" % n,
            "ln-site": site + "/index.md",
            "ln-hostname": "/etc/hostname",
            "tmp-foreign": out_dir + "/file.mp3",
            "own-right": target,
            "own-other": root + "/b/other.bin",
            "own-dangling": root + "/gone/take %d.mp3" % n,
            "own-folder": root + "/a",
            "tmp-owned": root + "/a/inside.mp3",
        }[kind]
        os.symlink(text, path)
        return text
    return None

for si, (name, tdir, root, exts) in enumerate(sets):
    other_root = sets[1 - si][2]
    T = site + "/" + tdir
    os.makedirs(T, exist_ok=True)
    write(root + "/a/inside.mp3", b"inside\n")
    write(root + "/b/other.bin", b"other\n")
    nw = 60
    kinds = FOREIGN + OWNED + ["none"]
    plan = kinds + [rnd.choice(kinds + ["none"] * 3)
                    for _ in range(nw - len(kinds))]
    rnd.shuffle(plan)
    for i, kind in enumerate(plan):
        ext = rnd.choice(exts)
        base = rnd.choice(["take %d.%s", "Take-%d (mix).%s", "t%d.%s"]) % (i, ext)
        ref = ("a/" if i % 2 == 0 else "b/sub/") + base
        write(root + "/" + ref, (ref + "\n").encode())
        page = "_songs/%s-%02d.md" % (name, i)
        write(site + "/" + page,
              ("---\ntitle: %s %d\n%s:\n  - '%s'\n---\nbody\n"
               % (name, i, name, ref)).encode())
        link = tdir + "/" + base
        target = root + "/" + ref
        if kind == "none":
            want_out.append("create %s -> %s" % (link, target))
            links.append("%s %s" % (link, target))
            continue
        seed(kind, T + "/" + base, root, other_root, target)
        if kind in OWNED:
            if kind != "own-right":
                want_out.append("replace %s -> %s" % (link, target))
            links.append("%s %s" % (link, target))
        else:
            foreign.append(T + "/" + base)
            conflicts.append("%s|%s|%s" % (page, link,
                             KIND.get(kind, "a symlink renderlink did not make")))
    # Names no page wants.
    nu = 40
    kinds = FOREIGN + OWNED + TEMPS
    plan = kinds + [rnd.choice(kinds) for _ in range(nu - len(kinds))]
    for i, kind in enumerate(plan):
        base = "unwanted %d.%s" % (i, rnd.choice(exts + ["txt"]))
        if kind in TEMPS:
            base = ".renderlink-tmp.%d.%d.%s" % (rnd.randrange(1, 99999),
                                                 rnd.randrange(9), base)
        text = seed(kind, T + "/" + base, root, other_root,
                    root + "/a/inside.mp3")
        if kind in OWNED or kind == "tmp-owned":
            want_out.append("remove %s/%s" % (tdir, base))
        else:
            foreign.append(T + "/" + base)

# Sockets last, from inside their folder (sun_path is short).
for path in sockets:
    d, b = os.path.split(path)
    cwd = os.getcwd()
    os.chdir(d)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(b)
    s.close()
    os.chdir(cwd)

def save(name, lines):
    with open(tmp + "/" + name, "w") as f:
        f.write("".join(l + "\n" for l in lines))
save("foreign", foreign)
save("want.out", want_out)
save("want.conflicts", conflicts)
save("want.links", links)
EOF
check "setup: the seeder ran" test -s "$TMP/foreign"
for f in want.conflicts want.out want.links; do
	sort -o "$TMP/$f" "$TMP/$f"
done
echo "# $(wc -l <"$TMP/foreign") foreign entries, $(wc -l <"$TMP/want.conflicts") of them at wanted names; $(wc -l <"$TMP/want.out") actions"

# lstat facts of every foreign entry and everything in it, then the
# checksums of the regular files among them.
foreign_snap() {
	tr '\n' '\0' <"$TMP/foreign" | xargs -0 sh -c '
		find -P "$@" -printf "%y %p %l %m %s %T@ %C@ %i %n\n" | sort
		find -P "$@" -type f -exec md5sum -- {} + | sort' sh >"$1"
}
foreign_snap "$TMP/foreign.before"
check "setup: every kind is there (files, folders, fifos, sockets, links)" \
    assert_eq "d f l p s" "$(grep -oE '^[a-z] ' "$TMP/foreign.before" |
    sort -u | tr -d '\n' | sed 's/ $//')"

# same_as FILE CMD...: CMD prints exactly FILE's bytes.
same_as() {
	local want=$1
	shift
	"$@" >"$TMP/got"
	assert_same_file "$want" "$TMP/got"
}

# conflicts_seen: "PAGE|LINK|KIND" of each conflict line in $ERR.
conflicts_seen() {
	sed -nE "s/^error: (.*): '(.*)' is (.*); renderlink leaves it alone \(move it away to let renderlink link '.*'\) \(conflict\)$/\1|\2|\3/p" \
	    "$ERR" | sort
}

# links_kept: "LINK TEXT" of every symlink in the target folders that is
# not a foreign entry.
links_kept() {
	local p
	find -P "$SITE/songs/mp3s" "$SITE/songs/stems" -mindepth 1 -maxdepth 1 \
	    -type l | grep -vxFf "$TMP/foreign" | while IFS= read -r p; do
		echo "${p#"$SITE"/} $(readlink -- "$p")"
	done | sort
}

run_rl -C "$SITE" sync
sort "$ERR" >"$TMP/err.first"
check "first sync: exit 1 (conflicts are errors)" assert_rc 1
check "first sync: one conflict per foreign entry at a wanted name, exactly those, each saying what is there" \
    same_as "$TMP/want.conflicts" conflicts_seen
check "first sync: no other problem" \
    assert_eq "$(wc -l <"$TMP/want.conflicts")" "$(wc -l <"$ERR")"
check "first sync: exactly the creates, replaces (owned links at wanted names) and removes (owned links nobody wants) the rules give" \
    same_as "$TMP/want.out" sort "$OUT"
check "first sync: every foreign entry is as it was (lstat facts, link texts, contents)" \
    same_as "$TMP/foreign.before" foreign_snap /dev/stdout
check "first sync: the links renderlink keeps are exactly the wanted ones, right" \
    same_as "$TMP/want.links" links_kept
check "first sync: no temporary of its own left" \
    assert_eq "" "$(find -P "$SITE" -name '.renderlink-tmp.*' |
    grep -vxFf "$TMP/foreign")"

snapshot "$SITE" "$TMP/site.snap"
run_rl -C "$SITE" sync
check "second sync: exit 1 again" assert_rc 1
check "second sync: the same problems" \
    same_as "$TMP/err.first" sort "$ERR"
check "second sync: no action line" assert_stdout_empty
check "second sync: nothing written (the whole site as it was)" \
    assert_snapshot "$SITE" "$TMP/site.snap"

# --- a text that starts with the root but climbs out of it -------------------
# `ROOT/../elsewhere/x.mp3` does not lie below the root (it leads out of
# it) and is no text renderlink writes (a reference has no `..`): a
# user's link like that is foreign, at a wanted name and elsewhere.
M=$SITE/songs/mp3s
mk_media "$MEDIA" climb/c.mp3
mkdir -p "$TMP/elsewhere"
printf 'secret\n' >"$TMP/elsewhere/c.mp3"
printf -- "---\ntitle: climb\nmp3s: ['climb/c.mp3']\n---\n" \
    >"$SITE/_songs/climb.md"
ln -s "$MEDIA/../elsewhere/c.mp3" "$M/c.mp3"
ln -s "$MEDIA/climb/../../elsewhere/c.mp3" "$M/climbing out.mp3"
run_rl -C "$SITE" sync
check "a link into ROOT/../ at a wanted name is a conflict, left alone" \
    assert_link "$M/c.mp3" "$MEDIA/../elsewhere/c.mp3"
check "  and is reported as one" \
    assert_grep "$ERR" "^error: _songs/climb\.md: 'songs/mp3s/c\.mp3' is a symlink renderlink did not make;.*\(conflict\)$"
check "a link into ROOT/x/../../ nobody wants is left alone" \
    assert_link "$M/climbing out.mp3" "$MEDIA/climb/../../elsewhere/c.mp3"

finish
