//! Server-side apply's field manager: who owns which fields of an object
//! (`metadata.managedFields`), kept as the kube-apiserver keeps it
//! (`apimachinery/pkg/util/managedfields/internal`: `structuredmerge.go`,
//! `managedfieldsupdater.go`, `stripmeta.go`, `conflict.go`; the set
//! arithmetic of `structured-merge-diff/v4/merge/update.go` and
//! `typed/{compare,merge,tofieldset}.go`).
//!
//! - An update (create, replace, patch, a verb's PUT) compares the live
//!   object with the new one; the writer takes every field it added or
//!   changed, from whoever owned it, and loses fields it removed.
//! - An apply merges the applied configuration into the live object; the
//!   applier owns exactly the configuration's fields; a field another
//!   manager owns whose value would change is a conflict unless forced;
//!   fields the applier applied before and no longer applies, and nobody
//!   else owns, are removed.
//!
//! Stripped from every set: `apiVersion`, `kind` and the metadata the
//! server owns (`stripmeta.go`); `status` on the main resource of kinds
//! whose strategy resets it.

use serde_json::Value;

use super::{
    field_path::{FieldSet, Path, PathElement},
    field_schema::{self, Ty},
};
use k8s_openapi::jiff::Timestamp;

use crate::sim::Kind;

/// `metav1.ManagedFieldsOperationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    Apply,
    Update,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Operation::Apply => "Apply",
            Operation::Update => "Update",
        }
    }
}

/// Who writes: the manager name (`--field-manager`, kubectl's per-command
/// default, or the User-Agent's program name), the request's
/// group-version and subresource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub manager: String,
    pub api_version: String,
    pub subresource: Option<String>,
}

/// One `metav1.ManagedFieldsEntry`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub manager: String,
    pub operation: Operation,
    pub api_version: String,
    pub time: Option<Timestamp>,
    pub subresource: Option<String>,
    pub fields: FieldSet,
}

impl Entry {
    fn same_manager(&self, w: &Writer, op: Operation) -> bool {
        // `BuildManagerIdentifier`: an applier is one manager whatever its
        // version; an updater is one per version and subresource.
        self.manager == w.manager
            && self.operation == op
            && self.subresource == w.subresource
            && (op == Operation::Apply || self.api_version == w.api_version)
    }

    /// `printManager` (`conflict.go`): `"name"`, with ` with subresource
    /// "x"` and, for an updater, ` using <apiVersion>` (the identifier
    /// holds no time).
    fn printed(&self) -> String {
        let mut s = format!("{:?}", self.manager);
        if let Some(sub) = &self.subresource {
            s.push_str(&format!(" with subresource {sub:?}"));
        }
        if self.operation == Operation::Update {
            s.push_str(&format!(" using {}", self.api_version));
        }
        s
    }
}

/// An apply that would change fields others own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflicts(pub Vec<(String, Path)>);

impl Conflicts {
    /// The API server's message (`conflict.go` `getConflictMessage`; the
    /// managers sorted, each one's paths in set order).
    pub fn message(&self) -> String {
        if let [(manager, path)] = self.0.as_slice() {
            return format!("Apply failed with 1 conflict: conflict with {manager}: {path}");
        }
        let mut managers: Vec<&String> = self.0.iter().map(|(m, _)| m).collect();
        managers.sort();
        managers.dedup();
        let mut lines = Vec::new();
        for m in managers {
            lines.push(format!("conflicts with {m}:"));
            for (_, p) in self.0.iter().filter(|(n, _)| n == m) {
                lines.push(format!("- {p}"));
            }
        }
        format!("Apply failed with {} conflicts: {}", self.0.len(), lines.join("\n"))
    }
}

/// An object's managed fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ManagedFields {
    pub entries: Vec<Entry>,
}

/// What a comparison of two objects found.
#[derive(Debug, Default)]
struct Comparison {
    added: FieldSet,
    modified: FieldSet,
    removed: FieldSet,
}

impl ManagedFields {
    /// An update by `writer` from `live` (`None`: a create, compared with
    /// the kind's zero value) to `new`. A kind whose schema is not
    /// modelled is not tracked (`None`).
    pub fn update(
        &mut self,
        kind: Kind,
        live: Option<&Value>,
        new: &Value,
        writer: &Writer,
        now: Timestamp,
    ) -> Option<()> {
        let root = field_schema::root(kind)?;
        let zero = field_schema::zero(root);
        let live = live.unwrap_or(&zero);
        let c = compare(root, live, new);
        let ignored = ignored(kind, writer.subresource.as_deref());
        let taken = c.added.union(&c.modified).recursive_difference(&ignored);
        let taken = strip_meta(&taken);
        let removed = c.removed;
        for e in &mut self.entries {
            e.fields = e.fields.difference(&taken).difference(&removed);
        }
        // `managedFieldsUpdater`: the writer's entry gets the time only
        // when the write took fields.
        if !taken.is_empty() {
            let time = (writer.subresource.as_deref() != Some("scale")).then_some(now);
            match self.entries.iter_mut().find(|e| e.same_manager(writer, Operation::Update)) {
                Some(e) => {
                    e.fields = e.fields.union(&taken);
                    e.time = time;
                }
                None => self.entries.push(Entry {
                    manager: writer.manager.clone(),
                    operation: Operation::Update,
                    api_version: writer.api_version.clone(),
                    time,
                    subresource: writer.subresource.clone(),
                    fields: taken,
                }),
            }
        }
        self.entries.retain(|e| !e.fields.is_empty());
        Some(())
    }

    /// An apply of `config` by `writer` onto `live` (`None`: the object
    /// does not exist). Returns the merged object, or the conflicts when
    /// not forced. `None` for a kind whose schema is not modelled.
    pub fn apply(
        &mut self,
        kind: Kind,
        live: Option<&Value>,
        config: &Value,
        writer: &Writer,
        force: bool,
        now: Timestamp,
    ) -> Option<Result<Value, Conflicts>> {
        let r = self.apply_changes(kind, live, config, writer, force, now)?;
        Some(r.map(|(merged, _)| merged))
    }

    /// [`ManagedFields::apply`], with the fields whose values the apply
    /// adds or changes.
    pub fn apply_changes(
        &mut self,
        kind: Kind,
        live: Option<&Value>,
        config: &Value,
        writer: &Writer,
        force: bool,
        now: Timestamp,
    ) -> Option<Result<(Value, FieldSet), Conflicts>> {
        let root = field_schema::root(kind)?;
        let zero = field_schema::zero(root);
        let live = live.unwrap_or(&zero);
        let ignored = ignored(kind, writer.subresource.as_deref());
        let mut applied = FieldSet::new();
        to_field_set(root, config, &mut Vec::new(), &mut applied);
        let applied = strip_meta(&applied.recursive_difference(&ignored));
        let mut merged = merge(root, Some(live), config);
        let me = self.entries.iter().position(|e| e.same_manager(writer, Operation::Apply));
        let last = me.map(|i| self.entries[i].fields.clone()).unwrap_or_default();
        // `Updater.prune`: what this applier no longer applies and nobody
        // else owns goes.
        for p in last.difference(&applied).paths() {
            let owned_elsewhere =
                self.entries.iter().enumerate().any(|(i, e)| Some(i) != me && e.fields.has(&p.0));
            if !owned_elsewhere {
                remove_path(&mut merged, &p.0);
            }
        }
        let c = compare(root, live, &merged);
        let changed = strip_meta(&c.added.union(&c.modified).recursive_difference(&ignored));
        let mut conflicts = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if Some(i) == me {
                continue;
            }
            for p in e.fields.intersection(&changed).paths() {
                conflicts.push((e.printed(), p));
            }
        }
        if !force && !conflicts.is_empty() {
            return Some(Err(Conflicts(conflicts)));
        }
        for (i, e) in self.entries.iter_mut().enumerate() {
            if Some(i) != me {
                e.fields = e.fields.difference(&changed).difference(&c.removed);
            }
        }
        match me {
            Some(i) => {
                self.entries[i].fields = applied;
                self.entries[i].time = Some(now);
                self.entries[i].api_version = writer.api_version.clone();
            }
            None => self.entries.push(Entry {
                manager: writer.manager.clone(),
                operation: Operation::Apply,
                api_version: writer.api_version.clone(),
                time: Some(now),
                subresource: writer.subresource.clone(),
                fields: applied,
            }),
        }
        self.entries.retain(|e| !e.fields.is_empty());
        Some(Ok((merged, changed)))
    }

    /// The entries as the API server stores them
    /// (`sortEncodedManagedFields`: appliers first, then by time — none
    /// is oldest —, manager, subresource, apiVersion), each a
    /// `ManagedFieldsEntry` JSON object in Go field order.
    pub fn sorted(&self) -> Vec<&Entry> {
        let mut v: Vec<&Entry> = self.entries.iter().collect();
        v.sort_by(|a, b| {
            a.operation
                .cmp(&b.operation)
                .then_with(|| secs(a.time).cmp(&secs(b.time)))
                .then_with(|| a.manager.cmp(&b.manager))
                .then_with(|| a.subresource.cmp(&b.subresource))
                .then_with(|| a.api_version.cmp(&b.api_version))
        });
        v
    }

    /// `metadata.managedFields` as JSON, entries in stored order, fields
    /// in `ManagedFieldsEntry`'s Go order.
    pub fn to_json(&self) -> Vec<Vec<(String, Value)>> {
        self.sorted()
            .into_iter()
            .map(|e| {
                let mut f = vec![
                    ("manager".to_owned(), Value::String(e.manager.clone())),
                    ("operation".to_owned(), Value::String(e.operation.as_str().to_owned())),
                    ("apiVersion".to_owned(), Value::String(e.api_version.clone())),
                ];
                if let Some(t) = e.time {
                    f.push((
                        "time".to_owned(),
                        Value::String(crate::sim::time::time(t).0.to_string()),
                    ));
                }
                f.push(("fieldsType".to_owned(), Value::String("FieldsV1".to_owned())));
                f.push(("fieldsV1".to_owned(), e.fields.to_fields_v1()));
                if let Some(s) = &e.subresource {
                    f.push(("subresource".to_owned(), Value::String(s.clone())));
                }
                f
            })
            .collect()
    }
}

fn secs(t: Option<Timestamp>) -> i64 {
    t.map_or(0, |t| t.as_second())
}

/// The fields a write to `subresource` does not own: the reset `status`
/// of the main resource.
fn ignored(kind: Kind, subresource: Option<&str>) -> FieldSet {
    let mut s = FieldSet::new();
    if subresource.is_none() && field_schema::status_is_reset(kind) {
        s.insert(&Path::fields(&["status"]).0);
    }
    s
}

/// `stripMetaManager`: `apiVersion`, `kind`, `metadata` itself and the
/// server's metadata fields (exact paths, not their subtrees).
fn strip_meta(set: &FieldSet) -> FieldSet {
    let mut strip = FieldSet::new();
    for p in [&["apiVersion"][..], &["kind"], &["metadata"]] {
        strip.insert(&Path::fields(p).0);
    }
    for f in [
        "name",
        "namespace",
        "creationTimestamp",
        "selfLink",
        "uid",
        "clusterName",
        "generation",
        "managedFields",
        "resourceVersion",
    ] {
        strip.insert(&Path::fields(&["metadata", f]).0);
    }
    set.difference(&strip)
}

fn child_type(ty: Ty, key: &str) -> Ty {
    match ty {
        Ty::Struct(s) => field_schema::field(s, key).0,
        // A map's entries are leaves.
        _ => Ty::Leaf,
    }
}

fn is_empty_container(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// Whether a node is compared as one value: a leaf or atomic type, a
/// scalar where a container was expected, or empty on both sides
/// (`emptyPromoteToLeaf`).
fn is_leaf(ty: Ty, l: Option<&Value>, r: Option<&Value>) -> bool {
    let container = |v: Option<&Value>| {
        matches!(
            (ty, v),
            (_, None | Some(Value::Null))
                | (Ty::Struct(_) | Ty::Map, Some(Value::Object(_)))
                | (Ty::ListMap(..) | Ty::ListSet, Some(Value::Array(_)))
        )
    };
    ty == Ty::Leaf
        || !container(l)
        || !container(r)
        || (is_empty_container(l) && is_empty_container(r))
}

/// The key element of a keyed list's item.
fn item_key(keys: &[&str], item: &Value) -> PathElement {
    PathElement::key(
        keys.iter().filter_map(|k| item.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect(),
    )
}

/// `TypedValue.Compare`.
fn compare(ty: Ty, l: &Value, r: &Value) -> Comparison {
    let mut c = Comparison::default();
    compare_at(ty, Some(l), Some(r), &mut Vec::new(), &mut c);
    c
}

fn compare_at(
    ty: Ty,
    l: Option<&Value>,
    r: Option<&Value>,
    path: &mut Vec<PathElement>,
    c: &mut Comparison,
) {
    if is_leaf(ty, l, r) {
        match (l, r) {
            (None, Some(_)) => c.added.insert(path),
            (Some(_), None) => c.removed.insert(path),
            (Some(a), Some(b)) if a != b => c.modified.insert(path),
            _ => {}
        }
        return;
    }
    match (l, r) {
        (None, Some(_)) => c.added.insert(path),
        (Some(_), None) => c.removed.insert(path),
        _ => {}
    }
    match ty {
        Ty::Struct(_) | Ty::Map => {
            let empty = serde_json::Map::new();
            let lm = l.and_then(Value::as_object).unwrap_or(&empty);
            let rm = r.and_then(Value::as_object).unwrap_or(&empty);
            let mut keys: Vec<&String> = lm.keys().chain(rm.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                path.push(PathElement::Field(k.clone()));
                compare_at(child_type(ty, k), lm.get(k), rm.get(k), path, c);
                path.pop();
            }
        }
        Ty::ListMap(keys, item) => {
            let empty = Vec::new();
            let la = l.and_then(Value::as_array).unwrap_or(&empty);
            let ra = r.and_then(Value::as_array).unwrap_or(&empty);
            let mut seen = Vec::new();
            for v in la.iter().chain(ra) {
                let k = item_key(keys, v);
                if seen.contains(&k) {
                    continue;
                }
                seen.push(k.clone());
                let lv = la.iter().find(|x| item_key(keys, x) == k);
                let rv = ra.iter().find(|x| item_key(keys, x) == k);
                path.push(k);
                compare_at(Ty::Struct(item), lv, rv, path, c);
                path.pop();
            }
        }
        Ty::ListSet => {
            let empty = Vec::new();
            let la = l.and_then(Value::as_array).unwrap_or(&empty);
            let ra = r.and_then(Value::as_array).unwrap_or(&empty);
            for v in la.iter().chain(ra) {
                path.push(PathElement::Value(v.clone()));
                match (la.contains(v), ra.contains(v)) {
                    (false, true) => c.added.insert(path),
                    (true, false) => c.removed.insert(path),
                    _ => {}
                }
                path.pop();
            }
        }
        Ty::Leaf => {}
    }
}

/// `TypedValue.ToFieldSet`: the leaves, list items, map entries and empty
/// or null fields of an applied configuration.
fn to_field_set(ty: Ty, v: &Value, path: &mut Vec<PathElement>, out: &mut FieldSet) {
    match (ty, v) {
        (Ty::Struct(_) | Ty::Map, Value::Object(m)) => {
            for (k, child) in m {
                let cty = child_type(ty, k);
                path.push(PathElement::Field(k.clone()));
                to_field_set(cty, child, path, out);
                let declared = matches!(ty, Ty::Struct(_));
                if is_empty_container(Some(child)) || !declared {
                    out.insert(path);
                }
                path.pop();
            }
        }
        (Ty::ListMap(keys, item), Value::Array(a)) => {
            for x in a {
                path.push(item_key(keys, x));
                out.insert(path);
                to_field_set(Ty::Struct(item), x, path, out);
                path.pop();
            }
        }
        (Ty::ListSet, Value::Array(a)) => {
            for x in a {
                path.push(PathElement::Value(x.clone()));
                out.insert(path);
                path.pop();
            }
        }
        _ => out.insert(path),
    }
}

/// `TypedValue.Merge`: the configuration's values over the live object's;
/// keyed lists merged by key (live items in place, new ones after).
fn merge(ty: Ty, live: Option<&Value>, config: &Value) -> Value {
    let Some(live) = live else { return config.clone() };
    match (ty, live, config) {
        (Ty::Struct(_) | Ty::Map, Value::Object(lm), Value::Object(cm)) => {
            let mut out = lm.clone();
            for (k, cv) in cm {
                let merged = merge(child_type(ty, k), lm.get(k), cv);
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Ty::ListMap(keys, item), Value::Array(la), Value::Array(ca)) => {
            let mut out: Vec<Value> = la
                .iter()
                .map(|lv| {
                    let k = item_key(keys, lv);
                    match ca.iter().find(|cv| item_key(keys, cv) == k) {
                        Some(cv) => merge(Ty::Struct(item), Some(lv), cv),
                        None => lv.clone(),
                    }
                })
                .collect();
            for cv in ca {
                let k = item_key(keys, cv);
                if !la.iter().any(|lv| item_key(keys, lv) == k) {
                    out.push(cv.clone());
                }
            }
            Value::Array(out)
        }
        (Ty::ListSet, Value::Array(la), Value::Array(ca)) => {
            let mut out = la.clone();
            out.extend(ca.iter().filter(|v| !la.contains(v)).cloned());
            Value::Array(out)
        }
        _ => config.clone(),
    }
}

/// Removes the node at `path` from `v`, and the maps and lists that
/// removal empties (Go's `omitempty` drops them from the typed object).
fn remove_path(v: &mut Value, path: &[PathElement]) {
    let Some((first, rest)) = path.split_first() else { return };
    if rest.is_empty() {
        match (first, v) {
            (PathElement::Field(f), Value::Object(m)) => {
                m.remove(f);
            }
            (PathElement::Key(k), Value::Array(a)) => a.retain(|x| !key_matches(k, x)),
            (PathElement::Value(val), Value::Array(a)) => a.retain(|x| x != val),
            _ => {}
        }
        return;
    }
    let emptied = |c: &Value| match c {
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    match (first, v) {
        (PathElement::Field(f), Value::Object(m)) => {
            if let Some(child) = m.get_mut(f) {
                remove_path(child, rest);
                if emptied(child) {
                    m.remove(f);
                }
            }
        }
        (PathElement::Key(k), Value::Array(a)) => {
            if let Some(child) = a.iter_mut().find(|x| key_matches(k, x)) {
                remove_path(child, rest);
            }
        }
        _ => {}
    }
}

fn key_matches(key: &[(String, Value)], item: &Value) -> bool {
    key.iter().all(|(k, v)| item.get(k) == Some(v))
}

#[cfg(test)]
#[path = "field_manager_tests.rs"]
mod tests;

/// Whether the field manager knows `kind`'s schema.
pub fn tracked(kind: Kind) -> bool {
    field_schema::root(kind).is_some()
}

/// Every field `object` sets, as an applier of all of it would own them.
pub fn fields_of(kind: Kind, object: &Value) -> Option<FieldSet> {
    let root = field_schema::root(kind)?;
    let mut set = FieldSet::new();
    to_field_set(root, object, &mut Vec::new(), &mut set);
    Some(strip_meta(&set))
}

/// The fields a write from `old` to `new` added or changed.
pub fn changed(kind: Kind, old: &Value, new: &Value) -> Option<FieldSet> {
    let root = field_schema::root(kind)?;
    let c = compare(root, old, new);
    Some(strip_meta(&c.added.union(&c.modified)))
}
