//! Go's two ways of quoting a string, which kubectl and the Kubernetes
//! components print through: `strconv.Quote` (`%q`, labels in downward-API
//! files, messages) and `encoding/json`'s string encoding (JSON output,
//! jsonpath values). One implementation each, for the simulator and the
//! kubectl layer alike.

use std::fmt::Write as _;

/// Go `strconv.Quote`: backslash escapes for `"`, `\` and the C escapes,
/// `\xNN` for other control bytes; printable text as it is.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `encoding/json`'s string encoding with `escapeHTML` on (its default):
/// `<`, `>`, `&`, U+2028 and U+2029 as `\uNNNN`, like other control
/// characters.
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_is_strconv_quote() {
        assert_eq!(quote("a \"b\"\n\t\u{7}\u{1}"), "\"a \\\"b\\\"\\n\\t\\a\\x01\"");
    }

    #[test]
    fn json_strings_escape_html() {
        let mut out = String::new();
        write_json_string(&mut out, "<a & b>\u{1}");
        assert_eq!(out, "\"\\u003ca \\u0026 b\\u003e\\u0001\"");
    }
}
