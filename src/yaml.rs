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

    #[test]
    fn brackets_in_quotes_and_comments_do_not_count() {
        let many = "[".repeat(MAX_FLOW_DEPTH + 1);
        let text = format!("a: '{many}'\nb: \"{many}\"\nc: 1 # {many}\nd: don't [x]\n");
        assert!(from_str::<serde_json::Value>(&text).is_ok());
    }
}
