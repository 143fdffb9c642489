//! Reports: what a scenario run produced, and how it is shown to a human.

use std::{path::PathBuf, time::Duration};

use super::bless::BlessNote;
use crate::{matching::render_diff, scenario::Span};

/// Why a step failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepFailure {
    /// 1-based step number, counting checked steps
    /// ([`crate::scenario::Scenario::step_number`]).
    pub step: usize,
    /// Its index in the scenario's steps (file blocks included).
    pub index: usize,
    /// Where the step's command is in the file.
    pub span: Span,
    /// The file line of the first expected output line.
    pub expected_line: usize,
    /// The command as written in the scenario.
    pub command: String,
    /// A short reason (`row ... has no match`, `exit status 1, expected success`).
    pub detail: String,
    /// Expected output, with bound values substituted.
    pub expected: String,
    /// Actual output.
    pub actual: String,
    /// The command's actual exit status (0 for a `check=FILE` block whose
    /// file exists); `None` when it did not run (a shell error) or the
    /// checked file does not exist.
    pub status: Option<i32>,
}

/// A step that uses something kubeplay cannot emulate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limitation {
    /// 1-based step number, counting checked steps (0 for a front-matter
    /// `setup` command).
    pub step: usize,
    /// Where the step's command is in the file.
    pub span: Span,
    /// The command as written in the scenario.
    pub command: String,
    /// What kubeplay cannot emulate (`kubectl explain`, `flag --hard of
    /// kubectl create quota`, `shell command jq`).
    pub what: String,
}

/// What a scenario marked `known-failure` did when it did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// A step did not match.
    Failure(StepFailure),
    /// A step used something kubeplay cannot emulate.
    Unsupported(Limitation),
}

/// How a scenario ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every step matched.
    Passed,
    /// A step did not match.
    Failed(StepFailure),
    /// A step used something kubeplay cannot emulate: the scenario stopped
    /// there, neither passed nor failed.
    Unsupported(Limitation),
    /// Did not pass, as the scenario's `known-failure` says.
    KnownFailure {
        /// The documented reason.
        reason: String,
        /// What was observed.
        observed: Observed,
    },
    /// Marked `known-failure` but passed: the mark is stale and must go.
    UnexpectedPass {
        /// The documented reason.
        reason: String,
    },
    /// Not run here (e.g. the scenario excludes this backend).
    Skipped(String),
    /// The scenario could not run (bad setup, backend error).
    Error(String),
}

impl Outcome {
    /// Whether this outcome fails the run.
    pub fn is_failure(&self) -> bool {
        matches!(self, Outcome::Failed(_) | Outcome::UnexpectedPass { .. } | Outcome::Error(_))
    }

    /// The failing step of a failed or known-failure scenario.
    pub fn step_failure(&self) -> Option<&StepFailure> {
        match self {
            Outcome::Failed(f) | Outcome::KnownFailure { observed: Observed::Failure(f), .. } => {
                Some(f)
            }
            _ => None,
        }
    }

    /// The unsupported step of an unsupported or known-failure scenario.
    pub fn limitation(&self) -> Option<&Limitation> {
        match self {
            Outcome::Unsupported(l)
            | Outcome::KnownFailure { observed: Observed::Unsupported(l), .. } => Some(l),
            _ => None,
        }
    }

    /// Short label for the one-line summary.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Passed => "pass",
            Outcome::Failed(_) => "FAIL",
            Outcome::Unsupported(_) => "unsupported",
            Outcome::KnownFailure { .. } => "known-failure",
            Outcome::UnexpectedPass { .. } => "FAIL (unexpected pass)",
            Outcome::Skipped(_) => "skipped",
            Outcome::Error(_) => "ERROR",
        }
    }
}

/// The result of running one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioReport {
    /// The scenario file, as given.
    pub path: PathBuf,
    /// Its title.
    pub title: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Checked steps in the file (commands and `check=FILE` blocks).
    pub steps_total: usize,
    /// Command steps run.
    pub steps_run: usize,
    /// Command steps skipped.
    pub steps_skipped: usize,
    /// Cluster time that passed (virtual on the simulator).
    pub virtual_time: Duration,
    /// Wall time the run took.
    pub wall_time: Duration,
    /// The normalised transcript of actual outputs (for snapshots).
    pub transcript: String,
    /// What `--bless` rewrote (or refused to), step by step.
    pub bless: Vec<BlessNote>,
    /// What the scenario touched outside its namespace on a real cluster.
    pub outside_namespace: Vec<String>,
}

impl ScenarioReport {
    /// A report for a scenario that did not run at all.
    pub fn not_run(path: PathBuf, outcome: Outcome) -> Self {
        ScenarioReport {
            path,
            title: None,
            outcome,
            steps_total: 0,
            steps_run: 0,
            steps_skipped: 0,
            virtual_time: Duration::ZERO,
            wall_time: Duration::ZERO,
            transcript: String::new(),
            bless: Vec::new(),
            outside_namespace: Vec::new(),
        }
    }

    /// The one-line summary: `pass  scenarios/x.md  12 steps  3m20s virtual  4ms`.
    pub fn summary_line(&self) -> String {
        format!(
            "{:<13} {}  ({}{} steps{}, {} cluster time, {} ms)",
            self.outcome.label(),
            self.path.display(),
            self.steps_run,
            // A scenario that stopped early says how far it got.
            if self.steps_run + self.steps_skipped < self.steps_total {
                format!(" of {}", self.steps_total)
            } else {
                String::new()
            },
            if self.steps_skipped > 0 {
                format!(", {} skipped", self.steps_skipped)
            } else {
                String::new()
            },
            clock(self.virtual_time),
            self.wall_time.as_millis()
        )
    }

    /// The detailed explanation of a failure (empty for passes): the step,
    /// its `path:line`, the command, the reason and a diff.
    pub fn details(&self, color: bool) -> String {
        let mut out = String::new();
        for note in &self.bless {
            let verb = if note.written { "blessed" } else { "not blessed" };
            if note.step == 0 {
                out.push_str(&format!("  {verb}: {}\n", note.message));
            } else {
                out.push_str(&format!(
                    "  {verb}: step {} at {}:{}: {}\n",
                    note.step,
                    self.path.display(),
                    note.line,
                    note.message
                ));
            }
        }
        for touched in &self.outside_namespace {
            out.push_str(&format!("  outside its namespace: {touched}\n"));
        }
        out + &self.outcome_details(color)
    }

    fn outcome_details(&self, color: bool) -> String {
        match &self.outcome {
            Outcome::Failed(f) => failure_block(&self.path, f, color),
            Outcome::Unsupported(l) => limitation_block(&self.path, l),
            Outcome::KnownFailure { reason, observed } => {
                let block = match observed {
                    Observed::Failure(f) => failure_block(&self.path, f, color),
                    Observed::Unsupported(l) => limitation_block(&self.path, l),
                };
                format!("  known failure: {reason}\n{}", indent(&block))
            }
            Outcome::UnexpectedPass { reason } => format!(
                "  {}: marked known-failure ({reason}) but every step passed; remove `known-failure` from its front matter\n",
                self.path.display()
            ),
            // A load error already starts with the file (`path:line:col:
            // error[...]`); naming it again would print the path twice.
            Outcome::Error(message)
                if message.starts_with(&format!("{}:", self.path.display())) =>
            {
                format!("  {message}\n")
            }
            Outcome::Error(message) => format!("  {}: {message}\n", self.path.display()),
            Outcome::Skipped(reason) => format!("  skipped: {reason}\n"),
            Outcome::Passed => String::new(),
        }
    }
}

fn failure_block(path: &std::path::Path, f: &StepFailure, color: bool) -> String {
    let mut out = format!(
        "  step {} at {}:{}: {}\n  $ {}\n",
        f.step,
        path.display(),
        f.span.line,
        f.detail,
        f.command
    );
    if f.expected != f.actual {
        out.push_str(&format!(
            "  expected output at {}:{} vs actual:\n",
            path.display(),
            f.expected_line
        ));
        out.push_str(&indent(&render_diff(&f.expected, &f.actual, color)));
    }
    out
}

fn limitation_block(path: &std::path::Path, l: &Limitation) -> String {
    let at = if l.step == 0 { "setup".to_owned() } else { format!("step {}", l.step) };
    format!(
        "  {at} at {}:{}: unsupported: {}\n  $ {}\n",
        path.display(),
        l.span.line,
        l.what,
        l.command
    )
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// `1h2m3s`-style clock for summaries.
fn clock(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}
