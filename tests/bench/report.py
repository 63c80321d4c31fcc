#!/usr/bin/env python3
"""report.py - the speed table of `make bench`: reads what tests/bench.sh
measured (one JSON file per measurement, from tests/bench/brun.c and
tests/bench/stracecount.py), prints every row (renderlink, its floor, the
ratio, the goal, whether it is met) and writes the same as JSON, merged
with the slowfs block's {"slowfs": ...}.

  report.py MEASUREMENTS OUT.json SLOWFS.json KEY=VALUE...

The KEY=VALUE pairs (sizes, runs, load) are copied into "bench".
Ratios are of CPU seconds (user + sys), as issue 10's table; the wall
ratio is in the JSON too.  A row whose measurement is missing (a tool
not installed, a site skipped) is printed as skipped, with the reason.
"""
import json
import os
import sys

MIB = 1024.0


def load(d):
    out = {}
    for f in sorted(os.listdir(d)):
        if f.endswith(".json"):
            with open(os.path.join(d, f)) as fh:
                out[f[:-5]] = json.load(fh)
    return out


def fmt_s(x):
    return "%.3f s" % x


def main():
    mdir, out, slowfs = sys.argv[1:4]
    meta = dict(a.split("=", 1) for a in sys.argv[4:])
    m = load(mdir)
    refs, big = int(meta["refs"]), int(meta["bigrefs"])
    rows = []

    def skipped(key):
        for k in (key, key.split("_")[0] + "_skip"):
            if k in m and "skipped" in m[k]:
                return m[k]["skipped"]
        return "not measured"

    def timed(rid, label, rl, floor, goal, floor_label):
        """A row comparing two brun measurements by CPU time."""
        if rl not in m or floor not in m:
            rows.append({"id": rid, "row": label, "skipped":
                         skipped(rl if rl not in m else floor)})
            return
        a, b = m[rl], m[floor]
        r = a["cpu"] / b["cpu"] if b["cpu"] else None
        rows.append({
            "id": rid, "row": label, "floor_is": floor_label,
            "renderlink": {"cpu_s": a["cpu"], "wall_s": a["wall"],
                           "maxrss_mib": a["maxrss_kib"] / MIB,
                           "runs": a["runs"]},
            "floor": {"cpu_s": b["cpu"], "wall_s": b["wall"],
                      "maxrss_mib": b["maxrss_kib"] / MIB, "runs": b["runs"]},
            "ratio": r,
            "wall_ratio": a["wall"] / b["wall"] if b["wall"] else None,
            "goal": goal, "goal_text": None if goal is None else
            "<= %gx" % goal,
            "met": None if goal is None or r is None else r <= goal,
            "show": (fmt_s(a["cpu"]), fmt_s(b["cpu"]),
                     "%.2fx" % r if r is not None else "n/a")})

    k10 = "%dk" % (refs // 1000) if refs >= 1000 else str(refs)
    k100 = "%dk" % (big // 1000) if big >= 1000 else str(big)
    folders, bigf = meta["folders"], meta["bigfolders"]
    floor_find = "find TARGET -type l -printf '%l\\n' + find MEDIA -type f"
    timed("noop_10k", "no-op sync, %s refs (%s pages)" % (k10, folders),
          "noop_10k", "floor_10k", 1.5, floor_find)
    timed("noop_10k_pages", "no-op sync, %s refs (%s pages, 1 ref each)" %
          (k10, refs), "noop_10k_pages", "floor_10k_pages", 1.5, floor_find)
    timed("noop_100k", "no-op sync, %s refs (%s pages)" % (k100, bigf),
          "noop_100k", "floor_100k", 2.0, floor_find)

    # Media calls per media folder: counted, beside find's.
    if "calls_noop" in m:
        c, f = m["calls_noop"], m.get("calls_find")
        root_opens = sum(v for k, v in c["root"]["by_call"].items()
                         if k.startswith("open"))
        ok = (c["per_folder"] <= 3 and c["files"]["total"] == 0 and
              root_opens <= 1)
        rows.append({
            "id": "media_calls", "row": "media calls per media folder, no-op",
            "floor_is": "find MEDIA -type f (strace -f -y)",
            "renderlink": {"per_folder": c["per_folder"],
                           "per_folder_by_call": c["per_folder_by_call"],
                           "per_file": c["files"]["total"] / refs,
                           "files_total": c["files"]["total"],
                           "root_calls": c["root"]["by_call"],
                           "root_opens": root_opens},
            "floor": None if f is None else {
                "per_folder": f["per_folder"],
                "per_folder_by_call": f["per_folder_by_call"],
                "root_calls": f["root"]["by_call"]},
            "ratio": c["per_folder"] / f["per_folder"] if f else None,
            "goal": 3, "goal_text": "<= 3 per folder, root opened once, "
            "0 per file", "met": ok,
            "show": ("%g, root opened %d, files %d" % (
                c["per_folder"], root_opens, c["files"]["total"]),
                "%.1f (find)" % f["per_folder"] if f else "-",
                "%.2fx" % (c["per_folder"] / f["per_folder"]) if f else "-")})
    else:
        rows.append({"id": "media_calls", "row":
                     "media calls per media folder, no-op",
                     "skipped": skipped("calls_noop")})

    timed("cold_10k", "cold sync, %s links" % k10, "cold_10k", "loop_10k",
          1.5, "a C loop of symlinkat (tests/bench/symlinks.c)")
    if "calls_cold" in m:
        c, f = m["calls_cold"], m.get("calls_loop")
        per = c["dir_writes_in_target"]
        rows.append({
            "id": "cold_calls", "row": "cold sync: calls, dir writes per link",
            "floor_is": "the C loop",
            "renderlink": c, "floor": f,
            "ratio": c["calls_per_link"] / f["calls_per_link"] if f else None,
            "goal": 1, "goal_text": "1 symlinkat per new link",
            # one symlinkat per link, and no other write per link (the
            # folder's own mkdirat is once per run)
            "met": (per.get("symlinkat", 0) == refs and
                    sum(per.values()) - per.get("mkdirat", 0) == refs),
            "show": ("%.2f calls, %.2f writes" % (
                c["calls_per_link"], c["dir_writes_per_link"]),
                "%.2f calls" % f["calls_per_link"] if f else "-",
                "%.2fx" % (c["calls_per_link"] / f["calls_per_link"])
                if f else "-")})
    else:
        rows.append({"id": "cold_calls", "row":
                     "cold sync: calls, dir writes per link",
                     "skipped": skipped("calls_cold")})

    if "noop_100k" in m and "floor_100k" in m:
        a, b = m["noop_100k"]["maxrss_kib"] / MIB, \
            m["floor_100k"]["maxrss_kib"] / MIB
        rows.append({
            "id": "memory_100k", "row": "peak memory, no-op sync, %s refs"
            % k100, "floor_is": "the larger find's max RSS",
            "renderlink": {"maxrss_mib": a}, "floor": {"maxrss_mib": b},
            "ratio": a / b, "goal": 64, "goal_text": "<= 64 MiB",
            "met": a <= 64,
            "show": ("%.1f MiB" % a, "%.1f MiB" % b, "%.2fx" % (a / b))})
    else:
        rows.append({"id": "memory_100k", "row": "peak memory, no-op sync",
                     "skipped": skipped("noop_100k")})

    timed("reindex_10k", "re-index after editing 1 page of %d" % refs,
          "reindex_10k", "fullindex_10k", 0.25, "index --no-cache")
    timed("stow_cold", "cold: renderlink vs GNU Stow, %s links" % k10,
          "cold_10k", "stow_cold", None, "stow --no-folding (cold)")
    timed("stow_noop", "no-op: renderlink vs GNU Stow, %s links" % k10,
          "noop_10k", "stow_noop", None, "stow --no-folding (again)")
    for r in rows:
        if r["id"].startswith("stow_") and "skipped" in r:
            r["skipped"] = skipped("stow_cold")

    # Issue 8: with one Ruby plug-in, no more than its start-up plus 10%
    # over the no-op without it.
    if all(k in m for k in ("plugin_noop", "plugin_base", "plugin_startup")):
        p, b, s = (m[k] for k in ("plugin_noop", "plugin_base",
                                  "plugin_startup"))
        over = (p["cpu"] - b["cpu"] - s["cpu"]) / b["cpu"]
        wover = (p["wall"] - b["wall"] - s["wall"]) / b["wall"]
        rows.append({
            "id": "plugin_noop", "row": "no-op with one Ruby plug-in",
            "floor_is": "no-op without it + ruby latest-take </dev/null",
            "renderlink": {"cpu_s": p["cpu"], "wall_s": p["wall"]},
            "floor": {"cpu_s": b["cpu"] + s["cpu"],
                      "wall_s": b["wall"] + s["wall"],
                      "noop_cpu_s": b["cpu"], "noop_wall_s": b["wall"],
                      "startup_cpu_s": s["cpu"], "startup_wall_s": s["wall"]},
            "ratio": p["cpu"] / (b["cpu"] + s["cpu"]),
            "overhead_pct_of_noop": 100 * over,
            "startup_with_input_cpu_s": m.get("plugin_startup_input",
                                              {}).get("cpu"),
            "overhead_over_startup_with_input_pct_of_noop":
            100 * (p["cpu"] - b["cpu"] - m["plugin_startup_input"]["cpu"]) /
            b["cpu"] if "plugin_startup_input" in m else None,
            "wall_overhead_pct_of_noop": 100 * wover,
            "goal": 10, "goal_text": "overhead <= 10% of the no-op",
            "met": over <= 0.10,
            "show": (fmt_s(p["cpu"]), "%.3f + %.3f s" % (b["cpu"], s["cpu"]),
                     "%+.0f%%" % (100 * over))})
    else:
        rows.append({"id": "plugin_noop", "row": "no-op with one Ruby plug-in",
                     "skipped": skipped("plugin_noop")})

    print("speed table (issue 10): CPU seconds (user + sys), medians of %s "
          "runs (%s for cold, Stow, 100k); load average %s at the start, %s "
          "at the end" % (meta["runs"], meta["slowruns"], meta["load_start"],
                          meta["load_end"]))
    w = max(len(r["row"]) for r in rows)
    wa = max([len(r["show"][0]) for r in rows if "show" in r] + [10])
    wb = max([len(r["show"][1]) for r in rows if "show" in r] + [5])
    print("  %-*s  %-*s  %-*s  %-7s  %-4s %s" % (
        w, "row", wa, "renderlink", wb, "floor", "ratio", "met", "goal"))
    for r in rows:
        if "skipped" in r:
            print("  %-*s  skipped: %s" % (w, r["row"], r["skipped"]))
            continue
        a, b, q = r["show"]
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        print("  %-*s  %-*s  %-*s  %-7s  %-4s %s" % (
            w, r["row"], wa, a, wb, b, q, met, r["goal_text"] or
            "(beside; floor is %s)" % r["floor_is"]))
    for r in rows:
        if r["id"] == "media_calls" and "skipped" not in r:
            print("  media calls: renderlink %s per media folder, root %s, "
                  "%g per file; find %s per media folder" % (
                      ", ".join("%g %s" % (v, k) for k, v in sorted(
                          r["renderlink"]["per_folder_by_call"].items())),
                      ", ".join("%d %s" % (v, k) for k, v in sorted(
                          r["renderlink"]["root_calls"].items())),
                      r["renderlink"]["per_file"],
                      ", ".join("%.1f %s" % (v, k) for k, v in sorted(
                          r["floor"]["per_folder_by_call"].items()))
                      if r["floor"] else "-"))
        if r["id"] == "cold_calls" and "skipped" not in r:
            c = r["renderlink"]
            print("  cold sync: directory writes in the target: %s; all "
                  "calls: %s" % (
                      ", ".join("%s %d" % kv for kv in sorted(
                          c["dir_writes_in_target"].items())),
                      ", ".join("%s %d" % kv for kv in sorted(
                          c["by_call"].items(), key=lambda kv: -kv[1])[:8])))
        if r["id"] == "plugin_noop" and "skipped" not in r:
            print("  plug-in: no-op %.3f s CPU (%.3f wall) with it, %.3f s "
                  "(%.3f) without, start-up %.3f s (%.3f); overhead %+.1f%% "
                  "of the no-op (wall %+.1f%%)" % (
                      r["renderlink"]["cpu_s"], r["renderlink"]["wall_s"],
                      r["floor"]["noop_cpu_s"], r["floor"]["noop_wall_s"],
                      r["floor"]["startup_cpu_s"],
                      r["floor"]["startup_wall_s"],
                      r["overhead_pct_of_noop"],
                      r["wall_overhead_pct_of_noop"]))
            if r["startup_with_input_cpu_s"] is not None:
                print("  plug-in: start-up with its real input %.3f s CPU; "
                      "overhead over that %+.1f%% of the no-op" % (
                          r["startup_with_input_cpu_s"],
                          r["overhead_over_startup_with_input_pct_of_noop"]))
        if "wall_ratio" in r and r["wall_ratio"] is not None:
            print("  wall: %-*s %.3f s vs %.3f s = %.2fx" % (
                w, r["row"], r["renderlink"]["wall_s"], r["floor"]["wall_s"],
                r["wall_ratio"]))

    bad = sorted(k for k, v in m.items() if v.get("failed") and
                 k != "plugin_startup")     # ruby </dev/null exits 2
    if bad:
        print("  WARNING: a measured run exited non-zero in: %s" %
              ", ".join(bad))
    doc = {"bench": meta, "rows": rows,
           "measurements": {k: v for k, v in m.items()}}
    for r in rows:
        r.pop("show", None)
    try:
        with open(slowfs) as f:
            doc.update(json.load(f))        # {"slowfs": {...}}
    except (OSError, ValueError):
        doc["slowfs"] = None
    try:
        with open(out + ".tmp", "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(out + ".tmp", out)
        print("(these figures as JSON: %s)" % out)
    except OSError as e:
        print("(could not write %s: %s)" % (out, e))


main()
