//! End-to-end tests of interactive sessions in scenarios (`kubectl run -it
//! ... -- sh` followed by lines at the container's prompt): a line the
//! container shell cannot run fails with the shell's error naming the
//! construct, at that line's place in the file; a matching session passes;
//! `exec -it` right after the pod's creation opens once the container runs.

use super::support::*;

#[test]
fn an_unsupported_construct_in_a_session_line_fails_naming_it() {
    let out = kubeplay(&["run", "tests/session/unsupported-redirection.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report = text(&out);
    assert!(
        report.contains("step 1 at tests/session/unsupported-redirection.md:14:"),
        "the failure names the typed line:\n{report}"
    );
    assert!(
        report.contains("|+sh: redirection: not supported by kubeplay's container shell"),
        "the actual output is the shell's error naming the construct:\n{report}"
    );
    assert!(report.contains("|-HOSTNAME=t"), "{report}");
}

#[test]
fn a_matching_session_passes() {
    let out = kubeplay(&["run", "tests/session/passes.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn an_exec_session_waits_for_the_container_to_run() {
    let out = kubeplay(&["run", "tests/session/exec-right-after-run.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn a_session_whose_end_is_not_shown_has_no_status_to_check() {
    let out = kubeplay(&["run", "tests/session/end-not-shown.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
