//! JSON parsing with the error texts of Go's `encoding/json`, which the API
//! server returns for a malformed patch (`invalid character 's' looking for
//! beginning of object key string`, `unexpected end of JSON input`). The
//! syntax check is a port of the states of `encoding/json/scanner.go`;
//! the value itself comes from `serde_json` once the text is valid.

use serde_json::Value;

/// Parses `text`; `Err` is Go's syntax error text.
pub fn parse(text: &str) -> Result<Value, String> {
    check_valid(text.as_bytes())?;
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// `UnmarshalTypeError.Error()` for a value decoded into Go type `go_type`.
pub fn cannot_unmarshal(value: &Value, go_type: &str) -> String {
    let what = match value {
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
    };
    format!("json: cannot unmarshal {what} into Go value of type {go_type}")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parse {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    BeginValue,
    BeginValueOrEmpty,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    InStringEscU(u8),
    Neg,
    Zero,
    One,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    /// Inside a literal: the literal and how many bytes of it were read.
    Literal(&'static [u8], usize),
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// `quoteChar`.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_owned(),
        b'"' => "'\"'".to_owned(),
        _ => {
            let ch = char::from(c);
            let quoted = match ch {
                '\\' => "\\\\".to_owned(),
                '\n' => "\\n".to_owned(),
                '\r' => "\\r".to_owned(),
                '\t' => "\\t".to_owned(),
                c if (c as u32) < 0x20 || c as u32 == 0x7f => format!("\\x{:02x}", c as u32),
                c => c.to_string(),
            };
            format!("'{quoted}'")
        }
    }
}

fn error(c: u8, context: &str) -> String {
    format!("invalid character {} {context}", quote_char(c))
}

/// `checkValid`.
fn check_valid(data: &[u8]) -> Result<(), String> {
    let mut stack: Vec<Parse> = Vec::new();
    let mut state = State::BeginValue;
    for &c in data {
        state = step(state, c, &mut stack)?;
    }
    // `scanner.eof`: a trailing number is complete at the end of input.
    if state == State::EndTop {
        return Ok(());
    }
    match step(state, b' ', &mut stack) {
        Ok(State::EndTop) => Ok(()),
        _ => Err("unexpected end of JSON input".to_owned()),
    }
}

fn begin_value(c: u8, stack: &mut Vec<Parse>) -> Result<State, String> {
    Ok(match c {
        c if is_space(c) => State::BeginValue,
        b'{' => {
            stack.push(Parse::ObjectKey);
            State::BeginStringOrEmpty
        }
        b'[' => {
            stack.push(Parse::ArrayValue);
            State::BeginValueOrEmpty
        }
        b'"' => State::InString,
        b'-' => State::Neg,
        b'0' => State::Zero,
        b'1'..=b'9' => State::One,
        b't' => State::Literal(b"true", 1),
        b'f' => State::Literal(b"false", 1),
        b'n' => State::Literal(b"null", 1),
        _ => return Err(error(c, "looking for beginning of value")),
    })
}

fn end_value(c: u8, stack: &mut Vec<Parse>) -> Result<State, String> {
    let Some(top) = stack.last().copied() else {
        return if is_space(c) { Ok(State::EndTop) } else { end_top(c) };
    };
    if is_space(c) {
        return Ok(State::EndValue);
    }
    match top {
        Parse::ObjectKey if c == b':' => {
            *stack.last_mut().expect("non-empty") = Parse::ObjectValue;
            Ok(State::BeginValue)
        }
        Parse::ObjectKey => Err(error(c, "after object key")),
        Parse::ObjectValue if c == b',' => {
            *stack.last_mut().expect("non-empty") = Parse::ObjectKey;
            Ok(State::BeginString)
        }
        Parse::ObjectValue if c == b'}' => {
            stack.pop();
            Ok(if stack.is_empty() { State::EndTop } else { State::EndValue })
        }
        Parse::ObjectValue => Err(error(c, "after object key:value pair")),
        Parse::ArrayValue if c == b',' => Ok(State::BeginValue),
        Parse::ArrayValue if c == b']' => {
            stack.pop();
            Ok(if stack.is_empty() { State::EndTop } else { State::EndValue })
        }
        Parse::ArrayValue => Err(error(c, "after array element")),
    }
}

fn end_top(c: u8) -> Result<State, String> {
    if is_space(c) { Ok(State::EndTop) } else { Err(error(c, "after top-level value")) }
}

fn step(state: State, c: u8, stack: &mut Vec<Parse>) -> Result<State, String> {
    match state {
        State::BeginValue => begin_value(c, stack),
        State::BeginValueOrEmpty => match c {
            c if is_space(c) => Ok(state),
            b']' => end_value(c, stack),
            _ => begin_value(c, stack),
        },
        State::BeginStringOrEmpty => match c {
            c if is_space(c) => Ok(state),
            b'}' => {
                *stack.last_mut().expect("non-empty") = Parse::ObjectValue;
                end_value(c, stack)
            }
            _ => step(State::BeginString, c, stack),
        },
        State::BeginString => match c {
            c if is_space(c) => Ok(state),
            b'"' => Ok(State::InString),
            _ => Err(error(c, "looking for beginning of object key string")),
        },
        State::EndValue => end_value(c, stack),
        State::EndTop => end_top(c),
        State::InString => match c {
            b'"' => Ok(State::EndValue),
            b'\\' => Ok(State::InStringEsc),
            c if c < 0x20 => Err(error(c, "in string literal")),
            _ => Ok(state),
        },
        State::InStringEsc => match c {
            b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => Ok(State::InString),
            b'u' => Ok(State::InStringEscU(0)),
            _ => Err(error(c, "in string escape code")),
        },
        State::InStringEscU(n) => {
            if !c.is_ascii_hexdigit() {
                return Err(error(c, "in \\u hexadecimal character escape"));
            }
            Ok(if n == 3 { State::InString } else { State::InStringEscU(n + 1) })
        }
        State::Neg => match c {
            b'0' => Ok(State::Zero),
            b'1'..=b'9' => Ok(State::One),
            _ => Err(error(c, "in numeric literal")),
        },
        State::One if c.is_ascii_digit() => Ok(State::One),
        State::One | State::Zero => match c {
            b'.' => Ok(State::Dot),
            b'e' | b'E' => Ok(State::E),
            _ => end_value(c, stack),
        },
        State::Dot => {
            if c.is_ascii_digit() {
                Ok(State::Dot0)
            } else {
                Err(error(c, "after decimal point in numeric literal"))
            }
        }
        State::Dot0 => match c {
            c if c.is_ascii_digit() => Ok(State::Dot0),
            b'e' | b'E' => Ok(State::E),
            _ => end_value(c, stack),
        },
        State::E if c == b'+' || c == b'-' => Ok(State::ESign),
        State::E | State::ESign => {
            if c.is_ascii_digit() {
                Ok(State::E0)
            } else {
                Err(error(c, "in exponent of numeric literal"))
            }
        }
        State::E0 => {
            if c.is_ascii_digit() {
                Ok(State::E0)
            } else {
                end_value(c, stack)
            }
        }
        State::Literal(word, n) => {
            if c != word[n] {
                let name = std::str::from_utf8(word).unwrap_or_default();
                return Err(error(
                    c,
                    &format!("in literal {name} (expecting {})", quote_char(word[n])),
                ));
            }
            Ok(if n + 1 == word.len() { State::EndValue } else { State::Literal(word, n + 1) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_syntax_errors() {
        let err = |s: &str| parse(s).unwrap_err();
        assert_eq!(
            err("{spec:1}"),
            "invalid character 's' looking for beginning of object key string"
        );
        assert_eq!(err(r#"{"spec":{"replicas":3}"#), "unexpected end of JSON input");
        assert_eq!(err(r#"{"a" 1}"#), "invalid character '1' after object key");
        assert_eq!(err(r#"{"a":1 "b":2}"#), "invalid character '\"' after object key:value pair");
        assert_eq!(err(r#"{"a":1}}"#), "invalid character '}' after top-level value");
        assert_eq!(err(r#"[1 2]"#), "invalid character '2' after array element");
        assert_eq!(err(r#"{"a":tru}"#), "invalid character '}' in literal true (expecting 'e')");
        assert_eq!(err(r#"{"a":'x'}"#), "invalid character '\\'' looking for beginning of value");
        assert_eq!(err(""), "unexpected end of JSON input");
    }

    #[test]
    fn valid_json_parses() {
        assert_eq!(
            parse(r#" {"a": [1, -2.5e3, true, null, "x\u0041"], "b": {}} "#).unwrap()["a"][4],
            "xA"
        );
        assert_eq!(parse("3").unwrap(), 3);
    }
}
