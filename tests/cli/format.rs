//! End-to-end tests of `kubeplay run --format json|junit`: the documents
//! are parsed (serde_json; quick-junit's own reader) and checked field by
//! field for a run over `tests/format/` — one scenario that passes, one
//! that fails at its second step, a known failure and one skipped on the
//! simulator.

use std::process::Output;

use super::support::*;

use quick_junit::{NonSuccessKind, Report, TestCaseStatus};
use serde_json::Value;

/// The scenario entry for `path` in a JSON report.
fn scenario<'a>(doc: &'a Value, path: &str) -> &'a Value {
    doc["scenarios"]
        .as_array()
        .expect("scenarios array")
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| panic!("no entry for {path} in {doc:#}"))
}

#[test]
fn json_is_one_document_with_per_scenario_results() {
    let out = kubeplay(&["run", "--format", "json", "-j2", "tests/format"]);
    assert_eq!(out.status.code(), Some(1), "a failing scenario still fails the run");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("stdout is one JSON document");

    assert_eq!(doc["format"], "kubeplay-run/1");
    assert_eq!(
        doc["summary"],
        serde_json::json!({
            "scenarios": 5, "passed": 1, "failed": 1, "unsupported": 1, "known_failures": 1,
            "skipped": 1, "errors": 0
        })
    );
    let paths: Vec<&str> =
        doc["scenarios"].as_array().unwrap().iter().map(|s| s["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "tests/format/fail.md",
            "tests/format/known.md",
            "tests/format/pass.md",
            "tests/format/skipped.md",
            "tests/format/unsupported.md"
        ],
        "input order"
    );

    let pass = scenario(&doc, "tests/format/pass.md");
    assert_eq!(pass["status"], "pass");
    assert_eq!(pass["title"], "Passes");
    assert_eq!(pass["reason"], Value::Null);
    assert_eq!(pass["failure"], Value::Null);
    assert_eq!(pass["steps"], serde_json::json!({"total": 1, "run": 1, "skipped": 0}));
    assert!(pass["wall_time_ms"].is_u64());
    assert_eq!(pass["cluster_time_ms"], 0);

    let fail = scenario(&doc, "tests/format/fail.md");
    assert_eq!(fail["status"], "fail");
    assert_eq!(fail["steps"]["run"], 2);
    assert!(fail["cluster_time_ms"].as_u64().unwrap() > 0, "the step waited on the clock");
    let f = &fail["failure"];
    assert_eq!(f["step"], 2);
    assert_eq!(f["file"], "tests/format/fail.md");
    assert_eq!(f["line"], 12);
    assert_eq!(f["location"], "tests/format/fail.md:12");
    assert_eq!(f["expected_line"], 13);
    assert_eq!(f["command"], "kubectl get deployment web");
    assert_eq!(f["exit_status"], 0);
    assert_eq!(f["detail"], "row `web    2/1     1            1           38s` has no match");
    assert_eq!(f["detail"], fail["reason"]);
    assert_eq!(
        f["expected"],
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/1     1            1           38s\n"
    );
    let actual = f["actual"].as_str().unwrap();
    assert!(actual.starts_with("NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    1/1     1"));
    let diff: Vec<&str> = f["diff"].as_str().unwrap().lines().collect();
    assert_eq!(diff[0], "@@ -1,2 +1,2 @@");
    assert_eq!(diff[2], "   2      |-web    2/1     1            1           38s");
    assert!(diff[3].starts_with("        2 |+web    1/1     1            1"), "{diff:?}");

    let known = scenario(&doc, "tests/format/known.md");
    assert_eq!(known["status"], "known-failure");
    assert_eq!(known["reason"], "the tutorial's cluster printed \"made\"");
    assert_eq!(known["failure"]["step"], 1);
    assert_eq!(known["failure"]["actual"], "deployment.apps/web created\n");

    let skipped = scenario(&doc, "tests/format/skipped.md");
    assert_eq!(skipped["status"], "skipped");
    assert_eq!(skipped["reason"], "runs only on kubectl");
    assert_eq!(skipped["steps"]["run"], 0);

    let unsupported = scenario(&doc, "tests/format/unsupported.md");
    assert_eq!(unsupported["status"], "unsupported");
    assert_eq!(unsupported["reason"], "unsupported: kubectl certificate");
    assert_eq!(unsupported["failure"], Value::Null, "not a mismatch");
    assert_eq!(
        unsupported["unsupported"],
        serde_json::json!({
            "step": 2, "file": "tests/format/unsupported.md", "line": 8,
            "location": "tests/format/unsupported.md:8",
            "command": "kubectl certificate approve csr-1", "what": "kubectl certificate"
        })
    );
    assert_eq!(unsupported["steps"]["run"], 2, "it stopped at step 2 of 3");
}

#[test]
fn junit_has_one_test_case_per_scenario_with_failures_and_skips() {
    let out = kubeplay(&["run", "--format", "junit", "-j2", "tests/format"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), "{xml}");
    let report = Report::deserialize_from_str(&xml).expect("valid JUnit XML");
    assert_eq!(report.name.as_ref().map(|n| n.as_str()), Some("kubeplay run"));
    assert_eq!((report.tests, report.failures, report.errors), (5, 1, 0));
    assert_eq!(report.test_suites.len(), 1, "one suite per run");
    let suite = &report.test_suites[0];
    assert_eq!(suite.name.as_str(), "kubeplay");
    assert_eq!((suite.tests, suite.failures, suite.errors, suite.skipped), (5, 1, 0, 3));

    let case = |name: &str| {
        suite
            .test_cases
            .iter()
            .find(|c| c.name.as_str() == name)
            .unwrap_or_else(|| panic!("no test case {name}"))
    };
    for name in ["tests/format/pass.md", "tests/format/fail.md"] {
        assert_eq!(case(name).classname.as_ref().map(|c| c.as_str()), Some("tests.format"));
        assert!(case(name).time.is_some());
    }
    assert!(matches!(case("tests/format/pass.md").status, TestCaseStatus::Success { .. }));

    match &case("tests/format/fail.md").status {
        TestCaseStatus::NonSuccess { kind, message, ty, description, .. } => {
            assert_eq!(*kind, NonSuccessKind::Failure);
            assert_eq!(
                message.as_ref().map(|m| m.as_str()),
                Some(
                    "step 2 at tests/format/fail.md:12: row `web    2/1     1            1           38s` has no match"
                )
            );
            assert_eq!(ty.as_ref().map(|t| t.as_str()), Some("mismatch"));
            let description = description.as_ref().expect("the diff").as_str();
            let lines: Vec<&str> = description.lines().collect();
            assert_eq!(lines[1], "  $ kubectl get deployment web");
            assert!(
                lines.contains(&"       2      |-web    2/1     1            1           38s"),
                "{description}"
            );
        }
        other => panic!("fail.md is not a failure: {other:?}"),
    }
    match &case("tests/format/known.md").status {
        TestCaseStatus::Skipped { message, .. } => assert_eq!(
            message.as_ref().map(|m| m.as_str()),
            Some("known failure: the tutorial's cluster printed \"made\"")
        ),
        other => panic!("known.md is not skipped: {other:?}"),
    }
    match &case("tests/format/skipped.md").status {
        TestCaseStatus::Skipped { message, .. } => {
            assert_eq!(message.as_ref().map(|m| m.as_str()), Some("runs only on kubectl"))
        }
        other => panic!("skipped.md is not skipped: {other:?}"),
    }
    match &case("tests/format/unsupported.md").status {
        TestCaseStatus::Skipped { message, ty, .. } => {
            assert_eq!(
                message.as_ref().map(|m| m.as_str()),
                Some("unsupported: kubectl certificate (step 2 at tests/format/unsupported.md:8)")
            );
            assert_eq!(ty.as_ref().map(|t| t.as_str()), Some("unsupported"));
        }
        other => panic!("unsupported.md is not skipped: {other:?}"),
    }
}

#[test]
fn human_stays_the_default() {
    let default = kubeplay(&["run", "--color", "never", "-j1", "tests/format"]);
    let human = kubeplay(&["run", "--color", "never", "-j1", "--format", "human", "tests/format"]);
    assert_eq!(default.status.code(), Some(1));
    assert_eq!(human.status.code(), Some(1));
    // Wall times differ between runs; everything else is the same.
    let strip = |o: &Output| {
        let re = regex::Regex::new(r"\d+ ms\)").unwrap();
        re.replace_all(&stdout(o), "N ms)").into_owned()
    };
    assert_eq!(strip(&default), strip(&human));
    let text = strip(&default);
    assert!(
        text.lines()
            .any(|l| l == "FAIL          tests/format/fail.md  (2 steps, 10s cluster time, N ms)"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "\n5 scenarios: 1 passed, 1 failed, 1 unsupported, 1 known failures, 1 skipped\n"
        ),
        "{text}"
    );
}

#[test]
fn a_scenario_that_cannot_run_is_an_error_in_both_formats() {
    let file = "tests/broken/unknown-key.md";
    let json = kubeplay(&["run", "--format", "json", file]);
    assert_eq!(json.status.code(), Some(2));
    let doc: Value = serde_json::from_str(&stdout(&json)).expect("one JSON document");
    assert_eq!(doc["summary"]["errors"], 1);
    let entry = scenario(&doc, file);
    assert_eq!(entry["status"], "error");
    assert_eq!(entry["failure"], Value::Null);
    let reason = entry["reason"].as_str().expect("a reason");
    assert!(
        reason.starts_with(
            "tests/broken/unknown-key.md:3:1: error[S0004]: front matter: unknown field `clustr`"
        ),
        "{reason}"
    );

    let junit = kubeplay(&["run", "--format", "junit", file]);
    assert_eq!(junit.status.code(), Some(2));
    let report = Report::deserialize_from_str(&stdout(&junit)).expect("valid JUnit XML");
    assert_eq!((report.tests, report.failures, report.errors), (1, 0, 1));
    match &report.test_suites[0].test_cases[0].status {
        TestCaseStatus::NonSuccess { kind, message, .. } => {
            assert_eq!(*kind, NonSuccessKind::Error);
            assert_eq!(message.as_ref().map(|m| m.as_str()), Some(reason));
        }
        other => panic!("not an error: {other:?}"),
    }
}

#[test]
fn unsupported_alone_exits_3_and_shows_the_step_not_a_diff() {
    let out = kubeplay(&["run", "tests/format/unsupported.md"]);
    assert_eq!(out.status.code(), Some(3), "unsupported has its own exit status");
    let text = stdout(&out);
    assert!(
        text.starts_with("unsupported   tests/format/unsupported.md  (2 of 3 steps,"),
        "{text}"
    );
    assert!(
        text.contains(
            "  step 2 at tests/format/unsupported.md:8: unsupported: kubectl certificate\n  $ kubectl certificate approve csr-1\n"
        ),
        "{text}"
    );
    assert!(!text.contains("KIND:"), "kubeplay's own limitation is never diffed: {text}");
    assert!(text.ends_with(
        "1 scenarios: 0 passed, 0 failed, 1 unsupported, 0 known failures, 0 skipped\n"
    ));
}
