//! Server-side field validation (`fieldValidation=Strict|Warn|Ignore`,
//! KEP-2885; on by default from v1.25): the fields of a request body that
//! the kind's schema does not know.
//!
//! The API server decodes with `sigs.k8s.io/json`'s strict decoder and
//! names each unknown field by its path (`spec.foo`,
//! `spec.template.spec.containers[0].imagePullPolicyy`). Under `Strict` the
//! request fails with 400 (`runtime.NewStrictDecodingError`, wrapped by the
//! handler's `cannot be handled as a …`); under `Warn` each path comes back
//! as a warning; under `Ignore` the fields are dropped, as before v1.25.
//!
//! The simulator finds them by decoding the body into the kind's typed
//! struct (k8s-openapi, which ignores what it does not know) and looking
//! for what did not survive. Paths are reported in the order of a sorted
//! walk of the body (upstream reports them in the body's order, which a
//! parsed body no longer has); kinds stored generically are not checked.

use serde_json::Value;

use crate::sim::ApiError;

/// The fields of `sent` that `decoded` (the same body through the kind's
/// typed struct) lost, as dotted paths. `null` values are not fields.
pub fn unknown_fields(sent: &Value, decoded: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(sent, decoded, "", &mut out);
    out
}

fn walk(sent: &Value, decoded: &Value, path: &str, out: &mut Vec<String>) {
    match (sent, decoded) {
        (Value::Object(s), Value::Object(d)) => {
            for (key, value) in s {
                if value.is_null() {
                    continue;
                }
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                match d.get(key) {
                    Some(dv) => walk(value, dv, &child, out),
                    None => out.push(child),
                }
            }
        }
        (Value::Array(s), Value::Array(d)) if s.len() == d.len() => {
            for (i, (sv, dv)) in s.iter().zip(d).enumerate() {
                walk(sv, dv, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The 400 a `Strict` request with unknown fields gets:
/// `Deployment in version "v1" cannot be handled as a Deployment: strict
/// decoding error: unknown field "spec.foo", unknown field "spec.bar"`
/// (`apiserver/pkg/endpoints/handlers/create.go`, `update.go`).
pub fn strict_error(kind_name: &str, api_version: &str, fields: &[String]) -> ApiError {
    let version = api_version.rsplit_once('/').map_or(api_version, |(_, v)| v);
    let list: Vec<String> = fields.iter().map(|f| format!("unknown field \"{f}\"")).collect();
    ApiError::BadRequest(format!(
        "{kind_name} in version \"{version}\" cannot be handled as a {kind_name}: strict decoding error: {}",
        list.join(", ")
    ))
}

/// The warnings a `Warn` request with unknown fields gets, one per field.
pub fn warnings(fields: &[String]) -> Vec<String> {
    fields.iter().map(|f| format!("unknown field \"{f}\"")).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lost_fields_by_path() {
        let sent = json!({"spec": {"foo": "bar", "replicas": 1, "x": null,
            "template": {"spec": {"containers": [{"name": "c", "imagePullPolicyy": "Always"}]}}}});
        let decoded = json!({"spec": {"replicas": 1,
            "template": {"spec": {"containers": [{"name": "c"}]}}}});
        let fields = unknown_fields(&sent, &decoded);
        assert_eq!(fields, ["spec.foo", "spec.template.spec.containers[0].imagePullPolicyy"]);
        // The text of a v1.35.4 API server (captured 2026-12-07).
        assert_eq!(
            strict_error("Deployment", "apps/v1", &fields).to_string(),
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: \
             unknown field \"spec.foo\", unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""
        );
    }
}
