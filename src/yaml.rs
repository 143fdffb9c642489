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

/// Parses one YAML document into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    Ok(serde_yaml::from_str(text)?)
}

/// Parses every document of a multi-document YAML stream into JSON values
/// (empty documents are skipped, as kubectl does).
pub fn documents(text: &str) -> Result<Vec<serde_json::Value>, YamlError> {
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
