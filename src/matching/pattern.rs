//! An expected line (or table row) compiled into a regex over the actual text.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Regex, RegexBuilder};

use super::tokens::{Tok, VarKind, tokenize};

/// Joins table cells on both sides, so one regex matches a whole row and a
/// `[..]` in a cell cannot run into the next cell.
const CELL_SEP: char = '\u{1f}';

/// A bound variable of a pattern, in capture-group order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    /// The kind of value.
    pub kind: VarKind,
    /// The token as the tutorial wrote it.
    pub expected: String,
}

/// A value an actual text gave a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Capture {
    /// The expected token.
    pub expected: String,
    /// The actual value.
    pub actual: String,
    /// The actual word the value was found in (for messages).
    pub context: String,
}

/// An expected line or row, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// `None` when the regex could not be built (absurdly long line): then
    /// the text is compared literally rather than panicking.
    re: Option<Regex>,
    literal: String,
    slots: Vec<Slot>,
    /// Text every matching actual starts with (the leading literal, up to
    /// its first space in a row): lets a table index its actual rows.
    prefix: String,
}

impl Pattern {
    /// A whole line: everything but volatile values and wildcards is literal.
    pub(crate) fn line(text: &str) -> Pattern {
        Pattern::build(&[text.trim_end()], false)
    }

    /// A table row: cells compared one by one, padding ignored.
    pub(crate) fn row(cells: &[&str]) -> Pattern {
        Pattern::build(cells, true)
    }

    fn build(cells: &[&str], is_row: bool) -> Pattern {
        let wild = if is_row { "[^\u{1f}]*?" } else { ".*?" };
        let mut source = String::from("^");
        let mut slots = Vec::new();
        let prefix = match cells.first().map(|c| tokenize(c, true)).and_then(|t| t.first().cloned())
        {
            Some(Tok::Lit(text)) if is_row => {
                text.split(char::is_whitespace).next().unwrap_or_default().to_owned()
            }
            Some(Tok::Lit(text)) => text.to_owned(),
            _ => String::new(),
        };
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                source.push_str(ROW_SPACE);
            }
            for tok in tokenize(cell, true) {
                match tok {
                    Tok::Lit(text) if is_row => source.push_str(&escape_row_literal(text)),
                    Tok::Lit(text) => source.push_str(&regex::escape(text)),
                    Tok::Wild => source.push_str(wild),
                    Tok::Var(kind, _) if kind.is_free() => {
                        source.push_str(&format!("(?:{})", kind.actual_regex()));
                    }
                    Tok::Var(kind, text) => {
                        source.push_str(&format!("({})", kind.actual_regex()));
                        slots.push(Slot { kind, expected: text.to_string() });
                    }
                }
            }
        }
        source.push('$');
        let literal = join_cells(cells);
        Pattern { re: compile(&source), literal, slots, prefix }
    }

    /// Text every actual this pattern matches begins with (may be empty).
    pub(crate) fn prefix(&self) -> &str {
        match &self.re {
            Some(_) => &self.prefix,
            None => &self.literal,
        }
    }

    /// The values `actual` gives this pattern's slots, or `None` if it does not match.
    pub(crate) fn captures(&self, actual: &str) -> Option<Vec<Capture>> {
        let Some(re) = &self.re else {
            return (self.literal == actual).then(Vec::new);
        };
        let caps = re.captures(actual)?;
        let out = self
            .slots
            .iter()
            .enumerate()
            .map(|(i, slot)| {
                let m = caps.get(i + 1).expect("one group per slot");
                Capture {
                    expected: slot.expected.clone(),
                    actual: m.as_str().to_string(),
                    context: word_around(actual, m.start(), m.end()).to_string(),
                }
            })
            .collect();
        Some(out)
    }
}

/// Any spacing in a row: blog copies of tutorials often collapse kubectl's
/// padding (or turn it into non-breaking spaces), so in a table row a space
/// or a cell boundary in the expected text matches any run of either.
const ROW_SPACE: &str = "[ \u{1f}]+";

/// Escapes row text, with every whitespace run matching [`ROW_SPACE`].
fn escape_row_literal(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split(char::is_whitespace).enumerate() {
        if i > 0 && !out.ends_with(ROW_SPACE) {
            out.push_str(ROW_SPACE);
        }
        out.push_str(&regex::escape(part));
    }
    out
}

/// Compiled regexes by source. The runner matches the same expected output
/// again on every "eventually" retry, and compiling (the timestamp
/// alternatives especially) costs far more than matching.
const CACHE_LIMIT: usize = 4096;

thread_local! {
    static CACHE: RefCell<HashMap<String, Option<Regex>>> = RefCell::new(HashMap::new());
}

/// Compiles `source`, or `None` if it cannot be (too large).
fn compile(source: &str) -> Option<Regex> {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(re) = cache.get(source) {
            return re.clone();
        }
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        let re = RegexBuilder::new(source).size_limit(1 << 24).build().ok();
        cache.insert(source.to_string(), re.clone());
        re
    })
}

/// The text a row pattern is matched against: the cells joined.
pub(crate) fn join_cells(cells: &[&str]) -> String {
    cells.join(&CELL_SEP.to_string())
}

/// The whitespace-delimited word containing `start..end`.
fn word_around(text: &str, start: usize, end: usize) -> &str {
    let is_sep = |c: char| c.is_whitespace() || c == CELL_SEP || c == '"' || c == '(' || c == ')';
    let from = text[..start].rfind(is_sep).map_or(0, |i| i + 1);
    let to = text[end..].find(is_sep).map_or(text.len(), |i| end + i);
    &text[from..to]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::layout::cells;

    fn row(text: &str) -> Pattern {
        Pattern::row(&cells(text))
    }

    fn caps(p: &Pattern, actual: &str) -> Option<Vec<(String, String)>> {
        p.captures(&join_cells(&cells(actual)))
            .map(|v| v.into_iter().map(|c| (c.expected, c.actual)).collect())
    }

    #[test]
    fn row_captures_bound_values_and_ignores_padding() {
        let p = row("test-nginx-59ffd87f5-mqvjq   1/1     Running   0              58s");
        assert_eq!(
            caps(&p, "test-nginx-7c5ddbdf54-x2x9k   1/1   Running   0   3m1s"),
            Some(vec![("59ffd87f5".into(), "7c5ddbdf54".into()), ("mqvjq".into(), "x2x9k".into())])
        );
        assert_eq!(caps(&p, "test-nginx-7c5ddbdf54-x2x9k   2/1   Running   0   3m1s"), None);
        assert_eq!(caps(&p, "other-7c5ddbdf54-x2x9k   1/1   Running   0   3m1s"), None);
    }

    #[test]
    fn wildcard_stays_within_its_cell() {
        let p = row("web-[..]   1/1   Running");
        assert!(caps(&p, "web-abc   1/1   Running").is_some());
        assert!(caps(&p, "web-abc   2/2   1/1   Running").is_none());
        let line = Pattern::line("Waiting for rollout to finish: [..] updated...");
        assert!(line.captures("Waiting for rollout to finish: 1 of 3 updated...").is_some());
    }

    #[test]
    fn context_is_the_whole_word() {
        let p = Pattern::line("pod \"testdeployment-58779f7cd8-jwwtm\" deleted");
        let c = p.captures("pod \"testdeployment-5c4b8d64df-abcde\" deleted").unwrap();
        assert_eq!(c[1].context, "testdeployment-5c4b8d64df-abcde");
    }
}
