//! JSON as the API server's Go encoder writes it: fields in the order of
//! the Go struct they come from (built here as an ordered [`Json`] value,
//! since serde_json's `Map` sorts), strings escaped as `encoding/json`
//! does (`<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`), and two layouts:
//!
//! - compact, with a final newline: `json.NewEncoder(w).Encode(obj)`, the
//!   serializer's default (`apimachinery/pkg/runtime/serializer/json`);
//! - indented by two spaces, without a final newline:
//!   `json.MarshalIndent(obj, "", "  ")`, the serializer's `Pretty` form
//!   (chosen by `?pretty=true` or a curl/Wget/browser User-Agent) and
//!   `responsewriters.WriteRawJSON` (`/version`, always).

use crate::textutil::go_text::write_json_string as quote;

/// A JSON value with its object fields in the writer's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// A string.
    Str(String),
    /// A number, as Go prints it.
    Num(i64),
    /// `true` / `false`.
    Bool(bool),
    /// An array.
    Arr(Vec<Json>),
    /// An object, fields in order.
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// An object from `(name, value)` pairs, in order.
    pub fn obj<const N: usize>(fields: [(&str, Json); N]) -> Json {
        Json::Obj(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// `json.NewEncoder(w).Encode(v)`: compact, then a newline.
    pub fn compact(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, None, 0);
        out.push('\n');
        out
    }

    /// `json.MarshalIndent(v, "", "  ")`: no final newline.
    pub fn indented(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Some("  "), 0);
        out
    }

    /// Either layout.
    pub fn encode(&self, pretty: bool) -> String {
        if pretty { self.indented() } else { self.compact() }
    }

    fn write(&self, out: &mut String, indent: Option<&str>, depth: usize) {
        let newline = |out: &mut String, depth: usize| {
            if let Some(unit) = indent {
                out.push('\n');
                out.push_str(&unit.repeat(depth));
            }
        };
        match self {
            Json::Str(s) => quote(out, s),
            Json::Num(n) => out.push_str(&n.to_string()),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Obj(fields) if fields.is_empty() => out.push_str("{}"),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    item.write(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push(']');
            }
            Json::Obj(fields) => {
                out.push('{');
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    quote(out, name);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    value.write(out, indent, depth + 1);
                }
                newline(out, depth);
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_layouts_and_escaping() {
        let v = Json::obj([
            ("kind", Json::str("Status")),
            ("metadata", Json::Obj(Vec::new())),
            ("items", Json::Arr(Vec::new())),
            ("versions", Json::Arr(vec![Json::str("v1")])),
            ("message", Json::str("pods \"<x>\" & co")),
            ("code", Json::Num(404)),
        ]);
        assert_eq!(
            v.compact(),
            "{\"kind\":\"Status\",\"metadata\":{},\"items\":[],\"versions\":[\"v1\"],\"message\":\"pods \\\"\\u003cx\\u003e\\\" \\u0026 co\",\"code\":404}\n"
        );
        assert_eq!(
            v.indented(),
            "{\n  \"kind\": \"Status\",\n  \"metadata\": {},\n  \"items\": [],\n  \"versions\": [\n    \"v1\"\n  ],\n  \"message\": \"pods \\\"\\u003cx\\u003e\\\" \\u0026 co\",\n  \"code\": 404\n}"
        );
    }
}
