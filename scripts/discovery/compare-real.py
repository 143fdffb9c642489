#!/usr/bin/env python3
"""Compare a real API server's discovery with kubeplay's served-resources table.

Reads a recording made by `scripts/discovery/real-apiserver.sh record`
(`api-versions.txt`, `apis.json`, `group-versions.jsonl`: the server's own
`/api`, `/apis` and `/apis/<group>/<version>` documents) and the rows of
`src/sim/api/discovery/served.tsv` that hold for the recording's minor, and
prints every difference in:

- the served group-versions, their order in `/apis` and each group's
  preferred version;
- per group-version, the resources and, for each resource, its kind, scope,
  verbs, short names, categories and subresources.

Also prints the counts docs/discovery.md reports: `kubectl api-resources`
rows (one per resource of each group's preferred version), resources of all
served versions, and group-versions. Exit status 1 on any difference.

Usage: scripts/discovery/compare-real.py RECORDING_DIR MINOR [--table PATH]
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(HERE, "..", "..", "src", "sim", "api", "discovery", "served.tsv")


def split(cell):
    return [] if cell == "-" else cell.split(",")


def table_rows(path, minor):
    """Group-versions in priority order and resources of `minor`."""
    groups, resources = [], {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        first, last = int(cols[1]), int(cols[2])
        if not first <= minor <= last:
            continue
        group = "" if cols[3] == "-" else cols[3]
        gv = f"{group}/{cols[4]}" if group else cols[4]
        if cols[0] == "G":
            groups.append((group, cols[4], int(cols[5]), int(cols[6])))
        else:
            resources.setdefault(gv, {})[cols[5]] = {
                "kind": cols[6],
                "namespaced": cols[7] == "true",
                "verbs": sorted(split(cols[8])),
                "shortNames": split(cols[9]),
                "categories": split(cols[10]),
                "subresources": sorted(split(cols[11])),
            }
    # The aggregator orders groups by group priority (higher first), then
    # name; versions within a group by version priority (higher first).
    order = {}
    for group, _, gprio, _ in groups:
        order.setdefault(group, gprio)
    gvs = sorted(groups, key=lambda g: (g[0] != "", -order[g[0]], g[0], -g[3]))
    return [f"{g}/{v}" if g else v for g, v, _, _ in gvs], resources


def real_rows(rec):
    resources = {}
    for line in open(os.path.join(rec, "group-versions.jsonl"), encoding="utf-8"):
        if not line.strip():
            continue
        doc = json.loads(line)
        rs = resources.setdefault(doc["groupVersion"], {})
        subs = {}
        for r in doc["resources"]:
            name = r["name"]
            if "/" in name:
                parent, sub = name.split("/", 1)
                subs.setdefault(parent, []).append(sub)
                continue
            rs[name] = {
                "kind": r["kind"],
                "namespaced": r["namespaced"],
                "verbs": sorted(r.get("verbs") or []),
                "shortNames": r.get("shortNames") or [],
                "categories": r.get("categories") or [],
                "subresources": [],
            }
        for parent, s in subs.items():
            if parent in rs:
                rs[parent]["subresources"] = sorted(s)
    apis = json.load(open(os.path.join(rec, "apis.json"), encoding="utf-8"))
    order = ["v1"]
    preferred = {"": "v1"}
    for g in apis["groups"]:
        preferred[g["name"]] = g["preferredVersion"]["version"]
        order += [v["groupVersion"] for v in g["versions"]]
    return order, preferred, resources


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("minor", type=int)
    ap.add_argument("--table", default=TABLE)
    args = ap.parse_args()

    want_order, want_pref, want = real_rows(args.recording)
    have_order, have = table_rows(args.table, args.minor)
    diffs = []
    if want_order != have_order:
        diffs.append(f"group-version order: real {want_order}\n  table {have_order}")
    have_pref = {}
    for gv in have_order:
        group = gv.rsplit("/", 1)[0] if "/" in gv else ""
        have_pref.setdefault(group, gv.rsplit("/", 1)[-1])
    if want_pref != have_pref:
        diffs.append(f"preferred versions: real {want_pref}\n  table {have_pref}")
    for gv in sorted(set(want) | set(have)):
        w, h = want.get(gv, {}), have.get(gv, {})
        for name in sorted(set(w) | set(h)):
            if name not in h:
                diffs.append(f"{gv} {name}: served, missing from the table")
            elif name not in w:
                diffs.append(f"{gv} {name}: in the table, not served")
            elif w[name] != h[name]:
                for key in w[name]:
                    if w[name][key] != h[name][key]:
                        diffs.append(f"{gv} {name} {key}: real {w[name][key]}, table {h[name][key]}")

    def counts(pref, res):
        rows = sum(len(r) for gv, r in res.items()
                   if gv.rsplit("/", 1)[-1] == pref.get(gv.rsplit("/", 1)[0] if "/" in gv else ""))
        return rows, sum(len(r) for r in res.values()), len(res)

    print(f"v1.{args.minor}: real    api-resources rows, resources of all versions, group-versions:",
          *counts(want_pref, want))
    print(f"v1.{args.minor}: table   api-resources rows, resources of all versions, group-versions:",
          *counts(have_pref, have))
    for d in diffs:
        print("DIFF", d)
    print(f"{len(diffs)} difference(s)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
