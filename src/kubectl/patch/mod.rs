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
/// (`sigs.k8s.io/yaml.YAMLToJSON`). `Err` is the conversion error text.
pub fn to_json(text: &str) -> Result<String, String> {
    if text.trim_start().starts_with('{') {
        return Ok(text.to_owned());
    }
    match crate::yaml::from_str::<Value>(text) {
        Ok(v) => Ok(serde_json::to_string(&v).unwrap_or_default()),
        Err(e) => Err(format!(
            "error converting YAML to JSON: {}",
            crate::kubectl::manifest::go_yaml_error(&e)
        )),
    }
}

/// Applies the patch text `patch` (JSON, possibly malformed) of type `ty`
/// to `live`, an object of kind `kind_name`; returns the patched object as
/// JSON, not yet decoded or validated.
pub fn apply(kind_name: &str, live: &Value, patch: &str, ty: PatchType) -> Result<Value, ApiError> {
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
            let unprocessable = || ApiError::InvalidRequest { causes: Vec::new() };
            let patch: json_patch::Patch =
                serde_json::from_value(Value::Array(operations)).map_err(|_| unprocessable())?;
            let mut doc = live.clone();
            json_patch::patch(&mut doc, &patch).map_err(|_| unprocessable())?;
            Ok(doc)
        }
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
        let out = apply("Deployment", &live(), r#"{"spec":{"replicas":3}}"#, PatchType::Strategic)
            .unwrap();
        assert_eq!(out["spec"]["replicas"], 3);
        let out = apply(
            "Deployment",
            &live(),
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"x","image":"redis"}]}}}}"#,
            PatchType::Merge,
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
        )
        .unwrap();
        assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.21");
    }

    #[test]
    fn server_errors() {
        let err = |p: &str, t| apply("Deployment", &live(), p, t).unwrap_err();
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
    fn yaml_patches_become_json_and_json_passes_unchecked() {
        assert_eq!(to_json("spec:\n  replicas: 2\n").unwrap(), r#"{"spec":{"replicas":2}}"#);
        assert_eq!(to_json(" {spec: 1").unwrap(), " {spec: 1");
        assert!(to_json("a: [1").unwrap_err().starts_with("error converting YAML to JSON: yaml: "));
    }
}
