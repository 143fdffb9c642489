//! `kubeplay run --bless`: rewriting a failing step's expected output in
//! the scenario file from the actual output (DESIGN §5).
//!
//! Only the lines that did not match change. The matcher's alignment
//! ([`matching::align`]) says which expected lines matched; those are
//! copied from the file as they are — wildcards (`[..]`, `...`), variables,
//! the tutorial's own names and ages, `vars:` placeholders, indentation and
//! non-breaking spaces. The lines that did not match are written from the
//! actual output in the tutorial's terms: a value bound earlier is written
//! as the token it is bound to, and a replaced line keeps the ages and
//! unbound names of the line it replaces when both have the same shape.
//! snapbox/trycmd's overwrite replaces the whole block and flattens the
//! wildcards (assert-rs/snapbox#396); this is the line-wise alternative.
//!
//! A scenario stops at its first failing step, so blessing iterates: bless
//! the failing step, write the file, run the scenario again, until it
//! passes, a step cannot be blessed, or [`MAX_ROUNDS`] is reached. Before a
//! file is written, the new text is parsed again and the step's new
//! expectation is matched against the actual output, so a rewrite that
//! would not pass (or would change the file's structure, say an output line
//! that looks like a prompt) is refused rather than written. Files are
//! written atomically (a temporary file in the same folder, then a rename).
//!
//! Known-failure scenarios are never blessed: their expected output is the
//! tutorial's, and the simulator is what is wrong.

use std::{collections::BTreeMap, path::Path};

use super::{
    batch::prepare,
    engine::{FailureContext, RunConfig, run_scenario_traced},
    report::{Observed, Outcome, ScenarioReport, StepFailure},
};
use crate::{
    backend::BackendChoice,
    matching::{self, Bindings, Segment},
    scenario::{self, Expected, ExpectedStatus, Format, MatchMode, Scenario, StepKind},
};

/// Whether a run checks expectations or rewrites them. Resolved once, at
/// the edge (the CLI), and passed down in [`RunConfig`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UpdateMode {
    /// Check every output; change nothing (the default, and always in CI).
    #[default]
    Verify,
    /// Rewrite failing steps' expected output in place (`--bless`).
    Bless,
}

impl UpdateMode {
    /// The mode for a `--bless` flag given the `CI` environment variable's
    /// presence: in CI nothing rewrites expectations (DESIGN §1, the rule
    /// insta follows for snapshots), so blessing there is an error.
    pub fn resolve(bless: bool, ci: bool) -> Result<UpdateMode, String> {
        match (bless, ci) {
            (false, _) => Ok(UpdateMode::Verify),
            (true, true) => Err("--bless refuses to run when CI is set: in CI nothing rewrites \
                 expectations; bless locally and commit the result"
                .to_owned()),
            (true, false) => Ok(UpdateMode::Bless),
        }
    }
}

/// Most run-and-bless rounds for one scenario.
pub const MAX_ROUNDS: usize = 50;

/// What blessing did to one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlessNote {
    /// 1-based step number.
    pub step: usize,
    /// The step's line in the file.
    pub line: usize,
    /// Whether the file was rewritten for this step.
    pub written: bool,
    /// What changed (`2 lines rewritten, exit status ? 1`), or why not.
    pub message: String,
}

/// Runs `file`, blessing each failing step in turn; returns the report of
/// the last run with the notes of what was rewritten.
pub fn bless_file(file: &Path, choice: &BackendChoice, config: &RunConfig) -> ScenarioReport {
    let mut notes: Vec<BlessNote> = Vec::new();
    let mut last_step = 0;
    for _ in 0..MAX_ROUNDS {
        let (scenario, mut backend) = match prepare(file, choice) {
            Ok(ready) => ready,
            Err(report) => return with_notes(*report, notes),
        };
        let traced = run_scenario_traced(&scenario, backend.as_mut(), config);
        let report = traced.report;
        if let Outcome::KnownFailure { observed, .. } = &report.outcome {
            let (step, line) = match observed {
                Observed::Failure(f) => (f.step, f.span.line),
                Observed::Unsupported(l) => (l.step, l.span.line),
            };
            notes.push(BlessNote {
                step,
                line,
                written: false,
                message: "a known-failure scenario is not blessed: its expected output is the \
                          tutorial's, and the simulator is what is wrong"
                    .to_owned(),
            });
        }
        if let Outcome::Unsupported(l) = &report.outcome {
            // kubeplay's own limitation is not what the cluster printed:
            // writing it into the tutorial would bless the gap.
            notes.push(BlessNote {
                step: l.step,
                line: l.span.line,
                written: false,
                message: format!(
                    "unsupported: {}; kubeplay cannot emulate it, so there is no output to bless",
                    l.what
                ),
            });
        }
        let Outcome::Failed(failure) = &report.outcome else {
            return with_notes(report, notes);
        };
        let Some(context) = &traced.failure else {
            // The engine records how it matched every step it can report
            // a plain expectation for; the others (an interactive
            // session's typed lines) are not blessed.
            notes.push(BlessNote {
                step: failure.step,
                line: failure.span.line,
                written: false,
                message: "this kind of step is not blessed (an interactive session's typed \
                          lines); edit it by hand"
                    .to_owned(),
            });
            return with_notes(report, notes);
        };
        let refuse = |reason: String| BlessNote {
            step: failure.step,
            line: failure.span.line,
            written: false,
            message: reason,
        };
        if failure.step <= last_step {
            notes.push(refuse(format!(
                "step {} still fails after blessing it; not blessed again",
                failure.step
            )));
            return with_notes(report, notes);
        }
        match bless_step(&scenario, failure, context)
            .and_then(|(text, message)| write_atomically(file, &text).map(|()| message))
        {
            Ok(message) => {
                notes.push(BlessNote {
                    step: failure.step,
                    line: failure.span.line,
                    written: true,
                    message,
                });
                last_step = failure.step;
            }
            Err(reason) => {
                notes.push(refuse(reason));
                return with_notes(report, notes);
            }
        }
    }
    let (scenario, mut backend) = match prepare(file, choice) {
        Ok(ready) => ready,
        Err(report) => return with_notes(*report, notes),
    };
    let mut report =
        with_notes(run_scenario_traced(&scenario, backend.as_mut(), config).report, notes);
    if report.outcome.is_failure() {
        report.bless.push(BlessNote {
            step: 0,
            line: 0,
            written: false,
            message: format!("gave up after {MAX_ROUNDS} rounds of blessing"),
        });
    }
    report
}

fn with_notes(mut report: ScenarioReport, notes: Vec<BlessNote>) -> ScenarioReport {
    report.bless = notes;
    report
}

/// The scenario file's new text with the failing step blessed, and a note
/// of what changed; or why it cannot be blessed.
fn bless_step(
    scenario: &Scenario,
    failure: &StepFailure,
    context: &FailureContext,
) -> Result<(String, String), String> {
    let Some(actual_status) = failure.status else {
        return Err(format!("the step did not produce output to bless: {}", failure.detail));
    };
    let step = &scenario.steps[failure.index];
    let (expected, status) = match &step.kind {
        StepKind::Run(command) => (&command.expected, Some(command.status)),
        StepKind::CheckFile { expected, .. } => (expected, None),
        _ => return Err("only command output and check= blocks are blessed".to_owned()),
    };
    let mode = context.mode;
    let rewrite =
        rewrite_lines(expected, mode, &failure.actual, &context.bindings, &scenario.meta.vars)?;
    let new_status = status.map(|s| {
        if s.accepts(actual_status) {
            s
        } else if actual_status == 0 {
            ExpectedStatus::Success
        } else {
            ExpectedStatus::Code(actual_status)
        }
    });
    let text = std::fs::read_to_string(&scenario.path)
        .map_err(|e| format!("cannot read {}: {e}", scenario.path.display()))?;
    let edit = Edit {
        step: failure.index,
        command_line: step.span.line,
        first_line: expected.first_line,
        old_count: expected.text.lines().count(),
        lines: &rewrite.lines,
        status: new_status.filter(|s| Some(*s) != status),
    };
    // Edit with a final line end, then give the file back its own ending.
    let nl = eol(&text);
    let unterminated = !text.is_empty() && !text.ends_with('\n');
    let text = if unterminated { format!("{text}{nl}") } else { text };
    let mut new_text = match Format::of(&scenario.path) {
        Some(Format::Markdown) => edit_markdown(&text, &edit, expected),
        Some(Format::Yaml) => edit_yaml(&text, &edit, scenario),
        None => Err("not a scenario file".to_owned()),
    }?;
    if unterminated && let Some(stripped) = new_text.strip_suffix(nl) {
        new_text.truncate(stripped.len());
    }
    verify(scenario, &new_text, failure, context, actual_status)?;
    let mut message = match rewrite.changed {
        0 => String::new(),
        1 => "1 expected line rewritten".to_owned(),
        n => format!("{n} expected lines rewritten"),
    };
    if let Some(s) = edit.status {
        if !message.is_empty() {
            message.push_str(", ");
        }
        message.push_str(&match s {
            ExpectedStatus::Success => "exit status now success".to_owned(),
            ExpectedStatus::Code(c) => format!("exit status now ? {c}"),
            ExpectedStatus::Failed => "exit status now ? failed".to_owned(),
        });
    }
    if message.is_empty() {
        return Err("nothing to rewrite: the output matches line by line, but not as a whole \
                    (bindings across lines); edit it by hand"
            .to_owned());
    }
    Ok((new_text, message))
}

/// One new expected line: the file's own line, or a fresh one.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NewLine {
    /// Expected line `i` as the file has it.
    Kept(usize),
    /// A line written from the actual output (dedented), with the
    /// scenario's `vars:` values written back as their placeholders.
    Fresh(String),
}

/// The new expected lines of a step, and how many were written fresh.
struct Rewrite {
    lines: Vec<NewLine>,
    changed: usize,
}

/// Rewrites the expected lines from the actual output, keeping those that
/// matched; tries a plainer rewrite when the first would not match.
fn rewrite_lines(
    expected: &Expected,
    mode: MatchMode,
    actual: &str,
    bindings: &Bindings,
    vars: &BTreeMap<String, String>,
) -> Result<Rewrite, String> {
    // Longest values first, so a value inside another is not replaced first.
    let mut vars: Vec<(&String, &String)> = vars.iter().filter(|(_, v)| !v.is_empty()).collect();
    vars.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
    let unvar = |line: String| {
        vars.iter().fold(line, |line, (name, value)| line.replace(value.as_str(), name))
    };
    let exp = Expected { mode, ..expected.clone() };
    let mut last = String::new();
    // 1: keep matched lines, replaced lines keep their ages and names;
    // 2: keep matched lines, replaced lines written plainly;
    // 3: every line written from the actual output.
    for attempt in 0..3 {
        let mut alignment = matching::align(&exp, actual, bindings);
        let mut lines = Vec::new();
        // The text to check: the new lines with the values in, as the
        // parser substitutes them.
        let mut checked: Vec<String> = Vec::new();
        let mut changed = 0;
        if attempt == 2 {
            for a in 0..alignment.actual_count() {
                let line = alignment.render(None, a);
                checked.push(line.clone());
                lines.push(NewLine::Fresh(unvar(line)));
            }
            changed = lines.len();
        } else {
            for segment in alignment.segments.clone() {
                match segment {
                    Segment::Kept { expected, .. } | Segment::Ellipsis { expected, .. } => {
                        checked.push(alignment.expected_line(expected).to_owned());
                        lines.push(NewLine::Kept(expected))
                    }
                    Segment::Changed { expected, actual } => {
                        changed += 1;
                        if let Some(a) = actual {
                            let like = expected.filter(|_| attempt == 0);
                            let line = alignment.render(like, a);
                            checked.push(line.clone());
                            lines.push(NewLine::Fresh(unvar(line)));
                        }
                    }
                }
            }
        }
        // A watch command's expected output is a subsequence: when nothing
        // of it survives, the rewrite would be empty, a check that can no
        // longer fail. Write the whole output instead.
        if attempt < 2 && lines.is_empty() && alignment.actual_count() > 0 {
            continue;
        }
        let text: String = checked.iter().map(|l| format!("{l}\n")).collect();
        match matching::match_output(&Expected { text, ..exp.clone() }, actual, bindings) {
            Ok(_) => return Ok(Rewrite { lines, changed }),
            Err(mismatch) => last = mismatch.to_string(),
        }
    }
    Err(format!("the rewritten output would still not match ({last}); edit it by hand"))
}

/// Where and what to change in the file.
struct Edit<'a> {
    /// 0-based step index.
    step: usize,
    /// The step's command line (1-based).
    command_line: usize,
    /// The first expected line (1-based).
    first_line: usize,
    /// How many expected lines the file has now.
    old_count: usize,
    /// The new expected lines.
    lines: &'a [NewLine],
    /// The new exit status, when it changes.
    status: Option<ExpectedStatus>,
}

/// `? N` for a status; `None` for success (no line).
fn status_text(status: ExpectedStatus) -> Option<String> {
    match status {
        ExpectedStatus::Success => None,
        ExpectedStatus::Code(c) => Some(format!("? {c}")),
        ExpectedStatus::Failed => Some("? failed".to_owned()),
    }
}

/// The file's lines, each with its line ending.
fn file_lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_owned).collect()
}

fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// Markdown: the expected lines are file lines `first_line..` one for one;
/// a `? N` line, if any, sits between the command and them.
fn edit_markdown(text: &str, edit: &Edit<'_>, expected: &Expected) -> Result<String, String> {
    let mut lines = file_lines(text);
    let nl = eol(text);
    let body = |l: &str| l.trim_end_matches(['\n', '\r']).to_owned();
    // The prefix of fresh lines: what a kept expected line has before its
    // dedented text (a block's indentation, a block quote's `> `), or the
    // command line's.
    let prefix = expected
        .text
        .lines()
        .enumerate()
        .find_map(|(i, t)| {
            let line = body(lines.get(edit.first_line - 1 + i)?);
            let t = t.trim_end();
            (!t.trim().is_empty() && line.trim_end().ends_with(t))
                .then(|| line.trim_end()[..line.trim_end().len() - t.len()].to_owned())
        })
        .unwrap_or_else(|| {
            let line = lines.get(edit.command_line - 1).map_or(String::new(), |l| body(l));
            let rest = line.trim_start_matches([' ', '\t', '>']);
            line[..line.len() - rest.len()].to_owned()
        });
    let first = edit.first_line - 1;
    if first + edit.old_count > lines.len() {
        return Err("the file changed since it was read".to_owned());
    }
    let new: Vec<String> = edit
        .lines
        .iter()
        .map(|l| match l {
            NewLine::Kept(i) => lines[first + i].clone(),
            NewLine::Fresh(s) if s.is_empty() => format!("{}{nl}", prefix.trim_end()),
            NewLine::Fresh(s) => format!("{prefix}{s}{nl}"),
        })
        .collect();
    lines.splice(first..first + edit.old_count, new);
    if let Some(status) = edit.status {
        // The status line: the last non-blank line before the output, if it
        // is a `? ...` line; otherwise the command's last line.
        let mut at = first;
        while at > edit.command_line && lines[at - 1].trim().is_empty() {
            at -= 1;
        }
        let before = at.checked_sub(1).ok_or("no command line before the output")?;
        let is_status = at > edit.command_line
            && lines[before]
                .trim()
                .strip_prefix('?')
                .is_some_and(|r| r.is_empty() || r.starts_with(' '));
        match (is_status, status_text(status)) {
            (true, Some(s)) => lines[before] = format!("{prefix}{s}{nl}"),
            (true, None) => {
                lines.remove(before);
            }
            (false, Some(s)) => lines.insert(at, format!("{prefix}{s}{nl}")),
            (false, None) => {}
        }
    }
    Ok(lines.concat())
}

/// YAML: the step's `expect:` must be a literal block (`|`, `|-`, `|+`) or a
/// plain one-line value (or absent); `status:` a plain value. Other forms
/// cannot be rewritten while keeping the file's formatting, so they are
/// refused.
fn edit_yaml(text: &str, edit: &Edit<'_>, scenario: &Scenario) -> Result<String, String> {
    let mut lines = file_lines(text);
    let nl = eol(text);
    let item_line = scenario.steps[edit.step].span.line;
    let item_end = item_end(&lines, scenario, edit.step);
    let key_at = |key: &str| -> Option<(usize, usize, String)> {
        (item_line - 1..item_end).find_map(|i| {
            let line = lines[i].trim_end_matches(['\n', '\r']);
            let trimmed = line.trim_start();
            let rest = trimmed.strip_prefix("- ").map_or(trimmed, str::trim_start);
            let indent = line.len() - rest.len();
            let value = rest.strip_prefix(key)?.trim_start().strip_prefix(':')?;
            Some((i, indent, value.trim().to_owned()))
        })
    };
    let run = key_at("run").ok_or("the step has no `run:` key on a line of its own")?;
    let key_indent = run.1;
    let pad = " ".repeat(key_indent);
    // The end of a key's value: the lines after it indented deeper (or blank).
    let value_end = |start: usize| -> usize {
        let mut i = start + 1;
        while i < item_end {
            let line = lines[i].trim_end_matches(['\n', '\r']);
            if !line.trim().is_empty() && line.len() - line.trim_start().len() <= key_indent {
                break;
            }
            i += 1;
        }
        // Trailing blank lines belong to what follows.
        while i > start + 1 && lines[i - 1].trim().is_empty() {
            i -= 1;
        }
        i
    };
    let fresh: Vec<String> = edit
        .lines
        .iter()
        .map(|l| match l {
            NewLine::Kept(_) => None,
            NewLine::Fresh(s) => Some(s.clone()),
        })
        .map(|s| s.unwrap_or_default())
        .collect();
    let expect = key_at("expect");
    // Edits bottom-up: the expected output, then the status.
    let mut expect_edit: Option<(usize, usize, Vec<String>)> = None;
    if let Some((at, indent, value)) = &expect {
        let header = value.split('#').next().unwrap_or("").trim();
        if header.starts_with('|') {
            let first = edit.first_line - 1;
            if first + edit.old_count > lines.len() {
                return Err("the file changed since it was read".to_owned());
            }
            let content_indent = (first..first + edit.old_count)
                .map(|i| lines[i].trim_end_matches(['\n', '\r']))
                .find(|l| !l.trim().is_empty())
                .map_or(indent + 2, |l| l.len() - l.trim_start().len());
            let block_pad = " ".repeat(content_indent);
            let new = edit
                .lines
                .iter()
                .zip(&fresh)
                .map(|(l, f)| match l {
                    NewLine::Kept(i) => lines[first + i].clone(),
                    NewLine::Fresh(_) if f.is_empty() => nl.to_owned(),
                    NewLine::Fresh(_) => format!("{block_pad}{f}{nl}"),
                })
                .collect();
            let start = if edit.old_count == 0 { at + 1 } else { first };
            expect_edit = Some((start, start + edit.old_count, new));
        } else if header.starts_with('>') || header.starts_with('"') || header.starts_with('\'') {
            return Err(format!(
                "`expect:` at line {} is a {} scalar, which cannot be rewritten keeping its form; \
                 write it as a literal block (`expect: |`) and bless again",
                at + 1,
                if header.starts_with('>') { "folded" } else { "quoted" }
            ));
        } else {
            // A plain one-line value: keep it one line when it can be,
            // else turn it into a literal block.
            let new_lines = yaml_block(edit, &lines, edit.first_line - 1, &fresh);
            let whole = lines[*at].trim_end_matches(['\n', '\r']);
            let key_start = whole.len() - whole.trim_start().len();
            let lead = &whole[..whole.find("expect").unwrap_or(key_start)];
            let replacement = if new_lines.len() == 1 && plain_safe(&new_lines[0]) {
                vec![format!("{lead}expect: {}{nl}", new_lines[0])]
            } else {
                let inner = " ".repeat(indent + 2);
                std::iter::once(format!("{lead}expect: |{nl}"))
                    .chain(new_lines.iter().map(|l| {
                        if l.is_empty() { nl.to_owned() } else { format!("{inner}{l}{nl}") }
                    }))
                    .collect()
            };
            expect_edit = Some((*at, at + 1, replacement));
        }
    } else if !edit.lines.is_empty() {
        let inner = " ".repeat(key_indent + 2);
        let new = std::iter::once(format!("{pad}expect: |{nl}"))
            .chain(
                fresh
                    .iter()
                    .map(|l| if l.is_empty() { nl.to_owned() } else { format!("{inner}{l}{nl}") }),
            )
            .collect();
        let at = value_end(run.0);
        expect_edit = Some((at, at, new));
    }
    let status_edit = match edit.status {
        None => None,
        Some(status) => {
            let new: Vec<String> = match status {
                ExpectedStatus::Success => Vec::new(),
                ExpectedStatus::Code(c) => vec![format!("{pad}status: {c}{nl}")],
                ExpectedStatus::Failed => vec![format!("{pad}status: failed{nl}")],
            };
            match key_at("status") {
                Some((at, indent, _))
                    if indent == key_indent && !lines[at].trim_start().starts_with("- ") =>
                {
                    Some((at, at + 1, new))
                }
                Some((at, _, _)) => {
                    return Err(format!(
                        "`status:` at line {} shares its line with the item's `-`; move it to a \
                         line of its own and bless again",
                        at + 1
                    ));
                }
                None => {
                    let at = value_end(run.0);
                    Some((at, at, new))
                }
            }
        }
    };
    let mut edits: Vec<(usize, usize, Vec<String>)> =
        [expect_edit, status_edit].into_iter().flatten().collect();
    // Bottom-up, and an insertion at the same place as another edit goes
    // after it (status before expect when both are inserted after `run:`).
    edits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    for (start, end, new) in edits {
        lines.splice(start..end, new);
    }
    Ok(lines.concat())
}

/// The new expected lines as plain text (kept lines dedented from the file).
fn yaml_block(edit: &Edit<'_>, lines: &[String], first: usize, fresh: &[String]) -> Vec<String> {
    edit.lines
        .iter()
        .zip(fresh)
        .map(|(l, f)| match l {
            NewLine::Kept(i) => lines
                .get(first + i)
                .map(|l| {
                    let l = l.trim_end_matches(['\n', '\r']);
                    let l = l.trim_start();
                    l.strip_prefix("- ").map_or(l, str::trim_start).to_owned()
                })
                .map(|l| match l.strip_prefix("expect") {
                    Some(rest) => rest.trim_start().trim_start_matches(':').trim().to_owned(),
                    None => l,
                })
                .unwrap_or_default(),
            NewLine::Fresh(_) => f.clone(),
        })
        .collect()
}

/// Whether `value` reads back as itself as a plain YAML scalar.
fn plain_safe(value: &str) -> bool {
    let trimmed = value.trim();
    !value.is_empty()
        && trimmed == value
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
}

/// The line after step `index`'s item (0-based, exclusive).
fn item_end(lines: &[String], scenario: &Scenario, index: usize) -> usize {
    if let Some(next) = scenario.steps.get(index + 1) {
        return next.span.line - 1;
    }
    let item = scenario.steps[index].span;
    let indent = item.column - 1;
    (item.line..lines.len())
        .find(|&i| {
            let l = lines[i].trim_end_matches(['\n', '\r']);
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with('#') && l.len() - t.len() <= indent
        })
        .unwrap_or(lines.len())
}

/// Parses the new text and checks the blessed step now passes: same steps,
/// and its expectation matches the actual output with the actual status.
fn verify(
    scenario: &Scenario,
    new_text: &str,
    failure: &StepFailure,
    context: &FailureContext,
    status: i32,
) -> Result<(), String> {
    let refused =
        |why: String| Err(format!("not written: the rewritten {} {why}", scenario.path.display()));
    let parsed = match scenario::parse_file(&scenario.path, new_text) {
        Ok(parsed) => parsed,
        Err(e) => return refused(format!("does not parse ({e})")),
    };
    if parsed.steps.len() != scenario.steps.len() {
        return refused(format!(
            "would have {} steps instead of {} (does an output line look like a prompt or a fence?)",
            parsed.steps.len(),
            scenario.steps.len()
        ));
    }
    let (expected, accepts) = match &parsed.steps[failure.index].kind {
        StepKind::Run(c) => (&c.expected, c.status.accepts(status)),
        StepKind::CheckFile { expected, .. } => (expected, true),
        _ => return refused("changes the kind of the step".to_owned()),
    };
    let expected = Expected { mode: context.mode, ..expected.clone() };
    if !accepts {
        return refused(format!("does not expect exit status {status}"));
    }
    match matching::match_output(&expected, &failure.actual, &context.bindings) {
        Ok(_) => Ok(()),
        Err(m) => refused(format!("would still not match ({m})")),
    }
}

/// Writes `text` to `path` through a temporary file in the same folder and
/// a rename, so a crash never leaves a half-written scenario.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map_or("scenario".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.kubeplay-bless-{}", std::process::id()));
    let result = std::fs::write(&tmp, text).and_then(|()| {
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    });
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_mode_is_resolved_once_and_ci_forbids_blessing() {
        assert_eq!(UpdateMode::resolve(false, false), Ok(UpdateMode::Verify));
        assert_eq!(UpdateMode::resolve(false, true), Ok(UpdateMode::Verify));
        assert_eq!(UpdateMode::resolve(true, false), Ok(UpdateMode::Bless));
        assert!(UpdateMode::resolve(true, true).unwrap_err().contains("CI is set"));
    }

    #[test]
    fn plain_yaml_values() {
        assert!(plain_safe("deployment.apps/web created"));
        for unsafe_value in ["", " x", "a: b", "x # y", "- x", "\"q\"", "'q'", "[x]", "{x}", "|"] {
            assert!(!plain_safe(unsafe_value), "{unsafe_value:?}");
        }
    }

    #[test]
    fn markdown_status_lines_are_added_changed_and_removed() {
        let text = "```console\n$ false\nout\n$ next\n```\n";
        let lines = [NewLine::Kept(0)];
        let edit = |status| Edit {
            step: 0,
            command_line: 2,
            first_line: 3,
            old_count: 1,
            lines: &lines,
            status: Some(status),
        };
        let expected = Expected { text: "out\n".into(), first_line: 3, ..Expected::default() };
        let added = edit_markdown(text, &edit(ExpectedStatus::Code(1)), &expected).unwrap();
        assert_eq!(added, "```console\n$ false\n? 1\nout\n$ next\n```\n");
        let text = "```console\n$ false\n? 2\nout\n$ next\n```\n";
        let expected = Expected { first_line: 4, ..expected };
        let edit = |status| Edit { first_line: 4, ..edit(status) };
        let changed = edit_markdown(text, &edit(ExpectedStatus::Code(1)), &expected).unwrap();
        assert_eq!(changed, "```console\n$ false\n? 1\nout\n$ next\n```\n");
        let removed = edit_markdown(text, &edit(ExpectedStatus::Success), &expected).unwrap();
        assert_eq!(removed, "```console\n$ false\nout\n$ next\n```\n");
    }
}
