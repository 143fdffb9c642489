//! Machine-readable run reports: `kubeplay run --format json|junit`.
//!
//! Both are rendered once, from every scenario's report, after the run (the
//! human format prints each scenario as it finishes; see `main.rs`). Workers
//! never print; the one reporter calls these.
//!
//! - **json**: one JSON document (not JSON lines: a run is read as a whole
//!   by `jq` or a CI step, and one document carries the summary too). Its
//!   shape is `{"format": "kubeplay-run/1", "summary": {...}, "scenarios":
//!   [...]}`; README documents every field.
//! - **junit**: JUnit XML in the Jenkins/Ant dialect GitLab, Jenkins and
//!   GitHub test-report actions read — one `<testsuite>` per run, one
//!   `<testcase>` per scenario named by its path, `<failure>` with the step,
//!   reason and diff, `<error>` for a scenario that could not run,
//!   `<skipped>` for skipped and known-failure scenarios. Written with the
//!   `quick-junit` crate (nextest's JUnit writer): it escapes text, strips
//!   ANSI codes and characters XML forbids, and keeps the counts in the
//!   suite attributes consistent, which a hand-written writer would have to
//!   get right again.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde_json::{Value, json};

use super::report::{Outcome, ScenarioReport, StepFailure};
use crate::matching::render_diff;

/// The `format` field of the JSON document; bumped on incompatible changes.
pub const JSON_FORMAT: &str = "kubeplay-run/1";

/// A scenario's status word in machine reports.
pub fn status_word(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "pass",
        Outcome::Failed(_) | Outcome::UnexpectedPass { .. } => "fail",
        Outcome::Unsupported(_) => "unsupported",
        Outcome::KnownFailure { .. } => "known-failure",
        Outcome::Skipped(_) => "skipped",
        Outcome::Error(_) => "error",
    }
}

/// Why a scenario did not simply pass, in one line (`None` for a pass).
fn reason(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Passed => None,
        Outcome::Failed(f) => Some(f.detail.clone()),
        Outcome::Unsupported(l) => Some(format!("unsupported: {}", l.what)),
        Outcome::KnownFailure { reason, .. } | Outcome::Skipped(reason) => Some(reason.clone()),
        Outcome::UnexpectedPass { reason } => Some(format!(
            "marked known-failure ({reason}) but every step passed; remove `known-failure` \
             from its front matter"
        )),
        Outcome::Error(message) => Some(message.clone()),
    }
}

/// The whole run as one JSON document (pretty-printed, newline-terminated).
pub fn json(reports: &[ScenarioReport]) -> String {
    let count = |word: &str| reports.iter().filter(|r| status_word(&r.outcome) == word).count();
    let doc = json!({
        "format": JSON_FORMAT,
        "summary": {
            "scenarios": reports.len(),
            "passed": count("pass"),
            "failed": count("fail"),
            "known_failures": count("known-failure"),
            "unsupported": count("unsupported"),
            "skipped": count("skipped"),
            "errors": count("error"),
        },
        "scenarios": reports.iter().map(scenario_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value serialises");
    text.push('\n');
    text
}

fn scenario_json(report: &ScenarioReport) -> Value {
    let path = report.path.display().to_string();
    let failure = match report.outcome.step_failure() {
        Some(f) => failure_json(&path, f),
        None => Value::Null,
    };
    let unsupported = match report.outcome.limitation() {
        Some(l) => json!({
            "step": l.step,
            "file": path,
            "line": l.span.line,
            "location": format!("{path}:{}", l.span.line),
            "command": l.command,
            "what": l.what,
        }),
        None => Value::Null,
    };
    json!({
        "path": path,
        "title": report.title,
        "status": status_word(&report.outcome),
        "reason": reason(&report.outcome),
        "steps": {
            "total": report.steps_total,
            "run": report.steps_run,
            "skipped": report.steps_skipped,
        },
        "cluster_time_ms": millis(report.virtual_time),
        "wall_time_ms": millis(report.wall_time),
        "failure": failure,
        "unsupported": unsupported,
        "bless": report.bless.iter().map(|n| json!({
            "step": n.step,
            "line": n.line,
            "written": n.written,
            "message": n.message,
        })).collect::<Vec<_>>(),
        "outside_namespace": report.outside_namespace,
    })
}

fn failure_json(path: &str, f: &StepFailure) -> Value {
    json!({
        "step": f.step,
        "file": path,
        "line": f.span.line,
        "location": format!("{path}:{}", f.span.line),
        "expected_line": f.expected_line,
        "command": f.command,
        "detail": f.detail,
        "exit_status": f.status,
        "expected": f.expected,
        "actual": f.actual,
        "diff": render_diff(&f.expected, &f.actual, false),
    })
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The whole run as JUnit XML: one suite, one test case per scenario.
pub fn junit(reports: &[ScenarioReport]) -> String {
    let mut suite = TestSuite::new("kubeplay");
    suite.set_time(reports.iter().map(|r| r.wall_time).sum());
    for report in reports {
        let path = report.path.display().to_string();
        let status = match &report.outcome {
            Outcome::Passed => TestCaseStatus::success(),
            Outcome::Failed(f) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(format!("step {} at {path}:{}: {}", f.step, f.span.line, f.detail));
                s.set_type("mismatch");
                s.set_description(report.details(false));
                s
            }
            Outcome::UnexpectedPass { .. } => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(reason(&report.outcome).unwrap_or_default());
                s.set_type("unexpected-pass");
                s
            }
            Outcome::Error(message) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                s.set_message(message.clone());
                s.set_type("error");
                s
            }
            Outcome::Unsupported(l) => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!(
                    "unsupported: {} (step {} at {path}:{})",
                    l.what, l.step, l.span.line
                ));
                s.set_type("unsupported");
                s
            }
            Outcome::KnownFailure { reason, .. } => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!("known failure: {reason}"));
                s.set_description(report.details(false));
                s
            }
            Outcome::Skipped(reason) => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(reason.clone());
                s
            }
        };
        let mut case = TestCase::new(path.clone(), status);
        case.set_classname(classname(&report.path));
        case.set_time(report.wall_time);
        suite.add_test_case(case);
    }
    let mut run = Report::new("kubeplay run");
    run.set_time(reports.iter().map(|r| r.wall_time).sum());
    run.add_test_suite(suite);
    run.to_string().expect("JUnit XML serialises")
}

/// Jenkins groups test cases by dotted class name: the scenario's folder
/// (`scenarios/seed/01.md` → `scenarios.seed`).
fn classname(path: &std::path::Path) -> String {
    let parent = path.parent().map(|p| p.to_string_lossy().replace(['/', '\\'], "."));
    match parent.as_deref().map(|p| p.trim_matches('.')) {
        Some(p) if !p.is_empty() => p.to_owned(),
        _ => "kubeplay".to_owned(),
    }
}
