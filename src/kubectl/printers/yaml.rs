//! `-o yaml` as kubectl writes it: `sigs.k8s.io/yaml.JSONToYAML` over
//! `gopkg.in/yaml.v2` (v2.4.0 in kubectl v1.22). What that gives, and this
//! emitter reproduces for JSON values:
//!
//! - map keys sorted by yaml.v2's `keyList.Less` (non-letters before
//!   letters, digit runs compared as numbers);
//! - sequences inside a mapping not indented (`containers:\n- name: x`);
//! - strings plain unless plain would read back as another type (`"1"`,
//!   `"true"`, `""`, timestamps — double-quoted, `encode.go stringv`) or
//!   the emitter cannot write them plain (indicators, `: `, ` #`, leading
//!   or trailing space — single-quoted, `yaml_emitter_analyze_scalar`);
//!   multi-line strings as literal blocks (`|`, `|-`);
//! - plain and single-quoted scalars folded at a space once the line is
//!   past 80 columns (`best_width`).
//!
//! Parsing stays in [`crate::yaml`]; this module only writes.

use std::{cmp::Ordering, sync::LazyLock};

use regex::Regex;
use serde_json::Value;

use crate::version::{Fact, KubeVersion};

/// yaml.v2's `best_width`.
const BEST_WIDTH: usize = 80;

/// How the kubectl of one release writes YAML where releases differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Whether strings that read as YAML timestamps are double-quoted
    /// (`creationTimestamp: "2022-11-16T03:08:00Z"`); kubectl before v1.16
    /// wrote them plain ([`Fact::YamlQuotesTimestamps`]).
    pub quote_timestamps: bool,
}

impl Style {
    /// The style of kubectl at `version`.
    pub fn at(version: KubeVersion) -> Style {
        Style { quote_timestamps: version.has(Fact::YamlQuotesTimestamps) }
    }
}

/// The YAML document for `value`, as current kubectl writes it.
pub fn to_string(value: &Value) -> String {
    to_string_as(value, Style { quote_timestamps: true })
}

/// The YAML document for `value` in `style`.
pub fn to_string_as(value: &Value, style: Style) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => emit_map(&mut out, m, 0, style),
        Value::Array(a) if !a.is_empty() => emit_seq(&mut out, a, 0, style),
        other => {
            let mut line = String::new();
            scalar(&mut line, other, 0, 0, style);
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// What Go's encoding writes that the Rust types leave out: an embedded
/// `metav1.ObjectMeta` in a pod template is a struct, not a pointer, and its
/// zero `CreationTimestamp` marshals as `null` (`metav1.Time.MarshalJSON`),
/// so every template shows `metadata: {creationTimestamp: null}` — until
/// v1.34, whose apimachinery tags it `omitzero` and leaves `metadata: {}`
/// ([`Fact::ZeroCreationTimestampOmitted`]); and an Event's zero fields
/// ([`event_zero_values`]). `minor`: the release that serialised the object.
pub fn go_zero_values(value: &mut Value, minor: u32) {
    if let Some(items) = value.get_mut("items").and_then(Value::as_array_mut) {
        items.iter_mut().for_each(|item| go_zero_values(item, minor));
    }
    if value.get("kind").and_then(Value::as_str) == Some("Event") {
        // An events.k8s.io Event comes with its zero values from the
        // server's encoding (`sim::event_conversion::from_core`).
        if value.get("apiVersion").and_then(Value::as_str) == Some("v1") {
            event_zero_values(value);
        }
        return;
    }
    let null_time = !Fact::ZeroCreationTimestampOmitted.holds_at(minor);
    let Some(spec) = value.get_mut("spec") else { return };
    let template = if let Some(jt) = spec.get_mut("jobTemplate") {
        zero_meta(jt, null_time);
        jt.get_mut("spec").and_then(|s| s.get_mut("template"))
    } else {
        spec.get_mut("template")
    };
    if let Some(t) = template {
        zero_meta(t, null_time);
    }
}

/// A core/v1 Event's struct-typed and non-`omitempty` fields
/// (`k8s.io/api/core/v1/types.go`): `firstTimestamp`, `lastTimestamp`
/// and `eventTime` are structs (`null` when zero), `source` a struct of
/// `omitempty` strings (`{}`), `reportingComponent` and
/// `reportingInstance` plain strings (`""`).
fn event_zero_values(event: &mut Value) {
    let Some(m) = event.as_object_mut() else { return };
    for key in ["eventTime", "firstTimestamp", "lastTimestamp"] {
        m.entry(key).or_insert(Value::Null);
    }
    m.entry("source").or_insert_with(|| serde_json::json!({}));
    for key in ["reportingComponent", "reportingInstance"] {
        m.entry(key).or_insert_with(|| Value::String(String::new()));
    }
}

fn zero_meta(t: &mut Value, null_time: bool) {
    if let Some(m) = t.as_object_mut() {
        let meta = m.entry("metadata").or_insert_with(|| serde_json::json!({}));
        if null_time && let Some(meta) = meta.as_object_mut() {
            meta.entry("creationTimestamp").or_insert(Value::Null);
        }
    }
}

/// `keyList.Less` (yaml.v2 `sorter.go`).
fn key_less(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl { Ordering::Less } else { Ordering::Greater };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.saturating_mul(10).saturating_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.saturating_mul(10).saturating_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn emit_map(out: &mut String, m: &serde_json::Map<String, Value>, indent: usize, style: Style) {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort_by(|a, b| key_less(a, b));
    for k in keys {
        let v = &m[k];
        let mut line = String::new();
        pad(&mut line, indent);
        let key = Value::String(k.clone());
        scalar(&mut line, &key, indent, indent + 2, style);
        line.push(':');
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                out.push_str(&line);
                out.push('\n');
                emit_map(out, inner, indent + 2, style);
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push_str(&line);
                out.push('\n');
                emit_seq(out, inner, indent, style);
            }
            _ => {
                line.push(' ');
                let col = line.chars().count();
                scalar(&mut line, v, col, indent + 2, style);
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
}

fn emit_seq(out: &mut String, a: &[Value], indent: usize, style: Style) {
    for item in a {
        match item {
            Value::Object(m) if !m.is_empty() => {
                let mut inner = String::new();
                emit_map(&mut inner, m, indent + 2, style);
                out.push_str(&dash(&inner, indent));
            }
            Value::Array(v) if !v.is_empty() => {
                let mut inner = String::new();
                emit_seq(&mut inner, v, indent + 2, style);
                out.push_str(&dash(&inner, indent));
            }
            _ => {
                let mut line = String::new();
                pad(&mut line, indent);
                line.push_str("- ");
                let col = line.chars().count();
                scalar(&mut line, item, col, indent + 2, style);
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
}

/// Puts `- ` in place of the first line's indentation at `indent`.
fn dash(inner: &str, indent: usize) -> String {
    let strip = indent + 2;
    let mut s = String::new();
    pad(&mut s, indent);
    s.push_str("- ");
    s.push_str(&inner[strip.min(inner.len())..]);
    s
}

/// Writes a scalar starting at column `col`; folded lines continue at
/// `cont` spaces.
fn scalar(line: &mut String, v: &Value, col: usize, cont: usize, style: Style) {
    match v {
        Value::Null => line.push_str("null"),
        Value::Bool(b) => line.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => line.push_str(&n.to_string()),
        Value::String(s) => string(line, s, col, cont, style),
        Value::Object(_) => line.push_str("{}"),
        Value::Array(_) => line.push_str("[]"),
    }
}

static INT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*|[0-9][0-9_]*(:[0-5]?[0-9])+)$",
    )
    .expect("int regex")
});
static FLOAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")
        .expect("float regex")
});
static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?( ?(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?$")
        .expect("timestamp regex")
});

/// yaml.v2 `resolve`: whether a plain scalar would read back as something
/// other than a string.
fn resolves_to_non_string(s: &str, style: Style) -> bool {
    matches!(
        s,
        "" | "~"
            | "null"
            | "Null"
            | "NULL"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | "y"
            | "Y"
            | "n"
            | "N"
            | "<<"
    ) || INT.is_match(s)
        || FLOAT.is_match(s)
        || (style.quote_timestamps && TIMESTAMP.is_match(s))
}

/// `yaml_emitter_analyze_scalar`: whether the block plain style is allowed.
fn plain_allowed(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    if chars.first().is_some_and(|c| *c == ' ') || chars.last().is_some_and(|c| *c == ' ') {
        return false;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    for (i, c) in chars.iter().enumerate() {
        let next_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        let prev_space = i > 0 && chars[i - 1].is_whitespace();
        if c.is_control() && *c != '\t' {
            return false;
        }
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => return false,
                '?' | ':' | '-' if next_space => return false,
                _ => {}
            }
        } else {
            match c {
                ':' if next_space => return false,
                '#' if prev_space => return false,
                _ => {}
            }
        }
    }
    true
}

fn string(line: &mut String, s: &str, col: usize, cont: usize, style: Style) {
    if s.contains('\n') {
        literal(line, s, cont);
        return;
    }
    if resolves_to_non_string(s, style) {
        line.push('"');
        for c in s.chars() {
            match c {
                '"' => line.push_str("\\\""),
                '\\' => line.push_str("\\\\"),
                c => line.push(c),
            }
        }
        line.push('"');
        return;
    }
    if plain_allowed(s) {
        folded(line, s, col, cont);
    } else {
        let quoted = format!("'{}'", s.replace('\'', "''"));
        folded(line, &quoted, col, cont);
    }
}

/// Writes `text`, breaking at a single space once past [`BEST_WIDTH`]
/// (`yaml_emitter_write_plain_scalar` / `_single_quoted`).
fn folded(line: &mut String, text: &str, col: usize, cont: usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut column = col;
    let mut spaces = false;
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let next_space = chars.get(i + 1).is_some_and(|n| *n == ' ');
            if !spaces && column > BEST_WIDTH && !next_space && i + 1 < chars.len() {
                line.push('\n');
                pad(line, cont);
                column = cont;
            } else {
                line.push(' ');
                column += 1;
            }
            spaces = true;
        } else {
            line.push(*c);
            column += 1;
            spaces = false;
        }
    }
}

/// A literal block: `|` when the text ends in exactly one newline, `|-`
/// without one, `|+` with more.
fn literal(line: &mut String, s: &str, indent: usize) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    line.push('|');
    match trailing {
        0 => line.push('-'),
        1 => {}
        _ => line.push('+'),
    }
    let body = s.trim_end_matches('\n');
    for l in body.split('\n') {
        line.push('\n');
        if !l.is_empty() {
            pad(line, indent);
            line.push_str(l);
        }
    }
    for _ in 1..trailing {
        line.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// [`Fact::YamlQuotesTimestamps`]: plain up to v1.15, quoted from v1.16.
    #[test]
    fn yaml_timestamps_by_version() {
        let v = json!({"metadata": {"creationTimestamp": "2018-05-23T16:19:58Z", "name": "x"}});
        let at = |minor| to_string_as(&v, Style::at(KubeVersion::new(1, minor, 0)));
        assert_eq!(at(15), "metadata:\n  creationTimestamp: 2018-05-23T16:19:58Z\n  name: x\n");
        assert_eq!(at(16), "metadata:\n  creationTimestamp: \"2018-05-23T16:19:58Z\"\n  name: x\n");
        // Other strings that read as another type stay quoted in every era.
        let n = json!({"resourceVersion": "152566"});
        assert_eq!(
            to_string_as(&n, Style::at(KubeVersion::new(1, 10, 0))),
            "resourceVersion: \"152566\"\n"
        );
    }

    #[test]
    fn go_yaml_style() {
        let v = json!({
            "metadata": {"annotations": {"deprecated.daemonset.template.generation": "1"},
                         "creationTimestamp": "2022-11-10T03:05:02Z", "generation": 1,
                         "resourceVersion": "332127"},
            "spec": {"template": {"metadata": {"creationTimestamp": null},
                     "spec": {"containers": [{"name": "a", "resources": {}, "command": ["/bin/x", "--y=$(Z)"]}],
                              "tolerations": [{"operator": "Exists"}],
                              "volumes": [{"hostPath": {"path": "/lib", "type": ""}, "name": "v"}]}}},
        });
        let want = "\
metadata:
  annotations:
    deprecated.daemonset.template.generation: \"1\"
  creationTimestamp: \"2022-11-10T03:05:02Z\"
  generation: 1
  resourceVersion: \"332127\"
spec:
  template:
    metadata:
      creationTimestamp: null
    spec:
      containers:
      - command:
        - /bin/x
        - --y=$(Z)
        name: a
        resources: {}
      tolerations:
      - operator: Exists
      volumes:
      - hostPath:
          path: /lib
          type: \"\"
        name: v
";
        assert_eq!(to_string(&v), want);
    }

    #[test]
    fn quoting_and_folding() {
        assert_eq!(to_string(&json!({"a": "x: y"})), "a: 'x: y'\n");
        assert_eq!(to_string(&json!({"a": "*"})), "a: '*'\n");
        assert_eq!(to_string(&json!({"a": "it's"})), "a: it's\n");
        assert_eq!(to_string(&json!({"a": "l1\nl2\n"})), "a: |\n  l1\n  l2\n");
        let long = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized";
        assert_eq!(
            to_string(&json!({"m": long})),
            "m: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady\n  message:docker: network plugin is not ready: cni config uninitialized'\n"
        );
        assert_eq!(key_less("a2", "a10"), Ordering::Less);
        assert_eq!(key_less("Port", "kubeletEndpoint"), Ordering::Less);
    }
}
