#!/usr/bin/env python3
"""Regenerates src/sim/auth/bootstrap_policy.jsonl: the kube-apiserver's
bootstrap RBAC policy (the objects its `rbac/bootstrap-roles` post-start hook
creates) for every minor from v1.10 to v1.35.

Upstream keeps the policy as test fixtures that its unit tests compare with
the Go definitions: `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/
testdata/{cluster-roles,cluster-role-bindings,controller-roles,
controller-role-bindings,namespace-roles,namespace-role-bindings}.yaml`.
They are read from each version's module zip (`go mod download -json
k8s.io/kubernetes@vX`). Each distinct object is written once, with the range
of minors it holds for, one JSON line per object:

    {"minors":[FIRST,LAST],"object":{...}}

Usage: scripts/rbac-bootstrap-policy.py  (needs `go` and PyYAML)
"""
import json
import os
import subprocess
import zipfile

import yaml

# The release whose source is read for each minor (v1.22: the seed
# tutorial's patch release; the fixtures do not change within a minor).
RELEASES = {m: f"v1.{m}.0" for m in range(10, 36)}
RELEASES[22] = "v1.22.2"
FILES = [
    "cluster-roles",
    "controller-roles",
    "namespace-roles",
    "cluster-role-bindings",
    "controller-role-bindings",
    "namespace-role-bindings",
]
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "sim", "auth", "bootstrap_policy.jsonl")


def zip_path(release):
    env = dict(os.environ, GOWORK="off", GOTOOLCHAIN="local")
    out = subprocess.run(
        ["go", "mod", "download", "-json", f"k8s.io/kubernetes@{release}"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)["Zip"]


def objects(minor):
    release = RELEASES[minor]
    with zipfile.ZipFile(zip_path(release)) as z:
        for f in FILES:
            path = f"k8s.io/kubernetes@{release}/plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/{f}.yaml"
            for item in yaml.safe_load(z.read(path))["items"]:
                meta = item["metadata"]
                # The fixtures print the zero creationTimestamp; the
                # apiserver sets it when it stores the object.
                meta.pop("creationTimestamp", None)
                yield item


def main():
    # key: canonical JSON of the object -> [first, last] minors (contiguous)
    ranges = []  # list of (object, first, last)
    open_by_key = {}
    for minor in sorted(RELEASES):
        seen = set()
        for obj in objects(minor):
            key = json.dumps(obj, sort_keys=True)
            seen.add(key)
            entry = open_by_key.get(key)
            if entry is not None and entry[2] == minor - 1:
                entry[2] = minor
            else:
                entry = [obj, minor, minor]
                ranges.append(entry)
                open_by_key[key] = entry
    order = {"ClusterRole": 0, "Role": 1, "ClusterRoleBinding": 2, "RoleBinding": 3}
    ranges.sort(key=lambda e: (order[e[0]["kind"]], e[0]["metadata"].get("namespace", ""),
                               e[0]["metadata"]["name"], e[1]))
    with open(OUT, "w") as out:
        for obj, first, last in ranges:
            out.write(json.dumps({"minors": [first, last], "object": obj}, separators=(",", ":")) + "\n")
    print(f"{len(ranges)} objects written to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
