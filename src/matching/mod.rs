//! Comparing expected output with actual output (DESIGN.md §3).
//!
//! Tutorial output contains values no two runs share. Here they are
//! variables, so a tutorial's output can be pasted verbatim and still be a
//! strict test:
//!
//! - **Bound** values — the hash and 5-char suffix of generated names
//!   (`test-nginx-59ffd87f5-mqvjq`), IPs, NodePorts, container/image ids,
//!   UIDs, resourceVersions, bootstrap tokens, CronJob job suffixes — bind on
//!   first match; later occurrences must be the same actual value, and no two
//!   expected tokens bind the same actual value. Bindings live in
//!   [`Bindings`] and persist across steps.
//! - **Free** values — ages, durations, timestamps — match anything of their
//!   shape and bind nothing.
//! - kubectl tables (an upper-case header, a describe-style header over a
//!   `----` rule, or header-less runs of 3+ cells as after `| grep`) are split
//!   into cells on runs of 2+ spaces, so padding never matters, and their rows
//!   are matched as a set. Where rows are indistinguishable, every
//!   consistent assignment is kept as an alternative until a later step
//!   decides (see [`Bindings`]).
//! - `[..]` (or `...`) within a line matches any text; a line that is only
//!   dots matches any number of lines. Everything else, including the
//!   spacing of lines outside tables, is literal; trailing spaces and
//!   trailing blank lines are ignored.
//!
//! Modules: `tokens` reads volatile values, `layout` finds tables,
//! `pattern` compiles expected lines, `table` matches row sets,
//! `matcher` walks a whole output, `bindings` holds the environments,
//! `diff` renders reports, `align` tells which expected lines matched
//! which actual lines (for `--bless`; matching does not use it).

mod align;
mod bindings;
mod diff;
mod layout;
mod matcher;
mod pattern;
mod selected;
mod table;
mod tokens;

#[cfg(test)]
mod tests;

pub use align::{Alignment, Segment, align};
pub use bindings::Bindings;
pub use diff::render_diff;
pub use selected::{match_command_output, selects_node_port};

use crate::scenario::model::Expected;

use bindings::MAX_CANDIDATES;
use matcher::Matcher;
use table::Limits;

/// Search steps one alternative may spend before the matcher gives up on it;
/// bounds pathological inputs (many `...` lines, huge ambiguous tables).
const STEPS_PER_ALTERNATIVE: usize = 50_000;
/// Search steps one `match_output` call may spend over all alternatives.
const STEPS_PER_CALL: usize = 2_000_000;

/// Why an output did not match, for reporting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The expected text with bound tokens replaced by their actual values,
    /// so a diff against `actual` shows only real differences.
    pub expected: String,
    /// The actual output.
    pub actual: String,
    /// 0-based index of the first differing expected line, if known.
    pub line: Option<usize>,
    /// A short human reason (`row `x` has no match`, `2 line(s) missing`,
    /// ``mqvjq` is already bound to `abcde` ...`).
    pub reason: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "expected line {}: {}", line + 1, self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

/// Matches one command's actual output against the expected text under
/// `bindings`.
///
/// Each alternative environment of `bindings` is tried in order and every
/// consistent extension is kept (at most 256, first ones first), so the
/// returned bindings extend the input. `Err` only when no alternative
/// matches; it describes the failure under the first alternative.
pub fn match_output(
    expected: &Expected,
    actual: &str,
    bindings: &Bindings,
) -> Result<Bindings, Mismatch> {
    let matcher = Matcher::new(&expected.text, expected.mode, actual);
    let mut found = Vec::new();
    let mut first_failure = None;
    let mut total = STEPS_PER_CALL;
    for (k, env) in bindings.envs().iter().enumerate() {
        if found.len() >= MAX_CANDIDATES || total == 0 {
            break;
        }
        let budget = STEPS_PER_ALTERNATIVE.min(total);
        let mut limits = Limits { solutions: MAX_CANDIDATES - found.len(), budget };
        let (envs, failure) = matcher.run(env, &mut limits);
        total -= budget - limits.budget;
        if k == 0 {
            first_failure = failure;
        }
        found.extend(envs);
    }
    if found.is_empty() {
        return Err(mismatch(expected, actual, first_failure));
    }
    Ok(Bindings::from_envs(found))
}

fn mismatch(expected: &Expected, actual: &str, failure: Option<matcher::Failure>) -> Mismatch {
    let (text, line, reason) = match failure {
        Some(f) => (f.env.substitute(&expected.text), f.line, f.reason),
        None => (expected.text.clone(), None, "output differs".to_string()),
    };
    Mismatch { expected: text, actual: actual.to_string(), line, reason }
}
