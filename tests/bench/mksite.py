#!/usr/bin/env python3
"""mksite.py - make a bench media tree and a Jekyll site that references
it, for tests/bench.sh.

  mksite.py MEDIA SITE FOLDERS PER PAGES [--no-media] [--plugin PROG]

MEDIA gets FOLDERS folders "project F/outputs/mp3s", each holding PER
renders the site references and PER takes nobody references (empty
files: renderlink never reads a render).  SITE gets a _config.yml with
one link set (mp3s -> songs/mp3s) and real pages in _songs/: PAGES is
"folder" (one page per media folder naming its PER renders, as a song
page names its takes) or "ref" (one page per reference).  The index is
left to `renderlink index`, as a user's is.  --no-media writes only the
site (the media tree is there already); --plugin PROG adds a plug-in
entry `run: [ruby, PROG]` for the set.
"""
import os
import sys


def name(f, i, unused=False):
    return "Song %d (120 bpm, take %d; 2025-01-01)%s.mp3" % (
        f, i, " unused" if unused else "")


def ref(f, i):
    return "project %d/outputs/mp3s/%s" % (f, name(f, i))


def main():
    args = sys.argv[1:]
    media_too = "--no-media" not in args
    args = [a for a in args if a != "--no-media"]
    plugin = None
    if "--plugin" in args:
        k = args.index("--plugin")
        plugin = args[k + 1]
        del args[k:k + 2]
    media, site, folders, per, pages = args
    folders, per = int(folders), int(per)
    if media_too:
        for f in range(folders):
            d = os.path.join(media, "project %d/outputs/mp3s" % f)
            os.makedirs(d)
            for i in range(per):
                for unused in (False, True):
                    open(os.path.join(d, name(f, i, unused)), "w").close()
    songs = os.path.join(site, "_songs")
    os.makedirs(songs, exist_ok=True)
    head = "---\ntitle: \"Song %d\"\ndate: 2025-01-01\nbpm: 120\nmp3s:\n"
    for f in range(folders):
        if pages == "folder":
            with open(os.path.join(songs, "s%d.md" % f), "w") as out:
                out.write(head % f)
                for i in range(per):
                    out.write("  - \"%s\"\n" % ref(f, i))
                out.write("---\nLyrics of song %d.\n" % f)
        else:
            for i in range(per):
                p = os.path.join(songs, "song-%d-%d.md" % (f, i))
                with open(p, "w") as out:
                    out.write(head % f)
                    out.write("  - \"%s\"\n---\nLyrics.\n" % ref(f, i))
    with open(os.path.join(site, "_config.yml"), "w") as out:
        out.write("collections: [songs]\nrenderlink:\n  links:\n"
                  "    - name: mp3s\n      key: mp3s\n"
                  "      source: '%s'\n      target: songs/mp3s\n"
                  "      extensions: [mp3]\n" % os.path.abspath(media))
        if plugin:
            out.write("  plugins:\n    - name: latest-take\n"
                      "      run: [ruby, '%s']\n      sets: [mp3s]\n"
                      % plugin)
    with open(os.path.join(site, ".gitignore"), "w") as out:
        out.write("/songs/mp3s/\n/.jekyll-cache/\n")


main()
