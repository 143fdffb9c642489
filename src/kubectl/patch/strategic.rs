//! Applying a strategic merge patch, as the API server does
//! (`k8s.io/apimachinery/pkg/util/strategicpatch/patch.go` v0.22.2,
//! `StrategicMergeMapPatch` with `MergeParallelList` and
//! `IgnoreUnmatchedNulls`), driven by the field table in [`super::schema`]:
//!
//! - maps merge key by key; `null` deletes a key;
//! - lists replace, unless the field is tagged `patchStrategy:"merge"`:
//!   lists of maps then merge element by element on the `patchMergeKey`
//!   (new elements appended), lists of scalars merge as a set;
//! - directives: `$patch: replace|delete` in a map or a list element,
//!   `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
//!   `$setElementOrder/<field>`;
//! - the merged list is ordered as upstream orders it: elements the patch
//!   names in the patch's order, the others where the live list had them
//!   (`normalizeElementOrder`).
//!
//! Errors carry the status the API server answers with (see
//! `interpretStrategicMergePatchError` in `apiserver/pkg/endpoints/handlers/patch.go`).

use serde_json::{Map, Value};

use super::schema;

/// `$patch`.
const DIRECTIVE: &str = "$patch";
/// `$retainKeys`.
const RETAIN_KEYS: &str = "$retainKeys";
/// `$deleteFromPrimitiveList/<field>`.
const DELETE_FROM_PRIMITIVE_LIST: &str = "$deleteFromPrimitiveList";
/// `$setElementOrder/<field>`.
const SET_ELEMENT_ORDER: &str = "$setElementOrder";

/// Why a strategic merge patch could not be applied, by the status the API
/// server answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmpError {
    /// 400 (`mergepatch.ErrBadPatchFormatFor...`).
    BadRequest(String),
    /// 422 without detail (`mergepatch.ErrNoListOfLists`).
    Unprocessable(String),
    /// Any other error: a 500 whose message is the error's text.
    Internal(String),
}

type Result<T> = std::result::Result<T, SmpError>;

/// Applies `patch` to `original`, an object of API type `ty` (its kind).
pub fn apply(original: Map<String, Value>, patch: Map<String, Value>, ty: &str) -> Result<Value> {
    merge_map(original, patch, ty).map(Value::Object)
}

/// `mergeMap`.
fn merge_map(
    mut original: Map<String, Value>,
    mut patch: Map<String, Value>,
    ty: &str,
) -> Result<Map<String, Value>> {
    if let Some(directive) = patch.get(DIRECTIVE).cloned() {
        return directive_in_map(&directive, patch);
    }
    apply_retain_keys(&mut original, &mut patch)?;
    merge_set_element_order(&mut original, &mut patch, ty)?;
    for (key, patch_value) in patch {
        let (key, is_delete_list) = match key.strip_prefix(DELETE_FROM_PRIMITIVE_LIST) {
            Some(rest) => match rest.strip_prefix('/') {
                Some(field) => (field.to_owned(), true),
                None => return Err(bad_format_primitive_list()),
            },
            None => (key, false),
        };
        if patch_value.is_null() {
            original.remove(&key);
            continue;
        }
        let Some(original_value) = original.remove(&key) else {
            original.insert(key, patch_value);
            continue;
        };
        let merged = match (original_value, patch_value) {
            (Value::Object(o), Value::Object(p)) => {
                let meta = schema::lookup(ty, &key);
                Value::Object(merge_map(o, p, meta.ty)?)
            }
            (Value::Array(o), Value::Array(p)) => {
                let meta = schema::lookup(ty, &key);
                if meta.merge {
                    Value::Array(merge_slice(o, p, meta, is_delete_list)?)
                } else {
                    Value::Array(p)
                }
            }
            (_, p) => p,
        };
        original.insert(key, merged);
    }
    Ok(original)
}

/// `handleDirectiveInMergeMap`.
fn directive_in_map(
    directive: &Value,
    mut patch: Map<String, Value>,
) -> Result<Map<String, Value>> {
    match directive.as_str() {
        Some("replace") => {
            patch.remove(DIRECTIVE);
            Ok(patch)
        }
        Some("delete") => Ok(Map::new()),
        _ => Err(bad_patch_type(directive, &Value::Object(patch))),
    }
}

/// `applyRetainKeysDirective`: keys of the live map not in the list go.
fn apply_retain_keys(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
) -> Result<()> {
    let Some(retain) = patch.remove(RETAIN_KEYS) else { return Ok(()) };
    let Value::Array(retain) = retain else { return Err(bad_format_retain_keys()) };
    let keep = |k: &str| retain.iter().any(|r| r.as_str() == Some(k));
    for (k, v) in patch.iter() {
        if v.is_null()
            || k.starts_with(DELETE_FROM_PRIMITIVE_LIST)
            || k.starts_with(SET_ELEMENT_ORDER)
        {
            continue;
        }
        if !keep(k) {
            return Err(bad_format_retain_keys());
        }
    }
    original.retain(|k, _| keep(k));
    Ok(())
}

/// `mergePatchIntoOriginal`: a `$setElementOrder/<field>` list merges its
/// field and fixes the order of the result.
fn merge_set_element_order(
    original: &mut Map<String, Value>,
    patch: &mut Map<String, Value>,
    ty: &str,
) -> Result<()> {
    let keys: Vec<String> =
        patch.keys().filter(|k| k.starts_with(SET_ELEMENT_ORDER)).cloned().collect();
    for key in keys {
        let order = patch.remove(&key).unwrap_or_default();
        let Value::Array(order) = order else { return Err(bad_arg_type("[]interface {}", &order)) };
        let field = match key.strip_prefix(SET_ELEMENT_ORDER).and_then(|r| r.strip_prefix('/')) {
            Some(f) => f.to_owned(),
            None => {
                return Err(SmpError::BadRequest(
                    "invalid patch format of setElementOrder list".to_owned(),
                ));
            }
        };
        let original_list = match original.get(&field) {
            Some(Value::Array(a)) => Some(a.clone()),
            Some(other) => return Err(bad_arg_type("[]interface {}", other)),
            None => None,
        };
        let patch_list = match patch.get(&field) {
            Some(Value::Array(a)) => Some(a.clone()),
            Some(other) => return Err(bad_arg_type("[]interface {}", other)),
            None => None,
        };
        let meta = schema::lookup(ty, &field);
        validate_set_order(patch_list.as_deref().unwrap_or_default(), &order, meta.merge_key)?;
        let merged = match (original_list.clone(), patch_list.clone()) {
            (Some(o), None) => o,
            (None, Some(p)) => p,
            (Some(o), Some(p)) if meta.merge => merge_slice(o, p, meta, false)?,
            (Some(_), Some(p)) => p,
            (None, None) => continue,
        };
        let element = element_type(&[
            original_list.as_deref().unwrap_or_default(),
            patch_list.as_deref().unwrap_or_default(),
        ])?;
        let (in_order, server_only) = partition(merged, &order, meta.merge_key, element)?;
        let both = normalize_element_order(
            in_order,
            server_only,
            &order,
            original_list.as_deref().unwrap_or_default(),
            meta.merge_key,
            element,
        );
        original.insert(field.clone(), Value::Array(both));
        patch.remove(&field);
    }
    Ok(())
}

/// `validatePatchWithSetOrderList`: the patch list's elements appear in
/// the order list, in the same relative order.
fn validate_set_order(patch: &[Value], order: &[Value], merge_key: &str) -> Result<()> {
    if patch.is_empty() || order.is_empty() {
        return Ok(());
    }
    let non_delete: Vec<&Value> = if merge_key.is_empty() {
        patch.iter().collect()
    } else {
        patch.iter().filter(|v| !is_delete_element(v)).collect()
    };
    let (mut p, mut o) = (0, 0);
    while p < non_delete.len() && o < order.len() {
        if non_delete[p].get(DIRECTIVE).is_some() {
            p += 1;
            continue;
        }
        if merge_key_equal(non_delete[p], &order[o], merge_key)? {
            p += 1;
        }
        o += 1;
    }
    if p < non_delete.len() && o >= order.len() {
        return Err(SmpError::Internal(format!(
            "The order in patch list:\n{}\n doesn't match {SET_ELEMENT_ORDER} list:\n{}\n",
            go_v(&Value::Array(patch.to_vec())),
            go_v(&Value::Array(order.to_vec()))
        )));
    }
    Ok(())
}

fn merge_key_equal(left: &Value, right: &Value, merge_key: &str) -> Result<bool> {
    if merge_key.is_empty() {
        return Ok(left == right);
    }
    let l = left.get(merge_key).ok_or_else(|| no_merge_key(left, merge_key))?;
    let r = right.get(merge_key).ok_or_else(|| no_merge_key(right, merge_key))?;
    Ok(l == r)
}

/// What a list holds, as Go's reflection sees decoded JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Map,
    Scalar(&'static str),
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// `sliceElementType`: every element of every list has one type, not a list.
fn element_type(lists: &[&[Value]]) -> Result<Element> {
    let mut seen: Option<&'static str> = None;
    for v in lists.iter().flat_map(|l| l.iter()) {
        let t = go_type(v);
        match seen {
            None if v.is_array() => {
                return Err(SmpError::Unprocessable("lists of lists are not supported".into()));
            }
            None => seen = Some(t),
            Some(s) if s != t => {
                let all: Vec<Value> = lists.iter().map(|l| Value::Array(l.to_vec())).collect();
                return Err(SmpError::Internal(format!(
                    "list element types are not identical: {}",
                    go_v(&Value::Array(all))
                )));
            }
            Some(_) => {}
        }
    }
    match seen {
        Some("map[string]interface {}") => Ok(Element::Map),
        Some(t) => Ok(Element::Scalar(t)),
        None => Err(SmpError::Internal("no elements in any of the given slices".into())),
    }
}

/// `mergeSlice`.
fn merge_slice(
    original: Vec<Value>,
    patch: Vec<Value>,
    meta: schema::FieldMeta,
    is_delete_list: bool,
) -> Result<Vec<Value>> {
    if original.is_empty() && patch.is_empty() {
        return Ok(original);
    }
    let element = element_type(&[&original, &patch])?;
    let (original, patch, merged) = match element {
        Element::Scalar(_) => {
            if is_delete_list {
                return Ok(original.into_iter().filter(|v| !patch.contains(v)).collect());
            }
            let mut both = original.clone();
            both.extend(patch.iter().cloned());
            (original, patch, deduplicate_scalars(both))
        }
        Element::Map => {
            if meta.merge_key.is_empty() {
                return Err(SmpError::Internal(format!(
                    "cannot merge lists without merge key for {}",
                    meta.ty
                )));
            }
            let (original, patch) = special_elements(original, patch, meta.merge_key)?;
            let merged = merge_elements(original.clone(), &patch, meta)?;
            (original, patch, merged)
        }
    };
    let (in_patch, server_only) = partition(merged, &patch, meta.merge_key, element)?;
    Ok(normalize_element_order(in_patch, server_only, &patch, &original, meta.merge_key, element))
}

/// `mergeSliceWithSpecialElements`: `{$patch: delete, <key>: v}` removes
/// the live elements with that key; `{$patch: replace}` makes the list
/// exactly the patch's other elements.
fn special_elements(
    mut original: Vec<Value>,
    patch: Vec<Value>,
    merge_key: &str,
) -> Result<(Vec<Value>, Vec<Value>)> {
    let mut plain = Vec::new();
    let mut replace = false;
    for v in patch {
        let Some(directive) = v.get(DIRECTIVE) else {
            plain.push(v);
            continue;
        };
        match directive.as_str() {
            Some("delete") => {
                let Some(key) = v.get(merge_key) else { return Err(no_merge_key(&v, merge_key)) };
                original.retain(|o| o.get(merge_key) != Some(key));
            }
            Some("replace") => replace = true,
            Some("merge") => {
                return Err(SmpError::Internal(
                    "merging lists cannot yet be specified in the patch".into(),
                ));
            }
            _ => return Err(bad_patch_type(directive, &v)),
        }
    }
    if replace { Ok((plain, Vec::new())) } else { Ok((original, plain)) }
}

/// `mergeSliceWithoutSpecialElements`: each patch element merges into the
/// live element with the same key, or is appended.
fn merge_elements(
    mut original: Vec<Value>,
    patch: &[Value],
    meta: schema::FieldMeta,
) -> Result<Vec<Value>> {
    for p in patch {
        let Some(key) = p.get(meta.merge_key) else { return Err(no_merge_key(p, meta.merge_key)) };
        let found = original.iter().position(|o| o.get(meta.merge_key) == Some(key));
        match (found, p) {
            (Some(i), Value::Object(pm)) => {
                let om = match std::mem::take(&mut original[i]) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                original[i] = Value::Object(merge_map(om, pm.clone(), meta.ty)?);
            }
            _ => original.push(p.clone()),
        }
    }
    Ok(original)
}

/// Go's `deduplicateScalars`: a later duplicate is overwritten by the last
/// element (which reorders the list; the order is fixed afterwards).
fn deduplicate_scalars(mut s: Vec<Value>) -> Vec<Value> {
    let mut length = s.len() as isize - 1;
    let mut i = 0isize;
    while i < length {
        let mut j = i + 1;
        while j <= length {
            if s[i as usize] == s[j as usize] {
                s[j as usize] = s[length as usize].clone();
                s.truncate(length as usize);
                length -= 1;
                j -= 1;
            }
            j += 1;
        }
        i += 1;
    }
    s
}

/// The identity of a list element: its merge key's value, or itself.
fn identity<'a>(v: &'a Value, merge_key: &str, element: Element) -> Option<&'a Value> {
    match element {
        Element::Map => v.get(merge_key),
        Element::Scalar(_) => Some(v),
    }
}

fn index_of(list: &[Value], v: &Value, merge_key: &str, element: Element) -> Option<usize> {
    let id = identity(v, merge_key, element);
    list.iter().position(|x| identity(x, merge_key, element) == id)
}

/// `partitionMapsByPresentInList` / `partitionPrimitivesByPresentInList`.
fn partition(
    merged: Vec<Value>,
    by: &[Value],
    merge_key: &str,
    element: Element,
) -> Result<(Vec<Value>, Vec<Value>)> {
    let mut present = Vec::new();
    let mut server_only = Vec::new();
    for v in merged {
        if element == Element::Map && v.get(merge_key).is_none() {
            return Err(no_merge_key(&v, merge_key));
        }
        if index_of(by, &v, merge_key, element).is_some() {
            present.push(v);
        } else {
            server_only.push(v);
        }
    }
    Ok((present, server_only))
}

fn is_delete_element(v: &Value) -> bool {
    v.get(DIRECTIVE).and_then(Value::as_str) == Some("delete")
}

/// `normalizeElementOrder`: patch items in the patch's order, server-only
/// items in the live order, interleaved by `mergeSortedSlice`.
fn normalize_element_order(
    patch: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    merge_key: &str,
    element: Element,
) -> Vec<Value> {
    let patch = normalize_slice_order(patch, patch_order, merge_key, element);
    let server_only = normalize_slice_order(server_only, server_order, merge_key, element);
    merge_sorted(server_only, patch, server_order, merge_key, element)
}

/// `normalizeSliceOrder`: a stable sort by position in `order`, with
/// `$patch: delete` elements moved last.
fn normalize_slice_order(
    to_sort: Vec<Value>,
    order: &[Value],
    merge_key: &str,
    element: Element,
) -> Vec<Value> {
    let (mut keep, delete): (Vec<Value>, Vec<Value>) = if element == Element::Map {
        to_sort.into_iter().partition(|v| !is_delete_element(v))
    } else {
        (to_sort, Vec::new())
    };
    keep.sort_by_key(|v| index_of(order, v, merge_key, element).unwrap_or(usize::MAX));
    keep.extend(delete);
    keep
}

/// `mergeSortedSlice`: inserts each `left` item before the first `right`
/// item that comes later in `server_order`, keeping both relative orders.
fn merge_sorted(
    left: Vec<Value>,
    right: Vec<Value>,
    server_order: &[Value],
    merge_key: &str,
    element: Element,
) -> Vec<Value> {
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => {
                let li = index_of(server_order, l, merge_key, element);
                let ri = index_of(server_order, r, merge_key, element);
                matches!((li, ri), (Some(li), Some(ri)) if li < ri)
            }
        };
        let next = if take_left { left.next() } else { right.next() };
        out.extend(next);
    }
    out
}

/// `mergepatch.ErrNoMergeKey`.
fn no_merge_key(m: &Value, key: &str) -> SmpError {
    SmpError::Internal(format!("map: {} does not contain declared merge key: {key}", go_v(m)))
}

/// `mergepatch.ErrBadPatchType`.
fn bad_patch_type(t: &Value, m: &Value) -> SmpError {
    SmpError::Internal(format!("unknown patch type: {} in map: {}", go_v(t), go_v(m)))
}

/// `mergepatch.ErrBadArgType`.
fn bad_arg_type(expected: &str, actual: &Value) -> SmpError {
    let actual = match actual {
        Value::Null => "%!s(<nil>)",
        other => go_type(other),
    };
    SmpError::Internal(format!("expected a {expected}, but received a {actual}"))
}

/// `mergepatch.ErrBadPatchFormatForPrimitiveList`.
fn bad_format_primitive_list() -> SmpError {
    SmpError::BadRequest("invalid patch format of primitive list".into())
}

/// `mergepatch.ErrBadPatchFormatForRetainKeys`.
fn bad_format_retain_keys() -> SmpError {
    SmpError::BadRequest("invalid patch format of retainKeys".into())
}

/// Go's `%v` of a decoded JSON value (`map[k:v ...]` with sorted keys,
/// `[a b]`, `<nil>`).
pub fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => format!(
            "map[{}]",
            m.iter().map(|(k, v)| format!("{k}:{}", go_v(v))).collect::<Vec<_>>().join(" ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn smp(original: Value, patch: Value, ty: &str) -> Result<Value> {
        let (Value::Object(o), Value::Object(p)) = (original, patch) else { panic!("objects") };
        apply(o, p, ty)
    }

    fn deployment(containers: Value) -> Value {
        json!({"spec": {"replicas": 1, "template": {"spec": {"containers": containers}}}})
    }

    #[test]
    fn containers_merge_by_name_and_new_ones_are_added() {
        let original = deployment(json!([
            {"name": "web", "image": "nginx:1.20", "ports": [{"containerPort": 80}]},
            {"name": "log", "image": "busybox"}
        ]));
        let patch = deployment(
            json!([{"name": "web", "image": "nginx:1.21"}, {"name": "side", "image": "redis"}]),
        );
        let out = smp(original, patch, "Deployment").unwrap();
        // mergeSortedSlice takes a patch item whenever the server-only item
        // cannot be compared with it (`side` has no live index), so the new
        // container lands before `log`.
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([
                {"name": "web", "image": "nginx:1.21", "ports": [{"containerPort": 80}]},
                {"name": "side", "image": "redis"},
                {"name": "log", "image": "busybox"}
            ])
        );
    }

    #[test]
    fn patch_items_take_the_patch_order_among_the_live_ones() {
        let original = json!({"spec": {"ports": [{"port": 80, "name": "a"}, {"port": 443, "name": "b"}, {"port": 8080, "name": "c"}]}});
        let patch =
            json!({"spec": {"ports": [{"port": 8080, "name": "z"}, {"port": 80, "name": "y"}]}});
        let out = smp(original, patch, "Service").unwrap();
        let names: Vec<&str> = out["spec"]["ports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        // The patch's items in the patch's order (8080, 80); mergeSortedSlice
        // puts the server-only 443 (live index 1) before the first of them
        // with a later live index — 8080 (index 2).
        assert_eq!(names, ["b", "z", "y"]);
    }

    #[test]
    fn patch_delete_directive_removes_one_element() {
        let original = json!({"spec": {"containers": [{"name": "web", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}]}});
        let patch = json!({"spec": {"containers": [{"name": "web", "env": [{"name": "A", "$patch": "delete"}]}]}});
        let out = smp(original, patch, "Pod").unwrap();
        assert_eq!(out["spec"]["containers"][0]["env"], json!([{"name": "B", "value": "2"}]));
    }

    #[test]
    fn patch_replace_directive_replaces_a_list_and_a_map() {
        let original = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}]}, "metadata": {"labels": {"x": "1", "y": "2"}}});
        let patch = json!({"spec": {"containers": [{"name": "c"}, {"$patch": "replace"}]},
            "metadata": {"labels": {"z": "3", "$patch": "replace"}}});
        let out = smp(original, patch, "Pod").unwrap();
        assert_eq!(out["spec"]["containers"], json!([{"name": "c"}]));
        assert_eq!(out["metadata"]["labels"], json!({"z": "3"}));
    }

    #[test]
    fn map_delete_directive_empties_the_map() {
        let original = json!({"metadata": {"labels": {"x": "1"}}});
        let out =
            smp(original, json!({"metadata": {"labels": {"$patch": "delete"}}}), "Pod").unwrap();
        assert_eq!(out["metadata"]["labels"], json!({}));
    }

    #[test]
    fn null_removes_a_key() {
        let original =
            json!({"metadata": {"labels": {"x": "1", "y": "2"}}, "spec": {"paused": true}});
        let patch =
            json!({"metadata": {"labels": {"x": null, "nope": null}}, "spec": {"paused": null}});
        let out = smp(original, patch, "Deployment").unwrap();
        assert_eq!(out, json!({"metadata": {"labels": {"y": "2"}}, "spec": {}}));
    }

    #[test]
    fn lists_without_a_strategy_are_replaced() {
        let original = json!({"spec": {"containers": [{"name": "c", "args": ["a", "b"], "command": ["sh"]}],
            "tolerations": [{"key": "k1"}]}});
        let patch = json!({"spec": {"containers": [{"name": "c", "args": ["x"]}], "tolerations": [{"key": "k2"}]}});
        let out = smp(original, patch, "Pod").unwrap();
        assert_eq!(out["spec"]["containers"][0]["args"], json!(["x"]));
        assert_eq!(out["spec"]["containers"][0]["command"], json!(["sh"]));
        assert_eq!(out["spec"]["tolerations"], json!([{"key": "k2"}]));
    }

    #[test]
    fn primitive_merge_lists_union_and_delete_from_primitive_list() {
        let original = json!({"metadata": {"finalizers": ["a", "b"]}});
        let out =
            smp(original.clone(), json!({"metadata": {"finalizers": ["c", "a"]}}), "Pod").unwrap();
        // c is new (no live index), so nothing goes before it; b (live 1)
        // does not go before a (live 0).
        assert_eq!(out["metadata"]["finalizers"], json!(["c", "a", "b"]));
        let out = smp(
            original,
            json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}),
            "Pod",
        )
        .unwrap();
        assert_eq!(out["metadata"]["finalizers"], json!(["b"]));
    }

    #[test]
    fn retain_keys_clears_other_keys() {
        let original = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}});
        let patch = json!({"spec": {"strategy": {"type": "Recreate", "$retainKeys": ["type"]}}});
        let out = smp(original, patch, "Deployment").unwrap();
        assert_eq!(out["spec"]["strategy"], json!({"type": "Recreate"}));
    }

    #[test]
    fn set_element_order_orders_the_merged_list() {
        let original = json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}]}});
        let patch =
            json!({"spec": {"$setElementOrder/containers": [{"name": "b"}, {"name": "a"}]}});
        let out = smp(original, patch, "Pod").unwrap();
        assert_eq!(out["spec"]["containers"], json!([{"name": "b"}, {"name": "a"}]));
    }

    #[test]
    fn errors_name_the_map_and_key() {
        let original = deployment(json!([{"name": "web", "image": "nginx"}]));
        let err = smp(original.clone(), deployment(json!([{"image": "nginx:2"}])), "Deployment")
            .unwrap_err();
        assert_eq!(
            err,
            SmpError::Internal(
                "map: map[image:nginx:2] does not contain declared merge key: name".into()
            )
        );
        let err = smp(original, json!({"spec": {"$patch": "nope"}}), "Deployment").unwrap_err();
        assert_eq!(
            err,
            SmpError::Internal("unknown patch type: nope in map: map[$patch:nope]".into())
        );
        let err = smp(
            json!({"metadata": {"finalizers": ["a"]}}),
            json!({"metadata": {"finalizers": [["b"]]}}),
            "Pod",
        )
        .unwrap_err();
        assert_eq!(
            err,
            SmpError::Internal("list element types are not identical: [[a] [[b]]]".into())
        );
        let err = smp(
            json!({"metadata": {"finalizers": [["a"]]}}),
            json!({"metadata": {"finalizers": [["b"]]}}),
            "Pod",
        )
        .unwrap_err();
        assert_eq!(err, SmpError::Unprocessable("lists of lists are not supported".into()));
    }
}
