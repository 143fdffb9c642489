//! A custom resource's structural schema (`openAPIV3Schema`) applied as
//! the apiextensions-apiserver applies it on create and update: defaults
//! (`structuraldefaulting`), pruning of unknown fields
//! (`structuralpruning`), then validation (`ValidateCustomResource` in
//! `apiextensions-apiserver/pkg/apiserver/validation/validation.go` over
//! kube-openapi's validator, whose messages are go-openapi's:
//! `pkg/validation/errors` — `%s in %s must be of type %s: %q`, `%s in %s
//! should be less than or equal to %v`, …).
//!
//! Paths are dotted from the object root (`spec.replicas`, `spec.items[0]`)
//! and the "in" is always `body`, as the validator names them.

use serde_json::{Map, Value};

/// Fills schema defaults into `value` where a property is absent.
pub fn default(value: &mut Value, schema: &Value) {
    match value {
        Value::Object(map) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (key, prop) in props {
                    if !map.contains_key(key)
                        && let Some(d) = prop.get("default")
                    {
                        map.insert(key.clone(), d.clone());
                    }
                }
                for (key, prop) in props {
                    if let Some(v) = map.get_mut(key) {
                        default(v, prop);
                    }
                }
            } else if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object())
            {
                for v in map.values_mut() {
                    default(v, extra);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for v in items {
                    default(v, item_schema);
                }
            }
        }
        _ => {}
    }
}

/// Drops fields the schema does not declare, except under
/// `x-kubernetes-preserve-unknown-fields: true`. Returns the dotted paths
/// of what was dropped.
pub fn prune(value: &mut Value, schema: &Value, path: &str) -> Vec<String> {
    let mut dropped = Vec::new();
    prune_into(value, schema, path, &mut dropped);
    dropped
}

fn prune_into(value: &mut Value, schema: &Value, path: &str, dropped: &mut Vec<String>) {
    let preserve =
        schema.get("x-kubernetes-preserve-unknown-fields").and_then(Value::as_bool) == Some(true);
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let extra = schema.get("additionalProperties");
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let child = child_path(path, &key);
                let sub = props.and_then(|p| p.get(&key)).or(extra.filter(|e| e.is_object()));
                match sub {
                    Some(sub) => {
                        if let Some(v) = map.get_mut(&key) {
                            prune_into(v, sub, &child, dropped);
                        }
                    }
                    None if preserve || extra == Some(&Value::Bool(true)) => {}
                    None => {
                        map.remove(&key);
                        dropped.push(child);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, v) in items.iter_mut().enumerate() {
                    prune_into(v, item_schema, &format!("{path}[{i}]"), dropped);
                }
            }
        }
        _ => {}
    }
}

/// The validation causes, each as the API server words it
/// (`spec.replicas: Invalid value: 15: spec.replicas in body should be
/// less than or equal to 10`).
pub fn validate(value: &Value, schema: &Value, path: &str) -> Vec<String> {
    let mut causes = Vec::new();
    validate_into(value, schema, path, &mut causes);
    causes
}

fn validate_into(value: &Value, schema: &Value, path: &str, causes: &mut Vec<String>) {
    if value.is_null() && schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        return;
    }
    let int_or_string =
        schema.get("x-kubernetes-int-or-string").and_then(Value::as_bool) == Some(true);
    if let Some(expected) = schema.get("type").and_then(Value::as_str)
        && !int_or_string
        && !has_type(value, expected)
    {
        let actual = json_type(value);
        causes.push(format!(
            "{path}: Invalid value: \"{actual}\": {path} in body must be of type {expected}: \"{actual}\""
        ));
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        let values: Vec<String> = allowed
            .iter()
            .map(|v| match v {
                Value::String(s) => format!("{s:?}"),
                other => format!("\"{other}\""),
            })
            .collect();
        causes.push(format!(
            "{path}: Unsupported value: {}: supported values: {}",
            go_value(value),
            values.join(", ")
        ));
    }
    match value {
        Value::String(s) => string_checks(s, schema, path, causes),
        Value::Number(n) => {
            number_checks(value, n.as_f64().unwrap_or_default(), schema, path, causes)
        }
        Value::Object(map) => object_checks(map, schema, path, causes),
        Value::Array(items) => array_checks(items, schema, path, causes),
        _ => {}
    }
}

fn string_checks(s: &str, schema: &Value, path: &str, causes: &mut Vec<String>) {
    let len = s.chars().count() as u64;
    let shown = format!("{s:?}");
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && len < min
    {
        causes.push(format!(
            "{path}: Invalid value: {shown}: {path} in body should be at least {min} chars long"
        ));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
        && len > max
    {
        causes.push(format!(
            "{path}: Invalid value: {shown}: {path} in body should be at most {max} chars long"
        ));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
        && regex::Regex::new(pattern).is_ok_and(|re| !re.is_match(s))
    {
        causes.push(format!(
            "{path}: Invalid value: {shown}: {path} in body should match '{pattern}'"
        ));
    }
}

fn number_checks(value: &Value, n: f64, schema: &Value, path: &str, causes: &mut Vec<String>) {
    let shown = go_value(value);
    let flag = |k: &str| schema.get(k).and_then(Value::as_bool) == Some(true);
    if let Some(max) = schema.get("maximum") {
        let m = max.as_f64().unwrap_or(f64::MAX);
        if flag("exclusiveMaximum") && n >= m {
            causes.push(format!(
                "{path}: Invalid value: {shown}: {path} in body should be less than {max}"
            ));
        } else if n > m {
            causes.push(format!(
                "{path}: Invalid value: {shown}: {path} in body should be less than or equal to {max}"
            ));
        }
    }
    if let Some(min) = schema.get("minimum") {
        let m = min.as_f64().unwrap_or(f64::MIN);
        if flag("exclusiveMinimum") && n <= m {
            causes.push(format!(
                "{path}: Invalid value: {shown}: {path} in body should be greater than {min}"
            ));
        } else if n < m {
            causes.push(format!(
                "{path}: Invalid value: {shown}: {path} in body should be greater than or equal to {min}"
            ));
        }
    }
    if let Some(step) = schema.get("multipleOf").and_then(Value::as_f64)
        && step > 0.0
        && (n / step).fract() != 0.0
    {
        causes.push(format!(
            "{path}: Invalid value: {shown}: {path} in body should be a multiple of {}",
            schema["multipleOf"]
        ));
    }
}

/// `objectValidator.Validate` (`k8s.io/kube-openapi/pkg/validation/
/// validate/object_validator.go`, forked from go-openapi with the same
/// order): the property count first, then each property's own schema,
/// then the required properties — so `spec.keep: Invalid value` comes
/// before `spec.database: Required value` (the real v1.35.4 apiserver).
fn object_checks(map: &Map<String, Value>, schema: &Value, path: &str, causes: &mut Vec<String>) {
    let count = map.len() as u64;
    if let Some(min) = schema.get("minProperties").and_then(Value::as_u64)
        && count < min
    {
        causes.push(format!(
            "{path}: Invalid value: \"\": {path} in body should have at least {min} properties"
        ));
    }
    if let Some(max) = schema.get("maxProperties").and_then(Value::as_u64)
        && count > max
    {
        causes.push(format!(
            "{path}: Invalid value: \"\": {path} in body should have at most {max} properties"
        ));
    }
    let props = schema.get("properties").and_then(Value::as_object);
    let extra = schema.get("additionalProperties").filter(|a| a.is_object());
    for (key, v) in map {
        if let Some(sub) = props.and_then(|p| p.get(key)).or(extra) {
            validate_into(v, sub, &child_path(path, key), causes);
        }
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for key in required.iter().filter_map(Value::as_str) {
            if !map.contains_key(key) {
                causes.push(format!("{}: Required value", child_path(path, key)));
            }
        }
    }
}

fn array_checks(items: &[Value], schema: &Value, path: &str, causes: &mut Vec<String>) {
    let count = items.len() as u64;
    if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
        && count < min
    {
        causes.push(format!(
            "{path}: Invalid value: {count}: {path} in body should have at least {min} items"
        ));
    }
    if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
        && count > max
    {
        causes.push(format!(
            "{path}: Invalid value: {count}: {path} in body should have at most {max} items"
        ));
    }
    if schema.get("uniqueItems").and_then(Value::as_bool) == Some(true)
        && items.iter().enumerate().any(|(i, a)| items[..i].contains(a))
    {
        causes.push(format!(
            "{path}: Duplicate value: \"\": {path} in body shouldn't contain duplicates"
        ));
    }
    if let Some(item_schema) = schema.get("items") {
        for (i, v) in items.iter().enumerate() {
            validate_into(v, item_schema, &format!("{path}[{i}]"), causes);
        }
    }
}

fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// Whether `value` is of OpenAPI type `expected` (an integer-valued JSON
/// number is an `integer` and a `number`).
fn has_type(value: &Value, expected: &str) -> bool {
    match expected {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        _ => true,
    }
}

/// The type go-openapi reports for data (`string`, `integer`, `number`, …).
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value as `field.Invalid` prints it: strings quoted, numbers bare.
fn go_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema() -> Value {
        json!({"type": "object", "properties": {"spec": {"type": "object",
        "required": ["image"],
        "properties": {
            "cronSpec": {"type": "string", "pattern": "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$"},
            "image": {"type": "string"},
            "replicas": {"type": "integer", "minimum": 1, "maximum": 10, "default": 1},
            "mode": {"type": "string", "enum": ["a", "b"]}
        }}}})
    }

    #[test]
    fn messages_are_the_api_servers() {
        let v = json!({"spec": {"cronSpec": "* * * *", "replicas": 15, "mode": "c"}});
        assert_eq!(
            validate(&v, &schema(), ""),
            // The properties' own errors first, the missing required
            // ones last (`objectValidator.Validate`).
            vec![
                "spec.cronSpec: Invalid value: \"* * * *\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
                "spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"",
                "spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10",
                "spec.image: Required value",
            ]
        );
        let v = json!({"spec": {"image": 3}});
        assert_eq!(
            validate(&v, &schema(), ""),
            vec![
                "spec.image: Invalid value: \"integer\": spec.image in body must be of type string: \"integer\""
            ]
        );
    }

    #[test]
    fn defaults_then_prunes_unknown_fields() {
        let mut v = json!({"spec": {"image": "x", "extra": 1}, "status": {}});
        default(&mut v, &schema());
        let dropped = prune(&mut v, &schema(), "");
        assert_eq!(dropped, vec!["spec.extra", "status"]);
        assert_eq!(v, json!({"spec": {"image": "x", "replicas": 1}}));
    }
}
