//! `-o json` of a typed object as kubectl's `JSONPrinter` writes it
//! (`json.MarshalIndent(obj, "", "    ")` and a newline): struct fields in
//! declaration order ([`super::go_struct`]), map keys sorted, and Go's
//! HTML-safe string escaping (`<`, `>`, `&`, U+2028, U+2029 as `\uXXXX`),
//! none of which serde_json's sorted `Map` and escaper give.

use serde_json::Value;

use super::go_struct::GoStruct;
pub(crate) use crate::textutil::go_text::write_json_string as write_string;

/// A field kubeplay's table for its Go struct does not list: where Go
/// would put it is unknown, so the output cannot be reproduced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField(pub String);

/// The text for `value`, a `ty` struct.
pub fn to_string(value: &Value, ty: &'static GoStruct) -> Result<String, UnknownField> {
    let mut out = String::new();
    write_value(&mut out, value, Some(ty), 0, "")?;
    out.push('\n');
    Ok(out)
}

/// The text for `value`, an unstructured object (a Go map all the way
/// down: every key sorted).
pub fn map_to_string(value: &Value) -> String {
    let mut out = String::new();
    // Without a struct type nothing can be an unknown field.
    let _ = write_value(&mut out, value, None, 0, "");
    out.push('\n');
    out
}

fn write_value(
    out: &mut String,
    value: &Value,
    ty: Option<&'static GoStruct>,
    depth: usize,
    path: &str,
) -> Result<(), UnknownField> {
    match value {
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            let mut entries: Vec<(usize, &String, &Value, Option<&'static GoStruct>)> =
                Vec::with_capacity(map.len());
            for (key, v) in map {
                match ty {
                    Some(t) => {
                        let (rank, field_ty) =
                            t.field(key).ok_or_else(|| UnknownField(format!("{path}.{key}")))?;
                        entries.push((rank, key, v, field_ty));
                    }
                    // A Go map: keys sorted (serde_json's map already is).
                    None => entries.push((0, key, v, None)),
                }
            }
            entries.sort_by_key(|(rank, ..)| *rank);
            out.push('{');
            for (i, (_, key, v, field_ty)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_string(out, key);
                out.push_str(": ");
                write_value(out, v, field_ty, depth + 1, &format!("{path}.{key}"))?;
            }
            newline(out, depth);
            out.push('}');
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_value(out, item, ty, depth + 1, path)?;
            }
            newline(out, depth);
            out.push(']');
        }
        Value::String(s) => write_string(out, s),
        other => out.push_str(&other.to_string()),
    }
    Ok(())
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    (0..depth).for_each(|_| out.push_str("    "));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kubectl::printers::go_struct;

    #[test]
    fn struct_order_sorted_maps_and_html_escaping() {
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "creationTimestamp": null},
            "data": {"b": "<&>", "a": ""}});
        let text = to_string(&cm, go_struct::for_kind("ConfigMap").unwrap()).unwrap();
        assert_eq!(
            text,
            "{\n    \"kind\": \"ConfigMap\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {\n        \"name\": \"c\",\n        \"creationTimestamp\": null\n    },\n    \"data\": {\n        \"a\": \"\",\n        \"b\": \"\\u003c\\u0026\\u003e\"\n    }\n}\n"
        );
    }

    #[test]
    fn a_field_missing_from_the_table_is_named() {
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"bogus": 1}});
        let err = to_string(&cm, go_struct::for_kind("ConfigMap").unwrap()).unwrap_err();
        assert_eq!(err, UnknownField(".metadata.bogus".into()));
    }
}
