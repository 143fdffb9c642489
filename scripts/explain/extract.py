#!/usr/bin/env python3
"""Extract the field documentation `kubectl explain` prints, per Kubernetes
minor, into src/kubectl/explain/schemas.json (docs/explain.md).

Sources, per minor (the release sources of k8s.io/kubernetes vX.Y.0):

* api/openapi-spec/swagger.json -- the OpenAPI v2 document, which kubectl
  before v1.27 (and `--output=plaintext-openapiv2` after) reads from
  /openapi/v2;
* api/openapi-spec/v3/*.json -- the OpenAPI v3 documents, one per
  group-version, which kubectl v1.27+ reads from /openapi/v3/<gv>;
* pkg/generated/openapi/zz_generated.openapi.go (v1.24+) -- the enum lists
  and "Possible enum values:" paragraphs.

Why the third: the committed documents are generated with beta features off
(hack/update-openapi-spec.sh), so from v1.24, when the OpenAPIEnums gate is
beta and on by default, they lack what a default apiserver serves: the
server only prunes enums when the gate is off
(k8s.io/apiserver/pkg/util/openapi/enablement.go, pruneEnums). This script
restores them from the generated definitions. v1.23's documents were
generated with alpha features on, so they carry enums a default v1.23
server (gate alpha, off) prunes; this script prunes them the same way.

Output: one JSON document with a string table (descriptions are stored
once for all minors), a table of unique definitions and, per document kind
("v2" / "v3") and minor, the list of definitions served. Each definition is
[name, [[group, version, kind], ...], node]; a node is a JSON object with
the keys kubectl's explain reads: d (description, string index), t (type),
r (referenced definition), i (items), a (additionalProperties), o (allOf),
p (properties, [[name, node], ...] in document order), q (required),
e (enum), f (format).
"""

import argparse
import glob
import hashlib
import json
import os
import re
import sys

SRC = "/work/k8s-src"
ENUM_HEADER = "Possible enum values:"


def go_string(lit):
    """The value of a Go interpreted string literal (with quotes)."""
    return json.loads(lit)


def schema_key_from_func(func):
    # schema_k8sio_api_core_v1_PodSpec -> api_core_v1_PodSpec
    assert func.startswith("schema_"), func
    return func[len("schema_"):]


def schema_key_from_def(name):
    # io.k8s.api.core.v1.PodSpec -> k8sio_api_core_v1_PodSpec
    # (kube-openapi names the function after the Go package path with
    # '.', '-' dropped or turned to '_'; compare in that normal form)
    parts = name.split(".")
    if parts[0] == "io" and parts[1] == "k8s":
        rest = "k8sio_" + "_".join(parts[2:])
    else:
        rest = "_".join(parts)
    return rest.replace("-", "_")


STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`')


def generated_enums(path):
    """(func key, path tuple) -> {"description": str|None, "enum": list|None}
    from zz_generated.openapi.go."""
    out = {}
    func = None
    stack = []
    pending = None  # (label, text) while an Enum literal spans lines
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            m = re.match(r"^func (schema_\w+)\(ref common\.ReferenceCallback\) common\.OpenAPIDefinition \{$", line)
            if m:
                func = schema_key_from_func(m.group(1))
                stack = []
                continue
            if func is None:
                continue
            if pending is not None:
                line = pending + " " + line
                pending = None
            if line.startswith("Enum:"):
                end = balanced_end(line)
                if end is None:
                    pending = line
                    continue
                record_enum(out, func, stack, line[:end])
                # what follows the literal (`},` closing SchemaProps) still
                # moves the stack
                line = line[end:].lstrip(",").strip()
                if not line:
                    continue
            if line.startswith("Description:"):
                lit = line[len("Description:"):].strip().rstrip(",")
                desc = go_string(lit)
                if ENUM_HEADER in desc:
                    key = (func, schema_path(stack))
                    out.setdefault(key, {})["description"] = desc
                continue
            stripped = STRING_RE.sub('""', line)
            m = re.match(r'^"([^"]*)": \{', line)
            label = m.group(1) if m else None
            if label is None:
                m = re.match(r"^(\w+):", line)
                label = ":" + m.group(1) if m else ":"
            for ch in stripped:
                if ch == "{":
                    stack.append(label)
                    label = ":"
                elif ch == "}":
                    stack.pop()
                    if not stack:
                        func = None
                        break
    return out


def balanced_end(line):
    """The end of the first brace-balanced literal in `line`, or None."""
    stripped = STRING_RE.sub(lambda m: "_" * len(m.group(0)), line)
    start = stripped.index("interface{}") + len("interface{}")
    depth = 0
    for i, ch in enumerate(stripped[start:], start):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def schema_path(stack):
    """The schema path of the innermost SchemaProps: property names and
    'items' / 'additionalProperties' steps."""
    path = []
    for i, label in enumerate(stack):
        prev = stack[i - 1] if i else None
        if prev == ":Properties" and not label.startswith(":"):
            path.append(("p", label))
        elif label == ":Items":
            path.append(("i",))
        elif label == ":AdditionalProperties":
            path.append(("a",))
    return tuple(path)


def record_enum(out, func, stack, text):
    body = text[len("Enum:"):].strip()
    assert body.startswith("[]interface{}{") and body.endswith("}"), body
    inner = body[len("[]interface{}{"):-1]
    values = []
    for tok in re.findall(r'"(?:[^"\\]|\\.)*"|[^,\s]+', inner):
        if tok.startswith('"'):
            values.append(go_string(tok))
        else:
            raise SystemExit("non-string enum value %r in %s" % (tok, func))
    out.setdefault((func, schema_path(stack)), {})["enum"] = values


def node_at(defn, path):
    node = defn
    for step in path:
        if step[0] == "p":
            node = node["properties"][step[1]]
        elif step[0] == "i":
            node = node["items"]
        else:
            node = node["additionalProperties"]
    return node


def restore_enums(defs, enums, minor, kind):
    by_key = {schema_key_from_def(n): n for n in defs}
    restored = 0
    for (func, path), what in enums.items():
        name = by_key.get(func)
        if name is None:
            # a definition the document does not carry (a type no served
            # group-version uses); nothing to restore
            continue
        node = node_at(defs[name], path)
        full = what.get("description")
        if full is not None:
            pruned = full[: full.index(ENUM_HEADER)].strip()
            have = node.get("description", "")
            # the committed documents cut the paragraph off with or without
            # trimming the blank line before it
            if have not in (pruned, full[: full.index(ENUM_HEADER)]):
                raise SystemExit(
                    "v1.%d %s %s %s: description %r is not the pruned %r" % (minor, kind, name, path, have, pruned)
                )
            node["description"] = full
        if "enum" in what:
            if "enum" in node:
                raise SystemExit("v1.%d %s %s %s already has an enum" % (minor, kind, name, path))
            node["enum"] = what["enum"]
        restored += 1
    return restored


def prune_enums(schema):
    """pruneEnums of k8s.io/apiserver/pkg/util/openapi/enablement.go."""
    if isinstance(schema, dict):
        d = schema.get("description")
        if isinstance(d, str) and ENUM_HEADER in d:
            schema["description"] = d[: d.index(ENUM_HEADER)].strip()
        schema.pop("enum", None)
        for k, v in schema.items():
            if k in ("properties", "definitions") and isinstance(v, dict):
                for sub in v.values():
                    prune_enums(sub)
            elif k in ("items", "additionalProperties"):
                prune_enums(v)
            elif k in ("allOf", "oneOf", "anyOf"):
                for sub in v:
                    prune_enums(sub)


class Interner:
    def __init__(self):
        self.strings = []
        self.index = {}

    def add(self, s):
        i = self.index.get(s)
        if i is None:
            i = len(self.strings)
            self.strings.append(s)
            self.index[s] = i
        return i


def ref_name(ref):
    return ref.rsplit("/", 1)[-1]


class Nodes:
    """Reduced schemas, each stored once; a node refers to its children by
    index, so a field unchanged across minors costs one entry."""

    def __init__(self, strings):
        self.strings = strings
        self.nodes = []
        self.index = {}

    def add(self, schema):
        """The index of the parts of `schema` kubectl explain reads."""
        out = {}
        if "description" in schema:
            out["d"] = self.strings.add(schema["description"])
        t = schema.get("type")
        if t is not None:
            if isinstance(t, list):
                raise SystemExit("multi-type schema %r" % (t,))
            out["t"] = t
        if "format" in schema:
            out["f"] = schema["format"]
        if "$ref" in schema:
            out["r"] = ref_name(schema["$ref"])
        if "items" in schema:
            out["i"] = self.add(schema["items"])
        ap = schema.get("additionalProperties")
        if isinstance(ap, dict):
            out["a"] = self.add(ap)
        elif ap is True:
            out["a"] = True
        if "allOf" in schema:
            out["o"] = [self.add(s) for s in schema["allOf"]]
        if "properties" in schema:
            out["p"] = [[k, self.add(v)] for k, v in schema["properties"].items()]
        if "required" in schema:
            out["q"] = schema["required"]
        if "enum" in schema:
            out["e"] = schema["enum"]
        key = json.dumps(out, sort_keys=True)
        i = self.index.get(key)
        if i is None:
            i = len(self.nodes)
            self.nodes.append(out)
            self.index[key] = i
        return i


def gvks(schema):
    return [[g.get("group", ""), g["version"], g["kind"]] for g in schema.get("x-kubernetes-group-version-kind", [])]


def v2_definitions(minor):
    doc = json.load(open(os.path.join(SRC, "v1.%d.0" % minor, "api/openapi-spec/swagger.json")))
    return doc["definitions"]


def v3_definitions(minor):
    merged = {}
    for path in sorted(glob.glob(os.path.join(SRC, "v1.%d.0" % minor, "api/openapi-spec/v3/*.json"))):
        doc = json.load(open(path))
        for name, schema in doc.get("components", {}).get("schemas", {}).items():
            if name in merged and merged[name] != schema:
                raise SystemExit("v1.%d: %s differs between v3 documents" % (minor, name))
            merged[name] = schema
    return merged


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--v2", default="10-35", help="minors whose OpenAPI v2 document to keep")
    ap.add_argument("--v3", default="27-35", help="minors whose OpenAPI v3 documents to keep")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../src/kubectl/explain/schemas.json"))
    args = ap.parse_args()

    def minors(spec):
        a, b = spec.split("-")
        return range(int(a), int(b) + 1)

    strings = Interner()
    nodes = Nodes(strings)
    defs = []  # unique [name, gvks, node]
    def_index = {}
    docs = {}
    for kind, span, load in (("v2", minors(args.v2), v2_definitions), ("v3", minors(args.v3), v3_definitions)):
        for minor in span:
            raw = load(minor)
            zz = os.path.join(SRC, "v1.%d.0" % minor, "pkg/generated/openapi/zz_generated.openapi.go")
            if minor == 23:
                for schema in raw.values():
                    prune_enums(schema)
            elif minor >= 24:
                if not os.path.exists(zz):
                    raise SystemExit("v1.%d: %s missing" % (minor, zz))
                n = restore_enums(raw, generated_enums(zz), minor, kind)
                print("v1.%d %s: restored %d enum schemas" % (minor, kind, n), file=sys.stderr)
            ids = []
            for name in sorted(raw):
                entry = [name, gvks(raw[name]), nodes.add(raw[name])]
                key = hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
                i = def_index.get(key)
                if i is None:
                    i = len(defs)
                    defs.append(entry)
                    def_index[key] = i
                ids.append(i)
            docs["%s/%d" % (kind, minor)] = ids
    out = {
        "comment": "Generated by scripts/explain/extract.py (docs/explain.md); do not edit.",
        "strings": strings.strings,
        "nodes": nodes.nodes,
        "definitions": defs,
        "documents": docs,
    }
    with open(args.out, "w") as f:
        f.write("{\n")
        f.write('"comment": %s,\n' % json.dumps(out["comment"]))
        f.write('"documents": {\n')
        f.write(",\n".join("%s: %s" % (json.dumps(k), json.dumps(v, separators=(",", ":"))) for k, v in docs.items()))
        f.write("\n},\n")
        f.write('"strings": [\n')
        f.write(",\n".join(json.dumps(s, ensure_ascii=False) for s in strings.strings))
        f.write("\n],\n")
        f.write('"nodes": [\n')
        f.write(",\n".join(json.dumps(n, separators=(",", ":"), ensure_ascii=False) for n in nodes.nodes))
        f.write("\n],\n")
        f.write('"definitions": [\n')
        f.write(",\n".join(json.dumps(d, separators=(",", ":"), ensure_ascii=False) for d in defs))
        f.write("\n]\n}\n")
    print(
        "%d strings, %d nodes, %d definitions, %d documents, %d bytes"
        % (len(strings.strings), len(nodes.nodes), len(defs), len(docs), os.path.getsize(args.out)),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
