//! Applying the three patch types of `kubectl patch` to an object, as the
//! API server does (`apiserver/pkg/endpoints/handlers/patch.go` v0.22.2):
//! JSON patch (RFC 6902) and JSON merge patch (RFC 7386) through the
//! `json-patch` crate, strategic merge patch through [`strategic`] and the
//! field table in [`schema`]. Errors are the server's answers.

pub mod gojson;
pub mod schema;
pub mod strategic;

use serde_json::{Map, Value};

use crate::sim::ApiError;

/// `--type`: `kubectl patch`'s `patchTypes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// `json`: `application/json-patch+json`.
    Json,
    /// `merge`: `application/merge-patch+json`.
    Merge,
    /// `strategic` (the default): `application/strategic-merge-patch+json`.
    Strategic,
}

impl PatchType {
    /// The type `--type` names, case-insensitively (`strings.ToLower`).
    pub fn parse(name: &str) -> Option<PatchType> {
        match name.to_lowercase().as_str() {
            "json" => Some(PatchType::Json),
            "merge" => Some(PatchType::Merge),
            "strategic" => Some(PatchType::Strategic),
            _ => None,
        }
    }
}

/// `--type`'s accepted values as `sets.StringKeySet(patchTypes).List()`
/// prints them.
pub const TYPE_NAMES: &str = "[json merge strategic]";

/// `k8s.io/apimachinery/pkg/util/yaml.ToJSON`: text that starts (after
/// white space) with `{` is taken as JSON and passed on unchecked — the
/// server then parses it; anything else is read as YAML and converted
/// (`sigs.k8s.io/yaml.YAMLToJSON`). `Err` is the conversion error text:
/// go-yaml's own (`yaml: line 1: …`), which `YAMLToJSON` returns as is —
/// only `yaml.Unmarshal` adds `error converting YAML to JSON: ` (v1.2.0
/// to v1.6.0 alike; real kubectl 1.27, 1.30, 1.33 and 1.35 agree).
pub fn to_json(text: &str) -> Result<String, String> {
    if text.trim_start().starts_with('{') {
        return Ok(text.to_owned());
    }
    match crate::yaml::from_str_yaml11::<Value>(text) {
        Ok(v) => Ok(serde_json::to_string(&v).unwrap_or_default()),
        Err(e) => Err(crate::kubectl::manifest::go_yaml_error(&e)),
    }
}

/// Applies the patch text `patch` (JSON, possibly malformed) of type `ty`
/// to `live`, an object of kind `kind_name`; returns the patched object as
/// JSON, not yet decoded or validated. `decode_first` is the API server's
/// field validation of patches (`Warn` when the request names none, from
/// v1.25, [`crate::version::Fact::PatchDecodedWithFieldValidation`]): a
/// JSON or merge patch is first decoded strictly, and a patch that does not
/// decode is refused `error decoding patch: …`.
pub fn apply(
    kind_name: &str,
    live: &Value,
    patch: &str,
    ty: PatchType,
    decode_first: bool,
) -> Result<Value, ApiError> {
    if decode_first {
        decode_with_field_validation(patch, ty)
            .map_err(|e| ApiError::BadRequest(format!("error decoding patch: {e}")))?;
    }
    match ty {
        PatchType::Strategic => {
            // strategicPatchObject: `json.Unmarshal(patchBytes, &patchMap)`.
            let patch = gojson::parse(patch).map_err(ApiError::BadRequest)?;
            let patch = match patch {
                Value::Object(m) => m,
                Value::Null => Map::new(),
                other => {
                    return Err(ApiError::BadRequest(gojson::cannot_unmarshal(
                        &other,
                        "map[string]interface {}",
                    )));
                }
            };
            let original = match live {
                Value::Object(m) => m.clone(),
                _ => Map::new(),
            };
            strategic::apply(original, patch, kind_name).map_err(|e| match e {
                strategic::SmpError::BadRequest(m) => ApiError::BadRequest(m),
                strategic::SmpError::Unprocessable(_) => {
                    ApiError::InvalidRequest { causes: Vec::new() }
                }
                strategic::SmpError::Internal(m) => ApiError::Internal(m),
            })
        }
        PatchType::Merge => {
            // jsonpatch.MergePatch: a syntax error, `null` or a scalar is
            // ErrBadJSONPatch, which the server does not wrap (a 500).
            let bad = || ApiError::Internal("Invalid JSON Patch".to_owned());
            let patch = gojson::parse(patch).map_err(|_| bad())?;
            if matches!(patch, Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)) {
                return Err(bad());
            }
            let mut doc = live.clone();
            json_patch::merge(&mut doc, &patch);
            Ok(doc)
        }
        PatchType::Json => {
            // jsonpatch.DecodePatch: a BadRequest with the decoder's text.
            let patch = gojson::parse(patch).map_err(ApiError::BadRequest)?;
            let operations = match &patch {
                Value::Null => Vec::new(),
                Value::Array(ops) => {
                    if let Some(bad) = ops.iter().find(|o| !o.is_object()) {
                        return Err(ApiError::BadRequest(gojson::cannot_unmarshal(
                            bad,
                            "jsonpatch.Operation",
                        )));
                    }
                    ops.clone()
                }
                other => {
                    return Err(ApiError::BadRequest(gojson::cannot_unmarshal(
                        other,
                        "jsonpatch.Patch",
                    )));
                }
            };
            // Any failure to apply (an unknown op, a missing path, a failed
            // `test`) is a 422 that carries no detail.
            let mut doc = live.clone();
            json_patch_v4(&mut doc, &operations)
                .map_err(|_| ApiError::InvalidRequest { causes: Vec::new() })?;
            Ok(doc)
        }
    }
}

/// The strict-decoding warnings of a JSON patch under the `Warn`
/// directive (`applyJSPatch`: each strict error of `kjson.UnmarshalStrict`
/// into `[]jsonPatchOp` becomes `json patch unknown field "[0].valu"`, sent
/// as a warning header): one per key of an operation that is none of `op`,
/// `path`, `from`, `value`. Nothing for other patch types or a patch that
/// does not decode (that one fails in [`apply`]).
pub fn strict_decoding_warnings(patch: &str, ty: PatchType) -> Vec<String> {
    let (PatchType::Json, Ok(Value::Array(ops))) = (ty, gojson::parse(patch)) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let Value::Object(fields) = op else { continue };
        for key in fields.keys().filter(|k| !["op", "path", "from", "value"].contains(&k.as_str()))
        {
            warnings.push(format!("json patch unknown field \"[{i}].{key}\""));
        }
    }
    warnings
}

/// `applyJSPatch` in `k8s.io/apiserver/pkg/endpoints/handlers/patch.go`
/// under the `Strict` or `Warn` directive: `kjson.UnmarshalStrict` of a
/// JSON patch into `[]jsonPatchOp` (`op`, `path`, `from` strings, any
/// `value`), of a merge patch into `map[string]interface{}`. `Err` is Go's
/// decoding error; a strategic merge patch is not decoded here. (Unknown
/// keys of an operation are strict-decoding warnings, not errors; kubeplay
/// does not print them.)
fn decode_with_field_validation(patch: &str, ty: PatchType) -> Result<(), String> {
    match ty {
        PatchType::Strategic => Ok(()),
        PatchType::Merge => match gojson::parse(patch)? {
            Value::Object(_) | Value::Null => Ok(()),
            other => Err(gojson::cannot_unmarshal(&other, "map[string]interface {}")),
        },
        PatchType::Json => match gojson::parse(patch)? {
            Value::Null => Ok(()),
            Value::Array(ops) => {
                for op in &ops {
                    let Value::Object(fields) = op else {
                        if op.is_null() {
                            continue;
                        }
                        return Err(gojson::cannot_unmarshal(op, "handlers.jsonPatchOp"));
                    };
                    for key in ["op", "path", "from"] {
                        match fields.get(key) {
                            None | Some(Value::String(_)) | Some(Value::Null) => {}
                            Some(other) => {
                                let what = gojson::cannot_unmarshal(other, "string");
                                // `UnmarshalTypeError` names a struct field
                                // as `Go struct field T.f of type string`.
                                return Err(what.replace(
                                    "Go value of type",
                                    &format!("Go struct field jsonPatchOp.{key} of type"),
                                ));
                            }
                        }
                    }
                }
                Ok(())
            }
            other => Err(gojson::cannot_unmarshal(&other, "[]handlers.jsonPatchOp")),
        },
    }
}

/// Applies JSON patch operations as `github.com/evanphx/json-patch`
/// v4.11.0 does (vendored by kubectl and the API server of v1.22), through
/// the `json-patch` crate. Where the two differ: v4.11's `replace` of a
/// key an object lacks sets it (its `partialDoc.get` finds no error), and
/// an operation's failure is worded as v4.11 words it (`Err`, for kubectl's
/// client-side patching; the server keeps no detail).
pub fn json_patch_v4(doc: &mut Value, operations: &[Value]) -> Result<(), String> {
    for op in operations {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("unknown");
        if !matches!(kind, "add" | "remove" | "replace" | "move" | "copy" | "test") {
            return Err(format!("Unexpected kind: {kind}"));
        }
        let Some(path) = op.get("path").and_then(Value::as_str) else {
            return Err(format!("{kind} operation failed to decode path: missing value"));
        };
        let mut op = op.clone();
        // `add` and `replace` write `op.value()`, a nil node when the
        // operation has no `value`: the key becomes `null` (v4.11 to v4.13).
        if matches!(kind, "add" | "replace")
            && let Value::Object(fields) = &mut op
        {
            fields.entry("value").or_insert(Value::Null);
        }
        let container = find_object(doc, path);
        if kind == "replace"
            && let Some((Value::Object(m), key)) = &container
            && !m.contains_key(key)
        {
            op["op"] = "add".into();
        }
        let operation: json_patch::PatchOperation = serde_json::from_value(op.clone())
            .map_err(|_| format!("{kind} operation, missing value field: missing value"))?;
        if json_patch::patch(doc, &[operation]).is_ok() {
            continue;
        }
        let index_error = |key: &str| {
            format!(
                "error in {kind} for path: '{path}': Unable to access invalid index: {key}: invalid index referenced"
            )
        };
        return Err(match (kind, container) {
            ("add" | "remove", None) => {
                format!(
                    "{kind} operation does not apply: doc is missing path: \"{path}\": missing value"
                )
            }
            ("replace", None) => {
                format!(
                    "replace operation does not apply: doc is missing path: {path}: missing value"
                )
            }
            ("replace", Some(_)) => {
                format!(
                    "replace operation does not apply: doc is missing key: {path}: missing value"
                )
            }
            ("test", None) => {
                format!("test operation does not apply: is missing path: {path}: missing value")
            }
            ("test", Some(_)) => format!("testing value {path} failed: test failed"),
            ("remove", Some((Value::Object(_), key))) => format!(
                "error in remove for path: '{path}': Unable to remove nonexistent key: {key}: missing value"
            ),
            (_, Some((Value::Array(_), key))) => index_error(&key),
            ("move" | "copy", _) => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or_default();
                format!(
                    "{kind} operation does not apply: doc is missing from path: {from}: missing value"
                )
            }
            _ => format!(
                "{kind} operation does not apply: doc is missing path: {path}: missing value"
            ),
        });
    }
    Ok(())
}

/// v4.11's `findObject`: the container that holds the path's last
/// segment, and that segment (`~1` and `~0` decoded); `None` when a
/// segment before it is missing.
fn find_object(doc: &Value, path: &str) -> Option<(Value, String)> {
    let parts: Vec<String> =
        path.split('/').map(|p| p.replace("~1", "/").replace("~0", "~")).collect();
    if parts.len() < 2 {
        return None;
    }
    let mut node = doc;
    for part in &parts[1..parts.len() - 1] {
        node = match node {
            Value::Object(m) => m.get(part)?,
            Value::Array(a) => a.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
        if !(node.is_object() || node.is_array()) {
            return None;
        }
    }
    Some((node.clone(), parts[parts.len() - 1].clone()))
}

/// `getPatchedJSON` in `kubectl/pkg/cmd/patch/patch.go`: kubectl's own
/// patching for `--local` and `--dry-run=client`; `Err` is the text after
/// `error: `.
pub fn apply_on_client(
    kind_name: &str,
    live: &Value,
    patch: &str,
    ty: PatchType,
) -> Result<Value, String> {
    match ty {
        PatchType::Json => {
            let patch = gojson::parse(patch)?;
            let operations = match patch {
                Value::Null => Vec::new(),
                Value::Array(ops) => ops,
                other => return Err(gojson::cannot_unmarshal(&other, "jsonpatch.Patch")),
            };
            let mut doc = live.clone();
            json_patch_v4(&mut doc, &operations).map_err(|e| {
                match e.find("doc is missing key") {
                    // "TODO: This is pretty hacky" — patch.go rewords this one.
                    Some(_) => {
                        let key = e.find("key:").map(|ix| &e[ix + 5..]).unwrap_or_default();
                        format!("Object to be patched is missing field ({key})")
                    }
                    None => e,
                }
            })?;
            Ok(doc)
        }
        // `strategicpatch.StrategicMergePatch`: the patch is unmarshalled
        // into a map first (`mergepatch.ErrBadJSONDoc`).
        PatchType::Strategic
            if !matches!(gojson::parse(patch), Ok(Value::Object(_) | Value::Null)) =>
        {
            Err("invalid JSON document".to_owned())
        }
        // kubectl's own patching has no server-side field validation.
        _ => apply(kind_name, live, patch, ty, false).map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn live() -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    }

    #[test]
    fn the_three_types() {
        let out =
            apply("Deployment", &live(), r#"{"spec":{"replicas":3}}"#, PatchType::Strategic, true)
                .unwrap();
        assert_eq!(out["spec"]["replicas"], 3);
        let out = apply(
            "Deployment",
            &live(),
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"x","image":"redis"}]}}}}"#,
            PatchType::Merge,
            true,
        )
        .unwrap();
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([{"name": "x", "image": "redis"}])
        );
        let out = apply(
            "Deployment",
            &live(),
            r#"[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.21"}]"#,
            PatchType::Json,
            true,
        )
        .unwrap();
        assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.21");
    }

    /// [`crate::version::Fact::PatchDecodedWithFieldValidation`]: from v1.25
    /// a JSON or merge patch that does not decode is refused `error decoding
    /// patch:` with the decoder's text for the apiserver's own types.
    #[test]
    fn server_errors_with_field_validation() {
        let err = |p: &str, t| apply("Deployment", &live(), p, t, true).unwrap_err();
        let bad = |m: &str| ApiError::BadRequest(format!("error decoding patch: {m}"));
        assert_eq!(
            err(r#"{"op":"replace","path":"/spec/replicas","value":3}"#, PatchType::Json),
            bad("json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp")
        );
        assert_eq!(
            err(r#"["x"]"#, PatchType::Json),
            bad("json: cannot unmarshal string into Go value of type handlers.jsonPatchOp")
        );
        assert_eq!(
            err(r#"[{"op":1,"path":"/spec"}]"#, PatchType::Json),
            bad("json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string")
        );
        assert_eq!(
            err("{spec: 1}", PatchType::Merge),
            bad("invalid character 's' looking for beginning of object key string")
        );
        assert_eq!(
            err("[1]", PatchType::Merge),
            bad("json: cannot unmarshal array into Go value of type map[string]interface {}")
        );
        assert_eq!(
            strict_decoding_warnings(
                r#"[{"op":"replace","path":"/spec/replicas","valu":2}]"#,
                PatchType::Json
            ),
            vec![r#"json patch unknown field "[0].valu""#]
        );
        assert!(strict_decoding_warnings(r#"{"valu":2}"#, PatchType::Merge).is_empty());
        // A patch that decodes but cannot be applied is still the 422.
        assert_eq!(
            err(r#"[{"op":"remove","path":"/metadata/labels/nope"}]"#, PatchType::Json),
            ApiError::InvalidRequest { causes: vec![] }
        );
    }

    #[test]
    fn server_errors() {
        let err = |p: &str, t| apply("Deployment", &live(), p, t, false).unwrap_err();
        assert_eq!(
            err("{spec: 1}", PatchType::Strategic),
            ApiError::BadRequest(
                "invalid character 's' looking for beginning of object key string".into()
            )
        );
        assert_eq!(
            err(r#"{"op":"add"}"#, PatchType::Json),
            ApiError::BadRequest(
                "json: cannot unmarshal object into Go value of type jsonpatch.Patch".into()
            )
        );
        assert_eq!(
            err(r#"[{"op":"remove","path":"/metadata/labels/nope"}]"#, PatchType::Json),
            ApiError::InvalidRequest { causes: vec![] }
        );
        assert_eq!(
            err(r#"[{"op":"test","path":"/spec/replicas","value":2}]"#, PatchType::Json),
            ApiError::InvalidRequest { causes: vec![] }
        );
        assert_eq!(
            err("{spec: 1}", PatchType::Merge),
            ApiError::Internal("Invalid JSON Patch".into())
        );
    }

    #[test]
    fn json_patch_follows_evanphx_v4() {
        let mut doc = live();
        // v4.11 lets `replace` set a key the object lacks.
        let ops = json!([{"op": "replace", "path": "/metadata/labels/tier", "value": "web"}]);
        json_patch_v4(&mut doc, ops.as_array().unwrap()).unwrap();
        assert_eq!(doc["metadata"]["labels"]["tier"], "web");
        // An operation without `value` writes null.
        let ops = json!([{"op": "replace", "path": "/spec/replicas", "valu": 2}]);
        json_patch_v4(&mut doc, ops.as_array().unwrap()).unwrap();
        assert_eq!(doc["spec"].get("replicas"), Some(&Value::Null));
        let err = |ops: Value| json_patch_v4(&mut live(), ops.as_array().unwrap()).unwrap_err();
        assert_eq!(
            err(json!([{"op": "remove", "path": "/metadata/labels/nope"}])),
            "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value"
        );
        assert_eq!(
            err(json!([{"op": "add", "path": "/spec/nope/x", "value": 1}])),
            "add operation does not apply: doc is missing path: \"/spec/nope/x\": missing value"
        );
        assert_eq!(
            err(json!([{"op": "test", "path": "/spec/replicas", "value": 2}])),
            "testing value /spec/replicas failed: test failed"
        );
        assert_eq!(err(json!([{"op": "frob", "path": "/a"}])), "Unexpected kind: frob");
        let client = apply_on_client(
            "Deployment",
            &live(),
            r#"[{"op":"replace","path":"/spec/template/spec/containers/5","value":{}}]"#,
            PatchType::Json,
        );
        assert_eq!(
            client.unwrap_err(),
            "Object to be patched is missing field (/spec/template/spec/containers/5: missing value)"
        );
    }

    #[test]
    fn yaml_patches_become_json_and_json_passes_unchecked() {
        assert_eq!(to_json("spec:\n  replicas: 2\n").unwrap(), r#"{"spec":{"replicas":2}}"#);
        assert_eq!(to_json(" {spec: 1").unwrap(), " {spec: 1");
        // Real kubectl 1.35.4: `unable to parse "foo: [": yaml: line 1: …`.
        assert_eq!(
            to_json("foo: [").unwrap_err(),
            "yaml: line 1: did not find expected node content"
        );
    }
}
