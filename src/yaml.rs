//! The one place YAML is read and written, so the YAML library can be swapped
//! here alone (serde_yaml, named by the design card, is archived upstream).

use serde::{Serialize, de::DeserializeOwned};

/// A YAML syntax or shape error with the 1-based line and column where the
/// parser stopped, when it knows them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    /// The parser's message.
    pub message: String,
    /// 1-based line within the parsed text.
    pub line: Option<usize>,
    /// 1-based column within the parsed text.
    pub column: Option<usize>,
}

impl From<serde_yaml::Error> for YamlError {
    fn from(err: serde_yaml::Error) -> Self {
        let location = err.location();
        YamlError {
            message: err.to_string(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    }
}

/// Deepest nesting of flow collections (`[`, `{`) accepted. libyaml's
/// parser takes time quadratic in this depth (20,000 levels of `[` in front
/// matter took 9 s); real manifests and front matter use a handful.
pub const MAX_FLOW_DEPTH: usize = 100;

/// Parses one YAML document into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_flow_depth(text)?;
    Ok(serde_yaml::from_str(text)?)
}

/// Parses one YAML document into `T` as kubectl reads manifests and
/// patches: `sigs.k8s.io/yaml` decodes with its fork of go-yaml v2, which
/// resolves plain scalars by YAML 1.1 (`goyaml.v2/resolve.go`): `0644` is
/// the octal integer 420 (`defaultMode: 0400` in a Secret volume), and
/// `yes`/`no`/`on`/`off`/`y`/`n` are booleans. serde_yaml reads YAML 1.2,
/// where those are strings.
pub fn from_str_yaml11<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    from_str(&yaml11_plain_scalars(text))
}

/// Rewrites the block-style plain scalar values that YAML 1.1 resolves
/// differently from YAML 1.2 into their YAML 1.2 spelling (`0o644`,
/// `true`). Block scalars (`|`, `>`), quoted scalars (also over several
/// lines), comments and flow collections are left as they are. Keys are
/// not rewritten (yaml.v2 also reads a key `n:` as `false`; no Kubernetes
/// field is named so). Line numbers do not move.
fn yaml11_plain_scalars(text: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = false;
    // The column a block scalar's lines must be indented past.
    let mut block: Option<usize> = None;
    // The quote of a quoted scalar continued on the next line.
    let mut open_quote: Option<char> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(q) = open_quote {
            if closes_quote(body, q) {
                open_quote = None;
            }
            out.push_str(line);
            continue;
        }
        if let Some(column) = block {
            if body.trim().is_empty() || indent > column {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        // Past the sequence indicators (`- - x`) to the node.
        let mut column = indent;
        while body[column..].starts_with("- ") || &body[column..] == "-" {
            column += 2.min(body.len() - column);
            column += body[column..].len() - body[column..].trim_start_matches(' ').len();
        }
        let node = &body[column..];
        let value_at = match mapping_value(node) {
            Some(offset) => column + offset,
            None if column > indent => column,
            None => {
                out.push_str(line);
                continue;
            }
        };
        let value = &body[value_at..];
        let (scalar, rest) = match value.find(" #") {
            Some(i) => (value[..i].trim_end(), &value[value[..i].trim_end().len()..]),
            None => (value.trim_end(), &value[value.trim_end().len()..]),
        };
        if scalar.starts_with(['|', '>']) {
            block = Some(if value_at == column { column.saturating_sub(2) } else { column });
        } else if let Some(q) = scalar.chars().next().filter(|c| matches!(c, '"' | '\''))
            && !closes_quote(&scalar[1..], q)
        {
            open_quote = Some(q);
        }
        match yaml11_spelling(scalar) {
            Some(spelling) => {
                changed = true;
                out.push_str(&body[..value_at]);
                out.push_str(&spelling);
                out.push_str(rest);
                out.push_str(&line[body.len()..]);
            }
            None => out.push_str(line),
        }
    }
    if changed { std::borrow::Cow::Owned(out) } else { std::borrow::Cow::Borrowed(text) }
}

/// Where the value of a `key: value` line starts within `node`, for a
/// plain or simply quoted key.
fn mapping_value(node: &str) -> Option<usize> {
    let key_end = match node.chars().next()? {
        q @ ('"' | '\'') => node[1..].find(q)? + 2,
        '#' | '{' | '[' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`' => return None,
        _ => 0,
    };
    let colon = node[key_end..]
        .find(": ")
        .map(|i| i + key_end)
        .or_else(|| node.ends_with(':').then(|| node.len() - 1))?;
    if node[..colon].contains(" #") {
        return None;
    }
    let after = &node[colon + 1..];
    Some(colon + 1 + (after.len() - after.trim_start_matches(' ').len()))
}

/// Whether `text` has a closing quote `q` (not escaped by `\\` in double
/// quotes; `''` is an escaped quote in single quotes).
fn closes_quote(text: &str, q: char) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if q == '"' => {
                chars.next();
            }
            c if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The YAML 1.2 spelling of a plain scalar that YAML 1.1 reads as an octal
/// integer or a boolean (`goyaml.v2/resolve.go`'s table and
/// `strconv.ParseInt(plain, 0, 64)`).
fn yaml11_spelling(scalar: &str) -> Option<String> {
    match scalar {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Some("true".into()),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Some("false".into()),
        _ => {}
    }
    let (sign, digits) = match scalar.strip_prefix(['-', '+']) {
        Some(rest) => (&scalar[..1], rest),
        None => ("", scalar),
    };
    let rest = digits.strip_prefix('0')?;
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if rest.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return Some(format!("{sign}0o{rest}"));
    }
    // Not octal (`0900`): ParseInt fails and yaml.v2's float pattern reads
    // it as the decimal 900.
    let decimal = rest.trim_start_matches('0');
    Some(format!("{sign}{}", if decimal.is_empty() { "0" } else { decimal }))
}

/// Refuses text whose flow collections nest deeper than [`MAX_FLOW_DEPTH`],
/// before the parser sees it. Brackets inside quoted scalars and comments do
/// not count; a quote opens a scalar only where YAML allows one to start.
fn check_flow_depth(text: &str) -> Result<(), YamlError> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    for c in text.chars() {
        column += 1;
        if c == '\n' {
            (line, column, comment) = (line + 1, 0, false);
            if quote.is_none() {
                previous = c;
                continue;
            }
        }
        match quote {
            _ if comment => {}
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '#' if previous.is_whitespace() => comment = true,
                '\'' | '"' if previous.is_whitespace() || "[{,:-".contains(previous) => {
                    quote = Some(c);
                }
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(YamlError {
                            message: format!(
                                "flow collections nested deeper than {MAX_FLOW_DEPTH} levels"
                            ),
                            line: Some(line),
                            column: Some(column),
                        });
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = c;
    }
    Ok(())
}

/// Parses every document of a multi-document YAML stream into JSON values
/// (empty documents are skipped, as kubectl does).
pub fn documents(text: &str) -> Result<Vec<serde_json::Value>, YamlError> {
    check_flow_depth(text)?;
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let value = serde_json::Value::deserialize_from(doc)?;
        if !value.is_null() {
            out.push(value);
        }
    }
    Ok(out)
}

/// Serialises `value` as YAML.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    Ok(serde_yaml::to_string(value)?)
}

trait DeserializeFrom: Sized {
    fn deserialize_from(doc: serde_yaml::Deserializer<'_>) -> Result<Self, serde_yaml::Error>;
}

impl DeserializeFrom for serde_json::Value {
    fn deserialize_from(doc: serde_yaml::Deserializer<'_>) -> Result<Self, serde_yaml::Error> {
        serde::Deserialize::deserialize(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn flow_collections_nest_up_to_the_limit() {
        assert!(from_str::<serde_json::Value>(&nested(MAX_FLOW_DEPTH)).is_ok());
    }

    #[test]
    fn deeper_flow_nesting_is_refused_at_its_position_before_parsing() {
        let text = format!("x: 1\n{}", nested(20_000));
        let err = from_str::<serde_json::Value>(&text).unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(4 + MAX_FLOW_DEPTH)));
        assert!(err.message.contains("nested deeper than 100 levels"), "{}", err.message);
        assert!(documents(&text).is_err());
    }

    fn yaml11(text: &str) -> serde_json::Value {
        from_str_yaml11(text).unwrap()
    }

    #[test]
    fn kubectl_reads_plain_octals_and_yes_no_as_yaml_1_1() {
        // What kubectl 1.35.4 printed for these with `create --dry-run=client -o yaml`.
        assert_eq!(
            yaml11(
                "mode: 0400\nm: 0644 # rw\nneg: -010\nq: '0644'\nd: \"0644\"\nz: 0\nnine: 0900\n"
            ),
            serde_json::json!({"mode": 256, "m": 420, "neg": -8, "q": "0644", "d": "0644", "z": 0, "nine": 900})
        );
        assert_eq!(
            yaml11("a: yes\nb: Off\nc: y\nk: no\nd: 'yes'\n"),
            serde_json::json!({"a": true, "b": false, "c": true, "k": false, "d": "yes"})
        );
        assert_eq!(
            yaml11("items:\n- 0755\n- - on\n- key: 0644\n  path: p\n"),
            serde_json::json!({"items": [493, [true], {"key": 420, "path": "p"}]})
        );
    }

    #[test]
    fn block_and_multi_line_quoted_scalars_stay_text() {
        let text = "- script: |\n    mode: 0644\n    yes\n  mode: 0600\nb: >-\n  on\nc: \"first\n  0644 yes\"\nd: 0644\n";
        assert_eq!(
            yaml11(text.split_once("b:").unwrap().0),
            serde_json::json!([{"script": "mode: 0644\nyes\n", "mode": 384}])
        );
        let rest = &text[text.find("b:").unwrap()..];
        assert_eq!(yaml11(rest), serde_json::json!({"b": "on", "c": "first 0644 yes", "d": 420}));
    }

    #[test]
    fn brackets_in_quotes_and_comments_do_not_count() {
        let many = "[".repeat(MAX_FLOW_DEPTH + 1);
        let text = format!("a: '{many}'\nb: \"{many}\"\nc: 1 # {many}\nd: don't [x]\n");
        assert!(from_str::<serde_json::Value>(&text).is_ok());
    }
}
