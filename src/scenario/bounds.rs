//! The limits every scenario file is held to before it is parsed, so no
//! input can make kubeplay panic, hang or take gigabytes: a line of a
//! million `[..]` once took 750 MB in the matcher. Exceeding one is a
//! [`ParseError`] at the line (and column) where it happens.

use std::path::Path;

use super::{
    error::{ErrorCode, ParseError},
    model::Span,
};

/// Longest line, in bytes. Real tutorials stay far below (a kubeconfig's
/// base64 certificate line is a few KiB).
pub const MAX_LINE_BYTES: usize = 100_000;

/// Most `[..]` wildcards on one line. Each one is a point the matcher may
/// backtrack to; a tutorial needs a handful.
pub const MAX_WILDCARDS_PER_LINE: usize = 256;

/// The file's bytes as text, or the line and column of the first byte that
/// is not UTF-8.
pub fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = 1 + good.iter().filter(|b| **b == b'\n').count();
        // Columns count characters, as elsewhere in parse errors.
        let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = 1 + String::from_utf8_lossy(&good[line_start..]).chars().count();
        ParseError::new(
            path,
            Span { line, column },
            ErrorCode::InvalidUtf8,
            format!("not UTF-8: byte 0x{:02x} cannot start a character", bytes[e.valid_up_to()]),
        )
    })
}

/// Checks every line of `text` against the limits.
pub fn check(path: &Path, text: &str) -> Result<(), ParseError> {
    for (i, line) in text.split('\n').enumerate() {
        let at = |column| Span { line: i + 1, column };
        if line.len() > MAX_LINE_BYTES {
            return Err(ParseError::new(
                path,
                at(1),
                ErrorCode::LimitExceeded,
                format!(
                    "line is {} bytes long; kubeplay reads at most {MAX_LINE_BYTES}",
                    line.len()
                ),
            ));
        }
        if let Some((column, _)) = line.match_indices("[..]").nth(MAX_WILDCARDS_PER_LINE) {
            return Err(ParseError::new(
                path,
                at(1 + line[..column].chars().count()),
                ErrorCode::LimitExceeded,
                format!("more than {MAX_WILDCARDS_PER_LINE} `[..]` wildcards on one line"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_reported_at_its_line_and_column() {
        let err = decode(Path::new("t.md"), b"# T\n\nab\xffcd\n").unwrap_err();
        assert_eq!((err.line, err.column, err.code), (3, 3, ErrorCode::InvalidUtf8));
        assert_eq!(
            err.to_string(),
            "t.md:3:3: error[S0013]: not UTF-8: byte 0xff cannot start a character"
        );
    }

    #[test]
    fn a_line_longer_than_the_limit_is_an_error_at_its_line() {
        let text = format!("# T\n{}\n", "x".repeat(MAX_LINE_BYTES + 1));
        let err = check(Path::new("t.md"), &text).unwrap_err();
        assert_eq!((err.line, err.code), (2, ErrorCode::LimitExceeded));
        assert!(check(Path::new("t.md"), &"x".repeat(MAX_LINE_BYTES)).is_ok());
    }

    #[test]
    fn too_many_wildcards_on_a_line_is_an_error_at_the_first_one_too_many() {
        let ok = "[..]".repeat(MAX_WILDCARDS_PER_LINE);
        assert!(check(Path::new("t.md"), &ok).is_ok());
        let err = check(Path::new("t.md"), &format!("a\n{ok}[..]")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 4 * MAX_WILDCARDS_PER_LINE + 1));
        assert_eq!(err.code, ErrorCode::LimitExceeded);
    }
}
