//! Sets of field paths, as server-side apply's field manager keeps them
//! (`sigs.k8s.io/structured-merge-diff/v4/fieldpath`): path elements
//! (`pathelement.go`), the set as a tree of members and children
//! (`set.go`), its `FieldsV1` JSON form (`serialize.go`,
//! `serialize-pe.go`) and the path text conflicts print
//! (`Path.String`).

use std::{cmp::Ordering, collections::BTreeMap, fmt};

use serde_json::Value;

/// One step of a path: a struct field or map key (`f:`), a list item by
/// its key fields (`k:`), a set member by value (`v:`), or a list item by
/// position (`i:`, atomic lists' items are never addressed; kept for
/// completeness of the encoding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathElement {
    /// `f:<name>`.
    Field(String),
    /// `k:{"name":"nginx"}`: the key fields, sorted by name.
    Key(Vec<(String, Value)>),
    /// `v:"kubernetes"`.
    Value(Value),
    /// `i:3`.
    Index(usize),
}

impl PathElement {
    /// A list item's key element from its key fields (sorted by name, as
    /// `value.FieldList.Sort` does).
    pub fn key(mut fields: Vec<(String, Value)>) -> PathElement {
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        PathElement::Key(fields)
    }

    fn rank(&self) -> u8 {
        match self {
            PathElement::Field(_) => 0,
            PathElement::Key(_) => 1,
            PathElement::Value(_) => 2,
            PathElement::Index(_) => 3,
        }
    }

    /// The `FieldsV1` key (`serialize-pe.go` `SerializePathElement`).
    pub fn encode(&self) -> String {
        match self {
            PathElement::Field(name) => format!("f:{name}"),
            PathElement::Key(fields) => {
                let body: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), v))
                    .collect();
                format!("k:{{{}}}", body.join(","))
            }
            PathElement::Value(v) => format!("v:{v}"),
            PathElement::Index(i) => format!("i:{i}"),
        }
    }

    /// The inverse of [`PathElement::encode`].
    pub fn decode(text: &str) -> Option<PathElement> {
        let (prefix, rest) = text.split_once(':')?;
        Some(match prefix {
            "f" => PathElement::Field(rest.to_owned()),
            "k" => match serde_json::from_str::<Value>(rest).ok()? {
                Value::Object(m) => PathElement::key(m.into_iter().collect()),
                _ => return None,
            },
            "v" => PathElement::Value(serde_json::from_str(rest).ok()?),
            "i" => PathElement::Index(rest.parse().ok()?),
            _ => return None,
        })
    }
}

/// `value.Compare`'s order for the scalars keys hold: null, bools,
/// numbers, strings.
fn compare_values(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Array(_) => 4,
            Value::Object(_) => 5,
        }
    }
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => {
            x.as_f64().unwrap_or_default().total_cmp(&y.as_f64().unwrap_or_default())
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)).then_with(|| a.to_string().cmp(&b.to_string())),
    }
}

impl Ord for PathElement {
    /// `PathElement.Compare`: fields, then keys, values, indices.
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PathElement::Field(a), PathElement::Field(b)) => a.cmp(b),
            (PathElement::Key(a), PathElement::Key(b)) => {
                for ((an, av), (bn, bv)) in a.iter().zip(b) {
                    let c = an.cmp(bn).then_with(|| compare_values(av, bv));
                    if c != Ordering::Equal {
                        return c;
                    }
                }
                a.len().cmp(&b.len())
            }
            (PathElement::Value(a), PathElement::Value(b)) => compare_values(a, b),
            (PathElement::Index(a), PathElement::Index(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for PathElement {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `value.ToString`: strings quoted, other scalars as JSON.
fn value_text(v: &Value) -> String {
    v.to_string()
}

impl fmt::Display for PathElement {
    /// `PathElement.String`: `.name`, `[name="nginx"]`, `[="x"]`, `[3]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathElement::Field(name) => write!(f, ".{name}"),
            PathElement::Key(fields) => {
                let parts: Vec<String> =
                    fields.iter().map(|(k, v)| format!("{k}={}", value_text(v))).collect();
                write!(f, "[{}]", parts.join(","))
            }
            PathElement::Value(v) => write!(f, "[={}]", value_text(v)),
            PathElement::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// A path from the object's root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Path(pub Vec<PathElement>);

impl Path {
    /// A path of field names (`["spec", "replicas"]`).
    pub fn fields(names: &[&str]) -> Path {
        Path(names.iter().map(|n| PathElement::Field((*n).to_owned())).collect())
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for pe in &self.0 {
            write!(f, "{pe}")?;
        }
        Ok(())
    }
}

/// A set of paths: at each node, the elements whose path is in the set
/// (`members`) and the subsets below elements (`children`). A path is in
/// the set when its last element is a member of the node its prefix
/// leads to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSet {
    members: BTreeMap<PathElement, ()>,
    children: BTreeMap<PathElement, FieldSet>,
}

impl FieldSet {
    /// The empty set.
    pub fn new() -> FieldSet {
        FieldSet::default()
    }

    /// Whether the set holds no path.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.children.values().all(FieldSet::is_empty)
    }

    /// Adds `path` (the empty path is not a member of anything).
    pub fn insert(&mut self, path: &[PathElement]) {
        match path {
            [] => {}
            [last] => {
                self.members.insert(last.clone(), ());
            }
            [first, rest @ ..] => {
                self.children.entry(first.clone()).or_default().insert(rest);
            }
        }
    }

    /// Whether `path` is in the set.
    pub fn has(&self, path: &[PathElement]) -> bool {
        match path {
            [] => false,
            [last] => self.members.contains_key(last),
            [first, rest @ ..] => self.children.get(first).is_some_and(|c| c.has(rest)),
        }
    }

    /// Every path in the set, in `Set.Iterate`'s order: at each node the
    /// members first, then each child's paths, both in element order.
    pub fn paths(&self) -> Vec<Path> {
        let mut out = Vec::new();
        self.collect(&mut Vec::new(), &mut out);
        out
    }

    fn collect(&self, prefix: &mut Vec<PathElement>, out: &mut Vec<Path>) {
        for pe in self.members.keys() {
            let mut p = prefix.clone();
            p.push(pe.clone());
            out.push(Path(p));
        }
        for (pe, child) in &self.children {
            prefix.push(pe.clone());
            child.collect(prefix, out);
            prefix.pop();
        }
    }

    /// `s ∪ other`.
    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        for p in other.paths() {
            out.insert(&p.0);
        }
        out
    }

    /// `s ∖ other`, path by path (`Set.Difference`).
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet::new();
        for p in self.paths() {
            if !other.has(&p.0) {
                out.insert(&p.0);
            }
        }
        out
    }

    /// `s ∩ other`.
    pub fn intersection(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet::new();
        for p in self.paths() {
            if other.has(&p.0) {
                out.insert(&p.0);
            }
        }
        out
    }

    /// `Set.RecursiveDifference`: without `other`'s paths and everything
    /// below them.
    pub fn recursive_difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet::new();
        for p in self.paths() {
            let covered = (1..=p.0.len()).any(|n| other.has(&p.0[..n]));
            if !covered {
                out.insert(&p.0);
            }
        }
        out
    }

    /// The `FieldsV1` JSON (`Set.ToJSON`): `"."` when a node is both a
    /// member and has children, `{}` for a member without children.
    pub fn to_fields_v1(&self) -> Value {
        self.emit(false)
    }

    fn emit(&self, include_self: bool) -> Value {
        let mut out = serde_json::Map::new();
        let nonempty = !self.members.is_empty() || !self.children.is_empty();
        if include_self && nonempty {
            out.insert(".".to_owned(), Value::Object(serde_json::Map::new()));
        }
        let mut keys: Vec<&PathElement> = self.members.keys().chain(self.children.keys()).collect();
        keys.sort();
        keys.dedup();
        for pe in keys {
            let value = match self.children.get(pe) {
                Some(child) if !child.is_empty() => child.emit(self.members.contains_key(pe)),
                _ => Value::Object(serde_json::Map::new()),
            };
            out.insert(pe.encode(), value);
        }
        Value::Object(out)
    }

    /// The keys of [`FieldSet::to_fields_v1`] in the order the API server
    /// writes them (`"."`, then elements in order), for Go-ordered JSON.
    pub fn ordered_keys(v: &Value) -> Vec<String> {
        let Value::Object(m) = v else { return Vec::new() };
        let mut keys: Vec<(Option<PathElement>, String)> =
            m.keys().map(|k| (PathElement::decode(k), k.clone())).collect();
        keys.sort_by(|a, b| match (&a.0, &b.0) {
            (None, None) => a.1.cmp(&b.1),
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(y),
        });
        keys.into_iter().map(|(_, k)| k).collect()
    }

    /// The set a `FieldsV1` value encodes (`Set.FromJSON`).
    pub fn from_fields_v1(v: &Value) -> Option<FieldSet> {
        let Value::Object(m) = v else { return None };
        let mut set = FieldSet::new();
        for (k, child) in m {
            if k == "." {
                continue;
            }
            let pe = PathElement::decode(k)?;
            let sub = FieldSet::from_fields_v1(child)?;
            let is_member = match child {
                Value::Object(c) => c.is_empty() || c.contains_key("."),
                _ => false,
            };
            if is_member {
                set.members.insert(pe.clone(), ());
            }
            if !sub.is_empty() {
                set.children.insert(pe, sub);
            }
        }
        Some(set)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fields_v1_marks_members_with_children_by_a_dot() {
        let mut s = FieldSet::new();
        let f = |n: &str| PathElement::Field(n.to_owned());
        s.insert(&[f("metadata"), f("labels")]);
        s.insert(&[f("metadata"), f("labels"), f("app")]);
        s.insert(&[f("spec"), f("replicas")]);
        let key = PathElement::key(vec![
            ("protocol".into(), json!("TCP")),
            ("containerPort".into(), json!(80)),
        ]);
        s.insert(&[f("ports"), key.clone()]);
        assert_eq!(
            s.to_fields_v1(),
            json!({"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                   "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {}},
                   "f:spec": {"f:replicas": {}}})
        );
        assert_eq!(FieldSet::from_fields_v1(&s.to_fields_v1()), Some(s.clone()));
        assert_eq!(
            Path(vec![f("spec"), f("containers"), key]).to_string(),
            r#".spec.containers[containerPort=80,protocol="TCP"]"#
        );
    }

    #[test]
    fn iteration_lists_a_nodes_members_before_its_children() {
        let mut s = FieldSet::new();
        let f = |n: &str| PathElement::Field(n.to_owned());
        s.insert(&[f("spec"), f("template"), f("x")]);
        s.insert(&[f("spec"), f("replicas")]);
        s.insert(&[f("metadata"), f("labels"), f("a")]);
        let texts: Vec<String> = s.paths().iter().map(Path::to_string).collect();
        assert_eq!(texts, [".metadata.labels.a", ".spec.replicas", ".spec.template.x"]);
    }
}
