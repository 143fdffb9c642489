#!/usr/bin/env python3
"""Extract the resources a default kube-apiserver serves, per Kubernetes minor.

Writes `src/sim/api/discovery/served.tsv` (see docs/discovery.md). Python 3,
standard library only; needs `go` on PATH to fetch release sources from the
Go module proxy (`go mod download`, which caches under GOMODCACHE).

For each minor it reads, from the k8s.io/kubernetes module zip of one release:

- `api/openapi-spec/swagger.json`: every REST path of every group-version the
  code can serve. `hack/update-openapi-spec.sh` generates it with
  `--runtime-config=api/all=true` (and, from v1.22, alpha feature gates on),
  so it is an upper bound: paths give resource, scope, verbs
  (`x-kubernetes-action`), kind (`x-kubernetes-group-version-kind`) and
  subresources.
- the default enablement, `DefaultAPIResourceConfigSource` in
  `pkg/master/master.go` (<= v1.19) or `pkg/controlplane/instance.go`
  (v1.20+): `EnableVersions`/`DisableVersions`/`EnableResources`/
  `DisableResources`, with the KEP-3136 lists (`stableAPIGroupVersions-
  EnabledByDefault`, `legacyBetaEnabledByDefaultResources`, `beta...`/
  `alphaAPIGroupVersionsDisabledByDefault`) from v1.24. A group-version the
  config does not enable is not served (apiserver `ResourceConfig`: an
  explicit resource setting wins over its version's). apiextensions.k8s.io
  and apiregistration.k8s.io are served by their own servers, whose defaults
  enable every non-alpha version they have.
- the aggregator's `apiVersionPriorities` (`cmd/kube-apiserver/app/
  aggregator.go`, later `pkg/controlplane/apiserver/aggregator.go`): group
  order in `/apis` and version order within a group (the first served
  version is the preferred one).
- `ShortNames()` and `Categories()` of each resource's REST storage under
  `pkg/registry/`, and in the k8s.io/apiextensions-apiserver and
  k8s.io/kube-aggregator modules of the same release (v0.MINOR.PATCH; those
  modules are not on the proxy before v0.17, so CRD and APIService rows of
  older minors carry v1.17's short names and categories, reported below).

From v1.28 the release also commits the discovery documents the same
generation run served (`api/discovery/*.json`); the script checks every
row it derives for a served group-version against them and fails on any
difference.

Usage: scripts/discovery/extract.py [--out PATH] [--minors 10-35]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import zipfile

# One release per minor: x.y.0, except v1.22.2 (the release kubeplay's seed
# tutorial ran, already the project's default).
RELEASES = {m: f"v1.{m}.0" for m in range(10, 36)}
RELEASES[22] = "v1.22.2"

VERB_OF_ACTION = {
    "get": "get",
    "list": "list",
    "watch": "watch",
    "watchlist": "watch",
    "post": "create",
    "put": "update",
    "patch": "patch",
    "delete": "delete",
    "deletecollection": "deletecollection",
}

# Groups served by kube-apiserver's delegates with their own defaults.
SELF_DEFAULTED = {"apiextensions.k8s.io", "apiregistration.k8s.io"}


def go_download(module, version):
    env = dict(os.environ, GOWORK="off", GOTOOLCHAIN="local", GOFLAGS="-mod=mod")
    out = subprocess.run(
        ["go", "mod", "download", "-json", f"{module}@{version}"],
        capture_output=True, text=True, env=env, cwd="/",
    )
    info = json.loads(out.stdout or "{}")
    if info.get("Error") or not info.get("Zip"):
        return None
    return info["Zip"]


class Tree:
    """Files of one module zip, by path inside the module."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        names = self.zip.namelist()
        self.prefix = names[0].split("/", 1)[0] + "/"
        if "@" not in self.prefix:  # k8s.io/kubernetes@v1.22.2/...
            self.prefix = "/".join(names[0].split("/")[:2]) + "/"
        self.names = [n[len(self.prefix):] for n in names if n.startswith(self.prefix)]

    def read(self, path):
        try:
            return self.zip.read(self.prefix + path).decode()
        except KeyError:
            return None

    def under(self, folder, suffix=".go"):
        return [n for n in self.names if n.startswith(folder) and n.endswith(suffix)
                and not n.endswith("_test.go")]


def group_key(group):
    """The `k8s.io/api/<dir>` folder name of a group."""
    if group == "":
        return "core"
    if group == "internal.apiserver.k8s.io":
        return "apiserverinternal"
    return group.split(".")[0]


# --- swagger.json -----------------------------------------------------------

PATH_RE = re.compile(r"^/(?:api/(v1)|apis/([^/]+)/([^/]+))/(.*)$")


def resources_from_swagger(swagger):
    """{(group, version, resource): facts} for every path in the spec."""
    found = {}
    for path, item in swagger["paths"].items():
        m = PATH_RE.match(path)
        if not m:
            continue
        group, version = ("", "v1") if m.group(1) else (m.group(2), m.group(3))
        rest = m.group(4)
        if rest.startswith("watch/"):
            rest = rest[len("watch/"):]
        namespaced = False
        if rest.startswith("namespaces/{namespace}/"):
            namespaced = True
            rest = rest[len("namespaces/{namespace}/"):]
        segs = rest.split("/")
        if not segs[0] or segs[0].startswith("{"):
            continue
        r = found.setdefault((group, version, segs[0]), {
            "namespaced": False, "verbs": set(), "kinds": {}, "subresources": set()})
        if len(segs) >= 3:
            r["subresources"].add(segs[2])
            continue
        r["namespaced"] |= namespaced
        for method, op in item.items():
            if not isinstance(op, dict) or "x-kubernetes-action" not in op:
                continue
            action = op["x-kubernetes-action"]
            verb = VERB_OF_ACTION.get(action)
            if verb:
                r["verbs"].add(verb)
            gvk = op.get("x-kubernetes-group-version-kind")
            if gvk and verb in ("get", "create", "update", "list"):
                r["kinds"].setdefault(verb, gvk["kind"])
    out = {}
    for key, r in found.items():
        kinds = r["kinds"]
        kind = kinds.get("get") or kinds.get("create") or kinds.get("update") or kinds.get("list")
        if not kind or not r["verbs"]:
            continue
        out[key] = {
            "namespaced": r["namespaced"],
            "verbs": sorted(r["verbs"]),
            "kind": kind,
            "subresources": sorted(r["subresources"]),
        }
    return out


# --- default enablement -------------------------------------------------------

IMPORT_RE = re.compile(
    r'^\s*(\w+)?\s*"k8s\.io/(?:api|kubernetes/pkg/apis)/(\w+)/(v\w+)"', re.M)
ITEM_RE = re.compile(r'(\w+)\.SchemeGroupVersion(?:\.WithResource\("([\w-]+)"\))?')
CALL_RE = re.compile(r"ret\.(EnableVersions|DisableVersions|EnableResources|DisableResources)\(")


def strip_comments(text):
    return re.sub(r"//[^\n]*", "", text)


def call_args(text, start):
    """The text between the `(` at start-1 and its matching `)`."""
    depth, i = 1, start
    while depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    return text[start:i - 1]


def enablement(tree, swagger_groups):
    """[(op, group, version, resource|None)] in the order the config applies."""
    for path in ("pkg/controlplane/instance.go", "pkg/master/master.go"):
        text = tree.read(path)
        if text and "func DefaultAPIResourceConfigSource" in text:
            source = path
            break
    else:
        raise SystemExit("DefaultAPIResourceConfigSource not found")
    text = strip_comments(text)
    group_of_dir = {group_key(g): g for g in swagger_groups}
    aliases = {}
    for alias, gdir, version in IMPORT_RE.findall(text):
        # None: the code no longer serves that group (extensions in v1.22).
        aliases[alias or version] = (group_of_dir.get(gdir), version)
    body = text[text.index("func DefaultAPIResourceConfigSource"):]
    body = body[:body.index("\n}\n")]
    ops = []
    for m in CALL_RE.finditer(body):
        args = call_args(body, m.end())
        spread = re.fullmatch(r"\s*(\w+)\.\.\.\s*", args)
        if spread:
            var = re.search(spread.group(1) + r"\s*=\s*\[\]schema\.\w+\{", text)
            args = call_args(text.replace("{", "(").replace("}", ")"), var.end())
        for alias, resource in ITEM_RE.findall(args):
            if alias not in aliases:
                raise SystemExit(f"{source}: unknown import alias {alias}")
            group, version = aliases[alias]
            if group is None:
                continue
            ops.append((m.group(1), group, version, resource or None))
    return source, ops


def enabled(ops, group, version, resource):
    if group in SELF_DEFAULTED:
        return "alpha" not in version
    versions, resources = {}, {}
    for op, g, v, r in ops:
        on = op.startswith("Enable")
        if r is None:
            versions[(g, v)] = on
        else:
            resources[(g, v, r)] = on
    if (group, version, resource) in resources:
        return resources[(group, version, resource)]
    return versions.get((group, version), False)


# --- group and version priorities ---------------------------------------------

PRIORITY_RE = re.compile(
    r'\{Group:\s*"([^"]*)",\s*Version:\s*"([^"]+)"\}:\s*\{[Gg]roup:\s*(\d+),\s*[Vv]ersion:\s*(\d+)\}')


def priorities(tree):
    """From v1.31 the table is split: generic groups in pkg/controlplane/apiserver,
    the rest in cmd/kube-apiserver/app; both are read."""
    table, paths = {}, []
    for path in ("pkg/controlplane/apiserver/aggregator.go", "cmd/kube-apiserver/app/aggregator.go"):
        text = tree.read(path)
        if text and PRIORITY_RE.search(text):
            paths.append(path)
            for g, v, gp, vp in PRIORITY_RE.findall(strip_comments(text)):
                table[(g, v)] = (int(gp), int(vp))
    if not table:
        raise SystemExit("apiVersionPriorities not found")
    return " + ".join(paths), table


# --- short names and categories -------------------------------------------------

RESOURCE_RE = re.compile(r'DefaultQualifiedResource:\s*(?:[\w.]*Resource\("([\w-]+)"\)|(\w+))')
LIST_FN_RE = re.compile(
    r"func \(\w* ?\*?(\w+)\) (ShortNames|Categories)\(\) \[\]string \{\s*return \[\]string\{([^}]*)\}")


def registry_facts(trees, known_plurals):
    """{(registry dir, plural): {"ShortNames": [...], "Categories": [...]}}."""
    facts = {}
    for tree, folder in trees:
        dirs = {}
        for name in tree.under(folder):
            dirs.setdefault(os.path.dirname(name), []).append(tree.read(name))
        for d, texts in dirs.items():
            text = "\n".join(texts)
            plurals = set()
            for literal, var in RESOURCE_RE.findall(text):
                if var:  # `DefaultQualifiedResource: groupResource`
                    m = re.search(var + r'\s*:?=\s*[\w.]*Resource\("([\w-]+)"\)', text)
                    literal = m and m[1]
                if literal:
                    plurals.add(literal)
            if not plurals:  # a hand-written REST: componentstatus/ serves componentstatuses
                base = os.path.basename(d)
                plurals = {p for p in known_plurals if p in (base, base + "s", base + "es")}
            plurals = sorted(plurals)
            lists = LIST_FN_RE.findall(text)
            if not lists:
                continue
            if len(plurals) != 1:
                raise SystemExit(f"{d}: cannot tell which resource of {plurals} has {lists}")
            entry = facts.setdefault((d, plurals[0]), {"ShortNames": [], "Categories": []})
            for _typ, fn, items in lists:
                entry[fn] = re.findall(r'"([^"]*)"', items)
    by_plural = {}
    for (d, plural), entry in facts.items():
        by_plural.setdefault(plural, []).append((d, entry))
    return by_plural


def lists_for(by_plural, group, plural):
    candidates = by_plural.get(plural, [])
    if not candidates:
        return [], []
    distinct = {json.dumps(e, sort_keys=True) for _, e in candidates}
    if len(distinct) > 1:
        key = group_key(group)
        candidates = [c for c in candidates if f"/{key}/" in f"/{c[0]}/"] or candidates
    entry = candidates[0][1]
    return entry["ShortNames"], entry["Categories"]


# --- one release ----------------------------------------------------------------

def extract(minor, notes):
    release = RELEASES[minor]
    zpath = go_download("k8s.io/kubernetes", release)
    if not zpath:
        raise SystemExit(f"cannot download k8s.io/kubernetes@{release}")
    tree = Tree(zpath)
    swagger = json.loads(tree.read("api/openapi-spec/swagger.json"))
    spec = resources_from_swagger(swagger)
    groups = {g for g, _, _ in spec}
    config_source, ops = enablement(tree, groups)
    prio_source, prio = priorities(tree)

    trees = [(tree, "pkg/registry/")]
    staging = f"v0.{minor}.{release.rsplit('.', 1)[1]}"
    for module, folder in (("k8s.io/apiextensions-apiserver", "pkg/registry/"),
                           ("k8s.io/kube-aggregator", "pkg/registry/")):
        z = go_download(module, staging) if minor >= 17 else None
        if not z:
            z = go_download(module, "v0.17.0")
            notes.setdefault(f"{module} is not on the module proxy; the short names and "
                             "categories of its resources are v0.17.0's (unconfirmed)", []).append(minor)
        trees.append((Tree(z), folder))
    by_plural = registry_facts(trees, {r for _, _, r in spec})

    rows = []
    served_gvs = set()
    for (group, version, resource), facts in sorted(spec.items()):
        if not enabled(ops, group, version, resource):
            continue
        served_gvs.add((group, version))
        short, cats = lists_for(by_plural, group, resource)
        rows.append((group, version, resource, facts["kind"], facts["namespaced"],
                     facts["verbs"], short, cats, facts["subresources"]))
    gv_rows = []
    for group, version in sorted(served_gvs):
        if group == "apiregistration.k8s.io":
            # The aggregator's own group: first in /apis, v1 before v1beta1.
            gp, vp = 20000, 15 if version == "v1" else 9
        elif (group, version) not in prio:
            raise SystemExit(f"v1.{minor}: no priority for {group}/{version}")
        else:
            gp, vp = prio[(group, version)]
        gv_rows.append((group, version, gp, vp))
    check_against_discovery(tree, minor, rows, served_gvs)
    sources = {"release": release, "config": config_source, "priorities": prio_source}
    return rows, gv_rows, sources


def check_against_discovery(tree, minor, rows, served_gvs):
    """From v1.28: every derived row equals the committed discovery document."""
    if not tree.read("api/discovery/api__v1.json"):
        return
    for group, version in served_gvs:
        name = "api__v1.json" if group == "" else f"apis__{group}__{version}.json"
        doc = json.loads(tree.read("api/discovery/" + name))
        want = {}
        for r in doc["resources"]:
            if "/" in r["name"]:
                continue
            if r.get("singularName") and r["singularName"] != r["kind"].lower():
                raise SystemExit(f"v1.{minor}: singular {r['singularName']} of {r['kind']}")
            want[r["name"]] = (r["kind"], r["namespaced"], sorted(r["verbs"]),
                               r.get("shortNames", []), r.get("categories", []))
        have = {row[2]: (row[3], row[4], row[5], row[6], row[7])
                for row in rows if (row[0], row[1]) == (group, version)}
        if want != have:
            for k in sorted(set(want) | set(have)):
                if want.get(k) != have.get(k):
                    print(f"v1.{minor} {group}/{version} {k}: discovery {want.get(k)} "
                          f"derived {have.get(k)}", file=sys.stderr)
            raise SystemExit(f"v1.{minor}: derived rows differ from api/discovery/{name}")


# --- output --------------------------------------------------------------------

def ranges(minors):
    """[16, 17, 18, 22] -> ["16-18", "22"]."""
    out, start, prev = [], None, None
    for m in sorted(minors):
        if start is None:
            start = prev = m
        elif m == prev + 1:
            prev = m
        else:
            out.append((start, prev))
            start = prev = m
    if start is not None:
        out.append((start, prev))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="src/sim/api/discovery/served.tsv")
    ap.add_argument("--minors", default="10-35")
    args = ap.parse_args()
    lo, hi = (int(x) for x in args.minors.split("-"))
    notes = {}
    by_row = {}
    sources = {}
    for minor in range(lo, hi + 1):
        rows, gv_rows, src = extract(minor, notes)
        sources[minor] = src
        for row in gv_rows:
            line = "G\t" + "\t".join(str(x) for x in row)
            by_row.setdefault(line, []).append(minor)
        for g, v, res, kind, ns, verbs, short, cats, subs in rows:
            line = "\t".join(["R", g or "-", v, res, kind, "true" if ns else "false",
                              ",".join(verbs), ",".join(short) or "-", ",".join(cats) or "-",
                              ",".join(subs) or "-"])
            by_row.setdefault(line, []).append(minor)
        print(f"v1.{minor} ({src['release']}): {len(rows)} resources, "
              f"{len(gv_rows)} group-versions", file=sys.stderr)
    out = []
    for line, minors in by_row.items():
        for a, b in ranges(minors):
            out.append((line.split("\t", 1)[0], line.split("\t")[1], line, a, b))
    out.sort(key=lambda t: (t[0], t[2], t[3]))
    with open(args.out, "w") as f:
        f.write("# Resources served by a default kube-apiserver, per Kubernetes minor.\n")
        f.write("# Generated by scripts/discovery/extract.py (docs/discovery.md); do not edit.\n")
        f.write("# Sources, per minor: api/openapi-spec/swagger.json (paths, scope, verbs,\n")
        f.write("# kinds, subresources), DefaultAPIResourceConfigSource (enablement),\n")
        f.write("# apiVersionPriorities (group order, preferred version), ShortNames() and\n")
        f.write("# Categories() under pkg/registry/ and in apiextensions-apiserver and\n")
        f.write("# kube-aggregator. Releases read:\n")
        for minor, src in sources.items():
            f.write(f"#   v1.{minor}: k8s.io/kubernetes@{src['release']} "
                    f"({src['config']}, {src['priorities']})\n")
        for note, minors in notes.items():
            span = ", ".join(f"v1.{a}-v1.{b}" if a != b else f"v1.{a}" for a, b in ranges(minors))
            f.write(f"# Note ({span}): {note}\n")
        f.write("# Columns (tab-separated; '-' is empty):\n")
        f.write("#   G first last group version group-priority version-priority\n")
        f.write("#   R first last group version resource kind namespaced verbs shortnames "
                "categories subresources\n")
        for kind, _, line, a, b in out:
            rec, rest = line.split("\t", 1)
            if rec == "G":
                g, rest2 = rest.split("\t", 1)
                rest = (g or "-") + "\t" + rest2
            f.write(f"{rec}\t{a}\t{b}\t{rest}\n")
    print(f"wrote {args.out}: {len(out)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
