//! Unified diffs of expected vs actual output for reports.

use std::fmt::Write;

use similar::{Algorithm, ChangeTag, TextDiff};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// A unified diff of `expected` (`-`, red) against `actual` (`+`, green):
/// Patience algorithm, three lines of context, and a gutter with the
/// 1-based line numbers on both sides. ANSI colours only when `color`.
/// Empty when the texts are equal.
pub fn render_diff(expected: &str, actual: &str, color: bool) -> String {
    let diff = TextDiff::configure().algorithm(Algorithm::Patience).diff_lines(expected, actual);
    let mut out = String::new();
    for group in diff.grouped_ops(3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let (old, new) = (
            first.old_range().start..last.old_range().end,
            first.new_range().start..last.new_range().end,
        );
        let header =
            format!("@@ -{},{} +{},{} @@", old.start + 1, old.len(), new.start + 1, new.len());
        paint(&mut out, &header, CYAN, color);
        for op in &group {
            for change in diff.iter_changes(op) {
                let gutter = |i: Option<usize>| i.map_or(String::new(), |i| (i + 1).to_string());
                let (sign, colour) = match change.tag() {
                    ChangeTag::Delete => ('-', Some(RED)),
                    ChangeTag::Insert => ('+', Some(GREEN)),
                    ChangeTag::Equal => (' ', None),
                };
                let text = change.value().strip_suffix('\n').unwrap_or(change.value());
                let line = format!(
                    "{:>4} {:>4} |{sign}{text}",
                    gutter(change.old_index()),
                    gutter(change.new_index())
                );
                match colour {
                    Some(c) => paint(&mut out, &line, c, color),
                    None => {
                        let _ = writeln!(out, "{line}");
                    }
                }
            }
        }
    }
    out
}

/// Writes one line, wrapped in `colour` when colouring.
fn paint(out: &mut String, line: &str, colour: &str, color: bool) {
    let _ = if color { writeln!(out, "{colour}{line}{RESET}") } else { writeln!(out, "{line}") };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_diff_has_gutter_and_signs() {
        let d = render_diff("a\nb\nc\n", "a\nB\nc\n", false);
        assert_eq!(
            d,
            "@@ -1,3 +1,3 @@\n   1    1 | a\n   2      |-b\n        2 |+B\n   3    3 | c\n"
        );
        assert!(!d.contains('\x1b'));
    }

    #[test]
    fn coloured_diff() {
        let d = render_diff("x\n", "y\n", true);
        assert!(d.contains("\x1b[31m   1      |-x\x1b[0m"), "{d:?}");
        assert!(d.contains("\x1b[32m        1 |+y\x1b[0m"), "{d:?}");
    }

    #[test]
    fn equal_texts_give_nothing() {
        assert_eq!(render_diff("same\n", "same\n", true), "");
    }
}
