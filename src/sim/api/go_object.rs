//! Objects in the JSON field order the API server's Go encoder writes
//! (`k8s.io/api/core/v1/types.go`, `apimachinery/pkg/apis/meta/v1/types.go`):
//! struct fields in declaration order, map keys sorted, `managedFields`
//! with their `FieldsV1` in the field manager's order (`"."`, then path
//! elements). Only the kinds listed in [`encode`] are known; any other is
//! `None`, and callers report it unsupported.

use serde_json::Value;

use super::{field_path::FieldSet, go_json::Json};
use crate::sim::Kind;

/// `metav1.ObjectMeta`, in declaration order.
const OBJECT_META: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
];

/// `object` (its stored JSON) with `managed_fields` as the API server
/// writes it; `in_list` leaves out `kind` and `apiVersion`, as a typed
/// list's items carry no TypeMeta. `None` for a kind whose Go order is
/// not modelled, or a field the order does not know.
pub fn encode(
    kind: Kind,
    object: &Value,
    managed_fields: &[Vec<(String, Value)>],
    in_list: bool,
) -> Option<Json> {
    // The top-level fields after TypeMeta and ObjectMeta.
    let body: &[&str] = match kind {
        // `Namespace`: spec, status.
        Kind::Namespace => &["spec", "status"],
        // `ConfigMap`: immutable, data, binaryData.
        Kind::ConfigMap => &["immutable", "data", "binaryData"],
        _ => return None,
    };
    let obj = object.as_object()?;
    let known = ["kind", "apiVersion", "metadata"];
    if obj.keys().any(|k| !known.contains(&k.as_str()) && !body.contains(&k.as_str())) {
        return None;
    }
    let mut fields = Vec::new();
    if !in_list {
        for k in ["kind", "apiVersion"] {
            fields.push((k.to_owned(), scalar(obj.get(k)?)?));
        }
    }
    fields.push(("metadata".to_owned(), metadata(obj.get("metadata")?, managed_fields)?));
    for k in body {
        if let Some(v) = obj.get(*k) {
            let encoded = match (kind, *k) {
                (Kind::Namespace, "spec") => ordered(v, &["finalizers"])?,
                // `NamespaceCondition`'s order is not modelled.
                (Kind::Namespace, "status") => ordered(v, &["phase"])?,
                _ => sorted(v)?,
            };
            fields.push(((*k).to_owned(), encoded));
        }
    }
    Some(Json::Obj(fields))
}

fn metadata(meta: &Value, managed_fields: &[Vec<(String, Value)>]) -> Option<Json> {
    let Json::Obj(mut fields) = ordered(meta, OBJECT_META)? else { return None };
    if !managed_fields.is_empty() {
        let entries = managed_fields
            .iter()
            .map(|entry| {
                let fields = entry
                    .iter()
                    .map(|(k, v)| {
                        let value = if k == "fieldsV1" { fields_v1(v) } else { scalar(v)? };
                        Some((k.clone(), value))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(Json::Obj(fields))
            })
            .collect::<Option<Vec<_>>>()?;
        fields.push(("managedFields".to_owned(), Json::Arr(entries)));
    }
    Some(Json::Obj(fields))
}

/// A `FieldsV1` tree in the field manager's key order.
fn fields_v1(v: &Value) -> Json {
    let keys = FieldSet::ordered_keys(v);
    Json::Obj(keys.into_iter().map(|k| (k.clone(), fields_v1(&v[&k]))).collect())
}

/// A struct whose fields, in declaration order, are `order`; values are
/// scalars, maps or lists of either.
fn ordered(v: &Value, order: &[&str]) -> Option<Json> {
    let m = v.as_object()?;
    if m.keys().any(|k| !order.contains(&k.as_str())) {
        return None;
    }
    let fields = order
        .iter()
        .filter_map(|k| m.get(*k).map(|x| (k, x)))
        .map(|(k, x)| Some(((*k).to_owned(), sorted(x)?)))
        .collect::<Option<Vec<_>>>()?;
    Some(Json::Obj(fields))
}

/// A value of Go maps (sorted keys), slices and scalars.
fn sorted(v: &Value) -> Option<Json> {
    Some(match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Json::Obj(
                keys.into_iter()
                    .map(|k| Some((k.clone(), sorted(&m[k])?)))
                    .collect::<Option<_>>()?,
            )
        }
        Value::Array(a) => Json::Arr(a.iter().map(sorted).collect::<Option<_>>()?),
        other => scalar(other)?,
    })
}

fn scalar(v: &Value) -> Option<Json> {
    Some(match v {
        Value::String(s) => Json::Str(s.clone()),
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::Num(n.as_i64()?),
        _ => return None,
    })
}
