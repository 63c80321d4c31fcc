#!/usr/bin/env python3
"""stracecount.py - count the system calls of one renderlink run from its
`strace -f -y -s 4096` log, for tests/bench.sh.

  stracecount.py media LOG MEDIA FOLDERS
      the calls that touch the media tree (the Windows drive on WSL),
      split into the root, the folders below it (the media folders and
      the folders on the way to them) and the files; per media folder:
      the folder calls / FOLDERS
  stracecount.py writes LOG TARGET LINKS
      every call by kind, and the directory writes (symlink, rename,
      unlink, mkdir, ... and creating opens) in TARGET and anywhere, per
      link: / LINKS

Each call's object is what it names: an absolute path argument, a path
relative to a directory fd (strace -y prints the fd's path: 4</mnt/e>),
or the fd it works on.  A call that follows a symlink (stat or open of a
link in the site without NOFOLLOW) touches what the link leads to, so a
per-file stat through the site's links is counted as a media file call.
readlink("/proc/self/fd/N") is counted for the folder it names (it does
not reach the drive, but it is a call made per media folder).
Prints one line of JSON.
"""
import codecs
import json
import os
import re
import sys

LINE = re.compile(r"^(\d+) +(?:<\.\.\. (\w+) resumed>|(\w+)\()(.*)$")
FD = re.compile(r"^(?:AT_FDCWD|-?\d+)<(.*)>$")
DIRWRITES = {"symlink", "symlinkat", "rename", "renameat", "renameat2",
             "unlink", "unlinkat", "mkdir", "mkdirat", "rmdir", "link",
             "linkat", "mknod", "mknodat"}
# Calls taking (dirfd, path, ...): their object is path below dirfd.
ATCALLS = {"openat", "openat2", "newfstatat", "fstatat64", "statx",
           "readlinkat", "unlinkat", "mkdirat", "mknodat", "faccessat",
           "faccessat2", "fchmodat", "fchmodat2", "fchownat", "utimensat",
           "futimesat", "linkat", "renameat", "renameat2",
           "name_to_handle_at", "execveat", "open_tree"}
NOFOLLOW = {"lstat", "readlink", "readlinkat", "unlink", "unlinkat",
            "rename", "renameat", "renameat2", "symlink", "symlinkat",
            "lgetxattr", "llistxattr", "rmdir", "mkdir", "mkdirat"}


def split_args(s):
    """Top-level comma-separated arguments of s (up to the closing ')')."""
    out, cur, depth, q, i = [], "", 0, False, 0
    while i < len(s):
        c = s[i]
        if q:
            cur += c
            if c == "\\":
                cur += s[i + 1:i + 2]
                i += 1
            elif c == '"':
                q = False
        elif c == '"':
            q = True
            cur += c
        elif c == "<" and re.match(r"(?:AT_FDCWD|-?\d+)$", cur.strip()):
            j = s.find(">", i)      # an fd's path: no '>' in our names
            cur += s[i:j + 1]
            i = j
        elif c in "([{":
            depth += 1
            cur += c
        elif c in ")]}":
            if depth == 0:
                out.append(cur.strip())
                return out, s[i + 1:]
            depth -= 1
            cur += c
        elif c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    out.append(cur.strip())     # unfinished ...
    return out, ""


def unquote(a):
    if not a.startswith('"'):
        return None
    a = a[1:a.rindex('"')] if a.count('"') >= 2 else a[1:]
    return codecs.escape_decode(a.encode())[0].decode("utf-8", "replace")


def fdpath(a):
    m = FD.match(a or "")
    return m.group(1) if m else None


def join(d, p):
    if p is None:
        return d
    if p.startswith("/") or d is None:
        return p if p.startswith("/") else None
    return os.path.join(d, p) if p else d


def obj(name, args):
    """(the path a call works on, whether it follows a final symlink)."""
    a = args + [None] * 4
    if name == "readlink" and (unquote(a[0]) or "").startswith("/proc/self/fd/"):
        return unquote(a[1]), False
    if name == "symlinkat":
        return join(fdpath(a[1]), unquote(a[2])), False
    if name == "symlink":
        return unquote(a[1]), False
    d, p = fdpath(a[0]), unquote(a[1]) if a[1] else None
    if name in ATCALLS and d is not None and p is not None:
        flags = " ".join(x for x in args[2:] if x)
        follow = name not in NOFOLLOW and "NOFOLLOW" not in flags
        return join(d, p), follow
    if d is not None:                           # an fd's own call
        return d, False
    p = unquote(a[0])
    if p is not None and p.startswith("/"):
        flags = " ".join(x for x in args[1:] if x)
        return p, name not in NOFOLLOW and "NOFOLLOW" not in flags
    return None, False


def calls(log):
    """Yields (syscall, args, rest) for each call, once (unfinished ones
    at their start: their path arguments are there)."""
    with open(log, errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m or m.group(2):             # resumed: counted already
                continue
            args, rest = split_args(m.group(4))
            yield m.group(3), args, rest


def under(p, root):
    return p is not None and (p == root or p.startswith(root + "/"))


def media_mode(log, media, folders):
    media = os.path.realpath(media)
    out = {k: {"total": 0, "by_call": {}} for k in ("root", "folders", "files")}
    for name, args, _ in calls(log):
        p, follow = obj(name, args)
        if p is None:
            continue
        if follow and not under(p, media) and "\0" not in p:
            p = os.path.realpath(p)     # through a link into the media?
        if not under(p, media):
            continue
        kind = ("root" if p == media else
                "files" if os.path.isfile(p) else "folders")
        out[kind]["total"] += 1
        out[kind]["by_call"][name] = out[kind]["by_call"].get(name, 0) + 1
    out["media_folders"] = folders
    out["per_folder"] = out["folders"]["total"] / folders
    out["per_folder_by_call"] = {k: v / folders for k, v in
                                 sorted(out["folders"]["by_call"].items())}
    out["total"] = sum(out[k]["total"] for k in ("root", "folders", "files"))
    return out


def writes_mode(log, target, links):
    target = os.path.realpath(target)
    by_call, dw, dw_target, target_calls, total = {}, {}, {}, 0, 0
    for name, args, _ in calls(log):
        total += 1
        by_call[name] = by_call.get(name, 0) + 1
        p, _ = obj(name, args)
        intarget = under(p, target)
        # renameat2's destination, too
        if name in ("renameat", "renameat2") and len(args) >= 4:
            intarget = intarget or under(join(fdpath(args[2]),
                                              unquote(args[3])), target)
        target_calls += intarget
        creat = name in ("open", "openat", "openat2") and \
            "O_CREAT" in " ".join(args)
        if name in DIRWRITES or creat:
            k = name + (" O_CREAT" if creat else "")
            dw[k] = dw.get(k, 0) + 1
            if intarget:
                dw_target[k] = dw_target.get(k, 0) + 1
    n = sum(dw_target.values())
    return {"links": links, "calls": total, "calls_per_link": total / links,
            "target_calls_per_link": target_calls / links,
            "by_call": dict(sorted(by_call.items())),
            "dir_writes": dw, "dir_writes_in_target": dw_target,
            "dir_writes_per_link": n / links,
            "getpid": by_call.get("getpid", 0)}


def main():
    mode, log, path, n = sys.argv[1:5]
    f = media_mode if mode == "media" else writes_mode
    print(json.dumps(f(log, path, int(n)), sort_keys=True))


main()
